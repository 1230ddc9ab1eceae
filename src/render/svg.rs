//! The SVG timeline of an HTML report: a time axis in the display zone, one lane per service
//! with its impact segments coloured by status, phase markers and event ticks with tooltips.
//!
//! Every piece of text is XML-escaped here; colours come from CSS classes, so the page's
//! stylesheet gives light, dark and print schemes.

use std::fmt::Write;

use chrono::{DateTime, Duration as Delta, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use super::filters::{Style, instant};
use super::view::{EventView, MeasureView, PointView, ServiceView, View};
use crate::escape::xml as esc;
use crate::metrics::human_duration;
use crate::model::ServiceStatus;

const WIDTH: f64 = 1000.0;
/// The narrowest and widest label column.
const LABEL_MIN: f64 = 170.0;
const LABEL_MAX: f64 = 300.0;
/// The width of one character of a lane label (11px, bold), for sizing the column.
const CHAR: f64 = 6.6;
const RIGHT: f64 = 20.0;
const AXIS: f64 = 46.0;
const LANE: f64 = 26.0;
const BAR: f64 = 16.0;
/// The height of one row of phase labels.
const PHASE_ROW: f64 = 11.0;
/// The fewest pixels between two axis ticks.
const MIN_TICK_GAP: f64 = 70.0;
/// The height of a measure's chart, and of its plot inside it.
const MEASURE_HEIGHT: f64 = 64.0;
const MEASURE_PLOT: f64 = 40.0;
/// Tick steps in minutes, from a minute to a week.
const STEPS: &[i64] = &[
    1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080,
];

/// Maps instants to x positions: the incident and its impact windows fill the plot; context
/// events (before `started`, after `resolved`) are drawn at its edges instead.
struct Scale {
    t0: i64,
    t1: i64,
    /// Where the plot starts: the width of the label column.
    left: f64,
    /// Pixels kept at each end of the plot for context events (0 when there are none).
    before: f64,
    after: f64,
}

/// The width of the zone at an edge of the plot that holds context events.
const CONTEXT_ZONE: f64 = 96.0;

impl Scale {
    fn new(view: &View, left: f64) -> Scale {
        let (lo, hi) = incident_span(view);
        let span = (hi - lo).max(60);
        let pad = (span / 40).max(30);
        let zone = |before: bool| {
            let any = view.timeline.iter().any(|e| {
                let t = e.at.timestamp();
                if before { t < lo } else { t > hi }
            });
            if any { CONTEXT_ZONE } else { 0.0 }
        };
        Scale {
            t0: lo - pad,
            t1: lo + span + pad,
            left,
            before: zone(true),
            after: zone(false),
        }
    }

    /// The pixels of the time axis, context zones left out.
    fn plot(&self) -> f64 {
        WIDTH - self.left - RIGHT - self.before - self.after
    }

    fn x(&self, t: i64) -> f64 {
        self.left + self.before + (t - self.t0) as f64 / (self.t1 - self.t0) as f64 * self.plot()
    }

    /// `x`, with an instant outside the axis (a context event) in the zone at that edge.
    fn x_clamped(&self, t: i64) -> f64 {
        if t < self.t0 {
            self.left + 8.0
        } else if t > self.t1 {
            WIDTH - RIGHT - 8.0
        } else {
            self.x(t)
        }
    }

    /// The tick step: the smallest that keeps ticks `MIN_TICK_GAP` apart.
    fn step_minutes(&self) -> i64 {
        let plot = self.plot();
        let span_minutes = (self.t1 - self.t0) as f64 / 60.0;
        let most = (plot / MIN_TICK_GAP).floor().max(1.0);
        STEPS
            .iter()
            .copied()
            .find(|&s| span_minutes / s as f64 <= most)
            .unwrap_or(10080)
    }
}

/// The seconds the chart spans: from `started` (or the first event) to `resolved` (or the
/// last event that is not context), widened to every impact window. Events outside it are
/// context, drawn at its edges.
fn incident_span(view: &View) -> (i64, i64) {
    let mut lo = view.start.timestamp();
    let mut hi = view.end.map_or(lo, |t| t.timestamp());
    let times = view.timeline.iter().filter(|e| !e.context).map(|e| e.at);
    let windows = view.services.iter().flat_map(|s| &s.windows);
    let edges = windows.flat_map(|w| [Some(w.from), w.to]);
    for t in times.chain(edges.flatten()).map(|t| t.timestamp()) {
        lo = lo.min(t);
        hi = hi.max(t);
    }
    (lo, hi)
}

/// The services that get a lane: those ever impaired, or every one when the config asks
/// (`[report] chart_all_services = true`).
fn lanes(view: &View) -> Vec<&ServiceView> {
    view.services
        .iter()
        .filter(|s| view.chart_all_services || s.impacted)
        .collect()
}

/// The label column of the timeline and of every measure's chart (one width, so their time
/// axes line up): wide enough for the longest lane label or measure key, within bounds.
fn label_width(view: &View) -> f64 {
    let names: Vec<&str> = lanes(view).iter().map(|s| s.name.as_str()).collect();
    let labels = lane_labels(&names, max_label_chars())
        .into_iter()
        .chain(view.measures.iter().flat_map(measure_label));
    let longest = labels.map(|l| l.chars().count()).max().unwrap_or(0);
    (longest as f64 * CHAR + 16.0).clamp(LABEL_MIN, LABEL_MAX)
}

/// The most characters a label may have in the widest column.
fn max_label_chars() -> usize {
    ((LABEL_MAX - 16.0) / CHAR) as usize
}

/// Lane labels that fit in `max` characters and still tell the lanes apart: a long name
/// loses the prefix it shares with another lane (`…(eu-west-1)`), then its middle, never the
/// part that differs.
fn lane_labels(names: &[&str], max: usize) -> Vec<String> {
    names
        .iter()
        .map(|name| {
            let chars: Vec<char> = name.chars().collect();
            if chars.len() <= max {
                return (*name).to_owned();
            }
            // The longest prefix shared with another name, cut back to a word boundary.
            let shared = names
                .iter()
                .filter(|other| *other != name)
                .map(|other| {
                    chars
                        .iter()
                        .zip(other.chars())
                        .take_while(|(a, b)| **a == *b)
                        .count()
                })
                .max()
                .unwrap_or(0);
            // At a word boundary, so `Service Control (us-central1)` keeps its bracket.
            let cut = chars[..shared]
                .iter()
                .rposition(|c| matches!(c, ' ' | '.' | '/' | ':' | '_'))
                .map_or(0, |i| i + 1);
            let rest: String = chars[cut..].iter().collect();
            let tail = if cut > 0 { format!("…{rest}") } else { rest };
            let tail: Vec<char> = tail.chars().collect();
            if tail.len() <= max {
                return tail.into_iter().collect();
            }
            // Still too long: keep the start of what differs, and the end.
            let keep_end = (max - 1) / 2;
            let keep_start = max - 1 - keep_end;
            let head: String = tail[..keep_start].iter().collect();
            let end: String = tail[tail.len() - keep_end..].iter().collect();
            format!("{}…{end}", head.trim_end())
        })
        .collect()
}

/// Axis ticks at round local times (`step` minutes apart, counted from local midnight).
fn ticks(scale: &Scale, zone: Tz) -> Vec<DateTime<Tz>> {
    let step = scale.step_minutes();
    let Some(start) = DateTime::from_timestamp(scale.t0, 0) else {
        return Vec::new();
    };
    let local = start.with_timezone(&zone).naive_local();
    let midnight = local.date().and_hms_opt(0, 0, 0).unwrap_or(local);
    let minutes_in = i64::from(local.hour() * 60 + local.minute());
    let first = if step >= 1440 {
        midnight
    } else {
        midnight + Delta::minutes(minutes_in / step * step)
    };
    let mut out = Vec::new();
    let mut at: NaiveDateTime = first;
    while out.len() < 200 {
        if let Some(t) = zone.from_local_datetime(&at).earliest() {
            if t.timestamp() > scale.t1 {
                break;
            }
            if t.timestamp() >= scale.t0 {
                out.push(t);
            }
        }
        at += Delta::minutes(step);
    }
    out
}

/// The SVG picture of `view`'s timeline, as an inline `<svg>` element.
pub fn timeline(view: &View) -> String {
    let zone = view.timezone;
    let lanes = lanes(view);
    let names: Vec<&str> = lanes.iter().map(|s| s.name.as_str()).collect();
    let labels = lane_labels(&names, max_label_chars());
    let scale = Scale::new(view, label_width(view));
    let rows = phase_rows(view, &scale);
    let phase_height = LANE.max(8.0 + (rows.iter().max().map_or(0, |r| r + 1)) as f64 * PHASE_ROW);
    let lanes_top = AXIS + phase_height;
    let bottom = lanes_top + (lanes.len() + 1) as f64 * LANE;
    let height = bottom + 34.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="timeline-title"><title id="timeline-title">{}</title>"#,
        esc(&format!(
            "Timeline of {}: impact by service, times in {}",
            view.title,
            view.timezone.name()
        ))
    );
    axis(&mut s, view, &scale, zone, bottom);
    context_breaks(&mut s, &scale, bottom);
    phase_lane(&mut s, view, &scale, &rows, bottom);
    event_lane(&mut s, view, &scale, lanes_top);
    for (i, (service, label)) in lanes.iter().zip(&labels).enumerate() {
        let y = lanes_top + (i + 1) as f64 * LANE;
        service_lane(&mut s, service, label, &scale, zone, y);
    }
    legend(&mut s, view, &scale, height - 14.0);
    s.push_str("</svg>");
    s
}

