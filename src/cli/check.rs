//! `postevent check`: validate logs and report every problem with its location.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use rayon::prelude::*;

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
    // Each log is checked against the config of its own folder: found once per folder, read
    // once per config.
    let mut configs: Vec<Config> = Vec::new();
    // Every id checked, and the logs that name related ones (for the check of a folder).
    let mut known: BTreeSet<String> = BTreeSet::new();
    let mut related: Vec<(Source, RelatedSpans)> = Vec::new();
    let mut by_file: BTreeMap<Option<PathBuf>, usize> = BTreeMap::new();
    let mut by_folder: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let mut config_of = Vec::with_capacity(files.len());
    for path in &files {
        let near = if path.as_os_str() == "-" {
            Path::new(".")
        } else {
            path
        };
        let folder = near.parent().unwrap_or(near).to_owned();
        if let Some(&i) = by_folder.get(&folder) {
            config_of.push(i);
            continue;
        }
        let found = match &io.config {
            Some(explicit) => Some(explicit.clone()),
            None => config::discover(near),
        };
        let i = match by_file.get(&found) {
            Some(&i) => i,
            None => match pipeline::config(path, io) {
                Ok(config) => {
                    configs.push(config);
                    by_file.insert(found, configs.len() - 1);
                    configs.len() - 1
                }
                Err(e) => {
                    let _ = writeln!(io.stderr, "error: {e}");
                    return exit::TROUBLE;
                }
            },
        };
        by_folder.insert(folder, i);
        config_of.push(i);
    }
    // Logs are read and checked in parallel, a batch at a time (so memory stays bounded by
    // the batch, not the folder), and reported in the order of `files`.
    let jobs: Vec<(&PathBuf, &Config)> = files
        .iter()
        .zip(&config_of)
        .map(|(path, &i)| (path, &configs[i]))
        .collect();
    for batch in batches(&jobs) {
        let results: Vec<_> = batch
            .par_iter()
            .map(|&(path, config)| {
                inputs::read(path, limits.max_file_bytes).map(|source| {
                    let checked: Checked = validate::check_with(&source, limits, config);
                    // Drawn here, in parallel: only the writing is in order.
                    let shown = render(&source, &checked.diagnostics, args.format, style);
                    (source, checked, shown)
                })
            })
            .collect();
        for result in results {
            let (source, checked, shown) = match result {
                Ok(done) => done,
                Err(e) => {
                    let _ = writeln!(io.stderr, "error: {e}");
                    unreadable += 1;
                    continue;
                }
            };
            errors += checked.errors();
            warnings += checked.warnings();
            write(&shown, args.format, io);
            match &checked.incident {
                Some(incident) => known.insert(incident.id.clone()),
                None => known.insert(source.stem().unwrap_or_default().to_owned()),
            };
            if !checked.related_spans.is_empty() {
                related.push((source, checked.related_spans));
            }
        }
    }
    // A folder is a set of logs: the ids its logs relate to must be among them.
    if args.paths.iter().any(|p| p.is_dir()) {
        for (source, spans) in &related {
            let unknown = validate::related::unknown(spans, &known);
            errors += unknown.len();
            write(
                &render(source, &unknown, args.format, style),
                args.format,
                io,
            );
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

/// The diagnostics of one log drawn in the chosen format, ready to write.
fn render(
    source: &Source,
    diagnostics: &[Diagnostic],
    format: Format,
    style: RenderStyle,
) -> String {
    let mut out = String::new();
    for d in diagnostics {
        match format {
            Format::Human => out.push_str(&render_human(source, d, style)),
            Format::Json => {
                out.push_str(
                    &serde_json::to_string(&JsonDiagnostic::new(source, d)).unwrap_or_default(),
                );
                out.push('\n');
            }
        }
    }
    out
}

/// Writes what [`render`] drew where its format goes: people read stderr, tools stdout.
fn write(shown: &str, format: Format, io: &mut Io) {
    if shown.is_empty() {
        return;
    }
    let _ = match format {
        Format::Human => io.stderr.write_all(shown.as_bytes()),
        Format::Json => io.stdout.write_all(shown.as_bytes()),
    };
}

/// Most logs and most bytes (by their size on disk) checked at once.
const BATCH_FILES: usize = 256;
const BATCH_BYTES: u64 = 64 * 1024 * 1024;

/// `jobs` cut into consecutive batches of at most [`BATCH_FILES`] logs and, unless one log is
/// larger alone, [`BATCH_BYTES`].
fn batches<'a, T>(jobs: &'a [(&PathBuf, T)]) -> Vec<&'a [(&'a PathBuf, T)]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, (path, _)) in jobs.iter().enumerate() {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        if i > start && (i - start == BATCH_FILES || bytes + size > BATCH_BYTES) {
            out.push(&jobs[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < jobs.len() {
        out.push(&jobs[start..]);
    }
    out
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
    fn batches_keep_the_order_and_bound_the_count() {
        let paths: Vec<PathBuf> = (0..600)
            .map(|i| PathBuf::from(format!("{i}.yaml")))
            .collect();
        let jobs: Vec<(&PathBuf, usize)> = paths.iter().zip(0..).collect();
        let cut = batches(&jobs);
        let sizes: Vec<usize> = cut.iter().map(|b| b.len()).collect();
        assert_eq!(sizes, [BATCH_FILES, BATCH_FILES, 600 - 2 * BATCH_FILES]);
        let order: Vec<usize> = cut.iter().flat_map(|b| b.iter().map(|j| j.1)).collect();
        assert_eq!(order, (0..600).collect::<Vec<_>>());
        assert!(batches::<usize>(&[]).is_empty());
    }

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
