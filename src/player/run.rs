//! Running the player: start the process from the template, speak its JSON IPC when it has
//! `{ipc}` (the token handed over as a header, then the URL), and turn what it says into
//! [`PlayerEvent`]s for the [`super::track`]er. The process gets this terminal only when asked
//! (`foreground`); otherwise its input and output go nowhere, so it never draws over the UI.

use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::process::{Child, Command};
use tokio::sync::{mpsc, watch};

use super::mpv::{self, Message};
use super::template::{PlayerConfig, Values};
use crate::emby::Secret;

/// How long a player has to open its IPC socket after it starts.
pub const IPC_WAIT: Duration = Duration::from_secs(15);
/// How long a player has to exit after it was asked to quit, before it is killed.
const QUIT_GRACE: Duration = Duration::from_secs(5);

/// What one run is given.
#[derive(Debug, Clone)]
pub struct Launch {
    /// `{title}`.
    pub title: String,
    /// `{start}`, seconds.
    pub start_secs: f64,
    /// The stream URL without a token (handed over IPC by `loadfile` when the token is too).
    pub url: String,
    /// The stream URL with `api_key` (`{url}` on the command line).
    pub url_with_key: Secret,
    /// The token, for the `X-Emby-Token` header handed over IPC.
    pub token: Secret,
    /// The player gets this terminal (it inherits input and output).
    pub foreground: bool,
}

/// What the player did, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum PlayerEvent {
    /// Playing: the file loaded (IPC), or the process started (no IPC).
    Started,
    /// The position, seconds.
    Position(f64),
    Paused(bool),
    /// A seek finished at this position (seconds).
    Seeked(f64),
    /// The file's length, seconds.
    Duration(f64),
    /// The end of the file was reached.
    EndOfFile,
}

/// Why a player did not play. Never carries the token or a URL with one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlayerError {
    #[error(
        "cannot start the player: `{program}` is not installed (not found on PATH). Install it or set another player command ({where_set}); or copy the stream URL instead (the play menu's \"Copy stream URL\", or `emby-tui stream-url SERVER_ID ITEM_ID`) and play it elsewhere"
    )]
    NotInstalled { program: String, where_set: String },
    #[error("cannot start the player `{program}`: {reason}")]
    CannotStart { program: String, reason: String },
    #[error(
        "the player `{program}` did not open its IPC socket within {} s; a command with {{ipc}} must be mpv (or speak mpv's JSON IPC)", IPC_WAIT.as_secs()
    )]
    NoIpc { program: String },
    #[error("the player `{program}` refused {what}: {reason}")]
    Refused {
        program: String,
        what: &'static str,
        reason: String,
    },
    #[error("the player `{program}` could not open the stream ({reason})")]
    FileError { program: String, reason: String },
    #[error("the player `{program}` exited before playing ({status})")]
    ExitedEarly { program: String, status: String },
}

/// A private directory for the IPC socket: only this user can connect to it (whoever can, can
/// read the player's properties, the token header among them).
fn socket_dir() -> std::io::Result<tempfile::TempDir> {
    tempfile::Builder::new().prefix("emby-tui-").tempdir()
}

fn status_text(status: Option<ExitStatus>) -> String {
    match status {
        Some(s) => s.to_string(),
        None => "no exit status".into(),
    }
}

/// Starts the player and follows it until it exits (or `stop` turns true: then it is asked to
/// quit, and killed if it does not). Events go to `events` as they happen. An error means it
/// never started playing: nothing was reported as playing.
pub async fn run(
    cfg: &PlayerConfig,
    launch: &Launch,
    events: mpsc::UnboundedSender<PlayerEvent>,
    mut stop: watch::Receiver<bool>,
) -> Result<(), PlayerError> {
    let template = &cfg.template;
    let program = template.program().to_string();
    let dir = if template.has_ipc() {
        Some(socket_dir().map_err(|e| PlayerError::CannotStart {
            program: program.clone(),
            reason: format!("no private directory for its IPC socket: {e}"),
        })?)
    } else {
        None
    };
    let ipc_path: Option<PathBuf> = dir.as_ref().map(|d| d.path().join("mpv.sock"));
    let ipc_text = ipc_path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let args = template.render(&Values {
        url: launch.url_with_key.expose(),
        title: &launch.title,
        start_secs: launch.start_secs,
        ipc: &ipc_text,
    });
    let mut command = Command::new(&args[0]);
    command.args(&args[1..]).kill_on_drop(true);
    if launch.foreground {
        command
            .stdin(Stdio::inherit())
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit());
    } else {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
    }
    let mut child = command.spawn().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            PlayerError::NotInstalled {
                program: program.clone(),
                where_set: cfg.source.where_set(),
            }
        } else {
            PlayerError::CannotStart {
                program: program.clone(),
                reason: e.to_string(),
            }
        }
    })?;
    tracing::info!(player = %program, ipc = template.has_ipc(), foreground = launch.foreground, "player started");
    let result = match &ipc_path {
        Some(path) => {
            follow_ipc(
                &program,
                template.token_over_ipc(),
                path,
                launch,
                &mut child,
                &events,
                &mut stop,
            )
            .await
        }
        None => follow_process(&mut child, &events, &mut stop).await,
    };
    // the socket's directory goes only after the player is gone
    drop(dir);
    result
}

