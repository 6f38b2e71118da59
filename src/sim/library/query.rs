//! Item queries: which items a listing call selects, in which order, which page.
//!
//! Candidates are enumerated as small [`ItemRef`]s, filtered and sorted by cheap keys; only
//! the requested page is turned into JSON by the caller.

use std::cmp::Ordering;

use super::names;
use super::userdata::UserDataStore;
use super::{ItemRef, Kind, Library};
use crate::sim::ids;

/// A sort key of `SortBy=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// SortName / Name (the default).
    Name,
    /// DateCreated.
    DateCreated,
    /// PremiereDate.
    PremiereDate,
    /// ProductionYear.
    ProductionYear,
    /// CommunityRating.
    CommunityRating,
    /// Runtime.
    Runtime,
    /// DatePlayed.
    DatePlayed,
    /// PlayCount.
    PlayCount,
    /// Random (deterministic shuffle).
    Random,
    /// IndexNumber.
    IndexNumber,
}

impl SortKey {
    /// Parses a `SortBy` name; unknown names are ignored, as Emby does.
    pub fn parse(s: &str) -> Option<SortKey> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "sortname" | "name" | "seriessortname" | "album" | "albumartist" | "artist" => {
                SortKey::Name
            }
            "datecreated" => SortKey::DateCreated,
            "premieredate" => SortKey::PremiereDate,
            "productionyear" => SortKey::ProductionYear,
            "communityrating" => SortKey::CommunityRating,
            "runtime" => SortKey::Runtime,
            "dateplayed" | "datelastcontentadded" => SortKey::DatePlayed,
            "playcount" => SortKey::PlayCount,
            "random" => SortKey::Random,
            "indexnumber" | "parentindexnumber" => SortKey::IndexNumber,
            _ => return None,
        })
    }
}

/// A listing request.
#[derive(Clone, Debug, Default)]
pub struct ItemQuery {
    /// `ParentId` (None = the user's root).
    pub parent: Option<ItemRef>,
    /// `Recursive`.
    pub recursive: bool,
    /// `IncludeItemTypes` (empty = all).
    pub include: Vec<Kind>,
    /// `ExcludeItemTypes`.
    pub exclude: Vec<Kind>,
    /// `MediaTypes` (lower-case, empty = all).
    pub media_types: Vec<String>,
    /// `Ids` (when given, exactly these items in this order).
    pub ids: Option<Vec<ItemRef>>,
    /// `SearchTerm` (case-insensitive substring of the name).
    pub search: Option<String>,
    /// `IsPlayed` / `Filters=IsPlayed|IsUnplayed`.
    pub played: Option<bool>,
    /// `IsFavorite` / `Filters=IsFavorite`.
    pub favorite: Option<bool>,
    /// `Filters=IsResumable`.
    pub resumable: bool,
    /// `IsFolder` / `Filters=IsFolder|IsNotFolder`.
    pub folder: Option<bool>,
    /// `SeriesId` / `AlbumId` style restriction to descendants of one item.
    pub within: Option<ItemRef>,
    /// `Genres` (any of them, case-insensitive; empty = any).
    pub genres: Vec<String>,
    /// `Years` (production year in the list; empty = any).
    pub years: Vec<i32>,
    /// `SortBy` keys (empty = by name).
    pub sort: Vec<SortKey>,
    /// `SortOrder=Descending` per key (missing entries repeat the last one).
    pub descending: Vec<bool>,
    /// `StartIndex`.
    pub start: usize,
    /// `Limit`.
    pub limit: Option<usize>,
}

/// One page of a query.
pub struct Page {
    /// The items of the page.
    pub items: Vec<ItemRef>,
    /// How many items matched in all.
    pub total: usize,
}

fn kind_passes(q: &ItemQuery, k: Kind) -> bool {
    (q.include.is_empty() || q.include.contains(&k)) && !q.exclude.contains(&k)
}

