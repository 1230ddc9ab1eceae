//! Reads what a post-mortem's prose claims about its timeline: durations ("2 h 52 m", "about
//! 14 hours") and clock times ("2:40 AM PDT", "14:20 on 20 October"), each with its byte range
//! in the Markdown it was read from.
//!
//! Precision comes first: a number is read only in a form that is clearly a duration or a time
//! of day, and a duration that describes a setting rather than the incident ("a 5-minute TTL",
//! "every 30 seconds", "the 15-minute window") is not a claim. Words that make a claim
//! approximate ("about", "over", "nearly") widen what it accepts instead of hiding it; the
//! rules are in [`Quantifier`] and [`tolerance`], and docs/format.md lists them for users.

use std::ops::Range;

use chrono::{FixedOffset, NaiveDate, NaiveTime};
use chrono_tz::Tz;

use super::plain::{self, Kind, Token};
use crate::time;

/// A claim and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    /// Byte range in the Markdown text.
    pub range: Range<usize>,
    pub claim: Claim,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    Duration(DurationClaim),
    Clock(ClockClaim),
}

/// A duration, as the range of computed durations that agree with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurationClaim {
    /// The value written, in seconds: `(v, v)`, or both ends of "2-3 hours".
    pub written: (i64, i64),
    /// The shortest computed duration that agrees, in seconds.
    pub min: i64,
    /// The longest; `None` after "over" or "more than".
    pub max: Option<i64>,
}

/// A time of day, with the zone and date the text gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockClaim {
    /// What it can mean: one time, or two for a time without AM/PM that reads either way
    /// (`9:30` is 09:30 or 21:30; `09:30` and `21:30` are one reading each).
    pub readings: Vec<NaiveTime>,
    /// The zone written after it; without one, the log's zone applies.
    pub zone: Option<Zone>,
    /// The date written with it; without one, any date matches.
    pub date: Option<Day>,
    /// How far an event may be from it, in seconds: a minute, or 15 after "about".
    pub tolerance: i64,
}

/// A zone as written after a time: its text and the offsets it can stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    pub name: String,
    pub offsets: Offsets,
}

/// What a zone written in prose stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offsets {
    /// An abbreviation or an offset: `PDT`, `UTC+2`, `Z` (an abbreviation may be several).
    Fixed(Vec<FixedOffset>),
    /// An IANA name, `US/Pacific`: the offsets it has while the timeline runs.
    Iana(Tz),
}

/// A date as written, perhaps without its year ("on 21 October").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

/// A word that makes a duration approximate, and what it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quantifier {
    /// No word: the value, give or take its [`tolerance`].
    Exact,
    /// "about", "approximately", "around", "roughly", "some", "~", "or so": give or take a
    /// fifth of the value (at least the tolerance).
    About,
    /// "over", "more than", "at least", "or more", "5+": the value (less the tolerance) or
    /// longer.
    AtLeast,
    /// "under", "less than", "within", "up to", "at most", "or less": the value (plus the
    /// tolerance) or shorter.
    AtMost,
    /// "nearly", "almost", "just under", "close to": up to a fifth less than the value, and no
    /// more than the tolerance over it.
    Nearly,
}

/// Quantifier words, longest first so that "just under" wins over "under".
const QUANTIFIERS: &[(&[&str], Quantifier)] = &[
    (&["a", "little", "over"], Quantifier::AtLeast),
    (&["a", "little", "under"], Quantifier::Nearly),
    (&["no", "more", "than"], Quantifier::AtMost),
    (&["in", "excess", "of"], Quantifier::AtLeast),
    (&["more", "than"], Quantifier::AtLeast),
    (&["longer", "than"], Quantifier::AtLeast),
    (&["greater", "than"], Quantifier::AtLeast),
    (&["at", "least"], Quantifier::AtLeast),
    (&["upwards", "of"], Quantifier::AtLeast),
    (&["just", "over"], Quantifier::AtLeast),
    (&["well", "over"], Quantifier::AtLeast),
    (&["less", "than"], Quantifier::AtMost),
    (&["shorter", "than"], Quantifier::AtMost),
    (&["fewer", "than"], Quantifier::AtMost),
    (&["up", "to"], Quantifier::AtMost),
    (&["at", "most"], Quantifier::AtMost),
    (&["just", "under"], Quantifier::Nearly),
    (&["close", "to"], Quantifier::Nearly),
    (&["not", "quite"], Quantifier::Nearly),
    (&["about"], Quantifier::About),
    (&["approximately"], Quantifier::About),
    (&["approx"], Quantifier::About),
    (&["around"], Quantifier::About),
    (&["roughly"], Quantifier::About),
    (&["some"], Quantifier::About),
    (&["circa"], Quantifier::About),
    (&["over"], Quantifier::AtLeast),
    (&["under"], Quantifier::AtMost),
    (&["within"], Quantifier::AtMost),
    (&["nearly"], Quantifier::Nearly),
    (&["almost"], Quantifier::Nearly),
];

/// Words after a duration that make it approximate: "2 hours or so".
const AFTER_QUANTIFIERS: &[(&str, Quantifier)] = &[
    ("so", Quantifier::About),
    ("more", Quantifier::AtLeast),
    ("longer", Quantifier::AtLeast),
    ("less", Quantifier::AtMost),
];

/// Words before a clock time that make it approximate: within 15 minutes.
const APPROXIMATE_TIME: &[&[&str]] = &[
    &["shortly", "after"],
    &["shortly", "before"],
    &["just", "after"],
    &["just", "before"],
    &["soon", "after"],
    &["about"],
    &["around"],
    &["approximately"],
    &["approx"],
    &["roughly"],
    &["circa"],
];

/// Words shortly before a clock time that make it a schedule, not a moment of the incident.
const SCHEDULE_BEFORE: &[&str] = &[
    "every",
    "each",
    "daily",
    "nightly",
    "weekly",
    "scheduled",
    "schedule",
    "window",
    "cron",
];

/// Words right after a clock time (or range) that make it a schedule.
const SCHEDULE_AFTER: &[&str] = &[
    "every", "each", "daily", "nightly", "weekly", "weekday", "weekdays",
];

/// How far an approximate clock time may be from an event, in seconds.
const APPROXIMATE_TIME_TOLERANCE: i64 = 15 * 60;

/// The word before a duration that makes it a cadence, not a claim: "every 30 seconds",
/// "twice an hour".
const CADENCE: &[&str] = &["every", "each", "per", "once", "twice", "thrice", "times"];

/// Nouns next to a duration that make it a setting or a measure of something other than the
/// timeline: "a TTL of 5 minutes", "30 s leader TTL", "1 h windows", "4 minutes stale".
const SETTING_NOUNS: &[&str] = &[
    "ttl",
    "ttls",
    "timeout",
    "timeouts",
    "interval",
    "intervals",
    "cadence",
    "window",
    "windows",
    "cron",
    "retention",
    "heartbeat",
    "heartbeats",
    "slo",
    "slos",
    "sla",
    "slas",
    "budget",
    "threshold",
    "thresholds",
    "cache",
    "expiry",
    "backoff",
    "grace",
    "schedule",
    "latency",
    "latencies",
    "lag",
    "polling",
    "rotation",
    "cooldown",
    "debounce",
    "timer",
    "ago",
    "old",
    "stale",
    "behind",
    "rto",
    "rpo",
    "mttr",
    "mttd",
    "mtta",
    "target",
    "objective",
];

