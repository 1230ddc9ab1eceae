//! The one pipeline of the commands that render logs (`report`, `diff`, `export`, `build`,
//! `serve`): load the inputs, check them, print their diagnostics, redact them for the
//! audience. Also the flags those commands share, and their typed errors, each mapped to an
//! exit code in [`finish`].

use std::path::{Path, PathBuf};

use clap::Args;
use thiserror::Error;

use super::Io;
use super::inputs::{self, InputError};
use crate::config::{self, Config};
use crate::diagnostics::{RenderStyle, render_human};
use crate::exit;
use crate::model::Incident;
use crate::parse::Limits;
use crate::redact::{Audience, Redacted, redact_with};
use crate::render::TemplateError;
use crate::site::build::{BuildError, Problem, duplicate_ids, incident_of};
use crate::site::load::{self, Loaded};
use crate::site::write::WriteError;
use crate::source::Source;
use crate::validate;

/// `--audience`, for every command that renders.
#[derive(Debug, Args)]
pub struct AudienceArg {
    /// Who it is for: `internal` (post-mortems, everything) or `public` (post-event
    /// summaries: no internal events, notes, owners or internal services, anywhere).
    #[arg(long, value_enum, default_value_t = Audience::Internal)]
    pub audience: Audience,
}

/// `--config FILE`, for every command that reads logs.
#[derive(Debug, Args)]
pub struct ConfigArg {
    /// The organisation's `postevent.toml` (default: the nearest one in the logs' folder or
    /// above it; none means the built-in defaults).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `--templates DIR`, for every command that renders with templates.
#[derive(Debug, Args)]
pub struct TemplatesArg {
    /// A folder whose templates override the defaults by name (`postmortem.html`,
    /// `site/index.html`, ...), after `./templates/`.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// What can stop a command before or after its logs are checked. Problems in the logs
/// themselves are printed as diagnostics and end with [`exit::FAILURE`] instead.
#[derive(Debug, Error)]
pub enum CliError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("this command reads folders of logs, not standard input (`-`)")]
    StdinForFolder,
    #[error("no *.yaml or *.yml files in {0}")]
    NoLogs(String),
    #[error("unknown time zone `{name}` for --tz; {}", match suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None => "use an IANA name such as `Europe/Berlin`".to_owned(),
    })]
    UnknownZone {
        name: String,
        suggestion: Option<&'static str>,
    },
    #[error(
        "--template `{0}` is neither a file nor a template name (postmortem.md, postmortem.html, summary.md, summary.html)"
    )]
    UnknownTemplate(String),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(
        "--base-url `{0}` is not an absolute http(s) URL; write it like `https://status.example.com/incidents/`"
    )]
    BaseUrl(String),
    /// A `postevent.toml` that cannot be used (its problems were printed).
    #[error("{0}; nothing was done")]
    Config(String),
    #[error("only one of OLD and NEW can be `-` (standard input)")]
    TwoStdin,
    #[error("`--label` can be given at most twice")]
    TooManyLabels,
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the {what}: {source}")]
    Stdout {
        what: &'static str,
        source: std::io::Error,
    },
    #[error(transparent)]
    Site(#[from] WriteError),
    #[error(transparent)]
    Build(#[from] BuildError),
    #[cfg(feature = "serve")]
    #[error("{0}; choose another port with `--port N` (`--port 0` picks a free one)")]
    Bind(crate::serve::ServeError),
    #[cfg(feature = "serve")]
    #[error("cannot make a temporary folder for the site: {0}")]
    TempDir(std::io::Error),
    #[cfg(feature = "serve")]
    #[error("cannot handle Ctrl-C: {0}")]
    Signals(std::io::Error),
}

impl CliError {
    /// The exit code of the error (docs/exit-codes.md).
    pub fn code(&self) -> u8 {
        exit::TROUBLE
    }
}

/// The exit code of a command's result; an error is printed first.
pub fn finish(result: Result<u8, CliError>, io: &mut Io) -> u8 {
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(io.stderr, "error: {e}");
            e.code()
        }
    }
}

/// How diagnostics are drawn on this run's standard error.
pub fn style(io: &Io) -> RenderStyle {
    RenderStyle {
        color: io.stderr_color,
        ..RenderStyle::default()
    }
}

/// The organisation's config for logs at `near` (a log or a folder of logs): `--config FILE`,
/// else the nearest `postevent.toml` in its folder or above, else the built-in defaults. A
/// config with problems stops the command: they are printed as a log's would be.
pub fn config(near: &Path, io: &mut Io) -> Result<Config, CliError> {
    let near = if near.as_os_str() == "-" {
        Path::new(".")
    } else {
        near
    };
    match config::for_path(io.config.as_deref(), near) {
        Ok(config) => Ok(config),
        Err(e) => {
            let _ = write!(io.stderr, "{}", e.diagnostics_text(style(io)));
            Err(CliError::Config(e.to_string()))
        }
    }
}

