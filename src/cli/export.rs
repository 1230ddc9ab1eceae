//! `postevent export`: every incident log as Markdown for another docs generator.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::build::{log_files, template_dirs};
use super::check::LimitArgs;
use super::report::AudienceArg;
use super::{Io, inputs};
use crate::diagnostics::{RenderStyle, render_human};
use crate::exit;
use crate::render::Audience;
use crate::render::TemplateSet;
use crate::site::export::{self, Generator};
use crate::site::load::{self, Loaded};
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

    /// `internal` (post-mortems) or `public` (post-event summaries, nothing internal).
    #[arg(long, value_enum, default_value_t = AudienceArg::Internal)]
    pub audience: AudienceArg,

    /// A folder whose report templates override the defaults by name (after `./templates/`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    #[command(flatten)]
    pub limits: LimitArgs,
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
    match export_all(args, io) {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(io.stderr, "error: {message}");
            exit::TROUBLE
        }
    }
}

fn export_all(args: &ExportArgs, io: &mut Io) -> Result<u8, String> {
    let files = log_files(&args.paths)?;
    let dirs = template_dirs(args.templates.as_deref())?;
    let templates = TemplateSet::load(&dirs).map_err(|e| e.to_string())?;
    write::check_target(&args.output).map_err(|e| e.to_string())?;
    let limits = args.limits.limits();
    let read = move |p: &Path| inputs::read(p, limits.max_file_bytes).map_err(|e| e.reason);
    let loaded = load::load_all(&files, &read, limits, None, &args.output, &|| {});
    let style = RenderStyle {
        color: io.stderr_color,
        ..RenderStyle::default()
    };
    let mut incidents = Vec::new();
    let mut failed = 0;
    for l in loaded {
        match l {
            Loaded::Checked {
                source, checked, ..
            } => {
                let errors = checked.errors();
                for d in checked.diagnostics.iter().filter(|d| d.is_error()) {
                    let _ = write!(io.stderr, "{}", render_human(&source, d, style));
                }
                match checked.incident {
                    Some(incident) if errors == 0 => incidents.push(incident),
                    _ => failed += 1,
                }
            }
            Loaded::Unreadable { path, reason } => {
                let _ = writeln!(
                    io.stderr,
                    "error: cannot read `{}`: {reason}",
                    path.display()
                );
                failed += 1;
            }
            Loaded::Cached { .. } => {}
        }
    }
    let mut ids: Vec<&str> = incidents.iter().map(|i| i.id.as_str()).collect();
    ids.sort_unstable();
    if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
        let _ = writeln!(
            io.stderr,
            "error: two logs have the id `{}`\n  = hint: each incident needs its own id, since it names its page; run `postevent build` to see which",
            w[0]
        );
        failed += 1;
    }
    if failed > 0 {
        let _ = writeln!(
            io.stderr,
            "error: {failed} log(s) cannot be exported; `{}` was not changed",
            args.output.display()
        );
        return Ok(exit::FAILURE);
    }
    let generator = match args.to {
        GeneratorArg::Mdbook => Generator::MdBook,
        GeneratorArg::Mkdocs => Generator::MkDocs,
        GeneratorArg::Hugo => Generator::Hugo,
        GeneratorArg::Docusaurus => Generator::Docusaurus,
        GeneratorArg::Zola => Generator::Zola,
    };
    let audience = match args.audience {
        AudienceArg::Internal => Audience::Internal,
        AudienceArg::Public => Audience::Public,
    };
    let tree =
        export::export(&incidents, generator, audience, &templates).map_err(|e| e.to_string())?;
    write::replace(&args.output, &tree).map_err(|e| e.to_string())?;
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
