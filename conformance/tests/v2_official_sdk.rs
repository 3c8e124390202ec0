//! The official Node v2 SDK, unmodified, runs the Saved Wallet setup-only flow against
//! `sandbox --tls` with its own `overrideServiceUrl`: create session, get, complete, get
//! permission, create charge, get charge, create refund, get refund (`oracle/v2_flow.js`).
//! Its requests are signed by the SDK (extended-form dates, mixed-case SignedHeaders as it
//! writes them, `user-agent` signed) and verified by the simulator like any other.

use std::time::Duration;

use amazon_pay_conformance::sandbox::{Sandbox, SandboxConfig};
use amazon_pay_protocol::v2;
use serde_json::{Value, json};

#[tokio::test]
async fn the_node_sdk_runs_the_setup_only_flow_over_https() {
    let Some(oracle) = amazon_pay_oracle::find() else {
        return;
    };
    let sandbox = Sandbox::start(SandboxConfig {
        tls: true,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    // A SANDBOX- key on the unified path, and a legacy key on /sandbox/v2.
    for (region, unified) in [(v2::Region::Jp, true), (v2::Region::Na, false)] {
        let merchant = sandbox.merchant(region).unwrap().clone();
        let key = if unified {
            &merchant.sandbox_key_id
        } else {
            &merchant.legacy_key_id
        };
        let input = json!({
            "host": sandbox.addr().to_string(),
            "public_key_id": key,
            "private_key_pem": merchant.private_key_pem,
            "region": region.code(),
            "store_id": merchant.store_id,
            "ca_pem": sandbox.ca_certificate_pem().unwrap(),
        });
        let oracle = oracle.clone();
        let run = tokio::task::spawn_blocking(move || oracle.run::<Value>("v2_flow.js", &input));
        let out: Value = tokio::time::timeout(Duration::from_secs(60), run)
            .await
            .expect("the SDK finished in time")
            .unwrap()
            .unwrap_or_else(|e| panic!("{e}"));
        let state = |step: &str| out[step]["data"]["statusDetails"]["state"].clone();
        assert_eq!(out["create_checkout_session"]["status"], 201, "{out}");
        assert_eq!(state("get_checkout_session"), "Open", "{out}");
        assert!(
            out["get_checkout_session"]["data"]["constraints"].is_null(),
            "{out}"
        );
        assert_eq!(state("complete_checkout_session"), "Completed");
        assert_eq!(state("get_charge_permission"), "Chargeable");
        assert!(out["get_charge_permission"]["data"]["expirationTimestamp"].is_null());
        assert_eq!(out["create_charge"]["status"], 201);
        assert_eq!(state("get_charge"), "Captured");
        assert_eq!(out["get_charge"]["data"]["chargeInitiator"], "MITU");
        assert_eq!(out["create_refund"]["status"], 201);
        assert_eq!(state("get_refund"), "RefundInitiated");
    }
}
