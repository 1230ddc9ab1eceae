//! The incremental build cache: for every log, its size, modification time and content hash,
//! and the listing [`Entry`] it gave. A log whose size and time (or, failing that, content
//! hash) match, built with the same templates and options, is neither parsed nor rendered
//! again; its page stays as it is.
//!
//! The cache describes the private logs (their paths, sizes, a hash of each whole file), so it
//! is kept beside the site folder, never in it: a site gets published, and a public site must
//! hold nothing derived from what the public may not see.
//!
//! The file is binary ([postcard]): a header (the build's key, each log's stamp, page and
//! where its entry is, the site's files and the digest of each page over all incidents), then
//! the entries, each encoded on its own. A build in which nothing changed reads the header
//! only; one that needs the entries decodes them in parallel and writes the bytes of the
//! unchanged ones back as they were.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::write::{self, WriteError};
use super::{Entry, Options, TemplateSet};

/// Where the cache of the site in `out` is kept: `.NAME.postevent-cache` beside it, in the
/// folder that also holds the staging folder of a full build.
pub fn path(out: &Path) -> PathBuf {
    let (parent, name) = write::parent_and_name(out);
    parent.join(format!(".{name}.postevent-cache"))
}

/// Where versions before 0.2 kept it (as JSON); removed with the cache.
fn old_path(out: &Path) -> PathBuf {
    let (parent, name) = write::parent_and_name(out);
    parent.join(format!(".{name}.postevent-cache.json"))
}

/// Bumped when the cache's own shape changes (3: logs keyed by their canonical path; 4:
/// entries hold action items and related incidents; 6: binary, a header and then the
/// entries).
const FORMAT: u32 = 6;

/// What the file starts with.
const MAGIC: &[u8; 16] = b"postevent-cache\n";

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
    // The logs of a folder come one after the other; their folder's name is compared as
    // bytes, not component by component.
    let mut last: Option<(&std::ffi::OsStr, PathBuf)> = None;
    paths
        .iter()
        .map(|path| {
            let (folder, name) = match (path.parent(), path.file_name()) {
                (Some(folder), Some(name)) => (folder, name),
                _ => return resolve(path).display().to_string(),
            };
            let spelled = folder.as_os_str();
            let resolved = match &last {
                Some((s, resolved)) if *s == spelled => resolved,
                _ => {
                    let folder = if spelled.is_empty() {
                        Path::new(".")
                    } else {
                        folder
                    };
                    &last.insert((spelled, resolve(folder))).1
                }
            };
            resolved.join(name).display().to_string()
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
/// is still there, and where its entry is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    pub stamp: Stamp,
    /// Its page, relative to the site root.
    pub url: String,
    /// The digest of its encoded entry ([`Encoded::digest`]).
    pub digest: u64,
    /// Where its entry is among the entries' bytes, and how long it is.
    at: u64,
    len: u64,
}

/// The header of the cache file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    key: String,
    logs: BTreeMap<String, Known>,
    files: Vec<String>,
    /// The digest of what each page over all incidents was rendered from.
    pages: BTreeMap<String, u64>,
    /// The length of the entries' bytes after the header.
    entries_len: u64,
}

/// The cache of the last build.
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
    /// The cache file and where its entries start, read only when asked for.
    file: PathBuf,
    entries_at: u64,
    entries_len: u64,
}

/// An entry encoded for the cache, with the digest of its bytes: what its rows and its parts
/// of the pages over all incidents are rendered from, so an equal digest means equal rows.
#[derive(Debug, Clone)]
pub struct Encoded {
    /// Its bytes are `data[range]`: the entries an old cache holds share one buffer.
    data: std::sync::Arc<Vec<u8>>,
    range: std::ops::Range<usize>,
    pub digest: u64,
}

impl Encoded {
    pub fn new(entry: &Entry) -> Encoded {
        let bytes = postcard::to_stdvec(entry).unwrap_or_default();
        let mut h = siphasher::sip::SipHasher13::new();
        h.write(&bytes);
        Encoded {
            digest: h.finish(),
            range: 0..bytes.len(),
            data: std::sync::Arc::new(bytes),
        }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.data[self.range.clone()]
    }
}

impl PartialEq for Encoded {
    fn eq(&self, other: &Encoded) -> bool {
        self.digest == other.digest && self.bytes() == other.bytes()
    }
}

