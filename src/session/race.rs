//! The address race: reach one server the fastest safe way.
//!
//! Every address of the server (its LocalAddress, an address the user typed, its remote Url)
//! starts at once. The first answer from the right server (its Id checked) wins, with one
//! preference: a remote answer waits while a LAN attempt (LocalAddress or typed) is still running,
//! for at most the [`RacePlan::window`], so a LAN answer arriving then wins. When the remote Url
//! won last time on this network ([`RacePlan::remote_first`]) its answer is taken at once, and
//! the LAN attempts still running are handed back as [`Learning`]: the caller lets them run while
//! it signs in, so a LocalAddress that has come back is noticed and preferred next time. Every
//! other losing attempt is aborted and awaited, so none is left running.

use std::future::Future;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::emby::ServerAddress;

use super::address::same_address;
use super::servers::same_id;
use super::store::{ConnectionMode, SavedServer};

/// Timings of the race. Defaults, from the peers' figures (protocol.md §5.5):
/// - `head_start` 200 ms: the longest a remote answer ever waits for a LAN one. The official JS
///   client starts the remote Url 200 ms after the LocalAddress, a figure with years of field
///   use; here it is only the upper bound of the preference window, which is normally derived
///   from the LAN round trips measured on this network (see `routes::preference_window`).
/// - `local_timeout` 3 s: JS waits 20 s and C#/Python 8 s, but they try addresses one after the
///   other; here a dead LAN address delays nothing (the remote Url runs beside it), so this only
///   bounds how long "unavailable" takes. A live LAN answers in far less.
/// - `remote_timeout` and `manual_timeout` 6 s: C# and Python use 10-15 s for WAN tries and JS
///   20 s; 6 s covers DNS + TLS over a slow link while a server whose every address is dead is
///   reported unavailable in about 6 s instead of 20-35 s.
#[derive(Debug, Clone, PartialEq)]
pub struct RaceConfig {
    pub head_start: Duration,
    pub local_timeout: Duration,
    pub remote_timeout: Duration,
    pub manual_timeout: Duration,
}

impl Default for RaceConfig {
    fn default() -> Self {
        RaceConfig {
            head_start: Duration::from_millis(200),
            local_timeout: Duration::from_secs(3),
            remote_timeout: Duration::from_secs(6),
            manual_timeout: Duration::from_secs(6),
        }
    }
}

impl RaceConfig {
    fn timeout(&self, mode: ConnectionMode) -> Duration {
        match mode {
            ConnectionMode::Local => self.local_timeout,
            ConnectionMode::Remote => self.remote_timeout,
            ConnectionMode::Manual => self.manual_timeout,
        }
    }
}

/// How one race is run (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RacePlan {
    /// How long a remote answer waits for a LAN attempt still running.
    pub window: Duration,
    /// The remote Url won last time on this network: its answer is taken at once.
    pub remote_first: bool,
}

/// Whether an address of this kind is on the LAN side (preferred over the remote Url).
pub fn is_lan(mode: ConnectionMode) -> bool {
    mode != ConnectionMode::Remote
}

/// One address to try, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub mode: ConnectionMode,
    pub address: ServerAddress,
}

/// One address as tried (for reporting; it may not even have parsed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub mode: ConnectionMode,
    pub address: String,
}

/// The addresses of a server (Manual, Local, Remote), an address listed twice tried once; an
/// address the user typed keeps the name "manual" even when it is also the LocalAddress (as the
/// reference clients skip Local when it equals ManualAddress). An address that does not parse is
/// returned apart, as a failed attempt.
pub fn candidates(server: &SavedServer) -> (Vec<Candidate>, Vec<(Attempt, AttemptError)>) {
    let mut out: Vec<Candidate> = Vec::new();
    let mut unusable = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let all = [
        (ConnectionMode::Manual, &server.manual_address),
        (ConnectionMode::Local, &server.local_address),
        (ConnectionMode::Remote, &server.remote_address),
    ];
    for (mode, addr) in all {
        let Some(addr) = addr.as_deref().map(str::trim).filter(|a| !a.is_empty()) else {
            continue;
        };
        if seen.iter().any(|s| same_address(s, addr)) {
            continue;
        }
        seen.push(addr.to_string());
        match ServerAddress::parse(addr) {
            Ok(address) => out.push(Candidate { mode, address }),
            Err(e) => unusable.push((
                Attempt {
                    mode,
                    address: addr.to_string(),
                },
                AttemptError::Failed(e.to_string()),
            )),
        }
    }
    (out, unusable)
}

