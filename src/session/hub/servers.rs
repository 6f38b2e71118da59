//! One server at a time: added by address, signed in to with a local user, signed out of,
//! removed.

use std::time::Duration;

use crate::emby::Secret;
use crate::emby::models::PublicSystemInfo;

use super::super::address::normalize_address;
use super::super::error::SessionError;
use super::super::reach::{Auth, Connection, Reached, VerifiedAddress, wrong_server};
use super::super::report::ServerReport;
use super::super::servers::{add_or_update, same_id};
use super::super::state::SessionState;
use super::super::store::{ConnectionMode, SavedServer, TokenSource};
use super::{Event, Hub, display_name, key, now_ms};

/// What an address said when it was probed to be added: who it is and its public users.
#[derive(Debug, Clone, PartialEq)]
pub struct Probed {
    pub id: String,
    pub name: String,
    /// The normalised address.
    pub address: String,
    pub latency: Duration,
    /// Names of the users the server lists publicly (to pick from at sign-in).
    pub users: Vec<String>,
}

/// An address probed: where it answered (verified for the Id it gave) and what it said.
struct Typed {
    probed: Probed,
    verified: VerifiedAddress,
    info: PublicSystemInfo,
}

impl Hub {
    /// Probe an address the user typed (its Id not known yet): where it answered, how fast, the
    /// Id it reported (an answer without one is refused) and its public users. Nothing is saved.
    async fn probe_typed(&self, input: &str) -> Result<Typed, SessionError> {
        let address = normalize_address(input)?;
        let probe = SavedServer {
            manual_address: Some(address.clone()),
            ..Default::default()
        };
        let reacher = &self.inner.reacher;
        let (verified, latency, info) = match reacher.find(&probe, None).await {
            Ok(found) => found,
            // one address tried: say what went wrong there, naming it once
            Err(f) if f.attempts.len() == 1 => {
                return Err(SessionError::CannotReach {
                    address,
                    cause: f.attempts[0].1.to_string(),
                });
            }
            Err(f) => {
                return Err(SessionError::Unavailable {
                    name: address,
                    reason: f.to_string(),
                });
            }
        };
        let id = info
            .id
            .clone()
            .filter(|i| !i.trim().is_empty())
            .ok_or_else(|| {
                SessionError::Other(format!(
                    "{address} answered but did not say which server it is (no Id)"
                ))
            })?;
        // The race saw no expected Id; from here on the address is verified for the Id it gave.
        let verified = VerifiedAddress {
            server_id: id.clone(),
            ..verified
        };
        let users = reacher
            .anonymous(verified.address.clone(), None)
            .public_users()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(|u| u.name)
            .collect();
        Ok(Typed {
            probed: Probed {
                id,
                name: info.server_name.clone().unwrap_or_default(),
                address,
                latency,
                users,
            },
            verified,
            info,
        })
    }

    /// Save a probed address under the Id it reported (merged into an entry with that Id).
    fn keep_probed(&self, probed: &Probed) -> Result<(), SessionError> {
        let incoming = SavedServer {
            id: probed.id.clone(),
            name: probed.name.clone(),
            manual_address: Some(probed.address.clone()),
            last_connection_mode: Some(ConnectionMode::Manual),
            date_last_accessed: now_ms(),
            ..Default::default()
        };
        add_or_update(&mut self.lock().creds.servers, incoming);
        self.save()
    }

    /// Add a server by address from the servers pane: probe it, save it, and reach it in the
    /// background (its row is reported as it is). Returns what the probe said.
    pub async fn probe_address(&self, input: &str) -> Result<Probed, SessionError> {
        let typed = self.probe_typed(input).await?;
        self.keep_probed(&typed.probed)?;
        if let Some(report) = self.report(&typed.probed.id) {
            self.emit(Event::Server(Box::new(report)));
        }
        let _ = self.start_reach(&typed.probed.id);
        Ok(typed.probed)
    }

    /// Add a server by address and reach it; with `sign_in` (user, password), sign in there first
    /// and save nothing if that fails. Returns its report and the users it lists publicly.
    pub async fn add_server(
        &self,
        input: &str,
        sign_in: Option<(&str, &Secret)>,
    ) -> Result<(ServerReport, Vec<String>), SessionError> {
        let typed = self.probe_typed(input).await?;
        let id = typed.probed.id.clone();
        let signed_in = match sign_in {
            Some((user, password)) => {
                let name = if typed.probed.name.is_empty() {
                    typed.probed.address.clone()
                } else {
                    typed.probed.name.clone()
                };
                Some(
                    self.local_sign_in_at(&name, &id, &typed.verified, user, password)
                        .await?,
                )
            }
            None => None,
        };
        self.keep_probed(&typed.probed)?;
        let report = match signed_in {
            Some(auth) => {
                let reached = Reached {
                    server_id: id.clone(),
                    from: Box::new(self.saved_copy(&id)?),
                    outcome: Ok(Connection {
                        verified: typed.verified,
                        latency: typed.probed.latency,
                        info: typed.info,
                        auth,
                    }),
                };
                self.apply_local_sign_in(reached)?
            }
            None => self.reach(&id).await?,
        };
        Ok((report, typed.probed.users))
    }

