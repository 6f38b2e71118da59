//! The "All servers" tab: every server's home merged into one, and search everywhere.
//!
//! Each server's part is asked on its own (an [`Effect::Everywhere`] per server, run at once by
//! the worker) and merged in as its answer comes ([`Action::Everywhere`]), so a fast server's rows
//! show at once and a slow or dead one never holds the view up. A server's home is asked when its
//! session is signed in (at start, after a refresh, when it comes back); a server that fails or
//! signs out leaves the view and is named in the footer until it answers again. Answers carry the
//! generation they were asked with: an answer to an older search (or an older home request) is
//! dropped, and the worker cancels the older request still running.
//!
//! The merging itself (by provider ids, fastest server first) is the session layer's
//! ([`crate::session::everywhere`]), shared with the command line.

use std::collections::HashMap;

use ratatui::layout::Rect;

use super::action::{Effect, EverywhereLoaded, EverywhereRequest};
use super::keymap::Command;
use super::layout::inner;
use super::text::TextInput;
use super::{Message, Pane, State, browse};
use crate::session::everywhere::{
    LibraryKind, Merged, MergedHome, Ranks, SearchGroup, SearchMerge, ServerHome, merge_homes,
};

/// Items of each kind asked of each server in a search.
pub const SEARCH_LIMIT: u32 = 50;
/// A server that has not answered after this long is named as slow in the footer.
pub const SLOW_MS: u64 = 1500;

/// Where one server's part of the view stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Asked with `generation` at `since` (ms since the epoch; 0 until the clock is known).
    Waiting {
        generation: u64,
        since: u64,
    },
    Answered,
    Failed(String),
}

/// A search and the answers merged so far.
#[derive(Debug, Clone)]
pub struct SearchView {
    pub term: String,
    pub generation: u64,
    /// Per server (lower-case id): where its answer stands.
    pub parts: HashMap<String, Part>,
    pub merge: SearchMerge,
}

