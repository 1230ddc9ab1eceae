//! The printers of `postevent stats` besides JSON (which is the site's `stats.json`): a CSV
//! with one row per incident, and the figures of [`crate::site::stats::Stats`] as Markdown.

use chrono::TimeDelta;

use crate::escape::{self, markdown_table_cell as cell};
use crate::metrics::human_duration;
use crate::site::Entry;
use crate::site::followups::is_open;
use crate::site::stats::Stats;
use crate::site::trends::Figure;

/// Every metric key of `entries`, in the order they first appear.
fn metric_keys(entries: &[Entry]) -> Vec<&str> {
    let mut keys: Vec<&str> = Vec::new();
    for m in entries.iter().flat_map(|e| &e.metrics) {
        if !keys.contains(&m.key.as_str()) {
            keys.push(&m.key);
        }
    }
    keys
}

/// One row per incident (oldest first, then by id), RFC 4180 with CRLF line ends: its id,
/// title, severity, status, start and end (UTC), every metric in seconds (`<key>_s`, empty
/// when not marked), its services (`;`-separated), the impaired ones, its tags, and counts.
pub fn csv(entries: &[Entry]) -> String {
    let keys = metric_keys(entries);
    let mut header: Vec<String> = [
        "id",
        "title",
        "severity",
        "status",
        "start",
        "end",
        "duration_s",
    ]
    .map(str::to_owned)
    .to_vec();
    header.extend(keys.iter().map(|k| format!("{k}_s")));
    header.extend(
        [
            "services",
            "impacted_services",
            "tags",
            "service_count",
            "impacted_service_count",
            "action_items",
            "open_action_items",
            "closed_action_items",
        ]
        .map(str::to_owned),
    );
    let mut out = escape::csv_record(&header);
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by(|a, b| {
        a.start_unix
            .cmp(&b.start_unix)
            .then_with(|| a.id.cmp(&b.id))
    });
    let joined = |names: Vec<&str>| escape::csv_field(&names.join(";"));
    for e in sorted {
        let mut row = vec![
            escape::csv_field(&e.id),
            escape::csv_field(&e.title),
            escape::csv_field(&e.severity),
            escape::csv_field(&e.status),
            e.start.clone(),
            e.end.clone().unwrap_or_default(),
            e.duration_s.to_string(),
        ];
        for key in &keys {
            let value = e
                .metrics
                .iter()
                .find(|m| m.key == *key)
                .and_then(|m| m.seconds);
            row.push(value.map_or_else(String::new, |s| s.to_string()));
        }
        let open = e.action_items.iter().filter(|a| is_open(a.status)).count();
        let impacted: Vec<&str> = e
            .services
            .iter()
            .filter(|s| s.impacted)
            .map(|s| s.name.as_str())
            .collect();
        row.extend([
            joined(e.services.iter().map(|s| s.name.as_str()).collect()),
            joined(impacted.clone()),
            joined(e.tags.iter().map(|t| t.name.as_str()).collect()),
            e.services.len().to_string(),
            impacted.len().to_string(),
            e.action_items.len().to_string(),
            open.to_string(),
            (e.action_items.len() - open).to_string(),
        ]);
        out.push_str(&escape::csv_record(&row));
    }
    out
}

fn duration(s: Option<i64>) -> String {
    s.map_or_else(|| "—".to_owned(), |s| human_duration(TimeDelta::seconds(s)))
}

fn percent(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| format!("{:.0}%", r * 100.0))
}

/// The header and rule of a table whose rows start with `first` and hold `times`.
fn times_header(first: &str, times: &[Figure], extra: &[&str]) -> String {
    let mut head = format!("| {first} | Incidents |");
    for f in times {
        head.push_str(&format!(" {} (median) | {} (p90) |", f.label, f.label));
    }
    for e in extra {
        head.push_str(&format!(" {e} |"));
    }
    let columns = 2 + times.len() * 2 + extra.len();
    format!("{head}\n|{}\n", "---|".repeat(columns))
}

