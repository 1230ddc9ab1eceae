//! `new`, `log`, `completions` and `man`: the files they write and every way they refuse.

use std::path::{Path, PathBuf};
use std::process::Command;

use postevent::model::{Incident, Phase, ServiceStatus};
use postevent::parse::Limits;
use postevent::source::Source;
use postevent::validate;

use crate::{root, run};

/// The incident in `path`, which must pass `check` without errors.
fn load(path: &Path) -> Incident {
    let text = std::fs::read_to_string(path).unwrap();
    let checked = validate::check(
        &Source::new("log", Some(path.to_owned()), text),
        Limits::default(),
    );
    checked
        .incident
        .unwrap_or_else(|| panic!("{} is invalid: {:?}", path.display(), checked.diagnostics))
}

/// A copy of a bundled example in a fresh folder.
fn example(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::copy(root().join("incidents").join(name), &path).unwrap();
    (dir, path)
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// What `after` has that `before` does not, asserting that nothing else changed: every byte
/// of `before` is still there, in order, around one inserted run.
fn inserted(before: &str, after: &str) -> String {
    let prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = before[prefix..]
        .bytes()
        .rev()
        .zip(after[prefix..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(
        prefix + suffix,
        before.len(),
        "bytes of the original changed"
    );
    after[prefix..after.len() - suffix].to_owned()
}

#[test]
fn new_writes_a_log_that_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&[
        "new",
        "DynamoDB DNS failure: #1 *empty* record",
        "--severity",
        "sev2",
        "--tz",
        "America/Los_Angeles",
        "--at",
        "2025-10-19 23:48",
        "--dir",
        s(dir.path()),
    ])
    .code(0);
    let path = PathBuf::from(out.stdout.trim());
    assert_eq!(
        path,
        dir.path()
            .join("2025-10-19-dynamodb-dns-failure-1-empty-record.yaml")
    );
    let incident = load(&path);
    assert_eq!(incident.title, "DynamoDB DNS failure: #1 *empty* record");
    assert_eq!(
        incident.id,
        "2025-10-19-dynamodb-dns-failure-1-empty-record"
    );
    assert_eq!(incident.severity.as_str(), "SEV2");
    assert_eq!(incident.timezone.name(), "America/Los_Angeles");
    assert_eq!(incident.timeline.len(), 1);
    assert_eq!(incident.timeline[0].phase, Some(Phase::Started));
    assert_eq!(
        incident.timeline[0].at.to_rfc3339(),
        "2025-10-20T06:48:00+00:00"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("# yaml-language-server: $schema="),
        "{text}"
    );
    run(&["check", "--strict", s(&path)]).code(0);
}

#[test]
fn new_defaults_to_now_in_utc() {
    let dir = tempfile::tempdir().unwrap();
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    let out = run(&["new", "Checkout errors", "--dir", s(dir.path())]).code(0);
    let incident = load(Path::new(out.stdout.trim()));
    assert_eq!(incident.timezone.name(), "UTC");
    assert_eq!(incident.severity.as_str(), "SEV3");
    let at = incident.timeline[0].at;
    assert!(at >= before && at <= chrono::Utc::now(), "{at}");
    let expected = format!("{}-checkout-errors.yaml", at.format("%Y-%m-%d"));
    assert!(out.stdout.trim().ends_with(&expected), "{}", out.stdout);
}

/// `new` offers the scale of the folder's postevent.toml: its levels, its middle by default.
#[test]
fn new_follows_the_folders_scale() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("postevent.toml"),
        "[severities]\nlevels = [\"SEV0\", \"SEV1\", \"SEV2\", \"SEV3\", \"SEV4\"]\n",
    )
    .unwrap();
    let logs = dir.path().join("incidents");
    let new = |title: &str, extra: &[&str]| {
        let mut args = vec!["new", title, "--dir", s(&logs), "--at", "2026-05-12 11:28"];
        args.extend_from_slice(extra);
        let out = run(&args).code(0);
        PathBuf::from(out.stdout.trim())
    };
    let worst = std::fs::read_to_string(new("Edge down", &["--severity", "sev0"])).unwrap();
    assert!(worst.contains("\nseverity: SEV0"), "{worst}");
    let middle = std::fs::read_to_string(new("Edge slow", &[])).unwrap();
    assert!(middle.contains("\nseverity: SEV2"), "{middle}");
    // Both pass `check`, which reads the same config.
    run(&["check", s(&logs)]).code(0);
    run(&["new", "x", "--dir", s(&logs), "--severity", "SEV5"])
        .code(2)
        .stderr_has(&["unknown severity `SEV5`", "`SEV0`", "`SEV4`"]);
}

