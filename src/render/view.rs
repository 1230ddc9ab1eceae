//! The view model: everything a report shows, computed once from the model and its metrics,
//! with every Markdown field already made safe for each output. Markdown, HTML and JSON are
//! printers over this one structure; docs/templates.md lists every field.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::markdown;
use crate::escape;
use crate::metrics::{self, ServiceImpact, human_duration};
use crate::model::{Incident, Phase, ServiceStatus};
use crate::time::abbreviation_of;

/// Who a report is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// The post-mortem: everything, internal events marked.
    Internal,
    /// The public post-event summary: nothing internal.
    Public,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Internal => "internal",
            Audience::Public => "public",
        }
    }
}

/// An instant, in the display zone and in UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Time {
    /// `2025-10-20T06:48:00Z`
    pub utc: String,
    /// `2025-10-20 06:48 UTC`
    pub utc_short: String,
    /// `2025-10-19T23:48:00-07:00`
    pub local: String,
    /// `2025-10-19`
    pub date: String,
    /// `23:48` (with seconds when they are not zero)
    pub time: String,
    /// `PDT`
    pub abbreviation: String,
    /// `2025-10-19 23:48 PDT`
    pub display: String,
    /// `11:48 PM PDT on October 19, 2025`
    pub long: String,
    /// Seconds since 1970-01-01 UTC.
    pub unix: i64,
}

impl Time {
    pub fn new(at: DateTime<Utc>, zone: Tz) -> Time {
        let local = at.with_timezone(&zone);
        let abbreviation = abbreviation_of(&local);
        let seconds = at.timestamp() % 60 != 0;
        let clock = if seconds { "%H:%M:%S" } else { "%H:%M" };
        let time = local.format(clock).to_string();
        let date = local.format("%Y-%m-%d").to_string();
        let twelve = local.format(if seconds { "%-I:%M:%S %p" } else { "%-I:%M %p" });
        Time {
            utc: at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            utc_short: at.format(&format!("%Y-%m-%d {clock} UTC")).to_string(),
            local: local.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            display: format!("{date} {time} {abbreviation}"),
            long: format!("{twelve} {abbreviation} on {}", local.format("%B %-d, %Y")),
            date,
            time,
            abbreviation,
            unix: at.timestamp(),
        }
    }
}

/// A length of time, in seconds and for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duration {
    pub seconds: i64,
    /// `2h 52m`
    pub human: String,
}

impl Duration {
    pub fn new(d: TimeDelta) -> Duration {
        Duration {
            seconds: d.num_seconds(),
            human: human_duration(d),
        }
    }
}

/// A Markdown field, ready for each output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    /// Markdown with raw HTML escaped and unsafe links removed: for Markdown templates.
    pub markdown: String,
    /// The same on one line with `|` escaped: for Markdown table cells.
    pub inline: String,
    /// Sanitised HTML: for HTML templates (mark it `| safe`).
    pub html: String,
    /// Plain text on one line, no markup.
    pub plain: String,
}

impl Text {
    pub fn new(md: &str) -> Text {
        Text {
            markdown: escape::markdown_block(md.trim_end()),
            inline: escape::markdown_flat(md),
            html: markdown::to_html(md),
            plain: markdown::plain(md),
        }
    }
}

/// One phase metric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetricView {
    /// `time_to_detect`
    pub key: &'static str,
    /// `Time to detect`
    pub label: &'static str,
    /// The phase it measures up to: `detected`.
    pub phase: &'static str,
    /// `null` when a phase is missing.
    pub seconds: Option<i64>,
    /// `2h 52m`, or `—` when a phase is missing.
    pub human: String,
}

/// A phase marked on the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseView {
    pub phase: &'static str,
    pub at: Time,
}

/// A stretch of one status inside an impact window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SegmentView {
    /// `partial_outage`
    pub status: &'static str,
    /// `partial outage`
    pub label: &'static str,
    pub from: Time,
    /// `null` while ongoing.
    pub to: Option<Time>,
    pub duration: Duration,
}

/// A period in which a service was not operational.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowView {
    pub from: Time,
    /// `null` while ongoing.
    pub to: Option<Time>,
    pub ongoing: bool,
    pub duration: Duration,
    /// `major_outage`
    pub worst_status: &'static str,
    /// `major outage`
    pub worst_label: &'static str,
    pub segments: Vec<SegmentView>,
}

/// A declared service and its impact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceView {
    pub name: String,
    pub description: Option<Text>,
    /// Whether it ever left `operational`.
    pub impacted: bool,
    /// Sum of its windows.
    pub impact: Duration,
    pub windows: Vec<WindowView>,
}

