//! The leak test: one log with a marker in every field the public may not see (internal
//! events' text and id, internal notes, owners, an internal service with its description and
//! status changes, roles and responders). Every output command and format runs in both
//! audiences: no marker reaches a public output, and every marker reaches the internal one (so
//! the test can fail). A public diff shows the same metrics as the public reports of its two
//! sides. Measures (issue 16) of an internal event or of an internal service are markers too.
//!
//! Regressions: `diff --audience public` showed action-item owners, and dropped the internal
//! events before computing its metrics; a service known only from internal events was named
//! on every public page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{fixture, run};

/// Every command whose outputs are checked.
const COMMANDS: &[&str] = &[
    "build",
    "diff",
    "export",
    "report",
    #[cfg(feature = "serve")]
    "serve",
];

/// Every marker of tests/fixtures/leak/leak.yaml (each starts with `zqx` in any case), and
/// the commands whose internal outputs show it: reports show no service description, and
/// the Markdown of an export no event id. A public output shows none of them, anywhere.
const MARKERS: &[(&str, &[&str])] = &[
    ("ZQXEVENT paged", COMMANDS),
    ("zqxeventid", &["build", "diff", "report"]),
    ("ZQXNOTES", COMMANDS),
    ("ZQXOWNER", COMMANDS),
    ("ZQXSERVICE builder", COMMANDS),
    ("ZQXSERVICEDESC", &["diff"]),
    ("ZQXROLE Dana", COMMANDS),
    ("ZQXRESPONDER", COMMANDS),
    ("zqxmeasureevent", COMMANDS),
    ("zqxmeasureservice", COMMANDS),
];

const AUDIENCES: [&str; 2] = ["internal", "public"];

fn log() -> PathBuf {
    fixture("leak/leak.yaml")
}

/// A later version of the log in which every marked field changed (so that a diff shows
/// each one without `--all`), a public event was reworded, and the internal event that marks
/// `detected` moved.
fn new_version(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(log()).unwrap();
    let edits = [
        ("ZQXEVENT paged the", "ZQXEVENT paged all of the"),
        ("at: 2026-02-02 10:05", "at: 2026-02-02 10:07"),
        ("found the bad config", "found the bad config at last"),
        ("ZQXNOTES the", "ZQXNOTES still the"),
        ("owner: ZQXOWNER", "owner: ZQXOWNER and friends"),
        ("ZQXSERVICEDESC internal", "ZQXSERVICEDESC private"),
        ("ZQXROLE Dana Whitlock", "ZQXROLE Dana Whitlock-Ng"),
        ("ZQXRESPONDER Lee Park", "ZQXRESPONDER Lee Park, Sam Ortiz"),
        ("zqxmeasureevent: 4242", "zqxmeasureevent: 4343"),
        ("zqxmeasureservice: 77", "zqxmeasureservice: 78"),
        (
            "ZQXSERVICE builder: degraded_performance",
            "ZQXSERVICE builder: partial_outage",
        ),
    ];
    let mut new = text.clone();
    for (from, to) in edits {
        assert!(new.contains(from), "{from}");
        new = new.replace(from, to);
    }
    let path = dir.join("leak-new.yaml");
    std::fs::write(&path, new).unwrap();
    path
}

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            let bytes = std::fs::read(entry.path()).unwrap();
            out.insert(
                rel.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            );
        }
    }
    out
}

