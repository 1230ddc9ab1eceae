//! Two logs (the input split at its first `\n---8<---\n`) through the semantic diff and its
//! three displays: never a panic, a log compared with itself is equal, the JSON display is
//! JSON, and the diff of the two in either order agrees on whether they are equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postevent::diff::display::{DisplayOptions, json, markdown, text};
use postevent::model::Incident;
use postevent::parse::Limits;
use postevent::redact::{Audience, Redacted, redact};
use postevent::source::Source;

const CUT: &str = "\n---8<---\n";

fn load(name: &str, text: &str) -> Option<Incident> {
    let source = Source::from_text(name, text);
    let limits = Limits {
        max_yaml_events: 100_000,
        ..Limits::default()
    };
    postevent::validate::check(&source, limits).incident
}

fuzz_target!(|input: &str| {
    let Some((lhs, rhs)) = input.split_once(CUT) else {
        return;
    };
    let (Some(old), Some(new)) = (load("old.yaml", lhs), load("new.yaml", rhs)) else {
        return;
    };
    for audience in [Audience::Internal, Audience::Public] {
        check_pair(&redact(&old, audience), &redact(&new, audience));
    }
});

/// The diff's invariants for one pair of (redacted) logs.
fn check_pair(old: &Redacted, new: &Redacted) {
    assert!(
        postevent::diff::diff(old, old).is_equal(),
        "a log differs from itself"
    );
    let forward = postevent::diff::diff(old, new);
    let backward = postevent::diff::diff(new, old);
    assert_eq!(
        forward.is_equal(),
        backward.is_equal(),
        "equality is not symmetric"
    );
    for all in [false, true] {
        let options = DisplayOptions {
            old_name: "old.yaml".into(),
            new_name: "new.yaml".into(),
            all,
            color: all,
        };
        let _ = text(&forward, &options);
        let _ = markdown(&forward, &options);
        let out = json(&forward, &options);
        assert!(
            serde_json::from_str::<serde_json::Value>(&out).is_ok(),
            "not JSON: {out}"
        );
    }
}
