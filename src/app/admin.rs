//! A server's administration view (issue 11), over its session tab (`A`): its users with their
//! Emby Connect links, the invitations still pending, and forms to link a user and to invite a
//! guest. The worker first asks the server whether the signed-in user is an administrator; the
//! users and invitations are shown only when it says so (otherwise the box says why and nothing
//! else), and every operation is refused by the session layer for a non-administrator anyway.

use crate::emby::models::UserDto;
use crate::session::hub::Library;

use super::action::{AdminData, AdminOp, Effect};
use super::keymap::Command;
use super::text::TextInput;
use super::{Message, Overlay, State};

/// Which list of the view has the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AdminList {
    #[default]
    Users,
    Pending,
}

/// One user as the view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminUser {
    pub id: String,
    pub name: String,
    pub administrator: bool,
    pub connect_name: Option<String>,
    /// `linked`, `guest`, `pending` (a link the Connect user has not accepted yet), or None.
    pub link: Option<&'static str>,
    /// As the server sent it (ISO 8601), cut to the minute.
    pub last_activity: Option<String>,
}

/// One pending invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingInvite {
    pub id: String,
    pub user_name: String,
}

/// A form of the view: what is being typed and chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminForm {
    /// Link `user_name` to the Connect account typed in `who`.
    Link {
        user_id: String,
        user_name: String,
        who: TextInput,
    },
    /// Invite `who`; `share[i]` says whether library i is shared; focus 0 is the name, then
    /// one toggle per library, then live TV.
    Invite {
        who: TextInput,
        share: Vec<bool>,
        live_tv: bool,
        focus: usize,
    },
}

impl AdminForm {
    fn field_count(&self, libraries: usize) -> usize {
        match self {
            AdminForm::Link { .. } => 1,
            AdminForm::Invite { .. } => 2 + libraries,
        }
    }
}

/// Where the view stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminStage {
    /// Asking the server whether the signed-in user administers it.
    Checking,
    /// Not shown: not an administrator, or the server could not say (the sentence).
    Refused(String),
    /// The administration view.
    Shown,
}

/// The administration view of one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminView {
    pub server_id: String,
    pub server_name: String,
    pub stage: AdminStage,
    /// Reloading after a change (the lists stay on screen).
    pub loading: bool,
    pub users: Vec<AdminUser>,
    pub pending: Vec<PendingInvite>,
    pub pending_error: Option<String>,
    pub libraries: Vec<Library>,
    pub dashboard: Option<String>,
    pub list: AdminList,
    pub cursor: usize,
    pub form: Option<AdminForm>,
    /// An operation is under way.
    pub busy: bool,
    pub message: Option<Message>,
}

impl AdminView {
    /// The name field of the open form, when it has the keyboard.
    pub fn focused_field(&mut self) -> Option<&mut TextInput> {
        match self.form.as_mut()? {
            AdminForm::Link { who, .. } | AdminForm::Invite { who, focus: 0, .. } => Some(who),
            AdminForm::Invite { .. } => None,
        }
    }

    fn new(server_id: String, server_name: String) -> Self {
        AdminView {
            server_id,
            server_name,
            stage: AdminStage::Checking,
            loading: true,
            users: Vec::new(),
            pending: Vec::new(),
            pending_error: None,
            libraries: Vec::new(),
            dashboard: None,
            list: AdminList::Users,
            cursor: 0,
            form: None,
            busy: false,
            message: None,
        }
    }

    fn len(&self) -> usize {
        match self.list {
            AdminList::Users => self.users.len(),
            AdminList::Pending => self.pending.len(),
        }
    }

    pub fn selected_user(&self) -> Option<&AdminUser> {
        (self.list == AdminList::Users)
            .then(|| self.users.get(self.cursor))
            .flatten()
    }

    pub fn selected_pending(&self) -> Option<&PendingInvite> {
        (self.list == AdminList::Pending)
            .then(|| self.pending.get(self.cursor))
            .flatten()
    }
}

