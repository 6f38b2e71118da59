//! [`Hub`]: the session layer's one entry point, used the same way by the command line and the
//! terminal UI.
//!
//! # Shape: operations as plain async functions over shared state, reporting [`Event`]s
//!
//! Every server operation (sign in, refresh, reach, exchange, browse, invitations, sign-out, and
//! those to come) is one `async fn` on [`Hub`], written once. The command line awaits it and
//! prints its result. The UI's worker runs the very same call in a task of its own and turns its
//! result into an `Action`; while it runs, the hub reports what changes on the way (a row filled
//! in, a server dropped from the list, a notice) as [`Event`]s on the channel given to
//! [`Hub::open`], which the worker forwards to the UI as Actions. The command line passes no
//! channel; `servers` prints when the refresh returns, the UI draws each row as its event comes.
//!
//! Why not an actor (a task per ServerId owning its state, driven by a command channel)? The
//! state that matters is shared across servers: one credentials file merged under one lock, one
//! Connect account whose sign-out touches every server, one route memory, one bound on
//! connections in flight. Actors would each hold a slice of it and need a coordinator for every
//! cross-server operation, and every read (a report for a frame) would be a round trip. Here the
//! state sits behind one mutex that is held only for short synchronous steps, never across an
//! await; what an actor gives per server is kept where it is needed:
//! - **one reach in flight per server**: [`Hub::reach`] and every call that needs a session join
//!   the reach already running (a shared future) instead of starting another;
//! - **a slow server never delays another**: each operation runs in its caller's task (the UI
//!   worker spawns one per effect), reaches run in tasks of their own, and only the short state
//!   updates are serialised;
//! - **newest answer wins**: a reach applies its result only if the sign-in it started from is
//!   still the saved one (a sign-out or a local sign-in made meanwhile is not undone), and the UI
//!   drops stale answers by request generation.
//!
//! This is gitui's `AsyncJob` idea without the job objects: an operation is one function, the
//! runner (the worker) is generic, and results come back as values, never through shared buffers.
//!
//! # Adding a server operation: a walkthrough
//! Say "hide from Continue Watching" (`POST /Users/{UserId}/Items/{Id}/HideFromResume`):
//! 1. **Wire**: `SignedInClient::hide_from_resume(&self, item_id)` in `emby/server/signed_in.rs`.
//! 2. **Session**: in `hub/library.rs`,
//!    `pub async fn hide_from_resume(&self, server_id: &str, item_id: &str) -> Result<(), SessionError>`
//!    whose body is `self.call(server_id, false, |c| async move { c.hide_from_resume(&id).await }).await`;
//!    [`Hub::call`] brings the reach, the Id-verified address, the re-exchange on a 401 and the
//!    re-race on a lost connection.
//! 3. **UI**: a `Request::HideFromResume` (the Effect) and its `Loaded` answer (the Action) in
//!    `app/action.rs`, one arm in `worker.rs` that awaits the hub call, and the key in the
//!    keymap. The command line, if it wants it, awaits the same call.
//! 4. **Test**: one test against emby-sim calling the hub operation.
//!
//! Dependencies point one way: `emby` (wire) <- `session` <- `app` <- `ui`; the worker and the
//! command line sit on top, the simulator beside.

mod connect;
mod everywhere;
mod images;
mod library;
mod list;
mod playback;
mod remote;
mod servers;
// issue 11: the Connect account (sign-up, whoami) and server administration
mod account;
mod admin;

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use tokio::sync::mpsc::UnboundedSender;

use crate::emby::SignedInClient;
use crate::emby::{self, ClientIdentity, ConnectClient, DiscoveryConfig, HttpClient, HttpConfig};

use super::error::SessionError;
use super::files;
use super::race::RaceConfig;
use super::reach::{Auth, Connection, Reached, Reacher};
use super::report::ServerReport;
use super::routes::Routes;
use super::servers::same_id;
use super::state::{Session, SessionState};
use super::store::{
    ConnectAccount, Credentials, CredentialsStore, SavedServer, SetAside, StoreError, TokenSource,
};

