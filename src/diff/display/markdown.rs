//! The diff as GitHub-flavoured Markdown for a pull-request comment: tables for metrics,
//! fields, events and action items, and word diffs as ~~deleted~~ **inserted**. Text from the
//! logs is escaped, so a `|`, `*` or `<script>` in an event cannot break the table or run.

use std::fmt::Write;

use super::{
    DiffLine, DisplayOptions, diff_lines, maybe, shift_phrase, signed, summary_line, visible_events,
};
use crate::diff::words::reflow;
use crate::diff::{
    ActionItemDiff, Change, EventDiff, EventField, FieldChange, FieldValue, IncidentDiff, ItemOp,
    WordOp, WordSpan,
};
use crate::escape::markdown_table_cell;
use crate::model::{ActionItem, Event, ServiceStatus};
use crate::time;

/// Wraps `text` in `mark` (`~~` or `**`), keeping surrounding whitespace outside the marks
/// (GitHub ignores `** x**`) and each line break outside too.
fn mark(text: &str, mark: &str) -> String {
    let pieces: Vec<String> = text
        .split('\n')
        .map(|piece| {
            let trimmed = piece.trim();
            if trimmed.is_empty() {
                return piece.to_owned();
            }
            let start = piece.len() - piece.trim_start().len();
            let end = piece.trim_end().len();
            format!(
                "{}{mark}{}{mark}{}",
                &piece[..start],
                markdown_table_cell(trimmed),
                &piece[end..]
            )
        })
        .collect();
    pieces.join("<br>")
}

/// A word diff: ~~deleted~~ **inserted**, the rest escaped.
fn words(spans: &[WordSpan]) -> String {
    let mut out = String::new();
    for span in spans {
        match span.op {
            WordOp::Equal => {
                let lead = span.text.len() - span.text.trim_start().len();
                let trail = span.text.trim_end().len();
                out.push_str(&span.text[..lead].replace('\n', "<br>"));
                out.push_str(&markdown_table_cell(span.text.trim()));
                if trail > lead {
                    out.push_str(&span.text[trail..].replace('\n', "<br>"));
                }
            }
            WordOp::Delete => out.push_str(&mark(&span.text, "~~")),
            WordOp::Insert => {
                if out.ends_with("~~") {
                    out.push(' ');
                }
                out.push_str(&mark(&span.text, "**"));
            }
        }
    }
    out.trim_end_matches("<br>").to_owned()
}

/// A word diff of a long text: only the lines (paragraphs) that changed, unless `all`.
fn word_block(spans: &[WordSpan], all: bool) -> String {
    let lines: Vec<String> = diff_lines(spans, all)
        .iter()
        .map(|line| match line {
            DiffLine::Shown(spans) => words(spans),
            DiffLine::Elided(_) => "…".to_owned(),
        })
        .collect();
    lines.join("<br>")
}

fn arrow(old: &str, new: &str) -> String {
    format!(
        "~~{}~~ → **{}**",
        markdown_table_cell(old),
        markdown_table_cell(new)
    )
}

/// The diff as Markdown.
pub fn markdown(diff: &IncidentDiff, options: &DisplayOptions) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### Incident diff: {} → {}\n",
        markdown_table_cell(&options.old_name),
        markdown_table_cell(&options.new_name)
    );
    let _ = writeln!(out, "**{}**", markdown_table_cell(&summary_line(diff)));
    metrics(&mut out, diff, options.all);
    fields(&mut out, &diff.fields, options.all);
    events(&mut out, diff, options.all);
    action_items(&mut out, &diff.action_items, options.all);
    out
}

fn metrics(out: &mut String, diff: &IncidentDiff, all: bool) {
    let mut rows = Vec::new();
    for m in diff.metrics.iter().filter(|m| all || m.changed()) {
        let delta = m.delta().map(signed).unwrap_or_else(|| "—".to_owned());
        rows.push(format!(
            "| {} | {} | {} | **{delta}** |",
            m.label,
            maybe(m.old),
            maybe(m.new)
        ));
    }
    for s in diff.services.iter().filter(|s| all || s.changed()) {
        rows.push(format!(
            "| {} impact | {} | {} | **{}** |",
            markdown_table_cell(&s.name),
            maybe(s.old),
            maybe(s.new),
            signed(s.delta())
        ));
    }
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n#### Metrics\n");
    let _ = writeln!(out, "| Metric | Old | New | Change |\n|---|---:|---:|---:|");
    for row in rows {
        let _ = writeln!(out, "{row}");
    }
}

fn value_text(v: &FieldValue) -> String {
    match v {
        FieldValue::Absent => "(none)".to_owned(),
        FieldValue::Text(t) => t.clone(),
        FieldValue::List(items) => items.join(", "),
    }
}

