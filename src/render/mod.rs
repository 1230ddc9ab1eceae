//! Reports: the model and its metrics in, text out. One view model ([`view::View`]) feeds
//! three printers: Markdown and HTML through Tera templates, and JSON directly.
//! Nothing here writes files; [`templates`] is the one registry of every template.

pub mod filters;
pub mod followups;
pub mod graph;
pub mod json;
pub mod markdown;
pub mod mermaid;
pub mod stats;
pub mod svg;
pub mod templates;
pub mod view;

use tera::Context;

pub use templates::{TemplateError, TemplateSet};
pub use view::{Forms, View};

pub use crate::redact::Audience;

use crate::redact::Redacted;

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
    /// The display zone; `None` is the log's own.
    pub zone: Option<chrono_tz::Tz>,
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

/// The template context: every field of the view, plus `svg` (the timeline picture),
/// `mermaid` (the gantt block, empty when no service was hit), `graph` (the dependency
/// graph, empty when no service depends on another) and `measure_charts` (for each of
/// `measures`, in order: `svg`, its step chart, and `spark`, a line of block characters).
pub fn context(view: &View) -> Context {
    let mut ctx = Context::from_serialize(view).unwrap_or_default();
    insert_pictures(&mut ctx, view);
    ctx
}

/// [`context`] of a view no longer needed: each event of the timeline is turned into the
/// template's value and dropped (in parallel), so the two copies of a long timeline are never
/// held at once.
fn context_of(mut view: View) -> Context {
    use rayon::prelude::*;
    let mut pictures = Context::new();
    insert_pictures(&mut pictures, &view);
    let timeline: Vec<tera::Value> = std::mem::take(&mut view.timeline)
        .into_par_iter()
        .map(|event| tera::Value::from_serializable(&event))
        .collect();
    let mut ctx = Context::from_serialize(&view).unwrap_or_default();
    drop(view);
    ctx.insert_value("timeline", tera::Value::from(timeline));
    ctx.extend(pictures);
    ctx
}

/// The pictures of [`context`]: `svg`, `mermaid`, `measure_charts` and `graph`.
fn insert_pictures(ctx: &mut Context, view: &View) {
    ctx.insert("svg", &svg::timeline(view));
    ctx.insert("mermaid", &mermaid::gantt(view));
    let charts: Vec<std::collections::BTreeMap<&str, String>> = view
        .measures
        .iter()
        .map(|m| {
            [
                ("svg", svg::measure_chart(view, m)),
                ("spark", svg::sparkline(view, m)),
                ("peak", svg::number(m.peak)),
            ]
            .into_iter()
            .collect()
        })
        .collect();
    ctx.insert("measure_charts", &charts);
    ctx.insert("graph", &graph::dependencies(view));
}

/// Renders an incident redacted for its audience, as asked, to `out`. JSON ignores templates.
/// Text from templates is written as it is rendered, with the characters
/// [`crate::escape::terminal`] drops left out.
pub fn render_to(
    redacted: &Redacted,
    options: &Options,
    templates: &TemplateSet,
    out: &mut dyn std::io::Write,
) -> Result<(), TemplateError> {
    let zone = options.zone.unwrap_or(redacted.incident().timezone);
    if options.format == Format::Json && options.template.is_none() {
        // The JSON printer reads the forms it writes through `Text`'s methods.
        let view = view::build_with(redacted, zone, Forms::NONE);
        return json::render_to(&view, out).map_err(TemplateError::Write);
    }
    let name = options
        .template
        .clone()
        .unwrap_or_else(|| default_template(redacted.audience(), options.format));
    let ctx = context_of(view::build_with(
        redacted,
        zone,
        templates.text_forms(&name),
    ));
    let mut out = crate::escape::Terminal::new(out);
    templates.render_to(&name, &ctx, &mut out)?;
    out.finish().map_err(TemplateError::Write)?;
    Ok(())
}
