//! Any text as a Markdown field, through every path a report takes it: sanitised HTML,
//! a safe Markdown block, a flattened table cell, plain text, escaped text. Never a panic,
//! never a live tag, handler or script URL in the HTML, and making a block safe is stable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postevent::escape::{markdown_block, markdown_flat, markdown_inline, xml};
use postevent::render::markdown::{plain, to_html};

/// Tags the sanitiser may let through: what pulldown-cmark makes from Markdown.
const TAGS: &[&str] = &[
    "p",
    "a",
    "img",
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

/// Whether every tag in `html` is a known element without a handler or a script URL.
fn assert_inert(html: &str, input: &str) {
    let lower = html.to_ascii_lowercase();
    for rest in lower.split('<').skip(1) {
        let tag = rest.split('>').next().unwrap_or_default();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if name.is_empty() {
            continue;
        }
        assert!(
            TAGS.contains(&name.as_str()),
            "tag <{name}> from {input:?}: {html}"
        );
        for attr in tag.split_whitespace().skip(1) {
            assert!(!attr.starts_with("on"), "handler in <{tag}> from {input:?}");
        }
        // ammonia writes every attribute value in double quotes.
        for attr in ["href=\"", "src=\""] {
            for (at, _) in tag.match_indices(attr) {
                let value: String = tag[at + attr.len()..]
                    .chars()
                    .take_while(|&c| c != '"')
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(
                        !value.starts_with(scheme),
                        "{scheme} in <{tag}> from {input:?}"
                    );
                }
            }
        }
    }
}

fuzz_target!(|text: &str| {
    let html = to_html(text);
    assert_inert(&html, text);
    let once = markdown_block(text);
    assert_eq!(
        markdown_block(&once),
        once,
        "markdown_block is not stable on {text:?}"
    );
    assert_inert(&to_html(&once), text);
    let cell = markdown_flat(text);
    assert!(!cell.contains('\n'), "a table cell spans lines: {cell:?}");
    assert_inert(&to_html(&cell), text);
    let _ = plain(text);
    let escaped = markdown_inline(text);
    assert!(!escaped.contains('\n'));
    let xml = xml(text);
    assert!(
        !xml.contains(['<', '>', '"']),
        "escape::xml left markup: {xml:?}"
    );
    assert!(
        !xml.chars()
            .any(|c| c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}')),
        "escape::xml left a character XML forbids: {xml:?}"
    );
});
