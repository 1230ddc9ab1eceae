//! The diff for a terminal: summary line, metrics, fields, events in time order, action
//! items. Colour only when asked (the CLI decides: a terminal, NO_COLOR unset); without it,
//! word changes read as `[-old-]{+new+}`, as in `git diff --word-diff=plain`.

use std::fmt::Write;

use anstyle::{AnsiColor, Effects, Style};

use super::{
    DiffLine, DisplayOptions, diff_lines, maybe, shift_phrase, signed, summary_line, visible_events,
};
use crate::diff::{
    ActionItemDiff, Change, EventDiff, EventField, FieldChange, FieldValue, IncidentDiff, ItemOp,
    StatusChange, WordOp, WordSpan,
};
use crate::model::{ActionItem, Event, ServiceStatus};
use crate::time;

/// Indent of the details under an event or item.
const INDENT: &str = "      ";

/// Width at which a reflowed paragraph of a word diff is wrapped again.
const WRAP: usize = 80;

#[derive(Clone, Copy)]
enum Paint {
    Heading,
    Added,
    Removed,
    Changed,
    Dim,
}

struct Painter {
    color: bool,
    /// Show unchanged lines of long texts too.
    all: bool,
}

impl Painter {
    /// `text` in the style of `paint`, each line styled on its own so indents stay plain.
    fn paint(&self, paint: Paint, text: &str) -> String {
        if !self.color || text.is_empty() {
            return text.to_owned();
        }
        let style = match paint {
            Paint::Heading => Style::new().effects(Effects::BOLD),
            Paint::Added => Style::new().fg_color(Some(AnsiColor::Green.into())),
            Paint::Removed => Style::new().fg_color(Some(AnsiColor::Red.into())),
            Paint::Changed => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
            Paint::Dim => Style::new().effects(Effects::DIMMED),
        };
        let lines: Vec<String> = text
            .split('\n')
            .map(|line| {
                if line.is_empty() {
                    String::new()
                } else {
                    format!("{style}{line}{style:#}")
                }
            })
            .collect();
        lines.join("\n")
    }

    /// A word diff: deletions red and struck through, insertions green (or marked in plain).
    fn words(&self, spans: &[WordSpan]) -> String {
        let mut out = String::new();
        for span in spans {
            let text = span.text.as_str();
            match (span.op, self.color) {
                (WordOp::Equal, _) => out.push_str(text),
                (WordOp::Delete, false) => out.push_str(&format!("[-{text}-]")),
                (WordOp::Insert, false) => out.push_str(&format!("{{+{text}+}}")),
                (WordOp::Delete, true) => {
                    let style = Style::new()
                        .fg_color(Some(AnsiColor::Red.into()))
                        .effects(Effects::STRIKETHROUGH);
                    out.push_str(&styled_lines(style, text));
                }
                (WordOp::Insert, true) => {
                    let style = Style::new()
                        .fg_color(Some(AnsiColor::Green.into()))
                        .effects(Effects::UNDERLINE);
                    out.push_str(&styled_lines(style, text));
                }
            }
        }
        out
    }

    /// A word diff of a long text: only the lines (paragraphs) that changed, unless `all`.
    fn word_block(&self, spans: &[WordSpan]) -> String {
        let lines: Vec<String> = diff_lines(spans, self.all)
            .iter()
            .map(|line| match line {
                DiffLine::Shown(spans) => {
                    let rows: Vec<String> =
                        wrap(spans, WRAP).iter().map(|r| self.words(r)).collect();
                    rows.join("\n")
                }
                DiffLine::Elided(_) => self.paint(Paint::Dim, "…"),
            })
            .collect();
        lines.join("\n")
    }

    /// `old -> new`, old in red and new in green.
    fn arrow(&self, old: &str, new: &str) -> String {
        format!(
            "{} -> {}",
            self.paint(Paint::Removed, old),
            self.paint(Paint::Added, new)
        )
    }
}

