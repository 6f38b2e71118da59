//! mpv's JSON IPC, the parts emby-tui speaks: one JSON object per line over a Unix socket
//! (`--input-ipc-server=<path>`). Commands go out as `{"command": [...], "request_id": N}`;
//! replies (`{"request_id": N, "error": "success", "data": ...}`) and events
//! (`{"event": "property-change", "name": "time-pos", "data": 12.3}`, `end-file`, `seek`, ...)
//! come back on the same line stream, in any order.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::net::UnixStream;
use tokio::net::unix::{OwnedReadHalf, OwnedWriteHalf};

/// Property ids of [`Ipc::observe`]: the ones emby-tui follows.
pub const OBSERVED: [(u64, &str); 4] = [
    (1, "time-pos"),
    (2, "pause"),
    (3, "eof-reached"),
    (4, "duration"),
];

/// One line from mpv, as far as emby-tui cares.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// The answer to a command.
    Reply {
        request_id: u64,
        /// mpv's `error` field: `success`, or what went wrong.
        error: String,
        data: Value,
    },
    /// An observed property changed (`data` is null while it is unavailable).
    Property { name: String, data: Value },
    /// Any other event: `file-loaded`, `seek`, `playback-restart`, `end-file` (with `reason`:
    /// `eof`, `stop`, `quit`, `error`, `redirect`), `shutdown`, ...
    Event {
        name: String,
        reason: Option<String>,
        file_error: Option<String>,
    },
}

/// Parses one line (None: not JSON, or nothing emby-tui knows).
pub fn parse(line: &str) -> Option<Message> {
    let v: Value = serde_json::from_str(line.trim()).ok()?;
    if let Some(event) = v.get("event").and_then(Value::as_str) {
        if event == "property-change" {
            return Some(Message::Property {
                name: v.get("name")?.as_str()?.to_string(),
                data: v.get("data").cloned().unwrap_or(Value::Null),
            });
        }
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        return Some(Message::Event {
            name: event.to_string(),
            reason: text("reason"),
            file_error: text("file_error"),
        });
    }
    let request_id = v.get("request_id")?.as_u64()?;
    Some(Message::Reply {
        request_id,
        error: v
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        data: v.get("data").cloned().unwrap_or(Value::Null),
    })
}

/// The writing side of a connection to mpv.
pub struct Ipc {
    writer: OwnedWriteHalf,
    next_id: u64,
}

/// The reading side: one [`Message`] per line.
pub struct Incoming {
    lines: Lines<BufReader<OwnedReadHalf>>,
}

impl Incoming {
    /// The next message mpv sent; None when it closed the socket (it quit).
    pub async fn next(&mut self) -> Option<Message> {
        loop {
            match self.lines.next_line().await {
                Ok(Some(line)) => {
                    if let Some(m) = parse(&line) {
                        return Some(m);
                    }
                }
                Ok(None) => return None,
                Err(e) => {
                    tracing::debug!(error = %e, "player IPC read failed");
                    return None;
                }
            }
        }
    }
}

/// Connects to the socket at `path`, trying again every 50 ms (mpv creates it a moment after it
/// starts) until `within` has passed or `gave_up` says to stop (the player exited).
pub async fn connect(
    path: &Path,
    within: Duration,
    mut gave_up: impl FnMut() -> bool,
) -> std::io::Result<(Ipc, Incoming)> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match UnixStream::connect(path).await {
            Ok(stream) => {
                let (r, w) = stream.into_split();
                return Ok((
                    Ipc {
                        writer: w,
                        next_id: 100,
                    },
                    Incoming {
                        lines: BufReader::new(r).lines(),
                    },
                ));
            }
            Err(e) => {
                if gave_up() || tokio::time::Instant::now() >= deadline {
                    return Err(e);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

impl Ipc {
    /// Sends a command; returns its request id (its reply comes as a [`Message::Reply`]).
    pub async fn command(&mut self, args: Value) -> std::io::Result<u64> {
        self.next_id += 1;
        let id = self.next_id;
        let mut line = json!({"command": args, "request_id": id}).to_string();
        line.push('\n');
        self.writer.write_all(line.as_bytes()).await?;
        self.writer.flush().await?;
        Ok(id)
    }

    /// Asks for `property-change` events of the properties in [`OBSERVED`].
    pub async fn observe(&mut self) -> std::io::Result<()> {
        for (id, name) in OBSERVED {
            self.command(json!(["observe_property", id, name])).await?;
        }
        Ok(())
    }
}

/// The `http-header-fields` value that carries the token (mpv sends it with every HTTP
/// request of the file it loads next).
pub fn token_header(token: &str) -> Value {
    json!([
        "set_property",
        "http-header-fields",
        [format!("X-Emby-Token: {token}")]
    ])
}

/// `loadfile <url> replace`.
pub fn loadfile(url: &str) -> Value {
    json!(["loadfile", url, "replace"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_into_replies_properties_and_events() {
        assert_eq!(
            parse(r#"{"request_id":7,"error":"success","data":null}"#),
            Some(Message::Reply {
                request_id: 7,
                error: "success".into(),
                data: Value::Null
            })
        );
        assert_eq!(
            parse(r#"{"event":"property-change","id":1,"name":"time-pos","data":12.5}"#),
            Some(Message::Property {
                name: "time-pos".into(),
                data: json!(12.5)
            })
        );
        assert_eq!(
            parse(r#"{"event":"end-file","reason":"eof","playlist_entry_id":1}"#),
            Some(Message::Event {
                name: "end-file".into(),
                reason: Some("eof".into()),
                file_error: None
            })
        );
        assert_eq!(parse("not json"), None);
        assert_eq!(parse(r#"{"something":"else"}"#), None);
    }

    #[test]
    fn the_token_goes_in_a_header_field_list() {
        assert_eq!(
            token_header("t0k").to_string(),
            r#"["set_property","http-header-fields",["X-Emby-Token: t0k"]]"#
        );
    }
}
