//! `postevent import statuspage|gcp|slack|pagerduty`: validated logs from where a timeline is
//! born (status feeds, a chat export, a pager's log). Every log passes `check` before any is
//! written; a bad document writes nothing.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::check::LimitArgs;
use super::new::fail;
use super::{Io, inputs};
use crate::config::Config;
use crate::diagnostics::{RenderStyle, render_human};
use crate::exit;
use crate::import::{self, Draft, ImportError, pagerduty, slack};
use crate::output::write_atomic;
use crate::source::Source;
use crate::time;
use crate::validate;

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub from: From,
}

/// Where the timeline comes from.
#[derive(Debug, Subcommand)]
pub enum From {
    /// Atlassian Statuspage API v2: incidents.json, summary.json or one incident.
    Statuspage(FeedArgs),
    /// Google Cloud status incidents.json.
    Gcp(FeedArgs),
    /// A Slack workspace export (its folder or .zip): one channel's marked messages.
    Slack(SlackArgs),
    /// A PagerDuty incident's log entries (REST API v2), with the incident if given.
    Pagerduty(PagerdutyArgs),
}

#[derive(Debug, Args)]
pub struct FeedArgs {
    /// The JSON document; `-` reads standard input.
    pub input: PathBuf,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SlackArgs {
    /// The export: its unpacked folder or its .zip (`-` reads the .zip from standard input).
    #[arg(value_name = "DIR|ZIP")]
    pub export: PathBuf,

    /// The channel to import, by name (`incident-4211` or `#incident-4211`) or id.
    #[arg(long, value_name = "NAME")]
    pub channel: String,

    /// Take every message, not only those marked with the emoji.
    #[arg(long)]
    pub all: bool,

    /// The reaction that marks a message for the timeline.
    #[arg(long, value_name = "NAME", default_value = slack::DEFAULT_EMOJI)]
    pub emoji: String,

    /// Set phases from words in marked messages ("identified", "mitigated", "resolved", ...).
    #[arg(long)]
    pub phases_from_keywords: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct PagerdutyArgs {
    /// The response of `GET /incidents/{id}/log_entries`; `-` reads standard input.
    pub input: PathBuf,

    /// The response of `GET /incidents/{id}`, for the title, urgency, priority and service.
    #[arg(long, value_name = "FILE")]
    pub incident: Option<PathBuf>,

    /// Keep notification entries (who was paged, and how).
    #[arg(long)]
    pub all: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Where and how the logs are written; shared by every source.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// The folder to write the logs in.
    #[arg(long, value_name = "DIR", default_value = "incidents")]
    pub dir: PathBuf,

    /// The logs' display zone (default: the Statuspage page's `time_zone`, else UTC).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// Replace logs that already exist (by default nothing is written if one does).
    #[arg(long)]
    pub force: bool,

    /// The organisation's `postevent.toml` (default: the nearest one in `--dir` or above it):
    /// the logs get severities on its scale and are checked against it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub limits: LimitArgs,
}

impl ImportArgs {
    /// Where and how the logs are written, whatever the source.
    pub fn output(&self) -> &OutputArgs {
        match &self.from {
            From::Statuspage(a) | From::Gcp(a) => &a.output,
            From::Slack(a) => &a.output,
            From::Pagerduty(a) => &a.output,
        }
    }
}

pub fn run(args: &ImportArgs, io: &mut Io) -> u8 {
    let output = args.output();
    let zone = match &output.tz {
        None => None,
        Some(name) => match time::parse_zone(name) {
            Some(zone) => Some(zone),
            None => {
                let hint = time::suggest_zone(name).map(|z| format!("did you mean `{z}`?"));
                return fail(io, &format!("unknown timezone `{name}`"), hint.as_deref());
            }
        },
    };
    let max_bytes = output.limits.max_file_bytes;
    let drafts = match &args.from {
        From::Statuspage(a) | From::Gcp(a) => {
            let input = match inputs::read(&a.input, max_bytes) {
                Ok(source) => source,
                Err(e) => return fail(io, &e.to_string(), None),
            };
            let drafts = match args.from {
                From::Statuspage(_) => import::statuspage::import(input.text(), zone),
                _ => import::gcp::import(input.text(), zone),
            };
            drafts.map_err(|e| (input.name().to_owned(), e))
        }
        From::Slack(a) => import_slack(a, zone, max_bytes),
        From::Pagerduty(a) => match import_pagerduty(a, zone, max_bytes) {
            Ok(draft) => Ok(vec![draft]),
            Err(Unread::Input(message)) => return fail(io, &message, None),
            Err(Unread::Bad(name, e)) => Err((name, e)),
        },
    };
    // The logs go where the organisation's config applies: severities on its scale.
    let config = match super::pipeline::config(&output.dir, io) {
        Ok(config) => config,
        Err(e) => return fail(io, &e.to_string(), None),
    };
    let drafts = drafts.map(|drafts| {
        drafts
            .into_iter()
            .map(|d| d.on_scale(&config.severities))
            .collect()
    });
    match drafts {
        Ok(drafts) => write(output, &config, drafts, io),
        Err((name, e)) => fail_at(io, &name, &e),
    }
}

/// A document that could not be read at all, or one that was read and refused.
enum Unread {
    Input(String),
    Bad(String, ImportError),
}

fn import_slack(
    args: &SlackArgs,
    zone: Option<chrono_tz::Tz>,
    max_bytes: usize,
) -> Result<Vec<Draft>, (String, ImportError)> {
    let stdin = args.export.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_owned()
    } else {
        args.export.display().to_string()
    };
    let archive = if stdin {
        stdin_bytes(max_bytes)
            .and_then(|bytes| slack::Archive::zip(Box::new(Cursor::new(bytes)), max_bytes))
    } else if !args.export.exists() {
        Err(ImportError::Input {
            file: None,
            at: None,
            message: "no such file or folder".into(),
            hint: Some("give the folder of an unpacked Slack export or its .zip".into()),
        })
    } else {
        slack::Archive::open(&args.export, max_bytes)
    };
    let options = slack::Options {
        channel: args.channel.clone(),
        all: args.all,
        emoji: args.emoji.clone(),
        phases_from_keywords: args.phases_from_keywords,
        zone,
    };
    archive
        .and_then(|mut archive| slack::import(&mut archive, &options))
        .map(|draft| vec![draft])
        .map_err(|e| (name, e))
}

/// Standard input as bytes, at most `max_bytes`.
fn stdin_bytes(max_bytes: usize) -> Result<Vec<u8>, ImportError> {
    let mut bytes = Vec::new();
    let read = std::io::stdin()
        .take(max_bytes as u64 + 1)
        .read_to_end(&mut bytes);
    let too_big = bytes.len() > max_bytes;
    match read {
        Err(e) => Err(ImportError::Input {
            file: None,
            at: None,
            message: format!("cannot read standard input: {e}"),
            hint: None,
        }),
        Ok(_) if too_big => Err(ImportError::Input {
            file: None,
            at: None,
            message: format!("larger than the limit of {max_bytes} bytes"),
            hint: Some("raise it with `--max-file-bytes`".into()),
        }),
        Ok(_) => Ok(bytes),
    }
}

fn import_pagerduty(
    args: &PagerdutyArgs,
    zone: Option<chrono_tz::Tz>,
    max_bytes: usize,
) -> Result<Draft, Unread> {
    let read =
        |path: &Path| inputs::read(path, max_bytes).map_err(|e| Unread::Input(e.to_string()));
    let incident = match &args.incident {
        Some(path) => {
            let source = read(path)?;
            let incident = pagerduty::incident(source.text())
                .map_err(|e| Unread::Bad(source.name().to_owned(), e))?;
            Some(incident)
        }
        None => None,
    };
    let input = read(&args.input)?;
    let options = pagerduty::Options {
        all: args.all,
        zone,
    };
    pagerduty::import(input.text(), incident, &options)
        .map_err(|e| Unread::Bad(input.name().to_owned(), e))
}

/// Prints an import error where it is: `NAME[/FILE][:LINE:COLUMN]: message`, and its hint.
fn fail_at(io: &mut Io, name: &str, e: &ImportError) -> u8 {
    let (file, at) = e.place();
    let mut place = name.to_owned();
    if let Some(file) = file {
        place.push('/');
        place.push_str(file);
    }
    if let Some((line, column)) = at {
        place.push_str(&format!(":{line}:{column}"));
    }
    fail(io, &format!("{place}: {e}"), e.hint())
}

/// Checks every draft and writes them all, or none.
fn write(output: &OutputArgs, config: &Config, drafts: Vec<Draft>, io: &mut Io) -> u8 {
    if drafts.is_empty() {
        let _ = writeln!(io.stderr, "no incidents to import");
        return exit::SUCCESS;
    }
    // The budget is checked before any log is built: a log over it would be refused anyway.
    let budget = output.limits.max_file_bytes;
    if let Some(draft) = drafts.iter().find(|d| d.text_len() > budget) {
        let message = format!(
            "the log of `{}` would be larger than the limit of {budget} bytes (nothing was written)",
            draft.id
        );
        return fail(io, &message, Some("raise it with `--max-file-bytes`"));
    }
    let logs: Vec<(PathBuf, Source)> = drafts.iter().map(|d| log(output, d)).collect();
    let existing: Vec<String> = logs
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, _)| format!("`{}`", path.display()))
        .collect();
    if !existing.is_empty() && !output.force {
        let message = format!(
            "{} already exist (nothing was written)",
            existing.join(", ")
        );
        return fail(io, &message, Some("pass `--force` to replace them"));
    }
    if !all_valid(output, config, io, &logs) {
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

fn log(output: &OutputArgs, draft: &Draft) -> (PathBuf, Source) {
    let path = output.dir.join(format!("{}.yaml", draft.id));
    let source = Source::new(
        path.display().to_string(),
        Some(path.clone()),
        draft.to_yaml(),
    );
    (path, source)
}

/// Checks every log, printing its diagnostics; whether none has an error.
fn all_valid(
    output: &OutputArgs,
    config: &Config,
    io: &mut Io,
    logs: &[(PathBuf, Source)],
) -> bool {
    let style = RenderStyle {
        color: io.stderr_color,
        ..RenderStyle::default()
    };
    let mut ok = true;
    for (_, source) in logs {
        let checked = validate::check_with(source, output.limits.limits(), config);
        ok &= checked.errors() == 0;
        for d in &checked.diagnostics {
            let _ = write!(io.stderr, "{}", render_human(source, d, style));
        }
    }
    ok
}
