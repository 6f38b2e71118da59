//! Browsing a server's library through its own session.

use crate::emby::models::{BaseItemDto, QueryResult, UserItemDataDto};
use crate::emby::server::ItemsQuery;

use super::super::error::SessionError;
use super::Hub;

/// Items per home row.
const HOME_ROW: u32 = 12;

/// A server's home: its libraries, Continue Watching, Next Up and the latest items per library.
#[derive(Debug, Clone, Default)]
pub struct Home {
    pub views: Vec<BaseItemDto>,
    pub resume: Vec<BaseItemDto>,
    pub next_up: Vec<BaseItemDto>,
    /// Latest additions per library: (library name, items).
    pub latest: Vec<(String, Vec<BaseItemDto>)>,
}

/// What a home is made of (see [`Hub::home_rows`]).
pub(super) struct HomeRows {
    pub views: Vec<BaseItemDto>,
    pub resume: Vec<BaseItemDto>,
    pub next_up: Vec<BaseItemDto>,
    /// The latest of each library that answered: (index in `views`, items).
    pub latest: Vec<(usize, Vec<BaseItemDto>)>,
}

impl Hub {
    /// The user's top-level libraries.
    pub async fn views(&self, server_id: &str) -> Result<QueryResult<BaseItemDto>, SessionError> {
        self.call(server_id, true, |c| async move { c.views().await })
            .await
    }

    /// A page of items (children of a folder, a search, ...). An unknown folder is
    /// [`SessionError::NoItem`].
    pub async fn items(
        &self,
        server_id: &str,
        query: &ItemsQuery,
    ) -> Result<QueryResult<BaseItemDto>, SessionError> {
        let result = self
            .call(server_id, true, |c| {
                let q = query.clone();
                async move { c.items(&q).await }
            })
            .await;
        self.item_not_found(server_id, query.parent_id.as_deref(), result)
    }

    /// One item with all its fields. An unknown item is [`SessionError::NoItem`].
    pub async fn item(&self, server_id: &str, item_id: &str) -> Result<BaseItemDto, SessionError> {
        let result = self
            .call(server_id, true, |c| {
                let id = item_id.to_string();
                async move { c.item(&id).await }
            })
            .await;
        self.item_not_found(server_id, Some(item_id), result)
    }

    /// A 404 about `item` said in words of items and servers, not of API paths and user ids.
    fn item_not_found<T>(
        &self,
        server_id: &str,
        item: Option<&str>,
        result: Result<T, SessionError>,
    ) -> Result<T, SessionError> {
        match (result, item) {
            (Err(SessionError::Emby(e)), Some(item)) if e.is_not_found() => {
                Err(SessionError::NoItem {
                    item: item.to_string(),
                    server: self
                        .report(server_id)
                        .map(|r| r.name)
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| server_id.to_string()),
                })
            }
            (result, _) => result,
        }
    }

    /// The genres of the items under a folder (for a list's genre filter), by name.
    pub async fn genres(
        &self,
        server_id: &str,
        parent_id: Option<&str>,
    ) -> Result<Vec<String>, SessionError> {
        let page = self
            .call(server_id, true, |c| {
                let parent = parent_id.map(str::to_string);
                async move { c.genres(parent.as_deref()).await }
            })
            .await?;
        Ok(page.items.into_iter().filter_map(|g| g.name).collect())
    }

    /// Marks an item played or not.
    pub async fn set_played(
        &self,
        server_id: &str,
        item_id: &str,
        played: bool,
    ) -> Result<UserItemDataDto, SessionError> {
        self.call(server_id, true, |c| {
            let id = item_id.to_string();
            async move { c.set_played(&id, played).await }
        })
        .await
    }

    /// Marks an item a favourite or not.
    pub async fn set_favorite(
        &self,
        server_id: &str,
        item_id: &str,
        favorite: bool,
    ) -> Result<UserItemDataDto, SessionError> {
        self.call(server_id, true, |c| {
            let id = item_id.to_string();
            async move { c.set_favorite(&id, favorite).await }
        })
        .await
    }

    /// The home of a server (opening it counts as using it): its libraries first (a failure
    /// there fails the home), then Continue Watching, Next Up and the latest per library all at
    /// once (a row that fails is left empty and logged).
    pub async fn home(&self, server_id: &str) -> Result<Home, SessionError> {
        let rows = self.home_rows(server_id, HOME_ROW, Vec::new()).await?;
        self.mark_used(server_id);
        let latest = rows
            .latest
            .into_iter()
            .map(|(i, items)| (rows.views[i].name.clone().unwrap_or_default(), items))
            .collect();
        Ok(Home {
            views: rows.views,
            resume: rows.resume,
            next_up: rows.next_up,
            latest,
        })
    }

    /// A server's libraries, then its Continue Watching, Next Up and the latest of each library
    /// (by its index in `views`), `limit` items a row, all asked at once with `fields` beside
    /// the defaults; the home of a session and its part of the All servers tab.
    pub(super) async fn home_rows(
        &self,
        server_id: &str,
        limit: u32,
        fields: Vec<String>,
    ) -> Result<HomeRows, SessionError> {
        let views = self.views(server_id).await?.items;
        let query = |parent_id: Option<String>, recursive: Option<bool>| ItemsQuery {
            parent_id,
            recursive,
            limit: Some(limit),
            fields: fields.clone(),
            enable_total_record_count: Some(false),
            ..Default::default()
        };
        let resume_q = query(None, Some(true));
        let next_q = query(None, None);
        let resume = self.call(server_id, true, |c| {
            let q = resume_q.clone();
            async move { c.resume(&q).await }
        });
        let next_up = self.call(server_id, true, |c| {
            let q = next_q.clone();
            async move { c.next_up(&q).await }
        });
        let latest = futures::future::join_all(views.iter().enumerate().map(|(i, v)| {
            let q = query(v.id.clone(), None);
            async move {
                let r = self
                    .call(server_id, true, |c| {
                        let q = q.clone();
                        async move { c.latest(&q).await }
                    })
                    .await;
                (i, r)
            }
        }));
        let (resume, next_up, latest) = tokio::join!(resume, next_up, latest);
        let row = |what: &str, r: Result<QueryResult<BaseItemDto>, SessionError>| {
            r.map(|r| r.items).unwrap_or_else(|e| {
                tracing::info!(server = %server_id, error = %e, "{what} failed");
                Vec::new()
            })
        };
        let latest = latest
            .into_iter()
            .filter_map(|(i, r)| match r {
                Ok(items) => Some((i, items)),
                Err(e) => {
                    let library = views[i].name.as_deref().unwrap_or_default();
                    tracing::info!(server = %server_id, library, error = %e, "latest failed");
                    None
                }
            })
            .collect();
        Ok(HomeRows {
            resume: row("continue watching", resume),
            next_up: row("next up", next_up),
            latest,
            views,
        })
    }
}
