//! The documented examples run: the v1 billing-agreement flows and the three v2 seed flows,
//! each against its own embedded simulator.
// Each v2 example declares the shared `v2_shop` module itself (under `cargo run --example` it
// is a crate of its own), so here, with all of them in one crate, it is loaded three times.
#![allow(clippy::duplicate_mod)]

#[allow(dead_code)] // the example's `main` is for `cargo run --example`
#[path = "../examples/v1_billing_agreements.rs"]
mod v1_billing_agreements;
#[allow(dead_code)] // the example's `main` is for `cargo run --example`
#[path = "../examples/v2_additional_payment_button.rs"]
mod v2_additional_payment_button;
#[allow(dead_code)] // the example's `main` is for `cargo run --example`
#[path = "../examples/v2_checkout_and_setup.rs"]
mod v2_checkout_and_setup;
#[allow(dead_code)] // the example's `main` is for `cargo run --example`
#[path = "../examples/v2_setup_only.rs"]
mod v2_setup_only;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v1_billing_agreements_example_runs() {
    v1_billing_agreements::all_flows().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v2_setup_only_example_runs() {
    v2_setup_only::run().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v2_checkout_and_setup_example_runs() {
    v2_checkout_and_setup::run().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v2_additional_payment_button_example_runs() {
    v2_additional_payment_button::run().await.unwrap();
}
