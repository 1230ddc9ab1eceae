//! A second organisation, Acme (tests/fixtures/org): its own postevent.toml (SEV0-SEV4, two
//! milestones, a custom metric, a policy, a site title), found beside its logs. Its reports,
//! site and diff show the custom parts; a broken config stops every command with located
//! errors; `--config` names one explicitly.

use std::path::Path;

use crate::{root, run};

const LOG: &str = "tests/fixtures/org/incidents/edge-proxy-2026-05-12.yaml";

fn json(args: &[&str]) -> serde_json::Value {
    let out = run(args).code(0);
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn the_config_is_found_beside_the_logs_and_checks_them() {
    run(&["check", "tests/fixtures/org/incidents"])
        .code(0)
        .stderr_has(&["checked 1 log: no problems"]);
    // The same log without a config: SEV0 and the milestones are not Acme's any more.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("edge.yaml");
    std::fs::copy(root().join(LOG), &copy).unwrap();
    run(&["check", copy.to_str().unwrap()])
        .code(1)
        .stderr_has(&[
            "invalid severity `SEV0`",
            "the worst severity here is `SEV1`",
            "unknown milestone `impact_started`",
            "no milestones are declared",
        ]);
    // `--config FILE` applies Acme's process to it.
    let config = root().join("tests/fixtures/org/postevent.toml");
    run(&[
        "check",
        "--config",
        config.to_str().unwrap(),
        copy.to_str().unwrap(),
    ])
    .code(0);
    // Acme's policy wants an incident commander on a SEV0: without one, a warning pointing at
    // the policy's line, an error with --strict.
    let text = std::fs::read_to_string(&copy).unwrap();
    let text = text.replace("  incident_commander: Maya Brooks\n", "");
    std::fs::write(&copy, text).unwrap();
    let args = ["check", "--config", config.to_str().unwrap()];
    run(&[&args[..], &[copy.to_str().unwrap()]].concat())
        .code(0)
        .stderr_has(&[
            "W009",
            "a SEV0 incident needs somebody in the `incident_commander` role",
            "add `roles:` with `incident_commander: NAME`; required by [policy.SEV0]",
        ]);
    run(&[&args[..], &["--strict", copy.to_str().unwrap()]].concat()).code(1);
}

#[test]
fn reports_show_the_custom_metric_and_milestones() {
    let internal = json(&["report", LOG, "--format", "json"]);
    assert_eq!(internal["severity"], "SEV0");
    assert_eq!(internal["metrics"]["impact_to_detect_s"], 11 * 60);
    assert_eq!(internal["metrics"]["time_to_detect_s"], 3 * 60);
    // The first public update, 20 minutes after the start (11:28 -> 11:48).
    assert_eq!(internal["metrics"]["time_to_first_update_s"], 20 * 60);
    let milestones: Vec<&str> = internal["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["milestone"].as_str())
        .collect();
    assert_eq!(milestones, ["impact_started", "first_public_update"]);
    // The public sees the public milestone and the metric between public points only.
    let public = json(&["report", LOG, "--format", "json", "--audience", "public"]);
    assert_eq!(public["metrics"]["impact_to_detect_s"], 11 * 60);
    let milestones: Vec<&str> = public["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["milestone"].as_str())
        .collect();
    assert_eq!(milestones, ["impact_started"]);
    let md = run(&["report", LOG, "--format", "md"]).code(0).stdout;
    assert!(md.contains("| Impact to detection | 11m |"), "{md}");
    assert!(
        md.contains("**SEV0** (Critical)"),
        "the config's label: {md}"
    );
    assert!(md.contains("*First public update*"), "{md}");
    // A UTC log shows each time once, in the tables and in the SVG timeline's zone label.
    assert!(md.contains("| Started | 2026-05-12 11:28 UTC |"), "{md}");
    let html = run(&["report", LOG, "--format", "html"]).code(0).stdout;
    assert!(
        html.contains(r#"<text class="axis-zone" x="4" y="30">UTC</text>"#),
        "{html}"
    );
    let public_md = run(&["report", LOG, "--format", "md", "--audience", "public"])
        .code(0)
        .stdout;
    assert!(public_md.contains("**Impact started:**"), "{public_md}");
    assert!(!public_md.contains("First public update"), "{public_md}");
    assert!(!public_md.contains("Feature pipeline"), "{public_md}");
    // Acme publishes who led the response (`public_roles = true`).
    assert!(
        public_md.contains(
            "## Who responded\n\n- Incident commander: Maya Brooks\n- Communications lead: Jonas Weber\n- Operations lead: Ravi Shah, Elena Petrova\n- Responders: Chen Wu, Amara Okoye\n"
        ),
        "{public_md}"
    );
    assert_eq!(public["roles"]["operations_lead"][1], "Elena Petrova");
    assert!(md.contains("| Incident commander | Maya Brooks |"), "{md}");
    // The public summary lists what was published, in order.
    let updates = public_md
        .split("## Updates we published\n\n")
        .nth(1)
        .expect("an updates section");
    assert!(
        updates.starts_with(
            "- **2026-05-12 11:48 UTC**: We are investigating elevated error rates for requests through our edge network.\n- **2026-05-12 14:30 UTC**: A fix has been deployed"
        ),
        "{public_md}"
    );
}

#[test]
fn the_site_has_the_title_and_the_scale() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    run(&[
        "build",
        "tests/fixtures/org/incidents",
        "-o",
        out.to_str().unwrap(),
        "--quiet",
    ])
    .code(0);
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("<h1>Acme incident history</h1>"), "{index}");
    let stats: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("stats.json")).unwrap()).unwrap();
    assert_eq!(stats["by_severity"]["SEV0"], 1);
    assert!(stats["by_severity"].get("SEV5").is_none(), "{stats}");
    assert!(out.join("severities/sev0.html").is_file());
    // Its worst level has the worst colour; its metrics are summed up with the built-in ones.
    assert!(
        index.contains(r#"<a class="sev sev1" href="severities/sev0.html">SEV0</a>"#),
        "{index}"
    );
    let metric = stats["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == "impact_to_detect")
        .expect("the custom metric in stats.json");
    assert_eq!(
        (metric["incidents"].as_u64(), metric["median_s"].as_i64()),
        (Some(1), Some(660))
    );
    let page = std::fs::read_to_string(out.join("stats.html")).unwrap();
    assert!(
        page.contains("<th scope=\"row\">Impact to detection</th>"),
        "{page}"
    );
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(
        feed.contains("<title>Acme incident history</title>"),
        "{feed}"
    );
}

#[test]
fn diff_shows_the_custom_metric_move() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.yaml");
    let text = std::fs::read_to_string(root().join(LOG)).unwrap();
    std::fs::write(&old, text.replace("2026-05-12 11:20", "2026-05-12 11:15")).unwrap();
    let config = root().join("tests/fixtures/org/postevent.toml");
    let out = run(&[
        "diff",
        "--config",
        config.to_str().unwrap(),
        old.to_str().unwrap(),
        LOG,
        "--format",
        "json",
    ])
    .code(1);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let metric = doc["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "impact_to_detect_s")
        .expect("the custom metric is diffed");
    assert_eq!(metric["old"], 16 * 60);
    assert_eq!(metric["new"], 11 * 60);
    assert_eq!(metric["delta_s"], -5 * 60);
    // An edited update is a change of its event.
    std::fs::write(
        &old,
        text.replace("A fix has been deployed", "A fix is being deployed"),
    )
    .unwrap();
    let out = run(&[
        "diff",
        "--config",
        config.to_str().unwrap(),
        old.to_str().unwrap(),
        LOG,
    ])
    .code(1);
    assert!(out.stdout.contains("update"), "{}", out.stdout);
    assert!(
        out.stdout.contains("A fix is being deployed"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_broken_config_stops_with_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("incidents");
    std::fs::create_dir(&logs).unwrap();
    std::fs::copy(root().join(LOG), logs.join("edge.yaml")).unwrap();
    std::fs::write(
        dir.path().join("postevent.toml"),
        "[severities]\nlevels = [\"SEV0\", \"SEV1\"]\n[milestone.impact_started]\n",
    )
    .unwrap();
    let logs = logs.to_str().unwrap();
    for args in [
        vec!["check", logs],
        vec!["report", &format!("{logs}/edge.yaml")],
        vec!["build", logs, "-o", "/nonexistent/never-written"],
    ] {
        run(&args).code(2).stderr_has(&[
            "E002 unknown-field",
            "postevent.toml:3:2",
            "`milestones`",
            "has 1 error; nothing was done",
        ]);
    }
    assert!(!Path::new("/nonexistent/never-written").exists());
}
