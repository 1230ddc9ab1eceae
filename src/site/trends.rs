//! Trends over all incidents, for learning across them: the response times per quarter and per
//! severity (median and p90), incidents per service per quarter, the services and tags that
//! recur, and how many action items were closed per quarter. Part of [`super::stats::Stats`],
//! so the stats page, `stats.json` and `postevent stats` print the same figures.
//!
//! Quarters are those of each incident's start in UTC (`2025-Q4`). The median of an even count
//! is the lower middle value and the p90 is the nearest-rank 90th percentile (the value at
//! rank ⌈0.9·n⌉ of the sorted values), so both are always values of real incidents.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;

use super::Entry;
use super::followups::{is_open, rate};
use super::stats::median;

/// The response times the trends follow, by metric key.
pub const TIMES: &[&str] = &[
    "time_to_detect",
    "time_to_identify",
    "time_to_mitigate",
    "time_to_resolve",
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trends {
    /// Every quarter from the first incident's to the last one's, empty ones included.
    pub quarters: Vec<Quarter>,
    /// Every severity of the scale, worst first.
    pub severities: Vec<SeverityTimes>,
    /// Every impacted service with its incidents per quarter (aligned with `quarters`), most
    /// incidents first.
    pub services: Vec<ServiceQuarters>,
    /// Services impaired in two incidents or more, most first.
    pub recurring_services: Vec<Recurring>,
    /// Tags on two incidents or more, most first.
    pub recurring_tags: Vec<Recurring>,
}

/// One response time over a set of incidents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// `time_to_detect`
    pub key: String,
    pub label: String,
    /// Incidents with a value.
    pub incidents: usize,
    pub median_s: Option<i64>,
    pub p90_s: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quarter {
    /// `2025-Q4`
    pub quarter: String,
    pub incidents: usize,
    /// One figure per key of [`TIMES`], in that order.
    pub times: Vec<Figure>,
    /// Action items of the incidents that started this quarter.
    pub action_items: usize,
    /// Of those, `done` or `wont_do`.
    pub closed_action_items: usize,
    /// `closed / action_items`, four decimals; `null` without items.
    pub closure_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeverityTimes {
    pub severity: String,
    /// Its colour class: `sev1` (worst) to `sev5`.
    pub class: &'static str,
    pub incidents: usize,
    pub times: Vec<Figure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceQuarters {
    pub name: String,
    pub slug: String,
    pub incidents: usize,
    /// Incidents per quarter, in the order of [`Trends::quarters`].
    pub per_quarter: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recurring {
    pub name: String,
    pub slug: String,
    pub incidents: usize,
}

/// The p90 of sorted values by nearest rank: the value at rank ⌈0.9·n⌉.
pub fn p90(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    (n > 0).then(|| sorted[(n * 9).div_ceil(10) - 1])
}

/// `2025-Q4`, the quarter of an entry's start in UTC.
pub fn quarter_of(e: &Entry) -> Option<(i32, u32)> {
    let at = chrono::DateTime::from_timestamp(e.start_unix, 0)?;
    Some((at.year(), at.month0() / 3 + 1))
}

fn quarter_name((y, q): (i32, u32)) -> String {
    format!("{y}-Q{q}")
}

/// The value of metric `key` of `e`, in seconds.
fn seconds(e: &Entry, key: &str) -> Option<i64> {
    e.metrics
        .iter()
        .find(|m| m.key == key)
        .and_then(|m| m.seconds)
}

/// The label of metric `key` as the entries name it, else the key.
fn label(entries: &[Entry], key: &str) -> String {
    entries
        .iter()
        .flat_map(|e| &e.metrics)
        .find(|m| m.key == key)
        .map_or_else(|| key.to_owned(), |m| m.label.clone())
}

/// The figures of [`TIMES`] over `group`.
fn times(all: &[Entry], group: &[&Entry]) -> Vec<Figure> {
    TIMES
        .iter()
        .map(|key| {
            let mut v: Vec<i64> = group.iter().filter_map(|e| seconds(e, key)).collect();
            v.sort_unstable();
            Figure {
                key: (*key).to_owned(),
                label: label(all, key),
                incidents: v.len(),
                median_s: median(&v),
                p90_s: p90(&v),
            }
        })
        .collect()
}

/// Every quarter from the first to the last of `entries`.
fn quarter_range(entries: &[Entry]) -> Vec<(i32, u32)> {
    let all: Vec<(i32, u32)> = entries.iter().filter_map(quarter_of).collect();
    let (Some(&first), Some(&last)) = (all.iter().min(), all.iter().max()) else {
        return Vec::new();
    };
    let mut out = vec![first];
    let mut at = first;
    while at < last {
        at = if at.1 == 4 {
            (at.0 + 1, 1)
        } else {
            (at.0, at.1 + 1)
        };
        out.push(at);
    }
    out
}

/// Names (with slugs) recurring in two incidents or more, most first, then by slug.
fn recurring(counts: BTreeMap<String, (String, usize)>) -> Vec<Recurring> {
    let mut out: Vec<Recurring> = counts
        .into_iter()
        .filter(|(_, (_, n))| *n >= 2)
        .map(|(slug, (name, incidents))| Recurring {
            name,
            slug,
            incidents,
        })
        .collect();
    out.sort_by(|a, b| {
        b.incidents
            .cmp(&a.incidents)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    out
}

/// Counts each (slug -> smallest name, incidents) once per incident.
fn count<'a>(
    entries: &'a [Entry],
    names: impl Fn(&'a Entry) -> Vec<(&'a str, &'a str)>,
) -> BTreeMap<String, (String, usize)> {
    let mut counts: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for e in entries {
        let mut seen = std::collections::BTreeSet::new();
        for (name, slug) in names(e) {
            if !seen.insert(slug) {
                continue;
            }
            let c = counts
                .entry(slug.to_owned())
                .or_insert_with(|| (name.to_owned(), 0));
            if name < c.0.as_str() {
                c.0 = name.to_owned();
            }
            c.1 += 1;
        }
    }
    counts
}

/// The trends of `entries`; `scale` is the severity scale, worst first, with colour classes.
pub fn compute(entries: &[Entry], scale: &[(String, &'static str)]) -> Trends {
    let range = quarter_range(entries);
    let index: BTreeMap<(i32, u32), usize> =
        range.iter().enumerate().map(|(i, q)| (*q, i)).collect();
    let mut members: Vec<Vec<&Entry>> = vec![Vec::new(); range.len()];
    for e in entries {
        if let Some(i) = quarter_of(e).and_then(|q| index.get(&q)) {
            members[*i].push(e);
        }
    }
    let quarters = range
        .iter()
        .zip(&members)
        .map(|(q, group)| {
            let items: Vec<_> = group.iter().flat_map(|e| &e.action_items).collect();
            let closed = items.iter().filter(|a| !is_open(a.status)).count();
            Quarter {
                quarter: quarter_name(*q),
                incidents: group.len(),
                times: times(entries, group),
                action_items: items.len(),
                closed_action_items: closed,
                closure_rate: rate(closed, items.len()),
            }
        })
        .collect();
    let severities = scale
        .iter()
        .map(|(name, class)| {
            let group: Vec<&Entry> = entries.iter().filter(|e| &e.severity == name).collect();
            SeverityTimes {
                severity: name.clone(),
                class,
                incidents: group.len(),
                times: times(entries, &group),
            }
        })
        .collect();
    let service_counts = count(entries, |e| {
        e.services
            .iter()
            .filter(|s| s.impacted)
            .map(|s| (s.name.as_str(), s.slug.as_str()))
            .collect()
    });
    let mut services: Vec<ServiceQuarters> = service_counts
        .iter()
        .map(|(slug, (name, n))| {
            let mut per_quarter = vec![0; range.len()];
            for (i, group) in members.iter().enumerate() {
                per_quarter[i] = group
                    .iter()
                    .filter(|e| e.services.iter().any(|s| s.impacted && &s.slug == slug))
                    .count();
            }
            ServiceQuarters {
                name: name.clone(),
                slug: slug.clone(),
                incidents: *n,
                per_quarter,
            }
        })
        .collect();
    services.sort_by(|a, b| {
        b.incidents
            .cmp(&a.incidents)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let tags = count(entries, |e| {
        e.tags
            .iter()
            .map(|t| (t.name.as_str(), t.slug.as_str()))
            .collect()
    });
    Trends {
        quarters,
        severities,
        services,
        recurring_services: recurring(service_counts),
        recurring_tags: recurring(tags),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p90_is_the_nearest_rank() {
        assert_eq!(p90(&[]), None);
        assert_eq!(p90(&[7]), Some(7));
        // n = 10: rank 9; n = 11: rank ⌈9.9⌉ = 10; n = 2: rank ⌈1.8⌉ = 2.
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(p90(&ten), Some(9));
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(p90(&eleven), Some(10));
        assert_eq!(p90(&[1, 100]), Some(100));
    }
}
