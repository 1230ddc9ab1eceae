//! An open document: its text as the editor has it, and what `check` and the outline say
//! about it, each worked out once per version when first needed.

use std::cell::OnceCell;
use std::path::PathBuf;

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    TextDocumentContentChangeEvent, Uri,
};

use super::outline::Outline;
use super::position;
use crate::diagnostics::{Code, Diagnostic, Level};
use crate::parse::Limits;
use crate::source::Source;
use crate::validate::{self, Checked};

/// The kinds of document the server reads. A log is any `.yaml` or `.yml` file the editor
/// hands over (the editor's configuration says which: see docs/editors.md); a configuration
/// file such as `postevent.toml` would be a second kind, checked by its own library function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Log,
    /// An organisation's `postevent.toml` (diagnostics only).
    Config,
}

impl Kind {
    /// The kind of the document at `uri`, or `None` for a document the server leaves alone.
    pub fn of(uri: &Uri, language_id: &str) -> Option<Kind> {
        let path = uri.as_str().split(['?', '#']).next().unwrap_or_default();
        if path.ends_with(&format!("/{}", crate::config::FILE_NAME)) {
            return Some(Kind::Config);
        }
        let yaml = path.ends_with(".yaml") || path.ends_with(".yml");
        let unsaved = !path.starts_with("file:") && language_id == "yaml";
        (yaml || unsaved).then_some(Kind::Log)
    }
}

pub struct Document {
    pub uri: Uri,
    pub version: i32,
    pub source: Source,
    limits: Limits,
    checked: OnceCell<Checked>,
    outline: OnceCell<Outline>,
}

impl Document {
    pub fn new(uri: Uri, version: i32, text: String, limits: Limits) -> Document {
        let source = source_for(&uri, text);
        Document {
            uri,
            version,
            source,
            limits,
            checked: OnceCell::new(),
            outline: OnceCell::new(),
        }
    }

    /// Applies the edits of one `didChange`, in order: a change without a range is the whole
    /// new text (the server asks for full sync), one with a range replaces that range.
    pub fn change(&mut self, version: i32, changes: Vec<TextDocumentContentChangeEvent>) {
        let mut text = self.source.text().to_owned();
        for change in changes {
            match change.range {
                None => text = change.text,
                Some(range) => {
                    let span = position::span(&Source::from_text("", text.as_str()), range);
                    text.replace_range(span, &change.text);
                }
            }
        }
        *self = Document::new(self.uri.clone(), version, text, self.limits);
    }

    /// Every diagnostic `check` reports for this text, from the same library call.
    pub fn checked(&self) -> &Checked {
        self.checked.get_or_init(|| {
            if self.source.text().len() > self.limits.max_file_bytes {
                return Checked {
                    diagnostics: vec![too_large(self.limits)],
                    ..Checked::default()
                };
            }
            // A config gets the diagnostics every command would print for it.
            if self.kind() == Some(Kind::Config) {
                return Checked {
                    diagnostics: crate::config::parse(&self.source).err().unwrap_or_default(),
                    ..Checked::default()
                };
            }
            // The process of the log's folder, as `check` reads it; a config with errors is
            // left out here (its own document shows them).
            let config = self
                .source
                .path()
                .and_then(|p| crate::config::for_path(None, p).ok())
                .unwrap_or_default();
            validate::check_with(&self.source, self.limits, &config)
        })
    }

    /// The YAML tree under the cursor; empty for a log over a limit.
    pub fn outline(&self) -> &Outline {
        self.outline.get_or_init(|| {
            let over = self
                .checked()
                .diagnostics
                .iter()
                .any(|d| d.code == Code::LimitExceeded);
            // A config is TOML: no YAML tree, so no hover, completion or definition.
            if over || self.kind() == Some(Kind::Config) {
                return Outline::default();
            }
            Outline::read(self.source.text(), self.limits.max_yaml_events)
        })
    }

    /// What the document is, by its name.
    pub fn kind(&self) -> Option<Kind> {
        Kind::of(&self.uri, "")
    }

    /// The byte offset of an LSP position in this document.
    pub fn offset(&self, at: lsp_types::Position) -> usize {
        position::offset(&self.source, at)
    }

