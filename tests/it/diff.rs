//! `postevent diff`: snapshots of every format on real-looking preliminary/final pairs, the
//! numbers a reviewer relies on, exit codes, `REV:PATH` from git and the git diff driver.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::{Output, run};

const DIR: &str = "tests/fixtures/diff";

fn pair(old: &str, new: &str) -> (String, String) {
    (format!("{DIR}/{old}.yaml"), format!("{DIR}/{new}.yaml"))
}

fn diff(old: &str, new: &str, extra: &[&str]) -> Output {
    let (old, new) = pair(old, new);
    let mut args = vec!["diff", old.as_str(), new.as_str()];
    args.extend_from_slice(extra);
    run(&args)
}

fn json(old: &str, new: &str, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let out = diff(old, new, &args);
    serde_json::from_str(&out.stdout).expect("diff --format json prints JSON")
}

const PAIRS: &[(&str, &str)] = &[
    ("aws-preliminary", "aws-final"),
    ("checkout-preliminary", "checkout-final"),
    ("payments-noids-old", "payments-noids-new"),
    ("tz-utc", "tz-berlin"),
];

#[test]
fn snapshots_of_every_format() {
    for (old, new) in PAIRS {
        for format in ["text", "md", "json"] {
            let out = diff(old, new, &["--format", format]).code(1);
            assert!(out.stderr.is_empty(), "{old} -> {new}: {}", out.stderr);
            insta::assert_snapshot!(format!("diff-{new}.{format}"), out.stdout);
        }
    }
}

#[test]
fn aws_preliminary_to_final_numbers() {
    let v = json("aws-preliminary", "aws-final", &[]);
    assert_eq!(v["equal"], false);
    assert_eq!(v["summary"]["added"], 9);
    assert_eq!(v["summary"]["removed"], 0);
    let metric = |name: &str| {
        v["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .cloned()
            .unwrap()
    };
    let resolve = metric("time_to_resolve_s");
    assert_eq!(
        (&resolve["old"], &resolve["new"], &resolve["delta_s"]),
        (&54720.into(), &52320.into(), &(-2400).into())
    );
    let identify = metric("time_to_identify_s");
    assert_eq!(identify["delta_s"], -(60 * 82));
    let ec2 = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "EC2")
        .unwrap();
    assert_eq!(
        (&ec2["old_impact_s"], &ec2["new_impact_s"]),
        (&0.into(), &50520.into())
    );
    let start = &v["events"][0];
    assert_eq!(start["new_id"], "dns-record-emptied");
    assert_eq!(start["shift_s"], -60);
    assert_eq!(start["old"]["at"], "2025-10-20T06:49:00Z");
    assert_eq!(start["new"]["at_local"], "2025-10-19T23:48:00-07:00");
    assert_eq!(start["fields"], serde_json::json!(["at", "status", "text"]));
    assert_eq!(
        v["fields"],
        serde_json::json!([{ "path": "severity", "old": "SEV2", "new": "SEV1" }])
    );
}

#[test]
fn text_summary_line_says_what_the_edits_mean() {
    diff("aws-preliminary", "aws-final", &[])
        .code(1)
        .stdout_has(&[
            "7 events changed, 9 added, 0 removed",
            "time to identify -1h 22m",
            "time to resolve -40m",
            "started 1m earlier",
            "identified 1h 23m earlier",
            "EC2 impact",
            "0m -> 14h 2m  (+14h 2m)",
            "… 4 unchanged events",
        ]);
}

#[test]
fn events_without_ids_align_by_content() {
    let v = json("payments-noids-old", "payments-noids-new", &[]);
    let s = &v["summary"];
    assert_eq!((&s["added"], &s["removed"]), (&2.into(), &0.into()), "{s}");
    let events = v["events"].as_array().unwrap();
    // The status page post moved from after the identified event to before it.
    let moved = events
        .iter()
        .find(|e| {
            e["old"]["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Status page"))
        })
        .expect("the status page post is matched");
    assert_eq!(moved["shift_s"], -660);
    assert_eq!(moved["matched_by"], "text");
    // Reworded: matched by similarity, with a word diff.
    let reworded = events
        .iter()
        .find(|e| {
            e["old"]["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("A reporting query"))
        })
        .expect("the reworded event is matched");
    assert_eq!(reworded["matched_by"], "similar");
    assert_eq!(reworded["fields"], serde_json::json!(["text"]));
}

