//! The connection manager: owns the saved state and one [`Session`] per ServerId; builds the
//! server list, reaches every server at once, signs in, and keeps sessions healthy in use.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::emby::connect::ConnectSession;
use crate::emby::models::{ConnectServer, PinCreationResult, PinStatusResult, PublicSystemInfo};
use crate::emby::server::SignedInClient;
use crate::emby::{
    self, ClientIdentity, ConnectClient, DiscoveryConfig, HttpClient, HttpConfig, Secret,
};

use super::address::{AddressError, normalize_address};
use super::race::RaceConfig;
use super::reach::{Auth, Connection, Reached, Reacher, VerifiedAddress};
use super::report::ServerReport;
use super::servers::{ConnectList, ConnectListing, DiscoveredEntry, build_server_list, same_id};
use super::store::{
    ConnectAccount, ConnectionMode, Credentials, CredentialsStore, LinkType, SavedServer, SetAside,
    StoreError, TokenSource,
};

/// Settings of the manager (from the command line, or from `--demo`).
#[derive(Debug, Clone)]
pub struct ManagerConfig {
    pub config_dir: PathBuf,
    pub connect_url: String,
    /// None: no LAN discovery.
    pub discovery: Option<DiscoveryConfig>,
    pub race: RaceConfig,
    pub http: HttpConfig,
    /// Servers reached at once (see [`super::limits::reaches_in_flight`]).
    pub reaches_in_flight: usize,
}

/// Where a session stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    SignedIn,
    SignInRequired(String),
    Unavailable(String),
}

/// One live server session: its own verified address, mode and token.
#[derive(Debug, Clone)]
pub struct Session {
    pub server_id: String,
    pub state: SessionState,
    pub verified: Option<VerifiedAddress>,
    pub latency: Option<Duration>,
    pub client: Option<SignedInClient>,
}

/// Why a manager operation failed, in a sentence a user can act on. Never carries a secret.
#[derive(Debug, thiserror::Error)]
pub enum ManagerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Emby(#[from] emby::Error),
    #[error(transparent)]
    Address(#[from] AddressError),
    #[error("not signed in to Emby Connect (sign in with `emby-tui connect login` or a PIN first)")]
    NotSignedInToConnect,
    #[error("Emby Connect did not accept that name or password")]
    ConnectRejected,
    #[error("the server did not accept that user name or password")]
    WrongPassword,
    #[error("no saved server has the Id {0}")]
    UnknownServer(String),
    #[error("no waiting invitation matches {0}")]
    UnknownInvitation(String),
    #[error("{name} is unavailable: {reason}")]
    Unavailable { name: String, reason: String },
    #[error("{name} needs a sign-in: {reason}")]
    SignInRequired { name: String, reason: String },
    #[error("the PIN expired before it was confirmed; ask for a new one")]
    PinExpired,
    #[error("{0}")]
    Other(String),
}

/// What the Connect list and LAN discovery said, gathered without touching saved state.
#[derive(Debug, Clone)]
pub struct Gathered {
    pub connect: ConnectList,
    pub connect_error: Option<String>,
    pub discovered: Vec<DiscoveredEntry>,
}

/// A signed-in session, detached from the manager so a request can run in its own task.
/// Its client only ever talks to the address verified for this server's Id.
#[derive(Debug, Clone)]
pub struct SessionHandle {
    pub server: SavedServer,
    pub connect_user_id: Option<String>,
    pub verified: VerifiedAddress,
    pub client: SignedInClient,
    reacher: Reacher,
}

/// The result of a call, and what the session learned on the way (re-exchanged, re-raced, signed out).
pub type CallOutcome<T> = (Result<T, ManagerError>, Option<Reached>);

impl SessionHandle {
    /// Run `f` with this session's client. A 401 on a Connect server triggers one re-exchange
    /// and a retry; on any other server it means "sign-in needed". A network error re-runs the
    /// race and, when `idempotent`, retries once at the address that wins.
    pub async fn call<T, F, Fut>(&self, idempotent: bool, f: F) -> CallOutcome<T>
    where
        F: Fn(SignedInClient) -> Fut,
        Fut: Future<Output = Result<T, emby::Error>>,
    {
        let err = match f(self.client.clone()).await {
            Ok(v) => return (Ok(v), None),
            Err(e) => e,
        };
        let name = display_name(&self.server);
        if err.is_unauthorized() {
            let via_connect = self.server.exchange_token.is_some()
                && self.connect_user_id.is_some()
                && !self.server.signed_out;
            if via_connect {
                // Do not fall back to the token that was just refused.
                let mut snapshot = self.server.clone();
                snapshot.access_token = None;
                let auth = self
                    .reacher
                    .authenticate(&snapshot, &self.verified, self.connect_user_id.as_deref())
                    .await;
                return match auth {
                    Auth::SignedIn { client, .. } => {
                        let reached = self.reached_with(Auth::SignedIn {
                            client: client.clone(),
                            user_name: self.server.user_name.clone(),
                            via_connect: true,
                        });
                        (f(*client).await.map_err(ManagerError::from), Some(reached))
                    }
                    Auth::SignInRequired { reason, .. } | Auth::Failed { reason } => {
                        // The refused token goes; the re-exchange gave nothing in its place.
                        let reached = self.reached_with(Auth::SignInRequired {
                            reason: reason.clone(),
                            drop_token: true,
                        });
                        (
                            Err(ManagerError::SignInRequired { name, reason }),
                            Some(reached),
                        )
                    }
                };
            }
            let reason =
                "the server no longer accepts the saved sign-in; sign in again".to_string();
            let reached = self.reached_with(Auth::SignInRequired {
                reason: reason.clone(),
                drop_token: true,
            });
            return (
                Err(ManagerError::SignInRequired { name, reason }),
                Some(reached),
            );
        }
        if err.is_network() {
            tracing::info!(server = %self.server.id, error = %err, "request failed on the network; racing the addresses again");
            let reached = self
                .reacher
                .reach(self.server.clone(), self.connect_user_id.clone())
                .await;
            let retry = match &reached.outcome {
                Ok(Connection {
                    auth: Auth::SignedIn { client, .. },
                    ..
                }) if idempotent => Some(client.clone()),
                _ => None,
            };
            return match retry {
                Some(client) => (f(*client).await.map_err(ManagerError::from), Some(reached)),
                None => (Err(err.into()), Some(reached)),
            };
        }
        (Err(err.into()), None)
    }

    fn reached_with(&self, auth: Auth) -> Reached {
        Reached {
            server_id: self.server.id.clone(),
            outcome: Ok(Connection {
                verified: self.verified.clone(),
                latency: Duration::ZERO,
                info: Default::default(),
                auth,
            }),
        }
    }
}

/// What an address said when it was probed to be added: who it is and its public users.
#[derive(Debug, Clone, PartialEq)]
pub struct Probed {
    pub id: String,
    pub name: String,
    /// The normalised address.
    pub address: String,
    pub latency: Duration,
    /// Names of the users the server lists publicly (to pick from at sign-in).
    pub users: Vec<String>,
}

/// The connection manager.
pub struct ConnectionManager {
    store: CredentialsStore,
    creds: Credentials,
    connect: ConnectClient,
    reacher: Reacher,
    discovery: Option<DiscoveryConfig>,
    sessions: HashMap<String, Session>,
    notices: Vec<String>,
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn key(id: &str) -> String {
    id.to_ascii_lowercase()
}

fn display_name(s: &SavedServer) -> String {
    if s.name.trim().is_empty() {
        s.id.clone()
    } else {
        s.name.clone()
    }
}

fn device_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "emby-tui".to_string())
}