impl ItemQuery {
    /// Runs the query for `user`.
    pub fn run(&self, lib: &Library, data: &UserDataStore, user: &str) -> Page {
        let mut items = self.candidates(lib);
        items.retain(|i| self.matches(lib, data, user, *i));
        if self.ids.is_none() || !self.sort.is_empty() {
            self.sort_items(lib, data, user, &mut items);
        }
        let total = items.len();
        let start = self.start.min(total);
        let end = self
            .limit
            .map_or(total, |l| start.saturating_add(l).min(total));
        Page {
            items: items[start..end].to_vec(),
            total,
        }
    }

    fn candidates(&self, lib: &Library) -> Vec<ItemRef> {
        if let Some(ids) = &self.ids {
            return ids.clone();
        }
        let parent = self.within.or(self.parent).unwrap_or(ItemRef::Root);
        let recursive = self.recursive || self.within.is_some();
        if recursive {
            lib.descendants(parent, &|k| kind_passes(self, k))
        } else {
            lib.children(parent)
        }
    }

    fn matches(&self, lib: &Library, data: &UserDataStore, user: &str, item: ItemRef) -> bool {
        let kind = item.kind();
        if !kind_passes(self, kind) || !lib.exists(item) {
            return false;
        }
        if !self.media_types.is_empty() {
            let mt = super::dto::media_type(item).map(str::to_ascii_lowercase);
            if !mt.is_some_and(|m| self.media_types.contains(&m)) {
                return false;
            }
        }
        if let Some(f) = self.folder
            && kind.is_folder() != f
        {
            return false;
        }
        if let Some(term) = &self.search
            && !names::name(lib, item).to_lowercase().contains(term)
        {
            return false;
        }
        if let Some(p) = self.played
            && (matches!(item, ItemRef::Root | ItemRef::View(_))
                || data.is_played(lib, user, item) != p)
        {
            return false;
        }
        if let Some(f) = self.favorite
            && data.get(lib, user, item).favorite != f
        {
            return false;
        }
        if self.resumable {
            let st = data.get(lib, user, item);
            if !item.is_playable() || st.position_ticks <= 0 || st.played {
                return false;
            }
        }
        if !self.genres.is_empty()
            && !names::genres(lib, item)
                .iter()
                .any(|g| self.genres.iter().any(|w| w.eq_ignore_ascii_case(g)))
        {
            return false;
        }
        if !self.years.is_empty()
            && !names::year(lib, item).is_some_and(|y| self.years.contains(&y))
        {
            return false;
        }
        true
    }