#[test]
fn action_items_match_by_title_when_they_have_no_id() {
    let v = json("payments-noids-old", "payments-noids-new", &[]);
    let items = v["action_items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items.iter().all(|i| i["change"] == "changed"));
    assert_eq!(items[1]["fields"], serde_json::json!(["title", "owner"]));
}

#[test]
fn a_timezone_change_keeps_equal_instants_unchanged() {
    let v = json("tz-utc", "tz-berlin", &["--all"]);
    assert_eq!(v["summary"]["unchanged"], 5);
    assert_eq!(v["summary"]["changed"], 0);
    assert_eq!(
        v["fields"],
        serde_json::json!([{ "path": "timezone", "old": "UTC", "new": "Europe/Berlin" }])
    );
    let first = &v["events"][0];
    assert_eq!(first["old"]["at"], first["new"]["at"]);
    assert_eq!(first["old"]["at_local"], "2026-03-14T13:06:00+00:00");
    assert_eq!(first["new"]["at_local"], "2026-03-14T14:06:00+01:00");
    let v = json("tz-utc", "tz-berlin", &[]);
    assert_eq!(v["events"], serde_json::json!([]));
}

#[test]
fn a_log_against_itself_is_equal() {
    for name in [
        "aws-us-east-1-2025-10-20",
        "checkout-bad-deploy-2026-03-14",
        "payments-db-failover-2026-09-02",
    ] {
        let path = format!("incidents/{name}.yaml");
        for format in ["text", "md", "json"] {
            let out = run(&["diff", &path, &path, "--format", format]).code(0);
            if format == "json" {
                assert!(out.stdout.contains("\"equal\": true"), "{}", out.stdout);
            }
        }
    }
}

#[test]
fn reversed_diff_mirrors() {
    let ab = json("checkout-preliminary", "checkout-final", &[]);
    let ba = json("checkout-final", "checkout-preliminary", &[]);
    assert_eq!(ab["summary"]["added"], ba["summary"]["removed"]);
    assert_eq!(ab["summary"]["changed"], ba["summary"]["changed"]);
    for (m, r) in ab["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .zip(ba["metrics"].as_array().unwrap())
    {
        assert_eq!(m["old"], r["new"]);
        assert_eq!(m["delta_s"].as_i64().map(|d| -d), r["delta_s"].as_i64());
    }
}

#[test]
fn public_audience_ignores_internal_events() {
    let internal = diff("aws-preliminary", "aws-final", &[]).code(1);
    assert!(internal.stdout.contains("oncall-paged"));
    let public = diff("aws-preliminary", "aws-final", &["--audience", "public"]).code(1);
    for id in [
        "oncall-paged",
        "bridge-opened",
        "dwfm-throttle-call",
        "nlb-alarm-ticket-only",
    ] {
        assert!(
            !public.stdout.contains(id),
            "{id} leaked:\n{}",
            public.stdout
        );
    }
    assert!(public.stdout.contains("5 added"), "{}", public.stdout);
}

#[test]
fn markdown_escapes_log_text() {
    diff("aws-preliminary", "aws-final", &["--format", "md"])
        .code(1)
        .stdout_has(&[
            "| Metric | Old | New | Change |",
            "| Time to identify | 2h 12m | 50m | **-1h 22m** |",
            "\\*\\*old DNS plan\\*\\*",
            "~~was running late~~ **had fallen behind**",
        ]);
}

#[test]
fn missing_file_is_trouble() {
    run(&[
        "diff",
        "no/such.yaml",
        "incidents/aws-us-east-1-2025-10-20.yaml",
    ])
    .code(2)
    .stderr_has(&["cannot read `no/such.yaml`", "REV:PATH"]);
}

#[test]
fn invalid_log_is_trouble_with_check_diagnostics() {
    let (old, _) = pair("invalid-unknown-service", "");
    run(&["diff", &old, "incidents/aws-us-east-1-2025-10-20.yaml"])
        .code(2)
        .stderr_has(&[
            "E012",
            "unknown-service",
            "invalid-unknown-service.yaml:",
            "not a valid incident log",
        ]);
}

#[test]
fn stdin_only_once() {
    run(&["diff", "-", "-"])
        .code(2)
        .stderr_has(&["only one of OLD and NEW"]);
}

/// A throwaway git repository holding one commit of the preliminary checkout log, with the
/// final version in the working tree.
fn git_repo() -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().ok()?;
    let git = |args: &[&str]| {
        Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !git(&["init", "-q"]) {
        return None; // no git on this machine
    }
    let logs = dir.path().join("incidents");
    std::fs::create_dir(&logs).ok()?;
    let fixture = |name: &str| crate::root().join(DIR).join(format!("{name}.yaml"));
    std::fs::copy(fixture("checkout-preliminary"), logs.join("checkout.yaml")).ok()?;
    assert!(git(&["add", "."]) && git(&["commit", "-qm", "preliminary"]));
    std::fs::copy(fixture("checkout-final"), logs.join("checkout.yaml")).ok()?;
    Some(dir)
}

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_postevent"))
}

#[test]
fn reads_rev_path_from_git() {
    let Some(repo) = git_repo() else { return };
    let out = Command::new(binary())
        .args([
            "diff",
            "HEAD:incidents/checkout.yaml",
            "incidents/checkout.yaml",
        ])
        .current_dir(repo.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("--- HEAD:incidents/checkout.yaml"),
        "{stdout}"
    );
    assert!(stdout.contains("identified 5m earlier"), "{stdout}");
    let out = Command::new(binary())
        .args([
            "diff",
            "HEAD:incidents/nope.yaml",
            "incidents/checkout.yaml",
        ])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`git show HEAD:incidents/nope.yaml` failed"),
        "{stderr}"
    );
}

