//! The query language: text as typed, parsed once into a [`ParsedQuery`]
//! (its syntax tree) that ranking, relaxing and highlighting work from.
//! Nothing downstream reads the text again.
//!
//! A [`Reading`] says how the text is read: strictly (the command line),
//! or leniently and as it is being typed (a search box), where the last
//! word or an unclosed phrase is unfinished.

mod lenient;
pub mod parser;

pub use parser::{DateRange, MAX_QUERY_CHARS, Modifier, Node};

use crate::error::Result;

/// The query text that matches every article (useful with filters).
pub const EVERYTHING: &str = "*";

/// Shortest unfinished word matched as a prefix, in characters: one letter
/// would match most of the vocabulary.
pub const MIN_PREFIX_CHARS: usize = 2;

/// How a query text is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reading {
    /// Repair what does not parse instead of refusing it (limits still hold).
    pub lenient: bool,
    /// The text is still being typed: its last word, or a phrase left
    /// open at the end, is unfinished and matches as a prefix.
    pub prefix: bool,
}

/// A query parsed and checked: its text as given and its syntax tree.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedQuery {
    text: String,
    tree: Node,
    reading: Reading,
    read_as: Option<String>,
    unfinished: Option<usize>,
}

impl ParsedQuery {
    /// Parses `text` strictly, refusing more than `max_chars` characters.
    /// Text with no clause at all (empty, blank, `()`) matches every
    /// article, as `*` does: the filters alone then decide.
    pub fn parse(text: impl Into<String>, max_chars: usize) -> Result<ParsedQuery> {
        ParsedQuery::read(text, max_chars, Reading::default())
    }

    /// Reads `text` as `reading` says, refusing more than `max_chars`
    /// characters.
    pub fn read(
        text: impl Into<String>,
        max_chars: usize,
        reading: Reading,
    ) -> Result<ParsedQuery> {
        let text = text.into();
        let (tree, read_as, open_quote) = if reading.lenient {
            let read = lenient::read(&text, max_chars)?;
            (read.tree, Some(read.text), read.open_quote)
        } else {
            (parser::parse_within(&text, max_chars)?, None, None)
        };
        let tree = match tree {
            Node::Group(clauses) if clauses.is_empty() => Node::All,
            tree => tree,
        };
        let unfinished = if reading.prefix {
            unfinished(&tree, &text, open_quote)
        } else {
            None
        };
        Ok(ParsedQuery {
            text,
            tree,
            reading,
            read_as,
            unfinished,
        })
    }

    /// The query that matches every article.
    pub fn everything() -> ParsedQuery {
        ParsedQuery {
            text: EVERYTHING.to_string(),
            tree: Node::All,
            reading: Reading::default(),
            read_as: None,
            unfinished: None,
        }
    }

    /// The text as given.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The syntax tree.
    pub fn tree(&self) -> &Node {
        &self.tree
    }

    /// How the text was read.
    pub fn reading(&self) -> Reading {
        self.reading
    }

    /// The text as it was read, repairs included, when it was read leniently.
    pub fn read_as(&self) -> Option<&str> {
        self.read_as.as_deref()
    }

    /// The position of the unfinished word or phrase (as in its node),
    /// when the text is being typed.
    pub fn unfinished(&self) -> Option<usize> {
        self.unfinished
    }

    /// The fallback when no article has every word: the same query with
    /// every bare clause optional, at every depth, and an unfinished phrase
    /// read as its words, each required but anywhere. `None` when that
    /// changes nothing or would drop the only word.
    pub fn relaxed(&self) -> Option<ParsedQuery> {
        let mut unfinished = self.unfinished;
        let tree = match self.unfinished {
            Some(at) => split_phrase(&self.tree, at, &mut unfinished),
            None => self.tree.clone(),
        };
        let split = unfinished != self.unfinished;
        let bare = match &tree {
            Node::Group(clauses) => clauses
                .iter()
                .filter(|(m, _)| *m == Modifier::Default)
                .count(),
            _ => 0,
        };
        (bare > 1 || split).then(|| ParsedQuery {
            text: self.text.clone(),
            tree: relax(&tree),
            reading: self.reading,
            read_as: self.read_as.clone(),
            unfinished,
        })
    }
}