    /// An address of `server` proved to be `expected_id` (see [`super::super::reach::Reacher::find`]);
    /// when none is, the server (called `name`) is unavailable.
    async fn find(
        &self,
        server: &SavedServer,
        expected_id: Option<&str>,
        name: &str,
    ) -> Result<(VerifiedAddress, Duration, PublicSystemInfo), SessionError> {
        self.inner
            .reacher
            .find(server, expected_id)
            .await
            .map_err(|f| SessionError::Unavailable {
                name: name.to_string(),
                reason: f.to_string(),
            })
    }

    /// The Id of the saved server `given` names: its Id, else its name, else the start of its
    /// name (any case) when only one server's name starts so.
    /// The server's name for messages (its Id when it has none).
    pub(super) fn server_name(&self, server_id: &str) -> String {
        self.report(server_id)
            .map(|r| r.name)
            .unwrap_or_else(|| server_id.to_string())
    }

    pub fn server_named(&self, given: &str) -> Result<String, SessionError> {
        let st = self.lock();
        let servers = &st.creds.servers;
        if let Some(s) = servers.iter().find(|s| same_id(&s.id, given)) {
            return Ok(s.id.clone());
        }
        let wanted = given.trim().to_lowercase();
        let named: Vec<&SavedServer> = servers
            .iter()
            .filter(|s| s.name.to_lowercase() == wanted)
            .collect();
        let candidates = if named.is_empty() {
            servers
                .iter()
                .filter(|s| !wanted.is_empty() && s.name.to_lowercase().starts_with(&wanted))
                .collect()
        } else {
            named
        };
        match candidates.as_slice() {
            [one] => Ok(one.id.clone()),
            [] => Err(SessionError::NoSuchServer {
                given: given.to_string(),
                saved: servers.iter().map(display_name).collect(),
            }),
            many => Err(SessionError::AmbiguousServer {
                given: given.to_string(),
                matches: many.iter().map(|s| display_name(s)).collect(),
            }),
        }
    }

    fn saved_copy(&self, server_id: &str) -> Result<SavedServer, SessionError> {
        self.lock()
            .saved(server_id)
            .cloned()
            .ok_or_else(|| SessionError::UnknownServer(server_id.into()))
    }

    /// The names of the users a saved server lists publicly, asked at an address verified for
    /// its Id (nothing is saved), for the local sign-in picker.
    pub async fn public_users(&self, server_id: &str) -> Result<Vec<String>, SessionError> {
        let server = self.saved_copy(server_id)?;
        let (verified, _, _) = self
            .find(&server, Some(&server.id), &display_name(&server))
            .await?;
        let users = self
            .inner
            .reacher
            .anonymous(verified.address, None)
            .public_users()
            .await?;
        Ok(users.into_iter().filter_map(|u| u.name).collect())
    }

    /// `AuthenticateByName` at an address that has just proved it is this server (the password
    /// goes nowhere else), refusing a reply that names another server.
    async fn local_sign_in_at(
        &self,
        name: &str,
        server_id: &str,
        at: &VerifiedAddress,
        user: &str,
        password: &Secret,
    ) -> Result<Auth, SessionError> {
        let anon = self.inner.reacher.anonymous(at.address.clone(), None);
        let (client, result) = anon.sign_in_by_name(user, password).await.map_err(|e| {
            if e.is_unauthorized() {
                SessionError::WrongPassword
            } else {
                e.into()
            }
        })?;
        if let Some(other) = result
            .server_id
            .as_deref()
            .map(str::trim)
            .filter(|other| !other.is_empty() && !same_id(other, server_id))
        {
            return Err(SessionError::SignInRequired {
                name: name.to_string(),
                reason: wrong_server(other),
            });
        }
        let user_name = result
            .user
            .as_ref()
            .and_then(|u| u.name.clone())
            .or_else(|| Some(user.to_string()));
        Ok(Auth::SignedIn {
            client: Box::new(client),
            user_name,
            via_connect: false,
        })
    }

