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
    pub item: BaseItemDto,
    /// For an episode or a season: its series' provider ids (empty when unknown).
    pub series_ids: ProviderIds,
}

impl Found {
    pub fn new(server_id: &str, item: BaseItemDto) -> Found {
        Found {
            server_id: server_id.to_string(),
            item,
            series_ids: ProviderIds::new(),
        }
    }
}

/// Where a merged row can be opened: a server and the item's id there.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub server_id: String,
    pub item_id: String,
    /// The item's name on that server (it may differ from server to server).
    pub name: Option<String>,
    /// The user's data for it on that server.
    pub user_data: Option<UserItemDataDto>,
}

/// One row: the same item on one or more servers.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The item as shown: from the first server it came from, with the played and resume state
    /// of the server it was last played on.
    pub item: BaseItemDto,
    /// Every server it is on (fastest first once ordered, see [`super::Ranks::order`]).
    pub sources: Vec<Source>,
    /// When it was last played on any server (seconds since the epoch).
    pub last_played: Option<i64>,
    /// When it was last added on any server (seconds since the epoch).
    pub date_added: Option<i64>,
    /// The identities it is known by.
    identities: Vec<(String, String)>,
}

impl Merged {
    fn new(found: Found, identities: Vec<(String, String)>) -> Merged {
        let last_played = last_played(&found.item);
        let date_added = found.item.date_created.as_deref().and_then(epoch_seconds);
        let source = source_of(&found);
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

    /// Whether an item known by `ids` contradicts this row: a provider both have, with
    /// different ids.
    fn contradicts(&self, ids: &[(String, String)]) -> bool {
        ids.iter().any(|(ns, v)| {
            self.identities
                .iter()
                .any(|(mine, value)| mine == ns && value != v)
        })
    }

    /// The item as it is on `source` (its id there, its user data there), for opening it.
    pub fn item_on(&self, source: &Source) -> BaseItemDto {
        let mut item = self.item.clone();
        item.id = Some(source.item_id.clone());
        item.server_id = Some(source.server_id.clone());
        item.user_data = source.user_data.clone();
        if let Some(n) = &source.name {
            item.name = Some(n.clone());
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

fn source_of(found: &Found) -> Source {
    Source {
        server_id: found.server_id.clone(),
        item_id: found.item.id.clone().unwrap_or_default(),
        name: found.item.name.clone(),
        user_data: found.item.user_data.clone(),
    }
}

/// The matched provider ids of a map, as (provider lower case, id trimmed lower case).
fn matched(ids: &ProviderIds) -> impl Iterator<Item = (String, String)> + '_ {
    ids.iter().filter_map(|(k, v)| {
        let k = k.trim().to_ascii_lowercase();
        let v = v.trim().to_ascii_lowercase();
        (MATCHED_PROVIDERS.contains(&k.as_str()) && !v.is_empty()).then_some((k, v))
    })
}

/// The identities of a found item (see the module docs); empty when it has none, so it matches
/// nothing.
pub fn identities(found: &Found) -> Vec<(String, String)> {
    let item = &found.item;
    let Some(kind) = item.item_type.as_deref().map(str::to_ascii_lowercase) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = matched(&item.provider_ids)
        .map(|(k, v)| (format!("{kind}:{k}"), v))
        .collect();
    let numbers = match kind.as_str() {
        "episode" => item
            .parent_index_number
            .zip(item.index_number)
            .map(|(s, e)| format!("s{s}e{e}")),
        "season" => item.index_number.map(|s| format!("s{s}")),
        _ => None,
    };
    if let Some(numbers) = numbers {
        out.extend(
            matched(&found.series_ids)
                .map(|(k, v)| (format!("{kind}:series-{k}"), format!("{v}|{numbers}"))),
        );
    }
    out
}

/// Items merged as they are added, one server's answer after another.
#[derive(Debug, Clone, Default)]
pub struct Merger {
    items: Vec<Merged>,
    by_identity: HashMap<(String, String), usize>,
    by_source: HashMap<(String, String), usize>,
}

impl Merger {
    pub fn new() -> Merger {
        Merger::default()
    }

    /// Adds one item: it joins the row it matches, or starts a row. Returns the row's index and
    /// whether the row is new.
    pub fn add(&mut self, found: Found) -> (usize, bool) {
        let source_key = (
            found.server_id.to_ascii_lowercase(),
            found.item.id.clone().unwrap_or_default(),
        );
        if !source_key.1.is_empty()
            && let Some(i) = self.by_source.get(&source_key)
        {
            return (*i, false);
        }
        let ids = identities(&found);
        let joined = ids
            .iter()
            .filter_map(|id| self.by_identity.get(id).copied())
            .find(|i| !self.items[*i].contradicts(&ids));
        let (index, new) = match joined {
            Some(i) => {
                self.join(i, &found, &ids);
                (i, false)
            }
            None => {
                self.items.push(Merged::new(found, ids.clone()));
                (self.items.len() - 1, true)
            }
        };
        for id in ids {
            self.by_identity.entry(id).or_insert(index);
        }
        if !source_key.1.is_empty() {
            self.by_source.insert(source_key, index);
        }
        (index, new)
    }

    fn join(&mut self, index: usize, found: &Found, ids: &[(String, String)]) {
        let row = &mut self.items[index];
        let played = last_played(&found.item);
        // the played and resume state shown is the one of the server it was last played on
        if played.is_some() && played > row.last_played {
            row.item.user_data = found.item.user_data.clone();
            row.last_played = played;
        }
        let added = found.item.date_created.as_deref().and_then(epoch_seconds);
        row.date_added = row.date_added.max(added);
        for id in ids {
            if !row.identities.iter().any(|(ns, _)| *ns == id.0) {
                row.identities.push(id.clone());
            }
        }
        row.sources.push(source_of(found));
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
