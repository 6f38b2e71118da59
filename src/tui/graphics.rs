//! What this terminal draws pictures with, decided once at start.
//!
//! `auto` asks the terminal, only when stdin and stdout are a terminal and neither tmux nor SSH
//! is in the way (there the answer may come late or from the wrong terminal, and a late answer
//! would arrive as keys): the kitty graphics query, the primary device attributes (sixel is
//! attribute 4), the cell size in pixels, and the device status report, which every terminal
//! answers and so marks the end. The questions are ratatui-image's own (`cap_parser`); the
//! reading is ours: the first frame is drawn before the question goes out, stdin is read with
//! `poll` until the status report comes or [`QUERY_DEADLINE`] passes (no thread is left behind
//! reading stdin, as ratatui-image's `Picker::from_query_stdio` leaves one when a terminal does
//! not answer, which would then eat keys), and a key typed meanwhile is handed on to the event
//! loop, not lost. Kitty first, then sixel, then iTerm2 (told by the environment, as
//! ratatui-image does), else halfblocks; a pixel protocol without a known cell size falls back
//! to halfblocks too. Everywhere else `auto` is halfblocks, and a forced protocol is used as is.

use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui_image::picker::ProtocolType;
use ratatui_image::picker::cap_parser::{Parser, QueryStdioOptions, Response};

use crate::app::images::{DEFAULT_FONT, Graphics, GraphicsProtocol, ImageMode};

/// The longest the event loop waits for a terminal that does not answer (one that does answers
/// in a few milliseconds; the first frame is on screen meanwhile).
pub const QUERY_DEADLINE: Duration = Duration::from_millis(500);

/// How much longer than [`QUERY_DEADLINE`] a paste that began meanwhile is read, to its end.
const PASTE_GRACE: Duration = Duration::from_secs(2);

/// What was decided, and what came on the way.
#[derive(Debug, Default)]
pub struct Resolved {
    pub graphics: Option<Graphics>,
    /// Keys typed while the terminal was being asked, for the event loop.
    pub typed: Vec<Event>,
    /// How long asking took (None: the terminal was not asked).
    pub asked_for: Option<Duration>,
}

fn env_set(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

/// Inside tmux (or a terminal that says it is tmux).
pub fn in_tmux() -> bool {
    env_set("TMUX")
        || std::env::var("TERM").is_ok_and(|t| t.starts_with("tmux"))
        || std::env::var("TERM_PROGRAM").is_ok_and(|t| t == "tmux")
}

/// Over SSH: the terminal is far away.
pub fn over_ssh() -> bool {
    env_set("SSH_CONNECTION") || env_set("SSH_TTY") || env_set("SSH_CLIENT")
}

/// Terminals known to draw iTerm2 inline images, by what they put in the environment (the list
/// ratatui-image uses).
fn iterm2_from_env() -> bool {
    let program = std::env::var("TERM_PROGRAM").unwrap_or_default();
    [
        "iTerm",
        "WezTerm",
        "mintty",
        "vscode",
        "Tabby",
        "Hyper",
        "rio",
        "Bobcat",
        "WarpTerminal",
    ]
    .iter()
    .any(|p| program.contains(p))
        || std::env::var("LC_TERMINAL").is_ok_and(|t| t.contains("iTerm"))
}

/// The cell size in pixels from the window size the terminal reports to the kernel, if it does.
#[cfg(unix)]
fn window_font() -> Option<(u16, u16)> {
    let ws = rustix::termios::tcgetwinsize(std::io::stdout()).ok()?;
    if ws.ws_xpixel == 0 || ws.ws_ypixel == 0 || ws.ws_col == 0 || ws.ws_row == 0 {
        return None;
    }
    Some((ws.ws_xpixel / ws.ws_col, ws.ws_ypixel / ws.ws_row))
}

#[cfg(not(unix))]
fn window_font() -> Option<(u16, u16)> {
    None
}

/// What the terminal said.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Answers {
    pub kitty: bool,
    pub sixel: bool,
    /// Cell width and height in pixels.
    pub cell: Option<(u16, u16)>,
    /// The status report came: the terminal answered everything it was going to.
    pub done: bool,
}

