//! The site's templates: its own (`site/*.html`, the stylesheet and the search script) plus
//! the report templates its incident pages extend, embedded and overridable by name like the
//! report templates. One Tera engine is built once per build and shared by every page.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

use tera::{Context, Tera};

use crate::render::TemplateError;

/// The default site templates and assets, by name.
pub const DEFAULTS: &[(&str, &str)] = &[
    (
        "site/base.html",
        include_str!("../../templates/site/base.html"),
    ),
    (
        "site/nav.html",
        include_str!("../../templates/site/nav.html"),
    ),
    ("site/nav.css", include_str!("../../templates/site/nav.css")),
    (
        "site/rows.html",
        include_str!("../../templates/site/rows.html"),
    ),
    (
        "site/row.html",
        include_str!("../../templates/site/row.html"),
    ),
    (
        "site/index.html",
        include_str!("../../templates/site/index.html"),
    ),
    (
        "site/list.html",
        include_str!("../../templates/site/list.html"),
    ),
    (
        "site/groups.html",
        include_str!("../../templates/site/groups.html"),
    ),
    (
        "site/stats.html",
        include_str!("../../templates/site/stats.html"),
    ),
    (
        "site/postmortem.html",
        include_str!("../../templates/site/postmortem.html"),
    ),
    (
        "site/summary.html",
        include_str!("../../templates/site/summary.html"),
    ),
    (
        "site/site.css",
        include_str!("../../templates/site/site.css"),
    ),
    (
        "site/search.js",
        include_str!("../../templates/site/search.js"),
    ),
];

/// Bumped whenever what the site code puts into pages changes; part of the cache key.
pub const VERSION: u32 = 1;

/// Every template the site uses, with overrides applied, compiled once.
pub struct SiteTemplates {
    tera: Tera,
    /// The Markdown report templates, with Markdown escaping (for exports).
    markdown: Tera,
    sources: BTreeMap<String, (String, String)>,
}

impl SiteTemplates {
    /// The defaults, each replaced by a file of the same name (`site/index.html`,
    /// `postmortem.html`, ...) found in `dirs`; later folders win.
    pub fn load(dirs: &[&Path]) -> Result<SiteTemplates, String> {
        let mut sources: BTreeMap<String, (String, String)> = DEFAULTS
            .iter()
            .chain(crate::render::templates::DEFAULTS)
            .map(|(n, t)| ((*n).to_owned(), ((*t).to_owned(), "built-in".to_owned())))
            .collect();
        for dir in dirs {
            let names: Vec<String> = sources.keys().cloned().collect();
            for name in names {
                let path = dir.join(&name);
                if path.is_file() {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
                    sources.insert(name, (text, path.display().to_string()));
                }
            }
        }
        let mut tera = Tera::new();
        tera.set_escape_fn(crate::escape::html_text_to);
        tera.autoescape_on(vec![".html", ".htm", ".svg", ".xml"]);
        let templates = sources
            .iter()
            .filter(|(n, _)| !n.ends_with(".js") && !n.ends_with(".md"))
            .map(|(n, (t, _))| (n.as_str(), t.as_str()));
        if let Err(e) = tera.add_raw_templates(templates) {
            return Err(invalid(&sources, &e, "?").to_string());
        }
        let mut markdown = Tera::new();
        markdown.set_escape_fn(crate::escape::markdown_inline_to);
        markdown.autoescape_on(vec![".md", ".markdown"]);
        let templates = sources
            .iter()
            .filter(|(n, _)| n.ends_with(".md"))
            .map(|(n, (t, _))| (n.as_str(), t.as_str()));
        if let Err(e) = markdown.add_raw_templates(templates) {
            return Err(invalid(&sources, &e, "?").to_string());
        }
        Ok(SiteTemplates {
            tera,
            markdown,
            sources,
        })
    }

    /// Renders `name`; an error names the template, its origin, the line and the variable.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, TemplateError> {
        self.tera
            .render(name, context)
            .map_err(|e| invalid(&self.sources, &e, name))
    }

    /// Renders the Markdown template `name` (Markdown escaping).
    pub fn render_markdown(&self, name: &str, context: &Context) -> Result<String, TemplateError> {
        self.markdown
            .render(name, context)
            .map_err(|e| invalid(&self.sources, &e, name))
    }

    /// Whether `name` is the built-in template, not overridden.
    pub fn is_default(&self, name: &str) -> bool {
        DEFAULTS
            .iter()
            .chain(crate::render::templates::DEFAULTS)
            .any(|(n, t)| *n == name && *t == self.raw(name))
    }

    /// A template's text as is (the stylesheet, the script).
    pub fn raw(&self, name: &str) -> &str {
        self.sources.get(name).map_or("", |(t, _)| t.as_str())
    }

    /// A fingerprint of every template's text, for the build cache.
    pub fn fingerprint(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        VERSION.hash(&mut h);
        env!("CARGO_PKG_VERSION").hash(&mut h);
        for (name, (text, _)) in &self.sources {
            name.hash(&mut h);
            text.hash(&mut h);
        }
        h.finish()
    }
}

/// A template error naming the template it points into (or `fallback`, the one rendered).
fn invalid(
    sources: &BTreeMap<String, (String, String)>,
    e: &tera::Error,
    fallback: &str,
) -> TemplateError {
    let name = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r)
            if !r.filename().is_empty() =>
        {
            r.filename().to_owned()
        }
        _ => fallback.to_owned(),
    };
    let origin = sources
        .get(&name)
        .map_or_else(|| "unknown".to_owned(), |(_, o)| o.clone());
    TemplateError::Invalid {
        name,
        origin,
        report: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_replaces_a_default_and_changes_the_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let defaults = SiteTemplates::load(&[]).unwrap();
        std::fs::create_dir_all(dir.path().join("site")).unwrap();
        std::fs::write(dir.path().join("site/site.css"), "body{}").unwrap();
        let mine = SiteTemplates::load(&[dir.path()]).unwrap();
        assert_eq!(mine.raw("site/site.css"), "body{}");
        assert_ne!(mine.fingerprint(), defaults.fingerprint());
    }

    #[test]
    fn a_broken_override_names_its_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("site")).unwrap();
        std::fs::write(dir.path().join("site/index.html"), "{% if %}").unwrap();
        let e = SiteTemplates::load(&[dir.path()]).err().unwrap();
        assert!(e.contains("site/index.html"), "{e}");
    }
}
