//! The session layer: the server list and its merge, the address race with the Id check and
//! the route memory, the Connect exchange, one session per ServerId, and the credentials store.
//! [`Hub`] is its one entry point, used alike by the command line and the terminal UI (see
//! `hub` for the shape and for how an operation is added).

pub mod address;
pub mod error;
pub mod everywhere;
pub mod files;
pub mod hub;
pub mod image_cache;
pub mod limits;
pub mod network;
pub mod race;
pub mod reach;
pub mod report;
pub mod routes;
pub mod servers;
pub mod state;
pub mod store;

pub use error::SessionError;
pub use hub::{
    Event, EventSink, Home, Hub, PlaybackUpdate, Played, Probed, SessionConfig, Snapshot, StartAt,
    channel_sink,
};
pub use image_cache::{ImageCache, ItemImage};
pub use report::ServerReport;
pub use state::{Session, SessionState};
