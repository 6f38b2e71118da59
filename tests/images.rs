//! Posters (issue 13 §1): the details view and the home strip drawn with pictures in halfblocks
//! and with pictures off (TestBackend snapshots, pictures asked for through the real update
//! function and made by the worker's own function), a missing or broken picture as a
//! placeholder, and the session layer's side against emby-sim: the disk cache (by tag, a corrupt
//! file fetched again), 404s and non-pictures, and the token going only to its own server.

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use common::*;
use emby_tui::app::images::{self, Graphics, ImageKey, ImageMode, Images};
use emby_tui::app::{Action, Effect, HomeData, ImageRequest, Loaded, State, update};
use emby_tui::emby::models::BaseItemDto;
use emby_tui::session::{Event, ImageCache, ItemImage, ServerReport};
use emby_tui::sim::AddressKind;

const NOW: u64 = 1_700_000_000_000;
const SERVER: &str = "id-living-room";

fn terminal(state: &State) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    t.draw(|f| emby_tui::ui::draw(f, state)).unwrap();
    t
}

fn draw(state: &State) -> String {
    terminal(state).backend().to_string()
}

/// Applies an action; returns the pictures it asked for.
fn act(s: &mut State, a: Action) -> Vec<ImageRequest> {
    update(s, a)
        .into_iter()
        .filter_map(|e| match e {
            Effect::LoadImage(r) => Some(r),
            _ => None,
        })
        .collect()
}

fn key(s: &mut State, c: char) -> Vec<ImageRequest> {
    act(
        s,
        Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    )
}

/// Answers every request as the worker would, with the simulator's poster for the item (or
/// with no picture, when `missing` says so), until the screen asks for nothing more.
fn serve(s: &mut State, mut asked: Vec<ImageRequest>, missing: impl Fn(&ImageKey) -> bool) {
    while !asked.is_empty() {
        let mut next = Vec::new();
        for r in asked {
            let picture = if missing(&r.key) {
                None
            } else {
                let png = emby_tui::sim::media::png_image(&r.key.image.item_id, 200, 300);
                images::picture(&png, &r.graphics, r.key.cells)
            };
            next.extend(act(
                s,
                Action::ImageLoaded {
                    key: r.key,
                    picture,
                },
            ));
        }
        asked = next;
    }
}

fn item(name: &str, kind: &str, folder: bool, n: i32) -> BaseItemDto {
    let mut it = BaseItemDto {
        id: Some(format!("item-{name}")),
        name: Some(name.into()),
        item_type: Some(kind.into()),
        is_folder: Some(folder),
        production_year: (!folder).then_some(1990 + n),
        run_time_ticks: (!folder).then_some(i64::from(80 + n) * 60 * 10_000_000),
        child_count: folder.then_some(100 + n),
        ..Default::default()
    };
    it.image_tags
        .insert("Primary".into(), format!("tag-{}", name.len()));
    it
}

fn report() -> ServerReport {
    ServerReport {
        id: SERVER.into(),
        name: "Living Room".into(),
        source: "connect",
        state: "signed_in",
        mode: Some("local"),
        address: Some("http://192.168.1.11:8096".into()),
        local_address: Some("http://192.168.1.11:8096".into()),
        remote_address: None,
        manual_address: None,
        user_id: Some("u1".into()),
        user_name: Some("demo".into()),
        latency_ms: Some(12),
        error: None,
        link_type: Some("linked"),
        last_used_ms: NOW,
    }
}

