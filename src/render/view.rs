//! The view model: everything a report shows, computed once from the model and its metrics,
//! with every Markdown field already made safe for each output. Markdown, HTML and JSON are
//! printers over this one structure; docs/templates.md lists every field.
//!
//! The view keeps types, not text: keywords are the model's enums, instants `DateTime<Utc>`,
//! durations `TimeDelta`. Formatting happens at the edge, in [`super::filters`] (the printers
//! call it; templates reach it through the filters `local`, `utc` and `duration`).

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::markdown;
use crate::escape;
use crate::metrics::ServiceImpact;
use crate::model::{ActionKind, ActionStatus, Incident, Phase, ServiceStatus, Severity, Status};
use crate::redact::{Audience, Redacted};

/// How the view's instants and durations serialise for templates: RFC 3339 UTC and whole
/// seconds, which the filters `local`, `utc` and `duration` format (see [`super::filters`]).
mod ser {
    use chrono::{DateTime, TimeDelta, Utc};
    use chrono_tz::Tz;
    use serde::Serializer;

    pub fn at<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::super::filters::utc(*at))
    }

    pub fn at_opt<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match at {
            Some(t) => self::at(t, s),
            None => s.serialize_none(),
        }
    }

    pub fn seconds<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(d.num_seconds())
    }

    pub fn seconds_opt<S: Serializer>(d: &Option<TimeDelta>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => seconds(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn zone<S: Serializer>(zone: &Tz, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(zone.name())
    }

    /// A measured value: a whole number as an integer (`40`, not `40.0`).
    pub fn number<S: Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&super::PointView::number(*n), s)
    }
}

/// The forms of a Markdown field ([`Text`]) a printer reads: a report renders only those
/// (see [`super::templates::TemplateSet::text_forms`]), not all four for every field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forms {
    pub markdown: bool,
    pub inline: bool,
    pub html: bool,
    /// `plain` is always rendered (it is short, and the SVG timeline and the site's listings
    /// read it); this says whether templates see it.
    pub plain: bool,
}

impl Forms {
    /// Every form: what a template the code cannot see through may read.
    pub const ALL: Forms = Forms {
        markdown: true,
        inline: true,
        html: true,
        plain: true,
    };
    /// None beyond `plain`: for printers that call [`Text`]'s methods (JSON).
    pub const NONE: Forms = Forms {
        markdown: false,
        inline: false,
        html: false,
        plain: false,
    };

    /// Both selections together.
    pub fn union(self, other: Forms) -> Forms {
        Forms {
            markdown: self.markdown || other.markdown,
            inline: self.inline || other.inline,
            html: self.html || other.html,
            plain: self.plain || other.plain,
        }
    }
}

/// A Markdown field, ready for each output. `plain` is always there; the other forms are
/// rendered when the view is built if its [`Forms`] ask for them (templates see only those),
/// else on the first call of their method.
#[derive(Debug, Clone)]
pub struct Text {
    /// The Markdown as the log writes it.
    source: String,
    /// The forms rendered up front, and the only ones a template sees.
    forms: Forms,
    markdown: OnceLock<String>,
    inline: OnceLock<String>,
    html: OnceLock<String>,
    /// Plain text on one line, no markup.
    pub plain: String,
}

impl Text {
    /// Every form rendered.
    pub fn new(md: &str) -> Text {
        Text::with_forms(md, Forms::ALL)
    }

    /// `plain` and the forms `forms` asks for rendered now; the others when first read.
    pub fn with_forms(md: &str, forms: Forms) -> Text {
        let text = Text {
            source: md.to_owned(),
            forms,
            markdown: OnceLock::new(),
            inline: OnceLock::new(),
            html: OnceLock::new(),
            plain: markdown::plain(md),
        };
        if forms.markdown {
            text.markdown();
        }
        if forms.inline {
            text.inline();
        }
        if forms.html {
            text.html();
        }
        text
    }

    /// Markdown with raw HTML escaped and unsafe links removed: for Markdown templates.
    pub fn markdown(&self) -> &str {
        self.markdown
            .get_or_init(|| escape::markdown_block(self.source.trim_end()))
    }

    /// The same on one line with `|` escaped: for Markdown table cells.
    pub fn inline(&self) -> &str {
        self.inline
            .get_or_init(|| escape::markdown_flat(&self.source))
    }

