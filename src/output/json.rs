//! The JSON contract: wire types for search results, articles, summaries
//! and errors.
//! Field names and shapes here are what scripts and the HTTP API rely on;
//! README.md documents them.

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::entity::EntityKind;
use crate::error::{Error, Result};
use crate::facet::Facets;
use crate::related::{Named, Pairs, Related};
use crate::search::{Hit, SearchResults};
use crate::timeline::Timeline;

/// An entity as the contract shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityJson {
    /// Canonical name.
    pub text: String,
    /// `person`, `org`, `place` or `other`.
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// Other forms of the name seen or known (acronyms, short forms).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

impl From<&crate::entity::Entity> for EntityJson {
    fn from(e: &crate::entity::Entity) -> Self {
        EntityJson {
            text: e.name.clone(),
            kind: e.kind,
            aliases: e.aliases.clone(),
        }
    }
}

/// A snippet with byte-offset highlights into `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetJson {
    /// The passage.
    pub text: String,
    /// `[start, end)` byte ranges of `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// One hit of the search contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HitJson {
    /// Article id.
    pub id: String,
    /// Source file.
    pub path: String,
    /// Ranking score.
    pub score: f32,
    /// Headline.
    pub headline: String,
    /// `YYYY-MM-DD` or null.
    pub date: Option<String>,
    /// Every entity of the article.
    pub entities: Vec<EntityJson>,
    /// Best passage.
    pub snippet: SnippetJson,
    /// Ids of near-duplicates folded into this hit.
    pub duplicates: Vec<String>,
    /// Publisher, or null.
    pub source: Option<String>,
    /// Authors (empty when unknown).
    #[serde(default)]
    pub author: Vec<String>,
    /// Section or desk, or null.
    #[serde(default)]
    pub section: Option<String>,
    /// Original URL, or null.
    #[serde(default)]
    pub url: Option<String>,
    /// Language code.
    pub lang: String,
}

/// Facets of the contract: `[name, count]` pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FacetsJson {
    /// Top people.
    pub person: Vec<(String, u64)>,
    /// Top organisations.
    pub org: Vec<(String, u64)>,
    /// Top places.
    pub place: Vec<(String, u64)>,
    /// Articles per period.
    pub date: Vec<(String, u64)>,
}

/// A corrected query: its text and how many articles it finds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionJson {
    /// The query with misspelt words replaced.
    pub query: String,
    /// Articles it finds, with the same filters.
    pub total: usize,
}

/// The search contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchJson {
    /// The query as given.
    pub query: String,
    /// Every matching article.
    pub total: usize,
    /// Whether any-term matching was used.
    pub relaxed: bool,
    /// The page of hits.
    pub hits: Vec<HitJson>,
    /// Present when facets were asked for.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub facets: Option<FacetsJson>,
    /// Present when a word of the query looks misspelt.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub suggestion: Option<SuggestionJson>,
    /// The query as read, present when it was read leniently.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub read_as: Option<String>,
}

/// One line of `--format ndjson`: a hit with its query and rank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HitLineJson {
    /// The query the hit answers.
    pub query: String,
    /// 1-based rank, counting the offset.
    pub rank: usize,
    /// The hit.
    #[serde(flatten)]
    pub hit: HitJson,
}

/// A stored article, for `news show --json` and the article API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleJson {
    /// Article id.
    pub id: String,
    /// Source file.
    pub path: String,
    /// Headline.
    pub headline: String,
    /// Body as indexed.
    pub body: String,
    /// `YYYY-MM-DD` or null.
    pub date: Option<String>,
    /// Where the date came from: `json-ld`, `metadata`, `url`, `markup`,
    /// `path`, `text`, or null.
    pub date_source: Option<String>,
    /// `YYYY-MM-DD` of the last change, or null.
    #[serde(default)]
    pub updated: Option<String>,
    /// Publisher.
    pub source: Option<String>,
    /// Authors (empty when unknown).
    #[serde(default)]
    pub author: Vec<String>,
    /// Section or desk.
    #[serde(default)]
    pub section: Option<String>,
    /// Original URL.
    pub url: Option<String>,
    /// When a web archive captured the page (RFC 3339), or null.
    pub crawled: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Language code.
    pub lang: String,
    /// File format.
    pub format: String,
    /// Every entity, most salient first.
    pub entities: Vec<EntityJson>,
}

