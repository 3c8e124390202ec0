//! Instant Payment Notifications: Amazon SNS messages whose `Message` carries a notification.
//!
//! `amazon-pay-rsa`'s `ipn::verify` checks an SNS envelope (certificate URL rules, certificate
//! validity at a given time, RSA signature over the SNS string to sign) before anything in it is
//! trusted; each API generation's crate then reads the verified message into its typed
//! notification. This module holds what needs no RSA: the envelope and the errors.

mod envelope;

pub use envelope::SnsEnvelope;

/// Why a notification was rejected or could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IpnError {
    #[error("not an SNS message: {0}")]
    MalformedEnvelope(String),
    #[error("SNS message type `{0}` is not a Notification")]
    NotANotification(String),
    #[error("signing certificate URL rejected: {0}")]
    InvalidCertUrl(String),
    #[error("no certificate available for {0}")]
    CertificateUnavailable(String),
    #[error("certificate is not a readable X.509 RSA certificate: {0}")]
    MalformedCertificate(String),
    #[error("certificate is not valid until {not_before} (checked at {at})")]
    CertificateNotYetValid { not_before: String, at: String },
    #[error("certificate expired at {not_after} (checked at {at})")]
    CertificateExpired { not_after: String, at: String },
    #[error("SignatureVersion `{0}` is not supported (1 = SHA1withRSA, 2 = SHA256withRSA)")]
    UnsupportedSignatureVersion(String),
    #[error("signature is not valid base64")]
    MalformedSignature,
    #[error("signature does not match the message")]
    BadSignature,
    #[error("notification message is not valid: {0}")]
    MalformedMessage(String),
    #[error("NotificationData of {notification_type} is not valid: {reason}")]
    MalformedData {
        notification_type: String,
        reason: String,
    },
}
