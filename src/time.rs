//! All time parsing and zone logic: how an `at` value written in a log becomes a UTC instant,
//! and how an instant is shown in a display zone.

use chrono::{
    DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
    Timelike, Utc,
};
use chrono_tz::{OffsetName, Tz};
use thiserror::Error;

/// An `at` value as written, before it is placed in a zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeSpec {
    /// An RFC 3339 instant with an offset or `Z`.
    Instant(DateTime<FixedOffset>),
    /// A date and time, read in the incident's zone, with an optional zone abbreviation.
    Local {
        datetime: NaiveDateTime,
        abbreviation: Option<String>,
    },
    /// A time of day alone: it takes the local date of the event written before it.
    TimeOfDay {
        time: NaiveTime,
        abbreviation: Option<String>,
    },
}

/// Why an `at` value cannot be placed in time.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimeError {
    #[error("`{0}` is not a time")]
    Syntax(String),
    #[error("`{0}` has second 60, which only a leap second has")]
    LeapSecond(String),
    #[error("{local} does not exist in {zone}: the clocks skip it (between {before} and {after})")]
    Nonexistent {
        local: NaiveDateTime,
        zone: Tz,
        before: DateTime<FixedOffset>,
        after: DateTime<FixedOffset>,
    },
    #[error("{local} happens twice in {zone}: at {first} and at {second}")]
    Ambiguous {
        local: NaiveDateTime,
        zone: Tz,
        first: DateTime<FixedOffset>,
        second: DateTime<FixedOffset>,
    },
    #[error("`{given}` is not used by {zone} on {date}: that zone is on {used} on that date")]
    WrongAbbreviation {
        given: String,
        zone: Tz,
        date: NaiveDate,
        used: String,
    },
    #[error("a time of day needs an event before it to take its date from")]
    NoPreviousDate { time: String },
    #[error("{time} on {date} would be before the event written just before it ({previous})")]
    Backwards {
        time: String,
        date: NaiveDate,
        previous: String,
    },
}

impl TimeError {
    /// A hint that tells the user how to fix it.
    pub fn hint(&self) -> String {
        match self {
            TimeError::Syntax(_) => "write `2025-10-19 23:48`, `2025-10-19 23:48 PDT`, `2025-10-20T06:48:00Z` or, after another event, `23:48`".into(),
            TimeError::LeapSecond(_) => "write second 59, or second 00 of the next minute: many readers (Python's `fromisoformat`, JavaScript's `Date`) refuse second 60".into(),
            TimeError::Nonexistent { before, .. } => format!(
                "give an offset to say which instant you mean, e.g. `{}`",
                before.to_rfc3339()
            ),
            TimeError::Ambiguous { first, second, .. } => format!(
                "give an offset or abbreviation to say which: `{}` or `{}`",
                first.to_rfc3339(),
                second.to_rfc3339()
            ),
            TimeError::WrongAbbreviation { used, .. } => {
                format!("use `{}`, or write the time with an offset", used.split(' ').next().unwrap_or(used))
            }
            TimeError::NoPreviousDate { time } => {
                format!("write its date too: `YYYY-MM-DD {time}`")
            }
            TimeError::Backwards { date, time, .. } => format!(
                "if this is the next day, write the date: `{} {time}`",
                date.succ_opt().unwrap_or(*date),
            ),
        }
    }
}

/// Whether `zone` is UTC under any of its names (`UTC`, `Etc/UTC`, `GMT`, `Zulu`, ...): its
/// local time is UTC at every instant.
pub fn is_utc(zone: Tz) -> bool {
    matches!(
        zone.name(),
        "UTC"
            | "Etc/UTC"
            | "Etc/UCT"
            | "UCT"
            | "Etc/Universal"
            | "Universal"
            | "Etc/Zulu"
            | "Zulu"
            | "GMT"
            | "Etc/GMT"
            | "Etc/GMT+0"
            | "Etc/GMT-0"
            | "Etc/GMT0"
            | "GMT0"
            | "GMT+0"
            | "GMT-0"
            | "Etc/Greenwich"
            | "Greenwich"
    )
}

/// Reads an `at` value without placing it in a zone. Second 60 is refused: chrono reads it
/// as a leap second at any minute, and most readers of the output refuse it.
pub fn parse(text: &str) -> Result<TimeSpec, TimeError> {
    let spec = parse_any_second(text)?;
    let leap = match &spec {
        TimeSpec::Instant(t) => t.nanosecond(),
        TimeSpec::Local { datetime, .. } => datetime.nanosecond(),
        TimeSpec::TimeOfDay { time, .. } => time.nanosecond(),
    } >= 1_000_000_000;
    if leap {
        return Err(TimeError::LeapSecond(text.trim().to_owned()));
    }
    Ok(spec)
}

