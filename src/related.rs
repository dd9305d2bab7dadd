//! Who appears with whom: the entities most strongly tied to one entity
//! across the articles a search matches, and the most strongly tied pairs
//! of a whole result set.
//!
//! Ties are ranked by Dunning's log-likelihood ratio (G²) on the 2×2 table
//! of articles with and without each of the two names. Raw counts put the
//! names found everywhere first ("United States" ties with everyone);
//! plain lift puts a name seen twice first. G² weighs both: a tie must be
//! both frequent and more frequent than chance. A name found less often
//! with the entity than chance predicts scores below zero.
//!
//! Counts come from the entity columns through [`crate::facet`], numbered
//! by the engine's vocabularies, so no stored article is read.

use std::collections::HashSet;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::deadline::Deadline;
use crate::entity::EntityKind;
use crate::error::{Error, Result};
use crate::facet::{Counts, EntityWords};
use crate::query::Node;
use crate::request::{AsRequest, EntityFilter, Filters, SearchRequest};
use crate::search::Engine;
use crate::tally::TermTally;

/// Default number of related entities or pairs listed.
pub const DEFAULT_RELATED: usize = 20;
/// Most frequent names of a result set whose pairs are counted: pairs of
/// rarer names are too few to rank.
const PAIR_CANDIDATES: usize = 256;
/// Fewest articles a pair must share to be listed.
const MIN_PAIR_ARTICLES: u64 = 2;

/// The entity counts of the whole archive, kept for one index version.
#[derive(Default)]
pub struct ArchiveCounts(std::sync::Mutex<Option<(u64, Arc<Counts>)>>);

/// An entity by its canonical name and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// Canonical name.
    pub text: String,
    /// Kind.
    pub kind: EntityKind,
}

/// An entity tied to another, with the strength of the tie.
#[derive(Debug, Clone, PartialEq)]
pub struct Tie {
    /// The related entity.
    pub entity: Named,
    /// Articles naming both.
    pub count: u64,
    /// Signed G² of the tie (below zero: less often together than chance).
    pub score: f64,
}

/// The answer to `news related NAME`.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    /// The entity asked about, as the articles name it.
    pub entity: Named,
    /// Matching articles naming it.
    pub articles: u64,
    /// The most strongly tied entities, strongest first.
    pub related: Vec<Tie>,
}

/// Two entities tied within a result set.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// The more frequent of the two.
    pub a: Named,
    /// The other.
    pub b: Named,
    /// Articles naming both.
    pub count: u64,
    /// Signed G² of the tie.
    pub score: f64,
}

/// The answer to `news related --pairs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pairs {
    /// The query text as given.
    pub query: String,
    /// Matching articles.
    pub articles: u64,
    /// The most strongly tied pairs, strongest first.
    pub pairs: Vec<Pair>,
}

/// `x ln x`, 0 at 0.
fn x_ln_x(x: f64) -> f64 {
    if x > 0.0 { x * x.ln() } else { 0.0 }
}

/// Dunning's G² of a 2×2 table of counts (`k11` both, `k12` the first
/// without the second, `k21` the second without the first, `k22`
/// neither), signed: negative when `k11` is below what independence
/// predicts.
pub fn g2(k11: u64, k12: u64, k21: u64, k22: u64) -> f64 {
    let [a, b, c, d] = [k11, k12, k21, k22].map(|k| k as f64);
    let n = a + b + c + d;
    if n == 0.0 {
        return 0.0;
    }
    // 2 × (Σ k ln k − Σ rows ln rows − Σ columns ln columns + N ln N), the
    // entropy form, exact for zero cells.
    let g = 2.0
        * (x_ln_x(a) + x_ln_x(b) + x_ln_x(c) + x_ln_x(d)
            - x_ln_x(a + b)
            - x_ln_x(c + d)
            - x_ln_x(a + c)
            - x_ln_x(b + d)
            + x_ln_x(n));
    let g = g.max(0.0);
    if a * n < (a + b) * (a + c) { -g } else { g }
}

/// The signed G² of two names found in `both`, `first` and `second`
/// articles among `total`.
fn tie_score(both: u64, first: u64, second: u64, total: u64) -> f64 {
    let k12 = first.saturating_sub(both);
    let k21 = second.saturating_sub(both);
    let k22 = (total + both).saturating_sub(first + second);
    g2(both, k12, k21, k22)
}

/// Orders scored entries: strongest first, then most articles (a stable
/// sort keeps the order of equals).
fn by_strength<T>(a: &(f64, u64, T), b: &(f64, u64, T)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(b.1.cmp(&a.1))
}

