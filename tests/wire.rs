//! The wire client against the simulator: every endpoint, every fault, bad replies.
//!
//! PENDING: this file is named `wire.rs.pending` so cargo does not compile it until `src/sim`
//! lands (it uses the Sim API of notes/contract.md). Rename it to `tests/wire.rs` then. The
//! scenario below follows the scenario schema drafted in the simulator branch; adjust keys if
//! that schema changed.
//!
//! Timing: nothing here asserts on elapsed time; faults that hang use short client timeouts and
//! only the error kind is checked.

use std::time::Duration;

use emby_tui::emby::models::BaseItemDto;
use emby_tui::emby::server::{ImageOptions, ItemsQuery, MediaKind, StreamOptions};
use emby_tui::emby::{
    ClientIdentity, ConnectClient, DiscoveryConfig, Error, HttpClient, HttpConfig, Secret,
    ServerAddress, ServerClient, SignedInClient, discover,
};
use emby_tui::sim::{AddressKind, Fault, Scenario, Sim, SimServer};

const SCENARIO: &str = r#"
[connect]
[[connect.users]]
name = "anna"
email = "anna@example.org"
password = "connect-pw"
[[connect.users]]
name = "bob"
email = "bob@example.org"
password = "bob-pw"

[[servers]]
name = "Den"
[[servers.users]]
name = "admin"
password = "local-pw"
admin = true
connect = "anna"
[[servers.users]]
name = "carl"
password = "carl-pw"

[[servers]]
name = "Shared"
[[servers.users]]
name = "anna-guest"
hidden = true
connect = "anna"
link = "Guest"

[[servers]]
name = "Invites"
discoverable = false
[[servers.users]]
name = "anna-invited"
hidden = true
connect = "anna"
link = "Guest"
pending = true
"#;

const DEVICE_ID: &str = "0123456789abcdef0123456789abcdef";

async fn sim() -> Sim {
    Sim::start(Scenario::from_toml_str(SCENARIO).expect("scenario parses"))
        .await
        .expect("simulator starts")
}

fn identity() -> ClientIdentity {
    ClientIdentity::new("test-box", DEVICE_ID)
}

fn http() -> HttpClient {
    HttpClient::new(HttpConfig::default()).unwrap()
}

fn connect(sim: &Sim) -> ConnectClient {
    ConnectClient::with_base_url(http(), &identity(), &sim.connect_url()).unwrap()
}

fn server_at(url: &str) -> ServerClient {
    ServerClient::new(http(), ServerAddress::parse(url).unwrap(), identity())
}

fn den(sim: &Sim) -> SimServer {
    sim.server("Den").expect("Den is in the scenario")
}

async fn admin(sim: &Sim) -> SignedInClient {
    let (client, _) = server_at(&den(sim).local_url)
        .sign_in_by_name("admin", &Secret::new("local-pw"))
        .await
        .expect("admin signs in");
    client
}

/// Asserts no secret of this test appears in an error's Display or Debug.
fn assert_no_secret(err: &Error, secrets: &[&str]) {
    let shown = format!("{err} {err:?}");
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret} leaked into {shown}");
    }
}

// ---------------------------------------------------------------- Connect

#[tokio::test]
async fn connect_password_sign_in_then_servers_list_linked_and_guest() {
    let sim = sim().await;
    let signed = connect(&sim)
        .sign_in("anna", &Secret::new("connect-pw"))
        .await
        .unwrap();
    let session = connect(&sim).session(signed.user_id.clone(), signed.access_token.clone());
    let servers = session.servers().await.unwrap();
    let den_entry = servers
        .iter()
        .find(|s| s.system_id.as_deref() == Some(den(&sim).id.as_str()))
        .expect("Den listed");
    assert!(!den_entry.is_guest());
    assert!(den_entry.access_key.is_some());
    assert_eq!(
        den_entry.local_address.as_deref(),
        Some(den(&sim).local_url.as_str())
    );
    assert_eq!(
        den_entry.url.as_deref(),
        Some(den(&sim).remote_url.as_str())
    );
    let shared = sim.server("Shared").unwrap();
    assert!(
        servers
            .iter()
            .any(|s| s.system_id.as_deref() == Some(shared.id.as_str()) && s.is_guest())
    );
    let user = session.user().await.unwrap();
    assert_eq!(user.name.as_deref(), Some("anna"));

    let requests = sim.connect_requests();
    assert!(
        requests.iter().all(|r| r.mentions("emby-tui/")),
        "X-Application on every call"
    );
    let servers_call = requests
        .iter()
        .find(|r| r.path.ends_with("/servers"))
        .unwrap();
    assert!(
        servers_call.mentions(signed.access_token.expose()),
        "X-Connect-UserToken sent"
    );
}

