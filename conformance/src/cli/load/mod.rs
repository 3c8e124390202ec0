//! `amazon-pay-conformance load`: a bounded load test of the simulator over loopback, for both
//! API generations. Every request is built and signed before the run (v1: HMAC; v2: RSA-PSS,
//! each write with its own idempotency key or reference id), so the run times what the server
//! costs: each exchange is sending a signed request, the simulator verifying, applying and
//! answering it, and the client reading the answer into the typed result. Prints requests per
//! second and latency percentiles per generation and target.
//!
//! The simulator keeps its state in memory; `--state FILE` also measures, in the same run, a
//! second simulator keeping it in SQLite. `--baseline` runs the same client, with the same
//! requests, against a bare axum handler answering each with the simulator's own answer of its
//! kind (same status, type and bytes), and prints each simulator's throughput as a fraction of
//! it, and the baseline's CPU time per request as a fraction of the simulator's: what the
//! simulator costs beyond HTTP and reading the answer. The targets take turns, in
//! rounds, so that they share the machine's drift.

mod bare;
mod drive;
mod v1;
mod v2;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use amazon_pay_protocol::client::ReqwestTransport;
use amazon_pay_protocol::endpoint::Endpoint;
use axum::http::Method;
use rand::Rng as _;

use crate::sandbox::{Sandbox, SandboxConfig};

use super::CliResult;
use drive::{Plan, Prepared, Stats, drive, ms};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Api {
    Both,
    V1,
    V2,
}

#[derive(clap::Args)]
pub struct LoadArgs {
    /// Requests in all, per API generation and target (bounded: at most 200,000; all are
    /// signed before the run and held in memory).
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u64).range(1..=200_000))]
    requests: u64,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=256))]
    concurrency: u64,
    /// Every Nth request is an authorization of JPY 1 (v1 AuthorizeOnBillingAgreement with a
    /// new reference id; v2 Create Charge with captureNow and a new idempotency key); the
    /// others are reads (GetBillingAgreementDetails; Get Charge). 0: reads only.
    #[arg(long, default_value_t = 4)]
    authorize_every: u64,
    /// Which API generations to measure.
    #[arg(long, value_enum, default_value_t = Api::Both)]
    api: Api,
    /// Also measure, in the same run, a simulator keeping its state in this SQLite file (the
    /// run adds to it: a new file measures a fresh store).
    #[arg(long)]
    state: Option<PathBuf>,
    /// Also run the same requests against a bare axum handler answering the simulator's own
    /// answers, and print each simulator's throughput as a fraction of it.
    #[arg(long)]
    baseline: bool,
}

/// What the goal of the load test asks of a simulator (issue 13): at least half the bare
/// server's throughput, and a p99 latency under 2 ms.
const GOAL_RATIO: f64 = 0.5;
const GOAL_P99: Duration = Duration::from_millis(2);

/// One API generation's load: what it sets up on a simulator and how it signs its requests.
trait Generation: Sized {
    const NAME: &'static str;
    /// What the mix writes and reads.
    const MIX: (&'static str, &'static str);
    /// Whether a request is the mix's write (what the bare baseline reads of it).
    fn is_write(method: &Method, body: &[u8]) -> bool;
    /// Creates one object per worker to read and charge.
    async fn set_up(sandbox: &Sandbox, workers: u64) -> Result<Self, Box<dyn std::error::Error>>;
    /// Where the simulator it was set up on answers.
    fn endpoint(&self) -> &Endpoint;
    /// The same requests' endpoint at another server (the baseline).
    fn at(&self, addr: SocketAddr) -> Result<Endpoint, Box<dyn std::error::Error>>;
    /// Signs request `i` of `worker` to `endpoint`; `run` makes its reference id or
    /// idempotency key unique.
    fn request(
        &self,
        endpoint: &Endpoint,
        run: &str,
        at: (u64, u64),
        write: bool,
    ) -> Result<Prepared, Box<dyn std::error::Error>>;
}

/// What was set up for `worker` (one object each).
fn of_worker<T>(objects: &[T], worker: u64) -> Result<&T, Box<dyn std::error::Error>> {
    usize::try_from(worker)
        .ok()
        .and_then(|w| objects.get(w))
        .ok_or_else(|| format!("nothing was set up for worker {worker}").into())
}

