//! Reports: the model and its metrics in, text out. One view model ([`view::View`]) feeds
//! three printers: Markdown and HTML through Tera templates, and JSON directly.
//! Nothing here reads or writes files; the CLI hands in the templates it found.

pub mod json;
pub mod markdown;
pub mod mermaid;
pub mod svg;
pub mod templates;
pub mod view;

use chrono_tz::Tz;
use tera::Context;

pub use templates::{TemplateError, TemplateSet};
pub use view::{Audience, View};

use crate::model::Incident;

/// The kind of document to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
}

impl Format {
    /// The format a file name asks for, by its extension.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
}

/// What to render.
#[derive(Debug, Clone)]
pub struct Options {
    pub format: Format,
    pub audience: Audience,
    /// The display zone; `None` is the log's own.
    pub zone: Option<Tz>,
    /// A template to use instead of the default for the audience and format.
    pub template: Option<String>,
}

/// The default template for an audience and format: `postmortem.html`, `summary.md`, ...
pub fn default_template(audience: Audience, format: Format) -> String {
    let stem = match audience {
        Audience::Internal => "postmortem",
        Audience::Public => "summary",
    };
    format!("{stem}.{}", format.extension())
}

/// The template context: every field of the view, plus `svg` (the timeline picture) and
/// `mermaid` (the gantt block, empty when no service was hit).
pub fn context(view: &View, zone: Tz) -> Context {
    let mut ctx = Context::from_serialize(view).unwrap_or_default();
    ctx.insert("svg", &svg::timeline(view, zone));
    ctx.insert("mermaid", &mermaid::gantt(view));
    ctx
}

/// Renders `incident` as asked. JSON ignores templates.
pub fn render(
    incident: &Incident,
    options: &Options,
    templates: &TemplateSet,
) -> Result<String, TemplateError> {
    let zone = options.zone.unwrap_or(incident.timezone);
    let view = view::build(incident, options.audience, zone);
    if options.format == Format::Json && options.template.is_none() {
        return Ok(json::render(&view));
    }
    let name = options
        .template
        .clone()
        .unwrap_or_else(|| default_template(options.audience, options.format));
    let text = templates.render(&name, &context(&view, zone))?;
    Ok(crate::escape::terminal(text))
}
