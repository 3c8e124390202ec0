//! Rules of each protocol: what its common parameters and its operations may say.

use std::path::Path;

use super::binding::location_name;
use super::{Reporter, unique, wire_name};
use crate::model::{Location, MwsQuery, Operation, Protocol};

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
                wire_name(r, path, src, &p.name);
            }
        }
    }
}

/// An operation against its protocol.
pub(super) fn check_operation(
    r: &mut Reporter<'_>,
    protocol: &Protocol,
    op: &Operation,
    path: &Path,
    src: &str,
) {
    match protocol {
        Protocol::MwsQuery(q) => mws_query_operation(r, q, op, path, src),
    }
}

/// v1 sends every input in the form body, next to the common parameters.
fn mws_query_operation(r: &mut Reporter<'_>, q: &MwsQuery, op: &Operation, path: &Path, src: &str) {
    for m in &op.input {
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
