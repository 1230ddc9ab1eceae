//! `postevent report`: render one log into a post-mortem or a public summary.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::check::LimitArgs;
use super::{Io, inputs};
use crate::diagnostics::{RenderStyle, render_human};
use crate::exit;
use crate::output::write_atomic;
use crate::render::{self, Audience, Format, Options, TemplateSet};
use crate::time;
use crate::validate;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The incident log; `-` reads standard input.
    pub file: PathBuf,

    /// Output format; by default Markdown, or what the extension of `-o` says.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,

    /// Who it is for: `internal` (the post-mortem, everything) or `public` (the post-event
    /// summary: no internal events, notes or owners).
    #[arg(long, value_enum, default_value_t = AudienceArg::Internal)]
    pub audience: AudienceArg,

    /// A template to render instead of the default: a name (`summary.html`) or a file path.
    #[arg(long, value_name = "NAME|PATH")]
    pub template: Option<String>,

    /// A folder whose templates override the defaults by name (before `./templates/`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Show times in this IANA zone instead of the log's own.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// Write to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Md,
    Html,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AudienceArg {
    Internal,
    Public,
}

pub fn run(args: &ReportArgs, io: &mut Io) -> u8 {
    match report(args, io) {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(io.stderr, "error: {message}");
            exit::TROUBLE
        }
    }
}

fn report(args: &ReportArgs, io: &mut Io) -> Result<u8, String> {
    let zone = match &args.tz {
        None => None,
        Some(name) => Some(time::parse_zone(name).ok_or_else(|| unknown_zone(name))?),
    };
    let mut templates = load_templates(args.templates.as_deref())?;
    let template = match &args.template {
        None => None,
        Some(t) => Some(custom_template(t, &mut templates)?),
    };
    let format = format_of(args, template.as_deref());
    let limits = args.limits.limits();
    let source = inputs::read(&args.file, limits.max_file_bytes).map_err(|e| e.to_string())?;
    let checked = validate::check(&source, limits);
    let style = RenderStyle {
        color: io.stderr_color,
        ..RenderStyle::default()
    };
    for d in checked.diagnostics.iter().filter(|d| d.is_error()) {
        let _ = write!(io.stderr, "{}", render_human(&source, d, style));
    }
    let errors = checked.errors();
    let Some(incident) = checked.incident.filter(|_| errors == 0) else {
        let _ = writeln!(
            io.stderr,
            "error: {} has errors; no report written (see `postevent check`)",
            source.name()
        );
        return Ok(exit::FAILURE);
    };
    let options = Options {
        format,
        audience: match args.audience {
            AudienceArg::Internal => Audience::Internal,
            AudienceArg::Public => Audience::Public,
        },
        zone,
        template,
    };
    let text = render::render(&incident, &options, &templates).map_err(|e| e.to_string())?;
    match &args.output {
        None => io
            .stdout
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot write the report: {e}"))?,
        Some(path) => {
            write_atomic(path, text.as_bytes())
                .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
            let _ = writeln!(
                io.stderr,
                "wrote {} ({}, {})",
                path.display(),
                describe(format),
                options.audience.as_str()
            );
        }
    }
    Ok(exit::SUCCESS)
}

fn unknown_zone(name: &str) -> String {
    match time::suggest_zone(name) {
        Some(s) => format!("unknown time zone `{name}` for --tz; did you mean `{s}`?"),
        None => {
            format!("unknown time zone `{name}` for --tz; use an IANA name such as `Europe/Berlin`")
        }
    }
}

/// `--format`, else the extension of the custom template, else that of `-o`, else Markdown.
fn format_of(args: &ReportArgs, template: Option<&str>) -> Format {
    if let Some(f) = args.format {
        return match f {
            FormatArg::Md => Format::Markdown,
            FormatArg::Html => Format::Html,
            FormatArg::Json => Format::Json,
        };
    }
    template
        .and_then(|t| Format::from_extension(Path::new(t)))
        .or_else(|| args.output.as_deref().and_then(Format::from_extension))
        .unwrap_or(Format::Markdown)
}

fn describe(format: Format) -> &'static str {
    match format {
        Format::Markdown => "Markdown",
        Format::Html => "HTML",
        Format::Json => "JSON",
    }
}

/// The defaults, overridden by `./templates/` and then by `--templates DIR`.
pub fn load_templates(dir: Option<&Path>) -> Result<TemplateSet, String> {
    render::templates::dirs(dir)
        .and_then(|d| TemplateSet::load(&d))
        .map_err(|e| e.to_string())
}

/// A `--template` value: the name of a known template, or a file that is read and added
/// under its file name.
fn custom_template(value: &str, set: &mut TemplateSet) -> Result<String, String> {
    if Path::new(value).is_file() {
        return set.add_file(Path::new(value)).map_err(|e| e.to_string());
    }
    if set.contains(value) {
        return Ok(value.to_owned());
    }
    Err(format!(
        "--template `{value}` is neither a file nor a template name (postmortem.md, postmortem.html, summary.md, summary.html)"
    ))
}
