//! Rendering the site's pages into a [`Tree`]: one page per incident (the report with site
//! navigation, which depends on nothing but its own log), and the pages over all incidents
//! (index, service, tag and severity pages, stats, feed, search index).

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use serde::Serialize;
use siphasher::sip::SipHasher13;
use tera::Context;

use super::build::BuildError;
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

/// The template of an incident's page for `audience`.
pub fn incident_template(audience: Audience) -> &'static str {
    match audience {
        Audience::Internal => "site/postmortem.html",
        Audience::Public => "site/summary.html",
    }
}

/// The page of one incident, redacted for the site's audience, and its listing entry;
/// `forms` are the Markdown forms its template reads (`TemplateSet::text_forms`, found once
/// per build); `related` are the incidents related to it both ways.
pub fn incident(
    redacted: &Redacted,
    options: &Options,
    templates: &TemplateSet,
    forms: view::Forms,
    related: &[RelatedLink],
) -> Result<(Entry, String), TemplateError> {
    let view = view::build_with(redacted, redacted.incident().timezone, forms);
    let entry = Entry::new(&view);
    let mut ctx = render::context(&view);
    ctx.insert("site", &site_context(options, templates, "../", "incident"));
    ctx.insert("entry", &entry);
    ctx.insert("related_incidents", related);
    let html = templates.render(incident_template(redacted.audience()), &ctx)?;
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

/// What the last build wrote: the digest of what each page over all incidents was rendered
/// from, and the site folder. A page whose digest is the same (and whose file is still there)
/// is neither rendered nor written again.
pub struct Previous<'a> {
    pub digests: &'a BTreeMap<String, u64>,
    /// The files of the site ([`super::write::files_in`]).
    pub files: &'a std::collections::HashSet<String>,
}

/// Writes one file of a new site as soon as it is rendered (into the staging folder of a full
/// build), so the listings, the bulk of the pages over all incidents, never wait in memory.
pub type Put<'a> = dyn Fn(&str, &[u8]) -> Result<(), super::write::WriteError> + Sync + 'a;

/// The pages over all incidents that had to be rendered, and the digest of every one of them
/// (rendered or left as it was), for the next build.
pub struct Aggregate {
    pub tree: Tree,
    pub digests: BTreeMap<String, u64>,
}

/// A digest of `parts`, stable across runs and platforms (SipHash 1-3 with fixed keys).
fn digest(parts: impl Hash) -> u64 {
    let mut h = SipHasher13::new();
    parts.hash(&mut h);
    h.finish()
}

/// One page of a listing to be rendered.
struct ListingPage<'a> {
    file: String,
    members: &'a [usize],
    pager: Pager,
    /// `None` for the index, else the folder, the kind and the group.
    group: Option<(&'static str, &'static str, &'a Group<'a>)>,
    digest: u64,
}

