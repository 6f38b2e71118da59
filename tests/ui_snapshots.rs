//! Every pane in its main states, drawn on ratatui's TestBackend and compared with insta
//! snapshots. States are built through the same Actions the worker sends, with fixed data (no
//! ports, ids or clocks), so the snapshots are stable.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use emby_tui::app::signin::DemoHint;
use emby_tui::app::{Action, HomeData, Invitation, Loaded, Pane, State, update};
use emby_tui::emby::models::{
    BaseItemDto, BaseItemPerson, MediaSourceInfo, MediaStream, PlayerStateInfo, SessionInfo,
    UserItemDataDto,
};
use emby_tui::session::Event;
use emby_tui::session::{Probed, ServerReport};

const NOW: u64 = 1_700_000_000_000;

fn draw(state: &State) -> String {
    let mut t = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    t.draw(|f| emby_tui::ui::draw(f, state)).unwrap();
    t.backend().to_string()
}

fn act(s: &mut State, a: Action) {
    let _ = update(s, a);
}

/// The list as a refresh starts: every row listed and being reached.
fn listed(s: &mut State, rows: Vec<ServerReport>) {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    act(s, Action::Session(Event::Listed(rows)));
    for id in ids {
        act(s, Action::Session(Event::Reaching(id)));
    }
}

fn ctrl(s: &mut State, c: char) {
    act(
        s,
        Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    );
}

fn key(s: &mut State, code: KeyCode) {
    act(s, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, KeyCode::Char(c));
    }
}

fn fresh() -> State {
    let mut s = State::new("https://emby.media/pin");
    act(&mut s, Action::Resize(100, 30));
    act(&mut s, Action::Tick(NOW));
    s
}

fn started(servers: Vec<ServerReport>) -> State {
    let mut s = fresh();
    act(
        &mut s,
        Action::Started {
            connect_user: Some("demo".into()),
            servers,
            notices: vec![],
        },
    );
    s
}

fn report(name: &str, state: &'static str, mode: Option<&'static str>) -> ServerReport {
    let n = name.len();
    ServerReport {
        id: format!("id-{}", name.to_lowercase().replace(' ', "-")),
        name: name.into(),
        source: "connect",
        state,
        mode,
        address: mode.map(|_| format!("http://192.168.1.{n}:8096")),
        local_address: Some(format!("http://192.168.1.{n}:8096")),
        remote_address: Some(format!("https://{}.example.net:8920", name.len())),
        manual_address: None,
        user_id: Some("u1".into()),
        user_name: Some("demo".into()),
        latency_ms: mode.map(|_| 12),
        error: None,
        link_type: Some("linked"),
        last_used_ms: NOW - 5 * 60 * 1000,
    }
}

fn servers() -> Vec<ServerReport> {
    let mut cabin = report("Cabin", "signed_in", Some("remote"));
    cabin.address = cabin.remote_address.clone();
    cabin.latency_ms = Some(87);
    let mut friend = report("Friend's Server", "signed_in", Some("local"));
    friend.link_type = Some("guest");
    friend.user_name = Some("demo (guest)".into());
    let mut old = report("Attic", "unavailable", None);
    old.error = Some("no address answered: local timed out after 3 s, remote refused".into());
    old.user_name = None;
    old.last_used_ms = NOW - 9 * 86_400_000;
    let mut manual = report("Basement", "sign_in_required", Some("manual"));
    manual.source = "manual";
    manual.link_type = None;
    manual.manual_address = Some("http://10.0.0.5:8096".into());
    manual.error = Some("no saved sign-in".into());
    manual.user_name = None;
    vec![
        report("Living Room", "signed_in", Some("local")),
        cabin,
        friend,
        old,
        manual,
    ]
}

