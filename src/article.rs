//! An article as the index knows it, and the extraction that turns a raw
//! article from a file into one: page debris cut, date resolved (metadata,
//! then path, then dateline), language detected, entities extracted,
//! near-duplicate fingerprint computed.

use jiff::civil::Date;

use crate::entity::{Entity, EntityKind, Extractor};
use crate::extract::date::{self, DateSource};
use crate::extract::debris;
use crate::extract::fingerprint::Fingerprint;
use crate::format::{Format, RawArticle};
use crate::lang::{self, Lang};

/// A parsed, extracted article ready to be indexed or shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Stable id: the canonical path, or `path#n` inside a multi-article file.
    pub id: String,
    /// Canonical path of the source file.
    pub path: String,
    /// Headline.
    pub headline: String,
    /// Body as written, page debris removed.
    pub body: String,
    /// Publication date, when one was found.
    pub date: Option<Date>,
    /// Where the date was found.
    pub date_source: Option<DateSource>,
    /// Publisher or outlet.
    pub source: Option<String>,
    /// Authors, in the order stated.
    pub authors: Vec<String>,
    /// When the article was last changed, when stated.
    pub updated: Option<Date>,
    /// Section or desk of the publication.
    pub section: Option<String>,
    /// Original URL.
    pub url: Option<String>,
    /// When a web archive captured the page.
    pub crawled: Option<jiff::Timestamp>,
    /// Tags from the article's metadata.
    pub tags: Vec<String>,
    /// Language of analysis.
    pub lang: Lang,
    /// Named entities, most salient first.
    pub entities: Vec<Entity>,
    /// Format of the source file.
    pub format: Format,
    /// Near-duplicate fingerprint of the body (`None` when too short).
    pub fingerprint: Option<Fingerprint>,
}

/// The id of an article: the file's path, with `#n` for the n-th article of a
/// multi-article file.
pub fn article_id(path: &str, part: Option<usize>) -> String {
    match part {
        Some(n) => format!("{path}#{n}"),
        None => path.to_string(),
    }
}

/// Turns a raw article read from `path` into an indexable article.
///
/// Without an extractor, only entities supplied with the article are kept.
pub fn extract(
    raw: RawArticle,
    path: &str,
    format: Format,
    extractor: Option<&Extractor>,
) -> Article {
    let id = article_id(path, raw.part);
    extract_from(raw, path, id, format, true, extractor)
}

/// Turns a page found in a web archive into an indexable article: its id is
/// `path#record` (the record's id, or nothing for a one-page archive), its
/// URL the address it was captured from, and `crawled` the time of capture.
/// The archive's own path is not searched for a date: it dates the crawl.
pub fn extract_archived(
    page: crate::archive::Page,
    path: &str,
    record: Option<&str>,
    format: Format,
    extractor: Option<&Extractor>,
) -> Article {
    let mut raw = page.raw;
    raw.part = None;
    if page.url.is_some() {
        raw.meta.url = page.url;
    }
    let id = match record {
        Some(record) => format!("{path}#{record}"),
        None => path.to_string(),
    };
    let dated_path = record.is_none();
    let mut article = extract_from(raw, path, id, format, dated_path, extractor);
    article.crawled = page.captured.as_deref().and_then(date::parse_timestamp);
    article
}

fn extract_from(
    raw: RawArticle,
    path: &str,
    id: String,
    format: Format,
    dated_path: bool,
    extractor: Option<&Extractor>,
) -> Article {
    let RawArticle {
        part: _,
        headline,
        mut body,
        meta,
    } = raw;
    // What is kept is always a prefix of the body.
    let kept = debris::strip(&body).len();
    body.truncate(kept);

    // The publisher's address dates the article better than where a copy
    // of it was saved. A web page has weighed its own URL against what it
    // shows (`late_date`); another record is dated by its `url`.
    let url_date = if format == Format::Html {
        meta.late_date
            .filter(|(_, source)| *source == DateSource::Url)
            .map(|(d, _)| d)
    } else {
        meta.url.as_deref().and_then(date::from_url)
    };
    let (date, date_source) = if let Some(d) = meta.date.as_deref().and_then(date::parse) {
        (
            Some(d),
            Some(meta.date_source.unwrap_or(DateSource::Metadata)),
        )
    } else if let Some(d) = url_date {
        (Some(d), Some(DateSource::Url))
    } else if let Some(d) = date::from_path(path).filter(|_| dated_path) {
        (Some(d), Some(DateSource::Path))
    } else if let Some((d, source)) = meta.late_date {
        (Some(d), Some(source))
    } else if let Some(d) = date::from_dateline(&body) {
        (Some(d), Some(DateSource::Text))
    } else {
        (None, None)
    };

    let lang = meta
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_else(|| lang::detect(&headline, &body));

    let mut entities = match extractor {
        Some(extractor) => {
            let mut text = String::with_capacity(headline.len() + body.len() + 2);
            text.push_str(&headline);
            text.push_str("\n\n");
            text.push_str(&body);
            extractor.entities(&text)
        }
        None => Vec::new(),
    };
    add_supplied_entities(&mut entities, meta.entities, extractor);

    Article {
        id,
        path: path.to_string(),
        fingerprint: Fingerprint::of(&body),
        headline,
        body,
        date,
        date_source,
        source: meta.source,
        authors: meta.authors,
        updated: meta.updated.as_deref().and_then(date::parse),
        section: meta.section,
        url: meta.url,
        crawled: None,
        tags: meta.tags,
        lang,
        entities,
        format,
    }
}

