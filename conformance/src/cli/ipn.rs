//! `amazon-pay-conformance ipn ...` (being written).

use super::CliResult;

#[derive(clap::Subcommand)]
pub enum IpnCommand {}

pub fn run(_command: IpnCommand) -> CliResult {
    Err("not implemented yet".into())
}
