//! Shared helpers of the integration tests: a simulator per test and a manager pointed at it.
#![allow(dead_code)]

use std::time::Duration;

use emby_tui::emby::{HttpConfig, Secret};
use emby_tui::session::race::RaceConfig;
use emby_tui::session::{ConnectionManager, ManagerConfig};
use emby_tui::sim::{Scenario, Sim};

pub fn scenario_path(name: &str) -> String {
    format!("{}/assets/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

pub async fn demo_sim() -> Sim {
    let scenario = Scenario::load(scenario_path("demo.toml")).expect("demo.toml loads");
    Sim::start(scenario).await.expect("simulator starts")
}

/// Short but realistic race timings so dead addresses do not slow the suite.
pub fn test_race() -> RaceConfig {
    RaceConfig {
        head_start: Duration::from_millis(150),
        local_timeout: Duration::from_millis(1500),
        remote_timeout: Duration::from_millis(2000),
        manual_timeout: Duration::from_millis(2000),
    }
}

pub fn manager_config(sim: &Sim, dir: &std::path::Path) -> ManagerConfig {
    ManagerConfig {
        config_dir: dir.to_path_buf(),
        connect_url: sim.connect_url(),
        discovery: None,
        race: test_race(),
        http: HttpConfig {
            request_timeout: Duration::from_secs(5),
            ..HttpConfig::default()
        },
    }
}

pub fn manager(sim: &Sim, dir: &std::path::Path) -> ConnectionManager {
    ConnectionManager::open(manager_config(sim, dir)).expect("manager opens")
}

/// A manager signed in to Connect as the demo user.
pub async fn signed_in_manager(sim: &Sim, dir: &std::path::Path) -> ConnectionManager {
    let mut mgr = manager(sim, dir);
    mgr.connect_sign_in("demo", &Secret::new("demo"))
        .await
        .expect("demo signs in to Connect");
    mgr
}

pub fn id_of(sim: &Sim, name: &str) -> String {
    sim.server(name)
        .unwrap_or_else(|| panic!("no server {name}"))
        .id
}

/// The demo world with a manager signed in to Connect that has reached every server once.
pub async fn reached_demo() -> (Sim, tempfile::TempDir, ConnectionManager) {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut mgr = signed_in_manager(&sim, dir.path()).await;
    mgr.refresh().await.expect("first refresh");
    (sim, dir, mgr)
}
