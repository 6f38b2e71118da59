//! The servers pane: a table that fills in server by server, and the selected server's details.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use super::format::ago;
use crate::app::State;
use crate::app::layout::servers_parts;
use crate::session::ServerReport;

fn state_text(r: &ServerReport, checking: bool) -> (String, Color) {
    if checking {
        return ("checking…".into(), Color::Yellow);
    }
    match r.state {
        "signed_in" => ("signed in".into(), Color::Green),
        "sign_in_required" => (
            format!(
                "sign-in needed: {}",
                r.error.as_deref().unwrap_or("no accepted sign-in")
            ),
            Color::Yellow,
        ),
        _ => (
            format!("unavailable: {}", r.error.as_deref().unwrap_or("unknown")),
            Color::Red,
        ),
    }
}

fn source_text(r: &ServerReport) -> String {
    match (r.source, r.link_type) {
        ("connect", Some(l)) => format!("Connect ({l})"),
        ("connect", None) => "Connect".into(),
        ("manual", _) => "address".into(),
        _ => "LAN".into(),
    }
}

/// Why a server is usually missing from the Emby Connect list, and what to do (issue 11 §2).
fn not_listed(connect_user: &str) -> Vec<Line<'static>> {
    vec![
        Line::from(format!(
            "  Server not listed? It appears here once its administrator links one of its users to your Emby Connect account ({connect_user}) or invites you, and you accept: i shows the invitations waiting for you."
        )),
        Line::from(
            "  Your own server? Sign in to it as its administrator (a adds it by address, l signs in), open it, press A and link your user to Emby Connect.",
        ),
    ]
}

pub fn draw(frame: &mut Frame, state: &State, area: Rect) {
    let (table_area, detail_area) = servers_parts(area);
    let p = &state.servers;
    let title = if p.refreshing {
        " Servers · refreshing… ".to_string()
    } else {
        format!(" Servers · {} ", p.rows.len())
    };
    let block = Block::bordered().title(title);
    if p.rows.is_empty() {
        let mut lines = vec![Line::from("")];
        match &state.connect_user {
            _ if !state.started || p.refreshing => {
                lines.push(Line::from("  Looking for your servers…"))
            }
            Some(user) => {
                lines.push(Line::from(format!(
                    "  No servers in your Emby Connect list yet (signed in as {user}). a adds one by address, d looks on the LAN."
                )));
                lines.push(Line::from(""));
                lines.extend(not_listed(user));
            }
            None => lines.push(Line::from(
                "  No servers yet. Press c to sign in to Emby Connect, a to add one by address, d to look on the LAN.",
            )),
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block),
            table_area,
        );
        return;
    }
    let height = crate::app::layout::servers_rows(area).height.max(1) as usize;
    let top = p.cursor.saturating_sub(height - 1);
    let rows: Vec<Row> = p
        .rows
        .iter()
        .enumerate()
        .skip(top)
        .take(height)
        .map(|(i, r)| {
            let (st, color) = state_text(r, p.is_checking(&r.id));
            let mode = r.mode.unwrap_or("-").to_string();
            let latency = r
                .latency_ms
                .map(|l| {
                    if l == 0 {
                        "<1 ms".into()
                    } else {
                        format!("{l} ms")
                    }
                })
                .unwrap_or_else(|| "-".into());
            let row = Row::new(vec![
                Cell::from(r.name.clone()),
                Cell::from(st).style(Style::new().fg(color)),
                Cell::from(mode),
                Cell::from(r.address.clone().unwrap_or_else(|| "-".into())),
                Cell::from(latency),
                Cell::from(r.user_name.clone().unwrap_or_else(|| "-".into())),
                Cell::from(ago(r.last_used_ms, state.now_ms)),
                Cell::from(source_text(r)),
            ]);
            if i == p.cursor {
                row.style(Style::new().add_modifier(Modifier::REVERSED))
            } else {
                row
            }
        })
        .collect();
    let widths = [
        Constraint::Min(16),
        Constraint::Fill(3),
        Constraint::Length(6),
        Constraint::Fill(3),
        Constraint::Length(7),
        Constraint::Fill(1),
        Constraint::Length(10),
        Constraint::Length(16),
    ];
    let header = Row::new([
        "Name",
        "State",
        "Mode",
        "Address",
        "Latency",
        "User",
        "Last used",
        "From",
    ])
    .style(Style::new().add_modifier(Modifier::BOLD));
    let shown = rows.len();
    frame.render_widget(
        Table::new(rows, widths).header(header).block(block),
        table_area,
    );
    // "server not listed?": under the rows, when one of them is not in the Connect list
    if let Some(user) = &state.connect_user
        && !p.refreshing
        && (!p.rows.iter().any(|r| r.source == "connect")
            || p.selected().is_some_and(|r| r.source != "connect"))
    {
        let rows_area = crate::app::layout::servers_rows(area);
        let free = Rect::new(
            rows_area.x + 1,
            rows_area.y + shown as u16 + 1,
            rows_area.width.saturating_sub(2),
            rows_area.height.saturating_sub(shown as u16 + 1),
        );
        if free.height >= 3 {
            frame.render_widget(
                Paragraph::new(not_listed(user))
                    .style(Style::new().fg(Color::DarkGray))
                    .wrap(Wrap { trim: false }),
                free,
            );
        }
    }
    if let Some(r) = p.selected() {
        let (st, color) = state_text(r, p.is_checking(&r.id));
        let addr = |a: &Option<String>| a.clone().unwrap_or_else(|| "-".into());
        let lines = vec![
            Line::styled(format!(" {}: {st}", r.name), Style::new().fg(color)),
            Line::from(format!(
                " local {} · remote {} · address {}",
                addr(&r.local_address),
                addr(&r.remote_address),
                addr(&r.manual_address)
            )),
        ];
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::bordered().title(" Selected ")),
            detail_area,
        );
    }
}
