//! A PagerDuty incident's log (REST API v2, `GET /incidents/{id}/log_entries`) into a draft
//! log, with the incident itself (`GET /incidents/{id}`) when given: beside the entries in
//! one document (`{"incident": ..., "log_entries": [...]}`) or as a document of its own.
//!
//! The first trigger is `detected`, the first acknowledgement `acknowledged`, the resolve
//! `resolved`; notes and the other entries are events, notifications only when asked. The
//! start of impact is not in a pager's log: `started` is left to a person. Every event is
//! internal: a pager log names people.

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::Value;

use super::{Draft, DraftEvent, ImportError, assign_ids};
use crate::escape::markdown_text;
use crate::model::{Phase, Severity, Status};

/// What to take from the log.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Notification entries too (who was paged, how).
    pub all: bool,
    /// The display zone (default UTC).
    pub zone: Option<Tz>,
}

#[derive(Debug, Deserialize)]
struct Document {
    log_entries: Vec<LogEntry>,
    #[serde(default)]
    incident: Option<Incident>,
    #[serde(default)]
    more: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
struct LogEntry {
    #[serde(rename = "type")]
    kind: String,
    created_at: DateTime<FixedOffset>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    agent: Option<Reference>,
    #[serde(default)]
    channel: Option<Channel>,
    #[serde(default)]
    incident: Option<Reference>,
    #[serde(default)]
    service: Option<Reference>,
}

/// A reference to another object: a user, a service, the incident.
#[derive(Debug, Clone, Default, Deserialize)]
struct Reference {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    html_url: Option<String>,
}

/// How an entry came about; a note's text is in `content` (older logs: `summary`).
#[derive(Debug, Clone, Default, Deserialize)]
struct Channel {
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    content: Option<String>,
}

/// The incident object of `GET /incidents/{id}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Incident {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    incident_number: Option<u64>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    urgency: Option<String>,
    #[serde(default)]
    priority: Option<Reference>,
    #[serde(default)]
    service: Option<Reference>,
    #[serde(default)]
    resolved_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    html_url: Option<String>,
}

const LOG_HINT: &str = "give the response of `GET /incidents/{id}/log_entries` (PagerDuty REST \
     API v2): an object with a `log_entries` list, each entry with a `type` and `created_at`";
const INCIDENT_HINT: &str = "give the response of `GET /incidents/{id}` (PagerDuty REST API v2): \
     `{\"incident\": {...}}`, or the incident object itself";

/// Reads the incident document given beside the log: `{"incident": {...}}` or the bare object.
pub fn incident(json: &str) -> Result<Incident, ImportError> {
    #[derive(Deserialize)]
    struct Wrapped {
        incident: Incident,
    }
    let value: Value =
        serde_json::from_str(json).map_err(|e| ImportError::from_serde(&e, None, INCIDENT_HINT))?;
    let wrapped = value.get("incident").is_some();
    let parsed = if wrapped {
        serde_json::from_str::<Wrapped>(json).map(|w| w.incident)
    } else {
        serde_json::from_str::<Incident>(json)
    };
    parsed.map_err(|e| ImportError::from_serde(&e, None, INCIDENT_HINT))
}

/// Reads the log entries (with the incident inside the document, or `incident` given apart;
/// the one given apart wins) into a draft.
pub fn import(
    json: &str,
    incident: Option<Incident>,
    options: &Options,
) -> Result<Draft, ImportError> {
    let value: Value =
        serde_json::from_str(json).map_err(|e| ImportError::from_serde(&e, None, LOG_HINT))?;
    if value.get("log_entries").is_none() {
        let what = if value.get("incident").is_some() || value.get("incident_number").is_some() {
            "an incident without its log: no `log_entries`"
        } else {
            "not a PagerDuty log: no `log_entries`"
        };
        return Err(ImportError::input(what, Some(LOG_HINT.into())));
    }
    let doc: Document =
        serde_json::from_str(json).map_err(|e| ImportError::from_serde(&e, None, LOG_HINT))?;
    if doc.more == Some(true) {
        return Err(ImportError::input(
            "the document is one page of the log (`more` is true): later entries are missing",
            Some(
                "fetch every page (`offset=0`, `100`, ...) and join them: \
                 `jq -s '{log_entries: map(.log_entries[])}' page-*.json`"
                    .into(),
            ),
        ));
    }
    if doc.log_entries.is_empty() {
        return Err(ImportError::input(
            "the log has no entries",
            Some("was the incident id right? `GET /incidents/{id}/log_entries`".into()),
        ));
    }
    let incident = incident.or(doc.incident).unwrap_or_default();
    let mut draft = draft(doc.log_entries, &incident, options);
    let key = incident
        .incident_number
        .map(|n| n.to_string())
        .or(incident.id.clone())
        .unwrap_or_default();
    assign_ids(std::slice::from_mut(&mut draft), &[key]);
    Ok(draft)
}

