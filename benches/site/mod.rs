//! Site benchmarks: `postevent build` of 100, 1,000 and 10,000 generated incidents (50 events
//! each), cold and after editing one log, next to Hugo building the same incidents exported
//! with `postevent export --to hugo`. Run: `cargo bench --bench pipeline -- site`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::corpus::{self, Shape};
use super::{Run, ms, once};

fn median(mut runs: Vec<Run>) -> Run {
    runs.sort_by_key(|r| r.wall);
    runs.swap_remove(runs.len() / 2)
}

fn secs(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64())
}

fn mib(run: &Run) -> String {
    run.peak_kib
        .map_or("n/a".into(), |k| format!("{:.0}", k as f64 / 1024.0))
}

/// Changes the title of one log, a different way each time.
fn edit(log: &Path, round: usize) {
    let text = std::fs::read_to_string(log).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let title = lines.iter_mut().find(|l| l.starts_with("title:")).unwrap();
    *title = format!("title: \"Edited title, round {round}\"");
    std::fs::write(log, lines.join("\n") + "\n").unwrap();
}

fn pandoc_available() -> bool {
    Command::new("pandoc").arg("--version").output().is_ok()
}

/// Seconds for Debian's pandoc to turn every Markdown file of `md` into a standalone HTML page,
/// two processes at a time (our build uses both cores too).
fn pandoc_pages(md: &Path, out: &Path) -> Duration {
    std::fs::create_dir_all(out).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(md)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let start = std::time::Instant::now();
    std::thread::scope(|scope| {
        for half in files.chunks(files.len().div_ceil(2).max(1)) {
            scope.spawn(move || {
                for f in half {
                    let html = out.join(f.file_stem().unwrap()).with_extension("html");
                    let status = Command::new("pandoc")
                        .args(["--standalone", "--from", "markdown", "--to", "html5"])
                        .arg("--metadata=pagetitle:incident")
                        .arg(f)
                        .arg("-o")
                        .arg(&html)
                        .status()
                        .unwrap();
                    assert!(status.success(), "pandoc failed on {}", f.display());
                }
            });
        }
    });
    start.elapsed()
}

/// Hugo building incidents exported from a folder of logs.
pub struct Hugo {
    /// `postevent export --to hugo`, median of 3.
    pub export: Duration,
    /// `hugo`, cold, median of 3.
    pub build: Duration,
    /// The site Hugo wrote.
    pub public: PathBuf,
}

/// Hugo (with the minimal layouts of tests/hugo) building the incidents of `logs`, exported
/// with `postevent export --to hugo`, in the folder `site`.
pub fn hugo_site(logs: &Path, site: &Path) -> Hugo {
    let bin = env!("CARGO_BIN_EXE_postevent");
    std::fs::create_dir_all(site).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hugo");
    std::fs::copy(fixture.join("hugo.toml"), site.join("hugo.toml")).unwrap();
    let status = Command::new("cp")
        .arg("-r")
        .arg(fixture.join("layouts"))
        .arg(site)
        .status()
        .unwrap();
    assert!(status.success());
    let content = site.join("content/incidents");
    let (logs_s, content_s) = (logs.to_str().unwrap(), content.to_str().unwrap());
    let export = median(
        (0..3)
            .map(|_| {
                let _ = std::fs::remove_dir_all(&content);
                once(bin, &["export", "--to", "hugo", logs_s, "-o", content_s])
            })
            .collect(),
    );
    let public = site.join("public");
    let mut runs: Vec<Duration> = (0..3)
        .map(|_| {
            let _ = std::fs::remove_dir_all(&public);
            let _ = std::fs::remove_dir_all(site.join("resources"));
            let start = std::time::Instant::now();
            let status = Command::new("hugo")
                .arg("--quiet")
                .arg("--source")
                .arg(site)
                .status()
                .unwrap();
            assert!(status.success(), "hugo failed");
            start.elapsed()
        })
        .collect();
    runs.sort();
    Hugo {
        export: export.wall,
        build: runs[1],
        public,
    }
}

pub fn hugo_available() -> bool {
    Command::new("hugo").arg("version").output().is_ok()
}

/// Total size of the files under `dir`, in MB.
pub fn size_mb(dir: &Path) -> f64 {
    let mut total = 0u64;
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let m = e.metadata().unwrap();
            if m.is_dir() {
                stack.push(e.path());
            } else {
                total += m.len();
            }
        }
    }
    total as f64 / 1e6
}

pub fn run() {
    let bin = env!("CARGO_BIN_EXE_postevent");
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let hugo = hugo_available();
    let pandoc = pandoc_available();
    println!(
        "| incidents | YAML MB | build cold s (median of 3) | cold CPU s | cold peak MiB | rebuild after editing 1 log ms | rebuild, nothing changed ms | site MB | export --to hugo s | hugo cold s | hugo site MB | pandoc md->html pages s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let shape = Shape {
        events: 50,
        services: 5,
        seed: 5,
    };
    for count in [100usize, 1_000, 10_000] {
        let logs = root.join(format!("logs-{count}"));
        let bytes = corpus::write_folder(&logs, count, shape);
        let out = root.join(format!("site-{count}"));
        let (logs_s, out_s) = (logs.to_str().unwrap(), out.to_str().unwrap());
        let build = ["build", logs_s, "-o", out_s, "-q"];

        let cold = median(
            (0..3)
                .map(|_| {
                    let _ = std::fs::remove_dir_all(&out);
                    once(bin, &build)
                })
                .collect(),
        );
        let site_mb = size_mb(&out);
        let noop = median((0..3).map(|_| once(bin, &build)).collect());
        let one = logs.join(format!("gen-{:06}.yaml", count / 2));
        let warm = median(
            (0..3)
                .map(|round| {
                    edit(&one, round);
                    once(bin, &build)
                })
                .collect(),
        );

        let (mut export_s, mut hugo_s, mut hugo_mb) = ("n/a".to_owned(), "n/a".to_owned(), 0.0);
        if hugo {
            let h = hugo_site(&logs, &root.join(format!("hugo-{count}")));
            export_s = secs(h.export);
            hugo_s = secs(h.build);
            hugo_mb = size_mb(&h.public);
        }
        // pandoc runs one process per page: at 10,000 pages that is minutes, so it stops at 1,000.
        let pandoc_s = if pandoc && count <= 1_000 {
            let md = root.join(format!("md-{count}"));
            let export = [
                "export",
                "--to",
                "mkdocs",
                logs_s,
                "-o",
                md.to_str().unwrap(),
            ];
            once(bin, &export);
            secs(pandoc_pages(
                &md.join("incidents"),
                &root.join(format!("pandoc-{count}")),
            ))
        } else {
            "n/a".to_owned()
        };
        println!(
            "| {count} | {:.1} | {} | {} | {} | {} | {} | {:.0} | {export_s} | {hugo_s} | {hugo_mb:.0} | {pandoc_s} |",
            bytes as f64 / 1e6,
            secs(cold.wall),
            cold.cpu.map_or("n/a".into(), secs),
            mib(&cold),
            ms(warm.wall),
            ms(noop.wall),
            site_mb,
        );
    }
}
