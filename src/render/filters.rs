//! How instants and durations are shown: the one place that formats them, for the printers
//! (SVG, Mermaid, site listings) and for templates through the Tera filters `local`, `utc`
//! and `duration` registered on every engine of the registry.
//!
//! The view serialises an instant as RFC 3339 UTC (`2025-10-20T06:48:00Z`) and a duration as
//! whole seconds; the filters read those machine values, never a formatted string.

use std::fmt::Write;

use chrono::{DateTime, Datelike, TimeDelta, Timelike, Utc};
use chrono_tz::Tz;
use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::metrics::human_duration;
use crate::time::abbreviation_of;

/// How an instant is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `2025-10-19 23:48 PDT` (seconds only when not zero)
    Display,
    /// `11:48 PM PDT on October 19, 2025`
    Long,
    /// `2025-10-19`
    Date,
    /// `23:48`, or `23:48:05`
    Time,
    /// `PDT` (or the offset, `+03`, where the zone has no abbreviation)
    Zone,
    /// `2025-10-19T23:48:00-07:00` (`+00:00` in UTC)
    Rfc3339,
}

impl Style {
    const NAMES: &[(&str, Style)] = &[
        ("display", Style::Display),
        ("long", Style::Long),
        ("date", Style::Date),
        ("time", Style::Time),
        ("zone", Style::Zone),
        ("rfc3339", Style::Rfc3339),
    ];

    fn parse(name: &str) -> Option<Style> {
        Style::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| *s)
    }
}

/// `at` in `zone`, written in `style`.
pub fn instant(at: DateTime<Utc>, zone: Tz, style: Style) -> String {
    let local = at.with_timezone(&zone);
    let seconds = at.timestamp() % 60 != 0;
    match style {
        Style::Display => {
            let mut out = date(&local);
            out.push(' ');
            push_clock(&mut out, &local, seconds);
            out.push(' ');
            out.push_str(&abbreviation_of(&local));
            out
        }
        Style::Long => {
            let twelve = if seconds { "%-I:%M:%S %p" } else { "%-I:%M %p" };
            let mut out = local.format(twelve).to_string();
            let _ = write!(
                out,
                " {} on {}",
                abbreviation_of(&local),
                local.format("%B %-d, %Y")
            );
            out
        }
        Style::Date => date(&local),
        Style::Time => {
            let mut out = String::with_capacity(8);
            push_clock(&mut out, &local, seconds);
            out
        }
        Style::Zone => abbreviation_of(&local),
        Style::Rfc3339 => local.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
    }
}

/// `at` as RFC 3339 UTC: `2025-10-20T06:48:00Z`.
pub fn utc(at: DateTime<Utc>) -> String {
    let mut out = date(&at);
    out.push('T');
    push_clock(&mut out, &at, true);
    out.push('Z');
    out
}

/// `2025-10-20` (`%Y-%m-%d`), written directly: a report formats two instants per event,
/// and chrono's `format` parses its pattern again each time.
fn date<T: Datelike>(t: &T) -> String {
    let mut out = String::with_capacity(32);
    let (year, month, day) = (t.year(), t.month(), t.day());
    if (0..=9999).contains(&year) {
        let _ = write!(out, "{year:04}-{month:02}-{day:02}");
    } else {
        // `%Y` gives a sign and more digits outside 0 to 9999.
        if let Some(d) = chrono::NaiveDate::from_ymd_opt(year, month, day) {
            let _ = write!(out, "{}", d.format("%Y-%m-%d"));
        }
    }
    out
}

/// `23:48`, or `23:48:05` with `seconds` (`%H:%M`, `%H:%M:%S`).
fn push_clock<T: Timelike>(out: &mut String, t: &T, seconds: bool) {
    let _ = write!(out, "{:02}:{:02}", t.hour(), t.minute());
    if seconds {
        let _ = write!(out, ":{:02}", t.second());
    }
}

/// Registers `local`, `utc` and `duration` on `tera`.
pub fn register(tera: &mut Tera) {
    tera.register_filter("local", local_filter);
    tera.register_filter("utc", utc_filter);
    tera.register_filter("duration", duration_filter);
    tera.register_filter("percent", percent_filter);
}

/// `{{ e.at | local }}`: in the display zone (the context's `timezone`), or in `tz="Asia/Tokyo"`;
/// `format=` one of [`Style::NAMES`], `display` by default.
fn local_filter(value: &Value, kwargs: Kwargs, state: &State) -> TeraResult<String> {
    let zone = match kwargs.get::<&str>("tz")? {
        Some(name) => Some(name.to_owned()),
        None => state.get::<String>("timezone")?,
    };
    let zone = zone.as_deref().unwrap_or("UTC");
    let zone = zone
        .parse::<Tz>()
        .map_err(|_| tera::Error::message(format!("`{zone}` is not an IANA time zone")))?;
    show(value, zone, &kwargs, "local")
}

/// `{{ e.at | utc }}`: like `local`, in UTC.
fn utc_filter(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    show(value, Tz::UTC, &kwargs, "utc")
}

