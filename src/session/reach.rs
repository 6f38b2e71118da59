//! Reaching one server: the address race with the Id check, then signing in there (Connect
//! exchange on every connection, or the saved token validated). Pure with respect to saved state:
//! it reads a snapshot and returns a [`Reached`] for the manager to apply.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::emby::models::PublicSystemInfo;
use crate::emby::server::{ServerAddress, ServerClient, SignedInClient};
use crate::emby::{ClientIdentity, HttpClient};

use super::race::{self, Answer, Learning, RaceConfig, RaceFailure, RacePlan};
use super::routes::{Routes, preference_window};
use super::servers::same_id;
use super::store::{ConnectionMode, SavedServer, TokenSource};

impl Answer for PublicSystemInfo {
    fn server_id(&self) -> &str {
        self.id.as_deref().unwrap_or("")
    }
}

/// Everything needed to reach servers; cheap to clone (shares the connection pool, the route
/// memory and the bound on reaches in flight).
#[derive(Clone, Debug)]
pub struct Reacher {
    pub http: HttpClient,
    pub identity: ClientIdentity,
    pub race: RaceConfig,
    /// Which address won last time, per network (see [`Routes`]).
    pub routes: Routes,
    /// Races in flight at once (see [`super::limits::reaches_in_flight`]).
    pub limiter: Arc<Semaphore>,
}

/// An address that answered with the expected server Id. Only such an address ever receives a
/// token, an AccessKey or a password for that server.
#[derive(Clone, Debug)]
pub struct VerifiedAddress {
    pub server_id: String,
    pub mode: ConnectionMode,
    pub address: ServerAddress,
}

/// How signing in on a reached server went.
#[derive(Clone, Debug)]
pub enum Auth {
    /// Signed in; `via_connect` when the token came from the Connect exchange just now.
    SignedIn {
        client: Box<SignedInClient>,
        user_name: Option<String>,
        via_connect: bool,
    },
    /// The server answered but we hold no accepted token: a local sign-in is needed.
    /// `drop_token` when the saved token was refused (401) and must be forgotten.
    SignInRequired { reason: String, drop_token: bool },
    /// The server answered the probe but failed the sign-in check for another reason (kept token).
    Failed { reason: String },
}

/// The server is reached at a verified address.
#[derive(Clone, Debug)]
pub struct Connection {
    pub verified: VerifiedAddress,
    pub latency: Duration,
    pub info: PublicSystemInfo,
    pub auth: Auth,
}

/// The outcome of reaching one server, to be applied to the saved state.
#[derive(Clone, Debug)]
pub struct Reached {
    pub server_id: String,
    /// The saved entry as it was when the reach started (to see what changed meanwhile).
    pub from: Box<SavedServer>,
    pub outcome: Result<Connection, RaceFailure>,
}

/// Where a race ended: the verified address, its latency, what it said, and the LAN attempts
/// still running to learn from.
type Found = (
    VerifiedAddress,
    Duration,
    PublicSystemInfo,
    Learning<PublicSystemInfo>,
);

impl Reacher {
    /// A reacher for `max_in_flight` races at once.
    pub fn new(
        http: HttpClient,
        identity: ClientIdentity,
        race: RaceConfig,
        routes: Routes,
        max_in_flight: usize,
    ) -> Self {
        Reacher {
            http,
            identity,
            race,
            routes,
            limiter: Arc::new(Semaphore::new(max_in_flight.max(1))),
        }
    }

    /// An anonymous client of `address`, optionally with its own request timeout.
    pub fn anonymous(&self, address: ServerAddress, timeout: Option<Duration>) -> ServerClient {
        let http = match timeout {
            Some(t) => self.http.with_request_timeout(t),
            None => self.http.clone(),
        };
        ServerClient::new(http, address, self.identity.clone())
    }

