//! `postevent schema`: print the JSON Schema of the log format.

use clap::Args;

use super::Io;
use crate::exit;

#[derive(Debug, Args)]
pub struct SchemaArgs {}

pub fn run(_args: &SchemaArgs, io: &mut Io) -> u8 {
    match io.stdout.write_all(crate::schema::json_schema().as_bytes()) {
        Ok(()) => exit::SUCCESS,
        Err(_) => exit::TROUBLE,
    }
}
