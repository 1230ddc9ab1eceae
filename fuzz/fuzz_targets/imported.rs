//! What the import targets assert of a draft that an import returned.

use postevent::import::Draft;
use postevent::parse::Limits;
use postevent::source::Source;
use pulldown_cmark::{Event, Parser};

/// A safe file stem, and a log that passes `check`.
pub fn assert_valid(draft: &Draft) {
    assert!(
        !draft.id.is_empty() && !draft.id.contains(['/', '\\', '.']),
        "the id {:?} is not a safe file stem",
        draft.id
    );
    let yaml = draft.to_yaml();
    let source = Source::from_text(format!("{}.yaml", draft.id), yaml.clone());
    let checked = postevent::validate::check(&source, Limits::default());
    assert_eq!(checked.errors(), 0, "{yaml}\n{:#?}", checked.diagnostics);
}

/// No raw HTML in the Markdown of any event (for importers that escape all text; the GCP
/// feed's texts are Markdown already and pass through).
#[allow(dead_code)]
pub fn assert_no_raw_html(draft: &Draft) {
    for event in &draft.timeline {
        for piece in Parser::new(&event.text) {
            assert!(
                !matches!(piece, Event::Html(_) | Event::InlineHtml(_)),
                "raw HTML in {:?}",
                event.text
            );
        }
    }
}
