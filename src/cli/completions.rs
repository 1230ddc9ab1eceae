//! `postevent completions` and `postevent man`: shell completion scripts (clap_complete) and
//! the roff manual page (clap_mangen), both generated from the same clap definitions.

use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::Shell;

use super::{Cli, Io};
use crate::exit;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: ShellArg,
}

/// The shells clap_complete writes scripts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

impl ShellArg {
    fn shell(self) -> Shell {
        match self {
            ShellArg::Bash => Shell::Bash,
            ShellArg::Zsh => Shell::Zsh,
            ShellArg::Fish => Shell::Fish,
            ShellArg::Powershell => Shell::PowerShell,
            ShellArg::Elvish => Shell::Elvish,
        }
    }
}

pub fn run(args: &CompletionsArgs, io: &mut Io) -> u8 {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell.shell(), &mut command, "postevent", &mut script);
    write_out(io, &script)
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The page of one subcommand (e.g. `log`), instead of the main page.
    pub command: Option<String>,
}

pub fn run_man(args: &ManArgs, io: &mut Io) -> u8 {
    let mut command = Cli::command();
    command.build();
    let page = match &args.command {
        None => command,
        Some(name) => match command.find_subcommand(name) {
            Some(sub) => sub
                .clone()
                .display_name(format!("postevent-{name}"))
                .version(env!("CARGO_PKG_VERSION")),
            None => {
                let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                let _ = writeln!(
                    io.stderr,
                    "error: no command `{name}`\n  hint: one of: {}",
                    names.join(", ")
                );
                return exit::TROUBLE;
            }
        },
    };
    let mut roff = Vec::new();
    match clap_mangen::Man::new(page).render(&mut roff) {
        Ok(()) => write_out(io, &roff),
        Err(e) => {
            let _ = writeln!(io.stderr, "error: cannot render the manual page: {e}");
            exit::TROUBLE
        }
    }
}

fn write_out(io: &mut Io, bytes: &[u8]) -> u8 {
    match io.stdout.write_all(bytes) {
        Ok(()) => exit::SUCCESS,
        Err(_) => exit::TROUBLE,
    }
}
