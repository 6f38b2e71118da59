//! A server's administration view (issue 11): its users with their Emby Connect links, the
//! pending invitations, and the link / invite forms. Before the server has said that the
//! signed-in user administers it, the box shows only that it is asking (or why it is not shown).

use super::color;
use crate::app::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::format::fit;
use crate::app::admin::{AdminForm, AdminList, AdminStage, AdminView};

fn message_line(v: &AdminView) -> Option<Line<'static>> {
    v.message.as_ref().map(|m| {
        Line::styled(
            format!(" {}", m.text),
            Style::new().fg(if m.error {
                color(Role::Error)
            } else {
                color(Role::Info)
            }),
        )
    })
}

fn form_lines(v: &AdminView, form: &AdminForm, width: u16) -> Vec<Line<'static>> {
    // the label takes 32 columns, the border 2
    let room = usize::from(width).saturating_sub(34);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let focus_style = Style::new().fg(color(Role::Key));
    let mut lines = vec![Line::from("")];
    match form {
        AdminForm::Link { user_name, who, .. } => {
            lines.push(Line::styled(
                format!(" Link {user_name} to an Emby Connect account"),
                bold,
            ));
            lines.push(super::signin::field_spans(
                who,
                true,
                "   Emby Connect name or e-mail: ",
                room,
            ));
            lines.push(Line::styled(
                "   They accept it among their Emby Connect invitations; an e-mail address without an account gets an invitation to sign up.",
                Style::new().fg(color(Role::Dim)),
            ));
        }
        AdminForm::Invite {
            who,
            share,
            live_tv,
            focus,
        } => {
            lines.push(Line::styled(
                format!(" Invite someone to {} with Emby Connect", v.server_name),
                bold,
            ));
            lines.push(super::signin::field_spans(
                who,
                *focus == 0,
                "   Emby Connect name or e-mail: ",
                room,
            ));
            let tick = |on: bool| if on { "[x]" } else { "[ ]" };
            lines.push(Line::from("   Libraries to share (Space ticks):"));
            for (i, (lib, on)) in v.libraries.iter().zip(share).enumerate() {
                let style = if *focus == i + 1 {
                    focus_style.add_modifier(Modifier::REVERSED)
                } else {
                    Style::new()
                };
                lines.push(Line::styled(
                    format!("     {} {}", tick(*on), lib.name),
                    style,
                ));
            }
            let style = if *focus == v.libraries.len() + 1 {
                focus_style.add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            };
            lines.push(Line::styled(
                format!("   {} Live TV", tick(*live_tv)),
                style,
            ));
        }
    }
    lines
}

fn user_rows(v: &AdminView, width: usize, room: usize) -> Vec<Line<'static>> {
    let header = format!(
        "  {:<18} {:<6} {:<22} {:<8} {}",
        "Name", "Admin", "Emby Connect", "Link", "Last active"
    );
    let mut lines = vec![Line::styled(
        fit(&header, width),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    if v.users.is_empty() {
        lines.push(Line::from("  (no users)"));
        return lines;
    }
    let room = room.max(1);
    let selected = (v.list == AdminList::Users).then_some(v.cursor);
    let top = selected.map_or(0, |c| c.saturating_sub(room - 1));
    for (i, u) in v.users.iter().enumerate().skip(top).take(room) {
        let text = format!(
            "  {:<18} {:<6} {:<22} {:<8} {}",
            fit(&u.name, 18),
            if u.administrator { "yes" } else { "-" },
            fit(u.connect_name.as_deref().unwrap_or("-"), 22),
            u.link.unwrap_or("-"),
            u.last_activity.as_deref().unwrap_or("-"),
        );
        let style = if selected == Some(i) {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::styled(fit(&text, width), style));
    }
    lines
}

fn pending_rows(v: &AdminView, width: usize) -> Vec<Line<'static>> {
    if let Some(e) = &v.pending_error {
        return vec![Line::styled(
            format!("  The pending list could not be read: {e}"),
            Style::new().fg(color(Role::Error)),
        )];
    }
    if v.pending.is_empty() {
        return vec![Line::from("  (none)")];
    }
    v.pending
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let style = if v.list == AdminList::Pending && v.cursor == i {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            };
            Line::styled(fit(&format!("  {}", p.user_name), width), style)
        })
        .collect()
}

pub fn draw(frame: &mut Frame, v: &AdminView, body: Rect) {
    let area = Rect::new(
        body.x + 1,
        body.y,
        body.width.saturating_sub(2),
        body.height,
    );
    frame.render_widget(Clear, area);
    let (title, lines) = match &v.stage {
        AdminStage::Checking => (
            format!(" {} ", v.server_name),
            vec![
                Line::from(""),
                Line::from(format!(
                    " Asking {} whether you are one of its administrators…",
                    v.server_name
                )),
            ],
        ),
        AdminStage::Refused(why) => (
            format!(" {} ", v.server_name),
            vec![
                Line::from(""),
                Line::styled(format!(" {why}"), Style::new().fg(color(Role::Error))),
                Line::from(""),
                Line::from(" Esc closes; r asks again."),
            ],
        ),
        AdminStage::Shown => {
            let width = usize::from(area.width.saturating_sub(2));
            let bold = Style::new().add_modifier(Modifier::BOLD);
            let focus = |l: AdminList| {
                if v.list == l {
                    bold.fg(color(Role::Title))
                } else {
                    bold
                }
            };
            let form = v
                .form
                .as_ref()
                .map(|f| form_lines(v, f, area.width))
                .unwrap_or_default();
            let pending = pending_rows(v, width);
            // what is left for user rows: border, headings, pending, form, message, dashboard
            let fixed = 2 + 3 + 2 + pending.len() + form.len() + 3;
            let room = usize::from(area.height).saturating_sub(fixed);
            let mut lines = vec![Line::styled(
                format!(" Users ({})", v.users.len()),
                focus(AdminList::Users),
            )];
            lines.extend(user_rows(v, width, room));
            lines.push(Line::from(""));
            lines.push(Line::styled(
                format!(" Pending invitations ({})", v.pending.len()),
                focus(AdminList::Pending),
            ));
            lines.extend(pending);
            lines.extend(form);
            if let Some(m) = message_line(v) {
                lines.push(Line::from(""));
                lines.push(m);
            }
            if let Some(d) = &v.dashboard {
                lines.push(Line::styled(
                    format!(" Everything else: the server's dashboard at {d}"),
                    Style::new().fg(color(Role::Dim)),
                ));
            }
            let loading = if v.loading { " · reloading…" } else { "" };
            (
                format!(" Administration · {}{loading} ", v.server_name),
                lines,
            )
        }
    };
    let mut lines = lines;
    if v.stage != AdminStage::Shown
        && let Some(m) = message_line(v)
    {
        lines.push(m);
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(title)),
        area,
    );
}