/// Merges entities that came with the article (e.g. a JSON `entities` list)
/// into the extracted ones; a supplied name already found keeps the found kind.
fn add_supplied_entities(
    found: &mut Vec<Entity>,
    supplied: Vec<(String, Option<EntityKind>)>,
    extractor: Option<&Extractor>,
) {
    for (name, kind) in supplied {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            continue;
        }
        let known = found.iter().any(|e| {
            e.name.eq_ignore_ascii_case(&name)
                || e.aliases.iter().any(|a| a.eq_ignore_ascii_case(&name))
        });
        if !known {
            let kind = kind
                .or_else(|| extractor.and_then(|x| x.kind_of(&name)))
                .unwrap_or(EntityKind::Other);
            found.push(Entity {
                name,
                kind,
                aliases: Vec::new(),
                mentions: 0,
                first: usize::MAX,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Metadata;

    fn raw(headline: &str, body: &str, date: Option<&str>) -> RawArticle {
        RawArticle {
            part: None,
            headline: headline.into(),
            body: body.into(),
            meta: Metadata {
                date: date.map(str::to_string),
                ..Metadata::default()
            },
        }
    }

    fn extract_at(r: RawArticle, path: &str) -> Article {
        extract(r, path, Format::Text, Some(Extractor::builtin()))
    }

    #[test]
    fn date_sources_in_priority_order() {
        let body = "LONDON, 14 February 2022 — The bank said.";
        let a = extract_at(raw("H", body, Some("2021-10-08")), "/n/2020-01-01-x.txt");
        assert_eq!(a.date, Some(Date::constant(2021, 10, 8)));
        assert_eq!(a.date_source, Some(DateSource::Metadata));
        let a = extract_at(raw("H", body, None), "/n/2020-01-01-x.txt");
        assert_eq!(a.date, Some(Date::constant(2020, 1, 1)));
        assert_eq!(a.date_source, Some(DateSource::Path));
        let a = extract_at(raw("H", body, None), "/n/x.txt");
        assert_eq!(a.date, Some(Date::constant(2022, 2, 14)));
        assert_eq!(a.date_source, Some(DateSource::Text));
        let mut later = raw("H", body, None);
        later.meta.late_date = Some((Date::constant(2019, 5, 6), DateSource::Url));
        let a = extract_at(later.clone(), "/n/2020-01-01-x.txt");
        assert_eq!(a.date_source, Some(DateSource::Path));
        let a = extract_at(later, "/n/x.txt");
        assert_eq!(a.date, Some(Date::constant(2019, 5, 6)));
        assert_eq!(a.date_source, Some(DateSource::Url));
        let a = extract_at(raw("H", "It happened last week.", Some("soon")), "/n/x.txt");
        assert_eq!(a.date, None);
        assert_eq!(a.date_source, None);
    }

    #[test]
    fn ids_of_multi_article_files() {
        assert_eq!(article_id("/a/b.jsonl", Some(3)), "/a/b.jsonl#3");
        assert_eq!(article_id("/a/b.txt", None), "/a/b.txt");
    }

    #[test]
    fn supplied_entities_are_added_once() {
        let mut r = raw("H", "Officials of the DEA met.", None);
        r.meta.entities = vec![
            ("DEA".into(), Some(EntityKind::Org)),
            ("Port  Aldren".into(), Some(EntityKind::Place)),
            ("Someone".into(), None),
            ("Lisbon".into(), None),
        ];
        let a = extract_at(r, "/x.json");
        let dea = a
            .entities
            .iter()
            .filter(|e| e.name == "DEA" || e.aliases.iter().any(|x| x == "DEA"))
            .count();
        assert_eq!(dea, 1, "{:?}", a.entities);
        let names: Vec<_> = a
            .entities
            .iter()
            .map(|e| (e.name.as_str(), e.kind))
            .collect();
        assert!(names.contains(&("Port Aldren", EntityKind::Place)));
        assert!(names.contains(&("Someone", EntityKind::Other)));
        assert!(names.contains(&("Lisbon", EntityKind::Place)), "{names:?}");
    }

    #[test]
    fn url_dates_come_after_metadata_and_before_path_and_dateline() {
        let body = "LONDON, 14 February 2022 — The bank said.";
        let mut r = raw("H", body, Some("2021-10-08"));
        r.meta.url = Some("https://x.test/2020/05/06/story".into());
        let a = extract_at(r.clone(), "/n/2019-01-01-x.txt");
        assert_eq!(a.date_source, Some(DateSource::Metadata));
        r.meta.date = None;
        let a = extract_at(r.clone(), "/n/2019-01-01-x.txt");
        assert_eq!(a.date, Some(Date::constant(2020, 5, 6)));
        assert_eq!(a.date_source, Some(DateSource::Url));
        // In an archive the file's path dates the crawl, never a page.
        r.meta.url = None;
        let page = crate::archive::Page {
            raw: r,
            format: Format::Html,
            url: Some("https://x.test/story".into()),
            captured: Some("2024-05-01T12:00:00Z".into()),
        };
        let a = extract_archived(
            page,
            "/crawls/2019-01-01.warc",
            Some("urn:uuid:1"),
            Format::Warc,
            None,
        );
        assert_eq!(a.id, "/crawls/2019-01-01.warc#urn:uuid:1");
        assert_eq!(a.url.as_deref(), Some("https://x.test/story"));
        assert_eq!(a.date_source, Some(DateSource::Text));
        assert_eq!(a.crawled.map(|t| t.as_second()), Some(1_714_564_800));
    }
}