#[test]
fn new_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "new",
        "Same title",
        "--at",
        "2026-01-01 10:00",
        "--dir",
        s(dir.path()),
    ];
    let first = run(&args).code(0);
    let path = PathBuf::from(first.stdout.trim());
    std::fs::write(&path, "edited by hand\n").unwrap();
    run(&args)
        .code(2)
        .stderr_has(&["already exists", "never overwrites"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited by hand\n");
}

#[test]
fn new_refuses_bad_flags() {
    let dir = tempfile::tempdir().unwrap();
    let d = s(dir.path());
    run(&["new", "x", "--severity", "SEV9", "--dir", d])
        .code(2)
        .stderr_has(&["SEV9", "SEV1"]);
    run(&["new", "x", "--tz", "America/Los_Angles", "--dir", d])
        .code(2)
        .stderr_has(&["unknown timezone", "America/Los_Angeles"]);
    run(&[
        "new",
        "x",
        "--at",
        "2025-03-09 02:30",
        "--tz",
        "America/Los_Angeles",
        "--dir",
        d,
    ])
    .code(2)
    .stderr_has(&["does not exist", "hint"]);
    run(&["new", "データベース障害", "--dir", d])
        .code(2)
        .stderr_has(&["cannot make a file name", "--id"]);
    run(&["new", "x", "--id", "Bad_Id", "--dir", d])
        .code(2)
        .stderr_has(&["invalid id `Bad_Id`"]);
    run(&["new", "", "--dir", d]).code(2);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn log_keeps_every_byte_outside_the_new_event() {
    for name in [
        "aws-us-east-1-2025-10-20.yaml",
        "checkout-bad-deploy-2026-03-14.yaml",
        "payments-db-failover-2026-09-02.yaml",
    ] {
        let (_dir, path) = example(name);
        let before = std::fs::read_to_string(&path).unwrap();
        let events = load(&path).timeline.len();
        run(&[
            "log",
            s(&path),
            "Review meeting: *all* teams #postmortem",
            "--at",
            "2026-12-01T17:00:00Z",
            "--internal",
        ])
        .code(0)
        .stdout_has(&["logged", "2026-12-01 17:00 UTC"]);
        let after = std::fs::read_to_string(&path).unwrap();
        let event = inserted(&before, &after);
        assert!(
            event.contains("text: 'Review meeting: *all* teams #postmortem'\n"),
            "{name}: {event:?}"
        );
        let incident = load(&path);
        assert_eq!(incident.timeline.len(), events + 1, "{name}");
        let last = incident.timeline.last().unwrap();
        assert_eq!(last.text, "Review meeting: *all* teams #postmortem");
        assert!(last.internal);
    }
}

const HAND_WRITTEN: &str = "\
# yaml-language-server: $schema=../docs/incident.schema.json
# A log written by hand, with comments everywhere.

title: Payments API errors   # short for now
severity: SEV2
timezone: Europe/Berlin
services:
  - payments-api   # the public one
  - ledger

timeline:
    # the first event
    -   at: 2026-03-14 14:06
        phase: started
        status: {payments-api: partial_outage}
        text: |
          Deploy reaches 100%.

          # not a comment: Markdown heading inside the text

    -   at: \"14:10\"   # quoted time of day
        phase: detected
        text: Alert fires.
    # more events will follow

# --- analysis below ---
summary: ''
";

#[test]
fn log_matches_the_files_own_layout_and_keeps_its_comments() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("payments.yaml");
    std::fs::write(&path, HAND_WRITTEN).unwrap();
    run(&[
        "log",
        s(&path),
        "Rollback started",
        "--at",
        "14:20",
        "--phase",
        "mitigated",
        "--status",
        "payments-api=operational",
        "--id",
        "rollback",
    ])
    .code(0)
    .stdout_has(&["2026-03-14 14:20 CET", "payments.yaml:25"]);
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        inserted(HAND_WRITTEN, &after),
        "\n    -   id: rollback\n        at: 2026-03-14 14:20\n        phase: mitigated\n        \
         status:\n          payments-api: operational\n        text: Rollback started\n"
    );
    assert!(after.contains("        text: Alert fires.\n\n    -   id: rollback\n"));
    let incident = load(&path);
    assert_eq!(
        incident.phase_at(Phase::Mitigated).unwrap().to_rfc3339(),
        "2026-03-14T13:20:00+00:00"
    );
    assert_eq!(
        incident.timeline.last().unwrap().status,
        vec![("payments-api".to_owned(), ServiceStatus::Operational)]
    );
}

