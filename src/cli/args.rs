//! The command line: global options (accepted before or after the command) and the one-shot
//! commands scripts rely on. With no command, the terminal UI opens.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "emby-tui",
    version,
    about = "A keyboard-driven terminal browser for Emby servers",
    long_about = "A keyboard-driven terminal browser for Emby servers: sign in once with Emby \
Connect (or add a server by address) and browse every server at once. With no command, the \
terminal UI opens; the commands below are for scripts.",
    after_help = FILES_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOptions,
    /// Run the terminal UI against a built-in simulator of Emby Connect and four Emby Servers,
    /// with a throw-away config (its log too); try the whole app with one command.
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where emby-tui keeps its files (shown at the end of `--help`).
pub const FILES_HELP: &str = "Files: credentials.json (your Emby Connect sign-in and servers, \
mode 0600; passwords are never stored) and device_id live in the config dir \
(--config-dir, else ~/.config/emby-tui on Linux); the log emby-tui.log lives in the data dir \
(~/.local/share/emby-tui), or in --config-dir when that is given; caches (routes.json, \
ui.json) in the cache dir (--cache-dir, else cache/ inside --config-dir when given, else \
~/.cache/emby-tui). `emby-tui --demo` keeps all of them in a throw-away dir.";

/// Options every command takes, before or after it. Those with an environment variable take it
/// when the option is not given (read after parsing, so a value from the environment never
/// shows as a required argument in a usage line).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalOptions {
    /// Where credentials.json and the device id live [env: EMBY_TUI_CONFIG_DIR; default: the
    /// platform config dir].
    #[arg(long, global = true, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    /// Where caches live (the route memory, the screen of the last run) [env:
    /// EMBY_TUI_CACHE_DIR; default: cache/ in --config-dir when given, else the platform cache
    /// dir].
    #[arg(long, global = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Base URL of the Emby Connect service, "user/authenticate" etc. are joined to it [env:
    /// EMBY_TUI_CONNECT_URL; default: https://connect.emby.media/service/].
    #[arg(long = "connect-url", global = true, value_name = "URL")]
    connect_url_option: Option<String>,
    #[arg(skip)]
    pub connect_url: String,
    /// The name of the network this machine is on; the address that won for each server is
    /// remembered per network [env: EMBY_TUI_NETWORK; default: a fingerprint of the default
    /// route and gateway].
    #[arg(long, global = true, value_name = "NAME")]
    pub network: Option<String>,
    /// UDP port LAN discovery asks on.
    #[arg(long, global = true, value_name = "PORT", default_value_t = 7359)]
    pub discovery_port: u16,
    /// Address LAN discovery asks ("who is EmbyServer?" goes there).
    #[arg(
        long,
        global = true,
        value_name = "ADDR",
        default_value = "255.255.255.255"
    )]
    pub discovery_address: String,
    /// Do not look for servers on the LAN.
    #[arg(long, global = true)]
    pub no_discovery: bool,
    /// The longest a remote answer waits for a LAN answer still coming; normally the window is
    /// derived from the LAN round trips measured on this network, and far shorter [env:
    /// EMBY_TUI_HEAD_START_MS; default: 200].
    #[arg(long = "head-start-ms", global = true, value_name = "MS")]
    head_start_option: Option<u64>,
    #[arg(skip)]
    pub head_start_ms: u64,
    /// Time limit of one attempt on a LocalAddress [env: EMBY_TUI_LOCAL_TIMEOUT_MS; default:
    /// 3000].
    #[arg(long = "local-timeout-ms", global = true, value_name = "MS")]
    local_timeout_option: Option<u64>,
    #[arg(skip)]
    pub local_timeout_ms: u64,
    /// Time limit of one attempt on a remote Url or a typed address [env:
    /// EMBY_TUI_REMOTE_TIMEOUT_MS; default: 6000].
    #[arg(long = "remote-timeout-ms", global = true, value_name = "MS")]
    remote_timeout_option: Option<u64>,
    #[arg(skip)]
    pub remote_timeout_ms: u64,
    /// Draw no posters (the same as `[images] mode = "off"` in config.toml).
    #[arg(long, global = true)]
    pub no_images: bool,
    /// How posters are drawn: --no-images, else config.toml's `[images] mode`, else auto.
    #[arg(skip)]
    pub images: String,
    /// config.toml as read (keys, colours, player, its problems); the defaults when there is
    /// none or a test parses words.
    #[arg(skip)]
    pub config: crate::config::Config,
}

