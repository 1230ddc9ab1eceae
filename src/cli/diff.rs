//! `postevent diff OLD NEW`: what changed in meaning between two versions of an incident.
//! Each side is a file, `-` for standard input, or `REV:PATH` read with `git show`.

use std::io::IsTerminal;
use std::path::Path;

use clap::{Args, ValueEnum};

use super::check::LimitArgs;
use super::pipeline::{self, AudienceArg, CliError};
use super::{Color, Io, inputs};
use crate::config::Config;
use crate::diff::diff;
use crate::diff::display::{self, DisplayOptions};
use crate::escape;
use crate::exit;
use crate::git;
use crate::parse::Limits;
use crate::redact::{Audience, Redacted};
use crate::source::Source;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old version: a file, `-` for standard input, or `REV:PATH` from git
    /// (`main:incidents/x.yaml`).
    #[arg(required_unless_present = "changed")]
    pub old: Option<String>,

    /// The new version, in the same forms.
    #[arg(required_unless_present = "changed")]
    pub new: Option<String>,

    /// Diff every log that changed between two git revisions instead: `BASE` (against the
    /// working tree), `BASE..HEAD`, or `BASE...HEAD` (from their merge base, as a pull
    /// request shows). Added, deleted and renamed logs included.
    #[arg(long, value_name = "BASE[..HEAD]", conflicts_with_all = ["old", "new", "label"])]
    pub changed: Option<String>,

    /// With `--changed`: where to look for logs (repeatable; default `incidents/` when that
    /// folder exists, else the current folder). Only `.yaml` and `.yml` files count.
    #[arg(long, value_name = "PATH", requires = "changed")]
    pub path: Vec<std::path::PathBuf>,

    /// How to print the diff: for a terminal, Markdown for a pull-request comment, or JSON.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    #[command(flatten)]
    pub audience: AudienceArg,

    /// Show unchanged events, metrics and action items too.
    #[arg(long)]
    pub all: bool,

    /// Name the sides in the output (and give the default incident id) instead of the paths;
    /// give it twice, old then new, as `diff -u --label` does. For git diff drivers.
    #[arg(long, value_name = "NAME", action = clap::ArgAction::Append)]
    pub label: Vec<String>,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub config: super::pipeline::ConfigArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Md,
    Json,
}

pub fn run(args: &DiffArgs, color: Color, io: &mut Io) -> u8 {
    let result = compare(args, color, io);
    pipeline::finish(result, io)
}

fn compare(args: &DiffArgs, color: Color, io: &mut Io) -> Result<u8, CliError> {
    if let Some(range) = &args.changed {
        return Ok(super::changed::run(range, args, color, io));
    }
    // clap asks for both unless `--changed` is given.
    let (Some(old), Some(new)) = (&args.old, &args.new) else {
        return Ok(exit::TROUBLE);
    };
    if old == "-" && new == "-" {
        return Err(CliError::TwoStdin);
    }
    if args.label.len() > 2 {
        return Err(CliError::TooManyLabels);
    }
    let limits = args.limits.limits();
    let audience = args.audience.audience;
    // The process of the new side's folder (or of the current one for `-` and `REV:PATH`).
    let near = Path::new(new.as_str());
    let config = pipeline::config(if near.exists() { near } else { Path::new(".") }, io)?;
    let old = load(old, args.label.first(), limits, &config, audience, io);
    let new = load(new, args.label.get(1), limits, &config, audience, io);
    let (Some((old_name, old)), Some((new_name, new))) = (old, new) else {
        return Ok(exit::TROUBLE);
    };
    let result = diff(&old, &new);
    let options = DisplayOptions {
        old_name,
        new_name,
        all: args.all,
        color: use_color(color, io),
    };
    let text = match args.format {
        Format::Text => display::text(&result, &options),
        Format::Md => display::markdown(&result, &options),
        Format::Json => display::json(&result, &options),
    };
    io.stdout
        .write_all(safe(text, args.format, options.color).as_bytes())
        .map_err(|source| CliError::Stdout {
            what: "diff",
            source,
        })?;
    Ok(if result.is_equal() {
        exit::SUCCESS
    } else {
        exit::FAILURE
    })
}

/// Colour on standard output, as `--color` and the terminal say.
pub(super) fn use_color(color: Color, io: &Io) -> bool {
    match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => io.stderr_color && std::io::stdout().is_terminal(),
    }
}

/// The logs are untrusted: no escape sequence from them reaches a terminal (the display's
/// own colours are kept). JSON escapes control characters itself.
pub(super) fn safe(text: String, format: Format, color: bool) -> String {
    match (format, color) {
        (Format::Json, _) => text,
        (_, true) => escape::terminal_with_colours(text),
        (_, false) => escape::terminal(text),
    }
}

/// Reads, checks and redacts one side; prints why not and returns `None` when it cannot.
fn load(
    spec: &str,
    label: Option<&String>,
    limits: Limits,
    config: &Config,
    audience: Audience,
    io: &mut Io,
) -> Option<(String, Redacted)> {
    let source = match read(spec, limits.max_file_bytes) {
        Ok(source) => source,
        Err(e) => {
            let _ = writeln!(io.stderr, "error: {e}");
            return None;
        }
    };
    let source = match label {
        Some(label) => Source::new(label.clone(), None, source.text().to_owned()),
        None => source,
    };
    validated(&source, limits, config, audience, io)
}

/// Checks and redacts one side; prints its errors and returns `None` when it has any.
pub(super) fn validated(
    source: &Source,
    limits: Limits,
    config: &Config,
    audience: Audience,
    io: &mut Io,
) -> Option<(String, Redacted)> {
    match pipeline::load(source, limits, config, audience, io) {
        Ok(redacted) => Some((source.name().to_owned(), redacted)),
        Err(errors) => {
            let _ = writeln!(
                io.stderr,
                "error: `{}` is not a valid incident log ({errors} {}); `postevent check` shows the same",
                source.name(),
                if errors == 1 { "error" } else { "errors" }
            );
            None
        }
    }
}

/// Reads one side: a file or `-` as `check` does, or `REV:PATH` from git when no such file
/// exists and the argument has that shape.
fn read(spec: &str, max_bytes: usize) -> Result<Source, inputs::InputError> {
    let path = Path::new(spec);
    if spec == "-" || path.exists() {
        return inputs::read(path, max_bytes);
    }
    match spec.split_once(':') {
        // git would read `--output=x` as an option of its own (and write that file).
        Some((rev, _)) if rev.starts_with('-') => Err(inputs::InputError {
            path: spec.to_owned(),
            reason: "a git revision cannot start with `-` (and no such file exists)".into(),
        }),
        Some((rev, file)) if !rev.is_empty() && !file.is_empty() => git_show(spec, file, max_bytes),
        _ => Err(inputs::InputError {
            path: spec.to_owned(),
            reason: "no such file (for a version in git, write `REV:PATH`, e.g. \
                     `main:incidents/x.yaml`)"
                .into(),
        }),
    }
}

/// Reads `REV:PATH` with `git show` and keeps its output as the source.
pub(super) fn git_show(
    spec: &str,
    file: &str,
    max_bytes: usize,
) -> Result<Source, inputs::InputError> {
    let error = |reason: String| inputs::InputError {
        path: spec.to_owned(),
        reason,
    };
    let bytes = git::show(spec).map_err(|e| error(e.to_string()))?;
    let text = inputs::decode(bytes, max_bytes).map_err(error)?;
    // The name shows in messages; the path only gives the default incident id (its stem).
    Ok(Source::new(spec, Some(Path::new(file).to_owned()), text))
}
