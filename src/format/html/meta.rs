//! What a web page states about its article in its markup, read once:
//! schema.org JSON-LD (an article object, also inside `@graph` arrays and
//! lists; a script that does not parse is ignored), `<meta>` tags by name,
//! property or itemprop (Open Graph, Twitter cards, Dublin Core, Parse.ly,
//! Sailthru...), the Parse.ly page object, `<link rel=canonical>` and the
//! page's language. Choosing among them is left to the caller.

use std::collections::HashMap;

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

/// The schema.org types of an article, a post or a report. Types ending in
/// `Article` (`NewsArticle`, `ReportageNewsArticle`, `TechArticle`...) count
/// too.
const ARTICLE_TYPES: [&str; 6] = [
    "BlogPosting",
    "LiveBlogPosting",
    "SocialMediaPosting",
    "DiscussionForumPosting",
    "Report",
    "Review",
];

/// The schema.org types of a whole page, whose dates stand in for an
/// article's when no article object is stated.
const PAGE_TYPES: [&str; 4] = ["WebPage", "ItemPage", "AboutPage", "CollectionPage"];

/// What the page's JSON-LD says about its article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stated {
    /// `headline` (or `name`).
    pub headline: Option<String>,
    /// `datePublished`.
    pub published: Option<String>,
    /// `dateCreated`.
    pub created: Option<String>,
    /// `dateModified`.
    pub modified: Option<String>,
    /// Every `author` name.
    pub authors: Vec<String>,
    /// `publisher` name.
    pub publisher: Option<String>,
    /// `keywords`.
    pub keywords: Vec<String>,
    /// `articleSection`.
    pub section: Option<String>,
    /// `inLanguage`.
    pub lang: Option<String>,
    /// `url`, or the `@id` of `mainEntityOfPage`.
    pub url: Option<String>,
    /// `articleBody`.
    pub body: Option<String>,
    /// `datePublished` of the page object, when no article object has one.
    pub page_published: Option<String>,
}

/// Everything the page's markup states.
#[derive(Debug, Clone, Default)]
pub struct PageMeta {
    /// JSON-LD.
    pub ld: Stated,
    /// `<meta>` contents by lower-cased name, property or itemprop, each
    /// name's values in page order.
    tags: HashMap<String, Vec<String>>,
    /// The Parse.ly page object (`<meta name="parsely-page">`).
    parsely: Option<serde_json::Map<String, Value>>,
    /// `<link rel=canonical>`.
    pub canonical: Option<String>,
    /// `<html lang>`.
    pub lang: Option<String>,
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"))
}

struct Selectors {
    meta: Selector,
    ld: Selector,
    canonical: Selector,
    html: Selector,
}

