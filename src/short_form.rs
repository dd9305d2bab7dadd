//! One name, one entity across the archive: the table of people's short
//! forms ("Trump", "Reagan") that the archive itself ties to one full name,
//! and how it is kept up to date.
//!
//! Within an article, a bare surname after a full name is that person
//! ([`crate::entity`]), and both are indexed as keys of one entity. Across
//! articles nothing joins an article that only says "Reagan" to one that
//! says "Ronald Reagan". The archive decides: every article that names a
//! short form and exactly one full name ending with it (or, for a single
//! word, starting with it, as Chinese names do) votes for that full name.
//! Votes are weighed year by year, since a surname is shared by people of
//! different times: a short form stands for a full name when, in every
//! year with enough votes ([`MIN_VOTES`]), the votes agree on that name
//! ([`AGREEMENT`]); one whose votes split in some year (James and Howard
//! Baker in 1987, Hillary and Bill Clinton in 2017) or that different years
//! give to different people (George Bush in 1987, George W. Bush in 2017)
//! stays a name of its own, except in the articles that decide it
//! themselves.
//!
//! Nothing stored changes: the table is applied when entities are counted
//! and filtered (facets, statistics, related entities, `--entity`,
//! timelines), so a new article that splits the votes takes effect at the
//! next commit without re-indexing anything. Votes are counted per
//! segment from the entity columns and keys (never from stored articles)
//! and kept beside the index by segment, so a commit counts only its new
//! segments. After each commit the table is written beside the index with
//! the segments it was made from; a reader that finds it made from other
//! segments (an index from before the table, or a commit a moment old)
//! decides it itself.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::{DocSet, IndexReader, ReloadPolicy, Searcher, SegmentReader, TERMINATED};

use crate::analyzer::Analyzers;
use crate::entity::EntityKind;
use crate::schema::Fields;
use crate::store::Store;

/// The file beside the index that holds the table.
pub const FILE: &str = "short-forms.json";
/// Share of a year's votes the leading full name needs. Measured on the
/// news archive: "Trump" agrees at 0.99 in 2017, "Reagan" at 1.0 in 1987
/// once single articles are set aside (11 for Ronald Reagan, one each for
/// Nancy and Michael Reagan), while "Baker" splits at 0.88 in 1987 (130
/// James Baker, 16 Howard Baker, 2 misspelt), "Bush" at 0.8 and "Clinton"
/// at 0.76 in 2017.
pub const AGREEMENT: f64 = 0.9;
/// Fewest articles of a year that must spell out a full name with the
/// short form for that year to count it: one article alone does not speak
/// for the archive, neither to join a short form to a full name nor to
/// split it from one (a misreading such as "Athough Reagan", or a relative
/// named once in passing).
pub const MIN_VOTES: u64 = 2;
/// Longest chain of short forms followed ("der Berg" -> "van der Berg" ->
/// "Anna van der Berg").
const MAX_CHAIN: usize = 4;

/// The kind whose short forms are joined: people, whose bare surnames are
/// the short forms articles use.
pub const KIND: EntityKind = EntityKind::Person;

/// One short form and the full name it stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShortForm {
    /// The short form's key (`person:trump`, as the key field folds it).
    pub key: String,
    /// How articles that name it on its own spell it, as the entity
    /// columns hold it.
    pub spellings: Vec<String>,
    /// The full name, as most of the articles that voted spell it.
    pub canonical: String,
    /// The full name's key.
    pub canonical_key: String,
    /// Articles naming both forms that voted for the full name.
    pub votes: u64,
    /// Articles naming the short form and one other full name ending with it.
    pub against: u64,
    /// Keys of the other full names seen with the short form: an article
    /// naming one of them decides the short form is not this one.
    pub rivals: Vec<String>,
}

/// The short forms of an index version.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShortForms {
    /// The segments (and deletions) the table was made from.
    pub made_from: String,
    /// The short forms joined to a full name that some article names on
    /// its own, by key.
    pub forms: Vec<ShortForm>,
    #[serde(skip)]
    by_key: HashMap<String, usize>,
    #[serde(skip)]
    by_canonical: HashMap<String, Vec<usize>>,
}

