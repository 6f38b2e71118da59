//! Pictures (posters): the image mode, how this terminal draws a picture, the pictures held in
//! memory, and where a poster goes on screen (shared by drawing and by the update function, so
//! the picture asked for is the size of the box it is drawn in).
//!
//! A picture is decoded, fitted to its box and encoded for the terminal's protocol off the UI
//! thread (see [`picture`], run by the worker); the state only holds the result, and only for
//! the pictures on screen plus a few recent ones ([`MAX_PICTURES`]).

use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use image::imageops::FilterType;
use image::{DynamicImage, ImageReader, Limits};
use ratatui::layout::{Rect, Size};
use ratatui_image::protocol::Protocol;
use ratatui_image::protocol::halfblocks::Halfblocks;
use ratatui_image::protocol::iterm2::Iterm2;
use ratatui_image::protocol::kitty::Kitty;
use ratatui_image::protocol::sixel::Sixel;

use crate::emby::models::BaseItemDto;
use crate::session::ItemImage;

/// Whether pictures are drawn, and how: the terminal's best protocol when it answers the query
/// at start (`auto`), one forced, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ImageMode {
    /// Kitty, sixel or iTerm2 when the terminal says it can (asked once at start, never inside
    /// tmux or over SSH); halfblocks otherwise.
    #[default]
    Auto,
    /// Coloured `▀` cells: works in every terminal with colours, over SSH and in tmux.
    Halfblocks,
    Kitty,
    Sixel,
    Iterm2,
    /// No pictures: the screens are laid out exactly as without this feature.
    Off,
}

impl ImageMode {
    /// Every mode, in the order they are listed to the user.
    pub const ALL: [ImageMode; 6] = [
        ImageMode::Auto,
        ImageMode::Halfblocks,
        ImageMode::Kitty,
        ImageMode::Sixel,
        ImageMode::Iterm2,
        ImageMode::Off,
    ];

    /// The name used in the config file and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ImageMode::Auto => "auto",
            ImageMode::Halfblocks => "halfblocks",
            ImageMode::Kitty => "kitty",
            ImageMode::Sixel => "sixel",
            ImageMode::Iterm2 => "iterm2",
            ImageMode::Off => "off",
        }
    }

    /// The protocol this mode forces (None for `auto`, which asks the terminal, and `off`).
    pub fn forced(self) -> Option<GraphicsProtocol> {
        match self {
            ImageMode::Halfblocks => Some(GraphicsProtocol::Halfblocks),
            ImageMode::Kitty => Some(GraphicsProtocol::Kitty),
            ImageMode::Sixel => Some(GraphicsProtocol::Sixel),
            ImageMode::Iterm2 => Some(GraphicsProtocol::Iterm2),
            ImageMode::Auto | ImageMode::Off => None,
        }
    }
}

impl fmt::Display for ImageMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not an image mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownImageMode(pub String);

impl fmt::Display for UnknownImageMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = ImageMode::ALL.iter().map(|m| m.name()).collect();
        write!(
            f,
            "\"{}\" is not an image mode; use one of {}",
            crate::emby::text::strip_controls(&self.0),
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownImageMode {}

impl FromStr for ImageMode {
    type Err = UnknownImageMode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        ImageMode::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownImageMode(s.to_string()))
    }
}

/// The ways a terminal draws a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GraphicsProtocol {
    Halfblocks,
    Kitty,
    Sixel,
    Iterm2,
}

impl GraphicsProtocol {
    pub fn name(self) -> &'static str {
        match self {
            GraphicsProtocol::Halfblocks => "halfblocks",
            GraphicsProtocol::Kitty => "kitty",
            GraphicsProtocol::Sixel => "sixel",
            GraphicsProtocol::Iterm2 => "iterm2",
        }
    }
}

/// The cell size assumed when the terminal does not say (and always for halfblocks, whose two
/// "pixels" per cell assume a cell twice as tall as wide).
pub const DEFAULT_FONT: (u16, u16) = (10, 20);

