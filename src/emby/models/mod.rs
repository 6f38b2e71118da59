//! What a client reads from Emby Connect and from Emby Servers (serde, PascalCase keys).
//!
//! Every field the real API may leave out is an `Option` or defaults (a list to empty), and a
//! JSON `null` is treated like an absent key; unknown keys are ignored. Wrong JSON types are
//! errors (reported as [`super::Error::NotUnderstood`] naming the field). Tokens and AccessKeys
//! deserialize into [`super::Secret`].

mod connect;
mod de;
mod item;
mod playback;
mod query;
mod session;
mod system;
mod user;

pub use connect::{
    ConnectAuthenticationExchangeResult, ConnectAuthorization, ConnectServer, ConnectSignIn,
    ConnectUser, PinCreationResult, PinExchangeResult, PinStatusResult, SignUpResult,
    UserLinkResult,
};
pub use item::{BaseItemDto, BaseItemPerson, UserItemDataDto};
pub use playback::{MediaSourceInfo, MediaStream, PlaybackInfoResponse};
pub use query::QueryResult;
pub use session::{PlaybackReport, PlayerStateInfo, SessionInfo};
pub use system::{PublicSystemInfo, SystemInfo};
pub use user::{AuthenticationResult, UserDto, UserPolicy};

#[cfg(test)]
mod tests;
