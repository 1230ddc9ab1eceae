//! Rendering the site's pages into a [`Tree`]: one page per incident (the report with site
//! navigation, which depends on nothing but its own log), and the pages over all incidents
//! (index, service, tag and severity pages, stats, feed, search index).

use std::hash::Hasher;

use rayon::prelude::*;
use serde::Serialize;
use siphasher::sip::SipHasher13;
use tera::Context;

use super::related::RelatedLink;
use super::{Entry, Options, TemplateSet, Tree, feed, followups, search, stats};
use crate::redact::{Audience, Redacted};
use crate::render::{self, TemplateError, view};

/// Where the rows of an incident table go; see [`aggregate`].
const ROWS_MARKER: &str = "<!--postevent:rows-->";

/// Site-wide values every page receives as `site`.
#[derive(Debug, Clone, Serialize)]
struct SiteContext<'a> {
    /// `""` on top-level pages, `"../"` one folder down: prefix of every internal link.
    root: &'static str,
    /// `[site] title` of the config, else `Post-mortems` or `Incident history`.
    title: &'a str,
    audience: &'static str,
    public: bool,
    /// Which nav item is the current page: `index`, `services`, `tags`, `stats`, `incident`.
    current: &'a str,
    /// The site's stylesheet, relative to the root (`assets/site-0123456789abcdef.css`).
    stylesheet: String,
    /// The stylesheet of the incident pages, relative to the root.
    report_stylesheet: String,
}

fn site_context<'a>(
    options: &'a Options,
    templates: &TemplateSet,
    root: &'static str,
    current: &'a str,
) -> SiteContext<'a> {
    let public = options.audience == Audience::Public;
    SiteContext {
        root,
        title: options.title(),
        audience: options.audience.as_str(),
        public,
        current,
        stylesheet: stylesheet_path(templates, "site", SITE_CSS),
        report_stylesheet: stylesheet_path(templates, "report", REPORT_CSS),
    }
}

/// The templates the site's stylesheet is made of, in order.
const SITE_CSS: [&str; 2] = ["site/nav.css", "site/site.css"];
/// The templates the incident pages' stylesheet is made of: the report's own, and the nav.
const REPORT_CSS: [&str; 2] = ["report.css", "site/nav.css"];

/// Where the stylesheet `kind` made of `parts` goes: `assets/KIND-DIGEST.css`, named by its
/// content, so every page links one file a browser caches, and a changed stylesheet gets a
/// new name (no stale copy is served).
fn stylesheet_path(templates: &TemplateSet, kind: &str, parts: [&str; 2]) -> String {
    let mut h = SipHasher13::new();
    for part in parts {
        h.write_u64(templates.digest(part));
    }
    format!("assets/{kind}-{:016x}.css", h.finish())
}

/// The text of a stylesheet made of `parts`.
fn stylesheet(templates: &TemplateSet, parts: [&str; 2]) -> Vec<u8> {
    parts
        .iter()
        .map(|p| templates.raw(p).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes()
}

/// The page of one incident, redacted for the site's audience, and its listing entry;
/// `related` are the incidents related to it both ways.
pub fn incident(
    redacted: &Redacted,
    options: &Options,
    templates: &TemplateSet,
    related: &[RelatedLink],
) -> Result<(Entry, String), TemplateError> {
    let view = view::build(redacted, redacted.incident().timezone);
    let entry = Entry::new(&view);
    let mut ctx = render::context(&view);
    ctx.insert("site", &site_context(options, templates, "../", "incident"));
    ctx.insert("entry", &entry);
    ctx.insert("related_incidents", related);
    let name = match redacted.audience() {
        Audience::Internal => "site/postmortem.html",
        Audience::Public => "site/summary.html",
    };
    let html = templates.render(name, &ctx)?;
    Ok((entry, html))
}

/// Incidents sharing a service, a tag or a severity.
#[derive(Debug, Clone, Serialize)]
pub struct Group<'a> {
    pub name: String,
    pub slug: String,
    /// `services/api-gateway.html`, relative to the root.
    pub url: String,
    pub count: usize,
    /// Total impact over its incidents (services only), in seconds.
    pub impact_s: i64,
    /// Its incidents, newest first.
    #[serde(skip)]
    pub incidents: Vec<&'a Entry>,
    /// Their places in the sorted list of all entries.
    #[serde(skip)]
    members: Vec<usize>,
}

