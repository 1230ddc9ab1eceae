//! `postevent lsp` as an editor sees it: a JSON-RPC client spawns the built binary, frames
//! messages with `Content-Length`, and waits for every answer with a deadline, so that a hung
//! server fails the test instead of hanging CI.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::{fixture, run};

/// How long anything may take on a busy machine before the test fails.
const BOUND: Duration = Duration::from_secs(30);

/// A `postevent lsp` process and the messages it sent, killed when dropped.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    received: mpsc::Receiver<Value>,
    /// Notifications read while waiting for something else, oldest first.
    pending: Vec<Value>,
    next_id: i64,
    dir: tempfile::TempDir,
}

impl Client {
    fn start(args: &[&str]) -> Client {
        let dir = tempfile::tempdir().unwrap();
        let stderr = std::fs::File::create(dir.path().join("stderr.txt")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_postevent"))
            .arg("lsp")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, received) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            received,
            pending: Vec::new(),
            next_id: 1,
            dir,
        }
    }

    /// Starts a server and completes the handshake; returns the server's capabilities.
    fn initialized() -> (Client, Value) {
        let mut client = Client::start(&[]);
        let reply = client.request("initialize", json!({ "capabilities": {} }));
        client.notify("initialized", json!({}));
        (client, reply["result"]["capabilities"].clone())
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("stderr.txt")).unwrap_or_default()
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        self.send_raw(
            &[
                format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes(),
                &body,
            ]
            .concat(),
        );
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response (keeping notifications for later).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(&format!("the answer to {method}"), |m| m["id"] == json!(id))
    }

    /// Waits for the first message that `wanted` accepts.
    fn wait(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&wanted) {
            return self.pending.remove(i);
        }
        let deadline = Instant::now() + BOUND;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.received.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.pending.push(message),
                Err(_) => panic!(
                    "no {what} within {BOUND:?}; received {:#?}\nstderr:\n{}",
                    self.pending,
                    self.stderr()
                ),
            }
        }
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self.wait(&format!("diagnostics of {uri} v{version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, text: &str) {
        let document = json!({ "uri": uri, "languageId": "yaml", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": document }));
    }

    fn at(&mut self, method: &str, uri: &str, line: u32, character: u32) -> Value {
        let params = json!({
            "textDocument": { "uri": uri },
            "position": { "line": line, "character": character },
        });
        self.request(method, params)["result"].clone()
    }

    /// Closes stdin and waits for the exit status; returns it with what went to stderr.
    fn finish(mut self) -> (i32, String) {
        drop(self.stdin.take());
        let deadline = Instant::now() + BOUND;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status.code().expect("exited, not killed"), self.stderr());
            }
            assert!(
                Instant::now() < deadline,
                "the server did not exit; stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One framed message from the server, or `None` at the end of its output.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.strip_suffix("\r\n").expect("headers end in CRLF");
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = Some(n.parse::<usize>().unwrap());
        }
    }
    let mut body = vec![0; length.expect("a Content-Length header")];
    reader.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("a JSON body"))
}

/// The labels of completion items, in order.
fn labels(items: &Value) -> Vec<&str> {
    let items = items.as_array().expect("a list of completions");
    items.iter().map(|i| i["label"].as_str().unwrap()).collect()
}

/// `(line, character)` of a position or of a range's start and end.
fn pos(v: &Value) -> (u64, u64) {
    (
        v["line"].as_u64().unwrap(),
        v["character"].as_u64().unwrap(),
    )
}

fn range(v: &Value) -> [(u64, u64); 2] {
    [pos(&v["start"]), pos(&v["end"])]
}

const URI: &str = "file:///tmp/incidents/cafe-outage.yaml";

/// A log whose line 12 has `Café 😀` (one UTF-16 unit and two, 5 and 4 bytes) before a
/// misspelt service: its range must count UTF-16 units (column 44), not characters (43) or
/// bytes (47).
const BAD: &str = "\
title: Café checkout outage
severity: SEV2
status: resolved
timezone: Europe/Berlin
summary: Card payments failed for twenty minutes.
services:
  - Café 😀
  - name: DynamoDB
    description: The orders table