    pub fn range(&self, span: &std::ops::Range<usize>) -> lsp_types::Range {
        position::range(&self.source, span)
    }

    /// A diagnostic as the editor shows it: the code, the message and the hint (as `help:`,
    /// as `check` prints it), the range of the offending text, and the related places.
    pub fn to_lsp(&self, d: &Diagnostic) -> lsp_types::Diagnostic {
        let range = match &d.span {
            Some(span) => self.range(span),
            None => lsp_types::Range::default(),
        };
        let message = match &d.hint {
            Some(hint) => format!("{}\nhelp: {hint}", d.message),
            None => d.message.clone(),
        };
        let related: Vec<DiagnosticRelatedInformation> = d
            .related
            .iter()
            .map(|r| DiagnosticRelatedInformation {
                location: Location::new(self.uri.clone(), self.range(&r.span)),
                message: r.label.clone(),
            })
            .collect();
        lsp_types::Diagnostic {
            range,
            severity: Some(match d.level() {
                Level::Error => DiagnosticSeverity::ERROR,
                Level::Warning => DiagnosticSeverity::WARNING,
            }),
            code: Some(NumberOrString::String(d.code.code().to_owned())),
            source: Some("postevent".to_owned()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..lsp_types::Diagnostic::default()
        }
    }

    /// Every diagnostic, for `textDocument/publishDiagnostics`.
    pub fn lsp_diagnostics(&self) -> Vec<lsp_types::Diagnostic> {
        let checked = self.checked();
        checked.diagnostics.iter().map(|d| self.to_lsp(d)).collect()
    }
}

/// The source of a document: a `file:` URI keeps its path, so that the incident id defaults
/// to the file stem and diagnostics name the file as `check` does.
fn source_for(uri: &Uri, text: String) -> Source {
    match file_path(uri) {
        Some(path) => Source::new(path.display().to_string(), Some(path), text),
        None => Source::new(uri.as_str(), None, text),
    }
}

/// The path of a `file:` URI on this machine (`file:///x`, `file://localhost/x`), decoded.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    let scheme = uri.scheme()?.as_str();
    let host = uri.authority().map_or("", |a| a.host().as_str());
    if !scheme.eq_ignore_ascii_case("file") || !(host.is_empty() || host == "localhost") {
        return None;
    }
    let path = uri.path().as_estr().decode().into_string().ok()?;
    // `file:///C:/logs/a.yaml` names `C:/logs/a.yaml` on Windows.
    let bytes = path.as_bytes();
    let drive =
        cfg!(windows) && bytes.len() > 2 && bytes[1].is_ascii_alphabetic() && bytes[2] == b':';
    Some(PathBuf::from(if drive { &path[1..] } else { &path[..] }))
}

