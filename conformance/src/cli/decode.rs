//! `amazon-pay-conformance decode <Action> FILE`: prints a response body's typed form as JSON.
//! An `ErrorResponse` is printed as the typed error and the command exits 1.

use std::path::PathBuf;
use std::process::ExitCode;

use amazon_pay_protocol::error::ErrorDocument;
use amazon_pay_protocol::v1::AnyResponse;

use super::CliResult;

#[derive(clap::Args)]
pub struct DecodeArgs {
    /// The operation whose response this is, e.g. GetBillingAgreementDetails.
    action: String,
    /// The response body (XML).
    file: PathBuf,
}

pub fn run(args: DecodeArgs) -> CliResult {
    let body = std::fs::read(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    if amazon_pay_protocol::xml::root_name(&body).as_deref() == Some("ErrorResponse") {
        let error = ErrorDocument::from_xml(&body)?;
        println!("{}", serde_json::to_string_pretty(&error)?);
        return Ok(ExitCode::from(1));
    }
    let response = AnyResponse::parse(&args.action, &body)?;
    println!("{}", serde_json::to_string_pretty(&response)?);
    Ok(ExitCode::SUCCESS)
}
