//! Server endpoints: identity, sign-in, tokens, exchange, admin links, tolerant parsing.

use serde_json::{Value, json};

use super::common::*;

#[tokio::test]
async fn public_info_is_anonymous_and_names_both_addresses() {
    let sim = demo().await;
    let s = server(&sim, "Living Room");
    let (status, v) = get(&format!("{}/emby/System/Info/Public", s.local_url), "").await;
    assert_eq!(status, 200);
    assert_eq!(v["Id"], s.id.as_str());
    assert_eq!(v["ServerName"], "Living Room");
    assert_eq!(v["LocalAddress"], s.local_url.as_str());
    assert_eq!(v["WanAddress"], s.remote_url.as_str());
    assert!(v["Version"].as_str().unwrap().starts_with("4."));
    // the remote listener is the same server
    let (_, r) = get(&format!("{}/emby/System/Info/Public", s.remote_url), "").await;
    assert_eq!(r["Id"], s.id.as_str());
    sim.shutdown().await;
}

#[tokio::test]
async fn paths_in_any_case_with_or_without_prefix() {
    let sim = demo().await;
    let s = server(&sim, "Living Room");
    for path in [
        "/emby/system/info/public",
        "/EMBY/SYSTEM/INFO/PUBLIC",
        "/System/Info/Public",
        "/mediabrowser/System/Info/Public",
    ] {
        let (status, v) = get(&format!("{}{path}", s.local_url), "").await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(v["Id"], s.id.as_str());
    }
    let (status, _) = get(&format!("{}/emby/No/Such/Thing", s.local_url), "").await;
    assert_eq!(status, 404);
    sim.shutdown().await;
}

