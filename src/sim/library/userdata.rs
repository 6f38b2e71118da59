//! Per-user state of items: played, play count, resume position, favourite.
//!
//! Every item has a deterministic default (some movies watched, some half-watched, a few
//! favourites, the first episodes of some series seen, so "Continue watching" and "Next up"
//! have content); the played/favourite calls store overrides in a map.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::names::{iso_date, runtime_ticks};
use super::{ItemRef, Kind, Library};

/// 30 days after the library's history starts: when the default watching happened.
const WATCHED_BASE: i64 = 1_609_459_200 + 30 * 86_400;

/// Below this share of the runtime a stopped playback keeps no resume position.
pub const MIN_RESUME_PCT: f64 = 5.0;
/// Past this share of the runtime a stopped playback marks the item played.
pub const MAX_RESUME_PCT: f64 = 90.0;
/// Items shorter than this are played, never resumed.
pub const MIN_RESUME_DURATION_SECS: i64 = 300;

/// The state of one item for one user.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UserDataState {
    /// Watched to the end.
    pub played: bool,
    /// Times played.
    pub play_count: u32,
    /// Resume position in ticks (0 = none).
    pub position_ticks: i64,
    /// Marked as favourite.
    pub favorite: bool,
    /// When last played (seconds since the epoch).
    pub last_played: Option<i64>,
}

/// Overrides of the default user data, per (user id, item).
#[derive(Default)]
pub struct UserDataStore {
    overrides: HashMap<(String, ItemRef), UserDataState>,
}

fn default_state(lib: &Library, item: ItemRef) -> UserDataState {
    let mut st = UserDataState::default();
    match item {
        ItemRef::Movie(i) => {
            st.played = i % 5 == 1;
            if !st.played && i % 7 == 3 {
                st.position_ticks = runtime_ticks(lib, item).unwrap_or(0) * 3 / 10;
            }
            st.favorite = i % 11 == 0;
            if st.played || st.position_ticks > 0 {
                st.last_played = Some(WATCHED_BASE + i64::from(i) * 600);
            }
        }
        ItemRef::Episode(s, k, e) => {
            let seen = u16::try_from(s % 3).unwrap_or(0);
            st.played = k == 0 && e < seen;
            if k == 0 && e == seen && s % 2 == 0 {
                st.position_ticks = runtime_ticks(lib, item).unwrap_or(0) / 2;
            }
            if st.played || st.position_ticks > 0 {
                st.last_played = Some(WATCHED_BASE + i64::from(s) * 86_400 + i64::from(e) * 3600);
            }
        }
        ItemRef::Track(a, t) => st.favorite = (a + u32::from(t)) % 13 == 0,
        ItemRef::Series(s) => st.favorite = s % 4 == 1,
        ItemRef::Album(a) => st.favorite = a % 6 == 2,
        _ => {}
    }
    if st.played {
        st.play_count = 1;
    }
    st
}

impl UserDataStore {
    /// The stored state of `item` for `user` (folders: only the favourite flag is meaningful).
    pub fn get(&self, lib: &Library, user: &str, item: ItemRef) -> UserDataState {
        self.overrides
            .get(&(user.to_string(), item))
            .copied()
            .unwrap_or_else(|| default_state(lib, item))
    }

    fn put(&mut self, user: &str, item: ItemRef, st: UserDataState) {
        self.overrides.insert((user.to_string(), item), st);
    }

    /// Marks `item` (and, for a folder, everything playable below it) played or unplayed.
    pub fn set_played(
        &mut self,
        lib: &Library,
        user: &str,
        item: ItemRef,
        played: bool,
        when: i64,
    ) {
        let leaves = if item.is_playable() {
            vec![item]
        } else {
            lib.descendants(item, &|k| {
                matches!(k, Kind::Movie | Kind::Episode | Kind::Track)
            })
        };
        for leaf in leaves {
            let mut st = self.get(lib, user, leaf);
            if played {
                st.played = true;
                st.play_count = st.play_count.saturating_add(1);
                st.position_ticks = 0;
                st.last_played = Some(when);
            } else {
                st.played = false;
                st.play_count = 0;
                st.position_ticks = 0;
            }
            self.put(user, leaf, st);
        }
    }

