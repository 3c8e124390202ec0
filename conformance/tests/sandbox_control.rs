//! The simulator's control endpoints under hostile input: clock moves bounded to the
//! representable range, only loopback host names, the endpoints off on request, and the
//! buyer's side bound to the seller that owns the object.

mod common;

use amazon_pay_conformance::sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};

async fn move_clock(sandbox: &Sandbox, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/__sandbox/clock", sandbox.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn clock_now(sandbox: &Sandbox) -> String {
    let clock: Value = reqwest::get(format!("{}/__sandbox/clock", sandbox.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    clock["now"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn clock_moves_outside_the_representable_range_are_400_and_change_nothing() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let refused = [
        json!({ "advance_seconds": i64::MAX }),
        json!({ "advance_seconds": -1 }),
        json!({ "set": "9999-12-31T00:00:00Z" }),
        json!({ "set": "2000-01-01T00:00:00Z" }),
        json!({ "advance_seconds": 60, "set": "2030-01-01T00:00:00Z" }),
    ];
    for body in refused {
        let (status, answer) = move_clock(&sandbox, body.clone()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(
            clock_now(&sandbox).await.starts_with("20"),
            "{body}: the clock did not move"
        );
    }
    let (status, answer) = move_clock(&sandbox, json!({ "set": "9998-06-01T00:00:00Z" })).await;
    assert_eq!(status, 200, "{answer}");
    let (status, _) = move_clock(&sandbox, json!({ "advance_seconds": 366 * 24 * 3600 })).await;
    assert_eq!(status, 400, "past the latest time");
    let (status, answer) = move_clock(&sandbox, json!({ "advance_seconds": 60 })).await;
    assert_eq!(status, 200, "{answer}");
    assert!(
        clock_now(&sandbox).await.starts_with("9998-06-01T00:01"),
        "never jumps back"
    );
    // Still serving the API, to a client that signs with the machine's clock.
    let (status, body) = common::call_raw(&sandbox, "GetServiceStatus", &[]).await;
    assert_eq!(status, 200, "{body}");
    sandbox.shutdown().await;
}

async fn clock_status(sandbox: &Sandbox, host: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/__sandbox/clock", sandbox.base_url()))
        .header("Host", host)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_control_endpoints_answer_only_loopback_host_names_and_can_be_turned_off() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let port = sandbox.addr().port();
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "LOCALHOST".into(),
    ] {
        assert_eq!(clock_status(&sandbox, &host).await, 200, "{host}");
    }
    for host in [
        format!("attacker.example:{port}"),
        format!("localhost.attacker.example:{port}"),
        "127.0.0.1.nip.io".into(),
        format!("localhost:{port}x"),
    ] {
        assert_eq!(clock_status(&sandbox, &host).await, 403, "{host}");
    }
    sandbox.shutdown().await;

    let off = Sandbox::start(SandboxConfig {
        control: false,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let status = clock_status(&off, &format!("127.0.0.1:{}", off.addr().port())).await;
    assert_eq!(status, 405, "only the API's POST route is left");
    let (status, _) = common::call_raw(&off, "GetServiceStatus", &[]).await;
    assert_eq!(status, 200, "the API still answers");
    off.shutdown().await;
}
