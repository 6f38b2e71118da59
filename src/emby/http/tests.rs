//! The HTTP layer against a raw responder: caps, statuses, transport failures, no secret in errors.

use std::time::Duration;

use reqwest::Method;
use url::Url;

use super::*;
use crate::emby::models::PublicSystemInfo;
use crate::emby::test_server::{Behaviour, TestServer, response};

fn http(max_body: usize) -> HttpClient {
    HttpClient::new(HttpConfig {
        max_body,
        ..HttpConfig::default()
    })
    .unwrap()
}

fn url(server: &TestServer, path_and_query: &str) -> Url {
    Url::parse(&format!("{}{path_and_query}", server.url())).unwrap()
}

#[tokio::test]
async fn a_small_json_reply_decodes() {
    let server = TestServer::json("200 OK", r#"{"Id":"s1","ServerName":"Den"}"#).await;
    let info: PublicSystemInfo = http(1024)
        .json(http(1024).request(Method::GET, url(&server, "/emby/System/Info/Public")))
        .await
        .unwrap();
    assert_eq!(info.id.as_deref(), Some("s1"));
}

#[tokio::test]
async fn a_body_over_the_cap_with_content_length_is_too_large() {
    let body = vec![b' '; 5000];
    let server = TestServer::start(Behaviour::Reply(response(
        "200 OK",
        "application/json",
        &body,
    )))
    .await;
    let client = http(4096);
    let err = client
        .bytes(client.request(Method::GET, url(&server, "/emby/Users/u/Items")))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TooLarge { limit: 4096, endpoint } if endpoint == "/emby/Users/u/Items"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_chunked_body_over_the_cap_is_too_large() {
    // no Content-Length: the cap must be enforced while reading
    let mut raw = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    for _ in 0..10 {
        raw.extend_from_slice(b"3e8\r\n");
        raw.extend_from_slice(&[b' '; 1000]);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    let server = TestServer::start(Behaviour::Reply(raw)).await;
    let client = http(4096);
    let err = client
        .bytes(client.request(Method::GET, url(&server, "/x")))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::TooLarge { limit: 4096, .. }),
        "{err:?}"
    );
    // and the same reply under a larger cap is read whole
    let client = http(20_000);
    let body = client
        .bytes(client.request(Method::GET, url(&server, "/x")))
        .await
        .unwrap();
    assert_eq!(body.len(), 10_000);
}

#[tokio::test]
async fn an_error_status_carries_the_servers_message_and_code() {
    let raw = b"HTTP/1.1 401 Unauthorized\r\nX-Application-Error-Code: ParentalControl\r\nContent-Length: 28\r\nConnection: close\r\n\r\nAccess token is required.\n\n ".to_vec();
    let server = TestServer::start(Behaviour::Reply(raw)).await;
    let client = http(1024);
    let err = client
        .bytes(client.request(
            Method::GET,
            url(&server, "/emby/System/Info?api_key=SECRET1"),
        ))
        .await
        .unwrap_err();
    match &err {
        Error::Status {
            endpoint,
            status,
            message,
            error_code,
        } => {
            assert_eq!(endpoint, "/emby/System/Info");
            assert_eq!(*status, 401);
            assert_eq!(message, "Access token is required.");
            assert_eq!(error_code.as_deref(), Some("ParentalControl"));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_unauthorized());
    assert!(!err.to_string().contains("SECRET1"));
}

#[tokio::test]
async fn an_html_error_page_gives_the_reason_phrase() {
    let server = TestServer::start(Behaviour::Reply(response(
        "500 Internal Server Error",
        "text/html",
        b"<html><body>boom</body></html>",
    )))
    .await;
    let client = http(1024);
    let err = client
        .empty(client.request(Method::POST, url(&server, "/x")))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Status { status: 500, message, .. } if message == "Internal Server Error"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_server_echoing_our_token_has_it_scrubbed_from_the_message() {
    let server = TestServer::json(
        "400 Bad Request",
        r#"{"Message":"bad token tok-XYZ given"}"#,
    )
    .await;
    let client = http(1024);
    let token = Secret::new("tok-XYZ");
    let err = client
        .bytes(
            client
                .request(Method::GET, url(&server, "/x"))
                .header_secret("x-emby-token", &token, None),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Status { message, .. } if message == "bad token <redacted> given"),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains("tok-XYZ"));
}

#[tokio::test]
async fn a_refused_connection_is_unreachable_and_names_no_query() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = http(1024);
    let target = Url::parse(&format!(
        "http://{addr}/emby/Videos/1/stream?api_key=SECRET2"
    ))
    .unwrap();
    let err = client
        .bytes(client.request(Method::GET, target))
        .await
        .unwrap_err();
    match &err {
        Error::Unreachable { address, cause } => {
            assert_eq!(address, &format!("http://{addr}/emby/Videos/1/stream"));
            assert_eq!(cause, "connection refused");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_network());
    assert!(!format!("{err} {err:?}").contains("SECRET2"));
}

#[tokio::test]
async fn a_connection_closed_without_answer_is_unreachable() {
    let server = TestServer::start(Behaviour::Hangup).await;
    let client = http(1024);
    let err = client
        .bytes(client.request(Method::GET, url(&server, "/x")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unreachable { .. }), "{err:?}");
}

#[tokio::test(start_paused = true)]
async fn a_server_that_never_answers_times_out_after_the_request_timeout() {
    let server = TestServer::start(Behaviour::Silent).await;
    let client = HttpClient::new(HttpConfig {
        request_timeout: Duration::from_secs(7),
        ..HttpConfig::default()
    })
    .unwrap();
    let err = client
        .bytes(client.request(Method::GET, url(&server, "/x?api_key=S3")))
        .await
        .unwrap_err();
    match &err {
        Error::TimedOut { address, .. } => assert_eq!(address, &format!("{}/x", server.url())),
        other => panic!("{other:?}"),
    }
    assert!(!err.to_string().contains("S3"));
}

#[test]
fn a_header_value_a_header_cannot_carry_is_refused_before_sending() {
    let client = http(1024);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let err = rt
        .block_on(
            client.bytes(
                client
                    .request(Method::GET, Url::parse("http://127.0.0.1:9/x").unwrap())
                    .header_secret("x-emby-token", &Secret::new("line\nbreak"), None),
            ),
        )
        .unwrap_err();
    assert!(matches!(err, Error::NotUnderstood { .. }), "{err:?}");
    assert!(!err.to_string().contains("line"));
}

// ---- redirects: a credential goes only to the origin it was meant for ----

/// A redirect reply to `location`.
fn redirect(status: u16, location: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} Moved\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .into_bytes()
}

#[test]
fn only_the_same_origin_may_be_followed_and_never_a_downgrade() {
    let u = |s: &str| Url::parse(s).unwrap();
    assert!(may_follow(
        &u("http://10.0.0.5:8096/emby/a"),
        &u("http://10.0.0.5:8096/emby/b?x=1")
    ));
    assert!(may_follow(
        &u("https://media.example.org/emby/a"),
        &u("https://media.example.org:443/b")
    ));
    // another port of the same host
    assert!(!may_follow(
        &u("http://10.0.0.5:8096/a"),
        &u("http://10.0.0.5:8097/a")
    ));
    // https -> http on the same host and port: a downgrade
    assert!(!may_follow(
        &u("https://media.example.org/a"),
        &u("http://media.example.org/a")
    ));
    assert!(!may_follow(
        &u("https://media.example.org:8920/a"),
        &u("http://media.example.org:8920/a")
    ));
    // http -> https is another origin too: the user is told the address to use instead
    assert!(!may_follow(
        &u("http://media.example.org/a"),
        &u("https://media.example.org/a")
    ));
    // another host
    assert!(!may_follow(
        &u("http://10.0.0.5:8096/a"),
        &u("http://10.0.0.6:8096/a")
    ));
}

/// One kind of credential and the call that carries it.
#[derive(Clone, Copy, Debug)]
enum Credential {
    ConnectPassword,
    ConnectUserToken,
    AccessKey,
    ServerToken,
    LocalPassword,
}

const CREDENTIALS: [Credential; 5] = [
    Credential::ConnectPassword,
    Credential::ConnectUserToken,
    Credential::AccessKey,
    Credential::ServerToken,
    Credential::LocalPassword,
];

/// Makes the call that carries `credential` against `base`; returns its error (None if it worked).
async fn call_with(credential: Credential, base: &str) -> Option<Error> {
    use crate::emby::identity::ClientIdentity;
    use crate::emby::server::{ServerAddress, ServerClient};
    use crate::emby::{ConnectClient, Secret};
    let http = HttpClient::new(HttpConfig::default()).unwrap();
    let identity = ClientIdentity::new("box", "dev1");
    let connect = || {
        ConnectClient::with_base_url(http.clone(), &identity, &format!("{base}/service/")).unwrap()
    };
    let server = || {
        ServerClient::new(
            http.clone(),
            ServerAddress::parse(base).unwrap(),
            identity.clone(),
        )
    };
    match credential {
        Credential::ConnectPassword => connect()
            .sign_in("anna", &Secret::new("pw-SECRET"))
            .await
            .err(),
        Credential::ConnectUserToken => connect()
            .session("cu1", Secret::new("ctok-SECRET"))
            .servers()
            .await
            .err(),
        Credential::AccessKey => server()
            .connect_exchange("cu1", &Secret::new("key-SECRET"))
            .await
            .err(),
        Credential::ServerToken => server()
            .with_token("u1", Secret::new("tok-SECRET"))
            .views()
            .await
            .err(),
        Credential::LocalPassword => server()
            .authenticate_by_name("anna", &Secret::new("pw-SECRET"))
            .await
            .err(),
    }
}

#[tokio::test]
async fn no_credential_follows_a_redirect_to_another_port_whatever_the_status() {
    for status in [301, 302, 303, 307, 308] {
        for credential in CREDENTIALS {
            let elsewhere = TestServer::json("200 OK", "{}").await;
            let location = format!("{}/service/elsewhere?x=1", elsewhere.url());
            let origin = TestServer::start(Behaviour::Reply(redirect(status, &location))).await;
            let err = call_with(credential, &origin.url())
                .await
                .unwrap_or_else(|| {
                    panic!("{credential:?} after {status}: a redirect is no answer")
                });
            assert!(
                matches!(&err, Error::Redirected { status: s, to, .. } if *s == status && *to == elsewhere.url()),
                "{credential:?} after {status}: {err:?}"
            );
            let text = err.to_string();
            assert!(!text.contains("SECRET") && !text.contains("x=1"), "{text}");
            assert_eq!(origin.requests().len(), 1, "{credential:?} after {status}");
            assert!(
                elsewhere.requests().is_empty(),
                "{credential:?} after {status} reached the other port: {:?}",
                elsewhere.requests()
            );
        }
    }
}

#[tokio::test]
async fn a_redirect_within_the_same_origin_is_followed_with_its_credential() {
    for status in [302, 307, 308] {
        let server = TestServer::start(Behaviour::Script(vec![
            redirect(status, "/emby/Users/u1/Views/again"),
            response(
                "200 OK",
                "application/json",
                br#"{"Items":[],"TotalRecordCount":0}"#,
            ),
        ]))
        .await;
        assert!(
            call_with(Credential::ServerToken, &server.url())
                .await
                .is_none()
        );
        let requests = server.requests();
        assert_eq!(requests.len(), 2, "{status}");
        assert!(
            requests[1].starts_with("GET /emby/Users/u1/Views/again "),
            "{}",
            requests[1]
        );
        assert!(
            requests[1].contains("Token=\"tok-SECRET\""),
            "{}",
            requests[1]
        );
    }
}
