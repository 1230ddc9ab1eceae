//! Exports into the docs generators teams already run: every incident as its Markdown report
//! with the front matter the generator expects, plus what it needs to list them (an index
//! page; mdBook's `SUMMARY.md`; a MkDocs `nav` snippet; a Docusaurus category). Mermaid blocks
//! stay fenced code. Front matter strings are `crate::escape::front_matter_string`s, valid in
//! YAML and TOML alike, so no title can break out of them or stop the generator.

use std::fmt::Write as _;

use rayon::prelude::*;

use super::{Entry, TemplateSet, Tree};
use crate::escape::{front_matter_list as list, front_matter_string as q, markdown_inline};
use crate::redact::Audience;
use crate::redact::Redacted;
use crate::render::{self, Format, TemplateError, view};

/// A docs generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    MdBook,
    MkDocs,
    Hugo,
    Docusaurus,
    Zola,
}

/// One incident ready to export.
struct Doc {
    entry: Entry,
    /// The report in Markdown.
    markdown: String,
    /// Plain-text summary for `description`.
    description: String,
}

/// Exports `incidents`, each redacted for its audience, for `generator`: relative path ->
/// bytes.
pub fn export(
    incidents: &[Redacted],
    generator: Generator,
    templates: &TemplateSet,
    title: &str,
) -> Result<Tree, TemplateError> {
    // Each template's Markdown forms, found once: a page renders only those.
    let forms = [Audience::Internal, Audience::Public].map(|audience| {
        let template = render::default_template(audience, Format::Markdown);
        (audience, templates.text_forms(&template))
    });
    let mut docs: Vec<Doc> = incidents
        .par_iter()
        .map(|redacted| {
            let zone = redacted.incident().timezone;
            let template = render::default_template(redacted.audience(), Format::Markdown);
            let forms = forms
                .iter()
                .find(|(a, _)| *a == redacted.audience())
                .map_or(view::Forms::ALL, |(_, f)| *f);
            let view = view::build_with(redacted, zone, forms);
            let entry = Entry::new(&view);
            let description = entry.summary.clone();
            let markdown = templates.render(&template, &render::context(&view))?;
            Ok(Doc {
                entry,
                markdown,
                description,
            })
        })
        .collect::<Result<_, TemplateError>>()?;
    docs.sort_by(|a, b| Entry::newest_first(&a.entry, &b.entry));
    let mut tree = Tree::new();
    let page_dir = match generator {
        Generator::MdBook | Generator::MkDocs => "incidents/",
        _ => "",
    };
    for (i, doc) in docs.iter().enumerate() {
        let front = front_matter(generator, doc, i + 1);
        let text = format!("{front}{}", doc.markdown);
        tree.insert(format!("{page_dir}{}.md", doc.entry.id), text.into_bytes());
    }
    let index_name = match generator {
        Generator::Hugo | Generator::Zola => "_index.md",
        _ => "index.md",
    };
    tree.insert(
        index_name.into(),
        index(generator, &docs, page_dir, title).into_bytes(),
    );
    match generator {
        Generator::MdBook => {
            tree.insert("SUMMARY.md".into(), summary(&docs).into_bytes());
        }
        Generator::MkDocs => {
            tree.insert("nav.yml".into(), mkdocs_nav(&docs).into_bytes());
        }
        Generator::Docusaurus => {
            let category = "{\n  \"label\": \"Incidents\",\n  \"position\": 1\n}\n";
            tree.insert("_category_.json".into(), category.as_bytes().to_vec());
        }
        Generator::Hugo | Generator::Zola => {}
    }
    Ok(tree)
}

fn tags(entry: &Entry) -> Vec<String> {
    entry.tags.iter().map(|t| t.name.clone()).collect()
}