    /// Probe one address: `/System/Info/Public` within `timeout`.
    pub async fn probe(
        &self,
        address: &ServerAddress,
        timeout: Duration,
    ) -> Result<PublicSystemInfo, String> {
        self.anonymous(address.clone(), Some(timeout))
            .public_info()
            .await
            .map_err(|e| e.cause())
    }

    /// The same reacher on a connection pool of its own, dropped with it.
    fn scoped(&self) -> Reacher {
        Reacher {
            http: self.http.fresh(),
            ..self.clone()
        }
    }

    /// Race the server's addresses; `expected_id` None only for a new address of unknown Id.
    /// Waits its turn among the races in flight; the race's connections close when it is done.
    pub async fn find(
        &self,
        server: &SavedServer,
        expected_id: Option<&str>,
    ) -> Result<(VerifiedAddress, Duration, PublicSystemInfo), RaceFailure> {
        let _turn = self.limiter.acquire().await;
        let (verified, latency, info, learning) =
            self.scoped().race_addresses(server, expected_id).await?;
        self.remember(&verified, latency, learning).await;
        Ok((verified, latency, info))
    }

    async fn race_addresses(
        &self,
        server: &SavedServer,
        expected_id: Option<&str>,
    ) -> Result<Found, RaceFailure> {
        let (candidates, mut unusable) = race::candidates(server);
        let plan = match expected_id {
            Some(id) => self.routes.plan(id, &self.race),
            None => RacePlan {
                window: preference_window(&[], self.race.head_start),
                remote_first: false,
            },
        };
        let (win, learning) =
            race::race(expected_id, candidates, plan, &self.race, |c, timeout| {
                let this = self.clone();
                async move { this.probe(&c.address, timeout).await }
            })
            .await
            .map_err(|mut f| {
                f.attempts.append(&mut unusable);
                f
            })?;
        let server_id = win.answer.id.clone().unwrap_or_default();
        Ok((
            VerifiedAddress {
                server_id,
                mode: win.mode,
                address: win.address,
            },
            win.latency,
            win.answer,
            learning,
        ))
    }

    /// Records the winner and what the LAN attempts still running have said by now.
    async fn remember(
        &self,
        verified: &VerifiedAddress,
        latency: Duration,
        learning: Learning<PublicSystemInfo>,
    ) {
        let lan: Vec<(ConnectionMode, String, Duration)> = learning
            .finish()
            .await
            .into_iter()
            .map(|(c, l)| (c.mode, c.address.to_string(), l))
            .collect();
        if verified.server_id.is_empty() {
            return;
        }
        self.routes.record(
            &verified.server_id,
            (verified.mode, &verified.address.to_string(), latency),
            &lan,
        );
    }

