//! The scenario file: what world the simulator serves (TOML, unknown keys rejected).

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, bail};
use serde::Deserialize;

use super::Fault;
use super::ids;

/// A whole simulated world: the Connect service, the servers and LAN discovery.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scenario {
    /// The simulated Emby Connect service.
    pub connect: ConnectConfig,
    /// The UDP discovery responder.
    pub discovery: DiscoveryConfig,
    /// The Emby Servers, in the order `Sim::servers()` returns them.
    pub servers: Vec<ServerConfig>,
}

/// Settings of the Connect service.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConnectConfig {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// How long a PIN stays valid, in seconds.
    pub pin_lifetime_secs: u64,
    /// Faults of the Connect address.
    pub faults: Fault,
    /// Connect accounts.
    pub users: Vec<ConnectUserConfig>,
    /// Sign-up (`POST service/register`) answers that a browser step (a captcha) is needed.
    pub signup_captcha: bool,
}

impl Default for ConnectConfig {
    fn default() -> Self {
        ConnectConfig {
            port: 0,
            pin_lifetime_secs: 600,
            faults: Fault::default(),
            users: Vec::new(),
            signup_captcha: false,
        }
    }
}

/// One Emby Connect account.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectUserConfig {
    /// Connect user name.
    pub name: String,
    /// E-mail address (sign-in accepts either).
    pub email: String,
    /// Plain password (this is a simulator).
    pub password: String,
}

impl std::fmt::Debug for ConnectUserConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectUserConfig")
            .field("name", &self.name)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// The UDP discovery responder.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscoveryConfig {
    /// UDP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
}

/// One Emby Server.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Friendly name (`ServerName`).
    pub name: String,
    /// Fixed server id (32 hex); derived from the name when absent.
    #[serde(default)]
    pub id: Option<String>,
    /// Reported version, 4.x.
    #[serde(default = "default_version")]
    pub version: String,
    /// Port of the LocalAddress listener; 0 picks a free one.
    #[serde(default)]
    pub local_port: u16,
    /// Port of the remote Url listener; 0 picks a free one.
    #[serde(default)]
    pub remote_port: u16,
    /// Whether the UDP responder announces this server.
    #[serde(default = "yes")]
    pub discoverable: bool,
    /// Library sizes.
    #[serde(default)]
    pub library: LibraryConfig,
    /// Local user accounts.
    #[serde(default)]
    pub users: Vec<LocalUserConfig>,
    /// Faults per address.
    #[serde(default)]
    pub faults: ServerFaults,
    /// Whether the server has the guest-invitation endpoints (`POST /Connect/Invite`,
    /// `DELETE /Connect/Pending`). Absent: as its version says (before 4.7 only; the 4.7 and
    /// 4.8 API no longer has them, protocol.md §6.2).
    #[serde(default)]
    pub connect_invite: Option<bool>,
    /// Controllable fake devices (default: "Living Room TV" and "Phone"; `devices = []` for none).
    #[serde(default = "default_devices")]
    pub devices: Vec<DeviceConfig>,
    /// Titles of the library given here instead of made up (see [`TitleConfig`]).
    #[serde(default)]
    pub titles: Vec<TitleConfig>,
}

/// A controllable fake device: an Emby app that plays what it is told, on its own clock.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DeviceConfig {
    /// Device name, e.g. "Living Room TV".
    pub name: String,
    /// The app, e.g. "Emby Theater".
    pub client: String,
    /// The app's version.
    #[serde(default = "default_app_version")]
    pub version: String,
    /// What it can play (`Audio`, `Video`); Play of anything else is refused with 400.
    #[serde(default = "audio_and_video")]
    pub media_types: Vec<String>,
    /// The local user it is signed in as (default: the server's first user).
    #[serde(default)]
    pub user: Option<String>,
}

fn default_app_version() -> String {
    "3.0.20".into()
}

fn audio_and_video() -> Vec<String> {
    vec!["Audio".into(), "Video".into()]
}

/// Every server's devices unless its scenario says otherwise: a TV that plays video only (so
/// a "cannot play this kind of media" refusal can be seen) and a phone that plays both.
pub fn default_devices() -> Vec<DeviceConfig> {
    vec![
        DeviceConfig {
            name: "Living Room TV".into(),
            client: "Emby Theater".into(),
            version: default_app_version(),
            media_types: vec!["Video".into()],
            user: None,
        },
        DeviceConfig {
            name: "Phone".into(),
            client: "Emby for Android".into(),
            version: "3.4.20".into(),
            media_types: audio_and_video(),
            user: None,
        },
    ]
}

