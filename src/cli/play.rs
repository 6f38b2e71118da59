//! The playing commands: `sessions`, `play`, `control`, `stream-url`.

use anyhow::bail;
use serde::Serialize;

use crate::emby::models::SessionInfo;
use crate::emby::server::Playstate;
use crate::player::ticks;
use crate::session::hub::{session_label, title_of};
use crate::session::{Hub, StartAt};

use super::args::{ControlCommand, GlobalOptions};
use super::output::print_json;

/// What a session is playing, as scripts see it.
#[derive(Debug, Serialize)]
pub struct NowPlayingOut {
    pub item_id: Option<String>,
    pub name: Option<String>,
    pub position_ticks: i64,
    pub runtime_ticks: Option<i64>,
    pub is_paused: bool,
}

/// A controllable session as scripts see it.
#[derive(Debug, Serialize)]
pub struct SessionOut {
    pub id: Option<String>,
    pub client: Option<String>,
    pub device_name: Option<String>,
    pub device_id: Option<String>,
    pub user_name: Option<String>,
    pub supports_remote_control: bool,
    pub playable_media_types: Vec<String>,
    pub now_playing: Option<NowPlayingOut>,
}

impl From<&SessionInfo> for SessionOut {
    fn from(s: &SessionInfo) -> Self {
        let state = s.play_state.clone().unwrap_or_default();
        SessionOut {
            id: s.id.clone(),
            client: s.client.clone(),
            device_name: s.device_name.clone(),
            device_id: s.device_id.clone(),
            user_name: s.user_name.clone(),
            supports_remote_control: s.supports_remote_control.unwrap_or(false),
            playable_media_types: s.playable_media_types.clone(),
            now_playing: s.now_playing_item.as_ref().map(|item| NowPlayingOut {
                item_id: item.id.clone(),
                name: item.name.clone(),
                position_ticks: state.position_ticks.unwrap_or(0),
                runtime_ticks: item.run_time_ticks,
                is_paused: state.is_paused.unwrap_or(false),
            }),
        }
    }
}

fn clock(t: i64) -> String {
    crate::app::play::clock(t)
}

/// `sessions SERVER_ID [--json]`.
pub async fn sessions(hub: &Hub, server_id: &str, json: bool) -> anyhow::Result<()> {
    let list = hub.controllable_sessions(server_id).await?;
    let out: Vec<SessionOut> = list.iter().map(SessionOut::from).collect();
    if json {
        return print_json(&out);
    }
    if list.is_empty() {
        tell!("No other Emby app of yours can be controlled on that server now.");
    }
    for s in &list {
        let playing = match &s.now_playing_item {
            Some(item) => {
                let st = s.play_state.clone().unwrap_or_default();
                format!(
                    "  {} {} at {}{}",
                    if st.is_paused.unwrap_or(false) {
                        "paused on"
                    } else {
                        "playing"
                    },
                    title_of(item),
                    clock(st.position_ticks.unwrap_or(0)),
                    item.run_time_ticks
                        .map(|r| format!(" / {}", clock(r)))
                        .unwrap_or_default()
                )
            }
            None => "  idle".into(),
        };
        say!(
            "{}  {}  {}{}",
            s.id.as_deref().unwrap_or("?"),
            session_label(s),
            s.user_name.as_deref().unwrap_or(""),
            playing
        );
    }
    Ok(())
}

/// The options of `play`.
pub struct PlayArgs {
    pub server_id: String,
    pub item_id: String,
    pub on: Option<String>,
    pub from_start: bool,
    pub start_seconds: Option<f64>,
    pub player: Option<String>,
}

/// `play SERVER_ID ITEM_ID [--on SESSION_ID] [--from-start | --start-seconds N] [--player T]`.
pub async fn play(hub: &Hub, global: &GlobalOptions, a: PlayArgs) -> anyhow::Result<()> {
    let start = match (a.from_start, a.start_seconds) {
        (_, Some(s)) if !s.is_finite() || s < 0.0 => {
            bail!("--start-seconds takes a number of seconds, 0 or more (got {s})")
        }
        (_, Some(s)) => StartAt::Seconds(s),
        (true, None) => StartAt::Beginning,
        (false, None) => StartAt::Resume,
    };
    if let Some(session_id) = &a.on {
        let at = hub
            .play_on(&a.server_id, session_id, &a.item_id, start)
            .await?;
        tell!(
            "Started on session {session_id}{}.",
            if at > 0 {
                format!(" at {}", clock(at))
            } else {
                String::new()
            }
        );
        return Ok(());
    }
    let player = global.player(a.player.as_deref())?;
    // Ctrl-C reaches the player (it has this terminal) and us: the player quits, and we stay
    // to report where it stopped.
    let stopper = hub.clone();
    let watch_ctrl_c = tokio::spawn(async move {
        while tokio::signal::ctrl_c().await.is_ok() {
            stopper.stop_here();
        }
    });
    let played = hub
        .play_here(&a.server_id, &a.item_id, start, &player, true)
        .await;
    watch_ctrl_c.abort();
    let played = played?;
    let resume = played
        .user_data
        .as_ref()
        .and_then(|u| u.playback_position_ticks)
        .unwrap_or(0);
    let marked = played
        .user_data
        .as_ref()
        .and_then(|u| u.played)
        .unwrap_or(false);
    if played.ended {
        tell!("Played {} to the end.", played.title);
    } else if resume > 0 {
        tell!(
            "Stopped {} at {}; it resumes from {} next time.",
            played.title,
            clock(played.position_ticks),
            clock(resume)
        );
    } else if marked {
        tell!(
            "Stopped {} at {}; the server counts it as played.",
            played.title,
            clock(played.position_ticks)
        );
    } else {
        tell!(
            "Stopped {} at {}.",
            played.title,
            clock(played.position_ticks)
        );
    }
    Ok(())
}

/// `control SERVER_ID SESSION_ID COMMAND`.
pub async fn control(
    hub: &Hub,
    server_id: &str,
    session_id: &str,
    command: ControlCommand,
) -> anyhow::Result<()> {
    let command = match command {
        ControlCommand::Pause => Playstate::Pause,
        ControlCommand::Unpause => Playstate::Unpause,
        ControlCommand::Stop => Playstate::Stop,
        ControlCommand::Next => Playstate::NextTrack,
        ControlCommand::Previous => Playstate::PreviousTrack,
        ControlCommand::Seek { seconds } => {
            if !seconds.is_finite() || seconds < 0.0 {
                bail!("seek takes a position in seconds from the start, 0 or more (got {seconds})");
            }
            Playstate::Seek(ticks(seconds))
        }
    };
    hub.remote_command(server_id, session_id, command).await?;
    tell!("{}", crate::app::play::done(command));
    Ok(())
}

/// `stream-url SERVER_ID ITEM_ID`: the URL on stdout, the warning on stderr.
pub async fn stream_url(hub: &Hub, server_id: &str, item_id: &str) -> anyhow::Result<()> {
    let (_, url) = hub.stream_url(server_id, item_id).await?;
    let name = hub
        .report(server_id)
        .map(|r| r.name)
        .unwrap_or_else(|| server_id.to_string());
    // the one place a token is printed: the user asked for exactly this URL
    say!("{}", url.expose());
    tell!(
        "emby-tui: this URL holds your access token for {name}: whoever has it can play from that server as you. To revoke it, sign out of that server (`emby-tui server logout {server_id}`)."
    );
    Ok(())
}