/// How this terminal draws pictures: the protocol, the size of a cell in pixels, and whether
/// escapes must pass through tmux.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Graphics {
    pub protocol: GraphicsProtocol,
    pub font: (u16, u16),
    pub tmux: bool,
}

impl Graphics {
    /// Halfblocks: the safe choice everywhere.
    pub fn halfblocks() -> Graphics {
        Graphics {
            protocol: GraphicsProtocol::Halfblocks,
            font: DEFAULT_FONT,
            tmux: false,
        }
    }

    /// The cell size pictures are laid out with (halfblocks always use 1:2 cells).
    pub fn layout_font(&self) -> (u16, u16) {
        match self.protocol {
            GraphicsProtocol::Halfblocks => DEFAULT_FONT,
            _ if self.font.0 == 0 || self.font.1 == 0 => DEFAULT_FONT,
            _ => self.font,
        }
    }
}

/// One picture of one item, at one box size: what the state keeps and the worker is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageKey {
    pub server_id: String,
    pub image: ItemImage,
    /// The box it is fitted into, in cells (columns, rows).
    pub cells: (u16, u16),
}

/// Work for the worker: fetch (or read from the disk cache), decode, fit and encode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRequest {
    pub key: ImageKey,
    pub graphics: Graphics,
}

/// A picture ready to draw: encoded for the terminal, fitted to its box.
#[derive(Clone)]
pub struct Picture {
    protocol: Arc<Protocol>,
    /// The cells it covers (at most its box; centred in it when drawn).
    pub size: (u16, u16),
}

impl Picture {
    pub fn protocol(&self) -> &Protocol {
        &self.protocol
    }
}

impl fmt::Debug for Picture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Picture({}x{})", self.size.0, self.size.1)
    }
}

/// What the state holds for one [`ImageKey`].
#[derive(Debug, Clone)]
pub enum Slot {
    /// Asked for; a placeholder meanwhile.
    Loading,
    Ready(Picture),
    /// None to be had (no such image, not a picture, the server did not answer): a placeholder.
    /// Asked again the next time it comes on screen.
    Missing,
}

/// Pictures decoded and kept at most (those on screen are always kept, however many).
pub const MAX_PICTURES: usize = 32;

/// Pictures asked of the worker at once: what comes on screen next is asked as these arrive,
/// so scrolling past a hundred posters never queues a hundred fetches.
pub const MAX_IN_FLIGHT: usize = 6;

/// The pictures part of the UI state.
#[derive(Debug, Clone, Default)]
pub struct Images {
    pub mode: ImageMode,
    /// How pictures are drawn; None while not known yet (the terminal is being asked) or off.
    pub graphics: Option<Graphics>,
    slots: HashMap<ImageKey, (Slot, u64)>,
    /// Counts the times the screen was looked at, for "least recently on screen".
    tick: u64,
    in_flight: usize,
}

impl Images {
    /// The pictures of a UI in `mode`. Halfblocks need nothing from the terminal, so they are
    /// ready at once; the other modes wait for [`Images::set_graphics`].
    pub fn new(mode: ImageMode) -> Images {
        Images {
            mode,
            graphics: (mode == ImageMode::Halfblocks).then(Graphics::halfblocks),
            ..Images::default()
        }
    }

    /// Whether the screens make room for pictures (they do in every mode but `off`, even
    /// before the terminal has answered, so the layout does not jump).
    pub fn on(&self) -> bool {
        self.mode != ImageMode::Off
    }

    /// How pictures are drawn from now on (the pictures held for another protocol are dropped).
    pub fn set_graphics(&mut self, graphics: Option<Graphics>) {
        if self.graphics != graphics {
            self.slots.clear();
            self.in_flight = 0;
        }
        self.graphics = graphics;
    }

    /// The cell size posters are laid out with.
    pub fn layout_font(&self) -> (u16, u16) {
        self.graphics
            .map(|g| g.layout_font())
            .unwrap_or(DEFAULT_FONT)
    }

