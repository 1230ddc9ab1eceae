//! The one diagnostic type: every problem a user can cause, with a stable code, a location,
//! a label under the offending text and a hint; and how it prints (miette for people, JSON
//! for editors and CI).

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan};
use serde::Serialize;

use crate::source::Source;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $name:literal, $level:ident;)*) => {
        /// Stable diagnostic codes. Never renumber one: editors and CI match on them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            /// Every code, in order; docs/format.md lists the same.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The short code, like `E012`.
            pub fn code(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The kebab-case name, like `unknown-service`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// Whether this code is an error or a lint.
            pub fn level(self) -> Level {
                match self { $(Code::$variant => Level::$level,)* }
            }
        }
    };
}

codes! {
    YamlSyntax = "E001", "yaml-syntax", Error;
    UnknownField = "E002", "unknown-field", Error;
    WrongType = "E003", "wrong-type", Error;
    MissingField = "E004", "missing-field", Error;
    InvalidValue = "E005", "invalid-value", Error;
    InvalidId = "E006", "invalid-id", Error;
    DuplicateId = "E007", "duplicate-id", Error;
    UnknownTimezone = "E008", "unknown-timezone", Error;
    InvalidTime = "E009", "invalid-time", Error;
    NonexistentTime = "E010", "nonexistent-local-time", Error;
    AmbiguousTime = "E011", "ambiguous-local-time", Error;
    UnknownService = "E012", "unknown-service", Error;
    WrongAbbreviation = "E013", "wrong-abbreviation", Error;
    TimeGoesBackwards = "E014", "time-goes-backwards", Error;
    PhaseOrder = "E015", "phase-order", Error;
    PhaseRepeated = "E016", "phase-repeated", Error;
    ResolvedWithoutPhase = "E017", "resolved-without-phase", Error;
    OpenImpactWindow = "E018", "open-impact-window", Error;
    EmptyTimeline = "E019", "empty-timeline", Error;
    DuplicateService = "E020", "duplicate-service", Error;
    LimitExceeded = "E021", "limit-exceeded", Error;
    InvalidDate = "E022", "invalid-date", Error;
    EmptyValue = "E023", "empty-value", Error;
    MilestoneRepeated = "E024", "milestone-repeated", Error;
    SeverityAboveIncident = "E025", "severity-above-incident", Error;
    UnknownRegion = "E026", "unknown-region", Error;
    UnknownDependency = "E027", "unknown-dependency", Error;
    DependencyCycle = "E028", "dependency-cycle", Error;
    InvalidMeasure = "E030", "invalid-measure", Error;
    UnknownRelated = "E035", "unknown-related", Error;
    EventsOutOfOrder = "W001", "events-out-of-order", Warning;
    ActionItemWithoutOwner = "W002", "action-item-without-owner", Warning;
    MissingKeyPhase = "W003", "missing-key-phase", Warning;
    EmptySummary = "W004", "empty-summary", Warning;
    StatusMismatch = "W005", "status-mismatch", Warning;
    UnsafeCharacter = "W006", "unsafe-character", Warning;
    ProseMismatch = "W007", "prose-mismatch", Warning;
    InternalOnlyService = "W008", "internal-only-service", Warning;
    PolicyUnmet = "W009", "policy-unmet", Warning;
    ImpairedBeforeDependencies = "W010", "impaired-before-dependencies", Warning;
    UnusedService = "W011", "unused-service", Warning;
    ImpairedBeforeStart = "W012", "impaired-before-start", Warning;
    StaleTimeOfDay = "W015", "stale-time-of-day", Warning;
    RelatedToItself = "W020", "related-to-itself", Warning;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code(), self.name())
    }
}

/// A secondary location, such as the other event in a phase-order error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Range<usize>,
    pub label: String,
}

/// A fix an editor can apply for the user: the text at `span` becomes `replacement`. Each
/// "did you mean" hint carries one per candidate, so that the language server can offer them
/// as quick fixes; printers for people and the JSON output leave them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub span: Range<usize>,
    pub replacement: String,
}

