//! The playback calls of a signed-in client: stream URLs from a media source, the reporting
//! calls, and remote control of other sessions (`/Sessions`).

use reqwest::Method;
use url::Url;

use super::query::MediaKind;
use super::signed_in::SignedInClient;
use crate::emby::error::Error;
use crate::emby::models::{MediaSourceInfo, PlaybackReport, SessionInfo};
use crate::emby::secret::Secret;

/// How a media source is played (Emby's `PlayMethod`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlayMethod {
    DirectPlay,
    DirectStream,
    Transcode,
}

impl PlayMethod {
    pub fn name(self) -> &'static str {
        match self {
            PlayMethod::DirectPlay => "DirectPlay",
            PlayMethod::DirectStream => "DirectStream",
            PlayMethod::Transcode => "Transcode",
        }
    }
}

/// The media source to play and how, as the SDK's playback guidelines say: the first that can
/// be played directly, else the first the server can stream as it is, else the first it
/// transcodes. None when no source offers any of these.
pub fn choose_source(sources: &[MediaSourceInfo]) -> Option<(&MediaSourceInfo, PlayMethod)> {
    let first = |f: &dyn Fn(&MediaSourceInfo) -> bool| sources.iter().find(|s| f(s));
    if let Some(s) = first(&|s| s.supports_direct_play == Some(true)) {
        return Some((s, PlayMethod::DirectPlay));
    }
    if let Some(s) = first(&|s| s.supports_direct_stream == Some(true)) {
        return Some((s, PlayMethod::DirectStream));
    }
    first(&|s| s.transcoding_url.as_deref().is_some_and(|u| !u.is_empty()))
        .map(|s| (s, PlayMethod::Transcode))
}

/// A stream URL in its two forms.
#[derive(Clone, Debug)]
pub struct StreamUrl {
    /// Without a token: for a player handed the token as a header, and safe to log.
    pub bare: String,
    /// With `api_key`: for a player that cannot send a header, or a clipboard. A secret.
    pub with_key: Secret,
}

/// The remote-control commands of `/Sessions/{Id}/Playing/{Command}` (Emby's `PlaystateCommand`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Playstate {
    Pause,
    Unpause,
    PlayPause,
    Stop,
    NextTrack,
    PreviousTrack,
    /// Absolute, from the start of the item (`SeekPositionTicks`).
    Seek(i64),
}

impl Playstate {
    pub fn name(self) -> &'static str {
        match self {
            Playstate::Pause => "Pause",
            Playstate::Unpause => "Unpause",
            Playstate::PlayPause => "PlayPause",
            Playstate::Stop => "Stop",
            Playstate::NextTrack => "NextTrack",
            Playstate::PreviousTrack => "PreviousTrack",
            Playstate::Seek(_) => "Seek",
        }
    }
}

/// The query keys that carry a token in a URL a server hands out.
const TOKEN_KEYS: [&str; 3] = ["api_key", "apikey", "x-emby-token"];

impl SignedInClient {
    /// This install's device id (the sessions list drops our own).
    pub fn device_id(&self) -> &str {
        &self.server().identity.device_id
    }

