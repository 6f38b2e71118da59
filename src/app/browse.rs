//! Sessions: one tab per open server, each with its own stack of screens (home, lists, details).

use super::action::{Effect, HomeData, Loaded, Request};
use super::keymap::Command;
use super::order::ListOrder;
use super::paging::{PAGE_SIZE, PagedList};
use super::text::TextInput;
use super::{Overlay, Pane, State};
use crate::emby::models::{BaseItemDto, UserItemDataDto};

/// One open server.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub server_id: String,
    pub name: String,
    /// Where the user has been; the last one is on screen. Never empty.
    pub stack: Vec<Screen>,
    /// The last search typed here.
    pub last_search: String,
    /// Shown from the cache of the last run until the server answers again.
    pub stale: bool,
}

impl SessionView {
    pub fn current(&self) -> &Screen {
        self.stack.last().expect("a session always has a screen")
    }
    pub fn current_mut(&mut self) -> &mut Screen {
        self.stack
            .last_mut()
            .expect("a session always has a screen")
    }
}

/// One screen; `generation` tags its requests so an answer for a screen left or reloaded is dropped.
#[derive(Debug, Clone)]
pub struct Screen {
    pub generation: u64,
    pub title: String,
    pub view: View,
}

#[derive(Debug, Clone)]
pub enum View {
    Home(HomeView),
    List(ListView),
    Details(DetailsView),
}

/// The home view: sections of items, the cursor on items only.
#[derive(Debug, Clone, Default)]
pub struct HomeView {
    pub loading: bool,
    pub error: Option<String>,
    pub rows: Vec<HomeRow>,
    pub cursor: usize,
    pub top: usize,
}

#[derive(Debug, Clone)]
pub enum HomeRow {
    Header(String),
    Item(Box<BaseItemDto>),
    Note(String),
}

impl HomeView {
    pub fn selected(&self) -> Option<&BaseItemDto> {
        match self.rows.get(self.cursor) {
            Some(HomeRow::Item(it)) => Some(it),
            _ => None,
        }
    }
    fn item_rows(&mut self) -> super::rows::ItemRows<'_, impl Fn(usize) -> bool + '_> {
        let rows = &self.rows;
        super::rows::ItemRows {
            cursor: &mut self.cursor,
            top: &mut self.top,
            len: rows.len(),
            is_item: move |i| matches!(rows.get(i), Some(HomeRow::Item(_))),
        }
    }
    /// Move to the next item row in a direction, `steps` times.
    fn step(&mut self, forward: bool, steps: usize, height: usize) {
        self.item_rows().step(forward, steps, height);
    }
    fn first_item(&mut self, height: usize) {
        self.item_rows().first(height);
    }
    fn last_item(&mut self, height: usize) {
        self.item_rows().last(height);
    }
    fn scroll(&mut self, height: usize) {
        self.item_rows().scroll(height);
    }
}

/// A folder's children, or a search, paged from the server.
#[derive(Debug, Clone)]
pub struct ListView {
    pub parent_id: Option<String>,
    pub search: Option<String>,
    pub list: PagedList,
    /// How it is sorted and filtered (kept per library, see [`State::list_orders`]).
    pub order: ListOrder,
    /// The genres under this folder, once asked for (the genre filter steps through them).
    pub genres: Option<Vec<String>>,
    /// The genre key was pressed before the genres came: take the first when they do.
    pub genre_wanted: bool,
}

impl ListView {
    /// A list of `parent_id`'s children, or of a search, sorted and filtered as `order` says.
    pub fn new(parent_id: Option<String>, search: Option<String>, order: ListOrder) -> ListView {
        ListView {
            parent_id,
            search,
            list: PagedList::default(),
            order,
            genres: None,
            genre_wanted: false,
        }
    }

    /// The key its order is kept under in [`State::list_orders`].
    pub fn order_key(&self, server_id: &str) -> String {
        order_key(server_id, self.parent_id.as_deref(), self.search.is_some())
    }
}

/// Where a list's order is kept: per server and folder (all searches of a server share one).
pub fn order_key(server_id: &str, parent_id: Option<&str>, search: bool) -> String {
    let place = if search {
        "search"
    } else {
        parent_id.unwrap_or("top")
    };
    format!("{}/{place}", server_id.to_ascii_lowercase())
}

/// One item with all its fields.
#[derive(Debug, Clone)]
pub struct DetailsView {
    pub item_id: String,
    pub item: Option<Box<BaseItemDto>>,
    pub error: Option<String>,
    pub scroll: u16,
}

fn is_container(item: &BaseItemDto) -> bool {
    item.is_folder.unwrap_or(false)
}

