//! The one background task: owns the [`ConnectionManager`], runs [`Effect`]s and sends the
//! results back as [`Action`]s. Network work runs in tasks of its own (a slow or dead server
//! never holds up another); only applying a result touches the manager.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::app::{Action, Effect, HomeData, Invitation, Loaded, PinCheck, Request};
use crate::emby::server::ItemsQuery;
use crate::session::manager::Gathered;
use crate::session::reach::Reached;
use crate::session::servers::{ConnectList, DiscoveredEntry};
use crate::session::store::ConnectAccount;
use crate::session::{ConnectionManager, ManagerError, Probed, SessionHandle};

/// How long LAN discovery listens when asked from the servers pane.
const DISCOVER_FOR: Duration = Duration::from_millis(1500);

/// What a detached task brings back to the worker.
enum Done {
    Gathered(Gathered),
    Reached {
        reached: Box<Reached>,
        in_refresh: bool,
    },
    Called {
        learned: Option<Box<Reached>>,
        action: Box<Action>,
    },
    Probed(Result<Probed, ManagerError>),
    LocalSignIn {
        server_id: String,
        result: Result<Reached, ManagerError>,
    },
    Discovered(Result<Vec<DiscoveredEntry>, ManagerError>),
    /// What the LAN said during a refresh.
    LanFound(Vec<DiscoveredEntry>),
    /// A Connect sign-in (password or PIN) to remember; `pin` says which way it came.
    ConnectAccount {
        result: Result<ConnectAccount, ManagerError>,
        pin: bool,
    },
    /// A result that needs nothing from the manager.
    Action(Action),
}

/// A library request waiting for its server to be reached.
type Waiting = (u64, Request);

/// The worker's own state.
pub struct Worker {
    mgr: ConnectionManager,
    actions: UnboundedSender<Action>,
    done_tx: UnboundedSender<Done>,
    done_rx: UnboundedReceiver<Done>,
    /// Requests waiting for a reach, by server key (lower-case id).
    waiting: HashMap<String, Vec<Waiting>>,
    /// Servers being reached now (lower-case id).
    reaching: HashSet<String>,
    gathering: bool,
    /// LAN discovery of the current refresh is still listening.
    lan_pending: bool,
    refresh_left: usize,
    refresh_again: bool,
}

fn key(id: &str) -> String {
    id.to_ascii_lowercase()
}

/// Start the worker on the current tokio runtime: send it Effects, read Actions back. It stops
/// when the Effect sender is dropped.
pub fn spawn(mgr: ConnectionManager) -> (UnboundedSender<Effect>, UnboundedReceiver<Action>) {
    let (effect_tx, effect_rx) = unbounded_channel();
    let (action_tx, action_rx) = unbounded_channel();
    let worker = Worker::new(mgr, action_tx);
    tokio::spawn(worker.run(effect_rx));
    (effect_tx, action_rx)
}

impl Worker {
    pub fn new(mgr: ConnectionManager, actions: UnboundedSender<Action>) -> Self {
        let (done_tx, done_rx) = unbounded_channel();
        Worker {
            mgr,
            actions,
            done_tx,
            done_rx,
            waiting: HashMap::new(),
            reaching: HashSet::new(),
            gathering: false,
            lan_pending: false,
            refresh_left: 0,
            refresh_again: false,
        }
    }

    pub async fn run(mut self, mut effects: UnboundedReceiver<Effect>) {
        loop {
            tokio::select! {
                effect = effects.recv() => match effect {
                    Some(e) => self.effect(e).await,
                    None => break,
                },
                Some(done) = self.done_rx.recv() => self.done(done),
            }
        }
        if let Err(e) = self.mgr.persist() {
            tracing::warn!(error = %e, "saving the state at exit failed");
        }
    }

    fn send(&self, action: Action) {
        // the UI is gone: nothing to tell
        let _ = self.actions.send(action);
    }

    fn detach<F>(&self, fut: F)
    where
        F: std::future::Future<Output = Done> + Send + 'static,
    {
        let tx = self.done_tx.clone();
        tokio::spawn(async move {
            let _ = tx.send(fut.await);
        });
    }

    fn start_refresh(&mut self) {
        if self.gathering || self.lan_pending || self.refresh_left > 0 {
            self.refresh_again = true;
            return;
        }
        // Connect and the LAN separately: the list shows as soon as Connect answers, and
        // servers found on the LAN join it when discovery has finished listening.
        self.gathering = true;
        self.lan_pending = true;
        let connect = self.mgr.connect_list_job();
        self.detach(async move { Done::Gathered(connect.await) });
        let lan = self.mgr.lan_job();
        self.detach(async move { Done::LanFound(lan.await) });
    }

