//! Pure functions of the model: how long each phase took, and when each service was impaired.
//! Every number a report shows is computed here, never typed by a person.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::{Config, Point};
use crate::model::{Incident, Phase, ServiceStatus};

pub mod cascade;
pub mod regions;

/// Time from `started` to each later phase; `None` when either end is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PhaseMetrics {
    pub time_to_detect: Option<TimeDelta>,
    pub time_to_acknowledge: Option<TimeDelta>,
    pub time_to_identify: Option<TimeDelta>,
    pub time_to_mitigate: Option<TimeDelta>,
    pub time_to_resolve: Option<TimeDelta>,
}

/// One metric with its names, for printers that list them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    /// `time_to_detect`
    pub key: &'static str,
    /// "Time to detect"
    pub label: &'static str,
    /// The phase it measures up to.
    pub phase: Phase,
    pub value: Option<TimeDelta>,
}

impl PhaseMetrics {
    /// Every metric in phase order.
    pub fn all(&self) -> [Metric; 5] {
        let m = |key, label, phase, value| Metric {
            key,
            label,
            phase,
            value,
        };
        [
            m(
                "time_to_detect",
                "Time to detect",
                Phase::Detected,
                self.time_to_detect,
            ),
            m(
                "time_to_acknowledge",
                "Time to acknowledge",
                Phase::Acknowledged,
                self.time_to_acknowledge,
            ),
            m(
                "time_to_identify",
                "Time to identify",
                Phase::Identified,
                self.time_to_identify,
            ),
            m(
                "time_to_mitigate",
                "Time to mitigate",
                Phase::Mitigated,
                self.time_to_mitigate,
            ),
            m(
                "time_to_resolve",
                "Time to resolve",
                Phase::Resolved,
                self.time_to_resolve,
            ),
        ]
    }
}

/// A metric of the organisation's own (`[metrics]` in postevent.toml): the time from one
/// phase or milestone to another, `None` when either is not marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomMetric {
    /// `impact_to_detect`
    pub key: String,
    /// "Impact to detection"
    pub label: String,
    pub value: Option<TimeDelta>,
    /// Whether both ends are phases or public milestones, so a public report may show it.
    pub public: bool,
}

/// The custom metrics `config` defines, in its order.
pub fn custom_metrics(incident: &Incident, config: &Config) -> Vec<CustomMetric> {
    let at = |point: &Point| match point {
        Point::Phase(phase) => incident.phase_at(*phase),
        Point::Milestone(name) => incident.milestone_at(name),
    };
    let public = |point: &Point| match point {
        Point::Phase(_) => true,
        Point::Milestone(name) => config
            .milestones
            .iter()
            .any(|m| &m.name == name && m.public),
    };
    config
        .metrics
        .iter()
        .map(|m| CustomMetric {
            key: m.name.clone(),
            label: m.label.clone(),
            value: at(&m.from).zip(at(&m.to)).map(|(from, to)| to - from),
            public: public(&m.from) && public(&m.to),
        })
        .collect()
}

/// Time from `started` to the first public update (`update:` on an event), `None` without
/// either.
pub fn time_to_first_update(incident: &Incident) -> Option<TimeDelta> {
    let started = incident.phase_at(Phase::Started)?;
    let first = incident.timeline.iter().find(|e| e.update.is_some())?;
    Some(first.at - started)
}

/// The phase metrics of an incident.
pub fn phase_metrics(incident: &Incident) -> PhaseMetrics {
    let started = incident.phase_at(Phase::Started);
    let since_start = |phase| Some(incident.phase_at(phase)? - started?);
    PhaseMetrics {
        time_to_detect: since_start(Phase::Detected),
        time_to_acknowledge: since_start(Phase::Acknowledged),
        time_to_identify: since_start(Phase::Identified),
        time_to_mitigate: since_start(Phase::Mitigated),
        time_to_resolve: since_start(Phase::Resolved),
    }
}

/// A stretch of one status inside an impact window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub status: ServiceStatus,
    pub from: DateTime<Utc>,
    /// `None` while the window is still open.
    pub to: Option<DateTime<Utc>>,
}

/// A period in which a service was not operational.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpactWindow {
    pub from: DateTime<Utc>,
    /// `None` while ongoing.
    pub to: Option<DateTime<Utc>>,
    pub worst: ServiceStatus,
    pub segments: Vec<Segment>,
    /// Index in the timeline of the event that opened the window.
    pub opened_by: usize,
    /// Index in the timeline of the event that closed it.
    pub closed_by: Option<usize>,
}

impl ImpactWindow {
    /// How long the window lasted; an ongoing window counts up to `now`.
    pub fn duration(&self, now: DateTime<Utc>) -> TimeDelta {
        (self.to.unwrap_or(now) - self.from).max(TimeDelta::zero())
    }

