//! Any bytes through the loader and validator: never a panic, and a valid log's metrics are
//! never negative.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postevent::parse::Limits;
use postevent::source::Source;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = Source::from_text("fuzz.yaml", text);
    let limits = Limits { max_yaml_events: 100_000, ..Limits::default() };
    let checked = postevent::validate::check(&source, limits);
    for d in &checked.diagnostics {
        if let Some(span) = &d.span {
            assert!(span.start <= span.end && span.end <= text.len(), "span out of the text");
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
        let _ = postevent::diagnostics::render_human(&source, d, Default::default());
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
