//! Small text formatters shared by the panes.

use crate::emby::models::BaseItemDto;

/// Ticks (100 ns) as "1h 52m" or "42m".
pub fn runtime(ticks: i64) -> String {
    let minutes = ticks / 10_000_000 / 60;
    if minutes >= 60 {
        format!("{}h {:02}m", minutes / 60, minutes % 60)
    } else {
        format!("{minutes}m")
    }
}

/// Ticks as a position "1:02:03" / "2:03".
pub fn position(ticks: i64) -> String {
    let s = ticks / 10_000_000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// How long ago `then_ms` was, seen from `now_ms`.
pub fn ago(then_ms: u64, now_ms: u64) -> String {
    if then_ms == 0 {
        return "never".into();
    }
    let s = now_ms.saturating_sub(then_ms) / 1000;
    match s {
        0..60 => "just now".into(),
        60..3600 => format!("{} min ago", s / 60),
        3600..86_400 => format!("{} h ago", s / 3600),
        _ => format!("{} d ago", s / 86_400),
    }
}

/// Thousands separated by commas.
pub fn count(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The title of an item as a list shows it: "S01E02 Name", "Name (1999)", "Name/".
pub fn item_title(item: &BaseItemDto) -> String {
    let name = item.name.as_deref().unwrap_or("(no name)");
    let kind = item.item_type.as_deref().unwrap_or("");
    let mut s = match (kind, item.parent_index_number, item.index_number) {
        ("Episode", Some(season), Some(ep)) => format!("S{season:02}E{ep:02} {name}"),
        ("Audio", _, Some(track)) => format!("{track:02}. {name}"),
        _ => name.to_string(),
    };
    if let (Some(series), "Episode") = (&item.series_name, kind) {
        s = format!("{series} · {s}");
    }
    if let Some(y) = item.production_year
        && !matches!(kind, "Episode" | "Audio")
    {
        s.push_str(&format!(" ({y})"));
    }
    if item.is_folder.unwrap_or(false) {
        s.push('/');
    }
    s
}

/// The marks before an item: played, favourite, in progress.
pub fn marks(item: &BaseItemDto) -> String {
    let ud = item.user_data.as_ref();
    let played = ud.and_then(|u| u.played).unwrap_or(false);
    let fav = ud.and_then(|u| u.is_favorite).unwrap_or(false);
    let resume = ud
        .and_then(|u| u.playback_position_ticks)
        .is_some_and(|t| t > 0);
    format!(
        "{}{}",
        if played {
            '✓'
        } else if resume {
            '◐'
        } else {
            ' '
        },
        if fav { '★' } else { ' ' }
    )
}

/// What is shown at the right of a list row: kind and length.
pub fn item_meta(item: &BaseItemDto) -> String {
    let mut parts = Vec::new();
    if let Some(k) = &item.item_type {
        parts.push(k.clone());
    }
    if let Some(n) = item.child_count.filter(|_| item.is_folder.unwrap_or(false)) {
        parts.push(format!("{n} items"));
    }
    if let Some(t) = item.run_time_ticks {
        parts.push(runtime(t));
    }
    parts.join(" · ")
}

/// Cut `s` to `width` columns, with an ellipsis when cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(width - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(runtime(112 * 60 * 10_000_000), "1h 52m");
        assert_eq!(runtime(42 * 60 * 10_000_000), "42m");
        assert_eq!(position(3723 * 10_000_000), "1:02:03");
        assert_eq!(count(100_000), "100,000");
        assert_eq!(count(999), "999");
        assert_eq!(ago(0, 5), "never");
        assert_eq!(ago(1_000, 301_000), "5 min ago");
        assert_eq!(fit("abcdef", 4), "abc…");
    }
}
