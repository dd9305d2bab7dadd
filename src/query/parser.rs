//! The query language, parsed into a small syntax tree before anything reaches
//! tantivy: words, `"phrases"~slop`, `prefix*`, `word~1` (fuzzy), `field:`
//! values and groups, `date:` days, months, years and ranges, `+`/`-`/`NOT`,
//! `AND`/`OR`, parentheses and `^boost`.
//!
//! The grammar is forgiving where a pasted headline needs it: `AND`, `OR` and
//! `NOT` are operators only in upper case and only where they join valid
//! operands (an all-caps headline of more than three words treats them as
//! words); an unknown `name:` is just text; stray quotes or parentheses are
//! errors with their position, never panics. Length and nesting are bounded
//! before parsing.

use jiff::civil::Date;

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::schema::UserField;

/// Longest query the parser ever accepts, in characters; an edge may
/// accept less (see `request::Limits`).
pub const MAX_QUERY_CHARS: usize = 4096;
/// Deepest parenthesis nesting accepted.
pub const MAX_DEPTH: usize = 16;
/// Most clauses (words, phrases, values) in one query.
pub const MAX_CLAUSES: usize = 1024;
/// Largest phrase slop.
pub const MAX_SLOP: u32 = 100;
/// Largest fuzzy edit distance (the Levenshtein automata tantivy builds).
pub const MAX_FUZZY: u8 = 2;

/// How a clause takes part in its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    /// Bare: required when all terms must match, optional when relaxed.
    Default,
    /// `+x` or joined by `AND`: always required.
    Must,
    /// `-x` or `NOT x`: excluded.
    MustNot,
    /// Joined by `OR`: one of the alternatives.
    Should,
}

/// A date range, inclusive on both ends; `None` is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// First day included.
    pub from: Option<Date>,
    /// Last day included.
    pub to: Option<Date>,
}

/// A node of the query syntax tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A word; `prefix` for `word*`, `fuzzy` for `word~N`.
    Word {
        field: Option<UserField>,
        text: String,
        prefix: bool,
        fuzzy: Option<u8>,
        position: usize,
    },
    /// A quoted phrase with its slop.
    Phrase {
        field: Option<UserField>,
        text: String,
        slop: u32,
        position: usize,
    },
    /// A language (`lang:es`).
    Lang(Lang),
    /// An exact source (`source:"Meridian Wire"`).
    Source(String),
    /// A date range (`date:2021`, `date:[2021-03-01 TO 2021-03-31]`).
    Dates(DateRange),
    /// `*`: every article.
    All,
    /// Clauses combined by their modifiers.
    Group(Vec<(Modifier, Node)>),
    /// A boosted node.
    Boost(Box<Node>, f32),
}

/// Parses a query. Errors name the 1-based character position of the problem.
pub fn parse(query: &str) -> Result<Node> {
    parse_within(query, MAX_QUERY_CHARS)
}

/// Parses a query of at most `max_chars` characters (and never more than
/// [`MAX_QUERY_CHARS`]).
pub fn parse_within(query: &str, max_chars: usize) -> Result<Node> {
    let chars: Vec<char> = query.chars().collect();
    check_limits(&chars, max_chars)?;
    let words_only = is_pasted_headline(query);
    let mut parser = Parser {
        chars,
        pos: 0,
        clauses: 0,
        operator_words: !words_only,
    };
    let node = parser.or_expr(None)?;
    parser.skip_space();
    if parser.pos < parser.chars.len() {
        let c = parser.chars[parser.pos];
        return Err(Error::query(
            parser.pos + 1,
            if c == ')' {
                "unmatched ')'".to_string()
            } else {
                format!("unexpected '{c}'")
            },
        ));
    }
    Ok(node)
}