    pub fn slot(&self, key: &ImageKey) -> Option<&Slot> {
        self.slots.get(key).map(|(s, _)| s)
    }

    /// Pictures decoded and held now.
    pub fn held(&self) -> usize {
        self.slots
            .values()
            .filter(|(s, _)| matches!(s, Slot::Ready(_)))
            .count()
    }

    /// Requests out now.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// The screen shows `wanted` (most wanted first): what is not held or asked for yet is
    /// asked for, as far as [`MAX_IN_FLIGHT`] allows; what went off screen is forgotten beyond
    /// [`MAX_PICTURES`], and a picture that could not be had is forgotten at once (so it is
    /// asked again when it comes back).
    pub fn follow(&mut self, wanted: &[ImageKey]) -> Vec<ImageRequest> {
        let Some(graphics) = self.graphics else {
            return Vec::new();
        };
        self.tick += 1;
        let tick = self.tick;
        let mut asks = Vec::new();
        for key in wanted {
            match self.slots.get_mut(key) {
                Some((_, seen)) => *seen = tick,
                None if self.in_flight < MAX_IN_FLIGHT => {
                    self.slots.insert(key.clone(), (Slot::Loading, tick));
                    self.in_flight += 1;
                    asks.push(ImageRequest {
                        key: key.clone(),
                        graphics,
                    });
                }
                None => {}
            }
        }
        self.slots
            .retain(|_, (slot, seen)| *seen == tick || !matches!(slot, Slot::Missing));
        let held = self.held();
        if held > MAX_PICTURES {
            let mut old: Vec<(u64, ImageKey)> = self
                .slots
                .iter()
                .filter(|(_, (s, seen))| matches!(s, Slot::Ready(_)) && *seen != tick)
                .map(|(k, (_, seen))| (*seen, k.clone()))
                .collect();
            old.sort_by_key(|(seen, _)| *seen);
            for (_, key) in old.into_iter().take(held - MAX_PICTURES) {
                self.slots.remove(&key);
            }
        }
        asks
    }

    /// A picture came back (None: none to be had). One for a protocol no longer in use is
    /// dropped.
    pub fn loaded(&mut self, key: ImageKey, picture: Option<Picture>) {
        let Some((slot, _)) = self.slots.get_mut(&key) else {
            return;
        };
        if matches!(slot, Slot::Loading) {
            self.in_flight = self.in_flight.saturating_sub(1);
        }
        *slot = match picture {
            Some(p) => Slot::Ready(p),
            None => Slot::Missing,
        };
    }
}

/// The picture an item shows: its `Primary` image, else its `Thumb`, and only when the item
/// advertises it (with the tag that names this version of it).
pub fn poster_of(item: &BaseItemDto) -> Option<ItemImage> {
    let id = item.id.as_deref().filter(|i| !i.is_empty())?;
    ["Primary", "Thumb"].into_iter().find_map(|kind| {
        item.image_tags
            .get(kind)
            .filter(|t| !t.is_empty())
            .map(|tag| ItemImage {
                item_id: id.to_string(),
                kind: kind.to_string(),
                tag: tag.clone(),
            })
    })
}

/// Width / height of an item's picture: what the server says, else by kind (a library's is
/// wide, an album's square, an episode's a 16:9 still, anything else a 2:3 poster).
pub fn aspect_of(item: &BaseItemDto) -> f64 {
    if let Some(a) = item
        .primary_image_aspect_ratio
        .filter(|a| a.is_finite() && (0.2..=5.0).contains(a))
    {
        return a;
    }
    match item.item_type.as_deref() {
        Some("CollectionFolder" | "UserView" | "Channel" | "Episode" | "Video" | "TvChannel") => {
            16.0 / 9.0
        }
        Some("MusicAlbum" | "Audio" | "MusicArtist" | "Playlist" | "Photo") => 1.0,
        _ if item.collection_type.is_some() => 16.0 / 9.0,
        _ => 2.0 / 3.0,
    }
}