#[test]
fn log_records_what_was_published() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("payments.yaml");
    std::fs::write(&path, HAND_WRITTEN).unwrap();
    run(&[
        "log",
        s(&path),
        "Status page post",
        "--at",
        "14:20",
        "--update",
        "We are investigating failed payments: #1 priority.",
    ])
    .code(0);
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        inserted(HAND_WRITTEN, &after),
        "\n    -   at: 2026-03-14 14:20\n        text: Status page post\n        \
         update: 'We are investigating failed payments: #1 priority.'\n"
    );
    let published = load(&path).timeline.last().unwrap().update.clone();
    assert_eq!(
        published.as_deref(),
        Some("We are investigating failed payments: #1 priority.")
    );
    run(&["log", s(&path), "x", "--update", ""]).code(2);
}

#[test]
fn log_defaults_to_now_and_reads_multi_line_text() {
    let (_dir, path) = example("checkout-bad-deploy-2026-03-14.yaml");
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    run(&["log", s(&path), "Line one.\nLine two: with a colon.\n"]).code(0);
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(
        after.contains("    text: |\n      Line one.\n      Line two: with a colon.\n"),
        "{after}"
    );
    let last = load(&path)
        .timeline
        .into_iter()
        .max_by_key(|e| e.at)
        .unwrap();
    assert_eq!(last.text, "Line one.\nLine two: with a colon.\n");
    assert!(last.at >= before && last.at <= chrono::Utc::now());
}

/// Runs `log` on a copy of the AWS example and asserts the file did not change.
#[track_caller]
/// An event earlier than the last goes where its time puts it, comments above the event after
/// it staying with that event; a time of day takes the nearer of the last event's date and
/// the day after.
#[test]
fn log_inserts_an_earlier_event_in_time_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hand.yaml");
    std::fs::write(&path, HAND_WRITTEN).unwrap();
    run(&["log", s(&path), "Rollback started", "--at", "14:08"])
        .code(0)
        .stdout_has(&["logged 2026-03-14 14:08 CET", "hand.yaml:21"]);
    let after = std::fs::read_to_string(&path).unwrap();
    // Every byte kept, the new event (and the blank line the others have) before the next.
    let expected = HAND_WRITTEN.replace(
        "    -   at: \"14:10\"",
        "    -   at: 2026-03-14 14:08\n        text: Rollback started\n\n    -   at: \"14:10\"",
    );
    assert_eq!(after, expected);
    let texts: Vec<String> = load(&path).timeline.into_iter().map(|e| e.text).collect();
    assert_eq!(texts[1], "Rollback started");
    let checked = validate::check(
        &Source::from_text("hand.yaml", std::fs::read_to_string(&path).unwrap()),
        Limits::default(),
    );
    let codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code.code()).collect();
    assert!(!codes.contains(&"W001"), "events out of order: {codes:?}");
    // Before the first event: above the comment that belongs to it.
    run(&[
        "log",
        s(&path),
        "Deploy started",
        "--at",
        "2026-03-14 13:50",
    ])
    .code(0);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("timeline:\n    -   at: 2026-03-14 13:50\n        text: Deploy started\n\n    # the first event\n"),
        "{text}"
    );
    // 23:55 is nearer on the same day than on the next; 00:05 after 23:55 is the next day.
    run(&["log", s(&path), "Late", "--at", "23:55"]).code(0);
    run(&["log", s(&path), "After midnight", "--at", "00:05"])
        .code(0)
        .stdout_has(&["2026-03-15 00:05 CET"]);
    let incident = load(&path);
    let times: Vec<String> = incident
        .timeline
        .iter()
        .map(|e| e.at.format("%d %H:%M").to_string())
        .collect();
    assert_eq!(
        times,
        [
            "14 12:50", "14 13:06", "14 13:08", "14 13:10", "14 22:55", "14 23:05"
        ]
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let written: Vec<usize> = ["13:50", "14:06", "14:08", "\"14:10\"", "23:55", "00:05"]
        .iter()
        .map(|t| {
            text.find(&format!("at: {t}"))
                .or_else(|| text.find(&format!("at: 2026-03-14 {t}")))
                .or_else(|| text.find(&format!("at: 2026-03-15 {t}")))
                .unwrap_or_else(|| panic!("{t} in {text}"))
        })
        .collect();
    assert!(
        written.windows(2).all(|w| w[0] < w[1]),
        "written out of order: {text}"
    );
}

