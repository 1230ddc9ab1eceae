//! `import statuspage|gcp|slack|pagerduty`: fixtures in the sources' own shapes become logs
//! that pass `check`: status feeds with durations equal to the feed's end - start to the
//! second, a Slack export (folder and zip) and a PagerDuty log with their times to the
//! microsecond and the second. Bad input is refused where it is wrong, and nothing is written.

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
        &postevent::config::Config {
            lint_prose: false,
            ..Default::default()
        },
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

    // Each update's body is what was published: the event's `update:`, in the public summary,
    // and the first one gives the time to first update (22:22:31.904 - started_at).
    let published: Vec<_> = incident
        .timeline
        .iter()
        .filter_map(|e| e.update.as_deref())
        .collect();
    let bodies = source["incident_updates"].as_array().unwrap().len();
    assert_eq!(published.len(), bodies, "one update per posted update");
    assert!(published.iter().any(|u| u.contains("**webhook dispatch**")));
    let report = run(&[
        "report",
        s(&paths[1]),
        "--format",
        "json",
        "--audience",
        "public",
    ])
    .code(0)
    .stdout;
    let report: Value = serde_json::from_str(&report).unwrap();
    let started = instant(&source["started_at"]);
    assert_eq!(
        report["metrics"]["time_to_first_update_s"],
        (first_update - started).num_seconds()
    );
    let summary = run(&["report", s(&paths[1]), "--audience", "public"])
        .code(0)
        .stdout;
    assert!(summary.contains("## Updates we published"), "{summary}");
    assert!(
        summary.contains("Status page update: **Investigating**."),
        "{summary}"
    );

    // A retroactive incident: one `resolved` update, with an earlier `started_at`.
    let login = load(&paths[0]);
    assert_eq!(login.title, "Dashboard login: 'Session expired' loop");
    assert_eq!(login.severity.as_str(), "SEV3");
    assert_eq!(duration_seconds(&login), 43 * 60 + 20);
}

/// Imported into a folder with a `postevent.toml`, logs take its scale: the feed's worst
/// level is the worst of the scale, and the logs are checked against the config.
#[test]
fn imported_severities_follow_the_folders_scale() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("postevent.toml"),
        "[severities]\nlevels = [\"P0\", \"P1\", \"P2\"]\n",
    )
    .unwrap();
    let input = fixture("import/statuspage-incidents.json");
    let out = run(&["import", "statuspage", s(&input), "--dir", s(dir.path())]).code(0);
    let paths: Vec<PathBuf> = out.stdout.lines().map(PathBuf::from).collect();
    let severity = |path: &Path| {
        let text = std::fs::read_to_string(path).unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix("severity: ").map(str::to_owned))
            .unwrap()
    };
    // Major (SEV2 on the built-in scale) is the second level here, minor (SEV3) the third.
    assert_eq!(severity(&paths[1]), "P1");
    assert_eq!(severity(&paths[0]), "P2");
    run(&["check", s(dir.path())]).code(0);
    // `--config` names another organisation's file.
    let other = tempfile::tempdir().unwrap();
    let config = dir.path().join("postevent.toml");
    run(&[
        "import",
        "statuspage",
        s(&input),
        "--dir",
        s(other.path()),
        "--config",
        s(&config),
    ])
    .code(0)
    .stdout_has(&["dashboard-login"]);
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
        .stderr_has(&["bad.json:3:", "not JSON"]);
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
    run(&["import", "pagerduty", s(&gcp), "--dir", d])
        .code(2)
        .stderr_has(&["not a PagerDuty log"]);
    run(&["import", "jira", s(&gcp), "--dir", d]).code(2);
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

