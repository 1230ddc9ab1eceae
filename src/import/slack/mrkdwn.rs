//! Slack's message markup ("mrkdwn") to Markdown. Slack escapes `&`, `<` and `>` in text and
//! writes mentions and links between `<` and `>`; formatting is `*bold*`, `_italic_`,
//! `~strike~`, `` `code` `` and ```` ```blocks``` ````, each within one line except blocks.
//! Everything that is text is escaped (the import module's Markdown escaper), so no
//! Markdown or HTML of the sender's survives as markup; links keep only http, https and
//! mailto targets.

use super::super::html::decode;
use crate::escape::{markdown_link_target, markdown_text};

/// What a mention or a channel reference reads as.
pub trait Names {
    /// The display name of a user id.
    fn user(&self, id: &str) -> Option<String>;
    /// The name of a channel id.
    fn channel(&self, id: &str) -> Option<String>;
}

/// `text` (as the API gives it) as Markdown.
pub fn to_markdown(text: &str, names: &dyn Names) -> String {
    let mut out = String::new();
    Converter { names }.run(text, true, &mut out);
    out.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// `text` as plain text (for a title): mentions and links resolved, entities decoded, no
/// escaping and no formatting, on one line.
pub fn to_plain(text: &str, names: &dyn Names) -> String {
    resolved(text, names)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` as Slack shows it: entities decoded, references (`<...>` within a line) resolved.
fn resolved(text: &str, names: &dyn Names) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&decode(&rest[..start]));
        let after = &rest[start + 1..];
        match after.find('>') {
            Some(end) if !after[..end].contains('\n') => {
                out.push_str(&reference(&after[..end], names).plain);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(&decode(rest));
    out
}

struct Converter<'a> {
    names: &'a dyn Names,
}

impl Converter<'_> {
    /// Appends `text` converted to `out`; `top` is false inside a bold, italic or strike span.
    fn run(&self, text: &str, top: bool, out: &mut String) {
        let mut plain = String::new();
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            let at_line_start = i == 0 || text[..i].ends_with('\n');
            if top && at_line_start && rest.starts_with("&gt;") {
                // A quoted line.
                flush(&mut plain, out);
                out.push_str("> ");
                i += "&gt;".len();
                i += usize::from(text[i..].starts_with(' '));
                continue;
            }
            if let Some(len) = self.code(rest, &mut plain, out) {
                i += len;
                continue;
            }
            if rest.starts_with('<')
                && let Some(end) = rest.find('>')
                && !rest[1..end].contains(['<', '\n'])
            {
                flush(&mut plain, out);
                out.push_str(&reference(&rest[1..end], self.names).markdown);
                i += end + 1;
                continue;
            }
            let c = rest.chars().next().unwrap_or(' ');
            if let Some(marker) = markdown_marker(c)
                && let Some(close) = closing(text, i, c)
            {
                flush(&mut plain, out);
                out.push_str(marker);
                self.run(&text[i + 1..close], false, out);
                out.push_str(marker);
                i = close + 1;
                continue;
            }
            plain.push(c);
            i += c.len_utf8();
        }
        flush(&mut plain, out);
    }

    /// A code span or block at the start of `rest`: appends it, returns its length.
    fn code(&self, rest: &str, plain: &mut String, out: &mut String) -> Option<usize> {
        if let Some(body) = rest.strip_prefix("```")
            && let Some(end) = body.find("```")
            && !body[..end].trim().is_empty()
        {
            flush(plain, out);
            let content = resolved(&body[..end], self.names);
            let content = content.trim_matches('\n');
            if content.contains('\n') {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&format!("```\n{content}\n```\n"));
                // The line break after the block is the one just written.
                let after = &body[end + 3..];
                return Some(3 + end + 3 + usize::from(after.starts_with('\n')));
            }
            out.push_str(&code_span(content));
            return Some(3 + end + 3);
        }
        if let Some(body) = rest.strip_prefix('`')
            && let Some(end) = body.find('`')
            && end > 0
            && !body[..end].contains('\n')
        {
            flush(plain, out);
            out.push_str(&code_span(&resolved(&body[..end], self.names)));
            return Some(1 + end + 1);
        }
        None
    }
}

fn flush(plain: &mut String, out: &mut String) {
    if !plain.is_empty() {
        out.push_str(&markdown_text(&decode(plain)));
        plain.clear();
    }
}

