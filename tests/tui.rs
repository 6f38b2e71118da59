//! The terminal UI driven headless through its Actions against emby-sim: the worker runs for
//! real, keys go through the keymap, and the state is checked as the screen would show it.

mod common;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use emby_tui::app::browse::View;
use emby_tui::app::paging::KEEP_PAGES;
use emby_tui::app::signin::{Method, PIN_POLL_MS, PinView};
use emby_tui::app::{Action, Effect, Overlay, Pane, State, update};
use emby_tui::sim::{AddressKind, Fault};
use emby_tui::sim::{Scenario, Sim};

struct Harness {
    state: State,
    effects: UnboundedSender<Effect>,
    actions: UnboundedReceiver<Action>,
    sim: Sim,
    _dir: tempfile::TempDir,
}

impl Harness {
    async fn new(scenario: &str) -> Harness {
        Harness::new_with(scenario, |_| {}).await
    }

    async fn new_with(
        scenario: &str,
        adjust: impl FnOnce(&mut emby_tui::session::SessionConfig),
    ) -> Harness {
        let scenario = Scenario::load(common::scenario_path(scenario)).expect("scenario loads");
        let sim = Sim::start(scenario).await.expect("simulator starts");
        let dir = tempfile::tempdir().unwrap();
        let mut cfg = common::session_config(&sim, dir.path());
        adjust(&mut cfg);
        cfg.discovery = Some(emby_tui::emby::DiscoveryConfig {
            target: sim.discovery_addr(),
            listen_for: Duration::from_millis(300),
            ..Default::default()
        });
        let (snapshot, effects, actions) = emby_tui::worker::spawn(cfg).expect("the worker starts");
        let mut state =
            emby_tui::tui::initial_state(snapshot, emby_tui::tui::Setup::new(sim.pin_page_url()));
        state.size = (120, 40);
        effects.send(Effect::Start).unwrap();
        let mut h = Harness {
            state,
            effects,
            actions,
            sim,
            _dir: dir,
        };
        h.until("the saved state is loaded", |s| s.started).await;
        h
    }

    fn act(&mut self, a: Action) {
        for e in update(&mut self.state, a) {
            self.effects.send(e).expect("worker alive");
        }
    }

    fn key(&mut self, code: KeyCode) {
        self.act(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn ctrl(&mut self, c: char) {
        self.act(Action::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )));
    }

    fn press(&mut self, c: char) {
        self.key(KeyCode::Char(c));
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.press(c);
        }
    }

    /// Apply the worker's results until `pred` holds (bounded; no timing is asserted).
    async fn until(&mut self, what: &str, pred: impl Fn(&State) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while !pred(&self.state) {
            match tokio::time::timeout_at(deadline, self.actions.recv()).await {
                Ok(Some(a)) => self.act(a),
                Ok(None) => panic!("the worker stopped while waiting for: {what}"),
                Err(_) => panic!("timed out waiting for: {what}\n{:#?}", self.state.servers),
            }
        }
    }

    async fn sign_in_connect(&mut self, user: &str, password: &str) {
        assert_eq!(
            self.state.pane,
            Pane::SignIn,
            "a fresh start opens the sign-in pane"
        );
        self.typed(user);
        self.key(KeyCode::Tab);
        self.typed(password);
        self.key(KeyCode::Enter);
        self.until("the servers are listed and reached", |s| {
            s.pane == Pane::Servers
                && !s.servers.refreshing
                && !s.servers.rows.is_empty()
                && s.servers.checking.is_empty()
        })
        .await;
    }

    fn select_server(&mut self, name: &str) {
        let i = self
            .state
            .servers
            .rows
            .iter()
            .position(|r| r.name == name)
            .unwrap_or_else(|| panic!("no row {name}"));
        self.press('g');
        for _ in 0..i {
            self.press('j');
        }
        assert_eq!(self.state.servers.selected().unwrap().name, name);
    }

    fn screen(&self) -> &emby_tui::app::browse::Screen {
        self.state.sessions[self.state.active].current()
    }

    async fn home_loaded(&mut self) {
        self.until(
            "home is loaded",
            |s| matches!(&s.sessions[s.active].current().view, View::Home(h) if !h.loading),
        )
        .await;
    }
}

