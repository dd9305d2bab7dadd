//! What an element's own tag and attributes say about its part in the page:
//! page furniture (navigation, share and follow widgets, newsletter and
//! cookie boxes, related lists, comments, bylines, credits, legal links) or
//! the article's text container.
//!
//! Class and id values are split into words (`article__share-bar`,
//! `shareBar` and `share_bar` all give `share` and `bar`) and the words are
//! looked up in vocabularies common to publishing systems and templates,
//! never names of particular sites.

use scraper::node::Element;

use super::dom::Tag;

/// What one element says about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hint {
    /// Page furniture: its text is not the article's.
    pub furniture: bool,
    /// Reader comments, a kind of furniture that can look like article
    /// text (long, punctuated paragraphs).
    pub comments: bool,
    /// How surely the element holds the article's text: 0 not at all,
    /// 1 a generic container (`<article>`, `<main>`, `class="content"`),
    /// 2 the article body by name (`itemprop="articleBody"`,
    /// `class="article-body"`, `entry-content`...).
    pub content: u8,
}

/// The hint of an element from its tag and attributes.
pub fn hint(tag: Tag, element: &Element) -> Hint {
    let mut hint = Hint::default();
    // Classes of the page as a whole (`comments-open`, `has-sidebar`)
    // describe the page's state, not a part of it.
    if tag == Tag::Body || element.name() == "html" {
        return hint;
    }
    match tag {
        Tag::Nav | Tag::Aside | Tag::Footer | Tag::Figcaption | Tag::Address => {
            hint.furniture = true
        }
        Tag::Article | Tag::Main => hint.content = 1,
        _ => {}
    }
    for (name, value) in &element.attrs {
        match &*name.local {
            "class" | "id" => words(value, &mut hint),
            "role" => match value.trim().to_ascii_lowercase().as_str() {
                "navigation" | "banner" | "contentinfo" | "complementary" | "search" | "dialog"
                | "alertdialog" | "alert" | "menu" | "menubar" | "toolbar" | "tablist" => {
                    hint.furniture = true
                }
                "main" | "article" => hint.content = hint.content.max(1),
                _ => {}
            },
            "itemprop" => {
                let v = value.trim();
                if v.eq_ignore_ascii_case("articleBody") || v.eq_ignore_ascii_case("text") {
                    hint.content = 2;
                } else if v.eq_ignore_ascii_case("comment") || v.eq_ignore_ascii_case("comments") {
                    hint.furniture = true;
                    hint.comments = true;
                }
            }
            _ => {}
        }
    }
    hint
}

/// Longest word looked up; longer ones are never in the vocabularies.
const MAX_WORD: usize = 24;

/// Looks up the words of a class or id value.
fn words(value: &str, hint: &mut Hint) {
    let mut buf = [0u8; MAX_WORD];
    let mut prev = Word::Other;
    // The class value as a whole, for single-word names like "hidden".
    for token in value.split_ascii_whitespace() {
        if token_hides(token) {
            hint.furniture = true;
        }
    }
    for word in split_words(value) {
        if word.len() > MAX_WORD {
            prev = Word::Other;
            continue;
        }
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        let kind = lookup(lower);
        match kind {
            Word::Furniture => hint.furniture = true,
            Word::Comments => {
                hint.furniture = true;
                hint.comments = true;
            }
            Word::Body => hint.content = hint.content.max(2),
            Word::Part if prev == Word::Whole => hint.content = hint.content.max(2),
            Word::Generic => hint.content = hint.content.max(1),
            _ => {}
        }
        prev = kind;
    }
}

/// Splits a class or id value into words at non-alphanumerics and at
/// lower-to-upper case changes (`shareBar` -> `share`, `Bar`).
pub fn split_words(value: &str) -> impl Iterator<Item = &str> {
    let bytes = value.as_bytes();
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i <= bytes.len() {
            let at = i;
            i += 1;
            let boundary = at == bytes.len()
                || !is_word_byte(bytes[at])
                || (at > start
                    && bytes[at].is_ascii_uppercase()
                    && bytes[at - 1].is_ascii_lowercase());
            if !boundary {
                continue;
            }
            let word = &value[start..at];
            // A case change starts the next word at this byte; a separator
            // is skipped.
            start = if at < bytes.len() && is_word_byte(bytes[at]) {
                at
            } else {
                at + 1
            };
            if !word.is_empty() {
                return Some(word);
            }
        }
        None
    })
}

