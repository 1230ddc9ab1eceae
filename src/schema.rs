//! The JSON Schema of the incident log format, generated from the raw types so it cannot drift.

use schemars::Schema;

use crate::parse::RawIncident;

fn schema() -> Schema {
    schemars::schema_for!(RawIncident)
}

/// The schema as a JSON value (the language server reads the keys of each map from it).
pub fn schema_value() -> serde_json::Value {
    serde_json::to_value(schema()).unwrap_or_default()
}

/// The schema as pretty JSON, in the order the types declare it, ending in a newline.
pub fn json_schema() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema as a JSON value, generated once.
pub fn value() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(schema_value)
}

/// A schema node with `$ref`s followed and `anyOf` spread into its variants.
pub fn resolve<'a>(
    root: &'a serde_json::Value,
    node: &'a serde_json::Value,
) -> Vec<&'a serde_json::Value> {
    use serde_json::Value;
    let mut out = Vec::new();
    let mut todo = vec![(node, 0)];
    while let Some((node, depth)) = todo.pop() {
        if depth > 8 {
            continue;
        }
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/$defs/");
            if let Some(target) = root.get("$defs").and_then(|d| d.get(name)) {
                todo.push((target, depth + 1));
            }
        } else if let Some(Value::Array(variants)) = node.get("anyOf").or_else(|| node.get("oneOf"))
        {
            todo.extend(variants.iter().rev().map(|v| (v, depth + 1)));
        } else {
            out.push(node);
        }
    }
    out
}
