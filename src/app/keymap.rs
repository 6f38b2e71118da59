//! Keys to [`Command`]s, one table per [`Mode`]. The tables below are the defaults; a
//! [`Keymap`] is built from them and the `[keys]` table of the config file (every command has a
//! name there, see [`Command::name`]). The status line and the `?` help are built from the
//! keymap in force, so what is shown is always what works.

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
    /// A one-key question before something that cannot be undone.
    Confirm,
    /// The year (or range of years) a list shows, being typed.
    Years,
    // issue 11: the Emby Connect account box, a server's administration and its forms
    Account,
    Admin,
    AdminForm,
    /// The administration box before (or instead of) the view: checking, or why not shown.
    AdminCheck,
    /// The play menu of an item.
    PlayMenu,
    /// The remote-control panel of another device.
    Remote,
    /// The stream URL box.
    StreamUrl,
    /// The recent lines of the log.
    Log,
    /// Something to read once (problems of config.toml); any key closes it.
    Notice,
    /// The "All servers" tab.
    All,
    /// Typing a search on the "All servers" tab (each key searches).
    AllSearch,
}

impl Mode {
    /// Every mode with keys of its own, in the order help lists them after the current one.
    pub const ALL: [Mode; 13] = [
        Mode::SignIn,
        Mode::Servers,
        Mode::Session,
        Mode::Search,
        Mode::Invitations,
        Mode::Account,
        Mode::Admin,
        Mode::AdminForm,
        Mode::PlayMenu,
        Mode::Remote,
        Mode::StreamUrl,
        Mode::All,
        Mode::AllSearch,
    ];

    /// In text modes, printable keys not bound here are typed into the focused field.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Mode::SignIn | Mode::Search | Mode::Years | Mode::AdminForm | Mode::AllSearch
        )
    }

    /// Modes where digits choose a tab (`1`-`9` a session; `0`, bound as `all_servers`, the
    /// "All servers" tab).
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
            Mode::Confirm => "Confirm",
            Mode::Years => "Years",
            Mode::Account => "Emby Connect account",
            Mode::Admin => "Administration",
            Mode::AdminForm => "Administration form",
            Mode::AdminCheck => "Administration (not shown)",
            Mode::PlayMenu => "Play menu",
            Mode::Remote => "Remote control",
            Mode::StreamUrl => "Stream URL",
            Mode::Log => "Log",
            Mode::Notice => "Notice",
            Mode::All => "All servers",
            Mode::AllSearch => "Search everywhere",
        }
    }

    /// The pane's name in the config file (`[keys.in_<name>]` holds keys for that pane only).
    pub fn config_name(self) -> &'static str {
        match self {
            Mode::SignIn => "sign_in",
            Mode::Servers => "servers",
            Mode::Session => "session",
            Mode::Search => "search",
            Mode::Invitations => "invitations",
            Mode::Help => "help",
            Mode::Confirm => "confirm",
            Mode::Years => "years",
            Mode::Account => "account",
            Mode::Admin => "admin",
            Mode::AdminForm => "admin_form",
            Mode::AdminCheck => "admin_check",
            Mode::PlayMenu => "play_menu",
            Mode::Remote => "remote",
            Mode::StreamUrl => "stream_url",
            Mode::Log => "log",
            Mode::Notice => "notice",
            Mode::All => "all_servers",
            Mode::AllSearch => "all_servers_search",
        }
    }

    /// Every mode with a keymap, in the order the config file lists them.
    pub const WITH_KEYS: [Mode; 19] = [
        Mode::SignIn,
        Mode::Servers,
        Mode::Session,
        Mode::Search,
        Mode::Invitations,
        Mode::Help,
        Mode::Confirm,
        Mode::Years,
        Mode::Account,
        Mode::Admin,
        Mode::AdminForm,
        Mode::AdminCheck,
        Mode::PlayMenu,
        Mode::Remote,
        Mode::StreamUrl,
        Mode::Log,
        Mode::Notice,
        Mode::All,
        Mode::AllSearch,
    ];

    pub fn from_config_name(name: &str) -> Option<Mode> {
        Mode::WITH_KEYS
            .into_iter()
            .find(|m| m.config_name() == name)
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
    /// Clear the terminal and draw everything again (bound in every mode).
    Redraw,
    /// Yes, to a question asked before something that cannot be undone.
    Confirm,
    /// Sort a list by the next key (name, date added, release date, rating, runtime, last played).
    Sort,
    /// Reverse a list's order.
    ReverseOrder,
    /// Show all, unplayed, in-progress or favourite items of a list.
    Filter,
    /// Show one genre of a list (the next one).
    Genre,
    /// Show the items of a year, or of a range of years.
    Years,
    // issue 11
    /// The Emby Connect account box (who is signed in, sign-up and password pointers).
    Account,
    /// The administration view of the session's server.
    Admin,
    /// Link the selected user to an Emby Connect account.
    Link,
    /// Remove the selected user's Emby Connect link.
    Unlink,
    /// Invite someone through Emby Connect.
    Invite,
    /// Cancel the selected pending invitation.
    CancelInvite,
    /// Switch between a view's lists (users / pending invitations).
    SwitchList,
    /// Open the sign-in pane on the sign-up form.
    SignUp,
    /// Open the play menu of the item under the cursor.
    Play,
    /// Ask the player here to quit.
    StopHere,
    /// Remote control: pause or play on.
    TogglePause,
    /// Remote control: stop.
    StopPlayback,
    /// Remote control: 30 s back.
    SeekBack,
    /// Remote control: 30 s forward.
    SeekForward,
    /// Remote control: next item.
    NextItem,
    /// Remote control: previous item.
    PrevItem,
    /// Put the stream URL on the terminal's clipboard again.
    CopyAgain,
    /// The recent lines of the log.
    Log,
    /// The "All servers" tab.
    ToAll,
    /// Open the selected row on another of the servers it is on.
    OtherServer,
}

