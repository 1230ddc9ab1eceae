//! Two versions of an incident -> what changed in meaning: which events were added, removed,
//! moved or reworded, how the top-level fields and action items changed, and what the edits
//! do to the metrics. The diff is data; [`display`] prints it. Nothing here reads files.

mod align;
pub mod display;
mod fields;
pub mod words;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::metrics::ServiceImpact;
use crate::model::{ActionItem, Event, Incident, Phase, ServiceStatus};
use crate::redact::Redacted;

pub use align::{MatchedBy, NEAR_HOURS, SIMILARITY_THRESHOLD};
pub use fields::{FieldChange, FieldValue, ItemOp};
pub use words::{WordOp, WordSpan};

/// What happened to one event or action item between the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Unchanged,
    Changed,
    Added,
    Removed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Unchanged => "unchanged",
            Change::Changed => "changed",
            Change::Added => "added",
            Change::Removed => "removed",
        }
    }
}

/// A part of an event that can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventField {
    Id,
    At,
    Phase,
    Status,
    Text,
    Internal,
    Milestone,
    Update,
    Severity,
    Measures,
    Region,
}

impl EventField {
    pub fn as_str(self) -> &'static str {
        match self {
            EventField::Id => "id",
            EventField::At => "at",
            EventField::Phase => "phase",
            EventField::Status => "status",
            EventField::Text => "text",
            EventField::Internal => "internal",
            EventField::Milestone => "milestone",
            EventField::Update => "update",
            EventField::Severity => "severity",
            EventField::Measures => "measures",
            EventField::Region => "region",
        }
    }
}

/// Each measure whose value differs between two versions of an event, by key: its old and
/// new value (`None`: not written on that side).
pub fn measure_changes(old: &Event, new: &Event) -> Vec<(String, Option<f64>, Option<f64>)> {
    let mut keys: std::collections::BTreeMap<String, (Option<f64>, Option<f64>)> =
        Default::default();
    for m in &old.measures {
        keys.entry(m.key()).or_default().0 = Some(m.value);
    }
    for m in &new.measures {
        keys.entry(m.key()).or_default().1 = Some(m.value);
    }
    keys.into_iter()
        .filter(|(_, (a, b))| a != b)
        .map(|(k, (a, b))| (k, a, b))
        .collect()
}

/// A measured value in a diff: `40`, `62.5`, or `(none)`.
pub fn measure_value(v: Option<f64>) -> String {
    v.map_or("(none)".to_owned(), crate::render::svg::number)
}

/// One service's status at an event, before and after (`None`: the event does not set it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub service: String,
    pub old: Option<ServiceStatus>,
    pub new: Option<ServiceStatus>,
}

/// One event of either side, with what changed when it is on both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDiff {
    pub change: Change,
    pub old: Option<Event>,
    pub new: Option<Event>,
    /// How the pair was found; `None` for added and removed events.
    pub matched_by: Option<MatchedBy>,
    /// The parts that differ, in [`EventField`] order.
    pub fields: Vec<EventField>,
    /// `new.at - old.at`, when the event moved.
    pub shift: Option<TimeDelta>,
    /// Per service, when the status map changed, sorted by service.
    pub status: Vec<StatusChange>,
    /// The word diff of the text, when it changed (paragraphs reflowed, see [`words::reflow`]).
    pub text: Option<Vec<WordSpan>>,
}

impl EventDiff {
    /// When the event happens: in the new version if it is there, else in the old.
    pub fn at(&self) -> DateTime<Utc> {
        self.new
            .as_ref()
            .or(self.old.as_ref())
            .map(|e| e.at)
            .unwrap_or_default()
    }

    /// The event's phase, new side first.
    pub fn phase(&self) -> Option<Phase> {
        self.new
            .as_ref()
            .and_then(|e| e.phase)
            .or(self.old.as_ref().and_then(|e| e.phase))
    }
}

/// One phase metric before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricDelta {
    /// `time_to_resolve`, or a custom metric's name.
    pub key: String,
    /// "Time to resolve"
    pub label: String,
    pub old: Option<TimeDelta>,
    pub new: Option<TimeDelta>,
}

impl MetricDelta {
    /// `new - old` when both exist.
    pub fn delta(&self) -> Option<TimeDelta> {
        Some(self.new? - self.old?)
    }

    pub fn changed(&self) -> bool {
        self.old != self.new
    }
}

