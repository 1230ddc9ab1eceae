//! Invariants as property tests: no input makes the loader panic, and for any valid log the
//! metrics are never negative and the impact windows are well formed.

use chrono::TimeDelta;
use postevent::metrics;
use postevent::parse::Limits;
use postevent::source::Source;
use postevent::validate;
use proptest::prelude::*;

/// Text that looks like an incident log often enough to get past the YAML parser.
fn yamlish() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "title",
        "severity",
        "status",
        "timezone",
        "services",
        "timeline",
        "at",
        "phase",
        "text",
        "internal",
        "id",
        "action_items",
        "kind",
        "due",
        "lessons",
        "went_well",
        "titel",
    ]);
    let value = prop::sample::select(vec![
        "SEV1",
        "SEV9",
        "resolved",
        "America/Los_Angeles",
        "Mars/Base",
        "2025-10-19 23:48",
        "02:40",
        "2025-11-02 01:30",
        "2025-03-09 02:30 PST",
        "started",
        "detected",
        "true",
        "[a, b]",
        "{DynamoDB: major_outage}",
        "\"x: y\"",
        "*a",
        "&a v",
        "- x",
        "",
        "|",
        "null",
    ]);
    let line = (0usize..6, key, value)
        .prop_map(|(indent, k, v)| format!("{}{k}: {v}", "  ".repeat(indent / 2)));
    prop::collection::vec(
        prop_oneof![line, "[ -~]{0,30}".prop_map(String::from)],
        0..30,
    )
    .prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn check_never_panics_and_spans_stay_in_the_text(text in prop_oneof![yamlish(), ".{0,200}"]) {
        let source = Source::from_text("p.yaml", text.clone());
        let checked = validate::check(&source, Limits::default());
        for d in &checked.diagnostics {
            if let Some(span) = &d.span {
                prop_assert!(span.end <= text.len() && span.start <= span.end);
                prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            }
            let rendered = postevent::diagnostics::render_human(&source, d, Default::default());
            prop_assert!(!rendered.is_empty());
        }
        prop_assert_eq!(checked.incident.is_some(), checked.errors() == 0);
    }

    #[test]
    fn metrics_are_never_negative_and_windows_well_formed(
        steps in prop::collection::vec((0u32..180, 0usize..3, 0usize..5, prop::option::of(0usize..6)), 1..40)
    ) {
        let text = log_from_steps(&steps);
        let source = Source::from_text("p.yaml", text.clone());
        let checked = validate::check(&source, Limits::default());
        let Some(incident) = checked.incident else { return Ok(()) };
        for m in metrics::phase_metrics(&incident).all() {
            prop_assert!(m.value.is_none_or(|v| v >= TimeDelta::zero()), "{}: {text}", m.key);
        }
        let (_, last) = incident.span();
        for s in metrics::service_impacts(&incident) {
            let mut sum = TimeDelta::zero();
            for w in &s.windows {
                prop_assert!(w.to.is_none_or(|to| to >= w.from));
                prop_assert_eq!(w.segments.first().map(|g| g.from), Some(w.from));
                prop_assert_eq!(w.segments.last().and_then(|g| g.to), w.to);
                for pair in w.segments.windows(2) {
                    prop_assert_eq!(pair[0].to, Some(pair[1].from));
                    prop_assert!(pair[0].status != pair[1].status);
                }
                let seg_total: TimeDelta = w.segments.iter().map(|g| g.duration(last)).sum();
                prop_assert_eq!(seg_total, w.duration(last));
                let worst = w.segments.iter().map(|g| g.status.badness()).max();
                prop_assert_eq!(worst, Some(w.worst.badness()));
                sum += w.duration(last);
            }
            prop_assert_eq!(sum, s.total);
            prop_assert!(s.total >= TimeDelta::zero());
        }
    }
}

/// A log from (minutes after the previous event, service, status, phase) steps.
fn log_from_steps(steps: &[(u32, usize, usize, Option<usize>)]) -> String {
    const STATUS: [&str; 5] = [
        "operational",
        "degraded_performance",
        "partial_outage",
        "major_outage",
        "operational",
    ];
    const PHASE: [&str; 6] = [
        "started",
        "detected",
        "acknowledged",
        "identified",
        "mitigated",
        "resolved",
    ];
    let mut y = String::from(
        "title: Property\nseverity: SEV3\ntimezone: Europe/Berlin\nservices: [A, B, C]\ntimeline:\n",
    );
    let mut minute = 0u32;
    let mut used = [false; 6];
    for (i, (gap, service, status, phase)) in steps.iter().enumerate() {
        minute += gap;
        y += &format!(
            "  - at: 2026-10-24T{:02}:{:02}:00Z\n",
            20 + minute / 60 % 4,
            minute % 60
        );
        if let Some(p) = phase.filter(|p| !used[*p]) {
            used[p] = true;
            y += &format!("    phase: {}\n", PHASE[p]);
        }
        y += &format!(
            "    status: {{{}: {}}}\n    text: step {i}\n",
            ["A", "B", "C"][*service],
            STATUS[*status]
        );
    }
    y
}
