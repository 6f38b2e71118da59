//! Running one command.

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::anyhow;

use crate::emby::server::ItemsQuery;
use crate::emby::{DiscoveryConfig, HttpConfig};
use crate::session::limits;
use crate::session::race::RaceConfig;
use crate::session::{Hub, SessionConfig, SessionError};

use super::args::{
    Command, ConfigCommand, ConnectCommand, GlobalOptions, InvitationCommand, ServerCommand,
};
use super::input::password_from_stdin;
use super::output::{DiscoveredOut, ItemOut, ItemsPage, item_line, print_json, server_line};
use super::play::{self as playing, PlayArgs};

fn discovery_target(global: &GlobalOptions) -> anyhow::Result<SocketAddr> {
    (global.discovery_address.as_str(), global.discovery_port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| {
            anyhow!(
                "--discovery-address {} is not an address",
                global.discovery_address
            )
        })
}

/// The race timings from the global options (a typed address gets the remote timeout).
pub fn race_config(global: &GlobalOptions) -> RaceConfig {
    RaceConfig {
        head_start: Duration::from_millis(global.head_start_ms),
        local_timeout: Duration::from_millis(global.local_timeout_ms),
        remote_timeout: Duration::from_millis(global.remote_timeout_ms),
        manual_timeout: Duration::from_millis(global.remote_timeout_ms),
    }
}

/// The cache dir: `--cache-dir`, else `cache/` inside `--config-dir` when that is given (so a
/// throw-away config keeps its caches with it), else the platform's (e.g. ~/.cache/emby-tui).
pub fn cache_dir(global: &GlobalOptions) -> Option<PathBuf> {
    if let Some(d) = &global.cache_dir {
        return Some(d.clone());
    }
    if let Some(d) = &global.config_dir {
        return Some(d.join("cache"));
    }
    directories::ProjectDirs::from("", "", "emby-tui").map(|p| p.cache_dir().to_path_buf())
}

/// The session layer's settings from the global options.
pub fn session_config(global: &GlobalOptions) -> anyhow::Result<SessionConfig> {
    let discovery = if global.no_discovery {
        None
    } else {
        Some(DiscoveryConfig {
            target: discovery_target(global)?,
            ..DiscoveryConfig::default()
        })
    };
    Ok(SessionConfig {
        config_dir: global.config_dir()?,
        cache_dir: cache_dir(global),
        connect_url: global.connect_url.clone(),
        discovery,
        race: race_config(global),
        http: HttpConfig::default(),
        reaches_in_flight: limits::reaches_in_flight(limits::current_open_files_limit()),
        network: global.network.clone(),
    })
}

/// Where a person confirms a PIN: the real website for the real service, else the service's own host.
pub fn pin_page(connect_url: &str) -> String {
    match url::Url::parse(connect_url) {
        Ok(u) if u.host_str() == Some("connect.emby.media") => "https://emby.media/pin".into(),
        Ok(u) => format!("{}/pin", u.origin().ascii_serialization()),
        Err(_) => "the Emby website".into(),
    }
}