/// Regression: the size budget was checked only once the whole log had been built (a 40 KB
/// document could build a log of 37.5 MB first). A log whose text alone is over
/// `--max-file-bytes` is now refused before it is built, and nothing is written.
#[test]
fn a_log_over_the_size_budget_is_refused_before_it_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let body = "*".repeat(3_000);
    let doc = serde_json::json!({
        "incidents": [{
            "id": "stars",
            "name": "Stars",
            "status": "resolved",
            "impact": "minor",
            "created_at": "2026-01-01T10:05:00Z",
            "started_at": "2026-01-01T10:00:00Z",
            "resolved_at": "2026-01-01T11:00:00Z",
            "incident_updates": [{
                "status": "resolved",
                "body": body,
                "created_at": "2026-01-01T10:30:00Z"
            }]
        }]
    });
    let input = dir.path().join("stars.json");
    std::fs::write(&input, doc.to_string()).unwrap();
    let logs = dir.path().join("logs");
    let limit = "4000";
    assert!(std::fs::metadata(&input).unwrap().len() < 4_000);
    run(&[
        "import",
        "statuspage",
        s(&input),
        "--dir",
        s(&logs),
        "--max-file-bytes",
        limit,
    ])
    .code(2)
    .stderr_has(&[
        "would be larger than the limit of 4000 bytes",
        "--max-file-bytes",
    ]);
    assert!(!logs.exists(), "something was written");
    run(&["import", "statuspage", s(&input), "--dir", s(&logs)]).code(0);
}

/// The incident in `path` and the codes of what `check` says about it.
fn load_with_codes(path: &Path) -> (Incident, Vec<&'static str>) {
    let text = std::fs::read_to_string(path).unwrap();
    let checked = validate::check(
        &Source::new("log", Some(path.to_owned()), text),
        Limits::default(),
    );
    let codes = checked.diagnostics.iter().map(|d| d.code.code()).collect();
    (checked.incident.unwrap(), codes)
}

/// Runs the binary with `stdin`; returns the exit code, stdout and stderr.
fn run_with_stdin(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_postevent"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The child may refuse before reading all of it.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The `.yaml` files in `dir`.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    found.sort();
    found
}

const SLACK: &str = "import/slack-export";
const CHANNEL: &str = "inc-4211-checkout-5xx";

/// The channel's messages in the fixture, by `ts`.
fn slack_messages() -> Vec<Value> {
    let mut all = Vec::new();
    for day in ["2026-03-04", "2026-03-05"] {
        let v = json(&format!("slack-export/{CHANNEL}/{day}.json"));
        all.extend(v.as_array().unwrap().iter().cloned());
    }
    all
}

/// A Slack `ts` as an instant, computed here from its digits.
fn slack_instant(ts: &str) -> DateTime<Utc> {
    let (secs, micros) = ts.split_once('.').unwrap();
    DateTime::from_timestamp(secs.parse().unwrap(), micros.parse::<u32>().unwrap() * 1000).unwrap()
}

/// The instant of the first message a bot posted.
fn slack_bot_at(messages: &[Value]) -> DateTime<Utc> {
    let m = messages
        .iter()
        .find(|m| m["subtype"] == "bot_message")
        .unwrap();
    slack_instant(m["ts"].as_str().unwrap())
}

/// The instant of the message whose text starts with `start`.
fn slack_at(messages: &[Value], start: &str) -> DateTime<Utc> {
    let m = messages
        .iter()
        .find(|m| m["text"].as_str().unwrap().starts_with(start))
        .unwrap_or_else(|| panic!("no message starts with {start:?}"));
    slack_instant(m["ts"].as_str().unwrap())
}

fn import_slack(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let export = fixture(SLACK);
    let mut args = vec!["import", "slack", s(&export), "--channel", CHANNEL];
    args.extend(["--dir", s(dir.path())]);
    args.extend(extra);
    let out = run(&args).code(0);
    let path = PathBuf::from(out.stdout.trim());
    assert_eq!(yaml_files(dir.path()), std::slice::from_ref(&path));
    (dir, path)
}