    fn sort_items(&self, lib: &Library, data: &UserDataStore, user: &str, items: &mut [ItemRef]) {
        let keys = if self.sort.is_empty() {
            vec![SortKey::Name]
        } else {
            self.sort.clone()
        };
        let single_kind = items
            .first()
            .map(|f| items.iter().all(|i| i.kind() == f.kind()))
            .unwrap_or(true);
        let desc = |i: usize| {
            self.descending
                .get(i)
                .or(self.descending.last())
                .copied()
                .unwrap_or(false)
        };
        // Within one kind, index order is name order (see names.rs), so `Name` needs no strings,
        // unless the scenario renamed some title of that kind.
        let renamed = items.first().is_some_and(|f| lib.renames(f.kind()));
        let needs_names = keys.contains(&SortKey::Name) && (!single_kind || renamed);
        let mut keyed: Vec<(Vec<i64>, Option<String>, ItemRef)> = items
            .iter()
            .map(|i| {
                let nums = keys
                    .iter()
                    .map(|k| numeric_key(lib, data, user, *i, *k))
                    .collect();
                let name = needs_names.then(|| names::sort_name(lib, *i));
                (nums, name, *i)
            })
            .collect();
        keyed.sort_by(|a, b| {
            for (n, key) in keys.iter().enumerate() {
                let ord = if *key == SortKey::Name && needs_names {
                    a.1.cmp(&b.1)
                } else {
                    a.0[n].cmp(&b.0[n]).then_with(|| {
                        if *key == SortKey::Name {
                            a.2.cmp(&b.2)
                        } else {
                            Ordering::Equal
                        }
                    })
                };
                let ord = if desc(n) { ord.reverse() } else { ord };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            a.2.cmp(&b.2)
        });
        for (slot, (_, _, item)) in items.iter_mut().zip(keyed) {
            *slot = item;
        }
    }
}

fn numeric_key(
    lib: &Library,
    data: &UserDataStore,
    user: &str,
    item: ItemRef,
    key: SortKey,
) -> i64 {
    match key {
        SortKey::Name => 0,
        SortKey::DateCreated => names::date_created(lib, item),
        SortKey::PremiereDate => names::premiere_date(lib, item).unwrap_or(i64::MIN),
        SortKey::ProductionYear => names::year(lib, item).map_or(i64::MIN, i64::from),
        SortKey::CommunityRating => {
            names::community_rating(lib, item).map_or(i64::MIN, |r| (r * 10.0) as i64)
        }
        SortKey::Runtime => names::runtime_ticks(lib, item).unwrap_or(0),
        SortKey::DatePlayed => data.get(lib, user, item).last_played.unwrap_or(i64::MIN),
        SortKey::PlayCount => i64::from(data.get(lib, user, item).play_count),
        SortKey::Random => (ids::hash64(9, &[&lib.id(item)]) >> 1) as i64,
        SortKey::IndexNumber => match item {
            ItemRef::Episode(_, k, e) => i64::from(k) * 100_000 + i64::from(e),
            ItemRef::Season(_, k) => i64::from(k),
            ItemRef::Track(_, t) => i64::from(t),
            _ => 0,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::library::ViewKind;
    use crate::sim::scenario::LibraryConfig;

    fn lib(movies: u32) -> Library {
        Library::new(
            "00112233445566778899aabbccddeeff",
            LibraryConfig {
                movies,
                ..LibraryConfig::default()
            },
        )
    }

    #[test]
    fn default_order_equals_string_sort_by_sort_name() {
        let l = lib(300);
        let q = ItemQuery {
            parent: Some(ItemRef::View(ViewKind::Movies)),
            ..ItemQuery::default()
        };
        let page = q.run(&l, &UserDataStore::default(), "u");
        let mut by_string = page.items.clone();
        by_string.sort_by_key(|i| names::sort_name(&l, *i));
        assert_eq!(page.items, by_string);
        assert_eq!(page.total, 300);
    }

    #[test]
    fn start_index_beyond_the_end_gives_an_empty_page_and_the_right_total() {
        let l = lib(10);
        let q = ItemQuery {
            parent: Some(ItemRef::View(ViewKind::Movies)),
            start: 50,
            limit: Some(5),
            ..ItemQuery::default()
        };
        let page = q.run(&l, &UserDataStore::default(), "u");
        assert!(page.items.is_empty());
        assert_eq!(page.total, 10);
    }

    #[test]
    fn recursive_type_filter_and_search() {
        let l = lib(10);
        let q = ItemQuery {
            recursive: true,
            include: vec![Kind::Episode],
            ..ItemQuery::default()
        };
        let c = l.cfg;
        let n = u32::from(c.seasons) * u32::from(c.episodes) * c.series;
        assert_eq!(q.run(&l, &UserDataStore::default(), "u").total, n as usize);
        let name = names::name(&l, ItemRef::Movie(3)).to_lowercase();
        let q = ItemQuery {
            recursive: true,
            search: Some(name),
            ..ItemQuery::default()
        };
        let page = q.run(&l, &UserDataStore::default(), "u");
        assert!(page.items.contains(&ItemRef::Movie(3)));
    }

    #[test]
    fn descending_date_created_puts_the_newest_first() {
        let l = lib(10);
        let q = ItemQuery {
            parent: Some(ItemRef::View(ViewKind::Movies)),
            sort: vec![SortKey::DateCreated],
            descending: vec![true],
            limit: Some(2),
            ..ItemQuery::default()
        };
        assert_eq!(
            q.run(&l, &UserDataStore::default(), "u").items,
            vec![ItemRef::Movie(9), ItemRef::Movie(8)]
        );
    }
}
