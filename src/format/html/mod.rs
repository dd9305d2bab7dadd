//! HTML pages, read with a real HTML parser: the headline from `og:title`, the
//! first `h1` or `title`; the date from `article:published_time`, similar meta
//! tags or `<time datetime>`; the body from the article's text, with
//! navigation, scripts, styles, forms, asides and footers left out.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use scraper::{Html, Selector};

use super::{Metadata, RawArticle};

mod blocks;
mod body;
mod dom;
mod furniture;
mod nesting;
mod phrases;

/// Every selector the parser uses; parsed once for all pages.
const SELECTORS: &[&str] = &[
    r#"meta[property="og:title"]"#,
    r#"meta[name="twitter:title"]"#,
    "h1",
    "title",
    r#"meta[property="article:published_time"]"#,
    r#"meta[name="article:published_time"]"#,
    r#"meta[itemprop="datePublished"]"#,
    r#"meta[name="date"]"#,
    r#"meta[name="pubdate"]"#,
    r#"meta[name="publishdate"]"#,
    r#"meta[name="DC.date.issued"]"#,
    r#"meta[name="dc.date"]"#,
    r#"meta[property="og:published_time"]"#,
    "time[datetime]",
    r#"meta[property="og:site_name"]"#,
    r#"meta[name="author"]"#,
    r#"meta[property="article:author"]"#,
    r#"link[rel="canonical"]"#,
    r#"meta[property="og:url"]"#,
    r#"meta[name="keywords"]"#,
    "html[lang]",
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

fn meta_content(doc: &Html, css: &'static str) -> Option<String> {
    let sel = selector(css)?;
    doc.select(&sel)
        .filter_map(|e| e.value().attr("content"))
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
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

/// Parses an HTML page into an article.
pub fn parse(text: &str) -> RawArticle {
    let doc = Html::parse_document(&nesting::limit(text, nesting::MAX_DEPTH));
    let mut meta = Metadata::default();

    let headline = meta_content(&doc, r#"meta[property="og:title"]"#)
        .or_else(|| meta_content(&doc, r#"meta[name="twitter:title"]"#))
        .or_else(|| first_text(&doc, "h1"))
        .or_else(|| first_text(&doc, "title"))
        .unwrap_or_default();

    let date = [
        r#"meta[property="article:published_time"]"#,
        r#"meta[name="article:published_time"]"#,
        r#"meta[itemprop="datePublished"]"#,
        r#"meta[name="date"]"#,
        r#"meta[name="pubdate"]"#,
        r#"meta[name="publishdate"]"#,
        r#"meta[name="DC.date.issued"]"#,
        r#"meta[name="dc.date"]"#,
        r#"meta[property="og:published_time"]"#,
    ]
    .iter()
    .find_map(|css| meta_content(&doc, css))
    .or_else(|| {
        let sel = selector("time[datetime]")?;
        doc.select(&sel)
            .filter_map(|e| e.value().attr("datetime"))
            .map(|s| s.trim().to_string())
            .find(|s| !s.is_empty())
    });
    if let Some(date) = date {
        meta.set("date", &date);
    }
    if let Some(source) = meta_content(&doc, r#"meta[property="og:site_name"]"#) {
        meta.set("source", &source);
    }
    if let Some(author) = meta_content(&doc, r#"meta[name="author"]"#)
        .or_else(|| meta_content(&doc, r#"meta[property="article:author"]"#))
    {
        meta.set("author", &author);
    }
    let url = selector(r#"link[rel="canonical"]"#)
        .and_then(|sel| {
            doc.select(&sel)
                .find_map(|e| e.value().attr("href").map(str::to_string))
        })
        .or_else(|| meta_content(&doc, r#"meta[property="og:url"]"#));
    if let Some(url) = url {
        meta.set("url", &url);
    }
    if let Some(keywords) = meta_content(&doc, r#"meta[name="keywords"]"#) {
        meta.set("keywords", &keywords);
    }
    if let Some(lang) = selector("html[lang]").and_then(|sel| {
        doc.select(&sel)
            .find_map(|e| e.value().attr("lang").map(str::to_string))
    }) {
        meta.set("lang", lang.split('-').next().unwrap_or(&lang));
    }

    let dom = dom::Dom::build(&doc);
    // The text a page's metadata states for its article (JSON-LD
    // `articleBody`) would be passed here; none is read yet.
    let stated: Option<&str> = None;
    let body = body::prefer_stated(body::extract(&dom, &headline), stated);
    RawArticle {
        part: None,
        headline,
        body,
        meta,
    }
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
        assert_eq!(a.meta.date.as_deref(), Some("2021-10-08T09:00:00Z"));
        assert_eq!(a.meta.source.as_deref(), Some("Meridian Wire"));
        assert_eq!(a.meta.author.as_deref(), Some("Ana López"));
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
        assert_eq!(a.meta.date.as_deref(), Some("2020-01-02"));
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
