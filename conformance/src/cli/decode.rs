//! `amazon-pay-conformance decode` (being written).

use super::CliResult;

#[derive(clap::Args)]
pub struct DecodeArgs {}

pub fn run(_args: DecodeArgs) -> CliResult {
    Err("not implemented yet".into())
}
