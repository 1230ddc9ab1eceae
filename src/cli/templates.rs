//! `postevent templates export DIR`: copy every default template (report and site) out for
//! editing.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Io;
use crate::exit;
use crate::output::write_atomic;
use crate::render::templates::DEFAULTS;

#[derive(Debug, Args)]
pub struct TemplatesArgs {
    #[command(subcommand)]
    pub command: TemplatesCommand,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write every default template (report and site) into DIR, to edit and use with
    /// `--templates DIR`.
    Export {
        /// The folder to write to (created if missing).
        dir: PathBuf,
        /// Replace files that already exist.
        #[arg(long)]
        force: bool,
    },
}

pub fn run(args: &TemplatesArgs, io: &mut Io) -> u8 {
    let TemplatesCommand::Export { dir, force } = &args.command;
    let existing: Vec<String> = DEFAULTS
        .iter()
        .map(|(name, _)| dir.join(name))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !force && !existing.is_empty() {
        let _ = writeln!(
            io.stderr,
            "error: would overwrite {}; pass --force to replace them",
            existing.join(", ")
        );
        return exit::TROUBLE;
    }
    for (name, text) in DEFAULTS {
        let path = dir.join(name);
        if let Err(e) = write_atomic(&path, text.as_bytes()) {
            let _ = writeln!(io.stderr, "error: cannot write `{}`: {e}", path.display());
            return exit::TROUBLE;
        }
        let _ = writeln!(io.stderr, "wrote {}", path.display());
    }
    exit::SUCCESS
}
