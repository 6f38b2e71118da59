//! The connection manager: server list merge, address race, Id check, exchange, one session per
//! ServerId, and the credentials store.

pub mod address;
pub mod files;
pub mod limits;
pub mod manager;
pub mod race;
pub mod reach;
pub mod report;
pub mod servers;
pub mod store;

pub use manager::{
    ConnectionManager, ManagerConfig, ManagerError, Probed, Session, SessionHandle, SessionState,
};
pub use report::ServerReport;
