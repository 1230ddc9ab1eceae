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
