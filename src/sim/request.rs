//! A request as the simulator's dispatchers see it, read as tolerantly as a real server does:
//! path in any case with an optional `/emby` or `/mediabrowser` prefix, query names in any case,
//! the token in any of the places clients put it, JSON keys in any case, form bodies too.

use axum::http::{HeaderMap, Method};
use serde_json::Value;

/// A parsed request.
pub struct Req {
    /// HTTP method.
    pub method: Method,
    /// Path segments as sent (prefix removed), for ids.
    pub segments: Vec<String>,
    /// The same segments lower-cased, for matching routes.
    pub lower: Vec<String>,
    /// Decoded query pairs, names as sent.
    pub query: Vec<(String, String)>,
    /// Request headers.
    pub headers: HeaderMap,
    /// Raw body.
    pub body: Vec<u8>,
}

impl Req {
    /// Parses method, path, raw query, headers and body. `strip_prefix` removes `/emby` or `/mediabrowser`.
    pub fn new(
        method: Method,
        path: &str,
        query: &str,
        headers: HeaderMap,
        body: Vec<u8>,
        strip_prefix: bool,
    ) -> Req {
        let mut segments: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if strip_prefix
            && segments.first().is_some_and(|s| {
                s.eq_ignore_ascii_case("emby") || s.eq_ignore_ascii_case("mediabrowser")
            })
        {
            segments.remove(0);
        }
        let lower = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
        let query = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        Req {
            method,
            segments,
            lower,
            query,
            headers,
            body,
        }
    }

    /// The lower-cased segments as `&str`s, for `match`.
    pub fn route(&self) -> Vec<&str> {
        self.lower.iter().map(String::as_str).collect()
    }

    /// Segment `i` as sent.
    pub fn seg(&self, i: usize) -> &str {
        self.segments.get(i).map(String::as_str).unwrap_or("")
    }

    /// Query parameter `name`, case-insensitive; empty values count as absent.
    pub fn q(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(name) && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// Boolean query parameter (`true`, `True`, `1`, `false`, ...).
    pub fn q_bool(&self, name: &str) -> Option<bool> {
        self.q(name).and_then(parse_bool)
    }

    /// Non-negative integer query parameter.
    pub fn q_usize(&self, name: &str) -> Option<usize> {
        self.q(name).and_then(|v| v.trim().parse().ok())
    }

    /// Comma list query parameter, items trimmed, empty items dropped.
    pub fn q_list(&self, name: &str) -> Vec<String> {
        self.q(name)
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Header value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    /// The client identity fields of `X-Emby-Authorization` (else `Authorization`).
    pub fn auth_fields(&self) -> Vec<(String, String)> {
        let value = self
            .header("x-emby-authorization")
            .and_then(parse_auth_header)
            .or_else(|| self.header("authorization").and_then(parse_auth_header));
        value.unwrap_or_default()
    }

    fn auth_field(&self, key: &str) -> Option<String> {
        self.auth_fields()
            .into_iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(key) && !v.is_empty())
            .map(|(_, v)| v)
    }

    /// The access token, from any place a client may send it (3.x precedence first).
    pub fn token(&self) -> Option<String> {
        self.auth_field("Token")
            .or_else(|| self.header("x-emby-token").map(str::to_string))
            .or_else(|| self.header("x-mediabrowser-token").map(str::to_string))
            .or_else(|| self.q("api_key").map(str::to_string))
            .or_else(|| self.q("X-Emby-Token").map(str::to_string))
    }

    /// The caller's device id (authorization header, `X-Emby-Device-Id` header or query).
    pub fn device_id(&self) -> Option<String> {
        self.auth_field("DeviceId")
            .or_else(|| self.header("x-emby-device-id").map(str::to_string))
            .or_else(|| self.q("X-Emby-Device-Id").map(str::to_string))
            .or_else(|| self.q("DeviceId").map(str::to_string))
    }

    /// The caller's client name and version and device name, as far as it said them.
    pub fn client_info(&self) -> (String, String, String) {
        let client = self
            .auth_field("Client")
            .or_else(|| self.header("x-emby-client").map(str::to_string))
            .or_else(|| self.q("X-Emby-Client").map(str::to_string))
            .unwrap_or_else(|| "Unknown".into());
        let version = self
            .auth_field("Version")
            .or_else(|| self.header("x-emby-client-version").map(str::to_string))
            .or_else(|| self.q("X-Emby-Client-Version").map(str::to_string))
            .unwrap_or_else(|| "0".into());
        let device = self
            .auth_field("Device")
            .or_else(|| self.header("x-emby-device-name").map(str::to_string))
            .or_else(|| self.q("X-Emby-Device-Name").map(str::to_string))
            .unwrap_or_else(|| "Unknown".into());
        (client, version, device)
    }

    /// A body field: JSON object key in any case, or a form field in any case. Scalars become text.
    pub fn body_field(&self, name: &str) -> Option<String> {
        let text = std::str::from_utf8(&self.body).ok()?.trim();
        if text.starts_with('{') {
            let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
                return None;
            };
            return map
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .and_then(|(_, v)| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    Value::Bool(b) => Some(b.to_string()),
                    _ => None,
                });
        }
        url::form_urlencoded::parse(text.as_bytes())
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.into_owned())
    }

    /// The first of `names` found in the body, else in the query.
    pub fn field(&self, names: &[&str]) -> Option<String> {
        names
            .iter()
            .find_map(|n| self.body_field(n))
            .or_else(|| names.iter().find_map(|n| self.q(n).map(str::to_string)))
    }
}

