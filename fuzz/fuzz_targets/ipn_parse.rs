//! Any bytes as an IPN POST body: parse, verify (with the Python SDK's test certificate) and
//! read the notification; must return, never panic.
#![no_main]

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::ipn::{Notification, SnsEnvelope, StaticCertificates, verify};
use libfuzzer_sys::fuzz_target;

const PEM: &str = include_str!("../../fixtures/v1/amazon-pay-sdk-python/test.pem");

fuzz_target!(|data: &[u8]| {
    if let Ok(envelope) = SnsEnvelope::parse(data) {
        let at = Timestamp::from_unix(1_420_070_400).expect("2015-01-01");
        let _ = verify(&envelope, &StaticCertificates::for_any_url(PEM), at);
        let _ = Notification::parse(&envelope);
    }
});
