//! The Tera templates: the defaults embedded in the binary, overridable by name.
//!
//! HTML and SVG templates autoescape with HTML escaping; Markdown templates autoescape with
//! Markdown escaping (a title cannot start a heading or raw HTML). Fields that the view model
//! has already made safe (`text.html`, `text.markdown`, `svg`, `mermaid`) are marked `| safe`.

use std::collections::BTreeMap;

use tera::{Context, ErrorKind, Tera};
use thiserror::Error;

/// The default templates, by name.
pub const DEFAULTS: &[(&str, &str)] = &[
    (
        "postmortem.md",
        include_str!("../../templates/postmortem.md"),
    ),
    (
        "postmortem.html",
        include_str!("../../templates/postmortem.html"),
    ),
    ("summary.md", include_str!("../../templates/summary.md")),
    ("summary.html", include_str!("../../templates/summary.html")),
    ("report.css", include_str!("../../templates/report.css")),
];

/// A template's text and where it came from (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSource {
    pub text: String,
    /// `built-in`, or the path of the file.
    pub origin: String,
}

/// Why a template could not be used.
#[derive(Debug, Error)]
pub enum TemplateError {
    #[error("template `{name}` ({origin}) has an error:\n{report}")]
    Invalid {
        name: String,
        origin: String,
        report: String,
    },
    #[error("no template named `{name}`; there are {known}")]
    Unknown { name: String, known: String },
}

/// Every template by name, defaults first, then overrides in the order given.
#[derive(Debug, Clone)]
pub struct TemplateSet {
    sources: BTreeMap<String, TemplateSource>,
}

impl Default for TemplateSet {
    fn default() -> Self {
        let sources = DEFAULTS
            .iter()
            .map(|(name, text)| {
                let source = TemplateSource {
                    text: (*text).to_owned(),
                    origin: "built-in".to_owned(),
                };
                ((*name).to_owned(), source)
            })
            .collect();
        TemplateSet { sources }
    }
}

impl TemplateSet {
    /// Adds or replaces the template `name`.
    pub fn set(&mut self, name: &str, text: String, origin: String) {
        self.sources
            .insert(name.to_owned(), TemplateSource { text, origin });
    }

    pub fn contains(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Renders `name` with `context`; Markdown escaping for `.md` templates, HTML escaping
    /// for the others.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, TemplateError> {
        if !self.sources.contains_key(name) {
            let known: Vec<String> = self.sources.keys().map(|k| format!("`{k}`")).collect();
            return Err(TemplateError::Unknown {
                name: name.to_owned(),
                known: known.join(", "),
            });
        }
        let tera = self.engine(is_markdown(name))?;
        tera.render(name, context).map_err(|e| self.error(name, &e))
    }

    /// A Tera instance holding every template, with the escaping for one output kind.
    fn engine(&self, markdown_output: bool) -> Result<Tera, TemplateError> {
        let mut tera = Tera::new();
        if markdown_output {
            tera.set_escape_fn(crate::escape::markdown_inline_to);
            tera.autoescape_on([".md", ".markdown"]);
        } else {
            tera.set_escape_fn(crate::escape::html_text_to);
            tera.autoescape_on([".html", ".htm", ".svg", ".xml"]);
        }
        let all = self
            .sources
            .iter()
            .map(|(n, s)| (n.as_str(), s.text.as_str()));
        tera.add_raw_templates(all)
            .map_err(|e| self.error(name_in(&e).unwrap_or("?"), &e))?;
        Ok(tera)
    }

    fn error(&self, name: &str, e: &tera::Error) -> TemplateError {
        let name = name_in(e).unwrap_or(name).to_owned();
        let origin = self
            .sources
            .get(&name)
            .map_or_else(|| "unknown".to_owned(), |s| s.origin.clone());
        TemplateError::Invalid {
            name,
            origin,
            report: e.to_string(),
        }
    }
}

/// The template an error points into, when Tera knows it.
fn name_in(e: &tera::Error) -> Option<&str> {
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) if !r.filename().is_empty() => {
            Some(r.filename())
        }
        _ => None,
    }
}

fn is_markdown(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".markdown")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_with(name: &str, text: &str) -> TemplateSet {
        let mut set = TemplateSet::default();
        set.set(name, text.to_owned(), "test".to_owned());
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
    fn an_error_names_the_template_line_and_variable() {
        let set = set_with("mine.html", "line one\n{{ nope.at }}\n");
        let e = set.render("mine.html", &Context::new()).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("mine.html"), "{text}");
        assert!(text.contains("mine.html:2"), "{text}");
        assert!(text.contains("nope"), "{text}");
    }

    #[test]
    fn an_unknown_name_lists_the_known_ones() {
        let e = TemplateSet::default()
            .render("nope.md", &Context::new())
            .unwrap_err();
        assert!(e.to_string().contains("`summary.md`"));
    }
}
