//! Follow-ups across incidents: every action item with its incident, which ones are open or
//! overdue on a given day, and the figures over them (closure rate, age of open items). One
//! computation serves `postevent actions`, the site's follow-ups page and the stats.
//!
//! Definitions (docs/site.md repeats them):
//! - *open*: status `open` or `in_progress`; *closed*: `done` or `wont_do`.
//! - *overdue* on `today`: open, with a due date before `today`.
//! - *age* of an open item on `today`: whole days from its incident's start date (in the
//!   incident's zone) to `today`; 0 for an incident that starts after `today`.
//! - *closure rate*: closed items over all items.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::Entry;
use super::stats::median;
use crate::model::{ActionKind, ActionStatus};
use crate::render::view::ActionView;

/// Whether an item still needs work.
pub fn is_open(status: ActionStatus) -> bool {
    matches!(status, ActionStatus::Open | ActionStatus::InProgress)
}

/// One action item with its incident, as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUp<'a> {
    pub incident_id: &'a str,
    pub incident_title: &'a str,
    /// `SEV1`
    pub severity: &'a str,
    /// The incident's start date in its zone.
    pub incident_date: NaiveDate,
    /// The incident's page, relative to the site root.
    pub incident_url: &'a str,
    pub id: Option<&'a str>,
    pub title: &'a str,
    pub kind: ActionKind,
    /// `null` in a public site or report.
    pub owner: Option<&'a str>,
    pub due: Option<NaiveDate>,
    pub status: ActionStatus,
    pub link: Option<&'a str>,
    pub open: bool,
    pub overdue: bool,
    /// Days from the incident's start date to the day of the listing; open items only.
    pub age_days: Option<i64>,
}

impl<'a> FollowUp<'a> {
    /// An item of `e`, whose start date (in its zone) is `date`.
    fn new(e: &'a Entry, date: NaiveDate, a: &'a ActionView, today: NaiveDate) -> FollowUp<'a> {
        let open = is_open(a.status);
        FollowUp {
            incident_id: &e.id,
            incident_title: &e.title,
            severity: &e.severity,
            incident_date: date,
            incident_url: &e.url,
            id: a.id.as_deref(),
            title: &a.title,
            kind: a.kind,
            owner: a.owner.as_deref(),
            due: a.due,
            status: a.status,
            link: a.link.as_deref(),
            open,
            overdue: open && a.due.is_some_and(|d| d < today),
            age_days: open.then(|| (today - date).num_days().max(0)),
        }
    }

    /// Overdue first, then by due date (undated last), incident date, incident id, title.
    fn order(a: &FollowUp, b: &FollowUp) -> std::cmp::Ordering {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| (a.due.is_none(), a.due).cmp(&(b.due.is_none(), b.due)))
            .then_with(|| a.incident_date.cmp(&b.incident_date))
            .then_with(|| a.incident_id.cmp(b.incident_id))
            .then_with(|| a.title.cmp(b.title))
    }
}

/// Every action item of `entries` as of `today`, overdue first (see [`FollowUp`]'s order).
pub fn collect<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    today: NaiveDate,
) -> Vec<FollowUp<'a>> {
    let mut all: Vec<FollowUp> = entries
        .into_iter()
        .flat_map(|e| {
            let date = e.start_date();
            e.action_items
                .iter()
                .map(move |a| FollowUp::new(e, date, a, today))
        })
        .collect();
    all.sort_by(FollowUp::order);
    all
}

/// The day a site's follow-ups are counted on when `build` is not given `--today`: the day of
/// the last change in any log (UTC), so the same logs always build the same site.
pub fn default_today(entries: &[Entry]) -> Option<NaiveDate> {
    entries
        .iter()
        .filter_map(|e| chrono::DateTime::parse_from_rfc3339(&e.updated).ok())
        .max()
        .map(|t| t.naive_utc().date())
}

/// Which items a listing keeps; every set condition must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Open or in progress.
    pub open: bool,
    /// Overdue on the day of the listing.
    pub overdue: bool,
    /// Owned by this person (ASCII case ignored).
    pub owner: Option<String>,
    pub kind: Option<ActionKind>,
    /// Of an incident of this severity (`SEV1`).
    pub severity: Option<String>,
    /// Of this incident (its id).
    pub incident: Option<String>,
}

impl Filter {
    pub fn keeps(&self, f: &FollowUp) -> bool {
        (!self.open || f.open)
            && (!self.overdue || f.overdue)
            && self
                .owner
                .as_deref()
                .is_none_or(|o| f.owner.is_some_and(|fo| fo.eq_ignore_ascii_case(o)))
            && self.kind.is_none_or(|k| f.kind == k)
            && self.severity.as_deref().is_none_or(|s| f.severity == s)
            && self.incident.as_deref().is_none_or(|i| f.incident_id == i)
    }
}

