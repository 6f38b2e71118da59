//! The Emby Connect client (protocol.md §2): sign-in by password or PIN, sign-up, and — once
//! signed in — the user's servers, invitations and logout.
//!
//! [`ConnectClient`] makes the anonymous calls; [`ConnectSession`] (from [`ConnectClient::session`])
//! holds the Connect user token and is the only type that can make the user's calls.

use reqwest::Method;
use url::Url;

use super::error::{Error, redact_str};
use super::http::{HttpClient, Request};
use super::identity::ClientIdentity;
use super::models::{
    ConnectServer, ConnectSignIn, ConnectUser, PinCreationResult, PinExchangeResult,
    PinStatusResult, SignUpResult,
};
use super::secret::Secret;

/// The real Emby Connect service.
pub const DEFAULT_CONNECT_URL: &str = "https://connect.emby.media/service/";

/// Anonymous Emby Connect calls. Every request carries `X-Application: emby-tui/<version>`.
#[derive(Clone, Debug)]
pub struct ConnectClient {
    http: HttpClient,
    base: Url,
    application: String,
}

impl ConnectClient {
    /// A client of the real service at [`DEFAULT_CONNECT_URL`].
    pub fn new(http: HttpClient, identity: &ClientIdentity) -> Self {
        let base = Url::parse(DEFAULT_CONNECT_URL).expect("the default Connect URL is valid");
        ConnectClient {
            http,
            base,
            application: identity.application(),
        }
    }

