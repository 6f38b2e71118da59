//! The "All servers" tab drawn on ratatui's TestBackend and compared with insta snapshots:
//! merged home rows saying which servers each is on, rows filling in while a slow server is
//! waited for, the footer naming servers that are slow, down or signed out, and search
//! everywhere grouped by kind. States are built through the Actions the worker sends, with fixed
//! data (no ports, real ids or clocks).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use emby_tui::app::action::{EverywhereLoaded, EverywhereRequest};
use emby_tui::app::{Action, Effect, Overlay, Pane, State, update};
use emby_tui::emby::models::{BaseItemDto, UserItemDataDto};
use emby_tui::session::everywhere::{Found, LibraryKind, SearchGroup, ServerHome, ServerSearch};
use emby_tui::session::{Event, ServerReport, Snapshot};

const NOW: u64 = 1_700_000_000_000;

fn draw(state: &State) -> String {
    let mut t = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    t.draw(|f| emby_tui::ui::draw(f, state)).unwrap();
    t.backend().to_string()
}

fn act(s: &mut State, a: Action) -> Vec<Effect> {
    update(s, a)
}

fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    act(s, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn report(
    id: &str,
    name: &str,
    state: &'static str,
    mode: Option<&'static str>,
    ms: u64,
) -> ServerReport {
    ServerReport {
        id: id.into(),
        name: name.into(),
        source: "connect",
        state,
        mode,
        address: None,
        local_address: None,
        remote_address: None,
        manual_address: None,
        user_id: Some("u".into()),
        user_name: Some("demo".into()),
        latency_ms: mode.map(|_| ms),
        error: (state != "signed_in").then(|| "no address answered".to_string()),
        link_type: Some("linked"),
        last_used_ms: NOW,
    }
}

fn living() -> ServerReport {
    report("living", "Living Room", "signed_in", Some("local"), 2)
}
fn cabin() -> ServerReport {
    report("cabin", "Cabin", "signed_in", Some("remote"), 87)
}
fn friend() -> ServerReport {
    report("friend", "Friend's Server", "signed_in", Some("local"), 9)
}
fn attic() -> ServerReport {
    report("attic", "Attic", "unavailable", None, 0)
}

/// The app as it opens with saved sessions (on All servers), every server then reported.
fn opened(reports: &[ServerReport]) -> (State, Vec<Effect>) {
    let mut s = emby_tui::tui::initial_state(
        Snapshot {
            connect_user: Some("demo".into()),
            servers: reports.to_vec(),
            notices: vec![],
        },
        emby_tui::tui::Setup::new("https://emby.media/pin"),
    );
    act(&mut s, Action::Resize(110, 30));
    act(&mut s, Action::Tick(NOW));
    assert_eq!(
        s.pane,
        Pane::All,
        "with saved sessions the app opens on All servers"
    );
    let mut effects = Vec::new();
    for r in reports {
        effects.extend(act(
            &mut s,
            Action::Session(Event::Server(Box::new(r.clone()))),
        ));
    }
    (s, effects)
}

/// The generation the tab asked `server`'s part with.
fn asked(effects: &[Effect], server: &str) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Everywhere {
                server_id,
                generation,
                ..
            } if server_id == server => Some(*generation),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{server} was not asked: {effects:?}"))
}

struct It {
    id: &'static str,
    name: &'static str,
    kind: &'static str,
    imdb: Option<&'static str>,
    year: i32,
}

fn it(
    id: &'static str,
    name: &'static str,
    kind: &'static str,
    imdb: Option<&'static str>,
    year: i32,
) -> It {
    It {
        id,
        name,
        kind,
        imdb,
        year,
    }
}

fn found(server: &str, i: It) -> Found {
    Found::new(
        server,
        BaseItemDto {
            id: Some(format!("{server}-{}", i.id)),
            name: Some(i.name.into()),
            item_type: Some(i.kind.into()),
            is_folder: Some(i.kind == "Series"),
            production_year: (i.year > 0).then_some(i.year),
            run_time_ticks: (i.kind == "Movie").then_some(100 * 60 * 10_000_000),
            provider_ids: i
                .imdb
                .map(|v| [("Imdb".to_string(), v.to_string())].into())
                .unwrap_or_default(),
            ..Default::default()
        },
    )
}

fn resumed(mut f: Found, day: u32, position: i64) -> Found {
    f.item.user_data = Some(UserItemDataDto {
        last_played_date: Some(format!("2024-03-{day:02}T20:00:00.0000000Z")),
        playback_position_ticks: Some(position),
        played: Some(false),
        ..Default::default()
    });
    f
}

fn added(mut f: Found, day: u32) -> Found {
    f.item.date_created = Some(format!("2024-01-{day:02}T00:00:00.0000000Z"));
    f
}

