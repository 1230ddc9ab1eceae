//! Markdown read as running text: each paragraph, list item, heading or table cell becomes one
//! block of plain text with a map back to the Markdown, cut into tokens. Code spans, code
//! blocks, raw HTML, images and bare URLs are never read as text; link targets are not text
//! to begin with.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Stands in for something that is not text (a code span, inline HTML): it joins nothing, so
/// "for `5` minutes" is not read as a duration.
const OPAQUE: char = '\u{FFFC}';

/// One block of running text, and where each piece of it came from.
#[derive(Debug, Default)]
pub struct Block {
    pub text: String,
    segments: Vec<Segment>,
}

/// A piece of a block's text taken from `source` in the Markdown; `verbatim` when the text is
/// the source byte for byte (not an entity, an escape or a stand-in).
#[derive(Debug)]
struct Segment {
    start: usize,
    source: Range<usize>,
    verbatim: bool,
}

impl Block {
    fn push(&mut self, text: &str, source: Range<usize>, markdown: &str) {
        let verbatim = markdown.get(source.clone()) == Some(text);
        self.segments.push(Segment {
            start: self.text.len(),
            source,
            verbatim,
        });
        self.text.push_str(text);
    }

    /// The Markdown range of `range` in this block's text: exact inside verbatim text, else
    /// widened to the pieces it touches.
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.source_offset(range.start, false);
        let end = self.source_offset(range.end.max(range.start + 1) - 1, true);
        start..end.max(start)
    }

    /// The Markdown offset of the byte at `offset` (or just after it, for an end).
    fn source_offset(&self, offset: usize, end: bool) -> usize {
        let index = self
            .segments
            .partition_point(|s| s.start <= offset)
            .saturating_sub(1);
        let Some(segment) = self.segments.get(index) else {
            return 0;
        };
        if !segment.verbatim {
            return if end {
                segment.source.end
            } else {
                segment.source.start
            };
        }
        let at = segment.source.start + (offset - segment.start);
        if end {
            let width = self.text[offset..].chars().next().map_or(1, char::len_utf8);
            (at + width).min(segment.source.end)
        } else {
            at
        }
    }
}

/// Whether a tag only styles text inside a block (it neither starts nor ends one).
fn is_inline(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
    )
}

/// The blocks of running text of a Markdown field, read as postevent's reports read it.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut out = Vec::new();
    let mut block = Block::default();
    // Inside a code block or an image, text is not prose.
    let mut hidden = 0usize;
    let opaque = OPAQUE.to_string();
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                let end = tag.to_end();
                if matches!(tag, Tag::CodeBlock(_) | Tag::Image { .. }) {
                    hidden += 1;
                }
                if !is_inline(end) && end != TagEnd::Image {
                    out.push(std::mem::take(&mut block));
                }
            }
            Event::End(end) => {
                if matches!(end, TagEnd::CodeBlock | TagEnd::Image) {
                    hidden = hidden.saturating_sub(1);
                }
                if !is_inline(end) && end != TagEnd::Image {
                    out.push(std::mem::take(&mut block));
                }
            }
            Event::Text(text) if hidden == 0 => block.push(&text, range, markdown),
            Event::SoftBreak | Event::HardBreak if hidden == 0 => block.push(" ", range, markdown),
            Event::Code(_)
            | Event::Html(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_)
                if hidden == 0 =>
            {
                block.push(&opaque, range, markdown)
            }
            _ => {}
        }
    }
    out.push(block);
    out.retain(|b| !b.text.trim().is_empty());
    out
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// ASCII digits, with `,` thousands and one decimal point: `5`, `1,900`, `1.5`.
    Number,
    /// Letters.
    Word,
    /// Whitespace.
    Space,
    /// Any other single character.
    Punct(char),
    /// Not to be read: a version or an address (`1.2.3`, `10.0.0.1`), or part of a URL.
    Other,
}

/// A token of a block's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Cuts text into tokens; every byte belongs to exactly one.
pub fn tokens(text: &str) -> Vec<Token> {
    // About one token for every three bytes of prose; the vector grows past that if needed.
    let mut out = Vec::with_capacity(text.len() / 3 + 1);
    let mut start = 0;
    while start < text.len() {
        let c = char_at(text, start);
        let kind = match c {
            '0'..='9' => Kind::Number,
            c if c.is_alphabetic() => Kind::Word,
            c if c.is_whitespace() => Kind::Space,
            c => Kind::Punct(c),
        };
        let same = |c: char| match kind {
            Kind::Number => c.is_ascii_digit(),
            Kind::Word => c.is_alphabetic(),
            Kind::Space => c.is_whitespace(),
            _ => false,
        };
        let mut end = start + c.len_utf8();
        while end < text.len() {
            let c = char_at(text, end);
            if !same(c) {
                break;
            }
            end += c.len_utf8();
        }
        out.push(Token { kind, start, end });
        start = end;
    }
    join_numbers(&mut out);
    hide_urls(text, &mut out);
    out
}

/// The character starting at byte `i` of `text` (a character boundary), without decoding
/// when it is ASCII, as most of a post-mortem is.
fn char_at(text: &str, i: usize) -> char {
    match text.as_bytes()[i] {
        b if b.is_ascii() => char::from(b),
        _ => text[i..].chars().next().unwrap_or_default(),
    }
}

