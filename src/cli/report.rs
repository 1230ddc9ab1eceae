//! `postevent report`: render one log into a post-mortem or a public summary.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::check::LimitArgs;
use super::pipeline::{self, AudienceArg, CliError, TemplatesArg};
use super::{Io, inputs};
use crate::exit;
use crate::output::write_atomic_with;
use crate::render::{self, Format, Options, TemplateError, TemplateSet};
use crate::time;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The incident log; `-` reads standard input.
    pub file: PathBuf,

    /// Output format; by default Markdown, or what the extension of `-o` says.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,

    #[command(flatten)]
    pub audience: AudienceArg,

    /// A template to render instead of the default: a name (`summary.html`) or a file path.
    #[arg(long, value_name = "NAME|PATH")]
    pub template: Option<String>,

    #[command(flatten)]
    pub templates: TemplatesArg,

    /// Show times in this IANA zone instead of the log's own.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// Write to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub config: super::pipeline::ConfigArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Md,
    Html,
    Json,
}

pub fn run(args: &ReportArgs, io: &mut Io) -> u8 {
    let result = report(args, io);
    pipeline::finish(result, io)
}

fn report(args: &ReportArgs, io: &mut Io) -> Result<u8, CliError> {
    let zone = match &args.tz {
        None => None,
        Some(name) => Some(time::parse_zone(name).ok_or_else(|| CliError::UnknownZone {
            name: name.clone(),
            suggestion: time::suggest_zone(name),
        })?),
    };
    let mut templates = load_templates(args.templates.templates.as_deref())?;
    let template = match &args.template {
        None => None,
        Some(t) => Some(custom_template(t, &mut templates)?),
    };
    let format = format_of(args, template.as_deref());
    let limits = args.limits.limits();
    let source = inputs::read(&args.file, limits.max_file_bytes)?;
    let audience = args.audience.audience;
    let config = pipeline::config(&args.file, io)?;
    let Ok(redacted) = pipeline::load(&source, limits, &config, audience, io) else {
        let _ = writeln!(
            io.stderr,
            "error: {} has errors; no report written (see `postevent check`)",
            source.name()
        );
        return Ok(exit::FAILURE);
    };
    let options = Options {
        format,
        zone,
        template,
    };
    let render = |out: &mut dyn Write| render::render_to(&redacted, &options, &templates, out);
    match &args.output {
        None => {
            // Whole before any of it is printed: a template error leaves standard output empty.
            let mut text = Vec::new();
            render(&mut text)?;
            io.stdout
                .write_all(&text)
                .map_err(|source| CliError::Stdout {
                    what: "report",
                    source,
                })?;
        }
        Some(path) => {
            write_atomic_with(path, render).map_err(|e| match e {
                TemplateError::Write(source) => CliError::Write {
                    path: path.clone(),
                    source,
                },
                e => e.into(),
            })?;
            let _ = writeln!(
                io.stderr,
                "wrote {} ({}, {})",
                path.display(),
                describe(format),
                audience.as_str()
            );
        }
    }
    Ok(exit::SUCCESS)
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
pub fn load_templates(dir: Option<&Path>) -> Result<TemplateSet, CliError> {
    let dirs = render::templates::dirs(dir)?;
    Ok(TemplateSet::load(&dirs)?)
}

/// A `--template` value: the name of a known template, or a file that is read and added
/// under its file name.
fn custom_template(value: &str, set: &mut TemplateSet) -> Result<String, CliError> {
    if Path::new(value).is_file() {
        return Ok(set.add_file(Path::new(value))?);
    }
    if set.contains(value) {
        return Ok(value.to_owned());
    }
    Err(CliError::UnknownTemplate(value.to_owned()))
}
