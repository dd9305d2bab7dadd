//! Search requests: the one validated [`SearchRequest`] that every edge
//! (the command line, each `--batch` line, HTTP parameters) builds once and
//! everything downstream takes as it is.
//!
//! An edge reads its own syntax (clap arguments, a query string) into
//! [`SearchParams`], the request as typed; [`SearchParams::validate`] with
//! the edge's [`Limits`] is the only way from there to a request, so the same
//! mistake gets the same message on every edge. A request holds the parsed
//! query, typed [`Filters`], a [`Page`], the order and the flags.
//!
//! A new filter is a field of [`Filters`] (checked in `validate`, turned
//! into a clause by `search::build`); a new flag is a field of
//! [`SearchRequest`] and of [`SearchParams`].

use std::borrow::Cow;

use crate::entity::EntityKind;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::query::{DateRange, MAX_QUERY_CHARS, ParsedQuery, Reading, parser};
use crate::schema::MetaFilter;

/// Default page size.
pub const DEFAULT_LIMIT: usize = 10;

/// What one edge accepts at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest page size.
    pub max_limit: usize,
    /// Largest offset.
    pub max_offset: usize,
    /// Longest query text, in characters.
    pub max_query_chars: usize,
    /// Most entity filters in one request.
    pub max_entity_filters: usize,
}

impl Limits {
    /// `news search` and the library: one person's own archive.
    pub const COMMAND_LINE: Limits = Limits {
        max_limit: 10_000,
        max_offset: 100_000,
        max_query_chars: MAX_QUERY_CHARS,
        max_entity_filters: usize::MAX,
    };

    /// A line of `news search --batch`: the command line's limits.
    pub const BATCH: Limits = Limits::COMMAND_LINE;

    /// The HTTP API, which a whole network may call: pages a browser
    /// shows, and bounded work per request.
    pub const HTTP: Limits = Limits {
        max_limit: 100,
        max_offset: 10_000,
        max_query_chars: 2_000,
        max_entity_filters: 20,
    };
}

/// Result order, named `relevance`, `newest` or `oldest` on every edge.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    strum::Display,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantNames,
)]
#[strum(ascii_case_insensitive)]
pub enum SortOrder {
    /// Best match first (BM25 with field boosts).
    #[default]
    #[strum(to_string = "relevance", serialize = "score")]
    Relevance,
    /// Most recent first; undated articles last.
    #[strum(to_string = "newest", serialize = "new", serialize = "date")]
    Newest,
    /// Oldest first; undated articles last.
    #[strum(to_string = "oldest", serialize = "old")]
    Oldest,
}

impl SortOrder {
    /// Parses `relevance`, `newest` or `oldest` (or `score`, `new`, `date`,
    /// `old`), case-insensitively.
    pub fn parse(value: &str) -> Result<SortOrder> {
        use strum::VariantNames;
        let value = value.trim();
        value.parse().map_err(|_| {
            Error::parameter(
                "sort",
                format!(
                    "'{}' is not one of {}",
                    value.to_ascii_lowercase(),
                    SortOrder::VARIANTS.join(", ")
                ),
            )
        })
    }
}

/// One page of results: how many hits, after how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    limit: usize,
    offset: usize,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

impl Page {
    /// A page within `limits`: at least one hit, at most the edge's page
    /// size and offset.
    pub fn new(limit: usize, offset: usize, limits: &Limits) -> Result<Page> {
        if limit == 0 || limit > limits.max_limit {
            return Err(Error::parameter(
                "limit",
                format!("{limit} is out of range 1..={}", limits.max_limit),
            ));
        }
        if offset > limits.max_offset {
            return Err(Error::parameter(
                "offset",
                format!("{offset} is out of range 0..={}", limits.max_offset),
            ));
        }
        Ok(Page { limit, offset })
    }

    /// Hits on the page at most.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Hits skipped before the page.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

/// Keep articles with an entity, by exact name or known alias (case and
/// accents ignored), of one kind or of any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityFilter {
    /// The kind, or `None` for any kind.
    pub kind: Option<EntityKind>,
    /// The name as given (never blank).
    pub name: String,
}

