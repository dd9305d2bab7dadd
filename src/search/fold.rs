//! Folding near-duplicates in rank order, in time linear in the number of
//! candidates: each new candidate is compared only with the kept articles
//! that share a block of its fingerprint, found in a hash table, instead of
//! with every kept article.
//!
//! Why no near-duplicate is missed: two fingerprints are near-duplicates
//! when at least as many of their used bins agree (E) as differ (D). The
//! blocks are pairs of bins, chosen as the edges of a graph on the 32 bins:
//! two triangles (bins 0-2 and 3-5) and 13 disjoint pairs (6-7 to 30-31).
//! A block is shared by both fingerprints when neither of its bins differs
//! and not both are empty in both. If no block is shared, every agreeing
//! bin has all its neighbours among the differing ones: a pair's agreeing
//! bin takes its partner, a triangle's takes the two others. With
//! |E| >= |D| that only fits when no triangle holds an agreeing or differing
//! bin (a triangle spends two differing bins on one agreeing bin), so both
//! fingerprints leave bins 0-5 empty. Fingerprints with bins 0-5 empty are
//! therefore also indexed by each non-empty bin alone; they are few (short
//! texts). Every candidate found is then compared in full.
//!
//! Unrelated fingerprints share a given block by chance once in 65,025, so
//! each new candidate meets about `kept × 19 / 65,025` of them: fewer than
//! 6 at the largest fold a request can ask for (20,000 candidates).

use rustc_hash::FxHashMap;

use crate::extract::fingerprint::{BINS, Fingerprint, WORDS, words_near_duplicate};

/// The blocks: the 3 edges of triangles (0, 1, 2) and (3, 4, 5), then the
/// pairs (6, 7) to (30, 31).
const BLOCKS: [(usize, usize); 19] = {
    let mut blocks = [(0, 0); 19];
    blocks[0] = (0, 1);
    blocks[1] = (1, 2);
    blocks[2] = (0, 2);
    blocks[3] = (3, 4);
    blocks[4] = (4, 5);
    blocks[5] = (3, 5);
    let mut i = 0;
    while i < 13 {
        blocks[6 + i] = (6 + 2 * i, 7 + 2 * i);
        i += 1;
    }
    blocks
};
const _: () = assert!(BINS == 32, "the blocks cover 32 bins");

/// Marks a bin no shingle fell into (as in the fingerprint).
const EMPTY: u8 = u8::MAX;
/// Ends a chain of entries.
const NONE: u32 = u32::MAX;

/// Kept positions sharing a key, as chains through one array: the table
/// maps a key to its latest entry, each entry points to the one before (no
/// allocation per key).
#[derive(Default)]
struct Chains {
    heads: FxHashMap<u32, u32>,
    /// Per entry: the kept position, and the previous entry of its key.
    entries: Vec<(u32, u32)>,
}

impl Chains {
    fn insert(&mut self, key: u32, position: u32) {
        let entry = self.entries.len() as u32;
        let previous = self.heads.insert(key, entry).unwrap_or(NONE);
        self.entries.push((position, previous));
    }

    fn collect(&self, key: u32, out: &mut Vec<u32>) {
        let mut at = self.heads.get(&key).copied().unwrap_or(NONE);
        while at != NONE {
            let (position, previous) = self.entries[at as usize];
            out.push(position);
            at = previous;
        }
    }
}

/// The kept articles so far, indexed by their fingerprint blocks.
#[derive(Default)]
pub struct Folder {
    /// Kept fingerprints as words (compared many times each).
    kept: Vec<Option<[u64; WORDS]>>,
    blocks: Chains,
    singles: Chains,
    candidates: Vec<u32>,
    /// Per kept article, the last search that compared it (so each is
    /// compared once per search without sorting the candidates).
    seen: Vec<u32>,
    searches: u32,
    comparisons: u64,
}

impl Folder {
    /// An empty folder.
    pub fn new() -> Folder {
        Folder::default()
    }

