//! Timelines from elsewhere into incident logs: an Atlassian Statuspage API v2 document or the
//! Google Cloud status `incidents.json` becomes one [`Draft`] per incident, a Slack channel
//! export or a PagerDuty incident log one draft, and each draft becomes the text of a log that
//! passes `check` ([`Draft::to_yaml`], the one writer of imported logs). Text reaches the
//! Markdown through one escaper (`crate::escape::markdown_text`).
//!
//! The two status feeds share the phase rules in [`Draft::new`]: `started` is the feed's own start
//! field (Statuspage `started_at`, GCP `begin`), never the first update; the first update is
//! `detected` and `acknowledged`; `resolved` is the feed's end field (`resolved_at`, `end`),
//! so that the log's duration equals end - start to the second.

pub mod gcp;
mod html;
pub mod pagerduty;
pub mod slack;
pub mod statuspage;

use std::collections::BTreeSet;

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use thiserror::Error;

pub use html::to_markdown;

use crate::authoring::{NewEvent, event_text, yaml};
use crate::model::{Phase, Scale, ServiceStatus, Severity, Status};
use crate::validate::slug;

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    #[error("not JSON: {message}")]
    Json {
        message: String,
        line: usize,
        column: usize,
    },
    #[error("not {expected}: {reason}")]
    Shape {
        expected: &'static str,
        reason: String,
    },
    #[error("{at}: {message}")]
    Field { at: String, message: String },
    /// Bad input with a hint, at a line and column of one file when known (Slack, PagerDuty).
    #[error("{message}")]
    Input {
        /// The file inside the input (a Slack export holds many), when not the input itself.
        file: Option<String>,
        /// Line and column of the JSON, from 1.
        at: Option<(usize, usize)>,
        message: String,
        hint: Option<String>,
    },
}

impl ImportError {
    fn json(e: &serde_json::Error) -> Self {
        ImportError::Json {
            message: json_message(e),
            line: e.line(),
            column: e.column(),
        }
    }

    /// A document that is not JSON or not of the expected shape, located in `file` (inside
    /// the input; `None` for the input itself), with `hint`.
    fn from_serde(e: &serde_json::Error, file: Option<&str>, hint: &str) -> Self {
        let message = match e.classify() {
            serde_json::error::Category::Data => json_message(e),
            _ => format!("not JSON: {}", json_message(e)),
        };
        ImportError::Input {
            file: file.map(str::to_owned),
            // serde_json says column 0 at the end of a file that ends with a line break.
            at: (e.line() > 0).then(|| (e.line(), e.column().max(1))),
            message,
            hint: Some(hint.to_owned()),
        }
    }

    /// A problem with no place in a file.
    fn input(message: impl Into<String>, hint: Option<String>) -> Self {
        ImportError::Input {
            file: None,
            at: None,
            message: message.into(),
            hint,
        }
    }

    /// Where the problem is: a file inside the input, and a line and column.
    pub fn place(&self) -> (Option<&str>, Option<(usize, usize)>) {
        match self {
            ImportError::Json { line, column, .. } => (None, Some((*line, *column))),
            ImportError::Input { file, at, .. } => (file.as_deref(), *at),
            _ => (None, None),
        }
    }

    pub fn hint(&self) -> Option<&str> {
        match self {
            ImportError::Input { hint, .. } => hint.as_deref(),
            _ => None,
        }
    }
}

/// serde_json's message without its " at line L column C" (the place is told apart).
fn json_message(e: &serde_json::Error) -> String {
    let message = e.to_string();
    message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned()
}

/// One update of a feed, in the feed's terms mapped to ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub at: DateTime<Utc>,
    /// The phase the update's status stands for (identified, mitigated, resolved), if any.
    pub phase: Option<Phase>,
    /// Services whose status changes here.
    pub status: Vec<(String, ServiceStatus)>,
    /// Markdown.
    pub text: String,
    /// Markdown: what the feed published to customers here (a status page post), written as
    /// the event's `update:`.
    pub published: Option<String>,
}

