//! Playing: the play menu (resume or start over, then where: here, another device, or a copied
//! stream URL), the "now playing" line of a player here, the remote-control panel of another
//! device, and the stream URL box. Pure state changes; the work goes out as Effects.

use super::action::{Effect, Loaded, Request};
use super::keymap::Command;
use super::{Message, Overlay, State, browse};
use crate::emby::Secret;
use crate::emby::models::{BaseItemDto, SessionInfo, UserItemDataDto};
use crate::emby::server::Playstate;
use crate::session::{PlaybackUpdate, Played, StartAt};

/// How often the remote-control panel asks the server where the device is (the official web
/// client polls every 5 s when it has no WebSocket).
pub const REMOTE_POLL_MS: u64 = 5_000;
/// How far the panel's seek keys jump.
pub const SEEK_STEP_TICKS: i64 = 30 * 10_000_000;

/// Whether an item can be played: a movie, episode, video, audio track or music video.
pub fn is_playable(item: &BaseItemDto) -> bool {
    if item.is_folder.unwrap_or(false) {
        return false;
    }
    let by_type = matches!(
        item.item_type.as_deref(),
        Some("Movie" | "Episode" | "Video" | "Audio" | "MusicVideo" | "Trailer")
    );
    let by_media = matches!(item.media_type.as_deref(), Some("Video" | "Audio"));
    by_type || by_media
}

/// A line of the play menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuEntry {
    /// "Resume from 42:10" (only with a saved position).
    Resume,
    /// "Play from the start" (only with a saved position).
    FromStart,
    /// Here, with the player.
    Here,
    /// Another device: the index into the sessions listed.
    Session(usize),
    /// Copy a stream URL to the terminal's clipboard.
    CopyUrl,
}

/// The play menu of one item.
#[derive(Debug, Clone)]
pub struct PlayMenu {
    pub server_id: String,
    pub item: Box<BaseItemDto>,
    /// The saved position, when there is one (then the menu offers to resume).
    pub resume_ticks: Option<i64>,
    /// "Play from the start" chosen instead of resuming.
    pub from_start: bool,
    /// The other devices of this user on the server (None while they are asked for).
    pub sessions: Option<Result<Vec<SessionInfo>, String>>,
    pub cursor: usize,
    /// What the last choice did (a device that refused, say); the menu stays open.
    pub message: Option<Message>,
}

impl PlayMenu {
    /// The lines, in order.
    pub fn entries(&self) -> Vec<MenuEntry> {
        let mut out = Vec::new();
        if self.resume_ticks.is_some() {
            out.push(MenuEntry::Resume);
            out.push(MenuEntry::FromStart);
        }
        out.push(MenuEntry::Here);
        if let Some(Ok(list)) = &self.sessions {
            out.extend((0..list.len()).map(MenuEntry::Session));
        }
        out.push(MenuEntry::CopyUrl);
        out
    }

    /// Where to start, as chosen.
    pub fn start(&self) -> StartAt {
        if self.from_start || self.resume_ticks.is_none() {
            StartAt::Beginning
        } else {
            StartAt::Resume
        }
    }

    fn first_target(&self) -> usize {
        if self.resume_ticks.is_some() { 2 } else { 0 }
    }

    fn item_id(&self) -> String {
        self.item.id.clone().unwrap_or_default()
    }
}

/// A playback here, from the moment it is asked for until the player is gone.
#[derive(Debug, Clone, PartialEq)]
pub struct NowPlaying {
    /// What and where, as the player last said (before it starts: the start of the item).
    pub now: PlaybackUpdate,
    /// The player has this terminal: the loop lent it and takes it back when this ends.
    pub foreground: bool,
    /// The player is playing (before: the server and the player are being asked).
    pub started: bool,
}

impl NowPlaying {
    /// Whether this is the playback of `item_id` on `server_id`.
    fn is(&self, server_id: &str, item_id: &str) -> bool {
        self.now.server_id.eq_ignore_ascii_case(server_id) && self.now.item_id == item_id
    }
}

