//! The one template registry: every default template and asset (report and site) embedded in
//! the binary, one loader that overrides them by name, Tera engines built once per load and
//! reused for every render, and one mapping of Tera's errors.
//!
//! HTML and SVG templates autoescape with HTML escaping; Markdown templates autoescape with
//! Markdown escaping (a title cannot start a heading or raw HTML). Fields that the view model
//! has already made safe (`text.html`, `text.markdown`, `svg`, `mermaid`) are marked `| safe`.
//! Both engines have the filters of [`super::filters`] (`local`, `utc`, `duration`).

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use siphasher::sip::SipHasher13;
use tera::{Context, ErrorKind, Tera};
use thiserror::Error;

use super::filters;
use super::view::Forms;

macro_rules! defaults {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name))),)*]
    };
}

/// Every default template and asset, by name: the reports, then the site.
pub const DEFAULTS: &[(&str, &str)] = defaults![
    "postmortem.md",
    "postmortem.html",
    "summary.md",
    "summary.html",
    "report.css",
    "measures.html",
    "site/base.html",
    "site/nav.html",
    "site/nav.css",
    "site/rows.html",
    "site/row.html",
    "site/pager.html",
    "site/index.html",
    "site/list.html",
    "site/groups.html",
    "site/stats.html",
    "site/followups.html",
    "site/followups-table.html",
    "site/followups-month.html",
    "site/postmortem.html",
    "site/summary.html",
    "site/site.css",
    "site/search.js",
];

/// Bumped whenever what the code puts into pages changes; part of the site's cache key.
pub const VERSION: u32 = 6;

/// Why a template could not be used.
#[derive(Debug, Error)]
pub enum TemplateError {
    #[error(
        "template `{name}` ({origin}) has an error:\n{report}\nhint: docs/templates.md lists every field and filter; `postevent templates export DIR` writes the defaults"
    )]
    Invalid {
        name: String,
        origin: String,
        report: String,
    },
    #[error("no template named `{name}`; there are {known}")]
    Unknown { name: String, known: String },
    #[error("--templates `{}` is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// Writing the rendered text failed (rendering straight to a file or standard output).
    #[error("cannot write the rendered template: {0}")]
    Write(#[from] std::io::Error),
    #[error("cannot read `{}`: {error}", path.display())]
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// The origin of a default template.
const BUILT_IN: &str = "built-in";

/// A template's text and where it came from (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Source {
    text: String,
    /// `built-in`, or the path of the file.
    origin: String,
    /// See [`TemplateSet::digest`].
    digest: u64,
}

impl Source {
    fn new(text: String, origin: String) -> Source {
        let mut h = SipHasher13::new();
        h.write(text.as_bytes());
        Source {
            digest: h.finish(),
            text,
            origin,
        }
    }
}

/// Every template by name, with overrides applied, compiled once.
pub struct TemplateSet {
    sources: BTreeMap<String, Source>,
    /// Every template but the Markdown ones and scripts, HTML escaping.
    html: Tera,
    /// The Markdown templates, Markdown escaping.
    markdown: Tera,
}

impl Default for TemplateSet {
    fn default() -> Self {
        TemplateSet::load::<&Path>(&[]).expect("the default templates compile")
    }
}

/// The folders whose templates override the defaults: `./templates/` when it exists, then
/// `dir` (`--templates`), which must be a folder.
pub fn dirs(dir: Option<&Path>) -> Result<Vec<PathBuf>, TemplateError> {
    let cwd = Path::new("templates");
    let mut dirs: Vec<PathBuf> = Some(cwd)
        .filter(|d| d.is_dir())
        .map(Into::into)
        .into_iter()
        .collect();
    if let Some(d) = dir {
        if !d.is_dir() {
            return Err(TemplateError::NotAFolder(d.to_owned()));
        }
        dirs.push(d.to_owned());
    }
    Ok(dirs)
}

