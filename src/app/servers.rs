//! The servers pane: every server and how it stands, filling in as answers arrive.

use std::collections::HashSet;

use super::action::{Effect, Invitation};
use super::keymap::Command;
use super::{Message, Overlay, Pane, State, browse};
use crate::session::ServerReport;

/// The servers pane.
#[derive(Debug, Clone, Default)]
pub struct ServersPane {
    pub rows: Vec<ServerReport>,
    /// Ids (lower case) being reached right now.
    pub checking: HashSet<String>,
    pub cursor: usize,
    pub refreshing: bool,
    pub message: Option<Message>,
}

impl ServersPane {
    pub fn selected(&self) -> Option<&ServerReport> {
        self.rows.get(self.cursor)
    }

    pub fn is_checking(&self, id: &str) -> bool {
        self.checking.contains(&id.to_ascii_lowercase())
    }

    /// Replace the rows, keeping the cursor on the same server.
    pub fn set_rows(&mut self, rows: Vec<ServerReport>) {
        let keep = self.selected().map(|r| r.id.clone());
        self.rows = rows;
        match keep {
            Some(id) => self.select_id(&id),
            None => self.cursor = 0,
        }
        self.clamp();
    }

    /// Update one server's row (or add it).
    pub fn upsert(&mut self, report: ServerReport) {
        let id = report.id.to_ascii_lowercase();
        if report.state == "unavailable"
            && report.latency_ms.is_none()
            && report.mode.is_none()
            && report.error.as_deref() == Some("not contacted yet")
        {
            // listed (e.g. just found on the LAN) and about to be reached
            self.checking.insert(id);
        } else {
            self.checking.remove(&id);
        }
        match self
            .rows
            .iter_mut()
            .find(|r| r.id.eq_ignore_ascii_case(&report.id))
        {
            Some(row) => *row = report,
            None => self.rows.push(report),
        }
    }

    pub fn remove(&mut self, id: &str) {
        self.rows.retain(|r| !r.id.eq_ignore_ascii_case(id));
        self.checking.remove(&id.to_ascii_lowercase());
        self.clamp();
    }

    pub fn select_id(&mut self, id: &str) {
        if let Some(i) = self.rows.iter().position(|r| r.id.eq_ignore_ascii_case(id)) {
            self.cursor = i;
        }
    }

    fn clamp(&mut self) {
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }
}

/// The invitations overlay.
#[derive(Debug, Clone, Default)]
pub struct InvitationsView {
    pub loading: bool,
    pub list: Vec<Invitation>,
    pub cursor: usize,
    pub error: Option<String>,
    pub message: Option<String>,
}

/// A key command on the servers pane.
pub fn command(state: &mut State, cmd: Command) -> Vec<Effect> {
    let height = state.servers_height();
    let p = &mut state.servers;
    let n = p.rows.len();
    let selected = p.selected().cloned();
    match cmd {
        Command::Down => p.cursor = (p.cursor + 1).min(n.saturating_sub(1)),
        Command::Up => p.cursor = p.cursor.saturating_sub(1),
        Command::PageDown => p.cursor = (p.cursor + height).min(n.saturating_sub(1)),
        Command::PageUp => p.cursor = p.cursor.saturating_sub(height),
        Command::Top => p.cursor = 0,
        Command::Bottom => p.cursor = n.saturating_sub(1),
        Command::Open => return open_selected(state),
        Command::Refresh => {
            p.refreshing = true;
            p.message = Some(Message::info("Refreshing every server…"));
            return vec![Effect::Refresh];
        }
        Command::AddAddress => {
            let s = &mut state.signin;
            s.method = super::signin::Method::Address;
            s.target = None;
            s.focus = 0;
            s.error = None;
            s.info = Some("Type the server's address (host:port or a URL).".into());
            state.pane = Pane::SignIn;
        }
        Command::Discover => {
            p.message = Some(Message::info("Looking for servers on the LAN…"));
            return vec![Effect::Discover];
        }
        Command::SignInLocal => match selected {
            Some(r) => {
                state.signin.for_server(&r);
                state.pane = Pane::SignIn;
                return vec![Effect::PublicUsers(r.id)];
            }
            None => p.message = Some(Message::error("No server is selected.")),
        },
        Command::SignOut => match selected {
            Some(r) if r.state == "signed_in" || r.user_name.is_some() => {
                p.message = Some(Message::info(format!("Signing out of {}…", r.name)));
                return vec![Effect::SignOut(r.id)];
            }
            Some(r) => p.message = Some(Message::error(format!("Not signed in to {}.", r.name))),
            None => p.message = Some(Message::error("No server is selected.")),
        },
        Command::ConnectSignOut => {
            if state.connect_user.is_none() {
                p.message = Some(Message::error("Not signed in to Emby Connect."));
                return Vec::new();
            }
            super::ask(
                state,
                "Sign out of Emby Connect? Its servers keep their addresses; their Connect sign-ins go."
                    .into(),
                super::Pending::ConnectSignOut,
            );
        }
        Command::Remove => match selected {
            Some(r) => {
                let question = if r.source == "connect" {
                    format!(
                        "Remove {}? Emby Connect still shares it, so a refresh lists it again.",
                        r.name
                    )
                } else {
                    format!("Remove {} and its sign-in from this machine?", r.name)
                };
                super::ask(
                    state,
                    question,
                    super::Pending::RemoveServer {
                        id: r.id,
                        name: r.name,
                    },
                );
            }
            None => p.message = Some(Message::error("No server is selected.")),
        },
        Command::Invitations => {
            if state.connect_user.is_none() {
                p.message = Some(Message::error(
                    "Invitations come through Emby Connect: sign in to it first (c).",
                ));
                return Vec::new();
            }
            state.overlay = Some(Overlay::Invitations(InvitationsView {
                loading: true,
                ..Default::default()
            }));
            return vec![Effect::ListInvitations];
        }
        Command::ToSignIn => state.pane = Pane::SignIn,
        _ => {}
    }
    Vec::new()
}