impl Command {
    /// Every command that has a name in the config file's `[keys]` table (`Tab(n)` is the
    /// digits 1-9 and has none).
    pub const NAMED: [Command; 63] = [
        Command::Quit,
        Command::Help,
        Command::Up,
        Command::Down,
        Command::PageUp,
        Command::PageDown,
        Command::Top,
        Command::Bottom,
        Command::Open,
        Command::Back,
        Command::Details,
        Command::Refresh,
        Command::NextTab,
        Command::PrevTab,
        Command::ToServers,
        Command::CloseTab,
        Command::Search,
        Command::TogglePlayed,
        Command::ToggleFavorite,
        Command::AddAddress,
        Command::Discover,
        Command::SignInLocal,
        Command::SignOut,
        Command::ConnectSignOut,
        Command::Remove,
        Command::Invitations,
        Command::ToSignIn,
        Command::Accept,
        Command::Reject,
        Command::NextMethod,
        Command::PrevMethod,
        Command::NextField,
        Command::PrevField,
        Command::Submit,
        Command::Cancel,
        Command::Redraw,
        Command::Confirm,
        Command::Sort,
        Command::ReverseOrder,
        Command::Filter,
        Command::Genre,
        Command::Years,
        Command::Account,
        Command::Admin,
        Command::Link,
        Command::Unlink,
        Command::Invite,
        Command::CancelInvite,
        Command::SwitchList,
        Command::SignUp,
        Command::Play,
        Command::StopHere,
        Command::TogglePause,
        Command::StopPlayback,
        Command::SeekBack,
        Command::SeekForward,
        Command::NextItem,
        Command::PrevItem,
        Command::CopyAgain,
        Command::Log,
        Command::ToAll,
        Command::OtherServer,
        Command::Tab(0),
    ];

    /// The command's name in the config file's `[keys]` table.
    pub fn name(self) -> &'static str {
        match self {
            Command::Quit => "quit",
            Command::Help => "help",
            Command::Up => "up",
            Command::Down => "down",
            Command::PageUp => "page_up",
            Command::PageDown => "page_down",
            Command::Top => "first",
            Command::Bottom => "last",
            Command::Open => "open",
            Command::Back => "back",
            Command::Details => "details",
            Command::Refresh => "refresh",
            Command::NextTab => "next_tab",
            Command::PrevTab => "previous_tab",
            Command::Tab(_) => "tab_by_number",
            Command::ToServers => "servers",
            Command::CloseTab => "close_tab",
            Command::Search => "search",
            Command::TogglePlayed => "toggle_played",
            Command::ToggleFavorite => "toggle_favourite",
            Command::AddAddress => "add_server",
            Command::Discover => "discover",
            Command::SignInLocal => "sign_in_locally",
            Command::SignOut => "sign_out",
            Command::ConnectSignOut => "sign_out_of_connect",
            Command::Remove => "remove_server",
            Command::Invitations => "invitations",
            Command::ToSignIn => "sign_in_pane",
            Command::Accept => "accept",
            Command::Reject => "reject",
            Command::NextMethod => "next_way",
            Command::PrevMethod => "previous_way",
            Command::NextField => "next_field",
            Command::PrevField => "previous_field",
            Command::Submit => "submit",
            Command::Cancel => "cancel",
            Command::Redraw => "redraw",
            Command::Confirm => "confirm",
            Command::Sort => "sort",
            Command::ReverseOrder => "reverse_order",
            Command::Filter => "filter",
            Command::Genre => "genre",
            Command::Years => "years",
            Command::Account => "account",
            Command::Admin => "administration",
            Command::Link => "link_user",
            Command::Unlink => "unlink_user",
            Command::Invite => "invite",
            Command::CancelInvite => "cancel_invitation",
            Command::SwitchList => "switch_list",
            Command::SignUp => "sign_up",
            Command::Play => "play",
            Command::StopHere => "stop_player",
            Command::TogglePause => "pause",
            Command::StopPlayback => "stop",
            Command::SeekBack => "seek_back",
            Command::SeekForward => "seek_forward",
            Command::NextItem => "next_item",
            Command::PrevItem => "previous_item",
            Command::CopyAgain => "copy_again",
            Command::Log => "log",
            Command::ToAll => "all_servers",
            Command::OtherServer => "other_server",
        }
    }

    /// The command a config file names (None for `tab_by_number` and unknown names).
    pub fn from_name(name: &str) -> Option<Command> {
        Command::NAMED
            .into_iter()
            .filter(|c| !matches!(c, Command::Tab(_)))
            .find(|c| c.name() == name)
    }

    /// Commands that mean the same in every pane: help lists them apart, after the pane's own.
    pub fn is_global(self) -> bool {
        matches!(
            self,
            Command::Quit
                | Command::Help
                | Command::NextTab
                | Command::PrevTab
                | Command::Tab(_)
                | Command::ToAll
                | Command::Redraw
        )
    }
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

