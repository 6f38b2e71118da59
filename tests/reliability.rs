//! What a hostile network, a careless second process and a crash do, tried against the real
//! `emby-tui` binary and emby-sim: credentials never follow a redirect to another origin, no
//! process loses another's changes, a sign-out stays, a killed writer leaves a usable file, files
//! are private, and text from servers never drives the terminal.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use emby_tui::sim::{AddressKind, Fault, Scenario, Sim};
use serde_json::Value;

/// A world of `n` servers (no Connect user needed), each with a local user `u`/`pw`.
async fn servers_sim(n: usize) -> Sim {
    let mut toml = String::from(
        "[connect]\nport = 0\n[[connect.users]]\nname = \"demo\"\nemail = \"demo@example.com\"\npassword = \"demo\"\n",
    );
    for i in 0..n {
        toml.push_str(&format!(
            "[[servers]]\nname = \"Server {i}\"\ndiscoverable = false\nlibrary = {{ movies = 3 }}\n[[servers.users]]\nname = \"u\"\npassword = \"pw\"\n"
        ));
    }
    Sim::start(Scenario::from_toml_str(&toml).unwrap())
        .await
        .unwrap()
}

fn saved(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("credentials.json")).expect("credentials saved");
    serde_json::from_str(&text).expect("credentials.json is JSON")
}