/// Joins `1` `,` `900` into `1,900` and `1` `.` `5` into `1.5`; a second decimal point
/// (`1.2.3`, `10.0.0.1`) makes the whole run [`Kind::Other`].
fn join_numbers(tokens: &mut Vec<Token>) {
    // In place: the joined tokens are written over the ones read (never ahead of them).
    let mut kept = 0;
    let mut i = 0;
    while i < tokens.len() {
        let mut token = tokens[i];
        i += 1;
        if token.kind != Kind::Number {
            tokens[kept] = token;
            kept += 1;
            continue;
        }
        let mut points = 0;
        while let [
            Token {
                kind: Kind::Punct(p),
                ..
            },
            next,
            ..,
        ] = tokens[i..]
            && next.kind == Kind::Number
        {
            let digits = next.end - next.start;
            let grouping = p == ',' && points == 0 && digits == 3;
            if p == '.' {
                points += 1;
            } else if !grouping {
                break;
            }
            token.end = next.end;
            i += 2;
        }
        if points > 1 {
            token.kind = Kind::Other;
        }
        tokens[kept] = token;
        kept += 1;
    }
    tokens.truncate(kept);
}

/// Marks the tokens of every bare URL (`https://host:8080/12:30`) as [`Kind::Other`]: every
/// whitespace-separated word with `://` in it. One pass over the words and one over the
/// tokens, both in order.
fn hide_urls(text: &str, tokens: &mut [Token]) {
    if !text.contains("://") {
        return;
    }
    let base = text.as_ptr() as usize;
    let mut urls = text
        .split_whitespace()
        .filter(|word| word.contains("://"))
        .map(|word| {
            let start = word.as_ptr() as usize - base;
            start..start + word.len()
        })
        .peekable();
    for token in tokens.iter_mut() {
        while urls.peek().is_some_and(|url| url.end <= token.start) {
            urls.next();
        }
        if urls.peek().is_some_and(|url| url.start < token.end) {
            token.kind = Kind::Other;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One row per Markdown input: the blocks of text it has.
    #[test]
    fn blocks_keep_prose_and_drop_code() {
        let cases: &[(&str, &[&str])] = &[
            ("plain text", &["plain text"]),
            ("a **bold** word", &["a bold word"]),
            ("two\nlines", &["two lines"]),
            ("one\n\ntwo", &["one", "two"]),
            ("- a\n- b", &["a", "b"]),
            ("for `5` minutes", &["for \u{FFFC} minutes"]),
            ("```\n10:00\n```\nafter", &["after"]),
            (
                "see [the 2:40 post](https://x/12:30)",
                &["see the 2:40 post"],
            ),
            ("![at 3:00](i.png) x", &[" x"]),
            ("a <b>tag</b>", &["a \u{FFFC}tag\u{FFFC}"]),
            ("| a | b |\n|---|---|\n| 1 | 2 |", &["a", "b", "1", "2"]),
            ("# Heading 1\ntext", &["Heading 1", "text"]),
        ];
        for (markdown, expected) in cases {
            let got: Vec<String> = blocks(markdown).into_iter().map(|b| b.text).collect();
            assert_eq!(got, *expected, "{markdown:?}");
        }
    }

    /// Ranges in a block's text map back to the Markdown: exactly through plain text, and to
    /// the whole escape or entity otherwise.
    #[test]
    fn block_ranges_map_to_the_markdown() {
        let cases: &[(&str, &str, &str)] = &[
            ("a **2 h** b", "2 h", "2 h"),
            ("x\ny 14:20", "14:20", "14:20"),
            ("from *09:12* to 10", "09:12 to 10", "09:12* to 10"),
            ("a &amp; 5 minutes", "& 5", "&amp; 5"),
            ("déjà 5 min", "5 min", "5 min"),
        ];
        for (markdown, phrase, expected) in cases {
            let block = blocks(markdown).remove(0);
            let start = block.text.find(phrase).unwrap();
            let range = block.source_range(start..start + phrase.len());
            assert_eq!(&markdown[range], *expected, "{markdown:?}");
        }
    }

    /// One row per text: its tokens, written `kind:text`.
    #[test]
    fn tokens_keep_numbers_whole() {
        let show = |text: &str| -> Vec<String> {
            tokens(text)
                .iter()
                .filter(|t| t.kind != Kind::Space)
                .map(|t| {
                    let kind = match t.kind {
                        Kind::Number => "n",
                        Kind::Word => "w",
                        Kind::Punct(_) => "p",
                        Kind::Other => "x",
                        Kind::Space => "s",
                    };
                    format!("{kind}:{}", &text[t.start..t.end])
                })
                .collect()
        };
        let cases: &[(&str, &[&str])] = &[
            ("2h52m", &["n:2", "w:h", "n:52", "w:m"]),
            ("1.5 hours", &["n:1.5", "w:hours"]),
            ("1,900 calls", &["n:1,900", "w:calls"]),
            ("10.0.0.1", &["x:10.0.0.1"]),
            ("v1.2.3", &["w:v", "x:1.2.3"]),
            (
                "at 09:12, 3",
                &["w:at", "n:09", "p::", "n:12", "p:,", "n:3"],
            ),
            ("1,90", &["n:1", "p:,", "n:90"]),
            ("1,9000", &["n:1", "p:,", "n:9000"]),
            ("99.9%", &["n:99.9", "p:%"]),
            (
                "https://h:8080/12:30 ok",
                &[
                    "x:https", "x::", "x:/", "x:/", "x:h", "x::", "x:8080", "x:/", "x:12", "x::",
                    "x:30", "w:ok",
                ],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(show(text), *expected, "{text:?}");
        }
    }
}
