//! Gazetteers: the typed name lists (compiled in from `data/*.tsv` or read
//! from a user's TSV file) and the word lists that cue the rules (given names,
//! titles, organisation heads, place cues, common words).

use std::fmt;
use std::hash::Hasher;
use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use super::EntityKind;
use super::token::Flags;
use crate::lang::words::{self, FunctionWord, Uses};

/// Longest key stored inline in a [`WordFlags`] slot.
const INLINE: usize = 11;

/// One slot of [`WordFlags`]: a short key stored inline (`len` 0: empty).
#[derive(Clone, Copy, Default)]
#[repr(C)]
struct Slot {
    key: [u8; INLINE],
    len: u8,
    flags: Flags,
}

/// A read-only map from words to token flags, built once. Short words (the
/// most) sit inline in 16-byte slots of an open-addressing table, so a
/// look-up reads one cache line and chases no pointer; longer ones are in
/// an ordinary map.
#[derive(Default)]
pub(crate) struct WordFlags {
    slots: Vec<Slot>,
    /// Right shift that keeps the top bits of a hash as a slot index.
    shift: u32,
    long: FxHashMap<String, Flags>,
}

fn word_hash(b: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(b);
    h.finish()
}

impl WordFlags {
    pub(crate) fn new(map: &FxHashMap<String, Flags>) -> WordFlags {
        let short = map.keys().filter(|k| k.len() <= INLINE).count();
        // At most half full: probes stay short and always end.
        let size = (short * 2).next_power_of_two().max(16);
        let mut slots = vec![Slot::default(); size];
        let shift = 64 - size.trailing_zeros();
        let mut long = FxHashMap::default();
        for (k, &flags) in map {
            let b = k.as_bytes();
            if b.is_empty() || b.len() > INLINE {
                long.insert(k.clone(), flags);
                continue;
            }
            let mut i = (word_hash(b) >> shift) as usize;
            while slots[i].len != 0 {
                i = (i + 1) & (size - 1);
            }
            let slot = &mut slots[i];
            slot.key[..b.len()].copy_from_slice(b);
            slot.len = b.len() as u8;
            slot.flags = flags;
        }
        WordFlags { slots, shift, long }
    }

    /// The flags of `w` (0 when it is not listed).
    #[inline]
    pub(crate) fn get(&self, w: &str) -> Flags {
        let b = w.as_bytes();
        if b.is_empty() || b.len() > INLINE || self.slots.is_empty() {
            return self.long.get(w).copied().unwrap_or_default();
        }
        let mut key = [0u8; INLINE];
        key[..b.len()].copy_from_slice(b);
        let mask = self.slots.len() - 1;
        let mut i = (word_hash(b) >> self.shift) as usize;
        loop {
            let slot = &self.slots[i];
            if slot.len == 0 {
                return Flags::empty();
            }
            if usize::from(slot.len) == b.len() && slot.key == key {
                return slot.flags;
            }
            i = (i + 1) & mask;
        }
    }
}

bitflags::bitflags! {
    /// Sub-types of a gazetteer entry, finer than [`EntityKind`].
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub(crate) struct Sub: u8 {
        /// A sovereign country (a national team in sports text stays a place).
        const COUNTRY = 1;
        /// A sports team or club.
        const TEAM = 1 << 1;
        /// A nationality or demonym adjective ("Mexican").
        const DEMONYM = 1 << 2;
        /// A city, state or region.
        const CITY = 1 << 3;
        /// A geographic feature or area: sea, river, mountains, island group.
        const GEO = 1 << 4;
    }
}

/// One named entity of a gazetteer: canonical name, kind and aliases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GazEntry {
    pub name: String,
    pub kind: EntityKind,
    pub sub: Sub,
    pub aliases: Vec<String>,
}

/// A list of known names with their kinds and aliases.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    pub(crate) entries: Vec<GazEntry>,
}

/// A bad line in a gazetteer file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GazetteerError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for GazetteerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gazetteer line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for GazetteerError {}

/// The compiled-in typed lists.
/// Later files override earlier ones where a name repeats.
const BUILTIN_TSV: &[&str] = &[
    include_str!("data/places.tsv"),
    include_str!("data/orgs.tsv"),
    include_str!("data/other.tsv"),
    include_str!("data/cities.tsv"),
    include_str!("data/countries.tsv"),
    include_str!("data/nationalities.tsv"),
    include_str!("data/misc_extra.tsv"),
    include_str!("data/orgs_extra.tsv"),
    include_str!("data/teams.tsv"),
];

