//! The checked-in `generated/v2/src/gen/` is exactly what the v2 spec generates, and generating
//! twice gives identical bytes. (`cargo run -p amazon-pay-codegen -- generate` fixes staleness.)

fn generate() -> std::collections::BTreeMap<std::path::PathBuf, String> {
    let spec = amazon_pay_spec::load(&amazon_pay_spec::v2_dir())
        .unwrap_or_else(|e| panic!("spec/v2:\n{e}"));
    amazon_pay_codegen::generate(
        &spec,
        "spec/v2",
        amazon_pay_codegen::Options {
            client_methods: true,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn generated_code_is_fresh() {
    let diff = amazon_pay_codegen::diff_against(&amazon_pay_codegen::output_dir("v2"), &generate());
    assert!(
        diff.is_empty(),
        "generated/v2/src/gen is stale; run `cargo run -p amazon-pay-codegen -- generate`:\n{diff}"
    );
}

#[test]
fn generation_is_deterministic() {
    let first = generate();
    assert_eq!(first, generate());
    assert!(first.values().all(|text| text.starts_with("// @generated")));
}