/// Letters, digits and any byte of a non-ASCII character (so that words
/// are cut only at ASCII separators, always on character boundaries).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Whether one class token hides its element (utility classes of common
/// style sheets; responsive ones like `hidden-xs` hide only on some screens).
fn token_hides(token: &str) -> bool {
    const HIDING: [&str; 9] = [
        "hidden",
        "hide",
        "d-none",
        "is-hidden",
        "sr-only",
        "visually-hidden",
        "visuallyhidden",
        "screen-reader-text",
        "screen-reader-only",
    ];
    HIDING.iter().any(|h| token.eq_ignore_ascii_case(h))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    /// A word only page furniture is named with.
    Furniture,
    /// Reader comments.
    Comments,
    /// The article body by itself (`articlebody`, `entrycontent`).
    Body,
    /// A word naming a whole piece of writing (`article`, `entry`, `post`,
    /// `story`); followed by a [`Word::Part`] it names the body.
    Whole,
    /// A word naming the text part (`body`, `content`, `text`).
    Part,
    /// A generic main container (`content`, `main`).
    Generic,
    Other,
}

fn lookup(word: &[u8]) -> Word {
    match word {
        b"nav" | b"navbar" | b"navi" | b"navigation" | b"menu" | b"menus" | b"submenu"
        | b"megamenu" | b"breadcrumb" | b"breadcrumbs" | b"footer" | b"sidebar" | b"share"
        | b"shares" | b"sharing" | b"sharebar" | b"social" | b"socials" | b"sociable"
        | b"newsletter" | b"newsletters" | b"subscribe" | b"subscription" | b"signup"
        | b"cookie" | b"cookies" | b"consent" | b"gdpr" | b"related" | b"recommended"
        | b"recommendations" | b"popular" | b"trending" | b"mostread" | b"ad" | b"ads"
        | b"advert" | b"adverts" | b"advertisement" | b"advertising" | b"sponsor"
        | b"sponsored" | b"promo" | b"promotion" | b"banner" | b"outbrain" | b"taboola"
        | b"toolbar" | b"pagination" | b"pager" | b"tags" | b"tagcloud" | b"byline"
        | b"timestamp" | b"dateline" | b"skip" | b"modal" | b"alert" | b"popup" | b"overlay"
        | b"cta" | b"follow" | b"rating" | b"ratings" | b"ticker" | b"login" | b"signin"
        | b"paywall" | b"credit" | b"credits" | b"copyright" | b"legal" | b"avatar" | b"author"
        | b"authors" | b"bio" | b"caption" | b"print" | b"date" | b"meta" | b"breadcrumbs2" => {
            Word::Furniture
        }
        b"comment" | b"comments" | b"disqus" | b"respond" | b"replies" => Word::Comments,
        b"articlebody" | b"storybody" | b"postbody" | b"entrycontent" | b"articlecontent"
        | b"postcontent" | b"articletext" | b"storytext" | b"bodytext" | b"fulltext"
        | b"storycontent" => Word::Body,
        b"article" | b"entry" | b"post" | b"story" | b"blog" | b"news" | b"single" => Word::Whole,
        b"body" | b"content" | b"text" | b"copy" => Word::Part,
        b"main" | b"maincontent" => Word::Generic,
        _ => Word::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn hint_of(html: &str) -> Hint {
        let doc = Html::parse_fragment(html);
        let el = doc
            .root_element()
            .children()
            .find_map(scraper::ElementRef::wrap)
            .expect("an element");
        hint(Tag::of(el.value().name()), el.value())
    }

    #[test]
    fn words_of_class_values() {
        let words: Vec<&str> = split_words("article__share-bar shareBar x_y").collect();
        assert_eq!(words, ["article", "share", "bar", "share", "Bar", "x", "y"]);
        assert_eq!(split_words("ABC").collect::<Vec<_>>(), ["ABC"]);
    }

    #[test]
    fn furniture_and_content_by_name() {
        assert!(hint_of(r#"<div class="article-share">x</div>"#).furniture);
        assert!(hint_of(r#"<div id="socialLinks">x</div>"#).furniture);
        assert!(hint_of(r#"<ul role="navigation">x</ul>"#).furniture);
        assert!(hint_of(r#"<nav>x</nav>"#).furniture);
        let c = hint_of(r#"<section id="comments">x</section>"#);
        assert!(c.furniture && c.comments);
        assert!(!hint_of(r#"<div class="commentary">x</div>"#).furniture);
        assert!(!hint_of(r#"<div class="shareholders">x</div>"#).furniture);
        assert_eq!(hint_of(r#"<div class="article-body">x</div>"#).content, 2);
        assert_eq!(hint_of(r#"<div itemprop="articleBody">x</div>"#).content, 2);
        assert_eq!(hint_of(r#"<div class="entry-content">x</div>"#).content, 2);
        assert_eq!(hint_of(r#"<div class="body-article">x</div>"#).content, 0);
        assert_eq!(hint_of(r#"<article>x</article>"#).content, 1);
        assert!(hint_of(r#"<span class="sr-only">x</span>"#).furniture);
        assert!(!hint_of(r#"<span class="hidden-xs">x</span>"#).furniture);
    }
}
