//! Where posters show (the details view, the strip under the home view) and which pictures the
//! screen in front wants: computed from the state alone, the same way for drawing and for
//! asking the worker, so a picture is asked for at the size of the box it is drawn in.

use ratatui::layout::Rect;

use super::State;
use super::action::Effect;
use super::browse::{HomeRow, HomeView, View};
use super::images::{self, ImageKey, Images, StripSpot};
use super::layout;
use crate::emby::models::BaseItemDto;

/// The details view with a poster: its box, the text beside it, and the picture it shows
/// (None: the item advertises none; a placeholder shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailsPoster {
    pub poster: Rect,
    pub text: Rect,
    pub key: Option<ImageKey>,
}

/// The key of an item's picture in a box of `area`.
fn key_of(server_id: &str, item: &BaseItemDto, area: Rect) -> Option<ImageKey> {
    images::poster_of(item).map(|image| ImageKey {
        server_id: server_id.to_string(),
        image,
        cells: (area.width, area.height),
    })
}

/// The poster of an item's details inside `inner` (the details box without its border); None
/// with pictures off or on a box too small for it.
pub fn details_poster(
    inner: Rect,
    server_id: &str,
    item: &BaseItemDto,
    images: &Images,
) -> Option<DetailsPoster> {
    if !images.on() {
        return None;
    }
    let (poster, text) =
        images::details_parts(inner, images::aspect_of(item), images.layout_font())?;
    Some(DetailsPoster {
        poster,
        text,
        key: key_of(server_id, item, poster),
    })
}

/// One poster of the home strip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripPoster {
    /// The home row it stands for.
    pub row: usize,
    pub spot: StripSpot,
    pub key: Option<ImageKey>,
    pub selected: bool,
}

/// The home view with its poster strip: the rows of the list above it, the strip's posters and
/// the row of their captions under them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeStrip {
    pub list: Rect,
    pub captions: Rect,
    pub posters: Vec<StripPoster>,
}

/// The home rows of the section the cursor is in (between two headers), items only.
fn section_items(h: &HomeView) -> Vec<usize> {
    let cursor = h.cursor.min(h.rows.len().saturating_sub(1));
    let start = (0..=cursor)
        .rev()
        .find(|i| matches!(h.rows.get(*i), Some(HomeRow::Header(_))))
        .map(|i| i + 1)
        .unwrap_or(0);
    (start..h.rows.len())
        .take_while(|i| !matches!(h.rows[*i], HomeRow::Header(_)))
        .filter(|i| matches!(h.rows[*i], HomeRow::Item(_)))
        .collect()
}

/// The strip of posters of the cursor's section under the home list, inside `inner` (the home
/// box without its border); None with pictures off, on a box too small, or with no item.
pub fn home_strip(
    inner: Rect,
    server_id: &str,
    h: &HomeView,
    images: &Images,
) -> Option<HomeStrip> {
    if !images.on() || h.loading || h.selected().is_none() {
        return None;
    }
    let rows = images::strip_rows(inner);
    if rows == 0 {
        return None;
    }
    let items = section_items(h);
    let list = Rect::new(inner.x, inner.y, inner.width, inner.height - rows);
    let pictures = Rect::new(inner.x + 1, list.bottom(), inner.width - 2, rows - 1);
    let captions = Rect::new(pictures.x, pictures.bottom(), pictures.width, 1);
    let item = |row: usize| match &h.rows[row] {
        HomeRow::Item(it) => Some(it.as_ref()),
        _ => None,
    };
    let aspects: Vec<f64> = items
        .iter()
        .map(|r| item(*r).map(images::aspect_of).unwrap_or(2.0 / 3.0))
        .collect();
    let selected = items.iter().position(|r| *r == h.cursor).unwrap_or(0);
    let posters = images::strip_spots(pictures, &aspects, selected, images.layout_font())
        .into_iter()
        .map(|spot| {
            let row = items[spot.index];
            StripPoster {
                row,
                spot,
                key: item(row).and_then(|it| key_of(server_id, it, spot.area)),
                selected: row == h.cursor,
            }
        })
        .collect();
    Some(HomeStrip {
        list,
        captions,
        posters,
    })
}

/// The content box of the session in front (inside its border).
fn content_inner(state: &State) -> Rect {
    layout::session_rows(state.areas().body)
}

/// Rows of the list in front, given the rows of its box: the home view gives some to its strip.
pub fn list_rows(state: &State, rows: usize) -> usize {
    let Some(sess) = state.active_session() else {
        return rows;
    };
    if let View::Home(h) = &sess.current().view
        && let Some(strip) = home_strip(content_inner(state), &sess.server_id, h, &state.images)
    {
        return strip.list.height as usize;
    }
    rows
}

/// The pictures the screen in front shows, the one under the cursor first.
pub fn wanted(state: &State) -> Vec<ImageKey> {
    if !state.images.on() || !layout::fits(state.size.0, state.size.1) {
        return Vec::new();
    }
    let Some(sess) = state.active_session() else {
        return Vec::new();
    };
    if state.overlay.is_some() {
        // the box over the pane hides most of it; what is under it can wait
        return Vec::new();
    }
    let inner = content_inner(state);
    match &sess.current().view {
        View::Details(d) => d
            .item
            .as_deref()
            .and_then(|it| details_poster(inner, &sess.server_id, it, &state.images))
            .and_then(|p| p.key)
            .into_iter()
            .collect(),
        View::Home(h) => {
            let Some(strip) = home_strip(inner, &sess.server_id, h, &state.images) else {
                return Vec::new();
            };
            let mut posters = strip.posters;
            // the selected one first, then outwards from it
            let at = posters
                .iter()
                .find(|p| p.selected)
                .map(|p| p.spot.index)
                .unwrap_or(0);
            posters.sort_by_key(|p| p.spot.index.abs_diff(at));
            posters.into_iter().filter_map(|p| p.key).collect()
        }
        View::List(_) => Vec::new(),
    }
}

/// Asks for the pictures the screen in front wants and does not have (run after every action).
pub fn sync(state: &mut State) -> Vec<Effect> {
    if state.images.graphics.is_none() {
        return Vec::new();
    }
    let wanted = wanted(state);
    state
        .images
        .follow(&wanted)
        .into_iter()
        .map(Effect::LoadImage)
        .collect()
}
