//! Tokens: one byte-level pass that splits text into words and punctuation
//! and records the shape facts (case, digits, initials, line, sentence start)
//! that the rules need. Works on prose ("U.S.", "don't", "Rodríguez's",
//! curly quotes, em dashes) and on space-separated wire tokens ("U.S. 's").

bitflags::bitflags! {
    /// What a token is: its shape, set while splitting the text, and the
    /// lexicon facts the document adds once per word.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub(crate) struct Flags: u32 {
        /// The token has at least one letter.
        const ALPHA = 1;
        /// The first letter is upper case.
        const CAP = 1 << 1;
        /// Every letter is upper case (and there are at least two letters).
        const ALLCAPS = 1 << 2;
        /// The first character is a lower-case letter.
        const LOWER = 1 << 3;
        /// The first character is a digit.
        const DIGIT = 1 << 4;
        /// An initial such as "P." or "J.R." or a name glued to one ("D.O'Keefe").
        const INITIAL = 1 << 5;
        /// First word of a sentence (or of a line).
        const SENT_START = 1 << 6;
        /// A possessive ending: "'s", "’s" or a lone apostrophe after a word.
        const POSS = 1 << 7;
        /// Punctuation or symbol.
        const PUNCT = 1 << 8;
        /// Ends a sentence: '.', '!', '?'.
        const STOP = 1 << 9;
        /// A quote or bracket (skipped when looking for sentence starts).
        const QUOTE = 1 << 10;
        /// The word contains a hyphen.
        const HYPHEN = 1 << 11;
        /// A function word ("The", "But"): set by the document from the lexicon.
        const STOPWORD = 1 << 12;
        /// A common word or function word ("Police", "Total"): set likewise.
        const COMMON = 1 << 13;
        /// A listed given name ("Marcelo"): set likewise.
        const GIVEN = 1 << 14;
        /// A personal title ("Minister", "Mr."): set likewise.
        const TITLE = 1 << 15;
        /// An organisation head or suffix ("Ministry", "Corp"): set likewise.
        const ORG_HEAD = 1 << 16;
        /// A gazetteer name may start here (first word of some name): set likewise.
        const GAZ_START = 1 << 17;
        /// An upper-cased gazetteer name may start here: set likewise.
        const GAZ_UPPER = 1 << 18;
        /// A surname particle ("de", "van"): set likewise.
        const PARTICLE = 1 << 19;
        /// The lexicon flags of a word that is not capitalised were looked up.
        const LEXED = 1 << 20;
    }
}

/// The leading letters and digits of a word ("U.S." -> "U", "1860" ->
/// "1860"): the key under which a name's first word is looked up.
pub(crate) fn alnum_prefix(w: &str) -> &str {
    let b = w.as_bytes();
    let ascii_end = b
        .iter()
        .position(|c| !c.is_ascii_alphanumeric())
        .unwrap_or(b.len());
    if ascii_end == b.len() || b[ascii_end] < 0x80 {
        return &w[..ascii_end];
    }
    let end = w
        .char_indices()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(w.len(), |(i, _)| i);
    &w[..end]
}

/// One token: a byte range of the text plus shape flags.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub flags: Flags,
}

impl Tok {
    pub fn is(&self, flag: Flags) -> bool {
        self.flags.intersects(flag)
    }
    /// A word that starts with an upper-case letter (names, acronyms).
    pub fn is_cap(&self) -> bool {
        self.flags.contains(Flags::CAP | Flags::ALPHA)
    }
}

/// Abbreviations that keep their final period ("Mr.", "Inc.", "Calif.").
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Lt", "Sgt", "Capt", "Cmdr", "Adm", "Maj",
    "Rep", "Sen", "Gov", "Rev", "Fr", "St", "Ste", "Mt", "Ft", "Jr", "Sr", "Inc", "Corp", "Co",
    "Ltd", "Bros", "Cie", "Messrs", "Ave", "Calif", "Conn", "Mass", "Penn", "Ill", "Wash", "Mich",
    "Minn", "Wis", "Ariz", "Colo", "Fla", "Okla", "Tenn", "Tex", "Va", "Pa", "Md", "Ga", "Ala",
    "Ark", "Del", "Ind", "Kan", "Ky", "La", "Miss", "Mo", "Mont", "Neb", "Nev", "Ore", "Vt", "Wyo",
    "No", "Vol", "Wisc", "Nebr", "Kans", "Oreg", "Cal",
];

fn is_abbreviation(w: &str) -> bool {
    // All are short and capitalised.
    w.len() <= 6
        && w.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
        && ABBREVIATIONS.contains(&w)
}

/// Decodes the char at byte `i` (which must be a char boundary).
#[inline]
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or(' ')
}

