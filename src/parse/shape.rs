//! The shape check: every unknown field, wrong type and missing field of a log at once.
//!
//! serde stops at the first of them; when it does, this walks the YAML tree ([`Outline`])
//! against the JSON Schema generated from the raw types (so the two cannot drift) and
//! reports each one, located. It is conservative: it flags only what the raw types refuse
//! (a map where text belongs, a key no type declares), never a value serde would accept.

use serde_json::Value;

use super::errors::{type_hint, unknown_field};
use super::outline::{Kind, Node, Outline};
use crate::diagnostics::{Code, Diagnostic};
use crate::validate::MAX_PER_CODE;

/// Every shape problem of `text`, in the order written.
pub fn problems(text: &str, max_events: usize) -> Vec<Diagnostic> {
    let outline = Outline::read(text, max_events);
    let Some(root) = outline.root() else {
        return Vec::new();
    };
    let schema = crate::schema::value();
    let mut out = Vec::new();
    walk(root, schema, schema, &mut out);
    let mut kept: std::collections::HashMap<Code, usize> = Default::default();
    out.retain(|d| {
        let n = kept.entry(d.code).or_default();
        *n += 1;
        *n <= MAX_PER_CODE
    });
    out
}

/// The JSON types a schema node allows (`object`, `string`, ...), over all its variants;
/// empty when it says nothing (anything goes).
fn types<'a>(variants: &[&'a Value]) -> Vec<&'a str> {
    let mut out = Vec::new();
    for v in variants {
        match v.get("type") {
            Some(Value::String(t)) => out.push(t.as_str()),
            Some(Value::Array(ts)) => out.extend(ts.iter().filter_map(Value::as_str)),
            _ if v.get("properties").is_some() => out.push("object"),
            _ => return Vec::new(),
        }
    }
    out
}

fn walk(node: &Node, schema: &Value, root: &Value, out: &mut Vec<Diagnostic>) {
    let variants = crate::schema::resolve(root, schema);
    let allowed = types(&variants);
    if !allowed.is_empty()
        && let Some(found) = mismatch(node, &allowed)
    {
        let expected = expected(&allowed);
        out.push(
            Diagnostic::new(
                Code::WrongType,
                format!("expected {expected}, found {found}"),
            )
            .hint(type_hint(&expected))
            .at(node.span.clone(), "wrong type"),
        );
        return;
    }
    match &node.kind {
        Kind::Map(map) => {
            let Some(object) = variants
                .iter()
                .find(|v| v.get("properties").is_some() || v.get("additionalProperties").is_some())
            else {
                return;
            };
            let properties = object.get("properties").and_then(Value::as_object);
            let extra = object.get("additionalProperties");
            for (key, value) in &map.entries {
                let name = key.scalar().unwrap_or_default();
                match (properties.and_then(|p| p.get(name)), extra) {
                    (Some(property), _) => walk(value, property, root, out),
                    (None, Some(Value::Bool(false))) => {
                        let expected: Vec<&str> = properties
                            .map(|p| p.keys().map(String::as_str).collect())
                            .unwrap_or_default();
                        out.push(
                            unknown_field(name, &expected, Some(key.span.clone()))
                                .at(key.span.clone(), "unknown field"),
                        );
                    }
                    (None, Some(schema @ Value::Object(_))) => walk(value, schema, root, out),
                    (None, _) => {}
                }
            }
            let required = object.get("required").and_then(Value::as_array);
            for field in required.into_iter().flatten().filter_map(Value::as_str) {
                if map.entries.iter().all(|(k, _)| k.scalar() != Some(field)) {
                    let at = map
                        .entries
                        .first()
                        .map_or(node.span.clone(), |(k, _)| k.span.clone());
                    out.push(
                        Diagnostic::new(
                            Code::MissingField,
                            format!("missing required field `{field}`"),
                        )
                        .hint(format!("add `{field}:` to this map"))
                        .at(at, "in this map"),
                    );
                }
            }
        }
        Kind::Seq(seq) => {
            if let Some(items) = variants.iter().find_map(|v| v.get("items")) {
                for item in &seq.items {
                    walk(item, items, root, out);
                }
            }
        }
        Kind::Scalar(_) | Kind::Alias => {}
    }
}

