//! Document-level reasoning: what one part of a document knows types the
//! rest. Acronyms defined in parentheses take the kind of their long form, a
//! bare surname after a full name is that person, names seen in running text
//! are found again in upper-case headlines, and unknown names get a default.

use super::EntityKind;
use super::doc::{Cand, Conf, Doc, LineKind};
use std::collections::hash_map::Entry;
use std::hash::Hasher;

use super::gazetteer::Sub;
use super::token::Flags;
use rustc_hash::{FxHashMap, FxHasher};

/// Longest name, in tokens, looked up again in upper-case lines.
const MAX_NGRAM: usize = 5;

/// What the document knows about a surface form.
#[derive(Debug, Clone, Copy)]
struct Known {
    kind: EntityKind,
    conf: Conf,
    /// The surname of someone the rules named in full.
    surname: bool,
}

fn learn<'a>(map: &mut FxHashMap<&'a str, Known>, key: &'a str, kind: EntityKind, conf: Conf) {
    map.entry(key)
        .and_modify(|k| {
            if k.conf < conf {
                k.kind = kind;
                k.conf = conf;
            }
        })
        .or_insert(Known {
            kind,
            conf,
            surname: false,
        });
}

/// Records the surname of a full name; a sure one also marks the entry.
fn learn_surname<'a>(map: &mut FxHashMap<&'a str, Known>, key: &'a str, sure: bool) {
    if !sure {
        learn(map, key, EntityKind::Person, Conf::Cue);
        return;
    }
    learn(map, key, EntityKind::Person, Conf::Rule);
    if let Some(k) = map.get_mut(key) {
        k.surname = true;
    }
}

/// Spreads kinds across the document and settles every unknown candidate.
pub(crate) fn propagate(doc: &mut Doc<'_>) {
    acronym_pairs(doc);
    // Round one: what rules and gazetteers are sure of.
    let known = known_names(doc, Conf::Cue);
    apply_known(doc, &known);
    // Unknown names inside sentences get a default kind...
    for i in 0..doc.cands.len() {
        let c = doc.cands[i];
        if c.kind.is_none() && !(c.e - c.s == 1 && doc.toks[c.s].is(Flags::SENT_START)) {
            doc.cands[i].kind = default_kind(doc, c);
        }
    }
    // ...and round two spreads those too (surnames of guessed full names).
    let known = known_names(doc, Conf::Guess);
    apply_known(doc, &known);
    shouted_lines(doc, &known);
    titled_companies(doc, &known);
    for i in 0..doc.cands.len() {
        let c = doc.cands[i];
        if c.kind.is_none() {
            doc.cands[i].kind = sentence_initial_kind(doc, c);
        }
    }
    sports_teams(doc);
}

/// Unknown or weakly typed candidates take what the document knows.
fn apply_known(doc: &mut Doc<'_>, known: &FxHashMap<&str, Known>) {
    for i in 0..doc.cands.len() {
        let c = doc.cands[i];
        // A sure kind changes only for a bare surname: no look-up.
        let sure = c.conf >= Conf::Rule && c.kind.is_some();
        if sure && (c.e - c.s != 1 || c.kind == Some(EntityKind::Person)) {
            continue;
        }
        let text = doc.span_text(c.s, c.e);
        let Some(k) = known.get(text) else { continue };
        // A bare surname of someone named in full is that person, even when
        // a gazetteer lists the word as a place ("Washington", "Jordan").
        if k.surname && c.e - c.s == 1 && c.kind != Some(EntityKind::Person) {
            doc.cands[i].kind = Some(EntityKind::Person);
            doc.cands[i].conf = Conf::Cue;
        } else if (c.conf < Conf::Rule && k.conf > c.conf) || c.kind.is_none() {
            doc.cands[i].kind = Some(k.kind);
            doc.cands[i].conf = Conf::Cue;
        }
    }
}