    /// Sanitised HTML: for HTML templates (mark it `| safe`).
    pub fn html(&self) -> &str {
        self.html.get_or_init(|| markdown::to_html(&self.source))
    }
}

/// Two texts are equal when they hold the same Markdown for the same forms.
impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.source == other.source && self.forms == other.forms
    }
}

impl Eq for Text {}

/// A template sees the forms the view was built with: `markdown`, `inline`, `html`, `plain`.
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        type Form = fn(&Text) -> &str;
        let forms: [(bool, &str, Form); 3] = [
            (self.forms.markdown, "markdown", Text::markdown),
            (self.forms.inline, "inline", Text::inline),
            (self.forms.html, "html", Text::html),
        ];
        let wanted = forms.iter().filter(|(on, ..)| *on);
        let count = wanted.clone().count() + usize::from(self.forms.plain);
        let mut map = s.serialize_map(Some(count))?;
        for (_, name, form) in wanted {
            map.serialize_entry(name, form(self))?;
        }
        if self.forms.plain {
            map.serialize_entry("plain", &self.plain)?;
        }
        map.end()
    }
}

/// One phase metric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetricView {
    /// `time_to_detect`, or a custom metric's name (`impact_to_detect`).
    pub key: String,
    /// `Time to detect`
    pub label: String,
    /// The phase it measures up to: `detected`; `null` for a custom metric.
    pub phase: Option<Phase>,
    /// Seconds from `started`; `null` when a phase is missing.
    #[serde(serialize_with = "ser::seconds_opt")]
    pub duration: Option<TimeDelta>,
    /// Computed from a time known to within minutes (`at: "~10:45"`): shown as `~2m`.
    pub approximate: bool,
}

/// A measure's value at one event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointView {
    #[serde(serialize_with = "ser::at")]
    pub at: DateTime<Utc>,
    #[serde(serialize_with = "ser::number")]
    pub value: f64,
}

/// One measure over the incident (`measures:` on events), a step function.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureView {
    /// As written: `error_rate_pct` or `DynamoDB.error_rate_pct`.
    pub key: String,
    /// `error_rate_pct`
    pub name: String,
    /// The service it measures, or `null`.
    pub service: Option<String>,
    #[serde(serialize_with = "ser::number")]
    pub peak: f64,
    /// When the peak was first reached.
    #[serde(serialize_with = "ser::at")]
    pub peak_at: DateTime<Utc>,
    /// Every value, in time order; each holds until the next.
    pub series: Vec<PointView>,
}

impl PointView {
    /// `n` as JSON: a whole number as an integer (`40`, not `40.0`), else as it is.
    pub fn number(n: f64) -> serde_json::Value {
        if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
            serde_json::Value::from(n as i64)
        } else {
            serde_json::Value::from(n)
        }
    }
}

// Measured values are finite (validation refuses others), so equality is total.
impl Eq for PointView {}
impl Eq for MeasureView {}

/// A phase marked on the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseView {
    pub phase: Phase,
    #[serde(serialize_with = "ser::at")]
    pub at: DateTime<Utc>,
}

/// A stretch of one status inside an impact window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SegmentView {
    /// `partial_outage`
    pub status: ServiceStatus,
    /// `partial outage`
    pub label: &'static str,
    #[serde(serialize_with = "ser::at")]
    pub from: DateTime<Utc>,
    /// `null` while ongoing.
    #[serde(serialize_with = "ser::at_opt")]
    pub to: Option<DateTime<Utc>>,
    #[serde(serialize_with = "ser::seconds")]
    pub duration: TimeDelta,
}

/// A period in which a service was not operational.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowView {
    #[serde(serialize_with = "ser::at")]
    pub from: DateTime<Utc>,
    /// `null` while ongoing.
    #[serde(serialize_with = "ser::at_opt")]
    pub to: Option<DateTime<Utc>>,
    pub ongoing: bool,
    #[serde(serialize_with = "ser::seconds")]
    pub duration: TimeDelta,
    /// `major_outage`
    pub worst_status: ServiceStatus,
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
    #[serde(serialize_with = "ser::seconds")]
    pub impact: TimeDelta,
    pub windows: Vec<WindowView>,
    /// The services it depends on (`depends_on:`) that this audience may see.
    pub depends_on: Vec<String>,
}

