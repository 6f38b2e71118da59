//! The config file, `config.toml` in the config dir: key bindings, colours, images, the race
//! timings and Connect URL, and the log level. Every key is optional.
//!
//! A bad file never stops the program: each bad entry is reported once with its line number
//! (on standard error for a command, on screen in the UI) and its default is used. A file that
//! is not TOML at all is reported with the line of the first error, and every default is used.
//! On a first run the file is created with every key commented out at its default, so a user
//! can read what there is to change; `emby-tui config show` prints the configuration in force
//! as TOML that, saved as the file, gives the same configuration again.
//!
//! Precedence, highest first: the command line, the environment, the file, the default.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use toml_edit::{ImDocument, Item, Key, TableLike};

use crate::app::ImageMode;
use crate::app::keymap::{KeySetting, Keymap, Mode, key_setting};
use crate::app::log::Level;
use crate::app::theme::{Preset, Role, Theme, color_setting, parse_color};

pub const FILE_NAME: &str = "config.toml";

/// What the file says (None / empty: not set, the default applies).
#[derive(Debug, Clone, Default)]
pub struct FileSettings {
    pub keys: Vec<KeySetting>,
    pub theme_preset: Option<Preset>,
    pub theme_colors: Vec<(Role, ratatui::style::Color)>,
    pub images: Option<String>,
    /// `[player] command`: a command template (checked here, resolved with `--player` and
    /// `EMBY_TUI_PLAYER` by [`crate::player::PlayerConfig::resolve`]).
    pub player_command: Option<String>,
    /// `[player] terminal`: auto, yes or no.
    pub player_terminal: Option<String>,
    pub connect_url: Option<String>,
    pub head_start_ms: Option<u64>,
    pub local_timeout_ms: Option<u64>,
    pub remote_timeout_ms: Option<u64>,
    pub log_level: Option<Level>,
}

/// One bad entry: the line it is on (0 when the file as a whole is the problem) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{FILE_NAME}: {}", self.message)
        } else {
            write!(f, "{FILE_NAME} line {}: {}", self.line, self.message)
        }
    }
}

/// The file read: what it sets, the keymap and theme built from it, and its problems.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub file: FileSettings,
    pub keymap: Keymap,
    pub theme: Theme,
    pub problems: Vec<Problem>,
}

impl Default for Config {
    fn default() -> Self {
        Config::defaults(None)
    }
}

impl Config {
    /// The defaults (no file), with `NO_COLOR` from `no_color`.
    pub fn defaults(no_color: Option<&str>) -> Config {
        Config::from_text("", None, no_color)
    }

    /// The settings of `text`; `no_color` is the `NO_COLOR` variable (a preset in the file
    /// overrides it, as no-color.org asks of configuration files).
    pub fn from_text(text: &str, path: Option<PathBuf>, no_color: Option<&str>) -> Config {
        let (file, mut problems) = parse(text);
        let (keymap, key_problems) = Keymap::with_settings(&file.keys);
        problems.extend(key_problems.into_iter().map(|p| {
            // the keymap words its problems as "line N: ..."
            let (line, message) = p
                .strip_prefix("line ")
                .and_then(|rest| rest.split_once(": "))
                .and_then(|(n, m)| Some((n.parse().ok()?, m.to_string())))
                .unwrap_or((0, p.clone()));
            Problem {
                line,
                message: format!("{message}; its default keys are used"),
            }
        }));
        problems.sort_by_key(|p| p.line);
        let mut theme = match file.theme_preset {
            Some(p) => Theme::preset(p),
            None => Theme::from_env(no_color),
        };
        for (role, color) in &file.theme_colors {
            theme.set(*role, *color);
        }
        Config {
            path,
            file,
            keymap,
            theme,
            problems,
        }
    }

    /// Reads `<dir>/config.toml`, creating it (commented, every default) when there is none.
    /// A file that cannot be read is a problem, never an error: the defaults are used.
    pub fn load(dir: &Path, no_color: Option<&str>) -> Config {
        Config::read(dir, no_color, true)
    }

    /// [`Config::load`] without creating a missing file (`--demo` reads the user's own file
    /// for keys and colours but writes nothing outside its throw-away dir).
    pub fn load_existing(dir: &Path, no_color: Option<&str>) -> Config {
        Config::read(dir, no_color, false)
    }