/// True when the byte at `i` starts a letter or digit.
#[inline]
fn alnum_at(text: &str, i: usize) -> bool {
    match text.as_bytes().get(i) {
        None => false,
        Some(&b) if b < 0x80 => b.is_ascii_alphanumeric(),
        Some(_) => char_at(text, i).is_alphanumeric(),
    }
}

/// Splits `text` into tokens, appending to `out` (cleared first).
pub(crate) fn tokenize(text: &str, out: &mut Vec<Tok>) {
    out.clear();
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    let mut line = 0u32;
    while i < n {
        let c = b[i];
        if c == b'\n' {
            line += 1;
            i += 1;
            continue;
        }
        if c < 0x80 {
            if c.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            if !c.is_ascii_alphanumeric() {
                let mut flags = Flags::PUNCT;
                match c {
                    b'.' | b'!' | b'?' => flags |= Flags::STOP,
                    b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'`' => flags |= Flags::QUOTE,
                    _ => {}
                }
                // A detached possessive: "U.S. 's" in tokenised wire text.
                if c == b'\'' && matches!(b.get(i + 1), Some(b's' | b'S')) && !alnum_at(text, i + 2)
                {
                    out.push(Tok {
                        start: i,
                        end: i + 2,
                        line,
                        flags: Flags::PUNCT | Flags::POSS,
                    });
                    i += 2;
                    continue;
                }
                // A lone apostrophe right after a word ending in s: "farmers '".
                if c == b'\'' && is_possessive_s(text, i) {
                    flags = Flags::PUNCT | Flags::POSS;
                }
                out.push(Tok {
                    start: i,
                    end: i + 1,
                    line,
                    flags,
                });
                i += 1;
                continue;
            }
        } else {
            let ch = char_at(text, i);
            if !ch.is_alphanumeric() {
                let len = ch.len_utf8();
                if !ch.is_whitespace() {
                    let flags = match ch {
                        '“' | '”' | '‘' | '’' | '«' | '»' => Flags::PUNCT | Flags::QUOTE,
                        '…' => Flags::PUNCT | Flags::STOP,
                        _ => Flags::PUNCT,
                    };
                    out.push(Tok {
                        start: i,
                        end: i + len,
                        line,
                        flags,
                    });
                }
                i += len;
                continue;
            }
        }
        i = scan_word(text, i, line, out);
    }
}

/// True when the apostrophe at `i` directly follows a word ending in "s".
fn is_possessive_s(text: &str, i: usize) -> bool {
    i > 0 && matches!(text.as_bytes()[i - 1], b's' | b'S') && !alnum_at(text, i + 1)
}

bitflags::bitflags! {
    /// What an ASCII byte is, for [`BYTE_CLASS`].
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    struct ByteClass: u8 {
        /// A letter or digit.
        const ALNUM = 1;
        /// A letter.
        const LETTER = 1 << 1;
        /// An upper-case letter.
        const UPPER = 1 << 2;
    }
}

/// Class of each byte: empty for all but ASCII letters and digits.
static BYTE_CLASS: [ByteClass; 256] = {
    let mut t = [ByteClass::empty(); 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        if b.is_ascii_digit() {
            t[c] = ByteClass::ALNUM;
        } else if b.is_ascii_uppercase() {
            t[c] = ByteClass::ALNUM
                .union(ByteClass::LETTER)
                .union(ByteClass::UPPER);
        } else if b.is_ascii_lowercase() {
            t[c] = ByteClass::ALNUM.union(ByteClass::LETTER);
        }
        c += 1;
    }
    t
};

