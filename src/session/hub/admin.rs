//! Administration of a server through the signed-in user's own session (protocol.md §6.2): its
//! users, linking them to Emby Connect accounts, guest invitations and the pending list.
//!
//! Every operation first asks the server whether the signed-in user is an administrator
//! (`GET /Users/{UserId}`, `Policy.IsAdministrator`) and stops with
//! [`SessionError::NotAdministrator`] if not. A 401 or 403 from an admin endpoint never drops
//! the sign-in: the token is checked on `/Users/{UserId}` first, and only a token the server
//! no longer accepts goes through [`Hub::call`]'s usual 401 handling. Errors are worded as the
//! official dashboard words them (409 already linked, 502 Connect unreachable, others with the
//! server's own message).

use std::future::Future;

use crate::emby::models::{BaseItemDto, ConnectAuthorization, UserDto, UserLinkResult};
use crate::emby::server::ConnectInvite;
use crate::emby::{self, SignedInClient};

use super::super::error::SessionError;
use super::Hub;

/// What linking a user (or inviting a guest) came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkOutcome {
    /// Linked at once.
    Linked,
    /// The Connect user has to accept the invitation first.
    Pending,
    /// No Connect account has that e-mail address: an invitation to sign up was sent.
    InvitedToSignUp,
}

impl LinkOutcome {
    fn from_reply(r: &UserLinkResult) -> Self {
        if r.is_new_user_invitation.unwrap_or(false) {
            LinkOutcome::InvitedToSignUp
        } else if r.is_pending.unwrap_or(false) {
            LinkOutcome::Pending
        } else {
            LinkOutcome::Linked
        }
    }

    /// `linked`, `pending` or `invited to sign up` (what the command line prints).
    pub fn as_str(self) -> &'static str {
        match self {
            LinkOutcome::Linked => "linked",
            LinkOutcome::Pending => "pending",
            LinkOutcome::InvitedToSignUp => "invited to sign up",
        }
    }
}

/// A guest invitation: who, which libraries (None = all), live TV or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InviteOptions {
    pub name_or_email: String,
    /// Library ids or names to share; None shares every library.
    pub libraries: Option<Vec<String>>,
    pub live_tv: bool,
}

/// One library of a server, as an invitation offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    pub id: String,
    pub name: String,
}

/// What the administration view shows of a server.
#[derive(Debug, Clone, Default)]
pub struct AdminOverview {
    pub server_name: String,
    pub users: Vec<UserDto>,
    pub pending: Vec<ConnectAuthorization>,
    /// Why the pending list could not be read (the rest still shows).
    pub pending_error: Option<String>,
    pub libraries: Vec<Library>,
    /// The server's web dashboard, for what this app cannot do there.
    pub dashboard: Option<String>,
}

/// A 401 that came with a token the server still accepts: the role is missing, not the token.
fn forbidden(e: emby::Error) -> emby::Error {
    match e {
        emby::Error::Status {
            endpoint,
            message,
            error_code,
            ..
        } => emby::Error::Status {
            endpoint,
            status: 403,
            message,
            error_code,
        },
        other => other,
    }
}

/// Whether a version (`4.8.11.0`) is 4.7 or later: those servers have no guest invitations.
fn without_invitations(version: &str) -> bool {
    let mut parts = version.split('.').map(|p| p.trim().parse::<u32>());
    match (parts.next(), parts.next()) {
        (Some(Ok(major)), Some(Ok(minor))) => (major, minor) >= (4, 7),
        _ => false,
    }
}

impl Hub {
    /// The web dashboard of a server at the address it was reached on.
    fn dashboard(&self, server_id: &str) -> Option<String> {
        let report = self.report(server_id)?;
        let base = report
            .address
            .or(report.manual_address)
            .or(report.remote_address)
            .or(report.local_address)?;
        Some(format!("{}/web/index.html", base.trim_end_matches('/')))
    }

    /// An admin request through the server's session. A 401 whose token still reads the user's
    /// own record is a missing role (403), so [`Hub::call`] does not drop the sign-in for it.
    async fn admin_call<T, F, Fut>(
        &self,
        server_id: &str,
        idempotent: bool,
        f: F,
    ) -> Result<T, SessionError>
    where
        F: Fn(SignedInClient) -> Fut,
        Fut: Future<Output = Result<T, emby::Error>>,
    {
        let f = &f;
        let result = self
            .call(server_id, idempotent, |c| async move {
                match f(c.clone()).await {
                    Err(e) if e.is_unauthorized() => match c.user().await {
                        Ok(_) => Err(forbidden(e)),
                        Err(_) => Err(e),
                    },
                    other => other,
                }
            })
            .await;
        result.map_err(|e| match e {
            SessionError::Emby(e) if matches!(e.status(), Some(401 | 403)) => {
                SessionError::NotAdministrator {
                    name: self.server_name(server_id),
                }
            }
            other => other,
        })
    }

