//! Status page update bodies (HTML, or plain text with the odd tag) to Markdown, safely:
//! ammonia first reduces the HTML to a few harmless tags (scripts and styles go with their
//! content, links keep only http, https and mailto targets), then its well-formed output is
//! translated tag by tag. Text is escaped, so no raw HTML reaches the Markdown.
//!
//! Nesting is bounded before the sanitiser sees it ([`flatten`]): the HTML tree-building rules
//! it follows take time in proportion to the depth for many tags (40,000 nested `<div>`s took
//! 6 s), and every level of list nesting indented every line below it (`<ul><li>` x 5,000 made
//! 37.5 MB of Markdown). Past [`MAX_DEPTH`] open elements, or [`MAX_TAGS`] start tags in one
//! body, tags are dropped and their text kept; lists indent at most [`MAX_LIST_INDENT`] levels.
//! The Markdown is then at most a small constant times the size of the HTML.

use std::collections::{HashMap, HashSet};

use crate::escape::{markdown_link_target, markdown_text};

/// The tags that survive cleaning, each of which has a Markdown form.
const TAGS: &[&str] = &[
    "a", "b", "strong", "i", "em", "code", "pre", "br", "p", "div", "ul", "ol", "li",
];

/// Most elements open at once in what the sanitiser is given.
const MAX_DEPTH: usize = 32;

/// Most start tags of one body the sanitiser is given.
const MAX_TAGS: usize = 2_000;

/// Deepest list indentation written; deeper lists are written at this level.
const MAX_LIST_INDENT: usize = 4;

/// `html` as Markdown.
pub fn to_markdown(html: &str) -> String {
    let html = flatten(html);
    let cleaned = ammonia::Builder::empty()
        .tags(TAGS.iter().copied().collect())
        .clean_content_tags(["script", "style"].into_iter().collect())
        .tag_attributes(HashMap::from([("a", HashSet::from(["href"]))]))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(None)
        .clean(&html)
        .to_string();
    let mut writer = Writer::default();
    for token in tokens(&cleaned) {
        writer.token(token);
    }
    writer.finish()
}

/// Elements that never hold others (`<br>`), so open none.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose end tag may be left out: an end tag of an element that encloses them
/// closes them too, and `<li>` or `<p>` closes an open one.
const IMPLIED_END: &[&str] = &[
    "dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc",
];

/// `html` with the start tags that would open more than [`MAX_DEPTH`] elements, or come after
/// [`MAX_TAGS`] start tags, left out, and the end tags of elements not open left out too;
/// text and everything else is kept byte for byte, in linear time.
///
/// The count of open elements errs high, never low, so the sanitiser's own tree never gets
/// deeper than the bound: every `<` followed by a letter counts as a tag (in comments and
/// scripts too, where it is text to the sanitiser), `<div/>` opens a `div` (as it does in
/// HTML), and an end tag closes only when its element is open with nothing above it but
/// elements whose end tags may be left out (a misnested one is kept but closes nothing here).
/// What is left out only loses formatting: the sanitiser still cleans whatever remains, so
/// nothing unsafe can come of it.
fn flatten(html: &str) -> std::borrow::Cow<'_, str> {
    let mut open: Vec<String> = Vec::new();
    let mut started = 0;
    let mut out = String::new();
    let mut copied = 0;
    let mut changed = false;
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(at) = html[i..].find('<').map(|at| at + i) {
        let end_tag = bytes.get(at + 1) == Some(&b'/');
        let name_at = at + 1 + usize::from(end_tag);
        if !bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = at + 1;
            continue;
        }
        let Some(close) = html[name_at..].find('>').map(|c| c + name_at) else {
            break;
        };
        let name_len = html[name_at..close]
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(close - name_at);
        let name = html[name_at..name_at + name_len].to_ascii_lowercase();
        let keep = if end_tag {
            close_element(&mut open, &name)
        } else {
            started += 1;
            open_element(&mut open, name, started)
        };
        if !keep {
            out.push_str(&html[copied..at]);
            copied = close + 1;
            changed = true;
        }
        i = close + 1;
    }
    if !changed {
        return std::borrow::Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    std::borrow::Cow::Owned(out)
}

/// Opens element `name` (the `started`th start tag), closing what it implies; whether its
/// start tag is kept.
fn open_element(open: &mut Vec<String>, name: String, started: usize) -> bool {
    if started > MAX_TAGS {
        return false;
    }
    if VOID.contains(&name.as_str()) {
        return true;
    }
    // A new item or paragraph ends the open one, as in HTML.
    if open.last().is_some_and(|top| {
        *top == name && (name == "li" || name == "p" || name == "dd" || name == "dt")
    }) {
        open.pop();
    }
    if open.len() >= MAX_DEPTH {
        return false;
    }
    open.push(name);
    true
}