/// The remote-control panel of another device.
#[derive(Debug, Clone)]
pub struct RemotePanel {
    pub server_id: String,
    pub session_id: String,
    /// "Living Room TV (Emby Theater)".
    pub label: String,
    /// The session as last read (None until the first answer).
    pub session: Option<Box<SessionInfo>>,
    /// When it was read (ms), to move the position on between reads.
    pub read_at_ms: u64,
    /// When it was last asked for (ms).
    pub asked_at_ms: u64,
    pub message: Option<Message>,
}

impl RemotePanel {
    /// The position now: as read, plus the time since when it plays.
    pub fn position_ticks(&self, now_ms: u64) -> Option<i64> {
        let s = self.session.as_ref()?;
        s.now_playing_item.as_ref()?;
        let ps = s.play_state.as_ref()?;
        let at = ps.position_ticks.unwrap_or(0);
        if ps.is_paused.unwrap_or(false) {
            return Some(at);
        }
        let moved = now_ms.saturating_sub(self.read_at_ms) as i64 * 10_000;
        let runtime = s.now_playing_item.as_ref().and_then(|i| i.run_time_ticks);
        let pos = at + moved;
        Some(runtime.map_or(pos, |r| pos.min(r)))
    }

    pub fn is_paused(&self) -> bool {
        self.session
            .as_ref()
            .and_then(|s| s.play_state.as_ref())
            .and_then(|p| p.is_paused)
            .unwrap_or(false)
    }
}

/// The stream URL box: the URL (it holds a token) and where it came from.
#[derive(Debug, Clone)]
pub struct UrlView {
    pub server_id: String,
    pub server_name: String,
    pub title: String,
    pub url: Secret,
}

fn server_name(state: &State, server_id: &str) -> String {
    state
        .servers
        .rows
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(server_id))
        .map(|r| r.name.clone())
        .unwrap_or_else(|| server_id.to_string())
}

/// Opens the play menu for an item of a session (and asks for the other devices).
pub fn open_menu(state: &mut State, server_id: &str, item: BaseItemDto) -> Vec<Effect> {
    if !is_playable(&item) {
        let name = item.name.clone().unwrap_or_default();
        state.notice = Some(Message::error(format!(
            "{name} is not something to play: P plays a movie, an episode, a video, a track or a music video."
        )));
        return Vec::new();
    }
    let resume_ticks = item
        .user_data
        .as_ref()
        .and_then(|u| u.playback_position_ticks)
        .filter(|t| *t > 0);
    let mut menu = PlayMenu {
        server_id: server_id.to_string(),
        item: Box::new(item),
        resume_ticks,
        from_start: false,
        sessions: None,
        cursor: 0,
        message: None,
    };
    menu.cursor = menu.first_target();
    state.overlay = Some(Overlay::Play(menu));
    vec![Effect::PlayTargets {
        server_id: server_id.to_string(),
    }]
}

/// Whether the item under the cursor of the active session can be played.
pub fn selected_is_playable(state: &State) -> bool {
    state
        .active_session()
        .and_then(|s| browse::selected_item(s.current()))
        .is_some_and(is_playable)
}

/// The play menu for the item under the cursor of the active session.
pub fn open_menu_on_selected(state: &mut State) -> Vec<Effect> {
    let Some(sess) = state.sessions.get(state.active) else {
        return Vec::new();
    };
    let server_id = sess.server_id.clone();
    match browse::selected_item(sess.current()).cloned() {
        Some(item) => open_menu(state, &server_id, item),
        None => Vec::new(),
    }
}

/// A key in the play menu.
pub fn menu_command(state: &mut State, cmd: Command) -> Vec<Effect> {
    let Some(Overlay::Play(menu)) = &mut state.overlay else {
        return Vec::new();
    };
    let n = menu.entries().len();
    match cmd {
        Command::Down => menu.cursor = (menu.cursor + 1).min(n.saturating_sub(1)),
        Command::Up => menu.cursor = menu.cursor.saturating_sub(1),
        Command::Cancel => state.overlay = None,
        Command::Quit => state.quit = true,
        Command::Refresh => {
            menu.sessions = None;
            menu.cursor = menu.cursor.min(menu.first_target());
            return vec![Effect::PlayTargets {
                server_id: menu.server_id.clone(),
            }];
        }
        Command::Submit => return choose(state),
        _ => {}
    }
    Vec::new()
}

