//! Signing a typical JP sandbox AuthorizeOnBillingAgreement, beside the bare HMAC over the same
//! string to sign: the ratio is what the library adds on top of the cryptography.

#[path = "workloads/sign.rs"]
mod workloads;

use criterion::{Criterion, criterion_group, criterion_main};
use workloads::Signing;

fn bench(c: &mut Criterion) {
    let signing = Signing::new();
    let mut group = c.benchmark_group("sign");
    group.bench_function("authorize_on_billing_agreement", |b| {
        b.iter(|| signing.build_and_sign())
    });
    // The breakdown: building the typed request, and signing one already built.
    group.bench_function("build_only", |b| b.iter(workloads::build));
    group.bench_function("sign_prebuilt", |b| b.iter(|| signing.sign_prebuilt()));
    group.bench_function("hmac_only", |b| b.iter(|| signing.hmac_only()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
