//! [`SignedInClient`]: the calls that need a token (system info, logout, library, admin).

use std::time::Duration;

use reqwest::Method;

use super::anonymous::ServerClient;
use super::query::{ConnectInvite, ItemsQuery, MediaKind, StreamOptions};
use crate::emby::error::Error;
use crate::emby::http::Request;
use crate::emby::models::{
    AuthenticationResult, BaseItemDto, ConnectAuthenticationExchangeResult, ConnectAuthorization,
    PlaybackInfoResponse, QueryResult, SystemInfo, UserDto, UserItemDataDto, UserLinkResult,
};
use crate::emby::secret::Secret;

/// A signed-in user on one server. Every request carries the token inside
/// `X-Emby-Authorization: MediaBrowser …, Token="…"` (accepted by every server version).
#[derive(Clone, Debug)]
pub struct SignedInClient {
    server: ServerClient,
    user_id: String,
    token: Secret,
}

impl SignedInClient {
    pub(super) fn new(server: ServerClient, user_id: String, token: Secret) -> Self {
        SignedInClient {
            server,
            user_id,
            token,
        }
    }

    /// The local user id.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The token (for the credentials store).
    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// The anonymous client at the same address (e.g. for image URLs or a probe).
    pub fn server(&self) -> &ServerClient {
        &self.server
    }

    /// The same sign-in on another HTTP client (another connection pool).
    pub fn with_http(&self, http: crate::emby::HttpClient) -> Self {
        let mut copy = self.clone();
        copy.server = self.server.with_http(http);
        copy
    }

    /// The same client with another per-request timeout.
    pub fn with_timeout(&self, timeout: Duration) -> Self {
        let mut copy = self.clone();
        copy.server = self.server.with_timeout(timeout);
        copy
    }

    /// Validates the token and reads server details: `GET /System/Info` (401 = token no longer valid).
    pub async fn system_info(&self) -> Result<SystemInfo, Error> {
        let request = self.request(Method::GET, &["System", "Info"], &[]);
        self.server.http.json(request).await
    }

    /// Revokes the token on the server: `POST /Sessions/Logout`.
    pub async fn logout(&self) -> Result<(), Error> {
        let request = self.request(Method::POST, &["Sessions", "Logout"], &[]);
        self.server.http.empty(request).await
    }

    /// The signed-in user: `GET /Users/{UserId}`.
    pub async fn user(&self) -> Result<UserDto, Error> {
        let request = self.request(Method::GET, &["Users", &self.user_id], &[]);
        self.server.http.json(request).await
    }

    /// The user's top-level libraries: `GET /Users/{UserId}/Views`.
    pub async fn views(&self) -> Result<QueryResult<BaseItemDto>, Error> {
        let request = self.request(Method::GET, &["Users", &self.user_id, "Views"], &[]);
        self.server.http.json(request).await
    }

    /// A page of items: `GET /Users/{UserId}/Items?…` (children, search, filters, sort).
    pub async fn items(&self, query: &ItemsQuery) -> Result<QueryResult<BaseItemDto>, Error> {
        let pairs = query.to_pairs();
        let request = self.request_owned(Method::GET, &["Users", &self.user_id, "Items"], &pairs);
        self.server.http.json(request).await
    }

    /// One item with all fields: `GET /Users/{UserId}/Items/{Id}` (404 = unknown item).
    pub async fn item(&self, item_id: &str) -> Result<BaseItemDto, Error> {
        let request = self.request(
            Method::GET,
            &["Users", &self.user_id, "Items", item_id],
            &[],
        );
        self.server.http.json(request).await
    }

    /// Continue watching: `GET /Users/{UserId}/Items/Resume?…`.
    pub async fn resume(&self, query: &ItemsQuery) -> Result<QueryResult<BaseItemDto>, Error> {
        let pairs = query.to_pairs();
        let request = self.request_owned(
            Method::GET,
            &["Users", &self.user_id, "Items", "Resume"],
            &pairs,
        );
        self.server.http.json(request).await
    }

    /// Latest additions: `GET /Users/{UserId}/Items/Latest?…` — a plain array, not a QueryResult.
    pub async fn latest(&self, query: &ItemsQuery) -> Result<Vec<BaseItemDto>, Error> {
        let pairs = query.to_pairs();
        let request = self.request_owned(
            Method::GET,
            &["Users", &self.user_id, "Items", "Latest"],
            &pairs,
        );
        self.server.http.json(request).await
    }