fn name_of(item: &BaseItemDto) -> String {
    item.name.clone().unwrap_or_else(|| "(no name)".into())
}

/// Open a server's session, or switch to it when it is already open.
pub fn open_session(state: &mut State, server_id: &str, name: &str) -> Vec<Effect> {
    if let Some(i) = state.session_index(server_id) {
        state.active = i;
        state.pane = Pane::Session;
        return Vec::new();
    }
    let generation = state.new_generation();
    state.sessions.push(SessionView {
        server_id: server_id.to_string(),
        name: name.to_string(),
        stack: vec![Screen {
            generation,
            title: "Home".into(),
            view: View::Home(HomeView {
                loading: true,
                ..Default::default()
            }),
        }],
        last_search: String::new(),
        stale: false,
    });
    state.active = state.sessions.len() - 1;
    state.pane = Pane::Session;
    vec![Effect::Load {
        server_id: server_id.to_string(),
        generation,
        request: Request::Home,
    }]
}

/// The effects that fetch the pages the current list needs.
pub(crate) fn page_effects(server_id: &str, screen: &mut Screen, height: usize) -> Vec<Effect> {
    let generation = screen.generation;
    let View::List(lv) = &mut screen.view else {
        return Vec::new();
    };
    lv.list
        .wanted(height)
        .into_iter()
        .map(|p| Effect::Load {
            server_id: server_id.to_string(),
            generation,
            request: Request::Page {
                parent_id: lv.parent_id.clone(),
                search: lv.search.clone(),
                order: lv.order.clone(),
                start: p * PAGE_SIZE,
                limit: PAGE_SIZE,
            },
        })
        .collect()
}

fn push_screen(state: &mut State, title: String, view: View) -> Vec<Effect> {
    let generation = state.new_generation();
    let height = state.list_height();
    let Some(sess) = state.sessions.get_mut(state.active) else {
        return Vec::new();
    };
    let server_id = sess.server_id.clone();
    sess.stack.push(Screen {
        generation,
        title,
        view,
    });
    load_current(&server_id, sess.current_mut(), height)
}

/// The requests that fill the screen on top (after it was pushed or reloaded).
fn load_current(server_id: &str, screen: &mut Screen, height: usize) -> Vec<Effect> {
    let generation = screen.generation;
    let request = match &screen.view {
        View::Home(_) => Request::Home,
        View::Details(d) => Request::Item(d.item_id.clone()),
        View::List(_) => return page_effects(server_id, screen, height),
    };
    vec![Effect::Load {
        server_id: server_id.to_string(),
        generation,
        request,
    }]
}

fn open_item(state: &mut State, item: BaseItemDto, details: bool) -> Vec<Effect> {
    let Some(id) = item.id.clone() else {
        return Vec::new();
    };
    let title = name_of(&item);
    if is_container(&item) && !details {
        push_screen(state, title, {
            let server_id = state
                .sessions
                .get(state.active)
                .map(|s| s.server_id.clone())
                .unwrap_or_default();
            let order = state
                .list_orders
                .get(&order_key(&server_id, Some(&id), false))
                .cloned()
                .unwrap_or_default();
            View::List(ListView::new(Some(id), None, order))
        })
    } else {
        push_screen(
            state,
            title,
            View::Details(DetailsView {
                item_id: id,
                item: Some(Box::new(item)),
                error: None,
                scroll: 0,
            }),
        )
    }
}

/// Open an item of a server in that server's session tab (opened first when it is not open):
/// its details, or its children for a folder unless `details`. The "All servers" tab opens
/// items this way, on the server it picked.
pub fn open_item_on(
    state: &mut State,
    server_id: &str,
    name: &str,
    item: BaseItemDto,
    details: bool,
) -> Vec<Effect> {
    let mut effects = open_session(state, server_id, name);
    effects.extend(open_item(state, item, details));
    effects
}

/// The item under the cursor of the current screen.
pub fn selected_item(screen: &Screen) -> Option<&BaseItemDto> {
    match &screen.view {
        View::Home(h) => h.selected(),
        View::List(l) => l.list.selected(),
        View::Details(d) => d.item.as_deref(),
    }
}

/// Switch tabs: to the session `index`, wrapping.
pub fn switch_to(state: &mut State, index: usize) {
    if index < state.sessions.len() {
        state.active = index;
        state.pane = Pane::Session;
    }
}

