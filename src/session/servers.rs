//! Building the server list: saved entries, LAN discovery and the Connect list merged by server Id
//! (protocol.md §5.2-5.3), without the reference clients' bugs (§5.11).

use crate::emby::Secret;

use super::store::{LinkType, SavedServer};

/// One server as Emby Connect lists it for the signed-in user (protocol.md §2.4).
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectListing {
    /// The server's own Id (Connect `SystemId`).
    pub system_id: String,
    /// Connect's registration id (Connect `Id`).
    pub connect_server_id: String,
    pub name: String,
    pub local_address: Option<String>,
    pub remote_address: Option<String>,
    pub access_key: Secret,
    pub link_type: Option<LinkType>,
}

/// A server that answered LAN discovery.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscoveredEntry {
    pub id: String,
    pub name: String,
    pub address: String,
}

/// What Connect said this time.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnectList {
    /// No Connect user is signed in: nothing to fetch, nothing to drop.
    NotSignedIn,
    /// The list was fetched: a Connect entry it no longer holds is dropped.
    Listed(Vec<ConnectListing>),
    /// The list could not be fetched: every saved entry is kept.
    Failed,
}

use super::store::non_empty;
pub use super::store::{add_or_update, same_id};

impl From<&ConnectListing> for SavedServer {
    fn from(c: &ConnectListing) -> Self {
        SavedServer {
            id: c.system_id.clone(),
            name: c.name.clone(),
            local_address: non_empty(&c.local_address),
            remote_address: non_empty(&c.remote_address),
            exchange_token: Some(c.access_key.clone()),
            connect_server_id: Some(c.connect_server_id.clone()),
            link_type: c.link_type,
            ..Default::default()
        }
    }
}

impl From<&DiscoveredEntry> for SavedServer {
    fn from(d: &DiscoveredEntry) -> Self {
        SavedServer {
            id: d.id.clone(),
            name: d.name.clone(),
            local_address: Some(d.address.clone()),
            ..Default::default()
        }
    }
}

/// The server list (protocol.md §5.3): saved entries, then discovered ones merged in, then the
/// Connect list merged in (Connect wins for its own fields, including its LocalAddress, which the
/// official JS client loses to a typo). When Connect listed its servers, a Connect entry it no
/// longer lists is dropped; when the list could not be fetched nothing is dropped. The order is
/// kept (new servers come last): rows do not move under the user while they look at them (the
/// official clients re-sort by last access every time). See [`in_usual_order`].
pub fn build_server_list(
    saved: &[SavedServer],
    discovered: &[DiscoveredEntry],
    connect: &ConnectList,
) -> Vec<SavedServer> {
    let mut list: Vec<SavedServer> = saved.to_vec();
    for d in discovered {
        add_or_update(&mut list, d.into());
    }
    if let ConnectList::Listed(listed) = connect {
        for c in listed {
            add_or_update(&mut list, c.into());
        }
        list.retain(|s| {
            s.exchange_token.is_none() || listed.iter().any(|c| same_id(&c.system_id, &s.id))
        });
    }
    list
}