#[tokio::test]
async fn sign_in_list_open_two_sessions_switch_and_browse_into_a_folder() {
    let mut h = Harness::new("demo.toml").await;
    h.sign_in_connect("demo", "demo").await;
    assert_eq!(h.state.connect_user.as_deref(), Some("demo"));
    assert!(
        h.state.signin.connect_password.is_empty(),
        "the password is cleared after the attempt"
    );
    assert_eq!(h.state.signin.connect_user, "demo", "the name is kept");

    let row = |h: &Harness, name: &str| {
        h.state
            .servers
            .rows
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no row {name}"))
            .clone()
    };
    let living = row(&h, "Living Room");
    assert_eq!(
        (living.state, living.mode),
        ("signed_in", Some("local")),
        "{living:?}"
    );
    let cabin = row(&h, "Cabin");
    assert_eq!((cabin.state, cabin.mode), ("signed_in", Some("remote")));
    assert_eq!(row(&h, "Friend's Server").link_type, Some("guest"));

    // open Living Room and browse into its first library
    h.select_server("Living Room");
    h.key(KeyCode::Enter);
    assert_eq!(h.state.pane, Pane::Session);
    h.home_loaded().await;
    let first = emby_tui::app::browse::selected_item(h.screen())
        .cloned()
        .unwrap();
    assert_eq!(first.name.as_deref(), Some("Movies"));
    h.key(KeyCode::Enter);
    h.until(
        "Movies lists its items",
        |s| matches!(&s.sessions[0].current().view, View::List(l) if l.list.total.is_some()),
    )
    .await;
    let View::List(l) = &h.screen().view else {
        panic!("a list")
    };
    assert_eq!(l.list.total, Some(120));
    h.press('j');
    h.press('j');

    // a second session, on Cabin (reached remotely)
    h.press('s');
    assert_eq!(h.state.pane, Pane::Servers);
    h.select_server("Cabin");
    h.key(KeyCode::Enter);
    assert_eq!((h.state.sessions.len(), h.state.active), (2, 1));
    h.home_loaded().await;
    assert_eq!(h.screen().title, "Home");

    // switch by number and by Tab; each session keeps its place
    h.press('1');
    assert_eq!(h.state.active, 0);
    assert_eq!(h.screen().title, "Movies");
    let View::List(l) = &h.screen().view else {
        panic!("a list")
    };
    assert_eq!(l.list.cursor, 2);
    h.key(KeyCode::Tab);
    assert_eq!(h.state.active, 1);
    assert_eq!(h.screen().title, "Home");
    h.key(KeyCode::BackTab);
    assert_eq!(h.state.active, 0);

    // back goes where we came from
    h.key(KeyCode::Esc);
    assert_eq!(h.screen().title, "Home");
    h.key(KeyCode::Esc);
    assert_eq!(h.state.pane, Pane::Servers);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn a_100k_library_opens_pages_lazily_and_end_reaches_the_last_item() {
    let mut h = Harness::new("large.toml").await;
    h.sign_in_connect("large", "large").await;
    h.select_server("Archive");
    h.key(KeyCode::Enter);
    h.home_loaded().await;
    // the first library is Movies (100,000 items)
    h.key(KeyCode::Enter);
    h.until(
        "the first page",
        |s| matches!(&s.sessions[0].current().view, View::List(l) if l.list.total.is_some()),
    )
    .await;
    let total = match &h.screen().view {
        View::List(l) => l.list.total.unwrap(),
        _ => unreachable!(),
    };
    assert!(total >= 100_000, "{total}");
    h.key(KeyCode::End);
    h.until("the last item is loaded", |s| {
        matches!(&s.sessions[0].current().view,
            View::List(l) if l.list.cursor == total - 1 && l.list.selected().is_some())
    })
    .await;
    // page back up a few screens and jump home: only pages around the cursor are kept
    for _ in 0..5 {
        h.key(KeyCode::PageUp);
    }
    h.key(KeyCode::Home);
    h.until("the first item again", |s| {
        matches!(&s.sessions[0].current().view,
            View::List(l) if l.list.cursor == 0 && l.list.selected().is_some())
    })
    .await;
    let View::List(l) = &h.screen().view else {
        unreachable!()
    };
    assert!(l.list.cached_pages() <= KEEP_PAGES);
    h.sim.shutdown().await;
}

fn shown_pin(s: &State) -> Option<String> {
    match &s.signin.pin {
        PinView::Showing { pin, .. } => Some(pin.clone()),
        _ => None,
    }
}

#[tokio::test]
async fn a_wrong_connect_password_is_shown_and_the_name_kept() {
    let mut h = Harness::new("demo.toml").await;
    h.typed("demo");
    h.key(KeyCode::Tab);
    h.typed("not-it");
    h.key(KeyCode::Enter);
    h.until("an error on the sign-in pane", |s| s.signin.error.is_some())
        .await;
    assert_eq!(h.state.pane, Pane::SignIn);
    assert_eq!(h.state.signin.connect_user, "demo");
    assert!(h.state.signin.connect_password.is_empty());
    assert!(
        h.state
            .signin
            .error
            .as_deref()
            .unwrap()
            .contains("did not accept"),
        "{:?}",
        h.state.signin.error
    );
    h.sim.shutdown().await;
}

#[tokio::test]
async fn a_pin_is_shown_renewed_when_it_expires_and_signs_in_once_confirmed() {
    let mut h = Harness::new("demo.toml").await;
    h.act(Action::Tick(1_000));
    h.ctrl('n');
    assert_eq!(h.state.signin.method, Method::Pin);
    h.until("a PIN", |s| shown_pin(s).is_some()).await;
    let first = shown_pin(&h.state).unwrap();

    // it expires: the next check renews it by itself
    h.sim.expire_pins();
    h.act(Action::Tick(1_000 + PIN_POLL_MS));
    h.until("a new PIN", |s| shown_pin(s).is_some_and(|p| p != first))
        .await;
    let second = shown_pin(&h.state).unwrap();

    // confirmed on the website: the next check signs in, with no key pressed
    assert!(h.sim.confirm_pin(&second, "demo"));
    h.act(Action::Tick(1_000 + 3 * PIN_POLL_MS));
    h.until("signed in and servers listed", |s| {
        s.pane == Pane::Servers && s.connect_user.is_some() && !s.servers.rows.is_empty()
    })
    .await;
    assert_eq!(h.state.connect_user.as_deref(), Some("demo"));
    h.sim.shutdown().await;
}

#[tokio::test]
async fn sign_in_by_address_with_a_public_user_then_sign_out_and_remove() {
    let mut h = Harness::new("demo.toml").await;
    let living = h.sim.server("Living Room").unwrap();
    h.ctrl('p');
    assert_eq!(h.state.signin.method, Method::Address);
    h.typed(&living.local_url);
    h.key(KeyCode::Enter);
    h.until("the server's public users", |s| s.signin.target.is_some())
        .await;
    let users = h.state.signin.target.as_ref().unwrap().users.clone();
    assert!(users.contains(&"kid".to_string()), "{users:?}");

    // a wrong password: said where the user looks, the name kept, the password cleared
    h.key(KeyCode::BackTab);
    while h.state.signin.local_user != "demo" {
        h.key(KeyCode::Down);
    }
    h.key(KeyCode::Tab);
    h.typed("wrong");
    h.key(KeyCode::Enter);
    h.until("an error", |s| s.signin.error.is_some()).await;
    assert_eq!(h.state.signin.local_user, "demo");
    assert!(h.state.signin.local_password.is_empty());

    // the right one
    h.typed("demo");
    h.key(KeyCode::Enter);
    h.until("signed in", |s| s.pane == Pane::Servers).await;
    let row = h.state.servers.selected().unwrap().clone();
    assert_eq!(row.name, "Living Room");
    assert_eq!(row.state, "signed_in");
    assert_eq!(row.user_name.as_deref(), Some("demo"));

    // sign out: the server stays, signed out
    h.press('x');
    h.until("signed out", |s| {
        s.servers
            .selected()
            .is_some_and(|r| r.state == "sign_in_required")
    })
    .await;
    // remove it: asked first; any key but y keeps it
    h.press('D');
    assert!(matches!(h.state.overlay, Some(Overlay::Confirm(_))));
    h.press('j');
    assert!(h.state.overlay.is_none());
    assert_eq!(h.state.servers.rows.len(), 1, "a no keeps the server");
    h.press('D');
    h.press('y');
    h.until("removed", |s| s.servers.rows.is_empty()).await;
    h.sim.shutdown().await;
}

#[tokio::test]
async fn an_invitation_is_accepted_and_the_server_appears() {
    let mut h = Harness::new("demo.toml").await;
    h.sign_in_connect("demo", "demo").await;
    assert!(
        !h.state
            .servers
            .rows
            .iter()
            .any(|r| r.name == "Grandpa's Server")
    );
    h.press('i');
    h.until(
        "the invitations",
        |s| matches!(&s.overlay, Some(emby_tui::app::Overlay::Invitations(v)) if !v.loading),
    )
    .await;
    h.press('a');
    h.until("Grandpa's Server is listed and reached", |s| {
        s.servers
            .rows
            .iter()
            .any(|r| r.name == "Grandpa's Server" && r.state == "signed_in")
    })
    .await;
    h.sim.shutdown().await;
}

#[tokio::test]
async fn a_dead_server_does_not_hold_up_browsing_another() {
    let mut h = Harness::new("demo.toml").await;
    h.sign_in_connect("demo", "demo").await;
    // Cabin dies on every address; a refresh is under way for it
    let cabin = common::id_of(&h.sim, "Cabin");
    let dead = Fault {
        blackhole: true,
        ..Default::default()
    };
    h.sim.set_fault(&cabin, AddressKind::Local, dead.clone());
    h.sim.set_fault(&cabin, AddressKind::Remote, dead);
    h.press('r');
    h.until("the refresh is under way", |s| {
        !s.servers.checking.is_empty()
    })
    .await;
    // meanwhile Living Room opens and browses
    h.select_server("Living Room");
    h.key(KeyCode::Enter);
    h.home_loaded().await;
    assert!(
        h.state.servers.refreshing,
        "Living Room answered while Cabin was still being tried"
    );
    h.until("Cabin reported unavailable", |s| {
        s.servers
            .rows
            .iter()
            .any(|r| r.name == "Cabin" && r.state == "unavailable")
    })
    .await;
    h.sim.shutdown().await;
}

#[tokio::test]
async fn mark_played_and_favourite_from_a_list_and_search() {
    let mut h = Harness::new("demo.toml").await;
    h.sign_in_connect("demo", "demo").await;
    h.select_server("Living Room");
    h.key(KeyCode::Enter);
    h.home_loaded().await;
    h.key(KeyCode::Enter); // Movies
    h.until(
        "Movies",
        |s| matches!(&s.sessions[0].current().view, View::List(l) if l.list.selected().is_some()),
    )
    .await;
    let selected = |s: &State| {
        emby_tui::app::browse::selected_item(s.sessions[0].current())
            .cloned()
            .unwrap()
    };
    let before = selected(&h.state).user_data.unwrap_or_default();
    h.press('p');
    h.press('f');
    h.until("played and favourite flipped", |s| {
        let ud = selected(s).user_data.unwrap_or_default();
        ud.played.unwrap_or(false) != before.played.unwrap_or(false)
            && ud.is_favorite.unwrap_or(false) != before.is_favorite.unwrap_or(false)
    })
    .await;

    // search inside the server
    h.press('/');
    h.typed("amber");
    h.key(KeyCode::Enter);
    h.until(
        "search results",
        |s| matches!(&s.sessions[0].current().view, View::List(l) if l.list.total.is_some()),
    )
    .await;
    let View::List(l) = &h.screen().view else {
        unreachable!()
    };
    assert!(!l.list.is_empty());
    assert!(
        l.list
            .selected()
            .unwrap()
            .name
            .as_deref()
            .unwrap()
            .to_lowercase()
            .contains("amber")
    );
    // details of the first result
    h.press('i');
    h.until("details with media info", |s| {
        matches!(&s.sessions[0].current().view,
            View::Details(d) if d.item.as_ref().is_some_and(|i| !i.media_sources.is_empty()))
    })
    .await;
    h.sim.shutdown().await;
}

#[tokio::test]
async fn discovery_on_the_lan_adds_a_server_that_then_needs_a_sign_in() {
    let mut h = Harness::new("demo.toml").await;
    h.key(KeyCode::Esc); // to the (empty) servers pane without signing in
    assert_eq!(h.state.pane, Pane::Servers);
    h.press('d');
    h.until("Living Room found on the LAN and reached", |s| {
        s.servers.rows.iter().any(|r| {
            r.name == "Living Room" && r.source == "discovered" && r.state == "sign_in_required"
        }) && s.servers.checking.is_empty()
            && s.servers
                .message
                .as_ref()
                .is_some_and(|m| m.text.contains("answered on the LAN"))
    })
    .await;
    let msg = h.state.servers.message.clone().unwrap();
    assert!(msg.text.contains("1 server answered on the LAN"), "{msg:?}");
    h.sim.shutdown().await;
}

#[tokio::test]
async fn a_connect_service_that_never_answers_does_not_hold_up_browsing_a_server() {
    // Requests may take a minute: if the worker waited on Connect, nothing else would move.
    let mut h = Harness::new_with("demo.toml", |cfg| {
        cfg.http.request_timeout = Duration::from_secs(120);
    })
    .await;
    h.sign_in_connect("demo", "demo").await;
    h.sim.set_connect_fault(Fault {
        blackhole: true,
        ..Default::default()
    });
    // ask the silent Connect service for a PIN, then go browsing
    h.press('c');
    assert_eq!(h.state.pane, Pane::SignIn);
    h.act(Action::Tick(1_000));
    h.ctrl('n');
    assert_eq!(h.state.signin.method, Method::Pin);
    h.key(KeyCode::Esc);
    h.select_server("Living Room");
    h.key(KeyCode::Enter);
    h.home_loaded().await;
    assert!(
        shown_pin(&h.state).is_none(),
        "Connect has still not answered"
    );
    h.sim.shutdown().await;
}

#[tokio::test]
async fn signing_out_of_connect_keeps_the_servers_and_their_addresses() {
    let mut h = Harness::new("demo.toml").await;
    h.sign_in_connect("demo", "demo").await;
    h.press('C');
    let Some(Overlay::Confirm(c)) = &h.state.overlay else {
        panic!("C asks first")
    };
    assert!(c.question.contains("Sign out of Emby Connect"), "{c:?}");
    h.key(KeyCode::Enter);
    h.until("signed out of Connect", |s| s.connect_user.is_none())
        .await;
    let rows = &h.state.servers.rows;
    assert_eq!(rows.len(), 3, "servers keep their place in the list");
    assert!(
        rows.iter()
            .all(|r| r.state != "signed_in" && r.local_address.is_some()),
        "{rows:#?}"
    );
    h.press('C');
    assert!(
        h.state
            .servers
            .message
            .as_ref()
            .is_some_and(|m| format!("{m:?}").contains("Not signed in")),
        "a second C says so"
    );
    h.sim.shutdown().await;
}

#[tokio::test]
async fn l_on_a_listed_server_offers_its_public_users_and_signs_in_without_changing_how_it_is_reached()
 {
    let mut h = Harness::new("demo.toml").await;
    h.sign_in_connect("demo", "demo").await;
    h.select_server("Cabin");
    h.press('x');
    h.until("signed out of Cabin", |s| {
        s.servers
            .selected()
            .is_some_and(|r| r.state == "sign_in_required")
    })
    .await;
    h.press('l');
    assert_eq!(h.state.pane, Pane::SignIn);
    h.until("Cabin's public users", |s| {
        s.signin
            .target
            .as_ref()
            .is_some_and(|t| t.users.contains(&"cabin".to_string()))
    })
    .await;
    assert_eq!(
        h.state.signin.local_user, "cabin",
        "the first user is offered"
    );
    h.typed("cabin");
    h.key(KeyCode::Enter);
    h.until("signed in", |s| s.pane == Pane::Servers).await;
    let row = h.state.servers.selected().unwrap().clone();
    assert_eq!(
        (row.name.as_str(), row.state, row.mode, row.source),
        ("Cabin", "signed_in", Some("remote"), "connect"),
        "still a Connect server reached remotely: {row:#?}"
    );
    assert!(row.manual_address.is_none());
    h.sim.shutdown().await;
}

#[tokio::test]
async fn names_from_a_hostile_server_reach_the_screen_without_control_characters() {
    let mut h = Harness::new("demo.toml").await;
    let hostile = Fault {
        hostile_text: true,
        ..Fault::default()
    };
    let living = h.sim.server("Living Room").unwrap().id;
    for kind in [AddressKind::Local, AddressKind::Remote] {
        h.sim.set_fault(&living, kind, hostile.clone());
    }
    h.sign_in_connect("demo", "demo").await;
    let row = h
        .state
        .servers
        .rows
        .iter()
        .find(|r| r.id == living)
        .unwrap()
        .clone();
    assert!(row.name.contains("FAKE LINE"), "{row:?}");
    h.select_server(&row.name);
    h.key(KeyCode::Enter);
    h.home_loaded().await;
    let View::Home(home) = &h.screen().view else {
        panic!("home")
    };
    let names: Vec<String> = home
        .rows
        .iter()
        .filter_map(|r| match r {
            emby_tui::app::browse::HomeRow::Item(it) => it.name.clone(),
            _ => None,
        })
        .collect();
    assert!(names.iter().any(|n| n.contains("FAKE LINE")), "{names:?}");
    for text in names.iter().chain([&row.name, &h.state.sessions[0].name]) {
        assert!(!text.chars().any(char::is_control), "{text:?}");
    }
    // and the frame drawn from it holds no control character either
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| emby_tui::ui::draw(f, &h.state)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    assert!(
        buffer
            .content()
            .iter()
            .all(|c| !c.symbol().chars().any(char::is_control)),
        "a control character reached the screen"
    );
    h.sim.shutdown().await;
}

/// The list in front, once its first page is here.
fn front_list(s: &State) -> Option<&emby_tui::app::browse::ListView> {
    match &s.sessions.get(s.active)?.current().view {
        View::List(l) if l.list.total.is_some() && l.list.selected().is_some() => Some(l),
        _ => None,
    }
}

#[tokio::test]
async fn a_list_sorts_and_filters_on_the_server_and_keeps_the_choice_per_library() {
    let mut h = Harness::new("demo.toml").await;
    h.sign_in_connect("demo", "demo").await;
    h.select_server("Living Room");
    h.key(KeyCode::Enter);
    h.home_loaded().await;
    h.key(KeyCode::Enter); // Movies
    h.until("Movies", |s| front_list(s).is_some()).await;
    let total = front_list(&h.state).unwrap().list.len();
    let living = h.sim.server("Living Room").unwrap().id;
    let last_items_query = |h: &Harness| {
        h.sim
            .requests(&living, AddressKind::Local)
            .into_iter()
            .rev()
            .find(|r| r.path.to_ascii_lowercase().ends_with("/items"))
            .unwrap()
            .query
    };
    // sort by date added, newest first: the server sorts
    h.press('o');
    h.until("sorted", |s| {
        front_list(s).is_some_and(|l| l.order.sort == emby_tui::app::order::SortKey::DateAdded)
    })
    .await;
    let q = last_items_query(&h);
    assert!(
        q.contains("SortBy=DateCreated") && q.contains("SortOrder=Descending"),
        "{q}"
    );
    // mark the first one played, then show only what is unplayed
    h.press('p');
    h.until("played", |s| {
        front_list(s)
            .and_then(|l| l.list.selected())
            .is_some_and(|i| i.user_data.as_ref().and_then(|u| u.played) == Some(true))
    })
    .await;
    let played_id = front_list(&h.state)
        .unwrap()
        .list
        .selected()
        .unwrap()
        .id
        .clone();
    h.press('F');
    h.until("unplayed only", |s| {
        front_list(s).is_some_and(|l| l.order.shown == emby_tui::app::order::Shown::Unplayed)
    })
    .await;
    let l = front_list(&h.state).unwrap();
    assert!(l.list.len() < total, "the played ones are not shown");
    for i in 0..l.list.len().min(100) {
        let it = l.list.get(i).unwrap();
        assert_ne!(it.id, played_id);
        assert_ne!(it.user_data.as_ref().and_then(|u| u.played), Some(true));
    }
    assert!(last_items_query(&h).contains("Filters=IsUnplayed"));
    // a genre (asked of the server once), then a year range typed in
    h.press('#');
    h.until("a genre", |s| {
        front_list(s).is_some_and(|l| l.order.genre.is_some())
    })
    .await;
    assert!(
        last_items_query(&h).contains("Genres="),
        "{}",
        last_items_query(&h)
    );
    assert!(front_list(&h.state).unwrap().list.len() < total);
    h.press('Y');
    h.typed("1960-2030");
    h.key(KeyCode::Enter);
    h.until("years", |s| {
        front_list(s).is_some_and(|l| l.order.years.is_some())
    })
    .await;
    assert!(last_items_query(&h).contains("Years=1960"));
    // the heading says it, and the choice is kept for this library
    let heading_order = front_list(&h.state).unwrap().order.describe().unwrap();
    assert!(
        heading_order.starts_with("by date added ↓ · unplayed"),
        "{heading_order}"
    );
    h.key(KeyCode::Esc); // back home
    h.key(KeyCode::Enter); // Movies again
    h.until("Movies again", |s| front_list(s).is_some()).await;
    assert_eq!(
        front_list(&h.state).unwrap().order.describe().unwrap(),
        heading_order
    );
    h.sim.shutdown().await;
}

#[tokio::test]
async fn a_new_search_replaces_the_last_results_and_starts_from_the_last_query_selected() {
    let mut h = Harness::new("demo.toml").await;
    h.sign_in_connect("demo", "demo").await;
    h.select_server("Living Room");
    h.key(KeyCode::Enter);
    h.home_loaded().await;
    let depth = h.state.sessions[0].stack.len();
    h.press('/');
    h.typed("crim");
    h.key(KeyCode::Enter);
    h.until("results", |s| {
        front_list(s).is_some()
            || matches!(&s.sessions[0].current().view, View::List(l) if l.list.total.is_some())
    })
    .await;
    h.press('/');
    let Some(Overlay::Search(field)) = &h.state.overlay else {
        panic!("the search prompt")
    };
    assert_eq!(field.value(), "crim");
    assert!(field.is_selected(), "the last query is selected");
    h.typed("signal");
    let Some(Overlay::Search(field)) = &h.state.overlay else {
        panic!()
    };
    assert_eq!(field.value(), "signal", "typing replaced the last query");
    h.key(KeyCode::Enter);
    assert_eq!(
        h.state.sessions[0].stack.len(),
        depth + 1,
        "one results level, not two"
    );
    assert_eq!(h.screen().title, "Search: signal");
    h.sim.shutdown().await;
}

// ---- issue 11: the Connect account, sign-up and a server's administration ----

fn admin_view(s: &State) -> Option<&emby_tui::app::admin::AdminView> {
    match &s.overlay {
        Some(emby_tui::app::Overlay::Admin(v)) => Some(v.as_ref()),
        _ => None,
    }
}

#[tokio::test]
async fn the_admin_view_lists_users_and_links_one_to_a_friend_who_is_then_pending() {
    use emby_tui::app::admin::AdminStage;
    let mut h = Harness::new("demo.toml").await;
    h.sign_in_connect("demo", "demo").await;
    h.select_server("Living Room");
    h.key(KeyCode::Enter);
    h.home_loaded().await;
    h.press('A');
    assert!(
        admin_view(&h.state).is_some_and(|v| v.stage == AdminStage::Checking && v.users.is_empty()),
        "nothing of the server's administration before it says who administers it"
    );
    h.until("the administration view", |s| {
        admin_view(s).is_some_and(|v| v.stage == AdminStage::Shown)
    })
    .await;
    let v = admin_view(&h.state).unwrap();
    let names: Vec<&str> = v.users.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["demo", "kid"]);
    assert_eq!(v.users[0].link, Some("linked"));
    assert!(v.users[0].administrator);
    assert_eq!(v.libraries.len(), 3);
    // link kid to the friend's e-mail from the form
    h.press('j');
    h.press('l');
    assert_eq!(h.state.mode(), emby_tui::app::Mode::AdminForm);
    h.typed("friend@example.com");
    h.key(KeyCode::Enter);
    h.until("linked, pending, and reloaded", |s| {
        admin_view(s).is_some_and(|v| {
            !v.loading
                && v.form.is_none()
                && v.users
                    .iter()
                    .any(|u| u.name == "kid" && u.link == Some("pending"))
        })
    })
    .await;
    let v = admin_view(&h.state).unwrap();
    assert!(
        v.message
            .as_ref()
            .is_some_and(|m| !m.error && m.text.contains("pending")),
        "{:?}",
        v.message
    );
    assert_eq!(v.pending.len(), 1);
    assert_eq!(v.pending[0].user_name, "friend");
    // cancel it from the pending list
    h.key(KeyCode::Tab);
    h.press('x');
    h.until("cancelled and reloaded", |s| {
        admin_view(s).is_some_and(|v| !v.loading && !v.busy && v.pending.is_empty())
    })
    .await;
    // an error is a sentence in the view, which stays open
    h.key(KeyCode::Tab);
    h.press('k');
    h.press('k');
    h.press('n');
    h.typed("ghost");
    h.key(KeyCode::Enter);
    h.until("the refusal", |s| {
        admin_view(s).is_some_and(|v| !v.busy && v.message.as_ref().is_some_and(|m| m.error))
    })
    .await;
    let v = admin_view(&h.state).unwrap();
    assert!(
        v.message
            .as_ref()
            .unwrap()
            .text
            .contains("no user named ghost"),
        "{:?}",
        v.message
    );
    assert!(v.form.is_some(), "the form keeps what was typed");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Esc);
    assert!(h.state.overlay.is_none());
    h.sim.shutdown().await;
}

