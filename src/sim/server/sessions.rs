//! `/Sessions`: the list (with `ControllableByUserId`, `Id`, `DeviceId`), Play and Playstate
//! commands to the fake devices, capabilities, and the three playback reports, which update
//! the reporting user's resume position and played mark as a real server does.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Call, Caller, tri};
use crate::sim::ids;
use crate::sim::library::dto::{Fields, item_json, media_type};
use crate::sim::library::{ItemRef, names};
use crate::sim::reply::Reply;
use crate::sim::request::parse_bool;
use crate::sim::sessions::{ClientState, Device, Reported, queue_of};
use crate::sim::world::ServerData;

fn supported_commands() -> Value {
    json!([
        "Play",
        "Playstate",
        "PlayNext",
        "PlayMediaSource",
        "DisplayMessage",
        "SetVolume",
        "Mute",
        "Unmute",
        "SetAudioStreamIndex",
        "SetSubtitleStreamIndex"
    ])
}

fn now_playing(s: &ServerData, user: &str, item: ItemRef) -> Value {
    item_json(
        &s.library,
        &s.user_data,
        user,
        item,
        &Fields::Some(Vec::new()),
    )
}

fn device_json(s: &ServerData, d: &Device, viewer: &str) -> Value {
    let mut v = json!({
        "Id": d.session_id,
        "ServerId": s.id,
        "Client": d.client,
        "ApplicationVersion": d.version,
        "DeviceName": d.name,
        "DeviceId": d.device_id,
        "DeviceType": if d.client.contains("Android") { "Phone" } else { "TV" },
        "Protocol": "WebSocket",
        "LastActivityDate": names::iso_date(d.last_activity),
        "SupportsRemoteControl": true,
        "PlayableMediaTypes": d.media_types,
        "SupportedCommands": supported_commands(),
        "AdditionalUsers": [],
    });
    if let (Some(id), Some(name)) = (&d.user_id, &d.user_name) {
        v["UserId"] = json!(id);
        v["UserName"] = json!(name);
    }
    let user = d.user_id.as_deref().unwrap_or(viewer);
    match &d.playing {
        Some(p) => {
            let item = p.item();
            v["NowPlayingItem"] = now_playing(s, user, item);
            v["PlaylistIndex"] = json!(p.index);
            v["PlaylistLength"] = json!(p.queue.len());
            v["PlayState"] = json!({
                "PositionTicks": p.position(),
                "CanSeek": true,
                "IsPaused": p.paused,
                "IsMuted": false,
                "VolumeLevel": 80,
                "MediaSourceId": s.library.id(item),
                "PlayMethod": "DirectPlay",
                "RepeatMode": "RepeatNone",
            });
        }
        None => {
            v["PlayState"] = json!({"CanSeek": false, "IsPaused": false, "IsMuted": false, "RepeatMode": "RepeatNone"});
        }
    }
    v
}

/// The session id of a signed-in client (stable per device and app, as Emby's is).
fn client_session_id(server_id: &str, device_id: &str, client: &str) -> String {
    ids::derive_id(&["client-session", server_id, device_id, client])
}

fn client_json(s: &ServerData, token: &str, c: &ClientState) -> Option<Value> {
    let session = s.sessions.get(token).filter(|t| !t.revoked)?;
    let user = s.user(&session.user_id)?;
    let mut v = json!({
        "Id": client_session_id(&s.id, &session.device_id, &c.client),
        "ServerId": s.id,
        "Client": c.client,
        "ApplicationVersion": c.version,
        "DeviceName": c.device_name,
        "DeviceId": session.device_id,
        "UserId": user.id,
        "UserName": user.name,
        "Protocol": "Http",
        "LastActivityDate": names::iso_date(c.last_activity),
        "SupportsRemoteControl": c.supports_media_control,
        "PlayableMediaTypes": c.playable_media_types,
        "SupportedCommands": [],
        "AdditionalUsers": [],
    });
    match &c.playing {
        Some(p) => {
            v["NowPlayingItem"] = now_playing(s, &user.id, p.item);
            v["PlayState"] = json!({
                "PositionTicks": p.position_ticks,
                "CanSeek": true,
                "IsPaused": p.paused,
                "IsMuted": false,
                "MediaSourceId": p.media_source_id,
                "PlayMethod": p.play_method,
                "RepeatMode": "RepeatNone",
            });
        }
        None => {
            v["PlayState"] = json!({"CanSeek": false, "IsPaused": false, "IsMuted": false, "RepeatMode": "RepeatNone"});
        }
    }
    Some(v)
}

/// Whether `caller` may control a device (its own, a shared one, or any as an administrator).
fn may_control(d: &Device, caller: &Caller) -> bool {
    caller.admin
        || d.user_id
            .as_deref()
            .is_none_or(|u| u.eq_ignore_ascii_case(&caller.user_id))
}

/// Moves every device on by the clock (the position of each is "now" when listed).
fn advance_all(s: &mut ServerData) {
    let ServerData {
        play_sessions: sessions,
        library,
        user_data,
        ..
    } = s;
    for d in &mut sessions.devices {
        let user = d.user_id.clone().unwrap_or_default();
        d.advance(library, user_data, &user);
    }
}

