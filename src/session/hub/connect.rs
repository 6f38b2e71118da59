//! The Emby Connect account: password and PIN sign-in, sign-out, invitations.

use crate::emby::Secret;
use crate::emby::connect::ConnectSession;
use crate::emby::models::{ConnectServer, PinCreationResult, PinStatusResult};

use super::super::error::SessionError;
use super::super::servers::same_id;
use super::super::state::SessionState;
use super::super::store::ConnectAccount;
use super::{Event, Hub, connect_user_name, key};

impl Hub {
    /// The signed-in Connect user's calls (None when nobody is signed in).
    pub(super) fn connect_session(&self) -> Option<ConnectSession> {
        let st = self.lock();
        st.creds.connect.as_ref().map(|c| {
            self.inner
                .connect
                .session(c.user_id.clone(), c.access_token.clone())
        })
    }

    /// Password sign-in to Emby Connect. Returns the Connect user name.
    pub async fn connect_sign_in(
        &self,
        name_or_email: &str,
        password: &Secret,
    ) -> Result<String, SessionError> {
        let result = self
            .inner
            .connect
            .sign_in(name_or_email, password)
            .await
            .map_err(|e| {
                if e.is_unauthorized() || e.is_not_found() || e.status() == Some(400) {
                    SessionError::ConnectRejected
                } else {
                    e.into()
                }
            })?;
        let user_name = result
            .user
            .as_ref()
            .and_then(|u| u.name.clone())
            .unwrap_or_else(|| name_or_email.to_string());
        self.set_connect_account(ConnectAccount {
            user_id: result.user_id,
            user_name: Some(user_name),
            access_token: result.access_token,
        })
    }

    /// Remember a Connect sign-in and save. Returns the user name.
    fn set_connect_account(&self, account: ConnectAccount) -> Result<String, SessionError> {
        let name = connect_user_name(&Some(account.clone())).unwrap_or_default();
        {
            let mut st = self.lock();
            if st
                .creds
                .connect
                .as_ref()
                .is_some_and(|old| old.user_id != account.user_id)
            {
                // AccessKeys and exchanged tokens belonged to the other Connect user.
                forget_connect_servers(&mut st);
            }
            st.creds.connect = Some(account);
        }
        self.save()?;
        self.emit(Event::ConnectUser(Some(name.clone())));
        Ok(name)
    }

    /// A new PIN for this device.
    pub async fn pin_create(&self) -> Result<PinCreationResult, SessionError> {
        let device_id = self.inner.reacher.identity.device_id.clone();
        Ok(self.inner.connect.create_pin(&device_id).await?)
    }

    /// Whether the PIN was confirmed or expired. A 404 while polling means "not yet" (as Emby for
    /// UWP does).
    pub async fn pin_status(&self, pin: &str) -> Result<PinStatusResult, SessionError> {
        let device_id = self.inner.reacher.identity.device_id.clone();
        match self.inner.connect.pin_status(&device_id, pin).await {
            Ok(s) => Ok(s),
            Err(e) if e.is_not_found() => Ok(PinStatusResult {
                pin: Some(pin.to_string()),
                is_confirmed: false,
                is_expired: false,
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// Exchange a confirmed PIN for the Connect sign-in and remember it. Returns the user name.
    pub async fn pin_finish(&self, pin: &str) -> Result<String, SessionError> {
        let device_id = self.inner.reacher.identity.device_id.clone();
        let connect = &self.inner.connect;
        let result = connect.exchange_pin(&device_id, pin).await?;
        let (Some(user_id), Some(token)) = (result.user_id, result.access_token) else {
            return Err(SessionError::Other(
                "Emby Connect confirmed the PIN but sent no sign-in".into(),
            ));
        };
        let session = connect.session(user_id.clone(), token.clone());
        let user_name = session.user().await.ok().and_then(|u| u.name);
        self.set_connect_account(ConnectAccount {
            user_id,
            user_name,
            access_token: token,
        })
    }

    /// Sign out of Emby Connect: the Connect token and every AccessKey (and the tokens they gave)
    /// are forgotten and saved at once; servers keep their addresses. The service is then told,
    /// best effort. False when nobody was signed in.
    pub async fn connect_sign_out(&self) -> Result<bool, SessionError> {
        let Some(session) = self.connect_session() else {
            return Ok(false);
        };
        {
            let mut st = self.lock();
            st.creds.connect = None;
            forget_connect_servers(&mut st);
        }
        self.save()?;
        self.emit(Event::Listed(self.reports()));
        self.emit(Event::ConnectUser(None));
        if let Err(e) = session.logout().await {
            tracing::info!(error = %e, "Connect logout call failed; the token is forgotten anyway");
        }
        Ok(true)
    }

    /// Invitations waiting for this Connect user.
    pub async fn invitations(&self) -> Result<Vec<ConnectServer>, SessionError> {
        let session = self
            .connect_session()
            .ok_or(SessionError::NotSignedInToConnect)?;
        Ok(session.invitations().await?)
    }

    /// Accept (`true`) or reject an invitation, by server Id or by Connect's id for it.
    pub async fn answer_invitation(&self, id: &str, accept: bool) -> Result<(), SessionError> {
        let session = self
            .connect_session()
            .ok_or(SessionError::NotSignedInToConnect)?;
        let waiting = session.invitations().await?;
        let found = waiting
            .iter()
            .find(|i| {
                i.id.as_deref().is_some_and(|x| same_id(x, id))
                    || i.system_id.as_deref().is_some_and(|x| same_id(x, id))
            })
            .and_then(|i| i.id.clone())
            .ok_or_else(|| SessionError::UnknownInvitation(id.to_string()))?;
        if accept {
            session.accept_invitation(&found).await?;
        } else {
            session.reject_invitation(&found).await?;
        }
        Ok(())
    }
}

/// Everything that came from the Connect account goes: AccessKeys, registration ids, link
/// types, and the tokens the exchange gave (a local sign-in's token stays).
fn forget_connect_servers(st: &mut super::State) {
    for s in &mut st.creds.servers {
        let via_connect = s.token_via_connect();
        s.exchange_token = None;
        s.connect_server_id = None;
        s.link_type = None;
        if via_connect {
            s.access_token = None;
            s.user_id = None;
            s.user_name = None;
            s.token_from = None;
            if let Some(sess) = st.sessions.get_mut(&key(&s.id)) {
                sess.client = None;
                sess.state = SessionState::SignInRequired("signed out of Emby Connect".into());
            }
        }
    }
}
