//! `emby-sim`: a simulator of the Emby Connect service, of N Emby Servers and of LAN discovery.
//!
//! Tests, benches and `--demo` run it in-process: [`Sim::start`] binds every address on
//! 127.0.0.1 from a [`Scenario`] and returns when all of them answer. Each server has a
//! Local and a Remote listener; each address has its own faults and request log.

mod address;
mod connect;
mod discovery;
mod fault;
pub mod ids;
pub mod library;
mod listener;
pub mod media;
mod record;
mod reply;
mod request;
pub mod scenario;
mod server;
mod service;
pub mod sessions;
mod summary;
mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use fault::Fault;
pub use record::RecordedRequest;
pub use scenario::Scenario;

use address::AddressState;
use world::World;

/// Which of a server's two addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddressKind {
    /// The LAN address (`LocalAddress`).
    Local,
    /// The WAN address (Connect `Url`, `WanAddress`).
    Remote,
}

/// A simulated server as tests see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimServer {
    /// Server id (32 hex).
    pub id: String,
    /// Server name.
    pub name: String,
    /// Reported version (4.x).
    pub version: String,
    /// LocalAddress base URL, no trailing slash, no /emby.
    pub local_url: String,
    /// Remote Url base URL, no trailing slash, no /emby.
    pub remote_url: String,
}

/// A running simulator; cheap to clone (Arc inside).
#[derive(Clone)]
pub struct Sim {
    shared: Arc<Shared>,
}

/// One server's addresses and where its data lives in the world.
struct ServerSlot {
    index: usize,
    impostor: usize,
    info: SimServer,
    local: Arc<AddressState>,
    remote: Arc<AddressState>,
}

/// State shared by every listener of one simulator.
struct Shared {
    world: Mutex<World>,
    scenario: Scenario,
    connect: Arc<AddressState>,
    servers: Vec<ServerSlot>,
    discovery: SocketAddr,
    pin_lifetime: Duration,
    stopped: watch::Sender<bool>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl Shared {
    fn world(&self) -> std::sync::MutexGuard<'_, World> {
        // a panic while holding the lock must not take the whole simulator down
        self.world
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn slot(&self, name_or_id: &str) -> Option<&ServerSlot> {
        self.servers.iter().find(|s| {
            s.info.id.eq_ignore_ascii_case(name_or_id)
                || s.info.name.eq_ignore_ascii_case(name_or_id)
        })
    }
}

impl Sim {
    /// Binds every address of `scenario` and starts serving; returns when all are ready.
    pub async fn start(scenario: Scenario) -> anyhow::Result<Sim> {
        let connect_listener = listener::bind(scenario.connect.port)
            .with_context(|| format!("cannot bind the Connect port {}", scenario.connect.port))?;
        let connect = Arc::new(AddressState::new(
            connect_listener.local_addr()?.port(),
            scenario.connect.faults.clone(),
        ));
        let mut bound = Vec::new();
        for s in &scenario.servers {
            let local = listener::bind(s.local_port).with_context(|| {
                format!(
                    "server {:?}: cannot bind local port {}",
                    s.name, s.local_port
                )
            })?;
            let remote = listener::bind(s.remote_port).with_context(|| {
                format!(
                    "server {:?}: cannot bind remote port {}",
                    s.name, s.remote_port
                )
            })?;
            let local_state = Arc::new(AddressState::new(
                local.local_addr()?.port(),
                s.faults.local.clone(),
            ));
            let remote_state = Arc::new(AddressState::new(
                remote.local_addr()?.port(),
                s.faults.remote.clone(),
            ));
            bound.push((local, remote, local_state, remote_state));
        }
        let udp = tokio::net::UdpSocket::bind(SocketAddr::from((
            [127, 0, 0, 1],
            scenario.discovery.port,
        )))
        .await
        .with_context(|| format!("cannot bind the discovery port {}", scenario.discovery.port))?;
        let discovery_addr = udp.local_addr()?;

        let urls: Vec<(String, String)> = bound
            .iter()
            .map(|(_, _, l, r)| (l.url(), r.url()))
            .collect();
        let world = World::new(&scenario, &urls);
        let n = scenario.servers.len();
        let servers: Vec<ServerSlot> = scenario
            .servers
            .iter()
            .zip(&bound)
            .enumerate()
            .map(|(i, (cfg, (_, _, l, r)))| ServerSlot {
                index: i,
                impostor: n + i,
                info: SimServer {
                    id: cfg.server_id(),
                    name: cfg.name.clone(),
                    version: cfg.version.clone(),
                    local_url: l.url(),
                    remote_url: r.url(),
                },
                local: l.clone(),
                remote: r.clone(),
            })
            .collect();
        let (stopped, _) = watch::channel(false);
        let shared = Arc::new(Shared {
            world: Mutex::new(world),
            pin_lifetime: Duration::from_secs(scenario.connect.pin_lifetime_secs),
            scenario,
            connect,
            servers,
            discovery: discovery_addr,
            stopped,
            tasks: Mutex::new(Vec::new()),
        });

        let mut tasks = Vec::new();
        tasks.push(service::spawn_connect(&shared, connect_listener));
        for (slot, (local, remote, _, _)) in bound.into_iter().enumerate() {
            tasks.push(service::spawn_server(
                &shared,
                slot,
                AddressKind::Local,
                local,
            ));
            tasks.push(service::spawn_server(
                &shared,
                slot,
                AddressKind::Remote,
                remote,
            ));
        }
        tasks.push(discovery::spawn(udp, shared.clone()));
        if let Ok(mut t) = shared.tasks.lock() {
            t.extend(tasks);
        }
        tracing::info!(connect = %shared.connect.url(), servers = shared.servers.len(), "emby-sim started");
        Ok(Sim { shared })
    }

