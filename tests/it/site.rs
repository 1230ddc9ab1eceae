//! `postevent build` and `postevent export`: the site from fixture folders, its links, feed,
//! search index, public audience, determinism, safety and incremental rebuilds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::{fixture, root, run};

/// The logs every site test builds: the bundled examples, the site fixtures and the hostile
/// report fixture.
fn inputs() -> Vec<String> {
    vec![
        root().join("incidents").display().to_string(),
        fixture("site").display().to_string(),
        fixture("report/hostile.yaml").display().to_string(),
    ]
}

const INCIDENTS: usize = 6;
const MARKERS: &[&str] = &["SITE-INTERNAL-MARKER", "INTERNAL-ONLY-MARKER", "hunter2"];

fn build(out: &Path, extra: &[&str]) -> crate::Output {
    let mut args: Vec<String> = vec!["build".into()];
    args.extend(inputs());
    args.extend(["-o".into(), out.display().to_string()]);
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args)
}

/// Every file under `dir`: relative path -> bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// A start tag: its name and attributes.
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

/// Every start tag of `html` (text never holds a raw `<`, since it is escaped).
fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    for chunk in html.split('<').skip(1) {
        if !chunk.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let body = &chunk[..chunk.find('>').unwrap_or(chunk.len())];
        let name_end = body
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(body.len());
        let mut tag = Tag {
            name: body[..name_end].to_ascii_lowercase(),
            attrs: Vec::new(),
        };
        let mut rest = body[name_end..].trim_start_matches(['/', ' ', '\n']);
        while !rest.is_empty() {
            let end = rest
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(rest.len());
            let attr = rest[..end].to_ascii_lowercase();
            rest = &rest[end..];
            let mut value = String::new();
            if let Some(r) = rest.strip_prefix('=') {
                let quote = r.chars().next().filter(|q| *q == '"' || *q == '\'');
                let (v, r) = match quote {
                    Some(q) => {
                        let close = r[1..].find(q).map_or(r.len(), |i| i + 1);
                        (&r[1..close], r.get(close + 1..).unwrap_or(""))
                    }
                    None => r.split_at(r.find(char::is_whitespace).unwrap_or(r.len())),
                };
                value = v.replace("&amp;", "&");
                rest = r;
            }
            if !attr.is_empty() {
                tag.attrs.push((attr, value));
            }
            rest = rest.trim_start_matches(['/', ' ', '\n', '\t']);
        }
        out.push(tag);
    }
    out
}

/// The values of every `href` and `src` attribute in `html`.
fn links(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .flat_map(|t| t.attrs)
        .filter(|(a, _)| a == "href" || a == "src")
        .map(|(_, v)| v)
        .collect()
}

fn is_external(link: &str) -> bool {
    ["http://", "https://", "mailto:", "#"]
        .iter()
        .any(|p| link.starts_with(p))
}

#[test]
fn every_internal_link_resolves_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, &[])
        .code(0)
        .stderr_has(&["built", "6 incidents"]);
    let files = tree(&out);
    let mut checked = 0;
    for (rel, bytes) in &files {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        let base = Path::new(rel).parent().unwrap_or(Path::new(""));
        for link in links(&html).iter().filter(|l| !is_external(l)) {
            assert!(!link.starts_with("javascript:"), "{rel}: {link}");
            let path = link.split(['#', '?']).next().unwrap();
            let target = normalise(&base.join(path));
            assert!(
                files.contains_key(&target),
                "{rel} links to {link}, but {target} is not in the site"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    for page in [
        "index.html",
        "stats.html",
        "stats.json",
        "feed.xml",
        "search-index.json",
        "search-index.js",
        "search.js",
        "incidents/aws-us-east-1-2025-10-20.html",
        "incidents/hostile-2026-01-01.html",
        "services/dynamodb.html",
        "services/index.html",
        "tags/dns.html",
        "severities/sev1.html",
    ] {
        assert!(files.contains_key(page), "no {page}");
    }
}

/// `a/../b/c` -> `b/c`, as a `/`-separated string.
fn normalise(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                assert!(parts.pop().is_some(), "{} leaves the site", path.display());
            }
            std::path::Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The Atom child `name` of `node`.
fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
    node.children()
        .find(|c| c.has_tag_name((ATOM, name)))
        .unwrap_or_else(|| panic!("no <{name}>"))
}

/// Issue 10: feed.xml parses as XML when a title holds characters XML 1.0 forbids (U+0001,
/// U+FFFE, U+FFFF) and DEL and C1 controls (tests/fixtures/export/controls.yaml). Before,
/// U+FFFE and U+FFFF went into the feed as they were.
#[test]
fn the_feed_parses_whatever_a_title_holds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let log = fixture("export/controls.yaml");
    let (log, out_arg) = (log.to_str().unwrap(), out.to_str().unwrap());
    run(&["build", log, "-o", out_arg, "-q"]).code(0);
    let text = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("feed.xml is XML");
    let title = doc
        .descendants()
        .filter(|n| n.has_tag_name((ATOM, "title")))
        .nth(1)
        .and_then(|n| n.text())
        .expect("the entry's title");
    assert_eq!(title, "Queue stall after deploy \u{FFFD}\u{FFFD} done");
}

