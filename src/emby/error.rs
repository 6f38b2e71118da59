//! [`Error`]: what went wrong talking to Connect or to an Emby Server, in words a user can act on.
//!
//! Messages name the address (without its query string, which may carry `api_key`) and never a
//! token: see [`redact_url`].

use std::time::Duration;

use url::Url;

/// A failed call to the Emby Connect service or to an Emby Server.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Nothing usable answered at that address: refused, reset, DNS failure, TLS failure, closed early.
    #[error("cannot reach {address}: {cause}")]
    Unreachable {
        /// The address tried (scheme, host, port, path; never a query string).
        address: String,
        /// A short cause such as "connection refused".
        cause: String,
    },
    /// The address did not answer in time.
    #[error("{address} did not answer within {}", format_duration(*after))]
    TimedOut {
        /// The address tried (never a query string).
        address: String,
        /// How long we waited.
        after: Duration,
    },
    /// The server answered with an HTTP error status.
    #[error("{endpoint} answered {status}: {message}")]
    Status {
        /// The endpoint (path without query string).
        endpoint: String,
        /// The HTTP status code, e.g. 401.
        status: u16,
        /// The server's message from the body, else the status's reason phrase.
        message: String,
        /// The `X-Application-Error-Code` header when present (e.g. `ParentalControl`).
        error_code: Option<String>,
    },
    /// The reply arrived but is not what this endpoint returns (not JSON, wrong type, missing key).
    #[error("the reply of {endpoint} was not understood: {detail}")]
    NotUnderstood {
        /// The endpoint (path without query string).
        endpoint: String,
        /// Which field and why, e.g. "at `Items[0].Id`: invalid type: integer `5`, expected a string".
        detail: String,
    },
    /// The reply body was larger than the configured cap; reading stopped there.
    #[error("the reply of {endpoint} is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The endpoint (path without query string).
        endpoint: String,
        /// The cap in bytes.
        limit: usize,
    },
    /// The address answered with a redirect to another origin (scheme, host or port), which is
    /// not followed: a token, an AccessKey or a password is only sent where it was meant to go.
    #[error(
        "{address} answered {status}, a redirect to {to}; emby-tui sends sign-in details only to the address they belong to, so it did not follow (if {to} is the server, use that address)"
    )]
    Redirected {
        /// The address that redirected (never a query string).
        address: String,
        /// The HTTP status (301, 302, 303, 307 or 308).
        status: u16,
        /// The origin the redirect named (`scheme://host:port`), no path or query.
        to: String,
    },
    /// The address is not a usable `http`/`https` base URL.
    #[error("invalid address {address:?}: {reason}")]
    InvalidAddress {
        /// The address as given (query stripped).
        address: String,
        /// Why it cannot be used.
        reason: String,
    },
}

impl Error {
    /// What went wrong without naming the address (for a message that names it once itself):
    /// "connection refused", "no answer within 6.0 s", "answered 500: …".
    pub fn cause(&self) -> String {
        match self {
            Error::Unreachable { cause, .. } => cause.clone(),
            Error::TimedOut { after, .. } => {
                format!("no answer within {}", format_duration(*after))
            }
            Error::Status {
                status, message, ..
            } => format!("answered {status}: {message}"),
            Error::NotUnderstood { detail, .. } => {
                format!("answered, but not as an Emby Server does ({detail})")
            }
            Error::TooLarge { limit, .. } => format!("answered with more than {limit} bytes"),
            Error::Redirected { status, to, .. } => format!(
                "answered {status}, a redirect to {to}, which emby-tui does not follow (use that address if it is the server)"
            ),
            Error::InvalidAddress { reason, .. } => reason.clone(),
        }
    }

    /// True for HTTP 401: the token (or AccessKey, or password) was not accepted.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// True for HTTP 404: unknown item or user, or no local user linked (Connect exchange).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// True when the address did not answer at all (unreachable or timed out): try another address.
    pub fn is_network(&self) -> bool {
        matches!(self, Error::Unreachable { .. } | Error::TimedOut { .. })
    }

    /// The HTTP status, when the server answered with an error status.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// `scheme://host:port/path` of a URL: no user info, no query string (it may carry `api_key`), no fragment.
pub fn redact_url(url: &Url) -> String {
    let mut shown = format!("{}://", url.scheme());
    if let Some(host) = url.host_str() {
        shown.push_str(host);
    }
    if let Some(port) = url.port() {
        shown.push_str(&format!(":{port}"));
    }
    shown.push_str(url.path());
    shown
}

/// The same as [`redact_url`] for a string that may not parse: everything from the first `?` or `#` is cut.
pub fn redact_str(url: &str) -> String {
    match Url::parse(url) {
        Ok(parsed) => redact_url(&parsed),
        Err(_) => {
            let cut = url.find(['?', '#']).unwrap_or(url.len());
            let without_query = &url[..cut];
            // user info (`user:pass@`) before the host
            match (without_query.find("://"), without_query.rfind('@')) {
                (Some(scheme_end), Some(at)) if at > scheme_end => {
                    format!(
                        "{}{}",
                        &without_query[..scheme_end + 3],
                        &without_query[at + 1..]
                    )
                }
                _ => without_query.to_owned(),
            }
        }
    }
}

fn format_duration(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_url_drops_query_userinfo_and_fragment() {
        let url =
            Url::parse("http://me:pw@127.0.0.1:8096/emby/Videos/1/stream.mkv?api_key=SECRET#x")
                .unwrap();
        assert_eq!(
            redact_url(&url),
            "http://127.0.0.1:8096/emby/Videos/1/stream.mkv"
        );
        assert_eq!(redact_str("not a url?api_key=SECRET"), "not a url");
        assert_eq!(redact_str("http://a:b@[bad?api_key=SECRET"), "http://[bad");
    }

    #[test]
    fn helpers_classify_errors() {
        let status = |s| Error::Status {
            endpoint: "/x".into(),
            status: s,
            message: "m".into(),
            error_code: None,
        };
        assert!(status(401).is_unauthorized());
        assert!(!status(401).is_not_found());
        assert!(status(404).is_not_found());
        assert!(!status(500).is_network());
        let down = Error::Unreachable {
            address: "http://127.0.0.1:1".into(),
            cause: "connection refused".into(),
        };
        assert!(down.is_network());
        let slow = Error::TimedOut {
            address: "http://127.0.0.1:1".into(),
            after: Duration::from_millis(1500),
        };
        assert!(slow.is_network());
        assert_eq!(
            slow.to_string(),
            "http://127.0.0.1:1 did not answer within 1.5 s"
        );
    }
}
