//! The simulator's shared state: Connect accounts and tokens, PINs, server authorizations
//! (links and invitations), and per server its users, session tokens and user data.
//!
//! One mutex guards it all; every handler takes it briefly and never across an await.

use std::collections::HashMap;

use super::ids;
use super::library::Library;
use super::library::userdata::UserDataStore;
use super::scenario::{LinkType, Scenario, ServerConfig};
use super::sessions::Sessions;

/// A Connect account.
pub struct ConnectUser {
    /// Connect user id (a decimal string, like the real service's).
    pub id: String,
    /// User name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Plain password.
    pub password: String,
}

/// A share of a server with a Connect user (a link or a guest invitation).
pub struct Authorization {
    /// Index of the server in `World::servers`.
    pub server: usize,
    /// The Connect user.
    pub connect_user_id: String,
    /// The local user the share maps to.
    pub local_user_id: String,
    /// Linked or Guest.
    pub link: LinkType,
    /// False while the invitation waits for the Connect user.
    pub accepted: bool,
    /// The AccessKey a client exchanges at the server.
    pub access_key: String,
    /// For a guest invited through `/Connect/Invite`: what the guest may see. Its hidden local
    /// user is created when the invitation is accepted (as a real server does on its next sync).
    pub grant: Option<GuestGrant>,
}

impl Authorization {
    /// The id the server's pending list gives this authorization (`DELETE /Connect/Pending?Id=`).
    pub fn id(&self) -> String {
        ids::derive_id(&["authorization", &self.connect_user_id, &self.local_user_id])
    }
}

/// What a guest invited with `/Connect/Invite` may see.
#[derive(Clone, Debug, Default)]
pub struct GuestGrant {
    /// Library (view) ids not shared.
    pub excluded_libraries: Vec<String>,
    /// Live TV allowed.
    pub live_tv: bool,
    /// The guest's local user name (the Connect name, made unique on the server).
    pub local_name: String,
}

/// An invitation to an e-mail address that has no Connect account yet: when an account with
/// that address signs up, it becomes a waiting authorization (an invitation to accept).
pub struct SignUpInvite {
    /// The invited e-mail address.
    pub email: String,
    /// Index of the server in `World::servers`.
    pub server: usize,
    /// The local user the share maps to.
    pub local_user_id: String,
    /// Linked (an administrator linked a local user) or Guest (`/Connect/Invite`).
    pub link: LinkType,
    /// For a guest: what it may see.
    pub grant: Option<GuestGrant>,
}

/// A PIN of the PIN sign-in flow.
pub struct Pin {
    /// The PIN shown to the user.
    pub pin: String,
    /// The device that created it.
    pub device_id: String,
    /// When it was created (tokio clock, so paused-clock tests can expire it).
    pub created: tokio::time::Instant,
    /// The Connect user who confirmed it on the /pin page.
    pub confirmed_by: Option<String>,
    /// Already exchanged for a token.
    pub exchanged: bool,
    /// Expired by `Sim::expire_pins`.
    pub forced_expired: bool,
}

/// A local user of a server.
pub struct LocalUser {
    /// User id (32 hex).
    pub id: String,
    /// User name.
    pub name: String,
    /// Plain password ("" = none).
    pub password: String,
    /// Administrator.
    pub admin: bool,
    /// Hidden from /Users/Public.
    pub hidden: bool,
    /// Library (view) ids this user does not see (a Connect guest's unshared libraries).
    pub excluded_views: Vec<String>,
}

/// An issued session token.
pub struct Session {
    /// The local user.
    pub user_id: String,
    /// The device it was issued to.
    pub device_id: String,
    /// Revoked tokens get 401.
    pub revoked: bool,
}

