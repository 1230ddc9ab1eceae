//! `postevent diff OLD NEW`: what changed in meaning between two versions of an incident.
//! Each side is a file, `-` for standard input, or `REV:PATH` read with `git show`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::Command;

use clap::{Args, ValueEnum};

use super::check::LimitArgs;
use super::{Color, Io, inputs};
use crate::diagnostics::{RenderStyle, render_human};
use crate::diff::diff;
use crate::diff::display::{self, DisplayOptions};
use crate::escape;
use crate::exit;
use crate::model::Incident;
use crate::parse::Limits;
use crate::source::Source;
use crate::validate;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old version: a file, `-` for standard input, or `REV:PATH` from git
    /// (`main:incidents/x.yaml`).
    pub old: String,

    /// The new version, in the same forms.
    pub new: String,

    /// How to print the diff: for a terminal, Markdown for a pull-request comment, or JSON.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Whose view to compare: everything, or what a public report shows (internal events
    /// and notes left out).
    #[arg(long, value_enum, default_value_t = Audience::Internal)]
    pub audience: Audience,

    /// Show unchanged events, metrics and action items too.
    #[arg(long)]
    pub all: bool,

    /// Name the sides in the output (and give the default incident id) instead of the paths;
    /// give it twice, old then new, as `diff -u --label` does. For git diff drivers.
    #[arg(long, value_name = "NAME", action = clap::ArgAction::Append)]
    pub label: Vec<String>,

    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Md,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Audience {
    Internal,
    Public,
}

pub fn run(args: &DiffArgs, color: Color, io: &mut Io) -> u8 {
    if args.old == "-" && args.new == "-" {
        let _ = writeln!(
            io.stderr,
            "error: only one of OLD and NEW can be `-` (standard input)"
        );
        return exit::TROUBLE;
    }
    if args.label.len() > 2 {
        let _ = writeln!(io.stderr, "error: `--label` can be given at most twice");
        return exit::TROUBLE;
    }
    let limits = args.limits.limits();
    let old = load(&args.old, args.label.first(), limits, io);
    let new = load(&args.new, args.label.get(1), limits, io);
    let (Some((old_name, old)), Some((new_name, new))) = (old, new) else {
        return exit::TROUBLE;
    };
    let (old, new) = match args.audience {
        Audience::Internal => (old, new),
        Audience::Public => (old.public(), new.public()),
    };
    let result = diff(&old, &new);
    let options = DisplayOptions {
        old_name,
        new_name,
        all: args.all,
        color: match color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => io.stderr_color && std::io::stdout().is_terminal(),
        },
    };
    let text = match args.format {
        Format::Text => display::text(&result, &options),
        Format::Md => display::markdown(&result, &options),
        Format::Json => display::json(&result, &options),
    };
    // The logs are untrusted: no escape sequence from them reaches a terminal (the display's
    // own colours are kept). JSON escapes control characters itself.
    let text = match (args.format, options.color) {
        (Format::Json, _) => text,
        (_, true) => escape::terminal_with_colours(text),
        (_, false) => escape::terminal(text),
    };
    if let Err(e) = io.stdout.write_all(text.as_bytes()) {
        let _ = writeln!(io.stderr, "error: cannot write the diff: {e}");
        return exit::TROUBLE;
    }
    if result.is_equal() {
        exit::SUCCESS
    } else {
        exit::FAILURE
    }
}

/// Reads and validates one side; prints why not and returns `None` when it cannot.
fn load(
    spec: &str,
    label: Option<&String>,
    limits: Limits,
    io: &mut Io,
) -> Option<(String, Incident)> {
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
    let checked = validate::check(&source, limits);
    if checked.errors() > 0 || checked.incident.is_none() {
        let style = RenderStyle {
            color: io.stderr_color,
            ..RenderStyle::default()
        };
        for d in &checked.diagnostics {
            let _ = write!(io.stderr, "{}", render_human(&source, d, style));
        }
        let _ = writeln!(
            io.stderr,
            "error: `{}` is not a valid incident log ({} {}); `postevent check` shows the same",
            source.name(),
            checked.errors(),
            if checked.errors() == 1 {
                "error"
            } else {
                "errors"
            }
        );
        return None;
    }
    let name = source.name().to_owned();
    checked.incident.map(|incident| (name, incident))
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

/// Runs `git show REV:PATH` and keeps its output as the source; `--end-of-options` keeps
/// git from reading the argument as an option whatever it starts with.
fn git_show(spec: &str, file: &str, max_bytes: usize) -> Result<Source, inputs::InputError> {
    let error = |reason: String| inputs::InputError {
        path: spec.to_owned(),
        reason,
    };
    let output = Command::new("git")
        .args(["show", "--no-textconv", "--end-of-options", spec])
        .output()
        .map_err(|e| {
            error(format!(
                "cannot run `git show {spec}`: {e} (is git installed?)"
            ))
        })?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        let first = message.lines().next().unwrap_or("git failed").trim();
        return Err(error(format!(
            "`git show {spec}` failed: {}",
            first.trim_start_matches("fatal: ")
        )));
    }
    let text = inputs::decode(output.stdout, max_bytes).map_err(error)?;
    // The name shows in messages; the path only gives the default incident id (its stem).
    Ok(Source::new(spec, Some(Path::new(file).to_owned()), text))
}
