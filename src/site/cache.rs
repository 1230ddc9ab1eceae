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
/// entries hold action items and related incidents; 5: a header line, then one line per
/// entry, read only when some log changed).
const FORMAT: u32 = 5;

/// How the cache names a log: its folder's canonical path (absolute, links and `..`
/// resolved) and its file name, so a build finds its logs in the cache however the paths
/// were spelled on the command line (`corpus/a.yaml`, `./corpus/a.yaml`,
/// `/srv/corpus/a.yaml`). A folder that cannot be resolved is named as given.
pub fn log_key(path: &Path) -> String {
    log_keys(std::slice::from_ref(&path.to_owned())).remove(0)
}

/// [`log_key`] of each of `paths`, in order, resolving each folder once: a build of 10,000
/// logs in one folder asks the file system once, not 10,000 times.
pub fn log_keys(paths: &[PathBuf]) -> Vec<String> {
    let mut folders: std::collections::HashMap<&Path, PathBuf> = Default::default();
    paths
        .iter()
        .map(|path| {
            let (folder, name) = match (path.parent(), path.file_name()) {
                (Some(folder), Some(name)) => (folder, name),
                _ => return resolve(path).display().to_string(),
            };
            let folder = folders.entry(folder).or_insert_with(|| {
                resolve(if folder.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    folder
                })
            });
            folder.join(name).display().to_string()
        })
        .collect()
}

fn resolve(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_owned())
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

/// One log as the last build saw it: enough to tell whether it changed and whether its page
/// is still there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    pub stamp: Stamp,
    /// Its page, relative to the site root.
    pub url: String,
}

/// The first line of the cache file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    key: String,
    logs: BTreeMap<String, Known>,
    files: Vec<String>,
    /// The digest of what each page over all incidents was rendered from.
    pages: BTreeMap<String, u64>,
    /// The length of the entry lines after the header, in bytes.
    lines_len: u64,
}

/// The whole cache. The file is a header line (key, logs, files), then the listing entry of
/// each log on a line of its own, in the order of `logs`: a build in which nothing changed
/// reads only the header, and one that needs the entries parses their lines in parallel and
/// writes the lines of unchanged entries back as they were.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cache {
    /// Templates, version and options it was built with; another key invalidates it all.
    pub key: String,
    /// By [`log_key`].
    pub logs: BTreeMap<String, Known>,
    /// Every file of the site it describes, for removing stale ones.
    pub files: Vec<String>,
    /// The digest of what each page over all incidents was rendered from.
    pub pages: BTreeMap<String, u64>,
    /// The cache file and where its entry lines start, read only when asked for.
    file: PathBuf,
    lines_at: u64,
}

/// The entries of a cache, by [`log_key`], each with its line as the cache file had it.
pub type Entries = std::collections::HashMap<String, (Entry, String)>;

