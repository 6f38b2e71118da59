//! The player command: a template split like a shell line (no shell runs it), its placeholders,
//! and [`PlayerConfig`], the settings a config file, `--player` or `EMBY_TUI_PLAYER` fill in.

use std::fmt;
use std::str::FromStr;

/// The default player: mpv, told nothing secret on its command line. It starts idle with its
/// JSON IPC socket, emby-tui hands it the token as a header and then the URL over that socket,
/// and `--idle=once` makes it quit when that one file ends.
pub const DEFAULT_TEMPLATE: &str =
    "mpv --idle=once --force-media-title={title} --start={start} --input-ipc-server={ipc}";

/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 4] = ["{url}", "{title}", "{start}", "{ipc}"];

/// Why a player command cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the player command is empty")]
    Empty,
    #[error("the player command `{text}` cannot be split into words: {reason}")]
    Split { text: String, reason: String },
    #[error(
        "the player command `{0}` has neither {{url}} nor {{ipc}}: the player would not know what to play"
    )]
    NoInput(String),
    #[error(
        "the player command has an unknown placeholder {0} (known: {{url}}, {{title}}, {{start}}, {{ipc}})"
    )]
    UnknownPlaceholder(String),
}

/// A player command template, split into words once; placeholders are filled in word by word, so
/// a title with spaces or quotes stays one argument and nothing is ever interpreted by a shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayerTemplate {
    text: String,
    words: Vec<String>,
}

/// What the placeholders stand for in one run.
#[derive(Debug, Clone, Copy)]
pub struct Values<'a> {
    /// `{url}`: the stream URL (it carries `api_key`; see [`PlayerTemplate::token_over_ipc`]).
    pub url: &'a str,
    /// `{title}`: the item's name.
    pub title: &'a str,
    /// `{start}`: where to start, in seconds.
    pub start_secs: f64,
    /// `{ipc}`: the socket path emby-tui listens to the player on.
    pub ipc: &'a str,
}

/// Seconds as the shortest decimal that says them to the millisecond: `0`, `12.5`, `2530.04`.
pub fn seconds_text(secs: f64) -> String {
    let secs = if secs.is_finite() { secs.max(0.0) } else { 0.0 };
    let text = format!("{secs:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() {
        "0".into()
    } else {
        text.to_string()
    }
}

impl PlayerTemplate {
    /// Splits `text` like a POSIX shell line (quotes and backslashes), checks its placeholders.
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        let words = shell_words::split(text).map_err(|e| TemplateError::Split {
            text: text.to_string(),
            reason: e.to_string(),
        })?;
        if words.is_empty() {
            return Err(TemplateError::Empty);
        }
        for word in &words {
            if let Some(unknown) = unknown_placeholder(word) {
                return Err(TemplateError::UnknownPlaceholder(unknown));
            }
        }
        let t = PlayerTemplate {
            text: text.to_string(),
            words,
        };
        if !t.has_url() && !t.has_ipc() {
            return Err(TemplateError::NoInput(text.to_string()));
        }
        Ok(t)
    }

    /// The template as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The program (the first word).
    pub fn program(&self) -> &str {
        &self.words[0]
    }

    /// The words as split (placeholders unfilled).
    pub fn words(&self) -> &[String] {
        &self.words
    }

    fn uses(&self, placeholder: &str) -> bool {
        self.words.iter().any(|w| w.contains(placeholder))
    }

    /// Whether emby-tui speaks the player's JSON IPC (mpv's) on a socket it chooses.
    pub fn has_ipc(&self) -> bool {
        self.uses("{ipc}")
    }

    /// Whether the URL goes on the command line.
    pub fn has_url(&self) -> bool {
        self.uses("{url}")
    }

    /// True when the token goes to the player over IPC (as an `X-Emby-Token` header) and the URL
    /// by `loadfile`: the template has `{ipc}` and no `{url}`. Then no token is on the command
    /// line; otherwise `{url}` carries `api_key` (the player opens it before any IPC is up).
    pub fn token_over_ipc(&self) -> bool {
        self.has_ipc() && !self.has_url()
    }

    /// Whether a word of the template is one of `options` (`--vo=tct`) or starts with one
    /// followed by `=`/`,` (so `--vo=tct,null` counts).
    pub fn has_option(&self, options: &[&str]) -> bool {
        self.words.iter().skip(1).any(|w| {
            options.iter().any(|o| {
                w == o
                    || w.strip_prefix(o)
                        .is_some_and(|rest| rest.starts_with(',') || rest.starts_with(' '))
            })
        })
    }

    /// The command line of one run: every placeholder filled in, word by word.
    pub fn render(&self, v: &Values) -> Vec<String> {
        let start = seconds_text(v.start_secs);
        self.words
            .iter()
            .map(|w| {
                w.replace("{url}", v.url)
                    .replace("{title}", v.title)
                    .replace("{start}", &start)
                    .replace("{ipc}", v.ipc)
            })
            .collect()
    }
}