impl ShortForms {
    fn indexed(mut self) -> ShortForms {
        self.by_key = (0..)
            .zip(&self.forms)
            .map(|(i, f)| (f.key.clone(), i))
            .collect();
        self.by_canonical.clear();
        for (i, f) in (0..).zip(&self.forms) {
            self.by_canonical
                .entry(f.canonical_key.clone())
                .or_default()
                .push(i);
        }
        self
    }

    /// The short form of key `key` (`person:trump`), when it is joined.
    pub fn form(&self, key: &str) -> Option<&ShortForm> {
        self.by_key.get(key).map(|&i| &self.forms[i])
    }

    /// The short forms joined to the full name of key `key`.
    pub fn forms_of<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a ShortForm> + 'a {
        self.by_canonical
            .get(key)
            .into_iter()
            .flatten()
            .map(|&i| &self.forms[i])
    }

    /// The key of the full name an entity key stands for: its own, or the
    /// full name's when it is a joined short form.
    pub fn canonical_key<'a>(&'a self, key: &'a str) -> &'a str {
        self.form(key).map_or(key, |f| f.canonical_key.as_str())
    }

    /// True when no short form is joined.
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// The table of the index as `searcher` sees it: the one written
    /// beside the index when it was made from these segments, else counted
    /// now.
    pub fn of(store: &Store, searcher: &Searcher, analyzers: &Analyzers) -> ShortForms {
        let made_from = made_from(searcher);
        if let Some(table) = read(&store.dir)
            && table.made_from == made_from
        {
            return table.indexed();
        }
        Votes::load(&store.dir).table(searcher, &store.fields, analyzers)
    }
}

