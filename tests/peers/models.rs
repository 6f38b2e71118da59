//! Every JSON reply shape of a simulated server, checked against the `embyclient` models.
//!
//! Connect service replies (`/service/...`) and `GET /Connect/Pending` have no embyclient model
//! (Connect is not part of the Emby Server OpenAPI the SDK is generated from, and the 4.8
//! OpenAPI leaves the Pending reply undocumented), so they are not checked here; tests/sim
//! checks their shapes against protocol.md instead.

use emby_tui::sim::{Scenario, Sim};
use serde_json::{Value, json};

use super::install::run_script;

const ALL_FIELDS: &str = "PrimaryImageAspectRatio,Overview,Genres,DateCreated,SortName,Etag,RecursiveItemCount,Path,Container,MediaSources,MediaStreams,ProviderIds";

/// Collects (label, model, document) triples.
struct Walker {
    client: reqwest::Client,
    docs: Vec<Value>,
}

impl Walker {
    async fn fetch(
        &self,
        method: reqwest::Method,
        url: &str,
        token: &str,
        body: Option<Value>,
    ) -> Value {
        let mut rb = self
            .client
            .request(method, url)
            .header("X-Emby-Authorization", ident(token));
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.unwrap_or_else(|e| panic!("{url}: {e}"));
        assert!(r.status().is_success(), "{url}: {}", r.status());
        r.json()
            .await
            .unwrap_or_else(|e| panic!("{url}: not JSON: {e}"))
    }

    async fn get(&mut self, label: &str, model: &str, url: &str, token: &str) -> Value {
        let v = self.fetch(reqwest::Method::GET, url, token, None).await;
        self.add(label, model, v.clone());
        v
    }

    async fn post(
        &mut self,
        label: &str,
        model: &str,
        url: &str,
        token: &str,
        body: Option<Value>,
    ) -> Value {
        let v = self.fetch(reqwest::Method::POST, url, token, body).await;
        self.add(label, model, v.clone());
        v
    }

    fn add(&mut self, label: &str, model: &str, doc: Value) {
        self.docs
            .push(json!({"label": label, "model": model, "doc": doc}));
    }
}

fn ident(token: &str) -> String {
    let mut s = "MediaBrowser Client=\"model-check\", Device=\"peer\", DeviceId=\"model-check\", Version=\"1.0\"".to_string();
    if !token.is_empty() {
        s.push_str(&format!(", Token=\"{token}\""));
    }
    s
}

fn first_id(list: &Value) -> String {
    list["Items"][0]["Id"]
        .as_str()
        .expect("an item")
        .to_string()
}

