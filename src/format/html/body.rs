//! The article's main text from a parsed page.

use std::collections::HashMap;

use super::blocks::{self, Block, Blocks, Kind};
use super::dom::{Dom, NONE, Tag};
use super::furniture::{self, Hint};
use super::phrases;

/// The main text of a page: paragraphs separated by blank lines.
pub fn extract(dom: &Dom, headline: &str) -> String {
    let page = analyze(dom, headline);
    let kept: Vec<&Block> = page
        .blocks
        .list
        .iter()
        .zip(&page.kept)
        .filter_map(|(b, k)| k.then_some(b))
        .collect();
    render(&page.blocks, &kept, headline)
}

/// The body from the page's own text or from a text the page states for
/// it (schema.org `articleBody` in JSON-LD): the page's text, unless it
/// holds less than half of the stated one (a page that draws its text with
/// scripts shows little of it in its markup).
pub fn prefer_stated(extracted: String, stated: Option<&str>) -> String {
    let Some(stated) = stated.map(str::trim).filter(|s| !s.is_empty()) else {
        return extracted;
    };
    let length = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
    if 2 * length(&extracted) < length(stated) {
        stated.to_string()
    } else {
        extracted
    }
}

/// The blocks of a page and the verdict on each.
pub struct Analysis {
    /// Every block of the page.
    pub blocks: Blocks,
    /// Whether each block is article text.
    pub kept: Vec<bool>,
}

/// Judges every block of a page.
pub fn analyze(dom: &Dom, headline: &str) -> Analysis {
    let hints: Vec<Hint> = dom
        .nodes
        .iter()
        .map(|n| match n.element {
            Some(e) => furniture::hint(n.tag, e),
            None => Hint::default(),
        })
        .collect();
    let skip: Vec<bool> = hints
        .iter()
        .zip(&dom.nodes)
        .map(|(h, n)| h.furniture && !n.tag.is_block())
        .collect();
    let mut blocks = blocks::segment(dom, &skip);

    // The article as the furniture names have it, and as it is with only
    // comments set aside. When the first holds much less text than the
    // second, furniture names on the elements around the text (`has-sidebar`,
    // `widget Blog`, `cookies-not-set` on a wrapper or the body) are layout
    // words, not verdicts, and are dropped.
    let own: Vec<bool> = hints.iter().map(|h| h.furniture).collect();
    mark(dom, &mut blocks, &own);
    let mut root = best(dom, &sums(dom, &blocks, value));
    let named_prose = prose_in(dom, &blocks, root);
    let own: Vec<bool> = hints.iter().map(|h| h.comments).collect();
    mark(dom, &mut blocks, &own);
    let prose = sums(dom, &blocks, |b| value(b).max(0.0));
    let first = best(dom, &sums(dom, &blocks, value));
    let revoke = first != NONE && named_prose < 0.5 * prose[first as usize];
    // The element holding the headline is the article's or one around it,
    // whatever its class says.
    let title = title_owner(&blocks, headline);
    let own: Vec<bool> = hints
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if !h.furniture {
                return false;
            }
            let end = dom.nodes[i].end;
            let holds = |n: u32| n != NONE && i as u32 <= n && n < end;
            if !h.comments && holds(title) {
                return false;
            }
            if !revoke {
                return true;
            }
            let holds_most = !h.comments && prose[i] >= 0.5 * prose[first as usize];
            !(holds(first) || holds_most)
        })
        .collect();
    mark(dom, &mut blocks, &own);
    let score = sums(dom, &blocks, value);
    root = best(dom, &score);
    // An element named as the article body that holds most of the text
    // found is the article, however much of the page around it adds up.
    if root != NONE {
        let prose = sums(dom, &blocks, |b| value(b).max(0.0));
        let named = (0..dom.len())
            .filter(|&i| hints[i].content == 2 && !own[i])
            .max_by(|&a, &b| prose[a].total_cmp(&prose[b]));
        if let Some(named) = named
            && prose[named] >= NAMED_SHARE * prose[root as usize]
        {
            root = named as u32;
        }
    }
    mark_captions(dom, &mut blocks);
    for b in &mut blocks.list {
        if !b.furniture && b.chars <= phrases::MAX_CHARS {
            b.furniture = phrases::is_furniture(&blocks.text[b.text.clone()]);
        }
    }
    let mut kept = select(dom, &blocks, root);
    if !kept.iter().any(|&k| k) {
        // No prose anywhere (a list, a table, a few lines): every block
        // that is not furniture or links.
        kept = blocks.list.iter().map(|b| class(b) != Class::Bad).collect();
    }
    Analysis { blocks, kept }
}

