//! A Mermaid `gantt` block of the service impact windows, for Markdown reports (GitHub and
//! GitLab draw it). Times are written in the display zone, as the rest of the report.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::filters::{Style, instant};
use super::view::View;
use crate::model::ServiceStatus;

/// Text made literal in a Mermaid line: `:`, `#`, `;` and `%` would end a task name, start an
/// entity, split a statement or start a comment, so they become Mermaid entity codes; so do
/// backticks (which could close the fence) and HTML's special characters.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            ':' => out.push_str("#58;"),
            ';' => out.push_str("#59;"),
            '%' => out.push_str("#37;"),
            '`' => out.push_str("#96;"),
            '<' => out.push_str("#60;"),
            '>' => out.push_str("#62;"),
            '"' => out.push_str("#34;"),
            '&' => out.push_str("#38;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.trim().to_owned()
}

/// The gantt chart as a fenced Markdown block, or an empty string when no service was hit.
pub fn gantt(view: &View) -> String {
    if view.impact_periods == 0 {
        return String::new();
    }
    let end = view.timeline.last().map_or(view.start, |e| e.at);
    let naive = |at: DateTime<Utc>| at.with_timezone(&view.timezone).format("%Y-%m-%d %H:%M:%S");
    let mut out = String::from("```mermaid\ngantt\n");
    let _ = writeln!(
        out,
        "    title {}",
        escape(&format!("Service impact ({})", zone_label(view)))
    );
    out.push_str("    dateFormat YYYY-MM-DD HH:mm:ss\n");
    out.push_str(axis_format(view.duration.num_seconds()));
    let mut task = 0;
    for service in view.services.iter().filter(|s| s.impacted) {
        let _ = writeln!(out, "    section {}", escape(&service.name));
        for window in &service.windows {
            for segment in &window.segments {
                task += 1;
                let _ = writeln!(
                    out,
                    "    {} :{}t{task}, {}, {}",
                    escape(segment.label),
                    tag(segment.status),
                    naive(segment.from),
                    naive(segment.to.unwrap_or(end)),
                );
            }
        }
    }
    out.push_str("```\n");
    out
}

fn zone_label(view: &View) -> String {
    let zone = instant(view.start, view.timezone, Style::Zone);
    if view.utc_only {
        return zone;
    }
    format!("{}, {zone}", view.timezone.name())
}

fn axis_format(span_seconds: i64) -> &'static str {
    if span_seconds > 36 * 3600 {
        "    axisFormat %d %b %H:%M\n"
    } else {
        "    axisFormat %H:%M\n"
    }
}

/// Mermaid's task tags give major outages the strongest colour.
fn tag(status: ServiceStatus) -> &'static str {
    match status {
        ServiceStatus::MajorOutage => "crit, ",
        ServiceStatus::PartialOutage => "active, ",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_would_break_a_line() {
        assert_eq!(escape("API: v2 #1; 100%"), "API#58; v2 #35;1#59; 100#37;");
        assert_eq!(escape("a\nb"), "a b");
    }
}
