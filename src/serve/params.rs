//! Query-string parameters of the API, read into the same
//! [`SearchParams`] the command line reads its arguments into and validated
//! the same way, within the HTTP [`Limits`]. Every mistake names the
//! parameter.

use crate::error::{Error, Result};
use crate::query::EVERYTHING;
use crate::request::{DEFAULT_LIMIT, Limits, Page, SearchParams, SearchRequest, SortOrder};

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

/// Reads `/api/search` parameters: `q`, `limit`, `offset`, `since`, `until`,
/// `sort`, `entity`, `person`, `org`, `place` (repeatable), `lang`,
/// `author`, `section`, `source`,
/// `facets`, `fuzzy`, `recent`, `collapse`, `prefix`, `lenient`. A missing
/// or blank `q` asks for every article.
fn search_params(raw: &str) -> Result<SearchParams> {
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
            other => {
                return Err(Error::parameter(
                    "query string",
                    format!("unknown parameter '{}'", clip(other)),
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
}