/// Groups `entries` (newest first) by the keys `keys_of` gives each; the group's name is the
/// smallest spelling among those sharing a slug.
fn group<'a>(
    entries: &'a [Entry],
    folder: &str,
    keys_of: impl Fn(&'a Entry) -> Vec<(String, String, i64)>,
) -> Vec<Group<'a>> {
    let mut groups: std::collections::BTreeMap<String, Group<'a>> = Default::default();
    for (i, e) in entries.iter().enumerate() {
        let mut seen = std::collections::BTreeSet::new();
        for (name, slug, impact) in keys_of(e) {
            let g = groups.entry(slug.clone()).or_insert_with(|| Group {
                name: name.clone(),
                url: format!("{folder}/{slug}.html"),
                slug: slug.clone(),
                count: 0,
                impact_s: 0,
                incidents: Vec::new(),
                members: Vec::new(),
            });
            if name < g.name {
                g.name = name;
            }
            g.impact_s += impact;
            if seen.insert(slug) {
                g.count += 1;
                g.incidents.push(e);
                g.members.push(i);
            }
        }
    }
    groups.into_values().collect()
}

/// The three kinds of group pages.
struct Groups<'a> {
    services: Vec<Group<'a>>,
    tags: Vec<Group<'a>>,
    severities: Vec<Group<'a>>,
}

fn groups(entries: &[Entry]) -> Groups<'_> {
    Groups {
        services: group(entries, "services", |e| {
            e.services
                .iter()
                .map(|s| (s.name.clone(), s.slug.clone(), s.impact_s))
                .collect()
        }),
        tags: group(entries, "tags", |e| {
            e.tags
                .iter()
                .map(|t| (t.name.clone(), t.slug.clone(), 0))
                .collect()
        }),
        severities: group(entries, "severities", |e| {
            vec![(e.severity.clone(), e.severity_slug.clone(), 0)]
        }),
    }
}

