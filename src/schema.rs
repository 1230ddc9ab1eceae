//! The JSON Schema of the incident log format, generated from the raw types so it cannot drift.

use crate::parse::RawIncident;

/// The schema as pretty JSON, ending in a newline.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawIncident);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
