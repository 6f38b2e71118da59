//! Reaching servers whose LocalAddresses are a mix of live, black-holed and refused (remote Urls
//! live), by emby-tui and, in the same run against the same simulated servers, by
//! jellyfin-apiclient (npm, the Jellyfin JS connection manager: one `connectToServer` per server,
//! all at once, timed inside node).
//!
//! 1. The goal of issue #9: 9 servers (3 live, 3 black-holed, 3 refused LocalAddresses);
//!    emby-tui as a whole process (`emby-tui servers --json`: start, Connect list, race,
//!    exchange, save, exit), on the first run (nothing remembered) and on later runs (the route
//!    that won remembered for this network), against the peer's in-process connect time.
//! 2. The race alone, in process, for 1, 10 and 50 servers: nothing remembered, then remembered.
//!
//! Every figure is the median of several runs. Run: `cargo bench --bench reach` (installs the
//! npm peer under target/peers on first use).

#[path = "../tests/peers/install.rs"]
#[allow(dead_code)]
mod install;

use std::time::Instant;

use emby_tui::emby::{ClientIdentity, HttpClient, HttpConfig};
use emby_tui::session::race::RaceConfig;
use emby_tui::session::reach::Reacher;
use emby_tui::session::routes::Routes;
use emby_tui::session::store::SavedServer;
use emby_tui::sim::{Scenario, Sim, SimServer};

const RUNS: usize = 5;

