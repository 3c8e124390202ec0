//! The documented example runs: its three flows against the simulator.

#[allow(dead_code)] // the example's `main` is for `cargo run --example`
#[path = "../examples/payment_method_on_file.rs"]
mod payment_method_on_file;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payment_method_on_file_example_runs() {
    payment_method_on_file::all_flows().await.unwrap();
}
