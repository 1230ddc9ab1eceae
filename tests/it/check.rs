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

/// One fixture per diagnostic code under tests/fixtures/invalid/, named after its code
/// (`e012-unknown-service.yaml`); its rendered diagnostics are a snapshot. A first-line
/// comment `# postevent-test: --max-yaml-events N` sets a limit for that fixture.
#[test]
fn every_code_has_a_fixture_and_a_snapshot() {
    use postevent::diagnostics::{Code, RenderStyle, render_human};
    use postevent::parse::Limits;
    use postevent::source::Source;

    let dir = fixture("invalid");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    for code in Code::ALL {
        let prefix = format!("{}-{}", code.code().to_lowercase(), code.name());
        assert!(
            names.iter().any(|n| n.starts_with(&prefix)),
            "no fixture for {code}: add tests/fixtures/invalid/{prefix}.yaml"
        );
    }
    for name in names {
        let text = std::fs::read_to_string(dir.join(&name)).unwrap();
        let mut limits = Limits::default();
        if let Some(n) = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# postevent-test: --max-yaml-events "))
        {
            limits.max_yaml_events = n.trim().parse().unwrap();
        }
        // A fixture about an organisation's process names its postevent.toml.
        let config = match text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# postevent-test: --config "))
        {
            // Relative to the package, as messages show it: `tests/fixtures/org/postevent.toml`.
            Some(path) => {
                let path = path.trim().trim_start_matches("../");
                postevent::config::load(&std::path::Path::new("tests/fixtures").join(path)).unwrap()
            }
            None => postevent::config::Config::default(),
        };
        let source = Source::new(
            format!("tests/fixtures/invalid/{name}"),
            Some(dir.join(&name)),
            text,
        );
        let mut checked = postevent::validate::check_with(&source, limits, &config);
        // Checked alone, as `check` checks a folder of one log: every related id is unknown.
        let unknown = postevent::validate::related::unknown(
            &checked.related_spans,
            &std::collections::BTreeSet::new(),
        );
        checked.diagnostics.extend(unknown);
        let expected = name[..4].to_uppercase();
        assert!(
            checked
                .diagnostics
                .iter()
                .any(|d| d.code.code() == expected),
            "{name} does not raise {expected}: {:?}",
            checked
                .diagnostics
                .iter()
                .map(|d| d.code.code())
                .collect::<Vec<_>>()
        );
        let rendered: String = checked
            .diagnostics
            .iter()
            .map(|d| render_human(&source, d, RenderStyle::default()))
            .collect();
        let stem = name.trim_end_matches(".yaml");
        insta::assert_snapshot!(stem, rendered);
    }
}

#[test]
fn one_run_reports_every_problem_in_a_file() {
    let path = fixture("invalid/e005-invalid-value.yaml");
    let out = run(&["check", "--format", "json", path.to_str().unwrap()]).code(1);
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
}

#[test]
fn warnings_alone_exit_zero() {
    let path = fixture("invalid/w001-events-out-of-order.yaml");
    run(&["check", path.to_str().unwrap()])
        .code(0)
        .stderr_has(&["W001", "0 errors, 1 warning"]);
}

#[test]
fn not_an_incident_log_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8])] = &[
        ("empty.yaml", b""),
        ("list.yaml", b"- a\n- b\n"),
        ("binary.yaml", &[0xff, 0xfe, 0x00, 0x41]),
        ("two-docs.yaml", b"title: a\n---\ntitle: b\n"),
        ("tabs.yaml", b"title: a\n\tseverity: SEV1\n"),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = run(&["check", path.to_str().unwrap()]);
        assert!(out.code == 1 || out.code == 2, "{name}: {}", out.code);
        assert!(out.stderr.contains("error"), "{name}: {}", out.stderr);
    }
}

#[test]
fn standard_input_is_checked_with_the_binary() {
    use assert_cmd::Command;
    let log = std::fs::read_to_string(
        crate::root().join("incidents/checkout-bad-deploy-2026-03-14.yaml"),
    )
    .unwrap();
    let log = log.replace("\nid: ", "\n# id: ");
    let assert = Command::new(env!("CARGO_BIN_EXE_postevent"))
        .args(["check", "-"])
        .write_stdin(log)
        .assert()
        .code(0);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("checked 1 log: no problems"), "{stderr}");
}

