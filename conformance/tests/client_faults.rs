//! The client against a failing service (issue: "a client that never charges twice"): 1,000
//! concurrent AuthorizeOnBillingAgreement calls while the simulator answers 30 % of requests
//! 503 (RequestThrottled or ServiceUnavailable), 5 % 500, drops 5 % of connections after
//! applying the request, and adds latency jitter. Bounded: 1,000 calls, a 60 s timeout.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use amazon_pay_conformance::sandbox::{Faults, Sandbox, SandboxConfig};
use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::{
    Client, ClientError, HttpRequest, ReqwestTransport, RetryPolicy, Transport, TransportFuture,
};
use amazon_pay_protocol::v1::{self, Environment, Region};

/// Counts what goes on the wire.
struct Counting {
    inner: ReqwestTransport,
    sent: Arc<AtomicU64>,
}

impl Transport for Counting {
    fn send(&self, request: HttpRequest, timeout: Duration) -> TransportFuture<'_> {
        self.sent.fetch_add(1, Ordering::Relaxed);
        self.inner.send(request, timeout)
    }
}

const CALLS: u64 = 1_000;
const AGREEMENTS: u64 = 20;

#[derive(Default, Debug)]
struct Tally {
    successes: u64,
    success_sum: i64,
    may_have_been_applied: u64,
    maybe_sum: i64,
    /// Typed errors that say the request was not applied.
    not_applied: BTreeMap<String, u64>,
    applied_ids: BTreeSet<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_charges_under_faults_never_charge_twice() {
    tokio::time::timeout(Duration::from_secs(60), run())
        .await
        .expect("bounded: 60 s");
}

async fn run() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let account = sandbox.account(Region::Jp).unwrap().clone();
    let sent = Arc::new(AtomicU64::new(0));
    let client = Client::builder(
        account.credentials(),
        sandbox.endpoint(Environment::Sandbox),
    )
    .transport(Counting {
        inner: ReqwestTransport::new(Duration::from_secs(3)).unwrap(),
        sent: sent.clone(),
    })
    .retry_policy(RetryPolicy {
        max_attempts: 4,
        base: Duration::from_millis(2),
        cap: Duration::from_millis(40),
        // The budget is exercised by its own unit tests; here every call gets its retries.
        budget: 0,
    })
    .build()
    .unwrap();

    // Agreements the buyer consented to, confirmed before the faults start.
    let mut agreements = Vec::new();
    for _ in 0..AGREEMENTS {
        agreements.push(common::confirmed_agreement(&sandbox, &client).await);
    }
    sandbox
        .set_faults(Faults {
            throttle: 0.20,
            unavailable: 0.10,
            server_error: 0.05,
            drop_after_apply: 0.05,
            latency_ms: (0, 3),
        })
        .unwrap();
    let setup_requests = sent.load(Ordering::Relaxed);

    let mut calls = Vec::new();
    for i in 0..CALLS {
        let client = client.clone();
        let agreement = agreements[(i % AGREEMENTS) as usize].clone();
        // Different amounts, all within the JPY 50,000 monthly limit of each agreement.
        let amount = 100 + (i * 37) % 900;
        calls.push(tokio::spawn(async move {
            let reference = format!("fault-{i}");
            let request = v1::AuthorizeOnBillingAgreementRequest::builder()
                .amazon_billing_agreement_id(agreement.as_str())
                .authorization_reference_id(reference.as_str())
                .authorization_amount(Money::jpy(amount as i64).unwrap())
                .transaction_timeout(0)
                .build()
                .unwrap();
            (
                reference,
                amount as i64,
                client.authorize_on_billing_agreement(&request).await,
            )
        }));
    }
    let mut tally = Tally::default();
    for call in calls {
        let (reference, amount, result) = call.await.unwrap();
        match result {
            Ok(response) => {
                assert_eq!(
                    response
                        .result
                        .authorization_details
                        .authorization_reference_id
                        .as_ref()
                        .map(|r| r.as_str()),
                    Some(reference.as_str())
                );
                tally.successes += 1;
                tally.success_sum += amount;
                tally.applied_ids.insert(reference);
            }
            Err(ClientError::MayHaveBeenApplied {
                idempotency_key, ..
            }) => {
                assert_eq!(
                    idempotency_key.as_deref(),
                    Some(reference.as_str()),
                    "the error names the id to check"
                );
                tally.may_have_been_applied += 1;
                tally.maybe_sum += amount;
                tally.applied_ids.insert(reference);
            }
            Err(e @ (ClientError::Service { .. } | ClientError::Transport { .. })) => {
                let key = match &e {
                    ClientError::Service { error, .. } => error.code.as_str().to_owned(),
                    _ => "transport".to_owned(),
                };
                assert_eq!(
                    e.attempts().len(),
                    4,
                    "gave up only after every attempt: {e}"
                );
                *tally.not_applied.entry(key).or_default() += 1;
            }
            Err(other) => panic!("unexpected error kind: {other}"),
        }
    }
    sandbox.set_faults(Faults::default()).unwrap();

    let (stored_ids, stored_sum, duplicates) = sandbox.inspect(|world| {
        let mut seen = BTreeSet::new();
        let mut duplicates = 0;
        let mut sum = 0;
        for auth in world.v1.authorizations.values() {
            let id = auth
                .details
                .authorization_reference_id
                .as_ref()
                .unwrap()
                .as_str()
                .to_owned();
            if !seen.insert(id) {
                duplicates += 1;
            }
            sum += auth
                .details
                .authorization_amount
                .as_ref()
                .unwrap()
                .minor_units();
        }
        (seen, sum, duplicates)
    });
    let requests = sent.load(Ordering::Relaxed) - setup_requests;
    let not_applied: u64 = tally.not_applied.values().sum();
    println!(
        "fault test: {CALLS} calls, {requests} requests ({} retries); {} successes, {} may-have-been-applied, {not_applied} not applied {:?}; duplicates = {duplicates}; authorized JPY {stored_sum} = successes {} + may-have-been-applied {}",
        requests - CALLS,
        tally.successes,
        tally.may_have_been_applied,
        tally.not_applied,
        tally.success_sum,
        tally.maybe_sum,
    );
    assert_eq!(duplicates, 0, "a reference id was authorized twice");
    assert_eq!(
        tally.successes + tally.may_have_been_applied + not_applied,
        CALLS
    );
    assert_eq!(
        stored_sum,
        tally.success_sum + tally.maybe_sum,
        "money moved that the client did not report"
    );
    assert_eq!(stored_ids, tally.applied_ids);
    assert!(requests > CALLS, "faults at this rate must cause retries");
    assert!(
        tally.successes > CALLS * 9 / 10,
        "retries should rescue most calls"
    );
    sandbox.shutdown().await;
}