/// One movie or series of a server's library with a given name, year and provider ids instead of
/// made-up ones. Titles on several servers that carry the same provider ids are the same film or
/// series, as a client matching by provider ids sees them (their names and years may differ);
/// a title with a name but no provider ids keeps its own made-up ids, so two titles of the same
/// name on two servers are different films.
///
/// ```toml
/// [[servers.titles]]
/// movie = 119            # the 120th movie of this server (or `series = N`)
/// name = "The Long Night"
/// year = 2019
/// imdb = "tt7000001"     # any of imdb, tmdb, tvdb
/// ```
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TitleConfig {
    /// Which movie (0-based index in the library).
    #[serde(default)]
    pub movie: Option<u32>,
    /// Which series (0-based index in the library).
    #[serde(default)]
    pub series: Option<u32>,
    /// Its `Name` (the made-up one when absent).
    #[serde(default)]
    pub name: Option<String>,
    /// Its `ProductionYear` (the made-up one when absent).
    #[serde(default)]
    pub year: Option<i32>,
    /// `ProviderIds.Imdb`.
    #[serde(default)]
    pub imdb: Option<String>,
    /// `ProviderIds.Tmdb`.
    #[serde(default)]
    pub tmdb: Option<String>,
    /// `ProviderIds.Tvdb`.
    #[serde(default)]
    pub tvdb: Option<String>,
}

impl TitleConfig {
    /// The provider ids it gives, as (provider name, id); empty when it gives none.
    pub fn provider_ids(&self) -> Vec<(&'static str, &str)> {
        [
            ("Imdb", &self.imdb),
            ("Tmdb", &self.tmdb),
            ("Tvdb", &self.tvdb),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.as_deref()?)))
        .collect()
    }
}

fn default_version() -> String {
    "4.8.11.0".to_string()
}

fn yes() -> bool {
    true
}

/// Faults of the two addresses of a server.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerFaults {
    /// Faults of the LocalAddress listener.
    pub local: Fault,
    /// Faults of the remote Url listener.
    pub remote: Fault,
}

/// Sizes of the synthetic library.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct LibraryConfig {
    /// Number of movies.
    pub movies: u32,
    /// Number of series.
    pub series: u32,
    /// Seasons per series.
    pub seasons: u16,
    /// Episodes per season.
    pub episodes: u16,
    /// Music albums.
    pub albums: u32,
    /// Tracks per album.
    pub tracks: u16,
}

impl Default for LibraryConfig {
    fn default() -> Self {
        LibraryConfig {
            movies: 20,
            series: 4,
            seasons: 2,
            episodes: 6,
            albums: 6,
            tracks: 8,
        }
    }
}

impl LibraryConfig {
    /// Number of items below the views (movies, series, seasons, episodes, albums, tracks).
    pub fn total_items(&self) -> u64 {
        let series = u64::from(self.series);
        let seasons = series * u64::from(self.seasons);
        let episodes = seasons * u64::from(self.episodes);
        let albums = u64::from(self.albums);
        let tracks = albums * u64::from(self.tracks);
        u64::from(self.movies) + series + seasons + episodes + albums + tracks
    }
}

/// How a local user is tied to a Connect account.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub enum LinkType {
    /// The Connect user owns this local user (`UserType` "Linked").
    Linked,
    /// A guest share (`UserType` "Guest").
    Guest,
}

/// A local user account on one server.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalUserConfig {
    /// User name for AuthenticateByName.
    pub name: String,
    /// Plain password; empty means no password.
    #[serde(default)]
    pub password: String,
    /// Administrator (may call the Connect link endpoints).
    #[serde(default)]
    pub admin: bool,
    /// Hidden from `/Users/Public` (Connect guests are hidden on real servers).
    #[serde(default)]
    pub hidden: bool,
    /// Name or e-mail of the Connect user linked to this local user.
    #[serde(default)]
    pub connect: Option<String>,
    /// Kind of the Connect link.
    #[serde(default = "linked")]
    pub link: LinkType,
    /// The link is an invitation the Connect user has not accepted yet.
    #[serde(default)]
    pub pending: bool,
}

fn linked() -> LinkType {
    LinkType::Linked
}