/// A capitalised word opening a sentence that nothing else typed: a name
/// only with a cue (a score after it, "said" after it) and when the document
/// never writes it in lower case.
fn sentence_initial_kind(doc: &Doc<'_>, c: Cand) -> Option<EntityKind> {
    let w = doc.w(c.s);
    if doc.is_wordish(w) {
        return None;
    }
    let kind = sports_kind(doc, c).or_else(|| reporting_kind(doc, c))?;
    // Only now (rarely) look for the word in lower case elsewhere.
    let lower = w.to_lowercase();
    if doc.text.contains(&format!(" {lower} ")) {
        return None;
    }
    Some(kind)
}

/// "Drug Enforcement Administration ( DEA )": the acronym takes the long
/// form's kind; an untyped long form with a matching acronym is an org.
fn acronym_pairs(doc: &mut Doc<'_>) {
    let n = doc.cands.len();
    for i in 0..n {
        let c = doc.cands[i];
        let (open, acr, close) = (c.e, c.e + 1, c.e + 2);
        if close >= doc.toks.len()
            || doc.w(open) != "("
            || doc.w(close) != ")"
            || !doc.toks[acr].is(Flags::ALLCAPS)
        {
            continue;
        }
        let long_kind = match c.kind {
            Some(k) => k,
            None if initials_match(doc, c.s, c.e, doc.w(acr)) => {
                doc.cands[i].kind = Some(EntityKind::Org);
                doc.cands[i].conf = Conf::Rule;
                EntityKind::Org
            }
            None => continue,
        };
        if long_kind == EntityKind::Person {
            continue;
        }
        if let Some(j) = doc.cands.iter().position(|x| x.s == acr) {
            if doc.cands[j].conf < Conf::Gaz {
                doc.cands[j].kind = Some(long_kind);
                doc.cands[j].conf = Conf::Rule;
            }
        } else {
            doc.cands.push(Cand {
                s: acr,
                e: acr + 1,
                kind: Some(long_kind),
                conf: Conf::Rule,
                entry: None,
            });
        }
    }
}

/// True when `acr` is made of the initials of the capitalised words s..e.
fn initials_match(doc: &Doc<'_>, s: usize, e: usize, acr: &str) -> bool {
    let mut letters = acr.chars().filter(|c| c.is_alphabetic());
    for k in s..e {
        if !doc.toks[k].is_cap() {
            continue;
        }
        let first = doc.w(k).chars().next();
        match letters.next() {
            Some(l) if Some(l) == first => {}
            _ => return false,
        }
    }
    letters.next().is_none()
}

/// Surface forms the document types with at least confidence `min`.
fn known_names<'a>(doc: &Doc<'a>, min: Conf) -> FxHashMap<&'a str, Known> {
    let mut map: FxHashMap<&'a str, Known> =
        FxHashMap::with_capacity_and_hasher(doc.cands.len() * 4, Default::default());
    for c in &doc.cands {
        let Some(kind) = c.kind else { continue };
        if c.conf < min || doc.line_of(c.s) != LineKind::Mixed {
            continue;
        }
        learn(&mut map, doc.span_text(c.s, c.e), kind, c.conf);
        // A company teaches its short names: "Bramblewood Industries Inc"
        // -> "Bramblewood Industries", "Bramblewood".
        if kind == EntityKind::Org
            && c.conf >= Conf::Rule
            && c.e - c.s >= 2
            && doc.is_org_head(c.e - 1)
            && !doc.is_org_head(c.s)
            && doc.toks[c.s].is_cap()
        {
            learn(&mut map, doc.span_text(c.s, c.e - 1), kind, Conf::Cue);
            if !doc.common_at(c.s) && !doc.is_title(c.s) {
                learn(&mut map, doc.w(c.s), kind, Conf::Cue);
            }
        }
        // A full name teaches its surname: "Karl Lindgren" -> "Lindgren".
        if kind == EntityKind::Person && c.e - c.s >= 2 {
            let last = c.e - 1;
            let sure = c.conf >= Conf::Rule;
            if !doc.toks[last].is(Flags::INITIAL) {
                let w = doc.w(last);
                learn_surname(&mut map, w, sure);
                // "Samir al-Hadidi" -> "Hadidi".
                if let Some((head, tail)) = w.split_once('-')
                    && head.len() <= 3
                    && head.starts_with(char::is_lowercase)
                {
                    learn_surname(&mut map, tail, sure);
                }
            }
            // "Zhao Minghui" ... "Zhao": Chinese names put the surname first.
            if c.e - c.s == 2 && !doc.toks[c.s].is(Flags::INITIAL) {
                learn(&mut map, doc.w(c.s), kind, Conf::Cue);
            }
            // "Anna van der Berg" -> "van der Berg"
            if let Some(p) = (c.s + 1..c.e).find(|&k| !doc.toks[k].is_cap()) {
                learn_surname(&mut map, doc.span_text(p, c.e), sure);
            }
        }
    }
    map
}