/// Refuses a query longer than `max_chars` characters (never more than
/// [`MAX_QUERY_CHARS`]) or nested deeper than [`MAX_DEPTH`]: bounds that
/// hold however leniently the text is read.
pub(crate) fn check_limits(chars: &[char], max_chars: usize) -> Result<()> {
    let max_chars = max_chars.min(MAX_QUERY_CHARS);
    if chars.len() > max_chars {
        return Err(Error::query(
            max_chars + 1,
            format!(
                "query is too long ({} characters, at most {max_chars})",
                chars.len()
            ),
        ));
    }
    let mut depth = 0usize;
    for (i, c) in chars.iter().enumerate() {
        match c {
            '(' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Error::query(
                        i + 1,
                        format!("parentheses nested deeper than {MAX_DEPTH}"),
                    ));
                }
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// An all-caps text of more than three words is a pasted headline: its
/// `AND`, `OR`, `NOT` and `IN` are words, not operators.
fn is_pasted_headline(query: &str) -> bool {
    let has_lower = query.chars().any(char::is_lowercase);
    let words = query.split_whitespace().count();
    !has_lower && words > 3 && query.chars().any(char::is_uppercase)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    clauses: usize,
    operator_words: bool,
}

/// Whether `c` opens or closes a phrase (straight or curly quotes).
pub(crate) fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

/// Characters that end a bare word.
fn is_word_end(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"' | '“' | '”' | '^')
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn at_end_of_group(&self) -> bool {
        matches!(self.peek(), None | Some(')'))
    }

    /// The bare word starting at the cursor, without consuming it.
    fn peek_word(&self) -> String {
        self.chars[self.pos..]
            .iter()
            .take_while(|c| !is_word_end(**c))
            .collect()
    }

    /// Whether the operator word `op` sits at the cursor and is followed by
    /// something that can start a clause.
    fn operator_ahead(&self, op: &str) -> bool {
        if !self.operator_words || self.peek_word() != op {
            return false;
        }
        let mut after = self.pos + op.len();
        while self.chars.get(after).is_some_and(|c| c.is_whitespace()) {
            after += 1;
        }
        if after == self.pos + op.len() && after < self.chars.len() {
            // `ANDROID` is a word; `AND(` and `AND"` still read as the operator.
            if self.chars[after] != '(' && !is_quote(self.chars[after]) {
                return false;
            }
        }
        match self.chars.get(after) {
            None | Some(')') => false,
            Some(_) => {
                let rest: String = self.chars[after..]
                    .iter()
                    .take_while(|c| !is_word_end(**c))
                    .collect();
                !(rest == "AND" || rest == "OR")
            }
        }
    }

    fn or_expr(&mut self, field: Option<UserField>) -> Result<Node> {
        let mut alternatives = vec![self.and_expr(field)?];
        loop {
            self.skip_space();
            if self.operator_ahead("OR") {
                self.pos += 2;
                alternatives.push(self.and_expr(field)?);
            } else {
                break;
            }
        }
        if alternatives.len() == 1 {
            return Ok(alternatives.pop().unwrap_or(Node::Group(Vec::new())));
        }
        Ok(Node::Group(
            alternatives
                .into_iter()
                .map(|n| (Modifier::Should, n))
                .collect(),
        ))
    }

    fn and_expr(&mut self, field: Option<UserField>) -> Result<Node> {
        let mut clauses: Vec<(Modifier, Node)> = Vec::new();
        let mut explicit_and = false;
        loop {
            self.skip_space();
            if self.at_end_of_group() {
                break;
            }
            if !clauses.is_empty() && self.operator_ahead("OR") {
                break;
            }
            if !clauses.is_empty() && self.operator_ahead("AND") {
                self.pos += 3;
                explicit_and = true;
                if let Some(last) = clauses.last_mut()
                    && last.0 == Modifier::Default
                {
                    last.0 = Modifier::Must;
                }
                continue;
            }
            let (mut modifier, node) = self.clause(field)?;
            if explicit_and && modifier == Modifier::Default {
                modifier = Modifier::Must;
            }
            explicit_and = false;
            clauses.push((modifier, node));
        }
        if clauses.len() == 1 && clauses[0].0 == Modifier::Default {
            return Ok(clauses
                .pop()
                .map(|c| c.1)
                .unwrap_or(Node::Group(Vec::new())));
        }
        Ok(Node::Group(clauses))
    }

    fn clause(&mut self, field: Option<UserField>) -> Result<(Modifier, Node)> {
        self.clauses += 1;
        if self.clauses > MAX_CLAUSES {
            return Err(Error::query(
                self.pos + 1,
                format!("too many terms (at most {MAX_CLAUSES})"),
            ));
        }
        let modifier = match self.peek() {
            Some('+') if self.next_starts_clause(1) => {
                self.pos += 1;
                Modifier::Must
            }
            Some('-') if self.next_starts_clause(1) => {
                self.pos += 1;
                Modifier::MustNot
            }
            _ if self.operator_ahead("NOT") => {
                self.pos += 3;
                self.skip_space();
                Modifier::MustNot
            }
            _ => Modifier::Default,
        };
        let node = self.unary(field)?;
        Ok((modifier, node))
    }

    /// Whether a clause starts `offset` characters ahead (so `+`/`-` there are
    /// operators, not a lone dash between words).
    fn next_starts_clause(&self, offset: usize) -> bool {
        self.chars
            .get(self.pos + offset)
            .is_some_and(|c| !c.is_whitespace() && *c != ')' && *c != '-' && *c != '+')
    }

    fn unary(&mut self, field: Option<UserField>) -> Result<Node> {
        let node = self.primary(field)?;
        if self.peek() == Some('^') {
            let at = self.pos;
            self.pos += 1;
            let number: String = self.chars[self.pos..]
                .iter()
                .take_while(|c| c.is_ascii_digit() || **c == '.')
                .collect();
            self.pos += number.chars().count();
            let boost: f32 = number
                .parse()
                .ok()
                .filter(|b: &f32| b.is_finite() && *b >= 0.0 && *b <= 1000.0)
                .ok_or_else(|| {
                    Error::query(at + 1, "'^' must be followed by a boost between 0 and 1000")
                })?;
            return Ok(Node::Boost(Box::new(node), boost));
        }
        Ok(node)
    }

    fn primary(&mut self, field: Option<UserField>) -> Result<Node> {
        let start = self.pos;
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                let inner = self.or_expr(field)?;
                self.skip_space();
                if self.peek() != Some(')') {
                    return Err(Error::query(start + 1, "unclosed '('"));
                }
                self.pos += 1;
                Ok(inner)
            }
            Some('"' | '“' | '”') => self.phrase(field),
            Some(_) => {
                if field.is_none()
                    && let Some(node) = self.fielded()?
                {
                    return Ok(node);
                }
                self.word(field)
            }
            None => Err(Error::query(start + 1, "expected a word after an operator")),
        }
    }

    /// `name:value` when `name` is a known field; `None` leaves the cursor
    /// where it was so the text reads as a word.
    fn fielded(&mut self) -> Result<Option<Node>> {
        let start = self.pos;
        let name: String = self.chars[self.pos..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || **c == '_')
            .collect();
        let colon = self.pos + name.chars().count();
        if name.is_empty() || self.chars.get(colon) != Some(&':') {
            return Ok(None);
        }
        let Some(field) = UserField::from_name(&name) else {
            return Ok(None);
        };
        self.pos = colon + 1;
        self.skip_space();
        match field {
            UserField::Date => self.date_value(start).map(Some),
            UserField::Lang | UserField::Source => {
                let position = self.pos;
                let value = match self.peek() {
                    Some('"' | '“' | '”') => match self.phrase(None)? {
                        Node::Phrase { text, .. } => text,
                        _ => String::new(),
                    },
                    _ => {
                        let w = self.peek_word();
                        self.pos += w.chars().count();
                        w
                    }
                };
                if value.is_empty() {
                    return Err(Error::query(start + 1, format!("'{name}:' needs a value")));
                }
                if field == UserField::Source {
                    return Ok(Some(Node::Source(value)));
                }
                Lang::parse(&value)
                    .map(|lang| Some(Node::Lang(lang)))
                    .map_err(|message| Error::query(position + 1, message))
            }
            _ => match self.peek() {
                None | Some(')') => {
                    Err(Error::query(start + 1, format!("'{name}:' needs a value")))
                }
                Some('(') => {
                    let open = self.pos;
                    self.pos += 1;
                    let inner = self.or_expr(Some(field))?;
                    self.skip_space();
                    if self.peek() != Some(')') {
                        return Err(Error::query(open + 1, "unclosed '('"));
                    }
                    self.pos += 1;
                    Ok(Some(inner))
                }
                Some('"' | '“' | '”') => self.phrase(Some(field)).map(Some),
                Some(_) => self.word(Some(field)).map(Some),
            },
        }
    }

    fn phrase(&mut self, field: Option<UserField>) -> Result<Node> {
        let start = self.pos;
        self.pos += 1;
        let mut text = String::new();
        loop {
            match self.peek() {
                None => return Err(Error::query(start + 1, "unclosed '\"'")),
                Some('"' | '“' | '”') => {
                    self.pos += 1;
                    break;
                }
                Some(c) => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        let mut slop = 0;
        if self.peek() == Some('~') {
            let at = self.pos;
            self.pos += 1;
            let digits: String = self.chars[self.pos..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            self.pos += digits.len();
            slop = digits
                .parse()
                .ok()
                .filter(|s| *s <= MAX_SLOP)
                .ok_or_else(|| {
                    Error::query(
                        at + 1,
                        format!("'~' after a phrase needs a slop from 0 to {MAX_SLOP}"),
                    )
                })?;
        }
        Ok(Node::Phrase {
            field,
            text,
            slop,
            position: start + 1,
        })
    }

    fn word(&mut self, field: Option<UserField>) -> Result<Node> {
        let start = self.pos;
        let raw = self.peek_word();
        if raw.is_empty() {
            let c = self.peek().unwrap_or(' ');
            return Err(Error::query(start + 1, format!("unexpected '{c}'")));
        }
        self.pos += raw.chars().count();
        if raw == "*" {
            return Ok(Node::All);
        }
        let mut text = raw.as_str();
        let mut fuzzy = None;
        if let Some((word, distance)) = text.rsplit_once('~')
            && !word.is_empty()
            && distance.chars().all(|c| c.is_ascii_digit())
        {
            let d = if distance.is_empty() {
                Some(1)
            } else {
                distance.parse::<u8>().ok()
            };
            match d {
                Some(d) if d <= MAX_FUZZY => {
                    fuzzy = Some(d);
                    text = word;
                }
                _ => {
                    return Err(Error::query(
                        start + word.chars().count() + 1,
                        format!("fuzzy distance must be 0, 1 or {MAX_FUZZY}"),
                    ));
                }
            }
        }
        // A lone `*` was answered above, so a trailing `*` here follows a word.
        let prefix = fuzzy.is_none() && text.ends_with('*');
        if prefix {
            text = &text[..text.len() - 1];
        }
        if let Some(i) = text.find('*') {
            return Err(Error::query(
                start + text[..i].chars().count() + 1,
                "'*' is only allowed at the end of a word",
            ));
        }
        Ok(Node::Word {
            field,
            text: text.to_string(),
            prefix,
            fuzzy,
            position: start + 1,
        })
    }

    /// `date:` values: `2021`, `2021-03`, `2021-03-05`, `[a TO b]`, `{a TO b}`,
    /// `>=a`, `>a`, `<=b`, `<b`; `*` leaves a bound open.
    fn date_value(&mut self, start: usize) -> Result<Node> {
        let at = self.pos;
        let bad = |pos: usize, what: &str| {
            Error::query(
                pos + 1,
                format!("{what}; dates are YYYY, YYYY-MM or YYYY-MM-DD, ranges [A TO B]"),
            )
        };
        match self.peek() {
            Some(open @ ('[' | '{')) => {
                self.pos += 1;
                self.skip_space();
                let from_at = self.pos;
                let from = self.token_until(|c| c.is_whitespace());
                self.skip_space();
                if self.peek_word() != "TO" {
                    return Err(bad(self.pos, "expected TO in a date range"));
                }
                self.pos += 2;
                self.skip_space();
                let to_at = self.pos;
                let to = self.token_until(|c| c.is_whitespace() || c == ']' || c == '}');
                self.skip_space();
                let close = self.peek();
                let expected = if open == '[' { ']' } else { '}' };
                if close != Some(expected) {
                    return Err(bad(at, &format!("unclosed '{open}'")));
                }
                self.pos += 1;
                let exclusive = open == '{';
                let from = bound(&from).map_err(|m| bad(from_at, &m))?;
                let to = bound(&to).map_err(|m| bad(to_at, &m))?;
                let from = from.map(|(first, last)| {
                    if exclusive {
                        last.tomorrow().unwrap_or(last)
                    } else {
                        first
                    }
                });
                let to = to.map(|(first, last)| {
                    if exclusive {
                        first.yesterday().unwrap_or(first)
                    } else {
                        last
                    }
                });
                Ok(Node::Dates(DateRange { from, to }))
            }
            Some('>' | '<') => {
                let op: String = self.chars[self.pos..]
                    .iter()
                    .take_while(|c| matches!(c, '>' | '<' | '='))
                    .collect();
                self.pos += op.len();
                let value_at = self.pos;
                let value = self.token_until(|c| c.is_whitespace() || c == ')');
                let (first, last) = bound(&value)
                    .map_err(|m| bad(value_at, &m))?
                    .ok_or_else(|| bad(value_at, "a comparison needs a date"))?;
                let range = match op.as_str() {
                    ">=" => DateRange {
                        from: Some(first),
                        to: None,
                    },
                    ">" => DateRange {
                        from: last.tomorrow().ok(),
                        to: None,
                    },
                    "<=" => DateRange {
                        from: None,
                        to: Some(last),
                    },
                    "<" => DateRange {
                        from: None,
                        to: first.yesterday().ok(),
                    },
                    _ => return Err(bad(at, &format!("unknown comparison '{op}'"))),
                };
                Ok(Node::Dates(range))
            }
            None => Err(bad(start, "'date:' needs a value")),
            Some(_) => {
                let value = self.token_until(|c| c.is_whitespace() || c == ')');
                let (first, last) = bound(&value)
                    .map_err(|m| bad(at, &m))?
                    .ok_or_else(|| bad(at, "'date:' needs a date"))?;
                Ok(Node::Dates(DateRange {
                    from: Some(first),
                    to: Some(last),
                }))
            }
        }
    }

    fn token_until(&mut self, stop: impl Fn(char) -> bool) -> String {
        let token: String = self.chars[self.pos..]
            .iter()
            .take_while(|c| !stop(**c))
            .collect();
        self.pos += token.chars().count();
        token
    }
}

/// Parses a date bound into the first and last day it covers; `*` is open.
fn bound(value: &str) -> std::result::Result<Option<(Date, Date)>, String> {
    if value == "*" {
        return Ok(None);
    }
    period(value)
        .map(Some)
        .ok_or_else(|| format!("'{value}' is not a date"))
}

/// The first and last day of a period written `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn period(value: &str) -> Option<(Date, Date)> {
    let parts: Vec<&str> = value.trim().split('-').collect();
    let number = |s: &str, len: usize| -> Option<i16> {
        (s.len() == len && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let number_1_2 = |s: &str| -> Option<i8> {
        ((1..=2).contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] => {
            let y = number(y, 4)?;
            Some((Date::new(y, 1, 1).ok()?, Date::new(y, 12, 31).ok()?))
        }
        [y, m] => {
            let first = Date::new(number(y, 4)?, number_1_2(m)?, 1).ok()?;
            Some((first, first.last_of_month()))
        }
        [y, m, d] => {
            let day = Date::new(number(y, 4)?, number_1_2(m)?, number_1_2(d)?).ok()?;
            Some((day, day))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, position: usize) -> Node {
        Node::Word {
            field: None,
            text: text.into(),
            prefix: false,
            fuzzy: None,
            position,
        }
    }

    fn words(node: &Node) -> Vec<String> {
        match node {
            Node::Word { text, .. } => vec![text.clone()],
            Node::Group(cs) => cs.iter().flat_map(|(_, n)| words(n)).collect(),
            _ => vec![],
        }
    }

    fn err_position(query: &str) -> usize {
        err(query).0
    }

    fn err(query: &str) -> (usize, String) {
        err_of(parse(query))
    }

    fn err_of(parsed: Result<Node>) -> (usize, String) {
        match parsed {
            Err(Error::Query { position, message }) => (position, message),
            other => panic!("parsed: {other:?}"),
        }
    }

    #[test]
    fn plain_words_are_default_clauses() {
        assert_eq!(
            parse("Ebrard DEA").unwrap(),
            Node::Group(vec![
                (Modifier::Default, word("Ebrard", 1)),
                (Modifier::Default, word("DEA", 8)),
            ])
        );
        assert_eq!(parse("Ebrard").unwrap(), word("Ebrard", 1));
    }

    #[test]
    fn operators() {
        let Node::Group(alts) = parse("a OR b c").unwrap() else {
            panic!()
        };
        assert_eq!(alts.len(), 2);
        assert!(alts.iter().all(|(m, _)| *m == Modifier::Should));
        let Node::Group(cs) = parse("a AND b -c +d NOT e").unwrap() else {
            panic!()
        };
        let mods: Vec<_> = cs.iter().map(|c| c.0).collect();
        assert_eq!(
            mods,
            vec![
                Modifier::Must,
                Modifier::Must,
                Modifier::MustNot,
                Modifier::Must,
                Modifier::MustNot
            ]
        );
    }

    #[test]
    fn operators_next_to_brackets_quotes_and_other_operators() {
        use Modifier::{Default as D, Must, MustNot, Should};
        let phrase = |text: &str, position| Node::Phrase {
            field: None,
            text: text.into(),
            slop: 0,
            position,
        };
        // `+` and `-` are not part of the word they mark.
        assert_eq!(
            parse("+Ebrard -DEA").unwrap(),
            Node::Group(vec![(Must, word("Ebrard", 2)), (MustNot, word("DEA", 10))])
        );
        // Straight after the operator word, a bracket or a quote keeps it
        // an operator; a boost makes it a word.
        assert_eq!(
            parse("a AND(b c)").unwrap(),
            Node::Group(vec![
                (Must, word("a", 1)),
                (
                    Must,
                    Node::Group(vec![(D, word("b", 7)), (D, word("c", 9))])
                ),
            ])
        );
        for query in ["a AND\"b c\"", "a AND“b c”"] {
            assert_eq!(
                parse(query).unwrap(),
                Node::Group(vec![(Must, word("a", 1)), (Must, phrase("b c", 6))]),
                "{query}"
            );
        }
        assert_eq!(
            parse("a AND^2").unwrap(),
            Node::Group(vec![
                (D, word("a", 1)),
                (D, Node::Boost(Box::new(word("AND", 3)), 2.0)),
            ])
        );
        // An operator word followed by another is a word.
        assert_eq!(
            parse("a AND OR b").unwrap(),
            Node::Group(vec![
                (
                    Should,
                    Node::Group(vec![(D, word("a", 1)), (D, word("AND", 3))])
                ),
                (Should, word("b", 10)),
            ])
        );
        assert_eq!(
            parse("a OR AND b").unwrap(),
            Node::Group(vec![
                (D, word("a", 1)),
                (Must, word("OR", 3)),
                (Must, word("b", 10)),
            ])
        );
    }

    #[test]
    fn operator_words_that_cannot_operate_are_words() {
        assert_eq!(words(&parse("AND peace").unwrap()), vec!["AND", "peace"]);
        assert_eq!(words(&parse("war OR").unwrap()), vec!["war", "OR"]);
        assert_eq!(
            words(&parse("rock and roll").unwrap()),
            vec!["rock", "and", "roll"]
        );
        assert_eq!(
            words(&parse("ANDROID ORACLE").unwrap()),
            vec!["ANDROID", "ORACLE"]
        );
    }

    #[test]
    fn pasted_headlines_are_words() {
        let node = parse("U.S. BANKS IN TALKS ON DEBT").unwrap();
        assert_eq!(
            words(&node),
            vec!["U.S.", "BANKS", "IN", "TALKS", "ON", "DEBT"]
        );
        let node = parse("WAR AND PEACE IN EUROPE").unwrap();
        assert_eq!(words(&node), vec!["WAR", "AND", "PEACE", "IN", "EUROPE"]);
    }

    #[test]
    fn phrases_prefixes_fuzzy_boosts() {
        assert_eq!(
            parse("\"Ebrard DEA\"~5").unwrap(),
            Node::Phrase {
                field: None,
                text: "Ebrard DEA".into(),
                slop: 5,
                position: 1
            }
        );
        assert!(
            matches!(parse("secur*").unwrap(), Node::Word { prefix: true, ref text, .. } if text == "secur")
        );
        assert!(
            matches!(parse("Ebrad~").unwrap(), Node::Word { fuzzy: Some(1), ref text, .. } if text == "Ebrad")
        );
        assert!(matches!(
            parse("Ebrad~2").unwrap(),
            Node::Word { fuzzy: Some(2), .. }
        ));
        assert!(matches!(parse("dea^2").unwrap(), Node::Boost(_, b) if b == 2.0));
        assert_eq!(parse("*").unwrap(), Node::All);
        assert!(matches!(
            parse("“smart quotes”").unwrap(),
            Node::Phrase { .. }
        ));
    }

    #[test]
    fn fields() {
        assert!(matches!(
            parse("headline:Ebrard").unwrap(),
            Node::Word {
                field: Some(UserField::Headline),
                ..
            }
        ));
        assert!(matches!(
            parse("entity:\"Marcelo Ebrard\"").unwrap(),
            Node::Phrase {
                field: Some(UserField::Entity),
                ..
            }
        ));
        let Node::Group(cs) = parse("title:(a AND \"b c\")").unwrap() else {
            panic!()
        };
        assert!(matches!(
            cs[1].1,
            Node::Phrase {
                field: Some(UserField::Headline),
                ..
            }
        ));
        assert_eq!(parse("lang:es").unwrap(), Node::Lang(Lang::Es));
        assert_eq!(err_position("a lang:xx"), 8);
        // Unknown names are text.
        assert!(matches!(parse("Update: fire").unwrap(), Node::Group(_)));
        assert!(matches!(parse("http://x.test").unwrap(), Node::Word { .. }));
    }

    #[test]
    fn dates() {
        let range = |q: &str| match parse(q).unwrap() {
            Node::Dates(r) => r,
            other => panic!("{other:?}"),
        };
        let d = |y, m, day| Some(Date::constant(y, m, day));
        assert_eq!(
            range("date:2021"),
            DateRange {
                from: d(2021, 1, 1),
                to: d(2021, 12, 31)
            }
        );
        assert_eq!(
            range("date:2021-02"),
            DateRange {
                from: d(2021, 2, 1),
                to: d(2021, 2, 28)
            }
        );
        assert_eq!(
            range("date:[2021-03-01 TO 2021-03-31]"),
            DateRange {
                from: d(2021, 3, 1),
                to: d(2021, 3, 31)
            }
        );
        assert_eq!(
            range("date:[2020 TO *]"),
            DateRange {
                from: d(2020, 1, 1),
                to: None
            }
        );
        assert_eq!(
            range("date:{2020 TO 2022}"),
            DateRange {
                from: d(2021, 1, 1),
                to: d(2021, 12, 31)
            }
        );
        assert_eq!(
            range("date:>=2021-03"),
            DateRange {
                from: d(2021, 3, 1),
                to: None
            }
        );
        assert_eq!(
            range("date:<2021"),
            DateRange {
                from: None,
                to: d(2020, 12, 31)
            }
        );
        // `>` starts after the whole period, `<=` ends with its last day.
        assert_eq!(
            range("date:>2020"),
            DateRange {
                from: d(2021, 1, 1),
                to: None
            }
        );
        assert_eq!(
            range("date:<=2020-02"),
            DateRange {
                from: None,
                to: d(2020, 2, 29)
            }
        );
        // A compared date ends at a space or a closing parenthesis.
        let after = DateRange {
            from: d(2020, 3, 2),
            to: None,
        };
        for query in ["date:>2020-03-01 Ebrard", "(date:>2020-03-01) Ebrard"] {
            let Node::Group(clauses) = parse(query).unwrap() else {
                panic!("{query}: not a group");
            };
            assert_eq!(clauses[0].1, Node::Dates(after), "{query}");
            assert_eq!(words(&clauses[1].1), ["Ebrard"], "{query}");
        }
        // Years have exactly four digits, months and days one or two.
        for value in ["999", "02020", "2020-001", "2020-01-001", "2020-1x"] {
            assert_eq!(period(value), None, "{value}");
        }
        assert_eq!(
            period("2020-2-9"),
            Some((Date::constant(2020, 2, 9), Date::constant(2020, 2, 9)))
        );
    }

    #[test]
    fn errors_name_their_position() {
        assert_eq!(err_position("Ebrard \"DEA"), 8);
        assert_eq!(err_position("(Ebrard DEA"), 1);
        assert_eq!(err_position("Ebrard DEA)"), 11);
        assert_eq!(err_position("date:2021-13"), 6);
        assert_eq!(err_position("date:[2021 2022]"), 12);
        assert_eq!(err_position("headline:"), 1);
        assert_eq!(err_position("(headline:)"), 2);
        assert_eq!(err_position("se*ity"), 3);
        assert_eq!(err_position("dea^x"), 4);
        assert_eq!(err_position("Ebrard ^2"), 8);
        assert_eq!(err_position("\"a b\"~x"), 6);
        assert_eq!(err_position("word~7"), 5);
        let long = "a ".repeat(MAX_QUERY_CHARS);
        assert_eq!(err_position(&long), MAX_QUERY_CHARS + 1);
        let deep = format!("{}a{}", "(".repeat(40), ")".repeat(40));
        assert_eq!(err_position(&deep), MAX_DEPTH + 1);
    }

    #[test]
    fn every_limit_holds_exactly_at_its_number() {
        // Length: the limit itself is accepted, one more is refused; a
        // smaller limit given by the caller counts too.
        let at = |n: usize| "a".repeat(n);
        assert!(parse(&at(MAX_QUERY_CHARS)).is_ok());
        assert!(parse(&at(MAX_QUERY_CHARS + 1)).is_err());
        assert!(parse_within(&at(10), 10).is_ok());
        assert_eq!(
            err_of(parse_within(&at(11), 10)).0,
            11,
            "position just past the caller's limit"
        );
        assert!(parse_within(&at(MAX_QUERY_CHARS + 1), usize::MAX).is_err());
        // Nesting, counted by open parentheses however they close.
        let nested = |n: usize| format!("{}a{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        assert!(parse(&nested(MAX_DEPTH + 1)).is_err());
        let siblings = format!("{}a", "(a) ".repeat(2 * MAX_DEPTH));
        assert!(parse(&siblings).is_ok());
        // Terms.
        let terms = |n: usize| vec!["w"; n].join(" ");
        assert!(parse(&terms(MAX_CLAUSES)).is_ok());
        let (position, message) = err(&terms(MAX_CLAUSES + 1));
        assert_eq!(position, 2 * MAX_CLAUSES + 1, "{message}");
        // Phrase slop, fuzzy distance and boost.
        assert!(parse(&format!("\"a b\"~{MAX_SLOP}")).is_ok());
        assert!(parse(&format!("\"a b\"~{}", MAX_SLOP + 1)).is_err());
        assert!(parse(&format!("word~{MAX_FUZZY}")).is_ok());
        assert!(parse(&format!("word~{}", MAX_FUZZY + 1)).is_err());
        assert!(matches!(parse("a^1000").unwrap(), Node::Boost(_, b) if b == 1000.0));
        assert!(matches!(parse("a^0").unwrap(), Node::Boost(_, b) if b == 0.0));
        assert!(parse("a^1000.5").is_err());
        // Four capitalised words are a pasted headline, three are not.
        assert_eq!(words(&parse("WAR AND PEACE NOW").unwrap()).len(), 4);
        assert!(matches!(parse("WAR AND PEACE").unwrap(), Node::Group(ref cs) if cs.len() == 2));
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let node = parse("Ñandú “año nuevo” Ebrard~1").unwrap();
        let Node::Group(clauses) = node else {
            panic!("{node:?}")
        };
        let positions: Vec<usize> = clauses
            .iter()
            .map(|(_, n)| match n {
                Node::Word { position, .. } | Node::Phrase { position, .. } => *position,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(positions, vec![1, 7, 19]);
        assert_eq!(err_position("año se*ñ"), 7);
        assert_eq!(err_position("año~3"), 4);
        assert_eq!(err_position("ñ \"a b\"~x"), 8);
        assert_eq!(err_position("ñ (a"), 3);
        assert_eq!(err_position("ñ headline:(a"), 12);
        assert_eq!(err_position("ñ lang:"), 3);
        assert_eq!(err_position("ñ lang:xx"), 8);
        assert_eq!(err_position("ñ a^x"), 4);
    }

    #[test]
    fn field_values_in_quotes_and_groups() {
        assert_eq!(
            parse("source:\"El País\"").unwrap(),
            Node::Source("El País".into())
        );
        assert_eq!(
            parse("source:reuters").unwrap(),
            Node::Source("reuters".into())
        );
        assert_eq!(parse("lang:\"es\"").unwrap(), Node::Lang(Lang::Es));
        assert!(err("source:\"\"").1.contains("needs a value"));
        // A field applies to every clause of its group, and only there.
        let Node::Group(clauses) = parse("headline:(a b) c").unwrap() else {
            panic!()
        };
        assert!(matches!(
            &clauses[0].1,
            Node::Group(inner) if inner.iter().all(|(_, n)| matches!(
                n,
                Node::Word { field: Some(UserField::Headline), .. }
            ))
        ));
        assert!(matches!(&clauses[1].1, Node::Word { field: None, .. }));
        // A word of letters, digits and '_' before ':' names a field only
        // when the name is known.
        assert!(matches!(
            parse("a_b:c").unwrap(),
            Node::Word { field: None, .. }
        ));
        assert!(matches!(
            parse("title :x").unwrap(),
            Node::Group(ref cs) if cs.len() == 2
        ));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(err("Ebrard DEA)").1, "unmatched ')'");
        assert!(err("Ebrard \"DEA").1.contains('"'));
        let long = "a ".repeat(MAX_QUERY_CHARS);
        assert!(err(&long).1.starts_with("query is too long"));
    }

    #[test]
    fn tantivy_hang_inputs_are_answered() {
        for q in [
            "a:(^", "- *", "-", "+", "()", "(((", "^", "\"", "~", "a^", ":", "date:", "*:*",
            "a AND", "NOT",
        ] {
            let _ = parse(q);
        }
        assert!(parse("- *").is_ok());
        assert!(parse("a:(^").is_err());
    }
}