#[test]
fn the_feed_is_atom_newest_first_with_absolute_links() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, &["--base-url", "https://status.example.com/pm"]).code(0);
    let text = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("feed.xml is XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        child(feed, "id").text(),
        Some("https://status.example.com/pm/")
    );
    child(feed, "updated");
    child(feed, "author");
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .collect();
    assert_eq!(entries.len(), INCIDENTS);
    let mut published = Vec::new();
    for e in &entries {
        let id = child(*e, "id").text().unwrap();
        let href = child(*e, "link").attribute("href").unwrap();
        assert_eq!(id, href);
        assert!(
            href.starts_with("https://status.example.com/pm/incidents/"),
            "{href}"
        );
        let page = href.trim_start_matches("https://status.example.com/pm/");
        assert!(out.join(page).is_file(), "{page}");
        child(*e, "updated");
        child(*e, "title");
        published.push(child(*e, "published").text().unwrap().to_owned());
    }
    let mut sorted = published.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(published, sorted, "entries are newest first");
    let hostile = entries
        .iter()
        .map(|e| child(*e, "title").text().unwrap())
        .find(|t| t.contains("PWNED-TITLE"))
        .expect("the hostile title, as text");
    assert!(hostile.starts_with("<script>"), "{hostile}");
}

#[test]
fn the_search_index_lists_every_incident_and_matches_its_script() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, &[]).code(0);
    let json = std::fs::read_to_string(out.join("search-index.json")).unwrap();
    let items: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let ids: BTreeSet<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), INCIDENTS);
    assert!(ids.contains("cache-stampede-2026-05-02"));
    let aws = items
        .iter()
        .find(|i| i["id"] == "aws-us-east-1-2025-10-20")
        .unwrap();
    assert_eq!(aws["url"], "incidents/aws-us-east-1-2025-10-20.html");
    assert_eq!(aws["severity"], "SEV1");
    assert!(
        aws["services"]
            .as_array()
            .unwrap()
            .contains(&"dynamodb".into())
    );
    let script = std::fs::read_to_string(out.join("search-index.js")).unwrap();
    let data = script
        .strip_prefix("window.POSTEVENT_SEARCH = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .unwrap();
    assert!(!data.contains('<'), "a `<` could close a script element");
    let again: Vec<serde_json::Value> = serde_json::from_str(data).unwrap();
    assert_eq!(again, items);
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for id in &ids {
        assert!(
            index.contains(&format!("data-id=\"{id}\"")),
            "{id} not listed"
        );
    }
    assert!(index.contains("<script src=\"search-index.js\"></script>"));
}

/// Every file of a public site, internal and the cache included, is free of internal content;
/// the same build for the internal audience does show it (so the check can fail).
#[test]
fn a_public_site_has_no_internal_content_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    let internal = dir.path().join("internal");
    build(&public, &["--audience", "public"]).code(0);
    build(&internal, &["--audience", "internal"]).code(0);
    for (rel, bytes) in tree(&public) {
        let text = String::from_utf8_lossy(&bytes);
        for marker in MARKERS {
            assert!(!text.contains(marker), "public {rel} contains {marker}");
        }
    }
    let internal_text: String = tree(&internal)
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    for marker in MARKERS {
        assert!(
            internal_text.contains(marker),
            "internal site lacks {marker}"
        );
    }
}