    /// Whether the signed-in user of a server is one of its administrators.
    pub async fn is_administrator(&self, server_id: &str) -> Result<bool, SessionError> {
        let me = self
            .call(server_id, true, |c| async move { c.user().await })
            .await?;
        Ok(me.is_administrator())
    }

    async fn require_admin(&self, server_id: &str) -> Result<(), SessionError> {
        if self.is_administrator(server_id).await? {
            Ok(())
        } else {
            Err(SessionError::NotAdministrator {
                name: self.server_name(server_id),
            })
        }
    }

    /// Every user of a server (administrators only).
    pub async fn server_users(&self, server_id: &str) -> Result<Vec<UserDto>, SessionError> {
        self.require_admin(server_id).await?;
        self.admin_call(server_id, true, |c| async move { c.users().await })
            .await
    }

    /// The user of a server whose id (or name) is `user`.
    async fn find_user(&self, server_id: &str, user: &str) -> Result<UserDto, SessionError> {
        let users = self.server_users(server_id).await?;
        let by = |f: &dyn Fn(&UserDto) -> bool| users.iter().find(|u| f(u)).cloned();
        by(&|u| {
            u.id.as_deref()
                .is_some_and(|i| i.eq_ignore_ascii_case(user))
        })
        .or_else(|| {
            by(&|u| {
                u.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(user))
            })
        })
        .ok_or_else(|| SessionError::UnknownUser {
            name: self.server_name(server_id),
            user: user.to_string(),
        })
    }

    /// The libraries of a server (what an invitation can share).
    async fn libraries(&self, server_id: &str) -> Result<Vec<Library>, SessionError> {
        let views = self
            .admin_call(server_id, true, |c| async move { c.views().await })
            .await?;
        Ok(views
            .items
            .into_iter()
            .filter_map(|v: BaseItemDto| {
                Some(Library {
                    name: v.name.clone().unwrap_or_default(),
                    id: v.id?,
                })
            })
            .collect())
    }

    /// Everything the administration view shows: users, pending invitations, libraries.
    pub async fn admin_overview(&self, server_id: &str) -> Result<AdminOverview, SessionError> {
        self.require_admin(server_id).await?;
        let users = self.admin_call(server_id, true, |c| async move { c.users().await });
        let pending = self.admin_call(
            server_id,
            true,
            |c| async move { c.pending_connect().await },
        );
        let libraries = self.libraries(server_id);
        let (users, pending, libraries) = tokio::join!(users, pending, libraries);
        let (pending, pending_error) = match pending {
            Ok(p) => (p, None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        Ok(AdminOverview {
            server_name: self.server_name(server_id),
            users: users?,
            pending,
            pending_error,
            libraries: libraries.unwrap_or_default(),
            dashboard: self.dashboard(server_id),
        })
    }

    /// Links a user (by id or name) to the Emby Connect account `name_or_email`.
    pub async fn link_user(
        &self,
        server_id: &str,
        user: &str,
        name_or_email: &str,
    ) -> Result<LinkOutcome, SessionError> {
        let who = name_or_email.trim();
        if who.is_empty() {
            return Err(SessionError::Other(
                "type the Emby Connect name or e-mail to link".into(),
            ));
        }
        let target = self.find_user(server_id, user).await?;
        let user_id = target.id.unwrap_or_default();
        let result = self
            .admin_call(server_id, false, |c| {
                let (id, who) = (user_id.clone(), who.to_string());
                async move { c.link_connect(&id, &who).await }
            })
            .await;
        match result {
            Ok(r) => Ok(LinkOutcome::from_reply(&r)),
            Err(SessionError::Emby(e)) => Err(match e.status() {
                Some(409) => SessionError::AlreadyLinked {
                    name: self.server_name(server_id),
                },
                Some(502) => SessionError::ServerCannotReachConnect {
                    name: self.server_name(server_id),
                    status: 502,
                },
                Some(404) if !who.contains('@') => SessionError::UnknownConnectUser(who.into()),
                _ => SessionError::Emby(e),
            }),
            Err(e) => Err(e),
        }
    }

    /// Removes a user's (by id or name) Emby Connect link.
    pub async fn unlink_user(&self, server_id: &str, user: &str) -> Result<(), SessionError> {
        let target = self.find_user(server_id, user).await?;
        let user_id = target.id.unwrap_or_default();
        self.admin_call(server_id, false, |c| {
            let id = user_id.clone();
            async move { c.unlink_connect(&id).await }
        })
        .await
        .map_err(|e| self.connect_trouble(server_id, e))
    }

    /// Invites an Emby Connect user (name or e-mail) as a guest, sharing the libraries named
    /// (all when None) and live TV or not.
    pub async fn invite_guest(
        &self,
        server_id: &str,
        options: &InviteOptions,
    ) -> Result<LinkOutcome, SessionError> {
        let who = options.name_or_email.trim().to_string();
        if who.is_empty() {
            return Err(SessionError::Other(
                "type the Emby Connect name or e-mail to invite".into(),
            ));
        }
        self.require_admin(server_id).await?;
        let excluded_libraries = match &options.libraries {
            None => Vec::new(),
            Some(wanted) => {
                let all = self.libraries(server_id).await?;
                let mut shared = Vec::new();
                for w in wanted {
                    let found = all.iter().find(|l| {
                        l.id.eq_ignore_ascii_case(w) || l.name.eq_ignore_ascii_case(w.trim())
                    });
                    match found {
                        Some(l) => shared.push(l.id.clone()),
                        None => {
                            return Err(SessionError::UnknownLibrary {
                                name: self.server_name(server_id),
                                library: w.clone(),
                                known: all
                                    .iter()
                                    .map(|l| format!("{} ({})", l.name, l.id))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            });
                        }
                    }
                }
                all.into_iter()
                    .filter(|l| !shared.contains(&l.id))
                    .map(|l| l.id)
                    .collect()
            }
        };
        let invite = ConnectInvite {
            connect_username: who.clone(),
            excluded_libraries,
            excluded_channels: Vec::new(),
            enable_live_tv: options.live_tv,
        };
        let result = self
            .admin_call(server_id, false, |c| {
                let invite = invite.clone();
                async move { c.invite_connect(&invite).await }
            })
            .await;
        match result {
            Ok(r) => Ok(LinkOutcome::from_reply(&r)),
            Err(SessionError::Emby(e)) if e.status() == Some(409) => {
                Err(SessionError::AlreadyShared {
                    name: self.server_name(server_id),
                    who,
                })
            }
            Err(SessionError::Emby(e)) if e.is_not_found() => Err(self
                .missing_endpoint(server_id, "Emby Connect guest invitations")
                .await
                .unwrap_or(SessionError::UnknownConnectUser(who))),
            Err(e) => Err(self.connect_trouble(server_id, e)),
        }
    }

    /// Invitations of a server still waiting for their Connect user.
    pub async fn pending_invitations(
        &self,
        server_id: &str,
    ) -> Result<Vec<ConnectAuthorization>, SessionError> {
        self.require_admin(server_id).await?;
        self.admin_call(
            server_id,
            true,
            |c| async move { c.pending_connect().await },
        )
        .await
        .map_err(|e| self.connect_trouble(server_id, e))
    }

    /// Cancels a pending invitation by its id.
    pub async fn cancel_invitation(&self, server_id: &str, id: &str) -> Result<(), SessionError> {
        self.require_admin(server_id).await?;
        let result = self
            .admin_call(server_id, false, |c| {
                let id = id.to_string();
                async move { c.cancel_pending_connect(&id).await }
            })
            .await;
        match result {
            Err(SessionError::Emby(e)) if e.is_not_found() => Err(self
                .missing_endpoint(server_id, "way to cancel an invitation through its API")
                .await
                .unwrap_or(SessionError::UnknownPending {
                    name: self.server_name(server_id),
                    id: id.to_string(),
                })),
            other => other.map_err(|e| self.connect_trouble(server_id, e)),
        }
    }

    /// A 5xx from a call that goes on to Emby Connect: the server could not reach it.
    fn connect_trouble(&self, server_id: &str, e: SessionError) -> SessionError {
        match e {
            SessionError::Emby(e) if matches!(e.status(), Some(502..=504)) => {
                SessionError::ServerCannotReachConnect {
                    name: self.server_name(server_id),
                    status: e.status().unwrap_or(502),
                }
            }
            other => other,
        }
    }

    /// After a 404: the server is too new to have the endpoint (4.7 and later), or None when
    /// the 404 is about what was asked for.
    async fn missing_endpoint(&self, server_id: &str, what: &str) -> Option<SessionError> {
        let info = self
            .call(server_id, true, |c| async move { c.system_info().await })
            .await
            .ok()?;
        let version = info.version.unwrap_or_default();
        without_invitations(&version).then(|| SessionError::NoEndpoint {
            name: self.server_name(server_id),
            version,
            what: what.to_string(),
            dashboard: self
                .dashboard(server_id)
                .unwrap_or_else(|| "its web address".into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_from_4_7_on_have_no_guest_invitations() {
        assert!(without_invitations("4.7.0.0"));
        assert!(without_invitations("4.8.11.0"));
        assert!(without_invitations("10.0"));
        assert!(!without_invitations("4.6.7.0"));
        assert!(!without_invitations("3.5.3.0"));
        assert!(!without_invitations("unknown"));
    }

    #[test]
    fn the_reply_says_which_outcome() {
        let r = |p, n| UserLinkResult {
            is_pending: Some(p),
            is_new_user_invitation: Some(n),
            guest_display_name: None,
        };
        assert_eq!(
            LinkOutcome::from_reply(&r(false, false)),
            LinkOutcome::Linked
        );
        assert_eq!(
            LinkOutcome::from_reply(&r(true, false)),
            LinkOutcome::Pending
        );
        assert_eq!(
            LinkOutcome::from_reply(&r(true, true)).as_str(),
            "invited to sign up"
        );
    }

    use crate::emby::{HttpConfig, Secret};
    use crate::session::SessionConfig;
    use crate::sim::{Scenario, Sim};

    async fn kid_on_living_room() -> (Sim, tempfile::TempDir, Hub, String) {
        let scenario = Scenario::from_toml_str(
            "[[servers]]\nname = \"Living Room\"\n\
             [[servers.users]]\nname = \"demo\"\npassword = \"demo\"\nadmin = true\n\
             [[servers.users]]\nname = \"kid\"\n",
        )
        .unwrap();
        let sim = Sim::start(scenario).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let hub = Hub::open(
            SessionConfig {
                config_dir: dir.path().to_path_buf(),
                cache_dir: None,
                connect_url: sim.connect_url(),
                discovery: None,
                race: Default::default(),
                http: HttpConfig::default(),
                reaches_in_flight: 8,
                network: Some("test".into()),
            },
            None,
        )
        .unwrap();
        let living = sim.server("Living Room").unwrap();
        let (report, _) = hub
            .add_server(&living.local_url, Some(("kid", &Secret::new(""))))
            .await
            .unwrap();
        assert_eq!(report.state, "signed_in");
        (sim, dir, hub, living.id)
    }

    fn status(code: u16) -> emby::Error {
        emby::Error::Status {
            endpoint: "/emby/Connect/Pending".into(),
            status: code,
            message: "Administrator access is required.".into(),
            error_code: None,
        }
    }

    #[tokio::test]
    async fn a_401_from_an_admin_endpoint_with_a_good_token_is_a_refusal_not_a_lost_sign_in() {
        let (sim, _dir, hub, id) = kid_on_living_room().await;
        // as a 3.x server answers a missing administrator role: 401
        let refused = hub
            .admin_call(&id, true, |_c| async { Err::<(), _>(status(401)) })
            .await
            .unwrap_err();
        assert!(
            refused
                .to_string()
                .starts_with("you are not an administrator of Living Room"),
            "{refused}"
        );
        assert_eq!(
            hub.report(&id).unwrap().state,
            "signed_in",
            "kid stays signed in"
        );
        let refused = hub
            .admin_call(&id, true, |_c| async { Err::<(), _>(status(403)) })
            .await
            .unwrap_err();
        assert!(matches!(refused, SessionError::NotAdministrator { .. }));
        // the plain call would have taken that 401 for a refused token and dropped it
        let _ = hub
            .call(&id, true, |_c| async { Err::<(), _>(status(401)) })
            .await;
        assert_eq!(hub.report(&id).unwrap().state, "sign_in_required");
        sim.shutdown().await;
    }

    #[tokio::test]
    async fn a_token_the_server_no_longer_accepts_is_still_handled_as_one() {
        let (sim, _dir, hub, id) = kid_on_living_room().await;
        sim.revoke_tokens(&id);
        let err = hub
            .admin_call(&id, true, |c| async move { c.users().await })
            .await
            .unwrap_err();
        assert!(
            matches!(err, SessionError::SignInRequired { .. }),
            "a revoked token needs a sign-in, it is not a missing role: {err}"
        );
        assert_eq!(hub.report(&id).unwrap().state, "sign_in_required");
        sim.shutdown().await;
    }
}
