//! Faults of one address and what they do to a JSON reply.

use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

/// The faults of one address (see the module contract for each one's meaning).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fault {
    /// Accepts TCP but never answers.
    pub blackhole: bool,
    /// Nothing listens: connections are refused.
    pub refuse: bool,
    /// Answers as a different server (another Id and name).
    pub impostor: bool,
    /// Each reply is delayed by this many milliseconds.
    pub delay_ms: u64,
    /// Every reply is a 500.
    pub http_500: bool,
    /// JSON endpoints answer 200 with a body that is not JSON.
    pub malformed_json: bool,
    /// JSON endpoints answer 200 with the right keys but wrong JSON types.
    pub wrong_types: bool,
    /// JSON endpoints answer 200 with a ~4 MiB streamed body.
    pub oversize_body: bool,
    /// When applied, every session token issued so far by the server gets 401.
    pub revoke_tokens: bool,
    /// Accepts each connection and closes it without answering.
    pub down: bool,
    /// Every request is answered with a redirect to this base URL (the request's path and query
    /// appended), with status `redirect_status` (302 when 0).
    pub redirect: Option<String>,
    /// The status of a `redirect`: 301, 302, 303, 307 or 308.
    pub redirect_status: u16,
    /// JSON replies that name a `ServerId` at their top level (`/Users/{Id}`, a sign-in) name
    /// another server's Id, as a relay in front of another server would.
    pub other_server_id: bool,
    /// Every `Name`, `ServerName` and `Overview` in JSON replies carries terminal escape
    /// sequences, a bell and line breaks ([`HOSTILE_TEXT`]), as a hostile server owner could.
    pub hostile_text: bool,
    /// Image endpoints answer 200 with a body that is not a picture (an HTML page, as a proxy
    /// or a captive portal in front of a server would).
    pub broken_images: bool,
}

/// What a `hostile_text` fault appends: an OSC retitle, a bell, clear-screen, CR/LF with a fake
/// line, an 8-bit CSI and DEL.
pub const HOSTILE_TEXT: &str = "\u{1b}]0;owned\u{7}\u{1b}[2J\r\nFAKE LINE\u{9b}31m\u{7f}";

impl Fault {
    /// True when no fault is set.
    pub fn is_none(&self) -> bool {
        *self == Fault::default()
    }

    /// A short human description, e.g. "blackhole, delay 200 ms".
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let flags = [
            (self.blackhole, "blackhole"),
            (self.refuse, "refuse"),
            (self.impostor, "impostor"),
            (self.http_500, "http_500"),
            (self.malformed_json, "malformed_json"),
            (self.wrong_types, "wrong_types"),
            (self.oversize_body, "oversize_body"),
            (self.revoke_tokens, "revoke_tokens"),
            (self.down, "down"),
            (self.other_server_id, "other_server_id"),
            (self.hostile_text, "hostile_text"),
            (self.broken_images, "broken_images"),
        ];
        for (on, name) in flags {
            if on {
                parts.push(name.to_string());
            }
        }
        if self.delay_ms > 0 {
            parts.push(format!("delay {} ms", self.delay_ms));
        }
        if let Some(to) = &self.redirect {
            parts.push(format!("redirect {} to {to}", self.redirect_status_code()));
        }
        if parts.is_empty() {
            "none".to_string()
        } else {
            parts.join(", ")
        }
    }

    /// The status a `redirect` answers with.
    pub fn redirect_status_code(&self) -> u16 {
        if self.redirect_status == 0 {
            302
        } else {
            self.redirect_status
        }
    }

    /// The redirect reply for a request of `path_and_query`, when `redirect` is set.
    pub fn redirect_response(&self, path_and_query: &str) -> Option<Response> {
        let to = self.redirect.as_deref()?;
        let location = format!("{}{path_and_query}", to.trim_end_matches('/'));
        let mut r = Response::new(Body::empty());
        *r.status_mut() =
            StatusCode::from_u16(self.redirect_status_code()).unwrap_or(StatusCode::FOUND);
        if let Ok(v) = header::HeaderValue::from_str(&location) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        Some(r)
    }

    /// Rewrites a JSON reply according to the body faults; other replies pass through.
    pub fn apply_to_json(&self, value: Value) -> Response {
        let value = match value {
            Value::Object(mut map) if self.other_server_id && map.contains_key("ServerId") => {
                map.insert("ServerId".into(), Value::from(OTHER_SERVER_ID));
                Value::Object(map)
            }
            other => other,
        };
        let value = if self.hostile_text {
            hostile(value)
        } else {
            value
        };
        if self.oversize_body {
            return oversize_response();
        }
        if self.malformed_json {
            return raw_json(
                StatusCode::OK,
                Body::from("{\"Items\": [ this is not JSON <html>"),
            );
        }
        let value = if self.wrong_types {
            wrong_types(value)
        } else {
            value
        };
        raw_json(StatusCode::OK, Body::from(value.to_string()))
    }
}

