//! Remote control of the other Emby apps of the same user on a server: the sessions this user
//! may control (`GET /Sessions?ControllableByUserId=`, this device left out), play an item there
//! (`POST /Sessions/{Id}/Playing`), and the playstate commands
//! (`POST /Sessions/{Id}/Playing/{Command}`). A 400 (it cannot play this kind of media, or the
//! user may not) and a 404 (the session is gone) are said in plain words.

use crate::emby::Error;
use crate::emby::models::SessionInfo;
use crate::emby::server::Playstate;

use super::super::error::SessionError;
use super::Hub;
use super::playback::StartAt;

/// How a session is named in messages: its device and app.
pub fn session_label(s: &SessionInfo) -> String {
    let device = s
        .device_name
        .clone()
        .or_else(|| s.id.clone())
        .unwrap_or_else(|| "the device".into());
    match &s.client {
        Some(app) => format!("{device} ({app})"),
        None => device,
    }
}

impl Hub {
    /// The sessions this user may control on a server, without this device's own.
    pub async fn controllable_sessions(
        &self,
        server_id: &str,
    ) -> Result<Vec<SessionInfo>, SessionError> {
        let (own, list) = self
            .call(server_id, true, |c| async move {
                let list = c.controllable_sessions().await?;
                Ok::<_, Error>((c.device_id().to_string(), list))
            })
            .await?;
        Ok(list
            .into_iter()
            .filter(|s| {
                s.id.is_some()
                    && !s
                        .device_id
                        .as_deref()
                        .is_some_and(|d| d.eq_ignore_ascii_case(&own))
            })
            .collect())
    }

    /// One controllable session as it stands now (what it plays and where).
    pub async fn remote_session(
        &self,
        server_id: &str,
        session_id: &str,
    ) -> Result<SessionInfo, SessionError> {
        let id = session_id.to_string();
        let list = self
            .call(server_id, true, |c| {
                let id = id.clone();
                async move { c.sessions_by_id(&id).await }
            })
            .await?;
        list.into_iter()
            .find(|s| s.id.as_deref() == Some(session_id))
            .ok_or_else(|| SessionError::SessionGone {
                server: self.server_name(server_id),
                session: session_id.to_string(),
            })
    }

    /// What a 400 or 404 from a session call means, in words, naming the device.
    async fn session_error(
        &self,
        server_id: &str,
        session_id: &str,
        e: SessionError,
    ) -> SessionError {
        let SessionError::Emby(Error::Status {
            status, message, ..
        }) = &e
        else {
            return e;
        };
        match status {
            404 => SessionError::SessionGone {
                server: self.server_name(server_id),
                session: session_id.to_string(),
            },
            400 => {
                let device = match self.controllable_sessions(server_id).await {
                    Ok(list) => list
                        .iter()
                        .find(|s| s.id.as_deref() == Some(session_id))
                        .map(session_label),
                    Err(_) => None,
                }
                .unwrap_or_else(|| format!("the session {session_id}"));
                SessionError::Refused {
                    device,
                    message: format!(
                        "{message} (the server answered 400: that device cannot play this kind of media, or this user may not control it)"
                    ),
                }
            }
            _ => e,
        }
    }

    /// Starts an item on another session, from the saved position unless told otherwise.
    /// Returns the position it was started at, in ticks.
    pub async fn play_on(
        &self,
        server_id: &str,
        session_id: &str,
        item_id: &str,
        start: StartAt,
    ) -> Result<i64, SessionError> {
        let item = self.item(server_id, item_id).await?;
        let start_ticks = start.ticks(&item);
        let (sid, iid) = (session_id.to_string(), item_id.to_string());
        let sent = self
            .call(server_id, false, |c| {
                let (sid, iid) = (sid.clone(), iid.clone());
                async move { c.play_on(&sid, &[&iid], Some(start_ticks)).await }
            })
            .await;
        match sent {
            Ok(()) => Ok(start_ticks),
            Err(e) => Err(self.session_error(server_id, session_id, e).await),
        }
    }

    /// A playstate command to another session: pause, unpause, stop, next, previous, seek.
    pub async fn remote_command(
        &self,
        server_id: &str,
        session_id: &str,
        command: Playstate,
    ) -> Result<(), SessionError> {
        let sid = session_id.to_string();
        let sent = self
            .call(server_id, false, |c| {
                let sid = sid.clone();
                async move { c.playstate(&sid, command).await }
            })
            .await;
        match sent {
            Ok(()) => Ok(()),
            Err(e) => Err(self.session_error(server_id, session_id, e).await),
        }
    }
}
