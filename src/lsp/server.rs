//! The session: the `initialize` handshake, one loop over the client's messages, and the
//! shutdown. It is synchronous: each message is handled in turn, and each reply written
//! before the next message is read. Diagnostics are published when no message is waiting,
//! so a burst of edits is checked once, at its last version.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, TryRecvError};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CompletionOptions, CompletionParams, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, GotoDefinitionParams, HoverParams, HoverProviderCapability,
    InitializeResult, LogMessageParams, MessageType, OneOf, PositionEncodingKind,
    PublishDiagnosticsParams, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::document::{Document, Kind};
use super::transport::{self, Incoming};
use super::{completion, hover, navigate};
use crate::parse::Limits;

/// How a session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The client sent `exit`.
    Exit { after_shutdown: bool },
    /// The client's stream ended without `exit`; `broken` says why when it was not a clean
    /// end (a header that is not LSP, a message cut short).
    Closed {
        after_shutdown: bool,
        broken: Option<String>,
    },
    /// A message to the client could not be written: it stopped reading.
    Unwritable,
}

impl Ending {
    /// Whether the session ended as the protocol asks: `shutdown`, then `exit` (or the end of
    /// the stream). LSP wants exit status 0 then, and 1 otherwise.
    pub fn is_clean(&self) -> bool {
        matches!(
            self,
            Ending::Exit {
                after_shutdown: true
            } | Ending::Closed {
                after_shutdown: true,
                broken: None
            }
        )
    }
}

/// Serves one client that writes to `input` and reads `output` (standard input and output
/// for the command line), checking logs with `limits`, until it exits.
pub fn run(
    input: impl Read + Send + 'static,
    output: &mut dyn Write,
    limits: Limits,
) -> io::Result<Ending> {
    // A document as JSON may be up to six times its own size (`\u0000` for each byte); one
    // within `--max-file-bytes` is always read, so `check`'s own limit decides.
    let max_body = limits
        .max_file_bytes
        .saturating_mul(6)
        .saturating_add(1 << 20);
    let incoming = transport::spawn_reader(input, max_body)?;
    let mut server = Server {
        incoming,
        output,
        limits,
        documents: BTreeMap::new(),
        unpublished: BTreeSet::new(),
        shut_down: false,
        broken: None,
    };
    Ok(match server.run() {
        Ok(never) => match never {},
        Err(ending) => ending,
    })
}

/// What the server needs to answer: the open logs, and which have new diagnostics to send.
struct Server<'o> {
    incoming: Receiver<Incoming>,
    output: &'o mut dyn Write,
    limits: Limits,
    documents: BTreeMap<Uri, Document>,
    unpublished: BTreeSet<Uri>,
    shut_down: bool,
    /// Why the stream broke, once it has.
    broken: Option<String>,
}

/// A request's failure, as JSON-RPC reports it.
type Failure = (ErrorCode, String);

