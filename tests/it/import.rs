//! `import statuspage|gcp`: fixtures in the feeds' own shapes become logs that pass `check`,
//! with durations equal to the feed's end - start to the second.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{DateTime, Utc};
use postevent::metrics::phase_metrics;
use postevent::model::{Incident, Phase, ServiceStatus, Status};
use postevent::parse::Limits;
use postevent::source::Source;
use postevent::validate;
use serde_json::Value;

use crate::{fixture, run};

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Imports a fixture into a fresh folder; returns the folder and the logs written, in order.
fn import(kind: &str, name: &str) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture(&format!("import/{name}"));
    let out = run(&["import", kind, s(&input), "--dir", s(dir.path())]).code(0);
    let paths = out.stdout.lines().map(PathBuf::from).collect();
    (dir, paths)
}

/// The incident in `path`, asserting that `check` finds nothing at all to say. The truth
/// check is left out: the prose is the feed's own words, which may name a moment the feed gave
/// no update for (tests/it/check.rs pins the one such case in the fixtures).
fn load(path: &Path) -> Incident {
    let text = std::fs::read_to_string(path).unwrap();
    let checked = validate::check_with(
        &Source::new("log", Some(path.to_owned()), text),
        Limits::default(),
        validate::Lints { prose: false },
    );
    assert!(
        checked.diagnostics.is_empty(),
        "{}: {:?}",
        path.display(),
        checked.diagnostics
    );
    checked.incident.unwrap()
}

fn json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(&format!("import/{name}"))).unwrap())
        .unwrap()
}

fn instant(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn duration_seconds(incident: &Incident) -> i64 {
    phase_metrics(incident)
        .time_to_resolve
        .expect("a resolved incident has a duration")
        .num_seconds()
}

#[test]
fn statuspage_incidents_become_valid_logs() {
    let (_dir, paths) = import("statuspage", "statuspage-incidents.json");
    let names: Vec<_> = paths
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "2026-01-22-dashboard-login-session-expired-loop.yaml",
            "2026-02-10-elevated-api-error-rates-and-delayed-webhooks.yaml"
        ]
    );
    let doc = json("statuspage-incidents.json");
    let source = doc["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "p7m2x4k9wq1z")
        .unwrap();
    let incident = load(&paths[1]);
    assert_eq!(
        incident.title,
        "Elevated API error rates and delayed webhooks"
    );
    assert_eq!(incident.severity.as_str(), "SEV2");
    assert_eq!(incident.status, Status::Resolved);
    assert_eq!(incident.timezone.name(), "America/Los_Angeles");
    // The start is `started_at`, not the first update; the end is `resolved_at`.
    assert_eq!(
        incident.phase_at(Phase::Started),
        Some(instant(&source["started_at"]))
    );
    assert_eq!(
        incident.phase_at(Phase::Resolved),
        Some(instant(&source["resolved_at"]))
    );
    let expected = instant(&source["resolved_at"]) - instant(&source["started_at"]);
    assert_eq!(duration_seconds(&incident), expected.num_seconds());
    assert_eq!(duration_seconds(&incident), 2 * 3600 + 28 * 60 + 44);
    // Updates arrive newest first; the log has them oldest first, phases in order.
    let first_update = "2026-02-10T22:22:31.904Z".parse::<DateTime<Utc>>().unwrap();
    assert_eq!(incident.phase_at(Phase::Detected), Some(first_update));
    assert_eq!(incident.phase_at(Phase::Acknowledged), Some(first_update));
    assert_eq!(
        incident.phase_at(Phase::Identified),
        Some("2026-02-10T23:02:55.830Z".parse().unwrap())
    );
    assert_eq!(
        incident.phase_at(Phase::Mitigated),
        Some("2026-02-10T23:48:09.271Z".parse().unwrap())
    );
    let written: Vec<_> = incident.timeline.iter().map(|e| e.at).collect();
    let mut sorted = written.clone();
    sorted.sort();
    assert_eq!(written, sorted);
    // Component transitions are status changes.
    let names: Vec<_> = incident.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["REST API", "Webhooks"]);
    let webhooks: Vec<_> = incident
        .timeline
        .iter()
        .flat_map(|e| {
            e.status
                .iter()
                .filter(|(s, _)| s == "Webhooks")
                .map(|(_, v)| *v)
        })
        .collect();
    assert_eq!(
        webhooks,
        [
            ServiceStatus::DegradedPerformance,
            ServiceStatus::PartialOutage,
            ServiceStatus::Operational
        ]
    );
    // HTML became Markdown, and nothing executable survived.
    let text = std::fs::read_to_string(&paths[1]).unwrap();
    assert!(
        !text.contains("<script") && !text.contains("alert("),
        "{text}"
    );
    assert!(text.contains("[the full write-up](https://relay.example/blog/2026-02-10-rca)"));
    assert!(text.contains("**webhook dispatch**"));
    assert!(
        incident
            .links
            .iter()
            .any(|l| l.url == "https://stspg.io/r3l4y01")
    );

    // A retroactive incident: one `resolved` update, with an earlier `started_at`.
    let login = load(&paths[0]);
    assert_eq!(login.title, "Dashboard login: 'Session expired' loop");
    assert_eq!(login.severity.as_str(), "SEV3");
    assert_eq!(duration_seconds(&login), 43 * 60 + 20);
}