/// One simulated server (real ones and their impostor twins).
pub struct ServerData {
    /// Server id.
    pub id: String,
    /// Server name.
    pub name: String,
    /// Version string.
    pub version: String,
    /// Connect's own id for this server's registration (`Id` in the Connect server list).
    pub connect_server_id: String,
    /// Base URLs of its two addresses.
    pub local_url: String,
    /// Remote Url.
    pub remote_url: String,
    /// The synthetic library.
    pub library: Library,
    /// Local users.
    pub users: Vec<LocalUser>,
    /// Issued tokens.
    pub sessions: HashMap<String, Session>,
    /// Played / favourite state.
    pub user_data: UserDataStore,
    /// Fake devices and what clients reported they play.
    pub play_sessions: Sessions,
}

impl ServerData {
    /// The local user with id `id` (any case).
    pub fn user(&self, id: &str) -> Option<&LocalUser> {
        self.users.iter().find(|u| u.id.eq_ignore_ascii_case(id))
    }

    /// Issues (or, for the same user and device, re-issues) a session token.
    pub fn issue_token(&mut self, user_id: &str, device_id: &str) -> String {
        if let Some((token, _)) = self
            .sessions
            .iter()
            .find(|(_, s)| !s.revoked && s.user_id == user_id && s.device_id == device_id)
        {
            return token.clone();
        }
        let token = ids::random_token();
        let session = Session {
            user_id: user_id.to_string(),
            device_id: device_id.to_string(),
            revoked: false,
        };
        self.sessions.insert(token.clone(), session);
        token
    }

    /// Every token issued so far gets 401 from now on.
    pub fn revoke_all(&mut self) {
        for s in self.sessions.values_mut() {
            s.revoked = true;
        }
    }
}

/// Everything mutable.
pub struct World {
    /// Connect accounts.
    pub connect_users: Vec<ConnectUser>,
    /// Connect access token → Connect user id.
    pub connect_tokens: HashMap<String, String>,
    /// PINs.
    pub pins: Vec<Pin>,
    /// Shares of servers with Connect users.
    pub auths: Vec<Authorization>,
    /// Servers: the real ones first (scenario order), then their impostor twins.
    pub servers: Vec<ServerData>,
    /// Invitations to e-mail addresses without a Connect account yet.
    pub signup_invites: Vec<SignUpInvite>,
    /// Sign-up asks for a browser step (a captcha) instead of creating the account.
    pub signup_captcha: bool,
}

/// The Connect user id of `name`: a stable decimal string.
pub fn connect_user_id(name: &str) -> String {
    (ids::hash64(11, &["connect-user", &name.to_ascii_lowercase()]) % 90_000_000 + 10_000_000)
        .to_string()
}

fn server_data(cfg: &ServerConfig, id: String, name: String, urls: (String, String)) -> ServerData {
    let users: Vec<LocalUser> = cfg
        .users
        .iter()
        .map(|u| LocalUser {
            id: ids::derive_id(&["user", &id, &u.name.to_ascii_lowercase()]),
            name: u.name.clone(),
            password: u.password.clone(),
            admin: u.admin,
            hidden: u.hidden,
            excluded_views: Vec::new(),
        })
        .collect();
    let user_names: Vec<(String, String)> = users
        .iter()
        .map(|u| (u.id.clone(), u.name.clone()))
        .collect();
    let play_sessions = Sessions::new(&id, &cfg.devices, &user_names);
    ServerData {
        play_sessions,
        connect_server_id: (ids::hash64(12, &["connect-server", &id]) % 9_000_000 + 1_000_000)
            .to_string(),
        library: Library::with_titles(&id, cfg.library, &cfg.titles),
        id,
        name,
        version: cfg.version.clone(),
        local_url: urls.0,
        remote_url: urls.1,
        users,
        sessions: HashMap::new(),
        user_data: UserDataStore::default(),
    }
}

