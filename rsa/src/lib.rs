//! The RSA under `amazon-pay-protocol`, on OpenSSL: the merchant's v2 signing key and the
//! public key that verifies it ([`PrivateKey`], [`PublicKey`]: RSASSA-PSS with SHA-256), and the
//! signature check of an IPN's SNS envelope ([`ipn::verify`]).
//!
//! Depend on `amazon-pay-protocol`, which re-exports this under `v2_runtime` and `ipn`. It is a
//! crate of its own so that nothing else waits for OpenSSL to build: the runtime signs v2
//! requests through its [`SigningKey`](amazon_pay_runtime::v2::SigningKey) trait, which
//! [`PrivateKey`] implements (as a key kept in an HSM or a cloud KMS could), so the runtime and
//! the generated crates compile while OpenSSL does.

pub mod ipn;
pub mod key;

pub use key::{PrivateKey, PublicKey};
