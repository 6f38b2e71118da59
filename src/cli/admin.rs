//! The commands of the Connect account (`connect signup`, `connect whoami`) and of server
//! administration (`users`, `users link|unlink`, `invite`, `pending`, `pending cancel`).
//! Failures are one sentence on stderr and exit status 1 (see `main`).

use serde::Serialize;

use crate::emby::models::{ConnectAuthorization, UserDto};
use crate::session::hub::InviteOptions;
use crate::session::{Hub, SessionError};

use super::args::{Command, ConnectCommand, PendingCommand, UsersCommand};
use super::input::password_from_stdin;
use super::output::print_json;

/// One user of a server as scripts see it.
#[derive(Debug, Serialize)]
pub struct UserOut {
    pub id: Option<String>,
    pub name: Option<String>,
    pub is_administrator: bool,
    pub connect_user_name: Option<String>,
    /// `linked`, `guest`, or null.
    pub connect_link_type: Option<&'static str>,
    pub has_password: bool,
    /// ISO 8601, or null.
    pub last_activity: Option<String>,
}

/// `LinkedUser` / `Guest` as the command line names them.
pub fn link_type(t: Option<&str>) -> Option<&'static str> {
    match t?.to_ascii_lowercase().as_str() {
        "linkeduser" | "linked" => Some("linked"),
        "guest" => Some("guest"),
        _ => None,
    }
}

/// A date as the server sent it if it reads as ISO 8601 (`YYYY-MM-DDThh:mm…`), else None.
fn iso_8601(date: Option<&str>) -> Option<String> {
    let d = date?.trim();
    let b = d.as_bytes();
    let looks = b.len() >= 16
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b' ');
    looks.then(|| d.to_string())
}

impl From<&UserDto> for UserOut {
    fn from(u: &UserDto) -> Self {
        let connect_user_name = u.connect_user_name.clone().filter(|n| !n.is_empty());
        UserOut {
            id: u.id.clone(),
            name: u.name.clone(),
            is_administrator: u.is_administrator(),
            connect_link_type: connect_user_name
                .as_ref()
                .and(link_type(u.connect_link_type.as_deref())),
            connect_user_name,
            has_password: u
                .has_password
                .or(u.has_configured_password)
                .unwrap_or(false),
            last_activity: iso_8601(
                u.last_activity_date
                    .as_deref()
                    .or(u.last_login_date.as_deref()),
            ),
        }
    }
}

/// One pending invitation as scripts see it.
#[derive(Debug, Serialize)]
pub struct PendingOut {
    pub id: Option<String>,
    pub connect_user_id: Option<String>,
    pub user_name: Option<String>,
}

impl From<&ConnectAuthorization> for PendingOut {
    fn from(p: &ConnectAuthorization) -> Self {
        PendingOut {
            id: p.id.clone(),
            connect_user_id: p.connect_user_id.clone(),
            user_name: p.user_name.clone(),
        }
    }
}

fn user_line(u: &UserOut) -> String {
    let mut line = format!(
        "{}  {}",
        u.id.as_deref().unwrap_or("?"),
        u.name.as_deref().unwrap_or("")
    );
    if u.is_administrator {
        line.push_str("  [administrator]");
    }
    match (&u.connect_user_name, u.connect_link_type) {
        (Some(n), Some(t)) => line.push_str(&format!("  Emby Connect: {n} ({t})")),
        (Some(n), None) => line.push_str(&format!("  Emby Connect: {n}")),
        _ => {}
    }
    if let Some(when) = &u.last_activity {
        line.push_str(&format!("  last active {when}"));
    }
    line
}

/// Runs one of this file's commands (the caller routes only these here).
pub async fn run(hub: &Hub, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Connect(ConnectCommand::Signup { email, user, .. }) => {
            let password = password_from_stdin()?;
            hub.connect_sign_up(&email, &user, &password).await?;
            tell!(
                "Created the Emby Connect account {}; sign in with: emby-tui connect login --user {} --password-stdin",
                user.trim(),
                user.trim()
            );
        }
        Command::Connect(ConnectCommand::Whoami { json }) => {
            let me = hub.connect_whoami().await?;
            if json {
                print_json(&serde_json::json!({
                    "id": me.id, "name": me.name, "email": me.email,
                }))?;
            } else {
                say!(
                    "{} <{}> (Emby Connect user {})",
                    me.name.as_deref().unwrap_or("?"),
                    me.email.as_deref().unwrap_or("no e-mail"),
                    me.id.as_deref().unwrap_or("?")
                );
            }
        }
        Command::Users {
            action: None,
            server_id: Some(server_id),
            json,
        } => {
            let users = hub.server_users(&hub.server_named(&server_id)?).await?;
            let out: Vec<UserOut> = users.iter().map(UserOut::from).collect();
            if json {
                print_json(&out)?;
            } else {
                for u in &out {
                    say!("{}", user_line(u));
                }
            }
        }
        Command::Users {
            action:
                Some(UsersCommand::Link {
                    server_id,
                    user_id,
                    name_or_email,
                }),
            ..
        } => {
            let outcome = hub
                .link_user(&hub.server_named(&server_id)?, &user_id, &name_or_email)
                .await?;
            say!("{}", outcome.as_str());
        }
        Command::Users {
            action: Some(UsersCommand::Unlink { server_id, user_id }),
            ..
        } => {
            hub.unlink_user(&hub.server_named(&server_id)?, &user_id)
                .await?;
            tell!("Unlinked {user_id} from Emby Connect.");
        }
        Command::Invite {
            server_id,
            name_or_email,
            libraries,
            live_tv,
        } => {
            let options = InviteOptions {
                name_or_email,
                libraries: (!libraries.is_empty()).then_some(libraries),
                live_tv,
            };
            let outcome = hub
                .invite_guest(&hub.server_named(&server_id)?, &options)
                .await?;
            say!("{}", outcome.as_str());
        }
        Command::Pending {
            action: None,
            server_id: Some(server_id),
            json,
        } => {
            let pending = hub
                .pending_invitations(&hub.server_named(&server_id)?)
                .await?;
            let out: Vec<PendingOut> = pending.iter().map(PendingOut::from).collect();
            if json {
                print_json(&out)?;
            } else if out.is_empty() {
                tell!("No invitations are pending.");
            } else {
                for p in &out {
                    say!(
                        "{}  {}  (Emby Connect user {})",
                        p.id.as_deref().unwrap_or("?"),
                        p.user_name.as_deref().unwrap_or(""),
                        p.connect_user_id.as_deref().unwrap_or("?")
                    );
                }
            }
        }
        Command::Pending {
            action: Some(PendingCommand::Cancel { server_id, id }),
            ..
        } => {
            hub.cancel_invitation(&hub.server_named(&server_id)?, &id)
                .await?;
            tell!("Cancelled the invitation {id}.");
        }
        _ => {
            return Err(SessionError::Other("not a command of this group".into()).into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_types_and_dates_are_named_for_scripts() {
        assert_eq!(link_type(Some("LinkedUser")), Some("linked"));
        assert_eq!(link_type(Some("Guest")), Some("guest"));
        assert_eq!(link_type(Some("Other")), None);
        assert_eq!(link_type(None), None);
        assert_eq!(
            iso_8601(Some("2024-01-02T03:04:05.0000000Z")).as_deref(),
            Some("2024-01-02T03:04:05.0000000Z")
        );
        assert_eq!(iso_8601(Some("yesterday")), None);
        assert_eq!(iso_8601(Some("")), None);
    }
}
