//! A generator of realistic incident logs of any size, for benchmarks: several services,
//! phases in order, status changes that open and close impact windows, Markdown text, internal
//! events, action items. Deterministic for a seed, so runs compare like with like.

#![allow(dead_code)]

use std::fmt::Write as _;

const SERVICES: &[&str] = &[
    "API Gateway",
    "Auth",
    "Billing",
    "Checkout",
    "Search",
    "Payments",
    "Notifications",
    "Storage",
    "Queue",
    "CDN",
    "DNS",
    "Object Store",
    "Scheduler",
    "Analytics",
    "Inventory",
];
const STATUSES: &[&str] = &["degraded_performance", "partial_outage", "major_outage"];
const ZONES: &[&str] = &[
    "UTC",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Asia/Tokyo",
    "America/New_York",
];
const WORDS: &[&str] = &[
    "error",
    "rate",
    "latency",
    "p99",
    "rollback",
    "deploy",
    "replica",
    "failover",
    "queue",
    "backlog",
    "throttle",
    "cache",
    "DNS",
    "record",
    "lease",
    "timeout",
    "retry",
    "shard",
    "primary",
    "alarm",
    "pager",
    "customers",
    "region",
    "capacity",
    "health",
    "check",
];

/// The shape of one generated log.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub events: usize,
    pub services: usize,
    pub seed: u64,
}

/// One incident log as YAML text, valid for `postevent check`.
pub fn incident(index: usize, shape: Shape) -> String {
    let mut rng = fastrand::Rng::with_seed(shape.seed.wrapping_add(index as u64));
    let services: Vec<&str> = SERVICES
        .iter()
        .cycle()
        .take(shape.services.max(1))
        .copied()
        .collect();
    let zone = ZONES[rng.usize(..ZONES.len())];
    let severity = 1 + rng.usize(..5);
    let day = 1 + index % 28;
    let month = 1 + (index / 28) % 12;
    let year = 2020 + (index / 336) % 7;
    let mut y = String::with_capacity(shape.events * 160 + 2048);
    let _ = writeln!(y, "id: gen-{index:06}");
    let _ = writeln!(
        y,
        "title: \"Generated incident {index}: {} {} in {}\"",
        word(&mut rng),
        word(&mut rng),
        services[0]
    );
    let _ = writeln!(
        y,
        "severity: SEV{severity}\nstatus: resolved\ntimezone: {zone}"
    );
    let _ = writeln!(
        y,
        "regions: [region-{}]\ntags: [{}, {}]\nauthors: [On-call SRE]",
        rng.usize(..4),
        word(&mut rng).to_lowercase(),
        word(&mut rng).to_lowercase()
    );
    y.push_str("services:\n");
    for (i, s) in services.iter().enumerate() {
        if i % 2 == 0 {
            let _ = writeln!(y, "  - {}", unique(s, i));
        } else {
            let _ = writeln!(
                y,
                "  - name: {}\n    description: The {} service",
                unique(s, i),
                s
            );
        }
    }
    let _ = writeln!(
        y,
        "summary: |\n  {}\nimpact: |\n  - **{}** of requests failed\n  - `{}` saturated",
        sentence(&mut rng, 20),
        rng.usize(1..60),
        word(&mut rng)
    );
    let _ = writeln!(y, "root_cause: |\n  {}", sentence(&mut rng, 30));
    y.push_str("timeline:\n");
    let phases = [
        "started",
        "detected",
        "acknowledged",
        "identified",
        "mitigated",
        "resolved",
    ];
    let n = shape.events.max(phases.len());
    let mut open: Vec<bool> = vec![false; services.len()];
    let mut minute = 0usize;
    for e in 0..n {
        // Phases spread over the timeline, the last event resolves.
        let phase = if e == n - 1 {
            Some(5)
        } else {
            (0..5).find(|p| e == p * (n - 1) / 5)
        };
        minute += 1 + rng.usize(..3);
        let at = minute_stamp(year, month, day, minute);
        let _ = writeln!(y, "  - id: e{e}\n    at: {at}Z");
        if let Some(p) = phase {
            let _ = writeln!(y, "    phase: {}", phases[p]);
        }
        let mut changes = Vec::new();
        if e == n - 1 {
            for (i, o) in open.iter_mut().enumerate() {
                if *o {
                    changes.push((i, "operational"));
                    *o = false;
                }
            }
        } else if rng.usize(..4) == 0 {
            let i = rng.usize(..services.len());
            let status = if open[i] && rng.bool() {
                "operational"
            } else {
                STATUSES[rng.usize(..STATUSES.len())]
            };
            open[i] = status != "operational";
            changes.push((i, status));
        }
        if !changes.is_empty() {
            y.push_str("    status:\n");
            for (i, s) in changes {
                let _ = writeln!(y, "      {}: {s}", unique(services[i], i));
            }
        }
        let _ = writeln!(
            y,
            "    text: |\n      {} **{}** `{}`.",
            sentence(&mut rng, 12),
            word(&mut rng),
            word(&mut rng)
        );
        if rng.usize(..7) == 0 {
            y.push_str("    internal: true\n");
        }
    }
    y.push_str("action_items:\n");
    for a in 0..3 {
        let _ = writeln!(
            y,
            "  - id: a{a}\n    title: {}\n    kind: prevent\n    owner: Team {a}\n    due: {year}-12-01",
            sentence(&mut rng, 6)
        );
    }
    y
}

fn unique(name: &str, i: usize) -> String {
    if i < SERVICES.len() {
        name.to_owned()
    } else {
        format!("{name} {}", i / SERVICES.len() + 1)
    }
}

fn minute_stamp(year: usize, month: usize, day: usize, minute: usize) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(year as i32, month as u32, day as u32)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    (start + chrono::TimeDelta::minutes(minute as i64))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

fn word(rng: &mut fastrand::Rng) -> &'static str {
    WORDS[rng.usize(..WORDS.len())]
}

fn sentence(rng: &mut fastrand::Rng, words: usize) -> String {
    let mut s: Vec<&str> = (0..words).map(|_| word(rng)).collect();
    s[0] = "The";
    s.join(" ")
}

/// Writes `count` logs into `dir`, each with `shape`, and returns their total size in bytes.
pub fn write_folder(dir: &std::path::Path, count: usize, shape: Shape) -> usize {
    std::fs::create_dir_all(dir).unwrap();
    (0..count)
        .map(|i| {
            let text = incident(i, shape);
            std::fs::write(dir.join(format!("gen-{i:06}.yaml")), &text).unwrap();
            text.len()
        })
        .sum()
}
