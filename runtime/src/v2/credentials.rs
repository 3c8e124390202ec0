//! Who signs a v2 request: the public key id Seller Central shows, the private key, the
//! region of the merchant account, and the algorithm.

use std::fmt;
use std::sync::Arc;

use super::key::{Algorithm, SigningKey};

/// The signing side of a merchant account. Cheap to clone (the key is shared). `Debug` shows
/// the key id's last four characters only and never the key.
#[derive(Clone)]
pub struct Credentials {
    pub public_key_id: String,
    /// The private key (`amazon-pay-rsa`'s `PrivateKey`, or a key of your own that signs
    /// elsewhere).
    pub private_key: Arc<dyn SigningKey>,
    /// The `x-amz-pay-region` value: `na`, `eu` or `jp`.
    pub region: String,
    pub algorithm: Algorithm,
}

impl Credentials {
    /// Credentials with the default algorithm (`AMZN-PAY-RSASSA-PSS`, as every SDK). Generic
    /// over the key type, so that `Arc::clone(&key)` of a concrete key infers as it always did.
    pub fn new<K: SigningKey + 'static>(
        public_key_id: impl Into<String>,
        private_key: Arc<K>,
        region: impl Into<String>,
    ) -> Credentials {
        Credentials {
            public_key_id: public_key_id.into(),
            private_key,
            region: region.into(),
            algorithm: Algorithm::default(),
        }
    }

    pub fn with_algorithm(mut self, algorithm: Algorithm) -> Credentials {
        self.algorithm = algorithm;
        self
    }

    /// Whether the key id names its environment (`LIVE-…`, `SANDBOX-…`): such keys use the
    /// unified endpoint `/v2`, and the key decides sandbox or live.
    pub fn key_names_environment(&self) -> bool {
        key_names_environment(&self.public_key_id)
    }
}

/// Whether a public key id names its environment: the SDKs test a case-insensitive `LIVE` or
/// `SANDBOX` prefix (the hyphen is not checked).
pub fn key_names_environment(public_key_id: &str) -> bool {
    let upper = public_key_id
        .get(..7)
        .unwrap_or(public_key_id)
        .to_ascii_uppercase();
    upper.starts_with("LIVE") || upper.starts_with("SANDBOX")
}

/// The base path of requests: `/v2` for keys that name their environment, otherwise
/// `/sandbox/v2` or `/live/v2`.
pub fn base_path(public_key_id: &str, sandbox: bool) -> &'static str {
    match (key_names_environment(public_key_id), sandbox) {
        (true, _) => "/v2",
        (false, true) => "/sandbox/v2",
        (false, false) => "/live/v2",
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = &self.public_key_id;
        let tail = id.get(id.len().saturating_sub(4)..).unwrap_or("");
        f.debug_struct("Credentials")
            .field("public_key_id", &format_args!("…{tail}"))
            .field("private_key", &self.private_key)
            .field("region", &self.region)
            .field("algorithm", &self.algorithm)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_by_key_type() {
        assert_eq!(base_path("SANDBOX-AFVX7ULWSGBZ5535PCUQOY7B", false), "/v2");
        assert_eq!(base_path("live-XXXX", true), "/v2");
        assert_eq!(base_path("AHXXXXXXXXXXXXXXXXXXXXXX", true), "/sandbox/v2");
        assert_eq!(base_path("AHXXXXXXXXXXXXXXXXXXXXXX", false), "/live/v2");
        assert_eq!(base_path("LIV", false), "/live/v2");
    }
}
