//! Export for a cluster: the whole index as files a distributed engine loads
//! without rework — a Quickwit index config (JSON, which Quickwit reads by
//! its extension as it reads YAML) with NDJSON documents, or an
//! Elasticsearch / OpenSearch mapping with `_bulk` NDJSON. Both configs are
//! built with serde from the one list of exported [`FIELDS`].
//!
//! Both carry the same fields as our schema; text analysis is the nearest
//! each engine offers to ours (lower-casing and ASCII folding; neither gets
//! our per-language stemming).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::json;
use xxhash_rust::xxh3::xxh3_128;

use crate::article::Article;
use crate::entity::EntityKind;
use crate::error::{Error, Result};
use crate::search::Engine;

/// Index name used in the exported files.
pub const INDEX_NAME: &str = "news";

/// A target engine, named `quickwit` or `elasticsearch`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::Display, strum::EnumString, strum::VariantNames,
)]
#[strum(serialize_all = "lowercase")]
pub enum ExportFormat {
    /// Quickwit 0.8 index config and NDJSON.
    Quickwit,
    /// Elasticsearch / OpenSearch mapping and `_bulk` NDJSON.
    Elasticsearch,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportSummary {
    /// Articles written.
    pub articles: u64,
    /// Files written.
    pub files: Vec<String>,
}

/// One exported article: the same fields as the index, dates in RFC 3339.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportDoc<'a> {
    /// Article id (path, or `path#n`).
    pub id: &'a str,
    /// Source file.
    pub path: &'a str,
    /// Headline.
    pub headline: &'a str,
    /// Body.
    pub body: &'a str,
    /// Publication date, midnight UTC; absent when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Every entity name.
    pub entities: Vec<&'a str>,
    /// People.
    pub person: Vec<&'a str>,
    /// Organisations.
    pub org: Vec<&'a str>,
    /// Places.
    pub place: Vec<&'a str>,
    /// Other names.
    pub other: Vec<&'a str>,
    /// Language code.
    pub lang: &'a str,
    /// Publisher.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    /// Authors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<&'a str>,
    /// Original URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
    /// Tags.
    pub tags: Vec<&'a str>,
}

impl<'a> ExportDoc<'a> {
    /// The export form of an article.
    pub fn of(article: &'a Article) -> ExportDoc<'a> {
        let names = |kind: EntityKind| {
            article
                .entities
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| e.name.as_str())
                .collect()
        };
        ExportDoc {
            id: &article.id,
            path: &article.path,
            headline: &article.headline,
            body: &article.body,
            date: article.date.map(|d| format!("{d}T00:00:00Z")),
            entities: article.entities.iter().map(|e| e.name.as_str()).collect(),
            person: names(EntityKind::Person),
            org: names(EntityKind::Org),
            place: names(EntityKind::Place),
            other: names(EntityKind::Other),
            lang: article.lang.code(),
            source: article.source.as_deref(),
            author: article.authors.iter().map(String::as_str).collect(),
            url: article.url.as_deref(),
            tags: article.tags.iter().map(String::as_str).collect(),
        }
    }
}

/// A stable document id for engines that take one: a 128-bit hash of the
/// article id (article ids are paths, which may exceed id length limits).
pub fn stable_id(article_id: &str) -> String {
    format!("{:032x}", xxh3_128(article_id.as_bytes()))
}

/// The fields every export carries, in order (for tests and docs).
pub const FIELDS: [&str; 15] = [
    "id", "path", "headline", "body", "date", "entities", "person", "org", "place", "other",
    "lang", "source", "author", "url", "tags",
];

/// Writes the export of the whole index into `out` (created if missing).
pub fn export(engine: &Engine, format: ExportFormat, out: &Path) -> Result<ExportSummary> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let (config_name, config, docs_name) = match format {
        ExportFormat::Quickwit => ("news-index-config.json", quickwit_config(), "news.ndjson"),
        ExportFormat::Elasticsearch => (
            "news-mapping.json",
            elasticsearch_mapping(),
            "news-bulk.ndjson",
        ),
    };
    let config_path = out.join(config_name);
    std::fs::write(&config_path, config).map_err(|e| Error::io(&config_path, e))?;
    let docs_path = out.join(docs_name);
    let file = File::create(&docs_path).map_err(|e| Error::io(&docs_path, e))?;
    let mut writer = BufWriter::new(file);
    let write_err = |e: std::io::Error| Error::io(docs_path.clone(), e);
    let mut articles = 0u64;
    engine.for_each_article(|article| {
        let doc = ExportDoc::of(&article);
        if format == ExportFormat::Elasticsearch {
            let action = json!({"index": {"_index": INDEX_NAME, "_id": stable_id(&article.id)}});
            serde_json::to_writer(&mut writer, &action).map_err(|e| write_err(e.into()))?;
            writer.write_all(b"\n").map_err(write_err)?;
        }
        serde_json::to_writer(&mut writer, &doc).map_err(|e| write_err(e.into()))?;
        writer.write_all(b"\n").map_err(write_err)?;
        articles += 1;
        Ok(())
    })?;
    writer.flush().map_err(write_err)?;
    let files = [config_path, docs_path]
        .iter()
        .map(|p: &PathBuf| p.to_string_lossy().into_owned())
        .collect();
    Ok(ExportSummary { articles, files })
}