/// Every page over all incidents (the listing pages go to `stream` when there is one, and are
/// then not in the tree). `entries` must be sorted newest first; `digests` are those of
/// their encodings ([`super::cache::Encoded`]), in the same order. With `previous`, only the pages whose digest changed
/// are rendered.
pub fn aggregate(
    entries: &[Entry],
    digests: &[u64],
    previous: Option<Previous>,
    stream: Option<&Put<'_>>,
    options: &Options,
    templates: &TemplateSet,
) -> Result<Aggregate, BuildError> {
    let groups = groups(entries);
    let mut done = Aggregate {
        tree: Tree::new(),
        digests: BTreeMap::new(),
    };
    // Whether a page must be rendered, recording its digest either way.
    let mut stale = |file: &str, d: u64| {
        done.digests.insert(file.to_owned(), d);
        previous
            .as_ref()
            .is_none_or(|p| p.digests.get(file) != Some(&d) || !p.files.contains(file))
    };
    let members_digest =
        |members: &[usize]| digest(members.iter().map(|&i| digests[i]).collect::<Vec<_>>());

    let size = options.config.page_size;
    let everyone: Vec<usize> = (0..entries.len()).collect();
    // The index pages also show every service, tag and severity (the filters).
    let filters = digest((
        entries.len(),
        [&groups.services, &groups.tags, &groups.severities].map(|list| {
            list.iter()
                .map(|g| (g.name.as_str(), g.slug.as_str(), g.count))
                .collect::<Vec<_>>()
        }),
    ));
    let mut listing = Vec::new();
    for (file, members, pager) in pages_of("index", &everyone, size) {
        let d = digest((&file, pager.key(), filters, members_digest(members)));
        listing.push(ListingPage {
            file,
            members,
            pager,
            group: None,
            digest: d,
        });
    }
    let kinds = [
        ("services", "service", "Services", &groups.services),
        ("tags", "tag", "Tags", &groups.tags),
        ("severities", "severity", "Severities", &groups.severities),
    ];
    for (folder, kind, _, list) in kinds {
        for g in list.iter() {
            let stem = format!("{folder}/{}", g.slug);
            for (file, members, pager) in pages_of(&stem, &g.members, size) {
                let d = digest((
                    &file,
                    pager.key(),
                    (&g.name, g.count, g.impact_s),
                    members_digest(members),
                ));
                listing.push(ListingPage {
                    file,
                    members,
                    pager,
                    group: Some((folder, kind, g)),
                    digest: d,
                });
            }
        }
    }
    listing.retain(|page| stale(&page.file, page.digest));
    let rows = rows(entries, &listing, options, templates)?;
    // The rows go in after rendering, in place of a marker no log can forge (its `<` would be
    // escaped), so Tera never copies megabytes of rows around.
    let splice = |shell: String, members: &[usize], depth: usize| {
        let Some(at) = shell.find(ROWS_MARKER) else {
            return shell.into_bytes();
        };
        let mut html = Vec::with_capacity(shell.len() + 1024 * 16);
        html.extend_from_slice(&shell.as_bytes()[..at]);
        for &i in members {
            html.extend_from_slice(rows[depth][i].as_deref().unwrap_or_default().as_bytes());
        }
        html.extend_from_slice(&shell.as_bytes()[at + ROWS_MARKER.len()..]);
        html
    };
    let rendered: Vec<Option<(String, Vec<u8>)>> = listing
        .par_iter()
        .map(|page| -> Result<_, BuildError> {
            let mut ctx = Context::new();
            ctx.insert("rows", ROWS_MARKER);
            ctx.insert("pager", &page.pager);
            let (name, depth) = match page.group {
                None => {
                    ctx.insert("site", &site_context(options, templates, "", "index"));
                    ctx.insert("services", &groups.services);
                    ctx.insert("tags", &groups.tags);
                    ctx.insert("severities", &groups.severities);
                    ctx.insert("count", &entries.len());
                    ("site/index.html", 0)
                }
                Some((folder, kind, g)) => {
                    ctx.insert("site", &site_context(options, templates, "../", folder));
                    ctx.insert("kind", kind);
                    ctx.insert("group", g);
                    ("site/list.html", 1)
                }
            };
            let shell = templates.render(name, &ctx)?;
            let html = splice(shell, page.members, depth);
            match stream {
                Some(put) => {
                    put(&page.file, &html)?;
                    Ok(None)
                }
                None => Ok(Some((page.file.clone(), html))),
            }
        })
        .collect::<Result<_, BuildError>>()?;
    done.tree.extend(rendered.into_iter().flatten());

    for (folder, kind, heading, list) in kinds {
        let mut ctx = Context::new();
        ctx.insert("site", &site_context(options, templates, "../", folder));
        ctx.insert("kind", kind);
        ctx.insert("heading", heading);
        ctx.insert("groups", list);
        let page = templates.render("site/groups.html", &ctx)?;
        done.tree
            .insert(format!("{folder}/index.html"), page.into());
    }

    // The pages over every entry: the same unless some entry, or the day, changed.
    let today = options
        .today
        .or_else(|| followups::default_today(entries))
        .unwrap_or_default();
    let whole = digest((digests, today));
    let wide = [
        "stats.html",
        "stats.json",
        "followups.html",
        "feed.xml",
        "search-index.json",
        "search-index.js",
    ];
    let mut any = false;
    for file in wide {
        any |= stale(file, whole);
    }
    // A month's page of follow-ups: the same unless one of its incidents, or the day, changed.
    let mut months: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if !e.action_items.is_empty() {
            months.entry(&e.followups_page).or_default().push(i);
        }
    }
    let stale_months: std::collections::HashSet<&str> = months
        .iter()
        .filter(|(file, members)| stale(file, digest((file, today, members_digest(members)))))
        .map(|(file, _)| *file)
        .collect();
    // The follow-ups, the stats, the feed and the search index, side by side.
    let (followups, wide) = rayon::join(
        || followups_pages(entries, today, any, &stale_months, options, templates),
        || -> Result<Vec<(String, Vec<u8>)>, TemplateError> {
            if !any {
                return Ok(Vec::new());
            }
            let (stats, rest) = rayon::join(
                || stats_pages(entries, options, templates),
                || {
                    let (json, script) = search::files(entries);
                    [
                        ("feed.xml", feed::atom(entries, options)),
                        ("search-index.json", json),
                        ("search-index.js", script),
                    ]
                },
            );
            let mut files = stats?;
            files.extend(rest.map(|(name, text)| (name.to_owned(), text.into_bytes())));
            Ok(files)
        },
    );
    done.tree.extend(followups?);
    done.tree.extend(wide?);
    done.tree.insert(
        "search.js".into(),
        templates.raw("site/search.js").as_bytes().to_vec(),
    );
    for (kind, parts) in [("site", SITE_CSS), ("report", REPORT_CSS)] {
        done.tree.insert(
            stylesheet_path(templates, kind, parts),
            stylesheet(templates, parts),
        );
    }
    Ok(done)
}