/// The word or phrase still being typed: a phrase whose quote was left
/// open, else a bare word (not excluded, no `*` or `~` of its own, of at
/// least [`MIN_PREFIX_CHARS`]) that ends where the typed text ends.
fn unfinished(tree: &Node, text: &str, open_quote: Option<usize>) -> Option<usize> {
    if open_quote.is_some() {
        return open_quote;
    }
    let end = text.trim_end().chars().count();
    let mut found = None;
    visit_words(tree, false, &mut |node, negated| {
        if let Node::Word {
            text,
            prefix: false,
            fuzzy: None,
            position,
            ..
        } = node
        {
            let len = text.chars().count();
            if !negated && len >= MIN_PREFIX_CHARS && position - 1 + len == end {
                found = Some(*position);
            }
        }
    });
    found
}

/// Calls `f` with every word and phrase of `node` and whether it is excluded.
pub fn visit_words(node: &Node, negated: bool, f: &mut impl FnMut(&Node, bool)) {
    match node {
        Node::Word { .. } | Node::Phrase { .. } => f(node, negated),
        Node::Group(clauses) => {
            for (modifier, child) in clauses {
                visit_words(child, negated ^ (*modifier == Modifier::MustNot), f);
            }
        }
        Node::Boost(inner, _) => visit_words(inner, negated, f),
        Node::Lang(_) | Node::Source(_) | Node::Dates(_) | Node::All => {}
    }
}

