//! The deterministic synthetic library of one server.
//!
//! Nothing is stored per item: an item is an [`ItemRef`] (kind + indices) and its id encodes
//! that ref (masked with the server id), so any id decodes back in O(1) and names, dates and
//! runtimes are computed from the indices on demand. A 100,000-item library costs no memory.

pub mod dto;
pub mod names;
pub mod providers;
pub mod query;
pub mod userdata;

use std::collections::HashMap;
use std::sync::Arc;

use super::ids;
use super::scenario::{LibraryConfig, TitleConfig};

/// A top-level library ("view").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ViewKind {
    /// CollectionType "movies".
    Movies,
    /// CollectionType "tvshows".
    Shows,
    /// CollectionType "music".
    Music,
}

/// One item of the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemRef {
    /// The user's root folder.
    Root,
    /// A top-level library.
    View(ViewKind),
    /// Movie `i`.
    Movie(u32),
    /// Series `s`.
    Series(u32),
    /// Season `k` of series `s`.
    Season(u32, u16),
    /// Episode `e` of season `k` of series `s`.
    Episode(u32, u16, u16),
    /// Music album `a`.
    Album(u32),
    /// Track `t` of album `a`.
    Track(u32, u16),
    /// Person `p` (cast and crew, found through `/Persons`).
    Person(u32),
}

/// The kind of an item, as the `Type` field names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// "UserRootFolder"
    Root,
    /// "CollectionFolder"
    View,
    /// "Movie"
    Movie,
    /// "Series"
    Series,
    /// "Season"
    Season,
    /// "Episode"
    Episode,
    /// "MusicAlbum"
    Album,
    /// "Audio"
    Track,
    /// "Person"
    Person,
}

impl Kind {
    /// The Emby `Type` string.
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Root => "UserRootFolder",
            Kind::View => "CollectionFolder",
            Kind::Movie => "Movie",
            Kind::Series => "Series",
            Kind::Season => "Season",
            Kind::Episode => "Episode",
            Kind::Album => "MusicAlbum",
            Kind::Track => "Audio",
            Kind::Person => "Person",
        }
    }

    /// Parses a `Type` name (any case).
    pub fn from_type_name(s: &str) -> Option<Kind> {
        let all = [
            Kind::Root,
            Kind::View,
            Kind::Movie,
            Kind::Series,
            Kind::Season,
            Kind::Episode,
            Kind::Album,
            Kind::Track,
            Kind::Person,
        ];
        all.into_iter()
            .find(|k| k.type_name().eq_ignore_ascii_case(s.trim()))
    }

    fn code(self) -> u8 {
        match self {
            Kind::Root => 1,
            Kind::View => 2,
            Kind::Movie => 3,
            Kind::Series => 4,
            Kind::Season => 5,
            Kind::Episode => 6,
            Kind::Album => 7,
            Kind::Track => 8,
            Kind::Person => 9,
        }
    }

    fn from_code(c: u8) -> Option<Kind> {
        [
            Kind::Root,
            Kind::View,
            Kind::Movie,
            Kind::Series,
            Kind::Season,
            Kind::Episode,
            Kind::Album,
            Kind::Track,
            Kind::Person,
        ]
        .into_iter()
        .find(|k| k.code() == c)
    }

    /// Folders have children.
    pub fn is_folder(self) -> bool {
        matches!(
            self,
            Kind::Root | Kind::View | Kind::Series | Kind::Season | Kind::Album
        )
    }
}

impl ItemRef {
    /// The kind of this item.
    pub fn kind(self) -> Kind {
        match self {
            ItemRef::Root => Kind::Root,
            ItemRef::View(_) => Kind::View,
            ItemRef::Movie(_) => Kind::Movie,
            ItemRef::Series(_) => Kind::Series,
            ItemRef::Season(..) => Kind::Season,
            ItemRef::Episode(..) => Kind::Episode,
            ItemRef::Album(_) => Kind::Album,
            ItemRef::Track(..) => Kind::Track,
            ItemRef::Person(_) => Kind::Person,
        }
    }

