//! The documented JSON contract, written independently of the library's
//! own wire types so that a change to either is caught.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
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
pub struct Suggestion {
    pub query: String,
    pub total: u64,
}

#[derive(Debug, Deserialize)]
pub struct Hit {
    pub id: String,
    pub path: String,
    pub score: f64,
    pub headline: String,
    pub date: Option<String>,
    pub entities: Vec<Entity>,
    pub snippet: Snippet,
    #[serde(default)]
    pub duplicates: Vec<String>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub struct Entity {
    pub text: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

#[derive(Debug, Deserialize)]
pub struct Facets {
    pub person: Vec<(String, u64)>,
    pub org: Vec<(String, u64)>,
    pub place: Vec<(String, u64)>,
    pub date: Vec<(String, u64)>,
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
