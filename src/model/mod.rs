//! The validated incident: every value checked, every instant in UTC, the timeline sorted.
//! Nothing here is read from YAML directly; `validate` is the only way to build one.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Declares a closed set of keyword values with their spelling in the log.
macro_rules! keywords {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant,)*
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            /// Every spelling, in order, for messages.
            pub const NAMES: &'static [&'static str] = &[$($text,)*];

            /// How the value is written in a log.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            /// The value written as `text`, exactly.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)* _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// How bad an incident was: a level of the organisation's scale (`[severities]` in
/// `postevent.toml`; SEV1 to SEV5 by default) and its rank on it, 0 the worst. Ordered by
/// rank, so the worst of several is their minimum.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Severity {
    rank: usize,
    name: String,
}

impl Severity {
    /// The default scale, worst first.
    pub const NAMES: &'static [&'static str] = &["SEV1", "SEV2", "SEV3", "SEV4", "SEV5"];

    pub fn new(name: impl Into<String>, rank: usize) -> Severity {
        Severity {
            rank,
            name: name.into(),
        }
    }

    /// Level `n` of the default scale (`SEVn`), 1 the worst; past the end, the least severe.
    pub fn default_level(n: usize) -> Severity {
        Scale::default().at(n.saturating_sub(1))
    }

    /// As written in logs: `SEV1`.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// 0 for the worst level of the scale.
    pub fn rank(&self) -> usize {
        self.rank
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl Serialize for Severity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name)
    }
}

/// An organisation's severity scale, worst first; [`Scale::default`] is SEV1 to SEV5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    pub levels: Vec<Level>,
}

/// One level of a scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    /// As written in logs: `SEV0`.
    pub name: String,
    /// `Critical`, when the config gives one.
    pub label: Option<String>,
}

impl Default for Scale {
    fn default() -> Self {
        Scale {
            levels: Severity::NAMES
                .iter()
                .map(|name| Level {
                    name: (*name).to_owned(),
                    label: None,
                })
                .collect(),
        }
    }
}

impl Scale {
    /// The level written `name`, exactly.
    pub fn parse(&self, name: &str) -> Option<Severity> {
        self.levels
            .iter()
            .position(|l| l.name == name)
            .map(|rank| Severity::new(name, rank))
    }

    /// The level at `rank`, or the least severe when the scale is shorter.
    pub fn at(&self, rank: usize) -> Severity {
        let rank = rank.min(self.levels.len().saturating_sub(1));
        let name = self.levels.get(rank).map_or("", |l| l.name.as_str());
        Severity::new(name, rank)
    }

    /// Every name, worst first.
    pub fn names(&self) -> Vec<&str> {
        self.levels.iter().map(|l| l.name.as_str()).collect()
    }

    /// The class of `severity`'s colour (`sev1`, the worst, to `sev5`): a scale of another
    /// length is spread over the five colours, so its worst is red and its least grey.
    pub fn colour(&self, severity: &Severity) -> &'static str {
        const COLOURS: [&str; 5] = ["sev1", "sev2", "sev3", "sev4", "sev5"];
        let last = self.levels.len().saturating_sub(1);
        if last == 0 {
            return COLOURS[0];
        }
        let rank = severity.rank().min(last);
        COLOURS[(rank * 4 + last / 2) / last]
    }

    /// The label of `severity`, if the config gives one.
    pub fn label(&self, severity: &Severity) -> Option<&str> {
        self.levels
            .get(severity.rank())
            .filter(|l| l.name == severity.as_str())
            .and_then(|l| l.label.as_deref())
    }
}

keywords! {
    /// Where the response stands.
    Status {
        Investigating = "investigating",
        Identified = "identified",
        Monitoring = "monitoring",
        Resolved = "resolved",
    }
}

keywords! {
    /// A milestone of the response. Each occurs at most once, in this order.
    Phase {
        Started = "started",
        Detected = "detected",
        Acknowledged = "acknowledged",
        Identified = "identified",
        Mitigated = "mitigated",
        Resolved = "resolved",
    }
}

