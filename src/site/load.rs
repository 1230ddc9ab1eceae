//! Reading and validating every log, in parallel, skipping those the cache says are unchanged.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::cache::{self, Cache, Stamp};

use crate::config::Config;
use crate::parse::Limits;
use crate::source::Source;
use crate::validate;

/// One log after loading. The large parts are boxed, so that a list of them costs little
/// beside what it points to.
pub enum Loaded {
    /// Unchanged since the last build, whose page is still there; its entry is in the cache.
    Cached { path: PathBuf, stamp: Stamp },
    /// Read and validated.
    Checked {
        path: PathBuf,
        stamp: Stamp,
        source: Source,
        checked: Box<validate::Checked>,
    },
    /// Could not be read: the reason, for a person.
    Unreadable { path: PathBuf, reason: String },
}

impl Loaded {
    pub fn path(&self) -> &Path {
        match self {
            Loaded::Cached { path, .. }
            | Loaded::Checked { path, .. }
            | Loaded::Unreadable { path, .. } => path,
        }
    }
}

/// Reads one log into a [`Source`], or says why it cannot.
pub type Reader = dyn Fn(&Path) -> Result<Source, String> + Sync;

/// Reads and validates `files` in parallel, in their order; `tick` is called once per file.
pub fn load_all(
    files: &[PathBuf],
    read: &Reader,
    limits: Limits,
    config: &Config,
    tick: &(dyn Fn() + Sync),
) -> Vec<Loaded> {
    files
        .par_iter()
        .map(|path| {
            let loaded = load_one(path, read, limits, config, None);
            tick();
            loaded
        })
        .collect()
}

/// What a rebuild knows of the last build: its cache and the files of its site.
#[derive(Clone, Copy)]
pub struct Last<'a> {
    pub cache: &'a Cache,
    /// From [`super::write::files_in`].
    pub files: &'a HashSet<String>,
}

/// Loads one log: from `last` (with the log's [`cache::log_key`]) when unchanged and its page
/// is still in the site, else read and validated.
pub fn load_one(
    path: &Path,
    read: &Reader,
    limits: Limits,
    config: &Config,
    last: Option<(Last, &str)>,
) -> Loaded {
    let unreadable = |reason: String| Loaded::Unreadable {
        path: path.to_owned(),
        reason,
    };
    let mut stamp = match Stamp::stat(path) {
        Ok(s) => s,
        Err(e) => return unreadable(e.to_string()),
    };
    let known = last
        .and_then(|(last, key)| last.cache.logs.get(key).map(|c| (last, c)))
        .filter(|(last, c)| last.files.contains(&c.url))
        .map(|(_, c)| c);
    if let Some(c) = known.filter(|c| c.stamp.same_file(&stamp)) {
        return Loaded::Cached {
            path: path.to_owned(),
            stamp: c.stamp,
        };
    }
    let source = match read(path) {
        Ok(s) => s,
        Err(reason) => return unreadable(reason),
    };
    stamp.hash = cache::content_hash(source.text());
    if known.is_some_and(|c| c.stamp.hash == stamp.hash) {
        return Loaded::Cached {
            path: path.to_owned(),
            stamp,
        };
    }
    let checked = validate::check_with(&source, limits, config);
    Loaded::Checked {
        path: path.to_owned(),
        stamp,
        source,
        checked: Box::new(checked),
    }
}
