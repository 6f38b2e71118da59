//! The session layer against emby-sim: list building, the address race over real sockets,
//! the Id check, the Connect exchange, sessions in use, manual servers, PIN, invitations, sign-out.

mod common;

use std::time::Duration;

use common::*;
use emby_tui::emby::Secret;
use emby_tui::session::{ServerReport, SessionError, SessionState};
use emby_tui::sim::{AddressKind, Fault};

fn report<'a>(reports: &'a [ServerReport], id: &str) -> &'a ServerReport {
    reports
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no report for {id}"))
}

#[tokio::test]
async fn connect_servers_are_reached_in_the_right_mode_and_signed_in_by_exchange() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mgr = signed_in_hub(&sim, dir.path()).await;
    let reports = mgr.refresh().await.unwrap();
    assert_eq!(
        reports.len(),
        3,
        "three servers are shared; the invitation is not listed: {reports:#?}"
    );

    let living = report(&reports, &id_of(&sim, "Living Room"));
    assert_eq!(
        (living.state, living.mode, living.source),
        ("signed_in", Some("local"), "connect")
    );
    assert_eq!(
        living.address.as_deref(),
        Some(sim.server("Living Room").unwrap().local_url.as_str())
    );
    assert!(living.latency_ms.is_some());

    let cabin = report(&reports, &id_of(&sim, "Cabin"));
    assert_eq!(
        (cabin.state, cabin.mode),
        ("signed_in", Some("remote")),
        "{cabin:#?}"
    );
    assert_eq!(
        cabin.address.as_deref(),
        Some(sim.server("Cabin").unwrap().remote_url.as_str())
    );

    let friend = report(&reports, &id_of(&sim, "Friend's Server"));
    assert_eq!(
        (friend.state, friend.link_type),
        ("signed_in", Some("guest")),
        "{friend:#?}"
    );

    // The Connect LocalAddress was taken from the list (the JS typo bug is not copied).
    assert_eq!(
        cabin.local_address.as_deref(),
        Some(sim.server("Cabin").unwrap().local_url.as_str())
    );
    // The winning mode and the token are saved.
    let saved = &mgr.credentials().servers;
    assert!(
        saved
            .iter()
            .all(|s| s.access_token.is_some() && s.exchange_token.is_some())
    );
}

#[tokio::test]
async fn the_exchange_runs_on_every_connection_with_the_access_key_only_at_the_right_server() {
    let (sim, dir, mgr) = reached_demo().await;
    let living = id_of(&sim, "Living Room");
    let key = mgr
        .credentials()
        .servers
        .iter()
        .find(|s| s.id == living)
        .unwrap()
        .exchange_token
        .clone()
        .unwrap();
    sim.clear_requests();
    let again = hub(&sim, dir.path());
    again.refresh().await.unwrap();
    let exchanges: Vec<_> = sim
        .requests(&living, AddressKind::Local)
        .into_iter()
        .filter(|r| r.path.to_ascii_lowercase().ends_with("/connect/exchange"))
        .collect();
    assert_eq!(exchanges.len(), 1, "one exchange per connection");
    assert!(exchanges[0].mentions(key.expose()));
    // No other server ever saw this server's AccessKey.
    for other in sim.servers().iter().filter(|s| s.id != living) {
        for kind in [AddressKind::Local, AddressKind::Remote] {
            assert!(
                !sim.requests(&other.id, kind)
                    .iter()
                    .any(|r| r.mentions(key.expose()))
            );
        }
    }
}

#[tokio::test]
async fn refused_or_impostor_local_addresses_fall_back_to_remote() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mgr = signed_in_hub(&sim, dir.path()).await;
    let living = id_of(&sim, "Living Room");
    for fault in [
        Fault {
            refuse: true,
            ..Fault::default()
        },
        Fault {
            impostor: true,
            ..Fault::default()
        },
    ] {
        sim.set_fault(&living, AddressKind::Local, fault.clone());
        let reports = mgr.refresh().await.unwrap();
        let r = report(&reports, &living);
        assert_eq!(
            (r.state, r.mode),
            ("signed_in", Some("remote")),
            "{fault:?}: {r:#?}"
        );
    }
}