/// One problem in one file. Spans are byte ranges into the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    pub span: Option<Range<usize>>,
    pub label: Option<String>,
    pub hint: Option<String>,
    pub related: Vec<Related>,
    /// Replacements that fix the problem, most likely first (see [`Suggestion`]).
    pub suggestions: Vec<Suggestion>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            span: None,
            label: None,
            hint: None,
            related: Vec::new(),
            suggestions: Vec::new(),
        }
    }

    /// Point at `span`, with `label` written under it.
    pub fn at(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.span = Some(span);
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn related(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            label: label.into(),
        });
        self
    }

    /// Offers each of `replacements` for the text at `span` (a "did you mean" candidate).
    pub fn suggest<S: Into<String>>(
        mut self,
        span: Range<usize>,
        replacements: impl IntoIterator<Item = S>,
    ) -> Self {
        self.suggestions
            .extend(replacements.into_iter().map(|r| Suggestion {
                span: span.clone(),
                replacement: r.into(),
            }));
        self
    }

    pub fn level(&self) -> Level {
        self.code.level()
    }

    pub fn is_error(&self) -> bool {
        self.level() == Level::Error
    }
}

/// The closest candidate to `word`, if it is close enough to be worth suggesting.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    closest(word, candidates, 1).into_iter().next()
}

/// At most `max` candidates close enough to `word` to be worth suggesting, closest first
/// (equally close ones in the order given).
pub fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let word_lower = word.to_lowercase();
    let mut close: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0));
    close.into_iter().take(max).map(|(_, c)| c).collect()
}

/// A quoted, comma-separated list for messages: `a`, `b` or `c`.
pub fn one_of(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The diagnostics of one file, with the file they point into.
#[derive(Debug, Clone)]
pub struct FileReport<'a> {
    pub source: &'a Source,
    pub diagnostics: &'a [Diagnostic],
}

/// How a human report is drawn.
#[derive(Debug, Clone, Copy)]
pub struct RenderStyle {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

impl Default for RenderStyle {
    fn default() -> Self {
        RenderStyle {
            color: false,
            unicode: true,
            width: 100,
        }
    }
}

/// Draws one diagnostic for a person: level, code, message, the snippet with the offending
/// text underlined at file:line:column, and the hint.
pub fn render_human(source: &Source, diagnostic: &Diagnostic, style: RenderStyle) -> String {
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, true) => GraphicalTheme::ascii(),
        (false, false) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(1)
        .with_break_words(false)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let too_long = diagnostic
        .span
        .as_ref()
        .is_some_and(|span| snippet_too_long(source, span));
    let printable_diagnostic = printable_parts(diagnostic);
    let diagnostic = printable_diagnostic.as_ref().unwrap_or(diagnostic);
    let text = printable(source.text());
    let report = MietteReport {
        diagnostic,
        source: Borrowed {
            name: source.name(),
            text: &text,
            lines: source,
        },
        snippet: !too_long,
    };
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        out = format!("{}: {}\n", diagnostic.code, diagnostic.message);
    }
    match &diagnostic.span {
        // miette only prints a location with a snippet; a file-level problem still names its file.
        None => out = format!("{}: {out}", source.name()),
        Some(span) if too_long => {
            let at = source.line_col(span.start);
            out = format!("{}:{}:{}: {out}", source.name(), at.line, at.column);
        }
        Some(_) => {}
    }
    out
}

/// Text made safe to print on a terminal: a log is untrusted, and an `ESC` in it (raw, or
/// written `\e` in a quoted YAML string) would start an escape sequence that can retitle the
/// terminal, clear it or write the clipboard. Every control character but tab and line
/// breaks becomes `?`, one per byte, so that byte spans still point at the same text.
fn printable(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    if !has_unsafe_byte(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether `text` holds a control character other than tab and line breaks, read byte by byte
/// (a whole log is checked for each diagnostic): the controls are U+0000 to U+001F, U+007F,
/// and U+0080 to U+009F, which UTF-8 writes `C2 80` to `C2 9F`.
fn has_unsafe_byte(text: &str) -> bool {
    let bytes = text.as_bytes();
    // First a pass the compiler can vectorise (no early exit inside a chunk) for any byte that
    // may start one; almost every log has none.
    let suspect =
        |b: u8| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t')) || b == 0x7f || b == 0xc2;
    if !bytes
        .chunks(64)
        .any(|chunk| chunk.iter().fold(false, |any, &b| any | suspect(b)))
    {
        return false;
    }
    bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t'))
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    })
}

