//! The figures over all incidents (incidents per month by severity, time to resolve per
//! month, impact per service) as data for `stats.json` and as inline SVG charts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, TimeDelta};
use serde::Serialize;

use super::Entry;
use super::trends::{self, Figure, Trends};
use crate::escape::xml as escape_xml;
use crate::metrics::human_duration;
use crate::model::Scale;

/// Everything the stats page shows. `stats.json` is this, serialised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub format_version: u32,
    pub incidents: usize,
    /// `SEV1` -> count, every severity present.
    pub by_severity: BTreeMap<String, usize>,
    /// Every month from the first incident's to the last one's (UTC), empty months included.
    pub months: Vec<Month>,
    /// Services by total impact, largest first.
    pub services: Vec<ServiceTotal>,
    /// Every metric over the incidents that have it: the built-in five, then the config's.
    pub metrics: Vec<MetricTotal>,
    /// Per quarter and per severity, recurring services and tags, action-item closure.
    pub trends: Trends,
    /// The severity scale, worst first (the config's; SEV1 to SEV5 by default), with the
    /// colour class of each level.
    #[serde(skip)]
    pub scale: Vec<(String, &'static str)>,
    /// Every measure (`measures:` on events) over the incidents that have it, by key.
    pub measures: Vec<MeasureTotal>,
}

/// One measure over every incident that has it: its peaks summed (a count such as
/// `requests_failed` adds up over incidents) and the largest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureTotal {
    pub key: String,
    pub incidents: usize,
    #[serde(serialize_with = "number")]
    pub sum_of_peaks: f64,
    #[serde(serialize_with = "number")]
    pub max_peak: f64,
}

/// A whole number as an integer (`40`, not `40.0`).
fn number<S: serde::Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    crate::render::view::PointView::number(*n).serialize(s)
}

