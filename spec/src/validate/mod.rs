//! Whole-spec checks that serde cannot make: references, uniqueness, wire-name syntax, HTTP
//! bindings and protocol rules.

mod binding;
mod protocol;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use toml::Spanned;

use crate::error::SpecError;
use crate::load::Sourced;
use crate::model::{
    ErrorsFile, Member, Operation, PRIMITIVES, Safety, ServiceFile, Shape, ShapeKind,
};

/// How a wire name starts: v1 parameters and elements, and every operation name, are
/// `UpperCamel`; v2 JSON members are `lowerCamel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    Upper,
    Lower,
}

/// Collects an error at a spanned value of a given source file.
struct Reporter<'a> {
    errors: &'a mut Vec<SpecError>,
}

impl Reporter<'_> {
    fn at<T>(&mut self, path: &Path, source: &str, item: &Spanned<T>, message: String) {
        self.errors
            .push(SpecError::at(path, source, item.span(), message));
    }

    fn file(&mut self, path: &Path, message: &str) {
        self.errors.push(SpecError::file(path, message));
    }
}

pub(crate) fn validate(
    service: &Sourced<ServiceFile>,
    errors_file: &Sourced<ErrorsFile>,
    operations: &[Sourced<Operation>],
    shapes: &[Sourced<Shape>],
    errors: &mut Vec<SpecError>,
) {
    let mut r = Reporter { errors };

    let (svc, svc_path, svc_src) = service;
    unique(
        &mut r,
        svc.regions
            .iter()
            .map(|g| (&g.name, svc_path.as_path(), svc_src.as_str())),
        "region",
    );
    let protocol = &svc.service.protocol;
    protocol::check_protocol(&mut r, protocol, svc_path, svc_src);
    protocol::check_regions(&mut r, protocol, &svc.regions, svc_path, svc_src);
    let case = protocol::member_case(protocol);

    let (errs, err_path, err_src) = errors_file;
    unique(
        &mut r,
        errs.errors
            .iter()
            .map(|e| (&e.code, err_path.as_path(), err_src.as_str())),
        "error code",
    );
    let error_codes: BTreeSet<&str> = errs
        .errors
        .iter()
        .map(|e| e.code.get_ref().as_str())
        .collect();

    unique(
        &mut r,
        shapes
            .iter()
            .map(|(s, p, src)| (&s.name, p.as_path(), src.as_str())),
        "shape",
    );
    unique(
        &mut r,
        operations
            .iter()
            .map(|(o, p, src)| (&o.name, p.as_path(), src.as_str())),
        "operation",
    );
    let kinds: BTreeMap<&str, ShapeKind> = shapes
        .iter()
        .map(|(s, _, _)| (s.name.get_ref().as_str(), s.kind))
        .collect();

    for (shape, path, src) in shapes {
        if PRIMITIVES.contains(&shape.name.get_ref().as_str()) {
            r.at(
                path,
                src,
                &shape.name,
                format!("shape name `{}` is a primitive type", shape.name.get_ref()),
            );
        }
        check_shape(&mut r, shape, path, src, &kinds, case);
        binding::check_structure_members(&mut r, &shape.members, path, src);
        protocol::check_shape(&mut r, protocol, shape, path, src);
    }

    for (op, path, src) in operations {
        wire_name(&mut r, path, src, &op.name, Case::Upper);
        members(&mut r, &op.input, path, src, &kinds, "input", case);
        binding::check_operation(&mut r, op, path, src);
        protocol::check_operation(&mut r, protocol, op, &kinds, path, src);
        match &op.output {
            None => r.errors.push(SpecError::at(
                path,
                src,
                op.name.span(),
                format!(
                    "operation `{}` has no `output`; every operation returns a result structure",
                    op.name.get_ref()
                ),
            )),
            Some(out) => match kinds.get(out.get_ref().as_str()) {
                Some(ShapeKind::Structure) => {}
                None if protocol::free_json_output(protocol, out.get_ref()) => {}
                Some(_) => r.at(
                    path,
                    src,
                    out,
                    format!("output `{}` must be a structure shape", out.get_ref()),
                ),
                None => r.at(
                    path,
                    src,
                    out,
                    format!("output `{}` is not a defined shape", out.get_ref()),
                ),
            },
        }
        for code in &op.errors {
            if !error_codes.contains(code.get_ref().as_str()) {
                r.at(
                    path,
                    src,
                    code,
                    format!(
                        "error code `{}` is not defined in errors.toml",
                        code.get_ref()
                    ),
                );
            }
        }
        match (&op.idempotency_key, op.safety) {
            (Some(key), _) if !op.input.iter().any(|m| m.name.get_ref() == key.get_ref()) => r.at(
                path,
                src,
                key,
                format!(
                    "idempotency_key `{}` is not an input of this operation",
                    key.get_ref()
                ),
            ),
            (None, Safety::Keyed) => r.errors.push(SpecError::at(
                path,
                src,
                op.name.span(),
                "safety = \"keyed\" needs an `idempotency_key`".to_owned(),
            )),
            _ => {}
        }
    }
}