/// The figures over a list of items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The day the figures are counted on.
    pub today: NaiveDate,
    pub total: usize,
    pub open: usize,
    pub overdue: usize,
    /// `done` or `wont_do`.
    pub closed: usize,
    /// `closed / total`, `null` without items.
    pub closure_rate: Option<f64>,
    /// The median age in days of the open items (the lower middle for an even count).
    pub median_open_age_days: Option<i64>,
    /// Open items nobody owns (always all of them in a public site, which shows no owner).
    pub open_without_owner: usize,
    /// Open items without a due date.
    pub open_without_due: usize,
}

pub fn summary(items: &[FollowUp], today: NaiveDate) -> Summary {
    let open: Vec<&FollowUp> = items.iter().filter(|f| f.open).collect();
    let closed = items.len() - open.len();
    let mut ages: Vec<i64> = open.iter().filter_map(|f| f.age_days).collect();
    ages.sort_unstable();
    Summary {
        today,
        total: items.len(),
        open: open.len(),
        overdue: open.iter().filter(|f| f.overdue).count(),
        closed,
        closure_rate: rate(closed, items.len()),
        median_open_age_days: median(&ages),
        open_without_owner: open.iter().filter(|f| f.owner.is_none()).count(),
        open_without_due: open.iter().filter(|f| f.due.is_none()).count(),
    }
}

/// `part / whole`, rounded to four decimals so that its text is stable; `None` for 0 / 0.
pub fn rate(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0)
}

/// The items of one owner (or of nobody).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnerGroup<'a> {
    /// `null` for items without an owner.
    pub owner: Option<&'a str>,
    pub open: usize,
    pub overdue: usize,
    /// In the order of the list they came from.
    pub items: Vec<FollowUp<'a>>,
}

/// `items` grouped by owner: owners by name (ASCII case ignored), nobody last; each group keeps
/// the order of `items`.
pub fn by_owner<'a>(items: &[FollowUp<'a>]) -> Vec<OwnerGroup<'a>> {
    let mut groups: BTreeMap<(bool, String, Option<&'a str>), OwnerGroup<'a>> = BTreeMap::new();
    for f in items {
        let key = (
            f.owner.is_none(),
            f.owner.unwrap_or("").to_ascii_lowercase(),
            f.owner,
        );
        let g = groups.entry(key).or_insert_with(|| OwnerGroup {
            owner: f.owner,
            open: 0,
            overdue: 0,
            items: Vec::new(),
        });
        g.open += usize::from(f.open);
        g.overdue += usize::from(f.overdue);
        g.items.push(f.clone());
    }
    groups.into_values().collect()
}

/// The items of one incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentGroup<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub severity: &'a str,
    pub date: NaiveDate,
    pub url: &'a str,
    pub total: usize,
    pub open: usize,
    pub overdue: usize,
    pub closed: usize,
    pub items: Vec<FollowUp<'a>>,
}

/// `items` grouped by incident, newest incident first (then by id).
pub fn by_incident<'a>(items: &[FollowUp<'a>]) -> Vec<IncidentGroup<'a>> {
    let mut groups: BTreeMap<(std::cmp::Reverse<NaiveDate>, &'a str), IncidentGroup<'a>> =
        BTreeMap::new();
    for f in items {
        let g = groups
            .entry((std::cmp::Reverse(f.incident_date), f.incident_id))
            .or_insert_with(|| IncidentGroup {
                id: f.incident_id,
                title: f.incident_title,
                severity: f.severity,
                date: f.incident_date,
                url: f.incident_url,
                total: 0,
                open: 0,
                overdue: 0,
                closed: 0,
                items: Vec::new(),
            });
        g.total += 1;
        g.open += usize::from(f.open);
        g.overdue += usize::from(f.overdue);
        g.closed += usize::from(!f.open);
        g.items.push(f.clone());
    }
    groups.into_values().collect()
}

/// The page of the follow-ups page's months that lists the items of an incident that started
/// on `date` (in its zone): `followups/2025-10.html`. It depends on nothing but the incident,
/// so a link to it never moves.
pub fn month_page(date: NaiveDate) -> String {
    format!("followups/{}.html", date.format("%Y-%m"))
}

/// The incidents (with action items) that started in one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthGroup<'a> {
    /// `2025-10`
    pub month: String,
    /// `October 2025`
    pub label: String,
    /// Its page, relative to the site root.
    pub url: String,
    pub incidents: usize,
    pub total: usize,
    pub open: usize,
    pub overdue: usize,
    pub closed: usize,
    /// Newest first, as [`by_incident`] gives them.
    #[serde(skip)]
    pub groups: Vec<IncidentGroup<'a>>,
}

