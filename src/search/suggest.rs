//! Spelling suggestions ("did you mean"), drawn from the index's own
//! vocabulary: a word of the query that no article holds, or that is rare
//! next to a much commoner word a dropped letter or a swap away, is
//! replaced by such a word, and the corrected query is counted before it is
//! proposed.
//!
//! Each correctable word gets a few candidates from the vocabulary (folded,
//! unstemmed words of every headline and body) within one edit, or two for
//! a long word with none within one; a candidate is weighed by how many
//! articles hold it, what the edit is (a letter left out or two swapped
//! follow from the word meant; a wrong or extra letter is one of several a
//! finger could hit) and whether it keeps the first letter (people rarely
//! mistype that one). The best combinations of candidates are then counted
//! as whole queries, every word required, with the request's filters: the
//! other words of the query decide between candidates, since a correction
//! that no article shares with them finds nothing. Words that are common,
//! short and held by some article, excluded, fuzzy, `word*` prefixes or
//! numbers are kept as typed, and so are the phrases and operators around
//! the corrected words: the suggestion is the typed text with words
//! replaced.

use tantivy::Searcher;
use tantivy::collector::Count;

use super::Engine;
use super::build::present_languages;
use super::vocabulary;
use crate::analyzer::Analyzers;
use crate::error::Result;
use crate::lang::Lang;
use crate::query::{MAX_QUERY_CHARS, Node, ParsedQuery, phrase_words, visit_words};
use crate::request::SearchRequest;
use crate::schema::UserField;

/// A corrected query and how many articles it finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The query text with its misspelt words replaced.
    pub query: String,
    /// Articles the corrected query finds (with the same filters).
    pub total: usize,
}

/// Words shorter than this (folded) are never corrected: one edit away
/// from a short word lie too many others.
const MIN_WORD_CHARS: usize = 3;
/// Words the index holds shorter than this (folded) are never corrected:
/// they are abbreviations, tickers and initials far more often than slips.
const PRESENT_MIN_CHARS: usize = 5;
/// Words at least this long may be two edits from what was meant.
const TWO_EDITS_MIN_CHARS: usize = 7;
/// A word held by more than this share of the articles (one in 2,000),
/// and by more than one, is taken as spelt as meant, whatever its
/// neighbours: typos in edited text do not repeat that often. A rarer word
/// the index holds is corrected only towards a word [`RARITY`] times as
/// common that it misses a letter of or has two letters swapped in
/// (`Volker` for `Volcker`). (Lucene's
/// spell checker has the same bound, `maxQueryFrequency`, at 1% by
/// default; at 1% a fifth of the correctly spelt words held by 20 to 228
/// of the news archive's articles drew a suggestion, "Sears" -> "years".)
const MAX_WORD_SHARE: f64 = 0.0005;
/// A word the index holds is corrected only towards a word this many times
/// as common.
const RARITY: u64 = 10;
/// Weight of a candidate one wrong or extra letter away against one a
/// dropped letter or a swap away: a letter left out or two swapped follow
/// from the word meant, a wrong or extra letter is one of the several a
/// finger could hit (about eight around each key).
const WRONG_LETTER_WEIGHT: f64 = 0.125;
/// Weight of a candidate two edits away against one a single edit away.
const TWO_EDITS_WEIGHT: f64 = 0.05;
/// Weight of a candidate whose first letter differs from the word's.
const FIRST_LETTER_WEIGHT: f64 = 0.2;
/// Candidates kept per word, for combining.
const CANDIDATES_PER_WORD: usize = 3;
/// Combinations of candidates counted as whole queries, best first.
const MAX_COMBINATIONS: usize = 6;

/// Candidate corrections of a word (folded) with their weights, best first.
type Candidates = Vec<(String, f64)>;

/// A word of the query that may be corrected: where it is in the typed
/// text and what it could have been.
struct Slot {
    /// 0-based character index of the word in the typed text.
    start: usize,
    /// Its length in characters.
    len: usize,
    /// The word as typed.
    typed: String,
    /// Whether no article holds the word as typed.
    absent: bool,
    /// Candidate corrections.
    candidates: Candidates,
}

