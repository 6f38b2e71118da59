//! "All servers" against emby-sim: one home and one search across every server (issue #12).
//! Merging by provider ids (and never by name), played state from the server it was last played
//! on, a slow and a dead server holding nobody up, newer searches never overwritten by older
//! ones, and the `search` / `home` commands.
//!
//! Nothing here asserts a time: "not delayed" is proven by order (the fast servers' rows are
//! merged while the slow server's answer is still outstanding).

mod common;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use common::*;
use emby_tui::app::everywhere::{AllRow, Part};
use emby_tui::app::{Action, Effect, Pane, State, update};
use emby_tui::emby::Secret;
use emby_tui::session::everywhere::{
    LibraryKind, Merged, Ranks, SearchGroup, merge_homes, merge_searches,
};
use emby_tui::sim::{Fault, Scenario, Sim};

// ---- the session layer, against the demo world ----

fn on(m: &Merged, sim: &Sim) -> Vec<String> {
    m.sources
        .iter()
        .map(|s| {
            sim.servers()
                .into_iter()
                .find(|x| x.id == s.server_id)
                .map(|x| x.name)
                .unwrap_or_default()
        })
        .collect()
}

/// Every signed-in demo server's answer to a search, merged.
async fn search_demo(
    hub: &emby_tui::session::Hub,
    sim: &Sim,
    term: &str,
) -> Vec<(SearchGroup, Vec<Merged>)> {
    let ids: Vec<String> = hub.reports().into_iter().map(|r| r.id).collect();
    let results = hub
        .each_server(&ids, Duration::from_secs(20), |id| async move {
            hub.everywhere_search(&id, term, 50).await
        })
        .await;
    let answers = results
        .into_iter()
        .map(|(id, r)| r.unwrap_or_else(|e| panic!("{id}: {e}")))
        .collect();
    let _ = sim;
    merge_searches(term, answers, &Ranks::from_reports(&hub.reports()))
}

