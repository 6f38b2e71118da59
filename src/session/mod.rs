//! The connection manager: server list merge, address race, Id check, exchange, one session per
//! ServerId, and the credentials store.

pub mod address;
pub mod race;
pub mod servers;
pub mod store;
