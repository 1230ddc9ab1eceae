//! The diff as JSON for scripts. A contract: fields are added, never renamed. Events carry
//! the same fields as the report JSON's timeline; instants are RFC 3339 UTC with `Z`,
//! `at_local` has the offset of that side's zone, durations are whole seconds.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::DisplayOptions;
use crate::diff::{
    ACTION_FIELDS, ActionItemDiff, Change, EventDiff, FieldChange, FieldValue, IncidentDiff,
    Summary, WordSpan,
};
use crate::model::{ActionItem, Event, Phase, ServiceStatus};

/// Bumped only when a field changes meaning; new fields do not bump it.
const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonDiff<'a> {
    format_version: u32,
    equal: bool,
    files: JsonFiles<'a>,
    summary: JsonSummary,
    events: Vec<JsonEventChange<'a>>,
    metrics: Vec<JsonMetric>,
    services: Vec<JsonService<'a>>,
    fields: Vec<JsonField<'a>>,
    action_items: Vec<JsonActionChange<'a>>,
}

#[derive(Serialize)]
struct JsonFiles<'a> {
    old: &'a str,
    new: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    added: usize,
    removed: usize,
    changed: usize,
    unchanged: usize,
}

impl From<Summary> for JsonSummary {
    fn from(s: Summary) -> Self {
        JsonSummary {
            added: s.added,
            removed: s.removed,
            changed: s.changed,
            unchanged: s.unchanged,
        }
    }
}

/// An event as the report JSON shows it.
#[derive(Serialize)]
struct JsonEvent<'a> {
    id: Option<&'a str>,
    at: String,
    at_local: String,
    phase: Option<Phase>,
    status: BTreeMap<&'a str, ServiceStatus>,
    text: &'a str,
    internal: bool,
    /// Measure key -> value, when the event has measures.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    measures: BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
struct JsonEventChange<'a> {
    change: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    old_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    old: Option<JsonEvent<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<JsonEvent<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    matched_by: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shift_s: Option<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    status_changes: Vec<JsonStatusChange<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_diff: Option<Vec<JsonWord<'a>>>,
}

#[derive(Serialize)]
struct JsonStatusChange<'a> {
    service: &'a str,
    old: Option<ServiceStatus>,
    new: Option<ServiceStatus>,
}

#[derive(Serialize)]
struct JsonWord<'a> {
    op: &'static str,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonMetric {
    name: String,
    old: Option<i64>,
    new: Option<i64>,
    delta_s: Option<i64>,
}

#[derive(Serialize)]
struct JsonService<'a> {
    name: &'a str,
    old_impact_s: Option<i64>,
    new_impact_s: Option<i64>,
    delta_s: i64,
}

#[derive(Serialize)]
#[serde(untagged)]
enum JsonValue<'a> {
    Text(&'a str),
    List(&'a [String]),
}

#[derive(Serialize)]
struct JsonField<'a> {
    path: &'a str,
    old: Option<JsonValue<'a>>,
    new: Option<JsonValue<'a>>,
}

#[derive(Serialize)]
struct JsonActionItem<'a> {
    id: Option<&'a str>,
    title: &'a str,
    kind: &'static str,
    owner: Option<&'a str>,
    due: Option<String>,
    status: &'static str,
    link: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonActionChange<'a> {
    change: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    old_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    old: Option<JsonActionItem<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<JsonActionItem<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    matched_by: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<&'static str>,
}

fn utc(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn local(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn seconds(d: TimeDelta) -> i64 {
    d.num_seconds()
}

fn event(e: &Event, zone: Tz) -> JsonEvent<'_> {
    JsonEvent {
        id: e.id.as_deref(),
        at: utc(e.at),
        at_local: local(e.at, zone),
        phase: e.phase,
        status: e.status.iter().map(|(n, s)| (n.as_str(), *s)).collect(),
        text: &e.text,
        internal: e.internal,
        measures: e
            .measures
            .iter()
            .map(|m| (m.key(), crate::render::view::PointView::number(m.value)))
            .collect(),
    }
}

fn words(spans: &[WordSpan]) -> Vec<JsonWord<'_>> {
    spans
        .iter()
        .map(|s| JsonWord {
            op: s.op.as_str(),
            text: &s.text,
        })
        .collect()
}

