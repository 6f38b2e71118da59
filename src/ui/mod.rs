//! Drawing: every frame is drawn from [`State`] alone, one file per pane or widget.

pub mod bigtext;
pub mod format;
mod overlay;
mod servers;
mod session;
mod signin;
mod status;

use ratatui::Frame;

use crate::app::{Pane, State};

/// Draw the whole screen.
pub fn draw(frame: &mut Frame, state: &State) {
    let area = frame.area();
    let areas = crate::app::layout::areas(area.width, area.height);
    status::tabs(frame, state, areas.tabs);
    match state.pane {
        Pane::SignIn => signin::draw(frame, state, areas.body),
        Pane::Servers => servers::draw(frame, state, areas.body),
        Pane::Session => match state.sessions.get(state.active) {
            Some(s) => session::draw(frame, state, s, areas.body),
            None => servers::draw(frame, state, areas.body),
        },
    }
    status::message(frame, state, areas.message);
    status::keys(frame, state, areas.status);
    overlay::draw(frame, state, areas.body);
}
