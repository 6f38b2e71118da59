//! A list of any length read lazily from the server a page at a time (StartIndex/Limit): a sparse
//! cache of the pages around the cursor, so 100,000 items open and scroll like 100.

use std::collections::{HashMap, HashSet};

use crate::emby::models::BaseItemDto;

/// Items per request.
pub const PAGE_SIZE: usize = 100;
/// Pages kept in memory; the ones farthest from the cursor are dropped first.
pub const KEEP_PAGES: usize = 12;

/// The cursor, the scroll position and the pages fetched so far of one listing.
#[derive(Debug, Clone, Default)]
pub struct PagedList {
    /// The number of items, once the first answer told it.
    pub total: Option<usize>,
    pages: HashMap<usize, Vec<BaseItemDto>>,
    pending: HashSet<usize>,
    pub cursor: usize,
    /// The first visible row.
    pub top: usize,
    pub error: Option<String>,
}

impl PagedList {
    pub fn len(&self) -> usize {
        self.total.unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether nothing has come back yet.
    pub fn is_loading(&self) -> bool {
        self.total.is_none() && self.error.is_none()
    }

    /// The item at `index`, if its page is here.
    pub fn get(&self, index: usize) -> Option<&BaseItemDto> {
        self.pages
            .get(&(index / PAGE_SIZE))
            .and_then(|p| p.get(index % PAGE_SIZE))
    }

    pub fn get_mut(&mut self, index: usize) -> Option<&mut BaseItemDto> {
        self.pages
            .get_mut(&(index / PAGE_SIZE))
            .and_then(|p| p.get_mut(index % PAGE_SIZE))
    }

    /// The item under the cursor, if loaded.
    pub fn selected(&self) -> Option<&BaseItemDto> {
        self.get(self.cursor)
    }

    /// Every cached item (to update one after marking it played, say).
    pub fn cached_mut(&mut self) -> impl Iterator<Item = &mut BaseItemDto> {
        self.pages.values_mut().flatten()
    }

    pub fn cached_pages(&self) -> usize {
        self.pages.len()
    }

    /// Move the cursor to `index` (clamped) and scroll so it is visible in `height` rows.
    pub fn move_to(&mut self, index: usize, height: usize) {
        let len = self.len();
        self.cursor = if len == 0 { 0 } else { index.min(len - 1) };
        self.scroll_into_view(height);
    }

    /// Move by `delta` rows.
    pub fn move_by(&mut self, delta: isize, height: usize) {
        let target = if delta < 0 {
            self.cursor.saturating_sub(delta.unsigned_abs())
        } else {
            self.cursor.saturating_add(delta as usize)
        };
        self.move_to(target, height);
    }

    /// Keep the cursor inside the `height` visible rows (after a move or a resize).
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if self.cursor >= self.top + height {
            self.top = self.cursor + 1 - height;
        }
        let len = self.len();
        if len > 0 && self.top + height > len {
            self.top = len.saturating_sub(height);
        }
    }

    /// The pages the visible rows (and one screen either side) need that are neither here nor
    /// asked for; they are marked as asked for. Before the first answer: page 0.
    pub fn wanted(&mut self, height: usize) -> Vec<usize> {
        let want: Vec<usize> = match self.total {
            None if self.error.is_none() => vec![0],
            None => Vec::new(),
            Some(0) => Vec::new(),
            Some(len) => {
                let height = height.max(1);
                let from = self.top.saturating_sub(height);
                let to = (self.top + 2 * height).min(len - 1);
                let mut pages: Vec<usize> = (from / PAGE_SIZE..=to / PAGE_SIZE).collect();
                // the cursor's own page first
                pages.sort_by_key(|p| p.abs_diff(self.cursor / PAGE_SIZE));
                pages
            }
        };
        want.into_iter()
            .filter(|p| !self.pages.contains_key(p) && self.pending.insert(*p))
            .collect()
    }

    /// Store a page that came back; pages far from the cursor are dropped to bound memory.
    pub fn insert(&mut self, start: usize, total: usize, items: Vec<BaseItemDto>) {
        let page = start / PAGE_SIZE;
        self.pending.remove(&page);
        self.total = Some(total);
        self.error = None;
        self.pages.insert(page, items);
        let here = self.cursor / PAGE_SIZE;
        while self.pages.len() > KEEP_PAGES {
            let Some(far) = self.pages.keys().copied().max_by_key(|p| p.abs_diff(here)) else {
                break;
            };
            self.pages.remove(&far);
        }
        if self.cursor >= total {
            self.cursor = total.saturating_sub(1);
        }
    }

    /// A page request failed: it may be asked again.
    pub fn failed(&mut self, start: usize, error: String) {
        self.pending.remove(&(start / PAGE_SIZE));
        self.error = Some(error);
    }

    /// The pages held now, the cursor's first, marked as asked for again (to refresh what is
    /// shown without blanking it: each is replaced when its answer comes).
    pub fn held_pages_near_cursor(&mut self) -> Vec<usize> {
        let here = self.cursor / PAGE_SIZE;
        let mut pages: Vec<usize> = self.pages.keys().copied().collect();
        pages.sort_by_key(|p| p.abs_diff(here));
        pages.truncate(2);
        for p in &pages {
            self.pending.insert(*p);
        }
        pages
    }

    /// Forget every page (a reload).
    pub fn clear(&mut self) {
        self.pages.clear();
        self.pending.clear();
        self.total = None;
        self.error = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(start: usize, n: usize) -> Vec<BaseItemDto> {
        (start..start + n)
            .map(|i| BaseItemDto {
                name: Some(format!("item {i}")),
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn first_asks_page_zero_once() {
        let mut l = PagedList::default();
        assert_eq!(l.wanted(20), vec![0]);
        assert_eq!(l.wanted(20), Vec::<usize>::new());
        l.insert(0, 100_000, page(0, PAGE_SIZE));
        assert_eq!(l.get(5).unwrap().name.as_deref(), Some("item 5"));
        assert!(l.get(150).is_none());
    }

    #[test]
    fn end_fetches_only_the_last_pages() {
        let mut l = PagedList::default();
        l.wanted(20);
        l.insert(0, 100_000, page(0, PAGE_SIZE));
        l.move_to(usize::MAX, 20);
        assert_eq!(l.cursor, 99_999);
        assert_eq!(l.top, 99_980);
        assert_eq!(l.wanted(20), vec![999]);
        l.insert(99_900, 100_000, page(99_900, PAGE_SIZE));
        assert_eq!(l.selected().unwrap().name.as_deref(), Some("item 99999"));
    }

    #[test]
    fn the_cache_stays_small_while_scrolling_everything() {
        let mut l = PagedList::default();
        l.wanted(30);
        l.insert(0, 100_000, page(0, PAGE_SIZE));
        while l.cursor < 99_999 {
            l.move_by(30, 30);
            for p in l.wanted(30) {
                l.insert(p * PAGE_SIZE, 100_000, page(p * PAGE_SIZE, PAGE_SIZE));
            }
            assert!(l.cached_pages() <= KEEP_PAGES);
            assert!(l.selected().is_some());
        }
    }

    #[test]
    fn a_failed_page_can_be_asked_again() {
        let mut l = PagedList::default();
        assert_eq!(l.wanted(10), vec![0]);
        l.failed(0, "boom".into());
        assert!(!l.is_loading());
        l.error = None;
        assert_eq!(l.wanted(10), vec![0]);
    }
}
