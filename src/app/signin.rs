//! The sign-in pane: Emby Connect with a password, Emby Connect with a PIN, or a server's address
//! (then one of its public users, or a typed name, and a password). One key (Ctrl-N/Ctrl-P)
//! apart; the fields edit with a cursor ([`TextInput`]).

use super::action::{Effect, PinCheck};
use super::keymap::Command;
use super::text::TextInput;
use super::{Message, Pane, State};
use crate::session::{Probed, ServerReport};

/// How long a PIN is shown before a new one is asked for (Emby Connect keeps them ~10 minutes).
pub const PIN_LIFETIME_MS: u64 = 10 * 60 * 1000;
/// How often a shown PIN is checked.
pub const PIN_POLL_MS: u64 = 3000;

/// The three ways to sign in (←/→ cycles through [`Method::ALL`]), and creating an Emby
/// Connect account (F3, or `n` in the account box; ←/→ leave it for the password sign-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Connect,
    Pin,
    Address,
    /// A new Emby Connect account (issue 11): e-mail, name, password twice.
    SignUp,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::Connect, Method::Pin, Method::Address];

    pub fn title(self) -> &'static str {
        match self {
            Method::Connect => "Emby Connect",
            Method::Pin => "Emby Connect PIN",
            Method::Address => "Server address",
            Method::SignUp => "New account",
        }
    }
}

/// Where the PIN flow stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinView {
    Idle,
    Asking,
    Showing {
        pin: String,
        expires_at_ms: u64,
        next_check_ms: u64,
        checking: bool,
    },
    Finishing,
}

/// The server chosen for a local sign-in, with the users it lists publicly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub server_id: String,
    pub name: String,
    pub users: Vec<String>,
}

/// What `--demo` tells a newcomer on the sign-in pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoHint {
    pub lines: Vec<String>,
}

/// The sign-in pane.
#[derive(Debug, Clone)]
pub struct SignIn {
    pub method: Method,
    /// The focused field of the current method.
    pub focus: usize,
    pub connect_user: TextInput,
    /// Never shown, never in a Debug print, emptied after each attempt.
    pub connect_password: TextInput,
    pub pin: PinView,
    /// Where the PIN is entered.
    pub pin_page: String,
    pub address: TextInput,
    pub target: Option<Target>,
    pub local_user: TextInput,
    pub local_password: TextInput,
    /// Waiting for an answer: what for.
    pub busy: Option<String>,
    pub error: Option<String>,
    pub info: Option<String>,
    pub demo: Option<DemoHint>,
    /// The sign-up form (issue 11).
    pub signup: SignUpForm,
}

impl Default for SignUpForm {
    fn default() -> Self {
        SignUpForm {
            email: TextInput::default(),
            name: TextInput::default(),
            password: TextInput::secret(),
            again: TextInput::secret(),
            needs_browser: false,
        }
    }
}

/// The fields of a new Emby Connect account; the password is typed twice.
#[derive(Debug, Clone)]
pub struct SignUpForm {
    pub email: TextInput,
    pub name: TextInput,
    pub password: TextInput,
    pub again: TextInput,
    /// Emby Connect wants the sign-up finished in a web browser: the sign-up link is shown.
    pub needs_browser: bool,
}

impl SignIn {
    pub fn new(pin_page: String) -> Self {
        SignIn {
            method: Method::Connect,
            focus: 0,
            connect_user: TextInput::default(),
            connect_password: TextInput::secret(),
            pin: PinView::Idle,
            pin_page,
            address: TextInput::default(),
            target: None,
            local_user: TextInput::default(),
            local_password: TextInput::secret(),
            busy: None,
            error: None,
            info: None,
            demo: None,
            signup: SignUpForm::default(),
        }
    }

    /// The number of text fields of the current method (and step).
    pub fn field_count(&self) -> usize {
        match (self.method, &self.target) {
            (Method::Connect, _) => 2,
            (Method::Pin, _) => 0,
            (Method::Address, None) => 1,
            (Method::Address, Some(_)) => 2,
            (Method::SignUp, _) => 4,
        }
    }

    /// Whether the focused field is a password.
    pub fn focus_is_password(&self) -> bool {
        match self.method {
            Method::Connect | Method::Address => self.focus == 1,
            Method::SignUp => self.focus >= 2,
            Method::Pin => false,
        }
    }