impl From<&Hit> for HitJson {
    fn from(hit: &Hit) -> Self {
        HitJson {
            id: hit.id.clone(),
            path: hit.path.clone(),
            score: hit.score,
            headline: hit.headline.clone(),
            date: hit.date.map(|d| d.to_string()),
            entities: hit.entities.iter().map(EntityJson::from).collect(),
            snippet: SnippetJson {
                text: hit.snippet.text.clone(),
                highlights: hit
                    .snippet
                    .highlights
                    .iter()
                    .map(|(a, b)| [*a, *b])
                    .collect(),
            },
            duplicates: hit.duplicates.clone(),
            source: hit.source.clone(),
            author: hit.authors.clone(),
            section: hit.section.clone(),
            url: hit.url.clone(),
            lang: hit.lang.code().to_string(),
        }
    }
}

impl From<&Facets> for FacetsJson {
    fn from(f: &Facets) -> Self {
        FacetsJson {
            person: f.person.clone(),
            org: f.org.clone(),
            place: f.place.clone(),
            date: f.date.clone(),
        }
    }
}

impl From<&SearchResults> for SearchJson {
    fn from(r: &SearchResults) -> Self {
        SearchJson {
            query: r.query.clone(),
            total: r.total,
            relaxed: r.relaxed,
            hits: r.hits.iter().map(HitJson::from).collect(),
            facets: r.facets.as_ref().map(FacetsJson::from),
            suggestion: r.suggestion.as_ref().map(|s| SuggestionJson {
                query: s.query.clone(),
                total: s.total,
            }),
            read_as: r.read_as.clone(),
        }
    }
}

impl From<&Article> for ArticleJson {
    fn from(a: &Article) -> Self {
        ArticleJson {
            id: a.id.clone(),
            path: a.path.clone(),
            headline: a.headline.clone(),
            body: a.body.clone(),
            date: a.date.map(|d| d.to_string()),
            date_source: a.date_source.map(|s| s.name().to_string()),
            updated: a.updated.map(|d| d.to_string()),
            source: a.source.clone(),
            author: a.authors.clone(),
            section: a.section.clone(),
            url: a.url.clone(),
            crawled: a.crawled.map(|t| t.to_string()),
            tags: a.tags.clone(),
            lang: a.lang.code().to_string(),
            format: a.format.name().to_string(),
            entities: a.entities.iter().map(EntityJson::from).collect(),
        }
    }
}

/// One mention of `news entities`: byte offsets into the text read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionJson {
    /// The text of the mention.
    pub text: String,
    /// `person`, `org`, `place` or `other`.
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset after the last byte.
    pub end: usize,
}

/// The `news entities` contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntitiesJson {
    /// Every mention, in text order.
    pub entities: Vec<MentionJson>,
}

impl From<&[crate::entity::Mention]> for EntitiesJson {
    fn from(mentions: &[crate::entity::Mention]) -> Self {
        EntitiesJson {
            entities: mentions
                .iter()
                .map(|m| MentionJson {
                    text: m.text.clone(),
                    kind: m.kind,
                    start: m.start,
                    end: m.end,
                })
                .collect(),
        }
    }
}

/// An error as batches and the HTTP API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorJson {
    /// A stable, machine-readable code.
    pub code: String,
    /// The one-line message.
    pub message: String,
}

impl From<&Error> for ErrorJson {
    fn from(error: &Error) -> Self {
        ErrorJson {
            code: error.code().to_string(),
            message: error.to_string(),
        }
    }
}

/// The line of a `--batch` query that failed: the query and its error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchErrorJson {
    /// The query line as read.
    pub query: String,
    /// What was wrong with it.
    pub error: ErrorJson,
}

/// The body of an HTTP error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBodyJson {
    /// What went wrong.
    pub error: ErrorJson,
}

/// Writes any serializable value as one line of JSON.
pub fn write_line<T: Serialize>(out: &mut impl Write, value: &T) -> Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(|e| Error::Output(e.into()))?;
    writeln!(out).map_err(Error::Output)
}

/// Writes search results as one JSON document.
pub fn write_results(out: &mut impl Write, results: &SearchResults) -> Result<()> {
    write_line(out, &SearchJson::from(results))
}

/// Writes search results as one JSON object per hit.
pub fn write_hit_lines(out: &mut impl Write, results: &SearchResults, offset: usize) -> Result<()> {
    for (i, hit) in results.hits.iter().enumerate() {
        write_line(
            out,
            &HitLineJson {
                query: results.query.clone(),
                rank: offset + i + 1,
                hit: HitJson::from(hit),
            },
        )?;
    }
    Ok(())
}