/// How a block reads on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Furniture or mostly links.
    Bad,
    /// Too short to judge alone: kept or not by its neighbours.
    Short,
    /// A heading: kept when text follows it.
    Heading,
    /// Prose.
    Good,
}

/// The class of one block.
pub fn class(b: &Block) -> Class {
    let ld = b.link_density();
    if b.furniture || ld > 0.5 {
        return Class::Bad;
    }
    let plain = b.chars as f32 * (1.0 - ld);
    if let Kind::Heading(_) = b.kind {
        // A whole sentence set as a heading is a lead paragraph.
        if plain >= 80.0 && b.sentences > 0 {
            return Class::Good;
        }
        return Class::Heading;
    }
    if plain >= 80.0 || (b.sentences > 0 && plain >= 40.0) {
        Class::Good
    } else {
        Class::Short
    }
}

/// The blocks kept: good blocks inside the container, short blocks and
/// headings inside it between good ones, and good blocks next to it with
/// nothing bad between.
fn select(dom: &Dom, blocks: &Blocks, root: u32) -> Vec<bool> {
    let (start, end) = if root == NONE {
        (0, dom.len() as u32)
    } else {
        (root, dom.nodes[root as usize].end)
    };
    let list = &blocks.list;
    let mut classes: Vec<Class> = list.iter().map(class).collect();
    // An item of links in a list of text is part of the list.
    let mut list_links: HashMap<u32, (u32, u32)> = HashMap::default();
    for b in list.iter().filter(|b| b.list != NONE) {
        let e = list_links.entry(b.list).or_default();
        e.0 += b.chars;
        e.1 += b.link_chars;
    }
    for (b, c) in list.iter().zip(classes.iter_mut()) {
        if *c == Class::Bad && !b.furniture && b.list != NONE {
            let (chars, links) = list_links[&b.list];
            if links * 10 <= chars * 3 {
                *c = Class::Short;
            }
        }
    }
    let inside: Vec<bool> = list
        .iter()
        .map(|b| b.owner >= start && b.owner < end)
        .collect();
    let mut kept: Vec<bool> = (0..list.len())
        .map(|i| inside[i] && classes[i] == Class::Good)
        .collect();
    // Good blocks just outside: after the text, up to the first bad
    // block; before it, up to the headline or a block of links, looking
    // through furniture (a picture's caption, an advertisement) between a
    // lead paragraph and the body.
    if let Some(first) = kept.iter().position(|&k| k) {
        for i in (0..first).rev() {
            match classes[i] {
                Class::Bad if list[i].furniture => {}
                Class::Bad => break,
                Class::Good => kept[i] = true,
                Class::Heading if list[i].kind == Kind::Heading(1) => break,
                _ => {}
            }
        }
    }
    if let Some(last) = kept.iter().rposition(|&k| k) {
        for i in last + 1..list.len() {
            match classes[i] {
                Class::Bad => break,
                Class::Good => kept[i] = true,
                _ => {}
            }
        }
    }
    // Short blocks and headings followed by kept text, after kept text
    // (headings also before it); furniture between is looked through, as
    // it is not shown in the text.
    let good = kept.clone();
    let mut seen_good = false;
    let mut i = 0;
    while i < list.len() {
        if good[i] {
            seen_good = true;
            i += 1;
            continue;
        }
        if classes[i] == Class::Bad {
            i += 1;
            continue;
        }
        let run_start = i;
        while i < list.len() && !good[i] && (classes[i] != Class::Bad || list[i].furniture) {
            i += 1;
        }
        let next_good = i < list.len() && good[i];
        if !next_good {
            // The article's last words: short sentences right after its
            // text, up to the first block that is not one.
            if seen_good && run_start > 0 && good[run_start - 1] {
                for j in run_start..i {
                    let b = &list[j];
                    if !inside[j]
                        || classes[j] != Class::Short
                        || b.sentences == 0
                        || b.link_chars > 0
                    {
                        break;
                    }
                    kept[j] = true;
                }
            }
            continue;
        }
        for j in run_start..i {
            kept[j] = match classes[j] {
                Class::Heading => inside[j] || seen_good,
                Class::Short => inside[j] && seen_good,
                _ => false,
            };
        }
        // The article's first words: short sentences right before its
        // text.
        if !seen_good {
            for j in (run_start..i).rev() {
                let b = &list[j];
                let opening = inside[j]
                    && classes[j] == Class::Short
                    && matches!(b.kind, Kind::Paragraph | Kind::Loose)
                    && b.sentences > 0
                    && b.chars >= 20
                    && b.link_chars == 0;
                if !opening {
                    break;
                }
                kept[j] = true;
            }
        }
    }
    kept
}

