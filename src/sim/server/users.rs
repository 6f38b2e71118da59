//! Users, sign-in by name, the Connect exchange, sign-out and session reports.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Call, tri};
use crate::sim::ids;
use crate::sim::library::names::{iso_date, now_secs};
use crate::sim::reply::Reply;
use crate::sim::scenario::LinkType;
use crate::sim::world::{LocalUser, World};

/// The `UserDto` of `user` on the answering server.
pub fn user_json(call: &Call, world: &World, user: &LocalUser) -> Value {
    let Some(server) = world.servers.get(call.server) else {
        return json!({});
    };
    let mut v = json!({
        "Name": user.name,
        "ServerId": server.id,
        "ServerName": server.name,
        "Id": user.id,
        "PrimaryImageTag": ids::tag(&[&server.id, &user.id, "Primary"]),
        "HasPassword": !user.password.is_empty(),
        "HasConfiguredPassword": !user.password.is_empty(),
        "HasConfiguredEasyPassword": false,
        "EnableAutoLogin": false,
        "DateCreated": iso_date(1_577_836_800),
        "LastLoginDate": iso_date(now_secs()),
        "LastActivityDate": iso_date(now_secs()),
        "Configuration": {
            "PlayDefaultAudioTrack": true,
            "DisplayMissingEpisodes": false,
            "OrderedViews": [],
            "LatestItemsExcludes": [],
            "MyMediaExcludes": [],
            "HidePlayedInLatest": true,
            "RememberAudioSelections": true,
            "RememberSubtitleSelections": true,
            "EnableNextEpisodeAutoPlay": true,
            "ResumeRewindSeconds": 0,
            "EnableLocalPassword": false,
        },
        "Policy": {
            "IsAdministrator": user.admin,
            "IsHidden": user.hidden,
            "IsHiddenRemotely": user.hidden,
            "IsDisabled": false,
            "EnableRemoteAccess": true,
            "EnableMediaPlayback": true,
            "EnableContentDownloading": true,
            "EnableContentDeletion": false,
            "EnableAllFolders": user.excluded_views.is_empty(),
            "EnabledFolders": enabled_folders(world, call, user),
            "EnableAllChannels": true,
            "EnableAllDevices": true,
            "EnableUserPreferenceAccess": true,
            "InvalidLoginAttemptCount": 0,
            "SimultaneousStreamLimit": 0,
        },
    });
    if !call.impostor
        && let Some(link) = world.link_of(call.real, &user.id)
        && let Some(cu) = world.connect_user(&link.connect_user_id)
    {
        v["ConnectUserName"] = json!(cu.name);
        v["ConnectLinkType"] = json!(match link.link {
            LinkType::Linked => "LinkedUser",
            LinkType::Guest => "Guest",
        });
    }
    v
}

/// The library ids a user with unshared libraries may see (empty when it sees them all).
fn enabled_folders(world: &World, call: &Call, user: &LocalUser) -> Vec<String> {
    if user.excluded_views.is_empty() {
        return Vec::new();
    }
    let Some(s) = world.servers.get(call.server) else {
        return Vec::new();
    };
    s.library
        .children(crate::sim::library::ItemRef::Root)
        .into_iter()
        .map(|v| s.library.id(v))
        .filter(|id| !user.excluded_views.contains(id))
        .collect()
}

/// `GET /Users/Public`: the visible users, anonymously.
pub fn public_users(call: &Call) -> Reply {
    let world = call.shared.world();
    let s = tri!(call.data(&world));
    let list: Vec<Value> = s
        .users
        .iter()
        .filter(|u| !u.hidden)
        .map(|u| user_json(call, &world, u))
        .collect();
    Reply::ok(Value::Array(list))
}

/// `GET /Users`: every user (needs a token).
pub fn all_users(call: &Call) -> Reply {
    let world = call.shared.world();
    tri!(call.caller(&world));
    let s = tri!(call.data(&world));
    Reply::ok(Value::Array(
        s.users.iter().map(|u| user_json(call, &world, u)).collect(),
    ))
}

/// `GET /Users/{Id}`.
pub fn user(call: &Call, id: &str) -> Reply {
    let world = call.shared.world();
    tri!(call.caller_as(&world, id));
    let s = tri!(call.data(&world));
    match s.user(id) {
        Some(u) => Reply::ok(user_json(call, &world, u)),
        None => Reply::not_found("User"),
    }
}

