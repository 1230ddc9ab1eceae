//! postevent turns incident logs written in YAML into typed timelines, and timelines into the
//! documents an organisation publishes after an outage.
//!
//! The data flows one way: a [`source::Source`] is read, [`parse`] mirrors its YAML in raw
//! types with spans, [`validate`] checks every rule and builds the [`model::Incident`] (or a
//! list of [`diagnostics::Diagnostic`]s), [`metrics`] computes what reports show, and [`redact`] decides what an audience sees. The
//! binary in `src/main.rs` and the [`cli`] module are a thin layer over this library.

pub mod authoring;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod diff;
pub mod escape;
pub mod exit;
pub mod git;
pub mod import;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod metrics;
pub mod model;
pub mod output;
pub mod parse;
pub mod redact;
pub mod render;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
pub mod source;
pub mod time;
pub mod validate;