/// One service's total impact before and after (`None`: not declared on that side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDelta {
    pub name: String,
    pub old: Option<TimeDelta>,
    pub new: Option<TimeDelta>,
}

impl ServiceDelta {
    /// `new - old`, counting an undeclared service as no impact.
    pub fn delta(&self) -> TimeDelta {
        self.new.unwrap_or_default() - self.old.unwrap_or_default()
    }

    pub fn changed(&self) -> bool {
        self.old != self.new
    }
}

/// A part of an action item that can change.
pub const ACTION_FIELDS: &[&str] = &["id", "title", "kind", "owner", "due", "status", "link"];

/// One action item of either side, with what changed when it is on both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItemDiff {
    pub change: Change,
    pub old: Option<ActionItem>,
    pub new: Option<ActionItem>,
    pub matched_by: Option<MatchedBy>,
    /// Names from [`ACTION_FIELDS`] that differ, in that order.
    pub fields: Vec<&'static str>,
    /// The word diff of the title, when it changed.
    pub title: Option<Vec<WordSpan>>,
}

/// Counts of events by what happened to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// Everything that differs between two versions of an incident.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentDiff {
    /// The display zones of each side (`at_local` is shown in them).
    pub old_zone: Tz,
    pub new_zone: Tz,
    /// Every event of both sides, unchanged ones included, in time order.
    pub events: Vec<EventDiff>,
    /// Every phase metric, in phase order.
    pub metrics: Vec<MetricDelta>,
    /// Every service of either side: the new side's order, then removed ones.
    pub services: Vec<ServiceDelta>,
    /// Every region of either side with its impact (from the first moment a service there
    /// was impaired to its recovery): the new side's order, then removed ones.
    pub regions: Vec<ServiceDelta>,
    /// The top-level fields that differ, in the order of the log format.
    pub fields: Vec<FieldChange>,
    /// Every action item of both sides: the new side's order, then removed ones.
    pub action_items: Vec<ActionItemDiff>,
}

impl IncidentDiff {
    /// True when nothing differs.
    pub fn is_equal(&self) -> bool {
        self.fields.is_empty()
            && self.events.iter().all(|e| e.change == Change::Unchanged)
            && self
                .action_items
                .iter()
                .all(|a| a.change == Change::Unchanged)
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for e in &self.events {
            match e.change {
                Change::Added => s.added += 1,
                Change::Removed => s.removed += 1,
                Change::Changed => s.changed += 1,
                Change::Unchanged => s.unchanged += 1,
            }
        }
        s
    }
}

/// Compares two versions of an incident, each redacted for the same audience: the diff
/// shows what that audience sees, with the metrics of the whole incidents.
pub fn diff(old: &Redacted, new: &Redacted) -> IncidentDiff {
    let (lhs, rhs) = (old.incident(), new.incident());
    IncidentDiff {
        old_zone: lhs.timezone,
        new_zone: rhs.timezone,
        events: events(lhs, rhs),
        metrics: metrics(old, new),
        services: services(old.impacts(), new.impacts()),
        regions: totals(&region_totals(old), &region_totals(new)),
        fields: fields::top_level(lhs, rhs),
        action_items: fields::action_items(lhs, rhs),
    }
}

fn event_item(e: &Event) -> align::Item<'_> {
    align::Item {
        id: e.id.as_deref(),
        text: &e.text,
        at: Some(e.at),
    }
}

/// Where an event goes in the output: (instant, new index or past the end, old index), which
/// keeps removed events where they stood.
type Place = (DateTime<Utc>, usize, usize);

/// Aligns the timelines and describes every event, in time order.
fn events(old: &Incident, new: &Incident) -> Vec<EventDiff> {
    let lhs: Vec<align::Item> = old.timeline.iter().map(event_item).collect();
    let rhs: Vec<align::Item> = new.timeline.iter().map(event_item).collect();
    let alignment = align::align(&lhs, &rhs);
    let mut out: Vec<(Place, EventDiff)> = Vec::new();
    for p in &alignment.pairs {
        let (a, b) = (&old.timeline[p.old], &new.timeline[p.new]);
        out.push(((b.at, p.new, p.old), compare_events(a, b, p.by)));
    }
    for &i in &alignment.removed {
        let a = &old.timeline[i];
        out.push((
            (a.at, usize::MAX, i),
            one_side(Change::Removed, Some(a), None),
        ));
    }
    for &j in &alignment.added {
        let b = &new.timeline[j];
        out.push((
            (b.at, j, usize::MAX),
            one_side(Change::Added, None, Some(b)),
        ));
    }
    out.sort_by_key(|(key, _)| *key);
    out.into_iter().map(|(_, e)| e).collect()
}

