//! `postevent report`: every format for every bundled incident, the AWS numbers, safety
//! against a hostile log, audiences, zones, templates and output files.

use std::path::Path;

use crate::{fixture, root, run};

const INCIDENTS: &[&str] = &[
    "aws-us-east-1-2025-10-20",
    "checkout-bad-deploy-2026-03-14",
    "payments-db-failover-2026-09-02",
];
const FORMATS: &[&str] = &["md", "html", "json"];
const AUDIENCES: &[&str] = &["internal", "public"];
const HOSTILE: &str = "report/hostile.yaml";
const MARKER: &str = "INTERNAL-ONLY-MARKER-c0ffee";

fn incident(name: &str) -> String {
    root()
        .join(format!("incidents/{name}.yaml"))
        .display()
        .to_string()
}

fn hostile() -> String {
    fixture(HOSTILE).display().to_string()
}

/// The report of `path` on stdout, asserting success.
fn report(path: &str, format: &str, audience: &str) -> String {
    run(&["report", path, "--format", format, "--audience", audience])
        .code(0)
        .stdout
}

fn json(path: &str, audience: &str) -> serde_json::Value {
    serde_json::from_str(&report(path, "json", audience)).expect("report is JSON")
}

#[test]
fn snapshots_of_every_format_for_every_bundled_incident() {
    for name in INCIDENTS {
        for format in FORMATS {
            for audience in AUDIENCES {
                let text = report(&incident(name), format, audience);
                insta::assert_snapshot!(format!("{name}.{audience}.{format}"), text);
            }
        }
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for name in INCIDENTS.iter().map(|n| incident(n)).chain([hostile()]) {
        for format in FORMATS {
            for audience in AUDIENCES {
                let first = report(&name, format, audience);
                assert_eq!(first, report(&name, format, audience), "{name} {format}");
            }
        }
    }
}

#[test]
fn aws_durations_equal_those_of_the_aws_summary() {
    let doc = json(&incident(INCIDENTS[0]), "internal");
    let impact = |service: &str| {
        let services = doc["services"].as_array().unwrap();
        let s = services.iter().find(|s| s["name"] == service).unwrap();
        s["impact_s"].as_i64().unwrap()
    };
    assert_eq!(impact("DynamoDB"), (2 * 60 + 52) * 60);
    assert_eq!(impact("NLB"), (8 * 60 + 39) * 60);
    assert_eq!(doc["metrics"]["time_to_resolve_s"], (14 * 60 + 32) * 60);
    let md = report(&incident(INCIDENTS[0]), "md", "internal");
    for text in [
        "| DynamoDB | 2025-10-19 23:48 PDT<br>2025-10-20 06:48 UTC | 2025-10-20 02:40 PDT<br>2025-10-20 09:40 UTC | 2h 52m | major outage |",
        "| NLB | 2025-10-20 05:30 PDT<br>2025-10-20 12:30 UTC | 2025-10-20 14:09 PDT<br>2025-10-20 21:09 UTC | 8h 39m |",
        "| Time to resolve | 14h 32m |",
        "| Time to acknowledge | — |",
    ] {
        assert!(md.contains(text), "lacks {text}");
    }
}

#[test]
fn json_follows_the_contract() {
    let doc = json(&incident(INCIDENTS[0]), "internal");
    assert_eq!(doc["format_version"], 1);
    assert_eq!(doc["audience"], "internal");
    assert_eq!(doc["timezone"], "America/Los_Angeles");
    assert_eq!(doc["metrics"]["time_to_detect_s"], 23 * 60);
    assert!(doc["metrics"]["time_to_acknowledge_s"].is_null());
    let dynamo = &doc["services"][0];
    assert_eq!(dynamo["name"], "DynamoDB");
    let window = &dynamo["windows"][0];
    assert_eq!(window["from"], "2025-10-20T06:48:00Z");
    assert_eq!(window["to"], "2025-10-20T09:40:00Z");
    assert_eq!(window["duration_s"], 10320);
    assert_eq!(window["worst_status"], "major_outage");
    assert_eq!(window["segments"][0]["status"], "major_outage");
    let first = &doc["timeline"][0];
    assert_eq!(first["at"], "2025-10-20T06:48:00Z");
    assert_eq!(first["at_local"], "2025-10-19T23:48:00-07:00");
    assert_eq!(first["phase"], "started");
    assert_eq!(first["status"]["DynamoDB"], "major_outage");
    assert_eq!(first["internal"], false);
    for event in doc["timeline"].as_array().unwrap() {
        assert!(event["at"].as_str().unwrap().ends_with('Z'));
    }
    assert!(!doc["action_items"].as_array().unwrap().is_empty());
}

#[test]
fn services_that_stayed_operational_have_no_windows() {
    let log = "title: t\nseverity: SEV4\nservices: [a, b]\ntimeline:\n  - at: 2026-01-01 10:00\n    phase: started\n    status: {a: degraded_performance}\n    text: x\n  - at: 2026-01-01 10:20\n    status: {a: operational}\n    text: y\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quiet.yaml");
    std::fs::write(&path, log).unwrap();
    let doc = json(path.to_str().unwrap(), "internal");
    assert_eq!(doc["services"][1]["name"], "b");
    assert_eq!(doc["services"][1]["impact_s"], 0);
    assert_eq!(doc["services"][1]["windows"].as_array().unwrap().len(), 0);
    let md = report(path.to_str().unwrap(), "md", "internal");
    for absent in [
        "## Root cause",
        "## Summary",
        "## Action items",
        "## Lessons",
        "## Links",
    ] {
        assert!(!md.contains(absent), "empty section {absent} printed");
    }
}

