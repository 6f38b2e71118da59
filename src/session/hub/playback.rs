//! Playing here with an external player, and the stream URL: `POST /Items/{Id}/PlaybackInfo`
//! first, the media source chosen as the SDK's guidelines say, the stream URL built, the player
//! run (`crate::player`), and Start / Progress / Stop reported to the server with one
//! `PlaySessionId`, positions in ticks.

use tokio::sync::mpsc::unbounded_channel;
use tokio::sync::watch;

use crate::emby::models::{BaseItemDto, PlaybackReport, UserItemDataDto};
use crate::emby::server::{MediaKind, PlayMethod, ReportCall, StreamUrl, choose_source};
use crate::emby::{Error, Secret};
use crate::player::{self, Launch, PlayerConfig, Report, ReportKind, Tracked, ticks};

use super::super::error::SessionError;
use super::{Event, Hub};

/// Where to start playing.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum StartAt {
    /// From the saved position, if there is one (the default, as the official apps offer).
    #[default]
    Resume,
    /// From the start.
    Beginning,
    /// From this many seconds in.
    Seconds(f64),
}

impl StartAt {
    /// The start in ticks for this item.
    pub fn ticks(self, item: &BaseItemDto) -> i64 {
        match self {
            StartAt::Resume => item
                .user_data
                .as_ref()
                .and_then(|u| u.playback_position_ticks)
                .unwrap_or(0)
                .max(0),
            StartAt::Beginning => 0,
            StartAt::Seconds(s) => ticks(s),
        }
    }
}

/// Everything known before the player starts.
#[derive(Debug, Clone)]
pub struct PlayPlan {
    pub item: BaseItemDto,
    /// What the player shows as the title.
    pub title: String,
    pub media_source_id: Option<String>,
    pub play_session_id: Option<String>,
    pub method: PlayMethod,
    /// The media source's length (the item's when the source does not say).
    pub runtime_ticks: Option<i64>,
    pub start_ticks: i64,
    pub stream: StreamUrl,
    pub token: Secret,
}

/// A playback here as it goes, for a "now playing" line.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaybackUpdate {
    pub server_id: String,
    pub item_id: String,
    pub title: String,
    pub position_ticks: i64,
    pub runtime_ticks: Option<i64>,
    pub paused: bool,
}

/// How a playback here ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Played {
    pub item_id: String,
    pub title: String,
    /// The position the Stop carried.
    pub position_ticks: i64,
    /// It reached the end of the file.
    pub ended: bool,
    /// The item's user data as the server has it now (None if it could not be read).
    pub user_data: Option<UserItemDataDto>,
}

/// The title a player shows: "Series S01E02 Name" for an episode, else the name.
pub fn title_of(item: &BaseItemDto) -> String {
    let name = item.name.clone().unwrap_or_else(|| "(no name)".into());
    match (
        item.item_type.as_deref(),
        &item.series_name,
        item.parent_index_number,
        item.index_number,
    ) {
        (Some("Episode"), Some(series), Some(s), Some(e)) => {
            format!("{series} S{s:02}E{e:02} {name}")
        }
        _ => name,
    }
}

fn is_audio(item: &BaseItemDto) -> bool {
    item.media_type
        .as_deref()
        .is_some_and(|m| m.eq_ignore_ascii_case("Audio"))
}

impl Hub {
    /// PlaybackInfo, the media source, the stream URL: everything a player needs.
    pub async fn plan_playback(
        &self,
        server_id: &str,
        item_id: &str,
        start: StartAt,
    ) -> Result<PlayPlan, SessionError> {
        let item = self.item(server_id, item_id).await?;
        let title = title_of(&item);
        if item.is_folder.unwrap_or(false) {
            return Err(SessionError::NotPlayable {
                name: title,
                reason: "it is a folder; open it and pick an item".into(),
            });
        }
        let kind = if is_audio(&item) {
            MediaKind::Audio
        } else {
            MediaKind::Video
        };
        let id = item_id.to_string();
        let (info, token, stream) = self
            .call(server_id, true, |c| {
                let id = id.clone();
                async move {
                    let info = c.playback_info(&id).await?;
                    let stream = choose_source(&info.media_sources).map(|(source, method)| {
                        (
                            source.clone(),
                            method,
                            c.stream_for(
                                &id,
                                kind,
                                source,
                                method,
                                info.play_session_id.as_deref(),
                            ),
                        )
                    });
                    Ok::<_, Error>((info, c.token().clone(), stream))
                }
            })
            .await?;
        let Some((source, method, stream)) = stream else {
            let reason = match info.error_code.as_deref() {
                Some("NotAllowed") => "the server does not allow this user to play it".to_string(),
                Some(code) => format!("the server offers no stream of it ({code})"),
                None => "the server offers no stream of it".to_string(),
            };
            return Err(SessionError::NotPlayable {
                name: title,
                reason,
            });
        };
        let stream = stream?;
        Ok(PlayPlan {
            start_ticks: start.ticks(&item),
            runtime_ticks: source.run_time_ticks.or(item.run_time_ticks),
            title,
            media_source_id: source.id.clone(),
            play_session_id: info.play_session_id,
            method,
            stream,
            token,
            item,
        })
    }