/// `LinkedUser`/`Guest` as the view names it.
fn link_name(t: Option<&str>) -> Option<&'static str> {
    match t?.to_ascii_lowercase().as_str() {
        "linkeduser" | "linked" => Some("linked"),
        "guest" => Some("guest"),
        _ => None,
    }
}

fn admin_user(u: &UserDto, pending_names: &[String]) -> AdminUser {
    let connect_name = u.connect_user_name.clone().filter(|n| !n.is_empty());
    let pending = connect_name
        .as_ref()
        .is_some_and(|n| pending_names.iter().any(|p| p.eq_ignore_ascii_case(n)));
    AdminUser {
        id: u.id.clone().unwrap_or_default(),
        name: u.name.clone().unwrap_or_default(),
        administrator: u.is_administrator(),
        link: match (&connect_name, pending) {
            (None, _) => None,
            (Some(_), true) => Some("pending"),
            (Some(_), false) => link_name(u.connect_link_type.as_deref()),
        },
        connect_name,
        last_activity: u
            .last_activity_date
            .as_deref()
            .or(u.last_login_date.as_deref())
            .map(|d| d.chars().take(16).collect::<String>().replace('T', " ")),
    }
}

fn view(state: &mut State) -> Option<&mut AdminView> {
    match &mut state.overlay {
        Some(Overlay::Admin(v)) => Some(v.as_mut()),
        _ => None,
    }
}

fn effect(v: &AdminView, op: AdminOp) -> Effect {
    Effect::Admin {
        server_id: v.server_id.clone(),
        op,
    }
}

/// `A` on a session tab: ask the server whether this user administers it; the view opens on
/// "checking" and shows the users only if so.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(s) = state.active_session() else {
        return Vec::new();
    };
    let v = AdminView::new(s.server_id.clone(), s.name.clone());
    let load = effect(&v, AdminOp::Load);
    state.overlay = Some(Overlay::Admin(Box::new(v)));
    vec![load]
}

/// A key command of the view (its lists).
pub fn command(state: &mut State, cmd: Command) -> Vec<Effect> {
    let Some(v) = view(state) else {
        return Vec::new();
    };
    if cmd == Command::Cancel {
        state.overlay = None;
        return Vec::new();
    }
    if v.stage != AdminStage::Shown {
        if cmd == Command::Refresh {
            v.stage = AdminStage::Checking;
            v.loading = true;
            return vec![effect(v, AdminOp::Load)];
        }
        return Vec::new();
    }
    match cmd {
        Command::Down => v.cursor = (v.cursor + 1).min(v.len().saturating_sub(1)),
        Command::Up => v.cursor = v.cursor.saturating_sub(1),
        Command::SwitchList => {
            v.list = match v.list {
                AdminList::Users => AdminList::Pending,
                AdminList::Pending => AdminList::Users,
            };
            v.cursor = 0;
        }
        Command::Refresh => {
            v.loading = true;
            return vec![effect(v, AdminOp::Load)];
        }
        Command::Link => match v.selected_user().cloned() {
            Some(u) => {
                v.message = None;
                v.form = Some(AdminForm::Link {
                    user_id: u.id,
                    user_name: u.name,
                    who: TextInput::new(&u.connect_name.unwrap_or_default()),
                });
            }
            None => v.message = Some(Message::error("Choose a user to link (Tab: users).")),
        },
        Command::Unlink => match v.selected_user().cloned() {
            Some(u) if u.connect_name.is_some() => {
                v.busy = true;
                v.message = Some(Message::info(format!("Unlinking {}…", u.name)));
                return vec![effect(
                    v,
                    AdminOp::Unlink {
                        user_id: u.id,
                        user_name: u.name,
                    },
                )];
            }
            Some(u) => {
                v.message = Some(Message::error(format!(
                    "{} is not linked to Emby Connect.",
                    u.name
                )))
            }
            None => v.message = Some(Message::error("Choose a user to unlink (Tab: users).")),
        },
        Command::Invite => {
            v.message = None;
            v.form = Some(AdminForm::Invite {
                who: TextInput::default(),
                share: vec![true; v.libraries.len()],
                live_tv: false,
                focus: 0,
            });
        }
        Command::CancelInvite => match v.selected_pending().cloned() {
            Some(p) => {
                v.busy = true;
                v.message = Some(Message::info(format!(
                    "Cancelling the invitation of {}…",
                    p.user_name
                )));
                return vec![effect(
                    v,
                    AdminOp::CancelInvite {
                        id: p.id,
                        user_name: p.user_name,
                    },
                )];
            }
            None => {
                v.message = Some(Message::error(
                    "Choose a pending invitation to cancel (Tab: pending).",
                ))
            }
        },
        _ => {}
    }
    Vec::new()
}