impl TemplateSet {
    /// The defaults, each replaced by a file of the same name (`site/index.html`,
    /// `postmortem.md`, ...) found in `dirs`; later folders win.
    pub fn load<P: AsRef<Path>>(dirs: &[P]) -> Result<TemplateSet, TemplateError> {
        let mut sources: BTreeMap<String, Source> = DEFAULTS
            .iter()
            .map(|(n, t)| {
                (
                    (*n).to_owned(),
                    Source::new((*t).to_owned(), BUILT_IN.to_owned()),
                )
            })
            .collect();
        for dir in dirs {
            for (name, _) in DEFAULTS {
                let path = dir.as_ref().join(name);
                if path.is_file() {
                    let text = read(&path)?;
                    let origin = path.display().to_string();
                    sources.insert((*name).to_owned(), Source::new(text, origin));
                }
            }
        }
        TemplateSet::compile(sources)
    }

    fn compile(sources: BTreeMap<String, Source>) -> Result<TemplateSet, TemplateError> {
        let mut set = TemplateSet {
            sources,
            html: engine(false),
            markdown: engine(true),
        };
        let (md, html): (Vec<_>, Vec<_>) = set
            .sources
            .iter()
            .filter(|(n, _)| !n.ends_with(".js"))
            .map(|(n, s)| (n.as_str(), s.text.as_str()))
            .partition(|(n, _)| is_markdown(n));
        let results = [
            set.html.add_raw_templates(html),
            set.markdown.add_raw_templates(md),
        ];
        for result in results {
            result.map_err(|e| set.error("?", &e))?;
        }
        Ok(set)
    }

    /// Adds the template file `path` under its file name (a `--template` file) to the engine
    /// for its kind, and returns that name.
    pub fn add_file(&mut self, path: &Path) -> Result<String, TemplateError> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("template")
            .to_owned();
        let text = read(path)?;
        let tera = if is_markdown(&name) {
            &mut self.markdown
        } else {
            &mut self.html
        };
        let added = tera.add_raw_template(&name, &text);
        let origin = path.display().to_string();
        self.sources.insert(name.clone(), Source::new(text, origin));
        added.map_err(|e| self.error(&name, &e))?;
        Ok(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Renders `name` with `context`: Markdown escaping for `.md` templates, HTML escaping
    /// for the others. An error names the template, its origin, the line and a hint.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, TemplateError> {
        self.known(name)?;
        self.engine_for(name)
            .render(name, context)
            .map_err(|e| self.error(name, &e))
    }

    /// An error listing the known templates unless `name` is one.
    fn known(&self, name: &str) -> Result<(), TemplateError> {
        if self.sources.contains_key(name) {
            return Ok(());
        }
        let known: Vec<String> = self.sources.keys().map(|k| format!("`{k}`")).collect();
        Err(TemplateError::Unknown {
            name: name.to_owned(),
            known: known.join(", "),
        })
    }

    /// The engine for `name`: Markdown escaping for `.md` templates, HTML for the others.
    fn engine_for(&self, name: &str) -> &Tera {
        if is_markdown(name) {
            &self.markdown
        } else {
            &self.html
        }
    }

    /// The forms of the view's Markdown fields that rendering `name` can read: the built-in
    /// template and the built-in templates it names (`{% include "measures.html" %}`) are
    /// scanned for `.markdown`, `.inline`, `.html` and `.plain`. A user's template can reach a field in
    /// ways a scan cannot see (`text[key]`, a whole field passed to a filter), so with one of
    /// those among them, every form.
    pub fn text_forms(&self, name: &str) -> Forms {
        let mut forms = Forms::NONE;
        let mut seen = BTreeSet::new();
        let mut todo = vec![name];
        while let Some(name) = todo.pop() {
            let Some(source) = self.sources.get(name) else {
                continue;
            };
            if !seen.insert(name) {
                continue;
            }
            if source.origin != BUILT_IN {
                return Forms::ALL;
            }
            forms = forms.union(Forms {
                markdown: reads_attribute(&source.text, "markdown"),
                inline: reads_attribute(&source.text, "inline"),
                html: reads_attribute(&source.text, "html"),
                plain: reads_attribute(&source.text, "plain"),
            });
            let named = |other: &&String| {
                source.text.contains(&format!("\"{other}\""))
                    || source.text.contains(&format!("'{other}'"))
            };
            todo.extend(self.sources.keys().filter(named).map(String::as_str));
        }
        forms
    }