    /// The stream URL of `source` (a URL the server gave, relative to `<base>/emby`, or the
    /// static stream `/{Videos|Audio}/{Id}/stream.<container>?Static=true&…`). A URL the server
    /// gave that points anywhere but this server's own origin is refused: the token only ever
    /// goes to the server it belongs to.
    pub fn stream_for(
        &self,
        item_id: &str,
        kind: MediaKind,
        source: &MediaSourceInfo,
        method: PlayMethod,
        play_session_id: Option<&str>,
    ) -> Result<StreamUrl, Error> {
        let given = match method {
            PlayMethod::Transcode => source.transcoding_url.as_deref(),
            _ => source.direct_stream_url.as_deref(),
        }
        .filter(|u| !u.trim().is_empty());
        let mut url = match given {
            Some(relative) => self.server_relative(relative)?,
            None => {
                let options = super::query::StreamOptions {
                    kind,
                    container: source.container.clone(),
                    media_source_id: source.id.clone(),
                    play_session_id: play_session_id.map(str::to_string),
                };
                self.stream_url_bare(item_id, &options)
            }
        };
        // a token the server put in the URL comes out; ours goes into the keyed form only
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| !TOKEN_KEYS.contains(&k.to_ascii_lowercase().as_str()))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.set_query(None);
        if !pairs.is_empty() {
            url.query_pairs_mut().extend_pairs(&pairs);
        }
        let bare = url.to_string();
        url.query_pairs_mut()
            .append_pair("api_key", self.token().expose());
        Ok(StreamUrl {
            bare,
            with_key: Secret::new(url.to_string()),
        })
    }

    /// `<base>/emby` + a path-and-query the server gave, checked to stay on this server's origin.
    fn server_relative(&self, relative: &str) -> Result<Url, Error> {
        let root = self.server().address.endpoint(&[]);
        let root_text = root.as_str().trim_end_matches('/');
        let joined = if relative.starts_with('/') {
            format!("{root_text}{relative}")
        } else {
            format!("{root_text}/{relative}")
        };
        let refused = |why: &str| Error::NotUnderstood {
            endpoint: root.path().to_string(),
            detail: format!("the stream URL the server gave {why}"),
        };
        let url = Url::parse(&joined).map_err(|_| refused("is not a URL"))?;
        if url.origin() != root.origin() {
            return Err(refused("points to another server"));
        }
        Ok(url)
    }

    /// The static stream URL without `api_key`.
    pub fn stream_url_bare(&self, item_id: &str, options: &super::query::StreamOptions) -> Url {
        let keyed = self.stream_url(item_id, options);
        let mut url = Url::parse(keyed.expose()).expect("a URL built from a parsed address");
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != "api_key")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.set_query(None);
        url.query_pairs_mut().extend_pairs(&pairs);
        url
    }

    /// `POST /Sessions/Playing` (start), `/Sessions/Playing/Progress`, `/Sessions/Playing/Stopped`.
    pub async fn report_playback(
        &self,
        call: ReportCall,
        body: &PlaybackReport,
    ) -> Result<(), Error> {
        let segments: &[&str] = match call {
            ReportCall::Start => &["Sessions", "Playing"],
            ReportCall::Progress => &["Sessions", "Playing", "Progress"],
            ReportCall::Stopped => &["Sessions", "Playing", "Stopped"],
        };
        let request = self.request(Method::POST, segments, &[]).json_body(body);
        self.server().http.empty(request).await
    }

    /// The sessions this user may control: `GET /Sessions?ControllableByUserId={UserId}`.
    pub async fn controllable_sessions(&self) -> Result<Vec<SessionInfo>, Error> {
        let request = self.request(
            Method::GET,
            &["Sessions"],
            &[("ControllableByUserId", self.user_id())],
        );
        self.server().http.json(request).await
    }

    /// One session: `GET /Sessions?Id=` (a server that ignores `Id` answers with every session,
    /// so the caller picks it out by id).
    pub async fn sessions_by_id(&self, session_id: &str) -> Result<Vec<SessionInfo>, Error> {
        let request = self.request(
            Method::GET,
            &["Sessions"],
            &[("ControllableByUserId", self.user_id()), ("Id", session_id)],
        );
        self.server().http.json(request).await
    }

    /// `POST /Sessions/{Id}/Playing?ItemIds=&PlayCommand=PlayNow&StartPositionTicks=`.
    pub async fn play_on(
        &self,
        session_id: &str,
        item_ids: &[&str],
        start_ticks: Option<i64>,
    ) -> Result<(), Error> {
        let mut query = vec![
            ("ItemIds", item_ids.join(",")),
            ("PlayCommand", "PlayNow".to_string()),
        ];
        if let Some(t) = start_ticks.filter(|t| *t > 0) {
            query.push(("StartPositionTicks", t.to_string()));
        }
        let request =
            self.request_owned(Method::POST, &["Sessions", session_id, "Playing"], &query);
        self.server().http.empty(request).await
    }

    /// `POST /Sessions/{Id}/Playing/{Command}[?SeekPositionTicks=]`.
    pub async fn playstate(&self, session_id: &str, command: Playstate) -> Result<(), Error> {
        let mut query = Vec::new();
        if let Playstate::Seek(t) = command {
            query.push(("SeekPositionTicks", t.max(0).to_string()));
        }
        let request = self.request_owned(
            Method::POST,
            &["Sessions", session_id, "Playing", command.name()],
            &query,
        );
        self.server().http.empty(request).await
    }
}

