//! `postevent lsp`: a language server for incident logs (LSP 3.17 over stdio). It publishes
//! the diagnostics of `check` as the log is typed (from the same library call,
//! [`crate::validate::check`]), explains times, services and phases on hover, completes keys,
//! keywords and service names, jumps from a service to its declaration, and applies the
//! suggestions of "did you mean" hints as quick fixes.
//!
//! [`run`] serves one client over a pair of byte streams (the command line passes standard
//! input and output); it writes only LSP messages, and never exits the process.

mod completion;
mod document;
mod hover;
mod navigate;
mod outline;
mod position;
mod server;
mod symbols;
mod transport;

pub use server::{Ending, run};