fn axis(s: &mut String, view: &View, scale: &Scale, zone: Tz, bottom: f64) {
    let _ = write!(
        s,
        r#"<text class="axis-zone" x="4" y="30">{}</text>"#,
        esc(&if view.utc_only {
            // UTC once, not "UTC (UTC)".
            instant(view.start, zone, Style::Zone)
        } else {
            format!(
                "{} ({})",
                instant(view.start, zone, Style::Zone),
                zone.name()
            )
        })
    );
    let mut last_date = None;
    for t in ticks(scale, zone) {
        let x = scale.x(t.timestamp());
        let date = t.date_naive();
        let _ = write!(
            s,
            r#"<line class="grid" x1="{x:.1}" y1="{AXIS}" x2="{x:.1}" y2="{bottom}"/><text class="tick" x="{x:.1}" y="38">{}</text>"#,
            t.format("%H:%M")
        );
        if last_date != Some(date) {
            let _ = write!(
                s,
                r#"<text class="tick-date" x="{x:.1}" y="20">{}</text>"#,
                t.format("%a %-d %b")
            );
            last_date = Some(date);
        }
    }
}

fn lane_label(s: &mut String, scale: &Scale, y: f64, text: &str, class: &str) {
    let _ = write!(
        s,
        r#"<text class="{class}" x="{:.1}" y="{:.1}">{}</text>"#,
        scale.left - 8.0,
        y + LANE / 2.0 + 4.0,
        esc(text)
    );
}

