//! `postevent check` on good, bad and unreadable input.

use crate::{fixture, run};

#[test]
fn bundled_incidents_have_no_errors() {
    run(&["check", "incidents"])
        .code(0)
        .stderr_has(&["checked 3 logs", "0 errors"]);
}

#[test]
fn missing_path_is_trouble() {
    run(&["check", "no/such/dir"])
        .code(2)
        .stderr_has(&["cannot read `no/such/dir`"]);
}

#[test]
fn strict_counts_warnings() {
    let path = crate::root().join("incidents/payments-db-failover-2026-09-02.yaml");
    let path = path.to_str().unwrap();
    run(&["check", path]).code(0).stderr_has(&["W002"]);
    run(&["check", "--strict", path]).code(1);
}

#[test]
fn json_format_gives_one_object_per_line() {
    let dir = fixture("invalid");
    let out = run(&["check", "--format", "json", dir.to_str().unwrap()]).code(1);
    for line in out.stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect(line);
        for key in ["file", "line", "column", "code", "severity", "message"] {
            assert!(v.get(key).is_some(), "{key} missing in {line}");
        }
    }
}
