//! Rules of each protocol: what its common parameters, regions, shapes and operations may say.

use std::collections::BTreeMap;
use std::path::Path;

use super::binding::location_name;
use super::{Case, Reporter, unique, wire_name};
use crate::model::{
    Body, Location, Member, MwsQuery, Operation, PRIMITIVES, Protocol, Region, Shape, ShapeKind,
};

/// The primitive that holds any JSON value.
const JSON: &str = "json";

/// rest-json answers of calls whose documents the sources do not describe are free JSON.
pub(super) fn free_json_output(protocol: &Protocol, output: &str) -> bool {
    matches!(protocol, Protocol::RestJson(_)) && output == JSON
}

/// mws-query has no JSON: `json` members are refused.
fn no_json(r: &mut Reporter<'_>, m: &Member, path: &Path, src: &str) {
    if m.ty() == JSON {
        r.at(
            path,
            src,
            &m.ty,
            format!(
                "type `json` is a rest-json type; protocol mws-query has none (`{}`)",
                m.name()
            ),
        );
    }
}

/// How the protocol's member names start.
pub(super) fn member_case(protocol: &Protocol) -> Case {
    match protocol {
        Protocol::MwsQuery(_) => Case::Upper,
        Protocol::RestJson(_) => Case::Lower,
    }
}

/// The protocol table itself.
pub(super) fn check_protocol(r: &mut Reporter<'_>, protocol: &Protocol, path: &Path, src: &str) {
    match protocol {
        Protocol::MwsQuery(q) => {
            unique(
                r,
                q.common_parameters.iter().map(|p| (&p.name, path, src)),
                "common parameter",
            );
            for p in &q.common_parameters {
                wire_name(r, path, src, &p.name, Case::Upper);
            }
        }
        Protocol::RestJson(j) => {
            unique(
                r,
                j.signature_algorithms.iter().map(|a| (&a.name, path, src)),
                "signature algorithm",
            );
            if j.signature_algorithms.is_empty() {
                r.file(
                    path,
                    "protocol rest-json needs at least one signature algorithm",
                );
            }
        }
    }
}

/// Each region states the facts its protocol needs.
pub(super) fn check_regions(
    r: &mut Reporter<'_>,
    protocol: &Protocol,
    regions: &[Region],
    path: &Path,
    src: &str,
) {
    for region in regions {
        let missing: &[(&str, bool)] = match protocol {
            Protocol::MwsQuery(_) => &[
                ("payment_domain", region.payment_domain.is_none()),
                (
                    "billing_agreement_monthly_limit",
                    region.billing_agreement_monthly_limit.is_none(),
                ),
            ],
            Protocol::RestJson(_) => &[("code", region.code.is_none())],
        };
        for (key, absent) in missing {
            if *absent {
                r.at(
                    path,
                    src,
                    &region.name,
                    format!("region `{}` needs `{key}`", region.name.get_ref()),
                );
            }
        }
    }
}

/// A shape against its protocol.
pub(super) fn check_shape(
    r: &mut Reporter<'_>,
    protocol: &Protocol,
    shape: &Shape,
    path: &Path,
    src: &str,
) {
    let Protocol::MwsQuery(_) = protocol else {
        return;
    };
    if shape.kind == ShapeKind::Map {
        r.at(
            path,
            src,
            &shape.name,
            "protocol mws-query has no map shapes (parameters and elements have fixed names)"
                .to_owned(),
        );
    }
    for m in &shape.members {
        no_json(r, m, path, src);
    }
    for m in shape.members.iter().filter(|m| m.json_strings) {
        r.at(
            path,
            src,
            &m.name,
            format!(
                "`json_strings` is a JSON spelling; protocol mws-query has none (`{}`)",
                m.name()
            ),
        );
    }
}

/// An operation against its protocol.
pub(super) fn check_operation(
    r: &mut Reporter<'_>,
    protocol: &Protocol,
    op: &Operation,
    kinds: &BTreeMap<&str, ShapeKind>,
    path: &Path,
    src: &str,
) {
    match protocol {
        Protocol::MwsQuery(q) => mws_query_operation(r, q, op, path, src),
        Protocol::RestJson(_) => rest_json_operation(r, op, kinds, path, src),
    }
}