#[tokio::test]
async fn an_impostor_never_receives_a_token_an_access_key_or_a_password() {
    let (sim, dir, mgr) = reached_demo().await;
    let living = id_of(&sim, "Living Room");
    let saved = mgr
        .credentials()
        .servers
        .iter()
        .find(|s| s.id == living)
        .unwrap()
        .clone();
    let secrets = [
        saved.access_token.clone().unwrap(),
        saved.exchange_token.clone().unwrap(),
    ];

    sim.set_fault(
        &living,
        AddressKind::Local,
        Fault {
            impostor: true,
            ..Fault::default()
        },
    );
    sim.clear_requests();
    // A fresh run (stored token, exchange) and a local sign-in with a password.
    let fresh = hub(&sim, dir.path());
    let reports = fresh.refresh().await.unwrap();
    assert_eq!(report(&reports, &living).mode, Some("remote"));
    fresh
        .sign_in_local(&living, "demo", &Secret::new("demo"))
        .await
        .unwrap();
    fresh
        .call(&living, true, |c| async move { c.views().await })
        .await
        .unwrap();

    let seen = sim.requests(&living, AddressKind::Local);
    assert!(!seen.is_empty(), "the impostor was probed");
    for r in &seen {
        for s in &secrets {
            assert!(
                !r.mentions(s.expose()),
                "impostor saw a secret in {} {}",
                r.method,
                r.path
            );
        }
        assert!(
            !r.mentions("\"demo\""),
            "impostor saw the password in {} {}",
            r.method,
            r.path
        );
        assert!(
            r.path.to_ascii_lowercase().ends_with("/system/info/public"),
            "only the anonymous probe: {}",
            r.path
        );
    }
}

#[tokio::test]
async fn every_address_dead_gives_unavailable_and_keeps_the_saved_token() {
    let (sim, _dir, mgr) = reached_demo().await;
    let living = id_of(&sim, "Living Room");
    sim.set_fault(
        &living,
        AddressKind::Local,
        Fault {
            blackhole: true,
            ..Fault::default()
        },
    );
    sim.set_fault(
        &living,
        AddressKind::Remote,
        Fault {
            refuse: true,
            ..Fault::default()
        },
    );
    let reports = mgr.refresh().await.unwrap();
    let r = report(&reports, &living);
    assert_eq!((r.state, r.mode), ("unavailable", None));
    let err = r.error.as_deref().unwrap();
    assert!(err.contains("local") && err.contains("remote"), "{err}");
    assert!(
        mgr.credentials()
            .servers
            .iter()
            .find(|s| s.id == living)
            .unwrap()
            .access_token
            .is_some()
    );
}

#[tokio::test]
async fn a_failed_connect_list_drops_nothing() {
    let (sim, _dir, mgr) = reached_demo().await;
    let before = mgr.credentials().servers;
    for fault in [
        Fault {
            http_500: true,
            ..Fault::default()
        },
        Fault {
            malformed_json: true,
            ..Fault::default()
        },
    ] {
        sim.set_connect_fault(fault);
        let reports = mgr.refresh().await.unwrap();
        assert_eq!(reports.len(), 3);
        assert!(reports.iter().all(|r| r.state == "signed_in"));
        let notices = mgr.take_notices();
        assert!(
            notices.iter().any(|n| n.contains("saved servers are kept")),
            "{notices:?}"
        );
    }
    let ids = |v: &[emby_tui::session::store::SavedServer]| {
        v.iter().map(|s| s.id.clone()).collect::<Vec<_>>()
    };
    let mut a = ids(&before);
    let mut b = ids(&mgr.credentials().servers);
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[tokio::test]
async fn a_server_connect_no_longer_lists_is_dropped() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mgr = signed_in_hub(&sim, dir.path()).await;
    let reports = mgr.refresh().await.unwrap();
    let friend = report(&reports, &id_of(&sim, "Friend's Server")).clone();
    // Leave the share at Connect (as `reject` does for an active share).
    let session = emby_tui::emby::ConnectClient::with_base_url(
        emby_tui::emby::HttpClient::new(Default::default()).unwrap(),
        &mgr.identity(),
        &sim.connect_url(),
    )
    .unwrap()
    .session(
        mgr.credentials().connect.as_ref().unwrap().user_id.clone(),
        mgr.credentials()
            .connect
            .as_ref()
            .unwrap()
            .access_token
            .clone(),
    );
    let connect_id = mgr
        .credentials()
        .servers
        .iter()
        .find(|s| s.id == friend.id)
        .unwrap()
        .connect_server_id
        .clone()
        .unwrap();
    session.reject_invitation(&connect_id).await.unwrap();
    let reports = mgr.refresh().await.unwrap();
    assert_eq!(reports.len(), 2);
    assert!(reports.iter().all(|r| r.id != friend.id));
}

