//! The update function on its own: generations, mouse, resize, secrets.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::browse::View;
use super::*;
use crate::emby::models::BaseItemDto;
use crate::session::ServerReport;

fn report(id: &str) -> ServerReport {
    ServerReport {
        id: id.into(),
        name: id.to_uppercase(),
        source: "manual",
        state: "signed_in",
        mode: Some("manual"),
        address: None,
        local_address: None,
        remote_address: None,
        manual_address: None,
        user_id: None,
        user_name: None,
        latency_ms: None,
        error: None,
        link_type: None,
        last_used_ms: 0,
    }
}

fn ctrl(s: &mut State, c: char) -> Vec<Effect> {
    update(
        s,
        Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn items(start: usize, n: usize) -> Vec<BaseItemDto> {
    (start..start + n)
        .map(|i| BaseItemDto {
            id: Some(format!("i{i}")),
            name: Some(format!("item {i}")),
            ..Default::default()
        })
        .collect()
}

/// A state with server "a" open on a list of `total` items, the first page loaded.
fn on_a_list(total: usize) -> (State, u64) {
    let mut s = State::new("pin");
    update(&mut s, Action::Resize(80, 24));
    update(
        &mut s,
        Action::Started {
            connect_user: None,
            servers: vec![report("a"), report("b")],
            notices: vec![],
        },
    );
    let e = key(&mut s, KeyCode::Enter);
    let Some(Effect::Load { generation, .. }) = e.first() else {
        panic!("{e:?}")
    };
    let folder = BaseItemDto {
        id: Some("f".into()),
        name: Some("Folder".into()),
        is_folder: Some(true),
        ..Default::default()
    };
    update(
        &mut s,
        Action::Loaded {
            server_id: "a".into(),
            generation: *generation,
            result: Ok(Loaded::Home(HomeData {
                views: vec![folder],
                ..Default::default()
            })),
        },
    );
    let e = key(&mut s, KeyCode::Enter);
    let Some(Effect::Load {
        generation,
        request: Request::Page { start: 0, .. },
        ..
    }) = e.first()
    else {
        panic!("{e:?}")
    };
    let g = *generation;
    update(
        &mut s,
        Action::Loaded {
            server_id: "a".into(),
            generation: g,
            result: Ok(Loaded::Page {
                start: 0,
                total,
                items: items(0, total.min(100)),
            }),
        },
    );
    (s, g)
}

fn list(s: &State) -> &paging::PagedList {
    match &s.sessions[s.active].current().view {
        View::List(l) => &l.list,
        _ => panic!("not a list"),
    }
}

#[test]
fn an_answer_for_a_screen_left_is_dropped() {
    let (mut s, g) = on_a_list(1000);
    key(&mut s, KeyCode::Esc); // back home
    update(
        &mut s,
        Action::Loaded {
            server_id: "a".into(),
            generation: g,
            result: Ok(Loaded::Page {
                start: 100,
                total: 1000,
                items: items(100, 100),
            }),
        },
    );
    assert!(matches!(s.sessions[0].current().view, View::Home(_)));
}

#[test]
fn a_reload_drops_answers_of_the_previous_generation() {
    let (mut s, g) = on_a_list(1000);
    let e = key(&mut s, KeyCode::Char('r'));
    assert!(!e.is_empty());
    update(
        &mut s,
        Action::Loaded {
            server_id: "a".into(),
            generation: g,
            result: Ok(Loaded::Page {
                start: 0,
                total: 5,
                items: items(0, 5),
            }),
        },
    );
    assert_eq!(list(&s).total, None, "the stale answer did not land");
}

#[test]
fn moving_asks_only_for_missing_pages_and_end_only_for_the_last() {
    let (mut s, _) = on_a_list(100_000);
    assert!(key(&mut s, KeyCode::Char('j')).is_empty(), "page 0 is here");
    let e = key(&mut s, KeyCode::End);
    let starts: Vec<usize> = e
        .iter()
        .filter_map(|e| match e {
            Effect::Load {
                request: Request::Page { start, .. },
                ..
            } => Some(*start),
            _ => None,
        })
        .collect();
    assert_eq!(starts, vec![99_900]);
    assert_eq!(list(&s).cursor, 99_999);
}

#[test]
fn the_mouse_scrolls_clicks_a_row_and_clicks_a_tab() {
    let (mut s, _) = on_a_list(1000);
    let ev = |kind, column, row| {
        Action::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut s, ev(MouseEventKind::ScrollDown, 10, 10));
    assert_eq!(list(&s).cursor, 3);
    let rows = layout::session_rows(s.areas().body);
    update(
        &mut s,
        ev(MouseEventKind::Down(MouseButton::Left), 10, rows.y + 7),
    );
    assert_eq!(list(&s).cursor, 7);
    // the "Servers" tab
    let (_, from, _) = tab_spans(&s)
        .into_iter()
        .find(|(t, _, _)| *t == Tab::Servers)
        .unwrap();
    update(
        &mut s,
        ev(MouseEventKind::Down(MouseButton::Left), from + 1, 0),
    );
    assert_eq!(s.pane, Pane::Servers);
}

#[test]
fn a_resize_keeps_the_cursor_visible() {
    let (mut s, _) = on_a_list(1000);
    for _ in 0..15 {
        key(&mut s, KeyCode::Char('j'));
    }
    update(&mut s, Action::Resize(80, 10));
    let l = list(&s);
    let h = s.list_height();
    assert!(
        l.cursor >= l.top && l.cursor < l.top + h,
        "{} {} {h}",
        l.cursor,
        l.top
    );
}

#[test]
fn errors_never_end_the_program() {
    let (mut s, g) = on_a_list(1000);
    update(
        &mut s,
        Action::Loaded {
            server_id: "a".into(),
            generation: g,
            result: Err("boom".into()),
        },
    );
    update(&mut s, Action::ServerOpFailed("bad".into()));
    update(
        &mut s,
        Action::Loaded {
            server_id: "nobody".into(),
            generation: 999,
            result: Err("x".into()),
        },
    );
    assert!(!s.quit);
    assert_eq!(list(&s).error.as_deref(), Some("boom"));
}

#[test]
fn passwords_never_show_in_debug_output() {
    let mut s = State::new("pin");
    s.pane = Pane::SignIn;
    key(&mut s, KeyCode::Char('m'));
    key(&mut s, KeyCode::Tab);
    for c in "hunter2".chars() {
        key(&mut s, KeyCode::Char(c));
    }
    assert!(!format!("{s:?}").contains("hunter2"));
    let e = key(&mut s, KeyCode::Enter);
    assert!(s.signin.connect_password.is_empty());
    assert!(!format!("{e:?}").contains("hunter2"));
}

#[test]
fn quit_and_help_everywhere_but_text_fields_take_letters() {
    let mut s = State::new("pin");
    s.pane = Pane::SignIn;
    key(&mut s, KeyCode::Char('q'));
    assert!(!s.quit);
    assert_eq!(s.signin.connect_user, "q");
    key(&mut s, KeyCode::F(1));
    assert!(matches!(s.overlay, Some(Overlay::Help { .. })));
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.pane, Pane::Servers);
    key(&mut s, KeyCode::Char('q'));
    assert!(s.quit);
}

fn paste(s: &mut State, text: &str) -> Vec<Effect> {
    update(s, Action::Paste(text.into()))
}

const MESSY: &str = "  ann\tlee\u{7}\u{1b}x\r\nsecond line\n";
const CLEANED: &str = "  ann leex";

#[test]
fn a_paste_goes_whole_into_each_sign_in_field_as_one_clean_line() {
    let mut s = State::new("pin");
    s.pane = Pane::SignIn;
    // Emby Connect: name, then password
    assert!(paste(&mut s, MESSY).is_empty(), "a paste never submits");
    assert_eq!(s.signin.connect_user, CLEANED);
    key(&mut s, KeyCode::Tab);
    paste(&mut s, MESSY);
    assert_eq!(s.signin.connect_password.take().expose(), CLEANED);
    // a server's address
    ctrl(&mut s, 'n');
    ctrl(&mut s, 'n');
    assert_eq!(s.signin.method, signin::Method::Address);
    paste(&mut s, "http://10.0.0.2:8096\nhttp://other");
    assert_eq!(s.signin.address, "http://10.0.0.2:8096");
    // a known server's local user and password
    s.signin.for_server(&report("a"));
    paste(&mut s, MESSY);
    assert_eq!(s.signin.local_user, CLEANED);
    key(&mut s, KeyCode::Tab);
    paste(&mut s, MESSY);
    assert_eq!(s.signin.local_password.take().expose(), CLEANED);
    assert_eq!(s.pane, Pane::SignIn);
}

#[test]
fn a_paste_goes_into_the_search_prompt_as_one_clean_line() {
    let mut s = State::new("pin");
    s.overlay = Some(Overlay::Search(TextInput::new("x")));
    assert!(paste(&mut s, MESSY).is_empty(), "a paste never submits");
    assert!(matches!(&s.overlay, Some(Overlay::Search(t)) if t.value() == format!("x{CLEANED}")));
}

#[test]
fn a_huge_paste_is_capped_and_typing_stops_at_the_same_cap() {
    use super::text::FIELD_MAX_CHARS;
    let huge = "y".repeat(100 * 1024);
    let mut s = State::new("pin");
    s.pane = Pane::SignIn;
    paste(&mut s, &huge);
    assert_eq!(s.signin.connect_user.len(), FIELD_MAX_CHARS);
    key(&mut s, KeyCode::Char('z'));
    assert!(!s.signin.connect_user.value().contains('z'));
    key(&mut s, KeyCode::Tab);
    paste(&mut s, &huge);
    assert_eq!(s.signin.connect_password.len(), FIELD_MAX_CHARS);

    s.overlay = Some(Overlay::Search(TextInput::default()));
    paste(&mut s, &huge);
    paste(&mut s, &huge);
    assert!(matches!(&s.overlay, Some(Overlay::Search(t)) if t.len() == FIELD_MAX_CHARS));
}

#[test]
fn a_paste_outside_a_text_field_does_nothing() {
    let mut s = State::new("pin");
    update(
        &mut s,
        Action::Started {
            connect_user: None,
            servers: vec![report("a")],
            notices: vec![],
        },
    );
    // the servers pane: pasted letters are not commands
    assert_eq!(s.pane, Pane::Servers);
    assert!(paste(&mut s, "q\rD").is_empty());
    assert!(!s.quit);
    assert_eq!(s.servers.rows.len(), 1);
    // the help overlay over the sign-in pane: stays open, the fields stay empty
    s.pane = Pane::SignIn;
    key(&mut s, KeyCode::F(1));
    paste(&mut s, "abc");
    assert!(matches!(s.overlay, Some(Overlay::Help { .. })));
    s.overlay = None;
    assert!(s.signin.connect_user.is_empty());
    // the PIN has no field
    ctrl(&mut s, 'n');
    assert_eq!(s.signin.method, signin::Method::Pin);
    assert!(paste(&mut s, "1234\r").is_empty());
    ctrl(&mut s, 'p');
    assert!(s.signin.connect_user.is_empty());
}

#[test]
fn ctrl_l_asks_for_a_repaint_in_every_mode_and_changes_nothing_else() {
    let ctrl_l = || Action::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL));
    let redraw_in = |s: &mut State, mode: Mode| {
        assert_eq!(s.mode(), mode);
        assert!(update(s, ctrl_l()).is_empty(), "{mode:?}");
        assert!(s.take_repaint(), "{mode:?}: a repaint is asked for");
        assert!(!s.take_repaint(), "{mode:?}: once");
        assert_eq!(s.mode(), mode, "the overlay or pane stays");
    };
    let (mut s, _) = on_a_list(10);
    redraw_in(&mut s, Mode::Session);
    key(&mut s, KeyCode::Char('/'));
    redraw_in(&mut s, Mode::Search);
    assert!(
        matches!(&s.overlay, Some(Overlay::Search(t)) if t.is_empty()),
        "no l typed"
    );
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Char('?'));
    redraw_in(&mut s, Mode::Help);
    key(&mut s, KeyCode::Esc);
    s.pane = Pane::Servers;
    redraw_in(&mut s, Mode::Servers);
    s.connect_user = Some("demo".into());
    key(&mut s, KeyCode::Char('i'));
    redraw_in(&mut s, Mode::Invitations);
    s.overlay = None;
    s.pane = Pane::SignIn;
    redraw_in(&mut s, Mode::SignIn);
    assert!(s.signin.connect_user.is_empty(), "no l typed");
}