/// Largest text of an element around an image for that text to be the
/// image's caption or credit rather than an article with a picture.
const CAPTION_CHARS: f32 = 300.0;

/// How many levels above a block an image may sit for the block to be its
/// caption.
const CAPTION_LEVELS: usize = 3;

/// Marks as furniture the text next to an image in a small wrapper:
/// captions and photo credits not marked up as `<figcaption>`.
fn mark_captions(dom: &Dom, blocks: &mut Blocks) {
    let mut has_image = vec![false; dom.len()];
    for i in (0..dom.len()).rev() {
        let node = &dom.nodes[i];
        if node.tag == Tag::Img && is_picture(node) {
            has_image[i] = true;
        }
        if has_image[i] && node.parent != NONE {
            has_image[node.parent as usize] = true;
        }
    }
    // A linked title makes a teaser card of its wrapper as a picture does.
    for b in &blocks.list {
        if matches!(b.kind, Kind::Heading(_)) && b.link_density() > 0.5 && b.owner != NONE {
            has_image[b.owner as usize] = true;
        }
    }
    for i in (0..dom.len()).rev() {
        let p = dom.nodes[i].parent;
        if has_image[i] && p != NONE {
            has_image[p as usize] = true;
        }
    }
    let chars = sums(dom, blocks, |b| b.chars as f32);
    let links = sums(dom, blocks, |b| b.link_chars as f32);
    for b in &mut blocks.list {
        // List items and table cells with a picture are a gallery or a
        // table of products, not captions.
        if b.owner == NONE || b.furniture || matches!(b.kind, Kind::Item | Kind::Cell) {
            continue;
        }
        let mut at = b.owner;
        for _ in 0..CAPTION_LEVELS {
            if has_image[at as usize] {
                let (c, l) = (chars[at as usize], links[at as usize]);
                // A short line by a picture is its caption or credit; prose
                // by a picture is a slide or a step of the article, unless
                // a link makes picture and text a teaser of another page.
                if c <= CAPTION_CHARS && (class(b) != Class::Good || l >= 0.2 * c) {
                    b.furniture = true;
                }
                break;
            }
            at = dom.nodes[at as usize].parent;
            if at == NONE || dom.nodes[at as usize].tag == Tag::Body {
                break;
            }
        }
    }
}