/// One event of a draft log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftEvent {
    pub at: DateTime<Utc>,
    pub phase: Option<Phase>,
    pub status: Vec<(String, ServiceStatus)>,
    pub text: String,
    /// Kept out of public reports (chat and pager entries are).
    pub internal: bool,
    /// Markdown published to customers at this moment (`update:`).
    pub update: Option<String>,
}

/// An incident ready to be written as a log.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The incident id and file stem.
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub timezone: Tz,
    pub regions: Vec<String>,
    pub tags: Vec<String>,
    pub services: Vec<String>,
    pub summary: Option<String>,
    /// Sorted by time.
    pub timeline: Vec<DraftEvent>,
    pub links: Vec<(String, String)>,
    /// Where it came from, for the comment at the top of the file.
    pub origin: String,
}

/// What an importer knows about one incident.
#[derive(Debug, Clone)]
pub struct Feed {
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub timezone: Tz,
    pub started: DateTime<Utc>,
    /// When it ended, if it did.
    pub resolved: Option<DateTime<Utc>>,
    /// In any order; they are sorted by time (stable).
    pub updates: Vec<Update>,
    /// Services named by the feed, even those no update changes.
    pub services: Vec<String>,
    pub regions: Vec<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub links: Vec<(String, String)>,
    pub origin: String,
}

impl Draft {
    /// The draft with its severity moved onto `scale` by rank: an importer reads a feed's
    /// severity on the built-in SEV1-SEV5 scale, and its worst level is the worst of any
    /// scale (`SEV0` on a SEV0-SEV4 scale); a shorter scale takes the rest as its least.
    pub fn on_scale(self, scale: &Scale) -> Draft {
        Draft {
            severity: scale.at(self.severity.rank()),
            ..self
        }
    }

    /// Applies the phase rules to a feed (see the module docs).
    pub fn new(feed: Feed) -> Draft {
        let mut feed = feed;
        merge_case_variants(&mut feed.updates, &mut feed.services);
        let mut updates = feed.updates;
        updates.sort_by_key(|u| u.at);
        // A resolved incident needs a `resolved` phase: without an end time, its last update.
        let resolved = (feed.status == Status::Resolved).then(|| {
            feed.resolved
                .unwrap_or_else(|| updates.last().map_or(feed.started, |u| u.at))
        });
        let mut started = feed.started;
        if let Some(first) = updates.first() {
            started = started.min(first.at);
        }
        if let Some(end) = resolved {
            started = started.min(end);
        }
        let mut timeline = vec![DraftEvent {
            at: started,
            phase: Some(Phase::Started),
            status: Vec::new(),
            text: "Impact starts (the start time the status page gives).".into(),
            internal: false,
            update: None,
        }];
        let mut reached = Phase::Started;
        let mut resolved_written = false;
        for (i, update) in updates.into_iter().enumerate() {
            let before_end = resolved.is_none_or(|end| update.at <= end);
            let mut phases = Vec::new();
            if i == 0 {
                phases.extend([Phase::Detected, Phase::Acknowledged]);
            }
            match update.phase {
                Some(Phase::Resolved) if resolved == Some(update.at) => {
                    phases.push(Phase::Resolved);
                    resolved_written = true;
                }
                Some(Phase::Resolved) | None => {}
                Some(p) => phases.push(p),
            }
            phases.retain(|&p| p > reached && (before_end || p == Phase::Resolved));
            let status = if before_end {
                update.status
            } else {
                Vec::new()
            };
            if let Some((&last, earlier)) = phases.split_last() {
                for &phase in earlier {
                    timeline.push(marker(update.at, phase));
                }
                reached = last;
            }
            timeline.push(DraftEvent {
                at: update.at,
                phase: phases.last().copied(),
                status,
                text: update.text,
                internal: false,
                update: update.published,
            });
        }
        if let Some(end) = resolved
            && !resolved_written
        {
            timeline.push(DraftEvent {
                at: end,
                phase: Some(Phase::Resolved),
                status: Vec::new(),
                text: "Resolved (the end time the status page gives).".into(),
                internal: false,
                update: None,
            });
        }
        timeline.sort_by_key(|e| e.at);
        if resolved.is_some() {
            close_windows(&mut timeline);
        }
        let mut services = Vec::new();
        for name in timeline
            .iter()
            .flat_map(|e| e.status.iter().map(|(s, _)| s))
            .chain(&feed.services)
        {
            if !services.contains(name) {
                services.push(name.clone());
            }
        }
        let regions: BTreeSet<String> = feed.regions.into_iter().collect();
        Draft {
            id: String::new(),
            title: feed.title,
            severity: feed.severity,
            status: feed.status,
            timezone: feed.timezone,
            regions: regions.into_iter().collect(),
            tags: feed.tags,
            services,
            summary: feed.summary.filter(|s| !s.trim().is_empty()),
            timeline,
            links: feed.links,
            origin: feed.origin,
        }
    }