    pub fn is_ongoing(&self) -> bool {
        self.to.is_none()
    }
}

impl Segment {
    pub fn duration(&self, now: DateTime<Utc>) -> TimeDelta {
        (self.to.unwrap_or(now) - self.from).max(TimeDelta::zero())
    }
}

/// One service's impact over the incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceImpact {
    pub name: String,
    pub windows: Vec<ImpactWindow>,
    /// Sum of the windows' durations; ongoing windows count up to the last event.
    pub total: TimeDelta,
}

/// The impact of every declared service, in declaration order (services that never left
/// `operational` have no windows and a zero total).
pub fn service_impacts(incident: &Incident) -> Vec<ServiceImpact> {
    let (_, last) = incident.span();
    incident
        .services
        .iter()
        .zip(all_windows(incident))
        .map(|(service, windows)| {
            let total = windows.iter().map(|w| w.duration(last)).sum();
            ServiceImpact {
                name: service.name.clone(),
                windows,
                total,
            }
        })
        .collect()
}

/// The impact windows of every declared service, in declaration order, from the status
/// changes of the sorted timeline: one pass over it, so time stays linear in the log however
/// many services it declares. With regions, a service is impaired while it is impaired in any
/// region, and a window's segments follow its worst status over the regions.
pub fn all_windows(incident: &Incident) -> Vec<Vec<ImpactWindow>> {
    let regions: Vec<&str> = incident.regions.iter().map(String::as_str).collect();
    windows_in(incident, &regions)
}

/// The impact windows of every declared service counting only the events that apply to
/// `regions` (an event without `region:` applies to all of them): each service's status is
/// its worst over those regions.
pub(crate) fn windows_in(incident: &Incident, regions: &[&str]) -> Vec<Vec<ImpactWindow>> {
    let index: HashMap<&str, usize> = incident
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let n = incident.services.len();
    let mut done: Vec<Vec<ImpactWindow>> = vec![Vec::new(); n];
    let mut open: Vec<Option<ImpactWindow>> = vec![None; n];
    // Each service's status in each region (one slot when the incident names none).
    let mut state = vec![vec![ServiceStatus::Operational; regions.len().max(1)]; n];
    for (event_index, event) in incident.timeline.iter().enumerate() {
        let slot = match event.region.as_deref() {
            None => None,
            Some(region) => match regions.iter().position(|r| *r == region) {
                Some(slot) => Some(slot),
                None => continue,
            },
        };
        for (name, status) in &event.status {
            let Some(&i) = index.get(name.as_str()) else {
                continue;
            };
            match slot {
                Some(slot) => state[i][slot] = *status,
                None => state[i].fill(*status),
            }
            let worst = state[i]
                .iter()
                .copied()
                .max_by_key(|s| s.badness())
                .unwrap_or(ServiceStatus::Operational);
            open[i] = step(open[i].take(), worst, event.at, event_index, &mut done[i]);
        }
    }
    for (windows, open) in done.iter_mut().zip(open) {
        windows.extend(open);
    }
    done
}

/// Applies one status change to the window in progress.
fn step(
    open: Option<ImpactWindow>,
    status: ServiceStatus,
    at: DateTime<Utc>,
    index: usize,
    done: &mut Vec<ImpactWindow>,
) -> Option<ImpactWindow> {
    let segment = Segment {
        status,
        from: at,
        to: None,
    };
    match (open, status) {
        (None, ServiceStatus::Operational) => None,
        (None, _) => Some(ImpactWindow {
            from: at,
            to: None,
            worst: status,
            segments: vec![segment],
            opened_by: index,
            closed_by: None,
        }),
        (Some(mut window), ServiceStatus::Operational) => {
            close_last_segment(&mut window, at);
            window.to = Some(at);
            window.closed_by = Some(index);
            done.push(window);
            None
        }
        (Some(mut window), _) => {
            let same = window.segments.last().is_some_and(|s| s.status == status);
            if !same {
                close_last_segment(&mut window, at);
                window.segments.push(segment);
                if status.badness() > window.worst.badness() {
                    window.worst = status;
                }
            }
            Some(window)
        }
    }
}

fn close_last_segment(window: &mut ImpactWindow, at: DateTime<Utc>) {
    if let Some(last) = window.segments.last_mut() {
        last.to = Some(at);
    }
}

/// One measure (`measures:` on events) over an incident: the values it took, as a step
/// function (each holds until the next).
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureSeries {
    /// As written: `error_rate_pct` or `DynamoDB.error_rate_pct`.
    pub key: String,
    pub name: String,
    /// The declared service it measures, if any.
    pub service: Option<String>,
    /// In time order; at least one.
    pub points: Vec<(DateTime<Utc>, f64)>,
    /// The largest value, and when it was first reached.
    pub peak: f64,
    pub peak_at: DateTime<Utc>,
}