/// Regression: a file `check` cannot read (not UTF-8, over the size limit) exited 2 but the
/// summary said `checked 1 log: no problems`.
#[test]
fn an_unreadable_file_counts_in_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("binary.yaml");
    std::fs::write(&binary, [b't', b':', b' ', 0xff, b'\n']).unwrap();
    let out = run(&["check", binary.to_str().unwrap()]).code(2);
    assert!(!out.stderr.contains("no problems"), "{}", out.stderr);
    assert!(
        out.stderr.contains("checked 1 log: 1 unreadable"),
        "{}",
        out.stderr
    );
    let big = fixture("site/dns-typo-2025-12-01.yaml");
    let both = [
        "check",
        big.to_str().unwrap(),
        binary.to_str().unwrap(),
        "--max-file-bytes",
        "100",
    ];
    let out = run(&both).code(2);
    assert!(
        out.stderr.contains("checked 2 logs: 2 unreadable"),
        "{}",
        out.stderr
    );
}

/// Regression: `at: "2026-03-14 10:15:60"` was taken as a leap second at any minute and
/// written out as `10:15:60Z`, which Python's `fromisoformat` and JavaScript's `Date` refuse.
#[test]
fn second_60_is_refused_where_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("site/dns-typo-2025-12-01.yaml")).unwrap();
    for (at, column) in [
        ("\"2025-12-01 08:25:60\"", 9),
        ("2025-12-01T08:25:60Z", 9),
        ("\"08:25:60\"", 9),
    ] {
        let log = dir.path().join("leap.yaml");
        std::fs::write(&log, text.replace("2025-12-01T08:25:00Z", at)).unwrap();
        run(&["check", log.to_str().unwrap()]).code(1).stderr_has(&[
            &format!("leap.yaml:16:{column}"),
            "E009",
            "second 60",
        ]);
    }
}

/// Regression: titles, tags and names holding control characters or non-characters (an
/// escape sequence pasted from a terminal, U+FFFE) passed `check` without a word; each is
/// now a located warning. Ids, which name files, were already refused (E006).
#[test]
fn control_characters_in_names_are_located_warnings() {
    let path = fixture("invalid/w006-unsafe-character.yaml");
    let out = run(&["check", path.to_str().unwrap()]).code(0);
    let out = out.stderr_has(&[
        "W006",
        "w006-unsafe-character.yaml:3:8",
        "w006-unsafe-character.yaml:5:18",
        "w006-unsafe-character.yaml:6:12",
        "0 errors, 3 warnings",
    ]);
    assert!(!out.stderr.contains('\u{1b}'), "{}", out.stderr);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("ids.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&log, format!("id: \"a\\uFFFE\"\n{text}")).unwrap();
    run(&["check", log.to_str().unwrap()])
        .code(1)
        .stderr_has(&["E006"]);
}

/// The W007 warnings of one log, each as `line:column text` with the text it underlines.
fn prose_warnings(path: &std::path::Path) -> Vec<String> {
    let out = run(&["check", "--format", "json", path.to_str().unwrap()]);
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    out.stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|d| d["code"] == "W007")
        .map(|d| {
            let n = |key: &str| d[key].as_u64().unwrap() as usize;
            assert_eq!(n("line"), n("end_line"), "{d}");
            let line: Vec<char> = lines[n("line") - 1].chars().collect();
            let under: String = line[n("column") - 1..n("end_column") - 1].iter().collect();
            format!("{}:{} {under}", n("line"), n("column"))
        })
        .collect()
}

/// The truth check warns on exactly the numbers planted in its fixture (wrong durations,
/// times, zones, dates and AM/PM) and on none of the right ones written every other way, in
/// block, folded, quoted and plain fields.
#[test]
fn prose_mismatches_warn_on_exactly_the_planted_numbers() {
    let got = prose_warnings(&fixture("invalid/w007-prose-mismatch.yaml"));
    let planted = [
        "9:62 1 h 54 m",
        "11:43 10 minutes",
        "13:36 10:02",
        "13:45 11:47 UTC",
        "18:56 about 3 hours",
        "20:12 10:39",
        "22:30 11:47 PM",
        "22:66 3 June at 10:02",
    ];
    assert_eq!(got, planted);
}