/// One status change at an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeView {
    pub service: String,
    /// The status before: `operational`
    pub from: ServiceStatus,
    pub to: ServiceStatus,
    pub from_label: &'static str,
    pub to_label: &'static str,
}

/// One event of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventView {
    pub id: Option<String>,
    #[serde(serialize_with = "ser::at")]
    pub at: DateTime<Utc>,
    /// `detected`, or `null`.
    pub phase: Option<Phase>,
    /// The custom milestone the event marks (postevent.toml), or `null`.
    pub milestone: Option<MilestoneView>,
    /// What was published to customers at this moment (`update:`), or `null`.
    pub update: Option<Text>,
    /// The severity from this moment on (an escalation or de-escalation), or `null`.
    pub severity: Option<Severity>,
    pub changes: Vec<ChangeView>,
    pub text: Text,
    /// Only ever true in an internal report.
    pub internal: bool,
    /// The time is known to within minutes (`at: "~10:45"`): shown as `~10:45`.
    pub approximate: bool,
    /// Before `started` or after `resolved`, changing no service's status: context, not part
    /// of the incident.
    pub context: bool,
    /// The measures written on this event, in the order written.
    pub measures: Vec<PointMeasure>,
    /// The region its status changes apply to; `null`: every region.
    pub region: Option<String>,
}

/// A measure written on an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointMeasure {
    /// `DynamoDB.error_rate_pct`
    pub key: String,
    #[serde(serialize_with = "ser::number")]
    pub value: f64,
}

impl Eq for PointMeasure {}

/// A public update: when it was published and what it said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateView {
    #[serde(serialize_with = "ser::at")]
    pub at: DateTime<Utc>,
    pub text: Text,
}

/// A custom milestone on an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MilestoneView {
    /// `impact_started`
    pub name: String,
    /// `Impact started`
    pub label: String,
}

/// A follow-up. (Deserialize: the site's build cache keeps it in each listing entry.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ActionView {
    pub id: Option<String>,
    pub title: String,
    /// `prevent`
    pub kind: ActionKind,
    /// `null` in a public report.
    pub owner: Option<String>,
    /// `2025-11-15`
    pub due: Option<NaiveDate>,
    /// `in_progress`
    pub status: ActionStatus,
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

/// A role of the response and who held it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleView {
    /// As the log writes it: `incident_commander`.
    pub name: String,
    /// For people: `Incident commander`.
    pub label: String,
    pub people: Vec<String>,
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

/// Everything a report template receives. Instants are UTC (`| local` shows them in
/// `timezone`), durations are seconds (`| duration`), keywords are enums written as in logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct View {
    pub audience: Audience,
    /// `audience == "public"`
    pub public: bool,
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// The colour class of the severity on its scale: `sev1` (worst) to `sev5`.
    pub severity_class: &'static str,
    /// The severity's label from the config (`Critical`), if it gives one.
    pub severity_label: Option<String>,
    pub status: Status,
    /// The display zone (the log's, or `--tz`).
    #[serde(serialize_with = "ser::zone")]
    pub timezone: Tz,
    /// The zone the log was written in.
    #[serde(serialize_with = "ser::zone")]
    pub log_timezone: Tz,
    /// The display zone is UTC itself (`UTC`, `Etc/UTC`, `GMT`, ...): templates show each
    /// time once instead of beside its UTC copy.
    pub utc_only: bool,
    pub regions: Vec<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    /// Who held each role; empty in a public report unless the config says `public_roles`.
    pub roles: Vec<RoleView>,
    /// Empty in a public report unless the config says `public_roles`.
    pub responders: Vec<String>,
    /// The `started` phase, or the first event.
    #[serde(serialize_with = "ser::at")]
    pub start: DateTime<Utc>,
    /// The `resolved` phase; `null` while unresolved.
    #[serde(serialize_with = "ser::at_opt")]
    pub end: Option<DateTime<Utc>>,
    /// From `start` to `end` (to the last event while unresolved).
    #[serde(serialize_with = "ser::seconds")]
    pub duration: TimeDelta,
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
    /// Every public update, in time order: published, so both audiences see them all.
    pub updates: Vec<UpdateView>,
    pub links: Vec<LinkView>,
    /// Each measure the audience may see, by key.
    pub measures: Vec<MeasureView>,
    /// Whether the timeline chart gives a lane to every service, not only those impaired
    /// (postevent.toml: `[report] chart_all_services = true`).
    pub chart_all_services: bool,
    /// Ids of the incidents this one recurs with (`related:`), as its log lists them.
    pub related: Vec<String>,
    /// Each region of `regions`, in order, with its recovery and each service's impact there.
    pub impact_by_region: Vec<RegionView>,
    /// The impaired services none of whose dependencies was impaired at or before them.
    pub origin_services: Vec<String>,
    /// How many impaired services were hit through a dependency (impaired at or after one).
    pub hit_through_dependencies: usize,
    /// Every `depends_on` edge between services this audience may see.
    pub dependencies: Vec<EdgeView>,
}