/// Splits what stdin brought while the terminal was asked into its answers (escape sequences)
/// and what the user typed (everything outside them).
#[derive(Default)]
pub struct Scanner {
    seq: Option<Vec<u8>>,
    parser: Parser,
    pub answers: Answers,
    pub typed: Vec<u8>,
    /// Inside a bracketed paste: every byte is typed, none is an answer.
    pasting: bool,
}

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// Whether an escape sequence is complete: CSI at its final byte, APC/OSC/DCS at BEL or ST,
/// anything else after one character.
fn complete(seq: &[u8]) -> bool {
    let last = *seq.last().unwrap_or(&0);
    match seq.get(1) {
        None => false,
        Some(b'[') => seq.len() > 2 && (0x40..=0x7e).contains(&last),
        // SS3: F1-F4 and the cursor keys in application mode, one character after `O`
        Some(b'O') => seq.len() > 2,
        Some(b'_' | b']' | b'P' | b'^' | b'X') => {
            seq.len() > 2 && (last == 0x07 || seq.ends_with(b"\x1b\\"))
        }
        Some(_) => true,
    }
}

impl Scanner {
    pub fn push(&mut self, b: u8) {
        if self.pasting {
            self.typed.push(b);
            self.pasting = !self.typed.ends_with(PASTE_END);
            return;
        }
        let Some(seq) = &mut self.seq else {
            if b == 0x1b {
                self.seq = Some(vec![b]);
            } else {
                self.typed.push(b);
            }
            return;
        };
        seq.push(b);
        if !complete(seq) {
            return;
        }
        let seq = self.seq.take().unwrap_or_default();
        if !matches!(seq.get(1), Some(b'[' | b'_' | b']' | b'P' | b'^' | b'X')) || key_csi(&seq) {
            // ESC and one character (Alt and a key), SS3 or a key's CSI: typed
            self.pasting = seq == PASTE_START;
            self.typed.extend_from_slice(&seq);
            return;
        }
        for c in seq {
            for r in self.parser.push(char::from(c)) {
                match r {
                    Response::Kitty => self.answers.kitty = true,
                    Response::Sixel => self.answers.sixel = true,
                    Response::CellSize(Some(size)) => self.answers.cell = Some(size),
                    Response::Status => self.answers.done = true,
                    _ => {}
                }
            }
        }
    }
}

/// Whether a complete CSI sequence is a key (cursor keys, Home/End, F1-F12, Insert/Delete,
/// PageUp/PageDown, Shift-Tab) rather than an answer (those end in `c`, `n`, `t` or `R`).
fn key_csi(seq: &[u8]) -> bool {
    seq.get(1) == Some(&b'[')
        && seq
            .last()
            .is_some_and(|b| b"ABCDHFPQSZ~".contains(b) && !seq.contains(&b'?'))
}

/// The key of a CSI or SS3 sequence (`ESC [ params final` or `ESC O final`), with its
/// modifiers (`1;5A` is Ctrl-Up); None for one this does not know.
fn sequence_key(params: &str, last: u8) -> Option<(KeyCode, KeyModifiers)> {
    let mut parts = params.split(';');
    let first: u16 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(1);
    let m = parts
        .next()
        .and_then(|m| m.parse::<u8>().ok())
        .unwrap_or(1)
        .saturating_sub(1);
    let mut mods = KeyModifiers::NONE;
    if m & 1 != 0 {
        mods |= KeyModifiers::SHIFT;
    }
    if m & 2 != 0 {
        mods |= KeyModifiers::ALT;
    }
    if m & 4 != 0 {
        mods |= KeyModifiers::CONTROL;
    }
    let code = match last {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        b'Z' => return Some((KeyCode::BackTab, KeyModifiers::SHIFT)),
        b'~' => match first {
            1 | 7 => KeyCode::Home,
            2 => KeyCode::Insert,
            3 => KeyCode::Delete,
            4 | 8 => KeyCode::End,
            5 => KeyCode::PageUp,
            6 => KeyCode::PageDown,
            n @ 11..=15 => KeyCode::F((n - 10) as u8),
            n @ 17..=21 => KeyCode::F((n - 11) as u8),
            n @ 23..=24 => KeyCode::F((n - 12) as u8),
            _ => return None,
        },
        _ => return None,
    };
    Some((code, mods))
}