#[tokio::test]
async fn connect_sign_in_by_email_works_and_a_wrong_password_is_a_status_error() {
    let sim = sim().await;
    connect(&sim)
        .sign_in("anna@example.org", &Secret::new("connect-pw"))
        .await
        .unwrap();
    let err = connect(&sim)
        .sign_in("anna", &Secret::new("wrong-pw"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Status {
                status: 400..=499,
                ..
            }
        ),
        "{err:?}"
    );
    assert_no_secret(&err, &["wrong-pw"]);
}

#[tokio::test]
async fn connect_pin_flow_create_poll_confirm_exchange() {
    let sim = sim().await;
    let c = connect(&sim);
    let pin = c.create_pin(DEVICE_ID).await.unwrap();
    assert!(!pin.pin.is_empty());
    let status = c.pin_status(DEVICE_ID, &pin.pin).await.unwrap();
    assert!(!status.is_confirmed && !status.is_expired);
    assert!(sim.confirm_pin(&pin.pin, "anna"));
    assert!(
        c.pin_status(DEVICE_ID, &pin.pin)
            .await
            .unwrap()
            .is_confirmed
    );
    let exchanged = c.exchange_pin(DEVICE_ID, &pin.pin).await.unwrap();
    let token = exchanged.access_token.expect("token");
    let user_id = exchanged.user_id.expect("user id");
    let servers = c.session(user_id, token).servers().await.unwrap();
    assert!(!servers.is_empty());
}

#[tokio::test]
async fn connect_expired_pin_reads_expired() {
    let sim = sim().await;
    let c = connect(&sim);
    let pin = c.create_pin(DEVICE_ID).await.unwrap();
    sim.expire_pins();
    assert!(c.pin_status(DEVICE_ID, &pin.pin).await.unwrap().is_expired);
    assert!(c.exchange_pin(DEVICE_ID, &pin.pin).await.is_err());
}

#[tokio::test]
async fn connect_invitations_accept_and_reject() {
    let sim = sim().await;
    let signed = connect(&sim)
        .sign_in("anna", &Secret::new("connect-pw"))
        .await
        .unwrap();
    let session = connect(&sim).session(signed.user_id, signed.access_token);
    let invites = session.invitations().await.unwrap();
    let invite = invites
        .iter()
        .find(|s| s.name.as_deref() == Some("Invites"))
        .expect("the pending invitation is listed");
    let connect_id = invite.id.clone().expect("Connect registration id");
    session.accept_invitation(&connect_id).await.unwrap();
    let servers = session.servers().await.unwrap();
    assert!(
        servers
            .iter()
            .any(|s| s.id.as_deref() == Some(connect_id.as_str()))
    );
    session.reject_invitation(&connect_id).await.unwrap();
    let servers = session.servers().await.unwrap();
    assert!(
        !servers
            .iter()
            .any(|s| s.id.as_deref() == Some(connect_id.as_str()))
    );
}

#[tokio::test]
async fn connect_sign_up_and_logout() {
    let sim = sim().await;
    let c = connect(&sim);
    let result = c
        .sign_up("new@example.org", "newbie", &Secret::new("newbie-pw-1"))
        .await
        .unwrap();
    assert!(result.is_success(), "{result:?}");
    let signed = c
        .sign_in("newbie", &Secret::new("newbie-pw-1"))
        .await
        .unwrap();
    let session = c.session(signed.user_id, signed.access_token);
    session.logout().await.unwrap();
    let err = session.servers().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    let requests = sim.connect_requests();
    assert!(
        requests
            .iter()
            .any(|r| r.path.ends_with("/register") && r.mentions("CONNECT-REGISTER"))
    );
}

// ---------------------------------------------------------------- Server, anonymous

#[tokio::test]
async fn public_info_answers_with_the_server_id_on_both_addresses() {
    let sim = sim().await;
    let den = den(&sim);
    for url in [&den.local_url, &den.remote_url] {
        let info = server_at(url).public_info().await.unwrap();
        assert_eq!(info.id.as_deref(), Some(den.id.as_str()));
        assert_eq!(info.server_name.as_deref(), Some("Den"));
        assert!(info.version.as_deref().unwrap_or_default().starts_with('4'));
    }
    let users = server_at(&den.local_url).public_users().await.unwrap();
    assert!(users.iter().any(|u| u.name.as_deref() == Some("carl")));
}