/// The diagnostic for a document over `--max-file-bytes`, which `check` refuses to read.
fn too_large(limits: Limits) -> Diagnostic {
    Diagnostic::new(
        Code::LimitExceeded,
        format!(
            "the log is too large: it is larger than the limit of {} bytes",
            limits.max_file_bytes
        ),
    )
    .hint("raise it with `postevent lsp --max-file-bytes BYTES` if this log is real")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    #[test]
    fn file_uris_become_paths() {
        let cases = [
            (
                "file:///home/ops/incidents/a.yaml",
                Some("/home/ops/incidents/a.yaml"),
            ),
            ("file://localhost/tmp/a%20b.yaml", Some("/tmp/a b.yaml")),
            ("FILE:///tmp/%C3%A9t%C3%A9.yaml", Some("/tmp/été.yaml")),
            ("file:///tmp/%FF.yaml", None),
            ("file://server/share/a.yaml", None),
            ("untitled:Untitled-1", None),
        ];
        for (text, path) in cases {
            assert_eq!(file_path(&uri(text)), path.map(PathBuf::from), "{text}");
        }
        assert!("file:///tmp/bad%zz.yaml".parse::<Uri>().is_err());
    }

    #[test]
    fn logs_are_yaml_files_and_unsaved_yaml() {
        assert_eq!(Kind::of(&uri("file:///x/a.yaml"), "yaml"), Some(Kind::Log));
        assert_eq!(
            Kind::of(&uri("file:///x/a.yml"), "plaintext"),
            Some(Kind::Log)
        );
        assert_eq!(
            Kind::of(&uri("untitled:Untitled-1"), "yaml"),
            Some(Kind::Log)
        );
        assert_eq!(Kind::of(&uri("file:///x/Cargo.toml"), "toml"), None);
        assert_eq!(
            Kind::of(&uri("file:///x/postevent.toml"), "toml"),
            Some(Kind::Config)
        );
        assert_eq!(Kind::of(&uri("file:///x/notes"), "yaml"), None);
    }

    #[test]
    fn a_document_takes_full_and_ranged_changes() {
        let mut doc = Document::new(
            uri("file:///x/a.yaml"),
            1,
            "title: é\nseverity: SEV9\n".to_owned(),
            Limits::default(),
        );
        let ranged = |line, from, to, text: &str| TextDocumentContentChangeEvent {
            range: Some(lsp_types::Range::new(
                lsp_types::Position::new(line, from),
                lsp_types::Position::new(line, to),
            )),
            range_length: None,
            text: text.to_owned(),
        };
        doc.change(2, vec![ranged(1, 10, 14, "SEV2"), ranged(0, 7, 8, "ü!")]);
        assert_eq!(doc.source.text(), "title: ü!\nseverity: SEV2\n");
        assert_eq!(doc.version, 2);
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "title: x\n".to_owned(),
        };
        doc.change(3, vec![full]);
        assert_eq!(doc.source.text(), "title: x\n");
        assert_eq!(doc.source.name(), "/x/a.yaml");
    }

    /// A postevent.toml gets its own diagnostics, located, and nothing else.
    #[test]
    fn a_config_document_gets_its_diagnostics() {
        let doc = Document::new(
            uri("file:///x/postevent.toml"),
            1,
            "[site]\ntitel = \"x\"\n".into(),
            Limits::default(),
        );
        let d = &doc.checked().diagnostics;
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::UnknownField);
        assert_eq!(&doc.source.text()[d[0].span.clone().unwrap()], "titel");
        assert!(doc.outline().root().is_none());
        let fine = Document::new(
            uri("file:///x/postevent.toml"),
            1,
            "".into(),
            Limits::default(),
        );
        assert!(fine.checked().diagnostics.is_empty());
    }

    /// A log is checked against the postevent.toml of its folder, as `check` does.
    #[test]
    fn a_document_follows_its_folders_config() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("postevent.toml"),
            "[severities]\nlevels = [\"SEV0\", \"SEV1\"]\n",
        )
        .unwrap();
        let text = "title: x\nseverity: SEV0\ntimeline:\n  - at: 2026-01-01 10:00\n    text: y\n";
        let path = dir.path().join("a.yaml");
        let at = |p: &std::path::Path| uri(&format!("file://{}", p.display()));
        let doc = Document::new(at(&path), 1, text.into(), Limits::default());
        let codes: Vec<&str> = doc
            .checked()
            .diagnostics
            .iter()
            .map(|d| d.code.code())
            .collect();
        assert!(
            !codes.contains(&"E005"),
            "SEV0 is on this folder's scale: {codes:?}"
        );
        let elsewhere = Document::new(
            uri("file:///nowhere/a.yaml"),
            1,
            text.into(),
            Limits::default(),
        );
        let codes: Vec<&str> = elsewhere
            .checked()
            .diagnostics
            .iter()
            .map(|d| d.code.code())
            .collect();
        assert!(
            codes.contains(&"E005"),
            "without a config SEV0 is off the scale: {codes:?}"
        );
    }

    #[test]
    fn a_document_over_the_byte_limit_is_one_diagnostic() {
        let limits = Limits {
            max_file_bytes: 10,
            ..Limits::default()
        };
        let doc = Document::new(
            uri("file:///x/a.yaml"),
            1,
            "title: x\nseverity: y\n".into(),
            limits,
        );
        let codes: Vec<&str> = doc
            .checked()
            .diagnostics
            .iter()
            .map(|d| d.code.code())
            .collect();
        assert_eq!(codes, ["E021"]);
        assert!(doc.outline().root().is_none());
    }
}