fn episode(server: &str, id: &'static str, series: &str, tvdb: &str, s: i32, e: i32) -> Found {
    let mut f = found(server, it(id, "Crossing", "Episode", None, 2012));
    f.item.series_name = Some(series.into());
    f.item.parent_index_number = Some(s);
    f.item.index_number = Some(e);
    f.series_ids = [("Tvdb".to_string(), tvdb.to_string())].into();
    f
}

fn home_of(server: &str) -> ServerHome {
    let ferry = || it("ferry", "Midnight Ferry", "Movie", Some("tt2"), 1998);
    let night = || it("night", "The Long Night", "Movie", Some("tt1"), 2019);
    match server {
        "living" => ServerHome {
            server_id: "living".into(),
            resume: vec![resumed(found("living", ferry()), 3, 30 * 60 * 10_000_000)],
            next_up: vec![episode("living", "hl", "Harbour Lights", "71", 1, 2)],
            latest: vec![(
                LibraryKind::Movies,
                vec![
                    added(found("living", night()), 9),
                    added(
                        found("living", it("owl", "Night Owl", "Movie", None, 2003)),
                        5,
                    ),
                ],
            )],
        },
        "cabin" => ServerHome {
            server_id: "cabin".into(),
            resume: vec![resumed(found("cabin", ferry()), 7, 75 * 60 * 10_000_000)],
            next_up: vec![
                episode("cabin", "hl", "Harbour Lights", "71", 1, 2),
                episode("cabin", "mt", "Metro Line", "72", 1, 3),
            ],
            latest: vec![(
                LibraryKind::Movies,
                vec![
                    added(found("cabin", night()), 8),
                    added(
                        found(
                            "cabin",
                            it("ferry11", "Midnight Ferry", "Movie", None, 2011),
                        ),
                        6,
                    ),
                ],
            )],
        },
        _ => ServerHome {
            server_id: server.into(),
            latest: vec![(
                LibraryKind::Movies,
                vec![added(
                    found(
                        server,
                        it(
                            "night",
                            "The Long Night (Extended Cut)",
                            "Movie",
                            Some("tt1"),
                            2019,
                        ),
                    ),
                    7,
                )],
            )],
            ..Default::default()
        },
    }
}

fn answer_home(s: &mut State, effects: &[Effect], server: &str) {
    let generation = asked(effects, server);
    act(
        s,
        Action::Everywhere {
            server_id: server.into(),
            generation,
            result: Ok(EverywhereLoaded::Home(Box::new(home_of(server)))),
        },
    );
}

#[test]
fn all_servers_home_merged_with_a_dead_server_in_the_footer() {
    let (mut s, effects) = opened(&[living(), cabin(), friend(), attic()]);
    for server in ["cabin", "friend", "living"] {
        answer_home(&mut s, &effects, server);
    }
    // Midnight Ferry: half-watched on both, last on Cabin (its position shows), opened on
    // Living Room (local) first; The Long Night on three servers under two names; a film of
    // the same name without the shared id stays a row of its own
    let shown = draw(&s);
    assert!(shown.contains("Attic: unreachable"), "{shown}");
    insta::assert_snapshot!(shown);
}

#[test]
fn all_servers_rows_fill_in_while_a_slow_server_is_waited_for() {
    let (mut s, effects) = opened(&[living(), cabin(), friend()]);
    answer_home(&mut s, &effects, "living");
    act(&mut s, Action::Tick(NOW + 3_000));
    let waiting = draw(&s);
    assert!(waiting.contains("Cabin: slow to answer"), "{waiting}");
    assert!(waiting.contains("Friend's Server: slow to answer"));
    insta::assert_snapshot!(waiting);
    // Cabin answers: its rows join, and it leaves the footer
    answer_home(&mut s, &effects, "cabin");
    let later = draw(&s);
    assert!(!later.contains("Cabin: slow"), "{later}");
    assert!(later.contains("on Living Room, Cabin"), "{later}");
}

fn answer_search(
    s: &mut State,
    effects: &[Effect],
    server: &str,
    groups: Vec<(SearchGroup, Vec<Found>)>,
) {
    let generation = asked(effects, server);
    act(
        s,
        Action::Everywhere {
            server_id: server.into(),
            generation,
            result: Ok(EverywhereLoaded::Search(Box::new(ServerSearch {
                server_id: server.into(),
                term: "night".into(),
                groups,
            }))),
        },
    );
}

