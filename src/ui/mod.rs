//! Drawing: every frame is drawn from [`State`] alone, one file per pane or widget.

pub mod bigtext;
mod everywhere;
pub mod format;
mod overlay;
mod play;
mod poster;
mod servers;
mod session;
pub(crate) mod signin;
mod status;
// issue 11: the Connect account box, a server's administration, the PIN's QR code, OSC 8 links
mod account;
mod admin;
pub mod links;
pub mod qr;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::layout::{MIN_HEIGHT, MIN_WIDTH, centered, fits};
use crate::app::theme::{Role, Theme};
use crate::app::{Pane, State};

thread_local! {
    /// The theme of the frame being drawn (set by [`draw`] from the state).
    static THEME: std::cell::Cell<Theme> = std::cell::Cell::new(Theme::default());
}

/// The colour of a role in the theme of the frame being drawn. Every drawing function asks
/// this rather than naming a colour; [`draw`] sets the theme from the state once per frame
/// (one value read by every widget of the frame, so it is not passed through each of them).
pub(crate) fn color(role: Role) -> ratatui::style::Color {
    THEME.with(|t| t.get().color(role))
}

/// Draw the whole screen (at the size of the frame, which ratatui reads from the terminal as it
/// draws): the panes, or a notice when the terminal is smaller than they need.
pub fn draw(frame: &mut Frame, state: &State) {
    THEME.with(|t| t.set(state.theme));
    let area = frame.area();
    if !fits(area.width, area.height) {
        too_small(frame, area);
        return;
    }
    let areas = crate::app::layout::areas(area.width, area.height);
    status::tabs(frame, state, areas.tabs);
    match state.pane {
        Pane::SignIn => signin::draw(frame, state, areas.body),
        Pane::Servers => servers::draw(frame, state, areas.body),
        Pane::Session => match state.sessions.get(state.active) {
            Some(s) => session::draw(frame, state, s, areas.body),
            None => servers::draw(frame, state, areas.body),
        },
        Pane::All => everywhere::draw(frame, state, areas.body),
    }
    status::message(frame, state, areas.message);
    status::keys(frame, state, areas.status);
    overlay::draw(frame, state, areas.body);
}

/// What a terminal below the minimum size shows instead of the panes: three short lines,
/// centred (wrapped further, and cut, on a tinier one).
fn too_small(frame: &mut Frame, area: Rect) {
    let lines = vec![
        Line::from(format!(
            "Terminal too small: {}x{}",
            area.width, area.height
        )),
        Line::from(format!("need at least {MIN_WIDTH}x{MIN_HEIGHT}")),
        Line::from("Ctrl-C quits"),
    ];
    let width = usize::from(area.width.max(1));
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(width)).sum();
    let at = centered(area, area.width, u16::try_from(rows).unwrap_or(u16::MAX));
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        at,
    );
}

/// A box's last lines: its message (info) and its error, each after a blank line.
pub(crate) fn push_notes(
    lines: &mut Vec<Line<'static>>,
    message: Option<&str>,
    error: Option<&str>,
) {
    for (text, role) in [(message, Role::Info), (error, Role::Error)] {
        if let Some(t) = text {
            lines.push(Line::from(""));
            lines.push(Line::styled(format!(" {t}"), Style::new().fg(color(role))));
        }
    }
}
