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

/// Where a list is, for how its rows are worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Context<'a> {
    /// The folder listed (a season or album does not repeat its series or album on each row).
    pub parent_id: Option<&'a str>,
    /// A search across the server: tracks say their album and artist.
    pub search: bool,
}

/// The title of an item as a list shows it: "S01E02 Name", "Name (1999)", "Name/"; an episode
/// outside its season says its series first.
pub fn item_title(item: &BaseItemDto) -> String {
    item_title_in(item, Context::default())
}

/// [`item_title`] as a row of a list in `ctx`.
pub fn item_title_in(item: &BaseItemDto, ctx: Context) -> String {
    let name = item.name.as_deref().unwrap_or("(no name)");
    let kind = item.item_type.as_deref().unwrap_or("");
    let mut s = match (kind, item.parent_index_number, item.index_number) {
        ("Episode", Some(season), Some(ep)) => format!("S{season:02}E{ep:02} {name}"),
        ("Audio", _, Some(track)) if !ctx.search => format!("{track:02}. {name}"),
        _ => name.to_string(),
    };
    let inside = |id: &Option<String>| id.is_some() && id.as_deref() == ctx.parent_id;
    if let (Some(series), "Episode") = (&item.series_name, kind)
        && !(inside(&item.season_id) || inside(&item.series_id) || inside(&item.parent_id))
    {
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

/// How far into an item its resume point is, in percent (None when not started or unknown).
pub fn resume_percent(item: &BaseItemDto) -> Option<u32> {
    let ud = item.user_data.as_ref()?;
    if let Some(p) = ud.played_percentage.filter(|p| *p > 0.0) {
        return Some(p.round().clamp(1.0, 99.0) as u32);
    }
    let at = ud.playback_position_ticks.filter(|t| *t > 0)?;
    let of = item.run_time_ticks.filter(|t| *t > 0)?;
    Some(((at as f64 / of as f64) * 100.0).round().clamp(1.0, 99.0) as u32)
}

/// What kind of thing an item is, in words ("Film", "Series", "Album", "Track", "Library").
pub fn kind_label(item: &BaseItemDto) -> String {
    let kind = item.item_type.as_deref().unwrap_or("");
    match kind {
        "Movie" => "Film".into(),
        "Series" => "Series".into(),
        "Season" => "Season".into(),
        "Episode" => "Episode".into(),
        "MusicAlbum" => "Album".into(),
        "Audio" => "Track".into(),
        "MusicArtist" => "Artist".into(),
        "MusicVideo" => "Music video".into(),
        "BoxSet" => "Collection".into(),
        "CollectionFolder" | "UserView" => "Library".into(),
        "Folder" => "Folder".into(),
        "Video" => "Video".into(),
        "Person" => "Person".into(),
        "Playlist" => "Playlist".into(),
        "" => "Item".into(),
        // a type this browser does not know: split CamelCase into words
        other => {
            let mut out = String::new();
            for (i, c) in other.chars().enumerate() {
                if i > 0 && c.is_uppercase() {
                    out.push(' ');
                    out.extend(c.to_lowercase());
                } else {
                    out.push(c);
                }
            }
            out
        }
    }
}

fn counted(n: i32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What is shown at the right of a list row: what it is in words, how many it holds or how
/// long it runs, how far into it the resume point is ("Series · 3 seasons", "Film · 1h 52m ·
/// 42%", "Track · Album · Artist" in a search).
pub fn item_meta(item: &BaseItemDto) -> String {
    item_meta_in(item, Context::default())
}

/// [`item_meta`] as a row of a list in `ctx`.
pub fn item_meta_in(item: &BaseItemDto, ctx: Context) -> String {
    let kind = item.item_type.as_deref().unwrap_or("");
    let mut parts = vec![kind_label(item)];
    let children = item.child_count.filter(|_| item.is_folder.unwrap_or(false));
    match (kind, children) {
        ("Series", Some(n)) => parts.push(counted(n, "season", "seasons")),
        ("Season", Some(n)) => parts.push(counted(n, "episode", "episodes")),
        ("MusicAlbum", Some(n)) => parts.push(counted(n, "track", "tracks")),
        (_, Some(n)) => parts.push(counted(n, "item", "items")),
        _ => {}
    }
    if kind == "Audio" && ctx.search {
        if let Some(a) = item.album.as_ref().filter(|a| !a.is_empty()) {
            parts.push(a.clone());
        }
        if let Some(a) = item.album_artist.as_ref().filter(|a| !a.is_empty()) {
            parts.push(a.clone());
        }
    }
    if let Some(t) = item.run_time_ticks.filter(|t| *t > 0) {
        parts.push(if kind == "Audio" {
            position(t)
        } else {
            runtime(t)
        });
    }
    if let Some(p) = resume_percent(item) {
        parts.push(format!("{p}%"));
    }
    parts.join(" · ")
}

/// A size in bytes as people say it: "512 B", "48 KB", "700 MB", "1.4 GB".
pub fn size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b < 1000.0 {
        format!("{bytes} B")
    } else if b < 1e6 {
        format!("{:.0} KB", b / 1e3)
    } else if b < 1e9 {
        format!("{:.0} MB", b / 1e6)
    } else {
        format!("{:.1} GB", b / 1e9)
    }
}

/// Shortens `s` to `width` columns by taking out its middle (an address keeps its scheme and
/// host start and its port end: "http://192.168.…:8096").
pub fn fit_middle(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_string();
    }
    if width <= 1 {
        return "…".chars().take(width).collect();
    }
    let tail = (width - 1) / 3;
    let head = width - 1 - tail;
    let start: String = s.chars().take(head).collect();
    let end: String = s.chars().skip(n - tail).collect();
    format!("{start}…{end}")
}

/// Shortens an address to `width` columns keeping what tells it apart: a path prefix goes first
/// (as "/…"), then the middle of the host, never the scheme's start or the port
/// ("https://cabin-…net:8920/…").
pub fn fit_address(address: &str, width: usize) -> String {
    if address.chars().count() <= width {
        return address.to_string();
    }
    let after_scheme = address.find("://").map(|i| i + 3).unwrap_or(0);
    let (origin, path) = match address[after_scheme..].find('/') {
        Some(i) => address.split_at(after_scheme + i),
        None => (address, ""),
    };
    let path_shown = if path.is_empty() { "" } else { "/…" };
    let room = width.saturating_sub(path_shown.chars().count());
    if origin.chars().count() <= room {
        return format!("{origin}{path_shown}");
    }
    // the port stays whole at the end; the host gives way in its middle
    let port_at = origin
        .rfind(':')
        .filter(|i| *i >= after_scheme)
        .unwrap_or(origin.len());
    let (host, port) = origin.split_at(port_at);
    let host_room = room.saturating_sub(port.chars().count());
    if host_room < 4 {
        return fit_middle(address, width);
    }
    format!("{}{port}{path_shown}", fit_middle(host, host_room))
}

/// Shortens `s` to `width` columns at a word boundary (with an ellipsis when cut), so a
/// message is never cut in the middle of a word; a single word longer than `width` is cut.
pub fn fit_words(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let budget = width.saturating_sub(1);
    let mut out = String::new();
    for word in s.split(' ') {
        let extra = if out.is_empty() { 0 } else { 1 } + word.chars().count();
        if out.chars().count() + extra > budget {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        return fit(s, width);
    }
    out.push('…');
    out
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
        assert_eq!(size(512), "512 B");
        assert_eq!(size(700_000_000), "700 MB");
        assert_eq!(size(1_400_000_000), "1.4 GB");
        assert_eq!(
            fit_middle("http://192.168.100.200:8096", 20),
            "http://192.16…0:8096"
        );
        assert_eq!(
            fit_words("Signed in to Emby Connect as demo.", 20),
            "Signed in to Emby…"
        );
        assert_eq!(
            fit_address("https://cabin-in-the-woods.example.net:8920/emby-proxy", 30),
            "https://cabin-i…ple.net:8920/…"
        );
        assert_eq!(
            fit_address("http://10.0.0.5:8096", 40),
            "http://10.0.0.5:8096"
        );
    }

    fn item(kind: &str) -> BaseItemDto {
        BaseItemDto {
            name: Some("X".into()),
            item_type: Some(kind.into()),
            ..Default::default()
        }
    }

    #[test]
    fn rows_say_what_things_are_in_words() {
        let mut series = item("Series");
        series.is_folder = Some(true);
        series.child_count = Some(3);
        assert_eq!(item_meta(&series), "Series · 3 seasons");
        let mut lib = item("CollectionFolder");
        lib.is_folder = Some(true);
        lib.child_count = Some(120);
        assert_eq!(item_meta(&lib), "Library · 120 items");
        let mut album = item("MusicAlbum");
        album.is_folder = Some(true);
        album.child_count = Some(1);
        assert_eq!(item_meta(&album), "Album · 1 track");
        let mut track = item("Audio");
        track.album = Some("Blue".into());
        track.album_artist = Some("Joni".into());
        track.run_time_ticks = Some(222 * 10_000_000);
        assert_eq!(item_meta(&track), "Track · 3:42");
        let search = Context {
            search: true,
            ..Context::default()
        };
        assert_eq!(item_meta_in(&track, search), "Track · Blue · Joni · 3:42");
        let mut film = item("Movie");
        film.run_time_ticks = Some(100 * 60 * 10_000_000);
        film.user_data = Some(crate::emby::models::UserItemDataDto {
            playback_position_ticks: Some(42 * 60 * 10_000_000),
            ..Default::default()
        });
        assert_eq!(item_meta(&film), "Film · 1h 40m · 42%");
        assert_eq!(kind_label(&item("TvChannel")), "Tv channel");
    }

    #[test]
    fn an_episode_in_its_season_does_not_repeat_its_series() {
        let mut ep = item("Episode");
        ep.series_name = Some("Signal".into());
        ep.season_id = Some("season1".into());
        ep.parent_index_number = Some(1);
        ep.index_number = Some(2);
        assert_eq!(item_title(&ep), "Signal · S01E02 X");
        let in_season = Context {
            parent_id: Some("season1"),
            search: false,
        };
        assert_eq!(item_title_in(&ep, in_season), "S01E02 X");
    }
}
