//! The one HTTP layer under both clients: a [`reqwest::Client`] set up once, a request helper that
//! maps every failure to an [`Error`], reads bodies under a size cap and decodes JSON naming the
//! field that did not fit.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use url::Url;

use super::error::{Error, redact_url};
use super::secret::Secret;
use super::text;

/// Default cap on a reply body: 16 MiB is far above any page a browser asks for (a 100-item page
/// with all fields is well under 1 MiB) and far below what would hurt memory.
pub const DEFAULT_MAX_BODY: usize = 16 * 1024 * 1024;

/// How much of an error reply is read to find the server's message.
const ERROR_BODY_CAP: usize = 8 * 1024;

/// The longest server message kept in an [`Error::Status`].
const MAX_MESSAGE_CHARS: usize = 200;

/// Timeouts and limits of the HTTP layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpConfig {
    /// Time allowed to open a TCP (+TLS) connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request: connect, send, and read the full reply.
    pub request_timeout: Duration,
    /// Largest reply body accepted, in bytes.
    pub max_body: usize,
}

impl Default for HttpConfig {
    /// 5 s to connect, 20 s per request (Emby's JS client uses 20 s per try), 16 MiB bodies.
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

/// A shared HTTP client (cheap to clone: the connection pool is shared).
///
/// rustls TLS; no proxy from the environment (a stray `HTTP_PROXY` must not route LAN or
/// loopback servers, nor tokens, through a proxy); `TCP_NODELAY`; redirects followed only within
/// the same origin (scheme, host and port), so a token, an AccessKey or a password never goes
/// anywhere but where it was meant to: see [`may_follow`].
#[derive(Clone, Debug)]
pub struct HttpClient {
    client: reqwest::Client,
    config: HttpConfig,
}

impl HttpClient {
    /// Builds the client. Fails only if the TLS backend cannot start.
    pub fn new(config: HttpConfig) -> Result<Self, Error> {
        let client = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(config.connect_timeout)
            .no_proxy()
            .tcp_nodelay(true)
            .redirect(same_origin_redirects())
            .user_agent(concat!("emby-tui/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Unreachable {
                address: "(local HTTP client)".to_owned(),
                cause: short_cause(e),
            })?;
        Ok(HttpClient { client, config })
    }

    /// A client with the same settings and a connection pool of its own: its connections close
    /// when it is dropped (used to reach a server, so a refresh of thousands of servers leaves
    /// no idle connection behind). Falls back to sharing this one's pool if it cannot be built.
    pub fn fresh(&self) -> Self {
        HttpClient::new(self.config.clone()).unwrap_or_else(|_| self.clone())
    }

    /// The configuration in force.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// The same client (same pool) with another per-request timeout, e.g. short for a probe.
    pub fn with_request_timeout(&self, timeout: Duration) -> Self {
        let mut copy = self.clone();
        copy.config.request_timeout = timeout;
        copy
    }

    /// The same client (same pool) with another body cap.
    pub fn with_max_body(&self, max_body: usize) -> Self {
        let mut copy = self.clone();
        copy.config.max_body = max_body;
        copy
    }

    /// Starts a request; finish it with [`HttpClient::json`], [`HttpClient::bytes`] or [`HttpClient::empty`].
    pub(crate) fn request(&self, method: Method, url: Url) -> Request {
        Request {
            builder: self.client.request(method, url.clone()),
            url,
            headers: HeaderMap::new(),
            scrub: Vec::new(),
            header_error: None,
        }
    }

    /// Sends and decodes a JSON reply into `T`.
    pub(crate) async fn json<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        let endpoint = request.endpoint();
        let request = request.header_str("accept", "application/json");
        let body = self.bytes(request).await?;
        decode(&endpoint, &body)
    }

    /// Sends and ignores the reply body (204 or any 2xx).
    pub(crate) async fn empty(&self, request: Request) -> Result<(), Error> {
        self.bytes(request).await.map(|_| ())
    }

    /// Sends and returns the raw body (capped), or the typed error.
    pub(crate) async fn bytes(&self, request: Request) -> Result<Vec<u8>, Error> {
        let after = self.config.request_timeout;
        let address = redact_url(&request.url);
        match tokio::time::timeout(after, self.send_and_read(request)).await {
            Ok(result) => result,
            Err(_) => Err(Error::TimedOut { address, after }),
        }
    }

