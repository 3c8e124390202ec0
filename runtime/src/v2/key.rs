//! What v2 signing needs to know of a key: the two algorithms, the errors, and the
//! [`SigningKey`] trait the signer calls.
//!
//! The key itself is `amazon-pay-rsa`'s `PrivateKey` (OpenSSL), in a crate of its own so that the
//! runtime and the generated crates do not wait for OpenSSL to build; the trait also lets a key
//! that never leaves an HSM or a cloud KMS sign requests.

use std::fmt;

/// The two signature algorithms of the v2 API: RSASSA-PSS with SHA-256 and MGF1-SHA-256,
/// differing only in the salt length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub enum Algorithm {
    /// `AMZN-PAY-RSASSA-PSS`, salt 20 bytes: every official SDK's default.
    #[default]
    Pss,
    /// `AMZN-PAY-RSASSA-PSS-V2`, salt 32 bytes (opt-in; the button config must name it too).
    PssV2,
}

impl Algorithm {
    pub const ALL: [Algorithm; 2] = [Algorithm::Pss, Algorithm::PssV2];

    /// The name in the `Authorization` header and on the first line of the string to sign.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Pss => "AMZN-PAY-RSASSA-PSS",
            Algorithm::PssV2 => "AMZN-PAY-RSASSA-PSS-V2",
        }
    }

    pub fn salt_len(self) -> i32 {
        match self {
            Algorithm::Pss => 20,
            Algorithm::PssV2 => 32,
        }
    }

    /// The algorithm a name denotes (exact spelling, as the service requires).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name() == name)
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a key could not be loaded or used. Never contains key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error(
        "not an RSA private key in PEM form (PKCS#1 `BEGIN RSA PRIVATE KEY` or PKCS#8 \
         `BEGIN PRIVATE KEY`)"
    )]
    NotAPrivateKey,
    #[error("not an RSA public key in PEM form (`BEGIN PUBLIC KEY` or `BEGIN RSA PUBLIC KEY`)")]
    NotAPublicKey,
    #[error("the key is {0} bits; Amazon Pay keys are RSA 2048 bits or more")]
    TooShort(u32),
    #[error("the signature could not be made: {0}")]
    Signing(String),
}

/// A private key that makes v2 signatures: RSASSA-PSS over SHA-256 with MGF1-SHA-256 and the
/// algorithm's salt length ([`Algorithm::salt_len`]), of at least 2048 bits. `Debug` must not
/// show key material (it is part of the credentials' `Debug`).
pub trait SigningKey: Send + Sync + fmt::Debug {
    /// The raw signature of `message` (which the implementation hashes with SHA-256).
    fn sign(&self, algorithm: Algorithm, message: &[u8]) -> Result<Vec<u8>, KeyError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_names() {
        assert_eq!(
            Algorithm::from_name("AMZN-PAY-RSASSA-PSS"),
            Some(Algorithm::Pss)
        );
        assert_eq!(
            Algorithm::from_name("AMZN-PAY-RSASSA-PSS-V2"),
            Some(Algorithm::PssV2)
        );
        assert_eq!(Algorithm::from_name("amzn-pay-rsassa-pss"), None);
    }
}