    /// A client of the service at `base` (e.g. a simulator's `http://127.0.0.1:P/service/`).
    /// Paths are joined relative to it; a missing trailing `/` is added.
    pub fn with_base_url(
        http: HttpClient,
        identity: &ClientIdentity,
        base: &str,
    ) -> Result<Self, Error> {
        let invalid = |reason: &str| Error::InvalidAddress {
            address: redact_str(base),
            reason: reason.to_owned(),
        };
        let mut url = Url::parse(base.trim()).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(invalid("not an http or https URL with a host"));
        }
        url.set_query(None);
        url.set_fragment(None);
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(ConnectClient {
            http,
            base: url,
            application: identity.application(),
        })
    }

    /// The service base URL in use.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// Signs in with a user name (or e-mail) and password: `POST user/authenticate`,
    /// JSON `{nameOrEmail, rawpw}`. Accepts both reply shapes (see [`ConnectSignIn`]).
    pub async fn sign_in(
        &self,
        name_or_email: &str,
        password: &Secret,
    ) -> Result<ConnectSignIn, Error> {
        let body = serde_json::json!({ "nameOrEmail": name_or_email, "rawpw": password.expose() });
        let request = self.request(Method::POST, "user/authenticate", &[])?;
        self.http
            .json(request.json_body(&body).scrub(password))
            .await
    }

    /// Asks for a PIN for this device: `POST pin`, form `deviceId`.
    pub async fn create_pin(&self, device_id: &str) -> Result<PinCreationResult, Error> {
        let request = self.request(Method::POST, "pin", &[])?;
        self.http
            .json(request.form_body(&[("deviceId", device_id)]))
            .await
    }

    /// Polls a PIN: `GET pin?deviceId=&pin=`. Stop when confirmed or expired.
    pub async fn pin_status(&self, device_id: &str, pin: &str) -> Result<PinStatusResult, Error> {
        let request = self.request(Method::GET, "pin", &[("deviceId", device_id), ("pin", pin)])?;
        self.http.json(request).await
    }

    /// Exchanges a confirmed PIN for a Connect user token: `POST pin/authenticate`, form `deviceId`, `pin`.
    pub async fn exchange_pin(
        &self,
        device_id: &str,
        pin: &str,
    ) -> Result<PinExchangeResult, Error> {
        let request = self.request(Method::POST, "pin/authenticate", &[])?;
        self.http
            .json(request.form_body(&[("deviceId", device_id), ("pin", pin)]))
            .await
    }

    /// Creates a Connect account: `POST register`, form `email`, `userName`, `rawpw`,
    /// header `X-Connect-Token: CONNECT-REGISTER`.
    pub async fn sign_up(
        &self,
        email: &str,
        user_name: &str,
        password: &Secret,
    ) -> Result<SignUpResult, Error> {
        let request = self
            .request(Method::POST, "register", &[])?
            .header_str("x-connect-token", "CONNECT-REGISTER")
            .form_body(&[
                ("email", email),
                ("userName", user_name),
                ("rawpw", password.expose()),
            ])
            .scrub(password);
        self.http.json(request).await
    }

    /// A session for a signed-in Connect user (after [`Self::sign_in`], a PIN exchange, or from storage).
    pub fn session(&self, user_id: impl Into<String>, token: Secret) -> ConnectSession {
        ConnectSession {
            client: self.clone(),
            user_id: user_id.into(),
            token,
        }
    }

    /// The URL of `path` (relative to the base) with `query`.
    fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<Url, Error> {
        let mut url = self.base.join(path).map_err(|e| Error::InvalidAddress {
            address: format!("{}{path}", self.base),
            reason: e.to_string(),
        })?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    fn request(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Request, Error> {
        let url = self.url(path, query)?;
        Ok(self
            .http
            .request(method, url)
            .header_str("x-application", &self.application))
    }
}

/// A signed-in Connect user: the calls that carry `X-Connect-UserToken`.
#[derive(Clone, Debug)]
pub struct ConnectSession {
    client: ConnectClient,
    user_id: String,
    token: Secret,
}

impl ConnectSession {
    /// The Connect user id.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The Connect user token (for the credentials store).
    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// The anonymous client this session came from.
    pub fn client(&self) -> &ConnectClient {
        &self.client
    }

    /// The Connect user: `GET user?id=`.
    pub async fn user(&self) -> Result<ConnectUser, Error> {
        let request = self.request(Method::GET, "user", &[("id", &self.user_id)])?;
        self.client.http.json(request).await
    }

    /// The servers this user may use: `GET servers?userId=`.
    pub async fn servers(&self) -> Result<Vec<ConnectServer>, Error> {
        let request = self.request(Method::GET, "servers", &[("userId", &self.user_id)])?;
        self.client.http.json(request).await
    }

    /// Invitations waiting for this user: `GET servers?userId=&status=Waiting`.
    pub async fn invitations(&self) -> Result<Vec<ConnectServer>, Error> {
        let request = self.request(
            Method::GET,
            "servers",
            &[("userId", &self.user_id), ("status", "Waiting")],
        )?;
        self.client.http.json(request).await
    }

    /// Accepts an invitation: `GET ServerAuthorizations/accept?serverId=&userId=`
    /// (`connect_server_id` is the entry's `Id`, not its `SystemId`).
    pub async fn accept_invitation(&self, connect_server_id: &str) -> Result<(), Error> {
        let request = self.request(
            Method::GET,
            "ServerAuthorizations/accept",
            &[("serverId", connect_server_id), ("userId", &self.user_id)],
        )?;
        self.client.http.empty(request).await
    }

    /// Rejects an invitation, or removes this user's access to a server:
    /// `DELETE serverAuthorizations?serverId=&userId=`.
    pub async fn reject_invitation(&self, connect_server_id: &str) -> Result<(), Error> {
        let request = self.request(
            Method::DELETE,
            "serverAuthorizations",
            &[("serverId", connect_server_id), ("userId", &self.user_id)],
        )?;
        self.client.http.empty(request).await
    }

    /// Revokes the Connect token at the service: `POST user/logout`.
    pub async fn logout(&self) -> Result<(), Error> {
        let request = self.request(Method::POST, "user/logout", &[])?;
        self.client.http.empty(request).await
    }

    fn request(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Request, Error> {
        Ok(self.client.request(method, path, query)?.header_secret(
            "x-connect-usertoken",
            &self.token,
            None,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emby::http::HttpConfig;

    fn client(base: &str) -> Result<ConnectClient, Error> {
        let http = HttpClient::new(HttpConfig::default()).unwrap();
        ConnectClient::with_base_url(http, &ClientIdentity::new("box", "id"), base)
    }

    #[test]
    fn paths_join_under_the_service_prefix_with_or_without_trailing_slash() {
        for base in ["http://127.0.0.1:9/service/", "http://127.0.0.1:9/service"] {
            let c = client(base).unwrap();
            let url = c.url("user/authenticate", &[]).unwrap();
            assert_eq!(url.as_str(), "http://127.0.0.1:9/service/user/authenticate");
            let url = c
                .url("servers", &[("userId", "a b&c"), ("status", "Waiting")])
                .unwrap();
            assert_eq!(
                url.as_str(),
                "http://127.0.0.1:9/service/servers?userId=a+b%26c&status=Waiting"
            );
        }
    }

    #[test]
    fn default_base_is_the_real_service() {
        let http = HttpClient::new(HttpConfig::default()).unwrap();
        let c = ConnectClient::new(http, &ClientIdentity::new("box", "id"));
        assert_eq!(
            c.url("pin", &[]).unwrap().as_str(),
            "https://connect.emby.media/service/pin"
        );
    }

    #[test]
    fn a_base_that_is_not_http_is_rejected() {
        assert!(matches!(
            client("ftp://x/service/"),
            Err(Error::InvalidAddress { .. })
        ));
        assert!(matches!(
            client("not a url"),
            Err(Error::InvalidAddress { .. })
        ));
    }

    #[test]
    fn session_debug_does_not_show_the_token() {
        let c = client("http://127.0.0.1:9/service/").unwrap();
        let s = c.session("u1", Secret::new("connect-token-xyz"));
        assert!(!format!("{s:?}").contains("connect-token-xyz"));
    }

    use crate::emby::test_server::TestServer;

    async fn against(server: &TestServer) -> ConnectClient {
        client(&format!("{}/service/", server.url())).unwrap()
    }

    #[tokio::test]
    async fn password_sign_in_posts_json_with_x_application() {
        let server = TestServer::json(
            "200 OK",
            r#"{"AccessToken":"ctok","User":{"Id":"cu1","Name":"anna"}}"#,
        )
        .await;
        let signed = against(&server)
            .await
            .sign_in("anna", &Secret::new("pw1"))
            .await
            .unwrap();
        assert_eq!(signed.user_id, "cu1");
        let request = &server.requests()[0];
        assert!(
            request.starts_with("POST /service/user/authenticate HTTP/1.1"),
            "{request}"
        );
        let version = env!("CARGO_PKG_VERSION");
        assert!(
            request.contains(&format!("x-application: emby-tui/{version}")),
            "{request}"
        );
        assert!(
            request.contains("content-type: application/json"),
            "{request}"
        );
        assert!(
            request.ends_with(r#"{"nameOrEmail":"anna","rawpw":"pw1"}"#),
            "{request}"
        );
    }

    #[tokio::test]
    async fn a_failed_sign_in_does_not_echo_the_password() {
        let server =
            TestServer::json("401 Unauthorized", r#"{"Message":"wrong password pw1"}"#).await;
        let err = against(&server)
            .await
            .sign_in("anna", &Secret::new("pw1"))
            .await
            .unwrap_err();
        assert!(err.is_unauthorized());
        assert!(!format!("{err} {err:?}").contains("pw1"), "{err}");
    }

    #[tokio::test]
    async fn user_calls_carry_the_user_token_and_user_id() {
        let server =
            TestServer::json("200 OK", r#"[{"Id":"c1","SystemId":"s1","AccessKey":"k"}]"#).await;
        let session = against(&server).await.session("cu1", Secret::new("ctok"));
        let invitations = session.invitations().await.unwrap();
        assert_eq!(invitations[0].system_id.as_deref(), Some("s1"));
        let request = &server.requests()[0];
        assert!(
            request.starts_with("GET /service/servers?userId=cu1&status=Waiting "),
            "{request}"
        );
        assert!(request.contains("x-connect-usertoken: ctok"), "{request}");
        assert!(request.contains("x-application: emby-tui/"), "{request}");
    }

    #[tokio::test]
    async fn pin_and_sign_up_calls_post_forms() {
        let server = TestServer::json(
            "200 OK",
            r#"{"Pin":"1234","DeviceId":"d1","Status":"SUCCESS"}"#,
        )
        .await;
        let c = against(&server).await;
        assert_eq!(c.create_pin("d1").await.unwrap().pin, "1234");
        c.exchange_pin("d1", "1234").await.unwrap();
        assert!(
            c.sign_up("a@x", "anna", &Secret::new("pw"))
                .await
                .unwrap()
                .is_success()
        );
        let requests = server.requests();
        assert!(
            requests[0].starts_with("POST /service/pin "),
            "{}",
            requests[0]
        );
        assert!(requests[0].ends_with("deviceId=d1"));
        assert!(requests[1].starts_with("POST /service/pin/authenticate "));
        assert!(requests[1].ends_with("deviceId=d1&pin=1234"));
        assert!(requests[2].starts_with("POST /service/register "));
        assert!(requests[2].contains("x-connect-token: CONNECT-REGISTER"));
        assert!(requests[2].ends_with("email=a%40x&userName=anna&rawpw=pw"));
    }
}