#[tokio::test]
async fn a_token_revoked_mid_session_is_re_exchanged_and_the_request_retried() {
    let (sim, _dir, mgr) = reached_demo().await;
    let living = id_of(&sim, "Living Room");
    let old = mgr
        .credentials()
        .servers
        .iter()
        .find(|s| s.id == living)
        .unwrap()
        .access_token
        .clone()
        .unwrap();
    sim.revoke_tokens(&living);
    let views = mgr
        .call(&living, true, |c| async move { c.views().await })
        .await
        .unwrap();
    assert!(!views.items.is_empty());
    let new = mgr
        .credentials()
        .servers
        .iter()
        .find(|s| s.id == living)
        .unwrap()
        .access_token
        .clone()
        .unwrap();
    assert_ne!(old, new, "the new token is saved");
    assert_eq!(mgr.session(&living).unwrap().state, SessionState::SignedIn);
}

#[tokio::test]
async fn a_401_on_a_manual_server_turns_the_session_into_sign_in_needed() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mgr = hub(&sim, dir.path());
    let friend = sim.server("Friend's Server").unwrap();
    let (added, users) = mgr.add_server(&friend.local_url, None).await.unwrap();
    assert_eq!(
        (added.id.as_str(), added.state, added.mode, added.source),
        (
            friend.id.as_str(),
            "sign_in_required",
            Some("manual"),
            "manual"
        )
    );
    assert!(users.contains(&"friend".to_string()));
    let r = mgr
        .sign_in_local(&friend.id, "friend", &Secret::new("friend"))
        .await
        .unwrap();
    assert_eq!(
        (r.state, r.user_name.as_deref()),
        ("signed_in", Some("friend"))
    );
    sim.revoke_tokens(&friend.id);
    let err = mgr
        .call(&friend.id, true, |c| async move { c.views().await })
        .await
        .unwrap_err();
    assert!(matches!(err, SessionError::SignInRequired { .. }), "{err}");
    assert!(matches!(
        mgr.session(&friend.id).unwrap().state,
        SessionState::SignInRequired(_)
    ));
    assert!(
        mgr.credentials().servers[0].access_token.is_none(),
        "the refused token is dropped"
    );
}

#[tokio::test]
async fn a_wrong_local_password_is_reported_and_nothing_is_stored() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mgr = hub(&sim, dir.path());
    let friend = sim.server("Friend's Server").unwrap();
    mgr.add_server(&friend.local_url, None).await.unwrap();
    let err = mgr
        .sign_in_local(&friend.id, "friend", &Secret::new("nope"))
        .await
        .unwrap_err();
    assert!(matches!(err, SessionError::WrongPassword), "{err}");
    let text = std::fs::read_to_string(dir.path().join("credentials.json")).unwrap();
    assert!(
        !text.contains("nope") && !text.contains("\"friend\""),
        "no password stored"
    );
}

#[tokio::test]
async fn a_network_error_in_use_re_runs_the_race_and_retries_once() {
    let (sim, _dir, mgr) = reached_demo().await;
    let living = id_of(&sim, "Living Room");
    sim.set_fault(
        &living,
        AddressKind::Local,
        Fault {
            down: true,
            ..Fault::default()
        },
    );
    let views = mgr
        .call(&living, true, |c| async move { c.views().await })
        .await
        .unwrap();
    assert!(!views.items.is_empty());
    let s = mgr.session(&living).unwrap();
    assert_eq!(s.verified.as_ref().unwrap().mode.as_str(), "remote");
}

