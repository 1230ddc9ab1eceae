//! `postevent diff --changed BASE[..HEAD]`: the diff of every log that changed between two git
//! revisions, one after the other, in any of diff's formats. A pull request's review comment
//! in one command. An added log is compared with an empty version of itself (every event and
//! action item added), a deleted one the other way round.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::diff::{DiffArgs, Format, git_show, safe, use_color, validated};
use super::{Color, Io, inputs};
use crate::config::Config;
use crate::diff::diff;
use crate::diff::display::{self, DisplayOptions};
use crate::exit;
use crate::git::{self, Change, Changed, Range};
use crate::parse::Limits;
use crate::redact::{Audience, Redacted, redact};
use crate::source::Source;

/// Bumped only when a field changes meaning.
const FORMAT_VERSION: u32 = 1;

pub fn run(range: &str, args: &DiffArgs, color: Color, io: &mut Io) -> u8 {
    let range = match Range::parse(range) {
        Ok(range) => range,
        Err(e) => {
            let _ = writeln!(io.stderr, "error: --changed: {e}");
            return exit::TROUBLE;
        }
    };
    let paths = if args.path.is_empty() {
        let incidents = Path::new("incidents");
        vec![if incidents.is_dir() {
            incidents.to_owned()
        } else {
            PathBuf::from(".")
        }]
    } else {
        args.path.clone()
    };
    let (files, root) = match git::changed(&range, &paths).and_then(|f| Ok((f, git::toplevel()?))) {
        Ok(found) => found,
        Err(e) => {
            let _ = writeln!(io.stderr, "error: {e}");
            return exit::TROUBLE;
        }
    };
    let color = use_color(color, io);
    let limits = args.limits.limits();
    let audience = args.audience.audience;
    let config = match super::pipeline::config(&paths[0], io) {
        Ok(config) => config,
        Err(e) => {
            let _ = writeln!(io.stderr, "error: {e}");
            return exit::TROUBLE;
        }
    };
    let mut trouble = false;
    let mut logs = Vec::new();
    for file in &files {
        // A side at a revision comes from `git show REV:PATH`; a side without one is on disk.
        let read = |rev: Option<&str>, path: &str| match rev {
            Some(rev) => git_show(&format!("{rev}:{path}"), path, limits.max_file_bytes),
            None => read_worktree(&root, path, limits.max_file_bytes),
        };
        let old = file.old.as_ref().map(|path| {
            let source = read(Some(&range.base), path);
            load_side(source, limits, &config, audience, io)
        });
        let new = file.new.as_ref().map(|path| {
            let source = read(range.head.as_deref(), path);
            load_side(source, limits, &config, audience, io)
        });
        let (old, new) = match (old, new) {
            (Some(Some(old)), Some(Some(new))) => (old, new),
            (None, Some(Some(new))) => (("(new log)".to_owned(), emptied(&new.1)), new),
            (Some(Some(old)), None) => {
                let empty = emptied(&old.1);
                (old, ("(deleted)".to_owned(), empty))
            }
            _ => {
                trouble = true;
                continue;
            }
        };
        let options = DisplayOptions {
            old_name: old.0,
            new_name: new.0,
            all: args.all,
            color,
        };
        let result = diff(&old.1, &new.1);
        logs.push((file, options, result));
    }
    let text = match args.format {
        Format::Json => json(&range, &logs),
        Format::Md => markdown(&range, &logs),
        Format::Text => text(&range, &logs, color),
    };
    if let Err(e) = io
        .stdout
        .write_all(safe(text, args.format, color).as_bytes())
    {
        let _ = writeln!(io.stderr, "error: cannot write the diff: {e}");
        return exit::TROUBLE;
    }
    if trouble {
        exit::TROUBLE
    } else if logs.iter().all(|(_, _, r)| r.is_equal()) {
        exit::SUCCESS
    } else {
        exit::FAILURE
    }
}

