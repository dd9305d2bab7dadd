//! Text analysis: the analyzers of each language's text, of entity words and
//! of exact entity keys, registered on every open of an index (tantivy does
//! not persist custom analyzers), and a cached stemmer.
//!
//! Stemming dominated indexing profiles (a fifth of the indexing threads'
//! time), while news vocabulary is Zipfian: a per-thread cache of stems
//! answers most tokens with one hash lookup.

use std::borrow::Cow;
use std::cell::RefCell;

use rustc_hash::FxHashMap;
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

/// Cached stems per thread and language before the cache starts over.
const STEM_CACHE_ENTRIES: usize = 200_000;

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
}

/// Analyzers built once and cloned per use (cloning shares the stop-word sets).
#[derive(Clone)]
pub struct Analyzers {
    text: Vec<TextAnalyzer>,
    name: TextAnalyzer,
    key: TextAnalyzer,
}

impl Default for Analyzers {
    fn default() -> Self {
        Analyzers {
            text: Lang::ALL.iter().map(|l| text_analyzer(*l)).collect(),
            name: name_analyzer(),
            key: key_analyzer(),
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

    /// Tokens of `text` under `analyzer`, with their positions.
    pub fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<(usize, String)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((token.position, token.text.clone()));
        }
        out
    }

    /// The exact key of an entity name or alias, as the key analyzer indexes it.
    pub fn key(&self, name: &str) -> String {
        let collapsed = name.split_whitespace().collect::<Vec<_>>().join(" ");
        Analyzers::tokens(self.key.clone(), &collapsed)
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }
}

thread_local! {
    /// Stems already computed on this thread, per language.
    static STEMS: RefCell<Vec<FxHashMap<String, String>>> =
        RefCell::new(vec![FxHashMap::default(); Lang::ALL.len()]);
}

/// A Snowball stemmer (the one tantivy uses) with a per-thread cache.
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
            let cache = &mut caches[self.lang];
            if let Some(stem) = cache.get(token.text.as_str()) {
                if *stem != token.text {
                    token.text.clear();
                    token.text.push_str(stem);
                }
                return;
            }
            let stem = match self.stemmer.stem(&token.text) {
                Cow::Owned(s) => s,
                Cow::Borrowed(s) => s.to_string(),
            };
            if cache.len() >= STEM_CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(token.text.clone(), stem.clone());
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
    fn keys_are_folded_whole_values() {
        let a = Analyzers::default();
        assert_eq!(a.key("  Rosa  Icela Rodríguez "), "rosa icela rodriguez");
        assert_eq!(a.key("DEA"), "dea");
        assert_eq!(a.key("person:Marcelo Ebrard"), "person:marcelo ebrard");
    }
}
