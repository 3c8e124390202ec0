//! `amazon-pay-conformance ipn verify FILE --cert PEM --at TIME`: verifies an SNS notification
//! body with a local certificate (served for the message's SigningCertURL once that URL passes
//! the rules) and prints the verdict and the typed notification. Exit 0 valid, 1 rejected.

use std::path::PathBuf;
use std::process::ExitCode;

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::ipn::{Notification, SnsEnvelope, StaticCertificates, verify};

use super::CliResult;

#[derive(clap::Subcommand)]
pub enum IpnCommand {
    /// Verify a notification body and print it typed.
    Verify {
        /// The HTTP POST body (JSON).
        file: PathBuf,
        /// The signing certificate (PEM).
        #[arg(long)]
        cert: PathBuf,
        /// The time to check the certificate's validity at (default: now).
        #[arg(long)]
        at: Option<String>,
    },
}

pub fn run(command: IpnCommand) -> CliResult {
    let IpnCommand::Verify { file, cert, at } = command;
    let read = |p: &PathBuf| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let body = read(&file)?;
    let pem = String::from_utf8(read(&cert)?)?;
    let at = match at {
        Some(text) => Timestamp::parse(&text)?,
        None => {
            amazon_pay_protocol::endpoint::Clock::now(&amazon_pay_protocol::endpoint::SystemClock)
        }
    };
    let envelope = SnsEnvelope::parse(&body)?;
    if let Err(reason) = verify(&envelope, &StaticCertificates::for_any_url(pem), at) {
        println!(
            "{}",
            serde_json::json!({ "valid": false, "reason": reason.to_string() })
        );
        return Ok(ExitCode::from(1));
    }
    let (message, notification) = Notification::parse(&envelope)?;
    let out =
        serde_json::json!({ "valid": true, "message": message, "notification": notification });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(ExitCode::SUCCESS)
}