/// `stats.html` and `stats.json`.
fn stats_pages(
    entries: &[Entry],
    options: &Options,
    templates: &TemplateSet,
) -> Result<Vec<(String, Vec<u8>)>, TemplateError> {
    let stats = stats::compute(entries, &options.config.severities);
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
    Ok(vec![
        (
            "stats.html".to_owned(),
            templates.render("site/stats.html", &ctx)?.into_bytes(),
        ),
        ("stats.json".to_owned(), stats::json(&stats).into_bytes()),
    ])
}

/// Where a listing's page `n` (from 1) goes: `STEM.html` for the first, `STEM.N.html` for
/// the others (a slug has no `.`, so these never meet another listing's pages).
fn page_file(stem: &str, n: usize) -> String {
    if n == 1 {
        format!("{stem}.html")
    } else {
        format!("{stem}.{n}.html")
    }
}

/// One page of a listing, as `site/pager.html` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    /// This page's number, from 1.
    pub page: usize,
    pub pages: usize,
    /// The places of its first and last incident in the whole listing (from 1; `to` is 0
    /// on the page of an empty listing).
    pub from: usize,
    pub to: usize,
    pub total: usize,
    /// The pages before and after, as links from this page (they share its folder).
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The first and last page and those near this one, in order; `null` where pages are
    /// left out between two links.
    pub links: Vec<Option<PageLink>>,
}

impl Pager {
    /// What the pager shows depends on: the rest follows from these.
    fn key(&self) -> (usize, usize, usize, usize, usize) {
        (self.page, self.pages, self.from, self.to, self.total)
    }
}

/// A link to one page of a listing.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

/// How far from the current page the pager links every page.
const NEARBY: usize = 2;