    fn read(dir: &Path, no_color: Option<&str>, create: bool) -> Config {
        let path = dir.join(FILE_NAME);
        match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Config::from_text(&text, Some(path), no_color),
                Err(_) => Config::unreadable(path, "is not UTF-8 text", no_color),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !create => {
                Config::from_text("", Some(path), no_color)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let created = crate::session::files::create_private_dir(dir).and_then(|()| {
                    crate::session::files::create_once(dir, FILE_NAME, template().as_bytes())
                });
                if let Err(e) = created {
                    tracing::warn!(error = %e, "cannot create the commented config file");
                }
                Config::from_text("", Some(path), no_color)
            }
            Err(e) => Config::unreadable(path, &format!("cannot be read ({e})"), no_color),
        }
    }

    fn unreadable(path: PathBuf, why: &str, no_color: Option<&str>) -> Config {
        let mut c = Config::from_text("", Some(path), no_color);
        c.problems.push(Problem {
            line: 0,
            message: format!("the file {why}; the defaults are used"),
        });
        c
    }
}

/// The values of the settings that the command line and environment also set, once resolved
/// (for `config show`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub connect_url: String,
    pub head_start_ms: u64,
    pub local_timeout_ms: u64,
    pub remote_timeout_ms: u64,
    pub images: String,
    pub player_command: String,
    pub player_terminal: String,
    pub log_level: Level,
}

impl Resolved {
    pub fn defaults() -> Resolved {
        Resolved {
            connect_url: crate::emby::connect::DEFAULT_CONNECT_URL.to_string(),
            head_start_ms: 200,
            local_timeout_ms: 3000,
            remote_timeout_ms: 6000,
            images: "auto".into(),
            player_command: crate::player::template::DEFAULT_TEMPLATE.into(),
            player_terminal: "auto".into(),
            log_level: Level::Info,
        }
    }
}

/// The file a first run writes: every key at its default, commented out.
pub fn template() -> String {
    render(
        &Keymap::default(),
        &Theme::default(),
        &Resolved::defaults(),
        true,
    )
}

/// The configuration in force as TOML (`emby-tui config show`).
pub fn show(config: &Config, resolved: &Resolved) -> String {
    render(&config.keymap, &config.theme, resolved, false)
}

/// One writer for the template and `config show`, so the two never disagree.
fn render(keymap: &Keymap, theme: &Theme, r: &Resolved, commented: bool) -> String {
    let c = if commented { "# " } else { "" };
    let quote = |s: &str| toml_edit::Value::from(s).to_string().trim().to_string();
    let mut out = String::new();
    out.push_str(
        "# emby-tui configuration. Every key is optional; a bad entry is reported with its line\n\
         # and its default is used. The command line and the environment override this file.\n\
         # `emby-tui config show` prints the configuration in force.\n\n",
    );
    out.push_str(
        "[keys]\n\
         # command = \"key\" or [\"key\", \"key\"]: in every pane that has the command. Keys: a\n\
         # character, ctrl-x, alt-x, f1-f12, enter, esc, tab, shift-tab, space, backspace,\n\
         # delete, up, down, left, right, home, end, pageup, pagedown. A key given to a command\n\
         # is taken from the others of its pane; in text fields a plain character always types.\n\
         # An empty list [] unbinds a command. [keys.in_<pane>] tables set a command's keys in\n\
         # that pane only; the panes:\n",
    );
    let mut row = String::from("#");
    for name in pane_tables() {
        if row.len() + name.len() + 2 > 90 {
            let _ = writeln!(out, "{row}");
            row = String::from("#");
        }
        let _ = write!(row, " {name}");
    }
    let _ = writeln!(out, "{row}");
    let settings = keymap.settings();
    let mut pane = None;
    for (p, command, keys) in settings {
        if p != pane {
            pane = p;
            if let Some(m) = p {
                let _ = write!(out, "\n{c}[keys.in_{}]\n", m.config_name());
            }
        }
        let keys: Vec<String> = keys.iter().map(|k| quote(&key_setting(k))).collect();
        let value = if keys.len() == 1 {
            keys[0].clone()
        } else {
            format!("[{}]", keys.join(", "))
        };
        let _ = writeln!(out, "{c}{} = {value}", command.name());
    }
    let _ = write!(
        out,
        "\n[theme]\n\
         # preset: dark, light or plain (no colour; the default when NO_COLOR is set).\n\
         # Colours: a name (red, light-blue, dark-gray, ...), #rrggbb, 0-255 or default.\n\
         {c}preset = {}\n",
        quote(theme.preset.name())
    );
    for role in Role::ALL {
        let _ = writeln!(
            out,
            "{c}{} = {}  # {}",
            role.name(),
            quote(&color_setting(theme.color(role))),
            role.about()
        );
    }
    let _ = write!(
        out,
        "\n[images]\n\
         # auto (the terminal's best protocol when it answers, halfblocks in tmux and over SSH),\n\
         # halfblocks, kitty, sixel, iterm2 or off (also --no-images).\n\
         {c}mode = {}\n",
        quote(&r.images)
    );
    let _ = write!(
        out,
        "\n[player]\n\
         # The player here: split like a shell line (no shell runs it); placeholders {{url}},\n\
         # {{title}}, {{start}} (seconds), {{ipc}} (mpv's JSON IPC socket; without {{url}} the token\n\
         # goes over it, never on a command line) (--player, EMBY_TUI_PLAYER).\n\
         {c}command = {}\n\
         # Whether it takes this terminal: auto, yes or no (EMBY_TUI_PLAYER_TERMINAL).\n\
         {c}terminal = {}\n",
        quote(&r.player_command),
        quote(&r.player_terminal)
    );
    let _ = write!(
        out,
        "\n[network]\n\
         # The Emby Connect service (--connect-url, EMBY_TUI_CONNECT_URL).\n\
         {c}connect_url = {}\n\
         # The longest a remote answer waits for a LAN answer still coming, in ms (normally far\n\
         # shorter, learnt per network) (--head-start-ms, EMBY_TUI_HEAD_START_MS).\n\
         {c}head_start_ms = {}\n\
         # Time limits of one attempt on a LocalAddress and on a remote address, in ms.\n\
         {c}local_timeout_ms = {}\n\
         {c}remote_timeout_ms = {}\n",
        quote(&r.connect_url),
        r.head_start_ms,
        r.local_timeout_ms,
        r.remote_timeout_ms
    );
    let _ = write!(
        out,
        "\n[log]\n\
         # error, warn, info, debug or trace (RUST_LOG overrides). The log never holds a secret.\n\
         {c}level = {}\n",
        quote(r.log_level.name())
    );
    out
}