#[test]
fn internal_text_never_reaches_a_public_report() {
    for format in FORMATS {
        assert!(report(&hostile(), format, "internal").contains(MARKER));
        assert!(
            !report(&hostile(), format, "public").contains(MARKER),
            "{format}"
        );
    }
    let doc = json(&incident("payments-db-failover-2026-09-02"), "public");
    for event in doc["timeline"].as_array().unwrap() {
        assert_eq!(event["internal"], false);
    }
    for item in doc["action_items"].as_array().unwrap() {
        assert!(item["owner"].is_null());
    }
}

#[test]
fn internal_events_are_marked_in_internal_reports() {
    let path = incident("payments-db-failover-2026-09-02");
    assert!(report(&path, "md", "internal").contains("**[internal]**"));
    assert!(report(&path, "html", "internal").contains(r#"<tr class="internal""#));
}

/// Every tag in `html` must be one a report uses, with no event handler and no script URL.
fn assert_inert(html: &str) {
    const TAGS: &[&str] = &[
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "main",
        "header",
        "footer",
        "section",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
        "time",
        "span",
        "strong",
        "em",
        "code",
        "pre",
        "a",
        "br",
        "hr",
        "figure",
        "figcaption",
        "svg",
        "g",
        "line",
        "rect",
        "circle",
        "path",
        "text",
        "div",
        "blockquote",
        "del",
        "input",
    ];
    let lower = html.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name.is_empty() {
            continue;
        }
        assert!(TAGS.contains(&name.as_str()), "tag <{tag}>");
        for attr in tag.split_whitespace().skip(1) {
            assert!(!attr.starts_with("on"), "handler in <{tag}>");
            assert!(!attr.contains("javascript:"), "script URL in <{tag}>");
        }
    }
    assert_eq!(lower.matches("</style>").count(), 1, "a second </style>");
    assert!(!lower.contains("<script"));
}

/// Every `<` in Markdown that could open raw HTML is backslash-escaped, except our own
/// `<br>` and the `<https://...>` link destinations.
fn assert_no_raw_html(md: &str) {
    let bytes = md.as_bytes();
    for (i, _) in md.match_indices('<') {
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        let escaped = i > 0 && bytes[i - 1] == b'\\';
        if escaped || !(next.is_ascii_alphabetic() || next == b'/' || next == b'!') {
            continue;
        }
        let rest = &md[i..];
        let ours = rest.starts_with("<br>") || rest.starts_with("<https://");
        assert!(
            ours,
            "raw HTML in Markdown: {}",
            &rest[..rest.len().min(60)]
        );
    }
}

#[test]
fn a_hostile_log_renders_safely_in_every_format() {
    for audience in AUDIENCES {
        let html = report(&hostile(), "html", audience);
        assert_inert(&html);
        assert!(html.contains("&lt;script&gt;document.title="));
        let md = report(&hostile(), "md", audience);
        assert_no_raw_html(&md);
        // A link to javascript: would be `](javascript:`; one whose `]` is escaped (an odd
        // number of backslashes before it: `\]`) is text, as a role's name shows it.
        for pattern in ["](javascript:", "](<javascript:"] {
            for (i, _) in md.match_indices(pattern) {
                let slashes = md[..i].bytes().rev().take_while(|&b| b == b'\\').count();
                assert!(slashes % 2 == 1, "a live link: {md}");
            }
        }
        assert!(
            md.contains("section API#58; v2 #35;1\n"),
            "mermaid label unescaped"
        );
        assert!(
            md.contains("section #60;/style#62;"),
            "mermaid label unescaped"
        );
        let doc: serde_json::Value =
            serde_json::from_str(&report(&hostile(), "json", audience)).unwrap();
        for event in doc["timeline"].as_array().unwrap() {
            let text = event["text"].as_str().unwrap();
            assert!(
                !text.contains("<script") && !text.contains("<iframe"),
                "{text}"
            );
        }
        for item in doc["action_items"].as_array().unwrap() {
            assert!(
                item["link"]
                    .as_str()
                    .is_none_or(|l| l.starts_with("https:"))
            );
        }
    }
}

#[test]
fn the_html_report_is_self_contained() {
    let html = report(&incident(INCIDENTS[0]), "html", "internal");
    for external in ["<link", "<script", "src=\"http", "@import", "url("] {
        assert!(!html.contains(external), "has {external}");
    }
    assert!(html.contains("<svg class=\"timeline\""));
    assert!(html.contains("@media print"));
    assert!(html.contains("prefers-color-scheme: dark"));
}

#[test]
fn tz_changes_the_display_zone() {
    let out = run(&[
        "report",
        &incident(INCIDENTS[0]),
        "--format",
        "json",
        "--tz",
        "Europe/Berlin",
    ])
    .code(0);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["timezone"], "Europe/Berlin");
    assert_eq!(doc["timeline"][0]["at_local"], "2025-10-20T08:48:00+02:00");
    assert_eq!(doc["timeline"][0]["at"], "2025-10-20T06:48:00Z");
    run(&["report", &incident(INCIDENTS[0]), "--tz", "Europe/Berln"])
        .code(2)
        .stderr_has(&["unknown time zone `Europe/Berln`", "Europe/Berlin"]);
}

