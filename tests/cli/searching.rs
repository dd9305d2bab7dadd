//! `news search`: ranking, analysis, the relaxed fallback, the query
//! language, output forms and exit codes.

use crate::contract::Results;
use crate::harness::Env;

fn env_with(articles: &[(&str, &str)]) -> Env {
    let env = Env::new();
    for (name, text) in articles {
        env.write(name, text);
    }
    env.index_corpus();
    env
}

const FILLER: &str = "The council met on a grey morning and discussed the usual business of roads, bins and parks at some length before lunch.";

#[test]
fn accents_fold_both_ways() {
    let env = env_with(&[
        (
            "a.txt",
            "Minister speaks\n\nRosa Icela Rodríguez addressed the press.",
        ),
        ("b.txt", "Minister travels\n\nJose Martinez flew to Bogota."),
    ]);
    let r: Results = env.search("Rodriguez", &[]);
    assert_eq!(r.files(), vec!["a.txt"]);
    assert_eq!(r.hits[0].highlighted(), vec!["Rodríguez"]);
    let r: Results = env.search("José Martínez Bogotá", &[]);
    assert_eq!(r.files(), vec!["b.txt"]);
}

#[test]
fn stemming_matches_word_forms() {
    let env = env_with(&[
        ("a.txt", "Council agenda\n\nThe meeting lasted three hours."),
        ("b.txt", "Weather\n\nRain is expected."),
    ]);
    let r: Results = env.search("meetings", &[]);
    assert_eq!(r.files(), vec!["a.txt"]);
    assert_eq!(r.hits[0].highlighted(), vec!["meeting"]);
}

#[test]
fn headline_matches_rank_above_body_matches() {
    let env = env_with(&[
        (
            "body.txt",
            &format!("Local news roundup\n\n{FILLER} Tram services resume next week. {FILLER}"),
        ),
        (
            "headline.txt",
            &format!("Tram services resume\n\n{FILLER} Services resume next week. {FILLER}"),
        ),
    ]);
    // The two share their filler, so they are near-duplicates: show both.
    let r: Results = env.search("tram", &["--no-collapse"]);
    assert_eq!(r.files(), vec!["headline.txt", "body.txt"]);
}

#[test]
fn no_article_with_every_term_falls_back_to_any_term() {
    let env = env_with(&[
        ("a.txt", "Floods\n\nThe river burst its banks."),
        ("b.txt", "Budget\n\nThe council approved the budget."),
    ]);
    let r: Results = env.search("river budget", &[]);
    assert!(r.relaxed);
    assert_eq!(r.total, 2);
    let strict: Results = env.search("river banks", &[]);
    assert!(!strict.relaxed);
    assert_eq!(strict.files(), vec!["a.txt"]);
    let human = env.run(&["search", "river budget"]);
    human.code(0);
    assert!(
        human.stdout.contains("no article has every term"),
        "{}",
        human.stdout
    );
}

#[test]
fn json_contract_fields() {
    let env = env_with(&[(
        "2021-03-05-talks.txt",
        "Mexico and US hold security talks\n\nMarcelo Ebrard met officials of the Drug Enforcement Administration (DEA) in Mexico City.\n",
    )]);
    let run = env.run(&["search", "--json", "Ebrard"]);
    run.code(0);
    let raw: serde_json::Value = run.json();
    for key in ["query", "total", "relaxed", "hits"] {
        assert!(raw.get(key).is_some(), "missing {key}: {raw}");
    }
    let r: Results = run.json();
    assert_eq!(r.query, "Ebrard");
    assert_eq!(r.total, 1);
    let hit = &r.hits[0];
    assert!(hit.id.ends_with("2021-03-05-talks.txt"));
    assert_eq!(hit.id, hit.path);
    assert!(hit.score > 0.0);
    assert_eq!(hit.headline, "Mexico and US hold security talks");
    assert_eq!(hit.date.as_deref(), Some("2021-03-05"));
    assert!(
        hit.has_entity("Marcelo Ebrard", "person"),
        "{:?}",
        hit.entities
    );
    for (a, b) in &hit.snippet.highlights {
        assert!(a < b && *b <= hit.snippet.text.len());
        assert!(hit.snippet.text.is_char_boundary(*a) && hit.snippet.text.is_char_boundary(*b));
    }
    assert_eq!(hit.highlighted(), vec!["Ebrard"]);
}

#[test]
fn total_counts_every_match_not_the_page() {
    let articles: Vec<(String, String)> = (0..15)
        .map(|i| {
            (
                format!("a{i}.txt"),
                format!("Story {i}\n\nHarbour works item number {i} continues."),
            )
        })
        .collect();
    let env = Env::new();
    for (n, t) in &articles {
        env.write(n, t);
    }
    env.index_corpus();
    let r: Results = env.search("harbour", &["--limit", "4"]);
    assert_eq!(r.total, 15);
    assert_eq!(r.hits.len(), 4);
    let page: Results = env.search("harbour", &["--limit", "4", "--offset", "12"]);
    assert_eq!(page.hits.len(), 3);
}

