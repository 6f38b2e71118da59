//! `POST /Items/{Id}/PlaybackInfo` reply: the parts a browser shows (files, codecs, tracks).

use serde::{Deserialize, Serialize};

use super::de::null_as_default;

/// Playback info: the media sources of an item and the play session id (SDK `PlaybackInfoResponse`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PlaybackInfoResponse {
    /// The playable sources (files / versions).
    #[serde(deserialize_with = "null_as_default")]
    pub media_sources: Vec<MediaSourceInfo>,
    /// Id to pass to stream URLs and progress reports.
    pub play_session_id: Option<String>,
    /// Why playback is impossible (`NotAllowed`, `NoCompatibleStream`, …), when it is.
    pub error_code: Option<String>,
}

/// One media source: a file or a version of an item (SDK `MediaSourceInfo`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MediaSourceInfo {
    /// Media source id (pass as `MediaSourceId`).
    pub id: Option<String>,
    /// Version name.
    pub name: Option<String>,
    /// Path on the server.
    pub path: Option<String>,
    /// `File`, `Http`, …
    pub protocol: Option<String>,
    /// Container, e.g. `mkv`.
    pub container: Option<String>,
    /// Size in bytes.
    pub size: Option<i64>,
    /// Total bitrate in bits per second.
    pub bitrate: Option<i64>,
    /// Length in ticks (prefer it to the item's).
    pub run_time_ticks: Option<i64>,
    /// Whether the client may play the file directly.
    pub supports_direct_play: Option<bool>,
    /// Whether the server can stream it without transcoding.
    pub supports_direct_stream: Option<bool>,
    /// Whether the server can transcode it.
    pub supports_transcoding: Option<bool>,
    /// A ready direct-stream URL (relative to the server base).
    pub direct_stream_url: Option<String>,
    /// A transcoding URL (relative to the server base).
    pub transcoding_url: Option<String>,
    /// Audio, video and subtitle tracks.
    #[serde(deserialize_with = "null_as_default")]
    pub media_streams: Vec<MediaStream>,
    /// Default audio track index.
    pub default_audio_stream_index: Option<i32>,
    /// Default subtitle track index.
    pub default_subtitle_stream_index: Option<i32>,
}

/// One track of a media source (SDK `MediaStream`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MediaStream {
    /// `Video`, `Audio`, `Subtitle`, `EmbeddedImage`.
    #[serde(rename = "Type")]
    pub stream_type: Option<String>,
    /// Track index.
    pub index: Option<i32>,
    /// Codec, e.g. `h264`.
    pub codec: Option<String>,
    /// Language code.
    pub language: Option<String>,
    /// The server's human title for the track.
    pub display_title: Option<String>,
    /// Track title.
    pub title: Option<String>,
    /// Default track.
    pub is_default: Option<bool>,
    /// Forced subtitles.
    pub is_forced: Option<bool>,
    /// External file (subtitles).
    pub is_external: Option<bool>,
    /// Width in pixels.
    pub width: Option<i32>,
    /// Height in pixels.
    pub height: Option<i32>,
    /// Bitrate in bits per second.
    pub bit_rate: Option<i64>,
    /// Audio channels.
    pub channels: Option<i32>,
    /// Audio sample rate.
    pub sample_rate: Option<i32>,
    /// Channel layout, e.g. `5.1`.
    pub channel_layout: Option<String>,
}