/// Which reporting call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportCall {
    Start,
    Progress,
    Stopped,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emby::http::{HttpClient, HttpConfig};
    use crate::emby::identity::ClientIdentity;
    use crate::emby::server::{ServerAddress, ServerClient};

    fn client() -> SignedInClient {
        ServerClient::new(
            HttpClient::new(HttpConfig::default()).unwrap(),
            ServerAddress::parse("http://127.0.0.1:8096/base").unwrap(),
            ClientIdentity::new("box", "dev1"),
        )
        .with_token("u1", Secret::new("tok-secret"))
    }

    fn source() -> MediaSourceInfo {
        MediaSourceInfo {
            id: Some("ms1".into()),
            container: Some("mkv".into()),
            supports_direct_play: Some(true),
            ..Default::default()
        }
    }

    #[test]
    fn the_source_is_chosen_direct_play_then_direct_stream_then_transcode() {
        let transcode = MediaSourceInfo {
            id: Some("t".into()),
            transcoding_url: Some("/videos/1/master.m3u8?x=1".into()),
            ..Default::default()
        };
        let stream = MediaSourceInfo {
            id: Some("s".into()),
            supports_direct_stream: Some(true),
            ..Default::default()
        };
        let direct = MediaSourceInfo {
            id: Some("d".into()),
            supports_direct_play: Some(true),
            ..Default::default()
        };
        let all = [transcode.clone(), stream.clone(), direct];
        assert_eq!(
            choose_source(&all).map(|(s, m)| (s.id.as_deref(), m)),
            Some((Some("d"), PlayMethod::DirectPlay))
        );
        let two = [transcode.clone(), stream];
        assert_eq!(
            choose_source(&two).map(|(s, m)| (s.id.as_deref(), m)),
            Some((Some("s"), PlayMethod::DirectStream))
        );
        let one = [transcode];
        assert_eq!(
            choose_source(&one).map(|(s, m)| (s.id.as_deref(), m)),
            Some((Some("t"), PlayMethod::Transcode))
        );
        assert!(choose_source(&[MediaSourceInfo::default()]).is_none());
    }

    #[test]
    fn a_static_stream_has_a_bare_form_and_a_keyed_one() {
        let s = client()
            .stream_for(
                "it1",
                MediaKind::Video,
                &source(),
                PlayMethod::DirectPlay,
                Some("ps"),
            )
            .unwrap();
        assert_eq!(
            s.bare,
            "http://127.0.0.1:8096/base/emby/Videos/it1/stream.mkv?Static=true&MediaSourceId=ms1&PlaySessionId=ps&DeviceId=dev1"
        );
        assert_eq!(
            s.with_key.expose(),
            format!("{}&api_key=tok-secret", s.bare)
        );
    }

    #[test]
    fn a_url_the_server_gave_is_joined_its_token_replaced_and_kept_on_this_server() {
        let mut src = source();
        src.direct_stream_url =
            Some("/Videos/it1/stream.mkv?Static=true&api_key=OLD&MediaSourceId=ms1".into());
        let s = client()
            .stream_for("it1", MediaKind::Video, &src, PlayMethod::DirectPlay, None)
            .unwrap();
        assert_eq!(
            s.bare,
            "http://127.0.0.1:8096/base/emby/Videos/it1/stream.mkv?Static=true&MediaSourceId=ms1"
        );
        assert!(!s.with_key.expose().contains("OLD"));
        assert!(s.with_key.expose().ends_with("&api_key=tok-secret"));
        for evil in [
            "http://evil.example/x",
            "//evil.example/x",
            "@evil.example/x",
        ] {
            src.direct_stream_url = Some(evil.into());
            match client().stream_for("it1", MediaKind::Video, &src, PlayMethod::DirectPlay, None) {
                Ok(s) => assert!(
                    s.with_key
                        .expose()
                        .starts_with("http://127.0.0.1:8096/base/emby/"),
                    "{evil}: {}",
                    s.bare
                ),
                Err(e) => assert!(e.to_string().contains("stream URL"), "{e}"),
            }
        }
    }
}
