//! Issue 15's goals, each measured on the corpus it names: the three bundled logs copied with
//! their own ids and dates (rich Markdown, 20 to 80 events, about 15 KB each), next to the
//! bare YAML parse of the same bytes on the same cores and Hugo building the same incidents.
//! Run: `cargo bench --bench pipeline -- goals`. Prints one Markdown table.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::corpus::{self, Shape};
use super::site;
use super::{Run, measure, once, yaml_files};

/// Copy `k` of a bundled log: its id gets `-k`, and every year (in dates and in prose) moves
/// `k % 19` years back, which keeps each time in the same daylight-saving period and the
/// prose's dates in agreement with the timeline, so every copy is as valid as its original.
fn copy_of(text: &str, k: usize) -> String {
    let year = regex::Regex::new(r"\b(20[0-9]{2})\b").unwrap();
    let moved = year.replace_all(text, |c: &regex::Captures| {
        (c[1].parse::<usize>().unwrap() - k % 19).to_string()
    });
    let id = regex::Regex::new(r"(?m)^id: .*$").unwrap();
    id.replace(&moved, |c: &regex::Captures| format!("{}-{k}", &c[0]))
        .into_owned()
}

/// Writes `count` copies of the bundled logs into `dir`; returns their total size in bytes.
fn bundled_copies(dir: &Path, count: usize) -> usize {
    std::fs::create_dir_all(dir).unwrap();
    let bundled = yaml_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("incidents"));
    let texts: Vec<(String, String)> = bundled
        .iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, std::fs::read_to_string(p).unwrap())
        })
        .collect();
    (0..count)
        .map(|i| {
            let (stem, text) = &texts[i % texts.len()];
            let copy = copy_of(text, i / texts.len());
            std::fs::write(dir.join(format!("{stem}-{}.yaml", i / texts.len())), &copy).unwrap();
            copy.len()
        })
        .sum()
}

/// The bare parse of `files` into nothing, on as many threads as the machine has cores: the
/// floor of anything that reads them.
fn parallel_floor(files: &[PathBuf]) -> Duration {
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = texts.len().div_ceil(threads).max(1);
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        std::thread::scope(|s| {
            for part in texts.chunks(chunk) {
                s.spawn(move || {
                    for t in part {
                        let options = serde_saphyr::options! { budget: None };
                        let _: serde::de::IgnoredAny =
                            serde_saphyr::from_str_with_options(t, options).unwrap();
                    }
                });
            }
        });
        best = best.min(start.elapsed());
    }
    best
}

fn median_of(mut runs: Vec<Run>) -> Run {
    runs.sort_by_key(|r| r.wall);
    runs.swap_remove(runs.len() / 2)
}

/// Changes the title of one log, a different way each time.
fn edit(log: &Path, round: usize) {
    let text = std::fs::read_to_string(log).unwrap();
    let title = regex::Regex::new(r"(?m)^title: .*$").unwrap();
    let text = title.replace(&text, format!("title: \"Edited title, round {round}\""));
    std::fs::write(log, text.as_bytes()).unwrap();
}

