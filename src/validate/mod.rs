//! Raw incident -> model. Every rule records a diagnostic and moves on, so one run reports
//! every problem in a file; the model is built only when no rule found an error.

mod cascade;
mod impact;
pub mod prose;
pub mod related;
mod rules;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Level, closest, did_you_mean, one_of};
use crate::model::{
    ActionItem, ActionKind, ActionStatus, Event, Incident, Lessons, Link, Phase, Role, Service,
    ServiceStatus, Severity, Status,
};
use crate::parse::{self, Limits, RawActionItem, RawEvent, RawIncident, RoleMap, SpannedStr, span};
use crate::source::Source;
use crate::time;
use serde_saphyr::Spanned;

/// Diagnostics of one code kept for one file; the rest are counted and summed up in one
/// diagnostic ("and 1950 more of code E012"), so a log with thousands of the same mistake
/// prints a screenful, not megabytes.
pub const MAX_PER_CODE: usize = 50;

/// Candidate names compared when suggesting corrections in one file ("did you mean"); past
/// that, hints name no candidates. Keeps suggestions linear in the size of the log.
const SUGGESTION_BUDGET: usize = 1_000_000;

/// The outcome of checking one file: the model when it is valid, and its diagnostics: at most
/// [`MAX_PER_CODE`] of each code, then for each code that had more, one file-level diagnostic
/// of that code saying how many more there were (these come last).
#[derive(Debug, Clone, Default)]
pub struct Checked {
    pub incident: Option<Incident>,
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics left out, by code.
    pub omitted: BTreeMap<Code, usize>,
    /// Where each event of `incident.timeline` was written (the span of its `at`), in the
    /// same order, so that an editor can tell which event is under the cursor; empty without
    /// an incident.
    pub timeline_spans: Vec<Range<usize>>,
    /// Each id of `incident.related` with the span it was written at, for the check of a
    /// folder that every one names a log (see [`related::unknown`]); empty without an incident.
    pub related_spans: Vec<(String, Range<usize>)>,
}

impl Checked {
    /// Errors found, those left out included.
    pub fn errors(&self) -> usize {
        self.count(true)
    }

    /// Warnings found, those left out included.
    pub fn warnings(&self) -> usize {
        self.count(false)
    }

    fn count(&self, errors: bool) -> usize {
        let kept = self.diagnostics.len() - self.omitted.len();
        let shown = self.diagnostics[..kept]
            .iter()
            .filter(|d| d.is_error() == errors)
            .count();
        let left_out: usize = self
            .omitted
            .iter()
            .filter(|(code, _)| (code.level() == Level::Error) == errors)
            .map(|(_, n)| n)
            .sum();
        shown + left_out
    }
}

/// Parses and validates one incident log with the built-in defaults (no `postevent.toml`).
pub fn check(source: &Source, limits: Limits) -> Checked {
    check_with(source, limits, &Config::default())
}

/// Parses and validates one incident log against an organisation's `config`: its severity
/// scale, its milestones, its policy and the lints it turns on.
pub fn check_with(source: &Source, limits: Limits, config: &Config) -> Checked {
    match parse::parse(source, limits) {
        Ok(raw) => validate_with(source, raw, config),
        Err(diagnostics) => Checked {
            incident: None,
            diagnostics,
            omitted: BTreeMap::new(),
            timeline_spans: Vec::new(),
            related_spans: Vec::new(),
        },
    }
}

/// Validates a parsed log with the built-in defaults.
pub fn validate(source: &Source, raw: RawIncident) -> Checked {
    validate_with(source, raw, &Config::default())
}

/// Validates a parsed log against `config`.
pub fn validate_with(source: &Source, raw: RawIncident, config: &Config) -> Checked {
    let mut v = Validator {
        source,
        config,
        diagnostics: Vec::new(),
        timeline_spans: Vec::new(),
        related_spans: Vec::new(),
        kept: HashMap::new(),
        omitted: BTreeMap::new(),
        suggestion_budget: SUGGESTION_BUDGET,
    };
    let incident = v.incident(raw);
    let mut diagnostics = v.diagnostics;
    diagnostics.sort_by_key(|d| (d.span.as_ref().map(|s| s.start), d.code));
    let incident = incident.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    for (&code, &n) in &v.omitted {
        diagnostics.push(
            Diagnostic::new(code, format!("and {n} more of code {}", code.code()))
                .hint("fix the ones above and run `postevent check` again to see the rest"),
        );
    }
    let (timeline_spans, related_spans) = match incident {
        Some(_) => (v.timeline_spans, v.related_spans),
        None => (Vec::new(), Vec::new()),
    };
    Checked {
        incident,
        diagnostics,
        omitted: v.omitted,
        timeline_spans,
        related_spans,
    }
}

/// The declared services, as event status maps look them up.
struct Declared<'a> {
    /// In declaration order, for suggestions.
    names: &'a [&'a str],
    known: &'a HashSet<&'a str>,
    /// Whether `services:` could be read (else every name is unknown, and nothing is said).
    read: bool,
}

/// Ids already used in a file, with where they were first used.
type SeenIds = std::collections::HashMap<String, Range<usize>>;

/// The status changes of one event, in the order written.
type StatusChanges = Vec<(String, ServiceStatus)>;

/// An event with the spans its rules point at, kept beside the model while validating.
/// `SEV-2` -> (`sev`, 2), `P1` -> (`p`, 1): a severity level's family and number, if it has both.
fn numbered_level(name: &str) -> Option<(String, i64)> {
    let lower = name.to_ascii_lowercase();
    let family: String = lower
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let number = lower[family.len()..].trim_start_matches(['-', ' ', '_']);
    (!family.is_empty()).then_some(())?;
    Some((family, number.parse().ok()?))
}

