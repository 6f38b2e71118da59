//! The simulated Emby Connect service (`/service/…`) and its `/pin` web page.
//!
//! Replies follow protocol.md §2. None of them has an `embyclient` model (Connect is not
//! part of the Emby Server API the SDK is generated from), so the peer model checker
//! cannot cover them; their shapes come from the reference clients instead.

pub mod pin;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::Shared;
use super::ids;
use super::reply::Reply;
use super::request::Req;
use super::scenario::LinkType;
use super::world::{ConnectUser, World};

/// Answers one request to the Connect address.
pub fn dispatch(shared: &Shared, req: &Req) -> Reply {
    let r = req.route();
    let get = req.method == Method::GET || req.method == Method::HEAD;
    let post = req.method == Method::POST;
    let del = req.method == Method::DELETE;
    match r.as_slice() {
        ["pin"] if get => return pin::page(shared, None),
        ["pin"] if post => return pin::page_submit(shared, req),
        ["service", "user", "image"] if get => {
            return Reply::bytes(
                StatusCode::OK,
                "image/png",
                super::media::png_image(req.q("id").unwrap_or("x"), 96, 96),
            );
        }
        ["service", ..] => {}
        _ => return Reply::not_found("Page"),
    }
    if req.header("x-application").is_none() {
        return Reply::error(
            StatusCode::BAD_REQUEST,
            "The X-Application header is required.",
        );
    }
    match &r[1..] {
        ["user", "authenticate"] if post => authenticate(shared, req),
        ["user", "logout"] if post => logout(shared, req),
        ["user"] if get => user(shared, req),
        ["pin"] if post => pin::create(shared, req),
        ["pin"] if get => pin::status(shared, req),
        ["pin", "authenticate"] if post => pin::exchange(shared, req),
        ["servers"] if get => servers(shared, req),
        ["serverauthorizations", "accept"] if get || post => accept(shared, req),
        ["serverauthorizations"] if del => remove(shared, req),
        ["register"] if post => register(shared, req),
        _ => Reply::error(
            StatusCode::NOT_FOUND,
            format!("No handler for {} /{}", req.method, req.lower.join("/")),
        ),
    }
}

/// The `ConnectUser` JSON.
pub fn user_json(shared: &Shared, u: &ConnectUser) -> Value {
    json!({
        "Id": u.id,
        "Name": u.name,
        "DisplayName": u.name,
        "Email": u.email,
        "IsActive": true,
        "ImageUrl": format!("{}/service/user/image?id={}", shared.connect.url(), u.id),
        "IsSupporter": false,
    })
}

/// The Connect user of `X-Connect-UserToken` (401 when missing or unknown).
fn token_user(world: &World, req: &Req) -> Result<String, Reply> {
    let Some(token) = req.header("x-connect-usertoken") else {
        return Err(Reply::error(
            StatusCode::UNAUTHORIZED,
            "X-Connect-UserToken is required.",
        ));
    };
    world.connect_tokens.get(token).cloned().ok_or_else(|| {
        Reply::error(
            StatusCode::UNAUTHORIZED,
            "Invalid or expired Connect token.",
        )
    })
}

/// The token's user, who must be `userId` of the query when one is given.
fn token_user_is(world: &World, req: &Req) -> Result<String, Reply> {
    let user = token_user(world, req)?;
    match req.field(&["userId", "id"]) {
        Some(u) if u != user => Err(Reply::error(
            StatusCode::UNAUTHORIZED,
            "The token belongs to another user.",
        )),
        _ => Ok(user),
    }
}

/// `POST user/authenticate` with `nameOrEmail` + `rawpw` (JSON or form).
fn authenticate(shared: &Shared, req: &Req) -> Reply {
    let who = req.body_field("nameOrEmail").unwrap_or_default();
    let pw = req.body_field("rawpw").unwrap_or_default();
    let mut world = shared.world();
    let Some(u) = world
        .connect_user_by_login(&who)
        .filter(|u| u.password == pw)
    else {
        return Reply::error(
            StatusCode::UNAUTHORIZED,
            "The name, e-mail address or password is wrong.",
        );
    };
    let user = user_json(shared, u);
    let id = u.id.clone();
    let token = ids::random_token();
    world.connect_tokens.insert(token.clone(), id);
    Reply::ok(json!({"AccessToken": token, "User": user}))
}

/// `POST user/logout`: forgets the token.
fn logout(shared: &Shared, req: &Req) -> Reply {
    let mut world = shared.world();
    if let Err(r) = token_user(&world, req) {
        return r;
    }
    if let Some(t) = req.header("x-connect-usertoken") {
        world.connect_tokens.remove(t);
    }
    Reply::no_content()
}

