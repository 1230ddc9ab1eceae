//! Word-level comparison of two texts: the inline diff a reviewer reads, and the similarity
//! score that decides whether two reworded events are the same event.

use std::hash::Hash;

use similar::{Algorithm, DiffOp, DiffTag, capture_diff_slices, get_diff_ratio};

/// What a run of words is in a word diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordOp {
    Equal,
    Delete,
    Insert,
}

impl WordOp {
    pub fn as_str(self) -> &'static str {
        match self {
            WordOp::Equal => "equal",
            WordOp::Delete => "delete",
            WordOp::Insert => "insert",
        }
    }
}

/// A run of text (words and the whitespace between them) with one [`WordOp`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordSpan {
    pub op: WordOp,
    pub text: String,
}

/// The word diff of `old` into `new`: runs of equal, deleted and inserted text, in reading
/// order (a deletion comes before the insertion that replaces it). Whitespace between two
/// changed words joins their run, so "a b" -> "c d" reads as one replacement, not four.
pub fn word_diff(old: &str, new: &str) -> Vec<WordSpan> {
    let (lhs, rhs) = (tokens(old), tokens(new));
    let mut spans: Vec<WordSpan> = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &lhs, &rhs) {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => push(&mut spans, WordOp::Equal, &lhs[o].concat()),
            _ => {
                push(&mut spans, WordOp::Delete, &lhs[o].concat());
                push(&mut spans, WordOp::Insert, &rhs[n].concat());
            }
        }
    }
    spans.retain(|s| !s.text.is_empty());
    absorb_whitespace(spans)
}