/// Reads a type column: an [`EntityKind`] name or a finer sub-type word.
fn parse_type(s: &str) -> Option<(EntityKind, Sub)> {
    if let Some(k) = EntityKind::from_name(s) {
        return Some((k, Sub::empty()));
    }
    let lower = s.trim().to_ascii_lowercase();
    let r = match lower.as_str() {
        "country" | "nation" => (EntityKind::Place, Sub::COUNTRY),
        "city" | "capital" | "town" | "state" | "province" | "region" | "county" => {
            (EntityKind::Place, Sub::CITY)
        }
        "continent" | "island" | "river" | "mountain" | "sea" | "lake" | "geo" => {
            (EntityKind::Place, Sub::GEO)
        }
        "team" | "club" => (EntityKind::Org, Sub::TEAM),
        "company" | "party" | "agency" | "media" | "institution" | "union" => {
            (EntityKind::Org, Sub::empty())
        }
        "nationality" | "demonym" => (EntityKind::Other, Sub::DEMONYM),
        "event" | "language" | "religion" | "product" | "award" | "work" => {
            (EntityKind::Other, Sub::empty())
        }
        _ => return None,
    };
    Some(r)
}

impl Gazetteer {
    /// The compiled-in lists (places, organisations, teams, nationalities...).
    pub fn builtin() -> Gazetteer {
        let mut g = Gazetteer::default();
        for text in BUILTIN_TSV {
            // The built-in files are tested to parse; a bad line is skipped.
            g.extend(Gazetteer::parse_lenient(text));
        }
        g
    }

    /// The built-in lists extended, and overridden where a name repeats, by
    /// a user's TSV file; a bad line is an error naming the file and line.
    pub fn builtin_with_file(file: &Path) -> crate::Result<Gazetteer> {
        let text = std::fs::read_to_string(file).map_err(|e| crate::Error::io(file, e))?;
        let user = Gazetteer::parse_tsv(&text).map_err(|e| crate::Error::File {
            path: file.to_path_buf(),
            message: e.to_string(),
        })?;
        let mut gazetteer = Gazetteer::builtin();
        gazetteer.extend(user);
        Ok(gazetteer)
    }

    /// Parses a `name<TAB>type<TAB>alias|alias` file. Blank lines and lines
    /// starting with '#' are ignored; the alias column is optional.
    pub fn parse_tsv(text: &str) -> Result<Gazetteer, GazetteerError> {
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if let Some(e) = parse_line(line).map_err(|message| GazetteerError {
                line: i + 1,
                message,
            })? {
                entries.push(e);
            }
        }
        Ok(Gazetteer { entries })
    }

    /// Like [`Gazetteer::parse_tsv`] but skips bad lines.
    fn parse_lenient(text: &str) -> Gazetteer {
        let entries = text
            .lines()
            .filter_map(|l| parse_line(l).ok().flatten())
            .collect();
        Gazetteer { entries }
    }

    /// Adds `other`'s entries; an entry with the same name, or whose name or
    /// alias is an existing name or alias, replaces the old meaning of it.
    pub fn extend(&mut self, other: Gazetteer) {
        if self.entries.is_empty() {
            self.entries = other.entries;
            return;
        }
        let mut by_surface: FxHashMap<String, usize> = FxHashMap::default();
        for (i, e) in self.entries.iter().enumerate() {
            by_surface.insert(e.name.clone(), i);
            for a in &e.aliases {
                by_surface.entry(a.clone()).or_insert(i);
            }
        }
        let mut removed = vec![false; self.entries.len()];
        for mut e in other.entries {
            let surfaces: Vec<String> = std::iter::once(&e.name)
                .chain(e.aliases.iter())
                .cloned()
                .collect();
            for s in &surfaces {
                if let Some(&i) = by_surface.get(s) {
                    if i >= removed.len() || removed[i] {
                        continue;
                    }
                    if self.entries[i].name == *s {
                        // Same name: the new entry replaces the old one's
                        // kind and keeps its aliases too.
                        removed[i] = true;
                        let old: Vec<String> = self.entries[i].aliases.clone();
                        for alias in old {
                            if alias != e.name && !e.aliases.contains(&alias) {
                                e.aliases.push(alias);
                            }
                        }
                    } else {
                        // Only an alias collides: the old entry loses it.
                        self.entries[i].aliases.retain(|a| a != s);
                    }
                }
            }
            let idx = self.entries.len();
            by_surface.insert(e.name.clone(), idx);
            for a in &e.aliases {
                by_surface.insert(a.clone(), idx);
            }
            self.entries.push(e);
            removed.push(false);
        }
        let mut i = 0;
        self.entries.retain(|_| {
            let keep = !removed[i];
            i += 1;
            keep
        });
    }

    /// Every entry: canonical name, kind and aliases.
    pub fn names(&self) -> impl Iterator<Item = (&str, EntityKind, &[String])> {
        self.entries
            .iter()
            .map(|e| (e.name.as_str(), e.kind, e.aliases.as_slice()))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The kind of a name or alias, if listed (exact, case-sensitive).
    pub fn kind_of(&self, name: &str) -> Option<EntityKind> {
        self.entries
            .iter()
            .find(|e| e.name == name || e.aliases.iter().any(|a| a == name))
            .map(|e| e.kind)
    }
}