impl Default for PlayerTemplate {
    fn default() -> Self {
        PlayerTemplate::parse(DEFAULT_TEMPLATE).expect("the default template parses")
    }
}

impl fmt::Display for PlayerTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The first `{name}` in a word that is not a known placeholder.
fn unknown_placeholder(word: &str) -> Option<String> {
    let mut rest = word;
    while let Some(open) = rest.find('{') {
        let after = &rest[open..];
        let Some(close) = after.find('}') else { break };
        let candidate = &after[..=close];
        let inner = &candidate[1..candidate.len() - 1];
        if !inner.is_empty()
            && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !PLACEHOLDERS.contains(&candidate)
        {
            return Some(candidate.to_string());
        }
        rest = &after[1..];
    }
    None
}

/// Whether the player needs this terminal (its picture or its keys are here) or has a window of
/// its own. See [`PlayerConfig::needs_terminal`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TerminalUse {
    /// Decide from the command and the item (the default).
    #[default]
    Auto,
    /// Always give it the terminal (e.g. a terminal video output the rules do not know).
    Always,
    /// Never: it always opens a window of its own.
    Never,
}

impl FromStr for TerminalUse {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" | "" => Ok(TerminalUse::Auto),
            "yes" | "always" | "true" | "terminal" => Ok(TerminalUse::Always),
            "no" | "never" | "false" | "window" => Ok(TerminalUse::Never),
            other => Err(format!(
                "`{other}` is not a terminal setting for the player (auto, yes or no)"
            )),
        }
    }
}

/// Where the player command came from, for messages that tell the user where to change it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TemplateSource {
    /// [`DEFAULT_TEMPLATE`].
    #[default]
    Default,
    /// The config file (`[player] command`).
    ConfigFile,
    /// The environment variable `EMBY_TUI_PLAYER`.
    Environment,
    /// `--player` on the command line.
    CommandLine,
}

/// The environment variable that holds a player command template.
pub const PLAYER_ENV: &str = "EMBY_TUI_PLAYER";
/// The environment variable that says whether the player needs the terminal (auto, yes, no).
pub const PLAYER_TERMINAL_ENV: &str = "EMBY_TUI_PLAYER_TERMINAL";
/// The config file key of the player command (issue #13's `config.toml`).
pub const CONFIG_KEY: &str = "player.command";

/// How this box plays: the command template, whether it needs the terminal, and whether a
/// graphical display is there at all. Filled from `--player`, `EMBY_TUI_PLAYER` or the config
/// file (see [`PlayerConfig::resolve`]), else the default mpv command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayerConfig {
    pub template: PlayerTemplate,
    pub source: TemplateSource,
    pub terminal: TerminalUse,
    /// A graphical display is reachable (X11 or Wayland on Linux and the BSDs; always elsewhere).
    pub display: bool,
}

impl Default for PlayerConfig {
    fn default() -> Self {
        PlayerConfig {
            template: PlayerTemplate::default(),
            source: TemplateSource::Default,
            terminal: TerminalUse::Auto,
            display: true,
        }
    }
}

