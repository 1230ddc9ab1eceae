//! Markdown fields of a log rendered for HTML reports (sanitised HTML) and tooltips (plain
//! text). This is a renderer, not an escaper: how text is made safe for each context, the
//! Markdown of Markdown reports included, is `crate::escape`'s alone.
//!
//! A log is untrusted input. Raw HTML inside Markdown is shown as text, never passed through,
//! and links whose target [`crate::escape::url`] refuses lose it. ammonia then cleans the
//! HTML as a second line of defence.

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