/// Every page over all incidents. `entries` must be sorted newest first.
pub fn aggregate(
    entries: &[Entry],
    options: &Options,
    templates: &TemplateSet,
) -> Result<Tree, TemplateError> {
    let groups = groups(entries);
    let stats = stats::compute(entries, &options.config.severities);
    let mut tree = Tree::new();
    let rows = rows(entries, options, templates)?;
    // The rows go in after rendering, in place of a marker no log can forge (its `<` would be
    // escaped), so Tera never copies megabytes of rows around.
    let splice = |shell: String, members: &mut dyn Iterator<Item = usize>, depth: usize| {
        let Some(at) = shell.find(ROWS_MARKER) else {
            return shell.into_bytes();
        };
        let mut html = Vec::with_capacity(shell.len() + 1024 * 16);
        html.extend_from_slice(&shell.as_bytes()[..at]);
        for i in members {
            html.extend_from_slice(rows[i][depth].as_bytes());
        }
        html.extend_from_slice(&shell.as_bytes()[at + ROWS_MARKER.len()..]);
        html
    };

    let mut ctx = Context::new();
    ctx.insert("site", &site_context(options, templates, "", "index"));
    ctx.insert("rows", ROWS_MARKER);
    ctx.insert("services", &groups.services);
    ctx.insert("tags", &groups.tags);
    ctx.insert("severities", &groups.severities);
    ctx.insert("count", &entries.len());
    let shell = templates.render("site/index.html", &ctx)?;
    tree.insert(
        "index.html".into(),
        splice(shell, &mut (0..entries.len()), 0),
    );

    let kinds = [
        ("services", "service", "Services", &groups.services),
        ("tags", "tag", "Tags", &groups.tags),
        ("severities", "severity", "Severities", &groups.severities),
    ];
    for (folder, kind, heading, list) in kinds {
        let mut ctx = Context::new();
        ctx.insert("site", &site_context(options, templates, "../", folder));
        ctx.insert("kind", kind);
        ctx.insert("heading", heading);
        ctx.insert("groups", list);
        let page = templates.render("site/groups.html", &ctx)?;
        tree.insert(format!("{folder}/index.html"), page.into());
        let pages: Vec<(String, Vec<u8>)> = list
            .par_iter()
            .map(|g| {
                let mut ctx = Context::new();
                ctx.insert("site", &site_context(options, templates, "../", folder));
                ctx.insert("kind", kind);
                ctx.insert("group", g);
                ctx.insert("rows", ROWS_MARKER);
                let shell = templates.render("site/list.html", &ctx)?;
                Ok((
                    g.url.clone(),
                    splice(shell, &mut g.members.iter().copied(), 1),
                ))
            })
            .collect::<Result<_, TemplateError>>()?;
        tree.extend(pages);
    }

    let mut ctx = Context::new();
    ctx.insert("site", &site_context(options, templates, "", "stats"));
    ctx.insert("stats", &stats);
    ctx.insert(
        "severity_counts",
        &stats::severity_counts(&stats.by_severity, &stats.scale),
    );
    ctx.insert("month_rows", &stats::month_rows(&stats));
    ctx.insert("charts", &stats::charts(&stats));
    ctx.insert("time_keys", &stats::time_keys(&stats));
    ctx.insert("count", &entries.len());
    tree.insert(
        "stats.html".into(),
        templates.render("site/stats.html", &ctx)?.into(),
    );
    tree.insert("stats.json".into(), stats::json(&stats).into_bytes());
    tree.insert(
        "followups.html".into(),
        followups_page(entries, options, templates)?.into_bytes(),
    );

    tree.insert("feed.xml".into(), feed::atom(entries, options).into_bytes());
    let (json, script) = search::files(entries);
    tree.insert("search-index.json".into(), json.into_bytes());
    tree.insert("search-index.js".into(), script.into_bytes());
    tree.insert(
        "search.js".into(),
        templates.raw("site/search.js").as_bytes().to_vec(),
    );
    for (kind, parts) in [("site", SITE_CSS), ("report", REPORT_CSS)] {
        tree.insert(
            stylesheet_path(templates, kind, parts),
            stylesheet(templates, parts),
        );
    }
    Ok(tree)
}

/// The table row of every entry (`site/row.html`), for a page at the top (`[0]`) and for one
/// a folder down (`[1]`). Rendered once per build and shared by every listing.
fn rows(
    entries: &[Entry],
    options: &Options,
    templates: &TemplateSet,
) -> Result<Vec<[String; 2]>, TemplateError> {
    entries
        .par_iter()
        .map(|e| {
            let mut ctx = Context::new();
            ctx.insert("e", e);
            ctx.insert("site", &site_context(options, templates, "", "index"));
            let top = templates.render("site/row.html", &ctx)?;
            ctx.insert("site", &site_context(options, templates, "../", "list"));
            let down = templates.render("site/row.html", &ctx)?;
            Ok([top, down])
        })
        .collect()
}

/// The follow-ups page: every action item, as of `--today` or the day of the last change.
fn followups_page(
    entries: &[Entry],
    options: &Options,
    templates: &TemplateSet,
) -> Result<String, TemplateError> {
    let today = options
        .today
        .or_else(|| followups::default_today(entries))
        .unwrap_or_default();
    let items = followups::collect(entries, today);
    let open: Vec<followups::FollowUp> = items.iter().filter(|f| f.open).cloned().collect();
    // A public site shows no owner, so only a missing due date says an item is unplanned there.
    let public = options.audience == Audience::Public;
    let unplanned: Vec<&followups::FollowUp> = open
        .iter()
        .filter(|f| (!public && f.owner.is_none()) || f.due.is_none())
        .collect();
    let mut ctx = Context::new();
    ctx.insert("site", &site_context(options, templates, "", "followups"));
    let summary = followups::summary(&items, today);
    ctx.insert("summary", &summary);
    ctx.insert("today_given", &options.today.is_some());
    ctx.insert(
        "owners",
        &if options.audience == Audience::Public {
            Vec::new()
        } else {
            followups::by_owner(&open)
        },
    );
    ctx.insert("incidents", &followups::by_incident(&items));
    ctx.insert("unplanned", &unplanned);
    templates.render("site/followups.html", &ctx)
}