    fn reach(&mut self, server_id: &str, in_refresh: bool) -> bool {
        let Some((reacher, server, cuid)) = self.mgr.reach_job(server_id) else {
            return false;
        };
        self.reaching.insert(key(server_id));
        self.detach(async move {
            Done::Reached {
                reached: Box::new(reacher.reach(server, cuid).await),
                in_refresh,
            }
        });
        true
    }

    async fn effect(&mut self, effect: Effect) {
        match effect {
            Effect::Start => {
                let connect_user = self.mgr.credentials().connect.as_ref().map(|c| {
                    c.user_name
                        .clone()
                        .unwrap_or_else(|| "your Emby Connect account".into())
                });
                let servers = self.mgr.reports();
                let notices = self.mgr.take_notices();
                self.send(Action::Started {
                    connect_user,
                    servers,
                    notices,
                });
                self.start_refresh();
            }
            Effect::Refresh => self.start_refresh(),
            Effect::ConnectSignIn { user, password } => {
                let job = self.mgr.connect_sign_in_job(&user, &password);
                self.detach(async move {
                    Done::ConnectAccount {
                        result: job.await,
                        pin: false,
                    }
                });
            }
            Effect::PinCreate => {
                let job = self.mgr.pin_create_job();
                self.detach(async move {
                    Done::Action(Action::PinCreated(
                        job.await.map(|p| p.pin).map_err(|e| e.to_string()),
                    ))
                });
            }
            Effect::PinCheck { pin } => {
                let job = self.mgr.pin_status_job(&pin);
                self.detach(async move {
                    let result = job
                        .await
                        .map(|s| {
                            if s.is_confirmed {
                                PinCheck::Confirmed
                            } else if s.is_expired {
                                PinCheck::Expired
                            } else {
                                PinCheck::Waiting
                            }
                        })
                        .map_err(|e| e.to_string());
                    Done::Action(Action::PinChecked { pin, result })
                });
            }
            Effect::PinFinish { pin } => {
                let job = self.mgr.pin_finish_job(&pin);
                self.detach(async move {
                    Done::ConnectAccount {
                        result: job.await,
                        pin: true,
                    }
                });
            }
            Effect::ProbeAddress(address) => match self.mgr.probe_address_job(&address) {
                Ok(job) => self.detach(async move { Done::Probed(job.await) }),
                Err(e) => self.send(Action::AddressProbed(Err(e.to_string()))),
            },
            Effect::SignInLocal {
                server_id,
                user,
                password,
            } => match self.mgr.sign_in_local_job(&server_id, user, password) {
                Ok(job) => self.detach(async move {
                    Done::LocalSignIn {
                        server_id,
                        result: job.await,
                    }
                }),
                Err(e) => self.send(Action::LocalSignedIn {
                    server_id,
                    result: Err(e.to_string()),
                }),
            },
            Effect::PublicUsers(server_id) => match self.mgr.public_users_job(&server_id) {
                Ok(job) => self.detach(async move {
                    Done::Action(Action::PublicUsersListed {
                        server_id,
                        result: job.await.map_err(|e| e.to_string()),
                    })
                }),
                Err(e) => self.send(Action::PublicUsersListed {
                    server_id,
                    result: Err(e.to_string()),
                }),
            },
            Effect::ConnectSignOut => match self.mgr.connect_sign_out_job() {
                Ok(tell_connect) => {
                    if let Some(job) = tell_connect {
                        tokio::spawn(job);
                    }
                    self.send(Action::ConnectSignedOut(Ok(self.mgr.reports())));
                }
                Err(e) => self.send(Action::ConnectSignedOut(Err(e.to_string()))),
            },
            Effect::SignOut(id) => match self.mgr.server_sign_out_job(&id) {
                Ok(revoke) => {
                    tokio::spawn(revoke);
                    let report = self.report(&id);
                    let name = report.as_ref().map(|r| r.name.clone()).unwrap_or_default();
                    self.send(Action::ServerChanged {
                        server_id: id,
                        report,
                        message: format!("Signed out of {name}; l signs in again."),
                    });
                }
                Err(e) => self.send(Action::ServerOpFailed(e.to_string())),
            },
            Effect::Remove(id) => {
                let name = self.report(&id).map(|r| r.name).unwrap_or_default();
                match self.mgr.remove_server(&id) {
                    Ok(from_connect) => self.send(Action::ServerChanged {
                        server_id: id,
                        report: None,
                        message: if from_connect {
                            format!(
                                "Removed {name}; Emby Connect still shares it, so a refresh lists it again."
                            )
                        } else {
                            format!("Removed {name}.")
                        },
                    }),
                    Err(e) => self.send(Action::ServerOpFailed(e.to_string())),
                }
            }
            Effect::Discover if !self.mgr.discovery_enabled() => self.send(Action::Discovered(
                Err("LAN discovery is off (started with --no-discovery).".into()),
            )),
            Effect::Discover => {
                let job = self.mgr.discover_job(DISCOVER_FOR);
                self.detach(async move { Done::Discovered(job.await) });
            }
            Effect::ListInvitations => match self.mgr.invitations_job() {
                Ok(job) => self.detach(async move {
                    let r = job.await.map(|list| {
                        list.into_iter()
                            .map(|i| Invitation {
                                id: i.system_id.or(i.id).unwrap_or_default(),
                                name: i.name.unwrap_or_default(),
                            })
                            .collect()
                    });
                    Done::Action(Action::Invitations(r.map_err(|e| e.to_string())))
                }),
                Err(e) => self.send(Action::Invitations(Err(e.to_string()))),
            },
            Effect::AnswerInvitation { id, accept } => {
                match self.mgr.answer_invitation_job(&id, accept) {
                    Ok(job) => self.detach(async move {
                        let r = job.await.map(|()| {
                            if accept {
                                "Invitation accepted; the server is listed now.".to_string()
                            } else {
                                "Invitation rejected.".to_string()
                            }
                        });
                        Done::Action(Action::InvitationAnswered(r.map_err(|e| e.to_string())))
                    }),
                    Err(e) => self.send(Action::InvitationAnswered(Err(e.to_string()))),
                }
            }
            Effect::Load {
                server_id,
                generation,
                request,
            } => self.load(server_id, generation, request),
        }
    }

