//! `postevent schema`: print the JSON Schema of the log format, or of `postevent.toml`.

use clap::Args;

use super::Io;
use crate::exit;

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The schema of `postevent.toml` instead (for editors with a TOML language server, such
    /// as Taplo or Even Better TOML).
    #[arg(long)]
    pub config: bool,
}

pub fn run(args: &SchemaArgs, io: &mut Io) -> u8 {
    let schema = if args.config {
        crate::config::json_schema()
    } else {
        crate::schema::json_schema()
    };
    match io.stdout.write_all(schema.as_bytes()) {
        Ok(()) => exit::SUCCESS,
        Err(_) => exit::TROUBLE,
    }
}
