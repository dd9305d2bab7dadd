//! Saved web pages: the article's text without the page's furniture,
//! entities and words from the article only, and bad pages that are
//! skipped or read as well as they can be, never a crash.

use std::path::Path;

use news_search::format::{self, Format};
use proptest::prelude::*;

use crate::harness::Env;

/// A news page written for these tests, with the furniture real pages
/// carry around the story.
const PAGE: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Harbour wall to be rebuilt | The Quay Gazette</title>
<meta property="og:title" content="Harbour wall to be rebuilt">
<script>window.dataLayer = [{"page": "article"}];</script></head>
<body class="single has-sidebar cookies-not-set">
<div class="cookie-banner" role="dialog"><p>We use cookies to improve your experience. Read our privacy policy.</p><button>Accept</button></div>
<header class="site-header"><a href="/" class="logo">The Quay Gazette</a>
<nav class="main-menu"><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main>
<article class="post">
<h1>Harbour wall to be rebuilt</h1>
<div class="byline">By Ana Ferreira | 4 March 2024</div>
<ul class="share-buttons"><li><a href="https://facebook.com/share">Facebook</a></li><li><a href="https://twitter.com/intent">Twitter</a></li><li><a href="https://wa.me/?text=x">WhatsApp</a></li><li><a href="https://pinterest.com/pin">Pinterest</a></li></ul>
<div class="article-body">
<p>The town council of Port Aldren voted on Tuesday to rebuild the harbour wall, which the winter storm broke in two places.</p>
<figure><img src="wall.jpg" width="800" height="500"><figcaption>The broken wall. Photo: Jon Quayle</figcaption></figure>
<p>Engineers from the Coastal Works Agency said the repair would take eighteen months and cost about three million pounds.</p>
<h2>What will change</h2>
<ul><li>Two new flood gates at the harbour mouth</li><li>A wall one metre higher than before</li><li>A walkway for fishermen along the top</li></ul>
<blockquote><p>"We have waited long enough for this, and the boats cannot wait another winter," said the harbour master, Tom Reyes.</p></blockquote>
<p class="related-link">Read more: <a href="/storm">How the storm hit the coast</a></p>
<table><tr><th>Phase</th><th>Start</th></tr><tr><td>Flood gates</td><td>May</td></tr><tr><td>Wall and walkway</td><td>September</td></tr></table>
<p>Work on the flood gates starts in May, once the fishing season has ended and the boats have moved to the winter moorings.</p>
<div class="newsletter-signup"><h3>Get the Gazette daily</h3><p>Subscribe to our newsletter for the morning headlines.</p><form><input type="email"><button>Sign up</button></form></div>
<p>The council will publish the full plans on its website next week.</p>
</div>
<div class="author-box"><p>Ana Ferreira covers local politics for the Gazette and has reported from the coast since 2015.</p></div>
</article>
<section class="related-articles"><h2>Related stories</h2><ul>
<li><a href="/a">Fishermen count the cost of the storm</a></li><li><a href="/b">Ferry timetable changes for spring</a></li><li><a href="/c">Lighthouse reopens to visitors</a></li></ul></section>
<div id="comments" class="comments-area"><h2>2 comments</h2>
<div class="comment"><p>About time too. My grandfather fished from this harbour and the wall was already crumbling back then, nobody listened.</p></div>
<div class="comment"><p>Three million pounds seems a lot of money for a wall when the bus station still leaks every time it rains in town.</p></div></div>
</main>
<aside class="sidebar"><h3>Most read</h3><ol><li><a href="/x">Mayor opens new library</a></li><li><a href="/y">School wins chess prize</a></li></ol></aside>
<footer class="site-footer"><p>© 2024 The Quay Gazette. All rights reserved.</p><ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li><li><a href="/contact">Contact</a></li></ul>
<p>Follow us on Facebook, Twitter and Instagram.</p></footer>
</body></html>"#;

fn show_body(env: &Env, path: &Path) -> (String, String) {
    let run = env.run(&["show", "--json", path.to_str().expect("utf-8 path")]);
    run.code(0);
    let doc: serde_json::Value = run.json();
    let field = |k: &str| doc[k].as_str().unwrap_or_default().to_string();
    (field("headline"), field("body"))
}

#[test]
fn article_text_without_page_furniture() {
    let env = Env::new();
    let path = env.write("2024/harbour.html", PAGE);
    env.index_corpus();
    let (headline, body) = show_body(&env, &path);
    assert_eq!(headline, "Harbour wall to be rebuilt");

    // The article, in reading order, with its heading, list, quote and
    // table, paragraphs apart.
    let wanted = [
        "The town council of Port Aldren voted on Tuesday",
        "cost about three million pounds.",
        "What will change",
        "Two new flood gates at the harbour mouth",
        "A walkway for fishermen along the top",
        "\"We have waited long enough for this",
        "Phase | Start",
        "Wall and walkway | September",
        "Work on the flood gates starts in May",
        "publish the full plans on its website next week.",
    ];
    let mut from = 0;
    for part in wanted {
        let at = body[from..]
            .find(part)
            .unwrap_or_else(|| panic!("{part:?} missing or out of order in:\n{body}"));
        from += at + part.len();
    }
    assert!(
        body.contains("three million pounds.\n\nWhat will change\n\nTwo new flood gates"),
        "paragraphs and headings stand apart:\n{body}"
    );
    assert!(
        body.contains("harbour mouth\nA wall one metre higher"),
        "list items one a line:\n{body}"
    );

    // Everything around it stays out.
    for furniture in [
        "cookies",
        "Accept",
        "The Quay Gazette",
        "Sport",
        "Ana Ferreira",
        "Facebook",
        "Twitter",
        "WhatsApp",
        "Pinterest",
        "Photo: Jon Quayle",
        "Read more",
        "newsletter",
        "Sign up",
        "Related stories",
        "Fishermen count the cost",
        "About time too",
        "bus station",
        "Most read",
        "Mayor opens new library",
        "All rights reserved",
        "Privacy policy",
        "Terms of use",
        "Follow us",
    ] {
        assert!(
            !body.contains(furniture),
            "{furniture:?} is page furniture, yet in:\n{body}"
        );
    }
}