/// Breaks one line of a word diff into rows of at most `width` characters, at spaces.
fn wrap(spans: &[WordSpan], width: usize) -> Vec<Vec<WordSpan>> {
    let mut rows: Vec<Vec<WordSpan>> = vec![Vec::new()];
    let mut column = 0;
    for span in spans {
        // A short change stays on one row, so `[-did not-]` is not split as `[-did-]`, `[-not-]`.
        let pieces: Vec<&str> = if span.op != WordOp::Equal && span.text.chars().count() <= 30 {
            vec![span.text.as_str()]
        } else {
            span.text.split_inclusive(' ').collect()
        };
        for piece in pieces {
            let len = piece.trim_end().chars().count();
            let at_space = row_ends_with_space(&rows);
            if column > 0 && at_space && column + len > width {
                rows.push(Vec::new());
                column = 0;
            }
            let row = rows.last_mut().expect("rows is never empty");
            match row.last_mut() {
                Some(last) if last.op == span.op => last.text.push_str(piece),
                _ => row.push(WordSpan {
                    op: span.op,
                    text: piece.to_owned(),
                }),
            }
            column += piece.chars().count();
        }
    }
    for row in &mut rows {
        if let Some(last) = row.last_mut() {
            last.text.truncate(last.text.trim_end().len());
        }
        row.retain(|s| !s.text.is_empty());
    }
    rows
}

fn row_ends_with_space(rows: &[Vec<WordSpan>]) -> bool {
    rows.last()
        .and_then(|row| row.last())
        .is_some_and(|span| span.text.ends_with(' '))
}

fn styled_lines(style: Style, text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{style}{l}{style:#}")
            }
        })
        .collect();
    lines.join("\n")
}

/// Indents every line after the first by `INDENT` plus `extra` spaces.
fn hang(text: &str, extra: usize) -> String {
    let pad = format!("\n{INDENT}{}", " ".repeat(extra));
    text.trim_end().replace('\n', &pad)
}

/// A labelled detail line under an event: `      text      ...`.
fn detail(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "{INDENT}{label:<9} {}", hang(value, 10));
}

/// The diff as text for a terminal.
pub fn text(diff: &IncidentDiff, options: &DisplayOptions) -> String {
    let p = Painter {
        color: options.color,
        all: options.all,
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        p.paint(Paint::Removed, &format!("--- {}", options.old_name))
    );
    let _ = writeln!(
        out,
        "{}",
        p.paint(Paint::Added, &format!("+++ {}", options.new_name))
    );
    let _ = writeln!(out, "{}", p.paint(Paint::Heading, &summary_line(diff)));
    metrics(&mut out, &p, diff, options.all);
    fields(&mut out, &p, &diff.fields);
    events(&mut out, &p, diff, options.all);
    action_items(&mut out, &p, &diff.action_items, options.all);
    out
}

fn metrics(out: &mut String, p: &Painter, diff: &IncidentDiff, all: bool) {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for m in diff.metrics.iter().filter(|m| all || m.changed()) {
        let delta = m.delta().map(signed).unwrap_or_default();
        rows.push((
            m.label.to_owned(),
            p.arrow(&maybe(m.old), &maybe(m.new)),
            delta,
        ));
    }
    for s in diff.services.iter().filter(|s| all || s.changed()) {
        let label = format!("{} impact", s.name);
        let delta = signed(s.delta());
        rows.push((label, p.arrow(&maybe(s.old), &maybe(s.new)), delta));
    }
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", p.paint(Paint::Heading, "Metrics"));
    let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    for (label, arrow, delta) in rows {
        let delta = if delta.is_empty() {
            String::new()
        } else {
            format!("  ({delta})")
        };
        let _ = writeln!(out, "  {label:<width$}  {arrow}{delta}");
    }
}

fn value_text(value: &FieldValue) -> String {
    match value {
        FieldValue::Absent => "(none)".to_owned(),
        FieldValue::Text(t) => t.clone(),
        FieldValue::List(items) => items.join(", "),
    }
}

fn fields(out: &mut String, p: &Painter, fields: &[FieldChange]) {
    if fields.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", p.paint(Paint::Heading, "Fields"));
    for f in fields {
        let _ = writeln!(out, "{} {}", p.paint(Paint::Changed, "~"), f.path);
        if let Some(items) = &f.items {
            for (op, item) in items.iter().filter(|(op, _)| *op != ItemOp::Kept) {
                let (mark, paint) = match op {
                    ItemOp::Removed => ("-", Paint::Removed),
                    _ => ("+", Paint::Added),
                };
                let line = format!("{mark} {}", hang(item, 2));
                let _ = writeln!(out, "{INDENT}{}", p.paint(paint, &line));
            }
        } else if let Some(words) = &f.words {
            let _ = writeln!(out, "{INDENT}{}", hang(&p.word_block(words), 0));
        } else {
            let arrow = p.arrow(&value_text(&f.old), &value_text(&f.new));
            let _ = writeln!(out, "{INDENT}{}", hang(&arrow, 0));
        }
    }
}

