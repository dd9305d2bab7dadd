//! Query-string parameters of the API, read into the same
//! [`SearchRequest`] the command line builds, with the server's tighter
//! limits. Every mistake names the parameter.

use crate::error::{Error, Result};
use crate::query::{SearchRequest, SortOrder};

/// Largest page the API serves.
pub const MAX_LIMIT: usize = 100;
/// Largest offset the API serves.
pub const MAX_OFFSET: usize = 10_000;
/// Longest query text the API accepts, in characters.
pub const MAX_QUERY_CHARS: usize = 2_000;
/// Most entity filters in one request.
const MAX_FILTERS: usize = 20;

fn number(name: &'static str, value: &str, max: usize) -> Result<usize> {
    let n: usize = value
        .trim()
        .parse()
        .map_err(|_| Error::parameter(name, format!("'{}' is not a number", clip(value))))?;
    if n > max {
        return Err(Error::parameter(
            name,
            format!("{n} is above the maximum {max}"),
        ));
    }
    Ok(n)
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

/// Reads `/api/search` parameters: `q`, `limit`, `offset`, `since`, `until`,
/// `sort`, `entity`, `person`, `org`, `place` (repeatable), `lang`,
/// `facets`, `fuzzy`, `recent`, `collapse`.
pub fn search_request(raw: &str) -> Result<SearchRequest> {
    let mut request = SearchRequest::default();
    let mut filters = 0;
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        let value = value.into_owned();
        match key.as_ref() {
            "q" => {
                if value.chars().count() > MAX_QUERY_CHARS {
                    return Err(Error::parameter(
                        "q",
                        format!("longer than {MAX_QUERY_CHARS} characters"),
                    ));
                }
                request.query = value;
            }
            "limit" => {
                request.limit = number("limit", &value, MAX_LIMIT)?;
            }
            "offset" => request.offset = number("offset", &value, MAX_OFFSET)?,
            "since" => request.since = Some(value).filter(|v| !v.is_empty()),
            "until" => request.until = Some(value).filter(|v| !v.is_empty()),
            "sort" => request.sort = SortOrder::parse(&value)?,
            "lang" => request.lang = Some(value).filter(|v| !v.is_empty()),
            "facets" => request.facets = flag("facets", &value)?,
            "fuzzy" => request.fuzzy = flag("fuzzy", &value)?,
            "recent" => request.recent = flag("recent", &value)?,
            "collapse" => request.collapse = flag("collapse", &value)?,
            "entity" | "person" | "org" | "place" => {
                filters += 1;
                if filters > MAX_FILTERS {
                    return Err(Error::parameter(
                        "entity",
                        format!("more than {MAX_FILTERS} filters"),
                    ));
                }
                let list = match key.as_ref() {
                    "entity" => &mut request.entities,
                    "person" => &mut request.persons,
                    "org" => &mut request.orgs,
                    _ => &mut request.places,
                };
                list.push(value);
            }
            other => {
                return Err(Error::parameter(
                    "query string",
                    format!("unknown parameter '{}'", clip(other)),
                ));
            }
        }
    }
    if request.query.trim().is_empty() {
        request.query = "*".to_string();
    }
    request.validate()?;
    Ok(request)
}

/// Reads the `limit` of `/api/articles/{id}/similar`.
pub fn similar_limit(raw: &str) -> Result<usize> {
    let mut limit = crate::query::DEFAULT_LIMIT;
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        match key.as_ref() {
            "limit" => limit = number("limit", &value, MAX_LIMIT)?,
            other => {
                return Err(Error::parameter(
                    "query string",
                    format!("unknown parameter '{}'", clip(other)),
                ));
            }
        }
    }
    if limit == 0 {
        return Err(Error::parameter("limit", "must be at least 1"));
    }
    Ok(limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_become_a_request() {
        let r = search_request(
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
        let long = format!("q={}", "a".repeat(MAX_QUERY_CHARS + 1));
        assert!(search_request(&long).is_err());
        assert_eq!(search_request("").unwrap().query, "*");
    }
}