#[tokio::test]
async fn two_sessions_list_their_own_views_with_their_own_tokens() {
    let (sim, _dir, mgr) = reached_demo().await;
    let living = id_of(&sim, "Living Room");
    let cabin = id_of(&sim, "Cabin");
    let a = mgr
        .call(&living, true, |c| async move { c.views().await })
        .await
        .unwrap();
    let b = mgr
        .call(&cabin, true, |c| async move { c.views().await })
        .await
        .unwrap();
    assert_ne!(
        a.items[0].id, b.items[0].id,
        "each server has its own library"
    );
    let token_of = |id: &str| {
        mgr.credentials()
            .servers
            .iter()
            .find(|s| s.id == id)
            .unwrap()
            .access_token
            .clone()
            .unwrap()
    };
    let (ta, tb) = (token_of(&living), token_of(&cabin));
    assert_ne!(ta, tb);
    for kind in [AddressKind::Local, AddressKind::Remote] {
        assert!(
            !sim.requests(&cabin, kind)
                .iter()
                .any(|r| r.mentions(ta.expose())),
            "Living Room's token never goes to Cabin"
        );
        assert!(
            !sim.requests(&living, kind)
                .iter()
                .any(|r| r.mentions(tb.expose()))
        );
    }
}

#[tokio::test]
async fn pin_sign_in_works_and_an_expired_pin_is_reported() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mgr = hub(&sim, dir.path());
    let pin = mgr.pin_create().await.unwrap();
    assert!(!mgr.pin_status(&pin.pin).await.unwrap().is_confirmed);
    assert!(sim.confirm_pin(&pin.pin, "demo@example.com"));
    assert!(mgr.pin_status(&pin.pin).await.unwrap().is_confirmed);
    assert_eq!(mgr.pin_finish(&pin.pin).await.unwrap(), "demo");
    assert_eq!(mgr.refresh().await.unwrap().len(), 3);

    let second = mgr.pin_create().await.unwrap();
    sim.expire_pins();
    assert!(mgr.pin_status(&second.pin).await.unwrap().is_expired);
}

#[tokio::test]
async fn invitations_can_be_listed_accepted_and_rejected() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mgr = signed_in_hub(&sim, dir.path()).await;
    let waiting = mgr.invitations().await.unwrap();
    assert_eq!(waiting.len(), 1);
    let grandpa = id_of(&sim, "Grandpa's Server");
    assert_eq!(waiting[0].system_id.as_deref(), Some(grandpa.as_str()));
    assert!(matches!(
        mgr.answer_invitation("nope", true).await,
        Err(SessionError::UnknownInvitation(_))
    ));
    mgr.answer_invitation(&grandpa, true).await.unwrap();
    assert!(mgr.invitations().await.unwrap().is_empty());
    let reports = mgr.refresh().await.unwrap();
    assert_eq!(reports.len(), 4);
    assert_eq!(report(&reports, &grandpa).state, "signed_in");
}

#[tokio::test]
async fn signing_out_of_a_server_drops_its_token_revokes_it_and_keeps_the_server() {
    let (sim, _dir, mgr) = reached_demo().await;
    let living = id_of(&sim, "Living Room");
    mgr.server_sign_out(&living).await.unwrap();
    let logouts = sim
        .requests(&living, AddressKind::Local)
        .iter()
        .filter(|r| r.path.to_ascii_lowercase().ends_with("/sessions/logout"))
        .count();
    assert_eq!(logouts, 1);
    let reports = mgr.refresh().await.unwrap();
    let r = report(&reports, &living);
    assert_eq!(
        r.state, "sign_in_required",
        "not signed back in by the exchange"
    );
    assert!(
        mgr.credentials()
            .servers
            .iter()
            .any(|s| s.id == living && s.access_token.is_none())
    );
    let r = mgr.sign_in_with_connect(&living).await.unwrap();
    assert_eq!(r.state, "signed_in");
}