/// Turns an entry into its line of the cache file.
pub fn line_of(entry: &Entry) -> String {
    serde_json::to_string(entry).unwrap_or_default()
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
    /// A new cache of this `key`, for a build to fill.
    pub fn new(key: String) -> Cache {
        Cache {
            key,
            ..Cache::default()
        }
    }

    /// The cache of the site in `out`, if there is one with this `key`. A missing, unreadable
    /// or foreign cache is simply no cache: the build starts from scratch.
    ///
    /// A cache whose site is gone (no marker) is no cache either: the site is built afresh.
    pub fn read(out: &Path, key: &str) -> Option<Cache> {
        use std::io::BufRead;
        if !out.join(write::MARKER).is_file() {
            return None;
        }
        let file = path(out);
        let mut reader = std::io::BufReader::new(std::fs::File::open(&file).ok()?);
        let mut head = String::new();
        reader.read_line(&mut head).ok()?;
        let header: Header = serde_json::from_str(&head).ok()?;
        let len = reader.get_ref().metadata().ok()?.len();
        if header.key != key || len != head.len() as u64 + header.lines_len {
            return None;
        }
        Some(Cache {
            key: header.key,
            logs: header.logs,
            files: header.files,
            pages: header.pages,
            file,
            lines_at: head.len() as u64,
        })
    }

    /// The entries of the logs `wanted` (by [`log_key`]), parsed from their lines in
    /// parallel; a line that does not parse is left out (its log is read again), and so is
    /// every line of a file that changed since [`Cache::read`].
    pub fn entries(&self, wanted: &std::collections::HashSet<&str>) -> Entries {
        use rayon::prelude::*;
        use std::io::{Read, Seek};
        let mut text = String::new();
        let read = std::fs::File::open(&self.file).and_then(|mut f| {
            f.seek(std::io::SeekFrom::Start(self.lines_at))?;
            f.read_to_string(&mut text)
        });
        if read.is_err() || text.matches('\n').count() != self.logs.len() {
            return Entries::new();
        }
        let lines: Vec<(&String, &str)> = self
            .logs
            .keys()
            .zip(text.lines())
            .filter(|(k, _)| wanted.contains(k.as_str()))
            .collect();
        lines
            .into_par_iter()
            .filter_map(|(k, line)| {
                let entry: Entry = serde_json::from_str(line).ok()?;
                Some((k.clone(), (entry, line.to_owned())))
            })
            .collect()
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
}

/// The cache a build writes, filled as it goes.
#[derive(Debug, Default)]
pub struct NewCache {
    key: String,
    logs: BTreeMap<String, (Known, String)>,
    /// Every file of the site.
    pub files: Vec<String>,
    /// The digest of what each page over all incidents was rendered from.
    pub pages: BTreeMap<String, u64>,
}

impl NewCache {
    pub fn new(key: String) -> NewCache {
        NewCache {
            key,
            ..NewCache::default()
        }
    }

    /// Adds a log: its key, stamp, page and its entry's line ([`line_of`]).
    pub fn insert(&mut self, key: String, stamp: Stamp, url: String, line: String) {
        self.logs.insert(key, (Known { stamp, url }, line));
    }

    /// Writes the cache of the site in `out` (atomically), once the site is complete.
    pub fn write(self, out: &Path) -> Result<(), WriteError> {
        let path = path(out);
        let mut lines = String::new();
        let mut logs = BTreeMap::new();
        for (key, (known, line)) in self.logs {
            lines.push_str(&line);
            lines.push('\n');
            logs.insert(key, known);
        }
        let header = Header {
            key: self.key,
            logs,
            files: self.files,
            pages: self.pages,
            lines_len: lines.len() as u64,
        };
        let mut text = serde_json::to_string(&header).unwrap_or_default();
        text.push('\n');
        text.push_str(&lines);
        write_atomic(&path, text.as_bytes()).map_err(|source| WriteError::Io {
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

    fn entry(id: &str) -> Entry {
        let json = format!(
            r#"{{"id":"{id}","title":"T","severity":"SEV2","status":"resolved","url":"incidents/{id}.html","start":"2025-01-01T00:00:00Z","start_unix":1735689600,"timezone":"UTC","end":null,"updated":"2025-01-01T00:00:00Z","resolved":true,"duration_s":60,"severity_slug":"sev2","severity_class":"sev2","regions":[],"tags":[],"services":[],"summary":"","metrics":[]}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

    fn all_of(cache: &Cache) -> std::collections::HashSet<&str> {
        cache.logs.keys().map(String::as_str).collect()
    }

    fn stamp(n: u64) -> Stamp {
        Stamp {
            size: n,
            mtime_ns: n,
            hash: n,
        }
    }

    /// The header alone tells what changed; the entries come back as they went in, each with
    /// its line, and a damaged line costs its own entry only.
    #[test]
    fn the_cache_reads_back_its_header_and_each_entry_line() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(write::MARKER), "").unwrap();
        let mut new = NewCache::new("k".into());
        for id in ["a", "b", "c"] {
            let e = entry(id);
            new.insert(
                format!("/logs/{id}.yaml"),
                stamp(1),
                e.url.clone(),
                line_of(&e),
            );
        }
        new.files = vec!["index.html".into()];
        new.write(&out).unwrap();
        assert!(Cache::read(&out, "other key").is_none());
        let cache = Cache::read(&out, "k").unwrap();
        assert_eq!(cache.logs.len(), 3);
        assert_eq!(cache.logs["/logs/b.yaml"].url, "incidents/b.html");
        assert_eq!(cache.files, ["index.html"]);
        let wanted = ["/logs/a.yaml", "/logs/c.yaml"].into_iter().collect();
        let entries = cache.entries(&wanted);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries["/logs/c.yaml"].0, entry("c"));
        assert_eq!(entries["/logs/c.yaml"].1, line_of(&entry("c")));

        let text = std::fs::read_to_string(path(&out)).unwrap();
        let damaged = text.replacen(r#"{"id":"b""#, r#"{"id"!"b""#, 1);
        std::fs::write(path(&out), damaged).unwrap();
        let cache = Cache::read(&out, "k").unwrap();
        let entries = cache.entries(&all_of(&cache));
        assert_eq!(entries.len(), 2);
        assert!(!entries.contains_key("/logs/b.yaml"));

        // A cache cut short is no cache.
        let text = std::fs::read_to_string(path(&out)).unwrap();
        std::fs::write(path(&out), &text[..text.len() - 10]).unwrap();
        assert!(Cache::read(&out, "k").is_none());
        // One changed after it was read gives no entries (its logs are read again).
        std::fs::write(path(&out), &text).unwrap();
        let cache = Cache::read(&out, "k").unwrap();
        std::fs::write(path(&out), text.replacen("\n", "\n\n", 1)).unwrap();
        assert!(cache.entries(&all_of(&cache)).is_empty());
    }

    #[test]
    fn logs_in_one_folder_are_named_by_its_canonical_path() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        std::fs::create_dir_all(&logs).unwrap();
        let plain = vec![logs.join("a.yaml"), logs.join("b.yaml")];
        let spelled = vec![
            logs.join("..").join("logs").join("a.yaml"),
            logs.join(".").join("b.yaml"),
        ];
        let canonical = std::fs::canonicalize(&logs).unwrap();
        let want: Vec<String> = ["a.yaml", "b.yaml"]
            .iter()
            .map(|f| canonical.join(f).display().to_string())
            .collect();
        assert_eq!(log_keys(&plain), want);
        assert_eq!(log_keys(&spelled), want);
        assert_eq!(log_key(&spelled[0]), want[0]);
    }
}