/// The LAN URL of a discovered server: the reply's scheme, port and path, at the IP the reply came
/// from (protocol.md §4), without the reference clients' loss of https, path and IPv6.
pub fn discovered_url(address: &str, from: SocketAddr) -> String {
    match url::Url::parse(address) {
        Ok(mut u) if u.host_str().is_some() => {
            if u.set_ip_host(from.ip()).is_err() {
                return address.to_string();
            }
            u.to_string().trim_end_matches('/').to_string()
        }
        _ => format!("http://{}", from),
    }
}

impl ConnectionManager {
    /// Load the saved state (a corrupt file is set aside and reported through [`Self::take_notices`]).
    pub fn open(cfg: ManagerConfig) -> Result<Self, ManagerError> {
        super::files::create_private_dir(&cfg.config_dir).map_err(|source| StoreError::Write {
            path: cfg.config_dir.clone(),
            source,
        })?;
        let mut store = CredentialsStore::new(&cfg.config_dir);
        let (creds, aside) = store.load()?;
        let notices: Vec<String> = aside.iter().map(SetAside::to_string).collect();
        let device_id = super::files::device_id(&cfg.config_dir).map_err(|e| {
            ManagerError::Other(format!(
                "cannot keep the device id in {}: {e}",
                cfg.config_dir.display()
            ))
        })?;
        let identity = ClientIdentity::new(device_name(), device_id);
        let http = HttpClient::new(cfg.http.clone())?;
        let connect = ConnectClient::with_base_url(http.clone(), &identity, &cfg.connect_url)?;
        Ok(ConnectionManager {
            store,
            creds,
            connect,
            reacher: Reacher::new(http, identity, cfg.race, cfg.reaches_in_flight),
            discovery: cfg.discovery,
            sessions: HashMap::new(),
            notices,
        })
    }

    /// Messages for the user that arose while loading (e.g. a credentials file set aside).
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    pub fn credentials(&self) -> &Credentials {
        &self.creds
    }

    pub fn identity(&self) -> &ClientIdentity {
        &self.reacher.identity
    }

    pub fn session(&self, server_id: &str) -> Option<&Session> {
        self.sessions.get(&key(server_id))
    }

    /// Save, merged with what other emby-tui processes saved meanwhile (see
    /// [`CredentialsStore::save`]); adopt the merged state and drop sessions it no longer backs.
    fn save(&mut self) -> Result<(), ManagerError> {
        let (merged, aside) = self.store.save(&self.creds)?;
        if let Some(aside) = aside {
            self.notices.push(aside.to_string());
        }
        self.creds = merged;
        self.reconcile_sessions();
        Ok(())
    }

    /// After a merge: a session whose server is gone is dropped; one whose token is no longer
    /// the saved one (signed out, or signed in anew, by another emby-tui) stops using it.
    fn reconcile_sessions(&mut self) {
        let servers = &self.creds.servers;
        self.sessions
            .retain(|k, _| servers.iter().any(|s| key(&s.id) == *k));
        for s in servers {
            let Some(sess) = self.sessions.get_mut(&key(&s.id)) else {
                continue;
            };
            let held = sess.client.as_ref().map(|c| c.token().clone());
            if held.is_some() && held != s.access_token {
                sess.client = None;
                sess.state = SessionState::SignInRequired(
                    "signed out by another emby-tui; reach it again to sign in".into(),
                );
            }
        }
    }

    fn saved(&self, server_id: &str) -> Option<&SavedServer> {
        self.creds
            .servers
            .iter()
            .find(|s| same_id(&s.id, server_id))
    }

