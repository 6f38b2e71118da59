//! Keys to [`Command`]s, one table per [`Mode`]. The status line and the `?` help are built from
//! these tables, so what is shown is always what works.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Which table applies: the pane or overlay that has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    SignIn,
    Servers,
    Session,
    Search,
    Invitations,
    Help,
    /// The "All servers" tab.
    All,
    /// Typing a search on the "All servers" tab (each key searches).
    AllSearch,
}

impl Mode {
    /// Every mode with keys of its own, in the order help lists them after the current one.
    pub const ALL: [Mode; 7] = [
        Mode::SignIn,
        Mode::Servers,
        Mode::Session,
        Mode::Search,
        Mode::Invitations,
        Mode::All,
        Mode::AllSearch,
    ];

    /// In text modes, printable keys not bound here are typed into the focused field.
    pub fn is_text(self) -> bool {
        matches!(self, Mode::SignIn | Mode::Search | Mode::AllSearch)
    }

    /// Modes where digits choose a tab (`0` the "All servers" tab, `1`-`9` a session).
    fn has_tabs(self) -> bool {
        matches!(self, Mode::Servers | Mode::Session | Mode::All)
    }

    pub fn title(self) -> &'static str {
        match self {
            Mode::SignIn => "Sign-in",
            Mode::Servers => "Servers",
            Mode::Session => "Session",
            Mode::Search => "Search",
            Mode::Invitations => "Invitations",
            Mode::Help => "Help",
            Mode::All => "All servers",
            Mode::AllSearch => "Search everywhere",
        }
    }
}

/// What a key means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Quit,
    Help,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Details,
    Refresh,
    NextTab,
    PrevTab,
    Tab(usize),
    ToServers,
    CloseTab,
    Search,
    TogglePlayed,
    ToggleFavorite,
    AddAddress,
    Discover,
    SignInLocal,
    SignOut,
    ConnectSignOut,
    Remove,
    Invitations,
    ToSignIn,
    Accept,
    Reject,
    NextMethod,
    PrevMethod,
    NextField,
    PrevField,
    Submit,
    Cancel,
    DeleteChar,
    /// Clear the terminal and draw everything again (bound in every mode).
    Redraw,
    /// The "All servers" tab (`0`).
    ToAll,
    /// Open the selected row on another of the servers it is on.
    OtherServer,
}

/// A key: code and modifiers (Shift is ignored for characters, which carry their case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(pub KeyCode, pub KeyModifiers);

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

const fn ch(c: char) -> Key {
    Key(KeyCode::Char(c), NONE)
}
const fn code(c: KeyCode) -> Key {
    Key(c, NONE)
}
const fn ctrl(c: char) -> Key {
    Key(KeyCode::Char(c), CTRL)
}

/// One line of a keymap: the keys, what they do, and whether the status line names them.
pub struct Binding {
    pub keys: &'static [Key],
    pub command: Command,
    pub help: &'static str,
    pub status: bool,
}

const fn b(keys: &'static [Key], command: Command, help: &'static str, status: bool) -> Binding {
    Binding {
        keys,
        command,
        help,
        status,
    }
}

use Command as C;
use KeyCode as K;

