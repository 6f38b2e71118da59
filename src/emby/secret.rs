//! [`Secret`]: a string that must never be printed (tokens, AccessKeys, passwords, URLs carrying them).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A secret string: an access token, a Connect AccessKey, a password or a URL that carries one.
///
/// `Debug` and `Display` print `<redacted>`, so a secret cannot leak through `{:?}`, an error
/// message or a log line by accident; [`Secret::expose`] is the one explicit way to read it.
/// Serde is transparent (a plain JSON string) because secrets are stored in the credentials file.
///
/// ```
/// use emby_tui::emby::Secret;
/// let token = Secret::new("0123abcd");
/// assert_eq!(format!("{token} {token:?}"), "<redacted> <redacted>");
/// assert_eq!(token.expose(), "0123abcd");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself: only for putting it on the wire or into the credentials store.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the secret is the empty string (servers sometimes send `""` for "no token").
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s = Secret::new("abcdef0123456789");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&s)), "Some(<redacted>)");
        assert_eq!(s.expose(), "abcdef0123456789");
    }

    #[test]
    fn serde_is_a_plain_string_both_ways() {
        let s: Secret = serde_json::from_str("\"tok\"").unwrap();
        assert_eq!(s.expose(), "tok");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"tok\"");
    }
}