impl Server<'_> {
    /// Runs the session; it only returns how it ended.
    fn run(&mut self) -> Result<std::convert::Infallible, Ending> {
        self.initialize()?;
        loop {
            match self.next()? {
                Message::Request(request) => self.request(request)?,
                Message::Notification(n) if n.method == "exit" => {
                    return Err(Ending::Exit {
                        after_shutdown: self.shut_down,
                    });
                }
                Message::Notification(n) => self.notification(n)?,
                Message::Response(_) => {}
            }
        }
    }

    /// Waits for `initialize` and answers it; other requests before it get the error LSP
    /// names for them, and notifications are dropped.
    fn initialize(&mut self) -> Result<(), Ending> {
        loop {
            match self.next()? {
                Message::Request(request) if request.method == "initialize" => {
                    let result = InitializeResult {
                        capabilities: capabilities(),
                        server_info: Some(ServerInfo {
                            name: "postevent".to_owned(),
                            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
                        }),
                    };
                    return self.reply(request.id, Ok(to_json(result)));
                }
                Message::Request(request) => self.reply(
                    request.id,
                    Err((
                        ErrorCode::ServerNotInitialized,
                        "the server is not initialized: send `initialize` first".to_owned(),
                    )),
                )?,
                Message::Notification(n) if n.method == "exit" => {
                    return Err(Ending::Exit {
                        after_shutdown: false,
                    });
                }
                _ => {}
            }
        }
    }

    /// The next message; while diagnostics wait to be sent and no message is ready, sends
    /// them. Skipped messages are reported to the client's log.
    fn next(&mut self) -> Result<Message, Ending> {
        loop {
            let incoming = if self.unpublished.is_empty() {
                self.incoming.recv().ok()
            } else {
                match self.incoming.try_recv() {
                    Ok(incoming) => Some(incoming),
                    Err(TryRecvError::Empty) => {
                        self.publish()?;
                        continue;
                    }
                    Err(TryRecvError::Disconnected) => None,
                }
            };
            match incoming {
                Some(Incoming::Message(message)) => return Ok(message),
                Some(Incoming::Skipped(what)) => self.log(&format!("postevent skipped {what}"))?,
                Some(Incoming::Broken(why)) => self.broken = Some(why),
                None => {
                    return Err(Ending::Closed {
                        after_shutdown: self.shut_down,
                        broken: self.broken.take(),
                    });
                }
            }
        }
    }

    fn send(&mut self, message: impl Into<Message>) -> Result<(), Ending> {
        message
            .into()
            .write(&mut self.output)
            .map_err(|_| Ending::Unwritable)
    }

    /// A line in the client's log of this server (`window/logMessage`).
    fn log(&mut self, text: &str) -> Result<(), Ending> {
        let params = LogMessageParams {
            typ: MessageType::ERROR,
            message: text.to_owned(),
        };
        self.send(Notification::new(
            "window/logMessage".to_owned(),
            to_json(params),
        ))
    }

    fn reply(&mut self, id: RequestId, result: Result<Value, Failure>) -> Result<(), Ending> {
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(response)
    }

    /// Answers a request. A bug that panics while answering costs that answer (an internal
    /// error), not the session.
    fn request(&mut self, request: Request) -> Result<(), Ending> {
        let id = request.id.clone();
        let result = match catch_unwind(AssertUnwindSafe(|| self.answer(request))) {
            Ok(result) => result,
            Err(_) => Err((
                ErrorCode::InternalError,
                "postevent failed to answer this request; its standard error says why".to_owned(),
            )),
        };
        self.reply(id, result)
    }

    fn answer(&mut self, request: Request) -> Result<Value, Failure> {
        if self.shut_down {
            return Err((
                ErrorCode::InvalidRequest,
                "the server is shut down: only `exit` may follow".to_owned(),
            ));
        }
        let method = request.method.as_str();
        match method {
            "shutdown" => {
                self.shut_down = true;
                self.documents.clear();
                self.unpublished.clear();
                Ok(Value::Null)
            }
            "initialize" => Err((
                ErrorCode::InvalidRequest,
                "the server is already initialized".to_owned(),
            )),
            "textDocument/hover" => {
                let p: HoverParams = params(request)?;
                let at = p.text_document_position_params;
                let doc = self.documents.get(&at.text_document.uri);
                Ok(to_json(doc.and_then(|d| hover::hover(d, at.position))))
            }
            "textDocument/completion" => {
                let p: CompletionParams = params(request)?;
                let at = p.text_document_position;
                let doc = self.documents.get(&at.text_document.uri);
                Ok(to_json(doc.map(|d| completion::complete(d, at.position))))
            }
            "textDocument/definition" => {
                let p: GotoDefinitionParams = params(request)?;
                let at = p.text_document_position_params;
                let doc = self.documents.get(&at.text_document.uri);
                Ok(to_json(
                    doc.and_then(|d| navigate::definition(d, at.position)),
                ))
            }
            "textDocument/codeAction" => {
                let p: CodeActionParams = params(request)?;
                let doc = self.documents.get(&p.text_document.uri);
                Ok(to_json(doc.map(|d| navigate::code_actions(d, &p))))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("postevent does not handle `{method}`"),
            )),
        }
    }

    /// Keeps the open logs in step with the editor; other notifications are ignored, as LSP
    /// allows.
    fn notification(&mut self, n: Notification) -> Result<(), Ending> {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let d = p.text_document;
                if Kind::of(&d.uri, &d.language_id).is_some() && !self.shut_down {
                    let doc = Document::new(d.uri.clone(), d.version, d.text, self.limits);
                    self.documents.insert(d.uri.clone(), doc);
                    self.unpublished.insert(d.uri);
                }
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let uri = p.text_document.uri;
                if let Some(doc) = self.documents.get_mut(&uri) {
                    doc.change(p.text_document.version, p.content_changes);
                    self.unpublished.insert(uri);
                }
            }
            "textDocument/didClose" => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let uri = p.text_document.uri;
                self.unpublished.remove(&uri);
                if self.documents.remove(&uri).is_some() {
                    // The editor keeps what was published until told otherwise.
                    self.send(publish(uri, Vec::new(), None))?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Sends the diagnostics of every log changed since they were last sent.
    fn publish(&mut self) -> Result<(), Ending> {
        for uri in std::mem::take(&mut self.unpublished) {
            let Some(doc) = self.documents.get(&uri) else {
                continue;
            };
            let version = doc.version;
            // A check that panics (a bug) leaves the editor's old diagnostics in place.
            if let Ok(diagnostics) = catch_unwind(AssertUnwindSafe(|| doc.lsp_diagnostics())) {
                self.send(publish(uri, diagnostics, Some(version)))?;
            }
        }
        Ok(())
    }
}

/// What the server offers: full text sync, hover, completion, definition and quick fixes,
/// with positions in UTF-16.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions::default()),
        definition_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

fn publish(
    uri: Uri,
    diagnostics: Vec<lsp_types::Diagnostic>,
    version: Option<i32>,
) -> Notification {
    let params = PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    };
    Notification::new(
        "textDocument/publishDiagnostics".to_owned(),
        to_json(params),
    )
}

/// A request's parameters, or the JSON-RPC error for parameters of the wrong shape.
fn params<P: DeserializeOwned>(request: Request) -> Result<P, Failure> {
    serde_json::from_value(request.params).map_err(|e| {
        let method = request.method;
        (
            ErrorCode::InvalidParams,
            format!("invalid parameters for `{method}`: {e}"),
        )
    })
}

fn to_json(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
