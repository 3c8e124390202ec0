//! `amazon-pay-conformance sign` (being written).

use super::CliResult;

#[derive(clap::Args)]
pub struct SignArgs {}

pub fn run(_args: SignArgs) -> CliResult {
    Err("not implemented yet".into())
}
