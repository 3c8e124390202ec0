//! The simulator over https (`SandboxConfig::tls`, `sandbox --tls`): the crate's own client
//! reaches it when it trusts the CA certificate made at start, and a client that does not
//! trust it is refused in the handshake.

use std::error::Error as _;

use amazon_pay_conformance::sandbox::{Sandbox, SandboxConfig};
use amazon_pay_protocol::client::{Client, ReqwestTransport};
use amazon_pay_protocol::v1::{self, Environment, Region};

async fn tls_sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig {
        tls: true,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

/// A reqwest client whose roots are the platform's plus the simulator's CA.
fn trusting(sandbox: &Sandbox) -> reqwest::Client {
    let pem = sandbox
        .ca_certificate_pem()
        .expect("a TLS simulator has a CA");
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_crate_client_calls_over_https_when_it_trusts_the_ca() {
    let sandbox = tls_sandbox().await;
    assert!(
        sandbox.base_url().starts_with("https://127.0.0.1:"),
        "{}",
        sandbox.base_url()
    );
    let endpoint = sandbox.endpoint(Environment::Sandbox);
    assert_eq!(endpoint.scheme(), "https");
    let client = Client::builder(sandbox.account(Region::Jp).unwrap().credentials(), endpoint)
        .transport(ReqwestTransport::from_client(trusting(&sandbox)))
        .build()
        .unwrap();
    let status = client
        .get_service_status(&v1::GetServiceStatusRequest::builder().build().unwrap())
        .await
        .unwrap();
    assert_eq!(status.result.status, v1::ServiceStatusValue::Green);
}

#[tokio::test]
async fn the_certificate_names_localhost_too() {
    let sandbox = tls_sandbox().await;
    let url = format!(
        "https://localhost:{}/__sandbox/clock",
        sandbox.addr().port()
    );
    let answer = trusting(&sandbox).get(url).send().await.unwrap();
    assert_eq!(answer.status(), 200);
}

#[tokio::test]
async fn a_client_that_does_not_trust_the_ca_is_refused() {
    let sandbox = tls_sandbox().await;
    let url = format!("{}/__sandbox/clock", sandbox.base_url());
    let refused = reqwest::Client::new().get(&url).send().await.unwrap_err();
    assert!(refused.is_connect(), "{refused:?}");
    let mut reasons = Vec::new();
    let mut cause = refused.source();
    while let Some(e) = cause {
        reasons.push(e.to_string());
        cause = e.source();
    }
    assert!(
        reasons.iter().any(|r| r.contains("UnknownIssuer")),
        "{reasons:?}"
    );

    // The simulator itself is fine: the same request from a client that trusts it passes.
    assert_eq!(
        trusting(&sandbox).get(&url).send().await.unwrap().status(),
        200
    );
}

#[tokio::test]
async fn plain_http_stays_the_default() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    assert!(sandbox.base_url().starts_with("http://"));
    assert!(sandbox.ca_certificate_pem().is_none());
    assert_eq!(sandbox.endpoint(Environment::Sandbox).scheme(), "http");
}
