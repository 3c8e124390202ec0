//! IPN: the Python SDK's signed SNS message verifies with its certificate at a time inside its
//! validity; every tampered variant is rejected with its reason; every public notification
//! fixture parses into its typed notification (snapshots).

use std::path::{Path, PathBuf};

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::ipn::IpnError;
use amazon_pay_protocol::ipn::{
    CachingCertificateSource, CertificateSource, Notification, SnsEnvelope, StaticCertificates,
    verify,
};
use proptest::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/v1")
}

fn python(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("amazon-pay-sdk-python").join(name)).unwrap()
}

fn certs() -> StaticCertificates {
    StaticCertificates::for_any_url(String::from_utf8(python("test.pem")).unwrap())
}

fn inside_validity() -> Timestamp {
    Timestamp::parse("2015-01-01T00:00:00Z").unwrap()
}

fn valid() -> SnsEnvelope {
    SnsEnvelope::parse(&python("test_ipn.body_valid.json")).unwrap()
}

#[test]
fn the_python_sdk_body_verifies_and_parses() {
    let envelope = valid();
    verify(&envelope, &certs(), inside_validity()).unwrap();
    let (message, notification) = Notification::parse(&envelope).unwrap();
    assert_eq!(message.notification_type, "OrderReferenceNotification");
    assert!(matches!(notification, Notification::OrderReference(_)));
}

#[test]
fn the_invalid_body_is_rejected() {
    // Its certificate URL names the host `invalid.us-east-1.amazonaws.com`.
    let envelope = SnsEnvelope::parse(&python("test_ipn.body_invalid.json")).unwrap();
    assert!(matches!(
        verify(&envelope, &certs(), inside_validity()),
        Err(IpnError::InvalidCertUrl(_))
    ));
}

#[test]
fn every_tampered_variant_is_rejected_with_its_reason() {
    let at = inside_validity();
    let mut e = valid();
    e.message.push(' ');
    assert_eq!(verify(&e, &certs(), at), Err(IpnError::BadSignature));

    let mut e = valid();
    e.timestamp = "2015-04-30T00:06:50.434Z".into();
    assert_eq!(verify(&e, &certs(), at), Err(IpnError::BadSignature));

    let mut e = valid();
    let flipped = if e.signature.starts_with('A') {
        "B"
    } else {
        "A"
    };
    e.signature.replace_range(0..1, flipped);
    assert_eq!(verify(&e, &certs(), at), Err(IpnError::BadSignature));

    let mut e = valid();
    e.signature = "not base64!".into();
    assert_eq!(verify(&e, &certs(), at), Err(IpnError::MalformedSignature));

    let mut e = valid();
    e.signing_cert_url = e.signing_cert_url.replace(
        "sns.us-east-1.amazonaws.com",
        "sns.us-east-1.amazonaws.com.evil.example",
    );
    assert!(matches!(
        verify(&e, &certs(), at),
        Err(IpnError::InvalidCertUrl(_))
    ));

    let mut e = valid();
    e.signing_cert_url = e.signing_cert_url.replace("https://", "http://");
    assert!(matches!(
        verify(&e, &certs(), at),
        Err(IpnError::InvalidCertUrl(_))
    ));

    let mut e = valid();
    e.signature_version = "3".into();
    assert_eq!(
        verify(&e, &certs(), at),
        Err(IpnError::UnsupportedSignatureVersion("3".into()))
    );

    let mut e = valid();
    e.message_type = "SubscriptionConfirmation".into();
    assert!(matches!(
        verify(&e, &certs(), at),
        Err(IpnError::NotANotification(_))
    ));

    let later = Timestamp::parse("2016-01-01T00:00:00Z").unwrap();
    assert!(matches!(
        verify(&valid(), &certs(), later),
        Err(IpnError::CertificateExpired { .. })
    ));
    let earlier = Timestamp::parse("2014-01-01T00:00:00Z").unwrap();
    assert!(matches!(
        verify(&valid(), &certs(), earlier),
        Err(IpnError::CertificateNotYetValid { .. })
    ));

    let nothing = StaticCertificates::new();
    assert!(matches!(
        verify(&valid(), &nothing, at),
        Err(IpnError::CertificateUnavailable(_))
    ));
    let garbage = StaticCertificates::for_any_url(
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    );
    assert!(matches!(
        verify(&valid(), &garbage, at),
        Err(IpnError::MalformedCertificate(_))
    ));
}

#[test]
fn certificates_are_cached_per_url() {
    let cache = CachingCertificateSource::new(certs());
    verify(&valid(), &cache, inside_validity()).unwrap();
    verify(&valid(), &cache, inside_validity()).unwrap();
    assert_eq!(cache.cached(), 1);
    assert!(cache.pem(&valid().signing_cert_url).is_ok());
}

/// The SDKs' notification fixtures (whose certificates are not available offline) parse into
/// typed notifications. Two are not SNS notifications at all and are rejected as such.
#[test]
fn every_notification_fixture_parses() {
    let mut parsed = 0;
    for sdk in ["amazon-pay-sdk-java", "amazon-pay-sdk-csharp"] {
        let mut paths: Vec<_> = std::fs::read_dir(fixtures().join(sdk))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        paths.retain(|p| p.extension().is_some_and(|x| x == "json"));
        paths.sort();
        for path in paths {
            let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
            let body = std::fs::read(&path).unwrap();
            let envelope = SnsEnvelope::parse(&body);
            if name == "SolutionProviderMerchantNotification" {
                // a `{"name": ...}` stub, not an SNS message
                assert!(
                    matches!(envelope, Err(IpnError::MalformedEnvelope(_))),
                    "{name}"
                );
                continue;
            }
            let envelope = envelope.unwrap_or_else(|e| panic!("{name}: {e}"));
            let (message, notification) =
                Notification::parse(&envelope).unwrap_or_else(|e| panic!("{sdk}/{name}: {e}"));
            if name == "BadNotification" {
                // an unknown NotificationType is kept, not an error
                assert!(
                    matches!(&notification, Notification::Unknown { notification_type, .. } if notification_type == "BlahBlah"),
                    "{notification:?}"
                );
                continue;
            }
            assert!(
                !matches!(notification, Notification::Unknown { .. }),
                "{name}: {}",
                message.notification_type
            );
            let sdk_short = sdk.trim_start_matches("amazon-pay-sdk-");
            insta::assert_json_snapshot!(format!("{sdk_short}__{name}"), notification);
            parsed += 1;
        }
    }
    assert!(parsed >= 18, "{parsed}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn hostile_envelopes_never_panic(
        body in prop::collection::vec(any::<u8>(), 0..400),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        if let Ok(e) = SnsEnvelope::parse(&body) {
            let _ = verify(&e, &certs(), inside_validity());
            let _ = Notification::parse(&e);
        }
        let mut mutated = python("test_ipn.body_valid.json");
        for (at, byte) in edits {
            let i = at.index(mutated.len());
            mutated[i] = byte;
        }
        if let Ok(e) = SnsEnvelope::parse(&mutated) {
            // Only an unchanged signed content can verify (UnsubscribeURL is not signed).
            if verify(&e, &certs(), inside_validity()).is_ok() {
                prop_assert_eq!(e.string_to_sign(), valid().string_to_sign());
            }
            let _ = Notification::parse(&e);
        }
    }
}
