//! The speed goals as paired ratios: each routine is timed in turn with its baseline, block
//! after block, and the ratio is taken within each round.
//!
//! Criterion times one function after another, seconds apart, so on a machine whose speed
//! drifts (a shared VM) the drift lands in the ratio of two of its estimates: between runs
//! of `--bench parse` the same ratio has moved by more than its goal's margin. Here the two
//! blocks of a round are a few milliseconds apart and take turns going first, so a change of
//! speed slower than that moves both alike and cancels out of their ratio. The median of the
//! rounds is the figure; the quartiles show how far the rest spread.
//!
//! What pairing cannot remove is what the machine's state does to the ratio itself: with the
//! other core busy, the typed parse (allocations, branches, more memory touched) slows down
//! more than the HMAC's straight-line rounds, and on a shared 2-core VM the medians of whole
//! runs have moved by a quarter over a day. Compare runs taken close together.
//!
//! `cargo bench -p amazon-pay-protocol --bench paired [-- FILTER]` runs every pair whose name
//! contains FILTER. It prints ratios and asserts nothing.

#[path = "workloads/parse.rs"]
mod parse;
#[path = "workloads/sign.rs"]
mod sign;

use amazon_pay_protocol::error::ErrorDocument;
use amazon_pay_protocol::v1::{GetBillingAgreementDetailsResponse, ListOrderReferenceResponse};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Rounds per pair: odd, so that the median is one of them.
const ROUNDS: usize = 301;
/// How long one block of calls should take, so that the clock's resolution and the loop
/// around the calls are lost in it.
const BLOCK: Duration = Duration::from_millis(1);

/// A routine, its baseline, and the most their ratio should be (the project's speed targets),
/// where one is set.
struct Pair<'a> {
    name: &'static str,
    goal: Option<f64>,
    routine: Box<dyn FnMut() + 'a>,
    baseline: Box<dyn FnMut() + 'a>,
}

/// A pair whose two routines' results are kept from the optimizer.
fn pair<'a, A, B>(
    name: &'static str,
    goal: Option<f64>,
    routine: impl Fn() -> A + 'a,
    baseline: impl Fn() -> B + 'a,
) -> Pair<'a> {
    Pair {
        name,
        goal,
        routine: Box::new(move || {
            black_box(routine());
        }),
        baseline: Box::new(move || {
            black_box(baseline());
        }),
    }
}

fn main() {
    // `cargo bench` passes `--bench` (and whatever follows `--`) to every target.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let signing = sign::Signing::new();
    let list_1000 = parse::large_list(1000);
    let (body, list, error) = (parse::BODY, parse::LIST.as_bytes(), parse::ERROR);
    let agreement = || GetBillingAgreementDetailsResponse::from_xml(black_box(body)).unwrap();
    let pairs = [
        pair(
            "parse/get_billing_agreement_details ÷ quick_xml_events",
            Some(1.5),
            agreement,
            || parse::events(black_box(body)),
        ),
        // Stricter than the target's baseline: the events are not even copied out.
        pair(
            "parse/get_billing_agreement_details ÷ quick_xml_events_borrowed",
            None,
            agreement,
            || parse::events_borrowed(black_box(body)),
        ),
        pair(
            "parse/list_order_reference ÷ list_order_reference_events",
            Some(1.5),
            || ListOrderReferenceResponse::from_xml(black_box(list)).unwrap(),
            || parse::events(black_box(list)),
        ),
        // Where the list's gap comes from: the texts it owns, or the reader itself.
        pair(
            "parse/list_order_reference ÷ list_owned_texts",
            None,
            || ListOrderReferenceResponse::from_xml(black_box(list)).unwrap(),
            || parse::owned_texts(black_box(list)),
        ),
        pair(
            "list_owned_texts ÷ list_order_reference_events",
            None,
            || parse::owned_texts(black_box(list)),
            || parse::events(black_box(list)),
        ),
        pair(
            "parse/error_document ÷ error_document_events",
            Some(1.5),
            || ErrorDocument::from_xml(black_box(error)).unwrap(),
            || parse::events(black_box(error)),
        ),
        pair(
            "parse_large_list/typed/1000 ÷ events/1000",
            Some(1.5),
            || ListOrderReferenceResponse::from_xml(black_box(list_1000.as_bytes())).unwrap(),
            || parse::events(black_box(list_1000.as_bytes())),
        ),
        pair(
            "sign/sign_prebuilt ÷ hmac_only",
            Some(1.3),
            || signing.sign_prebuilt(),
            || signing.hmac_only(),
        ),
        pair(
            "sign/authorize_on_billing_agreement ÷ hmac_only",
            Some(1.5),
            || signing.build_and_sign(),
            || signing.hmac_only(),
        ),
    ];
    println!("{ROUNDS} rounds a pair; ratio of the time per call, median [quartiles]");
    for mut pair in pairs {
        if filter
            .as_ref()
            .is_some_and(|f| !pair.name.contains(f.as_str()))
        {
            continue;
        }
        let ratios = measure(&mut pair);
        let [low, median, high] = [0.25, 0.5, 0.75].map(|q| quantile(&ratios, q));
        let verdict = match pair.goal {
            Some(goal) if median <= goal => format!("goal ≤ {goal}: met"),
            Some(goal) => format!("goal ≤ {goal}: not met"),
            None => String::new(),
        };
        println!(
            "{:<66} {median:.3} [{low:.3}–{high:.3}]  {verdict}",
            pair.name
        );
    }
}

/// The sorted ratios of the rounds, each the routine's time per call over the baseline's.
fn measure(pair: &mut Pair<'_>) -> Vec<f64> {
    // Finding the block sizes also warms both up.
    let routine_calls = calls_per_block(&mut pair.routine);
    let baseline_calls = calls_per_block(&mut pair.baseline);
    let mut ratios: Vec<f64> = (0..ROUNDS)
        .map(|round| {
            let (routine, baseline) = if round % 2 == 0 {
                let r = time(&mut pair.routine, routine_calls);
                (r, time(&mut pair.baseline, baseline_calls))
            } else {
                let b = time(&mut pair.baseline, baseline_calls);
                (time(&mut pair.routine, routine_calls), b)
            };
            (routine.as_secs_f64() / routine_calls as f64)
                / (baseline.as_secs_f64() / baseline_calls as f64)
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios
}

/// The number of calls, a power of two, that takes at least [`BLOCK`].
fn calls_per_block(f: &mut dyn FnMut()) -> u32 {
    let mut calls = 1;
    while time(f, calls) < BLOCK && calls < 1 << 24 {
        calls *= 2;
    }
    calls
}

fn time(f: &mut dyn FnMut(), calls: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..calls {
        f();
    }
    start.elapsed()
}

/// The `q` quantile of sorted `values`, the nearest rank.
fn quantile(values: &[f64], q: f64) -> f64 {
    let rank = ((values.len() - 1) as f64 * q).round() as usize;
    values[rank]
}
