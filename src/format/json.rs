//! JSON articles: one object, an array of objects, or one object per line
//! (JSON Lines), with the key names news exports commonly use.

use std::fmt;
use std::ops::ControlFlow;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{Metadata, RawArticle, Record};
use crate::entity::EntityKind;

const HEADLINE_KEYS: [&str; 3] = ["title", "headline", "name"];
const BODY_KEYS: [&str; 7] = [
    "body",
    "text",
    "content",
    "article",
    "articleBody",
    "story",
    "description",
];

/// Parses a `.json` file: one article object, or an array of them.
#[cfg(test)]
fn parse_document(text: &str) -> Result<Vec<Record>, String> {
    super::parse(super::Format::Json, text)
}

/// Parses a `.jsonl` / `.ndjson` file: one article object per line.
#[cfg(test)]
fn parse_lines(text: &str) -> Result<Vec<Record>, String> {
    super::parse(super::Format::JsonLines, text)
}

/// Reads a `.json` file, one article object or an array of them, handing
/// each element of an array to `sink` as soon as it is parsed, so that only
/// one element's tree is held at a time.
pub fn each_in_document(
    text: &str,
    sink: &mut dyn FnMut(Record) -> ControlFlow<()>,
) -> Result<(), String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let stopped = Document { sink }
        .deserialize(&mut de)
        .map_err(|e| format!("invalid JSON: {e}"))?;
    if stopped {
        return Ok(());
    }
    de.end().map_err(|e| format!("invalid JSON: {e}"))
}

/// Reads a `.jsonl` / `.ndjson` file: one article object per line. A line
/// that does not parse is a bad record; the others are kept.
pub fn each_line(text: &str, sink: &mut dyn FnMut(Record) -> ControlFlow<()>) {
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str::<Value>(line)
            .map_err(|e| format!("line {}: invalid JSON: {e}", i + 1))
            .and_then(|v| record(v, i + 1));
        if sink(record).is_break() {
            return;
        }
    }
}

/// The top of a `.json` document, streamed: yields whether `sink` stopped.
struct Document<'s> {
    sink: &'s mut dyn FnMut(Record) -> ControlFlow<()>,
}

impl<'de> DeserializeSeed<'de> for Document<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Document<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an article object or an array of them")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let mut part = 0;
        while let Some(item) = seq.next_element::<Value>()? {
            part += 1;
            if (self.sink)(record(item, part)).is_break() {
                // The parser insists on the array's end: skim to it.
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        let one = record(value, 0).map(|mut a| {
            a.part = None;
            a
        });
        Ok((self.sink)(one).is_break())
    }
}

fn record(value: Value, part: usize) -> Record {
    let Value::Object(map) = value else {
        return Err(format!("record {part}: expected a JSON object"));
    };
    let mut meta = Metadata::default();
    for (key, value) in &map {
        if HEADLINE_KEYS.contains(&key.as_str()) || BODY_KEYS.contains(&key.as_str()) {
            continue;
        }
        match key.as_str() {
            "entities" => meta.entities = entities(value),
            "source" | "publisher" => {
                if let Some(name) = text_of(value) {
                    meta.set("source", &name);
                }
            }
            _ => match value {
                Value::Array(items) => {
                    let list: Vec<String> = items.iter().filter_map(text_of).collect();
                    if key == "tags" || key == "keywords" || key == "categories" {
                        meta.tags.extend(list);
                    } else if !list.is_empty() {
                        meta.set(key, &list.join(", "));
                    }
                }
                other => {
                    if let Some(s) = text_of(other) {
                        meta.set(key, &s);
                    }
                }
            },
        }
    }
    let headline = first_text(&map, &HEADLINE_KEYS).unwrap_or_default();
    let body = first_text(&map, &BODY_KEYS).unwrap_or_default();
    if headline.trim().is_empty() && body.trim().is_empty() {
        return Err(format!("record {part}: no title or body"));
    }
    Ok(RawArticle {
        part: Some(part),
        headline: headline.trim().to_string(),
        body,
        meta,
    })
}

fn first_text(map: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter()
        .filter_map(|k| map.get(*k).and_then(text_of))
        .find(|s| !s.trim().is_empty())
}

/// The text of a scalar, or of an object's `name` / `text` (e.g. an author object).
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => ["name", "text", "value"]
            .iter()
            .find_map(|k| o.get(*k).and_then(|v| v.as_str()).map(str::to_string)),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(text_of).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    }
}