timeline:
  - at: 2026-03-14 10:00
    phase: started
    status: {Café 😀: degraded_performance, Dynamodb: major_outage}
    text: Checkout errors climb.
  - at: 10:05
    phase: detected
    text: The on-call is paged.
  - at: 10:20
    phase: resolved
    status:
      Café 😀: operational
      DynamoDB: operational
    text: Rolled back.
";

/// The log fixed.
fn good() -> String {
    BAD.replace("Dynamodb:", "DynamoDB:")
}

#[test]
fn an_editor_session_diagnoses_explains_completes_navigates_and_fixes() {
    let (mut client, capabilities) = Client::initialized();
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 1, "full sync");
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(capabilities["definitionProvider"], true);
    assert_eq!(
        capabilities["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    assert!(capabilities["completionProvider"].is_object());

    // didOpen a bad log: check's diagnostic, at the right UTF-16 range.
    client.open(URI, BAD);
    let diagnostics = client.diagnostics(URI, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "E012");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "postevent");
    assert_eq!(
        d["message"],
        "unknown service `Dynamodb`\nhelp: did you mean `DynamoDB`?"
    );
    assert_eq!(range(&d["range"]), [(12, 44), (12, 52)]);

    // Its "did you mean" is a quick fix that rewrites exactly that range.
    let params = json!({
        "textDocument": { "uri": URI },
        "range": d["range"],
        "context": { "diagnostics": [d] },
    });
    let actions = client.request("textDocument/codeAction", params)["result"].clone();
    assert_eq!(actions.as_array().unwrap().len(), 1, "{actions:#?}");
    let action = &actions[0];
    assert_eq!(action["title"], "Change `Dynamodb` to `DynamoDB`");
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["isPreferred"], true);
    assert_eq!(action["diagnostics"][0]["code"], "E012");
    let edits = &action["edit"]["changes"][URI];
    assert_eq!(edits.as_array().unwrap().len(), 1);
    assert_eq!(edits[0]["newText"], "DynamoDB");
    assert_eq!(range(&edits[0]["range"]), [(12, 44), (12, 52)]);

    // Times need a valid log: the hover says so instead of guessing.
    let hover = client.at("textDocument/hover", URI, 14, 9);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("no errors (1 error now)"), "{text}");

    // didChange to the fixed text: the diagnostics are cleared.
    let change = json!({
        "textDocument": { "uri": URI, "version": 2 },
        "contentChanges": [{ "text": good() }],
    });
    client.notify("textDocument/didChange", change);
    assert_eq!(client.diagnostics(URI, 2), Vec::<Value>::new());

    // Hover on `at: 10:05`: UTC, the display zone, the time since `started`.
    let hover = client.at("textDocument/hover", URI, 14, 9);
    assert_eq!(
        hover["contents"]["value"],
        "**2026-03-14 09:05 UTC**\n\n2026-03-14 10:05 CET (Europe/Berlin)\n\n5m after `started`"
    );
    assert_eq!(range(&hover["range"]), [(14, 8), (14, 13)]);

    // Hover on a service in a status map: its impact window, in the display zone.
    let hover = client.at("textDocument/hover", URI, 20, 7);
    assert_eq!(
        hover["contents"]["value"],
        "**Café 😀**\n\nImpact windows (Europe/Berlin):\n- 2026-03-14 10:00 CET to 2026-03-14 10:20 CET: 20m, worst degraded performance\n\nIn all: 20m"
    );

    // Hover on a phase: the metric it ends.
    let hover = client.at("textDocument/hover", URI, 15, 12);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with("**detected**: 2026-03-14 10:05 CET"),
        "{text}"
    );
    assert!(
        text.contains("Ends **Time to detect** (from `started` to here): 5m"),
        "{text}"
    );

    // Go to definition: from a status key to the declaration.
    let location = client.at("textDocument/definition", URI, 21, 8);
    assert_eq!(location["uri"], URI);
    assert_eq!(range(&location["range"]), [(7, 10), (7, 18)]);
    let location = client.at("textDocument/definition", URI, 12, 15);
    assert_eq!(range(&location["range"]), [(6, 4), (6, 11)]);

    // Completion under `status:`: a new line with a half-typed service name.
    let typing = good().replace(
        "      DynamoDB: operational\n",
        "      DynamoDB: operational\n      Ca\n",
    );
    let change = json!({
        "textDocument": { "uri": URI, "version": 3 },
        "contentChanges": [{ "text": typing }],
    });
    client.notify("textDocument/didChange", change);
    let items = client.at("textDocument/completion", URI, 22, 8);
    // Both services are declared; the map already has both keys, so none is offered twice.
    assert_eq!(labels(&items), Vec::<&str>::new(), "{items:#?}");
    let typing = good().replace("      DynamoDB: operational\n", "      Dy\n");
    let change = json!({
        "textDocument": { "uri": URI, "version": 4 },
        "contentChanges": [{ "text": typing }],
    });
    client.notify("textDocument/didChange", change);
    let items = client.at("textDocument/completion", URI, 21, 8);
    assert_eq!(labels(&items), ["DynamoDB"], "{items:#?}");
    assert_eq!(items[0]["textEdit"]["newText"], "DynamoDB: ");
    assert_eq!(range(&items[0]["textEdit"]["range"]), [(21, 6), (21, 8)]);
    assert_eq!(items[0]["detail"], "The orders table");

    // Completion of a phase, a severity and a service status: the model's lists.
    let items = client.at("textDocument/completion", URI, 15, 13);
    assert_eq!(
        labels(&items),
        [
            "started",
            "detected",
            "acknowledged",
            "identified",
            "mitigated",
            "resolved"
        ]
    );
    assert_eq!(range(&items[0]["textEdit"]["range"]), [(15, 11), (15, 19)]);
    let items = client.at("textDocument/completion", URI, 1, 12);
    assert_eq!(items.as_array().unwrap().len(), 5);
    assert_eq!(items[0]["label"], "SEV1");
    let items = client.at("textDocument/completion", URI, 20, 20);
    assert_eq!(items[3]["label"], "major_outage");
    assert_eq!(items[3]["detail"], "major outage");

    // Shutdown, then exit: status 0.
    let reply = client.request("shutdown", Value::Null);
    assert_eq!(reply["result"], Value::Null);
    assert!(reply.get("error").is_none());
    client.notify("exit", Value::Null);
    assert_eq!(client.finish(), (0, String::new()));
}