    /// Next episodes to watch: `GET /Shows/NextUp?UserId=&…`.
    pub async fn next_up(&self, query: &ItemsQuery) -> Result<QueryResult<BaseItemDto>, Error> {
        let mut pairs = vec![("UserId", self.user_id.clone())];
        pairs.extend(query.to_pairs());
        let request = self.request_owned(Method::GET, &["Shows", "NextUp"], &pairs);
        self.server.http.json(request).await
    }

    /// The genres of the items under a folder: `GET /Genres?ParentId=&UserId=`.
    pub async fn genres(&self, parent_id: Option<&str>) -> Result<QueryResult<BaseItemDto>, Error> {
        let mut query = vec![("UserId", self.user_id.as_str())];
        if let Some(p) = parent_id {
            query.push(("ParentId", p));
        }
        let request = self.request(Method::GET, &["Genres"], &query);
        self.server.http.json(request).await
    }

    /// People (actors, directors, …): `GET /Persons?UserId=&…` (a search with `SearchTerm`).
    pub async fn persons(&self, query: &ItemsQuery) -> Result<QueryResult<BaseItemDto>, Error> {
        let mut pairs = vec![("UserId", self.user_id.clone())];
        pairs.extend(query.to_pairs());
        let request = self.request_owned(Method::GET, &["Persons"], &pairs);
        self.server.http.json(request).await
    }

    /// Marks played (`POST`) or unplayed (`DELETE`) `/Users/{UserId}/PlayedItems/{Id}`.
    pub async fn set_played(&self, item_id: &str, played: bool) -> Result<UserItemDataDto, Error> {
        let method = if played { Method::POST } else { Method::DELETE };
        let request = self.request(
            method,
            &["Users", &self.user_id, "PlayedItems", item_id],
            &[],
        );
        self.server.http.json(request).await
    }

    /// Marks (`POST`) or unmarks (`DELETE`) a favourite: `/Users/{UserId}/FavoriteItems/{Id}`.
    pub async fn set_favorite(
        &self,
        item_id: &str,
        favorite: bool,
    ) -> Result<UserItemDataDto, Error> {
        let method = if favorite {
            Method::POST
        } else {
            Method::DELETE
        };
        let request = self.request(
            method,
            &["Users", &self.user_id, "FavoriteItems", item_id],
            &[],
        );
        self.server.http.json(request).await
    }

    /// Media sources and tracks: `POST /Items/{Id}/PlaybackInfo?UserId=` (body `{}`: no device profile,
    /// a browser only shows what there is).
    pub async fn playback_info(&self, item_id: &str) -> Result<PlaybackInfoResponse, Error> {
        let request = self
            .request(
                Method::POST,
                &["Items", item_id, "PlaybackInfo"],
                &[("UserId", &self.user_id)],
            )
            .json_body(&serde_json::json!({}));
        self.server.http.json(request).await
    }

    /// The direct-stream URL `/{Videos|Audio}/{Id}/stream.<container>?Static=true&MediaSourceId=
    /// &PlaySessionId=&DeviceId=&api_key=<token>`.
    ///
    /// **It carries the token** (a player fetches it without our headers), so it is returned as a
    /// [`Secret`]: hand it to a player, never log it or show it.
    pub fn stream_url(&self, item_id: &str, options: &StreamOptions) -> Secret {
        let kind = match options.kind {
            MediaKind::Video => "Videos",
            MediaKind::Audio => "Audio",
        };
        let container: Option<String> = options
            .container
            .as_deref()
            .map(|c| c.chars().filter(|c| c.is_ascii_alphanumeric()).collect());
        let file = match container.as_deref() {
            Some(c) if !c.is_empty() => format!("stream.{c}"),
            _ => "stream".to_owned(),
        };
        let mut query: Vec<(&str, &str)> = vec![("Static", "true")];
        if let Some(id) = &options.media_source_id {
            query.push(("MediaSourceId", id));
        }
        if let Some(id) = &options.play_session_id {
            query.push(("PlaySessionId", id));
        }
        query.push(("DeviceId", &self.server.identity.device_id));
        query.push(("api_key", self.token.expose()));
        let url = self
            .server
            .address
            .endpoint_with_query(&[kind, item_id, &file], &query);
        Secret::new(url.to_string())
    }

    /// An item's image: `GET /Items/{Id}/Images/{Type}?tag=&maxWidth=&quality=90`, the raw
    /// bytes (the caller decodes them). Ask only for a type the item advertises in `ImageTags`,
    /// with its tag: the tag names this version of the image, so a cached copy stays right.
    pub async fn image(
        &self,
        item_id: &str,
        kind: &str,
        tag: &str,
        max_width: u32,
    ) -> Result<Vec<u8>, Error> {
        let width = max_width.to_string();
        let request = self.request(
            Method::GET,
            &["Items", item_id, "Images", kind],
            &[("tag", tag), ("maxWidth", &width), ("quality", "90")],
        );
        self.server.http.bytes(request).await
    }

