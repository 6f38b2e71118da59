//! The one-shot command line, run as a real process against emby-sim: the contract scripts rely on.

mod common;

use std::process::Stdio;

use common::*;
use emby_tui::sim::{AddressKind, Fault};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread")]
async fn login_then_servers_json_shows_each_server_reached_in_the_right_mode_and_no_secret() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let login = emby_tui(
        &sim,
        dir.path(),
        &[
            "connect",
            "login",
            "--user",
            "demo@example.com",
            "--password-stdin",
        ],
        Some("demo\n"),
    )
    .await;
    assert_eq!(login.code, 0, "{}", login.stderr);
    assert!(
        login.stdout.is_empty(),
        "nothing on stdout: {}",
        login.stdout
    );
    assert!(
        login.stderr.contains("Signed in to Emby Connect as demo"),
        "{}",
        login.stderr
    );

    let run = emby_tui(&sim, dir.path(), &["servers", "--json"], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list = json(&run);
    assert_eq!(list.as_array().unwrap().len(), 3);
    let keys = [
        "id",
        "name",
        "source",
        "state",
        "mode",
        "address",
        "local_address",
        "remote_address",
        "manual_address",
        "user_id",
        "user_name",
        "latency_ms",
        "error",
    ];
    for e in list.as_array().unwrap() {
        for k in keys {
            assert!(e.get(k).is_some(), "key {k} missing in {e}");
        }
    }
    let living = entry(&list, &id_of(&sim, "Living Room"));
    assert_eq!(
        (
            living["state"].as_str(),
            living["mode"].as_str(),
            living["source"].as_str()
        ),
        (Some("signed_in"), Some("local"), Some("connect"))
    );
    let cabin = entry(&list, &id_of(&sim, "Cabin"));
    assert_eq!(
        (cabin["state"].as_str(), cabin["mode"].as_str()),
        (Some("signed_in"), Some("remote"))
    );
    assert_eq!(
        cabin["address"].as_str(),
        Some(sim.server("Cabin").unwrap().remote_url.as_str())
    );
    assert!(cabin["error"].is_null());

    // No token, AccessKey or password on any output.
    let creds: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("credentials.json")).unwrap(),
    )
    .unwrap();
    let mut secrets = vec![
        creds["connect"]["access_token"]
            .as_str()
            .unwrap()
            .to_string(),
    ];
    for s in creds["servers"].as_array().unwrap() {
        secrets.push(s["access_token"].as_str().unwrap().to_string());
        secrets.push(s["exchange_token"].as_str().unwrap().to_string());
    }
    let log = std::fs::read_to_string(dir.path().join("emby-tui.log")).unwrap_or_default();
    assert!(
        log.len() > 1000,
        "the runs logged at trace level: {} bytes",
        log.len()
    );
    for s in &secrets {
        for (what, text) in [
            ("stdout", &run.stdout),
            ("stderr", &run.stderr),
            ("log", &log),
            ("login", &login.stderr),
        ] {
            assert!(!text.contains(s.as_str()), "a secret appeared in {what}");
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("credentials.json"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn views_and_items_of_two_servers_come_through_their_own_sessions() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    emby_tui(
        &sim,
        dir.path(),
        &["connect", "login", "--user", "demo", "--password-stdin"],
        Some("demo"),
    )
    .await;
    emby_tui(&sim, dir.path(), &["servers", "--json"], None).await;
    for name in ["Living Room", "Cabin"] {
        let id = id_of(&sim, name);
        let views = emby_tui(&sim, dir.path(), &["views", &id, "--json"], None).await;
        assert_eq!(views.code, 0, "{}", views.stderr);
        let views = json(&views);
        let movies = views
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["collection_type"] == "movies")
            .expect("a movies view");
        let parent = movies["id"].as_str().unwrap();
        let items = emby_tui(
            &sim,
            dir.path(),
            &[
                "items", &id, "--parent", parent, "--start", "2", "--limit", "5", "--json",
            ],
            None,
        )
        .await;
        assert_eq!(items.code, 0, "{}", items.stderr);
        let page = json(&items);
        assert_eq!(page["items"].as_array().unwrap().len(), 5);
        assert!(page["total_record_count"].as_u64().unwrap() > 5);
        assert_eq!(page["start_index"], 2);
    }
    let cabin = id_of(&sim, "Cabin");
    let hits = emby_tui(
        &sim,
        dir.path(),
        &["items", &cabin, "--search", "zzzz-no-such-title", "--json"],
        None,
    )
    .await;
    assert_eq!(json(&hits)["items"].as_array().unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_added_by_address_is_signed_in_with_a_local_user() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let friend = sim.server("Friend's Server").unwrap();
    let addr = friend.local_url.trim_start_matches("http://").to_string();
    let add = emby_tui(
        &sim,
        dir.path(),
        &[
            "server",
            "add",
            &addr,
            "--user",
            "friend",
            "--password-stdin",
        ],
        Some("friend\n"),
    )
    .await;
    assert_eq!(add.code, 0, "{}", add.stderr);
    assert!(add.stdout.contains("signed in as friend"), "{}", add.stdout);
    let list = json(&emby_tui(&sim, dir.path(), &["servers", "--json"], None).await);
    let e = entry(&list, &friend.id);
    assert_eq!(
        (
            e["source"].as_str(),
            e["mode"].as_str(),
            e["state"].as_str()
        ),
        (Some("manual"), Some("manual"), Some("signed_in"))
    );
    assert_eq!(
        e["manual_address"].as_str(),
        Some(friend.local_url.as_str())
    );
    let views = emby_tui(&sim, dir.path(), &["views", &friend.id, "--json"], None).await;
    assert_eq!(views.code, 0, "{}", views.stderr);

    let out = emby_tui(&sim, dir.path(), &["server", "logout", &friend.id], None).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let list = json(&emby_tui(&sim, dir.path(), &["servers", "--json"], None).await);
    assert_eq!(
        entry(&list, &friend.id)["state"].as_str(),
        Some("sign_in_required")
    );
    let rm = emby_tui(&sim, dir.path(), &["server", "remove", &friend.id], None).await;
    assert_eq!(rm.code, 0);
    let list = json(&emby_tui(&sim, dir.path(), &["servers", "--json"], None).await);
    assert!(list.as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_exit_1_with_one_sentence_and_usage_errors_exit_2() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let bad = emby_tui(
        &sim,
        dir.path(),
        &["connect", "login", "--user", "demo", "--password-stdin"],
        Some("wrong\n"),
    )
    .await;
    assert_eq!(bad.code, 1);
    assert_eq!(
        bad.stderr.trim(),
        "emby-tui: Emby Connect did not accept that name or password"
    );
    assert!(!bad.stderr.contains("wrong"));
    let usage = emby_tui(&sim, dir.path(), &["servers", "--bogus"], None).await;
    assert_eq!(usage.code, 2);
    let unknown = emby_tui(&sim, dir.path(), &["views", "no-such-id"], None).await;
    assert_eq!(unknown.code, 1);
    assert!(
        unknown
            .stderr
            .contains("no saved server is called or has the Id `no-such-id`"),
        "{}",
        unknown.stderr
    );
    let dead = emby_tui(&sim, dir.path(), &["server", "add", "127.0.0.1:1"], None).await;
    assert_eq!(dead.code, 1);
    assert!(dead.stderr.contains("cannot reach"), "{}", dead.stderr);
    let none = emby_tui(&sim, dir.path(), &["invitations"], None).await;
    assert_eq!(none.code, 1);
    assert!(
        none.stderr.contains("not signed in to Emby Connect"),
        "{}",
        none.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn pin_login_prints_the_pin_and_completes_once_confirmed() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_emby-tui"));
    cmd.args(["connect", "pin", "--no-discovery"])
        .env("EMBY_TUI_CONFIG_DIR", dir.path())
        .env("EMBY_TUI_CONNECT_URL", sim.connect_url())
        .env("EMBY_TUI_PIN_POLL_MS", "50")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stdout));
    let first = lines.next_line().await.unwrap().unwrap();
    let pin = first
        .strip_prefix("PIN: ")
        .unwrap_or_else(|| panic!("first line: {first}"))
        .to_string();
    let second = lines.next_line().await.unwrap().unwrap();
    assert!(second.contains(&sim.pin_page_url()), "{second}");
    assert!(sim.confirm_pin(&pin, "demo"));
    let status = child.wait().await.unwrap();
    assert!(status.success());
    let list = json(&emby_tui(&sim, dir.path(), &["servers", "--json"], None).await);
    assert_eq!(list.as_array().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn invitations_json_accept_and_logout() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    emby_tui(
        &sim,
        dir.path(),
        &["connect", "login", "--user", "demo", "--password-stdin"],
        Some("demo"),
    )
    .await;
    let inv = json(&emby_tui(&sim, dir.path(), &["invitations", "--json"], None).await);
    let grandpa = id_of(&sim, "Grandpa's Server");
    assert_eq!(inv[0]["id"].as_str(), Some(grandpa.as_str()));
    let acc = emby_tui(&sim, dir.path(), &["invitations", "accept", &grandpa], None).await;
    assert_eq!(acc.code, 0, "{}", acc.stderr);
    let list = json(&emby_tui(&sim, dir.path(), &["servers", "--json"], None).await);
    assert_eq!(list.as_array().unwrap().len(), 4);
    // A dead Connect service: the list is kept, the run still succeeds, the user is told.
    sim.set_connect_fault(Fault {
        down: true,
        ..Fault::default()
    });
    let run = emby_tui(&sim, dir.path(), &["servers", "--json"], None).await;
    assert_eq!(run.code, 0);
    assert_eq!(json(&run).as_array().unwrap().len(), 4);
    assert!(
        run.stderr.contains("saved servers are kept"),
        "{}",
        run.stderr
    );
    sim.set_connect_fault(Fault::default());
    let out = emby_tui(&sim, dir.path(), &["connect", "logout"], None).await;
    assert_eq!(out.code, 0);
    let _ = AddressKind::Local;
}

#[tokio::test(flavor = "multi_thread")]
async fn discover_finds_the_discoverable_server_and_servers_merges_it_by_id() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let port = sim.discovery_addr().port().to_string();
    let run = |args: Vec<&'static str>| {
        let mut a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        a.extend([
            "--discovery-address".into(),
            "127.0.0.1".into(),
            "--discovery-port".into(),
            port.clone(),
        ]);
        a
    };
    let exe = env!("CARGO_BIN_EXE_emby-tui");
    let out = tokio::process::Command::new(exe)
        .args(run(vec!["discover", "--json", "--timeout-ms", "500"]))
        .env("EMBY_TUI_CONFIG_DIR", dir.path())
        .env("EMBY_TUI_CONNECT_URL", sim.connect_url())
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: Value = serde_json::from_slice(&out.stdout).unwrap();
    let living = sim.server("Living Room").unwrap();
    assert_eq!(
        found.as_array().unwrap().len(),
        1,
        "only Living Room is discoverable: {found}"
    );
    assert_eq!(found[0]["id"].as_str(), Some(living.id.as_str()));
    assert_eq!(
        found[0]["address"].as_str(),
        Some(living.local_url.as_str())
    );

    // Without Connect, `servers` lists the discovered server, reachable but needing a sign-in.
    let out = tokio::process::Command::new(exe)
        .args(run(vec!["servers", "--json"]))
        .env("EMBY_TUI_CONFIG_DIR", dir.path())
        .env("EMBY_TUI_CONNECT_URL", sim.connect_url())
        .output()
        .await
        .unwrap();
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = entry(&list, &living.id);
    assert_eq!(
        (
            e["source"].as_str(),
            e["state"].as_str(),
            e["mode"].as_str()
        ),
        (Some("discovered"), Some("sign_in_required"), Some("local"))
    );
}

// ---- a command line that helps (issue #14) ----

#[tokio::test(flavor = "multi_thread")]
async fn a_server_is_named_by_id_name_or_unique_prefix_and_an_unknown_one_lists_the_names() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    cli_login(&sim, dir.path()).await;
    assert_eq!(emby_tui(&sim, dir.path(), &["servers"], None).await.code, 0);
    for name in ["living room", "LIVING", "Living Room"] {
        let run = emby_tui(&sim, dir.path(), &["views", name, "--json"], None).await;
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(json(&run).as_array().unwrap().len() >= 3);
    }
    let unknown = emby_tui(&sim, dir.path(), &["views", "attic"], None).await;
    assert_eq!(unknown.code, 1);
    let msg = unknown.stderr.trim();
    assert!(
        msg.contains("`attic`")
            && msg.contains("Living Room")
            && msg.contains("Cabin")
            && msg.contains("emby-tui servers"),
        "{msg}"
    );
    assert_eq!(msg.lines().count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn items_speak_of_items_and_servers_and_show_kind_and_year() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    cli_login(&sim, dir.path()).await;
    emby_tui(&sim, dir.path(), &["servers"], None).await;
    let missing = emby_tui(
        &sim,
        dir.path(),
        &["items", "Living Room", "--parent", "nosuch"],
        None,
    )
    .await;
    assert_eq!(missing.code, 1);
    assert_eq!(
        missing.stderr.trim(),
        "emby-tui: no item `nosuch` on Living Room"
    );
    let zero = emby_tui(
        &sim,
        dir.path(),
        &["items", "Living Room", "--limit", "0"],
        None,
    )
    .await;
    assert_eq!(zero.code, 2, "{}", zero.stderr);
    let views = json(&emby_tui(&sim, dir.path(), &["views", "Living Room", "--json"], None).await);
    let movies = views
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "Movies")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let page = emby_tui(
        &sim,
        dir.path(),
        &["items", "Living Room", "--parent", &movies, "--limit", "2"],
        None,
    )
    .await;
    assert_eq!(page.code, 0, "{}", page.stderr);
    for line in page.stdout.lines() {
        assert!(
            line.contains("(Movie, "),
            "kind and year beside the name: {line}"
        );
        assert!(
            line.trim_end().ends_with(')') && line.chars().rev().nth(4).unwrap().is_ascii_digit(),
            "{line}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn addresses_are_parsed_strictly_and_a_dead_one_is_named_once() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    for bad in ["htp://nas:8096", "my nas", ""] {
        let run = emby_tui(&sim, dir.path(), &["server", "add", bad], None).await;
        assert_eq!(run.code, 2, "{bad:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("error: invalid value"),
            "{}",
            run.stderr
        );
    }
    let dead = emby_tui(&sim, dir.path(), &["server", "add", "127.0.0.1:1"], None).await;
    assert_eq!(dead.code, 1);
    assert_eq!(
        dead.stderr.trim(),
        "emby-tui: cannot reach http://127.0.0.1:1: connection refused"
    );
    assert!(
        !dir.path().join("credentials.json").exists(),
        "nothing saved"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_sign_in_with_server_add_saves_nothing_and_a_chosen_local_user_is_kept() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let living = sim.server("Living Room").unwrap();
    let wrong = emby_tui(
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
        Some("wrong\n"),
    )
    .await;
    assert_eq!(wrong.code, 1, "{}", wrong.stderr);
    let saved = std::fs::read_to_string(dir.path().join("credentials.json")).unwrap_or_default();
    assert!(!saved.contains(&living.id), "the server was saved: {saved}");
    // Connect lists Living Room with the demo user linked; the user chooses "kid" instead
    cli_login(&sim, dir.path()).await;
    let kid = emby_tui(
        &sim,
        dir.path(),
        &[
            "server",
            "add",
            &living.local_url,
            "--user",
            "kid",
            "--password-stdin",
        ],
        Some("\n"),
    )
    .await;
    assert_eq!(kid.code, 0, "{}", kid.stderr);
    for _ in 0..2 {
        let list = json(&emby_tui(&sim, dir.path(), &["servers", "--json"], None).await);
        let row = entry(&list, &living.id);
        assert_eq!(
            (row["state"].as_str(), row["user_name"].as_str()),
            (Some("signed_in"), Some("kid")),
            "a refresh keeps the sign-in the user chose: {row}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn help_lists_a_commands_own_options_first_and_the_environment_is_no_required_argument() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let help = emby_tui(&sim, dir.path(), &["items", "--help"], None).await;
    assert_eq!(help.code, 0);
    let own = help.stdout.find("--parent").expect("its own option");
    let global = help
        .stdout
        .find("Global options:")
        .expect("a heading for the global ones");
    assert!(own < global, "{}", help.stdout);
    assert!(help.stdout.find("--config-dir").unwrap() > global);
    // EMBY_TUI_CONFIG_DIR and EMBY_TUI_CONNECT_URL are set by the helper
    let usage = emby_tui(&sim, dir.path(), &["connect", "login"], None).await;
    assert_eq!(usage.code, 2);
    let line = usage
        .stderr
        .lines()
        .find(|l| l.starts_with("Usage:"))
        .unwrap();
    assert!(
        !line.contains("--config-dir") && !line.contains("--connect-url"),
        "{line}"
    );
    let top = emby_tui(&sim, dir.path(), &["--help"], None).await;
    assert!(top.stdout.contains("four Emby Servers"), "{}", top.stdout);
    assert!(
        top.stdout.contains("credentials.json") && top.stdout.contains("emby-tui.log"),
        "where the files live: {}",
        top.stdout
    );
}