fn selectors() -> &'static Selectors {
    static S: std::sync::OnceLock<Selectors> = std::sync::OnceLock::new();
    S.get_or_init(|| Selectors {
        meta: sel("meta[content]"),
        ld: sel(r#"script[type="application/ld+json" i]"#),
        canonical: sel(r#"link[rel~="canonical" i][href]"#),
        html: sel("html[lang]"),
    })
}

impl PageMeta {
    /// Reads the metadata of a parsed page.
    pub fn read(doc: &Html) -> PageMeta {
        let s = selectors();
        let mut tags: HashMap<String, Vec<String>> = HashMap::new();
        for e in doc.select(&s.meta) {
            let el = e.value();
            let Some(content) = el.attr("content").map(clean) else {
                continue;
            };
            if content.is_empty() {
                continue;
            }
            for key in ["property", "name", "itemprop"] {
                if let Some(name) = el.attr(key) {
                    // `property` may list several names ("og:title twitter:title").
                    for name in name.split_whitespace() {
                        tags.entry(tag_name(name))
                            .or_default()
                            .push(content.clone());
                    }
                }
            }
        }
        let parsely = tags
            .get("parsely-page")
            .and_then(|v| v.first())
            .and_then(|json| serde_json::from_str::<Value>(json).ok())
            .and_then(|v| match v {
                Value::Object(map) => Some(map),
                _ => None,
            });
        let scripts: Vec<String> = doc
            .select(&s.ld)
            .map(|e| e.text().collect::<String>())
            .collect();
        let canonical = doc
            .select(&s.canonical)
            .filter_map(|e| e.value().attr("href"))
            .map(str::trim)
            .find(|h| !h.is_empty())
            .map(str::to_string);
        let lang = doc
            .select(&s.html)
            .filter_map(|e| e.value().attr("lang"))
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_string);
        PageMeta {
            ld: read_json_ld(&scripts),
            tags,
            parsely,
            canonical,
            lang,
        }
    }

    /// The first non-empty value of the first of `names` the page has.
    pub fn tag(&self, names: &[&str]) -> Option<&str> {
        names
            .iter()
            .find_map(|n| self.tags.get(*n).and_then(|v| v.first()))
            .map(String::as_str)
    }

    /// Every value of `name`, in page order.
    pub fn tag_all(&self, name: &str) -> &[String] {
        self.tags.get(name).map_or(&[], Vec::as_slice)
    }

    /// A string value of the Parse.ly page object.
    pub fn parsely(&self, key: &str) -> Option<String> {
        self.parsely
            .as_ref()
            .and_then(|m| m.get(key))
            .and_then(text_of)
    }

    /// The page's own URL: canonical link, `og:url`, then JSON-LD `url`.
    pub fn url(&self) -> Option<&str> {
        self.canonical
            .as_deref()
            .filter(|u| is_absolute_url(u))
            .or_else(|| {
                self.tag(&["og:url", "twitter:url"])
                    .filter(|u| is_absolute_url(u))
            })
            .or_else(|| self.ld.url.as_deref().filter(|u| is_absolute_url(u)))
    }

    /// The name of the site or publisher.
    pub fn site_name(&self) -> Option<&str> {
        self.tag(&["og:site_name", "application-name", "twitter:site"])
            .map(|s| s.trim_start_matches('@'))
            .or(self.ld.publisher.as_deref())
            .or_else(|| self.tag(&["publisher", "dc.publisher", "dcterms.publisher"]))
    }
}

/// A tag's name in lower case, Dublin Core's written with a colon
/// (`DC:date`, `dcterms:created`) as with a dot (`dc.date`).
fn tag_name(name: &str) -> String {
    let name = name.to_lowercase();
    match name.split_once(':') {
        Some((prefix @ ("dc" | "dcterms"), rest)) => format!("{prefix}.{rest}"),
        _ => name,
    }
}

fn is_absolute_url(u: &str) -> bool {
    u.starts_with("http://") || u.starts_with("https://")
}

/// Collapses whitespace and decodes nothing further: the parser has already
/// decoded entities.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a JSON-LD `@type` (a string or a list) names an article.
fn is_type(node: &serde_json::Map<String, Value>, test: impl Fn(&str) -> bool) -> bool {
    let name_ok = |t: &str| {
        let t = t.rsplit(['/', ':']).next().unwrap_or(t);
        test(t)
    };
    match node.get("@type") {
        Some(Value::String(t)) => name_ok(t),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(name_ok),
        _ => false,
    }
}

fn is_article(node: &serde_json::Map<String, Value>) -> bool {
    is_type(node, |t| {
        t.ends_with("Article") || ARTICLE_TYPES.contains(&t)
    })
}

fn is_page(node: &serde_json::Map<String, Value>) -> bool {
    is_type(node, |t| PAGE_TYPES.contains(&t)) || is_type(node, |t| WORK_TYPES.contains(&t))
}

/// The schema.org types of a page's one work that is not an article (a
/// how-to, a recipe, a video), whose publication is the page's.
const WORK_TYPES: [&str; 4] = ["HowTo", "Recipe", "VideoObject", "PodcastEpisode"];

