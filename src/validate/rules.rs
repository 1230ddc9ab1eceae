//! Rules over the whole timeline: order, phases, impact windows and the resolved state.

use std::collections::HashMap;
use std::ops::Range;

use crate::diagnostics::{Code, Diagnostic};
use crate::metrics;
use crate::model::{Incident, Phase, Status};
use crate::parse::SpannedStr;

use super::{Located, Validator};
use crate::config::Requirement;

/// Sorts events by time (stable), warning for each one written before an earlier moment.
pub(super) fn sort_events(v: &mut Validator, mut events: Vec<Located>) -> Vec<Located> {
    let mut latest: Option<&Located> = None;
    let mut warnings = Vec::new();
    for e in &events {
        match latest {
            Some(l) if e.event.at < l.event.at => warnings.push(
                Diagnostic::new(
                    Code::EventsOutOfOrder,
                    "this event is earlier than an event written before it",
                )
                .at(e.at_span.clone(), "earlier")
                .related(l.at_span.clone(), "later event written before")
                .hint("events are sorted by time for reports; move this event up to keep the log readable"),
            ),
            _ => latest = Some(e),
        }
    }
    for w in warnings {
        v.push(w);
    }
    events.sort_by_key(|e| (e.event.at, e.written));
    events
}

/// Each phase at most once, and phases in order.
pub(super) fn phases(v: &mut Validator, events: &[Located]) {
    let mut firsts: Vec<(Phase, &Located)> = Vec::new();
    let mut by_written: Vec<&Located> = events.iter().filter(|e| e.event.phase.is_some()).collect();
    by_written.sort_by_key(|e| e.written);
    for e in by_written {
        let Some(phase) = e.event.phase else { continue };
        let span = e.phase_span.clone().unwrap_or(e.at_span.clone());
        if let Some((_, first)) = firsts.iter().find(|(p, _)| *p == phase) {
            v.push(
                Diagnostic::new(
                    Code::PhaseRepeated,
                    format!("phase `{phase}` is marked twice"),
                )
                .at(span, "marked again here")
                .related(
                    first.phase_span.clone().unwrap_or(first.at_span.clone()),
                    "first marked here",
                )
                .hint("each phase happens once; remove `phase:` from one of the events"),
            );
            continue;
        }
        firsts.push((phase, e));
    }
    firsts.sort_by_key(|(p, _)| *p);
    for pair in firsts.windows(2) {
        let [(early_phase, early), (late_phase, late)] = pair else {
            continue;
        };
        if late.event.at < early.event.at {
            let span = late.phase_span.clone().unwrap_or(late.at_span.clone());
            v.push(
                Diagnostic::new(
                    Code::PhaseOrder,
                    format!("phase `{late_phase}` is before phase `{early_phase}`"),
                )
                .at(span, format!("`{late_phase}` here"))
                .related(
                    early.phase_span.clone().unwrap_or(early.at_span.clone()),
                    format!("`{early_phase}` is later"),
                )
                .hint("phases go started, detected, acknowledged, identified, mitigated, resolved; fix a time or a phase"),
            );
        }
    }
}