/// Rows for the phase labels: each label goes in the first row where it does not overlap the
/// label before it.
fn phase_rows(view: &View, scale: &Scale) -> Vec<usize> {
    let mut ends: Vec<f64> = Vec::new();
    let mut rows = Vec::new();
    for p in &view.phases {
        let x = scale.x(p.at.timestamp());
        let width = 8.0 + p.phase.as_str().len() as f64 * 5.6;
        let row = ends.iter().position(|&end| end < x).unwrap_or(ends.len());
        if row == ends.len() {
            ends.push(0.0);
        }
        ends[row] = x + width;
        rows.push(row);
    }
    rows
}

fn phase_lane(s: &mut String, view: &View, scale: &Scale, rows: &[usize], bottom: f64) {
    let y = AXIS;
    lane_label(s, scale, y, "Phases", "lane-label lane-meta");
    for (p, row) in view.phases.iter().zip(rows) {
        let x = scale.x(p.at.timestamp());
        // A label that would run off the right edge goes to the left of its marker.
        let (label_x, anchor) = if x + 8.0 + p.phase.as_str().len() as f64 * 5.6 > WIDTH {
            (x - 6.0, " text-anchor=\"end\"")
        } else {
            (x + 6.0, "")
        };
        let tip = format!("{}: {}", p.phase, both(p.at, view.timezone));
        let _ = write!(
            s,
            r#"<g class="phase"><title>{}</title><line class="phase-line" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{bottom:.1}"/><path class="phase-mark" d="M{x:.1} {:.1} l4 4 l-4 4 l-4 -4 z"/><text class="phase-label" x="{label_x:.1}" y="{:.1}"{anchor}>{}</text></g>"#,
            esc(&tip),
            y + 4.0,
            y + 4.0 + *row as f64 * PHASE_ROW,
            y + 12.0 + *row as f64 * PHASE_ROW,
            esc(p.phase.as_str())
        );
    }
}

