//! [`ServerClient`]: calls to an Emby Server that need no token. The calls that turn it into a
//! signed-in client live with [`super::SignedInClient`], so this module knows nothing of tokens.

use std::time::Duration;

use reqwest::Method;
use url::Url;

use super::address::ServerAddress;
use super::query::ImageOptions;
use crate::emby::error::Error;
use crate::emby::http::{HttpClient, Request};
use crate::emby::identity::ClientIdentity;
use crate::emby::models::{
    AuthenticationResult, ConnectAuthenticationExchangeResult, PublicSystemInfo, UserDto,
};
use crate::emby::secret::Secret;

/// An Emby Server at one address, not signed in. Every request carries
/// `X-Emby-Authorization: MediaBrowser Client=…, Device=…, DeviceId=…, Version=…` (no token).
#[derive(Clone, Debug)]
pub struct ServerClient {
    pub(super) http: HttpClient,
    pub(super) address: ServerAddress,
    pub(super) identity: ClientIdentity,
}

impl ServerClient {
    /// A client of the server at `address`.
    pub fn new(http: HttpClient, address: ServerAddress, identity: ClientIdentity) -> Self {
        ServerClient {
            http,
            address,
            identity,
        }
    }

    /// The server's base address.
    pub fn address(&self) -> &ServerAddress {
        &self.address
    }

    /// Who we say we are.
    pub fn identity(&self) -> &ClientIdentity {
        &self.identity
    }

    /// The same client on another HTTP client (another connection pool).
    pub fn with_http(&self, http: HttpClient) -> Self {
        let mut copy = self.clone();
        copy.http = http;
        copy
    }

    /// The same client with another per-request timeout (e.g. a short one for a probe).
    pub fn with_timeout(&self, timeout: Duration) -> Self {
        let mut copy = self.clone();
        copy.http = self.http.with_request_timeout(timeout);
        copy
    }

    /// Who the server is: `GET /System/Info/Public` (reachability and identity probe).
    pub async fn public_info(&self) -> Result<PublicSystemInfo, Error> {
        let request = self.request(Method::GET, &["System", "Info", "Public"], &[]);
        self.http.json(request).await
    }

    /// Users for a login picker: `GET /Users/Public`.
    pub async fn public_users(&self) -> Result<Vec<UserDto>, Error> {
        let request = self.request(Method::GET, &["Users", "Public"], &[]);
        self.http.json(request).await
    }

    /// Local sign-in: `POST /Users/AuthenticateByName`, JSON `{Username, Pw}`.
    pub async fn authenticate_by_name(
        &self,
        username: &str,
        password: &Secret,
    ) -> Result<AuthenticationResult, Error> {
        let body = serde_json::json!({ "Username": username, "Pw": password.expose() });
        let request = self
            .request(Method::POST, &["Users", "AuthenticateByName"], &[])
            .json_body(&body)
            .scrub(password);
        self.http.json(request).await
    }

    /// Turns a Connect AccessKey into a local token: `GET /Connect/Exchange?format=json&ConnectUserId=`,
    /// with the key in `X-MediaBrowser-Token` and `X-Emby-Token` and our identity (no Token=) in
    /// `X-Emby-Authorization`. 404 means no local user is linked to that Connect user.
    pub async fn connect_exchange(
        &self,
        connect_user_id: &str,
        access_key: &Secret,
    ) -> Result<ConnectAuthenticationExchangeResult, Error> {
        let request = self
            .request(
                Method::GET,
                &["Connect", "Exchange"],
                &[("format", "json"), ("ConnectUserId", connect_user_id)],
            )
            .header_secret("x-mediabrowser-token", access_key, None)
            .header_secret("x-emby-token", access_key, None);
        self.http.json(request).await
    }

