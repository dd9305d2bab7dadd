//! Named entities: people, organisations, places and other names (events,
//! nationalities...) found in news text by rules and compiled-in gazetteers.
//!
//! One [`Extractor`] is built once (its Aho-Corasick automata are costly to
//! build) and shared across threads. [`Extractor::mentions`] returns every
//! occurrence with byte offsets; [`Extractor::entities`] merges them within
//! the document (a later bare "Ebrard" is "Marcelo Ebrard", "DEA" defined in
//! parentheses is an alias of its long form) and ranks them by salience.
//!
//! The pipeline: `token` splits the text; `lines` classifies lines
//! (prose, upper-case or title-case headline, dateline) and looks each
//! capitalised word up once; `doc` finds gazetteer hits with anchored
//! Aho-Corasick searches at capitalised words and holds the document;
//! `headline` handles headlines, datelines and wire markup; `rules`
//! chunks capitalised words in prose and types the chunks (titles,
//! organisation/place/event heads); `segment` splits chunks at gazetteer
//! hits and types what lies between (given names, initials, particles);
//! `coref` spreads what one part of the document knows to the rest
//! (surnames, acronyms, company short names, upper-case headlines, sports
//! tables); `merge` groups the mentions into entities.
//!
//! Data: `data/*.tsv` (`name<TAB>type<TAB>alias|alias`) and word lists
//! `data/*.txt` (one item per line), compiled in with `include_str!`; the
//! function words (stop words, English and foreign prose cues) come from
//! the one table of [`crate::lang::words`].

mod coref;
mod doc;
mod gazetteer;
mod headline;
mod lines;
mod merge;
mod rules;
mod segment;
mod token;
mod tsv;

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind, StartKind};
use serde::{Deserialize, Serialize};

pub(crate) use gazetteer::builtin_entries;
pub use gazetteer::{Gazetteer, GazetteerError};

use gazetteer::{GazEntry, Lexicon};
use rustc_hash::{FxHashMap, FxHashSet};
use token::Flags;

/// The kind of a named entity. Its names (`person`, `org`, `place`,
/// `other`, and the synonyms a gazetteer or a filter may use) are written
/// once, here, for display, parsing and JSON alike.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::Display,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantNames,
)]
#[serde(into = "&'static str", try_from = "String")]
#[strum(ascii_case_insensitive)]
pub enum EntityKind {
    /// A person.
    #[strum(to_string = "person", serialize = "per", serialize = "people")]
    Person,
    /// An organisation: company, party, agency, club.
    #[strum(
        to_string = "org",
        serialize = "organization",
        serialize = "organisation"
    )]
    Org,
    /// A place: country, city, region, geographic feature.
    #[strum(to_string = "place", serialize = "location", serialize = "loc")]
    Place,
    /// Anything else named: nationalities, events, languages, products.
    #[strum(to_string = "other", serialize = "misc")]
    Other,
}

