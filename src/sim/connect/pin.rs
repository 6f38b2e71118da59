//! The PIN sign-in flow (protocol.md §2.2) and the `/pin` page where a person confirms a PIN.
//! Lifetimes use tokio's clock so tests can expire PINs with a paused clock.

use axum::http::StatusCode;
use serde_json::json;

use crate::sim::Shared;
use crate::sim::ids;
use crate::sim::reply::Reply;
use crate::sim::request::Req;
use crate::sim::world::Pin;

fn expired(shared: &Shared, p: &Pin) -> bool {
    p.forced_expired || p.created.elapsed() >= shared.pin_lifetime
}

fn new_pin(taken: &[Pin]) -> String {
    for _ in 0..64 {
        let h = ids::hash64(13, &[&ids::random_token()]);
        let pin = format!("{:04}", h % 10_000);
        if !taken.iter().any(|p| p.pin == pin) {
            return pin;
        }
    }
    // 64 collisions in a row: fall back to a longer PIN
    format!(
        "{:08}",
        ids::hash64(14, &[&ids::random_token()]) % 100_000_000
    )
}

/// `POST pin` (`deviceId` form or JSON) → `{Pin, DeviceId, IsConfirmed, IsExpired}`.
pub fn create(shared: &Shared, req: &Req) -> Reply {
    let Some(device_id) = req.field(&["deviceId"]) else {
        return Reply::error(StatusCode::BAD_REQUEST, "deviceId is required.");
    };
    let mut world = shared.world();
    let pin = new_pin(&world.pins);
    world.pins.push(Pin {
        pin: pin.clone(),
        device_id: device_id.clone(),
        created: tokio::time::Instant::now(),
        confirmed_by: None,
        exchanged: false,
        forced_expired: false,
    });
    Reply::ok(json!({"Pin": pin, "DeviceId": device_id, "IsConfirmed": false, "IsExpired": false}))
}

fn find<'a>(pins: &'a [Pin], req: &Req) -> Option<&'a Pin> {
    let (device, pin) = (req.field(&["deviceId"])?, req.field(&["pin"])?);
    pins.iter()
        .rev()
        .find(|p| p.pin == pin && p.device_id == device)
}

/// `GET pin?deviceId=&pin=` → `{Pin, IsConfirmed, IsExpired}`; unknown → 404.
pub fn status(shared: &Shared, req: &Req) -> Reply {
    let world = shared.world();
    let Some(p) = find(&world.pins, req) else {
        return Reply::not_found("PIN");
    };
    let exp = !p.exchanged && expired(shared, p);
    Reply::ok(
        json!({"Pin": p.pin, "IsConfirmed": p.confirmed_by.is_some() && !exp, "IsExpired": exp}),
    )
}

/// `POST pin/authenticate` (`deviceId`, `pin`) → `{UserId, AccessToken}` once confirmed.
pub fn exchange(shared: &Shared, req: &Req) -> Reply {
    let mut world = shared.world();
    let Some(p) = find(&world.pins, req) else {
        return Reply::not_found("PIN");
    };
    if p.exchanged {
        return Reply::error(StatusCode::BAD_REQUEST, "This PIN was already used.");
    }
    if expired(shared, p) {
        return Reply::error(StatusCode::BAD_REQUEST, "This PIN has expired.");
    }
    let Some(user) = p.confirmed_by.clone() else {
        return Reply::error(
            StatusCode::BAD_REQUEST,
            "This PIN has not been confirmed yet.",
        );
    };
    let (pin, device) = (p.pin.clone(), p.device_id.clone());
    if let Some(p) = world
        .pins
        .iter_mut()
        .rev()
        .find(|p| p.pin == pin && p.device_id == device)
    {
        p.exchanged = true;
    }
    let token = ids::random_token();
    world.connect_tokens.insert(token.clone(), user.clone());
    Reply::ok(json!({"UserId": user, "AccessToken": token}))
}

