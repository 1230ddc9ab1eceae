//! What every import target asserts of a draft that an import returned: a safe file stem,
//! event texts whose Markdown holds no raw HTML, and a log that passes `check`.

use postevent::import::Draft;
use postevent::parse::Limits;
use postevent::source::Source;
use pulldown_cmark::{Event, Parser};

pub fn assert_valid(draft: &Draft) {
    assert!(
        !draft.id.is_empty() && !draft.id.contains(['/', '\\', '.']),
        "the id {:?} is not a safe file stem",
        draft.id
    );
    for event in &draft.timeline {
        for piece in Parser::new(&event.text) {
            assert!(
                !matches!(piece, Event::Html(_) | Event::InlineHtml(_)),
                "raw HTML in {:?}",
                event.text
            );
        }
    }
    let yaml = draft.to_yaml();
    let source = Source::from_text(format!("{}.yaml", draft.id), yaml.clone());
    let checked = postevent::validate::check(&source, Limits::default());
    assert_eq!(checked.errors(), 0, "{yaml}\n{:#?}", checked.diagnostics);
}