/// Enter on a line of the play menu.
fn choose(state: &mut State) -> Vec<Effect> {
    let Some(Overlay::Play(menu)) = &mut state.overlay else {
        return Vec::new();
    };
    let Some(entry) = menu.entries().get(menu.cursor).cloned() else {
        return Vec::new();
    };
    let (server_id, item_id, start) = (menu.server_id.clone(), menu.item_id(), menu.start());
    match entry {
        MenuEntry::Resume | MenuEntry::FromStart => {
            menu.from_start = entry == MenuEntry::FromStart;
            menu.cursor = menu.first_target();
            Vec::new()
        }
        MenuEntry::Here => {
            if let Some(p) = &state.playing {
                menu.message = Some(Message::error(format!(
                    "{} is playing here already; stop it first (S).",
                    p.now.title
                )));
                return Vec::new();
            }
            let media_type = menu.item.media_type.clone();
            let title = crate::session::hub::title_of(&menu.item);
            let runtime_ticks = menu.item.run_time_ticks;
            let foreground = state.player.needs_terminal(media_type.as_deref());
            state.playing = Some(NowPlaying {
                now: PlaybackUpdate {
                    server_id: server_id.clone(),
                    item_id: item_id.clone(),
                    title,
                    position_ticks: 0,
                    runtime_ticks,
                    paused: false,
                },
                foreground,
                started: false,
            });
            state.overlay = None;
            vec![Effect::PlayHere {
                server_id,
                item_id,
                start,
                player: state.player.clone(),
                foreground,
            }]
        }
        MenuEntry::Session(i) => {
            let Some(Ok(list)) = &menu.sessions else {
                return Vec::new();
            };
            let Some(target) = list.get(i) else {
                return Vec::new();
            };
            let label = crate::session::hub::session_label(target);
            let session_id = target.id.clone().unwrap_or_default();
            menu.message = Some(Message::info(format!("Starting it on {label}…")));
            vec![Effect::PlayOn {
                server_id,
                session_id,
                label,
                item_id,
                start,
            }]
        }
        MenuEntry::CopyUrl => {
            menu.message = Some(Message::info("Asking the server for a stream URL…"));
            vec![Effect::CopyUrl { server_id, item_id }]
        }
    }
}

/// The other devices came back.
pub fn targets_listed(
    state: &mut State,
    server_id: &str,
    result: Result<Vec<SessionInfo>, String>,
) {
    if let Some(Overlay::Play(menu)) = &mut state.overlay
        && menu.server_id.eq_ignore_ascii_case(server_id)
    {
        menu.sessions = Some(result);
        let n = menu.entries().len();
        menu.cursor = menu.cursor.min(n.saturating_sub(1));
    }
}

/// A playback here moved on.
pub fn playback_update(state: &mut State, u: PlaybackUpdate) -> Vec<Effect> {
    if let Some(p) = &mut state.playing
        && p.is(&u.server_id, &u.item_id)
    {
        p.started = true;
        let runtime_ticks = u.runtime_ticks.or(p.now.runtime_ticks);
        p.now = PlaybackUpdate { runtime_ticks, ..u };
    }
    Vec::new()
}

/// Copies the server's user data into every copy of the item on screen.
fn apply_user_data(
    state: &mut State,
    server_id: &str,
    item_id: &str,
    data: UserItemDataDto,
) -> Vec<Effect> {
    let Some(generation) = state
        .session_index(server_id)
        .map(|i| state.sessions[i].current().generation)
    else {
        return Vec::new();
    };
    browse::loaded(
        state,
        server_id,
        generation,
        Ok(Loaded::UserData {
            item_id: item_id.to_string(),
            data,
        }),
    )
}

