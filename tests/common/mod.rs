//! Shared helpers of the integration tests: a simulator per test and a manager pointed at it.
#![allow(dead_code)]

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tokio::io::AsyncWriteExt;

use emby_tui::emby::{HttpConfig, Secret};
use emby_tui::session::race::RaceConfig;
use emby_tui::session::{Hub, SessionConfig};
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

pub fn session_config(sim: &Sim, dir: &std::path::Path) -> SessionConfig {
    SessionConfig {
        config_dir: dir.to_path_buf(),
        cache_dir: Some(dir.join("cache")),
        connect_url: sim.connect_url(),
        discovery: None,
        race: test_race(),
        http: HttpConfig {
            request_timeout: Duration::from_secs(5),
            ..HttpConfig::default()
        },
        reaches_in_flight: 64,
        network: Some("test-network".into()),
    }
}

pub fn hub(sim: &Sim, dir: &std::path::Path) -> Hub {
    Hub::open(session_config(sim, dir), None).expect("the session layer opens")
}

/// A hub signed in to Connect as the demo user.
pub async fn signed_in_hub(sim: &Sim, dir: &std::path::Path) -> Hub {
    let hub = hub(sim, dir);
    hub.connect_sign_in("demo", &Secret::new("demo"))
        .await
        .expect("demo signs in to Connect");
    hub
}

pub fn id_of(sim: &Sim, name: &str) -> String {
    sim.server(name)
        .unwrap_or_else(|| panic!("no server {name}"))
        .id
}

/// The demo world with a hub signed in to Connect that has reached every server once.
pub async fn reached_demo() -> (Sim, tempfile::TempDir, Hub) {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let hub = signed_in_hub(&sim, dir.path()).await;
    hub.refresh().await.expect("first refresh");
    (sim, dir, hub)
}

/// What one run of the real `emby-tui` binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `emby-tui ARGS` against `sim` with its config in `dir` (short race timings, no LAN).
pub async fn emby_tui(sim: &Sim, dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Run {
    emby_tui_with(sim, dir, args, stdin, &[]).await
}

/// [`emby_tui`] with extra environment variables.
pub async fn emby_tui_with(
    sim: &Sim,
    dir: &std::path::Path,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> Run {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_emby-tui"));
    cmd.args(args)
        .arg("--no-discovery")
        .env("EMBY_TUI_CONFIG_DIR", dir)
        .env("EMBY_TUI_CONNECT_URL", sim.connect_url())
        .env("EMBY_TUI_HEAD_START_MS", "150")
        .env("EMBY_TUI_LOCAL_TIMEOUT_MS", "1500")
        .env("EMBY_TUI_REMOTE_TIMEOUT_MS", "2000")
        .env("EMBY_TUI_PIN_POLL_MS", "100")
        .env("RUST_LOG", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .envs(env.iter().copied());
    let mut child = cmd.spawn().expect("emby-tui runs");
    let mut pipe = child.stdin.take().unwrap();
    if let Some(input) = stdin {
        pipe.write_all(input.as_bytes()).await.unwrap();
    }
    drop(pipe);
    let out = child.wait_with_output().await.unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The run's stdout as JSON.
pub fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            run.stdout, run.stderr
        )
    })
}

/// The entry of a JSON array whose `id` is `id`.
pub fn entry<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {list}"))
}

/// `emby-tui connect login` as the demo user, which must work.
pub async fn cli_login(sim: &Sim, dir: &std::path::Path) {
    let run = emby_tui(
        sim,
        dir,
        &["connect", "login", "--user", "demo", "--password-stdin"],
        Some("demo\n"),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// The same fault on both addresses (local and remote) of a server.
pub fn fault_everywhere(sim: &Sim, server_id: &str, fault: emby_tui::sim::Fault) {
    for kind in [
        emby_tui::sim::AddressKind::Local,
        emby_tui::sim::AddressKind::Remote,
    ] {
        sim.set_fault(server_id, kind, fault.clone());
    }
}
