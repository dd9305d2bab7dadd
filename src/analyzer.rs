//! Text analysis: the analyzers of each language's text, of entity words, of
//! the vocabulary and of exact entity keys, registered on every open of an
//! index (tantivy does not persist custom analyzers), and a cached stemmer.
//!
//! Stemming dominated indexing profiles (a fifth of the indexing threads'
//! time), while news vocabulary is Zipfian: a per-thread cache of stems
//! answers most tokens with one hash lookup.

use std::borrow::Cow;
use std::cell::RefCell;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

use crate::lang::Lang;

/// Longest token kept by the analyzers, in bytes: longer runs are noise (base64,
/// URLs without separators) and would bloat the term dictionary.
pub const MAX_TOKEN_LEN: usize = 40;

/// Analyzer of entity words: folded and lower-cased, never stemmed.
pub const NAME_ANALYZER: &str = "news_name";
/// Analyzer of exact entity keys: the whole value, folded and lower-cased.
pub const KEY_ANALYZER: &str = "news_key";
/// Analyzer of the vocabulary: words as written, folded and lower-cased,
/// never stemmed, without numbers or single letters.
pub const WORDS_ANALYZER: &str = "news_words";

/// Name of the analyzer of one language's text fields.
pub fn analyzer_name(lang: Lang) -> String {
    format!("news_{}", lang.code())
}

fn algorithm(lang: Lang) -> Option<frostem::Algorithm> {
    use frostem::Algorithm as A;
    Some(match lang {
        Lang::En => A::English,
        Lang::Es => A::Spanish,
        Lang::Fr => A::French,
        Lang::De => A::German,
        Lang::Pt => A::Portuguese,
        Lang::It => A::Italian,
        Lang::Und => return None,
    })
}

/// Builds the text analyzer of one language: words split on non-alphanumerics,
/// bounded in length, lower-cased, stop words removed, folded to ASCII, stemmed.
///
/// Folding comes before stemming so that a query typed without accents stems
/// exactly like the accented word in the article (`Rodriguez` / `Rodríguez`).
pub fn text_analyzer(lang: Lang) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .dynamic();
    let with_stops = match lang.tantivy().and_then(StopWordFilter::new) {
        Some(stops) => base.filter_dynamic(stops),
        None => base,
    };
    let folded = with_stops.filter_dynamic(AsciiFoldingFilter);
    match algorithm(lang) {
        Some(algorithm) => folded
            .filter_dynamic(CachedStemmer { algorithm, lang })
            .build(),
        None => folded.build(),
    }
}

/// Builds the analyzer of entity words.
pub fn name_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Builds the analyzer of the vocabulary: the words spelling suggestions
/// and completions are drawn from. Numbers and single letters are left
/// out: nobody needs them corrected or completed, and numbers alone would
/// double the vocabulary of a financial wire.
pub fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LettersOnly)
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Builds the analyzer of exact entity keys.
pub fn key_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers every custom analyzer.
pub fn register(manager: &TokenizerManager) {
    for lang in Lang::ALL {
        manager.register(&analyzer_name(lang), text_analyzer(lang));
    }
    manager.register(NAME_ANALYZER, name_analyzer());
    manager.register(KEY_ANALYZER, key_analyzer());
    manager.register(WORDS_ANALYZER, words_analyzer());
}

/// Keeps the tokens of at least two characters with no digit.
#[derive(Clone)]
struct LettersOnly;

impl LettersOnly {
    fn keeps(text: &str) -> bool {
        let mut chars = text.chars();
        chars.next().is_some_and(|c| !c.is_numeric())
            && chars.next().is_some_and(|c| !c.is_numeric())
            && !chars.any(char::is_numeric)
    }
}

impl TokenFilter for LettersOnly {
    type Tokenizer<T: Tokenizer> = LettersOnlyFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> LettersOnlyFilter<T> {
        LettersOnlyFilter(tokenizer)
    }
}

#[derive(Clone)]
struct LettersOnlyFilter<T>(T);

impl<T: Tokenizer> Tokenizer for LettersOnlyFilter<T> {
    type TokenStream<'a> = LettersOnlyStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        LettersOnlyStream(self.0.token_stream(text))
    }
}

struct LettersOnlyStream<T>(T);

