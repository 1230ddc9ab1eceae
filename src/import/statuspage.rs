//! Atlassian Statuspage API v2 documents (`incidents.json`, `summary.json`, or one incident,
//! bare or as `{"incident": ...}`) into drafts.
//!
//! The start is the incident's `started_at` (falling back to `created_at`), not its first
//! update; the end is `resolved_at`. Updates arrive newest first and are sorted by
//! `display_at` (falling back to `created_at`). Offsets such as `-08:00` are read as instants.
//! Each update's body is what was published: it becomes its event's `update:`.

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::Value;

use super::{Draft, Feed, ImportError, Update, assign_ids, to_markdown};
use crate::model::{Phase, ServiceStatus, Severity, Status};
use crate::time;

#[derive(Debug, Default, Deserialize)]
struct Page {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    time_zone: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Incident {
    id: String,
    name: String,
    status: String,
    #[serde(default)]
    impact: Option<String>,
    created_at: DateTime<FixedOffset>,
    #[serde(default)]
    started_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    resolved_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    shortlink: Option<String>,
    #[serde(default)]
    postmortem_body: Option<String>,
    #[serde(default)]
    incident_updates: Vec<IncidentUpdate>,
    #[serde(default)]
    components: Vec<Component>,
}

#[derive(Debug, Deserialize)]
struct IncidentUpdate {
    status: String,
    #[serde(default)]
    body: Option<String>,
    created_at: DateTime<FixedOffset>,
    #[serde(default)]
    display_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    affected_components: Option<Vec<AffectedComponent>>,
}

#[derive(Debug, Deserialize)]
struct AffectedComponent {
    name: String,
    new_status: String,
}

#[derive(Debug, Deserialize)]
struct Component {
    name: String,
}

const EXPECTED: &str = "a Statuspage API v2 document";

/// Reads a Statuspage document into one draft per incident, ordered by start time.
pub fn import(json: &str, zone: Option<Tz>) -> Result<Vec<Draft>, ImportError> {
    let value: Value = serde_json::from_str(json).map_err(|e| ImportError::json(&e))?;
    let page: Page = value
        .get("page")
        .map(|p| serde_json::from_value(p.clone()))
        .transpose()
        .map_err(|e| field("page", &e))?
        .unwrap_or_default();
    let incidents: Vec<(String, &Value)> = if let Some(list) = value.get("incidents") {
        let list = list.as_array().ok_or_else(|| ImportError::Shape {
            expected: EXPECTED,
            reason: "`incidents` is not a list".into(),
        })?;
        list.iter()
            .enumerate()
            .map(|(i, v)| (format!("incidents[{i}]"), v))
            .collect()
    } else if let Some(one) = value.get("incident") {
        vec![("incident".into(), one)]
    } else if value.get("incident_updates").is_some() {
        vec![("the incident".into(), &value)]
    } else {
        return Err(ImportError::Shape {
            expected: EXPECTED,
            reason: "no `incidents`, `incident` or `incident_updates` key".into(),
        });
    };
    let mut parsed = Vec::new();
    for (at, value) in incidents {
        let incident: Incident =
            serde_json::from_value(value.clone()).map_err(|e| field(&at, &e))?;
        parsed.push(incident);
    }
    parsed.sort_by(|a, b| (start(a), &a.id).cmp(&(start(b), &b.id)));
    let ids: Vec<String> = parsed.iter().map(|i| i.id.clone()).collect();
    let mut drafts: Vec<Draft> = parsed.into_iter().map(|i| draft(&page, i, zone)).collect();
    assign_ids(&mut drafts, &ids);
    Ok(drafts)
}

fn field(at: &str, e: &serde_json::Error) -> ImportError {
    ImportError::Field {
        at: at.to_owned(),
        message: e.to_string(),
    }
}

fn start(incident: &Incident) -> DateTime<Utc> {
    incident
        .started_at
        .unwrap_or(incident.created_at)
        .with_timezone(&Utc)
}

/// Impact to severity: critical SEV1, major SEV2, minor SEV3, none SEV4, maintenance SEV5.
fn severity(impact: Option<&str>) -> Severity {
    match impact {
        Some("critical") => Severity::default_level(1),
        Some("major") => Severity::default_level(2),
        Some("minor") => Severity::default_level(3),
        Some("maintenance") => Severity::default_level(5),
        _ => Severity::default_level(4),
    }
}

/// An update's status to the phase it stands for.
fn phase(status: &str) -> Option<Phase> {
    match status {
        "identified" => Some(Phase::Identified),
        "monitoring" => Some(Phase::Mitigated),
        "resolved" | "postmortem" | "completed" => Some(Phase::Resolved),
        _ => None,
    }
}

fn draft(page: &Page, incident: Incident, zone: Option<Tz>) -> Draft {
    let status = match incident.status.as_str() {
        "identified" => Status::Identified,
        "monitoring" => Status::Monitoring,
        "resolved" | "postmortem" | "completed" => Status::Resolved,
        _ => Status::Investigating,
    };
    let utc = |t: DateTime<FixedOffset>| t.with_timezone(&Utc);
    // The API lists updates newest first: reversed, a stable sort keeps ties in time in the
    // order they were posted.
    let mut posted: Vec<&IncidentUpdate> = incident.incident_updates.iter().rev().collect();
    posted.sort_by_key(|u| (u.display_at.unwrap_or(u.created_at), u.created_at));
    let updates: Vec<Update> = posted
        .into_iter()
        .map(|u| {
            let (text, published) = body(&u.status, u.body.as_deref());
            Update {
                at: utc(u.display_at.unwrap_or(u.created_at)),
                phase: phase(&u.status),
                status: u
                    .affected_components
                    .iter()
                    .flatten()
                    .filter_map(|c| Some((c.name.clone(), ServiceStatus::parse(&c.new_status)?)))
                    .collect(),
                text,
                published,
            }
        })
        .collect();
    let resolved = incident.resolved_at.map(utc).or_else(|| {
        (status == Status::Resolved)
            .then(|| updates.iter().map(|u| u.at).max())
            .flatten()
    });
    let summary = incident
        .postmortem_body
        .as_deref()
        .map(to_markdown)
        .filter(|s| !s.is_empty())
        .or_else(|| {
            let last = incident
                .incident_updates
                .iter()
                .max_by_key(|u| u.display_at.unwrap_or(u.created_at))?;
            Some(to_markdown(last.body.as_deref().unwrap_or_default()))
        });
    let page_name = page
        .name
        .clone()
        .unwrap_or_else(|| "a Statuspage page".into());
    let mut links = Vec::new();
    if let Some(link) = &incident.shortlink {
        links.push((format!("{page_name}: incident"), link.clone()));
    }
    if let Some(url) = &page.url {
        links.push((format!("{page_name} status page"), url.clone()));
    }
    Draft::new(Feed {
        title: match incident.name.trim() {
            "" => format!("Statuspage incident {}", incident.id),
            name => name.to_owned(),
        },
        severity: severity(incident.impact.as_deref()),
        status,
        timezone: zone
            .or_else(|| page.time_zone.as_deref().and_then(time::parse_zone))
            .unwrap_or(chrono_tz::UTC),
        started: start(&incident),
        resolved,
        updates,
        services: incident.components.iter().map(|c| c.name.clone()).collect(),
        regions: Vec::new(),
        tags: vec!["statuspage".into()],
        summary,
        links,
        origin: format!(
            "Statuspage incident {} on {page_name}, imported from the Statuspage API v2.",
            incident.id
        ),
    })
}

/// An update as an event: its text says what was posted (its status, in bold), and its body,
/// as Markdown, is what was published (`update:`), if it has one.
fn body(status: &str, body: Option<&str>) -> (String, Option<String>) {
    let label = match status {
        "investigating" => "Investigating",
        "identified" => "Identified",
        "monitoring" => "Monitoring",
        "resolved" => "Resolved",
        "postmortem" => "Postmortem",
        other => other,
    };
    let text = to_markdown(body.unwrap_or_default());
    let posted = format!("Status page update: **{label}**.");
    (posted, (!text.is_empty()).then_some(text))
}