    fn indices(self) -> (u32, u16, u16) {
        match self {
            ItemRef::Root => (0, 0, 0),
            ItemRef::View(v) => (v as u32, 0, 0),
            ItemRef::Movie(i) | ItemRef::Series(i) | ItemRef::Album(i) | ItemRef::Person(i) => {
                (i, 0, 0)
            }
            ItemRef::Season(s, k) => (s, k, 0),
            ItemRef::Episode(s, k, e) => (s, k, e),
            ItemRef::Track(a, t) => (a, t, 0),
        }
    }

    /// Playable items (have a media source and a stream URL).
    pub fn is_playable(self) -> bool {
        matches!(
            self,
            ItemRef::Movie(_) | ItemRef::Episode(..) | ItemRef::Track(..)
        )
    }
}

/// The library of one server: its sizes, the titles the scenario gives, and the keys that make
/// its ids.
#[derive(Clone, Debug)]
pub struct Library {
    /// The owning server's id (also `ServerId` of every item).
    pub server_id: String,
    /// Sizes.
    pub cfg: LibraryConfig,
    /// Movies and series with a given name, year or provider ids (scenario `titles`).
    titles: Arc<HashMap<ItemRef, TitleConfig>>,
    prefixes: [[u8; 7]; 10],
    mask: [u8; 9],
}

impl Library {
    /// The library of server `server_id` with sizes `cfg`, every title made up.
    pub fn new(server_id: &str, cfg: LibraryConfig) -> Library {
        Library::with_titles(server_id, cfg, &[])
    }

    /// The library of server `server_id` with sizes `cfg` and the given titles (checked by the
    /// scenario: each names one existing movie or series).
    pub fn with_titles(server_id: &str, cfg: LibraryConfig, titles: &[TitleConfig]) -> Library {
        let titles = titles
            .iter()
            .filter_map(|t| {
                let item = match (t.movie, t.series) {
                    (Some(i), _) => ItemRef::Movie(i),
                    (None, Some(i)) => ItemRef::Series(i),
                    _ => return None,
                };
                Some((item, t.clone()))
            })
            .collect();
        let mut prefixes = [[0u8; 7]; 10];
        for (code, p) in prefixes.iter_mut().enumerate() {
            let h = ids::hash128(&[server_id, "item-kind", &code.to_string()]);
            p.copy_from_slice(&h[..7]);
        }
        let m = ids::hash128(&[server_id, "item-mask"]);
        let mut mask = [0u8; 9];
        mask.copy_from_slice(&m[..9]);
        Library {
            server_id: server_id.to_string(),
            cfg,
            titles: Arc::new(titles),
            prefixes,
            mask,
        }
    }

    /// The scenario's title of `item`, if it gives one.
    pub fn title(&self, item: ItemRef) -> Option<&TitleConfig> {
        self.titles.get(&item)
    }

    /// Whether some title of `kind` has a given name (then name order is not index order).
    pub fn renames(&self, kind: Kind) -> bool {
        self.titles
            .iter()
            .any(|(item, t)| item.kind() == kind && t.name.is_some())
    }

    /// How many people (cast and crew) the library knows: a fixed pool when it has films or
    /// series, none otherwise.
    pub fn people(&self) -> u32 {
        if self.cfg.movies > 0 || self.cfg.series > 0 {
            names::PEOPLE.len() as u32
        } else {
            0
        }
    }

    /// The stable 32-hex id of `item`.
    pub fn id(&self, item: ItemRef) -> String {
        let code = item.kind().code();
        let (a, b, c) = item.indices();
        let mut bytes = [0u8; 16];
        bytes[..7].copy_from_slice(&self.prefixes[usize::from(code)]);
        let mut payload = [0u8; 9];
        payload[0] = code;
        payload[1..5].copy_from_slice(&a.to_be_bytes());
        payload[5..7].copy_from_slice(&b.to_be_bytes());
        payload[7..9].copy_from_slice(&c.to_be_bytes());
        for (i, p) in payload.iter().enumerate() {
            bytes[7 + i] = p ^ self.mask[i];
        }
        ids::hex(&bytes)
    }