fn s(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn mib(run: &Run) -> f64 {
    run.peak_kib.unwrap_or(0) as f64 / 1024.0
}

fn cpu(run: &Run) -> String {
    run.cpu.map_or("n/a".into(), s)
}

fn row(goal: &str, measured: String, met: bool) {
    println!(
        "| {goal} | {measured} | {} |",
        if met { "yes" } else { "no" }
    );
}

pub fn run() {
    let bin = env!("CARGO_BIN_EXE_postevent");
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    println!("| goal (issue 15) | measured (median of 3) | met? |");
    println!("|---|---|---|");

    let small = root.join("logs-1000");
    let small_bytes = bundled_copies(&small, 1_002);
    let check = measure(&["check", small.to_str().unwrap()]);
    row(
        "`check` of 1,000 logs under 0.3 s",
        format!(
            "{} wall, {} CPU ({:.1} MB of YAML; bare parse on the same cores {})",
            s(check.wall),
            cpu(&check),
            small_bytes as f64 / 1e6,
            s(parallel_floor(&yaml_files(&small)))
        ),
        check.wall < Duration::from_millis(300),
    );
    let out = root.join("site-1000");
    let cold = median_of(
        (0..3)
            .map(|_| {
                let _ = std::fs::remove_dir_all(&out);
                once(
                    bin,
                    &[
                        "build",
                        small.to_str().unwrap(),
                        "-o",
                        out.to_str().unwrap(),
                        "-q",
                    ],
                )
            })
            .collect(),
    );
    row(
        "`build` of 1,000 incidents cold under 0.5 s",
        format!(
            "{} wall, {} CPU, {:.0} MiB",
            s(cold.wall),
            cpu(&cold),
            mib(&cold)
        ),
        cold.wall < Duration::from_millis(500),
    );

    let big = root.join("logs-10000");
    let big_bytes = bundled_copies(&big, 10_002);
    let floor = parallel_floor(&yaml_files(&big));
    let out = root.join("site-10000");
    let build = [
        "build",
        big.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ];
    let cold = median_of(
        (0..3)
            .map(|_| {
                let _ = std::fs::remove_dir_all(&out);
                once(bin, &build)
            })
            .collect(),
    );
    let written = site::size_mb(&out);
    let ratio = cold.wall.as_secs_f64() / floor.as_secs_f64();
    row(
        "`build` of 10,000 incidents cold under 5 s, 500 MiB and 300 MB written; within 2.5x the bare parse",
        format!(
            "{} wall, {} CPU, {:.0} MiB, {:.0} MB written; bare parse of the same {:.0} MB on the same cores {} ({ratio:.1}x)",
            s(cold.wall),
            cpu(&cold),
            mib(&cold),
            written,
            big_bytes as f64 / 1e6,
            s(floor)
        ),
        cold.wall < Duration::from_secs(5) && mib(&cold) < 500.0 && written < 300.0 && ratio <= 2.5,
    );
    let one = big.join("checkout-bad-deploy-2026-03-14-1667.yaml");
    let warm = median_of(
        (0..3)
            .map(|round| {
                edit(&one, round);
                once(bin, &build)
            })
            .collect(),
    );
    row(
        "one edited log of 10,000, rebuild, under 100 ms",
        format!(
            "{} wall, {} CPU, {:.0} MiB",
            ms(warm.wall),
            cpu(&warm),
            mib(&warm)
        ),
        warm.wall < Duration::from_millis(100),
    );
    let noop = median_of((0..3).map(|_| once(bin, &build)).collect());
    row(
        "nothing changed, 10,000, under 50 ms",
        format!(
            "{} wall, {} CPU, {:.0} MiB",
            ms(noop.wall),
            cpu(&noop),
            mib(&noop)
        ),
        noop.wall < Duration::from_millis(50),
    );
    if site::hugo_available() {
        let h = site::hugo_site(&big, &root.join("hugo"));
        println!(
            "| (Hugo with the minimal layouts of tests/hugo, the same 10,000 incidents exported: not a goal) | {} wall, {:.0} MB written; the export {} | |",
            s(h.build),
            site::size_mb(&h.public),
            s(h.export)
        );
    } else {
        println!("| (Hugo) | not installed | |");
    }

    let events = 100_000;
    let dir = root.join("one-100000");
    corpus::write_folder(
        &dir,
        1,
        Shape {
            events,
            services: 12,
            seed: 11,
        },
    );
    let log = yaml_files(&dir).remove(0);
    let html = root.join("report.html");
    let report = measure(&[
        "report",
        log.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
    ]);
    let per_event = report.peak_kib.unwrap_or(0) as f64 * 1024.0 / events as f64;
    row(
        "`report` of a 100,000-event log under 1.5 s and 1 KB of memory per event",
        format!(
            "{} wall, {} CPU, {:.0} MiB ({per_event:.0} bytes per event)",
            s(report.wall),
            cpu(&report),
            mib(&report)
        ),
        report.wall < Duration::from_millis(1500) && per_event < 1024.0,
    );
}