/// One line of the default keymap: the keys, what they do, and whether the status line names
/// them.
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

// In text fields, ←/→, Home/End, Backspace/Delete, Ctrl-W/U/K edit the field (tui-input), so
// the ways of signing in are switched with Ctrl-N and Ctrl-P.
const SIGN_IN: &[Binding] = &[
    b(&[code(K::Enter)], C::Submit, "sign in / next step", true),
    b(&[ctrl('n')], C::NextMethod, "next way to sign in", true),
    b(&[ctrl('p')], C::PrevMethod, "previous way", false),
    b(&[code(K::Tab)], C::NextField, "next field", true),
    b(&[code(K::BackTab)], C::PrevField, "previous field", false),
    b(&[code(K::Down)], C::Down, "next field or user", false),
    b(&[code(K::Up)], C::Up, "previous field or user", false),
    b(&[code(K::Esc)], C::ToServers, "servers", true),
    b(&[code(K::F(1))], C::Help, "all keys", true),
    b(&[ctrl('c')], C::Quit, "quit", true),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
    // issue 11
    b(&[code(K::F(2))], C::Account, "Emby Connect account", true),
    b(
        &[code(K::F(3))],
        C::SignUp,
        "new Emby Connect account",
        false,
    ),
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
    b(&[ch('0')], C::ToAll, "all servers", false),
    b(&[ch('?')], C::Help, "help", true),
    b(&[ch('q'), ctrl('c')], C::Quit, "quit", true),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
    // issue 11
    b(
        &[ch('u'), code(K::F(2))],
        C::Account,
        "Emby Connect account",
        false,
    ),
    b(&[ch('L')], C::Log, "the log of this run", false),
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
    b(&[ch('o')], C::Sort, "sort by the next key", true),
    b(&[ch('O')], C::ReverseOrder, "reverse the order", false),
    b(
        &[ch('F')],
        C::Filter,
        "all / unplayed / in progress / favourites",
        true,
    ),
    b(
        &[ch('#')],
        C::Genre,
        "next genre (after the last: all)",
        false,
    ),
    b(
        &[ch('Y')],
        C::Years,
        "a year or years, e.g. 1990-1999",
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
    b(&[ch('w')], C::CloseTab, "close tab", true),
    b(&[ch('0')], C::ToAll, "all servers", false),
    // playing (issue #10)
    b(
        &[ch('P')],
        C::Play,
        "play… (here, on a device, copy URL)",
        false,
    ),
    b(&[ch('S')], C::StopHere, "stop the player here", false),
    b(&[ch('?')], C::Help, "help", true),
    b(&[ch('q'), ctrl('c')], C::Quit, "quit", true),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
    // issue 11
    b(
        &[ch('A')],
        C::Admin,
        "administer this server (administrators)",
        false,
    ),
    b(&[ch('L')], C::Log, "the log of this run", false),
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
        "play or open",
        true,
    ),
    b(&[ch('i')], C::Details, "details", false),
    b(&[ch('o')], C::OtherServer, "other server", true),
    b(&[ch('P')], C::Play, "play… (on the server picked)", false),
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
    b(&[ch('0')], C::ToAll, "all servers", false),
    b(&[ch('s')], C::ToServers, "servers", true),
    b(&[ch('?')], C::Help, "help", true),
    b(&[ch('q'), ctrl('c')], C::Quit, "quit", true),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
    b(&[ch('L')], C::Log, "the log of this run", false),
];

