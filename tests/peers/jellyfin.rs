//! Jellyfin's clients (descendants of Emby's) against simulated servers.

use emby_tui::sim::{AddressKind, Fault, Scenario, Sim, SimServer};
use serde_json::{Value, json};

use super::install::run_script;

async fn demo() -> Sim {
    let path = format!("{}/assets/scenarios/demo.toml", env!("CARGO_MANIFEST_DIR"));
    Sim::start(Scenario::load(path).expect("demo.toml"))
        .await
        .expect("sim starts")
}

fn entry(s: &SimServer) -> Value {
    json!({"Id": s.id, "Name": s.name, "LocalAddress": s.local_url, "RemoteAddress": s.remote_url})
}

async fn node(args: Value) -> Value {
    let out = run_script("jf_node.js", &[args.to_string()]).await;
    let v = out.json();
    assert!(out.success, "jf_node.js failed: {v}\n{}", out.stderr);
    v
}

#[tokio::test]
async fn jellyfin_python_connects_signs_in_and_lists_views() {
    let sim = demo().await;
    let s = sim.server("Living Room").expect("server");
    let out = run_script(
        "jf_python.py",
        &[s.local_url.clone(), "demo".into(), "demo".into()],
    )
    .await;
    assert!(
        out.success,
        "jf_python.py failed:\n{}\n{}",
        out.stdout, out.stderr
    );
    let v = out.json();
    assert_eq!(v["signed_in_user"], "demo");
    assert_eq!(v["server_id"], s.id.as_str());
    assert_eq!(v["views"], json!(["Movies", "TV Shows", "Music"]));
    // what it put on the wire: lower-case paths, its identity, a lower-case username key
    let sent = sim.requests(&s.id, AddressKind::Local);
    assert!(sent.iter().any(
        |r| r.path.to_lowercase().ends_with("/users/authenticatebyname") && r.method == "POST"
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn jellyfin_js_race_picks_the_local_address_when_it_answers() {
    let sim = demo().await;
    let s = sim.server("Living Room").expect("server");
    let v = node(json!({"server": entry(&s), "user": "demo", "password": "demo"})).await;
    assert_eq!(v["state"], "ServerSignIn");
    assert_eq!(v["address"], s.local_url.as_str());
    assert_eq!(v["signed_in_user"], "demo");
    assert_eq!(v["views"], json!(["Movies", "TV Shows", "Music"]));
    // the JS client carries its token inside the Authorization header
    let sent = sim.requests(&s.id, AddressKind::Local);
    let views = sent
        .iter()
        .find(|r| r.path.ends_with("/Views"))
        .expect("views request");
    assert!(views.headers.iter().any(|(k, v)| (k == "authorization"
        || k == "x-emby-authorization")
        && v.contains("Token=")));
    sim.shutdown().await;
}

#[tokio::test]
async fn jellyfin_js_race_falls_back_to_the_remote_url_when_local_is_black_holed() {
    let sim = demo().await;
    let s = sim.server("Cabin").expect("server");
    let v = node(json!({"server": entry(&s), "user": "cabin", "password": "cabin"})).await;
    assert_eq!(v["state"], "ServerSignIn");
    assert_eq!(v["address"], s.remote_url.as_str());
    assert_eq!(v["views"], json!(["Movies", "TV Shows", "Music"]));
    sim.shutdown().await;
}

#[tokio::test]
async fn jellyfin_js_rejects_an_impostor() {
    let sim = demo().await;
    let s = sim.server("Living Room").expect("server");
    for kind in [AddressKind::Local, AddressKind::Remote] {
        sim.set_fault(
            &s.id,
            kind,
            Fault {
                impostor: true,
                ..Fault::default()
            },
        );
    }
    let v = node(json!({"server": entry(&s)})).await;
    assert_eq!(v["state"], "Unavailable");
    sim.shutdown().await;
}
