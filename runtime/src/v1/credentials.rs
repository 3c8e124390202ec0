//! Credentials: the secret key never shows up in `Debug`, `Display`, errors or logs, and is
//! wiped from memory when dropped.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::v1::keyed_mac::KeyedMac;

/// The MWS secret key, kept only as the HMAC state keyed by it: the key is absorbed once,
/// here, so signing a request does not absorb it again, and the text is wiped at once. Only
/// [`crate::v1::sign`] uses it.
#[derive(Clone)]
pub struct SecretKey(KeyedMac);

impl SecretKey {
    pub fn new(secret: impl Into<String>) -> SecretKey {
        let text = Zeroizing::new(secret.into());
        SecretKey(KeyedMac::new(text.as_bytes()))
    }

    pub(crate) fn mac(&self) -> &KeyedMac {
        &self.0
    }
}

impl Zeroize for SecretKey {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

// The keyed state wipes itself when dropped.
impl ZeroizeOnDrop for SecretKey {}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A delegation token (`MWSAuthToken`): it lets a solution provider act for a seller, so it
/// is as sensitive as a password and is redacted the same way.
#[derive(Clone)]
pub struct AuthToken(Zeroizing<String>);

impl AuthToken {
    pub fn new(token: impl Into<String>) -> AuthToken {
        AuthToken(Zeroizing::new(token.into()))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl Zeroize for AuthToken {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for AuthToken {}

impl fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthToken(***)")
    }
}

/// Who signs: access key id, secret key, seller id and, for delegated calls, an MWSAuthToken.
/// `Debug` shows the access key's last four characters only (enough to tell keys apart).
#[derive(Clone)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_key: SecretKey,
    pub seller_id: String,
    pub mws_auth_token: Option<AuthToken>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = &self.access_key_id;
        let tail = key
            .char_indices()
            .rev()
            .nth(3)
            .map_or("", |(i, _)| &key[i..]);
        f.debug_struct("Credentials")
            .field("access_key_id", &format_args!("***{tail}"))
            .field("secret_key", &self.secret_key)
            .field("seller_id", &self.seller_id)
            .field("mws_auth_token", &self.mws_auth_token)
            .finish()
    }
}

impl Credentials {
    pub fn new(
        access_key_id: impl Into<String>,
        secret_key: SecretKey,
        seller_id: impl Into<String>,
    ) -> Credentials {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_key,
            seller_id: seller_id.into(),
            mws_auth_token: None,
        }
    }

    /// Acts for another seller (solution providers).
    pub fn with_mws_auth_token(mut self, token: AuthToken) -> Credentials {
        self.mws_auth_token = Some(token);
        self
    }
}

impl Credentials {
    /// The common parameters these credentials give a request signed at `timestamp` (already
    /// in wire form).
    pub fn common_params<'a>(&'a self, timestamp: &'a str) -> crate::v1::CommonParams<'a> {
        crate::v1::CommonParams {
            aws_access_key_id: &self.access_key_id,
            seller_id: &self.seller_id,
            mws_auth_token: self.mws_auth_token.as_ref().map(AuthToken::expose),
            timestamp,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        let creds = Credentials::new("AKIAEXAMPLE7KID", SecretKey::new("very-secret"), "SELLER")
            .with_mws_auth_token(AuthToken::new("amzn.mws.token"));
        let shown = format!("{creds:?} {}", creds.secret_key);
        assert!(
            !shown.contains("very-secret") && !shown.contains("amzn.mws.token"),
            "{shown}"
        );
        assert!(!shown.contains("AKIAEXAMPLE"), "{shown}");
        assert!(shown.contains("***7KID") && shown.contains("SecretKey(***)"));
    }
}