#[test]
fn a_click_below_the_minimum_size_does_nothing() {
    let (mut s, _) = on_a_list(10);
    s.pane = Pane::Servers;
    update(&mut s, Action::Resize(layout::MIN_WIDTH - 1, 30));
    // where the first server row would be at a usable size: not opened, not selected
    let click = |row| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 2,
        row,
        modifiers: KeyModifiers::NONE,
    };
    for row in 0..30 {
        assert!(update(&mut s, Action::Mouse(click(row))).is_empty());
    }
    assert_eq!(s.pane, Pane::Servers);
}

// ---- the screen cache: open on the last screen at once, marked cached until the server answers ----

fn restarted_from(cache: &cache::UiCache) -> State {
    let bytes = serde_json::to_vec(cache).unwrap();
    let mut s = State::new("pin");
    update(&mut s, Action::Resize(80, 24));
    update(
        &mut s,
        Action::Started {
            connect_user: None,
            servers: vec![report("a"), report("b")],
            notices: vec![],
        },
    );
    cache::UiCache::decode(&bytes)
        .expect("a cache of this version decodes")
        .restore(&mut s);
    s
}

#[test]
fn the_last_screen_comes_back_from_the_cache_marked_cached() {
    let (mut s, _) = on_a_list(1000);
    for _ in 0..5 {
        key(&mut s, KeyCode::Down);
    }
    let again = restarted_from(&cache::UiCache::of(&s));
    assert_eq!(again.pane, Pane::Session);
    assert_eq!(again.sessions.len(), 1);
    let sess = &again.sessions[0];
    assert!(sess.stale);
    assert_eq!(sess.stack.len(), 2, "home and the list under it");
    let View::List(l) = &sess.current().view else {
        panic!("the list is in front")
    };
    assert_eq!((l.list.len(), l.list.cursor), (1000, 5));
    assert_eq!(l.list.selected().unwrap().name.as_deref(), Some("item 5"));
    let tab = again
        .tabs()
        .into_iter()
        .find(|(t, _)| *t == Tab::Session(0));
    assert!(tab.unwrap().1.contains("(cached)"), "{:?}", again.tabs());
}