/// A key command in a session.
pub fn command(state: &mut State, cmd: Command) -> Vec<Effect> {
    let height = state.list_height();
    let active = state.active;
    let Some(sess) = state.sessions.get_mut(active) else {
        state.pane = Pane::Servers;
        return Vec::new();
    };
    let server_id = sess.server_id.clone();
    let screen = sess.current_mut();
    let moved = |screen: &mut Screen, f: &dyn Fn(&mut PagedList)| {
        if let View::List(l) = &mut screen.view {
            f(&mut l.list);
        }
    };
    match cmd {
        Command::Down | Command::Up | Command::PageDown | Command::PageUp => {
            let (fwd, steps) = match cmd {
                Command::Down => (true, 1),
                Command::Up => (false, 1),
                Command::PageDown => (true, height.max(1)),
                _ => (false, height.max(1)),
            };
            match &mut screen.view {
                View::Home(h) => h.step(fwd, steps, height),
                View::List(_) => {
                    let d = if fwd {
                        steps as isize
                    } else {
                        -(steps as isize)
                    };
                    moved(screen, &|l| l.move_by(d, height));
                }
                View::Details(d) => {
                    d.scroll = if fwd {
                        d.scroll.saturating_add(steps as u16)
                    } else {
                        d.scroll.saturating_sub(steps as u16)
                    }
                }
            }
            return page_effects(&server_id, screen, height);
        }
        Command::Top | Command::Bottom => {
            let top = cmd == Command::Top;
            match &mut screen.view {
                View::Home(h) if top => h.first_item(height),
                View::Home(h) => h.last_item(height),
                View::List(l) => l.list.move_to(if top { 0 } else { usize::MAX }, height),
                View::Details(d) => d.scroll = if top { 0 } else { u16::MAX / 2 },
            }
            return page_effects(&server_id, screen, height);
        }
        Command::Open | Command::Details => {
            let details = cmd == Command::Details;
            if let View::Details(_) = screen.view {
                if !details {
                    // Enter on a folder's details lists its children
                    if let Some(it) = selected_item(screen).cloned().filter(is_container) {
                        return open_item(state, it, false);
                    }
                }
                return Vec::new();
            }
            if let Some(it) = selected_item(screen).cloned() {
                return open_item(state, it, details);
            }
        }
        Command::Back => {
            if sess.stack.len() > 1 {
                sess.stack.pop();
                // answers that were still coming for the screen left are dropped by generation;
                // the screen below may need pages it gave up while away
                return page_effects(&server_id, sess.current_mut(), height);
            }
            state.pane = Pane::Servers;
        }
        Command::Refresh => {
            let generation = state.next_generation + 1;
            state.next_generation = generation;
            let sess = &mut state.sessions[active];
            let screen = sess.current_mut();
            screen.generation = generation;
            match &mut screen.view {
                View::Home(h) => {
                    h.loading = true;
                    h.error = None;
                }
                View::List(l) => l.list.clear(),
                View::Details(d) => d.error = None,
            }
            return load_current(&server_id, screen, height);
        }
        Command::TogglePlayed | Command::ToggleFavorite => {
            let Some(item) = selected_item(screen) else {
                return Vec::new();
            };
            let Some(item_id) = item.id.clone() else {
                return Vec::new();
            };
            let data = item.user_data.clone().unwrap_or_default();
            let request = if cmd == Command::TogglePlayed {
                Request::SetPlayed {
                    item_id,
                    played: !data.played.unwrap_or(false),
                }
            } else {
                Request::SetFavorite {
                    item_id,
                    favorite: !data.is_favorite.unwrap_or(false),
                }
            };
            return vec![Effect::Load {
                server_id,
                generation: screen.generation,
                request,
            }];
        }
        Command::Sort | Command::ReverseOrder | Command::Filter => {
            return change_order(state, |o, _| match cmd {
                Command::Sort => o.next_sort(),
                Command::ReverseOrder => o.reverse(),
                _ => o.next_shown(),
            });
        }
        Command::Genre => {
            let generation = screen.generation;
            let View::List(l) = &mut screen.view else {
                return Vec::new();
            };
            if l.genres.is_none() {
                // ask once; the first genre is taken when they come
                l.genre_wanted = true;
                return vec![Effect::Load {
                    server_id,
                    generation,
                    request: Request::Genres {
                        parent_id: l.parent_id.clone(),
                    },
                }];
            }
            return change_order(state, |o, genres| o.next_genre(genres));
        }
        Command::Years => {
            if let View::List(l) = &screen.view {
                let typed = match l.order.years {
                    Some((a, b)) if a == b => a.to_string(),
                    Some((a, b)) => format!("{a}-{b}"),
                    None => String::new(),
                };
                let mut field = TextInput::new(&typed);
                field.select_all();
                state.overlay = Some(Overlay::Years(field));
            }
        }
        Command::Search => {
            // the last query, selected: typing replaces it, Enter searches it again
            let mut field = TextInput::new(&sess.last_search);
            field.select_all();
            state.overlay = Some(Overlay::Search(field));
        }
        Command::CloseTab => {
            let (server_id, name) = (sess.server_id.clone(), sess.name.clone());
            super::ask(
                state,
                format!("Close the tab of {name}?"),
                super::Pending::CloseTab { server_id },
            );
        }
        _ => {}
    }
    Vec::new()
}