/// Server i: LocalAddress live (i % 3 == 0), black-holed (1) or refused (2).
fn scenario(n: usize) -> String {
    let mut s = String::from(
        "[connect]\nusers = [{ name = \"bench\", email = \"bench@example.com\", password = \"bench\" }]\n",
    );
    for i in 0..n {
        let fault = match i % 3 {
            0 => "",
            1 => "faults.local = { blackhole = true }\n",
            _ => "faults.local = { refuse = true }\n",
        };
        s.push_str(&format!(
            "\n[[servers]]\nname = \"Bench {i}\"\ndiscoverable = false\n\
             library = {{ movies = 1, series = 0, seasons = 0, episodes = 0, albums = 0, tracks = 0 }}\n{fault}\
             [[servers.users]]\nname = \"u\"\npassword = \"u\"\nconnect = \"bench\"\nlink = \"Linked\"\n"
        ));
    }
    s
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn saved(s: &SimServer) -> SavedServer {
    SavedServer {
        id: s.id.clone(),
        local_address: Some(s.local_url.clone()),
        remote_address: Some(s.remote_url.clone()),
        ..Default::default()
    }
}

/// emby-tui: race + Id check of every server at once with `routes`. Returns ms.
async fn ours(servers: &[SimServer], routes: &Routes) -> f64 {
    let reacher = Reacher::new(
        HttpClient::new(HttpConfig::default()).expect("http client"),
        ClientIdentity::new("bench", "bench-device-rust"),
        RaceConfig::default(),
        routes.clone(),
        512,
    );
    let t0 = Instant::now();
    let finds = servers.iter().map(|s| {
        let r = reacher.clone();
        let s = saved(s);
        async move { r.find(&s, Some(&s.id)).await }
    });
    let results = futures::future::join_all(finds).await;
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    for (s, r) in servers.iter().zip(&results) {
        let (v, _, _) = r
            .as_ref()
            .unwrap_or_else(|e| panic!("{} not reached: {e}", s.name));
        let want = if idx(s).is_multiple_of(3) {
            &s.local_url
        } else {
            &s.remote_url
        };
        assert_eq!(
            &v.address.to_string(),
            want,
            "{} reached at the wrong address",
            s.name
        );
    }
    ms
}

fn idx(s: &SimServer) -> usize {
    s.name
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// jellyfin-apiclient: one connectToServer per server, all at once, timed inside node. Returns ms.
async fn theirs(servers: &[SimServer]) -> f64 {
    let list: Vec<_> = servers
        .iter()
        .map(|s| serde_json::json!({"Id": s.id, "Name": s.name, "LocalAddress": s.local_url, "RemoteAddress": s.remote_url}))
        .collect();
    let out = install::run_script(
        "jf_race_bench.js",
        &[serde_json::Value::from(list).to_string()],
    )
    .await;
    let v = out.json();
    assert!(out.success, "jf_race_bench.js failed: {v}\n{}", out.stderr);
    let addrs = v["addresses"].as_array().expect("addresses");
    for (s, a) in servers.iter().zip(addrs) {
        let want = if idx(s).is_multiple_of(3) {
            &s.local_url
        } else {
            &s.remote_url
        };
        assert_eq!(
            a.as_str(),
            Some(want.as_str()),
            "jellyfin-apiclient reached {} elsewhere",
            s.name
        );
    }
    v["ms"].as_f64().expect("ms")
}

/// Runs `emby-tui ARGS` against `sim` with its config in `dir`; returns the process's wall time
/// in ms (spawn to exit) and its stdout.
async fn process(sim: &Sim, dir: &std::path::Path, args: &[&str], stdin: &str) -> (f64, String) {
    use tokio::io::AsyncWriteExt;
    let t0 = Instant::now();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_emby-tui"))
        .args(args)
        .args(["--no-discovery", "--network", "bench"])
        .env("EMBY_TUI_CONFIG_DIR", dir)
        .env("EMBY_TUI_CONNECT_URL", sim.connect_url())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("emby-tui runs");
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.as_bytes()).await.unwrap();
    drop(pipe);
    let out = child.wait_with_output().await.unwrap();
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    assert!(
        out.status.success(),
        "emby-tui {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (ms, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A config dir signed in to Connect as the bench user, nothing else saved.
async fn signed_in(sim: &Sim) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    process(
        sim,
        dir.path(),
        &["connect", "login", "--user", "bench", "--password-stdin"],
        "bench\n",
    )
    .await;
    dir
}

/// `emby-tui servers --json` as a whole process; checks every server is signed in at the
/// expected address. Returns ms.
async fn servers_process(sim: &Sim, dir: &std::path::Path) -> f64 {
    let (ms, stdout) = process(sim, dir, &["servers", "--json"], "").await;
    let list: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let rows = list.as_array().expect("array");
    assert_eq!(rows.len(), sim.servers().len());
    for s in sim.servers() {
        let row = rows.iter().find(|r| r["id"] == s.id.as_str()).expect("row");
        assert_eq!(row["state"], "signed_in", "{row}");
        let want = if idx(&s).is_multiple_of(3) {
            &s.local_url
        } else {
            &s.remote_url
        };
        assert_eq!(row["address"].as_str(), Some(want.as_str()), "{row}");
    }
    ms
}

#[tokio::main]
async fn main() {
    install::peers();

    // 1. Issue #9's goal: 9 servers, the whole process against the peer in process.
    let sim = Sim::start(Scenario::from_toml_str(&scenario(9)).expect("scenario"))
        .await
        .expect("sim");
    let servers = sim.servers();
    let (mut first, mut later, mut peer) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let dir = signed_in(&sim).await;
        first.push(servers_process(&sim, dir.path()).await);
        for _ in 0..3 {
            later.push(servers_process(&sim, dir.path()).await);
        }
        peer.push(theirs(&servers).await);
    }
    let (first, later, peer) = (median(first), median(later), median(peer));
    println!(
        "9 servers (3 live, 3 black-holed, 3 refused LocalAddresses), median of {RUNS} (later runs: {}):",
        RUNS * 3
    );
    println!("| | ms | vs jellyfin-apiclient in process |");
    println!("|---|---:|---:|");
    println!("| jellyfin-apiclient `connectToServer` x 9, in process | {peer:.1} | 1.00 |");
    println!(
        "| emby-tui `servers --json`, whole process, first run (nothing remembered) | {first:.1} | {:.2} |",
        first / peer
    );
    println!(
        "| emby-tui `servers --json`, whole process, later runs (routes remembered) | {later:.1} | {:.2} |",
        later / peer
    );
    sim.shutdown().await;

    // 2. The race alone, in process.
    println!(
        "\n| servers | jellyfin-apiclient (ms) | emby-tui race, nothing remembered (ms) | emby-tui race, remembered (ms) |"
    );
    println!("|---:|---:|---:|---:|");
    for n in [1usize, 10, 50] {
        let sim = Sim::start(Scenario::from_toml_str(&scenario(n)).expect("scenario"))
            .await
            .expect("sim");
        let servers = sim.servers();
        let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..RUNS {
            let routes = Routes::load(None, "bench");
            a.push(ours(&servers, &routes).await);
            b.push(ours(&servers, &routes).await);
            c.push(theirs(&servers).await);
        }
        let (a, b, c) = (median(a), median(b), median(c));
        println!("| {n} | {c:.1} | {a:.1} | {b:.1} |");
        sim.shutdown().await;
    }
}