/// Parses one TSV line: `Ok(None)` for blank and comment lines.
fn parse_line(line: &str) -> Result<Option<GazEntry>, String> {
    let line = line.trim_end_matches(['\r', '\n']);
    if line.trim().is_empty() || line.trim_start().starts_with('#') {
        return Ok(None);
    }
    let mut cols = line.split('\t');
    let name = cols.next().unwrap_or("").trim();
    if name.is_empty() {
        return Err("empty name".to_string());
    }
    let ty = cols
        .next()
        .ok_or_else(|| format!("missing type column after {name:?} (use a TAB)"))?;
    let (kind, sub) = parse_type(ty)
        .ok_or_else(|| format!("unknown type {:?} (person, org, place or other)", ty.trim()))?;
    let aliases: Vec<String> = match cols.next() {
        Some(a) => a
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != name)
            .map(str::to_string)
            .collect(),
        None => Vec::new(),
    };
    if cols.next().is_some_and(|c| !c.trim().is_empty()) {
        return Err("too many columns (expected name, type, aliases)".to_string());
    }
    Ok(Some(GazEntry {
        name: name.to_string(),
        kind,
        sub,
        aliases,
    }))
}

/// Word lists that cue the rules; all compiled in.
pub(crate) struct Lexicon {
    pub given: FxHashSet<&'static str>,
    pub particles: FxHashSet<&'static str>,
    pub titles: FxHashSet<&'static str>,
    pub org_heads: FxHashSet<&'static str>,
    pub place_cues: FxHashSet<&'static str>,
    pub other_heads: FxHashSet<&'static str>,
    /// Lower-case common words: a capitalised one at a sentence start is no name.
    pub common: FxHashSet<&'static str>,
    /// Words never returned as (the start of) an entity: "The", "Monday", "I".
    pub stop: FxHashSet<&'static str>,
    /// English function words: left lower case in title-case headlines,
    /// and the mark of English prose.
    pub english: FxHashSet<&'static str>,
    /// Short function words of other languages, the mark of prose in them.
    pub foreign: FxHashSet<&'static str>,
    /// Token flags of capitalised words (given name, title, head, stop or
    /// common word in lower, title and upper case): one look-up per word.
    pub cap_flags: FxHashMap<String, Flags>,
    /// `cap_flags` in a table made for fast look-ups (see [`WordFlags`]).
    pub cap_table: WordFlags,
    /// Token flags of words as listed (given name, title, head, particle,
    /// stop or common word): one look-up for a word without capitals.
    pub lower_flags: WordFlags,
}

fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The function words of the rows `keep` selects.
fn function_words(keep: impl Fn(&FunctionWord) -> bool) -> FxHashSet<&'static str> {
    words::all()
        .iter()
        .filter(|w| keep(w))
        .map(|w| w.word)
        .collect()
}

