//! HTML pages, read with a real HTML parser: the metadata the page states
//! (JSON-LD, meta tags, canonical link; see [`meta`]), best source first;
//! the headline without the site's name; the publication day (see
//! [`date`]); the body from the article's text, with navigation, scripts,
//! styles, forms, asides and footers left out.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use jiff::civil::Date;
use scraper::{Html, Selector};

use super::{Metadata, RawArticle};

mod blocks;
mod body;
mod date;
mod dom;
mod furniture;
mod headline;
mod meta;
mod nesting;
mod phrases;

/// Every selector the parser uses; parsed once for all pages.
const SELECTORS: &[&str] = &[
    "h1",
    "title",
    "h2, h3",
    r#"[itemprop~="datePublished"], time[pubdate]"#,
];

fn selector(css: &'static str) -> Option<Cow<'static, Selector>> {
    static PARSED: OnceLock<HashMap<&'static str, Selector>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        SELECTORS
            .iter()
            .filter_map(|css| Some((*css, Selector::parse(css).ok()?)))
            .collect()
    });
    match parsed.get(css) {
        Some(sel) => Some(Cow::Borrowed(sel)),
        None => Selector::parse(css).ok().map(Cow::Owned),
    }
}

fn first_text(doc: &Html, css: &'static str) -> Option<String> {
    let sel = selector(css)?;
    doc.select(&sel)
        .map(|e| collapse(&e.text().collect::<String>()))
        .find(|s| !s.is_empty())
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The latest publication day believed: tomorrow (a page stamped in a
/// timezone ahead of ours). A later date is a typo or an event's date.
fn latest_day() -> Date {
    static LATEST: OnceLock<Date> = OnceLock::new();
    *LATEST.get_or_init(|| {
        let today = jiff::Zoned::now().date();
        today.tomorrow().unwrap_or(today)
    })
}

/// Meta tags naming the authors, best first.
const AUTHOR_TAGS: &[&str] = &[
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
];

/// Meta tags naming the section, best first.
const SECTION_TAGS: &[&str] = &[
    "article:section",
    "parsely-section",
    "section",
    "sailthru.section",
    "og:article:section",
];

/// Meta tags listing keywords, best first.
const KEYWORD_TAGS: &[&str] = &[
    "keywords",
    "news_keywords",
    "article:tag",
    "parsely-tags",
    "sailthru.tags",
];

/// Parses an HTML page into an article.
pub fn parse(text: &str) -> RawArticle {
    let doc = Html::parse_document(&nesting::limit(text, nesting::MAX_DEPTH));
    let page = meta::PageMeta::read(&doc);
    let mut meta = Metadata::default();

    let site = page.site_name().map(str::to_string);
    let url = page.url().map(str::to_string);
    let host = url.as_deref().and_then(headline::host_label);
    let sites: Vec<&str> = site
        .iter()
        .map(String::as_str)
        .chain(page.ld.publisher.as_deref())
        .collect();
    let headline = page
        .ld
        .headline
        .clone()
        .or_else(|| page.tag(&["og:title", "twitter:title"]).map(str::to_string))
        .or_else(|| page.parsely("title"))
        .or_else(|| first_text(&doc, "h1"))
        .or_else(|| {
            // A title is the headline with the site's name; a heading it
            // holds is the headline alone: the longest such (a list of other
            // stories may hold a part of it), dashes and quotes aside.
            let title = first_text(&doc, "title")?;
            let whole = headline::squash(&title);
            let heading = selector("h2, h3").and_then(|sel| {
                doc.select(&sel)
                    .map(|e| collapse(&e.text().collect::<String>()))
                    .filter(|h| h.chars().count() >= 15 && whole.contains(&headline::squash(h)))
                    .enumerate()
                    .max_by_key(|(i, h)| (h.len(), std::cmp::Reverse(*i)))
                    .map(|(_, h)| h)
            });
            Some(heading.unwrap_or(title))
        })
        .map(|h| headline::strip_site(&h, &sites, host.as_deref()))
        .unwrap_or_default();

    let dom = dom::Dom::build(&doc);
    let latest = latest_day();
    let chosen = date::choose(&page, &doc, &dom, &headline, latest);
    if let Some((day, source)) = chosen.stated {
        meta.date = Some(day.to_string());
        meta.date_source = Some(source);
    }
    meta.late_date = chosen.late;
    meta.updated = page
        .ld
        .modified
        .clone()
        .or_else(|| page.tag(date::MODIFIED_TAGS).map(str::to_string));

    if let Some(site) = &site {
        meta.set("source", site);
    }
    for name in &page.ld.authors {
        meta.add_author(name);
    }
    if meta.authors.is_empty() {
        let from_tags = AUTHOR_TAGS
            .iter()
            .map(|t| page.tag_all(t))
            .find(|v| v.iter().any(|a| !is_link(a)))
            .unwrap_or_default();
        for names in from_tags.iter().filter(|a| !is_link(a)) {
            for name in split_names(names) {
                meta.add_author(&name);
            }
        }
    }
    meta.section = page
        .ld
        .section
        .clone()
        .or_else(|| page.tag(SECTION_TAGS).map(str::to_string))
        .or_else(|| page.parsely("section"));
    if let Some(url) = &url {
        meta.set("url", url);
    }
    if page.ld.keywords.is_empty() {
        if let Some(tag) = KEYWORD_TAGS.iter().find(|t| !page.tag_all(t).is_empty()) {
            for value in page.tag_all(tag) {
                meta.set("keywords", value);
            }
        }
    } else {
        meta.tags.extend(page.ld.keywords.iter().cloned());
    }
    if let Some(lang) = page
        .ld
        .lang
        .as_deref()
        .or(page.lang.as_deref())
        .or_else(|| page.tag(&["og:locale", "content-language", "language"]))
    {
        let code = lang.split(['-', '_']).next().unwrap_or(lang);
        meta.set("lang", &code.to_ascii_lowercase());
    }

    let body = body::prefer_stated(body::extract(&dom, &headline), page.ld.body.as_deref());
    RawArticle {
        part: None,
        headline,
        body,
        meta,
    }
}

/// Whether a value is a web address (a profile page, not a name).
fn is_link(value: &str) -> bool {
    value.starts_with("http://") || value.starts_with("https://") || value.starts_with('/')
}

/// The names of a byline: "By Ana López and Jo Park", "Ana López, Jo Park".
fn split_names(byline: &str) -> Vec<String> {
    let b = byline.trim();
    let b = ["By ", "by ", "BY ", "Von ", "von ", "Par ", "par "]
        .iter()
        .find_map(|p| b.strip_prefix(p))
        .unwrap_or(b);
    b.split([',', ';', '&'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" und "))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_selector_parses_once() {
        for css in SELECTORS {
            assert!(
                matches!(selector(css), Some(Cow::Borrowed(_))),
                "{css} is not in the parsed set"
            );
        }
    }

    const PAGE: &str = r#"<!doctype html><html lang="en-GB"><head>
<title>Security talks | Meridian</title>
<meta property="og:title" content="Mexico and US rethink security">
<meta property="article:published_time" content="2021-10-08T09:00:00Z">
<meta property="og:site_name" content="Meridian Wire">
<meta name="author" content="Ana López">
<link rel="canonical" href="https://meridian.test/security">
<style>p { color: red }</style><script>var x = "not text";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<header><p>Subscribe now</p></header>
<article><h1>Mexico and US rethink security</h1>
<p>Officials of <b>Mexico</b> and the United States met on Friday.</p>
<p>Marcelo Ebrard led the delegation.</p>
<aside>Related: other story</aside>
</article>
<footer>© Meridian 2021</footer>
</body></html>"#;

    #[test]
    fn page_metadata_and_text() {
        let a = parse(PAGE);
        assert_eq!(a.headline, "Mexico and US rethink security");
        assert_eq!(a.meta.date.as_deref(), Some("2021-10-08"));
        assert_eq!(a.meta.source.as_deref(), Some("Meridian Wire"));
        assert_eq!(a.meta.authors, vec!["Ana López"]);
        assert_eq!(
            a.meta.url.as_deref(),
            Some("https://meridian.test/security")
        );
        assert_eq!(a.meta.lang.as_deref(), Some("en"));
        assert_eq!(
            a.body,
            "Officials of Mexico and the United States met on Friday.\n\nMarcelo Ebrard led the delegation."
        );
    }

    #[test]
    fn fallbacks_h1_title_and_time() {
        let a = parse(
            "<html><head><title>Page title</title></head><body><h1>Floods</h1><time datetime=\"2020-01-02\">Jan 2</time><p>Rain.</p></body></html>",
        );
        assert_eq!(a.headline, "Floods");
        assert_eq!(
            a.meta.late_date,
            Some((
                Date::constant(2020, 1, 2),
                crate::extract::date::DateSource::Markup
            ))
        );
        let c = parse(
            "<html><head><title>Blog of Kim: Rain returns to the coast</title></head><body><h2>Archive</h2><h2>Rain returns to the coast</h2><p>Rain.</p></body></html>",
        );
        assert_eq!(c.headline, "Rain returns to the coast");
        // The heading holding the whole title, written with another dash,
        // over a list's heading holding a part of it.
        let d = parse(
            "<html><head><title>Column: Rain Royal \u{2013} On floods and the sea</title></head><body><h2>Column: Rain Royal - On floods and the sea</h2><p>Rain.</p><h3>Column: Rain Royal</h3></body></html>",
        );
        assert_eq!(d.headline, "Column: Rain Royal - On floods and the sea");
        let b =
            parse("<html><head><title>Only title</title></head><body><p>Text.</p></body></html>");
        assert_eq!(b.headline, "Only title");
        assert_eq!(b.body, "Text.");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = format!(
            "{}<p>deep</p>{}",
            "<div>".repeat(5000),
            "</div>".repeat(5000)
        );
        let a = parse(&deep);
        assert!(a.body.len() < 10);
    }
}
