//! `cargo bench --bench everywhere`: the "All servers" tab (issue #12) through the real worker
//! against an in-process emby-sim of 5 servers, one answering every request after 2 s (the sim's
//! `delay_ms` fault) and one unreachable (black-holed), each with 10,000 movies (a fifth of them
//! shared between servers):
//! 1. first merged rows drawn after the fastest server's answer (the moment its Action reaches the
//!    UI loop to the end of the frame drawn with it, ratatui `TestBackend`), and from start;
//! 2. search as you type: for each new term, each fast server's results merged and drawn after
//!    its answer arrives, and the last key to all three fast servers' results drawn;
//! 3. 5 x 10,000-item answers merged into one list (5 healthy servers' whole film libraries
//!    arriving one after the other as search results) and then browsed: every frame's time
//!    (update + draw), the longest reported against 16 ms.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use emby_tui::app::action::{EverywhereLoaded, EverywhereRequest};
use emby_tui::app::everywhere::Part;
use emby_tui::app::{Action, Effect, State, update};
use emby_tui::emby::server::ItemsQuery;
use emby_tui::emby::{HttpConfig, Secret};
use emby_tui::session::everywhere::{Found, SearchGroup, ServerSearch};
use emby_tui::session::race::RaceConfig;
use emby_tui::session::{Hub, SessionConfig};
use emby_tui::sim::{Scenario, Sim};

const MOVIES: u32 = 10_000;
const NAMES: [&str; 5] = ["Alpha", "Beta", "Gamma", "Slow", "Dead"];
const RUNS: usize = 5;
const TERMS: [&str; 8] = [
    "night", "amber", "crown", "river", "glass", "harbor", "storm", "winter",
];

fn scenario(faults: bool) -> String {
    let mut s = String::from(
        "[[connect.users]]\nname = \"demo\"\nemail = \"demo@example.com\"\npassword = \"demo\"\n",
    );
    for name in NAMES {
        s.push_str(&format!(
            "\n[[servers]]\nname = \"{name}\"\ndiscoverable = false\n\
             library = {{ movies = {MOVIES}, series = 20, seasons = 2, episodes = 10, albums = 0, tracks = 0 }}\n"
        ));
        if faults && name == "Slow" {
            s.push_str("faults.local = { delay_ms = 2000 }\nfaults.remote = { delay_ms = 2000 }\n");
        }
        if faults && name == "Dead" {
            s.push_str(
                "faults.local = { blackhole = true }\nfaults.remote = { blackhole = true }\n",
            );
        }
        s.push_str("[[servers.users]]\nname = \"u\"\npassword = \"u\"\nconnect = \"demo\"\n");
        for i in (0..MOVIES).step_by(5) {
            s.push_str(&format!(
                "[[servers.titles]]\nmovie = {i}\nimdb = \"tt8{i:07}\"\n"
            ));
        }
    }
    s
}

fn config(sim: &Sim, dir: &std::path::Path) -> SessionConfig {
    SessionConfig {
        config_dir: dir.to_path_buf(),
        cache_dir: None,
        connect_url: sim.connect_url(),
        discovery: None,
        // the defaults of the command line: a 2 s answer is within the 3 s local limit
        race: RaceConfig {
            head_start: Duration::from_millis(200),
            local_timeout: Duration::from_millis(3000),
            remote_timeout: Duration::from_millis(6000),
            manual_timeout: Duration::from_millis(6000),
        },
        http: HttpConfig::default(),
        reaches_in_flight: 64,
        network: Some("bench".into()),
    }
}

/// A TestBackend that notes when each frame is done (flushed).
struct Timed {
    inner: TestBackend,
    flushes: std::sync::Arc<std::sync::Mutex<Vec<Instant>>>,
}

impl ratatui::backend::Backend for Timed {
    type Error = <TestBackend as ratatui::backend::Backend>::Error;
    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<ratatui::layout::Position, Self::Error> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<ratatui::layout::Position>>(
        &mut self,
        position: P,
    ) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ratatui::backend::ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<ratatui::layout::Size, Self::Error> {
        self.inner.size()
    }
    fn window_size(&mut self) -> Result<ratatui::backend::WindowSize, Self::Error> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()?;
        self.flushes.lock().unwrap().push(Instant::now());
        Ok(())
    }
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