    /// Bytes of text the log holds at the least: its title, summary, event texts, names and
    /// links, before any YAML around them. A draft whose text alone is over a budget can be
    /// refused before its log is built.
    pub fn text_len(&self) -> usize {
        let names = self.regions.iter().chain(&self.tags).chain(&self.services);
        let events = self
            .timeline
            .iter()
            .map(|e| e.text.len() + e.status.iter().map(|(name, _)| name.len()).sum::<usize>());
        let links = self
            .links
            .iter()
            .map(|(title, url)| title.len() + url.len());
        self.title.len()
            + self.origin.len()
            + self.summary.as_ref().map_or(0, String::len)
            + names.map(String::len).sum::<usize>()
            + events.sum::<usize>()
            + links.sum::<usize>()
    }

    /// The YAML text of the log.
    pub fn to_yaml(&self) -> String {
        // The origin quotes the feed (its incident id, its page name): in a comment, any line
        // break (`\r` too) or control character would end it or break the YAML.
        let origin: String = self
            .origin
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let mut out = format!(
            "# {origin}\n# Imported by postevent; edit freely.\nid: {}\n",
            self.id
        );
        out.push_str(&yaml::field("title", &self.title, 0));
        out.push('\n');
        out.push_str(&format!(
            "severity: {}\nstatus: {}\n",
            self.severity, self.status
        ));
        out.push_str(&format!(
            "timezone: {}\n",
            yaml::scalar(self.timezone.name())
        ));
        for (key, list) in [("regions", &self.regions), ("tags", &self.tags)] {
            if !list.is_empty() {
                out.push_str(&format!("{key}:\n"));
                for item in list {
                    out.push_str(&format!("  - {}\n", yaml::scalar(item)));
                }
            }
        }
        if !self.services.is_empty() {
            out.push_str("services:\n");
            for name in &self.services {
                out.push_str(&format!("  - {}\n", yaml::scalar(name)));
            }
        }
        if let Some(summary) = &self.summary {
            out.push_str(&yaml::field("summary", &block(summary), 0));
            out.push('\n');
        }
        out.push_str("\ntimeline:\n");
        for (i, e) in self.timeline.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let event = NewEvent {
                id: None,
                at: e
                    .at
                    .with_timezone(&self.timezone)
                    .to_rfc3339_opts(SecondsFormat::AutoSi, true),
                phase: e.phase,
                severity: None,
                status: e.status.clone(),
                text: block(&e.text),
                update: e.update.as_deref().map(block),
                internal: e.internal,
            };
            out.push_str(&event_text(&event, 2, 4));
        }
        if !self.links.is_empty() {
            out.push_str("\nlinks:\n");
            for (title, url) in &self.links {
                out.push_str(&yaml::field("title", title, 4).replacen("    ", "  - ", 1));
                out.push('\n');
                out.push_str(&yaml::field("url", url, 4));
                out.push('\n');
            }
        }
        out
    }
}

/// Multi-line Markdown ends with a newline, so it is written as a `|` block.
fn block(text: &str) -> String {
    let text = text.trim();
    if text.contains('\n') {
        format!("{text}\n")
    } else if text.is_empty() {
        "(no text)".into()
    } else {
        text.to_owned()
    }
}