#[test]
fn output_file_format_follows_the_extension_unless_told() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("out/aws.html");
    run(&[
        "report",
        &incident(INCIDENTS[0]),
        "-o",
        html.to_str().unwrap(),
    ])
    .code(0)
    .stderr_has(&["wrote", "aws.html", "HTML"]);
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    let forced = dir.path().join("forced.html");
    run(&[
        "report",
        &incident(INCIDENTS[0]),
        "--format",
        "json",
        "-o",
        forced.to_str().unwrap(),
    ])
    .code(0);
    assert!(std::fs::read_to_string(&forced).unwrap().starts_with('{'));
}

#[test]
fn a_log_with_errors_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "title: x\nseverity: SEV9\ntimeline: []\n").unwrap();
    let out = dir.path().join("out.md");
    run(&["report", bad.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .code(1)
        .stderr_has(&["SEV9", "no report written"]);
    assert!(!out.exists());
}

#[test]
fn templates_are_overridden_by_name_or_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("postmortem.md"),
        "custom {{ id }} {{ title }}\n",
    )
    .unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    run(&["report", &incident(INCIDENTS[1]), "--templates", dir_arg])
        .code(0)
        .stdout_has(&["custom checkout-bad-deploy-2026-03-14 Typo in a payment-routing flag"]);
    let one = dir.path().join("one.html");
    std::fs::write(
        &one,
        "<p>{{ title }}</p>{{ metrics[0].duration | duration }}",
    )
    .unwrap();
    run(&["report", &hostile(), "--template", one.to_str().unwrap()])
        .code(0)
        .stdout_has(&["<p>&lt;script&gt;", "10m"]);
    run(&[
        "report",
        &incident(INCIDENTS[1]),
        "--template",
        "summary.md",
    ])
    .code(0)
    .stdout_has(&["Post-event summary"]);
}

#[test]
fn a_template_error_names_the_template_line_and_variable() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.md");
    std::fs::write(&bad, "# {{ title }}\n\n{{ no_such_thing.at }}\n").unwrap();
    run(&[
        "report",
        &incident(INCIDENTS[1]),
        "--template",
        bad.to_str().unwrap(),
    ])
    .code(2)
    .stderr_has(&["bad.md", ":3:", "no_such_thing"]);
}

#[test]
fn templates_export_copies_the_defaults_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("t");
    let arg = target.to_str().unwrap();
    run(&["templates", "export", arg])
        .code(0)
        .stderr_has(&["postmortem.html"]);
    // Every default, report and site: each file under templates/ comes out as it is.
    let mut count = 0;
    for folder in ["", "site"] {
        for file in std::fs::read_dir(root().join("templates").join(folder)).unwrap() {
            let path = file.unwrap().path();
            if path.is_file() {
                let name = Path::new(folder).join(path.file_name().unwrap());
                let exported = std::fs::read_to_string(target.join(&name)).unwrap();
                assert_eq!(
                    exported,
                    std::fs::read_to_string(&path).unwrap(),
                    "{name:?}"
                );
                count += 1;
            }
        }
    }
    assert_eq!(count, 23);
    run(&["templates", "export", arg])
        .code(2)
        .stderr_has(&["--force"]);
    run(&["templates", "export", "--force", arg]).code(0);
    assert!(Path::new(arg).join("summary.md").is_file());
}