/// The home of one server at `w`x`h`, pictures in `mode`; returns the pictures it asked for.
fn home(mode: ImageMode, w: u16, h: u16) -> (State, Vec<ImageRequest>) {
    let mut s = State::new("https://emby.media/pin");
    s.images = Images::new(mode);
    act(&mut s, Action::Resize(w, h));
    act(&mut s, Action::Tick(NOW));
    act(
        &mut s,
        Action::Started {
            connect_user: Some("demo".into()),
            servers: vec![report()],
            notices: vec![],
        },
    );
    act(&mut s, Action::Session(Event::Refreshed));
    act(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let generation = s.sessions[0].current().generation;
    let data = HomeData {
        views: vec![
            item("Movies", "CollectionFolder", true, 20),
            item("TV Shows", "CollectionFolder", true, 2),
        ],
        resume: vec![item("Wild Coast", "Movie", false, 2)],
        next_up: vec![],
        latest: vec![(
            "Movies".into(),
            [
                "Amber Harbor",
                "Blue Meridian",
                "Cold Orchard",
                "Dune Letters",
                "Ember Road",
                "Fog Lantern",
                "Glass River",
                "Hollow Peak",
                "Iron Tide",
                "Juniper Hill",
            ]
            .iter()
            .enumerate()
            .map(|(n, name)| item(name, "Movie", false, n as i32))
            .collect(),
        )],
    };
    let asked = act(
        &mut s,
        Action::Loaded {
            server_id: SERVER.into(),
            generation,
            result: Ok(Loaded::Home(data)),
        },
    );
    (s, asked)
}

/// The details of "Wild Coast", pictures in `mode`; returns the pictures it asked for.
fn details(mode: ImageMode, w: u16, h: u16) -> (State, Vec<ImageRequest>) {
    let (mut s, _) = home(mode, w, h);
    for _ in 0..2 {
        key(&mut s, 'j');
    }
    let mut asked = key(&mut s, 'i');
    let generation = s.sessions[0].current().generation;
    let mut it = item("Wild Coast", "Movie", false, 2);
    it.overview = Some("A lighthouse keeper finds a map that leads along the wild coast.".into());
    it.genres = vec!["Drama".into(), "Adventure".into()];
    it.official_rating = Some("PG-13".into());
    asked.extend(act(
        &mut s,
        Action::Loaded {
            server_id: SERVER.into(),
            generation,
            result: Ok(Loaded::Item(Box::new(it))),
        },
    ));
    (s, asked)
}

/// Cells drawn as halfblocks, with the colours of a picture.
fn picture_cells(buf: &Buffer) -> usize {
    buf.content()
        .iter()
        .filter(|c| {
            matches!(c.symbol(), "▀" | "▄" | " ")
                && matches!(c.fg, Color::Rgb(..))
                && matches!(c.bg, Color::Rgb(..))
        })
        .count()
}

#[test]
fn details_with_a_poster_in_halfblocks() {
    let (mut s, asked) = details(ImageMode::Halfblocks, 100, 30);
    assert_eq!(asked.len(), 1, "the poster of the item, once: {asked:?}");
    let want = asked[0].key.clone();
    assert_eq!(want.image.item_id, "item-Wild Coast");
    assert_eq!(
        (want.image.kind.as_str(), want.image.tag.as_str()),
        ("Primary", "tag-10")
    );
    // before it comes: a placeholder with the item's initial, and the text beside it
    let waiting = draw(&s);
    assert!(waiting.contains("│         W         │"), "{waiting}");
    serve(&mut s, asked, |_| false);
    let t = terminal(&s);
    // a 200x300 poster fills its 21x16 box (2:3 on cells twice as tall as wide)
    assert_eq!(want.cells, (21, 16));
    assert_eq!(picture_cells(t.backend().buffer()), 21 * 16);
    insta::assert_snapshot!(t.backend().to_string());
}

#[test]
fn home_with_a_poster_strip_in_halfblocks() {
    let (mut s, asked) = home(ImageMode::Halfblocks, 80, 24);
    // the cursor is on the first library: the strip shows the libraries, it first
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert_eq!(asked[0].key.image.item_id, "item-Movies");
    serve(&mut s, asked, |_| false);
    // down to the latest movies: their posters, as many as fit
    for _ in 0..2 {
        key(&mut s, 'j');
    }
    let asked = key(&mut s, 'j');
    assert_eq!(
        asked[0].key.image.item_id, "item-Amber Harbor",
        "the selected poster is asked first"
    );
    assert!(asked.len() <= images::MAX_IN_FLIGHT);
    serve(&mut s, asked, |_| false);
    let t = terminal(&s);
    assert!(picture_cells(t.backend().buffer()) > 6 * 8 * 5);
    // the selected poster's caption is highlighted, the others dim
    let buf = t.backend().buffer();
    let caption_row = s.size.1 - 4;
    assert!(buf[(2, caption_row)].modifier.contains(Modifier::REVERSED));
    assert!(!buf[(11, caption_row)].modifier.contains(Modifier::REVERSED));
    insta::assert_snapshot!(t.backend().to_string());
}

#[test]
fn with_pictures_off_the_screens_are_laid_out_as_before() {
    let (s, asked) = details(ImageMode::Off, 100, 30);
    assert!(asked.is_empty());
    let off = draw(&s);
    assert!(!off.contains('▀'));
    // the very frame the existing snapshot of these details holds, the poster-less layout
    assert!(off.contains("│ Wild Coast (1992)"), "{off}");
    insta::assert_snapshot!("details_off", off);
    let (s, asked) = home(ImageMode::Off, 80, 24);
    assert!(asked.is_empty());
    insta::assert_snapshot!("home_off", draw(&s));
}

#[test]
fn a_missing_or_broken_picture_is_a_placeholder_never_an_error() {
    let (mut s, asked) = details(ImageMode::Halfblocks, 100, 30);
    serve(&mut s, asked, |_| true);
    let screen = draw(&s);
    assert!(screen.contains("│         W         │"), "{screen}");
    assert_eq!(picture_cells(terminal(&s).backend().buffer()), 0);
    for word in ["error", "Error", "failed", "404"] {
        assert!(!screen.contains(word), "{screen}");
    }
    // an item that advertises no picture is not asked for at all
    let (mut s, _) = home(ImageMode::Halfblocks, 100, 30);
    let generation = s.sessions[0].current().generation;
    key(&mut s, 'i');
    let mut bare = item("Plain", "Movie", false, 1);
    bare.image_tags.clear();
    let asked = act(
        &mut s,
        Action::Loaded {
            server_id: SERVER.into(),
            generation: generation + 1,
            result: Ok(Loaded::Item(Box::new(bare))),
        },
    );
    assert!(asked.is_empty(), "{asked:?}");
    assert!(draw(&s).contains("│         P         │"));
}

// ---- the session layer and the worker against emby-sim ----

/// The first library of a server (it advertises a Primary image) and its picture.
async fn a_library(hub: &emby_tui::session::Hub, server: &str) -> ItemImage {
    let views = hub.views(server).await.unwrap().items;
    images::poster_of(&views[0]).expect("a library advertises its picture")
}

fn image_requests(sim: &emby_tui::sim::Sim, server: &str) -> usize {
    sim.requests(server, AddressKind::Local)
        .iter()
        .filter(|r| r.path.contains("/Images/"))
        .count()
}

/// What the worker makes of a request for `image` of `server` in an 8x12 box.
async fn load(hub: &emby_tui::session::Hub, server: &str, image: ItemImage) -> Action {
    let request = ImageRequest {
        key: ImageKey {
            server_id: server.into(),
            image,
            cells: (8, 12),
        },
        graphics: Graphics::halfblocks(),
    };
    emby_tui::worker::perform(hub, Effect::LoadImage(request))
        .await
        .expect("an answer")
}

fn picture_of(action: &Action) -> Option<(u16, u16)> {
    match action {
        Action::ImageLoaded { picture, .. } => picture.as_ref().map(|p| p.size),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn pictures_are_kept_on_disk_by_tag_and_a_corrupt_copy_is_fetched_again() {
    let (sim, dir, hub) = reached_demo().await;
    let living = id_of(&sim, "Living Room");
    let image = a_library(&hub, &living).await;
    sim.clear_requests();

    // fetched once, with its tag and a width, then kept: the second time comes from disk
    let first = load(&hub, &living, image.clone()).await;
    assert!(picture_of(&first).is_some(), "{first:?}");
    let asked: Vec<_> = sim
        .requests(&living, AddressKind::Local)
        .into_iter()
        .filter(|r| r.path.contains("/Images/"))
        .collect();
    assert_eq!(asked.len(), 1);
    assert!(
        asked[0]
            .path
            .ends_with(&format!("/Items/{}/Images/Primary", image.item_id)),
        "{}",
        asked[0].path
    );
    assert!(asked[0].query.contains(&format!("tag={}", image.tag)));
    assert!(asked[0].query.contains("maxWidth=400"));
    assert!(picture_of(&load(&hub, &living, image.clone()).await).is_some());
    assert_eq!(
        image_requests(&sim, &living),
        1,
        "the second came from disk"
    );

    let kept = dir.path().join("cache/images");
    let file = kept.join(ImageCache::file_name(&living, &image));
    assert!(file.is_file());

    // a changed tag is another picture: fetched, kept beside the first
    let retagged = ItemImage {
        tag: format!("{}-new", image.tag),
        ..image.clone()
    };
    assert!(picture_of(&load(&hub, &living, retagged.clone()).await).is_some());
    assert_eq!(image_requests(&sim, &living), 2);
    assert!(
        kept.join(ImageCache::file_name(&living, &retagged))
            .is_file()
    );

    // a kept file cut short is fetched again and replaced
    let whole = std::fs::read(&file).unwrap();
    std::fs::write(&file, &whole[..whole.len() / 3]).unwrap();
    assert!(picture_of(&load(&hub, &living, image.clone()).await).is_some());
    assert_eq!(image_requests(&sim, &living), 3);
    assert_eq!(std::fs::read(&file).unwrap(), whole);
}

#[tokio::test]
async fn a_404_or_a_reply_that_is_not_a_picture_gives_no_picture_and_keeps_nothing() {
    let (sim, _dir, hub) = reached_demo().await;
    let living = id_of(&sim, "Living Room");
    let image = a_library(&hub, &living).await;
    let unknown = ItemImage {
        item_id: "00000000000000000000000000000000".into(),
        ..image.clone()
    };
    assert_eq!(
        picture_of(&load(&hub, &living, unknown.clone()).await),
        None
    );
    let err = hub
        .image(&living, &unknown, |_| Some(()))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("404"), "{err}");

    fault_everywhere(
        &sim,
        &living,
        emby_tui::sim::Fault {
            broken_images: true,
            ..Default::default()
        },
    );
    assert_eq!(picture_of(&load(&hub, &living, image.clone()).await), None);
    assert!(
        hub.image(&living, &image, images::decode)
            .await
            .unwrap()
            .is_none(),
        "a page that is not a picture"
    );
    assert_eq!(hub.image_cache().read(&living, &image), None, "not kept");
    assert_eq!(hub.image_cache().used(), 0);
}

#[tokio::test]
async fn an_image_request_carries_only_its_own_servers_token() {
    let (sim, _dir, hub) = reached_demo().await;
    let living = id_of(&sim, "Living Room");
    let image = a_library(&hub, &living).await;
    sim.clear_requests();
    assert!(picture_of(&load(&hub, &living, image).await).is_some());
    let token = hub
        .credentials()
        .servers
        .iter()
        .find(|s| s.id == living)
        .and_then(|s| s.access_token.clone())
        .expect("signed in");
    let asked: Vec<_> = sim
        .requests(&living, AddressKind::Local)
        .into_iter()
        .filter(|r| r.path.contains("/Images/"))
        .collect();
    assert_eq!(asked.len(), 1);
    assert!(
        asked[0]
            .header("x-emby-authorization")
            .is_some_and(|h| h.contains(token.expose())),
        "the picture is asked for in the server's own session"
    );
    for other in sim.servers().iter().filter(|s| s.id != living) {
        for kind in [AddressKind::Local, AddressKind::Remote] {
            assert!(
                !sim.requests(&other.id, kind)
                    .iter()
                    .any(|r| r.mentions(token.expose())),
                "{} saw Living Room's token",
                other.name
            );
        }
    }
}

#[tokio::test]
async fn every_item_that_advertises_a_picture_is_served_one() {
    let (sim, _dir, hub) = reached_demo().await;
    let living = id_of(&sim, "Living Room");
    let views = hub.views(&living).await.unwrap().items;
    let mut seen = 0;
    for view in &views {
        let q = emby_tui::emby::server::ItemsQuery {
            parent_id: view.id.clone(),
            limit: Some(3),
            ..Default::default()
        };
        for it in hub
            .items(&living, &q)
            .await
            .unwrap()
            .items
            .iter()
            .chain([view])
        {
            let Some(image) = images::poster_of(it) else {
                continue;
            };
            let decoded = hub.image(&living, &image, images::decode).await.unwrap();
            let img = decoded.unwrap_or_else(|| panic!("{:?} is a picture", it.name));
            let shape = f64::from(img.width()) / f64::from(img.height());
            assert!(
                (shape - images::aspect_of(it)).abs() < 0.05,
                "{:?}: {shape} as its kind says",
                it.item_type
            );
            seen += 1;
        }
    }
    assert!(seen >= 6, "{seen}");
}

#[test]
fn the_strip_takes_rows_from_the_home_list_and_the_cursor_stays_above_it() {
    let (mut s, asked) = home(ImageMode::Halfblocks, 80, 24);
    serve(&mut s, asked, |_| false);
    assert_eq!(
        s.list_height(),
        11,
        "18 rows less 6 of posters and 1 of captions"
    );
    for _ in 0..20 {
        let asked = key(&mut s, 'j');
        serve(&mut s, asked, |_| false);
    }
    let screen = draw(&s);
    let lines: Vec<&str> = screen.lines().collect();
    // the last movie is selected, on the last row of the list, right above the strip
    assert!(lines[13].contains("Juniper Hill (1999)"), "{screen}");
    assert!(lines[20].contains("Juniper…"), "{screen}");
    assert!(
        lines[20].contains("Cold Or…"),
        "the strip stays full: {screen}"
    );
}
