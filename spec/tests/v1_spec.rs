//! The checked-in v1 spec loads cleanly and covers the whole reference.

#[test]
fn v1_spec_loads_without_errors() {
    let spec = match amazon_pay_spec::load(&amazon_pay_spec::v1_dir()) {
        Ok(spec) => spec,
        Err(errors) => panic!("spec/v1 has errors:\n{errors}"),
    };
    // The 29 operations of the reference (§3.A-§3.E).
    let names: Vec<&str> = spec.operations.iter().map(|o| o.name()).collect();
    assert_eq!(names.len(), 29, "{names:?}");
    for region in ["JP", "NA", "EU", "UK"] {
        assert!(
            spec.service
                .regions
                .iter()
                .any(|r| r.name.get_ref() == region),
            "{region}"
        );
    }
}
