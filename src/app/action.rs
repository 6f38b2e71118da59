//! What flows through the loop: [`Action`]s in (keys, mouse, results from the worker) and
//! [`Effect`]s out (work for the worker). Results carry their ServerId and request generation.

use crossterm::event::{KeyEvent, MouseEvent};

use crate::emby::Secret;
use crate::emby::models::{BaseItemDto, UserItemDataDto};
use crate::session::{Event, Probed, ServerReport};

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
    /// One server's part of the "All servers" tab came back (its home, or its answer to a
    /// search), tagged with the generation it was asked with.
    Everywhere {
        server_id: String,
        generation: u64,
        result: Result<EverywhereLoaded, String>,
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
    /// One server's part of the "All servers" tab; the answer comes back with `generation`. A
    /// newer one for the same server and kind cancels this one (see [`Effect::supersedes`]).
    Everywhere {
        server_id: String,
        generation: u64,
        request: EverywhereRequest,
    },
}

impl Effect {
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
    /// One page of a folder's children (or of a search across the server).
    Page {
        parent_id: Option<String>,
        search: Option<String>,
        start: usize,
        limit: usize,
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
    UserData {
        item_id: String,
        data: UserItemDataDto,
    },
}

/// The home view of a server (libraries, Continue Watching, Next Up, Latest per library).
pub type HomeData = crate::session::Home;
