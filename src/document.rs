//! Articles to index documents and back: the one place that knows which
//! article value goes into which field.

use tantivy::TantivyDocument;
use tantivy::schema::Value;

use crate::article::Article;
use crate::corpus::Stamp;
use crate::day::{from_datetime, to_datetime};
use crate::entity::{Entity, EntityKind};
use crate::extract::date::DateSource;
use crate::format::Format;
use crate::lang::Lang;
use crate::schema::{Fields, MetaFilter, entity_key, meta_key, path_hash};

/// Builds the index document of an article read from a file with `stamp`
/// and content hash `file_hash`, found under the indexed root `root`.
pub fn to_document_under(
    root: &str,
    article: &Article,
    stamp: Stamp,
    file_hash: u64,
    f: &Fields,
) -> TantivyDocument {
    let mut doc = to_document(article, stamp, file_hash, f);
    doc.add_text(f.root, root);
    doc
}

/// Builds the index document of an article read from a file with `stamp`
/// and content hash `file_hash`, with no root recorded.
pub fn to_document(article: &Article, stamp: Stamp, file_hash: u64, f: &Fields) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_text(f.id, &article.id);
    doc.add_text(f.path, &article.path);
    doc.add_u64(f.path_hash, path_hash(&article.path));
    if let Some(folder) = std::path::Path::new(&article.path).parent() {
        doc.add_text(f.folder, folder.to_string_lossy());
    }
    doc.add_text(f.headline, &article.headline);
    doc.add_text(f.body, &article.body);
    let text = f.lang(article.lang);
    doc.add_text(text.headline, &article.headline);
    doc.add_text(text.body, &article.body);
    doc.add_text(f.words, &article.headline);
    doc.add_text(f.words, &article.body);
    // One value per kind for entity words: the field has no positions, so
    // joining costs nothing in matching and saves per-value work.
    let mut words: [String; 4] = Default::default();
    for entity in &article.entities {
        let kind = entity.kind.name();
        // Entities carry the forms the article uses; other known aliases are
        // expanded at query time (query::Aliases).
        doc.add_text(
            f.entities,
            format!("{kind}\t{}\t{}", entity.name, entity.aliases.join("|")),
        );
        doc.add_text(f.kind_names(entity.kind), &entity.name);
        for name in std::iter::once(&entity.name).chain(&entity.aliases) {
            let joined = &mut words[entity.kind.index()];
            joined.push_str(name);
            joined.push('\n');
            doc.add_text(f.entity_key, entity_key(entity.kind, name));
        }
    }
    for (kind, joined) in EntityKind::ALL.iter().zip(&words) {
        if !joined.is_empty() {
            doc.add_text(f.kind_words(*kind), joined);
        }
    }
    if let Some(date) = article.date {
        doc.add_date(f.date, to_datetime(date));
    }
    if let Some(source) = article.date_source {
        doc.add_text(f.date_source, source.name());
    }
    doc.add_text(f.lang, article.lang.code());
    for (field, value) in [
        (f.source, &article.source),
        (f.section, &article.section),
        (f.url, &article.url),
    ] {
        if let Some(value) = value {
            doc.add_text(field, value);
        }
    }
    for author in &article.authors {
        doc.add_text(f.author, author);
        doc.add_text(f.meta_key, meta_key(MetaFilter::Author, author));
    }
    for (filter, value) in [
        (MetaFilter::Section, &article.section),
        (MetaFilter::Source, &article.source),
    ] {
        if let Some(value) = value {
            doc.add_text(f.meta_key, meta_key(filter, value));
        }
    }
    if let Some(updated) = article.updated {
        doc.add_date(f.updated, to_datetime(updated));
    }
    if let Some(crawled) = article.crawled {
        doc.add_date(
            f.crawled,
            tantivy::DateTime::from_timestamp_secs(crawled.as_second()),
        );
    }
    for tag in &article.tags {
        doc.add_text(f.tags, tag);
    }
    doc.add_text(f.format, article.format.name());
    doc.add_u64(f.size, stamp.size);
    doc.add_i64(f.mtime, stamp.mtime);
    doc.add_u64(f.file_hash, file_hash);
    if let Some(fingerprint) = article.fingerprint {
        for (field, word) in f.fingerprint.iter().zip(fingerprint.to_words()) {
            doc.add_u64(*field, word);
        }
    }
    doc
}

