//! Candidate spans and their kinds: capitalised chunks split and typed by
//! titles, organisation/place/event heads, given names, initials and context
//! cues, around the gazetteer hits. Upper-case and title-case lines
//! (headlines, datelines) only take gazetteer hits and event names here;
//! `coref` adds what the rest of the document knows.

use super::EntityKind;
use super::doc::{Conf, Doc, Hit};
use super::gazetteer::Sub;
use super::token::Flags;

impl Doc<'_> {
    pub(crate) fn mixed_line(&mut self, lo: usize, hi: usize) {
        let mut i = lo;
        while i < hi {
            let t = self.toks[i];
            if let Some(next) = self.bracketed_company(i, hi) {
                i = next;
                continue;
            }
            // "C$", "HK$", "US$": currencies.
            if t.is_cap()
                && t.end - t.start <= 3
                && i + 1 < hi
                && self.toks[i + 1].start == t.end
                && self.w(i + 1) == "$"
            {
                self.push(i, i + 2, Some(EntityKind::Other), Conf::Rule);
                i += 2;
                continue;
            }
            if t.is(Flags::DIGIT)
                && let Some(h) = self.hit(i)
            {
                // "1860 Munich", "3M", "49ers".
                self.push_hit_cand(h);
                i = h.e;
                continue;
            }
            if !t.is_cap() {
                // "pro-Western", "anti-American", "post-Soviet", "neo-Nazi".
                if t.is(Flags::HYPHEN) && t.is(Flags::LOWER) && self.prefixed_name(i) {
                    self.push(i, i + 1, Some(EntityKind::Other), Conf::Rule);
                }
                i += 1;
                continue;
            }
            if t.is(Flags::HYPHEN) && self.hyphen_misc(i) {
                i += 1;
                continue;
            }
            // "New York-based", "St. Louis-based": a longer name glued.
            if let Some(k) = self.glued_name_end(i, hi) {
                self.push(i, k + 1, Some(EntityKind::Other), Conf::Rule);
                i = k + 1;
                continue;
            }
            let e = self.run_end(i, hi);
            self.classify_run(i, e);
            i = e.max(i + 1);
        }
    }

    /// "pro-Western": a prefix glued to a capitalised name.
    pub(crate) fn prefixed_name(&self, i: usize) -> bool {
        let w = self.w(i);
        let Some((prefix, rest)) = w.split_once('-') else {
            return false;
        };
        matches!(
            prefix,
            "pro" | "anti" | "post" | "neo" | "non" | "pre" | "ex" | "pan"
        ) && rest.starts_with(|c: char| c.is_uppercase())
            && rest.len() >= 3
            && !self.is_stop(rest)
    }

    /// Token `k` (one or two words after `i`) ends in "-based" or the like
    /// and the words from `i` up to its hyphen are a listed name.
    pub(crate) fn glued_name_end(&self, i: usize, hi: usize) -> Option<usize> {
        for k in i + 1..hi.min(i + 3) {
            let t = self.toks[k];
            if !t.is_cap() {
                return None;
            }
            if t.is(Flags::HYPHEN) && self.hyphen_tail_lower(k) {
                let w = self.w(k);
                let dash = w.rfind('-')?;
                let name = &self.text[self.toks[i].start..t.start + dash];
                return self.ex.surface.contains_key(name).then_some(k);
            }
        }
        None
    }

    /// "London-based", "EU-wide", "Iraqi-born": a known name glued to a
    /// lower-case word is a MISC token.
    pub(crate) fn hyphen_misc(&mut self, i: usize) -> bool {
        let w = self.w(i);
        let Some(dash) = w.rfind('-') else {
            return false;
        };
        let (head, tail) = (&w[..dash], &w[dash + 1..]);
        if !tail.starts_with(|c: char| c.is_lowercase()) || tail.len() < 3 {
            return false;
        }
        if self.ex.surface.contains_key(head) {
            self.push(i, i + 1, Some(EntityKind::Other), Conf::Rule);
            return true;
        }
        false
    }

    /// Words after which "of"/"for" continues a name: "Bank of England".
    pub(crate) fn of_head(&self, i: usize) -> bool {
        let w = self.w(i);
        self.is_org_head(i)
            || matches!(
                w,
                "Gulf"
                    | "Bay"
                    | "Isle"
                    | "Republic"
                    | "Cape"
                    | "Sea"
                    | "Strait"
                    | "Straits"
                    | "Kingdom"
                    | "Province"
                    | "City"
                    | "Cup"
                    | "Prize"
                    | "Festival"
                    | "Museum"
                    | "Tour"
                    | "Order"
                    | "Isles"
                    | "Islands"
                    | "Mountains"
                    | "Duke"
                    | "Prince"
                    | "Princess"
            )
    }

    /// End of the capitalised run starting at `i` (exclusive).
    pub(crate) fn run_end(&self, i: usize, hi: usize) -> usize {
        let mut j = i;
        while j < hi {
            if let Some(h) = self.hit(j) {
                j = h.e.min(hi);
                continue;
            }
            let t = self.toks[j];
            if t.is_cap() {
                if t.is(Flags::HYPHEN) && self.hyphen_tail_lower(j) {
                    // "St. Louis-based": the glued word ends the run.
                    if j == i {
                        j += 1;
                    }
                    break;
                }
                // "Lakeside Group Corp. Although ...": a new sentence.
                if j > i && t.is(Flags::SENT_START) {
                    break;
                }
                j += 1;
                continue;
            }
            if j > i && j + 1 < hi {
                let w = self.w(j);
                let next_cap = self.toks[j + 1].is_cap();
                // "Smith Barney and Co": "and" before a company suffix.
                let and_co =
                    w == "and" && matches!(self.w(j + 1), "Co" | "Co." | "Company" | "Sons");
                if next_cap && (self.is_particle(j) || w == "&" || and_co) {
                    j += 1;
                    continue;
                }
                if j + 2 < hi
                    && self.is_particle(j)
                    && self.is_particle(j + 1)
                    && self.toks[j + 2].is_cap()
                {
                    j += 2;
                    continue;
                }
                if matches!(w, "of" | "for") && self.of_head(j - 1) {
                    if next_cap && !self.stop_at(j + 1) {
                        j += 1;
                        continue;
                    }
                    if j + 2 < hi && self.w(j + 1) == "the" && self.toks[j + 2].is_cap() {
                        j += 2;
                        continue;
                    }
                }
            }
            break;
        }
        j
    }

    pub(crate) fn hyphen_tail_lower(&self, i: usize) -> bool {
        let w = self.w(i);
        w.rfind('-')
            .is_some_and(|d| w[d + 1..].starts_with(|c: char| c.is_lowercase()))
    }

    /// Index just past the gazetteer hit covering token `i`, if one does.
    pub(crate) fn covering_hit(&self, s: usize, i: usize) -> Option<Hit> {
        let mut k = s;
        while k <= i {
            if let Some(h) = self.hit(k) {
                if h.e > i {
                    return Some(h);
                }
                k = h.e;
            } else {
                k += 1;
            }
        }
        None
    }

    /// Types the capitalised run `s..e`, splitting it where needed.
    pub(crate) fn classify_run(&mut self, mut s: usize, e: usize) {
        // Leading function words: "The", "But", "In"...
        while s < e && self.hit(s).is_none() && self.stop_at(s) {
            s += 1;
        }
        if s >= e {
            return;
        }
        // Particles may not end a run ("de" at a run's edge), but a hit may
        // end in a lower-case token ("Lloyd 's").
        // Trailing function words go too ("Karl Lindgren Wednesday").
        let mut e = e;
        let hit_end = self.covering_hit(s, e - 1).map_or(s, |h| h.e);
        while e > s.max(hit_end)
            && (!self.toks[e - 1].is_cap()
                || (self.stop_at(e - 1) && !(e >= 2 + s && self.is_given(e - 2))))
        {
            // ("Theresa May" keeps its "May": it follows a given name.)
            e -= 1;
        }
        // Only company suffixes ("Co Inc" after "Smith Barney and"): nothing.
        if (s..e).all(|k| {
            matches!(
                self.w(k),
                "Co" | "Co."
                    | "Inc"
                    | "Inc."
                    | "Corp"
                    | "Corp."
                    | "Ltd"
                    | "Ltd."
                    | "Plc"
                    | "PLC"
                    | "LLC"
                    | "AG"
                    | "SA"
                    | "NV"
                    | "GmbH"
                    | "Cos"
            )
        }) {
            return;
        }
        if let Some(h) = self.hit(s)
            && h.e == e
        {
            self.push_hit_cand(h);
            return;
        }
        // "Ningxia Hui autonomous region", "Guizhou province": a place.
        if e < self.toks.len()
            && self.toks[e].is(Flags::LOWER)
            && matches!(
                self.w(e),
                "region"
                    | "province"
                    | "county"
                    | "district"
                    | "prefecture"
                    | "municipality"
                    | "autonomous"
                    | "state"
                    | "city"
                    | "island"
                    | "river"
                    | "valley"
                    | "governorate"
                    | "oblast"
                    | "township"
                    | "village"
                    | "town"
            )
            && !(s..e).any(|k| self.is_org_head(k) || self.is_title(k))
            && self
                .hit(s)
                .is_none_or(|h| h.e < e || self.entry_kind(h.entry) == EntityKind::Place)
        {
            self.push(s, e, Some(EntityKind::Place), Conf::Rule);
            return;
        }
        // "Hurricane Ottilie", "Cyclone Marnie": the storm's name.
        if s > 0 && e - s == 1 && matches!(self.w(s - 1), "Hurricane" | "Cyclone" | "Typhoon") {
            self.push(s, e, Some(EntityKind::Other), Conf::Rule);
            return;
        }
        if e - s == 2 && matches!(self.w(s), "Hurricane" | "Cyclone" | "Typhoon") {
            self.push(s + 1, e, Some(EntityKind::Other), Conf::Rule);
            return;
        }
        // "Minister of Finance Peter Lindqvist": a portfolio, then the person.
        let portfolio = (s >= 2 && self.w(s - 1) == "of" && self.is_title(s - 2))
            || (s >= 3 && self.w(s - 1) == "the" && self.w(s - 2) == "of" && self.is_title(s - 3));
        if portfolio && let Some(k) = (s + 1..e).find(|&k| self.person_start(k)) {
            self.hits_only(s, k);
            self.push(k, e, Some(EntityKind::Person), Conf::Rule);
            return;
        }
        // A title splits the run: "Spanish Fisheries Minister Ines de Olmedo".
        let mut person_cue = false;
        if let Some(k) = (s..e)
            .rev()
            .find(|&k| self.is_title(k) && self.covering_hit(s, k).is_none())
            .filter(|&k| self.name_after_title(k + 1, e))
            // "National Hockey Centre": a head word ending the run is no title.
            .filter(|&k| k + 1 < e || !self.is_org_head(k))
        {
            self.hits_only(s, k);
            s = k + 1;
            person_cue = true;
            if s >= e {
                return;
            }
        } else if s > 0 && self.is_title(s - 1) {
            person_cue = true;
        }
        // An organisation head anywhere: the whole run is the organisation.
        if !person_cue
            && let Some(h) = (s..e)
                .rev()
                .find(|&k| self.is_org_head(k) && self.covering_hit(s, k).is_none())
        {
            // A lone head word ("Police", "Cabinet") names nothing by itself.
            if e - s == 1 {
                return;
            }
            // "Jim Herald", "Mark Post": a given name and a surname that is
            // also a weak head word.
            if e - s == 2 && h == s + 1 && self.person_start(s) && !self.strong_head(h) {
                self.push(s, e, Some(EntityKind::Person), Conf::Rule);
                return;
            }
            let mut start = s;
            // "Mexican Foreign Ministry": the nationality stays apart.
            if let Some(hit) = self.hit(s)
                && self.entry_sub(hit.entry).contains(Sub::DEMONYM)
                && matches!(self.w(h), "Ministry" | "Office" | "Department")
                && hit.e < h
            {
                self.push_hit_cand(hit);
                start = hit.e;
            }
            self.push(start, e, Some(EntityKind::Org), Conf::Rule);
            return;
        }
        // Event heads: "French Open", "World Cup", "Grand Prix", "Tour of Spain".
        let of_event = (s + 1..e)
            .any(|k| self.w(k) == "of" && self.ex.lex.other_heads.contains(self.w(k - 1)));
        if !person_cue
            && e - s >= 2
            && (of_event || self.ex.lex.other_heads.contains(self.w(e - 1)))
            && self.covering_hit(s, e - 1).is_none()
        {
            self.push(s, e, Some(EntityKind::Other), Conf::Rule);
            return;
        }
        // Place cues: "Mount Kenya", "Mexico City", "Hudson River".
        if !person_cue && e - s >= 2 && self.covering_hit(s, e - 1).is_none() {
            let first = self.w(s);
            let last = self.w(e - 1);
            if matches!(
                first,
                "Mount" | "Lake" | "Cape" | "Fort" | "Port" | "Mt." | "Gulf"
            ) || (self.ex.lex.place_cues.contains(last) && !self.is_title(e - 1))
            {
                self.push(s, e, Some(EntityKind::Place), Conf::Rule);
                return;
            }
        }
        self.segment(s, e, person_cue);
    }

    /// Heads that make an organisation even after a given name.
    pub(crate) fn strong_head(&self, i: usize) -> bool {
        matches!(
            self.w(i),
            "Inc"
                | "Inc."
                | "Corp"
                | "Corp."
                | "Co"
                | "Co."
                | "Ltd"
                | "Ltd."
                | "Plc"
                | "PLC"
                | "plc"
                | "AG"
                | "SA"
                | "NV"
                | "GmbH"
                | "LLC"
                | "Group"
                | "Holdings"
                | "Bank"
                | "Party"
                | "Ministry"
                | "Council"
                | "University"
                | "Foundation"
                | "Institute"
                | "FC"
                | "Association"
                | "Corporation"
                | "Company"
                | "Agency"
                | "Commission"
                | "Committee"
                | "Federation"
                | "Union"
                | "League"
                | "Society"
        )
    }

    /// `s..e` can be the name a title announces: not "General Motors",
    /// "Justice Department" or "Major League".
    pub(crate) fn name_after_title(&self, s: usize, e: usize) -> bool {
        if s >= e {
            return true;
        }
        if self.ex.lex.other_heads.contains(self.w(e - 1)) {
            return false;
        }
        if let Some(h) = self.hit(s)
            && h.e == e
            && self.entry_kind(h.entry) == EntityKind::Org
        {
            return false;
        }
        !(s..e).any(|k| self.is_org_head(k) && self.covering_hit(s, k).is_none())
    }

    /// Pushes only the gazetteer hits inside `s..e` (title prefixes).
    pub(crate) fn hits_only(&mut self, s: usize, e: usize) {
        let mut k = s;
        while k < e {
            if let Some(h) = self.hit(k) {
                if h.e <= e {
                    self.push_hit_cand(h);
                }
                k = h.e;
            } else {
                k += 1;
            }
        }
    }
}
