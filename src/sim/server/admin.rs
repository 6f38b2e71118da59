//! Admin calls of protocol.md §6.2, tied to the simulated Connect service as the real ones are:
//! linking a local user to a Connect account creates a waiting authorization at Connect (an
//! invitation that Connect user sees and accepts), inviting a guest does the same for a new
//! hidden local user, and an invitation to an e-mail address without an account waits until
//! that address signs up. Unlink, the pending list and its cancellation complete the set.
//!
//! A server reaches Connect to link, invite and cancel; when the simulated Connect address is
//! faulted (black-holed, refusing, down or answering 500) these answer 502, as a server that
//! cannot reach Connect does. `POST /Connect/Invite` and `DELETE /Connect/Pending` exist only on
//! servers that have them (before 4.7, or `connect_invite` in the scenario); others answer 404
//! as for any unknown route.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Call, Caller, tri};
use crate::sim::ids;
use crate::sim::reply::Reply;
use crate::sim::scenario::LinkType;
use crate::sim::world::{Authorization, GuestGrant, SignUpInvite, World};

/// The caller, who must be an administrator (403 otherwise, 401 without a valid token).
fn admin(call: &Call) -> Result<Caller, Reply> {
    let world = call.shared.world();
    let caller = call.caller(&world)?;
    if !caller.admin {
        return Err(Reply::error(
            StatusCode::FORBIDDEN,
            "Administrator access is required.",
        ));
    }
    Ok(caller)
}

/// Whether this server can reach the Connect service right now.
fn connect_unreachable(call: &Call) -> Option<Reply> {
    let f = call.shared.connect.fault();
    (call.impostor || f.blackhole || f.refuse || f.down || f.http_500).then(|| {
        Reply::error(
            StatusCode::BAD_GATEWAY,
            "Emby Connect could not be reached. Please try again later.",
        )
    })
}

/// 404 as for any route a server does not have.
fn no_handler(call: &Call) -> Reply {
    Reply::error(
        StatusCode::NOT_FOUND,
        format!(
            "No handler for {} /{}",
            call.req.method,
            call.req.lower.join("/")
        ),
    )
}

/// Whether the answering server has the guest-invitation endpoints.
fn has_invite(call: &Call) -> bool {
    call.shared
        .scenario
        .servers
        .get(call.real)
        .is_some_and(|s| s.has_connect_invite())
}

fn link_result(pending: bool, new_user: bool, name: &str) -> Reply {
    Reply::ok(json!({
        "IsPending": pending,
        "IsNewUserInvitation": new_user,
        "GuestDisplayName": name,
    }))
}

/// Records an invitation to an e-mail address without a Connect account (replacing an older one
/// for the same local user).
fn invite_to_sign_up(world: &mut World, invite: SignUpInvite) {
    world
        .signup_invites
        .retain(|i| !(i.server == invite.server && i.local_user_id == invite.local_user_id));
    world.signup_invites.push(invite);
}

/// `POST /Users/{Id}/Connect/Link?ConnectUsername=` (name or e-mail) → `UserLinkResult`.
pub fn link(call: &Call, user_id: &str) -> Reply {
    tri!(admin(call));
    let Some(who) = call.req.field(&["ConnectUsername"]) else {
        return Reply::error(StatusCode::BAD_REQUEST, "ConnectUsername is required.");
    };
    if let Some(r) = connect_unreachable(call) {
        return r;
    }
    let mut world = call.shared.world();
    let Some(local_id) = tri!(call.data(&world)).user(user_id).map(|u| u.id.clone()) else {
        return Reply::not_found("User");
    };
    let Some(cu) = world.connect_user_by_login(&who) else {
        if !who.contains('@') {
            return Reply::not_found("Emby Connect user");
        }
        world
            .auths
            .retain(|a| !(a.server == call.real && a.local_user_id == local_id));
        invite_to_sign_up(
            &mut world,
            SignUpInvite {
                email: who.trim().to_string(),
                server: call.real,
                local_user_id: local_id,
                link: LinkType::Linked,
                grant: None,
            },
        );
        return link_result(true, true, who.trim());
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
    if let Some(same) = world.auths.iter().find(|a| {
        a.server == call.real && a.local_user_id == local_id && a.connect_user_id == cu_id
    }) {
        // linked already: the link stands as it is
        return link_result(!same.accepted, false, &cu_name);
    }
    world
        .auths
        .retain(|a| !(a.server == call.real && a.local_user_id == local_id));
    world
        .signup_invites
        .retain(|i| !(i.server == call.real && i.local_user_id == local_id));
    world.auths.push(Authorization {
        server: call.real,
        connect_user_id: cu_id,
        local_user_id: local_id,
        link: LinkType::Linked,
        accepted: false,
        access_key: ids::random_token(),
        grant: None,
    });
    link_result(true, false, &cu_name)
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
        world
            .signup_invites
            .retain(|i| !(i.server == call.real && i.local_user_id == local_id));
    }
    Reply::no_content()
}

