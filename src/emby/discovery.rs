//! LAN discovery (protocol.md §4): send `who is EmbyServer?` over UDP, collect `{Address, Id, Name}`
//! replies for a bounded time, de-duplicated by server Id.

use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use serde::Deserialize;
use tokio::net::UdpSocket;

use super::error::Error;

/// The query every Emby Server answers on UDP port 7359.
pub const DISCOVERY_QUERY: &[u8] = b"who is EmbyServer?";

/// Largest reply datagram read; longer ones are truncated and so ignored as garbage.
const MAX_DATAGRAM: usize = 8 * 1024;

/// Where to ask and for how long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscoveryConfig {
    /// Where the query goes: by default the broadcast address `255.255.255.255:7359`.
    pub target: SocketAddr,
    /// How long replies are collected (reference clients use 1–1.5 s).
    pub listen_for: Duration,
    /// Stop early after this many distinct servers (bounds memory against a flood).
    pub max_servers: usize,
}

impl Default for DiscoveryConfig {
    fn default() -> Self {
        DiscoveryConfig {
            target: SocketAddr::from((Ipv4Addr::BROADCAST, 7359)),
            listen_for: Duration::from_millis(1000),
            max_servers: 256,
        }
    }
}

/// A server that answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscoveredServer {
    /// The server's own LAN URL, as it says (`Address`).
    pub address: String,
    /// The server's id.
    pub id: String,
    /// The server's name.
    pub name: String,
    /// The socket address the reply came from (the server's real IP, whatever `address` says).
    pub from: SocketAddr,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Reply {
    address: String,
    id: String,
    #[serde(default)]
    name: Option<String>,
}

/// Parses one reply datagram; `None` for anything that is not a usable `{Address, Id, Name}`.
pub fn parse_reply(datagram: &[u8], from: SocketAddr) -> Option<DiscoveredServer> {
    let mut value: serde_json::Value = serde_json::from_slice(datagram).ok()?;
    super::text::clean_json(&mut value);
    let reply: Reply = serde_json::from_value(value).ok()?;
    let id = reply.id.trim();
    let address = reply.address.trim();
    if id.is_empty() || address.is_empty() {
        return None;
    }
    Some(DiscoveredServer {
        address: address.to_owned(),
        id: id.to_owned(),
        name: reply.name.unwrap_or_default(),
        from,
    })
}

/// Sends the discovery query and collects replies until `listen_for` has passed (or
/// `max_servers` distinct servers answered). Garbage datagrams are ignored; the first reply of
/// each Id is kept. Fails only when the socket cannot be opened or the query cannot be sent.
pub async fn discover(config: &DiscoveryConfig) -> Result<Vec<DiscoveredServer>, Error> {
    let target = config.target.to_string();
    let unreachable = |cause: std::io::Error| Error::Unreachable {
        address: format!("udp://{target}"),
        cause: cause.to_string(),
    };
    let bind: SocketAddr = if config.target.is_ipv4() {
        (Ipv4Addr::UNSPECIFIED, 0).into()
    } else {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let socket = UdpSocket::bind(bind).await.map_err(unreachable)?;
    socket.set_broadcast(true).map_err(unreachable)?;
    socket
        .send_to(DISCOVERY_QUERY, config.target)
        .await
        .map_err(unreachable)?;

    let deadline = tokio::time::Instant::now() + config.listen_for;
    let mut seen = HashSet::new();
    let mut servers = Vec::new();
    let mut buf = vec![0u8; MAX_DATAGRAM];
    while servers.len() < config.max_servers {
        let received = tokio::time::timeout_at(deadline, socket.recv_from(&mut buf)).await;
        let (len, from) = match received {
            Err(_) => break,        // time is up
            Ok(Err(_)) => continue, // e.g. ICMP port unreachable surfacing as an error: keep listening
            Ok(Ok(got)) => got,
        };
        if len >= MAX_DATAGRAM {
            continue; // possibly truncated
        }
        if let Some(server) = parse_reply(&buf[..len], from)
            && seen.insert(server.id.clone())
        {
            servers.push(server);
        }
    }
    Ok(servers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from() -> SocketAddr {
        "127.0.0.1:7359".parse().unwrap()
    }

    #[test]
    fn a_reply_parses_and_unknown_keys_are_ignored() {
        let s = parse_reply(
            br#"{"Address":"http://192.168.1.10:8096","Id":"abc","Name":"Den","Extra":1}"#,
            from(),
        )
        .unwrap();
        assert_eq!(s.address, "http://192.168.1.10:8096");
        assert_eq!(s.id, "abc");
        assert_eq!(s.name, "Den");
        assert_eq!(s.from, from());
    }

    #[test]
    fn garbage_and_incomplete_replies_are_ignored() {
        for bad in [
            &b"who is EmbyServer?"[..],
            b"",
            b"\xff\xfe",
            b"{}",
            br#"{"Address":"http://x","Id":""}"#,
            br#"{"Address":5,"Id":"a"}"#,
            br#"{"Id":"a","Name":"n"}"#,
            b"[1,2,3]",
        ] {
            assert!(parse_reply(bad, from()).is_none(), "{bad:?}");
        }
    }

    /// A tiny responder on loopback: answers each query with the given datagrams.
    async fn responder(replies: Vec<Vec<u8>>) -> SocketAddr {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = socket.local_addr().unwrap();
        tokio::spawn(async move {
            let mut buf = [0u8; 64];
            if let Ok((len, peer)) = socket.recv_from(&mut buf).await
                && &buf[..len] == DISCOVERY_QUERY
            {
                for r in replies {
                    let _ = socket.send_to(&r, peer).await;
                }
            }
        });
        addr
    }

    #[tokio::test]
    async fn discover_collects_replies_deduplicated_by_id_and_skips_garbage() {
        let target = responder(vec![
            br#"{"Address":"http://127.0.0.1:8096","Id":"s1","Name":"One"}"#.to_vec(),
            b"not json at all".to_vec(),
            br#"{"Address":"http://127.0.0.1:8096","Id":"s1","Name":"One again"}"#.to_vec(),
            br#"{"Address":"http://127.0.0.1:8097","Id":"s2","Name":"Two"}"#.to_vec(),
        ])
        .await;
        let config = DiscoveryConfig {
            target,
            listen_for: Duration::from_millis(500),
            max_servers: 2,
        };
        let servers = discover(&config).await.unwrap();
        let ids: Vec<_> = servers
            .iter()
            .map(|s| (s.id.as_str(), s.name.as_str()))
            .collect();
        assert_eq!(ids, [("s1", "One"), ("s2", "Two")]);
        assert!(servers.iter().all(|s| s.from == target));
    }

    #[tokio::test(start_paused = true)]
    async fn discover_returns_empty_when_nobody_answers_within_the_window() {
        let silent = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let config = DiscoveryConfig {
            target: silent.local_addr().unwrap(),
            listen_for: Duration::from_secs(1),
            ..Default::default()
        };
        assert!(discover(&config).await.unwrap().is_empty());
    }
}