/// One region's impact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionView {
    pub name: String,
    /// The first moment any service there was impaired; `null` if none was.
    #[serde(serialize_with = "ser::at_opt")]
    pub first: Option<DateTime<Utc>>,
    /// The last moment any service there went back to operational; `null` if none was
    /// impaired or one still is.
    #[serde(serialize_with = "ser::at_opt")]
    pub recovered_at: Option<DateTime<Utc>>,
    /// From `first` to `recovered_at` (to the last event while ongoing).
    #[serde(serialize_with = "ser::seconds")]
    pub impact: TimeDelta,
    /// Whether a service there is still impaired.
    pub ongoing: bool,
    /// One per service of `services`, in the same order.
    pub services: Vec<RegionServiceView>,
}

/// One service in one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionServiceView {
    pub name: String,
    pub impacted: bool,
    /// Sum of its windows there.
    #[serde(serialize_with = "ser::seconds")]
    pub impact: TimeDelta,
    /// The worst status it had there; `null` if never impaired there.
    pub worst_status: Option<ServiceStatus>,
    pub worst_label: Option<&'static str>,
}

/// One dependency edge: `dependent` needs `dependency`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EdgeView {
    pub dependency: String,
    pub dependent: String,
    /// Seconds from the dependency's first impact to the dependent's; `null` unless both
    /// were impaired.
    #[serde(serialize_with = "ser::seconds_opt")]
    pub delay: Option<TimeDelta>,
}

/// Builds the view of an incident already redacted for its audience, showing times in `zone`,
/// with every form of every Markdown field.
///
/// Metrics, phase times and impact windows come from the redacted value, which computed them
/// from the whole incident, so both audiences see the same numbers.
pub fn build(redacted: &Redacted, zone: Tz) -> View {
    build_with(redacted, zone, Forms::ALL)
}

/// [`build`], with only the forms `forms` of each Markdown field for templates (what
/// [`super::templates::TemplateSet::text_forms`] says a template reads).
pub fn build_with(redacted: &Redacted, zone: Tz, forms: Forms) -> View {
    let audience = redacted.audience();
    let incident = redacted.incident();
    let (_, last) = redacted.span();
    let start = redacted.start();
    let end = redacted.phase_at(Phase::Resolved);
    let impacts = redacted.impacts();
    View {
        audience,
        public: audience == Audience::Public,
        id: incident.id.clone(),
        title: incident.title.clone(),
        severity: incident.severity.clone(),
        severity_class: redacted.scale().colour(&incident.severity),
        severity_label: redacted
            .scale()
            .label(&incident.severity)
            .map(str::to_owned),
        status: incident.status,
        timezone: zone,
        log_timezone: incident.timezone,
        utc_only: crate::time::is_utc(zone),
        regions: incident.regions.clone(),
        tags: incident.tags.clone(),
        authors: incident.authors.clone(),
        roles: incident
            .roles
            .iter()
            .map(|r| RoleView {
                name: r.name.clone(),
                label: crate::config::label_of(&r.name),
                people: r.people.clone(),
            })
            .collect(),
        responders: incident.responders.clone(),
        start,
        end,
        duration: end.unwrap_or(last) - start,
        resolved: redacted.is_resolved(),
        sections: sections(incident, forms),
        lessons: lessons(incident, forms),
        metrics: metric_views(redacted),
        phases: redacted
            .phases()
            .iter()
            .map(|&(p, at)| PhaseView { phase: p, at })
            .collect(),
        impacted_services: impacts.iter().filter(|s| !s.windows.is_empty()).count(),
        impact_periods: impacts.iter().map(|s| s.windows.len()).sum(),
        services: service_views(incident, impacts, last, forms),
        timeline: event_views(redacted, forms),
        action_items: action_views(incident),
        updates: redacted
            .updates()
            .iter()
            .map(|(at, text)| UpdateView {
                at: *at,
                text: Text::with_forms(text, forms),
            })
            .collect(),
        links: incident
            .links
            .iter()
            .filter(|l| escape::is_safe_url(&l.url))
            .map(|l| LinkView {
                title: l.title.clone(),
                url: l.url.trim().to_owned(),
            })
            .collect(),
        measures: measure_views(redacted),
        chart_all_services: redacted.chart_all_services(),
        impact_by_region: region_views(redacted),
        origin_services: redacted.cascade().origins.clone(),
        hit_through_dependencies: redacted.cascade().through_dependencies.len(),
        dependencies: redacted
            .cascade()
            .edges
            .iter()
            .map(|e| EdgeView {
                dependency: e.dependency.clone(),
                dependent: e.dependent.clone(),
                delay: e.delay,
            })
            .collect(),
        related: incident.related.clone(),
    }
}