    /// A direct stream URL with `api_key`, and the item's title (for `stream-url` and the copy).
    pub async fn stream_url(
        &self,
        server_id: &str,
        item_id: &str,
    ) -> Result<(String, Secret), SessionError> {
        let plan = self
            .plan_playback(server_id, item_id, StartAt::Beginning)
            .await?;
        Ok((plan.title, plan.stream.with_key))
    }

    /// Sends one report; a failure is logged (playback goes on, the next report may get through).
    async fn send_report(&self, server_id: &str, plan: &PlayPlan, report: Report) {
        let (call, event) = match report.kind {
            ReportKind::Start => (ReportCall::Start, None),
            ReportKind::Progress(e) => (ReportCall::Progress, Some(e.name().to_string())),
            ReportKind::Stop => (ReportCall::Stopped, None),
        };
        let stopped = call == ReportCall::Stopped;
        let body = PlaybackReport {
            item_id: plan.item.id.clone().unwrap_or_default(),
            media_source_id: plan.media_source_id.clone(),
            play_session_id: plan.play_session_id.clone(),
            position_ticks: report.position_ticks,
            is_paused: (!stopped).then_some(report.paused),
            can_seek: (!stopped).then_some(true),
            play_method: (!stopped).then(|| plan.method.name().to_string()),
            run_time_ticks: if stopped { None } else { plan.runtime_ticks },
            event_name: event,
        };
        let sent = self
            .call(server_id, true, |c| {
                let body = body.clone();
                async move { c.report_playback(call, &body).await }
            })
            .await;
        match sent {
            Ok(()) => {
                tracing::info!(server = %server_id, call = ?call, position = report.position_ticks, "playback reported")
            }
            Err(e) => {
                tracing::warn!(server = %server_id, call = ?call, error = %e, "a playback report failed")
            }
        }
    }

    /// Asks the player here (if one runs) to quit; its playback is then reported stopped.
    /// True when one was running.
    pub fn stop_here(&self) -> bool {
        let here = self.inner.here.lock().unwrap_or_else(|p| p.into_inner());
        match here.as_ref() {
            Some(stop) => {
                let _ = stop.send(true);
                true
            }
            None => false,
        }
    }

    /// Plays an item here with the player and reports it: Start when it plays, Progress every
    /// 10 s and on pause / seek, Stop with the last position when the player is gone. Returns
    /// when the player has exited and Stop was sent. A player that cannot be started is an
    /// error, and then nothing was reported as playing. `foreground`: the player gets this
    /// terminal. One at a time; [`Hub::stop_here`] asks it to quit.
    pub async fn play_here(
        &self,
        server_id: &str,
        item_id: &str,
        start: StartAt,
        player: &PlayerConfig,
        foreground: bool,
    ) -> Result<Played, SessionError> {
        let (stop_tx, stop) = watch::channel(false);
        {
            let mut here = self.inner.here.lock().unwrap_or_else(|p| p.into_inner());
            if here.is_some() {
                return Err(SessionError::Other(
                    "something is playing here already; stop it first".into(),
                ));
            }
            *here = Some(stop_tx);
        }
        let result = self
            .play_here_now(server_id, item_id, start, player, foreground, stop)
            .await;
        *self.inner.here.lock().unwrap_or_else(|p| p.into_inner()) = None;
        result
    }

    async fn play_here_now(
        &self,
        server_id: &str,
        item_id: &str,
        start: StartAt,
        player: &PlayerConfig,
        foreground: bool,
        stop: watch::Receiver<bool>,
    ) -> Result<Played, SessionError> {
        let plan = self.plan_playback(server_id, item_id, start).await?;
        let launch = Launch {
            title: plan.title.clone(),
            start_secs: plan.start_ticks as f64 / player::TICKS_PER_SECOND as f64,
            url: plan.stream.bare.clone(),
            url_with_key: plan.stream.with_key.clone(),
            token: plan.token.clone(),
            foreground,
        };
        let (events_tx, events_rx) = unbounded_channel();
        let (tracked_tx, mut tracked_rx) = unbounded_channel();
        let driver = player::run::run(player, &launch, events_tx, stop);
        let tracker =
            player::track::track(events_rx, plan.start_ticks, plan.runtime_ticks, tracked_tx);
        let reporter = async {
            while let Some(t) = tracked_rx.recv().await {
                let (position_ticks, paused) = match t {
                    Tracked::Report(r) => {
                        self.send_report(server_id, &plan, r).await;
                        (r.position_ticks, r.paused)
                    }
                    Tracked::Now {
                        position_ticks,
                        paused,
                    } => (position_ticks, paused),
                };
                self.emit(Event::Playback(PlaybackUpdate {
                    server_id: server_id.to_string(),
                    item_id: item_id.to_string(),
                    title: plan.title.clone(),
                    position_ticks,
                    runtime_ticks: plan.runtime_ticks,
                    paused,
                }));
            }
        };
        let (driven, outcome, ()) = tokio::join!(driver, tracker, reporter);
        driven?;
        let user_data = match self.item(server_id, item_id).await {
            Ok(it) => it.user_data,
            Err(e) => {
                tracing::info!(error = %e, "the item could not be read after playing");
                None
            }
        };
        Ok(Played {
            item_id: item_id.to_string(),
            title: plan.title,
            position_ticks: outcome.position_ticks,
            ended: outcome.ended,
            user_data,
        })
    }
}