fn show(value: &Value, zone: Tz, kwargs: &Kwargs, filter: &str) -> TeraResult<String> {
    let at = value
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .ok_or_else(|| {
            tera::Error::message(format!(
                "`{filter}` needs an instant of the view (such as `start` or `e.at`), not `{value}`"
            ))
        })?;
    let name = kwargs.get::<&str>("format")?.unwrap_or("display");
    let style = Style::parse(name).ok_or_else(|| {
        let known: Vec<&str> = Style::NAMES.iter().map(|(n, _)| *n).collect();
        tera::Error::message(format!(
            "`{filter}` has no format `{name}`; use one of {}",
            known.join(", ")
        ))
    })?;
    Ok(instant(at.with_timezone(&Utc), zone, style))
}

/// `{{ duration | duration }}`: seconds for people, `2h 52m`; `—` for `null` (a metric whose
/// phase is missing).
fn duration_filter(value: &Value, _: Kwargs, _: &State) -> TeraResult<String> {
    if value.is_none() {
        return Ok("—".to_owned());
    }
    let seconds = value.as_i64().ok_or_else(|| {
        tera::Error::message(format!(
            "`duration` needs a number of seconds, not `{value}`"
        ))
    })?;
    Ok(human_duration(TimeDelta::seconds(seconds)))
}

/// `{{ rate | percent }}`: a share from 0 to 1 as a whole percentage, `58%`; `—` for `null`.
fn percent_filter(value: &Value, _: Kwargs, _: &State) -> TeraResult<String> {
    if value.is_none() {
        return Ok("—".to_owned());
    }
    let rate = value.as_f64().ok_or_else(|| {
        tera::Error::message(format!(
            "`percent` needs a number from 0 to 1, not `{value}`"
        ))
    })?;
    Ok(format!("{:.0}%", rate * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Context;

    fn render(template: &str, ctx: &Context) -> TeraResult<String> {
        let mut tera = Tera::new();
        register(&mut tera);
        tera.add_raw_template("t", template)?;
        tera.render("t", ctx)
    }

    /// The digits written directly are chrono's `format` of the same patterns.
    #[test]
    fn dates_and_clocks_match_chrono() {
        let zones = [
            Tz::UTC,
            chrono_tz::America::Los_Angeles,
            chrono_tz::Asia::Kolkata,
        ];
        for text in [
            "2025-10-20T06:48:00Z",
            "2025-10-20T06:48:05Z",
            "0000-01-01T00:00:00Z",
            "0999-03-04T05:06:07Z",
            "9999-12-31T23:59:59Z",
            "-0005-06-07T08:09:00Z",
            "+10000-01-02T03:04:00Z",
        ] {
            let at = DateTime::parse_from_rfc3339(text)
                .or_else(|_| text.parse::<DateTime<chrono::FixedOffset>>())
                .unwrap()
                .with_timezone(&Utc);
            assert_eq!(utc(at), at.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            for zone in zones {
                let local = at.with_timezone(&zone);
                let clock = if at.timestamp() % 60 != 0 {
                    "%H:%M:%S"
                } else {
                    "%H:%M"
                };
                let display = format!(
                    "{} {}",
                    local.format(&format!("%Y-%m-%d {clock}")),
                    abbreviation_of(&local)
                );
                assert_eq!(instant(at, zone, Style::Display), display, "{text}");
                assert_eq!(
                    instant(at, zone, Style::Date),
                    local.format("%Y-%m-%d").to_string()
                );
                assert_eq!(
                    instant(at, zone, Style::Time),
                    local.format(clock).to_string()
                );
            }
        }
    }

    #[test]
    fn the_filters_read_the_view_values() {
        let mut ctx = Context::new();
        ctx.insert("timezone", "America/Los_Angeles");
        ctx.insert("at", "2025-10-20T06:48:00Z");
        ctx.insert("d", &10_320);
        ctx.insert("none", &Option::<i64>::None);
        let cases = [
            ("{{ at | local }}", "2025-10-19 23:48 PDT"),
            (
                "{{ at | local(format=\"long\") }}",
                "11:48 PM PDT on October 19, 2025",
            ),
            (
                "{{ at | local(tz=\"Asia/Tokyo\", format=\"time\") }}",
                "15:48",
            ),
            ("{{ at | utc }}", "2025-10-20 06:48 UTC"),
            (
                "{{ at | utc(format=\"rfc3339\") }}",
                "2025-10-20T06:48:00+00:00",
            ),
            ("{{ d | duration }} {{ none | duration }}", "2h 52m —"),
        ];
        for (template, want) in cases {
            assert_eq!(render(template, &ctx).unwrap(), want, "{template}");
        }
    }

    #[test]
    fn a_misused_filter_says_what_it_needs() {
        let mut ctx = Context::new();
        ctx.insert("at", "2025-10-20T06:48:00Z");
        ctx.insert("title", "2h");
        let cases = [
            ("{{ title | local }}", "needs an instant"),
            ("{{ at | local(format=\"short\") }}", "no format `short`"),
            (
                "{{ at | local(tz=\"Mars/Base\") }}",
                "not an IANA time zone",
            ),
            ("{{ title | duration }}", "needs a number of seconds"),
        ];
        for (template, want) in cases {
            let e = render(template, &ctx).unwrap_err();
            let text = format!("{e} {:?}", std::error::Error::source(&e));
            assert!(text.contains(want), "{template}: {text}");
        }
    }
}