/// Whether an `at` value is marked approximate (`~10:45`: known to within minutes), and the
/// time without the mark. [`parse`] reads a marked value as the time it marks.
pub fn split_approximate(text: &str) -> (bool, &str) {
    let text = text.trim();
    match text.strip_prefix('~') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    }
}

fn parse_any_second(text: &str) -> Result<TimeSpec, TimeError> {
    let (_, text) = split_approximate(text);
    let syntax = || TimeError::Syntax(text.to_owned());
    if text.is_empty() {
        return Err(syntax());
    }
    if let Some(instant) = parse_instant(text) {
        return Ok(TimeSpec::Instant(instant));
    }
    let (body, abbreviation) = split_abbreviation(text);
    if let Some(datetime) = parse_local_datetime(body) {
        return Ok(TimeSpec::Local {
            datetime,
            abbreviation,
        });
    }
    if let Some(time) = parse_time_of_day(body) {
        return Ok(TimeSpec::TimeOfDay { time, abbreviation });
    }
    Err(syntax())
}

/// An instant with an offset: RFC 3339, or the same without seconds (`2025-10-19 23:48-07:00`,
/// `2025-10-20T06:48Z`).
fn parse_instant(text: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Some(instant);
    }
    let with_offset = match text.strip_suffix(['Z', 'z']) {
        Some(body) => format!("{body}+00:00"),
        None => text.to_owned(),
    };
    ["%Y-%m-%d %H:%M%:z", "%Y-%m-%dT%H:%M%:z"]
        .iter()
        .find_map(|f| DateTime::parse_from_str(&with_offset, f).ok())
}

/// Splits a trailing zone abbreviation (`PDT`, `UTC`) off a time.
fn split_abbreviation(text: &str) -> (&str, Option<String>) {
    if let Some((body, last)) = text.rsplit_once(' ') {
        let is_abbreviation =
            (1..=6).contains(&last.len()) && last.chars().all(|c| c.is_ascii_alphabetic());
        if is_abbreviation {
            return (body.trim_end(), Some(last.to_owned()));
        }
    }
    (text, None)
}

fn parse_local_datetime(text: &str) -> Option<NaiveDateTime> {
    const FORMATS: &[&str] = &[
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ];
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
}

fn parse_time_of_day(text: &str) -> Option<NaiveTime> {
    ["%H:%M", "%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(text, f).ok())
}

/// Places a parsed time in `zone`. `previous` is the instant of the event written just
/// before this one, from which a time of day takes its date.
pub fn resolve(
    spec: &TimeSpec,
    zone: Tz,
    previous: Option<DateTime<Utc>>,
) -> Result<DateTime<Utc>, TimeError> {
    match spec {
        TimeSpec::Instant(instant) => Ok(instant.with_timezone(&Utc)),
        TimeSpec::Local {
            datetime,
            abbreviation,
        } => local_to_utc(*datetime, abbreviation.as_deref(), zone),
        TimeSpec::TimeOfDay { time, abbreviation } => {
            let previous = previous.ok_or_else(|| TimeError::NoPreviousDate {
                time: time.format("%H:%M").to_string(),
            })?;
            let date = previous.with_timezone(&zone).date_naive();
            let at = local_to_utc(date.and_time(*time), abbreviation.as_deref(), zone)?;
            if at < previous {
                return Err(TimeError::Backwards {
                    time: time.format("%H:%M").to_string(),
                    date,
                    previous: show(previous, zone),
                });
            }
            Ok(at)
        }
    }
}

/// A local date and time in `zone`, optionally pinned by an abbreviation the zone uses.
fn local_to_utc(
    local: NaiveDateTime,
    abbreviation: Option<&str>,
    zone: Tz,
) -> Result<DateTime<Utc>, TimeError> {
    if let Some(abbr) = abbreviation
        && is_universal(abbr)
    {
        return Ok(Utc.from_utc_datetime(&local));
    }
    let candidates: Vec<DateTime<Tz>> = match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => vec![t],
        LocalResult::Ambiguous(a, b) => vec![a, b],
        LocalResult::None => return Err(nonexistent(local, zone)),
    };
    if let Some(abbr) = abbreviation {
        return candidates
            .iter()
            .find(|t| {
                t.offset()
                    .abbreviation()
                    .is_some_and(|a| a.eq_ignore_ascii_case(abbr))
            })
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| TimeError::WrongAbbreviation {
                given: abbr.to_owned(),
                zone,
                date: local.date(),
                used: candidates
                    .iter()
                    .map(|t| format!("{} ({})", abbreviation_of(t), t.offset().fix()))
                    .collect::<Vec<_>>()
                    .join(" or "),
            });
    }
    match candidates.as_slice() {
        [one] => Ok(one.with_timezone(&Utc)),
        [first, second, ..] => Err(TimeError::Ambiguous {
            local,
            zone,
            first: first.fixed_offset(),
            second: second.fixed_offset(),
        }),
        [] => Err(nonexistent(local, zone)),
    }
}

