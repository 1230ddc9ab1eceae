//! Raw serde types that mirror the YAML exactly, with spans kept for every value a later
//! check may point at; and the YAML loader that turns parser errors into diagnostics.
//!
//! Keyword fields (severity, phase, statuses) stay strings here so that `validate` can report
//! every bad value in a file with its allowed values, instead of stopping at the first.

mod errors;
pub mod outline;
mod shape;

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Range;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::{Location, Spanned};

use crate::diagnostics::{Code, Diagnostic};
use crate::model;
use crate::source::Source;

pub use errors::{MAX_DEPTH, from_yaml_error};

/// A string with where it was written.
pub type SpannedStr = Spanned<String>;

/// One incident log, as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "postevent incident log",
    description = "One incident per file (format version 1)."
)]
pub struct RawIncident {
    /// Stable id; default is the file stem. Lowercase letters, digits and `-`.
    #[schemars(with = "Option<String>", regex(pattern = r"^[a-z0-9][a-z0-9-]*$"))]
    pub id: Option<SpannedStr>,
    /// The incident's title.
    #[schemars(with = "String")]
    pub title: SpannedStr,
    /// A level of the severity scale: SEV1 (worst) to SEV5, or the levels postevent.toml lists.
    #[schemars(with = "String")]
    pub severity: SpannedStr,
    /// Where the response stands; default `investigating`.
    #[schemars(with = "Option<model::Status>")]
    pub status: Option<SpannedStr>,
    /// IANA zone that reads times written without an offset; also the display zone. Default UTC.
    #[schemars(with = "Option<String>")]
    pub timezone: Option<SpannedStr>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub regions: Vec<SpannedStr>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub tags: Vec<SpannedStr>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub authors: Vec<SpannedStr>,
    /// Who held each role of the response: a role (`incident_commander`, `communications_lead`)
    /// to a person or a list of people. Internal unless postevent.toml says `public_roles = true`.
    #[schemars(with = "Option<RoleMapSchema>")]
    pub roles: Option<Spanned<RoleMap>>,
    /// Everyone else who worked on the response. Internal unless postevent.toml says
    /// `public_roles = true`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub responders: Vec<SpannedStr>,
    /// Every service an event names must be declared here.
    #[serde(default)]
    #[schemars(with = "Vec<RawService>")]
    pub services: Vec<Spanned<RawService>>,
    /// Markdown.
    #[schemars(with = "Option<String>")]
    pub summary: Option<SpannedStr>,
    /// Markdown.
    #[schemars(with = "Option<String>")]
    pub impact: Option<SpannedStr>,
    /// Markdown.
    pub root_cause: Option<String>,
    /// Markdown.
    pub trigger: Option<String>,
    /// Markdown.
    #[schemars(with = "Option<String>")]
    pub detection: Option<SpannedStr>,
    /// Markdown.
    #[schemars(with = "Option<String>")]
    pub resolution: Option<SpannedStr>,
    /// At least one event.
    #[schemars(with = "Vec<RawEvent>")]
    pub timeline: Spanned<Vec<RawEvent>>,
    /// Markdown items.
    #[serde(default)]
    pub contributing_factors: Vec<String>,
    #[serde(default)]
    pub lessons: RawLessons,
    #[serde(default)]
    pub action_items: Vec<RawActionItem>,
    #[serde(default)]
    pub links: Vec<RawLink>,
    /// Markdown; never in a public report.
    pub internal_notes: Option<String>,
    /// Ids of earlier or later incidents this one recurs with; `check` on a folder verifies
    /// each names a log of it (E035). Pages show the links both ways.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub related: Vec<SpannedStr>,
}

/// An affected service: a plain name, or a map with a name and a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawService {
    pub name: String,
    pub description: Option<String>,
    /// Known only inside the organisation; never in a public output.
    pub internal: bool,
    /// The declared services this one needs, with where each is written.
    pub depends_on: Vec<SpannedStr>,
}

