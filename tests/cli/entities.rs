//! Entities end to end: `news entities`, the user gazetteer, aliases in
//! queries and filters, and per-language analysis.

use crate::contract::Results;
use crate::harness::Env;

#[test]
fn entities_command_gives_typed_byte_offsets() {
    let env = Env::new();
    let text =
        "Foreign Minister Marcelo Ebrard met the Drug Enforcement Administration (DEA) in México.";
    let file = env.write("a.txt", text);
    let run = env.run_raw(&["entities", "--json", file.to_str().unwrap()]);
    run.code(0);
    let v: serde_json::Value = run.json();
    let list = v["entities"].as_array().unwrap();
    for e in list {
        let (start, end) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], e["text"].as_str().unwrap());
    }
    let has = |t: &str, k: &str| list.iter().any(|e| e["text"] == t && e["type"] == k);
    assert!(has("Marcelo Ebrard", "person"), "{v}");
    assert!(has("Drug Enforcement Administration", "org"), "{v}");
    assert!(has("México", "place"), "{v}");
    assert!(!list.iter().any(|e| e["text"] == "Foreign"));
    // Standard input and the human form: one entity a line with its type.
    let run = env.run_raw_stdin(&["entities"], text.as_bytes());
    run.code(0);
    let out = run.stdout;
    assert!(out.lines().any(|l| l == "Marcelo Ebrard\tperson"), "{out}");
}

#[test]
fn user_gazetteer_adds_and_overrides_entries() {
    let env = Env::new();
    env.write(
        "a.txt",
        "Harbour news\n\nThe Quayside Trust met the Zenfold Collective in Port Aldren to discuss the QT plan.",
    );
    let gazetteer = env.write(
        "../gazetteer.tsv",
        "# name\ttype\taliases\nZenfold Collective\torg\tZenfold\nPort Aldren\tplace\tAldren\nQuayside Trust\torg\tQT\n",
    );
    let run = env.run(&[
        "index",
        "--entities-file",
        gazetteer.to_str().unwrap(),
        env.corpus.to_str().unwrap(),
    ]);
    run.code(0);
    let r: Results = env.search("harbour", &[]);
    let hit = &r.hits[0];
    assert!(
        hit.has_entity("Zenfold Collective", "org"),
        "{:?}",
        hit.entities
    );
    assert!(hit.has_entity("Port Aldren", "place"), "{:?}", hit.entities);
    assert_eq!(
        env.search::<Results>("*", &["--org", "Zenfold"]).total,
        1,
        "aliases are exact keys"
    );
    // A bad line names the file and the line.
    let bad = env.write("../bad.tsv", "Good Name\torg\t\nBroken line without type\n");
    let run = env.run(&[
        "index",
        "--entities-file",
        bad.to_str().unwrap(),
        env.corpus.to_str().unwrap(),
    ]);
    run.code(2);
    assert!(
        run.stderr.contains("bad.tsv") && run.stderr.contains("line 2"),
        "{}",
        run.stderr
    );
}

#[test]
fn aliases_find_articles_that_only_spell_the_name_out() {
    let env = Env::new();
    env.write(
        "long.txt",
        "Agency raid\n\nAgents of the Drug Enforcement Administration raided a warehouse.",
    );
    env.write(
        "short.txt",
        "Raid\n\nThe DEA raided a second warehouse on Friday.",
    );
    env.index_corpus();
    for q in [
        "org:DEA",
        "entity:DEA",
        "org:\"Drug Enforcement Administration\"",
    ] {
        assert_eq!(env.search::<Results>(q, &["--no-collapse"]).total, 2, "{q}");
    }
    assert_eq!(env.search::<Results>("*", &["--entity", "dea"]).total, 2);
    let r: Results = env.search("*", &["--facets"]);
    let orgs = r.facets.unwrap().org;
    assert!(
        orgs.contains(&("Drug Enforcement Administration".to_string(), 2)),
        "one facet entry: {orgs:?}"
    );
}

#[test]
fn each_language_gets_its_own_stemming_and_a_filter() {
    let env = Env::new();
    env.write(
        "es.txt",
        "Reuniones en Bogotá\n\nLos ministros de los dos países celebraron varias reuniones sobre la seguridad de la frontera y la cooperación económica.",
    );
    env.write(
        "fr.txt",
        "Les élections municipales\n\nLes électeurs de la ville ont voté dimanche pour les élections municipales, selon les résultats publiés par la préfecture.",
    );
    env.write(
        "de.txt",
        "Die Regierung plant neue Steuern\n\nDie Regierung kündigte am Dienstag an, die Steuern auf Kraftstoff im nächsten Jahr zu erhöhen.",
    );
    env.write(
        "en.txt",
        "Council meeting\n\nThe council held a meeting about the budget and the schools.",
    );
    env.index_corpus();
    // Spanish stemming: a singular query finds the plural.
    assert_eq!(
        env.search::<Results>("reunion", &[]).files(),
        vec!["es.txt"]
    );
    assert_eq!(env.search::<Results>("eleccion", &[]).total, 0);
    assert_eq!(
        env.search::<Results>("election", &[]).files(),
        vec!["fr.txt"]
    );
    assert_eq!(env.search::<Results>("Steuer", &[]).files(), vec!["de.txt"]);
    assert_eq!(
        env.search::<Results>("*", &["--lang", "es"]).files(),
        vec!["es.txt"]
    );
    assert_eq!(
        env.search::<Results>("lang:de", &[]).files(),
        vec!["de.txt"]
    );
    let run = env.run(&["stats", "--json"]);
    let s: serde_json::Value = run.json();
    for lang in ["en", "es", "fr", "de"] {
        assert_eq!(s["languages"][lang], 1, "{s}");
    }
    env.run(&["search", "--lang", "xx", "*"]).code(2);
}