fn saved_ids(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = saved(dir)["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

// ---- 1. redirects ----

#[tokio::test(flavor = "multi_thread")]
async fn a_connect_sign_in_redirected_to_another_port_sends_nothing_there_and_saves_nothing() {
    let sim = demo_sim().await;
    // the other side would happily sign "demo" in and hand out its token
    let other = demo_sim().await;
    for status in [302, 307, 308] {
        let dir = tempfile::tempdir().unwrap();
        sim.set_connect_fault(Fault {
            redirect: Some(
                other
                    .connect_url()
                    .trim_end_matches("/service/")
                    .to_string(),
            ),
            redirect_status: status,
            ..Fault::default()
        });
        let run = emby_tui(
            &sim,
            dir.path(),
            &["connect", "login", "--user", "demo", "--password-stdin"],
            Some("demo\n"),
        )
        .await;
        assert_eq!(run.code, 1, "{status}: {}", run.stderr);
        assert!(run.stderr.contains("redirect"), "{status}: {}", run.stderr);
        assert!(!run.stderr.contains("Signed in"), "{}", run.stderr);
        assert!(
            other.connect_requests().is_empty(),
            "{status}: the other port received {:?}",
            other.connect_requests()
        );
        let connect = dir
            .path()
            .join("credentials.json")
            .exists()
            .then(|| saved(dir.path())["connect"].clone());
        assert!(
            connect.is_none_or(|c| c.is_null()),
            "{status}: nothing may be saved"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_address_that_redirects_elsewhere_never_gets_the_access_key_or_token() {
    let sim = demo_sim().await;
    let other = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    cli_login(&sim, dir.path()).await;
    let living = sim.server("Living Room").unwrap();
    let elsewhere = other.server("Living Room").unwrap();
    fault_everywhere(
        &sim,
        &living.id,
        Fault {
            redirect: Some(elsewhere.local_url.clone()),
            redirect_status: 307,
            ..Fault::default()
        },
    );
    let run = emby_tui(&sim, dir.path(), &["servers", "--json"], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list = json(&run);
    let row = entry(&list, &living.id);
    assert_eq!(row["state"], "unavailable", "{row}");
    assert!(row["error"].as_str().unwrap().contains("redirect"), "{row}");
    assert!(
        other.requests(&elsewhere.id, AddressKind::Local).is_empty(),
        "the redirect target was contacted"
    );
}

// ---- 2. two processes, one file ----

#[tokio::test(flavor = "multi_thread")]
async fn eight_server_add_processes_at_once_keep_all_eight_servers() {
    let sim = servers_sim(8).await;
    let dir = tempfile::tempdir().unwrap();
    let urls: Vec<String> = sim.servers().iter().map(|s| s.local_url.clone()).collect();
    let runs = futures::future::join_all(urls.iter().map(|url| {
        let args = ["server", "add", url.as_str()];
        let (sim, dir) = (&sim, dir.path());
        async move { emby_tui(sim, dir, &args, None).await }
    }))
    .await;
    for run in &runs {
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let mut expected: Vec<String> = sim.servers().iter().map(|s| s.id.clone()).collect();
    expected.sort();
    assert_eq!(saved_ids(dir.path()), expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connect_logout_during_a_refresh_stays_signed_out() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    cli_login(&sim, dir.path()).await;
    let first = emby_tui(&sim, dir.path(), &["servers", "--json"], None).await;
    assert_eq!(first.code, 0, "{}", first.stderr);
    // a slow server keeps the next refresh busy long enough for a logout to land in the middle
    let living = sim.server("Living Room").unwrap();
    fault_everywhere(
        &sim,
        &living.id,
        Fault {
            delay_ms: 1200,
            ..Fault::default()
        },
    );
    sim.clear_requests();
    let refresh = {
        let dir = dir.path().to_path_buf();
        let url = sim.connect_url();
        tokio::spawn(async move {
            tokio::process::Command::new(env!("CARGO_BIN_EXE_emby-tui"))
                .args(["servers", "--json", "--no-discovery"])
                .env("EMBY_TUI_CONFIG_DIR", &dir)
                .env("EMBY_TUI_CONNECT_URL", url)
                .env("EMBY_TUI_LOCAL_TIMEOUT_MS", "3000")
                .env("EMBY_TUI_REMOTE_TIMEOUT_MS", "3000")
                .output()
                .await
                .unwrap()
        })
    };
    // the refresh has read the file once it asks Connect for the list
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !sim
        .connect_requests()
        .iter()
        .any(|r| r.path.contains("servers"))
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the refresh never started"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let logout = emby_tui(&sim, dir.path(), &["connect", "logout"], None).await;
    assert_eq!(logout.code, 0, "{}", logout.stderr);
    let refreshed = refresh.await.unwrap();
    assert!(refreshed.status.success());
    let creds = saved(dir.path());
    assert!(
        creds["connect"].is_null(),
        "the sign-out came back: {creds}"
    );
    for s in creds["servers"].as_array().unwrap() {
        assert!(s["exchange_token"].is_null(), "an AccessKey came back: {s}");
        assert!(s["access_token"].is_null(), "a token came back: {s}");
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_writer_killed_mid_save_leaves_a_usable_file() {
    let sim = servers_sim(1).await;
    let dir = tempfile::tempdir().unwrap();
    // a large file makes each save take a while, so kills land in the middle of one
    let servers: Vec<Value> = (0..3000)
        .map(|i| {
            serde_json::json!({
                "id": format!("{i:032x}"),
                "name": format!("Saved server {i} with a long name to make the file bigger"),
                "manual_address": format!("http://127.0.0.1:1/server-{i}"),
            })
        })
        .collect();
    let big = serde_json::json!({ "schema": 1, "servers": servers });
    std::fs::write(
        dir.path().join("credentials.json"),
        serde_json::to_vec_pretty(&big).unwrap(),
    )
    .unwrap();
    let url = sim.servers()[0].local_url.clone();
    let spawn = || {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_emby-tui"))
            .args(["server", "add", &url, "--no-discovery"])
            .env("EMBY_TUI_CONFIG_DIR", dir.path())
            .env("EMBY_TUI_CONNECT_URL", sim.connect_url())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // how long one whole run takes here, to spread the kills over it
    let started = std::time::Instant::now();
    assert!(spawn().wait().await.unwrap().success());
    let whole = started.elapsed().as_micros() as u64;
    for i in 0..24u64 {
        let mut child = spawn();
        tokio::time::sleep(Duration::from_micros(whole * (i % 12 + 1) / 12)).await;
        let _ = child.start_kill();
        let _ = child.wait().await;
        let creds = saved(dir.path());
        assert_eq!(
            creds["servers"].as_array().unwrap().len(),
            3001,
            "after kill {i}, the file holds every server"
        );
    }
    // and the next writer is not stuck behind a dead one's lock or temporary file
    assert!(spawn().wait().await.unwrap().success());
    let strays: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(strays.is_empty(), "temporary files left: {strays:?}");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_new_config_dir_and_every_file_in_it_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let sim = servers_sim(1).await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("fresh/config");
    let url = sim.servers()[0].local_url.clone();
    let run = emby_tui(&sim, &dir, &["server", "add", &url], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&root.path().join("fresh")), 0o700);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), want, "{}", path.display());
    }
    for name in ["credentials.json", "device_id", "emby-tui.log"] {
        assert!(dir.join(name).exists(), "{name} was written");
    }
}

// ---- 6. text from servers never drives the terminal ----

fn no_control_but_line_ends(text: &str) -> bool {
    !text.chars().any(|c| c.is_control() && c != '\n')
}

#[tokio::test(flavor = "multi_thread")]
async fn names_and_messages_from_a_hostile_server_never_reach_the_terminal_raw() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    cli_login(&sim, dir.path()).await;
    let hostile = Fault {
        hostile_text: true,
        ..Fault::default()
    };
    sim.set_connect_fault(hostile.clone());
    let living = sim.server("Living Room").unwrap();
    fault_everywhere(&sim, &living.id, hostile.clone());
    let servers = emby_tui(&sim, dir.path(), &["servers"], None).await;
    assert_eq!(servers.code, 0, "{}", servers.stderr);
    assert!(servers.stdout.contains("FAKE LINE"), "{}", servers.stdout);
    assert!(
        no_control_but_line_ends(&servers.stdout),
        "{:?}",
        servers.stdout
    );
    // one line per server: no line was faked
    for line in servers.stdout.lines() {
        assert!(
            sim.servers().iter().any(|s| line.starts_with(&s.id)),
            "a line that is not a server: {line:?}"
        );
    }
    let views = emby_tui(&sim, dir.path(), &["views", &living.id], None).await;
    assert_eq!(views.code, 0, "{}", views.stderr);
    assert!(views.stdout.contains("FAKE LINE"), "{}", views.stdout);
    assert!(
        no_control_but_line_ends(&views.stdout),
        "{:?}",
        views.stdout
    );
    let json_run = emby_tui(&sim, dir.path(), &["servers", "--json"], None).await;
    let list = json(&json_run);
    let name = entry(&list, &living.id)["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        name.contains("FAKE LINE") && !name.chars().any(char::is_control),
        "{name:?}"
    );
    // an error quoting the server's own message
    fault_everywhere(
        &sim,
        &living.id,
        Fault {
            http_500: true,
            ..hostile.clone()
        },
    );
    let failed = emby_tui(&sim, dir.path(), &["views", &living.id], None).await;
    assert_eq!(failed.code, 1);
    assert!(failed.stderr.contains("FAKE LINE"), "{}", failed.stderr);
    assert!(
        no_control_but_line_ends(&failed.stderr),
        "{:?}",
        failed.stderr
    );
    assert_eq!(failed.stderr.lines().count(), 1, "{:?}", failed.stderr);
}

// ---- 7. smaller ones ----

#[tokio::test(flavor = "multi_thread")]
async fn a_server_whose_user_names_another_server_id_is_not_signed_in() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    cli_login(&sim, dir.path()).await;
    let living = sim.server("Living Room").unwrap();
    fault_everywhere(
        &sim,
        &living.id,
        Fault {
            other_server_id: true,
            ..Fault::default()
        },
    );
    let run = emby_tui(&sim, dir.path(), &["servers", "--json"], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list = json(&run);
    let row = entry(&list, &living.id);
    assert_eq!(row["state"], "sign_in_required", "{row}");
    assert!(
        row["error"].as_str().unwrap().contains("another server"),
        "{row}"
    );
    assert!(row["user_id"].is_null(), "{row}");
    // the others are unaffected
    let cabin = entry(&list, &sim.server("Cabin").unwrap().id);
    assert_eq!(cabin["state"], "signed_in", "{cabin}");
    // and a local sign-in that answers for another server is refused, nothing saved
    let add = emby_tui(
        &sim,
        dir.path(),
        &[
            "server",
            "add",
            &living.local_url,
            "--user",
            "demo",
            "--password-stdin",
        ],
        Some("demo\n"),
    )
    .await;
    assert_eq!(add.code, 1, "{}", add.stderr);
    assert!(add.stderr.contains("another server"), "{}", add.stderr);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn three_hundred_servers_under_a_limit_of_256_open_files_are_all_reached() {
    let _ = rlimit::increase_nofile_limit(u64::MAX); // this process serves 600 addresses
    let n = 300;
    let mut toml = String::from("[connect]\nport = 0\n");
    for i in 0..n {
        toml.push_str(&format!(
            "[[servers]]\nname = \"Server {i}\"\ndiscoverable = false\n{}",
            if i % 2 == 0 {
                "faults.local = { blackhole = true }\n"
            } else {
                ""
            }
        ));
    }
    let sim = Sim::start(Scenario::from_toml_str(&toml).unwrap())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let servers: Vec<Value> = sim
        .servers()
        .iter()
        .map(|s| {
            serde_json::json!({
                "id": s.id, "name": s.name,
                "local_address": s.local_url, "remote_address": s.remote_url,
            })
        })
        .collect();
    std::fs::write(
        dir.path().join("credentials.json"),
        serde_json::to_vec(&serde_json::json!({ "schema": 1, "servers": servers })).unwrap(),
    )
    .unwrap();
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_emby-tui"));
    cmd.args(["servers", "--json", "--no-discovery"])
        .env("EMBY_TUI_CONFIG_DIR", dir.path())
        .env("EMBY_TUI_CONNECT_URL", sim.connect_url())
        .env("EMBY_TUI_HEAD_START_MS", "150")
        .env("EMBY_TUI_LOCAL_TIMEOUT_MS", "1500")
        .env("EMBY_TUI_REMOTE_TIMEOUT_MS", "3000");
    // SAFETY: only setrlimit, an async-signal-safe system call, runs in the child before exec.
    unsafe {
        cmd.pre_exec(|| {
            rlimit::setrlimit(rlimit::Resource::NOFILE, 256, 256)?;
            Ok(())
        });
    }
    let out = cmd.output().await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), n);
    let failed: Vec<&Value> = rows
        .iter()
        .filter(|r| r["state"] == "unavailable")
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {n} not reached, e.g. {}",
        failed.len(),
        failed[0]
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn the_soft_open_files_limit_is_raised_to_the_hard_one_at_start() {
    let sim = servers_sim(1).await;
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_emby-tui"));
    cmd.args(["servers", "--json", "--no-discovery"])
        .env("EMBY_TUI_CONFIG_DIR", dir.path())
        .env("EMBY_TUI_CONNECT_URL", sim.connect_url())
        .env("RUST_LOG", "debug");
    // SAFETY: only setrlimit, an async-signal-safe system call, runs in the child before exec.
    unsafe {
        cmd.pre_exec(|| {
            rlimit::setrlimit(rlimit::Resource::NOFILE, 256, 4096)?;
            Ok(())
        });
    }
    let out = cmd.output().await.unwrap();
    assert!(out.status.success());
    let log = std::fs::read_to_string(dir.path().join("emby-tui.log")).unwrap();
    assert!(log.contains("open-files limit limit=4096"), "{log}");
}