/// Rows of a picture `cols` wide with this aspect, on cells of `font` pixels.
fn rows_for(cols: u16, aspect: f64, font: (u16, u16)) -> u16 {
    let rows = f64::from(cols) * f64::from(font.0) / (aspect * f64::from(font.1));
    rows.round().clamp(1.0, f64::from(u16::MAX)) as u16
}

/// Columns of a picture `rows` high with this aspect, on cells of `font` pixels.
fn cols_for(rows: u16, aspect: f64, font: (u16, u16)) -> u16 {
    let cols = f64::from(rows) * f64::from(font.1) * aspect / f64::from(font.0);
    cols.round().clamp(1.0, f64::from(u16::MAX)) as u16
}

/// The cells a picture of `px` pixels covers inside a box of `cells`, keeping its shape.
pub fn fit(px: (u32, u32), cells: (u16, u16), font: (u16, u16)) -> (u16, u16) {
    let (fw, fh) = (f64::from(font.0.max(1)), f64::from(font.1.max(1)));
    let (bw, bh) = (f64::from(cells.0) * fw, f64::from(cells.1) * fh);
    let (pw, ph) = (f64::from(px.0.max(1)), f64::from(px.1.max(1)));
    let scale = (bw / pw).min(bh / ph);
    let w = (pw * scale / fw)
        .round()
        .clamp(1.0, f64::from(cells.0.max(1)));
    let h = (ph * scale / fh)
        .round()
        .clamp(1.0, f64::from(cells.1.max(1)));
    (w as u16, h as u16)
}

/// Where a picture of `size` cells is drawn inside its box: centred.
pub fn centred(area: Rect, size: (u16, u16)) -> Rect {
    let w = size.0.min(area.width);
    let h = size.1.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// The largest picture accepted, in pixels each way, and the memory a decode may take: a
/// hostile server cannot make the decoder allocate gigabytes.
const MAX_SIDE: u32 = 8192;
const MAX_DECODE_BYTES: u64 = 128 * 1024 * 1024;

/// Decodes an image file (PNG, JPEG or WebP, told by its first bytes); None when it is not one.
pub fn decode(bytes: &[u8]) -> Option<DynamicImage> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    reader.decode().ok()
}

/// Kitty image ids: distinct per picture of this process (and unlikely to meet another's).
fn kitty_id() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let salt = std::process::id().wrapping_mul(2_654_435_761);
    (salt ^ n.wrapping_mul(40_503)).max(1)
}

/// An image file made ready to draw in a box of `cells` with `graphics`: decoded, fitted
/// (keeping its shape) and encoded. CPU work: run it off the UI thread. None when the bytes
/// are not a picture.
pub fn picture(bytes: &[u8], graphics: &Graphics, cells: (u16, u16)) -> Option<Picture> {
    if cells.0 == 0 || cells.1 == 0 {
        return None;
    }
    let img = decode(bytes)?;
    let font = graphics.layout_font();
    let size = fit((img.width(), img.height()), cells, font);
    let cells_size = Size::new(size.0, size.1);
    let protocol = match graphics.protocol {
        GraphicsProtocol::Halfblocks => {
            Protocol::Halfblocks(Halfblocks::new(img, cells_size).ok()?)
        }
        other => {
            let px = img.resize_exact(
                u32::from(size.0) * u32::from(font.0),
                u32::from(size.1) * u32::from(font.1),
                FilterType::Triangle,
            );
            match other {
                GraphicsProtocol::Kitty => Protocol::Kitty(
                    Kitty::new(px, cells_size, kitty_id(), graphics.tmux, false).ok()?,
                ),
                GraphicsProtocol::Sixel => {
                    Protocol::Sixel(Sixel::new(px, cells_size, graphics.tmux).ok()?)
                }
                _ => Protocol::ITerm2(Iterm2::new(px, cells_size, graphics.tmux).ok()?),
            }
        }
    };
    Some(Picture {
        protocol: Arc::new(protocol),
        size,
    })
}

/// The smallest details box (inside its border) that makes room for a poster: below it the
/// text takes the whole width, as it does with pictures off.
pub const DETAILS_MIN: (u16, u16) = (60, 8);