    fn saved_mut(&mut self, server_id: &str) -> Option<&mut SavedServer> {
        self.creds
            .servers
            .iter_mut()
            .find(|s| same_id(&s.id, server_id))
    }

    fn connect_session(&self) -> Option<ConnectSession> {
        self.creds.connect.as_ref().map(|c| {
            self.connect
                .session(c.user_id.clone(), c.access_token.clone())
        })
    }

    fn connect_user_id(&self) -> Option<String> {
        self.creds.connect.as_ref().map(|c| c.user_id.clone())
    }

    // ---- Emby Connect account ----

    fn set_connect_account(&mut self, account: ConnectAccount) -> Result<(), ManagerError> {
        if self
            .creds
            .connect
            .as_ref()
            .is_some_and(|old| old.user_id != account.user_id)
        {
            // AccessKeys and exchanged tokens belonged to the other Connect user.
            self.forget_connect_servers();
        }
        self.creds.connect = Some(account);
        self.save()
    }

    /// Password sign-in to Emby Connect. Returns the Connect user name.
    pub async fn connect_sign_in(
        &mut self,
        name_or_email: &str,
        password: &Secret,
    ) -> Result<String, ManagerError> {
        let account = self.connect_sign_in_job(name_or_email, password).await?;
        self.apply_connect_account(account)
    }

