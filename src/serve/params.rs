//! Query-string parameters of the API, read into the same
//! [`SearchParams`] the command line reads its arguments into and validated
//! the same way, within the HTTP [`Limits`]. Every mistake names the
//! parameter.

use crate::entity::EntityKind;
use crate::error::{Error, Result};
use crate::query::EVERYTHING;
use crate::request::{DEFAULT_LIMIT, Limits, Page, SearchParams, SearchRequest, SortOrder};
use crate::timeline::Period;

fn number(name: &'static str, value: &str) -> Result<usize> {
    value
        .trim()
        .parse()
        .map_err(|_| Error::parameter(name, format!("'{}' is not a number", clip(value))))
}

fn flag(name: &'static str, value: &str) -> Result<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(Error::parameter(
            name,
            format!("'{}' is not true or false", clip(value)),
        )),
    }
}

/// Shortens a value for an error message.
fn clip(value: &str) -> String {
    let mut s: String = value.chars().take(40).collect();
    if value.chars().count() > 40 {
        s.push('…');
    }
    s
}

/// The validated request of `/api/search` parameters.
pub fn search_request(raw: &str) -> Result<SearchRequest> {
    search_params(raw)?.validate(&Limits::HTTP)
}

/// The validated request of `/api/timeline` parameters: those of
/// `/api/search` and `by`, the period of each bucket.
pub fn timeline_request(raw: &str) -> Result<(SearchRequest, Option<Period>)> {
    let mut by = None;
    let params = read_params(raw, |key, value| match key {
        "by" if !value.trim().is_empty() => Period::parse(value).map(|p| {
            by = Some(p);
            true
        }),
        "by" => Ok(true),
        _ => Ok(false),
    })?;
    Ok((params.validate(&Limits::HTTP)?, by))
}

/// What `/api/entities/{name}` asks for: the request choosing the
/// articles (parameters of `/api/search`, `limit` the top stories, newest
/// first unless `q` or `sort` say otherwise), the entity's `kind` and the
/// timeline's period `by`.
pub struct EntityQuery {
    /// The articles, before the entity's own filter.
    pub request: SearchRequest,
    /// The entity's kind, or any.
    pub kind: Option<EntityKind>,
    /// The timeline's period, or the one that fits.
    pub by: Option<Period>,
}

/// Reads `/api/entities/{name}` parameters.
pub fn entity_query(raw: &str) -> Result<EntityQuery> {
    let (mut by, mut kind) = (None, None);
    let mut params = read_params(raw, |key, value| match key {
        "by" if !value.trim().is_empty() => Period::parse(value).map(|p| {
            by = Some(p);
            true
        }),
        "kind" if !value.trim().is_empty() => EntityKind::from_name(value)
            .map(|k| {
                kind = Some(k);
                true
            })
            .ok_or_else(|| {
                Error::parameter(
                    "kind",
                    format!("'{}' is not one of person, org, place, other", clip(value)),
                )
            }),
        "by" | "kind" => Ok(true),
        _ => Ok(false),
    })?;
    // Every article of the entity matches an empty query alike: the
    // newest are its top stories, unless another order is asked for.
    let sorted = form_urlencoded::parse(raw.as_bytes()).any(|(key, _)| key == "sort");
    if !sorted && params.query == EVERYTHING {
        params.sort = SortOrder::Newest;
    }
    Ok(EntityQuery {
        request: params.validate(&Limits::HTTP)?,
        kind,
        by,
    })
}

/// Reads `/api/search` parameters: `q`, `limit`, `offset`, `since`, `until`,
/// `sort`, `entity`, `person`, `org`, `place` (repeatable), `lang`,
/// `author`, `section`, `source`,
/// `facets`, `fuzzy`, `recent`, `collapse`, `prefix`, `lenient`. A missing
/// or blank `q` asks for every article.
fn search_params(raw: &str) -> Result<SearchParams> {
    read_params(raw, |_, _| Ok(false))
}