/// Signs the requests of one run to `endpoint`, with reference ids or keys no run used before.
fn plan<G: Generation>(
    load: &G,
    endpoint: &Endpoint,
    args: &LoadArgs,
) -> Result<Plan, Box<dyn std::error::Error>> {
    let run: String = rand::thread_rng()
        .sample_iter(&rand::distributions::Alphanumeric)
        .take(8)
        .map(char::from)
        .collect();
    drive::plan(
        args.concurrency,
        args.requests,
        args.authorize_every,
        |worker, i, write| load.request(endpoint, &run, (worker, i), write),
    )
}

/// Where a simulator keeps its state.
enum Store<'a> {
    Memory,
    Sqlite(&'a std::path::Path),
}

/// What was measured.
enum Target<'a> {
    Simulator(&'a Store<'a>),
    Baseline,
}

impl Target<'_> {
    fn label(&self) -> String {
        match self {
            Target::Simulator(Store::Memory) => "simulator, state in memory".into(),
            Target::Simulator(Store::Sqlite(path)) => {
                format!("simulator, state in SQLite ({})", path.display())
            }
            Target::Baseline => "baseline: bare axum, fixed answers".into(),
        }
    }
}

struct Row<'a> {
    generation: &'static str,
    target: Target<'a>,
    stats: Stats,
}

/// Each target's requests are sent in this many rounds, the targets taking turns, so that a
/// machine whose speed drifts during the run (a shared VM's moved by 15% and more within a
/// minute here) moves every target's figures alike and the ratios compare like with like. In
/// each round the baseline follows the simulator kept in memory, never the SQLite one: the copy
/// of the state file's log into the database runs a little after that simulator's round, and
/// it slows whatever runs then; it must not be the baseline (it would flatter every ratio).
const ROUNDS: usize = 5;

/// Measures generation `G` on each simulator, and on the baseline when asked for (right after
/// the first simulator, whose first answers it sends), in turns of [`ROUNDS`].
async fn measure<'a, G: Generation>(
    simulators: &'a [(Store<'a>, Sandbox)],
    args: &LoadArgs,
    transport: &ReqwestTransport,
) -> Result<Vec<Row<'a>>, Box<dyn std::error::Error>> {
    let (write, read) = G::MIX;
    let mix = match args.authorize_every {
        0 => format!("{read} only"),
        1 => format!("{write} only"),
        n => format!("every {n}th {write}, the rest {read}"),
    };
    let mut loads = Vec::new();
    for (_, sandbox) in simulators {
        loads.push(G::set_up(sandbox, args.concurrency).await?);
    }
    let mut turns = Vec::new();
    for load in &loads {
        turns.push(
            plan(load, load.endpoint(), args)?
                .rounds(ROUNDS)
                .into_iter(),
        );
    }
    let mut measured: Vec<Stats> = loads.iter().map(|_| Stats::default()).collect();
    let mut baseline = None;
    for _ in 0..ROUNDS {
        for (number, ((stats, rounds), load)) in
            measured.iter_mut().zip(&mut turns).zip(&loads).enumerate()
        {
            if let Some(round) = rounds.next() {
                stats.add(drive(transport, round).await?);
            }
            if number != 0 || !args.baseline {
                continue;
            }
            if baseline.is_none() {
                let bare = bare::serve(&stats.answers, G::is_write).await?;
                let rounds = plan(load, &load.at(bare.addr)?, args)?.rounds(ROUNDS);
                baseline = Some((bare, rounds.into_iter(), Stats::default()));
            }
            if let Some((_, rounds, stats)) = &mut baseline
                && let Some(round) = rounds.next()
            {
                stats.add(drive(transport, round).await?);
            }
        }
    }

    let mut rows = Vec::new();
    let mut print = |target: Target<'a>, stats: Stats| {
        stats.print(
            &format!("{} {}", G::NAME, target.label()),
            &mix,
            args.concurrency,
        );
        rows.push(Row {
            generation: G::NAME,
            target,
            stats,
        });
    };
    let mut baseline = baseline.map(|(_, _, stats)| stats);
    for ((store, _), stats) in simulators.iter().zip(measured) {
        print(Target::Simulator(store), stats);
        if let Some(stats) = baseline.take() {
            print(Target::Baseline, stats);
        }
    }
    Ok(rows)
}