/// A key command of an open form.
pub fn form_command(state: &mut State, cmd: Command) -> Vec<Effect> {
    let Some(v) = view(state) else {
        return Vec::new();
    };
    let libraries = v.libraries.len();
    let Some(form) = v.form.as_mut() else {
        return Vec::new();
    };
    let n = form.field_count(libraries);
    match (cmd, form) {
        (Command::Cancel, _) => v.form = None,
        (Command::Quit, _) => state.quit = true,
        (Command::NextField, AdminForm::Invite { focus, .. }) => *focus = (*focus + 1) % n,
        (Command::PrevField, AdminForm::Invite { focus, .. }) => *focus = (*focus + n - 1) % n,
        (Command::Submit, _) => return submit(v),
        _ => {}
    }
    Vec::new()
}

fn submit(v: &mut AdminView) -> Vec<Effect> {
    if v.busy {
        return Vec::new();
    }
    let op = match &v.form {
        Some(AdminForm::Link {
            user_id,
            user_name,
            who,
        }) => {
            if who.value().trim().is_empty() {
                v.message = Some(Message::error(
                    "Type the Emby Connect name or e-mail address to link.",
                ));
                return Vec::new();
            }
            AdminOp::Link {
                user_id: user_id.clone(),
                user_name: user_name.clone(),
                name_or_email: who.value().trim().to_string(),
            }
        }
        Some(AdminForm::Invite {
            who,
            share,
            live_tv,
            ..
        }) => {
            if who.value().trim().is_empty() {
                v.message = Some(Message::error(
                    "Type the Emby Connect name or e-mail address to invite.",
                ));
                return Vec::new();
            }
            let libraries = if share.iter().all(|s| *s) {
                None
            } else if !share.iter().any(|s| *s) && !v.libraries.is_empty() {
                v.message = Some(Message::error(
                    "Share at least one library (Space ticks it).",
                ));
                return Vec::new();
            } else {
                Some(
                    v.libraries
                        .iter()
                        .zip(share)
                        .filter(|(_, s)| **s)
                        .map(|(l, _)| l.id.clone())
                        .collect(),
                )
            };
            AdminOp::Invite {
                name_or_email: who.value().trim().to_string(),
                libraries,
                live_tv: *live_tv,
            }
        }
        None => return Vec::new(),
    };
    v.busy = true;
    v.message = Some(Message::info("Asking the server…"));
    vec![effect(v, op)]
}

/// Space on a toggle of the invite form ticks it (on the name field it types).
pub fn toggle(state: &mut State) {
    let Some(v) = view(state) else { return };
    if let Some(AdminForm::Invite {
        share,
        live_tv,
        focus,
        ..
    }) = v.form.as_mut()
        && *focus > 0
    {
        match share.get_mut(*focus - 1) {
            Some(s) => *s = !*s,
            None => *live_tv = !*live_tv,
        }
    }
}

