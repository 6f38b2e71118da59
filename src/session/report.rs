//! What a script (and the UI) sees of one server: the `servers --json` contract. Never a token.

use serde::Serialize;

use super::routes::Route;
use super::state::{Session, SessionState};
use super::store::{LinkType, SavedServer};

/// One server: where it came from, whether we are signed in, how it was reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerReport {
    pub id: String,
    pub name: String,
    /// "connect", "manual" or "discovered".
    pub source: &'static str,
    /// "signed_in", "sign_in_required" or "unavailable".
    pub state: &'static str,
    /// "local", "remote", "manual", or null when not reached.
    pub mode: Option<&'static str>,
    /// The base URL that answered, or null.
    pub address: Option<String>,
    pub local_address: Option<String>,
    pub remote_address: Option<String>,
    pub manual_address: Option<String>,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub latency_ms: Option<u64>,
    /// A sentence, or null.
    pub error: Option<String>,
    /// "linked" or "guest" for a server shared through Emby Connect.
    pub link_type: Option<&'static str>,
    /// Milliseconds since the Unix epoch of the last time the user really used this server
    /// (opened, browsed or signed in to it; being reached does not count), 0 = never.
    pub last_used_ms: u64,
}

impl ServerReport {
    /// The report of a saved server and, if it was reached or tried in this run, its session.
    pub fn new(saved: &SavedServer, session: Option<&Session>) -> Self {
        let (state, error) = match session.map(|s| &s.state) {
            Some(SessionState::SignedIn) => ("signed_in", None),
            Some(SessionState::SignInRequired(why)) => ("sign_in_required", Some(why.clone())),
            Some(SessionState::Unavailable(why)) => ("unavailable", Some(why.clone())),
            None => ("unavailable", Some("not contacted yet".to_string())),
        };
        let reached = session.and_then(|s| s.verified.as_ref());
        ServerReport {
            id: saved.id.clone(),
            name: saved.name.clone(),
            source: saved.source().as_str(),
            state,
            mode: reached.map(|v| v.mode.as_str()),
            address: reached.map(|v| v.address.to_string()),
            local_address: saved.local_address.clone(),
            remote_address: saved.remote_address.clone(),
            manual_address: saved.manual_address.clone(),
            user_id: saved
                .user_id
                .clone()
                .filter(|_| saved.access_token.is_some()),
            user_name: saved
                .user_name
                .clone()
                .filter(|_| saved.access_token.is_some()),
            latency_ms: session
                .and_then(|s| s.latency)
                .map(|d| d.as_millis() as u64),
            error,
            link_type: saved.link_type.map(|l| match l {
                LinkType::Linked => "linked",
                LinkType::Guest => "guest",
            }),
            last_used_ms: saved.last_used_ms,
        }
    }

    /// The report of a saved server before it is reached in this run, from what is known of the
    /// last run: signed in if a token is held (not yet checked), and the route that won last
    /// time on this network with its latency. For a screen to show at once while every server
    /// is being reached again.
    pub fn before_reach(saved: &SavedServer, route: Option<&Route>) -> Self {
        let mut report = ServerReport::new(saved, None);
        let (state, error) = if saved.access_token.is_some() {
            ("signed_in", None)
        } else if saved.signed_out {
            ("sign_in_required", Some("signed out".to_string()))
        } else {
            ("unavailable", Some("not contacted yet".to_string()))
        };
        report.state = state;
        report.error = error;
        if let Some(route) = route {
            report.mode = Some(route.mode.as_str());
            report.address = Some(route.address.clone());
            report.latency_ms = Some(route.latency_ms.round() as u64);
        }
        report
    }
}