#[tokio::test]
async fn token_is_accepted_in_every_place_clients_put_it() {
    let sim = demo().await;
    let s = server(&sim, "Living Room");
    let (token, _) = sign_in(&s.local_url, "demo", "demo", "dev-places").await;
    let url = format!("{}/emby/System/Info", s.local_url);
    let c = client();
    let requests = vec![
        c.get(&url).header("X-Emby-Token", &token),
        c.get(&url).header("X-MediaBrowser-Token", &token),
        c.get(&url).header(
            "X-Emby-Authorization",
            format!("MediaBrowser Client=\"a\", DeviceId=\"d\", Token=\"{token}\""),
        ),
        c.get(&url).header(
            "X-Emby-Authorization",
            format!("Emby Client=a, DeviceId=d, Token={token}"),
        ),
        c.get(&url).header(
            "Authorization",
            format!("MediaBrowser Client=\"a\", Token=\"{token}\""),
        ),
        c.get(format!("{url}?api_key={token}")),
        c.get(format!(
            "{url}?X-Emby-Token={token}&X-Emby-Client=a&X-Emby-Device-Id=d"
        )),
    ];
    for (i, rb) in requests.into_iter().enumerate() {
        assert_eq!(rb.send().await.unwrap().status(), 200, "place {i}");
    }
    assert_eq!(c.get(&url).send().await.unwrap().status(), 401, "no token");
    assert_eq!(
        c.get(&url)
            .header("X-Emby-Token", "bad")
            .send()
            .await
            .unwrap()
            .status(),
        401,
        "bad token"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn authenticate_by_name_accepts_real_client_bodies_and_reuses_the_token_per_device() {
    let sim = demo().await;
    let s = server(&sim, "Living Room");
    let url = format!("{}/emby/Users/AuthenticateByName", s.local_url);
    let c = client();
    let send = |body: reqwest::RequestBuilder| async move {
        let r = body.send().await.unwrap();
        (
            r.status().as_u16(),
            r.json::<Value>().await.unwrap_or(Value::Null),
        )
    };
    let (st, a) = send(
        c.post(&url)
            .header("X-Emby-Authorization", identity("d1"))
            .json(&json!({"Username": "demo", "Pw": "demo"})),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(a["ServerId"], s.id.as_str());
    assert_eq!(a["User"]["Name"], "demo");
    let (_, b) = send(
        c.post(&url)
            .header("X-Emby-Authorization", identity("d1"))
            .json(&json!({"username": "demo", "pw": "demo"})),
    )
    .await;
    assert_eq!(
        a["AccessToken"], b["AccessToken"],
        "same device, same token"
    );
    let (st, f) = send(
        c.post(&url)
            .header("X-Emby-Authorization", identity("d2"))
            .form(&[("username", "demo"), ("pw", "demo")]),
    )
    .await;
    assert_eq!(st, 200);
    assert_ne!(
        a["AccessToken"], f["AccessToken"],
        "another device, another token"
    );
    let (st, _) = send(
        c.post(&url)
            .header("X-Emby-Authorization", identity("d3"))
            .json(&json!({"Username": "kid", "Pw": ""})),
    )
    .await;
    assert_eq!(st, 200, "passwordless user");
    let r = c
        .post(&url)
        .header("X-Emby-Authorization", identity("d1"))
        .json(&json!({"Username": "demo", "Pw": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.text().await.unwrap(), "Invalid user or password entered.");
    sim.shutdown().await;
}

#[tokio::test]
async fn logout_and_revoke_tokens_give_401() {
    let sim = demo().await;
    let s = server(&sim, "Living Room");
    let info = format!("{}/emby/System/Info", s.local_url);
    let (token, _) = sign_in(&s.local_url, "demo", "demo", "dev-out").await;
    let out = client()
        .post(format!("{}/emby/Sessions/Logout", s.local_url))
        .header("X-Emby-Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(get(&info, &token).await.0, 401);

    let (token, _) = sign_in(&s.local_url, "demo", "demo", "dev-rev").await;
    assert_eq!(get(&info, &token).await.0, 200);
    sim.revoke_tokens(&s.id);
    assert_eq!(get(&info, &token).await.0, 401);
    let (fresh, _) = sign_in(&s.local_url, "demo", "demo", "dev-rev").await;
    assert_ne!(fresh, token, "a revoked token is not re-issued");
    assert_eq!(get(&info, &fresh).await.0, 200);
    sim.shutdown().await;
}

async fn exchange(base: &str, key: &str, connect_user: &str) -> (u16, Value) {
    let r = client()
        .get(format!(
            "{base}/emby/Connect/Exchange?format=json&ConnectUserId={connect_user}"
        ))
        .header("X-Emby-Token", key)
        .header("X-Emby-Authorization", identity("dev-exchange"))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn connect_exchange_only_for_linked_users_and_guests() {
    let sim = demo().await;
    let (token, user) = connect_sign_in(&sim).await;
    for entry in connect_servers(&sim, &token, &user, false).await {
        let s = server(&sim, entry["SystemId"].as_str().unwrap());
        let key = entry["AccessKey"].as_str().unwrap();
        let (st, v) = exchange(&s.remote_url, key, &user).await;
        assert_eq!(st, 200, "{}", s.name);
        let local_token = v["AccessToken"].as_str().unwrap();
        assert_ne!(local_token, key, "a session token per device, not the key");
        let (st, me) = get(
            &format!(
                "{}/emby/Users/{}",
                s.remote_url,
                v["LocalUserId"].as_str().unwrap()
            ),
            local_token,
        )
        .await;
        assert_eq!(st, 200);
        let link = if entry["UserType"] == "Guest" {
            "Guest"
        } else {
            "LinkedUser"
        };
        assert_eq!(me["ConnectLinkType"], link);
        assert_eq!(exchange(&s.remote_url, "bad-key", &user).await.0, 401);
        assert_eq!(exchange(&s.remote_url, key, "12345").await.0, 404);
    }
    // the waiting invitation's key does not work until accepted
    let waiting = connect_servers(&sim, &token, &user, true).await;
    let s = server(&sim, "Grandpa's Server");
    assert_eq!(
        exchange(
            &s.local_url,
            waiting[0]["AccessKey"].as_str().unwrap(),
            &user
        )
        .await
        .0,
        401
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn admin_link_creates_a_waiting_invitation_at_connect() {
    let sim = demo().await;
    let s = server(&sim, "Grandpa's Server");
    let (admin, _) = sign_in(&s.local_url, "grandpa", "grandpa", "dev-admin").await;
    let public: Vec<Value> = client()
        .get(format!("{}/emby/Users/Public", s.local_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(public.len(), 1, "the invited guest user is hidden");
    let grandpa = public[0]["Id"].as_str().unwrap().to_string();

    // unlink the existing invitation, then link grandpa's own user to demo
    let c = client();
    let url = format!("{}/emby/Users/{grandpa}/Connect/Link", s.local_url);
    let r = c
        .post(format!("{url}?ConnectUsername=demo"))
        .header("X-Emby-Token", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        409,
        "demo is already invited as another local user"
    );
    let (st, pending) = get(&format!("{}/emby/Connect/Pending", s.local_url), &admin).await;
    assert_eq!(st, 200);
    assert_eq!(pending.as_array().unwrap().len(), 1);

    let kid_server = server(&sim, "Living Room");
    let (kid, kid_id) = sign_in(&kid_server.local_url, "kid", "", "dev-kid").await;
    let denied = c
        .post(format!(
            "{}/emby/Users/{kid_id}/Connect/Link?ConnectUsername=demo",
            kid_server.local_url
        ))
        .header("X-Emby-Token", &kid)
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403, "non-admin");

    let (ctoken, cuser) = connect_sign_in(&sim).await;
    assert_eq!(connect_servers(&sim, &ctoken, &cuser, true).await.len(), 1);
    let (_, all) = get(&format!("{}/emby/Users", s.local_url), &admin).await;
    let invited = all
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["Name"] == "demo (invited)")
        .unwrap()["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = c
        .post(format!(
            "{}/emby/Users/{invited}/Connect/Link/Delete",
            s.local_url
        ))
        .header("X-Emby-Token", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert!(
        connect_servers(&sim, &ctoken, &cuser, true)
            .await
            .is_empty(),
        "unlink withdraws the invitation"
    );

    let r = c
        .post(format!("{url}?ConnectUsername=demo@example.com"))
        .header("X-Emby-Token", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v,
        json!({"IsPending": true, "IsNewUserInvitation": false, "GuestDisplayName": "demo"})
    );
    let waiting = connect_servers(&sim, &ctoken, &cuser, true).await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["SystemId"], s.id.as_str());
    let r = c
        .delete(&url)
        .header("X-Emby-Token", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert!(
        connect_servers(&sim, &ctoken, &cuser, true)
            .await
            .is_empty()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn other_users_data_is_forbidden_and_unknown_users_are_404() {
    let sim = demo().await;
    let s = server(&sim, "Living Room");
    let (kid, _) = sign_in(&s.local_url, "kid", "", "dev-k").await;
    let (_, demo_id) = sign_in(&s.local_url, "demo", "demo", "dev-d").await;
    assert_eq!(
        get(&format!("{}/emby/Users/{demo_id}/Views", s.local_url), &kid)
            .await
            .0,
        403
    );
    assert_eq!(
        get(
            &format!(
                "{}/emby/Users/0123456789abcdef0123456789abcdef/Views",
                s.local_url
            ),
            &kid
        )
        .await
        .0,
        404
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn system_endpoint_says_which_address_answered_and_capabilities_are_204() {
    let sim = demo().await;
    let s = server(&sim, "Living Room");
    let (token, _) = sign_in(&s.local_url, "demo", "demo", "dev-e").await;
    let (_, local) = get(&format!("{}/emby/System/Endpoint", s.local_url), &token).await;
    let (_, remote) = get(&format!("{}/emby/System/Endpoint", s.remote_url), &token).await;
    assert_eq!(local["IsLocal"], true);
    assert_eq!(remote["IsLocal"], false);
    let r = client()
        .post(format!("{}/emby/Sessions/Capabilities/Full", s.local_url))
        .header("X-Emby-Token", &token)
        .json(&json!({"PlayableMediaTypes": ["Video"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    sim.shutdown().await;
}

#[tokio::test]
async fn request_log_shows_which_token_went_where() {
    let sim = demo().await;
    let s = server(&sim, "Living Room");
    sim.clear_requests();
    let (token, _) = sign_in(&s.local_url, "demo", "demo", "dev-log").await;
    get(&format!("{}/emby/System/Info", s.remote_url), &token).await;
    let local = sim.requests(&s.id, emby_tui::sim::AddressKind::Local);
    let remote = sim.requests(&s.id, emby_tui::sim::AddressKind::Remote);
    assert_eq!(local.len(), 1);
    assert_eq!(local[0].method, "POST");
    assert!(local[0].mentions("dev-log"));
    assert!(
        !local[0].mentions(&token),
        "the token was issued, not sent, on the local address"
    );
    assert_eq!(remote.len(), 1);
    assert_eq!(remote[0].path, "/emby/System/Info");
    assert_eq!(remote[0].header("x-emby-token"), Some(token.as_str()));
    assert!(
        !format!("{:?}", remote[0]).contains(&token),
        "Debug hides header values"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn discovery_answers_for_discoverable_servers_only() {
    let sim = demo().await;
    let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    sock.send_to(b"who is EmbyServer?", sim.discovery_addr())
        .await
        .unwrap();
    let mut buf = [0u8; 2048];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), sock.recv(&mut buf))
        .await
        .unwrap()
        .unwrap();
    let v: Value = serde_json::from_slice(&buf[..n]).unwrap();
    let s = server(&sim, "Living Room");
    assert_eq!(
        v,
        json!({"Address": s.local_url, "Id": s.id, "Name": "Living Room"})
    );
    // only one server of the demo is discoverable: nothing else arrives
    let more =
        tokio::time::timeout(std::time::Duration::from_millis(200), sock.recv(&mut buf)).await;
    assert!(more.is_err());
    sim.shutdown().await;
}
