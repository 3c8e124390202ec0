//! Reading a v2 request as the service receives it (the simulator's side of the protocol):
//! matching the path below `v2/` to an operation's template, the request's parts as the
//! generated `from_incoming` readers take them, and the typed reasons a request cannot be read.
//! The generated code holds the facts (each operation's method, template and members); this
//! file holds only the mechanics, so the client and the simulator share one spec.

use percent_encoding::percent_decode_str;

use super::operation::Method;

/// Where one operation is served: its method and its path template below `v2/`, split at `/`
/// (`{name}` segments are parameters).
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub action: &'static str,
    pub method: Method,
    pub segments: &'static [&'static str],
}

/// The parts of a request a generated reader takes, the path already matched.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// The path parameters, percent-decoded, in template order.
    pub path_params: &'a [String],
    /// Query pairs, decoded.
    pub query: &'a [(String, String)],
    /// Headers with lower-case names, borrowed from wherever the server keeps them (a server
    /// reading every request should not have to copy its headers to read one).
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

impl<'a> Incoming<'a> {
    pub fn path_param(&self, index: usize) -> &'a str {
        self.path_params.get(index).map_or("", String::as_str)
    }

    pub fn header(&self, lower_name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(name, _)| *name == lower_name)
            .map(|(_, value)| *value)
    }

    pub fn query(&self, name: &str) -> Option<&'a str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON, an empty body read as `{}` (a POST whose members are all optional).
    pub fn json_body(&self) -> &'a [u8] {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            self.body
        }
    }
}

/// Why a request could not be read into an operation.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("no operation is served at `{0}`")]
    NotFound(String),
    #[error("`{path}` is not served for {method}")]
    MethodNotAllowed { method: &'static str, path: String },
    /// The body is not JSON at all.
    #[error("the body is not a JSON document: {0}")]
    Syntax(serde_json::Error),
    /// JSON, but not this operation's document (a missing member, a wrong type or value).
    #[error("{0}")]
    Data(serde_json::Error),
    #[error("the value of header {name} is invalid: {reason}")]
    Header { name: &'static str, reason: String },
    #[error("the value of query parameter {name} is invalid: {reason}")]
    Query { name: &'static str, reason: String },
    #[error("the query parameter {0} is required")]
    MissingQuery(&'static str),
    #[error("the header {0} is required")]
    MissingHeader(&'static str),
    #[error("the path parameter {name} is invalid: {reason}")]
    Path { name: &'static str, reason: String },
}

impl ReadError {
    /// A serde error of the body, told apart by whether the text was JSON.
    pub fn json(error: serde_json::Error) -> ReadError {
        match error.classify() {
            serde_json::error::Category::Data => ReadError::Data(error),
            _ => ReadError::Syntax(error),
        }
    }

    /// The name of the missing member when the body lacks a required one (serde keeps it
    /// only in its message).
    pub fn missing_member(&self) -> Option<String> {
        let ReadError::Data(e) = self else {
            return None;
        };
        let text = e.to_string();
        let rest = &text[text.find("missing field `")? + "missing field `".len()..];
        Some(rest[..rest.find('`')?].to_owned())
    }
}

/// Finds the operation served at `path` (below `v2/`, no leading slash; a trailing slash is
/// tolerated as the .NET SDK sends one) for `method`, with its decoded path parameters.
pub fn route(
    routes: &'static [Route],
    method: Method,
    path: &str,
) -> Result<(&'static Route, Vec<String>), ReadError> {
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    let segments: Vec<&str> = trimmed.split('/').collect();
    let mut path_matched = false;
    for route in routes {
        let Some(params) = match_segments(route.segments, &segments) else {
            continue;
        };
        if route.method == method {
            return Ok((route, params));
        }
        path_matched = true;
    }
    Err(if path_matched {
        ReadError::MethodNotAllowed {
            method: method.as_str(),
            path: path.to_owned(),
        }
    } else {
        ReadError::NotFound(path.to_owned())
    })
}

fn match_segments(template: &[&str], segments: &[&str]) -> Option<Vec<String>> {
    if template.len() != segments.len() {
        return None;
    }
    let mut params = Vec::new();
    for (want, got) in template.iter().zip(segments) {
        if want.starts_with('{') {
            if got.is_empty() {
                return None;
            }
            params.push(percent_decode_str(got).decode_utf8().ok()?.into_owned());
        } else if want != got {
            return None;
        }
    }
    Some(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTES: &[Route] = &[
        Route {
            action: "GetCharge",
            method: Method::Get,
            segments: &["charges", "{chargeId}"],
        },
        Route {
            action: "CaptureCharge",
            method: Method::Post,
            segments: &["charges", "{chargeId}", "capture"],
        },
        Route {
            action: "CreateCharge",
            method: Method::Post,
            segments: &["charges"],
        },
    ];

    #[test]
    fn a_path_finds_its_operation_with_decoded_parameters_and_a_trailing_slash_is_tolerated() {
        let (found, params) = route(ROUTES, Method::Get, "charges/S01-1%2D2").unwrap();
        assert_eq!(
            (found.action, params),
            ("GetCharge", vec!["S01-1-2".into()])
        );
        let (found, params) = route(ROUTES, Method::Post, "charges/S01/capture/").unwrap();
        assert_eq!(
            (found.action, params),
            ("CaptureCharge", vec!["S01".into()])
        );
        assert_eq!(
            route(ROUTES, Method::Post, "charges/").unwrap().0.action,
            "CreateCharge"
        );
    }

    #[test]
    fn an_unknown_path_and_a_wrong_method_are_told_apart() {
        assert!(matches!(
            route(ROUTES, Method::Get, "charges/x/y/z"),
            Err(ReadError::NotFound(_))
        ));
        assert!(matches!(
            route(ROUTES, Method::Delete, "charges/x"),
            Err(ReadError::MethodNotAllowed { .. })
        ));
        assert!(matches!(
            route(ROUTES, Method::Get, "charges//capture"),
            Err(ReadError::NotFound(_))
        ));
    }

    #[test]
    fn body_errors_say_whether_the_text_was_json() {
        let syntax = serde_json::from_slice::<serde_json::Value>(b"{nope").unwrap_err();
        assert!(matches!(ReadError::json(syntax), ReadError::Syntax(_)));
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Needs {
            #[serde(rename = "chargeId")]
            charge_id: String,
        }
        let data = serde_json::from_slice::<Needs>(b"{}").unwrap_err();
        let error = ReadError::json(data);
        assert_eq!(error.missing_member().as_deref(), Some("chargeId"));
    }
}
