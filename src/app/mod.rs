//! The UI state and its update function: an [`Action`] in, the state changed, [`Effect`]s out.
//! Nothing here waits for anything; drawing ([`crate::ui`]) reads the state only.

pub mod action;
pub mod browse;
pub mod cache;
pub mod everywhere;
pub mod keymap;
pub mod layout;
pub mod paging;
pub mod servers;
pub mod signin;
pub mod text;

pub use action::{Action, Effect, HomeData, Invitation, Loaded, PinCheck, Request};
pub use keymap::{Command, Mode};

use crate::session::Event;
use crossterm::event::{
    KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use browse::SessionView;
use servers::{InvitationsView, ServersPane};
use signin::SignIn;
use text::Field;

/// The pane on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    SignIn,
    Servers,
    Session,
    /// The "All servers" tab: every server's home merged, and search everywhere.
    All,
}

/// A box over the pane that has the keyboard while it is open.
#[derive(Debug, Clone)]
pub enum Overlay {
    /// Every key of the mode underneath; the scroll offset.
    Help {
        under: Mode,
        scroll: u16,
    },
    /// The search prompt of the active session, with what is typed.
    Search(String),
    Invitations(InvitationsView),
}

/// A sentence for the user, and whether it reports a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

impl Message {
    pub fn info(text: impl Into<String>) -> Self {
        Message {
            text: text.into(),
            error: false,
        }
    }
    pub fn error(text: impl Into<String>) -> Self {
        Message {
            text: text.into(),
            error: true,
        }
    }
}

/// Everything the screen is drawn from.
#[derive(Debug, Clone)]
pub struct State {
    pub pane: Pane,
    pub overlay: Option<Overlay>,
    pub signin: SignIn,
    pub servers: ServersPane,
    /// Open sessions, in tab order; one per ServerId.
    pub sessions: Vec<SessionView>,
    pub active: usize,
    pub connect_user: Option<String>,
    /// The terminal's size (columns, rows).
    pub size: (u16, u16),
    /// The wall clock (ms since the Unix epoch), from the last tick.
    pub now_ms: u64,
    pub next_generation: u64,
    /// Whether the saved state has been loaded.
    pub started: bool,
    pub quit: bool,
    /// A full repaint was asked for (Ctrl-L): the loop clears the terminal before the next frame.
    pub repaint: bool,
    /// The "All servers" tab.
    pub everywhere: everywhere::EverywhereView,
}

impl State {
    /// A fresh state; `pin_page` is where a PIN is entered.
    pub fn new(pin_page: impl Into<String>) -> Self {
        State {
            pane: Pane::Servers,
            overlay: None,
            signin: SignIn::new(pin_page.into()),
            servers: ServersPane::default(),
            sessions: Vec::new(),
            active: 0,
            connect_user: None,
            size: (80, 24),
            now_ms: 0,
            next_generation: 0,
            started: false,
            quit: false,
            repaint: false,
            everywhere: everywhere::EverywhereView::default(),
        }
    }

    /// Whether a full repaint was asked for since the last call (the loop takes it once).
    pub fn take_repaint(&mut self) -> bool {
        std::mem::take(&mut self.repaint)
    }

