//! Playing: the play menu, the remote-control panel, the stream URL box and the "now playing"
//! line.

use super::color;
use crate::app::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::format::{fit, item_title, runtime};
use crate::app::Message;
use crate::app::layout::centered;
use crate::app::play::{MenuEntry, NowPlaying, PlayMenu, RemotePanel, UrlView, clock};
use crate::session::hub::session_label;

fn message_line(m: &Message) -> Line<'static> {
    let style = if m.error {
        Style::new().fg(color(Role::Error))
    } else {
        Style::new().fg(color(Role::Info))
    };
    Line::styled(format!(" {}", m.text), style)
}

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

fn dim() -> Style {
    Style::new().fg(color(Role::Dim))
}

/// The play menu: the item, resume or start over, then where.
pub fn menu(frame: &mut Frame, m: &PlayMenu, body: Rect) {
    let width: u16 = 64;
    let inner = usize::from(width - 2);
    let mut lines = vec![Line::styled(
        fit(&format!(" {}", item_title(&m.item)), inner),
        bold(),
    )];
    let mut facts = Vec::new();
    if let Some(k) = &m.item.item_type {
        facts.push(k.clone());
    }
    if let Some(t) = m.item.run_time_ticks {
        facts.push(runtime(t));
    }
    lines.push(Line::styled(format!(" {}", facts.join(" · ")), dim()));
    let entries = m.entries();
    let mut heading_done = false;
    for (i, e) in entries.iter().enumerate() {
        let selected = i == m.cursor;
        let (text, style) = match e {
            MenuEntry::Resume | MenuEntry::FromStart => {
                if i == 0 {
                    lines.push(Line::from(""));
                    lines.push(Line::styled(" Start", dim()));
                }
                let chosen = (*e == MenuEntry::FromStart) == m.from_start;
                let mark = if chosen { "(•)" } else { "( )" };
                let what = match e {
                    MenuEntry::Resume => {
                        format!("Resume from {}", clock(m.resume_ticks.unwrap_or(0)))
                    }
                    _ => "Play from the start".to_string(),
                };
                (format!("  {mark} {what}"), Style::new())
            }
            other => {
                if !heading_done {
                    heading_done = true;
                    lines.push(Line::from(""));
                    lines.push(Line::styled(" Play on", dim()));
                }
                match other {
                    MenuEntry::Here => ("  ▶ This box (the player)".to_string(), Style::new()),
                    MenuEntry::Session(k) => {
                        let s = m
                            .sessions
                            .as_ref()
                            .and_then(|r| r.as_ref().ok())
                            .and_then(|l| l.get(*k));
                        let label = s.map(session_label).unwrap_or_default();
                        let busy = s
                            .and_then(|s| s.now_playing_item.as_ref())
                            .and_then(|i| i.name.clone())
                            .map(|n| format!(" · playing {n}"))
                            .unwrap_or_default();
                        (format!("  ▶ {label}{busy}"), Style::new())
                    }
                    _ => (
                        "  ⧉ Copy a stream URL (for a player elsewhere)".to_string(),
                        Style::new(),
                    ),
                }
            }
        };
        // the other devices' state goes right under "This box"
        let style = if selected {
            style.add_modifier(Modifier::REVERSED)
        } else {
            style
        };
        lines.push(Line::styled(fit(&text, inner), style));
        if *e == MenuEntry::Here {
            match &m.sessions {
                None => lines.push(Line::styled("    Looking for your other devices…", dim())),
                Some(Err(e)) => lines.push(Line::styled(
                    fit(&format!("    No other devices: {e}"), inner),
                    Style::new().fg(color(Role::Error)),
                )),
                Some(Ok(l)) if l.is_empty() => lines.push(Line::styled(
                    "    No other device of yours is running an Emby app.",
                    dim(),
                )),
                Some(Ok(_)) => {}
            }
        }
    }
    if let Some(msg) = &m.message {
        lines.push(Line::from(""));
        lines.push(message_line(msg));
    }
    let h = lines.len() as u16 + 2;
    let area = centered(body, width, h);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" Play ")),
        area,
    );
}

