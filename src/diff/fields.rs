//! The parts of an incident outside its timeline: top-level fields (keywords, Markdown
//! sections, lists) and action items.

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::align::{self, Item};
use super::words::{WordSpan, reflow, word_diff};
use super::{ACTION_FIELDS, ActionItemDiff, Change};
use crate::model::{ActionItem, Incident};

/// A field's value on one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// Not set.
    Absent,
    Text(String),
    List(Vec<String>),
}

/// What happened to one item of a list field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemOp {
    Kept,
    Removed,
    Added,
}

/// One top-level field whose value differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// `severity`, `summary`, `lessons.went_well`, `services.EC2.description`.
    pub path: String,
    pub old: FieldValue,
    pub new: FieldValue,
    /// For prose (Markdown) fields set on both sides: the word diff.
    pub words: Option<Vec<WordSpan>>,
    /// For list fields: every item of both lists in order, marked kept, removed or added.
    pub items: Option<Vec<(ItemOp, String)>>,
}

fn text(value: Option<&str>) -> FieldValue {
    value.map_or(FieldValue::Absent, |v| FieldValue::Text(v.to_owned()))
}

fn list(values: &[String]) -> FieldValue {
    if values.is_empty() {
        FieldValue::Absent
    } else {
        FieldValue::List(values.to_vec())
    }
}

/// Collects changed fields in the order they are compared.
struct Fields(Vec<FieldChange>);

impl Fields {
    /// A keyword or short value: old -> new.
    fn keyword(&mut self, path: &str, old: FieldValue, new: FieldValue) {
        if old != new {
            self.0.push(FieldChange {
                path: path.to_owned(),
                old,
                new,
                words: None,
                items: None,
            });
        }
    }

    /// Prose: a word diff of the reflowed texts when both sides have it; rewrapping alone is
    /// no change.
    fn prose(&mut self, path: &str, old: Option<&str>, new: Option<&str>) {
        let (a, b) = (old.map(reflow), new.map(reflow));
        if a == b {
            return;
        }
        let words = match (&a, &b) {
            (Some(a), Some(b)) => Some(word_diff(a, b)),
            _ => None,
        };
        self.0.push(FieldChange {
            path: path.to_owned(),
            old: text(old),
            new: text(new),
            words,
            items: None,
        });
    }

    /// A list: which items were kept, removed and added.
    fn list(&mut self, path: &str, old: &[String], new: &[String]) {
        if old == new {
            return;
        }
        self.0.push(FieldChange {
            path: path.to_owned(),
            old: list(old),
            new: list(new),
            words: None,
            items: Some(list_items(old, new)),
        });
    }
}

/// Every item of two lists, in order, marked kept, removed or added.
fn list_items(old: &[String], new: &[String]) -> Vec<(ItemOp, String)> {
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, old, new) {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            out.extend(old[o].iter().map(|s| (ItemOp::Kept, s.clone())));
        } else {
            out.extend(old[o].iter().map(|s| (ItemOp::Removed, s.clone())));
            out.extend(new[n].iter().map(|s| (ItemOp::Added, s.clone())));
        }
    }
    out
}

/// Reads one Markdown section of an incident.
type Section = fn(&Incident) -> Option<&str>;

