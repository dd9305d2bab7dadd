//! Snippets: the passage of an article's body that best shows why it matched,
//! with the matching words' byte ranges.
//!
//! The body is analyzed with the article's own analyzer and each token is
//! compared with the query's analyzed terms, so stemmed, folded, fuzzy and
//! prefix matches are all highlighted (`Rodriguez` highlights "Rodríguez").
//! The window with the most distinct matched terms wins.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;

use crate::analyzer::Analyzers;

/// Default snippet length, in characters of the source text.
pub const DEFAULT_CHARS: usize = 220;

/// A passage of text with highlighted byte ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The passage, whitespace collapsed, with `…` where it was cut.
    pub text: String,
    /// Byte ranges of `text` that matched the query, in order.
    pub highlights: Vec<(usize, usize)>,
}

/// What counts as a match: analyzed terms and folded prefixes.
pub struct Matcher<'a> {
    /// Analyzed query terms in the article's language.
    pub terms: Option<&'a BTreeSet<String>>,
    /// Folded prefixes (`secur` for `secur*`).
    pub prefixes: &'a [String],
}

struct Hit {
    from: usize,
    to: usize,
    term: usize,
}

/// Builds the snippet of `text` of about `max_chars` characters.
pub fn make(
    text: &str,
    mut analyzer: TextAnalyzer,
    analyzers: &Analyzers,
    matcher: &Matcher,
    max_chars: usize,
) -> Snippet {
    let mut hits: Vec<Hit> = Vec::new();
    let mut term_ids: HashMap<String, usize> = HashMap::new();
    // The first letters of every query term: a word sharing none of them
    // cannot stem to a term, and most words are rejected on this test alone,
    // before any folding or stemming.
    let starts: Vec<&str> = matcher
        .terms
        .into_iter()
        .flatten()
        .map(|t| &t[..stem_start(t)])
        .collect();
    let mut name_analyzer = analyzers.name();
    let mut folded = String::new();
    for (from, to) in words(text) {
        let word = &text[from..to];
        if word.len() > crate::analyzer::MAX_TOKEN_LEN {
            continue;
        }
        let ascii = word.is_ascii();
        let maybe_term = !ascii || starts.iter().any(|s| starts_ignoring_case(word, s));
        if !maybe_term && matcher.prefixes.is_empty() {
            continue;
        }
        folded.clear();
        if ascii {
            folded.push_str(word);
            folded.make_ascii_lowercase();
        } else {
            Analyzers::push_tokens(&mut name_analyzer, word, &mut folded);
        }
        let stem = matcher
            .terms
            .filter(|terms| terms.iter().any(|t| shares_start(&folded, t)))
            .and_then(|terms| {
                let stem = Analyzers::last_token(&mut analyzer, &folded)?;
                terms.contains(&stem).then_some(stem)
            });
        let key = match stem {
            Some(stem) => stem,
            None if matcher
                .prefixes
                .iter()
                .any(|p| folded.starts_with(p.as_str())) =>
            {
                folded.clone()
            }
            None => continue,
        };
        let next_id = term_ids.len();
        let term = *term_ids.entry(key).or_insert(next_id);
        hits.push(Hit { from, to, term });
    }
    let (start, end) = window(text, &hits, max_chars);
    render(text, start, end, &hits)
}

/// Byte ranges of the words of `text`: runs of alphanumeric characters, as
/// the analyzers split them.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (from, _) = chars.find(|(_, c)| c.is_alphanumeric())?;
        let mut to = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                to = i;
                break;
            }
            chars.next();
        }
        Some((from, to))
    })
}

