//! Dates of web pages, each source and rule on a page written for it.

use super::*;
use scraper::Html;

const LATEST: Date = Date::constant(2030, 1, 1);

fn find(page: &str) -> Option<Found> {
    find_by(page, "Floods")
}

fn day(y: i16, m: i8, d: i8) -> Date {
    Date::new(y, m, d).unwrap()
}

#[test]
fn json_ld_first_then_meta_tags() {
    let page = r#"<head><meta name="pubdate" content="2020-02-02">
        <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-03-05T23:00:00-05:00"}</script>
        </head><body><h1>H</h1><p>Posted 1 January 2019</p></body>"#;
    assert_eq!(find(page), Some((day(2021, 3, 5), DateSource::JsonLd)));
    let page = r#"<head><meta name="sailthru.date" content="2020-02-02 10:00:00">
        <meta property="article:modified_time" content="2020-03-03"></head><body><p>x</p></body>"#;
    assert_eq!(find(page), Some((day(2020, 2, 2), DateSource::Metadata)));
}

#[test]
fn open_graph_outranks_json_ld_unless_it_is_the_change() {
    let page = r#"<head><meta property="article:published_time" content="2022-01-06T08:29:34">
        <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2022-01-04T07:29:00Z"}</script>
        </head><body></body>"#;
    assert_eq!(find(page), Some((day(2022, 1, 6), DateSource::Metadata)));
    let page = r#"<head><meta property="article:published_time" content="2019-12-12T21:17:43Z">
        <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2019-12-09T22:25:10Z",
        "dateModified":"2019-12-12T21:17:43Z"}</script></head><body></body>"#;
    assert_eq!(find(page), Some((day(2019, 12, 9), DateSource::JsonLd)));
}

#[test]
fn a_stamp_in_the_data_of_a_script() {
    let page = r#"<head><script>window.__DATA__ = {"review":{"publishedDate":"2016-11-04T20:37:27Z"}};</script>
        </head><body><div id="app"></div></body>"#;
    assert_eq!(find(page), Some((day(2016, 11, 4), DateSource::Metadata)));
    // Escaped inside a string of a script.
    let page = r#"<script>self.push("{"datePublished":"2022-01-31T10:00:00Z"}")</script>"#;
    assert_eq!(find(page), Some((day(2022, 1, 31), DateSource::Metadata)));
    // A list of references, each with its own day: none is the page's.
    let page =
        r#"<script>var refs=[{"publishDate":"2012-06-24"},{"publishDate":"2014-06-01"}]</script>"#;
    assert_eq!(find(page), None);
}

#[test]
fn the_one_day_the_page_shows_outranks_its_metadata() {
    let head = r#"<head><meta property="article:published_time" content="2021-12-20T10:00:00+01:00"></head>"#;
    let page = format!(
        r#"{head}<body><h1>Floods</h1><span class="date">27.01.2022</span><p>Rain fell.</p></body>"#
    );
    assert_eq!(find(&page), Some((day(2022, 1, 27), DateSource::Markup)));
    // A list of dated items shows several days: the metadata stands.
    let page = format!(
        r#"{head}<body><h1>Floods</h1><p>Rain fell.</p><ul><li><span class="date">27.01.2022</span> Snow</li>
        <li><span class="date">26.01.2022</span> Wind</li></ul></body>"#
    );
    assert_eq!(find(&page), Some((day(2021, 12, 20), DateSource::Metadata)));
    // A date in a sentence, a block holding the headline, or an
    // embedded post is not a date line.
    for body in [
        "<h1>Floods</h1><p>She was born on 28 March 1926 in Vienna, the story was posted 5 March 2021 here.</p>",
        r#"<div class="info"><h1>Floods</h1> 27.01.2022</div><p>Rain fell.</p>"#,
        r#"<h1>Floods</h1><blockquote class="post"><time datetime="2022-01-27">Jan 27</time></blockquote>"#,
    ] {
        let page = format!("{head}<body>{body}</body>");
        assert_eq!(
            find(&page),
            Some((day(2021, 12, 20), DateSource::Metadata)),
            "{body}"
        );
    }
}

#[test]
fn an_author_line_dates_the_post_and_an_embedded_post_does_not() {
    let page = r#"<body><h1>Floods</h1><p>Rain fell for days over the valley.</p><p>The river rose.</p>
        <div class="left author">Author: <a href="/p/58"><b>Ana</b></a> am 29.12.2010, 13:36 Uhr</div></body>"#;
    assert_eq!(find(page), Some((day(2010, 12, 29), DateSource::Markup)));
    let page = r#"<body><h1>Floods</h1><p>Rain fell for days over the valley, and the river rose until the town's bridges closed.</p><blockquote class="instagram-media">
        <p>A photo</p><time datetime="2018-03-12T19:30:00+00:00">Mar 12, 2018</time></blockquote></body>"#;
    assert_eq!(find(page), None);
}

