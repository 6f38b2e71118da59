//! [`ClientIdentity`]: who we are to an Emby Server (the `X-Emby-Authorization` header), and the
//! per-install device id that keeps server tokens stable across runs.

use std::fmt::Write as _;

use super::secret::Secret;

/// The application name sent to servers and to Connect.
pub const CLIENT_NAME: &str = "emby-tui";

/// The client identity every server request carries.
///
/// Servers record Client/Device/DeviceId/Version on the session they create, and 3.x servers
/// re-issue the same token to the same user on the same DeviceId (protocol.md §3.5), so the
/// device id must be stable per install (kept by `session::files::device_id`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIdentity {
    /// Application name: always `emby-tui`.
    pub client: String,
    /// Human-readable device name (e.g. the host name).
    pub device: String,
    /// Stable per-install id (32 hex digits).
    pub device_id: String,
    /// Application version.
    pub version: String,
}

impl ClientIdentity {
    /// `emby-tui` at this crate's version, on the given device.
    pub fn new(device: impl Into<String>, device_id: impl Into<String>) -> Self {
        ClientIdentity {
            client: CLIENT_NAME.to_owned(),
            device: device.into(),
            device_id: device_id.into(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }

    /// The `X-Emby-Authorization` value:
    /// `MediaBrowser Client="emby-tui", Device="…", DeviceId="…", Version="…"[, Token="…"]`.
    ///
    /// Values are escaped with [`escape_value`] so a quote, a comma or a non-ASCII
    /// device name cannot break the header. The result contains the token when one is given: it
    /// is returned as a [`Secret`] so it is never printed.
    pub fn authorization(&self, token: Option<&Secret>) -> Secret {
        let mut value = format!(
            "MediaBrowser Client=\"{}\", Device=\"{}\", DeviceId=\"{}\", Version=\"{}\"",
            escape_value(&self.client),
            escape_value(&self.device),
            escape_value(&self.device_id),
            escape_value(&self.version),
        );
        if let Some(token) = token {
            let _ = write!(value, ", Token=\"{}\"", escape_value(token.expose()));
        }
        Secret::new(value)
    }

    /// The `X-Application` value for Connect: `emby-tui/<version>`.
    pub fn application(&self) -> String {
        format!("{}/{}", self.client, self.version)
    }
}

/// Escapes one header value: `\` and `"` get a backslash; control characters, `,` and non-ASCII
/// are percent-encoded (UTF-8 bytes, as Emby's JS client does with `encodeURIComponent`), because
/// the 3.x server splits the header on `,` and HTTP headers are ASCII.
pub fn escape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ',' | '%' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> ClientIdentity {
        ClientIdentity {
            client: "emby-tui".into(),
            device: "box".into(),
            device_id: "0123456789abcdef0123456789abcdef".into(),
            version: "0.1.0".into(),
        }
    }

    #[test]
    fn header_without_token_has_the_four_values_in_order() {
        assert_eq!(
            identity().authorization(None).expose(),
            "MediaBrowser Client=\"emby-tui\", Device=\"box\", \
             DeviceId=\"0123456789abcdef0123456789abcdef\", Version=\"0.1.0\""
        );
    }

    #[test]
    fn header_with_token_appends_token_and_stays_redacted_in_debug() {
        let header = identity().authorization(Some(&Secret::new("tok123")));
        assert!(
            header
                .expose()
                .ends_with(", Version=\"0.1.0\", Token=\"tok123\"")
        );
        assert!(!format!("{header:?}").contains("tok123"));
    }

    #[test]
    fn values_with_quotes_commas_and_unicode_are_escaped() {
        let mut id = identity();
        id.device = "Jörg's \"big\", box\n".into();
        let header = id.authorization(None);
        assert!(
            header
                .expose()
                .contains("Device=\"J%C3%B6rg's \\\"big\\\"%2C box%0A\""),
            "{}",
            header.expose()
        );
        assert!(reqwest::header::HeaderValue::from_str(header.expose()).is_ok());
    }
}
