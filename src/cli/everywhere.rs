//! `search` and `home`: every signed-in server at once, merged as the "All servers" tab merges
//! them (the session layer's [`crate::session::everywhere`]). Each server is asked through its
//! own session within [`EACH_SERVER_WITHIN`]; a server that fails is reported on stderr and the
//! others are still printed. The command fails (status 1) only when no server answered.

use anyhow::bail;
use serde::Serialize;

use crate::session::everywhere::{Merged, Ranks, merge_homes, merge_searches};
use crate::session::hub::EACH_SERVER_WITHIN;
use crate::session::{Hub, SessionError};
use crate::ui::format::item_title;

use super::output::print_json;

/// Results of each kind asked of each server.
const SEARCH_LIMIT: u32 = 100;

/// Where a result is: `sources` of the `--json` output, fastest first.
#[derive(Debug, Serialize)]
struct SourceOut {
    server_id: String,
    server_name: String,
    item_id: String,
}

/// One merged result.
#[derive(Debug, Serialize)]
struct ResultOut {
    name: Option<String>,
    #[serde(rename = "type")]
    item_type: Option<String>,
    year: Option<i32>,
    sources: Vec<SourceOut>,
}

/// One merged home row: a result with its played state and resume position.
#[derive(Debug, Serialize)]
struct HomeRowOut {
    #[serde(flatten)]
    result: ResultOut,
    /// The resume position (ticks) on the server it was last played on; null when none.
    position_ticks: Option<i64>,
    played: bool,
}

#[derive(Debug, Serialize)]
struct HomeOut {
    continue_watching: Vec<HomeRowOut>,
    next_up: Vec<HomeRowOut>,
    latest: Vec<HomeRowOut>,
}

fn result_out(m: &Merged, ranks: &Ranks) -> ResultOut {
    ResultOut {
        name: m.item.name.clone(),
        item_type: m.item.item_type.clone(),
        year: m.item.production_year,
        sources: m
            .sources
            .iter()
            .map(|s| SourceOut {
                server_id: s.server_id.clone(),
                server_name: ranks.name(&s.server_id).to_string(),
                item_id: s.item_id.clone(),
            })
            .collect(),
    }
}

fn home_row_out(m: &Merged, ranks: &Ranks) -> HomeRowOut {
    let ud = m.item.user_data.as_ref();
    HomeRowOut {
        result: result_out(m, ranks),
        position_ticks: ud
            .and_then(|u| u.playback_position_ticks)
            .filter(|t| *t > 0),
        played: ud.and_then(|u| u.played).unwrap_or(false),
    }
}

/// "Amber Harbor (1999)  on Living Room, Cabin".
fn line(m: &Merged, ranks: &Ranks) -> String {
    let mut on: Vec<&str> = Vec::new();
    for s in &m.sources {
        let name = ranks.name(&s.server_id);
        if !on.contains(&name) {
            on.push(name);
        }
    }
    format!("  {}  on {}", item_title(&m.item), on.join(", "))
}

/// The servers to ask: those named with `--server` (by id or name), else every saved server
/// that can be signed in to.
fn targets(hub: &Hub, only: &[String]) -> (Vec<String>, Vec<SessionError>) {
    let saved = hub.credentials().servers;
    if only.is_empty() {
        let ids = saved
            .iter()
            .filter(|s| !s.signed_out && (s.access_token.is_some() || s.exchange_token.is_some()))
            .map(|s| s.id.clone())
            .collect();
        return (ids, Vec::new());
    }
    let mut ids = Vec::new();
    let mut unknown = Vec::new();
    // by id or name, as every SERVER argument (an unknown one says which names exist)
    for want in only {
        match hub.server_named(want) {
            Ok(id) if !ids.contains(&id) => ids.push(id),
            Ok(_) => {}
            Err(e) => unknown.push(e),
        }
    }
    (ids, unknown)
}

/// Reports each failed server on stderr; returns the answers.
fn answers<T>(hub: &Hub, results: Vec<(String, Result<T, SessionError>)>) -> Vec<T> {
    let mut ok = Vec::new();
    for (id, r) in results {
        match r {
            Ok(v) => ok.push(v),
            Err(e) => {
                let name = hub.report(&id).map_or(id.clone(), |r| r.name);
                tell!("emby-tui: {name}: {e}");
            }
        }
    }
    ok
}

async fn servers_to_ask(hub: &Hub, only: &[String]) -> anyhow::Result<Vec<String>> {
    let (mut ids, mut unknown) = targets(hub, only);
    if ids.is_empty() && hub.credentials().connect.is_some() {
        // signed in to Emby Connect, but its servers were never listed here: list them first
        hub.refresh().await?;
        (ids, unknown) = targets(hub, only);
    }
    for e in &unknown {
        tell!("emby-tui: {e}");
    }
    if ids.is_empty() {
        if unknown.is_empty() {
            bail!("no server is signed in yet: sign in to Emby Connect or add a server by address");
        }
        bail!("none of the servers named with --server is saved");
    }
    Ok(ids)
}

/// `emby-tui search TEXT [--server ID]... [--json]`.
pub async fn search(hub: &Hub, text: &str, only: &[String], json: bool) -> anyhow::Result<()> {
    let term = text.trim().to_string();
    if term.is_empty() {
        bail!("nothing to search for: give a word or two");
    }
    let ids = servers_to_ask(hub, only).await?;
    let results = hub
        .each_server(&ids, EACH_SERVER_WITHIN, |id| {
            let term = term.clone();
            async move { hub.everywhere_search(&id, &term, SEARCH_LIMIT).await }
        })
        .await;
    let answers = answers(hub, results);
    if answers.is_empty() {
        bail!("no server answered the search");
    }
    let ranks = Ranks::from_reports(&hub.reports());
    let groups = merge_searches(&term, answers, &ranks);
    if json {
        let out: Vec<ResultOut> = groups
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|m| result_out(m, &ranks)))
            .collect();
        return print_json(&out);
    }
    if groups.is_empty() {
        tell!("Nothing matches “{term}” on any server.");
    }
    for (group, rows) in &groups {
        say!("{}", group.title());
        for m in rows {
            say!("{}", line(m, &ranks));
        }
    }
    Ok(())
}

/// `emby-tui home [--json]`.
pub async fn home(hub: &Hub, json: bool) -> anyhow::Result<()> {
    let ids = servers_to_ask(hub, &[]).await?;
    let results = hub
        .each_server(&ids, EACH_SERVER_WITHIN, |id| async move {
            hub.everywhere_home(&id).await
        })
        .await;
    let homes = answers(hub, results);
    if homes.is_empty() {
        bail!("no server answered");
    }
    let ranks = Ranks::from_reports(&hub.reports());
    let merged = merge_homes(&homes, &ranks);
    if json {
        let rows = |list: &[Merged]| -> Vec<HomeRowOut> {
            list.iter().map(|m| home_row_out(m, &ranks)).collect()
        };
        return print_json(&HomeOut {
            continue_watching: rows(&merged.continue_watching),
            next_up: rows(&merged.next_up),
            latest: merged
                .latest
                .iter()
                .flat_map(|(_, list)| rows(list))
                .collect(),
        });
    }
    let section = |title: &str, list: &[Merged]| {
        say!("{title}");
        if list.is_empty() {
            say!("  (nothing)");
        }
        for m in list {
            say!("{}", line(m, &ranks));
        }
    };
    section("Continue Watching", &merged.continue_watching);
    section("Next Up", &merged.next_up);
    for (kind, list) in &merged.latest {
        section(kind.latest_title(), list);
    }
    Ok(())
}
