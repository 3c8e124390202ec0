//! Spec model → IR.

use std::collections::BTreeSet;

use amazon_pay_spec::{Location, Member, Operation, Shape, ShapeKind, Spec};

use super::Ir;
use super::operation::{Binding, IdempotencyKey, OperationEntry, Throttle};
use super::service::{CommonParam, ErrorEntry, MwsQuery, Protocol, Region, RestJson, Service};
use super::types::{
    Field, List, Scalar, StructRole, Structure, TypeEntry, TypeKind, TypeRef, Variant,
};
use crate::names;

/// Builds the IR of a validated spec. Fails only when something valid in the spec cannot be
/// expressed in Rust (two enum values giving the same variant name).
pub fn build(spec: &Spec) -> Result<Ir, String> {
    let inputs = input_shapes(spec);
    let types = spec
        .shapes
        .iter()
        .map(|shape| type_entry(spec, shape, inputs.contains(shape.name())))
        .collect::<Result<Vec<_>, _>>()?;
    let errors: Vec<ErrorEntry> = spec
        .errors
        .iter()
        .map(|e| ErrorEntry {
            code: e.code.get_ref().clone(),
            variant: names::variant(e.code.get_ref()),
            status: e.status,
            class: e.class,
            doc: e.doc.clone(),
        })
        .collect();
    distinct_variants(
        "ErrorCode",
        errors.iter().map(|e| (e.code.as_str(), e.variant.as_str())),
    )?;
    Ok(Ir {
        service: service(spec),
        protocol: protocol(spec),
        types,
        operations: spec
            .operations
            .iter()
            .map(|op| operation(spec, op))
            .collect(),
        errors,
    })
}

fn service(spec: &Spec) -> Service {
    let file = &spec.service;
    Service {
        name: file.service.name.clone(),
        version: file.service.version.clone(),
        sandbox_path: file.environments.sandbox.clone(),
        live_path: file.environments.live.clone(),
        regions: file
            .regions
            .iter()
            .map(|r| Region {
                name: r.name.get_ref().clone(),
                variant: names::variant(r.name.get_ref()),
                host: r.host.clone(),
                currencies: r.currencies.clone(),
                payment_domain: r.payment_domain.clone(),
                billing_agreement_monthly_limit: r.billing_agreement_monthly_limit.clone(),
                code: r.code.clone(),
                doc: r.doc.clone(),
            })
            .collect(),
    }
}

fn protocol(spec: &Spec) -> Protocol {
    match &spec.service.service.protocol {
        amazon_pay_spec::Protocol::MwsQuery(q) => Protocol::MwsQuery(MwsQuery {
            xml_namespace: q.xml_namespace.clone(),
            ipn_namespace: q.ipn_namespace.clone(),
            signature_method: q.signature_method.clone(),
            signature_version: q.signature_version.clone(),
            max_clock_skew_seconds: q.max_clock_skew_seconds,
            common: q
                .common_parameters
                .iter()
                .map(|p| CommonParam {
                    wire: p.name.get_ref().clone(),
                    from: p.from,
                    secret: p.secret,
                    volatile: p.volatile,
                })
                .collect(),
        }),
        amazon_pay_spec::Protocol::RestJson(j) => Protocol::RestJson(RestJson {
            api_version: j.api_version.clone(),
            unified_path: j.unified_path.clone(),
            unified_key_prefixes: j.unified_key_prefixes.clone(),
            signature_algorithms: j
                .signature_algorithms
                .iter()
                .map(|a| (a.name.get_ref().clone(), a.salt_length))
                .collect(),
            content_type: j.content_type.clone(),
            date_header: j.date_header.clone(),
            host_header: j.host_header.clone(),
            region_header: j.region_header.clone(),
            idempotency_key_header: j.idempotency_key_header.clone(),
            request_id_header: j.request_id_header.clone(),
        }),
    }
}

fn type_entry(spec: &Spec, shape: &Shape, in_input: bool) -> Result<TypeEntry, String> {
    let kind = match shape.kind {
        ShapeKind::String => TypeKind::Newtype,
        ShapeKind::Money => TypeKind::Money,
        ShapeKind::Enum => {
            let variants: Vec<Variant> = shape
                .values
                .iter()
                .map(|v| Variant {
                    wire: v.get_ref().clone(),
                    rust: names::variant(v.get_ref()),
                    doc: shape.docs.get(v.get_ref()).cloned().unwrap_or_default(),
                })
                .collect();
            distinct_variants(
                shape.name(),
                variants.iter().map(|v| (v.wire.as_str(), v.rust.as_str())),
            )?;
            TypeKind::Enum(variants)
        }
        ShapeKind::Structure => TypeKind::Structure(Structure {
            name: shape.name().to_owned(),
            doc: shape.doc.clone(),
            fields: fields(spec, &shape.members),
            role: StructRole::Shape { in_input },
        }),
        ShapeKind::List => TypeKind::List(List {
            item: type_ref(spec, list_item(shape)),
            xml_member: shape.xml_member_name().to_owned(),
            query_member: shape.query_member_name().to_owned(),
            member_aliases: shape.member_aliases.clone(),
            in_input,
        }),
        ShapeKind::Map => TypeKind::Map(type_ref(spec, list_item(shape))),
    };
    Ok(TypeEntry {
        name: shape.name().to_owned(),
        doc: shape.doc.clone(),
        kind,
    })
}

