//! `cargo bench --bench posters`: the UI stays responsive while posters load. A home row of 100
//! movies of the demo's Living Room is scrolled through, one item every 30 ms (a fast key
//! repeat), while the real worker fetches each poster from an in-process emby-sim (or the disk
//! cache), decodes, fits and encodes it off the UI thread. Every frame the UI thread makes is
//! timed, as the event loop makes it: the actions waiting (keys, pictures that came) applied,
//! then the frame drawn (ratatui `TestBackend`). Four runs: halfblocks and kitty, each with an
//! empty disk cache and again with it filled. Prints mean, p99 and max per run.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use emby_tui::app::images::{Graphics, GraphicsProtocol, ImageMode, Images};
use emby_tui::app::{Action, Effect, HomeData, Loaded, State, update};
use emby_tui::emby::server::ItemsQuery;
use emby_tui::emby::{HttpConfig, Secret};
use emby_tui::session::race::RaceConfig;
use emby_tui::session::{Hub, SessionConfig};
use emby_tui::sim::{Scenario, Sim};

const ITEMS: usize = 100;
const KEY_EVERY: Duration = Duration::from_millis(30);

fn config(sim: &Sim, dir: &std::path::Path) -> SessionConfig {
    SessionConfig {
        config_dir: dir.to_path_buf(),
        cache_dir: Some(dir.join("cache")),
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
    }
}

struct Figures {
    frames: Vec<Duration>,
    pictures: usize,
}

impl Figures {
    fn line(&self, what: &str) {
        let mut f = self.frames.clone();
        f.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let mean = f.iter().map(|d| ms(*d)).sum::<f64>() / f.len().max(1) as f64;
        let p99 = f[(f.len() * 99 / 100).min(f.len() - 1)];
        println!(
            "{what}: {} frames, mean {:.3} ms, p99 {:.3} ms, max {:.3} ms; {} pictures arrived",
            f.len(),
            mean,
            ms(p99),
            ms(*f.last().unwrap()),
            self.pictures,
        );
    }
}

/// One scroll through the row of 100 posters with the worker loading them.
async fn scroll(
    hub_cfg: &SessionConfig,
    server_id: &str,
    movies: &[emby_tui::emby::models::BaseItemDto],
    graphics: Graphics,
    size: (u16, u16),
) -> Figures {
    let (snapshot, effects, mut actions) =
        emby_tui::worker::spawn(hub_cfg.clone()).expect("worker");
    let mut state = emby_tui::tui::initial_state(snapshot, emby_tui::tui::Setup::new("pin"));
    state.images = Images::new(ImageMode::Auto);
    state.images.set_graphics(Some(graphics));
    let send = |effects_out: Vec<Effect>| {
        for e in effects_out {
            // only pictures go to the worker: the home below is given, not loaded
            if let Effect::LoadImage(_) = e {
                let _ = effects.send(e);
            }
        }
    };
    send(update(&mut state, Action::Resize(size.0, size.1)));
    let server = state
        .servers
        .rows
        .iter()
        .position(|r| r.id == server_id)
        .expect("the server is listed");
    state.servers.cursor = server;
    send(update(
        &mut state,
        Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    ));
    let generation = state.sessions[0].current().generation;
    send(update(
        &mut state,
        Action::Loaded {
            server_id: server_id.into(),
            generation,
            result: Ok(Loaded::Home(HomeData {
                latest: vec![("Movies".into(), movies.to_vec())],
                ..Default::default()
            })),
        },
    ));
    // down past the Libraries, Continue Watching and Next Up notes onto the first movie
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    let mut figures = Figures {
        frames: Vec::new(),
        pictures: 0,
    };
    let frame = |state: &mut State,
                 waiting: Vec<Action>,
                 terminal: &mut Terminal<TestBackend>,
                 figures: &mut Figures| {
        let t = Instant::now();
        for a in waiting {
            if matches!(a, Action::ImageLoaded { .. }) {
                figures.pictures += 1;
            }
            send(update(state, a));
        }
        terminal
            .draw(|f| emby_tui::ui::draw(f, state))
            .expect("draw");
        figures.frames.push(t.elapsed());
    };
    for _ in 0..ITEMS {
        let down = Action::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
        frame(&mut state, vec![down], &mut terminal, &mut figures);
        let next_key = tokio::time::Instant::now() + KEY_EVERY;
        // until the next key: a frame for whatever the worker sends meanwhile
        while let Ok(Some(a)) = tokio::time::timeout_at(next_key, actions.recv()).await {
            let mut waiting = vec![a];
            while let Ok(more) = actions.try_recv() {
                waiting.push(more);
            }
            frame(&mut state, waiting, &mut terminal, &mut figures);
        }
    }
    // the last posters come in
    let end = tokio::time::Instant::now() + Duration::from_millis(500);
    while let Ok(Some(a)) = tokio::time::timeout_at(end, actions.recv()).await {
        frame(&mut state, vec![a], &mut terminal, &mut figures);
    }
    figures
}

async fn bench() {
    let scenario = Scenario::load(format!(
        "{}/assets/scenarios/demo.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("demo.toml");
    let sim = Sim::start(scenario).await.expect("sim");
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&sim, dir.path());
    let hub = Hub::open(cfg.clone(), None).expect("session layer");
    hub.connect_sign_in("demo", &Secret::new("demo"))
        .await
        .expect("sign in");
    hub.refresh().await.expect("refresh");
    let living = sim.server("Living Room").expect("Living Room").id;
    let views = hub.views(&living).await.expect("views").items;
    let movies_view = views
        .iter()
        .find(|v| v.collection_type.as_deref() == Some("movies"))
        .expect("a movies library");
    let movies = hub
        .items(
            &living,
            &ItemsQuery {
                parent_id: movies_view.id.clone(),
                limit: Some(ITEMS as u32),
                ..Default::default()
            },
        )
        .await
        .expect("movies")
        .items;
    assert_eq!(movies.len(), ITEMS);
    drop(hub);
    let kitty = Graphics {
        protocol: GraphicsProtocol::Kitty,
        font: (10, 20),
        tmux: false,
    };
    for (name, graphics, size) in [
        ("halfblocks 80x24", Graphics::halfblocks(), (80, 24)),
        ("halfblocks 200x60", Graphics::halfblocks(), (200, 60)),
        ("kitty 200x60", kitty, (200, 60)),
    ] {
        let cache = dir.path().join("cache/images");
        let _ = std::fs::remove_dir_all(&cache);
        scroll(&cfg, &living, &movies, graphics, size)
            .await
            .line(&format!("{name}, empty disk cache"));
        scroll(&cfg, &living, &movies, graphics, size)
            .await
            .line(&format!("{name}, disk cache filled"));
    }
    sim.shutdown().await;
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: keep it quick then
    if !std::env::args().any(|a| a == "--bench") {
        println!("(run with `cargo bench --bench posters` for the figures)");
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(bench());
}