impl std::fmt::Debug for LocalUserConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalUserConfig")
            .field("name", &self.name)
            .field("admin", &self.admin)
            .field("connect", &self.connect)
            .field("link", &self.link)
            .field("pending", &self.pending)
            .finish_non_exhaustive()
    }
}

impl ServerConfig {
    /// Whether the server answers `POST /Connect/Invite` and `DELETE /Connect/Pending`.
    pub fn has_connect_invite(&self) -> bool {
        self.connect_invite
            .unwrap_or_else(|| version_before(&self.version, (4, 7)))
    }

    /// The server id: the fixed one (lower-cased) or one derived from the name.
    pub fn server_id(&self) -> String {
        match &self.id {
            Some(id) => id.to_ascii_lowercase(),
            None => ids::derive_id(&["server", &self.name]),
        }
    }
}

/// Whether a dotted version (`4.6.7.0`) is before `major.minor`; unreadable versions are not.
pub fn version_before(version: &str, (major, minor): (u32, u32)) -> bool {
    let mut parts = version.split('.').map(|p| p.trim().parse::<u32>());
    match (parts.next(), parts.next()) {
        (Some(Ok(a)), Some(Ok(b))) => (a, b) < (major, minor),
        _ => false,
    }
}

impl Scenario {
    /// Parses and checks a scenario.
    pub fn from_toml_str(text: &str) -> anyhow::Result<Scenario> {
        let scenario: Scenario = toml::from_str(text).context("scenario is not valid")?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Reads, parses and checks a scenario file.
    pub fn load(path: impl AsRef<Path>) -> anyhow::Result<Scenario> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read scenario {}", path.display()))?;
        Scenario::from_toml_str(&text).with_context(|| format!("in scenario {}", path.display()))
    }

    /// The Connect user whose name or e-mail is `who` (case-insensitive).
    pub fn connect_user(&self, who: &str) -> Option<&ConnectUserConfig> {
        self.connect
            .users
            .iter()
            .find(|u| u.name.eq_ignore_ascii_case(who) || u.email.eq_ignore_ascii_case(who))
    }

    fn validate(&self) -> anyhow::Result<()> {
        let mut names = HashSet::new();
        for u in &self.connect.users {
            if u.name.trim().is_empty() {
                bail!("a Connect user has an empty name");
            }
            if !names.insert(u.name.to_ascii_lowercase())
                || !names.insert(u.email.to_ascii_lowercase())
            {
                bail!("Connect user name or e-mail {:?} is used twice", u.name);
            }
        }
        let mut server_names = HashSet::new();
        let mut server_ids = HashSet::new();
        for s in &self.servers {
            if !server_names.insert(s.name.to_ascii_lowercase()) {
                bail!("server name {:?} is used twice", s.name);
            }
            if let Some(id) = &s.id
                && !ids::is_hex32(id)
            {
                bail!(
                    "server {:?}: id must be 32 hex digits, got {:?}",
                    s.name,
                    id
                );
            }
            if !server_ids.insert(s.server_id()) {
                bail!("server {:?}: id is used twice", s.name);
            }
            if !s.version.starts_with("4.") {
                bail!(
                    "server {:?}: version must be 4.x (clients refuse others), got {:?}",
                    s.name,
                    s.version
                );
            }
            if s.library.series > 0 && (s.library.seasons == 0 || s.library.episodes == 0) {
                bail!(
                    "server {:?}: series need at least one season and one episode",
                    s.name
                );
            }
            validate_titles(s)?;
            let mut user_names = HashSet::new();
            let mut linked = HashSet::new();
            for u in &s.users {
                if !user_names.insert(u.name.to_ascii_lowercase()) {
                    bail!("server {:?}: user {:?} is listed twice", s.name, u.name);
                }
                if let Some(who) = &u.connect {
                    let Some(cu) = self.connect_user(who) else {
                        bail!(
                            "server {:?}, user {:?}: no Connect user {:?}",
                            s.name,
                            u.name,
                            who
                        );
                    };
                    if !linked.insert(cu.name.to_ascii_lowercase()) {
                        bail!(
                            "server {:?}: Connect user {:?} is linked to two local users",
                            s.name,
                            cu.name
                        );
                    }
                }
            }
        }
        Ok(())
    }
}

