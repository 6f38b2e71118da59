//! The simulator against clients other people wrote (shared/peers.md):
//! - every JSON reply shape is checked against Emby's own models in `embyclient` (PyPI);
//! - `jellyfin-apiclient-python` (PyPI) connects, signs in and lists views;
//! - `jellyfin-apiclient` (npm) runs its address race: LocalAddress when it answers, the
//!   remote Url when the LocalAddress is black-holed, and it rejects an impostor.
//!
//! The peers are installed on first use under `<target dir>/peers/` (a Python venv and an npm
//! folder) and reused afterwards. An install failure fails the tests; nothing is skipped.

mod peers {
    pub mod install;
    mod jellyfin;
    mod models;
}