#[test]
fn the_readme_main_command_writes_the_aws_post_mortem_as_html() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("cargo run -- report"))
        .expect("README's first command runs a report");
    let command = line.split('#').next().unwrap().trim();
    let args: Vec<&str> = command.split_whitespace().skip(3).collect();
    let out_at = args
        .iter()
        .position(|a| *a == "-o")
        .expect("README says where it writes");
    let out = run(&args)
        .code(0)
        .stderr_has(&["wrote", args[out_at + 1], "HTML"]);
    assert!(out.stdout.is_empty());
    let html = std::fs::read_to_string(root().join(args[out_at + 1])).unwrap();
    assert!(html.contains("DynamoDB DNS race"));
}

#[test]
fn an_ongoing_incident_shows_open_windows_in_every_format() {
    let log = "title: Still burning\nseverity: SEV2\nstatus: investigating\ntimezone: Europe/Berlin\nservices: [api]\ntimeline:\n  - at: 2026-03-29 01:50\n    phase: started\n    status: {api: major_outage}\n    text: down\n  - at: 2026-03-29 03:10\n    text: clocks went forward in between\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ongoing.yaml");
    std::fs::write(&path, log).unwrap();
    let path = path.to_str().unwrap();
    let doc = json(path, "internal");
    let window = &doc["services"][0]["windows"][0];
    assert!(window["to"].is_null());
    // 01:50 CET to 03:10 CEST is 20 minutes of real time.
    assert_eq!(window["duration_s"], 20 * 60);
    assert!(doc["resolved_at"].is_null());
    let md = report(path, "md", "public");
    assert!(md.contains("the event is ongoing (20m so far)"), "{md}");
    assert!(md.contains("until now (20m so far)"));
    let html = report(path, "html", "internal");
    assert!(html.contains("ongoing") && !html.contains("NaN"));
    assert!(html.contains("01:50 CET") && html.contains("03:10 CEST"));
}

#[test]
fn a_single_event_log_renders() {
    let log = "title: Blip\nseverity: SEV5\nservices: [a]\ntimeline:\n  - at: 2026-01-01T00:00:00Z\n    text: one thing happened\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blip.yaml");
    std::fs::write(&path, log).unwrap();
    for format in FORMATS {
        for audience in AUDIENCES {
            let out = report(path.to_str().unwrap(), format, audience);
            assert!(out.contains("Blip") && !out.contains("NaN") && !out.contains("inf"));
        }
    }
}

#[test]
fn stdin_is_read_with_a_dash() {
    // In-process runs cannot feed stdin, so this runs the binary.
    let log = std::fs::read(incident(INCIDENTS[1])).unwrap();
    let out = assert_cmd::Command::cargo_bin("postevent")
        .unwrap()
        .args(["report", "-", "--format", "json"])
        .write_stdin(log)
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["id"], "checkout-bad-deploy-2026-03-14");
}