/// Whether an ASCII word starts with `prefix` (lower-case), ignoring case.
fn starts_ignoring_case(word: &str, prefix: &str) -> bool {
    word.len() >= prefix.len()
        && word.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Letters at the start of a stem that its words always share: stemmers
/// rewrite endings, not the first three letters (a handful of irregular
/// forms such as "lying" -> "lie" aside, which then go unhighlighted).
const STEM_START_CHARS: usize = 3;

/// Byte length of the part of `stem` its words always start with.
fn stem_start(stem: &str) -> usize {
    stem.char_indices()
        .nth(STEM_START_CHARS)
        .map_or(stem.len(), |(i, _)| i)
}

/// Whether a folded word may stem to `stem`.
fn shares_start(word: &str, stem: &str) -> bool {
    word.starts_with(&stem[..stem_start(stem)])
}

/// Chooses the byte range of the passage: the window of `max_chars` holding
/// the most distinct matched terms (then the most matches), widened to word
/// boundaries; the opening of the text when nothing matched.
fn window(text: &str, hits: &[Hit], max_chars: usize) -> (usize, usize) {
    let max_bytes = byte_len_of_chars(text, 0, max_chars);
    if hits.is_empty() {
        return (0, word_end(text, max_bytes.min(text.len())));
    }
    let mut best = (0usize, 0usize, 0usize); // (distinct, count, first hit)
    for i in 0..hits.len() {
        let mut seen = Vec::new();
        let mut count = 0;
        for h in &hits[i..] {
            if h.to - hits[i].from > max_bytes {
                break;
            }
            count += 1;
            if !seen.contains(&h.term) {
                seen.push(h.term);
            }
        }
        if (seen.len(), count) > (best.0, best.1) {
            best = (seen.len(), count, i);
        }
    }
    let first = &hits[best.2];
    // Leave some context before the first match, starting at a sentence or word.
    let lead = max_bytes / 4;
    let mut start = first.from.saturating_sub(lead);
    if start > 0 {
        let head = &text[..first.from];
        let sentence = head[..].rfind(". ").map(|i| i + 2);
        start = match sentence {
            Some(s) if s >= first.from.saturating_sub(lead) => s,
            _ => word_start(text, start),
        };
    }
    let end = word_end(text, (start + max_bytes).min(text.len()));
    (start, end.max(first.to))
}

fn byte_len_of_chars(text: &str, from: usize, chars: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(chars)
        .map_or(text.len() - from, |(i, _)| i)
}

/// The start of the word containing byte `at` (or the next one).
fn word_start(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    match text[at..].find(char::is_whitespace) {
        Some(i) if at > 0 && !text[..at].ends_with(char::is_whitespace) => {
            let next = at + i;
            next + text[next..].len() - text[next..].trim_start().len()
        }
        _ => at,
    }
}

/// The end of the last whole word before byte `at`.
fn word_end(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    if at >= text.len() {
        return text.len();
    }
    match text[..at].rfind(char::is_whitespace) {
        Some(i) if i > 0 => text[..i].trim_end().len(),
        _ => at,
    }
}

/// Copies `text[start..end]` with whitespace runs collapsed and control
/// characters dropped, mapping the highlights into the copy.
fn render(text: &str, start: usize, end: usize, hits: &[Hit]) -> Snippet {
    let mut out = String::new();
    let mut highlights = Vec::new();
    if start > 0 {
        out.push('…');
    }
    let inside: Vec<&Hit> = hits
        .iter()
        .filter(|h| h.from >= start && h.to <= end)
        .collect();
    let mut next = 0;
    let mut open: Option<usize> = None;
    let mut pending_space = false;
    for (i, c) in text[start..end].char_indices() {
        let at = start + i;
        if let Some(from) = open
            && at == inside[next].to
        {
            highlights.push((from, out.len()));
            open = None;
            next += 1;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if c.is_control() {
            continue;
        }
        if pending_space {
            if !out.is_empty() && !out.ends_with('…') {
                out.push(' ');
            }
            pending_space = false;
        }
        if open.is_none() && next < inside.len() && at == inside[next].from {
            open = Some(out.len());
        }
        out.push(c);
    }
    if let Some(from) = open {
        highlights.push((from, out.len()));
    }
    if end < text.trim_end().len() {
        out.push('…');
    }
    Snippet {
        text: out,
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn snippet(text: &str, terms: &[&str], prefixes: &[&str], chars: usize) -> Snippet {
        let analyzers = Analyzers::default();
        let set: BTreeSet<String> = terms
            .iter()
            .flat_map(|t| Analyzers::tokens(analyzers.text(Lang::En), t))
            .map(|(_, t)| t)
            .collect();
        let prefixes: Vec<String> = prefixes.iter().map(|s| s.to_string()).collect();
        let matcher = Matcher {
            terms: Some(&set),
            prefixes: &prefixes,
        };
        make(text, analyzers.text(Lang::En), &analyzers, &matcher, chars)
    }

    fn marked(s: &Snippet) -> String {
        let mut out = s.text.clone();
        for (from, to) in s.highlights.iter().rev() {
            out.insert(*to, ']');
            out.insert(*from, '[');
        }
        out
    }

    #[test]
    fn highlights_folded_and_stemmed_matches() {
        let s = snippet(
            "The meeting of Rosa Icela Rodríguez and the DEA chief ended.",
            &["rodriguez", "meetings"],
            &[],
            200,
        );
        assert_eq!(
            marked(&s),
            "The [meeting] of Rosa Icela [Rodríguez] and the DEA chief ended."
        );
    }

    #[test]
    fn picks_the_window_with_most_distinct_terms() {
        let filler = "Nothing to see here at all. ".repeat(20);
        let text = format!(
            "Ebrard spoke first. {filler}Later Ebrard and the DEA agreed. {filler}The end."
        );
        let s = snippet(&text, &["Ebrard", "DEA"], &[], 120);
        let m = marked(&s);
        assert!(m.contains("[Ebrard] and the [DEA] agreed"), "{m}");
        assert!(
            s.text.starts_with('…') && s.text.ends_with('…'),
            "{}",
            s.text
        );
    }

    #[test]
    fn offsets_are_bytes_of_the_collapsed_text() {
        let s = snippet(
            "Zoë  Müller\nwon the\tfinal.",
            &["muller", "final"],
            &[],
            200,
        );
        assert_eq!(s.text, "Zoë Müller won the final.");
        for (from, to) in &s.highlights {
            assert!(s.text.is_char_boundary(*from) && s.text.is_char_boundary(*to));
        }
        assert_eq!(marked(&s), "Zoë [Müller] won the [final].");
    }

    #[test]
    fn prefixes_and_no_match() {
        let s = snippet("Security talks and securities law.", &[], &["secur"], 200);
        assert_eq!(s.highlights.len(), 2);
        let s = snippet(
            "Nothing relevant here. More text follows and follows.",
            &["zebra"],
            &[],
            30,
        );
        assert!(s.highlights.is_empty());
        assert!(s.text.starts_with("Nothing relevant"));
        assert!(s.text.ends_with('…'));
    }

    #[test]
    fn control_characters_are_dropped() {
        let s = snippet("Bad \u{1b}[31mred\u{7} text", &["text"], &[], 200);
        assert!(!s.text.chars().any(|c| c.is_control()));
    }
}