/// The table file in `dir`, if there is a readable one.
fn read(dir: &Path) -> Option<ShortForms> {
    let bytes = std::fs::read(dir.join(FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Names the content of an index version: its segments and how many
/// articles each has deleted.
fn made_from(searcher: &Searcher) -> String {
    let mut parts: Vec<String> = searcher
        .segment_readers()
        .iter()
        .map(|s| format!("{}-{}", s.segment_id().uuid_string(), s.num_deleted_docs()))
        .collect();
    parts.sort();
    parts.join(",")
}

/// What one segment says: per short form key, per full name key, per
/// year, the articles where that full name was the only one ending with
/// the short form (votes) and where it was one of them (seen); and how the
/// full names that were voted for are spelt, with their votes.
#[derive(Default, Serialize, Deserialize)]
struct SegmentVotes {
    /// Short form key, full name key, year of the article (0 when
    /// undated), votes, articles seen.
    tallies: Vec<(String, String, i16, u64, u64)>,
    /// Full name key, spelling, votes.
    spellings: Vec<(String, String, u64)>,
}

/// The words of a name key after its kind prefix.
fn words(key: &str) -> Vec<&str> {
    key.split_once(':')
        .map_or(key, |(_, rest)| rest)
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect()
}

/// The keys of the short forms an article may use for the full name of
/// key `key`: its proper word suffixes ("trump", "van der berg") and its
/// first word ("zhao").
fn edges(key: &str) -> Vec<String> {
    let w = words(key);
    if w.len() < 2 {
        return Vec::new();
    }
    let prefix = format!("{}:", KIND.name());
    let mut out: Vec<String> = (1..w.len())
        .map(|i| format!("{prefix}{}", w[i..].join(" ")))
        .collect();
    out.push(format!("{prefix}{}", w[0]));
    out.dedup();
    out
}

impl SegmentVotes {
    fn count(segment: &SegmentReader, fields: &Fields, analyzers: &Analyzers) -> SegmentVotes {
        let mut out = SegmentVotes::default();
        let Ok(Some(column)) = segment
            .fast_fields()
            .str(&field_name(segment, fields.kind_names(KIND)))
        else {
            return out;
        };
        // Every name of the segment's column, by term ordinal, with its key.
        let mut keys: Vec<String> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        if let Ok(mut stream) = column.dictionary().stream() {
            while stream.advance() {
                let name = String::from_utf8_lossy(stream.key()).into_owned();
                keys.push(analyzers.entity_key(KIND, &name));
                names.push(name);
            }
        }
        // The full names each short form may stand for, by ordinal.
        let mut candidates: FxHashMap<String, HashSet<u64>> = FxHashMap::default();
        for (ord, key) in (0u64..).zip(&keys) {
            for edge in edges(key) {
                candidates.entry(edge).or_default().insert(ord);
            }
        }
        let Ok(inverted) = segment.inverted_index(fields.entity_key) else {
            return out;
        };
        let alive = segment.alive_bitset();
        let dates = segment
            .fast_fields()
            .date(&field_name(segment, fields.date))
            .ok();
        let year = |doc| {
            dates
                .as_ref()
                .and_then(|c| c.first(doc))
                .and_then(|d| crate::day::date(crate::day::number(d)))
                .map_or(0, |d| d.year())
        };
        let mut voted: FxHashMap<u64, u64> = FxHashMap::default();
        let mut tallies: FxHashMap<(String, String, i16), (u64, u64)> = FxHashMap::default();
        for (edge, full) in &candidates {
            let term = Term::from_field_text(fields.entity_key, edge);
            let Ok(Some(mut postings)) = inverted.read_postings(&term, IndexRecordOption::Basic)
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    let mut found: Vec<u64> = column
                        .term_ords(doc)
                        .filter(|ord| full.contains(ord))
                        .collect();
                    found.sort_unstable();
                    found.dedup();
                    // Full names spelt two ways in one article are one.
                    let mut by_key: Vec<&str> =
                        found.iter().map(|&o| keys[o as usize].as_str()).collect();
                    by_key.sort_unstable();
                    by_key.dedup();
                    let single = by_key.len() == 1;
                    let y = if by_key.is_empty() { 0 } else { year(doc) };
                    for key in &by_key {
                        let t = tallies
                            .entry((edge.clone(), key.to_string(), y))
                            .or_default();
                        t.1 += 1;
                        t.0 += u64::from(single);
                    }
                    if single {
                        for &ord in &found {
                            *voted.entry(ord).or_default() += 1;
                        }
                    }
                }
                doc = postings.advance();
            }
        }
        out.tallies = tallies
            .into_iter()
            .map(|((short, full, year), (votes, seen))| (short, full, year, votes, seen))
            .collect();
        out.spellings = voted
            .into_iter()
            .map(|(ord, n)| (keys[ord as usize].clone(), names[ord as usize].clone(), n))
            .collect();
        out
    }
}

fn field_name(segment: &SegmentReader, field: tantivy::schema::Field) -> String {
    segment.schema().get_field_name(field).to_string()
}

/// Each segment's votes, kept between commits (in memory, and in a file
/// beside the index for the next process) so that a commit counts only its
/// new segments.
#[derive(Default)]
pub struct Votes {
    segments: Mutex<HashMap<String, Arc<SegmentVotes>>>,
}

/// The file beside the index that keeps each segment's votes.
const VOTES_FILE: &str = "short-forms.votes.json";

impl Votes {
    /// The votes kept beside the index in `dir` (none when there is no
    /// readable file).
    pub fn load(dir: &Path) -> Votes {
        let segments: HashMap<String, SegmentVotes> = std::fs::read(dir.join(VOTES_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Votes {
            segments: Mutex::new(
                segments
                    .into_iter()
                    .map(|(id, v)| (id, Arc::new(v)))
                    .collect(),
            ),
        }
    }

    /// Writes the votes beside the index in `dir`.
    fn save(&self, dir: &Path) {
        let Ok(segments) = self.segments.lock() else {
            return;
        };
        let plain: HashMap<&str, &SegmentVotes> =
            segments.iter().map(|(k, v)| (k.as_str(), &**v)).collect();
        if let Ok(json) = serde_json::to_vec(&plain) {
            write_whole(&dir.join(VOTES_FILE), &json);
        }
    }

    /// The table of the index as `searcher` sees it, counting the votes of
    /// segments not counted before.
    pub fn table(&self, searcher: &Searcher, fields: &Fields, analyzers: &Analyzers) -> ShortForms {
        let mut parts = Vec::new();
        let mut kept = HashMap::new();
        for segment in searcher.segment_readers() {
            let id = segment_name(segment);
            let known = self.segments.lock().ok().and_then(|s| s.get(&id).cloned());
            let votes =
                known.unwrap_or_else(|| Arc::new(SegmentVotes::count(segment, fields, analyzers)));
            kept.insert(id, Arc::clone(&votes));
            parts.push(votes);
        }
        if let Ok(mut s) = self.segments.lock() {
            *s = kept;
        }
        let mut table = decide(&parts, made_from(searcher));
        spell(&mut table.forms, searcher, fields);
        // A short form no article names on its own changes no count: the
        // articles that use it also name its full name, or a rival.
        table.forms.retain(|f| !f.spellings.is_empty());
        table.indexed()
    }
}

/// A segment and how many of its articles are deleted.
fn segment_name(segment: &SegmentReader) -> String {
    format!(
        "{}-{}",
        segment.segment_id().uuid_string(),
        segment.num_deleted_docs()
    )
}

/// Writes `bytes` to `path` whole: beside it first, then renamed over it.
fn write_whole(path: &Path, bytes: &[u8]) {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".new");
    let partial = std::path::PathBuf::from(partial);
    if std::fs::write(&partial, bytes).is_err() || std::fs::rename(&partial, path).is_err() {
        let _ = std::fs::remove_file(&partial);
    }
}

/// Finds how articles naming each short form on its own spell it: as the
/// full name spells those words, in capitals, or with each word
/// capitalised, looked up in each segment's entity column.
fn spell(forms: &mut [ShortForm], searcher: &Searcher, fields: &Fields) {
    let columns: Vec<_> = searcher
        .segment_readers()
        .iter()
        .filter_map(|s| {
            s.fast_fields()
                .str(&field_name(s, fields.kind_names(KIND)))
                .ok()
                .flatten()
        })
        .collect();
    let mut wanted: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, form) in forms.iter().enumerate() {
        let n = words(&form.key).len();
        let from_full: Vec<&str> = form.canonical.split_whitespace().collect();
        let mut tries: Vec<String> = Vec::new();
        if from_full.len() > n {
            let first = from_full[..n].join(" ");
            let last = from_full[from_full.len() - n..].join(" ");
            for t in [first, last] {
                if form.key.ends_with(&t.to_lowercase()) {
                    tries.push(t);
                }
            }
        }
        let base = tries
            .first()
            .cloned()
            .unwrap_or_else(|| words(&form.key).join(" "));
        tries.push(base.to_uppercase());
        tries.push(
            base.split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| {
                            f.to_uppercase()
                                .chain(c.flat_map(char::to_lowercase))
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect::<Vec<String>>()
                .join(" "),
        );
        tries.sort();
        tries.dedup();
        for t in tries {
            wanted.entry(t).or_default().push(i);
        }
    }
    // Each dictionary read once, in order: cheaper than a look-up per
    // spelling and segment.
    let mut found: Vec<(usize, String)> = Vec::new();
    for column in &columns {
        let Ok(mut stream) = column.dictionary().stream() else {
            continue;
        };
        while stream.advance() {
            if let Ok(name) = std::str::from_utf8(stream.key())
                && let Some(forms) = wanted.remove(name)
            {
                found.extend(forms.into_iter().map(|i| (i, name.to_string())));
            }
        }
    }
    found.sort();
    for (i, name) in found {
        forms[i].spellings.push(name);
    }
}

/// What the votes of one year say about a short form.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Verdict<'a> {
    /// Too few votes to say.
    Silent,
    /// The votes agree on this full name.
    Agree(&'a str),
    /// The votes split between people.
    Split,
}

/// The verdict of one year's votes, by full name: full names with fewer
/// than [`MIN_VOTES`] votes are set aside.
fn verdict<'a>(votes: &HashMap<&'a str, u64>) -> Verdict<'a> {
    let counted = votes.iter().filter(|(_, n)| **n >= MIN_VOTES);
    let total: u64 = counted.clone().map(|(_, n)| *n).sum();
    let Some((top, n)) = counted
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(k, n)| (*k, *n))
    else {
        return Verdict::Silent;
    };
    if (n as f64) < AGREEMENT * total as f64 {
        return Verdict::Split;
    }
    Verdict::Agree(top)
}

