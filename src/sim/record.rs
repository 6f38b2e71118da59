//! A request as an address received it, for tests to inspect.

use axum::http::HeaderMap;

/// Largest body kept in the log.
const BODY_CAP: usize = 64 * 1024;

/// One received request: method, path, raw query, headers and body (lossy UTF-8).
#[derive(Clone)]
pub struct RecordedRequest {
    /// HTTP method, e.g. "GET".
    pub method: String,
    /// Path as sent, e.g. "/emby/System/Info".
    pub path: String,
    /// Raw query string without '?', "" when absent.
    pub query: String,
    /// Headers as (lower-case name, value).
    pub headers: Vec<(String, String)>,
    /// Body as text (capped at 64 KiB).
    pub body: String,
}

impl RecordedRequest {
    /// Builds a record from the parts of a request.
    pub fn new(
        method: &str,
        path: &str,
        query: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> RecordedRequest {
        let body = &body[..body.len().min(BODY_CAP)];
        RecordedRequest {
            method: method.to_string(),
            path: path.to_string(),
            query: query.to_string(),
            headers: headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }

    /// True when `needle` occurs anywhere in the path, query, a header name or value, or the body.
    pub fn mentions(&self, needle: &str) -> bool {
        self.path.contains(needle)
            || self.query.contains(needle)
            || self.body.contains(needle)
            || self
                .headers
                .iter()
                .any(|(k, v)| k.contains(needle) || v.contains(needle))
    }

    /// The value of header `name` (case-insensitive), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Debug shows the method, path and header names only: values and bodies carry tokens.
impl std::fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &names)
            .finish_non_exhaustive()
    }
}