#[test]
fn a_slack_channel_becomes_a_log_of_its_marked_messages() {
    let (_dir, path) = import_slack(&[]);
    let text = std::fs::read_to_string(&path).unwrap();
    // Not resolved, no phases: `check` has nothing to say.
    let incident = load(&path);
    assert_eq!(
        incident.title,
        "Checkout API returning 5xx in eu-west-1 & #general"
    );
    assert_eq!(
        incident.severity.as_str(),
        "SEV2",
        "from the channel's topic"
    );
    assert_eq!(incident.status, Status::Investigating);
    assert!(incident.timeline.iter().all(|e| e.phase.is_none()));
    assert!(incident.timeline.iter().all(|e| e.internal));
    let messages = slack_messages();
    let at: Vec<DateTime<Utc>> = incident.timeline.iter().map(|e| e.at).collect();
    assert_eq!(
        at,
        [
            // The first message (joins and the purpose are not messages) and the last.
            slack_bot_at(&messages),
            slack_at(&messages, "<!here> declaring"),
            // A thread with a marked reply stays at its parent's time.
            slack_at(&messages, "Error logs show"),
            slack_at(&messages, "5xx back under"),
            slack_at(&messages, "All clear"),
            slack_at(&messages, "Thanks all"),
        ]
    );
    // To the microsecond, as `ts` has it.
    assert!(text.contains("at: 2026-03-04T22:53:40.118200Z"), "{text}");
    assert!(text.contains("at: 2026-03-05T00:02:00.000001Z"), "{text}");
    // User ids are display names (or real names); bots are marked.
    assert!(!text.contains("U04"), "{text}");
    let first = &incident.timeline[0].text;
    assert!(first.starts_with("**PagerDuty** (bot):"), "{first}");
    let declared = &incident.timeline[1].text;
    assert!(
        declared.starts_with("**priya**: @here declaring **SEV2**: checkout 5xx at \\~12%"),
        "{declared}"
    );
    assert!(declared.contains("@Sam Lee please look"), "{declared}");
    assert!(
        declared.contains(
            "[checkout overview](https://grafana.relay.example/d/chk?orgId=1&from=now-1h)"
        ),
        "{declared}"
    );
    let thread = &incident.timeline[2].text;
    assert!(
        thread.contains("\n\n> **priya** at 23:01:05: *Root cause identified*: pool size"),
        "{thread}"
    );
    // The unmarked reply and the unmarked message are not taken; housekeeping never is.
    for absent in [
        "helm rollback",
        "Zendesk",
        "has joined",
        "set the channel purpose",
    ] {
        assert!(!text.contains(absent), "{absent}: {text}");
    }
}

#[test]
fn every_slack_message_and_phases_from_keywords() {
    let (_dir, path) = import_slack(&["--all", "--phases-from-keywords", "--tz", "Europe/London"]);
    let (incident, codes) = load_with_codes(&path);
    // Resolved without `started`: left for a person, and `check` says so.
    assert_eq!(codes, ["W003"]);
    assert_eq!(incident.status, Status::Resolved);
    assert_eq!(incident.timezone.name(), "Europe/London");
    let messages = slack_messages();
    let phases = [
        (Phase::Detected, "PagerDuty"),
        (Phase::Identified, "_Root cause identified_"),
        (Phase::Mitigated, "5xx back under"),
        (Phase::Resolved, "All clear"),
    ];
    for (phase, start) in phases {
        let at = match start {
            "PagerDuty" => slack_bot_at(&messages),
            _ => slack_at(&messages, start),
        };
        assert_eq!(incident.phase_at(phase), Some(at), "{phase:?}");
    }
    assert_eq!(incident.phase_at(Phase::Acknowledged), None);
    let text = std::fs::read_to_string(&path).unwrap();
    // Every reply is quoted under its parent, with its own time (and date, past midnight).
    assert!(text.contains("> **Sam Lee** at 23:06:44:"), "{text}");
    assert!(
        text.contains("> **Sam Lee** at 2026-03-05 00:04:55:"),
        "{text}"
    );
    assert!(
        text.contains("> $ helm rollback payments-gw 41 -n payments"),
        "{text}"
    );
    // A deleted user's display name; a shared file by its title.
    assert!(text.contains("**dana\\_k**"), "{text}");
    assert!(text.contains("*Attached:* Zendesk ticket spike"), "{text}");
    // The reply that names a phase has its own event, in time order.
    let written: Vec<_> = incident.timeline.iter().map(|e| e.at).collect();
    let mut sorted = written.clone();
    sorted.sort();
    assert_eq!(written, sorted);
}