/// A run of letters and digits of a query word: 0-based character offset
/// and text.
fn runs(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    for (i, (byte, c)) in text.char_indices().enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some((i, byte)),
            (false, Some((at, from))) => {
                out.push((at, &text[from..byte]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some((at, from)) = start {
        out.push((at, &text[from..]));
    }
    out
}

/// Whether words of `field` are prose or names (not dates, languages...).
fn corrects(field: Option<UserField>) -> bool {
    matches!(
        field,
        None | Some(UserField::Headline | UserField::Body | UserField::Entity | UserField::Kind(_))
    )
}

/// `word` written in the letter case of `typed`.
fn in_case_of(word: &str, typed: &str) -> String {
    let mut letters = typed.chars().filter(|c| c.is_alphabetic());
    let first_upper = letters.next().is_some_and(char::is_uppercase);
    let all_upper = first_upper && typed.chars().filter(|c| c.is_alphabetic()).count() > 1 && {
        typed
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
    };
    if all_upper {
        word.to_uppercase()
    } else if first_upper {
        let mut chars = word.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        word.to_string()
    }
}

/// What one edit did to the word meant, to make the word typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    /// A letter left out.
    Dropped,
    /// Two neighbouring letters swapped.
    Swapped,
    /// A letter typed for another.
    Replaced,
    /// A letter too many.
    Added,
}

/// The edit that makes `typed` of `meant`, one edit apart.
fn edit(typed: &str, meant: &str) -> Edit {
    let (t, m) = (typed.chars().count(), meant.chars().count());
    if m > t {
        return Edit::Dropped;
    }
    if m < t {
        return Edit::Added;
    }
    let differ: Vec<usize> = typed
        .chars()
        .zip(meant.chars())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, _)| i)
        .collect();
    if differ.len() == 2 && differ[1] == differ[0] + 1 {
        Edit::Swapped
    } else {
        Edit::Replaced
    }
}

