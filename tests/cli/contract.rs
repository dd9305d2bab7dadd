//! The documented JSON contract, written independently of the library's
//! own wire types so that a change to either is caught.
//!
//! Every documented key is required: a key the README shows as `null` when
//! empty is an `Option` that must still be present ([`nullable`]), and only
//! the keys documented as present "only with" something default to absent.
//! Unknown keys are refused, so a renamed key fails twice: the old name is
//! missing and the new one is unknown. A key added on purpose is added here
//! and in the README's JSON contract together.

use serde::{Deserialize, Deserializer};

/// A key that must be present, with a value or `null`.
pub fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Option::<T>::deserialize(d)
}

/// A list that is left out when empty, so never present and empty.
fn absent_when_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let list = Vec::<String>::deserialize(d)?;
    if list.is_empty() {
        return Err(serde::de::Error::custom("an empty list is left out"));
    }
    Ok(list)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Results {
    pub query: String,
    pub total: u64,
    pub relaxed: bool,
    pub hits: Vec<Hit>,
    #[serde(default)]
    pub facets: Option<Facets>,
    #[serde(default)]
    pub suggestion: Option<Suggestion>,
    #[serde(default)]
    pub read_as: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Suggestion {
    pub query: String,
    pub total: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "every key is parsed to check it is there")]
pub struct Hit {
    pub id: String,
    pub path: String,
    pub score: f64,
    pub headline: String,
    #[serde(deserialize_with = "nullable")]
    pub date: Option<String>,
    pub entities: Vec<Entity>,
    pub snippet: Snippet,
    pub duplicates: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub source: Option<String>,
    pub author: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub section: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub url: Option<String>,
    pub lang: String,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    pub text: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "absent_when_empty")]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facets {
    pub person: Vec<(String, u64)>,
    pub org: Vec<(String, u64)>,
    pub place: Vec<(String, u64)>,
    pub date: Vec<(String, u64)>,
}

/// `news show --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "every key is parsed to check it is there")]
pub struct Shown {
    pub id: String,
    pub path: String,
    pub headline: String,
    pub body: String,
    #[serde(deserialize_with = "nullable")]
    pub date: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub date_source: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub updated: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub source: Option<String>,
    pub author: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub section: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub url: Option<String>,
    /// RFC 3339, when a web archive captured the page.
    #[serde(deserialize_with = "nullable")]
    pub crawled: Option<String>,
    pub tags: Vec<String>,
    pub lang: String,
    pub format: String,
    pub entities: Vec<Entity>,
}

/// `news index --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "every key is parsed to check it is there")]
pub struct IndexSummary {
    pub indexed: u64,
    pub updated: u64,
    pub deleted: u64,
    pub moved: u64,
    pub unchanged: u64,
    pub skipped: std::collections::BTreeMap<String, u64>,
    pub seconds: f64,
    pub articles: u64,
}

/// `news stats --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "every key is parsed to check it is there")]
pub struct Stats {
    pub articles: u64,
    pub undated: u64,
    pub date_range: serde_json::Value,
    pub folders: serde_json::Value,
    pub formats: serde_json::Value,
    pub languages: serde_json::Value,
    pub sources: serde_json::Value,
    pub top_entities: serde_json::Value,
    pub index_bytes: u64,
    pub index_dir: String,
    pub roots: Vec<String>,
    pub last_update: serde_json::Value,
}

/// `news entities --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mentions {
    pub entities: Vec<Mention>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mention {
    pub text: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub start: usize,
    pub end: usize,
}

impl Hit {
    /// The highlighted words of the snippet.
    pub fn highlighted(&self) -> Vec<&str> {
        self.snippet
            .highlights
            .iter()
            .map(|(a, b)| &self.snippet.text[*a..*b])
            .collect()
    }

    /// Whether the hit has an entity of this name (or alias) and type.
    pub fn has_entity(&self, text: &str, kind: &str) -> bool {
        self.entities
            .iter()
            .any(|e| e.kind == kind && (e.text == text || e.aliases.iter().any(|a| a == text)))
    }
}

impl Results {
    /// The file names of the hits, in rank order.
    pub fn files(&self) -> Vec<String> {
        self.hits
            .iter()
            .map(|h| h.path.rsplit('/').next().unwrap_or("").to_string())
            .collect()
    }
}