/// The phase an entry type stands for.
fn phase(kind: &str) -> Option<Phase> {
    match kind {
        "trigger_log_entry" => Some(Phase::Detected),
        "acknowledge_log_entry" | "acknowledgement_log_entry" => Some(Phase::Acknowledged),
        "resolve_log_entry" => Some(Phase::Resolved),
        _ => None,
    }
}

fn draft(mut entries: Vec<LogEntry>, incident: &Incident, options: &Options) -> Draft {
    // The API lists entries newest first; reversed, a stable sort keeps ties in the order
    // they happened.
    if entries.first().map(|e| e.created_at) > entries.last().map(|e| e.created_at) {
        entries.reverse();
    }
    entries.sort_by_key(|e| e.created_at);
    let reference = entries.iter().find_map(|e| e.incident.clone());
    let service = incident
        .service
        .clone()
        .or_else(|| entries.iter().find_map(|e| e.service.clone()))
        .and_then(|s| s.summary)
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let total = entries.len();
    let mut reached: Option<Phase> = None;
    let mut timeline = Vec::new();
    for entry in entries {
        if entry.kind == "notify_log_entry" && !options.all {
            continue;
        }
        let phase = phase(&entry.kind).filter(|p| reached.is_none_or(|r| *p > r));
        if phase.is_some() {
            reached = phase;
        }
        timeline.push(DraftEvent {
            at: entry.created_at.with_timezone(&Utc),
            phase,
            status: Vec::new(),
            text: entry_text(&entry),
            internal: true,
            update: None,
        });
    }
    if reached != Some(Phase::Resolved)
        && incident.status.as_deref() == Some("resolved")
        && let Some(end) = incident.resolved_at.map(|t| t.with_timezone(&Utc))
        && timeline.last().is_none_or(|e| e.at <= end)
    {
        timeline.push(DraftEvent {
            at: end,
            phase: Some(Phase::Resolved),
            status: Vec::new(),
            text: "Resolved (the incident's `resolved_at`; the log has no resolve entry).".into(),
            internal: true,
            update: None,
        });
        reached = Some(Phase::Resolved);
    }
    let number = incident.incident_number.map(|n| format!("#{n}"));
    let id = incident
        .id
        .clone()
        .or_else(|| reference.as_ref().and_then(|r| r.id.clone()));
    let name = match (&number, &id) {
        (Some(number), Some(id)) => format!("{number} ({id})"),
        (Some(one), None) | (None, Some(one)) => one.clone(),
        (None, None) => String::new(),
    };
    let links = incident
        .html_url
        .clone()
        .or_else(|| reference.as_ref().and_then(|r| r.html_url.clone()))
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .map(|url| {
            (
                format!("PagerDuty incident {}", number.as_deref().unwrap_or(""))
                    .trim()
                    .to_owned(),
                url,
            )
        })
        .into_iter()
        .collect();
    Draft {
        id: String::new(),
        title: title(incident, reference.as_ref(), &name),
        severity: severity(incident),
        status: if reached == Some(Phase::Resolved) {
            Status::Resolved
        } else {
            Status::Investigating
        },
        timezone: options.zone.unwrap_or(chrono_tz::UTC),
        regions: Vec::new(),
        tags: vec!["pagerduty".into()],
        services: service.iter().cloned().collect(),
        summary: Some(format!(
            "Drafted from PagerDuty incident {}{}: {total} log entries. Replace this with what \
             happened; the start of impact (`phase: started`) is not in a pager's log.",
            markdown_text(&name),
            service
                .as_deref()
                .map(|s| format!(" on {}", markdown_text(s)))
                .unwrap_or_default(),
        )),
        timeline,
        links,
        origin: format!("PagerDuty incident {name}, imported from its log entries (REST API v2)."),
    }
}