impl Engine {
    /// The entities most strongly tied to the entity `name` (by name or
    /// alias, of `kind` or any) in the articles `request` matches.
    pub fn related(
        &self,
        name: &str,
        kind: Option<EntityKind>,
        request: &impl AsRequest,
        limit: usize,
    ) -> Result<Related> {
        self.related_within(name, kind, request, limit, &Deadline::none())
    }

    /// Entity counts of every article `request` matches, every kind, and
    /// how many articles. The counts of the whole archive are read from the
    /// columns' value arrays and kept for the index version.
    fn entity_counts(
        &self,
        searcher: &tantivy::Searcher,
        request: &SearchRequest,
        deadline: &Deadline,
    ) -> Result<(Arc<Counts>, u64)> {
        let schema = self.store().index.schema();
        let all_kinds = || {
            self.numbered_facet_collector(searcher).counting(
                &self.store().fields,
                &schema,
                &EntityKind::ALL,
            )
        };
        let whole =
            matches!(request.query.tree(), Node::All) && request.filters == Filters::default();
        if !whole {
            let (counts, total, _) =
                self.collect_matching(searcher, request, all_kinds, deadline)?;
            return Ok((Arc::new(counts), total as u64));
        }
        let version = searcher.generation().generation_id();
        let cache = &self.archive_counts().0;
        if let Some((v, counts)) = cache.lock().ok().and_then(|c| c.clone())
            && v == version
        {
            return Ok((counts, searcher.num_docs()));
        }
        let counts = Arc::new(all_kinds().count_all(searcher)?);
        if let Ok(mut c) = cache.lock() {
            *c = Some((version, Arc::clone(&counts)));
        }
        Ok((counts, searcher.num_docs()))
    }

