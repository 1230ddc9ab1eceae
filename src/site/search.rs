//! The search index: `search-index.json` for tools, and the same data as
//! `search-index.js` (one assignment) so the search box also works from file://, where a page
//! may not fetch a JSON file. Only what the listing already shows goes in.

use serde::Serialize;

use super::Entry;

/// One incident in the index.
#[derive(Debug, Serialize)]
struct Item<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    date: String,
    severity: &'a str,
    status: &'a str,
    services: Vec<&'a str>,
    tags: Vec<&'a str>,
    summary: &'a str,
    /// `14h 32m`, as the listing shows it.
    duration: String,
    /// The names of the services it impaired, as the listing shows them.
    impacted: Vec<&'a str>,
}

fn items(entries: &[Entry]) -> Vec<Item<'_>> {
    entries
        .iter()
        .map(|e| Item {
            id: &e.id,
            title: &e.title,
            url: &e.url,
            date: e.date(),
            severity: &e.severity,
            status: &e.status,
            services: e.services.iter().map(|s| s.slug.as_str()).collect(),
            tags: e.tags.iter().map(|t| t.slug.as_str()).collect(),
            summary: &e.summary,
            duration: e.duration(),
            impacted: e
                .services
                .iter()
                .filter(|s| s.impacted)
                .map(|s| s.name.as_str())
                .collect(),
        })
        .collect()
}

/// `search-index.json` (a list, newest first) and `search-index.js`
/// (`window.POSTEVENT_SEARCH = [...];`, with `<` escaped so the data can never close a
/// script element, even if someone inlines it), from one serialisation.
pub fn files(entries: &[Entry]) -> (String, String) {
    let mut json = serde_json::to_string(&items(entries)).unwrap_or_else(|_| "[]".into());
    let data = json
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    let script = format!("window.POSTEVENT_SEARCH = {data};\n");
    json.push('\n');
    (json, script)
}