impl<T: TokenStream> TokenStream for LettersOnlyStream<T> {
    fn advance(&mut self) -> bool {
        while self.0.advance() {
            if LettersOnly::keeps(&self.0.token().text) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

/// Analyzers built once and cloned per use (cloning shares the stop-word sets).
#[derive(Clone)]
pub struct Analyzers {
    text: Vec<TextAnalyzer>,
    name: TextAnalyzer,
    key: TextAnalyzer,
    words: TextAnalyzer,
}

impl Default for Analyzers {
    fn default() -> Self {
        Analyzers {
            text: Lang::ALL.iter().map(|l| text_analyzer(*l)).collect(),
            name: name_analyzer(),
            key: key_analyzer(),
            words: words_analyzer(),
        }
    }
}

impl Analyzers {
    /// The text analyzer of a language.
    pub fn text(&self, lang: Lang) -> TextAnalyzer {
        self.text[lang.index()].clone()
    }

    /// The entity-words analyzer (folded, lower-cased, unstemmed).
    pub fn name(&self) -> TextAnalyzer {
        self.name.clone()
    }

    /// The vocabulary analyzer (folded, lower-cased, unstemmed, letters only).
    pub fn words(&self) -> TextAnalyzer {
        self.words.clone()
    }

    /// Tokens of `text` under `analyzer`, with their positions.
    pub fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<(usize, String)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((token.position, token.text.clone()));
        }
        out
    }

    /// The last token of `text` under `analyzer` (a word's stem), without
    /// collecting the others.
    pub fn last_token(analyzer: &mut TextAnalyzer, text: &str) -> Option<String> {
        let mut stream = analyzer.token_stream(text);
        let mut last = None;
        while stream.advance() {
            last = Some(std::mem::take(&mut stream.token_mut().text));
        }
        last
    }

    /// Appends the tokens of `text` under `analyzer` to `out`, unseparated.
    pub fn push_tokens(analyzer: &mut TextAnalyzer, text: &str, out: &mut String) {
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            out.push_str(&stream.token().text);
        }
    }

    /// The folded [`crate::schema::entity_key`] of an entity name or alias
    /// of one kind, as the index holds it.
    pub fn entity_key(&self, kind: crate::entity::EntityKind, name: &str) -> String {
        self.key(&crate::schema::entity_key(kind, name))
    }

    /// The exact key of an entity name or alias, as the key analyzer indexes it.
    pub fn key(&self, name: &str) -> String {
        let mut collapsed = name.split_whitespace().collect::<Vec<_>>().join(" ");
        // The key analyzer lower-cases and folds accents: ASCII text only
        // needs the first (the same key, without a token stream).
        if collapsed.is_ascii() {
            collapsed.make_ascii_lowercase();
            return collapsed;
        }
        Analyzers::tokens(self.key.clone(), &collapsed)
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }
}

/// Slots of the stem cache of one language on one thread (a power of two).
const STEM_CACHE_SLOTS: usize = 1 << 15;
/// Longest word or stem a slot holds inline, in bytes.
const SLOT_BYTES: usize = 30;

/// One cached word and its stem, inline: a lookup touches one slot and no
/// heap string, which matters more than the hit rate once the table
/// outgrows the CPU caches.
#[derive(Clone, Copy)]
struct Slot {
    word_len: u8,
    stem_len: u8,
    word: [u8; SLOT_BYTES],
    stem: [u8; SLOT_BYTES],
}

const EMPTY_SLOT: Slot = Slot {
    word_len: 0,
    stem_len: 0,
    word: [0; SLOT_BYTES],
    stem: [0; SLOT_BYTES],
};

/// A direct-mapped cache of stems: a word's hash picks its slot and a
/// colliding word replaces it. Frequent words (most of running text) stay;
/// memory is fixed.
struct StemCache {
    slots: Box<[Slot]>,
}

impl StemCache {
    fn new() -> StemCache {
        StemCache {
            slots: vec![EMPTY_SLOT; STEM_CACHE_SLOTS].into_boxed_slice(),
        }
    }

    fn slot(word: &str) -> usize {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let hash = BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(word.as_bytes());
        // The high bits of an Fx hash are the well-mixed ones.
        (hash >> (64 - STEM_CACHE_SLOTS.trailing_zeros())) as usize
    }

    fn get(&self, word: &str) -> Option<&[u8]> {
        let slot = &self.slots[Self::slot(word)];
        let len = usize::from(slot.word_len);
        (len == word.len() && len > 0 && &slot.word[..len] == word.as_bytes())
            .then(|| &slot.stem[..usize::from(slot.stem_len)])
    }

    fn put(&mut self, word: &str, stem: &str) {
        if word.is_empty() || word.len() > SLOT_BYTES || stem.len() > SLOT_BYTES {
            return;
        }
        let slot = &mut self.slots[Self::slot(word)];
        slot.word[..word.len()].copy_from_slice(word.as_bytes());
        slot.stem[..stem.len()].copy_from_slice(stem.as_bytes());
        // Lengths fit: both are at most SLOT_BYTES.
        slot.word_len = word.len() as u8;
        slot.stem_len = stem.len() as u8;
    }
}

thread_local! {
    /// Stems already computed on this thread, per language (built on first use).
    static STEMS: RefCell<Vec<Option<StemCache>>> =
        RefCell::new((0..Lang::ALL.len()).map(|_| None).collect());
}

/// Stemming through a per-thread cache.
#[derive(Clone)]
struct CachedStemmer {
    algorithm: frostem::Algorithm,
    lang: Lang,
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            stemmer: self,
            inner: tokenizer,
        }
    }
}

#[derive(Clone)]
struct CachedStemmerFilter<T> {
    stemmer: CachedStemmer,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: frostem::Stemmer::new(self.stemmer.algorithm),
            lang: self.stemmer.lang.index(),
        }
    }
}

