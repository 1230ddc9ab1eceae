//! Where a phrase of a field's value is written in the file. A plain scalar is its value byte
//! for byte; a block scalar (`|`, `>`) drops its indentation and a quoted one its quotes and
//! escapes, so there the phrase is looked for in the field's text in the file, with any run
//! of whitespace matching any other (a folded line break is a space in the value).

use std::ops::Range;

/// The file span of `range` in `value`, the value of a field written at `span` in `file`;
/// the whole field when the phrase cannot be found there.
pub fn locate(file: &str, span: Range<usize>, value: &str, range: Range<usize>) -> Range<usize> {
    let Some(written) = file.get(span.clone()) else {
        return span;
    };
    if written == value {
        return span.start + range.start..span.start + range.end;
    }
    let Some(phrase) = value.get(range.clone()) else {
        return span;
    };
    let words: Vec<&str> = phrase.split_whitespace().collect();
    // The phrase is the n-th of its kind in the value; take the n-th in the file.
    let nth = matches(value, &words)
        .take_while(|m| m.start < range.start)
        .count();
    match matches(written, &words).nth(nth) {
        Some(found) => span.start + found.start..span.start + found.end,
        None => span,
    }
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

    /// A field as the parser reads it: its value and its span in the file.
    fn field(yaml: &str) -> (String, Range<usize>) {
        #[derive(serde::Deserialize)]
        struct Doc {
            summary: serde_saphyr::Spanned<String>,
        }
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
            let got = locate(yaml, span, &value, start..start + phrase.len());
            assert_eq!(&yaml[got.clone()], *expected, "{yaml:?}");
            let (in_file, _) = yaml.match_indices(expected).nth(*nth).unwrap();
            assert_eq!(got.start, in_file, "{yaml:?}");
        }
    }

    #[test]
    fn a_phrase_not_in_the_file_falls_back_to_the_field() {
        // Escapes: the value says "2 h", the file never does.
        let yaml = "summary: \"for \\u0032\\u0020h\"\n";
        let (value, span) = field(yaml);
        assert_eq!(value, "for 2 h");
        assert_eq!(locate(yaml, span.clone(), &value, 4..7), span);
        assert_eq!(locate(yaml, 500..600, &value, 4..7), 500..600);
    }
}
