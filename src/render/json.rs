//! The JSON report: a stable contract for scripts (`format_version` 1). Fields may be added,
//! never renamed. Instants are RFC 3339 UTC with `Z`; durations are whole seconds.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::ser::SerializeMap;
use std::io::Write as _;

use super::filters::{Style, instant, utc};
use super::view::{MetricView, PointView, RoleView, View};
use crate::model::{ActionKind, ActionStatus, Phase, ServiceStatus, Severity, Status};
use crate::redact::Audience;

/// The version of this document's shape.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Document<'a> {
    pub format_version: u32,
    pub id: &'a str,
    pub title: &'a str,
    pub severity: Severity,
    pub status: Status,
    /// The display zone.
    pub timezone: &'a str,
    pub audience: Audience,
    pub regions: &'a [String],
    pub tags: &'a [String],
    pub authors: &'a [String],
    /// Role -> the people who held it, in the order the log writes them; `{}` in a public
    /// report unless postevent.toml says `public_roles = true`.
    pub roles: Roles<'a>,
    /// `[]` in a public report unless postevent.toml says `public_roles = true`.
    pub responders: &'a [String],
    /// The `started` phase, or the first event.
    pub started_at: String,
    /// The `resolved` phase, `null` while unresolved.
    pub resolved_at: Option<String>,
    pub metrics: Metrics<'a>,
    pub services: Vec<Service<'a>>,
    pub timeline: Vec<Event<'a>>,
    pub action_items: Vec<ActionItem<'a>>,
    pub links: Vec<Link<'a>>,
    /// The keys of `metrics` (without `_s`) computed from an approximate time.
    pub metrics_approximate: Vec<&'a str>,
    /// Measure key -> its peak and every value, in time order.
    pub measures: BTreeMap<&'a str, Measure<'a>>,
    /// Region -> its impact: from the first moment any service there was impaired to
    /// `recovered_at`, the last moment any went back to operational (`null` if none was
    /// impaired or one still is).
    pub impact_by_region: BTreeMap<&'a str, RegionImpact>,
    /// The impaired services none of whose dependencies was impaired at or before them.
    pub origin_services: &'a [String],
    /// Every `depends_on` edge, with the delay between the two impacts.
    pub dependencies: Vec<Dependency<'a>>,
    /// The prose of the post-mortem, each field as Markdown and as sanitised HTML.
    pub narrative: Narrative<'a>,
    /// Ids of the incidents this one recurs with (`related:`).
    pub related: &'a [String],
}

/// One measure: its peak and the values it took (each holds until the next).
#[derive(Debug, Serialize)]
pub struct Measure<'a> {
    #[serde(serialize_with = "number")]
    pub peak: f64,
    pub series: Vec<&'a PointView>,
}

/// A whole number as an integer (`40`, not `40.0`).
fn number<S: serde::Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&PointView::number(*n), s)
}

#[derive(Debug, Serialize)]
pub struct RegionImpact {
    pub impact_s: i64,
    pub recovered_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Dependency<'a> {
    pub dependency: &'a str,
    pub dependent: &'a str,
    /// Seconds from the dependency's first impact to the dependent's; `null` unless both
    /// were impaired.
    pub delay_s: Option<i64>,
}

/// A Markdown field of the log: `markdown` with raw HTML escaped and unsafe links removed,
/// `html` sanitised (the same texts the Markdown and HTML reports show).
#[derive(Debug, Serialize)]
pub struct Prose<'a> {
    pub markdown: &'a str,
    pub html: &'a str,
}

/// The prose sections, `null` (or empty lists) when the log leaves them out. Internal notes
/// are never here: they are for the internal report's own section only.
#[derive(Debug, Serialize)]
pub struct Narrative<'a> {
    pub summary: Option<Prose<'a>>,
    pub impact: Option<Prose<'a>>,
    pub root_cause: Option<Prose<'a>>,
    pub trigger: Option<Prose<'a>>,
    pub detection: Option<Prose<'a>>,
    pub resolution: Option<Prose<'a>>,
    pub contributing_factors: Vec<Prose<'a>>,
    pub lessons: Lessons<'a>,
}