fn operation(spec: &Spec, op: &Operation) -> OperationEntry {
    let idempotency_key = op.idempotency_key.as_ref().map(|key| {
        let key = key.get_ref();
        let input = op.input.iter().find(|m| m.name() == key);
        IdempotencyKey {
            wire: input.map_or(key.as_str(), Member::wire).to_owned(),
            rust: names::snake(key),
            required: input.is_some_and(|m| m.required),
        }
    });
    let mut request_fields = fields(spec, &op.input);
    // A key sent as a header (v2) is the service's requirement, not the caller's: the client
    // makes one for the call when the request has none, so the builder does not insist.
    if let Some(key) = &idempotency_key {
        request_fields
            .iter_mut()
            .filter(|f| f.rust == key.rust && f.location == Location::Header)
            .for_each(|f| f.required = false);
    }
    OperationEntry {
        name: op.name().to_owned(),
        doc: op.doc.clone(),
        request: Structure {
            name: format!("{}Request", op.name()),
            doc: op.doc.clone(),
            fields: request_fields,
            role: StructRole::Request,
        },
        output: op.output_name().to_owned(),
        result_element: op.result_element,
        safety: op.safety,
        idempotency_key,
        errors: op.errors.iter().map(|e| e.get_ref().clone()).collect(),
        throttle: op.throttle.as_ref().map(|t| Throttle {
            quota: t.quota,
            restore_per_second: t.restore_per_second,
            sandbox_quota: t.sandbox_quota.unwrap_or(t.quota),
            sandbox_restore_per_second: t
                .sandbox_restore_per_second
                .unwrap_or(t.restore_per_second),
        }),
        binding: op.http.as_ref().map(|h| Binding {
            method: h.method,
            path: h.path.get_ref().clone(),
            status: h.status(),
            body: h.body(),
        }),
    }
}

fn fields(spec: &Spec, members: &[Member]) -> Vec<Field> {
    members
        .iter()
        .map(|m| {
            let ty = type_ref(spec, m.ty());
            let type_max = spec
                .shape(m.ty())
                .filter(|s| s.kind == ShapeKind::String)
                .and_then(|s| s.max_length);
            Field {
                wire: m.wire().to_owned(),
                rust: names::snake(m.name()),
                max_length: m.max_length.or(type_max).filter(|_| ty.is_text()),
                ty,
                required: m.required,
                doc: m.doc.clone(),
                aliases: m.aliases.clone(),
                range: m.range,
                location: m.location(),
                personal: m.personal,
                json_strings: m.json_strings,
            }
        })
        .collect()
}

fn type_ref(spec: &Spec, name: &str) -> TypeRef {
    let Some(shape) = spec.shape(name) else {
        return TypeRef::Scalar(match name {
            "integer" => Scalar::Integer,
            "boolean" => Scalar::Boolean,
            "timestamp" => Scalar::Timestamp,
            "decimal" => Scalar::Decimal,
            "json" => Scalar::Json,
            _ => Scalar::String,
        });
    };
    let name = shape.name().to_owned();
    match shape.kind {
        ShapeKind::String => TypeRef::Newtype(name),
        ShapeKind::Money => TypeRef::Money,
        ShapeKind::Enum => TypeRef::Enum(name),
        ShapeKind::Structure => TypeRef::Structure(name),
        ShapeKind::List => TypeRef::List(name),
        ShapeKind::Map => TypeRef::Map(name),
    }
}

/// The item type of a list or the value type of a map (validated to be present).
fn list_item(shape: &Shape) -> &str {
    shape
        .member
        .as_ref()
        .map_or("string", |m| m.get_ref().as_str())
}

fn distinct_variants<'a>(
    name: &str,
    values: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for (value, variant) in values {
        if !seen.insert(variant) {
            return Err(format!(
                "enum {name}: value `{value}` gives the Rust variant `{variant}` twice"
            ));
        }
    }
    Ok(())
}

/// Structure and list shapes reachable from some operation's input.
fn input_shapes(spec: &Spec) -> BTreeSet<&str> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&str> = spec
        .operations
        .iter()
        .flat_map(|o| o.input.iter().map(Member::ty))
        .collect();
    while let Some(ty) = stack.pop() {
        let Some(shape) = spec.shape(ty) else {
            continue;
        };
        match shape.kind {
            ShapeKind::Structure if seen.insert(shape.name()) => {
                stack.extend(shape.members.iter().map(Member::ty));
            }
            ShapeKind::List | ShapeKind::Map if seen.insert(shape.name()) => {
                stack.push(list_item(shape))
            }
            _ => {}
        }
    }
    seen
}