/// Rules that need the whole incident: the resolved state, open windows and the lints.
pub(super) fn incident_rules(
    v: &mut Validator,
    incident: &Incident,
    events: &[Located],
    status: Option<&SpannedStr>,
    title: &SpannedStr,
    summary: Option<&SpannedStr>,
) {
    let has_resolved_phase = incident.phase_at(Phase::Resolved).is_some();
    let status_span = status.map(|s| v.span(s)).unwrap_or_else(|| v.span(title));
    let resolving = events
        .iter()
        .find(|e| e.event.phase == Some(Phase::Resolved))
        .and_then(|e| e.phase_span.clone());
    if incident.status == Status::Resolved && !has_resolved_phase {
        v.push(
            Diagnostic::new(
                Code::ResolvedWithoutPhase,
                "the incident is `resolved` but no event has `phase: resolved`",
            )
            .at(status_span.clone(), "resolved")
            .hint("mark the event that ended the incident with `phase: resolved`"),
        );
    }
    if has_resolved_phase && incident.status != Status::Resolved {
        let d = match (status, resolving.clone()) {
            (Some(_), _) | (None, None) => Diagnostic::new(
                Code::StatusMismatch,
                format!(
                    "an event has `phase: resolved` but the status is `{}`",
                    incident.status
                ),
            )
            .at(status_span.clone(), "not resolved")
            .hint("set `status: resolved`"),
            // No `status:` written: point at the event, not at the title.
            (None, Some(span)) => Diagnostic::new(
                Code::StatusMismatch,
                format!(
                    "an event has `phase: resolved` but the status is `{}` (the default)",
                    incident.status
                ),
            )
            .at(span, "resolved here")
            .hint("add `status: resolved` at the top level"),
        };
        v.push(d);
    }
    if incident.is_resolved() {
        open_windows(v, incident, events);
        // What says it is resolved: the status when written so, else the resolving event.
        let resolved_span = match (status, incident.status) {
            (Some(_), Status::Resolved) => status_span,
            _ => resolving.unwrap_or(status_span),
        };
        resolved_lints(v, incident, resolved_span, summary);
    }
}

/// A service named only by internal events, and not marked `internal: true`, would show in
/// public outputs with impact windows whose events are all hidden (W008).
pub(super) fn internal_only_services(
    v: &mut Validator,
    incident: &Incident,
    events: &[Located],
    declared: &[Range<usize>],
) {
    // One pass over the timeline: per service, the first internal event naming it (and
    // where), or `None` once a public event names it.
    let mut named: HashMap<&str, Option<Range<usize>>> = HashMap::new();
    for e in events {
        for ((name, _), span) in e.event.status.iter().zip(&e.status_spans) {
            let entry = named.entry(name.as_str());
            if e.event.internal {
                entry.or_insert_with(|| Some(span.clone()));
            } else {
                *entry.or_default() = None;
            }
        }
    }
    for (service, at) in incident.services.iter().zip(declared) {
        let Some(Some(span)) = named.get(service.name.as_str()) else {
            continue;
        };
        if service.internal {
            continue;
        }
        v.push(
            Diagnostic::new(
                Code::InternalOnlyService,
                format!("service `{}` is named only by internal events", service.name),
            )
            .at(at.clone(), "not marked internal")
            .related(span.clone(), "named by this internal event")
            .hint(format!(
                "mark it `internal: true` under `services:` (`- name: {}` then `internal: true`) to keep it out of public outputs, or name it in a public event",
                service.name
            )),
        );
    }
}

fn open_windows(v: &mut Validator, incident: &Incident, events: &[Located]) {
    for (service, windows) in incident.services.iter().zip(metrics::all_windows(incident)) {
        for window in windows {
            if !window.is_ongoing() {
                continue;
            }
            let opener = &events[window.opened_by];
            // Finding the entry costs a scan of the event's status: only for a kept diagnostic.
            let entry = match v.keeps(Code::OpenImpactWindow) {
                true => opener
                    .event
                    .status
                    .iter()
                    .position(|(n, _)| *n == service.name),
                false => None,
            };
            let span = entry
                .and_then(|i| opener.status_spans.get(i).cloned())
                .unwrap_or(opener.at_span.clone());
            v.push(
                Diagnostic::new(
                    Code::OpenImpactWindow,
                    format!(
                        "`{}` is still {} in a resolved incident",
                        service.name,
                        window
                            .segments
                            .last()
                            .map_or(window.worst, |s| s.status)
                            .label()
                    ),
                )
                .at(span, "impact starts here and never ends")
                .hint(format!(
                    "add `{}: operational` to the event where it recovered",
                    service.name
                )),
            );
        }
    }
}