/// Reloads the home screen of a session if it is on top (Continue Watching changed).
fn reload_home(state: &mut State, server_id: &str) -> Vec<Effect> {
    let generation = state.new_generation();
    let Some(i) = state.session_index(server_id) else {
        return Vec::new();
    };
    let sess = &mut state.sessions[i];
    let screen = sess.current_mut();
    if !matches!(screen.view, browse::View::Home(_)) {
        return Vec::new();
    }
    // what is on screen stays until the answer replaces it
    screen.generation = generation;
    vec![Effect::Load {
        server_id: sess.server_id.clone(),
        generation,
        request: Request::Home,
    }]
}

/// The player here is gone (or never started): the terminal comes back (the loop sees
/// `playing` cleared), the rows show what the server now holds, and a sentence says how it ended.
pub fn playback_ended(
    state: &mut State,
    server_id: &str,
    item_id: &str,
    result: Result<Played, String>,
) -> Vec<Effect> {
    if state
        .playing
        .as_ref()
        .is_some_and(|p| p.is(server_id, item_id))
    {
        state.playing = None;
    }
    // the terminal may have been lent: draw everything afresh
    state.repaint = true;
    match result {
        Err(e) => {
            state.notice = Some(Message::error(e));
            Vec::new()
        }
        Ok(played) => {
            let data = played.user_data.clone();
            let text = match &data {
                Some(d) if d.played.unwrap_or(false) && played.ended => {
                    format!(
                        "Played {} to the end; the server marks it played.",
                        played.title
                    )
                }
                Some(d) if d.played.unwrap_or(false) => format!(
                    "Stopped {} at {}; the server counts it as played.",
                    played.title,
                    clock(played.position_ticks)
                ),
                Some(d) if d.playback_position_ticks.unwrap_or(0) > 0 => format!(
                    "Stopped {} at {}; it resumes from {} next time.",
                    played.title,
                    clock(played.position_ticks),
                    clock(d.playback_position_ticks.unwrap_or(0))
                ),
                _ => format!(
                    "Stopped {} at {}.",
                    played.title,
                    clock(played.position_ticks)
                ),
            };
            state.notice = Some(Message::info(text));
            let mut effects = Vec::new();
            if let Some(d) = data {
                effects.extend(apply_user_data(state, server_id, item_id, d));
            }
            effects.extend(reload_home(state, server_id));
            effects
        }
    }
}

