//! Many incidents -> a static docs site: an index with filters and search, a page per
//! incident (the HTML report with site navigation), a page per service, tag and severity,
//! stats with SVG charts, an Atom feed; and exports into other docs generators.
//!
//! The flow: [`load`] reads and validates every log in parallel (skipping unchanged ones the
//! [`cache`] knows), [`pages`] renders everything into an in-memory [`Tree`], and [`write`]
//! puts the tree on disk so that a failed build leaves the previous site untouched. Nothing
//! here prints; the CLI reports diagnostics and progress.

pub mod build;
pub mod cache;
pub mod entry;
pub mod export;
pub mod feed;
pub mod followups;
pub mod load;
pub mod pages;
pub mod related;
pub mod search;
pub mod stats;
pub mod trends;
pub mod write;

use std::collections::BTreeMap;

use crate::config::Config;
use crate::redact::Audience;
use crate::render::TemplateSet;
pub use entry::Entry;

/// The files of a site or an export: relative path (`/`-separated) -> bytes. Sorted, so
/// output order is deterministic.
pub type Tree = BTreeMap<String, Vec<u8>>;

/// What kind of site to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub audience: Audience,
    /// The organisation's process (`postevent.toml`): the scale, milestones, the title.
    pub config: Config,
    /// `https://status.example.com/postmortems/`, always ending in `/`; makes feed links
    /// absolute.
    pub base_url: Option<String>,
    /// The day the follow-ups page counts overdue items and ages on (`build --today`); `None`
    /// means the day of the last change in any log, so the same logs build the same site.
    pub today: Option<chrono::NaiveDate>,
}

impl Options {
    /// The site's title: `[site] title` of the config, else `Post-mortems` for the internal
    /// audience and `Incident history` for the public.
    pub fn title(&self) -> &str {
        match (&self.config.site_title, self.audience) {
            (Some(title), _) => title,
            (None, Audience::Internal) => "Post-mortems",
            (None, Audience::Public) => "Incident history",
        }
    }

    /// `base_url` with a trailing `/`.
    pub fn new(audience: Audience, base_url: Option<&str>, config: Config) -> Options {
        let base_url = base_url.map(|u| {
            let u = u.trim();
            if u.ends_with('/') {
                u.to_owned()
            } else {
                format!("{u}/")
            }
        });
        Options {
            audience,
            base_url,
            config,
            today: None,
        }
    }
}

/// The page of an incident, relative to the site root.
pub fn incident_path(id: &str) -> String {
    format!("incidents/{id}.html")
}

/// The file-safe slug of a service or tag name: `API Gateway` -> `api-gateway`. Names that
/// differ only in case or punctuation share a page; a name with no ASCII letter or digit gets
/// a slug from a stable hash of it. A pure function, so a page never depends on other logs.
///
/// A slug longer than [`MAX_SLUG`] bytes is cut at a `-` and given the hash too (a file name
/// has at most 255 bytes), and a Windows device name (`nul`, `con`) gets the hash as a suffix.
pub fn slug_of(name: &str) -> String {
    let slug = crate::validate::slug(name);
    let device = crate::validate::is_device_name(&slug);
    if !slug.is_empty() && slug.len() <= MAX_SLUG && !device {
        return slug;
    }
    // FNV-1a: stable across Rust versions, unlike the std hasher.
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    if slug.is_empty() {
        return format!("x{h:08x}");
    }
    let cut = if slug.len() <= MAX_SLUG {
        slug.len()
    } else {
        slug[..=MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG)
    };
    format!("{}-{h:08x}", slug[..cut].trim_end_matches('-'))
}

/// The longest slug used as is in a page's file name.
pub const MAX_SLUG: usize = 80;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_stable() {
        assert_eq!(slug_of("API Gateway"), "api-gateway");
        assert_eq!(slug_of("api gateway"), "api-gateway");
        assert_eq!(slug_of("../etc"), "etc");
        assert_eq!(slug_of("日本"), slug_of("日本"));
        assert_ne!(slug_of("日本"), slug_of("中国"));
        // Regression (XSS corpus): a 300-character service name made a file name too long
        // for the file system, and the build failed; `nul` named a Windows device.
        let long = "word ".repeat(60);
        assert!(slug_of(&long).len() <= MAX_SLUG + 9, "{}", slug_of(&long));
        assert_ne!(slug_of(&long), slug_of(&format!("{long} x")));
        assert!(slug_of("NUL").starts_with("nul-"), "{}", slug_of("NUL"));
        for name in ["日本", "DNS", "a/b", "..", "", "nul", "com1", long.as_str()] {
            let slug = slug_of(name);
            assert!(crate::validate::is_valid_id(&slug), "{slug}");
        }
    }

    #[test]
    fn base_url_gets_a_slash() {
        let o = Options::new(
            Audience::Public,
            Some("https://x.example/pm"),
            Default::default(),
        );
        assert_eq!(o.base_url.as_deref(), Some("https://x.example/pm/"));
    }
}
