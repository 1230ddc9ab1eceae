//! The YAML of a log as a tree of nodes with spans: the one place that maps a cursor to the
//! YAML under it (for the language server), and what the shape check walks to report every
//! unknown field and wrong type of a file at once (see `shape`). The document is read as a tree of
//! nodes with byte spans from the YAML parser's events, not into the log's raw types: those
//! exist only once the whole file has the right shape, and while someone types (an empty
//! `phase:`, a half-written key, a line that is not YAML yet) it rarely has. The tree holds
//! whatever parsed, up to the first syntax error.

use std::ops::Range;

use granit_parser::{Event, Options, Parser, StructureStyle};

use crate::parse::MAX_DEPTH;

/// A YAML document as nodes with spans; empty when nothing parsed.
#[derive(Debug, Default)]
pub struct Outline {
    root: Option<Node>,
}

/// One YAML node and the bytes it was written in.
#[derive(Debug)]
pub struct Node {
    pub span: Range<usize>,
    pub kind: Kind,
}

#[derive(Debug)]
pub enum Kind {
    /// A scalar's value after escapes; an empty value (`phase:`) has an empty span.
    Scalar(String),
    Map(Map),
    Seq(Seq),
    /// An alias (`*name`), not followed.
    Alias,
}

#[derive(Debug)]
pub struct Map {
    pub entries: Vec<(Node, Node)>,
    /// For a block map, the column of its keys: a cursor left of it is outside the map.
    pub column: Option<usize>,
}

#[derive(Debug)]
pub struct Seq {
    pub items: Vec<Node>,
    /// For a block sequence, the column of its `-`.
    pub column: Option<usize>,
}

/// One step from the root to a node: a map key or a sequence index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// What the cursor is on, and the path of keys and indexes that leads there.
#[derive(Debug)]
pub struct Spot<'a> {
    pub path: Vec<Step<'a>>,
    pub part: Part<'a>,
}

#[derive(Debug, Clone, Copy)]
pub enum Part<'a> {
    /// A map key; the path ends with it.
    Key(&'a Node),
    /// A scalar value (perhaps empty); the path ends with its key or index.
    Value(&'a Node),
    /// Inside the map at the path, where a new key would be written.
    NewKey,
    /// Inside the sequence at the path, between its items.
    Between,
}

impl Node {
    /// The scalar's text, if this is a scalar.
    pub fn scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is an empty value, such as the one after `phase:`.
    pub fn is_empty_scalar(&self) -> bool {
        matches!(self.kind, Kind::Scalar(_)) && self.span.is_empty()
    }

    /// The value under `key`, if this is a map that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(m) => m
                .entries
                .iter()
                .find(|(k, _)| k.scalar() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            Kind::Seq(s) => &s.items,
            _ => &[],
        }
    }
}

impl Outline {
    /// Reads `text`, stopping at the first syntax error or after `max_events` parser events
    /// (the limit `check` applies); nesting is capped like `check`'s.
    pub fn read(text: &str, max_events: usize) -> Outline {
        let mut options = Options::default();
        options.flow_nesting_limit = MAX_DEPTH;
        options.block_nesting_limit = MAX_DEPTH;
        let mut parser = Parser::new_from_str_with_options(text, options);
        let mut builder = Builder {
            text,
            open: Vec::new(),
            root: None,
        };
        let mut last = 0;
        for _ in 0..max_events {
            let (event, span) = match parser.next_event() {
                Some(Ok(next)) => next,
                Some(Err(e)) => {
                    // What is open stays open to the end of the line that broke: the cursor
                    // is often on it, after a key being typed.
                    let at = e.marker().byte_offset().unwrap_or(last).min(text.len());
                    last = text[at..].find('\n').map_or(text.len(), |i| at + i);
                    break;
                }
                None => break,
            };
            let span = span.byte_range().unwrap_or(last..last);
            last = span.end;
            if !builder.event(event, span) {
                break;
            }
        }
        Outline {
            root: builder.finish(last),
        }
    }

    pub fn root(&self) -> Option<&Node> {
        self.root.as_ref()
    }

    /// What is at `offset` in `text` (the text this outline was read from).
    pub fn locate<'a>(&'a self, text: &str, offset: usize) -> Option<Spot<'a>> {
        let cursor = Cursor::new(text, offset);
        let mut path = Vec::new();
        let part = find(self.root.as_ref()?, &cursor, &mut path)?;
        path.reverse();
        Some(Spot { path, part })
    }
}

/// The cursor, with what the indentation of its line says about where it belongs.
struct Cursor {
    offset: usize,
    /// Where the cursor's line starts.
    line_start: usize,
    /// The column that places the cursor in a block: its own column on a blank line, else
    /// the column of the first character of the line.
    column: usize,
    /// Whether the line starts (after spaces) with a `-`.
    dash: bool,
}

impl Cursor {
    fn new(text: &str, offset: usize) -> Cursor {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..offset];
        let indent = before.len() - before.trim_start_matches(' ').len();
        let dash = before[indent..].starts_with('-');
        Cursor {
            offset,
            line_start,
            column: indent,
            dash,
        }
    }

    fn within(&self, span: &Range<usize>) -> bool {
        span.start <= self.offset && self.offset <= span.end
    }
}

