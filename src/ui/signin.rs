//! The sign-in pane.

use super::color;
use crate::app::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::bigtext::big;
use crate::app::signin::{Method, PinView, SignIn};
use crate::app::{State, TextInput};
use crate::session::hub::SIGN_UP_URL;

/// A text field's text with its cursor (the character under it reversed, or a block at the
/// end) when it has the keyboard; a selected text is shown reversed as a whole. At most `room`
/// columns of it are shown, on one line: a longer text scrolls to keep the cursor in view, with
/// `…` where it goes on (so a 4,096-character paste is one line to draw, not forty).
pub fn field_spans(field: &TextInput, focused: bool, indent: &str, room: usize) -> Line<'static> {
    let shown = field.shown();
    let text_style = if focused {
        Style::new().fg(color(Role::Key))
    } else {
        Style::new()
    };
    let chars: Vec<char> = shown.chars().collect();
    let at = if focused {
        field.cursor().min(chars.len())
    } else {
        0
    };
    let (from, to) = window(chars.len(), at, room.max(4));
    let mut cut: Vec<char> = chars[from..to].to_vec();
    if from > 0 {
        cut[0] = '…';
    }
    if to < chars.len()
        && let Some(last) = cut.last_mut()
    {
        *last = '…';
    }
    let at = at - from;
    let indent = Span::raw(indent.to_string());
    if !focused {
        return Line::from(vec![
            indent,
            Span::styled(cut.into_iter().collect::<String>(), text_style),
        ]);
    }
    if field.is_selected() {
        return Line::from(vec![
            indent,
            Span::styled(
                cut.into_iter().collect::<String>(),
                text_style.add_modifier(Modifier::REVERSED),
            ),
        ]);
    }
    let before: String = cut[..at.min(cut.len())].iter().collect();
    let under: String = cut
        .get(at)
        .map(|c| c.to_string())
        .unwrap_or_else(|| " ".into());
    let after: String = cut.iter().skip(at + 1).collect();
    Line::from(vec![
        indent,
        Span::styled(before, text_style),
        Span::styled(under, Style::new().add_modifier(Modifier::REVERSED)),
        Span::styled(after, text_style),
    ])
}

/// Which characters `[from, to)` of a text of `len` a field `room` columns wide shows, the
/// cursor (at `at`, possibly just past the end) in view and not on a `…`.
fn window(len: usize, at: usize, room: usize) -> (usize, usize) {
    // the cursor past the end needs a column of its own
    if len < room {
        return (0, len);
    }
    let from = (at + 2).saturating_sub(room);
    (from, (from + room).min(len))
}

fn field(label: &str, value: &TextInput, focused: bool, width: u16) -> Line<'static> {
    let style = if focused {
        Style::new().add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    // the label takes 18 columns, the border 2
    let mut line = field_spans(value, focused, "", usize::from(width).saturating_sub(20));
    line.spans
        .insert(0, Span::styled(format!("  {label:<16}"), style));
    line
}

fn method_line(s: &SignIn) -> Line<'static> {
    let mut spans = vec![Span::raw("  ")];
    let shown: Vec<Method> = if s.method == Method::SignUp {
        Method::ALL.into_iter().chain([Method::SignUp]).collect()
    } else {
        Method::ALL.to_vec()
    };
    for m in shown {
        let style = if m == s.method {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new().fg(color(Role::Muted))
        };
        spans.push(Span::styled(format!(" {} ", m.title()), style));
        spans.push(Span::raw("  "));
    }
    spans.push(Span::styled("(C-n/C-p)", Style::new().fg(color(Role::Dim))));
    Line::from(spans)
}

fn pin_lines(s: &SignIn, now_ms: u64) -> Vec<Line<'static>> {
    match &s.pin {
        PinView::Idle => vec![Line::from("  Press Enter for a PIN.")],
        PinView::Asking => vec![Line::from("  Asking Emby Connect for a PIN…")],
        PinView::Finishing => vec![Line::from("  Confirmed. Signing in…")],
        PinView::Showing {
            pin, expires_at_ms, ..
        } => {
            let mut lines = vec![Line::from(format!(
                "  Enter this PIN at {} while signed in to Emby Connect:",
                s.pin_page
            ))];
            lines.push(Line::from(""));
            for row in big(pin) {
                lines.push(Line::styled(
                    format!("    {row}"),
                    Style::new()
                        .fg(color(Role::Key))
                        .add_modifier(Modifier::BOLD),
                ));
            }
            let left = expires_at_ms.saturating_sub(now_ms) / 1000;
            lines.push(Line::from(""));
            lines.push(Line::from(
                "  Signing in continues by itself once the PIN is confirmed.",
            ));
            lines.push(Line::from(format!(
                "  PIN {pin} · expires in {}:{:02} (a new one then comes by itself)",
                left / 60,
                left % 60
            )));
            lines
        }
    }
}

/// The sign-up form (issue 11): e-mail, name, the password twice, and the browser way.
fn sign_up_lines(s: &SignIn, width: u16) -> Vec<Line<'static>> {
    let f = &s.signup;
    let mut lines = vec![
        field("E-mail:", &f.email, s.focus == 0, width),
        field("Name:", &f.name, s.focus == 1, width),
        field("Password:", &f.password, s.focus == 2, width),
        field("Again:", &f.again, s.focus == 3, width),
        Line::from(""),
    ];
    let style = if f.needs_browser {
        Style::new()
            .fg(color(Role::Warn))
            .add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(color(Role::Dim))
    };
    lines.push(Line::styled(
        format!("  Or sign up in a web browser: {SIGN_UP_URL}"),
        style,
    ));
    lines
}

