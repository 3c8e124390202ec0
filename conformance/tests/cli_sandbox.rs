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
    let (server, url, _) = start_and_read(args);
    (server, url)
}

/// Starts `sandbox --port 0 …` and returns it with its base URL and every line it printed on
/// start (up to the one that says how to stop it).
fn start_and_read(args: &[&str]) -> (Server, String, Vec<String>) {
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
    let mut stdout = BufReader::new(stdout);
    let mut lines = Vec::new();
    // Bounded: the banner has a line per account and ends with the Ctrl-C line.
    while lines.len() < 50 {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let last = line.contains("Ctrl-C");
        lines.push(line.trim_end().to_owned());
        if last {
            break;
        }
    }
    // Keep reading: a closed pipe would kill the server at its next line.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let first = lines.first().cloned().unwrap_or_default();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:") || w.starts_with("https://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_owned();
    (server, url, lines)
}

/// Runs `buyer create …` against the server and returns its JSON output.
fn buyer(url: &str, args: &[&str]) -> Value {
    buyer_does("create", url, args)
}

/// Runs `buyer ACTION --sandbox URL …`, which must succeed, and returns its JSON output.
fn buyer_does(action: &str, url: &str, args: &[&str]) -> Value {
    let output = Command::new(BIN)
        .args(["buyer", action, "--sandbox", url])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[tokio::test]
async fn the_standalone_simulator_and_the_buyer_command() {
    let keys = std::env::temp_dir().join(format!("amazon-pay-cli-keys-{}", std::process::id()));
    std::fs::create_dir_all(&keys).unwrap();
    let (_server, url) = start(&[
        "--frozen-clock",
        "2026-01-15T09:00:00Z",
        "--seed",
        "7",
        "--keys-dir",
        keys.to_str().unwrap(),
    ]);
    std::fs::remove_dir_all(&keys).unwrap();

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
    let (_server, url) = start(&[
        "--tls",
        "--tls-ca-out",
        ca.to_str().unwrap(),
        "--keys-dir",
        dir.to_str().unwrap(),
    ]);
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

/// The value after `name=` in a banner line.
fn field<'a>(line: &'a str, name: &str) -> &'a str {
    let at = line
        .find(&format!(" {name}="))
        .unwrap_or_else(|| panic!("no {name} in {line:?}"));
    let rest = &line[at + name.len() + 2..];
    rest.split([' ', ',', ';']).next().unwrap()
}

