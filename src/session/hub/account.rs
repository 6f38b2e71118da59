//! The Emby Connect account itself: creating one (`POST service/register`) and who is signed
//! in (`GET service/user?id=`), plus the addresses of what only the Emby website does.

use crate::emby::Secret;
use crate::emby::models::{ConnectUser, SignUpResult};

use super::super::error::SessionError;
use super::Hub;

/// Where an Emby Connect account is created in a browser (what the Connect guide points to).
pub const SIGN_UP_URL: &str = "https://emby.media/connect";
/// Where a signed-in Connect user changes the password: the Emby Community profile settings
/// (Connect and the community share one account).
pub const CHANGE_PASSWORD_URL: &str = "https://emby.media/community/index.php?/settings/password/";
/// Where a forgotten Connect password is reset.
pub const RESET_PASSWORD_URL: &str = "https://emby.media/community/index.php?/lostpassword/";

/// Why Emby Connect did not create an account, as a sentence (and whether a browser is needed).
pub fn sign_up_refusal(result: &SignUpResult, email: &str, user_name: &str) -> SessionError {
    let status = result.status.clone().unwrap_or_default();
    let code = status.to_ascii_uppercase();
    let refused = |reason: String| SessionError::SignUpRefused {
        reason,
        browser: false,
    };
    match code.as_str() {
        "USERNAME_IN_USE" => refused(format!(
            "the Emby Connect name {user_name} is already taken; choose another"
        )),
        "EMAIL_IN_USE" => refused(format!(
            "an Emby Connect account already uses {email}: sign in with it (forgotten password: {RESET_PASSWORD_URL})"
        )),
        "INVALID_EMAIL" => refused(format!(
            "Emby Connect does not accept {email} as an e-mail address"
        )),
        c if c.contains("CAPTCHA") => SessionError::SignUpRefused {
            reason: format!(
                "Emby Connect wants this sign-up finished in a web browser (a captcha): sign up at {SIGN_UP_URL}"
            ),
            browser: true,
        },
        _ => {
            let said = result
                .message
                .clone()
                .filter(|m| !m.trim().is_empty())
                .unwrap_or(status);
            refused(format!(
                "Emby Connect did not create the account ({said}); you can sign up at {SIGN_UP_URL}"
            ))
        }
    }
}

impl Hub {
    /// Creates an Emby Connect account. Nothing is signed in or saved: the account is used by
    /// signing in to it.
    pub async fn connect_sign_up(
        &self,
        email: &str,
        user_name: &str,
        password: &Secret,
    ) -> Result<(), SessionError> {
        let (email, user_name) = (email.trim(), user_name.trim());
        if email.is_empty() || user_name.is_empty() {
            return Err(SessionError::Other(
                "an Emby Connect account needs an e-mail address and a name".into(),
            ));
        }
        if password.is_empty() {
            return Err(SessionError::Other(
                "an Emby Connect account needs a password".into(),
            ));
        }
        let result = self
            .inner
            .connect
            .sign_up(email, user_name, password)
            .await?;
        if result.is_success() {
            Ok(())
        } else {
            Err(sign_up_refusal(&result, email, user_name))
        }
    }

    /// The signed-in Connect user as the service describes it (name, e-mail).
    pub async fn connect_whoami(&self) -> Result<ConnectUser, SessionError> {
        let session = self
            .connect_session()
            .ok_or(SessionError::NotSignedInToConnect)?;
        let mut user = session.user().await.map_err(|e| {
            if e.is_unauthorized() {
                SessionError::Other(
                    "Emby Connect no longer accepts this sign-in; sign in again".into(),
                )
            } else {
                e.into()
            }
        })?;
        if user.id.as_deref().is_none_or(str::is_empty) {
            user.id = Some(session.user_id().to_string());
        }
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(status: &str) -> (String, bool) {
        let result = SignUpResult {
            status: Some(status.into()),
            message: Some("m".into()),
        };
        match sign_up_refusal(&result, "a@x", "anna") {
            SessionError::SignUpRefused { reason, browser } => (reason, browser),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn each_sign_up_code_is_a_sentence_and_a_captcha_asks_for_the_browser() {
        assert_eq!(
            refusal("USERNAME_IN_USE").0,
            "the Emby Connect name anna is already taken; choose another"
        );
        assert!(refusal("EMAIL_IN_USE").0.contains("already uses a@x"));
        assert!(refusal("INVALID_EMAIL").0.contains("a@x"));
        let (captcha, browser) = refusal("CAPTCHA_REQUIRED");
        assert!(browser);
        assert!(captcha.contains(SIGN_UP_URL), "{captcha}");
        let (other, browser) = refusal("SOMETHING_NEW");
        assert!(!browser);
        assert!(other.contains("(m)"), "{other}");
    }
}