/// Keys typed while the terminal was asked, as the event loop's events (characters, Enter,
/// Tab, Backspace, Ctrl and a letter; Alt and a character; cursor, editing and function keys).
pub fn typed_events(bytes: &[u8]) -> Vec<Event> {
    let mut out = Vec::new();
    let mut rest = bytes;
    // a bracketed paste is one paste, not thousands of keys
    while let Some(start) = find(rest, PASTE_START) {
        keys(&rest[..start], &mut out);
        let pasted = &rest[start + PASTE_START.len()..];
        let end = find(pasted, PASTE_END).unwrap_or(pasted.len());
        out.push(Event::Paste(
            String::from_utf8_lossy(&pasted[..end]).into_owned(),
        ));
        rest = pasted.get(end + PASTE_END.len()..).unwrap_or_default();
    }
    keys(rest, &mut out);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn keys(bytes: &[u8], out: &mut Vec<Event>) {
    let text = String::from_utf8_lossy(bytes);
    let mut alt = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let (code, mut mods) = match c {
            '\u{1b}' if matches!(chars.peek(), Some('[' | 'O')) => {
                let csi = chars.next() == Some('[');
                let mut params = String::new();
                let mut last = None;
                for p in chars.by_ref() {
                    if csi && (p.is_ascii_digit() || p == ';') {
                        params.push(p);
                    } else {
                        last = u8::try_from(p).ok();
                        break;
                    }
                }
                alt = false;
                match last.and_then(|l| sequence_key(&params, l)) {
                    Some(key) => key,
                    None => continue,
                }
            }
            '\u{1b}' => {
                alt = true;
                continue;
            }
            '\r' | '\n' => (KeyCode::Enter, KeyModifiers::NONE),
            '\t' => (KeyCode::Tab, KeyModifiers::NONE),
            '\u{7f}' | '\u{8}' => (KeyCode::Backspace, KeyModifiers::NONE),
            '\u{1}'..='\u{1a}' => (
                KeyCode::Char(char::from(b'a' + (c as u8 - 1))),
                KeyModifiers::CONTROL,
            ),
            c if c.is_control() => continue,
            c if c.is_ascii_uppercase() => (KeyCode::Char(c), KeyModifiers::SHIFT),
            c => (KeyCode::Char(c), KeyModifiers::NONE),
        };
        if std::mem::take(&mut alt) {
            mods |= KeyModifiers::ALT;
        }
        out.push(Event::Key(KeyEvent::new(code, mods)));
    }
}

/// The protocol the answers (and the environment) point to.
pub fn choose(answers: &Answers, iterm2: bool, window_font: Option<(u16, u16)>) -> Graphics {
    let font = answers.cell.or(window_font);
    let protocol = if answers.kitty {
        GraphicsProtocol::Kitty
    } else if answers.sixel {
        GraphicsProtocol::Sixel
    } else if iterm2 {
        GraphicsProtocol::Iterm2
    } else {
        GraphicsProtocol::Halfblocks
    };
    match (protocol, font) {
        (GraphicsProtocol::Halfblocks, _) | (_, None) => Graphics::halfblocks(),
        (protocol, Some(font)) => Graphics {
            protocol,
            font,
            tmux: false,
        },
    }
}