/// One status change at an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeView {
    pub service: String,
    /// The status before: `operational`
    pub from: &'static str,
    pub to: &'static str,
    pub from_label: &'static str,
    pub to_label: &'static str,
}

/// One event of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventView {
    pub id: Option<String>,
    pub at: Time,
    /// `detected`, or `null`.
    pub phase: Option<&'static str>,
    pub changes: Vec<ChangeView>,
    pub text: Text,
    /// Only ever true in an internal report.
    pub internal: bool,
}

/// A follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionView {
    pub id: Option<String>,
    pub title: String,
    /// `prevent`
    pub kind: &'static str,
    /// `null` in a public report.
    pub owner: Option<String>,
    /// `2025-11-15`
    pub due: Option<String>,
    /// `in_progress`
    pub status: &'static str,
    /// `in progress`
    pub status_label: String,
    /// Only http(s), mailto or relative links; others are dropped.
    pub link: Option<String>,
}

/// A related page (only http(s), mailto or relative URLs are kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

/// What the team learned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LessonsView {
    pub went_well: Vec<Text>,
    pub went_wrong: Vec<Text>,
    pub lucky: Vec<Text>,
    /// Whether any list has an item.
    pub any: bool,
}

/// The prose sections, `null` when the log leaves them out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sections {
    pub summary: Option<Text>,
    pub impact: Option<Text>,
    pub root_cause: Option<Text>,
    pub trigger: Option<Text>,
    pub detection: Option<Text>,
    pub resolution: Option<Text>,
    pub contributing_factors: Vec<Text>,
    /// Always `null` in a public report.
    pub internal_notes: Option<Text>,
}

/// Everything a report template receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct View {
    pub audience: Audience,
    /// `audience == "public"`
    pub public: bool,
    pub id: String,
    pub title: String,
    pub severity: &'static str,
    pub status: &'static str,
    /// The display zone (the log's, or `--tz`).
    pub timezone: String,
    /// The zone the log was written in.
    pub log_timezone: String,
    pub regions: Vec<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    /// The `started` phase, or the first event.
    pub start: Time,
    /// The `resolved` phase; `null` while unresolved.
    pub end: Option<Time>,
    /// From `start` to `end` (to the last event while unresolved).
    pub duration: Duration,
    pub resolved: bool,
    pub sections: Sections,
    pub lessons: LessonsView,
    pub metrics: Vec<MetricView>,
    pub phases: Vec<PhaseView>,
    /// Every declared service, in declaration order.
    pub services: Vec<ServiceView>,
    /// How many services left `operational`.
    pub impacted_services: usize,
    /// How many impact windows there are over all services.
    pub impact_periods: usize,
    pub timeline: Vec<EventView>,
    pub action_items: Vec<ActionView>,
    pub links: Vec<LinkView>,
}

/// Builds the view of `incident` for `audience`, showing times in `zone`.
///
/// Metrics and impact windows are facts of the whole incident, so both audiences see the
/// same numbers; a public view leaves out internal events, internal notes and owners.
pub fn build(incident: &Incident, audience: Audience, zone: Tz) -> View {
    let public = audience == Audience::Public;
    let t = |at| Time::new(at, zone);
    let (first, last) = incident.span();
    let start = incident.phase_at(Phase::Started).unwrap_or(first);
    let end = incident.phase_at(Phase::Resolved);
    let impacts = metrics::service_impacts(incident);
    View {
        audience,
        public,
        id: incident.id.clone(),
        title: incident.title.clone(),
        severity: incident.severity.as_str(),
        status: incident.status.as_str(),
        timezone: zone.name().to_owned(),
        log_timezone: incident.timezone.name().to_owned(),
        regions: incident.regions.clone(),
        tags: incident.tags.clone(),
        authors: incident.authors.clone(),
        start: t(start),
        end: end.map(t),
        duration: Duration::new(end.unwrap_or(last) - start),
        resolved: incident.is_resolved(),
        sections: sections(incident, public),
        lessons: lessons(incident),
        metrics: metric_views(incident),
        phases: Phase::ALL
            .iter()
            .filter_map(|&p| {
                Some(PhaseView {
                    phase: p.as_str(),
                    at: t(incident.phase_at(p)?),
                })
            })
            .collect(),
        impacted_services: impacts.iter().filter(|s| !s.windows.is_empty()).count(),
        impact_periods: impacts.iter().map(|s| s.windows.len()).sum(),
        services: service_views(incident, &impacts, zone, last),
        timeline: event_views(incident, public, zone),
        action_items: action_views(incident, public),
        links: incident
            .links
            .iter()
            .filter(|l| escape::is_safe_url(&l.url))
            .map(|l| LinkView {
                title: l.title.clone(),
                url: l.url.trim().to_owned(),
            })
            .collect(),
    }
}