    /// [`Engine::related`], stopped with [`Error::Cancelled`] once
    /// `deadline` passes.
    pub fn related_within(
        &self,
        name: &str,
        kind: Option<EntityKind>,
        request: &impl AsRequest,
        limit: usize,
        deadline: &Deadline,
    ) -> Result<Related> {
        let request = request.as_request()?;
        let background_request = request.as_ref();
        if name.trim().is_empty() {
            return Err(Error::parameter(
                EntityFilter::parameter(kind),
                "an empty name matches nothing",
            ));
        }
        let mut with_name = background_request.clone();
        with_name.filters.entities.push(EntityFilter {
            kind,
            name: name.to_string(),
        });
        let searcher = self.searcher();
        let (together, articles) = self.entity_counts(&searcher, &with_name, deadline)?;
        if articles == 0 {
            return Err(Error::UnknownEntity(name.to_string()));
        }
        let (background, total) = self.entity_counts(&searcher, background_request, deadline)?;
        deadline.check()?;
        // The keys the name stands for: its own forms are not its ties.
        let kinds = kind.map_or(EntityKind::ALL.to_vec(), |k| vec![k]);
        let forms = self.short_forms(&searcher);
        let own: HashSet<String> = kinds
            .iter()
            .flat_map(|k| self.aliases().keys(*k, name, self.analyzers()))
            .map(|key| forms.canonical_key(&key).to_string())
            .collect();
        let is_own =
            |kind: EntityKind, text: &str| own.contains(&self.analyzers().entity_key(kind, text));
        let mut scored: Vec<(f64, u64, (EntityKind, u32))> = Vec::new();
        for kind in EntityKind::ALL {
            let seen = background.entity_counts(kind);
            for (id, &both) in (0u32..).zip(together.entity_counts(kind)) {
                if both == 0 {
                    continue;
                }
                let alone = seen.get(id as usize).copied().unwrap_or(both);
                let score = tie_score(both, articles, alone, total);
                scored.push((score, both, (kind, id)));
            }
        }
        scored.sort_by(by_strength);
        let mut entity: Option<(Named, u64)> = None;
        let mut related: Vec<Tie> = Vec::new();
        for (score, count, (kind, id)) in scored {
            // Past the list (ties at its end included) and once the entity's
            // own name is known, nothing further can change the answer.
            let full = related.len() >= limit
                && related
                    .last()
                    .is_none_or(|t| t.score != score || t.count != count);
            if full && entity.as_ref().is_some_and(|(_, n)| *n == articles) {
                break;
            }
            let Some(text) = together.name(kind, id) else {
                continue;
            };
            let named = Named {
                text: text.to_string(),
                kind,
            };
            if is_own(kind, &text) {
                // The form found in the most articles names the entity.
                if entity.as_ref().is_none_or(|(_, n)| count > *n) {
                    entity = Some((named, count));
                }
            } else if !full {
                related.push(Tie {
                    entity: named,
                    count,
                    score,
                });
            }
        }
        // Equal scores read in order of kind, then name, whatever order the
        // segments numbered the names in.
        related.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.count.cmp(&a.count))
                .then(a.entity.kind.cmp(&b.entity.kind))
                .then(a.entity.text.cmp(&b.entity.text))
        });
        related.truncate(limit);
        let entity = entity.map_or_else(
            || Named {
                text: name.to_string(),
                kind: kind.unwrap_or(EntityKind::Other),
            },
            |(named, _)| named,
        );
        Ok(Related {
            entity,
            articles,
            related,
        })
    }

    /// The most strongly tied pairs of entities in the articles `request`
    /// matches.
    pub fn pairs(&self, request: &impl AsRequest, limit: usize) -> Result<Pairs> {
        self.pairs_within(request, limit, &Deadline::none())
    }

    /// [`Engine::pairs`], stopped with [`Error::Cancelled`] once `deadline`
    /// passes.
    pub fn pairs_within(
        &self,
        request: &impl AsRequest,
        limit: usize,
        deadline: &Deadline,
    ) -> Result<Pairs> {
        let request = request.as_request()?;
        let request = request.as_ref();
        let searcher = self.searcher();
        let (counts, articles) = self.entity_counts(&searcher, request, deadline)?;
        // The most frequent names, each given a place in the pair matrix.
        let mut frequent: Vec<(u64, EntityKind, u32)> = Vec::new();
        for kind in EntityKind::ALL {
            for (id, &n) in (0u32..).zip(counts.entity_counts(kind)) {
                if n >= MIN_PAIR_ARTICLES {
                    frequent.push((n, kind, id));
                }
            }
        }
        // The most frequent, ties at the cut broken by kind and name (name
        // numbers depend on the order segments were first counted in).
        frequent.sort_by_key(|f| std::cmp::Reverse(f.0));
        if let Some(&(floor, _, _)) = frequent.get(PAIR_CANDIDATES - 1) {
            frequent.retain(|f| f.0 >= floor);
        }
        let mut frequent: Vec<(u64, EntityKind, u32, Arc<str>)> = frequent
            .into_iter()
            .filter_map(|(n, kind, id)| Some((n, kind, id, counts.name(kind, id)?)))
            .collect();
        frequent.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.3.cmp(&b.3)));
        frequent.truncate(PAIR_CANDIDATES);
        let schema = self.store().index.schema();
        let facet = self.numbered_facet_collector(&searcher).counting(
            &self.store().fields,
            &schema,
            &EntityKind::ALL,
        );
        let make = || PairCollector {
            columns: facet.columns().to_vec(),
            words: Arc::clone(facet.words()),
            slots: frequent
                .iter()
                .enumerate()
                .map(|(slot, (_, kind, id, _))| ((*kind, *id), slot as u16))
                .collect(),
            counts: Arc::clone(&counts),
            size: frequent.len(),
        };
        let (matrix, _, _) = self.collect_matching(&searcher, request, make, deadline)?;
        deadline.check()?;
        let size = frequent.len();
        let mut scored: Vec<(f64, u64, (usize, usize))> = Vec::new();
        for i in 0..size {
            for j in i + 1..size {
                let both = u64::from(matrix[i * size + j]);
                if both >= MIN_PAIR_ARTICLES {
                    let score = tie_score(both, frequent[i].0, frequent[j].0, articles);
                    scored.push((score, both, (i, j)));
                }
            }
        }
        scored.sort_by(by_strength);
        let named = |slot: usize| {
            let (_, kind, _, text) = &frequent[slot];
            Named {
                text: text.to_string(),
                kind: *kind,
            }
        };
        // Slots follow names, so equal scores read in order of names.
        let pairs = scored
            .into_iter()
            .take(limit)
            .map(|(score, count, (i, j))| Pair {
                a: named(i),
                b: named(j),
                count,
                score,
            })
            .collect();
        Ok(Pairs {
            query: request.query.text().to_string(),
            articles,
            pairs,
        })
    }
}

/// Counts, for every pair of the given names, the matching articles that
/// name both: a square matrix of counts by name slot.
struct PairCollector {
    columns: Vec<(EntityKind, String)>,
    words: EntityWords,
    slots: FxHashMap<(EntityKind, u32), u16>,
    /// The counts the slots were chosen from: which names are short forms
    /// counted under a full name.
    counts: Arc<Counts>,
    size: usize,
}