/// The top-level fields that differ, in the order of the log format.
pub fn top_level(old: &Incident, new: &Incident) -> Vec<FieldChange> {
    let mut f = Fields(Vec::new());
    let t = |s: &str| FieldValue::Text(s.to_owned());
    f.keyword("id", t(&old.id), t(&new.id));
    f.prose("title", Some(&old.title), Some(&new.title));
    f.keyword(
        "severity",
        t(old.severity.as_str()),
        t(new.severity.as_str()),
    );
    f.keyword("status", t(old.status.as_str()), t(new.status.as_str()));
    f.keyword("timezone", t(old.timezone.name()), t(new.timezone.name()));
    f.list("regions", &old.regions, &new.regions);
    f.list("tags", &old.tags, &new.tags);
    f.list("authors", &old.authors, &new.authors);
    f.list("related", &old.related, &new.related);
    let roles = |i: &Incident| {
        i.roles
            .iter()
            .map(|r| format!("{}: {}", r.name, r.people.join(", ")))
            .collect::<Vec<_>>()
    };
    f.list("roles", &roles(old), &roles(new));
    f.list("responders", &old.responders, &new.responders);
    let names = |i: &Incident| {
        i.services
            .iter()
            .map(|s| s.name.clone())
            .collect::<Vec<_>>()
    };
    f.list("services", &names(old), &names(new));
    for service in &new.services {
        if let Some(before) = old.services.iter().find(|s| s.name == service.name) {
            f.prose(
                &format!("services.{}.description", service.name),
                before.description.as_deref(),
                service.description.as_deref(),
            );
            f.list(
                &format!("services.{}.depends_on", service.name),
                &before.depends_on,
                &service.depends_on,
            );
        }
    }
    let sections: [(&str, Section); 6] = [
        ("summary", |i| i.summary.as_deref()),
        ("impact", |i| i.impact.as_deref()),
        ("root_cause", |i| i.root_cause.as_deref()),
        ("trigger", |i| i.trigger.as_deref()),
        ("detection", |i| i.detection.as_deref()),
        ("resolution", |i| i.resolution.as_deref()),
    ];
    for (path, get) in sections {
        f.prose(path, get(old), get(new));
    }
    f.list(
        "contributing_factors",
        &old.contributing_factors,
        &new.contributing_factors,
    );
    f.list(
        "lessons.went_well",
        &old.lessons.went_well,
        &new.lessons.went_well,
    );
    f.list(
        "lessons.went_wrong",
        &old.lessons.went_wrong,
        &new.lessons.went_wrong,
    );
    f.list("lessons.lucky", &old.lessons.lucky, &new.lessons.lucky);
    let links = |i: &Incident| {
        i.links
            .iter()
            .map(|l| format!("{} <{}>", l.title, l.url))
            .collect::<Vec<_>>()
    };
    f.list("links", &links(old), &links(new));
    f.prose(
        "internal_notes",
        old.internal_notes.as_deref(),
        new.internal_notes.as_deref(),
    );
    f.0
}

/// One action item's field by name, as text.
pub fn action_field(item: &ActionItem, name: &str) -> Option<String> {
    match name {
        "id" => item.id.clone(),
        "title" => Some(item.title.clone()),
        "kind" => Some(item.kind.as_str().to_owned()),
        "owner" => item.owner.clone(),
        "due" => item.due.map(|d| d.to_string()),
        "status" => Some(item.status.as_str().to_owned()),
        "link" => item.link.clone(),
        _ => None,
    }
}

fn item(a: &ActionItem) -> Item<'_> {
    Item {
        id: a.id.as_deref(),
        text: &a.title,
        at: None,
    }
}

/// Action items matched by id, then by title, each with what changed.
pub fn action_items(old: &Incident, new: &Incident) -> Vec<ActionItemDiff> {
    let lhs: Vec<Item> = old.action_items.iter().map(item).collect();
    let rhs: Vec<Item> = new.action_items.iter().map(item).collect();
    let alignment = align::align(&lhs, &rhs);
    let mut out: Vec<(usize, ActionItemDiff)> = Vec::new();
    for p in &alignment.pairs {
        let (a, b) = (&old.action_items[p.old], &new.action_items[p.new]);
        let fields: Vec<&'static str> = ACTION_FIELDS
            .iter()
            .copied()
            .filter(|name| action_field(a, name) != action_field(b, name))
            .collect();
        out.push((
            p.new,
            ActionItemDiff {
                change: if fields.is_empty() {
                    Change::Unchanged
                } else {
                    Change::Changed
                },
                old: Some(a.clone()),
                new: Some(b.clone()),
                matched_by: Some(p.by),
                title: (a.title != b.title).then(|| word_diff(&a.title, &b.title)),
                fields,
            },
        ));
    }
    let one_side = |change, old: Option<&ActionItem>, new: Option<&ActionItem>| ActionItemDiff {
        change,
        old: old.cloned(),
        new: new.cloned(),
        matched_by: None,
        fields: Vec::new(),
        title: None,
    };
    for &j in &alignment.added {
        out.push((j, one_side(Change::Added, None, Some(&new.action_items[j]))));
    }
    out.sort_by_key(|(j, _)| *j);
    let mut items: Vec<ActionItemDiff> = out.into_iter().map(|(_, d)| d).collect();
    for &i in &alignment.removed {
        items.push(one_side(Change::Removed, Some(&old.action_items[i]), None));
    }
    items
}