/// Verbs before a duration that make it the level of some measure ("latency rose to 2
/// minutes", "MTTR dropped to 45m"), not a stretch of the timeline.
const LEVEL_VERBS: &[&str] = &[
    "rose",
    "reached",
    "peaked",
    "spiked",
    "climbed",
    "grew",
    "increased",
    "jumped",
    "dropped",
    "fell",
    "improved",
    "decreased",
    "averaged",
];

/// What a duration measures after "of" when it is an amount rather than a stretch of the
/// timeline: "6 hours of data", "7 hours of work".
const MEASURED_NOUNS: &[&str] = &[
    "data",
    "work",
    "writes",
    "logs",
    "traffic",
    "history",
    "messages",
    "metrics",
    "records",
    "transactions",
    "backups",
    "requests",
];

/// Words skipped when looking back from a duration for a setting noun: "a TTL of 5 minutes".
const FILLERS: &[&str] = &[
    "of", "is", "was", "were", "set", "to", "a", "an", "the", "its", "their", "be", "at",
];

/// Nouns that make a hyphenated duration ("a 46-minute outage") a claim about the incident;
/// any other ("a 5-minute TTL") is a setting.
const INCIDENT_NOUNS: &[&str] = &[
    "outage",
    "outages",
    "incident",
    "disruption",
    "downtime",
    "degradation",
    "interruption",
    "impact",
    "failure",
    "event",
    "delay",
    "gap",
    "blackout",
    "recovery",
];

/// Words before a bare `H:MM` that make it a duration, which this reader does not take.
const DURATION_VERBS: &[&str] = &["for", "lasted", "lasting", "took", "duration"];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Every claim in a Markdown text, in order.
pub fn phrases(markdown: &str) -> Vec<Phrase> {
    let mut out = Vec::new();
    for block in plain::blocks(markdown) {
        for phrase in Reader::new(&block.text).read() {
            out.push(Phrase {
                range: block.source_range(phrase.range),
                claim: phrase.claim,
            });
        }
    }
    out
}

/// The tolerance of a duration from the smallest unit written, in seconds: a minute for
/// minutes and seconds; half an hour for whole hours ("14 hours" is 13h 30m to 14h 30m) and
/// 7.5 minutes for fractions of an hour ("1.5 hours", "half an hour").
fn tolerance(unit: i64, fractional: bool) -> i64 {
    match (unit, fractional) {
        (HOUR, false) => HOUR / 2,
        (HOUR, true) => HOUR / 8,
        _ => MINUTE,
    }
}

const MINUTE: i64 = 60;
const HOUR: i64 = 3600;

/// The seconds in a unit as written: `h`, `hours`, `min`, `s`. One-letter units are
/// lowercase only (`5 M` is five million, not minutes). Days and longer are not read: a
/// timeline is measured in hours and minutes, and "90 days" in a post-mortem is a
/// certificate's life or a retention, not a stretch of the incident.
fn unit_seconds(word: &str) -> Option<i64> {
    let seconds = match word {
        "s" => 1,
        "m" => MINUTE,
        "h" => HOUR,
        _ => match word.to_ascii_lowercase().as_str() {
            "sec" | "secs" | "second" | "seconds" => 1,
            "min" | "mins" | "minute" | "minutes" => MINUTE,
            "hr" | "hrs" | "hour" | "hours" => HOUR,
            _ => return None,
        },
    };
    Some(seconds)
}

