//! Line and word facts of a document, computed once: which lines are prose,
//! upper-case or title-case headlines, or datelines; which capitalised words
//! are given names, titles, heads, function or common words; whether the
//! text is a wire sports report and whether it reads as English.

use super::doc::{Doc, LineKind};
use super::token::{self, Flags};

/// Sports whose name opens a wire headline ("SOCCER - ...").
const SPORTS: &[&str] = &[
    "SOCCER",
    "FOOTBALL",
    "CRICKET",
    "TENNIS",
    "GOLF",
    "BASEBALL",
    "BASKETBALL",
    "RUGBY",
    "ATHLETICS",
    "CYCLING",
    "BOXING",
    "HOCKEY",
    "ICE HOCKEY",
    "MOTOR RACING",
    "MOTORCYCLING",
    "MOTOCROSS",
    "RALLYING",
    "SWIMMING",
    "SKIING",
    "SAILING",
    "ROWING",
    "HORSE RACING",
    "SQUASH",
    "BADMINTON",
    "VOLLEYBALL",
    "HANDBALL",
    "SNOOKER",
    "NFL",
    "NBA",
    "NHL",
    "AMERICAN FOOTBALL",
    "TABLE TENNIS",
    "JUDO",
    "WRESTLING",
    "GYMNASTICS",
    "TRIATHLON",
    "CHESS",
    "DARTS",
    "POLO",
    "NORDIC SKIING",
    "ALPINE SKIING",
    "SPEED SKATING",
    "FIGURE SKATING",
    "RUGBY UNION",
    "RUGBY LEAGUE",
];

impl Doc<'_> {
    /// Looks up each capitalised word in the stop and common word lists once.
    pub(crate) fn mark_common_words(&mut self) {
        let map = &self.ex.lex.cap_table;
        for i in 0..self.toks.len() {
            let t = self.toks[i];
            if !t.is_cap() && !t.is(Flags::DIGIT) {
                continue;
            }
            let w = self.w(i);
            let mut flags = map.get(w);
            // "U.S.", "1. FC Koeln": names are also keyed by leading letters.
            let key = token::alnum_prefix(w);
            if key.len() < w.len() && !key.is_empty() {
                flags |= map.get(key) & (Flags::GAZ_START | Flags::GAZ_UPPER);
            }
            // "M." is an initial before a name, not "Monsieur".
            if t.is(Flags::INITIAL) && t.end - t.start == 2 {
                flags &= !Flags::TITLE;
            }
            if t.is(Flags::DIGIT) {
                flags &= Flags::GAZ_START | Flags::GAZ_UPPER;
            }
            self.toks[i].flags |= flags;
        }
    }

    /// "Lakeside Group Corp. Although ...": after a word ending in an
    /// abbreviation's period, a capitalised function word opens a sentence.
    pub(crate) fn abbreviation_ends(&mut self) {
        for i in 1..self.toks.len() {
            let (p, t) = (self.toks[i - 1], self.toks[i]);
            if t.is_cap()
                && !p.is(Flags::POSS)
                && p.is(Flags::ALPHA)
                && self.text[..p.end].ends_with('.')
                && p.line == t.line
                && self.stop_at(i)
            {
                self.toks[i].flags |= Flags::SENT_START;
            }
        }
    }

    pub(crate) fn classify_lines(&mut self) {
        let nlines = self.toks.last().map_or(0, |t| t.line as usize + 1);
        self.line_kind = vec![LineKind::Mixed; nlines];
        self.dateline = vec![false; nlines];
        let (mut all_lower, mut english) = (0usize, 0usize);
        let mut i = 0;
        while i < self.toks.len() {
            let line = self.toks[i].line;
            let mut j = i;
            let (mut alpha, mut lower, mut caps, mut cap, mut func) = (0, 0, 0, 0, 0);
            while j < self.toks.len() && self.toks[j].line == line {
                let t = self.toks[j];
                // Single letters ("W L PCT") say nothing about the case of a line.
                let short = t.end - t.start == 1 || (t.is(Flags::INITIAL) && t.end - t.start == 2);
                if t.is(Flags::ALPHA) && !t.is(Flags::POSS) && !short {
                    alpha += 1;
                    if t.is(Flags::LOWER) {
                        lower += 1;
                        all_lower += 1;
                        // English function words: what headlines leave in
                        // lower case, and the mark of English prose.
                        if !self.ex.lex.english.contains(self.w(j)) {
                            func += 100;
                        } else {
                            english += 1;
                        }
                    } else if t.is(Flags::ALLCAPS) {
                        caps += 1;
                    } else if t.is(Flags::CAP) {
                        cap += 1;
                        if j > i && self.stop_at(j) {
                            func += 1;
                        }
                    }
                }
                j += 1;
            }
            let kind = if caps > 0 && lower == 0 && caps * 10 >= (caps + cap) * 6 {
                LineKind::Upper
            } else if alpha >= 4 && (1..100).contains(&func) && cap >= 3 && lower * 3 <= alpha {
                LineKind::Title
            } else {
                LineKind::Mixed
            };
            self.line_kind[line as usize] = kind;
            // "LEEDS 2004-06-19", "MONTEREY , California 2006-08-23".
            let last = self.toks[j - 1];
            let w = self.w(j - 1);
            self.dateline[line as usize] = j - i <= 10
                && last.is(Flags::DIGIT)
                && w.len() >= 8
                && w.bytes().filter(|&b| b == b'-').count() == 2;
            i = j;
        }
        // English prose has "the", "of", "and"... among a fifth of its
        // lower-case words, German or Spanish prose "der", "und", "los"...
        // In another language capitalisation says less: no guessing there.
        self.english = all_lower < 30 || english * 100 >= all_lower * 6 || {
            // Rarely needed: count the other languages' function words.
            let foreign = (0..self.toks.len())
                .filter(|&j| {
                    let t = self.toks[j];
                    t.is(Flags::LOWER)
                        && t.end - t.start <= 4
                        && self.ex.lex.foreign.contains(self.w(j))
                })
                .count();
            foreign * 100 < all_lower * 8
        };
    }

    /// A wire sports report: the headline starts with "SPORT - ".
    pub(crate) fn is_sports(&self) -> bool {
        let Some(first_line_end) = self.text.find('\n') else {
            return false;
        };
        let head = &self.text[..first_line_end];
        let Some(dash) = head.find(" - ") else {
            return false;
        };
        let sport = head[..dash].trim();
        SPORTS.contains(&sport)
    }
}