impl Eq for Encoded {}

/// The entries of a cache, by [`log_key`], each with its encoding as the cache file had it.
pub type Entries = std::collections::HashMap<String, (Entry, Encoded)>;

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
    /// or foreign cache is simply no cache: the build starts from scratch. So is a cache
    /// whose site is gone (no marker).
    pub fn read(out: &Path, key: &str) -> Option<Cache> {
        if !out.join(write::MARKER).is_file() {
            return None;
        }
        let file = path(out);
        let mut f = std::fs::File::open(&file).ok()?;
        let mut start = [0u8; MAGIC.len() + 8];
        f.read_exact(&mut start).ok()?;
        let (magic, len) = start.split_at(MAGIC.len());
        let len = u64::from_le_bytes(len.try_into().ok()?);
        if magic != MAGIC || len > f.metadata().ok()?.len() {
            return None;
        }
        let mut head = vec![0; usize::try_from(len).ok()?];
        f.read_exact(&mut head).ok()?;
        let header: Header = postcard::from_bytes(&head).ok()?;
        let entries_at = start.len() as u64 + len;
        if header.key != key || f.metadata().ok()?.len() != entries_at + header.entries_len {
            return None;
        }
        Some(Cache {
            key: header.key,
            logs: header.logs,
            files: header.files,
            pages: header.pages,
            file,
            entries_at,
            entries_len: header.entries_len,
        })
    }

    /// The entries of the logs `wanted` (by [`log_key`]), decoded in parallel; one that does
    /// not decode is left out (its log is read again), and so is every entry of a file that
    /// changed since [`Cache::read`].
    pub fn entries(&self, wanted: &std::collections::HashSet<&str>) -> Entries {
        use rayon::prelude::*;
        use std::io::Seek;
        let mut bytes = Vec::new();
        let read = std::fs::File::open(&self.file).and_then(|mut f| {
            f.seek(std::io::SeekFrom::Start(self.entries_at))?;
            f.read_to_end(&mut bytes)
        });
        if read.is_err() || bytes.len() as u64 != self.entries_len {
            return Entries::new();
        }
        let bytes = std::sync::Arc::new(bytes);
        let found: Vec<(&String, &Known)> = self
            .logs
            .iter()
            .filter(|(k, _)| wanted.contains(k.as_str()))
            .collect();
        found
            .into_par_iter()
            .filter_map(|(k, known)| {
                let at = usize::try_from(known.at).ok()?;
                let range = at..at.checked_add(usize::try_from(known.len).ok()?)?;
                let entry: Entry = postcard::from_bytes(bytes.get(range.clone())?).ok()?;
                let encoded = Encoded {
                    data: bytes.clone(),
                    range,
                    digest: known.digest,
                };
                Some((k.clone(), (entry, encoded)))
            })
            .collect()
    }

    /// Removes the cache of the site in `out`, before the site changes: a build stopped
    /// half-way must not leave a cache that describes pages no longer there, or the next
    /// build would trust it and keep a mix.
    pub fn remove(out: &Path) -> Result<(), WriteError> {
        for path in [path(out), old_path(out)] {
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(WriteError::Io {
                        path: path.display().to_string(),
                        source: e,
                    });
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The cache a build writes, filled as it goes.
#[derive(Debug, Default)]
pub struct NewCache {
    key: String,
    logs: BTreeMap<String, (Stamp, String, Encoded)>,
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

    /// Adds a log: its key, stamp, page and its encoded entry.
    pub fn insert(&mut self, key: String, stamp: Stamp, url: String, entry: Encoded) {
        self.logs.insert(key, (stamp, url, entry));
    }

    /// Writes the cache of the site in `out` (atomically: a temporary file renamed over it),
    /// once the site is complete. It does not wait for the disk: a cache lost in a crash only
    /// makes the next build a full one.
    pub fn write(self, out: &Path) -> Result<(), WriteError> {
        use std::io::Write;
        let path = path(out);
        let mut at = 0;
        let mut logs = BTreeMap::new();
        let mut parts = Vec::with_capacity(self.logs.len());
        for (key, (stamp, url, encoded)) in self.logs {
            let len = encoded.range.len() as u64;
            let known = Known {
                stamp,
                url,
                digest: encoded.digest,
                at,
                len,
            };
            at += len;
            logs.insert(key, known);
            parts.push(encoded);
        }
        let header = Header {
            key: self.key,
            logs,
            files: self.files,
            pages: self.pages,
            entries_len: at,
        };
        let head = postcard::to_stdvec(&header).unwrap_or_default();
        let io = |source| WriteError::Io {
            path: path.display().to_string(),
            source,
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        let tmp = tempfile::Builder::new()
            .prefix(".postevent-cache-")
            .tempfile_in(dir)
            .map_err(io)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, tmp);
        w.write_all(MAGIC).map_err(io)?;
        w.write_all(&(head.len() as u64).to_le_bytes())
            .map_err(io)?;
        w.write_all(&head).map_err(io)?;
        for part in &parts {
            w.write_all(part.bytes()).map_err(io)?;
        }
        let tmp = w.into_inner().map_err(|e| io(e.into_error()))?;
        tmp.persist(&path).map_err(|e| io(e.error))?;
        Ok(())
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
            ("site", "./.site.postevent-cache"),
            ("public/site", "public/.site.postevent-cache"),
            ("/srv/www/incidents/", "/srv/www/.incidents.postevent-cache"),
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

    fn stamp(n: u64) -> Stamp {
        Stamp {
            size: n,
            mtime_ns: n,
            hash: n,
        }
    }

    fn all_of(cache: &Cache) -> std::collections::HashSet<&str> {
        cache.logs.keys().map(String::as_str).collect()
    }

    /// The header alone tells what changed; the entries come back as they went in, each with
    /// its bytes and digest, and a damaged entry costs itself only.
    #[test]
    fn the_cache_reads_back_its_header_and_each_entry() {
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
                Encoded::new(&e),
            );
        }
        new.files = vec!["index.html".into()];
        new.pages.insert("index.html".into(), 7);
        new.write(&out).unwrap();
        assert!(Cache::read(&out, "other key").is_none());
        let cache = Cache::read(&out, "k").unwrap();
        assert_eq!(cache.logs.len(), 3);
        assert_eq!(cache.logs["/logs/b.yaml"].url, "incidents/b.html");
        assert_eq!(
            cache.logs["/logs/b.yaml"].digest,
            Encoded::new(&entry("b")).digest
        );
        assert_eq!(cache.files, ["index.html"]);
        assert_eq!(cache.pages["index.html"], 7);
        let wanted = ["/logs/a.yaml", "/logs/c.yaml"].into_iter().collect();
        let entries = cache.entries(&wanted);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries["/logs/c.yaml"].0, entry("c"));
        assert_eq!(entries["/logs/c.yaml"].1, Encoded::new(&entry("c")));

        // The id of `b` is its entry's first field: a length past the end breaks it alone.
        let bytes = std::fs::read(path(&out)).unwrap();
        let b = Encoded::new(&entry("b")).bytes().to_vec();
        let at = bytes.windows(b.len()).position(|w| w == b).unwrap();
        let mut damaged = bytes.clone();
        damaged[at] = 0xff;
        std::fs::write(path(&out), &damaged).unwrap();
        let cache = Cache::read(&out, "k").unwrap();
        let entries = cache.entries(&all_of(&cache));
        assert_eq!(entries.len(), 2);
        assert!(!entries.contains_key("/logs/b.yaml"));

        // A cache cut short is no cache, and neither is one of another shape.
        std::fs::write(path(&out), &bytes[..bytes.len() - 10]).unwrap();
        assert!(Cache::read(&out, "k").is_none());
        std::fs::write(path(&out), b"{\"key\":\"k\"}\n").unwrap();
        assert!(Cache::read(&out, "k").is_none());
        // One changed after it was read gives no entries (its logs are read again).
        std::fs::write(path(&out), &bytes).unwrap();
        let cache = Cache::read(&out, "k").unwrap();
        std::fs::write(path(&out), [&bytes[..], b"more"].concat()).unwrap();
        assert!(cache.entries(&all_of(&cache)).is_empty());
        // Without its site, a cache is no cache.
        std::fs::write(path(&out), &bytes).unwrap();
        std::fs::remove_file(out.join(write::MARKER)).unwrap();
        assert!(Cache::read(&out, "k").is_none());
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