/// The most event tooltips one mark lists; the rest are counted.
const MAX_TIPS: usize = 10;

/// One mark per spot: events within half a pixel of each other (a long timeline on a narrow axis)
/// share one mark whose tooltip lists them, instead of marks hidden under each other whose
/// tooltips no pointer can reach.
fn event_lane(s: &mut String, view: &View, scale: &Scale, y: f64) {
    lane_label(s, scale, y, "Events", "lane-label lane-meta");
    let mid = y + LANE / 2.0;
    let (lo, hi) = incident_span(view);
    let inside = |e: &&EventView| (lo..=hi).contains(&e.at.timestamp());
    let mut events = view.timeline.iter().filter(inside).peekable();
    while let Some(first) = events.next() {
        let x = scale.x(first.at.timestamp());
        let mut group = vec![first];
        while let Some(next) = events.next_if(|e| (scale.x(e.at.timestamp()) - x).abs() < 0.5) {
            group.push(next);
        }
        let class = if group.iter().all(|e| e.internal) {
            "event internal"
        } else {
            "event"
        };
        let tips: Vec<String> = group
            .iter()
            .take(MAX_TIPS)
            .map(|e| event_tip(e, view.timezone))
            .collect();
        let title = match group.len() {
            1 => tips.concat(),
            n if n <= MAX_TIPS => format!("{n} events:\n{}", tips.join("\n")),
            n => format!(
                "{n} events:\n{}\n… and {} more",
                tips.join("\n"),
                n - MAX_TIPS
            ),
        };
        let _ = write!(
            s,
            r#"<g class="{class}"><title>{}</title><circle cx="{x:.1}" cy="{mid:.1}" r="4"/></g>"#,
            esc(&title),
        );
    }
    context_edges(s, view, scale, mid);
}

/// A tooltip for an event: both times, `[internal]`, and the start of its text.
fn event_tip(e: &EventView, zone: Tz) -> String {
    let mut tip = String::new();
    if e.approximate {
        tip.push('~');
    }
    tip.push_str(&both(e.at, zone));
    if e.internal {
        tip.push_str(" [internal]");
    }
    tip.push_str(": ");
    tip.push_str(&truncate(&e.text.plain, 240));
    tip
}

/// A zigzag where the time axis stops short of a context zone: time jumps there.
fn context_breaks(s: &mut String, scale: &Scale, bottom: f64) {
    let edges = [
        (scale.before > 0.0).then_some(scale.left + scale.before - 6.0),
        (scale.after > 0.0).then_some(WIDTH - RIGHT - scale.after + 6.0),
    ];
    for x in edges.into_iter().flatten() {
        let _ = write!(
            s,
            r#"<line class="context-break" x1="{x:.1}" y1="{AXIS}" x2="{x:.1}" y2="{bottom:.1}"/>"#
        );
    }
}