/// The diagnostic with its message, labels and hint made [`printable`] (they quote the log),
/// or `None` when they already are.
fn printable_parts(d: &Diagnostic) -> Option<Diagnostic> {
    let texts = [Some(&d.message), d.label.as_ref(), d.hint.as_ref()];
    let clean = texts
        .iter()
        .flatten()
        .all(|t| matches!(printable(t), Cow::Borrowed(_)))
        && d.related
            .iter()
            .all(|r| matches!(printable(&r.label), Cow::Borrowed(_)));
    if clean {
        return None;
    }
    let fix = |t: &String| printable(t).into_owned();
    Some(Diagnostic {
        code: d.code,
        message: fix(&d.message),
        span: d.span.clone(),
        label: d.label.as_ref().map(fix),
        hint: d.hint.as_ref().map(fix),
        related: d
            .related
            .iter()
            .map(|r| Related {
                span: r.span.clone(),
                label: fix(&r.label),
            })
            .collect(),
        suggestions: d.suggestions.clone(),
    })
}

/// Lines longer than this (in bytes) are not drawn in a snippet: a 10 MB line would be
/// printed whole, and miette's underline arithmetic panics on such widths. The diagnostic
/// then names `file:line:column` without a snippet.
const MAX_SNIPPET_LINE: usize = 1_000;

/// Whether a line the snippet of `span` would show (with one line of context on each side)
/// is longer than [`MAX_SNIPPET_LINE`].
fn snippet_too_long(source: &Source, span: &Range<usize>) -> bool {
    let text = source.text();
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let from = text[..start]
        .rmatch_indices('\n')
        .nth(1)
        .map_or(0, |(i, _)| i + 1);
    let to = text[end..]
        .match_indices('\n')
        .nth(1)
        .map_or(text.len(), |(i, _)| end + i);
    text.as_bytes()[from..to]
        .split(|&b| b == b'\n')
        .any(|line| line.len() > MAX_SNIPPET_LINE)
}

/// One diagnostic as a JSON object for editors and CI.
#[derive(Debug, Clone, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub file: &'a str,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Level,
    pub message: &'a str,
    pub label: Option<&'a str>,
    pub hint: Option<&'a str>,
}

impl<'a> JsonDiagnostic<'a> {
    pub fn new(source: &'a Source, d: &'a Diagnostic) -> Self {
        let start = d.span.as_ref().map(|s| source.line_col(s.start));
        let end = d.span.as_ref().map(|s| source.line_col(s.end));
        JsonDiagnostic {
            file: source.name(),
            line: start.map(|lc| lc.line),
            column: start.map(|lc| lc.column),
            end_line: end.map(|lc| lc.line),
            end_column: end.map(|lc| lc.column),
            code: d.code.code(),
            name: d.code.name(),
            severity: d.level(),
            message: &d.message,
            label: d.label.as_deref(),
            hint: d.hint.as_deref(),
        }
    }
}

/// Adapts a [`Diagnostic`] to miette's renderer.
struct MietteReport<'a> {
    diagnostic: &'a Diagnostic,
    source: Borrowed<'a>,
    /// Whether to draw the snippet (not for overlong lines).
    snippet: bool,
}

/// The text of a log lent to miette with its name. miette's `NamedSource` owns its text, and
/// copying a large log once per diagnostic made a log with many warnings quadratic.
struct Borrowed<'a> {
    name: &'a str,
    text: &'a str,
    /// The source `text` was made printable from (byte for byte, so its lines are the same).
    lines: &'a Source,
}

