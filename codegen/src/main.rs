//! `amazon-pay-codegen generate` writes `generated/src/gen/v1/` from `spec/v1/`;
//! `amazon-pay-codegen check` exits non-zero and prints a diff when it is stale.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "amazon-pay-codegen", about)]
struct Args {
    #[command(subcommand)]
    command: Command,
    /// The spec directory.
    #[arg(long, global = true)]
    spec: Option<PathBuf>,
    /// The output directory (`generated/src/gen/v1`).
    #[arg(long, global = true)]
    out: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the output directory.
    Generate,
    /// Fail with a diff when the output directory differs from what the spec generates.
    Check,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let spec_dir = args.spec.unwrap_or_else(amazon_pay_spec::v1_dir);
    let out = args
        .out
        .unwrap_or_else(amazon_pay_codegen::default_output_dir);
    let spec = match amazon_pay_spec::load(&spec_dir) {
        Ok(spec) => spec,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::from(2);
        }
    };
    let files = match amazon_pay_codegen::generate(
        &spec,
        "spec/v1",
        amazon_pay_codegen::Options {
            // Typed methods on `client::Client`, compiled only with the `client` feature.
            client_methods: true,
        },
    ) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match args.command {
        Command::Generate => match amazon_pay_codegen::write_all(&out, &files) {
            Ok(()) => {
                println!("wrote {} files to {}", files.len(), out.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", out.display());
                ExitCode::from(2)
            }
        },
        Command::Check => {
            let diff = amazon_pay_codegen::diff_against(&out, &files);
            if diff.is_empty() {
                println!("{} is up to date ({} files)", out.display(), files.len());
                ExitCode::SUCCESS
            } else {
                print!("{diff}");
                eprintln!(
                    "generated code is stale: run `cargo run -p amazon-pay-codegen -- generate`"
                );
                ExitCode::FAILURE
            }
        }
    }
}