fn one_side(change: Change, old: Option<&Event>, new: Option<&Event>) -> EventDiff {
    EventDiff {
        change,
        old: old.cloned(),
        new: new.cloned(),
        matched_by: None,
        fields: Vec::new(),
        shift: None,
        status: Vec::new(),
        text: None,
    }
}

/// What differs between two paired events.
fn compare_events(a: &Event, b: &Event, by: MatchedBy) -> EventDiff {
    let mut fields = Vec::new();
    if a.id != b.id {
        fields.push(EventField::Id);
    }
    let shift = (a.at != b.at).then(|| b.at - a.at);
    if shift.is_some() {
        fields.push(EventField::At);
    }
    if a.phase != b.phase {
        fields.push(EventField::Phase);
    }
    let status = status_changes(a, b);
    if !status.is_empty() {
        fields.push(EventField::Status);
    }
    let text = if a.text == b.text {
        None
    } else {
        let (old_text, new_text) = (words::reflow(&a.text), words::reflow(&b.text));
        (old_text != new_text).then(|| words::word_diff(&old_text, &new_text))
    };
    if text.is_some() {
        fields.push(EventField::Text);
    }
    if a.internal != b.internal {
        fields.push(EventField::Internal);
    }
    if a.milestone != b.milestone {
        fields.push(EventField::Milestone);
    }
    if a.update != b.update {
        fields.push(EventField::Update);
    }
    if a.severity != b.severity {
        fields.push(EventField::Severity);
    }
    if a.measures != b.measures {
        fields.push(EventField::Measures);
    }
    if a.region != b.region {
        fields.push(EventField::Region);
    }
    EventDiff {
        change: if fields.is_empty() {
            Change::Unchanged
        } else {
            Change::Changed
        },
        old: Some(a.clone()),
        new: Some(b.clone()),
        matched_by: Some(by),
        fields,
        shift,
        status,
        text,
    }
}

/// The services whose status at this event differs, sorted by name.
fn status_changes(a: &Event, b: &Event) -> Vec<StatusChange> {
    let lookup = |e: &Event, name: &str| e.status.iter().find(|(n, _)| n == name).map(|s| s.1);
    let mut names: Vec<&str> = a
        .status
        .iter()
        .chain(&b.status)
        .map(|(n, _)| n.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let (old, new) = (lookup(a, name), lookup(b, name));
            (old != new).then(|| StatusChange {
                service: name.to_owned(),
                old,
                new,
            })
        })
        .collect()
}

/// The phase metrics, then the custom ones of the new side, then those only the old one has.
fn metrics(old: &Redacted, new: &Redacted) -> Vec<MetricDelta> {
    let (lhs, rhs) = (old.metrics().all(), new.metrics().all());
    let mut out: Vec<MetricDelta> = lhs
        .iter()
        .zip(rhs.iter())
        .map(|(a, b)| MetricDelta {
            key: a.key.to_owned(),
            label: a.label.to_owned(),
            old: a.value,
            new: b.value,
        })
        .collect();
    out.push(MetricDelta {
        key: "time_to_first_update".to_owned(),
        label: "Time to first update".to_owned(),
        old: old.time_to_first_update(),
        new: new.time_to_first_update(),
    });
    let (lhs, rhs) = (old.custom_metrics(), new.custom_metrics());
    let value = |list: &[crate::metrics::CustomMetric], key: &str| {
        list.iter().find(|m| m.key == key).and_then(|m| m.value)
    };
    for m in rhs {
        out.push(MetricDelta {
            key: m.key.clone(),
            label: m.label.clone(),
            old: value(lhs, &m.key),
            new: m.value,
        });
    }
    for m in lhs.iter().filter(|m| !rhs.iter().any(|r| r.key == m.key)) {
        out.push(MetricDelta {
            key: m.key.clone(),
            label: m.label.clone(),
            old: m.value,
            new: None,
        });
    }
    out
}