/// Context events (before `started`, after `resolved`) as one hollow marker at each edge of
/// the plot, labelled with how far outside they are, instead of stretching the axis.
fn context_edges(s: &mut String, view: &View, scale: &Scale, mid: f64) {
    let (lo, hi) = incident_span(view);
    let before: Vec<&EventView> = view
        .timeline
        .iter()
        .filter(|e| e.at.timestamp() < lo)
        .collect();
    let after: Vec<&EventView> = view
        .timeline
        .iter()
        .filter(|e| e.at.timestamp() > hi)
        .collect();
    let sides = [
        (before, scale.left + 8.0, "before", ""),
        (after, WIDTH - RIGHT - 8.0, "after", " text-anchor=\"end\""),
    ];
    for (events, x, word, anchor) in sides {
        let Some(farthest) = (match word {
            "before" => events.first(),
            _ => events.last(),
        }) else {
            continue;
        };
        let edge = if word == "before" { lo } else { hi };
        let distance = rough_duration((farthest.at.timestamp() - edge).abs());
        let label = match (events.len(), word) {
            (1, "before") => format!("{distance} before"),
            (1, _) => format!("{distance} after"),
            (n, "before") => format!("{n}, to {distance} before"),
            (n, _) => format!("{n}, to {distance} after"),
        };
        let tips: Vec<String> = events.iter().map(|e| event_tip(e, view.timezone)).collect();
        let text_x = if word == "before" { x + 8.0 } else { x - 8.0 };
        let internal = if events.iter().all(|e| e.internal) {
            " internal"
        } else {
            ""
        };
        let _ = write!(
            s,
            r#"<g class="event context{internal}"><title>{}</title><circle cx="{x:.1}" cy="{mid:.1}" r="4"/><text class="context-label" x="{text_x:.1}" y="{:.1}"{anchor}>{}</text></g>"#,
            esc(&format!(
                "Context, outside the incident:\n{}",
                tips.join("\n")
            )),
            mid + 4.0,
            esc(&label)
        );
    }
}

fn service_lane(
    s: &mut String,
    service: &ServiceView,
    label: &str,
    scale: &Scale,
    zone: Tz,
    y: f64,
) {
    let _ = write!(s, "<g><title>{}</title>", esc(&service.name));
    lane_label(s, scale, y, label, "lane-label");
    s.push_str("</g>");
    let mid = y + LANE / 2.0;
    let _ = write!(
        s,
        r#"<line class="lane-base" x1="{:.1}" y1="{mid:.1}" x2="{:.1}" y2="{mid:.1}"/>"#,
        scale.left,
        WIDTH - RIGHT
    );
    for w in &service.windows {
        let end = w.to.map_or(scale.t1, |t| t.timestamp());
        for seg in &w.segments {
            let x1 = scale.x_clamped(seg.from.timestamp());
            let x2 = scale
                .x_clamped(seg.to.map_or(end, |t| t.timestamp()))
                .max(x1 + 2.0);
            let until = seg
                .to
                .map_or("ongoing".to_owned(), |t| instant(t, zone, Style::Display));
            let _ = write!(
                s,
                r#"<rect class="seg {}" x="{x1:.1}" y="{:.1}" width="{:.1}" height="{BAR}" rx="2"><title>{}</title></rect>"#,
                seg.status,
                mid - BAR / 2.0,
                x2 - x1,
                esc(&format!(
                    "{}: {} from {} to {} ({})",
                    service.name,
                    seg.label,
                    instant(seg.from, zone, Style::Display),
                    until,
                    human_duration(seg.duration)
                ))
            );
        }
    }
}