/// An image large enough to be a picture, not an icon or emoji.
fn is_picture(node: &super::dom::Node) -> bool {
    let Some(e) = node.element else {
        return false;
    };
    let small = |attr: &str| {
        e.attr(attr)
            .and_then(|v| v.trim_end_matches("px").trim().parse::<u32>().ok())
            .is_some_and(|n| n < 50)
    };
    !(small("width") || small("height"))
}

/// The element of the top-level heading that repeats the headline, or
/// [`NONE`].
fn title_owner(blocks: &Blocks, headline: &str) -> u32 {
    let headline = headline.trim();
    if headline.chars().count() < 10 {
        return NONE;
    }
    blocks
        .list
        .iter()
        .find(|b| {
            let text = blocks.text_of(b);
            matches!(b.kind, Kind::Heading(1 | 2))
                && text.chars().count() >= 10
                && (headline.contains(text) || text.contains(headline))
        })
        .map_or(NONE, |b| b.owner)
}

/// The prose (positive block values) inside element `root`.
fn prose_in(dom: &Dom, blocks: &Blocks, root: u32) -> f32 {
    if root == NONE {
        return 0.0;
    }
    let end = dom.nodes[root as usize].end;
    blocks
        .list
        .iter()
        .filter(|b| b.owner >= root && b.owner < end)
        .map(|b| value(b).max(0.0))
        .sum()
}

/// Sets each block's furniture flag from the elements judged furniture
/// (`own`) and their descendants.
fn mark(dom: &Dom, blocks: &mut Blocks, own: &[bool]) {
    let furniture = inherit_furniture(dom, own);
    for b in &mut blocks.list {
        b.furniture = b.owner != NONE && furniture[b.owner as usize];
    }
}

/// Furniture of each node: its own hint or its parent's.
fn inherit_furniture(dom: &Dom, own: &[bool]) -> Vec<bool> {
    let mut out = vec![false; dom.len()];
    for (i, node) in dom.nodes.iter().enumerate() {
        let parent = node.parent;
        out[i] = own[i] || (parent != NONE && out[parent as usize]);
    }
    out
}

const JUNK_WEIGHT: f32 = 0.3;

/// Share of the best container's prose an element named as the article
/// body must hold to be taken instead.
const NAMED_SHARE: f32 = 0.5;

/// What one block adds to the containers around it: its characters when it
/// reads as text, minus a little for each block, minus everything when it is
/// furniture or mostly links.
pub fn value(b: &Block) -> f32 {
    match class(b) {
        Class::Bad => -JUNK_WEIGHT * b.chars as f32,
        Class::Heading => 0.0,
        // A short sentence is weak evidence of text, a short label of none.
        Class::Short if b.sentences > 0 && b.link_chars == 0 => b.chars as f32 * 0.5 - 5.0,
        Class::Short if b.link_chars == 0 => b.chars as f32 * 0.1,
        Class::Short => -2.0,
        Class::Good => b.chars as f32 * (1.0 - b.link_density()) - 10.0,
    }
}

/// For every element, the sum of `f` over the blocks inside it.
fn sums(dom: &Dom, blocks: &Blocks, f: impl Fn(&Block) -> f32) -> Vec<f32> {
    let mut score = vec![0f32; dom.len()];
    for b in &blocks.list {
        if b.owner != NONE {
            score[b.owner as usize] += f(b);
        }
    }
    for i in (0..dom.len()).rev() {
        let p = dom.nodes[i].parent;
        if p != NONE {
            score[p as usize] += score[i];
        }
    }
    score
}

/// The element of highest score (the deepest of equals), or [`NONE`].
fn best(dom: &Dom, score: &[f32]) -> u32 {
    let mut best = NONE;
    let mut best_score = f32::MIN;
    for (i, node) in dom.nodes.iter().enumerate() {
        if node.tag != Tag::Text && score[i] >= best_score {
            best_score = score[i];
            best = i as u32;
        }
    }
    best
}