/// mpv options that put the picture in the terminal, or play no picture at all (then the
/// player's keys and status line are in the terminal).
const TERMINAL_OPTIONS: &[&str] = &[
    "--vo=tct",
    "--vo=caca",
    "--vo=sixel",
    "--vo=kitty",
    "--vo=drm",
    "--vo=null",
    "--no-video",
    "--video=no",
    "--vid=no",
    "--no-vid",
];

/// mpv options that open a window even for audio.
const WINDOW_OPTIONS: &[&str] = &[
    "--force-window",
    "--force-window=yes",
    "--force-window=immediate",
];

/// Whether a graphical display is reachable from this process.
pub fn display_available() -> bool {
    if cfg!(any(target_os = "macos", windows)) {
        return true;
    }
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    set("DISPLAY") || set("WAYLAND_DISPLAY")
}

impl PlayerConfig {
    /// The settings from the places a user sets them, first found wins: the command line,
    /// the environment (`EMBY_TUI_PLAYER`, `EMBY_TUI_PLAYER_TERMINAL`), then the config file's
    /// `[player] command` / `terminal`; else the default mpv command. The display is detected.
    pub fn resolve(
        command_line: Option<&str>,
        config_file: Option<&str>,
        config_terminal: Option<&str>,
    ) -> Result<PlayerConfig, String> {
        let env = std::env::var(PLAYER_ENV)
            .ok()
            .filter(|v| !v.trim().is_empty());
        let (text, source) = if let Some(t) = command_line {
            (Some(t.to_string()), TemplateSource::CommandLine)
        } else if let Some(t) = env {
            (Some(t), TemplateSource::Environment)
        } else if let Some(t) = config_file {
            (Some(t.to_string()), TemplateSource::ConfigFile)
        } else {
            (None, TemplateSource::Default)
        };
        let template = match text {
            Some(t) => {
                PlayerTemplate::parse(&t).map_err(|e| format!("{e} ({})", source.where_set()))?
            }
            None => PlayerTemplate::default(),
        };
        let terminal = match std::env::var(PLAYER_TERMINAL_ENV)
            .ok()
            .or(config_terminal.map(str::to_string))
        {
            Some(t) => t.parse()?,
            None => TerminalUse::Auto,
        };
        Ok(PlayerConfig {
            template,
            source,
            terminal,
            display: display_available(),
        })
    }

    /// Whether playing an item of this `MediaType` (`Video`, `Audio`) needs this terminal:
    /// forced by [`TerminalUse`], else yes when the command puts the picture in the terminal
    /// (`--vo=tct`, `--vo=kitty`, …) or plays none (`--no-video`), when the item is audio and
    /// the command does not force a window (mpv then shows no window: its keys are here), or
    /// when there is no graphical display at all (a headless box over SSH); no otherwise.
    pub fn needs_terminal(&self, media_type: Option<&str>) -> bool {
        match self.terminal {
            TerminalUse::Always => return true,
            TerminalUse::Never => return false,
            TerminalUse::Auto => {}
        }
        if self.template.has_option(TERMINAL_OPTIONS) || !self.display {
            return true;
        }
        let audio = media_type.is_some_and(|m| m.eq_ignore_ascii_case("Audio"));
        audio && !self.template.has_option(WINDOW_OPTIONS)
    }
}

