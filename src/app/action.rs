//! What flows through the loop: [`Action`]s in (keys, mouse, results from the worker) and
//! [`Effect`]s out (work for the worker). Results carry their ServerId and request generation.

use crossterm::event::{KeyEvent, MouseEvent};

use super::images::{ImageKey, ImageRequest, Picture};
use super::order::ListOrder;
use crate::emby::Secret;
use crate::emby::models::{BaseItemDto, SessionInfo, UserItemDataDto};
use crate::emby::server::Playstate;
use crate::player::PlayerConfig;
use crate::session::{Event, Played, Probed, ServerReport, StartAt};

/// Everything that can change the state.
#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    /// Text pasted in the terminal (bracketed paste): goes into the focused text field whole.
    Paste(String),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The wall clock (ms since the Unix epoch): countdowns, PIN polling, "last used".
    Tick(u64),
    /// The saved state was loaded (before any server is reached).
    Started {
        connect_user: Option<String>,
        servers: Vec<ServerReport>,
        notices: Vec<String>,
    },
    /// What the session layer reports while operations run: rows listed, being reached,
    /// reached, removed; the Connect user; notices; a refresh done.
    Session(Event),
    /// Signed out of Emby Connect: the list as it stands now, or why it failed.
    ConnectSignedOut(Result<Vec<ServerReport>, String>),
    ConnectSignedIn(Result<String, String>),
    PinCreated(Result<String, String>),
    PinChecked {
        pin: String,
        result: Result<PinCheck, String>,
    },
    PinSignedIn(Result<String, String>),
    AddressProbed(Result<Probed, String>),
    /// A saved server's public users (for the local sign-in picker).
    PublicUsersListed {
        server_id: String,
        result: Result<Vec<String>, String>,
    },
    LocalSignedIn {
        server_id: String,
        result: Result<ServerReport, String>,
    },
    /// A server was signed out of, removed, ...: its new report (None = removed) and a sentence.
    ServerChanged {
        server_id: String,
        report: Option<ServerReport>,
        message: String,
    },
    /// A servers-pane operation failed.
    ServerOpFailed(String),
    Invitations(Result<Vec<Invitation>, String>),
    InvitationAnswered(Result<String, String>),
    Discovered(Result<usize, String>),
    /// A library request of one session came back.
    Loaded {
        server_id: String,
        generation: u64,
        result: Result<Loaded, String>,
    },
    /// A picture came back (None: there is none to be had; its placeholder stays).
    ImageLoaded {
        key: ImageKey,
        picture: Option<Picture>,
    },
    // issue 11: the Connect account and server administration
    /// The signed-in Connect user as the service describes it.
    AccountLoaded(Result<AccountUser, String>),
    /// A sign-up (then sign-in) finished: the Connect user name, or why not; `browser` when
    /// Emby Connect wants the sign-up finished in a web browser.
    SignedUp {
        result: Result<String, String>,
        browser: bool,
    },
    /// What a server's administration view shows, or why it is not shown.
    AdminLoaded {
        server_id: String,
        result: Result<AdminData, String>,
    },
    /// An administration operation finished: a sentence either way.
    AdminDone {
        server_id: String,
        result: Result<String, String>,
    },
    /// The other devices of this user on a server (for the play menu).
    PlayTargets {
        server_id: String,
        result: Result<Vec<SessionInfo>, String>,
    },
    /// The player here is gone (Stopped was sent), or never started.
    PlayEnded {
        server_id: String,
        item_id: String,
        result: Result<Played, String>,
    },
    /// Play on another device was accepted or refused.
    PlayedOn {
        server_id: String,
        session_id: String,
        label: String,
        result: Result<(), String>,
    },
    /// A stream URL with its token (for the clipboard and the screen), and the item's title.
    StreamUrl {
        server_id: String,
        result: Result<(String, Secret), String>,
    },
    /// Where another device is now.
    RemoteRead {
        server_id: String,
        session_id: String,
        result: Result<Box<SessionInfo>, String>,
    },
    /// A command to another device was accepted (what it did, in words) or refused.
    RemoteDone {
        server_id: String,
        session_id: String,
        result: Result<String, String>,
    },
    /// One server's part of the "All servers" tab came back (its home, or its answer to a
    /// search), tagged with the generation it was asked with.
    Everywhere {
        server_id: String,
        generation: u64,
        result: Result<EverywhereLoaded, String>,
    },
}

