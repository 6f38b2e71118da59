//! [`SessionError`]: why a session operation failed, in a sentence a user can act on.

use crate::emby;
use crate::player::PlayerError;

use super::address::AddressError;
use super::store::StoreError;

/// Why a session operation failed. Never carries a secret.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Emby(#[from] emby::Error),
    #[error(transparent)]
    Address(#[from] AddressError),
    #[error("not signed in to Emby Connect (sign in with `emby-tui connect login` or a PIN first)")]
    NotSignedInToConnect,
    #[error("Emby Connect did not accept that name or password")]
    ConnectRejected,
    #[error("the server did not accept that user name or password")]
    WrongPassword,
    #[error("no saved server has the Id {0}")]
    UnknownServer(String),
    #[error(
        "no saved server is called or has the Id `{given}`{}; `emby-tui servers` lists them",
        saved_names(saved)
    )]
    NoSuchServer { given: String, saved: Vec<String> },
    #[error("`{given}` could be {}; give more of the name, or the Id", matches.join(" or "))]
    AmbiguousServer { given: String, matches: Vec<String> },
    #[error("no item `{item}` on {server}")]
    NoItem { item: String, server: String },
    #[error("cannot reach {address}: {cause}")]
    CannotReach { address: String, cause: String },
    #[error("no waiting invitation matches {0}")]
    UnknownInvitation(String),
    #[error("{name} is unavailable: {reason}")]
    Unavailable { name: String, reason: String },
    #[error("{name} needs a sign-in: {reason}")]
    SignInRequired { name: String, reason: String },
    #[error("the PIN expired before it was confirmed; ask for a new one")]
    PinExpired,
    #[error("{0}")]
    Other(String),
    #[error(
        "you are not an administrator of {name}: only its administrators can see its users, link them to Emby Connect or invite guests"
    )]
    NotAdministrator { name: String },
    #[error("{name} has no user {user}")]
    UnknownUser { name: String, user: String },
    #[error("that Emby Connect user is already linked to another user of {name}")]
    AlreadyLinked { name: String },
    #[error("{who} already has access to {name} through Emby Connect")]
    AlreadyShared { name: String, who: String },
    #[error("{name} cannot reach Emby Connect right now (it answered {status}); try again later")]
    ServerCannotReachConnect { name: String, status: u16 },
    #[error("Emby Connect has no user named {0}; ask for their Emby Connect name or e-mail")]
    UnknownConnectUser(String),
    #[error(
        "{name} (Emby Server {version}) has no {what}: servers since 4.7 no longer offer it; use its dashboard at {dashboard}"
    )]
    NoEndpoint {
        name: String,
        version: String,
        what: String,
        dashboard: String,
    },
    #[error("{name} has no pending invitation {id}")]
    UnknownPending { name: String, id: String },
    #[error("{name} has no library {library} (its libraries: {known})")]
    UnknownLibrary {
        name: String,
        library: String,
        known: String,
    },
    /// Emby Connect did not create the account; `browser` when it wants a step only a web
    /// browser can do (a captcha).
    #[error("{reason}")]
    SignUpRefused { reason: String, browser: bool },
    #[error("{name} cannot be played: {reason}")]
    NotPlayable { name: String, reason: String },
    #[error(
        "the session {session} is gone from {server} (its app was closed or the device went to sleep); list the sessions again"
    )]
    SessionGone { server: String, session: String },
    #[error("{device} refused: {message}")]
    Refused { device: String, message: String },
    #[error(transparent)]
    Player(#[from] PlayerError),
}

fn saved_names(names: &[String]) -> String {
    if names.is_empty() {
        " (none is saved yet)".to_string()
    } else {
        format!(" (saved: {})", names.join(", "))
    }
}
