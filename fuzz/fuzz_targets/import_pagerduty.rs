//! Any bytes as a PagerDuty log (and incident): never a panic, and a draft that an import
//! returns is a log that passes `check`, with a safe file stem and event texts whose Markdown
//! holds no raw HTML, as `postevent import pagerduty` promises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postevent::import::pagerduty;

mod imported;

fuzz_target!(|data: &[u8]| {
    // The first byte holds the options: bit 0 the zone, bit 1 `--all`. The rest is the log
    // entries, then, after `\n--8<--\n`, the incident given with `--incident`.
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (log, incident) = match text.split_once("\n--8<--\n") {
        Some((log, incident)) => (log, Some(incident)),
        None => (text, None),
    };
    let incident = match incident.map(pagerduty::incident) {
        Some(Ok(incident)) => Some(incident),
        Some(Err(_)) => return,
        None => None,
    };
    let options = pagerduty::Options {
        all: flags & 2 != 0,
        zone: (flags & 1 != 0).then_some(chrono_tz::Asia::Kolkata),
    };
    let Ok(draft) = pagerduty::import(log, incident, &options) else {
        return;
    };
    imported::assert_valid(&draft);
    imported::assert_no_raw_html(&draft);
});
