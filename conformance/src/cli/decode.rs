//! `amazon-pay-conformance decode <OPERATION> FILE`: prints a response body's typed form as
//! JSON. A v1 Action reads the XML document; a v2 operation name (the generated
//! `v2::OPERATIONS`; no name is in both generations) reads the JSON document as that
//! operation's response type. An error document (v1 `ErrorResponse`, v2
//! `{"reasonCode", "message"}`) is printed as the typed error and the command exits 1.

use std::path::PathBuf;
use std::process::ExitCode;

use amazon_pay_protocol::error::ErrorDocument;
use amazon_pay_protocol::v2_runtime::error::ErrorDocument as V2ErrorDocument;
use amazon_pay_protocol::{v1, v2};

use super::CliResult;

#[derive(clap::Args)]
pub struct DecodeArgs {
    /// The operation whose response this is: a v1 Action (GetBillingAgreementDetails) or a v2
    /// operation (GetChargePermission).
    action: String,
    /// The response body (XML for v1, JSON for v2).
    file: PathBuf,
}

pub fn run(args: DecodeArgs) -> CliResult {
    let body = std::fs::read(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    if v2::operation(&args.action).is_some() {
        return decode_v2(&args.action, &body);
    }
    if amazon_pay_protocol::xml::root_name(&body).as_deref() == Some("ErrorResponse") {
        let error = ErrorDocument::from_xml(&body)?;
        println!("{}", serde_json::to_string_pretty(&error)?);
        return Ok(ExitCode::from(1));
    }
    let response = v1::AnyResponse::parse(&args.action, &body)?;
    println!("{}", serde_json::to_string_pretty(&response)?);
    Ok(ExitCode::SUCCESS)
}

fn decode_v2(operation: &str, body: &[u8]) -> CliResult {
    // An error body is recognised by its `reasonCode`, whatever the operation.
    if let Ok(error) = serde_json::from_slice::<V2ErrorDocument>(body) {
        println!("{}", serde_json::to_string_pretty(&error)?);
        return Ok(ExitCode::from(1));
    }
    let response = v2::AnyResponse::parse(operation, body)?;
    println!("{}", serde_json::to_string_pretty(&response)?);
    Ok(ExitCode::SUCCESS)
}
