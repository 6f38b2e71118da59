//! Matching the same film, series, episode or person across servers by provider ids, and the
//! merged rows it gives.
//!
//! An item is known by its **identities**: `(namespace, value)` pairs made from its provider ids
//! (`Imdb`, `Tmdb`, `Tvdb`, any case), namespaced by its `Type` so a film never matches a series.
//! An episode is also known by its series' provider id with its season and episode numbers, and
//! a season by its series' id with its number (episodes often carry no ids of their own). Two
//! items are one row when they share an identity and no provider they both have disagrees.
//! Names never match anything: two different films with the same name stay two rows, and one
//! film under two names is one row.

use std::collections::{BTreeMap, HashMap};

use crate::emby::models::{BaseItemDto, UserItemDataDto};

use super::dates::epoch_seconds;

/// The providers items are matched by (compared without case).
pub const MATCHED_PROVIDERS: [&str; 3] = ["imdb", "tmdb", "tvdb"];

/// Provider name → id, as `ProviderIds` carries them.
pub type ProviderIds = BTreeMap<String, String>;

/// An item as one server has it, with what matching needs beyond the item.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    pub server_id: String,
    pub item: Box<BaseItemDto>,
    /// For an episode or a season: its series' provider ids (empty when unknown).
    pub series_ids: ProviderIds,
    /// What merging computes from the item, when computed ahead ([`Found::prepare`]).
    prepared: Option<Prepared>,
}

/// What merging computes from an item: its identities, its dates, its name in lower case.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Prepared {
    pub(crate) identities: Vec<Identity>,
    pub(crate) last_played: Option<i64>,
    pub(crate) date_added: Option<i64>,
    /// The name, trimmed, in lower case (to rank search results by).
    pub(crate) name_lower: String,
}

impl Found {
    pub fn new(server_id: &str, item: BaseItemDto) -> Found {
        Found {
            server_id: server_id.to_string(),
            item: Box::new(item),
            series_ids: ProviderIds::new(),
            prepared: None,
        }
    }

    /// Computes now what merging needs of the item (call it after `series_ids` is set). The
    /// session layer does it in the task that fetched the items, so merging a large answer on
    /// the UI's side costs only lookups and moves.
    pub fn prepare(&mut self) {
        if self.prepared.is_none() {
            self.prepared = Some(self.compute());
        }
    }

    fn compute(&self) -> Prepared {
        Prepared {
            identities: identities(self),
            last_played: last_played(&self.item),
            date_added: self.item.date_created.as_deref().and_then(epoch_seconds),
            name_lower: self
                .item
                .name
                .as_deref()
                .unwrap_or("")
                .trim()
                .to_lowercase(),
        }
    }

    /// What merging needs of the item, computed ahead or now.
    pub(crate) fn take_prepared(&mut self) -> Prepared {
        match self.prepared.take() {
            Some(p) => p,
            None => self.compute(),
        }
    }
}

/// Where a merged row can be opened: a server and the item's id there.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub server_id: String,
    pub item_id: String,
    /// The item's name on that server when it differs from the row's (it may differ from
    /// server to server); None: the row's name.
    pub name: Option<String>,
    /// The user's data for it on that server, except for the source whose data the row shows
    /// (`shown`: it is the row's `item.user_data`, not copied); read it with
    /// [`Merged::user_data_of`].
    pub user_data: Option<UserItemDataDto>,
    /// Whether this source's user data is the one the row shows.
    pub(crate) shown: bool,
}

/// One identity: a namespace (the item's type and the provider, hashed) and the id there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    namespace: u64,
    value: Box<str>,
}

impl Identity {
    fn key(&self) -> u64 {
        hash(&[&self.namespace.to_le_bytes(), self.value.as_bytes()])
    }
}

/// One row: the same item on one or more servers.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The item as shown: from the first server it came from, with the played and resume state
    /// of the server it was last played on.
    pub item: Box<BaseItemDto>,
    /// Every server it is on (fastest first once ordered, see [`super::Ranks::order`]).
    pub sources: Vec<Source>,
    /// When it was last played on any server (seconds since the epoch).
    pub last_played: Option<i64>,
    /// When it was last added on any server (seconds since the epoch).
    pub date_added: Option<i64>,
    /// The identities it is known by.
    identities: Vec<Identity>,
}