fn legend(s: &mut String, view: &View, scale: &Scale, y: f64) {
    let mut seen: Vec<(ServiceStatus, &str)> = Vec::new();
    for seg in view
        .services
        .iter()
        .flat_map(|s| &s.windows)
        .flat_map(|w| &w.segments)
    {
        if !seen.iter().any(|(st, _)| *st == seg.status) {
            seen.push((seg.status, seg.label));
        }
    }
    seen.sort_by_key(|(st, _)| std::cmp::Reverse(st.badness()));
    let mut x = scale.left;
    for (status, label) in seen {
        let _ = write!(
            s,
            r#"<rect class="seg {status}" x="{x:.1}" y="{:.1}" width="14" height="10" rx="2"/><text class="legend" x="{:.1}" y="{y:.1}">{}</text>"#,
            y - 9.0,
            x + 18.0,
            esc(label)
        );
        x += 26.0 + label.len() as f64 * 7.0;
    }
}

/// The chart of one measure: a step line over the same time axis as the timeline (so the
/// two line up), its key and peak on the left.
pub fn measure_chart(view: &View, measure: &MeasureView) -> String {
    let scale = Scale::new(view, label_width(view));
    let (lo, hi) = value_range(measure);
    let top = 8.0;
    let y = |v: f64| top + MEASURE_PLOT - (v - lo) / (hi - lo) * MEASURE_PLOT;
    let mut path = String::new();
    let mut last_y = None;
    for p in &measure.series {
        let x = scale.x_clamped(p.at.timestamp());
        let py = y(p.value);
        match last_y {
            None => {
                let _ = write!(path, "M{x:.1} {py:.1}");
            }
            Some(_) => {
                let _ = write!(path, " H{x:.1} V{py:.1}");
            }
        }
        last_y = Some(py);
    }
    let _ = write!(path, " H{:.1}", WIDTH - RIGHT);
    let peak = number(measure.peak);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="timeline measure" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {MEASURE_HEIGHT}" role="img"><title>{}</title>"#,
        esc(&format!(
            "{}: peak {peak} at {}",
            measure.key,
            both(measure.peak_at, view.timezone)
        ))
    );
    let _ = write!(
        s,
        r#"<text class="tick measure-peak" x="{:.1}" y="{:.1}">peak {}</text>"#,
        scale.left - 8.0,
        top + 38.0,
        esc(&peak)
    );
    for (i, line) in measure_label(measure).iter().enumerate() {
        let _ = write!(
            s,
            r#"<text class="lane-label" x="{:.1}" y="{:.1}">{}</text>"#,
            scale.left - 8.0,
            top + 10.0 + i as f64 * 13.0,
            esc(line)
        );
    }
    let _ = write!(
        s,
        r#"<line class="grid" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/><path class="measure-line" d="{path}"/>"#,
        scale.left,
        y(lo),
        WIDTH - RIGHT,
        y(lo)
    );
    for p in &measure.series {
        let _ = write!(
            s,
            r#"<circle class="measure-point" cx="{:.1}" cy="{:.1}" r="2.5"><title>{}</title></circle>"#,
            scale.x_clamped(p.at.timestamp()),
            y(p.value),
            esc(&format!(
                "{}: {} from {}",
                measure.key,
                number(p.value),
                both(p.at, view.timezone)
            ))
        );
    }
    s.push_str("</svg>");
    s
}

/// The label of a measure's chart, on one line or, for a measure of a service, two: the
/// service, then `.name` (each shortened to fit, keeping its end).
fn measure_label(measure: &MeasureView) -> Vec<String> {
    let max = max_label_chars();
    let fit = |text: &str| lane_labels(&[text], max).remove(0);
    match &measure.service {
        Some(service) => vec![fit(service), fit(&format!(".{}", measure.name))],
        None => vec![fit(&measure.key)],
    }
}

/// The values a measure's chart spans: from 0 (or below, for a negative value) to its peak.
fn value_range(measure: &MeasureView) -> (f64, f64) {
    let lo = measure
        .series
        .iter()
        .map(|p| p.value)
        .fold(0.0_f64, f64::min);
    let hi = measure.peak.max(lo);
    if (hi - lo).abs() < f64::EPSILON {
        (lo, lo + 1.0)
    } else {
        (lo, hi)
    }
}

