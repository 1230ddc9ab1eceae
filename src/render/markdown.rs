//! Markdown fields of a log rendered for HTML reports (sanitised HTML) and tooltips (plain
//! text). This is a renderer, not an escaper: how text is made safe for each context, the
//! Markdown of Markdown reports included, is `crate::escape`'s alone.
//!
//! A log is untrusted input. Raw HTML inside Markdown is shown as text, never passed through,
//! and links whose target [`crate::escape::url`] refuses lose it. ammonia then cleans the
//! HTML as a second line of defence, unless it holds nothing but escaped text and bare
//! formatting tags (most prose): there ammonia would give back the same bytes, and it is
//! four fifths of the cost of a field.

use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd, html};

use crate::escape::{SAFE_SCHEMES, is_safe_url, markdown_options as options};

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(SAFE_SCHEMES.iter().copied().collect());
    b.link_rel(Some("noopener noreferrer"));
    b
});

/// Markdown to HTML that is safe to embed: raw HTML is shown as text, unsafe links are
/// dropped, and the result is cleaned by ammonia.
pub fn to_html(markdown: &str) -> String {
    let html = unsanitised_html(markdown);
    if is_bare(&html) {
        return html;
    }
    CLEANER.clean(&html).to_string()
}

/// Tags pulldown-cmark writes without attributes, every one allowed by ammonia.
const BARE_TAGS: &[&str] = &[
    "p",
    "strong",
    "em",
    "code",
    "del",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

/// Whether `html` is text and bare tags only: every `<` opens or closes one of [`BARE_TAGS`]
/// with no attribute, every `&` is `&amp;`, `&lt;` or `&gt;`, and no character is one the
/// HTML parser changes (carriage return, other controls, no-break space). Such HTML comes
/// out of ammonia (html5ever's parse and serialisation) byte for byte as it went in, and
/// nothing in it can run: the test `bare_html_is_what_ammonia_gives_back` holds us to both.
fn is_bare(html: &str) -> bool {
    let special = |c: char| matches!(c, '<' | '&' | '\u{a0}') || (c.is_control() && c != '\n');
    let mut rest = html;
    while let Some(i) = rest.find(special) {
        rest = &rest[i..];
        let len = if rest.starts_with('<') {
            let Some(end) = rest.find('>') else {
                return false;
            };
            let name = rest[1..end].strip_prefix('/').unwrap_or(&rest[1..end]);
            if !BARE_TAGS.contains(&name) {
                return false;
            }
            end + 1
        } else if let Some(entity) = ["&amp;", "&lt;", "&gt;"]
            .into_iter()
            .find(|e| rest.starts_with(e))
        {
            entity.len()
        } else {
            return false;
        };
        rest = &rest[len..];
    }
    true
}

/// Markdown to HTML, raw HTML shown as text and unsafe link targets dropped; not yet cleaned.
fn unsanitised_html(markdown: &str) -> String {
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
    out
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
    fn plain_text() {
        assert_eq!(plain("**A** `b`\n\nc <i>"), "A b c <i>");
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

    #[test]
    fn bare_html_is_recognised() {
        let cases: &[(&str, bool)] = &[
            (
                "<p>a <strong>b</strong> <code>&lt;c&gt;</code> &amp; \"d\"</p>\n",
                true,
            ),
            (
                "<ul>\n<li>a</li>\n</ul>\n<h2>t</h2>\n<blockquote>\n<p>q</p>\n</blockquote>\n",
                true,
            ),
            ("", true),
            ("<p>a<br />b</p>", false),
            ("<a href=\"x\">a</a>", false),
            ("<ol start=\"3\">", false),
            ("<pre><code>x</code></pre>", false),
            ("<p>a\u{a0}b</p>", false),
            ("<p>a\rb</p>", false),
            ("<p>a\tb</p>", false),
            ("<p>&quot;</p>", false),
            ("<p>a &lt b</p>", false),
            ("<p", false),
            ("<script>x</script>", false),
        ];
        for (html, bare) in cases {
            assert_eq!(is_bare(html), *bare, "{html:?}");
        }
    }

    proptest::proptest! {
        /// Where `to_html` skips ammonia, ammonia would have given back the same bytes.
        #[test]
        fn bare_html_is_what_ammonia_gives_back(parts in proptest::collection::vec(proptest::sample::select(vec![
            "text", " ", "\n", "\n\n", "**", "*", "_", "`", "~~", "# ", "## ", "###### ", "- ", "* ", "1. ",
            "3. ", "> ", "  ", "\t", "&", "&amp;", "&copy;", "&#65;", "<", ">", "\"", "'", "\u{a0}", "\r\n", "\r",
            "\u{0}", "\u{1}", "\u{85}", "\\", "é", "😀", "<b>", "[a](https://x.example)", "```\n", "    code",
            "---\n", "| a |\n|---|\n", "<!--", "]]>", "\u{200b}", "\u{feff}", "\u{fffd}",
        ]), 0..12)) {
            let input: String = parts.concat();
            let html = unsanitised_html(&input);
            if is_bare(&html) {
                proptest::prop_assert_eq!(CLEANER.clean(&html).to_string(), html);
            }
        }
    }

    proptest::proptest! {
        /// Markdown built from the pieces attacks are made of never yields a live tag, handler
        /// or script URL, as written or made a safe block first.
        #[test]
        fn no_markdown_yields_live_html_tags(parts in proptest::collection::vec(proptest::sample::select(vec![
            "<script>", "</script>", "<img src=x onerror=y>", "[a](javascript:x)", "<a href='javascript:x'>",
            "\n", "\n\n", "`", "```\n", "**", "<!--", "-->", "]]>", "</style>", "| ", "# ", "- ", "  ",
            "text", "<div>", "&lt;", "\\", "<https://ok.example>", "<javascript:x>", "[r]: javascript:y\n", "[r]",
        ]), 0..24)) {
            let input: String = parts.concat();
            let html = to_html(&input);
            proptest::prop_assert!(inert(&html), "{html}");
            let once = crate::escape::markdown_block(&input);
            proptest::prop_assert!(inert(&to_html(&once)));
        }
    }
}