/// The part of `node` under the cursor, pushing the steps to it onto `path` deepest first.
fn find<'a>(node: &'a Node, cursor: &Cursor, path: &mut Vec<Step<'a>>) -> Option<Part<'a>> {
    if !cursor.within(&node.span) {
        return None;
    }
    match &node.kind {
        Kind::Scalar(_) | Kind::Alias => Some(Part::Value(node)),
        Kind::Map(map) => {
            for (key, value) in &map.entries {
                let step = Step::Key(key.scalar().unwrap_or_default());
                let part = if cursor.within(&key.span) {
                    Some(Part::Key(key))
                } else if let Some(part) = find(value, cursor, path) {
                    Some(part)
                } else {
                    empty_value_on_line(key, value, cursor)
                };
                if part.is_some() {
                    path.push(step);
                    return part;
                }
            }
            // A new key of a block map starts at the column of its keys.
            let inside = map.column.is_none_or(|column| cursor.column == column);
            inside.then_some(Part::NewKey)
        }
        Kind::Seq(seq) => {
            for (index, item) in seq.items.iter().enumerate() {
                let part = find(item, cursor, path).or_else(|| {
                    (item.is_empty_scalar() && cursor.line_start <= item.span.start)
                        .then_some(Part::Value(item))
                });
                if part.is_some() {
                    path.push(Step::Index(index));
                    return part;
                }
            }
            // A block list owns the lines indented past its `-`, and `-` lines at its column.
            let inside = seq.column.is_some_and(|column| {
                cursor.column > column || (cursor.column == column && cursor.dash)
            });
            inside.then_some(Part::Between)
        }
    }
}

/// `key: |` with nothing written yet: the cursor is on the empty value.
fn empty_value_on_line<'a>(key: &Node, value: &'a Node, cursor: &Cursor) -> Option<Part<'a>> {
    let same_line = key.span.start >= cursor.line_start;
    (value.is_empty_scalar() && same_line && cursor.offset > key.span.end)
        .then_some(Part::Value(value))
}

/// A collection being read.
enum Open {
    Map {
        start: usize,
        block: bool,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
    Seq {
        start: usize,
        block: bool,
        items: Vec<Node>,
    },
}

/// Builds the tree from parser events; collections still open at an error are closed there.
struct Builder<'t> {
    text: &'t str,
    open: Vec<Open>,
    root: Option<Node>,
}

