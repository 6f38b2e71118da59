//! The address race: reach one server the fastest safe way.
//!
//! The LocalAddress and a manual address start at once; the remote Url starts after a short
//! head start, or as soon as every earlier attempt has failed. The first answer from the right
//! server (its Id checked) wins, except that a remote answer is held back while a LocalAddress
//! (or manual) attempt is still running within the head start, so a LAN answer arriving then
//! wins. Losing attempts are aborted and awaited, so none is left running.

use std::future::Future;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use super::address::same_address;
use super::servers::same_id;
use super::store::{ConnectionMode, SavedServer};

/// Timings of the race. Defaults, from the peers' figures (protocol.md §5.5):
/// - `head_start` 200 ms: the official JS client starts Remote 200 ms after Local (and Manual at
///   100 ms), a figure with years of field use; a LAN server answers `/System/Info/Public` in a
///   few milliseconds (tens for a busy NAS), so 200 ms keeps the LAN preference while a server
///   reachable only remotely costs a fifth of a second. Unlike JS, a LocalAddress that fails
///   (refused, wrong Id) starts the remote attempt at once instead of waiting out the head start.
/// - `local_timeout` 3 s: JS waits 20 s and C#/Python 8 s, but they try addresses one after the
///   other; here a dead LAN address delays nothing (Remote starts anyway), so this only bounds
///   how long "unavailable" takes. A live LAN answers in far less.
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

/// One address to try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub mode: ConnectionMode,
    pub address: String,
}

/// The addresses of a server (Manual, Local, Remote), an address listed twice tried once; an
/// address the user typed keeps the name "manual" even when it is also the LocalAddress (as the
/// reference clients skip Local when it equals ManualAddress).
pub fn candidates(server: &SavedServer) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let all = [
        (ConnectionMode::Manual, &server.manual_address),
        (ConnectionMode::Local, &server.local_address),
        (ConnectionMode::Remote, &server.remote_address),
    ];
    for (mode, addr) in all {
        let Some(addr) = addr.as_deref().map(str::trim).filter(|a| !a.is_empty()) else {
            continue;
        };
        if out.iter().any(|c| same_address(&c.address, addr)) {
            continue;
        }
        out.push(Candidate {
            mode,
            address: addr.to_string(),
        });
    }
    out
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
    pub address: String,
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
    pub attempts: Vec<(Candidate, AttemptError)>,
}

impl std::fmt::Display for RaceFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.attempts.is_empty() {
            return f.write_str("no address is known for this server");
        }
        let parts: Vec<String> = self
            .attempts
            .iter()
            .map(|(c, e)| format!("{} {}: {}", c.mode.as_str(), c.address, e))
            .collect();
        write!(f, "unreachable ({})", parts.join("; "))
    }
}

type AttemptResult<T> = (Candidate, Instant, Result<T, AttemptError>);

