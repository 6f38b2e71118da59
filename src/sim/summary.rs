//! The text `emby-sim` prints at start: where everything is and how to sign in.
//! This is a simulator: its made-up passwords are printed on purpose.

use std::fmt::Write;

use super::{AddressKind, Sim};
use crate::sim::world::connect_user_id;

/// Renders the summary of a running simulator.
pub fn render(sim: &Sim) -> String {
    let shared = &sim.shared;
    let sc = &shared.scenario;
    let mut out = String::new();
    let _ = writeln!(out, "emby-sim is running.");
    let _ = writeln!(out, "Connect service: {}", sim.connect_url());
    let _ = writeln!(
        out,
        "  PIN page:      {}  (PINs live {} s)",
        sim.pin_page_url(),
        sc.connect.pin_lifetime_secs
    );
    if !shared.connect.fault().is_none() {
        let _ = writeln!(
            out,
            "  faults:        {}",
            shared.connect.fault().describe()
        );
    }
    for u in &sc.connect.users {
        let _ = writeln!(
            out,
            "  Connect user:  {} / {}  password {:?}  (id {})",
            u.name,
            u.email,
            u.password,
            connect_user_id(&u.name)
        );
    }
    let _ = writeln!(out, "LAN discovery:   udp://{}", sim.discovery_addr());
    for (slot, cfg) in shared.servers.iter().zip(&sc.servers) {
        let s = &slot.info;
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Server {:?}  id {}  version {}",
            s.name, s.id, s.version
        );
        for (kind, url, addr) in [
            (AddressKind::Local, &s.local_url, &slot.local),
            (AddressKind::Remote, &s.remote_url, &slot.remote),
        ] {
            let _ = writeln!(
                out,
                "  {:<7} {}  faults: {}",
                format!("{kind:?}"),
                url,
                addr.fault().describe()
            );
        }
        let lib = cfg.library;
        let _ = writeln!(
            out,
            "  library: {} movies, {} series x {} seasons x {} episodes, {} albums x {} tracks ({} items)",
            lib.movies,
            lib.series,
            lib.seasons,
            lib.episodes,
            lib.albums,
            lib.tracks,
            lib.total_items()
        );
        let _ = writeln!(
            out,
            "  discoverable: {}",
            if cfg.discoverable { "yes" } else { "no" }
        );
        let _ = writeln!(
            out,
            "  Connect guest invitations (/Connect/Invite): {}",
            if cfg.has_connect_invite() {
                "yes"
            } else {
                "no (404, as 4.7 and later)"
            }
        );
        for u in &cfg.users {
            let mut line = format!("  user {:?} password {:?}", u.name, u.password);
            if u.admin {
                line.push_str(" (admin)");
            }
            if let Some(c) = &u.connect {
                let _ = write!(line, " linked to Connect user {c:?} as {:?}", u.link);
                if u.pending {
                    line.push_str(", invitation waiting");
                }
            }
            let _ = writeln!(out, "{line}");
        }
        for d in &cfg.devices {
            let _ = writeln!(
                out,
                "  device {:?} ({}) plays {}: a controllable session",
                d.name,
                d.client,
                d.media_types.join(", ")
            );
        }
    }
    out
}