fn times_cells(times: &[Figure]) -> String {
    times
        .iter()
        .map(|f| format!(" {} | {} |", duration(f.median_s), duration(f.p90_s)))
        .collect()
}

/// Incidents per month by severity, with the time to resolve of the resolved ones.
fn months(stats: &Stats) -> String {
    let mut out = String::from("## Per month\n\n| Month | Incidents |");
    for (severity, _) in &stats.scale {
        out.push_str(&format!(" {} |", cell(severity)));
    }
    out.push_str(" Resolved | Median to resolve | Longest to resolve |\n|");
    out.push_str(&"---|".repeat(5 + stats.scale.len()));
    out.push('\n');
    for m in &stats.months {
        out.push_str(&format!("| {} | {} |", m.month, m.incidents));
        for (severity, _) in &stats.scale {
            out.push_str(&format!(" {} |", m.by_severity.get(severity).unwrap_or(&0)));
        }
        out.push_str(&format!(
            " {} | {} | {} |\n",
            m.resolved,
            duration(m.median_resolve_s),
            duration(m.worst_resolve_s)
        ));
    }
    out.push('\n');
    out
}

/// The figures as Markdown tables, in the order of the stats page.
pub fn markdown(stats: &Stats) -> String {
    let t = &stats.trends;
    let mut out = format!("# Stats\n\n{} incident(s).\n\n", stats.incidents);
    out.push_str(&months(stats));
    out.push_str("## Metrics\n\n| Metric | Incidents | Median | Longest |\n|---|---|---|---|\n");
    for m in &stats.metrics {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            cell(&m.label),
            m.incidents,
            duration(m.median_s),
            duration(m.worst_s)
        ));
    }
    if !stats.services.is_empty() {
        out.push_str("\n## Total impact per service\n\n| Service | Incidents | Total impact |\n|---|---|---|\n");
        for s in &stats.services {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                cell(&s.name),
                s.incidents,
                duration(Some(s.impact_s))
            ));
        }
    }
    if let Some(first) = t.quarters.first() {
        out.push_str("\n## Per quarter\n\n");
        out.push_str(&times_header(
            "Quarter",
            &first.times,
            &["Action items", "Closed", "Closure"],
        ));
        for q in &t.quarters {
            out.push_str(&format!(
                "| {} | {} |{} {} | {} | {} |\n",
                q.quarter,
                q.incidents,
                times_cells(&q.times),
                q.action_items,
                q.closed_action_items,
                percent(q.closure_rate)
            ));
        }
    }
    if let Some(first) = t.severities.first() {
        out.push_str("\n## Per severity\n\n");
        out.push_str(&times_header("Severity", &first.times, &[]));
        for s in &t.severities {
            out.push_str(&format!(
                "| {} | {} |{}\n",
                cell(&s.severity),
                s.incidents,
                times_cells(&s.times)
            ));
        }
    }
    if !t.services.is_empty() {
        out.push_str("\n## Incidents per service per quarter\n\n| Service | Total |");
        for q in &t.quarters {
            out.push_str(&format!(" {} |", q.quarter));
        }
        out.push_str(&format!("\n|{}\n", "---|".repeat(2 + t.quarters.len())));
        for s in &t.services {
            out.push_str(&format!("| {} | {} |", cell(&s.name), s.incidents));
            for n in &s.per_quarter {
                out.push_str(&format!(" {n} |"));
            }
            out.push('\n');
        }
    }
    for (heading, list) in [
        ("Recurring services", &t.recurring_services),
        ("Recurring tags", &t.recurring_tags),
    ] {
        out.push_str(&format!("\n## {heading}\n\n"));
        if list.is_empty() {
            out.push_str("None in two incidents or more.\n");
            continue;
        }
        out.push_str("| Name | Incidents |\n|---|---|\n");
        for r in list {
            out.push_str(&format!("| {} | {} |\n", cell(&r.name), r.incidents));
        }
    }
    out
}
