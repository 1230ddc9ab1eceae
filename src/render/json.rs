//! The JSON report: a stable contract for scripts (`format_version` 1). Fields may be added,
//! never renamed. Instants are RFC 3339 UTC with `Z`; durations are whole seconds.

use std::collections::BTreeMap;

use serde::Serialize;

use super::view::View;
use crate::redact::Audience;

/// The version of this document's shape.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Document<'a> {
    pub format_version: u32,
    pub id: &'a str,
    pub title: &'a str,
    pub severity: &'a str,
    pub status: &'a str,
    /// The display zone.
    pub timezone: &'a str,
    pub audience: Audience,
    pub regions: &'a [String],
    pub tags: &'a [String],
    pub authors: &'a [String],
    /// The `started` phase, or the first event.
    pub started_at: &'a str,
    /// The `resolved` phase, `null` while unresolved.
    pub resolved_at: Option<&'a str>,
    pub metrics: Metrics,
    pub services: Vec<Service<'a>>,
    pub timeline: Vec<Event<'a>>,
    pub action_items: Vec<ActionItem<'a>>,
    pub links: Vec<Link<'a>>,
}

/// Phase metrics in seconds, `null` when a phase is missing.
#[derive(Debug, Default, Serialize)]
pub struct Metrics {
    pub time_to_detect_s: Option<i64>,
    pub time_to_acknowledge_s: Option<i64>,
    pub time_to_identify_s: Option<i64>,
    pub time_to_mitigate_s: Option<i64>,
    pub time_to_resolve_s: Option<i64>,
}

impl Metrics {
    fn new(v: &View) -> Metrics {
        let mut m = Metrics::default();
        for metric in &v.metrics {
            let slot = match metric.key {
                "time_to_detect" => &mut m.time_to_detect_s,
                "time_to_acknowledge" => &mut m.time_to_acknowledge_s,
                "time_to_identify" => &mut m.time_to_identify_s,
                "time_to_mitigate" => &mut m.time_to_mitigate_s,
                _ => &mut m.time_to_resolve_s,
            };
            *slot = metric.seconds;
        }
        m
    }
}

#[derive(Debug, Serialize)]
pub struct Service<'a> {
    pub name: &'a str,
    pub impact_s: i64,
    pub windows: Vec<Window<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Window<'a> {
    pub from: &'a str,
    /// `null` while ongoing.
    pub to: Option<&'a str>,
    pub duration_s: i64,
    pub worst_status: &'a str,
    pub segments: Vec<Segment<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Segment<'a> {
    pub status: &'a str,
    pub from: &'a str,
    pub to: Option<&'a str>,
    pub duration_s: i64,
}

#[derive(Debug, Serialize)]
pub struct Event<'a> {
    pub id: Option<&'a str>,
    pub at: &'a str,
    pub at_local: &'a str,
    pub phase: Option<&'a str>,
    /// Service -> the status it has from this event on.
    pub status: BTreeMap<&'a str, &'a str>,
    /// Markdown, with raw HTML escaped and unsafe links removed.
    pub text: &'a str,
    pub internal: bool,
}

#[derive(Debug, Serialize)]
pub struct ActionItem<'a> {
    pub id: Option<&'a str>,
    pub title: &'a str,
    pub kind: &'a str,
    /// Always `null` in a public report.
    pub owner: Option<&'a str>,
    pub due: Option<&'a str>,
    pub status: &'a str,
    pub link: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct Link<'a> {
    pub title: &'a str,
    pub url: &'a str,
}

impl<'a> Document<'a> {
    pub fn new(v: &'a View) -> Self {
        Document {
            format_version: FORMAT_VERSION,
            id: &v.id,
            title: &v.title,
            severity: v.severity,
            status: v.status,
            timezone: &v.timezone,
            audience: v.audience,
            regions: &v.regions,
            tags: &v.tags,
            authors: &v.authors,
            started_at: &v.start.utc,
            resolved_at: v.end.as_ref().map(|t| t.utc.as_str()),
            metrics: Metrics::new(v),
            services: v.services.iter().map(service).collect(),
            timeline: v
                .timeline
                .iter()
                .map(|e| Event {
                    id: e.id.as_deref(),
                    at: &e.at.utc,
                    at_local: &e.at.local,
                    phase: e.phase,
                    status: e
                        .changes
                        .iter()
                        .map(|c| (c.service.as_str(), c.to))
                        .collect(),
                    text: &e.text.markdown,
                    internal: e.internal,
                })
                .collect(),
            action_items: v
                .action_items
                .iter()
                .map(|a| ActionItem {
                    id: a.id.as_deref(),
                    title: &a.title,
                    kind: a.kind,
                    owner: a.owner.as_deref(),
                    due: a.due.as_deref(),
                    status: a.status,
                    link: a.link.as_deref(),
                })
                .collect(),
            links: v
                .links
                .iter()
                .map(|l| Link {
                    title: &l.title,
                    url: &l.url,
                })
                .collect(),
        }
    }
}

fn service(s: &super::view::ServiceView) -> Service<'_> {
    Service {
        name: &s.name,
        impact_s: s.impact.seconds,
        windows: s
            .windows
            .iter()
            .map(|w| Window {
                from: &w.from.utc,
                to: w.to.as_ref().map(|t| t.utc.as_str()),
                duration_s: w.duration.seconds,
                worst_status: w.worst_status,
                segments: w
                    .segments
                    .iter()
                    .map(|s| Segment {
                        status: s.status,
                        from: &s.from.utc,
                        to: s.to.as_ref().map(|t| t.utc.as_str()),
                        duration_s: s.duration.seconds,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The JSON report, pretty-printed, with a final newline.
pub fn render(view: &View) -> String {
    let mut out = serde_json::to_string_pretty(&Document::new(view))
        .expect("the JSON document has string keys only");
    out.push('\n');
    out
}
