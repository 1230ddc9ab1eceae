//! Where a phrase of a field's value is written in the file. A plain scalar is its value byte
//! for byte. A block scalar (`|`, `>`) drops its indentation and folds lines, a quoted one its
//! quotes and escapes: there the value's words are lined up with the file's, whitespace aside,
//! and when escapes change the words the phrase is looked for in the file's text.

use std::ops::Range;

/// The largest field in which a phrase is looked for by search (the slow way, for quoted
/// fields whose escapes change their words); a larger one points at the whole field.
const MAX_SEARCH: usize = 64 * 1024;

/// A field's value lined up with its text in the file; built once per field with a warning,
/// then [`Written::locate`] maps each phrase.
pub struct Written<'a> {
    file: &'a str,
    span: Range<usize>,
    value: &'a str,
    how: How,
}

enum How {
    /// The file holds the value byte for byte from `span.start`.
    Verbatim,
    /// Word `i` of the value (its range in the value) is word `i` of the file (its range in
    /// the file).
    Words(Vec<(Range<usize>, Range<usize>)>),
    /// Escapes change the words: look for the phrase in the file.
    Search,
    /// The span does not fit the file.
    Nowhere,
}

impl<'a> Written<'a> {
    /// `value` is the value of a field written at `span` in `file`.
    pub fn new(file: &'a str, span: Range<usize>, value: &'a str) -> Self {
        let how = match file.get(span.clone()) {
            None => How::Nowhere,
            Some(written) if written == value => How::Verbatim,
            Some(written) => {
                let inner = unquoted(written);
                let offset = span.start + (inner.as_ptr() as usize - written.as_ptr() as usize);
                let value_words = words(value, 0);
                let file_words = words(inner, offset);
                if value_words.len() == file_words.len() {
                    How::Words(value_words.into_iter().zip(file_words).collect())
                } else {
                    How::Search
                }
            }
        };
        Written {
            file,
            span,
            value,
            how,
        }
    }

    /// The file span of `range` in the value; the whole field when it cannot be found.
    pub fn locate(&self, range: Range<usize>) -> Range<usize> {
        match &self.how {
            How::Verbatim => self.span.start + range.start..self.span.start + range.end,
            How::Words(words) => self.by_words(words, range),
            How::Search if self.span.len() <= MAX_SEARCH => self.search(range),
            How::Search | How::Nowhere => self.span.clone(),
        }
    }

    fn by_words(
        &self,
        words: &[(Range<usize>, Range<usize>)],
        range: Range<usize>,
    ) -> Range<usize> {
        let at = |offset: usize, end: bool| {
            let i = words
                .partition_point(|(v, _)| v.start <= offset)
                .saturating_sub(1);
            let (v, f) = words.get(i)?;
            let same = self.value.get(v.clone()) == self.file.get(f.clone());
            Some(match (same, end) {
                (true, _) => f.start + (offset - v.start).min(v.len()),
                (false, false) => f.start,
                (false, true) => f.end,
            })
        };
        let start = at(range.start, false);
        let end = at(range.end, true).or(start);
        match (start, end) {
            (Some(start), Some(end)) if start <= end => start..end,
            _ => self.span.clone(),
        }
    }

    /// The phrase is the n-th of its kind in the value; take the n-th in the file.
    fn search(&self, range: Range<usize>) -> Range<usize> {
        let Some(phrase) = self.value.get(range.clone()) else {
            return self.span.clone();
        };
        let Some(written) = self.file.get(self.span.clone()) else {
            return self.span.clone();
        };
        let words: Vec<&str> = phrase.split_whitespace().collect();
        let nth = matches(self.value, &words)
            .take_while(|m| m.start < range.start)
            .count();
        match matches(written, &words).nth(nth) {
            Some(found) => self.span.start + found.start..self.span.start + found.end,
            None => self.span.clone(),
        }
    }
}

/// A quoted scalar without its quotes.
fn unquoted(written: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = written
            .strip_prefix(quote)
            .and_then(|w| w.strip_suffix(quote))
        {
            return inner;
        }
    }
    written
}

/// The ranges of the whitespace-separated words of `text`, shifted by `offset`.
fn words(text: &str, offset: usize) -> Vec<Range<usize>> {
    let base = text.as_ptr() as usize;
    text.split_whitespace()
        .map(|word| {
            let start = offset + (word.as_ptr() as usize - base);
            start..start + word.len()
        })
        .collect()
}

/// Every place, left to right and not overlapping, where `words` are written in `text` one
/// after another with whitespace between them.
fn matches<'a>(text: &'a str, words: &'a [&'a str]) -> impl Iterator<Item = Range<usize>> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        let first = words.first()?;
        while let Some(found) = text.get(from..)?.find(first) {
            let start = from + found;
            from = start + first.len();
            if let Some(end) = rest_at(text, start + first.len(), &words[1..]) {
                from = end;
                return Some(start..end);
            }
        }
        from = text.len() + 1;
        None
    })
}