/// Optimal string alignment distance (a swap of neighbours is one edit).
fn edits(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

impl Engine {
    /// The corrected form of `request`'s query, if one of its words looks
    /// misspelt and the correction finds more than the `total` it found.
    pub(crate) fn suggest(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        total: usize,
    ) -> Result<Option<Suggestion>> {
        let query = &request.query;
        let langs = present_languages(&self.store.fields, searcher);
        let mut words: Vec<(usize, String, bool)> = Vec::new();
        visit_words(query.tree(), false, &mut |node, negated| {
            if negated {
                return;
            }
            match node {
                Node::Word {
                    field,
                    text,
                    prefix: false,
                    fuzzy: None,
                    position,
                } if corrects(*field) => {
                    let unfinished = query.unfinished() == Some(*position);
                    let parts = runs(text);
                    let last = parts.len().saturating_sub(1);
                    for (i, (at, run)) in parts.into_iter().enumerate() {
                        words.push((position - 1 + at, run.to_string(), unfinished && i == last));
                    }
                }
                Node::Phrase {
                    field,
                    text,
                    position,
                    ..
                } if corrects(*field) => {
                    let unfinished = query.unfinished() == Some(*position);
                    let parts: Vec<(usize, &str)> = phrase_words(text, *position)
                        .into_iter()
                        .flat_map(|(p, word)| {
                            runs(word)
                                .into_iter()
                                .map(move |(at, run)| (p - 1 + at, run))
                        })
                        .collect();
                    let last = parts.len().saturating_sub(1);
                    for (i, (at, run)) in parts.into_iter().enumerate() {
                        words.push((at, run.to_string(), unfinished && i == last));
                    }
                }
                _ => {}
            }
        });
        let articles = searcher.num_docs();
        let mut slots = Vec::new();
        for (start, typed, unfinished) in words {
            if let Some((absent, candidates)) =
                self.candidates(searcher, &langs, &typed, unfinished, articles)?
            {
                slots.push(Slot {
                    start,
                    len: typed.chars().count(),
                    typed,
                    absent,
                    candidates,
                });
            }
        }
        if slots.is_empty() {
            return Ok(None);
        }
        // A correction must find articles with every word (a correction
        // found only by relaxing is no better than the query), more than
        // the query as typed, or as many when every word it replaces is one
        // no article holds (a misspelling the stemmer happened to read
        // right); then more articles, weighed by the edits, win.
        let least = if slots.iter().all(|s| s.absent) {
            total.max(1)
        } else {
            total + 1
        };
        let mut best: Option<(f64, Suggestion)> = None;
        for (weight, choice) in combinations(&slots) {
            let text = corrected(query.text(), &slots, &choice);
            let Ok(parsed) = ParsedQuery::read(text.as_str(), MAX_QUERY_CHARS, query.reading())
            else {
                continue;
            };
            let found = self.count(searcher, request, &parsed)?;
            let score = found as f64 * weight;
            if found >= least && best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((
                    score,
                    Suggestion {
                        query: text,
                        total: found,
                    },
                ));
            }
        }
        Ok(best.map(|(_, s)| s))
    }

    /// Candidate corrections of one typed word, best first, and whether no
    /// article holds the word, or `None` when it is to be kept as typed.
    fn candidates(
        &self,
        searcher: &Searcher,
        langs: &[Lang],
        typed: &str,
        unfinished: bool,
        articles: u64,
    ) -> Result<Option<(bool, Candidates)>> {
        let field = self.store.fields.words;
        let tokens = Analyzers::tokens(self.analyzers.words(), typed);
        let [(_, word)] = tokens.as_slice() else {
            return Ok(None);
        };
        let chars = word.chars().count();
        if chars < MIN_WORD_CHARS {
            return Ok(None);
        }
        let own = vocabulary::doc_freq(searcher, field, word)?;
        if own > 0
            && (chars < PRESENT_MIN_CHARS
                || own > 1 && own as f64 > MAX_WORD_SHARE * articles as f64)
        {
            return Ok(None);
        }
        // A word some language drops (a stop word) plays no part in the search.
        let mut stemmers = Vec::with_capacity(langs.len());
        for lang in langs {
            let mut analyzer = self.analyzers.text(*lang);
            match Analyzers::last_token(&mut analyzer, word) {
                Some(stem) => stemmers.push((analyzer, stem)),
                None => return Ok(None),
            }
        }
        // A word being typed that begins a longer word is not finished yet.
        if unfinished && vocabulary::extends(searcher, field, word)? {
            return Ok(None);
        }
        let mut found = Vec::new();
        for distance in 1..=2u8 {
            if distance == 2 && (own > 0 || chars < TWO_EDITS_MIN_CHARS || !found.is_empty()) {
                break;
            }
            for (candidate, df) in vocabulary::within_edits(searcher, field, word, distance)? {
                if candidate == *word || candidate.chars().count() < 2 {
                    continue;
                }
                let same_word = stemmers.iter_mut().any(|(analyzer, stem)| {
                    Analyzers::last_token(analyzer, &candidate).as_ref() == Some(stem)
                });
                // Another form of a word the index holds is not a correction;
                // of a word it does not hold, it may well be.
                if same_word && own > 0 {
                    continue;
                }
                let mut weight = match edits(word, &candidate) {
                    1 => match edit(word, &candidate) {
                        Edit::Dropped | Edit::Swapped => 1.0,
                        // A word the index holds, a letter away from another
                        // one, is more often another word ("manor", "major")
                        // than a slip.
                        Edit::Replaced | Edit::Added if own > 0 => continue,
                        Edit::Replaced | Edit::Added => WRONG_LETTER_WEIGHT,
                    },
                    _ => TWO_EDITS_WEIGHT,
                };
                if candidate.chars().next() != word.chars().next() {
                    weight *= FIRST_LETTER_WEIGHT;
                }
                let score = df as f64 * weight;
                // A word the index holds gives way only to a much likelier one.
                if own > 0 && score < (own * RARITY) as f64 {
                    continue;
                }
                found.push((candidate, score, weight));
            }
        }
        if found.is_empty() {
            return Ok(None);
        }
        found.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        found.truncate(CANDIDATES_PER_WORD);
        Ok(Some((
            own == 0,
            found.into_iter().map(|(c, _, w)| (c, w)).collect(),
        )))
    }

    /// Articles `query` finds with `request`'s filters, every word required.
    fn count(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        query: &ParsedQuery,
    ) -> Result<usize> {
        let built = self.query_builder(searcher).build(request, query)?;
        Ok(searcher.search(&*built.query, &Count)?)
    }
}