/// The text of a scalar or of an object's `name` (an author, a publisher),
/// whitespace collapsed.
fn text_of(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => clean(s),
        Value::Number(n) => n.to_string(),
        Value::Object(m) => return m.get("name").and_then(text_of),
        Value::Array(items) => return items.iter().find_map(text_of),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// Names in a value that may be one name, an object, or a list of them;
/// `{"@id": ...}` references are looked up in `ids`.
fn names_of(v: &Value, ids: &HashMap<String, &serde_json::Map<String, Value>>) -> Vec<String> {
    let one = |v: &Value| -> Option<String> {
        match v {
            Value::Object(m) if !m.contains_key("name") => m
                .get("@id")
                .and_then(Value::as_str)
                .and_then(|id| ids.get(id))
                .and_then(|m| m.get("name"))
                .and_then(text_of),
            other => text_of(other),
        }
    };
    let mut names: Vec<String> = match v {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    };
    // A name that is a web address is a profile link, not a name.
    names.retain(|n| !n.starts_with("http://") && !n.starts_with("https://"));
    names
}

/// A list written as a JSON array or one comma-separated string.
fn list_of(v: &Value) -> Vec<String> {
    let split =
        |s: &str| -> Vec<String> { s.split(',').map(clean).filter(|s| !s.is_empty()).collect() };
    match v {
        Value::String(s) => split(s),
        Value::Array(items) => items
            .iter()
            .filter_map(text_of)
            .flat_map(|s| split(&s))
            .collect(),
        _ => Vec::new(),
    }
}

/// Parses one JSON-LD script, forgiving what pages commonly get wrong
/// (HTML comment or CDATA wrappers, raw line breaks inside strings).
fn parse_script(text: &str) -> Option<Value> {
    let t = text.trim();
    let t = t
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("//]]>")
        .trim();
    if let Ok(v) = serde_json::from_str(t) {
        return Some(v);
    }
    let flat: String = t
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    serde_json::from_str(&flat).ok()
}

/// Reads the article object of a page's JSON-LD scripts.
fn read_json_ld(scripts: &[String]) -> Stated {
    let values: Vec<Value> = scripts.iter().filter_map(|s| parse_script(s)).collect();
    // The top-level objects: each script's object, the items of a list, the
    // members of a `@graph`, and the `mainEntity` of a page.
    let mut nodes: Vec<&serde_json::Map<String, Value>> = Vec::new();
    let mut stack: Vec<&Value> = values.iter().rev().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(m) => {
                nodes.push(m);
                if let Some(g) = m.get("@graph") {
                    stack.push(g);
                }
                if let Some(main) = m.get("mainEntity")
                    && matches!(main, Value::Object(_))
                {
                    stack.push(main);
                }
            }
            _ => {}
        }
    }
    let ids: HashMap<String, &serde_json::Map<String, Value>> = nodes
        .iter()
        .filter_map(|m| Some((m.get("@id")?.as_str()?.to_string(), *m)))
        .collect();
    let mut stated = Stated {
        page_published: nodes
            .iter()
            .filter(|m| is_page(m))
            .find_map(|m| m.get("datePublished").and_then(text_of)),
        ..Stated::default()
    };
    let Some(article) = nodes.iter().find(|m| is_article(m)) else {
        return stated;
    };
    let get = |key: &str| article.get(key).and_then(text_of);
    stated.headline = get("headline").or_else(|| get("name"));
    stated.published = get("datePublished");
    stated.created = get("dateCreated");
    stated.modified = get("dateModified");
    stated.authors = article
        .get("author")
        .map(|a| names_of(a, &ids))
        .unwrap_or_default();
    stated.publisher = article
        .get("publisher")
        .map(|p| names_of(p, &ids))
        .and_then(|n| n.into_iter().next());
    stated.keywords = article.get("keywords").map(list_of).unwrap_or_default();
    stated.section = article
        .get("articleSection")
        .and_then(|s| list_of(s).into_iter().next());
    stated.lang = article.get("inLanguage").and_then(|l| match l {
        Value::Object(m) => m.get("alternateName").and_then(text_of),
        other => text_of(other),
    });
    stated.url = get("url").or_else(|| {
        article.get("mainEntityOfPage").and_then(|m| match m {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get("@id").and_then(text_of),
            _ => None,
        })
    });
    stated.body = article
        .get("articleBody")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(str::to_string);
    stated
}

