//! The UDP discovery responder: `who is EmbyServer?` gets one `{Address, Id, Name}` datagram
//! per discoverable server, sent back to the asker.

use std::sync::Arc;

use serde_json::json;
use tokio::net::UdpSocket;
use tokio::task::JoinHandle;

use super::Shared;

/// The question real clients send.
const QUESTION: &[u8] = b"who is EmbyServer?";

/// Starts answering on `socket`.
pub fn spawn(socket: UdpSocket, shared: Arc<Shared>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut buf = [0u8; 1024];
        loop {
            let (n, from) = match socket.recv_from(&mut buf).await {
                Ok(x) => x,
                Err(e) => {
                    tracing::debug!(error = %e, "discovery receive failed");
                    continue;
                }
            };
            let asked = &buf[..n];
            // the question may carry a `|suffix`; compare the text before it, any case
            let head = asked.split(|b| *b == b'|').next().unwrap_or(asked);
            if !head.trim_ascii().eq_ignore_ascii_case(QUESTION) {
                continue;
            }
            for (slot, cfg) in shared.servers.iter().zip(&shared.scenario.servers) {
                if !cfg.discoverable {
                    continue;
                }
                let reply = json!({"Address": slot.info.local_url, "Id": slot.info.id, "Name": slot.info.name});
                if let Err(e) = socket.send_to(reply.to_string().as_bytes(), from).await {
                    tracing::debug!(error = %e, "discovery reply failed");
                }
            }
        }
    })
}