async fn collect(sim: &Sim) -> Vec<Value> {
    let mut w = Walker {
        client: reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client"),
        docs: Vec::new(),
    };
    let s = sim.server("Living Room").expect("server");
    let b = format!("{}/emby", s.local_url);
    w.get(
        "public info",
        "PublicSystemInfo",
        &format!("{b}/System/Info/Public"),
        "",
    )
    .await;
    w.get(
        "public users",
        "list[UserDto]",
        &format!("{b}/Users/Public"),
        "",
    )
    .await;
    let auth = w
        .post(
            "sign-in",
            "AuthenticationAuthenticationResult",
            &format!("{b}/Users/AuthenticateByName"),
            "",
            Some(json!({"Username": "demo", "Pw": "demo"})),
        )
        .await;
    let t = auth["AccessToken"].as_str().expect("token").to_string();
    let u = auth["User"]["Id"].as_str().expect("user").to_string();
    w.get("system info", "SystemInfo", &format!("{b}/System/Info"), &t)
        .await;
    w.get(
        "endpoint",
        "NetEndPointInfo",
        &format!("{b}/System/Endpoint"),
        &t,
    )
    .await;
    w.get("users", "list[UserDto]", &format!("{b}/Users"), &t)
        .await;
    w.get("user", "UserDto", &format!("{b}/Users/{u}"), &t)
        .await;

    let views = w
        .get(
            "views",
            "QueryResultBaseItemDto",
            &format!("{b}/Users/{u}/Views"),
            &t,
        )
        .await;
    w.get(
        "root",
        "BaseItemDto",
        &format!("{b}/Users/{u}/Items/Root"),
        &t,
    )
    .await;
    let mut by_type = std::collections::BTreeMap::new();
    for view in views["Items"].as_array().expect("views") {
        let vid = view["Id"].as_str().expect("id");
        w.get(
            "view detail",
            "BaseItemDto",
            &format!("{b}/Users/{u}/Items/{vid}"),
            &t,
        )
        .await;
        let list = w
            .get(
                "children, all fields",
                "QueryResultBaseItemDto",
                &format!("{b}/Users/{u}/Items?ParentId={vid}&Limit=3&Fields={ALL_FIELDS}"),
                &t,
            )
            .await;
        let mut id = first_id(&list);
        // walk down to the leaves: series → season → episode, album → track
        loop {
            let item = w
                .get(
                    "item detail",
                    "BaseItemDto",
                    &format!("{b}/Users/{u}/Items/{id}"),
                    &t,
                )
                .await;
            by_type.insert(item["Type"].as_str().unwrap_or("").to_string(), id.clone());
            if item["IsFolder"] != true {
                break;
            }
            let kids = w
                .get(
                    "children",
                    "QueryResultBaseItemDto",
                    &format!("{b}/Users/{u}/Items?ParentId={id}&Fields={ALL_FIELDS}"),
                    &t,
                )
                .await;
            id = first_id(&kids);
        }
    }
    for t_name in [
        "Movie",
        "Series",
        "Season",
        "Episode",
        "MusicAlbum",
        "Audio",
    ] {
        assert!(by_type.contains_key(t_name), "walked no {t_name}");
    }
    w.get(
        "recursive search",
        "QueryResultBaseItemDto",
        &format!("{b}/Users/{u}/Items?Recursive=true&SearchTerm=a&Limit=20&Fields={ALL_FIELDS}"),
        &t,
    )
    .await;
    w.get(
        "people search",
        "QueryResultBaseItemDto",
        &format!("{b}/Persons?UserId={u}&SearchTerm=a&Limit=5&Fields={ALL_FIELDS}"),
        &t,
    )
    .await;
    w.get(
        "items by ids",
        "QueryResultBaseItemDto",
        &format!("{b}/Items?UserId={u}&Ids={}", by_type["Movie"]),
        &t,
    )
    .await;
    w.get("resume", "QueryResultBaseItemDto", &format!("{b}/Users/{u}/Items/Resume?Limit=12&Recursive=true&MediaTypes=Video&Fields={ALL_FIELDS}"), &t).await;
    let movies_view = views["Items"][0]["Id"].as_str().expect("id");
    w.get(
        "latest",
        "list[BaseItemDto]",
        &format!("{b}/Users/{u}/Items/Latest?ParentId={movies_view}&Limit=16&Fields={ALL_FIELDS}"),
        &t,
    )
    .await;
    w.get(
        "next up",
        "QueryResultBaseItemDto",
        &format!("{b}/Shows/NextUp?UserId={u}&Limit=24&Fields={ALL_FIELDS}"),
        &t,
    )
    .await;
    w.get(
        "seasons",
        "QueryResultBaseItemDto",
        &format!("{b}/Shows/{}/Seasons?UserId={u}", by_type["Series"]),
        &t,
    )
    .await;
    w.get(
        "episodes",
        "QueryResultBaseItemDto",
        &format!("{b}/Shows/{}/Episodes?UserId={u}", by_type["Series"]),
        &t,
    )
    .await;
    for (label, path) in [("played", "PlayedItems"), ("favourite", "FavoriteItems")] {
        w.post(
            label,
            "UserItemDataDto",
            &format!("{b}/Users/{u}/{path}/{}", by_type["Movie"]),
            &t,
            None,
        )
        .await;
        w.post(
            label,
            "UserItemDataDto",
            &format!("{b}/Users/{u}/{path}/{}", by_type["Series"]),
            &t,
            None,
        )
        .await;
        w.post(
            label,
            "UserItemDataDto",
            &format!("{b}/Users/{u}/{path}/{}/Delete", by_type["Movie"]),
            &t,
            None,
        )
        .await;
    }
    for kind in ["Movie", "Episode", "Audio", "Series"] {
        w.post(
            "playback info",
            "PlaybackInfoResponse",
            &format!("{b}/Items/{}/PlaybackInfo?UserId={u}", by_type[kind]),
            &t,
            Some(json!({"DeviceProfile": {}})),
        )
        .await;
    }

    // sessions: the fake devices idle, then one playing; this client reporting what it plays
    let idle = w
        .get(
            "sessions (idle)",
            "list[SessionSessionInfo]",
            &format!("{b}/Sessions?ControllableByUserId={u}"),
            &t,
        )
        .await;
    let tv = idle
        .as_array()
        .expect("sessions")
        .iter()
        .find(|s| s["DeviceName"] == "Living Room TV")
        .expect("the TV")["Id"]
        .as_str()
        .expect("id")
        .to_string();
    let http = w.client.clone();
    let no_body = |method: reqwest::Method, url: String, body: Option<Value>| {
        let mut rb = http
            .request(method, url)
            .header("X-Emby-Authorization", ident(&t));
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        async move {
            let r = rb.send().await.expect("sent");
            assert!(r.status().is_success(), "{}", r.status());
        }
    };
    no_body(
        reqwest::Method::POST,
        format!(
            "{b}/Sessions/{tv}/Playing?ItemIds={}&PlayCommand=PlayNow&StartPositionTicks=600000000",
            by_type["Episode"]
        ),
        None,
    )
    .await;
    no_body(
        reqwest::Method::POST,
        format!("{b}/Sessions/Capabilities/Full"),
        Some(json!({"PlayableMediaTypes": ["Audio", "Video"], "SupportsMediaControl": true})),
    )
    .await;
    // what emby-tui sends when it reports, checked against the request models too
    let report = |position: i64, event: Option<&str>, stopped: bool| {
        serde_json::to_value(emby_tui::emby::models::PlaybackReport {
            item_id: by_type["Movie"].clone(),
            media_source_id: Some(by_type["Movie"].clone()),
            play_session_id: Some("ps1".into()),
            position_ticks: position,
            is_paused: (!stopped).then_some(false),
            can_seek: (!stopped).then_some(true),
            play_method: (!stopped).then(|| "DirectPlay".to_string()),
            run_time_ticks: (!stopped).then_some(72_000_000_000),
            event_name: event.map(str::to_string),
        })
        .expect("json")
    };
    let start = report(0, None, false);
    let progress = report(300_000_000, Some("Pause"), false);
    no_body(
        reqwest::Method::POST,
        format!("{b}/Sessions/Playing"),
        Some(start.clone()),
    )
    .await;
    no_body(
        reqwest::Method::POST,
        format!("{b}/Sessions/Playing/Progress"),
        Some(progress.clone()),
    )
    .await;
    w.add("report: start", "PlaybackStartInfo", start);
    w.add("report: progress", "PlaybackProgressInfo", progress);
    w.get(
        "sessions (playing)",
        "list[SessionSessionInfo]",
        &format!("{b}/Sessions"),
        &t,
    )
    .await;
    let stop = report(300_000_000, None, true);
    no_body(
        reqwest::Method::POST,
        format!("{b}/Sessions/Playing/Stopped"),
        Some(stop.clone()),
    )
    .await;
    w.add("report: stopped", "PlaybackStopInfo", stop);
    no_body(
        reqwest::Method::POST,
        format!("{b}/Sessions/{tv}/Playing/Seek?SeekPositionTicks=1200000000"),
        None,
    )
    .await;
    no_body(
        reqwest::Method::POST,
        format!("{b}/Sessions/{tv}/Playing/Pause"),
        None,
    )
    .await;
    w.get(
        "session by id (paused)",
        "list[SessionSessionInfo]",
        &format!("{b}/Sessions?Id={tv}"),
        &t,
    )
    .await;

    // Connect exchange (Linked) and a guest's user
    let connect = w
        .client
        .post(format!("{}user/authenticate", sim.connect_url()))
        .header("X-Application", "model-check/1.0")
        .json(&json!({"nameOrEmail": "demo", "rawpw": "demo"}))
        .send()
        .await
        .expect("connect")
        .json::<Value>()
        .await
        .expect("json");
    let (ctoken, cuser) = (
        connect["AccessToken"].as_str().expect("t"),
        connect["User"]["Id"].as_str().expect("u"),
    );
    let list: Vec<Value> = w
        .client
        .get(format!("{}servers?userId={cuser}", sim.connect_url()))
        .header("X-Application", "model-check/1.0")
        .header("X-Connect-UserToken", ctoken)
        .send()
        .await
        .expect("servers")
        .json()
        .await
        .expect("json");
    for e in &list {
        let srv = sim
            .server(e["SystemId"].as_str().expect("id"))
            .expect("server");
        let url = format!(
            "{}/emby/Connect/Exchange?format=json&ConnectUserId={cuser}",
            srv.remote_url
        );
        let x = w
            .get(
                "exchange",
                "ConnectConnectAuthenticationExchangeResult",
                &url,
                e["AccessKey"].as_str().expect("key"),
            )
            .await;
        let (xt, xu) = (
            x["AccessToken"].as_str().expect("t"),
            x["LocalUserId"].as_str().expect("u"),
        );
        w.get(
            "linked or guest user",
            "UserDto",
            &format!("{}/emby/Users/{xu}", srv.remote_url),
            xt,
        )
        .await;
    }

    // admin: link result
    let grandpa = sim.server("Grandpa's Server").expect("server");
    let gb = format!("{}/emby", grandpa.local_url);
    let ga = w
        .fetch(
            reqwest::Method::POST,
            &format!("{gb}/Users/AuthenticateByName"),
            "",
            Some(json!({"Username": "grandpa", "Pw": "grandpa"})),
        )
        .await;
    let (gt, gu) = (
        ga["AccessToken"].as_str().expect("t"),
        ga["User"]["Id"].as_str().expect("u"),
    );
    w.post(
        "link (new user invitation)",
        "ConnectUserLinkResult",
        &format!("{gb}/Users/{gu}/Connect/Link?ConnectUsername=someone@example.com"),
        gt,
        None,
    )
    .await;
    let friend = sim.server("Friend's Server").expect("server");
    let fa = w
        .fetch(
            reqwest::Method::POST,
            &format!("{}/emby/Users/AuthenticateByName", friend.local_url),
            "",
            Some(json!({"Username": "friend", "Pw": "friend"})),
        )
        .await;
    let (ft, fu) = (
        fa["AccessToken"].as_str().expect("t"),
        fa["User"]["Id"].as_str().expect("u"),
    );
    let _ = w
        .client
        .post(format!(
            "{}/emby/Users/{fu}/Connect/Link/Delete",
            friend.local_url
        ))
        .header("X-Emby-Token", ft)
        .send()
        .await;
    w.post(
        "link (pending)",
        "ConnectUserLinkResult",
        &format!(
            "{}/emby/Users/{fu}/Connect/Link?ConnectUsername=nobody@example.com",
            friend.local_url
        ),
        ft,
        None,
    )
    .await;
    // issue 11: a guest invitation (Living Room runs 4.6, which still has /Connect/Invite)
    let living = sim.server("Living Room").expect("server");
    let lb = format!("{}/emby", living.local_url);
    let la = w
        .fetch(
            reqwest::Method::POST,
            &format!("{lb}/Users/AuthenticateByName"),
            "",
            Some(json!({"Username": "demo", "Pw": "demo"})),
        )
        .await;
    let lt = la["AccessToken"].as_str().expect("t").to_string();
    w.post(
        "invite (pending guest)",
        "ConnectUserLinkResult",
        &format!("{lb}/Connect/Invite?ConnectUsername=friend&EnableLiveTv=false"),
        &lt,
        None,
    )
    .await;
    w.docs
}