/// Open (or switch to) the selected server's session.
pub fn open_selected(state: &mut State) -> Vec<Effect> {
    let Some(r) = state.servers.selected().cloned() else {
        state.servers.message = Some(Message::error(
            "No servers yet: sign in to Emby Connect (c), add one by address (a) or discover (d).",
        ));
        return Vec::new();
    };
    match r.state {
        "signed_in" => browse::open_session(state, &r.id, &r.name),
        "sign_in_required" => {
            state.servers.message = Some(Message::error(format!(
                "{} needs a sign-in ({}): press l to sign in with a local user.",
                r.name,
                r.error.as_deref().unwrap_or("no accepted sign-in")
            )));
            Vec::new()
        }
        _ if state.servers.is_checking(&r.id) => {
            state.servers.message = Some(Message::info(format!(
                "{} is still being reached; a moment…",
                r.name
            )));
            Vec::new()
        }
        _ => {
            state.servers.message = Some(Message::error(format!(
                "{} is unavailable ({}): press r to try again.",
                r.name,
                r.error.as_deref().unwrap_or("not reached")
            )));
            Vec::new()
        }
    }
}

/// A key command on the invitations overlay.
pub fn invitations_command(state: &mut State, cmd: Command) -> Vec<Effect> {
    let Some(Overlay::Invitations(v)) = &mut state.overlay else {
        return Vec::new();
    };
    match cmd {
        Command::Down => v.cursor = (v.cursor + 1).min(v.list.len().saturating_sub(1)),
        Command::Up => v.cursor = v.cursor.saturating_sub(1),
        Command::Refresh => {
            v.loading = true;
            return vec![Effect::ListInvitations];
        }
        Command::Accept | Command::Reject => {
            if let Some(inv) = v.list.get(v.cursor) {
                let accept = cmd == Command::Accept;
                v.message = Some(format!(
                    "{} {}…",
                    if accept { "Accepting" } else { "Rejecting" },
                    inv.name
                ));
                return vec![Effect::AnswerInvitation {
                    id: inv.id.clone(),
                    accept,
                }];
            }
        }
        Command::Cancel => state.overlay = None,
        _ => {}
    }
    Vec::new()
}

pub fn invitations_listed(state: &mut State, result: Result<Vec<Invitation>, String>) {
    if let Some(Overlay::Invitations(v)) = &mut state.overlay {
        v.loading = false;
        match result {
            Ok(list) => {
                v.list = list;
                v.error = None;
                v.cursor = v.cursor.min(v.list.len().saturating_sub(1));
            }
            Err(e) => v.error = Some(e),
        }
    }
}

pub fn invitation_answered(state: &mut State, result: Result<String, String>) -> Vec<Effect> {
    match result {
        Ok(msg) => {
            if let Some(Overlay::Invitations(v)) = &mut state.overlay {
                v.message = Some(msg.clone());
                v.loading = true;
            }
            state.servers.message = Some(Message::info(msg));
            state.servers.refreshing = true;
            vec![Effect::ListInvitations, Effect::Refresh]
        }
        Err(e) => {
            if let Some(Overlay::Invitations(v)) = &mut state.overlay {
                v.message = None;
                v.error = Some(e);
            } else {
                state.servers.message = Some(Message::error(e));
            }
            Vec::new()
        }
    }
}