/// A measure as a line of block characters, one per slice of the chart's time axis (for
/// Markdown): `▁▁▇▇▅▅▁`; a space before its first value.
pub fn sparkline(view: &View, measure: &MeasureView) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    const SLICES: i64 = 24;
    let (lo, hi) = incident_span(view);
    let (min, max) = value_range(measure);
    (0..SLICES)
        .map(|i| {
            let t = lo + (hi - lo) * i / (SLICES - 1);
            let value = measure
                .series
                .iter()
                .take_while(|p| p.at.timestamp() <= t)
                .last()
                .map(|p| p.value);
            match value {
                None => ' ',
                Some(v) => {
                    let level = ((v - min) / (max - min) * 7.0).round() as usize;
                    BLOCKS[level.min(7)]
                }
            }
        })
        .collect()
}

/// A measured value for people: `40`, `62.5`, `1200000`.
pub fn number(n: f64) -> String {
    PointView::number(n).to_string()
}

/// A distance in time at a glance: `14d`, `2d 3h`, else as [`human_duration`] (`45h` would
/// be hard to read as two days).
fn rough_duration(seconds: i64) -> String {
    let (days, hours) = (seconds / 86_400, seconds % 86_400 / 3600);
    match (days, hours) {
        (0, _) => human_duration(chrono::TimeDelta::seconds(seconds)),
        (d, 0) | (d @ 7.., _) => format!("{d}d"),
        (d, h) => format!("{d}d {h}h"),
    }
}