/// The words of a phrase's text with their 1-based positions in the query,
/// given the phrase's own position (that of its opening quote).
pub fn phrase_words(text: &str, position: usize) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, (byte, c)) in text.char_indices().enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some((i, byte)),
            (true, Some((at, from))) => {
                words.push((position + at + 1, &text[from..byte]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some((at, from)) = start {
        words.push((position + at + 1, &text[from..]));
    }
    words
}

/// `node` with the phrase at position `at` replaced by a group of its
/// words, all required; `unfinished` then points at the last of them.
fn split_phrase(node: &Node, at: usize, unfinished: &mut Option<usize>) -> Node {
    match node {
        Node::Phrase {
            field,
            text,
            position,
            ..
        } if *position == at => {
            let words: Vec<(Modifier, Node)> = phrase_words(text, *position)
                .into_iter()
                .map(|(position, word)| {
                    *unfinished = Some(position);
                    let node = Node::Word {
                        field: *field,
                        text: word.to_string(),
                        prefix: false,
                        fuzzy: None,
                        position,
                    };
                    (Modifier::Must, node)
                })
                .collect();
            Node::Group(words)
        }
        Node::Group(clauses) => Node::Group(
            clauses
                .iter()
                .map(|(m, child)| (*m, split_phrase(child, at, unfinished)))
                .collect(),
        ),
        Node::Boost(inner, boost) => {
            Node::Boost(Box::new(split_phrase(inner, at, unfinished)), *boost)
        }
        other => other.clone(),
    }
}

/// `node` with each bare clause of each group made optional.
fn relax(node: &Node) -> Node {
    match node {
        Node::Group(clauses) => Node::Group(
            clauses
                .iter()
                .map(|(modifier, child)| {
                    let modifier = match modifier {
                        Modifier::Default => Modifier::Should,
                        other => *other,
                    };
                    (modifier, relax(child))
                })
                .collect(),
        ),
        Node::Boost(inner, boost) => Node::Boost(Box::new(relax(inner)), *boost),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> ParsedQuery {
        ParsedQuery::parse(text, MAX_QUERY_CHARS).unwrap()
    }

    #[test]
    fn clause_free_text_matches_everything() {
        for text in ["", "   ", "()", "(())"] {
            assert_eq!(parsed(text).tree(), &Node::All, "{text:?}");
            assert_eq!(parsed(text).text(), text);
        }
        assert_eq!(parsed(EVERYTHING).tree(), ParsedQuery::everything().tree());
    }

    #[test]
    fn relaxing_makes_bare_clauses_optional_at_every_depth() {
        let q = parsed("Ebrard DEA +Mexico (talks meeting)^2");
        let relaxed = q.relaxed().unwrap();
        assert_eq!(relaxed.text(), q.text());
        let Node::Group(top) = relaxed.tree() else {
            panic!("{relaxed:?}")
        };
        let modifiers: Vec<Modifier> = top.iter().map(|c| c.0).collect();
        assert_eq!(
            modifiers,
            vec![
                Modifier::Should,
                Modifier::Should,
                Modifier::Must,
                Modifier::Should
            ]
        );
        let Node::Boost(inner, _) = &top[3].1 else {
            panic!("{top:?}")
        };
        assert!(
            matches!(&**inner, Node::Group(c) if c.iter().all(|(m, _)| *m == Modifier::Should))
        );
    }

    #[test]
    fn one_bare_clause_is_not_relaxed() {
        for text in ["Ebrard", "Ebrard +DEA", "\"Ebrard DEA\"", "*", "a OR b"] {
            assert!(parsed(text).relaxed().is_none(), "{text}");
        }
    }

    fn typed(text: &str) -> ParsedQuery {
        let reading = Reading {
            lenient: true,
            prefix: true,
        };
        ParsedQuery::read(text, MAX_QUERY_CHARS, reading).unwrap()
    }

    #[test]
    fn the_last_bare_word_is_unfinished_when_typing() {
        assert_eq!(typed("opec oil pric").unfinished(), Some(10));
        assert_eq!(typed("opec oil pric  ").unfinished(), Some(10));
        assert_eq!(typed("(oil OR pric").unfinished(), Some(9));
        assert_eq!(typed("headline:pric").unfinished(), Some(10));
        // Not a bare word at the end, too short, excluded or already marked.
        for text in [
            "oil p",
            "oil -pric",
            "oil pric*",
            "oil pric~1",
            "oil pric^2",
            "(oil pric)",
            "oil date:2021",
            "",
        ] {
            assert_eq!(typed(text).unfinished(), None, "{text:?}");
        }
        // Only when asked.
        let strict = ParsedQuery::parse("opec oil pric", MAX_QUERY_CHARS).unwrap();
        assert_eq!(strict.unfinished(), None);
        assert_eq!(strict.read_as(), None);
    }

    #[test]
    fn an_open_phrase_is_unfinished_and_relaxes_into_its_words() {
        let q = typed("oil \"Ebrard DE");
        assert_eq!(q.read_as(), Some("oil \"Ebrard DE\""));
        assert_eq!(q.unfinished(), Some(5));
        let relaxed = q.relaxed().unwrap();
        // The phrase's last word is now the unfinished one.
        assert_eq!(relaxed.unfinished(), Some(13));
        let mut words = Vec::new();
        visit_words(relaxed.tree(), false, &mut |node, _| {
            if let Node::Word { text, position, .. } = node {
                words.push((text.clone(), *position));
            }
        });
        assert_eq!(
            words,
            vec![("oil".into(), 1), ("Ebrard".into(), 6), ("DE".into(), 13)]
        );
        // A phrase closed by its writer is never split.
        let closed = typed("\"Ebrard DEA\"");
        assert_eq!(closed.unfinished(), None);
        assert!(closed.relaxed().is_none());
        // A lone open phrase relaxes too.
        assert!(typed("\"Ebrard DE").relaxed().is_some());
    }

    #[test]
    fn phrase_words_know_their_positions() {
        assert_eq!(
            phrase_words("Paul  Volcker", 4),
            vec![(5, "Paul"), (11, "Volcker")]
        );
        assert!(phrase_words("  ", 1).is_empty());
    }

    #[test]
    fn length_is_bounded_by_the_caller() {
        assert!(ParsedQuery::parse("a".repeat(20), 20).is_ok());
        assert!(matches!(
            ParsedQuery::parse("a".repeat(21), 20),
            Err(crate::Error::Query { position: 21, .. })
        ));
    }
}
