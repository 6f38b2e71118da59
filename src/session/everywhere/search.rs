//! Search everywhere: each server's answer (one call per kind) merged into one list grouped by
//! kind, the same item on several servers one row, ranked by how well its name matches.
//!
//! Answers come one server at a time; [`SearchMerge::add`] merges one in and keeps every group
//! sorted without sorting the whole list again (new rows are sorted alone and merged in), so a
//! large answer arriving does not cost more than its own size.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::merge::{Found, Merged, Merger};
use super::rank::Ranks;

/// The groups of results, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SearchGroup {
    Films,
    Shows,
    Episodes,
    Music,
    People,
}

impl SearchGroup {
    pub const ALL: [SearchGroup; 5] = [
        SearchGroup::Films,
        SearchGroup::Shows,
        SearchGroup::Episodes,
        SearchGroup::Music,
        SearchGroup::People,
    ];

    pub fn title(self) -> &'static str {
        match self {
            SearchGroup::Films => "Films",
            SearchGroup::Shows => "Shows",
            SearchGroup::Episodes => "Episodes",
            SearchGroup::Music => "Music",
            SearchGroup::People => "People",
        }
    }

    /// The `IncludeItemTypes` asked for this group, one Items call each (people come from
    /// `/Persons` instead: none).
    pub fn item_types(self) -> &'static [&'static str] {
        match self {
            SearchGroup::Films => &["Movie"],
            SearchGroup::Shows => &["Series"],
            SearchGroup::Episodes => &["Episode"],
            SearchGroup::Music => &["MusicAlbum", "Audio"],
            SearchGroup::People => &[],
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One server's answer to a search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerSearch {
    pub server_id: String,
    pub term: String,
    pub groups: Vec<(SearchGroup, Vec<Found>)>,
}

/// How well a name matches a search term, lower is better: 0 the name is the term, 1 it starts
/// with it, 2 a word of it does, 3 it contains it, 4 it has every word of it, 5 none of these
/// (the server matched something else).
pub fn match_score(name: &str, term: &str) -> u8 {
    score_lower(&name.trim().to_lowercase(), &term.trim().to_lowercase())
}

/// [`match_score`] of a name and a term already trimmed and in lower case.
fn score_lower(name: &str, term: &str) -> u8 {
    if term.is_empty() {
        return 5;
    }
    if name == term {
        0
    } else if name.starts_with(term) {
        1
    } else if name.match_indices(term).any(|(i, _)| {
        !name[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    }) {
        2
    } else if name.contains(term) {
        3
    } else if term.split_whitespace().all(|w| name.contains(w)) {
        4
    } else {
        5
    }
}

/// The sort key of a row: score, name, year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    score: u8,
    name: String,
    year: i32,
}

#[derive(Debug, Clone, Default)]
struct Group {
    merger: Merger,
    keys: Vec<Key>,
    /// Row indices, best first.
    order: Vec<usize>,
}

impl Group {
    fn cmp(&self, a: usize, b: usize) -> Ordering {
        self.keys[a].cmp(&self.keys[b]).then(a.cmp(&b))
    }

    /// Merges one server's items of this group in (`term` trimmed, lower case); the rows they
    /// join get their servers ordered fastest first.
    fn add(&mut self, found: Vec<Found>, term: &str, ranks: &Ranks) {
        let mut new = Vec::new();
        let mut moved = false;
        self.merger.reserve(found.len());
        self.keys.reserve(found.len());
        for mut f in found {
            let mut prepared = f.take_prepared();
            let name = std::mem::take(&mut prepared.name_lower);
            let score = score_lower(&name, term);
            let year = f.item.production_year.unwrap_or(0);
            let (i, is_new) = self.merger.add_prepared(f, prepared);
            if is_new {
                self.keys.push(Key { score, name, year });
                new.push(i);
            } else {
                ranks.order(&mut self.merger.items_mut()[i].sources);
                if score < self.keys[i].score {
                    // another server's name for it matches better
                    self.keys[i].score = score;
                    moved = true;
                }
            }
        }
        if moved {
            self.order.extend(new);
            let mut order = std::mem::take(&mut self.order);
            order.sort_by(|a, b| self.cmp(*a, *b));
            self.order = order;
            return;
        }
        new.sort_by(|a, b| self.cmp(*a, *b));
        let old = std::mem::take(&mut self.order);
        let mut merged = Vec::with_capacity(old.len() + new.len());
        let (mut i, mut j) = (0, 0);
        while i < old.len() && j < new.len() {
            if self.cmp(old[i], new[j]) != Ordering::Greater {
                merged.push(old[i]);
                i += 1;
            } else {
                merged.push(new[j]);
                j += 1;
            }
        }
        merged.extend_from_slice(&old[i..]);
        merged.extend_from_slice(&new[j..]);
        self.order = merged;
    }
}

/// The answers to one search, merged as they arrive.
#[derive(Debug, Clone, Default)]
pub struct SearchMerge {
    term: String,
    groups: [Group; 5],
}

impl SearchMerge {
    pub fn new(term: &str) -> SearchMerge {
        SearchMerge {
            term: term.trim().to_lowercase(),
            ..Default::default()
        }
    }

    pub fn term(&self) -> &str {
        &self.term
    }

    /// Merges one server's answer in; the rows it joins get their servers ordered fastest first
    /// (see [`SearchMerge::order_sources`] for when the servers' ranks change).
    pub fn add(&mut self, answer: ServerSearch, ranks: &Ranks) {
        for (group, found) in answer.groups {
            self.groups[group.index()].add(found, &self.term, ranks);
        }
    }

    /// The rows of a group, best match first.
    pub fn rows(&self, group: SearchGroup) -> impl Iterator<Item = &Merged> + '_ {
        let g = &self.groups[group.index()];
        g.order.iter().map(|i| &g.merger.items()[*i])
    }

    /// The row at `rank` (0 = best) of a group.
    pub fn row(&self, group: SearchGroup, rank: usize) -> Option<&Merged> {
        let g = &self.groups[group.index()];
        g.order.get(rank).map(|i| &g.merger.items()[*i])
    }

    /// How many rows a group has.
    pub fn count(&self, group: SearchGroup) -> usize {
        self.groups[group.index()].order.len()
    }

    /// How many rows in all.
    pub fn len(&self) -> usize {
        self.groups.iter().map(|g| g.order.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Orders every row's servers fastest first.
    pub fn order_sources(&mut self, ranks: &Ranks) {
        for g in &mut self.groups {
            for row in g.merger.items_mut() {
                ranks.order(&mut row.sources);
            }
        }
    }

    /// Every group that has rows, with its rows, best first.
    pub fn into_groups(self) -> Vec<(SearchGroup, Vec<Merged>)> {
        let mut out = Vec::new();
        for (group, g) in SearchGroup::ALL.into_iter().zip(self.groups) {
            if g.order.is_empty() {
                continue;
            }
            let mut items: Vec<Option<Merged>> =
                g.merger.into_items().into_iter().map(Some).collect();
            let rows = g.order.iter().filter_map(|i| items[*i].take()).collect();
            out.push((group, rows));
        }
        out
    }
}

/// Several servers' answers as one list (the command line's use): the fastest server's answer
/// first, so its names are the ones shown.
pub fn merge_searches(
    term: &str,
    mut answers: Vec<ServerSearch>,
    ranks: &Ranks,
) -> Vec<(SearchGroup, Vec<Merged>)> {
    answers.sort_by(|a, b| {
        ranks
            .rank(&a.server_id)
            .cmp(&ranks.rank(&b.server_id))
            .then_with(|| a.server_id.cmp(&b.server_id))
    });
    let mut merge = SearchMerge::new(term);
    for a in answers {
        merge.add(a, ranks);
    }
    merge.into_groups()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emby::models::BaseItemDto;
    use crate::session::everywhere::rank::tests::report;

    fn found(server: &str, id: &str, name: &str, imdb: Option<&str>) -> Found {
        Found::new(
            server,
            BaseItemDto {
                id: Some(id.into()),
                name: Some(name.into()),
                item_type: Some("Movie".into()),
                provider_ids: imdb
                    .map(|i| [("Imdb".to_string(), i.to_string())].into())
                    .unwrap_or_default(),
                ..Default::default()
            },
        )
    }

    fn answer(server: &str, films: Vec<Found>) -> ServerSearch {
        ServerSearch {
            server_id: server.into(),
            term: "night".into(),
            groups: vec![(SearchGroup::Films, films)],
        }
    }

    fn names(m: &SearchMerge) -> Vec<String> {
        m.rows(SearchGroup::Films)
            .map(|r| {
                let on: Vec<&str> = r.sources.iter().map(|s| s.server_id.as_str()).collect();
                format!("{}@{}", r.item.name.as_deref().unwrap_or(""), on.join("+"))
            })
            .collect()
    }

    #[test]
    fn names_are_ranked_by_how_well_they_match() {
        assert_eq!(match_score("Night", "night"), 0);
        assert_eq!(match_score("Night Owl", "night"), 1);
        assert_eq!(match_score("The Long Night", "night"), 2);
        assert_eq!(match_score("Midnight Ferry", "night"), 3);
        assert_eq!(match_score("Night of the long knives", "long night"), 4);
        assert_eq!(match_score("Day", "night"), 5);
    }

    #[test]
    fn answers_merge_as_they_come_and_stay_ranked() {
        let mut m = SearchMerge::new("night");
        m.add(
            answer(
                "a",
                vec![
                    found("a", "1", "Midnight Ferry", Some("tt1")),
                    found("a", "2", "The Long Night", Some("tt2")),
                ],
            ),
            &Ranks::default(),
        );
        assert_eq!(names(&m), ["The Long Night@a", "Midnight Ferry@a"]);
        m.add(
            answer(
                "b",
                vec![
                    found("b", "7", "Night Owl", None),
                    found("b", "8", "Long Night (Extended)", Some("tt2")),
                    found("b", "9", "Midnight Ferry", Some("tt3")),
                ],
            ),
            &Ranks::default(),
        );
        assert_eq!(
            names(&m),
            [
                "Night Owl@b",
                "The Long Night@a+b",
                "Midnight Ferry@a",
                "Midnight Ferry@b"
            ]
        );
        // a better-matching name on another server moves its row up
        m.add(
            answer("c", vec![found("c", "3", "Night", Some("tt1"))]),
            &Ranks::default(),
        );
        assert_eq!(names(&m)[0], "Midnight Ferry@a+c");
        assert_eq!(m.len(), 4);
    }

    #[test]
    fn the_command_line_merge_puts_the_fastest_server_first() {
        let ranks = Ranks::from_reports(&[
            report("far", "signed_in", Some("remote"), 50),
            report("near", "signed_in", Some("local"), 1),
        ]);
        let groups = merge_searches(
            "night",
            vec![
                answer("far", vec![found("far", "f", "Night, The", Some("tt9"))]),
                answer("near", vec![found("near", "n", "The Night", Some("tt9"))]),
            ],
            &ranks,
        );
        assert_eq!(groups.len(), 1);
        let row = &groups[0].1[0];
        assert_eq!(row.item.name.as_deref(), Some("The Night"));
        let on: Vec<&str> = row.sources.iter().map(|s| s.server_id.as_str()).collect();
        assert_eq!(on, ["near", "far"]);
    }
}
