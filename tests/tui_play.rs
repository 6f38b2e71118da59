//! Playing from the terminal UI, driven headless through its Actions against emby-sim: the real
//! worker and hub, keys through the keymap, a stand-in for mpv (tests/players/fake_mpv.py) as
//! the player here, and the simulator's fake devices as the other devices.

mod common;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use emby_tui::app::browse::{HomeRow, View};
use emby_tui::app::play::MenuEntry;
use emby_tui::app::{Action, Effect, Overlay, Pane, State, update};
use emby_tui::player::{PlayerConfig, PlayerTemplate, TerminalUse};
use emby_tui::sim::{Scenario, Sim};

fn wall_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

struct Harness {
    state: State,
    effects: UnboundedSender<Effect>,
    actions: UnboundedReceiver<Action>,
    sim: Sim,
    dir: tempfile::TempDir,
}

impl Harness {
    async fn new(player: PlayerConfig) -> Harness {
        let scenario = Scenario::load(common::scenario_path("demo.toml")).expect("scenario loads");
        let sim = Sim::start(scenario).await.expect("simulator starts");
        let dir = tempfile::tempdir().unwrap();
        let cfg = common::session_config(&sim, dir.path());
        let (snapshot, effects, actions) = emby_tui::worker::spawn(cfg).expect("the worker starts");
        let mut state = emby_tui::tui::initial_state(
            snapshot,
            emby_tui::tui::Setup {
                player,
                ..emby_tui::tui::Setup::new(sim.pin_page_url())
            },
        );
        state.size = (120, 40);
        effects.send(Effect::Start).unwrap();
        let mut h = Harness {
            state,
            effects,
            actions,
            sim,
            dir,
        };
        h.until("the saved state is loaded", |s| s.started).await;
        h.act(Action::Tick(wall_ms()));
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

    fn press(&mut self, c: char) {
        self.key(KeyCode::Char(c));
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.press(c);
        }
    }

