//! `.pre-commit-hooks.yaml`: each hook's entry run the way pre-commit runs it (from the
//! repository's root, with the staged files that its `files` pattern matches appended to
//! the entry) fails a commit of a bad log with its diagnostics and passes good ones. With
//! `POSTEVENT_PRE_COMMIT=PATH` (the `pre-commit` program, as `.ci/run` installs it), the
//! `system` hook also runs under the real pre-commit.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::{fixture, root};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Hook {
    id: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
    entry: String,
    language: String,
    files: String,
    pass_filenames: bool,
}

fn hooks() -> Vec<Hook> {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

/// A repository of logs: a good one, one with only a warning, a bad one, and files that are
/// not logs.
fn logs_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let incidents = dir.path().join("incidents");
    std::fs::create_dir_all(incidents.join("2026")).unwrap();
    let copy = |from: PathBuf, to: &str| std::fs::copy(from, dir.path().join(to)).unwrap();
    copy(
        root().join("incidents/checkout-bad-deploy-2026-03-14.yaml"),
        "incidents/checkout-bad-deploy-2026-03-14.yaml",
    );
    copy(
        root().join("incidents/payments-db-failover-2026-09-02.yaml"),
        "incidents/2026/payments-db-failover-2026-09-02.yml",
    );
    copy(
        fixture("invalid/e012-unknown-service.yaml"),
        "incidents/e012-unknown-service.yaml",
    );
    std::fs::write(dir.path().join("incidents/README.md"), "# Logs\n").unwrap();
    std::fs::write(dir.path().join("postevent.yaml"), "not: a log\n").unwrap();
    dir
}

/// The files of `staged` that a hook's pattern selects (pre-commit: `re.search`).
fn selected<'a>(hook: &Hook, staged: &[&'a str]) -> Vec<&'a str> {
    let pattern = regex::Regex::new(&hook.files).unwrap();
    staged
        .iter()
        .copied()
        .filter(|f| pattern.is_match(f))
        .collect()
}

/// Runs the hook's entry on `files` in `dir`, with `postevent` the binary under test.
fn run_entry(hook: &Hook, dir: &Path, files: &[&str]) -> (i32, String) {
    let mut words = hook.entry.split_whitespace();
    assert_eq!(words.next(), Some("postevent"), "{}", hook.entry);
    let out = Command::new(env!("CARGO_BIN_EXE_postevent"))
        .args(words)
        .args(files)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    (out.status.code().unwrap_or(-1), stderr)
}

#[test]
fn the_hooks_check_the_staged_logs() {
    let hooks = hooks();
    let ids: Vec<&str> = hooks.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["postevent-check", "postevent-check-system"]);
    let repo = logs_repository();
    let staged = [
        "incidents/checkout-bad-deploy-2026-03-14.yaml",
        "incidents/2026/payments-db-failover-2026-09-02.yml",
        "incidents/e012-unknown-service.yaml",
        "incidents/README.md",
        "postevent.yaml",
    ];
    for hook in &hooks {
        assert!(!hook.name.is_empty() && hook.description.is_some());
        assert!(matches!(hook.language.as_str(), "rust" | "system"));
        assert!(
            hook.pass_filenames,
            "{}: the entry needs the files",
            hook.id
        );
        assert_eq!(selected(hook, &staged), &staged[..3], "{}", hook.id);

        let (code, stderr) = run_entry(hook, repo.path(), &staged[..3]);
        assert_eq!(code, 1, "{}: {stderr}", hook.id);
        for expected in [
            "incidents/e012-unknown-service.yaml:",
            "E012",
            "checked 3 logs: 1 error",
        ] {
            assert!(
                stderr.contains(expected),
                "{}: {expected}: {stderr}",
                hook.id
            );
        }
        let (code, stderr) = run_entry(hook, repo.path(), &staged[..2]);
        assert_eq!(code, 0, "{}: {stderr}", hook.id);
        assert!(
            stderr.contains("W002"),
            "a warning is shown, not fatal: {stderr}"
        );
    }
}

/// The real pre-commit, when `POSTEVENT_PRE_COMMIT` names it: `try-repo` this repository's
/// `postevent-check-system` hook in a git repository of logs, with the binary under test on
/// PATH. (The `rust` hook builds postevent in release with cargo first; its entry is the
/// same and is run above.)
#[test]
fn the_system_hook_under_pre_commit() {
    let Some(pre_commit) = std::env::var_os("POSTEVENT_PRE_COMMIT") else {
        eprintln!("skipped: set POSTEVENT_PRE_COMMIT to the pre-commit program");
        return;
    };
    let repo = logs_repository();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(repo.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    let bin = Path::new(env!("CARGO_BIN_EXE_postevent")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_owned()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let try_repo = |files: &[&str]| {
        let out = Command::new(&pre_commit)
            .args([
                "try-repo",
                root().to_str().unwrap(),
                "postevent-check-system",
            ])
            .arg("--files")
            .args(files)
            .current_dir(repo.path())
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", repo.path().join(".cache"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        (out.status.code().unwrap_or(-1), text)
    };
    let (code, out) = try_repo(&[
        "incidents/checkout-bad-deploy-2026-03-14.yaml",
        "incidents/e012-unknown-service.yaml",
        "incidents/README.md",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Failed") && out.contains("E012"), "{out}");
    let (code, out) = try_repo(&["incidents/checkout-bad-deploy-2026-03-14.yaml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Passed"), "{out}");
}
