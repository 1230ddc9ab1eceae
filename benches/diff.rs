//! Benchmark of `postevent diff` on two generated 100,000-event timelines, 10% edited, with
//! no event ids (so every event is aligned by content, the expensive path).
//!
//! Run: `cargo bench --bench diff` (or `cargo bench --bench diff -- [DIR] [EVENTS]`). It writes `old.yaml` and
//! `new.yaml` into DIR (default: a fresh temporary folder, kept), times each stage in process
//! (load + validate, the diff itself, printing), checks the edits were found, and prints the
//! commands that compare the release binary with `diff -u` on the same files
//! (docs/benchmarks.md has the figures).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use postevent::diff::{Change, diff, display};
use postevent::parse::Limits;
use postevent::redact::{Audience, redact};
use postevent::source::Source;
use postevent::validate;

const WORDS: &[&str] = &[
    "api",
    "errors",
    "rise",
    "on",
    "the",
    "checkout",
    "service",
    "database",
    "primary",
    "replica",
    "lag",
    "grows",
    "engineers",
    "restart",
    "hosts",
    "rollback",
    "starts",
    "completes",
    "cache",
    "warms",
    "latency",
    "falls",
    "alert",
    "fires",
    "pages",
    "on-call",
    "status",
    "page",
    "updated",
    "queue",
    "drains",
    "throttles",
    "lifted",
    "traffic",
    "shifted",
    "to",
    "another",
    "region",
    "dns",
    "record",
    "restored",
    "load",
    "balancer",
    "health",
    "checks",
    "fail",
    "recover",
    "customers",
    "report",
    "timeouts",
    "capacity",
    "added",
    "deploy",
    "frozen",
    "flag",
    "off",
];

/// One event: minute offset from the start and its text.
#[derive(Clone)]
struct Gen {
    minute: i64,
    text: String,
}

fn sentence(rng: &mut fastrand::Rng, n: usize) -> String {
    let len = rng.usize(8..20);
    let words: Vec<&str> = (0..len).map(|_| WORDS[rng.usize(..WORDS.len())]).collect();
    format!("Step {n}, {}.", words.join(" "))
}

/// How many edits of each kind the generator made: reworded, moved, removed, added.
type Edits = [usize; 4];

fn timelines(events: usize) -> (Vec<Gen>, Vec<Gen>, Edits) {
    let mut rng = fastrand::Rng::with_seed(20251020);
    let mut minute = 0;
    let old: Vec<Gen> = (0..events)
        .map(|n| {
            minute += rng.i64(1..4);
            Gen {
                minute,
                text: sentence(&mut rng, n),
            }
        })
        .collect();
    // 10% edited: 4% reworded, 2% moved, 2% removed, 2% added.
    let mut new = Vec::with_capacity(events);
    let mut edits = [0; 4];
    for (n, e) in old.iter().enumerate() {
        let roll = rng.u32(..100);
        match roll {
            0..=3 => {
                edits[0] += 1;
                let mut words: Vec<&str> = e.text.split(' ').collect();
                let at = rng.usize(2..words.len());
                words[at] = WORDS[rng.usize(..WORDS.len())];
                new.push(Gen {
                    minute: e.minute,
                    text: format!("{} (corrected)", words.join(" ")),
                });
            }
            4..=5 => {
                edits[1] += 1;
                new.push(Gen {
                    minute: e.minute + rng.i64(-30..=-1),
                    text: e.text.clone(),
                });
            }
            6..=7 => edits[2] += 1,
            8..=9 => {
                edits[3] += 1;
                new.push(e.clone());
                new.push(Gen {
                    minute: e.minute + 1,
                    text: sentence(&mut rng, events + n),
                });
            }
            _ => new.push(e.clone()),
        }
    }
    new.sort_by_key(|e| e.minute);
    (old, new, edits)
}

fn yaml(events: &[Gen]) -> String {
    let start = chrono::DateTime::parse_from_rfc3339("2025-10-20T00:00:00Z").unwrap();
    let mut out = String::from(
        "id: generated\ntitle: Generated timeline\nseverity: SEV2\nstatus: investigating\n\
         services: [api]\ntimeline:\n",
    );
    for e in events {
        let at = start + chrono::TimeDelta::minutes(e.minute);
        let _ = writeln!(
            out,
            "  - at: {}\n    text: {}",
            at.format("%Y-%m-%dT%H:%M:%SZ"),
            e.text
        );
    }
    out
}

fn main() {
    // Cargo's own flags (`--bench`) are not ours.
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| tempfile::tempdir().expect("a temporary folder").keep());
    let events: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    std::fs::create_dir_all(&dir).expect("create the output folder");
    let (old, new, edits) = timelines(events);
    let (old_yaml, new_yaml) = (yaml(&old), yaml(&new));
    let (old_path, new_path) = (dir.join("old.yaml"), dir.join("new.yaml"));
    std::fs::write(&old_path, &old_yaml).expect("write old.yaml");
    std::fs::write(&new_path, &new_yaml).expect("write new.yaml");

    let t = Instant::now();
    let load = |name: &str, text: String| {
        let checked = validate::check(&Source::from_text(name, text), Limits::default());
        checked.incident.expect("the generated log is valid")
    };
    let (a, b) = (load("old.yaml", old_yaml), load("new.yaml", new_yaml));
    let loaded = t.elapsed();
    let t = Instant::now();
    let (a, b) = (
        redact(&a, Audience::Internal),
        redact(&b, Audience::Internal),
    );
    let d = diff(&a, &b);
    let diffed = t.elapsed();
    let t = Instant::now();
    let options = display::DisplayOptions {
        old_name: "old.yaml".into(),
        new_name: "new.yaml".into(),
        ..Default::default()
    };
    let text = display::text(&d, &options);
    let printed = t.elapsed();

    let s = d.summary();
    let similar = d
        .events
        .iter()
        .filter(|e| e.change == Change::Changed && e.fields.iter().any(|f| f.as_str() == "text"))
        .count();
    println!(
        "events: {} old, {} new",
        a.incident().timeline.len(),
        b.incident().timeline.len()
    );
    println!(
        "edits made: {} reworded, {} moved, {} removed, {} added",
        edits[0], edits[1], edits[2], edits[3]
    );
    println!(
        "diff: {} changed ({} reworded), {} added, {} removed, {} unchanged",
        s.changed, similar, s.added, s.removed, s.unchanged
    );
    println!("load + validate both: {:.0} ms", loaded.as_secs_f64() * 1e3);
    println!(
        "diff (alignment + comparison): {:.0} ms",
        diffed.as_secs_f64() * 1e3
    );
    println!(
        "text output: {:.0} ms ({} bytes)",
        printed.as_secs_f64() * 1e3,
        text.len()
    );
    println!("\nend to end, against diff -u:");
    println!(
        "  /usr/bin/time -f '%e s %M KiB' target/release/postevent diff {} {} > /dev/null",
        old_path.display(),
        new_path.display()
    );
    println!(
        "  /usr/bin/time -f '%e s %M KiB' diff -u {} {} > /dev/null",
        old_path.display(),
        new_path.display()
    );
}
