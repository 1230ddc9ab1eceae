//! Any bytes through the loader and validator: never a panic, diagnostics print no control
//! character of the log, and a valid log's metrics are never negative.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postevent::parse::Limits;
use postevent::source::Source;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Source::from_text("fuzz.yaml", text);
    let limits = Limits {
        max_yaml_events: 100_000,
        ..Limits::default()
    };
    let checked = postevent::validate::check(&source, limits);
    for d in &checked.diagnostics {
        if let Some(span) = &d.span {
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "span out of the text"
            );
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
        let shown = postevent::diagnostics::render_human(&source, d, Default::default());
        // A log is untrusted: nothing of it may reach a terminal as an escape sequence.
        assert!(
            !shown
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')),
            "a control character in {shown:?}"
        );
    }
    if let Some(incident) = checked.incident {
        for m in postevent::metrics::phase_metrics(&incident).all() {
            assert!(m.value.is_none_or(|v| v >= chrono::TimeDelta::zero()));
        }
        for s in postevent::metrics::service_impacts(&incident) {
            assert!(s.total >= chrono::TimeDelta::zero());
        }
    }
});