keywords! {
    /// The state of one service from an event on, as a status page would show it.
    ServiceStatus {
        Operational = "operational",
        DegradedPerformance = "degraded_performance",
        PartialOutage = "partial_outage",
        MajorOutage = "major_outage",
        UnderMaintenance = "under_maintenance",
    }
}

keywords! {
    /// What an action item is for.
    ActionKind { Mitigate = "mitigate", Prevent = "prevent", Process = "process", }
}

keywords! {
    /// Where an action item stands.
    ActionStatus { Open = "open", InProgress = "in_progress", Done = "done", WontDo = "wont_do", }
}

impl ServiceStatus {
    /// How bad a status is, for "worst status" of a window: higher is worse.
    pub fn badness(self) -> u8 {
        match self {
            ServiceStatus::Operational => 0,
            ServiceStatus::UnderMaintenance => 1,
            ServiceStatus::DegradedPerformance => 2,
            ServiceStatus::PartialOutage => 3,
            ServiceStatus::MajorOutage => 4,
        }
    }

    /// A human label: "partial outage".
    pub fn label(self) -> &'static str {
        match self {
            ServiceStatus::Operational => "operational",
            ServiceStatus::DegradedPerformance => "degraded performance",
            ServiceStatus::PartialOutage => "partial outage",
            ServiceStatus::MajorOutage => "major outage",
            ServiceStatus::UnderMaintenance => "under maintenance",
        }
    }
}

/// An affected service, as declared at the top of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub name: String,
    pub description: Option<String>,
    /// Known only inside the organisation: left out of public outputs with its status
    /// changes and impact windows (see [`crate::redact`]).
    pub internal: bool,
    /// The declared services this one needs (`depends_on:`), in the order written: its
    /// impact may come through them (see [`crate::metrics::cascade`]).
    pub depends_on: Vec<String>,
}

/// One moment of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// A stable id, if the author gave one (diff matches on it).
    pub id: Option<String>,
    pub at: DateTime<Utc>,
    pub phase: Option<Phase>,
    /// The custom milestone this event marks (postevent.toml's `[milestones]`).
    pub milestone: Option<String>,
    /// The severity from this moment on (`severity:` on the event).
    pub severity: Option<Severity>,
    /// Services whose status changes at this moment, in the order written.
    pub status: Vec<(String, ServiceStatus)>,
    /// Markdown.
    pub text: String,
    /// Markdown: what was published to customers at this moment (`update:`).
    pub update: Option<String>,
    pub internal: bool,
    /// The region its status changes apply to (`region:`, one of the incident's `regions`);
    /// `None` applies them to every region.
    pub region: Option<String>,
    /// Measured impact from this moment on (`measures:`), in the order written.
    pub measures: Vec<Measure>,
    /// The time is known to within minutes (`at: "~10:45"` or `approximate: true`).
    pub approximate: bool,
}

/// One measured value at an event: `error_rate_pct: 40`, or per service
/// `DynamoDB.error_rate_pct: 40`.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// `error_rate_pct`
    pub name: String,
    /// The declared service it measures, if the key names one.
    pub service: Option<String>,
    /// Always finite (validation refuses `.nan` and `.inf`).
    pub value: f64,
}

// Values are finite, so equality is total.
impl Eq for Measure {}