#[derive(Debug, Serialize)]
pub struct Lessons<'a> {
    pub went_well: Vec<Prose<'a>>,
    pub went_wrong: Vec<Prose<'a>>,
    pub lucky: Vec<Prose<'a>>,
}

fn prose(t: &super::view::Text) -> Prose<'_> {
    Prose {
        markdown: t.markdown(),
        html: t.html(),
    }
}

fn all(list: &[super::view::Text]) -> Vec<Prose<'_>> {
    list.iter().map(prose).collect()
}

fn narrative(v: &View) -> Narrative<'_> {
    let s = &v.sections;
    Narrative {
        summary: s.summary.as_ref().map(prose),
        impact: s.impact.as_ref().map(prose),
        root_cause: s.root_cause.as_ref().map(prose),
        trigger: s.trigger.as_ref().map(prose),
        detection: s.detection.as_ref().map(prose),
        resolution: s.resolution.as_ref().map(prose),
        contributing_factors: all(&s.contributing_factors),
        lessons: Lessons {
            went_well: all(&v.lessons.went_well),
            went_wrong: all(&v.lessons.went_wrong),
            lucky: all(&v.lessons.lucky),
        },
    }
}

/// Phase metrics in seconds, `null` when a phase is missing: `time_to_detect_s`, ..., one
/// key per metric of the view, in phase order.
#[derive(Debug)]
pub struct Metrics<'a>(&'a [MetricView]);

impl Serialize for Metrics<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for m in self.0 {
            map.serialize_entry(
                &format!("{}_s", m.key),
                &m.duration.map(|d| d.num_seconds()),
            )?;
        }
        map.end()
    }
}

/// Role -> people, in the order written.
#[derive(Debug)]
pub struct Roles<'a>(&'a [RoleView]);

impl Serialize for Roles<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for role in self.0 {
            map.serialize_entry(&role.name, &role.people)?;
        }
        map.end()
    }
}

#[derive(Debug, Serialize)]
pub struct Service<'a> {
    pub name: &'a str,
    pub impact_s: i64,
    pub windows: Vec<Window>,
    pub depends_on: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct Window {
    pub from: String,
    /// `null` while ongoing.
    pub to: Option<String>,
    pub duration_s: i64,
    pub worst_status: ServiceStatus,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Serialize)]
pub struct Segment {
    pub status: ServiceStatus,
    pub from: String,
    pub to: Option<String>,
    pub duration_s: i64,
}