fn services(lhs: &[ServiceImpact], rhs: &[ServiceImpact]) -> Vec<ServiceDelta> {
    let pairs = |list: &[ServiceImpact]| -> Vec<(String, TimeDelta)> {
        list.iter().map(|s| (s.name.clone(), s.total)).collect()
    };
    totals(&pairs(lhs), &pairs(rhs))
}

/// Each region's impact, as the audience of `side` sees it.
fn region_totals(side: &Redacted) -> Vec<(String, TimeDelta)> {
    side.regions()
        .iter()
        .map(|r| (r.region.clone(), r.impact))
        .collect()
}

/// Named totals before and after: the new side's order, then the names only the old has.
fn totals(lhs: &[(String, TimeDelta)], rhs: &[(String, TimeDelta)]) -> Vec<ServiceDelta> {
    let total = |list: &[(String, TimeDelta)], name: &str| {
        list.iter().find(|(n, _)| n == name).map(|(_, t)| *t)
    };
    let mut out: Vec<ServiceDelta> = rhs
        .iter()
        .map(|(name, t)| ServiceDelta {
            name: name.clone(),
            old: total(lhs, name),
            new: Some(*t),
        })
        .collect();
    out.extend(
        lhs.iter()
            .filter(|(name, _)| total(rhs, name).is_none())
            .map(|(name, t)| ServiceDelta {
                name: name.clone(),
                old: Some(*t),
                new: None,
            }),
    );
    out
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeDelta, Utc};
    use proptest::prelude::*;

    use super::*;
    use crate::model::{ActionKind, ActionStatus, Lessons, Service, Severity, Status};
    use crate::redact::{Audience, redact};

    /// The diff of two whole incidents.
    fn diff(old: &Incident, new: &Incident) -> IncidentDiff {
        super::diff(
            &redact(old, Audience::Internal),
            &redact(new, Audience::Internal),
        )
    }

    /// A few texts, some alike, so that generated timelines repeat, reword and reorder.
    const TEXTS: &[&str] = &[
        "DNS record for the endpoint is empty",
        "DNS record for the regional endpoint is empty",
        "Engineers restart the DWFM hosts",
        "Engineers restart all DWFM hosts one at a time",
        "Status page updated",
        "Rollback complete",
        "Status page updated",
        "Customer reports errors",
    ];

    fn incident(timeline: Vec<Event>, action_items: Vec<ActionItem>) -> Incident {
        let mut timeline = timeline;
        timeline.sort_by_key(|e| e.at);
        Incident {
            id: "generated".into(),
            title: "Generated".into(),
            severity: Severity::default_level(2),
            status: Status::Resolved,
            timezone: chrono_tz::Europe::Berlin,
            regions: vec![],
            tags: vec![],
            authors: vec![],
            roles: vec![],
            responders: vec![],
            services: ["api", "db"]
                .iter()
                .map(|n| Service {
                    name: (*n).into(),
                    description: None,
                    internal: false,
                    depends_on: Vec::new(),
                })
                .collect(),
            summary: None,
            impact: None,
            root_cause: None,
            trigger: None,
            detection: None,
            resolution: None,
            timeline,
            contributing_factors: vec![],
            lessons: Lessons::default(),
            action_items,
            links: vec![],
            internal_notes: None,
            related: vec![],
        }
    }

    fn event() -> impl Strategy<Value = Event> {
        (
            0..TEXTS.len(),
            0i64..600,
            prop::option::of(0..Phase::ALL.len()),
            prop::option::of((0..2usize, 0..ServiceStatus::ALL.len())),
            any::<bool>(),
        )
            .prop_map(|(text, minute, phase, status, internal)| Event {
                id: None,
                at: DateTime::<Utc>::UNIX_EPOCH + TimeDelta::minutes(minute),
                phase: phase.map(|p| Phase::ALL[p]),
                milestone: None,
                update: None,
                severity: None,
                status: status
                    .map(|(s, v)| (["api", "db"][s].to_owned(), ServiceStatus::ALL[v]))
                    .into_iter()
                    .collect(),
                text: TEXTS[text].to_owned(),
                internal,
                measures: Vec::new(),
                approximate: false,
                region: None,
            })
    }

    /// A timeline where some events carry ids (unique within it).
    fn timeline() -> impl Strategy<Value = Vec<Event>> {
        prop::collection::vec((event(), prop::option::of(0..6u8)), 0..12).prop_map(|events| {
            let mut seen = std::collections::HashSet::new();
            events
                .into_iter()
                .map(|(mut e, id)| {
                    e.id = id.filter(|i| seen.insert(*i)).map(|i| format!("e{i}"));
                    e
                })
                .collect()
        })
    }

    fn action_items() -> impl Strategy<Value = Vec<ActionItem>> {
        prop::collection::vec((0..TEXTS.len(), any::<bool>(), any::<bool>()), 0..4).prop_map(
            |items| {
                items
                    .into_iter()
                    .map(|(t, done, owned)| ActionItem {
                        id: None,
                        title: TEXTS[t].to_owned(),
                        kind: ActionKind::Prevent,
                        owner: owned.then(|| "team".to_owned()),
                        due: None,
                        status: if done {
                            ActionStatus::Done
                        } else {
                            ActionStatus::Open
                        },
                        link: None,
                    })
                    .collect()
            },
        )
    }

    fn mirror(c: Change) -> Change {
        match c {
            Change::Added => Change::Removed,
            Change::Removed => Change::Added,
            other => other,
        }
    }

    /// Every event entry as comparable text, seen from the old side.
    fn entries(d: &IncidentDiff, flip: bool) -> Vec<String> {
        let mut out: Vec<String> = d
            .events
            .iter()
            .map(|e| {
                let (change, old, new, shift) = if flip {
                    (mirror(e.change), &e.new, &e.old, e.shift.map(|s| -s))
                } else {
                    (e.change, &e.old, &e.new, e.shift)
                };
                format!("{change:?} {old:?} {new:?} {shift:?} {:?}", e.fields)
            })
            .collect();
        out.sort();
        out
    }

    proptest! {
        #[test]
        fn a_diff_with_itself_is_empty(events in timeline(), items in action_items()) {
            let a = incident(events, items);
            let d = diff(&a, &a);
            prop_assert!(d.is_equal());
            prop_assert_eq!(d.summary().unchanged, a.timeline.len());
            prop_assert!(d.metrics.iter().all(|m| !m.changed()));
            prop_assert!(d.services.iter().all(|s| !s.changed()));
        }

        #[test]
        fn reversed_diffs_mirror(
            a in timeline(), b in timeline(), ia in action_items(), ib in action_items(),
        ) {
            let (a, b) = (incident(a, ia), incident(b, ib));
            let (ab, ba) = (diff(&a, &b), diff(&b, &a));
            prop_assert_eq!(ab.is_equal(), ba.is_equal());
            let (s, r) = (ab.summary(), ba.summary());
            prop_assert_eq!((s.added, s.removed, s.changed), (r.removed, r.added, r.changed));
            prop_assert_eq!(entries(&ab, true), entries(&ba, false));
            for (m, n) in ab.metrics.iter().zip(&ba.metrics) {
                prop_assert_eq!(m.delta().map(|d| -d), n.delta());
            }
            let fields = |d: &IncidentDiff| {
                let mut all: Vec<Vec<&str>> =
                    d.action_items.iter().map(|x| x.fields.clone()).collect();
                all.sort();
                all
            };
            prop_assert_eq!(fields(&ab), fields(&ba));
            let a_items = ab.action_items.iter().filter(|x| x.change == Change::Added).count();
            let b_items = ba.action_items.iter().filter(|x| x.change == Change::Removed).count();
            prop_assert_eq!(a_items, b_items);
        }

        #[test]
        fn every_event_appears_once(a in timeline(), b in timeline()) {
            let (a, b) = (incident(a, vec![]), incident(b, vec![]));
            let d = diff(&a, &b);
            let olds = d.events.iter().filter(|e| e.old.is_some()).count();
            let news = d.events.iter().filter(|e| e.new.is_some()).count();
            prop_assert_eq!((olds, news), (a.timeline.len(), b.timeline.len()));
            let times: Vec<_> = d.events.iter().map(EventDiff::at).collect();
            prop_assert!(times.windows(2).all(|w| w[0] <= w[1]));
        }

        #[test]
        fn word_diffs_rebuild_both_texts(a in "[a-c ,.\n]{0,40}", b in "[a-c ,.\n]{0,40}") {
            let spans = words::word_diff(&a, &b);
            let side = |skip: WordOp| -> String {
                spans.iter().filter(|s| s.op != skip).map(|s| s.text.as_str()).collect()
            };
            prop_assert_eq!(side(WordOp::Insert), a);
            prop_assert_eq!(side(WordOp::Delete), b);
        }
    }
}