/// Confirms `pin` for a Connect user; false when either is unknown or the PIN expired.
pub fn confirm(shared: &Shared, pin: &str, who: &str) -> bool {
    let mut world = shared.world();
    let Some(user) = world.connect_user_by_login(who).map(|u| u.id.clone()) else {
        return false;
    };
    let pin = pin.trim();
    let lifetime = shared.pin_lifetime;
    let found = world.pins.iter_mut().rev().find(|p| {
        p.pin == pin && !p.exchanged && !p.forced_expired && p.created.elapsed() < lifetime
    });
    match found {
        Some(p) => {
            p.confirmed_by = Some(user);
            true
        }
        None => false,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The `/pin` page; `message` is shown above the form.
pub fn page(_shared: &Shared, message: Option<(bool, &str)>) -> Reply {
    let note = match message {
        Some((true, m)) => format!("<p class=\"ok\">{}</p>", escape(m)),
        Some((false, m)) => format!("<p class=\"err\">{}</p>", escape(m)),
        None => String::new(),
    };
    let status = match message {
        Some((false, _)) => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    Reply::html(
        status,
        format!(
            "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Emby Connect: confirm a PIN (emby-sim)</title></head>\n\
             <body><h1>Confirm a PIN</h1>{note}\n\
             <form method=\"post\" action=\"/pin\">\n\
             <label>PIN <input name=\"pin\" autofocus></label><br>\n\
             <label>Emby Connect name or e-mail <input name=\"nameOrEmail\"></label><br>\n\
             <label>Password <input name=\"rawpw\" type=\"password\"></label><br>\n\
             <button type=\"submit\">Confirm</button>\n</form></body></html>\n"
        ),
    )
}

/// `POST /pin` (form `pin`, `nameOrEmail`, `rawpw`): checks the account, then confirms.
pub fn page_submit(shared: &Shared, req: &Req) -> Reply {
    let pin = req.body_field("pin").unwrap_or_default();
    let who = req.body_field("nameOrEmail").unwrap_or_default();
    let pw = req.body_field("rawpw").unwrap_or_default();
    let ok_account = shared
        .world()
        .connect_user_by_login(&who)
        .is_some_and(|u| u.password == pw);
    if !ok_account {
        return page(
            shared,
            Some((false, "The name, e-mail address or password is wrong.")),
        );
    }
    if confirm(shared, &pin, &who) {
        page(
            shared,
            Some((true, "PIN confirmed. You can return to your device.")),
        )
    } else {
        page(shared, Some((false, "This PIN is unknown or has expired.")))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use axum::http::{HeaderMap, Method};
    use serde_json::Value;

    use super::*;
    use crate::sim::{Scenario, Sim};

    fn req(method: Method, query: &str, body: &str) -> Req {
        Req::new(
            method,
            "/service/pin",
            query,
            HeaderMap::new(),
            body.as_bytes().to_vec(),
            false,
        )
    }

    fn json_of(reply: Reply) -> Value {
        match reply {
            Reply::Json(_, v) => v,
            _ => Value::Null,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_pin_expires_after_the_scenario_lifetime() {
        let scenario = Scenario::from_toml_str(
            "[connect]\npin_lifetime_secs = 60\nusers = [{ name = \"a\", email = \"a@x\", password = \"p\" }]\n",
        )
        .unwrap();
        let sim = Sim::start(scenario).await.unwrap();
        let shared = &sim.shared;
        let created = json_of(create(shared, &req(Method::POST, "", "deviceId=d")));
        let pin = created["Pin"].as_str().unwrap().to_string();
        let poll = format!("deviceId=d&pin={pin}");

        tokio::time::advance(Duration::from_secs(59)).await;
        assert_eq!(
            json_of(status(shared, &req(Method::GET, &poll, "")))["IsExpired"],
            false
        );
        assert!(
            sim.confirm_pin(&pin, "a"),
            "still confirmable before the lifetime"
        );

        tokio::time::advance(Duration::from_secs(1)).await;
        let st = json_of(status(shared, &req(Method::GET, &poll, "")));
        assert_eq!(st["IsExpired"], true);
        assert_eq!(st["IsConfirmed"], false);
        assert!(!sim.confirm_pin(&pin, "a"));
        match exchange(shared, &req(Method::POST, "", &poll)) {
            Reply::Error(code, _) => assert_eq!(code, StatusCode::BAD_REQUEST),
            _ => panic!("an expired PIN cannot be exchanged"),
        }
        sim.shutdown().await;
    }

    #[tokio::test(start_paused = true)]
    async fn a_confirmed_pin_is_exchanged_once() {
        let scenario = Scenario::from_toml_str(
            "[connect]\nusers = [{ name = \"a\", email = \"a@x\", password = \"p\" }]\n",
        )
        .unwrap();
        let sim = Sim::start(scenario).await.unwrap();
        let shared = &sim.shared;
        let pin = json_of(create(
            shared,
            &req(Method::POST, "", "{\"deviceId\":\"d\"}"),
        ))["Pin"]
            .as_str()
            .unwrap()
            .to_string();
        let body = format!("deviceId=d&pin={pin}");
        assert!(matches!(
            exchange(shared, &req(Method::POST, "", &body)),
            Reply::Error(..)
        ));
        assert!(sim.confirm_pin(&pin, "a@x"));
        let done = json_of(exchange(shared, &req(Method::POST, "", &body)));
        assert_eq!(done["UserId"], crate::sim::world::connect_user_id("a"));
        assert!(matches!(
            exchange(shared, &req(Method::POST, "", &body)),
            Reply::Error(..)
        ));
        sim.shutdown().await;
    }
}
