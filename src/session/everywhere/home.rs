//! The merged home: Continue Watching by last played, Next Up one episode per series, Latest
//! per kind of library by date added; the same item on several servers is one row.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::merge::{Found, Merged, Merger};
use super::rank::Ranks;

/// Items per merged row.
pub const ROW_LIMIT: usize = 16;

/// A kind of library: Latest is merged per kind, not per library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LibraryKind {
    Movies,
    Shows,
    Music,
    Other,
}

impl LibraryKind {
    pub const ALL: [LibraryKind; 4] = [
        LibraryKind::Movies,
        LibraryKind::Shows,
        LibraryKind::Music,
        LibraryKind::Other,
    ];

    /// The kind of a library from its `CollectionType`.
    pub fn of(collection_type: Option<&str>) -> LibraryKind {
        match collection_type.map(str::to_ascii_lowercase).as_deref() {
            Some("movies") => LibraryKind::Movies,
            Some("tvshows") => LibraryKind::Shows,
            Some("music") => LibraryKind::Music,
            _ => LibraryKind::Other,
        }
    }

    /// How a row of it is titled: "Latest Movies".
    pub fn latest_title(self) -> &'static str {
        match self {
            LibraryKind::Movies => "Latest Movies",
            LibraryKind::Shows => "Latest Shows",
            LibraryKind::Music => "Latest Music",
            LibraryKind::Other => "Latest in Other Libraries",
        }
    }
}

/// One server's part of the merged home.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerHome {
    pub server_id: String,
    pub resume: Vec<Found>,
    pub next_up: Vec<Found>,
    /// Latest additions per library, with the library's kind.
    pub latest: Vec<(LibraryKind, Vec<Found>)>,
}

/// The home of every server, merged.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergedHome {
    pub continue_watching: Vec<Merged>,
    pub next_up: Vec<Merged>,
    /// Per kind of library that has anything new, in [`LibraryKind::ALL`] order.
    pub latest: Vec<(LibraryKind, Vec<Merged>)>,
}

/// The homes of several servers as one. Servers are taken fastest first (so a row shows the
/// fastest server's name for it), each row's servers are ordered fastest first.
pub fn merge_homes<'a>(
    homes: impl IntoIterator<Item = &'a ServerHome>,
    ranks: &Ranks,
) -> MergedHome {
    let mut homes: Vec<&ServerHome> = homes.into_iter().collect();
    homes.sort_by(|a, b| {
        ranks
            .rank(&a.server_id)
            .cmp(&ranks.rank(&b.server_id))
            .then_with(|| a.server_id.cmp(&b.server_id))
    });

    let mut resume = Merger::new();
    for h in &homes {
        for f in &h.resume {
            resume.add(f.clone());
        }
    }
    let mut continue_watching = resume.into_items();
    continue_watching.sort_by(|a, b| {
        b.last_played
            .cmp(&a.last_played)
            .then_with(|| name_key(a).cmp(&name_key(b)))
    });
    continue_watching.truncate(ROW_LIMIT);

    let next_up = merge_next_up(&homes, ranks);

    let mut latest = Vec::new();
    for kind in LibraryKind::ALL {
        let mut m = Merger::new();
        for h in &homes {
            for (k, items) in &h.latest {
                if *k == kind {
                    for f in items {
                        m.add(f.clone());
                    }
                }
            }
        }
        if m.is_empty() {
            continue;
        }
        let mut rows = m.into_items();
        rows.sort_by(|a, b| {
            b.date_added
                .cmp(&a.date_added)
                .then_with(|| name_key(a).cmp(&name_key(b)))
        });
        rows.truncate(ROW_LIMIT);
        latest.push((kind, rows));
    }

    let mut merged = MergedHome {
        continue_watching,
        next_up,
        latest,
    };
    for row in merged
        .continue_watching
        .iter_mut()
        .chain(merged.next_up.iter_mut())
        .chain(merged.latest.iter_mut().flat_map(|(_, r)| r.iter_mut()))
    {
        ranks.order(&mut row.sources);
    }
    merged
}

