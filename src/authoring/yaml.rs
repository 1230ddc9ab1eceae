//! Writing YAML scalars as text, so that whatever a user types (a title with `: `, a `#`, a
//! leading `*`, a word YAML would read as a boolean) reads back as the same string.

/// Words that a YAML reader may take for something other than a string.
const RESERVED: &[&str] = &[
    "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
];

/// `text` as one YAML scalar on one line: plain when that is safe, else single-quoted, else
/// double-quoted with escapes (for line breaks and control characters).
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text) && reads_back(text, text) {
        return text.to_owned();
    }
    if !text.chars().any(char::is_control) {
        return format!("'{}'", text.replace('\'', "''"));
    }
    crate::escape::front_matter_string(text)
}

/// `text` as the value of `key:` at `indent` spaces: a literal block (`|`) for Markdown over
/// several lines, one scalar on the key's line otherwise. The result has no final newline.
pub fn field(key: &str, text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    match literal_block(text, indent + 2) {
        Some(block) => format!("{pad}{key}: {block}"),
        None => format!("{pad}{key}: {}", scalar(text)),
    }
}

/// A literal block for multi-line text, when the text can be written as one exactly.
fn literal_block(text: &str, indent: usize) -> Option<String> {
    let body = text.strip_suffix('\n');
    let (body, chomp) = match body {
        Some(body) => (body, ""),
        None => (text, "-"),
    };
    let usable = body.contains('\n')
        && !body.ends_with('\n')
        && !body.starts_with([' ', '\t', '\n'])
        && !body
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        && !body.lines().any(|l| l.trim().is_empty() && !l.is_empty());
    if !usable {
        return None;
    }
    let pad = " ".repeat(indent);
    let mut out = format!("|{chomp}");
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    Some(out)
}

/// A conservative test for a plain scalar: no indicator first, no `: ` or ` #` inside, no
/// space at either end, nothing that looks like a number or a keyword.
fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let bad_first = "-?:,[]{}#&*!|>'\"%@`+.~".contains(first) || first.is_ascii_digit();
    let lower = text.to_ascii_lowercase();
    !bad_first
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && text.trim() == text
        && !text.chars().any(|c| c.is_control())
        && !RESERVED.contains(&lower.as_str())
}

/// Whether `written` reads back as the string `expected`.
fn reads_back(written: &str, expected: &str) -> bool {
    serde_saphyr::from_str::<String>(written).is_ok_and(|s| s == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Doc {
        key: String,
    }

    fn round_trip(yaml: &str) -> String {
        serde_saphyr::from_str::<Doc>(yaml)
            .unwrap_or_else(|e| panic!("{yaml:?} does not parse: {e}"))
            .key
    }

    /// One row per input: the text and how it is written.
    #[test]
    fn scalars_are_quoted_only_when_needed() {
        let cases = [
            ("DynamoDB DNS failure", "DynamoDB DNS failure"),
            ("Cause: a race", "'Cause: a race'"),
            ("issue#42", "issue#42"),
            ("see #42", "'see #42'"),
            ("*bold* start", "'*bold* start'"),
            ("it's", "it's"),
            ("'quoted'", "'''quoted'''"),
            ("true", "'true'"),
            ("No", "'No'"),
            ("42", "'42'"),
            ("2 DNS Enactors", "'2 DNS Enactors'"),
            ("- dash", "'- dash'"),
            ("", "''"),
            (" padded", "' padded'"),
            ("ends with colon:", "'ends with colon:'"),
            ("tab\there", "\"tab\\there\""),
            ("bell\u{7}", "\"bell\\u0007\""),
        ];
        for (text, written) in cases {
            assert_eq!(scalar(text), written, "{text:?}");
        }
    }

    #[test]
    fn every_scalar_reads_back() {
        let texts = [
            "a: b # c",
            "@user",
            "`code`",
            "{not: a map}",
            "[not, a list]",
            "%percent",
            "line\nbreak",
            "back\\slash \"q\"",
            "~",
            "null",
            "0x1F",
            ".inf",
            "&anchor",
            "!tag",
            "|",
            ">",
            "? key",
            "Ünïcødé — ok",
            "trailing ",
        ];
        for text in texts {
            let yaml = format!("key: {}\n", scalar(text));
            assert_eq!(round_trip(&yaml), text, "{yaml}");
        }
    }

    proptest::proptest! {
        /// Whatever the text, what `scalar` and `field` write reads back as that text.
        #[test]
        fn any_text_round_trips(text in "\\PC*|[ -~\n\t]*|[-?:,#&*!|>'\"%@`{}\\[\\] ]{0,6}[a-z]{0,3}") {
            let yaml = format!("key: {}\n", scalar(&text));
            proptest::prop_assert_eq!(round_trip(&yaml), text.clone(), "{}", yaml);
            let yaml = format!("{}\n", field("key", &text, 0));
            proptest::prop_assert_eq!(round_trip(&yaml), text, "{}", yaml);
        }
    }

    #[test]
    fn multi_line_text_is_a_literal_block() {
        let cases = [
            ("one\ntwo\n", "text: |\n    one\n    two"),
            ("one\n\ntwo", "text: |-\n    one\n\n    two"),
            ("one line", "text: one line"),
            (" lead\nx", "text: \" lead\\nx\""),
        ];
        for (text, written) in cases {
            assert_eq!(field("text", text, 2).trim_start(), written, "{text:?}");
            let yaml = format!(
                "key: {}\n",
                field("text", text, 0).trim_start_matches("text: ")
            );
            assert_eq!(round_trip(&yaml), text, "{yaml}");
        }
    }
}