#[tokio::test]
async fn signing_out_of_connect_forgets_keys_and_tokens_but_keeps_addresses() {
    let (_sim, dir, mgr) = reached_demo().await;
    assert!(mgr.connect_sign_out().await.unwrap());
    let creds = mgr.credentials();
    assert!(creds.connect.is_none());
    assert_eq!(creds.servers.len(), 3);
    assert!(
        creds
            .servers
            .iter()
            .all(|s| s.exchange_token.is_none() && s.access_token.is_none())
    );
    assert!(
        creds
            .servers
            .iter()
            .all(|s| s.local_address.is_some() && s.remote_address.is_some())
    );
    let text = std::fs::read_to_string(dir.path().join("credentials.json")).unwrap();
    assert!(
        !text.contains("access_token\": \""),
        "no token left in the file: {text}"
    );
}

#[tokio::test]
async fn a_corrupt_credentials_file_is_kept_aside_and_the_manager_starts_empty() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("credentials.json"), "{ not json").unwrap();
    let mgr = hub(&sim, dir.path());
    let notices = mgr.take_notices();
    assert_eq!(notices.len(), 1);
    assert!(notices[0].contains("kept as"), "{notices:?}");
    assert!(mgr.credentials().servers.is_empty());
    let kept = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("credentials.json.unreadable-")
        });
    assert!(kept);
}

