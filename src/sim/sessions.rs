//! Sessions of a simulated server: controllable fake devices (an Emby Theater on the living-room
//! TV, Emby for Android on a phone) that take Play and Playstate commands and play on their own
//! clock, and what each signed-in client reported it plays (`/Sessions/Playing…`).
//!
//! A device plays like a real app: its position advances with the tokio clock (so paused-clock
//! tests move it), it goes on to the next item of its queue at the end of one, and whenever it
//! leaves an item (stop, next, a new Play, the end) it "reports Stopped" for its user, which
//! updates that user's resume position or played mark by the server's rules.

use std::collections::HashMap;

use tokio::time::Instant;

use super::ids;
use super::library::userdata::UserDataStore;
use super::library::{ItemRef, Library, names};
use super::scenario::DeviceConfig;

/// A device's place in what it plays.
#[derive(Clone, Debug)]
pub struct DevicePlaying {
    /// What it was told to play (an episode brings the rest of its season, a track its album).
    pub queue: Vec<ItemRef>,
    pub index: usize,
    /// The position at `since` (ticks).
    pub base_ticks: i64,
    pub since: Instant,
    pub paused: bool,
}

impl DevicePlaying {
    pub fn item(&self) -> ItemRef {
        self.queue[self.index]
    }

    /// The position now, ticks.
    pub fn position(&self) -> i64 {
        if self.paused {
            self.base_ticks
        } else {
            let elapsed = i64::try_from(self.since.elapsed().as_nanos() / 100).unwrap_or(i64::MAX);
            self.base_ticks.saturating_add(elapsed)
        }
    }

    fn restart_at(&mut self, ticks: i64) {
        self.base_ticks = ticks.max(0);
        self.since = Instant::now();
    }
}

/// A controllable fake device.
#[derive(Clone, Debug)]
pub struct Device {
    pub session_id: String,
    pub device_id: String,
    pub name: String,
    pub client: String,
    pub version: String,
    /// The local user it is signed in as (None: a shared device).
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    /// What it can play: `Audio`, `Video`.
    pub media_types: Vec<String>,
    pub playing: Option<DevicePlaying>,
    /// When it last did something (seconds since the epoch).
    pub last_activity: i64,
}

/// What a signed-in client (by token) told the server.
#[derive(Clone, Debug, Default)]
pub struct ClientState {
    /// The app, its version and the device name, as its requests said them.
    pub client: String,
    pub version: String,
    pub device_name: String,
    /// It said it takes remote control (`/Sessions/Capabilities…` with SupportsMediaControl).
    pub supports_media_control: bool,
    pub playable_media_types: Vec<String>,
    /// What it reported it plays.
    pub playing: Option<Reported>,
    pub last_activity: i64,
}

/// A playback a client reported.
#[derive(Clone, Debug)]
pub struct Reported {
    pub item: ItemRef,
    pub position_ticks: i64,
    pub paused: bool,
    pub media_source_id: Option<String>,
    pub play_method: Option<String>,
}

/// Sessions of one server.
#[derive(Default)]
pub struct Sessions {
    pub devices: Vec<Device>,
    /// By token.
    pub clients: HashMap<String, ClientState>,
}

impl Sessions {
    /// The devices of a server from its scenario; `users` are (id, name) of its local users.
    pub fn new(server_id: &str, devices: &[DeviceConfig], users: &[(String, String)]) -> Sessions {
        let devices = devices
            .iter()
            .map(|d| {
                let user = match &d.user {
                    Some(name) => users.iter().find(|(_, n)| n.eq_ignore_ascii_case(name)),
                    None => users.first(),
                };
                Device {
                    session_id: ids::derive_id(&["session", server_id, &d.name]),
                    device_id: ids::derive_id(&["device", server_id, &d.name]),
                    name: d.name.clone(),
                    client: d.client.clone(),
                    version: d.version.clone(),
                    user_id: user.map(|(id, _)| id.clone()),
                    user_name: user.map(|(_, n)| n.clone()),
                    media_types: d.media_types.clone(),
                    playing: None,
                    last_activity: names::now_secs(),
                }
            })
            .collect();
        Sessions {
            devices,
            clients: HashMap::new(),
        }
    }
}