impl Builder<'_> {
    /// Takes one event; false once the first document is complete.
    fn event(&mut self, event: Event<'_>, span: Range<usize>) -> bool {
        match event {
            Event::Scalar(value, ..) => self.add(Node {
                span,
                kind: Kind::Scalar(value.into_owned()),
            }),
            Event::Alias(_) => self.add(Node {
                span,
                kind: Kind::Alias,
            }),
            Event::MappingStart(style, ..) => self.open.push(Open::Map {
                start: span.start,
                block: style == StructureStyle::Block,
                entries: Vec::new(),
                key: None,
            }),
            Event::SequenceStart(style, ..) => self.open.push(Open::Seq {
                start: span.start,
                block: style == StructureStyle::Block,
                items: Vec::new(),
            }),
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(open) = self.open.pop() {
                    let node = self.close(open, span.end);
                    self.add(node);
                }
            }
            Event::DocumentEnd => return false,
            _ => {}
        }
        true
    }

    fn add(&mut self, node: Node) {
        match self.open.last_mut() {
            Some(Open::Map { entries, key, .. }) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => *key = Some(node),
            },
            Some(Open::Seq { items, .. }) => items.push(node),
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
        }
    }

    /// The tree, with every collection still open closed at `end`.
    fn finish(mut self, end: usize) -> Option<Node> {
        while let Some(open) = self.open.pop() {
            let node = self.close(open, end);
            self.add(node);
        }
        self.root
    }

    /// A finished collection spanning from its start to `end`. A key left without a value
    /// (the text stopped after it) gets an empty one.
    fn close(&self, open: Open, end: usize) -> Node {
        let column = |block: bool, start: usize| {
            let before = self.text.get(..start).filter(|_| block)?;
            Some(start - before.rfind('\n').map_or(0, |i| i + 1))
        };
        match open {
            Open::Map {
                start,
                block,
                mut entries,
                key,
            } => {
                if let Some(key) = key {
                    let at = key.span.end;
                    let empty = Node {
                        span: at..at,
                        kind: Kind::Scalar(String::new()),
                    };
                    entries.push((key, empty));
                }
                Node {
                    span: start..end.max(start),
                    kind: Kind::Map(Map {
                        column: column(block, start),
                        entries,
                    }),
                }
            }
            Open::Seq {
                start,
                block,
                items,
            } => Node {
                span: start..end.max(start),
                kind: Kind::Seq(Seq {
                    column: column(block, start),
                    items,
                }),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\
title: T
services:
  - DynamoDB
  - name: EC2
    description: compute
timeline:
  - at: 2025-10-20 06:48
    phase: started
    status:
      DynamoDB: major_outage
      EC2: degraded_performance

    text: x
  - at: 07:00
    status: {EC2: operational}
    text: y
";

    /// The path and part at the `|` in `marked` (the text without it is what is read).
    fn spot_at(marked: &str) -> (Vec<String>, String) {
        let offset = marked.find('|').expect("a cursor mark");
        let text = marked.replacen('|', "", 1);
        let outline = Outline::read(&text, 1_000);
        let Some(spot) = outline.locate(&text, offset) else {
            return (Vec::new(), "nothing".to_owned());
        };
        let path = spot
            .path
            .iter()
            .map(|s| match s {
                Step::Key(k) => (*k).to_owned(),
                Step::Index(i) => i.to_string(),
            })
            .collect();
        let part = match spot.part {
            Part::Key(n) => format!("key {}", n.scalar().unwrap_or("?")),
            Part::Value(n) if n.is_empty_scalar() => "empty value".to_owned(),
            Part::Value(n) => format!("value {}", n.scalar().unwrap_or("?")),
            Part::NewKey => "new key".to_owned(),
            Part::Between => "between".to_owned(),
        };
        (path, part)
    }

    /// `text` with a `|` right after the first occurrence of `after`.
    fn mark(text: &str, after: &str) -> String {
        let i = text.find(after).expect(after) + after.len();
        format!("{}|{}", &text[..i], &text[i..])
    }

    #[test]
    fn the_cursor_finds_keys_values_and_declarations() {
        let cases = [
            ("at: 2025-10", "timeline/0/at", "value 2025-10-20 06:48"),
            ("phase: sta", "timeline/0/phase", "value started"),
            ("      Dynamo", "timeline/0/status/DynamoDB", "key DynamoDB"),
            (
                "DynamoDB: major",
                "timeline/0/status/DynamoDB",
                "value major_outage",
            ),
            ("  - Dynamo", "services/0", "value DynamoDB"),
            ("name: E", "services/1/name", "value EC2"),
            ("{EC", "timeline/1/status/EC2", "key EC2"),
            ("{EC2: oper", "timeline/1/status/EC2", "value operational"),
        ];
        for (after, path, part) in cases {
            let (p, got) = spot_at(&mark(LOG, after));
            assert_eq!(
                (p.join("/"), got.as_str()),
                (path.to_owned(), part),
                "after {after:?}"
            );
        }
    }

    #[test]
    fn a_blank_line_belongs_to_the_block_its_indentation_names() {
        let blank = LOG.find("\n\n").unwrap() + 1;
        let cases = [
            (8, "timeline", "between"),
            (6, "timeline/0/status", "new key"),
            (4, "timeline/0", "new key"),
            (2, "", "nothing"),
            (0, "", "new key"),
        ];
        for (column, path, part) in cases {
            let text = format!("{}{}|{}", &LOG[..blank], " ".repeat(column), &LOG[blank..]);
            let (p, got) = spot_at(&text);
            assert_eq!(
                (p.join("/"), got.as_str()),
                (path.to_owned(), part),
                "column {column}"
            );
        }
    }

    #[test]
    fn half_typed_lines_still_have_a_place() {
        let cases = [
            // An empty value.
            (
                "timeline:\n  - at: 1\n    phase: |\n",
                "timeline/0/phase",
                "empty value",
            ),
            (
                "timeline:\n  - at: 1\n    phase:|\n    text: x\n",
                "timeline/0/phase",
                "empty value",
            ),
            // A word where the status map goes.
            (
                "timeline:\n  - at: 1\n    status:\n      Dy|\n",
                "timeline/0/status",
                "value Dy",
            ),
            // A word after an entry: a syntax error, yet inside the map.
            (
                "timeline:\n  - at: 1\n    status:\n      EC2: major_outage\n      Dy|\n    text: x\n",
                "timeline/0/status",
                "new key",
            ),
            // A new item.
            (
                "timeline:\n  - at: 1\n    text: x\n  - |\n",
                "timeline/1",
                "empty value",
            ),
            // A top-level key being typed after the timeline.
            (
                "title: x\ntimeline:\n  - at: 1\n    text: x\nsev|\n",
                "",
                "new key",
            ),
            // Between two items, on a `-` line.
            (
                "timeline:\n  - at: 1\n    text: x\n  -|\n  - at: 2\n    text: y\n",
                "timeline/1",
                "empty value",
            ),
        ];
        for (text, path, part) in cases {
            let (p, got) = spot_at(text);
            assert_eq!(
                (p.join("/"), got.as_str()),
                (path.to_owned(), part),
                "{text:?}"
            );
        }
    }

    #[test]
    fn reading_stops_at_the_event_limit_and_the_first_document() {
        let outline = Outline::read(LOG, 12);
        let root = outline.root().expect("a partial tree");
        assert!(root.get("title").is_some() && root.get("timeline").is_none());
        let two = Outline::read("a: 1\n---\nb: 2\n", 1_000);
        let root = two.root().unwrap();
        assert!(root.get("a").is_some() && root.get("b").is_none());
        assert!(
            Outline::read("", 1_000)
                .root()
                .is_none_or(|r| r.is_empty_scalar())
        );
    }
}