/// Every measure the timeline of `incident` gives, by key (sorted, so output is stable).
pub fn measure_series(incident: &Incident) -> Vec<MeasureSeries> {
    let mut by_key: std::collections::BTreeMap<String, MeasureSeries> = Default::default();
    for event in &incident.timeline {
        for m in &event.measures {
            let series = by_key.entry(m.key()).or_insert_with(|| MeasureSeries {
                key: m.key(),
                name: m.name.clone(),
                service: m.service.clone(),
                points: Vec::new(),
                peak: m.value,
                peak_at: event.at,
            });
            series.points.push((event.at, m.value));
            if m.value > series.peak {
                series.peak = m.value;
                series.peak_at = event.at;
            }
        }
    }
    by_key.into_values().collect()
}

/// The keys of the metrics (`time_to_detect`, `time_to_first_update`, a custom metric's name)
/// that are computed from an approximate time (`at: "~10:45"`), in the order [`PhaseMetrics::all`],
/// then the first update, then `config`'s metrics.
pub fn approximate_metrics(incident: &Incident, config: &Config) -> Vec<String> {
    let phase = |p: Phase| incident.phase_event(p).map(|e| e.approximate);
    let milestone = |name: &str| {
        incident
            .timeline
            .iter()
            .find(|e| e.milestone.as_deref() == Some(name))
            .map(|e| e.approximate)
    };
    let point = |point: &Point| match point {
        Point::Phase(p) => phase(*p),
        Point::Milestone(name) => milestone(name),
    };
    // A metric is approximate when both ends are marked and either is approximate.
    let either = |a: Option<bool>, b: Option<bool>| matches!((a, b), (Some(a), Some(b)) if a || b);
    let started = phase(Phase::Started);
    let mut out: Vec<String> = phase_metrics(incident)
        .all()
        .into_iter()
        .filter(|m| either(started, phase(m.phase)))
        .map(|m| m.key.to_owned())
        .collect();
    let update = incident
        .timeline
        .iter()
        .find(|e| e.update.is_some())
        .map(|e| e.approximate);
    if either(started, update) {
        out.push("time_to_first_update".to_owned());
    }
    out.extend(
        config
            .metrics
            .iter()
            .filter(|m| either(point(&m.from), point(&m.to)))
            .map(|m| m.name.clone()),
    );
    out
}

