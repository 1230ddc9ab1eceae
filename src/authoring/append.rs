//! Appending an event to a log as text: find where the `timeline:` list ends and how its
//! items are indented, and insert there. Every byte outside the inserted event stays as it was
//! (comments, blank lines, key order, quoting), which re-serialising the document would lose.

use thiserror::Error;

/// Where the timeline ends and how its items are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Byte offset where the new event goes: just after the last line of the last event.
    pub offset: usize,
    /// Column of the items' `-`.
    pub dash_indent: usize,
    /// Column of an item's keys.
    pub field_indent: usize,
    /// Whether the items are separated by a blank line.
    pub blank_line: bool,
    /// Whether the file ends without a newline right at `offset`.
    pub needs_newline: bool,
    /// Where the line of the `timeline:` key starts, and its column.
    pub key: (usize, usize),
    /// Where each event starts, in the order written: the start of the comment lines just
    /// above its `-` (they belong to it), or of the `-` line itself.
    pub items: Vec<usize>,
}

/// Why the timeline cannot be appended to as text.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LayoutError {
    #[error("there is no `timeline:` key at the top level")]
    NoTimeline,
    #[error("the timeline on line {line} is a flow list (`[...]`)")]
    FlowList { line: usize },
    #[error("the timeline on line {line} is not a list of events")]
    NotAList { line: usize },
}

impl LayoutError {
    pub fn hint(&self) -> &'static str {
        match self {
            LayoutError::NoTimeline => {
                "add `timeline:` with at least one `- at: ... text: ...` event"
            }
            LayoutError::FlowList { .. } | LayoutError::NotAList { .. } => {
                "write the timeline as a block list, one `- at: ...` item per event, so events can be appended"
            }
        }
    }
}

/// One line of the text.
struct Line<'a> {
    /// Without its line break.
    text: &'a str,
    /// Whether a line break follows.
    terminated: bool,
    /// Where the next line starts.
    end: usize,
}

impl Line<'_> {
    fn indent(&self) -> usize {
        self.text.len() - self.text.trim_start_matches(' ').len()
    }

    fn body(&self) -> &str {
        self.text.trim_start_matches(' ')
    }

    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    fn is_comment(&self) -> bool {
        self.body().starts_with('#')
    }

    fn is_item(&self) -> bool {
        let body = self.body();
        body == "-" || body.starts_with("- ") || body.starts_with("-\t")
    }
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let terminated = piece.ends_with('\n');
        let body = piece.strip_suffix('\n').unwrap_or(piece);
        let body = body.strip_suffix('\r').unwrap_or(body);
        out.push(Line {
            text: body,
            terminated,
            end: start + piece.len(),
        });
        start += piece.len();
    }
    out
}

/// Finds where an event can be appended to the timeline of `text`.
pub fn layout(text: &str) -> Result<Layout, LayoutError> {
    let lines = lines(text);
    let is_marker = |l: &Line| l.text.starts_with("---") || l.text.starts_with("...");
    let first_key = lines
        .iter()
        .find(|l| !l.is_blank() && !l.is_comment() && !l.text.starts_with('%') && !is_marker(l))
        .ok_or(LayoutError::NoTimeline)?;
    let key_indent = first_key.indent();
    let (key_index, after_colon) = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.indent() == key_indent)
        .find_map(|(i, l)| timeline_key(l.body()).map(|rest| (i, rest)))
        .ok_or(LayoutError::NoTimeline)?;
    let line = key_index + 1;
    let after = after_colon.trim();
    if after.starts_with('[') {
        return Err(LayoutError::FlowList { line });
    }
    if !after.is_empty() && !after.starts_with('#') {
        return Err(LayoutError::NotAList { line });
    }
    let mut dash_indent = None;
    let mut last_content = None;
    let mut items: Vec<usize> = Vec::new();
    for (i, l) in lines.iter().enumerate().skip(key_index + 1) {
        if l.is_blank() || (l.is_comment() && dash_indent.is_none_or(|d| l.indent() <= d)) {
            continue;
        }
        let dash = match dash_indent {
            Some(d) => d,
            None if l.is_item() && l.indent() >= key_indent => {
                dash_indent = Some(l.indent());
                l.indent()
            }
            None => return Err(LayoutError::NotAList { line }),
        };
        let is_content = l.indent() > dash || (l.indent() == dash && l.is_item());
        if !is_content || (l.indent() == 0 && is_marker(l)) {
            break;
        }
        if l.indent() == dash {
            items.push(i);
        }
        last_content = Some(i);
    }
    let (Some(dash_indent), Some(last), Some(&last_item)) =
        (dash_indent, last_content, items.last())
    else {
        return Err(LayoutError::NotAList { line });
    };
    let blank_line = match items.as_slice() {
        [.., _, item] => lines[item - 1].is_blank(),
        _ => last - last_item >= 3,
    };
    let last_line = &lines[last];
    let start = |i: usize| if i == 0 { 0 } else { lines[i - 1].end };
    let item_starts = items
        .iter()
        .map(|&item| {
            let mut first = item;
            // A comment at the dash's column or left of it cannot be inside a block of text.
            while first > key_index + 1
                && lines[first - 1].is_comment()
                && lines[first - 1].indent() <= dash_indent
            {
                first -= 1;
            }
            start(first)
        })
        .collect();
    Ok(Layout {
        offset: last_line.end,
        dash_indent,
        field_indent: field_indent(&lines, last_item, dash_indent),
        blank_line,
        needs_newline: !last_line.terminated,
        items: item_starts,
        key: (start(key_index), key_indent),
    })
}

