//! `postevent actions`: every action item of every log, with its incident, filtered; for
//! people (grouped by owner, overdue first), Markdown, JSON or CSV. `--fail-if-overdue` makes
//! it a scheduled CI check.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::Io;
use super::check::LimitArgs;
use super::pipeline::{self, AudienceArg, CliError};
use crate::exit;
use crate::model::ActionKind;
use crate::render::followups as print;
use crate::site::followups::{self, Filter};

#[derive(Debug, Args)]
pub struct ActionsArgs {
    /// Folders or files of incident logs (every *.yaml and *.yml inside, recursively).
    #[arg(default_value = "incidents")]
    pub paths: Vec<PathBuf>,

    /// Only open items (`open` or `in_progress`).
    #[arg(long)]
    pub open: bool,

    /// Only overdue items: open, with a due date before today.
    #[arg(long)]
    pub overdue: bool,

    /// The day "today" is (`2025-03-01`), for overdue items and ages; default: the current
    /// date (UTC). Fix it in tests and CI.
    #[arg(long, value_name = "DATE")]
    pub today: Option<NaiveDate>,

    /// Only the items of this owner (ASCII case ignored).
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,

    /// Only items of this kind.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,

    /// Only the items of incidents of this severity (`SEV1`).
    #[arg(long, value_name = "LEVEL")]
    pub severity: Option<String>,

    /// Only the items of this incident (its id).
    #[arg(long, value_name = "ID")]
    pub incident: Option<String>,

    /// How to print the list.
    #[arg(long, value_enum, default_value_t = ActionsFormat::Text)]
    pub format: ActionsFormat,

    /// Exit with 1 when any listed item is overdue (for a scheduled CI job).
    #[arg(long)]
    pub fail_if_overdue: bool,

    #[command(flatten)]
    pub audience: AudienceArg,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub config: pipeline::ConfigArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Mitigate,
    Prevent,
    Process,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActionsFormat {
    /// A table for people, grouped by owner, overdue first.
    Text,
    Md,
    Json,
    Csv,
}

pub fn run(args: &ActionsArgs, io: &mut Io) -> u8 {
    let result = list(args, io);
    pipeline::finish(result, io)
}

fn list(args: &ActionsArgs, io: &mut Io) -> Result<u8, CliError> {
    let limits = args.limits.limits();
    let Some((_, entries)) =
        pipeline::load_entries(&args.paths, limits, args.audience.audience, io)?
    else {
        return Ok(exit::FAILURE);
    };
    let today = args
        .today
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let filter = Filter {
        open: args.open,
        overdue: args.overdue,
        owner: args.owner.clone(),
        kind: args.kind.map(|k| match k {
            KindArg::Mitigate => ActionKind::Mitigate,
            KindArg::Prevent => ActionKind::Prevent,
            KindArg::Process => ActionKind::Process,
        }),
        severity: args.severity.clone(),
        incident: args.incident.clone(),
    };
    let items: Vec<_> = followups::collect(&entries, today)
        .into_iter()
        .filter(|f| filter.keeps(f))
        .collect();
    let summary = followups::summary(&items, today);
    let text = match args.format {
        ActionsFormat::Text => print::text(&items, &summary),
        ActionsFormat::Md => print::markdown(&items, &summary),
        ActionsFormat::Json => print::json(&items, &summary),
        ActionsFormat::Csv => print::csv(&items),
    };
    pipeline::print_out(io, "follow-ups", &text)?;
    Ok(if args.fail_if_overdue && summary.overdue > 0 {
        let _ = writeln!(
            io.stderr,
            "error: {} action item(s) overdue on {today}",
            summary.overdue
        );
        exit::FAILURE
    } else {
        exit::SUCCESS
    })
}
