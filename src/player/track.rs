//! When to tell the server what plays: Start once the file plays, Progress every 10 s and at
//! once on pause, unpause and seek, Stop with the last position when the player is gone (the
//! full runtime when it reached the end of the file). Positions are in ticks (10,000,000 a
//! second). The server decides what is played from the Stop position (Emby's 5 % / 90 % rules).
//!
//! A player without IPC says nothing but that it started and exited: its Stop carries the
//! position it started from (a Stop without a position would mark the item played).

use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tokio::time::{Instant, Interval};

use super::run::PlayerEvent;

/// How often Progress is reported while playing (the SDK's check-in interval).
pub const PROGRESS_EVERY: Duration = Duration::from_secs(10);
/// Emby ticks per second.
pub const TICKS_PER_SECOND: i64 = 10_000_000;

/// Seconds as ticks.
pub fn ticks(secs: f64) -> i64 {
    if secs.is_finite() {
        (secs.max(0.0) * TICKS_PER_SECOND as f64).round() as i64
    } else {
        0
    }
}

/// `EventName` of a Progress report (Emby's `ProgressEvent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressEvent {
    TimeUpdate,
    Pause,
    Unpause,
}

impl ProgressEvent {
    pub fn name(self) -> &'static str {
        match self {
            ProgressEvent::TimeUpdate => "TimeUpdate",
            ProgressEvent::Pause => "Pause",
            ProgressEvent::Unpause => "Unpause",
        }
    }
}

/// Which of the three reporting calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    /// `POST /Sessions/Playing`.
    Start,
    /// `POST /Sessions/Playing/Progress`.
    Progress(ProgressEvent),
    /// `POST /Sessions/Playing/Stopped`.
    Stop,
}

/// One report for the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub kind: ReportKind,
    pub position_ticks: i64,
    pub paused: bool,
}

/// What the tracker hands on: reports for the server, and where playback is now (at most once
/// a second of position, for a "now playing" line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tracked {
    Report(Report),
    Now { position_ticks: i64, paused: bool },
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// It played (a Start was reported, and a Stop).
    pub started: bool,
    /// The position the Stop carried.
    pub position_ticks: i64,
    /// It reached the end of the file.
    pub ended: bool,
}

