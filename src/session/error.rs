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
    #[error("{server} has no item with the Id {item}")]
    UnknownItem { server: String, item: String },
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