fn measure_views(redacted: &Redacted) -> Vec<MeasureView> {
    redacted
        .measures()
        .iter()
        .map(|m| MeasureView {
            key: m.key.clone(),
            name: m.name.clone(),
            service: m.service.clone(),
            peak: m.peak,
            peak_at: m.peak_at,
            series: m
                .points
                .iter()
                .map(|&(at, value)| PointView { at, value })
                .collect(),
        })
        .collect()
}

fn region_views(redacted: &Redacted) -> Vec<RegionView> {
    // The columns of a region table: the services impaired in some region, in declaration
    // order (one never hit anywhere would be a column of dashes).
    let hit: std::collections::HashSet<&str> = redacted
        .regions()
        .iter()
        .flat_map(|r| &r.services)
        .filter(|s| !s.windows.is_empty())
        .map(|s| s.name.as_str())
        .collect();
    redacted
        .regions()
        .iter()
        .map(|r| RegionView {
            name: r.region.clone(),
            first: r.first,
            recovered_at: r.recovered_at,
            impact: r.impact,
            ongoing: r
                .services
                .iter()
                .flat_map(|s| &s.windows)
                .any(|w| w.is_ongoing()),
            services: r
                .services
                .iter()
                .filter(|s| hit.contains(s.name.as_str()))
                .map(|s| {
                    let worst = s
                        .windows
                        .iter()
                        .map(|w| w.worst)
                        .max_by_key(|w| w.badness());
                    RegionServiceView {
                        name: s.name.clone(),
                        impacted: !s.windows.is_empty(),
                        impact: s.total,
                        worst_status: worst,
                        worst_label: worst.map(ServiceStatus::label),
                    }
                })
                .collect(),
        })
        .collect()
}

fn text(md: &Option<String>, forms: Forms) -> Option<Text> {
    md.as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| Text::with_forms(s, forms))
}

fn texts(items: &[String], forms: Forms) -> Vec<Text> {
    items
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| Text::with_forms(s, forms))
        .collect()
}

fn sections(incident: &Incident, forms: Forms) -> Sections {
    Sections {
        summary: text(&incident.summary, forms),
        impact: text(&incident.impact, forms),
        root_cause: text(&incident.root_cause, forms),
        trigger: text(&incident.trigger, forms),
        detection: text(&incident.detection, forms),
        resolution: text(&incident.resolution, forms),
        contributing_factors: texts(&incident.contributing_factors, forms),
        internal_notes: text(&incident.internal_notes, forms),
    }
}

fn lessons(incident: &Incident, forms: Forms) -> LessonsView {
    let l = &incident.lessons;
    LessonsView {
        went_well: texts(&l.went_well, forms),
        went_wrong: texts(&l.went_wrong, forms),
        lucky: texts(&l.lucky, forms),
        any: !l.is_empty(),
    }
}

fn metric_views(redacted: &Redacted) -> Vec<MetricView> {
    let built_in = redacted.metrics().all().into_iter().map(|m| MetricView {
        key: m.key.to_owned(),
        label: m.label.to_owned(),
        phase: Some(m.phase),
        duration: m.value,
        approximate: redacted.is_approximate(m.key),
    });
    let first_update = std::iter::once(MetricView {
        key: "time_to_first_update".to_owned(),
        label: "Time to first update".to_owned(),
        phase: None,
        duration: redacted.time_to_first_update(),
        approximate: redacted.is_approximate("time_to_first_update"),
    });
    let custom = redacted.custom_metrics().iter().map(|m| MetricView {
        key: m.key.clone(),
        label: m.label.clone(),
        phase: None,
        duration: m.value,
        approximate: redacted.is_approximate(&m.key),
    });
    built_in.chain(first_update).chain(custom).collect()
}