/// The server said what the view shows (or why it is not shown). A late answer for a view
/// closed or opened on another server is dropped.
pub fn loaded(state: &mut State, server_id: &str, result: Result<AdminData, String>) {
    let Some(v) = view(state).filter(|v| v.server_id.eq_ignore_ascii_case(server_id)) else {
        return;
    };
    v.loading = false;
    match result {
        Ok(data) => {
            let pending_names: Vec<String> = data
                .pending
                .iter()
                .filter_map(|p| p.user_name.clone())
                .collect();
            v.users = data
                .users
                .iter()
                .map(|u| admin_user(u, &pending_names))
                .collect();
            v.pending = data
                .pending
                .iter()
                .map(|p| PendingInvite {
                    id: p.id.clone().unwrap_or_default(),
                    user_name: p
                        .user_name
                        .clone()
                        .or_else(|| p.connect_user_id.clone())
                        .unwrap_or_default(),
                })
                .collect();
            v.pending_error = data.pending_error;
            v.libraries = data.libraries;
            v.dashboard = data.dashboard;
            if !data.server_name.is_empty() {
                v.server_name = data.server_name;
            }
            v.cursor = v.cursor.min(v.len().saturating_sub(1));
            v.stage = AdminStage::Shown;
        }
        Err(e) if v.stage == AdminStage::Shown => v.message = Some(Message::error(e)),
        Err(e) => {
            // nothing of the server's administration is kept or shown
            v.users.clear();
            v.pending.clear();
            v.stage = AdminStage::Refused(e);
        }
    }
}

/// An operation finished: its sentence, the form closed on success, and a reload.
pub fn done(state: &mut State, server_id: &str, result: Result<String, String>) -> Vec<Effect> {
    let Some(v) = view(state).filter(|v| v.server_id.eq_ignore_ascii_case(server_id)) else {
        return Vec::new();
    };
    v.busy = false;
    match result {
        Ok(text) => {
            v.form = None;
            v.message = Some(Message::info(text));
            v.loading = true;
            vec![effect(v, AdminOp::Load)]
        }
        Err(e) => {
            v.message = Some(Message::error(e));
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Action, update};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn press(s: &mut State, code: KeyCode, mods: KeyModifiers) {
        update(s, Action::Key(KeyEvent::new(code, mods)));
    }

    /// The invite form's name field edits like every other (cursor, words, Ctrl-W), and Space
    /// ticks a library only when a toggle has the focus.
    #[test]
    fn the_admin_forms_name_field_edits_at_its_cursor() {
        let mut s = State::new("pin");
        let mut v = AdminView::new("s1".into(), "Living Room".into());
        v.stage = AdminStage::Shown;
        v.libraries = vec![Library {
            id: "l1".into(),
            name: "Movies".into(),
        }];
        v.form = Some(AdminForm::Invite {
            who: TextInput::default(),
            share: vec![true],
            live_tv: false,
            focus: 0,
        });
        s.overlay = Some(Overlay::Admin(Box::new(v)));
        for c in "ann lee".chars() {
            press(&mut s, KeyCode::Char(c), KeyModifiers::NONE);
        }
        press(&mut s, KeyCode::Home, KeyModifiers::NONE);
        press(&mut s, KeyCode::Char('x'), KeyModifiers::NONE);
        press(&mut s, KeyCode::End, KeyModifiers::NONE);
        press(&mut s, KeyCode::Char('w'), KeyModifiers::CONTROL);
        let form = |s: &State| match &s.overlay {
            Some(Overlay::Admin(v)) => v.form.clone().unwrap(),
            _ => panic!("the admin view closed"),
        };
        let AdminForm::Invite { who, .. } = form(&s) else {
            panic!()
        };
        assert_eq!(who.value(), "xann ");
        press(&mut s, KeyCode::Tab, KeyModifiers::NONE);
        press(&mut s, KeyCode::Char(' '), KeyModifiers::NONE);
        let AdminForm::Invite { who, share, .. } = form(&s) else {
            panic!()
        };
        assert_eq!(share, [false]);
        assert_eq!(who.value(), "xann ", "a space on a toggle is not typed");
    }
}
