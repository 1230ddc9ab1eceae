//! `postevent serve`: a local preview of the docs site. The site is built into a folder,
//! served on 127.0.0.1 only, rebuilt when a log or a template is saved, and open pages reload
//! by themselves; while a log is broken its diagnostics take the place of every page.
//!
//! One thread does everything: it waits for a request for at most [`TICK`], answers it from
//! the built folder, and every [`POLL_INTERVAL`] looks for saved files. A rebuild therefore
//! never races a request, and the loop is simple to stop. Nothing here prints; the caller
//! hears of each build through a callback.

pub mod preview;
pub mod reload;
pub mod url;
pub mod watch;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use thiserror::Error;
use tiny_http::{Header, Method, Response, Server};

pub use preview::{Preview, Rebuild, Reply, Setup, Status};

/// How often the watched files are looked at.
pub const POLL_INTERVAL: Duration = Duration::from_millis(300);
/// The longest the loop waits for a request before it looks at the stop flag and the files.
pub const TICK: Duration = Duration::from_millis(50);

#[derive(Debug, Error)]
pub enum ServeError {
    #[error("cannot listen on 127.0.0.1:{port}: {reason}")]
    Bind { port: u16, reason: String },
}

/// A server listening on 127.0.0.1 (never on other interfaces); port 0 picks a free one.
pub fn bind(port: u16) -> Result<(Server, SocketAddr), ServeError> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let error = |reason: String| ServeError::Bind { port, reason };
    let server = Server::http(addr).map_err(|e| error(e.to_string()))?;
    let bound = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| error("not an IP address".into()))?;
    Ok((server, bound))
}

/// Serves `preview` until `stop` is set, rebuilding when files change; `on_rebuild` hears of
/// every rebuild.
pub fn run(
    server: &Server,
    preview: &mut Preview,
    stop: &AtomicBool,
    on_rebuild: &mut dyn FnMut(&Rebuild),
) {
    let port = server.server_addr().to_ip().map_or(0, |a| a.port());
    let mut polled = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        match server.recv_timeout(TICK) {
            Ok(Some(request)) => answer(request, preview, port),
            Ok(None) => {}
            // A connection that failed; the listener itself carries on.
            Err(_) => std::thread::sleep(TICK),
        }
        if polled.elapsed() >= POLL_INTERVAL {
            polled = Instant::now();
            if let Some(rebuild) = preview.poll() {
                on_rebuild(&rebuild);
            }
        }
    }
}

fn answer(request: tiny_http::Request, preview: &Preview, port: u16) {
    let reply = if !host_allowed(&request, port) {
        // Another site's page, rebound by DNS to 127.0.0.1, must not read the post-mortems.
        Reply {
            status: 403,
            content_type: "text/plain; charset=utf-8",
            body: b"403 forbidden: unknown Host\n".to_vec(),
            location: None,
        }
    } else if !matches!(request.method(), Method::Get | Method::Head) {
        Reply {
            status: 405,
            content_type: "text/plain; charset=utf-8",
            body: b"405 method not allowed\n".to_vec(),
            location: None,
        }
    } else {
        preview.respond(request.url())
    };
    let mut response = Response::from_data(reply.body).with_status_code(reply.status);
    let headers = [
        ("Content-Type", Some(reply.content_type)),
        ("Cache-Control", Some("no-store")),
        ("X-Content-Type-Options", Some("nosniff")),
        ("Location", reply.location.as_deref()),
    ];
    for (name, value) in headers {
        if let Some(header) = value.and_then(|v| Header::from_bytes(name, v).ok()) {
            response.add_header(header);
        }
    }
    // The client may have gone; nothing to do about it.
    let _ = request.respond(response);
}

/// Whether the request's `Host` names this server (or is absent, as in HTTP/1.0).
fn host_allowed(request: &tiny_http::Request, port: u16) -> bool {
    let Some(host) = request.headers().iter().find(|h| h.field.equiv("Host")) else {
        return true;
    };
    let host = host.value.as_str();
    ["127.0.0.1", "localhost"]
        .iter()
        .any(|name| host.eq_ignore_ascii_case(&format!("{name}:{port}")))
}
