//! Markdown fields of a log, made safe for each output: sanitised HTML for HTML reports,
//! neutralised Markdown for Markdown reports, plain text for tooltips.
//!
//! A log is untrusted input. Raw HTML inside Markdown is shown as text, never passed through,
//! and links whose scheme is not on the allow-list lose their target. ammonia then cleans the
//! HTML as a second line of defence.

use std::borrow::Cow;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// URL schemes a report may link to; a URL without a scheme (relative) is also allowed.
const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto"];

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(SAFE_SCHEMES.iter().copied().collect());
    b.link_rel(Some("noopener noreferrer"));
    b
});

/// Whether `url` may be a link target: http(s), mailto, or relative, with no whitespace or
/// control characters.
pub fn is_safe_url(url: &str) -> bool {
    let url = url.trim();
    if url.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    match scheme_of(url) {
        Some(scheme) => SAFE_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)),
        None => !url.starts_with("//"),
    }
}

/// The scheme of a URL (`https` in `https://x`), if it has one.
fn scheme_of(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#'])?;
    if !url[end..].starts_with(':') || end == 0 {
        return None;
    }
    let scheme = &url[..end];
    scheme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        .then_some(scheme)
}

/// Markdown to HTML that is safe to embed: raw HTML is shown as text, unsafe links are
/// dropped, and the result is cleaned by ammonia.
pub fn to_html(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !is_safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed(""),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !is_safe_url(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed(""),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    CLEANER.clean(&out).to_string()
}

/// A Markdown field as it goes into a Markdown report: unchanged, except that raw HTML is
/// escaped so it shows as text, and a link with an unsafe target is replaced by its text.
///
/// Escaping an HTML block can turn the text after it back into Markdown (a link that was
/// inert inside the block becomes live), so this repeats until nothing changes; if that
/// does not settle, the whole field is escaped as plain text.
pub fn neutralise(markdown: &str) -> String {
    let mut current = markdown.to_owned();
    for _ in 0..8 {
        let next = neutralise_once(&current);
        if next == current {
            return next;
        }
        current = next;
    }
    current
        .lines()
        .map(escape_inline)
        .collect::<Vec<_>>()
        .join("\n")
}

fn neutralise_once(markdown: &str) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut link_depth = 0usize;
    let mut unsafe_link: Option<(usize, String)> = None;
    let mut in_code_block = false;
    let parser = Parser::new_ext(markdown, options());
    // A reference definition yields no event, yet it turns `[x]` anywhere in the document
    // into a link; a Markdown report joins many fields into one document, so a definition
    // with an unsafe target must stop being one (its `[` is escaped).
    for (_, def) in parser.reference_definitions().iter() {
        if !is_safe_url(&def.dest)
            && let Some(at) = markdown[def.span.clone()].find('[')
        {
            let at = def.span.start + at;
            edits.push((at..at + 1, "\\[".to_owned()));
        }
    }
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            // A `<` that Markdown kept as text (`<!-- x` with no end) could still become HTML
            // once the text is joined with other text, so it is escaped too.
            Event::Text(_)
                if !in_code_block
                    && unsafe_link.is_none()
                    && markdown[range.clone()].contains('<') =>
            {
                edits.push((range.clone(), markdown[range].replace('<', "&lt;")));
            }
            Event::Html(raw) | Event::InlineHtml(raw) if unsafe_link.is_none() => {
                edits.push((range, escape_html_in_markdown(&raw)));
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                link_depth += 1;
                if unsafe_link.is_none() && !is_safe_url(&dest_url) {
                    unsafe_link = Some((range.start, String::new()));
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                link_depth = link_depth.saturating_sub(1);
                if link_depth == 0
                    && let Some((start, text)) = unsafe_link.take()
                {
                    edits.push((start..range.end, escape_inline(&text)));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = unsafe_link.as_mut() {
                    text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    apply(markdown, edits)
}

/// Applies non-overlapping edits in order; an edit inside an earlier one is skipped.
fn apply(text: &str, mut edits: Vec<(std::ops::Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, replacement) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Raw HTML written in Markdown, made to show as text.
fn escape_html_in_markdown(raw: &str) -> String {
    raw.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A Markdown field on one line, for a table cell: neutralised, lines joined, pipes escaped.
pub fn inline(markdown: &str) -> String {
    let safe = neutralise(markdown);
    let joined = safe.split_whitespace().collect::<Vec<_>>().join(" ");
    joined.replace('|', "\\|")
}

/// The text of a Markdown field without any markup, on one line (tooltips, JSON-free places).
pub fn plain(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain text made literal in Markdown: every character with a meaning is backslash-escaped
/// and line breaks become spaces, so a title or a service name cannot start a heading, a
/// table cell, a link or raw HTML. This is the autoescape function of Markdown templates.
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '&' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A whole Markdown or HTML report with the control characters of its logs dropped (tab and
/// line breaks stay): a report may be printed on a terminal, where an `ESC` from a log would
/// start an escape sequence, and HTML forbids them anyway. JSON escapes them instead.
pub fn strip_controls(text: String) -> String {
    let dropped = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    if !text.chars().any(dropped) {
        return text;
    }
    text.chars().filter(|&c| !dropped(c)).collect()
}

/// [`strip_controls`] for coloured terminal output: the colour sequences (`ESC [ 1;31 m`, SGR)
/// stay, every other escape sequence loses its `ESC` (and so cannot retitle, clear or move
/// anything), and other control characters are dropped. An SGR sequence written in a log
/// stays too: it can only change colours.
pub fn strip_controls_but_colours(text: String) -> String {
    let dropped = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    if !text.chars().any(dropped) {
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
                if !dropped(c) {
                    out.push(c);
                }
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// Text made safe for XML and HTML, attributes included.
pub fn escape_xml(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) && !text.chars().any(char::is_control) {
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
            '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_keeps_markdown_and_drops_what_could_run() {
        let cases: &[(&str, &str, &str)] = &[
            ("**bold** and `code`", "<strong>bold</strong>", "<script"),
            ("<script>alert(1)</script>", "&lt;script&gt;", "<script"),
            ("<img src=x onerror=alert(1)>", "&lt;img", "<img"),
            ("[x](javascript:alert(1))", ">x</a>", "javascript:"),
            ("[x](JaVaScRiPt:alert(1))", ">x</a>", "avascript:"),
            (
                "[x](https://example.com)",
                "href=\"https://example.com\"",
                "<script",
            ),
            ("</style><b>x</b>", "&lt;/style&gt;", "</style>"),
            ("a ]]> b", "]]&gt;", "]]>"),
        ];
        for (input, has, lacks) in cases {
            let out = to_html(input);
            assert!(out.contains(has), "{input:?} -> {out:?} lacks {has:?}");
            assert!(!out.contains(lacks), "{input:?} -> {out:?} has {lacks:?}");
        }
    }

    #[test]
    fn neutralised_markdown_shows_html_as_text() {
        let cases: &[(&str, &str)] = &[
            ("plain **bold**", "plain **bold**"),
            (
                "a <script>x</script> b",
                "a &lt;script&gt;x&lt;/script&gt; b",
            ),
            (
                "<div onclick=x>\nhi\n</div>\n",
                "&lt;div onclick=x&gt;\nhi\n&lt;/div&gt;\n",
            ),
            ("see [here](javascript:alert(1)) now", "see here now"),
            (
                "see <javascript:alert(1)> now",
                "see javascript:alert(1) now",
            ),
            (
                "ok [link](https://a.example/x)",
                "ok [link](https://a.example/x)",
            ),
            ("`<b>` stays code", "`<b>` stays code"),
            ("a <!-- open", "a &lt;!-- open"),
            ("```\n<b>\n```\n", "```\n<b>\n```\n"),
            (
                "<img src=x onerror=y>\n[a](javascript:x)\n",
                "&lt;img src=x onerror=y&gt;\na\n",
            ),
            // Regression (XSS corpus): an unsafe reference definition stayed, and a `[x]`
            // in another field of the same Markdown report became a live link.
            (
                "[r][x]\n\n[x]: javascript:alert(1)\n",
                "r\n\n\\[x]: javascript:alert(1)\n",
            ),
            ("[x]: https://ok.example\n", "[x]: https://ok.example\n"),
        ];
        for (input, expected) in cases {
            assert_eq!(&neutralise(input), expected, "{input:?}");
        }
    }

    #[test]
    fn urls() {
        for good in [
            "https://x.example/a",
            "http://x",
            "mailto:a@b",
            "/rel",
            "page.html",
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
            "//evil.example",
        ] {
            assert!(!is_safe_url(bad), "{bad}");
        }
    }

    #[test]
    fn control_characters_are_dropped_from_reports() {
        let text = "a\u{1b}[2J b\u{7}\u{9b}c\td\r\ne".to_owned();
        assert_eq!(strip_controls(text), "a[2J bc\td\r\ne");
        assert_eq!(strip_controls("plain\n".into()), "plain\n");
        let coloured = "\u{1b}[1;31mred\u{1b}[0m \u{1b}]0;title\u{7} \u{1b}[2J".to_owned();
        assert_eq!(
            strip_controls_but_colours(coloured),
            "\u{1b}[1;31mred\u{1b}[0m ]0;title [2J"
        );
    }

    #[test]
    fn inline_and_plain() {
        assert_eq!(inline("a | b\n\nc"), "a \\| b c");
        assert_eq!(plain("**A** `b`\n\nc <i>"), "A b c <i>");
        assert_eq!(escape_inline("# a:b | <x>"), "\\# a:b \\| \\<x\\>");
        assert_eq!(escape_xml("a<b>\"'&"), "a&lt;b&gt;&quot;&#39;&amp;");
    }

    /// Whether every tag in `html` is harmless: a known element, no handler, no script URL.
    fn inert(html: &str) -> bool {
        const TAGS: &[&str] = &[
            "p",
            "a",
            "code",
            "pre",
            "em",
            "strong",
            "ul",
            "ol",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "br",
            "hr",
            "blockquote",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "del",
            "input",
        ];
        let lower = html.to_ascii_lowercase();
        lower.split('<').skip(1).all(|rest| {
            let tag = rest.split('>').next().unwrap_or_default();
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            name.is_empty()
                || (TAGS.contains(&name.as_str())
                    && !tag.split_whitespace().skip(1).any(|a| a.starts_with("on"))
                    && !tag.contains("javascript:"))
        })
    }

    proptest::proptest! {
        /// Markdown built from the pieces attacks are made of never yields a live tag, handler
        /// or script URL, and neutralising is stable.
        #[test]
        fn no_markdown_yields_live_html(parts in proptest::collection::vec(proptest::sample::select(vec![
            "<script>", "</script>", "<img src=x onerror=y>", "[a](javascript:x)", "<a href='javascript:x'>",
            "\n", "\n\n", "`", "```\n", "**", "<!--", "-->", "]]>", "</style>", "| ", "# ", "- ", "  ",
            "text", "<div>", "&lt;", "\\", "<https://ok.example>", "<javascript:x>", "[r]: javascript:y\n", "[r]",
        ]), 0..24)) {
            let input: String = parts.concat();
            let html = to_html(&input);
            proptest::prop_assert!(inert(&html), "{html}");
            let once = neutralise(&input);
            proptest::prop_assert_eq!(neutralise(&once), once.clone());
            proptest::prop_assert!(inert(&to_html(&once)));
        }
    }
}
