//! How text is made safe: this is the one module that answers it. Every piece of text from a
//! log that reaches an output goes through one of the functions below, chosen by the context
//! it lands in; no other module escapes anything.
//!
//! | Context | Function | Rule |
//! |---|---|---|
//! | HTML text and HTML attribute (quoted) | [`html_text`] | `& < > " '` become references (both quotes, so one rule serves both contexts); control characters other than tab and line breaks are dropped |
//! | URL (link target) | [`url`] | http, https, mailto or relative; anything else is refused: `javascript:`, `vbscript:`, `data:`, `//host` and `/\host` (browsers read a `\` as `/`), whitespace or control characters anywhere |
//! | XML 1.0 (feed.xml, SVG) | [`xml`] | as HTML text, on one line (tab and line breaks become spaces), and characters XML 1.0 forbids (C0 controls, U+FFFE, U+FFFF) are removed or replaced by U+FFFD, so the document always parses |
//! | Markdown inline (plain text) | [`markdown_inline`] | every character with a meaning gets a backslash (a list or rule marker only at the start), `{` becomes `&#123;` (heading attributes); line breaks become spaces |
//! | Markdown source (plain text, line breaks kept) | [`markdown_text`] | Markdown inline per line (an imported log's text) |
//! | Markdown table cell (plain text) | [`markdown_table_cell`] | Markdown inline per line, lines joined by `<br>` |
//! | Markdown block (a Markdown field) | [`markdown_block`] | structure kept; raw HTML shown as text, unsafe links, reference definitions and footnote-like definitions disarmed, wikilinks and heading attributes made text, an unclosed code fence closed |
//! | Markdown flattened from a block | [`markdown_flat`] | parsed, then written again on one line: code blocks become code spans, HTML and every text become escaped text, only safe links stay links |
//! | Markdown link target | [`markdown_link_target`] | space, `(`, `)`, `<`, `>` percent-encoded; `\\` and `\|` backslash-escaped |
//! | Mermaid | [`mermaid`] | the characters Mermaid reads as syntax become its `#NN;` entities; one line |
//! | YAML and TOML strings (front matter, written logs) | [`front_matter_string`] | a double-quoted string whose escapes both read alike; control characters (C0, DEL, C1) and U+FFFE, U+FFFF escaped |
//! | Terminal | [`terminal`], [`terminal_with_colours`] | control characters dropped but tab and line breaks; optionally SGR colours kept |
//! | CSV field (RFC 4180) | [`csv_field`] | quoted when it holds `,` `"` or a line break, `"` doubled; a text starting with `=` `+` `-` `@` (a spreadsheet formula) gets a leading `'`; control characters but line breaks and tab dropped |
//!
//! Markdown outputs are read by renderers with more extensions than postevent's (mdBook,
//! Zola, pandoc, GitHub): the Markdown rules hold against pulldown-cmark with every extension
//! on and raw HTML passed through (`tests/it/xss.rs`, `every_markdown_output_is_inert`).
//!
//! Markdown is turned into HTML (sanitised) by `render::markdown::to_html`, a renderer that
//! uses [`url`] and [`SAFE_SCHEMES`] from here.

mod markdown;

use std::borrow::Cow;
use std::fmt::Write as _;

pub use markdown::{
    markdown_block, markdown_flat, markdown_inline, markdown_link_target, markdown_table_cell,
    markdown_text, options as markdown_options,
};

/// URL schemes a link may use; a URL without a scheme (relative) is also allowed.
pub const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Text made safe inside an HTML element, and inside a quoted attribute value: `&`, `<`, `>`,
/// `"` and `'` become character references (as Tera's own HTML escaping does), and control
/// characters other than tab and line breaks, which HTML forbids, are dropped.
pub fn html_text(text: &str) -> Cow<'_, str> {
    markup(text, false, |_| None)
}

/// [`html_text`] written to `out`: the autoescape function of HTML and SVG templates.
pub fn html_text_to(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(html_text(text).as_bytes())
}

/// [`markdown_inline`] written to `out`: the autoescape function of Markdown templates.
pub fn markdown_inline_to(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(markdown_inline(text).as_bytes())
}

