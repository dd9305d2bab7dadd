//! Phrases that give away page furniture set among the article's own
//! paragraphs, without a class name to tell: calls to follow, subscribe,
//! download an app or comment, "read more" pointers, copyright and credit
//! lines. Only short blocks are judged by them; a paragraph of the story
//! that mentions a newsletter is long enough to be left alone.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

/// Longest block, in characters, judged by its phrases.
pub const MAX_CHARS: u32 = 200;

/// Lower-case phrases, in the languages most pages are written in.
const PHRASES: &[&str] = &[
    // Following and sharing.
    "follow us",
    "follow me on",
    "canal de telegram",
    "like us on",
    "join us on",
    "share on",
    "síguenos",
    "siga-nos",
    "suivez-nous",
    "folgen sie uns",
    "folge uns",
    "seguici",
    // Subscribing and signing up.
    "subscribe",
    "newsletter",
    "sign up",
    "log in to",
    "abonnieren",
    "abonnez-vous",
    "suscríbete",
    "suscribete",
    "assine",
    "iscriviti",
    "inscrivez-vous",
    // Apps.
    "download our",
    "app store",
    "google play",
    // Comments.
    "leave a comment",
    "leave a reply",
    "comments are closed",
    "para comentar",
    "kommentar schreiben",
    "kommentare schreiben",
    "kommentieren",
    // Pointers elsewhere.
    "read more",
    "read also",
    "see also",
    "lesen sie auch",
    "lesen sie mehr",
    "mehr zum thema",
    "lee también",
    "lea también",
    "leia também",
    "lire aussi",
    "weiterlesen",
    // Rights and credits.
    "©",
    "all rights reserved",
    "alle rechte vorbehalten",
    "todos los derechos reservados",
    "tous droits réservés",
    "getty images",
];

fn matcher() -> Option<&'static AhoCorasick> {
    static MATCHER: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    MATCHER
        .get_or_init(|| AhoCorasick::new(PHRASES).ok())
        .as_ref()
}

/// Social networks, named in calls to follow a site.
const NETWORKS: [&str; 6] = [
    "twitter",
    "facebook",
    "instagram",
    "linkedin",
    "telegram",
    "whatsapp",
];

/// Whether a short block's text reads as page furniture: it holds one of
/// the phrases as whole words, or asks to follow on a social network.
pub fn is_furniture(text: &str) -> bool {
    let Some(matcher) = matcher() else {
        return false;
    };
    let lower = text.to_lowercase();
    if lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "follow")
        && NETWORKS.iter().any(|n| lower.contains(n))
    {
        return true;
    }
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    matcher.find_iter(&lower).any(|m| {
        let phrase = PHRASES[m.pattern().as_usize()];
        let before = lower[..m.start()].chars().next_back();
        let after = lower[m.end()..].chars().next();
        let starts_word = phrase.chars().next().is_some_and(char::is_alphanumeric);
        let ends_word = phrase
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        !(starts_word && word(before) || ends_word && word(after))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_and_credits() {
        assert!(is_furniture("Follow The Daily on Twitter @daily"));
        assert!(is_furniture(
            "Subscribe now to our e-paper for the full story."
        ));
        assert!(is_furniture("Lesen Sie auch: Die Lage in Kiew"));
        assert!(is_furniture("Photo: Jane Roe / Getty Images"));
        assert!(is_furniture("© 2021 Meridian Wire"));
        assert!(!is_furniture("The minister left the meeting early."));
        assert!(!is_furniture("Its subscribers doubled."));
        assert!(!is_furniture("The ministry declined to comment."));
    }
}
