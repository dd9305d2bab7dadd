//! Lenient reading, for a search box that runs as people type: any text
//! within the limits becomes a query the parser accepts, by repairs that
//! keep every character where it was (so positions still point into what
//! was typed) and show what was read.
//!
//! An unclosed quote runs to the end, an unclosed bracket is closed at the
//! end, an unmatched `)` is read as a space; a character the parser still
//! refuses at some position (a `^` without a boost, a `*` inside a word, a
//! `name:` without a value) is read as a space, one repair at a time; as a
//! last resort every syntax character is. Length and nesting limits are not
//! syntax: they are refused as strictly as ever.

use crate::error::{Error, Result};

use super::parser::{self, Node};

/// Most one-character repairs tried before every syntax character goes.
const MAX_REPAIRS: usize = 16;

/// Characters with a meaning in the query language.
fn is_syntax(c: char) -> bool {
    parser::is_quote(c)
        || matches!(
            c,
            '(' | ')' | '[' | ']' | '{' | '}' | '^' | '~' | '*' | ':' | '+' | '-' | '<' | '>' | '='
        )
}

/// A text read leniently: what was read and its syntax tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lenient {
    /// The text as read: the typed text with its repairs.
    pub text: String,
    /// The syntax tree of `text`.
    pub tree: Node,
    /// 1-based position of a quote that was left open and closed at the end.
    pub open_quote: Option<usize>,
}

/// Reads `typed` leniently, within `max_chars` characters.
pub(crate) fn read(typed: &str, max_chars: usize) -> Result<Lenient> {
    let mut chars: Vec<char> = typed.chars().collect();
    parser::check_limits(&chars, max_chars)?;
    let open_quote = balance(&mut chars);
    for _ in 0..MAX_REPAIRS {
        let text: String = chars.iter().collect();
        match parser::parse_within(&text, usize::MAX) {
            Ok(tree) => {
                return Ok(Lenient {
                    text,
                    tree,
                    open_quote,
                });
            }
            Err(Error::Query { position, .. }) => {
                if !neutralize(&mut chars, position.saturating_sub(1)) {
                    break;
                }
            }
            Err(other) => return Err(other),
        }
    }
    // Plain words: what is left when no character has a meaning.
    for c in chars.iter_mut().filter(|c| is_syntax(**c)) {
        *c = ' ';
    }
    let text: String = chars.iter().collect();
    // Only a limit (too many terms) survives plain words.
    let tree = parser::parse_within(&text, usize::MAX)?;
    Ok(Lenient {
        text,
        tree,
        open_quote: None,
    })
}

/// Closes what is open and drops what closes nothing: a quote left open is
/// closed at the end (its position is returned), brackets left open are
/// closed at the end, a `)` that closes nothing becomes a space. Brackets
/// inside quotes are text, as the parser reads them.
fn balance(chars: &mut Vec<char>) -> Option<usize> {
    let mut quote = None;
    let mut depth = 0usize;
    for (i, c) in chars.iter_mut().enumerate() {
        match *c {
            q if parser::is_quote(q) => {
                quote = if quote.is_some() { None } else { Some(i + 1) };
            }
            '(' if quote.is_none() => depth += 1,
            ')' if quote.is_none() => {
                if depth == 0 {
                    *c = ' ';
                } else {
                    depth -= 1;
                }
            }
            _ => {}
        }
    }
    if quote.is_some() {
        chars.push('"');
    }
    chars.extend(std::iter::repeat_n(')', depth));
    quote
}

/// Reads one syntax character near 0-based index `at` as a space: the one
/// at `at`, else the next one in the same whitespace-separated token, else
/// the one before it there. False when there is none.
fn neutralize(chars: &mut [char], at: usize) -> bool {
    let at = at.min(chars.len().saturating_sub(1));
    if chars.is_empty() {
        return false;
    }
    let found = if is_syntax(chars[at]) {
        Some(at)
    } else {
        let after = (at..chars.len())
            .take_while(|&i| !chars[i].is_whitespace())
            .find(|&i| is_syntax(chars[i]));
        after.or_else(|| {
            (0..at)
                .rev()
                .take_while(|&i| !chars[i].is_whitespace())
                .find(|&i| is_syntax(chars[i]))
        })
    };
    match found {
        Some(i) => {
            chars[i] = ' ';
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::MAX_QUERY_CHARS;

    fn read_as(typed: &str) -> String {
        read(typed, MAX_QUERY_CHARS)
            .unwrap_or_else(|e| panic!("{typed:?}: {e}"))
            .text
    }

    #[test]
    fn text_that_parses_is_read_as_typed() {
        for typed in ["Ebrard DEA", "\"a b\"~2 (c OR d) -e", "date:2021 x^2", ""] {
            assert_eq!(read_as(typed), typed);
            assert_eq!(read(typed, MAX_QUERY_CHARS).unwrap().open_quote, None);
        }
    }

    #[test]
    fn every_unfinished_form_is_repaired() {
        for (typed, expected) in [
            // An unclosed quote runs to the end.
            ("\"Ebrard DE", "\"Ebrard DE\""),
            ("oil \"opec pri", "oil \"opec pri\""),
            ("“smart", "“smart\""),
            // Unclosed brackets are closed, unmatched ones dropped.
            ("(oil OR gas", "(oil OR gas)"),
            ("((oil", "((oil))"),
            ("oil) gas", "oil  gas"),
            ("(a \"b (c\"", "(a \"b (c\")"),
            ("(\"open", "(\"open\")"),
            // Operators and marks with nothing to act on are words or spaces.
            ("oil AND", "oil AND"),
            ("oil +", "oil +"),
            ("dea^x", "dea x"),
            ("dea^", "dea "),
            ("se*ity", "se ity"),
            ("word~7", "word 7"),
            ("\"a b\"~x", "\"a b\" x"),
            ("headline:", "headline "),
            ("(headline:)", "(headline )"),
            ("a lang:xx", "a lang xx"),
            ("date:2021-13", "date:2021 13"),
            ("^", " "),
        ] {
            assert_eq!(read_as(typed), expected, "{typed:?}");
        }
    }

    #[test]
    fn the_open_quote_is_reported() {
        let r = read("oil \"opec pri", MAX_QUERY_CHARS).unwrap();
        assert_eq!(r.open_quote, Some(5));
        assert!(matches!(r.tree, Node::Group(_)));
    }

    #[test]
    fn limits_stay_errors() {
        assert!(matches!(
            read(&"a".repeat(21), 20),
            Err(Error::Query { position: 21, .. })
        ));
        let deep = "(".repeat(40);
        assert!(read(&deep, MAX_QUERY_CHARS).is_err());
        let many = "w ".repeat(1_500);
        assert!(read(&many, MAX_QUERY_CHARS).is_err());
    }

    #[test]
    fn arbitrary_text_never_fails_within_limits() {
        let alphabet = [
            "a",
            "OR",
            "AND",
            "NOT",
            "\"",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "^",
            "~",
            "*",
            ":",
            "+",
            "-",
            "<",
            ">",
            "=",
            "date:",
            "lang:",
            "headline:",
            " ",
            "2021",
            "TO",
            "“",
            "”",
            "^2",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..5_000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = seed % 9;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let read = read(&text, MAX_QUERY_CHARS)
                .unwrap_or_else(|e| panic!("{text:?} was refused: {e}"));
            assert!(
                parser::parse(&read.text).is_ok(),
                "{text:?} -> {:?}",
                read.text
            );
        }
    }
}
