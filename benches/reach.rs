//! Reaching N servers at once (1, 10, 50) whose LocalAddresses are a mix of live, black-holed and
//! refused (remote Urls live), by emby-tui's address race and, in the same run against the same
//! simulated servers, by jellyfin-apiclient (npm, the Jellyfin JS connection manager: one
//! `connectToServer` per server, all at once). Both are timed inside their process; each figure
//! is the median of several fresh runs (fresh connection pools). Also: one server whose
//! LocalAddress is black-holed, and emby-tui's full `servers` refresh (Connect list + race +
//! exchange + save).
//!
//! Run: `cargo bench --bench reach` (installs the npm peer under target/peers on first use).

#[path = "../tests/peers/install.rs"]
#[allow(dead_code)]
mod install;

use std::time::Instant;

use emby_tui::emby::{ClientIdentity, HttpClient, HttpConfig, Secret};
use emby_tui::session::race::RaceConfig;
use emby_tui::session::reach::Reacher;
use emby_tui::session::store::SavedServer;
use emby_tui::session::{ConnectionManager, ManagerConfig};
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

/// emby-tui: race + Id check of every server at once, fresh connection pool. Returns ms.
async fn ours(servers: &[SimServer]) -> f64 {
    let reacher = Reacher::new(
        HttpClient::new(HttpConfig::default()).expect("http client"),
        ClientIdentity::new("bench", "bench-device-rust"),
        RaceConfig::default(),
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

/// emby-tui's whole `servers` refresh: Connect list, race, exchange, save. Returns ms.
async fn refresh(sim: &Sim) -> f64 {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut mgr = ConnectionManager::open(ManagerConfig {
        config_dir: dir.path().to_path_buf(),
        connect_url: sim.connect_url(),
        discovery: None,
        race: RaceConfig::default(),
        http: HttpConfig::default(),
        reaches_in_flight: 512,
    })
    .expect("manager");
    mgr.connect_sign_in("bench", &Secret::new("bench"))
        .await
        .expect("sign in");
    let t0 = Instant::now();
    let reports = mgr.refresh().await.expect("refresh");
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    assert!(
        reports.iter().all(|r| r.state == "signed_in"),
        "every server signed in"
    );
    ms
}

#[tokio::main]
async fn main() {
    install::peers();
    println!(
        "| servers | emby-tui race (ms) | jellyfin-apiclient (ms) | jellyfin / emby-tui | emby-tui full refresh (ms) |"
    );
    println!("|---:|---:|---:|---:|---:|");
    for n in [1usize, 10, 50] {
        let sim = Sim::start(Scenario::from_toml_str(&scenario(n)).expect("scenario"))
            .await
            .expect("sim");
        let servers = sim.servers();
        let mut a = Vec::new();
        let mut b = Vec::new();
        let mut c = Vec::new();
        for _ in 0..RUNS {
            a.push(ours(&servers).await);
            b.push(theirs(&servers).await);
            c.push(refresh(&sim).await);
        }
        let (a, b, c) = (median(a), median(b), median(c));
        println!("| {n} | {a:.1} | {b:.1} | {:.2} | {c:.1} |", b / a);
        sim.shutdown().await;
    }
    // One server whose LocalAddress is black-holed.
    let sim = Sim::start(Scenario::from_toml_str(&scenario(2)).expect("scenario"))
        .await
        .expect("sim");
    let cabin: Vec<_> = sim.servers().into_iter().filter(|s| idx(s) == 1).collect();
    let mut a = Vec::new();
    let mut b = Vec::new();
    for _ in 0..RUNS {
        a.push(ours(&cabin).await);
        b.push(theirs(&cabin).await);
    }
    println!(
        "\nOne server, LocalAddress black-holed: emby-tui {:.1} ms, jellyfin-apiclient {:.1} ms (median of {RUNS}).",
        median(a),
        median(b)
    );
    sim.shutdown().await;
}
