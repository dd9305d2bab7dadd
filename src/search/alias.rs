//! Known aliases, for exact entity filters: the index keys an entity by its
//! canonical name and the forms its article uses, so a filter by another
//! known form ("DEA" for an article that only says "Drug Enforcement
//! Administration") is expanded here to the canonical name's key.

use std::collections::HashMap;

use crate::analyzer::Analyzers;
use crate::entity::{EntityKind, Gazetteer};

/// Folded `kind:alias` keys to the folded `kind:canonical` keys they stand for.
#[derive(Debug, Default)]
pub struct Aliases {
    canonical: HashMap<String, Vec<String>>,
}

impl Aliases {
    /// The aliases of a gazetteer.
    pub fn new(gazetteer: &Gazetteer, analyzers: &Analyzers) -> Aliases {
        let mut canonical: HashMap<String, Vec<String>> = HashMap::new();
        for (name, kind, aliases) in gazetteer.names() {
            let target = analyzers.entity_key(kind, name);
            for alias in aliases {
                let key = analyzers.entity_key(kind, alias);
                let list = canonical.entry(key).or_default();
                if !list.contains(&target) {
                    list.push(target.clone());
                }
            }
        }
        Aliases { canonical }
    }

    /// The keys an exact filter by `name` of `kind` must match: its own, and
    /// those of the canonical names it is a known alias of.
    pub fn keys(&self, kind: EntityKind, name: &str, analyzers: &Analyzers) -> Vec<String> {
        let own = analyzers.entity_key(kind, name);
        let mut keys = vec![own.clone()];
        if let Some(targets) = self.canonical.get(&own) {
            keys.extend(targets.iter().filter(|t| **t != own).cloned());
        }
        keys
    }
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
        let aliases = Aliases::new(&g, &analyzers);
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
}
