//! `amazon-pay-conformance load`: a bounded load test of the simulator over loopback. Each
//! request is built, signed, sent, verified by the simulator (HMAC, constant-time compare),
//! applied, rendered and parsed back: the full path a user's call takes. Prints requests per
//! second and latency percentiles.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::{Client, RetryPolicy};
use amazon_pay_protocol::v1::{self, Environment, Region};

use crate::sandbox::{BuyerChoices, Sandbox, SandboxConfig};

use super::CliResult;

#[derive(clap::Args)]
pub struct LoadArgs {
    /// Requests in all (bounded: at most 200,000).
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u64).range(1..=200_000))]
    requests: u64,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=256))]
    concurrency: u64,
    /// Every Nth request is an AuthorizeOnBillingAgreement (JPY 1, a new reference id); the
    /// others are GetBillingAgreementDetails. 0: reads only.
    #[arg(long, default_value_t = 4)]
    authorize_every: u64,
}

pub fn run(args: LoadArgs) -> CliResult {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let sandbox = Sandbox::start(SandboxConfig::default()).await?;
        let account = sandbox.account(Region::Jp).ok_or("no JP account")?.clone();
        let client = Client::builder(account.credentials(), sandbox.endpoint(Environment::Sandbox))
            .retry_policy(RetryPolicy::none())
            .build()?;
        // One agreement per worker, confirmed, so authorizations are legal.
        let mut agreements = Vec::new();
        for _ in 0..args.concurrency {
            let (id, _) = sandbox.buyer_creates_billing_agreement(Region::Jp, &BuyerChoices::default())?;
            client
                .confirm_billing_agreement(
                    &v1::ConfirmBillingAgreementRequest::builder()
                        .amazon_billing_agreement_id(id.as_str())
                        .build()?,
                )
                .await?;
            agreements.push(id);
        }
        let per_worker = args.requests / args.concurrency;
        let started = Instant::now();
        let mut workers = Vec::new();
        for (w, agreement) in agreements.into_iter().enumerate() {
            let client = client.clone();
            let every = args.authorize_every;
            workers.push(tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_worker as usize);
                let mut errors = 0u64;
                let get = v1::GetBillingAgreementDetailsRequest::builder()
                    .amazon_billing_agreement_id(agreement.as_str())
                    .build()
                    .map_err(|e| e.to_string())?;
                for i in 0..per_worker {
                    let t = Instant::now();
                    let ok = if every > 0 && i % every == 0 {
                        let request = v1::AuthorizeOnBillingAgreementRequest::builder()
                            .amazon_billing_agreement_id(agreement.as_str())
                            .authorization_reference_id(format!("load-{w}-{i}"))
                            .authorization_amount(Money::jpy(1).map_err(|e| e.to_string())?)
                            .transaction_timeout(0)
                            .build()
                            .map_err(|e| e.to_string())?;
                        client.authorize_on_billing_agreement(&request).await.is_ok()
                    } else {
                        client.get_billing_agreement_details(&get).await.is_ok()
                    };
                    latencies.push(t.elapsed());
                    errors += u64::from(!ok);
                }
                Ok::<_, String>((latencies, errors))
            }));
        }
        let mut latencies: Vec<Duration> = Vec::new();
        let mut errors = 0;
        for w in workers {
            let (l, e) = w.await??;
            latencies.extend(l);
            errors += e;
        }
        let elapsed = started.elapsed();
        latencies.sort();
        let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
        println!(
            "{} signed requests ({} concurrent, every {}th an authorization) in {:.2} s: {:.0} req/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {} errors",
            latencies.len(),
            args.concurrency,
            args.authorize_every,
            elapsed.as_secs_f64(),
            latencies.len() as f64 / elapsed.as_secs_f64(),
            pct(0.50).as_secs_f64() * 1000.0,
            pct(0.99).as_secs_f64() * 1000.0,
            pct(1.0).as_secs_f64() * 1000.0,
            errors
        );
        sandbox.shutdown().await;
        Ok::<_, Box<dyn std::error::Error>>(if errors == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
    })
}