fn is_universal(abbr: &str) -> bool {
    ["UTC", "GMT", "Z"]
        .iter()
        .any(|u| abbr.eq_ignore_ascii_case(u))
}

/// The error for a local time in a spring-forward gap, naming the instants on either side.
fn nonexistent(local: NaiveDateTime, zone: Tz) -> TimeError {
    // Read the wall time with the offsets in force just before and just after the gap.
    let day = chrono::Duration::days(1);
    let offset_before = zone.offset_from_utc_datetime(&(local - day)).fix();
    let offset_after = zone.offset_from_utc_datetime(&(local + day)).fix();
    let as_offset = |offset: FixedOffset| {
        offset
            .from_local_datetime(&local)
            .single()
            .unwrap_or_else(|| Utc.from_utc_datetime(&local).fixed_offset())
    };
    TimeError::Nonexistent {
        local,
        zone,
        before: as_offset(offset_before),
        after: as_offset(offset_after),
    }
}

/// The abbreviation of an instant's offset, or the offset itself (`+03`) when the zone has none.
pub fn abbreviation_of(t: &DateTime<Tz>) -> String {
    match t.offset().abbreviation() {
        Some(a) => a.to_owned(),
        None => t.offset().fix().to_string(),
    }
}

/// The UTC offsets a zone abbreviation stands for, as written in prose: `UTC`, `GMT` and `Z`
/// are +00:00; any other abbreviation has the offsets under which an IANA zone used it in
/// January or July of 2000 to 2030 (`PDT` is -07:00; `IST` is +05:30, +01:00 and +02:00).
/// Empty when no zone uses it. Case-sensitive: `est` is a word, `EST` a zone.
pub fn abbreviation_offsets(abbreviation: &str) -> &'static [FixedOffset] {
    static TABLE: std::sync::LazyLock<std::collections::HashMap<String, Vec<FixedOffset>>> =
        std::sync::LazyLock::new(abbreviation_table);
    static UNIVERSAL: [FixedOffset; 1] = [FixedOffset::east_opt(0).expect("zero is an offset")];
    if ["UTC", "GMT", "Z"].contains(&abbreviation) {
        return &UNIVERSAL;
    }
    TABLE.get(abbreviation).map_or(&[], Vec::as_slice)
}

/// Every abbreviation of every IANA zone, sampled twice a year (winter and summer time).
fn abbreviation_table() -> std::collections::HashMap<String, Vec<FixedOffset>> {
    let mut table: std::collections::HashMap<String, Vec<FixedOffset>> = Default::default();
    let instants: Vec<NaiveDateTime> = (2000..=2030)
        .flat_map(|year| [1, 7].map(|month| NaiveDate::from_ymd_opt(year, month, 15)))
        .flatten()
        .filter_map(|date| date.and_hms_opt(12, 0, 0))
        .collect();
    for zone in chrono_tz::TZ_VARIANTS {
        for instant in &instants {
            let offset = zone.offset_from_utc_datetime(instant);
            let Some(name) = offset.abbreviation() else {
                continue;
            };
            let offsets = table.entry(name.to_owned()).or_default();
            if !offsets.contains(&offset.fix()) {
                offsets.push(offset.fix());
            }
        }
    }
    for offsets in table.values_mut() {
        offsets.sort_by_key(FixedOffset::local_minus_utc);
    }
    table
}

/// An instant for messages: `2025-10-19 23:48 PDT` (seconds only when not zero).
pub fn show(at: DateTime<Utc>, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    let format = if local.timestamp() % 60 == 0 {
        "%Y-%m-%d %H:%M"
    } else {
        "%Y-%m-%d %H:%M:%S"
    };
    format!("{} {}", local.format(format), abbreviation_of(&local))
}

