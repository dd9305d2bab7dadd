//! Search requests: the plain options a search is made of (from the command
//! line, a batch line or an HTTP request), their validation, and the
//! translation of query text and filters into a tantivy query.

mod alias;
mod build;
pub mod parser;

pub use alias::Aliases;
pub use build::{Built, Highlight, QueryBuilder};
pub use parser::{DateRange, Modifier, Node};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::lang::Lang;

/// Largest page size a search accepts.
pub const MAX_LIMIT: usize = 10_000;
/// Largest offset a search accepts.
pub const MAX_OFFSET: usize = 100_000;
/// Default page size.
pub const DEFAULT_LIMIT: usize = 10;

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// Best match first (BM25 with field boosts).
    #[default]
    Relevance,
    /// Most recent first; undated articles last.
    Newest,
    /// Oldest first; undated articles last.
    Oldest,
}

impl SortOrder {
    /// Parses `relevance`, `newest` or `oldest`.
    pub fn parse(value: &str) -> Result<SortOrder> {
        match value.trim().to_ascii_lowercase().as_str() {
            "relevance" | "score" => Ok(SortOrder::Relevance),
            "newest" | "new" | "date" => Ok(SortOrder::Newest),
            "oldest" | "old" => Ok(SortOrder::Oldest),
            other => Err(Error::parameter(
                "sort",
                format!("'{other}' is not one of relevance, newest, oldest"),
            )),
        }
    }
}

/// Everything a search is made of, independent of where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// Query text in the query language.
    pub query: String,
    /// Hits per page.
    pub limit: usize,
    /// Hits skipped before the page.
    pub offset: usize,
    /// Earliest date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (inclusive).
    pub since: Option<String>,
    /// Latest date, same forms (inclusive: `2021` ends on 31 December).
    pub until: Option<String>,
    /// Entities every hit must have, by exact name or alias, any kind.
    pub entities: Vec<String>,
    /// People every hit must have.
    pub persons: Vec<String>,
    /// Organisations every hit must have.
    pub orgs: Vec<String>,
    /// Places every hit must have.
    pub places: Vec<String>,
    /// Language code every hit must have.
    pub lang: Option<String>,
    /// Result order.
    pub sort: SortOrder,
    /// Blend relevance with recency.
    pub recent: bool,
    /// Forgive typos in every word.
    pub fuzzy: bool,
    /// Compute facets over the whole result set.
    pub facets: bool,
    /// Collapse near-duplicates into the best-ranked copy.
    pub collapse: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            limit: DEFAULT_LIMIT,
            offset: 0,
            since: None,
            until: None,
            entities: Vec::new(),
            persons: Vec::new(),
            orgs: Vec::new(),
            places: Vec::new(),
            lang: None,
            sort: SortOrder::Relevance,
            recent: false,
            fuzzy: false,
            facets: false,
            collapse: true,
        }
    }
}

impl SearchRequest {
    /// A request for `query` with every other option at its default.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            ..SearchRequest::default()
        }
    }

    /// Checks the bounds and forms that must never reach the engine: zero or
    /// huge limits and offsets, malformed dates, unknown languages.
    pub fn validate(&self) -> Result<()> {
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(Error::parameter(
                "limit",
                format!("{} is out of range 1..={MAX_LIMIT}", self.limit),
            ));
        }
        if self.offset > MAX_OFFSET {
            return Err(Error::parameter(
                "offset",
                format!("{} is out of range 0..={MAX_OFFSET}", self.offset),
            ));
        }
        self.date_filter()?;
        if let Some(lang) = &self.lang
            && Lang::from_code(lang).is_none()
        {
            return Err(Error::parameter(
                "lang",
                format!("'{lang}' is not one of en, es, fr, de, pt, it, und"),
            ));
        }
        for (name, values) in [
            ("entity", &self.entities),
            ("person", &self.persons),
            ("org", &self.orgs),
            ("place", &self.places),
        ] {
            if values.iter().any(|v| v.trim().is_empty()) {
                return Err(Error::parameter(name, "an empty name matches nothing"));
            }
        }
        Ok(())
    }

    /// The `since`/`until` bounds as one inclusive range, if any.
    pub fn date_filter(&self) -> Result<Option<DateRange>> {
        let bound = |name: &'static str, value: &Option<String>, last: bool| -> Result<_> {
            value
                .as_deref()
                .map(|v| {
                    parser::period(v)
                        .map(|(first, end)| if last { end } else { first })
                        .ok_or_else(|| {
                            Error::parameter(
                                name,
                                format!("'{v}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
                            )
                        })
                })
                .transpose()
        };
        let from = bound("since", &self.since, false)?;
        let to = bound("until", &self.until, true)?;
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(Error::parameter("until", "is before --since"));
        }
        Ok((from.is_some() || to.is_some()).then_some(DateRange { from, to }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Date;

    #[test]
    fn limits_are_validated() {
        let mut r = SearchRequest::new("x");
        assert!(r.validate().is_ok());
        r.limit = 0;
        assert!(matches!(
            r.validate(),
            Err(Error::Parameter { name: "limit", .. })
        ));
        r.limit = MAX_LIMIT + 1;
        assert!(r.validate().is_err());
        r.limit = 5;
        r.offset = MAX_OFFSET + 1;
        assert!(matches!(
            r.validate(),
            Err(Error::Parameter { name: "offset", .. })
        ));
    }

    #[test]
    fn date_bounds_are_inclusive_periods() {
        let r = SearchRequest {
            since: Some("2021-03".into()),
            until: Some("2021".into()),
            ..SearchRequest::new("x")
        };
        assert_eq!(
            r.date_filter().unwrap(),
            Some(DateRange {
                from: Some(Date::constant(2021, 3, 1)),
                to: Some(Date::constant(2021, 12, 31))
            })
        );
        let bad = SearchRequest {
            since: Some("March".into()),
            ..SearchRequest::new("x")
        };
        assert!(matches!(
            bad.validate(),
            Err(Error::Parameter { name: "since", .. })
        ));
        let reversed = SearchRequest {
            since: Some("2022".into()),
            until: Some("2021".into()),
            ..SearchRequest::new("x")
        };
        assert!(reversed.validate().is_err());
    }

    #[test]
    fn sort_names() {
        assert_eq!(SortOrder::parse("Newest").unwrap(), SortOrder::Newest);
        assert!(SortOrder::parse("random").is_err());
    }
}