impl EntityKind {
    /// Every kind, in index order.
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Org,
        EntityKind::Place,
        EntityKind::Other,
    ];

    /// Lower-case name: "person", "org", "place" or "other".
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Position in [`EntityKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parses a kind name, case-insensitively; also accepts the usual
    /// synonyms ("organization", "location", "per", "misc"...).
    pub fn from_name(s: &str) -> Option<EntityKind> {
        s.trim().parse().ok()
    }
}

impl TryFrom<String> for EntityKind {
    type Error = strum::ParseError;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        name.parse()
    }
}

/// One occurrence in the input text; `start`/`end` are byte offsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// The text as written.
    pub text: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Byte offset of its first byte.
    pub start: usize,
    /// Byte offset just past its last byte.
    pub end: usize,
}

/// One entity of a document after coreference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// Canonical display name (the fullest form seen, accents kept).
    pub name: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Other surface forms seen in the document, plus gazetteer aliases.
    pub aliases: Vec<String>,
    /// Number of mentions.
    pub mentions: usize,
    /// Byte offset of the first mention.
    pub first: usize,
}

/// The entity extractor: gazetteer automata plus word lists. Build once.
pub struct Extractor {
    pub(crate) entries: Vec<GazEntry>,
    /// Case-sensitive automaton over every name and alias.
    pub(crate) exact: Option<AhoCorasick>,
    /// Entry index of each pattern of `exact`.
    pub(crate) exact_entry: Vec<u32>,
    /// Automaton over upper-cased names, for upper-case lines.
    pub(crate) upper: Option<AhoCorasick>,
    /// Entry index of each pattern of `upper`.
    pub(crate) upper_entry: Vec<u32>,
    /// Exact surface form to entry index.
    pub(crate) surface: FxHashMap<String, u32>,
    pub(crate) lex: Lexicon,
}

fn automaton(patterns: &[String]) -> Option<AhoCorasick> {
    let build = |kind| {
        AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .kind(kind)
            .build(patterns)
    };
    // A contiguous NFA is small (about 1 MB for the built-in lists) and, for
    // short anchored searches, faster than a DFA of over 20 MB that misses the
    // cache. Only pattern-set size limits can make both builds fail.
    build(Some(AhoCorasickKind::ContiguousNFA))
        .or_else(|_| build(None))
        .ok()
}

impl Extractor {
    /// Builds the automata and lookup tables for `gazetteer`.
    pub fn new(gazetteer: Gazetteer) -> Extractor {
        let lex = Lexicon::builtin();
        let entries = gazetteer.entries;
        let mut exact_pats = Vec::new();
        let mut exact_entry = Vec::new();
        let mut upper_pats = Vec::new();
        let mut upper_entry = Vec::new();
        let mut surface: FxHashMap<String, u32> = FxHashMap::default();
        let heads_upper: FxHashSet<String> = lex
            .org_heads
            .iter()
            .chain(lex.titles.iter())
            .filter(|w| w.len() <= 6)
            .map(|w| w.to_uppercase())
            .collect();
        // Upper-cased heads and titles ("INC", "CORP", "PRESIDENT") are no
        // names in an upper-case headline, whatever a gazetteer aliases.
        let mut seen_upper: FxHashSet<String> = lex
            .org_heads
            .iter()
            .chain(lex.titles.iter())
            .map(|w| w.to_uppercase())
            .collect();
        for (i, e) in entries.iter().enumerate() {
            let idx = i as u32;
            for s in std::iter::once(&e.name).chain(e.aliases.iter()) {
                if !s.chars().any(char::is_uppercase) || surface.contains_key(s) {
                    continue;
                }
                // An alias spelling a head or title ("INC" for a party) would
                // fire on every "KELLCO MARKETS INC" headline.
                if s.len() <= 6 && heads_upper.contains(&s.to_uppercase()) {
                    continue;
                }
                surface.insert(s.clone(), idx);
                exact_pats.push(s.clone());
                exact_entry.push(idx);
                // Tokenised text splits the possessive: "Moody 's", "People 's Daily".
                if s.contains("'s") {
                    exact_pats.push(s.replace("'s", " 's"));
                    exact_entry.push(idx);
                }
                // In upper-case lines a name that is also a common word
                // ("TURKEY", "NICE") is no evidence; a short one neither.
                let up = s.to_uppercase();
                let lower = s.to_lowercase();
                if up.chars().count() < 3 && !s.contains('.') {
                    continue;
                }
                if lex.common.contains(lower.as_str())
                    || lex.stop.contains(lower.as_str())
                    || seen_upper.contains(&up)
                {
                    continue;
                }
                seen_upper.insert(up.clone());
                upper_pats.push(up);
                upper_entry.push(idx);
            }
        }
        // Which words can start a name: a search at any other word is skipped.
        let mut lex = lex;
        for (pats, flag) in [
            (&exact_pats, Flags::GAZ_START),
            (&upper_pats, Flags::GAZ_UPPER),
        ] {
            for p in pats.iter() {
                let key = token::alnum_prefix(p);
                if !key.is_empty() {
                    *lex.cap_flags.entry(key.to_string()).or_default() |= flag;
                }
            }
        }
        lex.cap_table = gazetteer::WordFlags::new(&lex.cap_flags);
        Extractor {
            exact: automaton(&exact_pats),
            exact_entry,
            upper: automaton(&upper_pats),
            upper_entry,
            entries,
            surface,
            lex,
        }
    }

    /// An extractor over the built-in gazetteer extended by a user's TSV
    /// file (see [`Gazetteer::builtin_with_file`]).
    pub fn with_gazetteer_file(file: &std::path::Path) -> crate::Result<Extractor> {
        Gazetteer::builtin_with_file(file).map(Extractor::new)
    }

    /// The extractor over the built-in gazetteer, built on first use.
    pub fn builtin() -> &'static Extractor {
        static BUILTIN: OnceLock<Extractor> = OnceLock::new();
        BUILTIN.get_or_init(|| Extractor::new(Gazetteer::builtin()))
    }

    /// The kind the gazetteer gives a name or alias, written exactly.
    pub fn kind_of(&self, name: &str) -> Option<EntityKind> {
        self.surface
            .get(name)
            .and_then(|i| self.entries.get(*i as usize))
            .map(|e| e.kind)
    }

    /// Every mention in `text`, in text order, non-overlapping.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        analyse(self, text)
            .spans
            .iter()
            .map(|s| Mention {
                text: text[s.start..s.end].to_string(),
                kind: s.kind,
                start: s.start,
                end: s.end,
            })
            .collect()
    }

    /// The entities of `text`, merged within the document and sorted by
    /// salience: most mentions first, then earliest first mention.
    pub fn entities(&self, text: &str) -> Vec<Entity> {
        let doc = analyse(self, text);
        merge::entities(self, text, &doc.spans)
    }
}

/// Tokenises, finds and types every mention of `text`: the passes over one
/// document, in order.
fn analyse<'a>(ex: &'a Extractor, text: &'a str) -> doc::Doc<'a> {
    let mut doc = doc::Doc::new(ex, text);
    doc.mark_common_words();
    doc.abbreviation_ends();
    doc.classify_lines();
    doc.sports = doc.is_sports();
    doc.find_hits();
    doc.find_cands();
    coref::propagate(&mut doc);
    doc.finish();
    doc
}

#[cfg(test)]
mod tests;
