//! Text fields: one line of printable characters, at most [`FIELD_MAX_CHARS`] of them, typed
//! or pasted, edited with a cursor ([`TextInput`], on the `tui-input` crate: move by character
//! and word, Home/End, delete either way, Ctrl-W/Ctrl-U/Ctrl-K, paste of a line).

use crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use crate::emby::Secret;

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

/// An editable one-line text field. A secret one (a password) never shows its text, in the UI
/// or in a Debug print, and is emptied by [`TextInput::take`].
#[derive(Clone, Default)]
pub struct TextInput {
    input: Input,
    secret: bool,
    /// The whole text is "selected": the next character typed replaces it, the next deletion
    /// empties it (a search prompt opening on the last query).
    replace_on_type: bool,
}

impl TextInput {
    /// A field holding `value`, the cursor at its end.
    pub fn new(value: &str) -> Self {
        TextInput {
            input: Input::new(value.to_string()),
            ..Default::default()
        }
    }

    /// An empty password field.
    pub fn secret() -> Self {
        TextInput {
            secret: true,
            ..Default::default()
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// Characters in the field.
    pub fn len(&self) -> usize {
        self.input.value().chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.input.value().is_empty()
    }

    /// Replaces the text (the cursor goes to its end).
    pub fn set(&mut self, value: &str) {
        self.input = Input::new(value.chars().take(FIELD_MAX_CHARS).collect());
        self.replace_on_type = false;
    }

    /// The text for one attempt, as a secret; the field is empty afterwards.
    pub fn take(&mut self) -> Secret {
        let value = self.input.value_and_reset();
        self.replace_on_type = false;
        Secret::new(value)
    }

    /// Select the whole text: typing replaces it, a deletion empties it.
    pub fn select_all(&mut self) {
        self.replace_on_type = !self.is_empty();
    }

    pub fn is_selected(&self) -> bool {
        self.replace_on_type
    }

    /// The cursor's column from the start of the text.
    pub fn cursor(&self) -> usize {
        self.input.visual_cursor()
    }

    /// What the screen shows: the text, or one `*` per character of a secret.
    pub fn shown(&self) -> String {
        if self.secret {
            "*".repeat(self.len())
        } else {
            self.input.value().to_string()
        }
    }

    /// An editing key (a character, Backspace, Delete, ←/→, Ctrl-←/→, Home/End, Ctrl-W,
    /// Ctrl-U, Ctrl-K, ...). Returns whether the field took it.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        let Some(request) = to_input_request(&Event::Key(*key)) else {
            return false;
        };
        self.request(request)
    }

    fn request(&mut self, request: InputRequest) -> bool {
        if self.replace_on_type {
            self.replace_on_type = false;
            match request {
                InputRequest::InsertChar(_) => self.input.reset(),
                InputRequest::DeletePrevChar
                | InputRequest::DeleteNextChar
                | InputRequest::DeletePrevWord
                | InputRequest::DeleteNextWord
                | InputRequest::DeleteLine => {
                    self.input.reset();
                    return true;
                }
                _ => {}
            }
        }
        match request {
            InputRequest::InsertChar(c) if c.is_control() || self.len() >= FIELD_MAX_CHARS => true,
            request => {
                self.input.handle(request);
                true
            }
        }
    }
}

impl Field for TextInput {
    fn char_count(&self) -> usize {
        self.len()
    }
    fn push_char(&mut self, c: char) {
        self.request(InputRequest::InsertChar(c));
    }
    fn pop_char(&mut self) {
        self.request(InputRequest::DeletePrevChar);
    }
}

impl std::fmt::Debug for TextInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.secret {
            f.write_str("<masked>")
        } else {
            write!(f, "{:?}", self.input.value())
        }
    }
}

impl PartialEq for TextInput {
    fn eq(&self, other: &Self) -> bool {
        self.input.value() == other.input.value()
            && self.input.cursor() == other.input.cursor()
            && self.secret == other.secret
            && self.replace_on_type == other.replace_on_type
    }
}

impl Eq for TextInput {}

impl PartialEq<&str> for TextInput {
    fn eq(&self, other: &&str) -> bool {
        self.input.value() == *other
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

    use crossterm::event::{KeyCode, KeyModifiers};

    fn press(field: &mut TextInput, code: KeyCode, mods: KeyModifiers) {
        assert!(field.key(&KeyEvent::new(code, mods)), "{code:?} {mods:?}");
    }

    #[test]
    fn a_field_edits_at_its_cursor_by_character_and_word() {
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        let mut f = TextInput::new("living room");
        press(&mut f, KeyCode::Home, none);
        press(&mut f, KeyCode::Char('a'), none);
        assert_eq!(f, "aliving room");
        press(&mut f, KeyCode::Right, ctrl); // to the next word
        press(&mut f, KeyCode::Backspace, none); // the space before it
        assert_eq!(f, "alivingroom");
        press(&mut f, KeyCode::End, none);
        press(&mut f, KeyCode::Char('w'), ctrl); // delete the word before
        assert_eq!(f, "");
        let mut f = TextInput::new("abc def");
        press(&mut f, KeyCode::Left, none);
        press(&mut f, KeyCode::Left, none);
        press(&mut f, KeyCode::Backspace, none);
        assert_eq!(f, "abc ef");
        assert_eq!(f.cursor(), 4);
        press(&mut f, KeyCode::Char('u'), ctrl);
        assert!(f.is_empty());
    }

    #[test]
    fn a_selected_field_is_replaced_by_typing_and_emptied_by_a_deletion() {
        let mut f = TextInput::new("crim");
        f.select_all();
        press(&mut f, KeyCode::Char('s'), KeyModifiers::NONE);
        assert_eq!(f, "s");
        let mut f = TextInput::new("crim");
        f.select_all();
        press(&mut f, KeyCode::Backspace, KeyModifiers::NONE);
        assert!(f.is_empty());
        // moving the cursor keeps the text and ends the selection
        let mut f = TextInput::new("crim");
        f.select_all();
        press(&mut f, KeyCode::End, KeyModifiers::NONE);
        press(&mut f, KeyCode::Char('e'), KeyModifiers::NONE);
        assert_eq!(f, "crime");
    }

    #[test]
    fn a_secret_field_never_shows_its_text_and_empties_when_taken() {
        let mut f = TextInput::secret();
        f.paste("hunter2\nnext");
        assert_eq!(f.shown(), "*******");
        assert_eq!(format!("{f:?}"), "<masked>");
        assert_eq!(f.take().expose(), "hunter2");
        assert!(f.is_empty());
    }

    #[test]
    fn a_paste_goes_in_at_the_cursor_and_stops_at_the_cap() {
        let mut f = TextInput::new("ad");
        press(&mut f, KeyCode::Left, KeyModifiers::NONE);
        f.paste("bc\nignored");
        assert_eq!(f, "abcd");
        let mut f = TextInput::new("");
        f.paste(&"x".repeat(FIELD_MAX_CHARS + 5));
        assert_eq!(f.len(), FIELD_MAX_CHARS);
        press(&mut f, KeyCode::Char('y'), KeyModifiers::NONE);
        assert_eq!(f.len(), FIELD_MAX_CHARS);
    }
}
