//! Playing, end to end against emby-sim: the real `emby-tui` binary plays with a stand-in for mpv
//! that speaks its JSON IPC (tests/players/fake_mpv.py, run by python3), controls the
//! simulator's fake devices, and prints stream URLs; the server's user data and the requests it
//! received say what happened. No real media player is needed.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use emby_tui::sim::{AddressKind, Sim};
use serde_json::Value;

const TICKS: i64 = 10_000_000;

fn fake_mpv() -> String {
    format!("{}/tests/players/fake_mpv.py", env!("CARGO_MANIFEST_DIR"))
}

/// A directory holding an executable `mpv` that is the stand-in, to put first on PATH: then the
/// default player command (`mpv --idle=once … --input-ipc-server={ipc}`) runs it.
fn mpv_on_path(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let mpv = bin.join("mpv");
    std::fs::write(
        &mpv,
        format!("#!/bin/sh\nexec python3 {} \"$@\"\n", fake_mpv()),
    )
    .unwrap();
    std::fs::set_permissions(&mpv, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

fn path_with(bin: &Path) -> String {
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// The saved token of a server, from the credentials file (to look for it where it must not be).
fn token_of(dir: &Path, server_id: &str) -> String {
    let creds: Value =
        serde_json::from_slice(&std::fs::read(dir.join("credentials.json")).unwrap()).unwrap();
    creds["servers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["id"]
                .as_str()
                .is_some_and(|i| i.eq_ignore_ascii_case(server_id))
        })
        .and_then(|s| s["access_token"].as_str())
        .expect("a saved token")
        .to_string()
}

/// The first `n` movies of a server, as `items --json` lists them.
async fn movies(sim: &Sim, dir: &Path, server: &str) -> Vec<Value> {
    let views = emby_tui(sim, dir, &["views", server, "--json"], None).await;
    assert_eq!(views.code, 0, "{}", views.stderr);
    let views = json(&views);
    let movies = views
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["collection_type"] == "movies")
        .expect("a movies library");
    let parent = movies["id"].as_str().unwrap();
    let run = emby_tui(
        sim,
        dir,
        &[
            "items", server, "--parent", parent, "--limit", "40", "--json",
        ],
        None,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    json(&run)["items"].as_array().unwrap().clone()
}

/// One item as the server has it now (its user data).
async fn item_now(sim: &Sim, dir: &Path, server: &str, id: &str) -> Value {
    movies(sim, dir, server)
        .await
        .into_iter()
        .find(|m| m["id"] == id)
        .expect("the movie is still listed")
}

/// The playback reports the server received, in order: (call, JSON body).
fn reports(sim: &Sim, server: &str) -> Vec<(String, Value)> {
    [AddressKind::Local, AddressKind::Remote]
        .into_iter()
        .flat_map(|k| sim.requests(server, k))
        .filter(|r| r.method == "POST" && r.path.to_ascii_lowercase().contains("/sessions/playing"))
        .map(|r| {
            let call = r.path.rsplit('/').next().unwrap_or("").to_string();
            (call, serde_json::from_str(&r.body).unwrap_or(Value::Null))
        })
        .collect()
}

fn fake_log(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Signed in, Living Room reached; its id.
async fn ready(sim: &Sim, dir: &Path) -> String {
    cli_login(sim, dir).await;
    let servers = emby_tui(sim, dir, &["servers", "--json"], None).await;
    assert_eq!(servers.code, 0, "{}", servers.stderr);
    id_of(sim, "Living Room")
}

#[tokio::test(flavor = "multi_thread")]
async fn stopping_part_way_moves_the_resume_position_and_no_token_is_in_argv_or_logs() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let server = ready(&sim, dir.path()).await;
    let list = movies(&sim, dir.path(), &server).await;
    let movie = list
        .iter()
        .find(|m| m["playback_position_ticks"].is_null() && m["played"] == false)
        .expect("a movie never started");
    let id = movie["id"].as_str().unwrap().to_string();
    let bin = mpv_on_path(dir.path());
    let log = dir.path().join("fake.log");
    sim.clear_requests();
    // the default player command: mpv on PATH is the stand-in; 20 minutes in, the user quits
    let run = emby_tui_with(
        &sim,
        dir.path(),
        &["play", &server, &id],
        None,
        &[
            ("PATH", &path_with(&bin)),
            (
                "FAKE_MPV_PLAN",
                "play:600,pause,unpause,seek:300,play:900,quit",
            ),
            ("FAKE_MPV_TICK_MS", "1"),
            ("FAKE_MPV_LOG", log.to_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("resumes from 20:0"), "{}", run.stderr);

    let now = item_now(&sim, dir.path(), &server, &id).await;
    let resume = now["playback_position_ticks"]
        .as_i64()
        .expect("a resume position");
    assert!(
        (resume - 1200 * TICKS).abs() <= 5 * TICKS,
        "resume at {} s, stopped at 1200 s",
        resume / TICKS
    );
    assert_eq!(now["played"], false);

    // Start, Progress on pause, unpause and seek, Stopped at the last position; one PlaySessionId
    let sent = reports(&sim, &server);
    let calls: Vec<&str> = sent.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(calls.first(), Some(&"Playing"), "{calls:?}");
    assert_eq!(calls.last(), Some(&"Stopped"), "{calls:?}");
    let events: Vec<&str> = sent
        .iter()
        .filter_map(|(_, b)| b["EventName"].as_str())
        .collect();
    assert!(
        events.contains(&"Pause") && events.contains(&"Unpause"),
        "{events:?}"
    );
    assert!(
        sent.iter().any(|(c, b)| c == "Progress"
            && b["EventName"] == "TimeUpdate"
            && b["PositionTicks"] == 300 * TICKS),
        "the seek was reported at once: {sent:?}"
    );
    let sessions: std::collections::BTreeSet<&str> = sent
        .iter()
        .map(|(_, b)| b["PlaySessionId"].as_str().expect("a PlaySessionId"))
        .collect();
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(sent.last().unwrap().1["PositionTicks"], 1200 * TICKS);
    assert!(sent.iter().all(|(_, b)| b["ItemId"] == id.as_str()));

    // the token went over the socket as a header, never on the command line, and it worked
    let token = token_of(dir.path(), &server);
    let entries = fake_log(&log);
    let argv = entries
        .iter()
        .find_map(|e| e.get("argv"))
        .expect("argv logged");
    assert!(!argv.to_string().contains(&token), "token in argv: {argv}");
    assert!(argv.to_string().contains("--input-ipc-server="), "{argv}");
    let header = entries
        .iter()
        .filter_map(|e| e.get("command"))
        .find(|c| c[0] == "set_property" && c[1] == "http-header-fields")
        .expect("the token header was handed over");
    assert_eq!(header[2][0], format!("X-Emby-Token: {token}"));
    let load = entries
        .iter()
        .filter_map(|e| e.get("command"))
        .find(|c| c[0] == "loadfile")
        .expect("loadfile");
    assert!(
        !load.to_string().contains(&token),
        "token in the loaded URL: {load}"
    );
    assert!(
        entries
            .iter()
            .any(|e| e["fetch"] == 206 && e["head"] == "YUV4MPEG2"),
        "the stream was fetched with the header: {entries:?}"
    );
    // nowhere in what emby-tui printed or logged (RUST_LOG=trace)
    let logged = std::fs::read_to_string(dir.path().join("emby-tui.log")).unwrap();
    assert!(logged.contains("player started"), "the log is there");
    for (what, text) in [
        ("stdout", &run.stdout),
        ("stderr", &run.stderr),
        ("log", &logged),
    ] {
        assert!(!text.contains(&token), "the token is in the {what}");
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn resuming_and_playing_to_the_end_marks_the_item_played() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let server = ready(&sim, dir.path()).await;
    let list = movies(&sim, dir.path(), &server).await;
    let movie = list
        .iter()
        .find(|m| m["playback_position_ticks"].as_i64().is_some_and(|p| p > 0))
        .expect("a movie in Continue Watching");
    let id = movie["id"].as_str().unwrap().to_string();
    let saved = movie["playback_position_ticks"].as_i64().unwrap();
    let bin = mpv_on_path(dir.path());
    let log = dir.path().join("fake.log");
    sim.clear_requests();
    let run = emby_tui_with(
        &sim,
        dir.path(),
        &["play", &server, &id],
        None,
        &[
            ("PATH", &path_with(&bin)),
            ("FAKE_MPV_PLAN", "play:30,eof"),
            ("FAKE_MPV_TICK_MS", "1"),
            ("FAKE_MPV_LOG", log.to_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("to the end"), "{}", run.stderr);
    // it resumed where the server said
    let argv = fake_log(&log)
        .into_iter()
        .find_map(|e| e.get("argv").cloned())
        .unwrap();
    let start = format!("--start={}", saved / TICKS);
    assert!(
        argv.as_array()
            .unwrap()
            .iter()
            .any(|a| a.as_str().is_some_and(|a| a.starts_with(&start))),
        "{argv} has no {start}"
    );
    let now = item_now(&sim, dir.path(), &server, &id).await;
    assert_eq!(now["played"], true, "{now}");
    assert!(now["playback_position_ticks"].is_null(), "{now}");
    let sent = reports(&sim, &server);
    let (last, body) = sent.last().unwrap();
    assert_eq!(last, "Stopped");
    let runtime = body["PositionTicks"].as_i64().unwrap();
    assert!(
        runtime > saved + 30 * TICKS,
        "the Stop carries the full runtime: {body}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_player_without_ipc_reports_start_and_a_stop_at_the_position_it_started_from() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let server = ready(&sim, dir.path()).await;
    let list = movies(&sim, dir.path(), &server).await;
    let movie = list
        .iter()
        .find(|m| m["playback_position_ticks"].as_i64().is_some_and(|p| p > 0))
        .unwrap();
    let id = movie["id"].as_str().unwrap().to_string();
    let saved = movie["playback_position_ticks"].as_i64().unwrap();
    let log = dir.path().join("fake.log");
    sim.clear_requests();
    let template = format!("python3 {} --title={{title}} {{url}}", fake_mpv());
    let run = emby_tui_with(
        &sim,
        dir.path(),
        &["play", &server, &id, "--player", &template],
        None,
        &[
            ("FAKE_MPV_PLAN", "play:3"),
            ("FAKE_MPV_LOG", log.to_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sent = reports(&sim, &server);
    let calls: Vec<&str> = sent.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(calls, ["Playing", "Stopped"]);
    assert_eq!(
        sent[1].1["PositionTicks"], saved,
        "Stopped carries the start position"
    );
    // without {ipc}, {url} carries api_key: the player could fetch it
    assert!(fake_log(&log).iter().any(|e| e["fetch"] == 206));
    let now = item_now(&sim, dir.path(), &server, &id).await;
    assert_eq!(now["played"], false);
    assert_eq!(now["playback_position_ticks"].as_i64(), Some(saved));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn no_player_installed_or_one_that_fails_is_one_sentence_and_nothing_is_reported() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let server = ready(&sim, dir.path()).await;
    let id = movies(&sim, dir.path(), &server).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    sim.clear_requests();
    // the default command, and no mpv anywhere on PATH
    let empty = dir.path().join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let run = emby_tui_with(
        &sim,
        dir.path(),
        &["play", &server, &id],
        None,
        &[("PATH", empty.to_str().unwrap())],
    )
    .await;
    assert_eq!(run.code, 1);
    let err = run.stderr.trim();
    assert_eq!(err.lines().count(), 1, "one sentence: {err}");
    for needed in ["mpv", "not installed", "player.command", "stream-url"] {
        assert!(err.contains(needed), "{needed} missing: {err}");
    }
    // a player that exits before it plays
    let bin = mpv_on_path(dir.path());
    let run = emby_tui_with(
        &sim,
        dir.path(),
        &["play", &server, &id],
        None,
        &[("PATH", &path_with(&bin)), ("FAKE_MPV_PLAN", "exit:3")],
    )
    .await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("exited before playing"),
        "{}",
        run.stderr
    );
    assert!(
        reports(&sim, &server).is_empty(),
        "nothing was reported as playing"
    );
    // a bad template is a usage sentence too
    let run = emby_tui(
        &sim,
        dir.path(),
        &[
            "play",
            &server,
            &id,
            "--player",
            "mpv --title={titel} {url}",
        ],
        None,
    )
    .await;
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("{titel}"), "{}", run.stderr);
    let token = token_of(dir.path(), &server);
    assert!(!run.stderr.contains(&token));
    sim.shutdown().await;
}

fn session_by_name<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["device_name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {list}"))
}

async fn sessions(sim: &Sim, dir: &Path, server: &str) -> Value {
    let run = emby_tui(sim, dir, &["sessions", server, "--json"], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    json(&run)
}

#[tokio::test(flavor = "multi_thread")]
async fn play_on_a_fake_device_then_pause_seek_and_stop_it() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let server = ready(&sim, dir.path()).await;
    let list = sessions(&sim, dir.path(), &server).await;
    let keys = [
        "id",
        "client",
        "device_name",
        "device_id",
        "user_name",
        "supports_remote_control",
        "playable_media_types",
        "now_playing",
    ];
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
    for s in list.as_array().unwrap() {
        for k in keys {
            assert!(s.get(k).is_some(), "{k} missing in {s}");
        }
    }
    let tv = session_by_name(&list, "Living Room TV");
    assert_eq!(tv["client"], "Emby Theater");
    assert_eq!(tv["now_playing"], Value::Null);
    assert_eq!(
        session_by_name(&list, "Phone")["client"],
        "Emby for Android"
    );
    let tv_id = tv["id"].as_str().unwrap().to_string();

    let movie = movies(&sim, dir.path(), &server).await[0].clone();
    let id = movie["id"].as_str().unwrap();
    let run = emby_tui(
        &sim,
        dir.path(),
        &["play", &server, id, "--on", &tv_id, "--from-start"],
        None,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let tv_now = |list: &Value| session_by_name(list, "Living Room TV")["now_playing"].clone();
    let playing = tv_now(&sessions(&sim, dir.path(), &server).await);
    assert_eq!(playing["item_id"], id);
    assert_eq!(playing["name"], movie["name"]);
    assert_eq!(playing["is_paused"], false);
    assert!(playing["runtime_ticks"].as_i64().unwrap() > 0);
    // its position moves on by itself
    let first = playing["position_ticks"].as_i64().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let later = tv_now(&sessions(&sim, dir.path(), &server).await)["position_ticks"]
        .as_i64()
        .unwrap();
    assert!(later > first, "{first} -> {later}");

    let run = control(&sim, dir.path(), &server, &tv_id, &["pause"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let paused = tv_now(&sessions(&sim, dir.path(), &server).await);
    assert_eq!(paused["is_paused"], true);
    let run = control(&sim, dir.path(), &server, &tv_id, &["seek", "600"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sought = tv_now(&sessions(&sim, dir.path(), &server).await);
    assert_eq!(
        sought["position_ticks"],
        600 * TICKS,
        "paused, so exactly there"
    );
    let run = control(&sim, dir.path(), &server, &tv_id, &["unpause"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        tv_now(&sessions(&sim, dir.path(), &server).await)["is_paused"],
        false
    );
    let run = control(&sim, dir.path(), &server, &tv_id, &["stop"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        tv_now(&sessions(&sim, dir.path(), &server).await),
        Value::Null
    );
    // the device reported where it stopped: the server offers to resume there
    let now = item_now(&sim, dir.path(), &server, id).await;
    let resume = now["playback_position_ticks"]
        .as_i64()
        .expect("a resume position");
    assert!(
        (600 * TICKS..=610 * TICKS).contains(&resume),
        "resume at {} s",
        resume / TICKS
    );

    // refusals in plain words: a TV that plays video only, and a session that is gone
    let track = first_track(&sim, dir.path(), &server).await;
    let run = emby_tui(
        &sim,
        dir.path(),
        &["play", &server, &track, "--on", &tv_id],
        None,
    )
    .await;
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("Living Room TV") && run.stderr.contains("cannot play Audio"),
        "{}",
        run.stderr
    );
    let run = control(
        &sim,
        dir.path(),
        &server,
        "0123456789abcdef0123456789abcdef",
        &["pause"],
    )
    .await;
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("is gone"), "{}", run.stderr);
    let run = emby_tui(
        &sim,
        dir.path(),
        &[
            "play",
            &server,
            "ffffffffffffffffffffffffffffffff",
            "--on",
            &tv_id,
        ],
        None,
    )
    .await;
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("no item `ffffffffffffffffffffffffffffffff` on Living Room"),
        "{}",
        run.stderr
    );
    sim.shutdown().await;
}

async fn control(sim: &Sim, dir: &Path, server: &str, session: &str, args: &[&str]) -> Run {
    let mut all = vec!["control", server, session];
    all.extend_from_slice(args);
    emby_tui(sim, dir, &all, None).await
}

async fn first_track(sim: &Sim, dir: &Path, server: &str) -> String {
    let run = emby_tui(
        sim,
        dir,
        &["items", server, "--search", "a", "--limit", "200", "--json"],
        None,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    json(&run)["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["type"] == "Audio")
        .expect("a track")["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn stream_url_prints_a_playable_url_and_warns_on_stderr() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let server = ready(&sim, dir.path()).await;
    let id = movies(&sim, dir.path(), &server).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let run = emby_tui(&sim, dir.path(), &["stream-url", &server, &id], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let url = run.stdout.trim();
    let token = token_of(dir.path(), &server);
    assert!(
        url.contains(&format!("/emby/Videos/{id}/stream.y4m?")),
        "{url}"
    );
    assert!(url.ends_with(&format!("api_key={token}")), "{url}");
    assert!(!run.stderr.contains(&token));
    assert!(
        run.stderr.contains("holds your access token") && run.stderr.contains("server logout"),
        "{}",
        run.stderr
    );
    let response = reqwest::Client::new()
        .get(url)
        .header("Range", "bytes=0-8")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 206);
    assert_eq!(&response.bytes().await.unwrap()[..], b"YUV4MPEG2");
    // unknown server / item: exit 1, a sentence
    let run = emby_tui(&sim, dir.path(), &["stream-url", "nope", &id], None).await;
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no saved server"), "{}", run.stderr);
    let run = emby_tui(
        &sim,
        dir.path(),
        &["stream-url", &server, "ffffffffffffffffffffffffffffffff"],
        None,
    )
    .await;
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("no item `ffffffffffffffffffffffffffffffff` on Living Room"),
        "{}",
        run.stderr
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_sessions_list_leaves_out_this_device() {
    let (sim, dir, hub) = reached_demo().await;
    let server = id_of(&sim, "Living Room");
    // this device tells the server it takes remote control: the server now lists it too
    let device_id = std::fs::read_to_string(dir.path().join("device_id")).unwrap();
    let token = token_of(dir.path(), &server);
    let base = sim.server("Living Room").unwrap().local_url;
    let client = reqwest::Client::new();
    let auth = format!(
        "MediaBrowser Client=\"emby-tui\", Device=\"box\", DeviceId=\"{}\", Version=\"1\", Token=\"{token}\"",
        device_id.trim()
    );
    let r = client
        .post(format!("{base}/emby/Sessions/Capabilities/Full"))
        .header("X-Emby-Authorization", &auth)
        .json(&serde_json::json!({"PlayableMediaTypes": ["Audio", "Video"], "SupportsMediaControl": true}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let all: Vec<String> = hub
        .controllable_sessions(&server)
        .await
        .unwrap()
        .iter()
        .filter_map(|s| s.device_id.clone())
        .collect();
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(!all.iter().any(|d| d == device_id.trim()));
    // while the server does list it
    let user = hub.report(&server).unwrap().user_id.unwrap();
    let listed: Value = client
        .get(format!("{base}/emby/Sessions?ControllableByUserId={user}"))
        .header("X-Emby-Authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["DeviceId"] == device_id.trim()),
        "{listed}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn stop_here_asks_the_player_to_quit_and_where_it_was_is_reported() {
    use emby_tui::emby::server::ItemsQuery;
    use emby_tui::player::{PlayerConfig, PlayerTemplate, TerminalUse};
    use emby_tui::session::StartAt;
    let (sim, dir, hub) = reached_demo().await;
    let server = id_of(&sim, "Living Room");
    let page = hub
        .items(
            &server,
            &ItemsQuery {
                recursive: Some(true),
                include_item_types: vec!["Movie".into()],
                limit: Some(40),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let movie = page
        .items
        .iter()
        .find(|m| {
            m.user_data.as_ref().is_some_and(|u| {
                u.played != Some(true) && u.playback_position_ticks.unwrap_or(0) == 0
            })
        })
        .unwrap();
    let id = movie.id.clone().unwrap();
    let log = dir.path().join("fake.log");
    let template = format!(
        "python3 {} --fake-plan=play:400,hold --fake-tick-ms=1 --fake-log={} --input-ipc-server={{ipc}}",
        fake_mpv(),
        log.display()
    );
    let player = PlayerConfig {
        template: PlayerTemplate::parse(&template).unwrap(),
        terminal: TerminalUse::Never,
        ..PlayerConfig::default()
    };
    let (h, s, i, p) = (hub.clone(), server.clone(), id.clone(), player.clone());
    let playing =
        tokio::spawn(async move { h.play_here(&s, &i, StartAt::Resume, &p, false).await });
    // the player holds at 400 s
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("\"hold\"")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the player never got to 400 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // one player here at a time
    let again = hub
        .play_here(&server, &id, StartAt::Resume, &player, false)
        .await
        .unwrap_err();
    assert!(
        again.to_string().contains("playing here already"),
        "{again}"
    );
    assert!(hub.stop_here());
    let played = playing.await.unwrap().expect("it played");
    assert_eq!(played.position_ticks, 400 * TICKS);
    assert!(!played.ended);
    assert_eq!(
        played.user_data.and_then(|u| u.playback_position_ticks),
        Some(400 * TICKS),
        "the server resumes there"
    );
    assert!(
        fake_log(&log)
            .iter()
            .any(|e| e.get("command").is_some_and(|c| c[0] == "quit")),
        "the player was asked to quit"
    );
    assert!(!hub.stop_here(), "nothing plays here any more");
    sim.shutdown().await;
}