struct Stats(Vec<Duration>);

impl Stats {
    fn line(mut self, what: &str) {
        self.0.sort();
        let n = self.0.len();
        if n == 0 {
            println!("| {what} | - | - | - | 0 |");
            return;
        }
        let p95 = self.0[((n as f64 * 0.95).ceil() as usize).clamp(1, n) - 1];
        println!(
            "| {what} | {:.2} | {:.2} | {:.2} | {n} |",
            ms(self.0[n / 2]),
            ms(p95),
            ms(self.0[n - 1])
        );
    }
}

struct Ui {
    state: State,
    effects: UnboundedSender<Effect>,
    actions: UnboundedReceiver<Action>,
    terminal: Terminal<TestBackend>,
    /// When the loop last woke up for an Action (the queue was empty before).
    woke: Instant,
}

impl Ui {
    fn act(&mut self, a: Action) {
        for e in update(&mut self.state, a) {
            let _ = self.effects.send(e);
        }
    }

    fn draw(&mut self) {
        self.terminal
            .draw(|f| emby_tui::ui::draw(f, &self.state))
            .expect("draw");
    }

    /// Receives one Action; returns it applied and drawn, with how long after it arrived. An
    /// Action found already waiting counts from when the loop last woke for one: everything done
    /// since (the Actions before it, keys typed) counts as its wait, an upper bound of it.
    async fn next(&mut self) -> (Action, Duration) {
        let a = match self.actions.try_recv() {
            Ok(a) => a,
            Err(_) => {
                let a = tokio::time::timeout(Duration::from_secs(60), self.actions.recv())
                    .await
                    .expect("the worker answers")
                    .expect("the worker runs");
                self.woke = Instant::now();
                a
            }
        };
        self.act(a.clone());
        self.draw();
        (a, self.woke.elapsed())
    }
}

fn home_answered(s: &State, id: &str) -> bool {
    s.everywhere.home_parts.get(id) == Some(&Part::Answered)
}

/// The longest of each figure measured against a goal.
struct Worst {
    first_rows: Duration,
    search: Duration,
}

