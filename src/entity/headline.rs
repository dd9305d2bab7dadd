//! Lines where capitalisation says little: upper-case and title-case
//! headlines (only gazetteer hits and event names such as "U.S. OPEN" count),
//! datelines ("MONTAUK , New York 2006-08-23": the opening words are a
//! place) and wire markup (`<HARBOURSIDE LUMBER CORP>` is a company). Also
//! the dispatch of each line to these rules or to the prose rules.

use super::EntityKind;
use super::doc::{Conf, Doc, Hit, LineKind, ascii_lower};
use super::token::Flags;

impl Doc<'_> {
    pub(crate) fn find_cands(&mut self) {
        let mut i = 0;
        while i < self.toks.len() {
            let line = self.toks[i].line;
            let mut j = i;
            while j < self.toks.len() && self.toks[j].line == line {
                j += 1;
            }
            self.dateline_credit(i, j);
            let start = if self.dateline[line as usize] {
                self.dateline_place(i, j)
            } else {
                i
            };
            match self.line_kind[line as usize] {
                LineKind::Mixed => self.mixed_line(start, j),
                LineKind::Upper | LineKind::Title => self.shouted_line(start, j),
            }
            i = j;
        }
    }

    /// "MONTAUK , New York 2006-08-23": the words opening a dateline name a
    /// place. Returns where the rest of the line starts.
    pub(crate) fn dateline_place(&mut self, lo: usize, hi: usize) -> usize {
        let mut k = lo;
        while k < hi && self.toks[k].is_cap() {
            k += 1;
        }
        if k == lo || k - lo > 4 || self.hit(lo).is_some_and(|h| h.e >= k) {
            return lo;
        }
        if (lo..k).any(|x| self.stop_at(x) || self.is_org_head(x)) {
            return lo;
        }
        self.push(lo, k, Some(EntityKind::Place), Conf::Rule);
        k
    }

    /// "MEXICO CITY, March 5, 2021 (Meridian Wire) —", "WASHINGTON (AP) -":
    /// a capitalised name in parentheses between the place and date opening
    /// a line and a dash credits the news organisation that filed the story,
    /// known or not.
    pub(crate) fn dateline_credit(&mut self, lo: usize, hi: usize) {
        if lo >= hi || !self.toks[lo].is_cap() {
            return;
        }
        let limit = hi.min(lo + 12);
        let Some(open) = (lo..limit).find(|&k| self.w(k) == "(") else {
            return;
        };
        // Only date words may come before: "March 5, 2021", "Tuesday".
        if (lo..open).any(|k| {
            let t = self.toks[k];
            t.is(Flags::STOP) || (t.is(Flags::ALPHA) && !t.is_cap())
        }) {
            return;
        }
        let Some(close) = (open + 1..hi.min(open + 6)).find(|&k| self.w(k) == ")") else {
            return;
        };
        let dash = close + 1 < hi && matches!(self.w(close + 1), "-" | "--" | "—" | "–");
        if close == open + 1 || !dash || !(open + 1..close).all(|k| self.toks[k].is_cap()) {
            return;
        }
        self.push(open + 1, close, Some(EntityKind::Org), Conf::Rule);
    }

    /// `<HARBOURSIDE LUMBER CORP>`: wire copy marks company names with
    /// angle brackets. Returns the token after the closing bracket.
    pub(crate) fn bracketed_company(&mut self, i: usize, hi: usize) -> Option<usize> {
        if self.text.as_bytes()[self.toks[i].start] != b'<' {
            return None;
        }
        let close = (i + 1..hi.min(i + 9)).find(|&k| self.w(k) == ">")?;
        let (s, e) = (i + 1, close);
        let words = (s..e).filter(|&k| self.toks[k].is(Flags::ALPHA)).count();
        if words == 0 || !(s..e).all(|k| self.toks[k].is_cap() || !self.toks[k].is(Flags::ALPHA)) {
            return None;
        }
        // A lone short symbol is a ticker ("<AG>"), not a name.
        if e - s == 1 && self.w(s).len() <= 5 && self.hit(s).is_none() {
            return Some(close + 1);
        }
        self.push(s, e, Some(EntityKind::Org), Conf::Rule);
        Some(close + 1)
    }

    /// Upper-case or title-case line: gazetteer hits, and event names made of
    /// a known name and an event head ("U.S. OPEN", "BELGIAN GRAND PRIX").
    pub(crate) fn shouted_line(&mut self, lo: usize, hi: usize) {
        let mut k = lo;
        while k < hi {
            if let Some(next) = self.bracketed_company(k, hi) {
                k = next;
                continue;
            }
            if let Some(end) = self.shouted_event(k, hi) {
                self.push(k, end, Some(EntityKind::Other), Conf::Rule);
                k = end;
                continue;
            }
            if let Some(h) = self.hit(k) {
                if self.hit_ok_in_shouted(h) {
                    self.push_hit_cand(h);
                }
                k = h.e;
                continue;
            }
            k += 1;
        }
    }

    /// End of an event name starting at `k` in a shouted line: one to three
    /// words (the first a gazetteer hit or an uncommon word) and an event head.
    pub(crate) fn shouted_event(&self, k: usize, hi: usize) -> Option<usize> {
        if !self.toks[k].is_cap() || self.common_at(k) || self.hit(k).is_none() {
            return None;
        }
        let mut j = k;
        let mut words = 0;
        while j < hi && words < 4 {
            let t = self.toks[j];
            if !t.is_cap() {
                return None;
            }
            if j > k && self.is_event_head(j) {
                // "GRAND PRIX": two-word heads end one word later.
                let end = if j + 1 < hi && self.is_event_head(j + 1) {
                    j + 2
                } else {
                    j + 1
                };
                return Some(end);
            }
            if let Some(h) = self.hit(j) {
                // "BERLIN GRAND PRIX": a listed event ends the name.
                if j > k && self.entry_kind(h.entry) == EntityKind::Other {
                    return Some(h.e);
                }
                j = h.e;
            } else {
                if self.stop_at(j) {
                    return None;
                }
                j += 1;
            }
            words += 1;
        }
        None
    }

    /// An event head word in any case ("CUP", "Open", "CHAMPIONSHIP").
    pub(crate) fn is_event_head(&self, i: usize) -> bool {
        let w = self.w(i);
        if self.ex.lex.other_heads.contains(w) {
            return true;
        }
        let mut buf = [0u8; 32];
        let Some(lower) = ascii_lower(w, &mut buf) else {
            return false;
        };
        // Title-case the lower-cased word in place.
        let mut title = [0u8; 32];
        let n = lower.len();
        title[..n].copy_from_slice(lower.as_bytes());
        title[0] = title[0].to_ascii_uppercase();
        std::str::from_utf8(&title[..n]).is_ok_and(|t| self.ex.lex.other_heads.contains(t))
    }

    /// In upper-case or title lines only unambiguous gazetteer hits count.
    pub(crate) fn hit_ok_in_shouted(&self, h: Hit) -> bool {
        let w = self.span_text(h.s, h.e);
        h.e - h.s > 1 || !self.is_common(w)
    }
}
