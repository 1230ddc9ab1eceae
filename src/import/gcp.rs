//! The Google Cloud status `incidents.json` (a top-level list of incidents) into drafts.
//!
//! The start is `begin`, the end is `end` (missing while the incident is ongoing). Updates
//! arrive newest first and are sorted by `when` (falling back to `created`). Each update's
//! `status` applies to every product in `affected_products`: SERVICE_OUTAGE is a major outage,
//! SERVICE_DISRUPTION a partial outage, SERVICE_INFORMATION degraded performance, AVAILABLE
//! operational. Update texts are Markdown already.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::Value;

use super::{Draft, Feed, ImportError, Update, assign_ids};
use crate::model::{Phase, ServiceStatus, Severity, Status};

#[derive(Debug, Deserialize)]
struct Incident {
    id: String,
    #[serde(default)]
    number: Option<String>,
    begin: DateTime<FixedOffset>,
    #[serde(default)]
    end: Option<DateTime<FixedOffset>>,
    external_desc: String,
    #[serde(default)]
    updates: Vec<IncidentUpdate>,
    #[serde(default)]
    most_recent_update: Option<IncidentUpdate>,
    #[serde(default)]
    status_impact: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    service_name: Option<String>,
    #[serde(default)]
    affected_products: Vec<Named>,
    #[serde(default)]
    uri: Option<String>,
    #[serde(default)]
    currently_affected_locations: Vec<Named>,
    #[serde(default)]
    previously_affected_locations: Vec<Named>,
}

#[derive(Debug, Clone, Deserialize)]
struct IncidentUpdate {
    created: DateTime<FixedOffset>,
    #[serde(default)]
    when: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    affected_locations: Vec<Named>,
}

#[derive(Debug, Clone, Deserialize)]
struct Named {
    title: String,
    #[serde(default)]
    id: Option<String>,
}

/// Reads the GCP `incidents.json` into one draft per incident, ordered by start time.
pub fn import(json: &str, zone: Option<Tz>) -> Result<Vec<Draft>, ImportError> {
    let value: Value = serde_json::from_str(json).map_err(|e| ImportError::json(&e))?;
    let list = value.as_array().ok_or_else(|| ImportError::Shape {
        expected: "the Google Cloud status incidents.json",
        reason: "the document is not a list of incidents".into(),
    })?;
    let mut parsed = Vec::new();
    for (i, value) in list.iter().enumerate() {
        let incident: Incident =
            serde_json::from_value(value.clone()).map_err(|e| ImportError::Field {
                at: format!("incident [{i}]"),
                message: e.to_string(),
            })?;
        parsed.push(incident);
    }
    parsed.sort_by(|a, b| (a.begin, &a.id).cmp(&(b.begin, &b.id)));
    let ids: Vec<String> = parsed
        .iter()
        .map(|i| i.number.clone().unwrap_or_else(|| i.id.clone()))
        .collect();
    let mut drafts: Vec<Draft> = parsed.into_iter().map(|i| draft(i, zone)).collect();
    assign_ids(&mut drafts, &ids);
    Ok(drafts)
}

/// GCP severity: high SEV1, medium SEV2, low SEV3.
fn severity(incident: &Incident) -> Severity {
    match incident.severity.as_deref() {
        Some("high") => Severity::default_level(1),
        Some("medium") => Severity::default_level(2),
        Some("low") => Severity::default_level(3),
        _ => match incident.status_impact.as_deref() {
            Some("SERVICE_OUTAGE") => Severity::default_level(1),
            Some("SERVICE_DISRUPTION") => Severity::default_level(2),
            _ => Severity::default_level(3),
        },
    }
}

fn service_status(status: &str) -> Option<ServiceStatus> {
    match status {
        "SERVICE_OUTAGE" => Some(ServiceStatus::MajorOutage),
        "SERVICE_DISRUPTION" => Some(ServiceStatus::PartialOutage),
        "SERVICE_INFORMATION" => Some(ServiceStatus::DegradedPerformance),
        "AVAILABLE" => Some(ServiceStatus::Operational),
        _ => None,
    }
}

fn draft(incident: Incident, zone: Option<Tz>) -> Draft {
    let utc = |t: DateTime<FixedOffset>| t.with_timezone(&Utc);
    let mut products: Vec<String> = incident
        .affected_products
        .iter()
        .map(|p| p.title.trim().to_owned())
        .collect();
    if products.is_empty()
        && let Some(name) = &incident.service_name
    {
        products.push(name.trim().to_owned());
    }
    let mut updates_in = incident.updates.clone();
    if updates_in.is_empty()
        && let Some(last) = &incident.most_recent_update
    {
        updates_in.push(last.clone());
    }
    let mut current: Option<ServiceStatus> = None;
    // Updates are listed newest first: reversed, a stable sort keeps ties in posting order.
    let mut timed: Vec<(DateTime<Utc>, &IncidentUpdate)> = updates_in
        .iter()
        .rev()
        .map(|u| (utc(u.when.unwrap_or(u.created)), u))
        .collect();
    timed.sort_by_key(|(at, u)| (*at, u.created));
    let mut updates = Vec::new();
    for (at, u) in timed {
        let new = u.status.as_deref().and_then(service_status);
        let status = match new {
            Some(s) if Some(s) != current => {
                current = Some(s);
                products.iter().map(|p| (p.clone(), s)).collect()
            }
            _ => Vec::new(),
        };
        updates.push(Update {
            at,
            phase: (new == Some(ServiceStatus::Operational)).then_some(Phase::Resolved),
            status,
            text: update_text(u),
            published: None,
        });
    }
    let regions: BTreeSet<String> = incident
        .currently_affected_locations
        .iter()
        .chain(&incident.previously_affected_locations)
        .chain(updates_in.iter().flat_map(|u| &u.affected_locations))
        .map(|l| l.id.clone().unwrap_or_else(|| l.title.clone()))
        .collect();
    let title = incident
        .external_desc
        .trim()
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    let title = if title.is_empty() {
        format!(
            "Google Cloud incident {}",
            incident.number.as_deref().unwrap_or(&incident.id)
        )
    } else {
        title
    };
    let summary = incident
        .most_recent_update
        .as_ref()
        .map(|u| u.text.trim().to_owned());
    let links = incident
        .uri
        .iter()
        .map(|uri| {
            let url = if uri.starts_with("https://") {
                uri.clone()
            } else {
                format!(
                    "https://status.cloud.google.com/{}",
                    uri.trim_start_matches('/')
                )
            };
            ("Google Cloud Service Health".to_owned(), url)
        })
        .collect();
    Draft::new(Feed {
        severity: severity(&incident),
        status: if incident.end.is_some() {
            Status::Resolved
        } else {
            Status::Investigating
        },
        timezone: zone.unwrap_or(chrono_tz::UTC),
        started: utc(incident.begin),
        resolved: incident.end.map(utc),
        updates,
        services: products,
        regions: regions.into_iter().collect(),
        tags: vec!["gcp".into()],
        summary,
        links,
        origin: format!(
            "Google Cloud incident {} ({}), imported from the Google Cloud status incidents.json.",
            incident.number.as_deref().unwrap_or("without number"),
            incident.id
        ),
        title,
    })
}

fn update_text(update: &IncidentUpdate) -> String {
    let text = update.text.trim();
    if text.is_empty() {
        "(no text)".into()
    } else {
        text.to_owned()
    }
}