/// Measures, approximate times and context events (issue 16) in every format and audience;
/// the public sees no measure of an internal event or an internal service, and peaks come from
/// what it sees.
#[test]
fn measures_approximate_times_and_context_events() {
    let path = fixture("report/measures.yaml").display().to_string();
    for format in FORMATS {
        for audience in AUDIENCES {
            let text = report(&path, format, audience);
            insta::assert_snapshot!(format!("measures.{audience}.{format}"), text);
        }
    }
    let public = json(&path, "public");
    assert_eq!(
        public["metrics_approximate"],
        serde_json::json!(["time_to_detect"])
    );
    assert_eq!(public["measures"]["requests_failed"]["peak"], 180000);
    assert_eq!(public["measures"]["Login API.error_rate_pct"]["peak"], 62.5);
    assert!(public["measures"].get("Secret Store.lag_s").is_none());
    let internal = json(&path, "internal");
    assert_eq!(internal["measures"]["requests_failed"]["peak"], 999999);
    assert_eq!(
        internal["measures"]["Secret Store.lag_s"]["series"][0]["value"],
        40
    );
    let approximate: Vec<bool> = internal["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["approximate"].as_bool().unwrap())
        .collect();
    assert_eq!(
        approximate,
        [false, false, true, false, false, false, false, false]
    );
    let md = report(&path, "md", "internal");
    assert!(md.contains("| Time to detect | ~12m |"), "{md}");
    assert!(md.contains("| ~2026-06-01 10:12 CEST |"), "{md}");
    assert!(md.contains("*Context:* A certificate rotation"), "{md}");
}

/// The chart spans the incident: a context event 14 days early sits at the edge instead of
/// squeezing the incident into a sliver; a service never impaired gets no lane.
#[test]
fn the_chart_spans_the_incident_with_context_at_its_edges() {
    let html = report(
        &fixture("report/measures.yaml").display().to_string(),
        "html",
        "internal",
    );
    let svg = &html[html.find("<svg class=\"timeline\"").unwrap()..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    assert!(svg.contains(">14d before<"), "{svg}");
    assert!(svg.contains(">1d 21h after<"), "{svg}");
    // Ticks every 10 minutes, not every day.
    assert!(svg.contains(">10:10<") && svg.contains(">10:50<"), "{svg}");
    assert!(svg.contains(">Login API (eu-west-1 replica)<"), "{svg}");
    assert!(!svg.contains(">Billing<"), "never impaired: no lane");
    assert!(
        html.contains("class=\"timeline measure\""),
        "a measure chart"
    );
}

/// A log with three regions (tests/fixtures/regions/): every format in both audiences is a
/// snapshot, and each region recovers on its own: us-central1 an hour and twenty minutes
/// after the others, which the JSON, the Markdown table and the HTML table all say.
#[test]
fn regions_recover_on_their_own_in_every_format() {
    let path = fixture("regions/api-quota-two-regions.yaml");
    let path = path.to_str().unwrap();
    for format in FORMATS {
        for audience in AUDIENCES {
            let text = report(path, format, audience);
            insta::assert_snapshot!(format!("api-quota-two-regions.{audience}.{format}"), text);
        }
    }
    let v = json(path, "public");
    assert_eq!(
        v["impact_by_region"],
        serde_json::json!({
            "us-central1": {"impact_s": 12060, "recovered_at": "2025-06-12T21:10:00Z"},
            "us-east1": {"impact_s": 6960, "recovered_at": "2025-06-12T19:45:00Z"},
            "europe-west1": {"impact_s": 7260, "recovered_at": "2025-06-12T19:50:00Z"},
        })
    );
    assert_eq!(
        v["origin_services"],
        serde_json::json!(["Policy store", "Policy checker"])
    );
    let md = report(path, "md", "internal");
    assert!(
        md.contains("| us-central1 | 2h 5m (partial outage) |"),
        "the region x service table: {md}"
    );
    assert!(md.contains("2 services were hit through services they depend on"));
    let html = report(path, "html", "public");
    assert!(html.contains(r#"<table class="regions">"#) && html.contains(r#"<svg class="graph""#));

    // A service never impaired in any region is no column of dashes in the region table.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let billing = text.replace(
        "  - name: Console\n",
        "  - name: Billing\n  - name: Console\n",
    );
    assert_ne!(billing, text);
    let copy = dir.path().join("billing.yaml");
    std::fs::write(&copy, billing).unwrap();
    let md = report(copy.to_str().unwrap(), "md", "internal");
    let header = md
        .lines()
        .find(|l| l.starts_with("| Region |"))
        .expect("the region table");
    assert!(!header.contains("Billing"), "{header}");
    assert!(header.contains("Policy store"), "{header}");
    assert!(
        md.contains("| Billing |"),
        "the windows table still lists it: {md}"
    );
}

/// The AWS log's cascade, as the PES tells it: everything starts at DynamoDB; EC2 is hit at
/// once, NLB 5 h 42 m later; STS's second failure starts with NLB's.
#[test]
fn the_aws_cascade_starts_at_dynamodb() {
    let v = json(&incident("aws-us-east-1-2025-10-20"), "public");
    assert_eq!(v["origin_services"], serde_json::json!(["DynamoDB"]));
    let delay = |from: &str, to: &str| {
        v["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["dependency"] == from && e["dependent"] == to)
            .map(|e| e["delay_s"].clone())
    };
    assert_eq!(delay("DynamoDB", "EC2"), Some(serde_json::json!(0)));
    assert_eq!(delay("EC2", "NLB"), Some(serde_json::json!(342 * 60)));
    assert_eq!(delay("NLB", "STS"), Some(serde_json::json!(0)));
    assert_eq!(
        v["impact_by_region"]["us-east-1"]["recovered_at"], "2025-10-21T11:05:00Z",
        "the last Redshift cluster"
    );
    let md = report(&incident("aws-us-east-1-2025-10-20"), "md", "public");
    assert!(
        md.contains("10 services were hit through services they depend on; the origin: DynamoDB.")
    );
}
