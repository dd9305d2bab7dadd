//! The publication day of a web page, best source first: JSON-LD
//! `datePublished`; publication meta tags (Open Graph `article:`, itemprop,
//! Parse.ly, Sailthru, Dublin Core, `pubdate`...); an element marked
//! `itemprop=datePublished` or `<time pubdate>`; a first-publication stamp
//! in the data of its scripts; the page's own URL (`/2021/03/05/`,
//! `/20210305/`); then a date shown near the headline (a `<time>` element,
//! a byline or date line, before a bare day in the text); then a date right
//! after its own label (`<dt>Published</dt><dd>…`); then the date of the
//! page's own entry in a list of posts. A modification date, a
//! copyright year, and the dates of comments, related stories, sidebars and
//! footers are never taken: no date is better than a wrong one.

use jiff::civil::Date;

use super::dom::{Dom, NONE, Tag};
use super::furniture::split_words;
use super::meta::PageMeta;
use crate::extract::date::{self, DateSource};

/// Meta tags that state the publication date, best first.
const PUBLISHED_TAGS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "article.published",
    "published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.created",
    "citation_publication_date",
    "citation_date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "date_published",
    "article_date_original",
    "original-publish-date",
    "cxenseparse:recs:publishtime",
    "dc.date",
    "dcterms.date",
    "date",
];

/// Where the generic tags start in [`PUBLISHED_TAGS`] (`DC.date`,
/// `dcterms.date`, a plain `date`), which content systems fill with the day
/// of the last save as often as with the publication.
const GENERIC_TAGS: usize = PUBLISHED_TAGS.len() - 3;

/// How many of the first [`PUBLISHED_TAGS`] outrank JSON-LD.
const STRONG_TAGS: usize = 3;

/// Meta tags that state when the article was last changed.
pub const MODIFIED_TAGS: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "article:modified",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
];

/// Words of class names and ids that mark an element holding the page's
/// date or byline (a word containing `date`, other than `update`, counts
/// too: `postdate`, `entrydate`).
const DATE_WORDS: &[&str] = &[
    "time",
    "datetime",
    "published",
    "publish",
    "pubdate",
    "posted",
    "byline",
    "dateline",
    "datum",
    "meta",
    "metadata",
    "postmeta",
    "postmetadata",
    "entrymeta",
    "info",
    "created",
    "timestamp",
    "stamp",
    "submitted",
    "details",
    "detail",
    "author",
    "autor",
    "subline",
    "fecha",
    "parution",
];

/// Words of class names and ids of what is not the article itself: its
/// dates are some other day.
const OTHER_WORDS: &[&str] = &[
    "comment",
    "comments",
    "respond",
    "reply",
    "replies",
    "disqus",
    "related",
    "recommended",
    "recommendations",
    "popular",
    "trending",
    "mostread",
    "sidebar",
    "teaser",
    "teasers",
    "archive",
    "archives",
    "calendar",
    "event",
    "events",
    "copyright",
    "next",
    "prev",
    "previous",
    "more",
    "promo",
    "ad",
    "ads",
    "cookie",
    "newsletter",
];

/// Words of class names and ids of a modification date.
const CHANGE_NAMES: &[&str] = &["modified", "updated", "update", "lastmod", "changed"];

/// Most text of an element named as a date or byline that is read for it.
const SMALL_BLOCK: usize = 300;

/// Words that, in a footer's name, say it is the article's own footer
/// (where many blogs put the date), not the page's.
const ARTICLE_WORDS: &[&str] = &[
    "post", "entry", "article", "story", "single", "asset", "item", "blog", "news",
];

/// Phrases that announce a publication date in running text.
const PUBLISHED_PHRASES: &[&str] = &[
    "published",
    "datum:",
    "date:",
    "mise en ligne",
    "online seit",
    "erstellt:",
    "posted",
    "veröffentlicht",
    "publiziert",
    "erstellt am",
    "erschienen am",
    "wurde am",
    "publié",
    "publicado",
    "pubblicato",
    "gepubliceerd",
];

