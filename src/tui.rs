//! The terminal: set up and restored on every way out (normal exit, error, panic, SIGHUP/SIGTERM,
//! lost input), and the event loop — crossterm events, worker results and a clock tick in, one
//! coalesced frame out. The loop is generic over the ratatui backend so tests run it headless.

pub mod graphics;

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::Duration;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    KeyEventKind,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::layout::{Position, Rect};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::app::action::ANSWER_PART;
use crate::app::{self, Action, Effect, State};
use crate::session::SessionConfig;

/// The longest the loop applies waiting results before it draws a frame: a burst of results is
/// spread over frames, so no frame waits for all of it and a key pressed meanwhile shows at the
/// next frame. (A large answer the worker hands over in parts is also spread by its size: at most
/// [`ANSWER_PART`] items merged per frame.)
pub const FRAME_BUDGET: Duration = Duration::from_millis(8);

/// Set when a panic restored the terminal: the loop stops at once.
static PANICKED: AtomicBool = AtomicBool::new(false);

/// Set while a player has the terminal: a Ctrl-C then is the player's (it reaches the whole
/// foreground process group, emby-tui too), not a reason for emby-tui to end.
static TERMINAL_LENT: AtomicBool = AtomicBool::new(false);

/// Put the terminal back as it was. Safe to call more than once and on a dead terminal.
pub fn restore_terminal() {
    let _ = disable_raw_mode();
    let mut out = io::stdout();
    let _ = crossterm::execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = out.flush();
}

/// Raw mode, the alternate screen, mouse capture and bracketed paste (a paste comes as one
/// event, not as thousands of keys) while alive; restored on drop.
pub struct TerminalGuard {
    _private: (),
}

impl TerminalGuard {
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        let guard = TerminalGuard { _private: () };
        crossterm::execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste,
            crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
        )?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// A panic restores the terminal first, then reports (so the message is readable).
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICKED.store(true, Ordering::SeqCst);
            restore_terminal();
            tracing::error!(panic = %info, "panic");
            previous(info);
        }));
    });
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Apply one action and hand its effects to the worker.
pub fn apply(state: &mut State, action: Action, effects: &UnboundedSender<Effect>) {
    for effect in app::update(state, action) {
        send(effects, effect);
    }
}

fn send(effects: &UnboundedSender<Effect>, effect: Effect) {
    if effects.send(effect).is_err() {
        tracing::warn!("the worker is gone; an effect was dropped");
    }
}

/// What the loop needs of the real terminal besides drawing: its input, lending it to a player
/// that needs it (mpv with a terminal video output, or playing audio), and its clipboard.
pub trait Console {
    /// The terminal's input.
    type Input: Stream<Item = io::Result<Event>> + Unpin;
    /// A reader of the terminal's input: at start, and again after the terminal was lent
    /// (None: there is no more input, the loop waits on the rest).
    fn input(&mut self) -> Option<Self::Input>;
    /// Give the terminal to another program: raw mode off, out of the alternate screen, mouse
    /// and paste modes off, cursor shown. The input reader was dropped just before, so nothing
    /// here reads a key meant for the player.
    fn lend(&mut self) -> io::Result<()>;
    /// Take it back as it was (the loop then repaints everything).
    fn reclaim(&mut self) -> io::Result<()>;
    /// Put text on the clipboard of the terminal the user sits at (OSC 52).
    fn copy(&mut self, text: &str) -> io::Result<()>;
}

/// The real terminal on stdout, its input read by [`TtyInput`] (at first after the keys typed
/// while the terminal was asked how it draws pictures).
pub struct RealTerminal {
    typed: Vec<Event>,
}

impl RealTerminal {
    /// `typed`: keys read before the loop starts.
    pub fn new(typed: Vec<Event>) -> RealTerminal {
        RealTerminal { typed }
    }
}

type TypedThenEvents =
    futures::stream::Chain<futures::stream::Iter<std::vec::IntoIter<io::Result<Event>>>, TtyInput>;

impl Console for RealTerminal {
    type Input = TypedThenEvents;

    fn input(&mut self) -> Option<TypedThenEvents> {
        let typed: Vec<io::Result<Event>> = std::mem::take(&mut self.typed)
            .into_iter()
            .map(Ok)
            .collect();
        Some(futures::stream::iter(typed).chain(TtyInput::start()))
    }

    fn lend(&mut self) -> io::Result<()> {
        restore_terminal();
        Ok(())
    }

    fn reclaim(&mut self) -> io::Result<()> {
        enable_raw_mode()?;
        crossterm::execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste,
            crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
        )
    }

    fn copy(&mut self, text: &str) -> io::Result<()> {
        let inside_tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
        osc52(&mut io::stdout(), text, inside_tmux)
    }
}