/// One row as drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllRow {
    Header(Heading),
    Note(Note),
    /// A merged home row.
    Home(HomeRef),
    /// A search result: its group and rank in it.
    Found(SearchGroup, usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heading {
    ContinueWatching,
    NextUp,
    Latest(LibraryKind),
    /// A group of results, with how many there are.
    Results(SearchGroup, usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    NothingInProgress,
    NothingNext,
    NothingNew,
    Waiting,
    Searching,
    NothingMatches,
    NoServers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeRef {
    ContinueWatching(usize),
    NextUp(usize),
    /// (index in the merged home's `latest`, row in it)
    Latest(usize, usize),
}

/// The "All servers" tab.
#[derive(Debug, Clone, Default)]
pub struct EverywhereView {
    /// Each server's home as it last answered (key: lower-case id).
    pub homes: HashMap<String, ServerHome>,
    /// Where each server's home stands (key: lower-case id).
    pub home_parts: HashMap<String, Part>,
    /// Every answered home, merged.
    pub home: MergedHome,
    pub search: Option<SearchView>,
    /// The search prompt has the keyboard: each key typed searches again.
    pub typing: bool,
    /// What is typed in the prompt.
    pub prompt: TextInput,
    /// The rows on screen (the home, or the search).
    pub rows: Vec<AllRow>,
    pub cursor: usize,
    pub top: usize,
    /// Which of the selected row's servers `Enter` opens it on (0 = the fastest).
    pub pick: usize,
    /// Every server's rank and name, from the servers pane's rows.
    pub ranks: Ranks,
    pub message: Option<Message>,
}

impl EverywhereView {
    /// The merged item of a row.
    pub fn merged(&self, row: AllRow) -> Option<&Merged> {
        match row {
            AllRow::Home(HomeRef::ContinueWatching(i)) => self.home.continue_watching.get(i),
            AllRow::Home(HomeRef::NextUp(i)) => self.home.next_up.get(i),
            AllRow::Home(HomeRef::Latest(k, i)) => self.home.latest.get(k)?.1.get(i),
            AllRow::Found(group, rank) => self.search.as_ref()?.merge.row(group, rank),
            AllRow::Header(_) | AllRow::Note(_) => None,
        }
    }

    /// The item under the cursor.
    pub fn selected(&self) -> Option<&Merged> {
        self.rows.get(self.cursor).and_then(|r| self.merged(*r))
    }

    /// Which source of the selected row `Enter` opens (an index into its sources).
    pub fn picked_source(&self) -> usize {
        self.selected()
            .map_or(0, |m| self.pick % m.sources.len().max(1))
    }

    fn is_item(&self, i: usize) -> bool {
        matches!(self.rows.get(i), Some(AllRow::Home(_) | AllRow::Found(..)))
    }

    fn item_rows(&mut self) -> super::rows::ItemRows<'_, impl Fn(usize) -> bool + '_> {
        let rows = &self.rows;
        super::rows::ItemRows {
            cursor: &mut self.cursor,
            top: &mut self.top,
            len: rows.len(),
            is_item: move |i| matches!(rows.get(i), Some(AllRow::Home(_) | AllRow::Found(..))),
        }
    }

    fn step(&mut self, forward: bool, steps: usize, height: usize) {
        self.item_rows().step(forward, steps, height);
    }

    fn first_item(&mut self, height: usize) {
        self.item_rows().first(height);
    }

    fn last_item(&mut self, height: usize) {
        self.item_rows().last(height);
    }

    /// Keep the cursor visible in `height` rows (with its section's header when it is first).
    pub fn scroll(&mut self, height: usize) {
        self.item_rows().scroll(height);
    }

    /// Rebuild the rows (after an answer, a new search, or a server leaving), keeping the cursor
    /// on the item it was on when it is still there.
    fn rebuild(&mut self, height: usize) {
        let was_on = self
            .selected()
            .and_then(|m| m.sources.first())
            .map(|s| (s.server_id.clone(), s.item_id.clone()));
        self.rows = match &self.search {
            Some(search) => search_rows(search),
            None => home_rows(
                &self.home,
                self.homes.is_empty(),
                self.home_parts.is_empty(),
            ),
        };
        let found = was_on.and_then(|(server, item)| {
            (0..self.rows.len()).find(|i| {
                self.merged(self.rows[*i]).is_some_and(|m| {
                    m.sources
                        .iter()
                        .any(|s| s.server_id == server && s.item_id == item)
                })
            })
        });
        match found {
            Some(i) => {
                self.cursor = i;
                self.scroll(height);
            }
            None => {
                self.pick = 0;
                self.first_item(height);
            }
        }
    }
}

fn home_rows(home: &MergedHome, nothing_answered: bool, nothing_asked: bool) -> Vec<AllRow> {
    if nothing_answered {
        return vec![AllRow::Note(if nothing_asked {
            Note::NoServers
        } else {
            Note::Waiting
        })];
    }
    let mut rows = Vec::new();
    rows.push(AllRow::Header(Heading::ContinueWatching));
    if home.continue_watching.is_empty() {
        rows.push(AllRow::Note(Note::NothingInProgress));
    }
    rows.extend(
        (0..home.continue_watching.len()).map(|i| AllRow::Home(HomeRef::ContinueWatching(i))),
    );
    rows.push(AllRow::Header(Heading::NextUp));
    if home.next_up.is_empty() {
        rows.push(AllRow::Note(Note::NothingNext));
    }
    rows.extend((0..home.next_up.len()).map(|i| AllRow::Home(HomeRef::NextUp(i))));
    if home.latest.is_empty() {
        rows.push(AllRow::Header(Heading::Latest(LibraryKind::Movies)));
        rows.push(AllRow::Note(Note::NothingNew));
    }
    for (k, (kind, items)) in home.latest.iter().enumerate() {
        rows.push(AllRow::Header(Heading::Latest(*kind)));
        rows.extend((0..items.len()).map(|i| AllRow::Home(HomeRef::Latest(k, i))));
    }
    rows
}

fn search_rows(search: &SearchView) -> Vec<AllRow> {
    let mut rows = Vec::with_capacity(search.merge.len() + 5);
    for group in SearchGroup::ALL {
        let n = search.merge.count(group);
        if n == 0 {
            continue;
        }
        rows.push(AllRow::Header(Heading::Results(group, n)));
        rows.extend((0..n).map(|rank| AllRow::Found(group, rank)));
    }
    if rows.is_empty() {
        let waiting = search
            .parts
            .values()
            .any(|p| matches!(p, Part::Waiting { .. }));
        rows.push(AllRow::Note(if waiting {
            Note::Searching
        } else {
            Note::NothingMatches
        }));
    }
    rows
}

/// The rows area of the tab: under the title row, inside the box, above the footer row.
pub fn parts(body: Rect) -> (Rect, Rect, Rect) {
    let title = Rect::new(body.x, body.y, body.width, body.height.min(1));
    let footer_h = u16::from(body.height >= 3);
    let content = Rect::new(
        body.x,
        body.y + title.height,
        body.width,
        body.height
            .saturating_sub(title.height)
            .saturating_sub(footer_h),
    );
    let footer = Rect::new(body.x, content.y + content.height, body.width, footer_h);
    (title, content, footer)
}

/// The rows inside the tab's box.
pub fn rows_area(body: Rect) -> Rect {
    inner(parts(body).1)
}

fn height(state: &State) -> usize {
    rows_area(state.areas().body).height as usize
}

fn key(id: &str) -> String {
    id.to_ascii_lowercase()
}

/// The servers a search or a home is asked of: every signed-in server.
fn signed_in(state: &State) -> Vec<String> {
    state
        .servers
        .rows
        .iter()
        .filter(|r| r.state == "signed_in")
        .map(|r| r.id.clone())
        .collect()
}

fn ask_home(state: &mut State, server_id: &str) -> Effect {
    let generation = state.new_generation();
    let since = state.now_ms;
    state
        .everywhere
        .home_parts
        .insert(key(server_id), Part::Waiting { generation, since });
    Effect::Everywhere {
        server_id: server_id.to_string(),
        generation,
        request: EverywhereRequest::Home,
    }
}

/// Search every signed-in server for `term` (an empty term ends the search: the home shows).
fn search_for(state: &mut State, term: &str) -> Vec<Effect> {
    let term = term.trim().to_string();
    let height = height(state);
    if term.is_empty() {
        state.everywhere.search = None;
        state.everywhere.rebuild(height);
        return Vec::new();
    }
    if state
        .everywhere
        .search
        .as_ref()
        .is_some_and(|s| s.term == term)
    {
        return Vec::new();
    }
    let generation = state.new_generation();
    let since = state.now_ms;
    let servers = signed_in(state);
    state.everywhere.search = Some(SearchView {
        term: term.clone(),
        generation,
        parts: servers
            .iter()
            .map(|id| (key(id), Part::Waiting { generation, since }))
            .collect(),
        merge: SearchMerge::new(&term),
    });
    state.everywhere.pick = 0;
    state.everywhere.rebuild(height);
    servers
        .into_iter()
        .map(|server_id| Effect::Everywhere {
            server_id,
            generation,
            request: EverywhereRequest::Search(term.clone()),
        })
        .collect()
}

/// Something changed on a server (an item was played): its part of the merged home is asked
/// again, if the tab has asked it before and is not waiting for it already.
pub fn home_changed(state: &mut State, server_id: &str) -> Vec<Effect> {
    match state.everywhere.home_parts.get(&key(server_id)) {
        None | Some(Part::Waiting { .. }) => Vec::new(),
        Some(_) => vec![ask_home(state, server_id)],
    }
}

/// A server's report changed (the servers pane has it already): a signed-in server is asked
/// for its part if it is not being asked already; one that is down or signed out leaves the view.
pub fn server_changed(state: &mut State, server_id: &str) -> Vec<Effect> {
    let ranks = Ranks::from_reports(&state.servers.rows);
    if ranks != state.everywhere.ranks {
        // how fast each server is changed: every row's servers are ordered again
        state.everywhere.ranks = ranks;
        remerge_home(state);
        let v = &mut state.everywhere;
        if let Some(s) = &mut v.search {
            s.merge.order_sources(&v.ranks);
        }
    }
    let Some(report) = state
        .servers
        .rows
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(server_id))
        .cloned()
    else {
        return Vec::new();
    };
    let k = key(server_id);
    let height = height(state);
    let mut effects = Vec::new();
    match report.state {
        "signed_in" => {
            if !matches!(
                state.everywhere.home_parts.get(&k),
                Some(Part::Waiting { .. })
            ) {
                effects.push(ask_home(state, &report.id));
            }
            let search = state.everywhere.search.as_ref().and_then(|s| {
                (!s.parts.contains_key(&k) || matches!(s.parts.get(&k), Some(Part::Failed(_))))
                    .then(|| (s.term.clone(), s.generation))
            });
            if let Some((term, generation)) = search {
                let since = state.now_ms;
                if let Some(s) = &mut state.everywhere.search {
                    s.parts
                        .insert(k.clone(), Part::Waiting { generation, since });
                }
                effects.push(Effect::Everywhere {
                    server_id: report.id.clone(),
                    generation,
                    request: EverywhereRequest::Search(term),
                });
            }
        }
        // listed and about to be reached: nothing to say yet
        "unavailable" if report.error.as_deref() == Some("not contacted yet") => {}
        _ => {
            let why = report
                .error
                .clone()
                .unwrap_or_else(|| "not signed in".into());
            state
                .everywhere
                .home_parts
                .insert(k.clone(), Part::Failed(why));
            if state.everywhere.homes.remove(&k).is_some() {
                remerge_home(state);
            }
        }
    }
    state.everywhere.rebuild(height);
    effects
}

/// A server left the list.
pub fn server_removed(state: &mut State, server_id: &str) {
    let k = key(server_id);
    state.everywhere.ranks = Ranks::from_reports(&state.servers.rows);
    state.everywhere.home_parts.remove(&k);
    if let Some(s) = &mut state.everywhere.search {
        s.parts.remove(&k);
    }
    if state.everywhere.homes.remove(&k).is_some() {
        remerge_home(state);
    }
    let height = height(state);
    state.everywhere.rebuild(height);
}

fn remerge_home(state: &mut State) {
    let v = &mut state.everywhere;
    v.home = merge_homes(v.homes.values(), &v.ranks);
}

/// A server's part came back. Answers asked with an older generation are dropped.
pub fn loaded(
    state: &mut State,
    server_id: &str,
    generation: u64,
    result: Result<EverywhereLoaded, String>,
) -> Vec<Effect> {
    let k = key(server_id);
    let height = height(state);
    let v = &mut state.everywhere;
    match result {
        Ok(EverywhereLoaded::Home(home)) => {
            if !is_current(v.home_parts.get(&k), generation) {
                tracing::debug!(server = server_id, generation, "dropped an old home");
                return Vec::new();
            }
            v.home_parts.insert(k.clone(), Part::Answered);
            v.homes.insert(k, *home);
            remerge_home(state);
        }
        Ok(EverywhereLoaded::Search(answer)) => {
            let Some(s) = v.search.as_mut().filter(|s| s.generation == generation) else {
                tracing::debug!(server = server_id, generation, "dropped an old search");
                return Vec::new();
            };
            s.parts.insert(k, Part::Answered);
            s.merge.add(*answer, &v.ranks);
        }
        Err(e) => {
            if is_current(v.home_parts.get(&k), generation) {
                v.home_parts.insert(k.clone(), Part::Failed(e));
                if v.homes.remove(&k).is_some() {
                    remerge_home(state);
                }
            } else if let Some(s) = v.search.as_mut().filter(|s| s.generation == generation) {
                s.parts.insert(k, Part::Failed(e));
            } else {
                return Vec::new();
            }
        }
    }
    state.everywhere.rebuild(height);
    Vec::new()
}

fn is_current(part: Option<&Part>, generation: u64) -> bool {
    matches!(part, Some(Part::Waiting { generation: g, .. }) if *g == generation)
}

/// The clock ticked: requests asked before the clock was known start counting now.
pub fn tick(state: &mut State) {
    let now = state.now_ms;
    let v = &mut state.everywhere;
    let parts = v
        .home_parts
        .values_mut()
        .chain(v.search.iter_mut().flat_map(|s| s.parts.values_mut()));
    for p in parts {
        if let Part::Waiting { since, .. } = p
            && *since == 0
        {
            *since = now;
        }
    }
}

/// What the footer says: each server that is slow, down or signed out, with a word on why.
pub fn footer(state: &State) -> Vec<(String, &'static str)> {
    let v = &state.everywhere;
    let mut out = Vec::new();
    for r in &state.servers.rows {
        let k = key(&r.id);
        let part = match &v.search {
            Some(s) => s.parts.get(&k),
            None => v.home_parts.get(&k),
        };
        let what = match (part, r.state) {
            (Some(Part::Answered), _) => continue,
            (Some(Part::Waiting { since, .. }), _) => {
                if *since > 0 && state.now_ms.saturating_sub(*since) >= SLOW_MS {
                    "slow to answer"
                } else {
                    continue;
                }
            }
            (_, "sign_in_required") => "signed out",
            (_, "unavailable") if state.servers.is_checking(&r.id) => "connecting…",
            (_, "unavailable") => "unreachable",
            (Some(Part::Failed(_)), _) => "could not answer",
            (None, _) => continue,
        };
        out.push((r.name.clone(), what));
    }
    out
}

/// How many servers' parts are on screen now.
pub fn answered(state: &State) -> usize {
    let v = &state.everywhere;
    match &v.search {
        Some(s) => s.parts.values().filter(|p| **p == Part::Answered).count(),
        None => v.homes.len(),
    }
}

/// After start with saved sessions, the app opens on this tab.
pub fn open_on_start(state: &mut State) {
    if state.servers.rows.iter().any(|r| r.state == "signed_in") {
        state.everywhere.ranks = Ranks::from_reports(&state.servers.rows);
        state.pane = Pane::All;
        let height = height(state);
        state.everywhere.rebuild(height);
    }
}

/// Show the tab.
pub fn show(state: &mut State) {
    state.pane = Pane::All;
    let height = height(state);
    state.everywhere.rebuild(height);
}

/// A key command on the tab.
pub fn command(state: &mut State, cmd: Command) -> Vec<Effect> {
    let height = height(state);
    let v = &mut state.everywhere;
    match cmd {
        Command::Down | Command::Up | Command::PageDown | Command::PageUp => {
            let (forward, steps) = match cmd {
                Command::Down => (true, 1),
                Command::Up => (false, 1),
                Command::PageDown => (true, height.max(1)),
                _ => (false, height.max(1)),
            };
            v.step(forward, steps, height);
            v.pick = 0;
            v.message = None;
        }
        Command::Top => {
            v.first_item(height);
            v.pick = 0;
        }
        Command::Bottom => {
            v.last_item(height);
            v.pick = 0;
        }
        Command::Open => return open(state, Open::Enter),
        Command::Details => return open(state, Open::Details),
        Command::Play => return open(state, Open::Play),
        Command::OtherServer => {
            let Some(servers) = v.selected().map(|m| {
                m.sources
                    .iter()
                    .map(|s| s.server_id.clone())
                    .collect::<Vec<_>>()
            }) else {
                return Vec::new();
            };
            let n = servers.len();
            if n < 2 {
                let name = v.ranks.name(&servers[0]).to_string();
                v.message = Some(Message::info(format!("Only on {name}.")));
                return Vec::new();
            }
            v.pick = (v.pick + 1) % n;
            let text = format!(
                "Enter opens it on {} ({} of its {n} servers).",
                v.ranks.name(&servers[v.pick]),
                v.pick + 1
            );
            v.message = Some(Message::info(text));
        }
        Command::Search => {
            v.typing = true;
            // the last term, selected: typing replaces it, a cursor key keeps it
            v.prompt = TextInput::new(v.search.as_ref().map_or("", |s| s.term.as_str()));
            v.prompt.select_all();
        }
        Command::Back => {
            if v.search.is_some() {
                v.search = None;
                v.prompt.set("");
                v.rebuild(height);
            } else {
                state.pane = Pane::Servers;
            }
        }
        Command::Refresh => {
            let servers = signed_in(state);
            let mut effects: Vec<Effect> = servers.iter().map(|id| ask_home(state, id)).collect();
            if let Some(term) = state.everywhere.search.take().map(|s| s.term) {
                effects.extend(search_for(state, &term));
            }
            state.everywhere.message = Some(Message::info("Asking every server again…"));
            return effects;
        }
        Command::ToServers => state.pane = Pane::Servers,
        _ => {}
    }
    Vec::new()
}

/// A key command while the search prompt has the keyboard.
pub fn search_command(state: &mut State, cmd: Command) -> Vec<Effect> {
    let height = height(state);
    let v = &mut state.everywhere;
    match cmd {
        Command::Submit => {
            v.typing = false;
            Vec::new()
        }
        Command::Cancel => {
            v.typing = false;
            v.prompt.set("");
            search_for(state, "")
        }
        Command::Down | Command::Up => {
            v.step(cmd == Command::Down, 1, height);
            v.pick = 0;
            Vec::new()
        }
        Command::Quit => {
            state.quit = true;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// An edit of the search prompt (a key or a paste): search again when its text changed.
pub fn edit(state: &mut State, edit: impl FnOnce(&mut TextInput)) -> Vec<Effect> {
    let before = state.everywhere.prompt.value().to_string();
    edit(&mut state.everywhere.prompt);
    let term = state.everywhere.prompt.value().to_string();
    if term == before {
        return Vec::new();
    }
    search_for(state, &term)
}

/// A click on row `row` of the screen: the first click selects, the second opens.
pub fn click(state: &mut State, row: u16) -> Vec<Effect> {
    let area = rows_area(state.areas().body);
    if row < area.y || row >= area.y + area.height {
        return Vec::new();
    }
    let v = &mut state.everywhere;
    let target = v.top + usize::from(row - area.y);
    if target == v.cursor {
        return open(state, Open::Enter);
    }
    if v.is_item(target) {
        v.cursor = target;
        v.pick = 0;
    }
    Vec::new()
}

/// Open the selected row on the server picked for it (the fastest unless `o` picked another):
/// in that server's session tab, its details (or its children, for a folder).
/// What Enter, `i` and `P` do with the selected row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    /// Enter: the play menu of something playable, else the item in its server's tab.
    Enter,
    /// `i`: its details in its server's tab.
    Details,
    /// `P`: the play menu (or why it is not playable).
    Play,
}

/// The selected row on the server picked for it (the fastest unless `o` chose another): opened
/// in that server's tab, or played through that server.
fn open(state: &mut State, how: Open) -> Vec<Effect> {
    let v = &state.everywhere;
    let Some(m) = v.selected() else {
        return Vec::new();
    };
    let source = &m.sources[v.picked_source()];
    let server_id = source.server_id.clone();
    let name = v.ranks.name(&server_id).to_string();
    if !v.ranks.reachable(&server_id) {
        let other = if m.sources.len() > 1 {
            " (o picks another of its servers)"
        } else {
            ""
        };
        state.everywhere.message = Some(Message::error(format!(
            "{name} cannot be reached now{other}."
        )));
        return Vec::new();
    }
    let item = m.item_on(source);
    state.everywhere.message = None;
    state.everywhere.pick = 0;
    match how {
        Open::Play => super::play::open_menu(state, &server_id, item),
        Open::Enter if super::play::is_playable(&item) => {
            super::play::open_menu(state, &server_id, item)
        }
        _ => browse::open_item_on(state, &server_id, &name, item, how == Open::Details),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Action, Tab, update};
    use crate::session::ServerReport;
    use crate::session::everywhere::Found;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn report(id: &str, state: &'static str) -> ServerReport {
        ServerReport {
            id: id.into(),
            name: id.to_uppercase(),
            source: "connect",
            state,
            mode: Some("local"),
            address: None,
            local_address: None,
            remote_address: None,
            manual_address: None,
            user_id: None,
            user_name: None,
            latency_ms: Some(1),
            error: (state != "signed_in").then(|| "refused".to_string()),
            link_type: None,
            last_used_ms: 0,
        }
    }

    fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
        update(s, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn started(ids: &[&str]) -> State {
        let mut s = State::new("pin");
        update(&mut s, Action::Resize(100, 30));
        update(
            &mut s,
            Action::Started {
                connect_user: None,
                servers: ids.iter().map(|i| report(i, "signed_in")).collect(),
                notices: vec![],
            },
        );
        s
    }

    fn server(s: &mut State, r: ServerReport) -> Vec<Effect> {
        update(
            s,
            Action::Session(crate::session::Event::Server(Box::new(r))),
        )
    }

    fn home_with(server_id: &str, name: &str) -> Action {
        Action::Everywhere {
            server_id: server_id.into(),
            generation: 0,
            result: Ok(EverywhereLoaded::Home(Box::new(ServerHome {
                server_id: server_id.into(),
                resume: vec![Found::new(
                    server_id,
                    crate::emby::models::BaseItemDto {
                        id: Some(format!("{server_id}-1")),
                        name: Some(name.into()),
                        item_type: Some("Movie".into()),
                        ..Default::default()
                    },
                )],
                ..Default::default()
            }))),
        }
    }

    fn answered_home(s: &mut State, server_id: &str, effects: &[Effect], name: &str) {
        let generation = effects
            .iter()
            .find_map(|e| match e {
                Effect::Everywhere {
                    server_id: id,
                    generation,
                    request: EverywhereRequest::Home,
                } if id == server_id => Some(*generation),
                _ => None,
            })
            .expect("the home was asked");
        let Action::Everywhere {
            server_id, result, ..
        } = home_with(server_id, name)
        else {
            unreachable!()
        };
        update(
            s,
            Action::Everywhere {
                server_id,
                generation,
                result,
            },
        );
    }

    fn names(s: &State) -> Vec<String> {
        s.everywhere
            .rows
            .iter()
            .filter_map(|r| s.everywhere.merged(*r))
            .map(|m| m.item.name.clone().unwrap_or_default())
            .collect()
    }

    #[test]
    fn a_large_answer_reaches_the_ui_in_parts_that_merge_to_the_whole() {
        use crate::app::action::ANSWER_PART;
        use crate::session::everywhere::{SearchGroup, ServerSearch};
        let item = |i: usize| {
            Found::new(
                "a",
                crate::emby::models::BaseItemDto {
                    id: Some(format!("i{i}")),
                    name: Some(format!("Night {i}")),
                    item_type: Some("Movie".into()),
                    ..Default::default()
                },
            )
        };
        let films: Vec<Found> = (0..2 * ANSWER_PART + 500).map(item).collect();
        let people: Vec<Found> = (0..10).map(|i| item(10_000 + i)).collect();
        let whole = Action::Everywhere {
            server_id: "a".into(),
            generation: 7,
            result: Ok(EverywhereLoaded::Search(Box::new(ServerSearch {
                server_id: "a".into(),
                term: "night".into(),
                groups: vec![(SearchGroup::Films, films), (SearchGroup::People, people)],
            }))),
        };
        let parts = whole.in_parts();
        let sizes: Vec<(u64, usize)> = parts
            .iter()
            .map(|p| match p {
                Action::Everywhere {
                    generation,
                    result: Ok(EverywhereLoaded::Search(s)),
                    ..
                } => (*generation, s.groups.iter().map(|(_, f)| f.len()).sum()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            sizes,
            [(7, ANSWER_PART), (7, ANSWER_PART), (7, 510)],
            "parts of at most {ANSWER_PART}, all of the same search"
        );
        // merged one after the other they give the whole answer
        let mut s = started(&["a"]);
        s.pane = Pane::All;
        key(&mut s, KeyCode::Char('/'));
        let generation = match key(&mut s, KeyCode::Char('n')).first() {
            Some(Effect::Everywhere { generation, .. }) => *generation,
            other => panic!("{other:?}"),
        };
        for p in parts {
            let Action::Everywhere { result, .. } = p else {
                unreachable!()
            };
            update(
                &mut s,
                Action::Everywhere {
                    server_id: "a".into(),
                    generation,
                    result,
                },
            );
        }
        let merge = &s.everywhere.search.as_ref().unwrap().merge;
        assert_eq!(merge.count(SearchGroup::Films), 2 * ANSWER_PART + 500);
        assert_eq!(merge.count(SearchGroup::People), 10);
        // a small answer stays whole
        assert_eq!(home_with("a", "x").in_parts().len(), 1);
    }

    #[test]
    fn the_all_tab_comes_first_and_tab_and_zero_reach_it() {
        let mut s = started(&["a"]);
        let tabs: Vec<Tab> = s.tabs().into_iter().map(|(t, _)| t).collect();
        assert_eq!(tabs, [Tab::SignIn, Tab::Servers, Tab::All]);
        // a session of the server, then Tab cycles All -> session -> All
        s.pane = Pane::Servers;
        key(&mut s, KeyCode::Enter);
        assert_eq!(s.pane, Pane::Session);
        let tabs: Vec<Tab> = s.tabs().into_iter().map(|(t, _)| t).collect();
        assert_eq!(tabs[2..], [Tab::All, Tab::Session(0)]);
        key(&mut s, KeyCode::Tab);
        assert_eq!(s.pane, Pane::All);
        key(&mut s, KeyCode::Tab);
        assert_eq!(s.current_tab(), Tab::Session(0));
        key(&mut s, KeyCode::BackTab);
        assert_eq!(s.pane, Pane::All);
        s.pane = Pane::Servers;
        key(&mut s, KeyCode::Char('0'));
        assert_eq!(s.pane, Pane::All);
        key(&mut s, KeyCode::Char('1'));
        assert_eq!(s.current_tab(), Tab::Session(0));
    }

    #[test]
    fn a_server_that_goes_down_leaves_the_view_and_is_asked_again_when_it_comes_back() {
        let mut s = started(&["a", "b"]);
        let asked_a = server(&mut s, report("a", "signed_in"));
        let asked_b = server(&mut s, report("b", "signed_in"));
        answered_home(&mut s, "a", &asked_a, "Alpha film");
        answered_home(&mut s, "b", &asked_b, "Beta film");
        assert_eq!(names(&s), ["Alpha film", "Beta film"]);
        // b goes down: its rows leave, the footer names it, nothing is asked of it
        assert!(server(&mut s, report("b", "unavailable")).is_empty());
        assert_eq!(names(&s), ["Alpha film"]);
        assert_eq!(footer(&s), [("B".to_string(), "unreachable")]);
        // b comes back: asked again, and its rows are filled in
        let again = server(&mut s, report("b", "signed_in"));
        answered_home(&mut s, "b", &again, "Beta film");
        assert_eq!(names(&s), ["Alpha film", "Beta film"]);
        assert!(footer(&s).is_empty());
        // an answer to the request made before it went down is dropped
        let mut stale = home_with("b", "Old Beta film");
        if let Action::Everywhere { generation, .. } = &mut stale {
            *generation = asked_b
                .iter()
                .find_map(|e| match e {
                    Effect::Everywhere { generation, .. } => Some(*generation),
                    _ => None,
                })
                .unwrap();
        }
        update(&mut s, stale);
        assert_eq!(names(&s), ["Alpha film", "Beta film"]);
    }

    #[test]
    fn a_server_reached_faster_than_before_comes_first_in_rows_already_merged() {
        let mut s = started(&["a", "b"]);
        let asked_a = server(&mut s, report("a", "signed_in"));
        let asked_b = server(&mut s, report("b", "signed_in"));
        // the same film on both (one Imdb id); both answer
        for (id, asked) in [("a", &asked_a), ("b", &asked_b)] {
            let generation = asked
                .iter()
                .find_map(|e| match e {
                    Effect::Everywhere { generation, .. } => Some(*generation),
                    _ => None,
                })
                .unwrap();
            let mut film = Found::new(
                id,
                crate::emby::models::BaseItemDto {
                    id: Some(format!("{id}-1")),
                    name: Some("Shared film".into()),
                    item_type: Some("Movie".into()),
                    provider_ids: [("Imdb".to_string(), "tt1".to_string())].into(),
                    ..Default::default()
                },
            );
            film.prepare();
            update(
                &mut s,
                Action::Everywhere {
                    server_id: id.into(),
                    generation,
                    result: Ok(EverywhereLoaded::Home(Box::new(ServerHome {
                        server_id: id.into(),
                        resume: vec![film],
                        ..Default::default()
                    }))),
                },
            );
        }
        let first = |s: &State| {
            let rows = &s.everywhere.rows;
            let row = rows.iter().find_map(|r| s.everywhere.merged(*r)).unwrap();
            (row.sources.len(), row.sources[0].server_id.clone())
        };
        assert_eq!(first(&s), (2, "a".to_string()));
        // a is now reached over its remote address only: b, on the LAN, opens it first
        let mut remote = report("a", "signed_in");
        remote.mode = Some("remote");
        server(&mut s, remote);
        assert_eq!(first(&s), (2, "b".to_string()));
    }

    #[test]
    fn a_signed_out_server_is_named_and_a_waiting_one_only_once_it_is_slow() {
        let mut s = started(&["a", "b"]);
        update(&mut s, Action::Tick(10_000));
        server(&mut s, report("a", "signed_in"));
        server(&mut s, report("b", "sign_in_required"));
        assert_eq!(footer(&s), [("B".to_string(), "signed out")]);
        update(&mut s, Action::Tick(10_000 + SLOW_MS));
        assert_eq!(
            footer(&s),
            [
                ("A".to_string(), "slow to answer"),
                ("B".to_string(), "signed out")
            ]
        );
    }

    #[test]
    fn typing_searches_each_signed_in_server_and_escape_goes_back_home() {
        let mut s = started(&["a", "b", "c"]);
        server(&mut s, report("c", "sign_in_required"));
        s.pane = Pane::All;
        key(&mut s, KeyCode::Char('/'));
        assert_eq!(s.mode(), crate::app::Mode::AllSearch);
        let asked = key(&mut s, KeyCode::Char('x'));
        let servers: Vec<&str> = asked
            .iter()
            .filter_map(|e| match e {
                Effect::Everywhere {
                    server_id,
                    request: EverywhereRequest::Search(t),
                    ..
                } if t == "x" => Some(server_id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(servers, ["a", "b"], "not the signed-out one");
        assert!(
            key(&mut s, KeyCode::Backspace).is_empty(),
            "empty: no search"
        );
        assert!(s.everywhere.search.is_none());
        key(&mut s, KeyCode::Char('y'));
        key(&mut s, KeyCode::Enter);
        assert_eq!(s.mode(), crate::app::Mode::All);
        assert!(s.everywhere.search.is_some());
        key(&mut s, KeyCode::Esc);
        assert!(s.everywhere.search.is_none(), "back to the home rows");
        key(&mut s, KeyCode::Esc);
        assert_eq!(s.pane, Pane::Servers);
    }
}
