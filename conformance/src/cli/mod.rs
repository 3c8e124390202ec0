//! The command-line interface, one module per subcommand.

use std::process::ExitCode;

pub mod buyer;
pub mod decode;
pub mod ipn;
pub mod load;
pub mod sandbox;
pub mod sign;
pub mod suite;

/// The error type of every subcommand: a message for the user.
pub type CliResult = Result<ExitCode, Box<dyn std::error::Error>>;
