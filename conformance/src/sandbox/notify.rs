//! Signing IPNs as Amazon SNS does (SignatureVersion 2: SHA256withRSA over the SNS string to
//! sign), with the simulator's own test certificate.
//!
//! The envelope names an Amazon-looking `SigningCertURL`, so the protocol crate's verifier
//! applies all of its URL rules; receivers in tests map that URL to [`CERT_PEM`] (served by the
//! simulator at `/__sandbox/ipn-certificate.pem`) with
//! `StaticCertificates::new().with(SIGNING_CERT_URL, CERT_PEM)`.

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::ipn::{Notification, SnsEnvelope};
use base64::Engine as _;
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use sha2::Sha256;

/// The certificate URL written into the simulator's envelopes.
pub const SIGNING_CERT_URL: &str = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-amazon-pay-sandbox-simulator.pem";

/// The simulator's self-signed test certificate (never trust it outside tests).
pub const CERT_PEM: &str = include_str!("../../sandbox-cert/simulator-cert.pem");

const KEY_PEM: &str = include_str!("../../sandbox-cert/simulator-key.pem");

const TOPIC_ARN: &str = "arn:aws:sns:us-east-1:000000000000:A1SIMULATOR_amazon_pay_sandbox";

/// Signs notifications with the simulator's key.
pub struct NotificationSigner {
    key: SigningKey<Sha256>,
}

impl Default for NotificationSigner {
    fn default() -> NotificationSigner {
        NotificationSigner::new()
    }
}

impl NotificationSigner {
    pub fn new() -> NotificationSigner {
        // The key is part of this crate's source; a test proves it parses.
        let key = RsaPrivateKey::from_pkcs8_pem(KEY_PEM).unwrap_or_else(|e| {
            panic!("sandbox-cert/simulator-key.pem is not a PKCS#8 RSA key: {e}")
        });
        NotificationSigner {
            key: SigningKey::new(key),
        }
    }

    /// The SNS envelope of a notification: inner message JSON, then the signed envelope.
    /// `None` for a notification type that cannot be written (`Unknown`).
    pub fn envelope(
        &self,
        notification: &Notification,
        seller_id: &str,
        release_environment: &str,
        now: Timestamp,
        message_id: &str,
    ) -> Option<SnsEnvelope> {
        let (notification_type, data) = notification.to_data()?.ok()?;
        let message = serde_json::json!({
            "NotificationReferenceId": format!("{message_id}-ref"),
            "MarketplaceID": "136291",
            "NotificationType": notification_type,
            "SellerId": seller_id,
            "ReleaseEnvironment": release_environment,
            "Version": amazon_pay_protocol::v1::VERSION,
            "NotificationData": data,
            "Timestamp": now.to_document(),
            "EventType": match notification {
                Notification::BillingAgreement { event_type, .. } => event_type.clone(),
                _ => None,
            },
        });
        let mut envelope = SnsEnvelope {
            message_type: "Notification".to_owned(),
            message_id: message_id.to_owned(),
            topic_arn: TOPIC_ARN.to_owned(),
            subject: None,
            message: message.to_string(),
            timestamp: now.to_document(),
            signature_version: "2".to_owned(),
            signature: String::new(),
            signing_cert_url: SIGNING_CERT_URL.to_owned(),
            unsubscribe_url: None,
        };
        let signature = self.key.sign(envelope.string_to_sign().as_bytes());
        envelope.signature = base64::engine::general_purpose::STANDARD.encode(signature.to_bytes());
        Some(envelope)
    }
}

#[cfg(test)]
mod tests {
    use amazon_pay_protocol::ipn::{IpnError, StaticCertificates, verify};
    use amazon_pay_protocol::v1;

    use super::*;

    /// Whole seconds: the XML documents carry milliseconds at most.
    fn now() -> Timestamp {
        Timestamp::from_unix(time::OffsetDateTime::now_utc().unix_timestamp()).unwrap()
    }

    fn authorization() -> v1::AuthorizationDetails {
        v1::AuthorizationDetails::builder()
            .amazon_authorization_id("S01-0000001-0000001-A0000002")
            .authorization_reference_id("ref-1")
            .authorization_amount(amazon_pay_protocol::Money::jpy(1200).unwrap())
            .authorization_status(
                v1::AuthorizationStatus::builder()
                    .state(v1::AuthorizationState::Open)
                    .last_update_timestamp(now())
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    }

    fn agreement() -> v1::BillingAgreementDetails {
        v1::BillingAgreementDetails::builder()
            .amazon_billing_agreement_id("C01-0000001-0000001")
            .billing_agreement_status(
                v1::BillingAgreementStatus::builder()
                    .state(v1::BillingAgreementState::Open)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    }

    #[test]
    fn envelopes_verify_and_read_back() {
        let signer = NotificationSigner::new();
        let certificates = StaticCertificates::new().with(SIGNING_CERT_URL, CERT_PEM);
        let notifications = [
            Notification::PaymentAuthorize(authorization()),
            Notification::BillingAgreement {
                event_type: Some("PaymentMethodUpdated".into()),
                details: agreement(),
            },
        ];
        for notification in notifications {
            let envelope = signer
                .envelope(&notification, "A1SIMULATORJP", "Sandbox", now(), "m-1")
                .unwrap();
            let body = serde_json::to_string(&envelope).unwrap();
            let parsed = SnsEnvelope::parse(body.as_bytes()).unwrap();
            verify(&parsed, &certificates, now()).unwrap();
            let (message, read) = Notification::parse(&parsed).unwrap();
            assert_eq!(read, notification);
            assert_eq!(message.seller_id, "A1SIMULATORJP");

            let mut forged = parsed.clone();
            forged.message = forged.message.replacen("A1SIMULATORJP", "A1SIMULATORJQ", 1);
            assert_eq!(
                verify(&forged, &certificates, now()),
                Err(IpnError::BadSignature)
            );
        }
    }

    #[test]
    fn unknown_notifications_are_not_written() {
        let unknown = Notification::Unknown {
            notification_type: "Future".into(),
            raw_xml: "<x/>".into(),
        };
        assert!(
            NotificationSigner::new()
                .envelope(&unknown, "S", "Sandbox", now(), "m")
                .is_none()
        );
    }
}