/// `POST /Connect/Invite` (`ConnectUsername`, `SendingUserId`, `ExcludedLibraries`,
/// `ExcludedChannels`, `EnableLiveTv`) → `UserLinkResult`: a waiting guest authorization whose
/// hidden local user appears once it is accepted.
pub fn invite(call: &Call) -> Reply {
    let caller = tri!(admin(call));
    if !has_invite(call) {
        return no_handler(call);
    }
    let Some(who) = call.req.field(&["ConnectUsername"]) else {
        return Reply::error(StatusCode::BAD_REQUEST, "ConnectUsername is required.");
    };
    if let Some(r) = connect_unreachable(call) {
        return r;
    }
    let sender = call
        .req
        .field(&["SendingUserId"])
        .unwrap_or(caller.user_id.clone());
    let excluded: Vec<String> = call
        .req
        .field(&["ExcludedLibraries"])
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let live_tv = call
        .req
        .field(&["EnableLiveTv"])
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let mut world = call.shared.world();
    let sender_linked = world.auths.iter().any(|a| {
        a.server == call.real
            && a.link == LinkType::Linked
            && a.local_user_id.eq_ignore_ascii_case(&sender)
    });
    if !sender_linked {
        return Reply::error(
            StatusCode::BAD_REQUEST,
            "The sending user must be linked to an Emby Connect account before inviting guests.",
        );
    }
    let server_id = tri!(call.data(&world)).id.clone();
    let grant = |name: &str, world: &World| GuestGrant {
        excluded_libraries: excluded.clone(),
        live_tv,
        local_name: guest_name(world, call.real, name),
    };
    let Some(cu) = world.connect_user_by_login(&who) else {
        if !who.contains('@') {
            return Reply::not_found("Emby Connect user");
        }
        let email = who.trim().to_string();
        let grant = grant(email.split('@').next().unwrap_or("guest"), &world);
        invite_to_sign_up(
            &mut world,
            SignUpInvite {
                local_user_id: ids::derive_id(&["guest", &server_id, &email.to_lowercase()]),
                email: email.clone(),
                server: call.real,
                link: LinkType::Guest,
                grant: Some(grant),
            },
        );
        return link_result(true, true, &email);
    };
    let (cu_id, cu_name) = (cu.id.clone(), cu.name.clone());
    if world
        .auths
        .iter()
        .any(|a| a.server == call.real && a.connect_user_id == cu_id)
    {
        return Reply::error(
            StatusCode::CONFLICT,
            "This Emby Connect user already has access to this server.",
        );
    }
    let grant = grant(&cu_name, &world);
    world.auths.push(Authorization {
        server: call.real,
        connect_user_id: cu_id.clone(),
        local_user_id: ids::derive_id(&["guest", &server_id, &cu_id]),
        link: LinkType::Guest,
        accepted: false,
        access_key: ids::random_token(),
        grant: Some(grant),
    });
    link_result(true, false, &cu_name)
}

/// A local name for a guest: its Connect name, with " (guest)" when a local user has it.
fn guest_name(world: &World, server: usize, name: &str) -> String {
    let taken = world
        .servers
        .get(server)
        .is_some_and(|s| s.users.iter().any(|u| u.name.eq_ignore_ascii_case(name)));
    if taken {
        format!("{name} (guest)")
    } else {
        name.to_string()
    }
}

/// `GET /Connect/Pending`: the server's waiting invitations.
/// No embyclient model exists for this reply (the 4.8 OpenAPI leaves it undocumented); the
/// shape is the 3.x `ConnectAuthorization`.
pub fn pending(call: &Call) -> Reply {
    tri!(admin(call));
    let world = call.shared.world();
    let views: Vec<String> = world
        .servers
        .get(call.real)
        .map(|s| {
            s.library
                .children(crate::sim::library::ItemRef::Root)
                .into_iter()
                .map(|v| s.library.id(v))
                .collect()
        })
        .unwrap_or_default();
    let list: Vec<Value> = world
        .auths
        .iter()
        .filter(|a| !call.impostor && a.server == call.real && !a.accepted)
        .map(|a| {
            let name = world
                .connect_user(&a.connect_user_id)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            let (libraries, live_tv): (Vec<&String>, bool) = match &a.grant {
                Some(g) => (
                    views
                        .iter()
                        .filter(|v| !g.excluded_libraries.contains(v))
                        .collect(),
                    g.live_tv,
                ),
                None => (Vec::new(), false),
            };
            json!({
                "ConnectUserId": a.connect_user_id,
                "UserName": name,
                "ImageUrl": "",
                "Id": a.id(),
                "EnabledLibraries": libraries,
                "EnableLiveTv": live_tv,
                "EnabledChannels": [],
            })
        })
        .collect();
    Reply::ok(Value::Array(list))
}

/// `DELETE /Connect/Pending?Id=`: cancels a waiting invitation (a waiting link goes with it).
pub fn cancel_pending(call: &Call) -> Reply {
    tri!(admin(call));
    if !has_invite(call) {
        return no_handler(call);
    }
    let Some(id) = call.req.q("Id").map(str::to_string) else {
        return Reply::error(StatusCode::BAD_REQUEST, "Id is required.");
    };
    if let Some(r) = connect_unreachable(call) {
        return r;
    }
    let mut world = call.shared.world();
    let Some(i) = world
        .auths
        .iter()
        .position(|a| a.server == call.real && !a.accepted && a.id().eq_ignore_ascii_case(&id))
    else {
        return Reply::not_found("Pending invitation");
    };
    world.auths.remove(i);
    Reply::no_content()
}