    /// The server's rules when a client reports playback stopped at `position` (Emby's
    /// defaults: `MinResumePct` 5, `MaxResumePct` 90, `MinResumeDurationSeconds` 300). Before 5 %
    /// the resume position is cleared; past 90 % (or at the end, or with no position at all, or
    /// for an item shorter than five minutes) the item is played and the position cleared;
    /// in between the position is kept for resuming.
    pub fn playback_stopped(
        &mut self,
        lib: &Library,
        user: &str,
        item: ItemRef,
        position: Option<i64>,
        when: i64,
    ) {
        let mut st = self.get(lib, user, item);
        let runtime = runtime_ticks(lib, item).unwrap_or(0);
        let mut played = false;
        let mut keep = 0;
        match position {
            None => played = true,
            Some(pos) if runtime > 0 => {
                let pct = pos as f64 * 100.0 / runtime as f64;
                if pct < MIN_RESUME_PCT {
                    keep = 0;
                } else if pct > MAX_RESUME_PCT
                    || pos >= runtime
                    || runtime < MIN_RESUME_DURATION_SECS * 10_000_000
                {
                    played = true;
                } else {
                    keep = pos;
                }
            }
            Some(_) => {}
        }
        st.position_ticks = keep;
        st.last_played = Some(when);
        if played {
            st.played = true;
            st.play_count = st.play_count.saturating_add(1);
        }
        self.put(user, item, st);
    }

    /// A progress report: the resume position follows it (within the resume window), so
    /// Continue Watching moves while a client plays; played is decided only when it stops.
    pub fn playback_progress(
        &mut self,
        lib: &Library,
        user: &str,
        item: ItemRef,
        position: i64,
        when: i64,
    ) {
        let mut st = self.get(lib, user, item);
        let runtime = runtime_ticks(lib, item).unwrap_or(0);
        if runtime >= MIN_RESUME_DURATION_SECS * 10_000_000 {
            let pct = position as f64 * 100.0 / runtime as f64;
            if (MIN_RESUME_PCT..=MAX_RESUME_PCT).contains(&pct) {
                st.position_ticks = position;
            }
        }
        st.last_played = Some(when);
        self.put(user, item, st);
    }

    /// Marks `item` as favourite or not.
    pub fn set_favorite(&mut self, lib: &Library, user: &str, item: ItemRef, favorite: bool) {
        let mut st = self.get(lib, user, item);
        st.favorite = favorite;
        self.put(user, item, st);
    }

    /// Unplayed playable items below a folder (`None` for leaves).
    pub fn unplayed_count(&self, lib: &Library, user: &str, item: ItemRef) -> Option<u64> {
        if !matches!(
            item,
            ItemRef::Series(_) | ItemRef::Season(..) | ItemRef::Album(_)
        ) {
            return None;
        }
        let leaves = lib.descendants(item, &|k| matches!(k, Kind::Episode | Kind::Track));
        Some(
            leaves
                .into_iter()
                .filter(|l| !self.get(lib, user, *l).played)
                .count() as u64,
        )
    }

    /// Played: leaves by their flag, folders when nothing below is unplayed.
    pub fn is_played(&self, lib: &Library, user: &str, item: ItemRef) -> bool {
        match self.unplayed_count(lib, user, item) {
            Some(n) => n == 0,
            None => self.get(lib, user, item).played,
        }
    }

    /// The `UserItemDataDto` of `item` for `user`.
    pub fn to_json(&self, lib: &Library, user: &str, item: ItemRef) -> Value {
        let st = self.get(lib, user, item);
        let id = lib.id(item);
        let unplayed = self.unplayed_count(lib, user, item);
        let played = unplayed.map_or(st.played, |n| n == 0);
        let mut v = json!({
            "PlaybackPositionTicks": st.position_ticks,
            "PlayCount": st.play_count,
            "IsFavorite": st.favorite,
            "Played": played,
            "Key": id,
            "ItemId": id,
            "ServerId": lib.server_id,
        });
        if let Some(n) = unplayed {
            v["UnplayedItemCount"] = json!(n);
        }
        if st.position_ticks > 0
            && let Some(rt) = runtime_ticks(lib, item).filter(|rt| *rt > 0)
        {
            v["PlayedPercentage"] = json!((st.position_ticks as f64) * 100.0 / (rt as f64));
        }
        if let Some(t) = st.last_played {
            v["LastPlayedDate"] = json!(iso_date(t));
        }
        v
    }
}