fn events(out: &mut String, p: &Painter, diff: &IncidentDiff, all: bool) {
    let shown = visible_events(diff, all);
    if diff.events.is_empty() || (shown.len() == 1 && shown[0].is_err()) {
        return;
    }
    let _ = writeln!(out, "\n{}", p.paint(Paint::Heading, "Events"));
    for entry in shown {
        match entry {
            Err(n) => {
                let hidden = if n == 1 {
                    "1 unchanged event".to_owned()
                } else {
                    format!("{n} unchanged events")
                };
                let _ = writeln!(out, "  {}", p.paint(Paint::Dim, &format!("… {hidden}")));
            }
            Ok(e) => event(out, p, diff, e),
        }
    }
}

/// A short name for an event: its id, or the start of its text.
fn event_name(e: &Event) -> String {
    match &e.id {
        Some(id) => id.clone(),
        None => {
            let first = e.text.lines().next().unwrap_or_default().trim();
            let mut short: String = first.chars().take(60).collect();
            if short.len() < first.len() {
                short.push('…');
            }
            short
        }
    }
}

fn event(out: &mut String, p: &Painter, diff: &IncidentDiff, e: &EventDiff) {
    let (mark, paint) = match e.change {
        Change::Added => ("+", Paint::Added),
        Change::Removed => ("-", Paint::Removed),
        Change::Changed => ("~", Paint::Changed),
        Change::Unchanged => (" ", Paint::Dim),
    };
    let (side, zone) = match (&e.new, &e.old) {
        (Some(new), _) => (new, diff.new_zone),
        (None, Some(old)) => (old, diff.old_zone),
        (None, None) => return,
    };
    // Named as it is now, beside its time now; a changed id shows both.
    let renamed = e.fields.contains(&EventField::Id);
    let mut head = format!("{mark} {}  ", time::show(side.at, zone));
    match (&e.old, renamed) {
        (Some(old), true) => head.push_str(&format!("{} -> {}", event_name(old), event_name(side))),
        _ => head.push_str(&event_name(side)),
    }
    let _ = write!(out, "{}", p.paint(paint, &head));
    match shift_phrase(e) {
        Some(phrase) => {
            let _ = writeln!(out, "  {}", p.paint(Paint::Changed, &phrase));
        }
        None => out.push('\n'),
    }
    match (e.change, &e.old, &e.new) {
        (Change::Changed, Some(old), Some(new)) => changed_event(out, p, diff, e, old, new),
        (Change::Added | Change::Removed, _, _) => whole_event(out, p, side, paint),
        _ => {}
    }
}

fn whole_event(out: &mut String, p: &Painter, e: &Event, paint: Paint) {
    if let Some(phase) = e.phase {
        detail(out, "phase", &p.paint(paint, phase.as_str()));
    }
    if !e.status.is_empty() {
        let list: Vec<String> = e
            .status
            .iter()
            .map(|(name, s)| format!("{name}: {}", s.as_str()))
            .collect();
        detail(out, "status", &p.paint(paint, &list.join(", ")));
    }
    if e.internal {
        detail(out, "internal", &p.paint(paint, "yes"));
    }
    detail(out, "text", &p.paint(paint, e.text.trim_end()));
}

