//! Which server an item is opened on: the one reachable the fastest, a LAN address before a
//! remote one, from how each session was reached ([`ServerReport`] mode and latency).

use std::collections::HashMap;

use super::merge::Source;
use crate::session::ServerReport;

/// How soon a server answers: (how it is reached, latency in ms). Lower is sooner.
pub type Rank = (u8, u64);

/// The rank of a server from its report: signed in over a LAN address, then one typed by hand,
/// then remote; a server not signed in comes last; within each, the lower latency first.
pub fn rank_of(report: &ServerReport) -> Rank {
    let how = match (report.state, report.mode) {
        ("signed_in", Some("local")) => 0,
        ("signed_in", Some("manual")) => 1,
        ("signed_in", _) => 2,
        _ => 3,
    };
    (how, report.latency_ms.unwrap_or(u64::MAX))
}

/// Every server's rank and name, from the reports of the moment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranks {
    by_id: HashMap<String, (Rank, String)>,
}

impl Ranks {
    pub fn from_reports(reports: &[ServerReport]) -> Ranks {
        Ranks {
            by_id: reports
                .iter()
                .map(|r| {
                    let name = if r.name.trim().is_empty() {
                        r.id.clone()
                    } else {
                        r.name.clone()
                    };
                    (r.id.to_ascii_lowercase(), (rank_of(r), name))
                })
                .collect(),
        }
    }

    fn get(&self, server_id: &str) -> Option<&(Rank, String)> {
        // ids come as the server spells them, most often already lower case
        match self.by_id.get(server_id) {
            Some(found) => Some(found),
            None if server_id.bytes().any(|b| b.is_ascii_uppercase()) => {
                self.by_id.get(&server_id.to_ascii_lowercase())
            }
            None => None,
        }
    }

    /// The rank of a server (unknown servers last).
    pub fn rank(&self, server_id: &str) -> Rank {
        self.get(server_id).map_or((4, u64::MAX), |(r, _)| *r)
    }

    /// The name of a server (its id when unknown).
    pub fn name<'a>(&'a self, server_id: &'a str) -> &'a str {
        self.get(server_id).map_or(server_id, |(_, n)| n.as_str())
    }

    /// Whether a server can be opened now (signed in).
    pub fn reachable(&self, server_id: &str) -> bool {
        self.rank(server_id).0 < 3
    }

    /// Sources fastest first (ties keep their order).
    pub fn order(&self, sources: &mut [Source]) {
        sources.sort_by_key(|s| self.rank(&s.server_id));
    }

    /// Server ids fastest first, then by id.
    pub fn sort_ids(&self, ids: &mut [String]) {
        ids.sort_by(|a, b| {
            self.rank(a)
                .cmp(&self.rank(b))
                .then_with(|| a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase()))
        });
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn report(
        id: &str,
        state: &'static str,
        mode: Option<&'static str>,
        ms: u64,
    ) -> ServerReport {
        ServerReport {
            id: id.into(),
            name: format!("Server {id}"),
            source: "connect",
            state,
            mode,
            address: None,
            local_address: None,
            remote_address: None,
            manual_address: None,
            user_id: None,
            user_name: None,
            latency_ms: Some(ms),
            error: None,
            link_type: None,
            last_used_ms: 0,
        }
    }

    fn source(server: &str) -> Source {
        Source {
            server_id: server.into(),
            item_id: "i".into(),
            name: None,
            user_data: None,
            shown: false,
        }
    }

    #[test]
    fn local_before_remote_then_the_lower_latency_and_unreachable_last() {
        let ranks = Ranks::from_reports(&[
            report("remote-fast", "signed_in", Some("remote"), 2),
            report("local-slow", "signed_in", Some("local"), 40),
            report("local-fast", "signed_in", Some("local"), 3),
            report("down", "unavailable", None, 1),
            report("manual", "signed_in", Some("manual"), 1),
        ]);
        let mut sources: Vec<Source> = [
            "down",
            "remote-fast",
            "gone",
            "local-slow",
            "manual",
            "local-fast",
        ]
        .into_iter()
        .map(source)
        .collect();
        ranks.order(&mut sources);
        let order: Vec<&str> = sources.iter().map(|s| s.server_id.as_str()).collect();
        assert_eq!(
            order,
            [
                "local-fast",
                "local-slow",
                "manual",
                "remote-fast",
                "down",
                "gone"
            ]
        );
        assert_eq!(ranks.name("LOCAL-FAST"), "Server local-fast");
        assert_eq!(ranks.name("gone"), "gone");
        assert!(!ranks.reachable("down"));
    }
}
