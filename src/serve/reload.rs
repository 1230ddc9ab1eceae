//! Live reload: a small script added to every HTML response (never to the files on disk) that
//! reloads the page when the site's version changes. The site's pages forbid scripts they do
//! not name in their Content-Security-Policy, so the response's policy is rewritten to allow
//! scripts carrying a nonce made once per process, and nothing else.
//!
//! The script asks for the version by adding `<script src="/__postevent/version.js">`
//! elements with the same nonce, so the policy needs no `connect-src` for a `fetch`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// The version as plain text, for tools and tests.
pub const VERSION_PATH: &str = "/__postevent/version";
/// The version as a script that tells the page's reload script.
pub const VERSION_SCRIPT_PATH: &str = "/__postevent/version.js";

/// A fresh nonce: 128 bits from the process's random hasher keys, in hex.
pub fn nonce() -> String {
    let half = || {
        let mut h = RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        h.finish()
    };
    format!("{:016x}{:016x}", half(), half())
}

/// The body of [`VERSION_SCRIPT_PATH`].
pub fn version_script(version: u64) -> String {
    format!("window.__posteventVersion && window.__posteventVersion(\"{version}\");\n")
}

/// `html` as served: its Content-Security-Policy allows the nonce, and the reload script for
/// `version` sits before `</body>` (or at the end).
pub fn inject(html: &str, nonce: &str, version: u64) -> String {
    let html = allow_nonce(html, nonce);
    let script = script(nonce, version);
    let at = html
        .to_ascii_lowercase()
        .rfind("</body")
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + script.len());
    out.push_str(&html[..at]);
    out.push_str(&script);
    out.push_str(&html[at..]);
    out
}

fn script(nonce: &str, version: u64) -> String {
    format!(
        r#"<script nonce="{nonce}">
(function () {{
  "use strict";
  var version = "{version}";
  window.__posteventVersion = function (v) {{ if (v !== version) {{ location.reload(); }} }};
  function poll() {{
    var s = document.createElement("script");
    s.nonce = "{nonce}";
    s.src = "{VERSION_SCRIPT_PATH}?t=" + Date.now();
    s.onload = function () {{ s.remove(); setTimeout(poll, 300); }};
    s.onerror = function () {{ s.remove(); setTimeout(poll, 1000); }};
    (document.head || document.documentElement).appendChild(s);
  }}
  setTimeout(poll, 300);
}})();
</script>
"#
    )
}

