//! `postevent check`: validate logs and report every problem with its location.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{Io, inputs, pipeline};
use crate::config::{self, Config};
use crate::diagnostics::{Diagnostic, JsonDiagnostic, RenderStyle, render_human};
use crate::exit;
use crate::parse::Limits;
use crate::source::Source;
use crate::validate::related::RelatedSpans;
use crate::validate::{self, Checked};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders (every *.yaml and *.yml inside, recursively; links inside a folder are
    /// not followed); `-` reads standard input.
    #[arg(default_value = "incidents")]
    pub paths: Vec<PathBuf>,

    /// How to print diagnostics: for people, or one JSON object per line for editors and CI.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Count warnings as errors in the exit status.
    #[arg(long)]
    pub strict: bool,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub config: super::pipeline::ConfigArg,
}

/// Resource limits, shared by every command that reads logs.
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Most YAML events (scalars, keys, starts and ends of lists and maps) one log may hold.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_yaml_events)]
    pub max_yaml_events: usize,

    /// Largest log file, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_file_bytes)]
    pub max_file_bytes: usize,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_yaml_events: self.max_yaml_events,
            max_file_bytes: self.max_file_bytes,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

pub fn run(args: &CheckArgs, io: &mut Io) -> u8 {
    let files = match inputs::collect(&args.paths) {
        Ok(files) => files,
        Err(e) => return trouble(io, &e.to_string()),
    };
    if files.is_empty() {
        let shown: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        return trouble(
            io,
            &format!("no *.yaml or *.yml files in {}", shown.join(", ")),
        );
    }
    let limits = args.limits.limits();
    let style = RenderStyle {
        color: io.stderr_color,
        ..RenderStyle::default()
    };
    let (mut errors, mut warnings, mut unreadable) = (0, 0, 0);
    // Every id checked, and the logs that name related ones (for the check of a folder).
    let mut known: BTreeSet<String> = BTreeSet::new();
    let mut related: Vec<(Source, RelatedSpans)> = Vec::new();
    // Each log is checked against the config of its own folder (read once per file).
    let mut configs: BTreeMap<Option<PathBuf>, Config> = BTreeMap::new();
    for path in &files {
        let found = match &io.config {
            Some(explicit) => Some(explicit.clone()),
            None => config::discover(if path.as_os_str() == "-" {
                Path::new(".")
            } else {
                path
            }),
        };
        if !configs.contains_key(&found) {
            match pipeline::config(path, io) {
                Ok(config) => {
                    configs.insert(found.clone(), config);
                }
                Err(e) => {
                    let _ = writeln!(io.stderr, "error: {e}");
                    return exit::TROUBLE;
                }
            }
        }
        let config = &configs[&found];
        let source = match inputs::read(path, limits.max_file_bytes) {
            Ok(source) => source,
            Err(e) => {
                let _ = writeln!(io.stderr, "error: {e}");
                unreadable += 1;
                continue;
            }
        };
        let checked: Checked = validate::check_with(&source, limits, config);
        errors += checked.errors();
        warnings += checked.warnings();
        print(&source, &checked.diagnostics, args.format, style, io);
        match &checked.incident {
            Some(incident) => known.insert(incident.id.clone()),
            None => known.insert(source.stem().unwrap_or_default().to_owned()),
        };
        if !checked.related_spans.is_empty() {
            related.push((source, checked.related_spans));
        }
    }
    // A folder is a set of logs: the ids its logs relate to must be among them.
    if args.paths.iter().any(|p| p.is_dir()) {
        for (source, spans) in &related {
            let unknown = validate::related::unknown(spans, &known);
            errors += unknown.len();
            print(source, &unknown, args.format, style, io);
        }
    }
    if args.format == Format::Human {
        let _ = writeln!(
            io.stderr,
            "{}",
            summary(files.len(), unreadable, errors, warnings)
        );
    }
    if unreadable > 0 {
        exit::TROUBLE
    } else if errors > 0 || (args.strict && warnings > 0) {
        exit::FAILURE
    } else {
        exit::SUCCESS
    }
}

/// Prints the diagnostics of one log in the chosen format.
fn print(
    source: &Source,
    diagnostics: &[Diagnostic],
    format: Format,
    style: RenderStyle,
    io: &mut Io,
) {
    for d in diagnostics {
        let _ = match format {
            Format::Human => write!(io.stderr, "{}", render_human(source, d, style)),
            Format::Json => writeln!(
                io.stdout,
                "{}",
                serde_json::to_string(&JsonDiagnostic::new(source, d)).unwrap_or_default()
            ),
        };
    }
}

fn trouble(io: &mut Io, message: &str) -> u8 {
    let _ = writeln!(io.stderr, "error: {message}");
    exit::TROUBLE
}

/// "checked 3 logs: 1 error, 2 warnings"; "checked 2 logs: 1 unreadable, 0 errors, 0 warnings".
fn summary(files: usize, unreadable: usize, errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let problems = if unreadable + errors + warnings == 0 {
        "no problems".to_owned()
    } else {
        let counts = format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        );
        match unreadable {
            0 => counts,
            n => format!("{n} unreadable, {counts}"),
        }
    };
    format!("checked {}: {problems}", plural(files, "log"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_every_problem() {
        assert_eq!(summary(3, 0, 0, 0), "checked 3 logs: no problems");
        assert_eq!(summary(1, 0, 1, 2), "checked 1 log: 1 error, 2 warnings");
        assert_eq!(
            summary(1, 1, 0, 0),
            "checked 1 log: 1 unreadable, 0 errors, 0 warnings"
        );
    }
}
