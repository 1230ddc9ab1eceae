//! What the truth check (W007) costs `check`: the same generated logs validated in process with
//! `lint_prose: false` (`[lint] prose = false`) and with it on. Run: `cargo bench --bench prose`.
//!
//! Two inputs per size: the generator's log as is (its prose quotes no number, as many logs
//! do), and the same log with a summary quoting 20 durations longer than its whole timeline
//! (the worst case: each scans every pair of neighbouring events, then the impact windows of
//! every service are computed and the closest pair is searched) and 20 clock times (the
//! events' times of day are sorted once). Off and on runs alternate, 7 of each; the table
//! shows their medians.

mod corpus;

use std::time::{Duration, Instant};

use corpus::Shape;
use postevent::config::Config;
use postevent::parse::Limits;
use postevent::source::Source;
use postevent::validate::{self, prose};

/// A summary of 20 durations longer than any generated timeline (a year and more) and 20
/// clock times.
fn wrong_summary() -> String {
    let lines: Vec<String> = (0..20)
        .map(|i| {
            format!(
                "  - down for {} h {} m, and again at {:02}:{:02} UTC",
                9_000 + i,
                7 + i,
                i,
                13 + i
            )
        })
        .collect();
    format!("summary: |\n{}\n", lines.join("\n"))
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// One run: how long `check` took and how many W007 it gave.
fn once(source: &Source, prose: bool) -> (Duration, usize) {
    let start = Instant::now();
    let checked = validate::check_with(
        source,
        Limits::default(),
        &Config {
            lint_prose: prose,
            ..Config::default()
        },
    );
    let took = start.elapsed();
    let warnings = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.code() == "W007")
        .count();
    (took, warnings)
}

/// The truth check by itself on the validated log (median of 7): less noisy than the
/// difference of two whole checks on a busy machine.
fn alone(source: &Source) -> Duration {
    let checked = validate::check_with(
        source,
        Limits::default(),
        &Config {
            lint_prose: false,
            ..Config::default()
        },
    );
    let incident = checked.incident.expect("a valid generated log");
    let fields = [(prose::Field::Summary, 0..0)];
    median(
        (0..7)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(prose::check(source, &incident, &fields));
                start.elapsed()
            })
            .collect(),
    )
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn main() {
    println!(
        "| log | prose | check ms, truth check off | check ms, on | the truth check alone, ms | W007 |"
    );
    println!("|---|---|---|---|---|---|");
    for events in [10_000usize, 100_000] {
        let shape = Shape {
            events,
            services: 12,
            seed: 11,
        };
        let plain = corpus::incident(0, shape);
        // The generated summary goes on after the claims, in the same block.
        let wrong = plain.replacen("summary: |\n", &wrong_summary(), 1);
        for (name, text) in [("no numbers", &plain), ("40 wrong numbers", &wrong)] {
            let source = Source::from_text("bench.yaml", text.clone());
            let (mut off, mut on, mut warnings) = (Vec::new(), Vec::new(), 0);
            for _ in 0..7 {
                off.push(once(&source, false).0);
                let (took, found) = once(&source, true);
                on.push(took);
                warnings = found;
            }
            let (off, on) = (median(off), median(on));
            let alone = alone(&source);
            println!(
                "| 1 log x {events} events | {name} | {} | {} | {} | {warnings} |",
                ms(off),
                ms(on),
                ms(alone)
            );
        }
    }
}
