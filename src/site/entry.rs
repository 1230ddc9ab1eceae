//! What the site's listings, stats, search and feed know about one incident: a small summary
//! of its view for the audience, kept in the build cache so an unchanged log is never
//! parsed again.

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::metrics::human_duration;
use crate::render::View;
use crate::render::filters::{Style, instant, utc};
use crate::render::view::ActionView;

/// How long a summary runs in listings, the search index and the feed, in characters.
const SUMMARY_CHARS: usize = 280;

/// One incident as the listings see it. Every field is already filtered for the audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub title: String,
    /// `SEV1`
    pub severity: String,
    /// `resolved`
    pub status: String,
    /// The page, relative to the site root: `incidents/<id>.html`.
    pub url: String,
    /// Start, RFC 3339 UTC.
    pub start: String,
    pub start_unix: i64,
    /// The incident's zone, in which its listing shows the start: `America/Los_Angeles`.
    pub timezone: String,
    /// Resolution, RFC 3339 UTC; `None` while unresolved.
    pub end: Option<String>,
    /// The last change the audience can see, RFC 3339 UTC (the feed's `updated`).
    pub updated: String,
    pub resolved: bool,
    pub duration_s: i64,
    /// `sev1`, for the severity page.
    pub severity_slug: String,
    /// The severity's colour class on its scale: `sev1` (worst) to `sev5`.
    pub severity_class: String,
    pub regions: Vec<String>,
    pub tags: Vec<Named>,
    pub services: Vec<EntryService>,
    /// The summary as plain text, shortened.
    pub summary: String,
    /// Every metric the view shows (the built-in five, then the config's), in its order.
    pub metrics: Vec<EntryMetric>,
    /// The peak of each measure the audience may see, by key.
    #[serde(default)]
    pub measures: Vec<EntryMeasure>,
    /// Its action items as the audience sees them (no owner in a public site).
    #[serde(default)]
    pub action_items: Vec<ActionView>,
    /// How many of them are `open` or `in_progress`.
    #[serde(default)]
    pub open_action_items: usize,
    /// The follow-ups page that lists them, relative to the site root.
    #[serde(default)]
    pub followups_page: String,
    /// Ids of the incidents its log lists as related.
    #[serde(default)]
    pub related: Vec<String>,
    /// The related incidents, both ways, its page was rendered with (a page whose list
    /// changes is rendered again).
    #[serde(default)]
    pub related_pages: Vec<super::related::RelatedLink>,
}

/// One measure of one incident: its key and its peak.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryMeasure {
    /// `requests_failed`, `DynamoDB.error_rate_pct`
    pub key: String,
    pub peak: f64,
}

// Measured values are finite, so equality is total.
impl Eq for EntryMeasure {}

/// One metric of one incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryMetric {
    /// `time_to_resolve`, or a custom metric's name.
    pub key: String,
    pub label: String,
    /// Whole seconds; `None` when a point is not marked.
    pub seconds: Option<i64>,
}

/// A tag and its page's slug.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub name: String,
    pub slug: String,
}

/// A declared service of one incident and how long it was impaired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryService {
    pub name: String,
    pub slug: String,
    pub impacted: bool,
    pub impact_s: i64,
    /// `major_outage`, `None` when never impaired.
    pub worst: Option<String>,
}

impl Entry {
    /// The entry of a view (already built for the site's audience).
    pub fn new(view: &View) -> Entry {
        let mut entry = Entry::of(view);
        entry.followups_page = super::followups::month_page(entry.start_date());
        entry
    }

    fn of(view: &View) -> Entry {
        let last_event = view.timeline.last().map(|e| e.at);
        let updated = [Some(view.start), view.end, last_event]
            .into_iter()
            .flatten()
            .max()
            .map_or_else(String::new, utc);
        Entry {
            id: view.id.clone(),
            title: view.title.clone(),
            severity: view.severity.to_string(),
            status: view.status.to_string(),
            url: super::incident_path(&view.id),
            start: utc(view.start),
            start_unix: view.start.timestamp(),
            timezone: view.timezone.name().to_owned(),
            end: view.end.map(utc),
            updated,
            resolved: view.resolved,
            duration_s: view.duration.num_seconds(),
            severity_slug: view.severity.as_str().to_ascii_lowercase(),
            severity_class: view.severity_class.to_owned(),
            regions: view.regions.clone(),
            tags: view
                .tags
                .iter()
                .map(|t| Named {
                    name: t.clone(),
                    slug: super::slug_of(t),
                })
                .collect(),
            services: view
                .services
                .iter()
                .map(|s| EntryService {
                    name: s.name.clone(),
                    slug: super::slug_of(&s.name),
                    impacted: s.impacted,
                    impact_s: s.impact.num_seconds(),
                    worst: s
                        .windows
                        .iter()
                        .max_by_key(|w| w.worst_status.badness())
                        .map(|w| w.worst_status.to_string()),
                })
                .collect(),
            metrics: view
                .metrics
                .iter()
                .map(|m| EntryMetric {
                    key: m.key.clone(),
                    label: m.label.clone(),
                    seconds: m.duration.map(|d| d.num_seconds()),
                })
                .collect(),
            measures: view
                .measures
                .iter()
                .map(|m| EntryMeasure {
                    key: m.key.clone(),
                    peak: m.peak,
                })
                .collect(),
            related: view.related.clone(),
            related_pages: Vec::new(),
            followups_page: String::new(),
            open_action_items: view
                .action_items
                .iter()
                .filter(|a| super::followups::is_open(a.status))
                .count(),
            action_items: view.action_items.clone(),
            summary: view
                .sections
                .summary
                .as_ref()
                .map(|t| shorten(&t.plain, SUMMARY_CHARS))
                .unwrap_or_default(),
        }
    }

    /// The month of the start, in UTC: `2025-10`.
    pub fn month(&self) -> Option<String> {
        chrono::DateTime::from_timestamp(self.start_unix, 0).map(|t| t.format("%Y-%m").to_string())
    }

    /// The start's date in the incident's zone: `2025-10-19`.
    pub fn date(&self) -> String {
        let zone = self.timezone.parse().unwrap_or(chrono_tz::UTC);
        let start = chrono::DateTime::from_timestamp(self.start_unix, 0).unwrap_or_default();
        instant(start, zone, Style::Date)
    }

    /// The start's date in the incident's zone, as a date: the day its action items were born.
    pub fn start_date(&self) -> NaiveDate {
        let zone: chrono_tz::Tz = self.timezone.parse().unwrap_or(chrono_tz::UTC);
        chrono::DateTime::from_timestamp(self.start_unix, 0)
            .unwrap_or_default()
            .with_timezone(&zone)
            .date_naive()
    }

    /// `14h 32m`
    pub fn duration(&self) -> String {
        human_duration(chrono::TimeDelta::seconds(self.duration_s))
    }

    /// Newest first, then by id: the order of every listing.
    pub fn newest_first(a: &Entry, b: &Entry) -> std::cmp::Ordering {
        b.start_unix
            .cmp(&a.start_unix)
            .then_with(|| a.id.cmp(&b.id))
    }
}

/// `text` cut at a word boundary to at most `max` characters, with `…` when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("one two three four", 10), "one two…");
        assert_eq!(shorten("ééééééééééééé", 4), "éééé…");
    }
}
