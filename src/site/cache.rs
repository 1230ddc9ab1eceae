//! The incremental build cache: for every log, its size, modification time and content hash,
//! and the listing [`Entry`] it gave. A log whose size and time (or, failing that, content
//! hash) match, built with the same templates and options, is neither parsed nor rendered
//! again; its page stays as it is.
//!
//! The cache describes the private logs (their paths, sizes, a hash of each whole file), so it
//! is kept beside the site folder, never in it: a site gets published, and a public site must
//! hold nothing derived from what the public may not see.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::write::{self, WriteError};
use super::{Entry, Options, TemplateSet};
use crate::output::write_atomic;

/// Where the cache of the site in `out` is kept: `.NAME.postevent-cache.json` beside it, in
/// the folder that also holds the staging folder of a full build.
pub fn path(out: &Path) -> PathBuf {
    let (parent, name) = write::parent_and_name(out);
    parent.join(format!(".{name}.postevent-cache.json"))
}

/// Bumped when the cache's own shape changes (3: logs keyed by their canonical path; 4:
/// entries hold action items and related incidents).
const FORMAT: u32 = 4;

/// How the cache names a log: its canonical path (absolute, links and `..` resolved), so a
/// build finds its logs in the cache however the paths were spelled on the command line
/// (`corpus/a.yaml`, `./corpus/a.yaml`, `/srv/corpus/a.yaml`). A path that cannot be
/// resolved is named as given.
pub fn log_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_owned())
        .display()
        .to_string()
}

/// What a log file looked like when it was last read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    /// Modification time, nanoseconds since 1970 (0 when the file system has none).
    pub mtime_ns: u64,
    /// A hash of the content.
    pub hash: u64,
}

impl Stamp {
    /// Size and modification time of `path`, with no hash yet.
    pub fn stat(path: &Path) -> std::io::Result<Stamp> {
        let meta = std::fs::metadata(path)?;
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        Ok(Stamp {
            size: meta.len(),
            mtime_ns,
            hash: 0,
        })
    }

    pub fn same_file(&self, other: &Stamp) -> bool {
        self.size == other.size && self.mtime_ns == other.mtime_ns && self.mtime_ns != 0
    }
}

/// The hash of a log's content.
pub fn content_hash(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// One log as the last build saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cached {
    pub stamp: Stamp,
    pub entry: Entry,
}

/// The whole cache.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cache {
    /// Templates, version and options it was built with; another key invalidates it all.
    pub key: String,
    /// By [`log_key`].
    pub logs: BTreeMap<String, Cached>,
    /// Every file of the site it describes, for removing stale ones.
    pub files: Vec<String>,
}

/// The key of a build: a cache with another key is ignored.
pub fn key(options: &Options, templates: &TemplateSet) -> String {
    format!(
        "v{FORMAT} {:016x} {} {} {} {:016x}",
        templates.fingerprint(),
        options.audience.as_str(),
        options.base_url.as_deref().unwrap_or("-"),
        options
            .today
            .map_or_else(|| "-".to_owned(), |d| d.to_string()),
        options.config.fingerprint()
    )
}

impl Cache {
    /// The cache of the site in `out`, if there is one with this `key`. A missing, unreadable
    /// or foreign cache is simply no cache: the build starts from scratch.
    pub fn read(out: &Path, key: &str) -> Option<Cache> {
        let text = std::fs::read_to_string(path(out)).ok()?;
        let cache: Cache = serde_json::from_str(&text).ok()?;
        (cache.key == key).then_some(cache)
    }

    /// Removes the cache of the site in `out`, before the site changes: a build stopped
    /// half-way must not leave a cache that describes pages no longer there, or the next
    /// build would trust it and keep a mix.
    pub fn remove(out: &Path) -> Result<(), WriteError> {
        let path = path(out);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(WriteError::Io {
                path: path.display().to_string(),
                source: e,
            }),
            _ => Ok(()),
        }
    }

    /// Writes the cache of the site in `out` (atomically), once the site is complete.
    pub fn write(&self, out: &Path) -> Result<(), WriteError> {
        let path = path(out);
        let mut json = serde_json::to_string(self).unwrap_or_default();
        json.push('\n');
        write_atomic(&path, json.as_bytes()).map_err(|source| WriteError::Io {
            path: path.display().to_string(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    /// A site built with another postevent.toml is rebuilt: the config is part of the key.
    #[test]
    fn the_key_follows_the_config() {
        let templates = TemplateSet::load::<&std::path::Path>(&[]).unwrap();
        let with = |config| {
            key(
                &Options::new(crate::redact::Audience::Public, None, config),
                &templates,
            )
        };
        let other = crate::config::Config {
            site_title: Some("Acme".into()),
            ..Default::default()
        };
        assert_ne!(with(Default::default()), with(other));
        assert_eq!(with(Default::default()), with(Default::default()));
    }

    use super::*;

    #[test]
    fn the_cache_lives_beside_the_site() {
        let rows = [
            ("site", "./.site.postevent-cache.json"),
            ("public/site", "public/.site.postevent-cache.json"),
            (
                "/srv/www/incidents/",
                "/srv/www/.incidents.postevent-cache.json",
            ),
        ];
        for (out, cache) in rows {
            assert_eq!(path(Path::new(out)), Path::new(cache), "{out}");
            assert!(!path(Path::new(out)).starts_with(out), "{out}");
        }
    }
}