/// Scans one word starting at `start`; pushes it (and a split-off "'s").
fn scan_word(text: &str, start: usize, line: u32, out: &mut Vec<Tok>) -> usize {
    let b = text.as_bytes();
    let n = b.len();
    let mut j = start;
    let mut has_dot = false;
    let mut hyphen = false;
    // Shape counts of an all-ASCII word, gathered on the way.
    let mut ascii = true;
    let (mut letters, mut uppers) = (0usize, 0usize);
    while j < n {
        let c = b[j];
        let class = BYTE_CLASS[usize::from(c)];
        if !class.is_empty() {
            letters += usize::from(class.contains(ByteClass::LETTER));
            uppers += usize::from(class.contains(ByteClass::UPPER));
            j += 1;
            continue;
        }
        if c < 0x80 {
            // "U.S.-led", "Ill.-based": an abbreviation glued to a word.
            if c == b'.' && b.get(j + 1) == Some(&b'-') && alnum_at(text, j + 2) {
                has_dot = true;
                hyphen = true;
                j += 2;
                continue;
            }
            // Joiners stay inside a word when a letter or digit follows.
            if matches!(c, b'\'' | b'-' | b'.' | b'&') && alnum_at(text, j + 1) {
                has_dot |= c == b'.';
                hyphen |= c == b'-';
                j += 1;
                continue;
            }
            break;
        }
        let ch = char_at(text, j);
        if ch.is_alphanumeric() {
            ascii = false;
            j += ch.len_utf8();
            continue;
        }
        if ch == '’' && alnum_at(text, j + ch.len_utf8()) {
            ascii = false;
            j += ch.len_utf8();
            continue;
        }
        break;
    }
    let mut end = j;
    // Keep the period of initials, dotted acronyms and known abbreviations.
    if end < n && b[end] == b'.' {
        let w = &text[start..end];
        let single = if ascii {
            w.len() == 1 && b[start].is_ascii_alphabetic()
        } else {
            w.chars().count() == 1 && w.chars().all(char::is_alphabetic)
        };
        if single || has_dot || is_abbreviation(w) {
            end += 1;
        }
    }
    // Split a possessive "'s" / "’s" off the word.
    let w = &text[start..end];
    let mut poss_len = 0;
    if w.len() > 2 && (w.ends_with("'s") || w.ends_with("'S")) {
        poss_len = 2;
    } else if w.len() > 4 && (w.ends_with("’s") || w.ends_with("’S")) {
        poss_len = 4;
    }
    let word_end = end - poss_len;
    let word = &text[start..word_end];
    let flags = if ascii {
        if poss_len > 0 {
            // The split-off "s" is no letter of the word.
            letters = letters.saturating_sub(1);
            uppers = uppers.saturating_sub(usize::from(b[end - 1] == b'S'));
        }
        ascii_word_flags(word, letters, uppers, hyphen)
    } else {
        word_flags(word)
    };
    out.push(Tok {
        start,
        end: word_end,
        line,
        flags: flags
            | if hyphen {
                Flags::HYPHEN
            } else {
                Flags::empty()
            },
    });
    if poss_len > 0 {
        out.push(Tok {
            start: word_end,
            end,
            line,
            flags: Flags::PUNCT | Flags::POSS,
        });
    }
    end
}

/// Shape flags of an ASCII word whose letters were counted while scanning
/// (the same as [`word_flags`]).
#[inline]
fn ascii_word_flags(w: &str, letters: usize, uppers: usize, hyphen: bool) -> Flags {
    let bytes = w.as_bytes();
    let mut flags = match bytes.first() {
        Some(c) if c.is_ascii_digit() => Flags::DIGIT,
        Some(c) if c.is_ascii_uppercase() => Flags::CAP,
        Some(c) if c.is_ascii_lowercase() => Flags::LOWER,
        _ => Flags::empty(),
    };
    if letters > 0 {
        flags |= Flags::ALPHA;
    }
    if letters >= 2 && uppers == letters {
        flags |= Flags::ALLCAPS;
    }
    if flags.contains(Flags::CAP) && bytes.len() >= 2 && bytes[1] == b'.' {
        flags |= Flags::INITIAL;
    }
    if hyphen && flags.contains(Flags::LOWER) {
        flags = article_name(w, flags);
    }
    flags
}

/// Shape flags of one word.
fn word_flags(w: &str) -> Flags {
    let mut flags = Flags::empty();
    let (mut letters, mut uppers) = (0usize, 0usize);
    if w.is_ascii() {
        let b = w.as_bytes();
        match b.first() {
            Some(c) if c.is_ascii_digit() => flags |= Flags::DIGIT,
            Some(c) if c.is_ascii_uppercase() => flags |= Flags::CAP,
            Some(c) if c.is_ascii_lowercase() => flags |= Flags::LOWER,
            _ => {}
        }
        for c in b {
            if c.is_ascii_alphabetic() {
                letters += 1;
                uppers += usize::from(c.is_ascii_uppercase());
            }
        }
    } else {
        for (n, ch) in w.chars().enumerate() {
            if n == 0 {
                if ch.is_numeric() {
                    flags |= Flags::DIGIT;
                } else if ch.is_uppercase() {
                    flags |= Flags::CAP;
                } else if ch.is_lowercase() {
                    flags |= Flags::LOWER;
                }
            }
            if ch.is_alphabetic() {
                letters += 1;
                // Letters without case (CJK...) count as upper for shape.
                uppers += usize::from(!ch.is_lowercase());
            }
        }
    }
    if letters > 0 {
        flags |= Flags::ALPHA;
    }
    if letters >= 2 && uppers == letters {
        flags |= Flags::ALLCAPS;
    }
    // "P.", "J.R.", "D.O'Keefe" (and "U.S.": gazetteer hits win over initials).
    let bytes = w.as_bytes();
    if flags.contains(Flags::CAP) && bytes.len() >= 2 && bytes[1] == b'.' {
        flags |= Flags::INITIAL;
    }
    if flags.contains(Flags::LOWER) {
        flags = article_name(w, flags);
    }
    flags
}