async fn check(docs: &[Value]) -> Vec<(String, Vec<String>)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("docs.json");
    std::fs::write(&file, serde_json::to_vec(docs).expect("json")).expect("write");
    let out = run_script("check_models.py", &[file.display().to_string()]).await;
    assert!(
        out.success,
        "check_models.py failed:\n{}\n{}",
        out.stdout, out.stderr
    );
    let results = out.json();
    results
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| {
            let errors = r["errors"]
                .as_array()
                .map(|e| {
                    e.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            (r["label"].as_str().unwrap_or("?").to_string(), errors)
        })
        .collect()
}

#[tokio::test]
async fn every_server_reply_shape_matches_the_embyclient_models() {
    let path = format!("{}/assets/scenarios/demo.toml", env!("CARGO_MANIFEST_DIR"));
    let sim = Sim::start(Scenario::load(path).expect("demo"))
        .await
        .expect("sim");
    let docs = collect(&sim).await;
    assert!(docs.len() > 40, "walked {} documents", docs.len());
    let results = check(&docs).await;
    assert_eq!(results.len(), docs.len());
    let failures: Vec<String> = results
        .iter()
        .filter(|(_, e)| !e.is_empty())
        .map(|(label, e)| format!("{label}: {}", e.join("; ")))
        .collect();
    assert!(
        failures.is_empty(),
        "replies that do not match embyclient:\n{}",
        failures.join("\n")
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_model_checker_rejects_unknown_keys_wrong_types_and_bad_enums() {
    let good = json!({"Id": "a", "Name": "n", "UserData": {"Played": true}, "LocationType": "FileSystem", "ImageTags": {"Primary": "t"}, "ProviderIds": {"Imdb": "tt1"}});
    let cases = vec![
        json!({"label": "good", "model": "BaseItemDto", "doc": good}),
        json!({"label": "unknown key", "model": "BaseItemDto", "doc": {"Id": "a", "Colour": "red"}}),
        json!({"label": "wrong type", "model": "BaseItemDto", "doc": {"Id": 5}}),
        json!({"label": "nested wrong type", "model": "QueryResultBaseItemDto", "doc": {"Items": [{"UserData": {"Played": "yes"}}]}}),
        json!({"label": "list expected", "model": "QueryResultBaseItemDto", "doc": {"Items": "x"}}),
        json!({"label": "bad enum", "model": "BaseItemDto", "doc": {"LocationType": "Nowhere"}}),
        json!({"label": "bad date", "model": "BaseItemDto", "doc": {"DateCreated": "yesterday"}}),
        json!({"label": "unknown nested key", "model": "list[UserDto]", "doc": [{"Policy": {"IsAdmin": true}}]}),
        json!({"label": "provider id not a string", "model": "BaseItemDto", "doc": {"ProviderIds": {"Tmdb": 278}}}),
    ];
    let results = check(&cases).await;
    assert_eq!(results[0].1, Vec::<String>::new(), "a good document passes");
    for (label, errors) in &results[1..] {
        assert_eq!(errors.len(), 1, "{label}: {errors:?}");
    }
}
