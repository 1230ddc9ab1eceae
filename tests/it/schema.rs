//! The committed JSON Schema must match the one the code generates.

use crate::{root, run};

#[test]
fn committed_schema_matches_the_code() {
    let generated = run(&["schema"]).code(0).stdout;
    let path = root().join("docs/incident.schema.json");
    if std::env::var_os("POSTEVENT_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).expect("docs/incident.schema.json exists");
    assert!(
        committed == generated,
        "docs/incident.schema.json drifted from the code: run `POSTEVENT_BLESS=1 cargo test schema` and commit it"
    );
}

#[test]
fn schema_lists_the_keywords() {
    let schema: serde_json::Value = serde_json::from_str(&run(&["schema"]).stdout).unwrap();
    let text = schema.to_string();
    for word in [
        "SEV1",
        "major_outage",
        "acknowledged",
        "wont_do",
        "timeline",
    ] {
        assert!(text.contains(word), "schema lacks {word}");
    }
}
