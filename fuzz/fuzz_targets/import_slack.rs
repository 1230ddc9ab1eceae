//! Any bytes as a Slack export, unpacked or zipped: never a panic, and a draft that an import
//! returns is a log that passes `check`, with a safe file stem and event texts whose Markdown
//! holds no raw HTML, as `postevent import slack` promises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postevent::import::slack::{self, Archive};

mod imported;

/// The channel every input is asked for; the seeds name it.
const CHANNEL: &str = "inc-4211-checkout-5xx";

/// A budget small enough that a zip bomb stops at once.
const BUDGET: usize = 1 << 20;

fuzz_target!(|data: &[u8]| {
    // The first byte holds the options: bit 0 the zone, 1 `--all`, 2 `--phases-from-keywords`,
    // 3 a marker other than :pushpin:, 4 the rest is a zip (else files split at `\n--8<--\n`:
    // channels.json, users.json and two days of the channel).
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let options = slack::Options {
        channel: CHANNEL.into(),
        all: flags & 2 != 0,
        emoji: if flags & 8 != 0 {
            "eyes"
        } else {
            slack::DEFAULT_EMOJI
        }
        .into(),
        phases_from_keywords: flags & 4 != 0,
        zone: (flags & 1 != 0).then_some(chrono_tz::Europe::Berlin),
    };
    let archive = if flags & 16 != 0 {
        Archive::zip(Box::new(std::io::Cursor::new(rest.to_vec())), BUDGET)
    } else {
        let names = [
            "channels.json".to_owned(),
            "users.json".to_owned(),
            format!("{CHANNEL}/2026-03-04.json"),
            format!("{CHANNEL}/2026-03-05.json"),
        ];
        let parts = split(rest);
        Ok(Archive::memory(
            names
                .into_iter()
                .zip(parts.into_iter().map(<[u8]>::to_vec))
                .collect(),
            BUDGET,
        ))
    };
    let Ok(mut archive) = archive else { return };
    let Ok(draft) = slack::import(&mut archive, &options) else {
        return;
    };
    imported::assert_valid(&draft);
    imported::assert_no_raw_html(&draft);
});

fn split(bytes: &[u8]) -> Vec<&[u8]> {
    const CUT: &[u8] = b"\n--8<--\n";
    let mut parts = Vec::new();
    let mut rest = bytes;
    while let Some(i) = rest.windows(CUT.len()).position(|w| w == CUT) {
        parts.push(&rest[..i]);
        rest = &rest[i + CUT.len()..];
    }
    parts.push(rest);
    parts
}