#[test]
fn all_servers_search_grouped_by_kind_while_one_server_still_searches() {
    let (mut s, effects) = opened(&[living(), cabin(), friend(), attic()]);
    for server in ["cabin", "friend", "living"] {
        answer_home(&mut s, &effects, server);
    }
    key(&mut s, KeyCode::Char('/'));
    let mut effects = Vec::new();
    for c in "night".chars() {
        effects = key(&mut s, KeyCode::Char(c));
    }
    // the newest term is asked of every signed-in server, one request each
    let terms: Vec<&str> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Everywhere {
                request: EverywhereRequest::Search(t),
                ..
            } => Some(t.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(terms, ["night", "night", "night"]);
    answer_search(
        &mut s,
        &effects,
        "living",
        vec![
            (
                SearchGroup::Films,
                vec![
                    found(
                        "living",
                        it("ferry", "Midnight Ferry", "Movie", Some("tt2"), 1998),
                    ),
                    found(
                        "living",
                        it("night", "The Long Night", "Movie", Some("tt1"), 2019),
                    ),
                    found("living", it("owl", "Night Owl", "Movie", None, 2003)),
                ],
            ),
            (
                SearchGroup::Shows,
                vec![found(
                    "living",
                    it("ns", "Night Shift", "Series", Some("tt9"), 2015),
                )],
            ),
            (
                SearchGroup::Episodes,
                vec![episode("living", "ep", "Kingsway", "73", 1, 1)],
            ),
            (
                SearchGroup::People,
                vec![found(
                    "living",
                    it("p", "Nina Knight", "Person", Some("nm1"), 0),
                )],
            ),
        ],
    );
    answer_search(
        &mut s,
        &effects,
        "friend",
        vec![
            (
                SearchGroup::Films,
                vec![found(
                    "friend",
                    it(
                        "night",
                        "The Long Night (Extended Cut)",
                        "Movie",
                        Some("tt1"),
                        2019,
                    ),
                )],
            ),
            (
                SearchGroup::People,
                vec![found(
                    "friend",
                    it("p", "Nina Knight", "Person", Some("nm1"), 0),
                )],
            ),
        ],
    );
    let shown = draw(&s);
    assert!(shown.contains("Search everywhere: night"), "{shown}");
    insta::assert_snapshot!(shown);
}

#[test]
fn o_picks_another_server_for_the_selected_row_and_says_so() {
    let (mut s, effects) = opened(&[living(), cabin(), friend()]);
    for server in ["cabin", "friend", "living"] {
        answer_home(&mut s, &effects, server);
    }
    // the first row (Midnight Ferry, on Living Room and Cabin) is selected
    key(&mut s, KeyCode::Char('o'));
    let shown = draw(&s);
    assert!(shown.contains("on Living Room, [Cabin]"), "{shown}");
    assert!(shown.contains("Enter opens it on Cabin"), "{shown}");
    // Enter plays it (a film) through Cabin: the play menu asks Cabin for its devices
    let menu = key(&mut s, KeyCode::Enter);
    assert!(
        matches!(&s.overlay, Some(Overlay::Play(m)) if m.server_id == "cabin"),
        "{:?}",
        s.overlay
    );
    assert!(
        menu.iter()
            .any(|e| matches!(e, Effect::PlayTargets { server_id } if server_id == "cabin")),
        "{menu:?}"
    );
    key(&mut s, KeyCode::Esc);
    assert!(s.overlay.is_none());
    // i opens it on the server picked, in that server's session tab; the pick went back to the
    // fastest once used, so o picks Cabin again
    key(&mut s, KeyCode::Char('o'));
    let opened = key(&mut s, KeyCode::Char('i'));
    assert_eq!(s.pane, Pane::Session);
    assert_eq!(s.sessions[s.active].server_id, "cabin");
    assert!(
        opened.iter().any(|e| matches!(
            e,
            Effect::Load {
                server_id,
                request: emby_tui::app::Request::Item(id),
                ..
            } if server_id == "cabin" && id == "cabin-ferry"
        )),
        "{opened:?}"
    );
}

/// A film played through the All servers tab: once the player is gone, that server's part of
/// the merged home is asked again (its Continue Watching changed), and no other server's.
#[test]
fn after_playing_the_played_servers_home_is_asked_again() {
    let (mut s, effects) = opened(&[living(), cabin(), friend()]);
    for server in ["cabin", "friend", "living"] {
        answer_home(&mut s, &effects, server);
    }
    let after = act(
        &mut s,
        Action::PlayEnded {
            server_id: "cabin".into(),
            item_id: "cabin-ferry".into(),
            result: Ok(emby_tui::session::Played {
                item_id: "cabin-ferry".into(),
                title: "Midnight Ferry".into(),
                position_ticks: 600_000_000,
                ended: false,
                user_data: None,
            }),
        },
    );
    let homes: Vec<&str> = after
        .iter()
        .filter_map(|e| match e {
            Effect::Everywhere {
                server_id,
                request: EverywhereRequest::Home,
                ..
            } => Some(server_id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(homes, ["cabin"]);
}