impl Merged {
    fn new(found: Found, prepared: Prepared) -> Merged {
        let Prepared {
            identities,
            last_played,
            date_added,
            ..
        } = prepared;
        let source = Source {
            server_id: found.server_id,
            item_id: found.item.id.clone().unwrap_or_default(),
            name: None,
            user_data: None,
            shown: true,
        };
        Merged {
            item: found.item,
            sources: vec![source],
            last_played,
            date_added,
            identities,
        }
    }

    /// The servers it is on, each once, in source order.
    pub fn servers(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for s in &self.sources {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(&s.server_id)) {
                out.push(&s.server_id);
            }
        }
        out
    }

    /// The user's data for the item on source `i`'s server.
    pub fn user_data_of(&self, i: usize) -> Option<&UserItemDataDto> {
        let s = self.sources.get(i)?;
        if s.shown {
            self.item.user_data.as_ref()
        } else {
            s.user_data.as_ref()
        }
    }

    /// The item's name on source `i`'s server.
    pub fn name_of(&self, i: usize) -> Option<&str> {
        let s = self.sources.get(i)?;
        s.name.as_deref().or(self.item.name.as_deref())
    }

    /// Whether an item known by `ids` contradicts this row: a provider both have, with
    /// different ids.
    fn contradicts(&self, ids: &[Identity]) -> bool {
        ids.iter().any(|id| {
            self.identities
                .iter()
                .any(|mine| mine.namespace == id.namespace && mine.value != id.value)
        })
    }

    /// The item as it is on `source` (its id there, its name and user data there), for opening it.
    pub fn item_on(&self, source: &Source) -> BaseItemDto {
        let mut item = (*self.item).clone();
        item.id = Some(source.item_id.clone());
        item.server_id = Some(source.server_id.clone());
        match self.sources.iter().position(|s| s == source) {
            Some(i) => {
                item.user_data = self.user_data_of(i).cloned();
                item.name = self.name_of(i).map(str::to_string);
            }
            // a source of another row (not expected): its own data, as far as it has any
            None => {
                item.user_data = source.user_data.clone();
                if let Some(n) = &source.name {
                    item.name = Some(n.clone());
                }
            }
        }
        item
    }
}

fn last_played(item: &BaseItemDto) -> Option<i64> {
    item.user_data
        .as_ref()
        .and_then(|u| u.last_played_date.as_deref())
        .and_then(epoch_seconds)
}

