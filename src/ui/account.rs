//! The Emby Connect account box (issue 11): who is signed in, and the three addresses the
//! Connect guide gives (sign up, change the password, reset it), each written out on a line of
//! its own so a terminal without links shows it whole; [`super::links`] makes them clickable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::app::State;
use crate::app::account::AccountView;
use crate::app::layout::{centered, inner};
use crate::session::hub::{CHANGE_PASSWORD_URL, RESET_PASSWORD_URL, SIGN_UP_URL};

/// How far an address is indented under its label.
pub const URL_INDENT: u16 = 3;

/// The box: where it goes, its lines, and which line holds which address.
pub struct AccountLayout {
    pub area: Rect,
    pub lines: Vec<Line<'static>>,
    /// (line index, address) of every written-out address.
    pub links: Vec<(usize, &'static str)>,
}

/// Lays the box out over `body` (drawing and the links agree on it).
pub fn layout(state: &State, v: &AccountView, body: Rect) -> AccountLayout {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line<'static>> = Vec::new();
    match (&state.connect_user, &v.user) {
        (None, _) => {
            lines.push(Line::styled(" Not signed in to Emby Connect.", bold));
            lines.push(Line::from(
                " One account signs you in to every server shared with you:",
            ));
            lines.push(Line::from(" c signs in, n creates an account here."));
        }
        (Some(name), None) => {
            lines.push(Line::styled(format!(" Signed in as {name}"), bold));
            lines.push(Line::from(if v.loading {
                " Asking Emby Connect for your details…"
            } else {
                " E-mail: unknown"
            }));
        }
        (Some(_), Some(user)) => {
            lines.push(Line::styled(format!(" Signed in as {}", user.name), bold));
            lines.push(Line::from(format!(
                " E-mail: {}",
                user.email.as_deref().unwrap_or("none given")
            )));
        }
    }
    lines.push(Line::from(""));
    let mut links = Vec::new();
    let url_style = Style::new().add_modifier(Modifier::UNDERLINED);
    for (label, url) in [
        (" No account yet? Sign up (n does it here):", SIGN_UP_URL),
        (
            " Change your password (your Emby Community profile):",
            CHANGE_PASSWORD_URL,
        ),
        (" Forgot your password? Reset it:", RESET_PASSWORD_URL),
    ] {
        lines.push(Line::from(label));
        links.push((lines.len(), url));
        lines.push(Line::styled(
            format!("{}{url}", " ".repeat(usize::from(URL_INDENT))),
            url_style,
        ));
    }
    super::push_notes(&mut lines, v.message.as_deref(), v.error.as_deref());
    let widest = lines.iter().map(Line::width).max().unwrap_or(0);
    let width = u16::try_from(widest + 3).unwrap_or(u16::MAX).max(40);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    AccountLayout {
        area: centered(body, width, height),
        lines,
        links,
    }
}

pub fn draw(frame: &mut Frame, state: &State, v: &AccountView, body: Rect) {
    let l = layout(state, v, body);
    frame.render_widget(Clear, l.area);
    frame.render_widget(
        Paragraph::new(l.lines).block(Block::bordered().title(" Emby Connect account ")),
        l.area,
    );
}

/// The screen cells of every address shown whole: (column, row, address).
pub fn link_cells(state: &State, v: &AccountView, body: Rect) -> Vec<(u16, u16, &'static str)> {
    let l = layout(state, v, body);
    let rows = inner(l.area);
    l.links
        .into_iter()
        .filter_map(|(i, url)| {
            let row = u16::try_from(i).ok()?;
            let fits =
                row < rows.height && usize::from(URL_INDENT) + url.len() <= usize::from(rows.width);
            fits.then_some((rows.x + URL_INDENT, rows.y + row, url))
        })
        .collect()
}
