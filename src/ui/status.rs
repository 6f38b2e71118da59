//! The top row (tabs), the message row and the status row of valid keys (from the keymap).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::keymap::status_hints;
use crate::app::{Pane, State, TAB_SEPARATOR, browse};

pub fn tabs(frame: &mut Frame, state: &State, area: Rect) {
    let current = state.current_tab();
    let mut spans = vec![Span::raw(" ")];
    for (i, (tab, title)) in state.tabs().into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(
                TAB_SEPARATOR,
                Style::new().fg(Color::DarkGray),
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
            Style::new().fg(Color::DarkGray),
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
    if let Some(m) = msg {
        let style = if m.error {
            Style::new().fg(Color::Red)
        } else {
            Style::new().fg(Color::Cyan)
        };
        frame.render_widget(Paragraph::new(format!(" {}", m.text)).style(style), area);
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
    for (key, what) in status_hints(state.mode()) {
        spans.push(Span::styled(
            key,
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(Style::new().bg(Color::Black)),
        area,
    );
}
