//! Helpers shared by the simulator tests.

use emby_tui::sim::{Scenario, Sim, SimServer};
use serde_json::Value;

/// Path of a scenario shipped in assets/scenarios.
pub fn scenario_path(name: &str) -> String {
    format!("{}/assets/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Starts the demo world.
pub async fn demo() -> Sim {
    Sim::start(Scenario::load(scenario_path("demo.toml")).expect("demo.toml loads"))
        .await
        .expect("sim starts")
}

/// A client that never uses a proxy.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

/// The identity header of a test client with device `device`.
pub fn identity(device: &str) -> String {
    format!(
        "MediaBrowser Client=\"sim-test\", Device=\"test\", DeviceId=\"{device}\", Version=\"1.0\""
    )
}

/// The server named `name` of `sim`.
pub fn server(sim: &Sim, name: &str) -> SimServer {
    sim.server(name).expect("server exists")
}

/// Signs in by name on `base`; returns (token, user id).
pub async fn sign_in(base: &str, user: &str, pw: &str, device: &str) -> (String, String) {
    let v: Value = client()
        .post(format!("{base}/emby/Users/AuthenticateByName"))
        .header("X-Emby-Authorization", identity(device))
        .json(&serde_json::json!({"Username": user, "Pw": pw}))
        .send()
        .await
        .expect("sign-in answers")
        .json()
        .await
        .expect("sign-in JSON");
    let token = v["AccessToken"].as_str().expect("AccessToken").to_string();
    let id = v["User"]["Id"].as_str().expect("User.Id").to_string();
    (token, id)
}

/// GET `url` with `token` in X-Emby-Token; returns (status, JSON or Null).
pub async fn get(url: &str, token: &str) -> (u16, Value) {
    let r = client()
        .get(url)
        .header("X-Emby-Token", token)
        .send()
        .await
        .expect("answers");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Signs in to Connect as demo/demo; returns (token, user id).
pub async fn connect_sign_in(sim: &Sim) -> (String, String) {
    let v: Value = client()
        .post(format!("{}user/authenticate", sim.connect_url()))
        .header("X-Application", "sim-test/1.0")
        .json(&serde_json::json!({"nameOrEmail": "demo", "rawpw": "demo"}))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    (
        v["AccessToken"].as_str().expect("token").into(),
        v["User"]["Id"].as_str().expect("id").into(),
    )
}

/// The Connect server list of the demo user (`waiting` = invitations).
pub async fn connect_servers(sim: &Sim, token: &str, user: &str, waiting: bool) -> Vec<Value> {
    let mut url = format!("{}servers?userId={user}", sim.connect_url());
    if waiting {
        url.push_str("&status=Waiting");
    }
    let r = client()
        .get(url)
        .header("X-Application", "sim-test/1.0")
        .header("X-Connect-UserToken", token)
        .send()
        .await
        .expect("answers");
    assert_eq!(r.status(), 200);
    r.json::<Vec<Value>>().await.expect("array")
}