/// What an answering address says about itself.
pub trait Answer {
    /// The server Id it reported (`/System/Info/Public` `Id`).
    fn server_id(&self) -> &str;
}

/// The address that won.
#[derive(Debug, Clone)]
pub struct RaceWin<T> {
    pub mode: ConnectionMode,
    pub address: ServerAddress,
    pub answer: T,
    /// Time from the start of this attempt to its answer.
    pub latency: Duration,
}

/// Why one attempt lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptError {
    TimedOut(Duration),
    Failed(String),
    /// It answered as another server: rejected, and nothing secret is ever sent to it.
    WrongServer {
        found: String,
    },
}

impl std::fmt::Display for AttemptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AttemptError::TimedOut(d) => write!(f, "no answer within {:.1} s", d.as_secs_f64()),
            AttemptError::Failed(why) => f.write_str(why),
            AttemptError::WrongServer { found } => {
                write!(f, "answered as a different server (Id {found})")
            }
        }
    }
}

/// Every attempt lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaceFailure {
    pub attempts: Vec<(Attempt, AttemptError)>,
}

impl std::fmt::Display for RaceFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.attempts.is_empty() {
            return f.write_str("no address is known for this server");
        }
        let parts: Vec<String> = self
            .attempts
            .iter()
            .map(|(a, e)| format!("{} {}: {}", a.mode.as_str(), a.address, e))
            .collect();
        write!(f, "unreachable ({})", parts.join("; "))
    }
}

/// An attempt's address, how long it took, and what it gave.
type AttemptResult<T> = (Candidate, Duration, Result<T, AttemptError>);

/// LAN attempts still running when the remote Url won (see the module documentation).
pub struct Learning<T> {
    set: JoinSet<AttemptResult<T>>,
    expected_id: Option<String>,
}

impl<T: Answer + Send + 'static> Learning<T> {
    /// Nothing to learn.
    fn none() -> Self {
        Learning {
            set: JoinSet::new(),
            expected_id: None,
        }
    }

    /// The LAN attempts that have answered as the right server by now, with their latency,
    /// without waiting for the others, which are aborted and awaited.
    pub async fn finish(mut self) -> Vec<(Candidate, Duration)> {
        let mut answered = Vec::new();
        while let Some(joined) = self.set.try_join_next() {
            let Ok((cand, latency, Ok(answer))) = joined else {
                continue;
            };
            let right = match &self.expected_id {
                Some(id) => same_id(id, answer.server_id()),
                None => true,
            };
            if right {
                answered.push((cand, latency));
            }
        }
        self.set.shutdown().await;
        answered
    }
}