/// A server answered again: the screen on top of its session shown from the cache is asked
/// for afresh (what is cached stays on screen until the answer replaces it).
pub fn reload_stale(state: &mut State, server_id: &str) -> Vec<Effect> {
    let generation = state.new_generation();
    let height = state.list_height();
    let Some(sess) = state
        .sessions
        .iter_mut()
        .find(|s| s.stale && s.server_id.eq_ignore_ascii_case(server_id))
    else {
        return Vec::new();
    };
    let server_id = sess.server_id.clone();
    let screen = sess.current_mut();
    screen.generation = generation;
    match &mut screen.view {
        View::List(l) => {
            let pages = l.list.held_pages_near_cursor();
            let mut effects: Vec<Effect> = pages
                .into_iter()
                .map(|p| Effect::Load {
                    server_id: server_id.clone(),
                    generation,
                    request: Request::Page {
                        parent_id: l.parent_id.clone(),
                        search: l.search.clone(),
                        order: l.order.clone(),
                        start: p * PAGE_SIZE,
                        limit: PAGE_SIZE,
                    },
                })
                .collect();
            effects.extend(page_effects(&server_id, screen, height));
            effects
        }
        _ => load_current(&server_id, screen, height),
    }
}

/// Changes how the list in front is sorted or filtered (`f` gets its order and its genres),
/// keeps the choice for that library, and asks for the list again from its first page.
fn change_order(state: &mut State, f: impl FnOnce(&mut ListOrder, &[String])) -> Vec<Effect> {
    let generation = state.new_generation();
    let height = state.list_height();
    let Some(sess) = state.sessions.get_mut(state.active) else {
        return Vec::new();
    };
    let server_id = sess.server_id.clone();
    let screen = sess.current_mut();
    let View::List(l) = &mut screen.view else {
        return Vec::new();
    };
    let genres = l.genres.clone().unwrap_or_default();
    f(&mut l.order, &genres);
    let key = l.order_key(&server_id);
    let order = l.order.clone();
    l.list = PagedList::default();
    screen.generation = generation;
    let effects = page_effects(&server_id, screen, height);
    state.list_orders.insert(key, order);
    effects
}

/// The years typed for the list in front ("1999", "1990-1999", or nothing for all).
pub fn set_years(state: &mut State, typed: &str) -> Vec<Effect> {
    let mut problem = None;
    let effects = change_order(state, |o, _| {
        if let Err(e) = o.set_years(typed) {
            problem = Some(e);
        }
    });
    if let Some(e) = problem
        && let Some(sess) = state.sessions.get_mut(state.active)
        && let View::List(l) = &mut sess.current_mut().view
    {
        l.list.error = Some(e);
    }
    effects
}

/// Closes the session tab of `server_id`, if one is open (the one in front stays in front when
/// it is another; with none left, the sessions pane gives way to the servers).
pub fn close_tab(state: &mut State, server_id: &str) {
    let Some(i) = state.session_index(server_id) else {
        return;
    };
    state.sessions.remove(i);
    if state.sessions.is_empty() {
        state.active = 0;
        if state.pane == Pane::Session {
            state.pane = Pane::Servers;
        }
    } else if state.active >= i && state.active > 0 {
        state.active = (state.active - 1).min(state.sessions.len() - 1);
    }
}

/// The search prompt was submitted: a list of what matches across the server.
pub fn search(state: &mut State, text: String) -> Vec<Effect> {
    let text = text.trim().to_string();
    state.overlay = None;
    if text.is_empty() {
        return Vec::new();
    }
    if let Some(sess) = state.sessions.get_mut(state.active) {
        sess.last_search = text.clone();
        // a new search replaces the results of the last one rather than stacking on them
        if sess.stack.len() > 1
            && matches!(&sess.current().view, View::List(l) if l.search.is_some())
        {
            sess.stack.pop();
        }
    }
    push_screen(state, format!("Search: {text}"), {
        let server_id = state
            .sessions
            .get(state.active)
            .map(|s| s.server_id.clone())
            .unwrap_or_default();
        let order = state
            .list_orders
            .get(&order_key(&server_id, None, true))
            .cloned()
            .unwrap_or_default();
        View::List(ListView::new(None, Some(text), order))
    })
}