impl Measure {
    /// The key as written: `error_rate_pct` or `DynamoDB.error_rate_pct`.
    pub fn key(&self) -> String {
        match &self.service {
            Some(service) => format!("{service}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// What the team learned, each item Markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lessons {
    pub went_well: Vec<String>,
    pub went_wrong: Vec<String>,
    pub lucky: Vec<String>,
}

impl Lessons {
    pub fn is_empty(&self) -> bool {
        self.went_well.is_empty() && self.went_wrong.is_empty() && self.lucky.is_empty()
    }
}

/// A follow-up the team commits to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    pub id: Option<String>,
    pub title: String,
    pub kind: ActionKind,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    pub status: ActionStatus,
    pub link: Option<String>,
}

/// A role of the response (`incident_commander`) and who held it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// As written in the log.
    pub name: String,
    /// At least one person.
    pub people: Vec<String>,
}

/// A related page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A validated incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    /// Reads local times and is the default display zone.
    pub timezone: Tz,
    pub regions: Vec<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    /// Who held each role, in the order written. Internal unless the config says
    /// `public_roles = true`.
    pub roles: Vec<Role>,
    /// Everyone else who worked on the response; internal like `roles`.
    pub responders: Vec<String>,
    pub services: Vec<Service>,
    pub summary: Option<String>,
    pub impact: Option<String>,
    pub root_cause: Option<String>,
    pub trigger: Option<String>,
    pub detection: Option<String>,
    pub resolution: Option<String>,
    /// Sorted by time; events at the same instant keep the order they were written in.
    pub timeline: Vec<Event>,
    pub contributing_factors: Vec<String>,
    pub lessons: Lessons,
    pub action_items: Vec<ActionItem>,
    pub links: Vec<Link>,
    /// Never in a public report.
    pub internal_notes: Option<String>,
    /// Ids of incidents this one recurs with (`related:`), in the order written, each once.
    pub related: Vec<String>,
}

impl Incident {
    /// The event that marks `phase`, if any.
    pub fn phase_event(&self, phase: Phase) -> Option<&Event> {
        self.timeline.iter().find(|e| e.phase == Some(phase))
    }

    /// The instant of `phase`, if the timeline marks it.
    pub fn phase_at(&self, phase: Phase) -> Option<DateTime<Utc>> {
        self.phase_event(phase).map(|e| e.at)
    }

    /// The instant of the custom milestone `name`, if the timeline marks it.
    pub fn milestone_at(&self, name: &str) -> Option<DateTime<Utc>> {
        self.timeline
            .iter()
            .find(|e| e.milestone.as_deref() == Some(name))
            .map(|e| e.at)
    }

    /// A resolved incident is one whose status says so or whose timeline marks `resolved`.
    pub fn is_resolved(&self) -> bool {
        self.status == Status::Resolved || self.phase_at(Phase::Resolved).is_some()
    }

    /// The first and last instants of the timeline.
    pub fn span(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let first = self.timeline.first().map(|e| e.at).unwrap_or_default();
        let last = self.timeline.last().map(|e| e.at).unwrap_or(first);
        (first, last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_round_trip() {
        for s in ServiceStatus::ALL {
            assert_eq!(ServiceStatus::parse(s.as_str()), Some(*s));
        }
        let scale = Scale::default();
        assert_eq!(scale.parse("SEV1"), Some(Severity::default_level(1)));
        assert_eq!(scale.parse("sev1"), None);
        assert!(
            Severity::default_level(1) < Severity::default_level(2),
            "worst first"
        );
        assert_eq!(scale.at(9).as_str(), "SEV5");
        // The default scale keeps its colours; a longer one spreads over them, worst to least.
        let colours: Vec<&str> = (0..5).map(|r| scale.colour(&scale.at(r))).collect();
        assert_eq!(colours, ["sev1", "sev2", "sev3", "sev4", "sev5"]);
        let ten = Scale {
            levels: (0..10)
                .map(|i| Level {
                    name: format!("P{i}"),
                    label: None,
                })
                .collect(),
        };
        assert_eq!(ten.colour(&ten.at(0)), "sev1");
        assert_eq!(ten.colour(&ten.at(9)), "sev5");
        assert_eq!(Phase::NAMES.len(), Phase::ALL.len());
    }

    #[test]
    fn phases_are_ordered() {
        assert!(Phase::Started < Phase::Detected);
        assert!(Phase::Mitigated < Phase::Resolved);
    }

    #[test]
    fn major_outage_is_worst() {
        let worst = ServiceStatus::ALL.iter().max_by_key(|s| s.badness());
        assert_eq!(worst, Some(&ServiceStatus::MajorOutage));
    }
}
