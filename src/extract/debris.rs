//! Page debris: the related-story links and widgets a scraper leaves after an
//! article's last paragraph ("Argentina's CPI increases more than expected in
//! April"). They are cut from the body so they are neither indexed nor shown.
//!
//! The rule is deliberately conservative, because losing a real closing
//! paragraph is worse than keeping a stray link: only a run of at least
//! [`MIN_RUN`] trailing lines is cut, each standing alone between blank lines,
//! each short and headline-like (capitalised, no sentence-final punctuation,
//! not a reporting credit), and only when the line before the run ends a
//! sentence, so the article visibly finished before the debris began.

/// Fewest debris lines cut: one lone unpunctuated line is more often a
/// sign-off or credit than a link.
const MIN_RUN: usize = 2;
/// Longest debris line, in characters.
const MAX_CHARS: usize = 120;
/// Word-count bounds of a headline-like line.
const MIN_WORDS: usize = 3;
const MAX_WORDS: usize = 18;

/// Boilerplate lines that are debris whatever their shape.
const BOILERPLATE: [&str; 10] = [
    "advertisement",
    "related",
    "related stories",
    "related articles",
    "read more",
    "more stories",
    "share this article",
    "share",
    "recommended",
    "most read",
];

/// Returns the body with trailing page debris removed (trailing blank lines too
/// when debris was cut), always a prefix of `body`. The body is returned
/// unchanged when in doubt.
pub fn strip(body: &str) -> &str {
    let lines: Vec<(usize, &str)> = body
        .split_inclusive('\n')
        .scan(0usize, |offset, line| {
            let start = *offset;
            *offset += line.len();
            Some((start, line))
        })
        .collect();
    // Walk back over the trailing run of standalone debris-like lines.
    let mut i = lines.len();
    let mut run = 0;
    let mut cut_at = body.len();
    loop {
        while i > 0 && lines[i - 1].1.trim().is_empty() {
            i -= 1;
        }
        if i == 0 {
            return body;
        }
        let (start, line) = lines[i - 1];
        let standalone = i < 2 || lines[i - 2].1.trim().is_empty();
        if !standalone || !(is_headline_like(line) || is_boilerplate(line)) {
            break;
        }
        run += 1;
        cut_at = start;
        i -= 1;
    }
    if run < MIN_RUN {
        return body;
    }
    // The last kept line must close a sentence: the article ended there.
    let last = lines[i - 1].1.trim_end();
    if !ends_sentence(last) {
        return body;
    }
    // Never cut more lines than the article keeps.
    let kept = lines[..i]
        .iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .count();
    if run > kept {
        return body;
    }
    body[..cut_at].trim_end()
}

fn ends_sentence(line: &str) -> bool {
    line.chars().last().is_some_and(|c| {
        matches!(
            c,
            '.' | '!' | '?' | '…' | '"' | '”' | '’' | '\'' | ')' | ':' | ';' | '»'
        )
    })
}

fn is_boilerplate(line: &str) -> bool {
    let t = line.trim().trim_end_matches(':').trim().to_lowercase();
    BOILERPLATE.contains(&t.as_str())
}

fn is_headline_like(line: &str) -> bool {
    let t = line.trim();
    let chars = t.chars().count();
    if chars == 0 || chars > MAX_CHARS || ends_sentence(t) || t.ends_with(',') {
        return false;
    }
    let first = t.chars().next().unwrap_or(' ');
    if !(first.is_uppercase() || first.is_ascii_digit()) {
        return false;
    }
    let words = t.split_whitespace().count();
    if !(MIN_WORDS..=MAX_WORDS).contains(&words) {
        return false;
    }
    !is_credit(t)
}

/// Reporting credits and sign-offs close real articles without punctuation.
fn is_credit(line: &str) -> bool {
    let lower = line.to_lowercase();
    let lower = lower.trim_start_matches(['(', '-', '—', '–', ' ']);
    const CREDITS: [&str; 9] = [
        "reporting by",
        "additional reporting",
        "writing by",
        "editing by",
        "compiled by",
        "written by",
        "translated by",
        "photo",
        "copyright",
    ];
    CREDITS.iter().any(|c| lower.starts_with(c)) || lower.starts_with('©')
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "Officials met on Tuesday.\n\nThey agreed to meet again.\n";

    #[test]
    fn cuts_trailing_related_headlines() {
        let body = format!(
            "{ARTICLE}\nArgentina’s CPI increases more than expected in April\n\nMiss Puerto Rico wants to fill her countrymen with pride in Miss Universe\n"
        );
        assert_eq!(strip(&body), ARTICLE.trim_end());
    }

    #[test]
    fn cuts_boilerplate_runs() {
        let body = format!("{ARTICLE}\nRelated:\n\nHarbour city unveils new tram line\n");
        assert_eq!(strip(&body), ARTICLE.trim_end());
    }

    #[test]
    fn keeps_a_single_trailing_line() {
        let body = format!("{ARTICLE}\nHarbour city unveils new tram line\n");
        assert_eq!(strip(&body), body);
    }

    #[test]
    fn keeps_credits_and_sign_offs() {
        for tail in [
            "Reporting by Ana López\n\nEditing by Sam Holmes",
            " Reuter\n\n Reuter",
            "(Additional reporting by Jo Park)\n\nWriting by Sam Holmes",
        ] {
            let body = format!("{ARTICLE}\n{tail}\n");
            assert_eq!(strip(&body), body, "{tail}");
        }
    }

    #[test]
    fn keeps_unfinished_articles_and_wrapped_paragraphs() {
        // The line before the run does not end a sentence.
        let body = "They agreed to meet\n\nHarbour city unveils new tram line\n\nCouncil approves the budget for schools\n";
        assert_eq!(strip(body), body);
        // Lines of a wrapped paragraph are not standalone.
        let wrapped = "Officials met on Tuesday.\n\nThe partnership will acquire oil and gas\nproducing properties from third parties\n";
        assert_eq!(strip(wrapped), wrapped);
    }

    #[test]
    fn keeps_short_articles_that_are_mostly_headline_like() {
        let body = "Officials met.\n\nHarbour city unveils new tram line\n\nCouncil approves the budget for schools\n";
        assert_eq!(strip(body), body);
    }
}
