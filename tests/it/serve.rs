//! `postevent serve`: the built binary serves a folder of logs on 127.0.0.1, refuses paths
//! out of the site, rebuilds on a save, shows a broken log's diagnostics without stopping,
//! recovers when it is fixed, and stops cleanly on Ctrl-C. Every wait is bounded, and every
//! request goes to 127.0.0.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::{fixture, run};

/// How long anything may take on a busy machine before the test fails.
const BOUND: Duration = Duration::from_secs(30);

/// A `postevent serve` process, killed when dropped.
struct Served {
    child: Child,
    addr: SocketAddr,
    /// Holds `incidents/` (the served logs), `tmp/` (the server's TMPDIR) and `stderr.txt`.
    dir: tempfile::TempDir,
}

impl Served {
    /// Serves a copy of the site fixtures on a free port.
    fn start() -> Served {
        Served::start_with(&[])
    }

    /// Serves a copy of the site fixtures and the `extra` logs (name, text).
    fn start_with(extra: &[(&str, &str)]) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("incidents");
        std::fs::create_dir(&logs).unwrap();
        for name in ["dns-typo-2025-12-01.yaml", "cache-stampede-2026-05-02.yaml"] {
            std::fs::copy(fixture("site").join(name), logs.join(name)).unwrap();
        }
        for (name, text) in extra {
            std::fs::write(logs.join(name), text).unwrap();
        }
        std::fs::create_dir(dir.path().join("tmp")).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "SERVE-SECRET-MARKER").unwrap();
        let stderr = std::fs::File::create(dir.path().join("stderr.txt")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_postevent"))
            .args(["serve", "incidents", "--port", "0", "--color", "never"])
            .current_dir(dir.path())
            .env("TMPDIR", dir.path().join("tmp"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let _ = tx.send(line.unwrap_or_default());
            }
        });
        let mut served = Served {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            dir,
        };
        let line = rx
            .recv_timeout(BOUND)
            .unwrap_or_else(|_| panic!("no address printed; stderr:\n{}", served.stderr()));
        let url = line.strip_prefix("serving http://").expect(&line);
        served.addr = url.trim_end_matches('/').parse().expect(&line);
        assert!(served.addr.ip().is_loopback(), "{line}");
        served
    }

    fn log(&self, name: &str) -> PathBuf {
        self.dir.path().join("incidents").join(name)
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("stderr.txt")).unwrap_or_default()
    }

    fn get(&self, path: &str) -> Reply {
        let host = self.addr.to_string();
        self.request(&format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n"))
    }

    /// Sends `head` (a request line and headers) and reads the whole answer.
    fn request(&self, head: &str) -> Reply {
        self.request_within(head, BOUND)
            .unwrap_or_else(|e| panic!("no answer to {head:?} within {BOUND:?}: {e}"))
    }

    /// [`Served::request`], failing when the answer takes longer than `bound`.
    fn request_within(&self, head: &str, bound: Duration) -> std::io::Result<Reply> {
        let mut stream = TcpStream::connect_timeout(&self.addr, bound)?;
        stream.set_read_timeout(Some(bound))?;
        stream.set_write_timeout(Some(bound))?;
        write!(stream, "{head}Connection: close\r\n\r\n")?;
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes)?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").expect(&text);
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect(head);
        Ok(Reply {
            status,
            head: head.to_ascii_lowercase(),
            body: body.to_owned(),
        })
    }

    fn version(&self) -> u64 {
        self.get("/__postevent/version").body.parse().unwrap()
    }

    /// Fetches `path` until `ok` holds (a rebuild has happened); returns the reply and how
    /// long that took.
    fn when(&self, path: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> (Reply, Duration) {
        let start = Instant::now();
        loop {
            let reply = self.get(path);
            if ok(&reply) {
                return (reply, start.elapsed());
            }
            assert!(
                start.elapsed() < BOUND,
                "{path} not {what} after {BOUND:?}; stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    /// The status line and headers, lowercased.
    head: String,
    body: String,
}

impl Reply {
    /// The value of header `name` (lowercase), if present.
    fn header(&self, name: &str) -> Option<&str> {
        self.head
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
            .map(str::trim)
    }
}

/// Replaces a log's text atomically, as editors save.
fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("yaml.tmp-save");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn the_index_is_served_and_paths_out_of_the_site_are_refused() {
    let served = Served::start();
    let index = served.get("/");
    assert_eq!(index.status, 200, "{}", served.stderr());
    assert!(
        index
            .head
            .contains("content-type: text/html; charset=utf-8")
    );
    assert!(index.body.contains("Typo in a DNS zone file"));
    assert!(index.body.contains("__postevent/version.js"));
    let nonce_at = index
        .body
        .find("'nonce-")
        .expect("the policy names a nonce")
        + 7;
    let nonce = &index.body[nonce_at..nonce_at + 32];
    assert!(index.body.contains(&format!("<script nonce=\"{nonce}\">")));

    let page = served.get("/incidents/dns-typo-2025-12-01.html");
    assert_eq!(page.status, 200);
    let feed = served.get("/feed.xml");
    assert!(
        feed.head.contains("content-type: application/xml"),
        "{}",
        feed.head
    );
    assert!(feed.body.contains("http://www.w3.org/2005/Atom"));
    let json = served.get("/search-index.json");
    assert!(
        json.head.contains("content-type: application/json"),
        "{}",
        json.head
    );

    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/incidents/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
    ] {
        let reply = served.get(path);
        assert!(
            matches!(reply.status, 403 | 404),
            "{path}: {}",
            reply.status
        );
        assert!(!reply.body.contains("SERVE-SECRET-MARKER"), "{path}");
    }
    let path = served.dir.path().join("secret.txt");
    let absolute = served.get(&path.display().to_string());
    assert_eq!(absolute.status, 404);
    assert_eq!(served.get("/nothing-here.html").status, 404);

    // Another site's page, rebound by DNS to 127.0.0.1, gets nothing.
    let rebound = served.request("GET / HTTP/1.1\r\nHost: evil.example\r\n");
    assert_eq!(rebound.status, 403);
    let post = served.request(&format!("POST / HTTP/1.1\r\nHost: {}\r\n", served.addr));
    assert_eq!(post.status, 405);
}

#[test]
fn a_save_rebuilds_a_broken_log_shows_its_diagnostics_and_a_fix_recovers() {
    let served = Served::start();
    let log = served.log("dns-typo-2025-12-01.yaml");
    let valid = std::fs::read_to_string(&log).unwrap();
    let v1 = served.version();

    save(
        &log,
        &valid.replace("Typo in a DNS zone file", "Edited title"),
    );
    let (_, latency) = served.when("/", "rebuilt", |r| r.body.contains("Edited title"));
    eprintln!("serve: a save was served after {latency:?}");
    let v2 = served.version();
    assert!(v2 > v1, "{v1} -> {v2}");

    save(
        &log,
        &valid.replace("      Status page:", "      Status <i>pages</i>:"),
    );
    let (broken, _) = served.when("/", "broken", |r| r.status == 500);
    let v3 = served.version();
    assert!(v3 > v2, "{v2} -> {v3}");
    assert!(broken.body.contains("E012"), "{}", broken.body);
    assert!(broken.body.contains("dns-typo-2025-12-01.yaml"));
    assert!(broken.body.contains("Status &lt;i&gt;pages&lt;/i&gt;"));
    assert!(!broken.body.contains("<i>pages"));
    assert!(broken.body.contains(&format!("var version = \"{v3}\"")));
    let page = served.get("/incidents/cache-stampede-2026-05-02.html");
    assert!(page.body.contains("E012"), "every page shows why");
    assert_eq!(served.get("/search-index.json").status, 200);

    save(&log, &valid);
    let (fixed, _) = served.when("/", "fixed", |r| r.status == 200);
    assert!(served.version() > v3);
    assert!(!fixed.body.contains("E012"));
    assert!(fixed.body.contains("Typo in a DNS zone file"));
    assert!(
        served.stderr().contains("E012"),
        "the terminal hears it too"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_and_removes_the_built_site() {
    let mut served = Served::start();
    assert_eq!(served.get("/").status, 200);
    let tmp = served.dir.path().join("tmp");
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        1,
        "the site is built there"
    );
    let pid = served.child.id().to_string();
    let killed = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < BOUND, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}; stderr:\n{}", served.stderr());
    assert!(served.stderr().contains("stopped"));
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "the site is removed"
    );
}

#[test]
fn a_missing_folder_or_a_busy_port_is_an_error() {
    run(&["serve", "no-such-folder"])
        .code(2)
        .stderr_has(&["no-such-folder", "no such file or folder"]);
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let site = fixture("site").display().to_string();
    run(&["serve", &site, "--port", &port])
        .code(2)
        .stderr_has(&["cannot listen on 127.0.0.1", "--port 0"]);
    run(&["serve", &site, "--port", "70000"]).code(2);
}

/// Regression: `GET //incidents` answered `Location: //incidents/`, which a browser reads as
/// the host `incidents`. And every answer now says `Cross-Origin-Resource-Policy:
/// same-origin`, so that another site's page cannot include one (see the browser test).
#[test]
fn every_answer_keeps_to_its_own_origin() {
    let served = Served::start();
    for (path, location) in [
        ("//incidents", "/incidents/"),
        ("///incidents?q=1", "/incidents/"),
        ("/incidents", "/incidents/"),
        ("//services//", ""),
    ] {
        let reply = served.get(path);
        if location.is_empty() {
            assert_eq!(reply.header("location"), None, "{path}");
            continue;
        }
        assert_eq!(reply.status, 301, "{path}");
        assert_eq!(reply.header("location"), Some(location), "{path}");
    }
    let host = served.addr.to_string();
    let replies = [
        served.get("/"),
        served.get("/search-index.js"),
        served.get("/search-index.json"),
        served.get("/missing.html"),
        served.get("/../secret.txt"),
        served.get("/incidents"),
        served.get("/__postevent/version"),
        served.get("/__postevent/version.js"),
        served.request("GET / HTTP/1.1\r\nHost: evil.example\r\n"),
        served.request(&format!("POST / HTTP/1.1\r\nHost: {host}\r\n")),
        served.request(&format!("HEAD / HTTP/1.1\r\nHost: {host}\r\n")),
    ];
    for reply in replies {
        assert_eq!(
            reply.header("cross-origin-resource-policy"),
            Some("same-origin"),
            "{}",
            reply.head
        );
    }
}

/// A valid log whose incident page is larger than what a socket buffers (about 4 MB on
/// Linux), so that a client that never reads blocks the write of it.
fn large_log() -> String {
    let text = std::fs::read_to_string(fixture("site/dns-typo-2025-12-01.yaml")).unwrap();
    let words = "The status page stays down while the zone is reloaded. ".repeat(160_000);
    text.replace("id: dns-typo-2025-12-01", "id: large-page")
        .replace(
            "A customer reports the status page is down.",
            &format!("\"{words}\""),
        )
}

/// The threads of process `pid` (Linux).
fn threads(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task")).map_or(0, |d| d.count())
}

/// Regression: one thread answered every request and wrote without a timeout, so a client
/// that asked for a large page and never read stalled every other request and every rebuild;
/// and every connection got a thread of its own (1,000 idle connections made 1,005 threads).
#[test]
fn a_stuck_client_stalls_nobody_and_connections_are_bounded() {
    let large = large_log();
    let served = Served::start_with(&[("large.yaml", &large)]);
    let host = served.addr.to_string();
    let page = "/incidents/large-page.html";
    let whole = served.get(page);
    assert_eq!(whole.status, 200, "{}", served.stderr());
    assert!(
        whole.body.len() > 8_000_000,
        "the page is only {} bytes",
        whole.body.len()
    );

    // A client asks for the page and never reads it.
    let mut stuck = TcpStream::connect_timeout(&served.addr, BOUND).unwrap();
    write!(stuck, "GET {page} HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let quick = Duration::from_secs(5);
    let started = Instant::now();
    let other = served.request_within(&format!("GET / HTTP/1.1\r\nHost: {host}\r\n"), quick);
    let other = other.unwrap_or_else(|e| panic!("no answer while a client is stuck: {e}"));
    assert_eq!(other.status, 200);
    eprintln!(
        "serve: answered in {:?} with a client stuck",
        started.elapsed()
    );
    let log = served.log("dns-typo-2025-12-01.yaml");
    let valid = std::fs::read_to_string(&log).unwrap();
    save(
        &log,
        &valid.replace("Typo in a DNS zone file", "Edited title"),
    );
    served.when("/", "rebuilt", |r| r.body.contains("Edited title"));

    #[cfg(target_os = "linux")]
    {
        let pid = served.child.id();
        let before = threads(pid);
        let idle: Vec<TcpStream> = (0..1_000)
            .filter_map(|_| TcpStream::connect_timeout(&served.addr, BOUND).ok())
            .collect();
        std::thread::sleep(Duration::from_millis(500));
        let during = threads(pid);
        eprintln!(
            "serve: {before} threads, {during} with {} idle connections",
            idle.len()
        );
        assert!(
            during <= 32,
            "{during} threads for {} connections",
            idle.len()
        );
        drop(idle);
    }
    drop(stuck);
    let (after, _) = served.when("/", "answered after the flood", |r| r.status == 200);
    assert!(after.body.contains("Edited title"));
}

/// A web server of another origin (another port of 127.0.0.1) for the browser test: answers
/// each GET of a known path with its content type and body, until dropped.
struct Origin {
    addr: SocketAddr,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Origin {
    fn start(routes: Vec<(&'static str, &'static str, String)>) -> Origin {
        use std::sync::atomic::{AtomicBool, Ordering};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            while !flag.load(Ordering::Relaxed) && started.elapsed() < 4 * BOUND {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                };
                stream.set_nonblocking(false).unwrap();
                stream.set_read_timeout(Some(BOUND)).unwrap();
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let _ = reader.read_line(&mut line);
                let path = line.split(' ').nth(1).unwrap_or_default().to_owned();
                let found = routes.iter().find(|(p, _, _)| *p == path);
                let (status, kind, body) = match found {
                    Some((_, kind, body)) => ("200 OK", *kind, body.as_str()),
                    None => ("404 Not Found", "text/plain", "not found"),
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
                     X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n\
                     Connection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Origin { addr, stop }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Origin {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Regression: any web page could read the preview's search index (every title, summary,
/// service and tag) with `<script src="http://127.0.0.1:PORT/search-index.js">`; the Host
/// check does not stop a script include. Proved in headless Chromium: a page of another
/// origin reads the same script from a server that sends everything but
/// `Cross-Origin-Resource-Policy` (so the test can fail), and nothing from `serve`.
#[test]
fn browser_a_page_of_another_origin_cannot_read_the_search_index() {
    if !crate::browser::enabled() {
        return;
    }
    let served = Served::start();
    let index = served.get("/search-index.js");
    assert!(index.body.starts_with("window.POSTEVENT_SEARCH"));
    let copy = Origin::start(vec![(
        "/search-index.js",
        "text/javascript; charset=utf-8",
        index.body.clone(),
    )]);
    let page = |src: String| {
        format!(
            "<!DOCTYPE html><html><head><title>nothing read</title>\
             <script src=\"{src}\"></script><script>\
             if (window.POSTEVENT_SEARCH) {{ document.title = 'READ: ' + \
             window.POSTEVENT_SEARCH.map(function (i) {{ return i.title; }}).join(' | '); }}\
             </script></head><body></body></html>"
        )
    };
    let attacker = Origin::start(vec![
        (
            "/serve.html",
            "text/html; charset=utf-8",
            page(format!("http://{}/search-index.js", served.addr)),
        ),
        (
            "/control.html",
            "text/html; charset=utf-8",
            page(copy.url("/search-index.js")),
        ),
    ]);
    let control = crate::browser::title_of_url(&attacker.url("/control.html"));
    assert!(
        control.starts_with("READ: ") && control.contains("Typo in a DNS zone file"),
        "the control page read nothing: {control:?}"
    );
    let title = crate::browser::title_of_url(&attacker.url("/serve.html"));
    assert_eq!(title, "nothing read", "another origin read the index");
}