/// A player without IPC: playing from the moment it runs until it exits.
async fn follow_process(
    child: &mut Child,
    events: &mpsc::UnboundedSender<PlayerEvent>,
    stop: &mut watch::Receiver<bool>,
) -> Result<(), PlayerError> {
    let _ = events.send(PlayerEvent::Started);
    let mut stop_open = true;
    loop {
        tokio::select! {
            status = child.wait() => {
                tracing::info!(status = %status_text(status.ok()), "player exited");
                return Ok(());
            }
            changed = stop.changed(), if stop_open => {
                stop_open = changed.is_ok();
                if !stop_open || *stop.borrow() {
                    let _ = child.start_kill();
                    let _ = child.wait().await;
                    return Ok(());
                }
            }
        }
    }
}

/// Ends the process: it was asked to quit (or its socket closed); killed if it lingers.
async fn reap(child: &mut Child) -> Option<ExitStatus> {
    match tokio::time::timeout(QUIT_GRACE, child.wait()).await {
        Ok(status) => status.ok(),
        Err(_) => {
            tracing::info!("the player did not exit; killing it");
            let _ = child.start_kill();
            child.wait().await.ok()
        }
    }
}

/// What a playback over IPC knows while it follows mpv.
struct Follow<'a> {
    program: &'a str,
    launch: &'a Launch,
    ipc: mpv::Ipc,
    events: &'a mpsc::UnboundedSender<PlayerEvent>,
    /// The request ids of the token header and of `loadfile`, to check their replies.
    header_request: Option<u64>,
    load_request: Option<u64>,
    /// The `get_property time-pos` asked after a seek.
    seek_query: Option<u64>,
    seeking: bool,
    started: bool,
    quit_sent: bool,
    /// Why it never played, when it said so.
    failure: Option<PlayerError>,
}