/// "General Lighting will ship ...": a title word that begins a company
/// name the document knows ("General Lighting Corp") made a false person.
fn titled_companies(doc: &mut Doc<'_>, known: &FxHashMap<&str, Known>) {
    for i in 0..doc.cands.len() {
        let c = doc.cands[i];
        if c.kind != Some(EntityKind::Person) || c.s == 0 || !doc.is_title(c.s - 1) {
            continue;
        }
        let wider = doc.span_text(c.s - 1, c.e);
        if known.get(wider).is_some_and(|k| k.kind == EntityKind::Org) {
            doc.cands[i].s = c.s - 1;
            doc.cands[i].kind = Some(EntityKind::Org);
            doc.cands[i].conf = Conf::Cue;
        }
    }
}

/// Hash of `s`, upper-cased first when `upcase`: `upper_hash(k, true) ==
/// upper_hash(s, false)` when `s == k.to_uppercase()`, without building the
/// upper-case string for ASCII.
fn upper_hash(s: &str, upcase: bool) -> u64 {
    if !s.is_ascii() {
        if upcase {
            let up = s.to_uppercase();
            if up.is_ascii() {
                return upper_hash(&up, false);
            }
            let mut h = FxHasher::default();
            for c in up.chars() {
                h.write_u32(u32::from(c));
            }
            return h.finish();
        }
        let mut h = FxHasher::default();
        for c in s.chars() {
            h.write_u32(u32::from(c));
        }
        return h.finish();
    }
    let mut h = FxHasher::default();
    for chunk in s.as_bytes().chunks(8) {
        let mut w = [0u8; 8];
        w[..chunk.len()].copy_from_slice(chunk);
        if upcase {
            w.make_ascii_uppercase();
        }
        h.write_u64(u64::from_le_bytes(w));
    }
    h.finish()
}

/// The known names by their upper-cased form: `get("SMITH")` finds what
/// the document knows of "Smith".
struct UpperKnown<'a> {
    map: FxHashMap<u64, (&'a str, Known)>,
}

