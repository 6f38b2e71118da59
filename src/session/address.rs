//! Server addresses typed by a person: normalised to a base URL the wire client appends `/emby/...` to.

use url::Url;

/// Why an address typed by the user cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("the address is empty")]
    Empty,
    #[error("\"{0}\" is not a valid server address")]
    Invalid(String),
    #[error("only http:// and https:// addresses are supported, not {0}://")]
    Scheme(String),
}

/// Normalise a typed address: trim, default scheme `http://`, lower-case scheme and host,
/// keep a port and a path prefix (e.g. `https://example.org/emby-proxy`), drop a trailing
/// slash, a trailing `/emby` (the client adds it), a query and a fragment.
///
/// ```
/// use emby_tui::session::address::normalize_address;
/// assert_eq!(normalize_address(" 192.168.1.10:8096 ").unwrap(), "http://192.168.1.10:8096");
/// assert_eq!(normalize_address("HTTPS://Media.example.org/proxy/emby/").unwrap(), "https://media.example.org/proxy");
/// assert!(normalize_address("ftp://nas").is_err());
/// ```
pub fn normalize_address(input: &str) -> Result<String, AddressError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(AddressError::Empty);
    }
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("http://{trimmed}")
    };
    let url = Url::parse(&with_scheme).map_err(|_| AddressError::Invalid(trimmed.to_string()))?;
    let scheme = url.scheme().to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(AddressError::Scheme(scheme));
    }
    let host = match url.host_str() {
        Some(h) if !h.is_empty() => h.to_ascii_lowercase(),
        _ => return Err(AddressError::Invalid(trimmed.to_string())),
    };
    let mut out = format!("{scheme}://{host}");
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    let mut path = url.path().trim_end_matches('/').to_string();
    if path.to_ascii_lowercase().ends_with("/emby") {
        path.truncate(path.len() - "/emby".len());
    }
    out.push_str(&path);
    Ok(out)
}

/// Two addresses name the same place (compared after normalisation, case-insensitively).
pub fn same_address(a: &str, b: &str) -> bool {
    match (normalize_address(a), normalize_address(b)) {
        (Ok(a), Ok(b)) => a.eq_ignore_ascii_case(&b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_http_when_the_scheme_is_missing_and_trims() {
        assert_eq!(
            normalize_address("  192.168.1.10:8096 ").unwrap(),
            "http://192.168.1.10:8096"
        );
    }

    #[test]
    fn keeps_https_port_and_path_prefix_but_drops_trailing_slash_and_emby() {
        assert_eq!(
            normalize_address("HTTPS://Media.Example.org:8920/proxy/emby/").unwrap(),
            "https://media.example.org:8920/proxy"
        );
        assert_eq!(
            normalize_address("http://h/prefix/").unwrap(),
            "http://h/prefix"
        );
    }

    #[test]
    fn drops_query_and_fragment() {
        assert_eq!(
            normalize_address("http://h:1/?api_key=x#y").unwrap(),
            "http://h:1"
        );
    }

    #[test]
    fn rejects_empty_garbage_and_other_schemes() {
        assert_eq!(normalize_address("   "), Err(AddressError::Empty));
        assert!(matches!(
            normalize_address("http://"),
            Err(AddressError::Invalid(_))
        ));
        assert_eq!(
            normalize_address("ftp://h"),
            Err(AddressError::Scheme("ftp".into()))
        );
    }

    #[test]
    fn same_address_ignores_case_and_trailing_slash() {
        assert!(same_address("HTTP://Host:8096/", "http://host:8096"));
        assert!(!same_address("http://host:8096", "http://host:8097"));
    }
}
