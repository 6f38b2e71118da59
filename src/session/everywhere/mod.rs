//! "All servers": one home and one search across every server (issue #12).
//!
//! People with several servers think in films and shows, not in servers. Each server's part is
//! fetched through its own session ([`crate::session::Hub::everywhere_home`] and
//! [`crate::session::Hub::everywhere_search`], one server per call so a slow one never holds up
//! another), and merged here, in plain code the command line and the UI share:
//! - [`merge`]: the same film, series, episode or person on several servers is one row, matched
//!   by provider ids (never by name), with the played and resume state of the server it was
//!   last played on;
//! - [`rank`]: a row's servers fastest first (a LAN address before a remote one), from how each
//!   session was reached;
//! - [`home`]: Continue Watching, Next Up and Latest per kind of library, merged;
//! - [`search`]: results grouped by kind and ranked by how well the name matches, merged as each
//!   server answers.

pub mod dates;
pub mod home;
pub mod merge;
pub mod rank;
pub mod search;

pub use home::{LibraryKind, MergedHome, ServerHome, merge_homes};
pub use merge::{Found, Merged, Merger, ProviderIds, Source};
pub use rank::{Rank, Ranks, rank_of};
pub use search::{SearchGroup, SearchMerge, ServerSearch, match_score, merge_searches};
