//! Rules for measured impact (`measures:` on events) and for times of day: a measure names a
//! declared service and a finite number; a time of day that takes its date from an event far
//! before the events around it is likely on the wrong day.

use chrono::TimeDelta;
use chrono_tz::Tz;

use super::{Declared, Located, Validator};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Measure;
use crate::parse::MeasureMap;

impl Validator<'_> {
    /// The measures of one event; `None` when one of them is wrong (each reported).
    pub(super) fn measures(
        &mut self,
        map: &MeasureMap,
        declared: &Declared,
    ) -> Option<Vec<Measure>> {
        let mut out = Vec::new();
        let mut ok = true;
        for (key, value) in &map.0 {
            let span = self.span(key);
            let written = key.value.trim();
            let (service, name) = split_key(written, declared);
            if let Some(prefix) = service.filter(|s| !declared.known.contains(s)) {
                if declared.read {
                    let at =
                        span.start..span.start + key.value.find(prefix).unwrap_or(0) + prefix.len();
                    self.unknown_service(prefix, prefix, at, declared);
                }
                ok = false;
                continue;
            }
            if name.is_empty() {
                self.push(
                    Diagnostic::new(Code::InvalidMeasure, format!("measure `{written}` has no name"))
                        .at(span, "no name")
                        .hint("name the measure: `error_rate_pct`, or `Service.error_rate_pct` for one service"),
                );
                ok = false;
                continue;
            }
            if !value.value.is_finite() {
                let at = crate::parse::span(self.source, value);
                self.push(
                    Diagnostic::new(
                        Code::InvalidMeasure,
                        format!("measure `{written}` is not a finite number"),
                    )
                    .at(at, "not a finite number")
                    .hint("write a number such as `40` or `0.5`"),
                );
                ok = false;
                continue;
            }
            out.push(Measure {
                name: name.to_owned(),
                service: service.map(str::to_owned),
                value: value.value,
            });
        }
        ok.then_some(out)
    }
}

/// `DynamoDB.error_rate_pct` -> (`DynamoDB`, `error_rate_pct`): the longest declared service
/// the key starts with, else whatever is before its last `.`; a key without `.` names no
/// service.
fn split_key<'k>(key: &'k str, declared: &Declared) -> (Option<&'k str>, &'k str) {
    let declared_prefix = declared
        .names
        .iter()
        .filter(|name| {
            key.len() > name.len() && key.starts_with(**name) && key[name.len()..].starts_with('.')
        })
        .max_by_key(|name| name.len());
    if let Some(name) = declared_prefix {
        return (Some(&key[..name.len()]), key[name.len() + 1..].trim());
    }
    match key.rsplit_once('.') {
        Some((service, name)) => (Some(service.trim()), name.trim()),
        None => (None, key),
    }
}

