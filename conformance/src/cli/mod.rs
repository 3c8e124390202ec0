//! The command-line interface, one module per subcommand.

use std::process::ExitCode;

pub mod decode;
pub mod ipn;
pub mod sign;

/// The error type of every subcommand: a message for the user.
pub type CliResult = Result<ExitCode, Box<dyn std::error::Error>>;

/// Lists the spec's operations (the default until the conformance runner exists).
pub fn list_operations() -> CliResult {
    for op in amazon_pay_protocol::v1::OPERATIONS {
        println!("{:<40} {:?}", op.action, op.safety);
    }
    Ok(ExitCode::SUCCESS)
}