/// Markup the hostile log tries to inject stays text: no script but the site's own, no
/// event handler, no frame, no `javascript:` link in any page.
#[test]
fn no_injected_markup_reaches_any_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, &[]).code(0);
    let mut pages = 0;
    for (rel, bytes) in tree(&out).iter().filter(|(k, _)| k.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for tag in tags(&html) {
            assert!(
                !["iframe", "object", "embed", "img"].contains(&tag.name.as_str()),
                "{rel}: <{}>",
                tag.name
            );
            for (attr, value) in &tag.attrs {
                assert!(!attr.starts_with("on"), "{rel}: <{} {attr}=...>", tag.name);
                let v = value.trim().to_ascii_lowercase();
                assert!(!v.starts_with("javascript:"), "{rel}: {attr}={value}");
            }
            if tag.name == "script" {
                let src = tag
                    .attrs
                    .iter()
                    .find(|(a, _)| a == "src")
                    .map(|(_, v)| v.as_str());
                assert!(
                    matches!(src, Some("search-index.js" | "search.js")),
                    "{rel}: a <script> of {src:?}"
                );
            }
        }
        pages += 1;
    }
    assert!(pages > 20);
    let hostile = std::fs::read_to_string(out.join("incidents/hostile-2026-01-01.html")).unwrap();
    assert!(
        hostile.contains("&lt;script&gt;document.title="),
        "the title is shown as text"
    );
}

#[test]
fn two_builds_give_byte_identical_trees() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build(&a, &["--audience", "public"]).code(0);
    build(&b, &["--audience", "public"]).code(0);
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (rel, bytes) in &ta {
        assert!(bytes == &tb[rel], "{rel} differs between two builds");
    }
}

/// A folder with copies of the site fixtures and the examples, to edit.
fn editable_logs(dir: &Path) -> PathBuf {
    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    for folder in [root().join("incidents"), fixture("site")] {
        for e in std::fs::read_dir(folder).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, logs.join(p.file_name().unwrap())).unwrap();
        }
    }
    logs
}

fn build_dir(logs: &Path, out: &Path, extra: &[&str]) -> crate::Output {
    let mut args = vec!["build", logs.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn an_invalid_log_stops_the_build_and_leaves_the_previous_site_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let logs = editable_logs(dir.path());
    let out = dir.path().join("site");
    build_dir(&logs, &out, &[]).code(0);
    let before = tree(&out);
    std::fs::copy(
        fixture("site-invalid/broken-phase-order.yaml"),
        logs.join("broken-phase-order.yaml"),
    )
    .unwrap();
    std::fs::write(logs.join("unterminated.yaml"), "title: [oops\n").unwrap();
    build_dir(&logs, &out, &[]).code(1).stderr_has(&[
        "broken-phase-order.yaml:9:12",
        "unterminated.yaml:",
        "2 logs cannot go into the site",
        "was not changed",
    ]);
    assert!(tree(&out) == before, "the site changed");

    build_dir(&logs, &out, &["--keep-going"])
        .code(1)
        .stderr_has(&["5 incidents", "skipped 2 log(s)", "broken-phase-order.yaml"]);
    assert!(out.join("incidents/dns-typo-2025-12-01.html").is_file());
    assert!(!out.join("incidents/broken-phase-order.html").exists());
}

#[test]
fn an_edit_rebuilds_one_page_and_gives_the_same_site_as_a_fresh_build() {
    let dir = tempfile::tempdir().unwrap();
    let logs = editable_logs(dir.path());
    let out = dir.path().join("site");
    build_dir(&logs, &out, &[]).code(0).stderr_has(&["built"]);
    build_dir(&logs, &out, &[])
        .code(0)
        .stderr_has(&["updated (0 pages rendered"]);
    let log = logs.join("dns-typo-2025-12-01.yaml");
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(
        &log,
        text.replace("breaks the status", "breaks the shiny status"),
    )
    .unwrap();
    build_dir(&logs, &out, &[])
        .code(0)
        .stderr_has(&["updated (1 page rendered"]);
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("breaks the shiny status"));

    // Deleting a log removes its page and its only tag's page.
    std::fs::remove_file(&log).unwrap();
    build_dir(&logs, &out, &[])
        .code(0)
        .stderr_has(&["stale file(s) removed"]);
    assert!(!out.join("incidents/dns-typo-2025-12-01.html").exists());
    assert!(!out.join("services/status-page.html").exists());

    let fresh = dir.path().join("fresh");
    build_dir(&logs, &fresh, &[]).code(0);
    let (a, b) = (tree(&out), tree(&fresh));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (rel, bytes) in &a {
        assert!(bytes == &b[rel], "{rel} differs from a fresh build");
    }
}

