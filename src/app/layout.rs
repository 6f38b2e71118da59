//! Where things are on the screen. Shared by drawing and by the update function (visible rows for
//! paging, mouse clicks to rows), so both always agree.

use ratatui::layout::Rect;

/// The four bands of every screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Top row: the pane and session tabs.
    pub tabs: Rect,
    pub body: Rect,
    /// One row for the message of the moment.
    pub message: Rect,
    /// Bottom row: the keys valid here.
    pub status: Rect,
}

/// The smallest terminal the panes are drawn on (below it a one-line notice is drawn instead).
/// At 40x13 every pane shows its working parts: the sign-in pane's longest form (server, its
/// users, user, password) under the method row (two lines at this width), the servers table
/// with a header and three rows plus the selected server's details, a session list of seven
/// rows; 40 columns leave 20 characters of a field's value beside its label.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 13;

/// Whether the panes fit a terminal of this size.
pub fn fits(width: u16, height: u16) -> bool {
    width >= MIN_WIDTH && height >= MIN_HEIGHT
}

pub fn areas(width: u16, height: u16) -> Areas {
    let full = Rect::new(0, 0, width, height);
    let h = full.height;
    let tabs = Rect::new(0, 0, width, h.min(1));
    let status = Rect::new(0, h.saturating_sub(1), width, u16::from(h >= 2));
    let message = Rect::new(0, h.saturating_sub(2), width, u16::from(h >= 3));
    let body_y = tabs.height;
    let body_h = h.saturating_sub(tabs.height + status.height + message.height);
    Areas {
        tabs,
        body: Rect::new(0, body_y, width, body_h),
        message,
        status,
    }
}

/// Rows below the servers table for the selected server's details.
pub const SERVER_DETAIL_ROWS: u16 = 4;

/// The servers table (bordered) and the detail box under it.
pub fn servers_parts(body: Rect) -> (Rect, Rect) {
    let detail_h = SERVER_DETAIL_ROWS.min(body.height / 2);
    let table = Rect::new(body.x, body.y, body.width, body.height - detail_h);
    let detail = Rect::new(body.x, body.y + table.height, body.width, detail_h);
    (table, detail)
}

/// The data rows of the servers table (inside the border, under the header).
pub fn servers_rows(body: Rect) -> Rect {
    let (table, _) = servers_parts(body);
    let inner = inner(table);
    Rect::new(
        inner.x,
        inner.y.saturating_add(1),
        inner.width,
        inner.height.saturating_sub(1),
    )
}

/// Inside a one-cell border.
pub fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x.saturating_add(1),
        r.y.saturating_add(1),
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}

/// A session: the breadcrumb row and the bordered content box.
pub fn session_parts(body: Rect) -> (Rect, Rect) {
    let crumbs = Rect::new(body.x, body.y, body.width, body.height.min(1));
    let content = Rect::new(
        body.x,
        body.y + crumbs.height,
        body.width,
        body.height - crumbs.height,
    );
    (crumbs, content)
}

/// The rows of a session's list (inside its border).
pub fn session_rows(body: Rect) -> Rect {
    inner(session_parts(body).1)
}

/// A centred box of at most `w` x `h` inside `r`.
pub fn centered(r: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(r.width);
    let h = h.min(r.height);
    Rect::new(r.x + (r.width - w) / 2, r.y + (r.height - h) / 2, w, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bands_cover_the_screen_and_survive_tiny_sizes() {
        let a = areas(80, 24);
        assert_eq!(
            a.tabs.height + a.body.height + a.message.height + a.status.height,
            24
        );
        assert_eq!(session_rows(a.body).height, 24 - 3 - 1 - 2);
        for h in 0..4 {
            let a = areas(10, h);
            let _ = session_rows(a.body);
            let _ = servers_rows(a.body);
        }
    }
}
