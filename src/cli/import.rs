//! `postevent import statuspage|gcp FILE|-`: one validated log per incident of a status feed.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::check::LimitArgs;
use super::new::fail;
use super::{Io, inputs};
use crate::diagnostics::{RenderStyle, render_human};
use crate::exit;
use crate::import::{self, Draft};
use crate::output::write_atomic;
use crate::source::Source;
use crate::time;
use crate::validate;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The kind of document.
    #[arg(value_enum)]
    pub kind: Kind,

    /// The JSON document; `-` reads standard input.
    pub input: PathBuf,

    /// The folder to write the logs in.
    #[arg(long, value_name = "DIR", default_value = "incidents")]
    pub dir: PathBuf,

    /// The logs' display zone (default: the Statuspage page's `time_zone`, else UTC).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// Replace logs that already exist (by default nothing is written if one does).
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Which feed a document comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Atlassian Statuspage API v2: incidents.json, summary.json or one incident.
    Statuspage,
    /// Google Cloud status incidents.json.
    Gcp,
}

pub fn run(args: &ImportArgs, io: &mut Io) -> u8 {
    let zone = match &args.tz {
        None => None,
        Some(name) => match time::parse_zone(name) {
            Some(zone) => Some(zone),
            None => {
                let hint = time::suggest_zone(name).map(|z| format!("did you mean `{z}`?"));
                return fail(io, &format!("unknown timezone `{name}`"), hint.as_deref());
            }
        },
    };
    let input = match inputs::read(&args.input, args.limits.max_file_bytes) {
        Ok(source) => source,
        Err(e) => return fail(io, &e.to_string(), None),
    };
    let drafts = match args.kind {
        Kind::Statuspage => import::statuspage::import(input.text(), zone),
        Kind::Gcp => import::gcp::import(input.text(), zone),
    };
    let drafts = match drafts {
        Ok(drafts) => drafts,
        Err(e) => return fail(io, &format!("{}: {e}", input.name()), None),
    };
    if drafts.is_empty() {
        let _ = writeln!(io.stderr, "{}: no incidents to import", input.name());
        return exit::SUCCESS;
    }
    // The budget is checked before any log is built: a log over it would be refused anyway.
    let budget = args.limits.max_file_bytes;
    if let Some(draft) = drafts.iter().find(|d| d.text_len() > budget) {
        let message = format!(
            "{}: the log of `{}` would be larger than the limit of {budget} bytes (nothing was written)",
            input.name(),
            draft.id
        );
        return fail(io, &message, Some("raise it with `--max-file-bytes`"));
    }
    let logs: Vec<(PathBuf, Source)> = drafts.iter().map(|d| log(args, d)).collect();
    let existing: Vec<String> = logs
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, _)| format!("`{}`", path.display()))
        .collect();
    if !existing.is_empty() && !args.force {
        let message = format!(
            "{} already exist (nothing was written)",
            existing.join(", ")
        );
        return fail(io, &message, Some("pass `--force` to replace them"));
    }
    if !all_valid(args, io, &logs) {
        let _ = writeln!(
            io.stderr,
            "error: the imported logs above do not pass `check` (nothing was written)"
        );
        return exit::FAILURE;
    }
    for (path, source) in &logs {
        if let Err(e) = write_atomic(path, source.text().as_bytes()) {
            return fail(io, &format!("cannot write `{}`: {e}", path.display()), None);
        }
        let _ = writeln!(io.stdout, "{}", path.display());
    }
    exit::SUCCESS
}

fn log(args: &ImportArgs, draft: &Draft) -> (PathBuf, Source) {
    let path = args.dir.join(format!("{}.yaml", draft.id));
    let source = Source::new(
        path.display().to_string(),
        Some(path.clone()),
        draft.to_yaml(),
    );
    (path, source)
}

/// Checks every log, printing its diagnostics; whether none has an error.
fn all_valid(args: &ImportArgs, io: &mut Io, logs: &[(PathBuf, Source)]) -> bool {
    let style = RenderStyle {
        color: io.stderr_color,
        ..RenderStyle::default()
    };
    let mut ok = true;
    for (_, source) in logs {
        let checked = validate::check(source, args.limits.limits());
        ok &= checked.errors() == 0;
        for d in &checked.diagnostics {
            let _ = write!(io.stderr, "{}", render_human(source, d, style));
        }
    }
    ok
}