/// The front matter of one incident's page; `weight` is its place, newest first.
fn front_matter(generator: Generator, doc: &Doc, weight: usize) -> String {
    let e = &doc.entry;
    let mut f = String::new();
    match generator {
        Generator::MdBook => {} // mdBook has no front matter; the report's heading is the title.
        Generator::MkDocs => {
            let _ = writeln!(f, "---\ntitle: {}", q(&e.title));
            let _ = writeln!(f, "description: {}", q(&doc.description));
            let _ = writeln!(f, "date: {}\ntags: {}", q(&e.start), list(&tags(e)));
            let _ = writeln!(
                f,
                "severity: {}\nstatus: {}\n---\n",
                q(&e.severity),
                q(&e.status)
            );
        }
        Generator::Hugo => {
            let _ = writeln!(f, "---\ntitle: {}", q(&e.title));
            let _ = writeln!(f, "date: {}\nlastmod: {}", q(&e.start), q(&e.updated));
            let _ = writeln!(f, "description: {}", q(&doc.description));
            let _ = writeln!(f, "tags: {}\nweight: {weight}", list(&tags(e)));
            let _ = writeln!(
                f,
                "params:\n  severity: {}\n  status: {}",
                q(&e.severity),
                q(&e.status)
            );
            let _ = writeln!(f, "  duration: {}\n---\n", q(&e.duration()));
        }
        Generator::Docusaurus => {
            let _ = writeln!(f, "---\nid: {}\ntitle: {}", q(&e.id), q(&e.title));
            let _ = writeln!(f, "description: {}", q(&doc.description));
            let _ = writeln!(f, "tags: {}\nsidebar_position: {weight}", list(&tags(e)));
            // Plain CommonMark, not MDX: a `{` or `<` in a log must not be read as JSX.
            f.push_str("format: md\n---\n\n");
        }
        Generator::Zola => {
            let _ = writeln!(f, "+++\ntitle = {}", q(&e.title));
            let _ = writeln!(f, "date = {}\nupdated = {}", e.start, e.updated);
            let _ = writeln!(
                f,
                "description = {}\nweight = {weight}",
                q(&doc.description)
            );
            let _ = writeln!(f, "\n[taxonomies]\ntags = {}", list(&tags(e)));
            let _ = writeln!(
                f,
                "\n[extra]\nseverity = {}\nstatus = {}",
                q(&e.severity),
                q(&e.status)
            );
            f.push_str("+++\n\n");
        }
    }
    f
}

/// The index page: every incident newest first, as a table, under `title`.
fn index(generator: Generator, docs: &[Doc], page_dir: &str, title: &str) -> String {
    let mut s = match generator {
        Generator::MdBook => String::new(),
        Generator::Zola => format!("+++\ntitle = {}\nsort_by = \"date\"\n+++\n\n", q(title)),
        Generator::Docusaurus => format!(
            "---\ntitle: {}\nsidebar_position: 0\nformat: md\n---\n\n",
            q(title)
        ),
        _ => format!("---\ntitle: {}\n---\n\n", q(title)),
    };
    let _ = writeln!(s, "# {}\n", markdown_inline(title));
    let _ = writeln!(
        s,
        "| Date | Incident | Severity | Status | Duration |\n|---|---|---|---|---|"
    );
    for d in docs {
        let e = &d.entry;
        let link = match generator {
            // Hugo and Zola resolve links to content files with their own shortcodes; a
            // relative link to the page's folder works in both.
            Generator::Hugo | Generator::Zola => format!("{}/", e.id),
            _ => format!("{page_dir}{}.md", e.id),
        };
        let _ = writeln!(
            s,
            "| {} | [{}]({link}) | {} | {} | {} |",
            e.date(),
            markdown_inline(&e.title),
            e.severity,
            e.status,
            e.duration()
        );
    }
    s
}

/// mdBook's `SUMMARY.md`.
fn summary(docs: &[Doc]) -> String {
    let mut s = String::from("# Summary\n\n[Incidents](index.md)\n\n");
    for d in docs {
        let _ = writeln!(
            s,
            "- [{}](incidents/{}.md)",
            markdown_inline(&d.entry.title),
            d.entry.id
        );
    }
    s
}

/// A `nav` entry to paste into `mkdocs.yml`, paths relative to the export folder.
fn mkdocs_nav(docs: &[Doc]) -> String {
    let mut s = String::from(
        "# Paste under `nav:` in mkdocs.yml (paths are relative to this folder).\nnav:\n  - Incidents:\n      - index.md\n",
    );
    for d in docs {
        let _ = writeln!(
            s,
            "      - {}: incidents/{}.md",
            q(&d.entry.title),
            d.entry.id
        );
    }
    s
}
