//! Putting a [`Tree`] on disk safely. A full build is written into a temporary folder beside
//! the site and swapped in with two renames, so readers see the old site or the new one and a
//! failed build leaves the old one untouched. An incremental build replaces only the files
//! that changed, each atomically, and removes the pages of deleted incidents. Nothing is ever
//! written outside the site folder, and a folder that postevent did not make is never
//! replaced.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use thiserror::Error;

use super::Tree;

/// The file that marks a folder as a site postevent built (and may replace).
pub const MARKER: &str = ".postevent-site";

/// Why the site could not be written.
#[derive(Debug, Error)]
pub enum WriteError {
    #[error(
        "`{out}` already exists and was not made by postevent (it has no `{MARKER}` file), so it will not be replaced; choose a new or empty folder with `-o`, or remove it"
    )]
    Foreign { out: String },
    #[error("cannot write `{path}`: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "refusing to write `{path}`: not a plain folder or relative path inside the output folder"
    )]
    UnsafePath { path: String },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Whether `out` may be (re)placed: it does not exist, is an empty folder, or holds a marker.
pub fn check_target(out: &Path) -> Result<(), WriteError> {
    let foreign = || WriteError::Foreign {
        out: out.display().to_string(),
    };
    match std::fs::symlink_metadata(out) {
        Err(_) => Ok(()),
        Ok(m) if !m.is_dir() => Err(foreign()),
        Ok(_) if out.join(MARKER).is_file() => Ok(()),
        Ok(_) => {
            let mut entries = std::fs::read_dir(out).map_err(io(out))?;
            if entries.next().is_none() {
                Ok(())
            } else {
                Err(foreign())
            }
        }
    }
}

/// `rel` as a path below a folder: `/`-separated plain names of ASCII letters, digits, `-`,
/// `_` and `.`, none empty, `.` or starting with `..`.
fn inside(rel: &str) -> Result<PathBuf, WriteError> {
    let plain = !rel.is_empty()
        && rel.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && !part.starts_with("..")
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        });
    if plain {
        Ok(PathBuf::from(rel))
    } else {
        Err(WriteError::UnsafePath {
            path: rel.to_owned(),
        })
    }
}

/// Writes every file of `tree` under `dir` (which exists), in parallel.
fn write_all(dir: &Path, tree: &Tree) -> Result<(), WriteError> {
    let mut folders = std::collections::BTreeSet::new();
    for rel in tree.keys() {
        if let Some(parent) = inside(rel)?.parent() {
            folders.insert(dir.join(parent));
        }
    }
    for folder in &folders {
        std::fs::create_dir_all(folder).map_err(io(folder))?;
    }
    tree.par_iter().try_for_each(|(rel, bytes)| {
        let path = dir.join(rel);
        std::fs::write(&path, bytes).map_err(io(&path))
    })
}

/// Replaces `out` with exactly `tree` (plus the marker): built in a temporary folder beside
/// `out`, then swapped in.
pub fn replace(out: &Path, tree: &Tree) -> Result<(), WriteError> {
    let staging = Staging::begin(out)?;
    for rel in tree.keys() {
        inside(rel)?;
    }
    write_all(staging.dir.path(), tree)?;
    staging.commit()
}

/// The folder that holds `out`, and the name of `out` in it: where the files that belong
/// beside a site (its staging folder, its cache) go.
pub fn parent_and_name(out: &Path) -> (PathBuf, String) {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    (parent, name)
}

/// A new site being written into a temporary folder beside `out`; dropped without
/// [`Staging::commit`], it is removed and `out` stays as it was.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
    parent: PathBuf,
    name: String,
}

impl Staging {
    /// Starts a new site for `out` (which must be new, empty, or a site postevent built).
    pub fn begin(out: &Path) -> Result<Staging, WriteError> {
        check_target(out)?;
        let (parent, name) = parent_and_name(out);
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.postevent-new-"))
            .tempdir_in(&parent)
            .map_err(io(&parent))?;
        Ok(Staging {
            dir,
            out: out.to_owned(),
            parent,
            name,
        })
    }

    /// Writes one file of the new site; may be called from several threads.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let path = self.dir.path().join(inside(rel)?);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(io(folder))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))
    }

    /// Removes a file written earlier, if it is there.
    pub fn remove(&self, rel: &str) -> Result<(), WriteError> {
        let path = self.dir.path().join(inside(rel)?);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(&path)(e)),
            _ => Ok(()),
        }
    }

    /// Writes the marker and swaps the new site in for the old one.
    pub fn commit(self) -> Result<(), WriteError> {
        let marker = self.dir.path().join(MARKER);
        std::fs::write(
            &marker,
            "A site built by postevent; `postevent build` replaces it.\n",
        )
        .map_err(io(&marker))?;
        set_readable(self.dir.path())?;
        let (out, parent, name) = (self.out, self.parent, self.name);
        let staged = self.dir.keep();
        let old = parent.join(format!(".{name}.postevent-old-{}", std::process::id()));
        let had_old = out.exists();
        if had_old {
            std::fs::rename(&out, &old).map_err(io(&out))?;
        }
        if let Err(e) = std::fs::rename(&staged, &out) {
            if had_old {
                let _ = std::fs::rename(&old, &out);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(io(&out)(e));
        }
        if had_old {
            std::fs::remove_dir_all(&old).map_err(io(&old))?;
        }
        Ok(())
    }
}

