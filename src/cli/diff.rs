//! `postevent diff OLD NEW`: what changed in meaning between two versions of an incident.
//! Each side is a file, `-` for standard input, or `REV:PATH` read with `git show`.

use std::io::IsTerminal;
use std::path::Path;

use clap::{Args, ValueEnum};

use super::check::LimitArgs;
use super::{Color, Io, inputs};
use crate::diagnostics::{RenderStyle, render_human};
use crate::diff::diff;
use crate::diff::display::{self, DisplayOptions};
use crate::exit;
use crate::git;
use crate::model::Incident;
use crate::parse::Limits;
use crate::render::markdown;
use crate::source::Source;
use crate::validate;

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
    if let Some(range) = &args.changed {
        return super::changed::run(range, args, color, io);
    }
    let (Some(old), Some(new)) = (&args.old, &args.new) else {
        let _ = writeln!(
            io.stderr,
            "error: give OLD and NEW, or `--changed BASE[..HEAD]`"
        );
        return exit::TROUBLE;
    };
    if old == "-" && new == "-" {
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
    let old = load(old, args.label.first(), limits, io);
    let new = load(new, args.label.get(1), limits, io);
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
        color: use_color(color, io),
    };
    let text = match args.format {
        Format::Text => display::text(&result, &options),
        Format::Md => display::markdown(&result, &options),
        Format::Json => display::json(&result, &options),
    };
    if let Err(e) = io
        .stdout
        .write_all(safe(text, args.format, options.color).as_bytes())
    {
        let _ = writeln!(io.stderr, "error: cannot write the diff: {e}");
        return exit::TROUBLE;
    }
    if result.is_equal() {
        exit::SUCCESS
    } else {
        exit::FAILURE
    }
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
        (_, true) => markdown::strip_controls_but_colours(text),
        (_, false) => markdown::strip_controls(text),
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
    validated(&source, limits, io)
}

/// Validates one side; prints its diagnostics and returns `None` when it has errors.
pub(super) fn validated(
    source: &Source,
    limits: Limits,
    io: &mut Io,
) -> Option<(String, Incident)> {
    let checked = validate::check(source, limits);
    if checked.errors() > 0 || checked.incident.is_none() {
        let style = RenderStyle {
            color: io.stderr_color,
            ..RenderStyle::default()
        };
        for d in &checked.diagnostics {
            let _ = write!(io.stderr, "{}", render_human(source, d, style));
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
pub(super) fn read(spec: &str, max_bytes: usize) -> Result<Source, inputs::InputError> {
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
