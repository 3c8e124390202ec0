//! Every scenario file passes against the embedded simulator, every file was played, and the
//! JUnit report and the redacted cassettes are written, and they equal the committed ones.

use std::collections::BTreeSet;

use amazon_pay_conformance::folder::Folder;
use amazon_pay_conformance::runner::{self, RunOptions, TargetKind, report, scenario};

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "{name}-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The scenario files of a generation's folder, by name.
fn scenario_files(generation: scenario::Generation) -> BTreeSet<String> {
    std::fs::read_dir(scenario::default_dir().join(generation.folder()))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "toml")
                .then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_passes_against_the_simulator() {
    let record = temp_dir("cassettes");
    let options = RunOptions {
        target: TargetKind::Simulator,
        scenarios: Folder::Disk(scenario::default_dir()),
        only: None,
        record: Some(record.clone()),
    };
    let outcomes = runner::run(&options).await.unwrap();
    for o in &outcomes {
        assert!(
            o.passed(),
            "{}: {:?} {:?}",
            o.name,
            o.skipped,
            o.steps
                .iter()
                .filter_map(|s| s.problem.as_ref())
                .collect::<Vec<_>>()
        );
    }
    for generation in scenario::Generation::ALL {
        let folder = generation.folder();
        let files = scenario_files(generation);
        let played: BTreeSet<String> = outcomes
            .iter()
            .filter(|o| o.generation == generation)
            .map(|o| o.name.clone())
            .collect();
        assert_eq!(played, files, "every {folder} scenario file ran");
        assert!(files.len() >= 10, "{folder}");

        // Cassettes: one per scenario, redacted.
        for name in &files {
            let text =
                std::fs::read_to_string(record.join(folder).join(format!("{name}.json"))).unwrap();
            let signature = match generation {
                scenario::Generation::V1 => "Signature=[redacted]",
                scenario::Generation::V2 => "Signature=[redacted]\"",
            };
            assert!(text.contains(signature), "{folder}/{name}");
            for secret in [
                "simulator-jp-secret-key",
                "PRIVATE KEY",
                "山田",
                "Taro Amazon",
                "Hanako",
                "@example.com",
                "03-1234-5678",
                "127.0.0.1",
            ] {
                assert!(
                    !text.contains(secret),
                    "{folder}/{name} cassette holds `{secret}`"
                );
            }
            // The simulator runs frozen and seeded, so a cassette differs from the committed
            // one only when behaviour changed: that change must be recorded and reviewed.
            let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("recordings")
                .join(folder)
                .join(format!("{name}.json"));
            assert!(
                std::fs::read_to_string(&committed).is_ok_and(|c| c == text),
                "{} is stale: re-record with `cargo run --release -p amazon-pay-conformance -- \
                 --record conformance/recordings`, then review the diff and the replay snapshots",
                committed.display()
            );
        }
    }
    let junit = record.join("junit.xml");
    report::write_junit(&junit, &[], &outcomes).unwrap();
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<testsuite name=\"scenario/v1/seed003_recurring_payments\""));
    assert!(xml.contains("<testsuite name=\"scenario/v2/setup_only\""));
    assert!(xml.contains("failures=\"0\""));
    std::fs::remove_dir_all(&record).unwrap();
}

/// Plays one scenario file of `folder` against the simulator and returns its first step's
/// problem.
async fn first_problem(folder: &str, scenario: &str) -> String {
    let dir = temp_dir("scenarios");
    std::fs::create_dir(dir.join(folder)).unwrap();
    std::fs::write(dir.join(folder).join("wrong.toml"), scenario).unwrap();
    let options = RunOptions {
        target: TargetKind::Simulator,
        scenarios: Folder::Disk(dir.clone()),
        only: None,
        record: None,
    };
    let outcomes = runner::run(&options).await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(!outcomes[0].passed());
    outcomes[0].steps[0].problem.clone().unwrap()
}

#[tokio::test]
async fn a_failing_expectation_fails_the_scenario() {
    let problem = first_problem(
        "v1",
        r#"description = "expects the wrong status"
[[step]]
name = "service status"
call = "GetServiceStatus"
expect = { Status = "RED" }
"#,
    )
    .await;
    assert!(
        problem.contains("Status = `GREEN`, expected `RED`"),
        "{problem}"
    );
}

#[tokio::test]
async fn a_failing_v2_expectation_fails_the_scenario() {
    let problem = first_problem(
        "v2",
        r#"description = "expects a session to be Completed at once"
[[step]]
name = "create"
call = "CreateCheckoutSession"
[step.body]
storeId = "${store}"
webCheckoutDetails = { checkoutReviewReturnUrl = "https://shop.example/review" }
[step.expect]
"statusDetails.state" = "Completed"
"#,
    )
    .await;
    assert!(
        problem.contains("statusDetails.state = `Open`, expected `Completed`"),
        "{problem}"
    );
}

/// `--target sandbox` is the same code path without the simulator's test endpoints: scenarios
/// that need the buyer's browser or the simulator clock are skipped with a reason, the others
/// run. Played here against the simulator's API alone, as if it were Amazon's sandbox.
#[tokio::test]
async fn without_test_endpoints_buyer_scenarios_are_skipped_and_the_rest_run() {
    use std::sync::Arc;

    use amazon_pay_conformance::runner::play::{self, Target};
    use amazon_pay_conformance::runner::play_v2::{self, Signer, V2Target};
    use amazon_pay_conformance::sandbox::{Sandbox, SandboxConfig};
    use amazon_pay_protocol::client::ReqwestTransport;
    use amazon_pay_protocol::v1::{Environment, Region};
    use amazon_pay_protocol::v2;

    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let transport = Arc::new(ReqwestTransport::new(std::time::Duration::from_secs(3)).unwrap());
    let target = Target {
        credentials: sandbox.account(Region::Jp).unwrap().credentials(),
        endpoint: sandbox.endpoint(Environment::Sandbox),
        control: None,
        transport: transport.clone(),
    };
    // As `--target sandbox` builds it: one key, no simulator.
    let merchant = sandbox.merchant(v2::Region::Jp).unwrap();
    let v2_target = V2Target {
        sandbox: Signer {
            credentials: merchant.credentials(&merchant.sandbox_key_id),
            endpoint: sandbox.v2_endpoint(&merchant.sandbox_key_id, v2::Environment::Sandbox),
        },
        legacy: None,
        store_id: merchant.store_id.clone(),
        region: "JP".to_owned(),
        control: None,
        transport,
    };
    let mut ran = Vec::new();
    for s in scenario::load_all(&scenario::embedded()).unwrap() {
        let outcome = match s.generation {
            scenario::Generation::V1 => play::play(&target, &s, "thin").await,
            scenario::Generation::V2 => play_v2::play(&v2_target, &s, "thin").await,
        };
        match &outcome.skipped {
            Some(why) => assert!(why.contains("buyer") || why.contains("clock"), "{why}"),
            None => {
                assert!(outcome.passed(), "{}: {:?}", s.name, outcome.steps);
                ran.push(s.name.clone());
            }
        }
    }
    assert_eq!(ran, ["rejected_requests", "rejected_requests"], "v1 and v2");
    sandbox.shutdown().await;
}