/// Every output of every command, as (name, audience, text): one text per file or stream.
fn outputs(dir: &Path) -> Vec<(String, &'static str, String)> {
    let log = log();
    let log = log.to_str().unwrap();
    let new = new_version(dir);
    let new = new.to_str().unwrap();
    let mut out = Vec::new();
    for audience in AUDIENCES {
        for format in ["md", "html", "json"] {
            let r = run(&["report", log, "--format", format, "--audience", audience]).code(0);
            out.push((format!("report {format}"), audience, r.stdout));
        }
        let site = dir.join(format!("site-{audience}"));
        let s = site.to_str().unwrap();
        run(&["build", log, "-o", s, "--audience", audience, "-q"]).code(0);
        for (name, text) in files(&site) {
            out.push((format!("build {name}"), audience, text));
        }
        // Binary, but its strings are stored as they are (UTF-8), so a marker shows in it.
        let cache = dir.join(format!(".site-{audience}.postevent-cache"));
        let cache = std::fs::read(&cache).expect("the build cache");
        out.push((
            "build cache".into(),
            audience,
            String::from_utf8_lossy(&cache).into_owned(),
        ));
        for generator in ["mdbook", "mkdocs", "hugo", "docusaurus", "zola"] {
            let to = dir.join(format!("export-{generator}-{audience}"));
            let t = to.to_str().unwrap();
            run(&[
                "export",
                "--to",
                generator,
                log,
                "-o",
                t,
                "--audience",
                audience,
            ])
            .code(0);
            for (name, text) in files(&to) {
                out.push((format!("export {generator} {name}"), audience, text));
            }
        }
        for format in ["text", "md", "json"] {
            for all in [false, true] {
                let mut args = vec!["diff", log, new, "--format", format, "--audience", audience];
                if all {
                    args.push("--all");
                }
                let d = run(&args).code(1);
                out.push((format!("diff {format} all={all}"), audience, d.stdout));
            }
        }
        #[cfg(feature = "serve")]
        for (path, text) in served(dir, audience) {
            out.push((format!("serve {path}"), audience, text));
        }
    }
    out
}

/// Every page of the preview server (through the library, as the server answers a GET).
#[cfg(feature = "serve")]
fn served(dir: &Path, audience: &str) -> Vec<(String, String)> {
    use postevent::parse::Limits;
    use postevent::redact::Audience;
    use postevent::serve::{Preview, Setup};
    use postevent::source::Source;

    let audience = match audience {
        "public" => Audience::Public,
        _ => Audience::Internal,
    };
    let out = dir.join(format!("serve-{audience:?}"));
    let setup = Setup {
        files: Box::new(|| Ok(vec![log()])),
        read: Box::new(|p: &Path| {
            let text = std::fs::read_to_string(p).map_err(|e| e.to_string())?;
            Ok(Source::new(
                p.display().to_string(),
                Some(p.to_owned()),
                text,
            ))
        }),
        limits: Limits::default(),
        audience,
        config: Box::new(|| Ok(Default::default())),
        config_files: Vec::new(),
        template_dirs: Vec::new(),
        logs: vec![log()],
        out: out.clone(),
    };
    let (preview, first) = Preview::start(setup);
    assert!(
        matches!(first.status, postevent::serve::Status::Built { .. }),
        "{first:?}"
    );
    files(&out)
        .into_keys()
        .map(|rel| {
            let reply = preview.respond(&format!("/{rel}"));
            assert_eq!(reply.status, 200, "{rel}");
            (rel, String::from_utf8_lossy(&reply.body).into_owned())
        })
        .collect()
}

