//! git, read only: a file as it was at a revision (`git show REV:PATH`) and the logs that
//! changed between two revisions (`git diff --name-status`). This is the one place that runs
//! git. Arguments come from the command line and from pull-request metadata, so every
//! revision is refused when it starts with `-` and passed after `--end-of-options`: git can
//! never read one as an option of its own (`--output=FILE` would write that file).

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why git could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitError {
    /// What was asked, as the user would type it: `git show main:x.yaml`.
    pub command: String,
    pub reason: String,
}

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` failed: {}", self.command, self.reason)
    }
}

impl std::error::Error for GitError {}

/// Refuses a revision git would read as an option.
pub fn check_revision(rev: &str) -> Result<(), String> {
    if rev.starts_with('-') {
        Err(format!("a git revision cannot start with `-` (`{rev}`)"))
    } else {
        Ok(())
    }
}

/// Runs git with `args` in the current directory and returns its standard output; errors
/// name the command as `command` (what the user would type).
fn run(command: String, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let output = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| GitError {
            command: command.clone(),
            reason: format!("cannot run git: {e} (is git installed?)"),
        })?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        let first = message.lines().next().unwrap_or("git failed").trim();
        return Err(GitError {
            command,
            reason: first.trim_start_matches("fatal: ").to_owned(),
        });
    }
    Ok(output.stdout)
}

/// The bytes of `REV:PATH` (`PATH` relative to the repository root, as for `git show`).
pub fn show(spec: &str) -> Result<Vec<u8>, GitError> {
    if let Err(reason) = check_revision(spec) {
        return Err(GitError {
            command: format!("git show {spec}"),
            reason,
        });
    }
    run(
        format!("git show {spec}"),
        &["show", "--no-textconv", "--end-of-options", spec],
    )
}

/// Two revisions to compare, from `BASE`, `BASE..HEAD` or `BASE...HEAD` (as `git diff`
/// reads them). Without a head the new side is the working tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    /// The old side: a revision (for `A...B`, the merge base of `A` and `B`).
    pub base: String,
    /// The new side: a revision, or `None` for the files on disk.
    pub head: Option<String>,
}

impl Range {
    /// Reads `BASE`, `BASE..HEAD` or `BASE...HEAD`; an empty side is `HEAD`, as in git.
    pub fn parse(text: &str) -> Result<Range, String> {
        let side = |s: &str| -> Result<String, String> {
            let s = if s.is_empty() { "HEAD" } else { s };
            check_revision(s)?;
            Ok(s.to_owned())
        };
        if let Some((a, b)) = text.split_once("...") {
            let (a, b) = (side(a)?, side(b)?);
            let base = run(
                format!("git merge-base {a} {b}"),
                &["merge-base", "--end-of-options", &a, &b],
            )
            .map_err(|e| e.to_string())?;
            let base = String::from_utf8_lossy(&base).trim().to_owned();
            return Ok(Range {
                base,
                head: Some(b),
            });
        }
        if let Some((a, b)) = text.split_once("..") {
            return Ok(Range {
                base: side(a)?,
                head: Some(side(b)?),
            });
        }
        if text.is_empty() {
            return Err("an empty revision range (write `BASE` or `BASE..HEAD`)".into());
        }
        Ok(Range {
            base: side(text)?,
            head: None,
        })
    }
}

/// How a file differs between the two sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Deleted,
    Modified,
    Renamed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Deleted => "deleted",
            Change::Modified => "modified",
            Change::Renamed => "renamed",
        }
    }
}

/// A file that changed, its paths relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub change: Change,
    /// The path on the old side (`None` when added).
    pub old: Option<String>,
    /// The path on the new side (`None` when deleted).
    pub new: Option<String>,
}

impl Changed {
    /// The path to show: the new one, or the old one of a deleted file.
    pub fn path(&self) -> &str {
        self.new
            .as_deref()
            .or(self.old.as_deref())
            .unwrap_or_default()
    }
}

/// The repository's top folder.
pub fn toplevel() -> Result<PathBuf, GitError> {
    let out = run(
        "git rev-parse --show-toplevel".into(),
        &["rev-parse", "--show-toplevel"],
    )?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out).trim()))
}

/// The YAML files under `paths` (relative to the current directory) that differ between the
/// sides of `range`, sorted by path; renames are followed, as `git diff -M` does. Against the
/// working tree, files git does not track yet (and does not ignore) count as added.
pub fn changed(range: &Range, paths: &[PathBuf]) -> Result<Vec<Changed>, GitError> {
    let mut args: Vec<String> = ["diff", "--name-status", "-z", "-M", "--no-ext-diff"]
        .map(String::from)
        .to_vec();
    args.push("--end-of-options".into());
    args.push(range.base.clone());
    args.extend(range.head.clone());
    args.push("--".into());
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let head = range.head.as_deref().unwrap_or_default();
    let command = format!("git diff {} {head}", range.base);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(command.trim_end().to_owned(), &args)?;
    let mut files = parse_name_status(&out);
    if range.head.is_none() {
        // The working tree's new logs are added too, before anyone runs `git add`.
        let mut args = vec![
            "ls-files",
            "-z",
            "--others",
            "--exclude-standard",
            "--full-name",
        ];
        args.push("--");
        let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        args.extend(paths.iter().map(String::as_str));
        let out = run("git ls-files --others".into(), &args)?;
        files.extend(
            out.split(|&b| b == 0)
                .filter(|f| !f.is_empty())
                .map(|f| Changed {
                    change: Change::Added,
                    old: None,
                    new: Some(String::from_utf8_lossy(f).into_owned()),
                }),
        );
    }
    files.retain(|c| is_yaml(c.path()) || c.old.as_deref().is_some_and(is_yaml));
    files.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(files)
}

fn is_yaml(path: &str) -> bool {
    let ext = Path::new(path).extension().and_then(|e| e.to_str());
    matches!(
        ext.map(str::to_ascii_lowercase).as_deref(),
        Some("yaml" | "yml")
    )
}

/// Reads `git diff --name-status -z`: `STATUS NUL PATH NUL`, or `STATUS NUL OLD NUL NEW NUL`
/// for renames and copies. A type change counts as a modification; an unmerged file too.
fn parse_name_status(out: &[u8]) -> Vec<Changed> {
    let mut fields = out
        .split(|&b| b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned());
    let mut files = Vec::new();
    while let Some(status) = fields.next() {
        let Some(kind) = status.chars().next() else {
            continue;
        };
        let Some(first) = fields.next() else { break };
        let changed = match kind {
            'A' => Changed {
                change: Change::Added,
                old: None,
                new: Some(first),
            },
            'D' => Changed {
                change: Change::Deleted,
                old: Some(first),
                new: None,
            },
            'R' => Changed {
                change: Change::Renamed,
                new: fields.next(),
                old: Some(first),
            },
            // A copy leaves its source in place: the copy is a new log.
            'C' => Changed {
                change: Change::Added,
                new: fields.next(),
                old: None,
            },
            _ => Changed {
                change: Change::Modified,
                old: Some(first.clone()),
                new: Some(first),
            },
        };
        files.push(changed);
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_status_of_every_kind() {
        let out = b"M\0incidents/a.yaml\0A\0incidents/b.yaml\0D\0incidents/c.yml\0\
                    R087\0old/d.yaml\0incidents/d.yaml\0C100\0incidents/a.yaml\0incidents/e.yaml\0\
                    T\0incidents/f.yaml\0";
        let files = parse_name_status(out);
        let seen: Vec<(Change, Option<&str>, Option<&str>)> = files
            .iter()
            .map(|c| (c.change, c.old.as_deref(), c.new.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    Change::Modified,
                    Some("incidents/a.yaml"),
                    Some("incidents/a.yaml")
                ),
                (Change::Added, None, Some("incidents/b.yaml")),
                (Change::Deleted, Some("incidents/c.yml"), None),
                (
                    Change::Renamed,
                    Some("old/d.yaml"),
                    Some("incidents/d.yaml")
                ),
                (Change::Added, None, Some("incidents/e.yaml")),
                (
                    Change::Modified,
                    Some("incidents/f.yaml"),
                    Some("incidents/f.yaml")
                ),
            ]
        );
    }

    #[test]
    fn paths_with_spaces_and_newlines_survive() {
        let files = parse_name_status(b"A\0incidents/a b\nc.yaml\0");
        assert_eq!(files[0].path(), "incidents/a b\nc.yaml");
    }

    #[test]
    fn ranges() {
        assert_eq!(
            Range::parse("main..feature"),
            Ok(Range {
                base: "main".into(),
                head: Some("feature".into())
            })
        );
        assert_eq!(
            Range::parse("main.."),
            Ok(Range {
                base: "main".into(),
                head: Some("HEAD".into())
            })
        );
        assert_eq!(
            Range::parse("main"),
            Ok(Range {
                base: "main".into(),
                head: None
            })
        );
        assert!(Range::parse("--output=x..main").is_err());
        assert!(Range::parse("main..-x").is_err());
        assert!(Range::parse("").is_err());
    }

    #[test]
    fn yaml_by_extension() {
        assert!(is_yaml("incidents/a.YAML"));
        assert!(is_yaml("a.yml"));
        assert!(!is_yaml("a.toml"));
        assert!(!is_yaml("yaml"));
    }
}
