//! Printers over an [`IncidentDiff`]: text for a terminal, Markdown for
//! a pull-request comment, JSON for scripts. Each returns a `String`; none prints.

mod json;
mod markdown;
mod text;

use chrono::TimeDelta;

use super::{Change, EventDiff, IncidentDiff, WordOp, WordSpan};
use crate::metrics::human_duration;

pub use json::{document as json_document, json};
pub use markdown::markdown;
pub use text::text;

/// What every printer needs besides the diff.
#[derive(Debug, Clone, Default)]
pub struct DisplayOptions {
    /// How the old and new sides are named (file names, `REV:PATH`).
    pub old_name: String,
    pub new_name: String,
    /// Show unchanged events and action items too.
    pub all: bool,
    /// ANSI colour (text only).
    pub color: bool,
}

/// A duration with its sign: `+1h 22m`, `-40m`, `0m`.
pub fn signed(d: TimeDelta) -> String {
    if d > TimeDelta::zero() {
        format!("+{}", human_duration(d))
    } else {
        human_duration(d)
    }
}

/// A duration that may be missing: "—" when it is.
pub fn maybe(d: Option<TimeDelta>) -> String {
    d.map_or_else(|| "—".to_owned(), human_duration)
}

/// How far an event moved, in words: "started 2m earlier", "moved 1h 5m later".
pub fn shift_phrase(event: &EventDiff) -> Option<String> {
    let shift = event.shift?;
    let verb = event.phase().map_or("moved", |p| p.as_str());
    let direction = if shift < TimeDelta::zero() {
        "earlier"
    } else {
        "later"
    };
    Some(format!(
        "{verb} {} {direction}",
        human_duration(shift.abs())
    ))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The one-line summary: "4 events changed, 9 added, 0 removed; time to resolve -40m".
pub fn summary_line(diff: &IncidentDiff) -> String {
    if diff.is_equal() {
        return "no differences".to_owned();
    }
    let s = diff.summary();
    let mut parts = vec![format!(
        "{} changed, {} added, {} removed",
        plural(s.changed, "event", "events"),
        s.added,
        s.removed
    )];
    let fields = diff.fields.len();
    let items = |change: Change| {
        diff.action_items
            .iter()
            .filter(|a| a.change == change)
            .count()
    };
    let changed = items(Change::Changed);
    let others: Vec<String> = [
        (fields, plural(fields, "field", "fields")),
        (changed, plural(changed, "action item", "action items")),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(_, text)| text)
    .collect();
    if !others.is_empty() {
        parts.push(format!("{} changed", others.join(" and ")));
    }
    let moved: Vec<String> = [(Change::Added, "added"), (Change::Removed, "removed")]
        .into_iter()
        .map(|(change, word)| (items(change), word))
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| format!("{} {word}", plural(n, "action item", "action items")))
        .collect();
    if !moved.is_empty() {
        parts.push(moved.join(", "));
    }
    let metrics: Vec<String> = diff
        .metrics
        .iter()
        .filter(|m| m.changed())
        .map(|m| {
            let label = m.label.to_lowercase();
            match (m.old, m.new, m.delta()) {
                (_, _, Some(d)) => format!("{label} {}", signed(d)),
                (None, Some(_), None) => format!("{label} now known"),
                _ => format!("{label} no longer known"),
            }
        })
        .collect();
    if !metrics.is_empty() {
        parts.push(metrics.join(", "));
    }
    parts.join("; ")
}

/// The events to show: every changed one, and unchanged ones only with `all`. Runs of hidden
/// events become `Err(count)` so printers can say how many were left out.
pub fn visible_events(diff: &IncidentDiff, all: bool) -> Vec<Result<&EventDiff, usize>> {
    let mut out: Vec<Result<&EventDiff, usize>> = Vec::new();
    for event in &diff.events {
        if all || event.change != Change::Unchanged {
            out.push(Ok(event));
        } else if let Some(Err(n)) = out.last_mut() {
            *n += 1;
        } else {
            out.push(Err(1));
        }
    }
    out
}

/// One line of a word diff, or a run of unchanged lines left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    Shown(Vec<WordSpan>),
    /// How many unchanged lines were left out.
    Elided(usize),
}

/// Splits a word diff into lines (of the reflowed text: one per paragraph or list item) and,
/// unless `all`, leaves out the lines without a change.
pub fn diff_lines(spans: &[WordSpan], all: bool) -> Vec<DiffLine> {
    let mut lines: Vec<(bool, Vec<WordSpan>)> = vec![(false, Vec::new())];
    for span in spans {
        for (k, piece) in span.text.split('\n').enumerate() {
            if k > 0 {
                lines.push((false, Vec::new()));
            }
            let Some((changed, line)) = lines.last_mut() else {
                continue;
            };
            *changed |= span.op != WordOp::Equal;
            if !piece.is_empty() {
                line.push(WordSpan {
                    op: span.op,
                    text: piece.to_owned(),
                });
            }
        }
    }
    let mut out = Vec::new();
    for (changed, line) in lines {
        if all || changed {
            out.push(DiffLine::Shown(line));
        } else if let Some(DiffLine::Elided(n)) = out.last_mut() {
            *n += 1;
        } else {
            out.push(DiffLine::Elided(1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_durations() {
        assert_eq!(signed(TimeDelta::minutes(-40)), "-40m");
        assert_eq!(signed(TimeDelta::minutes(82)), "+1h 22m");
        assert_eq!(signed(TimeDelta::zero()), "0m");
    }

    #[test]
    fn diff_lines_elide_unchanged_paragraphs() {
        let spans = crate::diff::words::word_diff("a\n\nb c\n\nd", "a\n\nb x\n\nd");
        let lines = diff_lines(&spans, false);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(lines[0], DiffLine::Elided(2));
        assert!(matches!(&lines[1], DiffLine::Shown(l) if l.len() == 3));
        assert_eq!(lines[2], DiffLine::Elided(2));
        assert_eq!(diff_lines(&spans, true).len(), 5);
    }
}
