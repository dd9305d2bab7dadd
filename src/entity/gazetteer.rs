//! Gazetteers: the typed name lists (compiled in from `data/*.tsv` or read
//! from a user's TSV file) and the word lists that cue the rules (given names,
//! titles, organisation heads, place cues, common words).

use std::fmt;
use std::hash::Hasher;
use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use super::EntityKind;
use super::token::Flags;
use super::tsv;
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

/// The compiled-in typed lists (`data/*.tsv`), parsed and merged by the
/// build script: later files override earlier ones where a name repeats.
mod builtin {
    /// One entry: name (byte range of `TEXT`), type (index of `TYPES`),
    /// aliases (index range of `ALIASES`).
    pub(super) struct P(
        pub(super) u32,
        pub(super) u32,
        pub(super) u8,
        pub(super) u32,
        pub(super) u32,
    );
    include!(concat!(env!("OUT_DIR"), "/gazetteer.rs"));
}

/// One entry of the compiled-in lists, read in place.
#[derive(Clone, Copy)]
pub(crate) struct BuiltinEntry {
    entry: &'static builtin::P,
}

impl BuiltinEntry {
    /// The canonical name.
    pub(crate) fn name(self) -> &'static str {
        text_at(self.entry.0, self.entry.1)
    }

    /// Kind and sub-type (None for a type word no longer known, which a
    /// unit test rules out).
    pub(crate) fn kind(self) -> Option<(EntityKind, Sub)> {
        builtin_types()[usize::from(self.entry.2)]
    }

    /// The aliases.
    pub(crate) fn aliases(self) -> impl Iterator<Item = &'static str> {
        let range = self.entry.3 as usize..self.entry.4 as usize;
        builtin::ALIASES[range].iter().map(|&(s, e)| text_at(s, e))
    }
}

fn text_at(start: u32, end: u32) -> &'static str {
    builtin::TEXT
        .get(start as usize..end as usize)
        .unwrap_or_default()
}

/// The type words of the compiled-in lists, read once (a dozen words).
fn builtin_types() -> &'static [Option<(EntityKind, Sub)>] {
    static TYPES: std::sync::OnceLock<Vec<Option<(EntityKind, Sub)>>> = std::sync::OnceLock::new();
    TYPES.get_or_init(|| builtin::TYPES.iter().map(|t| parse_type(t)).collect())
}

/// Every entry of the compiled-in lists, in order, read in place: nothing
/// is parsed or allocated.
pub(crate) fn builtin_entries() -> impl Iterator<Item = BuiltinEntry> {
    builtin::ENTRIES.iter().map(|entry| BuiltinEntry { entry })
}

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
        let entries = builtin_entries()
            .filter_map(|e| {
                let (kind, sub) = e.kind()?;
                Some(GazEntry {
                    name: e.name().to_string(),
                    kind,
                    sub,
                    aliases: e.aliases().map(str::to_string).collect(),
                })
            })
            .collect();
        Gazetteer { entries }
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

    /// Adds `other`'s entries; an entry with the same name, or whose name or
    /// alias is an existing name or alias, replaces the old meaning of it.
    pub fn extend(&mut self, other: Gazetteer) {
        let mut rows: Vec<tsv::Row<(EntityKind, Sub)>> = std::mem::take(&mut self.entries)
            .into_iter()
            .map(GazEntry::into_row)
            .collect();
        tsv::extend(
            &mut rows,
            other.entries.into_iter().map(GazEntry::into_row).collect(),
        );
        self.entries = rows.into_iter().map(GazEntry::from_row).collect();
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
    Ok(tsv::parse_line(line, parse_type)?.map(GazEntry::from_row))
}

impl GazEntry {
    fn from_row(row: tsv::Row<(EntityKind, Sub)>) -> GazEntry {
        let (kind, sub) = row.ty;
        GazEntry {
            name: row.name,
            kind,
            sub,
            aliases: row.aliases,
        }
    }

    fn into_row(self) -> tsv::Row<(EntityKind, Sub)> {
        tsv::Row {
            name: self.name,
            ty: (self.kind, self.sub),
            aliases: self.aliases,
        }
    }
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
        for (i, text) in builtin::SOURCES.iter().enumerate() {
            if let Err(e) = Gazetteer::parse_tsv(text) {
                panic!("builtin file {i}: {e}");
            }
        }
        assert!(Gazetteer::builtin().len() > 100);
        assert!(builtin_types().iter().all(Option::is_some));
    }

    /// The compiled tables hold what reading and merging the files at run
    /// time gives, entry for entry.
    #[test]
    fn builtin_tables_match_the_files() {
        let mut merged = Gazetteer::default();
        for text in builtin::SOURCES {
            merged.extend(Gazetteer::parse_tsv(text).unwrap());
        }
        let compiled = Gazetteer::builtin();
        assert_eq!(compiled.len(), merged.len());
        for (a, b) in compiled.entries.iter().zip(&merged.entries) {
            assert_eq!(a, b);
        }
        assert_eq!(builtin_entries().count(), merged.len());
    }
}
