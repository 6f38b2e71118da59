//! Playing on this box with an external player (default mpv), and keeping the server told.
//!
//! Not the wire and not the UI: the session layer ([`crate::session::hub`]'s `play_here`) uses
//! it to run one playback, and the app reads [`PlayerConfig`] to know whether the player needs
//! the terminal.
//! - [`template`]: the command template (split like a shell line, no shell), its placeholders
//!   `{url}`, `{title}`, `{start}`, `{ipc}`, and [`PlayerConfig`].
//! - [`mpv`]: the lines of mpv's JSON IPC emby-tui speaks.
//! - [`run`]: starts the process, hands it the token and the URL over IPC (so no token is on its
//!   command line), and turns what it says into [`PlayerEvent`]s.
//! - [`track`]: when to report Start, Progress and Stop, with which position.

pub mod mpv;
pub mod run;
pub mod template;
pub mod track;

pub use run::{Launch, PlayerError, PlayerEvent};
pub use template::{PlayerConfig, PlayerTemplate, TemplateSource, TerminalUse};
pub use track::{Outcome, ProgressEvent, Report, ReportKind, TICKS_PER_SECOND, Tracked, ticks};
