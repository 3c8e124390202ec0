//! Signing IPNs as Amazon SNS does (SignatureVersion 2: SHA256withRSA PKCS#1 v1.5 over the SNS
//! string to sign), with the simulator's own test certificate.
//!
//! The envelope names an Amazon-looking `SigningCertURL`, so the protocol crate's verifier
//! applies all of its URL rules; receivers in tests map that URL to [`CERT_PEM`] (served by the
//! simulator at `/__sandbox/ipn-certificate.pem`) with
//! `StaticCertificates::new().with(SIGNING_CERT_URL, CERT_PEM)`.
//!
//! The `NotificationData` document is written by the protocol crate
//! ([`Notification::to_data`]: the generated writers, `v1::IPN_NAMESPACE`), so the simulator writes
//! exactly what [`Notification::parse`] reads. Serializing the envelope with `serde_json` gives
//! the POST body.

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::ipn::{Notification, NotificationMessage, SnsEnvelope};
use amazon_pay_protocol::v1::VERSION;
use base64::Engine as _;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::sign::Signer;

/// The certificate URL written into the simulator's envelopes.
pub const SIGNING_CERT_URL: &str = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-amazon-pay-sandbox-simulator.pem";

/// The simulator's self-signed test certificate (valid 2000-01-01 to 2099-12-31; never trust
/// it outside tests).
pub const CERT_PEM: &str = include_str!("../../sandbox-cert/simulator-cert.pem");

const KEY_PEM: &str = include_str!("../../sandbox-cert/simulator-key.pem");

/// The `MarketplaceID` of the simulator's messages.
const MARKETPLACE_ID: &str = "A1SANDBOXSIM00";

/// Real topics are `arn:aws:sns:<region>:<account>:<marketplace id><seller id>`.
const TOPIC_ARN_PREFIX: &str = "arn:aws:sns:us-east-1:291180941288:";

/// Signs notifications with the simulator's key.
pub struct NotificationSigner {
    key: PKey<Private>,
}

impl Default for NotificationSigner {
    fn default() -> NotificationSigner {
        NotificationSigner::new()
    }
}

impl NotificationSigner {
    /// Parses the committed key (once per signer).
    pub fn new() -> NotificationSigner {
        // The key is part of this crate's source; the tests prove it parses.
        let key = PKey::private_key_from_pem(KEY_PEM.as_bytes())
            .unwrap_or_else(|e| panic!("sandbox-cert/simulator-key.pem is not a PEM RSA key: {e}"));
        NotificationSigner { key }
    }

    /// The signed SNS envelope of any writable notification (every type but `Unknown`).
    /// `None` for `Unknown` or a failed signature.
    pub fn envelope(
        &self,
        notification: &Notification,
        seller_id: &str,
        release_environment: &str,
        now: Timestamp,
        message_id: &str,
    ) -> Option<SnsEnvelope> {
        let (notification_type, notification_data) = notification.to_data()?;
        let event_type = match notification {
            Notification::BillingAgreement { event_type, .. } => event_type.as_deref(),
            _ => None,
        };
        // The inner message JSON, then the envelope, then the signature over its string to sign.
        let timestamp = sns_timestamp(now);
        let message = NotificationMessage {
            notification_reference_id: format!("{message_id}-ref"),
            marketplace_id: MARKETPLACE_ID.to_owned(),
            notification_type: notification_type.to_owned(),
            seller_id: seller_id.to_owned(),
            release_environment: release_environment.to_owned(),
            version: VERSION.to_owned(),
            notification_data,
            timestamp: timestamp.clone(),
            is_sample: None,
            event_type: event_type.map(str::to_owned),
        };
        let message = serde_json::to_string(&message).ok()?;
        self.sign(message, seller_id, timestamp, message_id)
    }

    /// The signed SNS envelope of a v2 notification: its `Message` is the v2 JSON (§7).
    /// `None` if OpenSSL fails to sign.
    pub fn envelope_v2(
        &self,
        message: String,
        merchant_id: &str,
        now: Timestamp,
        message_id: &str,
    ) -> Option<SnsEnvelope> {
        self.sign(message, merchant_id, sns_timestamp(now), message_id)
    }

