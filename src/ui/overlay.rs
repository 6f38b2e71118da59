//! Boxes over the pane: help (built from the keymap), the search prompt, invitations.

use super::color;
use crate::app::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::app::layout::centered;
use crate::app::{Overlay, State};

/// What the marks before an item mean (see `format::marks`).
pub const MARKS: &[(&str, &str)] = &[
    ("✓", "played"),
    ("◐ 42%", "in progress, with how far"),
    ("★", "favourite"),
];

pub fn draw(frame: &mut Frame, state: &State, body: Rect) {
    match &state.overlay {
        None => {}
        // issue 11
        Some(Overlay::Account(v)) => super::account::draw(frame, state, v, body),
        Some(Overlay::Admin(v)) => super::admin::draw(frame, v, body),
        Some(Overlay::Play(m)) => super::play::menu(frame, m, body),
        Some(Overlay::Remote(p)) => super::play::remote(frame, p, state.now_ms, body),
        Some(Overlay::StreamUrl(v)) => super::play::stream_url(frame, v, body),
        Some(Overlay::Help { under, scroll }) => {
            let mut lines = vec![Line::styled(
                format!(
                    " {}: its own keys, then those of everywhere; vim keys and arrows both work",
                    under.title()
                ),
                Style::new().add_modifier(Modifier::BOLD),
            )];
            for (title, keys) in state.keymap.help_sections(*under) {
                lines.push(Line::from(""));
                lines.push(Line::styled(
                    format!(" {title}"),
                    Style::new().add_modifier(Modifier::BOLD),
                ));
                for (keys, what) in keys {
                    lines.push(Line::from(vec![
                        Span::styled(format!(" {keys:<28}"), Style::new().fg(color(Role::Key))),
                        Span::raw(what),
                    ]));
                }
            }
            lines.push(Line::from(""));
            lines.push(Line::styled(
                " Marks",
                Style::new().add_modifier(Modifier::BOLD),
            ));
            for (mark, what) in MARKS {
                lines.push(Line::from(vec![
                    Span::styled(format!(" {mark:<28}"), Style::new().fg(color(Role::Key))),
                    Span::raw(*what),
                ]));
            }
            // as tall as the screen allows; j/k (or the mouse) scroll the rest
            let h = (lines.len() as u16 + 2).min(body.height);
            let area = centered(body, 96, h);
            let scroll = (*scroll).min((lines.len() as u16 + 2).saturating_sub(h));
            frame.render_widget(Clear, area);
            frame.render_widget(
                Paragraph::new(lines)
                    .scroll((scroll, 0))
                    .block(Block::bordered().title(" Help · j/k scroll · Esc close ")),
                area,
            );
        }
        Some(Overlay::Log(v)) => log(frame, state, v, body),
        Some(Overlay::Notice { title, lines }) => {
            let width = body.width.saturating_sub(4).min(100);
            let mut text: Vec<Line> = lines
                .iter()
                .map(|l| Line::styled(l.clone(), Style::new().fg(color(Role::Error))))
                .collect();
            text.push(Line::from(""));
            text.push(Line::styled(
                "`emby-tui config show` prints the configuration in force.",
                Style::new().fg(color(Role::Dim)),
            ));
            let wrapped: u16 = text
                .iter()
                .map(|l| {
                    (l.width() as u16)
                        .div_ceil(width.saturating_sub(4).max(1))
                        .max(1)
                })
                .sum();
            let area = centered(body, width, (wrapped + 2).min(body.height));
            frame.render_widget(Clear, area);
            frame.render_widget(
                Paragraph::new(text).wrap(Wrap { trim: false }).block(
                    Block::bordered()
                        .padding(ratatui::widgets::Padding::horizontal(1))
                        .title(format!(" {title} · any key closes ")),
                ),
                area,
            );
        }
        Some(Overlay::Search(field)) => {
            let area = centered(body, 60, 3);
            frame.render_widget(Clear, area);
            frame.render_widget(
                Paragraph::new(super::signin::field_spans(field, true, " ", 56))
                    .block(Block::bordered().title(" Search this server ")),
                area,
            );
        }
        Some(Overlay::Years(field)) => {
            let area = centered(body, 60, 3);
            frame.render_widget(Clear, area);
            frame.render_widget(
                Paragraph::new(super::signin::field_spans(field, true, " ", 56))
                    .block(Block::bordered().title(" Years, e.g. 1999 or 1990-1999 (empty: all) ")),
                area,
            );
        }
        Some(Overlay::Confirm(c)) => {
            let lines = vec![
                Line::styled(
                    format!(" {}", c.question),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Line::from(""),
                Line::from(vec![
                    Span::styled(
                        " y",
                        Style::new()
                            .fg(color(Role::Key))
                            .add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(" yes    "),
                    Span::styled("any other key", Style::new().fg(color(Role::Key))),
                    Span::raw(" no"),
                ]),
            ];
            let area = centered(body, 72, 5);
            frame.render_widget(Clear, area);
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(Block::bordered().title(" Sure? ")),
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
            super::push_notes(&mut lines, v.message.as_deref(), v.error.as_deref());
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

/// The log pane: where the file is, then the newest lines at the level chosen (or the lines
/// scrolled back to), each cut to the width.
fn log(frame: &mut Frame, state: &State, v: &crate::app::log::LogView, body: Rect) {
    let area = body;
    let inner_width = usize::from(area.width.saturating_sub(2));
    let page = usize::from(area.height.saturating_sub(4));
    let mut text = Vec::new();
    let (file, lines) = match &state.log {
        Some(log) => (
            match &log.path {
                Some(p) => format!(" File: {}", p.display()),
                None => " No log file could be opened: this run logs only here.".into(),
            },
            log.lines_at(v.level),
        ),
        None => (" This run keeps no log.".into(), Vec::new()),
    };
    text.push(Line::styled(
        super::format::fit_middle(&file, inner_width),
        Style::new().fg(color(Role::Dim)),
    ));
    text.push(Line::from(""));
    if lines.is_empty() {
        text.push(Line::styled(
            format!(" Nothing at {} or above yet.", v.level.name()),
            Style::new().fg(color(Role::Dim)),
        ));
    }
    for line in v.window(&lines, page) {
        let role = match line.level {
            crate::app::log::Level::Error => Some(Role::Error),
            crate::app::log::Level::Warn => Some(Role::Warn),
            _ => None,
        };
        let cut = super::format::fit(&format!(" {}", line.text), inner_width);
        text.push(match role {
            Some(r) => Line::styled(cut, Style::new().fg(color(r))),
            None => Line::from(cut),
        });
    }
    let title = format!(
        " Log · {} and above · f level · j/k PgUp/PgDn scroll · Esc close ",
        v.level.name()
    );
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(text).block(Block::bordered().title(title)),
        area,
    );
}