/// Gives every service one spelling, trimmed (a nameless one is dropped). `check` takes names
/// that differ only by letter case for one service (and refuses to declare both), but a feed
/// may spell a component both ways; the spelling in the feed's list of services wins, else
/// the first one in the updates. An update that then names a service twice keeps the last
/// status.
fn merge_case_variants(updates: &mut [Update], services: &mut Vec<String>) {
    let mut spellings: Vec<String> = Vec::new();
    let mut canonical = |name: &str| -> String {
        match spellings.iter().find(|s| s.eq_ignore_ascii_case(name)) {
            Some(s) => s.clone(),
            None => {
                spellings.push(name.to_owned());
                name.to_owned()
            }
        }
    };
    let mut merged = Vec::new();
    for name in services.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let name = canonical(name);
        if !merged.contains(&name) {
            merged.push(name);
        }
    }
    *services = merged;
    for update in updates {
        let mut status: Vec<(String, ServiceStatus)> = Vec::new();
        for (name, value) in update.status.drain(..) {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let name = canonical(name);
            status.retain(|(n, _)| *n != name);
            status.push((name, value));
        }
        update.status = status;
    }
}

/// An event that only marks a phase reached at the same moment as an update.
fn marker(at: DateTime<Utc>, phase: Phase) -> DraftEvent {
    let text = match phase {
        Phase::Detected => "Detected: the first update on the status page.",
        Phase::Acknowledged => "Acknowledged: the first update on the status page.",
        _ => "Reached with the update that follows.",
    };
    DraftEvent {
        at,
        phase: Some(phase),
        status: Vec::new(),
        text: text.into(),
        internal: false,
        update: None,
    }
}

/// Sets every service still out of `operational` back to it at the `resolved` event, so a
/// resolved incident has no open impact window; changes after it that would reopen one are
/// dropped (status pages sometimes post a late update with stale component states).
fn close_windows(timeline: &mut [DraftEvent]) {
    let mut open: Vec<String> = Vec::new();
    let mut after_resolved = false;
    for event in timeline.iter_mut() {
        if after_resolved {
            event
                .status
                .retain(|(_, s)| *s == ServiceStatus::Operational);
            continue;
        }
        for (service, status) in &event.status {
            open.retain(|s| s != service);
            if *status != ServiceStatus::Operational {
                open.push(service.clone());
            }
        }
        if event.phase == Some(Phase::Resolved) {
            open.sort();
            for service in open.drain(..) {
                // The resolved update itself may leave a service out of `operational`.
                match event.status.iter_mut().find(|(s, _)| *s == service) {
                    Some(entry) => entry.1 = ServiceStatus::Operational,
                    None => event.status.push((service, ServiceStatus::Operational)),
                }
            }
            after_resolved = true;
        }
    }
}