#[test]
fn another_emoji_marks_other_messages() {
    let (_dir, path) = import_slack(&["--emoji", ":eyes:"]);
    let incident = load(&path);
    let messages = slack_messages();
    let at: Vec<_> = incident.timeline.iter().map(|e| e.at).collect();
    assert_eq!(
        at,
        [
            slack_bot_at(&messages),
            slack_at(&messages, "Error logs show"),
            slack_at(&messages, "Thanks all")
        ]
    );
}

/// The zip Slack gives you: members stored deflated, as Slack writes them.
fn zip_of_folder(folder: &Path, prefix: &str) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(folder)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    for file in files {
        let name = file.strip_prefix(folder).unwrap().to_str().unwrap();
        zip.start_file(format!("{prefix}{name}"), options).unwrap();
        zip.write_all(&std::fs::read(&file).unwrap()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

#[test]
fn a_slack_zip_imports_as_its_folder_does() {
    let (_dir, from_folder) = import_slack(&["--all"]);
    let expected = std::fs::read(&from_folder).unwrap();
    for prefix in ["", "slack-export/"] {
        let bytes = zip_of_folder(&fixture(SLACK), prefix);
        let dir = tempfile::tempdir().unwrap();
        let zip = dir
            .path()
            .join("Relay Slack export Mar 4 2026 - Mar 5 2026.zip");
        std::fs::write(&zip, &bytes).unwrap();
        let out = dir.path().join("out");
        let args = ["import", "slack", s(&zip), "--channel", CHANNEL, "--all"];
        let written = run(&[&args[..], &["--dir", s(&out)]].concat()).code(0);
        assert_eq!(std::fs::read(written.stdout.trim()).unwrap(), expected);
        // And from standard input.
        let piped = dir.path().join("piped");
        let (code, stdout, stderr) = run_with_stdin(
            &[
                "import",
                "slack",
                "-",
                "--channel",
                CHANNEL,
                "--all",
                "--dir",
                s(&piped),
            ],
            &bytes,
        );
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(std::fs::read(stdout.trim()).unwrap(), expected);
    }
}

#[test]
fn bad_slack_exports_are_refused_where_they_are_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = s(&out);
    let export = fixture(SLACK);
    run(&[
        "import",
        "slack",
        s(&export),
        "--channel",
        "inc-4211",
        "--dir",
        o,
    ])
    .code(2)
    .stderr_has(&[
        "no channel `inc-4211`",
        "did you mean `inc-4211-checkout-5xx`?",
    ]);
    run(&[
        "import",
        "slack",
        s(&export),
        "--channel",
        "nope",
        "--dir",
        o,
    ])
    .code(2)
    .stderr_has(&["the export's channels: general, inc-4211-checkout-5xx"]);
    run(&["import", "slack", s(&export), "--dir", o])
        .code(2)
        .stderr_has(&["--channel"]);
    // A day file with a timestamp that is not one: its file, line and column.
    let broken = dir.path().join("broken");
    copy_folder(&export, &broken);
    let import_broken = || {
        run(&[
            "import",
            "slack",
            s(&broken),
            "--channel",
            CHANNEL,
            "--dir",
            o,
        ])
    };
    let day = broken.join(CHANNEL).join("2026-03-05.json");
    let text = std::fs::read_to_string(&day).unwrap();
    std::fs::write(
        &day,
        text.replacen("\"1772668920.000001\"", "\"yesterday\"", 1),
    )
    .unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("1772668920.000001"))
        .unwrap()
        + 1;
    import_broken().code(2).stderr_has(&[
        &format!("{CHANNEL}/2026-03-05.json:{line}:"),
        "`yesterday` is not a Slack timestamp",
        "hint: a day file of a Slack export is a list of messages",
    ]);
    std::fs::write(broken.join("users.json"), "[{\"id\": \"U1\",}]").unwrap();
    import_broken()
        .code(2)
        .stderr_has(&["users.json:1:14: not JSON: trailing comma"]);
    // Not a zip, no such path, not an export.
    let not_zip = fixture("import/gcp-incidents.json");
    run(&[
        "import",
        "slack",
        s(&not_zip),
        "--channel",
        CHANNEL,
        "--dir",
        o,
    ])
    .code(2)
    .stderr_has(&["not a zip archive", "hint: give the .zip"]);
    let missing = dir.path().join("missing.zip");
    run(&[
        "import",
        "slack",
        s(&missing),
        "--channel",
        CHANNEL,
        "--dir",
        o,
    ])
    .code(2)
    .stderr_has(&["missing.zip: no such file or folder"]);
    run(&[
        "import",
        "slack",
        s(dir.path()),
        "--channel",
        CHANNEL,
        "--dir",
        o,
    ])
    .code(2)
    .stderr_has(&["not a Slack export: it has no `channels.json`"]);
    assert!(!out.exists(), "nothing is written");
}

