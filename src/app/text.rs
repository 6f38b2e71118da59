//! What may go into a text field, typed or pasted: one line of printable characters, at most
//! [`FIELD_MAX_CHARS`] of them.

/// The most characters a text field holds (typed or pasted): far above any real name, e-mail,
/// server address, password or search, and above a 3 KB paste, yet small enough that a runaway
/// paste costs nothing to keep or draw.
pub const FIELD_MAX_CHARS: usize = 4096;

/// The part of a paste that goes into a one-line field: up to the first line break (CR or LF),
/// tabs as spaces, other control characters dropped.
pub fn paste_line(pasted: &str) -> impl Iterator<Item = char> + '_ {
    pasted
        .chars()
        .take_while(|c| !matches!(c, '\r' | '\n'))
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
}

/// A field's text: appends stop at [`FIELD_MAX_CHARS`].
pub trait Field {
    fn char_count(&self) -> usize;
    fn push_char(&mut self, c: char);
    /// Delete the last character (Backspace).
    fn pop_char(&mut self);

    /// Type one character (dropped once the field is full).
    fn type_char(&mut self, c: char) {
        if self.char_count() < FIELD_MAX_CHARS {
            self.push_char(c);
        }
    }

    /// Append a paste, cleaned by [`paste_line`], up to the cap.
    fn paste(&mut self, pasted: &str) {
        let room = FIELD_MAX_CHARS.saturating_sub(self.char_count());
        for c in paste_line(pasted).take(room) {
            self.push_char(c);
        }
    }
}

impl Field for String {
    fn char_count(&self) -> usize {
        self.chars().count()
    }
    fn push_char(&mut self, c: char) {
        self.push(c);
    }
    fn pop_char(&mut self) {
        self.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_keeps_its_first_line_with_tabs_as_spaces_and_no_control_characters() {
        let got: String = paste_line("a\tb\u{7}c\u{1b}[31md\r\nsecond line").collect();
        assert_eq!(got, "a bc[31md");
        let got: String = paste_line("only\nthe first").collect();
        assert_eq!(got, "only");
        assert_eq!(paste_line("\nnothing before").count(), 0);
    }

    #[test]
    fn typing_and_pasting_stop_at_the_cap() {
        let mut s = "x".repeat(FIELD_MAX_CHARS - 2);
        s.paste("abcdef");
        assert_eq!(s.chars().count(), FIELD_MAX_CHARS);
        assert!(s.ends_with("xab"));
        s.type_char('z');
        assert_eq!(s.chars().count(), FIELD_MAX_CHARS);
        // the cap counts characters, not bytes
        let mut wide = String::new();
        wide.paste(&"é".repeat(FIELD_MAX_CHARS + 10));
        assert_eq!(wide.chars().count(), FIELD_MAX_CHARS);
    }
}