impl EntityFilter {
    /// The parameter a filter of `kind` comes from: `entity`, `person`,
    /// `org` or `place`.
    pub fn parameter(kind: Option<EntityKind>) -> &'static str {
        kind.map_or("entity", EntityKind::name)
    }
}

/// What every hit must have. Filters restrict; they never change a score.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Dated within this inclusive range (undated articles never match).
    pub dates: Option<DateRange>,
    /// In this language.
    pub lang: Option<Lang>,
    /// With every one of these entities.
    pub entities: Vec<EntityFilter>,
    /// With each of these metadata values (an author, the section, the
    /// source), matched exactly, case and accents ignored.
    pub meta: Vec<(MetaFilter, String)>,
}

/// A validated search: everything downstream takes it as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    /// The parsed query, with how it was read (leniently, as typed).
    pub query: ParsedQuery,
    /// What every hit must have.
    pub filters: Filters,
    /// The page of hits wanted.
    pub page: Page,
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

impl SearchRequest {
    /// A request for `query`, every other option at its default.
    pub fn new(query: ParsedQuery) -> SearchRequest {
        SearchRequest {
            query,
            filters: Filters::default(),
            page: Page::default(),
            sort: SortOrder::Relevance,
            recent: false,
            fuzzy: false,
            facets: false,
            collapse: true,
        }
    }
}

/// A search as an edge hands it over, before validation: values as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchParams {
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
    /// An author every hit must have.
    pub author: Option<String>,
    /// The section every hit must be in.
    pub section: Option<String>,
    /// The source (publisher) every hit must have.
    pub source: Option<String>,
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
    /// The query is being typed: its last word matches as a prefix.
    pub prefix: bool,
    /// Repair query syntax instead of refusing it (a search box as it types).
    pub lenient: bool,
}

impl Default for SearchParams {
    fn default() -> Self {
        SearchParams {
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
            author: None,
            section: None,
            source: None,
            sort: SortOrder::Relevance,
            recent: false,
            fuzzy: false,
            facets: false,
            collapse: true,
            prefix: false,
            lenient: false,
        }
    }
}

impl SearchParams {
    /// Parameters for `query` with every other option at its default.
    pub fn new(query: impl Into<String>) -> SearchParams {
        SearchParams {
            query: query.into(),
            ..SearchParams::default()
        }
    }

    /// The same parameters with another query text (a batch line).
    pub fn with_query(&self, query: &str) -> SearchParams {
        SearchParams {
            query: query.to_string(),
            ..self.clone()
        }
    }

    /// The request these parameters ask for, within `limits`: the page, the
    /// dates, the language, the entity names and the query are each checked
    /// and parsed here, once.
    pub fn validate(&self, limits: &Limits) -> Result<SearchRequest> {
        let page = Page::new(self.limit, self.offset, limits)?;
        let dates = date_range(self.since.as_deref(), self.until.as_deref())?;
        let lang = self
            .lang
            .as_deref()
            .map(|code| Lang::parse(code).map_err(|message| Error::parameter("lang", message)))
            .transpose()?;
        let mut entities = Vec::new();
        for (kind, names) in [
            (None, &self.entities),
            (Some(EntityKind::Person), &self.persons),
            (Some(EntityKind::Org), &self.orgs),
            (Some(EntityKind::Place), &self.places),
        ] {
            for name in names {
                if name.trim().is_empty() {
                    return Err(Error::parameter(
                        EntityFilter::parameter(kind),
                        "an empty name matches nothing",
                    ));
                }
                entities.push(EntityFilter {
                    kind,
                    name: name.clone(),
                });
            }
        }
        if entities.len() > limits.max_entity_filters {
            return Err(Error::parameter(
                "entity",
                format!("more than {} filters", limits.max_entity_filters),
            ));
        }
        let mut meta = Vec::new();
        for (filter, value) in [
            (MetaFilter::Author, &self.author),
            (MetaFilter::Section, &self.section),
            (MetaFilter::Source, &self.source),
        ] {
            if let Some(value) = value {
                if value.trim().is_empty() {
                    return Err(Error::parameter(
                        filter.name(),
                        "an empty value matches nothing",
                    ));
                }
                meta.push((filter, value.trim().to_string()));
            }
        }
        let reading = Reading {
            lenient: self.lenient,
            prefix: self.prefix,
        };
        let query = ParsedQuery::read(self.query.as_str(), limits.max_query_chars, reading)?;
        Ok(SearchRequest {
            query,
            filters: Filters {
                dates,
                lang,
                entities,
                meta,
            },
            page,
            sort: self.sort,
            recent: self.recent,
            fuzzy: self.fuzzy,
            facets: self.facets,
            collapse: self.collapse,
        })
    }
}