impl Fault {
    /// Rewrites a non-JSON reply according to the faults: a picture becomes an HTML page under
    /// `broken_images`.
    pub fn apply_to_raw(&self, r: Response) -> Response {
        let is_image = r
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("image/"));
        if !(self.broken_images && is_image && r.status() == StatusCode::OK) {
            return r;
        }
        let mut page = Response::new(Body::from(
            "<html><body>Please sign in to the Wi-Fi first.</body></html>",
        ));
        page.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("text/html"),
        );
        page
    }
}

/// The Id an `other_server_id` fault puts in replies: no simulated server has it.
pub const OTHER_SERVER_ID: &str = "0ther5e7ver1d000000000000000000ff";

/// Size of the oversize body.
pub const OVERSIZE_BYTES: usize = 4 * 1024 * 1024 + 4096;

fn raw_json(status: StatusCode, body: Body) -> Response {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

/// A valid but ~4 MiB JSON document, produced chunk by chunk (never held whole).
fn oversize_response() -> Response {
    const CHUNK: usize = 64 * 1024;
    let filler: String = "x".repeat(CHUNK - 16);
    let count = OVERSIZE_BYTES / CHUNK + 1;
    let chunks = (0..=count + 1).map(move |i| {
        let piece = if i == 0 {
            "{\"Items\":[".to_string()
        } else if i == count + 1 {
            "\"end\"],\"TotalRecordCount\":1}".to_string()
        } else {
            format!("\"{filler}\",")
        };
        Ok::<_, std::convert::Infallible>(axum::body::Bytes::from(piece))
    });
    raw_json(
        StatusCode::OK,
        Body::from_stream(futures::stream::iter(chunks)),
    )
}

/// Appends [`HOSTILE_TEXT`] to every name and overview, at any depth.
fn hostile(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s)
                            if matches!(k.as_str(), "Name" | "ServerName" | "Overview") =>
                        {
                            Value::String(format!("{s}{HOSTILE_TEXT}"))
                        }
                        other => hostile(other),
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(hostile).collect()),
        other => other,
    }
}

/// Same keys, wrong JSON types: strings become numbers, numbers strings, arrays a string,
/// booleans a string, nested objects a number. A top-level array keeps its length.
pub fn wrong_types(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, wrong_scalar(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(wrong_types).collect()),
        other => wrong_scalar(other),
    }
}

fn wrong_scalar(v: Value) -> Value {
    match v {
        Value::String(_) => Value::from(5),
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(_) => Value::String("maybe".into()),
        Value::Array(_) => Value::String("x".into()),
        Value::Object(_) => Value::from(7),
        Value::Null => Value::from(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_types_keeps_keys_and_changes_every_type() {
        let v = wrong_types(json!({"Id": "a", "Items": [1], "N": 3, "B": true, "U": {"x": 1}}));
        assert_eq!(
            v,
            json!({"Id": 5, "Items": "x", "N": "3", "B": "maybe", "U": 7})
        );
    }

    #[test]
    fn describe_lists_the_set_faults() {
        let f = Fault {
            blackhole: true,
            delay_ms: 5,
            ..Fault::default()
        };
        assert_eq!(f.describe(), "blackhole, delay 5 ms");
        assert_eq!(Fault::default().describe(), "none");
    }
}