/// What `node` is, when `allowed` does not take it.
fn mismatch(node: &Node, allowed: &[&str]) -> Option<&'static str> {
    let has = |t: &str| allowed.contains(&t);
    match &node.kind {
        Kind::Map(_) if !has("object") => Some("a map"),
        Kind::Seq(_) if !has("array") => Some("a list"),
        Kind::Scalar(text) => {
            let scalar_ok = has("string")
                || (has("boolean")
                    && matches!(text.to_ascii_lowercase().as_str(), "true" | "false"))
                || ((has("number") || has("integer")) && is_number(text));
            if node.is_empty_scalar() && allowed == ["string"] {
                Some("nothing")
            } else if !(scalar_ok || node.is_empty_scalar() && has("null")) {
                Some(if has("object") || has("array") {
                    "a value"
                } else {
                    "text"
                })
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Whether YAML would read `text` as a number (`.nan`, `.inf`, `0x1F` and `0o17` are numbers
/// too).
fn is_number(text: &str) -> bool {
    let t = text.trim();
    let radix = |prefix: &str, radix: u32| {
        t.strip_prefix(prefix)
            .is_some_and(|digits| i64::from_str_radix(digits, radix).is_ok())
    };
    t.parse::<f64>().is_ok()
        || radix("0x", 16)
        || radix("0o", 8)
        || matches!(
            t.to_ascii_lowercase().as_str(),
            ".nan" | ".inf" | "+.inf" | "-.inf"
        )
}

/// "a map", "a list", "text", "a number", "`true` or `false`", joined with "or".
fn expected(allowed: &[&str]) -> String {
    let mut words: Vec<&str> = Vec::new();
    for t in allowed {
        let word = match *t {
            "object" => "a map",
            "array" => "a list",
            "string" => "text",
            "number" | "integer" => "a number",
            "boolean" => "a boolean",
            _ => continue,
        };
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(String, String)> {
        problems(text, 10_000)
            .iter()
            .map(|d| {
                let span = d.span.clone().unwrap_or_default();
                (d.code.code().to_owned(), text[span].to_owned())
            })
            .collect()
    }

    #[test]
    fn every_problem_of_the_file_at_once() {
        let text = "title: T\nseverity: SEV3\nowner: me\nservices:\n  - name: API\n    colour: red\ntimeline:\n  - at: 2026-01-01 10:00\n    text: [a, b]\n    internal: maybe\n    measures: {errors: lots}\n  - at: 2026-01-01 10:05\n    txt: y\n";
        assert_eq!(
            codes(text),
            [
                ("E002".to_owned(), "owner".to_owned()),
                ("E002".to_owned(), "colour".to_owned()),
                ("E003".to_owned(), "[a, b]".to_owned()),
                ("E003".to_owned(), "maybe".to_owned()),
                ("E003".to_owned(), "lots".to_owned()),
                ("E002".to_owned(), "txt".to_owned()),
                ("E004".to_owned(), "at".to_owned()),
            ]
        );
    }

    #[test]
    fn a_valid_log_has_no_shape_problems() {
        for log in [
            include_str!("../../incidents/aws-us-east-1-2025-10-20.yaml"),
            include_str!("../../incidents/checkout-bad-deploy-2026-03-14.yaml"),
            include_str!("../../incidents/payments-db-failover-2026-09-02.yaml"),
            include_str!("../../tests/fixtures/report/measures.yaml"),
            include_str!("../../tests/fixtures/report/hostile.yaml"),
        ] {
            assert_eq!(codes(log), []);
        }
        let forms = "title: T\nseverity: SEV3\nservices: [API, {name: Web, internal: true}]\ntimeline:\n  - at: 10:00\n    status: {API: major_outage}\n    measures: {API.error_rate_pct: 40, x: .nan, y: 0x1F}\n    internal: True\n    text: x\n";
        assert_eq!(codes(forms), []);
    }
}