/// Incident groups (newest first) by the month their incident started, newest month first.
pub fn by_month(groups: Vec<IncidentGroup<'_>>) -> Vec<MonthGroup<'_>> {
    let mut months: Vec<MonthGroup> = Vec::new();
    for g in groups {
        let url = month_page(g.date);
        if months.last().is_none_or(|m| m.url != url) {
            months.push(MonthGroup {
                month: g.date.format("%Y-%m").to_string(),
                label: g.date.format("%B %Y").to_string(),
                url,
                incidents: 0,
                total: 0,
                open: 0,
                overdue: 0,
                closed: 0,
                groups: Vec::new(),
            });
        }
        let m = months.last_mut().expect("pushed above");
        m.incidents += 1;
        m.total += g.total;
        m.open += g.open;
        m.overdue += g.overdue;
        m.closed += g.closed;
        m.groups.push(g);
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, start: &str, items: Vec<ActionView>) -> Entry {
        let start = chrono::DateTime::parse_from_rfc3339(start).unwrap();
        Entry {
            id: id.into(),
            title: format!("Incident {id}"),
            severity: "SEV2".into(),
            status: "resolved".into(),
            url: super::super::incident_path(id),
            start: start.to_rfc3339(),
            start_unix: start.timestamp(),
            timezone: "UTC".into(),
            end: None,
            updated: start.to_rfc3339(),
            resolved: true,
            duration_s: 0,
            severity_slug: "sev2".into(),
            severity_class: "sev2".into(),
            regions: vec![],
            tags: vec![],
            services: vec![],
            summary: String::new(),
            metrics: vec![],
            measures: vec![],
            followups_page: String::new(),
            open_action_items: 0,
            related: vec![],
            related_pages: vec![],
            action_items: items,
        }
    }

    fn item(
        title: &str,
        owner: Option<&str>,
        due: Option<&str>,
        status: ActionStatus,
    ) -> ActionView {
        ActionView {
            id: None,
            title: title.into(),
            kind: ActionKind::Prevent,
            owner: owner.map(Into::into),
            due: due.map(|d| d.parse().unwrap()),
            status,
            status_label: status.as_str().replace('_', " "),
            link: None,
        }
    }

    #[test]
    fn overdue_open_and_ages_on_a_fixed_day() {
        use ActionStatus::*;
        let entries = [
            entry(
                "a",
                "2025-01-10T12:00:00Z",
                vec![
                    item("late", Some("Bob"), Some("2025-02-01"), Open),
                    item("due today", Some("ann"), Some("2025-03-01"), InProgress),
                    item("late but done", Some("bob"), Some("2025-01-20"), Done),
                ],
            ),
            entry(
                "b",
                "2025-02-20T00:00:00Z",
                vec![
                    item("no date", None, None, Open),
                    item("dropped", None, None, WontDo),
                ],
            ),
        ];
        let today: NaiveDate = "2025-03-01".parse().unwrap();
        let all = collect(&entries, today);
        let titles: Vec<&str> = all.iter().map(|f| f.title).collect();
        assert_eq!(
            titles,
            ["late", "late but done", "due today", "dropped", "no date"]
        );
        let s = summary(&all, today);
        assert_eq!((s.total, s.open, s.overdue, s.closed), (5, 3, 1, 2));
        assert_eq!(s.closure_rate, Some(0.4));
        // Ages of the open items: 50 (Jan 10 -> Mar 1) twice and 9 (Feb 20 -> Mar 1).
        assert_eq!(s.median_open_age_days, Some(50));
        assert_eq!((s.open_without_owner, s.open_without_due), (1, 1));
        let owners: Vec<(Option<&str>, usize)> = by_owner(&all)
            .iter()
            .map(|g| (g.owner, g.items.len()))
            .collect();
        assert_eq!(
            owners,
            [
                (Some("ann"), 1),
                (Some("Bob"), 1),
                (Some("bob"), 1),
                (None, 2)
            ]
        );
        let filter = Filter {
            owner: Some("BOB".into()),
            open: true,
            ..Filter::default()
        };
        let kept: Vec<&str> = all
            .iter()
            .filter(|f| filter.keeps(f))
            .map(|f| f.title)
            .collect();
        assert_eq!(kept, ["late"]);
        let incidents: Vec<(&str, usize, usize)> = by_incident(&all)
            .iter()
            .map(|g| (g.id, g.open, g.closed))
            .collect();
        assert_eq!(incidents, [("b", 1, 1), ("a", 2, 1)]);
    }

    #[test]
    fn rates_are_stable() {
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(1, 3), Some(0.3333));
        assert_eq!(rate(2, 2), Some(1.0));
    }
}