#[test]
fn protocol_errors_get_the_json_rpc_codes_and_the_session_goes_on() {
    // `--stdio`, which some editors pass, changes nothing.
    let mut client = Client::start(&["--stdio"]);
    let hover = json!({
        "textDocument": { "uri": URI },
        "position": { "line": 0, "character": 0 },
    });
    // Before `initialize`: ServerNotInitialized.
    let reply = client.request("textDocument/hover", hover.clone());
    assert_eq!(reply["error"]["code"], -32002);
    client.request("initialize", json!({ "capabilities": {} }));
    client.notify("initialized", json!({}));
    // An unknown method: MethodNotFound, naming it.
    let reply = client.request("textDocument/formatting", json!({}));
    assert_eq!(reply["error"]["code"], -32601);
    assert!(
        reply["error"]["message"]
            .as_str()
            .unwrap()
            .contains("textDocument/formatting")
    );
    // Parameters of the wrong shape: InvalidParams.
    let reply = client.request("textDocument/hover", json!({ "position": "here" }));
    assert_eq!(reply["error"]["code"], -32602);
    // A body that is not JSON is skipped and reported in the client's log.
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let log = client.wait("a log message", |m| m["method"] == "window/logMessage");
    assert!(
        log["params"]["message"]
            .as_str()
            .unwrap()
            .contains("not JSON-RPC"),
        "{log}"
    );
    // A document nobody opened: no answer, not an error.
    let reply = client.request("textDocument/hover", hover.clone());
    assert_eq!(reply["result"], Value::Null);
    assert!(reply.get("error").is_none());
    // Unknown notifications are ignored.
    client.notify("$/setTrace", json!({ "value": "off" }));
    client.request("shutdown", Value::Null);
    // After `shutdown`, requests are invalid.
    let reply = client.request("textDocument/hover", hover);
    assert_eq!(reply["error"]["code"], -32600);
    client.notify("exit", Value::Null);
    assert_eq!(client.finish(), (0, String::new()));
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let (mut client, _) = Client::initialized();
    client.notify("exit", Value::Null);
    let (code, stderr) = client.finish();
    assert_eq!(code, 1);
    assert!(
        stderr.contains("`exit` came without `shutdown`"),
        "{stderr}"
    );
    let (client, _) = Client::initialized();
    let (code, stderr) = client.finish();
    assert_eq!(code, 1, "stdin closed without shutdown");
    assert!(
        stderr.contains("closed the connection without `shutdown`"),
        "{stderr}"
    );
    // `shutdown`, then the end of the stream without `exit`: as clean as `exit`.
    let (mut client, _) = Client::initialized();
    client.request("shutdown", Value::Null);
    assert_eq!(client.finish(), (0, String::new()));
    // A stream that is not LSP at all ends the session with status 1 and says why.
    let mut client = Client::start(&[]);
    client.send_raw(b"GET / HTTP/1.1\r\n\r\n");
    let (code, stderr) = client.finish();
    assert_eq!(code, 1);
    assert!(
        stderr.contains("not LSP: malformed header `GET / HTTP/1.1`"),
        "{stderr}"
    );
}

