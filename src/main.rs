//! The `postevent` binary: all the work is in the library.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(postevent::cli::main())
}