    async fn send_and_read(&self, request: Request) -> Result<Vec<u8>, Error> {
        let endpoint = request.endpoint();
        let address = redact_url(&request.url);
        if let Some(name) = request.header_error {
            return Err(Error::NotUnderstood {
                endpoint,
                detail: format!(
                    "the value for header {name} contains characters a header cannot carry"
                ),
            });
        }
        let scrub = request.scrub;
        let mut response = request
            .builder
            .headers(request.headers)
            .send()
            .await
            .map_err(|e| self.transport_error(&address, e))?;
        let status = response.status();
        if status.is_redirection() {
            return Err(Error::Redirected {
                address,
                status: status.as_u16(),
                to: redirect_target(response.url(), &response),
            });
        }
        if !status.is_success() {
            let error_code = response
                .headers()
                .get("x-application-error-code")
                .and_then(|v| v.to_str().ok())
                .map(|v| clean_message(v, &scrub));
            let body = read_capped(&mut response, ERROR_BODY_CAP, true)
                .await
                .unwrap_or_default();
            let message = server_message(&body, &scrub).unwrap_or_else(|| {
                status
                    .canonical_reason()
                    .unwrap_or("no reason given")
                    .to_owned()
            });
            return Err(Error::Status {
                endpoint,
                status: status.as_u16(),
                message,
                error_code,
            });
        }
        read_capped(&mut response, self.config.max_body, false)
            .await
            .map_err(|e| match e {
                ReadError::TooLarge => Error::TooLarge {
                    endpoint,
                    limit: self.config.max_body,
                },
                ReadError::Transport(e) => self.transport_error(&address, e),
            })
    }

    fn transport_error(&self, address: &str, e: reqwest::Error) -> Error {
        if e.is_timeout() {
            return Error::TimedOut {
                address: address.to_owned(),
                after: if e.is_connect() {
                    self.config.connect_timeout
                } else {
                    self.config.request_timeout
                },
            };
        }
        Error::Unreachable {
            address: address.to_owned(),
            cause: short_cause(e),
        }
    }
}

/// A request being built: URL, headers (secret ones marked sensitive) and body.
pub(crate) struct Request {
    builder: RequestBuilder,
    url: Url,
    headers: HeaderMap,
    /// Secrets sent with this request: scrubbed out of any server message we keep.
    scrub: Vec<Secret>,
    header_error: Option<String>,
}

impl Request {
    /// The path of the URL: what errors call the endpoint.
    fn endpoint(&self) -> String {
        self.url.path().to_owned()
    }

    /// Adds a plain header.
    pub(crate) fn header_str(mut self, name: &'static str, value: &str) -> Self {
        match HeaderValue::from_str(value) {
            Ok(v) => {
                self.headers.insert(HeaderName::from_static(name), v);
            }
            Err(_) => self.header_error = Some(name.to_owned()),
        }
        self
    }

    /// Adds a header whose value is (or contains) a secret: marked sensitive, scrubbed from messages.
    pub(crate) fn header_secret(
        mut self,
        name: &'static str,
        value: &Secret,
        inner: Option<&Secret>,
    ) -> Self {
        match HeaderValue::from_str(value.expose()) {
            Ok(mut v) => {
                v.set_sensitive(true);
                self.headers.insert(HeaderName::from_static(name), v);
            }
            Err(_) => self.header_error = Some(name.to_owned()),
        }
        self.scrub.push(inner.unwrap_or(value).clone());
        self
    }

    /// A JSON body.
    pub(crate) fn json_body(mut self, body: &impl serde::Serialize) -> Self {
        self.builder = self.builder.json(body);
        self
    }

    /// A form body (`application/x-www-form-urlencoded`).
    pub(crate) fn form_body(mut self, fields: &[(&str, &str)]) -> Self {
        self.builder = self.builder.form(fields);
        self
    }

    /// Remembers a secret that travels in the body so it is scrubbed from messages.
    pub(crate) fn scrub(mut self, secret: &Secret) -> Self {
        self.scrub.push(secret.clone());
        self
    }
}

/// Decodes a JSON body into `T`; on failure the error names the JSON path (`Items[2].Id`) and why.
///
/// Every string in it is cleaned of control characters first ([`text::clean_json`]): names,
/// overviews and messages chosen by a server's owner never reach a terminal raw.
pub fn decode<T: DeserializeOwned>(endpoint: &str, body: &[u8]) -> Result<T, Error> {
    let path_error = |e: serde_path_to_error::Error<serde_json::Error>| {
        let path = e.path().to_string();
        not_understood(endpoint, &path, e.into_inner())
    };
    if !text::json_may_hold_controls(body) {
        // the usual case: straight into `T`, no intermediate document
        let mut de = serde_json::Deserializer::from_slice(body);
        let value = serde_path_to_error::deserialize(&mut de).map_err(path_error)?;
        de.end().map_err(|e| not_understood(endpoint, ".", e))?;
        return Ok(value);
    }
    let mut value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| not_understood(endpoint, ".", e))?;
    text::clean_json(&mut value);
    serde_path_to_error::deserialize(value).map_err(path_error)
}

