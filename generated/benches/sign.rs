//! Signing a typical JP sandbox AuthorizeOnBillingAgreement, beside the bare HMAC over the same
//! string to sign: the ratio is what the library adds on top of the cryptography.

use amazon_pay_protocol::credentials::{Credentials, SecretKey};
use amazon_pay_protocol::endpoint::Endpoint;
use amazon_pay_protocol::v1::{AuthorizeOnBillingAgreementRequest, Environment, Region};
use amazon_pay_protocol::{Money, Timestamp, sign};
use base64::Engine as _;
use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, Mac};
use sha2::Sha256;

fn bench(c: &mut Criterion) {
    let credentials = Credentials::new(
        "AKIAEXAMPLE",
        SecretKey::new("EXAMPLE/SECRET+KEY"),
        "A1EXAMPLE",
    );
    let endpoint = Endpoint::amazon(Region::Jp, Environment::Sandbox);
    let now = Timestamp::parse("2024-01-02T03:04:05Z").unwrap();
    let build = || {
        AuthorizeOnBillingAgreementRequest::builder()
            .amazon_billing_agreement_id("C01-1234567-1234567")
            .authorization_reference_id("order-2024-0001")
            .authorization_amount(Money::jpy(1000).unwrap())
            .seller_authorization_note("定期購入 1月分")
            .transaction_timeout(0)
            .capture_now(true)
            .soft_descriptor("AMZ shop")
            .build()
            .unwrap()
    };
    let to_sign = sign::explain(&build(), &credentials, &endpoint, now).string_to_sign;

    let mut group = c.benchmark_group("sign");
    group.bench_function("authorize_on_billing_agreement", |b| {
        b.iter(|| sign::sign(&build(), &credentials, &endpoint, now))
    });
    // The breakdown: building the typed request, and signing one already built.
    group.bench_function("build_only", |b| b.iter(build));
    let built = build();
    group.bench_function("sign_prebuilt", |b| {
        b.iter(|| sign::sign(&built, &credentials, &endpoint, now))
    });
    group.bench_function("hmac_only", |b| {
        b.iter(|| {
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"EXAMPLE/SECRET+KEY").unwrap();
            mac.update(to_sign.as_bytes());
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