fn fields(out: &mut String, fields: &[FieldChange], all: bool) {
    if fields.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n#### Fields\n");
    let _ = writeln!(out, "| Field | Change |\n|---|---|");
    for f in fields {
        let change = if let Some(items) = &f.items {
            let parts: Vec<String> = items
                .iter()
                .filter(|(op, _)| *op != ItemOp::Kept)
                .map(|(op, item)| match op {
                    ItemOp::Removed => format!("− {}", mark(item, "~~")),
                    _ => format!("+ {}", mark(item, "**")),
                })
                .collect();
            parts.join("<br>")
        } else if let Some(spans) = &f.words {
            word_block(spans, all)
        } else {
            arrow(&value_text(&f.old), &value_text(&f.new))
        };
        let _ = writeln!(out, "| `{}` | {change} |", f.path.replace('`', "'"));
    }
}

fn events(out: &mut String, diff: &IncidentDiff, all: bool) {
    let shown = visible_events(diff, all);
    if diff.events.is_empty() || (shown.len() == 1 && shown[0].is_err()) {
        return;
    }
    let _ = writeln!(out, "\n#### Events\n");
    let _ = writeln!(out, "| | When | Event | What changed |\n|---|---|---|---|");
    for entry in shown {
        match entry {
            Err(n) => {
                let noun = if n == 1 { "event" } else { "events" };
                let _ = writeln!(out, "| | | *{n} unchanged {noun}* | |");
            }
            Ok(e) => event_row(out, diff, e, all),
        }
    }
}

fn event_name(e: &Event) -> String {
    match &e.id {
        Some(id) => format!("`{id}`"),
        None => "—".to_owned(),
    }
}

fn change_word(c: Change) -> &'static str {
    match c {
        Change::Added => "➕ added",
        Change::Removed => "➖ removed",
        Change::Changed => "✏️ changed",
        Change::Unchanged => "unchanged",
    }
}

fn event_row(out: &mut String, diff: &IncidentDiff, e: &EventDiff, all: bool) {
    let (side, zone) = match (&e.new, &e.old) {
        (Some(new), _) => (new, diff.new_zone),
        (None, Some(old)) => (old, diff.old_zone),
        (None, None) => return,
    };
    let name = match (&e.old, &e.new) {
        (Some(old), Some(new)) if old.id != new.id => {
            format!("{} → {}", event_name(old), event_name(new))
        }
        _ => event_name(side),
    };
    let what = match (e.change, &e.old, &e.new) {
        (Change::Changed, Some(old), Some(new)) => changed_event(diff, e, old, new, all),
        (Change::Unchanged, _, _) => markdown_table_cell(&reflow(&side.text)),
        _ => whole_event(side),
    };
    let _ = writeln!(
        out,
        "| {} | {} | {name} | {what} |",
        change_word(e.change),
        time::show(side.at, zone)
    );
}

fn whole_event(e: &Event) -> String {
    let mut parts = Vec::new();
    if let Some(phase) = e.phase {
        parts.push(format!("phase **{}**", phase.as_str()));
    }
    if !e.status.is_empty() {
        let list: Vec<String> = e
            .status
            .iter()
            .map(|(n, s)| format!("{} {}", markdown_table_cell(n), s.as_str()))
            .collect();
        parts.push(format!("status: {}", list.join(", ")));
    }
    if e.internal {
        parts.push("*internal*".to_owned());
    }
    parts.push(markdown_table_cell(&reflow(&e.text)));
    parts.join("<br>")
}