fn event_change<'a>(e: &'a EventDiff, diff: &IncidentDiff) -> JsonEventChange<'a> {
    JsonEventChange {
        change: e.change.as_str(),
        old_id: e.old.as_ref().and_then(|x| x.id.as_deref()),
        new_id: e.new.as_ref().and_then(|x| x.id.as_deref()),
        old: e.old.as_ref().map(|x| event(x, diff.old_zone)),
        new: e.new.as_ref().map(|x| event(x, diff.new_zone)),
        matched_by: e.matched_by.map(|m| m.as_str()),
        shift_s: e.shift.map(seconds),
        fields: e.fields.iter().map(|f| f.as_str()).collect(),
        status_changes: e
            .status
            .iter()
            .map(|c| JsonStatusChange {
                service: &c.service,
                old: c.old,
                new: c.new,
            })
            .collect(),
        text_diff: e.text.as_deref().map(words),
    }
}

fn value(v: &FieldValue) -> Option<JsonValue<'_>> {
    match v {
        FieldValue::Absent => None,
        FieldValue::Text(t) => Some(JsonValue::Text(t)),
        FieldValue::List(items) => Some(JsonValue::List(items)),
    }
}

fn field(f: &FieldChange) -> JsonField<'_> {
    JsonField {
        path: &f.path,
        old: value(&f.old),
        new: value(&f.new),
    }
}

fn action_item(a: &ActionItem) -> JsonActionItem<'_> {
    JsonActionItem {
        id: a.id.as_deref(),
        title: &a.title,
        kind: a.kind.as_str(),
        owner: a.owner.as_deref(),
        due: a.due.map(|d| d.to_string()),
        status: a.status.as_str(),
        link: a.link.as_deref(),
    }
}

fn action_change(a: &ActionItemDiff) -> JsonActionChange<'_> {
    debug_assert!(a.fields.iter().all(|f| ACTION_FIELDS.contains(f)));
    JsonActionChange {
        change: a.change.as_str(),
        old_id: a.old.as_ref().and_then(|x| x.id.as_deref()),
        new_id: a.new.as_ref().and_then(|x| x.id.as_deref()),
        old: a.old.as_ref().map(action_item),
        new: a.new.as_ref().map(action_item),
        matched_by: a.matched_by.map(|m| m.as_str()),
        fields: a.fields.clone(),
    }
}

/// The diff as pretty-printed JSON, ending in a newline. Unchanged events and action items
/// are listed only with `all` (the summary counts them either way).
pub fn json(diff: &IncidentDiff, options: &DisplayOptions) -> String {
    let mut text = serde_json::to_string_pretty(&document(diff, options)).unwrap_or_default();
    text.push('\n');
    text
}

/// The same document, for embedding (`diff --changed` lists one per log).
pub fn document<'a>(diff: &'a IncidentDiff, options: &'a DisplayOptions) -> impl Serialize + 'a {
    let keep = |c: Change| options.all || c != Change::Unchanged;
    JsonDiff {
        format_version: FORMAT_VERSION,
        equal: diff.is_equal(),
        files: JsonFiles {
            old: &options.old_name,
            new: &options.new_name,
        },
        summary: diff.summary().into(),
        events: diff
            .events
            .iter()
            .filter(|e| keep(e.change))
            .map(|e| event_change(e, diff))
            .collect(),
        metrics: diff
            .metrics
            .iter()
            .map(|m| JsonMetric {
                name: format!("{}_s", m.key),
                old: m.old.map(seconds),
                new: m.new.map(seconds),
                delta_s: m.delta().map(seconds),
            })
            .collect(),
        services: diff
            .services
            .iter()
            .map(|s| JsonService {
                name: &s.name,
                old_impact_s: s.old.map(seconds),
                new_impact_s: s.new.map(seconds),
                delta_s: seconds(s.delta()),
            })
            .collect(),
        fields: diff.fields.iter().map(field).collect(),
        action_items: diff
            .action_items
            .iter()
            .filter(|a| keep(a.change))
            .map(action_change)
            .collect(),
    }
}
