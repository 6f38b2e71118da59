//! The Emby Connect account box (issue 11): who is signed in (name and e-mail, asked of the
//! service), sign out, and where to sign up, change the password or reset a forgotten one.
//! Opened from the sign-in pane (F2) and the servers pane (u).

use super::action::{AccountUser, Effect};
use super::keymap::Command;
use super::{Message, Overlay, Pane, State, signin};

/// The account box.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountView {
    /// Asking the service who is signed in.
    pub loading: bool,
    pub user: Option<AccountUser>,
    pub error: Option<String>,
    pub message: Option<String>,
}

/// Opens the box; asks the service who is signed in when someone is.
pub fn open(state: &mut State) -> Vec<Effect> {
    let signed_in = state.connect_user.is_some();
    state.overlay = Some(Overlay::Account(AccountView {
        loading: signed_in,
        ..AccountView::default()
    }));
    if signed_in {
        vec![Effect::ConnectWhoAmI]
    } else {
        Vec::new()
    }
}

fn view(state: &mut State) -> Option<&mut AccountView> {
    match &mut state.overlay {
        Some(Overlay::Account(v)) => Some(v),
        _ => None,
    }
}

/// A key command in the box.
pub fn command(state: &mut State, cmd: Command) -> Vec<Effect> {
    match cmd {
        Command::Cancel => state.overlay = None,
        Command::Quit => state.quit = true,
        Command::ToSignIn => {
            state.overlay = None;
            state.signin.method = signin::Method::Connect;
            state.signin.focus = 0;
            state.pane = Pane::SignIn;
        }
        Command::SignUp => {
            state.overlay = None;
            signin::open_sign_up(state);
        }
        Command::ConnectSignOut => {
            if state.connect_user.is_none() {
                if let Some(v) = view(state) {
                    v.message = Some("Not signed in to Emby Connect.".into());
                }
                return Vec::new();
            }
            if let Some(v) = view(state) {
                v.message = Some("Signing out of Emby Connect…".into());
            }
            state.servers.message = Some(Message::info("Signing out of Emby Connect…"));
            return vec![Effect::ConnectSignOut];
        }
        Command::Refresh if state.connect_user.is_some() => {
            if let Some(v) = view(state) {
                v.loading = true;
                v.error = None;
            }
            return vec![Effect::ConnectWhoAmI];
        }
        _ => {}
    }
    Vec::new()
}

/// The service said who is signed in (or why it could not).
pub fn loaded(state: &mut State, result: Result<AccountUser, String>) {
    let Some(v) = view(state) else { return };
    v.loading = false;
    match result {
        Ok(user) => {
            v.user = Some(user);
            v.error = None;
        }
        Err(e) => v.error = Some(e),
    }
}

/// Signed out of Emby Connect: the box (if open) says so.
pub fn signed_out(state: &mut State) {
    if let Some(v) = view(state) {
        *v = AccountView {
            message: Some("Signed out of Emby Connect.".into()),
            ..AccountView::default()
        };
    }
}
