//! The HTTP/1.1 layer of the preview: connections, threads and timeouts, with the request
//! line and headers read by `httparse`. Everything above it sees a [`Request`] and answers it
//! with a [`Response`].
//!
//! A fixed pool of worker threads owns the sockets; the caller's thread only decides what to
//! answer, so a client that never reads its answer holds one worker until [`Limits::write`]
//! runs out, and never the thread that rebuilds the site. Connections wait in a bounded queue;
//! when it is full, a new one is answered `503` at once and closed, so the thread count stays
//! fixed however many connections arrive. Every answer closes its connection.
//!
//! tiny_http, used before, gave each connection a thread of its own (1,000 idle connections
//! made 1,005 threads) and wrote answers on the caller's thread without a timeout.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How much a server takes on.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Threads that read requests and write answers.
    pub workers: usize,
    /// Connections accepted and waiting for a worker; past that, `503`.
    pub queue: usize,
    /// Longest wait for a request line and headers, from the moment a worker takes it.
    pub head: Duration,
    /// Longest time to write an answer; a client that reads slower is cut off.
    pub write: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            workers: 8,
            queue: 32,
            head: Duration::from_secs(5),
            write: Duration::from_secs(10),
        }
    }
}

/// The largest request line and headers read; a longer head is answered `431`.
const MAX_HEAD: usize = 16 * 1024;

/// Headers on every answer: nothing is cached, nothing is sniffed, no page of another
/// origin may include one (a `<script src>` of `search-index.js` would read every title), and
/// the connection ends with it.
const ALWAYS: &[(&str, &str)] = &[
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Connection", "close"),
];

/// A request, read; answer it with [`Request::respond`].
pub struct Request {
    method: String,
    target: String,
    host: Option<String>,
    reply: SyncSender<Response>,
}

impl Request {
    /// `GET`, `HEAD`, ...
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The request target as sent: `/incidents/x.html?q=1`.
    pub fn url(&self) -> &str {
        &self.target
    }

    /// The `Host` header, if there is one.
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }

    /// Hands the answer to the worker that writes it; returns at once.
    pub fn respond(self, response: Response) {
        // The worker is gone only if the server is being dropped.
        let _ = self.reply.send(response);
    }
}

