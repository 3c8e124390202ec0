//! `amazon-pay-conformance`: with no subcommand, runs the conformance suite (every signing vector
//! and every scenario against the embedded simulator). Subcommands expose the pieces (the
//! simulator itself, the buyer's side, signing, decoding, IPN verification) for debugging and
//! for other languages' SDKs.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use amazon_pay_conformance::cli;

/// The simulator allocates for every request it serves; mimalloc does that in less CPU than
/// the system allocator (ARCHITECTURE.md, the load test).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "amazon-pay-conformance", version, about)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    suite: cli::suite::SuiteArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Run the local sandbox simulator until interrupted.
    Sandbox(cli::sandbox::SandboxArgs),
    /// Play the buyer's side against a running simulator.
    #[command(subcommand)]
    Buyer(cli::buyer::BuyerCommand),
    /// Measure signed requests per second and latency against the embedded simulator.
    Load(cli::load::LoadArgs),
    /// Sign a request read as JSON on stdin and print what was signed as JSON: v1 in the
    /// shape of the oracle's v1_sign.py, v2 (an object with url_fragment) in that of
    /// v2_canonical.js.
    Sign(cli::sign::SignArgs),
    /// Decode a response body of an operation into its typed form, printed as JSON.
    Decode(cli::decode::DecodeArgs),
    /// Instant Payment Notifications.
    #[command(subcommand)]
    Ipn(cli::ipn::IpnCommand),
}

fn main() -> ExitCode {
    // Logs only when asked (RUST_LOG=amazon_pay=debug, ...): the suite's expected errors would
    // otherwise drown the table. The client's output is redacted either way.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let result = match args.command {
        Some(Command::Sign(a)) => cli::sign::run(a),
        Some(Command::Decode(a)) => cli::decode::run(a),
        Some(Command::Ipn(c)) => cli::ipn::run(c),
        Some(Command::Sandbox(a)) => cli::sandbox::run(a),
        Some(Command::Buyer(c)) => cli::buyer::run(c),
        Some(Command::Load(a)) => cli::load::run(a),
        None => cli::suite::run(args.suite),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
