//! The simulator against itself: every endpoint's semantics, every fault, the tolerant
//! request parsing, Connect flows and discovery. (The peers in tests/peers.rs prove the
//! reply shapes against clients other people wrote.)

mod sim {
    pub mod common;
    mod connect;
    mod faults;
    mod library;
    mod server;
}