fn resolved_lints(
    v: &mut Validator,
    incident: &Incident,
    status_span: Range<usize>,
    summary: Option<&SpannedStr>,
) {
    let missing: Vec<&str> = [Phase::Started, Phase::Detected]
        .into_iter()
        .filter(|p| incident.phase_at(*p).is_none())
        .map(Phase::as_str)
        .collect();
    if !missing.is_empty() {
        v.push(
            Diagnostic::new(
                Code::MissingKeyPhase,
                format!(
                    "a resolved incident without a `{}` phase",
                    missing.join("` or `")
                ),
            )
            .at(status_span.clone(), "resolved")
            .hint(format!(
                "mark those events with `phase:` so {} can be computed",
                missing_metrics(incident)
            )),
        );
    }
    if incident
        .summary
        .as_deref()
        .is_none_or(|s| s.trim().is_empty())
    {
        // A `summary:` written empty is the thing to fix; a missing one is missed where the
        // incident says it is resolved.
        let (span, label) = match summary {
            Some(written) => (v.span(written), "empty".to_owned()),
            None => (status_span, "resolved, but no `summary:`".to_owned()),
        };
        v.push(
            Diagnostic::new(Code::EmptySummary, "a resolved incident without a summary")
                .at(span, label)
                .hint(
                    "add `summary:`: a few sentences on what happened, for readers of the report",
                ),
        );
    }
}

/// The built-in metrics a missing `started` or `detected` leaves out, for W003's hint: without
/// `started`, every one whose phase is marked (and time to detect); without `detected`, time
/// to detect. "time to detect and time to resolve".
fn missing_metrics(incident: &Incident) -> String {
    let started = incident.phase_at(Phase::Started).is_some();
    let labels: Vec<String> = metrics::phase_metrics(incident)
        .all()
        .into_iter()
        .filter(|m| m.value.is_none())
        .filter(|m| {
            m.phase == Phase::Detected || (!started && incident.phase_at(m.phase).is_some())
        })
        .map(|m| m.label.to_lowercase())
        .collect();
    match labels.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => "the metrics".to_owned(),
    }
}

/// What the config's policy for the incident's severity requires and the log lacks, each a
/// warning (`check --strict` fails on it) at the severity, naming the policy's line.
pub(super) fn policy(
    v: &mut Validator,
    incident: &Incident,
    severity_span: Range<usize>,
    action_titles: &[Range<usize>],
) {
    let config = v.config;
    let Some(policy) = config
        .policy
        .iter()
        .find(|p| p.severity == incident.severity.as_str())
    else {
        return;
    };
    let file = config
        .path
        .as_ref()
        .map_or_else(|| "postevent.toml".to_owned(), |p| p.display().to_string());
    let severity = incident.severity.as_str();
    for required in &policy.require {
        let (met, what, hint) = match &required.what {
            Requirement::Field(field) => (
                has_field(incident, field),
                format!("`{field}`"),
                format!("add `{field}:`"),
            ),
            Requirement::Phase(phase) => (
                incident.phase_at(*phase).is_some(),
                format!("the `{phase}` phase"),
                format!("mark the event with `phase: {phase}`"),
            ),
            Requirement::Milestone(name) => (
                incident.milestone_at(name).is_some(),
                format!("the `{name}` milestone"),
                format!("mark the event with `milestone: {name}`"),
            ),
            Requirement::Role(name) => (
                incident.roles.iter().any(|r| r.name == *name),
                format!("somebody in the `{name}` role"),
                format!("add `roles:` with `{name}: NAME`"),
            ),
        };
        if !met {
            v.push(
                Diagnostic::new(
                    Code::PolicyUnmet,
                    format!("a {severity} incident needs {what}"),
                )
                .at(severity_span.clone(), format!("{severity} here"))
                .hint(format!(
                    "{hint}; required by [policy.{severity}] in {file}, line {}",
                    required.line
                )),
            );
        }
    }
    for (item, title) in incident.action_items.iter().zip(action_titles) {
        for (field, line) in &policy.action_items_need {
            let has = match field.as_str() {
                "owner" => item.owner.as_deref().is_some_and(|o| !o.trim().is_empty()),
                "due" => item.due.is_some(),
                "link" => item.link.as_deref().is_some_and(|l| !l.trim().is_empty()),
                "id" => item.id.is_some(),
                _ => true,
            };
            if !has {
                v.push(
                    Diagnostic::new(
                        Code::PolicyUnmet,
                        format!("an action item of a {severity} incident needs `{field}`"),
                    )
                    .at(title.clone(), format!("no `{field}`"))
                    .hint(format!(
                        "add `{field}:` to this action item; required by [policy.{severity}] in {file}, line {line}"
                    )),
                );
            }
        }
    }
}