/// The table the votes of every segment make.
fn decide(parts: &[Arc<SegmentVotes>], made_from: String) -> ShortForms {
    // Short form -> year -> full name -> votes; short form -> full name ->
    // (votes, articles seen).
    let mut years: HashMap<&str, HashMap<i16, HashMap<&str, u64>>> = HashMap::new();
    let mut tallies: HashMap<&str, HashMap<&str, (u64, u64)>> = HashMap::new();
    let mut spellings: HashMap<&str, HashMap<&str, u64>> = HashMap::new();
    for part in parts {
        for (short, full, year, votes, seen) in &part.tallies {
            if *votes > 0 {
                *years
                    .entry(short.as_str())
                    .or_default()
                    .entry(*year)
                    .or_default()
                    .entry(full.as_str())
                    .or_default() += votes;
            }
            let t = tallies
                .entry(short.as_str())
                .or_default()
                .entry(full.as_str())
                .or_default();
            t.0 += votes;
            t.1 += seen;
        }
        for (key, name, n) in &part.spellings {
            *spellings
                .entry(key.as_str())
                .or_default()
                .entry(name.as_str())
                .or_default() += n;
        }
    }
    // The spelling of a name most votes used, ties by name.
    let spelt = |key: &str| -> Option<String> {
        spellings
            .get(key)?
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(name, _)| name.to_string())
    };
    let mut joined: HashMap<&str, (&str, u64, u64, Vec<&str>)> = HashMap::new();
    for (short, by_year) in &years {
        let mut agreed: Option<&str> = None;
        let mut split = false;
        for votes in by_year.values() {
            match verdict(votes) {
                Verdict::Silent => {}
                Verdict::Split => split = true,
                Verdict::Agree(full) => {
                    split |= agreed.is_some_and(|a| a != full);
                    agreed = Some(full);
                }
            }
        }
        let (Some(full), false) = (agreed, split) else {
            continue;
        };
        let Some(fulls) = tallies.get(short) else {
            continue;
        };
        let total: u64 = fulls.values().map(|t| t.0).sum();
        let votes = fulls.get(full).map_or(0, |t| t.0);
        let mut rivals: Vec<&str> = fulls
            .iter()
            .filter(|(k, t)| **k != full && t.1 > 0)
            .map(|(k, _)| *k)
            .collect();
        rivals.sort_unstable();
        joined.insert(short, (full, votes, total - votes, rivals));
    }
    let mut forms: Vec<ShortForm> = Vec::new();
    for (short, (full, votes, against, rivals)) in &joined {
        // A full name that is itself a short form of a longer one joins it.
        let mut target = *full;
        for _ in 0..MAX_CHAIN {
            match joined.get(target) {
                Some((next, ..)) if *next != *short => target = next,
                _ => break,
            }
        }
        let Some(canonical) = spelt(target) else {
            continue;
        };
        forms.push(ShortForm {
            key: short.to_string(),
            spellings: Vec::new(),
            canonical,
            canonical_key: target.to_string(),
            votes: *votes,
            against: *against,
            rivals: rivals.iter().map(|r| r.to_string()).collect(),
        });
    }
    forms.sort_by(|a, b| a.key.cmp(&b.key));
    ShortForms {
        made_from,
        forms,
        ..ShortForms::default()
    }
    .indexed()
}

