//! Learning across incidents (issue 13): `actions`, `stats`, the follow-ups page and the trends
//! of the stats page over tests/fixtures/learn, whose figures are worked out by hand below.
//!
//! The corpus, all times UTC (detect, identify, mitigate, resolve from the start):
//!
//! | id | start | sev | TTD | TTI | TTM | TTR | services | tags |
//! |---|---|---|---|---|---|---|---|---|
//! | learn-a | 2025-01-10 | SEV1 | 10m | 30m | 1h | 2h | api, db | deploy, db |
//! | learn-b | 2025-02-20 | SEV2 | 5m | 20m | 40m | 1h | api | deploy |
//! | learn-c | 2025-03-05 | SEV1 | 20m | 1h | 2h | 4h | db | db |
//! | learn-d | 2025-04-02 | SEV2 | 2m | 10m | 30m | 1h | api | cache |
//! | learn-e | 2025-04-10 | SEV1 | 1h | — | — | — | queue | |
//!
//! Action items (status, due): a: open 02-01 (alice), done 01-15 (bob), in_progress 04-01
//! (alice); b: open 02-25 (bob), open without owner or due, wont_do (carol); c: open 05-01
//! (carol); d: done 04-10, open 04-20 (dave).

use std::path::Path;

use serde_json::{Value, json};

use crate::{fixture, run};

const TODAY: &str = "2025-04-15";

fn corpus() -> String {
    fixture("learn").display().to_string()
}

fn actions(extra: &[&str]) -> crate::Output {
    let corpus = corpus();
    let mut args = vec!["actions", corpus.as_str(), "--today", TODAY];
    args.extend(extra);
    run(&args)
}

fn titles(json: &Value) -> Vec<String> {
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn actions_count_overdue_items_closure_and_ages_on_a_fixed_day() {
    let out = actions(&["--format", "json"]).code(0);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    // Overdue on 04-15: a's 02-01 and 04-01 items, b's 02-25 item. Closed: a's done, b's
    // wont_do, d's done: 3 of 9. Ages of the 6 open items: a 95, 95 (Jan 10 -> Apr 15),
    // b 54, 54 (Feb 20 ->), c 41 (Mar 5 ->), d 13 (Apr 2 ->): sorted 13 41 54 54 95 95, the
    // lower middle is 54.
    assert_eq!(
        doc["summary"],
        json!({
            "today": TODAY,
            "total": 9,
            "open": 6,
            "overdue": 3,
            "closed": 3,
            "closure_rate": 0.3333,
            "median_open_age_days": 54,
            "open_without_owner": 1,
            "open_without_due": 1,
        })
    );
    assert_eq!(
        titles(&doc)[..3],
        [
            "Canary every deploy",
            "Validate configs in CI",
            "Write the deploy runbook"
        ],
        "overdue first, by due date"
    );
}

#[test]
fn actions_filters_combine() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--overdue"],
            &[
                "Canary every deploy",
                "Validate configs in CI",
                "Write the deploy runbook",
            ],
        ),
        (
            &["--open", "--owner", "ALICE"],
            &["Canary every deploy", "Write the deploy runbook"],
        ),
        (
            &["--kind", "mitigate"],
            &["Roll back faster", "Warm the cache after a flush"],
        ),
        (
            &["--severity", "SEV2", "--open"],
            &[
                "Validate configs in CI",
                "Forbid full flushes",
                "Name an owner for config reviews",
            ],
        ),
        (
            &["--incident", "learn-c"],
            &["Keep two failover candidates"],
        ),
    ];
    for (flags, want) in cases {
        let mut args = vec!["--format", "json"];
        args.extend(*flags);
        let doc: Value = serde_json::from_str(&actions(&args).code(0).stdout).unwrap();
        assert_eq!(titles(&doc), *want, "{flags:?}");
    }
}

#[test]
fn fail_if_overdue_exits_1_only_when_an_item_is_overdue() {
    actions(&["--fail-if-overdue"])
        .code(1)
        .stderr_has(&["3 action item(s) overdue on 2025-04-15"]);
    // On 2025-01-12 nothing open is past its date yet.
    let corpus = corpus();
    run(&[
        "actions",
        &corpus,
        "--today",
        "2025-01-12",
        "--fail-if-overdue",
    ])
    .code(0);
    // Filters apply first: carol has nothing overdue.
    actions(&["--fail-if-overdue", "--owner", "carol"]).code(0);
}