fn changed_event(
    diff: &IncidentDiff,
    e: &EventDiff,
    old: &Event,
    new: &Event,
    all: bool,
) -> String {
    let status = |s: Option<ServiceStatus>| s.map_or("(not set)", |s| s.as_str());
    let mut parts = Vec::new();
    for field in &e.fields {
        let part = match field {
            EventField::Id => continue,
            EventField::At => {
                let moved = shift_phrase(e).unwrap_or_default();
                format!(
                    "**at** {} ({moved})",
                    arrow(
                        &time::show(old.at, diff.old_zone),
                        &time::show(new.at, diff.new_zone)
                    )
                )
            }
            EventField::Phase => {
                let name = |p: Option<crate::model::Phase>| p.map_or("(none)", |p| p.as_str());
                format!("**phase** {}", arrow(name(old.phase), name(new.phase)))
            }
            EventField::Status => {
                let list: Vec<String> = e
                    .status
                    .iter()
                    .map(|c| {
                        format!(
                            "{} {}",
                            markdown_table_cell(&c.service),
                            arrow(status(c.old), status(c.new))
                        )
                    })
                    .collect();
                format!("**status** {}", list.join(", "))
            }
            EventField::Text => match &e.text {
                Some(spans) => format!("**text** {}", word_block(spans, all)),
                None => continue,
            },
            EventField::Internal => {
                let yes = |b| if b { "yes" } else { "no" };
                format!(
                    "**internal** {}",
                    arrow(yes(old.internal), yes(new.internal))
                )
            }
            EventField::Milestone => {
                let name = |m: &Option<String>| m.clone().unwrap_or_else(|| "(none)".into());
                format!(
                    "**milestone** {}",
                    arrow(&name(&old.milestone), &name(&new.milestone))
                )
            }
            EventField::Severity => {
                let name = |s: &Option<crate::model::Severity>| {
                    s.as_ref().map_or("(none)".to_owned(), |s| s.to_string())
                };
                format!(
                    "**severity** {}",
                    arrow(&name(&old.severity), &name(&new.severity))
                )
            }
            EventField::Update => {
                let text = |u: &Option<String>| u.clone().unwrap_or_else(|| "(none)".into());
                format!(
                    "**update** {}",
                    arrow(&text(&old.update), &text(&new.update))
                )
            }
            EventField::Measures => {
                let list: Vec<String> = crate::diff::measure_changes(old, new)
                    .into_iter()
                    .map(|(key, a, b)| {
                        let (a, b) = (crate::diff::measure_value(a), crate::diff::measure_value(b));
                        format!("{} {}", markdown_table_cell(&key), arrow(&a, &b))
                    })
                    .collect();
                format!("**measures** {}", list.join(", "))
            }
        };
        parts.push(part);
    }
    parts.join("<br>")
}

fn action_items(out: &mut String, items: &[ActionItemDiff], all: bool) {
    let shown: Vec<&ActionItemDiff> = items
        .iter()
        .filter(|a| all || a.change != Change::Unchanged)
        .collect();
    if shown.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n#### Action items\n");
    let _ = writeln!(out, "| | Item | What changed |\n|---|---|---|");
    for a in shown {
        let Some(item) = a.new.as_ref().or(a.old.as_ref()) else {
            continue;
        };
        let name = match &item.id {
            Some(id) => format!("`{id}`"),
            None => markdown_table_cell(&item.title),
        };
        let what = match (&a.old, &a.new) {
            (Some(old), Some(new)) => changed_item(a, old, new),
            _ => whole_item(item),
        };
        let _ = writeln!(out, "| {} | {name} | {what} |", change_word(a.change));
    }
}

fn whole_item(item: &ActionItem) -> String {
    let parts: Vec<String> = crate::diff::ACTION_FIELDS
        .iter()
        .skip(1)
        .filter_map(|name| {
            let value = crate::diff::fields::action_field(item, name)?;
            Some(format!("**{name}** {}", markdown_table_cell(&value)))
        })
        .collect();
    parts.join("<br>")
}

fn changed_item(a: &ActionItemDiff, old: &ActionItem, new: &ActionItem) -> String {
    let parts: Vec<String> = a
        .fields
        .iter()
        .map(|name| {
            if *name == "title"
                && let Some(spans) = &a.title
            {
                return format!("**title** {}", words(spans));
            }
            let get = |i: &ActionItem| {
                crate::diff::fields::action_field(i, name).unwrap_or_else(|| "(none)".to_owned())
            };
            format!("**{name}** {}", arrow(&get(old), &get(new)))
        })
        .collect();
    parts.join("<br>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> crate::model::Incident {
        let source = crate::source::Source::from_text("x.yaml", text);
        let checked = crate::validate::check(&source, crate::parse::Limits::default());
        checked.incident.expect("valid test log")
    }

    /// Regression guard: log text with table and HTML syntax must stay inside its cell.
    #[test]
    fn hostile_text_cannot_break_the_tables() {
        let log = |text: &str| {
            format!(
                "id: x\ntitle: T\nseverity: SEV3\nservices: [a]\ntimeline:\n  - id: e\n    \
                 at: 2026-01-01T00:00:00Z\n    text: |\n      {text}\n"
            )
        };
        let old = load(&log("safe | text"));
        let new = load(&log(
            "a | b <script>alert(1)</script> **x** [l](javascript:y)",
        ));
        let internal = |i| crate::redact::redact(i, crate::redact::Audience::Internal);
        let diff = crate::diff::diff(&internal(&old), &internal(&new));
        let md = markdown(&diff, &DisplayOptions::default());
        assert!(!md.contains("<script>"), "{md}");
        let row = md
            .lines()
            .find(|l| l.contains("`e`"))
            .expect("the event row");
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 5, "{row}");
    }

    #[test]
    fn marks_keep_whitespace_outside() {
        assert_eq!(mark(" old words ", "~~"), " ~~old words~~ ");
        assert_eq!(mark("a\nb", "**"), "**a**<br>**b**");
    }
}
