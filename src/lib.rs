//! emby-tui: a terminal browser for Emby servers reached through Emby Connect, the LAN or an address.
//!
//! - [`emby`] is the wire: the Connect and Emby Server clients, models, discovery.
//! - [`sim`] is `emby-sim`, a simulator of Connect and of Emby Servers used by tests, benches and `--demo`.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod emby;
pub mod logging;
pub mod player;
pub mod session;
pub mod sim;
pub mod tui;
pub mod ui;
pub mod worker;