fn service_views(
    incident: &Incident,
    impacts: &[ServiceImpact],
    last: DateTime<Utc>,
    forms: Forms,
) -> Vec<ServiceView> {
    incident
        .services
        .iter()
        .zip(impacts)
        .map(|(service, impact)| ServiceView {
            name: service.name.clone(),
            description: text(&service.description, forms),
            impacted: !impact.windows.is_empty(),
            impact: impact.total,
            depends_on: service.depends_on.clone(),
            windows: impact
                .windows
                .iter()
                .map(|w| WindowView {
                    from: w.from,
                    to: w.to,
                    ongoing: w.is_ongoing(),
                    duration: w.duration(last),
                    worst_status: w.worst,
                    worst_label: w.worst.label(),
                    segments: w
                        .segments
                        .iter()
                        .map(|s| SegmentView {
                            status: s.status,
                            label: s.status.label(),
                            from: s.from,
                            to: s.to,
                            duration: s.duration(last),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// The timeline with each status change as old -> new (the old status from the whole
/// timeline, see [`Redacted::changes`]). Events are independent, so they are built in
/// parallel: rendering their Markdown is most of the cost of a long timeline.
fn event_views(redacted: &Redacted, forms: Forms) -> Vec<EventView> {
    redacted
        .incident()
        .timeline
        .par_iter()
        .enumerate()
        .map(|(i, event)| EventView {
            id: event.id.clone(),
            at: event.at,
            phase: event.phase,
            update: event.update.as_deref().map(|u| Text::with_forms(u, forms)),
            severity: event.severity.clone(),
            milestone: event.milestone.as_ref().and_then(|name| {
                Some(MilestoneView {
                    name: name.clone(),
                    label: redacted.milestone_label(name)?.to_owned(),
                })
            }),
            // A status written again unchanged is no change.
            changes: redacted
                .changes(i)
                .into_iter()
                .filter(|c| c.from != c.to)
                .map(|c| ChangeView {
                    service: c.service.to_owned(),
                    from: c.from,
                    to: c.to,
                    from_label: c.from.label(),
                    to_label: c.to.label(),
                })
                .collect(),
            text: Text::with_forms(&event.text, forms),
            internal: event.internal,
            approximate: event.approximate,
            context: event.status.is_empty()
                && (redacted
                    .phase_at(Phase::Started)
                    .is_some_and(|started| event.at < started)
                    || redacted
                        .phase_at(Phase::Resolved)
                        .is_some_and(|resolved| event.at > resolved)),
            measures: event
                .measures
                .iter()
                .map(|m| PointMeasure {
                    key: m.key(),
                    value: m.value,
                })
                .collect(),
            region: event.region.clone(),
        })
        .collect()
}

fn action_views(incident: &Incident) -> Vec<ActionView> {
    incident
        .action_items
        .iter()
        .map(|a| ActionView {
            id: a.id.clone(),
            title: a.title.clone(),
            kind: a.kind,
            owner: a.owner.clone(),
            due: a.due,
            status: a.status,
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
    fn the_view_serialises_instants_durations_and_keywords_for_templates() {
        let source = crate::source::Source::from_text(
            "aws.yaml",
            include_str!("../../incidents/aws-us-east-1-2025-10-20.yaml"),
        );
        let incident = crate::validate::check(&source, Default::default())
            .incident
            .unwrap();
        let view = build(
            &crate::redact::redact(&incident, Audience::Internal),
            chrono_tz::UTC,
        );
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["start"], "2025-10-20T06:48:00Z");
        assert_eq!(json["timezone"], "UTC");
        assert_eq!(json["severity"], "SEV1");
        assert_eq!(json["duration"], view.duration.num_seconds());
        assert_eq!(json["metrics"][0]["phase"], "detected");
        assert_eq!(json["end"], "2025-10-20T21:20:00Z");
        assert_eq!(json["action_items"][0]["due"], "2025-10-22");
    }
}