#[test]
fn actions_text_groups_by_owner_with_overdue_first() {
    let out = actions(&[]).code(0);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn actions_csv_reads_back_with_a_csv_parser() {
    let out = actions(&["--format", "csv"]).code(0);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, postevent::render::followups::CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 9);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let overdue = rows.iter().filter(|r| &r[col("overdue")] == "true").count();
    assert_eq!(overdue, 3);
    let unowned: Vec<&csv::StringRecord> =
        rows.iter().filter(|r| r[col("owner")].is_empty()).collect();
    assert_eq!(unowned.len(), 1);
    assert_eq!(
        &unowned[0][col("title")],
        "Name an owner for config reviews"
    );
    assert_eq!(&unowned[0][col("age_days")], "54");
    // A title with a comma and a quote survives the trip.
    let hostile = fixture("report/hostile.yaml").display().to_string();
    let out = run(&["actions", &hostile, "--format", "csv", "--today", TODAY]).code(0);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    for r in reader.records() {
        let r = r.unwrap();
        assert_eq!(r.len(), header.len());
    }
}

/// The stats of the corpus, worked out by hand (see the module's table).
fn expected_trends() -> Value {
    let fig = |key: &str, label: &str, n: u32, median: Option<i64>, p90: Option<i64>| json!({"key": key, "label": label, "incidents": n, "median_s": median, "p90_s": p90});
    let times = |ttd: (u32, Option<i64>, Option<i64>),
                 tti: (u32, Option<i64>, Option<i64>),
                 ttm: (u32, Option<i64>, Option<i64>),
                 ttr: (u32, Option<i64>, Option<i64>)| {
        json!([
            fig("time_to_detect", "Time to detect", ttd.0, ttd.1, ttd.2),
            fig("time_to_identify", "Time to identify", tti.0, tti.1, tti.2),
            fig("time_to_mitigate", "Time to mitigate", ttm.0, ttm.1, ttm.2),
            fig("time_to_resolve", "Time to resolve", ttr.0, ttr.1, ttr.2),
        ])
    };
    let none = (0, None, None);
    json!({
        "quarters": [
            {
                // a, b, c. TTD 600 300 1200 -> sorted 300 600 1200: median 600, p90 rank
                // ⌈2.7⌉ = 3 -> 1200. TTI 1800 1200 3600; TTM 3600 2400 7200; TTR 7200 3600 14400.
                "quarter": "2025-Q1", "incidents": 3,
                "times": times((3, Some(600), Some(1200)), (3, Some(1800), Some(3600)),
                               (3, Some(3600), Some(7200)), (3, Some(7200), Some(14400))),
                "action_items": 7, "closed_action_items": 2, "closure_rate": 0.2857,
            },
            {
                // d, e. TTD 120 3600: median (lower middle) 120, p90 rank ⌈1.8⌉ = 2 -> 3600.
                "quarter": "2025-Q2", "incidents": 2,
                "times": times((2, Some(120), Some(3600)), (1, Some(600), Some(600)),
                               (1, Some(1800), Some(1800)), (1, Some(3600), Some(3600))),
                "action_items": 2, "closed_action_items": 1, "closure_rate": 0.5,
            },
        ],
        "severities": [
            {
                // a, c, e. TTD 600 1200 3600; TTR 7200 14400 -> median 7200, p90 14400.
                "severity": "SEV1", "class": "sev1", "incidents": 3,
                "times": times((3, Some(1200), Some(3600)), (2, Some(1800), Some(3600)),
                               (2, Some(3600), Some(7200)), (2, Some(7200), Some(14400))),
            },
            {
                // b, d. TTD 300 120 -> 120, 300.
                "severity": "SEV2", "class": "sev2", "incidents": 2,
                "times": times((2, Some(120), Some(300)), (2, Some(600), Some(1200)),
                               (2, Some(1800), Some(2400)), (2, Some(3600), Some(3600))),
            },
            {"severity": "SEV3", "class": "sev3", "incidents": 0, "times": times(none, none, none, none)},
            {"severity": "SEV4", "class": "sev4", "incidents": 0, "times": times(none, none, none, none)},
            {"severity": "SEV5", "class": "sev5", "incidents": 0, "times": times(none, none, none, none)},
        ],
        "services": [
            {"name": "api", "slug": "api", "incidents": 3, "per_quarter": [2, 1]},
            {"name": "db", "slug": "db", "incidents": 2, "per_quarter": [2, 0]},
            {"name": "queue", "slug": "queue", "incidents": 1, "per_quarter": [0, 1]},
        ],
        "recurring_services": [
            {"name": "api", "slug": "api", "incidents": 3},
            {"name": "db", "slug": "db", "incidents": 2},
        ],
        "recurring_tags": [
            {"name": "db", "slug": "db", "incidents": 2},
            {"name": "deploy", "slug": "deploy", "incidents": 2},
        ],
    })
}