/// Run the race. `expected_id` is the Id the answer must carry (None only when adding a new
/// address, whose Id is not known yet). `probe` performs one attempt; it gets the attempt's
/// timeout, which the race also enforces. On success, the LAN attempts left to learn from.
pub async fn race<T, F, Fut>(
    expected_id: Option<&str>,
    candidates: Vec<Candidate>,
    plan: RacePlan,
    cfg: &RaceConfig,
    probe: F,
) -> Result<(RaceWin<T>, Learning<T>), RaceFailure>
where
    T: Answer + Send + 'static,
    F: Fn(Candidate, Duration) -> Fut,
    Fut: Future<Output = Result<T, String>> + Send + 'static,
{
    let start = Instant::now();
    let window_ends = start + plan.window.min(cfg.head_start);
    let mut lan_running = candidates.iter().filter(|c| is_lan(c.mode)).count();

    let mut set: JoinSet<AttemptResult<T>> = JoinSet::new();
    for c in candidates {
        let timeout = cfg.timeout(c.mode);
        let fut = probe(c.clone(), timeout);
        set.spawn(async move {
            let began = Instant::now();
            let r = match tokio::time::timeout(timeout, fut).await {
                Ok(Ok(v)) => Ok(v),
                Ok(Err(why)) => Err(AttemptError::Failed(why)),
                Err(_) => Err(AttemptError::TimedOut(timeout)),
            };
            (c, began.elapsed(), r)
        });
    }

    let mut failures: Vec<(Attempt, AttemptError)> = Vec::new();
    let mut held: Option<RaceWin<T>> = None;
    let outcome = loop {
        if set.is_empty() {
            break held.take().ok_or(());
        }
        tokio::select! {
            joined = set.join_next() => {
                let Some(joined) = joined else { continue };
                let (cand, latency, result) = match joined {
                    Ok(v) => v,
                    Err(e) => {
                        tracing::warn!(error = %e, "address attempt task failed");
                        continue;
                    }
                };
                if is_lan(cand.mode) {
                    lan_running -= 1;
                }
                let result = result.and_then(|answer| match expected_id {
                    Some(id) if !same_id(id, answer.server_id()) => {
                        Err(AttemptError::WrongServer { found: answer.server_id().to_string() })
                    }
                    _ => Ok(answer),
                });
                match result {
                    Ok(answer) => {
                        let win = RaceWin { mode: cand.mode, address: cand.address, answer, latency };
                        if is_lan(win.mode)
                            || plan.remote_first
                            || lan_running == 0
                            || Instant::now() >= window_ends
                        {
                            break Ok(win);
                        }
                        if held.is_none() {
                            held = Some(win);
                        }
                    }
                    Err(e) => {
                        tracing::debug!(mode = cand.mode.as_str(), address = %cand.address, error = %e, "address attempt lost");
                        failures.push((Attempt { mode: cand.mode, address: cand.address.to_string() }, e));
                        if lan_running == 0 && let Some(win) = held.take() {
                            break Ok(win);
                        }
                    }
                }
            }
            _ = tokio::time::sleep_until(window_ends), if held.is_some() => {
                if let Some(win) = held.take() {
                    break Ok(win);
                }
            }
        }
    };
    match outcome {
        Ok(win) => {
            let learning = if !is_lan(win.mode) && lan_running > 0 {
                // Only LAN attempts can still be running that are worth learning from.
                Learning {
                    set,
                    expected_id: expected_id.map(str::to_string),
                }
            } else {
                set.shutdown().await;
                Learning::none()
            };
            Ok((win, learning))
        }
        Err(()) => {
            set.shutdown().await;
            Err(RaceFailure { attempts: failures })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Debug, Clone)]
    struct Info(String);
    impl Answer for Info {
        fn server_id(&self) -> &str {
            &self.0
        }
    }

    /// What a fake address does: answer after a delay with an Id, fail after a delay, or hang.
    #[derive(Clone)]
    enum Behaviour {
        Answer(u64, &'static str),
        Fail(u64),
        Hang,
    }

    #[derive(Default)]
    struct Log {
        started: Vec<(ConnectionMode, u64)>,
        dropped_unfinished: Vec<ConnectionMode>,
    }

    struct DropGuard {
        mode: ConnectionMode,
        log: Arc<Mutex<Log>>,
        done: bool,
    }
    impl Drop for DropGuard {
        fn drop(&mut self) {
            if !self.done {
                self.log.lock().unwrap().dropped_unfinished.push(self.mode);
            }
        }
    }

    fn server(local: bool, remote: bool, manual: bool) -> SavedServer {
        SavedServer {
            id: "srv".into(),
            local_address: local.then(|| "http://127.0.0.1:1".into()),
            remote_address: remote.then(|| "http://127.0.0.1:2".into()),
            manual_address: manual.then(|| "http://127.0.0.1:3".into()),
            ..Default::default()
        }
    }

    const WINDOW: u64 = 50;

    fn plan(remote_first: bool) -> RacePlan {
        RacePlan {
            window: Duration::from_millis(WINDOW),
            remote_first,
        }
    }

    type Run = (
        Result<(RaceWin<Info>, Learning<Info>), RaceFailure>,
        u64,
        Arc<Mutex<Log>>,
    );

    async fn run(
        srv: SavedServer,
        plan: RacePlan,
        behave: impl Fn(ConnectionMode) -> Behaviour,
    ) -> Run {
        let log = Arc::new(Mutex::new(Log::default()));
        let t0 = Instant::now();
        let cfg = RaceConfig::default();
        let l2 = log.clone();
        let (cands, _) = candidates(&srv);
        let result = race(Some("srv"), cands, plan, &cfg, move |c, _timeout| {
            let b = behave(c.mode);
            let log = l2.clone();
            log.lock()
                .unwrap()
                .started
                .push((c.mode, t0.elapsed().as_millis() as u64));
            async move {
                let mut guard = DropGuard {
                    mode: c.mode,
                    log,
                    done: false,
                };
                let r = match b {
                    Behaviour::Answer(ms, id) => {
                        tokio::time::sleep(Duration::from_millis(ms)).await;
                        Ok(Info(id.into()))
                    }
                    Behaviour::Fail(ms) => {
                        tokio::time::sleep(Duration::from_millis(ms)).await;
                        Err("connection refused".to_string())
                    }
                    Behaviour::Hang => std::future::pending().await,
                };
                guard.done = true;
                r
            }
        })
        .await;
        (result, t0.elapsed().as_millis() as u64, log)
    }

    fn won(r: Run) -> (RaceWin<Info>, Learning<Info>, u64, Arc<Mutex<Log>>) {
        let (result, at, log) = r;
        let (win, learning) = result.unwrap_or_else(|f| panic!("the race failed: {f}"));
        (win, learning, at, log)
    }

    #[tokio::test(start_paused = true)]
    async fn every_address_starts_at_once_and_a_local_answer_wins_at_once() {
        let (win, _, at, log) = won(run(server(true, true, false), plan(false), |m| match m {
            ConnectionMode::Local => Behaviour::Answer(10, "srv"),
            _ => Behaviour::Answer(1, "srv"),
        })
        .await);
        assert_eq!(win.mode, ConnectionMode::Local);
        assert_eq!(at, 10);
        let log = log.lock().unwrap();
        assert_eq!(
            log.started,
            vec![(ConnectionMode::Local, 0), (ConnectionMode::Remote, 0)]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_blackholed_local_costs_only_the_preference_window_and_is_aborted() {
        let (win, learning, at, log) =
            won(run(server(true, true, false), plan(false), |m| match m {
                ConnectionMode::Local => Behaviour::Hang,
                _ => Behaviour::Answer(5, "srv"),
            })
            .await);
        assert_eq!(win.mode, ConnectionMode::Remote);
        assert_eq!(win.latency, Duration::from_millis(5));
        assert_eq!(
            at, WINDOW,
            "the remote answer waited for the window, no longer"
        );
        assert!(learning.finish().await.is_empty());
        assert_eq!(
            log.lock().unwrap().dropped_unfinished,
            vec![ConnectionMode::Local],
            "the losing local attempt was cancelled"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_remote_answer_after_the_window_wins_at_once() {
        let (win, _, at, _) = won(run(server(true, true, false), plan(false), |m| match m {
            ConnectionMode::Local => Behaviour::Hang,
            _ => Behaviour::Answer(80, "srv"),
        })
        .await);
        assert_eq!(win.mode, ConnectionMode::Remote);
        assert_eq!(at, 80);
    }

    #[tokio::test(start_paused = true)]
    async fn a_local_answer_within_the_window_beats_an_earlier_remote_one() {
        let (win, _, at, _) = won(run(server(true, true, false), plan(false), |m| match m {
            ConnectionMode::Local => Behaviour::Answer(30, "srv"),
            _ => Behaviour::Answer(5, "srv"),
        })
        .await);
        assert_eq!(win.mode, ConnectionMode::Local);
        assert_eq!(at, 30);
    }

    #[tokio::test(start_paused = true)]
    async fn a_refused_local_lets_the_remote_answer_win_without_waiting() {
        let (win, _, at, _) = won(run(server(true, true, false), plan(false), |m| match m {
            ConnectionMode::Local => Behaviour::Fail(1),
            _ => Behaviour::Answer(3, "srv"),
        })
        .await);
        assert_eq!(win.mode, ConnectionMode::Remote);
        assert_eq!(at, 3);
    }

    #[tokio::test(start_paused = true)]
    async fn when_remote_won_last_time_its_answer_is_taken_at_once_and_the_lan_is_still_tried() {
        let (win, learning, at, log) =
            won(run(server(true, true, false), plan(true), |m| match m {
                ConnectionMode::Local => Behaviour::Answer(8, "srv"),
                _ => Behaviour::Answer(2, "srv"),
            })
            .await);
        assert_eq!(win.mode, ConnectionMode::Remote);
        assert_eq!(at, 2, "no preference window");
        // the caller signs in meanwhile; the LAN address answers in that time
        tokio::time::sleep(Duration::from_millis(10)).await;
        let learned = learning.finish().await;
        assert_eq!(learned.len(), 1);
        assert_eq!(learned[0].0.mode, ConnectionMode::Local);
        assert_eq!(learned[0].1, Duration::from_millis(8));
        assert!(log.lock().unwrap().dropped_unfinished.is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn what_is_still_running_when_the_caller_is_done_learning_is_aborted() {
        let (_, learning, _, log) = won(run(server(true, true, false), plan(true), |m| match m {
            ConnectionMode::Local => Behaviour::Hang,
            _ => Behaviour::Answer(2, "srv"),
        })
        .await);
        assert!(learning.finish().await.is_empty());
        assert_eq!(
            log.lock().unwrap().dropped_unfinished,
            vec![ConnectionMode::Local]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_impostor_local_is_rejected_and_remote_wins() {
        let (win, learning, _, _) = won(run(server(true, true, false), plan(true), |m| match m {
            ConnectionMode::Local => Behaviour::Answer(1, "someone-else"),
            _ => Behaviour::Answer(30, "srv"),
        })
        .await);
        assert_eq!(win.mode, ConnectionMode::Remote);
        assert!(learning.finish().await.is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn an_impostor_never_counts_as_learned() {
        let (_, learning, _, _) = won(run(server(true, true, false), plan(true), |m| match m {
            ConnectionMode::Local => Behaviour::Answer(5, "someone-else"),
            _ => Behaviour::Answer(1, "srv"),
        })
        .await);
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(learning.finish().await.is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn every_impostor_gives_a_failure_naming_the_wrong_id() {
        let (r, _, _) = run(server(true, true, false), plan(false), |_| {
            Behaviour::Answer(5, "evil")
        })
        .await;
        let f = r.err().expect("no win");
        assert_eq!(f.attempts.len(), 2);
        assert!(f.attempts.iter().all(|(_, e)| *e
            == AttemptError::WrongServer {
                found: "evil".into()
            }));
        assert!(f.to_string().contains("different server"));
    }

    #[tokio::test(start_paused = true)]
    async fn every_address_dead_is_reported_within_the_remote_timeout() {
        let (r, at, log) = run(server(true, true, false), plan(false), |_| Behaviour::Hang).await;
        let f = r.err().expect("no win");
        assert_eq!(at, 6000);
        assert!(
            f.attempts
                .iter()
                .all(|(_, e)| matches!(e, AttemptError::TimedOut(_)))
        );
        assert_eq!(f.attempts.len(), 2);
        assert_eq!(
            log.lock().unwrap().dropped_unfinished.len(),
            2,
            "timed-out attempts are dropped too"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_manual_address_races_with_local_and_the_first_lan_answer_wins() {
        let (win, _, at, log) = won(run(server(true, true, true), plan(false), |m| match m {
            ConnectionMode::Local => Behaviour::Answer(50, "srv"),
            ConnectionMode::Manual => Behaviour::Answer(5, "srv"),
            ConnectionMode::Remote => Behaviour::Answer(1, "srv"),
        })
        .await);
        assert_eq!(win.mode, ConnectionMode::Manual);
        assert_eq!(at, 5);
        let log = log.lock().unwrap();
        assert_eq!(log.started.len(), 3);
        assert!(log.started.iter().all(|(_, at)| *at == 0));
        assert_eq!(log.dropped_unfinished, vec![ConnectionMode::Local]);
    }

    #[tokio::test(start_paused = true)]
    async fn the_window_never_exceeds_the_head_start() {
        let plan = RacePlan {
            window: Duration::from_secs(5),
            remote_first: false,
        };
        let (win, _, at, _) = won(run(server(true, true, false), plan, |m| match m {
            ConnectionMode::Local => Behaviour::Hang,
            _ => Behaviour::Answer(1, "srv"),
        })
        .await);
        assert_eq!(win.mode, ConnectionMode::Remote);
        assert_eq!(at, 200);
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_lan_address_the_remote_answer_wins_at_once() {
        let (win, _, at, _) = won(run(server(false, true, false), plan(false), |_| {
            Behaviour::Answer(7, "srv")
        })
        .await);
        assert_eq!(win.mode, ConnectionMode::Remote);
        assert_eq!(at, 7);
    }

    #[test]
    fn an_address_listed_twice_is_tried_once_and_a_bad_one_is_a_failed_attempt() {
        let mut s = server(true, true, false);
        s.manual_address = Some("HTTP://127.0.0.1:1/".into());
        let (c, bad) = candidates(&s);
        assert_eq!(c.len(), 2);
        assert!(bad.is_empty());
        assert_eq!(
            c[0].mode,
            ConnectionMode::Manual,
            "the typed address keeps its name"
        );
        assert_eq!(c[1].mode, ConnectionMode::Remote);
        s.remote_address = Some("ftp://nowhere".into());
        let (c, bad) = candidates(&s);
        assert_eq!(c.len(), 1);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].0.mode, ConnectionMode::Remote);
    }

    #[test]
    fn no_address_gives_a_clear_failure() {
        let f = RaceFailure { attempts: vec![] };
        assert_eq!(f.to_string(), "no address is known for this server");
    }
}