#[tokio::test]
async fn local_sign_in_and_a_wrong_password_gives_401() {
    let sim = sim().await;
    let client = admin(&sim).await;
    assert!(!client.user_id().is_empty());
    let err = server_at(&den(&sim).local_url)
        .sign_in_by_name("admin", &Secret::new("nope-pw"))
        .await
        .unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    assert_no_secret(&err, &["nope-pw"]);
}

#[tokio::test]
async fn connect_exchange_turns_the_access_key_into_a_working_token() {
    let sim = sim().await;
    let signed = connect(&sim)
        .sign_in("anna", &Secret::new("connect-pw"))
        .await
        .unwrap();
    let servers = connect(&sim)
        .session(signed.user_id.clone(), signed.access_token)
        .servers()
        .await
        .unwrap();
    let den = den(&sim);
    let key = servers
        .iter()
        .find(|s| s.system_id.as_deref() == Some(den.id.as_str()))
        .and_then(|s| s.access_key.clone())
        .unwrap();
    let (client, _) = server_at(&den.remote_url)
        .sign_in_with_connect(&signed.user_id, &key)
        .await
        .unwrap();
    client.system_info().await.unwrap();
    let exchange = sim
        .requests(&den.id, AddressKind::Remote)
        .into_iter()
        .find(|r| r.path.to_ascii_lowercase().ends_with("/connect/exchange"))
        .unwrap();
    let has = |name: &str| {
        exchange
            .headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case(name) && v == key.expose())
    };
    assert!(has("x-emby-token") && has("x-mediabrowser-token"));

    let err = server_at(&den.remote_url)
        .connect_exchange(&signed.user_id, &Secret::new("not-a-key"))
        .await
        .unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    let err = server_at(&den.remote_url)
        .connect_exchange("no-such-connect-user", &key)
        .await
        .unwrap_err();
    assert!(err.status().is_some(), "{err:?}");
}

// ---------------------------------------------------------------- Server, signed in

