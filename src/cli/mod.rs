//! The one-shot command line: parse, run one command against the connection manager, print.
//! Exit status 0 on success, 1 when the operation failed, 2 on a usage error (clap's own).

pub mod args;
mod output;
mod run;

pub use args::Cli;
pub use run::{manager_config, pin_page, race_config, run_command};
