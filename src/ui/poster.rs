//! One poster: the picture when it is here, else a placeholder (a dim box with the item's
//! initial) while it loads, or when there is none to be had. Never an error message.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::color;
use crate::app::theme::Role;
use ratatui::widgets::{Block, Paragraph};

use crate::app::images::{ImageKey, Images, Slot, centred};

/// Draws the picture of `key` in `area` (centred, keeping its shape), or the placeholder for
/// the item called `name`.
pub fn draw(frame: &mut Frame, images: &Images, key: Option<&ImageKey>, area: Rect, name: &str) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    if let Some(Slot::Ready(picture)) = key.and_then(|k| images.slot(k)) {
        frame.render_widget(
            ratatui_image::Image::new(picture.protocol()),
            centred(area, picture.size),
        );
        return;
    }
    placeholder(frame, area, name);
}

/// The first letter or digit of a name, upper-cased ("?" when it has none).
pub fn initial(name: &str) -> String {
    name.chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_else(|| "?".to_string())
}

fn placeholder(frame: &mut Frame, area: Rect, name: &str) {
    let dim = Style::new().fg(color(Role::Dim));
    let letter = Paragraph::new(initial(name))
        .style(dim.add_modifier(Modifier::BOLD))
        .centered();
    if area.width < 3 || area.height < 3 {
        frame.render_widget(letter, centred(area, (area.width, 1)));
        return;
    }
    let block = Block::bordered().border_style(dim);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(letter, centred(inner, (inner.width, 1)));
}