/// A bar `width` wide, filled to `done` of `total`.
fn bar(done: i64, total: i64, width: usize) -> String {
    if total <= 0 || width == 0 {
        return String::new();
    }
    let filled = ((done.clamp(0, total) as f64 / total as f64) * width as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// The remote-control panel: the device, what it plays, where, and the keys.
pub fn remote(frame: &mut Frame, p: &RemotePanel, now_ms: u64, body: Rect) {
    let width: u16 = 64;
    let inner = usize::from(width - 2);
    let mut lines = vec![Line::styled(fit(&format!(" {}", p.label), inner), bold())];
    match &p.session {
        None => lines.push(Line::styled(" Asking the server…", dim())),
        Some(s) => {
            if let Some(u) = &s.user_name {
                lines.push(Line::styled(format!(" signed in as {u}"), dim()));
            }
            lines.push(Line::from(""));
            match &s.now_playing_item {
                None => lines.push(Line::from(" Nothing is playing there now.")),
                Some(item) => {
                    let paused = p.is_paused();
                    let state = if paused { "⏸ Paused" } else { "▶ Playing" };
                    lines.push(Line::from(vec![
                        Span::styled(format!(" {state}  "), bold()),
                        Span::raw(fit(&item_title(item), inner.saturating_sub(12))),
                    ]));
                    let pos = p.position_ticks(now_ms).unwrap_or(0);
                    let total = item.run_time_ticks.unwrap_or(0);
                    let times = format!(" {} / {}", clock(pos), clock(total));
                    lines.push(Line::from(vec![
                        Span::raw(format!(
                            " {} ",
                            bar(pos, total, inner.saturating_sub(times.len() + 3))
                        )),
                        Span::raw(times),
                    ]));
                }
            }
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        " Space pause/play · ←/→ 30 s · n/p next/previous · s stop",
        Style::new().fg(color(Role::Key)),
    ));
    lines.push(Line::styled(
        format!(
            " (read from the server every {} s; r now)",
            crate::app::play::REMOTE_POLL_MS / 1000
        ),
        dim(),
    ));
    if let Some(m) = &p.message {
        lines.push(message_line(m));
    }
    let area = centered(body, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" Remote control ")),
        area,
    );
}

/// The stream URL box: the URL for copying by hand, and what it means to hold it.
pub fn stream_url(frame: &mut Frame, v: &UrlView, body: Rect) {
    let width = body.width.min(100);
    let lines = vec![
        Line::styled(format!(" {}", v.title), bold()),
        Line::from(""),
        Line::from(" Sent to your terminal's clipboard (OSC 52: over SSH too; inside tmux it"),
        Line::from(" needs `set -g set-clipboard on`). To copy it by hand:"),
        Line::from(""),
        Line::styled(
            format!(" {}", v.url.expose()),
            Style::new().fg(color(Role::Info)),
        ),
        Line::from(""),
        Line::styled(
            format!(
                " This URL holds your access token for {}: whoever has it can play from that server as you.",
                v.server_name
            ),
            Style::new().fg(color(Role::Warn)),
        ),
        Line::styled(
            format!(
                " To revoke it, sign out of {} (x on the servers pane, or `emby-tui server logout {}`).",
                v.server_name, v.server_id
            ),
            Style::new().fg(color(Role::Warn)),
        ),
    ];
    // wrapped lines need room: count them at this width
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let area = centered(body, width, u16::try_from(rows).unwrap_or(u16::MAX) + 2);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" Stream URL ")),
        area,
    );
}

/// The "now playing" text of a player here (right side of the message row).
pub fn now_playing(playing: &NowPlaying) -> String {
    let p = &playing.now;
    if !playing.started {
        return format!("▶ starting {}…", p.title);
    }
    let mark = if p.paused { "⏸" } else { "▶" };
    let total = p
        .runtime_ticks
        .map(|t| format!(" / {}", clock(t)))
        .unwrap_or_default();
    format!("{mark} {}  {}{total}", p.title, clock(p.position_ticks))
}