fn films(groups: &[(SearchGroup, Vec<Merged>)]) -> Vec<Merged> {
    groups
        .iter()
        .find(|(g, _)| *g == SearchGroup::Films)
        .map(|(_, rows)| rows.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_same_film_on_several_servers_is_one_row_and_two_films_of_one_name_are_two() {
    let (sim, _dir, hub) = reached_demo().await;
    let found = films(&search_demo(&hub, &sim, "midnight ferry").await);
    let of_year = |y: i32| -> Vec<&Merged> {
        found
            .iter()
            .filter(|m| {
                m.item.production_year == Some(y)
                    && m.item.name.as_deref() == Some("Midnight Ferry")
            })
            .collect()
    };
    // the 1998 film: Living Room and Cabin share its Imdb id; Living Room is local, so first
    let ferry = of_year(1998);
    assert_eq!(ferry.len(), 1, "{found:#?}");
    assert_eq!(on(ferry[0], &sim), ["Living Room", "Cabin"]);
    // the 2011 film of the same name on Friend's Server is another film
    let other = of_year(2011);
    assert_eq!(other.len(), 1);
    assert_eq!(on(other[0], &sim), ["Friend's Server"]);

    // one film under two names (Friend's Server calls it the Extended Cut; only Tmdb is shared)
    let found = films(&search_demo(&hub, &sim, "the long night").await);
    let night: Vec<&Merged> = found.iter().filter(|m| m.sources.len() > 1).collect();
    assert_eq!(night.len(), 1, "{found:#?}");
    let mut servers = on(night[0], &sim);
    servers.sort();
    assert_eq!(servers, ["Cabin", "Friend's Server", "Living Room"]);
    assert_eq!(
        on(night[0], &sim)[2],
        "Cabin",
        "the LAN servers before the remote one"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_merged_home_shares_rows_and_matches_episodes_by_their_series() {
    let (sim, _dir, hub) = reached_demo().await;
    let mut homes = Vec::new();
    for r in hub.reports() {
        homes.push(hub.everywhere_home(&r.id).await.unwrap());
    }
    let home = merge_homes(&homes, &Ranks::from_reports(&hub.reports()));
    // Next Up: S01E02 of Harbour Lights on all three servers (different episode names and
    // series years, no episode ids: matched by the series' Tvdb id, season and number)
    let harbour: Vec<&Merged> = home
        .next_up
        .iter()
        .filter(|m| m.item.series_name.as_deref() == Some("Harbour Lights"))
        .collect();
    assert_eq!(harbour.len(), 1, "{:#?}", home.next_up);
    assert_eq!(
        (
            harbour[0].item.parent_index_number,
            harbour[0].item.index_number
        ),
        (Some(1), Some(2))
    );
    assert_eq!(harbour[0].sources.len(), 3);
    // Latest per kind of library: movies, shows, music
    let kinds: Vec<LibraryKind> = home.latest.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        kinds,
        [LibraryKind::Movies, LibraryKind::Shows, LibraryKind::Music]
    );
    let movies = &home.latest[0].1;
    assert!(
        movies.iter().any(|m| m.sources.len() == 3),
        "The Long Night, on three servers: {movies:#?}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn played_and_resume_state_come_from_the_server_it_was_last_played_on() {
    let (sim, _dir, hub) = reached_demo().await;
    let ferry_1998 = |groups: &[(SearchGroup, Vec<Merged>)]| -> Merged {
        films(groups)
            .into_iter()
            .find(|m| m.item.production_year == Some(1998))
            .expect("the 1998 Midnight Ferry")
    };
    // both copies are half-watched; Living Room's was played later, so its position shows
    let row = ferry_1998(&search_demo(&hub, &sim, "midnight ferry").await);
    let living_id = id_of(&sim, "Living Room");
    let cabin_id = id_of(&sim, "Cabin");
    let at = |row: &Merged, id: &str| row.sources.iter().position(|s| s.server_id == id).unwrap();
    let position = |row: &Merged, id: &str| {
        row.user_data_of(at(row, id))
            .and_then(|u| u.playback_position_ticks)
            .unwrap()
    };
    assert_ne!(
        position(&row, &living_id),
        position(&row, &cabin_id),
        "two different positions to tell apart"
    );
    let ud = row.item.user_data.clone().unwrap();
    assert_eq!(ud.playback_position_ticks, Some(position(&row, &living_id)));
    assert!(ud.playback_position_ticks.unwrap() > 0);
    assert_eq!(ud.played, Some(false));

    // now it is watched to the end on Cabin: that is the latest play, so it shows as played
    let cabin_item = row
        .sources
        .iter()
        .find(|s| s.server_id == cabin_id)
        .unwrap()
        .item_id
        .clone();
    hub.set_played(&cabin_id, &cabin_item, true).await.unwrap();
    let row = ferry_1998(&search_demo(&hub, &sim, "midnight ferry").await);
    let ud = row.item.user_data.clone().unwrap();
    assert_eq!(ud.played, Some(true), "{row:#?}");
    assert_eq!(
        row.user_data_of(at(&row, &living_id)).unwrap().played,
        Some(false),
        "Living Room's own state is kept with its source"
    );
    // opening it on Living Room gives Living Room's state
    let on_living = row.item_on(&row.sources[at(&row, &living_id)]);
    assert!(
        on_living
            .user_data
            .unwrap()
            .playback_position_ticks
            .unwrap()
            > 0
    );
    sim.shutdown().await;
}

// ---- five servers, one slow and one dead, through the real worker and the app ----

const FIVE: &str = r#"
[[connect.users]]
name = "demo"
email = "demo@example.com"
password = "demo"

[[servers]]
name = "Alpha"
library = { movies = 30, series = 2, seasons = 1, episodes = 4, albums = 0, tracks = 0 }
[[servers.users]]
name = "a"
password = "a"
connect = "demo"
[[servers.titles]]
movie = 29
name = "Shared Night"
imdb = "tt7500001"

[[servers]]
name = "Beta"
library = { movies = 30, series = 2, seasons = 1, episodes = 4, albums = 0, tracks = 0 }
[[servers.users]]
name = "b"
password = "b"
connect = "demo"
[[servers.titles]]
movie = 29
name = "Shared Night (Director's Cut)"
imdb = "tt7500001"
[[servers.titles]]
movie = 28
name = "Shared Night"
year = 1970

[[servers]]
name = "Gamma"
library = { movies = 30, series = 2, seasons = 1, episodes = 4, albums = 0, tracks = 0 }
[[servers.users]]
name = "c"
password = "c"
connect = "demo"

[[servers]]
name = "Slow"
library = { movies = 30, series = 2, seasons = 1, episodes = 4, albums = 0, tracks = 0 }
faults.local = { delay_ms = 1000 }
faults.remote = { delay_ms = 1000 }
[[servers.users]]
name = "s"
password = "s"
connect = "demo"
[[servers.titles]]
movie = 29
name = "Shared Night"
imdb = "tt7500001"

[[servers]]
name = "Dead"
library = { movies = 30, series = 2, seasons = 1, episodes = 4, albums = 0, tracks = 0 }
faults.local = { blackhole = true }
faults.remote = { blackhole = true }
[[servers.users]]
name = "d"
password = "d"
connect = "demo"
"#;

struct Ui {
    state: State,
    effects: UnboundedSender<Effect>,
    actions: UnboundedReceiver<Action>,
    sim: Sim,
    _dir: tempfile::TempDir,
}

impl Ui {
    /// The five-server world, signed in once (so the sessions are saved), then the UI started
    /// afresh on it, as a user opening the app again.
    async fn five() -> Ui {
        let sim = Sim::start(Scenario::from_toml_str(FIVE).unwrap())
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        {
            let hub = hub(&sim, dir.path());
            hub.connect_sign_in("demo", &Secret::new("demo"))
                .await
                .unwrap();
            hub.refresh().await.unwrap();
        }
        let cfg = session_config(&sim, dir.path());
        let (snapshot, effects, actions) = emby_tui::worker::spawn(cfg).unwrap();
        let mut state =
            emby_tui::tui::initial_state(snapshot, emby_tui::tui::Setup::new(sim.pin_page_url()));
        let _ = update(&mut state, Action::Resize(120, 40));
        let _ = update(&mut state, Action::Tick(1_700_000_000_000));
        effects.send(Effect::Start).unwrap();
        Ui {
            state,
            effects,
            actions,
            sim,
            _dir: dir,
        }
    }

    fn act(&mut self, a: Action) {
        for e in update(&mut self.state, a) {
            self.effects.send(e).expect("worker alive");
        }
    }

    fn key(&mut self, code: KeyCode) {
        self.act(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    /// Apply the worker's results until `pred` holds (bounded; no timing is asserted).
    async fn until(&mut self, what: &str, pred: impl Fn(&State) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
        while !pred(&self.state) {
            match tokio::time::timeout_at(deadline, self.actions.recv()).await {
                Ok(Some(a)) => self.act(a),
                Ok(None) => panic!("the worker stopped while waiting for: {what}"),
                Err(_) => panic!(
                    "timed out waiting for: {what}\nparts: {:#?}\nfooter: {:?}",
                    self.state.everywhere.home_parts,
                    emby_tui::app::everywhere::footer(&self.state)
                ),
            }
        }
    }

    fn id(&self, name: &str) -> String {
        id_of(&self.sim, name).to_ascii_lowercase()
    }
}

fn home_part(s: &State, id: &str) -> Option<Part> {
    s.everywhere.home_parts.get(id).cloned()
}

/// The merged rows on screen with the names of their servers.
fn shown(s: &State) -> Vec<(String, Vec<String>)> {
    let v = &s.everywhere;
    v.rows
        .iter()
        .filter_map(|r| v.merged(*r))
        .map(|m| {
            (
                m.item.name.clone().unwrap_or_default(),
                m.sources
                    .iter()
                    .map(|src| v.ranks.name(&src.server_id).to_string())
                    .collect(),
            )
        })
        .collect()
}

fn shared_night_on(s: &State) -> Vec<String> {
    let mut on: Vec<String> = shown(s)
        .into_iter()
        .filter(|(_, on)| on.len() > 1)
        .flat_map(|(_, on)| on)
        .collect();
    on.sort();
    on.dedup();
    on
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_and_a_dead_server_hold_up_neither_the_home_nor_a_search() {
    let mut ui = Ui::five().await;
    assert_eq!(
        ui.state.pane,
        Pane::All,
        "with saved sessions the app opens on All servers"
    );
    let (alpha, beta, gamma, slow, dead) = (
        ui.id("Alpha"),
        ui.id("Beta"),
        ui.id("Gamma"),
        ui.id("Slow"),
        ui.id("Dead"),
    );
    let answered = |s: &State, id: &str| home_part(s, id) == Some(Part::Answered);

    // the three fast servers' rows are merged and shown while Slow has not answered and Dead
    // is still being tried
    ui.until("the fast servers' homes", |s| {
        [&alpha, &beta, &gamma].iter().all(|id| answered(s, id))
    })
    .await;
    assert!(
        !answered(&ui.state, &slow),
        "Slow answered before the fast ones were shown"
    );
    assert!(!answered(&ui.state, &dead));
    assert_eq!(shared_night_on(&ui.state), ["Alpha", "Beta"]);
    assert!(!ui.state.everywhere.rows.is_empty());

    // then Dead is named in the footer, and Slow's rows are filled in when it answers
    ui.until("Slow's home and Dead reported", |s| {
        answered(s, &slow)
            && emby_tui::app::everywhere::footer(s)
                .iter()
                .any(|(name, what)| name == "Dead" && *what == "unreachable")
    })
    .await;
    assert_eq!(shared_night_on(&ui.state), ["Alpha", "Beta", "Slow"]);
    // the same name without the shared id is another film: its own row
    assert!(
        shown(&ui.state)
            .iter()
            .any(|(name, on)| name == "Shared Night" && on == &["Beta".to_string()]),
        "{:#?}",
        shown(&ui.state)
    );

    // search as you type: each letter is a new search; the fast servers' results for the
    // newest term show while Slow is still answering an older one, and no older answer is
    // ever merged into the newer search
    ui.key(KeyCode::Char('/'));
    for c in "night".chars() {
        ui.key(KeyCode::Char(c));
    }
    let generation = ui.state.everywhere.search.as_ref().unwrap().generation;
    let search_part = |s: &State, id: &str| -> Option<Part> {
        s.everywhere
            .search
            .as_ref()
            .and_then(|x| x.parts.get(id).cloned())
    };
    ui.until("the fast servers' results", |s| {
        [&alpha, &beta, &gamma]
            .iter()
            .all(|id| search_part(s, id) == Some(Part::Answered))
    })
    .await;
    assert_ne!(
        search_part(&ui.state, &slow),
        Some(Part::Answered),
        "Slow answered before the fast servers' results were shown"
    );
    assert!(shared_night_on(&ui.state).contains(&"Alpha".to_string()));
    ui.until("Slow's results", |s| {
        search_part(s, &slow) == Some(Part::Answered)
    })
    .await;
    let s = ui.state.everywhere.search.as_ref().unwrap();
    assert_eq!((s.term.as_str(), s.generation), ("night", generation));
    let names = shown(&ui.state);
    assert!(!names.is_empty());
    for (name, _) in &names {
        assert!(
            name.to_lowercase().contains("night"),
            "an answer to an older search was merged: {name}"
        );
    }
    assert_eq!(shared_night_on(&ui.state), ["Alpha", "Beta", "Slow"]);
    // Enter on the merged row opens it on the fastest server it is on, in that server's tab
    let at = ui
        .state
        .everywhere
        .rows
        .iter()
        .position(|r| {
            ui.state
                .everywhere
                .merged(*r)
                .is_some_and(|m| m.sources.len() > 1)
        })
        .unwrap();
    ui.key(KeyCode::Enter); // out of the prompt, to the results
    while ui.state.everywhere.cursor < at {
        ui.key(KeyCode::Down);
    }
    let first = ui.state.everywhere.selected().unwrap().sources[0]
        .server_id
        .clone();
    ui.key(KeyCode::Char('o'));
    let second = ui.state.everywhere.selected().unwrap().sources[1]
        .server_id
        .clone();
    assert_ne!(first, second);
    ui.key(KeyCode::Char('i')); // its details, on the server picked
    assert_eq!(ui.state.pane, Pane::Session);
    let tab = &ui.state.sessions[ui.state.active];
    assert!(
        tab.server_id.eq_ignore_ascii_case(&second),
        "o picked the second server"
    );
    ui.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worker_cancels_a_search_a_newer_one_replaces() {
    let sim = Sim::start(Scenario::from_toml_str(FIVE).unwrap())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(&sim, dir.path());
    hub.connect_sign_in("demo", &Secret::new("demo"))
        .await
        .unwrap();
    let slow = id_of(&sim, "Slow");
    hub.refresh().await.unwrap();
    let (etx, erx) = tokio::sync::mpsc::unbounded_channel();
    let (atx, mut arx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(emby_tui::worker::run(hub, erx, atx));
    let search = |generation: u64, term: &str| Effect::Everywhere {
        server_id: slow.clone(),
        generation,
        request: emby_tui::app::action::EverywhereRequest::Search(term.into()),
    };
    // both go to the same slow server one after the other: uncancelled, the older one would
    // answer first
    etx.send(search(1, "ni")).unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    etx.send(search(2, "night")).unwrap();
    let first = tokio::time::timeout(Duration::from_secs(20), arx.recv())
        .await
        .expect("an answer")
        .expect("the worker runs");
    let Action::Everywhere {
        generation, result, ..
    } = first
    else {
        panic!("{first:?}")
    };
    assert_eq!(generation, 2, "the older search was cancelled");
    assert!(result.is_ok());
    sim.shutdown().await;
}

#[test]
fn an_answer_to_an_older_search_is_dropped_by_the_app() {
    use emby_tui::app::action::{EverywhereLoaded, EverywhereRequest};
    use emby_tui::emby::models::BaseItemDto;
    use emby_tui::session::ServerReport;
    use emby_tui::session::everywhere::{Found, ServerSearch};

    let report = ServerReport {
        id: "a".into(),
        name: "Alpha".into(),
        source: "connect",
        state: "signed_in",
        mode: Some("local"),
        address: None,
        local_address: None,
        remote_address: None,
        manual_address: None,
        user_id: None,
        user_name: None,
        latency_ms: Some(3),
        error: None,
        link_type: None,
        last_used_ms: 0,
    };
    let mut s = State::new("pin");
    let _ = update(&mut s, Action::Resize(100, 30));
    let _ = update(
        &mut s,
        Action::Started {
            connect_user: None,
            servers: vec![report],
            notices: vec![],
        },
    );
    let _ = update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('0'), KeyModifiers::NONE)),
    );
    let _ = update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE)),
    );
    let asked = |effects: Vec<Effect>| -> u64 {
        match effects.as_slice() {
            [
                Effect::Everywhere {
                    generation,
                    request: EverywhereRequest::Search(_),
                    ..
                },
            ] => *generation,
            other => panic!("one search per server: {other:?}"),
        }
    };
    let key = |s: &mut State, c| {
        update(
            s,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        )
    };
    let older = asked(key(&mut s, 'a'));
    let newer = asked(key(&mut s, 'b'));
    assert!(newer > older);
    let answer = |generation: u64, term: &str, name: &str| Action::Everywhere {
        server_id: "a".into(),
        generation,
        result: Ok(EverywhereLoaded::Search(Box::new(ServerSearch {
            server_id: "a".into(),
            term: term.into(),
            groups: vec![(
                SearchGroup::Films,
                vec![Found::new(
                    "a",
                    BaseItemDto {
                        id: Some(name.into()),
                        name: Some(name.into()),
                        item_type: Some("Movie".into()),
                        ..Default::default()
                    },
                )],
            )],
        }))),
    };
    // the newer answer comes first, the older one after it: the older is dropped
    let _ = update(&mut s, answer(newer, "ab", "Abba"));
    let _ = update(&mut s, answer(older, "a", "Aardvark"));
    let names: Vec<String> = s
        .everywhere
        .rows
        .iter()
        .filter_map(|r| s.everywhere.merged(*r))
        .map(|m| m.item.name.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, ["Abba"]);
    assert!(matches!(s.everywhere.rows[0], AllRow::Header(_)));
}

// ---- the command line ----

fn sources(entry: &Value) -> Vec<String> {
    entry["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["server_name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn search_and_home_print_merged_results_and_a_dead_server_only_on_stderr() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    cli_login(&sim, dir.path()).await;

    let run = emby_tui(
        &sim,
        dir.path(),
        &["search", "midnight ferry", "--json"],
        None,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list = json(&run);
    for e in list.as_array().unwrap() {
        let mut keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["name", "sources", "type", "year"], "{e}");
        for s in e["sources"].as_array().unwrap() {
            assert!(
                s["server_id"].is_string() && s["item_id"].is_string(),
                "{s}"
            );
        }
    }
    let ferry = |year: i64| -> Vec<&Value> {
        list.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["name"] == "Midnight Ferry" && e["year"] == year)
            .collect()
    };
    assert_eq!(ferry(1998).len(), 1);
    assert_eq!(
        sources(ferry(1998)[0]),
        ["Living Room", "Cabin"],
        "fastest first"
    );
    assert_eq!(sources(ferry(2011)[0]), ["Friend's Server"]);
    assert!(!run.stdout.contains("AccessToken") && !run.stdout.contains("api_key"));

    let run = emby_tui(&sim, dir.path(), &["home", "--json"], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = json(&run);
    let mut keys: Vec<&str> = home
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(keys, ["continue_watching", "latest", "next_up"]);
    let resumed = home["continue_watching"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Midnight Ferry")
        .expect("Midnight Ferry is half-watched");
    assert_eq!(sources(resumed), ["Living Room", "Cabin"]);
    assert!(resumed["position_ticks"].as_i64().unwrap() > 0);
    assert_eq!(resumed["played"], false);
    assert!(
        home["next_up"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["sources"].as_array().unwrap().len() == 3),
        "Harbour Lights' next episode is on three servers: {}",
        home["next_up"]
    );

    // only the servers asked for
    let living = id_of(&sim, "Living Room");
    let run = emby_tui(
        &sim,
        dir.path(),
        &["search", "midnight ferry", "--server", &living, "--json"],
        None,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    for e in json(&run).as_array().unwrap() {
        assert_eq!(sources(e), ["Living Room"]);
    }

    // Cabin dies: said on stderr, the others are still printed, and the command succeeds
    fault_everywhere(
        &sim,
        &id_of(&sim, "Cabin"),
        Fault {
            blackhole: true,
            ..Fault::default()
        },
    );
    let run = emby_tui(&sim, dir.path(), &["search", "midnight ferry"], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("Cabin"), "{}", run.stderr);
    assert!(run.stdout.contains("Films"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("Midnight Ferry (1998)  on Living Room\n"),
        "{}",
        run.stdout
    );

    // no server answers: status 1 and a sentence
    for name in ["Living Room", "Friend's Server"] {
        fault_everywhere(
            &sim,
            &id_of(&sim, name),
            Fault {
                refuse: true,
                ..Fault::default()
            },
        );
    }
    let run = emby_tui(&sim, dir.path(), &["home"], None).await;
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("no server answered"), "{}", run.stderr);
    sim.shutdown().await;
}