/// The terminal's input, read by a thread of its own with crossterm's blocking `poll`/`read`
/// and handed over through a channel, so a burst (a paste typed key by key, 100,000 keys) is
/// taken by the loop in batches, one frame per batch.
///
/// Not crossterm's `EventStream`: on its default (mio) source a read that parses an event
/// returns before the terminal is read dry, and the edge-triggered poll then sleeps on what is
/// left until the next key comes, so the end of a long burst (a Ctrl-C after a paste) waited
/// for another key press; crossterm's `use-dev-tty` source polls level-triggered but, through
/// `EventStream`, hands over one event per wake-up of its helper thread (a frame per key).
/// Dropping this stops the thread before it returns (within [`TtyInput::SLICE`]): a player
/// given the terminal gets every key.
pub struct TtyInput {
    events: tokio::sync::mpsc::UnboundedReceiver<io::Result<Event>>,
    stop: std::sync::Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TtyInput {
    /// How long the reading thread waits for input before it looks whether to stop.
    pub const SLICE: Duration = Duration::from_millis(25);

    pub fn start() -> TtyInput {
        let (tx, events) = tokio::sync::mpsc::unbounded_channel();
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::Builder::new()
            .name("terminal input".into())
            .spawn(move || {
                while !stopped.load(Ordering::SeqCst) {
                    let event = match crossterm::event::poll(TtyInput::SLICE) {
                        Ok(false) => continue,
                        Ok(true) => crossterm::event::read(),
                        Err(e) => Err(e),
                    };
                    let failed = event.is_err();
                    if tx.send(event).is_err() || failed {
                        break;
                    }
                }
            });
        let thread = match thread {
            Ok(t) => Some(t),
            Err(e) => {
                tracing::warn!(error = %e, "the terminal input thread could not start");
                None
            }
        };
        TtyInput {
            events,
            stop,
            thread,
        }
    }
}

impl Stream for TtyInput {
    type Item = io::Result<Event>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Self::Item>> {
        self.events.poll_recv(cx)
    }
}

impl Drop for TtyInput {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Writes `text` to the clipboard of the terminal the user sits at, over SSH and tmux too
/// (OSC 52, `ESC ] 52 ; c ; <base64> ESC \`; tmux passes it on with `set-clipboard on`).
///
/// Inside tmux the same sequence is also sent wrapped for tmux's passthrough
/// (`ESC P tmux; … ESC \`, every ESC inside doubled): tmux forwards the plain one with
/// `set -g set-clipboard on`, the wrapped one with `set -g allow-passthrough on`, and ignores
/// both otherwise, so either setting is enough.
pub fn osc52(out: &mut impl Write, text: &str, inside_tmux: bool) -> io::Result<()> {
    let mut seq = Vec::new();
    crossterm::queue!(
        seq,
        crossterm::clipboard::CopyToClipboard::to_clipboard_from(text)
    )?;
    out.write_all(&seq)?;
    if inside_tmux {
        let mut wrapped = b"\x1bPtmux;".to_vec();
        for &b in &seq {
            if b == 0x1b {
                wrapped.push(0x1b);
            }
            wrapped.push(b);
        }
        wrapped.extend_from_slice(b"\x1b\\");
        out.write_all(&wrapped)?;
    }
    out.flush()
}

/// A console over a given input stream that cannot be lent (the terminal stays the UI's) and
/// has no clipboard: what [`event_loop`] runs with.
pub struct GivenInput<E>(Option<E>);

impl<E: Stream<Item = io::Result<Event>> + Unpin> Console for GivenInput<E> {
    type Input = E;
    /// The stream, once (the terminal is never lent, so it is never asked again).
    fn input(&mut self) -> Option<E> {
        self.0.take()
    }
    fn lend(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn reclaim(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn copy(&mut self, _text: &str) -> io::Result<()> {
        Ok(())
    }
}

/// Whose the terminal is now, and its input while it is the UI's.
struct Owner<I> {
    input: Option<I>,
    lent: bool,
}

impl<I> Owner<I> {
    /// Lends the terminal (dropping the input reader first) when an effect starts a player that
    /// needs it. Then the effects go to the worker: the player starts only once it is lent.
    fn apply<C: Console<Input = I>>(
        &mut self,
        console: &mut C,
        state: &mut State,
        action: Action,
        effects: &UnboundedSender<Effect>,
    ) {
        for effect in app::update(state, action) {
            if effect.needs_terminal() && !self.lent {
                self.input = None;
                if let Err(e) = console.lend() {
                    tracing::warn!(error = %e, "the terminal could not be handed over");
                }
                self.lent = true;
                TERMINAL_LENT.store(true, Ordering::SeqCst);
                tracing::info!("the terminal is lent to the player");
            }
            send(effects, effect);
        }
    }

    /// Takes the terminal back once the state no longer lends it (the player is gone). True
    /// when it did: the next frame is painted in full.
    fn reclaim_if_done<C: Console<Input = I>>(&mut self, console: &mut C, state: &State) -> bool {
        if !self.lent || state.terminal_lent() {
            return false;
        }
        if let Err(e) = console.reclaim() {
            tracing::warn!(error = %e, "the terminal could not be taken back");
        }
        self.input = console.input();
        self.lent = false;
        TERMINAL_LENT.store(false, Ordering::SeqCst);
        tracing::info!("the terminal is back");
        true
    }
}

async fn next_input<I: Stream<Item = io::Result<Event>> + Unpin>(
    input: &mut Option<I>,
) -> Option<io::Result<Event>> {
    match input {
        Some(i) => i.next().await,
        None => std::future::pending().await,
    }
}

fn event_action(ev: Event) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Action::Key(k)),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Mouse(m) => Some(Action::Mouse(m)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

/// Why the loop ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Exit {
    Quit,
    InputClosed,
    Signal,
    WorkerGone,
    Panicked,
}

/// Apply one item of the terminal's event stream; `Some` when the loop must end. A resize is
/// also noted in `resized`: the next frame is painted in full.
fn on_event<C: Console>(
    console: &mut C,
    owner: &mut Owner<C::Input>,
    state: &mut State,
    ev: Option<io::Result<Event>>,
    effects: &UnboundedSender<Effect>,
    resized: &mut bool,
) -> Option<Exit> {
    match ev {
        Some(Ok(ev)) => {
            *resized |= matches!(ev, Event::Resize(..));
            if let Some(a) = event_action(ev) {
                owner.apply(console, state, a, effects);
            }
            None
        }
        Some(Err(e)) => {
            tracing::info!(error = %e, "terminal input failed");
            Some(Exit::InputClosed)
        }
        None => Some(Exit::InputClosed),
    }
}

/// Draw one frame at the terminal's size of now. After a resize (or Ctrl-L) the screen is
/// cleared and painted in full: ratatui only writes the cells it thinks changed, and several
/// resizes between two frames (80x24 -> 1x1 -> 80x24) leave it the same size with a terminal
/// that lost its content.
fn draw_frame<B>(
    terminal: &mut Terminal<B>,
    state: &mut State,
    effects: &UnboundedSender<Effect>,
    full: bool,
) -> anyhow::Result<()>
where
    B: Backend + 'static,
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let size = terminal.size()?;
    if state.size != (size.width, size.height) {
        // a resize event can be older than the terminal's size: the state follows the terminal
        apply(state, Action::Resize(size.width, size.height), effects);
    }
    if full {
        // clear the screen and forget the last frame so every cell is written again
        // (`Terminal::clear` would also ask the terminal where its cursor is and wait for it)
        terminal.resize(Rect::from((Position::ORIGIN, size)))?;
    }
    terminal.draw(|f| crate::ui::draw(f, state))?;
    write_links(terminal, state, size.width, size.height)?;
    Ok(())
}

/// After the frame, the addresses it shows whole become clickable (OSC 8, see
/// [`crate::ui::links`]) on a real terminal; other backends (tests) have no escapes to receive.
fn write_links<B: Backend + 'static>(
    terminal: &mut Terminal<B>,
    state: &State,
    width: u16,
    height: u16,
) -> io::Result<()> {
    let links = crate::ui::links::hyperlinks(state, width, height);
    if links.is_empty() {
        return Ok(());
    }
    let backend: &mut dyn std::any::Any = terminal.backend_mut();
    match backend.downcast_mut::<CrosstermBackend<io::Stdout>>() {
        Some(out) => crate::ui::links::write_hyperlinks(out, &links),
        None => Ok(()),
    }
}

/// The event loop: sleeps until a key, a worker's result, the clock tick or a signal wakes it;
/// applies that and everything else already waiting; then draws one frame (in full after a
/// resize or Ctrl-L). Returns when the user quits or input ends. The terminal stays the UI's
/// (see [`run_loop`] for lending it to a player).
pub async fn event_loop<B, E, S>(
    terminal: &mut Terminal<B>,
    state: &mut State,
    events: E,
    effects: &UnboundedSender<Effect>,
    actions: &mut UnboundedReceiver<Action>,
    shutdown: S,
) -> anyhow::Result<Exit>
where
    B: Backend + 'static,
    B::Error: std::error::Error + Send + Sync + 'static,
    E: Stream<Item = io::Result<Event>> + Unpin,
    S: std::future::Future<Output = ()>,
{
    let mut console = GivenInput(Some(events));
    run_loop(terminal, state, &mut console, effects, actions, shutdown).await
}

/// [`event_loop`] on a [`Console`]: when an effect starts a player that needs the terminal, the
/// input reader is dropped (crossterm's reader thread stops, so no key meant for the player is
/// read here), the terminal is lent (out of the alternate screen, raw mode off) and only then
/// does the effect reach the worker; no frame is drawn while it is lent. When the player is
/// gone (the state no longer lends it), the terminal is taken back, a new reader made, and the
/// screen painted in full. Text the state puts on the clipboard is written out (OSC 52).
///
/// The event stream is only ever polled from this task (in `select!` and in the drain), so when
/// it has nothing it holds this task's waker and the next key wakes the loop at once. crossterm's
/// `EventStream` keeps the first waker it is given until input comes; polling it with a foreign
/// waker (`now_or_never`) would leave keys waiting for the next tick.
pub async fn run_loop<B, C, S>(
    terminal: &mut Terminal<B>,
    state: &mut State,
    console: &mut C,
    effects: &UnboundedSender<Effect>,
    actions: &mut UnboundedReceiver<Action>,
    shutdown: S,
) -> anyhow::Result<Exit>
where
    B: Backend + 'static,
    B::Error: std::error::Error + Send + Sync + 'static,
    C: Console,
    S: std::future::Future<Output = ()>,
{
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    tokio::pin!(shutdown);
    let mut owner = Owner {
        input: console.input(),
        lent: false,
    };
    let size = terminal.size()?;
    apply(state, Action::Resize(size.width, size.height), effects);
    apply(state, Action::Tick(now_ms()), effects);
    let mut resized = false;
    loop {
        // items of answers merged since the last frame
        let mut carried = 0;
        resized |= owner.reclaim_if_done(console, state);
        if !owner.lent {
            let full = std::mem::take(&mut resized) | state.take_repaint();
            draw_frame(terminal, state, effects, full)?;
            if let Some(text) = state.take_clipboard() {
                match console.copy(text.expose()) {
                    Ok(()) => tracing::info!("a stream URL was sent to the terminal's clipboard"),
                    Err(e) => tracing::info!(error = %e, "the clipboard could not be written"),
                }
            }
        }
        if state.quit {
            return Ok(Exit::Quit);
        }
        tokio::select! {
            ev = next_input(&mut owner.input), if !owner.lent => {
                if let Some(exit) = on_event(console, &mut owner, state, ev, effects, &mut resized) {
                    return Ok(exit);
                }
            }
            a = actions.recv() => match a {
                Some(a) => {
                    carried = a.items_carried();
                    owner.apply(console, state, a, effects);
                }
                None => return Ok(Exit::WorkerGone),
            },
            _ = tick.tick() => owner.apply(console, state, Action::Tick(now_ms()), effects),
            _ = &mut shutdown => return Ok(Exit::Signal),
        }
        // Coalesce: everything already waiting goes into this one frame, up to ANSWER_PART
        // items of answers to merge and for at most FRAME_BUDGET (what is left waits for the
        // next frame, which comes at once: the actions still queued wake the select). Input is
        // drained until the stream says Pending (polled in this task's context, so it keeps our
        // waker): no event is left buffered without a wake-up to come for it.
        let drain_started = std::time::Instant::now();
        let full_frame =
            |carried: usize| carried >= ANSWER_PART || drain_started.elapsed() >= FRAME_BUDGET;
        while !state.quit && !full_frame(carried) {
            let mut any = false;
            while let Ok(a) = actions.try_recv() {
                carried += a.items_carried();
                owner.apply(console, state, a, effects);
                any = true;
                if full_frame(carried) {
                    break;
                }
            }
            if !owner.lent
                && let Some(input) = owner.input.as_mut()
                && let Poll::Ready(ev) = futures::poll!(input.next())
            {
                if let Some(exit) = on_event(console, &mut owner, state, ev, effects, &mut resized)
                {
                    return Ok(exit);
                }
                any = true;
            }
            if !any || full_frame(carried) {
                break;
            }
        }
        if PANICKED.load(Ordering::SeqCst) {
            return Ok(Exit::Panicked);
        }
    }
}

/// SIGHUP (the SSH link dropped), SIGTERM or SIGINT. The handlers are installed when this is
/// called (before the first frame), not when the future is first polled: a signal that comes
/// as the first frame is drawn must not find the default action (death without restoring).
fn signals() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let handlers = {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::hangup()),
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(hup), Ok(term), Ok(int)) => Some((hup, term, int)),
            _ => None,
        }
    };
    async move {
        #[cfg(unix)]
        {
            let Some((mut hup, mut term, mut int)) = handlers else {
                return std::future::pending().await;
            };
            loop {
                tokio::select! {
                    _ = hup.recv() => tracing::info!("SIGHUP: the terminal went away"),
                    _ = term.recv() => tracing::info!("SIGTERM"),
                    _ = int.recv() => {
                        if TERMINAL_LENT.load(Ordering::SeqCst) {
                            // Ctrl-C typed at the player (the terminal is cooked while it is lent)
                            continue;
                        }
                        tracing::info!("SIGINT");
                    }
                }
                break;
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// What the sign-in pane says where a PIN is entered, what `--demo` adds, and whether and how
/// pictures are drawn.
pub struct Setup {
    pub pin_page: String,
    pub demo: Option<app::signin::DemoHint>,
    /// How this box plays (see [`crate::player::PlayerConfig::resolve`]).
    pub player: crate::player::PlayerConfig,
    /// config.toml as read: keys, colours, and its problems (shown once, at start).
    pub config: crate::config::Config,
    /// The recent log lines for the log pane (None: no log).
    pub log: Option<std::sync::Arc<app::log::RecentLog>>,
    /// How posters are drawn (`--no-images`, config.toml's `[images] mode`).
    pub images: app::ImageMode,
}

impl Setup {
    /// A plain setup (tests, benches): no demo hint, the default player, keys and colours, no
    /// log pane, no pictures.
    pub fn new(pin_page: impl Into<String>) -> Setup {
        Setup {
            pin_page: pin_page.into(),
            demo: None,
            player: Default::default(),
            config: Default::default(),
            log: None,
            images: app::ImageMode::Off,
        }
    }
}

/// The screen the UI last closed on (None when there is none, or it is unusable).
pub fn read_screen_cache(dir: &std::path::Path) -> Option<app::cache::UiCache> {
    let bytes = std::fs::read(dir.join(app::cache::FILE_NAME)).ok()?;
    app::cache::UiCache::decode(&bytes)
}

/// Keeps the screen for the next start (a failure is only logged: it is a cache).
pub fn write_screen_cache(dir: &std::path::Path, state: &State) {
    let cache = app::cache::UiCache::of(state);
    let written = serde_json::to_vec(&cache)
        .map_err(std::io::Error::other)
        .and_then(|json| crate::session::files::write_atomic(dir, app::cache::FILE_NAME, &json));
    if let Err(e) = written {
        tracing::info!(error = %e, "the screen cache could not be written");
    }
}

/// The state the UI opens on, from what is saved, before anything is reached.
pub fn initial_state(snapshot: crate::session::Snapshot, setup: Setup) -> State {
    let mut state = State::new(setup.pin_page);
    state.signin.demo = setup.demo;
    state.player = setup.player;
    state.keymap = std::sync::Arc::new(setup.config.keymap);
    state.theme = setup.config.theme;
    state.log = setup.log;
    if !setup.config.problems.is_empty() {
        let lines = setup
            .config
            .problems
            .iter()
            .map(ToString::to_string)
            .collect();
        state.overlay = Some(app::Overlay::Notice {
            title: "config.toml: the defaults are used for these".into(),
            lines,
        });
    }
    state.images = app::images::Images::new(setup.images);
    app::update(
        &mut state,
        Action::Started {
            connect_user: snapshot.connect_user,
            servers: snapshot.servers,
            notices: snapshot.notices,
        },
    );
    // with saved sessions, the app opens on every server's home merged
    app::everywhere::open_on_start(&mut state);
    state
}

/// Run the terminal UI until the user quits. The first frame shows the saved state at once;
/// every server is reached in the background.
pub async fn run(cfg: SessionConfig, setup: Setup) -> anyhow::Result<()> {
    let cache_dir = cfg.cache_dir.clone();
    let (snapshot, effects, mut actions) = crate::worker::spawn(cfg)?;
    let mut state = initial_state(snapshot, setup);
    if let Some(cache) = cache_dir.as_deref().and_then(read_screen_cache) {
        cache.restore(&mut state);
    }
    let _ = effects.send(Effect::Start);
    let shutdown = signals();
    let guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    // crossterm's reader made now (it reads no input yet), so a resize while the terminal is
    // asked below is not lost
    let _ = crossterm::event::poll(Duration::ZERO);
    let typed = if state.images.on() && state.images.graphics.is_none() {
        // the first frame goes out before the terminal is asked how it draws pictures
        let size = terminal.size()?;
        apply(
            &mut state,
            Action::Resize(size.width, size.height),
            &effects,
        );
        apply(&mut state, Action::Tick(now_ms()), &effects);
        terminal.draw(|f| crate::ui::draw(f, &state))?;
        let resolved = graphics::resolve(state.images.mode);
        state.images.set_graphics(resolved.graphics);
        resolved.typed
    } else {
        Vec::new()
    };
    let exit = run_loop(
        &mut terminal,
        &mut state,
        &mut RealTerminal::new(typed),
        &effects,
        &mut actions,
        shutdown,
    )
    .await;
    drop(terminal);
    drop(guard);
    if let Some(dir) = &cache_dir {
        write_screen_cache(dir, &state);
    }
    // a player still running here is asked to quit, so its position is reported stopped
    if state.playing.is_some() {
        let _ = effects.send(Effect::StopHere);
        let _ = tokio::time::timeout(Duration::from_secs(8), async {
            while let Some(a) = actions.recv().await {
                if matches!(a, Action::PlayEnded { .. }) {
                    break;
                }
            }
        })
        .await;
    }
    // the worker saves and stops when its Effect channel closes; give it a moment
    drop(effects);
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while actions.recv().await.is_some() {}
    })
    .await;
    match exit? {
        Exit::Panicked => anyhow::bail!("an internal error stopped the program (see the log)"),
        e => {
            tracing::info!(exit = ?e, "the terminal UI ended");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use futures::StreamExt;
    use ratatui::backend::TestBackend;
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};
    use tokio::sync::mpsc::unbounded_channel;

    fn started_with_a_server() -> Action {
        Action::Started {
            connect_user: None,
            servers: vec![crate::session::ServerReport {
                id: "a".into(),
                name: "Alpha".into(),
                source: "manual",
                state: "signed_in",
                mode: None,
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
            }],
            notices: vec![],
        }
    }

    #[tokio::test]
    async fn the_loop_applies_results_draws_and_quits_on_q() {
        let mut terminal = Terminal::new(TestBackend::new(80, 20)).unwrap();
        let mut state = State::new("pin");
        let (etx, _erx) = unbounded_channel();
        let (atx, mut arx) = unbounded_channel();
        atx.send(started_with_a_server()).unwrap();
        // the key comes after the worker's result has been applied
        let events = futures::stream::once(async {
            tokio::task::yield_now().await;
            Ok(Event::Key(KeyEvent::new(
                KeyCode::Char('q'),
                KeyModifiers::NONE,
            )))
        })
        .chain(futures::stream::pending());
        let exit = event_loop(
            &mut terminal,
            &mut state,
            Box::pin(events),
            &etx,
            &mut arx,
            std::future::pending(),
        )
        .await
        .unwrap();
        assert_eq!(exit, Exit::Quit);
        assert!(terminal.backend().to_string().contains("Alpha"));
    }

    /// Input that behaves like crossterm's `EventStream`: when empty it keeps the first waker
    /// it is given and ignores later ones until input comes and that waker is woken.
    #[derive(Clone, Default)]
    struct FirstWakerInput(Arc<Mutex<(VecDeque<Event>, Option<std::task::Waker>)>>);

    impl FirstWakerInput {
        fn push(&self, ev: Event) {
            let mut inner = self.0.lock().unwrap();
            inner.0.push_back(ev);
            if let Some(w) = inner.1.take() {
                w.wake();
            }
        }
    }

    impl Stream for FirstWakerInput {
        type Item = io::Result<Event>;
        fn poll_next(
            self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> Poll<Option<Self::Item>> {
            let mut inner = self.0.lock().unwrap();
            match inner.0.pop_front() {
                Some(ev) => Poll::Ready(Some(Ok(ev))),
                None => {
                    if inner.1.is_none() {
                        inner.1 = Some(cx.waker().clone());
                    }
                    Poll::Pending
                }
            }
        }
    }

    fn key(c: char) -> Event {
        Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    /// A key is answered as it comes, not on the next clock tick (1 s): time is paused, so it
    /// only moves when the loop sleeps with nothing to do.
    #[tokio::test(start_paused = true)]
    async fn a_key_wakes_the_loop_at_once_with_an_input_that_keeps_its_first_waker() {
        let mut terminal = Terminal::new(TestBackend::new(80, 20)).unwrap();
        let mut state = State::new("pin");
        let (etx, _erx) = unbounded_channel();
        let (_atx, mut arx) = unbounded_channel();
        let input = FirstWakerInput::default();
        let typist = input.clone();
        let pressed_q_at = Arc::new(Mutex::new(None));
        let at = pressed_q_at.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            typist.push(key('j')); // a first key, answered
            tokio::time::sleep(Duration::from_millis(100)).await;
            *at.lock().unwrap() = Some(tokio::time::Instant::now());
            typist.push(key('q')); // the second key must wake the loop too
        });
        let exit = event_loop(
            &mut terminal,
            &mut state,
            input,
            &etx,
            &mut arx,
            std::future::pending(),
        )
        .await
        .unwrap();
        assert_eq!(exit, Exit::Quit);
        let waited = pressed_q_at
            .lock()
            .unwrap()
            .expect("q was pressed")
            .elapsed();
        assert!(
            waited < Duration::from_millis(100),
            "q was answered {waited:?} after it came"
        );
    }

    /// A TestBackend the test keeps a handle on while the loop draws into it, so the "terminal"
    /// can lose its content between two frames as a real one does.
    #[derive(Clone)]
    struct SharedBackend(Arc<Mutex<TestBackend>>);

    impl Backend for SharedBackend {
        type Error = <TestBackend as Backend>::Error;
        fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
        where
            I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
        {
            self.0.lock().unwrap().draw(content)
        }
        fn hide_cursor(&mut self) -> Result<(), Self::Error> {
            self.0.lock().unwrap().hide_cursor()
        }
        fn show_cursor(&mut self) -> Result<(), Self::Error> {
            self.0.lock().unwrap().show_cursor()
        }
        fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
            self.0.lock().unwrap().get_cursor_position()
        }
        fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> Result<(), Self::Error> {
            self.0.lock().unwrap().set_cursor_position(p)
        }
        fn clear(&mut self) -> Result<(), Self::Error> {
            self.0.lock().unwrap().clear()
        }
        fn clear_region(
            &mut self,
            clear_type: ratatui::backend::ClearType,
        ) -> Result<(), Self::Error> {
            self.0.lock().unwrap().clear_region(clear_type)
        }
        fn size(&self) -> Result<ratatui::layout::Size, Self::Error> {
            self.0.lock().unwrap().size()
        }
        fn window_size(&mut self) -> Result<ratatui::backend::WindowSize, Self::Error> {
            self.0.lock().unwrap().window_size()
        }
        fn flush(&mut self) -> Result<(), Self::Error> {
            self.0.lock().unwrap().flush()
        }
    }

    fn ctrl(c: char) -> io::Result<Event> {
        Ok(Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )))
    }

    /// Run the loop on the servers pane (server "Alpha") until Ctrl-C. `after_first_frame` runs
    /// on the backend once the first frame is drawn; then `events` come, all at once. Returns
    /// the screen as the last frame left it.
    async fn screen_after(
        state: &mut State,
        after_first_frame: impl FnOnce(&mut TestBackend) + 'static,
        events: Vec<io::Result<Event>>,
    ) -> String {
        let shared = SharedBackend(Arc::new(Mutex::new(TestBackend::new(80, 24))));
        let mut terminal = Terminal::new(shared.clone()).unwrap();
        let (etx, _erx) = unbounded_channel();
        let (_atx, mut arx) = unbounded_channel();
        let _ = app::update(state, started_with_a_server());
        let handle = shared.clone();
        // the first item is asked for only after the first frame is drawn
        let first = futures::stream::once(async move {
            after_first_frame(&mut handle.0.lock().unwrap());
            Ok(Event::FocusGained)
        });
        let input = first
            .chain(futures::stream::iter(events))
            .chain(futures::stream::iter([ctrl('c')]))
            .chain(futures::stream::pending());
        let exit = event_loop(
            &mut terminal,
            state,
            Box::pin(input),
            &etx,
            &mut arx,
            std::future::pending(),
        )
        .await
        .unwrap();
        assert_eq!(exit, Exit::Quit);
        shared.0.lock().unwrap().to_string()
    }

    fn shows_the_servers_pane(screen: &str) -> bool {
        ["Sign in", "Servers ·", "Alpha", "Enter open session"]
            .iter()
            .all(|t| screen.contains(t))
    }

    #[tokio::test]
    async fn resizes_that_blank_the_terminal_between_frames_are_repainted_in_full() {
        let mut state = State::new("pin");
        // 80x24 -> 1x1 -> 80x24 before the next frame: the terminal lost its content but
        // ratatui sees the same size as last frame; the last event is older than the terminal
        let screen = screen_after(
            &mut state,
            |b| {
                b.resize(1, 1);
                b.resize(80, 24);
            },
            vec![
                Ok(Event::Resize(1, 1)),
                Ok(Event::Resize(80, 24)),
                Ok(Event::Resize(1, 1)),
            ],
        )
        .await;
        assert!(shows_the_servers_pane(&screen), "{screen}");
        assert_eq!(
            state.size,
            (80, 24),
            "the size is the terminal's, not the last event's"
        );
    }

    #[tokio::test]
    async fn ctrl_l_repaints_a_screen_that_lost_its_content() {
        let mut state = State::new("pin");
        let screen = screen_after(&mut state, |b| b.clear().unwrap(), vec![ctrl('l')]).await;
        assert!(shows_the_servers_pane(&screen), "{screen}");
    }

    #[tokio::test]
    async fn a_lost_screen_stays_blank_without_a_resize_or_ctrl_l() {
        // the control for the two tests above: only a resize or Ctrl-L repaints in full
        let mut state = State::new("pin");
        let screen = screen_after(&mut state, |b| b.clear().unwrap(), vec![]).await;
        assert!(!shows_the_servers_pane(&screen), "{screen}");
    }

    /// A console that logs what the loop does with the terminal, hands out prepared input
    /// streams (each logs when it is dropped), and records what goes to the clipboard.
    struct Recorder {
        log: Arc<Mutex<Vec<String>>>,
        inputs: VecDeque<Vec<io::Result<Event>>>,
        handed: usize,
        /// The effects channel's receiving end, to see what reached the worker when.
        effects: Arc<Mutex<tokio::sync::mpsc::UnboundedReceiver<Effect>>>,
        clipboard: Vec<u8>,
    }

    struct Logged {
        inner: futures::stream::BoxStream<'static, io::Result<Event>>,
        name: String,
        log: Arc<Mutex<Vec<String>>>,
    }

    impl Stream for Logged {
        type Item = io::Result<Event>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> Poll<Option<Self::Item>> {
            self.inner.as_mut().poll_next(cx)
        }
    }

    impl Drop for Logged {
        fn drop(&mut self) {
            self.log
                .lock()
                .unwrap()
                .push(format!("{} dropped", self.name));
        }
    }

    impl Console for Recorder {
        type Input = Logged;
        fn input(&mut self) -> Option<Logged> {
            let events = self.inputs.pop_front()?;
            self.handed += 1;
            let name = format!("input {}", self.handed);
            self.log.lock().unwrap().push(name.clone());
            Some(Logged {
                inner: futures::stream::iter(events)
                    .chain(futures::stream::pending())
                    .boxed(),
                name,
                log: self.log.clone(),
            })
        }
        fn lend(&mut self) -> io::Result<()> {
            let waiting = self.effects.lock().unwrap().try_recv().is_ok();
            self.log
                .lock()
                .unwrap()
                .push(format!("lend (an effect already sent: {waiting})"));
            Ok(())
        }
        fn reclaim(&mut self) -> io::Result<()> {
            self.log.lock().unwrap().push("reclaim".into());
            Ok(())
        }
        fn copy(&mut self, text: &str) -> io::Result<()> {
            osc52(&mut self.clipboard, text, false)
        }
    }

    /// Counts frames into the log (ratatui flushes the backend once a frame).
    struct Frames(TestBackend, Arc<Mutex<Vec<String>>>);

    impl Backend for Frames {
        type Error = <TestBackend as Backend>::Error;
        fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
        where
            I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
        {
            self.0.draw(content)
        }
        fn hide_cursor(&mut self) -> Result<(), Self::Error> {
            self.0.hide_cursor()
        }
        fn show_cursor(&mut self) -> Result<(), Self::Error> {
            self.0.show_cursor()
        }
        fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
            self.0.get_cursor_position()
        }
        fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> Result<(), Self::Error> {
            self.0.set_cursor_position(p)
        }
        fn clear(&mut self) -> Result<(), Self::Error> {
            self.0.clear()
        }
        fn clear_region(
            &mut self,
            clear_type: ratatui::backend::ClearType,
        ) -> Result<(), Self::Error> {
            self.0.clear_region(clear_type)
        }
        fn size(&self) -> Result<ratatui::layout::Size, Self::Error> {
            self.0.size()
        }
        fn window_size(&mut self) -> Result<ratatui::backend::WindowSize, Self::Error> {
            self.0.window_size()
        }
        fn flush(&mut self) -> Result<(), Self::Error> {
            self.1.lock().unwrap().push("frame".into());
            self.0.flush()
        }
    }

    fn menu_on_here(state: &mut State) {
        let item = crate::emby::models::BaseItemDto {
            id: Some("m1".into()),
            name: Some("A Film".into()),
            item_type: Some("Movie".into()),
            media_type: Some("Video".into()),
            ..Default::default()
        };
        let _ = app::play::open_menu(state, "a", item);
        assert!(matches!(state.overlay, Some(app::Overlay::Play(_))));
    }

    #[tokio::test]
    async fn a_player_that_needs_the_terminal_gets_it_and_the_ui_comes_back_whole() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut terminal = Terminal::new(Frames(TestBackend::new(80, 24), log.clone())).unwrap();
        let mut state = State::new("pin");
        let _ = app::update(&mut state, started_with_a_server());
        state.player.terminal = crate::player::TerminalUse::Always;
        menu_on_here(&mut state);
        let (etx, erx) = unbounded_channel();
        let erx = Arc::new(Mutex::new(erx));
        let (atx, mut arx) = unbounded_channel();
        let enter = Ok(Event::Key(KeyEvent::new(
            KeyCode::Enter,
            KeyModifiers::NONE,
        )));
        let mut console = Recorder {
            log: log.clone(),
            inputs: VecDeque::from([vec![enter], vec![ctrl('c')]]),
            handed: 0,
            effects: erx.clone(),
            clipboard: Vec::new(),
        };
        // the player exits once the terminal is lent (the worker stays: its sender is kept)
        let _worker = atx.clone();
        let watch = log.clone();
        tokio::spawn(async move {
            while !watch.lock().unwrap().iter().any(|l| l.starts_with("lend")) {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            watch.lock().unwrap().push("player exits".into());
            let _ = atx.send(Action::PlayEnded {
                server_id: "a".into(),
                item_id: "m1".into(),
                result: Err("the player exited".into()),
            });
        });
        let exit = run_loop(
            &mut terminal,
            &mut state,
            &mut console,
            &etx,
            &mut arx,
            std::future::pending(),
        )
        .await
        .unwrap();
        assert_eq!(exit, Exit::Quit);
        let log = log.lock().unwrap().clone();
        let at = |what: &str| {
            log.iter()
                .position(|l| l.starts_with(what))
                .unwrap_or_else(|| panic!("no {what} in {log:?}"))
        };
        // the input reader goes first (no key meant for the player is read here), then the
        // terminal is lent, and only then does the worker get the effect
        assert!(at("input 1 dropped") < at("lend"), "{log:?}");
        assert_eq!(log[at("lend")], "lend (an effect already sent: false)");
        let sent = erx.lock().unwrap().try_recv().ok();
        assert!(
            matches!(
                sent,
                Some(Effect::PlayHere {
                    foreground: true,
                    ..
                })
            ),
            "{sent:?}"
        );
        // nothing is drawn while the player has the terminal
        assert!(
            !log[at("lend")..at("reclaim")].iter().any(|l| l == "frame"),
            "{log:?}"
        );
        // then it comes back with a new reader and a frame painted in full
        assert!(at("player exits") < at("reclaim") && at("reclaim") < at("input 2"));
        assert!(log[at("input 2")..].iter().any(|l| l == "frame"), "{log:?}");
        assert!(terminal.backend().0.to_string().contains("Alpha"));
        assert!(
            state
                .notice
                .as_ref()
                .is_some_and(|n| n.text.contains("exited"))
        );
    }

    #[tokio::test]
    async fn a_copied_url_goes_out_as_a_well_formed_osc_52_sequence() {
        use base64::Engine;
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut terminal = Terminal::new(Frames(TestBackend::new(80, 24), log.clone())).unwrap();
        let mut state = State::new("pin");
        let (etx, erx) = unbounded_channel();
        let (atx, mut arx) = unbounded_channel();
        let url = "http://127.0.0.1:8096/emby/Videos/m1/stream.mkv?Static=true&api_key=tok";
        atx.send(Action::StreamUrl {
            server_id: "a".into(),
            result: Ok(("A Film".into(), crate::emby::Secret::new(url))),
        })
        .unwrap();
        let mut console = Recorder {
            log: log.clone(),
            inputs: VecDeque::from([vec![]]),
            handed: 0,
            effects: Arc::new(Mutex::new(erx)),
            clipboard: Vec::new(),
        };
        let quit_later = async {
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let exit = run_loop(
            &mut terminal,
            &mut state,
            &mut console,
            &etx,
            &mut arx,
            quit_later,
        )
        .await
        .unwrap();
        assert_eq!(exit, Exit::Signal);
        let out = String::from_utf8(console.clipboard.clone()).unwrap();
        let body = out
            .strip_prefix("\x1b]52;c;")
            .and_then(|b| b.strip_suffix("\x1b\\"))
            .unwrap_or_else(|| panic!("not an OSC 52 sequence: {out:?}"));
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap();
        assert_eq!(String::from_utf8(decoded).unwrap(), url);
        // and the URL is on screen, with what it means
        let screen = terminal.backend().0.to_string();
        assert!(screen.contains("api_key=tok"), "{screen}");
        assert!(screen.contains("holds your access token"), "{screen}");
    }

    #[test]
    fn inside_tmux_the_sequence_also_goes_through_its_passthrough() {
        let mut out = Vec::new();
        osc52(&mut out, "hi", true).unwrap();
        let plain = "\x1b]52;c;aGk=\x1b\\";
        let wrapped = "\x1bPtmux;\x1b\x1b]52;c;aGk=\x1b\x1b\\\x1b\\";
        assert_eq!(String::from_utf8(out).unwrap(), format!("{plain}{wrapped}"));
        let mut out = Vec::new();
        osc52(&mut out, "hi", false).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), plain);
    }

    #[tokio::test]
    async fn the_loop_ends_when_input_closes_or_a_signal_comes() {
        let mut terminal = Terminal::new(TestBackend::new(40, 10)).unwrap();
        let mut state = State::new("pin");
        let (etx, _erx) = unbounded_channel();
        let (_atx, mut arx) = unbounded_channel();
        let exit = event_loop(
            &mut terminal,
            &mut state,
            futures::stream::empty(),
            &etx,
            &mut arx,
            std::future::pending(),
        )
        .await
        .unwrap();
        assert_eq!(exit, Exit::InputClosed);
        let exit = event_loop(
            &mut terminal,
            &mut state,
            futures::stream::pending(),
            &etx,
            &mut arx,
            std::future::ready(()),
        )
        .await
        .unwrap();
        assert_eq!(exit, Exit::Signal);
    }

    /// A large answer handed over in parts is merged over several frames, not in one: no frame
    /// waits for the whole of it (and how many does not depend on how fast this machine is).
    #[tokio::test]
    async fn a_large_answer_in_parts_is_spread_over_frames() {
        use crate::app::action::EverywhereLoaded;
        use crate::session::everywhere::{Found, SearchGroup, ServerSearch};
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        let mut state = State::new("pin");
        let (etx, _erx) = unbounded_channel();
        apply(&mut state, started_with_a_server(), &etx);
        apply(&mut state, Action::Resize(100, 30), &etx);
        for c in ['0', '/', 'n'] {
            apply(
                &mut state,
                Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
                &etx,
            );
        }
        let generation = state.everywhere.search.as_ref().unwrap().generation;
        let films: Vec<Found> = (0..30 * ANSWER_PART)
            .map(|i| {
                let mut f = Found::new(
                    "a",
                    crate::emby::models::BaseItemDto {
                        id: Some(format!("i{i}")),
                        name: Some(format!("Night {i}")),
                        item_type: Some("Movie".into()),
                        ..Default::default()
                    },
                );
                f.prepare();
                f
            })
            .collect();
        let whole = Action::Everywhere {
            server_id: "a".into(),
            generation,
            result: Ok(EverywhereLoaded::Search(Box::new(ServerSearch {
                server_id: "a".into(),
                term: "n".into(),
                groups: vec![(SearchGroup::Films, films)],
            }))),
        };
        let (atx, mut arx) = unbounded_channel();
        for part in whole.in_parts() {
            atx.send(part).unwrap();
        }
        drop(atx); // the loop ends once every part is applied
        let frames_before = terminal.get_frame().count();
        let exit = event_loop(
            &mut terminal,
            &mut state,
            futures::stream::pending(),
            &etx,
            &mut arx,
            std::future::pending(),
        )
        .await
        .unwrap();
        assert_eq!(exit, Exit::WorkerGone);
        let merged = state.everywhere.search.as_ref().unwrap().merge.len();
        assert_eq!(merged, 30 * ANSWER_PART);
        let frames = terminal.get_frame().count() - frames_before;
        // each part fills a frame's share of items: one frame each at least, whatever the clock
        assert!(frames >= 30, "30 parts were drawn in {frames} frames");
    }
}
