//! The recent lines of this run's log, for the log pane (`L`): the same lines the log file gets
//! (the writer sends each line to both), kept in a bounded ring so a long run costs nothing.

use std::collections::VecDeque;
use std::sync::Mutex;

/// A log level, most severe first (the order the pane's filter steps through).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Error,
        Level::Warn,
        Level::Info,
        Level::Debug,
        Level::Trace,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Info => "info",
            Level::Debug => "debug",
            Level::Trace => "trace",
        }
    }

    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL
            .into_iter()
            .find(|l| l.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The level of a line as the log writes it (`<time>  WARN target: message`); a line
    /// without one (a continuation) counts as info.
    pub fn of_line(line: &str) -> Level {
        line.split_whitespace()
            .nth(1)
            .and_then(Level::from_name)
            .unwrap_or(Level::Info)
    }

    /// The next filter step: error -> warn -> info -> debug -> trace -> error.
    pub fn next(self) -> Level {
        let i = Level::ALL.iter().position(|l| *l == self).unwrap_or(0);
        Level::ALL[(i + 1) % Level::ALL.len()]
    }
}

/// One line kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub level: Level,
    pub text: String,
}

/// The last `capacity` lines of the log.
#[derive(Debug)]
pub struct RecentLog {
    lines: Mutex<VecDeque<LogLine>>,
    capacity: usize,
    /// Where the log file is (shown in the pane), if there is one.
    pub path: Option<std::path::PathBuf>,
}

impl RecentLog {
    /// How many lines the pane can go back.
    pub const CAPACITY: usize = 2000;

    pub fn new(capacity: usize, path: Option<std::path::PathBuf>) -> RecentLog {
        RecentLog {
            lines: Mutex::new(VecDeque::with_capacity(capacity.min(256))),
            capacity: capacity.max(1),
            path,
        }
    }

    /// Keeps the lines of `text` (a formatted event, possibly several lines).
    pub fn push(&self, text: &str) {
        let mut lines = self.lines.lock().unwrap_or_else(|e| e.into_inner());
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            if lines.len() == self.capacity {
                lines.pop_front();
            }
            let line = crate::emby::text::strip_controls(line).into_owned();
            lines.push_back(LogLine {
                level: Level::of_line(&line),
                text: line,
            });
        }
    }

    /// The kept lines at `level` or more severe, oldest first.
    pub fn lines_at(&self, level: Level) -> Vec<LogLine> {
        let lines = self.lines.lock().unwrap_or_else(|e| e.into_inner());
        lines.iter().filter(|l| l.level <= level).cloned().collect()
    }
}

/// The log pane: which levels it shows and how far up from the newest line it is scrolled
/// (0: it follows the newest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogView {
    pub level: Level,
    pub up: usize,
}

impl Default for LogView {
    fn default() -> Self {
        LogView {
            level: Level::Info,
            up: 0,
        }
    }
}

impl LogView {
    /// A key of the pane; `page` is how many lines it shows. Returns false when it closes.
    pub fn command(&mut self, cmd: super::Command, page: usize) -> bool {
        use super::Command as C;
        match cmd {
            C::Up => self.up = self.up.saturating_add(1),
            C::Down => self.up = self.up.saturating_sub(1),
            C::PageUp => self.up = self.up.saturating_add(page.max(1)),
            C::PageDown => self.up = self.up.saturating_sub(page.max(1)),
            C::Top => self.up = usize::MAX,
            C::Bottom => self.up = 0,
            C::Filter => {
                self.level = self.level.next();
                self.up = 0;
            }
            C::Cancel => return false,
            _ => {}
        }
        true
    }

    /// The lines on screen: `page` of them, ending `up` lines before the newest (clamped).
    pub fn window<'a>(&self, lines: &'a [LogLine], page: usize) -> &'a [LogLine] {
        let up = self.up.min(lines.len().saturating_sub(page));
        let end = lines.len() - up;
        &lines[end.saturating_sub(page)..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ring_keeps_the_last_lines_and_filters_by_level() {
        let log = RecentLog::new(3, None);
        log.push("2026-12-02T05:00:00Z  INFO emby_tui: one\n");
        log.push("2026-12-02T05:00:01Z  WARN emby_tui: two\n2026-12-02T05:00:01Z DEBUG x: three\n");
        log.push("2026-12-02T05:00:02Z ERROR emby_tui: four\n");
        let all: Vec<_> = log
            .lines_at(Level::Trace)
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(all.len(), 3, "{all:?}");
        assert!(all[0].ends_with("two") && all[2].ends_with("four"));
        let warn: Vec<_> = log
            .lines_at(Level::Warn)
            .into_iter()
            .map(|l| l.level)
            .collect();
        assert_eq!(warn, [Level::Warn, Level::Error]);
    }

    #[test]
    fn control_characters_never_reach_the_pane() {
        let log = RecentLog::new(10, None);
        log.push("t  WARN x: name=\u{1b}[31mred\u{7}\n");
        assert!(!log.lines_at(Level::Trace)[0].text.contains('\u{1b}'));
    }

    #[test]
    fn the_pane_follows_the_newest_lines_until_scrolled_and_clamps() {
        let lines: Vec<LogLine> = (0..10)
            .map(|i| LogLine {
                level: Level::Info,
                text: i.to_string(),
            })
            .collect();
        let mut v = LogView::default();
        let text = |v: &LogView| -> Vec<String> {
            v.window(&lines, 3).iter().map(|l| l.text.clone()).collect()
        };
        assert_eq!(text(&v), ["7", "8", "9"]);
        v.command(super::super::Command::Up, 3);
        assert_eq!(text(&v), ["6", "7", "8"]);
        v.command(super::super::Command::Top, 3);
        assert_eq!(text(&v), ["0", "1", "2"]);
        v.command(super::super::Command::Bottom, 3);
        assert_eq!(text(&v), ["7", "8", "9"]);
        assert!(!v.command(super::super::Command::Cancel, 3));
        assert_eq!(v.window(&lines[..2], 3).len(), 2);
    }

    #[test]
    fn the_filter_steps_round() {
        assert_eq!(Level::Error.next(), Level::Warn);
        assert_eq!(Level::Trace.next(), Level::Error);
        assert_eq!(Level::of_line("2026  DEBUG a: b"), Level::Debug);
        assert_eq!(Level::of_line("   continued"), Level::Info);
    }
}
