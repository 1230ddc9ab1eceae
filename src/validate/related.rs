//! `related:`, the incidents a log recurs with: each id checked on its own (a valid id, not
//! the log's own, each once: W020 for its own), and, when `check` reads a folder, against the
//! ids of every log in it (E035).

use std::collections::BTreeSet;
use std::ops::Range;

use super::Validator;
use crate::diagnostics::{Code, Diagnostic, closest};
use crate::parse::SpannedStr;

/// Each related id of a log with the span it was written at.
pub type RelatedSpans = Vec<(String, Range<usize>)>;

impl Validator<'_> {
    /// The valid ids of `related`, each once and never `own`, with their spans kept in
    /// [`super::Checked::related_spans`].
    pub(super) fn related(&mut self, related: &[SpannedStr], own: Option<&str>) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for r in related {
            let Some(id) = self.id(r, "related incident id") else {
                continue;
            };
            if Some(id.as_str()) == own {
                let span = self.span(r);
                self.push(
                    Diagnostic::new(
                        Code::RelatedToItself,
                        format!("the incident `{id}` lists itself as related"),
                    )
                    .at(span, "its own id")
                    .hint("`related:` names other incidents; remove this one"),
                );
                continue;
            }
            if !ids.contains(&id) {
                self.related_spans.push((id.clone(), self.span(r)));
                ids.push(id);
            }
        }
        ids
    }
}

/// E035 for each `related:` id of a log (its [`super::Checked::related_spans`]) that is not among
/// `known` (the ids of every log checked with it), with the closest known ids as a hint.
pub fn unknown(
    related_spans: &[(String, Range<usize>)],
    known: &BTreeSet<String>,
) -> Vec<Diagnostic> {
    related_spans
        .iter()
        .filter(|(id, _)| !known.contains(id))
        .map(|(id, span)| {
            let near = closest(id, known.iter().map(String::as_str), 3);
            let hint = if near.is_empty() {
                "check the id (a log's `id:`, else its file name), or check the folder that holds that log too".to_owned()
            } else {
                let shown: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
                format!("did you mean {}?", shown.join(" or "))
            };
            Diagnostic::new(
                Code::UnknownRelated,
                format!("no log checked here has the id `{id}`"),
            )
            .at(span.clone(), "not found")
            .hint(hint)
        })
        .collect()
}