/// `--set-status` rewrites the top-level status where it is written (its comment kept), or
/// adds the key above `timeline:`; nothing else changes.
#[test]
fn log_sets_the_incident_status() {
    let (_dir, path) = example("checkout-bad-deploy-2026-03-14.yaml");
    let original = std::fs::read_to_string(&path).unwrap();
    let unresolved = original
        .replace("status: resolved", "status: monitoring  # watching")
        .replace("    phase: resolved\n", "");
    assert_ne!(
        unresolved, original,
        "the fixture has a resolved status and phase"
    );
    std::fs::write(&path, &unresolved).unwrap();
    let before = load(&path);
    run(&[
        "log",
        s(&path),
        "Error rate back to baseline for an hour.",
        "--at",
        "2026-03-14T16:00:00Z",
        "--phase",
        "resolved",
        "--set-status",
        "resolved",
    ])
    .code(0);
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("status: resolved  # watching\n"), "{after}");
    let incident = load(&path);
    assert_eq!(incident.status, postevent::model::Status::Resolved);
    assert_eq!(incident.timeline.len(), before.timeline.len() + 1);
    assert_eq!(
        incident.phase_at(Phase::Resolved),
        Some("2026-03-14T16:00:00Z".parse().unwrap())
    );

    let without: String = unresolved
        .lines()
        .filter(|l| !l.starts_with("status:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, &without).unwrap();
    run(&[
        "log",
        s(&path),
        "Watching",
        "--at",
        "2026-03-14T16:00:00Z",
        "--set-status",
        "monitoring",
    ])
    .code(0);
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("status: monitoring\ntimeline:"), "{after}");
    run(&["log", s(&path), "x", "--set-status", "done"])
        .code(2)
        .stderr_has(&["done", "resolved"]);
}

/// `--severity` records an escalation on the event and raises the incident's severity (the
/// worst reached); a de-escalation leaves it; a level off the scale is refused.
#[test]
fn log_records_the_severity_history() {
    let (_dir, path) = example("checkout-bad-deploy-2026-03-14.yaml");
    run(&[
        "log",
        s(&path),
        "Every checkout fails",
        "--at",
        "2026-03-14T13:30:00Z",
        "--severity",
        "sev1",
    ])
    .code(0);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\nseverity: SEV1\n"),
        "the top level is the worst reached: {text}"
    );
    assert!(text.contains("    severity: SEV1\n"), "{text}");
    run(&[
        "log",
        s(&path),
        "Partly back",
        "--at",
        "2026-03-14T13:35:00Z",
        "--severity",
        "SEV2",
    ])
    .code(0);
    let incident = load(&path);
    assert_eq!(incident.severity.as_str(), "SEV1");
    let history: Vec<&str> = incident
        .timeline
        .iter()
        .filter_map(|e| e.severity.as_ref().map(|s| s.as_str()))
        .collect();
    assert_eq!(history, ["SEV1", "SEV2"]);
    let md = run(&["report", s(&path), "--format", "md"]).code(0).stdout;
    assert!(
        md.contains("→ **SEV1**") && md.contains("→ **SEV2**"),
        "{md}"
    );
    run(&["log", s(&path), "x", "--severity", "SEV0"])
        .code(2)
        .stderr_has(&["unknown severity `SEV0`", "`SEV1`"]);
}