/// The figures of every measure of `entries`, by key.
fn measure_totals(entries: &[Entry]) -> Vec<MeasureTotal> {
    let mut by_key: BTreeMap<&str, MeasureTotal> = BTreeMap::new();
    for m in entries.iter().flat_map(|e| &e.measures) {
        let t = by_key.entry(&m.key).or_insert_with(|| MeasureTotal {
            key: m.key.clone(),
            incidents: 0,
            sum_of_peaks: 0.0,
            max_peak: m.peak,
        });
        t.incidents += 1;
        t.sum_of_peaks += m.peak;
        t.max_peak = t.max_peak.max(m.peak);
    }
    by_key.into_values().collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Month {
    /// `2025-10`
    pub month: String,
    pub incidents: usize,
    pub by_severity: BTreeMap<String, usize>,
    /// Resolved incidents that started this month.
    pub resolved: usize,
    /// Median and longest start-to-resolution of those, in seconds.
    pub median_resolve_s: Option<i64>,
    pub worst_resolve_s: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceTotal {
    pub name: String,
    pub slug: String,
    /// Incidents in which it was impaired.
    pub incidents: usize,
    pub impact_s: i64,
    /// `3d 4h`
    pub impact: String,
}

/// One metric over every incident that has a value for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricTotal {
    /// `time_to_resolve`, or a custom metric's name.
    pub key: String,
    pub label: String,
    /// Incidents with a value.
    pub incidents: usize,
    pub median_s: Option<i64>,
    pub worst_s: Option<i64>,
}

/// The figures of every metric of `entries`, in the order they first appear.
fn metric_totals(entries: &[Entry]) -> Vec<MetricTotal> {
    let mut order: Vec<(String, String)> = Vec::new();
    let mut values: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for e in entries {
        for m in &e.metrics {
            if !values.contains_key(&m.key) {
                order.push((m.key.clone(), m.label.clone()));
                values.insert(m.key.clone(), Vec::new());
            }
            if let Some(s) = m.seconds {
                values.entry(m.key.clone()).or_default().push(s);
            }
        }
    }
    order
        .into_iter()
        .map(|(key, label)| {
            let mut v = values.remove(&key).unwrap_or_default();
            v.sort_unstable();
            MetricTotal {
                incidents: v.len(),
                median_s: median(&v),
                worst_s: v.last().copied(),
                key,
                label,
            }
        })
        .collect()
}

/// The figures of `entries`, on the severity scale `scale`.
pub fn compute(entries: &[Entry], scale: &Scale) -> Stats {
    let severities = || -> BTreeMap<String, usize> {
        scale.levels.iter().map(|l| (l.name.clone(), 0)).collect()
    };
    let mut by_severity = severities();
    let mut months: BTreeMap<String, (Month, Vec<i64>)> = BTreeMap::new();
    for m in month_range(entries) {
        let month = Month {
            month: m.clone(),
            incidents: 0,
            by_severity: severities(),
            resolved: 0,
            median_resolve_s: None,
            worst_resolve_s: None,
        };
        months.insert(m, (month, Vec::new()));
    }
    let mut services: BTreeMap<String, ServiceTotal> = BTreeMap::new();
    for e in entries {
        *by_severity.entry(e.severity.clone()).or_default() += 1;
        if let Some((m, resolve)) = e.month().and_then(|k| months.get_mut(&k)) {
            m.incidents += 1;
            *m.by_severity.entry(e.severity.clone()).or_default() += 1;
            if e.resolved {
                resolve.push(e.duration_s);
            }
        }
        for s in e.services.iter().filter(|s| s.impacted) {
            let t = services
                .entry(s.slug.clone())
                .or_insert_with(|| ServiceTotal {
                    name: s.name.clone(),
                    slug: s.slug.clone(),
                    incidents: 0,
                    impact_s: 0,
                    impact: String::new(),
                });
            t.name = t.name.clone().min(s.name.clone());
            t.incidents += 1;
            t.impact_s += s.impact_s;
        }
    }
    let months = months
        .into_values()
        .map(|(mut m, mut resolve)| {
            resolve.sort_unstable();
            m.resolved = resolve.len();
            m.median_resolve_s = median(&resolve);
            m.worst_resolve_s = resolve.last().copied();
            m
        })
        .collect();
    let mut services: Vec<ServiceTotal> = services
        .into_values()
        .map(|mut t| {
            t.impact = human_duration(TimeDelta::seconds(t.impact_s));
            t
        })
        .collect();
    services.sort_by(|a, b| {
        b.impact_s
            .cmp(&a.impact_s)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let scale: Vec<(String, &'static str)> = (0..scale.levels.len())
        .map(|rank| {
            let level = scale.at(rank);
            (level.as_str().to_owned(), scale.colour(&level))
        })
        .collect();
    Stats {
        format_version: 1,
        incidents: entries.len(),
        by_severity,
        months,
        services,
        metrics: metric_totals(entries),
        measures: measure_totals(entries),
        trends: trends::compute(entries, &scale),
        scale,
    }
}

/// The median of sorted values (the lower middle for an even count, so it is a real value).
pub fn median(sorted: &[i64]) -> Option<i64> {
    if sorted.is_empty() {
        None
    } else {
        Some(sorted[(sorted.len() - 1) / 2])
    }
}

/// `2025-08`, `2025-09`, ... from the earliest to the latest month of `entries`.
fn month_range(entries: &[Entry]) -> Vec<String> {
    let first_day = |e: &Entry| {
        let at = chrono::DateTime::from_timestamp(e.start_unix, 0)?;
        at.date_naive().with_day(1)
    };
    let mut all: Vec<NaiveDate> = entries.iter().filter_map(first_day).collect();
    all.sort_unstable();
    let (Some(&first), Some(&last)) = (all.first(), all.last()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut at = first;
    while at <= last {
        out.push(at.format("%Y-%m").to_string());
        let (y, m) = if at.month() == 12 {
            (at.year() + 1, 1)
        } else {
            (at.year(), at.month() + 1)
        };
        at = NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(last.succ_opt().unwrap_or(last));
    }
    out
}

/// `stats.json`: stable key order, two-space indent, trailing newline.
pub fn json(stats: &Stats) -> String {
    let mut s = serde_json::to_string_pretty(stats).unwrap_or_default();
    s.push('\n');
    s
}

/// One severity's count, for templates (which must not iterate maps: their order is not
/// guaranteed).
#[derive(Debug, Clone, Serialize)]
pub struct SeverityCount {
    pub name: String,
    /// `sev1`
    pub slug: String,
    /// Its colour class on the scale: `sev1` (worst) to `sev5`.
    pub class: &'static str,
    pub count: usize,
}

/// The counts of a by-severity map in the order of `scale`.
pub fn severity_counts(
    map: &BTreeMap<String, usize>,
    scale: &[(String, &'static str)],
) -> Vec<SeverityCount> {
    scale
        .iter()
        .map(|(s, class)| SeverityCount {
            name: s.clone(),
            slug: s.to_ascii_lowercase(),
            class,
            count: map.get(s).copied().unwrap_or(0),
        })
        .collect()
}

/// A month as a table row for templates.
#[derive(Debug, Clone, Serialize)]
pub struct MonthRow<'a> {
    pub month: &'a Month,
    pub counts: Vec<SeverityCount>,
}

pub fn month_rows(stats: &Stats) -> Vec<MonthRow<'_>> {
    stats
        .months
        .iter()
        .map(|m| MonthRow {
            month: m,
            counts: severity_counts(&m.by_severity, &stats.scale),
        })
        .collect()
}

/// The charts as inline SVG (every label escaped).
#[derive(Debug, Clone, Serialize)]
pub struct Charts {
    pub per_month: String,
    pub resolve: String,
    pub impact: String,
    /// Median response times per quarter.
    pub quarter_times: String,
    /// Median response times per severity.
    pub severity_times: String,
    /// Action-item closure rate per quarter.
    pub closure: String,
    /// Incidents per recurring service.
    pub recurring: String,
}

pub fn charts(stats: &Stats) -> Charts {
    let t = &stats.trends;
    let medians = |times: &[Figure]| times.iter().map(|f| f.median_s).collect::<Vec<_>>();
    Charts {
        per_month: per_month_chart(stats),
        resolve: resolve_chart(stats),
        impact: impact_chart(stats),
        quarter_times: grouped_bars(
            "Median response times per quarter",
            &t.quarters
                .iter()
                .map(|q| (q.quarter.clone(), medians(&q.times)))
                .collect::<Vec<_>>(),
        ),
        severity_times: grouped_bars(
            "Median response times per severity",
            &t.severities
                .iter()
                .map(|s| (s.severity.clone(), medians(&s.times)))
                .collect::<Vec<_>>(),
        ),
        closure: closure_chart(t),
        recurring: hbars(
            "Incidents per recurring service",
            &t.recurring_services
                .iter()
                .map(|r| Bar {
                    name: &r.name,
                    value: r.incidents as f64,
                    text: r.incidents.to_string(),
                    title: format!("{}: {}", r.name, r.incidents),
                })
                .collect::<Vec<_>>(),
        ),
    }
}

/// A series of the response-time charts: its CSS class and label, for the legend.
#[derive(Debug, Clone, Serialize)]
pub struct TimeKey {
    pub class: &'static str,
    pub label: String,
}

/// The legend of the response-time charts, in the order of [`trends::TIMES`].
pub fn time_keys(stats: &Stats) -> Vec<TimeKey> {
    let labels = stats.trends.quarters.first().map(|q| &q.times);
    TIME_CLASSES
        .iter()
        .zip(trends::TIMES)
        .map(|(class, key)| TimeKey {
            class,
            label: labels
                .and_then(|l| l.iter().find(|f| f.key == *key))
                .map_or_else(|| key.replace('_', " "), |f| f.label.clone()),
        })
        .collect()
}

/// The CSS class of each series of [`grouped_bars`], in the order of [`trends::TIMES`].
pub const TIME_CLASSES: [&str; 4] = ["ttd", "tti", "ttm", "ttr"];

/// Bars side by side: one group per label, one bar per time of [`trends::TIMES`], in hours.
fn grouped_bars(label: &str, groups: &[(String, Vec<Option<i64>>)]) -> String {
    let most = groups
        .iter()
        .flat_map(|(_, v)| v.iter().flatten())
        .copied()
        .max()
        .unwrap_or(0);
    if most == 0 {
        return empty_chart(label);
    }
    let hours = most as f64 / 3600.0;
    let step = nice_step(hours, 4.0);
    let max = (hours / step).ceil() * step;
    let band = (W - LEFT - RIGHT) / groups.len() as f64;
    let plot = H - TOP - BOTTOM;
    let bar = band * 0.8 / TIME_CLASSES.len() as f64;
    let mut out = String::new();
    svg_open(&mut out, label, H);
    y_axis(&mut out, max, step, |v| format!("{v}h"));
    for (i, (name, values)) in groups.iter().enumerate() {
        for (j, (value, class)) in values.iter().zip(TIME_CLASSES).enumerate() {
            let Some(s) = value else { continue };
            let h = (*s as f64 / 3600.0) / max * plot;
            let x = LEFT + band * i as f64 + band * 0.1 + bar * j as f64;
            let _ = write!(
                out,
                r#"<rect class="{class}" x="{x:.1}" y="{:.1}" width="{:.1}" height="{h:.1}"><title>{}: {} {}</title></rect>"#,
                TOP + plot - h,
                (bar * 0.9).max(0.5),
                escape_xml(name),
                trends::TIMES[j].replace('_', " "),
                human_duration(TimeDelta::seconds(*s))
            );
        }
    }
    band_labels(&mut out, groups.iter().map(|(n, _)| n.as_str()), band);
    out.push_str("</svg>");
    out
}

/// Labels under the bands, at most about 12 of them.
fn band_labels<'a>(out: &mut String, names: impl Iterator<Item = &'a str>, band: f64) {
    let names: Vec<&str> = names.collect();
    let every = names.len().div_ceil(12).max(1);
    for (i, name) in names.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let x = LEFT + band * (i as f64 + 0.5);
        let _ = write!(
            out,
            r#"<text class="tick" x="{x:.1}" y="{}" text-anchor="middle">{}</text>"#,
            H - BOTTOM + 18.0,
            escape_xml(name)
        );
    }
}

/// Bars of the closure rate per quarter, 0 to 100 %.
fn closure_chart(t: &Trends) -> String {
    let label = "Action items closed per quarter";
    if t.quarters.iter().all(|q| q.closure_rate.is_none()) {
        return empty_chart(label);
    }
    let band = (W - LEFT - RIGHT) / t.quarters.len() as f64;
    let plot = H - TOP - BOTTOM;
    let mut out = String::new();
    svg_open(&mut out, label, H);
    y_axis(&mut out, 100.0, 25.0, |v| format!("{v}%"));
    for (i, q) in t.quarters.iter().enumerate() {
        let Some(r) = q.closure_rate else { continue };
        let h = r * plot;
        let _ = write!(
            out,
            r#"<rect class="closed" x="{:.1}" y="{:.1}" width="{:.1}" height="{h:.1}"><title>{}: {} of {} closed</title></rect>"#,
            LEFT + band * i as f64 + band * 0.15,
            TOP + plot - h,
            (band * 0.7).max(0.5),
            escape_xml(&q.quarter),
            q.closed_action_items,
            q.action_items
        );
    }
    band_labels(
        &mut out,
        t.quarters.iter().map(|q| q.quarter.as_str()),
        band,
    );
    out.push_str("</svg>");
    out
}

const W: f64 = 960.0;
const H: f64 = 280.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 44.0;

/// A round step for about `n` ticks up to `max`.
fn nice_step(max: f64, n: f64) -> f64 {
    let raw = (max / n).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let step = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    step * mag
}

fn svg_open(out: &mut String, label: &str, height: f64) {
    let _ = write!(
        out,
        r#"<svg class="chart" role="img" viewBox="0 0 {W} {height}" width="100%" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape_xml(label)
    );
}

/// Horizontal grid lines and y labels from 0 to `max` in `step`s.
fn y_axis(out: &mut String, max: f64, step: f64, label: impl Fn(f64) -> String) {
    let plot = H - TOP - BOTTOM;
    let mut v = 0.0;
    while v <= max + step * 1e-6 {
        let y = TOP + plot - v / max * plot;
        let _ = write!(
            out,
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text class="tick" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            escape_xml(&label(v))
        );
        v += step;
    }
}

/// Month labels under the bands, at most about 12 of them.
fn x_labels(out: &mut String, months: &[Month], band: f64) {
    let every = months.len().div_ceil(12).max(1);
    for (i, m) in months.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let x = LEFT + band * (i as f64 + 0.5);
        let _ = write!(
            out,
            r#"<text class="tick" x="{x:.1}" y="{}" text-anchor="middle">{}</text>"#,
            H - BOTTOM + 18.0,
            escape_xml(&m.month)
        );
    }
}

fn empty_chart(label: &str) -> String {
    let mut out = String::new();
    svg_open(&mut out, label, 60.0);
    let _ = write!(
        out,
        r#"<text class="tick" x="{}" y="34" text-anchor="middle">No data yet</text></svg>"#,
        W / 2.0
    );
    out
}

/// Stacked bars: incidents per month, by severity.
fn per_month_chart(stats: &Stats) -> String {
    let label = "Incidents per month by severity";
    if stats.months.is_empty() {
        return empty_chart(label);
    }
    let most = stats
        .months
        .iter()
        .map(|m| m.incidents)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let step = nice_step(most, 4.0).max(1.0);
    let max = (most / step).ceil() * step;
    let band = (W - LEFT - RIGHT) / stats.months.len() as f64;
    let plot = H - TOP - BOTTOM;
    let mut out = String::new();
    svg_open(&mut out, label, H);
    y_axis(&mut out, max, step, |v| format!("{v}"));
    for (i, m) in stats.months.iter().enumerate() {
        let x = LEFT + band * i as f64 + band * 0.15;
        let mut y = TOP + plot;
        for (sev, class) in stats.scale.iter().rev() {
            let n = m.by_severity.get(sev).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let h = n as f64 / max * plot;
            y -= h;
            let _ = write!(
                out,
                r#"<rect class="{}" x="{x:.1}" y="{y:.1}" width="{:.1}" height="{h:.1}"><title>{}: {n} {sev}</title></rect>"#,
                class,
                (band * 0.7).max(0.5),
                escape_xml(&m.month)
            );
        }
    }
    x_labels(&mut out, &stats.months, band);
    out.push_str("</svg>");
    out
}

/// A line of the resolve chart: CSS class, label, and its value in a month.
type Series = (&'static str, &'static str, fn(&Month) -> Option<i64>);

/// Lines: median and longest time to resolve per month, in hours.
fn resolve_chart(stats: &Stats) -> String {
    let label = "Time to resolve per month: median and longest";
    let worst = stats
        .months
        .iter()
        .filter_map(|m| m.worst_resolve_s)
        .max()
        .unwrap_or(0);
    if worst == 0 {
        return empty_chart(label);
    }
    let hours = worst as f64 / 3600.0;
    let step = nice_step(hours, 4.0);
    let max = (hours / step).ceil() * step;
    let band = (W - LEFT - RIGHT) / stats.months.len() as f64;
    let plot = H - TOP - BOTTOM;
    let mut out = String::new();
    svg_open(&mut out, label, H);
    y_axis(&mut out, max, step, |v| format!("{v}h"));
    let series: [Series; 2] = [
        ("worst", "longest", |m| m.worst_resolve_s),
        ("median", "median", |m| m.median_resolve_s),
    ];
    for (class, name, value) in series {
        let mut path = String::new();
        let mut dots = String::new();
        let mut pen_down = false;
        for (i, m) in stats.months.iter().enumerate() {
            let Some(s) = value(m) else {
                pen_down = false;
                continue;
            };
            let x = LEFT + band * (i as f64 + 0.5);
            let y = TOP + plot - (s as f64 / 3600.0) / max * plot;
            let _ = write!(path, "{}{x:.1},{y:.1} ", if pen_down { "L" } else { "M" });
            pen_down = true;
            let _ = write!(
                dots,
                r#"<circle class="{class}" cx="{x:.1}" cy="{y:.1}" r="{}"><title>{}: {name} {}</title></circle>"#,
                if class == "worst" { 5 } else { 3 },
                escape_xml(&m.month),
                human_duration(TimeDelta::seconds(s))
            );
        }
        let _ = write!(
            out,
            r#"<path class="line {class}" d="{}"/>{dots}"#,
            path.trim_end()
        );
    }
    x_labels(&mut out, &stats.months, band);
    out.push_str("</svg>");
    out
}

/// Horizontal bars: total impact per service, the 20 largest.
fn impact_chart(stats: &Stats) -> String {
    let bars: Vec<Bar> = stats
        .services
        .iter()
        .map(|s| Bar {
            name: &s.name,
            value: s.impact_s as f64,
            text: s.impact.clone(),
            title: format!("{}: {} over {} incident(s)", s.name, s.impact, s.incidents),
        })
        .collect();
    hbars("Total impact per service", &bars)
}

/// One bar of [`hbars`]: its name, its length, the text beside it and its tooltip.
struct Bar<'a> {
    name: &'a str,
    value: f64,
    text: String,
    title: String,
}

/// Horizontal bars, the first 20 of `bars`, scaled to the longest of them.
fn hbars(label: &str, bars: &[Bar]) -> String {
    let shown = &bars[..bars.len().min(20)];
    let most = shown.iter().map(|b| b.value).fold(0.0, f64::max);
    if most <= 0.0 {
        return empty_chart(label);
    }
    let (row, name_w, value_w) = (26.0, 200.0, 90.0);
    let mut out = String::new();
    svg_open(&mut out, label, TOP * 2.0 + row * shown.len() as f64);
    for (i, b) in shown.iter().enumerate() {
        let y = TOP + row * i as f64;
        let w = ((b.value / most) * (W - name_w - value_w - 20.0)).max(1.0);
        let _ = write!(
            out,
            r#"<text class="name" x="{}" y="{:.1}" text-anchor="end">{}</text><rect class="impact" x="{name_w}" y="{:.1}" width="{w:.1}" height="{:.1}"><title>{}</title></rect><text class="tick" x="{:.1}" y="{:.1}">{}</text>"#,
            name_w - 8.0,
            y + row * 0.62,
            escape_xml(&super::entry::shorten(b.name, 28)),
            y + 4.0,
            row - 8.0,
            escape_xml(&b.title),
            name_w + w + 6.0,
            y + row * 0.62,
            escape_xml(&b.text)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_are_real_values() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[5]), Some(5));
        assert_eq!(median(&[1, 2, 3, 100]), Some(2));
        assert_eq!(median(&[1, 2, 3]), Some(2));
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(10.0, 4.0), 5.0);
        assert_eq!(nice_step(3.0, 4.0), 1.0);
        assert_eq!(nice_step(170.0, 4.0), 50.0);
    }
}