fn render(blocks: &Blocks, kept: &[&Block], headline: &str) -> String {
    let headline = headline.trim();
    let mut out = String::new();
    let mut prev: Option<&Block> = None;
    for b in kept {
        let text = blocks.text_of(b);
        if out.is_empty() && matches!(b.kind, Kind::Heading(_)) && text == headline {
            continue;
        }
        if let Some(p) = prev {
            let sep = if p.row != NONE && p.row == b.row {
                " | "
            } else if (p.list != NONE && p.list == b.list) || b.after_break {
                "\n"
            } else {
                "\n\n"
            };
            out.push_str(sep);
        }
        out.push_str(text);
        prev = Some(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn body_of(html: &str, headline: &str) -> String {
        let doc = Html::parse_document(html);
        extract(&Dom::build(&doc), headline)
    }

    const PROSE: &str = "The council voted on Tuesday to rebuild the harbour wall, which the storm broke in two places.";

    #[test]
    fn article_container_beats_furniture_and_link_lists() {
        let page = format!(
            r#"<body><ul class="menu"><li><a href="/">Home</a></li><li><a href="/w">World</a></li></ul>
<div class="story"><h1>Harbour wall</h1><p>{PROSE}</p><div class="share-bar">Share</div>
<p>{PROSE} Again.</p><p>Work starts in May.</p></div>
<div class="sidebar"><p>{PROSE} Sidebar copy.</p></div>
<ul><li><a href="/a">Other story one</a></li><li><a href="/b">Other story two</a></li></ul></body>"#
        );
        let body = body_of(&page, "Harbour wall");
        assert_eq!(
            body,
            format!("{PROSE}\n\n{PROSE} Again.\n\nWork starts in May.")
        );
    }

    #[test]
    fn headings_lists_quotes_and_tables_inside_stay_in_order() {
        let page = format!(
            r#"<body><article><p>{PROSE}</p><h2>What changes</h2><ul><li>New gates</li><li>A higher wall</li></ul>
<blockquote><p>"We waited long enough for this," the mayor said on the quay.</p></blockquote>
<table><tr><th>Year</th><th>Cost</th></tr><tr><td>2024</td><td>3m</td></tr></table><p>{PROSE} Later.</p></article></body>"#
        );
        let body = body_of(&page, "");
        assert_eq!(
            body,
            format!(
                "{PROSE}\n\nWhat changes\n\nNew gates\nA higher wall\n\n\"We waited long enough for this,\" the mayor said on the quay.\n\nYear | Cost\n\n2024 | 3m\n\n{PROSE} Later."
            )
        );
    }

    #[test]
    fn short_pages_and_script_pages() {
        assert_eq!(body_of("<p>Text.</p>", ""), "Text.");
        assert_eq!(
            body_of("<script>var a = 1;</script><style>p {}</style>", ""),
            ""
        );
        assert_eq!(body_of("", ""), "");
    }

    #[test]
    fn captions_and_calls_to_subscribe_are_left_out() {
        let page = format!(
            r#"<body><article><p>{PROSE}</p><div class="pic"><img src="a.jpg"><span>The wall after the storm. Jane Roe</span></div>
<p>{PROSE} Twice.</p><p>Subscribe to our newsletter for more.</p></article></body>"#
        );
        let body = body_of(&page, "");
        assert_eq!(body, format!("{PROSE}\n\n{PROSE} Twice."));
    }

    #[test]
    fn stated_text_only_when_the_page_shows_little() {
        let long = "word ".repeat(100);
        assert_eq!(prefer_stated("page text".into(), Some(&long)), long.trim());
        assert_eq!(prefer_stated(long.clone(), Some("short")), long);
        assert_eq!(prefer_stated("page text".into(), None), "page text");
        assert_eq!(prefer_stated("page text".into(), Some("  ")), "page text");
    }
}
