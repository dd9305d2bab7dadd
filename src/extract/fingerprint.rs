//! Near-duplicate fingerprints: a one-permutation MinHash of an article's
//! three-word shingles. Two fingerprints estimate the Jaccard similarity of
//! the texts' shingle sets; wire copies and re-posts with small edits share
//! most shingles, unrelated stories almost none.

use xxhash_rust::xxh3::xxh3_64;

/// Words per shingle: three keeps word order without making one edit touch
/// too many shingles.
const SHINGLE: usize = 3;
/// Bins of the fingerprint; the estimate's standard error is about 1/sqrt(BINS).
pub const BINS: usize = 32;
/// 64-bit words holding the fingerprint.
pub const WORDS: usize = BINS / 8;
/// Smallest estimated Jaccard similarity of near-duplicates.
pub const NEAR_DUPLICATE: f32 = 0.5;
/// Texts with fewer words carry too little to fingerprint reliably.
const MIN_WORDS: usize = 12;
/// Marks a bin no shingle fell into.
const EMPTY: u8 = u8::MAX;

/// A MinHash fingerprint: per bin, the low byte of the smallest shingle hash
/// that fell in it (one byte per bin keeps 32 bytes per article; two texts
/// share a byte by chance once in 255 bins, a negligible bias).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(pub [u8; BINS]);

/// A 64-bit finalizer (splitmix64): spreads combined word hashes evenly.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

impl Fingerprint {
    /// Fingerprints a text; `None` when it is too short to tell.
    pub fn of(text: &str) -> Option<Fingerprint> {
        // Words are hashed once each (lower-cased into a reused buffer) and a
        // shingle's hash combines its words' hashes: no allocation per word.
        let mut mins = [u32::MAX; BINS];
        let mut buf = String::new();
        let mut window = [0u64; SHINGLE];
        let mut words = 0usize;
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            buf.clear();
            if word.is_ascii() {
                buf.push_str(word);
                buf.make_ascii_lowercase();
            } else {
                buf.extend(word.chars().flat_map(char::to_lowercase));
            }
            window.rotate_left(1);
            window[SHINGLE - 1] = xxh3_64(buf.as_bytes());
            words += 1;
            if words < SHINGLE {
                continue;
            }
            let h = mix(window[0].rotate_left(21) ^ window[1].rotate_left(42) ^ window[2]);
            let bin = (h % BINS as u64) as usize;
            let value = (h >> 32) as u32;
            if value < mins[bin] {
                mins[bin] = value;
            }
        }
        let mut bins = [EMPTY; BINS];
        for (bin, min) in bins.iter_mut().zip(mins) {
            if min != u32::MAX {
                *bin = (min % 255) as u8;
            }
        }
        (words >= MIN_WORDS).then_some(Fingerprint(bins))
    }

    /// The fingerprint as four 64-bit words, for the index's fast columns.
    pub fn to_words(self) -> [u64; WORDS] {
        let mut words = [0u64; WORDS];
        for (word, chunk) in words.iter_mut().zip(self.0.chunks_exact(8)) {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(chunk);
            *word = u64::from_le_bytes(bytes);
        }
        words
    }

    /// Reads a fingerprint back from its words.
    pub fn from_words(words: [u64; WORDS]) -> Fingerprint {
        let mut bins = [EMPTY; BINS];
        for (chunk, word) in bins.chunks_exact_mut(8).zip(words) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        Fingerprint(bins)
    }

    /// Estimated Jaccard similarity of the two texts' shingle sets: the
    /// share of equal bins among the bins either text uses.
    pub fn similarity(&self, other: &Fingerprint) -> f32 {
        let (used, equal) = self.agreement(other);
        if used == 0 {
            0.0
        } else {
            equal as f32 / used as f32
        }
    }

    fn agreement(&self, other: &Fingerprint) -> (u32, u32) {
        agreement(&self.to_words(), &other.to_words())
    }

    /// Whether the two texts are near-duplicates.
    pub fn near_duplicate(&self, other: &Fingerprint) -> bool {
        self.similarity(other) >= NEAR_DUPLICATE
    }
}

/// [`Fingerprint::near_duplicate`] of fingerprints given as their words
/// (what a loop comparing one with many keeps, to skip the conversion).
pub fn words_near_duplicate(a: &[u64; WORDS], b: &[u64; WORDS]) -> bool {
    let (used, equal) = agreement(a, b);
    used > 0 && equal as f32 / used as f32 >= NEAR_DUPLICATE
}