    /// Applies the worker's results (and a clock tick a second) until `pred` holds (bounded).
    async fn until(&mut self, what: &str, pred: impl Fn(&State) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while !pred(&self.state) {
            let tick = tokio::time::sleep(Duration::from_millis(250));
            tokio::select! {
                a = self.actions.recv() => match a {
                    Some(a) => self.act(a),
                    None => panic!("the worker stopped while waiting for: {what}"),
                },
                _ = tick => self.act(Action::Tick(wall_ms().max(self.state.now_ms))),
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for: {what}\n{:#?}",
                self.state.overlay
            );
        }
    }

    /// Signed in to Connect as demo, Living Room's home open.
    async fn living_room_home(&mut self) {
        self.typed("demo");
        self.key(KeyCode::Tab);
        self.typed("demo");
        self.key(KeyCode::Enter);
        self.until("the servers are reached", |s| {
            s.pane == Pane::Servers && !s.servers.refreshing && s.servers.checking.is_empty()
        })
        .await;
        let i = self
            .state
            .servers
            .rows
            .iter()
            .position(|r| r.name == "Living Room")
            .unwrap();
        self.press('g');
        for _ in 0..i {
            self.press('j');
        }
        self.key(KeyCode::Enter);
        self.until(
            "home",
            |s| matches!(&s.sessions[0].current().view, View::Home(h) if !h.loading),
        )
        .await;
    }

    fn menu(&self) -> &emby_tui::app::play::PlayMenu {
        match &self.state.overlay {
            Some(Overlay::Play(m)) => m,
            other => panic!("no play menu: {other:?}"),
        }
    }

    /// Moves the menu's cursor to `entry` and presses Enter.
    fn choose(&mut self, entry: MenuEntry) {
        let at = self
            .menu()
            .entries()
            .iter()
            .position(|e| *e == entry)
            .unwrap_or_else(|| panic!("no {entry:?} in the menu"));
        while self.menu().cursor > at {
            self.key(KeyCode::Up);
        }
        while self.menu().cursor < at {
            self.key(KeyCode::Down);
        }
        self.key(KeyCode::Enter);
    }

    /// Puts the home cursor on the first item of Continue Watching; its id.
    fn select_continue_watching(&mut self) -> String {
        let View::Home(h) = &self.state.sessions[0].current().view else {
            panic!("not home")
        };
        let header = h
            .rows
            .iter()
            .position(|r| matches!(r, HomeRow::Header(t) if t == "Continue Watching"))
            .unwrap();
        let target = header + 1;
        let HomeRow::Item(it) = &h.rows[target] else {
            panic!("Continue Watching is empty")
        };
        let id = it.id.clone().unwrap();
        self.press('g');
        for _ in 0..200 {
            let View::Home(h) = &self.state.sessions[0].current().view else {
                unreachable!()
            };
            if h.cursor == target {
                break;
            }
            self.press('j');
        }
        id
    }
}

fn stand_in(plan: &str, log: &std::path::Path) -> PlayerConfig {
    let fake = format!("{}/tests/players/fake_mpv.py", env!("CARGO_MANIFEST_DIR"));
    let template = format!(
        "python3 {fake} --fake-plan={plan} --fake-tick-ms=1 --fake-log={} --idle=once --force-media-title={{title}} --start={{start}} --input-ipc-server={{ipc}}",
        log.display()
    );
    PlayerConfig {
        template: PlayerTemplate::parse(&template).unwrap(),
        // a player with a window of its own: the UI keeps the terminal
        terminal: TerminalUse::Never,
        ..PlayerConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn enter_on_a_movie_opens_the_menu_then_the_tv_plays_it_and_the_panel_pauses_seeks_and_stops()
{
    let mut h = Harness::new(PlayerConfig::default()).await;
    h.living_room_home().await;
    h.key(KeyCode::Enter); // Movies
    h.until(
        "Movies",
        |s| matches!(&s.sessions[0].current().view, View::List(l) if l.list.selected().is_some()),
    )
    .await;
    h.key(KeyCode::Enter); // the first movie: its play menu
    h.until(
        "the other devices are listed",
        |s| matches!(&s.overlay, Some(Overlay::Play(m)) if m.sessions.is_some()),
    )
    .await;
    let names: Vec<String> = h
        .menu()
        .sessions
        .clone()
        .unwrap()
        .unwrap()
        .iter()
        .filter_map(|s| s.device_name.clone())
        .collect();
    assert_eq!(names, ["Living Room TV", "Phone"]);
    h.choose(MenuEntry::Session(0));
    h.until("the remote panel shows the TV playing", |s| {
        matches!(&s.overlay, Some(Overlay::Remote(p))
            if p.session.as_ref().is_some_and(|x| x.now_playing_item.is_some()))
    })
    .await;
    let remote = |s: &State| match &s.overlay {
        Some(Overlay::Remote(p)) => p.clone(),
        _ => panic!("no panel"),
    };
    assert_eq!(remote(&h.state).label, "Living Room TV (Emby Theater)");
    h.press(' ');
    h.until("paused", |s| remote(s).is_paused()).await;
    let at = remote(&h.state).position_ticks(h.state.now_ms).unwrap();
    h.key(KeyCode::Right);
    h.until("30 s further", |s| {
        let p = remote(s);
        p.is_paused() && p.position_ticks(s.now_ms).unwrap() >= at + 30 * 10_000_000
    })
    .await;
    h.press('s');
    h.until("stopped", |s| {
        remote(s)
            .session
            .is_some_and(|x| x.now_playing_item.is_none())
    })
    .await;
    // the panel reads the server again by itself every 5 s of the clock
    let read = remote(&h.state).read_at_ms;
    let asked = remote(&h.state).asked_at_ms;
    let effects = update(&mut h.state, Action::Tick(asked + 4_999));
    assert!(effects.is_empty(), "{effects:?}");
    let effects = update(&mut h.state, Action::Tick(asked + 5_000));
    assert!(
        matches!(effects.as_slice(), [Effect::RemoteRefresh { .. }]),
        "{effects:?}"
    );
    for e in effects {
        h.effects.send(e).unwrap();
    }
    h.until("read again", |s| remote(s).read_at_ms > read).await;
    h.key(KeyCode::Esc);
    assert!(h.state.overlay.is_none());
    h.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn resuming_continue_watching_here_shows_now_playing_and_the_row_updates() {
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("fake.log");
    let mut h = Harness::new(stand_in("play:300,quit", &log)).await;
    h.living_room_home().await;
    let id = h.select_continue_watching();
    let before = emby_tui::app::browse::selected_item(h.state.sessions[0].current())
        .unwrap()
        .user_data
        .clone()
        .unwrap()
        .playback_position_ticks
        .unwrap();
    h.key(KeyCode::Enter);
    assert!(h.menu().resume_ticks.is_some(), "it offers to resume");
    assert_eq!(h.menu().entries()[h.menu().cursor], MenuEntry::Here);
    h.key(KeyCode::Enter);
    let playing = h.state.playing.clone().expect("playing here");
    assert!(!playing.foreground, "a player with its own window");
    h.until("the player ended", |s| s.playing.is_none()).await;
    let notice = h.state.notice.clone().unwrap();
    assert!(!notice.error, "{notice:?}");
    assert!(notice.text.contains("resumes from"), "{notice:?}");
    // the home is asked for afresh: the row shows the new resume position
    h.until("the row shows the new position", |s| {
        let View::Home(home) = &s.sessions[0].current().view else {
            return false;
        };
        home.rows.iter().any(|r| {
            matches!(r, HomeRow::Item(it)
            if it.id.as_deref() == Some(&id)
                && it.user_data.as_ref().and_then(|u| u.playback_position_ticks)
                    .is_some_and(|p| (p - (before + 300 * 10_000_000)).abs() <= 2 * 10_000_000))
        })
    })
    .await;
    // it resumed there
    let argv = std::fs::read_to_string(&log).unwrap();
    assert!(
        argv.contains(&format!("--start={}", before / 10_000_000)),
        "{argv}"
    );
    h.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_player_that_is_not_installed_is_said_in_the_ui_and_the_menu_copies_a_url() {
    let player = PlayerConfig {
        template: PlayerTemplate::parse("no-such-player-for-emby-tui {url}").unwrap(),
        ..PlayerConfig::default()
    };
    let mut h = Harness::new(player).await;
    h.living_room_home().await;
    h.select_continue_watching();
    h.press('P');
    h.key(KeyCode::Enter); // here
    h.until("the play ended", |s| s.playing.is_none()).await;
    let notice = h.state.notice.clone().unwrap();
    assert!(notice.error);
    assert!(
        notice.text.contains("not installed") && notice.text.contains("Copy stream URL"),
        "{notice:?}"
    );
    // copy the URL instead
    h.press('P');
    h.until(
        "devices",
        |s| matches!(&s.overlay, Some(Overlay::Play(m)) if m.sessions.is_some()),
    )
    .await;
    h.choose(MenuEntry::CopyUrl);
    h.until("the URL box", |s| {
        matches!(s.overlay, Some(Overlay::StreamUrl(_)))
    })
    .await;
    let url = h.state.take_clipboard().expect("a URL for the clipboard");
    assert!(url.expose().contains("/stream.y4m?") && url.expose().contains("api_key="));
    let _ = &h.dir;
    h.sim.shutdown().await;
}