/// `true`/`True`/`TRUE`/`1` and the false forms.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

/// Parses `MediaBrowser Client="x", Token="y"` (scheme `MediaBrowser` or `Emby`, quotes optional).
pub fn parse_auth_header(value: &str) -> Option<Vec<(String, String)>> {
    let (scheme, rest) = value.trim().split_once(char::is_whitespace)?;
    if !scheme.eq_ignore_ascii_case("mediabrowser") && !scheme.eq_ignore_ascii_case("emby") {
        return None;
    }
    let fields = rest
        .split(',')
        .filter_map(|part| {
            let (k, v) = part.split_once('=')?;
            let v = v.trim().trim_matches('"').trim();
            Some((k.trim().to_string(), v.to_string()))
        })
        .collect();
    Some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(path: &str, query: &str, headers: &[(&'static str, &str)]) -> Req {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, v.parse().unwrap());
        }
        Req::new(Method::GET, path, query, map, Vec::new(), true)
    }

    #[test]
    fn prefix_is_stripped_and_route_lower_cased() {
        let r = req("/EMBY/Users/ABC/Items", "", &[]);
        assert_eq!(r.route(), vec!["users", "abc", "items"]);
        assert_eq!(r.seg(1), "ABC");
        let r = req("/mediabrowser/System/Info", "", &[]);
        assert_eq!(r.route(), vec!["system", "info"]);
    }

    #[test]
    fn token_is_found_in_every_accepted_place() {
        let places = [
            req("/x", "", &[("x-emby-token", "t1")]),
            req("/x", "", &[("x-mediabrowser-token", "t1")]),
            req(
                "/x",
                "",
                &[(
                    "x-emby-authorization",
                    "MediaBrowser Client=\"c\", Token=\"t1\"",
                )],
            ),
            req("/x", "", &[("authorization", "Emby Client=c, Token=t1")]),
            req("/x", "api_key=t1", &[]),
            req("/x", "X-Emby-Token=t1&X-Emby-Client=c", &[]),
        ];
        for r in places {
            assert_eq!(r.token().as_deref(), Some("t1"));
        }
        assert_eq!(
            req("/x", "", &[("authorization", "Bearer t1")]).token(),
            None
        );
    }

    #[test]
    fn booleans_in_any_case() {
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("false"), Some(false));
        assert_eq!(parse_bool("FALSE"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }

    #[test]
    fn body_fields_from_json_any_case_or_form() {
        let mut r = req("/x", "", &[]);
        r.body = br#"{"username":"a","PW":"b"}"#.to_vec();
        assert_eq!(r.body_field("Username").as_deref(), Some("a"));
        assert_eq!(r.body_field("pw").as_deref(), Some("b"));
        r.body = b"Username=a%20b&pw=c".to_vec();
        assert_eq!(r.body_field("username").as_deref(), Some("a b"));
    }
}