/// Checks one log against `config`, prints its errors (warnings are `check`'s business) and
/// redacts it for `audience`; the number of errors when it has any.
pub fn load(
    source: &Source,
    limits: Limits,
    config: &Config,
    audience: Audience,
    io: &mut Io,
) -> Result<Redacted, usize> {
    check(source, limits, config, io).map(|incident| redact_with(&incident, audience, config))
}

/// Checks one log and prints its errors: its incident, or the number of errors.
fn check(source: &Source, limits: Limits, config: &Config, io: &mut Io) -> Result<Incident, usize> {
    let checked = validate::check_with(source, limits, config);
    let style = style(io);
    for d in checked.diagnostics.iter().filter(|d| d.is_error()) {
        let _ = write!(io.stderr, "{}", render_human(source, d, style));
    }
    let errors = checked.errors();
    match checked.incident {
        Some(incident) if errors == 0 => Ok(incident),
        _ => Err(errors.max(1)),
    }
}

/// Prints the problems of logs that cannot go into a site or an export.
pub fn print_problems(problems: &[Problem], io: &mut Io) {
    let style = style(io);
    for p in problems {
        let _ = write!(io.stderr, "{}", p.render(style));
    }
}

/// The log files named by `paths`; standard input makes no sense for a whole site.
pub fn log_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    if paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(CliError::StdinForFolder);
    }
    let files = inputs::collect(paths)?;
    if files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(CliError::NoLogs(shown.join(", ")));
    }
    Ok(files)
}

/// Loads, checks and redacts every log of `files` for `audience`, in parallel; prints the
/// problems of the others. `Err` holds how many logs cannot be used (none is, then).
pub fn load_all(
    files: &[PathBuf],
    limits: Limits,
    config: &Config,
    audience: Audience,
    io: &mut Io,
) -> Result<Vec<Redacted>, usize> {
    let read = move |p: &Path| inputs::read(p, limits.max_file_bytes).map_err(|e| e.reason);
    let loaded = load::load_all(files, &read, limits, config, &|| {});
    let (mut valid, mut problems) = (Vec::new(), Vec::new());
    for l in loaded {
        match l {
            Loaded::Checked {
                path,
                source,
                checked,
                ..
            } => match incident_of(source, *checked) {
                Ok(incident) => valid.push((path, incident)),
                Err(p) => problems.push(p),
            },
            Loaded::Unreadable { path, reason } => {
                problems.push(Problem::Unreadable { path, reason });
            }
            Loaded::Cached { .. } => {}
        }
    }
    let ids = valid.iter().map(|(p, i)| (i.id.as_str(), p.as_path()));
    duplicate_ids(ids, &mut problems);
    print_problems(&problems, io);
    if !problems.is_empty() {
        return Err(problems.iter().flat_map(Problem::paths).count());
    }
    Ok(valid
        .iter()
        .map(|(_, i)| redact_with(i, audience, config))
        .collect())
}

/// The listing entries of every log of `paths` for `audience` (as the site would list them),
/// for the commands over many incidents (`actions`, `stats`). `None` when a log cannot be
/// used (its problems are printed): the command ends with [`exit::FAILURE`].
pub fn load_entries(
    paths: &[PathBuf],
    limits: Limits,
    audience: Audience,
    io: &mut Io,
) -> Result<Option<(Config, Vec<crate::site::Entry>)>, CliError> {
    let files = log_files(paths)?;
    let config = config(&paths[0], io)?;
    let incidents = match load_all(&files, limits, &config, audience, io) {
        Ok(incidents) => incidents,
        Err(failed) => {
            let _ = writeln!(
                io.stderr,
                "error: {failed} log(s) cannot be read as incidents"
            );
            return Ok(None);
        }
    };
    let mut entries: Vec<crate::site::Entry> = incidents
        .iter()
        .map(|r| {
            // An entry reads no Markdown form but the plain text, which is always there.
            let forms = crate::render::view::Forms::NONE;
            let view = crate::render::view::build_with(r, r.incident().timezone, forms);
            crate::site::Entry::new(&view)
        })
        .collect();
    entries.sort_by(crate::site::Entry::newest_first);
    Ok(Some((config, entries)))
}

/// Writes a command's whole output to standard output.
pub fn print_out(io: &mut Io, what: &'static str, text: &str) -> Result<(), CliError> {
    io.stdout
        .write_all(text.as_bytes())
        .map_err(|source| CliError::Stdout { what, source })
}