/// The map form of a service.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ServiceMap {
    name: String,
    description: Option<String>,
    /// A service known only inside the organisation: public outputs leave it out, with its
    /// status changes and impact windows.
    #[serde(default)]
    internal: bool,
    /// The declared services this one needs: an impact can reach it through them.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    depends_on: Vec<SpannedStr>,
}

impl<'de> Deserialize<'de> for RawService {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ServiceVisitor;

        impl<'de> Visitor<'de> for ServiceVisitor {
            type Value = RawService;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a service name or a map with `name` and `description`")
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<RawService, E> {
                Ok(RawService {
                    name: name.to_owned(),
                    description: None,
                    internal: false,
                    depends_on: Vec::new(),
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawService, A::Error> {
                let m = ServiceMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawService {
                    name: m.name,
                    description: m.description,
                    internal: m.internal,
                    depends_on: m.depends_on,
                })
            }
        }

        deserializer.deserialize_any(ServiceVisitor)
    }
}

impl JsonSchema for RawService {
    fn schema_name() -> Cow<'static, str> {
        "Service".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let map = generator.subschema_for::<ServiceMap>();
        json_schema!({
            "description": "A service name, or a map with a name, a description and whether it is internal.",
            "anyOf": [{ "type": "string", "minLength": 1 }, map]
        })
    }
}

/// One event of the timeline, as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    /// Stable id, unique within the file (diff matches on it).
    #[schemars(with = "Option<String>")]
    pub id: Option<SpannedStr>,
    /// `2025-10-19 23:48` (in the incident's zone), `2025-10-19 23:48 PDT`,
    /// `2025-10-20T06:48:00Z`, or a time of day alone after another event.
    #[schemars(with = "String")]
    pub at: Spanned<Scalar>,
    #[schemars(with = "Option<model::Phase>")]
    pub phase: Option<SpannedStr>,
    /// The severity from this moment on (an escalation or a de-escalation); the top-level
    /// `severity` is the worst the incident reached.
    #[schemars(with = "Option<String>")]
    pub severity: Option<SpannedStr>,
    /// A custom milestone this event marks, declared in postevent.toml's `[milestones]`.
    #[schemars(with = "Option<String>")]
    pub milestone: Option<SpannedStr>,
    /// Service -> status from this moment on.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, model::ServiceStatus>")]
    pub status: StatusMap,
    /// Markdown.
    #[schemars(with = "String")]
    pub text: SpannedStr,
    /// Markdown: what was published to customers at this moment (a status page update).
    #[schemars(with = "Option<String>")]
    pub update: Option<SpannedStr>,
    /// Internal events never appear in a public report.
    #[serde(default)]
    pub internal: bool,
    /// Measured impact from this moment on: a name (`error_rate_pct`), or a declared service
    /// and a name (`DynamoDB.error_rate_pct`), to a number.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, f64>")]
    pub measures: MeasureMap,
    /// The time is known to within minutes (the same as writing `at: "~10:45"`): metrics
    /// computed from it are shown as approximate.
    #[serde(default)]
    pub approximate: bool,
    /// One of the incident's `regions`: the status changes apply there only (without it, to
    /// every region).
    #[schemars(with = "Option<String>")]
    pub region: Option<SpannedStr>,
}

/// A scalar read as text, whatever YAML would have typed it as (`02:40` is a sexagesimal
/// integer to some YAML readers; a time to us).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;

        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a time such as `2025-10-19 23:48`")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_owned()))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }

        deserializer.deserialize_str(ScalarVisitor)
    }
}

/// A `status` map: service name -> status, in the order written, with spans.
pub type StatusMap = Entries<SpannedStr, ServiceNames>;

/// A `measures` map: name -> number, in the order written, with spans.
pub type MeasureMap = Entries<Spanned<f64>, MeasureNames>;

/// A map whose keys are names written by the author, in the order written, with spans; `E`
/// says what it maps, for messages.
#[derive(Debug)]
pub struct Entries<V, E>(pub Vec<(SpannedStr, V)>, PhantomData<E>);

/// What a map of [`Entries`] holds, for "expected ..." messages.
pub trait Expecting {
    const WHAT: &'static str;
}

#[derive(Debug)]
pub struct ServiceNames;

