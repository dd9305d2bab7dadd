//! Function words of each language, read from one table
//! (`function_words.txt`) by everything that needs them: language
//! detection counts the frequent ones, the entity extractor counts English
//! and foreign ones to tell English prose and skips the ones that are never
//! names.

use std::sync::OnceLock;

bitflags::bitflags! {
    /// What a function word is used for (the table's second column).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Uses: u8 {
        /// Counted by language detection for its language.
        const VOTE = 1;
        /// Counted by the entity extractor to tell English prose from
        /// text in another language.
        const PROSE = 1 << 1;
        /// Never starts or forms a name on its own.
        const STOP = 1 << 2;
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionWord {
    /// The word, lower case, accents as written.
    pub word: &'static str,
    /// The ISO 639-1 code of its language (any language, not only the
    /// analysed ones).
    pub lang: &'static str,
    /// What it is used for.
    pub uses: Uses,
}

const TABLE: &str = include_str!("function_words.txt");

/// Every row of the table, in table order.
pub fn all() -> &'static [FunctionWord] {
    static ROWS: OnceLock<Vec<FunctionWord>> = OnceLock::new();
    ROWS.get_or_init(|| parse(TABLE).unwrap_or_default())
}

/// The rows used for every use in `uses`.
pub fn used_for(uses: Uses) -> impl Iterator<Item = &'static FunctionWord> {
    all().iter().filter(move |w| w.uses.contains(uses))
}

/// Parses the table; an error names the line that is not a section, a
/// comment or `word<TAB>uses`.
fn parse(text: &'static str) -> Result<Vec<FunctionWord>, String> {
    let mut rows = Vec::new();
    let mut lang = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(code) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            lang = Some(code);
            continue;
        }
        let bad = |what: &str| format!("function words line {}: {what}", i + 1);
        let lang = lang.ok_or_else(|| bad("a word before any [language]"))?;
        let (word, names) = line.split_once('\t').ok_or_else(|| bad("no TAB"))?;
        let mut uses = Uses::empty();
        for name in names.split_whitespace() {
            uses |= Uses::from_name(&name.to_ascii_uppercase())
                .ok_or_else(|| bad(&format!("unknown use {name:?}")))?;
        }
        if word.is_empty() || uses.is_empty() || word.chars().any(char::is_uppercase) {
            return Err(bad("expected a lower-case word and its uses"));
        }
        rows.push(FunctionWord { word, lang, uses });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_whole() {
        let rows = parse(TABLE).unwrap();
        assert_eq!(rows.len(), all().len());
        assert!(rows.len() > 300);
        assert!(rows.contains(&FunctionWord {
            word: "the",
            lang: "en",
            uses: Uses::VOTE | Uses::PROSE | Uses::STOP
        }));
        assert!(parse("the\tvote\n").is_err());
        assert!(parse("[en]\nthe\tmaybe\n").is_err());
        assert!(parse("[en]\nThe\tvote\n").is_err());
    }

    #[test]
    fn every_language_has_words_for_its_uses() {
        for code in ["en", "es", "fr", "de", "pt", "it"] {
            assert!(used_for(Uses::VOTE).any(|w| w.lang == code), "{code}");
        }
        assert!(used_for(Uses::STOP).all(|w| w.lang == "en"));
        assert!(used_for(Uses::PROSE).any(|w| w.lang == "sv"));
    }
}