/// Entities supplied with an article: strings, `{text|name, type|kind}`
/// objects, or an object of lists keyed by kind (`{"person": [...]}`).
fn entities(value: &Value) -> Vec<(String, Option<EntityKind>)> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|item| match item {
                Value::String(s) => Some((s.clone(), None)),
                Value::Object(o) => {
                    let name = ["text", "name", "value"]
                        .iter()
                        .find_map(|k| o.get(*k).and_then(|v| v.as_str()))?;
                    let kind = ["type", "kind", "label"]
                        .iter()
                        .find_map(|k| o.get(*k).and_then(|v| v.as_str()))
                        .and_then(EntityKind::from_name);
                    Some((name.to_string(), kind))
                }
                _ => None,
            })
            .collect(),
        Value::Object(o) => o
            .iter()
            .flat_map(|(kind, names)| {
                let kind = EntityKind::from_name(kind);
                names
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|n| n.as_str())
                    .map(move |n| (n.to_string(), kind))
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_object() {
        let recs = parse_document(
            r#"{"headline":"Rates rise","content":"The bank raised rates.","published_at":"2022-07-14T10:00:00Z","url":"https://x.test/a","author":{"name":"Jo Park"},"source":{"name":"Wire"}}"#,
        )
        .unwrap();
        let a = recs[0].as_ref().unwrap();
        assert_eq!(a.part, None);
        assert_eq!(a.headline, "Rates rise");
        assert_eq!(a.body, "The bank raised rates.");
        assert_eq!(a.meta.date.as_deref(), Some("2022-07-14T10:00:00Z"));
        assert_eq!(a.meta.url.as_deref(), Some("https://x.test/a"));
        assert_eq!(a.meta.author.as_deref(), Some("Jo Park"));
        assert_eq!(a.meta.source.as_deref(), Some("Wire"));
    }

    #[test]
    fn arrays_and_entities() {
        let recs = parse_document(
            r#"[{"title":"A","text":"x","entities":["DEA",{"text":"Marcelo Ebrard","type":"PER"}]},{"title":"B","body":"y","pubDate":"2021-01-02","tags":["a","b"]}]"#,
        )
        .unwrap();
        let a = recs[0].as_ref().unwrap();
        assert_eq!(a.part, Some(1));
        assert_eq!(
            a.meta.entities,
            vec![
                ("DEA".to_string(), None),
                ("Marcelo Ebrard".to_string(), Some(EntityKind::Person))
            ]
        );
        let b = recs[1].as_ref().unwrap();
        assert_eq!(b.part, Some(2));
        assert_eq!(b.meta.date.as_deref(), Some("2021-01-02"));
        assert_eq!(b.meta.tags, vec!["a", "b"]);
    }

    #[test]
    fn lines_keep_good_records() {
        let recs = parse_lines("{\"title\":\"A\",\"body\":\"x\"}\n\nnot json\n{\"title\":\"C\",\"body\":\"z\"}\n{\"id\":4}\n").unwrap();
        assert_eq!(recs.len(), 4);
        assert_eq!(recs[0].as_ref().unwrap().part, Some(1));
        assert!(recs[1].as_ref().unwrap_err().starts_with("line 3"));
        assert_eq!(recs[2].as_ref().unwrap().part, Some(4));
        assert!(recs[3].is_err());
    }

    #[test]
    fn invalid_documents() {
        assert!(parse_document("{").is_err());
        assert!(parse_document("42").is_err());
        assert!(parse_document("[{\"title\":\"A\"}] x").is_err());
    }

    #[test]
    fn a_truncated_array_fails_the_check_after_streaming_its_first_records() {
        let text = "[{\"title\":\"A\"},{\"title\":\"B\"},{\"tit";
        let mut seen = 0;
        let result = each_in_document(text, &mut |_| {
            seen += 1;
            ControlFlow::Continue(())
        });
        assert!(result.is_err());
        assert_eq!(seen, 2);
        assert!(super::super::check(super::super::Format::Json, text).is_err());
        assert!(super::super::check(super::super::Format::Json, "[{\"title\":\"A\"}]").is_ok());
    }

    #[test]
    fn a_sink_can_stop_the_parse() {
        let text = "[{\"title\":\"A\"},{\"title\":\"B\"},{\"title\":\"C\"}]";
        let mut seen = 0;
        let result = each_in_document(text, &mut |_| {
            seen += 1;
            if seen == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert!(result.is_ok());
        assert_eq!(seen, 2);
    }
}