    /// The network part of a Connect password sign-in, detached from the manager (the UI worker
    /// runs it in its own task); apply its result with [`Self::apply_connect_account`].
    pub fn connect_sign_in_job(
        &self,
        name_or_email: &str,
        password: &Secret,
    ) -> impl Future<Output = Result<ConnectAccount, ManagerError>> + Send + 'static {
        let connect = self.connect.clone();
        let name_or_email = name_or_email.to_string();
        let password = password.clone();
        async move {
            let result = connect
                .sign_in(&name_or_email, &password)
                .await
                .map_err(|e| {
                    if e.is_unauthorized() || e.is_not_found() || e.status() == Some(400) {
                        ManagerError::ConnectRejected
                    } else {
                        e.into()
                    }
                })?;
            let user_name = result
                .user
                .as_ref()
                .and_then(|u| u.name.clone())
                .unwrap_or(name_or_email);
            Ok(ConnectAccount {
                user_id: result.user_id,
                user_name: Some(user_name),
                access_token: result.access_token,
            })
        }
    }

    /// Remember a Connect sign-in (from a password or a PIN) and save. Returns the user name.
    pub fn apply_connect_account(
        &mut self,
        account: ConnectAccount,
    ) -> Result<String, ManagerError> {
        let name = account
            .user_name
            .clone()
            .unwrap_or_else(|| "your Emby Connect account".into());
        self.set_connect_account(account)?;
        Ok(name)
    }

    /// A new PIN for this device.
    pub async fn pin_create(&self) -> Result<PinCreationResult, ManagerError> {
        self.pin_create_job().await
    }

    /// [`Self::pin_create`], detached from the manager.
    pub fn pin_create_job(
        &self,
    ) -> impl Future<Output = Result<PinCreationResult, ManagerError>> + Send + 'static {
        let connect = self.connect.clone();
        let device_id = self.reacher.identity.device_id.clone();
        async move { Ok(connect.create_pin(&device_id).await?) }
    }

    /// Whether the PIN was confirmed or expired. A 404 while polling means "not yet" (as Emby for UWP does).
    pub async fn pin_status(&self, pin: &str) -> Result<PinStatusResult, ManagerError> {
        self.pin_status_job(pin).await
    }

    /// [`Self::pin_status`], detached from the manager.
    pub fn pin_status_job(
        &self,
        pin: &str,
    ) -> impl Future<Output = Result<PinStatusResult, ManagerError>> + Send + 'static {
        let connect = self.connect.clone();
        let device_id = self.reacher.identity.device_id.clone();
        let pin = pin.to_string();
        async move {
            match connect.pin_status(&device_id, &pin).await {
                Ok(s) => Ok(s),
                Err(e) if e.is_not_found() => Ok(PinStatusResult {
                    pin: Some(pin),
                    is_confirmed: false,
                    is_expired: false,
                }),
                Err(e) => Err(e.into()),
            }
        }
    }

    /// Exchange a confirmed PIN for the Connect sign-in. Returns the Connect user name.
    pub async fn pin_finish(&mut self, pin: &str) -> Result<String, ManagerError> {
        let account = self.pin_finish_job(pin).await?;
        self.apply_connect_account(account)
    }

    /// The network part of [`Self::pin_finish`], detached from the manager; apply its result
    /// with [`Self::apply_connect_account`].
    pub fn pin_finish_job(
        &self,
        pin: &str,
    ) -> impl Future<Output = Result<ConnectAccount, ManagerError>> + Send + 'static {
        let connect = self.connect.clone();
        let device_id = self.reacher.identity.device_id.clone();
        let pin = pin.to_string();
        async move {
            let result = connect.exchange_pin(&device_id, &pin).await?;
            let (Some(user_id), Some(token)) = (result.user_id, result.access_token) else {
                return Err(ManagerError::Other(
                    "Emby Connect confirmed the PIN but sent no sign-in".into(),
                ));
            };
            let session = connect.session(user_id.clone(), token.clone());
            let user_name = session.user().await.ok().and_then(|u| u.name);
            Ok(ConnectAccount {
                user_id,
                user_name,
                access_token: token,
            })
        }
    }

    fn forget_connect_servers(&mut self) {
        for s in &mut self.creds.servers {
            let via_connect = s.token_via_connect();
            s.exchange_token = None;
            s.connect_server_id = None;
            s.link_type = None;
            if via_connect {
                // The token came from the exchange: it goes with the AccessKey.
                s.access_token = None;
                s.user_id = None;
                s.user_name = None;
                s.token_from = None;
            }
            if via_connect && let Some(sess) = self.sessions.get_mut(&key(&s.id)) {
                sess.client = None;
                sess.state = SessionState::SignInRequired("signed out of Emby Connect".into());
            }
        }
    }

    /// Sign out of Emby Connect: the Connect token and every AccessKey (and the tokens they gave)
    /// are forgotten; servers keep their addresses. The service is told, best effort.
    pub async fn connect_sign_out(&mut self) -> Result<bool, ManagerError> {
        match self.connect_sign_out_job()? {
            Some(tell_connect) => {
                tell_connect.await;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Sign out of Emby Connect now (forgotten and saved); the returned task tells the service,
    /// best effort, without holding the manager. None when no Connect user was signed in.
    pub fn connect_sign_out_job(
        &mut self,
    ) -> Result<Option<impl Future<Output = ()> + Send + 'static>, ManagerError> {
        let Some(session) = self.connect_session() else {
            return Ok(None);
        };
        self.creds.connect = None;
        self.forget_connect_servers();
        self.save()?;
        Ok(Some(async move {
            if let Err(e) = session.logout().await {
                tracing::info!(error = %e, "Connect logout call failed; the token is forgotten anyway");
            }
        }))
    }

    // ---- the server list ----

    /// Ask Connect for the server list and the LAN for servers, in parallel.
    pub async fn gather(&self) -> Gathered {
        self.gather_job().await
    }

    /// [`Self::gather`] detached from the manager, to run in its own task.
    pub fn gather_job(&self) -> impl Future<Output = Gathered> + Send + 'static {
        let connect_session = self.connect_session();
        let discovery = self.discovery.clone();
        async move { Self::gather_from(connect_session, discovery).await }
    }

    /// Only the Connect list, detached (the LAN is asked separately with [`Self::lan_job`], so
    /// the list does not wait for discovery to finish listening).
    pub fn connect_list_job(&self) -> impl Future<Output = Gathered> + Send + 'static {
        let connect_session = self.connect_session();
        async move { Self::gather_from(connect_session, None).await }
    }

    /// LAN discovery with the configured settings, detached (nothing when discovery is off).
    /// Apply with [`Self::apply_gathered`] and [`ConnectList::NotSignedIn`], which drops nothing.
    pub fn lan_job(&self) -> impl Future<Output = Vec<DiscoveredEntry>> + Send + 'static {
        let discovery = self.discovery.clone();
        async move {
            match discovery {
                None => Vec::new(),
                Some(_) => Self::gather_from(None, discovery).await.discovered,
            }
        }
    }

    async fn gather_from(
        connect_session: Option<ConnectSession>,
        discovery: Option<DiscoveryConfig>,
    ) -> Gathered {
        let connect = async {
            let Some(session) = connect_session else {
                return (ConnectList::NotSignedIn, None);
            };
            match session.servers().await {
                Ok(list) => (
                    ConnectList::Listed(list.iter().filter_map(listing).collect()),
                    None,
                ),
                Err(e) => {
                    let why = if e.is_unauthorized() {
                        "Emby Connect no longer accepts the saved sign-in; sign in again"
                            .to_string()
                    } else {
                        format!(
                            "the Emby Connect server list could not be fetched ({e}); saved servers are kept"
                        )
                    };
                    (ConnectList::Failed, Some(why))
                }
            }
        };
        let lan = async {
            let Some(cfg) = &discovery else {
                return Vec::new();
            };
            match discover_lan(cfg).await {
                Ok(found) => found,
                Err(e) => {
                    tracing::info!(error = %e, "LAN discovery failed");
                    Vec::new()
                }
            }
        };
        let ((connect, connect_error), discovered) = tokio::join!(connect, lan);
        Gathered {
            connect,
            connect_error,
            discovered,
        }
    }

    /// Merge what was gathered into the saved list and save it.
    pub fn apply_gathered(&mut self, g: &Gathered) -> Result<(), ManagerError> {
        self.creds.servers = build_server_list(&self.creds.servers, &g.discovered, &g.connect);
        self.sessions
            .retain(|k, _| self.creds.servers.iter().any(|s| key(&s.id) == *k));
        if let Some(why) = &g.connect_error {
            self.notices.push(why.clone());
        }
        self.save()
    }

    /// Snapshots to reach every saved server concurrently, each in its own task.
    pub fn reach_jobs(&self) -> Vec<(Reacher, SavedServer, Option<String>)> {
        let cuid = self.connect_user_id();
        self.creds
            .servers
            .iter()
            .map(|s| (self.reacher.clone(), s.clone(), cuid.clone()))
            .collect()
    }

    /// A snapshot to reach one saved server in its own task (None: no such server).
    pub fn reach_job(&self, server_id: &str) -> Option<(Reacher, SavedServer, Option<String>)> {
        let server = self.saved(server_id)?.clone();
        Some((self.reacher.clone(), server, self.connect_user_id()))
    }

    /// Apply the outcome of reaching one server: remember the winning mode and the token, update
    /// the session. Does not save (call [`Self::persist`] after a batch).
    pub fn apply_reached(&mut self, r: Reached) -> Option<ServerReport> {
        let k = key(&r.server_id);
        let saved = self
            .creds
            .servers
            .iter_mut()
            .find(|s| same_id(&s.id, &r.server_id))?;
        let session = match r.outcome {
            Ok(conn) => {
                saved.last_connection_mode = Some(conn.verified.mode);
                saved.date_last_accessed = now_ms();
                if let Some(n) = conn
                    .info
                    .server_name
                    .as_deref()
                    .filter(|n| !n.trim().is_empty())
                {
                    saved.name = n.to_string();
                }
                // Fill address gaps from what the server says of itself; never overwrite.
                if saved.local_address.is_none() {
                    saved.local_address = conn.info.local_address.clone().filter(|a| !a.is_empty());
                }
                if saved.remote_address.is_none() {
                    saved.remote_address = conn.info.wan_address.clone().filter(|a| !a.is_empty());
                }
                let (state, client) = match conn.auth {
                    Auth::SignedIn {
                        client,
                        user_name,
                        via_connect,
                    } => {
                        if via_connect {
                            saved.token_from = Some(TokenSource::Connect);
                        }
                        saved.access_token = Some(client.token().clone());
                        saved.user_id = Some(client.user_id().to_string());
                        if user_name.is_some() {
                            saved.user_name = user_name;
                        }
                        (SessionState::SignedIn, Some(*client))
                    }
                    Auth::SignInRequired { reason, drop_token } => {
                        if drop_token {
                            saved.access_token = None;
                            saved.user_id = None;
                        }
                        (SessionState::SignInRequired(reason), None)
                    }
                    Auth::Failed { reason } => (SessionState::Unavailable(reason), None),
                };
                let latency = if conn.latency.is_zero() {
                    self.sessions.get(&k).and_then(|s| s.latency)
                } else {
                    Some(conn.latency)
                };
                Session {
                    server_id: saved.id.clone(),
                    state,
                    verified: Some(conn.verified),
                    latency,
                    client,
                }
            }
            Err(failure) => Session {
                server_id: saved.id.clone(),
                state: SessionState::Unavailable(failure.to_string()),
                verified: None,
                latency: None,
                client: None,
            },
        };
        let report = ServerReport::new(saved, Some(&session));
        self.sessions.insert(k, session);
        Some(report)
    }

    /// Save the current state.
    pub fn persist(&mut self) -> Result<(), ManagerError> {
        self.save()
    }

    /// Every saved server with its session, in list order.
    pub fn reports(&self) -> Vec<ServerReport> {
        self.creds
            .servers
            .iter()
            .map(|s| ServerReport::new(s, self.sessions.get(&key(&s.id))))
            .collect()
    }

    /// Build the list, reach every server at once (nothing waits for the slowest beyond its own
    /// bounded race), sign in, save, and report.
    pub async fn refresh(&mut self) -> Result<Vec<ServerReport>, ManagerError> {
        let gathered = self.gather().await;
        self.apply_gathered(&gathered)?;
        let mut tasks = tokio::task::JoinSet::new();
        for (reacher, server, cuid) in self.reach_jobs() {
            tasks.spawn(async move { reacher.reach(server, cuid).await });
        }
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(reached) => {
                    self.apply_reached(reached);
                }
                Err(e) => tracing::warn!(error = %e, "a reach task failed"),
            }
        }
        self.save()?;
        Ok(self.reports())
    }

    /// Reach one saved server now (its own race), apply and save.
    pub async fn reach_one(&mut self, server_id: &str) -> Result<ServerReport, ManagerError> {
        let server = self
            .saved(server_id)
            .cloned()
            .ok_or_else(|| ManagerError::UnknownServer(server_id.into()))?;
        let reached = self.reacher.reach(server, self.connect_user_id()).await;
        let report = self
            .apply_reached(reached)
            .ok_or_else(|| ManagerError::UnknownServer(server_id.into()))?;
        self.save()?;
        Ok(report)
    }

    // ---- sessions in use ----

    /// A signed-in session for this server, reaching it first if needed.
    pub async fn ensure_session(&mut self, server_id: &str) -> Result<SessionHandle, ManagerError> {
        let live = self
            .sessions
            .get(&key(server_id))
            .is_some_and(|s| s.state == SessionState::SignedIn && s.client.is_some());
        if !live {
            self.reach_one(server_id).await?;
        }
        self.live_session(server_id)
    }

    /// The signed-in session of this server as it stands, without touching the network: an
    /// error saying why when it is not signed in now (see [`Self::reach_job`] to reach it).
    pub fn live_session(&self, server_id: &str) -> Result<SessionHandle, ManagerError> {
        let server = self
            .saved(server_id)
            .cloned()
            .ok_or_else(|| ManagerError::UnknownServer(server_id.into()))?;
        let name = display_name(&server);
        let Some(session) = self.sessions.get(&key(server_id)) else {
            return Err(ManagerError::Unavailable {
                name,
                reason: "not contacted yet".into(),
            });
        };
        match (&session.state, &session.client, &session.verified) {
            (SessionState::SignedIn, Some(client), Some(verified)) => Ok(SessionHandle {
                server,
                connect_user_id: self.connect_user_id(),
                verified: verified.clone(),
                client: client.clone(),
                reacher: self.reacher.clone(),
            }),
            (SessionState::SignInRequired(reason), _, _) => Err(ManagerError::SignInRequired {
                name,
                reason: reason.clone(),
            }),
            (SessionState::Unavailable(reason), _, _) => Err(ManagerError::Unavailable {
                name,
                reason: reason.clone(),
            }),
            _ => Err(ManagerError::Unavailable {
                name,
                reason: "not connected".into(),
            }),
        }
    }

    /// Apply what a detached call learned, and save if it changed anything.
    pub fn apply_call(&mut self, learned: Option<Reached>) -> Result<(), ManagerError> {
        if let Some(r) = learned {
            self.apply_reached(r);
            self.save()?;
        }
        Ok(())
    }

    /// Run a request through this server's own session (see [`SessionHandle::call`]).
    pub async fn call<T, F, Fut>(
        &mut self,
        server_id: &str,
        idempotent: bool,
        f: F,
    ) -> Result<T, ManagerError>
    where
        F: Fn(SignedInClient) -> Fut,
        Fut: Future<Output = Result<T, emby::Error>>,
    {
        let handle = self.ensure_session(server_id).await?;
        let (result, learned) = handle.call(idempotent, f).await;
        self.apply_call(learned)?;
        result
    }

    // ---- servers by address ----

    /// Add a server by address: normalise, probe, save it under the Id it reports (merged into an
    /// existing entry with that Id), sign in there if a token is held, and list its public users.
    pub async fn add_server(
        &mut self,
        input: &str,
    ) -> Result<(ServerReport, Vec<String>), ManagerError> {
        let address = normalize_address(input)?;
        let (verified, latency, info, id) = probe_typed_address(&self.reacher, &address).await?;
        let probed = Probed {
            id: id.clone(),
            name: info.server_name.clone().unwrap_or_default(),
            address,
            latency,
            users: public_user_names(&self.reacher, &verified).await,
        };
        self.merge_probed(&probed);
        let server = self
            .saved(&id)
            .cloned()
            .ok_or_else(|| ManagerError::UnknownServer(id.clone()))?;
        let auth = self
            .reacher
            .authenticate(&server, &verified, self.connect_user_id().as_deref())
            .await;
        let report = self
            .apply_reached(Reached {
                server_id: id.clone(),
                outcome: Ok(Connection {
                    verified,
                    latency,
                    info,
                    auth,
                }),
            })
            .ok_or(ManagerError::UnknownServer(id))?;
        self.save()?;
        Ok((report, probed.users))
    }

    /// The network part of adding a server by address, detached: normalise, probe, list its
    /// public users. Apply with [`Self::apply_probed`], then reach it with [`Self::reach_job`].
    pub fn probe_address_job(
        &self,
        input: &str,
    ) -> Result<impl Future<Output = Result<Probed, ManagerError>> + Send + 'static, ManagerError>
    {
        let address = normalize_address(input)?;
        let reacher = self.reacher.clone();
        Ok(async move {
            let (verified, latency, info, id) = probe_typed_address(&reacher, &address).await?;
            Ok(Probed {
                id,
                name: info.server_name.clone().unwrap_or_default(),
                address,
                latency,
                users: public_user_names(&reacher, &verified).await,
            })
        })
    }

    /// The names of the users a saved server lists publicly, asked at an address verified for
    /// its Id (nothing is saved), for the local sign-in picker.
    pub fn public_users_job(
        &self,
        server_id: &str,
    ) -> Result<
        impl Future<Output = Result<Vec<String>, ManagerError>> + Send + 'static,
        ManagerError,
    > {
        let server = self
            .saved(server_id)
            .cloned()
            .ok_or_else(|| ManagerError::UnknownServer(server_id.into()))?;
        let reacher = self.reacher.clone();
        Ok(async move {
            let (verified, _, _) = reacher.find(&server, Some(&server.id)).await.map_err(|f| {
                ManagerError::Unavailable {
                    name: display_name(&server),
                    reason: f.to_string(),
                }
            })?;
            let users = reacher
                .anonymous(verified.address, None)
                .public_users()
                .await?;
            Ok(users.into_iter().filter_map(|u| u.name).collect())
        })
    }

    /// Save a probed address under the Id it reported (merged into an existing entry with that Id).
    pub fn apply_probed(&mut self, probed: &Probed) -> Result<(), ManagerError> {
        self.merge_probed(probed);
        self.save()
    }

    fn merge_probed(&mut self, probed: &Probed) {
        let incoming = SavedServer {
            id: probed.id.clone(),
            name: probed.name.clone(),
            manual_address: Some(probed.address.clone()),
            last_connection_mode: Some(ConnectionMode::Manual),
            date_last_accessed: now_ms(),
            ..Default::default()
        };
        super::servers::add_or_update(&mut self.creds.servers, incoming);
    }

    /// Sign in to a saved server with a local user name and password (never stored).
    pub async fn sign_in_local(
        &mut self,
        server_id: &str,
        user: &str,
        password: &Secret,
    ) -> Result<ServerReport, ManagerError> {
        let reached = self
            .sign_in_local_job(server_id, user.to_string(), password.clone())?
            .await?;
        self.apply_sign_in_local(reached)
    }

    /// The network part of [`Self::sign_in_local`], detached: race to an address that proves it is
    /// this server, then `AuthenticateByName` there. Apply with [`Self::apply_sign_in_local`].
    pub fn sign_in_local_job(
        &self,
        server_id: &str,
        user: String,
        password: Secret,
    ) -> Result<impl Future<Output = Result<Reached, ManagerError>> + Send + 'static, ManagerError>
    {
        let server = self
            .saved(server_id)
            .cloned()
            .ok_or_else(|| ManagerError::UnknownServer(server_id.into()))?;
        let reacher = self.reacher.clone();
        Ok(async move {
            let name = display_name(&server);
            // The password goes only to an address that has just proved it is this server.
            let (verified, latency, info) =
                reacher.find(&server, Some(&server.id)).await.map_err(|f| {
                    ManagerError::Unavailable {
                        name: name.clone(),
                        reason: f.to_string(),
                    }
                })?;
            let anon = reacher.anonymous(verified.address.clone(), None);
            let (client, result) = anon.sign_in_by_name(&user, &password).await.map_err(|e| {
                if e.is_unauthorized() {
                    ManagerError::WrongPassword
                } else {
                    e.into()
                }
            })?;
            if let Some(other) = result
                .server_id
                .as_deref()
                .map(str::trim)
                .filter(|other| !other.is_empty() && !same_id(other, &server.id))
            {
                return Err(ManagerError::SignInRequired {
                    name,
                    reason: super::reach::wrong_server(other),
                });
            }
            let user_name = result
                .user
                .as_ref()
                .and_then(|u| u.name.clone())
                .or_else(|| Some(user.clone()));
            Ok(Reached {
                server_id: server.id.clone(),
                outcome: Ok(Connection {
                    verified,
                    latency,
                    info,
                    auth: Auth::SignedIn {
                        client: Box::new(client),
                        user_name,
                        via_connect: false,
                    },
                }),
            })
        })
    }

    /// Apply a local sign-in made by [`Self::sign_in_local_job`], and save.
    pub fn apply_sign_in_local(&mut self, reached: Reached) -> Result<ServerReport, ManagerError> {
        let id = reached.server_id.clone();
        if let Some(s) = self.saved_mut(&id) {
            s.signed_out = false;
            s.token_from = Some(TokenSource::Local);
        }
        let report = self
            .apply_reached(reached)
            .ok_or(ManagerError::UnknownServer(id))?;
        self.save()?;
        Ok(report)
    }

    /// Sign out of one server: the token is revoked there (best effort) and dropped; the server
    /// stays saved and is not signed in again through Connect until the user asks.
    pub async fn server_sign_out(&mut self, server_id: &str) -> Result<(), ManagerError> {
        self.server_sign_out_job(server_id)?.await;
        Ok(())
    }

    /// Sign out of one server now (token dropped, saved); the returned task revokes the token on
    /// the server, best effort, without holding the manager.
    pub fn server_sign_out_job(
        &mut self,
        server_id: &str,
    ) -> Result<impl Future<Output = ()> + Send + 'static, ManagerError> {
        let server = self
            .saved(server_id)
            .cloned()
            .ok_or_else(|| ManagerError::UnknownServer(server_id.into()))?;
        if let Some(s) = self.saved_mut(server_id) {
            s.access_token = None;
            s.user_id = None;
            s.user_name = None;
            s.signed_out = true;
        }
        if let Some(sess) = self.sessions.get_mut(&key(server_id)) {
            sess.client = None;
            sess.state = SessionState::SignInRequired("signed out".into());
        }
        self.save()?;
        let reacher = self.reacher.clone();
        Ok(async move {
            let (Some(token), Some(user_id)) = (&server.access_token, &server.user_id) else {
                return;
            };
            match reacher.find(&server, Some(&server.id)).await {
                Ok((verified, _, _)) => {
                    let anon = reacher.anonymous(verified.address, None);
                    if let Err(e) = anon
                        .with_token(user_id.clone(), token.clone())
                        .logout()
                        .await
                    {
                        tracing::info!(server = %server.id, error = %e, "server logout failed; the token is dropped anyway");
                    }
                }
                Err(f) => {
                    tracing::info!(server = %server.id, error = %f, "server unreachable at logout; the token is dropped anyway")
                }
            }
        })
    }

    /// Re-enable automatic sign-in through Emby Connect for a server signed out of earlier,
    /// without reaching it (reach it with [`Self::reach_job`]).
    pub fn allow_connect_sign_in(&mut self, server_id: &str) -> Result<(), ManagerError> {
        let s = self
            .saved_mut(server_id)
            .ok_or_else(|| ManagerError::UnknownServer(server_id.into()))?;
        s.signed_out = false;
        self.save()
    }

    /// Re-enable automatic sign-in through Emby Connect for a server signed out of earlier.
    pub async fn sign_in_with_connect(
        &mut self,
        server_id: &str,
    ) -> Result<ServerReport, ManagerError> {
        let s = self
            .saved_mut(server_id)
            .ok_or_else(|| ManagerError::UnknownServer(server_id.into()))?;
        s.signed_out = false;
        self.reach_one(server_id).await
    }

    /// Forget a saved server. Returns whether it came from Emby Connect (it will be listed again
    /// while Connect shares it).
    pub fn remove_server(&mut self, server_id: &str) -> Result<bool, ManagerError> {
        let pos = self
            .creds
            .servers
            .iter()
            .position(|s| same_id(&s.id, server_id))
            .ok_or_else(|| ManagerError::UnknownServer(server_id.into()))?;
        let removed = self.creds.servers.remove(pos);
        self.sessions.remove(&key(server_id));
        self.save()?;
        Ok(removed.exchange_token.is_some())
    }

    /// LAN discovery on its own.
    pub async fn discover(
        &self,
        listen_for: Duration,
    ) -> Result<Vec<DiscoveredEntry>, ManagerError> {
        self.discover_job(listen_for).await
    }

    /// Whether LAN discovery is on (off with `--no-discovery`).
    pub fn discovery_enabled(&self) -> bool {
        self.discovery.is_some()
    }

    /// LAN discovery on its own, detached from the manager (apply with [`Self::apply_gathered`]).
    pub fn discover_job(
        &self,
        listen_for: Duration,
    ) -> impl Future<Output = Result<Vec<DiscoveredEntry>, ManagerError>> + Send + 'static {
        let mut cfg = self.discovery.clone().unwrap_or_default();
        cfg.listen_for = listen_for;
        async move { Ok(discover_lan(&cfg).await?) }
    }

    // ---- invitations ----

    /// Invitations waiting for this Connect user.
    pub async fn invitations(&self) -> Result<Vec<ConnectServer>, ManagerError> {
        self.invitations_job()?.await
    }

    /// [`Self::invitations`] detached from the manager.
    pub fn invitations_job(
        &self,
    ) -> Result<
        impl Future<Output = Result<Vec<ConnectServer>, ManagerError>> + Send + 'static,
        ManagerError,
    > {
        let session = self
            .connect_session()
            .ok_or(ManagerError::NotSignedInToConnect)?;
        Ok(async move { Ok(session.invitations().await?) })
    }

    /// Accept an invitation (by server Id or Connect's id for it).
    pub async fn accept_invitation(&self, id: &str) -> Result<(), ManagerError> {
        self.answer_invitation_job(id, true)?.await
    }

    /// Reject an invitation.
    pub async fn reject_invitation(&self, id: &str) -> Result<(), ManagerError> {
        self.answer_invitation_job(id, false)?.await
    }

    /// Accept (`true`) or reject an invitation, detached from the manager.
    pub fn answer_invitation_job(
        &self,
        id: &str,
        accept: bool,
    ) -> Result<impl Future<Output = Result<(), ManagerError>> + Send + 'static, ManagerError> {
        let session = self
            .connect_session()
            .ok_or(ManagerError::NotSignedInToConnect)?;
        let id = id.to_string();
        Ok(async move {
            let waiting = session.invitations().await?;
            let found = waiting
                .iter()
                .find(|i| {
                    i.id.as_deref().is_some_and(|x| same_id(x, &id))
                        || i.system_id.as_deref().is_some_and(|x| same_id(x, &id))
                })
                .and_then(|i| i.id.clone())
                .ok_or_else(|| ManagerError::UnknownInvitation(id.clone()))?;
            if accept {
                session.accept_invitation(&found).await?;
            } else {
                session.reject_invitation(&found).await?;
            }
            Ok(())
        })
    }
}