fn auth_result(call: &Call, world: &World, user_id: &str, token: &str) -> Value {
    let Some(server) = world.servers.get(call.server) else {
        return json!({});
    };
    let Some(user) = server.user(user_id) else {
        return json!({});
    };
    let (client, version, device) = call.req.client_info();
    let device_id = call.req.device_id().unwrap_or_default();
    json!({
        "User": user_json(call, world, user),
        "SessionInfo": {
            "PlayableMediaTypes": [],
            "Id": ids::derive_id(&["session", &server.id, user_id, &device_id]),
            "ServerId": server.id,
            "UserId": user.id,
            "UserName": user.name,
            "Client": client,
            "LastActivityDate": iso_date(now_secs()),
            "DeviceName": device,
            "DeviceId": device_id,
            "ApplicationVersion": version,
            "SupportedCommands": [],
            "SupportsRemoteControl": false,
        },
        "AccessToken": token,
        "ServerId": server.id,
    })
}

/// `POST /Users/AuthenticateByName` with `Username`/`Pw` (JSON any case, or form).
pub fn authenticate_by_name(call: &Call) -> Reply {
    let name = call.req.field(&["Username", "Name"]).unwrap_or_default();
    let pw = call.req.field(&["Pw", "Password"]).unwrap_or_default();
    let device_id = call
        .req
        .device_id()
        .unwrap_or_else(|| "unknown-device".into());
    let mut world = call.shared.world();
    let Some(server) = world.servers.get_mut(call.server) else {
        return Reply::error(StatusCode::INTERNAL_SERVER_ERROR, "no server");
    };
    let Some(user) = server
        .users
        .iter()
        .find(|u| u.name.eq_ignore_ascii_case(name.trim()))
    else {
        return Reply::error(
            StatusCode::UNAUTHORIZED,
            "Invalid user or password entered.",
        );
    };
    if user.password != pw {
        return Reply::error(
            StatusCode::UNAUTHORIZED,
            "Invalid user or password entered.",
        );
    }
    let user_id = user.id.clone();
    let token = server.issue_token(&user_id, &device_id);
    Reply::ok(auth_result(call, &world, &user_id, &token))
}

/// `POST /Sessions/Logout`: revokes the caller's token.
pub fn logout(call: &Call) -> Reply {
    let mut world = call.shared.world();
    let caller = tri!(call.caller(&world));
    if let Some(s) = world
        .servers
        .get_mut(call.server)
        .and_then(|s| s.sessions.get_mut(&caller.token))
    {
        s.revoked = true;
    }
    Reply::no_content()
}

/// `GET /Connect/Exchange?ConnectUserId=`: the Connect AccessKey (or a session token) is the
/// token; a session token is issued to the local user linked to that Connect user.
pub fn exchange(call: &Call) -> Reply {
    let Some(connect_user_id) = call.req.q("ConnectUserId").map(str::to_string) else {
        return Reply::error(StatusCode::BAD_REQUEST, "ConnectUserId is required.");
    };
    let Some(token) = call.req.token() else {
        return Reply::error(StatusCode::UNAUTHORIZED, "Access token is required.");
    };
    let device_id = call
        .req
        .device_id()
        .unwrap_or_else(|| "unknown-device".into());
    let mut world = call.shared.world();
    let accepted_here = |w: &World, f: &dyn Fn(&crate::sim::world::Authorization) -> bool| {
        !call.impostor
            && w.auths
                .iter()
                .any(|a| a.server == call.real && a.accepted && f(a))
    };
    let key_owner = if accepted_here(&world, &|a| a.access_key == token) {
        world
            .auths
            .iter()
            .find(|a| a.server == call.real && a.access_key == token)
            .map(|a| a.connect_user_id.clone())
    } else {
        None
    };
    let session_ok = tri!(call.data(&world))
        .sessions
        .get(&token)
        .is_some_and(|s| !s.revoked);
    if key_owner.is_none() && !session_ok {
        return Reply::error(
            StatusCode::UNAUTHORIZED,
            "Access token is invalid or expired.",
        );
    }
    let link = world.auths.iter().find(|a| {
        !call.impostor
            && a.server == call.real
            && a.accepted
            && a.connect_user_id == connect_user_id
    });
    let Some(link) = link else {
        return Reply::not_found("No local user is linked to this Connect user; user");
    };
    if key_owner
        .as_ref()
        .is_some_and(|owner| *owner != connect_user_id)
    {
        return Reply::error(
            StatusCode::UNAUTHORIZED,
            "This access key belongs to another Connect user.",
        );
    }
    let local_user_id = link.local_user_id.clone();
    let Some(server) = world.servers.get_mut(call.server) else {
        return Reply::error(StatusCode::INTERNAL_SERVER_ERROR, "no server");
    };
    let token = server.issue_token(&local_user_id, &device_id);
    Reply::ok(json!({"LocalUserId": local_user_id, "AccessToken": token}))
}