    /// The text field with the keyboard, if any (the PIN has none).
    pub(crate) fn focused_field(&mut self) -> Option<&mut TextInput> {
        match (self.method, self.focus, self.target.is_some()) {
            (Method::Connect, 0, _) => Some(&mut self.connect_user),
            (Method::Connect, _, _) => Some(&mut self.connect_password),
            (Method::Address, _, false) => Some(&mut self.address),
            (Method::Address, 0, true) => Some(&mut self.local_user),
            (Method::Address, _, true) => Some(&mut self.local_password),
            (Method::Pin, _, _) => None,
            (Method::SignUp, 0, _) => Some(&mut self.signup.email),
            (Method::SignUp, 1, _) => Some(&mut self.signup.name),
            (Method::SignUp, 2, _) => Some(&mut self.signup.password),
            (Method::SignUp, _, _) => Some(&mut self.signup.again),
        }
    }

    /// Cycle through the server's public users on the user field.
    fn pick_user(&mut self, forward: bool) -> bool {
        let Some(t) = &self.target else { return false };
        if self.method != Method::Address || self.focus != 0 || t.users.is_empty() {
            return false;
        }
        let n = t.users.len();
        let pos = t.users.iter().position(|u| u == self.local_user.value());
        let next = match (pos, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(p), true) => (p + 1) % n,
            (Some(p), false) => (p + n - 1) % n,
        };
        self.local_user.set(&t.users[next]);
        true
    }

    /// Start a local sign-in to a known server (from the servers pane).
    pub fn for_server(&mut self, report: &ServerReport) {
        self.method = Method::Address;
        self.target = Some(Target {
            server_id: report.id.clone(),
            name: report.name.clone(),
            users: Vec::new(),
        });
        self.address.set(
            report
                .address
                .as_deref()
                .or(report.manual_address.as_deref())
                .unwrap_or_default(),
        );
        self.focus = 0;
        self.error = None;
        self.info = Some(format!("Sign in to {} with one of its users.", report.name));
    }
}

fn switch_method(s: &mut SignIn, forward: bool) -> Vec<Effect> {
    let n = Method::ALL.len();
    s.method = match Method::ALL.iter().position(|m| *m == s.method) {
        Some(i) if forward => Method::ALL[(i + 1) % n],
        Some(i) => Method::ALL[(i + n - 1) % n],
        // from the sign-up form either arrow goes back to the password sign-in
        None => Method::Connect,
    };
    s.focus = 0;
    s.error = None;
    s.info = None;
    if s.method == Method::Pin && s.pin == PinView::Idle {
        s.pin = PinView::Asking;
        return vec![Effect::PinCreate];
    }
    Vec::new()
}

fn submit(state: &mut State) -> Vec<Effect> {
    let s = &mut state.signin;
    if s.busy.is_some() {
        return Vec::new();
    }
    s.error = None;
    match s.method {
        Method::SignUp => sign_up(s),
        Method::Connect if s.focus == 0 => {
            s.focus = 1;
            Vec::new()
        }
        Method::Connect => {
            if s.connect_user.value().trim().is_empty() {
                s.error = Some("Type your Emby Connect name or e-mail first.".into());
                s.focus = 0;
                return Vec::new();
            }
            s.busy = Some("Signing in to Emby Connect…".into());
            vec![Effect::ConnectSignIn {
                user: s.connect_user.value().trim().to_string(),
                password: s.connect_password.take(),
            }]
        }
        Method::Pin => match s.pin {
            PinView::Asking | PinView::Finishing => Vec::new(),
            _ => {
                s.pin = PinView::Asking;
                vec![Effect::PinCreate]
            }
        },
        Method::Address => match &s.target {
            None => {
                let address = s.address.value().trim().to_string();
                if address.is_empty() {
                    s.error = Some("Type the server's address, e.g. 192.168.1.10:8096.".into());
                    return Vec::new();
                }
                s.busy = Some(format!("Asking {address}…"));
                vec![Effect::ProbeAddress(address)]
            }
            Some(_) if s.focus == 0 => {
                s.focus = 1;
                Vec::new()
            }
            Some(t) => {
                if s.local_user.value().trim().is_empty() {
                    s.error = Some("Pick or type a user name first.".into());
                    s.focus = 0;
                    return Vec::new();
                }
                s.busy = Some(format!("Signing in to {}…", t.name));
                vec![Effect::SignInLocal {
                    server_id: t.server_id.clone(),
                    user: s.local_user.value().trim().to_string(),
                    password: s.local_password.take(),
                }]
            }
        },
    }
}