/// Text made safe in an XML 1.0 document, as element text or a quoted attribute value: as
/// [`html_text`], on one line (tab and line breaks become spaces, as an attribute value reads
/// them anyway), and every character XML 1.0 does not allow is dropped (C0 controls)
/// or replaced by U+FFFD (U+FFFE, U+FFFF), so the document always parses. Rust strings hold
/// no lone surrogates, the last kind XML forbids.
pub fn xml(text: &str) -> Cow<'_, str> {
    markup(text, true, |c| {
        matches!(c, '\u{FFFE}' | '\u{FFFF}').then_some('\u{FFFD}')
    })
}

/// The one markup escaper: `one_line` turns tab and line breaks into spaces; `replace` maps a
/// character to another (or keeps it with `None`).
fn markup(text: &str, one_line: bool, replace: impl Fn(char) -> Option<char>) -> Cow<'_, str> {
    let special = |c: char| {
        matches!(c, '&' | '<' | '>' | '"' | '\'') || c.is_control() || replace(c).is_some()
    };
    if !text.chars().any(special) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\r' | '\t' if one_line => out.push(' '),
            '\n' | '\r' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(replace(c).unwrap_or(c)),
        }
    }
    Cow::Owned(out)
}

/// `url` when it may be a link target: http, https, mailto or relative, with no whitespace
/// or control character anywhere. Refused: any other scheme (`javascript:`, `vbscript:`,
/// `data:`, ...), and a scheme-relative URL (`//host`), however its slashes are written:
/// browsers read `\` as `/`, so `/\host` and `\\host` go to another host too.
pub fn url(url: &str) -> Option<&str> {
    let url = url.trim();
    if url.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let safe = match scheme_of(url) {
        Some(scheme) => SAFE_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)),
        None => {
            let mut start = url.chars().take(2);
            // A relative reference whose first segment holds `:` is not one (RFC 3986, 4.2):
            // `[[javascript:x]]` is refused, not left for a reader to guess at.
            let first_segment = url.split(['/', '?', '#']).next().unwrap_or_default();
            !matches!(
                (start.next(), start.next()),
                (Some('/' | '\\'), Some('/' | '\\'))
            ) && !first_segment.contains(':')
        }
    };
    safe.then_some(url)
}

/// Whether [`url`] accepts `target`.
pub fn is_safe_url(target: &str) -> bool {
    url(target).is_some()
}

/// The scheme of a URL (`https` in `https://x`), if it has one.
fn scheme_of(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#', '\\'])?;
    if !url[end..].starts_with(':') || end == 0 {
        return None;
    }
    let scheme = &url[..end];
    scheme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        .then_some(scheme)
}

/// Text made literal in a Mermaid line: `:`, `#`, `;` and `%` would end a task name, start an
/// entity, split a statement or start a comment, so they become Mermaid entity codes; so do
/// backticks (which could close the fence) and HTML's special characters. One line, trimmed.
pub fn mermaid(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            ':' => out.push_str("#58;"),
            ';' => out.push_str("#59;"),
            '%' => out.push_str("#37;"),
            '`' => out.push_str("#96;"),
            '<' => out.push_str("#60;"),
            '>' => out.push_str("#62;"),
            '"' => out.push_str("#34;"),
            '&' => out.push_str("#38;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.trim().to_owned()
}

/// A string in YAML or TOML front matter: double-quoted, with the escapes the two formats
/// read alike (`\"`, `\\`, `\b`, `\t`, `\n`, `\f`, `\r`, `\uXXXX`). Every control character
/// (C0, DEL, C1) and U+FFFE, U+FFFF are escaped: YAML does not allow them raw and TOML does
/// not allow DEL, so a title holding one would stop Hugo or Zola. Plain text comes out as a
/// JSON string would. `log` and `new` write a log's double-quoted scalars with it too.
pub fn front_matter_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A list of strings in YAML or TOML front matter (`["a", "b"]`), each a
/// [`front_matter_string`].
pub fn front_matter_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| front_matter_string(i)).collect();
    format!("[{}]", quoted.join(","))
}

/// A whole text for a terminal (and for a report that may be printed on one): control
/// characters are dropped, tab and line breaks stay. An `ESC` from a log would start an
/// escape sequence that can retitle, clear or write the clipboard.
pub fn terminal(text: String) -> String {
    if !text.chars().any(dropped_on_terminal) {
        return text;
    }
    text.chars().filter(|&c| !dropped_on_terminal(c)).collect()
}