#[test]
fn a_cached_session_is_asked_afresh_once_its_server_answers_and_then_is_current() {
    let (s, _) = on_a_list(1000);
    let mut again = restarted_from(&cache::UiCache::of(&s));
    // nothing is asked before the server is reached
    let reached = update(
        &mut again,
        Action::Session(crate::session::Event::Server(Box::new(report("a")))),
    );
    let Some(Effect::Load {
        generation,
        request: Request::Page { start: 0, .. },
        ..
    }) = reached.first().cloned()
    else {
        panic!("the list's page is asked again: {reached:?}")
    };
    // the cached rows stay on screen meanwhile
    let View::List(l) = &again.sessions[0].current().view else {
        panic!()
    };
    assert!(l.list.selected().is_some());
    let mut fresh = items(0, 100);
    fresh[0].name = Some("renamed on the server".into());
    update(
        &mut again,
        Action::Loaded {
            server_id: "a".into(),
            generation,
            result: Ok(Loaded::Page {
                start: 0,
                total: 1000,
                items: fresh,
            }),
        },
    );
    assert!(!again.sessions[0].stale);
    let View::List(l) = &again.sessions[0].current().view else {
        panic!()
    };
    assert_eq!(
        l.list.selected().unwrap().name.as_deref(),
        Some("renamed on the server")
    );
    // an unavailable server leaves the cached session as it is
    let mut other = restarted_from(&cache::UiCache::of(&s));
    let mut down = report("a");
    down.state = "unavailable";
    assert!(
        update(
            &mut other,
            Action::Session(crate::session::Event::Server(Box::new(down)))
        )
        .is_empty()
    );
    assert!(other.sessions[0].stale);
}