#[test]
fn an_unresolved_statuspage_incident_stays_open() {
    let (_dir, paths) = import("statuspage", "statuspage-summary.json");
    assert_eq!(paths.len(), 1);
    let incident = load(&paths[0]);
    assert_eq!(incident.severity.as_str(), "SEV1");
    assert_eq!(incident.status, Status::Identified);
    assert_eq!(incident.phase_at(Phase::Resolved), None);
    assert_eq!(
        incident.phase_at(Phase::Started),
        Some("2026-02-11T17:35:00Z".parse().unwrap())
    );
    let impacts = postevent::metrics::service_impacts(&incident);
    let api = impacts.iter().find(|i| i.name == "REST API").unwrap();
    assert!(api.windows.last().unwrap().is_ongoing());
}

#[test]
fn a_single_statuspage_incident_from_stdin() {
    let doc = json("statuspage-summary.json");
    let single = serde_json::json!({ "incident": doc["incidents"][0] });
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_postevent"))
        .args([
            "import",
            "statuspage",
            "-",
            "--dir",
            s(dir.path()),
            "--tz",
            "Europe/Dublin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(single.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let path = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    let incident = load(&path);
    assert_eq!(incident.timezone.name(), "Europe/Dublin");
    assert_eq!(incident.title, "REST API unavailable in eu-west");
}

#[test]
fn gcp_incidents_become_valid_logs() {
    let (_dir, paths) = import("gcp", "gcp-incidents.json");
    assert_eq!(paths.len(), 2);
    let doc = json("gcp-incidents.json");
    let storage = load(&paths[0]);
    assert_eq!(
        storage.title,
        "Cloud Storage: elevated latency and errors for requests in us-central1"
    );
    assert_eq!(storage.severity.as_str(), "SEV1");
    assert_eq!(storage.status, Status::Resolved);
    assert_eq!(storage.regions, ["us-central1"]);
    let expected = instant(&doc[0]["end"]) - instant(&doc[0]["begin"]);
    assert_eq!(duration_seconds(&storage), expected.num_seconds());
    assert_eq!(duration_seconds(&storage), 3 * 3600 + 45 * 60);
    let impacts = postevent::metrics::service_impacts(&storage);
    let gcs = impacts.iter().find(|i| i.name == "Cloud Storage").unwrap();
    assert_eq!(gcs.windows.len(), 1);
    assert_eq!(gcs.windows[0].worst, ServiceStatus::MajorOutage);

    let gke = load(&paths[1]);
    assert_eq!(gke.status, Status::Investigating);
    assert_eq!(gke.severity.as_str(), "SEV2");
    assert_eq!(gke.phase_at(Phase::Resolved), None);
    assert_eq!(
        gke.phase_at(Phase::Started),
        Some(instant(&doc[1]["begin"]))
    );
}

#[test]
fn import_refuses_documents_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = s(dir.path());
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"incidents\": [\n    {\"id\": 1,,}\n  ]\n}\n").unwrap();
    run(&["import", "statuspage", s(&bad), "--dir", d])
        .code(2)
        .stderr_has(&["not JSON", "line 3"]);
    let gcp = fixture("import/gcp-incidents.json");
    run(&["import", "statuspage", s(&gcp), "--dir", d])
        .code(2)
        .stderr_has(&["not a Statuspage API v2 document"]);
    let statuspage = fixture("import/statuspage-incidents.json");
    run(&["import", "gcp", s(&statuspage), "--dir", d])
        .code(2)
        .stderr_has(&["not the Google Cloud status incidents.json"]);
    let missing = dir.path().join("missing.json");
    std::fs::write(
        &missing,
        r#"{"incidents": [{"id": "a", "name": "b", "status": "resolved"}]}"#,
    )
    .unwrap();
    run(&["import", "statuspage", s(&missing), "--dir", d])
        .code(2)
        .stderr_has(&["incidents[0]", "missing field `created_at`"]);
    run(&["import", "pagerduty", s(&gcp), "--dir", d]).code(2);
    run(&["import", "gcp", s(&gcp), "--tz", "Mars/Olympus"])
        .code(2)
        .stderr_has(&["unknown timezone"]);
    let written: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "yaml")
        })
        .collect();
    assert!(written.is_empty());
}

#[test]
fn import_never_overwrites_without_force() {
    let (dir, paths) = import("gcp", "gcp-incidents.json");
    std::fs::write(&paths[0], "edited\n").unwrap();
    let input = fixture("import/gcp-incidents.json");
    run(&["import", "gcp", s(&input), "--dir", s(dir.path())])
        .code(2)
        .stderr_has(&["already exist", "--force"]);
    assert_eq!(std::fs::read_to_string(&paths[0]).unwrap(), "edited\n");
    run(&[
        "import",
        "gcp",
        s(&input),
        "--dir",
        s(dir.path()),
        "--force",
    ])
    .code(0);
    load(&paths[0]);
}
