//! The servers pane: a table that fills in server by server, and the selected server's details.

use super::color;
use crate::app::theme::Role;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use super::format::{ago, fit, fit_address};
use crate::app::State;
use crate::app::layout::servers_parts;
use crate::session::ServerReport;

/// The state in a few words for the table (the full reason is in the box below it).
fn state_word(r: &ServerReport, checking: bool) -> (&'static str, Color) {
    if checking {
        return ("checking…", color(Role::Warn));
    }
    match r.state {
        "signed_in" => ("signed in", color(Role::Ok)),
        "sign_in_required" => ("sign-in needed", color(Role::Warn)),
        _ => ("unavailable", color(Role::Error)),
    }
}

/// The state with its reason, for the box of the selected server.
fn state_text(r: &ServerReport, checking: bool) -> (String, Color) {
    let (word, color) = state_word(r, checking);
    match r
        .error
        .as_deref()
        .filter(|_| !checking && r.state != "signed_in")
    {
        Some(why) => (format!("{word}: {why}"), color),
        None => (word.to_string(), color),
    }
}

/// A column of the table: its header, how narrow it may get, how wide its content wants it,
/// and whether the middle (an address) or the end is what gives when it is narrower.
struct Column {
    header: &'static str,
    min: usize,
    want: usize,
    middle: bool,
}

/// The widths of the columns that fit in `width` (None for a column left out): columns are
/// taken in the order given (most important first) while their narrowest widths fit, then
/// the room left is shared out, again in that order, up to what each wants. A column that
/// shortens in its middle (an address) is readable only with some room: while it has less
/// than [`READABLE_ADDRESS`] (or all it wants), the least important column shown gives way.
fn fit_columns(columns: &[Column], width: usize) -> Vec<Option<usize>> {
    let mut allowed = columns.len();
    loop {
        let widths = fit_columns_of(&columns[..allowed], width);
        let cramped = columns[..allowed]
            .iter()
            .zip(&widths)
            .any(|(c, w)| c.middle && w.is_some_and(|w| w < READABLE_ADDRESS.min(c.want)));
        let last_shown = widths.iter().rposition(|w| w.is_some());
        let middle_at = columns.iter().position(|c| c.middle).unwrap_or(0);
        match last_shown {
            Some(last) if cramped && last > middle_at => allowed = last,
            _ => {
                let mut all = widths;
                all.resize(columns.len(), None);
                return all;
            }
        }
    }
}

/// How wide an address column must be to show a scheme, a host and a port.
const READABLE_ADDRESS: usize = 26;