#[test]
fn entities_and_words_come_from_the_article_only() {
    let env = Env::new();
    for i in 0..3 {
        env.write(&format!("page-{i}.html"), PAGE);
    }
    env.index_corpus();
    let stats: serde_json::Value = env.run(&["stats", "--json"]).json();
    let orgs: Vec<String> = stats["top_entities"]["org"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|o| o[0].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        orgs.iter().any(|o| o.contains("Coastal Works Agency")),
        "the story's organisation is found: {orgs:?}"
    );
    for network in ["Facebook", "Twitter", "WhatsApp", "Pinterest", "Instagram"] {
        assert!(
            !orgs.iter().any(|o| o.contains(network)),
            "{network} comes from share buttons: {orgs:?}"
        );
    }
    for word in ["newsletter", "subscribe", "privacy", "cookies"] {
        let results: serde_json::Value = env.search(word, &[]);
        assert_eq!(
            results["total"], 0,
            "{word:?} is only in the page's furniture"
        );
    }
    let results: serde_json::Value = env.search("floodgates OR \"flood gates\"", &[]);
    assert_eq!(results["total"], 3);
}

#[test]
fn bad_pages_are_skipped_or_read_never_a_crash() {
    let env = Env::new();
    env.write(
        "scripts.html",
        "<html><head><script>var a = '<p>not text</p>';</script></head><body><script>document.write('x')</script><style>p{}</style></body></html>",
    );
    // 100,000 levels of nesting around a sentence, then a paragraph.
    let deep = format!(
        "<html><body>{}Deep inside the page.{}<p>The story after the nesting.</p></body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let deep_path = env.write("deep.html", deep);
    // Declared UTF-8, written in Latin-1.
    let mut latin1 =
        b"<html><head><meta charset=\"utf-8\"><title>Mislabelled</title></head><body><p>Jos"
            .to_vec();
    latin1.extend_from_slice(b"\xe9 Mart\xednez visit\xf3 la capital de M\xe9xico el martes por la ma\xf1ana.</p></body></html>");
    let latin1_path = env.write("latin1.html", latin1);
    // UTF-8 with one stray byte.
    let mut stray = "<html><body><p>Zarząd fundacji wytoczył sprawę w sądzie w Łodzi w środę.</p>"
        .as_bytes()
        .to_vec();
    stray.extend_from_slice(b"<p>\xff</p></body></html>");
    let stray_path = env.write("stray.html", stray);

    let corpus = env.corpus.to_str().expect("utf-8 path").to_string();
    let run = env.run(&["index", "--json", &corpus]);
    run.code(3);
    let summary: serde_json::Value = run.json();
    assert_eq!(summary["indexed"], 3, "{summary}");
    assert_eq!(summary["skipped"]["empty"], 1, "{summary}");
    assert!(run.stderr.contains("scripts.html"), "{}", run.stderr);

    let (_, body) = show_body(&env, &deep_path);
    assert!(body.contains("The story after the nesting."), "{body}");
    let (_, body) = show_body(&env, &latin1_path);
    assert!(body.contains("José Martínez visitó"), "{body}");
    let (_, body) = show_body(&env, &stray_path);
    assert!(body.contains("Zarząd fundacji wytoczył"), "{body}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn random_and_truncated_pages_parse(
        bytes in proptest::collection::vec(any::<u8>(), 0..2000),
        cut in 0usize..PAGE.len(),
        tags in proptest::collection::vec(
            prop_oneof![
                Just("<div>"), Just("</div>"), Just("<p>"), Just("<li>"), Just("<ul>"),
                Just("<table><tr><td>"), Just("<a href=x>"), Just("</a>"), Just("<b>"),
                Just("<font size=1>"), Just("<svg><path/>"), Just("<script>"), Just("<!--"),
                Just("text. "), Just("<div/>"), Just("<br>"), Just("</"), Just("<"), Just("\""),
            ],
            0..400,
        ),
    ) {
        let random = String::from_utf8_lossy(&bytes);
        let cut = (0..=cut).rev().find(|&c| PAGE.is_char_boundary(c)).unwrap_or(0);
        let truncated = &PAGE[..cut];
        let soup = tags.concat();
        for page in [&*random, truncated, &soup] {
            let records = format::parse(Format::Html, page).map_err(TestCaseError::fail)?;
            prop_assert_eq!(records.len(), 1);
        }
    }
}
