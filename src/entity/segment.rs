//! Inside a capitalised run: gazetteer hits split it, adjacent hits merge
//! ("Bosnian Serb", "Feyenoord Rotterdam", "Western Ukraine"), given names
//! absorb listed surnames ("Dana Jordan"), and the unknown stretches
//! between hits are typed: people (given names, initials, titles,
//! particles), products and club names after an organisation, or left
//! unknown for the document-level rules.

use super::EntityKind;
use super::doc::{Conf, Doc, Hit, ascii_lower, looks_like_word};
use super::gazetteer::Sub;
use super::token::Flags;

/// "one" to "twenty", "hundred", "thousand", in any case.
fn is_number_word(w: &str) -> bool {
    let mut buf = [0u8; 32];
    ascii_lower(w, &mut buf).is_some_and(|l| {
        matches!(
            l,
            "one"
                | "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
                | "ten"
                | "eleven"
                | "twelve"
                | "thirteen"
                | "fourteen"
                | "fifteen"
                | "sixteen"
                | "seventeen"
                | "eighteen"
                | "nineteen"
                | "twenty"
                | "hundred"
                | "thousand"
        )
    })
}

impl Doc<'_> {
    /// Splits `s..e` at gazetteer hits and types the stretches between.
    pub(crate) fn segment(&mut self, s: usize, e: usize, person_cue: bool) {
        let mut k = s;
        let mut stretch = s;
        let mut prev_hit: Option<Hit> = None;
        while k < e {
            let Some(h) = self.hit(k).filter(|h| h.e <= e) else {
                k += 1;
                continue;
            };
            // "Christian Ashby", "Jordan Pryce": a listed word that is
            // also a given name, followed by an unknown name.
            if stretch == k
                && h.e - h.s == 1
                && h.e < e
                && self.is_given(h.s)
                && self.hit(h.e).is_none()
                && !self.common_at(h.e)
                && !self.is_org_head(h.e)
            {
                let mut end = h.e;
                while end < e && self.hit(end).is_none() && self.toks[end].is_cap() {
                    end += 1;
                }
                self.push(h.s, end, Some(EntityKind::Person), Conf::Rule);
                prev_hit = None;
                k = end;
                stretch = k;
                continue;
            }
            if stretch == k
                && let Some(p) = prev_hit
                && p.e == h.s
                && let Some(kind) = self.merge_hits(p, h)
                && let Some(c) = self.cands.last_mut()
                && c.s == p.s
                && c.e == p.e
            {
                // "Feyenoord Rotterdam", "Bosnian Serb", "Toyota Australia".
                c.e = h.e;
                c.kind = Some(kind);
                c.conf = Conf::Rule;
                c.entry = None;
                prev_hit = None;
                k = h.e;
                stretch = k;
                continue;
            }
            if stretch + 1 == k
                && self.entry_kind(h.entry) == EntityKind::Place
                && matches!(
                    self.w(stretch),
                    "North"
                        | "South"
                        | "East"
                        | "West"
                        | "Northern"
                        | "Southern"
                        | "Eastern"
                        | "Western"
                        | "Central"
                        | "Upper"
                        | "Lower"
                        | "Greater"
                        | "Inner"
                        | "Outer"
                        | "Lesser"
                        | "Little"
                        | "Great"
                )
            {
                // "North Sydney", "Western Australia": a directional place.
                self.push(stretch, h.e, Some(EntityKind::Place), Conf::Rule);
                prev_hit = None;
                k = h.e;
                stretch = k;
                continue;
            }
            if stretch < k {
                let kind = self.entry_kind(h.entry);
                let glued_end = h.e == e || !self.toks[h.e].is_cap();
                if h.e - h.s == 1 && glued_end && (person_cue || self.person_start(stretch)) {
                    // "Owen Hudson", "Dana Jordan": a surname that is listed.
                    self.push(stretch, h.e, Some(EntityKind::Person), Conf::Rule);
                    prev_hit = None;
                    k = h.e;
                    stretch = k;
                    continue;
                }
                if kind == EntityKind::Place && !person_cue && self.org_prefix(stretch, k) {
                    // "Sparta Rotterdam", "Radio Moscow": a word glued to a place.
                    self.push(stretch, h.e, Some(EntityKind::Org), Conf::Cue);
                    prev_hit = None;
                    k = h.e;
                    stretch = k;
                    continue;
                }
                self.stretch(stretch, k, person_cue, prev_hit);
            }
            self.push_hit_cand(h);
            prev_hit = Some(h);
            k = h.e;
            stretch = k;
        }
        if stretch < e {
            self.stretch(stretch, e, person_cue, prev_hit);
        }
    }

    /// The kind of two adjacent hits read as one name, if they merge.
    pub(crate) fn merge_hits(&self, a: Hit, b: Hit) -> Option<EntityKind> {
        let (ka, kb) = (self.entry_kind(a.entry), self.entry_kind(b.entry));
        match (ka, kb) {
            (EntityKind::Org, EntityKind::Place) if b.e - b.s == 1 => Some(EntityKind::Org),
            // "Western Ukraine", "Eastern Europe".
            (_, EntityKind::Place)
                if a.e - a.s == 1
                    && matches!(self.w(a.s), "Western" | "Eastern" | "Northern" | "Southern") =>
            {
                Some(EntityKind::Place)
            }
            (EntityKind::Other, EntityKind::Other)
                if self.entry_sub(a.entry).contains(Sub::DEMONYM) =>
            {
                Some(EntityKind::Other)
            }
            // "Scottish Labour Party", "Irish Republican Army".
            (EntityKind::Other, EntityKind::Org)
                if self.entry_sub(a.entry).contains(Sub::DEMONYM)
                    && matches!(self.w(b.e - 1), "Party" | "Army" | "Front" | "Movement") =>
            {
                Some(EntityKind::Org)
            }
            _ => None,
        }
    }

    /// Token `i` can start a personal name: an initial or a given name.
    pub(crate) fn person_start(&self, i: usize) -> bool {
        let t = self.toks[i];
        let w = self.w(i);
        if t.is(Flags::INITIAL) {
            return w.len() <= 4 || w.as_bytes().get(2).is_some_and(u8::is_ascii_uppercase);
        }
        self.is_given(i) && !(t.is(Flags::SENT_START) && self.common_at(i))
    }

    /// `s..e` (no hit inside) can prefix a place to name an organisation.
    pub(crate) fn org_prefix(&self, s: usize, e: usize) -> bool {
        if e - s > 2 {
            return false;
        }
        (s..e).all(|k| {
            let w = self.w(k);
            let t = self.toks[k];
            t.is_cap()
                && !t.is(Flags::INITIAL)
                && !self.common_at(k)
                && !self.is_given(k)
                && !self.is_title(k)
                && w.chars().count() > 1
        })
    }

    /// Types a capitalised stretch with no gazetteer hit inside.
    pub(crate) fn stretch(&mut self, mut s: usize, e: usize, person_cue: bool, prev: Option<Hit>) {
        // A sentence-initial common word is no name: "Sheep have...".
        if s < e
            && !person_cue
            && self.toks[s].is(Flags::SENT_START)
            && self.common_at(s)
            && !self.is_given(s)
        {
            s += 1;
        }
        // "State Maria Costa" (after "Secretary of"): common words before a
        // given name are no part of the name.
        while s + 1 < e && self.common_at(s) && !self.is_given(s) && self.person_start(s + 1) {
            s += 1;
        }
        if s >= e {
            return;
        }
        let n = e - s;
        let t = self.toks[s];
        let first = self.w(s);
        // An organisation hit glued to unknown words: a product ("Toyota
        // Celica") or, for a club, the club's full name ("Roda JC Kerkrade").
        if let Some(p) = prev
            && p.e == s
            && n <= 2
            && self.entry_kind(p.entry) == EntityKind::Org
            && p.e - p.s == 1
            && !person_cue
            && (s..e).all(|k| {
                let w = self.w(k);
                !self.common_at(k)
                    && !self.is_org_head(k)
                    && !self.ex.lex.place_cues.contains(w)
                    && !self.is_given(k)
                    && !self.toks[k].is(Flags::ALLCAPS)
            })
            && let Some(c) = self.cands.last_mut()
            && c.s == p.s
            && c.e == p.e
        {
            let team = self.ex.entries[p.entry as usize].sub.contains(Sub::TEAM);
            c.e = e;
            c.kind = Some(if team {
                EntityKind::Org
            } else {
                EntityKind::Other
            });
            c.conf = Conf::Cue;
            c.entry = None;
            return;
        }
        // A place hit glued to unknown words: "Boston Celtics", "New York Newsdesk".
        if let Some(p) = prev
            && p.e == s
            && self.entry_kind(p.entry) == EntityKind::Place
            && !self.is_given(s)
            && !t.is(Flags::INITIAL)
            && !person_cue
            && !self.common_at(s)
            && let Some(c) = self.cands.last_mut()
            && c.s == p.s
            && c.e == p.e
        {
            c.e = e;
            c.kind = Some(EntityKind::Org);
            c.conf = Conf::Cue;
            c.entry = None;
            return;
        }
        if n == 1 {
            if (t.is(Flags::INITIAL) && first.len() <= 4) || first.chars().count() == 1 {
                return;
            }
            if self.common_at(s) && !person_cue {
                return;
            }
            if person_cue {
                self.push(s, e, Some(EntityKind::Person), Conf::Rule);
            } else if t.is(Flags::ALLCAPS) {
                // Acronyms are short; a long upper-case word is shouting
                // ("INDICATORS - ..."), and so is a topic tag before a dash.
                let tag = s + 1 < self.toks.len() && matches!(self.w(s + 1), "-" | "--" | "—");
                let letters = first.chars().filter(|c| c.is_alphabetic()).count();
                let digits = first.chars().any(|c| c.is_ascii_digit());
                // Roman numerals ("Super Bowl LI", "World War II") neither.
                let roman = first
                    .chars()
                    .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'));
                if letters <= 5 && !digits && !tag && !roman {
                    self.push(s, e, Some(EntityKind::Org), Conf::Cue);
                }
            } else {
                self.push(s, e, None, Conf::Guess);
            }
            return;
        }
        // "Pay Day Six": a number word ends no name.
        if is_number_word(self.w(e - 1)) {
            return;
        }
        let given = self.is_given(s);
        // Particles make a name in English text ("Ines de Olmedo"); in a
        // German one "Zahl der Anträge" is no person.
        let particles = self.english && (s..e).any(|k| !self.toks[k].is_cap());
        // "N.Z. Dlrs": an initial before common words only is no name.
        let all_common = (s + 1..e).all(|k| self.common_at(k));
        if t.is(Flags::INITIAL) && all_common {
            return;
        }
        if t.is(Flags::INITIAL) || given || person_cue || particles {
            // "Tara Lindqvist Releases Brave New Album": a title-case headline
            // runs on after the name; common words end it.
            let mut end = e;
            if e - s >= 4
                && let Some(k) = (s + 2..e).find(|&k| self.common_at(k) && !self.is_given(k))
            {
                end = k;
            }
            self.push(s, end, Some(EntityKind::Person), Conf::Rule);
        } else if (s..e).any(|k| self.common_at(k) || looks_like_word(self.w(k))) {
            // "Citizen Protection", "Foreign Relations": capitalised words.
        } else {
            self.push(s, e, None, Conf::Guess);
        }
    }
}
