//! `feed.xml`: an Atom 1.0 feed (RFC 4287) of the newest incidents. Every value is escaped
//! and every date comes from the logs, so two builds give the same bytes.

use std::fmt::Write as _;

use super::{Entry, Options};
use crate::escape::xml as escape_xml;

/// How many incidents the feed carries, newest first.
pub const FEED_ENTRIES: usize = 50;

/// The feed of `entries` (sorted newest first). With a base URL, links and ids are absolute
/// URLs; without one, links are relative and ids are `urn:postevent:...` names.
pub fn atom(entries: &[Entry], options: &Options) -> String {
    let base = options.base_url.as_deref();
    let link = |path: &str| format!("{}{path}", base.unwrap_or(""));
    let id = |path: &str, name: &str| match base {
        Some(b) => format!("{b}{path}"),
        None => format!("urn:postevent:{name}"),
    };
    let shown = &entries[..entries.len().min(FEED_ENTRIES)];
    let updated = shown
        .iter()
        .map(|e| e.updated.as_str())
        .max()
        .unwrap_or("1970-01-01T00:00:00Z");
    let title = escape_xml(options.title());
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(x, "  <title>{title}</title>");
    let _ = writeln!(x, "  <id>{}</id>", escape_xml(&id("", "site")));
    let _ = writeln!(x, "  <updated>{updated}</updated>");
    if base.is_some() {
        let _ = writeln!(
            x,
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            escape_xml(&link("feed.xml"))
        );
    }
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape_xml(&link("index.html"))
    );
    x.push_str("  <author><name>postevent</name></author>\n");
    x.push_str("  <generator>postevent</generator>\n");
    for e in shown {
        entry(
            &mut x,
            e,
            &link(&e.url),
            &id(&e.url, &format!("incident:{}", e.id)),
        );
    }
    x.push_str("</feed>\n");
    x
}

fn entry(x: &mut String, e: &Entry, href: &str, id: &str) {
    x.push_str("  <entry>\n");
    let _ = writeln!(x, "    <title>{}</title>", escape_xml(&e.title));
    let _ = writeln!(x, "    <id>{}</id>", escape_xml(id));
    let _ = writeln!(x, "    <published>{}</published>", e.start);
    let _ = writeln!(x, "    <updated>{}</updated>", e.updated);
    let _ = writeln!(
        x,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape_xml(href)
    );
    let _ = writeln!(x, "    <category term=\"{}\"/>", escape_xml(&e.severity));
    for t in &e.tags {
        let _ = writeln!(x, "    <category term=\"{}\"/>", escape_xml(&t.name));
    }
    let services: Vec<&str> = e
        .services
        .iter()
        .filter(|s| s.impacted)
        .map(|s| s.name.as_str())
        .collect();
    let mut summary = format!("{} · {} · {}", e.severity, e.status, e.duration());
    if !services.is_empty() {
        let _ = write!(summary, " · {}", services.join(", "));
    }
    if !e.summary.is_empty() {
        let _ = write!(summary, ". {}", e.summary);
    }
    let _ = writeln!(x, "    <summary>{}</summary>", escape_xml(&summary));
    x.push_str("  </entry>\n");
}