#[test]
fn stats_trends_match_figures_worked_out_by_hand() {
    let corpus = corpus();
    let out = run(&["stats", &corpus]).code(0);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["incidents"], 5);
    assert_eq!(doc["trends"], expected_trends());
}

#[test]
fn stats_csv_has_one_row_per_incident_with_every_metric() {
    let corpus = corpus();
    let out = run(&["stats", &corpus, "--format", "csv"]).code(0);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    for column in [
        "id",
        "severity",
        "time_to_detect_s",
        "time_to_resolve_s",
        "services",
        "action_items",
        "open_action_items",
    ] {
        assert!(
            header.iter().any(|h| h == column),
            "no {column}: {header:?}"
        );
    }
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = rows.iter().map(|r| &r[col("id")]).collect();
    assert_eq!(ids, ["learn-a", "learn-b", "learn-c", "learn-d", "learn-e"]);
    let a = &rows[0];
    assert_eq!(&a[col("severity")], "SEV1");
    assert_eq!(&a[col("time_to_detect_s")], "600");
    assert_eq!(&a[col("time_to_resolve_s")], "7200");
    assert_eq!(&a[col("services")], "api;db");
    assert_eq!(&a[col("action_items")], "3");
    assert_eq!(&a[col("open_action_items")], "2");
    assert_eq!(
        &rows[4][col("time_to_resolve_s")],
        "",
        "learn-e is unresolved"
    );
}

#[test]
fn stats_markdown_holds_the_trend_tables() {
    let corpus = corpus();
    let out = run(&["stats", &corpus, "--format", "md"]).code(0);
    for line in [
        "| 2025-Q1 | 3 | 10m | 20m | 30m | 1h | 1h | 2h | 2h | 4h | 7 | 2 | 29% |",
        "| SEV2 | 2 | 2m | 5m | 10m | 20m | 30m | 40m | 1h | 1h |",
        "| api | 3 | 2 | 1 |",
        "| deploy | 2 |",
        "| 2025-04 | 2 | 1 | 1 | 0 | 0 | 0 | 1 | 1h | 1h |",
        "| Time to resolve | 4 | 1h | 4h |",
    ] {
        assert!(out.stdout.contains(line), "no {line:?} in\n{}", out.stdout);
    }
}

fn build(out: &Path, extra: &[&str]) {
    let corpus = corpus();
    let out = out.display().to_string();
    let mut args = vec!["build", corpus.as_str(), "-o", out.as_str()];
    args.extend(extra);
    run(&args).code(0);
}

/// The `<data value>` of every cell of the table `id` of `html`, row by row, `None` for a
/// cell without one (`—`).
fn table_values(html: &str, id: &str) -> Vec<Vec<Option<String>>> {
    let start = html
        .find(&format!(r#"<table id="{id}">"#))
        .unwrap_or_else(|| panic!("no table {id}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let body = &table[table.find("<tbody>").unwrap()..];
    let row = regex::Regex::new(r"(?s)<tr>(.*?)</tr>").unwrap();
    let cell = regex::Regex::new(r"(?s)<td[^>]*>(.*?)</td>").unwrap();
    let data = regex::Regex::new(r#"<data value="([^"]*)""#).unwrap();
    row.captures_iter(body)
        .map(|r| {
            cell.captures_iter(&r[1])
                .map(|c| data.captures(&c[1]).map(|d| d[1].to_owned()))
                .collect()
        })
        .collect()
}

fn text(v: &Value) -> Option<String> {
    (!v.is_null()).then(|| v.to_string())
}

fn times_cells(times: &Value) -> Vec<Option<String>> {
    times
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| [text(&f["median_s"]), text(&f["p90_s"])])
        .collect()
}

#[test]
fn every_figure_of_the_stats_page_equals_stats_json() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), &[]);
    let html = std::fs::read_to_string(dir.path().join("stats.html")).unwrap();
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("stats.json")).unwrap())
            .unwrap();
    let t = &json["trends"];
    assert_eq!(*t, expected_trends());
    let quarters: Vec<Vec<Option<String>>> = t["quarters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let mut row = vec![text(&q["incidents"])];
            row.extend(times_cells(&q["times"]));
            row.extend([
                text(&q["action_items"]),
                text(&q["closed_action_items"]),
                text(&q["closure_rate"]),
            ]);
            row
        })
        .collect();
    assert_eq!(table_values(&html, "quarter-times"), quarters);
    let severities: Vec<Vec<Option<String>>> = t["severities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let mut row = vec![text(&s["incidents"])];
            row.extend(times_cells(&s["times"]));
            row
        })
        .collect();
    assert_eq!(table_values(&html, "severity-table"), severities);
    let services: Vec<Vec<Option<String>>> = t["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let mut row = vec![text(&s["incidents"])];
            row.extend(s["per_quarter"].as_array().unwrap().iter().map(text));
            row
        })
        .collect();
    assert_eq!(table_values(&html, "service-quarters-table"), services);
    let recurring: Vec<Vec<Option<String>>> = t["recurring_services"]
        .as_array()
        .unwrap()
        .iter()
        .chain(t["recurring_tags"].as_array().unwrap())
        .map(|r| vec![text(&r["incidents"])])
        .collect();
    assert_eq!(table_values(&html, "recurring-table"), recurring);
    // The command prints the same document as the site.
    let corpus = corpus();
    let cli: Value = serde_json::from_str(&run(&["stats", &corpus]).code(0).stdout).unwrap();
    assert_eq!(cli, json);
}