/// Run the race. `expected_id` is the Id the answer must carry (None only when adding a new
/// address, whose Id is not known yet). `remembered` is the mode that won last time: when it is
/// Remote the remote attempt starts at once too (it still loses to a LocalAddress answer within
/// the head start). `probe` performs one attempt; it gets the attempt's timeout, which the race
/// also enforces.
pub async fn race<T, F, Fut>(
    expected_id: Option<&str>,
    candidates: Vec<Candidate>,
    remembered: Option<ConnectionMode>,
    cfg: &RaceConfig,
    probe: F,
) -> Result<RaceWin<T>, RaceFailure>
where
    T: Answer + Send + 'static,
    F: Fn(Candidate, Duration) -> Fut,
    Fut: Future<Output = Result<T, String>> + Send + 'static,
{
    let start = Instant::now();
    let head_start_ends = start + cfg.head_start;
    let preferred = |m: ConnectionMode| m != ConnectionMode::Remote;
    let mut preferred_running = candidates.iter().filter(|c| preferred(c.mode)).count();
    let has_preferred = preferred_running > 0;
    let (mut deferred, immediate): (Vec<Candidate>, Vec<Candidate>) =
        candidates.into_iter().partition(|c| {
            c.mode == ConnectionMode::Remote
                && has_preferred
                && remembered != Some(ConnectionMode::Remote)
        });

    let mut set: JoinSet<AttemptResult<T>> = JoinSet::new();
    let spawn = |set: &mut JoinSet<AttemptResult<T>>, c: Candidate| {
        let timeout = cfg.timeout(c.mode);
        let fut = probe(c.clone(), timeout);
        set.spawn(async move {
            let began = Instant::now();
            let r = match tokio::time::timeout(timeout, fut).await {
                Ok(Ok(v)) => Ok(v),
                Ok(Err(why)) => Err(AttemptError::Failed(why)),
                Err(_) => Err(AttemptError::TimedOut(timeout)),
            };
            (c, began, r)
        });
    };
    for c in immediate {
        spawn(&mut set, c);
    }

    let mut failures: Vec<(Candidate, AttemptError)> = Vec::new();
    let mut held: Option<RaceWin<T>> = None;

    let outcome = loop {
        if set.is_empty() {
            if let Some(win) = held.take() {
                break Ok(win);
            }
            if deferred.is_empty() {
                break Err(RaceFailure {
                    attempts: std::mem::take(&mut failures),
                });
            }
            for c in deferred.drain(..) {
                spawn(&mut set, c);
            }
            continue;
        }
        let timer_armed = !deferred.is_empty() || held.is_some();
        tokio::select! {
            joined = set.join_next() => {
                let Some(joined) = joined else { continue };
                let (cand, began, result) = match joined {
                    Ok(v) => v,
                    Err(e) => {
                        tracing::warn!(error = %e, "address attempt task failed");
                        continue;
                    }
                };
                if preferred(cand.mode) {
                    preferred_running -= 1;
                }
                let result = result.and_then(|answer| match expected_id {
                    Some(id) if !same_id(id, answer.server_id()) => {
                        Err(AttemptError::WrongServer { found: answer.server_id().to_string() })
                    }
                    _ => Ok(answer),
                });
                match result {
                    Ok(answer) => {
                        let win = RaceWin { mode: cand.mode, address: cand.address, answer, latency: began.elapsed() };
                        let within_head_start = Instant::now() < head_start_ends;
                        if preferred(win.mode) || preferred_running == 0 || !within_head_start {
                            break Ok(win);
                        }
                        if held.is_none() {
                            held = Some(win);
                        }
                    }
                    Err(e) => {
                        tracing::debug!(mode = cand.mode.as_str(), address = %cand.address, error = %e, "address attempt lost");
                        failures.push((cand, e));
                        if preferred_running == 0 {
                            if let Some(win) = held.take() {
                                break Ok(win);
                            }
                            for c in deferred.drain(..) {
                                spawn(&mut set, c);
                            }
                        }
                    }
                }
            }
            _ = tokio::time::sleep_until(head_start_ends), if timer_armed => {
                if let Some(win) = held.take() {
                    break Ok(win);
                }
                for c in deferred.drain(..) {
                    spawn(&mut set, c);
                }
            }
        }
    };
    // Abort the losers and wait until each has really stopped.
    set.shutdown().await;
    outcome
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

    async fn run(
        srv: SavedServer,
        remembered: Option<ConnectionMode>,
        behave: impl Fn(ConnectionMode) -> Behaviour,
    ) -> (Result<RaceWin<Info>, RaceFailure>, u64, Arc<Mutex<Log>>) {
        let log = Arc::new(Mutex::new(Log::default()));
        let t0 = Instant::now();
        let cfg = RaceConfig::default();
        let l2 = log.clone();
        let result = race(
            Some("srv"),
            candidates(&srv),
            remembered,
            &cfg,
            move |c, _timeout| {
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
            },
        )
        .await;
        (result, t0.elapsed().as_millis() as u64, log)
    }

    #[tokio::test(start_paused = true)]
    async fn local_wins_when_it_answers_and_remote_never_starts() {
        let (r, at, log) = run(server(true, true, false), None, |m| match m {
            ConnectionMode::Local => Behaviour::Answer(10, "srv"),
            _ => Behaviour::Answer(1, "srv"),
        })
        .await;
        let win = r.unwrap();
        assert_eq!(win.mode, ConnectionMode::Local);
        assert_eq!(at, 10);
        assert_eq!(
            log.lock().unwrap().started,
            vec![(ConnectionMode::Local, 0)]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn blackholed_local_falls_back_to_remote_after_the_head_start_and_is_aborted() {
        let (r, at, log) = run(server(true, true, false), None, |m| match m {
            ConnectionMode::Local => Behaviour::Hang,
            _ => Behaviour::Answer(40, "srv"),
        })
        .await;
        let win = r.unwrap();
        assert_eq!(win.mode, ConnectionMode::Remote);
        assert_eq!(win.latency, Duration::from_millis(40));
        assert_eq!(at, 200 + 40);
        let log = log.lock().unwrap();
        assert_eq!(
            log.started,
            vec![(ConnectionMode::Local, 0), (ConnectionMode::Remote, 200)]
        );
        assert_eq!(
            log.dropped_unfinished,
            vec![ConnectionMode::Local],
            "the losing local attempt was cancelled"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn refused_local_starts_remote_at_once_without_waiting_for_the_head_start() {
        let (r, at, log) = run(server(true, true, false), None, |m| match m {
            ConnectionMode::Local => Behaviour::Fail(1),
            _ => Behaviour::Answer(30, "srv"),
        })
        .await;
        assert_eq!(r.unwrap().mode, ConnectionMode::Remote);
        assert_eq!(at, 31);
        assert_eq!(log.lock().unwrap().started[1], (ConnectionMode::Remote, 1));
    }

    #[tokio::test(start_paused = true)]
    async fn an_impostor_local_is_rejected_and_remote_wins() {
        let (r, _, _) = run(server(true, true, false), None, |m| match m {
            ConnectionMode::Local => Behaviour::Answer(5, "someone-else"),
            _ => Behaviour::Answer(30, "srv"),
        })
        .await;
        assert_eq!(r.unwrap().mode, ConnectionMode::Remote);
    }

    #[tokio::test(start_paused = true)]
    async fn every_impostor_gives_a_failure_naming_the_wrong_id() {
        let (r, _, _) = run(server(true, true, false), None, |_| {
            Behaviour::Answer(5, "evil")
        })
        .await;
        let f = r.unwrap_err();
        assert_eq!(f.attempts.len(), 2);
        assert!(f.attempts.iter().all(|(_, e)| *e
            == AttemptError::WrongServer {
                found: "evil".into()
            }));
        assert!(f.to_string().contains("different server"));
    }

    #[tokio::test(start_paused = true)]
    async fn with_remote_remembered_a_local_answer_within_the_head_start_still_wins() {
        let (r, at, log) = run(
            server(true, true, false),
            Some(ConnectionMode::Remote),
            |m| match m {
                ConnectionMode::Local => Behaviour::Answer(100, "srv"),
                _ => Behaviour::Answer(20, "srv"),
            },
        )
        .await;
        assert_eq!(r.unwrap().mode, ConnectionMode::Local);
        assert_eq!(at, 100);
        assert_eq!(
            log.lock().unwrap().started,
            vec![(ConnectionMode::Local, 0), (ConnectionMode::Remote, 0)]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn with_remote_remembered_and_local_dead_remote_wins_when_the_head_start_ends() {
        let (r, at, _) = run(
            server(true, true, false),
            Some(ConnectionMode::Remote),
            |m| match m {
                ConnectionMode::Local => Behaviour::Hang,
                _ => Behaviour::Answer(20, "srv"),
            },
        )
        .await;
        assert_eq!(r.unwrap().mode, ConnectionMode::Remote);
        assert_eq!(at, 200);
    }

    #[tokio::test(start_paused = true)]
    async fn every_address_dead_is_reported_within_the_remote_timeout() {
        let (r, at, log) = run(server(true, true, false), None, |_| Behaviour::Hang).await;
        let f = r.unwrap_err();
        assert_eq!(at, 200 + 6000);
        assert!(
            f.attempts
                .iter()
                .all(|(_, e)| matches!(e, AttemptError::TimedOut(_)))
        );
        assert_eq!(f.attempts.len(), 2);
        assert!(
            log.lock().unwrap().dropped_unfinished.len() == 2,
            "timed-out attempts are dropped too"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_manual_address_races_with_local_from_the_start_and_the_first_answer_wins() {
        let (r, at, log) = run(server(true, true, true), None, |m| match m {
            ConnectionMode::Local => Behaviour::Answer(50, "srv"),
            _ => Behaviour::Answer(5, "srv"),
        })
        .await;
        assert_eq!(r.unwrap().mode, ConnectionMode::Manual);
        assert_eq!(at, 5);
        let log = log.lock().unwrap();
        assert_eq!(
            log.started,
            vec![(ConnectionMode::Manual, 0), (ConnectionMode::Local, 0)]
        );
        assert_eq!(log.dropped_unfinished, vec![ConnectionMode::Local]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_remote_answer_waits_for_a_running_manual_attempt_within_the_head_start() {
        let (r, at, _) = run(
            server(false, true, true),
            Some(ConnectionMode::Remote),
            |m| match m {
                ConnectionMode::Manual => Behaviour::Answer(80, "srv"),
                _ => Behaviour::Answer(5, "srv"),
            },
        )
        .await;
        assert_eq!(r.unwrap().mode, ConnectionMode::Manual);
        assert_eq!(at, 80);
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_local_address_remote_starts_at_once() {
        let (r, at, _) = run(server(false, true, false), None, |_| {
            Behaviour::Answer(7, "srv")
        })
        .await;
        assert_eq!(r.unwrap().mode, ConnectionMode::Remote);
        assert_eq!(at, 7);
    }

    #[test]
    fn an_address_listed_twice_is_tried_once() {
        let mut s = server(true, true, false);
        s.manual_address = Some("HTTP://127.0.0.1:1/".into());
        let c = candidates(&s);
        assert_eq!(c.len(), 2);
        assert_eq!(
            c[0].mode,
            ConnectionMode::Manual,
            "the typed address keeps its name"
        );
        assert_eq!(c[1].mode, ConnectionMode::Remote);
    }

    #[test]
    fn no_address_gives_a_clear_failure() {
        let f = RaceFailure { attempts: vec![] };
        assert_eq!(f.to_string(), "no address is known for this server");
    }
}