    /// Wraps a message in an envelope of the seller's topic and signs it.
    fn sign(
        &self,
        message: String,
        seller_id: &str,
        timestamp: String,
        message_id: &str,
    ) -> Option<SnsEnvelope> {
        let mut envelope = SnsEnvelope {
            message_type: "Notification".to_owned(),
            message_id: message_id.to_owned(),
            topic_arn: format!("{TOPIC_ARN_PREFIX}{MARKETPLACE_ID}{seller_id}"),
            subject: None,
            message,
            timestamp,
            signature_version: "2".to_owned(),
            signature: String::new(),
            signing_cert_url: SIGNING_CERT_URL.to_owned(),
            unsubscribe_url: None,
        };
        // RSA keys sign PKCS#1 v1.5 by default: SNS's SHA256withRSA.
        let signature = Signer::new(MessageDigest::sha256(), &self.key)
            .and_then(|mut s| s.sign_oneshot_to_vec(envelope.string_to_sign().as_bytes()))
            .ok()?;
        envelope.signature = base64::engine::general_purpose::STANDARD.encode(signature);
        Some(envelope)
    }
}

/// SNS writes timestamps to the millisecond: `2015-11-14T00:40:14.410Z`.
fn sns_timestamp(t: Timestamp) -> String {
    let millis = t.as_offset_date_time().millisecond();
    format!("{}.{millis:03}Z", t.to_wire().trim_end_matches('Z'))
}

#[cfg(test)]
mod tests {
    use amazon_pay_protocol::Money;
    use amazon_pay_protocol::ipn::{IpnError, StaticCertificates, verify};
    use amazon_pay_protocol::v1;

    use super::*;

    /// Whole seconds: the XML documents carry milliseconds at most.
    fn now() -> Timestamp {
        Timestamp::from_unix(time::OffsetDateTime::now_utc().unix_timestamp()).unwrap()
    }

    fn certificates() -> StaticCertificates {
        StaticCertificates::new().with(SIGNING_CERT_URL, CERT_PEM)
    }