/// FNV-1a over the parts (a separator between them), ASCII letters without case: identities and
/// sources are looked up by this hash, and every hit is checked against the real values.
fn hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in *part {
            h ^= u64::from(b.to_ascii_lowercase());
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The namespace of an item type and a provider (both without case).
fn namespace(kind: &str, provider: &str, of_series: bool) -> u64 {
    hash(&[
        kind.trim().as_bytes(),
        provider.as_bytes(),
        if of_series { b"series" } else { b"own" },
    ])
}

/// The matched provider ids of a map, as (provider lower case, id trimmed, lower case).
fn matched(ids: &ProviderIds) -> impl Iterator<Item = (&'static str, String)> + '_ {
    ids.iter().filter_map(|(k, v)| {
        let provider = MATCHED_PROVIDERS
            .into_iter()
            .find(|p| k.trim().eq_ignore_ascii_case(p))?;
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        let v = if v.bytes().any(|b| b.is_ascii_uppercase()) {
            v.to_ascii_lowercase()
        } else {
            v.to_string()
        };
        Some((provider, v))
    })
}

/// The identities of a found item (see the module docs); empty when it has none, so it matches
/// nothing.
pub fn identities(found: &Found) -> Vec<Identity> {
    let item = &found.item;
    let Some(kind) = item.item_type.as_deref() else {
        return Vec::new();
    };
    let mut out: Vec<Identity> = matched(&item.provider_ids)
        .map(|(p, v)| Identity {
            namespace: namespace(kind, p, false),
            value: v.into_boxed_str(),
        })
        .collect();
    let numbers = if kind.eq_ignore_ascii_case("episode") {
        item.parent_index_number
            .zip(item.index_number)
            .map(|(s, e)| format!("s{s}e{e}"))
    } else if kind.eq_ignore_ascii_case("season") {
        item.index_number.map(|s| format!("s{s}"))
    } else {
        None
    };
    if let Some(numbers) = numbers {
        out.extend(matched(&found.series_ids).map(|(p, v)| Identity {
            namespace: namespace(kind, p, true),
            value: format!("{v}|{numbers}").into_boxed_str(),
        }));
    }
    out
}

/// Items merged as they are added, one server's answer after another.
#[derive(Debug, Clone, Default)]
pub struct Merger {
    items: Vec<Merged>,
    /// Identity hash → row.
    by_identity: HashMap<u64, usize>,
    /// (server, item id) hash → row.
    by_source: HashMap<u64, usize>,
}

impl Merger {
    pub fn new() -> Merger {
        Merger::default()
    }

    /// Room for `n` more items.
    pub fn reserve(&mut self, n: usize) {
        self.items.reserve(n);
        self.by_identity.reserve(n * 2);
        self.by_source.reserve(n);
    }

    /// Adds one item: it joins the row it matches, or starts a row. Returns the row's index and
    /// whether the row is new.
    pub fn add(&mut self, mut found: Found) -> (usize, bool) {
        let prepared = found.take_prepared();
        self.add_prepared(found, prepared)
    }

    pub(crate) fn add_prepared(&mut self, found: Found, prepared: Prepared) -> (usize, bool) {
        let item_id = found.item.id.as_deref().unwrap_or("");
        let source_key =
            (!item_id.is_empty()).then(|| hash(&[found.server_id.as_bytes(), item_id.as_bytes()]));
        if let Some(i) = source_key.and_then(|k| self.by_source.get(&k).copied())
            && self.items[i]
                .sources
                .iter()
                .any(|s| s.server_id.eq_ignore_ascii_case(&found.server_id) && s.item_id == item_id)
        {
            return (i, false);
        }
        let ids = &prepared.identities;
        let joined = ids
            .iter()
            .filter_map(|id| {
                let i = *self.by_identity.get(&id.key())?;
                self.items[i].identities.contains(id).then_some(i)
            })
            .find(|i| !self.items[*i].contradicts(ids));
        let (index, new) = match joined {
            Some(i) => {
                self.join(i, found, prepared);
                (i, false)
            }
            None => {
                self.items.push(Merged::new(found, prepared));
                (self.items.len() - 1, true)
            }
        };
        // every identity of the item is now one of the row's (a joined row has an equal one)
        for id in &self.items[index].identities {
            self.by_identity.entry(id.key()).or_insert(index);
        }
        if let Some(k) = source_key {
            self.by_source.entry(k).or_insert(index);
        }
        (index, new)
    }

    fn join(&mut self, index: usize, found: Found, prepared: Prepared) {
        let row = &mut self.items[index];
        let played = prepared.last_played;
        row.date_added = row.date_added.max(prepared.date_added);
        for id in prepared.identities {
            if !row.identities.iter().any(|m| m.namespace == id.namespace) {
                row.identities.push(id);
            }
        }
        let item = *found.item;
        let mut source = Source {
            server_id: found.server_id,
            item_id: item.id.unwrap_or_default(),
            name: item.name.filter(|n| Some(n) != row.item.name.as_ref()),
            user_data: item.user_data,
            shown: false,
        };
        // the played and resume state shown is the one of the server it was last played on
        if played.is_some() && played > row.last_played {
            if let Some(was) = row.sources.iter_mut().find(|s| s.shown) {
                was.user_data = row.item.user_data.take();
                was.shown = false;
            }
            row.item.user_data = source.user_data.take();
            source.shown = true;
            row.last_played = played;
        }
        row.sources.push(source);
    }

    pub fn items(&self) -> &[Merged] {
        &self.items
    }

    pub fn items_mut(&mut self) -> &mut [Merged] {
        &mut self.items
    }

    pub fn into_items(self) -> Vec<Merged> {
        self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn film(server: &str, id: &str, name: &str, ids: &[(&str, &str)]) -> Found {
        Found::new(
            server,
            BaseItemDto {
                id: Some(id.into()),
                name: Some(name.into()),
                item_type: Some("Movie".into()),
                provider_ids: ids
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                ..Default::default()
            },
        )
    }

    fn played(mut f: Found, when: &str, position: i64) -> Found {
        f.item.user_data = Some(UserItemDataDto {
            last_played_date: Some(when.into()),
            playback_position_ticks: Some(position),
            ..Default::default()
        });
        f
    }

    fn episode(server: &str, id: &str, series: &[(&str, &str)], s: i32, e: i32) -> Found {
        let mut f = Found::new(
            server,
            BaseItemDto {
                id: Some(id.into()),
                name: Some(format!("Episode {id}")),
                item_type: Some("Episode".into()),
                parent_index_number: Some(s),
                index_number: Some(e),
                ..Default::default()
            },
        );
        f.series_ids = series
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        f
    }

    #[test]
    fn the_same_film_under_two_names_is_one_row_and_two_films_of_one_name_are_two() {
        let mut m = Merger::new();
        m.add(film("a", "1", "The Long Night", &[("Imdb", "tt1")]));
        m.add(film("b", "9", "Long Night, The", &[("IMDB", " TT1 ")]));
        m.add(film("c", "5", "The Long Night", &[("Imdb", "tt2")]));
        m.add(film("d", "7", "The Long Night", &[]));
        assert_eq!(m.len(), 3, "{:#?}", m.items());
        assert_eq!(m.items()[0].servers(), vec!["a", "b"]);
        assert_eq!(m.items()[1].servers(), vec!["c"]);
        assert_eq!(m.items()[2].servers(), vec!["d"]);
    }

    #[test]
    fn any_shared_provider_matches_unless_another_one_disagrees() {
        let mut m = Merger::new();
        m.add(film("a", "1", "X", &[("Imdb", "tt1"), ("Tmdb", "10")]));
        // shares Tmdb only
        m.add(film("b", "2", "X", &[("Tmdb", "10")]));
        // shares Imdb, but its Tmdb says it is another film
        m.add(film("c", "3", "X", &[("Imdb", "tt1"), ("Tmdb", "99")]));
        // a series with the film's Imdb id is not the film
        let mut series = film("d", "4", "X", &[("Imdb", "tt1")]);
        series.item.item_type = Some("Series".into());
        m.add(series);
        // providers that are not matched by (a local database id) match nothing
        m.add(film("e", "5", "X", &[("LocalDb", "1")]));
        m.add(film("f", "6", "X", &[("LocalDb", "1")]));
        let servers: Vec<Vec<&str>> = m.items().iter().map(Merged::servers).collect();
        assert_eq!(
            servers,
            vec![vec!["a", "b"], vec!["c"], vec!["d"], vec!["e"], vec!["f"]]
        );
    }

    #[test]
    fn episodes_match_by_series_id_season_and_number() {
        let mut m = Merger::new();
        m.add(episode("a", "e1", &[("Tvdb", "71")], 1, 2));
        m.add(episode("b", "x9", &[("Tvdb", "71"), ("Imdb", "tt5")], 1, 2));
        m.add(episode("c", "e3", &[("Tvdb", "71")], 1, 3));
        m.add(episode("d", "e4", &[("Tvdb", "72")], 1, 2));
        m.add(episode("e", "e5", &[], 1, 2));
        let servers: Vec<Vec<&str>> = m.items().iter().map(Merged::servers).collect();
        assert_eq!(
            servers,
            vec![vec!["a", "b"], vec!["c"], vec!["d"], vec!["e"]]
        );
    }

    #[test]
    fn played_state_comes_from_the_server_it_was_last_played_on() {
        let mut m = Merger::new();
        let ids = [("Imdb", "tt1")];
        m.add(played(
            film("a", "1", "X", &ids),
            "2024-03-01T20:00:00.0000000Z",
            111,
        ));
        m.add(played(
            film("b", "2", "X", &ids),
            "2024-03-05T20:00:00Z",
            222,
        ));
        m.add(played(
            film("c", "3", "X", &ids),
            "2024-02-01T20:00:00Z",
            333,
        ));
        m.add(film("d", "4", "X", &ids));
        let row = &m.items()[0];
        assert_eq!(row.sources.len(), 4);
        let ud = row.item.user_data.as_ref().unwrap();
        assert_eq!(ud.playback_position_ticks, Some(222), "b was played last");
        assert_eq!(row.last_played, epoch_seconds("2024-03-05T20:00:00Z"));
        // opening it on a server uses that server's id and state
        assert_eq!(
            row.user_data_of(0).unwrap().playback_position_ticks,
            Some(111)
        );
        let on_c = row.item_on(&row.sources[2]);
        assert_eq!(on_c.id.as_deref(), Some("3"));
        assert_eq!(on_c.user_data.unwrap().playback_position_ticks, Some(333));
    }

    #[test]
    fn an_item_seen_twice_from_one_server_is_added_once() {
        let mut m = Merger::new();
        assert_eq!(m.add(film("a", "1", "X", &[])), (0, true));
        assert_eq!(m.add(film("A", "1", "X", &[])), (0, false));
        assert_eq!(m.items()[0].sources.len(), 1);
    }
}