fn log_refused(args: &[&str], code: u8, stderr: &[&str]) {
    let (_dir, path) = example("aws-us-east-1-2025-10-20.yaml");
    let before = std::fs::read(&path).unwrap();
    let mut argv = vec!["log", s(&path)];
    argv.extend_from_slice(args);
    run(&argv).code(code).stderr_has(stderr);
    assert_eq!(std::fs::read(&path).unwrap(), before, "the file changed");
}

#[test]
fn log_refuses_what_would_break_the_log() {
    log_refused(
        &["x", "--status", "DynamoDb=operational"],
        2,
        &["unknown service `DynamoDb`", "did you mean `DynamoDB`?"],
    );
    log_refused(
        &["x", "--status", "Route 53=operational"],
        2,
        &[
            "unknown service `Route 53`",
            "declared services: DynamoDB, EC2",
        ],
    );
    log_refused(
        &["x", "--status", "EC2=down"],
        2,
        &["`down` is not a status", "`major_outage`"],
    );
    log_refused(&["x", "--status", "EC2"], 2, &["SERVICE=STATUS"]);
    log_refused(&["x", "--phase", "fixed"], 2, &["fixed", "mitigated"]);
    log_refused(&["x", "--bogus"], 2, &["--bogus"]);
    log_refused(&[""], 2, &["TEXT"]);
    log_refused(
        &["x", "--at", "yesterday"],
        2,
        &["`yesterday` is not a time"],
    );
    log_refused(
        &["x", "--phase", "started"],
        1,
        &["E016", "nothing was written"],
    );
    log_refused(
        &["x", "--id", "dns-record-emptied"],
        1,
        &["E007", "duplicate event id"],
    );
}

