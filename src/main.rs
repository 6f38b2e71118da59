//! emby-tui: parse the command line, then run a one-shot command (or, with none, the terminal UI).

use std::process::ExitCode;
use std::sync::Arc;

use emby_tui::app::log::{Level, RecentLog};
use emby_tui::cli::{self, Cli};
use emby_tui::emby::text::strip_controls;

/// Log to a file (never to the screen) and to the recent lines of the log pane:
/// `<config dir>/emby-tui.log` when --config-dir is given (or `dir`, the demo's), else the
/// platform data dir. Level from RUST_LOG, else config.toml's `[log] level` (default info).
fn init_logging(
    dir: Option<&std::path::Path>,
    global: &cli::args::GlobalOptions,
) -> Arc<RecentLog> {
    let dir = dir
        .map(std::path::Path::to_path_buf)
        .or_else(|| global.config_dir.clone())
        .or_else(|| {
            directories::ProjectDirs::from("", "", "emby-tui").map(|p| p.data_dir().to_path_buf())
        });
    let level = global.config.file.log_level.unwrap_or(Level::Info);
    emby_tui::logging::init(dir.as_deref(), level)
}

/// The terminal UI on the real (or configured) Emby Connect and LAN.
async fn terminal_ui(global: &cli::args::GlobalOptions, log: Arc<RecentLog>) -> anyhow::Result<()> {
    let cfg = cli::session_config(global)?;
    let setup = emby_tui::tui::Setup {
        pin_page: cli::pin_page(&global.connect_url),
        demo: None,
        player: global.player(None)?,
        config: global.config.clone(),
        log: Some(log),
        images: global.images.parse().unwrap_or_default(),
    };
    emby_tui::tui::run(cfg, setup).await
}

fn main() -> ExitCode {
    let cli = Cli::parse_with_env();
    if cli.demo && cli.command.is_some() {
        eprintln!("emby-tui: --demo opens the terminal UI and takes no command.");
        return ExitCode::from(2);
    }
    // --demo keeps everything, its log too, in a throw-away dir, never in the user's own
    let demo_dir = match cli.demo.then(emby_tui::demo::throwaway_dir).transpose() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("emby-tui: {e}");
            return ExitCode::from(1);
        }
    };
    let log = init_logging(demo_dir.as_ref().map(|d| d.path()), &cli.global);
    // thousands of saved servers need more than the usual soft limit of 1024 open files
    emby_tui::session::limits::raise_open_files_limit();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("emby-tui: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    let Some(command) = cli.command else {
        let result = if let Some(dir) = &demo_dir {
            runtime.block_on(emby_tui::demo::run(&cli.global, dir, log))
        } else {
            runtime.block_on(terminal_ui(&cli.global, log))
        };
        return match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("emby-tui: {}", strip_controls(&e.to_string()));
                ExitCode::from(1)
            }
        };
    };
    match runtime.block_on(cli::run_command(&cli.global, command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("emby-tui: {}", strip_controls(&e.to_string()));
            ExitCode::from(1)
        }
    }
}
