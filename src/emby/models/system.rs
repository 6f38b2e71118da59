//! `/System/Info/Public` and `/System/Info` replies.

use serde::{Deserialize, Serialize};

use super::de::null_as_default;

/// `GET /System/Info/Public`: who a server is, without a token (protocol.md §3.1).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PublicSystemInfo {
    /// The server's own id (Connect calls it `SystemId`).
    pub id: Option<String>,
    /// The server's name.
    pub server_name: Option<String>,
    /// Server version, e.g. `4.8.11.0`.
    pub version: Option<String>,
    /// The server's LAN address (base URL).
    pub local_address: Option<String>,
    /// The server's WAN address (base URL).
    pub wan_address: Option<String>,
    /// 4.x: all LAN addresses.
    #[serde(deserialize_with = "null_as_default")]
    pub local_addresses: Vec<String>,
    /// 4.x: all WAN addresses.
    #[serde(deserialize_with = "null_as_default")]
    pub remote_addresses: Vec<String>,
}

/// `GET /System/Info`: the public fields plus what a signed-in user may see (protocol.md §3.2).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SystemInfo {
    /// The server's own id.
    pub id: Option<String>,
    /// The server's name.
    pub server_name: Option<String>,
    /// Server version.
    pub version: Option<String>,
    /// The server's LAN address.
    pub local_address: Option<String>,
    /// The server's WAN address.
    pub wan_address: Option<String>,
    /// Operating system display name.
    pub operating_system_display_name: Option<String>,
    /// Whether a restart is pending.
    pub has_pending_restart: Option<bool>,
    /// Whether an update is available.
    pub has_update_available: Option<bool>,
    /// The MAC address (old clients used it for Wake-on-LAN).
    pub mac_address: Option<String>,
    /// HTTP port.
    pub http_server_port_number: Option<u16>,
    /// HTTPS port.
    pub https_port_number: Option<u16>,
}
