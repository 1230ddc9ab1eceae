//! The command line: clap types, one file per subcommand. This is the only layer that reads
//! arguments, prints, and picks an exit code.

mod actions;
mod build;
mod changed;
mod check;
mod completions;
mod diff;
mod export;
mod import;
mod inputs;
mod log;
#[cfg(feature = "lsp")]
mod lsp;
mod new;
mod pipeline;
mod report;
mod schema;
#[cfg(feature = "serve")]
mod serve;
mod stats;
mod templates;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};

use clap::{Parser, Subcommand, ValueEnum};

use crate::exit;

/// Turn incident logs written in YAML into post-mortems, public summaries and docs sites.
#[derive(Debug, Parser)]
#[command(name = "postevent", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to use colour in messages.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate incident logs and report every problem with its location.
    Check(check::CheckArgs),
    /// Show what changed in meaning between two versions of an incident log.
    Diff(diff::DiffArgs),
    /// Print the JSON Schema of the incident log format (for editors).
    Schema(schema::SchemaArgs),
    /// Start a new incident log from the template.
    New(new::NewArgs),
    /// Append an event to a log, keeping its comments and layout.
    Log(log::LogArgs),
    /// Draft logs from status feeds (Statuspage, Google Cloud), a Slack export or a PagerDuty log.
    Import(import::ImportArgs),
    /// Print a shell completion script.
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff), e.g. `postevent man | man -l -`.
    Man(completions::ManArgs),
    /// Render a log as a post-mortem or a public summary (Markdown, HTML or JSON).
    Report(report::ReportArgs),
    /// Work with the report templates (export the defaults for editing).
    Templates(templates::TemplatesArgs),
    /// Build a static docs site of every incident (index, search, stats, feed).
    Build(build::BuildArgs),
    /// Export every incident as Markdown for mdBook, MkDocs, Hugo, Docusaurus or Zola.
    Export(export::ExportArgs),
    /// Preview the docs site on 127.0.0.1, rebuilt and reloaded on every save.
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// Run the language server for editors (LSP over standard input and output).
    #[cfg(feature = "lsp")]
    Lsp(lsp::LspArgs),
    /// List the action items of every log: open, overdue, by owner (text, md, json, csv).
    Actions(actions::ActionsArgs),
    /// Print the figures over all incidents (trends, medians, closure) as JSON, CSV or Markdown.
    Stats(stats::StatsArgs),
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}

/// Where a command writes, and whether its messages may use colour.
pub struct Io<'a> {
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    /// Whether stderr is a terminal that takes colour.
    pub stderr_color: bool,
    /// `--config FILE`, when given (see [`pipeline::config`]).
    pub config: Option<std::path::PathBuf>,
}

/// Runs the program on the process's arguments and streams; returns the exit code.
pub fn main() -> u8 {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let auto = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    run(std::env::args_os(), auto, &mut out, &mut err)
}

/// `--config FILE` of the commands that read logs (`schema --config` is another flag).
fn config_of(command: &Command) -> Option<std::path::PathBuf> {
    let arg = match command {
        Command::Check(a) => &a.config,
        Command::Diff(a) => &a.config,
        Command::Log(a) => &a.config,
        Command::Report(a) => &a.config,
        Command::Build(a) => &a.config,
        Command::Export(a) => &a.config,
        Command::Actions(a) => &a.config,
        Command::Stats(a) => &a.config,
        Command::New(a) => &a.config,
        #[cfg(feature = "serve")]
        Command::Serve(a) => &a.config,
        Command::Import(a) => return a.output().config.clone(),
        _ => return None,
    };
    arg.config.clone()
}

/// Runs the program on `args`, writing to the given streams. `terminal_color` says whether
/// colour would be right for `--color auto`.
pub fn run(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    terminal_color: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::TROUBLE
            } else {
                exit::SUCCESS
            };
            let text = if terminal_color {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            let stream: &mut dyn Write = if e.use_stderr() { stderr } else { stdout };
            let _ = stream.write_all(text.as_bytes());
            return code;
        }
    };
    let stderr_color = match cli.color {
        Color::Auto => terminal_color,
        Color::Always => true,
        Color::Never => false,
    };
    let mut io = Io {
        stdout,
        stderr,
        stderr_color,
        config: config_of(&cli.command),
    };
    let code = match cli.command {
        Command::Check(args) => check::run(&args, &mut io),
        Command::Diff(args) => diff::run(&args, cli.color, &mut io),
        Command::Schema(args) => schema::run(&args, &mut io),
        Command::New(args) => new::run(&args, &mut io),
        Command::Log(args) => log::run(&args, &mut io),
        Command::Import(args) => import::run(&args, &mut io),
        Command::Completions(args) => completions::run(&args, &mut io),
        Command::Man(args) => completions::run_man(&args, &mut io),
        Command::Report(args) => report::run(&args, &mut io),
        Command::Templates(args) => templates::run(&args, &mut io),
        Command::Build(args) => build::run(&args, &mut io),
        Command::Export(args) => export::run(&args, &mut io),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(&args, &mut io),
        #[cfg(feature = "lsp")]
        Command::Lsp(args) => lsp::run(&args, &mut io),
        Command::Actions(args) => actions::run(&args, &mut io),
        Command::Stats(args) => stats::run(&args, &mut io),
    };
    let _ = io.stdout.flush();
    code
}