/// The numbers from one to nineteen, as words.
const SMALL: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
/// The tens from twenty, as words.
const TENS: &[&str] = &[
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// A number written as a word: `one` to `nineteen`, and the tens.
fn number_word(word: &str) -> Option<u32> {
    // Every word of both lists has three to nine letters: most words are not read further.
    if !(3..=9).contains(&word.len()) {
        return None;
    }
    let find = |words: &[&str]| {
        words
            .iter()
            .position(|w| w.len() == word.len() && w.eq_ignore_ascii_case(word))
    };
    find(SMALL)
        .map(|i| i as u32 + 1)
        .or_else(|| find(TENS).map(|i| i as u32 * 10 + 20))
}

/// Whether `word` is one of `words`, ignoring ASCII case (the lengths and the first letters
/// are compared first: most words of a text are none of them).
fn any_word(word: &str, words: &[&str]) -> bool {
    let first = |w: &str| w.as_bytes().first().map(u8::to_ascii_lowercase);
    let initial = first(word);
    words
        .iter()
        .any(|w| w.len() == word.len() && first(w) == initial && w.eq_ignore_ascii_case(word))
}

/// A phrase of a block, with its range in the block's text.
struct Read {
    range: Range<usize>,
    claim: Claim,
}

/// An amount as written before a unit: `2`, `1.5`, `two`, `forty-five`, `an`, `half an`.
#[derive(Debug, Clone, Copy)]
struct Amount {
    value: f64,
    fractional: bool,
    /// `a` or `an`: one, but only right before a unit word.
    article: bool,
    /// `5+`.
    plus: bool,
    /// Token after the amount.
    end: usize,
}

/// An amount with its unit: `2 h`, `45 minutes`, `5-minute`.
#[derive(Debug, Clone, Copy)]
struct Term {
    amount: Amount,
    unit: i64,
    hyphen: bool,
    end: usize,
}

/// A clock time being read, before it becomes a [`ClockClaim`].
#[derive(Debug, Clone)]
struct Clock {
    start: usize,
    end: usize,
    hour: u32,
    minute: u32,
    second: u32,
    /// Whether the hour reads either way without AM/PM (`9:30`, not `09:30` or `21:30`).
    either: bool,
    pm: Option<bool>,
    zone: Option<Zone>,
    date: Option<Day>,
    /// Written `23:00-ish`.
    approximate: bool,
}

/// Reads the claims of one block of plain text.
struct Reader<'a> {
    text: &'a str,
    tokens: Vec<Token>,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            text,
            tokens: plain::tokens(text),
        }
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.tokens.get(i).map(|t| t.kind)
    }

    /// The text of token `i` if it is a word.
    fn word(&self, i: usize) -> Option<&'a str> {
        self.tokens
            .get(i)
            .filter(|t| t.kind == Kind::Word)
            .map(|t| &self.text[t.start..t.end])
    }

    fn str(&self, i: usize) -> &'a str {
        self.tokens
            .get(i)
            .map_or("", |t| &self.text[t.start..t.end])
    }

    fn is_number(&self, i: usize, digits: Range<usize>) -> bool {
        let s = self.str(i);
        self.kind(i) == Some(Kind::Number)
            && digits.contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_digit())
    }

    fn is_punct(&self, i: usize, chars: &[char]) -> bool {
        matches!(self.kind(i), Some(Kind::Punct(c)) if chars.contains(&c))
    }

    fn is_word(&self, i: usize, words: &[&str]) -> bool {
        self.word(i).is_some_and(|s| any_word(s, words))
    }

    fn is_space(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Space)
    }

    /// Token `i` after a space, if there is one.
    fn spaced(&self, i: usize) -> Option<usize> {
        self.is_space(i).then_some(i + 1)
    }

    fn start(&self, i: usize) -> usize {
        self.tokens.get(i).map_or(self.text.len(), |t| t.start)
    }

    /// The end of the text of the tokens before `i`.
    fn end(&self, i: usize) -> usize {
        i.checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |t| t.end)
    }

    fn read(&self) -> Vec<Read> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            // Every reading starts at a number or a word ("two hours", "October 20").
            if !matches!(self.kind(i), Some(Kind::Number | Kind::Word)) {
                i += 1;
                continue;
            }
            i = self
                .dated_clock(i, &mut out)
                .or_else(|| self.clocks(i, &mut out))
                .or_else(|| self.duration(i, &mut out))
                .unwrap_or(i + 1);
        }
        out.sort_by_key(|r| r.range.start);
        out
    }

    /// Whether a number may start at token `i`: not glued to letters, digits or the dots and
    /// colons of versions and times (`p99`, `SEV1`, `v1`, `24/7`), and not the second half of
    /// `10-20` or of an id like `pg-01`.
    fn standalone(&self, i: usize) -> bool {
        let Some(prev) = i.checked_sub(1) else {
            return true;
        };
        match self.kind(prev) {
            Some(Kind::Number | Kind::Word | Kind::Other) => false,
            Some(Kind::Punct(c)) if ":./'_@#$€£\\".contains(c) => false,
            Some(Kind::Punct('-' | '–')) => !matches!(
                prev.checked_sub(1).and_then(|p| self.kind(p)),
                Some(Kind::Number | Kind::Word | Kind::Other)
            ),
            _ => true,
        }
    }

    /// Up to `n` words right before token `i`, each one space apart, nearest last, with the
    /// token each starts at.
    fn words_before(&self, i: usize, n: usize) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        let mut at = i;
        while out.len() < n
            && at >= 2
            && self.is_space(at - 1)
            && self.kind(at - 2) == Some(Kind::Word)
        {
            at -= 2;
            out.push((at, self.str(at).to_ascii_lowercase()));
        }
        out.reverse();
        out
    }

    /// The first of `patterns` that ends right before token `i`, and where it starts.
    fn phrase_before<'p, T>(
        &self,
        i: usize,
        patterns: impl IntoIterator<Item = (&'p [&'p str], T)>,
    ) -> Option<(usize, T)> {
        let words = self.words_before(i, 3);
        patterns.into_iter().find_map(|(pattern, value)| {
            let tail = words.get(words.len().checked_sub(pattern.len())?..)?;
            let same = tail.iter().zip(pattern).all(|((_, w), p)| w == p);
            same.then(|| (tail[0].0, value))
        })
    }

    /// Up to `n` words right after token `i` (which follows the phrase), one space apart.
    fn words_after(&self, i: usize, n: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut at = i;
        while out.len() < n && self.is_space(at) && self.kind(at + 1) == Some(Kind::Word) {
            out.push(self.str(at + 1).to_ascii_lowercase());
            at += 2;
        }
        out
    }

    // ---- Durations ----

    fn amount(&self, i: usize) -> Option<Amount> {
        let mut amount = Amount {
            value: 0.0,
            fractional: false,
            article: false,
            plus: false,
            end: i + 1,
        };
        match self.kind(i)? {
            Kind::Number => {
                let digits: String = self.str(i).chars().filter(|c| *c != ',').collect();
                amount.value = digits.parse().ok()?;
                amount.fractional = amount.value.fract() != 0.0;
                if self.is_punct(i + 1, &['+']) && !self.is_number(i + 2, 1..99) {
                    amount.plus = true;
                    amount.end = i + 2;
                }
            }
            Kind::Word if self.is_word(i, &["a", "an"]) => {
                amount.value = 1.0;
                amount.article = true;
            }
            Kind::Word if self.is_word(i, &["half"]) => {
                amount.value = 0.5;
                amount.fractional = true;
                if let Some(j) = self.spaced(i + 1)
                    && self.is_word(j, &["a", "an"])
                {
                    amount.end = j + 1;
                }
            }
            Kind::Word => {
                let mut value = number_word(self.str(i))?;
                let tens = value >= 20;
                if tens
                    && self.is_punct(i + 1, &['-'])
                    && let Some(unit) = number_word(self.str(i + 2)).filter(|u| *u < 10)
                {
                    value += unit;
                    amount.end = i + 3;
                }
                amount.value = f64::from(value);
            }
            _ => return None,
        }
        // "two and a half hours"
        if !amount.article
            && !amount.fractional
            && let Some(end) = self.and_a_half(amount.end)
        {
            amount.end = end;
            amount.value += 0.5;
            amount.fractional = true;
        }
        Some(amount)
    }

    /// The token after " and a half" at `i`, if it is there.
    fn and_a_half(&self, i: usize) -> Option<usize> {
        let j = self.spaced(i)?;
        let k = self.spaced(j + 1)?;
        let l = self.spaced(k + 1)?;
        (self.is_word(j, &["and"]) && self.is_word(k, &["a"]) && self.is_word(l, &["half"]))
            .then_some(l + 1)
    }

    fn unit(&self, i: usize) -> Option<i64> {
        (self.kind(i)? == Kind::Word)
            .then(|| unit_seconds(self.str(i)))
            .flatten()
    }

    fn term(&self, i: usize) -> Option<Term> {
        let mut amount = self.amount(i)?;
        let j = amount.end;
        let digits = self.kind(i) == Some(Kind::Number);
        let (unit_at, hyphen) =
            if !amount.article && self.is_punct(j, &['-']) && self.unit(j + 1).is_some() {
                (j + 1, true)
            } else if self.is_space(j) && self.unit(j + 1).is_some() {
                (j + 1, false)
            } else if digits && !amount.plus && self.unit(j).is_some() {
                (j, false)
            } else {
                return None;
            };
        let unit = self.unit(unit_at)?;
        let mut end = unit_at + 1;
        // "an hour and a half"
        if !hyphen
            && !amount.fractional
            && let Some(after) = self.and_a_half(end)
        {
            amount.value += 0.5;
            amount.fractional = true;
            end = after;
        }
        Some(Term {
            amount,
            unit,
            hyphen,
            end,
        })
    }

    /// The second term of a range at the token after the first amount: "-3 hours",
    /// " to 3 hours", " or 3 hours", and " and 3 hours" after "between".
    fn range_end(&self, first: &Amount, between: bool) -> Option<Term> {
        let mut k = first.end;
        if self.is_space(k) {
            k += 1;
        }
        let dash = self.is_punct(k, &['-', '–']);
        let word = self.is_word(k, &["to", "or"]) || (between && self.is_word(k, &["and"]));
        if !(dash || word) || first.article || first.plus {
            return None;
        }
        k += 1;
        if self.is_space(k) {
            k += 1;
        } else if word {
            return None;
        }
        let term = self.term(k)?;
        (!term.amount.article && !term.hyphen && term.amount.value > first.value).then_some(term)
    }

    /// The next term of "2 h 52 m", "8 hours and 39 minutes", "1 hour, 5 minutes": a smaller
    /// unit right after `end`.
    fn next_term(&self, end: usize, unit: i64) -> Option<Term> {
        let mut k = end;
        if self.is_punct(k, &[',']) {
            k += 1;
        }
        if self.is_space(k) {
            k += 1;
        }
        if self.is_word(k, &["and"]) {
            k = self.spaced(k + 1)?;
        }
        let counted = self.kind(k) == Some(Kind::Number) || number_word(self.str(k)).is_some();
        let term = self.term(k)?;
        let plain = !term.hyphen && !term.amount.plus;
        (counted && plain && term.unit < unit).then_some(term)
    }

    /// Reads a duration at token `i`; the token after it when one is there, claim or not.
    fn duration(&self, i: usize, out: &mut Vec<Read>) -> Option<usize> {
        if !self.standalone(i) {
            return None;
        }
        let first = self.amount(i)?;
        let between = self
            .words_before(i, 1)
            .first()
            .is_some_and(|(_, w)| w == "between");
        let (low, mut term) = match self.range_end(&first, between) {
            Some(term) => (Some(first.value), term),
            None => (None, self.term(i)?),
        };
        let mut seconds = term.amount.value * term.unit as f64;
        let mut unit = term.unit;
        let mut fractional = term.amount.fractional;
        let range = low.is_some();
        while !term.hyphen
            && !range
            && let Some(next) = self.next_term(term.end, unit)
        {
            seconds += next.amount.value * next.unit as f64;
            unit = next.unit;
            fractional = next.amount.fractional;
            term = next;
        }
        let mut end = term.end;
        let mut quantifier = if first.plus {
            Quantifier::AtLeast
        } else {
            Quantifier::Exact
        };
        // "2 hours or so"
        if let Some(j) = self.spaced(end)
            && self.is_word(j, &["or"])
            && let Some(k) = self.spaced(j + 1)
            && let Some((_, q)) = AFTER_QUANTIFIERS
                .iter()
                .find(|(w, _)| self.is_word(k, &[w]))
        {
            quantifier = *q;
            end = k + 1;
        }
        let mut start = i;
        let tilde = |k: usize| self.is_punct(k, &['~', '≈']).then_some(k);
        let spaced_tilde = i
            .checked_sub(2)
            .filter(|_| self.is_space(i - 1))
            .and_then(tilde);
        if let Some((at, q)) = self.phrase_before(i, QUANTIFIERS.iter().copied()) {
            quantifier = q;
            start = at;
        } else if let Some(at) = i.checked_sub(1).and_then(tilde).or(spaced_tilde) {
            quantifier = Quantifier::About;
            start = at;
        }
        let setting = self.is_setting(start, end, term.hyphen);
        let high = seconds;
        let low = low.map_or(high, |v| v * term.unit as f64);
        if setting || high < MINUTE as f64 {
            return Some(end);
        }
        let claim = bounds(low, high, tolerance(unit, fractional), quantifier);
        out.push(Read {
            range: self.start(start)..self.end(end),
            claim: Claim::Duration(claim),
        });
        Some(end)
    }

    /// Whether the duration from token `start` to `end` describes a setting or a cadence rather
    /// than the incident.
    fn is_setting(&self, start: usize, end: usize, hyphen: bool) -> bool {
        let after = self.words_after(end, 3);
        if hyphen {
            return !after.iter().any(|w| INCIDENT_NOUNS.contains(&w.as_str()));
        }
        if after
            .iter()
            .take(2)
            .any(|w| SETTING_NOUNS.contains(&w.as_str()))
        {
            return true;
        }
        // "6 hours of data": an amount of something, not a stretch of the timeline.
        if after.first().is_some_and(|w| w == "of")
            && after[1..]
                .iter()
                .any(|w| MEASURED_NOUNS.contains(&w.as_str()))
        {
            return true;
        }
        let before = self.words_before(start, 3);
        let mut words = before.iter().rev().map(|(_, w)| w.as_str());
        let Some(first) = words.next() else {
            return false;
        };
        if CADENCE.contains(&first) {
            return true;
        }
        let mut words = std::iter::once(first).chain(words);
        let level = words
            .clone()
            .find(|w| !["to", "at", "of", "by", "from"].contains(w))
            .is_some_and(|w| LEVEL_VERBS.contains(&w));
        level
            || words
                .find(|w| !FILLERS.contains(w))
                .is_some_and(|w| SETTING_NOUNS.contains(&w))
    }

    // ---- Clock times ----

    /// Reads a date at token `i` and the clock time after it ("2025-10-20 14:20",
    /// "October 20 at 2:40 AM"); a date alone is skipped.
    fn dated_clock(&self, i: usize, out: &mut Vec<Read>) -> Option<usize> {
        match self.dated(i)? {
            Ok(clock) => Some(self.push_clocks(clock, out)),
            Err(end) => Some(end),
        }
    }

    /// A date at token `i` with the clock time after it, or the token after a date alone.
    fn dated(&self, i: usize) -> Option<Result<Clock, usize>> {
        let free = match self.kind(i)? {
            Kind::Number => self.standalone(i),
            Kind::Word => !matches!(
                i.checked_sub(1).and_then(|p| self.kind(p)),
                Some(Kind::Number | Kind::Other)
            ),
            _ => false,
        };
        if !free {
            return None;
        }
        // "Wednesday, 2026-03-04 11:47"
        let mut d = i;
        if self.is_word(i, WEEKDAYS) {
            let k = if self.is_punct(i + 1, &[',']) {
                i + 2
            } else {
                i + 1
            };
            d = self.spaced(k)?;
        }
        let (day, j) = self.day(d)?;
        let iso = self.is_word(j, &["T"]);
        let at = if iso {
            Some(j + 1)
        } else {
            let k = if self.is_punct(j, &[',']) { j + 1 } else { j };
            self.spaced(k).map(
                |k| match self.is_word(k, &["at"]).then(|| self.spaced(k + 1)) {
                    Some(Some(after)) => after,
                    _ => k,
                },
            )
        };
        let clock = at.and_then(|k| self.clock(k, true, iso));
        Some(match clock {
            Some(mut clock) => {
                clock.date = Some(day);
                clock.start = i;
                Ok(clock)
            }
            None => Err(j),
        })
    }

    /// A date at token `i`: `2025-10-20`, `20 October [2025]`, `October 20[, 2025]`, `21st Oct`.
    fn day(&self, i: usize) -> Option<(Day, usize)> {
        if self.is_number(i, 4..5)
            && self.is_punct(i + 1, &['-'])
            && self.is_number(i + 2, 2..3)
            && self.is_punct(i + 3, &['-'])
            && self.is_number(i + 4, 2..3)
        {
            let day = Day {
                year: self.str(i).parse().ok(),
                month: self.str(i + 2).parse().ok()?,
                day: self.str(i + 4).parse().ok()?,
            };
            return valid(day).map(|d| (d, i + 5));
        }
        let (month, day, j) = if let Some((day, j)) = self.day_of_month(i)
            && let Some(j) = self.spaced(j)
            && let Some((month, j)) = self.month(j)
        {
            (month, day, j)
        } else {
            let (month, j) = self.month(i)?;
            let (day, j) = self.day_of_month(self.spaced(j)?)?;
            (month, day, j)
        };
        let mut year = None;
        let mut end = j;
        let k = if self.is_punct(j, &[',']) { j + 1 } else { j };
        if let Some(k) = self.spaced(k)
            && self.is_number(k, 4..5)
            && !self.is_punct(k + 1, &[':'])
        {
            year = self.str(k).parse().ok();
            end = k + 1;
        }
        valid(Day { year, month, day }).map(|d| (d, end))
    }

    /// `20`, `20th`, `1st`.
    fn day_of_month(&self, i: usize) -> Option<(u32, usize)> {
        if !self.is_number(i, 1..3) {
            return None;
        }
        let day = self.str(i).parse().ok()?;
        let end = if self.is_word(i + 1, &["st", "nd", "rd", "th"]) {
            i + 2
        } else {
            i + 1
        };
        Some((day, end))
    }

    /// A capitalised month name or its three-letter abbreviation (`Sept` too), with an
    /// optional dot.
    fn month(&self, i: usize) -> Option<(u32, usize)> {
        let word = self.word(i)?;
        if !word.starts_with(|c: char| c.is_ascii_uppercase()) {
            return None;
        }
        let is = |name: &str| name.eq_ignore_ascii_case(word);
        let month = MONTHS.iter().position(|m| {
            is(m) || (word.len() == 3 && is(&m[..3])) || is("sept") && *m == "september"
        })?;
        let abbreviated = (word.len() == 3 || is("sept")) && !is("may");
        let end = if abbreviated && self.is_punct(i + 1, &['.']) {
            i + 2
        } else {
            i + 1
        };
        Some((month as u32 + 1, end))
    }

    /// Reads a clock time at token `i`, and a second one when a range follows
    /// ("11:48 PM - 2:40 AM", "from 14:06 to 14:27 CET").
    fn clocks(&self, i: usize, out: &mut Vec<Read>) -> Option<usize> {
        let clock = self.clock(i, false, false)?;
        let bare = clock.pm.is_none() && clock.zone.is_none() && clock.date.is_none();
        let after_verb = self
            .words_before(i, 1)
            .first()
            .is_some_and(|(_, w)| DURATION_VERBS.contains(&w.as_str()));
        if bare && after_verb {
            return Some(clock.end);
        }
        Some(self.push_clocks(clock, out))
    }

    /// Pushes `first`, and the clock time of a range that follows it, which lends the first its
    /// zone and year when it has none, and makes it read either way when only the second has
    /// AM/PM; the token after the last one read.
    fn push_clocks(&self, mut first: Clock, out: &mut Vec<Read>) -> usize {
        let second = self
            .range_connector(first.end)
            .and_then(|k| match self.dated(k) {
                Some(Ok(clock)) => Some(clock),
                _ => self.clock(k, true, false),
            });
        let mut end = first.end;
        if let Some(second) = second {
            if first.zone.is_none() {
                first.zone.clone_from(&second.zone);
            }
            if let (Some(day), Some(other)) = (&mut first.date, &second.date)
                && day.year.is_none()
            {
                day.year = other.year;
            }
            if first.pm.is_none() && second.pm.is_some() && (1..=12).contains(&first.hour) {
                first.either = true;
            }
            end = second.end;
            if !self.is_schedule(first.start, end) {
                self.push_clock(second, out);
            }
        }
        if !self.is_schedule(first.start, end) {
            self.push_clock(first, out);
        }
        end
    }

    /// Whether the clock times from token `start` to `end` are a schedule rather than a moment
    /// of the incident: "every day at 02:00", "the batch window (08:30-10:00)", "from 08:30 to
    /// 10:00 every weekday".
    fn is_schedule(&self, mut start: usize, end: usize) -> bool {
        while start > 0 && self.is_punct(start - 1, &['(', '[', '"', '“', '*', '_']) {
            start -= 1;
        }
        let before = self.words_before(start, 4);
        let near = &before[before.len().saturating_sub(3)..];
        // "we will provide an update by 02:00", "next update at 14:00": a promise.
        let promised_update = before.windows(2).any(|pair| {
            ["next", "an", "another", "further", "new"].contains(&pair[0].1.as_str())
                && ["update", "updates"].contains(&pair[1].1.as_str())
        });
        let after = self.words_after(end, 2);
        promised_update
            || near
                .iter()
                .any(|(_, w)| SCHEDULE_BEFORE.contains(&w.as_str()))
            || after.iter().any(|w| SCHEDULE_AFTER.contains(&w.as_str()))
    }

    /// The token after a range's connector (`-`, `–`, `to`, `until`, `till`, `through`, `and`)
    /// at `i`.
    fn range_connector(&self, i: usize) -> Option<usize> {
        let mut k = i;
        if self.is_space(k) {
            k += 1;
        }
        if self.is_punct(k, &['-', '–', '—']) {
            k += 1;
            return Some(if self.is_space(k) { k + 1 } else { k });
        }
        let word = self.is_word(k, &["to", "until", "till", "through", "and"]);
        (word && k > i).then(|| self.spaced(k + 1)).flatten()
    }

    fn push_clock(&self, clock: Clock, out: &mut Vec<Read>) {
        let mut start = clock.start;
        let mut tolerance = if clock.approximate {
            APPROXIMATE_TIME_TOLERANCE
        } else {
            MINUTE
        };
        let approximate = APPROXIMATE_TIME.iter().map(|p| (*p, ()));
        if let Some((at, ())) = self.phrase_before(clock.start, approximate) {
            start = at;
            tolerance = APPROXIMATE_TIME_TOLERANCE;
        }
        let hour = match clock.pm {
            Some(pm) => clock.hour % 12 + if pm { 12 } else { 0 },
            None => clock.hour,
        };
        let mut readings: Vec<NaiveTime> = [Some(hour), clock.either.then_some((hour + 12) % 24)]
            .into_iter()
            .flatten()
            .filter_map(|h| NaiveTime::from_hms_opt(h, clock.minute, clock.second))
            .collect();
        readings.dedup();
        out.push(Read {
            range: self.start(start)..self.end(clock.end),
            claim: Claim::Clock(ClockClaim {
                readings,
                zone: clock.zone,
                date: clock.date,
                tolerance,
            }),
        });
    }

    /// A clock time at token `i`: `14:20`, `2:40 AM`, `2:40pm`, `10:11:12 UTC`, `06:48Z`,
    /// `4:05 AM PDT on 21 October`. `placed`: the caller has read what comes before it (a
    /// date, a range); `iso`: after the `T` of ISO 8601, where an offset may be glued on.
    fn clock(&self, i: usize, placed: bool, iso: bool) -> Option<Clock> {
        if !(placed || self.standalone(i)) || !self.is_number(i, 1..3) {
            return None;
        }
        if !(self.is_punct(i + 1, &[':']) && self.is_number(i + 2, 2..3)) {
            return None;
        }
        let hour: u32 = self.str(i).parse().ok()?;
        let minute: u32 = self.str(i + 2).parse().ok()?;
        let mut second = 0;
        let mut end = i + 3;
        if self.is_punct(end, &[':']) && self.is_number(end + 1, 2..3) {
            second = self.str(end + 1).parse().ok()?;
            end += 2;
        }
        if minute > 59 || second > 59 {
            return None;
        }
        // `10:30.5`, `1:30:00:00`, `10:30x`: not a time.
        if self.kind(end) == Some(Kind::Number)
            || (self.is_punct(end, &[':', '.']) && self.kind(end + 1) == Some(Kind::Number))
        {
            return None;
        }
        let (pm, end) = self.meridiem(end);
        let (zone, mut end) = self.zone(end, iso);
        // "23:00-ish"
        let ish = self.is_punct(end, &['-']) && self.is_word(end + 1, &["ish"]);
        if ish {
            end += 2;
        }
        if matches!(self.kind(end), Some(Kind::Word | Kind::Other)) {
            return None;
        }
        match pm {
            Some(_) if !(1..=12).contains(&hour) => return None,
            None if hour > 23 => return None,
            _ => {}
        }
        let (date, end) = match self.date_after(end) {
            Some((date, end)) => (Some(date), end),
            None => (None, end),
        };
        let padded = self.str(i).len() == 2 && self.str(i).starts_with('0');
        Some(Clock {
            start: i,
            end,
            hour,
            minute,
            second,
            either: pm.is_none() && !padded && (1..=12).contains(&hour),
            pm,
            zone,
            date,
            approximate: ish,
        })
    }

    /// `AM`, `pm`, `a.m.` right after a time (glued or after a space): whether it is PM, and
    /// the token after it.
    fn meridiem(&self, i: usize) -> (Option<bool>, usize) {
        let j = self.spaced(i).unwrap_or(i);
        if self.is_word(j, &["am", "pm"]) {
            return (Some(self.is_word(j, &["pm"])), j + 1);
        }
        if self.is_word(j, &["a", "p"])
            && self.is_punct(j + 1, &['.'])
            && self.is_word(j + 2, &["m"])
        {
            let end = if self.is_punct(j + 3, &['.']) {
                j + 4
            } else {
                j + 3
            };
            return (Some(self.is_word(j, &["p"])), end);
        }
        (None, i)
    }

    /// A zone right after a time: `Z` (glued), ` PDT`, ` UTC`, ` UTC+2`, ` GMT-07:00`,
    /// ` US/Pacific`; after an ISO date, a glued offset (`+02:00`) too.
    fn zone(&self, i: usize, iso: bool) -> (Option<Zone>, usize) {
        if self.kind(i) == Some(Kind::Word) && self.str(i) == "Z" {
            return (
                Some(zone("Z", time::abbreviation_offsets("Z").to_vec())),
                i + 1,
            );
        }
        if iso && let Some((offset, end)) = self.offset(i) {
            return (
                Some(zone(&self.text[self.start(i)..self.end(end)], vec![offset])),
                end,
            );
        }
        let Some(j) = self.spaced(i) else {
            return (None, i);
        };
        if let Some((tz, end)) = self.iana(j) {
            let name = &self.text[self.start(j)..self.end(end)];
            let zone = Zone {
                name: name.to_owned(),
                offsets: Offsets::Iana(tz),
            };
            return (Some(zone), end);
        }
        let word = self.str(j);
        let upper = self.kind(j) == Some(Kind::Word)
            && (1..=5).contains(&word.len())
            && word.bytes().all(|b| b.is_ascii_uppercase());
        let offsets = if upper {
            time::abbreviation_offsets(word)
        } else {
            &[]
        };
        if offsets.is_empty() {
            return (None, i);
        }
        if (word == "UTC" || word == "GMT")
            && let Some((offset, end)) = self.offset(j + 1)
        {
            return (
                Some(zone(&self.text[self.start(j)..self.end(end)], vec![offset])),
                end,
            );
        }
        (Some(zone(word, offsets.to_vec())), j + 1)
    }

    /// An IANA zone name at `i`, `US/Pacific` or `America/Argentina/Buenos_Aires`: words joined
    /// by `/`, `_` and `-`, with a `/`.
    fn iana(&self, i: usize) -> Option<(Tz, usize)> {
        let mut end = i;
        while matches!(
            self.kind(end),
            Some(Kind::Word | Kind::Punct('/' | '_' | '-'))
        ) {
            end += 1;
        }
        while end > i && self.kind(end - 1) != Some(Kind::Word) {
            end -= 1;
        }
        let name = self.text.get(self.start(i)..self.end(end))?;
        if !name.contains('/') {
            return None;
        }
        time::parse_zone(name).map(|tz| (tz, end))
    }

    /// An offset glued at `i`: `+2`, `-7`, `+02:00`, `+0530`, `−07:00`.
    fn offset(&self, i: usize) -> Option<(FixedOffset, usize)> {
        let sign = match self.kind(i)? {
            Kind::Punct('+') => 1,
            Kind::Punct('-' | '−') => -1,
            _ => return None,
        };
        let digits = self.str(i + 1);
        if !self.is_number(i + 1, 1..5) {
            return None;
        }
        let (hours, mut minutes, mut end) = match digits.len() {
            1 | 2 => (digits.parse::<i32>().ok()?, 0, i + 2),
            4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?, i + 2),
            _ => return None,
        };
        if digits.len() <= 2 && self.is_punct(end, &[':']) && self.is_number(end + 1, 2..3) {
            minutes = self.str(end + 1).parse().ok()?;
            end += 2;
        }
        if minutes > 59 {
            return None;
        }
        FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60)).map(|o| (o, end))
    }

    /// ` on 21 October`, ` on October 20`, ` on the 21st October` after a time.
    fn date_after(&self, i: usize) -> Option<(Day, usize)> {
        let j = self.spaced(i)?;
        if !self.is_word(j, &["on"]) {
            return None;
        }
        let mut k = self.spaced(j + 1)?;
        if self.is_word(k, &["the"]) {
            k = self.spaced(k + 1)?;
        }
        self.day(k)
    }
}