/// Regression: the revision went to `git show` as an argument of its own, so
/// `diff -- '--output=out/W:x' a.yaml` made git write its output to the file `out/W:x`.
/// A revision that starts with `-` is refused, and git is told where its options end.
#[test]
fn a_revision_that_looks_like_an_option_is_refused() {
    let Some(repo) = git_repo() else { return };
    let written = repo.path().join("W:x");
    let injected = format!("--output={}", repo.path().join("W").display());
    let spec = format!("{injected}:x");
    let out = Command::new(binary())
        .args(["diff", "--", &spec, "incidents/checkout.yaml"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!written.exists(), "git wrote {}", written.display());
    assert!(
        stderr.contains("a git revision cannot start with `-`"),
        "{stderr}"
    );
}

/// The git configuration line of docs/diff.md, with `postevent` replaced by this build.
fn documented_driver() -> String {
    let docs = std::fs::read_to_string(crate::root().join("docs/diff.md")).unwrap();
    let line = docs
        .lines()
        .find_map(|l| l.strip_prefix("git config diff.postevent.command '"))
        .expect("docs/diff.md shows the git config line");
    let command = line.strip_suffix('\'').expect("the command is quoted");
    command.replace("postevent diff", &format!("'{}' diff", binary().display()))
}

/// The driver documented in docs/diff.md, run by `git diff` itself.
#[test]
fn works_as_a_git_diff_driver() {
    let Some(repo) = git_repo() else { return };
    let attributes = "incidents/*.yaml diff=postevent\n";
    std::fs::write(repo.path().join(".gitattributes"), attributes).unwrap();
    let git = |args: &[&str]| {
        Command::new("git")
            .args([
                "-c",
                &format!("diff.postevent.command={}", documented_driver()),
            ])
            .args(["--no-pager", "diff"])
            .args(args)
            .current_dir(repo.path())
            .output()
            .unwrap()
    };
    let out = git(&[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("--- a/incidents/checkout.yaml"), "{stdout}");
    assert!(
        stdout.contains("4 events changed, 2 added, 0 removed"),
        "{stdout}"
    );
    // A new log has /dev/null on one side: the driver falls back to diff -u.
    let added = repo.path().join("incidents/new.yaml");
    std::fs::copy(crate::root().join(DIR).join("tz-utc.yaml"), &added).unwrap();
    Command::new("git")
        .args(["add", "-N", "incidents/new.yaml"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    let out = git(&["--", "incidents/new.yaml"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("+timezone: UTC"), "{stdout}");
    // An invalid log is trouble: git stops with an error instead of showing nothing.
    std::fs::copy(
        crate::root().join(DIR).join("invalid-unknown-service.yaml"),
        repo.path().join("incidents/checkout.yaml"),
    )
    .unwrap();
    let out = git(&["--", "incidents/checkout.yaml"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown-service"));
}

#[test]
fn colour_only_when_asked() {
    let (old, new) = pair("checkout-preliminary", "checkout-final");
    let plain = run(&["diff", &old, &new]).code(1);
    assert!(!plain.stdout.contains('\x1b'), "{}", plain.stdout);
    assert!(plain.stdout.contains("[-3-]{+4+}"), "{}", plain.stdout);
    let coloured = run(&["--color", "always", "diff", &old, &new]).code(1);
    assert!(coloured.stdout.contains("\x1b[32m"), "{}", coloured.stdout);
    assert!(!coloured.stdout.contains("[-3-]"), "{}", coloured.stdout);
}

mod properties {
    //! End to end through the CLI: a generated log against itself exits 0, and two generated
    //! logs compared both ways mirror each other.

    use proptest::prelude::*;

    use crate::run;

    const TEXTS: &[&str] = &[
        "Error rates rise on the checkout API",
        "Error rates rise on the checkout API again",
        "Engineers restart the DWFM hosts",
        "Engineers restart all DWFM hosts one at a time",
        "Status page updated",
        "Rollback complete",
    ];

    /// A valid log: events at increasing minutes, some with ids, some setting a status.
    fn log() -> impl Strategy<Value = String> {
        let event = (0..TEXTS.len(), 0u32..90, any::<bool>(), 0..5usize);
        prop::collection::vec(event, 1..10).prop_map(|events| {
            let mut yaml = String::from(
                "id: generated\ntitle: Generated\nseverity: SEV3\nservices: [api]\ntimeline:\n",
            );
            for (k, (text, minute, with_id, status)) in events.into_iter().enumerate() {
                let id = if with_id {
                    format!("    id: e{k}\n")
                } else {
                    String::new()
                };
                let status = ["operational", "partial_outage", "major_outage"]
                    .get(status)
                    .map(|s| format!("    status:\n      api: {s}\n"))
                    .unwrap_or_default();
                yaml.push_str(&format!(
                    "  - at: 2026-01-01T{:02}:{:02}:00Z\n{id}{status}    text: {}\n",
                    minute / 60,
                    minute % 60,
                    TEXTS[text]
                ));
            }
            yaml
        })
    }

    fn summary(old: &str, new: &str) -> (u8, serde_json::Value) {
        let out = run(&["diff", old, new, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).expect(&out.stderr);
        (out.code, v["summary"].clone())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn generated_logs_diff_as_expected(a in log(), b in log()) {
            let dir = tempfile::tempdir().unwrap();
            let (pa, pb) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
            std::fs::write(&pa, &a).unwrap();
            std::fs::write(&pb, &b).unwrap();
            let (pa, pb) = (pa.to_str().unwrap(), pb.to_str().unwrap());
            let (code, same) = summary(pa, pa);
            prop_assert_eq!(code, 0);
            prop_assert_eq!(&same["changed"], &serde_json::json!(0));
            let (ab_code, ab) = summary(pa, pb);
            let (ba_code, ba) = summary(pb, pa);
            prop_assert_eq!(ab_code, ba_code);
            let all_unchanged = ["added", "removed", "changed"].iter().all(|k| ab[k] == 0);
            prop_assert_eq!(ab_code == 0, all_unchanged);
            prop_assert_eq!(&ab["added"], &ba["removed"]);
            prop_assert_eq!(&ab["removed"], &ba["added"]);
            prop_assert_eq!(&ab["changed"], &ba["changed"]);
        }
    }
}

/// A repository with two commits: the first holds three logs (and a CI file that is no log),
/// the second edits one, deletes one, renames one unchanged and adds one.
pub(crate) fn two_commits() -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().ok()?;
    let git = |args: &[&str]| {
        Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !git(&["init", "-q", "-b", "main"]) {
        return None;
    }
    let logs = dir.path().join("incidents");
    std::fs::create_dir(&logs).ok()?;
    let fixture = |name: &str| crate::root().join(DIR).join(format!("{name}.yaml"));
    let copy = |from: &str, to: &str| std::fs::copy(fixture(from), logs.join(to)).unwrap();
    copy("checkout-preliminary", "checkout.yaml");
    copy("aws-preliminary", "aws.yaml");
    copy("aws-final", "tz.yaml");
    std::fs::write(dir.path().join(".gitlab-ci.yml"), "stages: [check]\n").ok()?;
    assert!(git(&["add", "."]) && git(&["commit", "-qm", "first"]));
    assert!(git(&["checkout", "-qb", "fix"]));
    copy("checkout-final", "checkout.yaml");
    std::fs::remove_file(logs.join("aws.yaml")).ok()?;
    assert!(git(&[
        "mv",
        "incidents/tz.yaml",
        "incidents/tz-renamed.yaml"
    ]));
    copy("payments-noids-new", "payments.yaml");
    std::fs::write(dir.path().join(".gitlab-ci.yml"), "stages: [check, diff]\n").ok()?;
    assert!(git(&["add", "-A"]) && git(&["commit", "-qm", "second"]));
    Some(dir)
}

fn changed(repo: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(binary())
        .args(["diff", "--color", "never"])
        .args(args)
        .current_dir(repo)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn changed_diffs_every_log_between_two_revisions() {
    let Some(repo) = two_commits() else { return };
    let (code, json, stderr) =
        changed(repo.path(), &["--changed", "main..fix", "--format", "json"]);
    assert_eq!(code, Some(1), "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let logs = doc["logs"].as_array().unwrap();
    let seen: Vec<(&str, &str)> = logs
        .iter()
        .map(|l| (l["path"].as_str().unwrap(), l["change"].as_str().unwrap()))
        .collect();
    // Sorted by path; the CI file outside incidents/ is not a log.
    assert_eq!(
        seen,
        [
            ("incidents/aws.yaml", "deleted"),
            ("incidents/checkout.yaml", "modified"),
            ("incidents/payments.yaml", "added"),
            ("incidents/tz-renamed.yaml", "renamed"),
        ]
    );
    assert_eq!(doc["equal"], false);
    assert_eq!(logs[3]["old_path"], "incidents/tz.yaml");
    assert_eq!(
        logs[3]["diff"]["equal"], true,
        "an unchanged rename is equal"
    );
    // An added log: every event added; a deleted one: every event removed.
    let summary = |i: usize| &logs[i]["diff"]["summary"];
    assert!(summary(2)["added"].as_u64().unwrap() > 0);
    assert_eq!(summary(2)["removed"], 0);
    assert!(summary(0)["removed"].as_u64().unwrap() > 0);
    assert_eq!(summary(0)["added"], 0);
    // The modified log shows what the two-file diff shows.
    let direct = Command::new(binary())
        .args(["diff", "--format", "json"])
        .args([
            "main:incidents/checkout.yaml",
            "fix:incidents/checkout.yaml",
        ])
        .current_dir(repo.path())
        .output()
        .unwrap();
    let direct: serde_json::Value = serde_json::from_slice(&direct.stdout).unwrap();
    assert_eq!(logs[1]["diff"]["events"], direct["events"]);
    assert_eq!(logs[1]["diff"]["metrics"], direct["metrics"]);

    let (code, text, _) = changed(repo.path(), &["--changed", "main..fix"]);
    assert_eq!(code, Some(1));
    assert!(text.starts_with("4 changed logs (main → fix)\n"), "{text}");
    assert!(
        text.contains("=== incidents/payments.yaml (added)"),
        "{text}"
    );
    assert!(
        text.contains("=== incidents/tz-renamed.yaml (renamed from incidents/tz.yaml)"),
        "{text}"
    );
    assert!(text.contains("identified 5m earlier"), "{text}");

    let (code, md, _) = changed(repo.path(), &["--changed", "main...fix", "--format", "md"]);
    assert_eq!(code, Some(1));
    assert!(md.starts_with("## postevent: 4 changed logs"), "{md}");
    assert_eq!(md.matches("### Incident diff:").count(), 4, "{md}");
}

#[test]
fn changed_against_the_working_tree_and_limited_to_a_path() {
    let Some(repo) = two_commits() else { return };
    let (code, text, stderr) = changed(repo.path(), &["--changed", "HEAD"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        text.starts_with("0 changed logs (HEAD → working tree)"),
        "{text}"
    );
    let checkout = repo.path().join("incidents/checkout.yaml");
    let fixture = crate::root().join(DIR).join("checkout-preliminary.yaml");
    std::fs::copy(fixture, &checkout).unwrap();
    let untracked = crate::root().join(DIR).join("tz-berlin.yaml");
    std::fs::copy(untracked, repo.path().join("incidents/draft.yaml")).unwrap();
    let (code, text, _) = changed(repo.path(), &["--changed", "fix"]);
    assert_eq!(code, Some(1));
    assert!(
        text.starts_with("2 changed logs (fix → working tree)"),
        "{text}"
    );
    assert!(
        text.contains("=== incidents/checkout.yaml (modified)"),
        "{text}"
    );
    assert!(text.contains("=== incidents/draft.yaml (added)"), "{text}");
    let (code, text, _) = changed(
        repo.path(),
        &[
            "--changed",
            "main..fix",
            "--path",
            "incidents/payments.yaml",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(text.starts_with("1 changed log (main → fix)"), "{text}");
}

#[test]
fn changed_refuses_an_option_as_a_revision_and_reports_bad_logs() {
    let Some(repo) = two_commits() else { return };
    let written = repo.path().join("W");
    let injected = format!("--output={}", written.display());
    let (code, _, stderr) = changed(repo.path(), &[&format!("--changed=main..{injected}")]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(!written.exists());
    assert!(stderr.contains("cannot start with `-`"), "{stderr}");
    let (code, _, stderr) = changed(repo.path(), &["--changed", "nope..fix"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("`git diff nope fix` failed"), "{stderr}");
    // An invalid log in the working tree: its diagnostics, trouble, and the others still shown.
    let bad = crate::root().join(DIR).join("invalid-unknown-service.yaml");
    std::fs::copy(bad, repo.path().join("incidents/checkout.yaml")).unwrap();
    let (code, text, stderr) = changed(repo.path(), &["--changed", "main"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("E0"), "{stderr}");
    assert!(text.contains("incidents/payments.yaml (added)"), "{text}");
    let (code, _, stderr) = changed(repo.path(), &["--changed", "main", "a.yaml", "b.yaml"]);
    assert_eq!(code, Some(2), "{stderr}");
}

/// A log's path is text from the repository: in the Markdown comment's HTML summary line it
/// is escaped as HTML, so a file named like a tag cannot become one.
#[test]
fn changed_markdown_escapes_paths() {
    let Some(repo) = two_commits() else { return };
    let hostile = repo
        .path()
        .join("incidents/<img src=x onerror=alert(1)>.yaml");
    let fixture = crate::root().join(DIR).join("tz-berlin.yaml");
    std::fs::copy(fixture, &hostile).unwrap();
    let (code, md, stderr) = changed(repo.path(), &["--changed", "fix", "--format", "md"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        md.contains("&lt;img src=x onerror=alert(1)&gt;.yaml (added)"),
        "{md}"
    );
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&md));
    assert!(!html.contains("<img"), "{html}");
}

/// `diff` reports a changed measure on its event (issue 16), in every format.
#[test]
fn diff_reports_changed_measures() {
    let dir = tempfile::tempdir().unwrap();
    let old = crate::fixture("report/measures.yaml");
    let text = std::fs::read_to_string(&old).unwrap();
    assert!(text.contains("error_rate_pct: 41"));
    let new = dir.path().join("new.yaml");
    std::fs::write(
        &new,
        text.replace("error_rate_pct: 41", "error_rate_pct: 44"),
    )
    .unwrap();
    let (old, new) = (old.display().to_string(), new.display().to_string());
    run(&["diff", &old, &new]).stdout_has(&["measures", "error_rate_pct: 41 -> 44"]);
    run(&["diff", &old, &new, "--format", "md"])
        .stdout_has(&["**measures** error\\_rate\\_pct ~~41~~ → **44**"]);
    let json: serde_json::Value =
        serde_json::from_str(&run(&["diff", &old, &new, "--format", "json"]).stdout).unwrap();
    let text = json.to_string();
    assert!(text.contains("\"measures\""), "{text}");
}