#[test]
fn a_log_that_does_not_parse_still_gets_diagnostics_and_answers() {
    let (mut client, _) = Client::initialized();
    let text =
        "title: x\nseverity: SEV2\ntimeline:\n  - at: 2026-01-01 10:00\n    text: \"unclosed\n";
    client.open(URI, text);
    let diagnostics = client.diagnostics(URI, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "E001");
    // Completion still works on what parsed before the error.
    let items = client.at("textDocument/completion", URI, 1, 11);
    assert_eq!(items[0]["label"], "SEV1");
    let hover = client.at("textDocument/hover", URI, 3, 10);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("no errors"),
        "{hover}"
    );
}

/// Each hostile document gets its diagnostics, and the server still answers a request on it
/// within the bound.
#[test]
fn huge_and_hostile_documents_neither_crash_nor_hang_the_server() {
    let (mut client, _) = Client::initialized();
    let nested = format!("{}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let mut aliases = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        aliases.push_str(
            &format!(
                "a{i}: &a{i} [*a{}, *a{}, *a{}, *a{}, *a{}, *a{}, *a{}, *a{}, *a{}, *a{}]\n",
                i - 1,
                i - 1,
                i - 1,
                i - 1,
                i - 1,
                i - 1,
                i - 1,
                i - 1,
                i - 1,
                i - 1
            )
            .replace("*a0", "*a"),
        );
    }
    let long_line = format!("title: {}\nseverity: SEV9\n", "x".repeat(5_000_000));
    let many = {
        let mut s = String::from("title: t\nseverity: SEV3\ntimeline:\n");
        for i in 0..2_000 {
            s.push_str(&format!(
                "  - at: 2026-01-01 10:00\n    phase: nope{i}\n    text: x\n"
            ));
        }
        s
    };
    let cases = [
        ("nested", nested),
        ("aliases", aliases),
        ("long-line", long_line),
        ("many-errors", many),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in &cases {
        let path = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&path, text).unwrap();
        let checked = check_json(&path);
        let uri = format!("file://{}", path.display());
        client.open(&uri, text);
        let started = Instant::now();
        let diagnostics = client.diagnostics(&uri, 1);
        assert_eq!(diagnostics.len(), checked.len(), "{name}");
        assert_eq!(diagnostics[0]["code"], checked[0]["code"], "{name}");
        client.at("textDocument/hover", &uri, 0, 3);
        client.at("textDocument/completion", &uri, 1, 11);
        eprintln!(
            "{name}: {} diagnostics, {:?}",
            diagnostics.len(),
            started.elapsed()
        );
    }
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.finish(), (0, String::new()));
}

#[test]
fn a_log_over_max_file_bytes_is_refused_with_a_diagnostic() {
    let mut client = Client::start(&["--max-file-bytes", "100"]);
    client.request("initialize", json!({ "capabilities": {} }));
    client.open(URI, &good());
    let diagnostics = client.diagnostics(URI, 1);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["code"], "E021");
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("larger than the limit of 100 bytes")
    );
}

