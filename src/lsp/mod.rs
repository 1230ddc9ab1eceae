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
use crate::parse::outline;
mod position;
mod server;
mod symbols;
mod transport;

pub use server::{Ending, run};

#[cfg(test)]
mod tests {
    use lsp_types::{
        CodeActionContext, CodeActionParams, PartialResultParams, Position, Range,
        TextDocumentIdentifier, WorkDoneProgressParams,
    };
    use proptest::prelude::*;

    use super::document::Document;
    use super::*;
    use crate::parse::Limits;

    /// Pieces of YAML, log keys and characters of every UTF-8 and UTF-16 width.
    const PIECES: &[&str] = &[
        "a",
        "é",
        "😀",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\t",
        "- ",
        ": ",
        ":",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "'",
        "\"",
        "#",
        "|",
        ">",
        "? ",
        "---\n",
        "title",
        "status",
        "timeline",
        "services",
        "phase",
        "at",
        "2026-01-01 10:00",
        "started",
        "EC2",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Any text, any position (inside a character, past the end): every feature answers
        /// without panicking, and every range it returns lies in the text.
        #[test]
        fn every_feature_answers_any_text_at_any_position(
            pieces in prop::collection::vec(prop::sample::select(PIECES), 0..80),
        ) {
            let text: String = pieces.concat();
            let uri: lsp_types::Uri = "file:///x/incidents/a.yaml".parse().unwrap();
            let doc = Document::new(uri.clone(), 1, text.clone(), Limits::default());
            let lines = u32::try_from(text.lines().count()).unwrap() + 1;
            let diagnostics = doc.lsp_diagnostics();
            for line in 0..=lines {
                for character in 0..12 {
                    let at = Position::new(line, character);
                    let _ = hover::hover(&doc, at);
                    for item in completion::complete(&doc, at) {
                        let Some(lsp_types::CompletionTextEdit::Edit(edit)) = item.text_edit else {
                            panic!("an item without a text edit");
                        };
                        prop_assert!(edit.range.start <= edit.range.end);
                    }
                    let _ = navigate::definition(&doc, at);
                    let params = CodeActionParams {
                        text_document: TextDocumentIdentifier::new(uri.clone()),
                        range: Range::new(at, at),
                        context: CodeActionContext {
                            diagnostics: diagnostics.clone(),
                            ..CodeActionContext::default()
                        },
                        work_done_progress_params: WorkDoneProgressParams::default(),
                        partial_result_params: PartialResultParams::default(),
                    };
                    let _ = navigate::code_actions(&doc, &params);
                }
            }
        }

        /// Offsets and UTF-16 positions map onto each other at every character boundary.
        #[test]
        fn positions_round_trip(pieces in prop::collection::vec(prop::sample::select(PIECES), 0..80)) {
            let text: String = pieces.concat();
            let source = crate::source::Source::from_text("a.yaml", text.as_str());
            for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
                let at = position::position(&source, offset);
                let back = position::offset(&source, at);
                // Between `\r` and `\n` is past the end of the line, which LSP reads as its end.
                let inside_crlf = text[..offset].ends_with('\r') && text[offset..].starts_with('\n');
                let expected = if inside_crlf { offset - 1 } else { offset };
                prop_assert_eq!(back, expected, "offset {} at {:?}", offset, at);
            }
        }
    }
}
