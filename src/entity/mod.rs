//! Named entities (temporary minimal extractor; replaced by the rule-based one).

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The kind of a named entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Org,
    Place,
    Other,
}

impl EntityKind {
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Org,
        EntityKind::Place,
        EntityKind::Other,
    ];
    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Org => "org",
            EntityKind::Place => "place",
            EntityKind::Other => "other",
        }
    }
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn from_name(s: &str) -> Option<EntityKind> {
        match s.to_ascii_lowercase().as_str() {
            "person" | "per" => Some(EntityKind::Person),
            "org" | "organization" | "organisation" => Some(EntityKind::Org),
            "place" | "location" | "loc" => Some(EntityKind::Place),
            "other" | "misc" => Some(EntityKind::Other),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    pub text: String,
    pub kind: EntityKind,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    pub name: String,
    pub kind: EntityKind,
    pub aliases: Vec<String>,
    pub mentions: usize,
    pub first: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    entries: Vec<(String, EntityKind, Vec<String>)>,
}

#[derive(Debug)]
pub struct GazetteerError {
    pub line: usize,
    pub message: String,
}
impl std::fmt::Display for GazetteerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}
impl std::error::Error for GazetteerError {}

impl Gazetteer {
    pub fn builtin() -> Gazetteer {
        Gazetteer::default()
    }
    pub fn parse_tsv(text: &str) -> Result<Gazetteer, GazetteerError> {
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let name = cols.next().unwrap_or("").trim().to_string();
            let kind = cols
                .next()
                .and_then(EntityKind::from_name)
                .ok_or(GazetteerError {
                    line: i + 1,
                    message: "bad type".into(),
                })?;
            let aliases = cols
                .next()
                .map(|a| {
                    a.split('|')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            entries.push((name, kind, aliases));
        }
        Ok(Gazetteer { entries })
    }
    pub fn extend(&mut self, other: Gazetteer) {
        self.entries.extend(other.entries);
    }
}

pub struct Extractor {
    gazetteer: Gazetteer,
}

const STOP: &[&str] = &[
    "The",
    "As",
    "Also",
    "According",
    "Meanwhile",
    "In",
    "On",
    "A",
    "An",
    "It",
    "He",
    "She",
    "They",
    "We",
    "But",
    "And",
    "During",
    "At",
    "On",
    "This",
    "That",
    "Secretary",
    "President",
    "General",
    "Foreign",
    "Minister",
    "Director",
    "Captain",
    "Deputy",
];

impl Extractor {
    pub fn new(gazetteer: Gazetteer) -> Extractor {
        Extractor { gazetteer }
    }
    pub fn builtin() -> &'static Extractor {
        static E: OnceLock<Extractor> = OnceLock::new();
        E.get_or_init(|| Extractor::new(Gazetteer::builtin()))
    }
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let mut out = Vec::new();
        let mut words: Vec<(usize, usize)> = Vec::new();
        let flush = |words: &mut Vec<(usize, usize)>, out: &mut Vec<Mention>| {
            while words
                .first()
                .is_some_and(|&(s, e)| STOP.contains(&&text[s..e]))
            {
                words.remove(0);
            }
            if let (Some(&(s, _)), Some(&(_, e))) = (words.first(), words.last()) {
                let t = &text[s..e];
                let kind = if let Some(k) = self
                    .gazetteer
                    .entries
                    .iter()
                    .find(|g| g.0 == t || g.2.iter().any(|a| a == t))
                    .map(|g| g.1)
                {
                    k
                } else if t.chars().all(|c| c.is_uppercase()) && t.len() >= 2 {
                    EntityKind::Org
                } else if ["Mexico", "United States"].contains(&t) {
                    EntityKind::Place
                } else if words.len() >= 2 {
                    EntityKind::Person
                } else {
                    EntityKind::Other
                };
                if words.len() >= 2 || kind != EntityKind::Other {
                    out.push(Mention {
                        text: t.to_string(),
                        kind,
                        start: s,
                        end: e,
                    });
                }
            }
            words.clear();
        };
        let mut i = 0;
        let b = text.as_bytes();
        while i < b.len() {
            let c = text[i..].chars().next().unwrap_or(' ');
            if c.is_alphabetic() {
                let s = i;
                while i < b.len() {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    if !c.is_alphanumeric() {
                        break;
                    }
                    i += c.len_utf8();
                }
                let w = &text[s..i];
                if w.chars().next().is_some_and(|c| c.is_uppercase()) {
                    words.push((s, i));
                } else if !words.is_empty() && ["de", "la", "del", "van", "von"].contains(&w) {
                } else {
                    flush(&mut words, &mut out);
                }
            } else {
                if c != ' ' {
                    flush(&mut words, &mut out);
                }
                i += c.len_utf8();
            }
        }
        flush(&mut words, &mut out);
        out
    }
    pub fn entities(&self, text: &str) -> Vec<Entity> {
        let mut out: Vec<Entity> = Vec::new();
        for m in self.mentions(text) {
            if let Some(e) = out.iter_mut().find(|e| e.name == m.text) {
                e.mentions += 1;
            } else {
                out.push(Entity {
                    name: m.text,
                    kind: m.kind,
                    aliases: vec![],
                    mentions: 1,
                    first: m.start,
                });
            }
        }
        out.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.first.cmp(&b.first)));
        out
    }
}