#[tokio::test]
async fn library_calls_browse_views_items_and_details() {
    let sim = sim().await;
    let client = admin(&sim).await;
    let info = client.system_info().await.unwrap();
    assert_eq!(info.id.as_deref(), Some(den(&sim).id.as_str()));

    let views = client.views().await.unwrap();
    assert!(!views.items.is_empty());
    let movies = views
        .items
        .iter()
        .find(|v| v.collection_type.as_deref() == Some("movies"))
        .expect("a movies view");
    let page = client
        .items(&ItemsQuery {
            parent_id: movies.id.clone(),
            start_index: Some(5),
            limit: Some(10),
            enable_total_record_count: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.items.len(), 10);
    assert!(page.total_record_count.unwrap_or(0) >= 15);
    let first: &BaseItemDto = &page.items[0];
    let id = first.id.clone().unwrap();
    let detail = client.item(&id).await.unwrap();
    assert_eq!(detail.id.as_deref(), Some(id.as_str()));
    let err = client
        .item("ffffffffffffffffffffffffffffffff")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");

    let found = client
        .items(&ItemsQuery {
            search_term: first.name.clone(),
            recursive: Some(true),
            include_item_types: vec!["Movie".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(found.items.iter().any(|i| i.id == first.id));

    client.resume(&ItemsQuery::default()).await.unwrap();
    let latest = client
        .latest(&ItemsQuery {
            limit: Some(5),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(latest.len() <= 5);
    client.next_up(&ItemsQuery::default()).await.unwrap();
}

#[tokio::test]
async fn played_and_favourite_change_user_data() {
    let sim = sim().await;
    let client = admin(&sim).await;
    let page = client
        .items(&ItemsQuery {
            recursive: Some(true),
            include_item_types: vec!["Movie".into()],
            limit: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    let id = page.items[0].id.clone().unwrap();
    assert_eq!(
        client.set_played(&id, true).await.unwrap().played,
        Some(true)
    );
    assert_eq!(
        client.item(&id).await.unwrap().user_data.unwrap().played,
        Some(true)
    );
    assert_eq!(
        client.set_played(&id, false).await.unwrap().played,
        Some(false)
    );
    assert_eq!(
        client.set_favorite(&id, true).await.unwrap().is_favorite,
        Some(true)
    );
    assert_eq!(
        client.set_favorite(&id, false).await.unwrap().is_favorite,
        Some(false)
    );
}

#[tokio::test]
async fn images_playback_info_and_stream_url_serve_content() {
    let sim = sim().await;
    let client = admin(&sim).await;
    let page = client
        .items(&ItemsQuery {
            recursive: Some(true),
            include_item_types: vec!["Movie".into()],
            limit: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    let movie = &page.items[0];
    let id = movie.id.clone().unwrap();
    let tag = movie.image_tags.get("Primary").cloned();
    let image = client.server().image_url(
        &id,
        "Primary",
        &ImageOptions {
            tag,
            max_width: Some(200),
            ..Default::default()
        },
    );
    let bytes = reqwest::get(image).await.unwrap().bytes().await.unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "a PNG image");

    let info = client.playback_info(&id).await.unwrap();
    let source = info.media_sources.first().expect("a media source");
    let url = client.stream_url(
        &id,
        &StreamOptions {
            kind: MediaKind::Video,
            container: source.container.clone(),
            media_source_id: source.id.clone(),
            play_session_id: info.play_session_id.clone(),
        },
    );
    assert!(!format!("{url:?}").contains(client.token().expose()));
    let response = reqwest::get(url.expose()).await.unwrap();
    assert!(response.status().is_success());
}

#[tokio::test]
async fn logout_and_revocation_make_the_token_401() {
    let sim = sim().await;
    let client = admin(&sim).await;
    client.logout().await.unwrap();
    assert!(client.views().await.unwrap_err().is_unauthorized());

    let client = admin(&sim).await;
    sim.revoke_tokens(&den(&sim).id);
    let err = client.system_info().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    assert_no_secret(&err, &[client.token().expose()]);
}

#[tokio::test]
async fn admin_links_unlinks_and_lists_pending() {
    let sim = sim().await;
    let client = admin(&sim).await;
    let carl = server_at(&den(&sim).local_url)
        .public_users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name.as_deref() == Some("carl"))
        .and_then(|u| u.id)
        .unwrap();
    let link = client.link_connect(&carl, "bob").await.unwrap();
    assert!(
        link.is_pending.is_some()
            || link.guest_display_name.is_some()
            || link.is_new_user_invitation.is_some()
    );
    client.pending_connect().await.unwrap();
    client.unlink_connect(&carl).await.unwrap();
}

#[tokio::test]
async fn the_token_travels_inside_x_emby_authorization() {
    let sim = sim().await;
    let client = admin(&sim).await;
    sim.clear_requests();
    client.views().await.unwrap();
    let den = den(&sim);
    let request = sim.requests(&den.id, AddressKind::Local).pop().unwrap();
    let header = request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("x-emby-authorization"))
        .map(|(_, v)| v.clone())
        .unwrap();
    assert!(header.starts_with("MediaBrowser Client=\"emby-tui\""));
    assert!(header.contains(&format!("DeviceId=\"{DEVICE_ID}\"")));
    assert!(header.contains(&format!("Token=\"{}\"", client.token().expose())));
}

// ---------------------------------------------------------------- Discovery

#[tokio::test]
async fn discovery_finds_the_discoverable_servers_once_each() {
    let sim = sim().await;
    let found = discover(&DiscoveryConfig {
        target: sim.discovery_addr(),
        listen_for: Duration::from_millis(500),
        ..Default::default()
    })
    .await
    .unwrap();
    let mut ids: Vec<_> = found.iter().map(|s| s.id.clone()).collect();
    ids.sort();
    let mut expected: Vec<_> = ["Den", "Shared"]
        .iter()
        .map(|n| sim.server(n).unwrap().id)
        .collect();
    expected.sort();
    assert_eq!(ids, expected);
}

// ---------------------------------------------------------------- Faults

fn fault(f: impl FnOnce(&mut Fault)) -> Fault {
    let mut fault = Fault::default();
    f(&mut fault);
    fault
}

/// Sets a fault on Den's local address and returns the error of a public-info probe with a short timeout.
async fn probe_with(
    sim: &Sim,
    f: Fault,
    timeout: Duration,
) -> Result<emby_tui::emby::models::PublicSystemInfo, Error> {
    let den = den(sim);
    sim.set_fault(&den.id, AddressKind::Local, f);
    server_at(&den.local_url)
        .with_timeout(timeout)
        .public_info()
        .await
}

#[tokio::test]
async fn blackhole_times_out() {
    let sim = sim().await;
    let err = probe_with(
        &sim,
        fault(|f| f.blackhole = true),
        Duration::from_millis(300),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::TimedOut { .. }), "{err:?}");
    assert!(err.is_network());
}

#[tokio::test]
async fn refused_and_down_are_unreachable() {
    let sim = sim().await;
    let err = probe_with(&sim, fault(|f| f.refuse = true), Duration::from_secs(5))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unreachable { .. }), "{err:?}");
    let err = probe_with(&sim, fault(|f| f.down = true), Duration::from_secs(5))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unreachable { .. }), "{err:?}");
}

#[tokio::test]
async fn impostor_answers_with_another_id() {
    let sim = sim().await;
    let info = probe_with(&sim, fault(|f| f.impostor = true), Duration::from_secs(5))
        .await
        .unwrap();
    assert_ne!(info.id.as_deref(), Some(den(&sim).id.as_str()));
}

#[tokio::test]
async fn delay_longer_than_the_timeout_times_out_and_shorter_succeeds() {
    let sim = sim().await;
    let err = probe_with(
        &sim,
        fault(|f| f.delay_ms = 2_000),
        Duration::from_millis(200),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::TimedOut { .. }), "{err:?}");
    probe_with(&sim, fault(|f| f.delay_ms = 50), Duration::from_secs(10))
        .await
        .unwrap();
}

#[tokio::test]
async fn http_500_is_a_status_error_with_a_message() {
    let sim = sim().await;
    let err = probe_with(&sim, fault(|f| f.http_500 = true), Duration::from_secs(5))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Status { status: 500, message, .. } if !message.is_empty()),
        "{err:?}"
    );
}