/// Words that say the date after them is a change, not the publication.
const CHANGE_WORDS: &[&str] = &[
    "updated",
    "update",
    "modified",
    "edited",
    "aktualisiert",
    "geändert",
    "zuletzt",
    "stand:",
    "mis à jour",
    "modifié",
    "actualizado",
    "aggiornato",
    "actualizada",
    "atualizado",
];

/// How many bytes of text after the headline a byline date may sit in.
const AFTER_HEADLINE: usize = 400;
/// How many characters before the headline (a kicker, a date line above it).
const BEFORE_HEADLINE: usize = 120;

/// A publication day and where it was read.
pub type Found = (Date, DateSource);

/// The publication day of a page: the day its metadata states (kept
/// apart, as it outranks a date in the file's path), or else a later
/// source (its URL, a date shown on it).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Chosen {
    /// The day the page's metadata states.
    pub stated: Option<Found>,
    /// The day from a weaker source, when the metadata states none.
    pub late: Option<Found>,
}

/// Chooses the publication day of a page.
pub fn choose(
    meta: &PageMeta,
    doc: &scraper::Html,
    dom: &Dom,
    headline: &str,
    latest: Date,
) -> Chosen {
    let url = from_url(meta, latest);
    let Some(Statement {
        day,
        source,
        stamp,
        generic,
    }) = stated(meta, doc, latest)
    else {
        return Chosen {
            stated: None,
            late: url
                .or_else(|| shown(dom, headline, latest))
                .or_else(|| labelled(dom, latest).map(|d| (d, DateSource::Markup)))
                .or_else(|| {
                    own_entry(dom, meta, headline, latest).map(|d| (d, DateSource::Markup))
                }),
        };
    };
    let next_to =
        |other: Date| day.tomorrow().ok() == Some(other) || day.yesterday().ok() == Some(other);
    // One walk of the page serves every rule below.
    let shown = shown_with(dom, headline, latest);
    // A stamp converted to UTC can fall on the day after or before the one
    // where the article was published; its URL or the day the page shows
    // beside the headline has the local day.
    if let Some(u) = url.filter(|(u, _)| next_to(*u)) {
        return Chosen {
            stated: None,
            late: Some(u),
        };
    }
    // The one day a page shows in its date lines is the day its editors
    // set; metadata disagreeing with it is a CMS's stamp (the first
    // draft, an import, a re-save).
    if let Some(m) = shown.alone().filter(|(m, _)| *m != day) {
        return Chosen {
            stated: None,
            late: Some(m),
        };
    }
    // A generic `date` tag is often the day of the last save: a date line
    // by the headline that says otherwise is the editors' day.
    if generic && let Some(m) = shown.by_headline().filter(|(m, _)| *m != day) {
        return Chosen {
            stated: None,
            late: Some(m),
        };
    }
    if stamp && let Some(m) = shown.found.filter(|(m, _)| next_to(*m)) {
        return Chosen {
            stated: None,
            late: Some(m),
        };
    }
    Chosen {
        stated: Some((day, source)),
        late: None,
    }
}