/// Where the QR code of the PIN page goes: the right of the pane, beside the PIN, when it fits
/// with room for the text (else None, and the pane says a larger window shows it).
fn qr_place(inner: Rect, qr: (u16, u16)) -> Option<Rect> {
    const TEXT_MIN: u16 = 44;
    const TOP: u16 = 3; // under the method row
    let (w, h) = qr;
    (inner.width >= TEXT_MIN + 2 + w && inner.height >= TOP + h)
        .then(|| Rect::new(inner.x + inner.width - w, inner.y + TOP, w, h))
}

pub fn draw(frame: &mut Frame, state: &State, area: Rect) {
    let s = &state.signin;
    let width = area.width;
    let mut lines = vec![Line::from(""), method_line(s), Line::from("")];
    match s.method {
        Method::Connect => {
            lines.push(field(
                "Name or e-mail:",
                &s.connect_user,
                s.focus == 0,
                width,
            ));
            lines.push(field("Password:", &s.connect_password, s.focus == 1, width));
            lines.push(Line::styled(
                "  No account yet? F3 creates one. F2: your account, changing or resetting the password.",
                Style::new().fg(color(Role::Dim)),
            ));
        }
        Method::Pin => lines.extend(pin_lines(s, state.now_ms)),
        Method::SignUp => lines.extend(sign_up_lines(s, width)),
        Method::Address => match &s.target {
            None => lines.push(field("Server address:", &s.address, true, width)),
            Some(t) => {
                lines.push(Line::from(format!("  Server:         {}", t.name)));
                if !t.users.is_empty() {
                    lines.push(Line::from(format!(
                        "  Users:          {}",
                        t.users.join(", ")
                    )));
                }
                lines.push(field("User:", &s.local_user, s.focus == 0, width));
                lines.push(field("Password:", &s.local_password, s.focus == 1, width));
            }
        },
    }
    lines.push(Line::from(""));
    if let Some(b) = &s.busy {
        lines.push(Line::styled(
            format!("  {b}"),
            Style::new().fg(color(Role::Info)),
        ));
    }
    if let Some(e) = &s.error {
        lines.push(Line::styled(
            format!("  {e}"),
            Style::new().fg(color(Role::Error)),
        ));
    }
    if let Some(i) = &s.info {
        lines.push(Line::styled(
            format!("  {i}"),
            Style::new().fg(color(Role::Info)),
        ));
    }
    if let Some(demo) = &s.demo {
        lines.push(Line::from(""));
        for l in &demo.lines {
            lines.push(Line::styled(
                format!("  {l}"),
                Style::new().fg(color(Role::Ok)),
            ));
        }
    }
    let block = Block::bordered().title(" Sign in ");
    let inner = block.inner(area);
    // the PIN pane: the confirmation address as a QR code beside the PIN
    let qr = match (&s.method, &s.pin) {
        (Method::Pin, PinView::Showing { .. }) => super::qr::rows(&s.pin_page),
        _ => None,
    };
    let place = qr
        .as_ref()
        .and_then(|rows| qr_place(inner, super::qr::size(rows)));
    if qr.is_some() && place.is_none() {
        lines.push(Line::styled(
            "  (A larger window shows the address as a QR code to scan.)",
            Style::new().fg(color(Role::Dim)),
        ));
    }
    frame.render_widget(block, area);
    let text_area = match place {
        // the rows above the code (the ways to sign in) keep the whole width
        Some(p) => {
            let head = Rect::new(inner.x, inner.y, inner.width, p.y - inner.y);
            let rest: Vec<Line> = lines.split_off((head.height as usize).min(lines.len()));
            frame.render_widget(Paragraph::new(std::mem::replace(&mut lines, rest)), head);
            Rect::new(inner.x, p.y, p.x - inner.x - 2, inner.height - head.height)
        }
        None => inner,
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text_area);
    if let (Some(rows), Some(p)) = (qr, place) {
        let qr_lines: Vec<Line> = rows.into_iter().map(Line::from).collect();
        frame.render_widget(
            Paragraph::new(qr_lines).style(Style::new().fg(Color::White).bg(Color::Black)),
            p,
        );
    }
}

#[cfg(test)]
mod field_tests {
    use super::*;

    #[test]
    fn a_long_field_is_one_line_scrolled_to_its_cursor() {
        assert_eq!(window(10, 10, 20), (0, 10), "a short text is shown whole");
        // the cursor at the end of 100 characters in 20 columns: the last 18, the cursor after
        assert_eq!(window(100, 100, 20), (82, 100));
        // the cursor near the start: the first 20, the rest cut
        assert_eq!(window(100, 5, 20), (0, 20));
        let mut f = TextInput::new(&"y".repeat(4096));
        let line = field_spans(&f, true, "", 40);
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(text.chars().count() <= 40, "{text}");
        assert!(text.starts_with('…') && text.ends_with("y "), "{text}");
        // Home: the start shows, the end is marked cut
        f.key(&crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Home,
            crossterm::event::KeyModifiers::NONE,
        ));
        let line = field_spans(&f, true, "", 40);
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(text.starts_with('y') && text.ends_with('…'), "{text}");
        assert_eq!(text.chars().count(), 40);
    }
}