impl Expecting for ServiceNames {
    const WHAT: &'static str = "a map of service name to status";
}

#[derive(Debug)]
pub struct MeasureNames;

impl Expecting for MeasureNames {
    const WHAT: &'static str = "a map of measure name to number";
}

impl<V, E> Default for Entries<V, E> {
    fn default() -> Self {
        Entries(Vec::new(), PhantomData)
    }
}

impl<'de, V: Deserialize<'de>, E: Expecting> Deserialize<'de> for Entries<V, E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V, E>(PhantomData<(V, E)>);

        impl<'de, V: Deserialize<'de>, E: Expecting> Visitor<'de> for MapVisitor<V, E> {
            type Value = Entries<V, E>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(E::WHAT)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries, PhantomData))
            }

            fn visit_unit<Er: de::Error>(self) -> Result<Self::Value, Er> {
                Ok(Entries::default())
            }
        }

        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

/// `roles`: role -> the people who held it, in the order written, with spans.
#[derive(Debug, Default)]
pub struct RoleMap(pub Vec<(SpannedStr, Spanned<People>)>);

/// One person (`Ana Lima`) or several (`[Ana Lima, Ben Okafor]`).
#[derive(Debug, Default)]
pub struct People(pub Vec<String>);

impl<'de> Deserialize<'de> for RoleMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor;

        impl<'de> Visitor<'de> for MapVisitor {
            type Value = RoleMap;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of role to a person or a list of people")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RoleMap, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(RoleMap(entries))
            }

            fn visit_unit<E: de::Error>(self) -> Result<RoleMap, E> {
                Ok(RoleMap::default())
            }
        }

        deserializer.deserialize_map(MapVisitor)
    }
}

impl<'de> Deserialize<'de> for People {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PeopleVisitor;

        impl<'de> Visitor<'de> for PeopleVisitor {
            type Value = People;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a person's name or a list of names")
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<People, E> {
                Ok(People(vec![name.to_owned()]))
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<People, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                Ok(People(names))
            }

            fn visit_unit<E: de::Error>(self) -> Result<People, E> {
                Ok(People::default())
            }
        }

        deserializer.deserialize_any(PeopleVisitor)
    }
}

/// The JSON Schema of [`RoleMap`].
struct RoleMapSchema;

impl JsonSchema for RoleMapSchema {
    fn schema_name() -> Cow<'static, str> {
        "Roles".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Role -> the person or the people who held it.",
            "type": "object",
            "additionalProperties": {
                "anyOf": [
                    { "type": "string", "minLength": 1 },
                    { "type": "array", "items": { "type": "string", "minLength": 1 }, "minItems": 1 }
                ]
            }
        })
    }
}

/// What the team learned.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLessons {
    #[serde(default)]
    pub went_well: Vec<String>,
    #[serde(default)]
    pub went_wrong: Vec<String>,
    #[serde(default)]
    pub lucky: Vec<String>,
}

/// A follow-up, as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawActionItem {
    #[schemars(with = "Option<String>")]
    pub id: Option<SpannedStr>,
    #[schemars(with = "String")]
    pub title: SpannedStr,
    #[schemars(with = "model::ActionKind")]
    pub kind: SpannedStr,
    pub owner: Option<String>,
    /// A date: `2025-11-15`.
    #[schemars(with = "Option<String>", regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub due: Option<Spanned<Scalar>>,
    /// Default `open`.
    #[schemars(with = "Option<model::ActionStatus>")]
    pub status: Option<SpannedStr>,
    pub link: Option<String>,
}

/// A related page.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    pub title: String,
    pub url: String,
}

/// Limits that keep a hostile or runaway file from exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most YAML parser events (every scalar, key, start and end counts one).
    pub max_yaml_events: usize,
    /// Largest file, in bytes.
    pub max_file_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_yaml_events: 10_000_000,
            max_file_bytes: 256 * 1024 * 1024,
        }
    }
}

