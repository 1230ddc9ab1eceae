//! `postevent build`: every incident log into a static docs site.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Args;

use super::check::LimitArgs;
use super::pipeline::{self, AudienceArg, CliError, TemplatesArg, log_files};
use super::{Io, inputs};
use crate::exit;
use crate::render::TemplateSet;
use crate::site::Options;
use crate::site::build::{self, Outcome, Problem, Progress, Request, Silent};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Folders or files of incident logs (every *.yaml and *.yml inside, recursively; links
    /// inside a folder are not followed).
    #[arg(default_value = "incidents")]
    pub paths: Vec<PathBuf>,

    /// The site folder. It is replaced as a whole, so it must be new, empty, or a site
    /// postevent built before.
    #[arg(short, long, value_name = "OUT", default_value = "site")]
    pub output: PathBuf,

    #[command(flatten)]
    pub audience: AudienceArg,

    /// Where the site will be published (`https://status.example.com/incidents/`); makes the
    /// feed's links absolute.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// The day the follow-ups page counts overdue items and ages on (`2025-03-01`); default:
    /// the day of the last change in any log, so the same logs always build the same site.
    #[arg(long, value_name = "DATE")]
    pub today: Option<chrono::NaiveDate>,

    /// Build the valid logs even when some are invalid, and list the ones left out.
    #[arg(long)]
    pub keep_going: bool,

    /// Print nothing but errors (no progress bar, no summary).
    #[arg(short, long)]
    pub quiet: bool,

    #[command(flatten)]
    pub templates: TemplatesArg,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub config: super::pipeline::ConfigArg,
}

pub fn run(args: &BuildArgs, io: &mut Io) -> u8 {
    let result = build_site(args, io);
    pipeline::finish(result, io)
}

/// Checks `--base-url`: an absolute http(s) URL.
pub fn check_base_url(url: &str) -> Result<(), CliError> {
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url
            .chars()
            .any(|c| c.is_whitespace() || "\"'<>`".contains(c));
    if ok {
        Ok(())
    } else {
        Err(CliError::BaseUrl(url.to_owned()))
    }
}

/// `./templates/` when it is a folder, then `--templates DIR`.
pub fn template_dirs(dir: Option<&Path>) -> Result<Vec<PathBuf>, CliError> {
    Ok(crate::render::templates::dirs(dir)?)
}

fn build_site(args: &BuildArgs, io: &mut Io) -> Result<u8, CliError> {
    if let Some(url) = &args.base_url {
        check_base_url(url)?;
    }
    let files = log_files(&args.paths)?;
    let dirs = template_dirs(args.templates.templates.as_deref())?;
    let templates = TemplateSet::load(&dirs)?;
    let config = pipeline::config(&args.paths[0], io)?;
    let options = Options {
        today: args.today,
        ..Options::new(args.audience.audience, args.base_url.as_deref(), config)
    };
    let limits = args.limits.limits();
    let read = move |p: &Path| inputs::read(p, limits.max_file_bytes).map_err(|e| e.reason);
    let request = Request {
        files: &files,
        read: &read,
        limits,
        out: &args.output,
        options: &options,
        templates: &templates,
        keep_going: args.keep_going,
    };
    let show_bar = !args.quiet && std::io::stderr().is_terminal() && files.len() >= 100;
    let outcome = if show_bar {
        let bar = Bar::new();
        let outcome = build::build(&request, &bar);
        bar.0.finish_and_clear();
        outcome
    } else {
        build::build(&request, &Silent)
    }?;
    pipeline::print_problems(&outcome.problems, io);
    Ok(report_outcome(&outcome, args, io))
}

fn report_outcome(outcome: &Outcome, args: &BuildArgs, io: &mut Io) -> u8 {
    let out = args.output.display();
    let skipped: Vec<String> = outcome.problems.iter().flat_map(Problem::paths).collect();
    if !outcome.written {
        let _ = writeln!(
            io.stderr,
            "error: {} log{} cannot go into the site; `{out}` was not changed (`--keep-going` builds the others)",
            skipped.len(),
            if skipped.len() == 1 { "" } else { "s" }
        );
        return failure_code(outcome);
    }
    if !args.quiet {
        let how = if outcome.full {
            "built".to_owned()
        } else {
            format!(
                "updated ({} page{} rendered, the rest unchanged{})",
                outcome.rendered,
                if outcome.rendered == 1 { "" } else { "s" },
                if outcome.removed > 0 {
                    format!(", {} stale file(s) removed", outcome.removed)
                } else {
                    String::new()
                }
            )
        };
        let _ = writeln!(
            io.stderr,
            "{how} {out}/: {} incident{}",
            outcome.incidents,
            if outcome.incidents == 1 { "" } else { "s" }
        );
    }
    if skipped.is_empty() {
        return exit::SUCCESS;
    }
    let _ = writeln!(io.stderr, "skipped {} log(s) with errors:", skipped.len());
    for path in &skipped {
        let _ = writeln!(io.stderr, "  {path}");
    }
    failure_code(outcome)
}

/// 2 when a log could not be read (as for `check`), else 1.
fn failure_code(outcome: &Outcome) -> u8 {
    if outcome
        .problems
        .iter()
        .any(|p| matches!(p, Problem::Unreadable { .. }))
    {
        exit::TROUBLE
    } else {
        exit::FAILURE
    }
}

/// A progress bar on standard error (only on a terminal).
struct Bar(indicatif::ProgressBar);

impl Bar {
    fn new() -> Bar {
        let bar = indicatif::ProgressBar::new(0);
        let style = indicatif::ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        Bar(bar)
    }
}

impl Progress for Bar {
    fn stage(&self, name: &'static str, len: u64) {
        self.0.set_message(name);
        self.0.set_length(len);
        self.0.set_position(0);
    }

    fn tick(&self) {
        self.0.inc(1);
    }
}
