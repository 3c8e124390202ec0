//! v2 in one run: signing a Create Charge beside the bare RSA-PSS signature of the same
//! digest (the ratio is what the library adds on top of the private-key operation), the
//! verification of that signature (what a receiver, the simulator too, pays per request for
//! the public-key operation: the floor under the v2 simulator's cost in `load`), and reading a
//! Get Charge Permission answer beside `serde_json::Value` over the same bytes.

use std::sync::Arc;

use amazon_pay_protocol::endpoint::Endpoint;
use amazon_pay_protocol::v2::{self, ChargeInitiator, ChargePermission, CreateChargeRequest};
use amazon_pay_protocol::v2_runtime::request::sign;
use amazon_pay_protocol::v2_runtime::{Algorithm, Credentials, PrivateKey};
use amazon_pay_protocol::{Money, Timestamp};
use criterion::{Criterion, criterion_group, criterion_main};
use sha2::{Digest, Sha256};

fn bench(c: &mut Criterion) {
    let key = Arc::new(PrivateKey::generate().unwrap());
    let credentials = Credentials::new("SANDBOX-AEXAMPLEKEY", Arc::clone(&key), "jp");
    let endpoint = Endpoint::amazon(
        v2::Region::Jp,
        v2::Environment::Sandbox.base_path(&credentials.public_key_id),
    );
    let now = Timestamp::parse("2024-01-02T03:04:05Z").unwrap();
    let request = CreateChargeRequest::builder()
        .charge_permission_id("S01-1234567-1234567")
        .charge_amount(Money::jpy(3980).unwrap())
        .capture_now(true)
        .charge_initiator(ChargeInitiator::Mitu)
        .soft_descriptor("定期便 12月")
        .idempotency_key("order-42-2026-12")
        .build()
        .unwrap();
    let signed = sign(&request, &credentials, &endpoint, now, None).unwrap();
    let digest = Sha256::digest(signed.explanation.string_to_sign.as_bytes());

    let mut group = c.benchmark_group("sign");
    group.bench_function("v2_create_charge", |b| {
        b.iter(|| sign(&request, &credentials, &endpoint, now, None).unwrap())
    });
    group.bench_function("rsa_pss_only", |b| {
        b.iter(|| key.sign_digest(Algorithm::Pss, &digest).unwrap())
    });
    group.finish();

    let public = key.public_key().unwrap();
    let string_to_sign = signed.explanation.string_to_sign.as_bytes();
    let signature = key.sign(Algorithm::Pss, string_to_sign).unwrap();
    assert!(public.verify(Algorithm::Pss, string_to_sign, &signature));
    let mut group = c.benchmark_group("verify");
    group.bench_function("rsa_pss", |b| {
        b.iter(|| public.verify(Algorithm::Pss, string_to_sign, &signature))
    });
    group.finish();

    let body = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/v2/amazon-pay-api-sdk-dotnet/ChargePermissionResponseTests.line46.json"
    ))
    .unwrap();
    let mut group = c.benchmark_group("parse");
    group.bench_function("v2_get_charge_permission", |b| {
        b.iter(|| serde_json::from_slice::<ChargePermission>(&body).unwrap())
    });
    group.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(&body).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