/// The server publishes what `check --format json` reports for every invalid fixture: the
/// same codes, messages, hints and places.
#[test]
fn every_fixture_gets_the_diagnostics_of_check() {
    let (mut client, _) = Client::initialized();
    let dir = fixture("invalid");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    paths.sort();
    assert!(paths.len() >= 28, "{paths:?}");
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(
            !text.chars().any(|c| c.len_utf16() > 1),
            "columns differ for astral characters"
        );
        let uri = format!("file://{}", path.display());
        client.open(&uri, &text);
        let published = client.diagnostics(&uri, 1);
        let checked = check_json(path);
        if path.ends_with("e020-duplicate-service.yaml") {
            let related = &published[0]["relatedInformation"][0];
            assert_eq!(related["message"], "first declared here");
            assert_eq!(related["location"]["uri"], uri.as_str());
        }
        assert_eq!(published.len(), checked.len(), "{}", path.display());
        for (lsp, json) in published.iter().zip(&checked) {
            assert_eq!(lsp["code"], json["code"], "{}", path.display());
            let message = match json["hint"].as_str() {
                Some(hint) => format!("{}\nhelp: {hint}", json["message"].as_str().unwrap()),
                None => json["message"].as_str().unwrap().to_owned(),
            };
            assert_eq!(lsp["message"], message.as_str(), "{}", path.display());
            let severity = if json["severity"] == "error" { 1 } else { 2 };
            assert_eq!(lsp["severity"], severity);
            if let Some(line) = json["line"].as_u64() {
                let [start, end] = range(&lsp["range"]);
                let column = |c: &Value| c.as_u64().unwrap() - 1;
                assert_eq!(
                    start,
                    (line - 1, column(&json["column"])),
                    "{}",
                    path.display()
                );
                assert_eq!(
                    end,
                    (
                        json["end_line"].as_u64().unwrap() - 1,
                        column(&json["end_column"])
                    )
                );
            }
        }
    }
}

/// `postevent check --format json PATH`, one object per diagnostic.
fn check_json(path: &Path) -> Vec<Value> {
    let out = run(&["check", "--format", "json", path.to_str().unwrap()]);
    out.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Neovim (Debian's 0.7) as the client, headless, configured by the snippet of
/// docs/editors.md: runs when `POSTEVENT_EDITOR_TEST=1`, which CI sets after installing
/// `neovim`. The docs claim for Neovim what this shows.
#[test]
fn neovim_configured_as_the_docs_say_gets_diagnostics_a_hover_and_completions() {
    let init = crate::root().join("tests/editors/neovim-init.lua");
    let config = std::fs::read_to_string(&init).unwrap();
    let docs = std::fs::read_to_string(crate::root().join("docs/editors.md")).unwrap();
    assert!(
        docs.contains(&config),
        "docs/editors.md lost the tested Neovim config"
    );
    let enabled = std::env::var_os("POSTEVENT_EDITOR_TEST").is_some_and(|v| v == "1");
    if !enabled {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("incidents")).unwrap();
    let log = dir.path().join("incidents/cafe-outage.yaml");
    std::fs::write(&log, BAD).unwrap();
    let out = dir.path().join("nvim.json");
    let driver = crate::root().join("tests/editors/neovim.lua");
    // The config runs `postevent`: the built one comes first on PATH.
    let bin = Path::new(env!("CARGO_BIN_EXE_postevent")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_owned()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let mut nvim = Command::new("nvim")
        .args(["--headless", "-i", "NONE", "-u"])
        .arg(&init)
        .arg("-c")
        .arg(format!("luafile {}", driver.display()))
        .env("PATH", path)
        .env("POSTEVENT_LOG", &log)
        .env("POSTEVENT_NVIM_OUT", &out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("nvim is installed");
    let deadline = Instant::now() + BOUND;
    while nvim.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = nvim.kill();
            panic!("nvim did not finish within {BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let got: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        got["clients"], 1,
        "the autocommand started one client: {got:#}"
    );
    assert_eq!(got["diagnostics"].as_array().unwrap().len(), 1, "{got:#}");
    let d = &got["diagnostics"][0];
    assert_eq!(d["code"], "E012");
    // Neovim turns the server's UTF-16 column 44 into byte column 47: `Café 😀` is 5 + 1 + 4 bytes.
    assert_eq!(
        (&d["lnum"], &d["col"], &d["end_col"]),
        (&json!(12), &json!(47), &json!(55))
    );
    assert_eq!(
        d["message"],
        "unknown service `Dynamodb`\nhelp: did you mean `DynamoDB`?"
    );
    let hover = got["hover"].as_str().unwrap();
    assert!(hover.starts_with("**Café 😀**"), "{hover}");
    assert_eq!(got["completion"][1], "detected");
}