const SIGN_IN: &[Binding] = &[
    b(&[code(K::Enter)], C::Submit, "sign in / next step", true),
    b(
        &[code(K::Right)],
        C::NextMethod,
        "next way to sign in",
        true,
    ),
    b(&[code(K::Left)], C::PrevMethod, "previous way", false),
    b(&[code(K::Tab)], C::NextField, "next field", true),
    b(&[code(K::BackTab)], C::PrevField, "previous field", false),
    b(&[code(K::Down)], C::Down, "next field or user", false),
    b(&[code(K::Up)], C::Up, "previous field or user", false),
    b(
        &[code(K::Backspace)],
        C::DeleteChar,
        "delete a character",
        false,
    ),
    b(&[code(K::Esc)], C::ToServers, "servers", true),
    b(&[code(K::F(1))], C::Help, "all keys", true),
    b(&[ctrl('c')], C::Quit, "quit", true),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const SERVERS: &[Binding] = &[
    b(&[ch('j'), code(K::Down)], C::Down, "down", false),
    b(&[ch('k'), code(K::Up)], C::Up, "up", false),
    b(&[ch('g'), code(K::Home)], C::Top, "first", false),
    b(&[ch('G'), code(K::End)], C::Bottom, "last", false),
    b(&[code(K::Enter), ch('o')], C::Open, "open session", true),
    b(&[ch('r')], C::Refresh, "refresh", true),
    b(&[ch('a')], C::AddAddress, "add by address", true),
    b(&[ch('d')], C::Discover, "discover on LAN", true),
    b(&[ch('l')], C::SignInLocal, "sign in locally", true),
    b(&[ch('x')], C::SignOut, "sign out", true),
    b(&[ch('D'), code(K::Delete)], C::Remove, "remove", true),
    b(&[ch('i')], C::Invitations, "invitations", true),
    b(&[ch('c')], C::ToSignIn, "sign-in pane", false),
    b(
        &[ch('C')],
        C::ConnectSignOut,
        "sign out of Emby Connect",
        false,
    ),
    b(&[code(K::Tab)], C::NextTab, "next session", false),
    b(&[code(K::BackTab)], C::PrevTab, "previous session", false),
    b(&[ch('?')], C::Help, "help", true),
    b(&[ch('q'), ctrl('c')], C::Quit, "quit", true),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const SESSION: &[Binding] = &[
    b(&[ch('j'), code(K::Down)], C::Down, "down", false),
    b(&[ch('k'), code(K::Up)], C::Up, "up", false),
    b(
        &[code(K::PageDown), ctrl('d')],
        C::PageDown,
        "page down",
        false,
    ),
    b(&[code(K::PageUp), ctrl('u')], C::PageUp, "page up", false),
    b(&[ch('g'), code(K::Home)], C::Top, "first", false),
    b(&[ch('G'), code(K::End)], C::Bottom, "last", false),
    b(
        &[code(K::Enter), ch('l'), code(K::Right)],
        C::Open,
        "open",
        true,
    ),
    b(
        &[code(K::Esc), ch('h'), code(K::Left), code(K::Backspace)],
        C::Back,
        "back",
        true,
    ),
    b(&[ch('i')], C::Details, "details", true),
    b(&[ch('p')], C::TogglePlayed, "played", true),
    b(&[ch('f')], C::ToggleFavorite, "favourite", true),
    b(&[ch('/')], C::Search, "search", true),
    b(&[ch('r')], C::Refresh, "reload", false),
    b(&[code(K::Tab), ch(']')], C::NextTab, "next tab", true),
    b(
        &[code(K::BackTab), ch('[')],
        C::PrevTab,
        "previous tab",
        false,
    ),
    b(&[ch('s')], C::ToServers, "servers", true),
    b(&[ch('w')], C::CloseTab, "close tab", false),
    b(&[ch('?')], C::Help, "help", true),
    b(&[ch('q'), ctrl('c')], C::Quit, "quit", true),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const SEARCH: &[Binding] = &[
    b(&[code(K::Enter)], C::Submit, "search", true),
    b(&[code(K::Esc)], C::Cancel, "cancel", true),
    b(
        &[code(K::Backspace)],
        C::DeleteChar,
        "delete a character",
        false,
    ),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const INVITATIONS: &[Binding] = &[
    b(&[ch('j'), code(K::Down)], C::Down, "down", false),
    b(&[ch('k'), code(K::Up)], C::Up, "up", false),
    b(&[ch('a'), code(K::Enter)], C::Accept, "accept", true),
    b(&[ch('x')], C::Reject, "reject", true),
    b(&[ch('r')], C::Refresh, "reload", true),
    b(&[code(K::Esc), ch('q')], C::Cancel, "close", true),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const HELP: &[Binding] = &[
    b(&[ch('j'), code(K::Down)], C::Down, "scroll", false),
    b(&[ch('k'), code(K::Up)], C::Up, "scroll", false),
    b(
        &[code(K::Esc), ch('q'), ch('?'), code(K::F(1))],
        C::Cancel,
        "close",
        true,
    ),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

// ---- the "All servers" tab (issue #12) ----

const ALL_SERVERS: &[Binding] = &[
    b(&[ch('j'), code(K::Down)], C::Down, "down", false),
    b(&[ch('k'), code(K::Up)], C::Up, "up", false),
    b(
        &[code(K::PageDown), ctrl('d')],
        C::PageDown,
        "page down",
        false,
    ),
    b(&[code(K::PageUp), ctrl('u')], C::PageUp, "page up", false),
    b(&[ch('g'), code(K::Home)], C::Top, "first", false),
    b(&[ch('G'), code(K::End)], C::Bottom, "last", false),
    b(
        &[code(K::Enter), ch('l'), code(K::Right)],
        C::Open,
        "open on the fastest server",
        true,
    ),
    b(&[ch('i')], C::Details, "details", false),
    b(&[ch('o')], C::OtherServer, "other server", true),
    b(&[ch('/')], C::Search, "search everywhere", true),
    b(
        &[code(K::Esc), ch('h'), code(K::Left), code(K::Backspace)],
        C::Back,
        "back from search",
        false,
    ),
    b(&[ch('r')], C::Refresh, "reload", false),
    b(&[code(K::Tab), ch(']')], C::NextTab, "next tab", true),
    b(
        &[code(K::BackTab), ch('[')],
        C::PrevTab,
        "previous tab",
        false,
    ),
    b(&[ch('s')], C::ToServers, "servers", true),
    b(&[ch('?')], C::Help, "help", true),
    b(&[ch('q'), ctrl('c')], C::Quit, "quit", true),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const ALL_SEARCH: &[Binding] = &[
    b(&[code(K::Enter)], C::Submit, "to the results", true),
    b(&[code(K::Esc)], C::Cancel, "cancel the search", true),
    b(&[code(K::Down)], C::Down, "down the results", false),
    b(&[code(K::Up)], C::Up, "up the results", false),
    b(
        &[code(K::Backspace)],
        C::DeleteChar,
        "delete a character",
        false,
    ),
    b(&[code(K::F(1))], C::Help, "all keys", false),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

/// The bindings of a mode, in the order help shows them.
pub fn bindings(mode: Mode) -> &'static [Binding] {
    match mode {
        Mode::SignIn => SIGN_IN,
        Mode::Servers => SERVERS,
        Mode::Session => SESSION,
        Mode::Search => SEARCH,
        Mode::Invitations => INVITATIONS,
        Mode::Help => HELP,
        Mode::All => ALL_SERVERS,
        Mode::AllSearch => ALL_SEARCH,
    }
}

fn normalize(key: &KeyEvent) -> Key {
    let mut mods = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
    if let KeyCode::Char(c) = key.code {
        // Ctrl-letters come as lower case whatever Shift says.
        if mods.contains(KeyModifiers::CONTROL) {
            return Key(KeyCode::Char(c.to_ascii_lowercase()), mods);
        }
    } else if key.code == KeyCode::BackTab {
        mods = NONE;
    }
    Key(key.code, mods)
}

/// The command of a key in a mode. Digits choose a tab in Servers, Session and All servers:
/// `0` the "All servers" tab, `1`-`9` a session.
pub fn lookup(mode: Mode, key: &KeyEvent) -> Option<Command> {
    let k = normalize(key);
    if let Some(b) = bindings(mode).iter().find(|b| b.keys.contains(&k)) {
        return Some(b.command);
    }
    match k {
        Key(KeyCode::Char(c @ '1'..='9'), m) if m == NONE && mode.has_tabs() => {
            Some(Command::Tab(c as usize - '1' as usize))
        }
        Key(KeyCode::Char('0'), m) if m == NONE && mode.has_tabs() => Some(Command::ToAll),
        _ => None,
    }
}

/// How a key is written in the status line and help.
pub fn key_name(k: &Key) -> String {
    let base = match k.0 {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "S-Tab".into(),
        KeyCode::Backspace => "Bksp".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if k.1.contains(KeyModifiers::CONTROL) {
        format!("C-{base}")
    } else {
        base
    }
}

/// The status line's hints: (first key, what it does) for the bindings marked for it.
pub fn status_hints(mode: Mode) -> Vec<(String, &'static str)> {
    bindings(mode)
        .iter()
        .filter(|b| b.status)
        .map(|b| (key_name(&b.keys[0]), b.help))
        .collect()
}

/// Every binding of a mode as (all keys, what they do), for the help page.
pub fn help_lines(mode: Mode) -> Vec<(String, &'static str)> {
    let mut lines: Vec<(String, &'static str)> = bindings(mode)
        .iter()
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(key_name).collect();
            (keys.join(" "), b.help)
        })
        .collect();
    if mode.has_tabs() {
        lines.push(("0".into(), "all servers"));
        lines.push(("1-9".into(), "session tab by number"));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn vim_keys_and_arrows_mean_the_same() {
        for mode in [Mode::Servers, Mode::Session] {
            assert_eq!(
                lookup(mode, &key(KeyCode::Char('j'), NONE)),
                lookup(mode, &key(KeyCode::Down, NONE))
            );
            assert_eq!(
                lookup(mode, &key(KeyCode::Char('k'), NONE)),
                lookup(mode, &key(KeyCode::Up, NONE))
            );
        }
    }

    #[test]
    fn text_modes_leave_letters_for_typing() {
        for c in ['j', 'q', '?', 'a', ' ', '1'] {
            assert_eq!(lookup(Mode::SignIn, &key(KeyCode::Char(c), NONE)), None);
            assert_eq!(lookup(Mode::Search, &key(KeyCode::Char(c), NONE)), None);
        }
        assert_eq!(
            lookup(Mode::SignIn, &key(KeyCode::Char('c'), CTRL)),
            Some(Command::Quit)
        );
    }

    #[test]
    fn digits_choose_a_tab_and_shift_tab_goes_back() {
        assert_eq!(
            lookup(Mode::Session, &key(KeyCode::Char('2'), NONE)),
            Some(Command::Tab(1))
        );
        assert_eq!(
            lookup(Mode::Session, &key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Command::PrevTab)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        for mode in Mode::ALL.into_iter().chain([Mode::Help]) {
            let mut seen = Vec::new();
            for b in bindings(mode) {
                for k in b.keys {
                    assert!(!seen.contains(k), "{mode:?}: {k:?} bound twice");
                    seen.push(*k);
                }
            }
        }
    }

    #[test]
    fn ctrl_l_redraws_everywhere_and_is_in_help() {
        let ctrl_l = key(KeyCode::Char('l'), CTRL);
        for mode in Mode::ALL.into_iter().chain([Mode::Help]) {
            assert_eq!(lookup(mode, &ctrl_l), Some(Command::Redraw), "{mode:?}");
            assert!(
                help_lines(mode).contains(&("C-l".to_string(), "redraw the screen")),
                "{mode:?}"
            );
        }
        // a plain l still types in text fields
        assert_eq!(lookup(Mode::SignIn, &key(KeyCode::Char('l'), NONE)), None);
    }

    #[test]
    fn zero_is_the_all_servers_tab_and_the_all_search_types_letters() {
        for mode in [Mode::Servers, Mode::Session, Mode::All] {
            assert_eq!(
                lookup(mode, &key(KeyCode::Char('0'), NONE)),
                Some(Command::ToAll),
                "{mode:?}"
            );
        }
        assert_eq!(
            lookup(Mode::All, &key(KeyCode::Char('3'), NONE)),
            Some(Command::Tab(2))
        );
        for c in ['j', 'o', '0', '/', ' '] {
            assert_eq!(lookup(Mode::AllSearch, &key(KeyCode::Char(c), NONE)), None);
        }
        assert!(Mode::AllSearch.is_text());
    }

    #[test]
    fn status_hints_come_from_the_keymap() {
        let hints = status_hints(Mode::Servers);
        assert!(hints.contains(&("Enter".to_string(), "open session")));
        assert!(hints.contains(&("?".to_string(), "help")));
    }
}