impl Borrowed<'_> {
    /// Where miette may start reading the lines around `offset` with `before` lines of context
    /// (the start of a line more than `before` lines above, so that what it reads there is
    /// what it would read from the start of the text), and how many lines miette would have
    /// counted before it.
    fn window(&self, offset: usize, before: usize) -> (usize, usize) {
        let line = self.lines.line_col(offset).line;
        let Some(above) = line.checked_sub(before + 2).filter(|&l| l > 0) else {
            return (0, 0);
        };
        let Some(start) = self.lines.offset_of(above, 1) else {
            return (0, 0);
        };
        // `above - 1` line feeds come before it; miette also ends a line at a lone `\r`.
        let head = &self.text.as_bytes()[..start];
        let returns = if head.contains(&b'\r') {
            head.windows(2)
                .filter(|pair| pair[0] == b'\r' && pair[1] != b'\n')
                .count()
        } else {
            0
        };
        (start, above - 1 + returns)
    }
}

impl miette::SourceCode for Borrowed<'_> {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        // miette counts lines from the start of what it is given: a diagnostic near the end
        // of a long log would cost a pass over all of it. It is given the text from a line a
        // little above the context instead, and told the lines it did not see.
        let (start, skipped) = self.window(span.offset(), context_lines_before);
        let shifted = miette::SourceSpan::new((span.offset() - start).into(), span.len());
        let inner =
            self.text[start..].read_span(&shifted, context_lines_before, context_lines_after)?;
        let read = *inner.span();
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_owned(),
            inner.data(),
            miette::SourceSpan::new((read.offset() + start).into(), read.len()),
            inner.line() + skipped,
            inner.column(),
            inner.line_count() + skipped,
        )))
    }
}

impl fmt::Debug for MietteReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for MietteReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for MietteReport<'_> {}

impl miette::Diagnostic for MietteReport<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.level() {
            Level::Error => miette::Severity::Error,
            Level::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .hint
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        let shown = self.snippet && self.diagnostic.span.is_some();
        shown.then_some(&self.source as _)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.snippet {
            return None;
        }
        let span = self.diagnostic.span.clone()?;
        let primary = LabeledSpan::new_primary_with_span(self.diagnostic.label.clone(), span);
        let related = self
            .diagnostic
            .related
            .iter()
            .map(|r| LabeledSpan::new_with_span(Some(r.label.clone()), r.span.clone()));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_check_finds_every_control_character() {
        let unsafe_char = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
        for c in ('\0'..='\u{2000}').chain(['\u{feff}', '\u{10ffff}']) {
            for text in [c.to_string(), format!("a{c}b"), format!("é{c}")] {
                assert_eq!(
                    has_unsafe_byte(&text),
                    text.chars().any(unsafe_char),
                    "{:?}",
                    c as u32
                );
            }
        }
    }

