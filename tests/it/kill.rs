//! A process killed with SIGKILL at any moment leaves the previous output or the new one,
//! never a mix; `log` never loses an event it reported written, and never writes one twice.
//!
//! The delays before each kill are spread over a whole run (measured first), with a fixed
//! seed, so some kills land while the output is being written.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_postevent"))
        .args(args)
        .args(["--color", "never"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Kills `child` with SIGKILL after `delay`, unless it ended before; whether it succeeded.
fn kill_after(mut child: Child, delay: Duration) -> bool {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.success();
        }
        if start.elapsed() >= delay {
            child.kill().unwrap();
            child.wait().unwrap();
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Runs `attempt` with kill delays spread over `took`, at least `min` times and until both
/// outcomes were seen (or 64 tries): returns how many runs were cut short and how many ended.
/// `attempt(delay)` says whether the run ended (the new output). Other tests running beside
/// these make a run's length vary, so the range of delays adapts: longer while no run has
/// ended, shorter while none was cut short. Regression: a fixed range once saw 16 runs cut
/// short and none end, and failed.
fn sweep(
    min: usize,
    mut took: Duration,
    seed: u64,
    mut attempt: impl FnMut(Duration) -> bool,
) -> (usize, usize) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let (mut cut, mut ended) = (0, 0);
    for tries in 0..64 {
        if tries >= min && cut > 0 && ended > 0 {
            break;
        }
        if attempt(took.mul_f64(rng.f64() * 1.3)) {
            ended += 1;
            if cut == 0 {
                took = took.mul_f64(0.8);
            }
        } else {
            cut += 1;
            if ended == 0 {
                took = took.mul_f64(1.25);
            }
        }
    }
    (cut, ended)
}

/// How long one full run of `args` takes.
fn time_of(args: &[&str]) -> Duration {
    let start = Instant::now();
    assert!(kill_after(spawn(args), Duration::from_secs(120)));
    start.elapsed()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A valid log of `events` events, each with a paragraph of text, so that a report of it
/// takes long enough to be killed in every phase (reading, rendering, writing).
fn long_log(path: &Path, events: usize) {
    let mut text = String::from(
        "title: Killed mid-write\nseverity: SEV3\nstatus: resolved\nservices: [API]\ntimeline:\n",
    );
    for i in 0..events {
        let at = 10 * 3600 + i;
        text += &format!(
            "  - at: 2026-01-01T{:02}:{:02}:{:02}Z\n",
            at / 3600,
            at / 60 % 60,
            at % 60
        );
        if i == 0 {
            text += "    phase: started\n    status: {API: major_outage}\n";
        } else if i == events - 1 {
            text += "    phase: resolved\n    status: {API: operational}\n";
        }
        text += &format!(
            "    text: Event {i} with **some** Markdown and a [link](https://x.example/{i}).\n"
        );
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_killed_report_leaves_the_old_file_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("long.yaml");
    long_log(&log, 1_500);
    let reference = dir.path().join("reference.html");
    let took = time_of(&["report", s(&log), "-o", s(&reference)]);
    let new = std::fs::read(&reference).unwrap();
    let old = b"<!DOCTYPE html><title>the previous report</title>".to_vec();
    let out = dir.path().join("report.html");
    let (kept_old, got_new) = sweep(16, took, 7, |delay| {
        std::fs::write(&out, &old).unwrap();
        kill_after(spawn(&["report", s(&log), "-o", s(&out)]), delay);
        let now = std::fs::read(&out).unwrap();
        assert!(
            now == old || now == new,
            "a mix: {} bytes after a kill",
            now.len()
        );
        now == new
    });
    // Both outcomes happen, so kills did land before and after the rename.
    assert!(kept_old > 0 && got_new > 0, "old {kept_old}, new {got_new}");
}

#[test]
fn a_killed_log_loses_and_duplicates_no_event() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("killed.yaml");
    long_log(&path, 500);
    let took = time_of(&[
        "log",
        s(&path),
        "calibration",
        "--at",
        "2026-01-01T11:00:00Z",
    ]);
    let mut written = Vec::new();
    let mut killed = Vec::new();
    let mut i = 0;
    sweep(24, took, 11, |delay| {
        i += 1;
        let text = format!("kill-test event {i}");
        let at = format!("2026-01-01T{:02}:{:02}:00Z", 11 + i / 60, i % 60);
        let ended = kill_after(spawn(&["log", s(&path), &text, "--at", &at]), delay);
        if ended {
            written.push(text);
        } else {
            killed.push(text);
        }
        ended
    });
    let yaml = std::fs::read_to_string(&path).unwrap();
    crate::run(&["check", s(&path)]).code(0);
    for text in &written {
        assert_eq!(yaml.matches(&format!("{text}\n")).count(), 1, "{text}");
    }
    for text in &killed {
        assert!(
            yaml.matches(&format!("{text}\n")).count() <= 1,
            "{text} twice"
        );
    }
    assert!(
        !written.is_empty() && !killed.is_empty(),
        "{written:?} {killed:?}"
    );
}

/// Every file of a built site, with its bytes (the build cache is kept beside the site).
fn site(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Folder `logs` of 40 incidents (the bundled AWS log under 40 ids).
fn many_logs(dir: &Path) -> std::path::PathBuf {
    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let aws =
        std::fs::read_to_string(crate::root().join("incidents/aws-us-east-1-2025-10-20.yaml"))
            .unwrap()
            .replace("id: aws-us-east-1-2025-10-20", "");
    for i in 0..40 {
        std::fs::write(logs.join(format!("inc-{i}.yaml")), &aws).unwrap();
    }
    logs
}

/// A full build (a new audience means no usable cache) is written beside the site and
/// swapped in: killed at any moment, the site is the old one or the new one.
#[test]
fn a_killed_full_build_leaves_the_old_site_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let logs = many_logs(dir.path());
    let out = dir.path().join("site");
    let build = |audience: &'static str| -> [&str; 7] {
        [
            "build",
            s(&logs),
            "-o",
            s(&out),
            "-q",
            "--audience",
            audience,
        ]
    };
    let (internal, public) = (build("internal"), build("public"));
    time_of(&public);
    let public_site = site(&out);
    let took = time_of(&internal);
    let internal_site = site(&out);
    assert_ne!(public_site, internal_site);
    let (kept_old, got_new) = sweep(10, took, 13, |delay| {
        // The site is the internal one; a killed public build leaves it or the public one.
        kill_after(spawn(&public), delay);
        let now = site(&out);
        assert!(
            now == internal_site || now == public_site,
            "a mix of {} files after a kill",
            now.len()
        );
        let ended = now == public_site;
        assert!(kill_after(spawn(&internal), Duration::from_secs(120)));
        assert!(site(&out) == internal_site);
        ended
    });
    assert!(kept_old > 0 && got_new > 0, "old {kept_old}, new {got_new}");
}

/// An incremental build updates the site in place, file by file; killed half-way, the next
/// build repairs it. Regression: the old cache stayed, so the next build trusted it and kept
/// a mix of old and new pages. The kills sweep the second half of a run, where it writes.
#[test]
fn the_build_after_a_killed_incremental_build_repairs_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let logs = many_logs(dir.path());
    let out = dir.path().join("site");
    let args = ["build", s(&logs), "-o", s(&out), "-q"];
    let original = std::fs::read_to_string(logs.join("inc-0.yaml")).unwrap();
    let changed = original.replacen("title: ", "title: Edited ", 1);
    let stamp = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600);
    // Half of the logs change, with the same modification time either way.
    let set = |text: &str| {
        for i in 0..20 {
            let path = logs.join(format!("inc-{i}.yaml"));
            std::fs::write(&path, text).unwrap();
            let f = std::fs::File::options().write(true).open(&path).unwrap();
            f.set_modified(stamp).unwrap();
        }
    };
    set(&original);
    time_of(&args);
    let before = site(&out);
    set(&changed);
    let took = time_of(&args);
    set(&original);
    time_of(&args);
    assert!(site(&out) == before);
    let tries = 24;
    for i in 0..tries {
        set(&changed);
        let delay = took.mul_f64(0.4 + 0.7 * f64::from(i) / f64::from(tries));
        kill_after(spawn(&args), delay);
        set(&original);
        assert!(kill_after(spawn(&args), Duration::from_secs(120)));
        assert!(
            site(&out) == before,
            "the build after a kill left a stale page"
        );
    }
}
