//! The background side of the UI: runs each [`Effect`] as the [`Hub`] operation it names, in a
//! task of its own (a slow or dead server never holds up another), and sends the result back as
//! an [`Action`]. What the hub reports while operations run ([`Event`]s) reaches the UI as
//! [`Action::Session`], through the same channel and in order.
//!
//! Nothing here orchestrates: the command line awaits the very same hub operations.

mod images;

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::app::action::{EverywhereLoaded, EverywhereRequest};
use crate::app::everywhere::SEARCH_LIMIT;
use crate::app::{AccountUser, Action, AdminOp, Effect, Invitation, Loaded, PinCheck, Request};
use crate::emby::server::{ItemsQuery, SortOrder};
use crate::session::hub::DISCOVER_FOR;
use crate::session::hub::{InviteOptions, LinkOutcome};
use crate::session::{Event, Hub, SessionConfig, SessionError, Snapshot};

/// Opens the session layer and starts the worker on the current tokio runtime. Returns what to
/// draw at once (before anything is reached), the Effect sender and the Action receiver. The
/// worker stops when the Effect sender is dropped.
pub fn spawn(
    cfg: SessionConfig,
) -> Result<(Snapshot, UnboundedSender<Effect>, UnboundedReceiver<Action>), SessionError> {
    let (effect_tx, effect_rx) = unbounded_channel();
    let (action_tx, action_rx) = unbounded_channel();
    let events = action_tx.clone();
    let hub = Hub::open(
        cfg,
        Some(Arc::new(move |e: Event| {
            // the UI is gone: nothing to tell
            let _ = events.send(Action::Session(e));
        })),
    )?;
    let snapshot = hub.snapshot();
    tokio::spawn(run(hub, effect_rx, action_tx));
    Ok((snapshot, effect_tx, action_rx))
}

/// Runs effects until the UI drops its sender. An effect that supersedes another
/// ([`Effect::supersedes`]: the search of the previous letters on a server, say) cancels the one
/// still running: newest request wins, and the server is not kept busy with what nobody reads.
pub async fn run(
    hub: Hub,
    mut effects: UnboundedReceiver<Effect>,
    actions: UnboundedSender<Action>,
) {
    let mut newest: HashMap<String, tokio::task::AbortHandle> = HashMap::new();
    while let Some(effect) = effects.recv().await {
        let supersedes = effect.supersedes();
        let hub = hub.clone();
        let actions = actions.clone();
        let task = tokio::spawn(async move {
            if let Some(action) = perform(&hub, effect).await {
                for part in action.in_parts() {
                    // the UI is gone: nothing to tell
                    let _ = actions.send(part);
                }
            }
        });
        if let Some(key) = supersedes
            && let Some(older) = newest.insert(key, task.abort_handle())
        {
            older.abort();
        }
    }
}

fn text<T>(r: Result<T, SessionError>) -> Result<T, String> {
    r.map_err(|e| e.to_string())
}