/// The per-segment side of [`PairCollector`].
struct PairSegment {
    /// Each kind's column and the slot of each of its term ordinals
    /// (`u16::MAX`: a name without a slot).
    columns: Vec<(StrColumn, Vec<u16>)>,
    size: usize,
    matrix: Vec<u32>,
    found: Vec<u16>,
}

impl Collector for PairCollector {
    type Fruit = Vec<u32>;
    type Child = PairSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<PairSegment> {
        let mut columns = Vec::new();
        for (kind, name) in &self.columns {
            let tally = TermTally::for_segment(segment, name)?;
            let ids = self.words[kind.index()].ids(segment, &tally);
            let slots: Vec<u16> = ids
                .iter()
                .map(|id| {
                    let id = self.counts.joined_to(*kind, *id);
                    self.slots.get(&(*kind, id)).copied().unwrap_or(u16::MAX)
                })
                .collect();
            if let Some(column) = tally.column().cloned()
                && slots.iter().any(|s| *s != u16::MAX)
            {
                columns.push((column, slots));
            }
        }
        Ok(PairSegment {
            columns,
            size: self.size,
            matrix: vec![0; self.size * self.size],
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u32>>) -> tantivy::Result<Vec<u32>> {
        let mut merged = vec![0u32; self.size * self.size];
        for fruit in fruits {
            for (total, n) in merged.iter_mut().zip(fruit) {
                *total += n;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for PairSegment {
    type Fruit = Vec<u32>;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.found.clear();
        for (column, slots) in &self.columns {
            for ord in column.term_ords(doc) {
                if let Some(&slot) = slots.get(ord as usize)
                    && slot != u16::MAX
                {
                    self.found.push(slot);
                }
            }
        }
        // A short form and its full name in one article are one name.
        self.found.sort_unstable();
        self.found.dedup();
        for (n, &i) in self.found.iter().enumerate() {
            for &j in &self.found[n + 1..] {
                if i != j {
                    self.matrix[usize::from(i) * self.size + usize::from(j)] += 1;
                }
            }
        }
    }

    fn harvest(self) -> Vec<u32> {
        self.matrix
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_archive_is_counted_once_per_index_version() {
        let store = crate::store::Store::in_memory().unwrap();
        let mut writer = store.writer(1, 20_000_000).unwrap();
        let add = |writer: &mut tantivy::IndexWriter, i: u64| {
            let mut doc = tantivy::TantivyDocument::new();
            doc.add_text(store.fields.id, format!("/a/{i}.txt"));
            writer.add_document(doc).unwrap();
            writer.commit().unwrap();
        };
        add(&mut writer, 1);
        let reader = store.reader().unwrap();
        let engine = Engine::with_reader(store.clone(), reader.clone());
        let everything = crate::request::SearchParams::new("*");
        let everything = everything.as_request().unwrap();
        let counts = || {
            engine
                .entity_counts(&engine.searcher(), &everything, &Deadline::none())
                .unwrap()
        };
        let (first, articles) = counts();
        assert_eq!(articles, 1);
        assert!(Arc::ptr_eq(&first, &counts().0));
        add(&mut writer, 2);
        reader.reload().unwrap();
        let (after, articles) = counts();
        assert!(!Arc::ptr_eq(&first, &after));
        assert_eq!(articles, 2);
    }

    #[test]
    fn g2_is_zero_for_independence_and_grows_with_the_tie() {
        // Independent: the second name is in half of all articles and in
        // half of the first's.
        assert!(g2(10, 10, 40, 40).abs() < 1e-9);
        let weak = g2(12, 8, 38, 42);
        let strong = g2(18, 2, 32, 48);
        assert!(strong > weak && weak > 0.0, "{weak} {strong}");
        // Less often together than chance: below zero.
        assert!(g2(2, 18, 48, 32) < 0.0);
        // A known value: the table 10, 0, 0, 10 is 2·20·ln 2.
        assert!((g2(10, 0, 0, 10) - 40.0 * std::f64::consts::LN_2).abs() < 1e-9);
        assert_eq!(g2(0, 0, 0, 0), 0.0);
    }

    #[test]
    fn neither_the_ubiquitous_nor_the_rare_come_first() {
        // 10,000 articles, 100 naming the entity asked about.
        let (articles, total) = (100, 10_000);
        // Found in 60% of everything and in 70% of the entity's articles.
        let everywhere = tie_score(70, articles, 6_000, total);
        // Seen twice in the whole archive, both times with the entity.
        let twice = tie_score(2, articles, 2, total);
        // Found in 40 of its articles and 200 in all.
        let partner = tie_score(40, articles, 200, total);
        assert!(
            partner > everywhere && partner > twice,
            "{partner} {everywhere} {twice}"
        );
    }
}