pub use everywhere::EACH_SERVER_WITHIN;
pub use library::Home;
pub use list::discovered_url;
pub use playback::{PlayPlan, PlaybackUpdate, Played, StartAt, title_of};
pub use remote::session_label;
pub use servers::Probed;
// issue 11
pub use account::{CHANGE_PASSWORD_URL, RESET_PASSWORD_URL, SIGN_UP_URL};
pub use admin::{AdminOverview, InviteOptions, Library, LinkOutcome};

/// Settings of the session layer (from the command line, or from `--demo`).
#[derive(Debug, Clone)]
pub struct SessionConfig {
    pub config_dir: PathBuf,
    /// Where caches live (the route memory); None keeps them in memory only.
    pub cache_dir: Option<PathBuf>,
    pub connect_url: String,
    /// None: no LAN discovery.
    pub discovery: Option<DiscoveryConfig>,
    pub race: RaceConfig,
    pub http: HttpConfig,
    /// Servers reached at once (see [`super::limits::reaches_in_flight`]).
    pub reaches_in_flight: usize,
    /// The network this machine is on, for the route memory; None: [`super::network::fingerprint`].
    pub network: Option<String>,
}

/// What changes while operations run, for a screen to follow (the command line ignores them).
#[derive(Debug, Clone)]
pub enum Event {
    /// Every server as the list stands now, after the list itself changed (a Connect list or LAN
    /// answer merged, a sign-out of Connect).
    Listed(Vec<ServerReport>),
    /// A server is being reached now.
    Reaching(String),
    /// One server's row changed: reached, signed in or out, failed.
    Server(Box<ServerReport>),
    /// A server left the list (removed, or no longer shared through Emby Connect).
    Removed(String),
    /// The Emby Connect account changed: the signed-in user's name, or None.
    ConnectUser(Option<String>),
    /// A sentence for the user: a Connect list that could not be fetched, a file set aside.
    Notice(String),
    /// A refresh has finished: every server answered or timed out.
    Refreshed,
    /// A playback here moved on: its position, paused or not (for a "now playing" line).
    Playback(playback::PlaybackUpdate),
}

/// Where events go: called in the task of the operation that reports them, in order.
pub type EventSink = Arc<dyn Fn(Event) + Send + Sync>;

/// An [`EventSink`] that sends every event down a channel.
pub fn channel_sink(tx: UnboundedSender<Event>) -> EventSink {
    Arc::new(move |e| {
        // the receiver is gone: nobody to tell
        let _ = tx.send(e);
    })
}

/// What the UI shows before anything is reached: the saved state and the last run's routes.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub connect_user: Option<String>,
    pub servers: Vec<ServerReport>,
    pub notices: Vec<String>,
}

/// A reach in flight, shared by everyone waiting for it.
type InFlight = Shared<BoxFuture<'static, ()>>;

/// The saved state and the live sessions, behind the hub's one mutex.
struct State {
    store: CredentialsStore,
    creds: Credentials,
    sessions: HashMap<String, Session>,
    in_flight: HashMap<String, InFlight>,
    notices: Vec<String>,
}

struct Inner {
    connect: ConnectClient,
    /// The Connect server list, with the remote timeout: a black-holed Connect service must not
    /// hold a refresh for the full request timeout (saved servers are reached meanwhile anyway).
    connect_list: ConnectClient,
    reacher: Reacher,
    discovery: Option<DiscoveryConfig>,
    events: Option<EventSink>,
    state: Mutex<State>,
    /// One refresh at a time; one asked for during another runs after it.
    refresh_turn: tokio::sync::Mutex<()>,
    /// Refreshes asked for and not started yet (see [`Hub::refresh`]).
    refreshes_wanted: std::sync::atomic::AtomicUsize,
    /// The stop switch of the playback here, while one runs (see [`Hub::play_here`]).
    here: Mutex<Option<tokio::sync::watch::Sender<bool>>>,
    /// Pictures kept on disk (`images/` in the cache dir).
    images: super::image_cache::ImageCache,
}