async fn streaming() -> Worst {
    let sim = Sim::start(Scenario::from_toml_str(&scenario(true)).expect("scenario"))
        .await
        .expect("sim");
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&sim, dir.path());
    {
        // a first run signs in and keeps the sessions; the measured runs start from them
        let hub = Hub::open(cfg.clone(), None).expect("session layer");
        hub.connect_sign_in("demo", &Secret::new("demo"))
            .await
            .expect("sign in");
        hub.refresh().await.expect("refresh");
    }
    let id = |name: &str| sim.server(name).unwrap().id.to_ascii_lowercase();
    let fast: Vec<String> = ["Alpha", "Beta", "Gamma"].map(id).to_vec();
    let slow = id("Slow");
    let dead = id("Dead");

    let mut first_rows = Vec::new();
    let mut start_to_first = Vec::new();
    let mut each_home = Vec::new();
    let mut slow_home = Vec::new();
    let mut search_each = Vec::new();
    let mut key_to_fast = Vec::new();
    for _ in 0..RUNS {
        let (snapshot, effects, actions) = emby_tui::worker::spawn(cfg.clone()).expect("worker");
        let state = emby_tui::tui::initial_state(snapshot, emby_tui::tui::Setup::new("pin"));
        let mut ui = Ui {
            state,
            effects,
            actions,
            terminal: Terminal::new(TestBackend::new(200, 60)).unwrap(),
            woke: Instant::now(),
        };
        ui.act(Action::Resize(200, 60));
        let started = Instant::now();
        let _ = ui.effects.send(Effect::Start);
        let mut first = true;
        while !(home_answered(&ui.state, &slow)
            && emby_tui::app::everywhere::footer(&ui.state)
                .iter()
                .any(|(n, w)| n == "Dead" && *w == "unreachable"))
        {
            let (a, took) = ui.next().await;
            if let Action::Everywhere {
                server_id,
                result: Ok(EverywhereLoaded::Home(_)),
                ..
            } = &a
            {
                let v = &ui.state.everywhere;
                if first && v.rows.iter().any(|r| v.merged(*r).is_some()) {
                    first = false;
                    first_rows.push(took);
                    start_to_first.push(started.elapsed());
                }
                if server_id.eq_ignore_ascii_case(&slow) {
                    slow_home.push(started.elapsed());
                } else {
                    each_home.push(took);
                }
            }
        }
        assert!(!home_answered(&ui.state, &dead));

        // search as you type: every letter a new search, the older ones cancelled
        for term in TERMS {
            if ui.state.everywhere.typing {
                ui.act(key(KeyCode::Esc)); // cancels the last term's search: home rows again
            }
            ui.act(key(KeyCode::Char('/')));
            let mut typed = Instant::now();
            for c in term.chars() {
                typed = Instant::now();
                ui.act(key(KeyCode::Char(c)));
                ui.draw();
            }
            let generation = ui.state.everywhere.search.as_ref().unwrap().generation;
            let answered = |s: &State| {
                let parts = &s.everywhere.search.as_ref().unwrap().parts;
                fast.iter()
                    .all(|id| parts.get(id.as_str()) == Some(&Part::Answered))
            };
            while !answered(&ui.state) {
                let (a, took) = ui.next().await;
                if let Action::Everywhere {
                    generation: g,
                    result: Ok(EverywhereLoaded::Search(_)),
                    ..
                } = &a
                    && *g == generation
                {
                    search_each.push(took);
                }
            }
            key_to_fast.push(typed.elapsed());
            assert!(
                ui.state
                    .everywhere
                    .search
                    .as_ref()
                    .unwrap()
                    .parts
                    .get(slow.as_str())
                    != Some(&Part::Answered),
                "the slow server answered first"
            );
        }
        drop(ui);
    }
    let worst = Worst {
        first_rows: first_rows.iter().max().copied().expect("rows were drawn"),
        search: search_each
            .iter()
            .max()
            .copied()
            .expect("results were drawn"),
    };
    println!(
        "| 5 servers (one answering after 2 s, one unreachable), {RUNS} starts | median ms | p95 ms | max ms | n |"
    );
    println!("|---|---:|---:|---:|---:|");
    Stats(first_rows).line("first merged rows drawn after the fastest server's answer");
    Stats(each_home).line("each fast server's home merged and drawn after its answer");
    Stats(start_to_first).line("start to the first merged rows drawn (sessions reached again)");
    Stats(slow_home).line("start to the slow server's rows filled in");
    Stats(search_each)
        .line("a fast server's results for a new term merged and drawn after its answer");
    Stats(key_to_fast).line("last key of a term to all 3 fast servers' results drawn");
    sim.shutdown().await;
    worst
}