    /// [`TemplateSet::render`], written to `out` as it is rendered.
    pub fn render_to(
        &self,
        name: &str,
        context: &Context,
        out: &mut dyn std::io::Write,
    ) -> Result<(), TemplateError> {
        self.known(name)?;
        self.engine_for(name)
            .render_to(name, context, out)
            .map_err(|e| match e.kind() {
                ErrorKind::Io(kind) => TemplateError::Write(std::io::Error::from(*kind)),
                _ => self.error(name, &e),
            })
    }

    /// A template's text as is (the stylesheet, the script).
    pub fn raw(&self, name: &str) -> &str {
        self.sources.get(name).map_or("", |s| s.text.as_str())
    }

    /// A digest of the text of the template `name` (0 for an unknown name): SipHash-1-3 with
    /// fixed keys, so the same text gives the same digest on every machine and in every
    /// release. Names files by their content (the site's stylesheets).
    pub fn digest(&self, name: &str) -> u64 {
        self.sources.get(name).map_or(0, |s| s.digest)
    }

    /// A fingerprint of every template's text, for the build cache.
    pub fn fingerprint(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        VERSION.hash(&mut h);
        env!("CARGO_PKG_VERSION").hash(&mut h);
        for (name, source) in &self.sources {
            name.hash(&mut h);
            source.text.hash(&mut h);
        }
        h.finish()
    }

    /// A template error naming the template it points into (or `fallback`, the one rendered).
    fn error(&self, fallback: &str, e: &tera::Error) -> TemplateError {
        let name = match e.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r)
                if !r.filename().is_empty() =>
            {
                r.filename()
            }
            _ => fallback,
        };
        let origin = self
            .sources
            .get(name)
            .map_or_else(|| "unknown".to_owned(), |s| s.origin.clone());
        TemplateError::Invalid {
            name: name.to_owned(),
            origin,
            report: e.to_string(),
        }
    }
}

/// An empty engine with the escaping for one output kind and the view's filters.
fn engine(markdown_output: bool) -> Tera {
    let mut tera = Tera::new();
    if markdown_output {
        tera.set_escape_fn(crate::escape::markdown_inline_to);
        tera.autoescape_on([".md", ".markdown"]);
    } else {
        tera.set_escape_fn(crate::escape::html_text_to);
        tera.autoescape_on([".html", ".htm", ".svg", ".xml"]);
    }
    filters::register(&mut tera);
    tera
}

fn read(path: &Path) -> Result<String, TemplateError> {
    std::fs::read_to_string(path).map_err(|error| TemplateError::Unreadable {
        path: path.to_owned(),
        error,
    })
}