/// `GET /Sessions[?ControllableByUserId=&Id=&DeviceId=]`.
pub fn list(call: &Call) -> Reply {
    let mut world = call.shared.world();
    let caller = tri!(call.caller(&world));
    let Some(s) = world.servers.get_mut(call.server) else {
        return Reply::error(StatusCode::INTERNAL_SERVER_ERROR, "no server");
    };
    advance_all(s);
    let s = &*s;
    let controllable = call
        .req
        .q("ControllableByUserId")
        .map(str::to_ascii_lowercase);
    if let Some(u) = &controllable
        && !caller.admin
        && !u.eq_ignore_ascii_case(&caller.user_id)
    {
        return Reply::error(
            StatusCode::FORBIDDEN,
            "Access denied to another user's sessions.",
        );
    }
    let id = call.req.q("Id");
    let device = call.req.q("DeviceId");
    let mut out = Vec::new();
    for d in &s.play_sessions.devices {
        if controllable.is_some() && !may_control(d, &caller) {
            continue;
        }
        out.push(device_json(s, d, &caller.user_id));
    }
    let mut clients: Vec<(&String, &ClientState)> = s.play_sessions.clients.iter().collect();
    clients.sort_by(|a, b| a.0.cmp(b.0));
    for (token, c) in clients {
        if controllable.is_some() && !c.supports_media_control {
            continue;
        }
        let Some(v) = client_json(s, token, c) else {
            continue;
        };
        if let Some(u) = &controllable
            && !v["UserId"]
                .as_str()
                .is_some_and(|x| x.eq_ignore_ascii_case(u))
        {
            continue;
        }
        out.push(v);
    }
    out.retain(|v| {
        id.is_none_or(|i| v["Id"].as_str() == Some(i))
            && device.is_none_or(|d| {
                v["DeviceId"]
                    .as_str()
                    .is_some_and(|x| x.eq_ignore_ascii_case(d))
            })
    });
    Reply::ok(Value::Array(out))
}

/// The device a command is for, or the reply that says why there is none.
fn device_index(s: &ServerData, session_id: &str, caller: &Caller) -> Result<usize, Reply> {
    if let Some(i) = s
        .play_sessions
        .devices
        .iter()
        .position(|d| d.session_id.eq_ignore_ascii_case(session_id) && may_control(d, caller))
    {
        return Ok(i);
    }
    let is_client = s.play_sessions.clients.iter().any(|(token, c)| {
        s.sessions.get(token).is_some_and(|t| {
            client_session_id(&s.id, &t.device_id, &c.client).eq_ignore_ascii_case(session_id)
        })
    });
    if is_client {
        return Err(Reply::error(
            StatusCode::BAD_REQUEST,
            "That session does not take remote control (it has no open web socket).",
        ));
    }
    Err(Reply::not_found("Session"))
}

/// `POST /Sessions/{Id}/Playing?ItemIds=&PlayCommand=&StartPositionTicks=`.
pub fn play(call: &Call, session_id: &str) -> Reply {
    let mut world = call.shared.world();
    let caller = tri!(call.caller(&world));
    let Some(s) = world.servers.get_mut(call.server) else {
        return Reply::error(StatusCode::INTERNAL_SERVER_ERROR, "no server");
    };
    advance_all(s);
    let i = tri!(device_index(s, session_id, &caller));
    let ids: Vec<String> = call
        .req
        .field(&["ItemIds"])
        .map(|v| {
            v.split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if ids.is_empty() {
        return Reply::error(StatusCode::BAD_REQUEST, "ItemIds is required.");
    }
    let command = call.req.field(&["PlayCommand"]).unwrap_or_default();
    let known = [
        "playnow",
        "playnext",
        "playlast",
        "playinstantmix",
        "playshuffle",
    ];
    if !known.contains(&command.to_ascii_lowercase().as_str()) {
        return Reply::error(
            StatusCode::BAD_REQUEST,
            format!(
                "PlayCommand must be one of PlayNow, PlayNext, PlayLast, PlayInstantMix, PlayShuffle (got {command:?})."
            ),
        );
    }
    let mut items = Vec::new();
    for id in &ids {
        match s.library.resolve(id) {
            Some(item) => items.push(item),
            None => {
                return Reply::error(StatusCode::BAD_REQUEST, format!("Item {id} not found."));
            }
        }
    }
    let queue = queue_of(&s.library, &items);
    let ServerData {
        play_sessions: sessions,
        library,
        user_data,
        ..
    } = s;
    let d = &mut sessions.devices[i];
    for item in &queue {
        let mt = media_type(*item).unwrap_or("Unknown");
        if !d.media_types.iter().any(|m| m.eq_ignore_ascii_case(mt)) {
            return Reply::error(
                StatusCode::BAD_REQUEST,
                format!(
                    "{} cannot play {mt} (it plays {}).",
                    d.name,
                    d.media_types.join(", ")
                ),
            );
        }
    }
    if queue.is_empty() {
        return Reply::error(StatusCode::BAD_REQUEST, "Nothing playable in ItemIds.");
    }
    let user = d.user_id.clone().unwrap_or_else(|| caller.user_id.clone());
    let start = call
        .req
        .field(&["StartPositionTicks"])
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    let append = matches!(
        command.to_ascii_lowercase().as_str(),
        "playnext" | "playlast"
    );
    match (&mut d.playing, append) {
        (Some(p), true) => p.queue.extend(queue),
        _ => d.play(library, user_data, &user, queue, start),
    }
    Reply::no_content()
}

/// `POST /Sessions/{Id}/Playing/{Command}[?SeekPositionTicks=]`.
pub fn playstate(call: &Call, session_id: &str, command: &str) -> Reply {
    let mut world = call.shared.world();
    let caller = tri!(call.caller(&world));
    let Some(s) = world.servers.get_mut(call.server) else {
        return Reply::error(StatusCode::INTERNAL_SERVER_ERROR, "no server");
    };
    let i = tri!(device_index(s, session_id, &caller));
    let seek = call
        .req
        .field(&["SeekPositionTicks"])
        .and_then(|v| v.parse::<i64>().ok());
    let ServerData {
        play_sessions: sessions,
        library,
        user_data,
        ..
    } = s;
    let d = &mut sessions.devices[i];
    let user = d.user_id.clone().unwrap_or_else(|| caller.user_id.clone());
    match d.command(library, user_data, &user, command, seek) {
        Ok(()) => Reply::no_content(),
        Err(message) => Reply::error(StatusCode::BAD_REQUEST, message),
    }
}

fn client_entry<'a>(s: &'a mut ServerData, call: &Call, token: &str) -> &'a mut ClientState {
    let (client, version, device_name) = call.req.client_info();
    let c = s
        .play_sessions
        .clients
        .entry(token.to_string())
        .or_default();
    c.client = client;
    c.version = version;
    c.device_name = device_name;
    c.last_activity = names::now_secs();
    c
}