/// Articles in one period of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketJson {
    /// First day of the period, `YYYY-MM-DD`.
    pub start: String,
    /// Matching articles dated within it.
    pub count: u64,
}

/// The timeline contract (`news timeline --json`, `/api/timeline`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineJson {
    /// The query as given.
    pub query: String,
    /// Every matching article, as a search counts them.
    pub total: usize,
    /// `day`, `week`, `month` or `year`.
    pub by: String,
    /// Every period from the first matching date to the last, in order.
    pub buckets: Vec<BucketJson>,
    /// Matching articles without a date.
    pub undated: u64,
}

impl From<&Timeline> for TimelineJson {
    fn from(t: &Timeline) -> Self {
        TimelineJson {
            query: t.query.clone(),
            total: t.total,
            by: t.by.name().to_string(),
            buckets: t
                .buckets
                .iter()
                .map(|b| BucketJson {
                    start: b.start.to_string(),
                    count: b.count,
                })
                .collect(),
            undated: t.undated,
        }
    }
}

/// An entity named by its canonical name and kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedJson {
    /// Canonical name.
    pub text: String,
    /// `person`, `org`, `place` or `other`.
    #[serde(rename = "type")]
    pub kind: EntityKind,
}

impl From<&Named> for NamedJson {
    fn from(n: &Named) -> Self {
        NamedJson {
            text: n.text.clone(),
            kind: n.kind,
        }
    }
}

/// An entity tied to the one asked about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TieJson {
    /// Canonical name.
    pub text: String,
    /// `person`, `org`, `place` or `other`.
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// Articles naming both.
    pub count: u64,
    /// Signed log-likelihood ratio (G²) of the tie.
    pub score: f64,
}

/// The `news related NAME` contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelatedJson {
    /// The entity asked about, as the articles name it.
    pub entity: NamedJson,
    /// Matching articles naming it.
    pub articles: u64,
    /// Tied entities, strongest first.
    pub related: Vec<TieJson>,
}

impl From<&Related> for RelatedJson {
    fn from(r: &Related) -> Self {
        RelatedJson {
            entity: NamedJson::from(&r.entity),
            articles: r.articles,
            related: r
                .related
                .iter()
                .map(|t| TieJson {
                    text: t.entity.text.clone(),
                    kind: t.entity.kind,
                    count: t.count,
                    score: rounded(t.score),
                })
                .collect(),
        }
    }
}

/// Two tied entities of a result set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairJson {
    /// The more frequent of the two.
    pub a: NamedJson,
    /// The other.
    pub b: NamedJson,
    /// Articles naming both.
    pub count: u64,
    /// Signed log-likelihood ratio (G²) of the tie.
    pub score: f64,
}

/// The `news related --pairs` contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairsJson {
    /// The query as given.
    pub query: String,
    /// Matching articles.
    pub articles: u64,
    /// Tied pairs, strongest first.
    pub pairs: Vec<PairJson>,
}

impl From<&Pairs> for PairsJson {
    fn from(p: &Pairs) -> Self {
        PairsJson {
            query: p.query.clone(),
            articles: p.articles,
            pairs: p
                .pairs
                .iter()
                .map(|pair| PairJson {
                    a: NamedJson::from(&pair.a),
                    b: NamedJson::from(&pair.b),
                    count: pair.count,
                    score: rounded(pair.score),
                })
                .collect(),
        }
    }
}

/// The `/api/entities/{name}` contract: one entity's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityPageJson {
    /// The entity, as the articles name it.
    pub entity: NamedJson,
    /// Matching articles naming it.
    pub articles: u64,
    /// Those articles per period.
    pub timeline: TimelineJson,
    /// The entities most tied to it, strongest first.
    pub related: Vec<TieJson>,
    /// Its top stories.
    pub top: Vec<HitJson>,
}

impl EntityPageJson {
    /// The page of an entity from its ties, its timeline and its stories.
    pub fn new(related: &Related, timeline: &Timeline, top: &SearchResults) -> EntityPageJson {
        let RelatedJson {
            entity,
            articles,
            related,
        } = RelatedJson::from(related);
        EntityPageJson {
            entity,
            articles,
            timeline: TimelineJson::from(timeline),
            related,
            top: top.hits.iter().map(HitJson::from).collect(),
        }
    }
}

/// A score to three decimals: more says nothing and reads as noise.
fn rounded(score: f64) -> f64 {
    (score * 1000.0).round() / 1000.0
}
