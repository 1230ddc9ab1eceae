//! The printers of `postevent actions`: one list of follow-ups (already filtered and sorted,
//! see [`crate::site::followups`]) as a text table grouped by owner, Markdown, JSON or CSV.
//! Every text from a log goes through [`crate::escape`] for its output.

use chrono::NaiveDate;
use serde::Serialize;

use crate::escape;
use crate::site::followups::{self, FollowUp, Summary};

/// The version of the JSON document's shape.
pub const FORMAT_VERSION: u32 = 1;

/// The status column: `OVERDUE` for an overdue item, else its status.
fn state(f: &FollowUp) -> &'static str {
    if f.overdue {
        "OVERDUE"
    } else {
        f.status.as_str()
    }
}

fn due(f: &FollowUp) -> String {
    f.due.map_or_else(|| "-".to_owned(), |d| d.to_string())
}

/// A table for people, grouped by owner (nobody last), overdue items first in each group,
/// with a line of totals at the end.
pub fn text(items: &[FollowUp], summary: &Summary) -> String {
    let mut out = String::new();
    for group in followups::by_owner(items) {
        let name = group
            .owner
            .map_or_else(|| "(no owner)".to_owned(), str::to_owned);
        out.push_str(&format!(
            "{} ({} open, {} overdue)\n",
            escape::terminal(name),
            group.open,
            group.overdue
        ));
        let rows: Vec<[String; 5]> = group
            .items
            .iter()
            .map(|f| {
                [
                    state(f).to_owned(),
                    due(f),
                    f.kind.as_str().to_owned(),
                    format!("{} {}", f.incident_id, f.severity),
                    escape::terminal(f.title.replace(['\n', '\r', '\t'], " ")),
                ]
            })
            .collect();
        let mut widths = [0usize; 4];
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for row in &rows {
            out.push_str("  ");
            for (w, cell) in widths.iter().zip(row) {
                out.push_str(&format!("{cell:<w$}  "));
            }
            out.push_str(&row[4]);
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&totals(summary));
    out
}

/// `12 item(s): 5 open, 2 overdue on 2025-03-01, 7 closed (58%)`
fn totals(s: &Summary) -> String {
    let pct = s
        .closure_rate
        .map_or_else(String::new, |r| format!(" ({:.0}%)", r * 100.0));
    format!(
        "{} item(s): {} open, {} overdue on {}, {} closed{pct}\n",
        s.total, s.open, s.overdue, s.today, s.closed
    )
}

/// A Markdown table (one row per item, in the order given) and the totals.
pub fn markdown(items: &[FollowUp], summary: &Summary) -> String {
    let mut out = String::from(
        "| Owner | Due | Status | Kind | Incident | Severity | Action item |\n|---|---|---|---|---|---|---|\n",
    );
    for f in items {
        let title = match f.link {
            Some(link) => format!(
                "[{}]({})",
                escape::markdown_table_cell(f.title),
                escape::markdown_link_target(link)
            ),
            None => escape::markdown_table_cell(f.title),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            f.owner
                .map_or_else(String::new, escape::markdown_table_cell),
            due(f),
            state(f),
            f.kind,
            escape::markdown_table_cell(f.incident_id),
            escape::markdown_table_cell(f.severity),
            title
        ));
    }
    out.push('\n');
    out.push_str(&totals(summary));
    out
}

#[derive(Serialize)]
struct Document<'a> {
    format_version: u32,
    today: NaiveDate,
    summary: &'a Summary,
    items: &'a [FollowUp<'a>],
}

/// `{format_version, today, summary, items}`, pretty-printed, with a final newline.
pub fn json(items: &[FollowUp], summary: &Summary) -> String {
    let doc = Document {
        format_version: FORMAT_VERSION,
        today: summary.today,
        summary,
        items,
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// The columns of the CSV, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "incident_id",
    "incident_title",
    "severity",
    "incident_date",
    "id",
    "title",
    "kind",
    "owner",
    "due",
    "status",
    "open",
    "overdue",
    "age_days",
    "link",
];

/// One row per item (RFC 4180, CRLF line ends), with a header.
pub fn csv(items: &[FollowUp]) -> String {
    let mut out = escape::csv_record(CSV_COLUMNS);
    for f in items {
        let text = |t: Option<&str>| t.map_or_else(String::new, escape::csv_field);
        out.push_str(&escape::csv_record(&[
            escape::csv_field(f.incident_id),
            escape::csv_field(f.incident_title),
            escape::csv_field(f.severity),
            f.incident_date.to_string(),
            text(f.id),
            escape::csv_field(f.title),
            f.kind.as_str().to_owned(),
            text(f.owner),
            f.due.map_or_else(String::new, |d| d.to_string()),
            f.status.as_str().to_owned(),
            f.open.to_string(),
            f.overdue.to_string(),
            f.age_days.map_or_else(String::new, |d| d.to_string()),
            text(f.link),
        ]));
    }
    out
}
