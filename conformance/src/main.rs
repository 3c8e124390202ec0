//! `amazon-pay-conformance`: with no arguments, runs the conformance suite (every signing vector;
//! the sandbox scenarios join it with the simulator). Subcommands expose the pieces (signing, decoding, IPN verification) for debugging and for other languages' SDKs.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use amazon_pay_conformance::cli;

#[derive(Parser)]
#[command(name = "amazon-pay-conformance", version, about)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Sign a request read as JSON on stdin and print the canonical query, string to sign,
    /// signature and body as JSON (the input and output shape of the oracle's v1_sign.py).
    Sign(cli::sign::SignArgs),
    /// Decode a response body of an operation into its typed form, printed as JSON.
    Decode(cli::decode::DecodeArgs),
    /// Instant Payment Notifications.
    #[command(subcommand)]
    Ipn(cli::ipn::IpnCommand),
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.command {
        Some(Command::Sign(a)) => cli::sign::run(a),
        Some(Command::Decode(a)) => cli::decode::run(a),
        Some(Command::Ipn(c)) => cli::ipn::run(c),
        None => cli::suite::run(),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
