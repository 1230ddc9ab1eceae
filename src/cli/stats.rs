//! `postevent stats`: the figures of the site's stats page on the command line, for scripts
//! and spreadsheets.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Io;
use super::check::LimitArgs;
use super::pipeline::{self, AudienceArg, CliError};
use crate::exit;
use crate::render::stats as print;
use crate::site::stats;

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Folders or files of incident logs (every *.yaml and *.yml inside, recursively).
    #[arg(default_value = "incidents")]
    pub paths: Vec<PathBuf>,

    /// `json`: the site's stats.json; `csv`: one row per incident with every metric, its
    /// severity, services and counts; `md`: the figures as Markdown tables.
    #[arg(long, value_enum, default_value_t = StatsFormat::Json)]
    pub format: StatsFormat,

    #[command(flatten)]
    pub audience: AudienceArg,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub config: pipeline::ConfigArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    Json,
    Csv,
    Md,
}

pub fn run(args: &StatsArgs, io: &mut Io) -> u8 {
    let result = print_stats(args, io);
    pipeline::finish(result, io)
}

fn print_stats(args: &StatsArgs, io: &mut Io) -> Result<u8, CliError> {
    let limits = args.limits.limits();
    let Some((config, entries)) =
        pipeline::load_entries(&args.paths, limits, args.audience.audience, io)?
    else {
        return Ok(exit::FAILURE);
    };
    let figures = stats::compute(&entries, &config.severities);
    let text = match args.format {
        StatsFormat::Json => stats::json(&figures),
        StatsFormat::Csv => print::csv(&entries),
        StatsFormat::Md => print::markdown(&figures),
    };
    pipeline::print_out(io, "stats", &text)?;
    Ok(exit::SUCCESS)
}
