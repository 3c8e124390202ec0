//! `amazon-pay-conformance load`: a bounded load test of the simulator over loopback. Each
//! request is built, signed, sent, verified by the simulator (HMAC, constant-time compare),
//! applied, rendered and parsed back: the full path a user's call takes. Prints requests per
//! second and latency percentiles.
//!
//! `--baseline` runs the same load client, in the same process and run, against a bare axum
//! handler that answers each Action with a fixed document (the public SDK fixtures), and
//! prints both and their ratio: what the simulator costs beyond HTTP, signing and parsing.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::{Client, RetryPolicy};
use amazon_pay_protocol::endpoint::Endpoint;
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
    /// Keep the simulator's state in this SQLite file instead of memory.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Also run the same load against a bare axum handler with fixed answers, and print the
    /// simulator's throughput as a fraction of it.
    #[arg(long)]
    baseline: bool,
}

/// The fixed answers of the baseline server (embedded, so the binary runs anywhere).
const GET_ANSWER: &str =
    include_str!("../../../fixtures/v1/amazon-pay-sdk-java/GetBillingAgreementDetailsResponse.xml");
const AUTHORIZE_ANSWER: &str = include_str!(
    "../../../fixtures/v1/amazon-pay-sdk-java/AuthorizeOnBillingAgreementResponse.xml"
);

/// What one run measured.
struct Stats {
    latencies: Vec<Duration>,
    elapsed: Duration,
    errors: u64,
}

impl Stats {
    fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Duration {
        let last = self.latencies.len().saturating_sub(1);
        let at = ((self.latencies.len() as f64 * p) as usize).min(last);
        self.latencies.get(at).copied().unwrap_or_default()
    }

    fn print(&self, target: &str, args: &LoadArgs) {
        println!(
            "{target}: {} signed requests ({} concurrent, every {}th an authorization) in {:.2} s: {:.0} req/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {} errors",
            self.latencies.len(),
            args.concurrency,
            args.authorize_every,
            self.elapsed.as_secs_f64(),
            self.per_second(),
            ms(self.percentile(0.50)),
            ms(self.percentile(0.99)),
            ms(self.percentile(1.0)),
            self.errors
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn run(args: LoadArgs) -> CliResult {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let simulator = against_simulator(&args).await?;
        let label = match &args.state {
            Some(path) => format!("simulator (state in {})", path.display()),
            None => "simulator (in memory)".to_owned(),
        };
        simulator.print(&label, &args);
        let mut errors = simulator.errors;
        if args.baseline {
            let baseline = against_baseline(&args).await?;
            baseline.print("baseline (bare axum, fixed answers)", &args);
            println!(
                "simulator / baseline throughput: {:.2}",
                simulator.per_second() / baseline.per_second()
            );
            errors += baseline.errors;
        }
        Ok::<_, Box<dyn std::error::Error>>(if errors == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}

async fn against_simulator(args: &LoadArgs) -> Result<Stats, Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start(SandboxConfig {
        state_file: args.state.clone(),
        ..SandboxConfig::default()
    })
    .await?;
    let account = sandbox.account(Region::Jp).ok_or("no JP account")?.clone();
    let client = client(
        account.credentials(),
        sandbox.endpoint(Environment::Sandbox),
    )?;
    // One agreement per worker, confirmed, so authorizations are legal.
    let mut agreements = Vec::new();
    for _ in 0..args.concurrency {
        let (id, _) =
            sandbox.buyer_creates_billing_agreement(Region::Jp, &BuyerChoices::default())?;
        client
            .confirm_billing_agreement(
                &v1::ConfirmBillingAgreementRequest::builder()
                    .amazon_billing_agreement_id(id.as_str())
                    .build()?,
            )
            .await?;
        agreements.push(id.as_str().to_owned());
    }
    let stats = drive(&client, agreements, args).await?;
    sandbox.shutdown().await;
    Ok(stats)
}

async fn against_baseline(args: &LoadArgs) -> Result<Stats, Box<dyn std::error::Error>> {
    let app = axum::Router::new().fallback(|body: String| async move {
        // The Action is all the bare handler reads: no signature check, no state.
        if body.contains("Action=AuthorizeOnBillingAgreement&") {
            AUTHORIZE_ANSWER
        } else {
            GET_ANSWER
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let endpoint = Endpoint::loopback_http(&addr.to_string(), Environment::Sandbox)?;
    let credentials = amazon_pay_protocol::credentials::Credentials::new(
        "AKIABASELINE",
        amazon_pay_protocol::credentials::SecretKey::new("baseline-secret"),
        "A1BASELINE",
    );
    let client = client(credentials, endpoint)?;
    let agreements = (0..args.concurrency)
        .map(|w| format!("C01-0000000-{w:07}"))
        .collect();
    let stats = drive(&client, agreements, args).await?;
    server.abort();
    Ok(stats)
}

fn client(
    credentials: amazon_pay_protocol::credentials::Credentials,
    endpoint: Endpoint,
) -> Result<Client, Box<dyn std::error::Error>> {
    Ok(Client::builder(credentials, endpoint)
        .retry_policy(RetryPolicy::none())
        .build()?)
}

/// Runs `args.requests` calls, one worker per agreement, and collects their latencies.
async fn drive(
    client: &Client,
    agreements: Vec<String>,
    args: &LoadArgs,
) -> Result<Stats, Box<dyn std::error::Error>> {
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
                    client
                        .authorize_on_billing_agreement(&request)
                        .await
                        .is_ok()
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
    Ok(Stats {
        latencies,
        elapsed,
        errors,
    })
}
