//! `emby-tui --demo`: the simulator's demo world in this process on free loopback ports, a
//! throw-away config dir, and the terminal UI pointed at both.

use anyhow::Context;

use crate::app::signin::DemoHint;
use crate::cli::args::GlobalOptions;
use crate::emby::{DiscoveryConfig, HttpConfig};
use crate::session::SessionConfig;
use crate::sim::{Scenario, Sim};
use crate::tui::{self, Setup};

/// The demo scenario, built in so `--demo` works from any directory.
pub const DEMO_SCENARIO: &str = include_str!("../assets/scenarios/demo.toml");

/// What the sign-in pane tells a newcomer.
pub fn hint(pin_page: &str) -> DemoHint {
    DemoHint {
        lines: vec![
            "Demo: a simulated Emby Connect and four servers run inside this program on loopback ports.".into(),
            "Sign in with Emby Connect as  demo  with the password  demo  (type, Tab, type, Enter).".into(),
            format!("Or choose the PIN (Ctrl-N) and confirm it at {pin_page} as demo."),
            "Then watch the servers fill in: Living Room is reached locally, Cabin only remotely (its".into(),
            "LocalAddress is black-holed), Friend's Server is shared with you as a guest, and Grandpa's".into(),
            "Server has invited you (i on the servers pane). Enter opens a server; s back to the list.".into(),
            "You administer Living Room: open it and press A to link kid to friend@example.com or invite".into(),
            "friend; then sign in to Emby Connect as friend / friend (u, x signs out) and accept with i.".into(),
            "Enter on a movie opens its play menu: play it on \"Living Room TV\" and watch it move, or".into(),
            "here with mpv (if installed), or copy its stream URL.".into(),
        ],
    }
}

/// The throw-away dir of a demo run: its config, caches and log; removed when dropped.
pub fn throwaway_dir() -> anyhow::Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix("emby-tui-demo-")
        .tempdir()
        .context("cannot make a throw-away config dir")
}

/// Run the demo until the user quits, with `dir` (from [`throwaway_dir`]) as its config dir;
/// the simulator goes with it.
pub async fn run(
    global: &GlobalOptions,
    dir: &tempfile::TempDir,
    log: std::sync::Arc<crate::app::log::RecentLog>,
) -> anyhow::Result<()> {
    let player = global.player(None)?;
    let scenario = Scenario::from_toml_str(DEMO_SCENARIO).context("the demo scenario")?;
    let sim = Sim::start(scenario)
        .await
        .context("cannot start the demo simulator")?;
    let cfg = SessionConfig {
        config_dir: dir.path().to_path_buf(),
        cache_dir: Some(dir.path().join("cache")),
        connect_url: sim.connect_url(),
        discovery: Some(DiscoveryConfig {
            target: sim.discovery_addr(),
            ..DiscoveryConfig::default()
        }),
        race: crate::cli::race_config(global),
        http: HttpConfig::default(),
        reaches_in_flight: crate::session::limits::reaches_in_flight(
            crate::session::limits::current_open_files_limit(),
        ),
        network: global.network.clone(),
    };
    tracing::info!(connect = %sim.connect_url(), "demo simulator started");
    let setup = Setup {
        pin_page: sim.pin_page_url(),
        demo: Some(hint(&sim.pin_page_url())),
        player,
        config: global.config.clone(),
        log: Some(log),
        images: global.images.parse().unwrap_or_default(),
    };
    let result = tui::run(cfg, setup).await;
    sim.shutdown().await;
    result
}
