//! Hover: what the log means at the cursor. On an event's `at`, the instant in UTC and in the
//! display zone and the time since `started`; on a service name, its impact windows; on a
//! phase, the metrics it bounds. Every number comes from `validate` and `metrics`, so it is
//! shown only once the log has no errors.

use chrono::{DateTime, TimeDelta, Utc};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::document::Document;
use super::outline::{Node, Part, Step};
use super::symbols;
use crate::escape::markdown_inline as escape_inline;
use crate::metrics::{self, PhaseMetrics, human_duration};
use crate::model::{Incident, Phase};
use crate::time;

/// The hover at `at`, if the cursor is on something the log gives meaning to.
pub fn hover(doc: &Document, at: Position) -> Option<Hover> {
    let offset = doc.offset(at);
    let spot = doc.outline().locate(doc.source.text(), offset)?;
    let (text, node) = if let Some((name, node)) = symbols::service_at(&spot) {
        (service(doc, name), node)
    } else {
        use Step::{Index, Key};
        match (spot.path.as_slice(), spot.part) {
            ([Key("timeline"), Index(_), Key("at")], Part::Value(node)) => (event(doc, node), node),
            ([Key("timeline"), Index(_), Key("phase")], Part::Value(node)) => {
                (phase(doc, Phase::parse(node.scalar()?)?), node)
            }
            _ => return None,
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(doc.range(&node.span)),
    })
}

/// The validated incident, or the reason there is none.
fn incident(doc: &Document) -> Result<&Incident, String> {
    let checked = doc.checked();
    match &checked.incident {
        Some(incident) => Ok(incident),
        None => {
            let errors = checked.errors();
            let plural = if errors == 1 { "" } else { "s" };
            Err(format!(
                "*Computed once the log has no errors ({errors} error{plural} now).*"
            ))
        }
    }
}

/// An event's instant, in UTC and in the display zone, and how long after `started`.
fn event(doc: &Document, at: &Node) -> String {
    let incident = match incident(doc) {
        Ok(incident) => incident,
        Err(why) => return why,
    };
    let checked = doc.checked();
    let Some(index) = checked
        .timeline_spans
        .iter()
        .position(|s| at.span.start <= s.start && s.start <= at.span.end)
    else {
        return String::new();
    };
    let event = &incident.timeline[index];
    let zone = incident.timezone;
    let mut lines = vec![format!("**{}**", time::show(event.at, chrono_tz::UTC))];
    if zone != chrono_tz::UTC {
        lines.push(format!("{} ({})", time::show(event.at, zone), zone.name()));
    }
    lines.push(match incident.phase_at(Phase::Started) {
        Some(_) if event.phase == Some(Phase::Started) => "The incident starts here.".to_owned(),
        Some(started) => since(event.at, started),
        None => "No event has `phase: started` to count from.".to_owned(),
    });
    lines.join("\n\n")
}

/// "2h 3m after `started`" or "5m before `started`".
fn since(at: DateTime<Utc>, started: DateTime<Utc>) -> String {
    let d = at - started;
    if d < TimeDelta::zero() {
        format!("{} before `started`", human_duration(-d))
    } else {
        format!("{} after `started`", human_duration(d))
    }
}

/// A service's description and impact windows, in the display zone.
fn service(doc: &Document, name: &str) -> String {
    let declared = symbols::services(doc.outline());
    let Some(service) = declared.iter().find(|s| s.name == name) else {
        return format!(
            "`{}` is not declared under `services:`.",
            escape_inline(name)
        );
    };
    let mut out = format!("**{}**", escape_inline(name));
    if let Some(description) = service.description {
        out.push_str(&format!(": {}", escape_inline(description)));
    }
    out.push_str("\n\n");
    let incident = match incident(doc) {
        Ok(incident) => incident,
        Err(why) => return out + &why,
    };
    let impacts = metrics::service_impacts(incident);
    let Some(impact) = impacts.iter().find(|i| i.name == name) else {
        return out;
    };
    if impact.windows.is_empty() {
        out.push_str("No impact: its status never leaves `operational`.");
        return out;
    }
    let zone = incident.timezone;
    out.push_str(&format!("Impact windows ({}):\n", zone.name()));
    let (_, last) = incident.span();
    for w in &impact.windows {
        let worst = w.worst.label();
        let line = match w.to {
            Some(to) => format!(
                "- {} to {}: {}, worst {worst}\n",
                time::show(w.from, zone),
                time::show(to, zone),
                human_duration(w.duration(last))
            ),
            None => format!(
                "- from {}, still open at the last event: {}, worst {worst}\n",
                time::show(w.from, zone),
                human_duration(w.duration(last))
            ),
        };
        out.push_str(&line);
    }
    out.push_str(&format!("\nIn all: {}", human_duration(impact.total)));
    out
}

/// The metrics a phase bounds, with their values when the log is valid.
fn phase(doc: &Document, phase: Phase) -> String {
    let incident = incident(doc);
    let values = match &incident {
        Ok(incident) => metrics::phase_metrics(incident),
        Err(_) => PhaseMetrics::default(),
    };
    let value = |v: Option<TimeDelta>| match (&incident, v) {
        (Ok(_), Some(d)) => format!(": {}", human_duration(d)),
        (Ok(_), None) => ": not known (a phase is missing)".to_owned(),
        (Err(_), _) => String::new(),
    };
    let mut out = format!("**{phase}**");
    if let Ok(incident) = &incident
        && let Some(at) = incident.phase_at(phase)
    {
        out.push_str(&format!(": {}", time::show(at, incident.timezone)));
    }
    out.push_str("\n\n");
    if phase == Phase::Started {
        out.push_str("Every metric counts from here:\n");
        for m in values.all() {
            out.push_str(&format!("- {}{}\n", m.label, value(m.value)));
        }
    } else if let Some(m) = values.all().into_iter().find(|m| m.phase == phase) {
        out.push_str(&format!(
            "Ends **{}** (from `started` to here){}\n",
            m.label,
            value(m.value)
        ));
    }
    if let Err(why) = incident {
        out.push('\n');
        out.push_str(&why);
    }
    out
}