/// One effect, as the hub operation it names; its result as an Action (None: the operation's
/// events say everything).
pub async fn perform(hub: &Hub, effect: Effect) -> Option<Action> {
    Some(match effect {
        Effect::Start | Effect::Refresh => {
            if let Err(e) = hub.refresh().await {
                return Some(Action::ServerOpFailed(e.to_string()));
            }
            return None;
        }
        Effect::ConnectSignIn { user, password } => {
            Action::ConnectSignedIn(text(hub.connect_sign_in(&user, &password).await))
        }
        Effect::PinCreate => Action::PinCreated(text(hub.pin_create().await.map(|p| p.pin))),
        Effect::PinCheck { pin } => {
            let result = hub.pin_status(&pin).await.map(|s| {
                if s.is_confirmed {
                    PinCheck::Confirmed
                } else if s.is_expired {
                    PinCheck::Expired
                } else {
                    PinCheck::Waiting
                }
            });
            Action::PinChecked {
                pin,
                result: text(result),
            }
        }
        Effect::PinFinish { pin } => Action::PinSignedIn(text(hub.pin_finish(&pin).await)),
        Effect::ProbeAddress(address) => {
            Action::AddressProbed(text(hub.probe_address(&address).await))
        }
        Effect::SignInLocal {
            server_id,
            user,
            password,
        } => {
            let result = text(hub.sign_in_local(&server_id, &user, &password).await);
            Action::LocalSignedIn { server_id, result }
        }
        Effect::PublicUsers(server_id) => {
            let result = text(hub.public_users(&server_id).await);
            Action::PublicUsersListed { server_id, result }
        }
        Effect::ConnectSignOut => {
            Action::ConnectSignedOut(text(hub.connect_sign_out().await.map(|_| hub.reports())))
        }
        Effect::SignOut(id) => match hub.server_sign_out(&id).await {
            Ok(report) => Action::ServerChanged {
                server_id: id,
                message: format!("Signed out of {}; l signs in again.", report.name),
                report: Some(report),
            },
            Err(e) => Action::ServerOpFailed(e.to_string()),
        },
        Effect::Remove(id) => {
            let name = hub.report(&id).map(|r| r.name).unwrap_or_default();
            match hub.remove_server(&id).await {
                Ok(from_connect) => Action::ServerChanged {
                    server_id: id,
                    report: None,
                    message: if from_connect {
                        format!(
                            "Removed {name}; Emby Connect still shares it, so a refresh lists it again."
                        )
                    } else {
                        format!("Removed {name}.")
                    },
                },
                Err(e) => Action::ServerOpFailed(e.to_string()),
            }
        }
        Effect::Discover if !hub.discovery_enabled() => Action::Discovered(Err(
            "LAN discovery is off (started with --no-discovery).".into(),
        )),
        Effect::Discover => Action::Discovered(text(hub.discover(DISCOVER_FOR).await)),
        Effect::ListInvitations => Action::Invitations(text(hub.invitations().await.map(|list| {
            list.into_iter()
                .map(|i| Invitation {
                    id: i.system_id.or(i.id).unwrap_or_default(),
                    name: i.name.unwrap_or_default(),
                })
                .collect()
        }))),
        Effect::AnswerInvitation { id, accept } => {
            Action::InvitationAnswered(text(hub.answer_invitation(&id, accept).await.map(|()| {
                if accept {
                    "Invitation accepted; the server is listed now.".to_string()
                } else {
                    "Invitation rejected.".to_string()
                }
            })))
        }
        Effect::Load {
            server_id,
            generation,
            request,
        } => {
            let result = load(hub, &server_id, request).await;
            Action::Loaded {
                server_id,
                generation,
                result,
            }
        }
        // issue 11: the Connect account and server administration
        Effect::ConnectWhoAmI => {
            Action::AccountLoaded(text(hub.connect_whoami().await.map(|u| AccountUser {
                name: u.name.unwrap_or_else(|| "(no name)".into()),
                email: u.email.filter(|e| !e.is_empty()),
            })))
        }
        Effect::ConnectSignUp {
            email,
            user,
            password,
        } => sign_up(hub, &email, &user, &password).await,
        Effect::Admin { server_id, op } => admin(hub, server_id, op).await,
        Effect::PlayTargets { server_id } => Action::PlayTargets {
            result: text(hub.controllable_sessions(&server_id).await),
            server_id,
        },
        Effect::PlayHere {
            server_id,
            item_id,
            start,
            player,
            foreground,
        } => {
            let result = text(
                hub.play_here(&server_id, &item_id, start, &player, foreground)
                    .await,
            );
            Action::PlayEnded {
                server_id,
                item_id,
                result,
            }
        }
        Effect::StopHere => {
            hub.stop_here();
            return None;
        }
        Effect::PlayOn {
            server_id,
            session_id,
            label,
            item_id,
            start,
        } => {
            let result = text(
                hub.play_on(&server_id, &session_id, &item_id, start)
                    .await
                    .map(|_| ()),
            );
            Action::PlayedOn {
                server_id,
                session_id,
                label,
                result,
            }
        }
        Effect::CopyUrl { server_id, item_id } => Action::StreamUrl {
            result: text(hub.stream_url(&server_id, &item_id).await),
            server_id,
        },
        Effect::RemoteRefresh {
            server_id,
            session_id,
        } => Action::RemoteRead {
            result: text(
                hub.remote_session(&server_id, &session_id)
                    .await
                    .map(Box::new),
            ),
            server_id,
            session_id,
        },
        Effect::RemoteCommand {
            server_id,
            session_id,
            command,
        } => Action::RemoteDone {
            result: text(
                hub.remote_command(&server_id, &session_id, command)
                    .await
                    .map(|()| crate::app::play::done(command)),
            ),
            server_id,
            session_id,
        },
        Effect::LoadImage(request) => images::load(hub, request).await,
        Effect::Everywhere {
            server_id,
            generation,
            request,
        } => {
            let result = match request {
                EverywhereRequest::Home => text(hub.everywhere_home(&server_id).await)
                    .map(|h| EverywhereLoaded::Home(Box::new(h))),
                EverywhereRequest::Search(term) => {
                    text(hub.everywhere_search(&server_id, &term, SEARCH_LIMIT).await)
                        .map(|s| EverywhereLoaded::Search(Box::new(s)))
                }
            };
            Action::Everywhere {
                server_id,
                generation,
                result,
            }
        }
    })
}