/// Replaces one file of a site: nothing when it already holds `bytes`, else a temporary file
/// beside it renamed over it, so a reader sees the old file or the new one. Unlike
/// `output::write_atomic` it does not wait for the disk: a site is rebuilt, not recovered.
fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() == bytes.len() as u64
        && std::fs::read(path).is_ok_and(|old| old == bytes)
    {
        return Ok(());
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".postevent-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    set_file_readable(tmp.as_file())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn set_file_readable(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_file_readable(_: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

/// A temporary folder is private (0700); a site is for reading.
#[cfg(unix)]
fn set_readable(dir: &Path) -> Result<(), WriteError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).map_err(io(dir))
}

#[cfg(not(unix))]
fn set_readable(_: &Path) -> Result<(), WriteError> {
    Ok(())
}

/// Every file in the site `out` (relative, `/`-separated), from one listing of each folder:
/// how a rebuild tells which pages are still there without asking for each one. Links are
/// not followed.
pub fn files_in(out: &Path) -> std::collections::HashSet<String> {
    let mut found = std::collections::HashSet::new();
    let mut folders = vec![(out.to_owned(), String::new())];
    while let Some((dir, prefix)) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let (Ok(kind), Some(name)) = (e.file_type(), e.file_name().to_str().map(str::to_owned))
            else {
                continue;
            };
            let rel = format!("{prefix}{name}");
            if kind.is_dir() {
                folders.push((e.path(), format!("{rel}/")));
            } else if kind.is_file() {
                found.insert(rel);
            }
        }
    }
    found
}

/// Updates the site in `out` in place: writes each file of `tree` atomically, then removes
/// the `stale` files (relative paths).
pub fn update(out: &Path, tree: &Tree, stale: &[String]) -> Result<(), WriteError> {
    check_target(out)?;
    let mut folders = std::collections::BTreeSet::new();
    for rel in tree.keys().chain(stale) {
        if let Some(parent) = inside(rel)?.parent() {
            folders.insert(parent.to_owned());
        }
    }
    // A folder of the site replaced by a link could lead a write outside it.
    for folder in folders.iter().filter(|f| !f.as_os_str().is_empty()) {
        let path = out.join(folder);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
            return Err(WriteError::UnsafePath {
                path: path.display().to_string(),
            });
        }
    }
    tree.par_iter().try_for_each(|(rel, bytes)| {
        let path = out.join(rel);
        replace_file(&path, bytes).map_err(io(&path))
    })?;
    for rel in stale {
        let path = out.join(rel);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&path)(e)),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> Tree {
        files
            .iter()
            .map(|(p, t)| ((*p).to_owned(), t.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn paths_must_stay_inside() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/./b",
            "C:x",
            "a\\b",
            "..x",
        ] {
            assert!(inside(bad).is_err(), "{bad}");
        }
        for good in ["index.html", "incidents/a-b.html", ".postevent-cache.json"] {
            assert!(inside(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn replace_swaps_the_whole_tree_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        replace(&out, &tree(&[("a.html", "1"), ("x/b.html", "2")])).unwrap();
        replace(&out, &tree(&[("a.html", "3")])).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "3");
        assert!(!out.join("x/b.html").exists());
        assert!(out.join(MARKER).is_file());
        let beside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(beside.len(), 1);
    }

    #[test]
    fn a_foreign_folder_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        let e = replace(dir.path(), &tree(&[("a.html", "1")])).unwrap_err();
        assert!(matches!(e, WriteError::Foreign { .. }));
        assert!(dir.path().join("precious.txt").is_file());
        assert!(!dir.path().join("a.html").exists());
    }

    #[cfg(unix)]
    #[test]
    fn an_update_never_follows_a_linked_folder_out_of_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        replace(&out, &tree(&[("index.html", "1")])).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("incidents")).unwrap();
        let e = update(&out, &tree(&[("incidents/a.html", "x")]), &[]);
        assert!(matches!(e, Err(WriteError::UnsafePath { .. })));
        assert!(!elsewhere.join("a.html").exists());
    }

    #[test]
    fn an_unsafe_path_stops_the_write_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let e = replace(&out, &tree(&[("a.html", "1"), ("../evil", "x")])).unwrap_err();
        assert!(matches!(e, WriteError::UnsafePath { .. }));
        assert!(!out.exists());
        assert!(!dir.path().join("evil").exists());
    }
}
