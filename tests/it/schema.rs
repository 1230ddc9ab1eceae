//! The committed JSON Schema must match the one the code generates.

use crate::{root, run};

#[test]
fn committed_schemas_match_the_code() {
    for (args, file) in [
        (&["schema"][..], "docs/incident.schema.json"),
        (&["schema", "--config"][..], "docs/config.schema.json"),
    ] {
        let generated = run(args).code(0).stdout;
        let path = root().join(file);
        if std::env::var_os("POSTEVENT_BLESS").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{file} drifted from the code: run `POSTEVENT_BLESS=1 cargo test schema` and commit it"
        );
    }
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