/// The figure cards of the follow-ups page: `data-key` -> text.
fn cards(html: &str) -> Vec<(String, String)> {
    let card = regex::Regex::new(r#"<strong data-key="([a-z_]+)">([^<]*)</strong>"#).unwrap();
    card.captures_iter(html)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect()
}

#[test]
fn the_follow_ups_page_counts_on_the_given_day_or_the_last_change() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), &["--today", TODAY]);
    let html = std::fs::read_to_string(dir.path().join("followups.html")).unwrap();
    let want = [
        ("open", "6"),
        ("overdue", "3"),
        ("closed", "3 of 9"),
        ("closure_rate", "33%"),
        ("median_open_age_days", "54 days"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(cards(&html), want);
    // Each overdue item is listed by owner there and by incident on the page of the month its
    // incident started in (none lacks an owner or a date).
    assert_eq!(html.matches(r#"<tr class="overdue">"#).count(), 3);
    let month = |m: &str| std::fs::read_to_string(dir.path().join(format!("followups/{m}.html")));
    let (january, february) = (month("2025-01").unwrap(), month("2025-02").unwrap());
    assert_eq!(
        january.matches(r#"<tr class="overdue">"#).count()
            + february.matches(r#"<tr class="overdue">"#).count()
            + month("2025-03")
                .unwrap_or_default()
                .matches(r#"<tr class="overdue">"#)
                .count()
            + month("2025-04")
                .unwrap_or_default()
                .matches(r#"<tr class="overdue">"#)
                .count(),
        3
    );
    assert!(html.contains(r#"href="followups/2025-01.html">January 2025</a>"#));
    assert!(january.contains(r#"id="incident-learn-a""#));
    assert!(february.contains(r#"id="incident-learn-b""#));
    assert!(january.contains(r#"href="../incidents/learn-a.html""#));
    let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(index.contains("2 open follow-ups"), "learn-a");
    assert!(index.contains("1 open follow-up<"), "learn-c");
    assert!(index.contains(r#"href="followups/2025-01.html#incident-learn-a""#));
    let page = std::fs::read_to_string(dir.path().join("incidents/learn-b.html")).unwrap();
    assert!(
        page.contains(r#"href="../followups/2025-02.html#incident-learn-b">Follow-ups (2 open)"#)
    );

    // Without --today the day is that of the last change in any log (learn-e, 2025-04-10), so
    // two builds agree; the three items are overdue on that day too.
    let other = tempfile::tempdir().unwrap();
    build(other.path(), &[]);
    let html = std::fs::read_to_string(other.path().join("followups.html")).unwrap();
    assert!(html.contains(r#"<time datetime="2025-04-10">"#), "{html}");
    assert_eq!(cards(&html)[1], ("overdue".to_owned(), "3".to_owned()));
}

#[test]
fn related_incidents_show_both_ways_and_a_new_link_rerenders_the_cached_page() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    for entry in std::fs::read_dir(fixture("learn")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, logs.join(path.file_name().unwrap())).unwrap();
    }
    let out = dir.path().join("site");
    let site = |args: &[&str]| {
        let (logs, out) = (logs.display().to_string(), out.display().to_string());
        let mut all = vec!["build", logs.as_str(), "-o", out.as_str()];
        all.extend(args);
        run(&all).code(0)
    };
    let related = |id: &str| -> String {
        let page = std::fs::read_to_string(out.join(format!("incidents/{id}.html"))).unwrap();
        page.find("Related incidents:")
            .map(|at| page[at..at + page[at..].find("</div>").unwrap()].to_owned())
            .unwrap_or_default()
    };
    site(&[]);
    // learn-d lists learn-a and learn-b; learn-b lists learn-a.
    let a = related("learn-a");
    assert!(a.contains(r#"href="../incidents/learn-b.html">Slow API after a config deploy</a> <span class="muted">(lists this one)"#), "{a}");
    assert!(a.contains("learn-d.html"), "{a}");
    let d = related("learn-d");
    assert!(
        d.contains("learn-a.html") && d.contains("learn-b.html") && !d.contains("lists this one"),
        "{d}"
    );
    assert_eq!(related("learn-e"), "");

    // A new link in learn-c reaches learn-e's page, whose log did not change.
    let c = logs.join("learn-c.yaml");
    let text = std::fs::read_to_string(&c).unwrap();
    std::fs::write(
        &c,
        text.replace("tags: [db]", "tags: [db]\nrelated: [learn-e]"),
    )
    .unwrap();
    site(&[]).stderr_has(&["2 pages rendered"]);
    assert!(
        related("learn-e").contains("learn-c.html"),
        "{}",
        related("learn-e")
    );
    let fresh = dir.path().join("fresh");
    let (l, f) = (logs.display().to_string(), fresh.display().to_string());
    run(&["build", &l, "-o", &f]).code(0);
    for id in ["learn-c", "learn-e"] {
        assert_eq!(
            std::fs::read(out.join(format!("incidents/{id}.html"))).unwrap(),
            std::fs::read(fresh.join(format!("incidents/{id}.html"))).unwrap(),
            "{id}: an update gives the page a fresh build gives"
        );
    }
}

#[test]
fn the_json_report_holds_related_ids_and_the_narrative_as_markdown_and_html() {
    let log = fixture("learn/learn-d.yaml").display().to_string();
    let out = run(&["report", &log, "--format", "json", "--audience", "public"]).code(0);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["related"], json!(["learn-a", "learn-b"]));
    assert_eq!(
        doc["narrative"]["summary"],
        json!({"markdown": "A learning-corpus incident.", "html": "<p>A learning-corpus incident.</p>\n"})
    );
    assert_eq!(doc["narrative"]["root_cause"], Value::Null);
    assert_eq!(doc["narrative"]["lessons"]["went_well"], json!([]));
}

#[test]
fn diff_reports_a_change_to_related() {
    let dir = tempfile::tempdir().unwrap();
    let old = fixture("learn/learn-d.yaml");
    let text = std::fs::read_to_string(&old).unwrap();
    let new = dir.path().join("learn-d.yaml");
    std::fs::write(
        &new,
        text.replace("related: [learn-a, learn-b]", "related: [learn-a, learn-c]"),
    )
    .unwrap();
    let (old, new) = (old.display().to_string(), new.display().to_string());
    let out = run(&["diff", &old, &new, "--format", "json"]).code(1);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let text = doc.to_string();
    assert!(text.contains("\"related\""), "{text}");
    assert!(text.contains("learn-c"), "{text}");
}

#[test]
fn a_today_that_is_not_a_date_is_a_usage_error() {
    let corpus = corpus();
    run(&["actions", &corpus, "--today", "yesterday"]).code(2);
    run(&["build", &corpus, "-o", "unused", "--today", "2025-02-30"]).code(2);
}

/// `--today` is part of the build's cache key: a rebuild on another day with no log changed
/// still counts on the new day.
#[test]
fn a_rebuild_on_another_day_recounts_the_follow_ups() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), &["--today", "2025-01-12"]);
    let page = || std::fs::read_to_string(dir.path().join("followups.html")).unwrap();
    assert_eq!(cards(&page())[1], ("overdue".to_owned(), "0".to_owned()));
    build(dir.path(), &["--today", TODAY]);
    assert_eq!(cards(&page())[1], ("overdue".to_owned(), "3".to_owned()));
}

#[test]
fn a_public_follow_ups_page_shows_no_owner_and_lists_items_without_a_date() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), &["--today", TODAY, "--audience", "public"]);
    let html = std::fs::read_to_string(dir.path().join("followups.html")).unwrap();
    for owner in ["alice", "bob", "carol", "dave"] {
        assert!(!html.contains(owner), "{owner} on the public page");
    }
    let unplanned = &html[html.find(r#"id="unplanned""#).unwrap()..];
    assert!(unplanned.contains("Name an owner for config reviews"));
    assert!(
        !unplanned.contains("Canary every deploy"),
        "it has a due date"
    );
}