/// The queue a Play of `items` makes: one episode brings the rest of its season, one track the
/// rest of its album (what a real server does with next-episode auto-play on).
pub fn queue_of(lib: &Library, items: &[ItemRef]) -> Vec<ItemRef> {
    let mut out = Vec::new();
    for item in items {
        if item.is_playable() {
            out.push(*item);
        } else {
            out.extend(lib.descendants(*item, &|k| {
                matches!(
                    k,
                    super::library::Kind::Movie
                        | super::library::Kind::Episode
                        | super::library::Kind::Track
                )
            }));
        }
    }
    if let [only] = out.as_slice() {
        let only = *only;
        if let Some(parent) = lib.parent(only)
            && matches!(only, ItemRef::Episode(..) | ItemRef::Track(..))
        {
            let siblings = lib.children(parent);
            if let Some(at) = siblings.iter().position(|s| *s == only) {
                out = siblings[at..].to_vec();
            }
        }
    }
    out
}

impl Device {
    /// Moves on through the queue by the clock: an item that reached its end is reported played
    /// and the next one starts (where the last one's time ran over); the queue's end stops it.
    pub fn advance(&mut self, lib: &Library, data: &mut UserDataStore, user: &str) {
        loop {
            let Some(p) = &mut self.playing else { return };
            let item = p.item();
            let runtime = names::runtime_ticks(lib, item).unwrap_or(0);
            let pos = p.position();
            if pos < runtime {
                return;
            }
            data.playback_stopped(lib, user, item, Some(runtime), names::now_secs());
            let over = pos - runtime;
            if p.index + 1 < p.queue.len() {
                p.index += 1;
                p.base_ticks = 0;
                p.since = Instant::now()
                    - std::time::Duration::from_nanos((over as u64).saturating_mul(100));
            } else {
                self.playing = None;
            }
        }
    }

    /// Leaves the item it plays, reporting it stopped where it is.
    fn leave(&mut self, lib: &Library, data: &mut UserDataStore, user: &str) {
        if let Some(p) = &self.playing {
            data.playback_stopped(lib, user, p.item(), Some(p.position()), names::now_secs());
        }
    }

    /// Starts `queue` at `start_ticks`.
    pub fn play(
        &mut self,
        lib: &Library,
        data: &mut UserDataStore,
        user: &str,
        queue: Vec<ItemRef>,
        start_ticks: i64,
    ) {
        self.leave(lib, data, user);
        self.playing = (!queue.is_empty()).then(|| DevicePlaying {
            queue,
            index: 0,
            base_ticks: start_ticks.max(0),
            since: Instant::now(),
            paused: false,
        });
        self.last_activity = names::now_secs();
    }

