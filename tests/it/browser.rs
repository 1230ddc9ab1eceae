//! A real browser loads HTML reports from file:// and proves that nothing injected ran.
//!
//! Runs when `POSTEVENT_BROWSER_TEST=1` (CI sets it in its browser step after installing
//! Debian's `chromium`); then a missing browser is a failure, not a skip. Screenshots go to
//! `target/browser/` for a person to look at.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{fixture, root, run};

pub fn enabled() -> bool {
    std::env::var_os("POSTEVENT_BROWSER_TEST").is_some_and(|v| v == "1")
}

fn chromium() -> PathBuf {
    let name = std::env::var_os("CHROMIUM").unwrap_or_else(|| "chromium".into());
    PathBuf::from(name)
}

fn headless(extra: &[String], page: &Path) -> String {
    let url = format!("file://{}", page.display());
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
        ])
        .args(["--virtual-time-budget=3000", "--window-size=1200,2400"])
        .args(extra)
        .arg(&url)
        .output()
        .expect("chromium runs (install Debian's `chromium`, or set CHROMIUM)");
    assert!(out.status.success(), "chromium failed on {url}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The document's title after the page loaded and every script that could run has run.
pub fn title_after_load(page: &Path) -> String {
    title_in(&headless(&["--dump-dom".into()], page))
}

/// The text of the `<title>` of a dumped DOM.
fn title_in(dom: &str) -> String {
    let start = dom.find("<title>").expect("a <title>") + "<title>".len();
    let end = dom[start..].find("</title>").expect("</title>") + start;
    dom[start..end].to_owned()
}

/// The title of the page at `url` (http://127.0.0.1:PORT/... or file://...) once loaded, in a
/// fresh profile.
pub fn title_of_url(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--virtual-time-budget=3000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("chromium runs (install Debian's `chromium`, or set CHROMIUM)");
    assert!(out.status.success(), "chromium failed on {url}: {out:?}");
    title_in(&String::from_utf8_lossy(&out.stdout))
}

fn screenshot(page: &Path, png: &Path) {
    headless(&[format!("--screenshot={}", png.display())], page);
    let size = std::fs::metadata(png).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 10_000,
        "screenshot {} is {size} bytes",
        png.display()
    );
}

pub fn out_dir() -> PathBuf {
    let dir = root().join("target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The check itself must be able to fail: a page whose `onerror` changes the title does
/// change it in this browser.
#[test]
fn an_onerror_handler_would_be_seen() {
    if !enabled() {
        return;
    }
    let page = out_dir().join("canary.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><title>clean</title></head><body>\
         <img src=\"x\" onerror=\"document.title='PWNED'\"></body></html>",
    )
    .unwrap();
    assert_eq!(title_after_load(&page), "PWNED");
}

#[test]
fn reports_run_no_injected_script() {
    if !enabled() {
        return;
    }
    let dir = out_dir();
    let cases = [
        (
            root().join("incidents/aws-us-east-1-2025-10-20.yaml"),
            "aws",
        ),
        (fixture("report/hostile.yaml"), "hostile"),
    ];
    for (log, name) in cases {
        for audience in ["internal", "public"] {
            let page = dir.join(format!("{name}-{audience}.html"));
            let log = log.to_str().unwrap();
            let page_arg = page.to_str().unwrap();
            run(&["report", log, "--audience", audience, "-o", page_arg]).code(0);
            let title = title_after_load(&page);
            // Every payload in the hostile log sets the title to `PWNED-...` and nothing else.
            let kind = if audience == "public" {
                "summary"
            } else {
                "post-mortem"
            };
            assert!(
                !title.starts_with("PWNED") && title.ends_with(kind),
                "{name} {audience}: title is {title:?}"
            );
            screenshot(&page, &dir.join(format!("{name}-{audience}.png")));
        }
    }
}
