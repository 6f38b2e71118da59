//! The log: one file per user (never the screen), and the same lines kept in memory for the
//! log pane (`L`). Each formatted event is written whole to both by one writer, so the pane shows
//! exactly what the file holds; neither ever holds a secret (tokens and passwords are
//! [`crate::emby::Secret`]s, which print `<redacted>`).

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::MakeWriter;

use crate::app::log::{Level, RecentLog};

/// The file name of the log.
pub const FILE_NAME: &str = "emby-tui.log";

/// Writes each event to the log file (when there is one) and to the recent lines.
pub struct Tee {
    file: Option<Mutex<File>>,
    recent: Arc<RecentLog>,
}

impl Tee {
    pub fn new(file: Option<File>, recent: Arc<RecentLog>) -> Tee {
        Tee {
            file: file.map(Mutex::new),
            recent,
        }
    }
}

/// One event being formatted; written out whole when dropped.
pub struct TeeEvent<'a> {
    tee: &'a Tee,
    buf: Vec<u8>,
}

impl Write for TeeEvent<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for TeeEvent<'_> {
    fn drop(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        if let Some(file) = &self.tee.file {
            let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
            let _ = file.write_all(&self.buf);
        }
        self.tee.recent.push(&String::from_utf8_lossy(&self.buf));
    }
}

impl<'a> MakeWriter<'a> for Tee {
    type Writer = TeeEvent<'a>;

    fn make_writer(&'a self) -> TeeEvent<'a> {
        TeeEvent {
            tee: self,
            buf: Vec::new(),
        }
    }
}

/// What to log: `RUST_LOG` when set (anything `tracing` accepts), else emby-tui's own events at
/// `level` and other crates' warnings and errors.
pub fn filter(rust_log: Option<&str>, level: Level) -> tracing_subscriber::EnvFilter {
    rust_log
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| tracing_subscriber::EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| {
            tracing_subscriber::EnvFilter::new(format!("warn,emby_tui={}", level.name()))
        })
}

/// Starts logging to `<dir>/emby-tui.log` and the recent lines. The directory is created
/// private (0700) and the file owner-only (0600) before anything is written: it is often the
/// config dir, which holds the credentials. Without a usable file the recent lines are still
/// kept (the pane says there is no file).
pub fn init(dir: Option<&Path>, level: Level) -> Arc<RecentLog> {
    let path: Option<PathBuf> = dir.map(|d| d.join(FILE_NAME));
    let file = dir.and_then(|d| {
        crate::session::files::create_private_dir(d).ok()?;
        crate::session::files::open_private_append(&d.join(FILE_NAME)).ok()
    });
    let recent = Arc::new(RecentLog::new(
        RecentLog::CAPACITY,
        file.is_some().then_some(path).flatten(),
    ));
    let rust_log = std::env::var("RUST_LOG").ok();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter(rust_log.as_deref(), level))
        .with_ansi(false)
        .with_writer(Tee::new(file, recent.clone()))
        .try_init();
    recent
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pane shows the lines the file holds, and at the level asked for.
    #[test]
    fn each_event_goes_whole_to_the_file_and_to_the_recent_lines() {
        let dir = tempfile::tempdir().unwrap();
        let file = File::create(dir.path().join(FILE_NAME)).unwrap();
        let recent = Arc::new(RecentLog::new(100, None));
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(filter(None, Level::Info))
            .with_ansi(false)
            .with_writer(Tee::new(Some(file), recent.clone()))
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(server = "Living Room", "reached");
            tracing::debug!("not at info");
            tracing::warn!("a warning");
        });
        let written = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        let kept: Vec<String> = recent
            .lines_at(Level::Trace)
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(kept.len(), 2, "{kept:?}");
        assert_eq!(written.lines().collect::<Vec<_>>(), kept);
        assert!(kept[0].contains("reached") && kept[0].contains("Living Room"));
        assert_eq!(recent.lines_at(Level::Warn).len(), 1);
    }

    #[test]
    fn rust_log_wins_over_the_configured_level() {
        assert_eq!(
            filter(None, Level::Debug).to_string(),
            "emby_tui=debug,warn"
        );
        assert_eq!(filter(Some("trace"), Level::Info).to_string(), "trace");
        assert_eq!(
            filter(Some(""), Level::Error).to_string(),
            "emby_tui=error,warn"
        );
    }
}
