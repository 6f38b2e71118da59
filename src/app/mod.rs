//! The UI state and its update function: an [`Action`] in, the state changed, [`Effect`]s out.
//! Nothing here waits for anything; drawing ([`crate::ui`]) reads the state only.

pub mod account;
pub mod action;
pub mod admin;
pub mod browse;
pub mod cache;
pub mod everywhere;
pub mod images;
pub mod keymap;
pub mod layout;
pub mod log;
pub mod order;
pub mod paging;
pub mod play;
pub mod posters;
pub mod rows;
pub mod servers;
pub mod signin;
pub mod text;
pub mod theme;

pub use action::{AccountUser, AdminData, AdminOp};
pub use action::{Action, Effect, HomeData, Invitation, Loaded, PinCheck, Request};
pub use images::{ImageMode, ImageRequest};
pub use keymap::{Command, Keymap, Mode};
pub use text::TextInput;

use std::sync::Arc;

use crate::session::Event;
use crossterm::event::{KeyEventKind, MouseButton, MouseEvent, MouseEventKind};

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
    Search(TextInput),
    Invitations(InvitationsView),
    /// A one-key question before something that cannot be undone.
    Confirm(Confirm),
    /// The years the list in front shows, being typed.
    Years(TextInput),
    /// The Emby Connect account box.
    Account(account::AccountView),
    /// A server's administration view.
    Admin(Box<admin::AdminView>),
    /// The recent lines of this run's log.
    Log(log::LogView),
    /// Something to read once (the problems of config.toml); any key closes it.
    Notice {
        title: String,
        lines: Vec<String>,
    },
    /// Resume or start over, then here, another device, or a copied stream URL.
    Play(play::PlayMenu),
    /// Another device: what it plays, where, and its controls.
    Remote(play::RemotePanel),
    /// A stream URL (it holds a token), copied to the terminal's clipboard.
    StreamUrl(play::UrlView),
}

/// What waits for a yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Sign out of Emby Connect.
    ConnectSignOut,
    /// Forget a saved server.
    RemoveServer { id: String, name: String },
    /// Close a session tab.
    CloseTab { server_id: String },
}