/// Validates one side as `diff` does (diagnostics printed), keeping its name.
fn load_side(
    source: Result<Source, inputs::InputError>,
    limits: Limits,
    config: &Config,
    audience: Audience,
    io: &mut Io,
) -> Option<(String, Redacted)> {
    let source = match source {
        Ok(source) => source,
        Err(e) => {
            let _ = writeln!(io.stderr, "error: {e}");
            return None;
        }
    };
    validated(&source, limits, config, audience, io)
}

/// The file on disk, for a range without a head.
fn read_worktree(root: &Path, path: &str, max_bytes: usize) -> Result<Source, inputs::InputError> {
    let source = inputs::read(&root.join(path), max_bytes)?;
    Ok(Source::new(
        path,
        Some(PathBuf::from(path)),
        source.text().to_owned(),
    ))
}

/// The incident with nothing in it yet: the other side of an added or deleted log.
fn emptied(redacted: &Redacted) -> Redacted {
    let empty = crate::model::Incident {
        timeline: Vec::new(),
        action_items: Vec::new(),
        ..redacted.incident().clone()
    };
    redact(&empty, redacted.audience())
}

fn range_name(range: &Range) -> String {
    let head = range.head.as_deref().unwrap_or("working tree");
    format!("{} → {head}", range.base)
}

type Log<'a> = (&'a Changed, DisplayOptions, crate::diff::IncidentDiff);

fn heading(file: &Changed) -> String {
    match (file.change, &file.old) {
        (Change::Renamed, Some(old)) => format!("{} (renamed from {old})", file.path()),
        (change, _) => format!("{} ({})", file.path(), change.as_str()),
    }
}

fn text(range: &Range, logs: &[Log], color: bool) -> String {
    let mut out = format!(
        "{} changed {} ({})\n",
        logs.len(),
        if logs.len() == 1 { "log" } else { "logs" },
        range_name(range)
    );
    for (file, options, result) in logs {
        let rule = format!("=== {}", heading(file));
        out.push('\n');
        if color {
            out.push_str(&format!("\x1b[1m{rule}\x1b[0m\n"));
        } else {
            out.push_str(&rule);
            out.push('\n');
        }
        out.push_str(&display::text(result, options));
    }
    out
}

fn markdown(range: &Range, logs: &[Log]) -> String {
    let mut out = format!(
        "## postevent: {} changed {} ({})\n",
        logs.len(),
        if logs.len() == 1 { "log" } else { "logs" },
        // Revision names are the user's own, but a branch name can hold Markdown.
        crate::escape::markdown_inline(&range_name(range))
    );
    for (file, options, result) in logs {
        // The summary line is an HTML block, so its text is escaped as HTML (a path in git
        // may hold `<`), not as Markdown.
        out.push_str(&format!(
            "\n<details open><summary>{}</summary>\n\n",
            crate::escape::html_text(&heading(file))
        ));
        out.push_str(&display::markdown(result, options));
        out.push_str("\n</details>\n");
    }
    out
}

#[derive(Serialize)]
struct JsonChanged<'a, D: Serialize> {
    format_version: u32,
    base: &'a str,
    head: Option<&'a str>,
    equal: bool,
    logs: Vec<JsonLog<'a, D>>,
}

#[derive(Serialize)]
struct JsonLog<'a, D: Serialize> {
    path: &'a str,
    old_path: Option<&'a str>,
    change: &'static str,
    diff: D,
}

fn json(range: &Range, logs: &[Log]) -> String {
    let doc = JsonChanged {
        format_version: FORMAT_VERSION,
        base: &range.base,
        head: range.head.as_deref(),
        equal: logs.iter().all(|(_, _, r)| r.is_equal()),
        logs: logs
            .iter()
            .map(|(file, options, result)| JsonLog {
                path: file.path(),
                old_path: file.old.as_deref(),
                change: file.change.as_str(),
                diff: display::json_document(result, options),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
