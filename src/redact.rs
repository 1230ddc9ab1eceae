//! What an audience may see. This is the one file that answers "what is public?": every output
//! (reports, the site with its index, feed, search and stats, the exports, diffs, the preview
//! server) renders a [`Redacted`] incident, and [`redact`] is the only function that makes one.
//!
//! The public audience does not see:
//! - internal events (`internal: true`), their text and their status changes;
//! - `internal_notes`;
//! - the owners of action items;
//! - services marked `internal: true`, their status changes and their impact windows, and
//!   with them their place in a region's impact and in the dependency graph;
//! - `roles` and `responders`, unless postevent.toml says `public_roles = true`;
//! - measures (`measures:`) on internal events or of internal services: the series and peaks
//!   of a public output are computed from the public points only (a peak would otherwise
//!   tell an internal value).
//!
//! It keeps what the whole incident says about time: the phase times and the metrics between
//! them (even when an internal event marks a phase), the start, the end and the duration, and
//! the impact windows of the public services. These are computed once, from the whole
//! incident, before anything is left out, so a public and an internal output of the same log
//! always show the same numbers: leaving out an event hides its words, never changes a fact.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::config::{Config, Milestone};
use crate::metrics::cascade::Cascade;
use crate::metrics::regions::RegionImpact;
use crate::metrics::{self, CustomMetric, MeasureSeries, PhaseMetrics, ServiceImpact};
use crate::model::{Event, Incident, Phase, Scale, ServiceStatus};

/// Who an output is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
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

/// One service's status changing at an event: the status before comes from the whole
/// timeline, so a public output shows the same transition even when an internal event made
/// the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange<'a> {
    pub service: &'a str,
    pub from: ServiceStatus,
    pub to: ServiceStatus,
}

/// An incident as one audience may see it, with the facts of the whole incident.
///
/// [`Redacted::incident`] holds only what the audience may see; compute nothing from it that
/// the whole incident decides (metrics, impact windows, phase times): read those from here.
#[derive(Debug, Clone, PartialEq)]
pub struct Redacted {
    audience: Audience,
    incident: Incident,
    metrics: PhaseMetrics,
    /// The config's own metrics the audience may see (a public one runs between phases or
    /// public milestones).
    custom: Vec<CustomMetric>,
    /// The config's milestones this audience may see, in the config's order.
    milestones: Vec<Milestone>,
    /// The severity scale the log was checked against.
    scale: Scale,
    /// Every public update (`update:`), in time order: published, so every audience sees them.
    updates: Vec<(DateTime<Utc>, String)>,
    /// Time from `started` to the first of them.
    first_update: Option<TimeDelta>,
    phases: Vec<(Phase, DateTime<Utc>)>,
    span: (DateTime<Utc>, DateTime<Utc>),
    resolved: bool,
    /// One per service of `incident.services`.
    impacts: Vec<ServiceImpact>,
    /// The status before each change of each event of `incident.timeline`, in order.
    before: Vec<Vec<ServiceStatus>>,
    /// Each measure of the audience's timeline (see the module's doc).
    measures: Vec<MeasureSeries>,
    /// The keys of the metrics computed from an approximate time, of the whole incident.
    approximate: Vec<String>,
    /// The config's `[report] chart_all_services`.
    chart_all_services: bool,
    /// Each region's impact over the services the audience may see.
    regions: Vec<RegionImpact>,
    /// The cascade over the services the audience may see (a hidden dependency is no edge).
    cascade: Cascade,
}

/// The incident as `audience` may see it, with the built-in defaults (no `postevent.toml`).
pub fn redact(incident: &Incident, audience: Audience) -> Redacted {
    redact_with(incident, audience, &Config::default())
}

