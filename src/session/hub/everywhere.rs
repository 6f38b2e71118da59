//! The servers' parts of "All servers" (see [`crate::session::everywhere`]): one server per
//! call, so the UI's worker runs one call per server at once and merges each answer as it
//! comes, and [`Hub::each_server`] for the command line, which waits for every server (each
//! within its own time limit) and merges once.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use crate::emby::models::BaseItemDto;
use crate::emby::server::ItemsQuery;

use super::super::error::SessionError;
use super::super::everywhere::{
    Found, LibraryKind, ProviderIds, SearchGroup, ServerHome, ServerSearch,
};
use super::Hub;

/// Items per home row asked of each server.
const HOME_ROW: u32 = 16;

/// The fields merging needs beside the defaults: provider ids to match by, the date added to
/// order Latest by, the year to show.
fn fields() -> Vec<String> {
    ["ProviderIds", "DateCreated", "ProductionYear"]
        .map(String::from)
        .to_vec()
}

/// How long the command line waits for one server (its reach and its calls) before it reports
/// it as not answering and prints the others.
pub const EACH_SERVER_WITHIN: Duration = Duration::from_secs(15);

fn found(server_id: &str, items: Vec<BaseItemDto>) -> Vec<Found> {
    items
        .into_iter()
        .map(|i| Found::new(server_id, i))
        .collect()
}

impl Hub {
    /// One server's part of the merged home: Continue Watching, Next Up and the latest of each
    /// library with its kind, with the provider ids matching needs (an episode's are its
    /// series'). Its libraries must load; a row that fails is left empty and logged.
    pub async fn everywhere_home(&self, server_id: &str) -> Result<ServerHome, SessionError> {
        let rows = self.home_rows(server_id, HOME_ROW, fields()).await?;
        let mut home = ServerHome {
            server_id: server_id.to_string(),
            resume: found(server_id, rows.resume),
            next_up: found(server_id, rows.next_up),
            latest: rows
                .latest
                .into_iter()
                .map(|(i, items)| {
                    let kind = LibraryKind::of(rows.views[i].collection_type.as_deref());
                    (kind, found(server_id, items))
                })
                .collect(),
        };
        let series = self
            .series_ids(
                server_id,
                home.resume
                    .iter()
                    .chain(&home.next_up)
                    .chain(home.latest.iter().flat_map(|(_, l)| l)),
            )
            .await;
        for f in home
            .resume
            .iter_mut()
            .chain(home.next_up.iter_mut())
            .chain(home.latest.iter_mut().flat_map(|(_, l)| l.iter_mut()))
        {
            attach_series(f, &series);
        }
        Ok(home)
    }

    /// One server's answer to a search: one Items call per kind (`SearchTerm`, as Emby's web
    /// client does), people through `/Persons`, all at once, at most `limit` of each kind. A
    /// kind that fails is left out (logged) unless every kind fails.
    pub async fn everywhere_search(
        &self,
        server_id: &str,
        term: &str,
        limit: u32,
    ) -> Result<ServerSearch, SessionError> {
        let term = term.trim().to_string();
        let query = |types: &[&str]| ItemsQuery {
            search_term: Some(term.clone()),
            recursive: Some(true),
            include_item_types: types.iter().map(|t| t.to_string()).collect(),
            limit: Some(limit),
            fields: fields(),
            enable_total_record_count: Some(false),
            ..Default::default()
        };
        let calls = SearchGroup::ALL.into_iter().flat_map(|group| {
            let per_type: Vec<(SearchGroup, ItemsQuery, bool)> = if group == SearchGroup::People {
                vec![(group, query(&[]), true)]
            } else {
                group
                    .item_types()
                    .iter()
                    .map(|t| (group, query(&[t]), false))
                    .collect()
            };
            per_type
        });
        let answers = futures::future::join_all(calls.map(|(group, q, people)| async move {
            let r = self
                .call(server_id, true, |c| {
                    let q = q.clone();
                    async move {
                        if people {
                            c.persons(&q).await
                        } else {
                            c.items(&q).await
                        }
                    }
                })
                .await;
            (group, r)
        }))
        .await;
        let mut groups: Vec<(SearchGroup, Vec<Found>)> = Vec::new();
        let mut first_error = None;
        let mut any_ok = false;
        for (group, r) in answers {
            match r {
                Ok(page) => {
                    any_ok = true;
                    let items = found(server_id, page.items);
                    match groups.iter_mut().find(|(g, _)| *g == group) {
                        Some((_, list)) => list.extend(items),
                        None => groups.push((group, items)),
                    }
                }
                Err(e) => {
                    tracing::info!(server = %server_id, ?group, error = %e, "a search call failed");
                    first_error.get_or_insert(e);
                }
            }
        }
        if !any_ok && let Some(e) = first_error {
            return Err(e);
        }
        let series = self
            .series_ids(server_id, groups.iter().flat_map(|(_, l)| l))
            .await;
        for (_, list) in &mut groups {
            for f in list {
                attach_series(f, &series);
            }
        }
        Ok(ServerSearch {
            server_id: server_id.to_string(),
            term,
            groups,
        })
    }

    /// The provider ids of the series of these episodes and seasons, in one call (`Ids=`); none
    /// when the call fails (the episodes then match only by their own ids).
    async fn series_ids<'a>(
        &self,
        server_id: &str,
        found: impl Iterator<Item = &'a Found>,
    ) -> HashMap<String, ProviderIds> {
        let mut ids: Vec<String> = found
            .filter(|f| {
                matches!(f.item.item_type.as_deref(), Some("Episode" | "Season"))
                    && f.item.provider_ids.is_empty()
            })
            .filter_map(|f| f.item.series_id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        if ids.is_empty() {
            return HashMap::new();
        }
        let q = ItemsQuery {
            ids,
            fields: vec!["ProviderIds".into()],
            enable_total_record_count: Some(false),
            ..Default::default()
        };
        match self
            .call(server_id, true, |c| {
                let q = q.clone();
                async move { c.items(&q).await }
            })
            .await
        {
            Ok(page) => page
                .items
                .into_iter()
                .filter_map(|s| Some((s.id?, s.provider_ids)))
                .collect(),
            Err(e) => {
                tracing::info!(server = %server_id, error = %e, "the series' provider ids could not be read");
                HashMap::new()
            }
        }
    }

    /// Runs `op` on every server at once, each within `within` (an answer later than that is a
    /// failure saying so), and returns every server's result in the order given. For the
    /// command line, which prints once everything is in.
    pub async fn each_server<T, F, Fut>(
        &self,
        server_ids: &[String],
        within: Duration,
        op: F,
    ) -> Vec<(String, Result<T, SessionError>)>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, SessionError>>,
    {
        futures::future::join_all(server_ids.iter().map(|id| {
            let run = op(id.clone());
            async move {
                let r = match tokio::time::timeout(within, run).await {
                    Ok(r) => r,
                    Err(_) => Err(SessionError::Unavailable {
                        name: self.report(id).map_or_else(|| id.clone(), |r| r.name),
                        reason: format!("no answer within {} s", within.as_secs()),
                    }),
                };
                (id.clone(), r)
            }
        }))
        .await
    }
}

/// Gives an episode or season its series' provider ids, then computes what merging needs (here,
/// in the caller's task, not on the UI's side).
fn attach_series(f: &mut Found, series: &HashMap<String, ProviderIds>) {
    if let Some(ids) = f.item.series_id.as_ref().and_then(|s| series.get(s)) {
        f.series_ids = ids.clone();
    }
    f.prepare();
}