/// Asks the terminal (stdin and stdout must be it, in raw mode) and reads its answers until the
/// status report or the deadline.
#[cfg(unix)]
fn ask(deadline: Duration) -> std::io::Result<Scanner> {
    use std::io::Write;
    use std::os::fd::AsFd;

    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use rustix::io::Errno;

    // WezTerm and Konsole answer the kitty query but draw it wrong, and Konsole's sixel is
    // broken (ratatui-image's list): iTerm2 or halfblocks there.
    let blacklist = env_set("WEZTERM_EXECUTABLE") || env_set("KONSOLE_VERSION");
    let options = QueryStdioOptions {
        blacklist_protocols: if blacklist {
            vec![ProtocolType::Kitty, ProtocolType::Sixel]
        } else {
            Vec::new()
        },
        ..QueryStdioOptions::default()
    };
    let mut out = std::io::stdout();
    out.write_all(Parser::query(false, options).as_bytes())?;
    out.flush()?;
    let stdin = std::io::stdin();
    let fd = stdin.as_fd();
    let until = Instant::now() + deadline;
    let mut scanner = Scanner::default();
    let mut buf = [0u8; 4096];
    // a paste that began is read to its end (a little longer at most): left half read, the
    // rest would reach the event loop as thousands of single keys
    while !scanner.answers.done || scanner.pasting {
        let left = if scanner.pasting {
            (until + PASTE_GRACE).saturating_duration_since(Instant::now())
        } else {
            until.saturating_duration_since(Instant::now())
        };
        if left.is_zero() {
            break;
        }
        let timeout = Timespec {
            tv_sec: left.as_secs() as _,
            tv_nsec: left.subsec_nanos() as _,
        };
        let mut fds = [PollFd::new(&fd, PollFlags::IN)];
        match poll(&mut fds, Some(&timeout)) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e == Errno::INTR => continue,
            Err(e) => return Err(e.into()),
        }
        let n = match rustix::io::read(fd, &mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e == Errno::INTR || e == Errno::AGAIN => continue,
            Err(e) => return Err(e.into()),
        };
        for b in &buf[..n] {
            scanner.push(*b);
        }
    }
    Ok(scanner)
}

/// How pictures are drawn in `mode` on this terminal (see the module documentation). Asking
/// the terminal writes to stdout and reads stdin: call it in raw mode, after the first frame
/// and before the event loop reads input.
pub fn resolve(mode: ImageMode) -> Resolved {
    use std::io::IsTerminal;
    let halfblocks = Resolved {
        graphics: Some(Graphics::halfblocks()),
        ..Resolved::default()
    };
    match mode {
        ImageMode::Off => Resolved::default(),
        ImageMode::Halfblocks => halfblocks,
        ImageMode::Kitty | ImageMode::Sixel | ImageMode::Iterm2 => Resolved {
            graphics: mode.forced().map(|protocol| Graphics {
                protocol,
                font: window_font().unwrap_or(DEFAULT_FONT),
                tmux: in_tmux(),
            }),
            ..Resolved::default()
        },
        ImageMode::Auto => {
            let why_not = if in_tmux() {
                Some("inside tmux")
            } else if over_ssh() {
                Some("over SSH")
            } else if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
                Some("not a terminal")
            } else if !cfg!(unix) {
                Some("not asked on this system")
            } else {
                None
            };
            if let Some(why) = why_not {
                tracing::info!(why, "pictures in halfblocks; the terminal was not asked");
                return halfblocks;
            }
            asked()
        }
    }
}

#[cfg(unix)]
fn asked() -> Resolved {
    let started = Instant::now();
    match ask(QUERY_DEADLINE) {
        Ok(scanner) => {
            let took = started.elapsed();
            let graphics = choose(&scanner.answers, iterm2_from_env(), window_font());
            tracing::info!(
                protocol = graphics.protocol.name(),
                font = ?graphics.font,
                answered = scanner.answers.done,
                took_us = took.as_micros() as u64,
                "pictures: the terminal was asked"
            );
            Resolved {
                graphics: Some(graphics),
                typed: typed_events(&scanner.typed),
                asked_for: Some(took),
            }
        }
        Err(e) => {
            tracing::info!(error = %e, "the terminal could not be asked; pictures in halfblocks");
            Resolved {
                graphics: Some(Graphics::halfblocks()),
                ..Resolved::default()
            }
        }
    }
}