/// Rewrites the policy of every `<meta http-equiv="Content-Security-Policy">` in `html`.
fn allow_nonce(html: &str, nonce: &str) -> String {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` index `html`.
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len() + 64);
    let mut copied = 0;
    let mut from = 0;
    while let Some(i) = lower[from..].find("<meta") {
        let start = from + i;
        let Some(len) = lower[start..].find('>') else {
            break;
        };
        let end = start + len;
        from = end;
        let tag = &lower[start..end];
        if !tag.contains("content-security-policy") {
            continue;
        }
        if let Some((vs, ve)) = attribute_value(tag, "content") {
            out.push_str(&html[copied..start + vs]);
            out.push_str(&with_nonce(&html[start + vs..start + ve], nonce));
            copied = start + ve;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// The byte range of a quoted attribute's value inside a lowercase start tag.
fn attribute_value(tag: &str, name: &str) -> Option<(usize, usize)> {
    let needle = format!("{name}=");
    let mut from = 0;
    loop {
        let at = from + tag[from..].find(&needle)?;
        from = at + needle.len();
        if !tag[..at].ends_with(|c: char| c.is_ascii_whitespace()) {
            continue;
        }
        let quote = tag[from..].chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let close = tag[from + 1..].find(quote)?;
        return Some((from + 1, from + 1 + close));
    }
}

/// `policy` with `'nonce-…'` added to whatever governs script elements: `script-src` and
/// `script-src-elem`, or, when neither is there, a new `script-src` with `default-src`'s
/// sources. A policy without any of them already allows scripts and is kept.
pub fn with_nonce(policy: &str, nonce: &str) -> String {
    let nonce = format!("'nonce-{nonce}'");
    let mut directives: Vec<Vec<&str>> = policy
        .split(';')
        .map(|d| d.split_ascii_whitespace().collect::<Vec<_>>())
        .filter(|d| !d.is_empty())
        .collect();
    let name = |d: &Vec<&str>| d[0].to_ascii_lowercase();
    let mut found = false;
    for d in &mut directives {
        if matches!(name(d).as_str(), "script-src" | "script-src-elem") {
            d.retain(|s| !s.eq_ignore_ascii_case("'none'"));
            d.push(&nonce);
            found = true;
        }
    }
    if !found {
        let Some(default) = directives.iter().find(|d| name(d) == "default-src") else {
            return policy.to_owned();
        };
        let mut script = vec!["script-src"];
        script.extend(
            default[1..]
                .iter()
                .filter(|s| !s.eq_ignore_ascii_case("'none'")),
        );
        script.push(&nonce);
        directives.push(script);
    }
    let directives: Vec<String> = directives.iter().map(|d| d.join(" ")).collect();
    directives.join("; ")
}

/// A page that shows why the site cannot be built, and reloads once it can.
pub fn error_page(text: &str, nonce: &str, version: u64) -> String {
    let page = format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>postevent serve: the site cannot be built</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }}
h1 {{ font-size: 1.3rem; color: #a4161a; }}
pre {{ background: #f6f6f6; border-left: 4px solid #a4161a; padding: 1rem; overflow-x: auto; }}
</style>
</head>
<body>
<h1>The site cannot be built</h1>
<p>Fix the log and save it: this page reloads by itself.</p>
<pre>{}</pre>
</body>
</html>
"#,
        crate::escape::html_text(text)
    );
    inject(&page, nonce, version)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE_META: &str = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src data:">"#;

    #[test]
    fn policies_gain_the_nonce_and_nothing_else() {
        let rows = [
            (
                "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src data:",
                "default-src 'none'; style-src 'unsafe-inline'; script-src 'self' 'nonce-N'; img-src data:",
            ),
            (
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-N'",
            ),
            (
                "default-src 'self'; img-src data:",
                "default-src 'self'; img-src data:; script-src 'self' 'nonce-N'",
            ),
            ("script-src 'none'", "script-src 'nonce-N'"),
            (
                "SCRIPT-SRC-ELEM 'self'; script-src 'self'",
                "SCRIPT-SRC-ELEM 'self' 'nonce-N'; script-src 'self' 'nonce-N'",
            ),
            ("img-src data:", "img-src data:"),
        ];
        for (policy, expected) in rows {
            assert_eq!(with_nonce(policy, "N"), expected, "{policy}");
        }
    }

    #[test]
    fn the_script_goes_before_the_body_ends_and_the_meta_allows_it() {
        let html = format!("<html><head>{SITE_META}</head><body><p>x</p></BODY></html>");
        let served = inject(&html, "abc", 7);
        assert!(served.contains("script-src 'self' 'nonce-abc'; img-src data:\">"));
        let script = served.find("<script nonce=\"abc\">").unwrap();
        assert!(script > served.find("<p>x</p>").unwrap());
        assert!(script < served.find("</BODY>").unwrap());
        assert!(served.contains("var version = \"7\""));
        assert_eq!(served.matches("<script").count(), 1);
    }

    #[test]
    fn other_meta_tags_and_pages_without_a_body_are_kept() {
        let html = r#"<meta name="description" content="script-src x"><p>no body"#;
        let served = inject(html, "n", 1);
        assert!(served.starts_with(html));
        assert!(served.contains("<script nonce=\"n\">"));
    }

    #[test]
    fn the_error_page_escapes_the_diagnostics() {
        let page = error_page(
            "error: <script>alert(1)</script> & \"x\"\n  at a.yaml:3:1",
            "n",
            2,
        );
        assert!(page.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;\n  at a.yaml:3:1"
        ));
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("style-src 'unsafe-inline'; script-src 'nonce-n'"));
    }

    #[test]
    fn nonces_are_fresh_and_hex() {
        let (a, b) = (nonce(), nonce());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    }
}
