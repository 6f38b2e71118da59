//! Every fault, set from the scenario or at run time.

use std::time::Duration;

use emby_tui::sim::{AddressKind, Fault, Scenario, Sim};
use serde_json::Value;

use super::common::*;

fn quick_client(timeout_ms: u64) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(timeout_ms))
        .build()
        .unwrap()
}

async fn one_server(fault: &str) -> Sim {
    let text = format!(
        "[[servers]]\nname = \"S\"\nlibrary = {{ movies = 3, series = 1, seasons = 1, episodes = 2, albums = 1, tracks = 2 }}\n\
         [[servers.users]]\nname = \"u\"\npassword = \"p\"\n[servers.faults.local]\n{fault}\n"
    );
    Sim::start(Scenario::from_toml_str(&text).unwrap())
        .await
        .unwrap()
}

fn public(base: &str) -> String {
    format!("{base}/emby/System/Info/Public")
}

#[tokio::test]
async fn blackhole_accepts_tcp_but_never_answers() {
    let sim = demo().await;
    let cabin = server(&sim, "Cabin");
    let addr = cabin.local_url.trim_start_matches("http://").to_string();
    tokio::net::TcpStream::connect(&addr)
        .await
        .expect("the connect itself succeeds");
    let err = quick_client(300)
        .get(public(&cabin.local_url))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert_eq!(
        quick_client(5000)
            .get(public(&cabin.remote_url))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // lifted at run time, the address answers
    sim.set_fault(&cabin.id, AddressKind::Local, Fault::default());
    assert_eq!(
        quick_client(5000)
            .get(public(&cabin.local_url))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn refuse_closes_the_port_and_lifting_it_reopens_the_same_port() {
    let sim = one_server("refuse = true").await;
    let s = sim.servers()[0].clone();
    let addr = s.local_url.trim_start_matches("http://").to_string();
    let err = tokio::net::TcpStream::connect(&addr).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
    sim.set_fault(&s.id, AddressKind::Local, Fault::default());
    let mut ok = false;
    for _ in 0..50 {
        if let Ok(r) = quick_client(2000).get(public(&s.local_url)).send().await {
            ok = r.status() == 200;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(ok, "the address answers again on its port");
    sim.shutdown().await;
}

#[tokio::test]
async fn down_drops_connections_without_an_answer() {
    let sim = one_server("down = true").await;
    let s = sim.servers()[0].clone();
    let err = quick_client(5000)
        .get(public(&s.local_url))
        .send()
        .await
        .unwrap_err();
    assert!(
        !err.is_timeout() && err.status().is_none(),
        "dropped, not timed out: {err}"
    );
    // switched on at run time, an open keep-alive connection dies too
    sim.set_fault(&s.id, AddressKind::Local, Fault::default());
    let c = quick_client(5000);
    assert_eq!(
        c.get(public(&s.local_url)).send().await.unwrap().status(),
        200
    );
    sim.set_fault(
        &s.id,
        AddressKind::Local,
        Fault {
            down: true,
            ..Fault::default()
        },
    );
    assert!(c.get(public(&s.local_url)).send().await.is_err());
    sim.shutdown().await;
}

#[tokio::test]
async fn impostor_answers_as_another_server_on_every_endpoint() {
    let sim = one_server("impostor = true").await;
    let s = sim.servers()[0].clone();
    let (_, local) = get(&public(&s.local_url), "").await;
    let (_, remote) = get(&public(&s.remote_url), "").await;
    assert_eq!(remote["Id"], s.id.as_str());
    assert_ne!(local["Id"], s.id.as_str());
    assert_ne!(local["ServerName"], "S");
    // a token of the real server means nothing to the impostor
    let (token, _) = sign_in(&s.remote_url, "u", "p", "dev-i").await;
    assert_eq!(
        get(&format!("{}/emby/System/Info", s.local_url), &token)
            .await
            .0,
        401
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn delay_holds_each_reply() {
    let sim = one_server("delay_ms = 400").await;
    let s = sim.servers()[0].clone();
    let err = quick_client(100)
        .get(public(&s.local_url))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    assert_eq!(
        quick_client(10_000)
            .get(public(&s.local_url))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn body_faults_http_500_malformed_wrong_types_oversize() {
    let sim = one_server("http_500 = true").await;
    let s = sim.servers()[0].clone();
    let r = client().get(public(&s.local_url)).send().await.unwrap();
    assert_eq!(r.status(), 500);
    assert!(!r.text().await.unwrap().is_empty());

    sim.set_fault(
        &s.id,
        AddressKind::Local,
        Fault {
            malformed_json: true,
            ..Fault::default()
        },
    );
    let r = client().get(public(&s.local_url)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(serde_json::from_str::<Value>(&r.text().await.unwrap()).is_err());

    sim.set_fault(
        &s.id,
        AddressKind::Local,
        Fault {
            wrong_types: true,
            ..Fault::default()
        },
    );
    let (st, v) = get(&public(&s.local_url), "").await;
    assert_eq!(st, 200);
    assert!(v["Id"].is_number(), "{v}");
    assert!(v["LocalAddresses"].is_string());

    sim.set_fault(
        &s.id,
        AddressKind::Local,
        Fault {
            oversize_body: true,
            ..Fault::default()
        },
    );
    let body = client()
        .get(public(&s.local_url))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(body.len() > 4 * 1024 * 1024);
    assert!(
        serde_json::from_slice::<Value>(&body).is_ok(),
        "large but valid JSON"
    );
    // non-JSON replies are left alone
    let (st, _) = get(&format!("{}/emby/System/Info", s.local_url), "").await;
    assert_eq!(st, 401);
    sim.shutdown().await;
}

#[tokio::test]
async fn revoke_tokens_fault_revokes_when_applied() {
    let sim = one_server("").await;
    let s = sim.servers()[0].clone();
    let (token, _) = sign_in(&s.local_url, "u", "p", "dev-r").await;
    let info = format!("{}/emby/System/Info", s.local_url);
    assert_eq!(get(&info, &token).await.0, 200);
    sim.set_fault(
        &s.id,
        AddressKind::Remote,
        Fault {
            revoke_tokens: true,
            ..Fault::default()
        },
    );
    assert_eq!(get(&info, &token).await.0, 401);
    sim.shutdown().await;
}

#[tokio::test]
async fn connect_address_has_faults_too() {
    let sim = demo().await;
    sim.set_connect_fault(Fault {
        http_500: true,
        ..Fault::default()
    });
    let r = client()
        .post(format!("{}user/authenticate", sim.connect_url()))
        .header("X-Application", "t/1")
        .form(&[("nameOrEmail", "demo"), ("rawpw", "demo")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    assert_eq!(sim.connect_requests().len(), 1);
    assert!(sim.connect_requests()[0].mentions("rawpw"));
    sim.shutdown().await;
}