fn zone(name: &str, offsets: Vec<FixedOffset>) -> Zone {
    Zone {
        name: name.to_owned(),
        offsets: Offsets::Fixed(offsets),
    }
}

/// The day if it exists (in a leap year when no year is given).
fn valid(day: Day) -> Option<Day> {
    NaiveDate::from_ymd_opt(day.year.unwrap_or(2000), day.month, day.day).map(|_| day)
}

/// What a duration of `low..=high` seconds (one value when equal) accepts, with `tolerance`
/// and the quantifier's widening.
fn bounds(low: f64, high: f64, tolerance: i64, quantifier: Quantifier) -> DurationClaim {
    let low = low.round() as i64;
    let high = high.round() as i64;
    let fifth = |v: i64| (v / 5).max(tolerance);
    let (min, max) = match quantifier {
        Quantifier::Exact => (low - tolerance, Some(high + tolerance)),
        Quantifier::About => (low - fifth(low), Some(high + fifth(high))),
        Quantifier::AtLeast => (low - tolerance, None),
        Quantifier::AtMost => (0, Some(high + tolerance)),
        Quantifier::Nearly => (low - fifth(low), Some(high + tolerance)),
    };
    DurationClaim {
        written: (low, high),
        min: min.max(0),
        max,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_words_have_three_to_nine_letters() {
        // `number_word` looks only at words of these lengths.
        for word in SMALL.iter().chain(TENS) {
            assert!((3..=9).contains(&word.len()), "{word}");
        }
        assert_eq!(number_word("Nineteen"), Some(19));
        assert_eq!(number_word("forty"), Some(40));
        assert_eq!(number_word("fortyish"), None);
    }
    use crate::metrics::human_duration;
    use chrono::TimeDelta;

    /// A claim in a line: `2h 51m..2h 53m` (`..` with no end after "over"), or
    /// `02:40|14:40 PDT 10-21 ~` (readings, zone, date, `~` when approximate).
    fn describe(claim: &Claim) -> String {
        match claim {
            Claim::Duration(d) => {
                let human = |s: i64| human_duration(TimeDelta::seconds(s));
                format!("{}..{}", human(d.min), d.max.map(human).unwrap_or_default())
            }
            Claim::Clock(c) => {
                let mut out: Vec<String> = vec![
                    c.readings
                        .iter()
                        .map(|t| {
                            t.format(if t.format("%S").to_string() == "00" {
                                "%H:%M"
                            } else {
                                "%H:%M:%S"
                            })
                            .to_string()
                        })
                        .collect::<Vec<_>>()
                        .join("|"),
                ];
                if let Some(zone) = &c.zone {
                    out.push(zone.name.clone());
                }
                if let Some(d) = c.date {
                    out.push(match d.year {
                        Some(y) => format!("{y}-{:02}-{:02}", d.month, d.day),
                        None => format!("{:02}-{:02}", d.month, d.day),
                    });
                }
                if c.tolerance != MINUTE {
                    out.push("~".into());
                }
                out.join(" ")
            }
        }
    }

    /// One row per input: the Markdown, and each phrase read (its text, [`describe`]).
    type Rows<'a> = &'a [(&'a str, &'a [(&'a str, &'a str)])];

    fn assert_reads(cases: Rows) {
        for (markdown, expected) in cases {
            let got = read(markdown);
            let got: Vec<(&str, &str)> =
                got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            assert_eq!(got, *expected, "{markdown:?}");
        }
    }

    fn read(markdown: &str) -> Vec<(String, String)> {
        phrases(markdown)
            .iter()
            .map(|p| (markdown[p.range.clone()].to_owned(), describe(&p.claim)))
            .collect()
    }

    /// One row per input: each phrase read (its text, what it claims), or none.
    #[test]
    fn reads_durations() {
        let cases: Rows = &[
            ("for 2 h 52 m", &[("2 h 52 m", "2h 51m..2h 53m")]),
            ("for 2h52m", &[("2h52m", "2h 51m..2h 53m")]),
            ("(14 h 32 m)", &[("14 h 32 m", "14h 31m..14h 33m")]),
            (
                "for 8 hours 39 minutes",
                &[("8 hours 39 minutes", "8h 38m..8h 40m")],
            ),
            (
                "8 hours and 39 minutes",
                &[("8 hours and 39 minutes", "8h 38m..8h 40m")],
            ),
            (
                "1 hour, 5 minutes",
                &[("1 hour, 5 minutes", "1h 4m..1h 6m")],
            ),
            ("for 45 minutes.", &[("45 minutes", "44m..46m")]),
            ("for 21 min", &[("21 min", "20m..22m")]),
            ("**38 minutes**", &[("38 minutes", "37m..39m")]),
            ("1h 58m", &[("1h 58m", "1h 57m..1h 59m")]),
            ("90 seconds", &[("90 seconds", "30s..2m 30s")]),
            // Whole hours are rounded: half an hour either way.
            ("14 hours", &[("14 hours", "13h 30m..14h 30m")]),
            ("an hour later", &[("an hour", "30m..1h 30m")]),
            ("two hours", &[("two hours", "1h 30m..2h 30m")]),
            ("forty-five minutes", &[("forty-five minutes", "44m..46m")]),
            ("Fifteen minutes clean", &[("Fifteen minutes", "14m..16m")]),
            ("3 days", &[]),
            ("expired after 90 days", &[]),
            // Fractions of an hour: 7.5 minutes either way.
            ("1.5 hours", &[("1.5 hours", "1h 22m..1h 37m")]),
            ("half an hour", &[("half an hour", "22m 30s..37m 30s")]),
            ("a half hour", &[("half hour", "22m 30s..37m 30s")]),
            (
                "an hour and a half",
                &[("an hour and a half", "1h 22m..1h 37m")],
            ),
            (
                "two and a half hours",
                &[("two and a half hours", "2h 22m..2h 37m")],
            ),
            // Ranges: from the low end to the high end, with the tolerance.
            ("2-3 hours", &[("2-3 hours", "1h 30m..3h 30m")]),
            ("2–3 hours", &[("2–3 hours", "1h 30m..3h 30m")]),
            ("2 to 3 hours", &[("2 to 3 hours", "1h 30m..3h 30m")]),
            (
                "between 20 and 30 minutes",
                &[("20 and 30 minutes", "19m..31m")],
            ),
            ("20 and 30 minutes", &[("30 minutes", "29m..31m")]),
            // Approximate words widen instead of hiding.
            ("for about 3 hours", &[("about 3 hours", "2h 24m..3h 36m")]),
            (
                "approximately 3h",
                &[("approximately 3h", "2h 24m..3h 36m")],
            ),
            ("roughly 40 minutes", &[("roughly 40 minutes", "32m..48m")]),
            ("~45 min", &[("~45 min", "36m..54m")]),
            ("~ 45 min", &[("~ 45 min", "36m..54m")]),
            ("2 hours or so", &[("2 hours or so", "1h 30m..2h 30m")]),
            ("some 40 minutes", &[("some 40 minutes", "32m..48m")]),
            ("2 hours or more", &[("2 hours or more", "1h 30m..")]),
            ("just over 2 hours", &[("just over 2 hours", "1h 30m..")]),
            ("30 minutes or less", &[("30 minutes or less", "0m..31m")]),
            ("over 14 hours", &[("over 14 hours", "13h 30m..")]),
            ("more than 2 hours", &[("more than 2 hours", "1h 30m..")]),
            ("at least 50 minutes", &[("at least 50 minutes", "49m..")]),
            ("5+ minutes", &[("5+ minutes", "4m..")]),
            ("within 2 minutes", &[("within 2 minutes", "0m..3m")]),
            ("up to 1 h 50 m", &[("up to 1 h 50 m", "0m..1h 51m")]),
            ("less than an hour", &[("less than an hour", "0m..1h 30m")]),
            ("nearly 3 hours", &[("nearly 3 hours", "2h 24m..3h 30m")]),
            (
                "just under 2 hours",
                &[("just under 2 hours", "1h 30m..2h 30m")],
            ),
            // Settings, cadences and other measures are not claims about the timeline.
            ("a 5-minute TTL", &[]),
            ("the 15-minute window", &[]),
            ("every 30 seconds", &[]),
            ("every 5 minutes", &[]),
            ("once an hour", &[]),
            ("a TTL of 5 minutes", &[]),
            ("the 30 s leader TTL", &[]),
            ("over 5 m and 1 h windows", &[("over 5 m", "4m..")]),
            ("were up to 4 minutes stale", &[]),
            ("2 hours ago", &[]),
            ("a timeout of 10 minutes", &[]),
            (
                "delays greater than 5 minutes",
                &[("greater than 5 minutes", "4m..")],
            ),
            ("p99 latency rose to 2 minutes", &[]),
            ("MTTR dropped to 45m", &[]),
            ("our RPO 15 minutes", &[]),
            ("we lost 6 hours of database data", &[]),
            ("the remaining 7 hours of work", &[]),
            ("2 hours of downtime", &[("2 hours", "1h 30m..2h 30m")]),
            ("replication lag of 40 minutes", &[]),
            ("p99 latency of about 3 minutes", &[]),
            ("a 46-minute write outage", &[("46-minute", "45m..47m")]),
            ("a 40-minute delay", &[("40-minute", "39m..41m")]),
            ("a 90-minute disruption", &[("90-minute", "1h 29m..1h 31m")]),
            (
                "an hour and 45 minutes",
                &[("an hour and 45 minutes", "1h 44m..1h 46m")],
            ),
            // Under a minute: latencies and settings, never the timeline.
            ("about 1.5 s", &[]),
            ("2.8 s against a 600 ms SLO", &[]),
            ("within 30 seconds", &[]),
            // Numbers that are not durations.
            ("SEV1", &[]),
            ("99.9%", &[]),
            ("HTTP 503 errors", &[]),
            ("24/7", &[]),
            ("version 1.2.3", &[]),
            ("10.0.0.1", &[]),
            ("2.1 GB", &[]),
            ("1,900 calls", &[]),
            ("60-70% of those", &[]),
            ("p99 and 5xx", &[]),
            ("5 M requests", &[]),
            ("a few minutes", &[]),
            ("many hours", &[]),
            ("the 2nd hour", &[]),
            ("6 weeks", &[]),
            ("`5 minutes`", &[]),
            ("for `5` minutes", &[]),
            ("```\n5 minutes\n```", &[]),
            ("[docs](https://x/5 minutes)", &[]),
            ("pg-01 h", &[]),
        ];
        assert_reads(cases);
    }

    /// One row per input: each clock time read (its text, what it claims), or none.
    #[test]
    fn reads_clock_times() {
        let cases: Rows = &[
            ("at 2:40 AM", &[("2:40 AM", "02:40")]),
            ("at 2:40 PM", &[("2:40 PM", "14:40")]),
            ("at 2:40pm.", &[("2:40pm", "14:40")]),
            ("at 2:40 p.m. today", &[("2:40 p.m.", "14:40")]),
            ("12:11 AM", &[("12:11 AM", "00:11")]),
            ("12:30 PM", &[("12:30 PM", "12:30")]),
            ("at 14:20", &[("14:20", "14:20")]),
            ("at 09:58", &[("09:58", "09:58")]),
            ("00:20", &[("00:20", "00:20")]),
            // Without AM/PM or a leading zero, 1 to 12 reads either way.
            ("at 9:36", &[("9:36", "09:36|21:36")]),
            ("until 10:35", &[("10:35", "10:35|22:35")]),
            ("at 10:11:12", &[("10:11:12", "10:11:12|22:11:12")]),
            ("10:11 GMT", &[("10:11 GMT", "10:11|22:11 GMT")]),
            ("14:10 CET", &[("14:10 CET", "14:10 CET")]),
            ("14:10 CEST", &[("14:10 CEST", "14:10 CEST")]),
            ("2:32 AM PDT", &[("2:32 AM PDT", "02:32 PDT")]),
            ("12:00 UTC", &[("12:00 UTC", "12:00|00:00 UTC")]),
            ("13:00 UTC+2", &[("13:00 UTC+2", "13:00 UTC+2")]),
            ("13:00 GMT-07:00", &[("13:00 GMT-07:00", "13:00 GMT-07:00")]),
            ("06:48Z", &[("06:48Z", "06:48 Z")]),
            (
                "as of Wednesday, 2026-03-04 11:47 US/Pacific.",
                &[(
                    "Wednesday, 2026-03-04 11:47 US/Pacific",
                    "11:47|23:47 US/Pacific 2026-03-04",
                )],
            ),
            (
                "at 14:20 America/Argentina/Buenos_Aires",
                &[(
                    "14:20 America/Argentina/Buenos_Aires",
                    "14:20 America/Argentina/Buenos_Aires",
                )],
            ),
            ("at 14:20 Mars/Olympus", &[("14:20", "14:20")]),
            ("14:20 API calls", &[("14:20", "14:20")]),
            // Dates before or after.
            (
                "4:05 AM PDT on 21 October",
                &[("4:05 AM PDT on 21 October", "04:05 PDT 10-21")],
            ),
            (
                "4:05 AM on October 21st",
                &[("4:05 AM on October 21st", "04:05 10-21")],
            ),
            (
                "On October 20 at 2:40 AM",
                &[("October 20 at 2:40 AM", "02:40 10-20")],
            ),
            (
                "20 Oct 2025, 14:20",
                &[("20 Oct 2025, 14:20", "14:20 2025-10-20")],
            ),
            ("Oct. 20 at 14:20", &[("Oct. 20 at 14:20", "14:20 10-20")]),
            (
                "at 14:20 on 20 June.",
                &[("14:20 on 20 June", "14:20 06-20")],
            ),
            (
                "at 2025-10-20 06:48",
                &[("2025-10-20 06:48", "06:48 2025-10-20")],
            ),
            (
                "2025-10-20T06:48:00Z",
                &[("2025-10-20T06:48:00Z", "06:48 Z 2025-10-20")],
            ),
            (
                "2025-10-19T23:48-07:00",
                &[("2025-10-19T23:48-07:00", "23:48 -07:00 2025-10-19")],
            ),
            // Ranges lend the zone, the year and AM/PM of their end to their start.
            (
                "(11:48 PM - 2:40 AM)",
                &[("11:48 PM", "23:48"), ("2:40 AM", "02:40")],
            ),
            (
                "from 14:06 to 14:27 CET",
                &[("14:06", "14:06 CET"), ("14:27 CET", "14:27 CET")],
            ),
            (
                "**09:12-09:58 EDT**",
                &[("09:12", "09:12 EDT"), ("09:58 EDT", "09:58 EDT")],
            ),
            (
                "9:30-11:00 AM",
                &[("9:30", "09:30|21:30"), ("11:00 AM", "11:00")],
            ),
            (
                "between 11:49 PM PDT on October 19 and 2:24 AM PDT on October 20",
                &[
                    ("11:49 PM PDT on October 19", "23:49 PDT 10-19"),
                    ("2:24 AM PDT on October 20", "02:24 PDT 10-20"),
                ],
            ),
            (
                "From 11:48 PM PDT on 19 October to 2:20 PM PDT on 20 October 2025",
                &[
                    ("11:48 PM PDT on 19 October", "23:48 PDT 2025-10-19"),
                    ("2:20 PM PDT on 20 October 2025", "14:20 PDT 2025-10-20"),
                ],
            ),
            (
                "from 7:04 AM to 10:36 AM",
                &[("7:04 AM", "07:04"), ("10:36 AM", "10:36")],
            ),
            // Approximate: within 15 minutes.
            ("at about 03:00", &[("about 03:00", "03:00 ~")]),
            (
                "shortly after 9:36 AM",
                &[("shortly after 9:36 AM", "09:36 ~")],
            ),
            ("just before 9:36 AM", &[("just before 9:36 AM", "09:36 ~")]),
            ("at 23:00-ish", &[("23:00-ish", "23:00 ~")]),
            // Not clock times.
            ("noon", &[]),
            ("deploys run every day at 10:00", &[]),
            (
                "We will provide an update by Monday, 2026-03-09 02:00 US/Pacific.",
                &[],
            ),
            ("next update at 14:00 UTC", &[]),
            (
                "the first status page update at 09:33",
                &[("09:33", "09:33")],
            ),
            ("the nightly backup at 02:00", &[]),
            ("muted from 08:30 to 10:00 every weekday", &[]),
            ("the batch window (08:30-10:00)", &[]),
            (
                "the job scheduled for 02:00 ran at 02:05",
                &[("02:05", "02:05")],
            ),
            ("midnight", &[]),
            ("took 1:30", &[]),
            ("at 3 PM", &[]),
            ("24/7", &[]),
            ("2025-10-20", &[]),
            ("a 3:1 ratio", &[]),
            ("25:00", &[]),
            ("10:61", &[]),
            ("13:30 PM", &[]),
            ("v1:20", &[]),
            ("1:20:30:40", &[]),
            ("14:20h", &[]),
            ("`14:20`", &[]),
            ("https://example.com:8080/a/12:30", &[]),
            ("lasted 2:52", &[]),
            ("14:20 est", &[("14:20", "14:20")]),
        ];
        assert_reads(cases);
    }

    proptest::proptest! {
        /// Text made of the pieces claims are made of, Markdown and non-ASCII never panics the
        /// reader, and every phrase is a slice of the text on character boundaries.
        #[test]
        fn phrases_are_slices_of_any_text(parts in proptest::collection::vec(proptest::sample::select(vec![
            "2", "14", "09", "1.5", ":", "20", " ", "\n", "h", "m", "min", "hours", "AM", "PM", "p.m.",
            "-", "–", "to", "and", "about", "over", "on", "October", "Oct.", "2025-10-20", "T", "Z",
            "PDT", "UTC", "+02:00", "US/Pacific", "**", "`", "é", "日本", "an", "half", "every",
            "https://x/1:20", ",", "~", "-ish", "Wednesday", "\\", "&amp;", "[a](b)",
        ]), 0..40)) {
            let text: String = parts.concat();
            for phrase in phrases(&text) {
                proptest::prop_assert!(text.get(phrase.range.clone()).is_some(), "{text:?} {:?}", phrase.range);
                proptest::prop_assert!(!phrase.range.is_empty());
            }
        }
    }

    #[test]
    fn ranges_point_into_the_markdown() {
        let markdown =
            "- **DynamoDB**: failed for **2 h 52 m**.\n- `2 h` then 14:20 &amp; 3 hours\n";
        let got: Vec<&str> = phrases(markdown)
            .iter()
            .map(|p| &markdown[p.range.clone()])
            .collect();
        assert_eq!(got, ["2 h 52 m", "14:20", "3 hours"]);
    }
}
