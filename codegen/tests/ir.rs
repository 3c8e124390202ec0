//! The IR of the small fixture spec: what the emitters are given.

use std::path::{Path, PathBuf};

use amazon_pay_codegen::ir::{self, Protocol, StructRole, TypeKind, TypeRef};
use amazon_pay_spec::{HttpMethod, Location, ParamSource, Safety};

fn mini_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

fn build(dir: &Path) -> ir::Ir {
    let spec = amazon_pay_spec::load(dir).unwrap_or_else(|e| panic!("{e}"));
    ir::build(&spec).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn operations_carry_their_request_safety_and_key() {
    let ir = build(&mini_dir());
    let names: Vec<&str> = ir.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["ChargeAgreement", "GetStatus"]);
    let charge = &ir.operations[0];
    assert_eq!(charge.request.name, "ChargeAgreementRequest");
    assert_eq!(charge.request.role, StructRole::Request);
    assert_eq!(charge.safety, Safety::Keyed);
    let key = charge.idempotency_key.as_ref().unwrap();
    assert_eq!(
        (key.wire.as_str(), key.rust.as_str(), key.required),
        ("ChargeReferenceId", "charge_reference_id", true)
    );
    let agreement = &charge.request.fields[0];
    assert_eq!(agreement.ty, TypeRef::Newtype("AgreementId".into()));
    // The newtype's max_length applies through the type.
    assert_eq!(agreement.max_length, Some(19));
    assert_eq!(agreement.location, Location::Body);
    assert!(charge.binding.is_none());
}

#[test]
fn types_know_whether_requests_contain_them() {
    let ir = build(&mini_dir());
    let role = |name: &str| match &ir.type_entry(name).unwrap().kind {
        TypeKind::Structure(s) => s.role,
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(role("Credit"), StructRole::Shape { in_input: true });
    assert_eq!(
        role("ChargeAgreementResult"),
        StructRole::Shape { in_input: false }
    );
    assert!(ir.list("StatusFilter").unwrap().in_input);
    assert!(!ir.list("IdList").unwrap().in_input);
    assert_eq!(ir.list("StatusFilter").unwrap().query_member, "State");
    assert_eq!(ir.personal_elements(), ["ContactEmail"]);
    let Protocol::MwsQuery(q) = &ir.protocol else {
        panic!("the mini fixture is mws-query");
    };
    let token = q.common.iter().find(|p| p.wire == "MWSAuthToken").unwrap();
    assert_eq!(token.from, ParamSource::MwsAuthToken);
    assert!(token.secret && token.volatile);
}

#[test]
fn an_http_binding_reaches_the_operation_entry() {
    let dir = std::env::temp_dir().join(format!("amazon-pay-codegen-ir-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&mini_dir(), &dir);
    let op = dir.join("operations/GetStatus.toml");
    let text = std::fs::read_to_string(&op).unwrap().replace(
        "safety = \"read\"\n",
        "safety = \"read\"\n\n[http]\nmethod = \"GET\"\npath = \"/status\"\nstatus = 202\n",
    );
    std::fs::write(&op, text).unwrap();
    let ir = build(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    let binding = ir.operations[1].binding.as_ref().unwrap();
    assert_eq!(
        (binding.method, binding.path.as_str(), binding.status),
        (HttpMethod::Get, "/status", 202)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
