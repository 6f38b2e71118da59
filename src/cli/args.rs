//! The command line: global options (accepted before or after the command) and the one-shot
//! commands scripts rely on. With no command, the terminal UI opens.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "emby-tui",
    version,
    about = "A keyboard-driven terminal browser for Emby servers"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOptions,
    /// Run against a built-in simulator of Emby Connect and three Emby Servers, with a throw-away config.
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalOptions {
    /// Where credentials.json and the device id live (default: the platform config dir).
    #[arg(long, global = true, env = "EMBY_TUI_CONFIG_DIR", value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    /// Base URL of the Emby Connect service ("user/authenticate" etc. are joined to it).
    #[arg(
        long,
        global = true,
        env = "EMBY_TUI_CONNECT_URL",
        value_name = "URL",
        default_value = "https://connect.emby.media/service/"
    )]
    pub connect_url: String,
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
    /// Where caches live (the route memory; default: `cache/` in --config-dir when given, else
    /// the platform cache dir).
    #[arg(long, global = true, env = "EMBY_TUI_CACHE_DIR", value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// The name of the network this machine is on; the address that won for each server is
    /// remembered per network (default: a fingerprint of the default route and gateway).
    #[arg(long, global = true, env = "EMBY_TUI_NETWORK", value_name = "NAME")]
    pub network: Option<String>,
    /// Do not look for servers on the LAN.
    #[arg(long, global = true)]
    pub no_discovery: bool,
    /// The longest a remote answer waits for a LAN answer still coming (normally the window is
    /// derived from the LAN round trips measured on this network, and far shorter).
    #[arg(
        long,
        global = true,
        env = "EMBY_TUI_HEAD_START_MS",
        value_name = "MS",
        default_value_t = 200
    )]
    pub head_start_ms: u64,
    /// Time limit of one attempt on a LocalAddress.
    #[arg(
        long,
        global = true,
        env = "EMBY_TUI_LOCAL_TIMEOUT_MS",
        value_name = "MS",
        default_value_t = 3000
    )]
    pub local_timeout_ms: u64,
    /// Time limit of one attempt on a remote Url or a typed address.
    #[arg(
        long,
        global = true,
        env = "EMBY_TUI_REMOTE_TIMEOUT_MS",
        value_name = "MS",
        default_value_t = 6000
    )]
    pub remote_timeout_ms: u64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Emby Connect: sign in (password or PIN) and out.
    #[command(subcommand)]
    Connect(ConnectCommand),
    /// Build the server list, reach every server, exchange Connect keys, save, and print it.
    Servers {
        #[arg(long)]
        json: bool,
    },
    /// Add, remove or sign out of one server.
    #[command(subcommand)]
    Server(ServerCommand),
    /// Look for Emby Servers on the LAN.
    Discover {
        #[arg(long)]
        json: bool,
        /// How long to collect answers.
        #[arg(long, value_name = "N", default_value_t = 1000)]
        timeout_ms: u64,
    },
    /// Emby Connect invitations waiting for an answer.
    Invitations {
        #[command(subcommand)]
        action: Option<InvitationCommand>,
        #[arg(long)]
        json: bool,
    },
    /// The libraries of a server, through that server's own session.
    Views {
        server_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Items of a server (a page of them), through that server's own session.
    Items {
        server_id: String,
        #[arg(long, value_name = "ID")]
        parent: Option<String>,
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        #[arg(long, value_name = "N", default_value_t = 0)]
        start: u32,
        #[arg(long, value_name = "N", default_value_t = 100)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// The sessions (your other Emby apps) this user may control on a server.
    Sessions {
        server_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Play an item here with the player (reporting progress until it exits), or on another
    /// session with --on. Resumes from the saved position unless told otherwise.
    Play {
        server_id: String,
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
        server_id: String,
        session_id: String,
        #[command(subcommand)]
        command: ControlCommand,
    },
    /// Print a direct stream URL of an item (it holds your token: a warning goes to stderr).
    StreamUrl { server_id: String, item_id: String },
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
        seconds: f64,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConnectCommand {
    /// Sign in with an Emby Connect name or e-mail; the password is read from standard input.
    Login {
        #[arg(long, value_name = "NAME_OR_EMAIL")]
        user: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Sign in with a PIN confirmed on the Emby website; waits until it is confirmed or expires.
    Pin,
    /// Forget the Connect sign-in and every AccessKey; servers keep their addresses.
    Logout,
}

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Add a server by address; with --user, sign in with a local user (password from standard input).
    Add {
        url: String,
        #[arg(long, value_name = "NAME", requires = "password_stdin")]
        user: Option<String>,
        #[arg(long, requires = "user")]
        password_stdin: bool,
    },
    /// Remove a saved server.
    Remove { id: String },
    /// Sign out of one server (its token is revoked and dropped; the server stays saved).
    Logout { id: String },
}

#[derive(Debug, Subcommand)]
pub enum InvitationCommand {
    /// Accept an invitation (by server Id or Connect's id for it).
    Accept { id: String },
    /// Reject an invitation.
    Reject { id: String },
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
        let cli = Cli::try_parse_from([
            "emby-tui",
            "--connect-url",
            "http://127.0.0.1:9/service/",
            "connect",
            "logout",
        ])
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
    fn usage_errors_exit_with_status_2() {
        let err = Cli::try_parse_from(["emby-tui", "server", "add"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let err =
            Cli::try_parse_from(["emby-tui", "server", "add", "h", "--user", "x"]).unwrap_err();
        assert_eq!(err.exit_code(), 2, "--user needs --password-stdin");
    }
}