#[tokio::test]
async fn malformed_json_and_wrong_types_are_not_understood() {
    let sim = sim().await;
    let err = probe_with(
        &sim,
        fault(|f| f.malformed_json = true),
        Duration::from_secs(5),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::NotUnderstood { .. }), "{err:?}");

    let den = den(&sim);
    sim.set_fault(&den.id, AddressKind::Local, Fault::default());
    let client = admin(&sim).await;
    sim.set_fault(&den.id, AddressKind::Local, fault(|f| f.wrong_types = true));
    let err = client.views().await.unwrap_err();
    match &err {
        Error::NotUnderstood { detail, .. } => {
            assert!(detail.contains('`'), "names a field: {detail}")
        }
        other => panic!("{other:?}"),
    }
    assert_no_secret(&err, &[client.token().expose()]);
}

#[tokio::test]
async fn oversize_body_is_too_large_under_a_small_cap() {
    let sim = sim().await;
    let den = den(&sim);
    sim.set_fault(
        &den.id,
        AddressKind::Local,
        fault(|f| f.oversize_body = true),
    );
    let small = http().with_max_body(1024 * 1024);
    let err = ServerClient::new(
        small,
        ServerAddress::parse(&den.local_url).unwrap(),
        identity(),
    )
    .public_info()
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooLarge {
                limit: 1_048_576,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn revoke_tokens_fault_makes_calls_401() {
    let sim = sim().await;
    let client = admin(&sim).await;
    sim.set_fault(
        &den(&sim).id,
        AddressKind::Local,
        fault(|f| f.revoke_tokens = true),
    );
    assert!(client.views().await.unwrap_err().is_unauthorized());
}

#[tokio::test]
async fn connect_faults_give_typed_errors() {
    let sim = sim().await;
    let c = connect(&sim);
    let pw = Secret::new("connect-pw");
    sim.set_connect_fault(fault(|f| f.http_500 = true));
    assert_eq!(
        c.sign_in("anna", &pw).await.unwrap_err().status(),
        Some(500)
    );
    sim.set_connect_fault(fault(|f| f.malformed_json = true));
    assert!(matches!(
        c.sign_in("anna", &pw).await.unwrap_err(),
        Error::NotUnderstood { .. }
    ));
    sim.set_connect_fault(fault(|f| f.refuse = true));
    assert!(c.sign_in("anna", &pw).await.unwrap_err().is_network());
    sim.set_connect_fault(fault(|f| f.down = true));
    assert!(c.sign_in("anna", &pw).await.unwrap_err().is_network());
    let slow = ConnectClient::with_base_url(
        http().with_request_timeout(Duration::from_millis(300)),
        &identity(),
        &sim.connect_url(),
    )
    .unwrap();
    sim.set_connect_fault(fault(|f| f.blackhole = true));
    let err = slow.sign_in("anna", &pw).await.unwrap_err();
    assert!(matches!(err, Error::TimedOut { .. }), "{err:?}");
    assert_no_secret(&err, &["connect-pw"]);
}