/// Every page links one of two shared stylesheets, named by their content, instead of
/// carrying its own copy; an overridden stylesheet gets a new name.
#[test]
fn pages_share_stylesheets_named_by_their_content() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, &[]).code(0);
    let files = tree(&out);
    let sheets: Vec<&String> = files.keys().filter(|k| k.starts_with("assets/")).collect();
    assert_eq!(sheets.len(), 2, "{sheets:?}");
    for (rel, bytes) in &files {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        assert!(!html.contains("<style"), "{rel} carries its own stylesheet");
        let kind = if rel.starts_with("incidents/") {
            "report"
        } else {
            "site"
        };
        let linked = links(&html)
            .into_iter()
            .find(|l| l.contains("assets/"))
            .unwrap_or_else(|| panic!("{rel} links no stylesheet"));
        let target = normalise(&Path::new(rel).parent().unwrap().join(&linked));
        assert!(
            target.starts_with(&format!("assets/{kind}-")),
            "{rel}: {linked}"
        );
        assert!(files.contains_key(&target), "{rel}: {linked}");
    }
    let templates = dir.path().join("templates/site");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("site.css"), "body { color: black; }").unwrap();
    let again = dir.path().join("again");
    build(
        &again,
        &[
            "--templates",
            dir.path().join("templates").to_str().unwrap(),
        ],
    )
    .code(0);
    let renamed: Vec<String> = tree(&again)
        .into_keys()
        .filter(|k| k.starts_with("assets/"))
        .collect();
    assert!(
        renamed.iter().any(|k| !files.contains_key(k)),
        "{renamed:?}"
    );
    assert!(
        renamed.iter().any(|k| files.contains_key(k)),
        "the report's is unchanged"
    );
}

/// The cache names logs by their canonical path: the same logs spelled another way on the
/// command line are still known. (They were not: every page was rendered again.)
#[test]
fn the_cache_does_not_depend_on_how_paths_are_spelled() {
    let dir = tempfile::tempdir().unwrap();
    let logs = editable_logs(dir.path());
    let out = dir.path().join("site");
    build_dir(&logs, &out, &[]).code(0).stderr_has(&["built"]);
    let other = dir.path().join("logs/../logs/.");
    build_dir(&other, &out, &[])
        .code(0)
        .stderr_has(&["updated (0 pages rendered"]);
    let one = logs.join("dns-typo-2025-12-01.yaml");
    let spelled = dir.path().join("./logs/dns-typo-2025-12-01.yaml");
    let files = [one.to_str().unwrap(), spelled.to_str().unwrap()];
    run(&["build", files[0], "-o", out.to_str().unwrap()]).code(0);
    run(&["build", files[1], "-o", out.to_str().unwrap()])
        .code(0)
        .stderr_has(&["updated (0 pages rendered"]);
}

#[test]
fn a_folder_postevent_did_not_make_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("thesis.tex"), "keep me").unwrap();
    build(dir.path(), &[])
        .code(2)
        .stderr_has(&["was not made by postevent"]);
    assert!(dir.path().join("thesis.tex").is_file());
    assert!(!dir.path().join("index.html").exists());
}

#[test]
fn an_id_that_is_not_a_file_name_is_rejected_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let text = std::fs::read_to_string(fixture("site/dns-typo-2025-12-01.yaml")).unwrap();
    let evil = text.replace("id: dns-typo-2025-12-01", "id: ../../evil");
    std::fs::write(logs.join("evil.yaml"), evil).unwrap();
    let out = dir.path().join("site");
    build_dir(&logs, &out, &[])
        .code(1)
        .stderr_has(&["evil.yaml:"]);
    assert!(!out.exists());
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "something was written beside the logs");
}

#[test]
fn two_logs_with_one_id_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let log = fixture("site/dns-typo-2025-12-01.yaml");
    std::fs::copy(&log, logs.join("a.yaml")).unwrap();
    std::fs::copy(&log, logs.join("b.yaml")).unwrap();
    build_dir(&logs, &dir.path().join("site"), &[])
        .code(1)
        .stderr_has(&["id `dns-typo-2025-12-01` is used by", "a.yaml", "b.yaml"]);
    // `export` shares the rule and its message (it used to name neither file).
    let out = dir.path().join("export");
    let (l, o) = (logs.to_str().unwrap(), out.to_str().unwrap());
    run(&["export", "--to", "hugo", l, "-o", o])
        .code(1)
        .stderr_has(&[
            "id `dns-typo-2025-12-01` is used by",
            "a.yaml",
            "b.yaml",
            "2 log(s) cannot be exported",
        ]);
    assert!(!out.exists());
}

