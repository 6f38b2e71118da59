//! Library browsing: views, item queries, item detail, resume, latest, next up, and the
//! played / favourite calls.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Call, tri};
use crate::sim::library::dto::{Fields, item_json};
use crate::sim::library::names::now_secs;
use crate::sim::library::query::{ItemQuery, SortKey};
use crate::sim::library::{ItemRef, Kind, Library};
use crate::sim::reply::Reply;
use crate::sim::request::Req;
use crate::sim::world::{ServerData, World};

fn kinds(req: &Req, name: &str) -> Vec<Kind> {
    // an unknown type keeps its place as Root, which no listing contains: asking only for
    // "BoxSet" then finds nothing instead of everything
    req.q_list(name)
        .iter()
        .map(|t| Kind::from_type_name(t).unwrap_or(Kind::Root))
        .collect()
}

fn resolve(lib: &Library, id: &str) -> Result<ItemRef, Reply> {
    lib.resolve(id).ok_or_else(|| Reply::not_found("Item"))
}

/// Reads the common listing parameters of protocol.md §7.
fn parse_query(req: &Req, lib: &Library) -> Result<ItemQuery, Reply> {
    let mut q = ItemQuery {
        recursive: req.q_bool("Recursive").unwrap_or(false),
        include: kinds(req, "IncludeItemTypes"),
        exclude: kinds(req, "ExcludeItemTypes"),
        media_types: req
            .q_list("MediaTypes")
            .iter()
            .map(|m| m.to_ascii_lowercase())
            .collect(),
        search: req
            .q("SearchTerm")
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty()),
        played: req.q_bool("IsPlayed"),
        favorite: req.q_bool("IsFavorite"),
        folder: req.q_bool("IsFolder"),
        start: req.q_usize("StartIndex").unwrap_or(0),
        limit: req.q_usize("Limit"),
        sort: req
            .q_list("SortBy")
            .iter()
            .filter_map(|s| SortKey::parse(s))
            .collect(),
        descending: req
            .q_list("SortOrder")
            .iter()
            .map(|s| s.eq_ignore_ascii_case("descending"))
            .collect(),
        ..ItemQuery::default()
    };
    // Genres are pipe-separated (a genre may hold a comma); Years comma-separated
    q.genres = req
        .q("Genres")
        .map(|g| {
            g.split('|')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    q.years = req
        .q_list("Years")
        .iter()
        .filter_map(|y| y.trim().parse().ok())
        .collect();
    if let Some(p) = req.q("ParentId") {
        q.parent = Some(resolve(lib, p)?);
    }
    for key in ["SeriesId", "SeasonId", "AlbumId"] {
        if let Some(id) = req.q(key) {
            q.within = Some(resolve(lib, id)?);
        }
    }
    if req.q("Ids").is_some() {
        q.ids = Some(
            req.q_list("Ids")
                .iter()
                .filter_map(|id| lib.resolve(id))
                .collect(),
        );
    }
    for f in req.q_list("Filters") {
        match f.to_ascii_lowercase().as_str() {
            "isplayed" => q.played = Some(true),
            "isunplayed" => q.played = Some(false),
            "isfavorite" | "isfavoriteorlikes" => q.favorite = Some(true),
            "isresumable" => q.resumable = true,
            "isfolder" => q.folder = Some(true),
            "isnotfolder" => q.folder = Some(false),
            _ => {}
        }
    }
    Ok(q)
}

fn page_json(s: &ServerData, user: &str, items: &[ItemRef], total: usize, req: &Req) -> Value {
    let fields = Fields::from_list(&req.q_list("Fields"));
    let list: Vec<Value> = items
        .iter()
        .map(|i| item_json(&s.library, &s.user_data, user, *i, &fields))
        .collect();
    // EnableTotalRecordCount=false skips counting on a real server; report what is known
    let total = if req.q_bool("EnableTotalRecordCount") == Some(false) {
        req.q_usize("StartIndex").unwrap_or(0) + list.len()
    } else {
        total
    };
    json!({"Items": list, "TotalRecordCount": total})
}

fn with_user<'w>(
    call: &Call,
    world: &'w World,
    user_id: &str,
) -> Result<(&'w ServerData, String), Reply> {
    let caller = call.caller_as(world, user_id)?;
    Ok((call.data(world)?, caller.user_id))
}

/// The user of a call that may name one with `UserId=` (else the token's user).
fn query_user<'w>(call: &Call, world: &'w World) -> Result<(&'w ServerData, String), Reply> {
    match call.req.q("UserId") {
        Some(u) => with_user(call, world, u),
        None => {
            let caller = call.caller(world)?;
            Ok((call.data(world)?, caller.user_id))
        }
    }
}