/// Keeps the table beside an index up to date as a writer commits: the
/// votes of segments already counted are kept, so a commit counts only
/// its new segments.
pub struct Refresher {
    reader: Option<IndexReader>,
    votes: Votes,
    analyzers: Analyzers,
}

impl Refresher {
    /// A refresher for the index of `store`, starting from the votes kept
    /// beside it.
    pub fn new(store: &Store) -> Refresher {
        Refresher {
            reader: store
                .index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
                .ok(),
            votes: Votes::load(&store.dir),
            analyzers: Analyzers::default(),
        }
    }

    /// Refreshes the table unless the one beside the index was made from
    /// the segments the index has now (merges replace segments without a
    /// commit of the run's own).
    pub fn refresh_if_stale(&self, store: &Store) {
        let Some(reader) = &self.reader else { return };
        if reader.reload().is_err() {
            return;
        }
        let current = made_from(&reader.searcher());
        if read(&store.dir).is_some_and(|table| table.made_from == current) {
            return;
        }
        self.refresh(store);
    }

    /// Counts the table of the last commit and writes it beside the index,
    /// with the votes of its segments. A table that cannot be written is
    /// counted by readers instead.
    pub fn refresh(&self, store: &Store) {
        let Some(reader) = &self.reader else { return };
        if reader.reload().is_err() {
            return;
        }
        let table = self
            .votes
            .table(&reader.searcher(), &store.fields, &self.analyzers);
        self.votes.save(&store.dir);
        if let Ok(json) = serde_json::to_vec(&table) {
            write_whole(&store.dir.join(FILE), &json);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_are_surnames_and_the_first_word() {
        assert_eq!(
            edges("person:donald trump"),
            vec!["person:trump", "person:donald"]
        );
        assert_eq!(
            edges("person:anna van der berg"),
            vec![
                "person:van der berg",
                "person:der berg",
                "person:berg",
                "person:anna"
            ]
        );
        assert!(edges("person:trump").is_empty());
    }

    #[test]
    fn a_table_made_before_merges_is_refreshed_after_them() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(&tmp.path().join("idx")).unwrap();
        let refresher = Refresher::new(&store);
        let key = store.fields.path_hash;
        let mut writer = store.writer(1, 15_000_000).unwrap();
        for hash in [1u64, 2] {
            writer.add_document(tantivy::doc!(key => hash)).unwrap();
            writer.commit().unwrap();
            refresher.refresh(&store);
        }
        let fresh = |store: &Store| {
            let reader = store.reader().unwrap();
            read(&store.dir).map(|t| t.made_from) == Some(made_from(&reader.searcher()))
        };
        refresher.refresh_if_stale(&store);
        assert!(fresh(&store));

        // A merge replaces both segments after the last commit.
        let segments = store.index.searchable_segment_ids().unwrap();
        writer.merge(&segments).wait().unwrap();
        writer.wait_merging_threads().unwrap();
        assert!(!fresh(&store));
        refresher.refresh_if_stale(&store);
        assert!(fresh(&store));
    }

    fn part(tallies: &[(&str, &str, i16, u64, u64)]) -> Arc<SegmentVotes> {
        let mut v = SegmentVotes::default();
        for (short, full, year, votes, seen) in tallies {
            v.tallies
                .push((short.to_string(), full.to_string(), *year, *votes, *seen));
            v.spellings.push((
                full.to_string(),
                full.trim_start_matches("person:").to_string(),
                *votes,
            ));
        }
        Arc::new(v)
    }

    #[test]
    fn agreeing_votes_join_split_votes_do_not() {
        let table = decide(
            &[
                part(&[
                    ("person:trump", "person:donald trump", 2017, 30, 31),
                    ("person:trump", "person:melania trump", 2017, 1, 2),
                    ("person:baker", "person:james baker", 1987, 40, 40),
                    ("person:baker", "person:howard baker", 1987, 5, 5),
                ]),
                part(&[
                    ("person:bush", "person:george bush", 1987, 7, 7),
                    ("person:bush", "person:george w. bush", 2017, 3, 3),
                    ("person:kohl", "person:helmut kohl", 1987, 1, 1),
                    ("person:smith", "person:john smith", 2021, 2, 2),
                    ("person:smith", "person:jane smith", 2021, 2, 2),
                    ("person:lee", "person:ann lee", 2021, 2, 2),
                    ("person:lee", "person:bo lee", 2021, 1, 1),
                ]),
            ],
            String::new(),
        );
        let trump = table.form("person:trump").unwrap();
        assert_eq!(trump.canonical, "donald trump");
        assert_eq!((trump.votes, trump.against), (30, 1));
        assert_eq!(trump.rivals, vec!["person:melania trump"]);
        // Two people of one year; one name given to different people in
        // different years.
        assert!(table.form("person:baker").is_none());
        assert!(table.form("person:bush").is_none());
        // One article alone neither joins nor splits.
        assert!(table.form("person:kohl").is_none());
        assert!(table.form("person:smith").is_none());
        assert_eq!(table.form("person:lee").unwrap().canonical, "ann lee");
        assert_eq!(table.forms_of("person:donald trump").count(), 1);
    }

    #[test]
    fn a_year_without_enough_votes_does_not_split() {
        let table = decide(
            &[part(&[
                ("person:reagan", "person:ronald reagan", 1987, 10, 10),
                ("person:reagan", "person:nancy reagan", 1987, 1, 1),
                ("person:reagan", "person:michael reagan", 1987, 1, 1),
                ("person:reagan", "person:ronald reagan", 2016, 1, 1),
                ("person:reagan", "person:nancy reagan", 2017, 1, 1),
                ("person:reagan", "person:ronald reagan", 2017, 2, 2),
            ])],
            String::new(),
        );
        let reagan = table.form("person:reagan").unwrap();
        assert_eq!(reagan.canonical_key, "person:ronald reagan");
        assert_eq!((reagan.votes, reagan.against), (13, 3));
    }
}
