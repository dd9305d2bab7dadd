//! Article languages: the closed set the index analyses with its own stemmer and
//! stop words, the detection that picks one for each article, and the
//! function words of each language ([`words`]).

pub mod words;

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// A language with its own analysis in the index. `Und` (undetermined) covers
/// every other language: folded and lower-cased words, no stemming. Its
/// codes, and the other spellings accepted for them, are written once, here.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::Display,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantNames,
)]
#[strum(ascii_case_insensitive)]
pub enum Lang {
    #[strum(to_string = "en", serialize = "eng", serialize = "english")]
    En,
    #[strum(to_string = "es", serialize = "spa", serialize = "spanish")]
    Es,
    #[strum(
        to_string = "fr",
        serialize = "fra",
        serialize = "fre",
        serialize = "french"
    )]
    Fr,
    #[strum(
        to_string = "de",
        serialize = "deu",
        serialize = "ger",
        serialize = "german"
    )]
    De,
    #[strum(to_string = "pt", serialize = "por", serialize = "portuguese")]
    Pt,
    #[strum(to_string = "it", serialize = "ita", serialize = "italian")]
    It,
    #[strum(to_string = "und", serialize = "other")]
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
        self.into()
    }

    /// Parses an ISO 639-1 code or an English language name, case-insensitively.
    pub fn from_code(code: &str) -> Option<Lang> {
        code.trim().parse().ok()
    }

    /// Parses a code like [`Lang::from_code`]; the error says which codes
    /// there are.
    pub fn parse(code: &str) -> Result<Lang, String> {
        Lang::from_code(code).ok_or_else(|| {
            use strum::VariantNames;
            format!("'{code}' is not one of {}", Lang::VARIANTS.join(", "))
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

/// How many words the stop-word vote reads: enough for a stable guess on
/// news text, few enough to keep detection off the indexing profile.
const SAMPLE_WORDS: usize = 120;

/// Below this many words a guess is too unreliable to move an article away
/// from English, the language of most archives this tool serves.
const MIN_WORDS: u32 = 8;

/// What the stop-word vote counts: each frequent function word of the
/// analysed languages (the `vote` rows of [`words`]), folded as the vote
/// folds its words, with one bit per language in [`Lang::ALL`] order. A
/// word shared by two languages counts for both.
struct Votes {
    bits: FxHashMap<String, u8>,
    /// The longest word listed, in bytes: longer words need no look-up.
    longest: usize,
}

fn votes() -> &'static Votes {
    static VOTES: OnceLock<Votes> = OnceLock::new();
    VOTES.get_or_init(|| {
        let mut bits: FxHashMap<String, u8> = FxHashMap::default();
        for row in words::used_for(words::Uses::VOTE) {
            if let Some(lang) = Lang::from_code(row.lang).filter(|l| *l != Lang::Und) {
                let folded: String = row.word.chars().map(fold_vowel).collect();
                *bits.entry(folded).or_default() |= 1 << lang.index();
            }
        }
        let longest = bits.keys().map(String::len).max().unwrap_or(0);
        Votes { bits, longest }
    })
}

impl Votes {
    /// The languages `word` (lower case, folded) votes for, as bits.
    #[inline]
    fn of(&self, word: &str) -> u8 {
        // Most words are settled by their length.
        if word.len() > self.longest {
            return 0;
        }
        self.bits.get(word).copied().unwrap_or(0)
    }
}

/// A trigram detector for texts the stop-word vote cannot settle, limited to
/// the six analyzed languages and the ones most often confused with them
/// (which map to `Und`).
fn detector() -> &'static whatlang::Detector {
    use whatlang::Lang as W;
    static DETECTOR: OnceLock<whatlang::Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        whatlang::Detector::with_allowlist(vec![
            W::Eng,
            W::Spa,
            W::Fra,
            W::Deu,
            W::Por,
            W::Ita,
            W::Nld,
            W::Swe,
            W::Dan,
            W::Nob,
            W::Pol,
            W::Ces,
            W::Ron,
            W::Hun,
            W::Fin,
            W::Tur,
            W::Cat,
            W::Rus,
            W::Ukr,
            W::Ara,
            W::Cmn,
            W::Jpn,
            W::Kor,
            W::Hin,
            W::Ell,
            W::Heb,
        ])
    })
}

/// Detects the language of an article from its headline and body.
///
/// A vote of very common function words decides most articles in
/// microseconds; close or thin votes go to a trigram model, which also
/// recognises languages outside the six. Short or ambiguous texts fall back
/// to English: a wrong non-English guess would apply a foreign stemmer, which
/// costs more recall than the reverse.
pub fn detect(headline: &str, body: &str) -> Lang {
    let votes = votes();
    let mut tally = [0u32; 6];
    let mut words: u32 = 0;
    let mut buf = String::new();
    for word in headline
        .split(|c: char| !c.is_alphanumeric())
        .chain(body.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .take(SAMPLE_WORDS)
    {
        words += 1;
        buf.clear();
        if word.is_ascii() {
            buf.push_str(word);
            buf.make_ascii_lowercase();
        } else {
            buf.extend(word.chars().flat_map(char::to_lowercase).map(fold_vowel));
        }
        let bits = votes.of(&buf);
        for (i, t) in tally.iter_mut().enumerate() {
            *t += u32::from((bits >> i) & 1);
        }
    }
    if words < MIN_WORDS {
        return Lang::En;
    }
    let mut ranked: Vec<(u32, usize)> = tally.iter().copied().zip(0..).collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
    let (best, second) = (ranked[0], ranked[1]);
    // Function words make up a third of running text; a clear winner with
    // at least a tenth of the words is settled without the trigram model.
    if best.0 * 10 >= words && best.0 >= second.0 * 2 {
        return Lang::ALL[best.1];
    }
    trigram_guess(headline, body)
}

/// Folds the accented vowels of the six languages (enough for the vote).
fn fold_vowel(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        other => other,
    }
}

fn trigram_guess(headline: &str, body: &str) -> Lang {
    let mut sample = String::with_capacity(headline.len() + 801);
    sample.push_str(headline);
    sample.push('\n');
    let mut end = body.len().min(800);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    sample.push_str(&body[..end]);
    // Upper-case text (wire headlines, old telex copy) confuses trigram models.
    let text = if sample.chars().any(char::is_lowercase) {
        sample
    } else {
        sample.to_lowercase()
    };
    let Some(info) = detector().detect(&text) else {
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
    fn other_languages_are_undetermined() {
        let dutch = "De regering maakte dinsdag bekend dat zij volgend jaar de belastingen op brandstof en tabak zal verhogen, ondanks protesten van de oppositie in het parlement.";
        assert_eq!(detect("", dutch), Lang::Und);
        let russian = "Правительство объявило во вторник, что в следующем году повысит налоги на топливо и табак, несмотря на протесты оппозиции.";
        assert_eq!(detect("", russian), Lang::Und);
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
