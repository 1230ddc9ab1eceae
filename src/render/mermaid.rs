//! A Mermaid `gantt` block of the service impact windows, for Markdown reports (GitHub and
//! GitLab draw it). Times are written in the display zone, as the rest of the report.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::filters::{Style, instant};
use super::view::View;
use crate::model::ServiceStatus;

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
        crate::escape::mermaid(&format!("Service impact ({})", zone_label(view)))
    );
    out.push_str("    dateFormat YYYY-MM-DD HH:mm:ss\n");
    out.push_str(axis_format(view.duration.num_seconds()));
    let mut task = 0;
    for service in view.services.iter().filter(|s| s.impacted) {
        let _ = writeln!(out, "    section {}", crate::escape::mermaid(&service.name));
        for window in &service.windows {
            for segment in &window.segments {
                task += 1;
                let _ = writeln!(
                    out,
                    "    {} :{}t{task}, {}, {}",
                    crate::escape::mermaid(segment.label),
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
