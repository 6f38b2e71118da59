//! The one-shot command line: parse, run one command against the connection manager, print.
//! Exit status 0 on success, 1 when the operation failed, 2 on a usage error (clap's own).

/// `println!` for text output, with control characters stripped: names and messages that came
/// from a server never drive the user's terminal (`--json` output is escaped by serde instead).
macro_rules! say {
    ($($t:tt)*) => {
        println!("{}", $crate::emby::text::strip_controls(&format!($($t)*)))
    };
}

/// `eprintln!` with control characters stripped (see `say!`).
macro_rules! tell {
    ($($t:tt)*) => {
        eprintln!("{}", $crate::emby::text::strip_controls(&format!($($t)*)))
    };
}

pub mod args;
mod everywhere;
mod output;
mod play;
mod run;
// issue 11
mod admin;
mod input;

pub use args::Cli;
pub use run::{cache_dir, pin_page, race_config, run_command, session_config};