#[test]
fn a_cache_of_another_version_or_of_a_removed_server_is_not_used() {
    let (s, _) = on_a_list(10);
    let mut cache = cache::UiCache::of(&s);
    let mut old = serde_json::to_value(&cache).unwrap();
    old["schema"] = serde_json::json!(0);
    assert!(cache::UiCache::decode(&serde_json::to_vec(&old).unwrap()).is_none());
    assert!(cache::UiCache::decode(b"{ not json").is_none());
    cache.sessions[0].server_id = "gone".into();
    let again = restarted_from(&cache);
    assert!(again.sessions.is_empty());
    assert_eq!(again.pane, Pane::Servers);
}

#[test]
fn the_status_line_offers_only_what_works_where_you_are() {
    let (mut s, _) = on_a_list(10);
    let hints = |s: &State| {
        s.status_hints()
            .into_iter()
            .map(|(_, h)| h)
            .collect::<Vec<_>>()
    };
    let on_list = hints(&s);
    assert!(on_list.contains(&"open"), "{on_list:?}");
    assert!(on_list.contains(&"close tab"), "{on_list:?}");
    assert!(on_list.iter().any(|h| h.starts_with("sort")), "{on_list:?}");
    key(&mut s, KeyCode::Char('i')); // details of a film
    let on_details = hints(&s);
    assert!(
        !on_details.contains(&"open"),
        "Enter does nothing here: {on_details:?}"
    );
    assert!(
        !on_details.iter().any(|h| h.starts_with("sort")),
        "{on_details:?}"
    );
}

