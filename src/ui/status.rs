//! The top row (tabs), the message row and the status row of valid keys (from the keymap).

use super::color;
use crate::app::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{Pane, State, TAB_SEPARATOR, browse};

pub fn tabs(frame: &mut Frame, state: &State, area: Rect) {
    let current = state.current_tab();
    let mut spans = vec![Span::raw(" ")];
    for (i, (tab, title)) in state.tabs().into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(
                TAB_SEPARATOR,
                Style::new().fg(color(Role::Dim)),
            ));
        }
        let style = if tab == current {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
        };
        spans.push(Span::styled(format!(" {title} "), style));
    }
    if let Some(user) = &state.connect_user {
        spans.push(Span::styled(
            format!("   Connect: {user}"),
            Style::new().fg(color(Role::Dim)),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The message of the moment for the pane on screen (errors in red).
pub fn message(frame: &mut Frame, state: &State, area: Rect) {
    let msg = match state.pane {
        Pane::Servers => state.servers.message.clone(),
        Pane::SignIn => None, // the sign-in pane shows its own
        Pane::Session => state.sessions.get(state.active).and_then(session_message),
        Pane::All => state.everywhere.message.clone(),
    };
    // a sentence about playing wins where the pane has none of its own
    let msg = msg.or_else(|| {
        (state.pane != Pane::SignIn)
            .then(|| state.notice.clone())
            .flatten()
    });
    // a player here: "now playing" on the right
    let playing = state.playing.as_ref().map(super::play::now_playing);
    let width = usize::from(area.width);
    let right = playing
        .map(|p| super::format::fit(&p, width / 2))
        .unwrap_or_default();
    let right_w = right.chars().count();
    let mut spans = Vec::new();
    let mut used = 0;
    if let Some(m) = msg {
        let style = if m.error {
            Style::new().fg(color(Role::Error))
        } else {
            Style::new().fg(color(Role::Info))
        };
        let room = width.saturating_sub(right_w + 2);
        // one row: what does not fit is cut between words, never in one
        let text = format!(
            " {}",
            super::format::fit_words(&m.text, room.saturating_sub(1))
        );
        used = text.chars().count();
        spans.push(Span::styled(text, style));
    }
    if right_w > 0 {
        spans.push(Span::raw(
            " ".repeat(width.saturating_sub(used + right_w + 1)),
        ));
        spans.push(Span::styled(
            right,
            Style::new()
                .fg(color(Role::Ok))
                .add_modifier(Modifier::BOLD),
        ));
    }
    if !spans.is_empty() {
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}

fn session_message(s: &browse::SessionView) -> Option<crate::app::Message> {
    use crate::app::Message;
    match &s.current().view {
        browse::View::Home(h) => h.error.clone().map(Message::error),
        browse::View::List(l) => l.list.error.clone().map(Message::error),
        browse::View::Details(d) => d.error.clone().map(Message::error),
    }
}

pub fn keys(frame: &mut Frame, state: &State, area: Rect) {
    let mut spans = vec![Span::raw(" ")];
    for (key, what) in state.status_hints() {
        spans.push(Span::styled(
            key,
            Style::new()
                .fg(color(Role::Key))
                .add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(Style::new().bg(color(Role::Bar))),
        area,
    );
}