/// The Quickwit index config: a folding tokenizer like ours, entities as
/// fast `array<text>`, the date as the fast timestamp field.
fn quickwit_config() -> String {
    let keyword = json!({"type": "text", "tokenizer": "raw", "stored": true});
    let mut mappings = Vec::new();
    for name in FIELDS {
        let mut mapping = match name {
            "headline" | "body" => json!({
                "type": "text",
                "tokenizer": "news_folded",
                "record": "position",
                "fieldnorms": true,
                "stored": true
            }),
            "date" => json!({
                "type": "datetime",
                "input_formats": ["rfc3339"],
                "output_format": "rfc3339",
                "fast": true,
                "fast_precision": "seconds",
                "stored": true
            }),
            "entities" | "person" | "org" | "place" | "other" | "tags" => json!({
                "type": "array<text>",
                "tokenizer": "raw_lowercase",
                "stored": true,
                "fast": true
            }),
            _ => keyword.clone(),
        };
        mapping["name"] = json!(name);
        mappings.push(mapping);
    }
    let config = json!({
        "version": "0.8",
        "index_id": INDEX_NAME,
        "doc_mapping": {
            "mode": "lenient",
            "tokenizers": [{
                "name": "news_folded",
                "type": "simple",
                "filters": ["remove_long", "lower_caser", "ascii_folding"]
            }],
            "field_mappings": mappings,
            "timestamp_field": "date"
        },
        "search_settings": {"default_search_fields": ["headline", "body", "entities"]},
        "indexing_settings": {"commit_timeout_secs": 10}
    });
    serde_json::to_string_pretty(&config).unwrap_or_default() + "\n"
}

/// The Elasticsearch / OpenSearch index: a `news_folded` analyzer (standard
/// tokenizer, lowercase, asciifolding), keyword entities, a date.
fn elasticsearch_mapping() -> String {
    let text = json!({"type": "text", "analyzer": "news_folded"});
    let keyword = json!({"type": "keyword"});
    let mut properties = serde_json::Map::new();
    for name in FIELDS {
        let value = match name {
            "headline" | "body" => text.clone(),
            "date" => json!({"type": "date", "format": "strict_date_optional_time"}),
            "url" => json!({"type": "keyword", "index": false}),
            _ => keyword.clone(),
        };
        properties.insert(name.to_string(), value);
    }
    let mapping = json!({
        "settings": {
            "analysis": {
                "analyzer": {
                    "news_folded": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding"]
                    }
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "properties": properties
        }
    });
    serde_json::to_string_pretty(&mapping).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_ids_are_fixed_width_and_deterministic() {
        let a = stable_id("/archive/2021/a.txt");
        assert_eq!(a, stable_id("/archive/2021/a.txt"));
        assert_eq!(a.len(), 32);
        assert_ne!(a, stable_id("/archive/2021/a.txt#2"));
    }

    #[test]
    fn the_quickwit_config_lists_every_field_once() {
        let config: serde_json::Value = serde_json::from_str(&quickwit_config()).unwrap();
        let names: Vec<&str> = config["doc_mapping"]["field_mappings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, FIELDS);
        // Quickwit reads `version` of a JSON config as a string tag.
        assert_eq!(config["version"], "0.8");
    }

    #[test]
    fn the_mapping_lists_every_field() {
        let mapping: serde_json::Value = serde_json::from_str(&elasticsearch_mapping()).unwrap();
        let props = mapping["mappings"]["properties"].as_object().unwrap();
        let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
        names.sort();
        let mut expected = FIELDS.to_vec();
        expected.sort();
        assert_eq!(names, expected);
    }
}