    /// Which keymap applies now.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Some(Overlay::Help { .. }) => Mode::Help,
            Some(Overlay::Search(_)) => Mode::Search,
            Some(Overlay::Invitations(_)) => Mode::Invitations,
            None => match self.pane {
                Pane::SignIn => Mode::SignIn,
                Pane::Servers => Mode::Servers,
                Pane::Session if self.sessions.is_empty() => Mode::Servers,
                Pane::Session => Mode::Session,
                Pane::All if self.everywhere.typing => Mode::AllSearch,
                Pane::All => Mode::All,
            },
        }
    }

    pub fn new_generation(&mut self) -> u64 {
        self.next_generation += 1;
        self.next_generation
    }

    pub fn areas(&self) -> layout::Areas {
        layout::areas(self.size.0, self.size.1)
    }

    /// Visible rows of a session's list.
    pub fn list_height(&self) -> usize {
        layout::session_rows(self.areas().body).height as usize
    }

    /// Visible rows of the servers table.
    pub fn servers_height(&self) -> usize {
        layout::servers_rows(self.areas().body).height.max(1) as usize
    }

    pub fn active_session(&self) -> Option<&SessionView> {
        if self.pane == Pane::Session {
            self.sessions.get(self.active)
        } else {
            None
        }
    }

    /// The tabs of the top row, in order: sign-in, servers, "All servers" (once there is a
    /// server), then one per session.
    pub fn tabs(&self) -> Vec<(Tab, String)> {
        let mut tabs = vec![
            (Tab::SignIn, "Sign in".to_string()),
            (Tab::Servers, "Servers".to_string()),
        ];
        if self.shows_all_tab() {
            tabs.push((Tab::All, "0 All servers".to_string()));
        }
        for (i, s) in self.sessions.iter().enumerate() {
            let cached = if s.stale { " (cached)" } else { "" };
            tabs.push((Tab::Session(i), format!("{} {}{cached}", i + 1, s.name)));
        }
        // on a narrow terminal the "All servers" tab takes less room
        let width: usize = tabs
            .iter()
            .map(|(_, t)| t.chars().count() + 2 + TAB_SEPARATOR.chars().count())
            .sum();
        if width > usize::from(self.size.0)
            && let Some((_, title)) = tabs.iter_mut().find(|(t, _)| *t == Tab::All)
        {
            *title = "0 All".to_string();
        }
        tabs
    }

    pub fn current_tab(&self) -> Tab {
        match self.pane {
            Pane::SignIn => Tab::SignIn,
            Pane::Servers => Tab::Servers,
            Pane::Session if self.sessions.is_empty() => Tab::Servers,
            Pane::Session => Tab::Session(self.active),
            Pane::All => Tab::All,
        }
    }

    /// Whether the "All servers" tab is there: once any server is listed.
    pub fn shows_all_tab(&self) -> bool {
        !self.servers.rows.is_empty() || self.pane == Pane::All
    }
}

/// A tab of the top row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    SignIn,
    Servers,
    Session(usize),
    All,
}

/// The separator between tabs (drawing and mouse hit-testing agree on it).
pub const TAB_SEPARATOR: &str = " │ ";

/// The column span of each tab title in the top row, after a one-column margin.
pub fn tab_spans(state: &State) -> Vec<(Tab, u16, u16)> {
    let mut x: u16 = 1;
    let mut out = Vec::new();
    for (i, (tab, title)) in state.tabs().into_iter().enumerate() {
        if i > 0 {
            x = x.saturating_add(TAB_SEPARATOR.chars().count() as u16);
        }
        let w = title.chars().count() as u16 + 2;
        out.push((tab, x, x.saturating_add(w)));
        x = x.saturating_add(w);
    }
    out
}

fn go_to(state: &mut State, tab: Tab) {
    match tab {
        Tab::SignIn => state.pane = Pane::SignIn,
        Tab::Servers => state.pane = Pane::Servers,
        Tab::Session(i) => browse::switch_to(state, i),
        Tab::All => everywhere::show(state),
    }
}

/// `Tab` / `Shift-Tab`: through the "All servers" tab and the sessions, wrapping; from the
/// sign-in or servers pane to the first (or last) of them.
fn cycle_tabs(state: &mut State, forward: bool) {
    let mut cycle: Vec<Tab> = Vec::new();
    if state.shows_all_tab() {
        cycle.push(Tab::All);
    }
    cycle.extend((0..state.sessions.len()).map(Tab::Session));
    if cycle.is_empty() {
        return;
    }
    let n = cycle.len();
    let next = match cycle.iter().position(|t| *t == state.current_tab()) {
        Some(i) if forward => (i + 1) % n,
        Some(i) => (i + n - 1) % n,
        None if forward => 0,
        None => n - 1,
    };
    go_to(state, cycle[next]);
}

/// Commands that mean the same everywhere they are bound.
fn global(state: &mut State, cmd: Command) -> Option<Vec<Effect>> {
    match cmd {
        Command::Quit => state.quit = true,
        Command::Help => {
            state.overlay = Some(Overlay::Help {
                under: state.mode(),
                scroll: 0,
            })
        }
        Command::NextTab | Command::PrevTab => cycle_tabs(state, cmd == Command::NextTab),
        Command::Tab(i) => browse::switch_to(state, i),
        Command::ToAll => everywhere::show(state),
        Command::ToServers if state.pane == Pane::Session => state.pane = Pane::Servers,
        _ => return None,
    }
    Some(Vec::new())
}