/// The incident as `audience` may see it, for an organisation whose `config` declares
/// milestones and metrics: a milestone that is not `public` is not marked in a public output,
/// and a metric that reaches one is not shown there.
pub fn redact_with(incident: &Incident, audience: Audience, config: &Config) -> Redacted {
    let public = audience == Audience::Public;
    let shown_milestone =
        |name: &str| !public || config.milestones.iter().any(|m| m.name == name && m.public);
    let hidden: HashSet<&str> = incident
        .services
        .iter()
        .filter(|s| public && s.internal)
        .map(|s| s.name.as_str())
        .collect();
    let shown_service = |name: &str| !hidden.contains(name);
    let mut current: HashMap<&str, ServiceStatus> = HashMap::new();
    let mut timeline = Vec::new();
    let mut before = Vec::new();
    for event in &incident.timeline {
        let olds: Vec<ServiceStatus> = event
            .status
            .iter()
            .map(|(service, to)| {
                current
                    .insert(service.as_str(), *to)
                    .unwrap_or(ServiceStatus::Operational)
            })
            .collect();
        if public && event.internal {
            continue;
        }
        let (status, olds): (Vec<_>, Vec<_>) = event
            .status
            .iter()
            .zip(olds)
            .filter(|((service, _), _)| shown_service(service))
            .map(|(change, old)| (change.clone(), old))
            .unzip();
        timeline.push(Event {
            status,
            measures: event
                .measures
                .iter()
                .filter(|m| m.service.as_deref().is_none_or(shown_service))
                .cloned()
                .collect(),
            milestone: event.milestone.clone().filter(|m| shown_milestone(m)),
            ..event.clone()
        });
        before.push(olds);
    }
    let impacts: Vec<ServiceImpact> = metrics::service_impacts(incident)
        .into_iter()
        .filter(|i| shown_service(&i.name))
        .collect();
    let (regions, cascade) = cascade_and_regions(incident, &impacts, &shown_service);
    let shown = Incident {
        services: incident
            .services
            .iter()
            .filter(|s| shown_service(&s.name))
            .map(|s| crate::model::Service {
                depends_on: s
                    .depends_on
                    .iter()
                    .filter(|d| shown_service(d))
                    .cloned()
                    .collect(),
                ..s.clone()
            })
            .collect(),
        timeline,
        action_items: incident
            .action_items
            .iter()
            .map(|a| crate::model::ActionItem {
                owner: if public { None } else { a.owner.clone() },
                ..a.clone()
            })
            .collect(),
        internal_notes: if public {
            None
        } else {
            incident.internal_notes.clone()
        },
        roles: if public && !config.public_roles {
            Vec::new()
        } else {
            incident.roles.clone()
        },
        responders: if public && !config.public_roles {
            Vec::new()
        } else {
            incident.responders.clone()
        },
        ..incident.clone()
    };
    Redacted {
        audience,
        metrics: metrics::phase_metrics(incident),
        custom: metrics::custom_metrics(incident, config)
            .into_iter()
            .filter(|m| !public || m.public)
            .collect(),
        scale: config.severities.clone(),
        updates: incident
            .timeline
            .iter()
            .filter_map(|e| Some((e.at, e.update.clone()?)))
            .collect(),
        first_update: metrics::time_to_first_update(incident),
        milestones: config
            .milestones
            .iter()
            .filter(|m| shown_milestone(&m.name))
            .cloned()
            .collect(),
        phases: Phase::ALL
            .iter()
            .filter_map(|&p| Some((p, incident.phase_at(p)?)))
            .collect(),
        span: incident.span(),
        resolved: incident.is_resolved(),
        impacts,
        before,
        measures: metrics::measure_series(&shown),
        approximate: metrics::approximate_metrics(incident, config),
        chart_all_services: config.chart_all_services,
        regions,
        cascade,
        incident: shown,
    }
}

