//! `amazon-pay-conformance sandbox`: the simulator as a standalone server, and
//! `amazon-pay-conformance buyer ...`: the buyer's side against a running one.

use std::path::PathBuf;
use std::process::ExitCode;

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::v1::Region;
use serde_json::{Value, json};

use crate::sandbox::{Faults, Sandbox, SandboxConfig};

use super::CliResult;

#[derive(clap::Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 (0 picks a free one; the address is printed).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Keep the state in this SQLite file so it survives a restart.
    #[arg(long)]
    state: Option<PathBuf>,
    /// POST signed IPNs here.
    #[arg(long)]
    ipn_url: Option<String>,
    /// Share of requests answered 503 RequestThrottled.
    #[arg(long, default_value_t = 0.0)]
    fault_throttle: f64,
    /// Share of requests answered 500 InternalServerError.
    #[arg(long, default_value_t = 0.0)]
    fault_server_error: f64,
    /// Share of requests applied and then left without an answer (connection dropped).
    #[arg(long, default_value_t = 0.0)]
    fault_drop: f64,
    /// Enforce Amazon's documented per-operation request quotas (sandbox figures on the
    /// sandbox path): bursts beyond them are answered 503 RequestThrottled.
    #[arg(long)]
    throttle_quotas: bool,
    /// Added latency in milliseconds, `MIN,MAX`.
    #[arg(long, value_parser = parse_range, default_value = "0,0")]
    fault_latency_ms: (u64, u64),
    /// Start the clock at this time (`2026-01-15T09:00:00Z`) and move it only through
    /// `/__sandbox/clock`; with `--seed`, the same requests get the same answers every run.
    #[arg(long, value_parser = parse_time)]
    frozen_clock: Option<Timestamp>,
    /// Seed for the random-looking parts of ids and request ids.
    #[arg(long)]
    seed: Option<u64>,
    /// Leave out the test-only `/__sandbox/` endpoints (buyer, clock, faults, objects).
    #[arg(long)]
    no_control: bool,
    /// Serve https (what the official v2 SDKs speak) with a certificate made at start; its CA
    /// certificate is written to --tls-ca-out for clients to trust.
    #[arg(long)]
    tls: bool,
    /// Where --tls writes the CA certificate (PEM); default
    /// `amazon-pay-sandbox-PORT-ca.pem` in the system's temporary directory.
    #[arg(long, requires = "tls")]
    tls_ca_out: Option<PathBuf>,
}

fn parse_time(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text).map_err(|e| e.to_string())
}

fn parse_range(text: &str) -> Result<(u64, u64), String> {
    let (a, b) = text.split_once(',').ok_or("expected MIN,MAX")?;
    Ok((
        a.trim().parse().map_err(|e| format!("{e}"))?,
        b.trim().parse().map_err(|e| format!("{e}"))?,
    ))
}

pub fn run(args: SandboxArgs) -> CliResult {
    let config = SandboxConfig {
        port: args.port,
        state_file: args.state,
        ipn_url: args.ipn_url,
        throttle_quotas: args.throttle_quotas,
        frozen_clock: args.frozen_clock,
        seed: args.seed,
        control: !args.no_control,
        tls: args.tls,
        faults: Faults {
            throttle: args.fault_throttle,
            server_error: args.fault_server_error,
            drop_after_apply: args.fault_drop,
            latency_ms: args.fault_latency_ms,
            ..Faults::default()
        },
        ..SandboxConfig::default()
    };
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let sandbox = Sandbox::start(config).await?;
        // Written before the address is printed: whoever reads that line can use the file.
        let ca_file = match sandbox.ca_certificate_pem() {
            Some(pem) => Some(write_ca(args.tls_ca_out, sandbox.addr().port(), pem)?),
            None => None,
        };
        println!("Amazon Pay v1 sandbox simulator listening on {}", sandbox.base_url());
        if let Some(path) = ca_file {
            println!("  TLS: trust the CA certificate in {} (e.g. NODE_EXTRA_CA_CERTS)", path.display());
        }
        println!("  API: POST {}/OffAmazonPayments_Sandbox/2013-01-01 (and /OffAmazonPayments/2013-01-01)", sandbox.base_url());
        for region in Region::ALL {
            if let Some(a) = sandbox.account(*region) {
                // The built-in accounts' secrets are public: they only open this simulator.
                println!(
                    "  {region}: AWSAccessKeyId={} SellerId={} secret key={}",
                    a.access_key_id,
                    a.seller_id,
                    crate::sandbox::Account::builtin_secret(*region)
                );
            }
        }
        println!("  test endpoints under {}/__sandbox/ (buyer, clock, faults, ipn); Ctrl-C stops", sandbox.base_url());
        tokio::signal::ctrl_c().await?;
        sandbox.shutdown().await;
        Ok::<_, Box<dyn std::error::Error>>(ExitCode::SUCCESS)
    })
}

/// Writes the CA certificate of an https simulator where `--tls-ca-out` says, or to
/// `amazon-pay-sandbox-PORT-ca.pem` in the temporary directory; returns the path.
fn write_ca(out: Option<PathBuf>, port: u16, pem: &str) -> Result<PathBuf, String> {
    let path = out
        .unwrap_or_else(|| std::env::temp_dir().join(format!("amazon-pay-sandbox-{port}-ca.pem")));
    std::fs::write(&path, pem).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

#[derive(clap::Subcommand)]
pub enum BuyerCommand {
    /// The buyer signs in, chooses an address and a payment method and consents: a Draft
    /// billing agreement (or order reference with --order-reference) is printed as JSON.
    Create {
        /// The simulator's base URL.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        sandbox: String,
        #[arg(long, default_value = "JP")]
        region: String,
        #[arg(long)]
        order_reference: bool,
        #[arg(long)]
        no_consent: bool,
        #[arg(long)]
        no_address: bool,
        /// valid, declining or none.
        #[arg(long, default_value = "valid")]
        payment_method: String,
    },
    /// The buyer updates the payment method of an agreement or order reference.
    UpdatePaymentMethod {
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        sandbox: String,
        #[arg(long, default_value = "JP")]
        region: String,
        id: String,
        #[arg(long, default_value = "valid")]
        payment_method: String,
    },
}

pub fn buyer(command: BuyerCommand) -> CliResult {
    let (url, body) = match command {
        BuyerCommand::Create {
            sandbox,
            region,
            order_reference,
            no_consent,
            no_address,
            payment_method,
        } => {
            let kind = if order_reference {
                "order-references"
            } else {
                "billing-agreements"
            };
            (
                format!("{sandbox}/__sandbox/buyer/{kind}"),
                json!({ "region": region, "consent": !no_consent, "address": !no_address, "payment_method": payment_method }),
            )
        }
        BuyerCommand::UpdatePaymentMethod {
            sandbox,
            region,
            id,
            payment_method,
        } => (
            format!("{sandbox}/__sandbox/buyer/payment-method"),
            json!({ "id": id, "region": region, "payment_method": payment_method }),
        ),
    };
    let runtime = tokio::runtime::Runtime::new()?;
    let (status, value) = runtime.block_on(async {
        let response = reqwest::Client::new().post(&url).json(&body).send().await?;
        let status = response.status();
        let value: Value = response.json().await?;
        Ok::<_, reqwest::Error>((status, value))
    })?;
    println!("{}", serde_json::to_string_pretty(&value)?);
    Ok(if status.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
