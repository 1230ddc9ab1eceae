//! Byte offsets in a log and LSP positions, both ways. A position is a zero-based line and a
//! column counted in UTF-16 code units (the encoding every client must support), so a range
//! after an `é` or an emoji still lands on the text a byte span names.

use std::ops::Range;

use lsp_types::Position;

use crate::source::Source;

/// The position of a byte offset, clamped to the text and to the start of its character.
pub fn position(source: &Source, offset: usize) -> Position {
    let text = source.text();
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = source.line_span(offset);
    let character = text[line.start..offset].encode_utf16().count();
    Position::new(to_u32(source.line_col(offset).line - 1), to_u32(character))
}

/// The LSP range of a byte span.
pub fn range(source: &Source, span: &Range<usize>) -> lsp_types::Range {
    lsp_types::Range::new(position(source, span.start), position(source, span.end))
}

/// The byte offset of a position. As LSP asks, a column past the end of its line means the
/// end of the line (before `\r\n`), and a line past the end means the end of the text; a
/// column inside a surrogate pair means the character after it.
pub fn offset(source: &Source, position: Position) -> usize {
    let text = source.text();
    let Some(start) = source.offset_of(position.line as usize + 1, 1) else {
        return text.len();
    };
    let line = source.line_span(start);
    let line_text = &text[line.clone()];
    let end = line.start + line_text.strip_suffix('\r').unwrap_or(line_text).len();
    let wanted = position.character as usize;
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        if units >= wanted {
            return start + i;
        }
        units += c.len_utf16();
    }
    end
}

/// The byte range of an LSP range (start and end each as [`offset`] reads them).
pub fn span(source: &Source, range: lsp_types::Range) -> Range<usize> {
    let start = offset(source, range.start);
    start..offset(source, range.end).max(start)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `é` is 2 bytes and 1 UTF-16 unit, `日` 3 bytes and 1 unit, `😀` 4 bytes and 2 units.
    const TEXT: &str = "ab\nxé日😀z\r\n\nend";

    #[test]
    fn offsets_become_utf16_positions() {
        let source = Source::from_text("t.yaml", TEXT);
        let cases = [
            (0, 0, 0),
            (2, 0, 2),
            (3, 1, 0),
            (4, 1, 1),
            (6, 1, 2),
            (9, 1, 3),
            (13, 1, 5),
            (14, 1, 6),
            (17, 3, 0),
            (20, 3, 3),
            (99, 3, 3),
        ];
        for (offset, line, character) in cases {
            assert_eq!(
                position(&source, offset),
                Position::new(line, character),
                "offset {offset}"
            );
        }
        // Inside a character, a position is that character's start.
        assert_eq!(position(&source, 5), Position::new(1, 1));
        assert_eq!(position(&source, 11), Position::new(1, 3));
    }

    #[test]
    fn positions_become_offsets() {
        let source = Source::from_text("t.yaml", TEXT);
        for offset in [0, 1, 2, 3, 4, 6, 9, 13, 14, 17, 18, 20] {
            assert_eq!(
                super::offset(&source, position(&source, offset)),
                offset,
                "offset {offset}"
            );
        }
        let cases = [
            ((0, 99), 2),
            ((1, 99), 14),
            ((1, 4), 13),
            ((2, 5), 16),
            ((3, 99), 20),
            ((9, 0), 20),
        ];
        for ((line, character), offset) in cases {
            assert_eq!(
                super::offset(&source, Position::new(line, character)),
                offset,
                "{line}:{character}"
            );
        }
    }

    #[test]
    fn a_span_after_multibyte_text_is_the_right_range() {
        let text = "title: Ünïcødé 😀\nseverity: SEV9\n";
        let source = Source::from_text("t.yaml", text);
        let start = text.find("SEV9").unwrap();
        let r = range(&source, &(start..start + 4));
        assert_eq!(
            r,
            lsp_types::Range::new(Position::new(1, 10), Position::new(1, 14))
        );
        let on_first_line = text.find('😀').unwrap();
        let r = range(&source, &(on_first_line..on_first_line + 4));
        assert_eq!(
            r,
            lsp_types::Range::new(Position::new(0, 15), Position::new(0, 17))
        );
        assert_eq!(span(&source, r), on_first_line..on_first_line + 4);
    }
}
