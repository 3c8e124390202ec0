//! The `sandbox` and `buyer` commands, run as the built binary: the standalone simulator
//! prints where it listens, the buyer command plays Amazon's pages against it, and a seller
//! call sees the result. The server process is killed when the test ends, pass or fail.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use amazon_pay_conformance::sandbox::Account;
use amazon_pay_protocol::client::Client;
use amazon_pay_protocol::endpoint::Endpoint;
use amazon_pay_protocol::v1::{self, Environment, Region};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_amazon-pay-conformance");

/// Kills the server however the test ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `sandbox --port 0 …` and returns it with its base URL, read from the first line.
fn start(args: &[&str]) -> (Server, String) {
    let mut child = Command::new(BIN)
        .arg("sandbox")
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run the binary");
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut first = String::new();
    let mut stdout = BufReader::new(stdout);
    stdout.read_line(&mut first).unwrap();
    // Keep reading: a closed pipe would kill the server at its next line.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:") || w.starts_with("https://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_owned();
    (server, url)
}

/// Runs `buyer …` against the server and returns its JSON output.
fn buyer(url: &str, args: &[&str]) -> Value {
    let output = Command::new(BIN)
        .args(["buyer", "create", "--sandbox", url])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[tokio::test]
async fn the_standalone_simulator_and_the_buyer_command() {
    let (_server, url) = start(&["--frozen-clock", "2026-01-15T09:00:00Z", "--seed", "7"]);

    let clock: Value = reqwest::get(format!("{url}/__sandbox/clock"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(clock["now"], "2026-01-15T09:00:00Z");
    assert_eq!(clock["frozen"], true);

    let created = buyer(&url, &["--no-consent"]);
    let ba = created["amazon_billing_agreement_id"].as_str().unwrap();
    let order = buyer(&url, &["--order-reference"]);
    assert!(
        order["amazon_order_reference_id"]
            .as_str()
            .is_some_and(|id| id.starts_with("S01-"))
    );

    // The seller sees the Draft the buyer left, with the missing consent as a constraint.
    let address = url.trim_start_matches("http://");
    let client = Client::builder(
        Account::builtin(Region::Jp).credentials(),
        Endpoint::loopback_http(address, Environment::Sandbox).unwrap(),
    )
    .build()
    .unwrap();
    let details = common::agreement_details(&client, ba).await;
    assert_eq!(
        details.billing_agreement_status.state,
        v1::BillingAgreementState::Draft
    );
    let constraints: Vec<_> = details
        .constraints
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.constraint_id)
        .collect();
    assert!(
        constraints.contains(&v1::ConstraintId::BuyerConsentNotSet),
        "{constraints:?}"
    );

    // A bad option is refused by the command line, before any request.
    let refused = Command::new(BIN)
        .args(["sandbox", "--frozen-clock", "yesterday"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("yesterday"));
}

#[tokio::test]
async fn the_standalone_simulator_over_https() {
    let dir = std::env::temp_dir().join(format!("amazon-pay-cli-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.pem");
    let (_server, url) = start(&["--tls", "--tls-ca-out", ca.to_str().unwrap()]);
    assert!(url.starts_with("https://"), "{url}");
    let pem = std::fs::read(&ca).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .build()
        .unwrap();
    let answer = client
        .get(format!("{url}/__sandbox/clock"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);

    // The CA file goes with --tls only.
    let refused = Command::new(BIN)
        .args(["sandbox", "--tls-ca-out", "ca.pem"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
}
