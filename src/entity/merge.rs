//! Entities of a document: its mentions merged by kind and name, case
//! aside, with bare surnames joined to the full name, acronyms to their long
//! form ("Drug Enforcement Administration ( DEA )", or by initials) and short
//! forms of organisations to the long one ("Harrow Valley" -> "Harrow
//! Valley Insurance Corp"). The display name is the fullest mixed-case form (or the
//! gazetteer's canonical name); aliases are the other forms seen plus the
//! gazetteer's.

use super::doc::Span;
use super::gazetteer::FxMap;
use super::{Entity, EntityKind, Extractor};

/// Mentions merged so far under one name.
struct Group {
    kind: EntityKind,
    /// Upper-cased words of the fullest form, for partner look-ups.
    words: Vec<String>,
    /// Distinct surface forms in order of appearance.
    forms: Vec<String>,
    mentions: usize,
    first: usize,
    entry: Option<u32>,
}

/// True when every cased letter is upper case ("KELLCO CORP", "DEA").
fn shouted(s: &str) -> bool {
    s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase)
}

fn upper_words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_uppercase).collect()
}

/// Merges the mentions of a document into entities, most salient first.
pub(crate) fn entities(ex: &Extractor, text: &str, spans: &[Span]) -> Vec<Entity> {
    // Distinct surface forms first (a name repeats): the merging below then
    // runs once per form, not once per mention.
    struct Form<'t> {
        span: Span,
        raw: &'t str,
        count: usize,
    }
    let mut forms: Vec<Form<'_>> = Vec::new();
    let mut form_at: FxMap<(EntityKind, &str), usize> = FxMap::default();
    for s in spans {
        let raw = &text[s.start..s.end];
        match form_at.get(&(s.kind, raw)) {
            Some(&i) => forms[i].count += 1,
            None => {
                form_at.insert((s.kind, raw), forms.len());
                forms.push(Form {
                    span: *s,
                    raw,
                    count: 1,
                });
            }
        }
    }
    // Fuller forms first (more words, mixed case), so that short forms and
    // upper-case headlines find them.
    forms.sort_by_cached_key(|f| {
        (
            std::cmp::Reverse(f.raw.split_whitespace().count()),
            shouted(f.raw),
            f.span.start,
        )
    });
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: FxMap<(EntityKind, String), usize> = FxMap::default();
    for f in &forms {
        let s = f.span;
        // Hard-wrapped text can break a name across lines: one space each.
        let joined;
        let surface = if f.raw.contains(['\n', '\r', '\t']) || f.raw.contains("  ") {
            joined = f.raw.split_whitespace().collect::<Vec<_>>().join(" ");
            joined.as_str()
        } else {
            f.raw
        };
        let canonical = match s.entry {
            Some(e) => ex.entries[e as usize].name.as_str(),
            None => surface,
        };
        let key = (s.kind, canonical.to_uppercase());
        let gi = match by_key.get(&key) {
            Some(&g) => g,
            None => match partner(text, spans, &groups, s, surface) {
                Some(g) => g,
                None => {
                    groups.push(Group {
                        kind: s.kind,
                        words: upper_words(canonical),
                        forms: Vec::new(),
                        mentions: 0,
                        first: s.start,
                        entry: s.entry,
                    });
                    by_key.insert(key, groups.len() - 1);
                    groups.len() - 1
                }
            },
        };
        let g = &mut groups[gi];
        g.mentions += f.count;
        g.first = g.first.min(s.start);
        if !g.forms.iter().any(|x| x == surface) {
            g.forms.push(surface.to_string());
        }
        if surface != canonical {
            by_key.entry((s.kind, surface.to_uppercase())).or_insert(gi);
        }
    }
    let mut out: Vec<Entity> = groups.into_iter().map(|g| finish(ex, g)).collect();
    out.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.first.cmp(&b.first)));
    out
}

/// Picks the display name and the aliases of a group.
fn finish(ex: &Extractor, g: Group) -> Entity {
    let entry = g.entry.map(|e| &ex.entries[e as usize]);
    let name = match entry {
        Some(e) => e.name.clone(),
        None => g
            .forms
            .iter()
            .max_by_key(|f| {
                (
                    !shouted(f) || f.chars().filter(|c| c.is_alphabetic()).count() <= 5,
                    f.split_whitespace().count(),
                    std::cmp::Reverse(f.len()),
                )
            })
            .cloned()
            .unwrap_or_default(),
    };
    let mut aliases: Vec<String> = g.forms.into_iter().filter(|f| *f != name).collect();
    if let Some(e) = entry {
        for a in &e.aliases {
            if *a != name && !aliases.contains(a) {
                aliases.push(a.clone());
            }
        }
    }
    Entity {
        name,
        kind: g.kind,
        aliases,
        mentions: g.mentions,
        first: g.first,
    }
}

/// The group a short mention refers to: a person's bare surname or given
/// name, an acronym of an organisation, or the first words of one.
fn partner(text: &str, spans: &[Span], groups: &[Group], s: Span, surface: &str) -> Option<usize> {
    let words = upper_words(surface);
    if words.is_empty() {
        return None;
    }
    if s.kind == EntityKind::Person {
        // "Ebrard" -> "Marcelo Ebrard"; "van der Berg" -> "Anna van der Berg";
        // "Zhao" -> "Zhao Minghui".
        return groups.iter().position(|g| {
            g.kind == EntityKind::Person
                && g.words.len() > words.len()
                && (g.words.ends_with(&words) || (words.len() == 1 && g.words[0] == words[0]))
        });
    }
    if s.kind != EntityKind::Org {
        return None;
    }
    // "Civic Renewal Party ( CRPV )": the acronym names that entity.
    if shouted(surface) && !surface.contains(' ') {
        if let Some(long) = defined_by(text, spans, s) {
            let long_words = upper_words(&text[long.start..long.end]);
            if let Some(g) = groups.iter().position(|g| g.words == long_words) {
                return Some(g);
            }
        }
        let acr: String = surface.chars().filter(|c| c.is_alphabetic()).collect();
        if let Some(g) = groups.iter().position(|g| {
            g.kind == EntityKind::Org
                && g.words.len() >= 2
                && g.words
                    .iter()
                    .filter(|w| !matches!(w.as_str(), "OF" | "THE" | "AND" | "FOR" | "&"))
                    .filter_map(|w| w.chars().next())
                    .eq(acr.chars())
        }) {
            return Some(g);
        }
    }
    // "Harrow Valley" -> "Harrow Valley Insurance Corp", "KELLCO" -> "KELLCO Corp".
    groups.iter().position(|g| {
        g.kind == EntityKind::Org && g.words.len() > words.len() && g.words.starts_with(&words)
    })
}

/// The span that `s` is the parenthesised acronym of, if any.
fn defined_by(text: &str, spans: &[Span], s: Span) -> Option<Span> {
    let before = text[..s.start].trim_end();
    let before = before.strip_suffix('(')?.trim_end();
    let after = text[s.end..].trim_start();
    if !after.starts_with(')') {
        return None;
    }
    spans.iter().copied().find(|x| x.end == before.len())
}
