//! Rules for regions and dependencies: an event's `region:` is one of the incident's, a
//! service depends only on declared services and never on itself through others; and the
//! lints read from the impact: a service hit before any of its dependencies (a likely
//! missing edge), a service declared and never used, a service impaired before `started`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;

use chrono::{DateTime, Utc};

use serde_saphyr::Spanned;

use super::{Located, Validator};
use crate::diagnostics::{Code, Diagnostic, one_of};
use crate::metrics::{self, ServiceImpact};
use crate::model::{Incident, Phase};
use crate::parse::{RawEvent, RawService, SpannedStr};

/// Every event's `region:` is one of the incident's `regions:` (E026).
pub(super) fn regions(v: &mut Validator, declared: &[SpannedStr], events: &[RawEvent]) {
    let names: Vec<&str> = declared.iter().map(|r| r.value.trim()).collect();
    for region in events.iter().filter_map(|e| e.region.as_ref()) {
        let name = region.value.trim();
        if names.contains(&name) {
            continue;
        }
        let span = v.span(region);
        let close = v.suggest(name, &names);
        let hint = match (close.is_empty(), names.is_empty()) {
            (false, _) => format!("did you mean {}?", one_of(&close)),
            (true, true) => {
                format!("list the incident's regions at the top of the log: `regions: [{name}]`")
            }
            (true, false) => format!(
                "add it to `regions:` at the top of the log (now {})",
                one_of(&names)
            ),
        };
        v.push(
            Diagnostic::new(Code::UnknownRegion, format!("unknown region `{name}`"))
                .at(span.clone(), "not one of the incident's `regions:`")
                .hint(hint)
                .suggest(span, close),
        );
    }
}

/// Every `depends_on:` names a declared service (E027), and no service depends on itself,
/// directly or through others (E028, once per cycle).
pub(super) fn dependencies(v: &mut Validator, services: &[Spanned<RawService>]) {
    let names: Vec<&str> = services.iter().map(|s| s.value.name.trim()).collect();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    // Each service's dependencies, by index, with the span of each entry.
    let mut edges: Vec<Vec<(usize, Range<usize>)>> = vec![Vec::new(); names.len()];
    for (i, service) in services.iter().enumerate() {
        for dependency in &service.value.depends_on {
            let name = dependency.value.trim();
            let span = v.span(dependency);
            match index.get(name) {
                Some(&j) => edges[i].push((j, span)),
                None => {
                    let close = v.suggest(name, &names);
                    let hint = match close.is_empty() {
                        false => format!("did you mean {}?", one_of(&close)),
                        true => "declare it under `services:`, or remove it from `depends_on:`"
                            .to_owned(),
                    };
                    v.push(
                        Diagnostic::new(
                            Code::UnknownDependency,
                            format!("`{}` depends on `{name}`, which is not declared", names[i]),
                        )
                        .at(span.clone(), "not declared under `services:`")
                        .hint(hint)
                        .suggest(span, close),
                    );
                }
            }
        }
    }
    for cycle in cycles(&edges) {
        let path: Vec<&str> = cycle
            .iter()
            .chain(cycle.first())
            .map(|&i| names[i])
            .collect();
        // Point at the entry that closes the cycle: the last service's edge to the first.
        let (last, first) = (cycle[cycle.len() - 1], cycle[0]);
        let Some((_, span)) = edges[last].iter().find(|(j, _)| *j == first) else {
            continue;
        };
        v.push(
            Diagnostic::new(
                Code::DependencyCycle,
                format!("dependency cycle: {}", path.join(" → ")),
            )
            .at(span.clone(), "closes the cycle")
            .hint("a service cannot depend on itself, even through others: remove one of these `depends_on:` entries"),
        );
    }
}

/// Each cycle of the dependency graph once, as the services along it. Services that depend
/// on nothing in a cycle are peeled off first (linear in the graph); every service left then
/// has a dependency left, so following any leads into a cycle.
fn cycles(edges: &[Vec<(usize, Range<usize>)>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let mut remaining: Vec<usize> = edges.iter().map(Vec::len).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, deps) in edges.iter().enumerate() {
        for (j, _) in deps {
            dependents[*j].push(i);
        }
    }
    let mut queue: VecDeque<usize> = (0..n).filter(|&i| remaining[i] == 0).collect();
    let mut gone = vec![false; n];
    while let Some(i) = queue.pop_front() {
        gone[i] = true;
        for &d in &dependents[i] {
            remaining[d] -= 1;
            if remaining[d] == 0 {
                queue.push_back(d);
            }
        }
    }
    let mut seen = vec![false; n];
    let mut out = Vec::new();
    for start in 0..n {
        if gone[start] || seen[start] {
            continue;
        }
        let mut path = Vec::new();
        let mut on_path = HashMap::new();
        let mut at = start;
        while !seen[at] {
            seen[at] = true;
            on_path.insert(at, path.len());
            path.push(at);
            at = match edges[at].iter().find(|(j, _)| !gone[*j]) {
                Some((j, _)) => *j,
                None => break,
            };
        }
        if let Some(&from) = on_path.get(&at) {
            out.push(path[from..].to_vec());
        }
    }
    out
}

