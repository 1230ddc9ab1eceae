//! Completion: what may be written at the cursor. Keyword values come from the model's own
//! lists (`Severity::NAMES`, `Phase::NAMES`, ...), keys from the JSON Schema that is generated
//! from the raw types, and service names from the log's `services:`.

use std::ops::Range;

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, Position, TextEdit};
use serde_json::Value;

use super::document::Document;
use super::outline::{Kind, Node, Outline, Part, Step};
use super::symbols;
use crate::metrics::PhaseMetrics;
use crate::model::{ActionKind, ActionStatus, Phase, ServiceStatus, Severity, Status};

/// The completions at `at`, each replacing the word being typed.
pub fn complete(doc: &Document, at: Position) -> Vec<CompletionItem> {
    let text = doc.source.text();
    let offset = doc.offset(at);
    let outline = doc.outline();
    let Some(spot) = outline.locate(text, offset) else {
        // An empty log: its first key.
        if text.trim().is_empty() {
            let range = doc.range(&(offset..offset));
            return items(keys(outline, &[], true), range);
        }
        return Vec::new();
    };
    let path = spot.path.as_slice();
    let (want, replace) = match spot.part {
        Part::Key(key) => (
            Want::Keys {
                map: &path[..path.len() - 1],
                colon: false,
            },
            key.span.clone(),
        ),
        Part::NewKey => (
            Want::Keys {
                map: path,
                colon: true,
            },
            typed_key(text, offset),
        ),
        // A word where a map is expected starts its first key (`status:` then `Dyn` below).
        Part::Value(value) if is_map(path) && !value.is_empty_scalar() => (
            Want::Keys {
                map: path,
                colon: true,
            },
            value.span.clone(),
        ),
        // `- ` on a new line of the timeline or of `action_items:` starts an item's first key.
        Part::Value(value) if matches!(path.last(), Some(Step::Index(_))) => (
            Want::Keys {
                map: path,
                colon: true,
            },
            empty_or(value, offset),
        ),
        Part::Value(value) => (Want::Value(path), empty_or(value, offset)),
        Part::Between => return Vec::new(),
    };
    let range = doc.range(&replace);
    let found = match want {
        Want::Keys { map, colon } => keys(outline, map, colon),
        Want::Value(path) => values(path),
    };
    items(found, range)
}

/// The items for the client, in our order, each replacing `range`.
fn items(found: Vec<Item>, range: lsp_types::Range) -> Vec<CompletionItem> {
    found
        .into_iter()
        .enumerate()
        .map(|(i, item)| CompletionItem {
            label: item.label.clone(),
            kind: Some(item.kind),
            detail: item.detail,
            sort_text: Some(format!("{i:04}")),
            filter_text: Some(item.label),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, item.insert))),
            ..CompletionItem::default()
        })
        .collect()
}

enum Want<'p, 'a> {
    /// Keys of the map at this path; `colon` when the key is new and needs its `: `.
    Keys { map: &'p [Step<'a>], colon: bool },
    /// The value at this path.
    Value(&'p [Step<'a>]),
}

struct Item {
    label: String,
    insert: String,
    kind: CompletionItemKind,
    detail: Option<String>,
}

/// The keys the map at `path` may take and does not have yet.
fn keys(outline: &Outline, path: &[Step], colon: bool) -> Vec<Item> {
    let present: Vec<&str> = node_at(outline, path)
        .map(|node| match &node.kind {
            Kind::Map(m) => m.entries.iter().filter_map(|(k, _)| k.scalar()).collect(),
            _ => Vec::new(),
        })
        .unwrap_or_default();
    let suffix = if colon { ": " } else { "" };
    let candidates: Vec<(String, Option<String>, CompletionItemKind)> = if is_status_map(path) {
        symbols::services(outline)
            .into_iter()
            .map(|s| {
                let detail = s.description.map(str::to_owned);
                (s.name.to_owned(), detail, CompletionItemKind::VALUE)
            })
            .collect()
    } else {
        schema_keys(path)
            .into_iter()
            .map(|(k, d)| (k, d, CompletionItemKind::FIELD))
            .collect()
    };
    candidates
        .into_iter()
        .filter(|(name, ..)| !present.iter().any(|p| p.trim() == name))
        .map(|(label, detail, kind)| Item {
            insert: format!("{label}{suffix}"),
            label,
            kind,
            detail,
        })
        .collect()
}

/// What a keyword means where its name alone does not say.
type Detail = fn(&str) -> Option<String>;

/// The values a keyword field takes, in the model's order.
fn values(path: &[Step]) -> Vec<Item> {
    use Step::{Index, Key};
    let none: Detail = |_| None;
    let (names, detail): (&[&str], Detail) = match path {
        [Key("severity")] => (Severity::NAMES, none),
        [Key("status")] => (Status::NAMES, none),
        [Key("timeline"), Index(_), Key("phase")] => (Phase::NAMES, phase_detail),
        [Key("timeline"), Index(_), Key("status"), Key(_)] => (ServiceStatus::NAMES, |s| {
            ServiceStatus::parse(s).map(|s| s.label().to_owned())
        }),
        [Key("action_items"), Index(_), Key("kind")] => (ActionKind::NAMES, none),
        [Key("action_items"), Index(_), Key("status")] => (ActionStatus::NAMES, none),
        [Key("timezone")] => {
            return chrono_tz::TZ_VARIANTS
                .iter()
                .map(|tz| keyword(tz.name(), None))
                .collect();
        }
        _ => return Vec::new(),
    };
    names.iter().map(|n| keyword(n, detail(n))).collect()
}

fn keyword(name: &str, detail: Option<String>) -> Item {
    Item {
        label: name.to_owned(),
        insert: name.to_owned(),
        kind: CompletionItemKind::ENUM_MEMBER,
        detail,
    }
}