/// Ask the LAN who is there; each answer at the URL built from the IP it came from.
async fn discover_lan(cfg: &DiscoveryConfig) -> Result<Vec<DiscoveredEntry>, emby::Error> {
    Ok(emby::discover(cfg)
        .await?
        .into_iter()
        .map(|d| DiscoveredEntry {
            address: discovered_url(&d.address, d.from),
            id: d.id,
            name: d.name,
        })
        .collect())
}

/// Probe an address the user typed (its Id not known yet): where it answered, how fast, what it
/// said, and the Id it reported (an answer without one is refused).
async fn probe_typed_address(
    reacher: &Reacher,
    address: &str,
) -> Result<(VerifiedAddress, Duration, PublicSystemInfo, String), ManagerError> {
    let probe = SavedServer {
        manual_address: Some(address.to_string()),
        ..Default::default()
    };
    let (verified, latency, info) =
        reacher
            .find(&probe, None)
            .await
            .map_err(|f| ManagerError::Unavailable {
                name: address.to_string(),
                reason: f.to_string(),
            })?;
    let id = info
        .id
        .clone()
        .filter(|i| !i.trim().is_empty())
        .ok_or_else(|| {
            ManagerError::Other(format!(
                "{address} answered but did not say which server it is (no Id)"
            ))
        })?;
    // The race saw no expected Id; from here on the address is verified for the Id it gave.
    let verified = VerifiedAddress {
        server_id: id.clone(),
        ..verified
    };
    Ok((verified, latency, info, id))
}