/// The names of the `[keys.in_<pane>]` tables.
fn pane_tables() -> Vec<String> {
    Mode::WITH_KEYS
        .iter()
        .map(|m| format!("in_{}", m.config_name()))
        .collect()
}

/// The line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

fn line_of_key(text: &str, key: &Key) -> usize {
    key.span().map(|s| line_of(text, s.start)).unwrap_or(0)
}

/// Reads the file's settings; each entry that is bad is a problem and stays unset.
pub fn parse(text: &str) -> (FileSettings, Vec<Problem>) {
    let mut settings = FileSettings::default();
    let mut problems = Vec::new();
    let doc = match ImDocument::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(0);
            let why = e
                .message()
                .lines()
                .next()
                .unwrap_or("not TOML")
                .trim_end_matches('.');
            problems.push(Problem {
                line,
                message: format!("{why}; the file is not used, every default is"),
            });
            return (settings, problems);
        }
    };
    let mut problem = |line: usize, message: String| problems.push(Problem { line, message });
    for (name, item) in doc.as_table().iter() {
        let line = doc
            .as_table()
            .key(name)
            .map(|k| line_of_key(text, k))
            .unwrap_or(0);
        let Some(table) = item.as_table_like() else {
            problem(
                line,
                format!(
                    "`{name}` is not a table; the tables are keys, theme, images, player, network and log"
                ),
            );
            continue;
        };
        let entries = entries(text, table);
        match name {
            "keys" => keys(text, table, None, &mut settings, &mut problem),
            "theme" => {
                for (key, line, item) in entries {
                    let Some(value) = item.as_str() else {
                        problem(line, format!("`{key}` is a text value in quotes"));
                        continue;
                    };
                    if key == "preset" {
                        match Preset::from_name(value) {
                            Some(p) => settings.theme_preset = Some(p),
                            None => problem(
                                line,
                                format!(
                                    "`{value}` is not a preset (dark, light or plain); dark is used"
                                ),
                            ),
                        }
                    } else if let Some(role) = Role::from_name(&key) {
                        match parse_color(value) {
                            Ok(c) => settings.theme_colors.push((role, c)),
                            Err(e) => problem(line, format!("{e}; the preset's is used")),
                        }
                    } else {
                        problem(
                            line,
                            unknown(
                                &key,
                                "theme",
                                "preset, key, title, info, error, ok, warn, dim, muted, bar",
                            ),
                        );
                    }
                }
            }
            "images" => {
                for (key, line, item) in entries {
                    if key != "mode" {
                        problem(line, unknown(&key, "images", "mode"));
                        continue;
                    }
                    match item.as_str().map(str::parse::<ImageMode>) {
                        Some(Ok(mode)) => settings.images = Some(mode.name().to_string()),
                        _ => problem(
                            line,
                            format!(
                                "images mode is one of {}; auto is used",
                                ImageMode::ALL.map(ImageMode::name).join(", ")
                            ),
                        ),
                    }
                }
            }
            "network" => {
                for (key, line, item) in entries {
                    let ms = |item: &Item| {
                        item.as_integer()
                            .filter(|n| (1..=600_000).contains(n))
                            .map(|n| n as u64)
                    };
                    let number_problem = |default: u64| {
                        format!(
                            "`{key}` is a whole number of milliseconds from 1 to 600000; the default ({default}) is used"
                        )
                    };
                    match key.as_str() {
                        "connect_url" => match item.as_str().map(url::Url::parse) {
                            Some(Ok(u)) if matches!(u.scheme(), "http" | "https") => {
                                settings.connect_url = Some(u.to_string())
                            }
                            _ => problem(line, "connect_url is an http:// or https:// URL in quotes; the default is used".into()),
                        },
                        "head_start_ms" => match ms(item) {
                            Some(n) => settings.head_start_ms = Some(n),
                            None => problem(line, number_problem(200)),
                        },
                        "local_timeout_ms" => match ms(item) {
                            Some(n) => settings.local_timeout_ms = Some(n),
                            None => problem(line, number_problem(3000)),
                        },
                        "remote_timeout_ms" => match ms(item) {
                            Some(n) => settings.remote_timeout_ms = Some(n),
                            None => problem(line, number_problem(6000)),
                        },
                        _ => problem(
                            line,
                            unknown(&key, "network", "connect_url, head_start_ms, local_timeout_ms, remote_timeout_ms"),
                        ),
                    }
                }
            }
            "player" => {
                for (key, line, item) in entries {
                    let Some(value) = item.as_str() else {
                        problem(line, format!("`{key}` is a text value in quotes"));
                        continue;
                    };
                    match key.as_str() {
                        "command" => match crate::player::PlayerTemplate::parse(value) {
                            Ok(_) => settings.player_command = Some(value.to_string()),
                            Err(e) => problem(line, format!("{e}; the default (mpv) is used")),
                        },
                        "terminal" => match value.parse::<crate::player::TerminalUse>() {
                            Ok(_) => settings.player_terminal = Some(value.to_string()),
                            Err(e) => problem(line, format!("{e}; auto is used")),
                        },
                        _ => problem(line, unknown(&key, "player", "command, terminal")),
                    }
                }
            }
            "log" => {
                for (key, line, item) in entries {
                    if key != "level" {
                        problem(line, unknown(&key, "log", "level"));
                        continue;
                    }
                    match item.as_str().and_then(Level::from_name) {
                        Some(l) => settings.log_level = Some(l),
                        None => problem(
                            line,
                            "the log level is error, warn, info, debug or trace; info is used"
                                .into(),
                        ),
                    }
                }
            }
            other => problem(
                line,
                format!(
                    "there is no [{other}] table; the tables are keys, theme, images, player, network and log"
                ),
            ),
        }
    }
    (settings, problems)
}