impl Follow<'_> {
    fn io_failed(&self, e: std::io::Error) -> PlayerError {
        PlayerError::CannotStart {
            program: self.program.into(),
            reason: format!("its IPC socket failed: {e}"),
        }
    }

    fn emit(&self, event: PlayerEvent) {
        // the tracker is gone only when the run is over
        let _ = self.events.send(event);
    }

    async fn quit(&mut self) {
        if !self.quit_sent {
            self.quit_sent = true;
            let _ = self.ipc.command(json!(["quit"])).await;
        }
    }

    fn start(&mut self) {
        if !self.started {
            self.started = true;
            self.emit(PlayerEvent::Started);
        }
    }

    async fn on_message(&mut self, msg: Message) -> Result<(), PlayerError> {
        match msg {
            Message::Reply {
                request_id,
                error,
                data,
            } => {
                let refused = error != "success";
                if Some(request_id) == self.header_request {
                    if refused {
                        self.failure = Some(PlayerError::Refused {
                            program: self.program.into(),
                            what: "the token header (http-header-fields)",
                            reason: error,
                        });
                        self.quit().await;
                    } else {
                        let load = mpv::loadfile(&self.launch.url);
                        let id = self
                            .ipc
                            .command(load)
                            .await
                            .map_err(|e| self.io_failed(e))?;
                        self.load_request = Some(id);
                    }
                } else if Some(request_id) == self.load_request && refused {
                    self.failure = Some(PlayerError::Refused {
                        program: self.program.into(),
                        what: "the stream URL (loadfile)",
                        reason: error,
                    });
                    self.quit().await;
                } else if Some(request_id) == self.seek_query {
                    self.seek_query = None;
                    if let Some(t) = data.as_f64() {
                        self.emit(PlayerEvent::Seeked(t));
                    }
                }
            }
            Message::Property { name, data } => match (name.as_str(), data) {
                ("time-pos", Value::Number(n)) => {
                    self.start();
                    self.emit(PlayerEvent::Position(n.as_f64().unwrap_or(0.0)));
                }
                ("pause", Value::Bool(p)) => self.emit(PlayerEvent::Paused(p)),
                ("eof-reached", Value::Bool(true)) => self.emit(PlayerEvent::EndOfFile),
                ("duration", Value::Number(d)) => {
                    self.emit(PlayerEvent::Duration(d.as_f64().unwrap_or(0.0)))
                }
                _ => {}
            },
            Message::Event {
                name,
                reason,
                file_error,
            } => match name.as_str() {
                "file-loaded" => self.start(),
                "seek" => self.seeking = true,
                "playback-restart" if self.seeking => {
                    self.seeking = false;
                    let ask = json!(["get_property", "time-pos"]);
                    let id = self.ipc.command(ask).await.map_err(|e| self.io_failed(e))?;
                    self.seek_query = Some(id);
                }
                "end-file" if reason.as_deref() != Some("redirect") => {
                    match reason.as_deref() {
                        Some("eof") => self.emit(PlayerEvent::EndOfFile),
                        Some("error") if !self.started => {
                            self.failure = Some(PlayerError::FileError {
                                program: self.program.into(),
                                reason: file_error.unwrap_or_else(|| "loading failed".into()),
                            });
                        }
                        _ => {}
                    }
                    // one file per run: a player told to stay idle is asked to go
                    self.quit().await;
                }
                _ => {}
            },
        }
        Ok(())
    }
}

/// A player with `{ipc}`: connect, observe, hand over the token and the URL (when the token
/// goes over IPC), then follow it until its socket closes or it exits.
async fn follow_ipc(
    program: &str,
    token_over_ipc: bool,
    path: &std::path::Path,
    launch: &Launch,
    child: &mut Child,
    events: &mpsc::UnboundedSender<PlayerEvent>,
    stop: &mut watch::Receiver<bool>,
) -> Result<(), PlayerError> {
    let connected = mpv::connect(path, IPC_WAIT, || matches!(child.try_wait(), Ok(Some(_)))).await;
    let (ipc, mut incoming) = match connected {
        Ok(c) => c,
        Err(_) => {
            let exited = matches!(child.try_wait(), Ok(Some(_)));
            let _ = child.start_kill();
            let status = child.wait().await.ok();
            return Err(if exited {
                PlayerError::ExitedEarly {
                    program: program.into(),
                    status: status_text(status),
                }
            } else {
                PlayerError::NoIpc {
                    program: program.into(),
                }
            });
        }
    };
    let mut f = Follow {
        program,
        launch,
        ipc,
        events,
        header_request: None,
        load_request: None,
        seek_query: None,
        seeking: false,
        started: false,
        quit_sent: false,
        failure: None,
    };
    f.ipc.observe().await.map_err(|e| f.io_failed(e))?;
    if token_over_ipc {
        // the token as a header, then (on its reply) the URL without one: nothing secret on
        // the command line
        let header = mpv::token_header(launch.token.expose());
        let id = f.ipc.command(header).await.map_err(|e| f.io_failed(e))?;
        f.header_request = Some(id);
    }
    let mut exit_status = None;
    let mut stop_open = true;
    loop {
        tokio::select! {
            msg = incoming.next() => match msg {
                Some(msg) => f.on_message(msg).await?,
                None => break,
            },
            status = child.wait() => {
                exit_status = status.ok();
                break;
            }
            changed = stop.changed(), if stop_open => {
                stop_open = changed.is_ok();
                if !stop_open || *stop.borrow() {
                    f.quit().await;
                }
            }
        }
    }
    let (started, failure) = (f.started, f.failure.take());
    drop(f);
    let status = match exit_status {
        Some(s) => Some(s),
        None => reap(child).await,
    };
    tracing::info!(status = %status_text(status), "player exited");
    if started {
        return Ok(());
    }
    Err(failure.unwrap_or_else(|| PlayerError::ExitedEarly {
        program: program.into(),
        status: status_text(status),
    }))
}