impl Cli {
    /// Parses the command line, reads config.toml (from --config-dir or EMBY_TUI_CONFIG_DIR,
    /// else the platform's config dir; created commented on a first run, only read by --demo),
    /// then fills the global options not given from the environment, then the file; exits with
    /// status 2 on a usage error (a bad value in the environment included).
    pub fn parse_with_env() -> Cli {
        use clap::CommandFactory;
        let env = |k: &str| std::env::var(k).ok();
        let mut cli = <Cli as Parser>::parse();
        cli.global.resolve_dirs(env);
        let no_color = std::env::var("NO_COLOR").ok();
        cli.global.config = match cli.global.config_dir() {
            Ok(dir) if cli.demo => crate::config::Config::load_existing(&dir, no_color.as_deref()),
            Ok(dir) => crate::config::Config::load(&dir, no_color.as_deref()),
            Err(_) => crate::config::Config::defaults(no_color.as_deref()),
        };
        if let Err(message) = cli.global.resolve(env) {
            Cli::command()
                .error(clap::error::ErrorKind::ValueValidation, message)
                .exit();
        }
        cli
    }

    /// [`Self::parse_with_env`] on given words, variables and config file text (tests).
    pub fn try_parse_with(
        words: &[&str],
        env: impl Fn(&str) -> Option<String>,
        config: &str,
    ) -> Result<Cli, String> {
        let mut cli = <Cli as Parser>::try_parse_from(words).map_err(|e| e.to_string())?;
        cli.global.resolve_dirs(&env);
        cli.global.config = crate::config::Config::from_text(config, None, None);
        cli.global.resolve(env)?;
        Ok(cli)
    }
}

impl GlobalOptions {
    /// The config dir: `--config-dir` (or EMBY_TUI_CONFIG_DIR), else the platform's (e.g.
    /// ~/.config/emby-tui).
    pub fn config_dir(&self) -> anyhow::Result<PathBuf> {
        if let Some(d) = &self.config_dir {
            return Ok(d.clone());
        }
        directories::ProjectDirs::from("", "", "emby-tui")
            .map(|p| p.config_dir().to_path_buf())
            .ok_or_else(|| {
                anyhow::anyhow!("no home directory to keep the configuration in; pass --config-dir")
            })
    }

    /// How this box plays: `--player` (of `play`), `EMBY_TUI_PLAYER`, config.toml, else mpv.
    pub fn player(
        &self,
        command_line: Option<&str>,
    ) -> anyhow::Result<crate::player::PlayerConfig> {
        let file = &self.config.file;
        crate::player::PlayerConfig::resolve(
            command_line,
            file.player_command.as_deref(),
            file.player_terminal.as_deref(),
        )
        .map_err(anyhow::Error::msg)
    }

