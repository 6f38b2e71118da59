//! The wire: Emby Connect and Emby Server clients, models, identity header and LAN discovery.
//! Knows nothing of screens or of saved state.

pub mod connect;
pub mod discovery;
pub mod error;
pub mod http;
pub mod identity;
pub mod models;
pub mod secret;
pub mod server;
pub mod text;

pub use connect::{ConnectClient, ConnectSession};
pub use discovery::{DiscoveredServer, DiscoveryConfig, discover};
pub use error::Error;
pub use http::{HttpClient, HttpConfig};
pub use identity::ClientIdentity;
pub use secret::Secret;
pub use server::{ServerAddress, ServerClient, SignedInClient};

#[cfg(test)]
pub(crate) mod test_server;