    /// miette is given the text from a line above the context; what it draws is what it drew
    /// from the whole text, on any line, after `\r\n` and lone `\r` line ends too.
    #[test]
    fn a_snippet_read_from_a_window_is_the_one_read_from_the_start() {
        use miette::SourceCode;
        let text = "a: 1\nb: 2\r\nc: 3\rd: 4\n\ne: 5\nf: 6\ng: 7\n";
        let source = Source::from_text("x.yaml", text);
        let windowed = Borrowed {
            name: "x.yaml",
            text,
            lines: &source,
        };
        for offset in 0..=text.len() {
            for len in [0, 1, 3] {
                for context in [0, 1, 2] {
                    let span = miette::SourceSpan::new(offset.into(), len);
                    let whole = text.read_span(&span, context, context);
                    let window = windowed.read_span(&span, context, context);
                    match (whole, window) {
                        (Ok(w), Ok(v)) => {
                            let at = (offset, len, context);
                            assert_eq!(w.data(), v.data(), "{at:?}");
                            assert_eq!(w.span(), v.span(), "{at:?}");
                            assert_eq!(w.line(), v.line(), "{at:?}");
                            assert_eq!(w.column(), v.column(), "{at:?}");
                            assert_eq!(w.line_count(), v.line_count(), "{at:?}");
                        }
                        (w, v) => assert_eq!(w.is_err(), v.is_err(), "{offset} {len}"),
                    }
                }
            }
        }
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.code()), "duplicate {}", code.code());
            let prefix = if code.level() == Level::Error {
                'E'
            } else {
                'W'
            };
            assert!(code.code().starts_with(prefix), "{code}");
        }
    }

    #[test]
    fn did_you_mean_finds_close_words_only() {
        let fields = ["title", "severity", "timeline", "timezone"];
        assert_eq!(did_you_mean("titel", fields), Some("title"));
        assert_eq!(did_you_mean("timzone", fields), Some("timezone"));
        assert_eq!(did_you_mean("owner", fields), None);
    }

    #[test]
    fn closest_gives_at_most_max_names_best_first() {
        let names = ["API", "APIs", "API v2", "Web", "Apis"];
        assert_eq!(closest("api", names, 3), ["API", "APIs", "Apis"]);
        assert_eq!(closest("api", names, 1), ["API"]);
        assert!(closest("database", names, 3).is_empty());
    }

    #[test]
    fn one_of_joins_with_or() {
        assert_eq!(one_of(&["a"]), "`a`");
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
    }

    /// Regression: a syntax error on a 10 MB line made miette panic ("Formatting argument
    /// out of range") and would have printed the whole line.
    #[test]
    fn an_error_on_a_very_long_line_names_its_place_without_a_snippet() {
        let line = "x".repeat(10 * 1024 * 1024);
        let text = format!("title: a\ntext: {line}: y\n");
        let source = Source::from_text("long.yaml", text);
        let d = Diagnostic::new(Code::YamlSyntax, "mapping values are not allowed here")
            .at(15 + line.len()..16 + line.len(), "here")
            .hint("quote it");
        let out = render_human(&source, &d, RenderStyle::default());
        assert!(out.len() < 1_000, "{} bytes", out.len());
        assert!(out.starts_with("long.yaml:2:"), "{out}");
        assert!(
            out.contains("mapping values") && out.contains("quote it"),
            "{out}"
        );
        let short = Source::from_text("short.yaml", "title: a\ntext: x: y\n");
        let d = Diagnostic::new(Code::YamlSyntax, "bad").at(16..17, "here");
        assert!(render_human(&short, &d, RenderStyle::default()).contains("text: x: y"));
    }

    /// Regression (hardening): a log's `ESC` and `BEL` reached the terminal in the snippet
    /// and in messages quoting the log, so a hostile log could retitle or clear a terminal.
    #[test]
    fn control_characters_of_a_log_never_reach_the_terminal() {
        let text = "title: a\nseverity: SEV3 \u{1b}]0;PWNED\u{7}\u{9b}2J x\n";
        let source = Source::from_text("esc.yaml", text);
        let d = Diagnostic::new(Code::InvalidValue, "invalid `\u{1b}[31m`")
            .at(19..20, "bad \u{1b}")
            .hint("use \u{7}");
        let out = render_human(&source, &d, RenderStyle::default());
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        assert!(out.contains("SEV3 ?]0;PWNED???2J x"), "{out}");
        assert!(out.contains("esc.yaml:2:"), "{out}");
        let colored = render_human(
            &source,
            &d,
            RenderStyle {
                color: true,
                ..RenderStyle::default()
            },
        );
        assert!(
            !colored.contains("\u{1b}]0;") && !colored.contains("\u{7}"),
            "{colored:?}"
        );
    }

    #[test]
    fn human_rendering_names_file_line_and_column() {
        let source = Source::from_text("x.yaml", "title: a\nseverity: SEV9\n");
        let d = Diagnostic::new(Code::InvalidValue, "invalid severity `SEV9`")
            .at(19..23, "not a severity")
            .hint("use SEV1 (worst) to SEV5");
        let out = render_human(&source, &d, RenderStyle::default());
        assert!(out.contains("x.yaml:2:11"), "{out}");
        assert!(out.contains("E005 invalid-value"), "{out}");
        assert!(out.contains("use SEV1 (worst) to SEV5"), "{out}");
    }
}
