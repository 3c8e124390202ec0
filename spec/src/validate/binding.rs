//! HTTP bindings: an operation's `[http]` path template and where each input travels.

use std::collections::BTreeSet;
use std::path::Path;

use super::Reporter;
use crate::model::{Location, Member, Operation};

/// An operation's `[http]` and its inputs' `location`s agree, and `personal` is only on
/// response members.
pub(super) fn check_operation(r: &mut Reporter<'_>, op: &Operation, path: &Path, src: &str) {
    let in_template = match &op.http {
        Some(http) => {
            let status = http.status();
            if !(200..300).contains(&status) {
                if let Some(s) = &http.status {
                    r.at(
                        path,
                        src,
                        s,
                        format!("success status {status} is not a 2xx status"),
                    );
                }
            }
            match template_params(http.path.get_ref()) {
                Ok(params) => params,
                Err(reason) => {
                    r.at(
                        path,
                        src,
                        &http.path,
                        format!("path template `{}`: {reason}", http.path.get_ref()),
                    );
                    BTreeSet::new()
                }
            }
        }
        None => BTreeSet::new(),
    };
    for name in &in_template {
        let located = op.input.iter().find(|m| m.name() == name.as_str());
        let problem = match located.map(Member::location) {
            None => format!("path parameter `{{{name}}}` is not an input of this operation"),
            Some(Location::Path) => continue,
            Some(other) => format!(
                "path parameter `{{{name}}}` names an input located in `{}`, not `path`",
                location_name(other)
            ),
        };
        if let Some(http) = &op.http {
            r.at(path, src, &http.path, problem);
        }
    }
    for m in &op.input {
        if m.personal {
            r.at(
                path,
                src,
                &m.name,
                format!(
                    "`personal` marks response elements; input `{}` is never in a response",
                    m.name()
                ),
            );
        }
        let Some(location) = &m.location else {
            continue;
        };
        let here = *location.get_ref();
        if here != Location::Body && op.http.is_none() {
            r.at(
                path,
                src,
                location,
                format!(
                    "input `{}` is located in `{}`, which needs an `[http]` binding",
                    m.name(),
                    location_name(here)
                ),
            );
        } else if here == Location::Path && !in_template.contains(m.name()) {
            r.at(
                path,
                src,
                location,
                format!(
                    "input `{}` is located in `path` but the path template has no `{{{}}}`",
                    m.name(),
                    m.name()
                ),
            );
        } else if here == Location::Path && !m.required {
            r.at(
                path,
                src,
                location,
                format!(
                    "input `{}` is located in `path`, so it must be required",
                    m.name()
                ),
            );
        }
    }
}

/// Structure members travel wherever their structure does: only operation inputs have a
/// location.
pub(super) fn check_structure_members(
    r: &mut Reporter<'_>,
    members: &[Member],
    path: &Path,
    src: &str,
) {
    for m in members {
        if let Some(header) = &m.header {
            r.at(
                path,
                src,
                header,
                format!(
                    "`header` applies to operation inputs, not to structure member `{}`",
                    m.name()
                ),
            );
        }
        if let Some(location) = &m.location {
            r.at(
                path,
                src,
                location,
                format!(
                    "`location` applies to operation inputs, not to structure member `{}`",
                    m.name()
                ),
            );
        }
    }
}

pub(super) fn location_name(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Body => "body",
    }
}

/// The `{Name}`s of a path template, which must start with `/` and close every brace.
fn template_params(template: &str) -> Result<BTreeSet<String>, String> {
    if !template.starts_with('/') {
        return Err("it must start with `/`".to_owned());
    }
    let mut params = BTreeSet::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("`}` without `{`".to_owned());
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("`{` without `}`")?;
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return Err(format!("`{{{name}}}` is not a parameter name"));
        }
        if !params.insert(name.to_owned()) {
            return Err(format!("`{{{name}}}` appears twice"));
        }
        rest = &after[close + 1..];
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::template_params;

    #[test]
    fn template_parameters_are_read_in_braces() {
        let params = template_params("/v2/charges/{ChargeId}/capture/{Other}").unwrap();
        assert_eq!(
            params.into_iter().collect::<Vec<_>>(),
            ["ChargeId", "Other"]
        );
        assert!(template_params("/v2/charges").unwrap().is_empty());
        assert!(template_params("v2").is_err());
        assert!(template_params("/a/{B").is_err());
        assert!(template_params("/a/B}").is_err());
        assert!(template_params("/a/{}").is_err());
        assert!(template_params("/a/{B}/{B}").is_err());
    }
}