#[tokio::test]
async fn a_wrong_connect_password_is_a_clear_error_and_changes_nothing() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mgr = hub(&sim, dir.path());
    let err = mgr
        .connect_sign_in("demo", &Secret::new("wrong"))
        .await
        .unwrap_err();
    assert!(matches!(err, SessionError::ConnectRejected), "{err}");
    assert!(mgr.credentials().connect.is_none());
    sim.set_connect_fault(Fault {
        down: true,
        ..Fault::default()
    });
    let err = mgr
        .connect_sign_in("demo", &Secret::new("demo"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cannot reach"), "{err}");
    let _ = Duration::ZERO;
}

#[tokio::test]
async fn a_revoked_token_whose_re_exchange_fails_is_dropped_and_sign_in_is_needed() {
    let (sim, _dir, mgr) = reached_demo().await;
    let living = id_of(&sim, "Living Room");
    // The server's admin unlinks the Connect account, so the exchange can no longer succeed.
    let admin = emby_tui::emby::ServerClient::new(
        emby_tui::emby::HttpClient::new(Default::default()).unwrap(),
        emby_tui::emby::ServerAddress::parse(&sim.server("Living Room").unwrap().local_url)
            .unwrap(),
        mgr.identity(),
    );
    let (admin, auth) = admin
        .sign_in_by_name("demo", &Secret::new("demo"))
        .await
        .unwrap();
    admin
        .unlink_connect(auth.user.unwrap().id.as_deref().unwrap())
        .await
        .unwrap();
    sim.revoke_tokens(&living);
    let err = mgr
        .call(&living, true, |c| async move { c.views().await })
        .await
        .unwrap_err();
    assert!(matches!(err, SessionError::SignInRequired { .. }), "{err}");
    assert!(err.to_string().contains("Emby Connect"), "says why: {err}");
    let creds = mgr.credentials();
    let saved = creds.servers.iter().find(|s| s.id == living).unwrap();
    assert!(
        saved.access_token.is_none(),
        "the refused token is not kept"
    );
    assert!(
        saved.exchange_token.is_some(),
        "the AccessKey is kept for the next connection"
    );
}

#[tokio::test]
async fn with_connect_black_holed_saved_servers_are_reached_at_once_and_the_list_comes_after() {
    let (sim, dir, _) = reached_demo().await;
    sim.set_connect_fault(Fault {
        blackhole: true,
        ..Fault::default()
    });
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let hub = emby_tui::session::Hub::open(
        session_config(&sim, dir.path()),
        Some(emby_tui::session::channel_sink(tx)),
    )
    .unwrap();
    let reports = hub.refresh().await.unwrap();
    assert!(
        reports.iter().all(|r| r.state == "signed_in"),
        "{reports:#?}"
    );
    let mut events = Vec::new();
    while let Ok(e) = rx.try_recv() {
        events.push(e);
    }
    let reached = |e: &emby_tui::session::Event| matches!(e, emby_tui::session::Event::Server(r) if r.state == "signed_in");
    let notice = events
        .iter()
        .position(|e| {
            matches!(e, emby_tui::session::Event::Notice(n) if n.contains("could not be fetched"))
        })
        .expect("the Connect list failure is told");
    let signed_in_before: usize = events[..notice].iter().filter(|e| reached(e)).count();
    assert_eq!(
        signed_in_before, 3,
        "every saved server was signed in before the Connect list gave up: {events:#?}"
    );
}

fn remembered_mode(dir: &std::path::Path, network: &str, server_id: &str) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("cache/routes.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["networks"][network]["servers"][server_id.to_ascii_lowercase()]["mode"]
        .as_str()
        .map(str::to_string)
}

#[tokio::test]
async fn the_winning_address_is_remembered_per_network_and_a_returning_lan_address_is_preferred() {
    let (sim, dir, _) = reached_demo().await;
    let cabin = id_of(&sim, "Cabin");
    let living = id_of(&sim, "Living Room");
    assert_eq!(
        remembered_mode(dir.path(), "test-network", &cabin).as_deref(),
        Some("remote"),
        "Cabin's LocalAddress is black-holed"
    );
    assert_eq!(
        remembered_mode(dir.path(), "test-network", &living).as_deref(),
        Some("local")
    );
    // another network starts with no memory of this one
    let mut cfg = session_config(&sim, dir.path());
    cfg.network = Some("cafe".into());
    assert!(remembered_mode(dir.path(), "cafe", &cabin).is_none());
    emby_tui::session::Hub::open(cfg, None)
        .unwrap()
        .refresh()
        .await
        .unwrap();
    assert_eq!(
        remembered_mode(dir.path(), "cafe", &cabin).as_deref(),
        Some("remote")
    );
    // Cabin's LAN address comes back: noticed (it wins or answers beside the remembered remote
    // Url) and preferred from then on
    sim.set_fault(&cabin, AddressKind::Local, Fault::default());
    let again = hub(&sim, dir.path());
    again.refresh().await.unwrap();
    assert_eq!(
        remembered_mode(dir.path(), "test-network", &cabin).as_deref(),
        Some("local")
    );
    let reports = hub(&sim, dir.path()).refresh().await.unwrap();
    assert_eq!(report(&reports, &cabin).mode, Some("local"));
}

#[tokio::test]
async fn the_list_keeps_its_order_through_refreshes_and_only_real_use_counts_as_use() {
    let (sim, dir, hub) = reached_demo().await;
    let order = |reports: &[ServerReport]| reports.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    let first = order(&hub.reports());
    assert!(
        hub.reports().iter().all(|r| r.last_used_ms == 0),
        "reaching a server is not using it"
    );
    // a refresh in which another server answers first reorders nothing
    let living = id_of(&sim, "Living Room");
    fault_everywhere(
        &sim,
        &living,
        Fault {
            delay_ms: 300,
            ..Fault::default()
        },
    );
    assert_eq!(order(&hub.refresh().await.unwrap()), first);
    // opening a server is using it: it comes first at the next start, not under the user now
    let cabin = id_of(&sim, "Cabin");
    hub.home(&cabin).await.unwrap();
    assert!(report(&hub.reports(), &cabin).last_used_ms > 0);
    assert_eq!(order(&hub.reports()), first, "no reordering during the run");
    let next_start = common::hub(&sim, dir.path());
    assert_eq!(next_start.reports()[0].id, cabin);
}

#[tokio::test]
async fn a_server_name_that_fits_two_servers_asks_for_more() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let servers: Vec<serde_json::Value> = ["Lounge", "Living Room"]
        .iter()
        .enumerate()
        .map(|(i, n)| serde_json::json!({"id": format!("id{i}"), "name": n, "manual_address": "http://127.0.0.1:1"}))
        .collect();
    std::fs::write(
        dir.path().join("credentials.json"),
        serde_json::to_vec(&serde_json::json!({"schema": 1, "servers": servers})).unwrap(),
    )
    .unwrap();
    let hub = hub(&sim, dir.path());
    assert_eq!(hub.server_named("LIVING").unwrap(), "id1");
    assert_eq!(hub.server_named("lounge").unwrap(), "id0");
    assert_eq!(hub.server_named("ID0").unwrap(), "id0");
    let err = hub.server_named("l").unwrap_err();
    assert!(matches!(err, SessionError::AmbiguousServer { .. }), "{err}");
    assert!(err.to_string().contains("Living Room or Lounge"), "{err}");
}
