//! The server list: one refresh for the command line and the UI. Saved servers are reached at
//! once with what is stored, beside the Connect list and LAN discovery; what those bring is merged
//! as it arrives (new servers reached, a changed AccessKey exchanged again, an unshared server
//! dropped), and each server's row is reported as soon as it is known.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::Duration;

use crate::emby::models::ConnectServer;
use crate::emby::{self, DiscoveryConfig};

use super::super::error::SessionError;
use super::super::report::ServerReport;
use super::super::servers::{ConnectList, ConnectListing, DiscoveredEntry, build_server_list};
use super::super::store::{LinkType, SavedServer};
use super::{Event, Hub, InFlight, key};

/// The LAN URL of a discovered server: the reply's scheme, port and path, at the IP the reply came
/// from (protocol.md §4), without the reference clients' loss of https, path and IPv6.
pub fn discovered_url(address: &str, from: SocketAddr) -> String {
    match url::Url::parse(address) {
        Ok(mut u) if u.host_str().is_some() => {
            if u.set_ip_host(from.ip()).is_err() {
                return address.to_string();
            }
            u.to_string().trim_end_matches('/').to_string()
        }
        _ => format!("http://{from}"),
    }
}

/// A Connect list entry, if it carries what a connection needs (Id, SystemId, AccessKey).
fn listing(c: &ConnectServer) -> Option<ConnectListing> {
    let system_id = c.system_id.clone().filter(|s| !s.trim().is_empty())?;
    let access_key = c.access_key.clone().filter(|k| !k.is_empty())?;
    Some(ConnectListing {
        system_id,
        connect_server_id: c.id.clone().unwrap_or_default(),
        name: c.name.clone().unwrap_or_default(),
        local_address: c.local_address.clone(),
        remote_address: c.url.clone(),
        access_key,
        link_type: Some(if c.is_guest() {
            LinkType::Guest
        } else {
            LinkType::Linked
        }),
    })
}

/// Ask the LAN who is there; each answer at the URL built from the IP it came from.
async fn discover_lan(cfg: &DiscoveryConfig) -> Result<Vec<DiscoveredEntry>, emby::Error> {
    Ok(emby::discover(cfg)
        .await?
        .into_iter()
        .map(|d| DiscoveredEntry {
            address: discovered_url(&d.address, d.from),
            id: d.id,
            name: d.name,
        })
        .collect())
}

/// The sign-in-relevant part of a saved entry that the Connect list can change.
fn access_key_of(s: &SavedServer) -> Option<String> {
    s.exchange_token.as_ref().map(|k| k.expose().to_string())
}

impl Hub {
    /// Build the list and reach every server: saved servers at once with what is stored, the
    /// Connect list and the LAN beside them, each server's row reported as it is known. Returns
    /// every server once all have answered or timed out, and saves.
    ///
    /// One refresh runs at a time. One asked for while another runs (say, right after a sign-in)
    /// runs next, and [`Event::Refreshed`] is said once, when the last of them is done; requests
    /// that queued up behind the same running refresh share the one that runs next.
    pub async fn refresh(&self) -> Result<Vec<ServerReport>, SessionError> {
        use std::sync::atomic::Ordering;
        let wanted = &self.inner.refreshes_wanted;
        wanted.fetch_add(1, Ordering::SeqCst);
        let _turn = self.inner.refresh_turn.lock().await;
        if wanted.swap(0, Ordering::SeqCst) == 0 {
            // a refresh that started after this one was asked for has just done the work
            return Ok(self.reports());
        }
        let result = self.refresh_now().await;
        if wanted.load(Ordering::SeqCst) == 0 {
            self.emit(Event::Refreshed);
        }
        result
    }

    async fn refresh_now(&self) -> Result<Vec<ServerReport>, SessionError> {
        self.emit(Event::Listed(self.reports()));
        let ids: Vec<String> = self
            .lock()
            .creds
            .servers
            .iter()
            .map(|s| s.id.clone())
            .collect();
        let mut waits: Vec<InFlight> = ids.iter().filter_map(|id| self.start_reach(id)).collect();
        let (connect_waits, lan_waits) = tokio::join!(self.merge_connect_list(), self.merge_lan());
        waits.extend(connect_waits);
        waits.extend(lan_waits);
        futures::future::join_all(waits).await;
        self.save()?;
        Ok(self.reports())
    }