#[test]
fn a_bad_base_url_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    build(&dir.path().join("s"), &["--base-url", "status.example.com"])
        .code(2)
        .stderr_has(&["--base-url", "https://"]);
}

fn export(to: &str, out: &Path) -> BTreeMap<String, String> {
    let mut args = vec!["export".to_owned(), "--to".into(), to.into()];
    args.extend(inputs());
    args.extend(["-o".into(), out.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args).code(0).stderr_has(&["exported 6 incident(s)"]);
    tree(out)
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8(v).unwrap()))
        .collect()
}

#[test]
fn exports_carry_each_generators_front_matter_and_listing() {
    let dir = tempfile::tempdir().unwrap();
    let aws = "aws-us-east-1-2025-10-20";

    let book = export("mdbook", &dir.path().join("book"));
    let summary = &book["SUMMARY.md"];
    for (rel, _) in book.iter().filter(|(k, _)| k.starts_with("incidents/")) {
        assert!(
            summary.contains(&format!("]({rel})")),
            "SUMMARY.md lacks {rel}"
        );
    }
    assert!(book[&format!("incidents/{aws}.md")].starts_with("# "));
    assert!(book[&format!("incidents/{aws}.md")].contains("```mermaid\ngantt"));

    let mkdocs = export("mkdocs", &dir.path().join("mkdocs"));
    assert!(mkdocs["nav.yml"].contains(&format!(": incidents/{aws}.md")));
    assert!(mkdocs[&format!("incidents/{aws}.md")].starts_with("---\ntitle: \"DynamoDB DNS race"));

    let hugo = export("hugo", &dir.path().join("hugo"));
    let page = &hugo[&format!("{aws}.md")];
    assert!(
        page.contains("\ndate: \"2025-10-20T06:48:00Z\"\n"),
        "{page}"
    );
    assert!(page.contains("\ntags: [\"dns\",\"dynamodb\""));
    assert!(hugo["_index.md"].contains(&format!("]({aws}/)")));

    let docusaurus = export("docusaurus", &dir.path().join("docusaurus"));
    let page = &docusaurus[&format!("{aws}.md")];
    assert!(page.contains("\nformat: md\n") && page.contains("\nsidebar_position: "));
    assert!(docusaurus.contains_key("_category_.json"));

    let zola = export("zola", &dir.path().join("zola"));
    let page = &zola[&format!("{aws}.md")];
    assert!(page.starts_with("+++\ntitle = \""));
    assert!(page.contains("\ndate = 2025-10-20T06:48:00Z\n"));
    assert!(page.contains("[taxonomies]\ntags = [\"dns\""));
    assert!(zola["_index.md"].contains("sort_by = \"date\""));

    // A hostile title stays inside its quoted front-matter string.
    let hostile = &hugo["hostile-2026-01-01.md"];
    let title = hostile.lines().nth(1).unwrap();
    assert!(
        title.starts_with("title: \"<script>") && title.ends_with('"'),
        "{title}"
    );
    assert_eq!(title.matches("\\\"").count(), 4, "{title}");
}

/// Headless Chromium, when `POSTEVENT_BROWSER_TEST=1` (CI installs Debian's `chromium`).
fn chromium_enabled() -> bool {
    std::env::var_os("POSTEVENT_BROWSER_TEST").is_some_and(|v| v == "1")
}

fn chromium(args: &[String], url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let browser = std::env::var_os("CHROMIUM").unwrap_or_else(|| "chromium".into());
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .expect("chromium runs (install Debian's `chromium`, or set CHROMIUM)");
    assert!(out.status.success(), "chromium failed on {url}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The start tag of the listing row of `id` in a dumped DOM.
fn row_tag<'a>(dom: &'a str, id: &str) -> &'a str {
    let start = dom
        .find(&format!("<tr data-id=\"{id}\""))
        .unwrap_or_else(|| panic!("no row for {id}"));
    &dom[start..start + dom[start..].find('>').unwrap()]
}

/// A built site under target/, kept for people to look at.
fn browser_site() -> PathBuf {
    let dir = root().join("target/site-browser");
    let out = dir.join("site");
    build(&out, &[]).code(0);
    out
}