/// The rest of the line after a `timeline:` key, if the line is one.
fn timeline_key(body: &str) -> Option<&str> {
    ["timeline:", "\"timeline\":", "'timeline':"]
        .iter()
        .find_map(|k| body.strip_prefix(k))
        .filter(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// The column of the keys of the item whose `-` is on line `item`.
fn field_indent(lines: &[Line], item: usize, dash_indent: usize) -> usize {
    let after_dash = &lines[item].body()[1..];
    let rest = after_dash.trim_start_matches(' ');
    if !rest.is_empty() && !rest.starts_with('#') {
        return dash_indent + 1 + (after_dash.len() - rest.len());
    }
    lines[item + 1..]
        .iter()
        .find(|l| !l.is_blank() && !l.is_comment())
        .map(Line::indent)
        .filter(|&i| i > dash_indent)
        .unwrap_or(dash_indent + 2)
}

/// `text` with `event` (item text whose lines end in newlines) inserted at `layout`, after
/// the last event. A file with Windows line ends gets them in the event too.
pub fn insert(text: &str, layout: &Layout, event: &str) -> String {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(text.len() + event.len() + 2);
    out.push_str(&text[..layout.offset]);
    if layout.needs_newline {
        out.push_str(newline);
    }
    if layout.blank_line {
        out.push_str(newline);
    }
    out.push_str(&event.replace('\n', newline));
    out.push_str(&text[layout.offset..]);
    out
}

/// `text` with `event` inserted just before the event that starts at `before` (one of
/// `layout.items`), separated as the others are.
pub fn insert_before(text: &str, layout: &Layout, before: usize, event: &str) -> String {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(text.len() + event.len() + 2);
    out.push_str(&text[..before]);
    out.push_str(&event.replace('\n', newline));
    if layout.blank_line {
        out.push_str(newline);
    }
    out.push_str(&text[before..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\
# modeline
title: t   # a comment
timeline:
  # before the first event
  - at: 2025-10-20 10:00
    text: |
      first

      # not a comment: part of the text

  - at: 10:05
    text: second
    # about the second event
  # trailing comment at item level

# closing comment
severity: SEV3
";

    #[test]
    fn finds_the_end_of_the_last_event() {
        let layout = layout(LOG).unwrap();
        let before = &LOG[..layout.offset];
        assert!(
            before.ends_with("    # about the second event\n"),
            "{before}"
        );
        assert_eq!(layout.dash_indent, 2);
        assert_eq!(layout.field_indent, 4);
        assert!(layout.blank_line);
        assert!(!layout.needs_newline);
    }

    /// One row per layout: the text, and (dash, field, blank line) or the error.
    #[test]
    fn layouts() {
        type Expected = Result<(usize, usize, bool), LayoutError>;
        let cases: &[(&str, Expected)] = &[
            ("timeline:\n- at: x\n  text: y\n", Ok((0, 2, false))),
            (
                "timeline:\n    -   at: x\n        text: y",
                Ok((4, 8, false)),
            ),
            (
                "timeline:\n  -\n     at: x\n     text: y\n",
                Ok((2, 5, false)),
            ),
            (
                "\"timeline\": # c\n  - at: x\n    text: y\n",
                Ok((2, 4, false)),
            ),
            (
                "timeline:\n  - at: a\n    text: b\n\n  - at: c\n    text: d\n",
                Ok((2, 4, true)),
            ),
            ("title: x\n", Err(LayoutError::NoTimeline)),
            ("timeline: []\n", Err(LayoutError::FlowList { line: 1 })),
            (
                "a: 1\ntimeline: *events\n",
                Err(LayoutError::NotAList { line: 2 }),
            ),
            (
                "timeline:\n  at: x\n",
                Err(LayoutError::NotAList { line: 1 }),
            ),
            (
                "timeline:\nsummary: x\n",
                Err(LayoutError::NotAList { line: 1 }),
            ),
            ("summary: |\n  timeline:\n", Err(LayoutError::NoTimeline)),
        ];
        for (text, expected) in cases {
            let got = layout(text).map(|l| (l.dash_indent, l.field_indent, l.blank_line));
            assert_eq!(&got, expected, "{text:?}");
        }
    }

    #[test]
    fn inserting_keeps_every_other_byte() {
        let layout = layout(LOG).unwrap();
        let event = "  - at: 10:10\n    text: third\n";
        let out = insert(LOG, &layout, event);
        let expected = LOG.replace(
            "    # about the second event\n",
            "    # about the second event\n\n  - at: 10:10\n    text: third\n",
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn windows_line_ends_are_kept() {
        let text = "timeline:\r\n  - at: a\r\n    text: b\r\n\r\nsummary: x\r\n";
        let out = insert(text, &layout(text).unwrap(), "  - at: c\n    text: d\n");
        assert_eq!(
            out,
            "timeline:\r\n  - at: a\r\n    text: b\r\n  - at: c\r\n    text: d\r\n\r\nsummary: x\r\n"
        );
    }

    #[test]
    fn a_file_without_a_final_newline_gets_one() {
        let text = "timeline:\n  - at: a\n    text: b";
        let out = insert(text, &layout(text).unwrap(), "  - at: c\n    text: d\n");
        assert_eq!(
            out,
            "timeline:\n  - at: a\n    text: b\n  - at: c\n    text: d\n"
        );
    }

    mod property {
        use super::*;
        use crate::authoring::{NewEvent, event_text};
        use crate::parse::Limits;
        use crate::source::Source;
        use crate::validate;
        use proptest::prelude::*;

        /// One written event: blank line before it, block text or not, a comment after it and
        /// the comment's indentation (0: column 0, 1: the dash's, 2: the keys', 3: deeper).
        type Piece = (bool, bool, Option<u8>);

        fn log(dash: usize, gap: usize, pieces: &[Piece], tail: u8) -> String {
            let field = dash + 1 + gap;
            let mut out = String::from("# head\ntitle: t\nseverity: SEV3\ntimeline:\n");
            for (i, (blank, block, comment)) in pieces.iter().enumerate() {
                if *blank {
                    out.push('\n');
                }
                let pad = " ".repeat(field);
                out.push_str(&format!(
                    "{}-{}at: 2026-01-01 10:{i:02}\n",
                    " ".repeat(dash),
                    " ".repeat(gap)
                ));
                if *block {
                    out.push_str(&format!(
                        "{pad}text: |\n{pad}  line {i}\n\n{pad}  # heading {i}\n"
                    ));
                } else {
                    out.push_str(&format!("{pad}text: 'event {i}: x'\n"));
                }
                if let Some(level) = comment {
                    let indent = [0, dash, field, field + 2][*level as usize];
                    out.push_str(&format!("{}# note {i}\n", " ".repeat(indent)));
                }
            }
            out.push_str(["", "\n# end\n", "\nsummary: s\n", "# c\nlinks: []\n"][tail as usize]);
            out
        }

        proptest! {
            #[test]
            fn an_appended_event_is_the_last_and_changes_no_other(
                dash in prop_oneof![Just(0usize), Just(2), Just(4)],
                gap in 1usize..4,
                pieces in proptest::collection::vec(
                    (any::<bool>(), any::<bool>(), proptest::option::of(0u8..4)), 1..5),
                tail in 0u8..4,
            ) {
                let text = log(dash, gap, &pieces, tail);
                let before = validate::check(&Source::from_text("a.yaml", text.clone()), Limits::default());
                let before = before.incident.expect("the generated log is valid");
                let layout = layout(&text).unwrap();
                prop_assert_eq!(layout.dash_indent, dash);
                prop_assert_eq!(layout.field_indent, dash + 1 + gap);
                let event = NewEvent {
                    id: None,
                    at: "2026-01-01 11:00".into(),
                    phase: None,
                    severity: None,
                    status: Vec::new(),
                    text: "appended".into(),
                    update: None,
                    internal: false,
                };
                let after = insert(&text, &layout, &event_text(&event, layout.dash_indent, layout.field_indent));
                let checked = validate::check(&Source::from_text("a.yaml", after.clone()), Limits::default());
                let incident = checked.incident.unwrap_or_else(|| panic!("{after}\n{:?}", checked.diagnostics));
                prop_assert_eq!(incident.timeline.len(), before.timeline.len() + 1);
                prop_assert_eq!(&incident.timeline[..before.timeline.len()], &before.timeline[..]);
                prop_assert_eq!(incident.timeline.last().map(|e| e.text.as_str()), Some("appended"));
            }
        }
    }
}