/// Reads the parameters of `/api/search`, handing any other key to
/// `other` first, which says whether it took it.
fn read_params(
    raw: &str,
    mut other: impl FnMut(&str, &str) -> Result<bool>,
) -> Result<SearchParams> {
    let mut request = SearchParams::default();
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        let value = value.into_owned();
        match key.as_ref() {
            "q" => request.query = value,
            "limit" => request.limit = number("limit", &value)?,
            "offset" => request.offset = number("offset", &value)?,
            "since" => request.since = Some(value).filter(|v| !v.is_empty()),
            "until" => request.until = Some(value).filter(|v| !v.is_empty()),
            "sort" => request.sort = SortOrder::parse(&value)?,
            "lang" => request.lang = Some(value).filter(|v| !v.is_empty()),
            // A blank value is refused when validated, not read as no filter.
            "author" => request.author = Some(value),
            "section" => request.section = Some(value),
            "source" => request.source = Some(value),
            "facets" => request.facets = flag("facets", &value)?,
            "fuzzy" => request.fuzzy = flag("fuzzy", &value)?,
            "recent" => request.recent = flag("recent", &value)?,
            "collapse" => request.collapse = flag("collapse", &value)?,
            "prefix" => request.prefix = flag("prefix", &value)?,
            "lenient" => request.lenient = flag("lenient", &value)?,
            "entity" | "person" | "org" | "place" => {
                let list = match key.as_ref() {
                    "entity" => &mut request.entities,
                    "person" => &mut request.persons,
                    "org" => &mut request.orgs,
                    _ => &mut request.places,
                };
                list.push(value);
            }
            key if other(key, &value)? => {}
            unknown => {
                return Err(Error::parameter(
                    "query string",
                    format!("unknown parameter '{}'", clip(unknown)),
                ));
            }
        }
    }
    if request.query.trim().is_empty() {
        request.query = EVERYTHING.to_string();
    }
    Ok(request)
}