/// Looks up an IANA zone name.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

/// The IANA zone names closest to a misspelt one.
pub fn suggest_zone(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase().replace(' ', "_");
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| {
            (
                strsim::jaro_winkler(&lower, &tz.name().to_lowercase()),
                tz.name(),
            )
        })
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Los_Angeles;
    use chrono_tz::Europe::Berlin;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn approximate_marks() {
        assert_eq!(split_approximate(" ~10:45"), (true, "10:45"));
        assert_eq!(split_approximate("~ 10:45"), (true, "10:45"));
        assert_eq!(split_approximate("10:45"), (false, "10:45"));
    }

    /// One row per input: the text, the zone, the previous event, and the expected instant.
    #[test]
    fn resolves_good_times() {
        let cases: &[(&str, Tz, Option<&str>, &str)] = &[
            (
                "2025-10-20T06:48:00Z",
                Los_Angeles,
                None,
                "2025-10-20T06:48:00Z",
            ),
            (
                "2025-10-19T23:48:00-07:00",
                Los_Angeles,
                None,
                "2025-10-20T06:48:00Z",
            ),
            (
                "2025-10-20 06:48:00Z",
                Los_Angeles,
                None,
                "2025-10-20T06:48:00Z",
            ),
            (
                "2025-10-19 23:48",
                Los_Angeles,
                None,
                "2025-10-20T06:48:00Z",
            ),
            (
                "~ 2025-10-19 23:48",
                Los_Angeles,
                None,
                "2025-10-20T06:48:00Z",
            ),
            (
                "~23:50",
                Los_Angeles,
                Some("2025-10-20T06:48:00Z"),
                "2025-10-20T06:50:00Z",
            ),
            (
                "2025-10-19 23:48:05",
                Los_Angeles,
                None,
                "2025-10-20T06:48:05Z",
            ),
            (
                "2025-10-19T23:48",
                Los_Angeles,
                None,
                "2025-10-20T06:48:00Z",
            ),
            (
                "2025-10-19 23:48 PDT",
                Los_Angeles,
                None,
                "2025-10-20T06:48:00Z",
            ),
            (
                "2025-10-19 23:48 pdt",
                Los_Angeles,
                None,
                "2025-10-20T06:48:00Z",
            ),
            (
                "2025-10-20 06:48 UTC",
                Los_Angeles,
                None,
                "2025-10-20T06:48:00Z",
            ),
            (
                "2025-10-20 06:48 GMT",
                Los_Angeles,
                None,
                "2025-10-20T06:48:00Z",
            ),
            (
                "2025-12-01 09:00",
                Los_Angeles,
                None,
                "2025-12-01T17:00:00Z",
            ),
            (
                "2025-12-01 09:00 PST",
                Los_Angeles,
                None,
                "2025-12-01T17:00:00Z",
            ),
            ("2026-03-14 11:02 CET", Berlin, None, "2026-03-14T10:02:00Z"),
            // Fall-back overlap, pinned by an abbreviation.
            (
                "2025-11-02 01:30 PDT",
                Los_Angeles,
                None,
                "2025-11-02T08:30:00Z",
            ),
            (
                "2025-11-02 01:30 PST",
                Los_Angeles,
                None,
                "2025-11-02T09:30:00Z",
            ),
            (
                "2025-11-02 01:30-08:00",
                Los_Angeles,
                None,
                "2025-11-02T09:30:00Z",
            ),
            // Time of day: the local date of the event before.
            (
                "02:40",
                Los_Angeles,
                Some("2025-10-20T07:38:00Z"),
                "2025-10-20T09:40:00Z",
            ),
            (
                "02:40 PDT",
                Los_Angeles,
                Some("2025-10-20T07:38:00Z"),
                "2025-10-20T09:40:00Z",
            ),
            (
                "23:59",
                Los_Angeles,
                Some("2025-10-20T06:48:00Z"),
                "2025-10-20T06:59:00Z",
            ),
            (
                "14:20:30",
                Los_Angeles,
                Some("2025-10-20T09:40:00Z"),
                "2025-10-20T21:20:30Z",
            ),
            // After an event written in UTC, the date is that event's local date (19 Oct here).
            (
                "23:50",
                Los_Angeles,
                Some("2025-10-20T06:48:00Z"),
                "2025-10-20T06:50:00Z",
            ),
        ];
        for (text, zone, previous, expected) in cases {
            let spec = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let got =
                resolve(&spec, *zone, previous.map(utc)).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(got, utc(expected), "{text}");
        }
    }

    /// One row per input: the text, the zone, the previous event, and words the error must say.
    #[test]
    fn rejects_bad_times() {
        let cases: &[(&str, Tz, Option<&str>, &[&str])] = &[
            ("yesterday", Los_Angeles, None, &["is not a time"]),
            ("2025-13-01 10:00", Los_Angeles, None, &["is not a time"]),
            ("2025-10-19", Los_Angeles, None, &["is not a time"]),
            (
                "25:00",
                Los_Angeles,
                Some("2025-10-20T06:48:00Z"),
                &["is not a time"],
            ),
            (
                "2025-10-19 23:48 PST",
                Los_Angeles,
                None,
                &["`PST`", "that zone is on PDT (-07:00) on that date"],
            ),
            ("2025-10-19 23:48 CET", Los_Angeles, None, &["PDT (-07:00)"]),
            (
                "2025-03-09 02:30",
                Los_Angeles,
                None,
                &[
                    "does not exist",
                    "2025-03-09 02:30:00 -08:00",
                    "2025-03-09 02:30:00 -07:00",
                ],
            ),
            (
                "2025-11-02 01:30",
                Los_Angeles,
                None,
                &[
                    "happens twice",
                    "2025-11-02 01:30:00 -07:00",
                    "2025-11-02 01:30:00 -08:00",
                ],
            ),
            ("00:10", Los_Angeles, None, &["needs an event before it"]),
            // Regression: second 60 was read as a leap second at any minute.
            ("2026-03-14 10:15:60", Los_Angeles, None, &["has second 60"]),
            (
                "2026-03-14T10:15:60Z",
                Los_Angeles,
                None,
                &["has second 60"],
            ),
            (
                "2026-03-14T10:15:60.5+01:00",
                Berlin,
                None,
                &["has second 60"],
            ),
            (
                "2016-12-31T23:59:60Z",
                Los_Angeles,
                None,
                &["has second 60"],
            ),
            (
                "10:15:60 PDT",
                Los_Angeles,
                Some("2025-10-20T06:48:00Z"),
                &["has second 60"],
            ),
            (
                "00:10",
                Los_Angeles,
                Some("2025-10-20T06:48:00Z"),
                &[
                    "00:10 on 2025-10-19",
                    "before the event written just before it (2025-10-19 23:48 PDT)",
                ],
            ),
        ];
        for (text, zone, previous, words) in cases {
            let err = parse(text)
                .and_then(|spec| resolve(&spec, *zone, previous.map(utc)))
                .expect_err(text);
            let message = err.to_string();
            for word in *words {
                assert!(message.contains(word), "{text}: `{message}` lacks `{word}`");
            }
            assert!(!err.hint().is_empty());
        }
    }

    /// One row per abbreviation: the offsets it stands for, in minutes east of UTC.
    #[test]
    fn abbreviations_name_their_offsets() {
        let cases: &[(&str, &[i32])] = &[
            ("UTC", &[0]),
            ("GMT", &[0]),
            ("Z", &[0]),
            ("PDT", &[-7 * 60]),
            ("PST", &[-8 * 60, 8 * 60]),
            ("EDT", &[-4 * 60]),
            ("CET", &[60]),
            ("CEST", &[120]),
            ("JST", &[9 * 60]),
            ("pdt", &[]),
            ("API", &[]),
            ("", &[]),
        ];
        for (abbreviation, minutes) in cases {
            let got: Vec<i32> = abbreviation_offsets(abbreviation)
                .iter()
                .map(|o| o.local_minus_utc() / 60)
                .collect();
            assert_eq!(got, *minutes, "{abbreviation}");
        }
        let ist: Vec<i32> = abbreviation_offsets("IST")
            .iter()
            .map(|o| o.local_minus_utc() / 60)
            .collect();
        assert!(ist.contains(&330) && ist.contains(&60), "{ist:?}");
    }

    #[test]
    fn suggests_zones() {
        assert_eq!(
            suggest_zone("America/Los_Angles"),
            Some("America/Los_Angeles")
        );
        assert_eq!(suggest_zone("europe/berlin"), Some("Europe/Berlin"));
        assert_eq!(parse_zone("Mars/Olympus"), None);
    }
}
