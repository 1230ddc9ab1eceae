//! `postevent lsp`: the language server, on standard input and output.

use clap::Args;

use super::Io;
use super::check::LimitArgs;
use crate::exit;
use crate::lsp::{self, Ending};

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Talk LSP on standard input and output (the only transport; accepted because some
    /// editors pass it).
    #[arg(long)]
    pub stdio: bool,

    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Serves the editor until it exits: status 0 after `shutdown` and `exit`, 1 otherwise, as
/// LSP asks.
pub fn run(args: &LspArgs, io: &mut Io) -> u8 {
    let ending = match lsp::run(std::io::stdin(), io.stdout, args.limits.limits()) {
        Ok(ending) => ending,
        Err(e) => {
            let _ = writeln!(io.stderr, "error: cannot start the language server: {e}");
            return exit::TROUBLE;
        }
    };
    let why = match &ending {
        _ if ending.is_clean() => return exit::SUCCESS,
        Ending::Exit { .. } => "`exit` came without `shutdown` first".to_owned(),
        Ending::Closed {
            broken: Some(why), ..
        } => format!("the editor's messages are not LSP: {why}"),
        Ending::Closed { .. } => "the editor closed the connection without `shutdown`".to_owned(),
        Ending::Unwritable => "the editor stopped reading the server's replies".to_owned(),
    };
    let _ = writeln!(io.stderr, "error: {why}");
    exit::FAILURE
}