/// The value of an element that states a date in an attribute (`datetime`,
/// `content`) or, failing that, its text.
pub fn date_value(e: &ElementRef) -> Option<String> {
    let el = e.value();
    el.attr("datetime")
        .or_else(|| el.attr("content"))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .or_else(|| {
            let t = clean(&e.text().collect::<String>());
            (!t.is_empty() && t.len() < 200).then_some(t)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(head: &str) -> PageMeta {
        PageMeta::read(&Html::parse_document(&format!(
            "<html lang=\"de\"><head>{head}</head><body><p>x</p></body></html>"
        )))
    }

    #[test]
    fn json_ld_article_with_graph_and_references() {
        let m = read(
            r##"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"WebPage","@id":"https://x.test/a#page","datePublished":"2020-01-01"},
            {"@type":["NewsArticle"],"headline":"Floods  return","datePublished":"2021-03-05T08:00:00+01:00",
             "dateModified":"2021-03-06","author":[{"@id":"#p1"},{"@type":"Person","name":"Jo Park"}],
             "publisher":{"@type":"Organization","name":"Meridian Wire"},"keywords":"floods, rain",
             "articleSection":["Weather","News"],"inLanguage":"en-GB","mainEntityOfPage":{"@id":"https://x.test/a"},
             "articleBody":"Rain fell."},
            {"@type":"Person","@id":"#p1","name":"Ana López"}]}</script>"##,
        );
        let ld = &m.ld;
        assert_eq!(ld.headline.as_deref(), Some("Floods return"));
        assert_eq!(ld.published.as_deref(), Some("2021-03-05T08:00:00+01:00"));
        assert_eq!(ld.modified.as_deref(), Some("2021-03-06"));
        assert_eq!(ld.authors, vec!["Ana López", "Jo Park"]);
        assert_eq!(ld.publisher.as_deref(), Some("Meridian Wire"));
        assert_eq!(ld.keywords, vec!["floods", "rain"]);
        assert_eq!(ld.section.as_deref(), Some("Weather"));
        assert_eq!(ld.lang.as_deref(), Some("en-GB"));
        assert_eq!(ld.url.as_deref(), Some("https://x.test/a"));
        assert_eq!(ld.body.as_deref(), Some("Rain fell."));
        assert_eq!(ld.page_published.as_deref(), Some("2020-01-01"));
    }

    #[test]
    fn json_ld_lists_and_bad_scripts() {
        let m = read(
            r#"<script type="application/ld+json">{"headline": broken</script>
            <script type="application/ld+json">[{"@type":"Organization","name":"Org"},
            {"@type":"BlogPosting","headline":"Post","datePublished":"2019-05-01","author":"Kim Lee"}]</script>"#,
        );
        assert_eq!(m.ld.headline.as_deref(), Some("Post"));
        assert_eq!(m.ld.published.as_deref(), Some("2019-05-01"));
        assert_eq!(m.ld.authors, vec!["Kim Lee"]);
        let none = read(r#"<script type="application/ld+json">not json at all</script>"#);
        assert_eq!(none.ld, Stated::default());
    }

    #[test]
    fn meta_tags_parsely_and_links() {
        let m = read(
            r#"<meta property="og:site_name" content="Meridian">
            <meta name="parsely-page" content='{"title":"T","pub_date":"2018-02-03T10:00:00Z","section":"World"}'>
            <meta NAME="Sailthru.date" content=" 2018-02-03 ">
            <link rel="canonical" href="https://meridian.test/2018/02/03/t">"#,
        );
        assert_eq!(m.site_name(), Some("Meridian"));
        assert_eq!(
            m.parsely("pub_date").as_deref(),
            Some("2018-02-03T10:00:00Z")
        );
        assert_eq!(m.parsely("section").as_deref(), Some("World"));
        assert_eq!(m.tag(&["sailthru.date"]), Some("2018-02-03"));
        assert_eq!(m.url(), Some("https://meridian.test/2018/02/03/t"));
        assert_eq!(m.lang.as_deref(), Some("de"));
    }
}
