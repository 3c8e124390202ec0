//! The values of a scenario run: `${name}` replaced by what earlier steps saved, and the text
//! at a dotted path of an answer (`statusDetails.state`, `A.B.0.C`) for `expect` and `save`.

use std::collections::BTreeMap;

/// Replaces `${name}` with saved values; an unknown name is an error.
pub fn substitute(text: &str, vars: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("unclosed ${{ in `{text}`"))?;
        let name = &after[..end];
        let value = vars
            .get(name)
            .ok_or_else(|| format!("`${{{name}}}` was not saved by an earlier step"))?;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The value at a dotted path, as text (strings as is, numbers and booleans printed, objects
/// and lists as JSON).
pub fn lookup(value: &serde_json::Value, path: &str) -> Option<String> {
    let mut here = value;
    for segment in path.split('.') {
        here = match here {
            serde_json::Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            serde_json::Value::Object(map) => map.get(segment)?,
            _ => return None,
        };
    }
    Some(match here {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => return None,
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitution_and_lookup() {
        let vars = BTreeMap::from([("ba".to_owned(), "C01-1".to_owned())]);
        assert_eq!(substitute("id ${ba}!", &vars).unwrap(), "id C01-1!");
        assert!(substitute("${nope}", &vars).is_err());
        assert!(substitute("${ba", &vars).is_err());
        let v = serde_json::json!({"A": {"B": [{"C": "x"}, {"C": 2}], "D": true}});
        assert_eq!(lookup(&v, "A.B.0.C").as_deref(), Some("x"));
        assert_eq!(lookup(&v, "A.B.1.C").as_deref(), Some("2"));
        assert_eq!(lookup(&v, "A.D").as_deref(), Some("true"));
        assert_eq!(lookup(&v, "A.E"), None);
    }
}
