//! What the screen showed when the UI last closed, so the next start opens on it at once: the
//! open session tabs, each with its screens (home rows, the page of a list around its cursor, an
//! item's details), shown as *cached* until their server answers again.
//!
//! The cache holds nothing secret (server Ids and names, item Ids, names and user data the
//! credentials file does not even need); it is versioned, and a missing, corrupt or old-version
//! cache is simply not used. Reading and writing the file is the caller's (`tui.rs`).

use serde::{Deserialize, Serialize};

use super::browse::{DetailsView, HomeRow, HomeView, ListView, Screen, SessionView, View};
use super::paging::{PAGE_SIZE, PagedList};
use super::{Pane, State};
use crate::emby::models::BaseItemDto;

/// Version of the layout; a cache of another version is ignored.
pub const SCHEMA: u32 = 1;
/// The file name inside the cache dir.
pub const FILE_NAME: &str = "ui.json";

/// The cached screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UiCache {
    pub schema: u32,
    /// The session tab that was in front, if one was.
    pub active: Option<usize>,
    pub sessions: Vec<CachedSession>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedSession {
    pub server_id: String,
    pub name: String,
    pub last_search: String,
    pub screens: Vec<CachedScreen>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedScreen {
    pub title: String,
    pub view: CachedView,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CachedView {
    Home {
        rows: Vec<CachedRow>,
        cursor: usize,
        top: usize,
    },
    List {
        parent_id: Option<String>,
        search: Option<String>,
        total: usize,
        cursor: usize,
        top: usize,
        /// The page around the cursor: its first index and its items.
        page_start: usize,
        page: Vec<BaseItemDto>,
    },
    Details {
        item_id: String,
        item: Option<Box<BaseItemDto>>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CachedRow {
    Header(String),
    Item(Box<BaseItemDto>),
    Note(String),
}

impl UiCache {
    /// What to keep of the state.
    pub fn of(state: &State) -> UiCache {
        UiCache {
            schema: SCHEMA,
            active: (state.pane == Pane::Session && !state.sessions.is_empty())
                .then_some(state.active),
            sessions: state.sessions.iter().map(cached_session).collect(),
        }
    }

    /// Decodes a cache file; None when it is not one of this version.
    pub fn decode(bytes: &[u8]) -> Option<UiCache> {
        match serde_json::from_slice::<UiCache>(bytes) {
            Ok(c) if c.schema == SCHEMA => Some(c),
            Ok(c) => {
                tracing::info!(
                    schema = c.schema,
                    "the screen cache is of another version; not used"
                );
                None
            }
            Err(e) => {
                tracing::info!(error = %e, "the screen cache is unreadable; not used");
                None
            }
        }
    }

    /// Opens the cached sessions of servers still in the list, each marked stale, and puts the
    /// tab that was in front in front again. Call after the saved servers are listed.
    pub fn restore(self, state: &mut State) {
        for cached in self.sessions {
            let listed = state
                .servers
                .rows
                .iter()
                .any(|r| r.id.eq_ignore_ascii_case(&cached.server_id));
            let open = state
                .sessions
                .iter()
                .any(|s| s.server_id.eq_ignore_ascii_case(&cached.server_id));
            if !listed || open || cached.screens.is_empty() {
                continue;
            }
            let stack = cached
                .screens
                .into_iter()
                .map(|screen| {
                    let generation = state.new_generation();
                    Screen {
                        generation,
                        title: screen.title,
                        view: restored_view(screen.view),
                    }
                })
                .collect();
            state.sessions.push(SessionView {
                server_id: cached.server_id,
                name: cached.name,
                stack,
                last_search: cached.last_search,
                stale: true,
            });
        }
        if let Some(active) = self.active.filter(|a| *a < state.sessions.len()) {
            state.active = active;
            state.pane = Pane::Session;
        }
    }
}

fn cached_session(s: &SessionView) -> CachedSession {
    CachedSession {
        server_id: s.server_id.clone(),
        name: s.name.clone(),
        last_search: s.last_search.clone(),
        screens: s
            .stack
            .iter()
            .map(|screen| CachedScreen {
                title: screen.title.clone(),
                view: cached_view(&screen.view),
            })
            .collect(),
    }
}

fn cached_view(view: &View) -> CachedView {
    match view {
        View::Home(h) => CachedView::Home {
            rows: h
                .rows
                .iter()
                .map(|r| match r {
                    HomeRow::Header(t) => CachedRow::Header(t.clone()),
                    HomeRow::Item(it) => CachedRow::Item(it.clone()),
                    HomeRow::Note(t) => CachedRow::Note(t.clone()),
                })
                .collect(),
            cursor: h.cursor,
            top: h.top,
        },
        View::List(l) => {
            let page_start = (l.list.cursor / PAGE_SIZE) * PAGE_SIZE;
            let page = (page_start..page_start + PAGE_SIZE)
                .map_while(|i| l.list.get(i).cloned())
                .collect();
            CachedView::List {
                parent_id: l.parent_id.clone(),
                search: l.search.clone(),
                total: l.list.len(),
                cursor: l.list.cursor,
                top: l.list.top,
                page_start,
                page,
            }
        }
        View::Details(d) => CachedView::Details {
            item_id: d.item_id.clone(),
            item: d.item.clone(),
        },
    }
}

fn restored_view(view: CachedView) -> View {
    match view {
        CachedView::Home { rows, cursor, top } => View::Home(HomeView {
            loading: false,
            error: None,
            rows: rows
                .into_iter()
                .map(|r| match r {
                    CachedRow::Header(t) => HomeRow::Header(t),
                    CachedRow::Item(it) => HomeRow::Item(it),
                    CachedRow::Note(t) => HomeRow::Note(t),
                })
                .collect(),
            cursor,
            top,
        }),
        CachedView::List {
            parent_id,
            search,
            total,
            cursor,
            top,
            page_start,
            page,
        } => {
            let mut list = PagedList::default();
            if total > 0 {
                list.insert(page_start, total, page);
            }
            list.cursor = cursor.min(total.saturating_sub(1));
            list.top = top.min(list.cursor);
            let mut view = ListView::new(parent_id, search, Default::default());
            view.list = list;
            View::List(view)
        }
        CachedView::Details { item_id, item } => View::Details(DetailsView {
            item_id,
            item,
            error: None,
            scroll: 0,
        }),
    }
}