fn text(md: &Option<String>) -> Option<Text> {
    md.as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(Text::new)
}

fn texts(items: &[String]) -> Vec<Text> {
    items
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| Text::new(s))
        .collect()
}

fn sections(incident: &Incident, public: bool) -> Sections {
    Sections {
        summary: text(&incident.summary),
        impact: text(&incident.impact),
        root_cause: text(&incident.root_cause),
        trigger: text(&incident.trigger),
        detection: text(&incident.detection),
        resolution: text(&incident.resolution),
        contributing_factors: texts(&incident.contributing_factors),
        internal_notes: if public {
            None
        } else {
            text(&incident.internal_notes)
        },
    }
}

fn lessons(incident: &Incident) -> LessonsView {
    let l = &incident.lessons;
    LessonsView {
        went_well: texts(&l.went_well),
        went_wrong: texts(&l.went_wrong),
        lucky: texts(&l.lucky),
        any: !l.is_empty(),
    }
}

fn metric_views(incident: &Incident) -> Vec<MetricView> {
    metrics::phase_metrics(incident)
        .all()
        .iter()
        .map(|m| MetricView {
            key: m.key,
            label: m.label,
            phase: m.phase.as_str(),
            seconds: m.value.map(|d| d.num_seconds()),
            human: m.value.map_or_else(|| "—".to_owned(), human_duration),
        })
        .collect()
}

fn service_views(
    incident: &Incident,
    impacts: &[ServiceImpact],
    zone: Tz,
    last: DateTime<Utc>,
) -> Vec<ServiceView> {
    let t = |at| Time::new(at, zone);
    incident
        .services
        .iter()
        .zip(impacts)
        .map(|(service, impact)| ServiceView {
            name: service.name.clone(),
            description: text(&service.description),
            impacted: !impact.windows.is_empty(),
            impact: Duration::new(impact.total),
            windows: impact
                .windows
                .iter()
                .map(|w| WindowView {
                    from: t(w.from),
                    to: w.to.map(t),
                    ongoing: w.is_ongoing(),
                    duration: Duration::new(w.duration(last)),
                    worst_status: w.worst.as_str(),
                    worst_label: w.worst.label(),
                    segments: w
                        .segments
                        .iter()
                        .map(|s| SegmentView {
                            status: s.status.as_str(),
                            label: s.status.label(),
                            from: t(s.from),
                            to: s.to.map(t),
                            duration: Duration::new(s.duration(last)),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// The timeline with each status change as old -> new. The old status comes from the whole
/// timeline, so a public view shows the same transitions even when an internal event made one.
fn event_views(incident: &Incident, public: bool, zone: Tz) -> Vec<EventView> {
    let mut current: BTreeMap<&str, ServiceStatus> = BTreeMap::new();
    let mut out = Vec::new();
    for event in &incident.timeline {
        let changes: Vec<ChangeView> = event
            .status
            .iter()
            .map(|(service, to)| {
                let from = current
                    .insert(service.as_str(), *to)
                    .unwrap_or(ServiceStatus::Operational);
                ChangeView {
                    service: service.clone(),
                    from: from.as_str(),
                    to: to.as_str(),
                    from_label: from.label(),
                    to_label: to.label(),
                }
            })
            .collect();
        if public && event.internal {
            continue;
        }
        out.push(EventView {
            id: event.id.clone(),
            at: Time::new(event.at, zone),
            phase: event.phase.map(Phase::as_str),
            changes,
            text: Text::new(&event.text),
            internal: event.internal,
        });
    }
    out
}

fn action_views(incident: &Incident, public: bool) -> Vec<ActionView> {
    incident
        .action_items
        .iter()
        .map(|a| ActionView {
            id: a.id.clone(),
            title: a.title.clone(),
            kind: a.kind.as_str(),
            owner: if public { None } else { a.owner.clone() },
            due: a.due.map(|d| d.format("%Y-%m-%d").to_string()),
            status: a.status.as_str(),
            status_label: a.status.as_str().replace('_', " "),
            link: a
                .link
                .as_deref()
                .filter(|l| escape::is_safe_url(l))
                .map(|l| l.trim().to_owned()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_show_both_zones() {
        let at = DateTime::parse_from_rfc3339("2025-10-20T06:48:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let t = Time::new(at, chrono_tz::America::Los_Angeles);
        assert_eq!(t.utc, "2025-10-20T06:48:00Z");
        assert_eq!(t.local, "2025-10-19T23:48:00-07:00");
        assert_eq!(t.display, "2025-10-19 23:48 PDT");
        assert_eq!(t.long, "11:48 PM PDT on October 19, 2025");
        assert_eq!(t.utc_short, "2025-10-20 06:48 UTC");
    }
}
