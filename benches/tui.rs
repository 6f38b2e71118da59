//! `cargo bench --bench tui`: (1) the time to draw one frame of a 100,000-item list (the cursor
//! moving every frame, so every frame re-renders), (2) the time to open large.toml's 100,000-item
//! library and jump to its end through the real worker against an in-process emby-sim, and
//! (3) peak memory (VmHWM) while browsing it. Prints the figures for the README.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use emby_tui::app::browse::View;
use emby_tui::app::paging::PAGE_SIZE;
use emby_tui::app::{Action, Effect, Loaded, Request, State, update};
use emby_tui::emby::models::{BaseItemDto, UserItemDataDto};
use emby_tui::emby::{HttpConfig, Secret};
use emby_tui::session::race::RaceConfig;
use emby_tui::session::{Hub, ServerReport, SessionConfig};
use emby_tui::sim::{Scenario, Sim};

const TOTAL: usize = 100_000;

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn fake_item(i: usize) -> BaseItemDto {
    BaseItemDto {
        id: Some(format!("{i:032x}")),
        name: Some(format!("Synthetic Movie Title Number {i}")),
        item_type: Some("Movie".into()),
        is_folder: Some(false),
        production_year: Some(1950 + (i % 70) as i32),
        run_time_ticks: Some((80 + (i % 60) as i64) * 60 * 10_000_000),
        user_data: Some(UserItemDataDto {
            played: Some(i.is_multiple_of(3)),
            is_favorite: Some(i.is_multiple_of(7)),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Answer every page request of `effects` at once, as if the server were instant.
fn serve(state: &mut State, effects: Vec<Effect>) {
    for e in effects {
        if let Effect::Load {
            server_id,
            generation,
            request: Request::Page { start, limit, .. },
        } = e
        {
            let items = (start..(start + limit).min(TOTAL)).map(fake_item).collect();
            let more = update(
                state,
                Action::Loaded {
                    server_id,
                    generation,
                    result: Ok(Loaded::Page {
                        start,
                        total: TOTAL,
                        items,
                    }),
                },
            );
            serve(state, more);
        }
    }
}

fn draw_bench() {
    let (w, h) = (200u16, 60u16);
    let mut state = State::new("pin");
    let _ = update(&mut state, Action::Resize(w, h));
    let report = ServerReport {
        id: "bench".into(),
        name: "Bench".into(),
        source: "manual",
        state: "signed_in",
        mode: Some("manual"),
        address: None,
        local_address: None,
        remote_address: None,
        manual_address: None,
        user_id: None,
        user_name: None,
        latency_ms: None,
        error: None,
        link_type: None,
        last_used_ms: 0,
    };
    let _ = update(
        &mut state,
        Action::Started {
            connect_user: None,
            servers: vec![report],
            notices: vec![],
        },
    );
    let open = update(&mut state, key(KeyCode::Enter));
    let Some(Effect::Load { generation, .. }) = open.first().cloned() else {
        panic!("opening asks for home")
    };
    let views = vec![BaseItemDto {
        id: Some("lib".into()),
        name: Some("Movies".into()),
        is_folder: Some(true),
        ..Default::default()
    }];
    let _ = update(
        &mut state,
        Action::Loaded {
            server_id: "bench".into(),
            generation,
            result: Ok(Loaded::Home(emby_tui::app::HomeData {
                views,
                ..Default::default()
            })),
        },
    );
    let effects = update(&mut state, key(KeyCode::Enter));
    serve(&mut state, effects);
    // to the middle of the list
    for _ in 0..(TOTAL / 2 / 56) {
        let e = update(&mut state, key(KeyCode::PageDown));
        serve(&mut state, e);
    }
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let frames = 5_000;
    let mut times = Vec::with_capacity(frames);
    for i in 0..frames + 200 {
        let step = if (i / 300) % 2 == 0 {
            KeyCode::Down
        } else {
            KeyCode::Up
        };
        let e = update(&mut state, key(step));
        serve(&mut state, e);
        let t = Instant::now();
        terminal
            .draw(|f| emby_tui::ui::draw(f, &state))
            .expect("draw");
        if i >= 200 {
            times.push(t.elapsed());
        }
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    let p50 = times[times.len() / 2];
    let p99 = times[times.len() * 99 / 100];
    let cursor = match &state.sessions[0].current().view {
        View::List(l) => l.list.cursor,
        _ => 0,
    };
    println!(
        "draw a {w}x{h} frame of a 100,000-item list (cursor near {cursor}): mean {:.1} µs, p50 {:.1} µs, p99 {:.1} µs over {frames} frames",
        mean.as_secs_f64() * 1e6,
        p50.as_secs_f64() * 1e6,
        p99.as_secs_f64() * 1e6,
    );
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

struct Driver {
    state: State,
    effects: tokio::sync::mpsc::UnboundedSender<Effect>,
    actions: tokio::sync::mpsc::UnboundedReceiver<Action>,
}

impl Driver {
    fn act(&mut self, a: Action) {
        for e in update(&mut self.state, a) {
            let _ = self.effects.send(e);
        }
    }
    async fn until(&mut self, what: &str, pred: impl Fn(&State) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while !pred(&self.state) {
            match tokio::time::timeout_at(deadline, self.actions.recv()).await {
                Ok(Some(a)) => self.act(a),
                _ => panic!("gave up waiting for {what}"),
            }
        }
    }
    fn list_ready(s: &State) -> bool {
        matches!(&s.sessions[0].current().view, View::List(l) if l.list.selected().is_some())
    }
}

async fn browse_bench() {
    let before = rss_mib();
    let path = format!("{}/assets/scenarios/large.toml", env!("CARGO_MANIFEST_DIR"));
    let sim = Sim::start(Scenario::load(path).expect("large.toml"))
        .await
        .expect("sim");
    let dir = tempfile::tempdir().unwrap();
    let cfg = SessionConfig {
        config_dir: dir.path().to_path_buf(),
        cache_dir: None,
        connect_url: sim.connect_url(),
        discovery: None,
        race: RaceConfig {
            head_start: Duration::from_millis(150),
            local_timeout: Duration::from_millis(1500),
            remote_timeout: Duration::from_millis(2000),
            manual_timeout: Duration::from_millis(2000),
        },
        http: HttpConfig::default(),
        reaches_in_flight: 64,
        network: Some("bench".into()),
    };
    Hub::open(cfg.clone(), None)
        .expect("session layer")
        .connect_sign_in("large", &Secret::new("large"))
        .await
        .expect("sign in");
    let after_sim = rss_mib();
    let (snapshot, effects, actions) = emby_tui::worker::spawn(cfg).expect("worker");
    let state = emby_tui::tui::initial_state(snapshot, emby_tui::tui::Setup::new("pin"));
    let mut d = Driver {
        state,
        effects,
        actions,
    };
    d.act(Action::Resize(200, 60));
    let _ = d.effects.send(Effect::Start);
    d.until("servers", |s| {
        s.started && !s.servers.refreshing && !s.servers.rows.is_empty()
    })
    .await;
    d.act(key(KeyCode::Enter));
    d.until(
        "home",
        |s| matches!(&s.sessions[0].current().view, View::Home(h) if !h.loading),
    )
    .await;
    let t = Instant::now();
    d.act(key(KeyCode::Enter));
    d.until("the first page", Driver::list_ready).await;
    let open = t.elapsed();
    let t = Instant::now();
    d.act(key(KeyCode::End));
    d.until("the last page", Driver::list_ready).await;
    let end = t.elapsed();
    let t = Instant::now();
    let mut steps = 0;
    for round in 0..4 {
        let k = if round % 2 == 0 {
            KeyCode::PageUp
        } else {
            KeyCode::PageDown
        };
        for _ in 0..150 {
            d.act(key(k));
            d.until("the page under the cursor", Driver::list_ready)
                .await;
            steps += 1;
        }
    }
    d.act(key(KeyCode::Home));
    d.until("the first page again", Driver::list_ready).await;
    let paging = t.elapsed();
    let cached = match &d.state.sessions[0].current().view {
        View::List(l) => l.list.cached_pages(),
        _ => 0,
    };
    println!(
        "large.toml (100,000 movies) through the worker and emby-sim: open {:.1} ms, End to the last item {:.1} ms, {steps} PageUp/PageDown {:.2} ms each on average; {cached} pages of {PAGE_SIZE} cached at the end",
        open.as_secs_f64() * 1e3,
        end.as_secs_f64() * 1e3,
        paging.as_secs_f64() * 1e3 / steps as f64,
    );
    let peak = peak_mib();
    println!(
        "memory: RSS {:.1} MiB before the simulator, {:.1} MiB with large.toml's simulator loaded and signed in, peak (VmHWM) {:.1} MiB for the whole run (simulator included, in-process)",
        before.unwrap_or(f64::NAN),
        after_sim.unwrap_or(f64::NAN),
        peak.unwrap_or(f64::NAN),
    );
    sim.shutdown().await;
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: keep it quick then
    let quick = !std::env::args().any(|a| a == "--bench");
    if quick {
        println!("(run with `cargo bench --bench tui` for the figures)");
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(browse_bench());
    draw_bench();
}