#[derive(Debug, Serialize)]
pub struct Event<'a> {
    pub id: Option<&'a str>,
    pub at: String,
    pub at_local: String,
    pub phase: Option<Phase>,
    /// The custom milestone it marks (postevent.toml's `[milestones]`), or `null`.
    pub milestone: Option<&'a str>,
    /// Markdown published to customers at this moment, or `null`.
    pub update: Option<&'a str>,
    /// The severity from this moment on, or `null`.
    pub severity: Option<&'a str>,
    /// Service -> the status it has from this event on.
    pub status: BTreeMap<&'a str, ServiceStatus>,
    /// Markdown, with raw HTML escaped and unsafe links removed.
    pub text: &'a str,
    pub internal: bool,
    /// The time is known to within minutes (`at: "~10:45"`).
    pub approximate: bool,
    /// The region its status changes apply to; `null`: every region.
    pub region: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct ActionItem<'a> {
    pub id: Option<&'a str>,
    pub title: &'a str,
    pub kind: ActionKind,
    /// Always `null` in a public report.
    pub owner: Option<&'a str>,
    pub due: Option<chrono::NaiveDate>,
    pub status: ActionStatus,
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
            severity: v.severity.clone(),
            status: v.status,
            timezone: v.timezone.name(),
            audience: v.audience,
            regions: &v.regions,
            tags: &v.tags,
            authors: &v.authors,
            roles: Roles(&v.roles),
            responders: &v.responders,
            started_at: utc(v.start),
            resolved_at: v.end.map(utc),
            metrics: Metrics(&v.metrics),
            services: v.services.iter().map(service).collect(),
            timeline: v
                .timeline
                .iter()
                .map(|e| Event {
                    id: e.id.as_deref(),
                    at: utc(e.at),
                    at_local: instant(e.at, v.timezone, Style::Rfc3339),
                    phase: e.phase,
                    milestone: e.milestone.as_ref().map(|m| m.name.as_str()),
                    update: e.update.as_ref().map(|u| u.markdown()),
                    severity: e.severity.as_ref().map(|s| s.as_str()),
                    status: e
                        .changes
                        .iter()
                        .map(|c| (c.service.as_str(), c.to))
                        .collect(),
                    text: e.text.markdown(),
                    internal: e.internal,
                    approximate: e.approximate,
                    region: e.region.as_deref(),
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
                    due: a.due,
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
            metrics_approximate: v
                .metrics
                .iter()
                .filter(|m| m.approximate)
                .map(|m| m.key.as_str())
                .collect(),
            measures: v
                .measures
                .iter()
                .map(|m| {
                    let series = m.series.iter().collect();
                    (
                        m.key.as_str(),
                        Measure {
                            peak: m.peak,
                            series,
                        },
                    )
                })
                .collect(),
            impact_by_region: v
                .impact_by_region
                .iter()
                .map(|r| {
                    let impact = RegionImpact {
                        impact_s: r.impact.num_seconds(),
                        recovered_at: r.recovered_at.map(utc),
                    };
                    (r.name.as_str(), impact)
                })
                .collect(),
            origin_services: &v.origin_services,
            dependencies: v
                .dependencies
                .iter()
                .map(|e| Dependency {
                    dependency: &e.dependency,
                    dependent: &e.dependent,
                    delay_s: e.delay.map(|d| d.num_seconds()),
                })
                .collect(),
            narrative: narrative(v),
            related: &v.related,
        }
    }
}

fn service(s: &super::view::ServiceView) -> Service<'_> {
    let to = |t: Option<DateTime<Utc>>| t.map(utc);
    Service {
        name: &s.name,
        impact_s: s.impact.num_seconds(),
        depends_on: &s.depends_on,
        windows: s
            .windows
            .iter()
            .map(|w| Window {
                from: utc(w.from),
                to: to(w.to),
                duration_s: w.duration.num_seconds(),
                worst_status: w.worst_status,
                segments: w
                    .segments
                    .iter()
                    .map(|s| Segment {
                        status: s.status,
                        from: utc(s.from),
                        to: to(s.to),
                        duration_s: s.duration.num_seconds(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The JSON report, pretty-printed, with a final newline, written to `out` as it is
/// serialised.
pub fn render_to(view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &Document::new(view))?;
    out.write_all(b"\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: every metric key used to be matched by name, and any key it did not know
    /// was written as `time_to_resolve_s`.
    #[test]
    fn every_metric_gets_its_own_key() {
        let metric = |key: &str, phase: Option<Phase>, s: Option<i64>| MetricView {
            key: key.to_owned(),
            label: String::new(),
            phase,
            duration: s.map(chrono::TimeDelta::seconds),
            approximate: false,
        };
        let metrics = [
            metric("time_to_detect", Some(Phase::Detected), Some(60)),
            metric("impact_to_detect", None, Some(120)),
            metric("time_to_resolve", Some(Phase::Resolved), None),
        ];
        let json = serde_json::to_string(&Metrics(&metrics)).unwrap();
        assert_eq!(
            json,
            r#"{"time_to_detect_s":60,"impact_to_detect_s":120,"time_to_resolve_s":null}"#
        );
    }
}
