//! The "All servers" tab: a title row (with the search prompt), the merged rows (each saying
//! which servers it is on), and a footer naming the servers that are slow, down or signed out.
//! Only the visible rows are drawn, so the number of results does not matter.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::color;
use super::format::{fit, item_meta, item_title, marks};
use crate::app::State;
use crate::app::everywhere::{self, AllRow, EverywhereView, Heading, Note, rows_area};
use crate::app::theme::Role;
use crate::session::everywhere::Merged;

pub fn draw(frame: &mut Frame, state: &State, area: Rect) {
    let v = &state.everywhere;
    let (title, content, footer) = everywhere::parts(area);
    frame.render_widget(Paragraph::new(title_line(v)), title);

    let answered = everywhere::answered(state);
    let heading = match &v.search {
        Some(s) => {
            let n = s.merge.len();
            format!(
                " Search “{}” · {} result{} from {answered} of {} servers ",
                s.term,
                n,
                if n == 1 { "" } else { "s" },
                s.parts.len()
            )
        }
        None => format!(
            " Home of every server · {answered} of {} answered ",
            state.servers.rows.len()
        ),
    };
    frame.render_widget(Block::bordered().title(heading), content);
    let rows = rows_area(area);
    let width = rows.width as usize;
    let picked = v.picked_source();
    let lines: Vec<Line> = v
        .rows
        .iter()
        .enumerate()
        .skip(v.top)
        .take(rows.height as usize)
        .map(|(i, row)| match row {
            AllRow::Header(h) => Line::styled(
                format!(" {}", heading_text(*h)),
                Style::new()
                    .fg(color(Role::Title))
                    .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            ),
            AllRow::Note(n) => Line::styled(
                format!("   {}", note_text(*n, v)),
                Style::new().fg(color(Role::Dim)),
            ),
            AllRow::Home(_) | AllRow::Found(..) => match v.merged(*row) {
                Some(m) => {
                    let selected = i == v.cursor;
                    merged_line(m, v, width, selected, selected.then_some(picked))
                }
                None => Line::from(""),
            },
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), rows);
    frame.render_widget(Paragraph::new(footer_line(state)), footer);
}

fn title_line(v: &EverywhereView) -> Line<'static> {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut spans = vec![Span::styled(" All servers", bold)];
    if v.typing {
        spans.push(Span::styled(" › Search everywhere: ", bold));
        spans.extend(super::signin::field_spans(&v.prompt, true, "", 40).spans);
    } else if let Some(s) = &v.search {
        spans.push(Span::styled(format!(" › Search: {}", s.term), bold));
    }
    Line::from(spans)
}

fn heading_text(h: Heading) -> String {
    match h {
        Heading::ContinueWatching => "Continue Watching".into(),
        Heading::NextUp => "Next Up".into(),
        Heading::Latest(kind) => kind.latest_title().into(),
        Heading::Results(group, n) => format!("{} · {n}", group.title()),
    }
}

fn note_text(n: Note, v: &EverywhereView) -> String {
    match n {
        Note::NothingInProgress => "Nothing in progress.".into(),
        Note::NothingNext => "Nothing next.".into(),
        Note::NothingNew => "Nothing new.".into(),
        Note::Waiting => "Asking every server…".into(),
        Note::Searching => "Searching every server…".into(),
        Note::NothingMatches => format!(
            "Nothing matches “{}” on any server.",
            v.search.as_ref().map(|s| s.term.as_str()).unwrap_or("")
        ),
        Note::NoServers => "No server is signed in yet: the servers pane (s) lists them.".into(),
    }
}

/// "on Living Room, Cabin": every server the row is on, fastest first; on the selected row the
/// one `Enter` opens is in brackets.
fn on_servers(m: &Merged, v: &EverywhereView, picked: Option<usize>) -> String {
    let mut names: Vec<String> = Vec::new();
    for (i, s) in m.sources.iter().enumerate() {
        let name = v.ranks.name(&s.server_id).to_string();
        let name = if picked == Some(i) && m.sources.len() > 1 {
            format!("[{name}]")
        } else {
            name
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    format!("on {}", names.join(", "))
}

fn merged_line(
    m: &Merged,
    v: &EverywhereView,
    width: usize,
    selected: bool,
    picked: Option<usize>,
) -> Line<'static> {
    let left = format!(" {} {}", marks(&m.item), item_title(&m.item));
    let meta = item_meta(&m.item);
    let on = on_servers(m, v, picked);
    let right = if meta.is_empty() {
        on
    } else {
        format!("{meta} · {on}")
    };
    let right = fit(&right, width.saturating_sub(12).max(width / 2));
    super::session::row_line(&left, &right, width, selected)
}

fn footer_line(state: &State) -> Line<'static> {
    let trouble = everywhere::footer(state);
    if trouble.is_empty() {
        let n = everywhere::answered(state);
        if n == 0 {
            return Line::from("");
        }
        return Line::styled(
            format!(" {n} server{} answered.", if n == 1 { "" } else { "s" }),
            Style::new().fg(color(Role::Dim)),
        );
    }
    let text: Vec<String> = trouble
        .iter()
        .map(|(name, what)| format!("{name}: {what}"))
        .collect();
    Line::styled(
        format!(" {}", text.join(" · ")),
        Style::new().fg(color(Role::Warn)),
    )
}