/// Gives every draft an id and file stem, `<date>-<slug of the title>`, made unique within
/// the batch with the feed's own id. `stem_extra` is that id for each draft.
pub fn assign_ids(drafts: &mut [Draft], feed_ids: &[String]) {
    let mut seen = BTreeSet::new();
    for (draft, feed_id) in drafts.iter_mut().zip(feed_ids) {
        let date = draft
            .timeline
            .first()
            .map(|e| e.at.with_timezone(&draft.timezone).date_naive().to_string())
            .unwrap_or_default();
        let mut title = slug(&draft.title);
        if title.len() > 50 {
            let cut = title[..=50].rfind('-').unwrap_or(50);
            title.truncate(cut);
        }
        let base = [date.as_str(), title.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("-");
        let mut id = base.clone();
        if seen.contains(&id) {
            id = format!("{base}-{}", slug(feed_id));
        }
        let mut n = 2;
        while seen.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        seen.insert(id.clone());
        draft.id = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn severities_move_onto_the_scale_by_rank() {
        let draft = |n: usize| Draft {
            severity: Severity::default_level(n),
            ..Draft::new(feed(Vec::new(), None))
        };
        let scale = Scale {
            levels: ["P0", "P1", "P2"]
                .iter()
                .map(|name| crate::model::Level {
                    name: (*name).to_owned(),
                    label: None,
                })
                .collect(),
        };
        let on = |n: usize| draft(n).on_scale(&scale).severity.as_str().to_owned();
        assert_eq!([on(1), on(2), on(3), on(5)], ["P0", "P1", "P2", "P2"]);
        let default = Scale::default();
        assert_eq!(draft(4).on_scale(&default).severity.as_str(), "SEV4");
    }

    fn update(at: &str, phase: Option<Phase>, status: &[(&str, ServiceStatus)]) -> Update {
        Update {
            at: t(at),
            phase,
            status: status.iter().map(|(s, v)| (s.to_string(), *v)).collect(),
            text: format!("update at {at}"),
            published: None,
        }
    }

    fn feed(updates: Vec<Update>, resolved: Option<&str>) -> Feed {
        Feed {
            title: "API errors".into(),
            severity: Severity::default_level(2),
            status: if resolved.is_some() {
                Status::Resolved
            } else {
                Status::Investigating
            },
            timezone: chrono_tz::UTC,
            started: t("2025-01-01T10:00:00Z"),
            resolved: resolved.map(t),
            updates,
            services: vec!["API".into()],
            regions: vec![],
            tags: vec![],
            summary: Some("Summary.".into()),
            links: vec![],
            origin: "test".into(),
        }
    }

    /// Each event's time of day and phase.
    pub(super) fn phases(draft: &Draft) -> Vec<(String, Option<Phase>)> {
        draft
            .timeline
            .iter()
            .map(|e| (e.at.format("%H:%M:%S").to_string(), e.phase))
            .collect()
    }

    use ServiceStatus::*;

    #[test]
    fn phases_follow_the_updates_newest_first_or_not() {
        let updates = vec![
            update(
                "2025-01-01T11:00:00Z",
                Some(Phase::Resolved),
                &[("API", Operational)],
            ),
            update("2025-01-01T10:40:00Z", Some(Phase::Mitigated), &[]),
            update("2025-01-01T10:20:00Z", Some(Phase::Identified), &[]),
            update("2025-01-01T10:05:00Z", None, &[("API", MajorOutage)]),
        ];
        let draft = Draft::new(feed(updates, Some("2025-01-01T11:00:00Z")));
        let expected = [
            ("10:00:00", Some(Phase::Started)),
            ("10:05:00", Some(Phase::Detected)),
            ("10:05:00", Some(Phase::Acknowledged)),
            ("10:20:00", Some(Phase::Identified)),
            ("10:40:00", Some(Phase::Mitigated)),
            ("11:00:00", Some(Phase::Resolved)),
        ];
        let expected: Vec<_> = expected.iter().map(|(a, p)| (a.to_string(), *p)).collect();
        assert_eq!(phases(&draft), expected);
        assert_eq!(draft.timeline[2].status, vec![("API".into(), MajorOutage)]);
    }

    #[test]
    fn resolved_is_the_end_time_and_closes_windows() {
        let updates = vec![
            update("2025-01-01T10:05:00Z", None, &[("API", PartialOutage)]),
            update("2025-01-01T11:00:30Z", Some(Phase::Resolved), &[]),
            update("2025-01-01T12:00:00Z", None, &[("API", MajorOutage)]),
        ];
        let draft = Draft::new(feed(updates, Some("2025-01-01T11:00:07Z")));
        let resolved = draft
            .timeline
            .iter()
            .find(|e| e.phase == Some(Phase::Resolved))
            .unwrap();
        assert_eq!(resolved.at, t("2025-01-01T11:00:07Z"));
        assert_eq!(resolved.status, vec![("API".into(), Operational)]);
        assert!(draft.timeline.last().unwrap().status.is_empty());
    }

    #[test]
    fn a_resolved_incident_without_an_end_time_ends_at_its_last_update() {
        let updates = vec![update(
            "2025-01-01T10:05:00Z",
            None,
            &[("API", MajorOutage)],
        )];
        let mut feed = feed(updates, None);
        feed.status = Status::Resolved;
        let draft = Draft::new(feed);
        let last = draft.timeline.last().unwrap();
        assert_eq!(last.phase, Some(Phase::Resolved));
        assert_eq!(last.at, t("2025-01-01T10:05:00Z"));
        assert_eq!(last.status, vec![("API".into(), Operational)]);
        let yaml = draft.to_yaml();
        let checked = crate::validate::check(
            &crate::source::Source::from_text("x.yaml", yaml.clone()),
            crate::parse::Limits::default(),
        );
        assert_eq!(checked.errors(), 0, "{yaml}\n{:?}", checked.diagnostics);
    }

    #[test]
    fn a_late_regression_does_not_repeat_a_phase() {
        let updates = vec![
            update("2025-01-01T10:05:00Z", Some(Phase::Identified), &[]),
            update("2025-01-01T10:10:00Z", Some(Phase::Mitigated), &[]),
            update("2025-01-01T10:15:00Z", Some(Phase::Identified), &[]),
        ];
        let draft = Draft::new(feed(updates, None));
        let marked: Vec<_> = draft.timeline.iter().filter_map(|e| e.phase).collect();
        assert_eq!(
            marked,
            [
                Phase::Started,
                Phase::Detected,
                Phase::Acknowledged,
                Phase::Identified,
                Phase::Mitigated
            ]
        );
    }

    /// Regression (found by the `import_statuspage` fuzz target): a feed that spelt one
    /// component `REST API` and `REST APi` gave a log that `check` refused (E020, a service
    /// declared twice), so the whole import failed.
    #[test]
    fn services_that_differ_only_by_case_are_one_service() {
        let updates = vec![
            update("2025-01-01T10:05:00Z", None, &[("api ", MajorOutage)]),
            update(
                "2025-01-01T10:10:00Z",
                None,
                &[
                    ("Api", PartialOutage),
                    (" API", DegradedPerformance),
                    (" ", Operational),
                ],
            ),
        ];
        let draft = Draft::new(feed(updates, Some("2025-01-01T11:00:00Z")));
        assert_eq!(draft.services, ["API"]);
        let statuses: Vec<_> = draft.timeline.iter().flat_map(|e| &e.status).collect();
        assert!(
            statuses.iter().all(|(name, _)| name == "API"),
            "{statuses:?}"
        );
        let yaml = draft.to_yaml();
        let checked = crate::validate::check(
            &crate::source::Source::from_text("x.yaml", yaml.clone()),
            crate::parse::Limits::default(),
        );
        assert_eq!(checked.errors(), 0, "{yaml}\n{:?}", checked.diagnostics);
    }

    /// Regression (found by the `import_statuspage` fuzz target): a resolving update that
    /// still listed a component as degraded got a second `operational` entry for it, and the
    /// log had a duplicate key that `check` refused.
    #[test]
    fn a_resolving_update_that_leaves_a_service_degraded_closes_it_once() {
        let updates = vec![
            update("2025-01-01T10:05:00Z", None, &[("API", PartialOutage)]),
            update(
                "2025-01-01T11:00:00Z",
                Some(Phase::Resolved),
                &[("API", DegradedPerformance)],
            ),
        ];
        let draft = Draft::new(feed(updates, Some("2025-01-01T11:00:00Z")));
        let resolved = draft.timeline.last().unwrap();
        assert_eq!(resolved.phase, Some(Phase::Resolved));
        assert_eq!(resolved.status, vec![("API".into(), Operational)]);
    }

    /// Regression (found by the `import_statuspage` fuzz target): a DEL character in the
    /// feed's incident id reached the comment at the top of the log, which YAML refuses; a
    /// `\r` there would even end the comment and inject a key.
    #[test]
    fn control_characters_in_the_origin_stay_in_the_comment() {
        let mut feed = feed(vec![], Some("2025-01-01T11:00:00Z"));
        feed.origin = "incident a\u{7f}b\rtitle: injected\u{85}x".into();
        let yaml = Draft::new(feed).to_yaml();
        assert!(
            yaml.starts_with("# incident a b title: injected x\n"),
            "{yaml}"
        );
        let checked = crate::validate::check(
            &crate::source::Source::from_text("x.yaml", yaml.clone()),
            crate::parse::Limits::default(),
        );
        assert_eq!(checked.errors(), 0, "{yaml}\n{:?}", checked.diagnostics);
    }

    #[test]
    fn ids_are_unique_in_a_batch() {
        let draft = Draft::new(feed(vec![], None));
        let mut drafts = vec![draft.clone(), draft.clone(), draft];
        assign_ids(&mut drafts, &["abc".into(), "XyZ9".into(), "xyz9".into()]);
        let ids: Vec<_> = drafts.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "2025-01-01-api-errors",
                "2025-01-01-api-errors-xyz9",
                "2025-01-01-api-errors-2"
            ]
        );
    }
}