    /// A playstate command; Err with a message for a command it does not know.
    pub fn command(
        &mut self,
        lib: &Library,
        data: &mut UserDataStore,
        user: &str,
        command: &str,
        seek_ticks: Option<i64>,
    ) -> Result<(), String> {
        self.advance(lib, data, user);
        self.last_activity = names::now_secs();
        let command = command.to_ascii_lowercase();
        if command == "stop" {
            self.leave(lib, data, user);
            self.playing = None;
            return Ok(());
        }
        let Some(p) = &mut self.playing else {
            // nothing playing: the commands do nothing, as on a real app
            return match command.as_str() {
                "pause" | "unpause" | "playpause" | "nexttrack" | "previoustrack" | "seek"
                | "rewind" | "fastforward" => Ok(()),
                other => Err(format!("Unknown playstate command {other}.")),
            };
        };
        let runtime = names::runtime_ticks(lib, p.item()).unwrap_or(0);
        let mut queue_ended = false;
        match command.as_str() {
            "pause" | "unpause" | "playpause" => {
                let pause = match command.as_str() {
                    "pause" => true,
                    "unpause" => false,
                    _ => !p.paused,
                };
                if pause != p.paused {
                    let pos = p.position();
                    p.paused = pause;
                    p.restart_at(pos);
                }
            }
            "seek" => {
                let Some(t) = seek_ticks else {
                    return Err("SeekPositionTicks is required.".into());
                };
                p.restart_at(t.clamp(0, runtime.saturating_sub(1).max(0)));
            }
            "rewind" | "fastforward" => {
                let step = 30 * 10_000_000 * if command == "rewind" { -1 } else { 1 };
                let to = (p.position() + step).clamp(0, runtime.saturating_sub(1).max(0));
                p.restart_at(to);
            }
            "nexttrack" => {
                let (item, pos) = (p.item(), p.position());
                data.playback_stopped(lib, user, item, Some(pos), names::now_secs());
                if p.index + 1 < p.queue.len() {
                    p.index += 1;
                    p.restart_at(0);
                } else {
                    queue_ended = true;
                }
            }
            "previoustrack" => {
                if p.position() > 5 * 10_000_000 || p.index == 0 {
                    p.restart_at(0);
                } else {
                    let (item, pos) = (p.item(), p.position());
                    data.playback_stopped(lib, user, item, Some(pos), names::now_secs());
                    p.index -= 1;
                    p.restart_at(0);
                }
            }
            other => return Err(format!("Unknown playstate command {other}.")),
        }
        if queue_ended {
            self.playing = None;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::{LibraryConfig, default_devices};

    fn world() -> (Library, UserDataStore, Device) {
        let lib = Library::new("0123456789abcdef0123456789abcdef", LibraryConfig::default());
        let sessions = Sessions::new(
            &lib.server_id,
            &default_devices(),
            &[("u1".into(), "demo".into())],
        );
        let tv = sessions.devices[0].clone();
        (lib, UserDataStore::default(), tv)
    }

    /// The device's clock is tokio's: paused here, it moves only when the test says.
    #[tokio::test(start_paused = true)]
    async fn a_device_plays_on_its_clock_goes_to_the_next_episode_and_reports_what_it_left() {
        let (lib, mut data, mut tv) = world();
        assert_eq!(tv.name, "Living Room TV");
        assert_eq!(tv.user_name.as_deref(), Some("demo"));
        let first = ItemRef::Episode(1, 0, 0);
        let queue = queue_of(&lib, &[first]);
        assert_eq!(
            queue.len(),
            usize::from(lib.cfg.episodes),
            "the rest of the season"
        );
        tv.play(&lib, &mut data, "u1", queue, 60 * 10_000_000);
        tokio::time::advance(std::time::Duration::from_secs(90)).await;
        assert_eq!(tv.playing.as_ref().unwrap().position(), 150 * 10_000_000);
        // pause: the clock moves, the position does not
        tv.command(&lib, &mut data, "u1", "Pause", None).unwrap();
        tokio::time::advance(std::time::Duration::from_secs(60)).await;
        assert_eq!(tv.playing.as_ref().unwrap().position(), 150 * 10_000_000);
        tv.command(&lib, &mut data, "u1", "Unpause", None).unwrap();
        // past the end of the first episode: it is played, the second one plays
        let runtime = names::runtime_ticks(&lib, first).unwrap();
        let left = u64::try_from((runtime - 150 * 10_000_000) / 10_000_000).unwrap() + 5;
        tokio::time::advance(std::time::Duration::from_secs(left)).await;
        tv.advance(&lib, &mut data, "u1");
        let p = tv.playing.as_ref().unwrap();
        assert_eq!(p.item(), ItemRef::Episode(1, 0, 1));
        assert_eq!(p.position(), 5 * 10_000_000);
        assert!(data.get(&lib, "u1", first).played);
        // seek, then stop: the user's resume position is where it stopped
        tv.command(&lib, &mut data, "u1", "Seek", Some(600 * 10_000_000))
            .unwrap();
        tv.command(&lib, &mut data, "u1", "Stop", None).unwrap();
        assert!(tv.playing.is_none());
        assert_eq!(
            data.get(&lib, "u1", ItemRef::Episode(1, 0, 1))
                .position_ticks,
            600 * 10_000_000
        );
        assert!(tv.command(&lib, &mut data, "u1", "Dance", None).is_err());
    }

    #[test]
    fn the_server_decides_played_from_where_playback_stopped() {
        let (lib, mut data, _) = world();
        let movie = ItemRef::Movie(2);
        let runtime = names::runtime_ticks(&lib, movie).unwrap();
        data.playback_stopped(&lib, "u", movie, Some(runtime / 100), 0);
        assert_eq!(
            data.get(&lib, "u", movie).position_ticks,
            0,
            "under 5 %: no resume"
        );
        data.playback_stopped(&lib, "u", movie, Some(runtime / 2), 0);
        assert_eq!(data.get(&lib, "u", movie).position_ticks, runtime / 2);
        assert!(!data.get(&lib, "u", movie).played);
        data.playback_stopped(&lib, "u", movie, Some(runtime * 95 / 100), 0);
        assert!(data.get(&lib, "u", movie).played, "past 90 %: played");
        assert_eq!(data.get(&lib, "u", movie).position_ticks, 0);
        let other = ItemRef::Movie(4);
        data.playback_stopped(&lib, "u", other, None, 0);
        assert!(data.get(&lib, "u", other).played, "no position: played");
        let track = ItemRef::Track(0, 0);
        data.playback_stopped(&lib, "u", track, Some(60 * 10_000_000), 0);
        assert!(data.get(&lib, "u", track).played, "shorter than 5 minutes");
    }
}