/// The details box with a poster: the poster's box on the left (one column in) and the text
/// beside it; None when the box is too small for both (see [`DETAILS_MIN`]).
pub fn details_parts(inner: Rect, aspect: f64, font: (u16, u16)) -> Option<(Rect, Rect)> {
    if inner.width < DETAILS_MIN.0 || inner.height < DETAILS_MIN.1 {
        return None;
    }
    let widest = if aspect > 1.0 {
        inner.width / 3
    } else {
        (inner.width * 2 / 9).clamp(12, 40)
    };
    let mut cols = widest;
    let mut rows = rows_for(cols, aspect, font);
    if rows > inner.height {
        rows = inner.height;
        cols = cols_for(rows, aspect, font).min(widest);
    }
    let poster = Rect::new(inner.x + 1, inner.y, cols, rows);
    let text_x = poster.right() + 1;
    let text = Rect::new(text_x, inner.y, inner.right() - text_x, inner.height);
    Some((poster, text))
}

/// Rows the poster strip of the home view takes at the bottom of its box (posters and a caption
/// row); 0 when the box is too small to give any.
pub fn strip_rows(inner: Rect) -> u16 {
    if inner.height < 15 || inner.width < 40 {
        return 0;
    }
    (inner.height / 3).clamp(4, 12) + 1
}

/// One poster of the strip: which item of the section, and its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StripSpot {
    pub index: usize,
    pub area: Rect,
}