fn item(name: &str, kind: &str, folder: bool, n: i32) -> BaseItemDto {
    BaseItemDto {
        id: Some(format!("item-{name}")),
        name: Some(name.into()),
        item_type: Some(kind.into()),
        is_folder: Some(folder),
        production_year: (!folder).then_some(1990 + n),
        run_time_ticks: (!folder).then_some(i64::from(80 + n) * 60 * 10_000_000),
        child_count: folder.then_some(100 + n),
        user_data: Some(UserItemDataDto {
            played: Some(n % 3 == 0),
            is_favorite: Some(n % 4 == 1),
            playback_position_ticks: Some(if n % 5 == 2 { 6_000_000_000 } else { 0 }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn session_with_home() -> State {
    let mut s = started(servers());
    listed(&mut s, servers());
    act(&mut s, Action::Session(Event::Refreshed));
    key(&mut s, KeyCode::Enter);
    let generation = s.sessions[0].current().generation;
    let home = HomeData {
        views: vec![
            item("Movies", "CollectionFolder", true, 20),
            item("TV Shows", "CollectionFolder", true, 2),
        ],
        resume: vec![item("Wild Coast", "Movie", false, 2)],
        next_up: vec![],
        latest: vec![(
            "Movies".into(),
            vec![
                item("Amber Harbor", "Movie", false, 1),
                item("Blue Meridian", "Movie", false, 3),
            ],
        )],
    };
    act(
        &mut s,
        Action::Loaded {
            server_id: "id-living-room".into(),
            generation,
            result: Ok(Loaded::Home(home)),
        },
    );
    s
}

#[test]
fn sign_in_connect_with_the_demo_hint() {
    let mut s = fresh();
    act(
        &mut s,
        Action::Started {
            connect_user: None,
            servers: vec![],
            notices: vec![],
        },
    );
    s.signin.demo = Some(emby_tui::demo::hint("http://127.0.0.1:PORT/pin"));
    assert_eq!(s.pane, Pane::SignIn);
    typed(&mut s, "demo");
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn sign_in_connect_wrong_password_keeps_the_name() {
    let mut s = fresh();
    act(
        &mut s,
        Action::Started {
            connect_user: None,
            servers: vec![],
            notices: vec![],
        },
    );
    typed(&mut s, "demo");
    key(&mut s, KeyCode::Tab);
    typed(&mut s, "wrong");
    key(&mut s, KeyCode::Enter);
    let busy = draw(&s);
    assert!(busy.contains("Signing in to Emby Connect…"), "{busy}");
    assert!(!busy.contains("wrong"), "the password is never drawn");
    act(
        &mut s,
        Action::ConnectSignedIn(Err(
            "Emby Connect did not accept that name or password".into()
        )),
    );
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn sign_in_pin_shown_large_with_a_countdown() {
    let mut s = fresh();
    s.pane = Pane::SignIn;
    ctrl(&mut s, 'n');
    act(&mut s, Action::PinCreated(Ok("4821".into())));
    act(&mut s, Action::Tick(NOW + 65_000));
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn sign_in_by_address_picks_a_public_user() {
    let mut s = fresh();
    s.pane = Pane::SignIn;
    ctrl(&mut s, 'p');
    typed(&mut s, "192.168.1.20:8096");
    key(&mut s, KeyCode::Enter);
    act(
        &mut s,
        Action::AddressProbed(Ok(Probed {
            id: "id-basement".into(),
            name: "Basement".into(),
            address: "http://192.168.1.20:8096".into(),
            latency: std::time::Duration::from_millis(3),
            users: vec!["alice".into(), "bob".into(), "kid".into()],
        })),
    );
    key(&mut s, KeyCode::BackTab);
    key(&mut s, KeyCode::Down);
    assert_eq!(s.signin.local_user, "bob");
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn sign_in_by_address_unreachable() {
    let mut s = fresh();
    s.pane = Pane::SignIn;
    ctrl(&mut s, 'p');
    typed(&mut s, "10.9.9.9");
    key(&mut s, KeyCode::Enter);
    act(
        &mut s,
        Action::AddressProbed(Err(
            "http://10.9.9.9:8096 is unavailable: manual http://10.9.9.9:8096: timed out after 6 s"
                .into(),
        )),
    );
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn servers_empty_list() {
    let mut s = started(vec![]);
    listed(&mut s, vec![]);
    act(&mut s, Action::Session(Event::Refreshed));
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn servers_fill_in_one_by_one() {
    let mut s = started(vec![]);
    let all = servers();
    listed(&mut s, all.clone());
    act(
        &mut s,
        Action::Session(Event::Server(Box::new(all[1].clone()))),
    );
    act(
        &mut s,
        Action::Session(Event::Server(Box::new(all[3].clone()))),
    );
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn servers_all_reached_with_an_error_where_you_look() {
    let mut s = started(vec![]);
    listed(&mut s, servers());
    act(&mut s, Action::Session(Event::Refreshed));
    key(&mut s, KeyCode::Char('G'));
    key(&mut s, KeyCode::Enter);
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn session_home() {
    let s = session_with_home();
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn session_list_in_the_middle_of_100k_items() {
    let mut s = session_with_home();
    key(&mut s, KeyCode::Enter); // Movies
    let generation = s.sessions[0].current().generation;
    let page = |start: usize| Action::Loaded {
        server_id: "id-living-room".into(),
        generation,
        result: Ok(Loaded::Page {
            start,
            total: 100_000,
            items: (start..start + 100)
                .map(|i| item(&format!("Movie {i:06}"), "Movie", false, (i % 30) as i32))
                .collect(),
        }),
    };
    act(&mut s, page(0));
    for _ in 0..500 {
        key(&mut s, KeyCode::PageDown);
    }
    // the page under the cursor has come, the one below not yet
    let cursor_page = match &s.sessions[0].current().view {
        emby_tui::app::browse::View::List(l) => l.list.cursor / 100,
        _ => unreachable!(),
    };
    act(&mut s, page(cursor_page * 100));
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn session_list_error() {
    let mut s = session_with_home();
    key(&mut s, KeyCode::Enter);
    let generation = s.sessions[0].current().generation;
    act(
        &mut s,
        Action::Loaded {
            server_id: "id-living-room".into(),
            generation,
            result: Ok(Loaded::PageFailed {
                start: 0,
                error: "Living Room is unavailable: no address answered".into(),
            }),
        },
    );
    insta::assert_snapshot!(draw(&s));
}

/// A session showing a film's details, on a `w` x `h` terminal.
fn details_state(w: u16, h: u16) -> State {
    let mut s = session_with_home();
    act(&mut s, Action::Resize(w, h));
    for _ in 0..2 {
        key(&mut s, KeyCode::Char('j'));
    }
    key(&mut s, KeyCode::Char('i'));
    let generation = s.sessions[0].current().generation;
    let mut it = item("Wild Coast", "Movie", false, 2);
    it.overview = Some("A lighthouse keeper finds a map that leads along the wild coast.".into());
    it.genres = vec!["Drama".into(), "Adventure".into()];
    it.official_rating = Some("PG-13".into());
    it.community_rating = Some(7.4);
    it.run_time_ticks = Some(100 * 60 * 10_000_000);
    it.user_data = Some(UserItemDataDto {
        playback_position_ticks: Some(42 * 60 * 10_000_000),
        ..Default::default()
    });
    let person = |name: &str, role: Option<&str>, kind: &str| BaseItemPerson {
        name: Some(name.into()),
        role: role.map(Into::into),
        person_type: Some(kind.into()),
        ..Default::default()
    };
    it.people = vec![
        person("Ada Moreau", Some("The Keeper"), "Actor"),
        person("Ben Okafor", Some("Mara"), "Actor"),
        person("Clara Lindqvist", None, "Actor"),
        person("Dev Ramesh", Some("The Pilot"), "Actor"),
        person("Elena Petrova", Some("June"), "Actor"),
        person("Finn Walsh", None, "Director"),
        person("Grace Tanaka", None, "Writer"),
    ];
    it.media_sources = vec![MediaSourceInfo {
        container: Some("mkv".into()),
        bitrate: Some(8_000_000),
        size: Some(4_200_000_000),
        media_streams: vec![
            MediaStream {
                stream_type: Some("Video".into()),
                display_title: Some("1080p H264".into()),
                ..Default::default()
            },
            MediaStream {
                stream_type: Some("Audio".into()),
                display_title: Some("English AAC stereo".into()),
                ..Default::default()
            },
            MediaStream {
                stream_type: Some("Audio".into()),
                display_title: Some("French AC3 5.1".into()),
                ..Default::default()
            },
            MediaStream {
                stream_type: Some("Subtitle".into()),
                display_title: Some("English (SRT)".into()),
                ..Default::default()
            },
        ],
        ..Default::default()
    }];
    act(
        &mut s,
        Action::Loaded {
            server_id: "id-living-room".into(),
            generation,
            result: Ok(Loaded::Item(Box::new(it))),
        },
    );
    s
}

#[test]
fn session_item_details() {
    insta::assert_snapshot!(draw(&details_state(100, 30)));
}

#[test]
fn details_at_80x24() {
    insta::assert_snapshot!(draw(&details_state(80, 24)));
}

#[test]
fn details_at_160x48() {
    insta::assert_snapshot!(draw(&details_state(160, 48)));
}

/// The servers pane with long addresses, a long error and a long message.
fn servers_state(w: u16, h: u16) -> State {
    let mut rows = servers();
    rows[1].address = Some("https://cabin-in-the-woods.example.net:8920/emby-proxy".into());
    rows[1].remote_address = rows[1].address.clone();
    let mut s = started(rows);
    act(&mut s, Action::Resize(w, h));
    act(&mut s, Action::Session(Event::Refreshed));
    s.servers.message = Some(emby_tui::app::Message::error(
        "the Emby Connect server list could not be fetched (https://connect.emby.media/service/servers did not answer within 6.0 s); saved servers are kept and were reached with what is stored",
    ));
    key(&mut s, KeyCode::Char('j'));
    key(&mut s, KeyCode::Char('j'));
    key(&mut s, KeyCode::Char('j'));
    s
}

#[test]
fn servers_at_80x24() {
    let screen = draw(&servers_state(80, 24));
    // what matters stays readable: the start and the port of an address, user and state
    assert!(screen.contains("https://cabin"), "{screen}");
    assert!(screen.contains("8920"), "{screen}");
    assert!(screen.contains("signed in"), "{screen}");
    assert!(screen.contains("demo (guest)"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn servers_at_160x48() {
    let screen = draw(&servers_state(160, 48));
    // the message is cut between words, never inside one
    let message = screen
        .lines()
        .find(|l| l.contains("Emby Connect server list"))
        .unwrap();
    let last_word = message.trim_end().trim_end_matches('"').trim_end();
    assert!(last_word.ends_with('…'), "{message}");
    let before = last_word.trim_end_matches('…');
    assert!(
        before.ends_with(' ') || before.rsplit(' ').next().is_some_and(|w| {
            "the Emby Connect server list could not be fetched (https://connect.emby.media/service/servers did not answer within 6.0 s); saved servers are kept and were reached with what is stored"
                .split(' ')
                .any(|word| word == w)
        }),
        "{message}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn removing_a_server_asks_first() {
    let mut s = started(servers());
    act(&mut s, Action::Session(Event::Refreshed));
    key(&mut s, KeyCode::Char('D'));
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn help_is_built_from_the_keymap() {
    let mut s = session_with_home();
    key(&mut s, KeyCode::Char('?'));
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn invitations_overlay() {
    let mut s = started(servers());
    act(&mut s, Action::Session(Event::Refreshed));
    key(&mut s, KeyCode::Char('i'));
    act(
        &mut s,
        Action::Invitations(Ok(vec![Invitation {
            id: "id-grandpa".into(),
            name: "Grandpa's Server".into(),
        }])),
    );
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn search_prompt_and_two_tabs_on_a_small_terminal() {
    let mut s = session_with_home();
    key(&mut s, KeyCode::Char('s'));
    key(&mut s, KeyCode::Char('j'));
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.sessions.len(), 2);
    act(&mut s, Action::Resize(60, 14));
    key(&mut s, KeyCode::Char('/'));
    typed(&mut s, "amber");
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn a_demo_hint_is_only_where_set() {
    let s = fresh();
    assert_eq!(s.signin.demo, None::<DemoHint>);
}

/// The snapshots hold text only; the row under the cursor is told apart by its style.
fn reversed_rows(state: &State) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    t.draw(|f| emby_tui::ui::draw(f, state)).unwrap();
    let buf = t.backend().buffer().clone();
    (0..buf.area.height)
        .filter(|&y| {
            (1..buf.area.width.saturating_sub(1)).all(|x| {
                buf[(x, y)]
                    .modifier
                    .contains(ratatui::style::Modifier::REVERSED)
            })
        })
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect()
}

#[test]
fn the_selected_server_and_list_row_are_highlighted() {
    let mut s = started(vec![]);
    listed(&mut s, servers());
    act(&mut s, Action::Session(Event::Refreshed));
    key(&mut s, KeyCode::Char('j'));
    let selected = s.servers.selected().unwrap().name.clone();
    let rows = reversed_rows(&s);
    assert_eq!(rows.len(), 1, "one highlighted row: {rows:#?}");
    assert!(rows[0].contains(&selected), "{rows:#?}");

    let mut s = session_with_home();
    key(&mut s, KeyCode::Char('j'));
    let rows = reversed_rows(&s);
    assert_eq!(
        rows.len(),
        1,
        "one highlighted row in the session: {rows:#?}"
    );
}

#[test]
fn a_terminal_below_the_minimum_size_says_so_instead_of_drawing_the_panes() {
    use emby_tui::app::layout::{MIN_HEIGHT, MIN_WIDTH};
    let mut s = session_with_home();
    act(&mut s, Action::Resize(MIN_WIDTH - 1, MIN_HEIGHT));
    insta::assert_snapshot!(draw(&s));
    act(&mut s, Action::Resize(MIN_WIDTH, MIN_HEIGHT - 1));
    let screen = draw(&s);
    assert!(screen.contains("Terminal too small: 40x12"), "{screen}");
    assert!(screen.contains("need at least 40x13"), "{screen}");
    act(&mut s, Action::Resize(MIN_WIDTH, MIN_HEIGHT));
    let at_minimum = draw(&s);
    assert!(!at_minimum.contains("too small"), "{at_minimum}");
    assert!(at_minimum.contains("Living Room › Home"), "{at_minimum}");
}

/// Every pane and overlay, drawn at every size from 1x1 up (and clicked and scrolled there).
#[test]
fn no_size_from_1x1_up_panics() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut states = Vec::new();
    let mut s = fresh();
    s.pane = Pane::SignIn;
    typed(&mut s, &"long name ".repeat(20));
    states.push(s.clone());
    ctrl(&mut s, 'n');
    act(&mut s, Action::PinCreated(Ok("1234".into())));
    states.push(s.clone());
    s.signin
        .for_server(&report("Living Room", "sign_in_required", None));
    act(
        &mut s,
        Action::PublicUsersListed {
            server_id: "id-living-room".into(),
            result: Ok(vec!["ann".into(), "bob".into()]),
        },
    );
    states.push(s);
    let mut s = started(servers());
    act(&mut s, Action::Session(Event::Refreshed));
    states.push(s.clone());
    key(&mut s, KeyCode::Char('i'));
    act(
        &mut s,
        Action::Invitations(Ok(vec![Invitation {
            id: "id-grandpa".into(),
            name: "Grandpa's Server".into(),
        }])),
    );
    states.push(s);
    let mut s = session_with_home();
    states.push(s.clone());
    key(&mut s, KeyCode::Char('?'));
    states.push(s.clone());
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Char('/'));
    typed(&mut s, "amber");
    states.push(s.clone());
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Enter); // into Movies, its list not loaded yet
    states.push(s);

    for state in &states {
        for w in 1..=100u16 {
            for h in 1..=32u16 {
                let mut s = state.clone();
                act(&mut s, Action::Resize(w, h));
                let _ = draw(&s);
                for kind in [
                    MouseEventKind::Down(MouseButton::Left),
                    MouseEventKind::ScrollDown,
                ] {
                    act(
                        &mut s,
                        Action::Mouse(MouseEvent {
                            kind,
                            column: w / 2,
                            row: h / 2,
                            modifiers: KeyModifiers::NONE,
                        }),
                    );
                }
                key(&mut s, KeyCode::Down);
                let _ = draw(&s);
            }
        }
    }
}

// ---- issue 11: the Connect account box, sign-up, and a server's administration ----

use emby_tui::app::AccountUser;
use emby_tui::emby::models::{ConnectAuthorization, UserDto, UserPolicy};
use emby_tui::session::hub::{AdminOverview, Library};

fn account_box_signed_in() -> State {
    let mut s = started(servers());
    act(&mut s, Action::Session(Event::Refreshed));
    key(&mut s, KeyCode::Char('u'));
    act(
        &mut s,
        Action::AccountLoaded(Ok(AccountUser {
            name: "demo".into(),
            email: Some("demo@example.com".into()),
        })),
    );
    s
}

#[test]
fn account_box_with_the_connect_user_and_the_three_addresses() {
    insta::assert_snapshot!(draw(&account_box_signed_in()));
}

#[test]
fn account_box_when_not_signed_in_from_the_sign_in_pane() {
    let mut s = fresh();
    s.pane = Pane::SignIn;
    key(&mut s, KeyCode::F(2));
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn the_account_box_links_sit_exactly_on_their_written_out_addresses() {
    let s = account_box_signed_in();
    let mut t = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
    t.draw(|f| emby_tui::ui::draw(f, &s)).unwrap();
    let buf = t.backend().buffer().clone();
    let links = emby_tui::ui::links::hyperlinks(&s, s.size.0, s.size.1);
    let urls: Vec<&str> = links.iter().map(|l| l.url).collect();
    assert_eq!(
        urls,
        [
            emby_tui::session::hub::SIGN_UP_URL,
            emby_tui::session::hub::CHANGE_PASSWORD_URL,
            emby_tui::session::hub::RESET_PASSWORD_URL
        ]
    );
    for l in &links {
        let drawn: String = (0..l.url.len() as u16)
            .map(|i| buf[(l.x + i, l.y)].symbol().to_string())
            .collect();
        assert_eq!(
            drawn, l.url,
            "the link covers exactly its written-out address"
        );
    }
    // nothing is linked once the box is closed, nor on a terminal too narrow for an address
    let mut closed = s.clone();
    key(&mut closed, KeyCode::Esc);
    assert!(emby_tui::ui::links::hyperlinks(&closed, 100, 30).is_empty());
    let narrow = emby_tui::ui::links::hyperlinks(&s, 50, 30);
    assert!(narrow.iter().all(|l| l.url.len() + 3 <= 50), "{narrow:?}");
    assert!(narrow.len() < 3);
}

#[test]
fn sign_up_form_when_emby_connect_wants_a_browser() {
    let mut s = fresh();
    s.pane = Pane::SignIn;
    key(&mut s, KeyCode::F(3));
    typed(&mut s, "anna@example.com");
    key(&mut s, KeyCode::Tab);
    typed(&mut s, "anna");
    key(&mut s, KeyCode::Tab);
    typed(&mut s, "pw");
    key(&mut s, KeyCode::Tab);
    typed(&mut s, "pw");
    key(&mut s, KeyCode::Enter);
    act(
        &mut s,
        Action::SignedUp {
            result: Err("Emby Connect wants this sign-up finished in a web browser (a captcha): sign up at https://emby.media/connect".into()),
            browser: true,
        },
    );
    insta::assert_snapshot!(draw(&s));
}

fn admin_user(name: &str, admin: bool, connect: Option<(&str, &str)>, password: bool) -> UserDto {
    UserDto {
        id: Some(format!("user-{name}")),
        name: Some(name.into()),
        has_password: Some(password),
        connect_user_name: connect.map(|c| c.0.to_string()),
        connect_link_type: connect.map(|c| c.1.to_string()),
        last_activity_date: Some("2023-11-14T21:10:05.0000000Z".into()),
        policy: Some(UserPolicy {
            is_administrator: Some(admin),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn admin_view() -> State {
    let mut s = session_with_home();
    key(&mut s, KeyCode::Char('A'));
    act(
        &mut s,
        Action::AdminLoaded {
            server_id: "id-living-room".into(),
            result: Ok(AdminOverview {
                server_name: "Living Room".into(),
                users: vec![
                    admin_user("demo", true, Some(("demo", "LinkedUser")), true),
                    admin_user("kid", false, Some(("friend", "LinkedUser")), false),
                    admin_user("grandma", false, Some(("grandma", "Guest")), true),
                    admin_user("guest room", false, None, true),
                ],
                pending: vec![ConnectAuthorization {
                    id: Some("auth-1".into()),
                    connect_user_id: Some("52474898".into()),
                    user_name: Some("friend".into()),
                    ..Default::default()
                }],
                pending_error: None,
                libraries: vec![
                    Library {
                        id: "lib-movies".into(),
                        name: "Movies".into(),
                    },
                    Library {
                        id: "lib-tv".into(),
                        name: "TV Shows".into(),
                    },
                ],
                dashboard: Some("http://192.168.1.11:8096/web/index.html".into()),
            }),
        },
    );
    s
}

#[test]
fn admin_view_users_with_their_links_and_pending_invitations() {
    insta::assert_snapshot!(draw(&admin_view()));
}

#[test]
fn admin_view_invite_form() {
    let mut s = admin_view();
    key(&mut s, KeyCode::Char('n'));
    typed(&mut s, "grandpa@example.com");
    key(&mut s, KeyCode::Tab);
    key(&mut s, KeyCode::Tab);
    typed(&mut s, " ");
    key(&mut s, KeyCode::Tab);
    typed(&mut s, " ");
    insta::assert_snapshot!(draw(&s));
    // what Enter sends: the name, only Movies shared, live TV on
    let effects = update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let [emby_tui::app::Effect::Admin { op, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        *op,
        emby_tui::app::AdminOp::Invite {
            name_or_email: "grandpa@example.com".into(),
            libraries: Some(vec!["lib-movies".into()]),
            live_tv: true,
        }
    );
}

#[test]
fn admin_view_refused_for_a_non_administrator() {
    let mut s = session_with_home();
    key(&mut s, KeyCode::Char('A'));
    act(
        &mut s,
        Action::AdminLoaded {
            server_id: "id-living-room".into(),
            result: Err("you are not an administrator of Living Room: only its administrators can see its users, link them to Emby Connect or invite guests".into()),
        },
    );
    let screen = draw(&s);
    assert!(!screen.contains("Users ("), "no part of the view: {screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn server_not_listed_is_explained_under_a_server_that_is_not_from_emby_connect() {
    let mut s = started(vec![]);
    listed(&mut s, servers());
    act(&mut s, Action::Session(Event::Refreshed));
    // Living Room comes from Emby Connect: nothing to explain
    assert!(!draw(&s).contains("Server not listed?"));
    // Basement was added by address
    key(&mut s, KeyCode::Char('G'));
    let screen = draw(&s);
    assert!(screen.contains("Server not listed?"), "{screen}");
    assert!(
        screen.contains("i shows the invitations waiting"),
        "{screen}"
    );
    assert!(screen.contains("press A and link your user"), "{screen}");
    // not signed in to Emby Connect: the hint would not apply
    let mut s = fresh();
    act(
        &mut s,
        Action::Started {
            connect_user: None,
            servers: vec![servers().remove(4)],
            notices: vec![],
        },
    );
    act(&mut s, Action::Session(Event::Refreshed));
    assert!(!draw(&s).contains("Server not listed?"));
}

// ---- playing (issue #10) ----

fn device(name: &str, client: &str, playing: Option<BaseItemDto>) -> SessionInfo {
    SessionInfo {
        id: Some(format!("session-{name}")),
        client: Some(client.into()),
        device_name: Some(name.into()),
        device_id: Some(format!("device-{name}")),
        user_name: Some("demo".into()),
        supports_remote_control: Some(true),
        playable_media_types: vec!["Audio".into(), "Video".into()],
        play_state: playing.as_ref().map(|_| PlayerStateInfo {
            position_ticks: Some(7_540_000_000),
            is_paused: Some(false),
            ..Default::default()
        }),
        now_playing_item: playing,
        ..Default::default()
    }
}

/// The home of Living Room with the play menu of "Wild Coast" (saved at 10:00) open.
fn play_menu() -> State {
    let mut s = session_with_home();
    for _ in 0..2 {
        key(&mut s, KeyCode::Char('j'));
    }
    key(&mut s, KeyCode::Enter);
    act(
        &mut s,
        Action::PlayTargets {
            server_id: "id-living-room".into(),
            result: Ok(vec![
                device(
                    "Living Room TV",
                    "Emby Theater",
                    Some(item("Blue Meridian", "Movie", false, 3)),
                ),
                device("Phone", "Emby for Android", None),
            ]),
        },
    );
    s
}

#[test]
fn play_menu_offers_resume_then_here_the_devices_and_the_url() {
    let s = play_menu();
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn remote_control_panel_of_a_device_playing() {
    let mut s = play_menu();
    key(&mut s, KeyCode::Down); // Living Room TV
    key(&mut s, KeyCode::Enter);
    act(
        &mut s,
        Action::PlayedOn {
            server_id: "id-living-room".into(),
            session_id: "session-Living Room TV".into(),
            label: "Living Room TV (Emby Theater)".into(),
            result: Ok(()),
        },
    );
    let mut wild = item("Wild Coast", "Movie", false, 2);
    wild.user_data = None;
    act(
        &mut s,
        Action::RemoteRead {
            server_id: "id-living-room".into(),
            session_id: "session-Living Room TV".into(),
            result: Ok(Box::new(device(
                "Living Room TV",
                "Emby Theater",
                Some(wild),
            ))),
        },
    );
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn now_playing_line_of_a_player_with_its_own_window() {
    let mut s = play_menu();
    key(&mut s, KeyCode::Enter); // here
    act(
        &mut s,
        Action::Session(Event::Playback(emby_tui::session::PlaybackUpdate {
            server_id: "id-living-room".into(),
            item_id: "item-Wild Coast".into(),
            title: "Wild Coast".into(),
            position_ticks: 6_125_000_000,
            runtime_ticks: Some(82 * 60 * 10_000_000),
            paused: false,
        })),
    );
    insta::assert_snapshot!(draw(&s));
}

// ---- config.toml, the theme and the log pane (issue 13) ----

/// A State as the terminal UI starts it with this config.toml.
fn with_config(mut s: State, text: &str, no_color: Option<&str>) -> State {
    let config = emby_tui::config::Config::from_text(text, None, no_color);
    s.keymap = std::sync::Arc::new(config.keymap);
    s.theme = config.theme;
    s
}

/// A remapped key does what it is mapped to, its old key no longer does, and the help page and
/// the status line show the new key.
#[test]
fn a_remapped_key_works_and_help_and_the_status_line_show_it() {
    let mut s = with_config(
        session_with_home(),
        "[keys]\nsearch = \"ctrl-f\"\nhelp = [\"f1\", \"?\"]\n",
        None,
    );
    key(&mut s, KeyCode::Char('/'));
    assert!(s.overlay.is_none(), "the old key no longer searches");
    ctrl(&mut s, 'f');
    assert!(
        matches!(s.overlay, Some(emby_tui::app::Overlay::Search(_))),
        "the new key searches"
    );
    key(&mut s, KeyCode::Esc);
    let screen = draw(&s);
    assert!(screen.contains("C-f search"), "status line:\n{screen}");
    key(&mut s, KeyCode::F(1));
    let help = draw(&s);
    assert!(
        help.contains("C-f                         search"),
        "{help}"
    );
    assert!(
        !help.contains("/                           search"),
        "{help}"
    );
    insta::assert_snapshot!(help);
}

/// Each bad entry of config.toml is said once, on screen, with its line; the app goes on.
#[test]
fn config_problems_are_shown_once_with_their_lines() {
    let config = emby_tui::config::Config::from_text(
        "[keys]\nquit = \"x\"\njump = \"j\"\n\n[theme]\nerror = \"blurple\"\n",
        None,
        None,
    );
    let mut s = emby_tui::tui::initial_state(
        emby_tui::session::Snapshot::default(),
        emby_tui::tui::Setup {
            config,
            ..emby_tui::tui::Setup::new("https://emby.media/pin")
        },
    );
    act(&mut s, Action::Resize(100, 30));
    let screen = draw(&s);
    assert!(
        screen.contains("config.toml line 3: `jump` is not a command"),
        "{screen}"
    );
    assert!(
        screen.contains("config.toml line 6: `blurple` is not a colour"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
    // any key closes it, and the good entry is in force
    key(&mut s, KeyCode::Char('j'));
    assert!(s.overlay.is_none());
    key(&mut s, KeyCode::Esc); // to the servers pane (the sign-in fields take letters)
    key(&mut s, KeyCode::Char('q'));
    assert!(!s.quit, "q no longer quits");
    key(&mut s, KeyCode::Char('x'));
    assert!(s.quit, "x quits, as the file says");
}

#[test]
fn the_log_pane_shows_the_file_and_the_lines_at_the_level_chosen() {
    let log = emby_tui::app::log::RecentLog::new(
        100,
        Some(std::path::PathBuf::from(
            "/home/ann/.local/share/emby-tui/emby-tui.log",
        )),
    );
    log.push("2026-12-02T05:00:00.000Z  INFO emby_tui::session::hub::list: refresh started\n");
    log.push("2026-12-02T05:00:00.120Z DEBUG emby_tui::session::race: lan answered ms=12\n");
    log.push(
        "2026-12-02T05:00:03.010Z  WARN emby_tui::session::hub::servers: reach failed server=Attic error=connection refused\n",
    );
    log.push("2026-12-02T05:00:03.200Z ERROR emby_tui::worker: a request failed\n");
    let mut s = session_with_home();
    s.log = Some(std::sync::Arc::new(log));
    key(&mut s, KeyCode::Char('L'));
    let info = draw(&s);
    assert!(
        info.contains("File: /home/ann/.local/share/emby-tui/emby-tui.log"),
        "{info}"
    );
    assert!(
        info.contains("refresh started") && !info.contains("lan answered"),
        "{info}"
    );
    insta::assert_snapshot!(info);
    // f steps the level: error, then warn, ...
    for _ in 0..4 {
        key(&mut s, KeyCode::Char('f'));
    }
    let warn = draw(&s);
    assert!(warn.contains("warn and above"), "{warn}");
    assert!(
        warn.contains("reach failed") && !warn.contains("refresh started"),
        "{warn}"
    );
    key(&mut s, KeyCode::Esc);
    assert!(s.overlay.is_none());
}

/// NO_COLOR: not one cell is coloured, on any pane drawn here.
#[test]
fn no_color_draws_without_colour() {
    let colours = |s: &State| {
        let mut t = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
        t.draw(|f| emby_tui::ui::draw(f, s)).unwrap();
        t.backend()
            .buffer()
            .content()
            .iter()
            .filter(|c| {
                c.fg != ratatui::style::Color::Reset || c.bg != ratatui::style::Color::Reset
            })
            .count()
    };
    let coloured = session_with_home();
    assert!(colours(&coloured) > 0, "the dark theme colours something");
    let mut plain = with_config(session_with_home(), "", Some("1"));
    assert_eq!(colours(&plain), 0);
    key(&mut plain, KeyCode::Char('?'));
    assert_eq!(colours(&plain), 0);
    let servers = with_config(started(servers()), "", Some("1"));
    assert_eq!(colours(&servers), 0);
}
