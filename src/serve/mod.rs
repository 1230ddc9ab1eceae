//! `postevent serve`: a local preview of the docs site. The site is built into a folder,
//! served on 127.0.0.1 only, rebuilt when a log or a template is saved, and open pages reload
//! by themselves; while a log is broken its diagnostics take the place of every page.
//!
//! One thread decides every answer: it waits for a request for at most [`TICK`], answers it
//! from the built folder, and every [`POLL_INTERVAL`] looks for saved files. A rebuild
//! therefore never races a request, and the loop is simple to stop. The sockets belong to
//! the [`http`] layer's workers, so a slow or stuck client never holds this thread. Nothing
//! here prints; the caller hears of each build through a callback.

pub mod http;
pub mod preview;
pub mod reload;
pub mod url;
pub mod watch;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use thiserror::Error;

pub use http::Server;
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
    let server = Server::bind(addr, http::Limits::default()).map_err(|e| ServeError::Bind {
        port,
        reason: e.to_string(),
    })?;
    let bound = server.local_addr();
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
    let port = server.local_addr().port();
    let mut polled = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        if let Some(request) = server.recv_timeout(TICK) {
            answer(request, preview, port);
        }
        if polled.elapsed() >= POLL_INTERVAL {
            polled = Instant::now();
            if let Some(rebuild) = preview.poll() {
                on_rebuild(&rebuild);
            }
        }
    }
}

fn answer(request: http::Request, preview: &Preview, port: u16) {
    let reply = if !host_allowed(request.host(), port) {
        // Another site's page, rebound by DNS to 127.0.0.1, must not read the post-mortems.
        Reply {
            status: 403,
            content_type: "text/plain; charset=utf-8",
            body: b"403 forbidden: unknown Host\n".to_vec(),
            location: None,
        }
    } else if !matches!(request.method(), "GET" | "HEAD") {
        Reply {
            status: 405,
            content_type: "text/plain; charset=utf-8",
            body: b"405 method not allowed\n".to_vec(),
            location: None,
        }
    } else {
        preview.respond(request.url())
    };
    let mut response =
        http::Response::new(reply.status, reply.body).header("Content-Type", reply.content_type);
    if let Some(location) = &reply.location {
        response = response.header("Location", location);
    }
    request.respond(response);
}

/// Whether the request's `Host` names this server (or is absent, as in HTTP/1.0).
fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else {
        return true;
    };
    ["127.0.0.1", "localhost"]
        .iter()
        .any(|name| host.eq_ignore_ascii_case(&format!("{name}:{port}")))
}