    /// The Connect list, merged: servers it no longer lists dropped, new ones reached, and one
    /// whose AccessKey changed exchanged again once its reach in flight (with the old key) ends.
    async fn merge_connect_list(&self) -> Vec<InFlight> {
        let session = {
            let st = self.lock();
            st.creds.connect.as_ref().map(|c| {
                self.inner
                    .connect_list
                    .session(c.user_id.clone(), c.access_token.clone())
            })
        };
        let Some(session) = session else {
            return Vec::new();
        };
        let list = match session.servers().await {
            Ok(list) => ConnectList::Listed(list.iter().filter_map(listing).collect()),
            Err(e) => {
                self.notice(if e.is_unauthorized() {
                    "Emby Connect no longer accepts the saved sign-in; sign in again".to_string()
                } else {
                    format!(
                        "the Emby Connect server list could not be fetched ({e}); saved servers are kept"
                    )
                });
                return Vec::new();
            }
        };
        let (new, rekeyed, removed) = {
            let mut st = self.lock();
            let before: Vec<(String, Option<String>)> = st
                .creds
                .servers
                .iter()
                .map(|s| (key(&s.id), access_key_of(s)))
                .collect();
            st.creds.servers = build_server_list(&st.creds.servers, &[], &list);
            let after: HashSet<String> = st.creds.servers.iter().map(|s| key(&s.id)).collect();
            let removed: Vec<String> = before
                .iter()
                .filter(|(k, _)| !after.contains(k))
                .map(|(k, _)| k.clone())
                .collect();
            for k in &removed {
                st.sessions.remove(k);
            }
            let mut new = Vec::new();
            let mut rekeyed = Vec::new();
            for s in &st.creds.servers {
                match before.iter().find(|(k, _)| *k == key(&s.id)) {
                    None => new.push(s.id.clone()),
                    Some((_, old)) if *old != access_key_of(s) => rekeyed.push(s.id.clone()),
                    Some(_) => {}
                }
            }
            (new, rekeyed, removed)
        };
        for k in removed {
            self.emit(Event::Removed(k));
        }
        if let Err(e) = self.save() {
            self.notice(e.to_string());
        }
        self.emit(Event::Listed(self.reports()));
        let mut waits: Vec<InFlight> = new.iter().filter_map(|id| self.start_reach(id)).collect();
        for id in rekeyed {
            let hub = self.clone();
            let running = self.lock().in_flight.get(&key(&id)).cloned();
            let again = async move {
                if let Some(running) = running {
                    running.await;
                }
                if let Some(reach) = hub.start_reach(&id) {
                    reach.await;
                }
            };
            use futures::FutureExt;
            waits.push(again.boxed().shared());
        }
        waits
    }

    /// Servers that answer on the LAN, merged (dropping nothing); new ones reached.
    async fn merge_lan(&self) -> Vec<InFlight> {
        let Some(cfg) = self.inner.discovery.clone() else {
            return Vec::new();
        };
        match discover_lan(&cfg).await {
            Ok(found) => self.add_discovered(&found),
            Err(e) => {
                tracing::info!(error = %e, "LAN discovery failed");
                Vec::new()
            }
        }
    }

    /// Merges servers found on the LAN into the list and starts reaching the new ones.
    fn add_discovered(&self, found: &[DiscoveredEntry]) -> Vec<InFlight> {
        if found.is_empty() {
            return Vec::new();
        }
        let new: Vec<String> = {
            let mut st = self.lock();
            let before: HashSet<String> = st.creds.servers.iter().map(|s| key(&s.id)).collect();
            st.creds.servers =
                build_server_list(&st.creds.servers, found, &ConnectList::NotSignedIn);
            found
                .iter()
                .filter(|d| !before.contains(&key(&d.id)))
                .map(|d| d.id.clone())
                .collect()
        };
        if let Err(e) = self.save() {
            self.notice(e.to_string());
        }
        if !new.is_empty() {
            self.emit(Event::Listed(self.reports()));
        }
        new.iter().filter_map(|id| self.start_reach(id)).collect()
    }

    /// LAN discovery on its own: who answers within `listen_for` (nothing is saved).
    pub async fn lan_servers(
        &self,
        listen_for: Duration,
    ) -> Result<Vec<DiscoveredEntry>, SessionError> {
        let mut cfg = self.inner.discovery.clone().unwrap_or_default();
        cfg.listen_for = listen_for;
        Ok(discover_lan(&cfg).await?)
    }

    /// LAN discovery from the servers pane: who answers is merged into the list, and the new
    /// ones are reached (each reported as it is). Returns how many answered.
    pub async fn discover(&self, listen_for: Duration) -> Result<usize, SessionError> {
        let found = self.lan_servers(listen_for).await?;
        let waits = self.add_discovered(&found);
        futures::future::join_all(waits).await;
        if let Err(e) = self.save() {
            self.notice(e.to_string());
        }
        Ok(found.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emby::Secret;

    #[test]
    fn discovered_url_uses_the_sender_ip_and_keeps_scheme_port_and_path() {
        let from: SocketAddr = "192.168.1.20:7359".parse().unwrap();
        assert_eq!(
            discovered_url("https://10.9.9.9:8920/emby", from),
            "https://192.168.1.20:8920/emby"
        );
        assert_eq!(
            discovered_url("http://host:8096", from),
            "http://192.168.1.20:8096"
        );
        assert_eq!(discovered_url("garbage", from), "http://192.168.1.20:7359");
    }

    #[test]
    fn a_connect_entry_without_an_access_key_or_system_id_is_skipped() {
        let mut c = ConnectServer {
            id: Some("c".into()),
            system_id: Some("s".into()),
            ..Default::default()
        };
        assert!(listing(&c).is_none());
        c.access_key = Some(Secret::new("k"));
        assert!(listing(&c).is_some());
        c.system_id = Some(" ".into());
        assert!(listing(&c).is_none());
    }
}
