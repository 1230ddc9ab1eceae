//! Request paths -> files of the built site, refusing anything that could leave it.
//!
//! The path is percent-decoded before it is split, so `%2e%2e`, `%2f` and `%5c` cannot smuggle
//! a `..` or a separator past the check; `.` and `..` segments, backslashes, NUL bytes and
//! drive letters are refused outright rather than normalised.

use std::path::{Path, PathBuf};

/// Where a request path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file of the site (which may not exist).
    File(PathBuf),
    /// A folder asked for without its trailing `/`: redirect to this path, so that relative
    /// links inside its `index.html` resolve.
    Redirect(String),
    /// A path that tries to leave the site or cannot name a file.
    Forbidden,
}

/// Maps the path of a request (`/incidents/x.html?q=1`) to a file under `root`.
pub fn target(root: &Path, request_path: &str) -> Target {
    let path = request_path.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return Target::Forbidden;
    }
    let Some(decoded) = percent_decode(path) else {
        return Target::Forbidden;
    };
    let mut rel = PathBuf::new();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if !safe_segment(segment) {
            return Target::Forbidden;
        }
        rel.push(segment);
    }
    let file = root.join(&rel);
    if decoded.ends_with('/') || rel.as_os_str().is_empty() {
        return Target::File(file.join("index.html"));
    }
    if file.is_dir() {
        return Target::Redirect(folder_location(path));
    }
    Target::File(file)
}

/// Where a folder asked for without its trailing `/` redirects: its path with one `/` between
/// segments and one at the end. Always a path on this host: `//incidents/` would name the host
/// `incidents`.
fn folder_location(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    format!("/{}/", segments.join("/"))
}

/// A segment that names a child of its folder and nothing else.
fn safe_segment(segment: &str) -> bool {
    segment != "."
        && segment != ".."
        && !segment.contains(['\\', '\0', ':'])
        && !segment.chars().any(char::is_control)
}

/// `%XX` escapes decoded; `None` when an escape is malformed or the result is not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = path.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` of a site file, from its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_inside_the_root_or_are_refused() {
        let root = Path::new("/nonexistent-site-root");
        let file = |rel: &str| Target::File(root.join(rel));
        let rows: &[(&str, Target)] = &[
            ("/", file("index.html")),
            ("/index.html", file("index.html")),
            ("/index.html?q=dns#top", file("index.html")),
            ("/incidents/a.html", file("incidents/a.html")),
            ("/incidents/", file("incidents/index.html")),
            ("//incidents//a.html", file("incidents/a.html")),
            ("/etc/passwd", file("etc/passwd")),
            ("/a%20b.html", file("a b.html")),
            ("/../secret", Target::Forbidden),
            ("/incidents/../../secret", Target::Forbidden),
            ("/%2e%2e/secret", Target::Forbidden),
            ("/%2E%2E%2Fsecret", Target::Forbidden),
            ("/.%2e/secret", Target::Forbidden),
            ("/./index.html", Target::Forbidden),
            ("/..%5csecret", Target::Forbidden),
            ("/a\\..\\b", Target::Forbidden),
            ("/C:/Windows", Target::Forbidden),
            ("/a%00.html", Target::Forbidden),
            ("/%zz", Target::Forbidden),
            ("/%2", Target::Forbidden),
            ("/%ff", Target::Forbidden),
            ("index.html", Target::Forbidden),
            ("http://evil.example/x", Target::Forbidden),
        ];
        for (path, expected) in rows {
            assert_eq!(&target(root, path), expected, "{path}");
        }
    }

    /// Regression: `//incidents` redirected to `//incidents/`, a URL of the host `incidents`.
    #[test]
    fn a_folder_without_its_slash_redirects_to_a_path_on_this_host() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("services/a b")).unwrap();
        let rows = [
            ("/services", "/services/"),
            ("//services", "/services/"),
            ("///services?q=1", "/services/"),
            ("/services//a%20b", "/services/a%20b/"),
        ];
        for (path, location) in rows {
            assert_eq!(
                target(dir.path(), path),
                Target::Redirect(location.into()),
                "{path}"
            );
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        let rows = [
            ("index.html", "text/html; charset=utf-8"),
            ("site.CSS", "text/css; charset=utf-8"),
            ("search.js", "text/javascript; charset=utf-8"),
            ("stats.json", "application/json"),
            ("feed.xml", "application/xml; charset=utf-8"),
            ("chart.svg", "image/svg+xml"),
            ("noext", "application/octet-stream"),
        ];
        for (name, expected) in rows {
            assert_eq!(content_type(Path::new(name)), expected, "{name}");
        }
    }
}