/// Bins used by either text, and bins used by both with equal values:
/// eight bins at a time, with the zero-byte test of bit tricks (a byte is
/// zero when its low seven bits plus 0x7f do not carry into the high bit
/// and the high bit is clear).
fn agreement(a: &[u64; WORDS], b: &[u64; WORDS]) -> (u32, u32) {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let zero_bytes = |x: u64| (!(((x & LOW) + LOW) | x | LOW)).count_ones();
    let mut equal_bytes = 0;
    let mut both_empty = 0;
    for i in 0..WORDS {
        equal_bytes += zero_bytes(a[i] ^ b[i]);
        // Empty bins are 0xff: both empty where `a & b` has an 0xff byte.
        both_empty += zero_bytes(!(a[i] & b[i]));
    }
    (BINS as u32 - both_empty, equal_bytes - both_empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The central bank raised its benchmark interest rate by half a point on Thursday, \
        the third increase this year, citing persistent inflation in food and energy prices. \
        The governor said further rises could follow if wage growth stayed strong, while \
        business groups warned that higher borrowing costs would hit small firms hardest. \
        Markets had expected a smaller move and the currency rose sharply after the announcement. \
        Analysts said the decision showed the bank was determined to bring inflation back to its target \
        even at the cost of slower growth, and several expect another increase before the end of the year.";

    #[test]
    fn mix_is_splitmix64() {
        // The first outputs of the reference generator seeded with 0.
        let golden: u64 = 0x9E37_79B9_7F4A_7C15;
        assert_eq!(mix(golden), 0xE220_A839_7B1D_CDAF);
        assert_eq!(mix(golden.wrapping_mul(2)), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(mix(golden.wrapping_mul(3)), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn fingerprints_stored_by_earlier_versions_stay_comparable() {
        // Fingerprints live in the index: a change of hashing would leave
        // new articles unable to fold with the stored ones.
        let words = Fingerprint::of(STORY).unwrap().to_words();
        let stored = [
            0x3acb_1a0f_695e_71dc,
            0xbe79_b283_55cb_51dd,
            0x3edf_bd95_6e05_d20c,
            0xffff_7844_b0f8_ff43,
        ];
        assert_eq!(words, stored, "{words:#x?}");
        // A short text, where every shingle counts, the first one too.
        let short =
            Fingerprint::of("one two three four five six seven eight nine ten eleven twelve");
        let words = short.unwrap().to_words();
        let stored = [
            0xff63_83ff_ffff_ffff,
            0xff11_b1ff_ffff_ff74,
            0xffff_ffff_ffff_ddff,
            0x2dff_ffff_91ff_ff98,
        ];
        assert_eq!(words, stored, "{words:#x?}");
    }

    #[test]
    fn small_edits_stay_near() {
        let edited = STORY
            .replace("on Thursday", "on Thursday morning")
            .replace("rose sharply", "climbed");
        let (a, b) = (
            Fingerprint::of(STORY).unwrap(),
            Fingerprint::of(&edited).unwrap(),
        );
        assert!(a.near_duplicate(&b), "similarity {}", a.similarity(&b));
    }

    #[test]
    fn different_stories_are_far() {
        let other = "Heavy rain flooded streets across the coastal district overnight, forcing \
            the closure of two schools and the main bridge. Emergency crews pumped water from \
            basements while the council opened a shelter at the sports centre for families \
            who had to leave their homes. Forecasters expect more rain at the weekend.";
        let (a, b) = (
            Fingerprint::of(STORY).unwrap(),
            Fingerprint::of(other).unwrap(),
        );
        assert!(a.similarity(&b) < 0.2, "similarity {}", a.similarity(&b));
        assert!(!a.near_duplicate(&b));
        assert!(!words_near_duplicate(&a.to_words(), &b.to_words()));
    }

    #[test]
    fn similarity_counts_equal_bins_among_used_ones() {
        let slow = |a: &Fingerprint, b: &Fingerprint| {
            let used =
                a.0.iter()
                    .zip(&b.0)
                    .filter(|(x, y)| **x != EMPTY || **y != EMPTY);
            let n = used.clone().count();
            let equal = used.filter(|(x, y)| x == y).count();
            if n == 0 { 0.0 } else { equal as f32 / n as f32 }
        };
        let mut next = crate::testing::numbers(0x9E37_79B9_7F4A_7C15);
        // Few distinct values, and empty bins often, so that equal, empty
        // and mixed bins all come up.
        let mut byte = || [0u8, 1, 0x7f, 0x80, 0xfe, EMPTY, EMPTY][next(7) as usize];
        for _ in 0..2000 {
            let a = Fingerprint(std::array::from_fn(|_| byte()));
            let b = Fingerprint(std::array::from_fn(|_| byte()));
            assert_eq!(a.similarity(&b), slow(&a, &b), "{a:?} {b:?}");
        }
        let empty = Fingerprint([EMPTY; BINS]);
        assert_eq!(empty.similarity(&empty), 0.0);
    }

    #[test]
    fn words_round_trip_and_short_texts() {
        let f = Fingerprint::of(STORY).unwrap();
        assert_eq!(Fingerprint::from_words(f.to_words()), f);
        assert_eq!(Fingerprint::of("Too short to tell."), None);
    }
}
