//! Emby Connect replies (protocol.md §2) and the server-side Connect replies (§3.3, §6.2).

use serde::{Deserialize, Serialize};

use super::de::null_as_default;
use crate::emby::secret::Secret;

/// A Connect account (SRV3 `ConnectUser`; `GET service/user?id=`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ConnectUser {
    /// Connect user id.
    pub id: Option<String>,
    /// Connect user name.
    pub name: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Whether the account is active.
    pub is_active: Option<bool>,
    /// Avatar URL.
    pub image_url: Option<String>,
    /// Emby Premiere supporter.
    pub is_supporter: Option<bool>,
}

/// The result of a Connect password sign-in, normalised from either wire shape:
/// the real `{AccessToken, User: {Id, Name, …}}` or the documented `{ConnectAccessToken, ConnectUserId}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectSignIn {
    /// The Connect user token (sent later as `X-Connect-UserToken`).
    pub access_token: Secret,
    /// The Connect user id.
    pub user_id: String,
    /// The Connect user, when the reply carried it (the real service does).
    pub user: Option<ConnectUser>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct RawConnectSignIn {
    #[serde(alias = "accessToken")]
    access_token: Option<Secret>,
    #[serde(alias = "user")]
    user: Option<ConnectUser>,
    #[serde(alias = "connectAccessToken")]
    connect_access_token: Option<Secret>,
    #[serde(alias = "connectUserId")]
    connect_user_id: Option<String>,
}

impl<'de> Deserialize<'de> for ConnectSignIn {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawConnectSignIn::deserialize(deserializer)?;
        let non_empty_secret = |s: Option<Secret>| s.filter(|s| !s.is_empty());
        let non_empty = |s: Option<String>| s.filter(|s| !s.is_empty());
        let access_token = non_empty_secret(raw.access_token)
            .or_else(|| non_empty_secret(raw.connect_access_token))
            .ok_or_else(|| {
                serde::de::Error::custom("no AccessToken (nor ConnectAccessToken) in the reply")
            })?;
        let user_id = non_empty(raw.user.as_ref().and_then(|u| u.id.clone()))
            .or_else(|| non_empty(raw.connect_user_id))
            .ok_or_else(|| {
                serde::de::Error::custom("no User.Id (nor ConnectUserId) in the reply")
            })?;
        Ok(ConnectSignIn {
            access_token,
            user_id,
            user: raw.user,
        })
    }
}

/// One server a Connect user may use (`GET service/servers?userId=`; SRV3 `ConnectUserServer` + `UserType`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ConnectServer {
    /// Connect's id of the server registration (for accept/reject).
    pub id: Option<String>,
    /// The server's own id (equals `/System/Info/Public` `Id`).
    pub system_id: Option<String>,
    /// Server name.
    pub name: Option<String>,
    /// Remote (WAN) address.
    pub url: Option<String>,
    /// LAN address.
    pub local_address: Option<String>,
    /// The per-user key exchanged on the server for a local token (`/Connect/Exchange`).
    pub access_key: Option<Secret>,
    /// `Linked` or `Guest`.
    pub user_type: Option<String>,
}

impl ConnectServer {
    /// True when this user is a guest of the server (clients compare lower-cased to `guest`).
    pub fn is_guest(&self) -> bool {
        self.user_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("guest"))
    }
}

/// `POST service/pin`: a new PIN for this device (SRV3 `PinCreationResult`). Absent flags read as false.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PinCreationResult {
    /// The PIN to show the user.
    pub pin: String,
    /// The device id the PIN belongs to.
    pub device_id: Option<String>,
    /// Already confirmed on the website.
    pub is_confirmed: bool,
    /// Expired: ask for a new one.
    pub is_expired: bool,
}

/// `GET service/pin?deviceId=&pin=`: has the user confirmed the PIN yet? Absent flags read as false.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PinStatusResult {
    /// The PIN.
    pub pin: Option<String>,
    /// Confirmed: exchange it now.
    pub is_confirmed: bool,
    /// Expired: stop polling.
    pub is_expired: bool,
}

/// `POST service/pin/authenticate`: the Connect user token for a confirmed PIN.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PinExchangeResult {
    /// Connect user id.
    pub user_id: Option<String>,
    /// Connect user token.
    pub access_token: Option<Secret>,
}

/// `POST service/register` reply: `{Status, Message}`, Status `SUCCESS`, `USERNAME_IN_USE`, `EMAIL_IN_USE`, …
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SignUpResult {
    /// Outcome code.
    pub status: Option<String>,
    /// Human message.
    pub message: Option<String>,
}

impl SignUpResult {
    /// True when the account was created.
    pub fn is_success(&self) -> bool {
        self.status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("success"))
    }
}

/// `GET /Connect/Exchange` on a server: the local user and token for a Connect AccessKey.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ConnectAuthenticationExchangeResult {
    /// The local user id.
    pub local_user_id: Option<String>,
    /// The local token (3.x returns the AccessKey itself).
    pub access_token: Option<Secret>,
}

/// `POST /Users/{Id}/Connect/Link` reply (SDK `Connect.UserLinkResult`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserLinkResult {
    /// The link waits for the Connect user to accept.
    pub is_pending: Option<bool>,
    /// An invitation e-mail went to a new Connect user.
    pub is_new_user_invitation: Option<bool>,
    /// Display name of the guest.
    pub guest_display_name: Option<String>,
}

/// One entry of `GET /Connect/Pending` (SRV3 `ConnectAuthorization`; 4.x shape undocumented).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ConnectAuthorization {
    /// Authorization id.
    pub id: Option<String>,
    /// Connect user id.
    pub connect_user_id: Option<String>,
    /// Connect user name.
    pub user_name: Option<String>,
    /// Avatar URL.
    pub image_url: Option<String>,
    /// Library ids the guest may see.
    #[serde(deserialize_with = "null_as_default")]
    pub enabled_libraries: Vec<String>,
    /// Live TV allowed.
    pub enable_live_tv: Option<bool>,
    /// Channel ids the guest may see.
    #[serde(deserialize_with = "null_as_default")]
    pub enabled_channels: Vec<String>,
}