fn changed_event(
    out: &mut String,
    p: &Painter,
    diff: &IncidentDiff,
    e: &EventDiff,
    old: &Event,
    new: &Event,
) {
    for field in &e.fields {
        match field {
            EventField::Id => {}
            EventField::At => {
                let arrow = p.arrow(
                    &time::show(old.at, diff.old_zone),
                    &time::show(new.at, diff.new_zone),
                );
                detail(out, "at", &arrow);
            }
            EventField::Phase => {
                let name = |ph: Option<crate::model::Phase>| ph.map_or("(none)", |x| x.as_str());
                detail(out, "phase", &p.arrow(name(old.phase), name(new.phase)));
            }
            EventField::Status => detail(out, "status", &status_text(p, &e.status)),
            EventField::Text => {
                if let Some(words) = &e.text {
                    detail(out, "text", &p.word_block(words));
                }
            }
            EventField::Internal => {
                let yes = |b: bool| if b { "yes" } else { "no" };
                detail(
                    out,
                    "internal",
                    &p.arrow(yes(old.internal), yes(new.internal)),
                );
            }
            EventField::Milestone => {
                let name = |m: &Option<String>| m.clone().unwrap_or_else(|| "(none)".into());
                detail(
                    out,
                    "milestone",
                    &p.arrow(&name(&old.milestone), &name(&new.milestone)),
                );
            }
            EventField::Severity => {
                let name = |s: &Option<crate::model::Severity>| {
                    s.as_ref().map_or("(none)".to_owned(), |s| s.to_string())
                };
                detail(
                    out,
                    "severity",
                    &p.arrow(&name(&old.severity), &name(&new.severity)),
                );
            }
            EventField::Update => {
                let text = |u: &Option<String>| u.clone().unwrap_or_else(|| "(none)".into());
                detail(
                    out,
                    "update",
                    &p.arrow(&text(&old.update), &text(&new.update)),
                );
            }
            EventField::Measures => {
                let lines: Vec<String> = crate::diff::measure_changes(old, new)
                    .into_iter()
                    .map(|(key, a, b)| {
                        let (a, b) = (crate::diff::measure_value(a), crate::diff::measure_value(b));
                        format!("{key}: {}", p.arrow(&a, &b))
                    })
                    .collect();
                detail(out, "measures", &lines.join("\n"));
            }
        }
    }
}

fn status_text(p: &Painter, changes: &[StatusChange]) -> String {
    let name = |s: Option<ServiceStatus>| s.map_or("(not set)", |s| s.as_str());
    let parts: Vec<String> = changes
        .iter()
        .map(|c| format!("{}: {}", c.service, p.arrow(name(c.old), name(c.new))))
        .collect();
    parts.join("\n")
}

fn action_items(out: &mut String, p: &Painter, items: &[ActionItemDiff], all: bool) {
    let shown: Vec<&ActionItemDiff> = items
        .iter()
        .filter(|a| all || a.change != Change::Unchanged)
        .collect();
    if shown.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", p.paint(Paint::Heading, "Action items"));
    for a in shown {
        let (mark, paint) = match a.change {
            Change::Added => ("+", Paint::Added),
            Change::Removed => ("-", Paint::Removed),
            Change::Changed => ("~", Paint::Changed),
            Change::Unchanged => (" ", Paint::Dim),
        };
        let Some(item) = a.new.as_ref().or(a.old.as_ref()) else {
            continue;
        };
        let name = item.id.clone().unwrap_or_else(|| item.title.clone());
        let _ = writeln!(out, "{}", p.paint(paint, &format!("{mark} {name}")));
        match (&a.old, &a.new) {
            (Some(old), Some(new)) => changed_item(out, p, a, old, new),
            _ => whole_item(out, p, item, paint),
        }
    }
}

fn whole_item(out: &mut String, p: &Painter, item: &ActionItem, paint: Paint) {
    for name in crate::diff::ACTION_FIELDS.iter().skip(1) {
        if let Some(value) = crate::diff::fields::action_field(item, name) {
            detail(out, name, &p.paint(paint, &value));
        }
    }
}

fn changed_item(
    out: &mut String,
    p: &Painter,
    a: &ActionItemDiff,
    old: &ActionItem,
    new: &ActionItem,
) {
    for name in &a.fields {
        if *name == "title"
            && let Some(words) = &a.title
        {
            detail(out, "title", &p.words(words));
            continue;
        }
        let get = |i: &ActionItem| {
            crate::diff::fields::action_field(i, name).unwrap_or_else(|| "(none)".to_owned())
        };
        detail(out, name, &p.arrow(&get(old), &get(new)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::words::word_diff;

    #[test]
    fn wrap_breaks_at_spaces_within_width() {
        let spans = word_diff("one two three four five six", "one two 3 four five six");
        let rows = wrap(&spans, 12);
        let p = Painter {
            color: false,
            all: false,
        };
        let shown: Vec<String> = rows.iter().map(|r| p.words(r)).collect();
        assert_eq!(shown, ["one two", "[-three-]{+3+} four", "five six"]);
    }
}