/// The posters of a section laid out left to right in `area` (the strip without its caption
/// row), each as wide as its shape needs at the strip's height, one column apart; the selected
/// one is always shown, about a third in from the left when there are more than fit (the
/// strip stays full at the end of the section).
pub fn strip_spots(
    area: Rect,
    aspects: &[f64],
    selected: usize,
    font: (u16, u16),
) -> Vec<StripSpot> {
    if aspects.is_empty() || area.height == 0 || area.width == 0 {
        return Vec::new();
    }
    let selected = selected.min(aspects.len() - 1);
    let widths: Vec<u16> = aspects
        .iter()
        .map(|a| cols_for(area.height, *a, font).clamp(1, area.width))
        .collect();
    let span = |from: usize, to: usize| -> u32 {
        (from..=to).map(|i| u32::from(widths[i]) + 1).sum::<u32>() - 1
    };
    let mut first = selected;
    while first > 0 && span(first - 1, selected) <= u32::from(area.width) / 3 {
        first -= 1;
    }
    // near the end of the section, the posters before the selected one fill the room
    let last = widths.len() - 1;
    if span(first, last) <= u32::from(area.width) {
        while first > 0 && span(first - 1, last) <= u32::from(area.width) {
            first -= 1;
        }
    }
    let mut spots = Vec::new();
    let mut x = area.x;
    for (i, w) in widths.iter().enumerate().skip(first) {
        if x + w > area.right() {
            break;
        }
        spots.push(StripSpot {
            index: i,
            area: Rect::new(x, area.y, *w, area.height),
        });
        x = x.saturating_add(w + 1);
    }
    spots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_modes_read_and_print_their_names() {
        for m in ImageMode::ALL {
            assert_eq!(m.to_string().parse::<ImageMode>(), Ok(m));
        }
        assert_eq!(" Kitty ".parse::<ImageMode>(), Ok(ImageMode::Kitty));
        let err = "ascii".parse::<ImageMode>().unwrap_err().to_string();
        assert_eq!(
            err,
            "\"ascii\" is not an image mode; use one of auto, halfblocks, kitty, sixel, iterm2, off"
        );
        assert_eq!(ImageMode::default(), ImageMode::Auto);
    }

    #[test]
    fn a_picture_keeps_its_shape_inside_its_box() {
        // a 2:3 poster in a wide box: as tall as the box, narrower than it
        assert_eq!(fit((200, 300), (20, 10), (10, 20)), (13, 10));
        // a 16:9 still in a tall box: as wide as the box
        assert_eq!(fit((320, 180), (16, 12), (10, 20)), (16, 5));
        assert_eq!(fit((1, 1), (1, 1), (10, 20)), (1, 1));
    }

    #[test]
    fn only_advertised_images_are_asked_for() {
        let mut item = BaseItemDto {
            id: Some("i1".into()),
            ..Default::default()
        };
        assert_eq!(poster_of(&item), None);
        item.image_tags.insert("Thumb".into(), "t".into());
        assert_eq!(poster_of(&item).unwrap().kind, "Thumb");
        item.image_tags.insert("Primary".into(), "p".into());
        let p = poster_of(&item).unwrap();
        assert_eq!((p.kind.as_str(), p.tag.as_str()), ("Primary", "p"));
    }

    fn key(n: usize) -> ImageKey {
        ImageKey {
            server_id: "s".into(),
            image: ItemImage {
                item_id: format!("i{n}"),
                kind: "Primary".into(),
                tag: "t".into(),
            },
            cells: (8, 6),
        }
    }

    #[test]
    fn at_most_a_few_requests_are_out_and_old_pictures_are_let_go() {
        let mut images = Images::new(ImageMode::Halfblocks);
        let wanted: Vec<ImageKey> = (0..20).map(key).collect();
        let asks = images.follow(&wanted);
        assert_eq!(asks.len(), MAX_IN_FLIGHT);
        assert!(images.follow(&wanted).is_empty(), "nothing asked twice");
        let png = crate::sim::media::png_image("x", 20, 30);
        let pic = picture(&png, &Graphics::halfblocks(), (8, 6)).expect("a picture");
        images.loaded(asks[0].key.clone(), Some(pic.clone()));
        assert_eq!(images.follow(&wanted).len(), 1, "one more as one came back");
        // fill the memory with pictures that leave the screen
        let mut images = Images::new(ImageMode::Halfblocks);
        for n in 100..100 + MAX_PICTURES + 10 {
            let k = key(n);
            images.follow(std::slice::from_ref(&k));
            images.loaded(k, Some(pic.clone()));
            // as the update function does after every action
            images.follow(&[]);
        }
        assert_eq!(images.held(), MAX_PICTURES);
    }

    #[test]
    fn nothing_is_asked_before_the_terminal_is_known_or_with_images_off() {
        let mut images = Images::new(ImageMode::Auto);
        assert!(images.on());
        assert!(images.follow(&[key(1)]).is_empty());
        images.set_graphics(Some(Graphics::halfblocks()));
        assert_eq!(images.follow(&[key(1)]).len(), 1);
        let mut off = Images::new(ImageMode::Off);
        assert!(!off.on());
        assert!(off.follow(&[key(1)]).is_empty());
    }

    #[test]
    fn broken_bytes_are_no_picture() {
        let g = Graphics::halfblocks();
        assert!(picture(b"<html>not found</html>", &g, (8, 6)).is_none());
        let mut png = crate::sim::media::png_image("x", 20, 30);
        png.truncate(png.len() / 2);
        assert!(picture(&png, &g, (8, 6)).is_none());
    }

    #[test]
    fn the_strip_always_shows_the_selected_poster() {
        let area = Rect::new(0, 0, 40, 6);
        let aspects = vec![2.0 / 3.0; 12];
        let spots = strip_spots(area, &aspects, 11, (10, 20));
        assert!(spots.iter().any(|s| s.index == 11), "{spots:?}");
        assert!(spots.iter().all(|s| s.area.right() <= 40));
        assert_eq!(spots.len(), 4, "full at the end: {spots:?}");
        let spots = strip_spots(area, &aspects, 0, (10, 20));
        assert_eq!(spots[0].index, 0);
        assert_eq!(spots[0].area.width, 8);
        let spots = strip_spots(area, &aspects, 6, (10, 20));
        assert_eq!(
            spots.iter().map(|s| s.index).collect::<Vec<_>>(),
            [6, 7, 8, 9]
        );
    }
}