/// The order a list is shown in at start: last really used first, then by name (any case), then
/// by Id. Applied once when the saved state is loaded, never during a run.
pub fn in_usual_order(servers: &mut [SavedServer]) {
    servers.sort_by(|a, b| {
        b.last_used_ms
            .cmp(&a.last_used_ms)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.id.cmp(&b.id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(id: &str, key: &str) -> ConnectListing {
        ConnectListing {
            system_id: id.into(),
            connect_server_id: format!("c-{id}"),
            name: format!("Server {id}"),
            local_address: Some(format!("http://10.0.0.1/{id}")),
            remote_address: Some(format!("https://wan/{id}")),
            access_key: Secret::new(key),
            link_type: Some(LinkType::Linked),
        }
    }

    #[test]
    fn merge_never_clears_a_token_and_copies_token_with_its_user() {
        let mut list = vec![SavedServer {
            id: "A".into(),
            access_token: Some(Secret::new("t1")),
            user_id: Some("u1".into()),
            date_last_accessed: 10,
            ..Default::default()
        }];
        add_or_update(
            &mut list,
            SavedServer {
                id: "a".into(),
                name: "New".into(),
                date_last_accessed: 5,
                ..Default::default()
            },
        );
        assert_eq!(list.len(), 1, "ids match case-insensitively");
        assert_eq!(list[0].access_token, Some(Secret::new("t1")));
        assert_eq!(list[0].user_id.as_deref(), Some("u1"));
        assert_eq!(list[0].name, "New");
        assert_eq!(list[0].date_last_accessed, 10);
        add_or_update(
            &mut list,
            SavedServer {
                id: "A".into(),
                access_token: Some(Secret::new("t2")),
                user_id: Some("u2".into()),
                ..Default::default()
            },
        );
        assert_eq!(list[0].access_token, Some(Secret::new("t2")));
        assert_eq!(list[0].user_id.as_deref(), Some("u2"));
    }

    #[test]
    fn empty_incoming_addresses_do_not_overwrite() {
        let mut list = vec![SavedServer {
            id: "A".into(),
            local_address: Some("http://l".into()),
            ..Default::default()
        }];
        add_or_update(
            &mut list,
            SavedServer {
                id: "A".into(),
                local_address: Some("  ".into()),
                ..Default::default()
            },
        );
        assert_eq!(list[0].local_address.as_deref(), Some("http://l"));
    }

    #[test]
    fn connect_local_address_is_taken_and_wins_over_discovery() {
        let list = build_server_list(
            &[],
            &[DiscoveredEntry {
                id: "A".into(),
                name: "disc".into(),
                address: "http://disc".into(),
            }],
            &ConnectList::Listed(vec![listing("A", "k")]),
        );
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].local_address.as_deref(), Some("http://10.0.0.1/A"));
        assert_eq!(list[0].remote_address.as_deref(), Some("https://wan/A"));
        assert_eq!(list[0].exchange_token, Some(Secret::new("k")));
        assert_eq!(list[0].connect_server_id.as_deref(), Some("c-A"));
    }

    #[test]
    fn a_connect_server_that_connect_no_longer_lists_is_dropped_but_manual_ones_stay() {
        let saved = vec![
            SavedServer {
                id: "gone".into(),
                exchange_token: Some(Secret::new("k")),
                ..Default::default()
            },
            SavedServer {
                id: "mine".into(),
                manual_address: Some("http://m".into()),
                ..Default::default()
            },
        ];
        let list = build_server_list(&saved, &[], &ConnectList::Listed(vec![listing("A", "k")]));
        let ids: Vec<_> = list.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["mine", "A"]);
    }

    #[test]
    fn a_failed_connect_list_drops_nothing() {
        let saved = vec![
            SavedServer {
                id: "c1".into(),
                exchange_token: Some(Secret::new("k")),
                access_token: Some(Secret::new("t")),
                ..Default::default()
            },
            SavedServer {
                id: "m1".into(),
                manual_address: Some("http://m".into()),
                ..Default::default()
            },
        ];
        let list = build_server_list(&saved, &[], &ConnectList::Failed);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].access_token, Some(Secret::new("t")));
    }

    #[test]
    fn merging_keeps_the_order_and_the_usual_order_is_last_used_then_name() {
        let saved = vec![
            SavedServer {
                id: "b".into(),
                name: "beta".into(),
                date_last_accessed: 1,
                ..Default::default()
            },
            SavedServer {
                id: "a".into(),
                name: "Alpha".into(),
                date_last_accessed: 9,
                ..Default::default()
            },
        ];
        let list = build_server_list(
            &saved,
            &[DiscoveredEntry {
                id: "c".into(),
                name: "Attic".into(),
                address: "http://c".into(),
            }],
            &ConnectList::NotSignedIn,
        );
        let ids: Vec<_> = list.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["b", "a", "c"], "a merge never reorders");
        let mut list = list;
        list[0].last_used_ms = 5; // beta was opened
        in_usual_order(&mut list);
        let ids: Vec<_> = list.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            vec!["b", "a", "c"],
            "used first, then Alpha, Attic by name"
        );
        list[0].last_used_ms = 0;
        in_usual_order(&mut list);
        let ids: Vec<_> = list.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["a", "c", "b"]);
    }
}