/// The question and what a yes does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub question: String,
    pub pending: Pending,
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
    /// The keys in force (the defaults with the config file's `[keys]` applied).
    pub keymap: Arc<Keymap>,
    /// How each list was last sorted and filtered, by [`browse::order_key`].
    pub list_orders: std::collections::HashMap<String, order::ListOrder>,
    /// How this box plays (the player command, whether it needs the terminal).
    pub player: crate::player::PlayerConfig,
    /// A playback here, from the moment it is asked for until the player is gone.
    pub playing: Option<play::NowPlaying>,
    /// Text for the terminal's clipboard (OSC 52): the loop takes it and writes it out.
    pub clipboard: Option<crate::emby::Secret>,
    /// A sentence about playing, shown in the message row of any pane.
    pub notice: Option<Message>,
    /// The colour of each role (config.toml's `[theme]`, NO_COLOR).
    pub theme: theme::Theme,
    /// The recent lines of the log, for the log pane (None: no log).
    pub log: Option<Arc<log::RecentLog>>,
    /// Pictures: the mode, how this terminal draws them, those held (off unless set).
    pub images: images::Images,
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
            keymap: Arc::new(Keymap::default()),
            list_orders: std::collections::HashMap::new(),
            player: crate::player::PlayerConfig::default(),
            playing: None,
            clipboard: None,
            notice: None,
            theme: theme::Theme::default(),
            log: None,
            images: images::Images::new(images::ImageMode::Off),
            everywhere: everywhere::EverywhereView::default(),
        }
    }

    /// The text for the terminal's clipboard, if some is waiting (the loop takes it once).
    pub fn take_clipboard(&mut self) -> Option<crate::emby::Secret> {
        self.clipboard.take()
    }

    /// Whether a player has this terminal now (the loop keeps off it until this turns false).
    pub fn terminal_lent(&self) -> bool {
        self.playing.as_ref().is_some_and(|p| p.foreground)
    }

    /// The status line's hints for the pane in front, without those that would do nothing here
    /// (Enter on the details of something that is not a folder).
    pub fn status_hints(&self) -> Vec<(String, &'static str)> {
        let view = self.active_session().map(|s| &s.current().view);
        let details_of_a_leaf = matches!(view, Some(browse::View::Details(d))
            if !d.item.as_ref().is_some_and(|i| i.is_folder.unwrap_or(false)));
        let a_list = matches!(view, Some(browse::View::List(_)));
        let list_only = |cmd: Command| {
            matches!(
                cmd,
                Command::Sort
                    | Command::ReverseOrder
                    | Command::Filter
                    | Command::Genre
                    | Command::Years
            )
        };
        self.keymap
            .status_hints(self.mode())
            .into_iter()
            .filter(|(cmd, _, _)| !(details_of_a_leaf && *cmd == Command::Open))
            .filter(|(cmd, _, _)| a_list || self.mode() != Mode::Session || !list_only(*cmd))
            .map(|(_, key, help)| (key, help))
            .collect()
    }

    /// Whether a full repaint was asked for since the last call (the loop takes it once).
    pub fn take_repaint(&mut self) -> bool {
        std::mem::take(&mut self.repaint)
    }

    /// Which keymap applies now.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Some(Overlay::Help { .. }) => Mode::Help,
            Some(Overlay::Log(_)) => Mode::Log,
            Some(Overlay::Notice { .. }) => Mode::Notice,
            Some(Overlay::Search(_)) => Mode::Search,
            Some(Overlay::Confirm(_)) => Mode::Confirm,
            Some(Overlay::Years(_)) => Mode::Years,
            Some(Overlay::Invitations(_)) => Mode::Invitations,
            Some(Overlay::Account(_)) => Mode::Account,
            Some(Overlay::Admin(v)) if v.form.is_some() => Mode::AdminForm,
            Some(Overlay::Admin(v)) if v.stage != admin::AdminStage::Shown => Mode::AdminCheck,
            Some(Overlay::Admin(_)) => Mode::Admin,
            Some(Overlay::Play(_)) => Mode::PlayMenu,
            Some(Overlay::Remote(_)) => Mode::Remote,
            Some(Overlay::StreamUrl(_)) => Mode::StreamUrl,
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

    /// Visible rows of a session's list (the home view gives some to its poster strip).
    pub fn list_height(&self) -> usize {
        let rows = layout::session_rows(self.areas().body).height as usize;
        posters::list_rows(self, rows)
    }

    /// Visible rows of the servers table.
    pub fn servers_height(&self) -> usize {
        layout::servers_rows(self.areas().body).height.max(1) as usize
    }

    /// Where the session tab of `server_id` is, if one is open.
    pub fn session_index(&self, server_id: &str) -> Option<usize> {
        self.sessions
            .iter()
            .position(|s| s.server_id.eq_ignore_ascii_case(server_id))
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
        // issue 11
        Command::Account => return Some(account::open(state)),
        Command::Admin if state.pane == Pane::Session => return Some(admin::open(state)),
        Command::Log => state.overlay = Some(Overlay::Log(log::LogView::default())),
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
        Mode::Log => {
            let page = usize::from(state.size.1.saturating_sub(6));
            if cmd == Command::Quit {
                state.quit = true;
            } else if let Some(Overlay::Log(v)) = &mut state.overlay
                && !v.command(cmd, page)
            {
                state.overlay = None;
            }
            Vec::new()
        }
        Mode::Notice => {
            if cmd == Command::Quit {
                state.quit = true;
            }
            state.overlay = None;
            Vec::new()
        }
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
        Mode::Confirm => match cmd {
            Command::Confirm => confirmed(state),
            Command::Quit => {
                state.quit = true;
                Vec::new()
            }
            _ => {
                state.overlay = None;
                Vec::new()
            }
        },
        Mode::Years => match cmd {
            Command::Submit => {
                let typed = match &state.overlay {
                    Some(Overlay::Years(t)) => t.value().to_string(),
                    _ => String::new(),
                };
                state.overlay = None;
                browse::set_years(state, &typed)
            }
            Command::Cancel => {
                state.overlay = None;
                Vec::new()
            }
            Command::Quit => {
                state.quit = true;
                Vec::new()
            }
            _ => Vec::new(),
        },
        Mode::Search => match cmd {
            Command::Submit => {
                let text = match &state.overlay {
                    Some(Overlay::Search(t)) => t.value().to_string(),
                    _ => String::new(),
                };
                browse::search(state, text)
            }
            Command::Cancel => {
                state.overlay = None;
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
        // issue 11
        Mode::Account => account::command(state, cmd),
        Mode::Admin | Mode::AdminCheck => {
            if cmd == Command::Quit {
                state.quit = true;
                return Vec::new();
            }
            admin::command(state, cmd)
        }
        Mode::AdminForm => admin::form_command(state, cmd),
        Mode::PlayMenu => play::menu_command(state, cmd),
        Mode::Remote => play::remote_command(state, cmd),
        Mode::StreamUrl => play::url_command(state, cmd),
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
                _ => match cmd {
                    // Enter on something playable opens the play menu (details: i)
                    Command::Open if play::selected_is_playable(state) => {
                        play::open_menu_on_selected(state)
                    }
                    Command::Play => play::open_menu_on_selected(state),
                    Command::StopHere => play::stop_here(state),
                    _ => browse::command(state, cmd),
                },
            }
        }
    }
}

/// Asks before `pending` is done (a yes is `y` or Enter; any other key is a no).
pub fn ask(state: &mut State, question: String, pending: Pending) {
    state.overlay = Some(Overlay::Confirm(Confirm { question, pending }));
}