fn home_rows(data: HomeData) -> Vec<HomeRow> {
    let mut rows = Vec::new();
    let mut section = |title: String, items: Vec<BaseItemDto>, empty: &str| {
        rows.push(HomeRow::Header(title));
        if items.is_empty() {
            rows.push(HomeRow::Note(empty.to_string()));
        }
        rows.extend(items.into_iter().map(|it| HomeRow::Item(Box::new(it))));
    };
    section("Libraries".into(), data.views, "No libraries.");
    section(
        "Continue Watching".into(),
        data.resume,
        "Nothing in progress.",
    );
    section("Next Up".into(), data.next_up, "Nothing next.");
    for (library, items) in data.latest {
        section(format!("Latest in {library}"), items, "Nothing new.");
    }
    rows
}

fn apply_user_data(item: &mut BaseItemDto, item_id: &str, data: &UserItemDataDto) {
    if item.id.as_deref() == Some(item_id) {
        let mut ud = item.user_data.clone().unwrap_or_default();
        if data.played.is_some() {
            ud.played = data.played;
        }
        if data.is_favorite.is_some() {
            ud.is_favorite = data.is_favorite;
        }
        ud.playback_position_ticks = data.playback_position_ticks.or(ud.playback_position_ticks);
        ud.play_count = data.play_count.or(ud.play_count);
        item.user_data = Some(ud);
    }
}

/// An answer for a session came back. Answers for screens no longer on the stack (or reloaded
/// since) are dropped.
pub fn loaded(
    state: &mut State,
    server_id: &str,
    generation: u64,
    result: Result<Loaded, String>,
) -> Vec<Effect> {
    let height = state.list_height();
    let Some(i) = state.session_index(server_id) else {
        return Vec::new();
    };
    let sess = &mut state.sessions[i];
    // marking played/favourite applies to every copy of the item, whichever screen asked
    if let Ok(Loaded::UserData { item_id, data }) = &result {
        for screen in &mut sess.stack {
            match &mut screen.view {
                View::Home(h) => {
                    for row in &mut h.rows {
                        if let HomeRow::Item(it) = row {
                            apply_user_data(it, item_id, data);
                        }
                    }
                }
                View::List(l) => {
                    for it in l.list.cached_mut() {
                        apply_user_data(it, item_id, data);
                    }
                }
                View::Details(d) => {
                    if let Some(it) = &mut d.item {
                        apply_user_data(it, item_id, data);
                    }
                }
            }
        }
        return Vec::new();
    }
    let is_top = sess.current().generation == generation;
    let Some(screen) = sess.stack.iter_mut().find(|s| s.generation == generation) else {
        tracing::debug!(server = server_id, generation, "dropped a stale answer");
        return Vec::new();
    };
    if is_top && result.is_ok() {
        sess.stale = false;
    }
    match (&mut screen.view, result) {
        (View::Home(h), Ok(Loaded::Home(data))) => {
            // the cursor stays on the item it was on, when that item is still there
            let was_on = h.selected().and_then(|it| it.id.clone());
            h.loading = false;
            h.error = None;
            h.rows = home_rows(data);
            match was_on.and_then(|id| {
                h.rows
                    .iter()
                    .position(|r| matches!(r, HomeRow::Item(it) if it.id.as_deref() == Some(&id)))
            }) {
                Some(i) => {
                    h.cursor = i;
                    h.scroll(height);
                }
                None => h.first_item(height),
            }
        }
        (View::Home(h), Err(e)) => {
            h.loading = false;
            h.error = Some(e);
        }
        (
            View::List(l),
            Ok(Loaded::Page {
                start,
                total,
                items,
            }),
        ) => {
            l.list.insert(start, total, items);
            l.list.scroll_into_view(height);
            if is_top {
                return page_effects(server_id, screen, height);
            }
        }
        (View::List(l), Ok(Loaded::Genres(genres))) => {
            let take_first = std::mem::take(&mut l.genre_wanted);
            l.genres = Some(genres);
            if take_first && is_top {
                return change_order(state, |o, genres| o.next_genre(genres));
            }
        }
        (View::Details(d), Ok(Loaded::Item(item))) => {
            d.item = Some(item);
            d.error = None;
        }
        (View::Details(d), Err(e)) => d.error = Some(e),
        (View::List(l), Ok(Loaded::PageFailed { start, error })) => l.list.failed(start, error),
        (View::List(l), Err(e)) => l.list.error = Some(e),
        (_, Ok(_)) => {
            tracing::debug!(
                server = server_id,
                generation,
                "an answer of the wrong kind"
            );
        }
    }
    Vec::new()
}
