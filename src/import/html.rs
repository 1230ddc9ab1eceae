//! Status page update bodies (HTML, or plain text with the odd tag) to Markdown, safely:
//! ammonia first reduces the HTML to a few harmless tags (scripts and styles go with their
//! content, links keep only http, https and mailto targets), then its well-formed output is
//! translated tag by tag. Text is escaped, so no raw HTML reaches the Markdown.

use std::collections::{HashMap, HashSet};

/// The tags that survive cleaning, each of which has a Markdown form.
const TAGS: &[&str] = &[
    "a", "b", "strong", "i", "em", "code", "pre", "br", "p", "div", "ul", "ol", "li",
];

/// `html` as Markdown.
pub fn to_markdown(html: &str) -> String {
    let cleaned = ammonia::Builder::empty()
        .tags(TAGS.iter().copied().collect())
        .clean_content_tags(["script", "style"].into_iter().collect())
        .tag_attributes(HashMap::from([("a", HashSet::from(["href"]))]))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(None)
        .clean(html)
        .to_string();
    let mut writer = Writer::default();
    for token in tokens(&cleaned) {
        writer.token(token);
    }
    writer.finish()
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
                    self.out.push_str(&escape(line));
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
                let depth = self.lists.len().saturating_sub(1);
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
                        self.out.push_str(&escape(&href));
                    }
                    self.out.insert(start, '[');
                    self.out.push_str(&format!("]({})", link_target(&href)));
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

/// Text with the characters that Markdown would read as markup escaped.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A link target that cannot end the link early.
pub(super) fn link_target(href: &str) -> String {
    href.replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
        .replace('<', "%3C")
        .replace('>', "%3E")
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
