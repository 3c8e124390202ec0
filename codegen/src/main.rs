//! `amazon-pay-codegen generate` writes `generated/v1/src/gen/` and `generated/v2/src/gen/`
//! from `spec/v1/` and `spec/v2/`; `amazon-pay-codegen check` exits non-zero and prints a diff
//! when either is stale. `--spec DIR --out DIR` works on one other spec instead.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "amazon-pay-codegen", about)]
struct Args {
    #[command(subcommand)]
    command: Command,
    /// A spec directory (instead of the repository's generations; needs `--out`).
    #[arg(long, global = true, requires = "out")]
    spec: Option<PathBuf>,
    /// The output directory of `--spec`.
    #[arg(long, global = true, requires = "spec")]
    out: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the output directories.
    Generate,
    /// Fail with a diff when an output directory differs from what its spec generates.
    Check,
}

/// One spec and where its code goes.
struct Generation {
    spec: PathBuf,
    label: String,
    out: PathBuf,
    options: amazon_pay_codegen::Options,
}

fn generations(args: &Args) -> Vec<Generation> {
    if let (Some(spec), Some(out)) = (&args.spec, &args.out) {
        return vec![Generation {
            label: spec.display().to_string(),
            spec: spec.clone(),
            out: out.clone(),
            options: amazon_pay_codegen::Options {
                client_methods: false,
            },
        }];
    }
    vec![
        Generation {
            spec: amazon_pay_spec::v1_dir(),
            label: "spec/v1".to_owned(),
            out: amazon_pay_codegen::output_dir("v1"),
            // Typed methods on `client::Client`, compiled only with the `client` feature.
            options: amazon_pay_codegen::Options {
                client_methods: true,
            },
        },
        Generation {
            spec: amazon_pay_spec::v2_dir(),
            label: "spec/v2".to_owned(),
            out: amazon_pay_codegen::output_dir("v2"),
            // Typed methods on `client::v2::Client`, compiled only with the `client` feature.
            options: amazon_pay_codegen::Options {
                client_methods: true,
            },
        },
    ]
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut status = ExitCode::SUCCESS;
    for generation in generations(&args) {
        if let Err(code) = run(&args.command, &generation) {
            status = code;
        }
    }
    status
}

fn run(command: &Command, generation: &Generation) -> Result<(), ExitCode> {
    let spec = amazon_pay_spec::load(&generation.spec).map_err(|errors| {
        eprintln!("{errors}");
        ExitCode::from(2)
    })?;
    let files = amazon_pay_codegen::generate(&spec, &generation.label, generation.options)
        .map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(2)
        })?;
    let out = &generation.out;
    match command {
        Command::Generate => {
            amazon_pay_codegen::write_all(out, &files).map_err(|e| {
                eprintln!("error: cannot write {}: {e}", out.display());
                ExitCode::from(2)
            })?;
            println!("wrote {} files to {}", files.len(), out.display());
        }
        Command::Check => {
            let diff = amazon_pay_codegen::diff_against(out, &files);
            if !diff.is_empty() {
                print!("{diff}");
                eprintln!(
                    "generated code is stale: run `cargo run -p amazon-pay-codegen -- generate`"
                );
                return Err(ExitCode::FAILURE);
            }
            println!("{} is up to date ({} files)", out.display(), files.len());
        }
    }
    Ok(())
}