/// Whether `text` has `.NAME` not followed by a letter, digit or `_`: reads the attribute
/// `NAME` (or names a file `x.NAME`, which only costs a form rendered for nothing).
fn reads_attribute(text: &str, name: &str) -> bool {
    let dotted = format!(".{name}");
    text.match_indices(&dotted).any(|(at, _)| {
        !text[at + dotted.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

fn is_markdown(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".markdown")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_with(name: &str, text: &str) -> TemplateSet {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let mut set = TemplateSet::default();
        set.add_file(&path).unwrap();
        set
    }

    #[test]
    fn autoescape_follows_the_template_kind() {
        let mut ctx = Context::new();
        ctx.insert("x", "<b># [a]</b>\"'");
        let html = set_with("t.html", "{{ x }}")
            .render("t.html", &ctx)
            .unwrap();
        assert_eq!(html, "&lt;b&gt;# [a]&lt;/b&gt;&quot;&#39;");
        let md = set_with("t.md", "{{ x }}").render("t.md", &ctx).unwrap();
        assert_eq!(md, "\\<b\\>\\# \\[a\\]\\</b\\>\"'");
        let svg = set_with("t.svg", "{{ x }}").render("t.svg", &ctx).unwrap();
        assert!(svg.starts_with("&lt;b&gt;"));
    }

    #[test]
    fn an_error_names_the_template_line_variable_and_a_hint() {
        let set = set_with("mine.html", "line one\n{{ nope.at }}\n");
        let text = set
            .render("mine.html", &Context::new())
            .unwrap_err()
            .to_string();
        for part in [
            "mine.html",
            "mine.html:2",
            "nope",
            "hint: docs/templates.md",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
    }

    #[test]
    fn a_built_in_template_gets_the_text_forms_it_reads_and_a_users_all() {
        let set = TemplateSet::default();
        let html = Forms {
            html: true,
            ..Forms::NONE
        };
        let md = Forms {
            markdown: true,
            inline: true,
            ..Forms::NONE
        };
        let cases = [
            ("postmortem.html", html),
            ("summary.html", html),
            ("postmortem.md", md),
            ("summary.md", md),
            ("site/postmortem.html", html),
        ];
        for (name, forms) in cases {
            assert_eq!(set.text_forms(name), forms, "{name}");
        }
        let mine = set_with("mine.md", "{{ sections.summary.html }}");
        assert_eq!(mine.text_forms("mine.md"), Forms::ALL);
        // A user's override of a template a built-in one includes counts too.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("measures.html"), "{{ x }}").unwrap();
        let set = TemplateSet::load(&[dir.path()]).unwrap();
        assert_eq!(set.text_forms("postmortem.html"), Forms::ALL);
    }

    /// The forms left out are ones the template never reads: the same bytes as with all.
    #[test]
    fn rendering_with_the_forms_read_gives_the_same_bytes() {
        let set = TemplateSet::default();
        let logs = [
            include_str!("../../incidents/aws-us-east-1-2025-10-20.yaml"),
            include_str!("../../incidents/checkout-bad-deploy-2026-03-14.yaml"),
        ];
        for log in logs {
            let source = crate::source::Source::from_text("t.yaml", log);
            let incident = crate::validate::check(&source, Default::default())
                .incident
                .unwrap();
            for audience in [
                crate::redact::Audience::Internal,
                crate::redact::Audience::Public,
            ] {
                let redacted = crate::redact::redact(&incident, audience);
                for format in [super::super::Format::Html, super::super::Format::Markdown] {
                    let name = super::super::default_template(audience, format);
                    let zone = incident.timezone;
                    let all = super::super::view::build(&redacted, zone);
                    let some =
                        super::super::view::build_with(&redacted, zone, set.text_forms(&name));
                    let render = |v| set.render(&name, &super::super::context(v)).unwrap();
                    assert_eq!(render(&all), render(&some), "{name}");
                }
            }
        }
    }

    #[test]
    fn an_unknown_name_lists_the_known_ones() {
        let e = TemplateSet::default()
            .render("nope.md", &Context::new())
            .unwrap_err();
        assert!(e.to_string().contains("`summary.md`"));
    }

    #[test]
    fn an_override_replaces_a_default_and_changes_the_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("site")).unwrap();
        std::fs::write(dir.path().join("site/site.css"), "body{}").unwrap();
        let mine = TemplateSet::load(&[dir.path()]).unwrap();
        assert_eq!(mine.raw("site/site.css"), "body{}");
        assert_ne!(mine.fingerprint(), TemplateSet::default().fingerprint());
    }

    #[test]
    fn a_broken_override_names_its_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("site")).unwrap();
        std::fs::write(dir.path().join("site/index.html"), "{% if %}").unwrap();
        let e = TemplateSet::load(&[dir.path()]).err().unwrap().to_string();
        assert!(e.contains("site/index.html"), "{e}");
    }
}