fn check_shape(
    r: &mut Reporter<'_>,
    shape: &Shape,
    path: &Path,
    src: &str,
    kinds: &BTreeMap<&str, ShapeKind>,
    case: Case,
) {
    let misplaced = |field: &str, kind: &str| format!("`{field}` is not allowed on a {kind} shape");
    let kind_name = match shape.kind {
        ShapeKind::String => "string",
        ShapeKind::Money => "money",
        ShapeKind::Structure => "structure",
        ShapeKind::List => "list",
        ShapeKind::Enum => "enum",
        ShapeKind::Map => "map",
    };
    let mut not_here = |present: bool, field: &str| {
        if present {
            r.errors.push(SpecError::at(
                path,
                src,
                shape.name.span(),
                misplaced(field, kind_name),
            ));
        }
    };
    not_here(
        !shape.members.is_empty() && shape.kind != ShapeKind::Structure,
        "members",
    );
    not_here(
        shape.member.is_some() && !matches!(shape.kind, ShapeKind::List | ShapeKind::Map),
        "member",
    );
    not_here(
        !shape.values.is_empty() && shape.kind != ShapeKind::Enum,
        "values",
    );
    not_here(
        shape.max_length.is_some() && shape.kind != ShapeKind::String,
        "max_length",
    );
    match shape.kind {
        ShapeKind::Structure => members(r, &shape.members, path, src, kinds, "member", case),
        ShapeKind::List | ShapeKind::Map => match &shape.member {
            None => r.errors.push(SpecError::at(
                path,
                src,
                shape.name.span(),
                format!("a {kind_name} shape needs `member`"),
            )),
            Some(m) => type_ref(r, path, src, m, kinds),
        },
        ShapeKind::Enum => {
            if shape.values.is_empty() {
                r.errors.push(SpecError::at(
                    path,
                    src,
                    shape.name.span(),
                    "an enum shape needs `values`".to_owned(),
                ));
            }
            unique(r, shape.values.iter().map(|v| (v, path, src)), "enum value");
            for v in &shape.values {
                if v.get_ref().is_empty() || !v.get_ref().chars().any(|c| c.is_ascii_alphanumeric())
                {
                    r.at(
                        path,
                        src,
                        v,
                        format!(
                            "enum value `{}` needs at least one letter or digit",
                            v.get_ref()
                        ),
                    );
                }
            }
        }
        ShapeKind::String | ShapeKind::Money => {}
    }
    // List element segments may be lower-case: the API's own is `member`.
    for name in [&shape.member_name, &shape.query_member_name]
        .into_iter()
        .flatten()
    {
        let mut chars = name.chars();
        if !(chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric()))
        {
            r.errors.push(SpecError::at(
                path,
                src,
                shape.name.span(),
                malformed(name, Case::Upper),
            ));
        }
    }
}

fn members(
    r: &mut Reporter<'_>,
    members: &[Member],
    path: &Path,
    src: &str,
    kinds: &BTreeMap<&str, ShapeKind>,
    what: &str,
    case: Case,
) {
    unique(r, members.iter().map(|m| (&m.name, path, src)), what);
    for m in members {
        wire_name(r, path, src, &m.name, case);
        for alias in &m.aliases {
            if !is_wire_name(alias, case) {
                r.at(path, src, &m.name, malformed(alias, case));
            }
        }
        type_ref(r, path, src, &m.ty, kinds);
        if m.range.is_some_and(|[lo, hi]| lo > hi) {
            r.at(
                path,
                src,
                &m.name,
                format!(
                    "`{}` has a range whose minimum is above its maximum",
                    m.name.get_ref()
                ),
            );
        }
    }
}

fn type_ref(
    r: &mut Reporter<'_>,
    path: &Path,
    src: &str,
    ty: &Spanned<String>,
    kinds: &BTreeMap<&str, ShapeKind>,
) {
    let name = ty.get_ref().as_str();
    if !PRIMITIVES.contains(&name) && !kinds.contains_key(name) {
        r.at(
            path,
            src,
            ty,
            format!(
                "type `{name}` is neither a primitive ({}) nor a defined shape",
                PRIMITIVES.join(", ")
            ),
        );
    }
}

fn wire_name(r: &mut Reporter<'_>, path: &Path, src: &str, name: &Spanned<String>, case: Case) {
    if !is_wire_name(name.get_ref(), case) {
        r.at(path, src, name, malformed(name.get_ref(), case));
    }
}

fn malformed(name: &str, case: Case) -> String {
    let first = match case {
        Case::Upper => "an upper-case",
        Case::Lower => "a lower-case",
    };
    format!(
        "malformed wire name `{name}`: use ASCII letters and digits, starting with {first} letter \
         (dots are added by flattening, never written inside a name)"
    )
}

/// `[A-Z][A-Za-z0-9]*` (every v1 parameter and element name segment) or
/// `[a-z][A-Za-z0-9]*` (v2 JSON members).
fn is_wire_name(name: &str, case: Case) -> bool {
    let mut chars = name.chars();
    let first = match case {
        Case::Upper => |c: char| c.is_ascii_uppercase(),
        Case::Lower => |c: char| c.is_ascii_lowercase(),
    };
    chars.next().is_some_and(first) && chars.all(|c| c.is_ascii_alphanumeric())
}

fn unique<'a>(
    r: &mut Reporter<'_>,
    items: impl Iterator<Item = (&'a Spanned<String>, &'a Path, &'a str)>,
    what: &str,
) {
    let mut seen: BTreeMap<&str, (&Path, usize)> = BTreeMap::new();
    for (name, path, src) in items {
        if let Some((first_path, first_offset)) = seen.get(name.get_ref().as_str()) {
            let where_first = if *first_path == path {
                let before = src.get(..*first_offset).unwrap_or("");
                format!("line {}", before.matches('\n').count() + 1)
            } else {
                first_path.display().to_string()
            };
            r.at(
                path,
                src,
                name,
                format!(
                    "duplicate {what} `{}` (first defined at {where_first})",
                    name.get_ref()
                ),
            );
        } else {
            seen.insert(name.get_ref(), (path, name.span().start));
        }
    }
}
