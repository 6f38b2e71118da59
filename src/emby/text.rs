//! Text from the network made harmless for a terminal.
//!
//! A server's owner chooses its name, its libraries' names and its items' overviews, and an
//! error reply's text; printed raw, an escape sequence in one of them could retitle or clear the
//! user's terminal, ring its bell or fake output lines (`\r`, `\n`). Every JSON reply is cleaned
//! once when it is decoded ([`clean_json`]), and what the command line prints is cleaned again
//! line by line ([`strip_controls`]), so even a name saved by an earlier version is safe.

use std::borrow::Cow;

/// True for the characters a terminal acts on rather than shows: C0 controls (which include
/// ESC, BEL, CR, LF, TAB), DEL and the C1 controls (U+0080–U+009F, e.g. the 8-bit CSI).
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// `text` with every control character gone: tab, CR and LF become a space (so words stay
/// apart), anything else is dropped. Borrowed when there was nothing to change.
///
/// ```
/// use emby_tui::emby::text::strip_controls;
/// assert_eq!(strip_controls("Den\x1b]0;owned\x07\r\nFAKE"), "Den]0;owned  FAKE");
/// assert_eq!(strip_controls("Living Room"), "Living Room");
/// ```
pub fn strip_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| match c {
                '\t' | '\r' | '\n' => Some(' '),
                c if is_control(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Like [`strip_controls`], but line breaks (`\n`, and `\r\n` as one) are kept as `\n`: for text
/// meant to have paragraphs (an overview), which is drawn line by line.
pub fn strip_controls_keep_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_control(c) && c != '\n') {
        return Cow::Borrowed(text);
    }
    let text = text.replace("\r\n", "\n");
    Cow::Owned(
        text.chars()
            .filter_map(|c| match c {
                '\n' => Some('\n'),
                '\t' | '\r' => Some(' '),
                c if is_control(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Whether a JSON document may hold a control character in a string. JSON cannot carry a raw
/// C0 control inside a string, only an escape (`\n`, `\u001b`, ...); a C1 control (U+0080 to
/// U+009F) may come raw, as UTF-8 `C2 80`..`C2 9F`. False means certainly none: a quick scan
/// that spares the usual reply the cleaning pass.
pub fn json_may_hold_controls(json: &[u8]) -> bool {
    json.windows(2).any(|w| {
        matches!(
            w,
            [b'\\', b'n' | b'r' | b't' | b'b' | b'f' | b'u'] | [0xc2, 0x80..=0x9f]
        )
    })
}

/// JSON keys whose text may have paragraphs.
const MULTI_LINE_KEYS: [&str; 2] = ["Overview", "overview"];

/// Cleans every string of a decoded JSON document in place: [`strip_controls`], except the
/// values of [`MULTI_LINE_KEYS`], which keep their line breaks.
pub fn clean_json(value: &mut serde_json::Value) {
    clean_value(value, false);
}

fn clean_value(value: &mut serde_json::Value, multi_line: bool) {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            let cleaned = if multi_line {
                strip_controls_keep_lines(s)
            } else {
                strip_controls(s)
            };
            if let Cow::Owned(cleaned) = cleaned {
                *s = cleaned;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| clean_value(v, multi_line)),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                clean_value(v, MULTI_LINE_KEYS.contains(&k.as_str()));
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_bells_and_line_breaks_never_survive() {
        let hostile = "Den\u{1b}]0;owned\u{7}\u{1b}[2J\r\nFAKE\u{9b}31m\u{7f}\tok";
        let clean = strip_controls(hostile);
        assert!(!clean.chars().any(is_control), "{clean:?}");
        assert_eq!(clean, "Den]0;owned[2J  FAKE31m ok");
    }

    #[test]
    fn plain_and_non_ascii_text_is_untouched_and_not_copied() {
        for text in ["Grandpa's Server", "Jörg – Kino 🎬", "東京"] {
            assert!(matches!(strip_controls(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn overviews_keep_paragraphs_and_lose_everything_else() {
        assert_eq!(
            strip_controls_keep_lines("One.\r\n\u{1b}[2JTwo.\n\tThree."),
            "One.\n[2JTwo.\n Three."
        );
    }

    #[test]
    fn the_quick_scan_sees_every_way_a_control_can_be_written() {
        for json in [
            r#"{"Name":"a\nb"}"#,
            r#"{"Name":"a\u001b[2J"}"#,
            r#"{"Name":"a\tb"}"#,
            "{\"Name\":\"a\u{9b}31m\"}",
        ] {
            assert!(json_may_hold_controls(json.as_bytes()), "{json}");
        }
        for json in [
            r#"{"Name":"Living Room","Id":"x"}"#,
            "{\"Name\":\"Jörg – 東京 🎬\"}",
        ] {
            assert!(!json_may_hold_controls(json.as_bytes()), "{json}");
        }
    }

    #[test]
    fn every_string_of_a_reply_is_cleaned_at_any_depth() {
        let mut v = json!({
            "Name": "A\u{1b}[31m",
            "Overview": "x\ny\u{7}",
            "Items": [{"Name": "B\r\nC", "Genres": ["D\u{0}"], "RunTimeTicks": 5}],
        });
        clean_json(&mut v);
        assert_eq!(
            v,
            json!({
                "Name": "A[31m",
                "Overview": "x\ny",
                "Items": [{"Name": "B  C", "Genres": ["D"], "RunTimeTicks": 5}],
            })
        );
    }
}