#[test]
fn destructive_keys_ask_first_and_any_other_key_is_a_no() {
    let (mut s, _) = on_a_list(10);
    key(&mut s, KeyCode::Char('w'));
    assert!(matches!(s.overlay, Some(Overlay::Confirm(_))));
    key(&mut s, KeyCode::Char('x'));
    assert!(s.overlay.is_none());
    assert_eq!(s.sessions.len(), 1, "a no keeps the tab");
    key(&mut s, KeyCode::Char('w'));
    key(&mut s, KeyCode::Char('y'));
    assert!(s.sessions.is_empty(), "a yes closes it");
    // D and C on the servers pane
    let effects = key(&mut s, KeyCode::Char('D'));
    assert!(effects.is_empty(), "nothing is removed before the yes");
    assert!(matches!(s.overlay, Some(Overlay::Confirm(_))));
    let effects = key(&mut s, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::Remove(id)] if id == "a"),
        "{effects:?}"
    );
    s.connect_user = Some("demo".into());
    assert!(key(&mut s, KeyCode::Char('C')).is_empty());
    assert!(
        key(&mut s, KeyCode::Char('y'))
            .iter()
            .any(|e| matches!(e, Effect::ConnectSignOut))
    );
}

/// A server removed (or signed out of) while another's tab is in front: its tab goes, and the
/// tab in front stays the same server's.
#[test]
fn a_removed_servers_tab_goes_and_the_tab_in_front_stays() {
    let mut s = State::new("pin");
    update(&mut s, Action::Resize(80, 24));
    update(
        &mut s,
        Action::Started {
            connect_user: None,
            servers: vec![report("a"), report("b"), report("c")],
            notices: vec![],
        },
    );
    for id in ["a", "b", "c"] {
        browse::open_session(&mut s, id, &id.to_uppercase());
    }
    browse::open_session(&mut s, "b", "B");
    assert_eq!(s.sessions[s.active].server_id, "b");
    update(
        &mut s,
        Action::Session(crate::session::Event::Removed("a".into())),
    );
    assert_eq!(s.sessions.len(), 2);
    assert_eq!(s.sessions[s.active].server_id, "b");
    assert_eq!(s.pane, Pane::Session);
    for id in ["b", "c"] {
        update(
            &mut s,
            Action::Session(crate::session::Event::Removed(id.into())),
        );
    }
    assert!(s.sessions.is_empty());
    assert_eq!(s.pane, Pane::Servers, "no empty sessions pane");
}