/// Each region's impact and the cascade, over the services `shown` lets through only: a
/// hidden service is no cell of a region, moves no region's recovery, is no origin and no
/// edge of the graph.
fn cascade_and_regions(
    incident: &Incident,
    impacts: &[ServiceImpact],
    shown: &dyn Fn(&str) -> bool,
) -> (Vec<RegionImpact>, Cascade) {
    let (_, last) = incident.span();
    let regions = metrics::regions::region_impacts(incident)
        .into_iter()
        .map(|r| {
            let services = r.services.into_iter().filter(|s| shown(&s.name)).collect();
            RegionImpact::new(r.region, services, last)
        })
        .collect();
    let services: Vec<crate::model::Service> = incident
        .services
        .iter()
        .filter(|s| shown(&s.name))
        .cloned()
        .collect();
    (regions, metrics::cascade::cascade(&services, impacts))
}

impl Redacted {
    pub fn audience(&self) -> Audience {
        self.audience
    }

    /// What the audience may see of the incident.
    pub fn incident(&self) -> &Incident {
        &self.incident
    }

    /// The phase metrics of the whole incident.
    pub fn metrics(&self) -> &PhaseMetrics {
        &self.metrics
    }

    /// The severity scale the log was checked against.
    pub fn scale(&self) -> &Scale {
        &self.scale
    }

    /// Every public update of the whole incident, in time order (they were published).
    pub fn updates(&self) -> &[(DateTime<Utc>, String)] {
        &self.updates
    }

    /// Time from `started` to the first public update.
    pub fn time_to_first_update(&self) -> Option<TimeDelta> {
        self.first_update
    }