#[test]
fn chromium_search_finds_an_incident_and_pages_are_screenshot() {
    if !chromium_enabled() {
        return;
    }
    let out = browser_site();
    let index = format!("file://{}", out.join("index.html").display());
    let dom = chromium(&["--dump-dom".into()], &format!("{index}?q=Stampede"));
    assert!(!row_tag(&dom, "cache-stampede-2026-05-02").contains("hidden"));
    for other in ["aws-us-east-1-2025-10-20", "dns-typo-2025-12-01"] {
        assert!(
            row_tag(&dom, other).contains("hidden"),
            "{other} still shown"
        );
    }
    assert!(dom.contains("1 of 6 incidents match"), "no result count");
    assert!(dom.contains("<form id=\"filters\""));
    // Every payload of the hostile log would rename the document.
    assert!(
        dom.contains("<title>Post-mortems</title>"),
        "an injected script ran"
    );

    // Two words must both match; a filter narrows as well.
    let dom = chromium(
        &["--dump-dom".into()],
        &format!("{index}?q=dns+race&severity=sev1"),
    );
    assert!(!row_tag(&dom, "aws-us-east-1-2025-10-20").contains("hidden"));
    assert!(row_tag(&dom, "dns-typo-2025-12-01").contains("hidden"));

    // Nothing matches: every row hidden, the empty note shown.
    let dom = chromium(&["--dump-dom".into()], &format!("{index}?q=zzzzqqq"));
    assert!(row_tag(&dom, "aws-us-east-1-2025-10-20").contains("hidden"));
    assert!(!dom.contains("<p id=\"no-results\" class=\"empty\" hidden"));

    screenshots(&out);
}

/// Screenshots for people to look at, kept under target/site-browser/.
fn screenshots(out: &Path) {
    let shots = root().join("target/site-browser");
    for (page, size) in [
        ("index.html", "1200,1500"),
        ("stats.html", "1200,1700"),
        ("followups.html", "1200,1700"),
        ("incidents/cache-stampede-2026-05-02.html", "1200,1500"),
    ] {
        let name = Path::new(page).file_stem().unwrap().to_string_lossy();
        let png = shots.join(format!("{name}.png"));
        let url = format!("file://{}", out.join(page).display());
        chromium(
            &[
                format!("--window-size={size}"),
                format!("--screenshot={}", png.display()),
            ],
            &url,
        );
        let bytes = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
        assert!(
            bytes > 20_000,
            "screenshot {} is {bytes} bytes",
            png.display()
        );
    }
}

/// A template that fails while rendering stops a full build after pages were already written
/// to the staging folder: the site stays as it was, and nothing is left beside it.
#[test]
fn a_template_error_leaves_the_previous_site_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, &[]).code(0);
    let before = tree(&out);
    let templates = dir.path().join("templates/site");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("list.html"),
        "{% extends \"site/base.html\" %}{% block main %}{{ group.no_such_field }}{% endblock main %}",
    )
    .unwrap();
    let overrides = dir.path().join("templates");
    build(&out, &["--templates", overrides.to_str().unwrap()])
        .code(2)
        .stderr_has(&["site/list.html", "no_such_field"]);
    assert!(tree(&out) == before, "the site changed");
    // The cache of the untouched site stays beside it, and nothing else is left there.
    let mut beside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, [".site.postevent-cache", "site", "templates"]);
}

/// Regression: a `--audience public` site published `.postevent-cache.json`, which held each
/// log's path, size and a 64-bit hash of the whole private file: its size changed when only
/// `internal_notes` did, and the hash confirmed a guess at the file. The cache now lives
/// beside the site, and nothing in the site depends on what the public cannot see.
#[test]
fn a_public_site_holds_nothing_about_the_private_files() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("private-logs-k7q2");
    std::fs::create_dir(&logs).unwrap();
    let log = logs.join("secret-name-x9.yaml");
    let text = std::fs::read_to_string(fixture("site/dns-typo-2025-12-01.yaml")).unwrap();
    std::fs::write(&log, format!("{text}internal_notes: first draft\n")).unwrap();
    let out = dir.path().join("site");
    let public = ["--audience", "public"];
    build_dir(&logs, &out, &public)
        .code(0)
        .stderr_has(&["built"]);
    let before = tree(&out);
    for (rel, bytes) in &before {
        let text = String::from_utf8_lossy(bytes);
        for word in ["private-logs-k7q2", "secret-name-x9"] {
            assert!(!text.contains(word), "{rel} names the input `{word}`");
        }
    }

    // Only the internal notes change: the site does not change by one byte.
    std::fs::write(
        &log,
        format!("{text}internal_notes: a much longer second draft of the notes\n"),
    )
    .unwrap();
    build_dir(&logs, &out, &public)
        .code(0)
        .stderr_has(&["updated (1 page rendered"]);
    assert!(tree(&out) == before, "the public site changed");
    // The cache still works, from beside the site.
    build_dir(&logs, &out, &public)
        .code(0)
        .stderr_has(&["updated (0 pages rendered"]);
}