/// The Emby Connect user of the account box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountUser {
    pub name: String,
    pub email: Option<String>,
}

/// What a server's administration view is built from.
pub type AdminData = crate::session::hub::AdminOverview;

/// An operation of the administration view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminOp {
    /// Users, pending invitations and libraries (after checking the user is an administrator).
    Load,
    Link {
        user_id: String,
        user_name: String,
        name_or_email: String,
    },
    Unlink {
        user_id: String,
        user_name: String,
    },
    Invite {
        name_or_email: String,
        /// Library ids to share; None shares all.
        libraries: Option<Vec<String>>,
        live_tv: bool,
    },
    CancelInvite {
        id: String,
        user_name: String,
    },
}

/// What a PIN poll said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinCheck {
    Waiting,
    Confirmed,
    Expired,
}

/// An Emby Connect invitation to a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: String,
    pub name: String,
}

/// Work for the worker. Nothing here is done by the UI thread.
#[derive(Debug, Clone)]
pub enum Effect {
    /// The first refresh after start (the saved state is on screen already).
    Start,
    /// Rebuild the list and reach every server, each in its own task.
    Refresh,
    ConnectSignIn {
        user: String,
        password: Secret,
    },
    PinCreate,
    PinCheck {
        pin: String,
    },
    PinFinish {
        pin: String,
    },
    ProbeAddress(String),
    SignInLocal {
        server_id: String,
        user: String,
        password: Secret,
    },
    SignOut(String),
    /// The users a saved server lists publicly, for the local sign-in picker.
    PublicUsers(String),
    /// Forget the Connect sign-in and every AccessKey; servers keep their addresses.
    ConnectSignOut,
    Remove(String),
    Discover,
    ListInvitations,
    AnswerInvitation {
        id: String,
        accept: bool,
    },
    /// A library request on one server's own session; the answer comes back with `generation`.
    Load {
        server_id: String,
        generation: u64,
        request: Request,
    },
    /// A picture for the screen: fetched (or read from the disk cache), decoded and fitted off
    /// the UI thread; it comes back as [`Action::ImageLoaded`].
    LoadImage(ImageRequest),
    // issue 11
    /// Who is signed in to Emby Connect (name, e-mail).
    ConnectWhoAmI,
    /// Create an Emby Connect account, then sign in to it.
    ConnectSignUp {
        email: String,
        user: String,
        password: Secret,
    },
    /// An operation of a server's administration view.
    Admin {
        server_id: String,
        op: AdminOp,
    },
    /// The other devices this user may control on a server.
    PlayTargets {
        server_id: String,
    },
    /// Play an item here with the player; `foreground`: the player gets the terminal (the loop
    /// has lent it before this reaches the worker).
    PlayHere {
        server_id: String,
        item_id: String,
        start: StartAt,
        player: PlayerConfig,
        foreground: bool,
    },
    /// Ask the player here to quit.
    StopHere,
    /// Play an item on another device.
    PlayOn {
        server_id: String,
        session_id: String,
        label: String,
        item_id: String,
        start: StartAt,
    },
    /// A direct stream URL (with its token) for the clipboard.
    CopyUrl {
        server_id: String,
        item_id: String,
    },
    /// Read where another device is.
    RemoteRefresh {
        server_id: String,
        session_id: String,
    },
    /// A playstate command to another device.
    RemoteCommand {
        server_id: String,
        session_id: String,
        command: Playstate,
    },
    /// One server's part of the "All servers" tab; the answer comes back with `generation`. A
    /// newer one for the same server and kind cancels this one (see [`Effect::supersedes`]).
    Everywhere {
        server_id: String,
        generation: u64,
        request: EverywhereRequest,
    },
}

impl Effect {
    /// Whether the player this starts needs the terminal (the loop lends it first).
    pub fn needs_terminal(&self) -> bool {
        matches!(
            self,
            Effect::PlayHere {
                foreground: true,
                ..
            }
        )
    }