    /// The position (in order of [`Folder::keep`]) of the first kept
    /// article `fingerprint` is a near-duplicate of.
    pub fn find(&mut self, fingerprint: &Fingerprint) -> Option<usize> {
        let mut candidates = std::mem::take(&mut self.candidates);
        candidates.clear();
        for key in block_keys(fingerprint) {
            self.blocks.collect(key, &mut candidates);
        }
        if triangles_empty(fingerprint) {
            for key in single_keys(fingerprint) {
                self.singles.collect(key, &mut candidates);
            }
        }
        self.searches += 1;
        let words = fingerprint.to_words();
        let mut found: Option<usize> = None;
        for &i in &candidates {
            let i = i as usize;
            if self.seen[i] == self.searches || found.is_some_and(|f| f < i) {
                continue;
            }
            self.seen[i] = self.searches;
            self.comparisons += 1;
            if self.kept[i].is_some_and(|k| words_near_duplicate(&k, &words)) {
                found = Some(i);
            }
        }
        self.candidates = candidates;
        found
    }

    /// Keeps an article (one without a fingerprint is never matched) and
    /// returns its position.
    pub fn keep(&mut self, fingerprint: Option<Fingerprint>) -> usize {
        let at = self.kept.len();
        self.kept.push(fingerprint.map(Fingerprint::to_words));
        self.seen.push(0);
        if let Some(f) = fingerprint {
            let position = at as u32;
            for key in block_keys(&f) {
                self.blocks.insert(key, position);
            }
            if triangles_empty(&f) {
                for key in single_keys(&f) {
                    self.singles.insert(key, position);
                }
            }
        }
        at
    }

    /// Full fingerprint comparisons made so far.
    pub fn comparisons(&self) -> u64 {
        self.comparisons
    }
}

/// The keys of the blocks that hold at least one non-empty bin.
fn block_keys(f: &Fingerprint) -> impl Iterator<Item = u32> + '_ {
    BLOCKS.iter().enumerate().filter_map(move |(b, &(x, y))| {
        let (x, y) = (f.0[x], f.0[y]);
        (x != EMPTY || y != EMPTY).then(|| (b as u32) << 16 | u32::from(x) << 8 | u32::from(y))
    })
}

/// Whether the bins of both triangles (0-5) are empty.
fn triangles_empty(f: &Fingerprint) -> bool {
    f.0[..6].iter().all(|&v| v == EMPTY)
}