/// An inline code span that no backtick in `content` can end.
fn code_span(content: &str) -> String {
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest > 0 || content.starts_with(' ') || content.ends_with(' ') {
        format!("{fence} {content} {fence}")
    } else {
        format!("{fence}{content}{fence}")
    }
}

/// The Markdown for a Slack formatting character.
fn markdown_marker(c: char) -> Option<&'static str> {
    match c {
        '*' => Some("**"),
        '_' => Some("*"),
        '~' => Some("~~"),
        _ => None,
    }
}

/// Where the span opened by `c` at `open` closes, if it does: Slack opens a span after a
/// non-word character, before a non-space; it closes it on the same line after a non-space,
/// before a non-word character. Links and code inside are skipped.
fn closing(text: &str, open: usize, c: char) -> Option<usize> {
    let before = text[..open].chars().next_back();
    if before.is_some_and(|b| b.is_alphanumeric() || b == c) {
        return None;
    }
    let after = text[open + 1..].chars().next()?;
    if after.is_whitespace() || after == c {
        return None;
    }
    let mut i = open + 1;
    while i < text.len() {
        let rest = &text[i..];
        let ch = rest.chars().next()?;
        match ch {
            '\n' => return None,
            '<' | '`' => {
                let close = if ch == '<' { '>' } else { '`' };
                match rest[1..].find(close) {
                    Some(end) if !rest[1..1 + end].contains('\n') => {
                        i += end + 2;
                        continue;
                    }
                    _ => {}
                }
            }
            _ if ch == c => {
                let prev = text[..i].chars().next_back()?;
                let next = text[i + 1..].chars().next();
                if i > open + 1
                    && !prev.is_whitespace()
                    && next.is_none_or(|n| !n.is_alphanumeric() && n != c)
                {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += ch.len_utf8();
    }
    None
}

/// A reference between `<` and `>`, as Markdown and as plain text.
struct Reference {
    markdown: String,
    plain: String,
}

fn reference(inner: &str, names: &dyn Names) -> Reference {
    let (target, label) = match inner.split_once('|') {
        Some((target, label)) => (target, Some(decode(label))),
        None => (inner, None),
    };
    let label = label.filter(|l| !l.trim().is_empty());
    let text = |plain: String| Reference {
        markdown: markdown_text(&plain),
        plain,
    };
    if let Some(id) = target.strip_prefix('@') {
        let name = names
            .user(id)
            .or(label.map(|l| l.trim_start_matches('@').to_owned()))
            .unwrap_or_else(|| id.to_owned());
        return text(format!("@{name}"));
    }
    if let Some(id) = target.strip_prefix('#') {
        let name = label
            .or_else(|| names.channel(id))
            .unwrap_or_else(|| id.to_owned());
        return text(format!("#{name}"));
    }
    if let Some(command) = target.strip_prefix('!') {
        return text(match label {
            // `<!date^...|fallback>`, `<!subteam^S1|@sre>`.
            Some(label) => label,
            None => {
                let name = command.split('^').next_back().unwrap_or(command);
                format!("@{name}")
            }
        });
    }
    let url = decode(target);
    let shown = label.unwrap_or_else(|| url.strip_prefix("mailto:").unwrap_or(&url).to_owned());
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    if matches!(scheme.as_deref(), Some("http" | "https" | "mailto")) {
        Reference {
            markdown: format!(
                "[{}]({})",
                markdown_text(&shown),
                markdown_link_target(&url)
            ),
            plain: shown,
        }
    } else {
        text(shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Directory;

    impl Names for Directory {
        fn user(&self, id: &str) -> Option<String> {
            match id {
                "U01AB2CDE3F" => Some("Priya Raman".into()),
                "U02STAR" => Some("*star* _name_".into()),
                _ => None,
            }
        }

        fn channel(&self, id: &str) -> Option<String> {
            (id == "C07OPS").then(|| "ops".into())
        }
    }

    /// One row per message text: Slack's markup and the Markdown it becomes.
    #[test]
    fn markup() {
        let cases = [
            ("plain text", "plain text"),
            ("<@U01AB2CDE3F> can you look?", "@Priya Raman can you look?"),
            ("<@U09UNKNOWN>", "@U09UNKNOWN"),
            ("<@U09UNKNOWN|sam>", "@sam"),
            ("<@U02STAR>", "@\\*star\\* \\_name\\_"),
            ("see <#C07OPS>", "see \\#ops"),
            ("see <#C07OPS|ops-eu>", "see \\#ops-eu"),
            ("see <#C99>", "see \\#C99"),
            ("<!here> paging", "@here paging"),
            ("<!channel>", "@channel"),
            ("<!subteam^S0123|@sre-oncall> please", "@sre-oncall please"),
            ("<!subteam^S0123>", "@S0123"),
            ("<!date^1772618400^{date_short}|Mar 4, 2026>", "Mar 4, 2026"),
            (
                "<https://grafana.example/d/abc?a=1&amp;b=2|dashboard>",
                "[dashboard](https://grafana.example/d/abc?a=1&b=2)",
            ),
            (
                "<https://status.example/x_(y)>",
                "[https://status.example/x\\_(y)](https://status.example/x_%28y%29)",
            ),
            (
                "<mailto:oncall@example.com|oncall@example.com>",
                "[oncall@example.com](mailto:oncall@example.com)",
            ),
            (
                "<mailto:a@example.com>",
                "[a@example.com](mailto:a@example.com)",
            ),
            ("<javascript:alert(1)|click>", "click"),
            ("<slack://channel?id=C1|open>", "open"),
            ("a &amp; b &lt;c&gt;", "a & b \\<c\\>"),
            (
                "&lt;script&gt;alert(1)&lt;/script&gt;",
                "\\<script\\>alert(1)\\</script\\>",
            ),
            (
                "*bold* and _italic_ and ~struck~",
                "**bold** and *italic* and ~~struck~~",
            ),
            ("*_both_*", "***both***"),
            ("*bold with <@U01AB2CDE3F>*", "**bold with @Priya Raman**"),
            (
                "_see <https://x.example/a_b_c|the doc>_",
                "*see [the doc](https://x.example/a_b_c)*",
            ),
            ("2 * 3 * 4", "2 \\* 3 \\* 4"),
            ("snake_case_name", "snake\\_case\\_name"),
            ("*not closed", "\\*not closed"),
            ("*a\nb*", "\\*a\nb\\*"),
            ("~200 errors, ~5%", "\\~200 errors, \\~5%"),
            (
                "run `kubectl get pods -n x_y`",
                "run `kubectl get pods -n x_y`",
            ),
            ("`a &lt; b`", "`a < b`"),
            ("```kubectl rollout undo```", "`kubectl rollout undo`"),
            (
                "rolled back:\n```$ helm rollback checkout 41\nRollback was a success! *Happy* Helming!```\nwatching",
                "rolled back:\n```\n$ helm rollback checkout 41\nRollback was a success! *Happy* Helming!\n```\nwatching",
            ),
            ("```a `` b```", "``` a `` b ```"),
            (
                "&gt; quoted\nnot quoted &gt; here",
                "> quoted\nnot quoted \\> here",
            ),
            ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
            // Slack never sends a raw `<` of text (it writes `&lt;`): these read as
            // references without a link scheme, and no tag survives.
            ("<b>bold</b>", "bbold/b"),
            ("line one\nline two", "line one\nline two"),
            (":white_check_mark: done", ":white\\_check\\_mark: done"),
            (
                "unclosed <https://x.example",
                "unclosed \\<https://x.example",
            ),
            ("", ""),
        ];
        for (slack, markdown) in cases {
            assert_eq!(to_markdown(slack, &Directory), markdown, "{slack:?}");
        }
    }

    #[test]
    fn plain_text_for_titles() {
        let cases = [
            (
                "Checkout 5xx in eu-west-1 &amp; <#C07OPS> — IC <@U01AB2CDE3F>",
                "Checkout 5xx in eu-west-1 & #ops — IC @Priya Raman",
            ),
            ("*bold*  stays\nas typed", "*bold* stays as typed"),
            ("<https://x.example|the doc>", "the doc"),
        ];
        for (slack, plain) in cases {
            assert_eq!(to_plain(slack, &Directory), plain, "{slack:?}");
        }
    }

    proptest::proptest! {
        /// No input panics, and no raw HTML tag survives into the HTML of the Markdown.
        #[test]
        fn never_panics_nor_leaks_html(text in "\\PC*|[<>@#!|*_~`&;a-z:/ \n]*") {
            let md = to_markdown(&text, &Directory);
            let _ = to_plain(&text, &Directory);
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&md));
            for tag in ["<script", "<b>", "<img", "<a href=\"javascript"] {
                proptest::prop_assert!(!html.contains(tag), "{text:?} -> {md:?} -> {html}");
            }
        }
    }
}