#[tokio::test]
async fn the_v2_merchants_are_printed_and_the_buyer_command_plays_amazons_pages_over_https() {
    use amazon_pay_conformance::sandbox::Accounts;
    use amazon_pay_protocol::client::ReqwestTransport;
    use amazon_pay_protocol::client::v2::Client as V2Client;
    use amazon_pay_protocol::v2::{self, State};
    use amazon_pay_protocol::v2_runtime::{Credentials, PrivateKey};

    let dir = std::env::temp_dir().join(format!("amazon-pay-cli-v2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.pem");
    let (_server, url, lines) = start_and_read(&[
        "--tls",
        "--tls-ca-out",
        ca.to_str().unwrap(),
        "--keys-dir",
        dir.to_str().unwrap(),
    ]);
    let port = url.rsplit(':').next().unwrap().to_owned();
    let banner = lines.join("\n");
    assert!(banner.contains("test-only"), "{banner}");
    let accounts = Accounts::builtin();
    for region in v2::Region::ALL {
        let merchant = accounts.merchant(*region).unwrap();
        let line = lines
            .iter()
            .find(|l| l.trim_start().starts_with(&format!("v2 {region}:")))
            .unwrap_or_else(|| panic!("no v2 {region} line in {banner}"));
        assert_eq!(field(line, "id"), merchant.merchant_id, "{line}");
        assert_eq!(field(line, "store id"), merchant.store_id, "{line}");
        for key in [
            &merchant.legacy_key_id,
            &merchant.sandbox_key_id,
            &merchant.live_key_id,
        ] {
            assert!(line.contains(key.as_str()), "{key} in {line}");
        }
        let key_file = field(line, "private key");
        assert_eq!(
            std::path::Path::new(key_file),
            dir.join(format!(
                "amazon-pay-sandbox-{port}-{}-private.pem",
                region.code()
            ))
        );
        assert_eq!(
            std::fs::read_to_string(key_file).unwrap(),
            merchant.private_key_pem
        );
    }

    // A merchant signs with the printed key file, over https trusting the printed CA.
    let merchant = accounts.merchant(v2::Region::Jp).unwrap();
    let pem = std::fs::read(dir.join(format!("amazon-pay-sandbox-{port}-jp-private.pem"))).unwrap();
    let credentials = Credentials::new(
        merchant.sandbox_key_id.as_str(),
        std::sync::Arc::new(PrivateKey::from_pem(&pem).unwrap()),
        v2::Region::Jp.code(),
    );
    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read(&ca).unwrap()).unwrap())
        .build()
        .unwrap();
    let client = V2Client::builder(
        credentials,
        Endpoint::https(
            url.trim_start_matches("https://"),
            v2::Environment::Sandbox.base_path(&merchant.sandbox_key_id),
        ),
    )
    .transport(ReqwestTransport::from_client(trusting))
    .build()
    .unwrap();
    let ca_path = ca.to_str().unwrap();
    let new_session = || async {
        let create = amazon_pay_protocol::button::setup_only(
            &merchant.store_id,
            "https://shop.example/return",
        )
        .unwrap()
        .build()
        .unwrap();
        let session = client.create_checkout_session(&create).await.unwrap();
        (
            session.checkout_session_id.unwrap(),
            session
                .web_checkout_details
                .and_then(|d| d.amazon_pay_redirect_url)
                .unwrap(),
        )
    };
    let get_session = |id: v2::CheckoutSessionId| {
        let client = &client;
        async move {
            client
                .get_checkout_session(
                    &v2::GetCheckoutSessionRequest::builder()
                        .checkout_session_id(id)
                        .build()
                        .unwrap(),
                )
                .await
                .unwrap()
        }
    };

    // The buyer leaves one session with Cancel.
    let (canceled, redirect) = new_session().await;
    buyer_does(
        "checkout",
        &url,
        &["--ca", ca_path, "--redirect-url", &redirect, "--cancel"],
    );
    let session = get_session(canceled).await;
    assert_eq!(
        session.status_details.and_then(|s| s.state),
        Some(State::Canceled)
    );

    // The buyer pays the other one; the merchant completes it.
    let (id, redirect) = new_session().await;
    let back = buyer_does(
        "checkout",
        &url,
        &["--ca", ca_path, "--redirect-url", &redirect],
    );
    assert_eq!(
        back["returnUrl"],
        format!(
            "https://shop.example/return?amazonCheckoutSessionId={}",
            id.as_str()
        )
    );
    assert!(get_session(id.clone()).await.constraints.is_none());
    let permission = client
        .complete_checkout_session(
            &v2::CompleteCheckoutSessionRequest::builder()
                .checkout_session_id(id)
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .charge_permission_id
        .unwrap();
    let get_permission = || async {
        client
            .get_charge_permission(
                &v2::GetChargePermissionRequest::builder()
                    .charge_permission_id(permission.clone())
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap()
    };

    // The buyer chooses another card on the hosted Update page, then cancels the saved wallet.
    let p = permission.as_str();
    buyer_does(
        "update-payment-method",
        &url,
        &["--ca", ca_path, "--charge-permission", p, "--card", "4242"],
    );
    let updated = get_permission().await;
    let descriptors: Vec<_> = updated
        .payment_preferences
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|p| p.payment_descriptor.clone())
        .collect();
    assert_eq!(descriptors, ["Visa ****4242"]);
    buyer_does(
        "cancel-saved-wallet",
        &url,
        &["--ca", ca_path, "--charge-permission", p],
    );
    let closed = get_permission().await.status_details.unwrap();
    assert_eq!(closed.state, Some(State::Closed));
    let reasons: Vec<_> = closed
        .reasons
        .iter()
        .flat_map(|r| r.items.iter())
        .filter_map(|r| r.reason_code.clone())
        .collect();
    assert_eq!(reasons, [v2::ReasonCode::BuyerClosed]);

    // Without the CA the https simulator is not trusted; a refused action fails the command.
    let untrusted = Command::new(BIN)
        .args([
            "buyer",
            "cancel-saved-wallet",
            "--sandbox",
            &url,
            "--charge-permission",
            p,
        ])
        .output()
        .unwrap();
    assert!(!untrusted.status.success());
    let again = Command::new(BIN)
        .args([
            "buyer",
            "cancel-saved-wallet",
            "--sandbox",
            &url,
            "--ca",
            ca_path,
        ])
        .args(["--charge-permission", p])
        .output()
        .unwrap();
    assert!(!again.status.success(), "a Closed permission stays closed");
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("InvalidChargePermissionStatus"),
        "{again:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