/// The most promising choices of one candidate per slot, by the product of
/// their weights and article counts, with the product of their weights.
fn combinations(slots: &[Slot]) -> Vec<(f64, Vec<usize>)> {
    let mut choices: Vec<(f64, f64, Vec<usize>)> = vec![(1.0, 1.0, Vec::new())];
    for slot in slots {
        let mut next = Vec::new();
        for (rank, weight, choice) in &choices {
            for (i, (_, w)) in slot.candidates.iter().enumerate() {
                let mut c = choice.clone();
                c.push(i);
                // Candidates come best first: a later one ranks lower.
                next.push((rank * w / (i + 1) as f64, weight * w, c));
            }
        }
        next.sort_by(|a, b| b.0.total_cmp(&a.0));
        next.truncate(MAX_COMBINATIONS);
        choices = next;
    }
    choices.into_iter().map(|(_, w, c)| (w, c)).collect()
}

/// The typed text with each slot's word replaced by its chosen candidate,
/// in the typed word's letter case.
fn corrected(typed: &str, slots: &[Slot], choice: &[usize]) -> String {
    let chars: Vec<char> = typed.chars().collect();
    let mut out = String::with_capacity(typed.len() + 8);
    let mut at = 0;
    let mut order: Vec<(&Slot, usize)> = slots.iter().zip(choice.iter().copied()).collect();
    order.sort_by_key(|(slot, _)| slot.start);
    for (slot, pick) in order {
        if slot.start < at || slot.start + slot.len > chars.len() {
            continue;
        }
        out.extend(&chars[at..slot.start]);
        out.push_str(&in_case_of(&slot.candidates[pick].0, &slot.typed));
        at = slot.start + slot.len;
    }
    out.extend(&chars[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_words_as_the_analyzers_do() {
        assert_eq!(runs("Volker"), vec![(0, "Volker")]);
        assert_eq!(runs("U.S.-led"), vec![(0, "U"), (2, "S"), (5, "led")]);
        assert_eq!(runs("Zürich's"), vec![(0, "Zürich"), (7, "s")]);
    }

    #[test]
    fn edits_are_told_apart() {
        assert_eq!(edit("Volker", "Volcker"), Edit::Dropped);
        assert_eq!(edit("Merkle", "Merkel"), Edit::Swapped);
        assert_eq!(edit("Gorbachov", "Gorbachev"), Edit::Replaced);
        assert_eq!(edit("trumpp", "trump"), Edit::Added);
    }

    #[test]
    fn corrections_keep_the_typed_case() {
        assert_eq!(in_case_of("volcker", "Volker"), "Volcker");
        assert_eq!(in_case_of("opec", "OPCE"), "OPEC");
        assert_eq!(in_case_of("trump", "tump"), "trump");
        assert_eq!(in_case_of("merkel", "M"), "Merkel");
    }

    #[test]
    fn corrected_text_keeps_everything_but_the_words() {
        let slots = vec![
            Slot {
                start: 1,
                len: 6,
                typed: "Volker".into(),
                absent: false,
                candidates: vec![("volcker".into(), 1.0)],
            },
            Slot {
                start: 14,
                len: 4,
                typed: "tump".into(),
                absent: true,
                candidates: vec![("dump".into(), 1.0), ("trump".into(), 1.0)],
            },
        ];
        assert_eq!(
            corrected("\"Volker Fed\" -tump", &slots, &[0, 1]),
            "\"Volcker Fed\" -trump"
        );
    }

    #[test]
    fn combinations_rank_by_weight_and_keep_one_candidate_per_slot() {
        let slot = |weights: &[f64]| Slot {
            start: 0,
            len: 1,
            typed: "x".into(),
            absent: true,
            candidates: weights.iter().map(|w| ("y".to_string(), *w)).collect(),
        };
        let combos = combinations(&[slot(&[1.0, 1.0]), slot(&[1.0, 0.05])]);
        assert_eq!(combos[0], (1.0, vec![0, 0]));
        assert!(combos.iter().all(|(_, c)| c.len() == 2));
        assert!(combos.len() <= MAX_COMBINATIONS);
    }
}