    /// Sign in on a verified address: the Connect exchange when the entry has an AccessKey and a
    /// Connect user is signed in (done on every connection, protocol.md §3.3); otherwise, or if
    /// the exchange fails, the saved token checked with `/System/Info`.
    pub async fn authenticate(
        &self,
        server: &SavedServer,
        at: &VerifiedAddress,
        connect_user_id: Option<&str>,
    ) -> Auth {
        let anon = self.anonymous(at.address.clone(), None);
        let mut exchange_error = None;
        // A local sign-in the user chose is kept until they sign out of the server: its token is
        // validated instead of exchanging the AccessKey for the Connect-linked user again.
        let chose_local =
            server.token_from == Some(TokenSource::Local) && server.access_token.is_some();
        if let (Some(key), Some(cuid), false, false) = (
            &server.exchange_token,
            connect_user_id,
            server.signed_out,
            chose_local,
        ) {
            match anon.sign_in_with_connect(cuid, key).await {
                Ok((client, _)) => {
                    return match signed_in_user(&client, &at.server_id).await {
                        Ok(user_name) => Auth::SignedIn {
                            client: Box::new(client),
                            user_name,
                            via_connect: true,
                        },
                        Err(reason) => Auth::SignInRequired {
                            reason,
                            drop_token: true,
                        },
                    };
                }
                Err(e) => {
                    tracing::info!(server = %server.id, error = %e, "Connect exchange failed");
                    exchange_error = Some(if e.is_not_found() {
                        "Emby Connect: no user of this server is linked to your Connect account"
                            .to_string()
                    } else if e.is_unauthorized() {
                        "Emby Connect: this server did not accept your access key".to_string()
                    } else {
                        format!("Emby Connect sign-in failed: {e}")
                    });
                }
            }
        }
        if let (Some(token), Some(user_id)) = (&server.access_token, &server.user_id) {
            let client = anon.with_token(user_id.clone(), token.clone());
            return match client.system_info().await {
                Ok(_) => match signed_in_user(&client, &at.server_id).await {
                    Ok(name) => Auth::SignedIn {
                        user_name: server.user_name.clone().or(name),
                        client: Box::new(client),
                        via_connect: false,
                    },
                    Err(reason) => Auth::SignInRequired {
                        reason,
                        drop_token: true,
                    },
                },
                Err(e) if e.is_unauthorized() => Auth::SignInRequired {
                    reason: exchange_error.unwrap_or_else(|| {
                        "the saved sign-in is no longer accepted; sign in again".into()
                    }),
                    drop_token: true,
                },
                Err(e) => Auth::Failed {
                    reason: format!("signed-in check failed: {e}"),
                },
            };
        }
        Auth::SignInRequired {
            reason: exchange_error.unwrap_or_else(|| "sign in with a user of this server".into()),
            drop_token: false,
        }
    }

    /// Race, verify, sign in. Waits its turn among the reaches in flight; the race and the
    /// sign-in share a connection pool of their own, closed at the end, and the session it
    /// returns uses the shared pool. LAN attempts still running when the remote Url won go on
    /// while it signs in, and are remembered if they answer by then.
    pub async fn reach(&self, server: SavedServer, connect_user_id: Option<String>) -> Reached {
        let _turn = self.limiter.acquire().await;
        let scoped = self.scoped();
        let outcome = match scoped.race_addresses(&server, Some(&server.id)).await {
            Ok((verified, latency, info, learning)) => {
                let auth = match scoped
                    .authenticate(&server, &verified, connect_user_id.as_deref())
                    .await
                {
                    Auth::SignedIn {
                        client,
                        user_name,
                        via_connect,
                    } => Auth::SignedIn {
                        client: Box::new(client.with_http(self.http.clone())),
                        user_name,
                        via_connect,
                    },
                    other => other,
                };
                self.remember(&verified, latency, learning).await;
                Ok(Connection {
                    verified,
                    latency,
                    info,
                    auth,
                })
            }
            Err(f) => Err(f),
        };
        Reached {
            server_id: server.id.clone(),
            from: Box::new(server),
            outcome,
        }
    }
}

/// The signed-in user's name, checked to belong to the server whose Id was verified: a
/// `/Users/{Id}` that names another `ServerId` (a relay in front of another server) means we are
/// not signed in to this one. A 401 means the token is not accepted. Any other failure only
/// leaves the name unknown.
async fn signed_in_user(
    client: &SignedInClient,
    server_id: &str,
) -> Result<Option<String>, String> {
    match client.user().await {
        Ok(user) => match user.server_id.as_deref().map(str::trim) {
            Some(other) if !other.is_empty() && !same_id(other, server_id) => {
                tracing::warn!(server = %server_id, other, "the signed-in user belongs to another server");
                Err(wrong_server(other))
            }
            _ => Ok(user.name),
        },
        Err(e) if e.is_unauthorized() => {
            Err("the server did not accept the sign-in it just gave; sign in again".to_string())
        }
        Err(e) => {
            tracing::info!(server = %server_id, error = %e, "the signed-in user could not be read");
            Ok(None)
        }
    }
}

/// Why a sign-in that answered for another server is refused.
pub fn wrong_server(other: &str) -> String {
    format!(
        "the sign-in answered for another server (Id {other}), not the one this address proved to be; not signed in"
    )
}