async fn big_merge() -> Duration {
    let sim = Sim::start(Scenario::from_toml_str(&scenario(false)).expect("scenario"))
        .await
        .expect("sim");
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::open(config(&sim, dir.path()), None).expect("session layer");
    hub.connect_sign_in("demo", &Secret::new("demo"))
        .await
        .expect("sign in");
    hub.refresh().await.expect("refresh");
    let query = ItemsQuery {
        recursive: Some(true),
        include_item_types: vec!["Movie".into()],
        limit: Some(MOVIES),
        fields: vec!["ProviderIds".into(), "DateCreated".into()],
        enable_total_record_count: Some(false),
        ..Default::default()
    };
    let mut libraries = Vec::new();
    for r in hub.reports() {
        let items = hub.items(&r.id, &query).await.expect("a library").items;
        assert_eq!(items.len(), MOVIES as usize);
        // as the session layer hands answers over: ready to merge (see `Found::prepare`)
        let found: Vec<Found> = items
            .into_iter()
            .map(|i| {
                let mut f = Found::new(&r.id, i);
                f.prepare();
                f
            })
            .collect();
        libraries.push((r.id.clone(), found));
    }

    let mut state = State::new("pin");
    let _ = update(&mut state, Action::Resize(200, 60));
    let _ = update(
        &mut state,
        Action::Started {
            connect_user: Some("demo".into()),
            servers: hub.reports(),
            notices: vec![],
        },
    );
    let _ = update(&mut state, key(KeyCode::Char('0')));
    let _ = update(&mut state, key(KeyCode::Char('/')));
    let asked = update(&mut state, key(KeyCode::Char('a')));
    // the five answers arrive back to back (the worst case), each handed over in parts as the
    // worker does; the real event loop merges them, drawing as it goes
    let (etx, _erx) = tokio::sync::mpsc::unbounded_channel();
    let (atx, mut arx) = tokio::sync::mpsc::unbounded_channel();
    for (server_id, found) in libraries {
        let generation = asked
            .iter()
            .find_map(|e| match e {
                Effect::Everywhere {
                    server_id: s,
                    generation,
                    request: EverywhereRequest::Search(_),
                } if *s == server_id => Some(*generation),
                _ => None,
            })
            .expect("every server is searched");
        let answer = Action::Everywhere {
            server_id: server_id.clone(),
            generation,
            result: Ok(EverywhereLoaded::Search(Box::new(ServerSearch {
                server_id: server_id.clone(),
                term: "a".into(),
                groups: vec![(SearchGroup::Films, found)],
            }))),
        };
        for part in answer.in_parts() {
            atx.send(part).expect("queued");
        }
    }
    drop(atx); // the loop ends once everything is merged
    let flushes = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut terminal = Terminal::new(Timed {
        inner: TestBackend::new(200, 60),
        flushes: flushes.clone(),
    })
    .unwrap();
    let started = Instant::now();
    emby_tui::tui::event_loop(
        &mut terminal,
        &mut state,
        futures::stream::pending(),
        &etx,
        &mut arx,
        std::future::pending(),
    )
    .await
    .expect("the loop runs");
    let all_merged = started.elapsed();
    let times = flushes.lock().unwrap().clone();
    let mut merge_frames: Vec<Duration> = std::iter::once(started)
        .chain(times.iter().copied())
        .collect::<Vec<_>>()
        .windows(2)
        .map(|w| w[1] - w[0])
        .collect();
    merge_frames.retain(|d| !d.is_zero());
    let rows = state.everywhere.search.as_ref().unwrap().merge.len();
    let mut browse_frames = Vec::new();
    let _ = update(&mut state, key(KeyCode::Enter));
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let keys = std::iter::repeat_n(KeyCode::PageDown, 300)
        .chain(std::iter::repeat_n(KeyCode::Down, 200))
        .chain([KeyCode::End, KeyCode::Home, KeyCode::End])
        .chain(std::iter::repeat_n(KeyCode::PageUp, 300));
    for k in keys {
        let t = Instant::now();
        let _ = update(&mut state, key(k));
        terminal
            .draw(|f| emby_tui::ui::draw(f, &state))
            .expect("draw");
        browse_frames.push(t.elapsed());
    }
    let longest = merge_frames
        .iter()
        .chain(&browse_frames)
        .max()
        .copied()
        .unwrap_or_default();
    println!();
    println!(
        "| 5 x {MOVIES} films merged ({rows} rows; a fifth shared by all 5) | median ms | p95 ms | max ms | n |"
    );
    println!("|---|---:|---:|---:|---:|");
    let frames = merge_frames.len();
    Stats(merge_frames).line(&format!(
        "a frame while the 5 answers are merged (all in {:.0} ms, {frames} frames)",
        ms(all_merged)
    ));
    Stats(browse_frames).line("a key (PgDn, ↓, End, PgUp) on the merged list and the frame drawn");
    sim.shutdown().await;
    longest
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: keep it quick then
    if !std::env::args().any(|a| a == "--bench") {
        println!("(run with `cargo bench --bench everywhere` for the figures)");
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let goal = |what: &str, took: Duration, limit: Duration| {
        let met = took < limit;
        println!(
            "goal: {what}: longest {:.2} ms, goal < {:.0} ms: {}",
            ms(took),
            ms(limit),
            if met { "met" } else { "MISSED" }
        );
        met
    };
    let mut met = true;
    let streamed =
        (std::env::var("EVERYWHERE_MERGE_ONLY").is_err()).then(|| rt.block_on(streaming()));
    let longest = rt.block_on(big_merge());
    println!();
    if let Some(w) = streamed {
        met &= goal(
            "first merged rows drawn after the fastest server's answer",
            w.first_rows,
            Duration::from_millis(100),
        );
        met &= goal(
            "a fast server's results for a new term drawn after its answer",
            w.search,
            Duration::from_millis(100),
        );
    }
    met &= goal(
        "a frame while 5 x 10,000 items are merged and browsed",
        longest,
        Duration::from_millis(16),
    );
    if !met {
        std::process::exit(1);
    }
}