fn set(texts: &[&'static str]) -> FxHashSet<&'static str> {
    texts.iter().flat_map(|t| lines(t)).collect()
}

impl Lexicon {
    pub fn builtin() -> Lexicon {
        Lexicon {
            given: set(&[
                include_str!("data/given_names.txt"),
                include_str!("data/given_names_extra.txt"),
            ]),
            particles: set(&[
                include_str!("data/surname_particles.txt"),
                include_str!("data/particles_extra.txt"),
            ]),
            titles: set(&[
                include_str!("data/person_titles.txt"),
                include_str!("data/titles_extra.txt"),
            ]),
            org_heads: set(&[
                include_str!("data/org_heads.txt"),
                include_str!("data/org_heads_extra.txt"),
            ]),
            place_cues: set(&[
                include_str!("data/place_cues.txt"),
                include_str!("data/place_cues_extra.txt"),
            ]),
            other_heads: set(&[include_str!("data/other_heads.txt")]),
            common: set(&[include_str!("data/common_words.txt")]),
            stop: function_words(|w| w.uses.contains(Uses::STOP)),
            english: function_words(|w| w.uses.contains(Uses::PROSE) && w.lang == "en"),
            foreign: function_words(|w| w.uses.contains(Uses::PROSE) && w.lang != "en"),
            cap_flags: FxHashMap::default(),
            cap_table: WordFlags::default(),
            lower_flags: WordFlags::default(),
        }
        .with_cap_flags()
    }

    fn with_cap_flags(mut self) -> Lexicon {
        let mut map: FxHashMap<String, Flags> = FxHashMap::default();
        let mut add = |w: String, f: Flags| *map.entry(w).or_default() |= f;
        for w in &self.given {
            add(w.to_string(), Flags::GIVEN);
        }
        for w in &self.titles {
            add(w.to_string(), Flags::TITLE);
        }
        for w in &self.org_heads {
            add(w.to_string(), Flags::ORG_HEAD);
        }
        for w in &self.particles {
            add(w.to_string(), Flags::PARTICLE);
        }
        let cased = |w: &str| -> [String; 3] {
            let mut cs = w.chars();
            let title = match cs.next() {
                Some(c) => c.to_uppercase().chain(cs).collect(),
                None => String::new(),
            };
            [w.to_lowercase(), title, w.to_uppercase()]
        };
        for (set, f) in [
            (&self.stop, Flags::STOPWORD | Flags::COMMON),
            (&self.common, Flags::COMMON),
        ] {
            for w in set {
                for v in cased(w) {
                    add(v, f);
                }
            }
        }
        self.cap_flags = map;
        let mut lower: FxHashMap<String, Flags> = FxHashMap::default();
        for (set, f) in [
            (&self.given, Flags::GIVEN),
            (&self.titles, Flags::TITLE),
            (&self.org_heads, Flags::ORG_HEAD),
            (&self.particles, Flags::PARTICLE),
            (&self.stop, Flags::STOPWORD | Flags::COMMON),
            (&self.common, Flags::COMMON),
        ] {
            for w in set {
                *lower.entry(w.to_string()).or_default() |= f;
            }
        }
        self.lower_flags = WordFlags::new(&lower);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_name_their_line() {
        let text = "# comment\n\nAcme Widgets\torg\tAcme|AW\nBadLine\n";
        let err = Gazetteer::parse_tsv(text).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.to_string().contains("line 4"), "{err}");
        let err = Gazetteer::parse_tsv("Foo\tplanet\n").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.message.contains("planet"));
    }

    #[test]
    fn parse_types_and_aliases() {
        let g = Gazetteer::parse_tsv("Acme Widgets\torganisation\tAcme|AW\nZorg\tLOC\n").unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g.kind_of("AW"), Some(EntityKind::Org));
        assert_eq!(g.kind_of("Zorg"), Some(EntityKind::Place));
        assert_eq!(g.entries[0].aliases, vec!["Acme", "AW"]);
    }

    #[test]
    fn extend_overrides_names_and_aliases() {
        let mut g = Gazetteer::parse_tsv("Jordan\tplace\nGeorgia\tplace\tGA\n").unwrap();
        let user = Gazetteer::parse_tsv("Jordan\tperson\nGreen Apple\torg\tGA\n").unwrap();
        g.extend(user);
        assert_eq!(g.kind_of("Jordan"), Some(EntityKind::Person));
        assert_eq!(g.kind_of("GA"), Some(EntityKind::Org));
        assert_eq!(g.kind_of("Georgia"), Some(EntityKind::Place));
        assert_eq!(g.len(), 3);
    }

    #[test]
    fn word_flags_table_matches_its_map() {
        let mut map: FxHashMap<String, Flags> = FxHashMap::default();
        for (i, w) in ["The", "U", "Bank", "Rodríguez", "Internationalisation", "x"]
            .iter()
            .enumerate()
        {
            map.insert(w.to_string(), Flags::from_bits_retain(1 << i));
        }
        let t = WordFlags::new(&map);
        for (w, f) in &map {
            assert_eq!(t.get(w), *f, "{w}");
        }
        for w in ["", "the", "Banks", "Rodrigue", "Internationalisatio", "é"] {
            assert_eq!(t.get(w), Flags::empty(), "{w}");
        }
        // The built-in lexicon: every listed word keeps its flags.
        let lex = Lexicon::builtin();
        let t = WordFlags::new(&lex.cap_flags);
        assert!(lex.cap_flags.iter().all(|(w, f)| t.get(w) == *f));
    }

    #[test]
    fn builtin_files_parse() {
        for (i, text) in BUILTIN_TSV.iter().enumerate() {
            if let Err(e) = Gazetteer::parse_tsv(text) {
                panic!("builtin file {i}: {e}");
            }
        }
        assert!(Gazetteer::builtin().len() > 100);
    }
}