    /// `http://127.0.0.1:PORT/service/`: the base a client joins `user/authenticate` etc. to.
    pub fn connect_url(&self) -> String {
        format!("{}/service/", self.shared.connect.url())
    }

    /// `http://127.0.0.1:PORT/pin`: the HTML page that confirms a PIN.
    pub fn pin_page_url(&self) -> String {
        format!("{}/pin", self.shared.connect.url())
    }

    /// The UDP discovery responder's address.
    pub fn discovery_addr(&self) -> SocketAddr {
        self.shared.discovery
    }

    /// The servers, in scenario order.
    pub fn servers(&self) -> Vec<SimServer> {
        self.shared.servers.iter().map(|s| s.info.clone()).collect()
    }

    /// The server whose name or id is `name_or_id` (case-insensitive).
    pub fn server(&self, name_or_id: &str) -> Option<SimServer> {
        self.shared.slot(name_or_id).map(|s| s.info.clone())
    }

    /// Replaces the faults of one address of a server (unknown server: nothing happens).
    pub fn set_fault(&self, server_id: &str, kind: AddressKind, fault: Fault) {
        let Some(slot) = self.shared.slot(server_id) else {
            tracing::warn!(server = server_id, "set_fault: no such server");
            return;
        };
        if fault.revoke_tokens {
            self.revoke_tokens(server_id);
        }
        match kind {
            AddressKind::Local => slot.local.set_fault(fault),
            AddressKind::Remote => slot.remote.set_fault(fault),
        }
    }

    /// Replaces the faults of the Connect address (`revoke_tokens` signs every Connect user out).
    pub fn set_connect_fault(&self, fault: Fault) {
        if fault.revoke_tokens {
            self.shared.world().connect_tokens.clear();
        }
        self.shared.connect.set_fault(fault);
    }

    /// Every session token issued so far by that server now gets 401.
    pub fn revoke_tokens(&self, server_id: &str) {
        let Some(slot) = self.shared.slot(server_id) else {
            return;
        };
        let (a, b) = (slot.index, slot.impostor);
        let mut world = self.shared.world();
        for i in [a, b] {
            if let Some(s) = world.servers.get_mut(i) {
                s.revoke_all();
            }
        }
    }

    /// The requests one address of a server received, oldest first.
    pub fn requests(&self, server_id: &str, kind: AddressKind) -> Vec<RecordedRequest> {
        match (self.shared.slot(server_id), kind) {
            (Some(s), AddressKind::Local) => s.local.requests(),
            (Some(s), AddressKind::Remote) => s.remote.requests(),
            (None, _) => Vec::new(),
        }
    }

    /// The requests the Connect address received, oldest first.
    pub fn connect_requests(&self) -> Vec<RecordedRequest> {
        self.shared.connect.requests()
    }

    /// Forgets every address's request log.
    pub fn clear_requests(&self) {
        self.shared.connect.clear();
        for s in &self.shared.servers {
            s.local.clear();
            s.remote.clear();
        }
    }

    /// Confirms `pin` for the Connect user `connect_user_name_or_email`, as the /pin page does.
    /// False when the PIN or the user is unknown, or the PIN expired.
    pub fn confirm_pin(&self, pin: &str, connect_user_name_or_email: &str) -> bool {
        connect::pin::confirm(&self.shared, pin, connect_user_name_or_email)
    }

    /// Whether Connect sign-up asks for a browser step (a captcha) instead of creating accounts.
    pub fn set_signup_captcha(&self, required: bool) {
        self.shared.world().signup_captcha = required;
    }

    /// Every PIN not yet exchanged becomes expired.
    pub fn expire_pins(&self) {
        for p in self.shared.world().pins.iter_mut() {
            if !p.exchanged {
                p.forced_expired = true;
            }
        }
    }

    /// What `emby-sim` prints: Connect URL, each server's addresses and faults, sign-in details.
    pub fn summary(&self) -> String {
        summary::render(self)
    }

    /// Stops every listener and the discovery responder; open connections are dropped.
    pub async fn shutdown(self) {
        self.shared.stopped.send_replace(true);
        let tasks: Vec<JoinHandle<()>> = match self.shared.tasks.lock() {
            Ok(mut t) => t.drain(..).collect(),
            Err(_) => Vec::new(),
        };
        for t in &tasks {
            t.abort();
        }
        for t in tasks {
            let _ = t.await;
        }
        tracing::info!("emby-sim stopped");
    }
}
