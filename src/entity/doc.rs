//! One analysed document: its tokens, the kind of each line (prose,
//! upper-case, title-case, dateline), the gazetteer hits of the Aho-Corasick
//! pass, the typed candidates of [`super::rules`] and `coref`, and
//! the final non-overlapping spans.

use std::cell::Cell;

use aho_corasick::{AhoCorasick, Anchored, Input};
use rustc_hash::FxHashSet;

use super::gazetteer::Sub;
use super::token::{self, Flags, Tok};
use super::{EntityKind, Extractor};

/// A typed span of the output: byte range, kind, gazetteer entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: EntityKind,
    pub entry: Option<u32>,
}

/// How sure the kind of a candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Conf {
    /// No evidence but capitalisation.
    Guess,
    /// A weak cue (context, shape).
    Cue,
    /// A strong rule (title, head, given name, initials).
    Rule,
    /// A gazetteer entry.
    Gaz,
}

/// A candidate: token range, kind (None: unknown yet), confidence.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cand {
    pub s: usize,
    pub e: usize,
    pub kind: Option<EntityKind>,
    pub conf: Conf,
    pub entry: Option<u32>,
}

/// What kind of line a token is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// Ordinary prose: capitalisation is informative.
    Mixed,
    /// All upper case (wire headlines, datelines).
    Upper,
    /// Every word capitalised (headlines in title case).
    Title,
}

/// A gazetteer hit over tokens `s..e`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub s: usize,
    pub e: usize,
    pub entry: u32,
}

const NONE: u32 = u32::MAX;

/// One analysed document.
pub(crate) struct Doc<'a> {
    pub ex: &'a Extractor,
    pub text: &'a str,
    pub toks: Vec<Tok>,
    /// Per token: lexicon flags of a word that is not capitalised, once
    /// looked up (0: not yet).
    pub lex: Vec<Cell<Flags>>,
    pub line_kind: Vec<LineKind>,
    /// Per line: a dateline ("LEEDS 2004-06-19").
    pub dateline: Vec<bool>,
    pub hits: Vec<Hit>,
    /// Per token: index into `hits` of the hit starting there, or NONE.
    pub hit_at: Vec<u32>,
    pub cands: Vec<Cand>,
    /// A sports report: teams are organisations, results tables abound.
    pub sports: bool,
    /// Hard-wrapped text: line breaks inside paragraphs are spaces.
    pub wrapped: bool,
    /// The text reads as English (function-word share).
    pub english: bool,
    pub spans: Vec<Span>,
}

/// Lower-cases an ASCII word into `buf`; None if it is not short ASCII.
#[inline]
pub(crate) fn ascii_lower<'b>(w: &str, buf: &'b mut [u8; 32]) -> Option<&'b str> {
    let b = w.as_bytes();
    if b.len() > buf.len() || !w.is_ascii() {
        return None;
    }
    for (d, s) in buf.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..b.len()]).ok()
}

/// English derivational endings that names rarely have.
pub(crate) fn looks_like_word(w: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "tion", "tions", "sion", "sions", "ment", "ments", "ness", "ity", "ities", "ism", "isms",
        "ship", "ance", "ances", "ence", "ences", "ology", "ally", "ingly", "ised", "ized",
        "ising", "izing", "able", "ible", "ful", "less", "ously", "ives",
    ];
    w.len() > 5 && ENDINGS.iter().any(|e| w.ends_with(e))
}