    fn report(&self, id: &str) -> Option<crate::session::ServerReport> {
        self.mgr
            .reports()
            .into_iter()
            .find(|r| r.id.eq_ignore_ascii_case(id))
    }

    /// Run a library request on the server's own session, reaching it first when needed.
    fn load(&mut self, server_id: String, generation: u64, request: Request) {
        match self.mgr.live_session(&server_id) {
            Ok(handle) => self.call(handle, server_id, generation, request),
            Err(ManagerError::UnknownServer(_)) => self.send(Action::Loaded {
                server_id: server_id.clone(),
                generation,
                result: Err(ManagerError::UnknownServer(server_id).to_string()),
            }),
            Err(_) => {
                let k = key(&server_id);
                self.waiting
                    .entry(k.clone())
                    .or_default()
                    .push((generation, request));
                if !self.reaching.contains(&k) {
                    self.reach(&server_id, false);
                }
            }
        }
    }

    fn call(&self, handle: SessionHandle, server_id: String, generation: u64, request: Request) {
        self.detach(async move {
            let (result, learned) = perform(&handle, request).await;
            Done::Called {
                learned: learned.map(Box::new),
                action: Box::new(Action::Loaded {
                    server_id,
                    generation,
                    result,
                }),
            }
        });
    }

    fn done(&mut self, done: Done) {
        match done {
            Done::ConnectAccount { result, pin } => {
                let r = result
                    .and_then(|account| self.mgr.apply_connect_account(account))
                    .map_err(|e| e.to_string());
                self.send(if pin {
                    Action::PinSignedIn(r)
                } else {
                    Action::ConnectSignedIn(r)
                });
            }
            Done::Gathered(g) => {
                self.gathering = false;
                if let Err(e) = self.mgr.apply_gathered(&g) {
                    self.send(Action::ServerOpFailed(e.to_string()));
                }
                for n in self.mgr.take_notices() {
                    self.send(Action::ServerOpFailed(n));
                }
                self.send(Action::ServersListed(self.mgr.reports()));
                let ids: Vec<String> = self.mgr.reports().into_iter().map(|r| r.id).collect();
                for id in ids {
                    if !self.reaching.contains(&key(&id)) && self.reach(&id, true) {
                        self.refresh_left += 1;
                    }
                }
                self.maybe_refresh_finished();
            }
            Done::LanFound(found) => {
                self.lan_pending = false;
                let (new, _) = self.merge_discovered(&found);
                // While the Connect list is still coming, it reaches everything once it is
                // merged: a server reached now could miss the AccessKey Connect is about to give.
                let new = if self.gathering { Vec::new() } else { new };
                for id in new {
                    if !self.reaching.contains(&key(&id)) && self.reach(&id, true) {
                        self.refresh_left += 1;
                    }
                }
                self.maybe_refresh_finished();
            }
            Done::Reached {
                reached,
                in_refresh,
            } => {
                let id = reached.server_id.clone();
                self.reaching.remove(&key(&id));
                if let Some(report) = self.mgr.apply_reached(*reached) {
                    self.send(Action::ServerReached(report));
                }
                self.serve_waiting(&id);
                if in_refresh {
                    self.refresh_left = self.refresh_left.saturating_sub(1);
                    self.maybe_refresh_finished();
                } else if let Err(e) = self.mgr.persist() {
                    tracing::warn!(error = %e, "saving failed");
                }
            }
            Done::Called { learned, action } => {
                let changed = learned.as_ref().map(|r| r.server_id.clone());
                if let Err(e) = self.mgr.apply_call(learned.map(|r| *r)) {
                    tracing::warn!(error = %e, "saving failed");
                }
                if let Some(report) = changed.and_then(|id| self.report(&id)) {
                    self.send(Action::ServerReached(report));
                }
                self.send(*action);
            }
            Done::Probed(result) => match result {
                Ok(p) => match self.mgr.apply_probed(&p) {
                    Ok(()) => {
                        if let Some(report) = self.report(&p.id) {
                            self.send(Action::ServerReached(report));
                        }
                        self.reach(&p.id, false);
                        self.send(Action::AddressProbed(Ok(p)));
                    }
                    Err(e) => self.send(Action::AddressProbed(Err(e.to_string()))),
                },
                Err(e) => self.send(Action::AddressProbed(Err(e.to_string()))),
            },
            Done::LocalSignIn { server_id, result } => {
                let result = result
                    .and_then(|r| self.mgr.apply_sign_in_local(r))
                    .map_err(|e| e.to_string());
                self.send(Action::LocalSignedIn { server_id, result });
            }
            Done::Discovered(result) => match result {
                Ok(found) => {
                    let (_, ok) = self.merge_discovered(&found);
                    if !ok {
                        return;
                    }
                    for d in &found {
                        if !self.reaching.contains(&key(&d.id)) {
                            self.reach(&d.id, false);
                        }
                    }
                    self.send(Action::Discovered(Ok(found.len())));
                }
                Err(e) => self.send(Action::Discovered(Err(e.to_string()))),
            },
            Done::Action(a) => self.send(a),
        }
    }