/// The session layer (cheap to clone: every clone is the same hub).
#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

/// A signed-in session, taken out of the state to make calls with.
#[derive(Debug, Clone)]
struct Live {
    client: SignedInClient,
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

pub(crate) fn key(id: &str) -> String {
    id.to_ascii_lowercase()
}

pub(crate) fn display_name(s: &SavedServer) -> String {
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

impl State {
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

    fn connect_user_id(&self) -> Option<String> {
        self.creds.connect.as_ref().map(|c| c.user_id.clone())
    }

    fn report(&self, server_id: &str) -> Option<ServerReport> {
        self.saved(server_id)
            .map(|s| ServerReport::new(s, self.sessions.get(&key(&s.id))))
    }

    fn reports(&self) -> Vec<ServerReport> {
        self.creds
            .servers
            .iter()
            .map(|s| ServerReport::new(s, self.sessions.get(&key(&s.id))))
            .collect()
    }

    /// Save, merged with what other emby-tui processes saved meanwhile (see
    /// [`CredentialsStore::save`]); adopt the merged state and drop sessions it no longer backs.
    fn save(&mut self) -> Result<(), SessionError> {
        let (merged, aside) = self.store.save(&self.creds)?;
        if let Some(aside) = aside {
            self.notices.push(aside.to_string());
        }
        self.creds = merged;
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
        Ok(())
    }

    /// The signed-in session of a server as it stands, if it is one.
    fn live(&self, server_id: &str) -> Result<Option<Live>, SessionError> {
        if self.saved(server_id).is_none() {
            return Err(SessionError::UnknownServer(server_id.into()));
        }
        Ok(self.sessions.get(&key(server_id)).and_then(|s| {
            match (&s.state, &s.client, &s.verified) {
                (SessionState::SignedIn, Some(client), Some(_)) => Some(Live {
                    client: client.clone(),
                }),
                _ => None,
            }
        }))
    }

    /// Why a server has no signed-in session (after it was reached).
    fn not_live(&self, server_id: &str) -> SessionError {
        let Some(server) = self.saved(server_id) else {
            return SessionError::UnknownServer(server_id.into());
        };
        let name = display_name(server);
        match self.sessions.get(&key(server_id)).map(|s| &s.state) {
            Some(SessionState::SignInRequired(reason)) => SessionError::SignInRequired {
                name,
                reason: reason.clone(),
            },
            Some(SessionState::Unavailable(reason)) => SessionError::Unavailable {
                name,
                reason: reason.clone(),
            },
            _ => SessionError::Unavailable {
                name,
                reason: "not connected".into(),
            },
        }
    }
}

/// The sign-in of an entry, as one piece (to see whether it changed while a reach ran).
fn sign_in_of(
    s: &SavedServer,
) -> (
    Option<&emby::Secret>,
    Option<&String>,
    bool,
    Option<TokenSource>,
) {
    (
        s.access_token.as_ref(),
        s.user_id.as_ref(),
        s.signed_out,
        s.token_from,
    )
}

impl Hub {
    /// Opens the saved state (a corrupt file is set aside and reported by [`Hub::snapshot`]).
    /// `events` receives what changes while operations run (None for the command line).
    pub fn open(cfg: SessionConfig, events: Option<EventSink>) -> Result<Hub, SessionError> {
        files::create_private_dir(&cfg.config_dir).map_err(|source| StoreError::Write {
            path: cfg.config_dir.clone(),
            source,
        })?;
        let mut store = CredentialsStore::new(&cfg.config_dir);
        let (mut creds, aside) = store.load()?;
        super::servers::in_usual_order(&mut creds.servers);
        let notices: Vec<String> = aside.iter().map(SetAside::to_string).collect();
        let device_id = files::device_id(&cfg.config_dir).map_err(|e| {
            SessionError::Other(format!(
                "cannot keep the device id in {}: {e}",
                cfg.config_dir.display()
            ))
        })?;
        if let Some(dir) = &cfg.cache_dir
            && let Err(e) = files::create_private_dir(dir)
        {
            tracing::info!(dir = %dir.display(), error = %e, "no cache dir; caches stay in memory");
        }
        let identity = ClientIdentity::new(device_name(), device_id);
        let http = HttpClient::new(cfg.http.clone())?;
        let connect = ConnectClient::with_base_url(http.clone(), &identity, &cfg.connect_url)?;
        let connect_list = ConnectClient::with_base_url(
            http.with_request_timeout(cfg.race.remote_timeout),
            &identity,
            &cfg.connect_url,
        )?;
        let network = cfg
            .network
            .clone()
            .unwrap_or_else(super::network::fingerprint);
        let routes = Routes::load(cfg.cache_dir.as_deref(), network);
        Ok(Hub {
            inner: Arc::new(Inner {
                connect,
                connect_list,
                reacher: Reacher::new(http, identity, cfg.race, routes, cfg.reaches_in_flight),
                discovery: cfg.discovery,
                events,
                state: Mutex::new(State {
                    store,
                    creds,
                    sessions: HashMap::new(),
                    in_flight: HashMap::new(),
                    notices,
                }),
                refresh_turn: tokio::sync::Mutex::new(()),
                refreshes_wanted: std::sync::atomic::AtomicUsize::new(0),
                here: Mutex::new(None),
                images: super::image_cache::ImageCache::new(
                    cfg.cache_dir.as_ref().map(|d| d.join("images")),
                    super::image_cache::DEFAULT_LIMIT,
                ),
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn emit(&self, event: Event) {
        if let Some(sink) = &self.inner.events {
            sink(event);
        }
    }

    /// A sentence for the user: an event for a screen, else kept for [`Hub::take_notices`].
    fn notice(&self, text: String) {
        match &self.inner.events {
            Some(sink) => sink(Event::Notice(text)),
            None => self.lock().notices.push(text),
        }
    }

    /// Save the credentials (merged with other processes') and the route memory.
    fn save(&self) -> Result<(), SessionError> {
        let set_aside = {
            let mut st = self.lock();
            let before = st.notices.len();
            st.save()?;
            st.notices.split_off(before)
        };
        for n in set_aside {
            self.notice(n);
        }
        self.inner.reacher.routes.save();
        Ok(())
    }

    /// Messages for the user that arose so far (e.g. a credentials file set aside).
    pub fn take_notices(&self) -> Vec<String> {
        std::mem::take(&mut self.lock().notices)
    }

    /// The saved state as it stands (a copy).
    pub fn credentials(&self) -> Credentials {
        self.lock().creds.clone()
    }

    pub fn identity(&self) -> ClientIdentity {
        self.inner.reacher.identity.clone()
    }

    /// The session of a server as it stands (a copy).
    pub fn session(&self, server_id: &str) -> Option<Session> {
        self.lock().sessions.get(&key(server_id)).cloned()
    }

    /// Every saved server with its session, in list order.
    pub fn reports(&self) -> Vec<ServerReport> {
        self.lock().reports()
    }

    /// One server's report.
    pub fn report(&self, server_id: &str) -> Option<ServerReport> {
        self.lock().report(server_id)
    }

    /// What a screen shows at once, before anything is reached: the Connect user, every saved
    /// server as the last run left it (see [`ServerReport::before_reach`]), and the notices.
    pub fn snapshot(&self) -> Snapshot {
        let routes = &self.inner.reacher.routes;
        let mut st = self.lock();
        let servers = st
            .creds
            .servers
            .iter()
            .map(|s| match st.sessions.get(&key(&s.id)) {
                Some(session) => ServerReport::new(s, Some(session)),
                None => ServerReport::before_reach(s, routes.remembered(&s.id).as_ref()),
            })
            .collect();
        Snapshot {
            connect_user: connect_user_name(&st.creds.connect),
            servers,
            notices: std::mem::take(&mut st.notices),
        }
    }

    /// The user really used this server (opened or browsed it): it comes first in the list at
    /// the next start. Saved at once; a failure to save is only logged.
    pub fn mark_used(&self, server_id: &str) {
        {
            let mut st = self.lock();
            let Some(s) = st.saved_mut(server_id) else {
                return;
            };
            s.last_used_ms = now_ms();
        }
        if let Some(report) = self.report(server_id) {
            self.emit(Event::Server(Box::new(report)));
        }
        if let Err(e) = self.save() {
            tracing::warn!(error = %e, "saving failed");
        }
    }

    /// Whether LAN discovery is on (off with `--no-discovery`).
    pub fn discovery_enabled(&self) -> bool {
        self.inner.discovery.is_some()
    }

    // ---- reaching a server: one reach in flight per server ----

    /// The reach of `server_id` in flight, started now if none is (None: no such server).
    fn start_reach(&self, server_id: &str) -> Option<InFlight> {
        let k = key(server_id);
        let mut st = self.lock();
        if let Some(running) = st.in_flight.get(&k) {
            return Some(running.clone());
        }
        let server = st.saved(server_id)?.clone();
        let cuid = st.connect_user_id();
        let hub = self.clone();
        let reacher = self.inner.reacher.clone();
        // In a task of its own: it finishes (and is applied) even if every waiter goes away.
        let task = tokio::spawn(async move {
            let reached = reacher.reach(server, cuid).await;
            hub.lock().in_flight.remove(&key(&reached.server_id));
            hub.apply_reached(reached);
        });
        let shared = async move {
            let _ = task.await;
        }
        .boxed()
        .shared();
        st.in_flight.insert(k, shared.clone());
        drop(st);
        self.emit(Event::Reaching(server_id.to_string()));
        Some(shared)
    }

    /// Reach one saved server now (or join the reach in flight) and save.
    pub async fn reach(&self, server_id: &str) -> Result<ServerReport, SessionError> {
        let running = self
            .start_reach(server_id)
            .ok_or_else(|| SessionError::UnknownServer(server_id.into()))?;
        running.await;
        self.save()?;
        self.report(server_id)
            .ok_or_else(|| SessionError::UnknownServer(server_id.into()))
    }

    /// Apply what reaching a server found, unless the server left the list meanwhile. Its
    /// sign-in is applied only if the entry's sign-in is still the one the reach started from:
    /// a sign-out or a local sign-in made meanwhile wins.
    fn apply_reached(&self, r: Reached) {
        let report = {
            let mut st = self.lock();
            let k = key(&r.server_id);
            let Some(saved) = st
                .creds
                .servers
                .iter_mut()
                .find(|s| same_id(&s.id, &r.server_id))
            else {
                return;
            };
            let changed_meanwhile = sign_in_of(saved) != sign_in_of(&r.from);
            let session = match r.outcome {
                Ok(conn) => apply_connection(saved, conn, changed_meanwhile),
                Err(failure) => Session {
                    server_id: saved.id.clone(),
                    state: SessionState::Unavailable(failure.to_string()),
                    verified: None,
                    latency: None,
                    client: None,
                },
            };
            let keep_old = changed_meanwhile && st.sessions.contains_key(&k);
            if !keep_old {
                st.sessions.insert(k, session);
            }
            st.report(&r.server_id)
        };
        if let Some(report) = report {
            self.emit(Event::Server(Box::new(report)));
        }
    }

    /// A signed-in session of this server, reaching it first (or joining its reach) if needed.
    async fn ensure_session(&self, server_id: &str) -> Result<Live, SessionError> {
        if let Some(live) = self.lock().live(server_id)? {
            return Ok(live);
        }
        if let Some(running) = self.start_reach(server_id) {
            running.await;
        }
        let st = self.lock();
        st.live(server_id)?.ok_or_else(|| st.not_live(server_id))
    }

    /// The saved token was refused (401) in use: it is dropped. True when the Connect exchange
    /// may give a new one (or another call already replaced it), so the call is worth retrying.
    fn token_refused(&self, server_id: &str, refused: &emby::Secret) -> bool {
        let (retry, report) = {
            let mut st = self.lock();
            let connect_user = st.connect_user_id().is_some();
            let Some(saved) = st.saved_mut(server_id) else {
                return false;
            };
            if saved.access_token.as_ref() != Some(refused) {
                return true; // already replaced (or dropped) by another call
            }
            let via_connect = saved.exchange_token.is_some()
                && connect_user
                && !saved.signed_out
                && saved.token_from != Some(TokenSource::Local);
            saved.access_token = None;
            saved.user_id = None;
            saved.token_from = None;
            let reason = if via_connect {
                "the server refused the sign-in; exchanging the Emby Connect key again".to_string()
            } else {
                "the server no longer accepts the saved sign-in; sign in again".to_string()
            };
            if let Some(sess) = st.sessions.get_mut(&key(server_id)) {
                sess.client = None;
                sess.state = SessionState::SignInRequired(reason);
            }
            (via_connect, st.report(server_id))
        };
        if let Some(report) = report {
            self.emit(Event::Server(Box::new(report)));
        }
        if let Err(e) = self.save() {
            tracing::warn!(error = %e, "saving failed");
        }
        retry
    }

    /// A request failed on the network: the session is no longer trusted to be reachable there.
    fn connection_lost(&self, server_id: &str, error: &emby::Error) {
        let mut st = self.lock();
        if let Some(sess) = st.sessions.get_mut(&key(server_id)) {
            sess.state = SessionState::Unavailable(format!("connection lost ({error})"));
            sess.client = None;
        }
    }

    /// Run a request through this server's own session: reached first when needed, only ever at
    /// an address verified for its Id. A 401 drops the token; on a Connect server the exchange
    /// then runs again and the request is retried once, elsewhere a sign-in is needed. A network
    /// error re-runs the race and, when `idempotent`, retries once where it lands.
    pub async fn call<T, F, Fut>(
        &self,
        server_id: &str,
        idempotent: bool,
        f: F,
    ) -> Result<T, SessionError>
    where
        F: Fn(SignedInClient) -> Fut,
        Fut: Future<Output = Result<T, emby::Error>>,
    {
        let live = self.ensure_session(server_id).await?;
        let err = match f(live.client.clone()).await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        if err.is_unauthorized() {
            if self.token_refused(server_id, live.client.token()) {
                let live = self.ensure_session(server_id).await?;
                return f(live.client).await.map_err(Into::into);
            }
            let st = self.lock();
            return Err(st.not_live(server_id));
        }
        if err.is_network() {
            tracing::info!(server = %server_id, error = %err, "request failed on the network; racing the addresses again");
            self.connection_lost(server_id, &err);
            let again = self.ensure_session(server_id).await;
            if let (true, Ok(live)) = (idempotent, again) {
                return f(live.client).await.map_err(Into::into);
            }
        }
        Err(err.into())
    }
}

/// The Connect user's name as shown (a fallback when the service never said).
fn connect_user_name(connect: &Option<ConnectAccount>) -> Option<String> {
    connect.as_ref().map(|c| {
        c.user_name
            .clone()
            .unwrap_or_else(|| "your Emby Connect account".into())
    })
}

/// Folds a connection into the saved entry (mode, name, address gaps and, unless the sign-in
/// changed while the reach ran, the sign-in) and returns the session it gives.
fn apply_connection(saved: &mut SavedServer, conn: Connection, changed_meanwhile: bool) -> Session {
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
        _ if changed_meanwhile => (
            SessionState::SignInRequired("the sign-in changed while reaching it".into()),
            None,
        ),
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
                saved.token_from = None;
            }
            (SessionState::SignInRequired(reason), None)
        }
        Auth::Failed { reason } => (SessionState::Unavailable(reason), None),
    };
    Session {
        server_id: saved.id.clone(),
        state,
        verified: Some(conn.verified),
        latency: Some(conn.latency).filter(|l| !l.is_zero()),
        client,
    }
}

/// How long LAN discovery listens when asked on its own.
pub const DISCOVER_FOR: Duration = Duration::from_millis(1500);