/// Reads the `limit` of `/api/articles/{id}/similar`: the page it asks for.
pub fn similar_page(raw: &str) -> Result<Page> {
    let mut limit = DEFAULT_LIMIT;
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        match key.as_ref() {
            "limit" => limit = number("limit", &value)?,
            other => {
                return Err(Error::parameter(
                    "query string",
                    format!("unknown parameter '{}'", clip(other)),
                ));
            }
        }
    }
    Page::new(limit, 0, &Limits::HTTP)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_become_a_request() {
        let r = search_params(
            "q=Ebrard%20DEA&limit=5&offset=10&since=2021&sort=newest&entity=DEA&entity=Mexico&person=Marcelo+Ebrard&facets=1&fuzzy=true",
        )
        .unwrap();
        assert_eq!(r.query, "Ebrard DEA");
        assert_eq!((r.limit, r.offset), (5, 10));
        assert_eq!(r.since.as_deref(), Some("2021"));
        assert_eq!(r.sort, SortOrder::Newest);
        assert_eq!(r.entities, vec!["DEA", "Mexico"]);
        assert_eq!(r.persons, vec!["Marcelo Ebrard"]);
        assert!(r.facets && r.fuzzy && r.collapse);
        assert!(!r.prefix && !r.lenient);
        let typed = search_params("q=%22oil%20pri&prefix=1&lenient=true").unwrap();
        assert!(typed.prefix && typed.lenient);
    }

    #[test]
    fn lenient_requests_never_fail_on_syntax_but_keep_their_limits() {
        for q in [
            "%22Ebrard%20DE",
            "(oil",
            "oil)",
            "dea%5Ex",
            "headline%3A",
            "date%3A2021-13",
        ] {
            assert!(search_request(&format!("q={q}")).is_err(), "{q}");
            let r = search_request(&format!("q={q}&lenient=1")).unwrap();
            assert!(r.query.read_as().is_some(), "{q}");
        }
        let long = format!(
            "q={}&lenient=1",
            "a".repeat(Limits::HTTP.max_query_chars + 1)
        );
        assert!(search_request(&long).is_err());
    }

    #[test]
    fn limits_and_mistakes_name_the_parameter() {
        for (raw, name) in [
            ("limit=101", "limit"),
            ("limit=0", "limit"),
            ("limit=-1", "limit"),
            ("offset=10001", "offset"),
            ("sort=random", "sort"),
            ("facets=maybe", "facets"),
            ("since=yesterday", "since"),
            ("path=/etc/passwd", "query string"),
        ] {
            match search_request(raw) {
                Err(Error::Parameter { name: n, .. }) => assert_eq!(n, name, "{raw}"),
                other => panic!("{raw}: {other:?}"),
            }
        }
        let long = format!("q={}", "a".repeat(Limits::HTTP.max_query_chars + 1));
        assert!(search_request(&long).is_err());
        assert_eq!(search_request("").unwrap().query.text(), "*");
    }

    #[test]
    fn timeline_and_entity_parameters_are_those_of_search_and_their_own() {
        let (r, by) = timeline_request("q=port&since=2021&by=week&place=Lisbon").unwrap();
        assert_eq!(by, Some(Period::Week));
        assert_eq!(r.filters.entities.len(), 1);
        assert!(r.filters.dates.is_some());
        assert!(matches!(
            timeline_request("by=fortnight"),
            Err(Error::Parameter { name: "by", .. })
        ));
        assert!(matches!(
            timeline_request("kind=person"),
            Err(Error::Parameter {
                name: "query string",
                ..
            })
        ));
        let e = entity_query("kind=org&by=year&limit=5").unwrap();
        assert_eq!((e.kind, e.by), (Some(EntityKind::Org), Some(Period::Year)));
        assert_eq!(e.request.sort, SortOrder::Newest);
        assert_eq!(e.request.page.limit(), 5);
        assert_eq!(
            entity_query("q=port&sort=relevance").unwrap().request.sort,
            SortOrder::Relevance
        );
        assert!(matches!(
            entity_query("kind=planet"),
            Err(Error::Parameter { name: "kind", .. })
        ));
    }

    #[test]
    fn every_spelling_of_a_flag_and_blank_values_read_as_absent() {
        for off in ["0", "false", "No", "OFF"] {
            let r = search_params(&format!("facets={off}&fuzzy=1")).unwrap();
            assert!(!r.facets && r.fuzzy, "{off}");
        }
        let r = search_params("since=&until=&lang=&org=Reuters&place=Lisbon").unwrap();
        assert_eq!((r.since, r.until, r.lang), (None, None, None));
        assert_eq!(
            (r.orgs, r.places),
            (vec!["Reuters".to_string()], vec!["Lisbon".to_string()])
        );
        let (_, by) = timeline_request("q=port&by=").unwrap();
        assert_eq!(by, None);
        let e = entity_query("by=&kind=").unwrap();
        assert_eq!((e.kind, e.by), (None, None));
        // An order asked for is kept without words to rank by too.
        assert_eq!(
            entity_query("sort=oldest").unwrap().request.sort,
            SortOrder::Oldest
        );
        assert_eq!(
            entity_query("sort=relevance").unwrap().request.sort,
            SortOrder::Relevance
        );
    }

    #[test]
    fn a_value_quoted_in_an_error_is_cut_at_forty_characters() {
        let message = |raw: &str| match search_request(raw) {
            Err(Error::Parameter { message, .. }) => message,
            other => panic!("{raw}: {other:?}"),
        };
        assert_eq!(message("limit=abc"), "'abc' is not a number");
        let exactly = "x".repeat(40);
        assert_eq!(
            message(&format!("limit={exactly}")),
            format!("'{exactly}' is not a number")
        );
        assert_eq!(
            message(&format!("limit={exactly}y")),
            format!("'{exactly}…' is not a number")
        );
    }
}