/// `2025-10-19 23:48 PDT (2025-10-20 06:48 UTC)`, for tooltips.
fn both(at: DateTime<Utc>, zone: Tz) -> String {
    let utc = instant(at, Tz::UTC, Style::Display);
    format!("{} ({utc})", instant(at, zone, Style::Display))
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scale(minutes: i64) -> Scale {
        Scale {
            t0: 1_760_942_880,
            t1: 1_760_942_880 + minutes * 60,
            left: LABEL_MIN,
            before: 0.0,
            after: 0.0,
        }
    }

    /// Labels keep what tells lanes apart: a long shared prefix gives way first.
    #[test]
    fn lane_labels_keep_the_part_that_differs() {
        let names = [
            "Service Control (us-central1)",
            "Service Control (europe-west1)",
            "API",
            "A very long service name that has nothing in common with any other lane at all",
        ];
        let labels = lane_labels(&names, 20);
        assert_eq!(labels[0], "…(us-central1)");
        assert_eq!(labels[1], "…(europe-west1)");
        assert_eq!(labels[2], "API");
        assert_eq!(labels[3].chars().count(), 20);
        assert!(
            labels[3].starts_with("A very lon") && labels[3].ends_with("at all"),
            "{}",
            labels[3]
        );
        // Fitting names are kept whole.
        assert_eq!(lane_labels(&names, 100)[0], names[0]);
        // A prefix shared at length: the differing part stays, the end too.
        let long = [
            "Regional endpoint resolver for the DynamoDB control plane (primary cell, us-east-1a)",
            "Regional endpoint resolver for the DynamoDB control plane (secondary cell, us-east-1b)",
        ];
        let labels = lane_labels(&long, 30);
        assert!(
            labels[0].starts_with("…(primary") && labels[0].ends_with("us-east-1a)"),
            "{}",
            labels[0]
        );
        assert!(
            labels[1].starts_with("…(secondary") && labels[1].ends_with("us-east-1b)"),
            "{}",
            labels[1]
        );
    }

    fn view_of(log: &str, config: &crate::config::Config) -> View {
        let source = crate::source::Source::from_text("t.yaml", log);
        let incident = crate::validate::check_with(&source, Default::default(), config)
            .incident
            .expect("valid");
        let redacted =
            crate::redact::redact_with(&incident, crate::redact::Audience::Internal, config);
        super::super::view::build(&redacted, chrono_tz::UTC)
    }

    const LOG: &str = "title: T\nseverity: SEV3\nstatus: resolved\nservices: [API, Billing]\ntimeline:\n  - at: 2026-05-18 09:00\n    text: context\n  - at: 2026-06-01 10:00\n    phase: started\n    status: {API: major_outage}\n    measures: {API.errors: 10}\n    text: x\n  - at: 2026-06-01 11:00\n    phase: resolved\n    status: {API: operational}\n    measures: {API.errors: 0}\n    text: y\n";

    /// Regression (issue 16): an event 14 days early squeezed a one-hour incident into a
    /// sliver; a service never impaired had an empty lane.
    #[test]
    fn the_chart_spans_the_incident_and_lanes_only_impaired_services() {
        let view = view_of(LOG, &crate::config::Config::default());
        let scale = Scale::new(&view, LABEL_MIN);
        assert!(scale.t1 - scale.t0 < 2 * 3600, "{} s", scale.t1 - scale.t0);
        assert_eq!((scale.before, scale.after), (CONTEXT_ZONE, 0.0));
        let svg = timeline(&view);
        assert!(svg.contains(">14d before<"), "{svg}");
        assert!(!svg.contains(">Billing<"));
        let all = crate::config::Config {
            chart_all_services: true,
            ..Default::default()
        };
        assert!(timeline(&view_of(LOG, &all)).contains(">Billing<"));
        assert_eq!(rough_duration(14 * 86_400 + 3600), "14d");
        assert_eq!(rough_duration(86_400 + 7200), "1d 2h");
        assert_eq!(rough_duration(1380), "23m");
    }

    /// Events on one spot share one mark, its tooltip listing the first `MAX_TIPS` of them.
    #[test]
    fn events_on_one_spot_share_a_mark() {
        let mut log = String::from(
            "title: T\nseverity: SEV3\nstatus: resolved\nservices: [API]\ntimeline:\n  - at: 2026-06-01 10:00\n    phase: started\n    text: start\n",
        );
        for i in 0..12 {
            log.push_str(&format!("  - at: 2026-06-01 10:30\n    text: busy {i}\n"));
        }
        log.push_str("  - at: 2026-06-01 11:00\n    phase: resolved\n    text: end\n");
        let svg = timeline(&view_of(&log, &crate::config::Config::default()));
        assert_eq!(svg.matches("<g class=\"event\">").count(), 3, "{svg}");
        assert!(svg.contains("<title>12 events: "), "{svg}");
        assert!(svg.contains("busy 9") && !svg.contains("busy 10"), "{svg}");
        assert!(svg.contains("… and 2 more</title>"), "{svg}");
    }

    #[test]
    fn measures_draw_steps_and_sparklines() {
        let view = view_of(LOG, &crate::config::Config::default());
        let m = &view.measures[0];
        assert_eq!((m.key.as_str(), m.peak), ("API.errors", 10.0));
        let spark = sparkline(&view, m);
        assert_eq!(spark.chars().count(), 24);
        assert!(spark.starts_with('█') && spark.ends_with('▁'), "{spark}");
        let svg = measure_chart(&view, m);
        assert!(
            svg.contains("class=\"measure-line\" d=\"M") && svg.contains(" V"),
            "{svg}"
        );
        assert!(svg.contains(">peak 10<"), "{svg}");
    }

    #[test]
    fn tick_spacing_fits_the_span() {
        let cases = [
            (20, 2),
            (60, 10),
            (14 * 60 + 32, 120),
            (28 * 60, 180),
            (7 * 1440, 1440),
        ];
        for (minutes, step) in cases {
            assert_eq!(scale(minutes).step_minutes(), step, "{minutes} minutes");
        }
    }

    #[test]
    fn ticks_are_round_local_times_within_the_span() {
        let zone = chrono_tz::America::Los_Angeles;
        let s = scale(28 * 60);
        let ts = ticks(&s, zone);
        assert!(ts.len() >= 5 && ts.len() <= 12, "{}", ts.len());
        for t in &ts {
            assert_eq!(t.minute(), 0);
            assert_eq!(t.hour() % 3, 0);
            assert!(t.timestamp() >= s.t0 && t.timestamp() <= s.t1);
        }
    }
}