    /// Admin: links a local user to a Connect account: `POST /Users/{Id}/Connect/Link?ConnectUsername=`.
    pub async fn link_connect(
        &self,
        local_user_id: &str,
        connect_username: &str,
    ) -> Result<UserLinkResult, Error> {
        let request = self.request(
            Method::POST,
            &["Users", local_user_id, "Connect", "Link"],
            &[("ConnectUsername", connect_username)],
        );
        self.server.http.json(request).await
    }

    /// Admin: removes a local user's Connect link: `DELETE /Users/{Id}/Connect/Link`.
    pub async fn unlink_connect(&self, local_user_id: &str) -> Result<(), Error> {
        let request = self.request(
            Method::DELETE,
            &["Users", local_user_id, "Connect", "Link"],
            &[],
        );
        self.server.http.empty(request).await
    }

    /// Admin: pending Connect authorizations: `GET /Connect/Pending` (4.x shape undocumented;
    /// parsed as the 3.x `ConnectAuthorization` list, unknown keys ignored).
    pub async fn pending_connect(&self) -> Result<Vec<ConnectAuthorization>, Error> {
        let request = self.request(Method::GET, &["Connect", "Pending"], &[]);
        self.server.http.json(request).await
    }

    /// Admin: every user of the server: `GET /Users` (names, policies, Connect links, activity).
    pub async fn users(&self) -> Result<Vec<UserDto>, Error> {
        let request = self.request(Method::GET, &["Users"], &[]);
        self.server.http.json(request).await
    }

    /// Admin: invites a Connect user as a guest: `POST /Connect/Invite`, form `ConnectUsername`,
    /// `SendingUserId` (this user), `ExcludedLibraries` and `ExcludedChannels` (comma lists),
    /// `EnableLiveTv` (protocol.md §6.2; 3.x servers only, 4.7 and later have no such endpoint).
    pub async fn invite_connect(&self, invite: &ConnectInvite) -> Result<UserLinkResult, Error> {
        let excluded_libraries = invite.excluded_libraries.join(",");
        let excluded_channels = invite.excluded_channels.join(",");
        let request = self
            .request(Method::POST, &["Connect", "Invite"], &[])
            .form_body(&[
                ("ConnectUsername", invite.connect_username.as_str()),
                ("SendingUserId", self.user_id.as_str()),
                ("ExcludedLibraries", excluded_libraries.as_str()),
                ("ExcludedChannels", excluded_channels.as_str()),
                (
                    "EnableLiveTv",
                    if invite.enable_live_tv {
                        "true"
                    } else {
                        "false"
                    },
                ),
            ]);
        self.server.http.json(request).await
    }

    /// Admin: cancels a pending invitation: `DELETE /Connect/Pending?Id=` (3.x servers only).
    pub async fn cancel_pending_connect(&self, authorization_id: &str) -> Result<(), Error> {
        let request = self.request(
            Method::DELETE,
            &["Connect", "Pending"],
            &[("Id", authorization_id)],
        );
        self.server.http.empty(request).await
    }

    pub(super) fn request(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, &str)],
    ) -> Request {
        let url = self.server.address.endpoint_with_query(segments, query);
        self.with_auth(method, url)
    }

    pub(super) fn request_owned(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
    ) -> Request {
        let url = self.server.address.endpoint_with_query(segments, query);
        self.with_auth(method, url)
    }

    fn with_auth(&self, method: Method, url: url::Url) -> Request {
        let header = self.server.identity.authorization(Some(&self.token));
        self.server.http.request(method, url).header_secret(
            "x-emby-authorization",
            &header,
            Some(&self.token),
        )
    }
}

/// The ways to become a [`SignedInClient`]: a local sign-in, the Connect exchange, a saved token.
impl ServerClient {
    /// [`Self::authenticate_by_name`], then a [`SignedInClient`] for the new token. A 200 without
    /// `AccessToken` or `User.Id` is [`Error::NotUnderstood`].
    pub async fn sign_in_by_name(
        &self,
        username: &str,
        password: &Secret,
    ) -> Result<(SignedInClient, AuthenticationResult), Error> {
        let result = self.authenticate_by_name(username, password).await?;
        let user_id = result.user.as_ref().and_then(|u| u.id.clone());
        let endpoint = self.address.endpoint(&["Users", "AuthenticateByName"]);
        let client = self.signed_in_from(endpoint.path(), user_id, result.access_token.clone())?;
        Ok((client, result))
    }