/// The site's stats sum each measure's peaks over the incidents (issue 16): a public site
/// from what the public sees.
#[test]
fn stats_sum_the_peaks_of_each_measure() {
    let logs = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("report/measures.yaml")).unwrap();
    std::fs::write(logs.path().join("measures.yaml"), &text).unwrap();
    let again = text.replace("id: measures", "id: measures-again");
    std::fs::write(logs.path().join("measures-again.yaml"), again).unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().display().to_string();
    let logs = logs.path().display().to_string();
    run(&["build", &logs, "-o", &dir, "--audience", "public"]).code(0);
    let stats: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("stats.json")).unwrap())
            .unwrap();
    let by_key = |key: &str| {
        stats["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["key"] == key)
            .cloned()
    };
    let failed = by_key("requests_failed").expect("summed");
    assert_eq!(failed["incidents"], 2);
    assert_eq!(failed["sum_of_peaks"], 360000);
    assert_eq!(failed["max_peak"], 180000);
    assert!(by_key("Secret Store.lag_s").is_none(), "internal service");
    let page = std::fs::read_to_string(out.path().join("stats.html")).unwrap();
    assert!(
        page.contains("Measured impact") && page.contains("360000"),
        "{page}"
    );
}

/// A site of six incidents, two to a page (`[site] page_size = 2`).
fn paged_site(dir: &Path) -> PathBuf {
    let config = dir.join("postevent.toml");
    std::fs::write(&config, "[site]\npage_size = 2\n").unwrap();
    let out = dir.join("site");
    build(&out, &["--config", &config.display().to_string()]).code(0);
    out
}

