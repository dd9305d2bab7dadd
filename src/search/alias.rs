//! Known aliases, for exact entity filters: the index keys an entity by its
//! canonical name and the forms its article uses, so a filter by another
//! known form ("DEA" for an article that only says "Drug Enforcement
//! Administration") is expanded here to the canonical name's key.
//!
//! Nothing is built ahead: a filter's name is compared with the aliases of
//! the gazetteer where they lie (the built-in lists are compiled in), which
//! costs well under a millisecond per filter, where a map of every alias
//! cost more at every start of a process than the search itself.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::analyzer::Analyzers;
use crate::entity::{EntityKind, Gazetteer, builtin_entries};

/// The aliases of the built-in gazetteer, or of the built-in one extended by
/// a user's file (read on the first filter that needs it).
#[derive(Debug, Default)]
pub struct Aliases {
    /// The user gazetteer the index was built with, if any.
    file: Option<PathBuf>,
    /// The built-in lists extended by `file`; None when it is gone or broken
    /// since indexing, which leaves the built-in aliases.
    merged: OnceLock<Option<Gazetteer>>,
}

impl Aliases {
    /// The aliases of the built-in gazetteer.
    pub fn builtin() -> Aliases {
        Aliases::default()
    }

    /// The aliases of the built-in gazetteer extended by the TSV `file`.
    pub fn with_file(file: PathBuf) -> Aliases {
        Aliases {
            file: Some(file),
            merged: OnceLock::new(),
        }
    }

    /// The aliases of `gazetteer` (complete: built-in lists and all).
    pub fn new(gazetteer: Gazetteer) -> Aliases {
        Aliases {
            file: None,
            merged: OnceLock::from(Some(gazetteer)),
        }
    }

    fn gazetteer(&self) -> Option<&Gazetteer> {
        self.merged
            .get_or_init(|| {
                let file = self.file.as_ref()?;
                Gazetteer::builtin_with_file(file).ok()
            })
            .as_ref()
    }

    /// The keys an exact filter by `name` of `kind` must match: its own, and
    /// those of the canonical names it is a known alias of (in gazetteer
    /// order).
    pub fn keys(&self, kind: EntityKind, name: &str, analyzers: &Analyzers) -> Vec<String> {
        let own = analyzers.entity_key(kind, name);
        let mut keys = vec![own.clone()];
        let mut add = |canonical: &str, listed: bool| {
            if listed {
                let target = analyzers.entity_key(kind, canonical);
                if !keys.contains(&target) {
                    keys.push(target);
                }
            }
        };
        let is_alias = |alias: &str| alias_key_is(&own, kind, alias, analyzers);
        match self.gazetteer() {
            Some(g) => {
                for (canonical, k, aliases) in g.names() {
                    if k == kind {
                        add(canonical, aliases.iter().any(|a| is_alias(a)));
                    }
                }
            }
            None => {
                for e in builtin_entries() {
                    if e.kind().is_some_and(|(k, _)| k == kind) {
                        add(e.name(), e.aliases().any(is_alias));
                    }
                }
            }
        }
        keys
    }
}

/// True when the key of `alias` (of `kind`) is `key`. An ASCII alias's key
/// is its lower case with spaces collapsed, compared without building it;
/// the few others go through the analyzer.
fn alias_key_is(key: &str, kind: EntityKind, alias: &str, analyzers: &Analyzers) -> bool {
    if !alias.is_ascii() {
        return analyzers.entity_key(kind, alias) == key;
    }
    let Some(rest) = key
        .strip_prefix(kind.name())
        .and_then(|r| r.strip_prefix(':'))
    else {
        return false;
    };
    let mut rest = rest.as_bytes();
    for (i, word) in alias.split_whitespace().enumerate() {
        if i > 0 {
            match rest.split_first() {
                Some((b' ', tail)) => rest = tail,
                _ => return false,
            }
        }
        let w = word.as_bytes();
        if rest.len() < w.len() || !rest[..w.len()].eq_ignore_ascii_case(w) {
            return false;
        }
        rest = &rest[w.len()..];
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_expand_to_their_canonical_name() {
        let analyzers = Analyzers::default();
        let g = Gazetteer::parse_tsv(
            "Drug Enforcement Administration\torg\tDEA\nUnited States\tplace\tUS|U.S.\n",
        )
        .unwrap();
        let aliases = Aliases::new(g);
        assert_eq!(
            aliases.keys(EntityKind::Org, "dea", &analyzers),
            vec!["org:dea", "org:drug enforcement administration"]
        );
        assert_eq!(
            aliases.keys(EntityKind::Place, "U.S.", &analyzers),
            vec!["place:u.s.", "place:united states"]
        );
        assert_eq!(
            aliases.keys(EntityKind::Person, "DEA", &analyzers),
            vec!["person:dea"]
        );
    }

    /// The comparison without a key built agrees with the analyzer on every
    /// alias of the built-in lists, and rejects near misses.
    #[test]
    fn ascii_comparison_agrees_with_the_analyzer() {
        let analyzers = Analyzers::default();
        let mut compared = 0;
        for e in builtin_entries() {
            let (kind, _) = e.kind().unwrap();
            for alias in e.aliases().filter(|a| a.is_ascii()) {
                let key = analyzers.entity_key(kind, alias);
                assert!(alias_key_is(&key, kind, alias, &analyzers), "{alias}");
                assert!(!alias_key_is(&format!("{key}x"), kind, alias, &analyzers));
                let other = EntityKind::ALL.iter().find(|k| **k != kind).unwrap();
                assert!(!alias_key_is(&key, *other, alias, &analyzers));
                compared += 1;
            }
        }
        assert!(compared > 1000, "{compared}");
        let key = analyzers.entity_key(EntityKind::Org, "New  York Times");
        assert!(alias_key_is(
            &key,
            EntityKind::Org,
            "new york  TIMES",
            &analyzers
        ));
        assert!(!alias_key_is(
            &key,
            EntityKind::Org,
            "newyork times",
            &analyzers
        ));
    }

    /// The built-in aliases expand as a map of every alias, built the way
    /// it was before, expands them.
    #[test]
    fn builtin_aliases_expand_as_a_full_map_does() {
        use std::collections::HashMap;
        let analyzers = Analyzers::default();
        let g = Gazetteer::builtin();
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (name, kind, aliases) in g.names() {
            let target = analyzers.entity_key(kind, name);
            for alias in aliases {
                let list = map.entry(analyzers.entity_key(kind, alias)).or_default();
                if !list.contains(&target) {
                    list.push(target.clone());
                }
            }
        }
        let from_map = |kind: EntityKind, name: &str| {
            let own = analyzers.entity_key(kind, name);
            let mut keys = vec![own.clone()];
            if let Some(targets) = map.get(&own) {
                keys.extend(targets.iter().filter(|t| **t != own).cloned());
            }
            keys
        };
        let scanned = Aliases::builtin();
        let mut expanded = 0;
        // Every fifth entry's aliases, of each kind, and some names.
        for e in builtin_entries().step_by(5) {
            for alias in e.aliases().chain([e.name(), "nothing such"]) {
                for kind in EntityKind::ALL {
                    let keys = scanned.keys(kind, alias, &analyzers);
                    expanded += usize::from(keys.len() > 1);
                    assert_eq!(keys, from_map(kind, alias), "{kind} {alias}");
                }
            }
        }
        assert!(expanded > 100, "{expanded}");
    }
}
