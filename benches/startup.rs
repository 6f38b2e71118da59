//! `cargo bench --bench startup`: time from starting the release `emby-tui` in a pseudo-terminal
//! to its first full frame, with 9 saved servers of which 4 are dead (every address black-holed),
//! the Connect service black-holed too: nothing may wait on the network before the first frame.
//!
//! Two cases, 20 starts each (median / p95 / max):
//! - the servers pane, every saved server listed with the route that won last time;
//! - a session tab restored from the screen cache of the last run (its home rows), marked cached.

use std::time::{Duration, Instant};

use emby_tui::app::cache::{CachedRow, CachedScreen, CachedSession, CachedView, UiCache};
use emby_tui::emby::models::BaseItemDto;
use emby_tui::sim::{Scenario, Sim};

#[path = "../tests/common/pty.rs"]
#[allow(dead_code)]
mod pty;

use pty::Pty;

const ROWS: u16 = 40;
const COLS: u16 = 140;
const STARTS: usize = 20;

/// 9 servers: 0-4 live, 5-8 dead (both addresses black-holed); Connect black-holed.
fn scenario() -> String {
    let mut s = String::from("[connect]\nfaults = { blackhole = true }\n");
    for i in 0..9 {
        let dead = if i >= 5 {
            "faults.local = { blackhole = true }\nfaults.remote = { blackhole = true }\n"
        } else {
            ""
        };
        s.push_str(&format!(
            "\n[[servers]]\nname = \"Start {i}\"\ndiscoverable = false\nlibrary = {{ movies = 3 }}\n{dead}"
        ));
    }
    s
}

/// One start: the time until `ready` holds on screen.
fn start(dir: &std::path::Path, connect_url: &str, ready: &dyn Fn(&str) -> bool) -> Duration {
    let t0 = Instant::now();
    let mut pty = Pty::spawn(
        env!("CARGO_BIN_EXE_emby-tui"),
        &["--no-discovery", "--network", "bench"],
        &[
            ("EMBY_TUI_CONFIG_DIR", dir),
            ("EMBY_TUI_CONNECT_URL", std::path::Path::new(connect_url)),
        ],
        ROWS,
        COLS,
    );
    let took = pty.until(t0, Duration::from_secs(10), "the first full frame", ready);
    pty.write(b"q");
    pty.exit_status(Duration::from_secs(10));
    took
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p95 = times[((times.len() as f64 * 0.95).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "| {what} | {:.1} | {:.1} | {:.1} |",
        ms(times[times.len() / 2]),
        ms(p95),
        ms(*times.last().unwrap())
    );
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("(run with `cargo bench --bench startup` for the figures)");
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let sim = rt
        .block_on(Sim::start(
            Scenario::from_toml_str(&scenario()).expect("scenario"),
        ))
        .expect("sim");
    let dir = tempfile::tempdir().unwrap();
    let servers: Vec<serde_json::Value> = sim
        .servers()
        .iter()
        .map(|s| {
            serde_json::json!({
                "id": s.id, "name": s.name,
                "local_address": s.local_url, "remote_address": s.remote_url,
                "last_connection_mode": "local",
            })
        })
        .collect();
    std::fs::write(
        dir.path().join("credentials.json"),
        serde_json::to_vec(&serde_json::json!({ "schema": 1, "servers": servers })).unwrap(),
    )
    .unwrap();
    let names: Vec<String> = sim.servers().iter().map(|s| s.name.clone()).collect();
    let all_listed = |screen: &str| names.iter().all(|n| screen.contains(n.as_str()));

    println!(
        "| first full frame, 9 saved servers (4 dead), Connect black-holed | median ms | p95 ms | max ms |"
    );
    println!("|---|---:|---:|---:|");
    let times = (0..STARTS)
        .map(|_| start(dir.path(), &sim.connect_url(), &all_listed))
        .collect();
    report("servers pane, every saved server listed", times);

    // the screen cache of the last run: a session tab with its home rows
    let first = &sim.servers()[0];
    let rows = (0..12)
        .map(|i| {
            CachedRow::Item(Box::new(BaseItemDto {
                id: Some(format!("item{i}")),
                name: Some(format!("Cached row {i}")),
                ..Default::default()
            }))
        })
        .collect();
    let cache = UiCache {
        schema: emby_tui::app::cache::SCHEMA,
        active: Some(0),
        sessions: vec![CachedSession {
            server_id: first.id.clone(),
            name: first.name.clone(),
            last_search: String::new(),
            screens: vec![CachedScreen {
                title: "Home".into(),
                view: CachedView::Home {
                    rows,
                    cursor: 0,
                    top: 0,
                },
            }],
        }],
    };
    let cache_dir = dir.path().join("cache");
    let restored = |screen: &str| screen.contains("Cached row 11") && screen.contains("(cached)");
    let times = (0..STARTS)
        .map(|_| {
            // each run writes its own screen back on exit: put the measured one back first
            std::fs::create_dir_all(&cache_dir).unwrap();
            std::fs::write(
                cache_dir.join(emby_tui::app::cache::FILE_NAME),
                serde_json::to_vec(&cache).unwrap(),
            )
            .unwrap();
            start(dir.path(), &sim.connect_url(), &restored)
        })
        .collect();
    report("a session tab restored from the screen cache", times);
    rt.block_on(sim.shutdown());
}