/// A zip bomb: 64 MiB of one byte, about 64 KB zipped, as the channel's day file. The
/// read stops at `--max-file-bytes`, however large the zip says the file is.
#[test]
fn a_slack_zip_bomb_stops_at_the_byte_limit() {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("channels.json", options).unwrap();
    zip.write_all(br#"[{"id": "C1", "name": "bomb"}]"#).unwrap();
    zip.start_file("bomb/2026-03-04.json", options).unwrap();
    let block = vec![b' '; 1 << 20];
    for _ in 0..64 {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
    let bytes = out.into_inner();
    assert!(bytes.len() < 100_000, "{}", bytes.len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.zip");
    std::fs::write(&path, bytes).unwrap();
    let started = std::time::Instant::now();
    run(&[
        "import",
        "slack",
        s(&path),
        "--channel",
        "bomb",
        "--dir",
        s(dir.path()),
        "--max-file-bytes",
        "10000000",
    ])
    .code(2)
    .stderr_has(&[
        "bomb.zip/bomb/2026-03-04.json: the export's files are larger than the limit of 10000000 bytes",
        "raise it with `--max-file-bytes`",
    ]);
    assert!(started.elapsed().as_secs() < 20);
    assert!(yaml_files(dir.path()).is_empty());
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

const PD_LOG: &str = "import/pagerduty-log-entries.json";
const PD_INCIDENT: &str = "import/pagerduty-incident.json";

/// The `created_at` of the oldest log entry of `kind`.
fn pd_first(kind: &str) -> DateTime<Utc> {
    json("pagerduty-log-entries.json")["log_entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == kind)
        .map(|e| instant(&e["created_at"]))
        .min()
        .unwrap()
}

#[test]
fn a_pagerduty_log_with_its_incident_becomes_a_log() {
    let dir = tempfile::tempdir().unwrap();
    let (log, inc) = (fixture(PD_LOG), fixture(PD_INCIDENT));
    let args = ["import", "pagerduty", s(&log), "--incident", s(&inc)];
    let out = run(&[&args[..], &["--dir", s(dir.path())]].concat()).code(0);
    let path = PathBuf::from(out.stdout.trim());
    assert_eq!(
        path.file_name().unwrap(),
        "2026-03-04-checkout-api-5xx-ratio-5-eu-west-1.yaml"
    );
    let (incident, codes) = load_with_codes(&path);
    assert_eq!(codes, ["W003"], "`started` is left for a person");
    assert_eq!(incident.title, "checkout-api 5xx ratio > 5% (eu-west-1)");
    assert_eq!(incident.severity.as_str(), "SEV2", "priority P2");
    assert_eq!(incident.status, Status::Resolved);
    let services: Vec<_> = incident.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(services, ["checkout-api"]);
    assert_eq!(
        incident.phase_at(Phase::Detected),
        Some(pd_first("trigger_log_entry"))
    );
    assert_eq!(
        incident.phase_at(Phase::Acknowledged),
        Some(pd_first("acknowledge_log_entry"))
    );
    assert_eq!(
        incident.phase_at(Phase::Resolved),
        Some(pd_first("resolve_log_entry"))
    );
    assert_eq!(incident.phase_at(Phase::Started), None);
    // Every entry but the three notifications, oldest first; all internal.
    let entries = json("pagerduty-log-entries.json")["log_entries"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(incident.timeline.len(), entries - 3);
    assert!(incident.timeline.iter().all(|e| e.internal));
    let texts: Vec<&str> = incident
        .timeline
        .iter()
        .map(|e| e.text.trim_end())
        .collect();
    assert_eq!(
        texts[0],
        "Triggered through the API.\n\n> checkout-api 5xx ratio \\> 5% (eu-west-1)"
    );
    assert!(texts.contains(
        &"**Note by Priya Raman**: 5xx \\< 0.5% after the rollback. Monitoring for 30 min."
    ));
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("**Note by Sam Lee**: Root cause: payments-gw"))
    );
    assert_eq!(
        incident.links[0].url,
        "https://relay.pagerduty.example/incidents/Q1CHK4211XYZ7A"
    );

    // The same incident in one document with the log, from standard input.
    let mut combined = json("pagerduty-log-entries.json");
    combined["incident"] = json("pagerduty-incident.json")["incident"].clone();
    let piped = dir.path().join("piped");
    let (code, stdout, stderr) = run_with_stdin(
        &["import", "pagerduty", "-", "--dir", s(&piped)],
        combined.to_string().as_bytes(),
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(stdout.trim()).unwrap(),
        std::fs::read_to_string(&path).unwrap()
    );
}

#[test]
fn a_pagerduty_log_alone_and_with_notifications() {
    let dir = tempfile::tempdir().unwrap();
    let log = fixture(PD_LOG);
    let out = run(&[
        "import",
        "pagerduty",
        s(&log),
        "--all",
        "--dir",
        s(dir.path()),
    ])
    .code(0);
    let (incident, codes) = load_with_codes(Path::new(out.stdout.trim()));
    assert_eq!(codes, ["W003"]);
    // Without the incident: the title from the entries' incident reference, urgency unknown.
    assert_eq!(incident.title, "checkout-api 5xx ratio > 5% (eu-west-1)");
    assert_eq!(incident.severity.as_str(), "SEV3");
    let entries = json("pagerduty-log-entries.json")["log_entries"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(incident.timeline.len(), entries);
    assert!(
        incident
            .timeline
            .iter()
            .any(|e| e.text == "Notified Priya Raman by SMS.")
    );
}

#[test]
fn bad_pagerduty_documents_are_refused_where_they_are_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = s(&out);
    let bad = dir.path().join("log.json");
    let write = |text: &str| std::fs::write(&bad, text).unwrap();
    write(
        "{\n  \"log_entries\": [\n    {\"type\": \"trigger_log_entry\", \"created_at\": 5}\n  ]\n}\n",
    );
    run(&["import", "pagerduty", s(&bad), "--dir", o])
        .code(2)
        .stderr_has(&[
            "log.json:3:",
            "invalid type: integer `5`",
            "hint: give the response of `GET /incidents/{id}/log_entries`",
        ]);
    write("{\"log_entries\": [\n  {\"type\": \"trigger_log_entry\",\n");
    run(&["import", "pagerduty", s(&bad), "--dir", o])
        .code(2)
        .stderr_has(&["log.json:3:1: not JSON: EOF while parsing"]);
    write(
        r#"{"log_entries": [{"type": "trigger_log_entry", "created_at": "2026-03-04T22:51:28Z"}], "limit": 1, "offset": 0, "more": true}"#,
    );
    run(&["import", "pagerduty", s(&bad), "--dir", o])
        .code(2)
        .stderr_has(&["one page of the log (`more` is true)", "jq -s"]);
    write(r#"{"log_entries": []}"#);
    run(&["import", "pagerduty", s(&bad), "--dir", o])
        .code(2)
        .stderr_has(&["the log has no entries"]);
    let incident = fixture(PD_INCIDENT);
    run(&["import", "pagerduty", s(&incident), "--dir", o])
        .code(2)
        .stderr_has(&["an incident without its log"]);
    // A bad incident document is named, not the log.
    let log = fixture(PD_LOG);
    write("{\"incident\": {\"incident_number\": \"4211\"}}");
    run(&[
        "import",
        "pagerduty",
        s(&log),
        "--incident",
        s(&bad),
        "--dir",
        o,
    ])
    .code(2)
    .stderr_has(&[
        "log.json:1:",
        "invalid type: string \"4211\"",
        "hint: give the response of `GET /incidents/{id}`",
    ]);
    assert!(!out.exists(), "nothing is written");
}
