//! Users and `AuthenticateByName`.

use serde::{Deserialize, Serialize};

use crate::emby::secret::Secret;

/// A local user of a server (SDK `UserDto`; protocol.md §3.4).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserDto {
    /// User id (local to the server).
    pub id: Option<String>,
    /// User name.
    pub name: Option<String>,
    /// The server's id.
    pub server_id: Option<String>,
    /// Whether a password is required.
    pub has_password: Option<bool>,
    /// Whether a password was configured.
    pub has_configured_password: Option<bool>,
    /// Primary image tag, when the user has an image.
    pub primary_image_tag: Option<String>,
    /// The Connect user name this user is linked to.
    pub connect_user_name: Option<String>,
    /// `LinkedUser` or `Guest`.
    pub connect_link_type: Option<String>,
    /// Last sign-in date (ISO 8601 text).
    pub last_login_date: Option<String>,
    /// Last activity date (ISO 8601 text): what an administrator's user list shows.
    pub last_activity_date: Option<String>,
    /// The user's policy, of which a browser only needs `IsAdministrator`.
    pub policy: Option<UserPolicy>,
}

impl UserDto {
    /// True when the server says this user is an administrator (needed for Connect link calls).
    pub fn is_administrator(&self) -> bool {
        self.policy
            .as_ref()
            .and_then(|p| p.is_administrator)
            .unwrap_or(false)
    }
}

/// The part of a user's policy a browser needs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserPolicy {
    /// Administrator of the server.
    pub is_administrator: Option<bool>,
    /// Hidden from the login picker.
    pub is_hidden: Option<bool>,
    /// Disabled account.
    pub is_disabled: Option<bool>,
}

/// `POST /Users/AuthenticateByName` reply (SDK `Authentication.AuthenticationResult`; protocol.md §3.5).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AuthenticationResult {
    /// The signed-in user.
    pub user: Option<UserDto>,
    /// The new session token.
    pub access_token: Option<Secret>,
    /// The server's id.
    pub server_id: Option<String>,
}
