//! End-to-end benchmarks of the postevent binary on generated corpora, with the bare YAML
//! parse of the same bytes as the floor. Run: `cargo bench --bench pipeline`.
//!
//! Each row runs the release binary under GNU time (`/usr/bin/time`) three times and keeps the
//! median wall time, with its CPU time and peak memory. Prints a Markdown table.

mod corpus;
mod goals;
mod site;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use corpus::Shape;

struct Run {
    wall: Duration,
    cpu: Option<Duration>,
    peak_kib: Option<u64>,
}

/// Runs `postevent ARGS` three times; the median by wall time.
fn measure(args: &[&str]) -> Run {
    let bin = env!("CARGO_BIN_EXE_postevent");
    let mut runs: Vec<Run> = (0..3).map(|_| once(bin, args)).collect();
    runs.sort_by_key(|r| r.wall);
    runs.swap_remove(1)
}

fn once(bin: &str, args: &[&str]) -> Run {
    let gnu_time = Path::new("/usr/bin/time").exists();
    let mut cmd = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "%U %S %M", bin]);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args);
    let start = Instant::now();
    let out = cmd.output().expect("run postevent");
    let wall = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    let fields: Vec<f64> = last.split(' ').filter_map(|f| f.parse().ok()).collect();
    let (cpu, peak_kib) = match fields.as_slice() {
        [user, sys, rss] if gnu_time => {
            (Some(Duration::from_secs_f64(user + sys)), Some(*rss as u64))
        }
        _ => (None, None),
    };
    Run {
        wall,
        cpu,
        peak_kib,
    }
}

/// Time to parse the same files into nothing (serde's IgnoredAny): the floor of our pipeline.
fn parse_floor(files: &[PathBuf]) -> Duration {
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        for t in &texts {
            let options = serde_saphyr::options! { budget: None };
            let _: serde::de::IgnoredAny = serde_saphyr::from_str_with_options(t, options).unwrap();
        }
        best = best.min(start.elapsed());
    }
    best
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn row(name: &str, input: &str, run: &Run, floor: Option<Duration>) {
    let cpu = run.cpu.map_or("n/a".into(), ms);
    let peak = run
        .peak_kib
        .map_or("n/a".into(), |k| format!("{:.1}", k as f64 / 1024.0));
    let ratio = floor.map_or("".into(), |f| {
        format!("{:.1}x", run.wall.as_secs_f64() / f.as_secs_f64().max(1e-9))
    });
    println!(
        "| {name} | {input} | {} | {cpu} | {peak} | {} | {ratio} |",
        ms(run.wall),
        floor.map_or("".into(), ms)
    );
}

fn main() {
    // `cargo bench` runs every section; `cargo bench --bench pipeline -- site` (or `check`)
    // runs one. Cargo's own flags (`--bench`) are ignored.
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let runs = |section: &str| wanted.is_empty() || wanted.iter().any(|w| w == section);
    if runs("check") {
        check_and_report();
    }
    if runs("site") {
        site::run();
    }
    if runs("goals") {
        goals::run();
    }
}

/// `check` at 10 to 10,000 logs and `check` and `report` at 10,000 and 100,000 events.
fn check_and_report() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    println!(
        "| command | input | wall ms (median of 3) | cpu ms | peak MiB | parse floor ms | ours / floor |"
    );
    println!("|---|---|---|---|---|---|---|");
    let shape = Shape {
        events: 30,
        services: 5,
        seed: 7,
    };
    for count in [10usize, 1_000, 10_000] {
        let dir = root.join(format!("logs-{count}"));
        let bytes = corpus::write_folder(&dir, count, shape);
        let files = yaml_files(&dir);
        let floor = parse_floor(&files);
        let run = measure(&["check", dir.to_str().unwrap()]);
        row(
            "check",
            &format!("{count} logs x 30 events ({:.1} MB)", bytes as f64 / 1e6),
            &run,
            Some(floor),
        );
    }
    for events in [10_000usize, 100_000] {
        let dir = root.join(format!("one-{events}"));
        let bytes = corpus::write_folder(
            &dir,
            1,
            Shape {
                events,
                services: 12,
                seed: 11,
            },
        );
        let files = yaml_files(&dir);
        let floor = parse_floor(&files);
        let log = files[0].to_str().unwrap();
        let input = format!("1 log x {events} events ({:.1} MB)", bytes as f64 / 1e6);
        row("check", &input, &measure(&["check", log]), Some(floor));
        for (format, audience) in [
            ("md", "internal"),
            ("html", "internal"),
            ("html", "public"),
            ("json", "internal"),
        ] {
            let out = root.join(format!("report-{events}.{format}"));
            let args = [
                "report",
                log,
                "--format",
                format,
                "--audience",
                audience,
                "-o",
                out.to_str().unwrap(),
            ];
            row(
                &format!("report {format} {audience}"),
                &input,
                &measure(&args),
                Some(floor),
            );
        }
    }
}
