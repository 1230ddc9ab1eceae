//! The documentation is tested: every YAML example in docs/format.md is what it claims to be.

use postevent::parse::Limits;
use postevent::source::Source;
use postevent::validate;

use crate::root;

/// The fenced code blocks of a Markdown file: (info string, body, line of the fence).
fn code_blocks(markdown: &str) -> Vec<(String, String, usize)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String, usize)> = None;
    for (i, line) in markdown.lines().enumerate() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_owned(), String::new(), i + 1)),
            (Some(_), Some("")) => blocks.extend(current.take()),
            (Some((_, body, _)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

#[test]
fn format_examples_are_what_they_claim() {
    let text = std::fs::read_to_string(root().join("docs/format.md")).unwrap();
    let blocks: Vec<_> = code_blocks(&text)
        .into_iter()
        .filter(|(info, _, _)| info.starts_with("yaml"))
        .collect();
    assert!(blocks.len() >= 4, "docs/format.md lost its examples");
    for (info, body, line) in blocks {
        let source = Source::from_text(format!("docs/format.md:{line}"), body.clone());
        match info.as_str() {
            "yaml fragment" => {
                serde_saphyr::from_str::<serde_json::Value>(&body)
                    .unwrap_or_else(|e| panic!("fragment at line {line} is not YAML: {e}"));
            }
            "yaml invalid" => {
                let checked = validate::check(&source, Limits::default());
                assert!(
                    checked.errors() > 0,
                    "example at line {line} should be rejected"
                );
            }
            "yaml" => {
                let checked = validate::check(&source, Limits::default());
                let codes: Vec<_> = checked
                    .diagnostics
                    .iter()
                    .map(|d| d.code.to_string())
                    .collect();
                assert!(
                    checked.incident.is_some() && checked.errors() == 0,
                    "example at line {line}: {codes:?}"
                );
            }
            other => panic!("unknown block kind `{other}` at line {line}"),
        }
    }
}

#[test]
fn the_ec2_example_has_the_window_the_text_gives() {
    let text = std::fs::read_to_string(root().join("docs/format.md")).unwrap();
    let (_, body, _) = code_blocks(&text)
        .into_iter()
        .find(|(_, body, _)| body.starts_with("title: EC2 launches fail"))
        .expect("the EC2 example");
    let incident = validate::check(&Source::from_text("ec2.yaml", body), Limits::default())
        .incident
        .expect("valid");
    let impact = &postevent::metrics::service_impacts(&incident)[0];
    assert_eq!(impact.windows.len(), 1);
    assert_eq!(postevent::metrics::human_duration(impact.total), "14h 2m");
    assert!(text.contains("(14h 2m)"));
}

/// The `postevent` steps of the CI recipes in docs/ci.md, run as the CI would run them (bash,
/// the CI's variables set) in a repository whose branch edits, adds, deletes and renames logs.
#[test]
fn ci_recipes_run() {
    let text = std::fs::read_to_string(root().join("docs/ci.md")).unwrap();
    let recipes: Vec<_> = code_blocks(&text)
        .into_iter()
        .filter(|(info, _, _)| info.starts_with("yaml ci"))
        .collect();
    assert_eq!(
        recipes.len(),
        2,
        "docs/ci.md has a GitHub and a GitLab recipe"
    );
    let Some(repo) = crate::diff::two_commits() else {
        return;
    };
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(repo.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}");
    };
    // The CI's clone: the repository is its own `origin`.
    git(&[
        "remote",
        "add",
        "origin",
        &repo.path().display().to_string(),
    ]);
    git(&["fetch", "-q", "origin"]);
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_postevent"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for (info, body, line) in recipes {
        let doc: serde_json::Value = serde_saphyr::from_str(&body)
            .unwrap_or_else(|e| panic!("docs/ci.md:{line}: not YAML: {e}"));
        let steps: Vec<String> = if info == "yaml ci github" {
            let jobs = doc["jobs"].as_object().expect("jobs");
            jobs.values()
                .flat_map(|job| job["steps"].as_array().cloned().unwrap_or_default())
                .filter_map(|step| step["run"].as_str().map(str::to_owned))
                .collect()
        } else {
            let jobs = doc.as_object().expect("jobs");
            jobs.values()
                .flat_map(|job| job["script"].as_array().cloned().unwrap_or_default())
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        };
        let steps: Vec<String> = steps
            .into_iter()
            .filter(|s| s.contains("postevent ") && !s.contains("cargo install"))
            .collect();
        assert!(steps.len() >= 3, "docs/ci.md:{line}: {steps:?}");
        for step in steps {
            let out = std::process::Command::new("bash")
                .args(["-e", "-c", &step])
                .env("PATH", &path)
                .env("GITHUB_BASE_REF", "main")
                .env("GITHUB_REPOSITORY", "acme/incidents")
                .env("GITHUB_REPOSITORY_OWNER", "acme")
                .env("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")
                .env("CI_PAGES_URL", "https://acme.example/incidents")
                .current_dir(repo.path())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "docs/ci.md:{line}: `{step}` failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let comment = std::fs::read_to_string(repo.path().join("diff.md")).unwrap();
        assert!(
            comment.starts_with("## postevent: 4 changed logs"),
            "{comment}"
        );
        std::fs::remove_file(repo.path().join("diff.md")).unwrap();
    }
    for site in ["site", "public"] {
        let index = repo.path().join(site).join("index.html");
        assert!(index.is_file(), "{} was not built", index.display());
    }
}

/// Every TOML example of docs/config.md is TOML, and the full one is a config postevent reads.
#[test]
fn config_examples_are_what_they_claim() {
    let text = std::fs::read_to_string(root().join("docs/config.md")).unwrap();
    let blocks: Vec<_> = code_blocks(&text)
        .into_iter()
        .filter(|(info, _, _)| info.starts_with("toml"))
        .collect();
    assert!(blocks.len() >= 4, "docs/config.md lost its examples");
    for (info, body, line) in blocks {
        let source = Source::from_text(format!("docs/config.md:{line}"), body.clone());
        if info == "toml fragment" {
            // A table shown alone may name what another table declares: TOML, not a config.
            toml::from_str::<toml::Table>(&body)
                .unwrap_or_else(|e| panic!("fragment at line {line} is not TOML: {e}"));
            continue;
        }
        let config = postevent::config::parse(&source)
            .unwrap_or_else(|d| panic!("example at line {line} is refused: {d:?}"));
        assert_eq!(config.severities.names()[0], "SEV0");
    }
    // The contract example is the one the second organisation of the tests starts from.
    let acme = std::fs::read_to_string(root().join("tests/fixtures/org/postevent.toml")).unwrap();
    assert!(acme.contains("[milestones.impact_started]"));
}

/// The regions example of docs/format.md has the recoveries, the origin and the delay its
/// text gives.
#[test]
fn the_regions_example_has_the_recoveries_the_text_gives() {
    let text = std::fs::read_to_string(root().join("docs/format.md")).unwrap();
    let (_, body, _) = code_blocks(&text)
        .into_iter()
        .find(|(_, body, _)| body.starts_with("title: Checkout errors after a bad cache"))
        .expect("the regions example");
    let incident = validate::check(&Source::from_text("cache.yaml", body), Limits::default())
        .incident
        .expect("valid");
    let regions = postevent::metrics::regions::region_impacts(&incident);
    let got: Vec<(&str, String, String)> = regions
        .iter()
        .map(|r| {
            (
                r.region.as_str(),
                r.recovered_at.unwrap().format("%H:%M").to_string(),
                postevent::metrics::human_duration(r.impact),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("eu-central-1", "10:40".to_owned(), "40m".to_owned()),
            ("eu-west-1", "10:20".to_owned(), "20m".to_owned())
        ]
    );
    let impacts = postevent::metrics::service_impacts(&incident);
    let cache = &impacts[0].windows;
    assert_eq!(cache.len(), 1);
    assert_eq!(
        (
            cache[0].from.format("%H:%M").to_string(),
            cache[0].to.unwrap().format("%H:%M").to_string()
        ),
        ("10:00".to_owned(), "10:40".to_owned())
    );
    let cascade = postevent::metrics::cascade::cascade(&incident.services, &impacts);
    assert_eq!(cascade.origins, ["Cache"]);
    assert_eq!(cascade.through_dependencies, ["Checkout"]);
    let delay = cascade.edges[0].delay.unwrap();
    assert_eq!(postevent::metrics::human_duration(delay), "5m");
    assert!(text.contains("(here `+5m`)") && text.contains("eu-west-1 recovered at 10:20"));
}
