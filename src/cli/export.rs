//! `postevent export`: every incident log as Markdown for another docs generator.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Io;
use super::build::template_dirs;
use super::check::LimitArgs;
use super::pipeline::{self, AudienceArg, CliError, TemplatesArg, log_files};
use crate::exit;
use crate::render::TemplateSet;
use crate::site::export::{self, Generator};
use crate::site::write;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The docs generator to write for.
    #[arg(long, value_enum)]
    pub to: GeneratorArg,

    /// Folders or files of incident logs (every *.yaml and *.yml inside, recursively; links
    /// inside a folder are not followed).
    #[arg(default_value = "incidents")]
    pub paths: Vec<PathBuf>,

    /// The folder to write (e.g. mdBook's `src/`, MkDocs' `docs/incidents/`, Hugo's or Zola's
    /// `content/incidents/`, Docusaurus' `docs/incidents/`). Replaced as a whole, so it must
    /// be new, empty, or an earlier export.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    #[command(flatten)]
    pub audience: AudienceArg,

    #[command(flatten)]
    pub templates: TemplatesArg,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub config: super::pipeline::ConfigArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GeneratorArg {
    Mdbook,
    Mkdocs,
    Hugo,
    Docusaurus,
    Zola,
}

pub fn run(args: &ExportArgs, io: &mut Io) -> u8 {
    let result = export_all(args, io);
    pipeline::finish(result, io)
}

fn export_all(args: &ExportArgs, io: &mut Io) -> Result<u8, CliError> {
    let files = log_files(&args.paths)?;
    let dirs = template_dirs(args.templates.templates.as_deref())?;
    let templates = TemplateSet::load(&dirs)?;
    write::check_target(&args.output)?;
    let limits = args.limits.limits();
    let config = pipeline::config(&args.paths[0], io)?;
    let audience = args.audience.audience;
    let incidents = match pipeline::load_all(&files, limits, &config, audience, io) {
        Ok(incidents) => incidents,
        Err(failed) => {
            let _ = writeln!(
                io.stderr,
                "error: {failed} log(s) cannot be exported; `{}` was not changed",
                args.output.display()
            );
            return Ok(exit::FAILURE);
        }
    };
    let generator = match args.to {
        GeneratorArg::Mdbook => Generator::MdBook,
        GeneratorArg::Mkdocs => Generator::MkDocs,
        GeneratorArg::Hugo => Generator::Hugo,
        GeneratorArg::Docusaurus => Generator::Docusaurus,
        GeneratorArg::Zola => Generator::Zola,
    };
    // `[site] title` names the export's index too.
    let title = config.site_title.as_deref().unwrap_or("Incidents");
    let tree = export::export(&incidents, generator, &templates, title)?;
    write::replace(&args.output, &tree)?;
    let _ = writeln!(
        io.stderr,
        "exported {} incident(s) for {} to {}/",
        incidents.len(),
        args.to
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_owned()),
        args.output.display()
    );
    Ok(exit::SUCCESS)
}
