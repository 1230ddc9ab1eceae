//! Any text as an `at` value, in any zone, after any previous instant: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, u16, i32)| {
    let (text, zone, previous) = input;
    let zone = chrono_tz::TZ_VARIANTS[zone as usize % chrono_tz::TZ_VARIANTS.len()];
    let previous = chrono::DateTime::from_timestamp(i64::from(previous) * 60, 0);
    if let Ok(spec) = postevent::time::parse(text)
        && let Err(e) = postevent::time::resolve(&spec, zone, previous)
    {
        let _ = (e.to_string(), e.hint());
    }
});