/// Ticks as "1:02:03" / "2:03".
pub fn clock(ticks: i64) -> String {
    let s = ticks.max(0) / 10_000_000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// Play on a device was answered: the remote-control panel of that device opens.
pub fn played_on(
    state: &mut State,
    server_id: &str,
    session_id: &str,
    label: &str,
    result: Result<(), String>,
) -> Vec<Effect> {
    match result {
        Err(e) => {
            if let Some(Overlay::Play(menu)) = &mut state.overlay {
                menu.message = Some(Message::error(e));
            } else {
                state.notice = Some(Message::error(e));
            }
            Vec::new()
        }
        Ok(()) => open_remote(state, server_id, session_id, label),
    }
}

/// Opens the remote-control panel of a session and asks where it is.
pub fn open_remote(
    state: &mut State,
    server_id: &str,
    session_id: &str,
    label: &str,
) -> Vec<Effect> {
    state.overlay = Some(Overlay::Remote(RemotePanel {
        server_id: server_id.to_string(),
        session_id: session_id.to_string(),
        label: label.to_string(),
        session: None,
        read_at_ms: state.now_ms,
        asked_at_ms: state.now_ms,
        message: None,
    }));
    vec![Effect::RemoteRefresh {
        server_id: server_id.to_string(),
        session_id: session_id.to_string(),
    }]
}

/// The clock ticked: the remote panel asks again every [`REMOTE_POLL_MS`].
pub fn tick(state: &mut State) -> Vec<Effect> {
    let now = state.now_ms;
    if let Some(Overlay::Remote(panel)) = &mut state.overlay
        && now.saturating_sub(panel.asked_at_ms) >= REMOTE_POLL_MS
    {
        panel.asked_at_ms = now;
        return vec![Effect::RemoteRefresh {
            server_id: panel.server_id.clone(),
            session_id: panel.session_id.clone(),
        }];
    }
    Vec::new()
}

/// Where the device is, as the server says.
pub fn remote_read(
    state: &mut State,
    server_id: &str,
    session_id: &str,
    result: Result<Box<SessionInfo>, String>,
) {
    let now = state.now_ms;
    if let Some(Overlay::Remote(panel)) = &mut state.overlay
        && panel.server_id.eq_ignore_ascii_case(server_id)
        && panel.session_id == session_id
    {
        match result {
            Ok(s) => {
                panel.session = Some(s);
                panel.read_at_ms = now;
                if panel.message.as_ref().is_some_and(|m| m.error) {
                    panel.message = None;
                }
            }
            Err(e) => panel.message = Some(Message::error(e)),
        }
    }
}

/// A command to the device was answered: read it again at once.
pub fn remote_done(
    state: &mut State,
    server_id: &str,
    session_id: &str,
    result: Result<String, String>,
) -> Vec<Effect> {
    let now = state.now_ms;
    if let Some(Overlay::Remote(panel)) = &mut state.overlay
        && panel.server_id.eq_ignore_ascii_case(server_id)
        && panel.session_id == session_id
    {
        panel.message = Some(match result {
            Ok(done) => Message::info(done),
            Err(e) => Message::error(e),
        });
        panel.asked_at_ms = now;
        return vec![Effect::RemoteRefresh {
            server_id: server_id.to_string(),
            session_id: session_id.to_string(),
        }];
    }
    Vec::new()
}

/// A key in the remote-control panel.
pub fn remote_command(state: &mut State, cmd: Command) -> Vec<Effect> {
    let now = state.now_ms;
    let Some(Overlay::Remote(panel)) = &mut state.overlay else {
        return Vec::new();
    };
    let position = panel.position_ticks(now).unwrap_or(0);
    let command = match cmd {
        Command::Cancel => {
            state.overlay = None;
            return Vec::new();
        }
        Command::Quit => {
            state.quit = true;
            return Vec::new();
        }
        Command::Refresh => {
            panel.asked_at_ms = now;
            return vec![Effect::RemoteRefresh {
                server_id: panel.server_id.clone(),
                session_id: panel.session_id.clone(),
            }];
        }
        Command::TogglePause if panel.is_paused() => Playstate::Unpause,
        Command::TogglePause => Playstate::Pause,
        Command::StopPlayback => Playstate::Stop,
        Command::NextItem => Playstate::NextTrack,
        Command::PrevItem => Playstate::PreviousTrack,
        Command::SeekBack => Playstate::Seek((position - SEEK_STEP_TICKS).max(0)),
        Command::SeekForward => Playstate::Seek(position + SEEK_STEP_TICKS),
        _ => return Vec::new(),
    };
    panel.message = Some(Message::info(format!("{}…", describe(command))));
    vec![Effect::RemoteCommand {
        server_id: panel.server_id.clone(),
        session_id: panel.session_id.clone(),
        command,
    }]
}

/// What a command does, in words.
pub fn describe(command: Playstate) -> String {
    match command {
        Playstate::Pause => "Pausing".into(),
        Playstate::Unpause => "Playing on".into(),
        Playstate::PlayPause => "Pausing or playing on".into(),
        Playstate::Stop => "Stopping".into(),
        Playstate::NextTrack => "Next".into(),
        Playstate::PreviousTrack => "Previous".into(),
        Playstate::Seek(t) => format!("Going to {}", clock(t)),
    }
}

/// What a command did, in words (once the server accepted it).
pub fn done(command: Playstate) -> String {
    match command {
        Playstate::Pause => "Paused.".into(),
        Playstate::Unpause | Playstate::PlayPause => "Playing on.".into(),
        Playstate::Stop => "Stopped.".into(),
        Playstate::NextTrack => "On to the next item.".into(),
        Playstate::PreviousTrack => "Back to the previous item.".into(),
        Playstate::Seek(t) => format!("Went to {}.", clock(t)),
    }
}

/// A stream URL came back: it goes to the terminal's clipboard and on screen.
pub fn stream_url(state: &mut State, server_id: &str, result: Result<(String, Secret), String>) {
    match result {
        Ok((title, url)) => {
            state.clipboard = Some(url.clone());
            state.overlay = Some(Overlay::StreamUrl(UrlView {
                server_id: server_id.to_string(),
                server_name: server_name(state, server_id),
                title,
                url,
            }));
        }
        Err(e) => {
            if let Some(Overlay::Play(menu)) = &mut state.overlay {
                menu.message = Some(Message::error(e));
            } else {
                state.notice = Some(Message::error(e));
            }
        }
    }
}

/// A key in the stream URL box.
pub fn url_command(state: &mut State, cmd: Command) -> Vec<Effect> {
    match cmd {
        Command::Cancel | Command::Submit => state.overlay = None,
        Command::Quit => state.quit = true,
        Command::CopyAgain => {
            if let Some(Overlay::StreamUrl(v)) = &state.overlay {
                state.clipboard = Some(v.url.clone());
            }
        }
        _ => {}
    }
    Vec::new()
}

/// `S` in a session: the player here is asked to quit.
pub fn stop_here(state: &mut State) -> Vec<Effect> {
    match &state.playing {
        Some(_) => vec![Effect::StopHere],
        None => {
            state.notice = Some(Message::info("Nothing is playing here."));
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Action, update};
    use crate::emby::models::PlayerStateInfo;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
        update(s, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn movie(resume_secs: i64) -> BaseItemDto {
        BaseItemDto {
            id: Some("m1".into()),
            name: Some("A Film".into()),
            item_type: Some("Movie".into()),
            media_type: Some("Video".into()),
            run_time_ticks: Some(5400 * 10_000_000),
            user_data: Some(UserItemDataDto {
                playback_position_ticks: Some(resume_secs * 10_000_000),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn menu(s: &State) -> &PlayMenu {
        match &s.overlay {
            Some(Overlay::Play(m)) => m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn what_can_be_played() {
        assert!(is_playable(&movie(0)));
        let track = BaseItemDto {
            item_type: Some("Audio".into()),
            ..Default::default()
        };
        assert!(is_playable(&track));
        let folder = BaseItemDto {
            item_type: Some("Series".into()),
            is_folder: Some(true),
            ..Default::default()
        };
        assert!(!is_playable(&folder));
        let mut s = State::new("pin");
        assert!(open_menu(&mut s, "a", folder).is_empty());
        assert!(s.notice.as_ref().is_some_and(|n| n.error));
        assert!(s.overlay.is_none());
    }

    #[test]
    fn a_saved_position_is_offered_first_and_the_choice_goes_with_the_play() {
        let mut s = State::new("pin");
        let e = open_menu(&mut s, "a", movie(2530));
        assert!(matches!(e.as_slice(), [Effect::PlayTargets { .. }]));
        let m = menu(&s);
        assert_eq!(m.resume_ticks, Some(2530 * 10_000_000));
        assert_eq!(
            m.entries(),
            [
                MenuEntry::Resume,
                MenuEntry::FromStart,
                MenuEntry::Here,
                MenuEntry::CopyUrl
            ]
        );
        assert_eq!(
            m.entries()[m.cursor],
            MenuEntry::Here,
            "the cursor starts on here"
        );
        // choose "from the start", then here
        key(&mut s, KeyCode::Up);
        key(&mut s, KeyCode::Enter);
        assert!(menu(&s).from_start);
        assert_eq!(menu(&s).entries()[menu(&s).cursor], MenuEntry::Here);
        let e = key(&mut s, KeyCode::Enter);
        assert!(
            matches!(
                e.as_slice(),
                [Effect::PlayHere {
                    start: StartAt::Beginning,
                    foreground: false,
                    ..
                }]
            ),
            "{e:?}"
        );
        assert!(s.overlay.is_none());
        assert!(s.playing.is_some() && !s.terminal_lent());
        // a second play here waits for the first
        open_menu(&mut s, "a", movie(0));
        key(&mut s, KeyCode::Enter);
        assert!(menu(&s).message.as_ref().is_some_and(|m| m.error));
    }

    #[test]
    fn devices_join_the_menu_and_a_refusal_keeps_it_open_with_the_reason() {
        let mut s = State::new("pin");
        open_menu(&mut s, "a", movie(0));
        let tv = SessionInfo {
            id: Some("tv".into()),
            device_name: Some("TV".into()),
            client: Some("Emby Theater".into()),
            ..Default::default()
        };
        update(
            &mut s,
            Action::PlayTargets {
                server_id: "A".into(),
                result: Ok(vec![tv]),
            },
        );
        key(&mut s, KeyCode::Down);
        let e = key(&mut s, KeyCode::Enter);
        assert!(
            matches!(e.as_slice(), [Effect::PlayOn { session_id, label, start: StartAt::Beginning, .. }]
                if session_id == "tv" && label == "TV (Emby Theater)"),
            "{e:?}"
        );
        update(
            &mut s,
            Action::PlayedOn {
                server_id: "a".into(),
                session_id: "tv".into(),
                label: "TV (Emby Theater)".into(),
                result: Err("TV refused: it cannot play Audio".into()),
            },
        );
        assert!(menu(&s).message.as_ref().is_some_and(|m| m.error));
        update(
            &mut s,
            Action::PlayedOn {
                server_id: "a".into(),
                session_id: "tv".into(),
                label: "TV (Emby Theater)".into(),
                result: Ok(()),
            },
        );
        assert!(matches!(s.overlay, Some(Overlay::Remote(_))));
    }

    #[test]
    fn the_panel_polls_every_5_s_moves_the_position_on_and_seeks_from_where_it_is() {
        let mut s = State::new("pin");
        update(&mut s, Action::Tick(1_000_000));
        let e = open_remote(&mut s, "a", "tv", "TV");
        assert!(matches!(e.as_slice(), [Effect::RemoteRefresh { .. }]));
        let playing = SessionInfo {
            now_playing_item: Some(movie(0)),
            play_state: Some(PlayerStateInfo {
                position_ticks: Some(100 * 10_000_000),
                is_paused: Some(false),
                ..Default::default()
            }),
            ..Default::default()
        };
        update(
            &mut s,
            Action::RemoteRead {
                server_id: "a".into(),
                session_id: "tv".into(),
                result: Ok(Box::new(playing)),
            },
        );
        assert!(update(&mut s, Action::Tick(1_004_999)).is_empty());
        let Some(Overlay::Remote(p)) = &s.overlay else {
            panic!()
        };
        assert_eq!(p.position_ticks(s.now_ms), Some(104_999 * 10_000));
        let e = update(&mut s, Action::Tick(1_005_000));
        assert!(matches!(e.as_slice(), [Effect::RemoteRefresh { .. }]));
        // 30 s back from 105 s: to 75 s, absolute
        let e = key(&mut s, KeyCode::Left);
        assert!(
            matches!(e.as_slice(), [Effect::RemoteCommand { command: Playstate::Seek(t), .. }] if *t == 75 * 10_000_000),
            "{e:?}"
        );
        let e = key(&mut s, KeyCode::Char(' '));
        assert!(matches!(
            e.as_slice(),
            [Effect::RemoteCommand {
                command: Playstate::Pause,
                ..
            }]
        ));
        key(&mut s, KeyCode::Esc);
        assert!(s.overlay.is_none());
        assert!(
            update(&mut s, Action::Tick(2_000_000)).is_empty(),
            "no panel, no polling"
        );
    }

    #[test]
    fn a_stream_url_goes_to_the_clipboard_once_and_c_sends_it_again() {
        let mut s = State::new("pin");
        stream_url(
            &mut s,
            "a",
            Ok(("A Film".into(), Secret::new("http://h/x?api_key=t"))),
        );
        assert_eq!(s.take_clipboard().unwrap().expose(), "http://h/x?api_key=t");
        assert!(s.take_clipboard().is_none());
        key(&mut s, KeyCode::Char('c'));
        assert!(s.take_clipboard().is_some());
        // the URL never shows in a debug print of the state
        assert!(!format!("{s:?}").contains("api_key=t"));
    }
}