#[test]
fn no_internal_field_reaches_a_public_output_and_every_one_reaches_the_internal_one() {
    let dir = tempfile::tempdir().unwrap();
    let outputs = outputs(dir.path());
    let mut leaks = Vec::new();
    let mut reached: BTreeMap<(String, &str), bool> = BTreeMap::new();
    for (name, audience, text) in &outputs {
        let command = name.split(' ').next().unwrap_or_default().to_owned();
        if *audience == "public" {
            let lower = text.to_lowercase();
            if let Some(at) = lower.find("zqx") {
                let around: String = lower[at..].chars().take(60).collect();
                leaks.push(format!("{name}: {around}…"));
            }
            continue;
        }
        for (marker, commands) in MARKERS {
            if commands.contains(&command.as_str()) {
                *reached.entry((command.clone(), *marker)).or_default() |= text.contains(marker);
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "public outputs leak:\n{}",
        leaks.join("\n")
    );
    let missing: Vec<String> = reached
        .iter()
        .filter(|(_, found)| !**found)
        .map(|((command, marker), _)| format!("{command}: {marker}"))
        .collect();
    assert!(
        missing.is_empty(),
        "internal outputs lack markers (the test could not see a leak):\n{}",
        missing.join("\n")
    );
    let commands: std::collections::BTreeSet<&str> =
        reached.keys().map(|(c, _)| c.as_str()).collect();
    assert_eq!(commands.into_iter().collect::<Vec<_>>(), COMMANDS);
}

/// Regression: `diff --audience public` dropped the internal events before computing the
/// metrics, so its numbers were not those of the public reports it compares.
#[test]
fn a_public_diff_shows_the_metrics_of_the_public_reports() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (log(), new_version(dir.path()));
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let json = |args: &[&str], code| -> serde_json::Value {
        serde_json::from_str(&run(args).code(code).stdout).unwrap()
    };
    let report = |path| {
        json(
            &["report", path, "--format", "json", "--audience", "public"],
            0,
        )
    };
    let (lhs, rhs) = (report(old), report(new));
    let d = json(
        &["diff", old, new, "--format", "json", "--audience", "public"],
        1,
    );
    let metrics = d["metrics"].as_array().unwrap();
    assert_eq!(
        metrics.len(),
        6,
        "the five phase metrics and the time to first update"
    );
    for m in metrics {
        let key = m["name"].as_str().unwrap();
        assert_eq!(m["old"], lhs["metrics"][key], "old {key}");
        assert_eq!(m["new"], rhs["metrics"][key], "new {key}");
    }
    // The internal event that marks `detected` moved by two minutes.
    let detect = metrics
        .iter()
        .find(|m| m["name"] == "time_to_detect_s")
        .unwrap();
    assert_eq!(
        (&detect["old"], &detect["delta_s"]),
        (&300.into(), &120.into())
    );
}

/// A hidden service is no part of the cascade or of a region in a public report: the
/// builder, internal, recovers in eu-west-1 twenty minutes after the public services do, is
/// the origin of the internal report and a dependency of both public services; publicly it
/// moves no region's recovery, is no origin, no edge and no `depends_on` (and the graph of
/// the HTML report does not draw it: the marker search above covers every output).
#[test]
fn a_hidden_service_moves_no_region_and_is_no_origin_or_edge() {
    let log = log();
    let json = |audience: &str| -> serde_json::Value {
        let out = run(&[
            "report",
            log.to_str().unwrap(),
            "--format",
            "json",
            "--audience",
            audience,
        ])
        .code(0);
        serde_json::from_str(&out.stdout).unwrap()
    };
    let (internal, public) = (json("internal"), json("public"));
    let west = |v: &serde_json::Value| v["impact_by_region"]["eu-west-1"].clone();
    assert_eq!(
        west(&internal),
        serde_json::json!({"impact_s": 2400, "recovered_at": "2026-02-02T09:40:00Z"})
    );
    assert_eq!(
        west(&public),
        serde_json::json!({"impact_s": 1200, "recovered_at": "2026-02-02T09:20:00Z"})
    );
    assert_eq!(
        internal["origin_services"],
        serde_json::json!(["ZQXSERVICE builder"])
    );
    assert_eq!(public["origin_services"], serde_json::json!(["Checkout"]));
    assert_eq!(
        public["dependencies"],
        serde_json::json!([{"dependency": "Checkout", "dependent": "Payments", "delay_s": 0}])
    );
    assert_eq!(
        public["services"][1]["depends_on"],
        serde_json::json!(["Checkout"])
    );
    let html = run(&[
        "report",
        log.to_str().unwrap(),
        "--format",
        "html",
        "--audience",
        "public",
    ])
    .code(0)
    .stdout;
    assert!(
        html.contains(r#"<svg class="graph""#),
        "the public graph is drawn"
    );
}