/// The lints over the impact: W010, W011 and W012. `declared` holds the span of each
/// service of `incident.services`.
pub(super) fn lints(
    v: &mut Validator,
    incident: &Incident,
    events: &[Located],
    declared: &[Range<usize>],
) {
    let impacts = metrics::service_impacts(incident);
    unused_services(v, incident, declared);
    impaired_before_start(v, incident, events, &impacts);
    impaired_before_dependencies(v, incident, events, &impacts);
}

/// W011: a declared service no event names and no service depends on.
fn unused_services(v: &mut Validator, incident: &Incident, declared: &[Range<usize>]) {
    let named: HashSet<&str> = incident
        .timeline
        .iter()
        .flat_map(|e| e.status.iter().map(|(n, _)| n.as_str()))
        .chain(
            incident
                .services
                .iter()
                .flat_map(|s| s.depends_on.iter().map(String::as_str)),
        )
        .collect();
    for (service, span) in incident.services.iter().zip(declared) {
        if named.contains(service.name.as_str()) {
            continue;
        }
        v.push(
            Diagnostic::new(
                Code::UnusedService,
                format!("service `{}` is declared but never used", service.name),
            )
            .at(span.clone(), "no event names it")
            .hint(format!(
                "give it a status in the event where it was hit (`status: {{{}: partial_outage}}`), or remove it from `services:`",
                service.name
            )),
        );
    }
}

/// W012: a service impaired before the incident `started`, unless a milestone before
/// `started` shows the log times its impact apart from the incident.
fn impaired_before_start(
    v: &mut Validator,
    incident: &Incident,
    events: &[Located],
    impacts: &[ServiceImpact],
) {
    let Some(started) = incident.phase_at(Phase::Started) else {
        return;
    };
    // A milestone marked before `started` (Acme's `impact_started`) says the log times the
    // impact apart from the incident on purpose.
    if incident
        .timeline
        .iter()
        .any(|e| e.milestone.is_some() && e.at < started)
    {
        return;
    }
    let started_span = events
        .iter()
        .find(|e| e.event.phase == Some(Phase::Started))
        .and_then(|e| e.phase_span.clone());
    for impact in impacts {
        let Some(window) = impact.windows.first().filter(|w| w.from < started) else {
            continue;
        };
        let mut d = Diagnostic::new(
            Code::ImpairedBeforeStart,
            format!("`{}` is impaired before the incident started", impact.name),
        )
        .at(
            status_span(&events[window.opened_by], &impact.name),
            "impaired here",
        )
        .hint(format!(
            "if the impact began here, move `phase: started` to this event, so the reports count from when `{}` was hit; else check the times",
            impact.name
        ));
        if let Some(span) = &started_span {
            d = d.related(span.clone(), "the incident starts later, here");
        }
        v.push(d);
    }
}

/// W010: a service impaired before any of its impaired dependencies, which the log does not
/// name in `root_cause` (it failed on its own, or an edge is missing).
fn impaired_before_dependencies(
    v: &mut Validator,
    incident: &Incident,
    events: &[Located],
    impacts: &[ServiceImpact],
) {
    let cascade = metrics::cascade::cascade(&incident.services, impacts);
    let root_cause = incident
        .root_cause
        .as_deref()
        .unwrap_or_default()
        .to_lowercase();
    // Each impaired service's first window: when it opened and which event opened it.
    let first: HashMap<&str, (DateTime<Utc>, usize)> = impacts
        .iter()
        .filter_map(|i| {
            let w = i.windows.first()?;
            Some((i.name.as_str(), (w.from, w.opened_by)))
        })
        .collect();
    let origins: HashSet<&str> = cascade.origins.iter().map(String::as_str).collect();
    for service in incident
        .services
        .iter()
        .filter(|s| origins.contains(s.name.as_str()))
    {
        let origin = &service.name;
        if root_cause.contains(&origin.to_lowercase()) {
            continue;
        }
        // Its dependency hit first (every impaired one was hit after it).
        let Some((dependency, &(_, dependency_event))) = service
            .depends_on
            .iter()
            .filter_map(|d| Some((d, first.get(d.as_str())?)))
            .min_by_key(|(_, (at, _))| *at)
        else {
            continue;
        };
        let Some(&(_, own)) = first.get(origin.as_str()) else {
            continue;
        };
        let edge = (dependency, dependency_event);
        v.push(
            Diagnostic::new(
                Code::ImpairedBeforeDependencies,
                format!("`{origin}` is impaired before any of its dependencies"),
            )
            .at(status_span(&events[own], origin), "impaired here")
            .related(
                status_span(&events[edge.1], edge.0),
                format!("`{}` only later, here", edge.0),
            )
            .hint(format!(
                "if `{origin}` failed on its own, say so in `root_cause:`; if its impact came through a service it does not list, add that one to its `depends_on:`; else check the times"
            )),
        );
    }
}