    /// The item whose id is `id` (any case), if it exists in this library.
    pub fn resolve(&self, id: &str) -> Option<ItemRef> {
        let bytes = ids::parse_hex16(id)?;
        let mut payload = [0u8; 9];
        for (i, p) in payload.iter_mut().enumerate() {
            *p = bytes[7 + i] ^ self.mask[i];
        }
        let kind = Kind::from_code(payload[0])?;
        if bytes[..7] != self.prefixes[usize::from(payload[0])] {
            return None;
        }
        let a = u32::from_be_bytes([payload[1], payload[2], payload[3], payload[4]]);
        let b = u16::from_be_bytes([payload[5], payload[6]]);
        let c = u16::from_be_bytes([payload[7], payload[8]]);
        let item = match kind {
            Kind::Root => ItemRef::Root,
            Kind::View => ItemRef::View(match a {
                0 => ViewKind::Movies,
                1 => ViewKind::Shows,
                2 => ViewKind::Music,
                _ => return None,
            }),
            Kind::Movie => ItemRef::Movie(a),
            Kind::Series => ItemRef::Series(a),
            Kind::Season => ItemRef::Season(a, b),
            Kind::Episode => ItemRef::Episode(a, b, c),
            Kind::Album => ItemRef::Album(a),
            Kind::Track => ItemRef::Track(a, b),
            Kind::Person => ItemRef::Person(a),
        };
        // the canonical encoding must round-trip (rejects stray bits in unused fields)
        (self.exists(item) && self.id(item).eq_ignore_ascii_case(id)).then_some(item)
    }

    /// Whether `item` is inside this library's sizes.
    pub fn exists(&self, item: ItemRef) -> bool {
        let c = &self.cfg;
        match item {
            ItemRef::Root => true,
            ItemRef::View(v) => self.views().contains(&v),
            ItemRef::Movie(i) => i < c.movies,
            ItemRef::Series(s) => s < c.series,
            ItemRef::Season(s, k) => s < c.series && k < c.seasons,
            ItemRef::Episode(s, k, e) => s < c.series && k < c.seasons && e < c.episodes,
            ItemRef::Album(a) => a < c.albums,
            ItemRef::Track(a, t) => a < c.albums && t < c.tracks,
            ItemRef::Person(p) => p < self.people(),
        }
    }

    /// The views this library has (only kinds with content).
    pub fn views(&self) -> Vec<ViewKind> {
        let c = &self.cfg;
        let mut v = Vec::new();
        if c.movies > 0 {
            v.push(ViewKind::Movies);
        }
        if c.series > 0 {
            v.push(ViewKind::Shows);
        }
        if c.albums > 0 {
            v.push(ViewKind::Music);
        }
        v
    }

    /// The parent of `item` (`None` for the root and for people, who are in no folder).
    pub fn parent(&self, item: ItemRef) -> Option<ItemRef> {
        match item {
            ItemRef::Root | ItemRef::Person(_) => None,
            ItemRef::View(_) => Some(ItemRef::Root),
            ItemRef::Movie(_) => Some(ItemRef::View(ViewKind::Movies)),
            ItemRef::Series(_) => Some(ItemRef::View(ViewKind::Shows)),
            ItemRef::Season(s, _) => Some(ItemRef::Series(s)),
            ItemRef::Episode(s, k, _) => Some(ItemRef::Season(s, k)),
            ItemRef::Album(_) => Some(ItemRef::View(ViewKind::Music)),
            ItemRef::Track(a, _) => Some(ItemRef::Album(a)),
        }
    }

    /// Direct children, in natural (= sort name) order.
    pub fn children(&self, item: ItemRef) -> Vec<ItemRef> {
        let c = self.cfg;
        match item {
            ItemRef::Root => self.views().into_iter().map(ItemRef::View).collect(),
            ItemRef::View(ViewKind::Movies) => (0..c.movies).map(ItemRef::Movie).collect(),
            ItemRef::View(ViewKind::Shows) => (0..c.series).map(ItemRef::Series).collect(),
            ItemRef::View(ViewKind::Music) => (0..c.albums).map(ItemRef::Album).collect(),
            ItemRef::Series(s) => (0..c.seasons).map(|k| ItemRef::Season(s, k)).collect(),
            ItemRef::Season(s, k) => (0..c.episodes).map(|e| ItemRef::Episode(s, k, e)).collect(),
            ItemRef::Album(a) => (0..c.tracks).map(|t| ItemRef::Track(a, t)).collect(),
            _ => Vec::new(),
        }
    }