/// `GET user?id=` (or `nameOrEmail=`, `name=`, `email=`).
fn user(shared: &Shared, req: &Req) -> Reply {
    let world = shared.world();
    let me = match token_user(&world, req) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let found = if let Some(id) = req.q("id") {
        world.connect_user(id)
    } else if let Some(who) = req.q("nameOrEmail").or(req.q("name")).or(req.q("email")) {
        world.connect_user_by_login(who)
    } else {
        world.connect_user(&me)
    };
    match found {
        Some(u) if u.id == me => Reply::ok(user_json(shared, u)),
        Some(_) => Reply::error(
            StatusCode::UNAUTHORIZED,
            "The token belongs to another user.",
        ),
        None => Reply::not_found("User"),
    }
}

/// `GET servers?userId=[&status=Waiting]`: the user's servers (or waiting invitations).
fn servers(shared: &Shared, req: &Req) -> Reply {
    let world = shared.world();
    let user = match token_user_is(&world, req) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let waiting = req
        .q("status")
        .is_some_and(|s| s.eq_ignore_ascii_case("waiting"));
    let list: Vec<Value> = world
        .auths
        .iter()
        .filter(|a| a.connect_user_id == user && a.accepted != waiting)
        .filter_map(|a| {
            let s = world.servers.get(a.server)?;
            Some(json!({
                "Id": s.connect_server_id,
                "SystemId": s.id,
                "Name": s.name,
                "Url": s.remote_url,
                "LocalAddress": s.local_url,
                "AccessKey": a.access_key,
                "UserType": match a.link { LinkType::Linked => "Linked", LinkType::Guest => "Guest" },
                "AcceptStatus": if a.accepted { "Accepted" } else { "Waiting" },
            }))
        })
        .collect();
    Reply::ok(Value::Array(list))
}

fn find_auth(world: &World, req: &Req, user: &str) -> Option<usize> {
    let server = req.field(&["serverId"])?;
    world.auths.iter().position(|a| {
        a.connect_user_id == user
            && world
                .servers
                .get(a.server)
                .is_some_and(|s| s.connect_server_id == server || s.id == server)
    })
}

/// `GET ServerAuthorizations/accept?serverId=&userId=`: accepts an invitation.
fn accept(shared: &Shared, req: &Req) -> Reply {
    let mut world = shared.world();
    let user = match token_user_is(&world, req) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Some(i) = find_auth(&world, req, &user) else {
        return Reply::not_found("Invitation");
    };
    world.auths[i].accepted = true;
    world.materialize_guest(i);
    Reply::no_content()
}

/// `DELETE serverAuthorizations?serverId=&userId=`: rejects an invitation or removes access.
fn remove(shared: &Shared, req: &Req) -> Reply {
    let mut world = shared.world();
    let user = match token_user_is(&world, req) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Some(i) = find_auth(&world, req, &user) else {
        return Reply::not_found("Authorization");
    };
    world.auths.remove(i);
    Reply::no_content()
}

/// `POST register` (header `X-Connect-Token: CONNECT-REGISTER`, form `email`, `userName`, `rawpw`).
fn register(shared: &Shared, req: &Req) -> Reply {
    if !req
        .header("x-connect-token")
        .is_some_and(|t| t.eq_ignore_ascii_case("CONNECT-REGISTER"))
    {
        return Reply::error(
            StatusCode::UNAUTHORIZED,
            "X-Connect-Token: CONNECT-REGISTER is required.",
        );
    }
    let (Some(email), Some(name), Some(pw)) = (
        req.body_field("email"),
        req.body_field("userName"),
        req.body_field("rawpw"),
    ) else {
        return Reply::error(
            StatusCode::BAD_REQUEST,
            "email, userName and rawpw are required.",
        );
    };
    let mut world = shared.world();
    let status = if world.signup_captcha && req.body_field("grecaptcha").is_none() {
        "CAPTCHA_REQUIRED"
    } else if !email.contains('@') {
        "INVALID_EMAIL"
    } else if world.connect_user_by_login(&name).is_some() {
        "USERNAME_IN_USE"
    } else if world.connect_user_by_login(&email).is_some() {
        "EMAIL_IN_USE"
    } else {
        world.add_connect_user(name, email, pw);
        "SUCCESS"
    };
    Reply::ok(json!({"Status": status, "Message": status.to_lowercase().replace('_', " ")}))
}