pub(crate) struct Located {
    pub event: Event,
    /// Position in the file, for "written before" and order warnings.
    pub written: usize,
    pub at_span: Range<usize>,
    pub phase_span: Option<Range<usize>>,
    /// Span of the event's `severity:` value, if it has one.
    pub severity_span: Option<Range<usize>>,
    /// Span of each status entry, in the order of `event.status`.
    pub status_spans: Vec<Range<usize>>,
    /// Whether its `at` gives a date (else it is a time of day, dated by the event before).
    pub dated: bool,
}

pub(crate) struct Validator<'a> {
    pub source: &'a Source,
    pub config: &'a Config,
    pub diagnostics: Vec<Diagnostic>,
    /// The `at` span of each event of the sorted timeline (see [`Checked::timeline_spans`]).
    pub timeline_spans: Vec<Range<usize>>,
    /// See [`Checked::related_spans`].
    pub related_spans: Vec<(String, Range<usize>)>,
    /// Diagnostics kept so far, by code.
    kept: HashMap<Code, usize>,
    /// Diagnostics counted but not kept, by code.
    omitted: BTreeMap<Code, usize>,
    /// Candidate names that suggestions may still compare (see [`SUGGESTION_BUDGET`]).
    suggestion_budget: usize,
}

impl Validator<'_> {
    /// Records a diagnostic: kept while its code has fewer than [`MAX_PER_CODE`], else counted.
    pub fn push(&mut self, d: Diagnostic) {
        if self.keeps(d.code) {
            *self.kept.entry(d.code).or_default() += 1;
            self.diagnostics.push(d);
        } else {
            *self.omitted.entry(d.code).or_default() += 1;
        }
    }

    /// Whether a diagnostic of `code` would be kept; costly details (suggestions, related
    /// spans) are worth working out only then.
    pub fn keeps(&self, code: Code) -> bool {
        self.kept.get(&code).copied().unwrap_or(0) < MAX_PER_CODE
    }

    /// At most three of `names` close to `word`, within the file's suggestion budget.
    fn suggest<'n>(&mut self, word: &str, names: &[&'n str]) -> Vec<&'n str> {
        if names.len() > self.suggestion_budget {
            return Vec::new();
        }
        self.suggestion_budget -= names.len();
        closest(word, names.iter().copied(), 3)
    }

    pub fn span(&self, s: &SpannedStr) -> Range<usize> {
        span(self.source, s)
    }

    fn incident(&mut self, raw: RawIncident) -> Option<Incident> {
        let id = self.incident_id(raw.id.as_ref());
        let title = self.non_empty(&raw.title, "title");
        self.printable(&raw.title, "the title");
        for (list, what) in [
            (&raw.regions, "a region"),
            (&raw.tags, "a tag"),
            (&raw.authors, "an author"),
            (&raw.responders, "a responder"),
        ] {
            for item in list {
                self.printable(item, what);
            }
        }
        for s in &raw.services {
            let at = span(self.source, s);
            self.printable_at(s.value.name.trim(), at, "a service name");
        }
        for a in &raw.action_items {
            self.printable(&a.title, "an action item title");
        }
        let severity = self.severity(&raw.severity);
        let status = match &raw.status {
            Some(s) => self.keyword(s, "status", Status::parse, Status::NAMES),
            None => Some(Status::Investigating),
        };
        let timezone = self.timezone(raw.timezone.as_ref());
        let narrative = self.narrative(&raw);
        let services = self.services(&raw.services);
        cascade::dependencies(self, &raw.services);
        cascade::regions(self, &raw.regions, &raw.timeline.value);
        let timeline_span = span(self.source, &raw.timeline);
        let events = self.events(&raw.timeline.value, timezone, &services);
        if raw.timeline.value.is_empty() {
            self.push(
                Diagnostic::new(Code::EmptyTimeline, "the timeline has no events")
                    .at(timeline_span, "empty")
                    .hint(
                        "add at least the event that started the incident, with `phase: started`",
                    ),
            );
        }
        let action_items = self.action_items(&raw.action_items);
        let related = self.related(&raw.related, id.as_deref());
        let roles = self.roles(raw.roles.as_ref());
        let responders = self.responders(&raw.responders);
        let timeline = events.map(|events| {
            let events = rules::sort_events(self, events);
            rules::phases(self, &events);
            events
        });

        let incident = Incident {
            id: id?,
            title: title?,
            severity: severity?,
            status: status?,
            timezone: timezone?,
            regions: values(raw.regions),
            tags: values(raw.tags),
            authors: values(raw.authors),
            roles: roles?,
            responders: responders?,
            services: services?,
            summary: raw.summary.as_ref().map(|s| s.value.clone()),
            impact: raw.impact.map(|s| s.value),
            root_cause: raw.root_cause,
            trigger: raw.trigger,
            detection: raw.detection.map(|s| s.value),
            resolution: raw.resolution.map(|s| s.value),
            timeline: Vec::new(),
            contributing_factors: raw.contributing_factors,
            lessons: Lessons {
                went_well: raw.lessons.went_well,
                went_wrong: raw.lessons.went_wrong,
                lucky: raw.lessons.lucky,
            },
            action_items: action_items?,
            links: raw
                .links
                .into_iter()
                .map(|l| Link {
                    title: l.title,
                    url: l.url,
                })
                .collect(),
            internal_notes: raw.internal_notes,
            related,
        };
        let located = timeline?;
        self.timeline_spans = located.iter().map(|l| l.at_span.clone()).collect();
        let incident = Incident {
            timeline: located.iter().map(|l| l.event.clone()).collect(),
            ..incident
        };
        rules::incident_rules(
            self,
            &incident,
            &located,
            raw.status.as_ref(),
            &raw.title,
            raw.summary.as_ref(),
        );
        let service_spans: Vec<Range<usize>> =
            raw.services.iter().map(|s| span(self.source, s)).collect();
        rules::internal_only_services(self, &incident, &located, &service_spans);
        let titles: Vec<Range<usize>> = raw
            .action_items
            .iter()
            .map(|a| span(self.source, &a.title))
            .collect();
        rules::policy(self, &incident, span(self.source, &raw.severity), &titles);
        rules::severity_history(self, &incident, &located, span(self.source, &raw.severity));
        impact::stale_times_of_day(self, &located, incident.timezone);
        cascade::lints(self, &incident, &located, &service_spans);
        // The truth check reads a sound timeline only: with an error, its metrics mean nothing.
        if self.config.lint_prose && !self.diagnostics.iter().any(Diagnostic::is_error) {
            let warnings = prose::check(self.source, &incident, &narrative);
            self.diagnostics.extend(warnings);
        }
        Some(incident)
    }

    /// The narrative fields the truth check reads, with their spans.
    fn narrative(&self, raw: &RawIncident) -> Vec<(prose::Field, Range<usize>)> {
        [
            (prose::Field::Summary, &raw.summary),
            (prose::Field::Impact, &raw.impact),
            (prose::Field::Detection, &raw.detection),
            (prose::Field::Resolution, &raw.resolution),
        ]
        .into_iter()
        .filter_map(|(field, text)| Some((field, self.span(text.as_ref()?))))
        .collect()
    }

    fn incident_id(&mut self, id: Option<&SpannedStr>) -> Option<String> {
        match id {
            Some(id) => self.id(id, "incident id"),
            None => {
                let stem = self.source.stem().unwrap_or("incident").to_owned();
                if is_valid_id(&stem) {
                    Some(stem)
                } else if self.source.path().is_none() && !slug(&stem).is_empty() {
                    // Standard input has no file name to keep stable; its slug will do.
                    Some(slug(&stem))
                } else {
                    self.push(
                        Diagnostic::new(
                            Code::InvalidId,
                            format!("the file name `{stem}` cannot be the incident id"),
                        )
                        .hint(format!(
                            "add `id: {}` (lowercase letters, digits and `-`), or rename the file",
                            slug(&stem)
                        )),
                    );
                    None
                }
            }
        }
    }

    /// An id of lowercase letters, digits and `-`.
    pub fn id(&mut self, id: &SpannedStr, what: &str) -> Option<String> {
        if is_valid_id(&id.value) {
            return Some(id.value.clone());
        }
        let span = self.span(id);
        let suggestion = slug(&id.value);
        let hint = if is_device_name(&id.value) {
            format!(
                "`{}` is a device name on Windows; use a longer id",
                id.value
            )
        } else if suggestion.is_empty() {
            "use lowercase letters, digits and `-`, starting with a letter or digit".to_owned()
        } else {
            format!("use lowercase letters, digits and `-`, e.g. `{suggestion}`")
        };
        self.push(
            Diagnostic::new(Code::InvalidId, format!("invalid {what} `{}`", id.value))
                .at(span, "not a valid id")
                .hint(hint),
        );
        None
    }

    /// Warns when a one-line value holds a control character or a non-character (U+FFFE,
    /// U+FDD0...): pasted from a terminal or a binary file, it shows as `?` or not at all, and
    /// some readers of the outputs refuse it.
    fn printable(&mut self, text: &SpannedStr, what: &str) {
        let span = self.span(text);
        self.printable_at(&text.value, span, what);
    }

    /// [`Validator::printable`] for a value written at `span`.
    fn printable_at(&mut self, value: &str, span: Range<usize>, what: &str) {
        let Some(c) = value.chars().find(|&c| is_unsafe_char(c)) else {
            return;
        };
        let kind = if c.is_control() {
            "a control character"
        } else {
            "a non-character"
        };
        self.push(
            Diagnostic::new(
                Code::UnsafeCharacter,
                format!("{what} holds {kind} (U+{:04X})", u32::from(c)),
            )
            .at(span, format!("holds U+{:04X}", u32::from(c)))
            .hint("remove it: it shows as `?` or not at all, and some readers refuse it"),
        );
    }

    /// `roles`: each role named, each naming somebody, every name printable.
    fn roles(&mut self, raw: Option<&Spanned<RoleMap>>) -> Option<Vec<Role>> {
        let mut roles = Vec::new();
        let mut ok = true;
        for (name, people) in raw.map_or(&[][..], |r| &r.value.0[..]) {
            let role = self.non_empty(name, "role name");
            self.printable(name, "a role name");
            let at = span(self.source, people);
            let names: Vec<String> = people.value.0.iter().map(|p| p.trim().to_owned()).collect();
            for person in &names {
                self.printable_at(person, at.clone(), "a person's name");
            }
            if names.is_empty() || names.iter().any(String::is_empty) {
                let role = name.value.trim();
                self.push(
                    Diagnostic::new(
                        Code::EmptyValue,
                        format!("the role `{role}` names nobody, or an empty name"),
                    )
                    .at(at, "no name")
                    .hint(format!(
                        "write who held it: `{role}: Ana Lima` or `{role}: [Ana Lima, Ben Okafor]`, or leave the role out"
                    )),
                );
                ok = false;
            }
            if let Some(role) = role {
                roles.push(Role {
                    name: role.trim().to_owned(),
                    people: names,
                });
            } else {
                ok = false;
            }
        }
        ok.then_some(roles)
    }

    /// `responders`: every name written.
    fn responders(&mut self, raw: &[SpannedStr]) -> Option<Vec<String>> {
        let names: Vec<Option<String>> = raw
            .iter()
            .map(|r| self.non_empty(r, "responder's name"))
            .collect();
        names
            .into_iter()
            .map(|n| n.map(|n| n.trim().to_owned()))
            .collect()
    }

    fn non_empty(&mut self, text: &SpannedStr, what: &str) -> Option<String> {
        if text.value.trim().is_empty() {
            let span = self.span(text);
            self.push(
                Diagnostic::new(Code::EmptyValue, format!("the {what} is empty"))
                    .at(span, "empty")
                    .hint(format!("write the {what}")),
            );
            return None;
        }
        Some(text.value.clone())
    }

    /// A keyword from a closed set, or an error listing the set.
    pub fn keyword<T>(
        &mut self,
        value: &SpannedStr,
        what: &str,
        parse: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Option<T> {
        if let Some(v) = parse(&value.value) {
            return Some(v);
        }
        let span = self.span(value);
        let close = did_you_mean(&value.value, names.iter().copied());
        let hint = match close {
            Some(close) => format!("did you mean `{close}`? {what} is one of {}", one_of(names)),
            None => format!("{what} is one of {}", one_of(names)),
        };
        self.push(
            Diagnostic::new(
                Code::InvalidValue,
                format!("invalid {what} `{}`", value.value),
            )
            .at(span.clone(), format!("not a {what}"))
            .hint(hint)
            .suggest(span, close),
        );
        None
    }

    /// A severity on the config's scale. A level off the scale (`SEV0`, `SEV7`) is told where
    /// the scale ends, not offered the nearest spelling (`SEV0` is not "almost `SEV5`").
    fn severity(&mut self, value: &SpannedStr) -> Option<Severity> {
        let scale = &self.config.severities;
        if let Some(severity) = scale.parse(&value.value) {
            return Some(severity);
        }
        let names = scale.names();
        let (worst, least) = (names[0], names[names.len() - 1]);
        // A numbered level of the scale's own family (`sev-2` or `SEV0` on SEV1..SEV5).
        let numbered = numbered_level(&value.value)
            .zip(numbered_level(worst))
            .zip(numbered_level(least))
            .filter(|(((family, _), (worst_family, _)), _)| family == worst_family)
            .map(|(((family, n), (_, w)), (_, l))| (family, n, w, l));
        let span = self.span(value);
        let (hint, fix) = match numbered {
            Some((family, n, w, l)) => {
                let same = names
                    .iter()
                    .find(|name| numbered_level(name) == Some((family.clone(), n)))
                    .copied();
                // Worse than the worst: beyond it in the direction the scale runs.
                let beyond_worst = if w <= l { n < w } else { n > w };
                match same {
                    Some(name) => (format!("write it `{name}`"), Some(name.to_owned())),
                    None if beyond_worst => (
                        format!(
                            "the worst severity here is `{worst}`; the scale runs {worst} (worst) to {least}"
                        ),
                        None,
                    ),
                    None => (
                        format!(
                            "the least severe here is `{least}`; the scale runs {worst} (worst) to {least}"
                        ),
                        None,
                    ),
                }
            }
            None => {
                let close = did_you_mean(&value.value, names.iter().copied()).map(str::to_owned);
                let list = format!("severity is one of {} (worst first)", one_of(&names));
                match &close {
                    Some(close) => (
                        format!("did you mean `{close}`? {list}"),
                        Some(close.clone()),
                    ),
                    None => (list, None),
                }
            }
        };
        let configured = match &self.config.path {
            Some(path) => format!(" (the scale of {})", path.display()),
            None => String::new(),
        };
        self.push(
            Diagnostic::new(
                Code::InvalidValue,
                format!("invalid severity `{}`", value.value),
            )
            .at(span.clone(), "not on the scale")
            .hint(format!("{hint}{configured}"))
            .suggest(span, fix),
        );
        None
    }

    fn timezone(&mut self, zone: Option<&SpannedStr>) -> Option<Tz> {
        let Some(zone) = zone else {
            return Some(chrono_tz::UTC);
        };
        if let Some(tz) = time::parse_zone(&zone.value) {
            return Some(tz);
        }
        let span = self.span(zone);
        let close = time::suggest_zone(&zone.value);
        let hint = match close {
            Some(close) => format!("did you mean `{close}`?"),
            None => "use an IANA zone name such as `America/Los_Angeles`, `Europe/Berlin` or `UTC`"
                .to_owned(),
        };
        self.push(
            Diagnostic::new(
                Code::UnknownTimezone,
                format!("unknown time zone `{}`", zone.value),
            )
            .at(span.clone(), "not an IANA zone")
            .hint(hint)
            .suggest(span, close),
        );
        None
    }

    fn services(
        &mut self,
        raw: &[serde_saphyr::Spanned<parse::RawService>],
    ) -> Option<Vec<Service>> {
        let mut services: Vec<Service> = Vec::new();
        // By name in ASCII lower case: names must differ by more than letter case.
        let mut first: HashMap<String, Range<usize>> = HashMap::new();
        let mut ok = true;
        for s in raw {
            let span = span(self.source, s);
            let name = s.value.name.trim().to_owned();
            if name.is_empty() {
                self.push(
                    Diagnostic::new(Code::EmptyValue, "a service has an empty name")
                        .at(span, "empty")
                        .hint("name the service"),
                );
                ok = false;
                continue;
            }
            if let Some(first) = first.get(&name.to_ascii_lowercase()) {
                self.push(
                    Diagnostic::new(
                        Code::DuplicateService,
                        format!("service `{name}` is declared twice"),
                    )
                    .at(span.clone(), "declared again here")
                    .related(first.clone(), "first declared here")
                    .hint("service names must differ by more than letter case; remove one"),
                );
                ok = false;
                continue;
            }
            first.insert(name.to_ascii_lowercase(), span);
            services.push(Service {
                name,
                description: s.value.description.clone(),
                internal: s.value.internal,
                depends_on: s
                    .value
                    .depends_on
                    .iter()
                    .map(|d| d.value.trim().to_owned())
                    .collect(),
            });
        }
        ok.then_some(services)
    }

    /// Every event, placed in time; `None` if any could not be read.
    fn events(
        &mut self,
        raw: &[RawEvent],
        zone: Option<Tz>,
        services: &Option<Vec<Service>>,
    ) -> Option<Vec<Located>> {
        let names: Vec<&str> = services.iter().flatten().map(|s| s.name.as_str()).collect();
        let known: HashSet<&str> = names.iter().copied().collect();
        let declared = Declared {
            names: &names,
            known: &known,
            read: services.is_some(),
        };
        let mut ids = SeenIds::new();
        let mut milestones = SeenIds::new();
        let mut previous: Option<DateTime<Utc>> = None;
        let mut chain_broken = false;
        let mut out = Vec::new();
        let mut ok = true;
        for (written, e) in raw.iter().enumerate() {
            let id =
                e.id.as_ref()
                    .and_then(|id| self.unique_id(id, "event id", &mut ids));
            let at_span = span(self.source, &e.at);
            let placed = self.at(&e.at.value.0, at_span.clone(), zone, previous, chain_broken);
            let at = placed.map(|(at, _)| at);
            chain_broken = at.is_none();
            previous = at.or(previous);
            let phase = e
                .phase
                .as_ref()
                .map(|p| self.keyword(p, "phase", Phase::parse, Phase::NAMES));
            let milestone = e
                .milestone
                .as_ref()
                .map(|m| self.milestone(m, &mut milestones));
            let severity = e.severity.as_ref().map(|s| self.severity(s));
            let (status, status_spans) = self.status_map(&e.status, &declared);
            let measures = self.measures(&e.measures, &declared);
            let text = self.non_empty(&e.text, "event text");
            let update = match &e.update {
                Some(u) => self.non_empty(u, "public update").map(Some),
                None => Some(None),
            };
            let has_bad_id = e.id.is_some() && id.is_none();
            let phase_bad = matches!(phase, Some(None))
                || matches!(milestone, Some(None))
                || matches!(severity, Some(None));
            match (placed, status, text, measures) {
                (Some((at, dated)), Some(status), Some(text), Some(measures))
                    if !has_bad_id && !phase_bad && update.is_some() =>
                {
                    out.push(Located {
                        event: Event {
                            id,
                            at,
                            phase: phase.flatten(),
                            milestone: milestone.flatten(),
                            severity: severity.flatten(),
                            status,
                            text,
                            update: update.flatten(),
                            internal: e.internal,
                            measures,
                            approximate: e.approximate || time::split_approximate(&e.at.value.0).0,
                            region: e.region.as_ref().map(|r| r.value.trim().to_owned()),
                        },
                        written,
                        dated,
                        at_span,
                        phase_span: e.phase.as_ref().map(|p| self.span(p)),
                        severity_span: e.severity.as_ref().map(|s| self.span(s)),
                        status_spans,
                    });
                }
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// A milestone the config declares, marked once in the timeline (it may be before
    /// `started`: impact often starts before the incident does).
    fn milestone(&mut self, value: &SpannedStr, seen: &mut SeenIds) -> Option<String> {
        let config = self.config;
        let span = self.span(value);
        let name = value.value.as_str();
        if !config.milestones.iter().any(|m| m.name == name) {
            let names: Vec<&str> = config.milestones.iter().map(|m| m.name.as_str()).collect();
            let declare = format!("declare it in postevent.toml under `[milestones.{name}]`");
            let (hint, close) = if Phase::parse(name).is_some() {
                (format!("`{name}` is a phase: write `phase: {name}`"), None)
            } else if names.is_empty() {
                (format!("no milestones are declared; {declare}"), None)
            } else {
                let close = did_you_mean(name, names.iter().copied());
                let list = format!("the milestones are {}; or {declare}", one_of(&names));
                match close {
                    Some(close) => (format!("did you mean `{close}`? {list}"), Some(close)),
                    None => (list, None),
                }
            };
            self.push(
                Diagnostic::new(Code::InvalidValue, format!("unknown milestone `{name}`"))
                    .at(span.clone(), "not a declared milestone")
                    .hint(hint)
                    .suggest(span, close),
            );
            return None;
        }
        if let Some(first) = seen.get(name) {
            self.push(
                Diagnostic::new(
                    Code::MilestoneRepeated,
                    format!("milestone `{name}` is marked twice"),
                )
                .at(span, "marked again here")
                .related(first.clone(), "first marked here")
                .hint("a milestone happens once; remove `milestone:` from one of the events"),
            );
            return None;
        }
        seen.insert(name.to_owned(), span);
        Some(name.to_owned())
    }

    /// An id that must also be unique among `seen`.
    pub fn unique_id(&mut self, id: &SpannedStr, what: &str, seen: &mut SeenIds) -> Option<String> {
        let value = self.id(id, what)?;
        let span = self.span(id);
        if let Some(first) = seen.get(&value) {
            self.push(
                Diagnostic::new(Code::DuplicateId, format!("duplicate {what} `{value}`"))
                    .at(span, "used again here")
                    .related(first.clone(), "first used here")
                    .hint(format!(
                        "each {what} must be unique in the file; rename one"
                    )),
            );
            return None;
        }
        seen.insert(value.clone(), span);
        Some(value)
    }

    fn at(
        &mut self,
        text: &str,
        span: Range<usize>,
        zone: Option<Tz>,
        previous: Option<DateTime<Utc>>,
        chain_broken: bool,
    ) -> Option<(DateTime<Utc>, bool)> {
        let spec = match time::parse(text) {
            Ok(spec) => spec,
            Err(e) => {
                self.push(time_diagnostic(&e, span));
                return None;
            }
        };
        // Without a zone, or after an unreadable time, a local time cannot be placed; the error
        // already reported says enough.
        let needs_previous = matches!(spec, time::TimeSpec::TimeOfDay { .. });
        let zone = match zone {
            Some(zone) if !(chain_broken && needs_previous) => zone,
            _ if matches!(spec, time::TimeSpec::Instant(_)) => chrono_tz::UTC,
            _ => return None,
        };
        match time::resolve(&spec, zone, previous) {
            Ok(at) => Some((at, !needs_previous)),
            Err(e) => {
                self.push(time_diagnostic(&e, span));
                None
            }
        }
    }

    fn status_map(
        &mut self,
        map: &parse::StatusMap,
        declared: &Declared,
    ) -> (Option<StatusChanges>, Vec<Range<usize>>) {
        let mut out = Vec::new();
        let mut spans = Vec::new();
        let mut ok = true;
        for (service, status) in &map.0 {
            let service_span = self.span(service);
            // Declared names are trimmed (see `services`), so a key is read the same way.
            let name = service.value.trim();
            let known = declared.known.contains(name);
            if !known && declared.read {
                self.unknown_service(&service.value, name, service_span.clone(), declared);
            }
            let status = self.keyword(
                status,
                "service status",
                ServiceStatus::parse,
                ServiceStatus::NAMES,
            );
            match status {
                Some(s) if known => {
                    out.push((name.to_owned(), s));
                    spans.push(service_span);
                }
                _ => ok = false,
            }
        }
        (ok.then_some(out), spans)
    }

    /// E012 for `written` (read as `name`) at `span`, with up to three declared names close to it.
    fn unknown_service(
        &mut self,
        written: &str,
        name: &str,
        span: Range<usize>,
        declared: &Declared,
    ) {
        let (hint, close) = if self.keeps(Code::UnknownService) {
            let close = self.suggest(name, declared.names);
            (self.unknown_service_hint(&close, declared.names), close)
        } else {
            (String::new(), Vec::new())
        };
        self.push(
            Diagnostic::new(Code::UnknownService, format!("unknown service `{written}`"))
                .at(span.clone(), "not declared under `services:`")
                .hint(hint)
                .suggest(span, close),
        );
    }

    /// "did you mean" up to three declared names, else where to declare it.
    fn unknown_service_hint(&self, close: &[&str], names: &[&str]) -> String {
        if !close.is_empty() {
            format!("did you mean {}?", one_of(close))
        } else if names.is_empty() {
            "declare it under `services:` at the top of the log".to_owned()
        } else if names.len() <= 3 {
            format!(
                "declare it under `services:`; declared services are {}",
                one_of(names)
            )
        } else {
            format!(
                "declare it under `services:`, or name one of the {} declared services",
                names.len()
            )
        }
    }

    fn action_items(&mut self, raw: &[RawActionItem]) -> Option<Vec<ActionItem>> {
        let mut ids = SeenIds::new();
        let mut out = Vec::new();
        let mut ok = true;
        for a in raw {
            let id =
                a.id.as_ref()
                    .map(|id| self.unique_id(id, "action item id", &mut ids));
            let title = self.non_empty(&a.title, "action item title");
            let kind = self.keyword(
                &a.kind,
                "action item kind",
                ActionKind::parse,
                ActionKind::NAMES,
            );
            let status = match &a.status {
                Some(s) => self.keyword(
                    s,
                    "action item status",
                    ActionStatus::parse,
                    ActionStatus::NAMES,
                ),
                None => Some(ActionStatus::Open),
            };
            let due = a
                .due
                .as_ref()
                .map(|d| self.date(&d.value.0, span(self.source, d)));
            let owner = a.owner.clone().filter(|o| !o.trim().is_empty());
            if owner.is_none() {
                let title_span = self.span(&a.title);
                self.push(
                    Diagnostic::new(
                        Code::ActionItemWithoutOwner,
                        format!("action item `{}` has no owner", a.title.value.trim()),
                    )
                    .at(title_span, "nobody owns this")
                    .hint("add `owner:` (a person or a team): an action item without an owner rarely gets done"),
                );
            }
            match (id, title, kind, status, due) {
                (
                    Some(Some(_)) | None,
                    Some(title),
                    Some(kind),
                    Some(status),
                    Some(Some(_)) | None,
                ) => {
                    out.push(ActionItem {
                        id: a.id.as_ref().map(|i| i.value.clone()),
                        title,
                        kind,
                        owner,
                        due: a
                            .due
                            .as_ref()
                            .and_then(|d| NaiveDate::parse_from_str(&d.value.0, "%Y-%m-%d").ok()),
                        status,
                        link: a.link.clone(),
                    });
                }
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn date(&mut self, text: &str, span: Range<usize>) -> Option<NaiveDate> {
        match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.push(
                    Diagnostic::new(Code::InvalidDate, format!("`{text}` is not a date"))
                        .at(span, "not a date")
                        .hint("write a date as `YYYY-MM-DD`, e.g. `2025-11-15`"),
                );
                None
            }
        }
    }
}

/// The diagnostic for a time that cannot be placed.
fn time_diagnostic(e: &time::TimeError, span: Range<usize>) -> Diagnostic {
    use time::TimeError::*;
    let (code, label) = match e {
        Syntax(_) => (Code::InvalidTime, "not a time"),
        LeapSecond(_) => (Code::InvalidTime, "second 60"),
        Nonexistent { .. } => (Code::NonexistentTime, "skipped by a clock change"),
        Ambiguous { .. } => (Code::AmbiguousTime, "happens twice"),
        WrongAbbreviation { .. } => (Code::WrongAbbreviation, "wrong zone abbreviation"),
        NoPreviousDate { .. } | Backwards { .. } => (Code::TimeGoesBackwards, "needs a date"),
    };
    Diagnostic::new(code, e.to_string())
        .at(span, label)
        .hint(e.hint())
}

/// A control character, or a Unicode non-character (U+FDD0..U+FDEF, and the last two code
/// points of every plane, such as U+FFFE).
fn is_unsafe_char(c: char) -> bool {
    let n = u32::from(c);
    c.is_control() || (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

/// The values of spanned strings.
fn values(list: Vec<SpannedStr>) -> Vec<String> {
    list.into_iter().map(|s| s.value).collect()
}

/// Whether `id` is lowercase letters, digits and `-`, starting with a letter or digit.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !is_device_name(id)
}

/// Whether `id` is a Windows device name (`con`, `nul`, `com1`, ...): ids name files (a log,
/// a site page), and on Windows `con.yaml` or `nul.html` is the device, not a file.
pub fn is_device_name(id: &str) -> bool {
    const NAMES: &[&str] = &["con", "prn", "aux", "nul"];
    let numbered = ["com", "lpt"].iter().any(|prefix| {
        id.strip_prefix(prefix)
            .is_some_and(|n| n.len() == 1 && n.chars().all(|c| c.is_ascii_digit()))
    });
    NAMES.contains(&id) || numbered
}

/// A valid id made from arbitrary text: `AWS Outage!` -> `aws-outage`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (found by the `import_statuspage` fuzz target): a service declared as
    /// `" API"` was stored trimmed, but a status key `" API"` was not, so the log's own
    /// spelling was an unknown service.
    #[test]
    fn status_keys_are_trimmed_like_declared_names() {
        let text = "title: T\nseverity: SEV3\nstatus: resolved\nservices: [\" API \"]\ntimeline:\n  - at: 2026-01-01 10:00\n    phase: started\n    status: {\" API \": major_outage}\n    text: x\n  - at: 2026-01-01 10:30\n    phase: resolved\n    status: {\" API\": operational}\n    text: y\n";
        let checked = check(&Source::from_text("t.yaml", text), Limits::default());
        assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
        let incident = checked.incident.unwrap();
        assert_eq!(incident.timeline[0].status[0].0, "API");
    }

    #[test]
    fn roles_name_somebody() {
        let log = |roles: &str| {
            let text = format!(
                "title: T\nseverity: SEV3\n{roles}timeline:\n  - at: 2026-01-01 10:30\n    text: x\n"
            );
            check(&Source::from_text("t.yaml", text), Limits::default())
        };
        let ok = log(
            "roles:\n  incident_commander: \" Ana Lima \"\n  scribe: [Ben, Chloe]\nresponders: [Dev]\n",
        );
        assert_eq!(ok.errors(), 0, "{:?}", ok.diagnostics);
        let incident = ok.incident.unwrap();
        assert_eq!(incident.roles[0].people, ["Ana Lima"]);
        assert_eq!(incident.roles[1].people, ["Ben", "Chloe"]);
        assert_eq!(incident.responders, ["Dev"]);
        for (roles, label) in [
            ("roles:\n  incident_commander:\n", "no name"),
            ("roles:\n  incident_commander: []\n", "no name"),
            ("roles:\n  scribe: [Ben, \"\"]\n", "no name"),
            ("responders: [\" \"]\n", "empty"),
        ] {
            let bad = log(roles);
            let d = &bad.diagnostics[0];
            assert_eq!((d.code, bad.errors()), (Code::EmptyValue, 1), "{roles}");
            assert_eq!(d.label.as_deref(), Some(label), "{roles}");
        }
        // A list where the map goes: refused, at the list.
        let wrong = log("roles: [Ana]\n");
        assert_eq!(wrong.errors(), 1);
        assert_eq!(wrong.diagnostics[0].span.clone().map(|s| s.start), Some(31));
    }

    #[test]
    fn timeline_spans_follow_the_sorted_timeline() {
        let text = "title: T\nseverity: SEV3\ntimeline:\n  - at: 2026-01-01 10:30\n    text: later\n  - at: 2026-01-01 10:00\n    text: earlier\n";
        let checked = check(&Source::from_text("t.yaml", text), Limits::default());
        let incident = checked.incident.expect("valid");
        assert_eq!(incident.timeline[0].text, "earlier");
        let written: Vec<&str> = checked
            .timeline_spans
            .iter()
            .map(|s| &text[s.clone()])
            .collect();
        assert_eq!(written, ["2026-01-01 10:00", "2026-01-01 10:30"]);
        let broken = check(
            &Source::from_text(
                "t.yaml",
                "title: T\nseverity: SEV9\ntimeline:\n  - at: 2026-01-01 10:30\n    text: x\n",
            ),
            Limits::default(),
        );
        assert!(broken.incident.is_none() && broken.timeline_spans.is_empty());
    }

    /// A level off the scale is told where the scale ends; a level on it spelled otherwise is
    /// told the spelling.
    #[test]
    fn severities_off_the_scale() {
        let hint = |severity: &str| {
            let text = format!(
                "title: T\nseverity: {severity}\ntimeline:\n  - at: 2026-01-01 10:30\n    text: x\n"
            );
            let checked = check(&Source::from_text("t.yaml", text), Limits::default());
            let d = checked
                .diagnostics
                .iter()
                .find(|d| d.code == Code::InvalidValue)
                .expect("an invalid severity");
            (d.hint.clone().unwrap_or_default(), d.suggestions.len())
        };
        let (sev0, fixes) = hint("SEV0");
        assert!(sev0.contains("the worst severity here is `SEV1`"), "{sev0}");
        assert_eq!(fixes, 0, "no quick fix turns SEV0 into SEV5");
        assert!(hint("SEV9").0.contains("the least severe here is `SEV5`"));
        assert_eq!(hint("sev-2"), ("write it `SEV2`".to_owned(), 1));
        assert!(hint("critical").0.contains("severity is one of"));
        assert_eq!(
            hint("SEV 3").1,
            1,
            "a level with a space is told its spelling"
        );
    }

    /// With a config, the scale is the config's: SEV0 is its worst, SEV1 a level.
    #[test]
    fn severities_follow_the_configured_scale() {
        let config = crate::config::parse(&Source::from_text(
            "postevent.toml",
            "[severities]\nlevels = [\"SEV0\", \"SEV1\", \"SEV2\", \"SEV3\", \"SEV4\"]\n",
        ))
        .unwrap();
        let run = |severity: &str| {
            let text = format!(
                "title: T\nseverity: {severity}\ntimeline:\n  - at: 2026-01-01 10:30\n    text: x\n"
            );
            check_with(
                &Source::from_text("t.yaml", text),
                Limits::default(),
                &config,
            )
        };
        let sev0 = run("SEV0").incident.unwrap().severity;
        assert_eq!((sev0.as_str(), sev0.rank()), ("SEV0", 0));
        let hint = run("SEV5").diagnostics[0].hint.clone().unwrap();
        assert!(hint.contains("the least severe here is `SEV4`"), "{hint}");
        let hint = run("SEV-1").diagnostics[0].hint.clone().unwrap();
        assert!(hint.contains("write it `SEV1`"), "{hint}");
    }

    /// W004 and W005 underline what is to be fixed: an empty `summary:` itself; without a
    /// `status:`, the event that resolved the incident (never the title).
    #[test]
    fn resolved_lints_point_at_what_to_fix() {
        let log = |top: &str| {
            let text = format!(
                "title: T\nseverity: SEV3\n{top}timeline:\n  - at: 2026-01-01 10:00\n    phase: started\n    text: x\n  - at: 2026-01-01 10:05\n    phase: detected\n    text: y\n  - at: 2026-01-01 10:30\n    phase: resolved\n    text: z\n"
            );
            let checked = check(
                &Source::from_text("t.yaml", text.clone()),
                Limits::default(),
            );
            checked
                .diagnostics
                .iter()
                .map(|d| {
                    let span = d.span.clone().unwrap_or_default();
                    (
                        d.code.code(),
                        text[span].to_owned(),
                        d.label.clone().unwrap_or_default(),
                    )
                })
                .collect::<Vec<_>>()
        };
        let empty = log("summary: ''\nstatus: resolved\n");
        assert_eq!(empty, [("W004", "''".to_owned(), "empty".to_owned())]);
        let missing = log("");
        assert_eq!(
            missing,
            [
                (
                    "W004",
                    "resolved".to_owned(),
                    "resolved, but no `summary:`".to_owned()
                ),
                ("W005", "resolved".to_owned(), "resolved here".to_owned()),
            ]
        );
        let written = log("status: monitoring\n");
        assert!(written.contains(&("W005", "monitoring".to_owned(), "not resolved".to_owned())));
    }

    /// Every "did you mean" carries its replacement for the exact text it names.
    #[test]
    fn did_you_mean_hints_carry_their_replacement() {
        let text = "title: T\nseverity: SEV3\ntimezone: Europe/Berln\nservices: [DynamoDB]\ntimeline:\n  - at: 2026-01-01 10:30\n    phase: detcted\n    status: {Dynamodb: major_outage}\n    text: x\n";
        let checked = check(&Source::from_text("t.yaml", text), Limits::default());
        let fixes: Vec<(&str, &str)> = checked
            .diagnostics
            .iter()
            .flat_map(|d| &d.suggestions)
            .map(|s| (&text[s.span.clone()], s.replacement.as_str()))
            .collect();
        assert_eq!(
            fixes,
            [
                ("Europe/Berln", "Europe/Berlin"),
                ("detcted", "detected"),
                ("Dynamodb", "DynamoDB")
            ]
        );
        let unknown = check(
            &Source::from_text("t.yaml", "titel: T\n"),
            Limits::default(),
        );
        let s = &unknown.diagnostics[0].suggestions[0];
        assert_eq!(
            (&"titel: T\n"[s.span.clone()], s.replacement.as_str()),
            ("titel", "title")
        );
    }

    #[test]
    fn ids() {
        for good in ["a", "aws-2025-10-20", "0day"] {
            assert!(is_valid_id(good), "{good}");
        }
        for bad in [
            "", "-a", "A", "a_b", "../x", "a/b", "a.b", "con", "nul", "com1", "lpt9",
        ] {
            assert!(!is_valid_id(bad), "{bad}");
        }
        assert_eq!(slug("AWS Outage!"), "aws-outage");
        assert_eq!(slug("../../etc"), "etc");
    }
}