/// No valid log we ship quotes a number its timeline lacks, except the preliminary drafts of
/// the diff fixtures: their timelines moved (a later end, an event not yet logged) while
/// their prose, copied from the final version, did not. That drift is what W007 is for.
#[test]
fn the_prose_of_every_valid_log_agrees_with_its_timeline() {
    let mut logs: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["incidents", "tests/fixtures"] {
        for entry in walkdir::WalkDir::new(crate::root().join(dir)) {
            let path = entry.unwrap().into_path();
            let invalid = path
                .components()
                .any(|c| matches!(c.as_os_str().to_str(), Some("invalid" | "site-invalid")));
            if path.extension().is_some_and(|e| e == "yaml") && !invalid {
                logs.push(path);
            }
        }
    }
    assert!(logs.len() >= 10, "{logs:?}");
    for path in logs {
        let name = path.file_name().unwrap().to_str().unwrap();
        let expected: &[&str] = match name {
            "aws-preliminary.yaml" => &[
                "42:44 2:20 PM PDT on 20 October 2025",
                "42:78 14 h 32 m",
                "62:61 2:32 AM",
                "75:82 2:20 PM",
                "300:79 12:38 AM",
                "310:35 5:28 AM",
                "311:66 11:23 AM",
                "316:39 2:20 PM",
            ],
            "checkout-preliminary.yaml" => &["94:32 14:18", "97:34 14:15"],
            _ => &[],
        };
        assert_eq!(prose_warnings(&path), expected, "{}", path.display());
    }
}

/// Imported logs are checked too, and the truth check finds what a feed's prose says but its
/// updates do not: Statuspage's resolution text puts the end of impact at 08:09, but the
/// feed's updates (and so the timeline) have nothing then; its resolution was posted at 08:14.
#[test]
fn the_truth_check_finds_what_an_imported_feed_says_but_does_not_log() {
    let dir = tempfile::tempdir().unwrap();
    for (kind, feed) in [
        ("statuspage", "statuspage-incidents.json"),
        ("gcp", "gcp-incidents.json"),
    ] {
        let input = fixture(&format!("import/{feed}"));
        let out_dir = dir.path().join(kind);
        run(&[
            "import",
            kind,
            input.to_str().unwrap(),
            "--dir",
            out_dir.to_str().unwrap(),
        ])
        .code(0);
    }
    let mut warned = Vec::new();
    for entry in walkdir::WalkDir::new(dir.path()) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "yaml") {
            for w in prose_warnings(&path) {
                warned.push(format!(
                    "{} {w}",
                    path.file_name().unwrap().to_str().unwrap()
                ));
            }
        }
    }
    assert_eq!(
        warned,
        ["2026-01-22-dashboard-login-session-expired-loop.yaml 12:28 08:09 PST"]
    );
}

#[test]
fn related_ids_must_name_logs_of_the_checked_folder() {
    let dir = tempfile::tempdir().unwrap();
    let log = |id: &str, related: &str| {
        format!(
            "id: {id}\ntitle: T\nseverity: SEV3\nrelated: [{related}]\ntimeline:\n  - at: 2026-03-14T10:02:00Z\n    phase: started\n    text: x\n"
        )
    };
    std::fs::write(dir.path().join("a.yaml"), log("db-outage-a", "db-outage-b")).unwrap();
    std::fs::write(dir.path().join("b.yaml"), log("db-outage-b", "db-outage-c")).unwrap();
    let folder = dir.path().display().to_string();
    let out = run(&["check", &folder]).code(1);
    assert_eq!(out.stderr.matches("E035").count(), 1, "{}", out.stderr);
    out.stderr_has(&[
        "no log checked here has the id `db-outage-c`",
        "b.yaml:4:",
        "did you mean `db-outage-a` or `db-outage-b`?",
    ]);
    // One file alone is not a folder: its related ids are not looked for.
    let one = dir.path().join("b.yaml").display().to_string();
    run(&["check", &one]).code(0);
}

/// Every unknown field and wrong type of a file is reported in one run (issue 16); `check`
/// used to stop at the first.
#[test]
fn every_shape_problem_of_a_file_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shapes.yaml");
    std::fs::write(
        &path,
        "title: T\nseverity: SEV3\nowner: me\nservices:\n  - name: API\n    colour: red\ntimeline:\n  - at: 2026-01-01 10:00\n    text: [a, b]\n    internal: maybe\n    measures: {errors: lots}\n  - at: 2026-01-01 10:05\n    txt: y\n",
    )
    .unwrap();
    let out = run(&["check", "--format", "json", path.to_str().unwrap()]).code(1);
    let found: Vec<(String, u64)> = out
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["code"].as_str().unwrap().to_owned(),
                v["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("E002".to_owned(), 3),
            ("E002".to_owned(), 6),
            ("E003".to_owned(), 9),
            ("E003".to_owned(), 10),
            ("E003".to_owned(), 11),
            ("E004".to_owned(), 12),
            ("E002".to_owned(), 13),
        ]
    );
}