/// The sign-up form: Enter moves to the next field, and on the last one creates the account
/// when both passwords match (they are cleared either way).
fn sign_up(s: &mut SignIn) -> Vec<Effect> {
    if s.focus < 3 {
        s.focus += 1;
        return Vec::new();
    }
    let f = &mut s.signup;
    let (email, name) = (
        f.email.value().trim().to_string(),
        f.name.value().trim().to_string(),
    );
    let (password, again) = (f.password.take(), f.again.take());
    let problem = if email.is_empty() || !email.contains('@') {
        Some((0, "Type the e-mail address the account is for."))
    } else if name.is_empty() {
        Some((1, "Type the name you want on Emby Connect."))
    } else if password.is_empty() {
        Some((2, "Choose a password, then type it again."))
    } else if password != again {
        Some((
            2,
            "The two passwords differ; type the password twice again.",
        ))
    } else {
        None
    };
    if let Some((focus, why)) = problem {
        s.focus = focus;
        s.error = Some(why.into());
        return Vec::new();
    }
    f.needs_browser = false;
    s.busy = Some(format!("Creating the Emby Connect account {name}…"));
    vec![Effect::ConnectSignUp {
        email,
        user: name,
        password,
    }]
}

/// A sign-up finished: signed in to the new account (as after any Connect sign-in), or the
/// reason in the pane, with the sign-up link when a browser is needed.
pub fn signed_up(state: &mut State, result: Result<String, String>, browser: bool) -> Vec<Effect> {
    match result {
        Ok(name) => {
            let effects = connect_done(state, Ok(name.clone()));
            state.signin.signup = SignUpForm::default();
            state.signin.method = Method::Connect;
            state.signin.connect_user.set(&name);
            state.servers.message = Some(Message::info(format!(
                "Created the Emby Connect account {name} and signed in. Servers appear once their administrators share them with you (i shows invitations)."
            )));
            effects
        }
        Err(e) => {
            let s = &mut state.signin;
            s.busy = None;
            s.signup.needs_browser = browser;
            s.error = Some(e);
            s.focus = if browser { 0 } else { 2 };
            Vec::new()
        }
    }
}

/// Opens the sign-in pane on the sign-up form.
pub fn open_sign_up(state: &mut State) {
    let s = &mut state.signin;
    s.method = Method::SignUp;
    s.focus = 0;
    s.error = None;
    s.info = Some("Create an Emby Connect account: e-mail, name, and the password twice.".into());
    state.pane = Pane::SignIn;
}