    /// [`Self::connect_exchange`], then a [`SignedInClient`] for the local token it returned.
    pub async fn sign_in_with_connect(
        &self,
        connect_user_id: &str,
        access_key: &Secret,
    ) -> Result<(SignedInClient, ConnectAuthenticationExchangeResult), Error> {
        let result = self.connect_exchange(connect_user_id, access_key).await?;
        let endpoint = self.address.endpoint(&["Connect", "Exchange"]);
        let client = self.signed_in_from(
            endpoint.path(),
            result.local_user_id.clone(),
            result.access_token.clone(),
        )?;
        Ok((client, result))
    }

    /// A signed-in client from a stored user id and token (check it with [`SignedInClient::system_info`]).
    pub fn with_token(&self, user_id: impl Into<String>, token: Secret) -> SignedInClient {
        SignedInClient::new(self.clone(), user_id.into(), token)
    }

    fn signed_in_from(
        &self,
        endpoint: &str,
        user_id: Option<String>,
        token: Option<Secret>,
    ) -> Result<SignedInClient, Error> {
        let missing = |what: &str| Error::NotUnderstood {
            endpoint: endpoint.to_owned(),
            detail: format!("the reply has no {what}"),
        };
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| missing("AccessToken"))?;
        let user_id = user_id
            .filter(|u| !u.is_empty())
            .ok_or_else(|| missing("user id"))?;
        Ok(self.with_token(user_id, token))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emby::http::{HttpClient, HttpConfig};
    use crate::emby::identity::ClientIdentity;
    use crate::emby::server::ServerAddress;

    fn signed_in() -> SignedInClient {
        ServerClient::new(
            HttpClient::new(HttpConfig::default()).unwrap(),
            ServerAddress::parse("http://127.0.0.1:8096").unwrap(),
            ClientIdentity::new("box", "dev1"),
        )
        .with_token("u1", Secret::new("tok-secret"))
    }

    #[test]
    fn stream_url_carries_token_and_is_redacted_when_printed() {
        let url = signed_in().stream_url(
            "it1",
            &StreamOptions {
                kind: MediaKind::Video,
                container: Some("mkv".into()),
                media_source_id: Some("ms1".into()),
                play_session_id: Some("ps1".into()),
            },
        );
        assert_eq!(
            url.expose(),
            "http://127.0.0.1:8096/emby/Videos/it1/stream.mkv?Static=true&MediaSourceId=ms1&PlaySessionId=ps1&DeviceId=dev1&api_key=tok-secret"
        );
        assert_eq!(format!("{url}"), "<redacted>");
    }

    #[test]
    fn stream_url_container_cannot_inject_a_path_or_query() {
        let url = signed_in().stream_url(
            "it1",
            &StreamOptions {
                kind: MediaKind::Audio,
                container: Some("mp3?x=/../".into()),
                media_source_id: None,
                play_session_id: None,
            },
        );
        assert!(
            url.expose()
                .starts_with("http://127.0.0.1:8096/emby/Audio/it1/stream.mp3x?Static=true")
        );
    }

    #[test]
    fn signed_in_client_debug_hides_the_token() {
        assert!(!format!("{:?}", signed_in()).contains("tok-secret"));
    }

    use crate::emby::test_server::TestServer;

    fn at(server: &TestServer) -> ServerClient {
        ServerClient::new(
            HttpClient::new(HttpConfig::default()).unwrap(),
            ServerAddress::parse(&format!("{}/prefix", server.url())).unwrap(),
            ClientIdentity::new("box", "dev1"),
        )
    }

    #[tokio::test]
    async fn signed_in_calls_put_the_token_inside_x_emby_authorization() {
        let server = TestServer::json(
            "200 OK",
            r#"{"Items":[{"Id":"v1","CollectionType":"movies"}],"TotalRecordCount":1}"#,
        )
        .await;
        let client = at(&server).with_token("u1", Secret::new("tok-1"));
        let views = client.views().await.unwrap();
        assert_eq!(views.items[0].collection_type.as_deref(), Some("movies"));
        let request = &server.requests()[0];
        assert!(
            request.starts_with("GET /prefix/emby/Users/u1/Views HTTP/1.1"),
            "{request}"
        );
        assert!(request.contains(", Token=\"tok-1\""), "{request}");
        assert!(
            request.contains("x-emby-authorization: MediaBrowser Client=\"emby-tui\""),
            "{request}"
        );
    }