/// `GET /Users/{UserId}/Views`.
pub fn views(call: &Call, user_id: &str) -> Reply {
    let world = call.shared.world();
    let (s, user) = tri!(with_user(call, &world, user_id));
    // a Connect guest sees only the libraries shared with it
    let hidden = s
        .user(&user)
        .map(|u| u.excluded_views.as_slice())
        .unwrap_or(&[]);
    let items: Vec<ItemRef> = s
        .library
        .children(ItemRef::Root)
        .into_iter()
        .filter(|v| !hidden.contains(&s.library.id(*v)))
        .collect();
    Reply::ok(page_json(s, &user, &items, items.len(), call.req))
}

/// `GET /Users/{UserId}/Items` and `GET /Items?UserId=`.
pub fn items(call: &Call, user_id: Option<&str>) -> Reply {
    let world = call.shared.world();
    let (s, user) = match user_id.or(call.req.q("UserId")) {
        Some(u) => tri!(with_user(call, &world, u)),
        None => {
            let caller = tri!(call.caller(&world));
            (tri!(call.data(&world)), caller.user_id)
        }
    };
    let q = tri!(parse_query(call.req, &s.library));
    let page = q.run(&s.library, &s.user_data, &user);
    Reply::ok(page_json(s, &user, &page.items, page.total, call.req))
}

/// `GET /Users/{UserId}/Items/Root`.
pub fn root(call: &Call, user_id: &str) -> Reply {
    let world = call.shared.world();
    let (s, user) = tri!(with_user(call, &world, user_id));
    Reply::ok(item_json(
        &s.library,
        &s.user_data,
        &user,
        ItemRef::Root,
        &Fields::All,
    ))
}

/// `GET /Users/{UserId}/Items/{Id}`: every field.
pub fn item(call: &Call, user_id: &str, id: &str) -> Reply {
    let world = call.shared.world();
    let (s, user) = tri!(with_user(call, &world, user_id));
    let item = tri!(resolve(&s.library, id));
    Reply::ok(item_json(
        &s.library,
        &s.user_data,
        &user,
        item,
        &Fields::All,
    ))
}

/// `GET /Users/{UserId}/Items/Resume`: started, unfinished items, last played first.
pub fn resume(call: &Call, user_id: &str) -> Reply {
    let world = call.shared.world();
    let (s, user) = tri!(with_user(call, &world, user_id));
    let mut q = tri!(parse_query(call.req, &s.library));
    q.recursive = true;
    q.resumable = true;
    if q.sort.is_empty() {
        q.sort = vec![SortKey::DatePlayed];
        q.descending = vec![true];
    }
    let page = q.run(&s.library, &s.user_data, &user);
    Reply::ok(page_json(s, &user, &page.items, page.total, call.req))
}

/// `GET /Users/{UserId}/Items/Latest`: newest items of a view, as a plain array.
pub fn latest(call: &Call, user_id: &str) -> Reply {
    let world = call.shared.world();
    let (s, user) = tri!(with_user(call, &world, user_id));
    let mut q = tri!(parse_query(call.req, &s.library));
    if q.include.is_empty() {
        q.include = vec![Kind::Movie, Kind::Episode, Kind::Album];
    }
    q.recursive = true;
    q.sort = vec![SortKey::DateCreated];
    q.descending = vec![true];
    q.start = 0;
    q.limit = Some(call.req.q_usize("Limit").unwrap_or(20));
    let page = q.run(&s.library, &s.user_data, &user);
    let fields = Fields::from_list(&call.req.q_list("Fields"));
    let list: Vec<Value> = page
        .items
        .iter()
        .map(|i| item_json(&s.library, &s.user_data, &user, *i, &fields))
        .collect();
    Reply::ok(Value::Array(list))
}

/// `GET /Persons?UserId=&SearchTerm=`: the people whose name contains the term, by name.
pub fn persons(call: &Call) -> Reply {
    let world = call.shared.world();
    let (s, user) = tri!(query_user(call, &world));
    let lib = &s.library;
    let term = call
        .req
        .q("SearchTerm")
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty());
    let found: Vec<ItemRef> = (0..lib.people())
        .map(ItemRef::Person)
        .filter(|p| {
            term.as_ref().is_none_or(|t| {
                crate::sim::library::names::name(lib, *p)
                    .to_lowercase()
                    .contains(t.as_str())
            })
        })
        .collect();
    let total = found.len();
    let start = call.req.q_usize("StartIndex").unwrap_or(0).min(total);
    let end = call
        .req
        .q_usize("Limit")
        .map_or(total, |l| start.saturating_add(l).min(total));
    Reply::ok(page_json(s, &user, &found[start..end], total, call.req))
}