/// A key command on the sign-in pane.
pub fn command(state: &mut State, cmd: Command) -> Vec<Effect> {
    let s = &mut state.signin;
    match cmd {
        Command::SignUp => {
            open_sign_up(state);
            return Vec::new();
        }
        Command::Submit => return submit(state),
        Command::NextMethod => return switch_method(s, true),
        Command::PrevMethod => return switch_method(s, false),
        Command::NextField | Command::Down
            if !(cmd == Command::Down && s.pick_user(true)) && s.field_count() > 0 =>
        {
            s.focus = (s.focus + 1) % s.field_count();
        }
        Command::PrevField | Command::Up
            if !(cmd == Command::Up && s.pick_user(false)) && s.field_count() > 0 =>
        {
            s.focus = (s.focus + s.field_count() - 1) % s.field_count();
        }
        Command::ToServers => {
            if s.method == Method::Address && s.target.is_some() && s.busy.is_none() {
                s.target = None;
                s.focus = 0;
                s.error = None;
                s.info = None;
            } else {
                state.pane = Pane::Servers;
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Signed in to Emby Connect (password or PIN): on to the servers, which are listed afresh.
pub fn connect_done(state: &mut State, result: Result<String, String>) -> Vec<Effect> {
    let s = &mut state.signin;
    s.busy = None;
    match result {
        Ok(name) => {
            s.pin = PinView::Idle;
            s.error = None;
            state.connect_user = Some(name.clone());
            state.pane = Pane::Servers;
            state.servers.message = Some(Message::info(format!(
                "Signed in to Emby Connect as {name}. Finding your servers…"
            )));
            state.servers.refreshing = true;
            vec![Effect::Refresh]
        }
        Err(e) => {
            if s.method == Method::Connect {
                s.focus = 1;
            }
            if s.method == Method::Pin {
                s.pin = PinView::Idle;
            }
            s.error = Some(e);
            Vec::new()
        }
    }
}

pub fn pin_created(state: &mut State, result: Result<String, String>) {
    let now = state.now_ms;
    let s = &mut state.signin;
    match result {
        Ok(pin) => {
            s.pin = PinView::Showing {
                pin,
                expires_at_ms: now + PIN_LIFETIME_MS,
                next_check_ms: now + PIN_POLL_MS,
                checking: false,
            };
        }
        Err(e) => {
            s.pin = PinView::Idle;
            s.error = Some(e);
        }
    }
}

pub fn pin_checked(state: &mut State, pin: &str, result: Result<PinCheck, String>) -> Vec<Effect> {
    let now = state.now_ms;
    let s = &mut state.signin;
    let PinView::Showing {
        pin: shown,
        next_check_ms,
        checking,
        ..
    } = &mut s.pin
    else {
        return Vec::new();
    };
    if shown != pin {
        return Vec::new(); // an answer about a PIN already replaced
    }
    *checking = false;
    *next_check_ms = now + PIN_POLL_MS;
    match result {
        Ok(PinCheck::Waiting) => Vec::new(),
        Ok(PinCheck::Confirmed) => {
            let pin = pin.to_string();
            s.pin = PinView::Finishing;
            s.error = None;
            vec![Effect::PinFinish { pin }]
        }
        Ok(PinCheck::Expired) => {
            s.info = Some("That PIN expired; here is a new one.".into());
            s.pin = PinView::Asking;
            vec![Effect::PinCreate]
        }
        Err(e) => {
            s.error = Some(format!("Checking the PIN failed: {e} (trying again)"));
            Vec::new()
        }
    }
}

/// The clock moved: check a shown PIN every few seconds while it is on screen, renew it on expiry.
pub fn tick(state: &mut State) -> Vec<Effect> {
    let now = state.now_ms;
    let on_screen = state.pane == Pane::SignIn && state.signin.method == Method::Pin;
    let s = &mut state.signin;
    let PinView::Showing {
        pin,
        expires_at_ms,
        next_check_ms,
        checking,
    } = &mut s.pin
    else {
        return Vec::new();
    };
    if !on_screen {
        return Vec::new();
    }
    if now >= *expires_at_ms {
        s.info = Some("That PIN expired; here is a new one.".into());
        s.pin = PinView::Asking;
        return vec![Effect::PinCreate];
    }
    if !*checking && now >= *next_check_ms {
        *checking = true;
        return vec![Effect::PinCheck { pin: pin.clone() }];
    }
    Vec::new()
}

/// A saved server's public users arrived: offer them in the picker if that server is still the
/// one being signed in to (a late answer for another is dropped).
pub fn public_users_listed(
    state: &mut State,
    server_id: &str,
    result: Result<Vec<String>, String>,
) {
    let s = &mut state.signin;
    let Some(target) = s
        .target
        .as_mut()
        .filter(|t| t.server_id.eq_ignore_ascii_case(server_id))
    else {
        return;
    };
    match result {
        Ok(users) if !users.is_empty() => {
            if s.local_user.is_empty() {
                s.local_user.set(&users[0]);
                s.focus = 1;
            }
            s.info = Some(format!(
                "Sign in to {}: pick a user with ↑/↓ or type a name, then the password.",
                target.name
            ));
            target.users = users;
        }
        Ok(_) => {}
        // The sign-in itself will say what is wrong; a name can still be typed.
        Err(e) => tracing::info!(error = %e, "public users not listed"),
    }
}

pub fn address_probed(state: &mut State, result: Result<Probed, String>) {
    let s = &mut state.signin;
    s.busy = None;
    match result {
        Ok(p) => {
            s.error = None;
            s.info = Some(if p.users.is_empty() {
                format!("{} answered. Type a user name and password.", p.name)
            } else {
                format!(
                    "{} answered. Pick a user with ↑/↓ or type a name, then the password.",
                    p.name
                )
            });
            if let Some(first) = p.users.first() {
                s.local_user.set(first);
            }
            s.target = Some(Target {
                server_id: p.id,
                name: p.name,
                users: p.users,
            });
            s.focus = if s.local_user.is_empty() { 0 } else { 1 };
        }
        Err(e) => s.error = Some(e),
    }
}

pub fn local_signed_in(state: &mut State, server_id: &str, result: Result<ServerReport, String>) {
    state.signin.busy = None;
    match result {
        Ok(report) => {
            state.signin.target = None;
            state.signin.error = None;
            state.signin.info = None;
            let name = report.user_name.clone().unwrap_or_default();
            let msg = format!("Signed in to {} as {name}. Enter opens it.", report.name);
            state.servers.upsert(report);
            state.servers.select_id(server_id);
            state.servers.message = Some(Message::info(msg));
            state.pane = Pane::Servers;
        }
        Err(e) => {
            state.signin.focus = 1;
            if state.pane == Pane::SignIn {
                state.signin.error = Some(e);
            } else {
                state.servers.message = Some(Message::error(e));
            }
        }
    }
}