/// v1 sends every input in the form body, next to the common parameters.
fn mws_query_operation(r: &mut Reporter<'_>, q: &MwsQuery, op: &Operation, path: &Path, src: &str) {
    for m in &op.input {
        header_name(r, m, path, src);
        no_json(r, m, path, src);
        if q.common_parameter(m.name()).is_some() {
            r.at(
                path,
                src,
                &m.name,
                format!(
                    "input `{}` is a common parameter, which the runtime adds to every request",
                    m.name()
                ),
            );
        }
        if let Some(location) = m
            .location
            .as_ref()
            .filter(|l| *l.get_ref() != Location::Body)
        {
            r.at(
                path,
                src,
                location,
                format!(
                    "protocol mws-query sends every input in the form body; `{}` is located in `{}`",
                    m.name(),
                    location_name(*location.get_ref())
                ),
            );
        }
    }
}

/// v2 routes by method and path: every operation has `[http]`; header inputs name their
/// header; path, query and header inputs are single values; `body = "members"` exactly when
/// some input travels in the body.
fn rest_json_operation(
    r: &mut Reporter<'_>,
    op: &Operation,
    kinds: &BTreeMap<&str, ShapeKind>,
    path: &Path,
    src: &str,
) {
    let Some(http) = &op.http else {
        r.at(
            path,
            src,
            &op.name,
            format!(
                "protocol rest-json routes by method and path: operation `{}` needs `[http]`",
                op.name()
            ),
        );
        return;
    };
    let body_inputs: Vec<&Member> = op
        .input
        .iter()
        .filter(|m| m.location() == Location::Body)
        .collect();
    match (&http.body, body_inputs.as_slice()) {
        (None, [_, ..]) => r.at(
            path,
            src,
            &http.path,
            "some inputs are located in `body`, so `[http]` needs `body = \"members\"`".to_owned(),
        ),
        (Some(body), []) => r.at(
            path,
            src,
            body,
            "`[http]` has a `body` but no input is located in `body`".to_owned(),
        ),
        (Some(body), [one]) if *body.get_ref() == Body::Document && one.ty() != JSON => r.at(
            path,
            src,
            body,
            format!(
                "`body = \"document\"` sends one `json` input; `{}` is a `{}`",
                one.name(),
                one.ty()
            ),
        ),
        (Some(body), [_, _, ..]) if *body.get_ref() == Body::Document => r.at(
            path,
            src,
            body,
            "`body = \"document\"` sends exactly one input located in `body`".to_owned(),
        ),
        _ => {}
    }
    for m in &op.input {
        header_name(r, m, path, src);
        if m.json_strings {
            r.at(
                path,
                src,
                &m.name,
                format!(
                    "`json_strings` is for response members, not input `{}`",
                    m.name()
                ),
            );
        }
        let single = (PRIMITIVES.contains(&m.ty()) && m.ty() != JSON)
            || matches!(kinds.get(m.ty()), Some(ShapeKind::String | ShapeKind::Enum));
        if m.location() != Location::Body && !single {
            r.at(
                path,
                src,
                &m.ty,
                format!(
                    "input `{}` is located in `{}`, which carries one text value, not a `{}`",
                    m.name(),
                    location_name(m.location()),
                    m.ty()
                ),
            );
        }
    }
}

/// A header input has `header = "x-…"` (lower-case letters, digits and `-`); no other input has.
fn header_name(r: &mut Reporter<'_>, m: &Member, path: &Path, src: &str) {
    match (&m.header, m.location()) {
        (None, Location::Header) => r.at(
            path,
            src,
            &m.name,
            format!(
                "input `{}` is located in `header` and needs `header = \"…\"`",
                m.name()
            ),
        ),
        (Some(header), Location::Header) => {
            let name = header.get_ref();
            if name.is_empty()
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                r.at(
                    path,
                    src,
                    header,
                    format!("header name `{name}`: use lower-case letters, digits and `-`"),
                );
            }
        }
        (Some(header), other) => r.at(
            path,
            src,
            header,
            format!(
                "`header` names the header of an input located in `header`; `{}` is in `{}`",
                m.name(),
                location_name(other)
            ),
        ),
        (None, _) => {}
    }
}
