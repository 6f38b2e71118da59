//! The simulated Connect service.

use serde_json::{Value, json};

use super::common::*;

#[tokio::test]
async fn sign_in_accepts_json_and_form_and_rejects_a_wrong_password() {
    let sim = demo().await;
    let url = format!("{}user/authenticate", sim.connect_url());
    let json_reply = client()
        .post(&url)
        .header("X-Application", "t/1")
        .json(&json!({"nameOrEmail": "demo@example.com", "rawpw": "demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_reply.status(), 200);
    let v: Value = json_reply.json().await.unwrap();
    assert!(v["AccessToken"].as_str().is_some_and(|t| t.len() == 32));
    assert_eq!(v["User"]["Name"], "demo");
    assert_eq!(v["User"]["Email"], "demo@example.com");

    let form = client()
        .post(&url)
        .header("X-Application", "t/1")
        .form(&[("nameOrEmail", "DEMO"), ("rawpw", "demo")]);
    assert_eq!(form.send().await.unwrap().status(), 200);

    let wrong = client()
        .post(&url)
        .header("X-Application", "t/1")
        .form(&[("nameOrEmail", "demo"), ("rawpw", "nope")]);
    let r = wrong.send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(!r.text().await.unwrap().is_empty(), "401 carries a message");
    sim.shutdown().await;
}

#[tokio::test]
async fn every_service_call_needs_x_application() {
    let sim = demo().await;
    let r = client()
        .post(format!("{}user/authenticate", sim.connect_url()))
        .form(&[("nameOrEmail", "demo"), ("rawpw", "demo")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    sim.shutdown().await;
}

#[tokio::test]
async fn server_list_has_linked_and_guest_and_invitations_wait_until_accepted() {
    let sim = demo().await;
    let (token, user) = connect_sign_in(&sim).await;
    let list = connect_servers(&sim, &token, &user, false).await;
    let names: Vec<&str> = list.iter().filter_map(|s| s["Name"].as_str()).collect();
    assert_eq!(names, vec!["Living Room", "Cabin", "Friend's Server"]);
    let friend = &list[2];
    assert_eq!(friend["UserType"], "Guest");
    assert_eq!(list[0]["UserType"], "Linked");
    let living = server(&sim, "Living Room");
    assert_eq!(list[0]["SystemId"], living.id.as_str());
    assert_eq!(list[0]["LocalAddress"], living.local_url.as_str());
    assert_eq!(list[0]["Url"], living.remote_url.as_str());

    let waiting = connect_servers(&sim, &token, &user, true).await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["Name"], "Grandpa's Server");
    let connect_server_id = waiting[0]["Id"].as_str().unwrap().to_string();

    let accept = client()
        .get(format!(
            "{}ServerAuthorizations/accept?serverId={connect_server_id}&userId={user}",
            sim.connect_url()
        ))
        .header("X-Application", "t/1")
        .header("X-Connect-UserToken", &token)
        .send()
        .await
        .unwrap();
    assert!(accept.status().is_success());
    assert!(connect_servers(&sim, &token, &user, true).await.is_empty());
    assert_eq!(connect_servers(&sim, &token, &user, false).await.len(), 4);

    let reject = client()
        .delete(format!(
            "{}serverAuthorizations?serverId={connect_server_id}&userId={user}",
            sim.connect_url()
        ))
        .header("X-Application", "t/1")
        .header("X-Connect-UserToken", &token)
        .send()
        .await
        .unwrap();
    assert!(reject.status().is_success());
    assert_eq!(connect_servers(&sim, &token, &user, false).await.len(), 3);
    sim.shutdown().await;
}

#[tokio::test]
async fn user_token_is_required_and_checked() {
    let sim = demo().await;
    let (_, user) = connect_sign_in(&sim).await;
    for token in [None, Some("wrong")] {
        let mut rb = client()
            .get(format!("{}servers?userId={user}", sim.connect_url()))
            .header("X-Application", "t/1");
        if let Some(t) = token {
            rb = rb.header("X-Connect-UserToken", t);
        }
        assert_eq!(rb.send().await.unwrap().status(), 401);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn user_lookup_and_logout() {
    let sim = demo().await;
    let (token, user) = connect_sign_in(&sim).await;
    let get_user = || {
        client()
            .get(format!("{}user?id={user}", sim.connect_url()))
            .header("X-Application", "t/1")
            .header("X-Connect-UserToken", &token)
    };
    let v: Value = get_user().send().await.unwrap().json().await.unwrap();
    assert_eq!(v["Id"], user.as_str());
    let out = client()
        .post(format!("{}user/logout", sim.connect_url()))
        .header("X-Application", "t/1")
        .header("X-Connect-UserToken", &token)
        .send()
        .await
        .unwrap();
    assert!(out.status().is_success());
    assert_eq!(get_user().send().await.unwrap().status(), 401);
    sim.shutdown().await;
}

#[tokio::test]
async fn pin_flow_create_poll_confirm_on_the_page_and_exchange() {
    let sim = demo().await;
    let c = client();
    let created: Value = c
        .post(format!("{}pin", sim.connect_url()))
        .header("X-Application", "t/1")
        .form(&[("deviceId", "dev-pin")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pin = created["Pin"].as_str().unwrap().to_string();
    assert_eq!(created["IsConfirmed"], false);
    let status_url = format!("{}pin?deviceId=dev-pin&pin={pin}", sim.connect_url());
    let status: Value = c
        .get(&status_url)
        .header("X-Application", "t/1")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["IsConfirmed"], false);
    assert_eq!(status["IsExpired"], false);

    let exchange = || {
        c.post(format!("{}pin/authenticate", sim.connect_url()))
            .header("X-Application", "t/1")
            .form(&[("deviceId", "dev-pin"), ("pin", pin.as_str())])
    };
    let early = exchange().send().await.unwrap().status().as_u16();
    assert!(early == 400 || early == 401, "not confirmed yet: {early}");

    let page = c
        .get(sim.pin_page_url())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<form"));
    let wrong = c.post(sim.pin_page_url()).form(&[
        ("pin", pin.as_str()),
        ("nameOrEmail", "demo"),
        ("rawpw", "x"),
    ]);
    assert_eq!(wrong.send().await.unwrap().status(), 400);
    let ok = c.post(sim.pin_page_url()).form(&[
        ("pin", pin.as_str()),
        ("nameOrEmail", "demo"),
        ("rawpw", "demo"),
    ]);
    assert_eq!(ok.send().await.unwrap().status(), 200);

    let status: Value = c
        .get(&status_url)
        .header("X-Application", "t/1")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["IsConfirmed"], true);
    let done: Value = exchange().send().await.unwrap().json().await.unwrap();
    let token = done["AccessToken"].as_str().unwrap();
    let user = done["UserId"].as_str().unwrap();
    assert_eq!(connect_servers(&sim, token, user, false).await.len(), 3);

    let unknown = c
        .get(format!(
            "{}pin?deviceId=dev-pin&pin=nope",
            sim.connect_url()
        ))
        .header("X-Application", "t/1");
    assert_eq!(unknown.send().await.unwrap().status(), 404);
    sim.shutdown().await;
}

#[tokio::test]
async fn expire_pins_expires_unexchanged_pins() {
    let sim = demo().await;
    let c = client();
    let created: Value = c
        .post(format!("{}pin", sim.connect_url()))
        .header("X-Application", "t/1")
        .json(&json!({"deviceId": "dev-x"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pin = created["Pin"].as_str().unwrap();
    sim.expire_pins();
    assert!(
        !sim.confirm_pin(pin, "demo"),
        "an expired PIN cannot be confirmed"
    );
    let status: Value = c
        .get(format!("{}pin?deviceId=dev-x&pin={pin}", sim.connect_url()))
        .header("X-Application", "t/1")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["IsExpired"], true);
    sim.shutdown().await;
}

#[tokio::test]
async fn register_creates_an_account_once() {
    let sim = demo().await;
    let reg = |name: &'static str| {
        client()
            .post(format!("{}register", sim.connect_url()))
            .header("X-Application", "t/1")
            .header("X-Connect-Token", "CONNECT-REGISTER")
            .form(&[
                ("email", "new@example.com"),
                ("userName", name),
                ("rawpw", "password1"),
            ])
    };
    let v: Value = reg("newbie").send().await.unwrap().json().await.unwrap();
    assert_eq!(v["Status"], "SUCCESS");
    let v: Value = reg("newbie").send().await.unwrap().json().await.unwrap();
    assert_eq!(v["Status"], "USERNAME_IN_USE");
    let no_token = client()
        .post(format!("{}register", sim.connect_url()))
        .header("X-Application", "t/1")
        .form(&[("email", "a@b.c"), ("userName", "x"), ("rawpw", "y")]);
    assert_eq!(no_token.send().await.unwrap().status(), 401);
    sim.shutdown().await;
}
