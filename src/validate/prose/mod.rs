//! The truth check (W007): post-mortems quote numbers in prose that drift from the timeline as
//! it is edited. Every duration and clock time that [`extract`] reads in the summary, impact,
//! detection and resolution must agree with something the timeline computes:
//!
//! - a duration with a phase metric, an impact window or one of its segments, a service's
//!   total impact, or the time between any two events;
//! - a clock time with the time of day of an event, in the zone the text names or else the
//!   log's zone, and on the date the text names, if it names one.
//!
//! Each claim costs O(n) over the sorted event times (a sliding pair of indices for
//! durations, binary searches over times of day sorted once for clock times); impact windows
//! are computed only for a duration no pair of events agrees with.

pub mod extract;
mod locate;
mod plain;

use std::cell::OnceCell;
use std::ops::Range;

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeDelta, Timelike, Utc,
};

use crate::diagnostics::{Code, Diagnostic};
use crate::metrics::{self, human_duration};
use crate::model::{Incident, ServiceStatus};
use crate::source::Source;
use crate::time;
use extract::{Claim, ClockClaim, DurationClaim};

/// A narrative field the check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Summary,
    Impact,
    Detection,
    Resolution,
}

impl Field {
    /// How a message names it: "the summary".
    fn name(self) -> &'static str {
        match self {
            Field::Summary => "the summary",
            Field::Impact => "the impact",
            Field::Detection => "the detection",
            Field::Resolution => "the resolution",
        }
    }

    fn text(self, incident: &Incident) -> Option<&str> {
        match self {
            Field::Summary => incident.summary.as_deref(),
            Field::Impact => incident.impact.as_deref(),
            Field::Detection => incident.detection.as_deref(),
            Field::Resolution => incident.resolution.as_deref(),
        }
    }
}