/// `POST /Sessions/Capabilities[/Full]`: what the caller's session can do.
pub fn capabilities(call: &Call) -> Reply {
    let mut world = call.shared.world();
    let caller = tri!(call.caller(&world));
    let Some(s) = world.servers.get_mut(call.server) else {
        return Reply::error(StatusCode::INTERNAL_SERVER_ERROR, "no server");
    };
    let control = call
        .req
        .field(&["SupportsMediaControl"])
        .and_then(|v| parse_bool(&v))
        .unwrap_or(false);
    let types: Vec<String> = match serde_json::from_slice::<Value>(&call.req.body) {
        Ok(Value::Object(m)) => m
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("PlayableMediaTypes"))
            .and_then(|(_, v)| v.as_array().cloned())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        _ => call.req.q_list("PlayableMediaTypes"),
    };
    let c = client_entry(s, call, &caller.token);
    c.supports_media_control = control;
    c.playable_media_types = types;
    Reply::no_content()
}

/// `POST /Sessions/Playing` (`start`), `/Sessions/Playing/Progress`, `/Sessions/Playing/Stopped`
/// and `/Sessions/Playing/Ping`.
pub fn report(call: &Call, which: &str) -> Reply {
    let mut world = call.shared.world();
    let caller = tri!(call.caller(&world));
    let Some(s) = world.servers.get_mut(call.server) else {
        return Reply::error(StatusCode::INTERNAL_SERVER_ERROR, "no server");
    };
    if which == "ping" {
        return Reply::no_content();
    }
    let Some(item_id) = call.req.field(&["ItemId"]) else {
        return Reply::error(StatusCode::BAD_REQUEST, "ItemId is required.");
    };
    let Some(item) = s.library.resolve(&item_id).filter(|i| i.is_playable()) else {
        // a real server ignores reports of items it does not know
        return Reply::no_content();
    };
    let position = call
        .req
        .field(&["PositionTicks"])
        .and_then(|v| v.parse::<i64>().ok());
    let paused = call
        .req
        .field(&["IsPaused"])
        .and_then(|v| parse_bool(&v))
        .unwrap_or(false);
    let media_source_id = call.req.field(&["MediaSourceId"]);
    let play_method = call.req.field(&["PlayMethod"]);
    let now = names::now_secs();
    let user = caller.user_id.clone();
    match which {
        "stopped" => {
            s.user_data
                .playback_stopped(&s.library, &user, item, position, now);
            client_entry(s, call, &caller.token).playing = None;
        }
        _ => {
            if which == "progress"
                && let Some(p) = position
            {
                s.user_data
                    .playback_progress(&s.library, &user, item, p, now);
            }
            let c = client_entry(s, call, &caller.token);
            let keep = c.playing.as_ref().filter(|p| p.item == item).cloned();
            c.playing = Some(Reported {
                item,
                position_ticks: position
                    .or(keep.as_ref().map(|k| k.position_ticks))
                    .unwrap_or(0),
                paused,
                media_source_id: media_source_id
                    .or(keep.as_ref().and_then(|k| k.media_source_id.clone())),
                play_method: play_method.or(keep.and_then(|k| k.play_method)),
            });
        }
    }
    Reply::no_content()
}