#[test]
fn exit_codes_like_grep() {
    let env = env_with(&[("a.txt", "Floods\n\nThe river burst its banks.")]);
    env.run(&["search", "river"]).code(0);
    env.run(&["search", "volcano"]).code(1);
    let bad = env.run(&["search", "\"river"]);
    bad.code(2);
    assert!(
        bad.stderr.contains("position 1") && bad.stderr.contains('"'),
        "{}",
        bad.stderr
    );
    assert_eq!(
        bad.stderr.trim().lines().count(),
        1,
        "one line: {}",
        bad.stderr
    );
}

#[test]
fn missing_index_is_a_clear_error() {
    let env = Env::new();
    let run = env.run(&["search", "anything"]);
    run.code(2);
    assert!(
        run.stderr.contains("no index at") && run.stderr.contains("news index"),
        "{}",
        run.stderr
    );
}

#[test]
fn malformed_queries_and_bad_limits_exit_2_with_one_line() {
    let env = env_with(&[("a.txt", "Floods\n\nThe river burst its banks.")]);
    for args in [
        vec!["search", "(river"],
        vec!["search", "river)"],
        vec!["search", "date:2021-13"],
        vec!["search", "se*ch"],
        vec!["search", "--limit", "0", "river"],
        vec!["search", "--limit", "100000", "river"],
        vec!["search", "--offset", "999999999", "river"],
        vec!["search", "--since", "yesterday", "river"],
    ] {
        let run = env.run(&args);
        run.code(2);
        assert_eq!(
            run.stderr.trim().lines().count(),
            1,
            "{}: {}",
            run.cmdline,
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    let long = "river ".repeat(800);
    let run = env.run(&["search", &long]);
    run.code(2);
    assert!(run.stderr.contains("too long"), "{}", run.stderr);
}

#[test]
fn pasted_all_caps_headlines_search() {
    let env = env_with(&[(
        "a.txt",
        "U.S. BANKS IN TALKS ON DEBT\n\nSeveral U.S. banks are in talks with debtor countries on debt relief.",
    )]);
    let r: Results = env.search("U.S. BANKS IN TALKS ON DEBT", &[]);
    assert_eq!(r.files(), vec!["a.txt"]);
    let r: Results = env.search("BANKS OR", &[]);
    assert_eq!(r.total, 1);
}

#[test]
fn query_syntax_operators_phrases_fields() {
    let env = env_with(&[
        (
            "a.txt",
            "Security talks\n\nMarcelo Ebrard met the DEA chief.",
        ),
        (
            "b.txt",
            "Trade talks\n\nMarcelo Ebrard met trade officials.",
        ),
        (
            "c.txt",
            "Drug seizure\n\nThe DEA seized fentanyl in Arizona.",
        ),
    ]);
    let files = |q: &str| {
        let mut f = env.search::<Results>(q, &["--no-collapse"]).files();
        f.sort();
        f
    };
    assert_eq!(files("Ebrard -DEA"), vec!["b.txt"]);
    assert_eq!(files("Ebrard NOT DEA"), vec!["b.txt"]);
    assert_eq!(files("trade OR fentanyl"), vec!["b.txt", "c.txt"]);
    assert_eq!(files("\"Ebrard met the DEA\""), vec!["a.txt"]);
    assert_eq!(files("headline:talks"), vec!["a.txt", "b.txt"]);
    assert_eq!(files("body:talks"), Vec::<String>::new());
    assert_eq!(files("+DEA +Ebrard"), vec!["a.txt"]);
    // A query starting with '-' goes after `--`.
    assert_eq!(files("-Ebrard DEA"), vec!["c.txt"]);
}

#[test]
fn human_output_colour_and_control_characters() {
    let env = env_with(&[(
        "a.txt",
        "Bad \u{1b}[2J headline\n\nThe river \u{1b}[31mburst\u{7} its banks.",
    )]);
    let plain = env.run(&["search", "river"]);
    plain.code(0);
    assert!(
        !plain.stdout.contains('\u{1b}') && !plain.stdout.contains('\u{7}'),
        "{:?}",
        plain.stdout
    );
    let coloured = env.run(&["search", "--color", "always", "river"]);
    assert!(
        coloured.stdout.contains("\u{1b}[1m"),
        "{:?}",
        coloured.stdout
    );
    // NO_COLOR has no effect on a pipe, and --color never always wins.
    let never = env.run(&["search", "--color", "never", "river"]);
    assert!(!never.stdout.contains('\u{1b}'));
}

const WIRE: &str = "The central bank raised its benchmark interest rate by half a point on Thursday, \
the third increase this year, citing persistent inflation in food and energy prices. The governor \
said further rises could follow if wage growth stayed strong, while business groups warned that \
higher borrowing costs would hit small firms hardest. Markets had expected a smaller move.";

#[test]
fn near_duplicates_collapse_into_the_best_hit() {
    let env = env_with(&[
        ("wire1.txt", &format!("Bank raises rates\n\n{WIRE}")),
        (
            "wire2.txt",
            &format!(
                "Central bank lifts rates again\n\nFRANKFURT (Atlas) - {WIRE} Analysts were surprised."
            ),
        ),
        (
            "other.txt",
            "Rates and floods\n\nHeavy rain raised river levels at a rate not seen in years.",
        ),
    ]);
    let r: Results = env.search("rates", &[]);
    assert_eq!(r.total, 3, "total counts collapsed copies too");
    assert_eq!(r.hits.len(), 2);
    let with_copy = r
        .hits
        .iter()
        .find(|h| !h.duplicates.is_empty())
        .expect("a collapsed hit");
    assert_eq!(with_copy.duplicates.len(), 1);
    assert!(
        with_copy.duplicates[0].ends_with("wire1.txt")
            || with_copy.duplicates[0].ends_with("wire2.txt")
    );
    let all: Results = env.search("rates", &["--no-collapse"]);
    assert_eq!(all.hits.len(), 3);
    assert!(all.hits.iter().all(|h| h.duplicates.is_empty()));
    let human = env.run(&["search", "rates"]);
    assert!(human.stdout.contains("+1 similar copy"), "{}", human.stdout);
}

/// Forty copies of one story, alike but for a serial number (so they score
/// alike), and one longer story naming the harbour once, ranked below them.
fn harbour_copies() -> Env {
    let env = Env::new();
    for i in 10..50 {
        env.write(
            &format!("copy-{i}.txt"),
            format!(
                "Harbour strike\n\nDock workers at the harbour walked out on Monday over pay \
                 and conditions, the union said, and ships waited offshore. Serial {i}."
            ),
        );
    }
    env.write(
        "other.txt",
        format!("Port traffic\n\n{FILLER} Later the harbour master spoke. {FILLER}"),
    );
    env.index_corpus();
    env
}

#[test]
fn a_hit_lists_the_copies_among_the_candidates_examined() {
    let env = harbour_copies();
    // A page of one examines 2 x 1 + 20 candidates: the first copy and the
    // 21 copies after it.
    let r: Results = env.search("harbour", &["--limit", "1"]);
    assert_eq!(r.total, 41);
    assert_eq!(r.hits.len(), 1);
    assert!(r.hits[0].path.contains("copy-"), "{}", r.hits[0].path);
    assert_eq!(r.hits[0].duplicates.len(), 21);
    // A page of two: the 24 candidates examined first are all copies, so
    // four times as many are examined, every match: the page is whole.
    let r: Results = env.search("harbour", &["--limit", "2"]);
    assert_eq!(r.files().len(), 2);
    assert_eq!(r.hits[0].duplicates.len(), 39);
    assert_eq!(r.files()[1], "other.txt");
    assert!(r.hits[1].duplicates.is_empty());
}

#[test]
fn facets_cover_the_whole_result_set() {
    // One run per file: each commit makes its own segment, so counts of
    // several segments must add up.
    let env = Env::new();
    for (name, text) in [
        (
            "2021-03-05-a.txt",
            "Talks one\n\nMarcelo Ebrard met officials in Mexico City.",
        ),
        (
            "2021-03-09-b.txt",
            "Talks two\n\nMarcelo Ebrard flew to Washington for talks.",
        ),
        (
            "2022-01-10-c.txt",
            "Talks three\n\nJoe Biden held talks in Washington.",
        ),
    ] {
        let path = env.write(name, text);
        env.index_path(&path).code(0);
    }
    let segments = news_search::search::Engine::open(&env.index)
        .unwrap()
        .searcher()
        .segment_readers()
        .len();
    assert_eq!(segments, 3, "the test needs one article per segment");
    let r: Results = env.search("talks", &["--facets", "--limit", "1"]);
    assert_eq!(r.hits.len(), 1);
    let facets = r.facets.expect("facets");
    assert!(
        facets.person.contains(&("Marcelo Ebrard".to_string(), 2)),
        "{:?}",
        facets.person
    );
    assert_eq!(
        facets.date,
        vec![("2021-03".to_string(), 2), ("2022-01".to_string(), 1)]
    );
    assert!(facets.org.len() + facets.place.len() > 0);
    let plain: Results = env.search("talks", &[]);
    assert!(plain.facets.is_none());
}

#[test]
fn ndjson_writes_one_hit_per_line() {
    let env = env_with(&[
        ("a.txt", "Floods\n\nThe river burst its banks."),
        ("b.txt", "River walk\n\nA new path follows the river."),
    ]);
    let run = env.run(&["search", "--format", "ndjson", "river"]);
    run.code(0);
    let lines: Vec<serde_json::Value> = run.json_lines();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["query"], "river");
    assert_eq!(lines[0]["rank"], 1);
    assert!(lines[1]["headline"].is_string());
}
