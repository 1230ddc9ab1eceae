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
