//! The signing workload that the `sign` and `paired` benchmarks share: a typical JP sandbox
//! AuthorizeOnBillingAgreement, and the bare HMAC over its string to sign.

use amazon_pay_protocol::credentials::{Credentials, SecretKey};
use amazon_pay_protocol::endpoint::Endpoint;
use amazon_pay_protocol::sign::SignedRequest;
use amazon_pay_protocol::v1::{AuthorizeOnBillingAgreementRequest, Environment, Region};
use amazon_pay_protocol::{Money, Timestamp, sign};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const SECRET: &str = "EXAMPLE/SECRET+KEY";

pub struct Signing {
    credentials: Credentials,
    endpoint: Endpoint,
    now: Timestamp,
    built: AuthorizeOnBillingAgreementRequest,
    to_sign: String,
}

impl Signing {
    pub fn new() -> Signing {
        let credentials = Credentials::new("AKIAEXAMPLE", SecretKey::new(SECRET), "A1EXAMPLE");
        let endpoint = Endpoint::amazon(Region::Jp, Environment::Sandbox);
        let now = Timestamp::parse("2024-01-02T03:04:05Z").unwrap();
        let built = build();
        let to_sign = sign::explain(&built, &credentials, &endpoint, now).string_to_sign;
        Signing {
            credentials,
            endpoint,
            now,
            built,
            to_sign,
        }
    }

    /// The headline: the typed request built, then signed.
    pub fn build_and_sign(&self) -> SignedRequest {
        sign::sign(&build(), &self.credentials, &self.endpoint, self.now)
    }

    /// Signing a request already built.
    pub fn sign_prebuilt(&self) -> SignedRequest {
        sign::sign(&self.built, &self.credentials, &self.endpoint, self.now)
    }

    /// The baseline: the HMAC keyed and run over the same string to sign, in base64.
    pub fn hmac_only(&self) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(self.to_sign.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    }
}

/// Building the typed request alone.
pub fn build() -> AuthorizeOnBillingAgreementRequest {
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
}
