//! Which network this machine is on, as a short fingerprint, so a route that won at home is not
//! assumed at a café.
//!
//! The fingerprint is built from what changes when the machine moves between networks and stays
//! put otherwise, read without sending a packet (well under a millisecond):
//! - the source address the kernel would use on the default route, for IPv4 and IPv6 (a UDP socket
//!   "connected" to a documentation address, which sends nothing): a new network gives a new
//!   DHCP lease, usually in another subnet;
//! - on Linux, the default gateway and its hardware address (`/proc/net/route`, `/proc/net/arp`):
//!   two homes that both use `192.168.1.0/24` still have different routers.
//!
//! Interface lists were considered and not used: they change with every VPN, container bridge or
//! USB tether going up, none of which moves the LAN servers. The result is hashed (FNV-1a, stable
//! across builds), so the cache keeps no address of the user's networks.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

/// The fingerprint of the network this machine is on now.
pub fn fingerprint() -> String {
    let mut parts = Vec::new();
    if let Some(ip) = default_route_source(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))) {
        parts.push(format!("v4={ip}"));
    }
    if let Some(ip) =
        default_route_source(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)))
    {
        parts.push(format!("v6={ip}"));
    }
    #[cfg(target_os = "linux")]
    if let Some(gw) = linux_gateway() {
        parts.push(format!("gw={gw}"));
    }
    if parts.is_empty() {
        parts.push("offline".to_string());
    }
    format!("{:016x}", fnv1a(parts.join(";").as_bytes()))
}

/// The local address the kernel picks to reach `target` (a documentation address: nothing is sent).
fn default_route_source(target: IpAddr) -> Option<IpAddr> {
    let bind: SocketAddr = match target {
        IpAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        IpAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(bind).ok()?;
    socket.connect((target, 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified()).then_some(ip)
}

/// `IP@MAC` of the IPv4 default gateway.
#[cfg(target_os = "linux")]
fn linux_gateway() -> Option<String> {
    let routes = std::fs::read_to_string("/proc/net/route").ok()?;
    let gateway = routes.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        (fields.get(1) == Some(&"00000000"))
            .then(|| u32::from_str_radix(fields.get(2)?, 16).ok())
            .flatten()
    })?;
    let ip = Ipv4Addr::from(gateway.swap_bytes()).to_string();
    let arp = std::fs::read_to_string("/proc/net/arp").unwrap_or_default();
    let mac = arp
        .lines()
        .skip(1)
        .find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            (fields.first() == Some(&ip.as_str())).then(|| fields.get(3).map(|m| m.to_string()))?
        })
        .unwrap_or_default();
    Some(format!("{ip}@{mac}"))
}

/// FNV-1a, 64 bits: tiny, and the same on every build (std's hasher is not).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_is_stable_and_hides_the_addresses() {
        let a = fingerprint();
        assert_eq!(a, fingerprint());
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn fnv1a_matches_its_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