#[test]
fn log_refuses_a_file_that_is_not_an_incident_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.yaml");
    let text = "name: web\nreplicas: 3\n";
    std::fs::write(&path, text).unwrap();
    run(&["log", s(&path), "x"])
        .code(1)
        .stderr_has(&["not a valid incident log", "nothing was written"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    run(&["log", s(&dir.path().join("missing.yaml")), "x"])
        .code(2)
        .stderr_has(&["cannot read", "no such file"]);
    let flow = dir.path().join("flow.yaml");
    let text = "title: t\nseverity: SEV3\ntimeline: [{at: 2026-01-01 10:00, text: x}]\n";
    std::fs::write(&flow, text).unwrap();
    run(&["log", s(&flow), "y"])
        .code(1)
        .stderr_has(&["flow list", "block list"]);
    assert_eq!(std::fs::read_to_string(&flow).unwrap(), text);
}

/// Two processes appending 50 events each to one log, at the same time, lose none.
#[test]
fn concurrent_logs_lose_no_event() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("race.yaml");
    std::fs::write(
        &path,
        "title: Race\nseverity: SEV4\ntimeline:\n  - at: 2026-01-01 10:00\n    phase: started\n    text: Start.\n",
    )
    .unwrap();
    let writers: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|who| {
            let path = path.clone();
            std::thread::spawn(move || {
                for i in 0..50 {
                    let status = Command::new(env!("CARGO_BIN_EXE_postevent"))
                        .args([
                            "log",
                            s(&path),
                            &format!("event {who}{i}"),
                            "--color",
                            "never",
                        ])
                        .output()
                        .unwrap();
                    assert!(status.status.success(), "{status:?}");
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let incident = load(&path);
    assert_eq!(incident.timeline.len(), 101);
    for who in ["a", "b"] {
        for i in 0..50 {
            let text = format!("event {who}{i}");
            assert!(
                incident.timeline.iter().any(|e| e.text == text),
                "{text} lost"
            );
        }
    }
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "_postevent()"),
        ("zsh", "#compdef postevent"),
        ("fish", "complete -c postevent"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = run(&["completions", shell]).code(0);
        assert!(out.stdout.contains(marker), "{shell}");
        for command in ["check", "new", "log", "import"] {
            assert!(out.stdout.contains(command), "{shell} lacks {command}");
        }
    }
    run(&["completions", "tcsh"])
        .code(2)
        .stderr_has(&["tcsh", "bash"]);
}

#[test]
fn man_pages() {
    run(&["man"])
        .code(0)
        .stdout_has(&[".TH postevent 1", "\\fBpostevent\\fR", "log", "import"]);
    run(&["man", "log"])
        .code(0)
        .stdout_has(&[".TH postevent-log 1", "\"log 0.", "\\-\\-status"]);
    run(&["man", "nope"])
        .code(2)
        .stderr_has(&["no command `nope`", "log"]);
}

#[test]
fn cli_docs_cover_these_commands_with_an_example() {
    let docs = std::fs::read_to_string(root().join("docs/cli.md")).unwrap();
    for command in ["new", "log", "import", "completions", "man"] {
        let section = docs
            .split("\n## ")
            .find(|s| s.starts_with(&format!("{command}\n")))
            .unwrap_or_else(|| panic!("docs/cli.md has no `## {command}` section"));
        let example = section
            .split("```sh\n")
            .nth(1)
            .and_then(|block| block.split("```").next())
            .unwrap_or_default();
        assert!(
            example.contains(&format!("postevent {command} ")),
            "`## {command}` has no example"
        );
    }
}

#[cfg(unix)]
#[test]
fn log_through_a_symlink_edits_the_target_and_keeps_the_link() {
    let (dir, path) = example("checkout-bad-deploy-2026-03-14.yaml");
    let link = dir.path().join("current.yaml");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    run(&[
        "log",
        s(&link),
        "Follow-up filed",
        "--at",
        "2026-03-14 16:00",
    ])
    .code(0)
    .stdout_has(&["current.yaml:"]);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(load(&path).timeline.last().unwrap().text, "Follow-up filed");
}

/// Regression: `new --schema $'https://x\nbogus: 1'` wrote the line break into the header
/// comment, so the log it wrote failed `check` (`bogus` is no field). A control character in
/// anything `new` or `log` writes into a comment or a one-line value is refused; a line break
/// or a tab in event text (Markdown) is fine.
#[test]
fn control_characters_in_what_new_and_log_write_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let incidents = dir.path().join("incidents");
    let at = ["--at", "2026-01-01 10:00"];
    let cases: [(&[&str], &str); 4] = [
        (&["--schema", "https://x\nbogus: 1"], "the schema"),
        (&["--schema", "https://x\rbogus: 1"], "the schema"),
        (&["--text", "started\u{1b}]0;owned\u{7}"], "the text"),
        (&["--id", "fine-id", "--tz", "UTC"], "the title"),
    ];
    for (i, (extra, named)) in cases.into_iter().enumerate() {
        let title = if i == 3 { "Bad\u{1}title" } else { "Title" };
        let mut args = vec!["new", title, "--dir", s(&incidents)];
        args.extend_from_slice(&at);
        args.extend_from_slice(extra);
        run(&args).code(2).stderr_has(&["control character", named]);
        assert!(!incidents.exists(), "{extra:?}: something was written");
    }
    let out = run(&[
        "new",
        "Title",
        "--dir",
        s(&incidents),
        "--at",
        "2026-01-01 10:00",
        "--text",
        "two\nlines\twith a tab",
    ])
    .code(0);
    let path = PathBuf::from(out.stdout.trim());
    load(&path);
    let before = std::fs::read_to_string(&path).unwrap();
    run(&[
        "log",
        s(&path),
        "bell \u{7} here",
        "--at",
        "2026-01-01 10:05",
    ])
    .code(2)
    .stderr_has(&["control character"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    run(&["log", s(&path), "two\nlines", "--at", "2026-01-01 10:05"]).code(0);
}
