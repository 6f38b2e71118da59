//! Clickable terminal links (OSC 8) for the addresses the UI itself writes out.
//!
//! A ratatui cell holds text, not an escape sequence, so the frame is drawn as usual with every
//! address written out in full (what a terminal without links shows), and after the frame the
//! same text is written again over those cells wrapped in `ESC ] 8 ; ; URL ESC \` … `ESC ] 8 ;
//! ; ESC \`. The cells do not change, so ratatui's next diff is not disturbed; when they do
//! change, ratatui writes them without the link.
//!
//! Only addresses that are constants of this program are ever linked ([`Hyperlink::url`] is a
//! `&'static str`, and [`osc8`] refuses anything but printable ASCII): no text from the network
//! gets into an escape sequence.

use std::io::{self, Write};

use crossterm::cursor::MoveTo;
use crossterm::queue;

use crate::app::layout::{areas, fits};
use crate::app::{Overlay, State};

/// One address on screen: where it starts and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hyperlink {
    pub x: u16,
    pub y: u16,
    pub url: &'static str,
}

/// The addresses the frame of this size shows whole, as [`super::draw`] draws them.
pub fn hyperlinks(state: &State, width: u16, height: u16) -> Vec<Hyperlink> {
    if !fits(width, height) {
        return Vec::new();
    }
    let body = areas(width, height).body;
    match &state.overlay {
        Some(Overlay::Account(v)) => super::account::link_cells(state, v, body)
            .into_iter()
            .map(|(x, y, url)| Hyperlink { x, y, url })
            .collect(),
        _ => Vec::new(),
    }
}

/// `url` as an OSC 8 link whose text is the URL itself; None unless it is printable ASCII with
/// no space (nothing that could end or bend the sequence).
pub fn osc8(url: &'static str) -> Option<String> {
    let safe = !url.is_empty() && url.bytes().all(|b| b.is_ascii_graphic());
    safe.then(|| format!("\x1b]8;;{url}\x1b\\{url}\x1b]8;;\x1b\\"))
}

/// Writes each link over its cells (underlined, as drawn), then flushes.
pub fn write_hyperlinks<W: Write>(out: &mut W, links: &[Hyperlink]) -> io::Result<()> {
    if links.is_empty() {
        return Ok(());
    }
    for link in links {
        let Some(seq) = osc8(link.url) else { continue };
        queue!(out, MoveTo(link.x, link.y))?;
        write!(out, "\x1b[4m{seq}\x1b[0m")?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_osc8_around_its_own_text_and_nothing_unsafe_passes() {
        assert_eq!(
            osc8("https://emby.media/connect").as_deref(),
            Some(
                "\x1b]8;;https://emby.media/connect\x1b\\https://emby.media/connect\x1b]8;;\x1b\\"
            )
        );
        assert_eq!(osc8("https://x/\x1b]0;owned\x07"), None);
        assert_eq!(osc8("https://x/a b"), None);
        assert_eq!(osc8("https://x/é"), None);
        assert_eq!(osc8(""), None);
    }

    #[test]
    fn links_are_written_where_they_are_with_the_cursor_moved_there() {
        let mut out = Vec::new();
        write_hyperlinks(
            &mut out,
            &[Hyperlink {
                x: 4,
                y: 9,
                url: "https://emby.media/connect",
            }],
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\x1b[10;5H\x1b[4m\x1b]8;;https://emby.media/connect\x1b\\https://emby.media/connect\x1b]8;;\x1b\\\x1b[0m"
        );
    }
}