/// Whether a date value is an ISO stamp with a time of day
/// (`2021-03-05T10:00:00Z`, `2021-03-05 10:00`): a value that can have
/// been converted to another zone's day.
fn has_time(value: &str) -> bool {
    static STAMP: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    STAMP
        .get_or_init(|| regex::Regex::new(r#"^\s*["']?\d{4}-\d{2}-\d{2}[Tt ]\d"#).ok())
        .as_ref()
        .is_some_and(|stamp| stamp.is_match(value))
}

/// The publication day stated by the page's metadata or markup, where it
/// was read, and whether it was a stamp with a time of day.
pub fn stated(meta: &PageMeta, doc: &scraper::Html, latest: Date) -> Option<Statement> {
    let found = |(day, stamp): (Date, bool), source| Statement {
        day,
        source,
        stamp,
        generic: false,
    };
    let ok = |d: Date| d <= latest;
    let parse = |v: &str| date::parse(v).filter(|d| ok(*d)).map(|d| (d, has_time(v)));
    let ld = meta.ld.published.as_deref().and_then(parse);
    // Open Graph's publication time outranks JSON-LD, unless it is the
    // JSON-LD modification day (a CMS writing its last save there).
    let ld_modified = meta.ld.modified.as_deref().and_then(date::parse);
    if let Some((d, t)) = PUBLISHED_TAGS[..STRONG_TAGS]
        .iter()
        .flat_map(|t| meta.tag_all(t))
        .find_map(|v| parse(v))
        .filter(|(d, _)| ld.is_none_or(|(l, _)| l == *d || ld_modified != Some(*d)))
    {
        return Some(found((d, t), DateSource::Metadata));
    }
    if let Some(dt) = ld {
        return Some(found(dt, DateSource::JsonLd));
    }
    if let Some(dt) = PUBLISHED_TAGS[..GENERIC_TAGS]
        .iter()
        .flat_map(|t| meta.tag_all(t))
        .find_map(|v| parse(v))
        .or_else(|| meta.parsely("pub_date").as_deref().and_then(parse))
    {
        return Some(found(dt, DateSource::Metadata));
    }
    if let Some((d, t)) = [
        meta.ld.created.as_deref(),
        meta.ld.page_published.as_deref(),
    ]
    .into_iter()
    .flatten()
    .find_map(parse)
    {
        return Some(found((d, t), DateSource::JsonLd));
    }
    let marked = super::selector(r#"[itemprop~="datePublished"], time[pubdate]"#)?;
    doc.select(&marked)
        .filter_map(|e| super::meta::date_value(&e))
        .find_map(|v| parse(&v))
        .or_else(|| script_published(doc).and_then(|v| parse(&v)))
        .map(|dt| found(dt, DateSource::Metadata))
        .or_else(|| {
            PUBLISHED_TAGS[GENERIC_TAGS..]
                .iter()
                .flat_map(|t| meta.tag_all(t))
                .find_map(|v| parse(v))
                .map(|dt| Statement {
                    generic: true,
                    ..found(dt, DateSource::Metadata)
                })
        })
}

/// A publication day the page's metadata states.
pub struct Statement {
    pub day: Date,
    /// Where it was read.
    pub source: DateSource,
    /// Whether the value was a stamp with a time of day.
    pub stamp: bool,
    /// Whether it came from a generic `date` tag alone.
    pub generic: bool,
}

/// The publication stamp a page's scripts hold in their data
/// (`"datePublished":"2020-01-10T…"`, `"publishedDate"`, `"published_at"`):
/// pages built by scripts carry their metadata there and nowhere else.
/// JSON-LD is read apart, as metadata.
fn script_published(doc: &scraper::Html) -> Option<String> {
    static KEY: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let key = KEY
        .get_or_init(|| {
            regex::Regex::new(&format!(
                r#"\\?"(?:{PUBLISHED_KEYS})\\?"\s*:\s*\\?"(\d{{4}}-\d{{2}}-\d{{2}}(?:[T ][0-9:.]+(?:Z|[+-]\d{{2}}:?\d{{2}})?)?)"#,
            ))
            .ok()
        })
        .as_ref()?;
    let scripts = super::selector(r#"script:not([type="application/ld+json" i])"#)?;
    let mut first: Option<String> = None;
    for e in doc.select(&scripts) {
        let text: String = e.text().collect();
        for c in key.captures_iter(&text) {
            match &first {
                None => first = Some(c[1].to_string()),
                // Stamps of several days are a list of items (references,
                // other stories), each with its own: none is the page's.
                Some(f) if f.get(..10) != c[1].get(..10) => return None,
                Some(_) => {}
            }
        }
    }
    first
}

/// Keys of the first publication in the data of scripts (never a change).
const PUBLISHED_KEYS: &str = "datePublished|publishedDate|publishDate|publicationDate|publication_date|\
    published_at|publishedAt|date_published|published_date|publish_date|publishedOn|published_on|\
    publishedTime|published_time|pubDate|pub_date|firstPublished|firstPublishedDate|\
    firstPublishedAt|first_published_at|first_published|first_publish_date|originalPublishDate|\
    original_publish_date|datePublishedOriginal|first-publication|first_publication|\
    firstPublication|publishedFirst|published_first";

/// The day in the page's own URL, when it has a full one.
pub fn from_url(meta: &PageMeta, latest: Date) -> Option<Found> {
    let url = meta.url()?;
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    let path = path.split(['?', '#']).next().unwrap_or(path);
    date::from_url_path(path)
        .filter(|d| *d <= latest)
        .map(|d| (d, DateSource::Url))
}

/// The lower-case words of an element's class, id and itemprop.
fn name_words(e: &scraper::node::Element) -> Vec<String> {
    // Tokens naming the article's categories and tags (`category-popular`,
    // `tag-events`) say what it is about, not what the element is.
    const TAXONOMY: [&str; 6] = ["category-", "tag-", "cat-", "format-", "type-", "postid-"];
    ["class", "id", "itemprop"]
        .iter()
        .filter_map(|a| e.attr(a))
        .flat_map(str::split_ascii_whitespace)
        .filter(|t| {
            let t = t.to_ascii_lowercase();
            !TAXONOMY.iter().any(|p| t.starts_with(p))
        })
        .flat_map(split_words)
        .map(str::to_ascii_lowercase)
        .collect()
}

fn is_date_word(w: &str) -> bool {
    DATE_WORDS.contains(&w) || (w.contains("date") && !w.contains("update"))
}

/// Lower-case letters and digits only.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The day shown on the page for its article: from a `<time>` element or
/// an element named as a date, byline or post metadata, or a date
/// announced as the publication ("Published", "veröffentlicht am"...); the
/// one nearest the headline wins, else a date in the text right after (or
/// just before) the headline.
pub fn shown(dom: &Dom, headline: &str, latest: Date) -> Option<Found> {
    shown_with(dom, headline, latest).found
}

/// The day a page shows.
struct Shown {
    found: Option<Found>,
    /// Whether the page's date elements show that day alone.
    alone: bool,
    /// Whether it is shown by the headline.
    near: bool,
}

impl Shown {
    /// The day shown, when the page's date elements show that day alone.
    fn alone(&self) -> Option<Found> {
        self.found.filter(|_| self.alone)
    }

    /// The day shown in a date line by the headline (above or right after
    /// it).
    fn by_headline(&self) -> Option<Found> {
        self.found.filter(|_| self.near)
    }
}

fn shown_with(dom: &Dom, headline: &str, latest: Date) -> Shown {
    let n = dom.nodes.len();
    // What is outside the article: page furniture and other stories'
    // dates; and the page's own footer, where only a date announced as the
    // publication is read. Each element's own name first.
    let mut outside = vec![false; n];
    let mut footer = vec![false; n];
    let mut in_article = vec![false; n];
    let mut changed = vec![false; n];
    let mut words: Vec<Vec<String>> = vec![Vec::new(); n];
    for i in 0..n {
        let node = &dom.nodes[i];
        let parent = (node.parent != NONE).then_some(node.parent as usize);
        in_article[i] = node.tag == Tag::Article || parent.is_some_and(|p| in_article[p]);
        let Some(e) = node.element else {
            continue;
        };
        if matches!(node.tag, Tag::Body) || e.name() == "html" {
            continue;
        }
        words[i] = name_words(e);
        let w = &words[i];
        let has = |list: &[&str]| w.iter().any(|w| list.contains(&w.as_str()));
        let is_footer = node.tag == Tag::Footer || w.iter().any(|w| w == "footer");
        footer[i] = is_footer && !in_article[i] && !has(ARTICLE_WORDS);
        // "updated" beside "published" names the publication date too. A
        // quotation is another's words (an embedded post keeps its date).
        changed[i] = has(CHANGE_NAMES) && !w.iter().any(|w| w.starts_with("publi"));
        let changed = changed[i];
        outside[i] = matches!(node.tag, Tag::Nav | Tag::Form | Tag::Blockquote)
            || (node.tag == Tag::Aside && !in_article[i])
            || changed
            || has(OTHER_WORDS);
    }
    let wanted = squash(headline);
    // Only a heading's text is read: reading every node's would cost a
    // subtree walk per node of the page.
    let heading = |i: usize, whole: bool| {
        if wanted.is_empty() || !(1..=3).contains(&dom.nodes[i].tag.heading_level()) {
            return false;
        }
        let text = squash(&subtree_text(dom, i, end_of(dom, i), 400));
        text == wanted || (!whole && text.chars().count() >= 15 && wanted.contains(&text))
    };
    let anchor = (0..n)
        .find(|&i| heading(i, true))
        .or_else(|| (0..n).find(|&i| heading(i, false)))
        .or_else(|| (0..n).find(|&i| dom.nodes[i].tag == Tag::H1));
    // Text bytes before each node, to weigh subtrees.
    let mut before = Vec::with_capacity(n + 1);
    let mut total = 0usize;
    for node in &dom.nodes {
        before.push(total);
        total += node.text.len();
    }
    before.push(total);
    // Copies of the headline outside its heading (the header of the
    // article's own sidebar): what holds one is the article's.
    let copies: Vec<usize> = if wanted.len() >= 15 {
        (0..n)
            .filter(|&i| {
                let text = dom.nodes[i].text;
                // Only a text about as long as the headline is compared.
                dom.nodes[i].tag == Tag::Text
                    && (wanted.len() / 2..=wanted.len() * 4).contains(&text.len())
                    && squash(text) == wanted
            })
            .collect()
    } else {
        Vec::new()
    };
    for i in 0..n {
        let node = &dom.nodes[i];
        // A container of the headline is a layout (`with-sidebar`,
        // `has-comments`), not furniture.
        let end = end_of(dom, i);
        if anchor.is_some_and(|h| i < h && h < end)
            || copies.iter().any(|&c| i < c && c < end)
            || 2 * (before[end] - before[i]) > total
        {
            outside[i] = false;
            footer[i] = false;
        }
        // A date line beside the headline is the article's, whatever
        // else its name says (`teaser-metadata`, `more-info`).
        if let Some(h) = anchor
            && node.parent != NONE
            && ancestors(dom, h)
                .take(LINE_LEVELS)
                .any(|a| a == node.parent as usize)
            && !changed[i]
            && words[i].iter().any(|w| is_date_word(w))
            && is_small_block(dom, i, end)
        {
            outside[i] = false;
        }
        if node.parent != NONE {
            let p = node.parent as usize;
            outside[i] |= outside[p];
            footer[i] |= footer[p];
        }
    }
    let anchor = anchor.filter(|&h| !outside[h]);

    let ok = |d: &Date| *d <= latest;
    let mut candidates: Vec<(usize, Date)> = Vec::new();
    let mut alone_lines = true;
    let mut i = 0;
    while i < n {
        let node = &dom.nodes[i];
        if outside[i] {
            i = end_of(dom, i);
            continue;
        }
        let end = end_of(dom, i);
        let date = match node.element {
            _ if footer[i] && node.element.is_some() => None,
            Some(e) if node.tag == Tag::Time || words[i].iter().any(|w| is_date_word(w)) => {
                let attr = ["datetime", "title", "content", "data-date"]
                    .iter()
                    .filter_map(|a| e.attr(a))
                    .find_map(date::parse);
                // A line (`<p class="postmetadata">`) is read from its
                // start; a larger container only when it holds little text.
                let line = matches!(node.tag, Tag::P | Tag::Inline | Tag::Time | Tag::Dd);
                attr.or_else(|| {
                    (line || is_small_block(dom, i, end))
                        .then(|| first_date(&subtree_text(dom, i, end, SMALL_BLOCK), latest))
                        .flatten()
                })
            }
            None => announced(dom, i, &outside, latest),
            _ => None,
        };
        if let Some(d) = date.filter(ok) {
            // A date line of its own: an element named as one, not a
            // phrase of the text, nor a block holding the headline.
            let line = node.element.is_some() && !anchor.is_some_and(|h| i <= h && h < end);
            alone_lines &= line;
            candidates.push((i, d));
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    let alone = alone_lines
        && !candidates.is_empty()
        && candidates.iter().all(|(_, d)| *d == candidates[0].1);
    let Some(h) = anchor else {
        return Shown {
            found: candidates.first().map(|&(_, d)| (d, DateSource::Markup)),
            alone,
            near: false,
        };
    };
    let outside: Vec<bool> = outside.iter().zip(&footer).map(|(o, f)| *o || *f).collect();
    // A date line (a byline above or below the headline, a `<time>` at the
    // article's end) or an announced date near the headline outranks a bare
    // day in the text after the headline: the text's days are its subject's.
    let near = |i: usize| {
        if i > h {
            before[i] - before[h] <= AFTER_HEADLINE
        } else {
            before[h] - before[i] <= BEFORE_HEADLINE
        }
    };
    let lines = candidates
        .iter()
        .any(|&(i, _)| near(i) || dom.nodes[i].element.is_some());
    if !lines && let Some(found) = after_headline(dom, h, &outside, latest).filter(|(_, d)| ok(d)) {
        candidates.push(found);
    }
    // The candidate nearest the headline; one before it counts twice as far.
    let nearest = candidates
        .iter()
        .min_by_key(|(i, _)| if *i > h { *i - h } else { 2 * (h - *i) });
    if let Some(&(i, d)) = nearest {
        return Shown {
            found: Some((d, DateSource::Markup)),
            alone: alone && d == candidates[0].1,
            near: near(i),
        };
    }
    Shown {
        found: before_headline(dom, h, &outside, latest)
            .filter(ok)
            .map(|d| (d, DateSource::Markup)),
        alone: false,
        near: true,
    }
}

/// How many levels above the headline a date line may hang and still be
/// the headline's own (a sibling of it, or of one of its containers).
const LINE_LEVELS: usize = 3;

/// The containers of a node, nearest first.
fn ancestors<'a>(dom: &'a Dom<'_>, i: usize) -> impl Iterator<Item = usize> + 'a {
    let up = |p: u32| (p != NONE).then_some(p as usize);
    std::iter::successors(up(dom.nodes[i].parent), move |&p| up(dom.nodes[p].parent))
}

/// Labels of a publication date written apart from its value
/// (`<dt>Published</dt><dd>…</dd>`, `<b>Datum:</b> …`), a trailing colon
/// dropped.
const DATE_LABELS: &[&str] = &[
    "published",
    "published on",
    "publication date",
    "date published",
    "date of publication",
    "posted",
    "posted on",
    "date",
    "datum",
    "veröffentlicht",
    "veröffentlicht am",
    "veröffentlichung",
    "veröffentlichungsdatum",
    "publiziert",
    "publiziert am",
    "erstellt",
    "erstellt am",
    "erschienen",
    "erschienen am",
    "erscheinungsdatum",
    "publikationsdatum",
    "publié",
    "publié le",
    "date de publication",
    "publicado",
    "publicado el",
    "publicado em",
    "fecha",
    "fecha de publicación",
    "pubblicato",
    "pubblicato il",
    "data",
    "data di pubblicazione",
    "data de publicação",
    "gepubliceerd",
    "gepubliceerd op",
    "datum publicatie",
];

/// A date written right after its own label (`<dt>Published</dt>
/// <dd>5 March 2021</dd>`, `<strong>Datum:</strong> 12.01.2017`), outside
/// comments, related stories, navigation and the page's footer.
fn labelled(dom: &Dom, latest: Date) -> Option<Date> {
    for node in &dom.nodes {
        if node.tag != Tag::Text || node.parent == NONE {
            continue;
        }
        // Indented markup pads a label with whitespace
        // (`<dt>\n        Published\n      </dt>`).
        let label = node
            .text
            .trim()
            .trim_end_matches(':')
            .trim_end()
            .to_lowercase();
        if !DATE_LABELS.contains(&label.as_str()) {
            continue;
        }
        // The label is the whole text of its element.
        let p = node.parent as usize;
        let end = end_of(dom, p);
        if squash(&subtree_text(dom, p, end, 80)) != squash(&label) {
            continue;
        }
        if !clear_of_furniture(dom, p) {
            continue;
        }
        let mut window = String::new();
        for next in &dom.nodes[end..] {
            if window.chars().count() > 80 {
                break;
            }
            if next.tag == Tag::Text {
                window.push_str(next.text);
                window.push(' ');
            }
        }
        let window = window.trim_start();
        if let Some((at, d)) = first_date_at(window, latest)
            && window[..at].chars().count() <= 20
        {
            return Some(d);
        }
    }
    None
}

/// Whether no element holding node `i` is page furniture, another story,
/// a change or the page's footer (the checks of [`shown`], except that an
/// `<aside>` is read: a post's details often stand in one).
fn clear_of_furniture(dom: &Dom, mut i: usize) -> bool {
    loop {
        let node = &dom.nodes[i];
        if matches!(
            node.tag,
            Tag::Nav | Tag::Form | Tag::Blockquote | Tag::Footer
        ) {
            return false;
        }
        if let Some(e) = node.element {
            let w = name_words(e);
            let has = |list: &[&str]| w.iter().any(|w| list.contains(&w.as_str()));
            if has(OTHER_WORDS) || has(CHANGE_NAMES) || w.iter().any(|w| w == "footer") {
                return false;
            }
        }
        if node.parent == NONE {
            return true;
        }
        i = node.parent as usize;
    }
}

/// The path and query of a URL or link, without scheme, host, leading
/// `./`, `../` or `/`, or a trailing `/`.
fn link_path(href: &str) -> &str {
    let path = href.split_once("://").map_or(href, |(_, rest)| {
        rest.split_once('/').map_or("", |(_, p)| p)
    });
    let path = path.split('#').next().unwrap_or(path);
    path.trim_start_matches(['.', '/']).trim_end_matches('/')
}

/// The day of the page's own entry in a list of posts (its sidebar's
/// latest posts, an archive list): an item linking to the page's own URL,
/// or titled with its headline, that shows one date.
fn own_entry(dom: &Dom, meta: &PageMeta, headline: &str, latest: Date) -> Option<Date> {
    let own = meta.url().map(link_path).filter(|p| !p.is_empty());
    let wanted = squash(headline);
    let wanted = (wanted.chars().count() >= 10).then_some(wanted);
    if own.is_none() && wanted.is_none() {
        return None;
    }
    for (i, node) in dom.nodes.iter().enumerate() {
        let Some(href) = node
            .element
            .filter(|_| node.tag == Tag::A)
            .and_then(|e| e.attr("href"))
        else {
            continue;
        };
        let path = link_path(href);
        let by_url = own.is_some_and(|o| {
            !path.is_empty() && (o == path || (path.len() >= 8 && o.ends_with(path)))
        });
        let end = end_of(dom, i);
        let by_title = || {
            wanted
                .as_ref()
                .is_some_and(|w| squash(&subtree_text(dom, i, end, 400)) == *w)
        };
        if !by_url && !by_title() {
            continue;
        }
        // The smallest item around the link that holds a date and no
        // link to another story.
        let mut c = node.parent;
        for _ in 0..4 {
            if c == NONE {
                break;
            }
            let c_at = c as usize;
            let c_end = end_of(dom, c_at);
            if !is_small_block(dom, c_at, c_end) {
                break;
            }
            let other = (c_at..c_end).any(|j| {
                let n = &dom.nodes[j];
                n.tag == Tag::A
                    && n.element
                        .and_then(|e| e.attr("href"))
                        .is_some_and(|h| h != href)
                    && subtree_text(dom, j, end_of(dom, j), 80)
                        .trim()
                        .chars()
                        .count()
                        >= 15
            });
            if other {
                break;
            }
            let time = (c_at..c_end)
                .filter(|&j| dom.nodes[j].tag == Tag::Time)
                .filter_map(|j| dom.nodes[j].element.and_then(|e| e.attr("datetime")))
                .find_map(date::parse);
            if let Some(d) = time
                .or_else(|| first_date(&subtree_text(dom, c_at, c_end, SMALL_BLOCK), latest))
                .filter(|d| *d <= latest)
            {
                return Some(d);
            }
            c = dom.nodes[c_at].parent;
        }
    }
    None
}

/// A date a text run announces as the publication ("Published on 5 March
/// 2021", "Erstellt am: 30.01.2022"), read in the run and the runs after it.
fn announced(dom: &Dom, i: usize, outside: &[bool], latest: Date) -> Option<Date> {
    let text = dom.nodes[i].text;
    if text.len() < 4 {
        return None;
    }
    let lower = text.to_lowercase();
    let at = PUBLISHED_PHRASES
        .iter()
        .filter_map(|p| lower.find(p).map(|at| at + p.len()))
        .min()?;
    let mut window = lower[at..].to_string();
    for (j, node) in dom.nodes.iter().enumerate().skip(i + 1) {
        if window.chars().count() > 80 {
            break;
        }
        if node.tag == Tag::Text && !outside[j] {
            window.push(' ');
            window.push_str(node.text);
        }
    }
    let end = window
        .char_indices()
        .nth(80)
        .map_or(window.len(), |(at, _)| at);
    first_date(&window[..end], latest)
}

/// One past the last node of the subtree of node `i` (an element the page
/// never closed ends with its own node).
fn end_of(dom: &Dom, i: usize) -> usize {
    (dom.nodes[i].end as usize).clamp(i + 1, dom.nodes.len())
}

/// Whether the element is a block holding little text (a line, not a
/// container of the page).
fn is_small_block(dom: &Dom, start: usize, end: usize) -> bool {
    let mut len = 0;
    for node in &dom.nodes[start..end] {
        len += node.text.len();
        if len > SMALL_BLOCK {
            return false;
        }
    }
    true
}

/// The text of a subtree, at most about `max` bytes.
fn subtree_text(dom: &Dom, start: usize, end: usize, max: usize) -> String {
    let mut text = String::new();
    for node in &dom.nodes[start..end] {
        if node.tag == Tag::Text {
            text.push_str(node.text);
            text.push(' ');
            if text.len() > max {
                break;
            }
        }
    }
    text
}

/// The first date of a short text, unless words before it say it is a change.
fn first_date(text: &str, latest: Date) -> Option<Date> {
    first_date_at(text, latest).map(|(_, d)| d)
}

/// Like [`first_date`], with the byte offset of the date.
fn first_date_at(text: &str, latest: Date) -> Option<(usize, Date)> {
    for (span, d) in date::all_in_page_text(text, latest) {
        let before = text[..span.start].to_lowercase();
        let tail: String = before
            .chars()
            .rev()
            .take(30)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if CHANGE_WORDS.iter().any(|w| tail.contains(w)) {
            continue;
        }
        return Some((span.start, d));
    }
    None
}

/// A date in the text right after the headline (a byline), with the text
/// run it is in.
fn after_headline(dom: &Dom, h: usize, outside: &[bool], latest: Date) -> Option<(usize, Date)> {
    let mut after = String::new();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for (i, node) in dom.nodes.iter().enumerate().skip(h) {
        if after.len() > AFTER_HEADLINE {
            break;
        }
        if node.tag == Tag::Text && !outside[i] {
            starts.push((after.len(), i));
            after.push_str(node.text);
            after.push(' ');
        }
    }
    let (at, d) = first_date_at(&after, latest)?;
    let node = starts
        .iter()
        .rev()
        .find(|(start, _)| *start <= at)
        .map_or(h, |&(_, i)| i);
    Some((node, d))
}

/// A date in the text just before the headline (a date line above it).
fn before_headline(dom: &Dom, h: usize, outside: &[bool], latest: Date) -> Option<Date> {
    let mut before: Vec<&str> = Vec::new();
    let mut len = 0;
    for i in (0..h).rev() {
        let node = &dom.nodes[i];
        if len > BEFORE_HEADLINE {
            break;
        }
        if node.tag == Tag::Text && !outside[i] {
            len += node.text.chars().count();
            before.push(node.text);
        }
    }
    before.reverse();
    let text = before.join(" ");
    // Only the last dates before the headline belong to it.
    let dates = date::all_in_page_text(&text, latest);
    dates.last().map(|(_, d)| *d)
}

#[cfg(test)]
mod tests;