/// Closes element `name` if it is open with only elements of [`IMPLIED_END`] above it;
/// whether its end tag is kept (not when no such element is open: it would close nothing).
fn close_element(open: &mut Vec<String>, name: &str) -> bool {
    if VOID.contains(&name) {
        return true; // `</br>` is a line break
    }
    let Some(at) = open.iter().rposition(|e| e == name) else {
        return false;
    };
    if open[at + 1..]
        .iter()
        .all(|e| IMPLIED_END.contains(&e.as_str()))
    {
        open.truncate(at);
    }
    true
}

/// A piece of ammonia's output: it is well-formed, attribute values are double-quoted, and
/// text only holds `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&nbsp;` entities.
#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    Open { tag: &'a str, href: Option<String> },
    Close(&'a str),
    Text(String),
}

fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<')
            && let Some(end) = after.find('>')
        {
            let inner = &after[..end];
            rest = &after[end + 1..];
            if let Some(tag) = inner.strip_prefix('/') {
                out.push(Token::Close(tag.trim()));
            } else {
                let tag = inner.split([' ', '/']).next().unwrap_or("");
                let href = inner
                    .split_once("href=\"")
                    .and_then(|(_, v)| v.split_once('"'))
                    .map(|(v, _)| decode(v));
                out.push(Token::Open { tag, href });
            }
            continue;
        }
        // A `<` that opens no tag is text; '<' is one byte, so slicing after it is safe.
        let end = match rest.strip_prefix('<') {
            Some(after) => after.find('<').map_or(rest.len(), |i| i + 1),
            None => rest.find('<').unwrap_or(rest.len()),
        };
        out.push(Token::Text(decode(&rest[..end])));
        rest = &rest[end..];
    }
    out
}

pub(super) fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Builds the Markdown from tokens.
#[derive(Default)]
struct Writer {
    out: String,
    /// Open lists: whether each is ordered, and its item count.
    lists: Vec<(bool, usize)>,
    /// Open links: where their text starts, and the target.
    links: Vec<(usize, Option<String>)>,
    /// Inside `<pre>` or `<code>`: text is written as is.
    literal: usize,
}

impl Writer {
    fn token(&mut self, token: Token) {
        match token {
            Token::Text(text) if self.literal > 0 => self.out.push_str(&text),
            Token::Text(text) => {
                // Indentation from pretty-printed HTML would read as a Markdown code block.
                let lines: Vec<&str> = text.split('\n').collect();
                for (i, line) in lines.iter().enumerate() {
                    if i > 0 {
                        self.out.push('\n');
                    }
                    let line = if i > 0 { line.trim_start() } else { line };
                    self.out.push_str(&markdown_text(line));
                }
            }
            Token::Open { tag, href } => self.open(tag, href),
            Token::Close(tag) => self.close(tag),
        }
    }

    fn open(&mut self, tag: &str, href: Option<String>) {
        match tag {
            "b" | "strong" => self.out.push_str("**"),
            "i" | "em" => self.out.push('*'),
            "code" if self.literal == 0 => {
                self.literal += 1;
                self.out.push('`');
            }
            "pre" => {
                self.block_break();
                self.out.push_str("```\n");
                self.literal += 1;
            }
            "br" => self.out.push('\n'),
            "p" | "div" => self.block_break(),
            "ul" | "ol" => {
                self.block_break();
                self.lists.push((tag == "ol", 0));
            }
            "li" => {
                self.line_break();
                let depth = self.lists.len().saturating_sub(1).min(MAX_LIST_INDENT);
                self.out.push_str(&"   ".repeat(depth));
                match self.lists.last_mut() {
                    Some((true, n)) => {
                        *n += 1;
                        self.out.push_str(&format!("{n}. "));
                    }
                    _ => self.out.push_str("- "),
                }
            }
            "a" => self.links.push((self.out.len(), href)),
            _ => {}
        }
    }

    fn close(&mut self, tag: &str) {
        match tag {
            "b" | "strong" => self.out.push_str("**"),
            "i" | "em" => self.out.push('*'),
            "code" if self.literal == 1 && !self.out.ends_with("```\n") => {
                self.literal -= 1;
                self.out.push('`');
            }
            "pre" => {
                self.literal = self.literal.saturating_sub(1);
                self.line_break();
                self.out.push_str("```");
                self.block_break();
            }
            "p" | "div" => self.block_break(),
            "ul" | "ol" => {
                self.lists.pop();
                self.block_break();
            }
            "a" => {
                if let Some((start, Some(href))) = self.links.pop() {
                    if self.out[start..].trim().is_empty() {
                        self.out.push_str(&markdown_text(&href));
                    }
                    self.out.insert(start, '[');
                    self.out
                        .push_str(&format!("]({})", markdown_link_target(&href)));
                }
            }
            _ => {}
        }
    }