/// The answer was yes: do what waited for it.
fn confirmed(state: &mut State) -> Vec<Effect> {
    let Some(Overlay::Confirm(c)) = state.overlay.take() else {
        return Vec::new();
    };
    match c.pending {
        Pending::ConnectSignOut => {
            state.servers.message = Some(Message::info("Signing out of Emby Connect…"));
            vec![Effect::ConnectSignOut]
        }
        Pending::RemoveServer { id, name } => {
            state.servers.message = Some(Message::info(format!("Removing {name}…")));
            vec![Effect::Remove(id)]
        }
        Pending::CloseTab { server_id } => {
            browse::close_tab(state, &server_id);
            Vec::new()
        }
    }
}

/// The text field that has the keyboard, if any.
fn focused_field(state: &mut State) -> Option<&mut TextInput> {
    match &mut state.overlay {
        Some(Overlay::Search(t)) | Some(Overlay::Years(t)) => Some(t),
        Some(Overlay::Admin(v)) => v.focused_field(),
        None if state.pane == Pane::SignIn => state.signin.focused_field(),
        _ => None,
    }
}

/// A paste goes into the text field that has the keyboard; anywhere else it is ignored.
fn paste(state: &mut State, text: &str) {
    match state.mode() {
        Mode::Search | Mode::SignIn | Mode::Years | Mode::AdminForm => {
            if let Some(field) = focused_field(state) {
                field.paste(text);
            }
        }
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
                Mode::Servers
                    | Mode::Session
                    | Mode::Help
                    | Mode::Invitations
                    | Mode::Admin
                    | Mode::Log
                    | Mode::All
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
                    let mut rows = layout::session_rows(areas.body);
                    // the home view's poster strip is not a row of its list
                    rows.height = state.list_height() as u16;
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
            browse::close_tab(state, &id);
            everywhere::server_removed(state, &id);
        }
        Event::ConnectUser(user) => state.connect_user = user,
        Event::Playback(update) => return play::playback_update(state, update),
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

/// Apply one action; return the work it asks of the worker (with the pictures the screen now
/// wants and does not have).
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let mut effects = dispatch(state, action);
    effects.extend(posters::sync(state));
    effects
}

fn dispatch(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(key) => {
            if key.kind == KeyEventKind::Release {
                return Vec::new();
            }
            let mode = state.mode();
            if let Some(cmd) = state.keymap.lookup(mode, &key) {
                return command(state, cmd);
            }
            if mode.is_text() {
                // an editing key for the focused field (characters, cursor moves, deletions)
                if mode == Mode::AllSearch {
                    return everywhere::edit(state, |prompt| {
                        prompt.key(&key);
                    });
                }
                if let Some(field) = focused_field(state) {
                    field.key(&key);
                } else if mode == Mode::AdminForm
                    && key.code == crossterm::event::KeyCode::Char(' ')
                {
                    admin::toggle(state);
                }
            } else if state.overlay.is_some()
                && matches!(mode, Mode::Help | Mode::Confirm | Mode::Notice)
            {
                // any key closes help and a notice; any key but a yes is a no
                state.overlay = None;
            }
            Vec::new()
        }
        Action::Paste(text) => {
            if state.mode() == Mode::AllSearch {
                return everywhere::edit(state, |prompt| prompt.paste(&text));
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
            let mut effects = signin::tick(state);
            effects.extend(play::tick(state));
            effects
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
            account::signed_out(state);
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
                    browse::close_tab(state, &server_id);
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
        // issue 11
        Action::AccountLoaded(result) => {
            account::loaded(state, result);
            Vec::new()
        }
        Action::SignedUp { result, browser } => signin::signed_up(state, result, browser),
        Action::AdminLoaded { server_id, result } => {
            admin::loaded(state, &server_id, result);
            Vec::new()
        }
        Action::AdminDone { server_id, result } => admin::done(state, &server_id, result),
        Action::PlayTargets { server_id, result } => {
            play::targets_listed(state, &server_id, result);
            Vec::new()
        }
        Action::PlayEnded {
            server_id,
            item_id,
            result,
        } => {
            let played = result.is_ok();
            let mut effects = play::playback_ended(state, &server_id, &item_id, result);
            if played {
                // the All servers tab's rows of that server changed too
                effects.extend(everywhere::home_changed(state, &server_id));
            }
            effects
        }
        Action::PlayedOn {
            server_id,
            session_id,
            label,
            result,
        } => play::played_on(state, &server_id, &session_id, &label, result),
        Action::StreamUrl { server_id, result } => {
            play::stream_url(state, &server_id, result);
            Vec::new()
        }
        Action::RemoteRead {
            server_id,
            session_id,
            result,
        } => {
            play::remote_read(state, &server_id, &session_id, result);
            Vec::new()
        }
        Action::RemoteDone {
            server_id,
            session_id,
            result,
        } => play::remote_done(state, &server_id, &session_id, result),
        Action::ImageLoaded { key, picture } => {
            state.images.loaded(key, picture);
            Vec::new()
        }
        Action::Everywhere {
            server_id,
            generation,
            result,
        } => everywhere::loaded(state, &server_id, generation, result),
    }
}

#[cfg(test)]
mod tests;