#[tokio::test]
async fn a_non_administrator_never_sees_the_admin_view() {
    use emby_tui::app::admin::AdminStage;
    let mut h = Harness::new("demo.toml").await;
    let living = h.sim.server("Living Room").unwrap();
    h.ctrl('p');
    h.typed(&living.local_url);
    h.key(KeyCode::Enter);
    h.until("the server's public users", |s| s.signin.target.is_some())
        .await;
    h.key(KeyCode::BackTab);
    for _ in 0..4 {
        if h.state.signin.local_user == "kid" {
            break;
        }
        h.key(KeyCode::Down);
    }
    assert_eq!(h.state.signin.local_user, "kid");
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    h.until("signed in as kid", |s| {
        s.pane == Pane::Servers
            && s.servers
                .rows
                .iter()
                .any(|r| r.state == "signed_in" && r.user_name.as_deref() == Some("kid"))
    })
    .await;
    h.select_server("Living Room");
    h.key(KeyCode::Enter);
    h.home_loaded().await;
    h.press('A');
    h.until("the answer", |s| {
        admin_view(s).is_some_and(|v| v.stage != AdminStage::Checking)
    })
    .await;
    let v = admin_view(&h.state).unwrap();
    let AdminStage::Refused(why) = &v.stage else {
        panic!("shown to a non-administrator: {v:#?}")
    };
    assert!(
        why.contains("you are not an administrator of Living Room"),
        "{why}"
    );
    assert!(v.users.is_empty() && v.pending.is_empty() && v.libraries.is_empty());
    // no key opens a form or sends anything there
    for c in ['l', 'n', 'u', 'x'] {
        h.press(c);
    }
    assert!(admin_view(&h.state).unwrap().form.is_none());
    h.key(KeyCode::Esc);
    assert!(h.state.overlay.is_none());
    assert_eq!(
        h.state.servers.selected().map(|r| r.state),
        Some("signed_in"),
        "the refusal does not sign kid out"
    );
    h.sim.shutdown().await;
}