    /// The work a newer effect of the same key replaces: the worker cancels the older one still
    /// running (typing a search cancels the search of the previous letters on every server).
    pub fn supersedes(&self) -> Option<String> {
        match self {
            Effect::Everywhere {
                server_id, request, ..
            } => {
                let kind = match request {
                    EverywhereRequest::Home => "home",
                    EverywhereRequest::Search(_) => "search",
                };
                Some(format!(
                    "everywhere-{kind}:{}",
                    server_id.to_ascii_lowercase()
                ))
            }
            _ => None,
        }
    }
}

/// Items of one search answer per Action: a large answer reaches the UI in parts, each merged in
/// a frame of its own (see [`Action::in_parts`]).
pub const ANSWER_PART: usize = 1000;

impl Action {
    /// How many items this action brings to merge (a search answer's items; 0 for the rest):
    /// the UI loop merges at most about [`ANSWER_PART`] of them before it draws a frame.
    pub fn items_carried(&self) -> usize {
        match self {
            Action::Everywhere {
                result: Ok(EverywhereLoaded::Search(answer)),
                ..
            } => answer.groups.iter().map(|(_, f)| f.len()).sum(),
            _ => 0,
        }
    }

    /// This action as the UI should receive it: a search answer of more than [`ANSWER_PART`]
    /// items split into parts of that many (same server and generation), everything else whole.
    pub fn in_parts(self) -> Vec<Action> {
        let Action::Everywhere {
            server_id,
            generation,
            result: Ok(EverywhereLoaded::Search(answer)),
        } = self
        else {
            return vec![self];
        };
        let total: usize = answer.groups.iter().map(|(_, f)| f.len()).sum();
        let part = |groups| Action::Everywhere {
            server_id: server_id.clone(),
            generation,
            result: Ok(EverywhereLoaded::Search(Box::new(
                crate::session::everywhere::ServerSearch {
                    server_id: answer.server_id.clone(),
                    term: answer.term.clone(),
                    groups,
                },
            ))),
        };
        if total <= ANSWER_PART {
            return vec![part(answer.groups)];
        }
        let mut parts = Vec::new();
        let mut current = Vec::new();
        let mut size = 0;
        for (group, mut found) in answer.groups {
            while !found.is_empty() {
                let take = (ANSWER_PART - size).min(found.len());
                let rest = found.split_off(take);
                size += found.len();
                current.push((group, found));
                found = rest;
                if size == ANSWER_PART {
                    parts.push(part(std::mem::take(&mut current)));
                    size = 0;
                }
            }
        }
        if !current.is_empty() {
            parts.push(part(current));
        }
        parts
    }
}

/// What the "All servers" tab asks of one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EverywhereRequest {
    /// Its Continue Watching, Next Up and Latest, for the merged home.
    Home,
    /// Its answer to a search.
    Search(String),
}

/// What one server answered for the "All servers" tab.
#[derive(Debug, Clone)]
pub enum EverywhereLoaded {
    Home(Box<crate::session::everywhere::ServerHome>),
    Search(Box<crate::session::everywhere::ServerSearch>),
}

/// A library request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Libraries, Continue Watching, Next Up and Latest per library.
    Home,
    /// One page of a folder's children (or of a search across the server), sorted and
    /// filtered as `order` says.
    Page {
        parent_id: Option<String>,
        search: Option<String>,
        order: ListOrder,
        start: usize,
        limit: usize,
    },
    /// The genres of the items under a folder (for the genre filter).
    Genres {
        parent_id: Option<String>,
    },
    /// One item with all its fields.
    Item(String),
    SetPlayed {
        item_id: String,
        played: bool,
    },
    SetFavorite {
        item_id: String,
        favorite: bool,
    },
}

/// What a library request brought back.
#[derive(Debug, Clone)]
pub enum Loaded {
    Home(HomeData),
    Page {
        start: usize,
        total: usize,
        items: Vec<BaseItemDto>,
    },
    /// A page could not be fetched (it may be asked again).
    PageFailed {
        start: usize,
        error: String,
    },
    Item(Box<BaseItemDto>),
    Genres(Vec<String>),
    UserData {
        item_id: String,
        data: UserItemDataDto,
    },
}

/// The home view of a server (libraries, Continue Watching, Next Up, Latest per library).
pub type HomeData = crate::session::Home;
