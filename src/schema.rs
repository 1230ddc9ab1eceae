//! The JSON Schema of the incident log format, generated from the raw types so it cannot drift.

use crate::parse::RawIncident;

/// The schema as a JSON value (the language server reads the keys of each map from it).
pub fn schema_value() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(RawIncident)).unwrap_or_default()
}

/// The schema as pretty JSON, ending in a newline.
pub fn json_schema() -> String {
    let mut text = serde_json::to_string_pretty(&schema_value()).unwrap_or_default();
    text.push('\n');
    text
}