/// W015: a time of day takes the date of the event written before it. When that date comes
/// from an event more than a day earlier than the events written before it (a context event
/// days before the incident, written among the incident's events), the time of day lands
/// on that day too, though it was almost surely meant for the incident's.
pub(super) fn stale_times_of_day(v: &mut Validator, events: &[Located], zone: Tz) {
    let mut by_written: Vec<&Located> = events.iter().collect();
    by_written.sort_by_key(|e| e.written);
    let mut latest: Option<&Located> = None;
    let mut dated: Option<&Located> = None;
    for e in by_written {
        if e.dated {
            dated = Some(e);
        } else if let (Some(latest), Some(source)) = (latest, dated) {
            let gap = latest.event.at - e.event.at;
            if gap > TimeDelta::days(1) {
                let local = e.event.at.with_timezone(&zone);
                let meant = latest.event.at.with_timezone(&zone).date_naive();
                v.push(
                    Diagnostic::new(
                        Code::StaleTimeOfDay,
                        format!(
                            "this time of day takes its date ({}) from an event {} days before the events written above it",
                            local.date_naive(),
                            gap.num_days()
                        ),
                    )
                    .at(e.at_span.clone(), format!("read as {}", local.format("%Y-%m-%d %H:%M")))
                    .related(source.at_span.clone(), "its date comes from here")
                    .related(latest.at_span.clone(), "a later event written above")
                    .hint(format!(
                        "a time of day takes its date from the event written before it; write the date in full if it belongs with the incident (`{meant} {}`)",
                        local.format("%H:%M")
                    )),
                );
            }
        }
        if latest.is_none_or(|l| e.event.at > l.event.at) {
            latest = Some(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Code;
    use crate::parse::Limits;
    use crate::source::Source;
    use crate::validate::check;

    fn measures(entries: &str) -> (Vec<(String, Option<String>)>, Vec<Code>) {
        let text = format!(
            "title: T\nseverity: SEV3\nservices: [API, api.v2]\ntimeline:\n  - at: 2026-01-01 10:00\n    measures: {{{entries}}}\n    text: x\n"
        );
        let checked = check(&Source::from_text("t.yaml", text), Limits::default());
        let codes = checked.diagnostics.iter().map(|d| d.code).collect();
        let found = checked
            .incident
            .map(|i| {
                i.timeline[0]
                    .measures
                    .iter()
                    .map(|m| (m.name.clone(), m.service.clone()))
                    .collect()
            })
            .unwrap_or_default();
        (found, codes)
    }

    /// One row per key: the longest declared service it starts with wins; a key with a `.`
    /// that names no declared service is E012; a value that is not finite is E030.
    #[test]
    fn measure_keys_name_declared_services() {
        let name = |n: &str, s: Option<&str>| (n.to_owned(), s.map(str::to_owned));
        assert_eq!(measures("errors: 1").0, [name("errors", None)]);
        assert_eq!(measures("API.errors: 1").0, [name("errors", Some("API"))]);
        assert_eq!(
            measures("api.v2.errors: 1").0,
            [name("errors", Some("api.v2"))]
        );
        assert_eq!(measures("Web.errors: 1").1, [Code::UnknownService]);
        assert_eq!(measures("API.: 1").1, [Code::InvalidMeasure]);
        assert_eq!(measures("errors: .inf").1, [Code::InvalidMeasure]);
    }

    /// `~` marks a time approximate, quoted or not; so does `approximate: true`.
    #[test]
    fn approximate_times() {
        let text = "title: T\nseverity: SEV3\ntimeline:\n  - at: 2026-01-01 10:00\n    text: x\n  - at: ~10:45\n    text: y\n  - at: \"~ 10:50\"\n    text: z\n  - at: 10:55\n    approximate: true\n    text: w\n  - at: \"11:00\"\n    text: v\n";
        let incident = check(&Source::from_text("t.yaml", text), Limits::default())
            .incident
            .expect("valid");
        let marked: Vec<bool> = incident.timeline.iter().map(|e| e.approximate).collect();
        assert_eq!(marked, [false, true, true, true, false]);
    }

    /// W015 fires on a time of day dated by a context event written among the incident's
    /// events, not on times of day that follow the incident's own dates.
    #[test]
    fn stale_times_of_day() {
        let run = |timeline: &str| {
            let text = format!("title: T\nseverity: SEV3\ntimeline:\n{timeline}");
            check(&Source::from_text("t.yaml", text), Limits::default())
                .diagnostics
                .iter()
                .filter(|d| d.code == Code::StaleTimeOfDay)
                .count()
        };
        let event = |at: &str| format!("  - at: \"{at}\"\n    text: x\n");
        let stale = [
            event("2026-06-12 10:45"),
            event("2026-05-29 09:00"),
            event("11:30"),
        ]
        .concat();
        assert_eq!(run(&stale), 1);
        let fine = [
            event("2026-05-29 09:00"),
            event("2026-06-12 10:45"),
            event("11:30"),
            event("2026-06-14 09:00"),
            event("10:00"),
        ]
        .concat();
        assert_eq!(run(&fine), 0);
    }
}
