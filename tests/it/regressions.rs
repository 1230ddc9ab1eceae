//! Inputs the fuzz targets (fuzz/fuzz_targets/) once crashed on, replayed with the same
//! checks: tests/fixtures/regressions/TARGET/ holds one file per finding, named after the bug.
//! docs/reliability.md lists the findings and the fix of each.

use std::collections::BTreeSet;
use std::path::PathBuf;

use postevent::import::{Draft, ImportError, statuspage};
use postevent::parse::Limits;
use postevent::source::Source;

use crate::fixture;

/// The files of one target's folder, sorted; a missing folder has none.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(dir) = std::fs::read_dir(fixture("regressions").join(target)) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = dir.map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

/// The import targets' check: every draft is a log that passes `check`, with a safe file
/// stem unique in the batch.
fn assert_drafts_pass_check(name: &str, drafts: Result<Vec<Draft>, ImportError>) {
    let Ok(drafts) = drafts else { return };
    let mut ids = BTreeSet::new();
    for draft in drafts {
        assert!(
            ids.insert(draft.id.clone()),
            "{name}: two drafts are {}",
            draft.id
        );
        assert!(
            !draft.id.is_empty() && !draft.id.contains(['/', '\\', '.']),
            "{name}: unsafe stem {:?}",
            draft.id
        );
        let yaml = draft.to_yaml();
        let checked = postevent::validate::check(
            &Source::from_text("x.yaml", yaml.clone()),
            Limits::default(),
        );
        assert_eq!(
            checked.errors(),
            0,
            "{name}:\n{yaml}\n{:?}",
            checked.diagnostics
        );
    }
}

/// The first byte picks the display zone, as in the fuzz targets.
fn zone_and_json(bytes: &[u8]) -> Option<(Option<chrono_tz::Tz>, &str)> {
    let (&zone, rest) = bytes.split_first()?;
    let json = std::str::from_utf8(rest).ok()?;
    Some(((zone & 1 != 0).then_some(chrono_tz::Europe::Berlin), json))
}

#[test]
fn statuspage_findings() {
    let found = inputs("import_statuspage");
    assert!(found.len() >= 3, "the fixtures are missing");
    for (path, bytes) in found {
        let name = path.display().to_string();
        let (zone, json) = zone_and_json(&bytes).expect("a zone byte and UTF-8");
        let drafts = statuspage::import(json, zone);
        assert!(drafts.is_ok(), "{name}: the document no longer imports");
        assert_drafts_pass_check(&name, drafts);
    }
}