    fn notifications() -> Vec<Notification> {
        let order = v1::OrderReferenceDetails::builder()
            .amazon_order_reference_id("S01-0000001-0000001")
            .order_total(Money::jpy(1200).unwrap())
            .release_environment(v1::ReleaseEnvironment::Sandbox)
            .order_reference_status(
                v1::OrderReferenceStatus::builder()
                    .state(v1::OrderReferenceState::Open)
                    .last_update_timestamp(now())
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let authorization = v1::AuthorizationDetails::builder()
            .amazon_authorization_id("S01-0000001-0000001-A0000002")
            .authorization_reference_id("auth-ref-1")
            .authorization_amount(Money::jpy(1200).unwrap())
            .authorization_status(
                v1::AuthorizationStatus::builder()
                    .state(v1::AuthorizationState::Open)
                    .last_update_timestamp(now())
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let capture = v1::CaptureDetails::builder()
            .amazon_capture_id("S01-0000001-0000001-C0000003")
            .capture_reference_id("capture-ref-1")
            .capture_amount(Money::jpy(1200).unwrap())
            .creation_timestamp(now())
            .capture_status(
                v1::CaptureStatus::builder()
                    .state(v1::CaptureState::Completed)
                    .last_update_timestamp(now())
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let refund = v1::RefundDetails::builder()
            .amazon_refund_id("S01-0000001-0000001-R0000004")
            .refund_reference_id("refund-ref-1")
            .refund_type(v1::RefundType::SellerInitiated)
            .refund_amount(Money::jpy(200).unwrap())
            .refund_status(
                v1::RefundStatus::builder()
                    .state(v1::RefundState::Pending)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let agreement = v1::BillingAgreementDetails::builder()
            .amazon_billing_agreement_id("C01-0000001-0000001")
            .billing_agreement_status(
                v1::BillingAgreementStatus::builder()
                    .state(v1::BillingAgreementState::Open)
                    .last_updated_timestamp(now())
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        vec![
            Notification::OrderReference(order),
            Notification::PaymentAuthorize(authorization),
            Notification::PaymentCapture(capture),
            Notification::PaymentRefund(refund),
            Notification::BillingAgreement {
                event_type: Some("PaymentMethodUpdated".into()),
                details: agreement,
            },
        ]
    }

    /// Changes one character of `text` (the first ASCII letter or digit past the middle).
    fn flip_one_char(text: &str) -> String {
        let (at, c) = text
            .char_indices()
            .skip(text.chars().count() / 2)
            .find(|(_, c)| c.is_ascii_alphanumeric())
            .unwrap();
        let flipped = if c == 'A' { 'B' } else { 'A' };
        format!("{}{flipped}{}", &text[..at], &text[at + 1..])
    }

    fn is_sns_time(text: &str) -> bool {
        text.len() == 24
            && text.as_bytes()[19] == b'.'
            && text.ends_with('Z')
            && Timestamp::parse(text).is_ok()
    }

    #[test]
    fn every_notification_signs_verifies_and_reads_back() {
        let signer = NotificationSigner::new();
        for notification in notifications() {
            let sent_at = Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc());
            let envelope = signer
                .envelope(&notification, "A1SIMULATORJP", "Sandbox", sent_at, "m-1")
                .unwrap();
            let body = serde_json::to_string(&envelope).unwrap();
            let parsed = SnsEnvelope::parse(body.as_bytes()).unwrap();
            assert_eq!(parsed, envelope);
            assert_eq!(parsed.message_type, "Notification");
            assert_eq!(parsed.signature_version, "2");
            assert_eq!(parsed.signing_cert_url, SIGNING_CERT_URL);
            assert!(parsed.topic_arn.starts_with("arn:aws:sns:us-east-1:"));
            assert!(is_sns_time(&parsed.timestamp), "{}", parsed.timestamp);

            verify(&parsed, &certificates(), now()).unwrap();
            let (message, read) = Notification::parse(&parsed).unwrap();
            assert_eq!(read, notification);
            let written_type = notification.to_data().unwrap().0;
            assert_eq!(message.notification_type, written_type);
            assert_eq!(message.seller_id, "A1SIMULATORJP");
            assert_eq!(message.release_environment, "Sandbox");
            assert_eq!(message.version, "2013-01-01");
            assert_eq!(message.timestamp, parsed.timestamp);
            assert!(
                message.notification_data.contains(&format!(
                    "xmlns=\"{}\"",
                    amazon_pay_protocol::v1::IPN_NAMESPACE
                )),
                "{}",
                message.notification_data
            );

            let mut forged = parsed.clone();
            forged.message = flip_one_char(&forged.message);
            assert_ne!(forged.message, parsed.message);
            assert_eq!(
                verify(&forged, &certificates(), now()),
                Err(IpnError::BadSignature)
            );
        }
    }

    #[test]
    fn notification_data_documents() {
        let roots = [
            ("OrderReferenceNotification", "OrderReference"),
            ("AuthorizationNotification", "AuthorizationDetails"),
            ("CaptureNotification", "CaptureDetails"),
            ("RefundNotification", "RefundDetails"),
            ("BillingAgreementNotification", "BillingAgreement"),
        ];
        for (notification, (root, element)) in notifications().iter().zip(roots) {
            let xml = notification.to_data().unwrap().1;
            let open = format!(
                "<{root} xmlns=\"https://mws.amazonservices.com/ipn/OffAmazonPayments/2013-01-01\"><{element}>"
            );
            assert!(xml.starts_with("<?xml"), "{xml}");
            assert!(xml.contains(&open), "{xml}");
        }
    }

    #[test]
    fn certificate_is_valid_from_2000_to_2099() {
        let notification = notifications().remove(1);
        let at = |text: &str| Timestamp::parse(text).unwrap();
        let envelope = NotificationSigner::new()
            .envelope(&notification, "S", "Sandbox", now(), "m-2")
            .unwrap();
        for inside in ["2000-01-01T00:00:00Z", "2099-12-31T23:59:59Z"] {
            verify(&envelope, &certificates(), at(inside)).unwrap();
        }
        assert!(matches!(
            verify(&envelope, &certificates(), at("1999-12-31T23:59:59Z")),
            Err(IpnError::CertificateNotYetValid { .. })
        ));
        assert!(matches!(
            verify(&envelope, &certificates(), at("2100-01-01T00:00:00Z")),
            Err(IpnError::CertificateExpired { .. })
        ));
    }

    #[test]
    fn notifications_of_other_types_and_unknown() {
        let signer = NotificationSigner::new();
        let no_event_type = Notification::BillingAgreement {
            event_type: None,
            details: match notifications().pop() {
                Some(Notification::BillingAgreement { details, .. }) => details,
                _ => unreachable!(),
            },
        };
        let envelope = signer
            .envelope(&no_event_type, "S", "Sandbox", now(), "m-3")
            .unwrap();
        verify(&envelope, &certificates(), now()).unwrap();
        let (message, read) = Notification::parse(&envelope).unwrap();
        assert_eq!(read, no_event_type);
        assert!(!envelope.message.contains("EventType"), "{message:?}");

        let unknown = Notification::Unknown {
            notification_type: "Future".into(),
            raw_xml: "<x/>".into(),
        };
        assert!(
            signer
                .envelope(&unknown, "S", "Sandbox", now(), "m")
                .is_none()
        );
    }
}