    /// The config and cache dirs: the command line, else the environment.
    pub fn resolve_dirs(&mut self, env: impl Fn(&str) -> Option<String>) {
        self.config_dir = self.config_dir.take().or_else(|| {
            env("EMBY_TUI_CONFIG_DIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        self.cache_dir = self.cache_dir.take().or_else(|| {
            env("EMBY_TUI_CACHE_DIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
    }

    /// Fills what was not given on the command line from `env`, then from config.toml (in
    /// [`Self::config`]), then the defaults.
    pub fn resolve(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), String> {
        fn number(
            given: Option<u64>,
            var: &str,
            env: &impl Fn(&str) -> Option<String>,
            file: Option<u64>,
            default: u64,
        ) -> Result<u64, String> {
            match (given, env(var)) {
                (Some(n), _) => Ok(n),
                (None, Some(v)) => v
                    .trim()
                    .parse()
                    .map_err(|_| format!("{var}={v:?} is not a whole number of milliseconds")),
                (None, None) => Ok(file.unwrap_or(default)),
            }
        }
        self.resolve_dirs(&env);
        let file = &self.config.file;
        self.network = self
            .network
            .take()
            .or_else(|| env("EMBY_TUI_NETWORK").filter(|v| !v.is_empty()));
        self.connect_url = self
            .connect_url_option
            .clone()
            .or_else(|| env("EMBY_TUI_CONNECT_URL").filter(|v| !v.is_empty()))
            .or_else(|| file.connect_url.clone())
            .unwrap_or_else(|| crate::emby::connect::DEFAULT_CONNECT_URL.to_string());
        let defaults = crate::config::Resolved::defaults();
        self.head_start_ms = number(
            self.head_start_option,
            "EMBY_TUI_HEAD_START_MS",
            &env,
            file.head_start_ms,
            defaults.head_start_ms,
        )?;
        self.local_timeout_ms = number(
            self.local_timeout_option,
            "EMBY_TUI_LOCAL_TIMEOUT_MS",
            &env,
            file.local_timeout_ms,
            defaults.local_timeout_ms,
        )?;
        self.remote_timeout_ms = number(
            self.remote_timeout_option,
            "EMBY_TUI_REMOTE_TIMEOUT_MS",
            &env,
            file.remote_timeout_ms,
            defaults.remote_timeout_ms,
        )?;
        self.images = if self.no_images {
            "off".into()
        } else {
            file.images.clone().unwrap_or(defaults.images)
        };
        Ok(())
    }
}

/// A server address as typed, checked strictly at parse time (a usage error, exit status 2):
/// not empty, no spaces, `http://` or `https://` (or no scheme, meaning `http://`), a host.
pub fn server_address(text: &str) -> Result<String, String> {
    use crate::session::address::{AddressError, normalize_address};
    let trimmed = text.trim();
    if trimmed.chars().any(char::is_whitespace) {
        return Err("a server address has no spaces".into());
    }
    normalize_address(trimmed).map_err(|e| match e {
        AddressError::Empty => "the address is empty".to_string(),
        AddressError::Scheme(s) => format!("{s}:// is not http:// or https://"),
        AddressError::Invalid(_) => {
            "that is not a server address (host, host:port or a URL)".into()
        }
    })
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Emby Connect: sign in (password or PIN) and out.
    #[command(subcommand)]
    Connect(ConnectCommand),
    /// Build the server list, reach every server, exchange Connect keys, save, and print it.
    Servers {
        /// Print a JSON array (one object per server) instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Add, remove or sign out of one server.
    #[command(subcommand)]
    Server(ServerCommand),
    /// Look for Emby Servers on the LAN.
    Discover {
        /// Print a JSON array instead of lines.
        #[arg(long)]
        json: bool,
        /// How long to collect answers, in milliseconds.
        #[arg(long, value_name = "N", default_value_t = 1000)]
        timeout_ms: u64,
    },
    /// Emby Connect invitations waiting for an answer.
    Invitations {
        #[command(subcommand)]
        action: Option<InvitationCommand>,
        /// Print a JSON array instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// The libraries of a server, through that server's own session.
    Views {
        /// The server: its Id, or its name (any case, or the start of it if only one matches).
        #[arg(value_name = "SERVER")]
        server_id: String,
        /// Print a JSON array instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Items of a server (a page of them), through that server's own session.
    Items {
        /// The server: its Id, or its name (any case, or the start of it if only one matches).
        #[arg(value_name = "SERVER")]
        server_id: String,
        /// List the children of this folder or library (an item Id); default: the top level.
        #[arg(long, value_name = "ID")]
        parent: Option<String>,
        /// Search the whole server for items whose name matches.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// The first item to list (0 is the first).
        #[arg(long, value_name = "N", default_value_t = 0)]
        start: u32,
        /// How many items to list, 1 or more.
        #[arg(long, value_name = "N", default_value_t = 100,
              value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
        /// Print a JSON object (total, start, items) instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// The users of a server you administer, with their Emby Connect links; `users link` and
    /// `users unlink` change a link.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Users {
        #[command(subcommand)]
        action: Option<UsersCommand>,
        /// The server: its Id, or its name (any case, or the start of it if only one matches).
        #[arg(value_name = "SERVER", required = true)]
        server_id: Option<String>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Invite someone to a server you administer through Emby Connect (a guest).
    Invite {
        /// The server: its Id, or its name (any case, or the start of it if only one matches).
        #[arg(value_name = "SERVER")]
        server_id: String,
        /// Their Emby Connect name or e-mail address.
        name_or_email: String,
        /// A library to share (id or name); repeat for more. None shares every library.
        #[arg(long = "library", value_name = "ID")]
        libraries: Vec<String>,
        /// Let the guest watch live TV.
        #[arg(long)]
        live_tv: bool,
    },
    /// Emby Connect invitations of a server you administer that wait for an answer;
    /// `pending cancel` withdraws one.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Pending {
        #[command(subcommand)]
        action: Option<PendingCommand>,
        /// The server: its Id, or its name (any case, or the start of it if only one matches).
        #[arg(value_name = "SERVER", required = true)]
        server_id: Option<String>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// The sessions (your other Emby apps) this user may control on a server.
    Sessions {
        /// The server: its Id, or its name (any case, or the start of it if only one matches).
        #[arg(value_name = "SERVER")]
        server_id: String,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Play an item here with the player (reporting progress until it exits), or on another
    /// session with --on. Resumes from the saved position unless told otherwise.
    Play {
        /// The server: its Id, or its name (any case, or the start of it if only one matches).
        #[arg(value_name = "SERVER")]
        server_id: String,
        /// The item's Id.
        item_id: String,
        /// Play it on this session (see `sessions`) instead of here.
        #[arg(long, value_name = "SESSION_ID")]
        on: Option<String>,
        /// Start from the beginning, not the saved position.
        #[arg(long, conflicts_with = "start_seconds")]
        from_start: bool,
        /// Start this many seconds in (may be fractional).
        #[arg(long, value_name = "N")]
        start_seconds: Option<f64>,
        /// The player command (placeholders {url}, {title}, {start}, {ipc}); default from
        /// EMBY_TUI_PLAYER, the config file, else mpv.
        #[arg(long, value_name = "TEMPLATE")]
        player: Option<String>,
    },
    /// Remote control of another session: pause, unpause, stop, next, previous, seek SECONDS.
    Control {
        /// The server: its Id, or its name (any case, or the start of it if only one matches).
        #[arg(value_name = "SERVER")]
        server_id: String,
        /// The session's Id (see `sessions`).
        session_id: String,
        #[command(subcommand)]
        command: ControlCommand,
    },
    /// Print a direct stream URL of an item (it holds your token: a warning goes to stderr).
    StreamUrl {
        /// The server: its Id, or its name (any case, or the start of it if only one matches).
        #[arg(value_name = "SERVER")]
        server_id: String,
        /// The item's Id.
        item_id: String,
    },
    /// Search every signed-in server at once; the same film or episode on several servers is
    /// one result, its servers fastest first.
    Search {
        /// What to look for in names (films, shows, episodes, music, people).
        text: String,
        /// Only this server: its Id or its name (any case, or the start of it if only one
        /// matches); give it again for more. Default: every signed-in server.
        #[arg(long = "server", value_name = "SERVER")]
        servers: Vec<String>,
        /// Print a JSON array (name, type, year, sources) instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Continue Watching, Next Up and Latest of every signed-in server, merged.
    Home {
        /// Print a JSON object (continue_watching, next_up, latest) instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// config.toml: where it is, and the configuration in force.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Clone, Copy, Subcommand)]
pub enum ConfigCommand {
    /// Print where config.toml is (it is created, every key commented, on a first run).
    Path,
    /// Print the configuration in force as TOML: every key, the defaults filled in, the
    /// command line and environment applied; saved as config.toml it gives the same again.
    Show,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Link a user to an Emby Connect account; prints `linked`, `pending` or `invited to sign up`.
    Link {
        /// The server: its Id, or its name (any case, or the start of it if only one matches).
        #[arg(value_name = "SERVER")]
        server_id: String,
        /// The user's id (or name).
        user_id: String,
        /// The Emby Connect name or e-mail address.
        name_or_email: String,
    },
    /// Remove a user's Emby Connect link.
    Unlink {
        /// The server: its Id, or its name (any case, or the start of it if only one matches).
        #[arg(value_name = "SERVER")]
        server_id: String,
        /// The user's id (or name).
        user_id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PendingCommand {
    /// Cancel a pending invitation by its id.
    Cancel {
        /// The server: its Id, or its name (any case, or the start of it if only one matches).
        #[arg(value_name = "SERVER")]
        server_id: String,
        /// The invitation's id (as `pending` lists it).
        id: String,
    },
}

/// A playstate command for `control`.
#[derive(Debug, Clone, Subcommand)]
pub enum ControlCommand {
    Pause,
    Unpause,
    Stop,
    Next,
    Previous,
    /// Go to this position, in seconds from the start of the item (absolute).
    Seek {
        /// The position in seconds from the start.
        seconds: f64,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConnectCommand {
    /// Sign in with an Emby Connect name or e-mail; the password is read from standard input.
    Login {
        /// Your Emby Connect name or e-mail address.
        #[arg(long, value_name = "NAME_OR_EMAIL")]
        user: String,
        /// Read the password from the first line of standard input (it is never an argument).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Sign in with a PIN confirmed on the Emby website; waits until it is confirmed or expires.
    Pin,
    /// Forget the Connect sign-in and every AccessKey; servers keep their addresses.
    Logout,
    /// Create an Emby Connect account; the password is read from standard input.
    Signup {
        /// The e-mail address of the new account.
        #[arg(long, value_name = "E")]
        email: String,
        /// The name of the new account.
        #[arg(long, value_name = "NAME")]
        user: String,
        /// Read the password from the first line of standard input (it is never an argument).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// The signed-in Emby Connect user: name and e-mail.
    Whoami {
        /// Print JSON (`id`, `name`, `email`) instead of a line.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Add a server by address; with --user, sign in with a local user (password from standard
    /// input) and save nothing if that fails.
    Add {
        /// The server's address: host, host:port or a URL (http:// or https://).
        #[arg(value_name = "ADDRESS", value_parser = server_address)]
        url: String,
        /// Sign in there as this local user.
        #[arg(long, value_name = "NAME", requires = "password_stdin")]
        user: Option<String>,
        /// Read the password from the first line of standard input (needs --user).
        #[arg(long, requires = "user")]
        password_stdin: bool,
    },
    /// Remove a saved server.
    Remove {
        /// The server: its Id, or its name (any case, or the start of it if only one matches).
        #[arg(value_name = "SERVER")]
        id: String,
    },
    /// Sign out of one server (its token is revoked and dropped; the server stays saved).
    Logout {
        /// The server: its Id, or its name (any case, or the start of it if only one matches).
        #[arg(value_name = "SERVER")]
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum InvitationCommand {
    /// Accept an invitation (by server Id or Connect's id for it).
    Accept {
        /// The server Id of the invitation (or Connect's id for it).
        id: String,
    },
    /// Reject an invitation.
    Reject {
        /// The server Id of the invitation (or Connect's id for it).
        id: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_options_are_accepted_after_the_command() {
        let cli = Cli::try_parse_from([
            "emby-tui",
            "servers",
            "--json",
            "--config-dir",
            "/tmp/x",
            "--no-discovery",
        ])
        .unwrap();
        assert_eq!(cli.global.config_dir, Some(PathBuf::from("/tmp/x")));
        assert!(cli.global.no_discovery);
        assert!(matches!(cli.command, Some(Command::Servers { json: true })));
    }

    #[test]
    fn global_options_are_accepted_before_the_command() {
        let cli = Cli::try_parse_with(
            &[
                "emby-tui",
                "--connect-url",
                "http://127.0.0.1:9/service/",
                "connect",
                "logout",
            ],
            |_| None,
            "",
        )
        .unwrap();
        assert_eq!(cli.global.connect_url, "http://127.0.0.1:9/service/");
        assert!(matches!(
            cli.command,
            Some(Command::Connect(ConnectCommand::Logout))
        ));
    }

    #[test]
    fn invitations_lists_or_acts() {
        let cli = Cli::try_parse_from(["emby-tui", "invitations", "--json"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Invitations {
                action: None,
                json: true
            })
        ));
        let cli = Cli::try_parse_from(["emby-tui", "invitations", "accept", "abc"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Invitations {
                action: Some(InvitationCommand::Accept { .. }),
                ..
            })
        ));
    }

    #[test]
    fn play_and_control_parse_as_the_contract_says() {
        let cli = Cli::try_parse_from([
            "emby-tui",
            "play",
            "srv",
            "item",
            "--start-seconds",
            "12.5",
            "--player",
            "mpv {url}",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Play { start_seconds: Some(s), ref player, on: None, from_start: false, .. })
                if s == 12.5 && player.as_deref() == Some("mpv {url}")
        ));
        let err = Cli::try_parse_from([
            "emby-tui",
            "play",
            "s",
            "i",
            "--from-start",
            "--start-seconds",
            "3",
        ])
        .unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let cli = Cli::try_parse_from(["emby-tui", "control", "s", "x", "seek", "90"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Control { command: ControlCommand::Seek { seconds }, .. }) if seconds == 90.0
        ));
        assert!(Cli::try_parse_from(["emby-tui", "stream-url", "s", "i"]).is_ok());
        assert!(Cli::try_parse_from(["emby-tui", "sessions", "s", "--json"]).is_ok());
    }

    #[test]
    fn search_takes_a_text_and_servers_and_home_takes_json() {
        let cli = Cli::try_parse_from([
            "emby-tui",
            "search",
            "the night",
            "--server",
            "a",
            "--server",
            "b",
            "--json",
        ])
        .unwrap();
        let Some(Command::Search {
            text,
            servers,
            json,
        }) = cli.command
        else {
            panic!("search")
        };
        assert_eq!(
            (text.as_str(), servers, json),
            ("the night", vec!["a".to_string(), "b".to_string()], true)
        );
        let cli = Cli::try_parse_from(["emby-tui", "home", "--json"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Home { json: true })));
        assert_eq!(
            Cli::try_parse_from(["emby-tui", "search"])
                .unwrap_err()
                .exit_code(),
            2
        );
    }

    #[test]
    fn usage_errors_exit_with_status_2() {
        let err = Cli::try_parse_from(["emby-tui", "server", "add"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let err =
            Cli::try_parse_from(["emby-tui", "server", "add", "h", "--user", "x"]).unwrap_err();
        assert_eq!(err.exit_code(), 2, "--user needs --password-stdin");
    }

    #[test]
    fn the_environment_fills_what_the_command_line_left_out_and_loses_to_it() {
        let env = |k: &str| match k {
            "EMBY_TUI_CONFIG_DIR" => Some("/env/dir".to_string()),
            "EMBY_TUI_HEAD_START_MS" => Some("75".to_string()),
            "EMBY_TUI_CONNECT_URL" => Some("http://env/service/".to_string()),
            _ => None,
        };
        let cli = Cli::try_parse_with(&["emby-tui", "servers"], env, "").unwrap();
        assert_eq!(cli.global.config_dir, Some(PathBuf::from("/env/dir")));
        assert_eq!(cli.global.head_start_ms, 75);
        assert_eq!(cli.global.connect_url, "http://env/service/");
        assert_eq!(cli.global.remote_timeout_ms, 6000);
        let cli = Cli::try_parse_with(
            &[
                "emby-tui",
                "servers",
                "--config-dir",
                "/cli",
                "--head-start-ms",
                "5",
            ],
            env,
            "",
        )
        .unwrap();
        assert_eq!(cli.global.config_dir, Some(PathBuf::from("/cli")));
        assert_eq!(cli.global.head_start_ms, 5);
        let bad = Cli::try_parse_with(
            &["emby-tui", "servers"],
            |k| (k == "EMBY_TUI_LOCAL_TIMEOUT_MS").then(|| "soon".to_string()),
            "",
        )
        .unwrap_err();
        assert!(bad.contains("EMBY_TUI_LOCAL_TIMEOUT_MS"), "{bad}");
    }

    /// The command line wins over the environment, which wins over config.toml, which wins
    /// over the defaults.
    #[test]
    fn the_config_file_fills_what_the_command_line_and_environment_left_out() {
        let file = "[network]\nhead_start_ms = 90\nlocal_timeout_ms = 900\n\
                    connect_url = \"http://file/service/\"\n[images]\nmode = \"halfblocks\"\n";
        let env = |k: &str| (k == "EMBY_TUI_LOCAL_TIMEOUT_MS").then(|| "700".to_string());
        let cli = Cli::try_parse_with(&["emby-tui", "servers"], env, file).unwrap();
        assert_eq!(cli.global.head_start_ms, 90);
        assert_eq!(cli.global.local_timeout_ms, 700);
        assert_eq!(cli.global.remote_timeout_ms, 6000);
        assert_eq!(cli.global.connect_url, "http://file/service/");
        assert_eq!(cli.global.images, "halfblocks");
        let cli = Cli::try_parse_with(
            &["emby-tui", "servers", "--head-start-ms", "5", "--no-images"],
            env,
            file,
        )
        .unwrap();
        assert_eq!(cli.global.head_start_ms, 5);
        assert_eq!(cli.global.images, "off");
    }

    #[test]
    fn addresses_are_checked_strictly_when_parsed() {
        for bad in ["htp://nas:8096", "my nas:8096", "", "   ", "http://"] {
            let err = Cli::try_parse_from(["emby-tui", "server", "add", bad]).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad:?}");
        }
        let ok = Cli::try_parse_from(["emby-tui", "server", "add", "nas:8096"]).unwrap();
        assert!(matches!(
            ok.command,
            Some(Command::Server(ServerCommand::Add { url, .. })) if url == "http://nas:8096"
        ));
        let err = Cli::try_parse_from(["emby-tui", "items", "x", "--limit", "0"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn every_option_of_every_command_has_a_help_line() {
        use clap::CommandFactory;
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if arg.is_hide_set() || id == "help" || id == "version" {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "emby-tui", &mut missing);
        assert!(missing.is_empty(), "options without help: {missing:?}");
    }

    #[test]
    fn users_and_pending_list_or_act() {
        let cli = Cli::try_parse_from(["emby-tui", "users", "s1", "--json"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Users { action: None, server_id: Some(ref s), json: true }) if s == "s1"
        ));
        let cli = Cli::try_parse_from(["emby-tui", "users", "link", "s1", "u1", "a@b.c"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Users {
                action: Some(UsersCommand::Link { .. }),
                ..
            })
        ));
        let cli = Cli::try_parse_from(["emby-tui", "users", "unlink", "s1", "u1"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Users {
                action: Some(UsersCommand::Unlink { .. }),
                ..
            })
        ));
        let cli = Cli::try_parse_from(["emby-tui", "pending", "cancel", "s1", "p1"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Pending {
                action: Some(PendingCommand::Cancel { .. }),
                ..
            })
        ));
        let err = Cli::try_parse_from(["emby-tui", "users"]).unwrap_err();
        assert_eq!(err.exit_code(), 2, "a server id is needed");
        let cli = Cli::try_parse_from([
            "emby-tui",
            "invite",
            "s1",
            "friend",
            "--library",
            "a",
            "--library",
            "b",
            "--live-tv",
        ])
        .unwrap();
        let Some(Command::Invite {
            libraries, live_tv, ..
        }) = cli.command
        else {
            panic!("not invite")
        };
        assert_eq!(libraries, ["a", "b"]);
        assert!(live_tv);
        let cli = Cli::try_parse_from([
            "emby-tui",
            "connect",
            "signup",
            "--email",
            "e@x",
            "--user",
            "n",
            "--password-stdin",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Connect(ConnectCommand::Signup { .. }))
        ));
    }
}