#[test]
fn a_date_line_beside_the_headline_named_as_a_teaser() {
    let page = r#"<body><div class="story"><h1>Floods</h1><div class="teaser-meta"><p>Von Ana am 21. April 2020</p></div>
        <p>Rain fell for days over the valley, and the river rose until the bridges closed.</p></div>
        <div class="teaser"><span class="date">3. Mai 2020</span> Other story</div></body>"#;
    assert_eq!(find(page), Some((day(2020, 4, 21), DateSource::Markup)));
    let page = page.replace("teaser-meta", "teaser-small__metadata");
    assert_eq!(find(&page), Some((day(2020, 4, 21), DateSource::Markup)));
    // Above the box that holds the headline three levels down.
    let page = r#"<body><div class="post"><div class="teaser_text_meta">Ana / 21.04.2020 / 09:30</div>
        <div class="teaser_blog_text"><div id="main"><h2>Floods</h2>
        <p>Rain fell for days over the valley, and the river rose until the bridges closed.</p></div></div></div>
        <div class="teaser"><span class="date">3. Mai 2020</span> Other story</div></body>"#;
    assert_eq!(find(page), Some((day(2020, 4, 21), DateSource::Markup)));
    // Four levels up, it is another box's.
    let page = page.replace(r#"<div id="main">"#, r#"<div id="main"><div>"#);
    let page = page.replace("</p></div>", "</p></div></div>");
    assert_eq!(find(&page), None);
    // Away from the headline, a teaser stays another story's.
    let page = r#"<body><div class="story"><h1>Floods</h1>
        <p>Rain fell for days over the valley, and the river rose until the bridges closed.</p></div>
        <div class="teaser"><span class="date">3. Mai 2020</span> Other story</div></body>"#;
    assert_eq!(find(page), None);
}

#[test]
fn a_short_date_line_above_the_headline() {
    let page = r#"<body><div>In the media</div><span>02.12.19</span><h1>Floods</h1><p>Rain fell.</p></body>"#;
    assert_eq!(find(page), Some((day(2019, 12, 2), DateSource::Markup)));
}

#[test]
fn a_byline_with_a_two_digit_year() {
    let page = r#"<body><h1>Floods</h1><p class="meta">Von: Ana López | 31.10.23</p><p>Rain fell.</p></body>"#;
    assert_eq!(find(page), Some((day(2023, 10, 31), DateSource::Markup)));
    // Not outside a byline or date line: a figure in the text stays a figure.
    let page = r#"<body><h1>Floods</h1><p>Rain fell.</p><p>Some long paragraph of the story that goes on and on about the rain and the rivers and the people who had to leave their homes when the water came, with many more words after that, so many that the figure below is far from the headline, further than any byline would be, and so on until the end of this sentence which is long.</p><p>Another paragraph of the story, long enough to push the figure away from the headline and its byline by some hundred characters or so.</p><p>Level 3.10.23 reached.</p></body>"#;
    assert_eq!(find(page), None);
}

#[test]
fn malformed_json_ld_falls_through() {
    let page = r#"<head><script type="application/ld+json">{"datePublished": "2021-</script>
        <meta name="DC.date" content="2019-07-08"></head><body></body>"#;
    assert_eq!(find(page), Some((day(2019, 7, 8), DateSource::Metadata)));
}

#[test]
fn url_after_metadata() {
    let page = r#"<head><link rel="canonical" href="https://x.test/news/2021/03/05/floods"></head>
        <body><h1>Floods</h1><p>© 2023 X</p></body>"#;
    assert_eq!(find(page), Some((day(2021, 3, 5), DateSource::Url)));
    let page = r#"<head><meta property="og:url" content="https://x.test/20210305/floods-return.html"></head><body></body>"#;
    assert_eq!(find(page), Some((day(2021, 3, 5), DateSource::Url)));
}

#[test]
fn time_and_byline_near_the_headline() {
    let page = r#"<body><nav><time datetime="2022-01-01">x</time></nav><article><h1>Floods</h1>
        <div class="byline">Von Ana López, 5. März 2021</div><p>Rain fell.</p>
        <div class="comments"><time datetime="2021-04-01">1 April</time></div></article></body>"#;
    assert_eq!(find(page), Some((day(2021, 3, 5), DateSource::Markup)));
    let page = r#"<body><h1>Floods</h1><p>By Ana | 05.03.2021 | 10:00</p><p>Rain fell.</p></body>"#;
    assert_eq!(find(page), Some((day(2021, 3, 5), DateSource::Markup)));
}

#[test]
fn changes_copyrights_and_footers_are_not_publication_dates() {
    let page = r#"<body><h1>Floods</h1><p>Updated March 9, 2021</p><p>Rain fell for days.</p>
        <footer>Site news of 1 January 2019 © 2021</footer></body>"#;
    assert_eq!(find(page), None);
    let page = r#"<body><h1>Floods</h1><p>Rain fell.</p><aside class="related"><span class="date">3 May 2020</span></aside></body>"#;
    assert_eq!(find(page), None);
}

#[test]
fn unclosed_and_stray_elements_do_not_break_the_walk() {
    for page in [
        "<h2>Floods",
        "<body><h1>Floods</h1><table><tr><td><h2>Floods</h2></table></h1><p>Posted 5 March 2021",
        "<p><h1>Floods<span class=date>5 March 2021<select><h2>Floods</h2>",
    ] {
        let _ = find(page);
    }
}

#[test]
fn a_utc_stamp_a_day_off_the_url_takes_the_url_day() {
    let page = r#"<head><meta property="article:published_time" content="2023-11-09T03:10:00Z">
        <link rel="canonical" href="https://x.test/2023/11/08/story/"></head><body></body>"#;
    assert_eq!(find(page), Some((day(2023, 11, 8), DateSource::Url)));
    let page = r#"<head><meta property="article:published_time" content="2023-11-09T03:10:00Z"></head>
        <body><h1>Floods</h1><p>November 8, 2023</p><p>Rain fell.</p></body>"#;
    assert_eq!(find(page), Some((day(2023, 11, 8), DateSource::Markup)));
    let page = r#"<head><meta property="article:published_time" content="2023-11-09"></head>
        <body><h1>Floods</h1><p>November 8, 2023</p><p>Rain fell.</p></body>"#;
    assert_eq!(find(page), Some((day(2023, 11, 9), DateSource::Metadata)));
}

#[test]
fn the_pages_own_entry_in_a_list_of_posts() {
    let page = r#"<head><link rel="canonical" href="https://x.test/blog/floods-return/"></head>
        <body><h1>Floods</h1><p>Rain fell for days over the valley, and the river rose until the bridges closed and the town's people left their homes for the hills.</p><aside><h3>Latest posts</h3><ul>
        <li><a href="https://x.test/blog/floods-return/">Floods return</a> <span>26/10/2018</span></li>
        <li><a href="https://x.test/blog/dry-summer/">A dry summer ahead</a> <span>20/10/2018</span></li>
        </ul></aside></body>"#;
    assert_eq!(find(page), Some((day(2018, 10, 26), DateSource::Markup)));
    // A link relative to the page.
    let page = r#"<head><link rel="canonical" href="https://x.test/detail.php?id=765&lang=de"></head>
        <body><h1>Floods</h1><p>Rain fell for days over the valley, and the river rose until the bridges closed and the town's people left their homes for the hills.</p><nav><ul><li>16.10.2021<br>
        <a href="../detail.php?id=765&lang=de">Floods return</a></li></ul></nav></body>"#;
    assert_eq!(find(page), Some((day(2021, 10, 16), DateSource::Markup)));
    // The page's item shows no date: its neighbours' are not its own.
    let page = r#"<head><link rel="canonical" href="https://x.test/blog/floods-return/"></head>
        <body><h1>Floods</h1><p>Rain fell for days over the valley, and the river rose until the bridges closed and the town's people left their homes for the hills.</p><aside><ul>
        <li><a href="https://x.test/blog/floods-return/">Floods return</a></li>
        <li><a href="https://x.test/blog/dry-summer/">A dry summer ahead</a> <span>20/10/2018</span></li>
        </ul></aside></body>"#;
    assert_eq!(find(page), None);
}

#[test]
fn a_date_right_after_its_label() {
    let page = r#"<body><h1>Floods</h1><p>Rain fell for days over the valley, and the river rose until the bridges closed and the town's people left their homes for the hills.</p><aside class="post-data"><dl>
        <dt>Datum</dt><dd>12.01.2017</dd><dt>Kategorie</dt><dd>Wetter</dd></dl></aside></body>"#;
    assert_eq!(find(page), Some((day(2017, 1, 12), DateSource::Markup)));
    let page = r#"<body><h1>Floods</h1><p>Rain fell for days over the valley, and the river rose until the bridges closed and the town's people left their homes for the hills.</p><aside><p><strong>Publication date:</strong>
        March 5, 2021</p></aside></body>"#;
    assert_eq!(find(page), Some((day(2021, 3, 5), DateSource::Markup)));
    // A label in the comments, or a label followed by other words.
    for body in [
        r#"<div class="comments"><dl><dt>Date</dt><dd>1 May 2020</dd></dl></div>"#,
        r#"<aside><dl><dt>Datum</dt><dd>Am Ufer des Flusses, lange vor dem 1. Mai 2020</dd></dl></aside>"#,
    ] {
        let page = format!(
            "<body><h1>Floods</h1><p>Rain fell for days over the valley, and the river rose until the bridges closed and the town's people left their homes for the hills.</p>{body}</body>"
        );
        assert_eq!(find(&page), None, "{body}");
    }
}

#[test]
fn first_publication_keys_in_the_data_of_scripts() {
    for key in [
        "first-publication",
        "pubDate",
        "first_published_at",
        "publish_date",
    ] {
        let page = format!(
            r#"<script>var layer = {{"last-updated":"2019-08-01 10:00","{key}":"2019-07-30 09:35"}};</script>"#
        );
        assert_eq!(
            find(&page),
            Some((day(2019, 7, 30), DateSource::Metadata)),
            "{key}"
        );
    }
    let page = r#"<script>var layer = {"last-updated":"2019-08-01 10:00","lastModified":"2019-08-01"};</script>"#;
    assert_eq!(find(page), None);
}

#[test]
fn dublin_core_written_with_a_colon() {
    for name in ["DC:date", "dc:date.issued", "DCTERMS:created"] {
        let page =
            format!(r#"<head><meta name="{name}" content="2019-07-08"></head><body></body>"#);
        assert_eq!(
            find(&page),
            Some((day(2019, 7, 8), DateSource::Metadata)),
            "{name}"
        );
    }
}

#[test]
fn a_date_line_outranks_a_bare_day_in_the_text() {
    let page = r#"<body><div class="date">5 March 2021</div><h1>Floods</h1>
        <p>On 1 March 2021 the rain began.</p></body>"#;
    assert_eq!(find(page), Some((day(2021, 3, 5), DateSource::Markup)));
    // Without a date line, the day after the headline is the byline's.
    let page = r#"<body><h1>Floods</h1><p>Ana López, 1 March 2021</p><p>Rain fell.</p></body>"#;
    assert_eq!(find(page), Some((day(2021, 3, 1), DateSource::Markup)));
}

#[test]
fn the_publication_of_a_how_to_or_a_recipe() {
    let page = r#"<head><script type="application/ld+json">{"@type":"HowTo","name":"A round tablecloth",
        "datePublished":"2022-01-10T22:06:08:684Z"}</script></head><body></body>"#;
    assert_eq!(find(page), Some((day(2022, 1, 10), DateSource::JsonLd)));
}

#[test]
fn future_dates_are_not_taken() {
    let page = r#"<head><meta property="article:published_time" content="2099-01-01"></head><body></body>"#;
    assert_eq!(find(page), None);
}

#[test]
fn a_generic_date_tag_yields_to_the_date_line_by_the_headline() {
    let article = r#"<h1>Floods</h1><div class="news-date">05.02.2020 - Redaktion</div>
        <p>Rain fell for days over the valley, and the river rose until the bridges closed.</p>"#;
    let events = r#"<ul class="list"><li><span class="datum">29.02.2020</span> Tasting</li>
        <li><span class="datum">07.03.2020</span> Concert</li></ul>"#;
    let page = format!(
        r#"<head><meta name="date" content="2020-02-12"></head><body>{article}{events}</body>"#
    );
    assert_eq!(find(&page), Some((day(2020, 2, 5), DateSource::Markup)));
    // A publication tag keeps its day against the same line.
    let strong = page.replace(r#"name="date""#, r#"name="pubdate""#);
    assert_eq!(
        find(&strong),
        Some((day(2020, 2, 12), DateSource::Metadata))
    );
    // Dates away from the headline (a list of events) leave the tag's day.
    let page = format!(
        r#"<head><meta name="date" content="2020-02-12"></head><body><h1>Floods</h1>
        <p>Rain fell for days over the valley, and the river rose until the bridges closed.
        The water stood in the streets of the old town for a week, and the schools stayed shut
        while the army brought sandbags, boats and food to the villages up the valley.
        The mayor said the town would need years to mend its roads and bridges, and that the
        farms along the river had lost the harvest of the whole season to the water.</p>{events}</body>"#
    );
    assert_eq!(find(&page), Some((day(2020, 2, 12), DateSource::Metadata)));
    // A page's own publication mark outranks the generic tag.
    let page = r#"<head><meta name="date" content="2020-02-12"></head><body><h1>Floods</h1>
        <p>Rain <time itemprop="datePublished" datetime="2020-02-03"></time> fell.</p></body>"#;
    assert_eq!(find(page), Some((day(2020, 2, 3), DateSource::Metadata)));
}

#[test]
fn a_date_line_far_below_outranks_a_day_in_the_text() {
    let text = "The rules, in force since 15 January 2022, change again. ".repeat(2)
        + &"Travellers need a new certificate for every trip abroad. ".repeat(8);
    let page = format!(
        r#"<body><h1>Floods</h1><p>{text}</p><div><time datetime="2022-01-26">26. Januar 2022</time></div></body>"#
    );
    assert_eq!(find(&page), Some((day(2022, 1, 26), DateSource::Markup)));
    // With no date line, the first day of the text after the headline.
    let page = format!(r#"<body><h1>Floods</h1><p>{text}</p></body>"#);
    assert_eq!(find(&page), Some((day(2022, 1, 15), DateSource::Markup)));
}

#[test]
fn a_sidebar_holding_the_headline_is_the_articles() {
    let page = r#"<body><h1>Floods in the valley</h1><p>Rain fell for days.</p>
        <div class="sidebar"><p class="h1">Floods in the valley</p>
        <p class="time"><time datetime="2022-01-28">28. Januar 2022</time></p></div>
        <div class="sidebar"><p>Other story</p><time datetime="2022-01-03">3. Januar 2022</time></div></body>"#;
    let doc = Html::parse_document(page);
    let meta = PageMeta::read(&doc);
    let dom = Dom::build(&doc);
    let chosen = choose(&meta, &doc, &dom, "Floods in the valley", LATEST);
    assert_eq!(chosen.late, Some((day(2022, 1, 28), DateSource::Markup)));
    // Without the copy, both sidebars are other stories'.
    let page = page.replace(r#"<p class="h1">Floods in the valley</p>"#, "");
    let doc = Html::parse_document(&page);
    let dom = Dom::build(&doc);
    let chosen = choose(&meta, &doc, &dom, "Floods in the valley", LATEST);
    assert_eq!(chosen.late, None);
}

/// The day found for a page read with this headline, and where.
fn find_by(page: &str, headline: &str) -> Option<Found> {
    let doc = Html::parse_document(page);
    let meta = PageMeta::read(&doc);
    let dom = Dom::build(&doc);
    let chosen = choose(&meta, &doc, &dom, headline, LATEST);
    chosen.stated.or(chosen.late)
}

#[test]
fn the_same_stamp_twice_in_a_script_is_one_day() {
    let page = r#"<script>var a={"publishDate":"2014-06-01T10:00:00Z","item":{"publishedAt":"2014-06-01T10:00:00Z"}}</script>"#;
    assert_eq!(find(page), Some((day(2014, 6, 1), DateSource::Metadata)));
}

#[test]
fn stamps_short_or_in_other_scripts() {
    // A value shorter than a day and a time, and one whose tenth byte falls
    // inside a letter, are read as days.
    for (value, want) in [("5.3.2021", 5), ("15 марта 2021 10:00", 15)] {
        let page = format!(
            r#"<head><meta property="article:published_time" content="{value}"></head><body></body>"#
        );
        assert_eq!(
            find(&page),
            Some((day(2021, 3, want), DateSource::Metadata)),
            "{value}"
        );
    }
}

#[test]
fn an_aside_inside_the_article_is_the_articles() {
    // Deeper than a line beside the headline: the article holds it.
    let page = r#"<body><article><h1>Floods</h1><div class="content"><p>Rain fell for days over the valley.</p>
        <div><aside><span class="date">5 March 2021</span></aside></div></div></article>
        <aside><span class="date">9 March 2021</span></aside></body>"#;
    assert_eq!(find(page), Some((day(2021, 3, 5), DateSource::Markup)));
}

#[test]
fn the_name_of_the_body_says_nothing_of_its_parts() {
    let page = r#"<body class="single-post comments-open"><h1>Floods</h1><p class="byline">5 March 2021</p>
        <p>Rain fell for days over the valley.</p></body>"#;
    assert_eq!(find(page), Some((day(2021, 3, 5), DateSource::Markup)));
    // An archive of a day names its body `date`: the body is no date line
    // (the whole of a short page would be read as one).
    for tag in ["body", "html"] {
        let page = format!(
            r#"<{tag} class="archive date"><h1>Floods</h1><p>Rain fell on 1 March 2021.</p><p class="date">5 March 2021</p></{tag}>"#
        );
        assert_eq!(
            find(&page),
            Some((day(2021, 3, 5), DateSource::Markup)),
            "{tag}"
        );
    }
}

#[test]
fn published_and_updated_on_one_element_is_the_publication() {
    let page = r#"<body><h1>Floods</h1><p><time class="entry-date published updated">5 March 2021</time></p>
        <p>Rain fell for days over the valley.</p><p class="updated">9 March 2021</p></body>"#;
    assert_eq!(find(page), Some((day(2021, 3, 5), DateSource::Markup)));
}

#[test]
fn the_headline_is_found_in_a_heading_whole_before_in_part() {
    let headline = "Floods close the port of Veracruz for a week";
    let article =
        format!("<h1>{headline}</h1><p>5 March 2021</p><p>Rain fell for days over the valley.</p>");
    for before in [
        // A heading holding a short part of the headline.
        "<h2>Veracruz</h2><p>1 March 2021</p>",
        // A heading holding a long part of it.
        "<h2>the port of Veracruz for a week</h2><p>2 March 2021</p>",
        // The headline outside a heading.
        "<div class=\"teaser\"><p>Floods close the port of Veracruz for a week</p><p>3 March 2021</p></div>",
    ] {
        let page = format!("<body><div>{before}</div><div>{article}</div></body>");
        assert_eq!(
            find_by(&page, headline),
            Some((day(2021, 3, 5), DateSource::Markup)),
            "{before}"
        );
    }
    // With no heading holding it whole, one holding a long part of it.
    let page = "<body><div><h2>Veracruz</h2><p>1 March 2021</p></div>\
        <div><h2>the port of Veracruz for a week</h2><p>2 March 2021</p>\
        <p>Rain fell for days over the valley.</p></div></body>";
    assert_eq!(
        find_by(page, headline),
        Some((day(2021, 3, 2), DateSource::Markup))
    );
}

#[test]
fn with_no_heading_holding_the_headline_the_first_h1_is_it() {
    let page = "<body><div><p>1 March 2021</p></div><div><p>Rain fell for days over the valley.</p></div>\
        <h2>Other words</h2><h1>Other words again</h1><p>5 March 2021</p><p>Rain fell.</p></body>";
    assert_eq!(
        find_by(page, "Floods close the port of Veracruz for a week"),
        Some((day(2021, 3, 5), DateSource::Markup))
    );
}

#[test]
fn a_copy_of_a_long_headline_marks_the_articles_sidebar() {
    // Eight spaces between the words: a copy is compared by its letters.
    let headline = "Floods close the port of Veracruz for a week";
    let page = format!(
        r#"<body><h1>{headline}</h1><p>Rain fell for days.</p>
        <div class="sidebar"><p class="h1">{headline}</p>
        <p class="time"><time datetime="2022-01-28">28. Januar 2022</time></p></div>
        <div class="sidebar"><p>Other story</p><time datetime="2022-01-03">3. Januar 2022</time></div></body>"#
    );
    assert_eq!(
        find_by(&page, headline),
        Some((day(2022, 1, 28), DateSource::Markup))
    );
}

/// The day found for a page whose metadata says 9 March 2021 (a day with
/// no time) and whose body is `body`: the one day the page shows in its
/// date lines outranks that, so 5 March wins only when no other date line
/// is taken for the article's.
fn against_metadata(body: &str, headline: &str) -> Option<Found> {
    let page = format!(
        r#"<html><head><meta property="article:published_time" content="2021-03-09"></head><body>{body}</body></html>"#
    );
    find_by(&page, headline)
}

const LONG_TEXT: &str = "<p>Rain fell for days over the valley, and the river rose until the bridges \
    closed and the people of the town left their homes for the hills above it, where they waited \
    for the water to go down again.</p>";

#[test]
fn what_holds_the_headline_is_the_articles_and_what_only_touches_it_is_not() {
    let shown = Some((day(2021, 3, 5), DateSource::Markup));
    let stated = Some((day(2021, 3, 9), DateSource::Metadata));
    let long = "Floods close the port of Veracruz for a week";
    for (body, headline, want) in [
        // A container named as furniture holding the headline is a layout.
        (
            format!(
                r#"<div class="has-comments"><h1>Floods</h1><p class="date">5 March 2021</p></div><div>{LONG_TEXT}</div>"#
            ),
            "Floods",
            shown,
        ),
        // Furniture ending right where the headline starts stays furniture.
        (
            format!(
                r#"<div class="related"><span class="date">1 March 2021</span></div><h1>Floods</h1><p class="date">5 March 2021</p>{LONG_TEXT}"#
            ),
            "Floods",
            shown,
        ),
        // So does furniture ending right where a copy of the headline starts.
        (
            format!(
                r#"<h1>{long}</h1><p class="date">5 March 2021</p>{LONG_TEXT}<div class="related"><span class="date">1 March 2021</span></div>{long}"#
            ),
            long,
            shown,
        ),
        // A container holding most of the page's text is the article.
        (
            format!(
                r#"<h1>Floods</h1><div class="sidebar-layout"><p class="date">5 March 2021</p>{LONG_TEXT}</div><p>Other words.</p>"#
            ),
            "Floods",
            shown,
        ),
        // The page's footer: its named date is not read.
        (
            format!(
                r#"<h1>Floods</h1><p class="date">5 March 2021</p>{LONG_TEXT}<footer><span class="date">1 March 2021</span></footer>"#
            ),
            "Floods",
            shown,
        ),
        // A date line right before the headline is a line of its own.
        (
            format!(r#"<p class="date">5 March 2021</p><h1>Floods</h1>{LONG_TEXT}"#),
            "Floods",
            shown,
        ),
        // Two date lines of different days: the metadata's day stands.
        (
            format!(
                r#"<p class="date">1 March 2021</p><h1>Floods</h1><p class="date">5 March 2021</p>{LONG_TEXT}"#
            ),
            "Floods",
            stated,
        ),
    ] {
        assert_eq!(against_metadata(&body, headline), want, "{body}");
    }
}

#[test]
fn a_heading_named_as_a_teaser_is_not_the_headline() {
    // With no headline to measure from, the first date line is the page's.
    let page = format!(
        r#"<body><p class="date">1 March 2021</p>{LONG_TEXT}<h1 class="teaser">Floods</h1><p class="date">5 March 2021</p></body>"#
    );
    assert_eq!(find(&page), Some((day(2021, 3, 1), DateSource::Markup)));
    let page = page.replace(r#" class="teaser""#, "");
    assert_eq!(find(&page), Some((day(2021, 3, 5), DateSource::Markup)));
}

#[test]
fn a_publication_announced_in_the_page_footer_is_read() {
    let page = format!(
        "<body><h1>Floods</h1>{LONG_TEXT}<footer><p>Published 5 March 2021</p></footer></body>"
    );
    assert_eq!(find(&page), Some((day(2021, 3, 5), DateSource::Markup)));
}

#[test]
fn a_date_line_by_the_headline_however_far_down_the_page() {
    let events = r#"<ul class="list"><li><span class="datum">29.02.2020</span> Tasting</li>
        <li><span class="datum">07.03.2020</span> Concert</li></ul>"#;
    let head = r#"<head><meta name="date" content="2020-02-12"></head>"#;
    let line = r#"<div class="news-date">05.02.2020</div>"#;
    // Below the headline, or above it, with much text before both.
    for article in [
        format!("<h1>Floods</h1>{line}{LONG_TEXT}"),
        format!("{line}<h1>Floods</h1>{LONG_TEXT}"),
    ] {
        let page = format!("{head}<body>{LONG_TEXT}{LONG_TEXT}{article}{events}</body>");
        assert_eq!(
            find(&page),
            Some((day(2020, 2, 5), DateSource::Markup)),
            "{page}"
        );
    }
}

#[test]
fn a_date_line_above_the_headline_counts_twice_as_far() {
    let page = |between: &str, after: &str| {
        format!(
            r#"<body>{LONG_TEXT}<p class="date">1 March 2021</p>{between}<h1>Floods</h1>{after}<p class="date">5 March 2021</p>{LONG_TEXT}</body>"#
        )
    };
    // Three nodes above against five below: below is nearer.
    assert_eq!(
        find(&page("x", "y<b>z</b>")),
        Some((day(2021, 3, 5), DateSource::Markup))
    );
    // Two above against five below: above is nearer.
    assert_eq!(
        find(&page("", "y<b>z</b>")),
        Some((day(2021, 3, 1), DateSource::Markup))
    );
}

#[test]
fn a_label_indented_in_the_markup_and_one_inside_a_change() {
    let indent = " ".repeat(40);
    let page = format!(
        "<body><h1>Floods</h1>{LONG_TEXT}<aside><dl>\n{indent}<dt>\n{indent}Published:\n{indent}</dt>\n{indent}<dd>12.01.2017</dd></dl></aside></body>"
    );
    assert_eq!(find(&page), Some((day(2017, 1, 12), DateSource::Markup)));
    // A label inside an element named as the change is the change's.
    for name in ["last-updated", "site-footer"] {
        let page = format!(
            r#"<body><h1>Floods</h1>{LONG_TEXT}<div class="{name}"><dl><dt>Date</dt><dd>1 May 2020</dd></dl></div></body>"#
        );
        assert_eq!(find(&page), None, "{name}");
    }
}

#[test]
fn the_pages_own_entry_by_its_headline() {
    let headline = "Floods return to the valley";
    let page = format!(
        r#"<body><h1>{headline}</h1>{LONG_TEXT}{LONG_TEXT}<aside><ul>
        <li><a href="/a">{headline}</a> <span>26/10/2018</span></li>
        <li><a href="/b">A dry summer ahead</a> <span>20/10/2018</span></li></ul></aside></body>"#
    );
    assert_eq!(
        find_by(&page, headline),
        Some((day(2018, 10, 26), DateSource::Markup))
    );
}

#[test]
fn the_pages_own_entry_by_a_relative_link_and_its_time_element() {
    let page = |href: &str| {
        format!(
            r#"<head><link rel="canonical" href="https://x.test/blog/2018/floods-return"></head>
            <body><h1>Floods</h1>{LONG_TEXT}<aside><ul>
            <li><a href="{href}">Floods return</a> <time datetime="2018-10-26">Friday</time></li>
            <li><a href="/b">A dry summer ahead</a> <span>20/10/2018</span></li></ul></aside></body>"#
        )
    };
    // A link of at least eight characters ending the page's path is its own.
    assert_eq!(
        find(&page("floods-return")),
        Some((day(2018, 10, 26), DateSource::Markup))
    );
    // A shorter one could end any path.
    assert_eq!(find(&page("return")), None);
}

#[test]
fn an_announced_date_is_read_on_past_furniture_and_not_before_the_phrase() {
    for (footer, want) in [
        // The date in the next run of text, past a navigation's.
        (
            "<p>Published:</p><nav>1 March 2021</nav><p>5 March 2021</p>",
            5,
        ),
        // A date before the phrase is not the announced one.
        (
            "<p>1 March 2021 — Published by the desk:</p><p>5 March 2021</p>",
            5,
        ),
    ] {
        let page = format!("<body><h1>Floods</h1>{LONG_TEXT}<footer>{footer}</footer></body>");
        assert_eq!(
            find(&page),
            Some((day(2021, 3, want), DateSource::Markup)),
            "{footer}"
        );
    }
}

#[test]
fn a_container_named_as_a_date_is_read_only_when_it_holds_little_text() {
    let sentence = "<p>It rained on 1 March 2021.</p>";
    // 300 bytes of text at most: a date line.
    let filler = "x".repeat(300 - "It rained on 1 March 2021.".len());
    let small =
        format!(r#"<h1>Floods</h1><div class="article-date-wrap">{sentence}<p>{filler}</p></div>"#);
    assert_eq!(
        against_metadata(&small, "Floods"),
        Some((day(2021, 3, 1), DateSource::Markup))
    );
    // More, a container whose first date is the text's, not the page's.
    let large = small.replace(&filler, &format!("{filler}x"));
    assert_eq!(
        against_metadata(&large, "Floods"),
        Some((day(2021, 3, 9), DateSource::Metadata))
    );
}

#[test]
fn a_date_in_the_text_after_the_headline_is_where_its_run_is() {
    // A date in the 400 bytes of text from the headline on is read.
    let filler = "x".repeat(400 - "Floods  ".len());
    let page = format!("<body><h1>Floods</h1><p>{filler}</p><p>1 March 2021</p></body>");
    assert_eq!(find(&page), Some((day(2021, 3, 1), DateSource::Markup)));
    let page = page.replace(&filler, &format!("{filler}x"));
    assert_eq!(find(&page), None);
    // The run holding the date sets its distance from the headline, not
    // the last run read: here nearer than an announced date above it.
    let runs = "<p>a</p>".repeat(10);
    let page = format!(
        "<body><p>Posted: 1 March 2021</p>{LONG_TEXT}<h1>Floods</h1><p>It rained on 5 March 2021.</p>{runs}</body>"
    );
    assert_eq!(find(&page), Some((day(2021, 3, 5), DateSource::Markup)));
}

#[test]
fn a_date_line_above_the_headline_is_within_120_characters_of_it() {
    let page = |gap: usize| {
        format!(
            "<body><p>1 March 2021</p><p>{}</p><h1>Floods</h1><p>Rain fell.</p></body>",
            "x".repeat(gap)
        )
    };
    assert_eq!(
        find(&page(120)),
        Some((day(2021, 3, 1), DateSource::Markup))
    );
    assert_eq!(find(&page(121)), None);
}
