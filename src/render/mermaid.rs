//! A Mermaid `gantt` block of the service impact windows, for Markdown reports (GitHub and
//! GitLab draw it). Times are written in the display zone, as the rest of the report.

use std::fmt::Write;

use super::view::View;

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
        crate::escape::mermaid(&format!("Service impact ({})", zone_label(view)))
    );
    out.push_str("    dateFormat YYYY-MM-DD HH:mm:ss\n");
    out.push_str(axis_format(view.duration.seconds));
    let mut task = 0;
    for service in view.services.iter().filter(|s| s.impacted) {
        let _ = writeln!(out, "    section {}", crate::escape::mermaid(&service.name));
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
                    crate::escape::mermaid(segment.label),
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