/// The span of `service`'s entry in the event's `status:`, else of its `at`.
fn status_span(event: &Located, service: &str) -> Range<usize> {
    event
        .event
        .status
        .iter()
        .position(|(n, _)| n == service)
        .and_then(|i| event.status_spans.get(i).cloned())
        .unwrap_or(event.at_span.clone())
}

/// For each service of the incident, the regions where its last window is still open (empty
/// without regions, or when it recovered everywhere): what an open window's hint names.
pub(super) fn open_regions(incident: &Incident) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); incident.services.len()];
    for region in metrics::regions::region_impacts(incident) {
        for (open, service) in out.iter_mut().zip(&region.services) {
            if service.windows.last().is_some_and(|w| w.is_ongoing()) {
                open.push(region.region.clone());
            }
        }
    }
    out
}

/// A quoted list for messages: `a`, `b` and `c`.
pub(super) fn all_of(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Code;
    use crate::source::Source;

    fn diagnostics(text: &str) -> Vec<(Code, String)> {
        let checked = super::super::check(&Source::from_text("t.yaml", text), Default::default());
        checked
            .diagnostics
            .iter()
            .map(|d| (d.code, d.hint.clone().unwrap_or_default()))
            .collect()
    }

    /// Regions where a service never recovered are named in the open window's hint.
    #[test]
    fn an_open_window_names_the_regions_still_impaired() {
        let text = "title: T\nseverity: SEV2\nstatus: resolved\nsummary: x\nregions: [us-east1, europe-west1, asia-east1]\nservices: [API]\ntimeline:\n  - at: 2025-06-12T17:49:00Z\n    phase: started\n    status: {API: major_outage}\n    text: x\n  - at: 2025-06-12T17:50:00Z\n    phase: detected\n    text: y\n  - at: 2025-06-12T18:40:00Z\n    region: us-east1\n    phase: resolved\n    status: {API: operational}\n    text: z\n";
        let got = diagnostics(text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, Code::OpenImpactWindow);
        assert!(
            got[0]
                .1
                .starts_with("it is still impaired in `europe-west1` and `asia-east1`:"),
            "{}",
            got[0].1
        );
    }

    /// W012 fires for a service hit before `started`, but not when a milestone before
    /// `started` shows the log times impact apart on purpose (Acme's `impact_started`).
    #[test]
    fn impaired_before_start_unless_a_milestone_says_so() {
        let log = |milestone: &str| {
            format!(
                "title: T\nseverity: SEV2\nservices: [API]\ntimeline:\n  - at: 2026-01-01T10:00:00Z\n{milestone}    status: {{API: partial_outage}}\n    text: x\n  - at: 2026-01-01T10:05:00Z\n    phase: started\n    text: y\n"
            )
        };
        let codes =
            |text: &str| -> Vec<Code> { diagnostics(text).into_iter().map(|d| d.0).collect() };
        assert_eq!(codes(&log("")), [Code::ImpairedBeforeStart]);
        let config = crate::config::parse(&Source::from_text(
            "postevent.toml",
            "[milestones.impact_started]\nlabel = \"Impact started\"\n",
        ))
        .unwrap();
        let checked = super::super::check_with(
            &Source::from_text("t.yaml", log("    milestone: impact_started\n")),
            Default::default(),
            &config,
        );
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    }

    /// Every cycle once; a service that only leads into a cycle is in none.
    #[test]
    fn cycles_are_found_once_each() {
        let edges = |list: &[&[usize]]| -> Vec<Vec<(usize, std::ops::Range<usize>)>> {
            list.iter()
                .map(|deps| deps.iter().map(|&d| (d, 0..0)).collect())
                .collect()
        };
        // 0 -> 1 -> 2 -> 0, 3 -> 0 (into the cycle), 4 -> 4, 5 alone.
        let found = super::cycles(&edges(&[&[1], &[2], &[0], &[0], &[4], &[]]));
        assert_eq!(found, [vec![0, 1, 2], vec![4]]);
        assert!(super::cycles(&edges(&[&[], &[0], &[0, 1]])).is_empty());
    }
}