impl TemplateSource {
    /// Where the user set (or can set) the command, for messages.
    pub fn where_set(self) -> String {
        match self {
            TemplateSource::Default => format!(
                "the default; set `{CONFIG_KEY}` in config.toml, {PLAYER_ENV} or --player to change it"
            ),
            TemplateSource::ConfigFile => format!("from `{CONFIG_KEY}` in config.toml"),
            TemplateSource::Environment => format!("from {PLAYER_ENV}"),
            TemplateSource::CommandLine => "from --player".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values<'static> {
        Values {
            url: "http://h/emby/Videos/1/stream?api_key=k",
            title: "It's \"a\" film; rm -rf /",
            start_secs: 2530.5,
            ipc: "/tmp/x/mpv.sock",
        }
    }

    #[test]
    fn the_default_is_mpv_with_ipc_and_no_url() {
        let t = PlayerTemplate::default();
        assert_eq!(t.program(), "mpv");
        assert!(t.has_ipc() && !t.has_url() && t.token_over_ipc());
        assert_eq!(
            t.render(&values()),
            [
                "mpv",
                "--idle=once",
                "--force-media-title=It's \"a\" film; rm -rf /",
                "--start=2530.5",
                "--input-ipc-server=/tmp/x/mpv.sock"
            ]
        );
    }

    #[test]
    fn words_are_split_like_a_shell_line_and_filled_one_by_one() {
        let t = PlayerTemplate::parse(r#"vlc --meta-title "{title}" '--start-time={start}' {url}"#)
            .unwrap();
        assert!(!t.has_ipc() && t.has_url() && !t.token_over_ipc());
        let args = t.render(&values());
        assert_eq!(args.len(), 5);
        assert_eq!(args[2], "It's \"a\" film; rm -rf /");
        assert_eq!(args[3], "--start-time=2530.5");
        assert_eq!(args[4], "http://h/emby/Videos/1/stream?api_key=k");
    }

    #[test]
    fn bad_templates_are_refused_with_a_reason() {
        assert_eq!(PlayerTemplate::parse("  "), Err(TemplateError::Empty));
        assert!(matches!(
            PlayerTemplate::parse("mpv 'unclosed {url}"),
            Err(TemplateError::Split { .. })
        ));
        assert_eq!(
            PlayerTemplate::parse("mpv --title={titel} {url}"),
            Err(TemplateError::UnknownPlaceholder("{titel}".into()))
        );
        assert!(matches!(
            PlayerTemplate::parse("mpv --fs"),
            Err(TemplateError::NoInput(_))
        ));
        // braces that are not placeholders are fine
        assert!(PlayerTemplate::parse("mpv --script-opts={a=1} {url}").is_ok());
    }

    #[test]
    fn start_seconds_are_written_shortest() {
        assert_eq!(seconds_text(0.0), "0");
        assert_eq!(seconds_text(12.0), "12");
        assert_eq!(seconds_text(12.25), "12.25");
        assert_eq!(seconds_text(-3.0), "0");
        assert_eq!(seconds_text(f64::NAN), "0");
    }

    fn config(template: &str, display: bool) -> PlayerConfig {
        PlayerConfig {
            template: PlayerTemplate::parse(template).unwrap(),
            display,
            ..PlayerConfig::default()
        }
    }

    #[test]
    fn a_terminal_output_audio_or_no_display_needs_the_terminal() {
        let windowed = config(DEFAULT_TEMPLATE, true);
        assert!(!windowed.needs_terminal(Some("Video")));
        assert!(
            windowed.needs_terminal(Some("Audio")),
            "mpv shows no window for audio"
        );
        let tct = config(&format!("{DEFAULT_TEMPLATE} --vo=tct"), true);
        assert!(tct.needs_terminal(Some("Video")));
        let no_video = config("mpv --no-video {url}", true);
        assert!(no_video.needs_terminal(Some("Video")));
        let forced_window = config("mpv --force-window=yes {url}", true);
        assert!(!forced_window.needs_terminal(Some("Audio")));
        let headless = config(DEFAULT_TEMPLATE, false);
        assert!(
            headless.needs_terminal(Some("Video")),
            "no display: a headless box"
        );
        let mut never = config(DEFAULT_TEMPLATE, false);
        never.terminal = TerminalUse::Never;
        assert!(!never.needs_terminal(Some("Audio")));
        let mut always = config(DEFAULT_TEMPLATE, true);
        always.terminal = TerminalUse::Always;
        assert!(always.needs_terminal(Some("Video")));
        // an option named like a terminal one but longer is not one
        let other = config("mpv --vo=tctx {url}", true);
        assert!(!other.needs_terminal(Some("Video")));
    }

    #[test]
    fn terminal_settings_parse() {
        assert_eq!("Auto".parse(), Ok(TerminalUse::Auto));
        assert_eq!("yes".parse(), Ok(TerminalUse::Always));
        assert_eq!("window".parse(), Ok(TerminalUse::Never));
        assert!("maybe".parse::<TerminalUse>().is_err());
    }
}
