//! `--state FILE`: a request is answered with success only once its change is written. While
//! another process holds the database, requests (the buyer's too) answer 500 and change
//! nothing, in memory or on disk; a second simulator on the same file is refused.

mod common;

use std::sync::mpsc;
use std::time::Duration;

use amazon_pay_conformance::sandbox::{Sandbox, SandboxError};
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
    let (dir, config) = common::with_state_file("sandbox-durable");
    let file = dir.join("state.sqlite");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_written_together_are_each_durable_once_answered() {
    use amazon_pay_protocol::client::Client;
    use amazon_pay_protocol::v1::{Environment, Region};

    let (dir, config) = common::with_state_file("sandbox-group");
    let sandbox = Sandbox::start(config.clone()).await.unwrap();
    let client = Client::builder(
        sandbox.account(Region::Jp).unwrap().credentials(),
        sandbox.endpoint(Environment::Sandbox),
    )
    .build()
    .unwrap();
    let ba = common::confirmed_agreement(&sandbox, &client).await;

    // 24 authorizations at once, 8 in flight: the journal writes several per transaction.
    let charges = futures_util::future::join_all((0..24).map(|i| {
        let (client, ba) = (client.clone(), ba.clone());
        async move { common::charge_now(&client, &ba, &format!("group-{i}"), 10).await }
    }));
    let ids: Vec<String> = charges
        .await
        .into_iter()
        .map(|a| a.amazon_authorization_id.to_string())
        .collect();
    // In the file as soon as answered (read by another connection, while the simulator runs).
    let file = rusqlite::Connection::open(dir.join("state.sqlite")).unwrap();
    for id in &ids {
        let rows: i64 = file
            .query_row(
                "SELECT COUNT(*) FROM state_rows WHERE kind = 'authorization' AND id = ?1",
                [id],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(rows, 1, "{id}");
    }
    sandbox.shutdown().await;

    let restarted = Sandbox::start(config).await.unwrap();
    let stored = restarted.inspect(|w| {
        ids.iter()
            .filter(|id| w.v1.authorizations.contains_key(id.as_str()))
            .count()
    });
    assert_eq!(stored, ids.len(), "every authorization answered is on disk");
    let (status, body) = call_raw(
        &restarted,
        "GetAuthorizationDetails",
        &[("AmazonAuthorizationId", &ids[23])],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    restarted.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
}