/// `GET /Shows/NextUp?UserId=`: per series, the first unplayed episode after the last played one.
pub fn next_up(call: &Call) -> Reply {
    let world = call.shared.world();
    let (s, user) = tri!(query_user(call, &world));
    let lib = &s.library;
    let only = match call.req.q("SeriesId") {
        Some(id) => match tri!(resolve(lib, id)) {
            ItemRef::Series(x) => Some(x),
            _ => return Reply::error(StatusCode::BAD_REQUEST, "SeriesId is not a series."),
        },
        None => None,
    };
    let mut found: Vec<(i64, ItemRef)> = Vec::new();
    for series in 0..lib.cfg.series {
        if only.is_some_and(|o| o != series) {
            continue;
        }
        let episodes = lib.descendants(ItemRef::Series(series), &|k| k == Kind::Episode);
        let last = episodes
            .iter()
            .rposition(|e| s.user_data.get(lib, &user, *e).played);
        let Some(last) = last else { continue };
        let when = s
            .user_data
            .get(lib, &user, episodes[last])
            .last_played
            .unwrap_or(0);
        if let Some(next) = episodes[last + 1..]
            .iter()
            .find(|e| !s.user_data.get(lib, &user, **e).played)
        {
            found.push((when, *next));
        }
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let total = found.len();
    let start = call.req.q_usize("StartIndex").unwrap_or(0).min(total);
    let end = call
        .req
        .q_usize("Limit")
        .map_or(total, |l| start.saturating_add(l).min(total));
    let items: Vec<ItemRef> = found[start..end].iter().map(|(_, i)| *i).collect();
    Reply::ok(page_json(s, &user, &items, total, call.req))
}

/// `GET /Shows/{Id}/Seasons` and `/Shows/{Id}/Episodes[?SeasonId=]`.
pub fn show_children(call: &Call, series_id: &str, episodes: bool) -> Reply {
    let world = call.shared.world();
    let (s, user) = tri!(query_user(call, &world));
    let series = tri!(resolve(&s.library, series_id));
    if !matches!(series, ItemRef::Series(_)) {
        return Reply::not_found("Series");
    }
    let mut q = tri!(parse_query(call.req, &s.library));
    q.parent = Some(series);
    q.within = None;
    if episodes {
        q.recursive = true;
        q.include = vec![Kind::Episode];
        if let Some(season) = call.req.q("SeasonId") {
            q.parent = Some(tri!(resolve(&s.library, season)));
        }
    } else {
        q.recursive = false;
    }
    let page = q.run(&s.library, &s.user_data, &user);
    Reply::ok(page_json(s, &user, &page.items, page.total, call.req))
}

fn change(
    call: &Call,
    user_id: &str,
    id: &str,
    f: &dyn Fn(&mut ServerData, &str, ItemRef),
) -> Reply {
    let mut world = call.shared.world();
    let caller = tri!(call.caller_as(&world, user_id));
    let Some(s) = world.servers.get_mut(call.server) else {
        return Reply::error(StatusCode::INTERNAL_SERVER_ERROR, "no server");
    };
    let item = tri!(resolve(&s.library, id));
    if matches!(item, ItemRef::Root | ItemRef::View(_)) {
        return Reply::error(StatusCode::BAD_REQUEST, "This item cannot be marked.");
    }
    f(s, &caller.user_id, item);
    Reply::ok(s.user_data.to_json(&s.library, &caller.user_id, item))
}

/// `POST` / `DELETE /Users/{UserId}/PlayedItems/{Id}` → `UserItemDataDto`.
pub fn set_played(call: &Call, user_id: &str, id: &str, played: bool) -> Reply {
    change(call, user_id, id, &|s, user, item| {
        let ServerData {
            library, user_data, ..
        } = s;
        user_data.set_played(library, user, item, played, now_secs());
    })
}

/// `POST` / `DELETE /Users/{UserId}/FavoriteItems/{Id}` → `UserItemDataDto`.
pub fn set_favorite(call: &Call, user_id: &str, id: &str, favorite: bool) -> Reply {
    change(call, user_id, id, &|s, user, item| {
        let ServerData {
            library, user_data, ..
        } = s;
        user_data.set_favorite(library, user, item, favorite);
    })
}

/// `GET /Genres?ParentId=`: the genres of the items under a folder (or the whole library), as
/// `Genre` items sorted by name.
pub fn genres(call: &Call) -> Reply {
    let world = call.shared.world();
    tri!(call.caller(&world));
    let s = tri!(call.data(&world));
    let lib = &s.library;
    let parent = match call.req.q("ParentId") {
        Some(p) => tri!(resolve(lib, p)),
        None => ItemRef::Root,
    };
    let mut found: Vec<&'static str> = lib
        .descendants(parent, &|k| {
            !k.is_folder() || k == Kind::Series || k == Kind::Album
        })
        .into_iter()
        .flat_map(|i| super::super::library::names::genres(lib, i))
        .collect();
    found.sort_unstable();
    found.dedup();
    let items: Vec<Value> = found
        .iter()
        .map(|g| {
            json!({
                "Name": g,
                "Id": crate::sim::ids::tag(&[g, "genre"]),
                "Type": "Genre",
                "ServerId": lib.server_id,
                "IsFolder": false,
            })
        })
        .collect();
    Reply::ok(json!({ "Items": items, "TotalRecordCount": found.len() }))
}