    fn line_break(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn block_break(&mut self) {
        self.line_break();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn finish(self) -> String {
        let mut out = String::new();
        let mut blank = 0;
        for line in self.out.trim().lines() {
            let line = line.trim_end();
            blank = if line.is_empty() { blank + 1 } else { 0 };
            if blank < 2 {
                out.push_str(line);
                out.push('\n');
            }
        }
        out.trim_end().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One row per body: the HTML and its Markdown.
    #[test]
    fn bodies() {
        let cases = [
            ("We are investigating.", "We are investigating."),
            (
                "Fixed.\nMonitoring error rates.",
                "Fixed.\nMonitoring error rates.",
            ),
            (
                "<p>Elevated <strong>5xx</strong> on <em>api</em></p><p>Next</p>",
                "Elevated **5xx** on *api*\n\nNext",
            ),
            (
                "See <a href=\"https://example.com/a(b)\">the RCA</a>.",
                "See [the RCA](https://example.com/a%28b%29).",
            ),
            ("<a href=\"javascript:alert(1)\">x</a>", "x"),
            ("<script>alert(1)</script>ok", "ok"),
            ("<img src=x onerror=alert(1)>after", "after"),
            ("a < b & c > d", "a \\< b & c \\> d"),
            ("use *_literal_* [x]", "use \\*\\_literal\\_\\* \\[x\\]"),
            // GitHub-flavoured strikethrough is markup too.
            ("~5% of ~requests~", "\\~5% of \\~requests\\~"),
            ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
            ("<ol><li>one</li><li>two</li></ol>", "1. one\n2. two"),
            ("run <code>a_b *c*</code>", "run `a_b *c*`"),
            ("line<br>break", "line\nbreak"),
            (
                "<p>\n        indented\n        html\n</p>",
                "indented\nhtml",
            ),
            ("&lt;b&gt;escaped&lt;/b&gt;", "\\<b\\>escaped\\</b\\>"),
        ];
        for (html, markdown) in cases {
            assert_eq!(to_markdown(html), markdown, "{html:?}");
        }
    }

    proptest::proptest! {
        /// Regression: text starting with a multi-byte character before a tag panicked.
        #[test]
        fn never_panics(html in "\\PC*|[<>a-z/=\" &;é]*") {
            let _ = to_markdown(&html);
        }
    }

    /// Regression: every level of list nesting indented every line below it, and the
    /// sanitiser's time grew with the square of the depth; nesting is flattened below a fixed
    /// depth and lists indent at most `MAX_LIST_INDENT` levels.
    #[test]
    fn deep_nesting_is_flattened() {
        let deep = format!("{}x{}", "<div>".repeat(100), "</div>".repeat(100));
        let flat = flatten(&deep);
        assert_eq!(flat.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(flat.matches("</div>").count(), MAX_DEPTH);
        let lists = format!("{}deep", "<ul><li>".repeat(1_000));
        let md = to_markdown(&lists);
        // Below the bound the items are siblings, written at the deepest indentation.
        assert!(md.len() < 2 * lists.len(), "{} bytes", md.len());
        assert!(md.ends_with(&format!("{}- deep", "   ".repeat(MAX_LIST_INDENT))));
        // Unmatched end tags are left out; the rest stays.
        assert_eq!(flatten("<x></y><x></y>z"), "<x><x>z");
        let tags = "<b>x</b>".repeat(MAX_TAGS + 10);
        assert_eq!(flatten(&tags).matches("<b>").count(), MAX_TAGS);
        assert!(
            flatten(&tags).ends_with(&"x".repeat(10)),
            "the text is kept"
        );
    }

    /// What well-formed or merely sloppy HTML looks like is left as it is.
    #[test]
    fn ordinary_html_is_not_changed() {
        for html in [
            "<ul><li>a<li>b</ul><p>one<p>two",
            "<b><i>misnested</b> still</i> there",
            "<p>Elevated <strong>5xx</strong> on <a href=\"https://x\">api</a></p>",
            "a < b > c <br> <br/> </br> <!-- <div> --> <div/>",
            "<table><tr><td>x</td></tr></table>",
        ] {
            assert!(
                matches!(flatten(html), std::borrow::Cow::Borrowed(_)),
                "{html}"
            );
        }
    }

    #[test]
    fn multi_byte_text_before_a_tag() {
        assert_eq!(to_markdown("é<b>x</b> ü"), "é**x** ü");
    }

    #[test]
    fn no_raw_html_survives() {
        let hostile = [
            "<iframe src=x></iframe><b onclick=x>bold</b>",
            "<<script>script>alert(1)<</script>/script>",
            "<a href=\"https://x\" onclick=\"steal()\">ok</a>",
            "<svg><style>*{}</style></svg><div>text</div>",
        ];
        for html in hostile {
            let md = to_markdown(html);
            let html_out = {
                let mut out = String::new();
                pulldown_cmark::html::push_html(&mut out, pulldown_cmark::Parser::new(&md));
                out
            };
            for bad in ["<script", "<iframe", "onclick", "<svg", "<style"] {
                assert!(
                    !html_out.contains(bad),
                    "{html:?} -> {md:?} -> {html_out:?}"
                );
            }
        }
    }
}
