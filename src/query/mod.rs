//! The query language: text as typed, parsed once into a [`ParsedQuery`]
//! (its syntax tree) that ranking, relaxing and highlighting work from.
//! Nothing downstream reads the text again.

pub mod parser;

pub use parser::{DateRange, MAX_QUERY_CHARS, Modifier, Node};

use crate::error::Result;

/// The query text that matches every article (useful with filters).
pub const EVERYTHING: &str = "*";

/// A query parsed and checked: its text as given and its syntax tree.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedQuery {
    text: String,
    tree: Node,
}

impl ParsedQuery {
    /// Parses `text`, refusing more than `max_chars` characters. Text with
    /// no clause at all (empty, blank, `()`) matches every article, as `*`
    /// does: the filters alone then decide.
    pub fn parse(text: impl Into<String>, max_chars: usize) -> Result<ParsedQuery> {
        let text = text.into();
        let tree = match parser::parse_within(&text, max_chars)? {
            Node::Group(clauses) if clauses.is_empty() => Node::All,
            tree => tree,
        };
        Ok(ParsedQuery { text, tree })
    }

    /// The query that matches every article.
    pub fn everything() -> ParsedQuery {
        ParsedQuery {
            text: EVERYTHING.to_string(),
            tree: Node::All,
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

    /// The fallback when no article has every word: the same query with
    /// every bare clause optional, at every depth. `None` when the top level
    /// has fewer than two bare clauses, where relaxing would change nothing
    /// or would drop the only word.
    pub fn relaxed(&self) -> Option<ParsedQuery> {
        let bare = match &self.tree {
            Node::Group(clauses) => clauses
                .iter()
                .filter(|(m, _)| *m == Modifier::Default)
                .count(),
            _ => 0,
        };
        (bare > 1).then(|| ParsedQuery {
            text: self.text.clone(),
            tree: relax(&self.tree),
        })
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

    #[test]
    fn length_is_bounded_by_the_caller() {
        assert!(ParsedQuery::parse("a".repeat(20), 20).is_ok());
        assert!(matches!(
            ParsedQuery::parse("a".repeat(21), 20),
            Err(crate::Error::Query { position: 21, .. })
        ));
    }
}