impl World {
    /// Builds the world of `scenario`; `urls[i]` are the (local, remote) base URLs of server i.
    pub fn new(scenario: &Scenario, urls: &[(String, String)]) -> World {
        let connect_users = scenario
            .connect
            .users
            .iter()
            .map(|u| ConnectUser {
                id: connect_user_id(&u.name),
                name: u.name.clone(),
                email: u.email.clone(),
                password: u.password.clone(),
            })
            .collect();
        let mut servers = Vec::new();
        let mut auths = Vec::new();
        for (i, cfg) in scenario.servers.iter().enumerate() {
            let pair = urls.get(i).cloned().unwrap_or_default();
            let data = server_data(cfg, cfg.server_id(), cfg.name.clone(), pair);
            for (u, ucfg) in data.users.iter().zip(&cfg.users) {
                let Some(who) = &ucfg.connect else { continue };
                let Some(cu) = scenario.connect_user(who) else {
                    continue;
                };
                auths.push(Authorization {
                    server: i,
                    connect_user_id: connect_user_id(&cu.name),
                    local_user_id: u.id.clone(),
                    link: ucfg.link,
                    accepted: !ucfg.pending,
                    access_key: ids::random_token(),
                    grant: None,
                });
            }
            servers.push(data);
        }
        // impostor twins: same shape, another id and name
        for (i, cfg) in scenario.servers.iter().enumerate() {
            let pair = urls.get(i).cloned().unwrap_or_default();
            let id = ids::derive_id(&["impostor", &cfg.server_id()]);
            servers.push(server_data(
                cfg,
                id,
                format!("{} (impostor)", cfg.name),
                pair,
            ));
        }
        World {
            connect_users,
            connect_tokens: HashMap::new(),
            pins: Vec::new(),
            auths,
            servers,
            signup_invites: Vec::new(),
            signup_captcha: scenario.connect.signup_captcha,
        }
    }

    /// The Connect user whose name or e-mail is `who` (case-insensitive).
    pub fn connect_user_by_login(&self, who: &str) -> Option<&ConnectUser> {
        let who = who.trim();
        self.connect_users
            .iter()
            .find(|u| u.name.eq_ignore_ascii_case(who) || u.email.eq_ignore_ascii_case(who))
    }

    /// The Connect user with id `id`.
    pub fn connect_user(&self, id: &str) -> Option<&ConnectUser> {
        self.connect_users.iter().find(|u| u.id == id)
    }

    /// A new Connect account with a waiting invitation for every [`SignUpInvite`] to its e-mail.
    pub fn add_connect_user(&mut self, name: String, email: String, password: String) {
        let id = connect_user_id(&name);
        let (invites, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.signup_invites)
            .into_iter()
            .partition(|i| i.email.eq_ignore_ascii_case(email.trim()));
        self.signup_invites = rest;
        for i in invites {
            if self.auths.iter().any(|a| {
                a.server == i.server
                    && (a.connect_user_id == id || a.local_user_id == i.local_user_id)
            }) {
                continue; // linked meanwhile: the newer link stands
            }
            self.auths.push(Authorization {
                server: i.server,
                connect_user_id: id.clone(),
                local_user_id: i.local_user_id,
                link: i.link,
                accepted: false,
                access_key: ids::random_token(),
                grant: i.grant,
            });
        }
        self.connect_users.push(ConnectUser {
            id,
            name,
            email,
            password,
        });
    }

    /// An accepted guest invitation becomes a hidden local user of its server (a real server
    /// creates it on its next sync with Connect); nothing to do for links and known users.
    pub fn materialize_guest(&mut self, auth: usize) {
        let Some(a) = self.auths.get(auth) else {
            return;
        };
        let Some(grant) = a.grant.clone() else {
            return;
        };
        let (server, local_id) = (a.server, a.local_user_id.clone());
        let Some(s) = self.servers.get_mut(server) else {
            return;
        };
        if s.user(&local_id).is_some() {
            return;
        }
        s.users.push(LocalUser {
            id: local_id,
            name: grant.local_name.clone(),
            password: ids::random_token(),
            admin: false,
            hidden: true,
            excluded_views: grant.excluded_libraries.clone(),
        });
    }

    /// The Connect link of local user `user_id` on server `server`, if any.
    pub fn link_of(&self, server: usize, user_id: &str) -> Option<&Authorization> {
        self.auths
            .iter()
            .find(|a| a.server == server && a.local_user_id == user_id)
    }
}
