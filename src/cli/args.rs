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
    /// Search every signed-in server at once; the same film or episode on several servers is
    /// one result, its servers fastest first.
    Search {
        text: String,
        /// Only this server (may be given more than once).
        #[arg(long = "server", value_name = "ID")]
        servers: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Continue Watching, Next Up and Latest of every signed-in server, merged.
    Home {
        #[arg(long)]
        json: bool,
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
}
