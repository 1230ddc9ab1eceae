//! The one integration-test binary: a module per area, sharing the CLI runner below.

mod authoring;
mod browser;
mod check;
mod diff;
mod docs;
mod hooks;
mod import;
mod kill;
mod leak;
mod learn;
mod limits;
#[cfg(feature = "lsp")]
mod lsp;
mod org;
mod paths;
mod properties;
mod regressions;
mod report;
mod schema;
#[cfg(feature = "serve")]
mod serve;
mod site;
mod xss;

use std::path::{Path, PathBuf};

/// The repository root, where `incidents/` and `tests/fixtures/` live.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(path: &str) -> PathBuf {
    root().join("tests/fixtures").join(path)
}

/// What one run of the CLI printed and returned.
#[derive(Debug)]
pub struct Output {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `postevent ARGS` in-process, from the repository root, without colour.
pub fn run(args: &[&str]) -> Output {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let argv = std::iter::once("postevent").chain(args.iter().copied());
    let code = postevent::cli::run(argv, false, &mut stdout, &mut stderr);
    Output {
        code,
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

impl Output {
    /// Asserts the exit code, showing both streams when it is wrong.
    #[track_caller]
    pub fn code(self, expected: u8) -> Self {
        assert_eq!(
            self.code, expected,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts that stderr contains every one of `words`.
    #[track_caller]
    pub fn stderr_has(self, words: &[&str]) -> Self {
        for w in words {
            assert!(
                self.stderr.contains(w),
                "stderr lacks {w:?}:\n{}",
                self.stderr
            );
        }
        self
    }

    /// Asserts that stdout contains every one of `words`.
    #[track_caller]
    pub fn stdout_has(self, words: &[&str]) -> Self {
        for w in words {
            assert!(
                self.stdout.contains(w),
                "stdout lacks {w:?}:\n{}",
                self.stdout
            );
        }
        self
    }
}