fn fit_columns_of(columns: &[Column], width: usize) -> Vec<Option<usize>> {
    let mut widths: Vec<Option<usize>> = vec![None; columns.len()];
    let mut used = 0;
    for (i, c) in columns.iter().enumerate() {
        let need = c.min + usize::from(used > 0);
        if used + need <= width {
            widths[i] = Some(c.min);
            used += need;
        }
    }
    let mut left = width.saturating_sub(used);
    // first every column up to what it wants (an address up to readable), then the address
    // takes what is left, up to all it wants
    for pass in 0..2 {
        for (i, c) in columns.iter().enumerate() {
            let Some(w) = &mut widths[i] else { continue };
            let cap = match (pass, c.middle) {
                (0, true) => c.want.min(READABLE_ADDRESS),
                (0, false) => c.want,
                (_, true) => c.want,
                (_, false) => continue,
            };
            let grow = cap.saturating_sub(*w).min(left);
            *w += grow;
            left -= grow;
        }
    }
    widths
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
    let latency = |r: &ServerReport| {
        r.latency_ms
            .map(|l| {
                if l == 0 {
                    "<1 ms".into()
                } else {
                    format!("{l} ms")
                }
            })
            .unwrap_or_else(|| "-".into())
    };
    // what each cell says, before it is fitted to its column
    let cells: Vec<[String; 8]> = p
        .rows
        .iter()
        .map(|r| {
            [
                r.name.clone(),
                state_word(r, p.is_checking(&r.id)).0.to_string(),
                r.address.clone().unwrap_or_else(|| "-".into()),
                r.user_name.clone().unwrap_or_else(|| "-".into()),
                r.mode.unwrap_or("-").to_string(),
                latency(r),
                ago(r.last_used_ms, state.now_ms),
                source_text(r),
            ]
        })
        .collect();
    let want = |i: usize, header: &str| {
        cells
            .iter()
            .map(|c| c[i].chars().count())
            .max()
            .unwrap_or(0)
            .max(header.chars().count())
    };
    let spec = [
        ("Name", 10, false),
        ("State", 14, false),
        ("Address", 14, true),
        ("User", 6, false),
        ("Mode", 6, false),
        ("Latency", 7, false),
        ("Last used", 9, false),
        ("From", 7, false),
    ];
    let columns: Vec<Column> = spec
        .iter()
        .enumerate()
        .map(|(i, (header, min, middle))| Column {
            header,
            min: *min,
            want: want(i, header).max(*min),
            middle: *middle,
        })
        .collect();
    let inner_width = table_area.width.saturating_sub(2) as usize;
    let widths = fit_columns(&columns, inner_width);
    let shown: Vec<usize> = (0..columns.len())
        .filter(|i| widths[*i].is_some())
        .collect();
    let fitted = |i: usize, text: &str| {
        let w = widths[i].unwrap_or(0);
        if columns[i].middle {
            fit_address(text, w)
        } else {
            fit(text, w)
        }
    };
    let rows: Vec<Row> = p
        .rows
        .iter()
        .zip(&cells)
        .enumerate()
        .skip(top)
        .take(height)
        .map(|(i, (r, cell))| {
            let (_, color) = state_word(r, p.is_checking(&r.id));
            let row = Row::new(shown.iter().map(|&c| {
                let cell = Cell::from(fitted(c, &cell[c]));
                if c == 1 {
                    cell.style(Style::new().fg(color))
                } else {
                    cell
                }
            }));
            if i == p.cursor {
                row.style(Style::new().add_modifier(Modifier::REVERSED))
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(shown.iter().map(|&c| columns[c].header))
        .style(Style::new().add_modifier(Modifier::BOLD));
    let constraints: Vec<Constraint> = shown
        .iter()
        .map(|&c| Constraint::Length(widths[c].unwrap_or(0) as u16))
        .collect();
    let rows_shown = rows.len();
    frame.render_widget(
        Table::new(rows, constraints)
            .header(header)
            .column_spacing(1)
            .block(block),
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
            rows_area.y + rows_shown as u16 + 1,
            rows_area.width.saturating_sub(2),
            rows_area.height.saturating_sub(rows_shown as u16 + 1),
        );
        if free.height >= 3 {
            frame.render_widget(
                Paragraph::new(not_listed(user))
                    .style(Style::new().fg(color(Role::Dim)))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn col(min: usize, want: usize) -> Column {
        Column {
            header: "x",
            min,
            want,
            middle: false,
        }
    }

    #[test]
    fn a_cramped_address_takes_the_room_of_the_least_important_columns() {
        let mut cols = vec![col(10, 12), col(14, 14), col(14, 40), col(9, 9), col(9, 9)];
        cols[2].middle = true;
        // 12 + 14 + 14 + 9 + 9 + 4 = 62 in 64: the address would get only 16
        let w = fit_columns(&cols, 64);
        assert_eq!(w[4], None, "the last column gave way");
        assert!(w[2].unwrap() >= 24, "{w:?}");
    }

    #[test]
    fn columns_that_do_not_fit_are_left_out_and_room_goes_to_the_first() {
        let cols = [col(10, 20), col(14, 14), col(12, 30), col(20, 20)];
        // 10 + 1 + 14 + 1 + 12 = 38 fit in 40; the last needs 21 more
        assert_eq!(
            fit_columns(&cols, 40),
            vec![Some(12), Some(14), Some(12), None]
        );
        // wide: everyone gets what they want
        assert_eq!(
            fit_columns(&cols, 200),
            vec![Some(20), Some(14), Some(30), Some(20)]
        );
    }
}