    /// Merge servers found on the LAN into the list (dropping nothing); new rows are shown at
    /// once. Returns the ids of the servers found that were not listed before, and whether it worked.
    fn merge_discovered(&mut self, found: &[DiscoveredEntry]) -> (Vec<String>, bool) {
        if found.is_empty() {
            return (Vec::new(), true);
        }
        let before: HashSet<String> = self.mgr.reports().into_iter().map(|r| key(&r.id)).collect();
        let g = Gathered {
            connect: ConnectList::NotSignedIn,
            connect_error: None,
            discovered: found.to_vec(),
        };
        if let Err(e) = self.mgr.apply_gathered(&g) {
            self.send(Action::ServerOpFailed(e.to_string()));
            return (Vec::new(), false);
        }
        let mut new = Vec::new();
        for d in found {
            if !before.contains(&key(&d.id)) {
                if let Some(r) = self.report(&d.id) {
                    self.send(Action::ServerReached(r));
                }
                new.push(d.id.clone());
            }
        }
        (new, true)
    }

    fn maybe_refresh_finished(&mut self) {
        if !self.gathering && !self.lan_pending && self.refresh_left == 0 {
            self.refresh_finished();
        }
    }

    fn refresh_finished(&mut self) {
        if let Err(e) = self.mgr.persist() {
            tracing::warn!(error = %e, "saving failed");
        }
        // A refresh asked for meanwhile (e.g. right after a sign-in) runs now; the UI hears
        // "done" only when the list reflects it.
        if std::mem::take(&mut self.refresh_again) {
            self.start_refresh();
        } else {
            self.send(Action::RefreshDone);
        }
    }

    /// Requests that waited for this server: run them now, or say why they cannot.
    fn serve_waiting(&mut self, server_id: &str) {
        let Some(list) = self.waiting.remove(&key(server_id)) else {
            return;
        };
        match self.mgr.live_session(server_id) {
            Ok(handle) => {
                for (generation, request) in list {
                    self.call(handle.clone(), server_id.to_string(), generation, request);
                }
            }
            Err(e) => {
                let why = e.to_string();
                for (generation, request) in list {
                    let result = match request {
                        Request::Page { start, .. } => Ok(Loaded::PageFailed {
                            start,
                            error: why.clone(),
                        }),
                        _ => Err(why.clone()),
                    };
                    self.send(Action::Loaded {
                        server_id: server_id.to_string(),
                        generation,
                        result,
                    });
                }
            }
        }
    }
}