/// The keys of the non-empty bins.
fn single_keys(f: &Fingerprint) -> impl Iterator<Item = u32> + '_ {
    f.0.iter()
        .enumerate()
        .filter(|(_, v)| **v != EMPTY)
        .map(|(bin, &v)| (bin as u32) << 8 | u32::from(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic generator of fingerprints.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn byte(&mut self) -> u8 {
            (self.next() % 255) as u8
        }

        /// A fingerprint with about `empty` empty bins, its first six
        /// empty when `triangles` (short texts).
        fn fingerprint(&mut self, empty: usize, triangles: bool) -> Fingerprint {
            let mut bins = [0u8; BINS];
            for b in bins.iter_mut() {
                // Few values, so that unrelated fingerprints agree often.
                *b = self.byte() % 8;
            }
            for _ in 0..empty {
                let at = (self.next() % BINS as u64) as usize;
                bins[at] = EMPTY;
            }
            if triangles {
                bins[..6].fill(EMPTY);
            }
            Fingerprint(bins)
        }

        /// `f` with `n` bins changed to another value or emptied.
        fn edited(&mut self, f: &Fingerprint, n: usize) -> Fingerprint {
            let mut bins = f.0;
            let mut positions: Vec<usize> = (0..BINS).collect();
            for i in 0..n {
                let j = i + (self.next() as usize) % (BINS - i);
                positions.swap(i, j);
                let at = positions[i];
                bins[at] = if bins[at] != EMPTY && self.next().is_multiple_of(4) {
                    EMPTY
                } else {
                    ((u16::from(bins[at]) + 1 + (self.next() % 253) as u16) % 255) as u8
                };
            }
            Fingerprint(bins)
        }
    }

    #[test]
    fn the_first_kept_copy_is_found_and_later_ones_not_compared() {
        let f = Gen(7).fingerprint(0, false);
        // A near-duplicate kept after it, differing in the first block
        // only: its first candidacy comes after the copy has been found.
        let mut other = f.0;
        let (x, y) = BLOCKS[0];
        other[x] = (other[x] + 1) % 8;
        other[y] = (other[y] + 1) % 8;
        let mut folder = Folder::new();
        folder.keep(Some(f));
        folder.keep(Some(Fingerprint(other)));
        assert_eq!(folder.find(&f), Some(0));
        assert_eq!(folder.comparisons(), 1);
        // Both candidates of one block come newest first: both compared.
        assert_eq!(folder.find(&Fingerprint(other)), Some(0));
        assert_eq!(folder.comparisons(), 3);
    }

    #[test]
    fn bins_empty_in_both_make_no_candidate() {
        // Short texts: one used bin each, the same value in different
        // bins, every other bin empty in both.
        let (mut a, mut b) = ([EMPTY; BINS], [EMPTY; BINS]);
        a[10] = 1;
        b[20] = 1;
        let mut folder = Folder::new();
        folder.keep(Some(Fingerprint(a)));
        assert_eq!(folder.find(&Fingerprint(b)), None);
        assert_eq!(folder.comparisons(), 0);
    }

    /// The first near-duplicate by comparing every pair.
    fn pairwise(kept: &[Fingerprint], f: &Fingerprint) -> Option<usize> {
        kept.iter().position(|k| k.near_duplicate(f))
    }

    #[test]
    fn finds_what_comparing_every_pair_finds() {
        let mut g = Gen(0x2545_F491_4F6C_DD1D);
        let mut folder = Folder::new();
        let mut kept = Vec::new();
        let mut folded = 0;
        for i in 0..3000 {
            // Dense and sparse fingerprints, and edits of earlier ones from
            // 0 to 20 bins (near-duplicates up to 16, at the threshold, and
            // beyond it).
            let f = if i % 3 == 0 && !kept.is_empty() {
                let base: Fingerprint = kept[(g.next() % kept.len() as u64) as usize];
                let n = (g.next() % 21) as usize;
                g.edited(&base, n)
            } else {
                let empty = [0, 0, 4, 20, 28][(g.next() % 5) as usize];
                let triangles = g.next().is_multiple_of(4);
                g.fingerprint(empty, triangles)
            };
            let expected = pairwise(&kept, &f);
            assert_eq!(folder.find(&f), expected, "fingerprint {i}: {f:?}");
            if expected.is_none() {
                folder.keep(Some(f));
                kept.push(f);
            } else {
                folded += 1;
            }
        }
        assert!(
            folded > 300,
            "only {folded} folded: the test lost its duplicates"
        );
    }

    #[test]
    fn agreeing_bins_beside_differing_ones_are_found() {
        // Half the used bins agree, each paired with a differing one, and
        // bins 0-5 empty: no block agrees; the single bins find them.
        let mut a = [EMPTY; BINS];
        let mut b = [EMPTY; BINS];
        for i in 0..6 {
            a[6 + 2 * i] = 10 + i as u8;
            b[6 + 2 * i] = 10 + i as u8;
            a[7 + 2 * i] = 40;
            b[7 + 2 * i] = if i % 2 == 0 { 41 } else { EMPTY };
        }
        let (a, b) = (Fingerprint(a), Fingerprint(b));
        assert!(a.near_duplicate(&b), "similarity {}", a.similarity(&b));
        let mut folder = Folder::new();
        folder.keep(Some(Fingerprint([1; BINS])));
        folder.keep(Some(a));
        assert_eq!(folder.find(&b), Some(1));
    }

    #[test]
    fn compares_few_candidates_however_many_are_kept() {
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        let mut folder = Folder::new();
        let n = 20_000;
        for _ in 0..n {
            let f = Fingerprint(std::array::from_fn(|_| g.byte()));
            if folder.find(&f).is_none() {
                folder.keep(Some(f));
            }
        }
        // Comparing every pair would take n²/2 = 200 million comparisons.
        assert!(
            folder.comparisons() < 4 * n,
            "{} comparisons for {n} fingerprints",
            folder.comparisons()
        );
    }
}