/// Splits a listing of `members` into pages of `size`: each page's file (from `stem`, see
/// [`page_file`]), its members and its pager. An empty listing has one (empty) page.
fn pages_of<'m>(
    stem: &str,
    members: &'m [usize],
    size: usize,
) -> Vec<(String, &'m [usize], Pager)> {
    let size = size.max(1);
    let total = members.len();
    let pages = total.div_ceil(size).max(1);
    let name = stem.rsplit('/').next().unwrap_or(stem);
    let href = |n: usize| page_file(name, n);
    (1..=pages)
        .map(|page| {
            let from = (page - 1) * size;
            let chunk = &members[from.min(total)..(from + size).min(total)];
            let near = page.saturating_sub(NEARBY).max(1)..=(page + NEARBY).min(pages);
            let mut numbers: Vec<usize> = [1, pages].into_iter().chain(near).collect();
            numbers.sort_unstable();
            numbers.dedup();
            let mut links = Vec::new();
            let mut last = 0;
            for n in numbers {
                if n > last + 1 {
                    links.push(None);
                }
                links.push(Some(PageLink {
                    number: n,
                    href: href(n),
                    current: n == page,
                }));
                last = n;
            }
            let pager = Pager {
                page,
                pages,
                from: if chunk.is_empty() { 0 } else { from + 1 },
                to: from + chunk.len(),
                total,
                prev: (page > 1).then(|| href(page - 1)),
                next: (page < pages).then(|| href(page + 1)),
                links,
            };
            (page_file(stem, page), chunk, pager)
        })
        .collect()
}

/// The table rows (`site/row.html`) the `pages` need: `[0][i]` for a page at the top (the
/// index), `[1][i]` for one a folder down; each rendered once however many pages list it.
fn rows(
    entries: &[Entry],
    pages: &[ListingPage],
    options: &Options,
    templates: &TemplateSet,
) -> Result<[Vec<Option<String>>; 2], TemplateError> {
    let mut needed = [vec![false; entries.len()], vec![false; entries.len()]];
    for page in pages {
        let depth = usize::from(page.group.is_some());
        for &i in page.members {
            needed[depth][i] = true;
        }
    }
    let render = |depth: usize| -> Result<Vec<Option<String>>, TemplateError> {
        let (root, current) = if depth == 0 {
            ("", "index")
        } else {
            ("../", "list")
        };
        let site = site_context(options, templates, root, current);
        entries
            .par_iter()
            .zip(&needed[depth])
            .map(|(e, &needed)| {
                if !needed {
                    return Ok(None);
                }
                let mut ctx = Context::new();
                ctx.insert("e", e);
                ctx.insert("site", &site);
                templates.render("site/row.html", &ctx).map(Some)
            })
            .collect()
    };
    Ok([render(0)?, render(1)?])
}

/// How many open items of each owner the follow-ups page lists (the most urgent; the others
/// are on the months' pages and in `postevent actions --owner`).
const OWNER_ITEMS: usize = 20;
/// How many open items without an owner or a due date it lists.
const UNPLANNED_ITEMS: usize = 50;

/// The follow-ups pages, as of `today`: `followups.html` (the figures, each owner's most
/// urgent open items, the months, items nobody planned) when `main`, and the page of each
/// month of `months` (every item of the incidents that started in it).
fn followups_pages(
    entries: &[Entry],
    today: chrono::NaiveDate,
    main: bool,
    months: &std::collections::HashSet<&str>,
    options: &Options,
    templates: &TemplateSet,
) -> Result<Vec<(String, Vec<u8>)>, TemplateError> {
    let mut pages = Vec::new();
    if main {
        pages.push((
            "followups.html".to_owned(),
            followups_main(entries, today, options, templates)?.into_bytes(),
        ));
    }
    if months.is_empty() {
        return Ok(pages);
    }
    let items = followups::collect(
        entries
            .iter()
            .filter(|e| months.contains(e.followups_page.as_str())),
        today,
    );
    let months = followups::by_month(followups::by_incident(&items));
    let month_pages: Vec<(String, Vec<u8>)> = months
        .par_iter()
        .map(|m| {
            let mut ctx = Context::new();
            ctx.insert(
                "site",
                &site_context(options, templates, "../", "followups"),
            );
            ctx.insert("today", &today);
            ctx.insert("month", m);
            ctx.insert("incidents", &m.groups);
            let html = templates.render("site/followups-month.html", &ctx)?;
            Ok((m.url.clone(), html.into_bytes()))
        })
        .collect::<Result<_, TemplateError>>()?;
    pages.extend(month_pages);
    Ok(pages)
}

