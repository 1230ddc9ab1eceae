//! LSP's framing on a byte stream (`Content-Length` headers, then a JSON-RPC message), read on
//! a thread of its own so that the session can see whether another message is already
//! waiting. A message is read as it arrives, never allocated from its announced length, and
//! one over the limit is skipped whole, so the stream stays in step.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread;

use lsp_server::Message;
use thiserror::Error;

/// What the reading thread hands to the session.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A message that was skipped (not JSON-RPC, or too large); the stream goes on.
    Skipped(String),
    /// The stream cannot be read any further; nothing follows.
    Broken(String),
}

/// Why the stream cannot be read on.
#[derive(Debug, Error)]
pub enum FrameError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("malformed header `{0}`")]
    Header(String),
    #[error("a message without `Content-Length`")]
    NoLength,
    #[error("the stream ended inside a message")]
    Truncated,
}

/// One frame: a body, or the size of a body that was over the limit and skipped.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    Body(Vec<u8>),
    Skipped(usize),
}

/// The longest header line read; LSP's headers are short.
const MAX_HEADER_LINE: u64 = 1024;

/// Reads the next frame; `Ok(None)` when the stream ends between messages.
pub fn read_frame(input: &mut impl BufRead, max_body: usize) -> Result<Option<Frame>, FrameError> {
    let mut length = None;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        let n = input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return if first {
                Ok(None)
            } else {
                Err(FrameError::Truncated)
            };
        }
        first = false;
        let text = String::from_utf8_lossy(&line);
        let Some(header) = text.strip_suffix("\r\n") else {
            return Err(FrameError::Header(text.trim_end().to_owned()));
        };
        if header.is_empty() {
            break;
        }
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| FrameError::Header(header.to_owned()))?;
        if name.trim().eq_ignore_ascii_case("content-length") {
            let n = value.trim().parse::<usize>();
            length = Some(n.map_err(|_| FrameError::Header(header.to_owned()))?);
        }
    }
    let length = length.ok_or(FrameError::NoLength)?;
    let mut body = input.by_ref().take(length as u64);
    if length > max_body {
        let skipped = io::copy(&mut body, &mut io::sink())?;
        if skipped < length as u64 {
            return Err(FrameError::Truncated);
        }
        return Ok(Some(Frame::Skipped(length)));
    }
    let mut bytes = Vec::new();
    body.read_to_end(&mut bytes)?;
    if bytes.len() < length {
        return Err(FrameError::Truncated);
    }
    Ok(Some(Frame::Body(bytes)))
}

/// Starts reading `input` on its own thread. It stops after `exit`, at the end of the
/// stream, or when the stream breaks (after saying why).
pub fn spawn_reader(
    input: impl Read + Send + 'static,
    max_body: usize,
) -> io::Result<Receiver<Incoming>> {
    // A few messages ahead: enough to skip the check of a version that is already stale.
    let (tx, rx) = sync_channel(16);
    thread::Builder::new()
        .name("lsp-reader".to_owned())
        .spawn(move || read_all(BufReader::new(input), max_body, &tx))?;
    Ok(rx)
}

fn read_all(mut input: impl BufRead, max_body: usize, tx: &SyncSender<Incoming>) {
    loop {
        let incoming = match read_frame(&mut input, max_body) {
            Ok(None) => return,
            Ok(Some(Frame::Body(bytes))) => match serde_json::from_slice::<Message>(&bytes) {
                Ok(message) => Incoming::Message(message),
                Err(e) => Incoming::Skipped(format!("a message that is not JSON-RPC ({e})")),
            },
            Ok(Some(Frame::Skipped(length))) => Incoming::Skipped(format!(
                "a message of {length} bytes, over the limit of {max_body} (see `--max-file-bytes`)"
            )),
            Err(e) => {
                let _ = tx.send(Incoming::Broken(e.to_string()));
                return;
            }
        };
        let exit =
            matches!(&incoming, Incoming::Message(Message::Notification(n)) if n.method == "exit");
        if tx.send(incoming).is_err() || exit {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8], max: usize) -> Vec<Result<Frame, String>> {
        let mut reader = input;
        let mut out = Vec::new();
        loop {
            match read_frame(&mut reader, max) {
                Ok(Some(frame)) => out.push(Ok(frame)),
                Ok(None) => return out,
                Err(e) => {
                    out.push(Err(e.to_string()));
                    return out;
                }
            }
        }
    }

    #[test]
    fn frames_are_read_by_content_length() {
        let input = b"Content-Length: 2\r\n\r\n{}content-length:3\r\nContent-Type: x\r\n\r\n[1]";
        assert_eq!(
            frames(input, 100),
            [
                Ok(Frame::Body(b"{}".to_vec())),
                Ok(Frame::Body(b"[1]".to_vec()))
            ]
        );
    }

    #[test]
    fn a_body_over_the_limit_is_skipped_and_the_next_is_read() {
        let input = b"Content-Length: 10\r\n\r\n0123456789Content-Length: 2\r\n\r\n{}";
        assert_eq!(
            frames(input, 5),
            [Ok(Frame::Skipped(10)), Ok(Frame::Body(b"{}".to_vec()))]
        );
    }

    #[test]
    fn broken_streams_say_why() {
        let cases: [(&[u8], &str); 4] = [
            (
                b"Content-Length: 10\r\n\r\n{}",
                "the stream ended inside a message",
            ),
            (
                b"Content-Length: x\r\n\r\n",
                "malformed header `Content-Length: x`",
            ),
            (
                b"Content-Type: a\r\n\r\n{}",
                "a message without `Content-Length`",
            ),
            (
                b"Content-Length: 2\n\n{}",
                "malformed header `Content-Length: 2`",
            ),
        ];
        for (input, error) in cases {
            assert_eq!(frames(input, 100), [Err(error.to_owned())], "{input:?}");
        }
        // A lying length allocates nothing up front: it is read as the bytes arrive.
        assert_eq!(
            frames(
                b"Content-Length: 18446744073709551615\r\n\r\n{}",
                usize::MAX
            ),
            [Err("the stream ended inside a message".to_owned())]
        );
    }
}