impl<'a> Doc<'a> {
    /// The tokens of `text`, ready for the passes of [`super::analyse`].
    pub fn new(ex: &'a Extractor, text: &'a str) -> Doc<'a> {
        let mut toks = Vec::with_capacity(text.len() / 4 + 16);
        token::tokenize(text, &mut toks);
        let wrapped = token::join_wrapped_lines(text, &mut toks);
        token::mark_sentence_starts(text, &mut toks);
        Doc {
            ex,
            text,
            hit_at: vec![NONE; toks.len()],
            lex: vec![Cell::new(Flags::empty()); toks.len()],
            toks,
            line_kind: Vec::new(),
            dateline: Vec::new(),
            hits: Vec::with_capacity(64),
            cands: Vec::with_capacity(128),
            sports: false,
            wrapped,
            english: true,
            spans: Vec::new(),
        }
    }

    /// The text of token `i`.
    #[inline]
    pub fn w(&self, i: usize) -> &'a str {
        let t = &self.toks[i];
        &self.text[t.start..t.end]
    }

    /// The text of tokens `s..e`.
    #[inline]
    pub fn span_text(&self, s: usize, e: usize) -> &'a str {
        &self.text[self.toks[s].start..self.toks[e - 1].end]
    }

    pub fn line_of(&self, i: usize) -> LineKind {
        self.line_kind[self.toks[i].line as usize]
    }

    /// True when the lower-cased word is in `set`.
    pub fn lower_in(&self, w: &str, set: &FxHashSet<&'static str>) -> bool {
        let mut buf = [0u8; 32];
        match ascii_lower(w, &mut buf) {
            Some(l) => set.contains(l),
            None => set.contains(w.to_lowercase().as_str()),
        }
    }

    pub fn is_stop(&self, w: &str) -> bool {
        self.lower_in(w, &self.ex.lex.stop)
    }

    /// A common word, or one with an ending names rarely have.
    pub fn is_wordish(&self, w: &str) -> bool {
        self.is_common(w) || looks_like_word(w)
    }

    pub fn is_common(&self, w: &str) -> bool {
        self.is_stop(w) || self.lower_in(w, &self.ex.lex.common)
    }

    /// The lexicon flags of token `i` (function word, common word, given
    /// name, title, head, particle): a capitalised word has them from
    /// `mark_common_words`; any other word looks them up once, on first use.
    #[inline]
    fn lex_flags(&self, i: usize) -> Flags {
        let t = self.toks[i];
        if t.is_cap() {
            return t.flags;
        }
        let cached = self.lex[i].get();
        if !cached.is_empty() {
            return cached;
        }
        let f = self.word_lex_flags(self.w(i)) | Flags::LEXED;
        self.lex[i].set(f);
        f
    }

    /// The lexicon flags of a word that is not capitalised.
    fn word_lex_flags(&self, w: &str) -> Flags {
        let lex = &self.ex.lex;
        // No upper-case letter: the word is its own lower case, and one
        // look-up answers every list.
        if w.is_ascii() && !w.bytes().any(|b| b.is_ascii_uppercase()) {
            return lex.lower_flags.get(w);
        }
        let mut f = Flags::empty();
        if self.is_stop(w) {
            f |= Flags::STOPWORD | Flags::COMMON;
        }
        if self.is_common(w) {
            f |= Flags::COMMON;
        }
        for (set, flag) in [
            (&lex.given, Flags::GIVEN),
            (&lex.titles, Flags::TITLE),
            (&lex.org_heads, Flags::ORG_HEAD),
            (&lex.particles, Flags::PARTICLE),
        ] {
            if set.contains(w) {
                f |= flag;
            }
        }
        f
    }

    /// Token `i` is a function word.
    #[inline]
    pub fn stop_at(&self, i: usize) -> bool {
        self.lex_flags(i).contains(Flags::STOPWORD)
    }

    /// Token `i` is a listed given name.
    #[inline]
    pub fn is_given(&self, i: usize) -> bool {
        self.lex_flags(i).contains(Flags::GIVEN)
    }

    /// Token `i` is a personal title.
    #[inline]
    pub fn is_title(&self, i: usize) -> bool {
        self.lex_flags(i).contains(Flags::TITLE)
    }

    /// Token `i` is an organisation head or suffix.
    #[inline]
    pub fn is_org_head(&self, i: usize) -> bool {
        self.lex_flags(i).contains(Flags::ORG_HEAD)
    }

    /// Token `i` is a common or function word.
    #[inline]
    pub fn common_at(&self, i: usize) -> bool {
        self.lex_flags(i).contains(Flags::COMMON)
    }

    /// Token `i` is a surname particle ("de", "van", "al").
    #[inline]
    pub fn is_particle(&self, i: usize) -> bool {
        self.lex_flags(i).contains(Flags::PARTICLE)
    }

    /// Index of the token starting at byte `b`, if any.
    pub(crate) fn tok_starting(&self, b: usize) -> Option<usize> {
        self.toks.binary_search_by(|t| t.start.cmp(&b)).ok()
    }

    /// Token range exactly covering bytes `bs..be`, if words bound it.
    pub(crate) fn tok_range(&self, bs: usize, be: usize) -> Option<(usize, usize)> {
        let s = self.tok_starting(bs)?;
        if !self.toks[s].is(Flags::ALPHA) && !self.toks[s].is(Flags::DIGIT) {
            return None;
        }
        let mut e = s;
        while e < self.toks.len() && self.toks[e].end < be {
            e += 1;
        }
        if e < self.toks.len() && self.toks[e].end == be {
            Some((s, e + 1))
        } else {
            None
        }
    }

    pub(crate) fn find_hits(&mut self) {
        let ex = self.ex;
        let (Some(exact), Some(upper)) = (&ex.exact, &ex.upper) else {
            return;
        };
        // In hard-wrapped text a name may run over a line break
        // ("Securities and\nExchange Commission"): search a copy where line
        // breaks are spaces (same byte offsets).
        let joined: String;
        let hay = if self.wrapped {
            joined = self.text.replace(['\n', '\r'], " ");
            joined.as_str()
        } else {
            self.text
        };
        // Names start at a capitalised word or a number ("1860 Munich"), so
        // the automata run anchored there instead of over all the text.
        let mut i = 0;
        while i < self.toks.len() {
            let t = self.toks[i];
            if t.is(Flags::GAZ_START)
                && let Some(e) = self.anchored_hit(hay, exact, &ex.exact_entry, i)
            {
                i = e;
            } else {
                i += 1;
            }
        }
        // Upper-cased names on upper-case lines, and on upper-case words
        // inside prose lines ("MOSCOW, March 3 (TASS) - ...").
        let mut i = 0;
        while i < self.toks.len() {
            let t = self.toks[i];
            let shouted = self.line_kind[t.line as usize] == LineKind::Upper
                || (t.is(Flags::ALLCAPS) && t.end - t.start >= 3);
            if shouted
                && t.is(Flags::GAZ_UPPER)
                && let Some(e) = self.anchored_hit(hay, upper, &ex.upper_entry, i)
            {
                i = e;
            } else {
                i += 1;
            }
        }
        // Keep the earliest, then longest, of overlapping hits.
        self.hits.sort_by_key(|h| (h.s, std::cmp::Reverse(h.e)));
        let mut end = 0;
        self.hits.retain(|h| {
            let keep = h.s >= end;
            if keep {
                end = h.e;
            }
            keep
        });
        for (k, h) in self.hits.iter().enumerate() {
            self.hit_at[h.s] = k as u32;
        }
    }

    /// The longest name of `ac` starting at token `i` and ending at a token
    /// end; pushes it as a hit and returns the token after it.
    pub(crate) fn anchored_hit(
        &mut self,
        hay: &str,
        ac: &AhoCorasick,
        entries: &[u32],
        i: usize,
    ) -> Option<usize> {
        let input = Input::new(hay)
            .range(self.toks[i].start..)
            .anchored(Anchored::Yes);
        let m = ac.find(input)?;
        let (s, e) = self.tok_range(m.start(), m.end())?;
        self.push_hit(s, e, *entries.get(m.pattern().as_usize())?);
        Some(e)
    }

    pub(crate) fn push_hit(&mut self, s: usize, e: usize, entry: u32) {
        self.hits.push(Hit { s, e, entry });
    }

    /// The hit starting at token `i`.
    pub fn hit(&self, i: usize) -> Option<Hit> {
        let k = *self.hit_at.get(i)?;
        (k != NONE).then(|| self.hits[k as usize])
    }

    pub fn entry_kind(&self, entry: u32) -> EntityKind {
        self.ex.entries[entry as usize].kind
    }

    pub fn entry_sub(&self, entry: u32) -> Sub {
        self.ex.entries[entry as usize].sub
    }

    pub(crate) fn push(&mut self, s: usize, e: usize, kind: Option<EntityKind>, conf: Conf) {
        if s < e {
            self.cands.push(Cand {
                s,
                e,
                kind,
                conf,
                entry: None,
            });
        }
    }

    pub(crate) fn push_hit_cand(&mut self, h: Hit) {
        let kind = self.entry_kind(h.entry);
        self.cands.push(Cand {
            s: h.s,
            e: h.e,
            kind: Some(kind),
            conf: Conf::Gaz,
            entry: Some(h.entry),
        });
    }

    /// Turns candidates into output spans: resolves overlaps, drops unknowns.
    pub(crate) fn finish(&mut self) {
        self.cands.sort_by_key(|c| (c.s, std::cmp::Reverse(c.e)));
        let mut last_end = 0;
        let mut spans = Vec::with_capacity(self.cands.len());
        for c in &self.cands {
            let Some(kind) = c.kind else { continue };
            if c.s < last_end {
                continue;
            }
            last_end = c.e;
            spans.push(Span {
                start: self.toks[c.s].start,
                end: self.toks[c.e - 1].end,
                kind,
                entry: c.entry,
            });
        }
        self.spans = spans;
    }
}
