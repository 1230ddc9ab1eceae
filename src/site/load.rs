//! Reading and validating every log, in parallel, skipping those the cache says are unchanged.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::Entry;
use super::cache::{self, Cache, Stamp};
use crate::config::Config;
use crate::parse::Limits;
use crate::source::Source;
use crate::validate;

/// One log after loading. The large parts are boxed, so that a list of them costs little
/// beside what it points to.
pub enum Loaded {
    /// Unchanged since the last build, whose page is still there.
    Cached {
        path: PathBuf,
        stamp: Stamp,
        entry: Box<Entry>,
    },
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

/// Loads `files` in parallel, in their order. `out` is the site folder, whose pages a cached
/// entry needs; `tick` is called once per file.
pub fn load_all(
    files: &[PathBuf],
    read: &Reader,
    limits: Limits,
    config: &Config,
    cache: Option<&Cache>,
    out: &Path,
    tick: &(dyn Fn() + Sync),
) -> Vec<Loaded> {
    files
        .par_iter()
        .map(|path| {
            let loaded = load_one(path, read, limits, config, cache, out);
            tick();
            loaded
        })
        .collect()
}

/// Loads one log: from the cache when unchanged (and its page is there), else read and
/// validated.
pub fn load_one(
    path: &Path,
    read: &Reader,
    limits: Limits,
    config: &Config,
    cache: Option<&Cache>,
    out: &Path,
) -> Loaded {
    let unreadable = |reason: String| Loaded::Unreadable {
        path: path.to_owned(),
        reason,
    };
    let mut stamp = match Stamp::stat(path) {
        Ok(s) => s,
        Err(e) => return unreadable(e.to_string()),
    };
    let known = cache
        .and_then(|c| c.logs.get(&cache::log_key(path)))
        .filter(|c| out.join(&c.entry.url).is_file());
    if let Some(c) = known.filter(|c| c.stamp.same_file(&stamp)) {
        return Loaded::Cached {
            path: path.to_owned(),
            stamp: c.stamp,
            entry: Box::new(c.entry.clone()),
        };
    }
    let source = match read(path) {
        Ok(s) => s,
        Err(reason) => return unreadable(reason),
    };
    stamp.hash = cache::content_hash(source.text());
    if let Some(c) = known.filter(|c| c.stamp.hash == stamp.hash) {
        return Loaded::Cached {
            path: path.to_owned(),
            stamp,
            entry: Box::new(c.entry.clone()),
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