/// A warning for every duration or clock time in `fields` (each with its span in the file)
/// that the timeline of `incident` does not agree with.
pub fn check(
    source: &Source,
    incident: &Incident,
    fields: &[(Field, Range<usize>)],
) -> Vec<Diagnostic> {
    let facts = Facts::new(incident);
    let mut out = Vec::new();
    let claims = fields.iter().flat_map(|(field, span)| {
        let text = field.text(incident).unwrap_or_default();
        // Lining the field up with the file costs a pass over it: only for a warning.
        let written = std::rc::Rc::new(OnceCell::new());
        extract::phrases(text)
            .into_iter()
            .map(move |phrase| (*field, span, text, written.clone(), phrase))
    });
    for (field, span, text, written, phrase) in claims.take(MAX_CLAIMS) {
        let written = || Quoted {
            field,
            text: text[phrase.range.clone()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            at: written
                .get_or_init(|| locate::Written::new(source.text(), span.clone(), text))
                .locate(phrase.range.clone()),
        };
        let diagnostic = match &phrase.claim {
            Claim::Duration(claim) => facts
                .duration(claim)
                .map(|closest| duration_diagnostic(written(), claim, closest)),
            Claim::Clock(claim) => facts
                .clock(claim)
                .map(|miss| clock_diagnostic(written(), claim, miss)),
        };
        out.extend(diagnostic);
    }
    out
}

/// At most this many numbers of one log are checked, in the order of the fields and the text.
/// A post-mortem quotes a few dozen; each costs a pass over the events, so a hostile log that
/// quotes millions cannot make `check` slow.
pub const MAX_CLAIMS: usize = 1_000;

/// A phrase as the diagnostic shows it: its field, its text on one line, its span in the file.
struct Quoted {
    field: Field,
    text: String,
    at: Range<usize>,
}

/// The closest named duration the timeline computes, if it has any.
type Closest = Option<(String, TimeDelta)>;

/// A clock time no event agrees with: the zone it was read in and the closest event.
struct ClockMiss {
    zone: String,
    closest: Option<String>,
}

fn duration_diagnostic(written: Quoted, claim: &DurationClaim, closest: Closest) -> Diagnostic {
    let hint = match closest {
        Some((name, value)) => format!(
            "the closest computed duration is {name}, {}; correct the text or the timeline",
            human_duration(value)
        ),
        None => "the timeline has no two events to measure between".to_owned(),
    };
    Diagnostic::new(
        Code::ProseMismatch,
        format!(
            "{} says {}, but no duration of the timeline is {}",
            written.field.name(),
            written.text,
            accepted(claim)
        ),
    )
    .at(written.at, "no computed duration agrees")
    .hint(hint)
}

fn clock_diagnostic(written: Quoted, claim: &ClockClaim, miss: ClockMiss) -> Diagnostic {
    let hint = match miss.closest {
        Some(event) => {
            format!("the closest event is {event}; correct the text or the event's time")
        }
        None => "the timeline has no events".to_owned(),
    };
    let within = match claim.tolerance {
        60 => "a minute".to_owned(),
        t => human_duration(TimeDelta::seconds(t)),
    };
    let on_date = if claim.date.is_some() {
        " on that date"
    } else {
        ""
    };
    Diagnostic::new(
        Code::ProseMismatch,
        format!(
            "{} says {}, but no event is within {within} of it{on_date} in {}",
            written.field.name(),
            written.text,
            miss.zone
        ),
    )
    .at(written.at, "no event at this time")
    .hint(hint)
}

/// A duration claim's accepted range, for a message: "within a minute of 2h 50m",
/// "between 2h 24m and 3h 36m", "13h 30m or longer".
fn accepted(claim: &DurationClaim) -> String {
    let human = |s: i64| human_duration(TimeDelta::seconds(s));
    let (low, high) = claim.written;
    match claim.max {
        Some(max) if low == high && claim.min == low - 60 && max == high + 60 => {
            format!("within a minute of {}", human(low))
        }
        Some(max) if claim.min == 0 => format!("{} or shorter", human(max)),
        Some(max) => format!("between {} and {}", human(claim.min), human(max)),
        None => format!("{} or longer", human(claim.min)),
    }
}

/// A computed duration, named only when a hint shows it: a metric (by its label), a service's
/// (by its index) impact window or segment (with its ends), or total.
enum Named {
    Metric(&'static str),
    Window(usize, DateTime<Utc>, DateTime<Utc>),
    Segment(usize, ServiceStatus, DateTime<Utc>, DateTime<Utc>),
    Total(usize),
}

/// What the timeline computes, built as claims need it.
struct Facts<'a> {
    incident: &'a Incident,
    /// Event instants in seconds, in timeline order (sorted).
    instants: OnceCell<Vec<i64>>,
    /// Durations with names: metrics, windows, segments and totals.
    named: OnceCell<Vec<(Named, TimeDelta)>>,
    /// Each event's time of day in UTC, in seconds, sorted, with the event's index.
    utc_days: OnceCell<Vec<(i64, usize)>>,
    /// Each event's local date and time in the log's zone, in seconds, sorted.
    local: OnceCell<Vec<(i64, usize)>>,
    /// Each event's local time of day in the log's zone, in seconds, sorted.
    local_days: OnceCell<Vec<(i64, usize)>>,
}

const DAY: i64 = 86_400;

impl<'a> Facts<'a> {
    fn new(incident: &'a Incident) -> Self {
        Facts {
            incident,
            instants: OnceCell::new(),
            named: OnceCell::new(),
            utc_days: OnceCell::new(),
            local: OnceCell::new(),
            local_days: OnceCell::new(),
        }
    }

    // ---- Durations ----

    /// `None` when the timeline agrees with the claim, else the closest duration it has.
    fn duration(&self, claim: &DurationClaim) -> Option<Closest> {
        let agrees = |d: i64| d >= claim.min && claim.max.is_none_or(|max| d <= max);
        if self.some_pair(claim.min, claim.max) {
            return None;
        }
        let named = self.named();
        if named.iter().any(|(_, d)| agrees(d.num_seconds())) {
            return None;
        }
        let distance = |d: i64| {
            if d < claim.min {
                claim.min - d
            } else {
                claim.max.map_or(0, |max| (d - max).max(0))
            }
        };
        let best_named = named
            .iter()
            .min_by_key(|(_, d)| distance(d.num_seconds()))
            .map(|(name, d)| (distance(d.num_seconds()), self.name(name), *d));
        let best_pair = self.closest_pair(claim.min).map(|(i, j)| {
            let d = self.instants()[j] - self.instants()[i];
            (distance(d), self.pair_name(i, j), TimeDelta::seconds(d))
        });
        let closest = match (best_named, best_pair) {
            (Some(n), Some(p)) if p.0 < n.0 => Some(p),
            (Some(n), _) => Some(n),
            (None, p) => p,
        };
        Some(closest.map(|(_, name, d)| (name, d)))
    }

    /// Whether two events are between `min` and `max` seconds apart: one pass with two
    /// indices, as the instants are sorted.
    fn some_pair(&self, min: i64, max: Option<i64>) -> bool {
        let t = self.instants();
        let mut j = 0;
        for i in 0..t.len() {
            j = j.max(i + 1);
            while j < t.len() && t[j] - t[i] < min {
                j += 1;
            }
            if j == t.len() {
                return false;
            }
            if max.is_none_or(|max| t[j] - t[i] <= max) {
                return true;
            }
        }
        false
    }

    /// The two events whose distance is closest to `target` seconds (at least, then at most).
    fn closest_pair(&self, target: i64) -> Option<(usize, usize)> {
        let t = self.instants();
        let mut best: Option<(i64, usize, usize)> = None;
        let mut j = 0;
        for i in 0..t.len() {
            j = j.max(i + 1);
            while j < t.len() && t[j] - t[i] < target {
                j += 1;
            }
            for k in [j.saturating_sub(1), j] {
                if k > i && k < t.len() {
                    let gap = (t[k] - t[i] - target).abs();
                    if best.is_none_or(|(b, _, _)| gap < b) {
                        best = Some((gap, i, k));
                    }
                }
            }
        }
        best.map(|(_, i, j)| (i, j))
    }

    fn pair_name(&self, i: usize, j: usize) -> String {
        format!(
            "the time from {} to {}",
            self.event_name(i),
            self.event_name(j)
        )
    }

    /// An event for a message: "`dns-restored` (2025-10-20 02:25 PDT)", or "the event at
    /// 2025-10-20 02:25 PDT" without an id.
    fn event_name(&self, index: usize) -> String {
        let event = &self.incident.timeline[index];
        let at = time::show(event.at, self.incident.timezone);
        match &event.id {
            Some(id) => format!("`{id}` ({at})"),
            None => format!("the event at {at}"),
        }
    }

    /// Every named duration: the phase metrics, each service's impact windows, their segments
    /// (when a window has more than one) and the total of a service with several windows.
    fn named(&self) -> &[(Named, TimeDelta)] {
        self.named.get_or_init(|| {
            let incident = self.incident;
            let (_, last) = incident.span();
            let mut out: Vec<(Named, TimeDelta)> = metrics::phase_metrics(incident)
                .all()
                .iter()
                .filter_map(|m| Some((Named::Metric(m.label), m.value?)))
                .collect();
            for (service, impact) in metrics::service_impacts(incident).iter().enumerate() {
                for w in &impact.windows {
                    let to = w.to.unwrap_or(last);
                    out.push((Named::Window(service, w.from, to), w.duration(last)));
                    if w.segments.len() > 1 {
                        for s in &w.segments {
                            let to = s.to.unwrap_or(last);
                            let segment = Named::Segment(service, s.status, s.from, to);
                            out.push((segment, s.duration(last)));
                        }
                    }
                }
                if impact.windows.len() > 1 {
                    out.push((Named::Total(service), impact.total));
                }
            }
            out
        })
    }

    /// A named duration for a hint: "the time to detect", "DynamoDB's impact window
    /// (2025-10-19 23:48 PDT to 2025-10-20 02:40 PDT)".
    fn name(&self, named: &Named) -> String {
        let incident = self.incident;
        let show = |at: DateTime<Utc>| time::show(at, incident.timezone);
        let service = |i: usize| incident.services.get(i).map_or("", |s| s.name.as_str());
        match named {
            Named::Metric(label) => format!("the {}", label.to_lowercase()),
            Named::Window(i, from, to) => format!(
                "{}'s impact window ({} to {})",
                service(*i),
                show(*from),
                show(*to)
            ),
            Named::Segment(i, status, from, to) => format!(
                "{}'s {} ({} to {})",
                service(*i),
                status.label(),
                show(*from),
                show(*to)
            ),
            Named::Total(i) => format!("{}'s total impact", service(*i)),
        }
    }

    // ---- Clock times ----

    /// `None` when an event agrees with the claim, else the closest event.
    fn clock(&self, claim: &ClockClaim) -> Option<ClockMiss> {
        let incident = self.incident;
        let mut best: Option<(i64, usize, Option<FixedOffset>)> = None;
        let mut consider = |found: Option<(i64, usize)>, offset: Option<FixedOffset>| {
            if let Some((distance, index)) = found
                && best.is_none_or(|(b, _, _)| distance < b)
            {
                best = Some((distance, index, offset));
            }
        };
        match &claim.zone {
            Some(zone) => {
                for offset in &self.offsets(&zone.offsets) {
                    let shift = i64::from(offset.local_minus_utc());
                    for reading in &claim.readings {
                        let target = i64::from(reading.num_seconds_from_midnight());
                        let found = match claim.date {
                            None => nearest_in_day(self.utc_days(), target - shift),
                            Some(day) => self
                                .years(day)
                                .into_iter()
                                .filter_map(|date| {
                                    let local = date.and_time(*reading).and_utc().timestamp();
                                    self.nearest_instant(local - shift)
                                })
                                .min(),
                        };
                        consider(found, Some(*offset));
                    }
                }
            }
            None => {
                for reading in &claim.readings {
                    let target = i64::from(reading.num_seconds_from_midnight());
                    let found = match claim.date {
                        None => nearest_in_day(self.local_days(), target),
                        Some(day) => self
                            .years(day)
                            .into_iter()
                            .filter_map(|date| {
                                let local = date.and_time(*reading).and_utc().timestamp();
                                nearest(self.local(), local)
                            })
                            .min(),
                    };
                    consider(found, None);
                }
            }
        }
        if best.is_some_and(|(distance, _, _)| distance <= claim.tolerance) {
            return None;
        }
        let zone = match &claim.zone {
            Some(zone) => zone.name.clone(),
            None => incident.timezone.name().to_owned(),
        };
        let closest = best.map(|(_, index, offset)| {
            let event = &incident.timeline[index];
            let at = match (offset, &claim.zone) {
                (Some(offset), Some(zone)) => format!(
                    "{} {}",
                    event.at.with_timezone(&offset).format("%Y-%m-%d %H:%M"),
                    zone.name
                ),
                _ => time::show(event.at, incident.timezone),
            };
            match &event.id {
                Some(id) => format!("`{id}` at {at}"),
                None => format!("the one at {at}"),
            }
        });
        Some(ClockMiss { zone, closest })
    }

    /// The offsets a zone written in prose stands for; for an IANA name, those it has at the
    /// first and the last event (both sides of a clock change the timeline spans).
    fn offsets(&self, offsets: &extract::Offsets) -> Vec<FixedOffset> {
        match offsets {
            extract::Offsets::Fixed(fixed) => fixed.clone(),
            extract::Offsets::Iana(tz) => {
                let (first, last) = self.incident.span();
                let mut out: Vec<FixedOffset> = [first, last]
                    .iter()
                    .map(|at| at.with_timezone(tz).offset().fix())
                    .collect();
                out.dedup();
                out
            }
        }
    }

    /// The dates a day written without a year can be: that day in every year of the timeline.
    fn years(&self, day: extract::Day) -> Vec<NaiveDate> {
        let zone = self.incident.timezone;
        let (first, last) = self.incident.span();
        let year = |at: DateTime<Utc>| at.with_timezone(&zone).year();
        let years = match day.year {
            Some(year) => year..=year,
            // A timeline of decades (a hostile log) is read over its first and last years.
            None if year(last) - year(first) > 10 => year(first)..=year(first),
            None => year(first)..=year(last),
        };
        years
            .filter_map(|y| NaiveDate::from_ymd_opt(y, day.month, day.day))
            .collect()
    }

    fn nearest_instant(&self, target: i64) -> Option<(i64, usize)> {
        let index = self.instants().partition_point(|&t| t < target);
        [index.checked_sub(1), Some(index)]
            .into_iter()
            .flatten()
            .filter_map(|i| Some(((self.instants().get(i)? - target).abs(), i)))
            .min()
    }

    fn instants(&self) -> &[i64] {
        self.instants.get_or_init(|| {
            self.incident
                .timeline
                .iter()
                .map(|e| e.at.timestamp())
                .collect()
        })
    }

    fn utc_days(&self) -> &[(i64, usize)] {
        self.utc_days.get_or_init(|| {
            let mut days: Vec<(i64, usize)> = self
                .instants()
                .iter()
                .enumerate()
                .map(|(i, t)| (t.rem_euclid(DAY), i))
                .collect();
            days.sort_unstable();
            days
        })
    }

    fn local(&self) -> &[(i64, usize)] {
        self.local.get_or_init(|| {
            let zone = self.incident.timezone;
            let mut local: Vec<(i64, usize)> = self
                .incident
                .timeline
                .iter()
                .enumerate()
                .map(|(i, e)| (local_seconds(e.at.with_timezone(&zone).naive_local()), i))
                .collect();
            local.sort_unstable();
            local
        })
    }

    fn local_days(&self) -> &[(i64, usize)] {
        self.local_days.get_or_init(|| {
            let mut days: Vec<(i64, usize)> = self
                .local()
                .iter()
                .map(|&(t, i)| (t.rem_euclid(DAY), i))
                .collect();
            days.sort_unstable();
            days
        })
    }
}

fn local_seconds(local: NaiveDateTime) -> i64 {
    local.and_utc().timestamp()
}

/// The entry of `sorted` closest to `target`: its distance and event.
fn nearest(sorted: &[(i64, usize)], target: i64) -> Option<(i64, usize)> {
    let index = sorted.partition_point(|&(t, _)| t < target);
    [index.checked_sub(1), Some(index)]
        .into_iter()
        .flatten()
        .filter_map(|i| sorted.get(i))
        .map(|&(t, e)| ((t - target).abs(), e))
        .min()
}

/// The entry of `sorted` (times of day) closest to `target` on a 24-hour clock, where 23:59
/// and 00:00 are a minute apart.
fn nearest_in_day(sorted: &[(i64, usize)], target: i64) -> Option<(i64, usize)> {
    let target = target.rem_euclid(DAY);
    [target - DAY, target, target + DAY]
        .into_iter()
        .filter_map(|t| nearest(sorted, t))
        .min()
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::diagnostics::Code;
    use crate::parse::Limits;
    use crate::source::Source;
    use crate::validate::check_with;

    /// Durations: time to detect 23m, to resolve 5h 42m; API's window 2h 52m in two segments
    /// (2h 37m major, 15m partial); DB's window 5h 42m; Cache's two windows (23m, 15m) total
    /// 38m; other pairs of events: 2h 14m, 2h 29m, 5h 19m, 3h 5m, 2h 50m. Clock times (PDT):
    /// 23:48 on 19 October, 00:11, 02:25, 02:40 and 05:30 on 20 October.
    const LOG: &str = "title: T
severity: SEV2
status: resolved
timezone: America/Los_Angeles
services: [API, DB, Cache]
summary: |
  SUMMARY
timeline:
  - id: start
    at: 2025-10-19 23:48
    phase: started
    status: {API: major_outage, DB: degraded_performance, Cache: partial_outage}
    text: x
  - id: detect
    at: 2025-10-20 00:11
    phase: detected
    status: {Cache: operational}
    text: x
  - id: partial
    at: \"02:25\"
    status: {API: partial_outage, Cache: partial_outage}
    text: x
  - at: \"02:40\"
    status: {API: operational, Cache: operational}
    text: x
  - id: db-ok
    at: \"05:30\"
    phase: resolved
    status: {DB: operational}
    text: x
";

    /// The W007 warnings of the log with `summary` as its summary: (phrase, message + hint).
    fn warnings(summary: &str, config: Config) -> Vec<(String, String)> {
        let text = LOG.replace("SUMMARY", summary);
        let source = Source::from_text("t.yaml", text.clone());
        let checked = check_with(&source, Limits::default(), &config);
        assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
        checked
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::ProseMismatch)
            .map(|d| {
                let span = d.span.clone().unwrap();
                let hint = d.hint.clone().unwrap_or_default();
                (text[span].to_owned(), format!("{} | {hint}", d.message))
            })
            .collect()
    }

    /// The phrase that warns and words its message or hint must have; `None`: no warning.
    type Expected = Option<(&'static str, &'static [&'static str])>;

    /// One row per summary: the phrase that warns and words its message or hint must have, or
    /// `None` when the timeline agrees.
    #[test]
    fn claims_are_checked_against_the_timeline() {
        let cases: &[(&str, Expected)] = &[
            ("down for 2 h 52 m", None),
            ("down for 2 h 53 m", None),
            (
                "down for 2 h 54 m",
                Some((
                    "2 h 54 m",
                    &[
                        "within a minute of 2h 54m",
                        "closest computed duration is API's impact window (2025-10-19 23:48 PDT to 2025-10-20 02:40 PDT), 2h 52m",
                    ],
                )),
            ),
            ("detected in 23 minutes", None),
            (
                "detected in 25 minutes",
                Some(("25 minutes", &["the time to detect, 23m"])),
            ),
            ("a 15-minute outage", None),
            ("the major outage lasted 2h37m", None),
            ("API's partial outage: 15 minutes", None),
            ("2 h 50 m between recoveries", None),
            ("the cache was down 38 minutes in all", None),
            ("about 3 hours", None),
            ("over 5 hours", None),
            (
                "over 7 hours",
                Some((
                    "over 7 hours",
                    &["6h 30m or longer", "the time to resolve, 5h 42m"],
                )),
            ),
            (
                "alerts fired within 2 minutes",
                Some(("within 2 minutes", &["3m or shorter"])),
            ),
            ("2-3 minutes", Some(("2-3 minutes", &["between 1m and 4m"]))),
            ("a 7-minute TTL", None),
            ("every 9 minutes", None),
            ("at 2:40 AM", None),
            ("at 2:41 AM", None),
            (
                "at 2:42 AM",
                Some((
                    "2:42 AM",
                    &[
                        "within a minute of it in America/Los_Angeles",
                        "closest event is the one at 2025-10-20 02:40 PDT",
                    ],
                )),
            ),
            ("at 9:40 UTC", None),
            ("at 09:40Z", None),
            (
                "at 10:40 UTC",
                Some((
                    "10:40 UTC",
                    &["in UTC", "closest event is the one at 2025-10-20 09:40 UTC"],
                )),
            ),
            ("at 11:48 PM PDT on 19 October", None),
            ("at 11:48 PM on October 19, 2025", None),
            ("on 2025-10-19 at 23:48", None),
            (
                "at 11:48 PM on 20 October",
                Some(("11:48 PM on 20 October", &["on that date"])),
            ),
            (
                "at 11:48 PM on 19 October 2024",
                Some(("11:48 PM on 19 October 2024", &["on that date"])),
            ),
            ("at 23:48", None),
            ("at 11:48", None),
            ("at 5:30", None),
            ("at 10:25 CET", None),
            (
                "at 17:30",
                Some(("17:30", &["`start` at 2025-10-19 23:48 PDT"])),
            ),
            ("at about 2:30 AM", None),
            (
                "at about 3:00 AM",
                Some(("about 3:00 AM", &["within 15m of it"])),
            ),
        ];
        for (summary, expected) in cases {
            let got = warnings(summary, Config::default());
            match expected {
                None => assert!(got.is_empty(), "{summary}: {got:?}"),
                Some((phrase, words)) => {
                    assert_eq!(got.len(), 1, "{summary}: {got:?}");
                    assert_eq!(got[0].0, *phrase, "{summary}");
                    for word in *words {
                        assert!(
                            got[0].1.contains(word),
                            "{summary}: `{}` lacks `{word}`",
                            got[0].1
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_switch_turns_the_check_off() {
        let wrong = "down for 9 h 9 m at 4:44 PM";
        assert_eq!(warnings(wrong, Config::default()).len(), 2);
        assert!(
            warnings(
                wrong,
                Config {
                    lint_prose: false,
                    ..Config::default()
                }
            )
            .is_empty()
        );
    }

    /// A hostile log cannot make the check do unbounded work: past the cap, claims are not read.
    #[test]
    fn at_most_max_claims_are_checked() {
        let summary = vec!["down for 9 h 9 m."; super::MAX_CLAIMS + 5].join("\n  ");
        assert_eq!(
            warnings(&summary, Config::default()).len(),
            super::MAX_CLAIMS
        );
    }

    /// An event at 23:59:40 is 20 seconds from midnight, not a day.
    #[test]
    fn times_of_day_wrap_at_midnight() {
        let log = "title: T\nseverity: SEV3\nsummary: at 00:00 and 23:59\ntimeline:\n  - at: 2025-10-19T23:59:40Z\n    text: x\n";
        let checked = check_with(
            &Source::from_text("t.yaml", log),
            Limits::default(),
            &Config::default(),
        );
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    }

    /// No truth check on a log with errors: its timeline, and so its numbers, are not sound.
    #[test]
    fn a_log_with_errors_is_not_checked() {
        let text = LOG
            .replace("SUMMARY", "down for 9 h 9 m")
            .replace("SEV2", "SEV9");
        let checked = check_with(
            &Source::from_text("t.yaml", text),
            Limits::default(),
            &Config::default(),
        );
        assert!(checked.errors() > 0);
        assert!(
            !checked
                .diagnostics
                .iter()
                .any(|d| d.code == Code::ProseMismatch)
        );
    }
}