    /// The label of the milestone `name`, if this audience may see it.
    pub fn milestone_label(&self, name: &str) -> Option<&str> {
        self.milestones
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.label.as_str())
    }

    /// The organisation's own metrics this audience may see, computed from the whole incident.
    pub fn custom_metrics(&self) -> &[CustomMetric] {
        &self.custom
    }

    /// The instant of `phase` on the whole timeline, even when an internal event marks it.
    pub fn phase_at(&self, phase: Phase) -> Option<DateTime<Utc>> {
        self.phases.iter().find(|(p, _)| *p == phase).map(|p| p.1)
    }

    /// Every phase the whole timeline marks, in phase order.
    pub fn phases(&self) -> &[(Phase, DateTime<Utc>)] {
        &self.phases
    }

    /// The first and last instants of the whole timeline.
    pub fn span(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        self.span
    }

    /// When the incident started: the `started` phase, else the first event.
    pub fn start(&self) -> DateTime<Utc> {
        self.phase_at(Phase::Started).unwrap_or(self.span.0)
    }

    /// Whether the incident is resolved (see [`Incident::is_resolved`]).
    pub fn is_resolved(&self) -> bool {
        self.resolved
    }

    /// The impact of each service the audience may see, in the order of
    /// `incident().services`, computed from the whole timeline. (`opened_by` and `closed_by`
    /// index the whole timeline, not the redacted one.)
    pub fn impacts(&self) -> &[ServiceImpact] {
        &self.impacts
    }

    /// Each measure the audience may see, by key, from the audience's timeline.
    pub fn measures(&self) -> &[MeasureSeries] {
        &self.measures
    }

    /// Whether the timeline chart gives every service a lane (`[report] chart_all_services`).
    pub fn chart_all_services(&self) -> bool {
        self.chart_all_services
    }

    /// Whether the metric `key` is computed from an approximate time (`at: "~10:45"`).
    pub fn is_approximate(&self, key: &str) -> bool {
        self.approximate.iter().any(|k| k == key)
    }

    /// Each region of the incident, with the impact there of each service the audience may
    /// see (in the order of `impacts()`), computed from the whole timeline.
    pub fn regions(&self) -> &[RegionImpact] {
        &self.regions
    }

    /// Origins, services hit through dependencies and each edge's delay, over the services
    /// the audience may see.
    pub fn cascade(&self) -> &Cascade {
        &self.cascade
    }

    /// The status changes of event `index` of `incident().timeline`, each with the status
    /// before it.
    pub fn changes(&self, index: usize) -> Vec<StatusChange<'_>> {
        let event = &self.incident.timeline[index];
        event
            .status
            .iter()
            .zip(&self.before[index])
            .map(|((service, to), from)| StatusChange {
                service,
                from: *from,
                to: *to,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use proptest::prelude::*;

    use super::*;
    use crate::model::{Lessons, Service, Severity, Status};
    use crate::source::Source;

    const LOG: &str = "\
id: x
title: T
severity: SEV2
status: resolved
timezone: UTC
services:
  - API
  - name: Builder
    internal: true
timeline:
  - at: 2026-01-01 10:00
    phase: started
    status: { API: partial_outage, Builder: major_outage }
    text: Errors rise.
  - at: 2026-01-01 10:10
    phase: detected
    internal: true
    status: { API: major_outage }
    text: SECRET page to the on-call.
  - at: 2026-01-01 11:00
    phase: resolved
    status: { API: operational, Builder: operational }
    text: Fixed.
action_items:
  - title: Add an alert
    kind: prevent
    owner: SECRET-OWNER
internal_notes: SECRET notes
";

    fn incident() -> Incident {
        crate::validate::check(&Source::from_text("x.yaml", LOG), Default::default())
            .incident
            .expect("valid")
    }

    #[test]
    fn public_hides_internal_events_notes_owners_and_services() {
        let r = redact(&incident(), Audience::Public);
        let i = r.incident();
        assert_eq!(i.timeline.len(), 2);
        assert!(i.timeline.iter().all(|e| !e.internal));
        assert!(
            i.timeline
                .iter()
                .all(|e| e.status.iter().all(|s| s.0 == "API"))
        );
        assert_eq!(i.internal_notes, None);
        assert_eq!(i.action_items[0].owner, None);
        assert_eq!(i.services.len(), 1);
        assert_eq!(r.impacts().len(), 1);
        let debug = format!("{i:?}");
        assert!(
            !debug.contains("SECRET") && !debug.contains("Builder"),
            "{debug}"
        );
    }

    #[test]
    fn internal_keeps_everything() {
        let whole = incident();
        let r = redact(&whole, Audience::Internal);
        assert_eq!(r.incident(), &whole);
        assert_eq!(r.impacts().len(), 2);
    }

    #[test]
    fn facts_are_those_of_the_whole_incident() {
        let whole = incident();
        let (public, internal) = (
            redact(&whole, Audience::Public),
            redact(&whole, Audience::Internal),
        );
        assert_eq!(public.metrics(), internal.metrics());
        assert_eq!(public.metrics(), &metrics::phase_metrics(&whole));
        // The internal event marks `detected`; its time stays.
        assert!(public.phase_at(Phase::Detected).is_some());
        assert_eq!(public.phases(), internal.phases());
        assert_eq!(public.impacts()[0], internal.impacts()[0]);
        // The API went major outage at the internal event: the public resolution shows it.
        let last = public.changes(1);
        assert_eq!(last[0].from, ServiceStatus::MajorOutage);
        assert_eq!(last[0].to, ServiceStatus::Operational);
    }

    /// One generated event: (minute, phase, api status, db status, internal).
    type Generated = (i64, Option<usize>, Option<usize>, Option<usize>, bool);

    /// An incident over a public `api` and an internal `db`.
    fn generated(events: Vec<Generated>) -> Incident {
        let mut timeline: Vec<Event> = events
            .into_iter()
            .map(|(minute, phase, api, db, internal)| Event {
                id: None,
                at: DateTime::<Utc>::UNIX_EPOCH + TimeDelta::minutes(minute),
                phase: phase.map(|p| Phase::ALL[p]),
                milestone: None,
                update: None,
                severity: None,
                status: [("api", api), ("db", db)]
                    .into_iter()
                    .filter_map(|(n, s)| Some((n.to_owned(), ServiceStatus::ALL[s?])))
                    .collect(),
                text: "text".into(),
                internal,
                // A measure of each service that changes: `db`'s is internal.
                measures: [("api", api), ("db", db)]
                    .into_iter()
                    .filter(|(_, s)| s.is_some())
                    .map(|(n, s)| crate::model::Measure {
                        name: "load".into(),
                        service: Some(n.to_owned()),
                        value: s.unwrap_or(0) as f64,
                    })
                    .collect(),
                approximate: minute % 7 == 0,
                region: None,
            })
            .collect();
        timeline.sort_by_key(|e| e.at);
        let service = |name: &str, internal| Service {
            name: name.into(),
            description: None,
            internal,
            depends_on: Vec::new(),
        };
        Incident {
            id: "generated".into(),
            title: "Generated".into(),
            severity: Severity::default_level(2),
            status: Status::Resolved,
            timezone: chrono_tz::UTC,
            regions: vec![],
            tags: vec![],
            authors: vec![],
            roles: vec![],
            responders: vec![],
            services: vec![service("api", false), service("db", true)],
            summary: None,
            impact: None,
            root_cause: None,
            trigger: None,
            detection: None,
            resolution: None,
            timeline,
            contributing_factors: vec![],
            lessons: Lessons::default(),
            action_items: vec![],
            links: vec![],
            internal_notes: Some("notes".into()),
            related: vec![],
        }
    }

    proptest! {
        /// Whatever the timeline, the public sees no internal event or service, and both
        /// audiences see the facts of the whole incident.
        #[test]
        fn audiences_share_the_facts_and_the_public_sees_nothing_internal(
            events in prop::collection::vec(
                (
                    0i64..600,
                    prop::option::of(0..Phase::ALL.len()),
                    prop::option::of(0..ServiceStatus::ALL.len()),
                    prop::option::of(0..ServiceStatus::ALL.len()),
                    any::<bool>(),
                ),
                0..12,
            )
        ) {
            let whole = generated(events);
            let (public, internal) =
                (redact(&whole, Audience::Public), redact(&whole, Audience::Internal));
            prop_assert_eq!(internal.incident(), &whole);
            prop_assert_eq!(public.metrics(), &metrics::phase_metrics(&whole));
            prop_assert_eq!(public.metrics(), internal.metrics());
            prop_assert_eq!(public.phases(), internal.phases());
            prop_assert_eq!(public.span(), internal.span());
            prop_assert_eq!(public.impacts(), &internal.impacts()[..1]);
            let shown = public.incident();
            prop_assert!(shown.internal_notes.is_none());
            prop_assert!(shown.services.iter().all(|s| !s.internal));
            prop_assert!(shown.timeline.iter().all(|e| !e.internal));
            prop_assert!(shown.timeline.iter().all(|e| e.status.iter().all(|s| s.0 == "api")));
            // No measure of an internal service or from an internal event reaches the public.
            prop_assert!(public.measures().iter().all(|m| m.key == "api.load"));
            let public_points: usize = whole
                .timeline
                .iter()
                .filter(|e| !e.internal)
                .flat_map(|e| &e.measures)
                .filter(|m| m.service.as_deref() == Some("api"))
                .count();
            let shown_points: usize = public.measures().iter().map(|m| m.points.len()).sum();
            prop_assert_eq!(shown_points, public_points);
            // Each public change has the status before it on the whole timeline.
            let public_events = whole.timeline.iter().enumerate().filter(|(_, e)| !e.internal);
            for (i, (j, _)) in public_events.enumerate() {
                let whole_changes = internal.changes(j);
                let api: Vec<_> = whole_changes.iter().filter(|c| c.service == "api").collect();
                let shown_changes = public.changes(i);
                prop_assert_eq!(shown_changes.iter().collect::<Vec<_>>(), api);
            }
        }
    }
}