/// Splits text into the units a word diff works on: runs of letters and digits, runs of
/// whitespace, and single punctuation marks (so "fails" -> "fails." changes only the `.`).
fn tokens(text: &str) -> Vec<&str> {
    let kind = |c: char| {
        if c.is_alphanumeric() {
            0
        } else if c.is_whitespace() {
            1
        } else {
            2
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut previous: Option<u8> = None;
    for (i, c) in text.char_indices() {
        let k = kind(c);
        if i > start && (previous != Some(k) || k == 2) {
            out.push(&text[start..i]);
            start = i;
        }
        previous = Some(k);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn push(spans: &mut Vec<WordSpan>, op: WordOp, text: &str) {
    match spans.last_mut() {
        Some(last) if last.op == op => last.text.push_str(text),
        _ => spans.push(WordSpan {
            op,
            text: text.to_owned(),
        }),
    }
}

/// Turns an equal run of pure whitespace between two changes into part of both changes, and
/// puts deletions before insertions inside each changed stretch.
fn absorb_whitespace(spans: Vec<WordSpan>) -> Vec<WordSpan> {
    let mut out: Vec<WordSpan> = Vec::new();
    let mut deleted = String::new();
    let mut inserted = String::new();
    let flush = |out: &mut Vec<WordSpan>, deleted: &mut String, inserted: &mut String| {
        if !deleted.is_empty() {
            push(out, WordOp::Delete, deleted);
        }
        if !inserted.is_empty() {
            push(out, WordOp::Insert, inserted);
        }
        deleted.clear();
        inserted.clear();
    };
    for (i, span) in spans.iter().enumerate() {
        let between_changes = i > 0
            && i + 1 < spans.len()
            && span.op == WordOp::Equal
            && span.text.chars().all(char::is_whitespace)
            && !span.text.contains("\n\n");
        match span.op {
            WordOp::Delete => deleted.push_str(&span.text),
            WordOp::Insert => inserted.push_str(&span.text),
            WordOp::Equal if between_changes => {
                deleted.push_str(&span.text);
                inserted.push_str(&span.text);
            }
            WordOp::Equal => {
                flush(&mut out, &mut deleted, &mut inserted);
                push(&mut out, WordOp::Equal, &span.text);
            }
        }
    }
    flush(&mut out, &mut deleted, &mut inserted);
    out
}

/// The words of a text for comparison: lower case, letters and digits only.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// How alike two texts are, from 0 (no word in common) to 1 (the same words in the same
/// order): `2 * matching words / (words in old + words in new)`, over the longest common
/// subsequence of their words.
pub fn similarity<T: Eq + Hash + Ord>(old: &[T], new: &[T]) -> f32 {
    if old.is_empty() && new.is_empty() {
        return 1.0;
    }
    let ops: Vec<DiffOp> = capture_diff_slices(Algorithm::Myers, old, new);
    get_diff_ratio(&ops, old.len(), new.len())
}

/// A text's words prepared for many comparisons: the length of the longest common
/// subsequence with another text is then computed bit-parallel (Hyyrö's algorithm, 64 words
/// per machine word), far cheaper than a diff of the two word lists.
#[derive(Debug, Clone)]
pub struct Pattern {
    len: usize,
    /// For each distinct word, the positions where it occurs, as a bit set.
    masks: std::collections::HashMap<u32, Vec<u64>>,
}

impl Pattern {
    pub fn new(words: &[u32]) -> Pattern {
        let blocks = words.len().div_ceil(64);
        let mut masks: std::collections::HashMap<u32, Vec<u64>> = Default::default();
        for (i, w) in words.iter().enumerate() {
            masks.entry(*w).or_insert_with(|| vec![0; blocks])[i / 64] |= 1 << (i % 64);
        }
        Pattern {
            len: words.len(),
            masks,
        }
    }

    /// The length of the longest common subsequence of the pattern's words and `text`.
    pub fn lcs(&self, text: &[u32]) -> usize {
        let blocks = self.len.div_ceil(64);
        if blocks == 0 {
            return 0;
        }
        let mut v = vec![u64::MAX; blocks];
        for w in text {
            let Some(mask) = self.masks.get(w) else {
                continue;
            };
            let mut carry = false;
            for (vk, &mk) in v.iter_mut().zip(mask) {
                let u = *vk & mk;
                let (sum, c1) = vk.overflowing_add(u);
                let (sum, c2) = sum.overflowing_add(u64::from(carry));
                carry = c1 || c2;
                *vk = sum | (*vk & !mk);
            }
        }
        let zeros: usize = v.iter().map(|b| b.count_zeros() as usize).sum();
        // Bits past the pattern's end stay set, so they never count.
        zeros
    }

    /// [`similarity`] of the pattern's words and `text`, from [`Pattern::lcs`].
    pub fn similarity(&self, text: &[u32]) -> f32 {
        let total = self.len + text.len();
        if total == 0 {
            return 1.0;
        }
        2.0 * self.lcs(text) as f32 / total as f32
    }
}

/// Markdown prose with its soft line breaks joined: the lines of a paragraph become one line,
/// while blank lines, list items, quotes, headings, tables and code blocks keep their breaks.
/// Rewrapping a paragraph changes nothing a reader sees, so the diff compares reflowed text.
pub fn reflow(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    let mut previous_blank = true;
    for line in text.trim_end().lines() {
        let trimmed = line.trim();
        let fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        let keeps_break =
            in_code || fence || trimmed.is_empty() || previous_blank || starts_block(trimmed);
        if !out.is_empty() {
            out.push(if keeps_break { '\n' } else { ' ' });
        }
        if in_code || fence {
            out.push_str(line.trim_end());
        } else {
            out.push_str(trimmed);
        }
        if fence {
            in_code = !in_code;
        }
        previous_blank = trimmed.is_empty() || in_code || fence;
    }
    out
}

/// Whether a line starts a Markdown block of its own (and so keeps the break before it).
fn starts_block(line: &str) -> bool {
    let ordered = line
        .split_once(". ")
        .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    ordered
        || ["- ", "* ", "+ ", "> ", "#", "|"]
            .iter()
            .any(|p| line.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(spans: &[WordSpan]) -> String {
        spans
            .iter()
            .map(|s| match s.op {
                WordOp::Equal => s.text.clone(),
                WordOp::Delete => format!("[-{}-]", s.text),
                WordOp::Insert => format!("{{+{}+}}", s.text),
            })
            .collect()
    }

    #[test]
    fn word_diffs() {
        let table = [
            ("a b c", "a b c", "a b c"),
            ("a b c", "a x c", "a [-b-]{+x+} c"),
            ("a b c d", "a x y d", "a [-b c-]{+x y+} d"),
            ("a b", "a b c", "a b{+ c+}"),
            ("DNS fails", "DNS fails.", "DNS fails{+.+}"),
            ("a, b", "a; b", "a[-,-]{+;+} b"),
        ];
        for (old, new, expected) in table {
            assert_eq!(show(&word_diff(old, new)), expected, "{old:?} -> {new:?}");
        }
    }

    #[test]
    fn tokens_split_words_spaces_and_punctuation() {
        assert_eq!(tokens("it's  DNS."), ["it", "'", "s", "  ", "DNS", "."]);
        assert_eq!(tokens(""), Vec::<&str>::new());
    }

    #[test]
    fn word_diff_keeps_both_texts() {
        let (old, new) = (
            "The quick brown fox\n\njumps",
            "A quick red fox\n\nleaps high",
        );
        let spans = word_diff(old, new);
        let side = |skip: WordOp| -> String {
            spans
                .iter()
                .filter(|s| s.op != skip)
                .map(|s| s.text.as_str())
                .collect()
        };
        assert_eq!(side(WordOp::Insert), old);
        assert_eq!(side(WordOp::Delete), new);
    }

    #[test]
    fn similarity_scores() {
        let s = |a: &str, b: &str| similarity::<String>(&words(a), &words(b));
        assert_eq!(s("Rollback complete", "rollback COMPLETE."), 1.0);
        assert_eq!(s("one two", "three four"), 0.0);
        let half = s(
            "engineers restart DWFM hosts",
            "engineers restart the NLB fleet",
        );
        assert!(half > 0.3 && half < 0.6, "{half}");
    }

    #[test]
    fn reflow_joins_paragraph_lines_only() {
        let table = [
            ("a\nb\n", "a b"),
            ("a\n\nb", "a\n\nb"),
            ("intro\n- one\n- two\n  more", "intro\n- one\n- two more"),
            ("1. x\n2. y", "1. x\n2. y"),
            (
                "```\ncode\n  kept\n```\nafter",
                "```\ncode\n  kept\n```\nafter",
            ),
        ];
        for (input, expected) in table {
            assert_eq!(reflow(input), expected, "{input:?}");
        }
    }

    fn ids(text: &str) -> Vec<u32> {
        text.bytes().map(u32::from).collect()
    }

    #[test]
    fn bit_parallel_lcs() {
        let table = [
            ("abcbdab", "bdcaba", 4),
            ("", "abc", 0),
            ("abc", "", 0),
            ("abc", "abc", 3),
            ("abc", "xyz", 0),
        ];
        for (a, b, expected) in table {
            assert_eq!(Pattern::new(&ids(a)).lcs(&ids(b)), expected, "{a:?} {b:?}");
        }
        // Longer than one machine word.
        let long: Vec<u32> = (0..150).map(|i| i % 7).collect();
        let other: Vec<u32> = (0..140).map(|i| (i * 3) % 7).collect();
        let expected = similarity(&long, &other);
        assert!((Pattern::new(&long).similarity(&other) - expected).abs() < 1e-6);
    }

    proptest::proptest! {
        #[test]
        fn bit_parallel_lcs_agrees_with_myers(
            a in proptest::collection::vec(0u32..6, 0..150),
            b in proptest::collection::vec(0u32..6, 0..150),
        ) {
            let fast = Pattern::new(&a).similarity(&b);
            let slow = similarity(&a, &b);
            proptest::prop_assert!((fast - slow).abs() < 1e-6, "{} vs {}", fast, slow);
        }
    }
}
