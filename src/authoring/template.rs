//! The text of a new incident log: the fields `check` needs, a `started` event, and commented
//! hints for every other section, so the author fills it in without opening the docs.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::yaml::{field, scalar};
use super::{NewEvent, at_value, event_text};
use crate::model::{Phase, Severity};

/// What a new log starts with.
#[derive(Debug, Clone)]
pub struct NewLog {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub timezone: Tz,
    /// When the incident started (usually now).
    pub started: DateTime<Utc>,
    /// The text of the `started` event.
    pub text: String,
    /// The `$schema` the modeline points editors at.
    pub schema: String,
}

/// The YAML text of a new log.
pub fn new_log(log: &NewLog) -> String {
    let event = NewEvent {
        id: None,
        at: at_value(log.started, log.timezone),
        phase: Some(Phase::Started),
        severity: None,
        status: Vec::new(),
        text: log.text.clone(),
        update: None,
        internal: false,
    };
    let mut out = String::new();
    out.push_str(&format!("# yaml-language-server: $schema={}\n", log.schema));
    out.push_str(&format!("id: {}\n", log.id));
    out.push_str(&field("title", &log.title, 0));
    out.push('\n');
    out.push_str(&format!(
        "severity: {}{}# SEV1 (worst) .. SEV5\n",
        log.severity,
        pad(log.severity.as_str())
    ));
    out.push_str(
        "status: investigating      # investigating | identified | monitoring | resolved\n",
    );
    out.push_str(&format!(
        "timezone: {}{}# reads times written without an offset; the display zone\n",
        scalar(log.timezone.name()),
        pad(log.timezone.name())
    ));
    out.push_str(HEAD_HINTS);
    out.push_str("timeline:\n");
    out.push_str(&event_text(&event, 2, 4));
    out.push_str(TIMELINE_HINT);
    out.push_str(TAIL_HINTS);
    out
}

/// Spaces that line the comments up after a short value.
fn pad(value: &str) -> String {
    " ".repeat(17usize.saturating_sub(value.len()).max(1))
}

const HEAD_HINTS: &str = "\
# regions: [us-east-1]
# tags: [dns, database]
# authors: [Your Name]
# roles:                              # who led the response (internal)
#   incident_commander: Your Name
#   communications_lead: [A Name, Another Name]
# responders: [A Name]

# Every service an event's `status` names must be declared here:
# services:
#   - name: API
#     description: The public REST API

# summary: |
#   What happened, in a few sentences (Markdown).
# impact: |
#   Who was affected, how, and for how long.

";

const TIMELINE_HINT: &str = concat!(
    "  # Add events as they happen:\n",
    "  #   postevent log FILE \"what happened\" [--phase detected] [--status API=major_outage]\n",
    "  # Phases, in order: started detected acknowledged identified mitigated resolved.\n",
);

const TAIL_HINTS: &str = "
# When it is over:
# root_cause: |
# trigger: |
# detection: |
# resolution: |
# contributing_factors:
#   - ...
# lessons:
#   went_well: [...]
#   went_wrong: [...]
#   lucky: [...]
# action_items:
#   - title: What we will change
#     kind: prevent              # mitigate | prevent | process
#     owner: Team or person
#     due: 2026-01-31
# links:
#   - title: Status page
#     url: https://status.example.com/
# internal_notes: |
#   Never in a public report.
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Limits;
    use crate::source::Source;
    use crate::validate;

    fn log(title: &str) -> NewLog {
        NewLog {
            id: "2025-10-20-dynamodb-dns-failure".into(),
            title: title.into(),
            severity: Severity::default_level(2),
            timezone: chrono_tz::America::Los_Angeles,
            started: "2025-10-20T06:48:00Z".parse().unwrap(),
            text: "Errors rise on the regional endpoint.".into(),
            schema: "incident.schema.json".into(),
        }
    }

    #[test]
    fn a_new_log_passes_check_without_warnings() {
        for title in ["DynamoDB DNS failure", "Cause: #1 *bad* deploy", "true"] {
            let text = new_log(&log(title));
            let checked = validate::check(&Source::from_text("new.yaml", text), Limits::default());
            assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
            let incident = checked.incident.unwrap();
            assert_eq!(incident.title, title);
            assert_eq!(incident.timeline.len(), 1);
            assert_eq!(incident.timeline[0].phase, Some(Phase::Started));
            assert_eq!(
                incident.timeline[0].at,
                "2025-10-20T06:48:00Z".parse::<DateTime<Utc>>().unwrap()
            );
        }
    }

    #[test]
    fn the_started_event_is_written_in_the_incident_zone() {
        let text = new_log(&log("x"));
        assert!(text.contains("  - at: 2025-10-19 23:48\n"), "{text}");
        assert!(text.contains("timezone: America/Los_Angeles"), "{text}");
        assert!(
            text.contains("\n  # Add events as they happen:\n"),
            "{text}"
        );
    }
}
