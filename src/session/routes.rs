//! Which address of each server won, remembered per network, so a reconnection needs no head
//! start: on the same network the remembered winner is taken as soon as it answers.
//!
//! Kept in `routes.json` in the cache directory (schema-versioned, written atomically, holding no
//! secret: server Ids, addresses the credentials file already holds, modes and latencies). A
//! missing, corrupt or old-version file is an empty memory, never an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::files;
use super::race::{RaceConfig, RacePlan, is_lan};
use super::store::ConnectionMode;

/// Version of the file layout.
pub const SCHEMA: u32 = 1;
/// File name inside the cache dir.
pub const FILE_NAME: &str = "routes.json";
/// LAN latencies kept per network (the newest).
const SAMPLES: usize = 32;
/// Networks remembered (the most recently used).
const NETWORKS: usize = 16;

/// The preference window when nothing was measured on this network yet: a LAN round trip to an
/// Emby server's `/System/Info/Public` takes well under a millisecond wired and a few to about
/// 20 ms on busy Wi-Fi; 50 ms covers that tail with room to spare, while a LocalAddress that does
/// not answer costs 50 ms instead of the official clients' 200.
pub const UNMEASURED_WINDOW: Duration = Duration::from_millis(50);
/// The shortest window: below this, timer granularity and a busy scheduler decide, not the LAN.
pub const MIN_WINDOW: Duration = Duration::from_millis(10);

/// How long a remote answer waits for a LAN attempt, from the LAN latencies measured on this
/// network: four times their 90th percentile (an answer four times slower than nine in ten recent
/// ones is rare, and the cost of being wrong is only a remote connection this time), within
/// [`MIN_WINDOW`] and the configured head start. With fewer than three samples,
/// [`UNMEASURED_WINDOW`].
pub fn preference_window(samples_ms: &[f64], head_start: Duration) -> Duration {
    let window = if samples_ms.len() < 3 {
        UNMEASURED_WINDOW
    } else {
        let mut sorted: Vec<f64> = samples_ms.to_vec();
        sorted.sort_by(|a, b| a.total_cmp(b));
        let p90 = sorted[((sorted.len() - 1) * 9) / 10];
        Duration::from_secs_f64((p90 * 4.0).max(0.0) / 1000.0).max(MIN_WINDOW)
    };
    window.min(head_start)
}