struct CachedStemmerStream<T> {
    tail: T,
    stemmer: frostem::Stemmer,
    lang: usize,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        STEMS.with(|cell| {
            let mut caches = cell.borrow_mut();
            let cache = caches[self.lang].get_or_insert_with(StemCache::new);
            if let Some(stem) = cache.get(&token.text) {
                if stem != token.text.as_bytes() {
                    // The cache holds only whole strings copied from `str`s.
                    if let Ok(stem) = std::str::from_utf8(stem) {
                        token.text.clear();
                        token.text.push_str(stem);
                    }
                }
                return;
            }
            let stem = match self.stemmer.stem(&token.text) {
                Cow::Owned(s) => s,
                Cow::Borrowed(s) => s.to_string(),
            };
            cache.put(&token.text, &stem);
            token.text = stem;
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(analyzer: TextAnalyzer, text: &str) -> Vec<String> {
        Analyzers::tokens(analyzer, text)
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    #[test]
    fn english_folds_and_stems() {
        let en = || text_analyzer(Lang::En);
        assert_eq!(tokens(en(), "Rodríguez"), tokens(en(), "Rodriguez"));
        assert_eq!(tokens(en(), "meetings"), tokens(en(), "meeting"));
        assert_eq!(tokens(en(), "The DEA and the FBI"), vec!["dea", "fbi"]);
        let long = "x".repeat(MAX_TOKEN_LEN + 1);
        assert!(tokens(en(), &long).is_empty());
    }

    #[test]
    fn cached_stems_equal_fresh_stems() {
        let text = "running runs ran meetings generously organisations running meetings";
        let first = tokens(text_analyzer(Lang::En), text);
        let second = tokens(text_analyzer(Lang::En), text);
        assert_eq!(first, second);
        let plain = frostem::Stemmer::new(frostem::Algorithm::English);
        let expected: Vec<String> = text
            .split(' ')
            .map(|w| plain.stem(w).into_owned())
            .collect();
        assert_eq!(first, expected);
    }

    #[test]
    fn spanish_stems_folded_words() {
        let es = || text_analyzer(Lang::Es);
        assert_eq!(tokens(es(), "reuniones"), tokens(es(), "reunión"));
        assert_eq!(tokens(es(), "Educación"), tokens(es(), "educacion"));
    }

    #[test]
    fn undetermined_language_only_folds() {
        assert_eq!(
            tokens(text_analyzer(Lang::Und), "Meetings Zürich"),
            vec!["meetings", "zurich"]
        );
    }

    #[test]
    fn vocabulary_is_folded_words_without_numbers() {
        assert_eq!(
            tokens(
                words_analyzer(),
                "Gorbachev's 1987 talks in Zürich, B52 a G7"
            ),
            vec!["gorbachev", "talks", "in", "zurich"]
        );
    }

    #[test]
    fn keys_are_folded_whole_values() {
        let a = Analyzers::default();
        assert_eq!(a.key("  Rosa  Icela Rodríguez "), "rosa icela rodriguez");
        assert_eq!(a.key("DEA"), "dea");
        assert_eq!(a.key("person:Marcelo Ebrard"), "person:marcelo ebrard");
        // ASCII keys are made without the analyzer, and agree with it.
        for text in ["Donald J. Trump", "AT&T  Inc", "O'Neill\tJr.", "", " x "] {
            let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let through: String = Analyzers::tokens(a.key.clone(), &collapsed)
                .into_iter()
                .map(|(_, t)| t)
                .collect();
            assert_eq!(a.key(text), through, "{text:?}");
        }
    }

    #[test]
    fn stem_cache_answers_what_it_holds_and_nothing_else() {
        let mut cache = StemCache::new();
        assert_eq!(cache.get("meetings"), None);
        cache.put("meetings", "meet");
        assert_eq!(cache.get("meetings"), Some(&b"meet"[..]));
        assert_eq!(cache.get("meeting"), None);
        // Words longer than a slot are never cached, so never answered wrongly.
        let long = "internationalisationalistically";
        cache.put(long, "internation");
        assert_eq!(cache.get(long), None);
        assert_eq!(cache.get(""), None);
    }

    #[test]
    fn cached_stems_equal_uncached_ones_over_many_words() {
        // Enough distinct words to force slot collisions and replacement.
        let words: Vec<String> = (0..100_000).map(|i| format!("w{i}ings")).collect();
        let text = words.join(" ");
        let first = tokens(text_analyzer(Lang::En), &text);
        let again = tokens(text_analyzer(Lang::En), &text);
        assert_eq!(first, again);
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        for (word, stem) in words.iter().zip(&first).step_by(997) {
            assert_eq!(stemmer.stem(word), stem.as_str());
        }
    }

    #[test]
    fn last_token_and_pushed_tokens_match_the_token_list() {
        let mut en = text_analyzer(Lang::En);
        assert_eq!(
            Analyzers::last_token(&mut en, "the meetings"),
            tokens(text_analyzer(Lang::En), "the meetings").pop()
        );
        assert_eq!(Analyzers::last_token(&mut en, "the"), None);
        let mut out = String::from(">");
        Analyzers::push_tokens(&mut name_analyzer(), "Rodríguez-Ochoa", &mut out);
        assert_eq!(out, ">rodriguezochoa");
    }
}
