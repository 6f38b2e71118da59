//! Admin calls of protocol.md §6.2: link a local user to a Connect account (which creates a
//! waiting invitation at the simulated Connect service), unlink, and the pending list.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Call, tri};
use crate::sim::ids;
use crate::sim::reply::Reply;
use crate::sim::scenario::LinkType;
use crate::sim::world::Authorization;

fn admin(call: &Call) -> Result<(), Reply> {
    let world = call.shared.world();
    let caller = call.caller(&world)?;
    if !caller.admin {
        return Err(Reply::error(
            StatusCode::FORBIDDEN,
            "Administrator access is required.",
        ));
    }
    Ok(())
}

/// `POST /Users/{Id}/Connect/Link?ConnectUsername=` → `UserLinkResult`.
pub fn link(call: &Call, user_id: &str) -> Reply {
    tri!(admin(call));
    let Some(who) = call.req.field(&["ConnectUsername"]) else {
        return Reply::error(StatusCode::BAD_REQUEST, "ConnectUsername is required.");
    };
    if call.impostor {
        return Reply::error(StatusCode::BAD_GATEWAY, "Connect server unreachable.");
    }
    let mut world = call.shared.world();
    let Some(local_id) = tri!(call.data(&world)).user(user_id).map(|u| u.id.clone()) else {
        return Reply::not_found("User");
    };
    let Some(cu) = world.connect_user_by_login(&who) else {
        if who.contains('@') {
            return Reply::ok(
                json!({"IsPending": true, "IsNewUserInvitation": true, "GuestDisplayName": who}),
            );
        }
        return Reply::not_found("Emby Connect user");
    };
    let (cu_id, cu_name) = (cu.id.clone(), cu.name.clone());
    let taken = world.auths.iter().any(|a| {
        a.server == call.real && a.connect_user_id == cu_id && a.local_user_id != local_id
    });
    if taken {
        return Reply::error(
            StatusCode::CONFLICT,
            "This Emby Connect user is already linked to another user.",
        );
    }
    world
        .auths
        .retain(|a| !(a.server == call.real && a.local_user_id == local_id));
    world.auths.push(Authorization {
        server: call.real,
        connect_user_id: cu_id,
        local_user_id: local_id,
        link: LinkType::Linked,
        accepted: false,
        access_key: ids::random_token(),
    });
    Reply::ok(json!({"IsPending": true, "IsNewUserInvitation": false, "GuestDisplayName": cu_name}))
}

/// `DELETE /Users/{Id}/Connect/Link` (and `POST …/Link/Delete`): removes the link → 204.
pub fn unlink(call: &Call, user_id: &str) -> Reply {
    tri!(admin(call));
    let mut world = call.shared.world();
    let Some(local_id) = tri!(call.data(&world)).user(user_id).map(|u| u.id.clone()) else {
        return Reply::not_found("User");
    };
    if !call.impostor {
        world
            .auths
            .retain(|a| !(a.server == call.real && a.local_user_id == local_id));
    }
    Reply::no_content()
}

/// `GET /Connect/Pending`: the server's waiting invitations.
/// No embyclient model exists for this reply (the 4.8 OpenAPI leaves it undocumented); the
/// shape is the 3.x `ConnectAuthorization`.
pub fn pending(call: &Call) -> Reply {
    tri!(admin(call));
    let world = call.shared.world();
    let list: Vec<Value> = world
        .auths
        .iter()
        .filter(|a| !call.impostor && a.server == call.real && !a.accepted)
        .map(|a| {
            let name = world
                .connect_user(&a.connect_user_id)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            json!({
                "ConnectUserId": a.connect_user_id,
                "UserName": name,
                "ImageUrl": "",
                "Id": ids::derive_id(&["authorization", &a.connect_user_id, &a.local_user_id]),
                "EnabledLibraries": [],
                "EnableLiveTv": false,
                "EnabledChannels": [],
            })
        })
        .collect();
    Reply::ok(Value::Array(list))
}
