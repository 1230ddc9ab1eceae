//! A loaded incident log: its name, its text, and line/column lookup for byte spans.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One input file held in memory, so that diagnostics can quote it.
#[derive(Debug, Clone)]
pub struct Source {
    name: String,
    path: Option<PathBuf>,
    text: String,
    /// Where each line starts: found the first time a location is asked for (most logs
    /// never need one).
    line_starts: OnceLock<Box<[usize]>>,
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl Source {
    /// A source read from `path`; `name` is how diagnostics refer to it.
    pub fn new(name: impl Into<String>, path: Option<PathBuf>, text: String) -> Self {
        Source {
            name: name.into(),
            path,
            text,
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// A source with no file behind it (tests, stdin).
    pub fn from_text(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source::new(name, None, text.into())
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The file stem, the default incident id.
    pub fn stem(&self) -> Option<&str> {
        match &self.path {
            Some(p) => p.file_stem().and_then(|s| s.to_str()),
            None => Path::new(&self.name).file_stem().and_then(|s| s.to_str()),
        }
    }

    /// The line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts();
        let line = line_starts.partition_point(|&s| s <= offset) - 1;
        let start = line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// The byte offset of a 1-based line and column, if it lies in the text.
    pub fn offset_of(&self, line: usize, column: usize) -> Option<usize> {
        let line_starts = self.line_starts();
        let start = *line_starts.get(line.checked_sub(1)?)?;
        let end = line_starts.get(line).copied().unwrap_or(self.text.len());
        let line_text = &self.text[start..end];
        let col = column.checked_sub(1)?;
        match line_text.char_indices().nth(col) {
            Some((i, _)) => Some(start + i),
            None => Some(end),
        }
    }

    /// The byte range of the whole line holding `offset`, without its newline.
    pub fn line_span(&self, offset: usize) -> Range<usize> {
        let lc = self.line_col(offset);
        let start = self.line_starts()[lc.line - 1];
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let s = Source::from_text("x.yaml", "ab\ncdé\n\nf");
        let cases = [
            (0, 1, 1),
            (1, 1, 2),
            (3, 2, 1),
            (5, 2, 3),
            (8, 3, 1),
            (9, 4, 1),
        ];
        for (offset, line, column) in cases {
            assert_eq!(
                s.line_col(offset),
                LineCol { line, column },
                "offset {offset}"
            );
        }
    }

    #[test]
    fn offset_of_inverts_line_col() {
        let s = Source::from_text("x.yaml", "ab\ncdé x\n");
        for offset in [0, 1, 3, 4, 5, 7, 8] {
            let lc = s.line_col(offset);
            assert_eq!(s.offset_of(lc.line, lc.column), Some(offset));
        }
        assert_eq!(s.offset_of(0, 1), None);
    }

    #[test]
    fn stem_comes_from_the_path() {
        let s = Source::new(
            "a",
            Some(PathBuf::from("incidents/aws-1.yaml")),
            String::new(),
        );
        assert_eq!(s.stem(), Some("aws-1"));
    }
}
