//! The checked-in `generated/v1/src/gen/` is exactly what the v1 spec generates, and generating
//! twice gives identical bytes. (`cargo run -p amazon-pay-codegen -- generate` fixes staleness.)

fn generate() -> std::collections::BTreeMap<std::path::PathBuf, String> {
    let spec = amazon_pay_spec::load(&amazon_pay_spec::v1_dir())
        .unwrap_or_else(|e| panic!("spec/v1:\n{e}"));
    amazon_pay_codegen::generate(
        &spec,
        "spec/v1",
        amazon_pay_codegen::Options {
            client_methods: true,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn generated_code_is_fresh() {
    let diff =
        amazon_pay_codegen::diff_against(&amazon_pay_codegen::default_output_dir(), &generate());
    assert!(
        diff.is_empty(),
        "generated/v1/src/gen is stale; run `cargo run -p amazon-pay-codegen -- generate`:\n{diff}"
    );
}

#[test]
fn generation_is_deterministic() {
    let first = generate();
    assert_eq!(first, generate());
    assert!(first.values().all(|text| text.starts_with("// @generated")));
}
