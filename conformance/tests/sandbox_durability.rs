//! `--state FILE`: a request is answered with success only once its change is written. While
//! another process holds the database, requests (the buyer's too) answer 500 and change
//! nothing, in memory or on disk; a second simulator on the same file is refused.

mod common;

use std::sync::mpsc;
use std::time::Duration;

use amazon_pay_conformance::sandbox::{Sandbox, SandboxConfig, SandboxError};
use common::{call_raw, error_code};

/// Holds an exclusive transaction on the database until told to let go.
fn hold_database(file: std::path::PathBuf) -> (mpsc::Sender<()>, std::thread::JoinHandle<()>) {
    let (locked_tx, locked_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let connection = rusqlite::Connection::open(file).unwrap();
        connection.execute_batch("BEGIN EXCLUSIVE").unwrap();
        locked_tx.send(()).unwrap();
        let _ = release_rx.recv_timeout(Duration::from_secs(30));
        connection.execute_batch("ROLLBACK").unwrap();
    });
    locked_rx.recv_timeout(Duration::from_secs(10)).unwrap();
    (release_tx, holder)
}

async fn agreement_state(sandbox: &Sandbox, ba: &str) -> String {
    let (status, body) = call_raw(
        sandbox,
        "GetBillingAgreementDetails",
        &[("AmazonBillingAgreementId", ba)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    amazon_pay_protocol::v1::GetBillingAgreementDetailsResponse::from_xml(body.as_bytes())
        .unwrap()
        .result
        .billing_agreement_details
        .billing_agreement_status
        .state
        .as_str()
        .to_owned()
}

#[tokio::test]
async fn a_change_that_cannot_be_saved_is_answered_500_and_undone() {
    let dir = std::env::temp_dir().join(format!(
        "sandbox-durable-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.sqlite");
    let config = SandboxConfig {
        state_file: Some(file.clone()),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config.clone()).await.unwrap();
    let second = Sandbox::start(config.clone()).await;
    assert!(
        matches!(second, Err(SandboxError::Store(_))),
        "a second simulator on the same state file is refused"
    );
    let (ba, _) = sandbox
        .buyer_creates_billing_agreement(amazon_pay_protocol::v1::Region::Jp, &Default::default())
        .unwrap();

    let (release, holder) = hold_database(file.clone());
    let (status, body) = call_raw(
        &sandbox,
        "ConfirmBillingAgreement",
        &[("AmazonBillingAgreementId", &ba)],
    )
    .await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (500, "InternalServerError"),
        "{body}"
    );
    let buyer = reqwest::Client::new()
        .post(format!(
            "{}/__sandbox/buyer/billing-agreements",
            sandbox.base_url()
        ))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(buyer.status().as_u16(), 500, "the buyer's side too");
    release.send(()).unwrap();
    holder.join().unwrap();

    assert_eq!(
        agreement_state(&sandbox, &ba).await,
        "Draft",
        "undone in memory"
    );
    assert_eq!(sandbox.inspect(|w| w.v1.billing_agreements.len()), 1);
    sandbox.shutdown().await;
    let restarted = Sandbox::start(config).await.unwrap();
    assert_eq!(
        agreement_state(&restarted, &ba).await,
        "Draft",
        "and on disk"
    );
    let (status, body) = call_raw(
        &restarted,
        "ConfirmBillingAgreement",
        &[("AmazonBillingAgreementId", &ba)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(agreement_state(&restarted, &ba).await, "Open");
    restarted.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
}