fn unknown(key: &str, table: &str, known: &str) -> String {
    format!("[{table}] has no `{key}` (it has {known})")
}

/// A table's entries with the line of each key.
fn entries<'a>(text: &str, table: &'a dyn TableLike) -> Vec<(String, usize, &'a Item)> {
    table
        .iter()
        .map(|(name, item)| {
            let line = table
                .get_key_value(name)
                .map(|(k, _)| line_of_key(text, k))
                .unwrap_or(0);
            (name.to_string(), line, item)
        })
        .collect()
}

/// The `[keys]` table, and its `[keys.in_<pane>]` tables.
fn keys(
    text: &str,
    table: &dyn TableLike,
    pane: Option<Mode>,
    settings: &mut FileSettings,
    problem: &mut impl FnMut(usize, String),
) {
    for (name, line, item) in entries(text, table) {
        if let Some(sub) = item.as_table_like() {
            let mode = name.strip_prefix("in_").and_then(Mode::from_config_name);
            match (pane, mode) {
                (None, Some(mode)) => keys(text, sub, Some(mode), settings, problem),
                (None, None) => problem(
                    line,
                    format!(
                        "there is no pane table `{name}` (they are in_sign_in, in_servers, in_session, in_search, in_invitations, in_help, in_confirm, in_years)"
                    ),
                ),
                (Some(_), _) => problem(line, format!("`{name}` is a command = keys, not a table")),
            }
            continue;
        }
        let keys: Option<Vec<String>> = match item.as_str() {
            Some(k) => Some(vec![k.to_string()]),
            None => item
                .as_array()
                .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect()),
        };
        match keys {
            Some(keys) => settings.keys.push(KeySetting {
                command: name,
                keys,
                line,
                pane,
            }),
            None => problem(
                line,
                format!(
                    "`{name}` takes a key in quotes or a list of them; its default keys are used"
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests;