/// Estimated bytes a built document holds: its text and a few words per
/// value. What bounds the documents on their way to the writer.
pub fn weight(doc: &TantivyDocument) -> usize {
    64 + doc
        .field_values()
        .map(|(_, value)| 24 + value.as_str().map_or(8, str::len))
        .sum::<usize>()
}

fn text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// Reads an article back from its stored document. Entities come back with
/// their names, kinds and aliases (mention counts are not stored).
pub fn from_document(doc: &TantivyDocument, f: &Fields) -> Article {
    let entities = doc
        .get_all(f.entities)
        .filter_map(|v| v.as_str())
        .filter_map(|v| {
            let mut parts = v.split('\t');
            let kind = EntityKind::from_name(parts.next()?)?;
            let name = parts.next()?.to_string();
            let aliases = parts
                .next()
                .map(|a| {
                    a.split('|')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            Some(Entity {
                name,
                kind,
                aliases,
                mentions: 0,
                first: 0,
            })
        })
        .collect();
    let format = text(doc, f.format)
        .and_then(|name| Format::from_name(&name))
        .unwrap_or(Format::Text);
    let date_source = text(doc, f.date_source).and_then(|name| DateSource::from_name(&name));
    Article {
        id: text(doc, f.id).unwrap_or_default(),
        path: text(doc, f.path).unwrap_or_default(),
        headline: text(doc, f.headline).unwrap_or_default(),
        body: text(doc, f.body).unwrap_or_default(),
        date: doc
            .get_first(f.date)
            .and_then(|v| v.as_datetime())
            .and_then(from_datetime),
        date_source,
        source: text(doc, f.source),
        authors: doc
            .get_all(f.author)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        updated: doc
            .get_first(f.updated)
            .and_then(|v| v.as_datetime())
            .and_then(from_datetime),
        section: text(doc, f.section),
        url: text(doc, f.url),
        crawled: doc
            .get_first(f.crawled)
            .and_then(|v| v.as_datetime())
            .and_then(|d| jiff::Timestamp::from_second(d.into_timestamp_secs()).ok()),
        tags: doc
            .get_all(f.tags)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        lang: text(doc, f.lang)
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or(Lang::En),
        entities,
        format,
        fingerprint: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema;
    use jiff::civil::Date;

    #[test]
    fn articles_round_trip() {
        let fields = Fields::from_schema(&schema::build()).unwrap();
        let article = Article {
            id: "/a/b.jsonl#2".into(),
            path: "/a/b.jsonl".into(),
            headline: "Security talks".into(),
            body: "Marcelo Ebrard met the DEA.".into(),
            date: Some(Date::constant(2021, 10, 8)),
            date_source: Some(DateSource::Metadata),
            source: Some("Meridian Wire".into()),
            authors: vec!["Ana López".into(), "Jo Park".into()],
            updated: Some(Date::constant(2021, 10, 9)),
            section: Some("World".into()),
            url: Some("https://x.test".into()),
            crawled: Some(jiff::Timestamp::from_second(1_714_564_800).unwrap()),
            tags: vec!["security".into()],
            lang: Lang::Es,
            entities: vec![Entity {
                name: "Marcelo Ebrard".into(),
                kind: EntityKind::Person,
                aliases: vec!["Ebrard".into()],
                mentions: 2,
                first: 0,
            }],
            format: Format::JsonLines,
            fingerprint: None,
        };
        let doc = to_document(&article, Stamp { size: 1, mtime: 2 }, 3, &fields);
        let back = from_document(&doc, &fields);
        let mut expected = article.clone();
        expected.entities[0].mentions = 0;
        assert_eq!(back, expected);
    }
}
