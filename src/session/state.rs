//! Where one server's session stands right now (in memory only; what is saved is in `store`).

use std::time::Duration;

use crate::emby::SignedInClient;

use super::reach::VerifiedAddress;

/// Where a session stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    SignedIn,
    SignInRequired(String),
    Unavailable(String),
}

/// One live server session: its own verified address, mode and token.
#[derive(Debug, Clone)]
pub struct Session {
    pub server_id: String,
    pub state: SessionState,
    pub verified: Option<VerifiedAddress>,
    pub latency: Option<Duration>,
    pub client: Option<SignedInClient>,
}