/// An answer: a status, headers of its own (besides [`ALWAYS`] and `Content-Length`) and
/// a body (left out for `HEAD`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body,
        }
    }

    pub fn text(status: u16, text: &str) -> Response {
        Response::new(status, text.as_bytes().to_vec())
            .header("Content-Type", "text/plain; charset=utf-8")
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_owned()));
        self
    }

    /// The status line and headers.
    fn head(&self) -> String {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        let headers = ALWAYS
            .iter()
            .map(|(n, v)| (*n, *v))
            .chain(self.headers.iter().map(|(n, v)| (*n, v.as_str())));
        for (name, value) in headers {
            // A header value never carries a line break (it would start a header of its own).
            if !value.contains(['\r', '\n']) {
                head += &format!("{name}: {value}\r\n");
            }
        }
        head += &format!("Content-Length: {}\r\n\r\n", self.body.len());
        head
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// A listening server; dropping it stops accepting and ends its threads.
pub struct Server {
    addr: SocketAddr,
    requests: Receiver<Request>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Listens on `addr` and starts the accepting thread and the workers.
    pub fn bind(addr: SocketAddr, limits: Limits) -> std::io::Result<Server> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let (connections, waiting) = mpsc::sync_channel::<TcpStream>(limits.queue);
        let (requests_tx, requests) = mpsc::channel::<Request>();
        let waiting = Arc::new(Mutex::new(waiting));
        for _ in 0..limits.workers {
            let waiting = Arc::clone(&waiting);
            let requests = requests_tx.clone();
            std::thread::Builder::new()
                .name("postevent-http".into())
                .spawn(move || work(&waiting, &requests, limits))?;
        }
        let flag = Arc::clone(&stop);
        std::thread::Builder::new()
            .name("postevent-accept".into())
            .spawn(move || accept(&listener, &connections, &flag))?;
        Ok(Server {
            addr,
            requests,
            stop,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The next request, waiting at most `timeout`.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<Request> {
        self.requests.recv_timeout(timeout).ok()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wakes the accepting thread, which sees the flag and ends; the workers end when the
        // queue it fed is gone.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

/// Accepts connections into the queue, answering `503` when it is full.
fn accept(listener: &TcpListener, queue: &SyncSender<TcpStream>, stop: &AtomicBool) {
    for stream in listener.incoming() {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let Ok(stream) = stream else {
            // Out of file descriptors, say: wait rather than spin.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        match queue.try_send(stream) {
            Ok(()) => {}
            Err(TrySendError::Full(stream)) => {
                let busy = Response::text(503, "503 busy: too many connections\n")
                    .header("Retry-After", "1");
                // A fresh socket's buffer takes this small answer without waiting.
                let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
                let _ = write_response(&stream, &busy, false, Duration::from_millis(100));
            }
            Err(TrySendError::Disconnected(_)) => return,
        }
    }
}

/// A worker: takes connections off the queue until it is gone.
fn work(waiting: &Mutex<Receiver<TcpStream>>, requests: &mpsc::Sender<Request>, limits: Limits) {
    loop {
        let next = match waiting.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(stream) = next else { return };
        serve_connection(&stream, requests, limits);
        linger(&stream);
    }
}

/// Ends a connection so that the client reads the whole answer: closing a socket with
/// unread input (a request body) sends a reset, which may discard the answer on its way. The
/// write side is shut, then what the client still sends is read and dropped, briefly.
fn linger(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let mut sink = [0; 4096];
    let mut left: usize = 64 * 1024;
    while left > 0 {
        match (&*stream).read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// Reads one request, has it answered, writes the answer.
fn serve_connection(stream: &TcpStream, requests: &mpsc::Sender<Request>, limits: Limits) {
    let (method, target, host) = match read_head(stream, limits.head) {
        Ok(head) => head,
        Err(Some(response)) => {
            let _ = write_response(stream, &response, false, limits.write);
            return;
        }
        Err(None) => return,
    };
    let head_only = method == "HEAD";
    let (reply, answer) = mpsc::sync_channel(1);
    let request = Request {
        method,
        target,
        host,
        reply,
    };
    if requests.send(request).is_err() {
        return;
    }
    if let Ok(response) = answer.recv() {
        let _ = write_response(stream, &response, head_only, limits.write);
    }
}

/// The method, target and `Host` of the request on `stream`, read within `timeout`; or the
/// answer to a bad request (`None`: the client went quiet or away, so no answer).
fn read_head(
    stream: &TcpStream,
    timeout: Duration,
) -> Result<(String, String, Option<String>), Option<Response>> {
    let deadline = Instant::now() + timeout;
    let mut buf = vec![0; MAX_HEAD];
    let mut len = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(None);
        }
        let n = match (&*stream).read(&mut buf[len..]) {
            Ok(0) | Err(_) => return Err(None),
            Ok(n) => n,
        };
        len += n;
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buf[..len]) {
            Ok(httparse::Status::Complete(_)) => {
                let host = request
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("host"))
                    .map(|h| String::from_utf8_lossy(h.value).into_owned());
                return Ok((
                    request.method.unwrap_or_default().to_owned(),
                    request.path.unwrap_or_default().to_owned(),
                    host,
                ));
            }
            Ok(httparse::Status::Partial) if len == buf.len() => {
                return Err(Some(Response::text(431, "431 request head too large\n")));
            }
            Ok(httparse::Status::Partial) => {}
            Err(_) => return Err(Some(Response::text(400, "400 bad request\n"))),
        }
    }
}

/// Writes `response` within `timeout` in all (not per write), so that a client reading a
/// byte at a time cannot hold a worker for longer.
fn write_response(
    stream: &TcpStream,
    response: &Response,
    head_only: bool,
    timeout: Duration,
) -> std::io::Result<()> {
    let deadline = Instant::now() + timeout;
    let head = response.head();
    let body: &[u8] = if head_only { &[] } else { &response.body };
    for part in [head.as_bytes(), body] {
        for chunk in part.chunks(64 * 1024) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(std::io::ErrorKind::TimedOut.into());
            }
            stream.set_write_timeout(Some(left))?;
            (&*stream).write_all(chunk)?;
        }
    }
    (&*stream).flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server on a free port whose answers are made by a thread that answers every request
    /// with `body` (and counts them).
    fn serve(limits: Limits, body: Vec<u8>) -> (SocketAddr, Arc<AtomicBool>) {
        let server = Server::bind(SocketAddr::from(([127, 0, 0, 1], 0)), limits).unwrap();
        let addr = server.local_addr();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                if let Some(request) = server.recv_timeout(Duration::from_millis(20)) {
                    let response = Response::new(200, body.clone()).header("X-Url", request.url());
                    request.respond(response);
                }
            }
        });
        (addr, stop)
    }

    fn get(addr: SocketAddr, path: &str) -> String {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let _ = write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
        let mut out = String::new();
        let _ = stream.read_to_string(&mut out);
        out
    }

    #[test]
    fn answers_carry_the_fixed_headers_and_a_length() {
        let (addr, stop) = serve(Limits::default(), b"hello".to_vec());
        let answer = get(addr, "/a?b");
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        for line in [
            "Cross-Origin-Resource-Policy: same-origin\r\n",
            "X-Content-Type-Options: nosniff\r\n",
            "Content-Length: 5\r\n",
            "X-Url: /a?b\r\n",
            "Connection: close\r\n",
        ] {
            assert!(answer.contains(line), "{line:?} in {answer}");
        }
        assert!(answer.ends_with("\r\n\r\nhello"));
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(b"NOT HTTP\r\n\r\n").unwrap();
        let mut out = String::new();
        let _ = stream.read_to_string(&mut out);
        assert!(out.starts_with("HTTP/1.1 400 "), "{out}");
        stop.store(true, Ordering::Relaxed);
    }

    /// A client that never reads a large answer holds one worker until the write timeout,
    /// while the others keep answering; then its connection is cut.
    #[test]
    fn a_client_that_does_not_read_is_cut_off_and_blocks_nobody() {
        let limits = Limits {
            workers: 2,
            write: Duration::from_millis(500),
            ..Limits::default()
        };
        let (addr, stop) = serve(limits, vec![b'x'; 32 * 1024 * 1024]);
        let mut stuck = TcpStream::connect(addr).unwrap();
        stuck.write_all(b"GET /big HTTP/1.1\r\n\r\n").unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let start = Instant::now();
        let mut other = TcpStream::connect(addr).unwrap();
        other.write_all(b"HEAD / HTTP/1.1\r\n\r\n").unwrap();
        let mut head = String::new();
        other.read_to_string(&mut head).unwrap();
        assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
        assert!(head.ends_with("\r\n\r\n"), "a HEAD answer has no body");
        assert!(
            start.elapsed() < Duration::from_millis(400),
            "{:?}",
            start.elapsed()
        );
        std::thread::sleep(Duration::from_millis(800));
        // The server gave up: reading now ends well short of the whole body.
        let mut got = Vec::new();
        stuck
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let _ = stuck.read_to_end(&mut got);
        assert!(got.len() < 32 * 1024 * 1024, "{} bytes", got.len());
        stop.store(true, Ordering::Relaxed);
    }

    /// Past the workers and the queue, a connection is answered `503` at once.
    #[test]
    fn connections_past_the_queue_are_refused_at_once() {
        let limits = Limits {
            workers: 1,
            queue: 1,
            head: Duration::from_secs(5),
            ..Limits::default()
        };
        let (addr, stop) = serve(limits, b"ok".to_vec());
        // One idle connection holds the worker, one waits in the queue.
        let idle: Vec<TcpStream> = (0..2)
            .map(|_| {
                let stream = TcpStream::connect(addr).unwrap();
                std::thread::sleep(Duration::from_millis(200));
                stream
            })
            .collect();
        let start = Instant::now();
        let mut third = TcpStream::connect(addr).unwrap();
        third
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut answer = String::new();
        let _ = third.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
        assert!(answer.contains("Cross-Origin-Resource-Policy: same-origin"));
        assert!(start.elapsed() < Duration::from_secs(2));
        drop(idle);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !get(addr, "/").starts_with("HTTP/1.1 200") {
            assert!(Instant::now() < deadline, "no recovery");
            std::thread::sleep(Duration::from_millis(50));
        }
        stop.store(true, Ordering::Relaxed);
    }

    #[test]
    fn a_head_that_never_ends_is_refused() {
        let (addr, stop) = serve(Limits::default(), Vec::new());
        let mut stream = TcpStream::connect(addr).unwrap();
        let long = format!("GET / HTTP/1.1\r\nX: {}\r\n", "a".repeat(MAX_HEAD));
        let _ = stream.write_all(long.as_bytes());
        let mut out = String::new();
        let _ = stream.read_to_string(&mut out);
        assert!(out.starts_with("HTTP/1.1 431 "), "{out}");
        stop.store(true, Ordering::Relaxed);
    }
}