fn title(incident: &Incident, reference: Option<&Reference>, name: &str) -> String {
    let from_log = reference.and_then(|r| r.summary.as_deref()).map(|s| {
        // Log entries name the incident `[#1234] Title`.
        match s.strip_prefix("[#").and_then(|r| r.split_once("] ")) {
            Some((_, title)) => title,
            None => s,
        }
    });
    [incident.title.as_deref(), from_log]
        .into_iter()
        .flatten()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| format!("PagerDuty incident {name}").trim().to_owned())
}

/// Priority `P1`..`P5` (or `SEV1`..`SEV5`) gives the severity; else urgency: high SEV2,
/// low SEV4; else SEV3.
fn severity(incident: &Incident) -> Severity {
    let priority = incident
        .priority
        .as_ref()
        .and_then(|p| p.summary.as_deref())
        .map(|p| {
            p.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_uppercase()
        });
    let level = priority.as_deref().and_then(|p| {
        p.strip_prefix("SEV")
            .or_else(|| p.strip_prefix('P'))
            .filter(|n| n.len() == 1)
    });
    if let Some(s) = level.and_then(|n| crate::model::Scale::default().parse(&format!("SEV{n}"))) {
        return s;
    }
    match incident.urgency.as_deref() {
        Some("high") => Severity::default_level(2),
        Some("low") => Severity::default_level(4),
        _ => Severity::default_level(3),
    }
}