// Backspace, ←/→ and the rest edit the prompt (tui-input); each change searches again.
const ALL_SEARCH: &[Binding] = &[
    b(&[code(K::Enter)], C::Submit, "to the results", true),
    b(&[code(K::Esc)], C::Cancel, "cancel the search", true),
    b(&[code(K::Down)], C::Down, "down the results", false),
    b(&[code(K::Up)], C::Up, "up the results", false),
    b(&[code(K::F(1))], C::Help, "all keys", false),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const LOG: &[Binding] = &[
    b(&[ch('j'), code(K::Down)], C::Down, "scroll down", false),
    b(&[ch('k'), code(K::Up)], C::Up, "scroll up", false),
    b(
        &[code(K::PageDown), ctrl('d')],
        C::PageDown,
        "page down",
        false,
    ),
    b(&[code(K::PageUp), ctrl('u')], C::PageUp, "page up", false),
    b(&[ch('g'), code(K::Home)], C::Top, "oldest", false),
    b(
        &[ch('G'), code(K::End)],
        C::Bottom,
        "newest (and follow)",
        false,
    ),
    b(
        &[ch('f')],
        C::Filter,
        "level: error, warn, info, debug, trace",
        true,
    ),
    b(&[code(K::Esc), ch('q'), ch('L')], C::Cancel, "close", true),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const NOTICE: &[Binding] = &[
    b(
        &[code(K::Esc), code(K::Enter)],
        C::Cancel,
        "close (any key)",
        true,
    ),
    b(&[ctrl('c')], C::Quit, "quit", false),
];

const PLAY_MENU: &[Binding] = &[
    b(&[ch('j'), code(K::Down)], C::Down, "down", false),
    b(&[ch('k'), code(K::Up)], C::Up, "up", false),
    b(&[code(K::Enter)], C::Submit, "choose", true),
    b(&[ch('r')], C::Refresh, "look for devices again", true),
    b(&[code(K::Esc), ch('q')], C::Cancel, "close", true),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const REMOTE: &[Binding] = &[
    b(&[ch(' ')], C::TogglePause, "pause / play", true),
    b(&[code(K::Left), ch('h')], C::SeekBack, "30 s back", true),
    b(
        &[code(K::Right), ch('l')],
        C::SeekForward,
        "30 s forward",
        true,
    ),
    b(&[ch('n')], C::NextItem, "next", true),
    b(&[ch('p')], C::PrevItem, "previous", true),
    b(&[ch('s')], C::StopPlayback, "stop", true),
    b(&[ch('r')], C::Refresh, "refresh", false),
    b(&[code(K::Esc), ch('q')], C::Cancel, "close", true),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const STREAM_URL: &[Binding] = &[
    b(&[ch('c')], C::CopyAgain, "copy again", true),
    b(
        &[code(K::Esc), ch('q'), code(K::Enter)],
        C::Cancel,
        "close",
        true,
    ),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const SEARCH: &[Binding] = &[
    b(&[code(K::Enter)], C::Submit, "search", true),
    b(&[code(K::Esc)], C::Cancel, "cancel", true),
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

const YEARS: &[Binding] = &[
    b(
        &[code(K::Enter)],
        C::Submit,
        "show these years (empty: all)",
        true,
    ),
    b(&[code(K::Esc)], C::Cancel, "cancel", true),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const CONFIRM: &[Binding] = &[
    b(&[ch('y'), code(K::Enter)], C::Confirm, "yes", true),
    b(
        &[code(K::Esc), ch('n')],
        C::Cancel,
        "no (any other key too)",
        true,
    ),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

// issue 11: the account box, the administration view and its forms
const ACCOUNT: &[Binding] = &[
    b(&[ch('c')], C::ToSignIn, "sign in", true),
    b(&[ch('n')], C::SignUp, "create an account", true),
    b(
        &[ch('x')],
        C::ConnectSignOut,
        "sign out of Emby Connect",
        true,
    ),
    b(&[ch('r')], C::Refresh, "reload", false),
    b(
        &[code(K::Esc), ch('q'), code(K::F(2))],
        C::Cancel,
        "close",
        true,
    ),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const ADMIN: &[Binding] = &[
    b(&[ch('j'), code(K::Down)], C::Down, "down", false),
    b(&[ch('k'), code(K::Up)], C::Up, "up", false),
    b(&[code(K::Tab)], C::SwitchList, "users / pending", true),
    b(
        &[ch('l'), code(K::Enter)],
        C::Link,
        "link to Emby Connect",
        true,
    ),
    b(&[ch('u')], C::Unlink, "unlink", true),
    b(&[ch('n')], C::Invite, "invite", true),
    b(&[ch('x')], C::CancelInvite, "cancel invitation", true),
    b(&[ch('r')], C::Refresh, "reload", false),
    b(&[code(K::Esc), ch('q')], C::Cancel, "close", true),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const ADMIN_CHECK: &[Binding] = &[
    b(&[ch('r')], C::Refresh, "ask again", true),
    b(&[code(K::Esc), ch('q')], C::Cancel, "close", true),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

const ADMIN_FORM: &[Binding] = &[
    b(&[code(K::Enter)], C::Submit, "send", true),
    b(&[code(K::Esc)], C::Cancel, "cancel", true),
    b(
        &[code(K::Tab), code(K::Down)],
        C::NextField,
        "next field",
        true,
    ),
    b(
        &[code(K::BackTab), code(K::Up)],
        C::PrevField,
        "previous field",
        false,
    ),
    b(&[ctrl('c')], C::Quit, "quit", false),
    b(&[ctrl('l')], C::Redraw, "redraw the screen", false),
];

/// The default bindings of a mode, in the order help shows them.
pub fn default_bindings(mode: Mode) -> &'static [Binding] {
    match mode {
        Mode::SignIn => SIGN_IN,
        Mode::Servers => SERVERS,
        Mode::Session => SESSION,
        Mode::Search => SEARCH,
        Mode::Invitations => INVITATIONS,
        Mode::Help => HELP,
        Mode::Confirm => CONFIRM,
        Mode::Years => YEARS,
        Mode::Account => ACCOUNT,
        Mode::Admin => ADMIN,
        Mode::AdminForm => ADMIN_FORM,
        Mode::AdminCheck => ADMIN_CHECK,
        Mode::PlayMenu => PLAY_MENU,
        Mode::Remote => REMOTE,
        Mode::StreamUrl => STREAM_URL,
        Mode::Log => LOG,
        Mode::Notice => NOTICE,
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

/// A key as the config file writes it: a character (`q`, `?`, `G`), a name (`enter`, `esc`,
/// `tab`, `shift-tab`, `backspace`, `delete`, `up`, `down`, `left`, `right`, `home`, `end`,
/// `pageup`, `pagedown`, `space`, `f1`..`f12`), optionally after `ctrl-` or `alt-`.
pub fn parse_key(text: &str) -> Result<Key, String> {
    let lower = text.trim().to_ascii_lowercase();
    let (mods, rest) = if let Some(r) = lower.strip_prefix("ctrl-").or(lower.strip_prefix("c-")) {
        (CTRL, r)
    } else if let Some(r) = lower.strip_prefix("alt-").or(lower.strip_prefix("a-")) {
        (KeyModifiers::ALT, r)
    } else {
        (NONE, lower.as_str())
    };
    let code = match rest {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "shift-tab" | "backtab" | "s-tab" => KeyCode::BackTab,
        "backspace" | "bksp" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" => KeyCode::PageDown,
        "space" => KeyCode::Char(' '),
        f if f.len() > 1
            && f.starts_with('f')
            && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
        {
            KeyCode::F(f[1..].parse().unwrap_or(1))
        }
        _ => {
            // a single character, case kept as written (G is not g) unless with ctrl
            let original = text.trim();
            let ch = original
                .rsplit('-')
                .next()
                .filter(|_| mods != NONE)
                .unwrap_or(original);
            let mut chars = ch.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_control() => KeyCode::Char(if mods == CTRL {
                    c.to_ascii_lowercase()
                } else {
                    c
                }),
                _ => return Err(format!("`{text}` is not a key")),
            }
        }
    };
    Ok(Key(code, mods))
}

/// One line of a keymap in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub keys: Vec<Key>,
    pub command: Command,
    pub help: &'static str,
    pub status: bool,
}

/// The keys in force: the defaults with the config file's `[keys]` table applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    modes: Vec<(Mode, Vec<Bound>)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let modes = Mode::WITH_KEYS
            .into_iter()
            .map(|mode| {
                let bound = default_bindings(mode)
                    .iter()
                    .map(|b| Bound {
                        keys: b.keys.to_vec(),
                        command: b.command,
                        help: b.help,
                        status: b.status,
                    })
                    .collect();
                (mode, bound)
            })
            .collect();
        Keymap { modes }
    }
}

/// One entry of the `[keys]` table (or of `[keys.<pane>]`, then `pane` is set): the command's
/// name, its keys as written, and the line it is on (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySetting {
    pub command: String,
    pub keys: Vec<String>,
    pub line: usize,
    pub pane: Option<Mode>,
}

impl Keymap {
    /// The defaults with `settings` applied. A `[keys]` entry replaces the command's keys in
    /// every pane it is bound in (an empty list unbinds it); a `[keys.in_<pane>]` entry (applied after them) in that pane only.
    /// A key given to a command is taken from any other command of the same pane. In text
    /// fields a plain character always types, whatever it is bound to. Each bad entry (unknown
    /// command, a key that is not one, a command the pane does not have) is reported with its
    /// line and left at its default.
    pub fn with_settings(settings: &[KeySetting]) -> (Keymap, Vec<String>) {
        let mut keymap = Keymap::default();
        let mut problems = Vec::new();
        let everywhere = settings.iter().filter(|s| s.pane.is_none());
        let one_pane = settings.iter().filter(|s| s.pane.is_some());
        for setting in everywhere.chain(one_pane) {
            match keymap.apply(setting) {
                Ok(()) => {}
                Err(e) => problems.push(format!("line {}: {e}", setting.line)),
            }
        }
        (keymap, problems)
    }

    fn apply(&mut self, setting: &KeySetting) -> Result<(), String> {
        let name = &setting.command;
        let command = Command::from_name(name).ok_or_else(|| {
            format!("`{name}` is not a command that takes keys (see `emby-tui config show`)")
        })?;
        let keys = setting
            .keys
            .iter()
            .map(|k| parse_key(k))
            .collect::<Result<Vec<Key>, String>>()?;
        let mut bound_anywhere = false;
        for (mode, bound) in &mut self.modes {
            if setting.pane.is_some_and(|p| p != *mode)
                || !bound.iter().any(|b| b.command == command)
            {
                continue;
            }
            bound_anywhere = true;
            let keys: Vec<Key> = keys
                .iter()
                .copied()
                .filter(|k| !(mode.is_text() && k.1 == NONE && matches!(k.0, KeyCode::Char(_))))
                .collect();
            for b in bound.iter_mut() {
                if b.command == command {
                    b.keys = keys.clone();
                } else {
                    b.keys.retain(|k| !keys.contains(k));
                }
            }
        }
        match setting.pane {
            Some(pane) if !bound_anywhere => Err(format!(
                "the {} pane has no `{name}` command",
                pane.config_name()
            )),
            _ => Ok(()),
        }
    }

    /// The keymap in force as `[keys]` settings that build it again: a command with the same
    /// keys in every pane (the plain characters left out of text fields aside) once in
    /// `[keys]`, any other in each pane's `[keys.in_<pane>]` table.
    pub fn settings(&self) -> Vec<(Option<Mode>, Command, Vec<Key>)> {
        let text_filtered = |mode: Mode, keys: &[Key]| -> Vec<Key> {
            keys.iter()
                .copied()
                .filter(|k| !(mode.is_text() && k.1 == NONE && matches!(k.0, KeyCode::Char(_))))
                .collect()
        };
        let mut general = Vec::new();
        let mut by_pane = Vec::new();
        for command in Command::NAMED {
            if matches!(command, Command::Tab(_)) {
                continue;
            }
            let bound: Vec<(Mode, &Vec<Key>)> = self
                .modes
                .iter()
                .filter_map(|(m, b)| {
                    b.iter()
                        .find(|b| b.command == command)
                        .map(|b| (*m, &b.keys))
                })
                .collect();
            let Some(widest) = bound.iter().map(|(_, k)| *k).max_by_key(|k| k.len()) else {
                continue;
            };
            let uniform = bound
                .iter()
                .all(|(m, keys)| **keys == text_filtered(*m, widest));
            if uniform {
                general.push((None, command, widest.clone()));
            } else {
                for (mode, keys) in bound {
                    by_pane.push((Some(mode), command, keys.clone()));
                }
            }
        }
        by_pane.sort_by_key(|(m, _, _)| Mode::WITH_KEYS.iter().position(|w| Some(*w) == *m));
        general.extend(by_pane);
        general
    }

    /// The bindings of a mode in force, in the order help shows them.
    pub fn bindings(&self, mode: Mode) -> &[Bound] {
        self.modes
            .iter()
            .find(|(m, _)| *m == mode)
            .map(|(_, b)| b.as_slice())
            .unwrap_or(&[])
    }

    /// The command of a key in a mode. Digits 1-9 choose a session tab in Servers, Session and
    /// All servers.
    pub fn lookup(&self, mode: Mode, key: &KeyEvent) -> Option<Command> {
        let k = normalize(key);
        if let Some(b) = self.bindings(mode).iter().find(|b| b.keys.contains(&k)) {
            return Some(b.command);
        }
        match k {
            Key(KeyCode::Char(c @ '1'..='9'), m) if m == NONE && mode.has_tabs() => {
                Some(Command::Tab(c as usize - '1' as usize))
            }
            _ => None,
        }
    }

    /// The first key of a command in a mode, as written in the status line and help.
    pub fn key_for(&self, mode: Mode, command: Command) -> Option<String> {
        self.bindings(mode)
            .iter()
            .find(|b| b.command == command)
            .and_then(|b| b.keys.first())
            .map(key_name)
    }

    /// The status line's hints: (first key, what it does) for the bindings marked for it.
    pub fn status_hints(&self, mode: Mode) -> Vec<(Command, String, &'static str)> {
        self.bindings(mode)
            .iter()
            .filter(|b| b.status && !b.keys.is_empty())
            .map(|b| (b.command, key_name(&b.keys[0]), b.help))
            .collect()
    }

    /// The help page of a mode: the keys of the pane first, then the ones that work everywhere.
    pub fn help_sections(&self, mode: Mode) -> Vec<(String, Vec<(String, &'static str)>)> {
        let line = |b: &Bound| {
            let keys: Vec<String> = b.keys.iter().map(key_name).collect();
            (keys.join(" "), b.help)
        };
        let bound = self.bindings(mode);
        let own: Vec<_> = bound
            .iter()
            .filter(|b| !b.command.is_global() && !b.keys.is_empty())
            .map(line)
            .collect();
        let mut everywhere: Vec<_> = bound
            .iter()
            .filter(|b| b.command.is_global() && !b.keys.is_empty())
            .map(line)
            .collect();
        if mode.has_tabs() {
            everywhere.push(("1-9".into(), "session tab by number"));
        }
        vec![
            (format!("{} keys", mode.title()), own),
            ("Everywhere".to_string(), everywhere),
        ]
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
    } else if k.1.contains(KeyModifiers::ALT) {
        format!("M-{base}")
    } else {
        base
    }
}

/// The config-file spelling of a key (what [`parse_key`] reads back).
pub fn key_setting(k: &Key) -> String {
    let base = match k.0 {
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "enter".into(),
        KeyCode::Esc => "esc".into(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "shift-tab".into(),
        KeyCode::Backspace => "backspace".into(),
        KeyCode::Delete => "delete".into(),
        KeyCode::Up => "up".into(),
        KeyCode::Down => "down".into(),
        KeyCode::Left => "left".into(),
        KeyCode::Right => "right".into(),
        KeyCode::Home => "home".into(),
        KeyCode::End => "end".into(),
        KeyCode::PageUp => "pageup".into(),
        KeyCode::PageDown => "pagedown".into(),
        KeyCode::F(n) => format!("f{n}"),
        other => format!("{other:?}").to_lowercase(),
    };
    if k.1.contains(KeyModifiers::CONTROL) {
        format!("ctrl-{base}")
    } else if k.1.contains(KeyModifiers::ALT) {
        format!("alt-{base}")
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    fn lookup(mode: Mode, k: &KeyEvent) -> Option<Command> {
        Keymap::default().lookup(mode, k)
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
        for mode in Mode::WITH_KEYS {
            let mut seen = Vec::new();
            for b in default_bindings(mode) {
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
        for mode in Mode::ALL.into_iter().chain([Mode::Help, Mode::AdminCheck]) {
            assert_eq!(lookup(mode, &ctrl_l), Some(Command::Redraw), "{mode:?}");
            assert!(
                Keymap::default()
                    .help_sections(mode)
                    .iter()
                    .any(|(_, lines)| lines.contains(&("C-l".to_string(), "redraw the screen"))),
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
        let hints = Keymap::default().status_hints(Mode::Servers);
        assert!(hints.contains(&(Command::Open, "Enter".to_string(), "open session")));
        assert!(hints.contains(&(Command::Help, "?".to_string(), "help")));
    }

    fn setting(command: &str, keys: &[&str], pane: Option<Mode>) -> KeySetting {
        KeySetting {
            command: command.into(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            line: 1,
            pane,
        }
    }

    /// What `emby-tui config show` writes builds the same keymap again (for the defaults and
    /// after a change), so a user can start from it.
    #[test]
    fn the_keymap_in_force_written_as_settings_builds_itself_again() {
        let written = |map: &Keymap| -> Vec<KeySetting> {
            map.settings()
                .into_iter()
                .map(|(pane, c, keys)| KeySetting {
                    command: c.name().into(),
                    keys: keys.iter().map(key_setting).collect(),
                    line: 1,
                    pane,
                })
                .collect()
        };
        let default = Keymap::default();
        let (again, problems) = Keymap::with_settings(&written(&default));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(again, default);
        // `open` differs between panes (o in servers is sort in a session): pane tables
        assert!(
            default
                .settings()
                .iter()
                .any(|(p, c, _)| *c == Command::Open && *p == Some(Mode::Session))
        );
        let (changed, _) = Keymap::with_settings(&[setting("quit", &["x"], None)]);
        let (again, problems) = Keymap::with_settings(&written(&changed));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(again, changed);
        assert_ne!(changed, default);
    }

    #[test]
    fn a_pane_table_changes_that_pane_only() {
        let (map, problems) = Keymap::with_settings(&[
            setting("open", &["ctrl-o"], Some(Mode::Session)),
            setting("accept", &["y"], Some(Mode::Years)),
        ]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("years pane has no `accept`"),
            "{problems:?}"
        );
        let k = |c: char, m| KeyEvent::new(KeyCode::Char(c), m);
        assert_eq!(
            map.lookup(Mode::Session, &k('o', KeyModifiers::CONTROL)),
            Some(Command::Open)
        );
        assert_eq!(
            map.lookup(Mode::Session, &KeyEvent::new(KeyCode::Enter, NONE)),
            None
        );
        assert_eq!(
            map.lookup(Mode::Servers, &KeyEvent::new(KeyCode::Enter, NONE)),
            Some(Command::Open)
        );
    }

    #[test]
    fn every_command_has_a_name_that_reads_back() {
        for c in Command::NAMED {
            if matches!(c, Command::Tab(_)) {
                continue;
            }
            assert_eq!(Command::from_name(c.name()), Some(c), "{c:?}");
        }
        assert_eq!(Command::from_name("tab_by_number"), None);
        assert_eq!(Command::from_name("nope"), None);
    }

    #[test]
    fn keys_are_read_as_the_config_file_writes_them_and_back() {
        for (text, k) in [
            ("q", ch('q')),
            ("G", ch('G')),
            ("?", ch('?')),
            ("ctrl-c", ctrl('c')),
            ("Ctrl-C", ctrl('c')),
            ("enter", code(K::Enter)),
            ("shift-tab", code(K::BackTab)),
            ("f1", code(K::F(1))),
            ("space", ch(' ')),
            ("alt-x", Key(KeyCode::Char('x'), KeyModifiers::ALT)),
        ] {
            assert_eq!(parse_key(text), Ok(k), "{text}");
            assert_eq!(parse_key(&key_setting(&k)), Ok(k), "{text}");
        }
        for bad in ["", "ctrl-", "hyper-x", "f13", "qq"] {
            assert!(parse_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_remapped_command_takes_its_new_keys_everywhere_and_from_others() {
        let (map, problems) = Keymap::with_settings(&[
            KeySetting {
                command: "quit".into(),
                keys: vec!["x".into(), "ctrl-q".into()],
                line: 3,
                pane: None,
            },
            KeySetting {
                command: "nope".into(),
                keys: vec!["z".into()],
                line: 4,
                pane: None,
            },
            KeySetting {
                command: "help".into(),
                keys: vec!["ctrl-".into()],
                line: 5,
                pane: None,
            },
        ]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("line 4:"), "{problems:?}");
        assert!(problems[1].starts_with("line 5:"), "{problems:?}");
        // x quits on the servers pane (it was "sign out" there: it is taken from it) ...
        assert_eq!(
            map.lookup(Mode::Servers, &key(KeyCode::Char('x'), NONE)),
            Some(Command::Quit)
        );
        assert_eq!(
            map.lookup(Mode::Servers, &key(KeyCode::Char('q'), NONE)),
            None
        );
        assert_eq!(
            map.lookup(Mode::Session, &key(KeyCode::Char('q'), CTRL)),
            Some(Command::Quit)
        );
        // ... but still types in a text field, where only ctrl-q quits
        assert_eq!(
            map.lookup(Mode::SignIn, &key(KeyCode::Char('x'), NONE)),
            None
        );
        assert_eq!(
            map.lookup(Mode::SignIn, &key(KeyCode::Char('q'), CTRL)),
            Some(Command::Quit)
        );
        // help is unchanged where its entry was bad
        assert_eq!(
            map.lookup(Mode::Servers, &key(KeyCode::Char('?'), NONE)),
            Some(Command::Help)
        );
    }

    #[test]
    fn help_lists_the_panes_own_keys_first_then_those_of_everywhere() {
        let sections = Keymap::default().help_sections(Mode::Session);
        assert_eq!(sections[0].0, "Session keys");
        assert_eq!(sections[1].0, "Everywhere");
        assert!(sections[0].1.iter().any(|(_, h)| *h == "search"));
        assert!(!sections[0].1.iter().any(|(_, h)| *h == "quit"));
        assert!(sections[1].1.iter().any(|(_, h)| *h == "quit"));
        assert!(sections[1].1.iter().any(|(k, _)| k == "1-9"));
    }
}
