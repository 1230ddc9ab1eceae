//! Rules for measured impact (`measures:` on events) and for times of day: a measure names a
//! declared service and a finite number; a time of day that takes its date from an event far
//! before the events around it is likely on the wrong day.

use std::ops::Range;

use chrono::TimeDelta;
use chrono_tz::Tz;

use super::{Declared, Located, Validator};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Measure;
use crate::parse::MeasureMap;

impl Validator<'_> {
    /// The measures of one event; `None` when one of them is wrong (each reported).
    pub(super) fn measures(&mut self, map: &MeasureMap, declared: &Declared) -> Option<Vec<Measure>> {
        let mut out = Vec::new();
        let mut ok = true;
        for (key, value) in &map.0 {
            let span = self.span(key);
            let written = key.value.trim();
            let (service, name) = split_key(written, declared);
            if let Some(prefix) = service.filter(|s| !declared.known.contains(s)) {
                if declared.read {
                    let at = span.start..span.start + key.value.find(prefix).unwrap_or(0) + prefix.len();
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

/// W015: a time of day takes the date of the event written before it; when the next event
/// written with a full date is more than a day after it, the date it took is likely stale (a
/// context event days before the incident, then `10:51` meant for the incident's day).
pub(super) fn stale_times_of_day(v: &mut Validator, events: &[Located], zone: Tz) {
    let mut by_written: Vec<&Located> = events.iter().collect();
    by_written.sort_by_key(|e| e.written);
    let mut next_dated: Option<&Located> = None;
    let mut last_dated_before: Vec<Option<Range<usize>>> = Vec::with_capacity(by_written.len());
    let mut source = None;
    for e in &by_written {
        if e.dated {
            source = Some(e.at_span.clone());
        }
        last_dated_before.push(source.clone());
    }
    let mut warnings = Vec::new();
    for (i, e) in by_written.iter().enumerate().rev() {
        if e.dated {
            next_dated = Some(e);
            continue;
        }
        let Some(next) = next_dated else { continue };
        let gap = next.event.at - e.event.at;
        if gap <= TimeDelta::days(1) {
            continue;
        }
        let date = e.event.at.with_timezone(&zone).date_naive();
        let next_date = next.event.at.with_timezone(&zone).date_naive();
        let time = e.event.at.with_timezone(&zone).format("%H:%M");
        let mut d = Diagnostic::new(
            Code::StaleTimeOfDay,
            format!(
                "this time of day is read on {date}, {} days before the next dated event ({next_date})",
                gap.num_days()
            ),
        )
        .at(e.at_span.clone(), format!("read as {date} {time}"))
        .related(next.at_span.clone(), "the next dated event");
        if let Some(from) = &last_dated_before[i] {
            d = d.related(from.clone(), "its date comes from here");
        }
        warnings.push(d.hint(format!(
            "a time of day takes its date from the event written before it; write the date if it belongs with the later events (`{next_date} {time}`)"
        )));
    }
    warnings.reverse();
    for w in warnings {
        v.push(w);
    }
}