/// A duration for people: `2h 52m`, `50m`, `45s`, `1m 30s`, `28h 17m`; `0m` for nothing.
pub fn human_duration(d: TimeDelta) -> String {
    let negative = d < TimeDelta::zero();
    let secs = d.num_seconds().unsigned_abs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let text = match (h, m, s) {
        (0, 0, 0) => "0m".to_owned(),
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m {s}s"),
        (h, 0, _) => format!("{h}h"),
        (h, m, _) => format!("{h}h {m}m"),
    };
    if negative { format!("-{text}") } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, Lessons, Service, Severity, Status};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn event(t: &str, phase: Option<Phase>, status: &[(&str, ServiceStatus)]) -> Event {
        Event {
            id: None,
            at: at(t),
            phase,
            milestone: None,
            update: None,
            severity: None,
            status: status.iter().map(|(n, s)| (n.to_string(), *s)).collect(),
            text: "x".into(),
            internal: false,
            measures: Vec::new(),
            approximate: false,
            region: None,
        }
    }

    fn incident(timeline: Vec<Event>) -> Incident {
        Incident {
            id: "t".into(),
            title: "t".into(),
            severity: Severity::default_level(2),
            status: Status::Resolved,
            timezone: chrono_tz::UTC,
            regions: vec![],
            tags: vec![],
            authors: vec![],
            roles: vec![],
            responders: vec![],
            services: ["EC2", "S3"]
                .iter()
                .map(|n| Service {
                    name: n.to_string(),
                    description: None,
                    internal: false,
                    depends_on: Vec::new(),
                })
                .collect(),
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
            internal_notes: None,
            related: vec![],
        }
    }

    use ServiceStatus::*;

    #[test]
    fn phase_metrics_measure_from_start() {
        let i = incident(vec![
            event("2025-10-20T06:48:00Z", Some(Phase::Started), &[]),
            event("2025-10-20T07:38:00Z", Some(Phase::Identified), &[]),
            event("2025-10-20T21:20:00Z", Some(Phase::Resolved), &[]),
        ]);
        let m = phase_metrics(&i);
        assert_eq!(m.time_to_detect, None);
        assert_eq!(m.time_to_identify, Some(TimeDelta::minutes(50)));
        assert_eq!(m.time_to_resolve, Some(TimeDelta::minutes(14 * 60 + 32)));
    }

    #[test]
    fn windows_have_segments_and_worst_status() {
        let i = incident(vec![
            event("2025-10-20T06:48:00Z", None, &[("EC2", PartialOutage)]),
            event("2025-10-20T09:25:00Z", None, &[("EC2", MajorOutage)]),
            event("2025-10-20T09:30:00Z", None, &[("EC2", MajorOutage)]),
            event("2025-10-20T17:36:00Z", None, &[("EC2", PartialOutage)]),
            event("2025-10-20T20:50:00Z", None, &[("EC2", Operational)]),
            event(
                "2025-10-20T21:00:00Z",
                None,
                &[("EC2", DegradedPerformance)],
            ),
            event("2025-10-20T21:10:00Z", None, &[("EC2", Operational)]),
        ]);
        let impacts = service_impacts(&i);
        let ec2 = &impacts[0];
        assert_eq!(ec2.windows.len(), 2);
        let first = &ec2.windows[0];
        assert_eq!(first.worst, MajorOutage);
        let statuses: Vec<_> = first.segments.iter().map(|s| s.status).collect();
        assert_eq!(statuses, [PartialOutage, MajorOutage, PartialOutage]);
        assert_eq!(
            first.duration(at("2025-10-21T00:00:00Z")),
            TimeDelta::minutes(14 * 60 + 2)
        );
        assert_eq!((first.opened_by, first.closed_by), (0, Some(4)));
        assert_eq!(ec2.total, TimeDelta::minutes(14 * 60 + 2 + 10));
        assert_eq!(impacts[1].total, TimeDelta::zero());
        assert!(impacts[1].windows.is_empty());
    }

    #[test]
    fn an_open_window_is_ongoing_until_the_last_event() {
        let i = incident(vec![
            event("2025-10-20T06:00:00Z", None, &[("S3", DegradedPerformance)]),
            event("2025-10-20T07:00:00Z", None, &[]),
        ]);
        let s3 = &service_impacts(&i)[1];
        assert!(s3.windows[0].is_ongoing());
        assert_eq!(s3.total, TimeDelta::hours(1));
    }

    /// A metric is approximate when either of its ends is (`at: "~10:45"`); one computed
    /// from exact times is not.
    #[test]
    fn approximate_metrics_follow_their_ends() {
        let mut i = incident(vec![
            event("2025-10-20T06:48:00Z", Some(Phase::Started), &[]),
            event("2025-10-20T07:11:00Z", Some(Phase::Detected), &[]),
            event("2025-10-20T07:38:00Z", Some(Phase::Identified), &[]),
        ]);
        let config = Config::default();
        assert!(approximate_metrics(&i, &config).is_empty());
        i.timeline[1].approximate = true;
        assert_eq!(approximate_metrics(&i, &config), ["time_to_detect"]);
        i.timeline[1].approximate = false;
        i.timeline[0].approximate = true;
        assert_eq!(
            approximate_metrics(&i, &config),
            ["time_to_detect", "time_to_identify"],
            "from an approximate start, every metric that has a value"
        );
    }

    #[test]
    fn measure_series_hold_points_in_time_order_and_the_first_peak() {
        let measure = |service: Option<&str>, value: f64| crate::model::Measure {
            name: "errors".into(),
            service: service.map(str::to_owned),
            value,
        };
        let mut i = incident(vec![
            event("2025-10-20T06:48:00Z", None, &[]),
            event("2025-10-20T07:00:00Z", None, &[]),
            event("2025-10-20T07:30:00Z", None, &[]),
        ]);
        i.timeline[0].measures = vec![measure(None, 5.0), measure(Some("EC2"), 1.0)];
        i.timeline[1].measures = vec![measure(None, 40.0)];
        i.timeline[2].measures = vec![measure(None, 40.0)];
        let series = measure_series(&i);
        let keys: Vec<&str> = series.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["EC2.errors", "errors"]);
        let errors = &series[1];
        assert_eq!(errors.points.len(), 3);
        assert_eq!(
            (errors.peak, errors.peak_at),
            (40.0, at("2025-10-20T07:00:00Z"))
        );
    }

    #[test]
    fn human_durations() {
        let cases = [
            (0, "0m"),
            (45, "45s"),
            (90, "1m 30s"),
            (50 * 60, "50m"),
            (2 * 3600, "2h"),
            (172 * 60, "2h 52m"),
            (1697 * 60, "28h 17m"),
            (-40 * 60, "-40m"),
        ];
        for (secs, text) in cases {
            assert_eq!(human_duration(TimeDelta::seconds(secs)), text);
        }
    }
}