/// The address that won last time, on one network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub mode: ConnectionMode,
    pub address: String,
    pub latency_ms: f64,
    /// When it was learned (ms since the Unix epoch).
    pub at_ms: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct NetworkRoutes {
    /// By lower-case server Id.
    servers: BTreeMap<String, Route>,
    /// Recent LAN answer latencies (ms), newest last.
    lan_ms: Vec<f64>,
    /// Last use of this network (ms since the Unix epoch).
    used_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct RouteBook {
    schema: u32,
    networks: BTreeMap<String, NetworkRoutes>,
}

impl Default for RouteBook {
    fn default() -> Self {
        RouteBook {
            schema: SCHEMA,
            networks: BTreeMap::new(),
        }
    }
}

/// The route memory of this machine, for the network it is on now. Cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct Routes {
    book: Arc<Mutex<RouteBook>>,
    network: String,
    dir: Option<PathBuf>,
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl Routes {
    /// The memory kept in `dir` (None: kept in memory only), for `network`.
    pub fn load(dir: Option<&Path>, network: impl Into<String>) -> Routes {
        let book = dir
            .and_then(|d| std::fs::read(d.join(FILE_NAME)).ok())
            .and_then(|bytes| match serde_json::from_slice::<RouteBook>(&bytes) {
                Ok(book) if book.schema == SCHEMA => Some(book),
                Ok(_) => None,
                Err(e) => {
                    tracing::info!(error = %e, "the route memory is unreadable; starting without it");
                    None
                }
            })
            .unwrap_or_default();
        Routes {
            book: Arc::new(Mutex::new(book)),
            network: network.into(),
            dir: dir.map(Path::to_path_buf),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut NetworkRoutes) -> R) -> R {
        let mut book = self.book.lock().unwrap_or_else(|p| p.into_inner());
        f(book.networks.entry(self.network.clone()).or_default())
    }

    /// The route that won last time for `server_id` on this network.
    pub fn remembered(&self, server_id: &str) -> Option<Route> {
        self.with(|n| n.servers.get(&server_id.to_ascii_lowercase()).cloned())
    }

    /// How to race `server_id` now.
    pub fn plan(&self, server_id: &str, cfg: &RaceConfig) -> RacePlan {
        self.with(|n| RacePlan {
            window: preference_window(&n.lan_ms, cfg.head_start),
            remote_first: n
                .servers
                .get(&server_id.to_ascii_lowercase())
                .is_some_and(|r| r.mode == ConnectionMode::Remote),
        })
    }

    /// What a reach learned: the winner, and LAN attempts that answered as the right server
    /// although the remote Url won (a LocalAddress that came back). A LAN answer is remembered in
    /// preference to a remote win, and every LAN latency feeds the preference window.
    pub fn record(
        &self,
        server_id: &str,
        winner: (ConnectionMode, &str, Duration),
        lan_answers: &[(ConnectionMode, String, Duration)],
    ) {
        let (mode, address, latency) = winner;
        let best = lan_answers
            .iter()
            .min_by_key(|(_, _, l)| *l)
            .map(|(m, a, l)| (*m, a.clone(), *l))
            .unwrap_or((mode, address.to_string(), latency));
        let at_ms = now_ms();
        self.with(|n| {
            n.used_ms = at_ms;
            let lan = lan_answers
                .iter()
                .map(|(_, _, l)| *l)
                .chain(is_lan(mode).then_some(latency));
            for l in lan {
                n.lan_ms.push(l.as_secs_f64() * 1000.0);
            }
            let excess = n.lan_ms.len().saturating_sub(SAMPLES);
            n.lan_ms.drain(..excess);
            n.servers.insert(
                server_id.to_ascii_lowercase(),
                Route {
                    mode: best.0,
                    address: best.1,
                    latency_ms: best.2.as_secs_f64() * 1000.0,
                    at_ms,
                },
            );
        });
    }

    /// Writes the memory to the cache dir (atomically; a failure is only logged: it is a cache).
    pub fn save(&self) {
        let Some(dir) = &self.dir else { return };
        let json = {
            let mut book = self.book.lock().unwrap_or_else(|p| p.into_inner());
            while book.networks.len() > NETWORKS {
                let oldest = book
                    .networks
                    .iter()
                    .min_by_key(|(_, n)| n.used_ms)
                    .map(|(k, _)| k.clone());
                match oldest {
                    Some(k) => book.networks.remove(&k),
                    None => break,
                };
            }
            serde_json::to_vec(&*book)
        };
        match json {
            Ok(json) => {
                if let Err(e) = files::write_atomic(dir, FILE_NAME, &json) {
                    tracing::info!(error = %e, "the route memory could not be saved");
                }
            }
            Err(e) => tracing::warn!(error = %e, "the route memory could not be encoded"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAP: Duration = Duration::from_millis(200);

    #[test]
    fn the_window_follows_the_measured_lan_within_its_bounds() {
        assert_eq!(preference_window(&[], CAP), UNMEASURED_WINDOW);
        assert_eq!(preference_window(&[1.0, 2.0], CAP), UNMEASURED_WINDOW);
        // wired LAN: sub-millisecond answers give the floor
        assert_eq!(preference_window(&[0.3, 0.4, 0.5, 0.2], CAP), MIN_WINDOW);
        // Wi-Fi: p90 of 8 ms, four times that
        let wifi = [3.0, 4.0, 5.0, 6.0, 5.0, 4.0, 6.0, 7.0, 8.0, 30.0];
        assert_eq!(preference_window(&wifi, CAP), Duration::from_millis(32));
        // never beyond the head start
        assert_eq!(preference_window(&[100.0, 120.0, 150.0], CAP), CAP);
        assert_eq!(
            preference_window(&[], Duration::from_millis(20)),
            Duration::from_millis(20)
        );
    }

    fn wan(ms: u64) -> (ConnectionMode, &'static str, Duration) {
        (
            ConnectionMode::Remote,
            "https://wan",
            Duration::from_millis(ms),
        )
    }

    #[test]
    fn a_remote_win_is_remembered_and_taken_first_next_time() {
        let routes = Routes::load(None, "home");
        let cfg = RaceConfig::default();
        assert!(!routes.plan("S1", &cfg).remote_first);
        routes.record("S1", wan(20), &[]);
        assert!(
            routes.plan("s1", &cfg).remote_first,
            "ids are case-insensitive"
        );
        assert_eq!(
            routes.remembered("S1").unwrap().mode,
            ConnectionMode::Remote
        );
    }

    #[test]
    fn a_lan_address_that_answered_beside_a_remote_win_is_preferred_next_time() {
        let routes = Routes::load(None, "home");
        routes.record("S1", wan(20), &[]);
        routes.record(
            "S1",
            wan(2),
            &[(
                ConnectionMode::Local,
                "http://lan".into(),
                Duration::from_millis(5),
            )],
        );
        let r = routes.remembered("S1").unwrap();
        assert_eq!(
            (r.mode, r.address.as_str()),
            (ConnectionMode::Local, "http://lan")
        );
        assert!(!routes.plan("S1", &RaceConfig::default()).remote_first);
    }

    #[test]
    fn another_network_remembers_nothing_of_this_one() {
        let dir = tempfile::tempdir().unwrap();
        let home = Routes::load(Some(dir.path()), "home");
        home.record("S1", wan(20), &[]);
        home.save();
        let again = Routes::load(Some(dir.path()), "home");
        assert!(again.plan("S1", &RaceConfig::default()).remote_first);
        let cafe = Routes::load(Some(dir.path()), "cafe");
        assert!(cafe.remembered("S1").is_none());
        assert!(!cafe.plan("S1", &RaceConfig::default()).remote_first);
    }

    #[test]
    fn lan_latencies_feed_the_window_and_only_the_newest_are_kept() {
        let routes = Routes::load(None, "home");
        let cfg = RaceConfig::default();
        for _ in 0..40 {
            routes.record(
                "S1",
                (
                    ConnectionMode::Local,
                    "http://lan",
                    Duration::from_millis(1),
                ),
                &[],
            );
        }
        assert_eq!(routes.plan("S1", &cfg).window, MIN_WINDOW);
        assert_eq!(routes.with(|n| n.lan_ms.len()), SAMPLES);
    }

    #[test]
    fn a_corrupt_or_old_file_is_an_empty_memory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), b"{ not json").unwrap();
        assert!(
            Routes::load(Some(dir.path()), "home")
                .remembered("S1")
                .is_none()
        );
        std::fs::write(dir.path().join(FILE_NAME), br#"{"schema":0,"networks":{}}"#).unwrap();
        assert!(
            Routes::load(Some(dir.path()), "home")
                .remembered("S1")
                .is_none()
        );
    }
}
