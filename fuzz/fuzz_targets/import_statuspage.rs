//! Any bytes as a Statuspage API v2 document: never a panic, and every draft an import
//! returns is a log that passes `check` and has a safe, unique file stem, as
//! `postevent import` promises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postevent::import::statuspage;

mod imported;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the display zone: the feed's own (or UTC), or Berlin.
    let Some((&zone, rest)) = data.split_first() else {
        return;
    };
    let Ok(json) = std::str::from_utf8(rest) else {
        return;
    };
    let zone = (zone & 1 != 0).then_some(chrono_tz::Europe::Berlin);
    let drafts = statuspage::import(json, zone);
    let Ok(drafts) = drafts else { return };
    let mut ids = std::collections::BTreeSet::new();
    for draft in drafts {
        assert!(
            ids.insert(draft.id.to_ascii_lowercase()),
            "two drafts share the id {}",
            draft.id
        );
        imported::assert_valid(&draft);
    }
});
