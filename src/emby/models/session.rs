//! Sessions and playback reports: `GET /Sessions` (`SessionInfo`, `PlayerStateInfo`) and the
//! bodies of `POST /Sessions/Playing[/Progress|/Stopped]` (protocol.md §7, playback.md §1).

use serde::{Deserialize, Serialize};

use super::de::null_as_default;
use super::item::BaseItemDto;

/// A session on a server: an app on a device, maybe playing something (SDK `Session.SessionInfo`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SessionInfo {
    /// The target of `/Sessions/{Id}/…`.
    pub id: Option<String>,
    /// The app, e.g. `Emby Theater`.
    pub client: Option<String>,
    pub application_version: Option<String>,
    /// e.g. `Living Room TV`.
    pub device_name: Option<String>,
    pub device_id: Option<String>,
    pub device_type: Option<String>,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    /// Whether it takes Play and Playstate commands.
    pub supports_remote_control: Option<bool>,
    /// `Audio`, `Video`, … (what the server lets it be sent).
    #[serde(deserialize_with = "null_as_default")]
    pub playable_media_types: Vec<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub supported_commands: Vec<String>,
    /// What it plays (None when idle).
    pub now_playing_item: Option<BaseItemDto>,
    /// Where it is in it.
    pub play_state: Option<PlayerStateInfo>,
    /// ISO 8601.
    pub last_activity_date: Option<String>,
}

/// Where a session is in what it plays (SDK `PlayerStateInfo`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PlayerStateInfo {
    pub position_ticks: Option<i64>,
    pub can_seek: Option<bool>,
    pub is_paused: Option<bool>,
    pub is_muted: Option<bool>,
    pub volume_level: Option<i32>,
    pub media_source_id: Option<String>,
    /// `DirectPlay`, `DirectStream`, `Transcode`.
    pub play_method: Option<String>,
}

/// The body of the three reporting calls (SDK `PlaybackStartInfo`, `PlaybackProgressInfo`,
/// `PlaybackStopInfo`; the fields each does not have are left out).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PlaybackReport {
    pub item_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_source_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub play_session_id: Option<String>,
    /// Always in ticks; always sent (a Stopped without it marks the item played).
    pub position_ticks: i64,
    /// Start and Progress only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_paused: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub can_seek: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub play_method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_time_ticks: Option<i64>,
    /// Progress only: `TimeUpdate`, `Pause`, `Unpause`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
}
