//! The synthetic library through the HTTP API: paging, filters, user data, media.

use emby_tui::sim::{Scenario, Sim};
use serde_json::Value;

use super::common::*;

async fn living_room() -> (Sim, String, String, String) {
    let sim = demo().await;
    let s = server(&sim, "Living Room");
    let (token, user) = sign_in(&s.local_url, "demo", "demo", "dev-lib").await;
    (sim, s.local_url, token, user)
}

async fn view_id(base: &str, token: &str, user: &str, collection: &str) -> String {
    let (_, views) = get(&format!("{base}/emby/Users/{user}/Views"), token).await;
    let items = views["Items"].as_array().unwrap();
    items
        .iter()
        .find(|v| v["CollectionType"] == collection)
        .unwrap()["Id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn views_list_the_three_libraries_with_stable_ids() {
    let (sim, base, token, user) = living_room().await;
    let (st, v) = get(&format!("{base}/emby/Users/{user}/Views"), &token).await;
    assert_eq!(st, 200);
    assert_eq!(v["TotalRecordCount"], 3);
    let first = v["Items"][0]["Id"].clone();
    sim.shutdown().await;
    // a second run of the same scenario gives the same ids
    let (sim, base, token, user) = living_room().await;
    let (_, again) = get(&format!("{base}/emby/Users/{user}/Views"), &token).await;
    assert_eq!(again["Items"][0]["Id"], first);
    sim.shutdown().await;
}

#[tokio::test]
async fn series_seasons_episodes_and_item_detail() {
    let (sim, base, token, user) = living_room().await;
    let shows = view_id(&base, &token, &user, "tvshows").await;
    let (_, series) = get(
        &format!("{base}/emby/Users/{user}/Items?ParentId={shows}"),
        &token,
    )
    .await;
    assert_eq!(series["TotalRecordCount"], 12);
    let sid = series["Items"][0]["Id"].as_str().unwrap();
    assert_eq!(series["Items"][0]["Type"], "Series");
    let (_, seasons) = get(
        &format!("{base}/emby/Users/{user}/Items?ParentId={sid}"),
        &token,
    )
    .await;
    assert_eq!(seasons["TotalRecordCount"], 3);
    let season = seasons["Items"][1]["Id"].as_str().unwrap();
    let (_, eps) = get(
        &format!("{base}/emby/Users/{user}/Items?ParentId={season}&Fields=Overview,MediaSources"),
        &token,
    )
    .await;
    assert_eq!(eps["TotalRecordCount"], 10);
    let ep = &eps["Items"][0];
    assert_eq!(ep["Type"], "Episode");
    assert_eq!(ep["ParentIndexNumber"], 2);
    assert_eq!(ep["IndexNumber"], 1);
    assert_eq!(ep["SeriesId"], sid);
    assert_eq!(ep["SeasonId"], season);
    assert!(ep["Overview"].is_string());
    let (st, detail) = get(
        &format!(
            "{base}/emby/Users/{user}/Items/{}",
            ep["Id"].as_str().unwrap()
        ),
        &token,
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(detail["Name"], ep["Name"]);
    assert!(detail["Genres"].is_array());
    let (st, _) = get(
        &format!("{base}/emby/Users/{user}/Items/0123456789abcdef0123456789abcdef"),
        &token,
    )
    .await;
    assert_eq!(st, 404);
    let (st, root) = get(&format!("{base}/emby/Users/{user}/Items/Root"), &token).await;
    assert_eq!(st, 200);
    assert_eq!(root["Type"], "UserRootFolder");
    sim.shutdown().await;
}

#[tokio::test]
async fn search_sort_and_type_filters() {
    let (sim, base, token, user) = living_room().await;
    let (_, found) = get(
        &format!(
            "{base}/emby/Users/{user}/Items?Recursive=true&IncludeItemTypes=Movie&SearchTerm=amber"
        ),
        &token,
    )
    .await;
    let items = found["Items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|i| i["Name"].as_str().unwrap().to_lowercase().contains("amber"))
    );
    let (_, newest) = get(
        &format!("{base}/emby/Users/{user}/Items?Recursive=true&IncludeItemTypes=Movie&SortBy=DateCreated&SortOrder=Descending&Limit=3&Fields=DateCreated"),
        &token,
    )
    .await;
    let dates: Vec<&str> = newest["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["DateCreated"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] > w[1]));
    let (_, tracks) = get(
        &format!("{base}/emby/Users/{user}/Items?Recursive=True&IncludeItemTypes=Audio&Limit=1"),
        &token,
    )
    .await;
    assert_eq!(tracks["TotalRecordCount"], 200);
    assert_eq!(tracks["Items"][0]["Type"], "Audio");
    sim.shutdown().await;
}

#[tokio::test]
async fn played_and_favourite_change_user_data() {
    let (sim, base, token, user) = living_room().await;
    let movies = view_id(&base, &token, &user, "movies").await;
    let list =
        format!("{base}/emby/Users/{user}/Items?ParentId={movies}&Filters=IsUnplayed&Limit=1");
    let (_, unplayed) = get(&list, &token).await;
    let before = unplayed["TotalRecordCount"].as_u64().unwrap();
    let id = unplayed["Items"][0]["Id"].as_str().unwrap().to_string();
    let c = client();
    let r: Value = c
        .post(format!("{base}/emby/Users/{user}/PlayedItems/{id}"))
        .header("X-Emby-Token", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["Played"], true);
    assert_eq!(r["ItemId"], id.as_str());
    let (_, after) = get(&list, &token).await;
    assert_eq!(after["TotalRecordCount"].as_u64().unwrap(), before - 1);
    let (_, detail) = get(&format!("{base}/emby/Users/{user}/Items/{id}"), &token).await;
    assert_eq!(detail["UserData"]["Played"], true);

    let r: Value = c
        .post(format!("{base}/emby/Users/{user}/PlayedItems/{id}/Delete"))
        .header("X-Emby-Token", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["Played"], false);
    let r: Value = c
        .post(format!("{base}/emby/Users/{user}/FavoriteItems/{id}"))
        .header("X-Emby-Token", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["IsFavorite"], true);
    let (_, favs) = get(
        &format!("{base}/emby/Users/{user}/Items?Recursive=true&IsFavorite=true&Ids={id}"),
        &token,
    )
    .await;
    assert_eq!(favs["TotalRecordCount"], 1);
    let r: Value = c
        .delete(format!("{base}/emby/Users/{user}/FavoriteItems/{id}"))
        .header("X-Emby-Token", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["IsFavorite"], false);
    sim.shutdown().await;
}

#[tokio::test]
async fn resume_latest_and_next_up_have_content() {
    let (sim, base, token, user) = living_room().await;
    let (_, resume) = get(
        &format!("{base}/emby/Users/{user}/Items/Resume?Limit=12&Recursive=true&MediaTypes=Video"),
        &token,
    )
    .await;
    let items = resume["Items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|i| i["UserData"]["PlaybackPositionTicks"].as_i64().unwrap() > 0)
    );
    let movies = view_id(&base, &token, &user, "movies").await;
    let (st, latest) = get(
        &format!("{base}/emby/Users/{user}/Items/Latest?ParentId={movies}&Limit=5"),
        &token,
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(
        latest.as_array().unwrap().len(),
        5,
        "Latest is a plain array"
    );
    let (_, next) = get(
        &format!("{base}/emby/Shows/NextUp?UserId={user}&Limit=24"),
        &token,
    )
    .await;
    let eps = next["Items"].as_array().unwrap();
    assert!(!eps.is_empty());
    assert!(
        eps.iter()
            .all(|e| e["Type"] == "Episode" && e["UserData"]["Played"] == false)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn images_playback_info_and_streams() {
    let (sim, base, token, user) = living_room().await;
    let movies = view_id(&base, &token, &user, "movies").await;
    let (_, list) = get(
        &format!("{base}/emby/Users/{user}/Items?ParentId={movies}&Limit=1"),
        &token,
    )
    .await;
    let id = list["Items"][0]["Id"].as_str().unwrap();
    let tag = list["Items"][0]["ImageTags"]["Primary"].as_str().unwrap();
    let c = client();
    let img = c
        .get(format!(
            "{base}/emby/Items/{id}/Images/Primary?maxWidth=100&tag={tag}"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(img.status(), 200);
    assert_eq!(img.headers()["content-type"], "image/png");
    let png = img.bytes().await.unwrap();
    assert_eq!(&png[..4], b"\x89PNG");

    let info: Value = c
        .post(format!("{base}/emby/Items/{id}/PlaybackInfo?UserId={user}"))
        .header("X-Emby-Token", &token)
        .json(&serde_json::json!({"DeviceProfile": {}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let source = &info["MediaSources"][0];
    assert!(info["PlaySessionId"].is_string());
    let url = format!(
        "{base}/emby{}&api_key={token}",
        source["DirectStreamUrl"].as_str().unwrap()
    );
    // the file lasts the whole runtime (hundreds of MB of test pattern, generated as it is
    // read): its length is checked from the header and a read of its last bytes, not in full
    let size = source["Size"].as_u64().unwrap();
    let media = c.get(&url).send().await.unwrap();
    assert_eq!(media.status(), 200);
    assert_eq!(media.content_length(), Some(size));
    drop(media);
    let tail = c
        .get(&url)
        .header("Range", format!("bytes={}-", size - 10))
        .send()
        .await
        .unwrap();
    assert_eq!(tail.status(), 206);
    assert_eq!(tail.bytes().await.unwrap().len(), 10);
    let part = c
        .get(&url)
        .header("Range", "bytes=0-9")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(&part.bytes().await.unwrap()[..], b"YUV4MPEG2 ");
    let no_key = c
        .get(format!("{base}/emby/Videos/{id}/stream.y4m?Static=true"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_key.status(), 401);
    sim.shutdown().await;
}

#[tokio::test]
async fn large_library_pages_near_the_end_and_past_it() {
    let sim = Sim::start(Scenario::load(scenario_path("large.toml")).unwrap())
        .await
        .unwrap();
    let s = server(&sim, "Archive");
    let (token, user) = sign_in(&s.local_url, "large", "large", "dev-large").await;
    let movies = view_id(&s.local_url, &token, &user, "movies").await;
    let page = |start: usize| {
        format!(
            "{}/emby/Users/{user}/Items?ParentId={movies}&SortBy=SortName&SortOrder=Ascending&StartIndex={start}&Limit=50",
            s.local_url
        )
    };
    let (_, end) = get(&page(99_980), &token).await;
    assert_eq!(end["TotalRecordCount"], 100_000);
    let items = end["Items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    let (_, last) = get(
        &format!(
            "{}/emby/Users/{user}/Items/{}",
            s.local_url,
            items[19]["Id"].as_str().unwrap()
        ),
        &token,
    )
    .await;
    assert_eq!(last["Name"], items[19]["Name"]);
    let (_, past) = get(&page(100_000), &token).await;
    assert_eq!(past["Items"].as_array().unwrap().len(), 0);
    assert_eq!(past["TotalRecordCount"], 100_000);
    // whole-library recursive count: every item below the views
    let (_, all) = get(
        &format!(
            "{}/emby/Users/{user}/Items?Recursive=true&Limit=0",
            s.local_url
        ),
        &token,
    )
    .await;
    let cfg = &Scenario::load(scenario_path("large.toml")).unwrap().servers[0].library;
    assert_eq!(
        all["TotalRecordCount"].as_u64().unwrap(),
        cfg.total_items() + 3
    );
    sim.shutdown().await;
}

#[test]
fn shipped_scenarios_load() {
    for name in ["demo.toml", "large.toml"] {
        let s = Scenario::load(scenario_path(name)).unwrap_or_else(|e| panic!("{name}: {e:#}"));
        assert!(!s.servers.is_empty());
    }
    let large = Scenario::load(scenario_path("large.toml")).unwrap();
    assert!(large.servers[0].library.total_items() >= 100_000);
}

/// The demo's shared titles: the same provider ids on several servers under their names and
/// years, other titles with ids of their own, and the people search.
#[tokio::test]
async fn shared_titles_carry_the_same_provider_ids_and_people_are_found() {
    let sim = demo().await;
    let mut long_night = Vec::new();
    let mut ferries = Vec::new();
    for name in ["Living Room", "Cabin", "Friend's Server"] {
        let s = server(&sim, name);
        let (user_name, pw) = match name {
            "Living Room" => ("demo", "demo"),
            "Cabin" => ("cabin", "cabin"),
            _ => ("friend", "friend"),
        };
        // Cabin's LocalAddress is black-holed: every server through its remote Url
        let (token, user) = sign_in(&s.remote_url, user_name, pw, "dev-shared").await;
        let base = &s.remote_url;
        let (_, found) = get(
            &format!("{base}/emby/Users/{user}/Items?Recursive=true&IncludeItemTypes=Movie&SearchTerm=the long night&Fields=ProviderIds"),
            &token,
        )
        .await;
        let items = found["Items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{name}: {found}");
        long_night.push(items[0]["ProviderIds"].clone());
        let (_, found) = get(
            &format!("{base}/emby/Users/{user}/Items?Recursive=true&IncludeItemTypes=Movie&SearchTerm=midnight ferry&Fields=ProviderIds"),
            &token,
        )
        .await;
        for it in found["Items"].as_array().unwrap() {
            ferries.push((it["ProductionYear"].clone(), it["ProviderIds"].clone()));
        }
        // a title renamed by the scenario still lists in name order
        let (_, all) = get(
            &format!("{base}/emby/Users/{user}/Items?Recursive=true&IncludeItemTypes=Movie&SortBy=SortName&Fields=SortName"),
            &token,
        )
        .await;
        let names: Vec<String> = all["Items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["SortName"].as_str().unwrap().to_string())
            .collect();
        assert!(names.windows(2).all(|w| w[0] <= w[1]), "{name}: {names:?}");
        let (st, people) = get(
            &format!("{base}/emby/Persons?UserId={user}&SearchTerm=ada&Fields=ProviderIds"),
            &token,
        )
        .await;
        assert_eq!(st, 200);
        assert_eq!(people["Items"][0]["Name"], "Ada Quill", "{people}");
        assert_eq!(people["Items"][0]["Type"], "Person");
        assert!(people["Items"][0]["ProviderIds"]["Imdb"].is_string());
    }
    assert_eq!(long_night[0]["Imdb"], "tt7000001");
    assert_eq!(long_night[1], long_night[0], "the same ids on Cabin");
    assert_eq!(
        long_night[2]["Tmdb"], "700001",
        "Friend's names it differently"
    );
    // the 1998 film on two servers shares its Imdb id; the 2011 one has ids of its own
    let by_year = |y: i64| -> Vec<&Value> {
        ferries
            .iter()
            .filter(|(year, _)| *year == y)
            .map(|(_, ids)| ids)
            .collect()
    };
    assert!(by_year(1998).iter().all(|ids| ids["Imdb"] == "tt7000002"));
    assert_eq!(by_year(1998).len(), 2);
    let other = by_year(2011);
    assert_eq!(other.len(), 1);
    assert_ne!(other[0]["Imdb"], "tt7000002");
    assert!(other[0]["Imdb"].as_str().unwrap().starts_with("tt"));
    sim.shutdown().await;
}
