//! The client's tracing output of a whole recurring-payment flow, captured at TRACE level (every
//! span, event and redacted body), holds none of the secrets or personal data that went over
//! the wire: secret key, signatures, MWSAuthToken, access key, buyer name, email, phone, address.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use amazon_pay_conformance::sandbox::{Account, BuyerChoices, Sandbox, SandboxConfig};
use amazon_pay_protocol::client::{
    Client, HttpRequest, ReqwestTransport, Transport, TransportFuture,
};
use amazon_pay_protocol::credentials::AuthToken;
use amazon_pay_protocol::v1::{self, Environment, Region};
use amazon_pay_protocol::{Money, ParamMap};

/// Keeps every signature that was sent, to look for it in the logs afterwards.
struct Spy {
    inner: ReqwestTransport,
    signatures: Arc<Mutex<Vec<String>>>,
}

impl Transport for Spy {
    fn send(&self, request: HttpRequest, timeout: std::time::Duration) -> TransportFuture<'_> {
        if let Some(s) = ParamMap::from_form(&request.body).get("Signature") {
            self.signatures.lock().unwrap().push(s.to_owned());
        }
        self.inner.send(request, timeout)
    }
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_of_a_full_flow_leaks_nothing() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let account = sandbox.account(Region::Jp).unwrap().clone();
    let token = "amzn.mws.4ea38b7b-f563-7709-4bae-SECRET-TOKEN";
    let signatures = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder(
        account
            .credentials()
            .with_mws_auth_token(AuthToken::new(token)),
        sandbox.endpoint(Environment::Sandbox),
    )
    .transport(Spy {
        inner: ReqwestTransport::new(std::time::Duration::from_secs(3)).unwrap(),
        signatures: signatures.clone(),
    })
    .build()
    .unwrap();
    tracing::info!(client = ?client, "client built");

    let (ba, _) = sandbox
        .buyer_creates_billing_agreement(Region::Jp, &BuyerChoices::default())
        .unwrap();
    let id = || ba.as_str();
    client
        .set_billing_agreement_details(
            &v1::SetBillingAgreementDetailsRequest::builder()
                .amazon_billing_agreement_id(id())
                .billing_agreement_attributes(
                    v1::BillingAgreementAttributes::builder()
                        .seller_note("monthly")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    client
        .confirm_billing_agreement(
            &v1::ConfirmBillingAgreementRequest::builder()
                .amazon_billing_agreement_id(id())
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let details = common::agreement_details(&client, id()).await;
    let buyer = details.buyer.clone().unwrap();
    let address = details
        .destination
        .clone()
        .unwrap()
        .physical_destination
        .unwrap();
    let charged = client
        .charge(&amazon_pay_protocol::client::ReferenceCharge::new(
            ba.as_str(),
            "redaction-1",
            Money::jpy(1200).unwrap(),
        ))
        .await
        .unwrap();
    assert_eq!(
        charged.authorization.captured_amount,
        Some(Money::jpy(1200).unwrap())
    );
    // A failing call is logged too.
    let failure = client
        .get_capture_details(
            &v1::GetCaptureDetailsRequest::builder()
                .amazon_capture_id("S01-0000000-0000000-C0000000")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    tracing::warn!(error = %failure, "expected failure");
    sandbox.shutdown().await;

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("amazon_pay.call"), "spans are there: {log}");
    assert!(log.contains("AuthorizeOnBillingAgreement"));
    assert!(
        log.contains("[redacted]"),
        "bodies are logged at TRACE, redacted"
    );
    let mut secrets: Vec<String> = vec![
        Account::builtin_secret(Region::Jp),
        token.to_owned(),
        account.access_key_id.clone(),
        buyer.name.unwrap(),
        buyer.email.unwrap(),
        buyer.phone.unwrap(),
        address.address_line1.unwrap(),
        address.postal_code.unwrap(),
        address.city.unwrap(),
    ];
    let sent = signatures.lock().unwrap().clone();
    assert!(sent.len() >= 6);
    secrets.extend(sent.iter().cloned());
    secrets.extend(sent.iter().map(|s| amazon_pay_protocol::params::encode(s)));
    for secret in &secrets {
        assert!(
            !log.contains(secret.as_str()),
            "`{secret}` leaked into the logs"
        );
    }
}
