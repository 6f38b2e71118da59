//! Boxes over the pane: help (built from the keymap), the search prompt, invitations.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::app::keymap::{Mode, help_lines};
use crate::app::layout::centered;
use crate::app::{Overlay, State};

pub fn draw(frame: &mut Frame, state: &State, body: Rect) {
    match &state.overlay {
        None => {}
        Some(Overlay::Play(m)) => super::play::menu(frame, m, body),
        Some(Overlay::Remote(p)) => super::play::remote(frame, p, state.now_ms, body),
        Some(Overlay::StreamUrl(v)) => super::play::stream_url(frame, v, body),
        Some(Overlay::Help { under, scroll }) => {
            let mut lines = vec![Line::styled(
                format!(
                    " Keys of {} (vim keys and arrows both work; the mouse scrolls and clicks)",
                    under.title()
                ),
                Style::new().add_modifier(Modifier::BOLD),
            )];
            // The keys of where you are first, then every other place's (`?` shows every key).
            let others = Mode::ALL.into_iter().filter(|m| m != under);
            for (i, mode) in std::iter::once(*under).chain(others).enumerate() {
                if i > 0 {
                    lines.push(Line::from(""));
                    lines.push(Line::styled(
                        format!(" {}", mode.title()),
                        Style::new().add_modifier(Modifier::BOLD),
                    ));
                }
                for (keys, what) in help_lines(mode) {
                    lines.push(Line::from(vec![
                        Span::styled(format!(" {keys:<28}"), Style::new().fg(Color::Yellow)),
                        Span::raw(what),
                    ]));
                }
            }
            let h = lines.len() as u16 + 2;
            let area = centered(body, 84, h);
            frame.render_widget(Clear, area);
            frame.render_widget(
                Paragraph::new(lines)
                    .scroll((*scroll, 0))
                    .block(Block::bordered().title(" Help ")),
                area,
            );
        }
        Some(Overlay::Search(text)) => {
            let area = centered(body, 60, 3);
            frame.render_widget(Clear, area);
            frame.render_widget(
                Paragraph::new(format!(" {text}█"))
                    .block(Block::bordered().title(" Search this server ")),
                area,
            );
        }
        Some(Overlay::Invitations(v)) => {
            let mut lines = Vec::new();
            if v.loading {
                lines.push(Line::from(" Asking Emby Connect…"));
            } else if v.list.is_empty() && v.error.is_none() {
                lines.push(Line::from(" No invitations are waiting."));
            }
            for (i, inv) in v.list.iter().enumerate() {
                let style = if i == v.cursor {
                    Style::new().add_modifier(Modifier::REVERSED)
                } else {
                    Style::new()
                };
                lines.push(Line::styled(format!(" {}", inv.name), style));
            }
            if let Some(m) = &v.message {
                lines.push(Line::from(""));
                lines.push(Line::styled(format!(" {m}"), Style::new().fg(Color::Cyan)));
            }
            if let Some(e) = &v.error {
                lines.push(Line::from(""));
                lines.push(Line::styled(format!(" {e}"), Style::new().fg(Color::Red)));
            }
            let area = centered(body, 64, lines.len() as u16 + 2);
            frame.render_widget(Clear, area);
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(Block::bordered().title(" Emby Connect invitations ")),
                area,
            );
        }
    }
}