/// Creates the Connect account, then signs in to it (the sign-up form is on the sign-in pane).
async fn sign_up(hub: &Hub, email: &str, user: &str, password: &crate::emby::Secret) -> Action {
    if let Err(e) = hub.connect_sign_up(email, user, password).await {
        let browser = matches!(e, SessionError::SignUpRefused { browser: true, .. });
        return Action::SignedUp {
            result: Err(e.to_string()),
            browser,
        };
    }
    Action::SignedUp {
        result: hub.connect_sign_in(user, password).await.map_err(|e| {
            format!(
                "The account {user} was created, but signing in to it failed ({e}); sign in on the Emby Connect tab."
            )
        }),
        browser: false,
    }
}

/// One operation of a server's administration view, as the hub operation it names.
async fn admin(hub: &Hub, server_id: String, op: AdminOp) -> Action {
    let done = |result: Result<String, SessionError>| Action::AdminDone {
        server_id: server_id.clone(),
        result: text(result),
    };
    match op {
        AdminOp::Load => Action::AdminLoaded {
            result: text(hub.admin_overview(&server_id).await),
            server_id,
        },
        AdminOp::Link {
            user_id,
            user_name,
            name_or_email,
        } => done(
            hub.link_user(&server_id, &user_id, &name_or_email)
                .await
                .map(|o| match o {
                    LinkOutcome::Linked => {
                        format!("{user_name} is linked to the Emby Connect account {name_or_email}.")
                    }
                    LinkOutcome::Pending => format!(
                        "{user_name} is linked to {name_or_email}, pending: they accept it among their Emby Connect invitations."
                    ),
                    LinkOutcome::InvitedToSignUp => format!(
                        "No Emby Connect account uses {name_or_email}: an invitation to sign up was sent; the link waits for it."
                    ),
                }),
        ),
        AdminOp::Unlink { user_id, user_name } => done(
            hub.unlink_user(&server_id, &user_id)
                .await
                .map(|()| format!("{user_name} is no longer linked to Emby Connect.")),
        ),
        AdminOp::Invite {
            name_or_email,
            libraries,
            live_tv,
        } => {
            let options = InviteOptions {
                name_or_email: name_or_email.clone(),
                libraries,
                live_tv,
            };
            done(hub.invite_guest(&server_id, &options).await.map(|o| match o {
                LinkOutcome::InvitedToSignUp => format!(
                    "No Emby Connect account uses {name_or_email}: an invitation to sign up was sent."
                ),
                LinkOutcome::Pending => format!(
                    "Invited {name_or_email}; the invitation waits until they accept it."
                ),
                LinkOutcome::Linked => format!("{name_or_email} is a guest now."),
            }))
        }
        AdminOp::CancelInvite { id, user_name } => done(
            hub.cancel_invitation(&server_id, &id)
                .await
                .map(|()| format!("Cancelled the invitation of {user_name}.")),
        ),
    }
}

/// One library request on a server's own session.
async fn load(hub: &Hub, server_id: &str, request: Request) -> Result<Loaded, String> {
    match request {
        Request::Home => text(hub.home(server_id).await).map(Loaded::Home),
        Request::Page {
            parent_id,
            search,
            order,
            start,
            limit,
        } => {
            let q = ItemsQuery {
                parent_id,
                recursive: search.as_ref().map(|_| true),
                search_term: search,
                start_index: Some(start as u32),
                limit: Some(limit as u32),
                sort_by: order.sort.api().iter().map(|s| s.to_string()).collect(),
                sort_order: Some(if order.descending {
                    SortOrder::Descending
                } else {
                    SortOrder::Ascending
                }),
                filters: order.shown.api().into_iter().map(str::to_string).collect(),
                genres: order.genre.clone().into_iter().collect(),
                years: order.year_list(),
                enable_total_record_count: Some(true),
                ..Default::default()
            };
            // a page that fails may be asked again; the list says so where the page would be
            Ok(match hub.items(server_id, &q).await {
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
            })
        }
        Request::Genres { parent_id } => {
            text(hub.genres(server_id, parent_id.as_deref()).await).map(Loaded::Genres)
        }
        Request::Item(id) => {
            text(hub.item(server_id, &id).await).map(|it| Loaded::Item(Box::new(it)))
        }
        Request::SetPlayed { item_id, played } => {
            text(hub.set_played(server_id, &item_id, played).await)
                .map(|data| Loaded::UserData { item_id, data })
        }
        Request::SetFavorite { item_id, favorite } => {
            text(hub.set_favorite(server_id, &item_id, favorite).await)
                .map(|data| Loaded::UserData { item_id, data })
        }
    }
}