/// An entry as Markdown: PagerDuty's own summary, and a note's text or an alert's summary.
fn entry_text(entry: &LogEntry) -> String {
    let agent = entry
        .agent
        .as_ref()
        .and_then(|a| a.summary.as_deref())
        .map(str::trim)
        .filter(|a| !a.is_empty());
    let summary = entry
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let channel = entry.channel.clone().unwrap_or_default();
    if entry.kind == "annotate_log_entry" {
        let note = [&channel.content, &channel.summary]
            .into_iter()
            .flatten()
            .map(|n| n.trim())
            .find(|n| !n.is_empty())
            .or(summary)
            .unwrap_or("(empty note)");
        let by = agent
            .map(|a| format!(" by {}", markdown_text(a)))
            .unwrap_or_default();
        return format!("**Note{by}**: {}", markdown_text(note));
    }
    let mut text = match summary {
        Some(s) => markdown_text(s),
        None => {
            let kind = entry.kind.trim_end_matches("_log_entry").replace('_', " ");
            match agent {
                Some(a) => format!("{} by {}", markdown_text(&kind), markdown_text(a)),
                None => markdown_text(&kind),
            }
        }
    };
    if entry.kind == "trigger_log_entry"
        && let Some(alert) = channel.summary.as_deref().map(str::trim)
        && !alert.is_empty()
        && Some(alert) != summary
    {
        text.push_str(&format!(
            "\n\n> {}",
            markdown_text(alert).replace('\n', "\n> ")
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::super::tests::phases;
    use super::*;

    fn entry(kind: &str, at: &str) -> LogEntry {
        LogEntry {
            kind: kind.into(),
            created_at: at.parse().unwrap(),
            summary: Some(format!("{kind} at {at}")),
            agent: None,
            channel: None,
            incident: None,
            service: None,
        }
    }

    #[test]
    fn newest_first_entries_are_put_in_time_order_and_phased() {
        let entries = vec![
            entry("resolve_log_entry", "2026-05-12T15:02:00Z"),
            entry("annotate_log_entry", "2026-05-12T14:40:00Z"),
            entry("notify_log_entry", "2026-05-12T14:13:00Z"),
            entry("acknowledge_log_entry", "2026-05-12T14:15:00Z"),
            entry("acknowledge_log_entry", "2026-05-12T14:30:00Z"),
            entry("trigger_log_entry", "2026-05-12T14:12:00Z"),
        ];
        let draft = draft(entries, &Incident::default(), &Options::default());
        let expected = [
            ("14:12:00", Some(Phase::Detected)),
            ("14:15:00", Some(Phase::Acknowledged)),
            ("14:30:00", None),
            ("14:40:00", None),
            ("15:02:00", Some(Phase::Resolved)),
        ];
        let expected: Vec<_> = expected.iter().map(|(a, p)| (a.to_string(), *p)).collect();
        assert_eq!(phases(&draft), expected);
        assert_eq!(draft.status, Status::Resolved);
        assert!(draft.timeline.iter().all(|e| e.internal));
    }

    /// An incident resolved by a timeout or an integration before anyone acknowledged it.
    #[test]
    fn a_resolve_before_any_acknowledgement_skips_that_phase() {
        let entries = vec![
            entry("trigger_log_entry", "2026-05-12T14:12:00Z"),
            entry("resolve_log_entry", "2026-05-12T14:14:00Z"),
            entry("acknowledge_log_entry", "2026-05-12T14:15:00Z"),
        ];
        let draft = draft(entries, &Incident::default(), &Options::default());
        let marked: Vec<_> = draft.timeline.iter().map(|e| e.phase).collect();
        assert_eq!(marked, [Some(Phase::Detected), Some(Phase::Resolved), None]);
    }

    const LOG: &str = r#"{"log_entries": [
        {"type": "trigger_log_entry", "created_at": "2026-05-12T14:12:00Z",
         "incident": {"id": "PABC", "summary": "[#7] Disk full on db-3"}}
    ], "incident": {"id": "PABC", "incident_number": 7, "title": "Disk full", "urgency": "low"}}"#;

    #[test]
    fn the_incident_given_apart_wins_and_resolved_at_stands_in_for_a_resolve_entry() {
        let draft = import(LOG, None, &Options::default()).unwrap();
        assert_eq!(
            (draft.title.as_str(), draft.severity),
            ("Disk full", Severity::default_level(4))
        );
        assert_eq!(draft.status, Status::Investigating);
        let apart = incident(
            r#"{"incident": {"id": "PABC", "title": "Disk full on db-3", "status": "resolved",
                "resolved_at": "2026-05-12T16:00:00+01:00", "priority": {"summary": "P1"}}}"#,
        )
        .unwrap();
        let draft = import(LOG, Some(apart), &Options::default()).unwrap();
        assert_eq!(
            (draft.title.as_str(), draft.severity),
            ("Disk full on db-3", Severity::default_level(1))
        );
        assert_eq!(draft.status, Status::Resolved);
        let last = draft.timeline.last().unwrap();
        assert_eq!(last.phase, Some(Phase::Resolved));
        assert_eq!(
            last.at,
            "2026-05-12T15:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }

    #[test]
    fn severity_from_priority_then_urgency() {
        let cases = [
            (Some("P1"), Some("high"), Severity::default_level(1)),
            (Some("p3"), Some("high"), Severity::default_level(3)),
            (Some("SEV-2"), None, Severity::default_level(2)),
            (Some("P9"), Some("low"), Severity::default_level(4)),
            (Some("Critical"), Some("high"), Severity::default_level(2)),
            (None, None, Severity::default_level(3)),
        ];
        for (priority, urgency, expected) in cases {
            let incident = Incident {
                priority: priority.map(|p| Reference {
                    summary: Some(p.into()),
                    ..Reference::default()
                }),
                urgency: urgency.map(str::to_owned),
                ..Incident::default()
            };
            assert_eq!(severity(&incident), expected, "{priority:?} {urgency:?}");
        }
    }

    #[test]
    fn entry_texts() {
        let mut note = entry("annotate_log_entry", "2026-05-12T14:40:00Z");
        note.summary = Some("Note added".into());
        note.agent = Some(Reference {
            summary: Some("Dana *Ops*".into()),
            ..Reference::default()
        });
        note.channel = Some(Channel {
            summary: None,
            content: Some("Rolled back <b>v41</b>\nwatching".into()),
        });
        assert_eq!(
            entry_text(&note),
            "**Note by Dana \\*Ops\\***: Rolled back \\<b\\>v41\\</b\\>\nwatching"
        );
        let mut trigger = entry("trigger_log_entry", "2026-05-12T14:12:00Z");
        trigger.summary = Some("Triggered through the API.".into());
        trigger.channel = Some(Channel {
            summary: Some("CRITICAL: 5xx > 25%".into()),
            content: None,
        });
        assert_eq!(
            entry_text(&trigger),
            "Triggered through the API.\n\n> CRITICAL: 5xx \\> 25%"
        );
        let mut bare = entry("escalate_log_entry", "2026-05-12T14:20:00Z");
        bare.summary = None;
        assert_eq!(entry_text(&bare), "escalate");
    }
}