fn name_key(m: &Merged) -> String {
    m.item.name.as_deref().unwrap_or("").to_lowercase()
}

/// Next Up: the same episode on several servers is one row, and a series watched on several
/// servers gives one row, the episode furthest along (it was watched up to there somewhere).
/// Rows keep the servers' own order (their position in their server's list, then how fast the
/// server is).
fn merge_next_up(homes: &[&ServerHome], ranks: &Ranks) -> Vec<Merged> {
    let mut m = Merger::new();
    // per row: its best position in a server's list, and the series it belongs to
    let mut position: HashMap<usize, (usize, (u8, u64))> = HashMap::new();
    let mut series: HashMap<usize, Vec<(String, String)>> = HashMap::new();
    for h in homes {
        for (pos, f) in h.next_up.iter().enumerate() {
            let keys: Vec<(String, String)> = f
                .series_ids
                .iter()
                .filter_map(|(k, v)| {
                    let k = k.trim().to_ascii_lowercase();
                    let v = v.trim().to_ascii_lowercase();
                    (super::merge::MATCHED_PROVIDERS.contains(&k.as_str()) && !v.is_empty())
                        .then_some((k, v))
                })
                .collect();
            let (i, _) = m.add(f.clone());
            let at = (pos, ranks.rank(&h.server_id));
            let best = position.entry(i).or_insert(at);
            *best = (*best).min(at);
            series.entry(i).or_default().extend(keys);
        }
    }
    let items = m.items();
    let number = |i: usize| {
        let it = &items[i].item;
        (
            it.parent_index_number.unwrap_or(0),
            it.index_number.unwrap_or(0),
        )
    };
    // rows of one series: only the one furthest along stays
    let mut keep: Vec<usize> = Vec::new();
    for i in 0..items.len() {
        let mine = series.get(&i).cloned().unwrap_or_default();
        let same_series = |j: &usize| {
            series
                .get(j)
                .is_some_and(|theirs| theirs.iter().any(|k| mine.contains(k)))
        };
        match keep.iter().position(same_series) {
            Some(at) => {
                let j = keep[at];
                if number(i) > number(j) {
                    keep[at] = i;
                }
            }
            None => keep.push(i),
        }
    }
    keep.sort_by_key(|i| (position.get(i).copied(), *i));
    let mut all: Vec<Option<Merged>> = m.into_items().into_iter().map(Some).collect();
    keep.into_iter()
        .filter_map(|i| all[i].take())
        .take(ROW_LIMIT)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emby::models::{BaseItemDto, UserItemDataDto};
    use crate::session::everywhere::rank::tests::report;

    fn item(server: &str, id: &str, kind: &str, ids: &[(&str, &str)]) -> Found {
        Found::new(
            server,
            BaseItemDto {
                id: Some(id.into()),
                name: Some(format!("{kind} {id}")),
                item_type: Some(kind.into()),
                provider_ids: ids
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                ..Default::default()
            },
        )
    }

    fn resumed(mut f: Found, day: u32) -> Found {
        f.item.user_data = Some(UserItemDataDto {
            last_played_date: Some(format!("2024-03-{day:02}T20:00:00.0000000Z")),
            playback_position_ticks: Some(i64::from(day)),
            ..Default::default()
        });
        f
    }

    fn added(mut f: Found, day: u32) -> Found {
        f.item.date_created = Some(format!("2024-01-{day:02}T00:00:00.0000000Z"));
        f
    }

    fn next(server: &str, id: &str, tvdb: &str, s: i32, e: i32) -> Found {
        let mut f = item(server, id, "Episode", &[]);
        f.item.parent_index_number = Some(s);
        f.item.index_number = Some(e);
        f.series_ids = [("Tvdb".to_string(), tvdb.to_string())].into();
        f
    }

    fn ranks() -> Ranks {
        Ranks::from_reports(&[
            report("cabin", "signed_in", Some("remote"), 80),
            report("living", "signed_in", Some("local"), 2),
        ])
    }

    fn ids(rows: &[Merged]) -> Vec<String> {
        rows.iter()
            .map(|r| {
                let on: Vec<String> = r.sources.iter().map(|s| s.server_id.clone()).collect();
                format!("{}@{}", r.item.id.as_deref().unwrap_or(""), on.join("+"))
            })
            .collect()
    }

    #[test]
    fn continue_watching_is_merged_by_last_played_with_the_fastest_server_first() {
        let living = ServerHome {
            server_id: "living".into(),
            resume: vec![
                resumed(item("living", "l1", "Movie", &[("Imdb", "tt1")]), 3),
                resumed(item("living", "l2", "Movie", &[("Imdb", "tt2")]), 1),
            ],
            ..Default::default()
        };
        let cabin = ServerHome {
            server_id: "cabin".into(),
            resume: vec![
                resumed(item("cabin", "c1", "Movie", &[("Imdb", "tt1")]), 9),
                resumed(item("cabin", "c3", "Movie", &[("Imdb", "tt3")]), 5),
            ],
            ..Default::default()
        };
        let home = merge_homes([&cabin, &living], &ranks());
        // tt1 was last played on Cabin (day 9): first, with Cabin's position, opened on Living
        // Room first (local)
        assert_eq!(
            ids(&home.continue_watching),
            ["l1@living+cabin", "c3@cabin", "l2@living"]
        );
        let first = &home.continue_watching[0];
        assert_eq!(
            first
                .item
                .user_data
                .as_ref()
                .unwrap()
                .playback_position_ticks,
            Some(9)
        );
    }

    #[test]
    fn latest_is_merged_per_kind_of_library_by_date_added() {
        let living = ServerHome {
            server_id: "living".into(),
            latest: vec![
                (
                    LibraryKind::Movies,
                    vec![added(item("living", "m1", "Movie", &[("Tmdb", "1")]), 2)],
                ),
                (
                    LibraryKind::Movies,
                    vec![added(item("living", "m2", "Movie", &[]), 4)],
                ),
                (
                    LibraryKind::Music,
                    vec![added(item("living", "a1", "MusicAlbum", &[]), 1)],
                ),
            ],
            ..Default::default()
        };
        let cabin = ServerHome {
            server_id: "cabin".into(),
            latest: vec![(
                LibraryKind::Movies,
                vec![
                    added(item("cabin", "c1", "Movie", &[("Tmdb", "1")]), 7),
                    added(item("cabin", "c2", "Movie", &[]), 3),
                ],
            )],
            ..Default::default()
        };
        let home = merge_homes([&living, &cabin], &ranks());
        let kinds: Vec<LibraryKind> = home.latest.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, [LibraryKind::Movies, LibraryKind::Music]);
        assert_eq!(
            ids(&home.latest[0].1),
            ["m1@living+cabin", "m2@living", "c2@cabin"]
        );
    }

    #[test]
    fn next_up_keeps_one_episode_per_series_the_furthest_along() {
        let living = ServerHome {
            server_id: "living".into(),
            next_up: vec![
                next("living", "l-s1e2", "71", 1, 2),
                next("living", "l-other", "99", 2, 1),
            ],
            ..Default::default()
        };
        let cabin = ServerHome {
            server_id: "cabin".into(),
            next_up: vec![next("cabin", "c-s1e5", "71", 1, 5)],
            ..Default::default()
        };
        let friend = ServerHome {
            server_id: "friend".into(),
            next_up: vec![next("friend", "f-s1e2", "71", 1, 2)],
            ..Default::default()
        };
        let home = merge_homes([&living, &cabin, &friend], &ranks());
        // series 71 was watched up to S1E4 on Cabin: its next is S1E5 there
        assert_eq!(ids(&home.next_up), ["c-s1e5@cabin", "l-other@living"]);
        // the same episode on two servers is one row
        let same = merge_homes([&living, &friend], &ranks());
        assert_eq!(
            ids(&same.next_up),
            ["l-s1e2@living+friend", "l-other@living"]
        );
    }
}
