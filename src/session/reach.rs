//! Reaching one server: the address race with the Id check, then signing in there (Connect
//! exchange on every connection, or the saved token validated). Pure with respect to saved state:
//! it reads a snapshot and returns a [`Reached`] for the manager to apply.

use std::time::Duration;

use crate::emby::models::PublicSystemInfo;
use crate::emby::server::{ServerAddress, ServerClient, SignedInClient};
use crate::emby::{ClientIdentity, HttpClient};

use super::race::{self, Answer, RaceConfig, RaceFailure};
use super::store::{ConnectionMode, SavedServer};

impl Answer for PublicSystemInfo {
    fn server_id(&self) -> &str {
        self.id.as_deref().unwrap_or("")
    }
}

/// Everything needed to reach servers; cheap to clone (shares the connection pool).
#[derive(Clone, Debug)]
pub struct Reacher {
    pub http: HttpClient,
    pub identity: ClientIdentity,
    pub race: RaceConfig,
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

/// The outcome of reaching one server, to be applied by the manager.
#[derive(Clone, Debug)]
pub struct Reached {
    pub server_id: String,
    pub outcome: Result<Connection, RaceFailure>,
}

impl Reacher {
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
        address: &str,
        timeout: Duration,
    ) -> Result<PublicSystemInfo, String> {
        let address = ServerAddress::parse(address).map_err(|e| e.to_string())?;
        self.anonymous(address, Some(timeout))
            .public_info()
            .await
            .map_err(|e| e.to_string())
    }

    /// Race the server's addresses; `expected_id` None only for a new address of unknown Id.
    pub async fn find(
        &self,
        server: &SavedServer,
        expected_id: Option<&str>,
    ) -> Result<(VerifiedAddress, Duration, PublicSystemInfo), RaceFailure> {
        let candidates = race::candidates(server);
        let win = race::race(
            expected_id,
            candidates,
            server.last_connection_mode,
            &self.race,
            |c, timeout| {
                let this = self.clone();
                async move { this.probe(&c.address, timeout).await }
            },
        )
        .await?;
        let server_id = win.answer.id.clone().unwrap_or_default();
        let address = ServerAddress::parse(&win.address).map_err(|e| RaceFailure {
            attempts: vec![(
                race::Candidate {
                    mode: win.mode,
                    address: win.address.clone(),
                },
                race::AttemptError::Failed(e.to_string()),
            )],
        })?;
        Ok((
            VerifiedAddress {
                server_id,
                mode: win.mode,
                address,
            },
            win.latency,
            win.answer,
        ))
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
        if let (Some(key), Some(cuid), false) =
            (&server.exchange_token, connect_user_id, server.signed_out)
        {
            match anon.sign_in_with_connect(cuid, key).await {
                Ok((client, _)) => {
                    let user_name = user_name(&client).await;
                    return Auth::SignedIn {
                        client: Box::new(client),
                        user_name,
                        via_connect: true,
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
                Ok(_) => Auth::SignedIn {
                    user_name: server.user_name.clone().or(user_name(&client).await),
                    client: Box::new(client),
                    via_connect: false,
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

    /// Race, verify, sign in.
    pub async fn reach(&self, server: SavedServer, connect_user_id: Option<String>) -> Reached {
        let outcome = match self.find(&server, Some(&server.id)).await {
            Ok((verified, latency, info)) => {
                let auth = self
                    .authenticate(&server, &verified, connect_user_id.as_deref())
                    .await;
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
            server_id: server.id,
            outcome,
        }
    }
}

/// The signed-in user's name (best effort; a failure leaves it unknown).
async fn user_name(client: &SignedInClient) -> Option<String> {
    client.user().await.ok().and_then(|u| u.name)
}