    #[tokio::test]
    async fn items_query_goes_on_the_url() {
        let server = TestServer::json("200 OK", r#"{"Items":[]}"#).await;
        let client = at(&server).with_token("u1", Secret::new("t"));
        let query = ItemsQuery {
            parent_id: Some("p".into()),
            limit: Some(10),
            ..Default::default()
        };
        client.items(&query).await.unwrap();
        client.next_up(&ItemsQuery::default()).await.unwrap();
        let search = ItemsQuery {
            search_term: Some("ann lee".into()),
            ids: vec!["a".into(), "b".into()],
            ..Default::default()
        };
        client.persons(&search).await.unwrap();
        let requests = server.requests();
        assert!(
            requests[0].starts_with("GET /prefix/emby/Users/u1/Items?ParentId=p&Limit=10 "),
            "{}",
            requests[0]
        );
        assert!(
            requests[1].starts_with("GET /prefix/emby/Shows/NextUp?UserId=u1 "),
            "{}",
            requests[1]
        );
        assert!(
            requests[2]
                .starts_with("GET /prefix/emby/Persons?UserId=u1&SearchTerm=ann+lee&Ids=a%2Cb "),
            "{}",
            requests[2]
        );
    }

    #[tokio::test]
    async fn favourite_and_played_use_post_and_delete() {
        let server = TestServer::json("200 OK", r#"{"IsFavorite":true,"Played":false}"#).await;
        let client = at(&server).with_token("u1", Secret::new("t"));
        assert_eq!(
            client.set_favorite("i1", true).await.unwrap().is_favorite,
            Some(true)
        );
        client.set_favorite("i1", false).await.unwrap();
        client.set_played("i1", true).await.unwrap();
        client.set_played("i1", false).await.unwrap();
        let lines: Vec<String> = server
            .requests()
            .iter()
            .map(|r| r.lines().next().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            lines,
            [
                "POST /prefix/emby/Users/u1/FavoriteItems/i1 HTTP/1.1",
                "DELETE /prefix/emby/Users/u1/FavoriteItems/i1 HTTP/1.1",
                "POST /prefix/emby/Users/u1/PlayedItems/i1 HTTP/1.1",
                "DELETE /prefix/emby/Users/u1/PlayedItems/i1 HTTP/1.1",
            ]
        );
    }

    #[tokio::test]
    async fn admin_calls_list_users_invite_with_a_form_and_cancel_by_id() {
        let server = TestServer::json("200 OK", r#"{"IsPending":true}"#).await;
        let client = at(&server).with_token("admin1", Secret::new("t"));
        let invite = ConnectInvite {
            connect_username: "friend@example.com".into(),
            excluded_libraries: vec!["lib1".into(), "lib2".into()],
            excluded_channels: vec![],
            enable_live_tv: true,
        };
        let result = client.invite_connect(&invite).await.unwrap();
        assert_eq!(result.is_pending, Some(true));
        client.cancel_pending_connect("auth 1").await.unwrap();
        let requests = server.requests();
        assert!(
            requests[0].starts_with("POST /prefix/emby/Connect/Invite HTTP/1.1"),
            "{}",
            requests[0]
        );
        assert!(
            requests[0].contains("content-type: application/x-www-form-urlencoded"),
            "{}",
            requests[0]
        );
        assert!(
            requests[0].ends_with(
                "ConnectUsername=friend%40example.com&SendingUserId=admin1&ExcludedLibraries=lib1%2Clib2&ExcludedChannels=&EnableLiveTv=true"
            ),
            "{}",
            requests[0]
        );
        assert!(
            requests[1].starts_with("DELETE /prefix/emby/Connect/Pending?Id=auth+1 HTTP/1.1"),
            "{}",
            requests[1]
        );
        let users = TestServer::json(
            "200 OK",
            r#"[{"Id":"u1","Name":"demo","LastActivityDate":"2024-01-02T03:04:05.0000000Z","Policy":{"IsAdministrator":true}}]"#,
        )
        .await;
        let list = at(&users)
            .with_token("admin1", Secret::new("t"))
            .users()
            .await
            .unwrap();
        assert!(list[0].is_administrator());
        assert_eq!(
            list[0].last_activity_date.as_deref(),
            Some("2024-01-02T03:04:05.0000000Z")
        );
        assert!(users.requests()[0].starts_with("GET /prefix/emby/Users HTTP/1.1"));
    }
}