/// [`terminal`] as a writer: what goes through it reaches `inner` with the same characters
/// dropped, so a long report is made safe while it is written, not copied first. Call
/// [`Terminal::finish`] at the end.
pub struct Terminal<W: std::io::Write> {
    inner: W,
    /// A `0xC2` byte held back: with the next byte it may be a C1 control (U+0080 to U+009F).
    held: bool,
}

impl<W: std::io::Write> Terminal<W> {
    pub fn new(inner: W) -> Terminal<W> {
        Terminal { inner, held: false }
    }

    /// Writes a byte held back at the end of the last write, and flushes.
    pub fn finish(mut self) -> std::io::Result<W> {
        if std::mem::take(&mut self.held) {
            self.inner.write_all(&[0xC2])?;
        }
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: std::io::Write> std::io::Write for Terminal<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    /// Text is UTF-8, so the characters [`dropped_on_terminal`] drops are single bytes below
    /// 0x20 (but tab and line breaks) and 0x7F, and the pairs 0xC2 0x80 to 0xC2 0x9F.
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let c1 = |b: u8| (0x80..=0x9F).contains(&b);
        let mut start = 0;
        if std::mem::take(&mut self.held) {
            match buf.first() {
                None => {
                    self.held = true;
                    return Ok(());
                }
                Some(&b) if c1(b) => start = 1,
                Some(_) => self.inner.write_all(&[0xC2])?,
            }
        }
        let mut i = start;
        while i < buf.len() {
            let dropped = match buf[i] {
                b'\t' | b'\n' | b'\r' => 0,
                0..0x20 | 0x7F => 1,
                0xC2 if i + 1 == buf.len() => {
                    self.inner.write_all(&buf[start..i])?;
                    self.held = true;
                    return Ok(());
                }
                0xC2 if c1(buf[i + 1]) => 2,
                _ => 0,
            };
            if dropped == 0 {
                i += 1;
            } else {
                self.inner.write_all(&buf[start..i])?;
                i += dropped;
                start = i;
            }
        }
        self.inner.write_all(&buf[start..])
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// [`terminal`] for coloured output: the colour sequences (`ESC [ 1;31 m`, SGR) stay, every
/// other escape sequence loses its `ESC` (and so cannot retitle, clear or move anything), and
/// other control characters are dropped. An SGR sequence written in a log stays too: it can
/// only change colours.
pub fn terminal_with_colours(text: String) -> String {
    if !text.chars().any(dropped_on_terminal) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        let sgr = rest.strip_prefix("\u{1b}[").and_then(|params| {
            let len = params
                .find(|c: char| !(c.is_ascii_digit() || c == ';'))
                .filter(|&at| params[at..].starts_with('m'))?;
            Some(2 + len + 1)
        });
        match sgr {
            Some(len) => {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
            }
            None => {
                if !dropped_on_terminal(c) {
                    out.push(c);
                }
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

fn dropped_on_terminal(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// One CSV field (RFC 4180) holding text from a log: quoted when it holds a comma, a quote
/// or a line break, with quotes doubled. A text a spreadsheet would run as a formula (first
/// character `=`, `+`, `-` or `@`) gets a leading `'`, as OWASP advises; control characters
/// other than tab and line breaks are dropped. Numbers are written as they are, not through
/// this.
pub fn csv_field(text: &str) -> String {
    let mut clean: String = text.chars().filter(|&c| !dropped_on_terminal(c)).collect();
    if clean.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        clean.insert(0, '\'');
    }
    if clean.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", clean.replace('"', "\"\""))
    } else {
        clean
    }
}

/// One CSV record: the fields joined by commas, ended by CRLF (RFC 4180).
pub fn csv_record<S: AsRef<str>>(fields: &[S]) -> String {
    let mut out = fields
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_attributes() {
        assert_eq!(html_text("<b>\"'&\u{1}\n"), "&lt;b&gt;&quot;&#39;&amp;\n");
        assert!(matches!(html_text("plain"), Cow::Borrowed(_)));
        // Both quotes are escaped, so the text is safe in a quoted attribute too.
        assert_eq!(html_text("\" onload='x'"), "&quot; onload=&#39;x&#39;");
    }

    #[test]
    fn xml_drops_or_replaces_what_xml_forbids() {
        let out = xml("a\u{FFFE}b\u{FFFF}c\u{1}d\u{1b}e<f>&\"'\n");
        assert_eq!(out, "a\u{FFFD}b\u{FFFD}cde&lt;f&gt;&amp;&quot;&#39; ");
        // Every character left is one XML 1.0 allows, so a parser reads it back.
        let doc = format!("<r a=\"{out}\">{out}</r>");
        let parsed = roxmltree::Document::parse(&doc).expect("well-formed XML");
        assert_eq!(
            parsed.root_element().text(),
            Some("a\u{FFFD}b\u{FFFD}cde<f>&\"' ")
        );
    }

    #[test]
    fn urls() {
        for good in [
            "https://x.example/a",
            "http://x",
            "HTTPS://x",
            "mailto:a@b",
            "/rel",
            "page.html",
            "?q=1",
            "#top",
            "a/b\\c",
            "docs/a:b",
            "?q=a:b",
        ] {
            assert!(is_safe_url(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            " JAVASCRIPT:x",
            "data:text/html,x",
            "vbscript:x",
            "",
            "a b",
            "java\tscript:x",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "\\\\evil.example",
            "x\u{0}",
            "[[javascript:x]]",
            "%6Aavascript:x",
        ] {
            assert!(!is_safe_url(bad), "{bad:?}");
        }
    }

    #[test]
    fn mermaid_lines() {
        assert_eq!(mermaid("API: v2 #1; 100%"), "API#58; v2 #35;1#59; 100#37;");
        assert_eq!(mermaid("a\nb\u{1}"), "a b");
    }

    #[test]
    fn front_matter_strings_escape_every_control() {
        assert_eq!(front_matter_string("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(
            front_matter_string("x\u{7f}y\u{85}z\u{9b}\u{FFFE}\n\u{1}"),
            r#""x\u007fy\u0085z\u009b\ufffe\n\u0001""#
        );
        // Plain text comes out as JSON writes it (JSON strings are valid YAML).
        let text = "Ünïcode — \"quoted\"\ttab";
        assert_eq!(
            front_matter_string(text),
            serde_json::to_string(text).unwrap()
        );
        assert_eq!(
            front_matter_list(&["a".into(), "b\u{7f}".into()]),
            r#"["a","b\u007f"]"#
        );
        // YAML reads it back as the same text.
        let yaml = format!("t: {}\n", front_matter_string("T\u{7f}\u{85}\u{9b}\u{1}"));
        let map: std::collections::BTreeMap<String, String> =
            serde_saphyr::from_str(&yaml).unwrap();
        assert_eq!(map["t"], "T\u{7f}\u{85}\u{9b}\u{1}");
    }

    #[test]
    fn terminals_see_no_escape_sequence() {
        let text = "a\u{1b}[2J b\u{7}\u{9b}c\td\r\ne".to_owned();
        assert_eq!(terminal(text), "a[2J bc\td\r\ne");
        assert_eq!(terminal("plain\n".into()), "plain\n");
        let coloured = "\u{1b}[1;31mred\u{1b}[0m \u{1b}]0;title\u{7} \u{1b}[2J".to_owned();
        assert_eq!(
            terminal_with_colours(coloured),
            "\u{1b}[1;31mred\u{1b}[0m ]0;title [2J"
        );
    }

    proptest::proptest! {
        /// The writer drops what `terminal` drops, however the text is cut into writes.
        #[test]
        fn the_terminal_writer_is_terminal(
            parts in proptest::collection::vec("[a\u{0}-\u{1f}\u{7f}-\u{a0}\u{c0}-\u{c3}é€😀]{0,6}", 0..12),
        ) {
            use std::io::Write;
            let text: String = parts.concat();
            let mut w = Terminal::new(Vec::new());
            for part in &parts {
                // Cut inside characters too: a write can end on any byte.
                let (a, b) = part.as_bytes().split_at(part.len() / 2);
                w.write_all(a).unwrap();
                w.write_all(b).unwrap();
            }
            let out = String::from_utf8(w.finish().unwrap()).unwrap();
            proptest::prop_assert_eq!(out, terminal(text));
        }
    }

    #[test]
    fn csv_fields_are_quoted_and_disarmed() {
        let cases = [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("bell\u{7}ring", "bellring"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(csv_field(input), want, "{input:?}");
        }
        assert_eq!(csv_record(&["a", "\"b,c\""]), "a,\"b,c\"\r\n");
    }
}