fn command(state: &mut State, cmd: Command) -> Vec<Effect> {
    if cmd == Command::Redraw {
        // the same in every mode; nothing else changes (an overlay stays open, nothing is typed)
        state.repaint = true;
        return Vec::new();
    }
    let mode = state.mode();
    match mode {
        Mode::Help => {
            if let Some(Overlay::Help { scroll, .. }) = &mut state.overlay {
                match cmd {
                    Command::Down => *scroll = scroll.saturating_add(1),
                    Command::Up => *scroll = scroll.saturating_sub(1),
                    Command::Cancel => state.overlay = None,
                    Command::Quit => state.quit = true,
                    _ => {}
                }
            }
            Vec::new()
        }
        Mode::Search => match cmd {
            Command::Submit => {
                let text = match &state.overlay {
                    Some(Overlay::Search(t)) => t.clone(),
                    _ => String::new(),
                };
                browse::search(state, text)
            }
            Command::Cancel => {
                state.overlay = None;
                Vec::new()
            }
            Command::DeleteChar => {
                if let Some(Overlay::Search(t)) = &mut state.overlay {
                    t.pop();
                }
                Vec::new()
            }
            Command::Quit => {
                state.quit = true;
                Vec::new()
            }
            _ => Vec::new(),
        },
        Mode::Invitations => {
            if cmd == Command::Quit {
                state.quit = true;
                return Vec::new();
            }
            servers::invitations_command(state, cmd)
        }
        Mode::AllSearch => {
            if cmd == Command::Help {
                state.overlay = Some(Overlay::Help {
                    under: mode,
                    scroll: 0,
                });
                return Vec::new();
            }
            everywhere::search_command(state, cmd)
        }
        Mode::SignIn | Mode::Servers | Mode::Session | Mode::All => {
            if let Some(effects) = global(state, cmd) {
                return effects;
            }
            match mode {
                Mode::SignIn => signin::command(state, cmd),
                Mode::Servers => servers::command(state, cmd),
                Mode::All => everywhere::command(state, cmd),
                _ => browse::command(state, cmd),
            }
        }
    }
}

fn type_char(state: &mut State, c: char) {
    match &mut state.overlay {
        Some(Overlay::Search(t)) => t.type_char(c),
        None if state.pane == Pane::SignIn => signin::type_char(state, c),
        _ => {}
    }
}

/// A paste goes into the text field that has the keyboard; anywhere else it is ignored.
fn paste(state: &mut State, text: &str) {
    match state.mode() {
        Mode::Search => {
            if let Some(Overlay::Search(t)) = &mut state.overlay {
                t.paste(text);
            }
        }
        Mode::SignIn => signin::paste(state, text),
        _ => {}
    }
}