    /// Sign in to a saved server with a local user name and password (never stored). The sign-in
    /// is kept until the user signs out of the server: later refreshes validate its token
    /// rather than exchange the Connect key for the Connect-linked user.
    pub async fn sign_in_local(
        &self,
        server_id: &str,
        user: &str,
        password: &Secret,
    ) -> Result<ServerReport, SessionError> {
        let server = self.saved_copy(server_id)?;
        let name = display_name(&server);
        let (verified, latency, info) = self.find(&server, Some(&server.id), &name).await?;
        let auth = self
            .local_sign_in_at(&name, &server.id, &verified, user, password)
            .await?;
        self.apply_local_sign_in(Reached {
            server_id: server.id.clone(),
            from: Box::new(server),
            outcome: Ok(Connection {
                verified,
                latency,
                info,
                auth,
            }),
        })
    }

    /// Applies a local sign-in (it replaces whatever sign-in the entry had; signing in counts as
    /// using the server) and saves.
    fn apply_local_sign_in(&self, mut reached: Reached) -> Result<ServerReport, SessionError> {
        let id = reached.server_id.clone();
        {
            let mut st = self.lock();
            let s = st
                .saved_mut(&id)
                .ok_or_else(|| SessionError::UnknownServer(id.clone()))?;
            s.signed_out = false;
            s.token_from = Some(TokenSource::Local);
            s.last_used_ms = now_ms();
            // the sign-in it replaces is the current one, whatever it was
            reached.from = Box::new(s.clone());
        }
        self.apply_reached(reached);
        self.save()?;
        self.report(&id).ok_or(SessionError::UnknownServer(id))
    }

    /// Sign out of one server: the token is dropped and saved at once (and the server is not
    /// signed in again through Connect until the user asks), then revoked on the server, best
    /// effort. Returns the server's report.
    pub async fn server_sign_out(&self, server_id: &str) -> Result<ServerReport, SessionError> {
        let (server, verified, report) = {
            let mut st = self.lock();
            let server = st
                .saved(server_id)
                .cloned()
                .ok_or_else(|| SessionError::UnknownServer(server_id.into()))?;
            if let Some(s) = st.saved_mut(server_id) {
                s.access_token = None;
                s.user_id = None;
                s.user_name = None;
                s.token_from = None;
                s.signed_out = true;
            }
            let verified = st.sessions.get_mut(&key(server_id)).and_then(|sess| {
                sess.client = None;
                sess.state = SessionState::SignInRequired("signed out".into());
                sess.verified.clone()
            });
            (server, verified, st.report(server_id))
        };
        self.save()?;
        if let Some(report) = &report {
            self.emit(Event::Server(Box::new(report.clone())));
        }
        if let (Some(token), Some(user_id)) = (&server.access_token, &server.user_id) {
            let reacher = &self.inner.reacher;
            let at = match verified {
                Some(v) => Ok(v),
                None => reacher
                    .find(&server, Some(&server.id))
                    .await
                    .map(|(v, _, _)| v),
            };
            match at {
                Ok(at) => {
                    let anon = reacher.anonymous(at.address, None);
                    if let Err(e) = anon
                        .with_token(user_id.clone(), token.clone())
                        .logout()
                        .await
                    {
                        tracing::info!(server = %server.id, error = %e, "server logout failed; the token is dropped anyway");
                    }
                }
                Err(f) => {
                    tracing::info!(server = %server.id, error = %f, "server unreachable at logout; the token is dropped anyway")
                }
            }
        }
        report.ok_or_else(|| SessionError::UnknownServer(server_id.into()))
    }

    /// Sign in through Emby Connect again to a server signed out of earlier, and reach it.
    pub async fn sign_in_with_connect(
        &self,
        server_id: &str,
    ) -> Result<ServerReport, SessionError> {
        {
            let mut st = self.lock();
            let s = st
                .saved_mut(server_id)
                .ok_or_else(|| SessionError::UnknownServer(server_id.into()))?;
            s.signed_out = false;
            if s.token_from == Some(TokenSource::Local) {
                s.token_from = None;
                s.access_token = None;
                s.user_id = None;
            }
        }
        self.save()?;
        self.reach(server_id).await
    }

    /// Forget a saved server. Returns whether it came from Emby Connect (it will be listed again
    /// while Connect shares it).
    pub async fn remove_server(&self, server_id: &str) -> Result<bool, SessionError> {
        let removed = {
            let mut st = self.lock();
            let pos = st
                .creds
                .servers
                .iter()
                .position(|s| same_id(&s.id, server_id))
                .ok_or_else(|| SessionError::UnknownServer(server_id.into()))?;
            st.sessions.remove(&key(server_id));
            st.creds.servers.remove(pos)
        };
        self.save()?;
        self.emit(Event::Removed(removed.id.clone()));
        Ok(removed.exchange_token.is_some())
    }
}