#[tokio::test]
async fn sign_up_in_the_app_checks_the_password_twice_then_signs_in_and_the_account_box_shows_it() {
    let mut h = Harness::new("demo.toml").await;
    assert_eq!(h.state.pane, Pane::SignIn);
    h.key(KeyCode::F(3));
    assert_eq!(h.state.signin.method, Method::SignUp);
    h.typed("anna@example.com");
    h.key(KeyCode::Tab);
    h.typed("anna");
    h.key(KeyCode::Tab);
    h.typed("one password");
    h.key(KeyCode::Tab);
    h.typed("another");
    h.key(KeyCode::Enter);
    assert!(
        h.state
            .signin
            .error
            .as_deref()
            .is_some_and(|e| e.contains("differ")),
        "{:?}",
        h.state.signin.error
    );
    assert!(h.state.signin.signup.password.is_empty() && h.state.signin.signup.again.is_empty());
    assert_eq!(h.state.signin.focus, 2);
    h.typed("same-pw");
    h.key(KeyCode::Tab);
    h.typed("same-pw");
    h.key(KeyCode::Enter);
    h.until("signed in to the new account", |s| {
        s.connect_user.as_deref() == Some("anna") && s.pane == Pane::Servers
    })
    .await;
    // the account box asks the service who this is
    h.press('u');
    h.until(
        "the account details",
        |s| matches!(&s.overlay, Some(emby_tui::app::Overlay::Account(v)) if v.user.is_some()),
    )
    .await;
    let Some(emby_tui::app::Overlay::Account(v)) = &h.state.overlay else {
        unreachable!()
    };
    let user = v.user.as_ref().unwrap();
    assert_eq!(
        (user.name.as_str(), user.email.as_deref()),
        ("anna", Some("anna@example.com"))
    );
    // a taken name is a sentence on the form
    h.key(KeyCode::Esc);
    h.press('c');
    h.key(KeyCode::F(3));
    h.typed("x@example.com");
    h.key(KeyCode::Tab);
    h.typed("demo");
    h.key(KeyCode::Tab);
    h.typed("pw");
    h.key(KeyCode::Tab);
    h.typed("pw");
    h.key(KeyCode::Enter);
    h.until("refused", |s| {
        s.signin.busy.is_none() && s.signin.error.is_some()
    })
    .await;
    assert!(
        h.state
            .signin
            .error
            .as_deref()
            .is_some_and(|e| e.contains("demo is already taken")),
        "{:?}",
        h.state.signin.error
    );
    h.sim.shutdown().await;
}
