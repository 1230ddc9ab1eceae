//! Turns a serde-saphyr error into one of our diagnostics, with a code, a located label and a
//! hint (a "did you mean" for a misspelt field).

use std::ops::Range;

use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Error, MessageFormatter, UserMessageFormatter};

use super::{Limits, span_of};
use crate::diagnostics::{Code, Diagnostic, did_you_mean, one_of};
use crate::source::Source;

/// The diagnostic for a YAML or shape error.
pub fn from_yaml_error(source: &Source, error: &Error, limits: Limits) -> Diagnostic {
    let error = innermost(error);
    let message = UserMessageFormatter.format_message(error).into_owned();
    let span = error
        .location()
        .filter(|location| location.line() > 0)
        .map(|location| span_of(source, &location));
    let diagnostic = match error {
        Error::SerdeUnknownField {
            field, expected, ..
        } => unknown_field(field, expected, span.clone()),
        Error::SerdeMissingField { field, .. } => {
            Diagnostic::new(Code::MissingField, format!("missing required field `{field}`"))
                .hint(format!("add `{field}:` to this map"))
        }
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => Diagnostic::new(
            Code::WrongType,
            format!("expected {expected}, found {unexpected}"),
        )
        .hint(type_hint(expected)),
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => Diagnostic::new(Code::InvalidValue, format!("invalid value `{variant}`"))
            .hint(format!("use {}", one_of(expected))),
        Error::InvalidScalar { ty, .. } => {
            Diagnostic::new(Code::WrongType, format!("expected {}", article(ty)))
                .hint(type_hint(ty))
        }
        Error::InvalidBooleanStrict { .. } => {
            Diagnostic::new(Code::WrongType, "expected `true` or `false`").hint(type_hint("bool"))
        }
        Error::NullIntoString { .. } => {
            Diagnostic::new(Code::WrongType, "expected text, found nothing")
                .hint("write a value after the colon, or remove the key")
        }
        Error::Budget { breach, .. } => limit_exceeded(budget_what(breach), limits),
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => {
            limit_exceeded(Breach::Aliases, limits)
        }
        // The parser's own cap on `[[[...]]]` nesting, reported as text only.
        Error::ExternalMessage { msg, .. } if msg == "recursion limit exceeded" => {
            limit_exceeded(Breach::Depth, limits)
        }
        Error::DuplicateMappingKey { key, .. } => Diagnostic::new(
            Code::YamlSyntax,
            match key {
                Some(k) => format!("duplicate key `{k}`"),
                None => "duplicate key".to_owned(),
            },
        )
        .hint("each key may appear once in a map; merge the two entries"),
        Error::MultipleDocuments { .. } => {
            Diagnostic::new(Code::YamlSyntax, "more than one YAML document in this file")
                .hint("put one incident per file; remove the `---` separator")
        }
        Error::Eof { .. } => Diagnostic::new(Code::YamlSyntax, "the file is empty")
            .hint("start with `title:`, `severity:` and a `timeline:`; `postevent new` writes one"),
        _ => Diagnostic::new(Code::YamlSyntax, message)
            .hint("check the indentation and quoting on this line; quote text that contains `: ` or starts with `*`, `&`, `!` or `#`"),
    };
    let label = match diagnostic.code {
        Code::UnknownField => "unknown field",
        Code::MissingField => "in this map",
        Code::WrongType => "wrong type",
        Code::InvalidValue => "invalid value",
        Code::LimitExceeded => "limit reached here",
        _ => "here",
    };
    match span {
        Some(span) => diagnostic.at(span, label),
        None => diagnostic,
    }
}

/// The deepest nesting of lists and maps the parser accepts (serde-saphyr's default depth
/// budget; its flow-collection cap is 255). The format itself nests five levels at most.
pub const MAX_DEPTH: usize = 64;

/// The most aliases (and, separately, anchors) a log may use: serde-saphyr's default, fixed.
pub const MAX_ALIASES: usize = 50_000;

/// Which limit a log went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Breach {
    Events,
    Nodes,
    Aliases,
    Depth,
    ScalarBytes,
    Other,
}

/// The diagnostic for a log over a limit: what, the limit, and the flag that raises it.
fn limit_exceeded(breach: Breach, limits: Limits) -> Diagnostic {
    let events = format!(
        "the limit is {} YAML events (every key, value and list item counts); raise it with `--max-yaml-events N` if this log is real",
        limits.max_yaml_events
    );
    let (what, hint) = match breach {
        Breach::Events => ("it holds more YAML events than the limit", events),
        Breach::Nodes => ("it holds more YAML nodes than the limit", events),
        Breach::Aliases => (
            "its anchors and aliases expand to too much",
            format!(
                "the limits are {MAX_ALIASES} aliases and anchors, and {} YAML events once aliases are replayed (`--max-yaml-events N`); write the values out instead of repeating `*alias`",
                limits.max_yaml_events
            ),
        ),
        Breach::Depth => (
            "it nests lists and maps too deeply",
            format!(
                "the limit is {MAX_DEPTH} levels (255 for `[...]`), and no flag raises it: a log nests five levels at most"
            ),
        ),
        Breach::ScalarBytes => (
            "its text values are larger than the limit",
            format!(
                "the limit is {} bytes of text in all; raise it with `--max-file-bytes BYTES` if this log is real",
                limits.max_file_bytes
            ),
        ),
        Breach::Other => ("it goes over a parser limit", events),
    };
    Diagnostic::new(Code::LimitExceeded, format!("the log is too large: {what}")).hint(hint)
}

/// Which budget a log went over.
fn budget_what(breach: &BudgetBreach) -> Breach {
    match breach {
        BudgetBreach::Events { .. } => Breach::Events,
        BudgetBreach::Nodes { .. } => Breach::Nodes,
        BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => Breach::Aliases,
        BudgetBreach::Depth { .. } => Breach::Depth,
        BudgetBreach::ScalarBytes { .. } => Breach::ScalarBytes,
        _ => Breach::Other,
    }
}

/// The error inside any snippet or alias wrapper.
fn innermost(error: &Error) -> &Error {
    match error.without_snippet() {
        Error::AliasError { error, .. } => innermost(error),
        other => other,
    }
}

/// An unknown field; a close field name is also a suggestion for the key at `span`.
pub(super) fn unknown_field(
    field: &str,
    expected: &[&str],
    span: Option<Range<usize>>,
) -> Diagnostic {
    let close = did_you_mean(field, expected.iter().copied());
    let hint = match close {
        Some(close) => format!("did you mean `{close}`?"),
        None if expected.is_empty() => "remove it".to_owned(),
        None => format!("fields here are {}", one_of(expected)),
    };
    let diagnostic =
        Diagnostic::new(Code::UnknownField, format!("unknown field `{field}`")).hint(hint);
    match span {
        Some(span) => diagnostic.suggest(span, close),
        None => diagnostic,
    }
}

/// "a boolean", "an integer".
fn article(noun: &str) -> String {
    let an = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {noun}", if an { "an" } else { "a" })
}

pub(super) fn type_hint(expected: &str) -> String {
    if expected.contains("sequence") || expected.starts_with("a list") {
        "write a list: one `- item` per line, or `[a, b]`".to_owned()
    } else if expected.contains("map") || expected.contains("struct") {
        "write a map of `key: value` lines, indented under this key".to_owned()
    } else if expected.contains("bool") {
        "write `true` or `false`".to_owned()
    } else {
        "quote the value to make it text".to_owned()
    }
}
