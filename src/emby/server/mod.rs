//! The Emby Server client. [`ServerClient`] makes the anonymous calls (probe, public users,
//! sign-in, Connect exchange); [`SignedInClient`] holds a token and is the only type with the calls
//! that need one, so a token-less call cannot compile.

mod address;
mod anonymous;
mod playback;
mod query;
mod signed_in;

pub use address::ServerAddress;
pub use anonymous::ServerClient;
pub use playback::{PlayMethod, Playstate, ReportCall, StreamUrl, choose_source};
pub use query::{ConnectInvite, ImageOptions, ItemsQuery, MediaKind, SortOrder, StreamOptions};
pub use signed_in::SignedInClient;
