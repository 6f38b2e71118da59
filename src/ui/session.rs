//! A session: the breadcrumb, then the home view, a paged list or an item's details.
//! A list draws only its visible rows, so its length does not matter.

use super::color;
use crate::app::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::format::{
    Context, count, fit, item_meta_in, item_title, item_title_in, kind_label, marks, position,
    resume_percent, runtime, size,
};
use crate::app::State;
use crate::app::browse::{DetailsView, HomeRow, HomeView, ListView, SessionView, View};
use crate::app::layout::{inner, session_parts};
use crate::app::posters::{self, HomeStrip};
use crate::emby::models::BaseItemDto;

pub fn draw(frame: &mut Frame, state: &State, s: &SessionView, area: Rect) {
    let (crumbs, content) = session_parts(area);
    let path: Vec<String> = std::iter::once(s.name.clone())
        .chain(s.stack.iter().map(|sc| sc.title.clone()))
        .collect();
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!(" {}", path.join(" › ")),
            Style::new().add_modifier(Modifier::BOLD),
        )),
        crumbs,
    );
    let screen = s.current();
    match &screen.view {
        View::Home(h) => home(frame, state, &s.server_id, h, content),
        View::List(l) => list(frame, &screen.title, l, content),
        View::Details(d) => details(frame, state, &s.server_id, d, content),
    }
}

fn item_line(item: &BaseItemDto, width: usize, selected: bool, ctx: Context) -> Line<'static> {
    let left = format!(" {} {}", marks(item), item_title_in(item, ctx));
    row_line(&left, &item_meta_in(item, ctx), width, selected)
}

/// A row of a list: `left` (cut to the room there is) and `right` (dim) against the right
/// edge, reversed when selected.
pub(super) fn row_line(left: &str, right: &str, width: usize, selected: bool) -> Line<'static> {
    let room = width.saturating_sub(right.chars().count() + 2);
    let left = fit(left, room);
    let pad = width.saturating_sub(left.chars().count() + right.chars().count() + 1);
    let style = if selected {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new()
    };
    Line::from(vec![
        Span::styled(left, style),
        Span::styled(" ".repeat(pad), style),
        Span::styled(format!("{right} "), style.fg(color(Role::Dim))),
    ])
}