/// The names of the users a server lists publicly (none when it will not say).
async fn public_user_names(reacher: &Reacher, at: &VerifiedAddress) -> Vec<String> {
    reacher
        .anonymous(at.address.clone(), None)
        .public_users()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|u| u.name)
        .collect()
}

/// A Connect list entry, if it carries what a connection needs (Id, SystemId, AccessKey).
fn listing(c: &ConnectServer) -> Option<ConnectListing> {
    let system_id = c.system_id.clone().filter(|s| !s.trim().is_empty())?;
    let access_key = c.access_key.clone().filter(|k| !k.is_empty())?;
    Some(ConnectListing {
        system_id,
        connect_server_id: c.id.clone().unwrap_or_default(),
        name: c.name.clone().unwrap_or_default(),
        local_address: c.local_address.clone(),
        remote_address: c.url.clone(),
        access_key,
        link_type: Some(if c.is_guest() {
            LinkType::Guest
        } else {
            LinkType::Linked
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovered_url_uses_the_sender_ip_and_keeps_scheme_port_and_path() {
        let from: SocketAddr = "192.168.1.20:7359".parse().unwrap();
        assert_eq!(
            discovered_url("https://10.9.9.9:8920/emby", from),
            "https://192.168.1.20:8920/emby"
        );
        assert_eq!(
            discovered_url("http://host:8096", from),
            "http://192.168.1.20:8096"
        );
        assert_eq!(discovered_url("garbage", from), "http://192.168.1.20:7359");
    }

    #[test]
    fn a_connect_entry_without_an_access_key_or_system_id_is_skipped() {
        let mut c = ConnectServer {
            id: Some("c".into()),
            system_id: Some("s".into()),
            ..Default::default()
        };
        assert!(listing(&c).is_none());
        c.access_key = Some(Secret::new("k"));
        assert!(listing(&c).is_some());
        c.system_id = Some(" ".into());
        assert!(listing(&c).is_none());
    }
}