#[cfg(not(unix))]
fn asked() -> Resolved {
    Resolved {
        graphics: Some(Graphics::halfblocks()),
        ..Resolved::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(bytes: &[u8]) -> Scanner {
        let mut s = Scanner::default();
        for b in bytes {
            s.push(*b);
        }
        s
    }

    #[test]
    fn a_kitty_terminal_is_told_with_its_cell_size() {
        let s = scan(b"\x1b_Gi=31;OK\x1b\\\x1b[?62;4;22c\x1b[6;18;9t\x1b[0n");
        assert_eq!(
            s.answers,
            Answers {
                kitty: true,
                sixel: true,
                cell: Some((9, 18)),
                done: true
            }
        );
        let g = choose(&s.answers, false, None);
        assert_eq!((g.protocol, g.font), (GraphicsProtocol::Kitty, (9, 18)));
        assert!(s.typed.is_empty());
    }

    #[test]
    fn sixel_without_kitty_and_halfblocks_without_anything() {
        let s = scan(b"\x1b[?62;4c\x1b[6;20;10t\x1b[0n");
        assert_eq!(
            choose(&s.answers, false, None).protocol,
            GraphicsProtocol::Sixel
        );
        let s = scan(b"\x1b[?62;22c\x1b[0n");
        assert_eq!(
            choose(&s.answers, false, Some((8, 16))).protocol,
            GraphicsProtocol::Halfblocks
        );
        assert_eq!(
            choose(&s.answers, true, Some((8, 16))).protocol,
            GraphicsProtocol::Iterm2,
            "iTerm2 by the environment"
        );
        // a pixel protocol is no use without the size of a cell
        assert_eq!(
            choose(&s.answers, true, None).protocol,
            GraphicsProtocol::Halfblocks
        );
    }

    /// The keys `typed` stands for, as (code, modifiers).
    fn key_codes(typed: &[u8]) -> Vec<(KeyCode, KeyModifiers)> {
        typed_events(typed)
            .iter()
            .map(|e| match e {
                Event::Key(k) => (k.code, k.modifiers),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn keys_typed_around_the_answers_are_handed_on() {
        let s = scan(b"jj\x1b[?62;4c\rq\x1b[0nG\x01\x1bx");
        assert!(s.answers.done && s.answers.sixel);
        assert_eq!(s.typed, b"jj\rqG\x01\x1bx");
        assert_eq!(
            key_codes(&s.typed),
            vec![
                (KeyCode::Char('j'), KeyModifiers::NONE),
                (KeyCode::Char('j'), KeyModifiers::NONE),
                (KeyCode::Enter, KeyModifiers::NONE),
                (KeyCode::Char('q'), KeyModifiers::NONE),
                (KeyCode::Char('G'), KeyModifiers::SHIFT),
                (KeyCode::Char('a'), KeyModifiers::CONTROL),
                (KeyCode::Char('x'), KeyModifiers::ALT),
            ]
        );
    }

    #[test]
    fn cursor_and_function_keys_typed_while_asking_are_handed_on() {
        // F2 (SS3), Down, Ctrl-Right, Delete, F5 and Shift-Tab around a status report
        let s = scan(b"\x1bOQ\x1b[B\x1b[0n\x1b[1;5C\x1b[3~\x1b[15~\x1b[Z");
        assert!(s.answers.done);
        assert_eq!(
            key_codes(&s.typed),
            vec![
                (KeyCode::F(2), KeyModifiers::NONE),
                (KeyCode::Down, KeyModifiers::NONE),
                (KeyCode::Right, KeyModifiers::CONTROL),
                (KeyCode::Delete, KeyModifiers::NONE),
                (KeyCode::F(5), KeyModifiers::NONE),
                (KeyCode::BackTab, KeyModifiers::SHIFT),
            ]
        );
    }

    #[test]
    fn a_paste_while_asking_is_one_paste_whatever_it_holds() {
        let s = scan(b"a\x1b[200~x\x1b[0ny\x1b[1;5C\x1b[201~\x1b[0nb");
        assert!(
            s.answers.done,
            "the status report after the paste is an answer"
        );
        let events = typed_events(&s.typed);
        assert_eq!(events.len(), 3, "{events:?}");
        assert_eq!(events[1], Event::Paste("x\x1b[0ny\x1b[1;5C".into()));
        assert!(matches!(events[2], Event::Key(k) if k.code == KeyCode::Char('b')));
    }

    #[test]
    fn forced_and_off_modes_do_not_ask() {
        assert_eq!(resolve(ImageMode::Off).graphics, None);
        let r = resolve(ImageMode::Halfblocks);
        assert_eq!(r.graphics, Some(Graphics::halfblocks()));
        assert_eq!(r.asked_for, None);
        let r = resolve(ImageMode::Sixel);
        assert_eq!(
            r.graphics.map(|g| g.protocol),
            Some(GraphicsProtocol::Sixel)
        );
        assert_eq!(r.asked_for, None);
    }
}