/// Reads the YAML of `source` into raw types. A failure is located diagnostics: for a file of
/// the wrong shape, every unknown field, wrong type and missing field in it (serde stops at
/// the first; the shape check finds the rest), else the one error that stopped the parser.
pub fn parse(source: &Source, limits: Limits) -> Result<RawIncident, Vec<Diagnostic>> {
    parse_first(source, limits).map_err(|first| {
        let shape = matches!(
            first.code,
            Code::UnknownField | Code::WrongType | Code::MissingField
        );
        let mut all = if shape {
            shape::problems(source.text(), limits.max_yaml_events)
        } else {
            Vec::new()
        };
        // The same problem, found by both: on the same line, or named the same way (serde
        // points at the end of a map that lacks a field).
        let line = |d: &Diagnostic| d.span.as_ref().map(|s| source.line_col(s.start).line);
        let same = |d: &Diagnostic| {
            d.code == first.code && (line(d) == line(&first) || d.message == first.message)
        };
        if !all.iter().any(same) {
            all.push(*first);
        }
        all.sort_by_key(|d| d.span.as_ref().map(|s| s.start));
        all
    })
}

/// Reads the YAML of `source` into raw types; a failure is the first problem serde met.
fn parse_first(source: &Source, limits: Limits) -> Result<RawIncident, Box<Diagnostic>> {
    let mut budget = serde_saphyr::budget::Budget::default();
    budget.max_events = limits.max_yaml_events;
    budget.max_nodes = limits.max_yaml_events;
    budget.max_total_scalar_bytes = limits.max_file_bytes;
    budget.max_documents = 1;
    budget.max_depth = errors::MAX_DEPTH;
    budget.max_aliases = errors::MAX_ALIASES;
    budget.max_anchors = errors::MAX_ALIASES;
    let options = serde_saphyr::options! {
        budget: Some(budget),
        with_snippet: false,
    };
    serde_saphyr::from_str_with_options(source.text(), options)
        .map_err(|e| Box::new(from_yaml_error(source, &e, limits)))
}

/// The byte range a location points at in `source`: the whole scalar when the parser knows
/// its length, else the word that starts there.
pub fn span_of(source: &Source, location: &Location) -> Range<usize> {
    let text = source.text();
    let span = location.span();
    let start = span
        .byte_offset()
        .map(|o| o as usize)
        .filter(|&o| o <= text.len())
        .or_else(|| source.offset_of(location.line() as usize, location.column() as usize))
        .unwrap_or(0);
    let len = span.byte_len().map_or(0, |l| l as usize);
    let end = if len > 0 && start + len <= text.len() {
        start + len
    } else {
        word_end(text, start)
    };
    trim_span(text, start..end)
}

/// The end of the token starting at `start` (up to a newline, or a `: ` for a key).
fn word_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let line = &rest[..line_end];
    let end = line
        .find(": ")
        .or_else(|| line.strip_suffix(':').map(str::len))
        .unwrap_or(line.len());
    start + line[..end].trim_end().len()
}

/// A span shortened so that it never covers a trailing newline or spaces.
fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let Some(slice) = text.get(span.clone()) else {
        return span;
    };
    let trimmed = slice.trim_end();
    span.start..span.start + trimmed.len()
}

/// The span of a spanned value.
pub fn span<T>(source: &Source, spanned: &Spanned<T>) -> Range<usize> {
    span_of(source, &spanned.referenced)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: comments counted as YAML events toward `--max-yaml-events` (the YAML reader
    /// tracked them), so a commented log hit the limit sooner than the same log without them.
    #[test]
    fn comments_do_not_count_toward_the_event_limit() {
        let log = "title: T\nseverity: SEV3\ntimeline:\n  - at: 2026-01-01 10:00\n    text: x\n";
        let commented: String = (0..50).map(|i| format!("# note {i}\n")).collect::<String>() + log;
        let parses = |text: &str, max_yaml_events: usize| {
            let limits = Limits {
                max_yaml_events,
                ..Limits::default()
            };
            parse(&Source::from_text("x.yaml", text), limits).is_ok()
        };
        let least = (1..100)
            .find(|&n| parses(log, n))
            .expect("a limit that reads it");
        assert!(!parses(log, least - 1));
        assert!(parses(&commented, least));
    }
}