/// `followups.html`.
fn followups_main(
    entries: &[Entry],
    today: chrono::NaiveDate,
    options: &Options,
    templates: &TemplateSet,
) -> Result<String, TemplateError> {
    let items = followups::collect(entries, today);
    let open: Vec<followups::FollowUp> = items.iter().filter(|f| f.open).cloned().collect();
    // A public site shows no owner, so only a missing due date says an item is unplanned there.
    let public = options.audience == Audience::Public;
    let unplanned: Vec<&followups::FollowUp> = open
        .iter()
        .filter(|f| (!public && f.owner.is_none()) || f.due.is_none())
        .collect();
    let owners = if public {
        Vec::new()
    } else {
        followups::by_owner(&open)
    };
    let owners: Vec<(followups::OwnerGroup, usize)> = owners
        .into_iter()
        .map(|mut g| {
            let more = g.items.len().saturating_sub(OWNER_ITEMS);
            g.items.truncate(OWNER_ITEMS);
            (g, more)
        })
        .collect();
    let owners: Vec<OwnerShown> = owners
        .iter()
        .map(|(group, more)| OwnerShown { group, more: *more })
        .collect();
    let months = followups::by_month(followups::by_incident(&items));
    let mut ctx = Context::new();
    ctx.insert("site", &site_context(options, templates, "", "followups"));
    ctx.insert("summary", &followups::summary(&items, today));
    ctx.insert("today_given", &options.today.is_some());
    ctx.insert("owners", &owners);
    ctx.insert("months", &months);
    ctx.insert(
        "unplanned",
        &unplanned[..unplanned.len().min(UNPLANNED_ITEMS)],
    );
    ctx.insert(
        "unplanned_more",
        &unplanned.len().saturating_sub(UNPLANNED_ITEMS),
    );
    templates.render("site/followups.html", &ctx)
}

/// An owner's items as the follow-ups page shows them: the first few, and how many more.
#[derive(Serialize)]
struct OwnerShown<'g, 'a> {
    #[serde(flatten)]
    group: &'g followups::OwnerGroup<'a>,
    more: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(p: &Pager) -> Vec<Option<usize>> {
        p.links
            .iter()
            .map(|l| l.as_ref().map(|l| l.number))
            .collect()
    }

    #[test]
    fn a_listing_is_cut_into_pages_with_links_to_the_ends_and_the_neighbours() {
        let members: Vec<usize> = (0..950).collect();
        let pages = pages_of("services/ec2", &members, 100);
        assert_eq!(pages.len(), 10);
        let (file, chunk, pager) = &pages[4];
        assert_eq!(file, "services/ec2.5.html");
        assert_eq!(chunk.first(), Some(&400));
        assert_eq!((pager.from, pager.to, pager.total), (401, 500, 950));
        assert_eq!(pager.prev.as_deref(), Some("ec2.4.html"));
        assert_eq!(pager.next.as_deref(), Some("ec2.6.html"));
        let want = [1, 0, 3, 4, 5, 6, 7, 0, 10].map(|n| (n > 0).then_some(n));
        assert_eq!(numbers(pager), want);
        let (file, chunk, pager) = &pages[9];
        assert_eq!(file, "services/ec2.10.html");
        assert_eq!((chunk.len(), pager.from, pager.to), (50, 901, 950));
        assert_eq!(pager.next, None);
        assert_eq!(pages[0].0, "services/ec2.html");
        assert_eq!(pages[0].2.prev, None);
    }

    #[test]
    fn an_empty_listing_has_one_empty_page() {
        let pages = pages_of("index", &[], 100);
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].0, "index.html");
        assert!(pages[0].1.is_empty());
        assert_eq!(
            (pages[0].2.from, pages[0].2.to, pages[0].2.pages),
            (0, 0, 1)
        );
    }
}
