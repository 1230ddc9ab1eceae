//! Noticing saves without a file-system notification library: a snapshot of every file's
//! size and modification time under the watched paths, taken again every few hundred
//! milliseconds. Cheap (one `stat` per file) and the same on every platform and file system.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Every file under the watched paths: path -> (size, modified).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<PathBuf, (u64, Option<SystemTime>)>);

impl Snapshot {
    /// Takes a snapshot of the files under `paths` (files, or folders searched recursively)
    /// that `wanted` accepts. A path that does not exist is simply absent, so creating it
    /// later counts as a change. As when the logs are found, a path named here may be a
    /// symlink, but links inside a folder are not followed.
    pub fn take(paths: &[PathBuf], wanted: fn(&Path) -> bool) -> Snapshot {
        let mut files = BTreeMap::new();
        for root in paths {
            for entry in walkdir::WalkDir::new(root)
                .follow_links(false)
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !is_hidden(e.path()))
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file() && wanted(e.path()))
            {
                if let Ok(meta) = entry.metadata() {
                    files.insert(entry.into_path(), (meta.len(), meta.modified().ok()));
                }
            }
        }
        Snapshot(files)
    }

    /// Both snapshots' files (of different paths) in one.
    pub fn merge(mut self, other: Snapshot) -> Snapshot {
        self.0.extend(other.0);
        self
    }

    /// The files added, removed or changed since `older`, sorted.
    pub fn changed_since(&self, older: &Snapshot) -> Vec<PathBuf> {
        let mut changed: Vec<PathBuf> = self
            .0
            .iter()
            .filter(|(path, stamp)| older.0.get(*path) != Some(stamp))
            .map(|(path, _)| path.clone())
            .collect();
        changed.extend(
            older
                .0
                .keys()
                .filter(|path| !self.0.contains_key(*path))
                .cloned(),
        );
        changed.sort();
        changed
    }
}

/// Incident logs: `*.yaml` and `*.yml`.
pub fn is_log(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// Any file.
pub fn any(_: &Path) -> bool {
    true
}

/// Editors' swap and backup files (`.x.yaml.swp`, `.#x.yaml`, `x.yaml~`) and hidden folders
/// are not worth a rebuild.
fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') || n.ends_with('~'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn additions_edits_and_removals_are_changes() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let b = dir.path().join("sub/b.yaml");
        std::fs::write(&a, "one").unwrap();
        let paths = vec![dir.path().to_owned()];
        let first = Snapshot::take(&paths, any);
        assert!(Snapshot::take(&paths, any).changed_since(&first).is_empty());

        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(&b, "two").unwrap();
        std::fs::write(dir.path().join(".a.yaml.swp"), "x").unwrap();
        let second = Snapshot::take(&paths, any);
        assert_eq!(second.changed_since(&first), vec![b.clone()]);

        std::fs::write(&a, "one, edited").unwrap();
        std::fs::remove_file(&b).unwrap();
        let third = Snapshot::take(&paths, any);
        assert_eq!(third.changed_since(&second), vec![a, b]);
    }

    #[test]
    fn only_wanted_files_count() {
        let dir = tempfile::tempdir().unwrap();
        let paths = vec![dir.path().to_owned()];
        let before = Snapshot::take(&paths, is_log);
        std::fs::write(dir.path().join("a.yaml.tmp"), "x").unwrap();
        std::fs::write(dir.path().join("4913"), "x").unwrap();
        assert!(
            Snapshot::take(&paths, is_log)
                .changed_since(&before)
                .is_empty()
        );
        std::fs::write(dir.path().join("b.yml"), "x").unwrap();
        assert_eq!(
            Snapshot::take(&paths, is_log).changed_since(&before),
            vec![dir.path().join("b.yml")]
        );
    }

    /// Regression: links inside a watched folder were followed, so a link to `/usr` made
    /// every poll walk thousands of files.
    #[cfg(unix)]
    #[test]
    fn links_inside_a_watched_folder_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("far.yaml"), "x").unwrap();
        let logs = dir.path().join("logs");
        std::fs::create_dir(&logs).unwrap();
        std::fs::write(logs.join("near.yaml"), "x").unwrap();
        std::os::unix::fs::symlink(&outside, logs.join("usr")).unwrap();
        std::os::unix::fs::symlink(outside.join("far.yaml"), logs.join("link.yaml")).unwrap();
        let snapshot = Snapshot::take(std::slice::from_ref(&logs), is_log);
        let files: Vec<&PathBuf> = snapshot.0.keys().collect();
        assert_eq!(files, [&logs.join("near.yaml")]);
        // Named itself, a link is followed.
        let named = Snapshot::take(&[logs.join("usr")], is_log);
        assert_eq!(named.0.len(), 1);
    }

    #[test]
    fn a_missing_path_appearing_is_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let templates = dir.path().join("templates");
        let paths = vec![templates.clone()];
        let before = Snapshot::take(&paths, any);
        std::fs::create_dir(&templates).unwrap();
        std::fs::write(templates.join("base.html"), "x").unwrap();
        assert_eq!(
            Snapshot::take(&paths, any).changed_since(&before),
            vec![templates.join("base.html")]
        );
    }
}