fn pin_poll_interval() -> Duration {
    std::env::var("EMBY_TUI_PIN_POLL_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(Duration::from_secs(3))
}

/// Run one command. Errors are one sentence for stderr (exit status 1).
pub async fn run_command(global: &GlobalOptions, command: Command) -> anyhow::Result<()> {
    for problem in &global.config.problems {
        tell!("emby-tui: {problem}");
    }
    if let Command::Config(c) = command {
        return config_command(global, c);
    }
    let hub = Hub::open(session_config(global)?, None)?;
    for notice in hub.take_notices() {
        tell!("emby-tui: {notice}");
    }
    let result = run_with(&hub, global, command).await;
    for notice in hub.take_notices() {
        tell!("emby-tui: {notice}");
    }
    result
}

/// `config path` and `config show` (they need no saved state).
fn config_command(global: &GlobalOptions, command: ConfigCommand) -> anyhow::Result<()> {
    match command {
        ConfigCommand::Path => {
            say!(
                "{}",
                global
                    .config_dir()?
                    .join(crate::config::FILE_NAME)
                    .display()
            )
        }
        ConfigCommand::Show => print!(
            "{}",
            crate::config::show(&global.config, &resolved(global)?)
        ),
    }
    Ok(())
}

/// The settings in force that the command line and environment also set.
pub fn resolved(global: &GlobalOptions) -> anyhow::Result<crate::config::Resolved> {
    let player = global.player(None)?;
    Ok(crate::config::Resolved {
        connect_url: global.connect_url.clone(),
        head_start_ms: global.head_start_ms,
        local_timeout_ms: global.local_timeout_ms,
        remote_timeout_ms: global.remote_timeout_ms,
        images: global.images.clone(),
        player_command: player.template.text().to_string(),
        player_terminal: match player.terminal {
            crate::player::TerminalUse::Auto => "auto",
            crate::player::TerminalUse::Always => "yes",
            crate::player::TerminalUse::Never => "no",
        }
        .into(),
        log_level: global
            .config
            .file
            .log_level
            .unwrap_or(crate::app::log::Level::Info),
    })
}

async fn run_with(hub: &Hub, global: &GlobalOptions, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Connect(ConnectCommand::Login { user, .. }) => {
            let password = password_from_stdin()?;
            let name = hub.connect_sign_in(&user, &password).await?;
            tell!("Signed in to Emby Connect as {name}.");
        }
        Command::Connect(ConnectCommand::Pin) => {
            let pin = hub.pin_create().await?;
            say!("PIN: {}", pin.pin);
            say!(
                "Enter it at {} (signed in to Emby Connect) to sign in here.",
                pin_page(&global.connect_url)
            );
            let interval = pin_poll_interval();
            // Bounded: the service expires PINs; this is a backstop if it never says so.
            let deadline = tokio::time::Instant::now() + Duration::from_secs(30 * 60);
            loop {
                tokio::time::sleep(interval).await;
                let status = hub.pin_status(&pin.pin).await?;
                if status.is_confirmed {
                    let name = hub.pin_finish(&pin.pin).await?;
                    tell!("Signed in to Emby Connect as {name}.");
                    break;
                }
                if status.is_expired || tokio::time::Instant::now() > deadline {
                    return Err(SessionError::PinExpired.into());
                }
            }
        }
        Command::Connect(ConnectCommand::Logout) => {
            if hub.connect_sign_out().await? {
                tell!("Signed out of Emby Connect; servers keep their addresses.");
            } else {
                tell!("Not signed in to Emby Connect.");
            }
        }
        Command::Servers { json } => {
            let reports = hub.refresh().await?;
            if json {
                print_json(&reports)?;
            } else if reports.is_empty() {
                tell!("No servers yet: sign in to Emby Connect or add one by address.");
            } else {
                for r in &reports {
                    say!("{}", server_line(r));
                }
            }
        }
        Command::Server(ServerCommand::Add { url, user, .. }) => {
            let password = if user.is_some() {
                Some(password_from_stdin()?)
            } else {
                None
            };
            let sign_in = user.as_deref().zip(password.as_ref());
            let (report, users) = hub.add_server(&url, sign_in).await?;
            if sign_in.is_none() && report.state != "signed_in" && !users.is_empty() {
                tell!("Users of {}: {}", report.name, users.join(", "));
            }
            say!("{}", server_line(&report));
        }
        Command::Server(ServerCommand::Remove { id }) => {
            let id = hub.server_named(&id)?;
            let was_connect = hub.remove_server(&id).await?;
            if was_connect {
                tell!(
                    "Removed {id}; Emby Connect still shares it, so it is listed again at the next refresh."
                );
            } else {
                tell!("Removed {id}.");
            }
        }
        Command::Server(ServerCommand::Logout { id }) => {
            let id = hub.server_named(&id)?;
            let report = hub.server_sign_out(&id).await?;
            tell!("Signed out of {}.", report.name);
        }
        Command::Discover { json, timeout_ms } => {
            let found = hub.lan_servers(Duration::from_millis(timeout_ms)).await?;
            if json {
                print_json(&found.iter().map(DiscoveredOut::from).collect::<Vec<_>>())?;
            } else if found.is_empty() {
                tell!("No Emby Server answered on the LAN.");
            } else {
                for d in &found {
                    say!("{}  {}  {}", d.id, d.name, d.address);
                }
            }
        }
        Command::Invitations { action: None, json } => {
            let list = hub.invitations().await?;
            if json {
                let out: Vec<_> = list
                    .iter()
                    .map(|i| {
                        serde_json::json!({
                            "id": i.system_id, "connect_server_id": i.id, "name": i.name,
                            "user_type": i.user_type,
                        })
                    })
                    .collect();
                print_json(&out)?;
            } else if list.is_empty() {
                tell!("No invitations are waiting.");
            } else {
                for i in &list {
                    say!(
                        "{}  {}",
                        i.system_id.as_deref().or(i.id.as_deref()).unwrap_or("?"),
                        i.name.as_deref().unwrap_or("")
                    );
                }
            }
        }
        Command::Invitations {
            action: Some(InvitationCommand::Accept { id }),
            ..
        } => {
            hub.answer_invitation(&id, true).await?;
            tell!("Accepted; the server is listed at the next refresh.");
        }
        Command::Invitations {
            action: Some(InvitationCommand::Reject { id }),
            ..
        } => {
            hub.answer_invitation(&id, false).await?;
            tell!("Rejected.");
        }
        Command::Views { server_id, json } => {
            let server_id = hub.server_named(&server_id)?;
            let views = hub.views(&server_id).await?;
            hub.mark_used(&server_id);
            let out: Vec<ItemOut> = views.items.iter().map(ItemOut::from).collect();
            if json {
                print_json(&out)?;
            } else {
                for v in &out {
                    say!(
                        "{}  {}",
                        v.id.as_deref().unwrap_or("?"),
                        v.name.as_deref().unwrap_or("")
                    );
                }
            }
        }
        // issue 11: the Connect account and server administration
        command @ (Command::Users { .. }
        | Command::Invite { .. }
        | Command::Pending { .. }
        | Command::Connect(
            ConnectCommand::Signup { .. } | ConnectCommand::Whoami { .. },
        )) => {
            super::admin::run(hub, command).await?;
        }
        Command::Items {
            server_id,
            parent,
            search,
            start,
            limit,
            json,
        } => {
            let server_id = hub.server_named(&server_id)?;
            let query = ItemsQuery {
                parent_id: parent,
                recursive: search.as_ref().map(|_| true),
                search_term: search,
                start_index: Some(start),
                limit: Some(limit),
                sort_by: vec!["SortName".into()],
                ..ItemsQuery::default()
            };
            let page = hub.items(&server_id, &query).await?;
            hub.mark_used(&server_id);
            let out = ItemsPage {
                total_record_count: page.total_record_count,
                start_index: start,
                items: page.items.iter().map(ItemOut::from).collect(),
            };
            if json {
                print_json(&out)?;
            } else {
                for i in &out.items {
                    say!("{}", item_line(i));
                }
                if let Some(total) = out.total_record_count {
                    tell!("{} of {total} from {start}", out.items.len());
                }
            }
        }
        Command::Sessions { server_id, json } => {
            playing::sessions(hub, &hub.server_named(&server_id)?, json).await?
        }
        Command::Play {
            server_id,
            item_id,
            on,
            from_start,
            start_seconds,
            player,
        } => {
            playing::play(
                hub,
                global,
                PlayArgs {
                    server_id: hub.server_named(&server_id)?,
                    item_id,
                    on,
                    from_start,
                    start_seconds,
                    player,
                },
            )
            .await?
        }
        Command::Control {
            server_id,
            session_id,
            command,
        } => playing::control(hub, &hub.server_named(&server_id)?, &session_id, command).await?,
        Command::StreamUrl { server_id, item_id } => {
            playing::stream_url(hub, &hub.server_named(&server_id)?, &item_id).await?
        }
        Command::Config(c) => config_command(global, c)?,
        Command::Search {
            text,
            servers,
            json,
        } => super::everywhere::search(hub, &text, &servers, json).await?,
        Command::Home { json } => super::everywhere::home(hub, json).await?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_page_is_the_website_for_the_real_service_and_the_host_otherwise() {
        assert_eq!(
            pin_page("https://connect.emby.media/service/"),
            "https://emby.media/pin"
        );
        assert_eq!(
            pin_page("http://127.0.0.1:4000/service/"),
            "http://127.0.0.1:4000/pin"
        );
    }
}