impl<'a> UpperKnown<'a> {
    fn new(known: &FxHashMap<&'a str, Known>) -> UpperKnown<'a> {
        let mut map = FxHashMap::with_capacity_and_hasher(known.len(), Default::default());
        for (k, v) in known {
            // One letter is no name ("A", "I").
            if k.chars().nth(1).is_none() {
                continue;
            }
            // Of forms with the same upper case, one written exactly so
            // (the upper-case line repeats it) wins, then the one the
            // document is surest of, then the first in byte order: the
            // choice never depends on the order of the map.
            let rank = |form: &str, known: &Known| {
                let upper = !form.chars().any(char::is_lowercase);
                (upper, known.conf, std::cmp::Reverse(form.to_string()))
            };
            match map.entry(upper_hash(k, true)) {
                Entry::Vacant(slot) => {
                    slot.insert((*k, *v));
                }
                Entry::Occupied(mut slot) => {
                    let (held, held_known) = slot.get();
                    if rank(k, v) > rank(held, held_known) {
                        slot.insert((*k, *v));
                    }
                }
            }
        }
        UpperKnown { map }
    }

    /// What is known of a name whose upper case is exactly `s`.
    fn get(&self, s: &str) -> Option<&Known> {
        let (k, v) = self.map.get(&upper_hash(s, false))?;
        let same = if s.is_ascii() && k.is_ascii() {
            s.len() == k.len()
                && s.bytes()
                    .zip(k.bytes())
                    .all(|(a, b)| a == b.to_ascii_uppercase())
        } else {
            s.chars().eq(k.chars().flat_map(char::to_uppercase))
        };
        same.then_some(v)
    }
}

/// Upper-case and title-case lines: find names the document knows.
fn shouted_lines(doc: &mut Doc<'_>, known: &FxHashMap<&str, Known>) {
    if !doc.line_kind.iter().any(|k| *k != LineKind::Mixed) || known.is_empty() {
        return;
    }
    // Only upper-case lines need the upper-cased names.
    let upper = if doc.line_kind.contains(&LineKind::Upper) {
        UpperKnown::new(known)
    } else {
        UpperKnown {
            map: FxHashMap::default(),
        }
    };
    let mut covered = vec![false; doc.toks.len()];
    for c in &doc.cands {
        for slot in &mut covered[c.s..c.e] {
            *slot = true;
        }
    }
    let mut found = Vec::new();
    let mut i = 0;
    while i < doc.toks.len() {
        let lk = doc.line_of(i);
        if lk == LineKind::Mixed || covered[i] || !doc.toks[i].is_cap() {
            i += 1;
            continue;
        }
        let lookup = |s: &str| {
            if lk == LineKind::Upper {
                upper.get(s)
            } else {
                known.get(s)
            }
        };
        let line = doc.toks[i].line;
        let mut best = None;
        let mut e = i + 1;
        while e <= doc.toks.len() && e - i <= MAX_NGRAM {
            if covered[e - 1] || doc.toks[e - 1].line != line {
                break;
            }
            if let Some(k) = lookup(doc.span_text(i, e)) {
                best = Some((e, *k));
            }
            e += 1;
        }
        match best {
            Some((e, k)) => {
                let w = doc.span_text(i, e);
                if e - i > 1 || !doc.is_common(w) {
                    found.push(Cand {
                        s: i,
                        e,
                        kind: Some(k.kind),
                        conf: Conf::Cue,
                        entry: None,
                    });
                }
                i = e;
            }
            None => i += 1,
        }
    }
    doc.cands.extend(found);
}

/// An unknown name in a sports report's tables: a team before a score
/// ("Ashford 5 4 1 0 12 3 13"), a player before a minute ("( Dunmore
/// 70th )"), bowling figures ("Pemberton 21-4-57-2") or after "b"/"c" in a scorecard.
fn sports_kind(doc: &Doc<'_>, c: Cand) -> Option<EntityKind> {
    if !doc.sports || doc.toks[c.s].is(Flags::INITIAL) {
        return None;
    }
    let prev = if c.s > 0 { doc.w(c.s - 1) } else { "" };
    if matches!(prev, "b" | "c" | "st" | "lbw") {
        return Some(EntityKind::Person);
    }
    let next = doc.toks.get(c.e).filter(|t| t.is(Flags::DIGIT))?;
    let w = &doc.text[next.start..next.end];
    let ordinal = ["th", "st", "nd", "rd"].iter().any(|o| w.ends_with(o));
    let figures = w.bytes().filter(|&b| b == b'-').count() >= 2;
    if ordinal || figures {
        Some(EntityKind::Person)
    } else {
        Some(EntityKind::Org)
    }
}

/// The kind of a candidate nothing else typed.
fn default_kind(doc: &Doc<'_>, c: Cand) -> Option<EntityKind> {
    if !doc.english {
        return None;
    }
    if let Some(kind) = sports_kind(doc, c) {
        return Some(kind);
    }
    if c.e - c.s == 1 {
        // A lone unknown word is named in full nowhere in the document: no
        // person. Followed by "said" it is an organisation ("Zenith said");
        // without a cue it is left out.
        return reporting_kind(doc, c);
    }
    Some(EntityKind::Person)
}

/// A lone name before a reporting verb: a person after a quotation
/// ('" Lindgren said') or before "told"; otherwise an organisation ("Zenith said").
fn reporting_kind(doc: &Doc<'_>, c: Cand) -> Option<EntityKind> {
    if c.e >= doc.toks.len() {
        return None;
    }
    let after_quote = c.s > 0 && matches!(doc.w(c.s - 1), "\"" | "”" | "''");
    match doc.w(c.e) {
        "told" | "added" | "admitted" | "insisted" | "administration" => Some(EntityKind::Person),
        "said" | "says" if after_quote => Some(EntityKind::Person),
        "said" | "says" | "reported" | "announced" => Some(EntityKind::Org),
        _ => None,
    }
}

/// In sports reports a city or region is a club, not the place, unless it
/// is where something happens ("in Leicester", "Hove :", datelines).
fn sports_teams(doc: &mut Doc<'_>) {
    if !doc.sports {
        return;
    }
    for i in 0..doc.cands.len() {
        let c = doc.cands[i];
        if c.kind != Some(EntityKind::Place) {
            continue;
        }
        // Countries (national teams) and geographic features stay places.
        if let Some(entry) = c.entry
            && doc.entry_sub(entry).intersects(Sub::COUNTRY | Sub::GEO)
        {
            continue;
        }
        if doc.dateline[doc.toks[c.s].line as usize] {
            continue;
        }
        let prev = if c.s > 0 { doc.w(c.s - 1) } else { "" };
        if matches!(
            prev,
            "in" | "at"
                | "near"
                | "from"
                | "to"
                | "In"
                | "At"
                | "AT"
                | "IN"
                | "into"
                | "outside"
                | "of"
                | "the"
        ) {
            continue;
        }
        let next = doc.toks.get(c.e).map_or("", |_| doc.w(c.e));
        if matches!(next, ":" | "," | ")")
            && (c.s == 0 || doc.toks[c.s - 1].line != doc.toks[c.s].line || prev == "(")
        {
            // "Leicester : ..." venue lines and "( Spain )" nationalities.
            continue;
        }
        doc.cands[i].kind = Some(EntityKind::Org);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upper_case_line_finds_the_form_written_so_first() {
        let known_of = |forms: &[(&'static str, EntityKind, Conf)]| {
            let mut map: FxHashMap<&str, Known> = FxHashMap::default();
            for (form, kind, conf) in forms {
                learn(&mut map, form, *kind, *conf);
            }
            map
        };
        let known = known_of(&[
            ("Cray", EntityKind::Org, Conf::Rule),
            ("CRAY", EntityKind::Person, Conf::Guess),
            ("Dunmore", EntityKind::Place, Conf::Cue),
            ("DUNMORE", EntityKind::Org, Conf::Cue),
            ("Hale", EntityKind::Person, Conf::Cue),
            ("HALE", EntityKind::Org, Conf::Rule),
        ]);
        let upper = UpperKnown::new(&known);
        let kind = |s: &str| upper.get(s).map(|k| k.kind);
        assert_eq!(kind("CRAY"), Some(EntityKind::Person));
        assert_eq!(kind("DUNMORE"), Some(EntityKind::Org));
        assert_eq!(kind("HALE"), Some(EntityKind::Org));
        // Without an upper-case form, the surest mixed-case one.
        let known = known_of(&[
            ("Vale Group", EntityKind::Org, Conf::Rule),
            ("VAle Group", EntityKind::Person, Conf::Cue),
        ]);
        let upper = UpperKnown::new(&known);
        assert_eq!(
            upper.get("VALE GROUP").map(|k| k.kind),
            Some(EntityKind::Org)
        );
    }
}