/// "ends time to detect" for `detected`; "starts every metric" for `started`.
fn phase_detail(name: &str) -> Option<String> {
    let phase = Phase::parse(name)?;
    if phase == Phase::Started {
        return Some("every metric counts from here".to_owned());
    }
    let metric = PhaseMetrics::default()
        .all()
        .into_iter()
        .find(|m| m.phase == phase)?;
    Some(format!("ends {}", metric.label.to_lowercase()))
}

fn is_status_map(path: &[Step]) -> bool {
    use Step::{Index, Key};
    matches!(path, [Key("timeline"), Index(_), Key("status")])
}

/// Whether the format expects a map at `path`.
fn is_map(path: &[Step]) -> bool {
    is_status_map(path) || !schema_keys(path).is_empty()
}

/// The replacement range for a value: the scalar, or the cursor for an empty one.
fn empty_or(value: &Node, offset: usize) -> Range<usize> {
    if value.is_empty_scalar() {
        offset..offset
    } else {
        value.span.clone()
    }
}

/// The key being typed on the cursor's line (after its indentation and any `- `), which the
/// parser may not have read as a node yet.
fn typed_key(text: &str, offset: usize) -> Range<usize> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let word = before.trim_start_matches([' ', '-']);
    if word.contains([':', '#', '{', '[']) {
        return offset..offset;
    }
    offset - word.len()..offset
}

fn node_at<'a>(outline: &'a Outline, path: &[Step]) -> Option<&'a Node> {
    let mut node = outline.root()?;
    for step in path {
        node = match step {
            Step::Key(key) => node.get(key)?,
            Step::Index(i) => node.items().get(*i)?,
        };
    }
    Some(node)
}

/// The schema, generated once.
fn schema() -> &'static Value {
    crate::schema::value()
}

/// The keys the schema allows in the map at `path`, with their descriptions.
fn schema_keys(path: &[Step]) -> Vec<(String, Option<String>)> {
    let root = schema();
    let mut nodes = crate::schema::resolve(root, root);
    for step in path {
        nodes = nodes
            .into_iter()
            .filter_map(|node| match step {
                Step::Key(key) => node.get("properties")?.get(*key),
                Step::Index(_) => node.get("items"),
            })
            .flat_map(|node| crate::schema::resolve(root, node))
            .collect();
    }
    let mut keys: Vec<(String, Option<String>)> = Vec::new();
    for node in nodes {
        let Some(Value::Object(properties)) = node.get("properties") else {
            continue;
        };
        for (key, property) in properties {
            if keys.iter().all(|(k, _)| k != key) {
                let description = property
                    .get("description")
                    .and_then(Value::as_str)
                    .map(|d| d.replace('\n', " "));
                keys.push((key.clone(), description));
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(path: &[Step]) -> Vec<String> {
        schema_keys(path).into_iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn schema_keys_follow_refs_and_variants() {
        use Step::{Index, Key};
        let top = labels(&[]);
        assert!(top.iter().any(|k| k == "timeline") && top.iter().any(|k| k == "severity"));
        let mut event = labels(&[Key("timeline"), Index(0)]);
        event.sort();
        assert_eq!(
            event,
            [
                "approximate",
                "at",
                "id",
                "internal",
                "measures",
                "milestone",
                "phase",
                "severity",
                "status",
                "text",
                "update"
            ]
        );
        let mut service = labels(&[Key("services"), Index(3)]);
        service.sort();
        assert_eq!(service, ["description", "internal", "name"]);
        assert!(labels(&[Key("severity")]).is_empty());
    }

    /// The labels offered at the `|` of `marked`.
    fn complete_at(marked: &str) -> Vec<String> {
        let offset = marked.find('|').unwrap();
        let text = marked.replacen('|', "", 1);
        let uri = "file:///x/incidents/a.yaml".parse().unwrap();
        let doc = Document::new(uri, 1, text, crate::parse::Limits::default());
        let at = super::super::position::position(&doc.source, offset);
        complete(&doc, at).into_iter().map(|i| i.label).collect()
    }

    #[test]
    fn keys_come_from_the_schema_less_those_written() {
        let empty = complete_at("|");
        assert!(empty.iter().any(|k| k == "title") && empty.iter().any(|k| k == "timeline"));
        let top = complete_at("title: x\nti|");
        assert!(top.iter().any(|k| k == "timeline") && !top.iter().any(|k| k == "title"));
        let event = complete_at("timeline:\n  - at: 1\n    te|");
        assert!(event.iter().any(|k| k == "text") && !event.iter().any(|k| k == "at"));
        assert!(event.iter().all(|k| k != "title"), "{event:?}");
    }

    #[test]
    fn keyword_values_are_the_model_lists() {
        use Step::{Index, Key};
        let names =
            |path: &[Step]| -> Vec<String> { values(path).into_iter().map(|i| i.label).collect() };
        assert_eq!(names(&[Key("severity")]), Severity::NAMES);
        assert_eq!(
            names(&[Key("timeline"), Index(2), Key("phase")]),
            Phase::NAMES
        );
        assert_eq!(
            names(&[Key("timeline"), Index(0), Key("status"), Key("EC2")]),
            ServiceStatus::NAMES
        );
        assert_eq!(
            names(&[Key("action_items"), Index(0), Key("status")]),
            ActionStatus::NAMES
        );
        assert!(names(&[Key("title")]).is_empty());
        assert!(
            names(&[Key("timezone")])
                .iter()
                .any(|z| z == "Europe/Berlin")
        );
        assert_eq!(
            phase_detail("detected").as_deref(),
            Some("ends time to detect")
        );
    }
}