    /// An image URL: `/Items/{Id}/Images/{Type}[/{Index}]?tag=&maxWidth=&maxHeight=&quality=`.
    /// Carries no token (image requests need none), so it may be logged and cached.
    pub fn image_url(&self, item_id: &str, image_type: &str, options: &ImageOptions) -> Url {
        let index = options.index.map(|i| i.to_string());
        let mut segments = vec!["Items", item_id, "Images", image_type];
        if let Some(index) = index.as_deref() {
            segments.push(index);
        }
        let mut query: Vec<(&str, String)> = Vec::new();
        if let Some(tag) = &options.tag {
            query.push(("tag", tag.clone()));
        }
        let numbers = [
            ("maxWidth", options.max_width),
            ("maxHeight", options.max_height),
            ("quality", options.quality.map(u32::from)),
        ];
        query.extend(
            numbers
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?.to_string()))),
        );
        self.address.endpoint_with_query(&segments, &query)
    }

    /// A request with the identity header and no token.
    pub(super) fn request(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, &str)],
    ) -> Request {
        let url = self.address.endpoint_with_query(segments, query);
        self.http.request(method, url).header_str(
            "x-emby-authorization",
            self.identity.authorization(None).expose(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emby::http::HttpConfig;

    fn client(base: &str) -> ServerClient {
        ServerClient::new(
            HttpClient::new(HttpConfig::default()).unwrap(),
            ServerAddress::parse(base).unwrap(),
            ClientIdentity::new("box", "dev1"),
        )
    }

    #[test]
    fn image_url_has_tag_and_size_and_no_token() {
        let c = client("http://127.0.0.1:8096/prefix");
        let url = c.image_url(
            "item1",
            "Primary",
            &ImageOptions {
                tag: Some("abc".into()),
                max_width: Some(300),
                quality: Some(90),
                ..Default::default()
            },
        );
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:8096/prefix/emby/Items/item1/Images/Primary?tag=abc&maxWidth=300&quality=90"
        );
        let backdrop = c.image_url(
            "item1",
            "Backdrop",
            &ImageOptions {
                index: Some(2),
                ..Default::default()
            },
        );
        assert_eq!(
            backdrop.as_str(),
            "http://127.0.0.1:8096/prefix/emby/Items/item1/Images/Backdrop/2"
        );
    }

    use crate::emby::test_server::TestServer;

    fn at(server: &TestServer) -> ServerClient {
        client(&server.url())
    }

    #[tokio::test]
    async fn connect_exchange_sends_the_key_in_both_token_headers_and_no_token_in_the_identity() {
        let server = TestServer::json("200 OK", r#"{"LocalUserId":"u1","AccessToken":"t1"}"#).await;
        let (signed, _) = at(&server)
            .sign_in_with_connect("cu1", &Secret::new("key-1"))
            .await
            .unwrap();
        assert_eq!(signed.user_id(), "u1");
        assert_eq!(signed.token().expose(), "t1");
        let request = &server.requests()[0];
        assert!(
            request.starts_with("GET /emby/Connect/Exchange?format=json&ConnectUserId=cu1 "),
            "{request}"
        );
        assert!(request.contains("x-mediabrowser-token: key-1"), "{request}");
        assert!(request.contains("x-emby-token: key-1"), "{request}");
        assert!(request.contains("x-emby-authorization: MediaBrowser Client=\"emby-tui\", Device=\"box\", DeviceId=\"dev1\""), "{request}");
        assert!(!request.contains("Token=\""), "{request}");
    }

    #[tokio::test]
    async fn authenticate_by_name_posts_username_and_pw_as_json() {
        let server = TestServer::json(
            "200 OK",
            r#"{"User":{"Id":"u1"},"AccessToken":"t1","ServerId":"s1"}"#,
        )
        .await;
        let (signed, result) = at(&server)
            .sign_in_by_name("anna", &Secret::new("pw"))
            .await
            .unwrap();
        assert_eq!(signed.user_id(), "u1");
        assert_eq!(result.server_id.as_deref(), Some("s1"));
        let request = &server.requests()[0];
        assert!(
            request.starts_with("POST /emby/Users/AuthenticateByName "),
            "{request}"
        );
        assert!(
            request.ends_with(r#"{"Pw":"pw","Username":"anna"}"#)
                || request.ends_with(r#"{"Username":"anna","Pw":"pw"}"#),
            "{request}"
        );
    }

    #[tokio::test]
    async fn a_sign_in_reply_without_token_is_not_understood() {
        let server = TestServer::json("200 OK", r#"{"User":{"Id":"u1"}}"#).await;
        let err = at(&server)
            .sign_in_by_name("anna", &Secret::new("pw"))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::NotUnderstood { detail, .. } if detail.contains("AccessToken")),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn public_calls_send_identity_without_token() {
        let server = TestServer::json(
            "200 OK",
            r#"[{"Name":"anna","Id":"u1","HasPassword":true}]"#,
        )
        .await;
        let users = at(&server).public_users().await.unwrap();
        assert_eq!(users[0].name.as_deref(), Some("anna"));
        let request = &server.requests()[0];
        assert!(request.starts_with("GET /emby/Users/Public "), "{request}");
        assert!(
            request.contains("x-emby-authorization: MediaBrowser"),
            "{request}"
        );
        assert!(!request.contains("Token="), "{request}");
    }
}
