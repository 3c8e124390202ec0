//! `amazon-pay-conformance sandbox`: the simulator as a standalone server. It prints where it
//! listens and the built-in test accounts: the v1 sellers' keys and secrets, and for each v2
//! merchant its ids, its three public key ids and a file with its private key, so any SDK can
//! sign for them.

use std::path::PathBuf;
use std::process::ExitCode;

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::v1::Region;
use amazon_pay_protocol::v2;

use crate::sandbox::{Faults, Merchant, Sandbox, SandboxConfig};

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
    /// Where the v2 merchants' test private keys are written (PEM, one file per region,
    /// `amazon-pay-sandbox-PORT-REGION-private.pem`); default the system's temporary directory.
    #[arg(long)]
    keys_dir: Option<PathBuf>,
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
        let port = sandbox.addr().port();
        // Written before the address is printed: whoever reads that line can use the files.
        let ca_file = match sandbox.ca_certificate_pem() {
            Some(pem) => Some(write_file(
                args.tls_ca_out.unwrap_or_else(|| temp_file(port, "ca")),
                pem,
            )?),
            None => None,
        };
        let keys_dir = args.keys_dir.unwrap_or_else(std::env::temp_dir);
        let mut merchants = Vec::new();
        for region in v2::Region::ALL {
            if let Some(m) = sandbox.merchant(*region) {
                let name = format!("amazon-pay-sandbox-{port}-{}-private.pem", region.code());
                merchants.push((m, write_file(keys_dir.join(name), m.private_key_pem)?));
            }
        }
        let base = sandbox.base_url();
        println!("Amazon Pay sandbox simulator (v1 and v2) listening on {base}");
        if let Some(path) = ca_file {
            println!("  TLS: trust the CA certificate in {} (e.g. NODE_EXTRA_CA_CERTS)", path.display());
        }
        println!("  v1 API: POST {base}/OffAmazonPayments_Sandbox/2013-01-01 (and /OffAmazonPayments/2013-01-01)");
        for region in Region::ALL {
            if let Some(a) = sandbox.account(*region) {
                // The built-in accounts' secrets are public: they only open this simulator.
                println!(
                    "  v1 {region}: AWSAccessKeyId={} SellerId={} secret key={}",
                    a.access_key_id,
                    a.seller_id,
                    crate::sandbox::Account::builtin_secret(*region)
                );
            }
        }
        println!("  v2 API: {base}/v2/... (SANDBOX-/LIVE- key ids), {base}/sandbox/v2/... and /live/v2/... (legacy key ids)");
        for (merchant, key_file) in merchants {
            print_merchant(merchant, &key_file);
        }
        println!("  the keys and secrets above are test-only: they open nothing but this simulator");
        println!("  test endpoints under {base}/__sandbox/ (buyer, v2/buyer, clock, faults, ipn); Ctrl-C stops");
        tokio::signal::ctrl_c().await?;
        sandbox.shutdown().await;
        Ok::<_, Box<dyn std::error::Error>>(ExitCode::SUCCESS)
    })
}

fn print_merchant(m: &Merchant, key_file: &std::path::Path) {
    println!(
        "  v2 {}: merchant id={} store id={} public key ids={} (legacy), {}, {}; test private key={}",
        m.region,
        m.merchant_id,
        m.store_id,
        m.legacy_key_id,
        m.sandbox_key_id,
        m.live_key_id,
        key_file.display()
    );
}

/// `amazon-pay-sandbox-PORT-WHAT.pem` in the temporary directory.
fn temp_file(port: u16, what: &str) -> PathBuf {
    std::env::temp_dir().join(format!("amazon-pay-sandbox-{port}-{what}.pem"))
}

/// Writes `contents` to `path`; returns the path.
fn write_file(path: PathBuf, contents: &str) -> Result<PathBuf, String> {
    std::fs::write(&path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}