    /// Number of direct children.
    pub fn child_count(&self, item: ItemRef) -> u64 {
        let c = self.cfg;
        match item {
            ItemRef::Root => self.views().len() as u64,
            ItemRef::View(ViewKind::Movies) => u64::from(c.movies),
            ItemRef::View(ViewKind::Shows) => u64::from(c.series),
            ItemRef::View(ViewKind::Music) => u64::from(c.albums),
            ItemRef::Series(_) => u64::from(c.seasons),
            ItemRef::Season(..) => u64::from(c.episodes),
            ItemRef::Album(_) => u64::from(c.tracks),
            _ => 0,
        }
    }

    /// Every descendant of `item` whose kind passes `want`, parents before children.
    pub fn descendants(&self, item: ItemRef, want: &dyn Fn(Kind) -> bool) -> Vec<ItemRef> {
        let c = self.cfg;
        let mut out = Vec::new();
        match item {
            ItemRef::Root => {
                for v in self.views() {
                    if want(Kind::View) {
                        out.push(ItemRef::View(v));
                    }
                    out.extend(self.descendants(ItemRef::View(v), want));
                }
            }
            ItemRef::View(ViewKind::Movies) if want(Kind::Movie) => {
                out.extend((0..c.movies).map(ItemRef::Movie));
            }
            ItemRef::View(ViewKind::Shows) => {
                if want(Kind::Series) {
                    out.extend((0..c.series).map(ItemRef::Series));
                }
                for s in 0..c.series {
                    if want(Kind::Season) || want(Kind::Episode) {
                        out.extend(self.descendants(ItemRef::Series(s), want));
                    }
                }
            }
            ItemRef::View(ViewKind::Music) => {
                if want(Kind::Album) {
                    out.extend((0..c.albums).map(ItemRef::Album));
                }
                if want(Kind::Track) {
                    for a in 0..c.albums {
                        out.extend((0..c.tracks).map(|t| ItemRef::Track(a, t)));
                    }
                }
            }
            ItemRef::Series(s) => {
                for k in 0..c.seasons {
                    if want(Kind::Season) {
                        out.push(ItemRef::Season(s, k));
                    }
                    if want(Kind::Episode) {
                        out.extend((0..c.episodes).map(|e| ItemRef::Episode(s, k, e)));
                    }
                }
            }
            ItemRef::Season(s, k) if want(Kind::Episode) => {
                out.extend((0..c.episodes).map(|e| ItemRef::Episode(s, k, e)));
            }
            ItemRef::Album(a) if want(Kind::Track) => {
                out.extend((0..c.tracks).map(|t| ItemRef::Track(a, t)));
            }
            _ => {}
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lib() -> Library {
        Library::new("0123456789abcdef0123456789abcdef", LibraryConfig::default())
    }

    #[test]
    fn ids_round_trip_for_every_kind() {
        let l = lib();
        let items = [
            ItemRef::Root,
            ItemRef::View(ViewKind::Music),
            ItemRef::Movie(3),
            ItemRef::Series(1),
            ItemRef::Season(1, 1),
            ItemRef::Episode(3, 1, 5),
            ItemRef::Album(2),
            ItemRef::Track(2, 7),
            ItemRef::Person(4),
        ];
        for item in items {
            let id = l.id(item);
            assert_eq!(id.len(), 32);
            assert_eq!(id, id.to_ascii_lowercase());
            assert_eq!(l.resolve(&id), Some(item), "{item:?}");
            assert_eq!(l.resolve(&id.to_ascii_uppercase()), Some(item));
        }
    }

    #[test]
    fn ids_are_stable_and_server_specific() {
        let a = lib();
        let b = Library::new("ffffffffffffffffffffffffffffffff", LibraryConfig::default());
        assert_eq!(a.id(ItemRef::Movie(1)), lib().id(ItemRef::Movie(1)));
        assert_ne!(a.id(ItemRef::Movie(1)), b.id(ItemRef::Movie(1)));
        assert_eq!(b.resolve(&a.id(ItemRef::Movie(1))), None);
    }

    #[test]
    fn out_of_range_and_garbage_ids_do_not_resolve() {
        let l = lib();
        let big = Library::new(
            &l.server_id,
            LibraryConfig {
                movies: 1000,
                ..LibraryConfig::default()
            },
        );
        assert_eq!(l.resolve(&big.id(ItemRef::Movie(999))), None);
        assert_eq!(l.resolve("not-an-id"), None);
        assert_eq!(l.resolve("00000000000000000000000000000000"), None);
    }
}
