//! Article languages: the closed set the index analyses with its own stemmer and
//! stop words, and the detection that picks one for each article.

use serde::{Deserialize, Serialize};

/// A language with its own analysis in the index. `Und` (undetermined) covers
/// every other language: folded and lower-cased words, no stemming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Es,
    Fr,
    De,
    Pt,
    It,
    Und,
}

impl Lang {
    /// Every language, in the order the schema declares their fields.
    pub const ALL: [Lang; 7] = [
        Lang::En,
        Lang::Es,
        Lang::Fr,
        Lang::De,
        Lang::Pt,
        Lang::It,
        Lang::Und,
    ];

    /// ISO 639-1 code (`und` for undetermined).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::Pt => "pt",
            Lang::It => "it",
            Lang::Und => "und",
        }
    }

    /// Parses an ISO 639-1 code or an English language name, case-insensitively.
    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        Some(match code.as_str() {
            "en" | "eng" | "english" => Lang::En,
            "es" | "spa" | "spanish" => Lang::Es,
            "fr" | "fra" | "fre" | "french" => Lang::Fr,
            "de" | "deu" | "ger" | "german" => Lang::De,
            "pt" | "por" | "portuguese" => Lang::Pt,
            "it" | "ita" | "italian" => Lang::It,
            "und" | "other" => Lang::Und,
            _ => return None,
        })
    }

    /// Position in [`Lang::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The tantivy stemmer and stop-word language, if the language has one.
    pub fn tantivy(self) -> Option<tantivy::tokenizer::Language> {
        use tantivy::tokenizer::Language as L;
        Some(match self {
            Lang::En => L::English,
            Lang::Es => L::Spanish,
            Lang::Fr => L::French,
            Lang::De => L::German,
            Lang::Pt => L::Portuguese,
            Lang::It => L::Italian,
            Lang::Und => return None,
        })
    }
}

/// How many bytes of an article the detector reads: enough for a stable guess,
/// little enough to keep detection off the indexing profile.
const SAMPLE_BYTES: usize = 1500;

/// Below this many letters a guess is too unreliable to move an article away
/// from English, the language of most archives this tool serves.
const MIN_LETTERS: usize = 40;

/// Detects the language of an article from its headline and body.
///
/// Short or ambiguous texts fall back to English: a wrong non-English guess
/// would apply a foreign stemmer, which costs more recall than the reverse.
pub fn detect(headline: &str, body: &str) -> Lang {
    let mut sample = String::with_capacity(SAMPLE_BYTES + headline.len() + 1);
    sample.push_str(headline);
    sample.push('\n');
    let mut end = body.len().min(SAMPLE_BYTES);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    sample.push_str(&body[..end]);
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return Lang::En;
    }
    // Upper-case text (wire headlines, old telex copy) confuses trigram models.
    let lowered;
    let text = if sample.chars().any(|c| c.is_lowercase()) {
        sample.as_str()
    } else {
        lowered = sample.to_lowercase();
        lowered.as_str()
    };
    let Some(info) = whatlang::detect(text) else {
        return Lang::En;
    };
    let lang = match info.lang() {
        whatlang::Lang::Eng => Lang::En,
        whatlang::Lang::Spa => Lang::Es,
        whatlang::Lang::Fra => Lang::Fr,
        whatlang::Lang::Deu => Lang::De,
        whatlang::Lang::Por => Lang::Pt,
        whatlang::Lang::Ita => Lang::It,
        _ => Lang::Und,
    };
    if lang != Lang::En && info.confidence() < 0.5 {
        return Lang::En;
    }
    lang
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_six_languages() {
        let cases = [
            (
                Lang::En,
                "The government announced on Tuesday that it would raise taxes on fuel and tobacco next year, despite protests from opposition parties.",
            ),
            (
                Lang::Es,
                "El gobierno anunció el martes que subirá los impuestos sobre el combustible y el tabaco el próximo año, pese a las protestas de la oposición.",
            ),
            (
                Lang::Fr,
                "Le gouvernement a annoncé mardi qu'il augmenterait les taxes sur le carburant et le tabac l'année prochaine, malgré les protestations de l'opposition.",
            ),
            (
                Lang::De,
                "Die Regierung kündigte am Dienstag an, im nächsten Jahr die Steuern auf Kraftstoff und Tabak zu erhöhen, trotz der Proteste der Opposition.",
            ),
            (
                Lang::Pt,
                "O governo anunciou na terça-feira que vai aumentar os impostos sobre os combustíveis e o tabaco no próximo ano, apesar dos protestos da oposição.",
            ),
            (
                Lang::It,
                "Il governo ha annunciato martedì che aumenterà le tasse sul carburante e sul tabacco il prossimo anno, nonostante le proteste dell'opposizione.",
            ),
        ];
        for (want, text) in cases {
            assert_eq!(detect("", text), want, "{text}");
        }
    }

    #[test]
    fn short_and_upper_case_texts() {
        assert_eq!(detect("Hi", "ok"), Lang::En);
        assert_eq!(
            detect(
                "U.S. BANKS IN TALKS ON DEBT",
                "THE BANKS SAID THEY WERE IN TALKS WITH THE TREASURY ABOUT THE DEBT OF SEVERAL COUNTRIES."
            ),
            Lang::En
        );
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
            assert_eq!(Lang::ALL[lang.index()], lang);
        }
        assert_eq!(Lang::from_code("xx"), None);
    }
}