/// `since` and `until` as one inclusive range of days, if either is given.
fn date_range(since: Option<&str>, until: Option<&str>) -> Result<Option<DateRange>> {
    let bound = |name: &'static str, value: Option<&str>, last: bool| -> Result<_> {
        value
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
    let from = bound("since", since, false)?;
    let to = bound("until", until, true)?;
    if let (Some(f), Some(t), Some(since), Some(until)) = (from, to, since, until)
        && f > t
    {
        return Err(Error::parameter(
            "until",
            format!("'{until}' ends before since '{since}' begins"),
        ));
    }
    Ok((from.is_some() || to.is_some()).then_some(DateRange { from, to }))
}

/// What [`crate::search::Engine::search`] runs: a validated request, or
/// parameters validated on the way in with the command line's limits.
pub trait AsRequest {
    /// The validated request.
    fn as_request(&self) -> Result<Cow<'_, SearchRequest>>;
}

impl AsRequest for SearchRequest {
    fn as_request(&self) -> Result<Cow<'_, SearchRequest>> {
        Ok(Cow::Borrowed(self))
    }
}

impl AsRequest for SearchParams {
    fn as_request(&self) -> Result<Cow<'_, SearchRequest>> {
        self.validate(&Limits::COMMAND_LINE).map(Cow::Owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Date;

    #[test]
    fn limits_are_validated() {
        let mut r = SearchParams::new("x");
        assert!(r.validate(&Limits::COMMAND_LINE).is_ok());
        r.limit = 0;
        assert!(matches!(
            r.validate(&Limits::COMMAND_LINE),
            Err(Error::Parameter { name: "limit", .. })
        ));
        r.limit = Limits::COMMAND_LINE.max_limit + 1;
        assert!(r.validate(&Limits::COMMAND_LINE).is_err());
        r.limit = 5;
        r.offset = Limits::COMMAND_LINE.max_offset + 1;
        assert!(matches!(
            r.validate(&Limits::COMMAND_LINE),
            Err(Error::Parameter { name: "offset", .. })
        ));
    }

    #[test]
    fn a_blank_entity_name_is_refused_naming_its_parameter() {
        for (kind, name) in [
            (None, "entity"),
            (Some(EntityKind::Person), "person"),
            (Some(EntityKind::Org), "org"),
            (Some(EntityKind::Place), "place"),
        ] {
            let mut r = SearchParams::new("x");
            match kind {
                None => r.entities.push(" ".into()),
                Some(EntityKind::Person) => r.persons.push(String::new()),
                Some(EntityKind::Org) => r.orgs.push(" ".into()),
                _ => r.places.push(String::new()),
            }
            match r.validate(&Limits::COMMAND_LINE) {
                Err(Error::Parameter { name: n, .. }) => assert_eq!(n, name),
                other => panic!("{name}: {other:?}"),
            }
        }
    }

    #[test]
    fn one_day_is_a_range_and_an_end_before_the_start_is_not() {
        let day = |since: &str, until: &str| {
            SearchParams {
                since: Some(since.into()),
                until: Some(until.into()),
                ..SearchParams::new("x")
            }
            .validate(&Limits::COMMAND_LINE)
        };
        let one = Date::constant(2021, 3, 5);
        assert_eq!(
            day("2021-03-05", "2021-03-05").unwrap().filters.dates,
            Some(DateRange {
                from: Some(one),
                to: Some(one)
            })
        );
        assert!(matches!(
            day("2021-03-06", "2021-03-05"),
            Err(Error::Parameter { name: "until", .. })
        ));
    }

    #[test]
    fn date_bounds_are_inclusive_periods() {
        let r = SearchParams {
            since: Some("2021-03".into()),
            until: Some("2021".into()),
            ..SearchParams::new("x")
        };
        assert_eq!(
            r.validate(&Limits::COMMAND_LINE).unwrap().filters.dates,
            Some(DateRange {
                from: Some(Date::constant(2021, 3, 1)),
                to: Some(Date::constant(2021, 12, 31))
            })
        );
        let bad = SearchParams {
            since: Some("March".into()),
            ..SearchParams::new("x")
        };
        assert!(matches!(
            bad.validate(&Limits::COMMAND_LINE),
            Err(Error::Parameter { name: "since", .. })
        ));
        let reversed = SearchParams {
            since: Some("2022".into()),
            until: Some("2021".into()),
            ..SearchParams::new("x")
        };
        assert!(reversed.validate(&Limits::COMMAND_LINE).is_err());
    }

    #[test]
    fn sort_names() {
        assert_eq!(SortOrder::parse("Newest").unwrap(), SortOrder::Newest);
        assert!(SortOrder::parse("random").is_err());
    }

    #[test]
    fn the_same_mistake_reads_the_same_on_every_edge() {
        let message = |params: &SearchParams, limits: &Limits| {
            params.validate(limits).unwrap_err().to_string()
        };
        let cases = [
            SearchParams {
                since: Some("yesterday".into()),
                ..SearchParams::new("x")
            },
            SearchParams {
                lang: Some("xx".into()),
                ..SearchParams::new("x")
            },
            SearchParams {
                persons: vec![" ".into()],
                ..SearchParams::new("x")
            },
            SearchParams::new("(unclosed"),
        ];
        for params in &cases {
            assert_eq!(
                message(params, &Limits::COMMAND_LINE),
                message(params, &Limits::HTTP)
            );
        }
        // Caps differ by edge; the message names the edge's own.
        let big = SearchParams {
            limit: 101,
            ..SearchParams::new("x")
        };
        assert!(big.validate(&Limits::COMMAND_LINE).is_ok());
        assert_eq!(
            message(&big, &Limits::HTTP),
            "invalid limit: 101 is out of range 1..=100"
        );
        let long = SearchParams::new("a".repeat(2_001));
        assert!(long.validate(&Limits::COMMAND_LINE).is_ok());
        assert!(matches!(
            long.validate(&Limits::HTTP),
            Err(Error::Query {
                position: 2_001,
                ..
            })
        ));
    }

    #[test]
    fn filters_are_typed() {
        let r = SearchParams {
            lang: Some("ES".into()),
            entities: vec!["DEA".into()],
            places: vec!["Mexico".into()],
            ..SearchParams::new("")
        }
        .validate(&Limits::COMMAND_LINE)
        .unwrap();
        assert_eq!(r.filters.lang, Some(Lang::Es));
        assert_eq!(
            r.filters.entities,
            vec![
                EntityFilter {
                    kind: None,
                    name: "DEA".into()
                },
                EntityFilter {
                    kind: Some(EntityKind::Place),
                    name: "Mexico".into()
                }
            ]
        );
        let many = SearchParams {
            entities: vec!["a".into(); 21],
            ..SearchParams::new("x")
        };
        assert!(many.validate(&Limits::COMMAND_LINE).is_ok());
        assert!(matches!(
            many.validate(&Limits::HTTP),
            Err(Error::Parameter { name: "entity", .. })
        ));
    }
}