async fn next_tick(ticker: &mut Option<Interval>) {
    match ticker {
        Some(t) => {
            t.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// Follows a player's events until they end (the player is gone), sending [`Tracked`] values.
/// `runtime_ticks` is the media source's length: the Stop position after the end of the file.
pub async fn track(
    mut events: UnboundedReceiver<PlayerEvent>,
    start_ticks: i64,
    runtime_ticks: Option<i64>,
    out: UnboundedSender<Tracked>,
) -> Outcome {
    let mut started = false;
    let mut position = start_ticks.max(0);
    let mut paused = false;
    let mut ended = false;
    let mut duration = None;
    let mut shown_second = -1;
    let mut ticker: Option<Interval> = None;
    let report = |kind, position_ticks, paused| {
        let _ = out.send(Tracked::Report(Report {
            kind,
            position_ticks,
            paused,
        }));
    };
    loop {
        tokio::select! {
            ev = events.recv() => {
                let Some(ev) = ev else { break };
                match ev {
                    PlayerEvent::Started => {
                        if !started {
                            started = true;
                            report(ReportKind::Start, position, paused);
                            ticker = Some(tokio::time::interval_at(
                                Instant::now() + PROGRESS_EVERY,
                                PROGRESS_EVERY,
                            ));
                        }
                    }
                    PlayerEvent::Position(secs) => {
                        position = ticks(secs);
                    }
                    PlayerEvent::Paused(p) => {
                        if p != paused {
                            paused = p;
                            if started {
                                let e = if p { ProgressEvent::Pause } else { ProgressEvent::Unpause };
                                report(ReportKind::Progress(e), position, paused);
                            }
                        }
                    }
                    PlayerEvent::Seeked(secs) => {
                        position = ticks(secs);
                        if started {
                            report(ReportKind::Progress(ProgressEvent::TimeUpdate), position, paused);
                        }
                    }
                    PlayerEvent::Duration(secs) => duration = Some(ticks(secs)),
                    PlayerEvent::EndOfFile => ended = true,
                }
                let second = position / TICKS_PER_SECOND;
                if started && second != shown_second {
                    shown_second = second;
                    let _ = out.send(Tracked::Now { position_ticks: position, paused });
                }
            }
            _ = next_tick(&mut ticker) => {
                report(ReportKind::Progress(ProgressEvent::TimeUpdate), position, paused);
            }
        }
    }
    if started {
        if ended {
            let runtime = runtime_ticks.filter(|r| *r > 0);
            // the file's length as the player read it, else the item's
            match duration.filter(|d| *d > 0).or(runtime) {
                // the end of the file near its end: played through, stopped at the full runtime
                Some(length) if position >= length / 10 * 9 => {
                    position = runtime.unwrap_or(length);
                }
                // a file that ended early (a stream cut off, a player told to stop after a
                // while) is not the end of the item: the position reached is reported, so the
                // server does not mark the item played
                Some(_) => ended = false,
                None => {}
            }
        }
        report(ReportKind::Stop, position, paused);
    }
    Outcome {
        started,
        position_ticks: position,
        ended,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::mpsc::unbounded_channel;

    fn reports(rx: &mut UnboundedReceiver<Tracked>) -> Vec<Report> {
        let mut out = Vec::new();
        while let Ok(t) = rx.try_recv() {
            if let Tracked::Report(r) = t {
                out.push(r);
            }
        }
        out
    }

    const S: i64 = TICKS_PER_SECOND;

    /// Time is paused: it moves only when the test sleeps, so the cadence is exact.
    #[tokio::test(start_paused = true)]
    async fn progress_every_10_s_and_at_once_on_pause_and_seek_then_stop_at_the_last_position() {
        let (tx, rx) = unbounded_channel();
        let (out, mut got) = unbounded_channel();
        let tracker = tokio::spawn(track(rx, 100 * S, Some(3600 * S), out));
        tokio::task::yield_now().await;
        tx.send(PlayerEvent::Started).unwrap();
        tx.send(PlayerEvent::Position(100.0)).unwrap();
        tokio::time::sleep(Duration::from_millis(10)).await;
        let first = reports(&mut got);
        assert_eq!(first.len(), 1, "{first:?}");
        assert_eq!(first[0].kind, ReportKind::Start);
        assert_eq!(first[0].position_ticks, 100 * S);

        // 35 s of playing: three progress reports, at 10, 20 and 30 s
        for s in 1..=35 {
            tx.send(PlayerEvent::Position(100.0 + s as f64)).unwrap();
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        let cadence = reports(&mut got);
        assert_eq!(cadence.len(), 3, "{cadence:?}");
        assert!(
            cadence
                .iter()
                .all(|r| r.kind == ReportKind::Progress(ProgressEvent::TimeUpdate))
        );
        assert_eq!(cadence[0].position_ticks, 110 * S);

        // a pause and a seek are reported at once, not at the next tick
        tx.send(PlayerEvent::Paused(true)).unwrap();
        tx.send(PlayerEvent::Seeked(600.5)).unwrap();
        tokio::time::sleep(Duration::from_millis(10)).await;
        let now = reports(&mut got);
        assert_eq!(
            now.iter().map(|r| r.kind).collect::<Vec<_>>(),
            [
                ReportKind::Progress(ProgressEvent::Pause),
                ReportKind::Progress(ProgressEvent::TimeUpdate)
            ]
        );
        assert_eq!(now[1].position_ticks, 6005 * S / 10);
        assert!(now[1].paused);

        // the player goes: Stop with the last position
        drop(tx);
        let outcome = tracker.await.unwrap();
        let last = reports(&mut got);
        assert_eq!(last.len(), 1);
        assert_eq!(last[0].kind, ReportKind::Stop);
        assert_eq!(last[0].position_ticks, 6005 * S / 10);
        assert!(outcome.started && !outcome.ended);
    }

    #[tokio::test(start_paused = true)]
    async fn the_end_of_the_file_stops_at_the_full_runtime() {
        let (tx, rx) = unbounded_channel();
        let (out, mut got) = unbounded_channel();
        tx.send(PlayerEvent::Started).unwrap();
        tx.send(PlayerEvent::Position(3598.7)).unwrap();
        tx.send(PlayerEvent::EndOfFile).unwrap();
        drop(tx);
        let outcome = track(rx, 0, Some(3600 * S), out).await;
        let r = reports(&mut got);
        assert_eq!(r.last().unwrap().kind, ReportKind::Stop);
        assert_eq!(r.last().unwrap().position_ticks, 3600 * S);
        assert!(outcome.ended);
    }

    /// Seen with real mpv (`--length=4`): the file ends a minute in. Reporting the full
    /// runtime would have the server mark the film played.
    #[tokio::test(start_paused = true)]
    async fn a_file_that_ends_early_stops_where_it_ended_not_at_the_runtime() {
        let (tx, rx) = unbounded_channel();
        let (out, mut got) = unbounded_channel();
        tx.send(PlayerEvent::Started).unwrap();
        tx.send(PlayerEvent::Duration(3600.0)).unwrap();
        tx.send(PlayerEvent::Position(64.0)).unwrap();
        tx.send(PlayerEvent::EndOfFile).unwrap();
        drop(tx);
        let outcome = track(rx, 60 * S, Some(3600 * S), out).await;
        let r = reports(&mut got);
        assert_eq!(r.last().unwrap().kind, ReportKind::Stop);
        assert_eq!(r.last().unwrap().position_ticks, 64 * S);
        assert!(!outcome.ended);
    }

    #[tokio::test(start_paused = true)]
    async fn a_player_without_ipc_stops_where_it_started_and_one_that_never_played_reports_nothing()
    {
        let (tx, rx) = unbounded_channel();
        let (out, mut got) = unbounded_channel();
        tx.send(PlayerEvent::Started).unwrap();
        drop(tx);
        track(rx, 42 * S, Some(3600 * S), out).await;
        let r = reports(&mut got);
        assert_eq!(
            r.iter()
                .map(|r| (r.kind, r.position_ticks))
                .collect::<Vec<_>>(),
            [(ReportKind::Start, 42 * S), (ReportKind::Stop, 42 * S)]
        );

        let (tx, rx) = unbounded_channel::<PlayerEvent>();
        let (out, mut got) = unbounded_channel();
        drop(tx);
        let outcome = track(rx, 42 * S, None, out).await;
        assert!(!outcome.started);
        assert!(reports(&mut got).is_empty());
    }
}
