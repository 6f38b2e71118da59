//! [`ServerAddress`]: a server's base URL, and how endpoint URLs are built from it.

use std::fmt;

use url::Url;

use crate::emby::error::{Error, redact_str};

/// A server's base URL: scheme, host, port and an optional path prefix (e.g. a reverse proxy's
/// `/media`). Requests go to `<base>/emby/<Path>`.
///
/// Parsing normalises what users type (protocol.md §1.1): surrounding space is trimmed, `http://`
/// is added when no scheme is given, and a trailing `/` or `/emby` is dropped so `/emby` is never
/// doubled. Query strings, fragments and user info are refused: a base URL carries no secrets.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ServerAddress(Url);

impl ServerAddress {
    /// Parses and normalises an address such as `192.168.1.10:8096` or `https://host/prefix/emby/`.
    pub fn parse(address: &str) -> Result<Self, Error> {
        let trimmed = address.trim();
        let invalid = |reason: &str| Error::InvalidAddress {
            address: redact_str(trimmed),
            reason: reason.to_owned(),
        };
        if trimmed.is_empty() {
            return Err(invalid("empty"));
        }
        let lower = trimmed.to_ascii_lowercase();
        let with_scheme = if lower.starts_with("http://") || lower.starts_with("https://") {
            trimmed.to_owned()
        } else if lower.contains("://") {
            return Err(invalid("only http and https are supported"));
        } else {
            format!("http://{trimmed}")
        };
        let mut url = Url::parse(&with_scheme).map_err(|e| invalid(&e.to_string()))?;
        if url.host_str().is_none_or(str::is_empty) {
            return Err(invalid("no host"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid(
                "a server address takes no query string or fragment",
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("a server address takes no user name or password"));
        }
        let mut path = url.path().trim_end_matches('/').to_owned();
        if path.to_ascii_lowercase().ends_with("/emby") {
            path.truncate(path.len() - "/emby".len());
        }
        url.set_path(&path);
        Ok(ServerAddress(url))
    }

    /// The base URL.
    pub fn as_url(&self) -> &Url {
        &self.0
    }

    /// `<base>/emby/<segments…>`; each segment is percent-encoded, so an id can never add a path
    /// level or a query.
    pub fn endpoint(&self, segments: &[&str]) -> Url {
        let mut url = self.0.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().push("emby").extend(segments);
        }
        url
    }

    /// [`Self::endpoint`] with query pairs.
    pub fn endpoint_with_query<K: AsRef<str>, V: AsRef<str>>(
        &self,
        segments: &[&str],
        query: &[(K, V)],
    ) -> Url {
        let mut url = self.endpoint(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }
}

impl fmt::Display for ServerAddress {
    /// The base URL without a trailing `/`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str().trim_end_matches('/'))
    }
}

impl fmt::Debug for ServerAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServerAddress({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(base: &str, segments: &[&str]) -> String {
        ServerAddress::parse(base)
            .unwrap()
            .endpoint(segments)
            .to_string()
    }

    #[test]
    fn endpoints_go_under_emby_after_any_path_prefix() {
        let info = ["System", "Info", "Public"];
        assert_eq!(
            ep("http://127.0.0.1:8096", &info),
            "http://127.0.0.1:8096/emby/System/Info/Public"
        );
        assert_eq!(
            ep("http://127.0.0.1:8096/", &info),
            "http://127.0.0.1:8096/emby/System/Info/Public"
        );
        assert_eq!(
            ep("https://h/media", &info),
            "https://h/media/emby/System/Info/Public"
        );
        assert_eq!(
            ep("https://h/media/", &info),
            "https://h/media/emby/System/Info/Public"
        );
        assert_eq!(
            ep("https://h/media/emby/", &info),
            "https://h/media/emby/System/Info/Public"
        );
        assert_eq!(
            ep("http://h:8096/EMBY", &info),
            "http://h:8096/emby/System/Info/Public"
        );
    }

    #[test]
    fn typed_addresses_are_normalised() {
        assert_eq!(
            ServerAddress::parse(" 10.0.0.5:8096 ").unwrap().to_string(),
            "http://10.0.0.5:8096"
        );
        assert_eq!(
            ServerAddress::parse("HTTPS://Host:8920")
                .unwrap()
                .to_string(),
            "https://host:8920"
        );
    }

    #[test]
    fn ids_cannot_escape_their_path_segment() {
        let url = ep("http://h", &["Users", "a/../b?x=1", "Items"]);
        assert_eq!(url, "http://h/emby/Users/a%2F..%2Fb%3Fx=1/Items");
    }

    #[test]
    fn addresses_with_secrets_or_other_schemes_are_refused() {
        for bad in [
            "",
            "ftp://h",
            "http://u:p@h",
            "http://h/?api_key=1",
            "http://",
            "http://h#x",
        ] {
            let err = ServerAddress::parse(bad).unwrap_err();
            assert!(matches!(err, Error::InvalidAddress { .. }), "{bad}");
            assert!(!err.to_string().contains("api_key=1"));
        }
    }
}