/// The newest of what two calls learned about the session.
fn newest(a: Option<Reached>, b: Option<Reached>) -> Option<Reached> {
    b.or(a)
}

/// Run one library request through a session (with its re-exchange and re-race rules).
pub async fn perform(
    handle: &SessionHandle,
    request: Request,
) -> (Result<Loaded, String>, Option<Reached>) {
    match request {
        Request::Home => {
            let (views, learned) = handle.call(true, |c| async move { c.views().await }).await;
            let views = match views {
                Ok(v) => v.items,
                Err(e) => return (Err(e.to_string()), learned),
            };
            let resume_q = ItemsQuery {
                limit: Some(12),
                recursive: Some(true),
                ..Default::default()
            };
            let next_q = ItemsQuery {
                limit: Some(12),
                ..Default::default()
            };
            let resume = handle.call(true, |c| {
                let q = resume_q.clone();
                async move { c.resume(&q).await }
            });
            let next_up = handle.call(true, |c| {
                let q = next_q.clone();
                async move { c.next_up(&q).await }
            });
            let latest = futures::future::join_all(views.iter().map(|v| {
                let q = ItemsQuery {
                    parent_id: v.id.clone(),
                    limit: Some(12),
                    ..Default::default()
                };
                let name = v.name.clone().unwrap_or_default();
                async move {
                    let (r, l) = handle
                        .call(true, |c| {
                            let q = q.clone();
                            async move { c.latest(&q).await }
                        })
                        .await;
                    ((name, r), l)
                }
            }));
            let ((resume, l1), (next_up, l2), latest) = tokio::join!(resume, next_up, latest);
            let mut learned = newest(newest(learned, l1), l2);
            let mut data = HomeData {
                views,
                resume: resume.map(|r| r.items).unwrap_or_else(|e| {
                    tracing::info!(error = %e, "continue watching failed");
                    Vec::new()
                }),
                next_up: next_up.map(|r| r.items).unwrap_or_else(|e| {
                    tracing::info!(error = %e, "next up failed");
                    Vec::new()
                }),
                latest: Vec::new(),
            };
            for ((name, r), l) in latest {
                learned = newest(learned, l);
                match r {
                    Ok(items) => data.latest.push((name, items)),
                    Err(e) => tracing::info!(library = %name, error = %e, "latest failed"),
                }
            }
            (Ok(Loaded::Home(data)), learned)
        }
        Request::Page {
            parent_id,
            search,
            start,
            limit,
        } => {
            let q = ItemsQuery {
                parent_id,
                recursive: search.as_ref().map(|_| true),
                search_term: search,
                start_index: Some(start as u32),
                limit: Some(limit as u32),
                sort_by: vec!["SortName".into()],
                enable_total_record_count: Some(true),
                ..Default::default()
            };
            let (r, learned) = handle
                .call(true, |c| {
                    let q = q.clone();
                    async move { c.items(&q).await }
                })
                .await;
            let loaded = match r {
                Ok(page) => Loaded::Page {
                    start,
                    total: page
                        .total_record_count
                        .map(|t| t as usize)
                        .unwrap_or(start + page.items.len()),
                    items: page.items,
                },
                Err(e) => Loaded::PageFailed {
                    start,
                    error: e.to_string(),
                },
            };
            (Ok(loaded), learned)
        }
        Request::Item(id) => {
            let (r, learned) = handle
                .call(true, |c| {
                    let id = id.clone();
                    async move { c.item(&id).await }
                })
                .await;
            (
                r.map(|it| Loaded::Item(Box::new(it)))
                    .map_err(|e| e.to_string()),
                learned,
            )
        }
        Request::SetPlayed { item_id, played } => {
            let (r, learned) = handle
                .call(true, |c| {
                    let id = item_id.clone();
                    async move { c.set_played(&id, played).await }
                })
                .await;
            (
                r.map(|data| Loaded::UserData { item_id, data })
                    .map_err(|e| e.to_string()),
                learned,
            )
        }
        Request::SetFavorite { item_id, favorite } => {
            let (r, learned) = handle
                .call(true, |c| {
                    let id = item_id.clone();
                    async move { c.set_favorite(&id, favorite).await }
                })
                .await;
            (
                r.map(|data| Loaded::UserData { item_id, data })
                    .map_err(|e| e.to_string()),
                learned,
            )
        }
    }
}