/// Whether the incident fills the top-level field `name` (one of
/// [`crate::config::REQUIRABLE`]).
fn has_field(incident: &Incident, name: &str) -> bool {
    let text = |t: &Option<String>| t.as_deref().is_some_and(|s| !s.trim().is_empty());
    match name {
        "summary" => text(&incident.summary),
        "impact" => text(&incident.impact),
        "root_cause" => text(&incident.root_cause),
        "trigger" => text(&incident.trigger),
        "detection" => text(&incident.detection),
        "resolution" => text(&incident.resolution),
        "contributing_factors" => !incident.contributing_factors.is_empty(),
        "lessons" => !incident.lessons.is_empty(),
        "action_items" => !incident.action_items.is_empty(),
        "links" => !incident.links.is_empty(),
        "regions" => !incident.regions.is_empty(),
        "tags" => !incident.tags.is_empty(),
        "authors" => !incident.authors.is_empty(),
        "roles" => !incident.roles.is_empty(),
        "responders" => !incident.responders.is_empty(),
        "services" => !incident.services.is_empty(),
        _ => true,
    }
}

/// The top-level severity is the worst the incident reached: an event that escalates past it
/// is an error, pointing at both.
pub(super) fn severity_history(
    v: &mut Validator,
    incident: &Incident,
    events: &[Located],
    top_span: Range<usize>,
) {
    let top = &incident.severity;
    for e in events {
        let (Some(level), Some(span)) = (&e.event.severity, &e.severity_span) else {
            continue;
        };
        if level.rank() < top.rank() {
            v.push(
                Diagnostic::new(
                    Code::SeverityAboveIncident,
                    format!("the incident reaches {level} here, worse than its severity {top}"),
                )
                .at(span.clone(), "worse than the incident's")
                .related(top_span.clone(), "the worst it reached, says this")
                .hint(format!(
                    "the top-level `severity:` is the worst the incident reached: set it to `{level}`"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Code;
    use crate::parse::Limits;
    use crate::source::Source;
    use crate::validate::check;

    /// W003's hint names the metrics that are missing, and only those (it named time to
    /// detect and time to resolve whatever was missing).
    #[test]
    fn w003_names_only_the_missing_metrics() {
        let hint = |phases: &[&str]| {
            let mut text =
                "title: T\nseverity: SEV3\nstatus: resolved\nsummary: s\ntimeline:\n".to_owned();
            for (i, phase) in phases.iter().enumerate() {
                text += &format!("  - at: 2026-01-01 10:{i}0\n    phase: {phase}\n    text: x\n");
            }
            let checked = check(&Source::from_text("t.yaml", text), Limits::default());
            checked
                .diagnostics
                .iter()
                .find(|d| d.code == Code::MissingKeyPhase)
                .and_then(|d| d.hint.clone())
                .unwrap_or_default()
        };
        assert_eq!(
            hint(&["started", "identified", "resolved"]),
            "mark those events with `phase:` so time to detect can be computed"
        );
        assert_eq!(
            hint(&["detected", "mitigated", "resolved"]),
            "mark those events with `phase:` so time to detect, time to mitigate and time to resolve can be computed"
        );
    }
}
