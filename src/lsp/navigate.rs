//! Go to definition (a service mention to its declaration) and quick fixes (the suggestions
//! of "did you mean" diagnostics).

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Location, Position,
    TextEdit, WorkspaceEdit,
};

use super::document::Document;
use super::position;
use super::symbols;

/// Where the service under the cursor is declared.
pub fn definition(doc: &Document, at: Position) -> Option<Location> {
    let offset = doc.offset(at);
    let outline = doc.outline();
    let spot = outline.locate(doc.source.text(), offset)?;
    let (name, _) = symbols::service_at(&spot)?;
    let declared = symbols::services(outline);
    let service = declared.iter().find(|s| s.name == name)?;
    Some(Location::new(
        doc.uri.clone(),
        doc.range(&service.node.span),
    ))
}

/// A quick fix for each suggestion of each diagnostic that touches the requested range.
pub fn code_actions(doc: &Document, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let quick_fix = CodeActionKind::QUICKFIX;
    let wanted = params.context.only.as_ref().is_none_or(|only| {
        only.iter()
            .any(|k| quick_fix.as_str().starts_with(k.as_str()))
    });
    if !wanted {
        return Vec::new();
    }
    let asked = position::span(&doc.source, params.range);
    let text = doc.source.text();
    let mut actions = Vec::new();
    for d in &doc.checked().diagnostics {
        let touches = d
            .span
            .as_ref()
            .is_some_and(|s| s.start <= asked.end && asked.start <= s.end);
        if !touches {
            continue;
        }
        for s in &d.suggestions {
            let written = text.get(s.span.clone()).unwrap_or_default();
            let edit = TextEdit::new(doc.range(&s.span), s.replacement.clone());
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Change `{written}` to `{}`", s.replacement),
                kind: Some(quick_fix.clone()),
                diagnostics: Some(vec![doc.to_lsp(d)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(doc.uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(d.suggestions.len() == 1),
                ..CodeAction::default()
            }));
        }
    }
    actions
}