fn not_understood(endpoint: &str, path: &str, inner: serde_json::Error) -> Error {
    let why = if inner.is_syntax() || inner.is_eof() {
        format!("not JSON ({inner})")
    } else {
        truncate(&inner.to_string(), MAX_MESSAGE_CHARS)
    };
    let detail = if path == "." || path.is_empty() {
        why
    } else {
        format!("at `{path}`: {why}")
    };
    Error::NotUnderstood {
        endpoint: endpoint.to_owned(),
        detail,
    }
}

enum ReadError {
    TooLarge,
    Transport(reqwest::Error),
}

/// Reads the body chunk by chunk, stopping at `cap` bytes. With `truncate`, returns the first
/// `cap` bytes instead of failing (used for error bodies, where only the start matters).
async fn read_capped(
    response: &mut Response,
    cap: usize,
    truncate: bool,
) -> Result<Vec<u8>, ReadError> {
    if !truncate
        && response
            .content_length()
            .is_some_and(|len| len > cap as u64)
    {
        return Err(ReadError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if body.len() + chunk.len() > cap {
            if truncate {
                let room = cap - body.len();
                body.extend_from_slice(&chunk[..room]);
                return Ok(body);
            }
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The server's message from an error body: a JSON `Message`/`message`/`ErrorMessage`, else short
/// plain text; `None` for empty or HTML bodies.
fn server_message(body: &[u8], scrub: &[Secret]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() || text.starts_with('<') {
        return None;
    }
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text) {
        for key in ["Message", "message", "ErrorMessage", "error", "Error"] {
            if let Some(serde_json::Value::String(m)) = map.get(key) {
                return Some(clean_message(m, scrub));
            }
        }
        return None;
    }
    Some(clean_message(text, scrub))
}

/// One line of plain text (no control character), at most [`MAX_MESSAGE_CHARS`], with any
/// secret we sent replaced by `<redacted>`.
fn clean_message(message: &str, scrub: &[Secret]) -> String {
    let mut text: String = text::strip_controls(message)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for secret in scrub {
        if !secret.is_empty() {
            text = text.replace(secret.expose(), "<redacted>");
        }
    }
    truncate(&text, MAX_MESSAGE_CHARS)
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// A short cause from a reqwest error, without its URL (which may carry `api_key`).
fn short_cause(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut innermost: &dyn std::error::Error = &e;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    if let Some(io) = innermost.downcast_ref::<std::io::Error>() {
        use std::io::ErrorKind::*;
        match io.kind() {
            ConnectionRefused => return "connection refused".to_owned(),
            ConnectionReset => return "connection reset".to_owned(),
            ConnectionAborted => return "connection aborted".to_owned(),
            UnexpectedEof => return "connection closed early".to_owned(),
            _ => {}
        }
    }
    let text = innermost.to_string();
    let text = if text.is_empty() { e.to_string() } else { text };
    truncate(&text, MAX_MESSAGE_CHARS)
}

/// Most redirects followed for one request.
const MAX_REDIRECTS: usize = 5;

/// Follow a redirect only within the origin of the request (at most [`MAX_REDIRECTS`]); any
/// other is not followed and the 3xx comes back as [`Error::Redirected`].
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let follow = attempt.previous().len() <= MAX_REDIRECTS
            && attempt
                .previous()
                .first()
                .is_some_and(|first| may_follow(first, attempt.url()));
        if follow {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// Whether a redirect from `from` to `to` may be followed with the request's credentials: only
/// to the very same origin (scheme, host and port). Our credentials travel in custom headers
/// (`X-Emby-Token`, `X-Emby-Authorization`, `X-Connect-UserToken`) and in bodies (passwords, for
/// 307/308), which an HTTP client does not strip on a redirect, so another port of the same
/// host, or `http` for `https` (a downgrade an eavesdropper could read), must never receive them.
pub fn may_follow(from: &Url, to: &Url) -> bool {
    from.origin() == to.origin() && !from.cannot_be_a_base()
}

/// Where a redirect that was not followed pointed: its origin only (the path and query of a
/// `Location` may carry anything, and the user only needs to know which address it named).
fn redirect_target(request: &Url, response: &Response) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|location| request.join(location).ok())
        .map(|to| to.origin().ascii_serialization())
        .filter(|origin| origin != "null")
        .unwrap_or_else(|| "an address it did not name".to_owned())
}

#[cfg(test)]
mod tests;