/// The ids of the listing rows of a page, in order.
fn row_ids(html: &str) -> Vec<String> {
    let row = regex::Regex::new(r#"<tr data-id="([^"]+)""#).unwrap();
    row.captures_iter(html).map(|c| c[1].to_owned()).collect()
}

#[test]
fn listings_are_split_into_pages_that_together_list_every_incident_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = paged_site(dir.path());
    let page = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    let mut seen = Vec::new();
    for (n, file) in ["index.html", "index.2.html", "index.3.html"]
        .iter()
        .enumerate()
    {
        let html = page(file);
        let ids = row_ids(&html);
        assert_eq!(ids.len(), 2, "{file}");
        seen.extend(ids);
        assert!(
            html.contains(&format!("page {} of 3", n + 1)),
            "{file} says which page it is"
        );
    }
    assert!(!out.join("index.4.html").exists());
    // Newest first across the pages, each incident once: the order of the search index.
    let search: Vec<serde_json::Value> = serde_json::from_str(&page("search-index.json")).unwrap();
    let order: Vec<&str> = search.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(seen, order);
    // The pager links its neighbours; the first page has no "newer", the last no "older".
    let second = page("index.2.html");
    assert!(second.contains(r#"<a href="index.html" rel="prev">"#));
    assert!(second.contains(r#"<a href="index.3.html" rel="next">"#));
    assert!(second.contains(r#"<span aria-current="page">2</span>"#));
    assert!(!page("index.html").contains(r#"rel="prev""#));
    assert!(!page("index.3.html").contains(r#"rel="next""#));
    // A severity with three incidents has two pages, linked the same way.
    let sev1 = page("severities/sev1.html");
    let more = out.join("severities/sev1.2.html");
    if row_ids(&sev1).len() + row_ids(&std::fs::read_to_string(&more).unwrap_or_default()).len() > 2
    {
        assert!(sev1.contains(r#"<a href="sev1.2.html" rel="next">"#));
    }
    let services = search
        .iter()
        .flat_map(|i| i["services"].as_array().unwrap().clone())
        .filter(|s| s == "dynamodb")
        .count();
    let mut listed = 0;
    for n in 1.. {
        let file = if n == 1 {
            "services/dynamodb.html".to_owned()
        } else {
            format!("services/dynamodb.{n}.html")
        };
        let Ok(html) = std::fs::read_to_string(out.join(&file)) else {
            break;
        };
        listed += row_ids(&html).len();
    }
    assert_eq!(
        listed, services,
        "every incident of a service, over its pages"
    );
}

#[test]
fn the_page_size_must_be_at_least_one() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("postevent.toml");
    std::fs::write(&config, "[site]\npage_size = 0\n").unwrap();
    let out = build(
        &dir.path().join("site"),
        &["--config", &config.display().to_string()],
    )
    .code(2);
    assert!(out.stderr.contains("postevent.toml:2"), "{}", out.stderr);
    assert!(!dir.path().join("site").exists());
}

#[test]
fn chromium_search_on_a_paged_index_finds_incidents_of_other_pages() {
    if !chromium_enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = paged_site(dir.path());
    let search = std::fs::read_to_string(out.join("search-index.json")).unwrap();
    let search: Vec<serde_json::Value> = serde_json::from_str(&search).unwrap();
    let last = search.last().unwrap();
    let id = last["id"].as_str().unwrap();
    assert!(
        !row_ids(&std::fs::read_to_string(out.join("index.html")).unwrap())
            .contains(&id.to_owned())
    );
    let index = format!("file://{}", out.join("index.html").display());
    let words = last["title"]
        .as_str()
        .unwrap()
        .split(' ')
        .take(3)
        .collect::<Vec<_>>();
    let dom = chromium(
        &["--dump-dom".into()],
        &format!("{index}?q={}", words.join("+")),
    );
    let results = &dom[dom.find(r#"<div id="results""#).expect("a results block")..];
    assert!(
        results.starts_with(r#"<div id="results">"#),
        "results shown"
    );
    assert!(row_tag(results, id).starts_with(&format!(r#"<tr data-id="{id}""#)));
    assert!(results.contains(&format!(r#"href="{}""#, last["url"].as_str().unwrap())));
    assert!(
        dom.contains(r#"<div id="listing" hidden"#),
        "the page's own rows hidden"
    );
    // The hostile log's title is text in the results, never markup.
    let dom = chromium(&["--dump-dom".into()], &format!("{index}?q=xss"));
    assert!(
        dom.contains("<title>Post-mortems</title>"),
        "an injected script ran"
    );
}

/// Every kind of edit, on a site split into pages of two: after each, the incremental build
/// (which renders only the pages whose inputs changed) gives the same site as a fresh one.
#[test]
fn edits_to_a_paged_site_give_the_same_site_as_a_fresh_build() {
    let dir = tempfile::tempdir().unwrap();
    let logs = editable_logs(dir.path());
    std::fs::write(logs.join("postevent.toml"), "[site]\npage_size = 2\n").unwrap();
    let out = dir.path().join("site");
    build_dir(&logs, &out, &[]).code(0);
    let log = logs.join("dns-typo-2025-12-01.yaml");
    type Edit = fn(String) -> String;
    let edits: [(&str, Edit); 6] = [
        ("a comment", |t| t + "# nothing that shows\n"),
        ("the severity", |t| {
            t.replace("severity: SEV4", "severity: SEV1")
        }),
        ("the title", |t| {
            t.replace("Typo in a DNS zone file", "A typo in a DNS zone file")
        }),
        ("the start, to the oldest", |t| {
            t.replace("2025-12-01T", "2019-12-01T")
        }),
        ("a tag", |t| {
            t.replace("tags: [dns]", "tags: [dns, zone-files]")
        }),
        ("an action item", |t| {
            t + "action_items:\n  - title: Lint zone files in CI\n    kind: prevent\n    owner: dns-team\n    due: 2020-01-15\n"
        }),
    ];
    for (what, edit) in edits {
        let text = std::fs::read_to_string(&log).unwrap();
        std::fs::write(&log, edit(text)).unwrap();
        build_dir(&logs, &out, &[]).code(0).stderr_has(&["updated"]);
        let fresh = dir.path().join("fresh");
        build_dir(&logs, &fresh, &[]).code(0);
        let (a, b) = (tree(&out), tree(&fresh));
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "after {what}"
        );
        for (rel, bytes) in &a {
            assert!(
                bytes == &b[rel],
                "after {what}: {rel} differs from a fresh build"
            );
        }
        std::fs::remove_dir_all(&fresh).unwrap();
    }
    // A page the last build wrote and someone deleted is written again.
    std::fs::remove_file(out.join("index.2.html")).unwrap();
    build_dir(&logs, &out, &[]).code(0);
    assert!(out.join("index.2.html").is_file());
    // A site deleted without its cache is built afresh, marker and all (it was written as an
    // update into an empty folder, which the next build then refused as not its own).
    std::fs::remove_dir_all(&out).unwrap();
    build_dir(&logs, &out, &[]).code(0).stderr_has(&["built"]);
    assert!(out.join(".postevent-site").is_file());
    build_dir(&logs, &out, &[]).code(0);
}