/// "al-Qidra", "el-Sisi", "bin-Laden": an article glued to a name is a name.
fn article_name(w: &str, flags: Flags) -> Flags {
    if let Some((head, tail)) = w.split_once('-')
        && matches!(
            head,
            "al" | "el"
                | "ad"
                | "ed"
                | "as"
                | "ash"
                | "at"
                | "az"
                | "ar"
                | "an"
                | "ul"
                | "bin"
                | "ibn"
                | "abu"
                | "bani"
        )
        && tail.starts_with(|c: char| c.is_uppercase())
    {
        return (flags & !Flags::LOWER) | Flags::CAP;
    }
    flags
}

/// Hard-wrapped text (fixed-width wire copy) breaks names across lines
/// ("First\nBoston Corp"). When many lines go on with a lower-case word, a
/// single line break that does not start an indented paragraph is read as a
/// space: tokens are renumbered to logical lines. True when it did so.
pub(crate) fn join_wrapped_lines(text: &str, toks: &mut [Tok]) -> bool {
    let (mut breaks, mut continued) = (0usize, 0usize);
    for w in toks.windows(2) {
        if w[1].line == w[0].line + 1 {
            breaks += 1;
            continued += usize::from(w[1].is(Flags::LOWER));
        }
    }
    if continued < 3 || continued * 5 < breaks {
        return false;
    }
    let b = text.as_bytes();
    let mut logical = 0;
    let mut prev = toks.first().map_or(0, |t| t.line);
    for i in 0..toks.len() {
        let physical = toks[i].line;
        if physical != prev {
            let indented = toks[i].start > 0 && b[toks[i].start - 1] != b'\n';
            let soft = physical == prev + 1 && !indented && !toks[i - 1].is(Flags::STOP);
            if !soft {
                logical += 1;
            }
            prev = physical;
        }
        toks[i].line = logical;
    }
    true
}

/// Marks sentence starts: the first word of each line and the first word
/// after '.', '!', '?', ':' or ';' (skipping quotes and brackets).
pub(crate) fn mark_sentence_starts(text: &str, toks: &mut [Tok]) {
    let mut at_start = true;
    let mut line = u32::MAX;
    for t in toks.iter_mut() {
        if t.line != line {
            line = t.line;
            at_start = true;
        }
        if t.is(Flags::PUNCT) {
            if t.is(Flags::STOP) {
                // A period that belongs to an abbreviation is its own token only
                // in wire text ("Pa ."), where it does end the sentence.
                at_start = true;
            } else if matches!(&text[t.start..t.end], ":" | ";" | "-" | "--" | "—" | "–") {
                at_start = true;
            } else if !t.is(Flags::QUOTE) {
                at_start = false;
            }
            continue;
        }
        if at_start {
            t.flags |= Flags::SENT_START;
        }
        at_start = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut v = Vec::new();
        tokenize(text, &mut v);
        v.iter().map(|t| &text[t.start..t.end]).collect()
    }

    #[test]
    fn prose_tokens() {
        assert_eq!(
            words("Rodríguez's plan, the U.S. said: “don't” — Chester-le-Street."),
            vec![
                "Rodríguez",
                "'s",
                "plan",
                ",",
                "the",
                "U.S.",
                "said",
                ":",
                "“",
                "don't",
                "”",
                "—",
                "Chester-le-Street",
                "."
            ]
        );
        assert_eq!(words("Ebrard’s visit"), vec!["Ebrard", "’s", "visit"]);
    }

    #[test]
    fn wire_tokens() {
        assert_eq!(
            words("U.S. 's ( DEA ) K. Ashworth 3-41 D.O'Keefe"),
            vec![
                "U.S.",
                "'s",
                "(",
                "DEA",
                ")",
                "K.",
                "Ashworth",
                "3-41",
                "D.O'Keefe"
            ]
        );
        let mut v = Vec::new();
        let text = "K. Ashworth and U.S. NATO";
        tokenize(text, &mut v);
        assert!(v[0].is(Flags::INITIAL));
        assert!(v[4].is(Flags::ALLCAPS));
    }

    #[test]
    fn sentence_starts() {
        let text = "The man left. \" But Smith stayed\nLONDON";
        let mut v = Vec::new();
        tokenize(text, &mut v);
        mark_sentence_starts(text, &mut v);
        let starts: Vec<&str> = v
            .iter()
            .filter(|t| t.is(Flags::SENT_START))
            .map(|t| &text[t.start..t.end])
            .collect();
        assert_eq!(starts, vec!["The", "But", "LONDON"]);
    }
}