fn home(frame: &mut Frame, state: &State, server_id: &str, h: &HomeView, area: Rect) {
    let block = Block::bordered().title(" Home ");
    let rows = inner(area);
    if h.loading {
        frame.render_widget(Paragraph::new("  Loading…").block(block), area);
        return;
    }
    if h.rows.is_empty() {
        let text = match &h.error {
            Some(e) => format!("  Could not load this server's home: {e} (r to retry)"),
            None => "  Nothing here.".into(),
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(Style::new().fg(color(Role::Error)))
                .wrap(Wrap { trim: false })
                .block(block),
            area,
        );
        return;
    }
    let strip = posters::home_strip(rows, server_id, h, &state.images);
    let height = strip.as_ref().map_or(rows.height, |s| s.list.height) as usize;
    // the cursor stays in view even if the rows it was scrolled for were taller
    let top = if h.cursor >= h.top + height {
        h.cursor + 1 - height.max(1)
    } else {
        h.top
    };
    let width = rows.width as usize;
    let lines: Vec<Line> = h
        .rows
        .iter()
        .enumerate()
        .skip(top)
        .take(height)
        .map(|(i, row)| match row {
            HomeRow::Header(t) => Line::styled(
                format!(" {t}"),
                Style::new()
                    .fg(color(Role::Title))
                    .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            ),
            HomeRow::Note(t) => Line::styled(format!("   {t}"), Style::new().fg(color(Role::Dim))),
            HomeRow::Item(it) => item_line(it, width, i == h.cursor, Context::default()),
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
    if let Some(strip) = strip {
        poster_strip(frame, state, h, &strip);
    }
}

/// The posters of the cursor's section under the home list, each with its name under it (the
/// selected one highlighted).
fn poster_strip(frame: &mut Frame, state: &State, h: &HomeView, strip: &HomeStrip) {
    for p in &strip.posters {
        let Some(HomeRow::Item(it)) = h.rows.get(p.row) else {
            continue;
        };
        let name = item_title(it);
        super::poster::draw(frame, &state.images, p.key.as_ref(), p.spot.area, &name);
        let style = if p.selected {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new().fg(color(Role::Dim))
        };
        let caption = Rect::new(p.spot.area.x, strip.captions.y, p.spot.area.width, 1);
        frame.render_widget(
            Paragraph::new(Line::styled(fit(&name, caption.width as usize), style)),
            caption,
        );
    }
}

fn list(frame: &mut Frame, title: &str, l: &ListView, area: Rect) {
    let rows = inner(area);
    let list = &l.list;
    let title = match l.order.describe() {
        Some(order) => format!("{title} · {order}"),
        None => title.to_string(),
    };
    let heading = match list.total {
        Some(0) => format!(" {title} · empty "),
        Some(n) => format!(" {title} · {} of {} ", count(list.cursor + 1), count(n)),
        None => format!(" {title} "),
    };
    let block = Block::bordered().title(heading);
    if list.is_loading() {
        frame.render_widget(Paragraph::new("  Loading…").block(block), area);
        return;
    }
    if list.total.is_none() || list.is_empty() {
        let (text, style) = match (&list.error, &l.search) {
            (Some(e), _) => (
                format!("  {e} (r to retry)"),
                Style::new().fg(color(Role::Error)),
            ),
            (None, Some(q)) => (format!("  Nothing matches “{q}”."), Style::new()),
            (None, None) if l.order.describe().is_some() => (
                "  Nothing here is shown as filtered (F, # and Y change the filters).".into(),
                Style::new(),
            ),
            (None, None) => ("  This folder is empty.".into(), Style::new()),
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(style)
                .wrap(Wrap { trim: false })
                .block(block),
            area,
        );
        return;
    }
    let width = rows.width as usize;
    let ctx = Context {
        parent_id: l.parent_id.as_deref(),
        search: l.search.is_some(),
    };
    let end = (list.top + rows.height as usize).min(list.len());
    let lines: Vec<Line> = (list.top..end)
        .map(|i| match list.get(i) {
            Some(it) => item_line(it, width, i == list.cursor, ctx),
            None => {
                let style = if i == list.cursor {
                    Style::new().add_modifier(Modifier::REVERSED)
                } else {
                    Style::new().fg(color(Role::Dim))
                };
                Line::styled(format!("    … item {}", count(i + 1)), style)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn details(frame: &mut Frame, state: &State, server_id: &str, d: &DetailsView, area: Rect) {
    let block = Block::bordered().title(" Details ");
    let Some(it) = &d.item else {
        let text = d.error.clone().unwrap_or_else(|| "Loading…".into());
        frame.render_widget(Paragraph::new(format!("  {text}")).block(block), area);
        return;
    };
    let text = Paragraph::new(detail_lines(it))
        .wrap(Wrap { trim: false })
        .scroll((d.scroll, 0));
    match posters::details_poster(inner(area), server_id, it, &state.images) {
        Some(p) => {
            frame.render_widget(block, area);
            super::poster::draw(
                frame,
                &state.images,
                p.key.as_ref(),
                p.poster,
                &item_title(it),
            );
            frame.render_widget(text, p.text);
        }
        None => frame.render_widget(text.block(block), area),
    }
}

/// Cast and crew worth a line: the first actors (with their roles), then who directed and
/// wrote it.
fn people_lines(it: &BaseItemDto) -> Vec<Line<'static>> {
    const ACTORS: usize = 4;
    let of = |kinds: &[&str]| -> Vec<&crate::emby::models::BaseItemPerson> {
        it.people
            .iter()
            .filter(|p| {
                p.person_type.as_deref().is_some_and(|t| kinds.contains(&t)) && p.name.is_some()
            })
            .collect()
    };
    let mut lines = Vec::new();
    let actors = of(&["Actor", "GuestStar"]);
    if !actors.is_empty() {
        let mut names: Vec<String> = actors
            .iter()
            .take(ACTORS)
            .map(|p| match p.role.as_deref().filter(|r| !r.is_empty()) {
                Some(role) => format!("{} ({role})", p.name.as_deref().unwrap_or("")),
                None => p.name.clone().unwrap_or_default(),
            })
            .collect();
        if actors.len() > ACTORS {
            names.push(format!("and {} more", actors.len() - ACTORS));
        }
        lines.push(Line::from(format!(" With {}", names.join(", "))));
    }
    for (kinds, label) in [
        (&["Director"][..], "Directed by"),
        (&["Writer"][..], "Written by"),
    ] {
        let names: Vec<String> = of(kinds).iter().filter_map(|p| p.name.clone()).collect();
        if !names.is_empty() {
            lines.push(Line::from(format!(" {label} {}", names.join(", "))));
        }
    }
    lines
}

/// The lines of an item's details (its own function so snapshots can check them whole).
fn detail_lines(it: &BaseItemDto) -> Vec<Line<'static>> {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines = vec![Line::styled(format!(" {}", item_title(it)), bold)];
    let mut facts = vec![kind_label(it)];
    if let Some(y) = it.production_year {
        facts.push(y.to_string());
    }
    if let Some(t) = it.run_time_ticks.filter(|t| *t > 0) {
        facts.push(runtime(t));
    }
    if let Some(r) = &it.official_rating {
        facts.push(r.clone());
    }
    if let Some(r) = it.community_rating {
        facts.push(format!("★ {r:.1}"));
    }
    lines.push(Line::from(format!(" {}", facts.join(" · "))));
    if !it.genres.is_empty() {
        lines.push(Line::from(format!(" Genres: {}", it.genres.join(", "))));
    }
    let ud = it.user_data.clone().unwrap_or_default();
    let mut state = Vec::new();
    state.push(if ud.played.unwrap_or(false) {
        "played".to_string()
    } else {
        "not played".to_string()
    });
    if let Some(p) = ud.playback_position_ticks.filter(|p| *p > 0) {
        match resume_percent(it) {
            Some(pct) => state.push(format!("resume at {} ({pct}%)", position(p))),
            None => state.push(format!("resume at {}", position(p))),
        }
    }
    if ud.is_favorite.unwrap_or(false) {
        state.push("★ favourite".into());
    }
    if let Some(n) = ud.unplayed_item_count.filter(|n| *n > 0) {
        state.push(format!("{n} unplayed"));
    }
    lines.push(Line::from(format!(" {}", state.join(" · "))));
    lines.extend(people_lines(it));
    lines.push(Line::from(""));
    if let Some(o) = &it.overview {
        for paragraph in o.split('\n') {
            lines.push(Line::from(format!(" {paragraph}")));
        }
        lines.push(Line::from(""));
    }
    for ms in &it.media_sources {
        let mut parts = Vec::new();
        if let Some(c) = &ms.container {
            parts.push(c.clone());
        }
        if let Some(sz) = ms.size.filter(|s| *s > 0) {
            parts.push(size(sz));
        }
        if let Some(b) = ms.bitrate.filter(|b| *b > 0) {
            parts.push(format!("{} kbit/s", b / 1000));
        }
        lines.push(Line::styled(
            format!(" File: {}", parts.join(" · ")),
            Style::new().fg(color(Role::Info)),
        ));
        for (kind, label) in [
            ("Video", "Video"),
            ("Audio", "Audio"),
            ("Subtitle", "Subtitles"),
        ] {
            let tracks: Vec<String> = ms
                .media_streams
                .iter()
                .filter(|st| st.stream_type.as_deref() == Some(kind))
                .map(|st| {
                    st.display_title
                        .clone()
                        .or_else(|| st.language.clone())
                        .or_else(|| st.codec.clone())
                        .unwrap_or_else(|| "unnamed".into())
                })
                .collect();
            if !tracks.is_empty() {
                lines.push(Line::from(format!("   {label}: {}", tracks.join(" · "))));
            }
        }
    }
    if it.media_sources.is_empty()
        && let Some(c) = &it.container
    {
        lines.push(Line::from(format!(" File: {c}")));
    }
    lines
}
