//! A Mermaid `gantt` block of the service impact windows, for Markdown reports (GitHub and
//! GitLab draw it). Times are written in the display zone, as the rest of the report.

use std::fmt::Write;

use super::view::View;

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
    let end = view
        .timeline
        .last()
        .map(|e| e.at.local.clone())
        .unwrap_or_else(|| view.start.local.clone());
    let mut out = String::from("```mermaid\ngantt\n");
    let _ = writeln!(
        out,
        "    title {}",
        escape(&format!("Service impact ({})", zone_label(view)))
    );
    out.push_str("    dateFormat YYYY-MM-DD HH:mm:ss\n");
    out.push_str(axis_format(view.duration.seconds));
    let mut task = 0;
    for service in view.services.iter().filter(|s| s.impacted) {
        let _ = writeln!(out, "    section {}", escape(&service.name));
        for window in &service.windows {
            for segment in &window.segments {
                task += 1;
                let to = segment
                    .to
                    .as_ref()
                    .map_or(end.as_str(), |t| t.local.as_str());
                let _ = writeln!(
                    out,
                    "    {} :{}t{task}, {}, {}",
                    escape(segment.label),
                    tag(segment.status),
                    naive(&segment.from.local),
                    naive(to),
                );
            }
        }
    }
    out.push_str("```\n");
    out
}

fn zone_label(view: &View) -> String {
    format!("{}, {}", view.timezone, view.start.abbreviation)
}

/// Drops the offset from a local RFC 3339 time (Mermaid reads a local wall-clock time) and
/// writes it as `2025-10-19 23:48:00`.
fn naive(local: &str) -> String {
    local.get(..19).unwrap_or(local).replacen('T', " ", 1)
}

fn axis_format(span_seconds: i64) -> &'static str {
    if span_seconds > 36 * 3600 {
        "    axisFormat %d %b %H:%M\n"
    } else {
        "    axisFormat %H:%M\n"
    }
}

/// Mermaid's task tags give major outages the strongest colour.
fn tag(status: &str) -> &'static str {
    match status {
        "major_outage" => "crit, ",
        "partial_outage" => "active, ",
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