/// Where `words` end when they follow `at` in `text`, each after some whitespace.
fn rest_at(text: &str, mut at: usize, words: &[&str]) -> Option<usize> {
    for word in words {
        let rest = text.get(at..)?;
        let gap = rest.len() - rest.trim_start().len();
        if gap == 0 || !rest[gap..].starts_with(word) {
            return None;
        }
        at += gap + word.len();
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    #[derive(serde::Deserialize)]
    struct Doc {
        summary: serde_saphyr::Spanned<String>,
    }

    /// A field as the parser reads it: its value and its span in the file.
    fn field(yaml: &str) -> (String, Range<usize>) {
        let doc: Doc = serde_saphyr::from_str(yaml).unwrap();
        let span = crate::parse::span(&Source::from_text("t.yaml", yaml), &doc.summary);
        (doc.summary.value, span)
    }

    /// One row per way of writing a field: the YAML, the phrase, which of its occurrences in
    /// the value, and the text the span must cover in the file.
    #[test]
    fn phrases_are_found_in_every_scalar_style() {
        let cases: &[(&str, &str, usize, &str)] = &[
            // Plain: the value is the text.
            ("summary: for 2 h 52 m.\n", "2 h 52 m", 0, "2 h 52 m"),
            // Plain over two lines: folded to a space.
            ("summary: for 2 h\n  52 m.\n", "2 h 52 m", 0, "2 h\n  52 m"),
            // Literal block: indentation dropped.
            (
                "summary: |\n  down for\n  2 h 52 m, then 2 h 52 m\n",
                "2 h 52 m",
                1,
                "2 h 52 m",
            ),
            // Folded block: the phrase runs over a line break.
            (
                "summary: >\n  down for 2 h\n  52 m.\n",
                "2 h 52 m",
                0,
                "2 h\n  52 m",
            ),
            // Double-quoted with an escape before the phrase.
            (
                "summary: \"caf\\u00e9 at 2:40 AM\"\n",
                "2:40 AM",
                0,
                "2:40 AM",
            ),
            // An escape inside the phrase: the file's word, as written.
            (
                "summary: \"at \\u0032:40 AM\"\n",
                "2:40 AM",
                0,
                "\\u0032:40 AM",
            ),
            // Single-quoted with a doubled quote.
            ("summary: 'it''s 14:20'\n", "14:20", 0, "14:20"),
            // The second of two equal phrases is the second in the file.
            (
                "summary: |\n  at 2:40 AM and\n  again at 2:40 AM\n",
                "2:40 AM",
                1,
                "2:40 AM",
            ),
        ];
        for (yaml, phrase, nth, expected) in cases {
            let (value, span) = field(yaml);
            let (start, _) = value.match_indices(phrase).nth(*nth).unwrap();
            let got = Written::new(yaml, span, &value).locate(start..start + phrase.len());
            assert_eq!(&yaml[got.clone()], *expected, "{yaml:?}");
            let (in_file, _) = yaml.match_indices(expected).nth(*nth).unwrap();
            assert_eq!(got.start, in_file, "{yaml:?}");
        }
    }

    proptest::proptest! {
        /// Whatever the text and the scalar style, every phrase maps to a place inside the
        /// field, on character boundaries.
        #[test]
        fn phrases_land_inside_their_field(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "2 h 52 m", "14:20", "2:40 AM", " ", "\n", "é", "\"", "'", "\\", "x", "at", "for",
            ]), 1..20),
            style in 0..4usize,
        ) {
            let text: String = parts.concat();
            let line = text.replace('\n', " ");
            let yaml = match style {
                0 => format!("summary: |\n  {}\n", text.replace('\n', "\n  ")),
                1 => format!("summary: >\n  {}\n", text.replace('\n', "\n  ")),
                2 => format!("summary: \"{}\"\n", line.replace('\\', "\\\\").replace('"', "\\\"")),
                _ => format!("summary: '{}'\n", line.replace('\'', "''")),
            };
            let Ok(doc) = serde_saphyr::from_str::<Doc>(&yaml) else {
                return Ok(());
            };
            let span = crate::parse::span(&Source::from_text("t.yaml", yaml.as_str()), &doc.summary);
            let written = Written::new(&yaml, span.clone(), &doc.summary.value);
            for phrase in crate::validate::prose::extract::phrases(&doc.summary.value) {
                let at = written.locate(phrase.range);
                proptest::prop_assert!(yaml.get(at.clone()).is_some(), "{yaml:?} {at:?}");
                proptest::prop_assert!(at.start >= span.start && at.end <= span.end, "{yaml:?} {at:?} {span:?}");
            }
        }
    }

    #[test]
    fn a_phrase_not_in_the_file_falls_back_to_the_field() {
        // Escapes: the value says "2 h", the file never does.
        let yaml = "summary: \"for \\u0032\\u0020h\"\n";
        let (value, span) = field(yaml);
        assert_eq!(value, "for 2 h");
        assert_eq!(Written::new(yaml, span.clone(), &value).locate(4..7), span);
        assert_eq!(Written::new(yaml, 500..600, &value).locate(4..7), 500..600);
    }
}