/// The table of every run: throughput beside the baseline's of the same generation (over the
/// whole run, and the lowest and highest of its rounds, each beside the baseline's round of the
/// same turn), p99, CPU time per request and the baseline's over it, and whether the goal is
/// met.
///
/// The CPU ratio is what the throughput ratio would be if the machine did nothing but this
/// run: the client and the server share its cores, so each request costs the CPU time it
/// takes. It moves less than the throughput ratio between runs on a shared VM, where time
/// lost to other guests counts in the throughput but not in the CPU time.
fn print_table(rows: &[Row<'_>]) {
    println!();
    println!(
        "{:<4} {:<48} {:>8} {:>10} {:>11} {:>8} {:>8} {:>12} {:>14} {:>7}  goal (≥ {GOAL_RATIO:.2}× baseline, p99 < {} ms)",
        "api",
        "target",
        "req/s",
        "×baseline",
        "rounds",
        "p50 ms",
        "p99 ms",
        "CPU µs/req",
        "CPU ×baseline",
        "errors",
        GOAL_P99.as_millis(),
    );
    for row in rows {
        let baseline = rows
            .iter()
            .find(|b| b.generation == row.generation && matches!(b.target, Target::Baseline))
            .map(|b| &b.stats);
        let ratio = baseline.map(|b| row.stats.per_second() / b.per_second());
        let rounds = match (
            &row.target,
            baseline.and_then(|b| row.stats.round_ratios(b)),
        ) {
            (Target::Baseline, _) => String::new(),
            (_, None) => "-".into(),
            (_, Some((low, high))) => format!("{low:.2}–{high:.2}"),
        };
        let cpu_ratio = match (&row.target, baseline) {
            (Target::Baseline, _) => String::new(),
            (_, None) => "-".into(),
            (_, Some(b)) => b
                .cpu_per_request()
                .zip(row.stats.cpu_per_request())
                .map_or("-".into(), |(b, r)| format!("{:.2}", b / r)),
        };
        let goal = match (&row.target, ratio) {
            (Target::Baseline, _) => "",
            (_, None) => "(no baseline: --baseline)",
            (_, Some(r)) if r >= GOAL_RATIO && row.stats.p99() < GOAL_P99 => "met",
            (_, Some(_)) => "not met",
        };
        println!(
            "{:<4} {:<48} {:>8.0} {:>10} {:>11} {:>8.2} {:>8.2} {:>12} {:>14} {:>7}  {goal}",
            row.generation,
            row.target.label(),
            row.stats.per_second(),
            ratio.map_or("-".into(), |r| format!("{r:.2}")),
            rounds,
            ms(row.stats.percentile(0.50)),
            ms(row.stats.p99()),
            row.stats
                .cpu_per_request()
                .map_or("-".into(), |us| format!("{us:.0}")),
            cpu_ratio,
            row.stats.errors,
        );
    }
}

pub fn run(args: LoadArgs) -> CliResult {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        // One simulator serves both generations, as it does for users; a second keeps its
        // state in SQLite when asked.
        let mut simulators = vec![(
            Store::Memory,
            Sandbox::start(SandboxConfig::default()).await?,
        )];
        if let Some(path) = &args.state {
            let config = SandboxConfig {
                state_file: Some(path.clone()),
                ..SandboxConfig::default()
            };
            simulators.push((Store::Sqlite(path), Sandbox::start(config).await?));
        }
        let transport = drive::transport()?;
        let mut rows = Vec::new();
        if args.api != Api::V2 {
            rows.extend(measure::<v1::Agreements>(&simulators, &args, &transport).await?);
        }
        if args.api != Api::V1 {
            rows.extend(measure::<v2::Permissions>(&simulators, &args, &transport).await?);
        }
        print_table(&rows);
        let errors: u64 = rows.iter().map(|r| r.stats.errors).sum();
        for (_, sandbox) in simulators {
            sandbox.shutdown().await;
        }
        Ok::<_, Box<dyn std::error::Error>>(if errors == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}