fn mouse(state: &mut State, m: MouseEvent) -> Vec<Effect> {
    let mode = state.mode();
    match m.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let cmd = if m.kind == MouseEventKind::ScrollDown {
                Command::Down
            } else {
                Command::Up
            };
            if matches!(
                mode,
                Mode::Servers | Mode::Session | Mode::Help | Mode::Invitations | Mode::All
            ) {
                let mut effects = Vec::new();
                for _ in 0..3 {
                    effects.extend(command(state, cmd));
                }
                return effects;
            }
            Vec::new()
        }
        MouseEventKind::Down(MouseButton::Left) => {
            let areas = state.areas();
            // below the minimum size the panes are not drawn, so there is nothing to click
            if state.overlay.is_some() || !layout::fits(state.size.0, state.size.1) {
                return Vec::new();
            }
            if m.row == areas.tabs.y && areas.tabs.height > 0 {
                if let Some((tab, _, _)) = tab_spans(state)
                    .into_iter()
                    .find(|(_, from, to)| m.column >= *from && m.column < *to)
                {
                    go_to(state, tab);
                }
                return Vec::new();
            }
            match mode {
                Mode::Servers => {
                    let rows = layout::servers_rows(areas.body);
                    if m.row >= rows.y && m.row < rows.y + rows.height {
                        let height = rows.height as usize;
                        let top = state
                            .servers
                            .cursor
                            .saturating_sub(height.saturating_sub(1));
                        let i = top + (m.row - rows.y) as usize;
                        if i < state.servers.rows.len() {
                            if i == state.servers.cursor {
                                return servers::open_selected(state);
                            }
                            state.servers.cursor = i;
                        }
                    }
                    Vec::new()
                }
                Mode::Session => {
                    let rows = layout::session_rows(areas.body);
                    if m.row < rows.y || m.row >= rows.y + rows.height {
                        return Vec::new();
                    }
                    let off = (m.row - rows.y) as usize;
                    let height = rows.height as usize;
                    let Some(sess) = state.sessions.get_mut(state.active) else {
                        return Vec::new();
                    };
                    let screen = sess.current_mut();
                    let (target, cursor) = match &screen.view {
                        browse::View::Home(h) => (h.top + off, h.cursor),
                        browse::View::List(l) => (l.list.top + off, l.list.cursor),
                        browse::View::Details(_) => return Vec::new(),
                    };
                    if target == cursor {
                        return command(state, Command::Open);
                    }
                    match &mut screen.view {
                        browse::View::Home(h) => {
                            if matches!(h.rows.get(target), Some(browse::HomeRow::Item(_))) {
                                h.cursor = target;
                            }
                        }
                        browse::View::List(l) if target < l.list.len() => {
                            l.list.move_to(target, height)
                        }
                        _ => {}
                    }
                    Vec::new()
                }
                Mode::All => everywhere::click(state, m.row),
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// What the session layer reported.
fn session_event(state: &mut State, event: Event) -> Vec<Effect> {
    match event {
        Event::Listed(list) => {
            state.servers.set_rows(list);
            let ids: Vec<String> = state
                .servers
                .rows
                .iter()
                .map(|r| r.id.to_ascii_lowercase())
                .collect();
            state.servers.checking.retain(|id| ids.contains(id));
            let gone: Vec<String> = state
                .everywhere
                .home_parts
                .keys()
                .filter(|k| !ids.contains(k))
                .cloned()
                .collect();
            for id in gone {
                everywhere::server_removed(state, &id);
            }
        }
        Event::Reaching(id) => {
            state.servers.checking.insert(id.to_ascii_lowercase());
        }
        Event::Server(report) => {
            for s in &mut state.sessions {
                if s.server_id.eq_ignore_ascii_case(&report.id) && !report.name.is_empty() {
                    s.name = report.name.clone();
                }
            }
            let id = report.id.clone();
            let signed_in = report.state == "signed_in";
            state.servers.upsert(*report);
            let mut effects = Vec::new();
            if signed_in {
                effects = browse::reload_stale(state, &id);
            }
            effects.extend(everywhere::server_changed(state, &id));
            return effects;
        }
        Event::Removed(id) => {
            state.servers.remove(&id);
            close_session(state, &id);
            everywhere::server_removed(state, &id);
        }
        Event::ConnectUser(user) => state.connect_user = user,
        Event::Notice(text) => state.servers.message = Some(Message::error(text)),
        Event::Refreshed => {
            state.servers.refreshing = false;
            state.servers.checking.clear();
            if state
                .servers
                .message
                .as_ref()
                .is_some_and(|m| !m.error && m.text.ends_with('…'))
            {
                let n = state.servers.rows.len();
                let signed_in = state
                    .servers
                    .rows
                    .iter()
                    .filter(|r| r.state == "signed_in")
                    .count();
                state.servers.message = Some(Message::info(format!(
                    "{n} server{}, signed in to {signed_in}.",
                    if n == 1 { "" } else { "s" }
                )));
            }
        }
    }
    Vec::new()
}

/// Closes the session tab of a server, if one is open.
fn close_session(state: &mut State, server_id: &str) {
    if let Some(i) = state
        .sessions
        .iter()
        .position(|s| s.server_id.eq_ignore_ascii_case(server_id))
    {
        state.sessions.remove(i);
        state.active = state.active.min(state.sessions.len().saturating_sub(1));
    }
}

/// Apply one action; return the work it asks of the worker.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(key) => {
            if key.kind == KeyEventKind::Release {
                return Vec::new();
            }
            let mode = state.mode();
            if let Some(cmd) = keymap::lookup(mode, &key) {
                return command(state, cmd);
            }
            if mode.is_text() {
                if let KeyCode::Char(c) = key.code
                    && !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                {
                    if mode == Mode::AllSearch {
                        return everywhere::type_char(state, c);
                    }
                    type_char(state, c);
                }
            } else if state.overlay.is_some() && matches!(mode, Mode::Help) {
                state.overlay = None;
            }
            Vec::new()
        }
        Action::Paste(text) => {
            if state.mode() == Mode::AllSearch {
                return everywhere::paste(state, &text);
            }
            paste(state, &text);
            Vec::new()
        }
        Action::Mouse(m) => mouse(state, m),
        Action::Resize(w, h) => {
            state.size = (w, h);
            let height = state.list_height();
            let mut effects = Vec::new();
            for i in 0..state.sessions.len() {
                let server_id = state.sessions[i].server_id.clone();
                let screen = state.sessions[i].current_mut();
                match &mut screen.view {
                    browse::View::List(l) => {
                        l.list.scroll_into_view(height);
                    }
                    browse::View::Home(h) => h.top = h.top.min(h.cursor),
                    browse::View::Details(_) => {}
                }
                if i == state.active {
                    effects.extend(browse::page_effects(&server_id, screen, height));
                }
            }
            let rows = everywhere::rows_area(state.areas().body).height as usize;
            state.everywhere.scroll(rows);
            effects
        }
        Action::Tick(now) => {
            state.now_ms = now;
            everywhere::tick(state);
            signin::tick(state)
        }
        Action::Started {
            connect_user,
            servers,
            notices,
        } => {
            state.started = true;
            state.connect_user = connect_user;
            let empty = servers.is_empty();
            // every saved server is being reached from now on
            state.servers.checking = servers.iter().map(|r| r.id.to_ascii_lowercase()).collect();
            state.servers.set_rows(servers);
            state.everywhere.ranks =
                crate::session::everywhere::Ranks::from_reports(&state.servers.rows);
            if let Some(n) = notices.into_iter().next() {
                state.servers.message = Some(Message::error(n));
            }
            if state.connect_user.is_none() && empty {
                state.pane = Pane::SignIn;
            } else {
                state.servers.refreshing = true;
            }
            Vec::new()
        }
        Action::ConnectSignedOut(Ok(list)) => {
            state.connect_user = None;
            state.servers.set_rows(list);
            state.servers.message = Some(Message::info(
                "Signed out of Emby Connect; servers keep their addresses (l signs in locally).",
            ));
            Vec::new()
        }
        Action::ConnectSignedOut(Err(e)) => {
            state.servers.message = Some(Message::error(e));
            Vec::new()
        }
        Action::Session(event) => session_event(state, event),
        Action::ConnectSignedIn(r) | Action::PinSignedIn(r) => signin::connect_done(state, r),
        Action::PinCreated(r) => {
            signin::pin_created(state, r);
            Vec::new()
        }
        Action::PinChecked { pin, result } => signin::pin_checked(state, &pin, result),
        Action::PublicUsersListed { server_id, result } => {
            signin::public_users_listed(state, &server_id, result);
            Vec::new()
        }
        Action::AddressProbed(r) => {
            signin::address_probed(state, r);
            Vec::new()
        }
        Action::LocalSignedIn { server_id, result } => {
            signin::local_signed_in(state, &server_id, result);
            Vec::new()
        }
        Action::ServerChanged {
            server_id,
            report,
            message,
        } => {
            let effects = match report {
                Some(r) => {
                    state.servers.upsert(r);
                    everywhere::server_changed(state, &server_id)
                }
                None => {
                    state.servers.remove(&server_id);
                    close_session(state, &server_id);
                    everywhere::server_removed(state, &server_id);
                    Vec::new()
                }
            };
            state.servers.message = Some(Message::info(message));
            effects
        }
        Action::ServerOpFailed(e) => {
            state.servers.message = Some(Message::error(e));
            Vec::new()
        }
        Action::Invitations(r) => {
            servers::invitations_listed(state, r);
            Vec::new()
        }
        Action::InvitationAnswered(r) => servers::invitation_answered(state, r),
        Action::Discovered(r) => {
            state.servers.message = Some(match r {
                Ok(0) => Message::info("No Emby Server answered on the LAN."),
                Ok(n) => Message::info(format!(
                    "{n} server{} answered on the LAN.",
                    if n == 1 { "" } else { "s" }
                )),
                Err(e) => Message::error(e),
            });
            Vec::new()
        }
        Action::Loaded {
            server_id,
            generation,
            result,
        } => browse::loaded(state, &server_id, generation, result),
        Action::Everywhere {
            server_id,
            generation,
            result,
        } => everywhere::loaded(state, &server_id, generation, result),
    }
}

#[cfg(test)]
mod tests;