fn validate_titles(s: &ServerConfig) -> anyhow::Result<()> {
    let mut seen = HashSet::new();
    for t in &s.titles {
        let (what, index, count) = match (t.movie, t.series) {
            (Some(i), None) => ("movie", i, s.library.movies),
            (None, Some(i)) => ("series", i, s.library.series),
            _ => bail!(
                "server {:?}: a title names exactly one of `movie` or `series`",
                s.name
            ),
        };
        if index >= count {
            bail!(
                "server {:?}: title {what} = {index}, but the library has {count} {what}",
                s.name
            );
        }
        if !seen.insert((what, index)) {
            bail!("server {:?}: {what} {index} has two titles", s.name);
        }
        if t.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            bail!(
                "server {:?}: the title of {what} {index} has an empty name",
                s.name
            );
        }
        for (provider, id) in t.provider_ids() {
            if id.trim().is_empty() {
                bail!(
                    "server {:?}: the {provider} id of {what} {index} is empty",
                    s.name
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_rejected_with_its_name() {
        let err =
            Scenario::from_toml_str("[[servers]]\nname = \"a\"\ncolour = \"red\"\n").unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("colour"), "{text}");
    }

    #[test]
    fn unknown_fault_is_rejected() {
        let err = Scenario::from_toml_str(
            "[[servers]]\nname = \"a\"\n[servers.faults.local]\nexplode = true\n",
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("explode"));
    }

    #[test]
    fn link_to_missing_connect_user_is_rejected() {
        let text =
            "[[servers]]\nname = \"a\"\n[[servers.users]]\nname = \"u\"\nconnect = \"ghost\"\n";
        let err = Scenario::from_toml_str(text).unwrap_err();
        assert!(format!("{err:#}").contains("ghost"));
    }

    #[test]
    fn version_must_be_4x() {
        let err = Scenario::from_toml_str("[[servers]]\nname = \"a\"\nversion = \"10.8.0\"\n")
            .unwrap_err();
        assert!(format!("{err:#}").contains("4.x"));
    }

    #[test]
    fn titles_must_name_one_existing_item_once() {
        let base = "[[servers]]\nname = \"a\"\nlibrary = { movies = 3, series = 1 }\n";
        let ok = format!("{base}[[servers.titles]]\nmovie = 2\nname = \"X\"\nimdb = \"tt1\"\n");
        let s = Scenario::from_toml_str(&ok).unwrap();
        assert_eq!(s.servers[0].titles[0].provider_ids(), vec![("Imdb", "tt1")]);
        for (bad, says) in [
            ("[[servers.titles]]\nmovie = 3\n", "has 3 movie"),
            ("[[servers.titles]]\nmovie = 1\nseries = 0\n", "exactly one"),
            ("[[servers.titles]]\nname = \"X\"\n", "exactly one"),
            (
                "[[servers.titles]]\nseries = 0\n[[servers.titles]]\nseries = 0\n",
                "two titles",
            ),
            ("[[servers.titles]]\nmovie = 0\ntmdb = \" \"\n", "empty"),
            ("[[servers.titles]]\nmovie = 0\ncolour = 1\n", "colour"),
        ] {
            let err = Scenario::from_toml_str(&format!("{base}{bad}")).unwrap_err();
            assert!(format!("{err:#}").contains(says), "{bad}: {err:#}");
        }
    }

    #[test]
    fn server_id_is_derived_from_the_name_when_absent() {
        let s = Scenario::from_toml_str("[[servers]]\nname = \"a\"\n[[servers]]\nname = \"b\"\nid = \"ABCDEF0123456789ABCDEF0123456789\"\n").unwrap();
        assert_eq!(s.servers[0].server_id(), ids::derive_id(&["server", "a"]));
        assert_eq!(s.servers[1].server_id(), "abcdef0123456789abcdef0123456789");
    }

    #[test]
    fn guest_invitations_follow_the_version_unless_the_scenario_says() {
        let s = Scenario::from_toml_str(
            "[[servers]]\nname = \"old\"\nversion = \"4.6.7.0\"\n\
             [[servers]]\nname = \"new\"\nversion = \"4.8.11.0\"\n\
             [[servers]]\nname = \"forced\"\nversion = \"4.8.11.0\"\nconnect_invite = true\n",
        )
        .unwrap();
        let has: Vec<bool> = s.servers.iter().map(|c| c.has_connect_invite()).collect();
        assert_eq!(has, [true, false, true]);
        assert!(version_before("4.6.9.9", (4, 7)));
        assert!(!version_before("4.7.0.0", (4, 7)));
        assert!(!version_before("garbage", (4, 7)));
    }
}
