//! Text for people: ranked hits with headline, date, source, path, the main
//! entities and a highlighted passage; article views; run summaries.
//!
//! Everything that came from a file passes through [`clean`] first, so an
//! article cannot send escape sequences to the terminal.

use std::io::Write;

use crate::article::Article;
use crate::entity::Entity;
use crate::error::{Error, Result};
use crate::facet::Facets;
use crate::indexer::IndexSummary;
use crate::related::{Named, Pairs, Related};
use crate::search::{Hit, SearchResults};
use crate::snippet::Snippet;
use crate::stats::Stats;
use crate::timeline::{Period, Timeline};

/// Entities shown per hit.
const ENTITIES_SHOWN: usize = 5;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const HIGHLIGHT: &str = "\x1b[1;33m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// Styles text when colour is on.
struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// Whether a character can change how a terminal shows the text around it:
/// C0 and C1 controls (escape sequences included) and the bidirectional
/// controls that reorder text (a right-to-left override can make a line
/// read as something it is not).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Removes unsafe characters ([`is_unsafe`]) from text read from files;
/// line breaks and tabs become spaces.
pub fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            if c == '\n' || c == '\t' || c == '\r' {
                Some(' ')
            } else if is_unsafe(c) {
                None
            } else {
                Some(c)
            }
        })
        .collect()
}

fn w(out: &mut impl Write, line: std::fmt::Arguments) -> Result<()> {
    out.write_fmt(line).map_err(Error::Output)
}

/// Writes search results for people.
pub fn write_results(
    out: &mut impl Write,
    results: &SearchResults,
    offset: usize,
    color: bool,
) -> Result<()> {
    let style = Style { color };
    if let Some(suggestion) = &results.suggestion {
        let n = suggestion.total;
        w(
            out,
            format_args!(
                "Did you mean: {}  ({n} {})\n",
                style.paint(BOLD, &clean(&suggestion.query)),
                if n == 1 { "article" } else { "articles" }
            ),
        )?;
    }
    if results.relaxed {
        w(
            out,
            format_args!(
                "{}\n",
                style.paint(
                    DIM,
                    "note: no article has every term; showing articles with any of them"
                )
            ),
        )?;
    }
    if results.hits.is_empty() {
        let text = if results.total == 0 {
            "no articles match".to_string()
        } else {
            format!("{} articles match; this page is empty", results.total)
        };
        w(out, format_args!("{text}\n"))?;
    } else {
        let last = offset + results.hits.len();
        w(
            out,
            format_args!(
                "{}\n",
                style.paint(
                    DIM,
                    &format!("{}-{} of {} articles", offset + 1, last, results.total)
                )
            ),
        )?;
    }
    for (i, hit) in results.hits.iter().enumerate() {
        w(out, format_args!("\n"))?;
        write_hit(out, hit, offset + i + 1, &style)?;
    }
    if let Some(facets) = &results.facets {
        write_facets(out, facets, &style)?;
    }
    Ok(())
}

fn write_hit(out: &mut impl Write, hit: &Hit, rank: usize, style: &Style) -> Result<()> {
    let headline = if hit.headline.is_empty() {
        "(no headline)".to_string()
    } else {
        clean(&hit.headline)
    };
    w(
        out,
        format_args!("{rank:>3}. {}\n", style.paint(BOLD, &headline)),
    )?;
    let mut meta = vec![hit.date.map_or("undated".to_string(), |d| d.to_string())];
    if let Some(source) = &hit.source {
        meta.push(clean(source));
    }
    meta.push(clean(&hit.id));
    w(
        out,
        format_args!("     {}\n", style.paint(DIM, &meta.join(" · "))),
    )?;
    if !hit.entities.is_empty() {
        w(
            out,
            format_args!("     {}\n", entity_line(&hit.entities, style)),
        )?;
    }
    if !hit.snippet.text.is_empty() {
        w(
            out,
            format_args!("     {}\n", highlighted(&hit.snippet, style)),
        )?;
    }
    if !hit.duplicates.is_empty() {
        let n = hit.duplicates.len();
        let copies = if n == 1 { "copy" } else { "copies" };
        w(
            out,
            format_args!(
                "     {}\n",
                style.paint(DIM, &format!("+{n} similar {copies}"))
            ),
        )?;
    }
    Ok(())
}

fn entity_line(entities: &[Entity], style: &Style) -> String {
    let mut shown: Vec<String> = entities
        .iter()
        .take(ENTITIES_SHOWN)
        .map(|e| {
            // An acronym alias ("DEA") is how many readers know the name.
            let acronym = e
                .aliases
                .iter()
                .find(|a| a.len() <= 6 && a.chars().all(|c| c.is_ascii_uppercase() || c == '.'));
            let name = match acronym {
                Some(a) if e.name.chars().any(char::is_lowercase) => format!("{}/{a}", e.name),
                _ => e.name.clone(),
            };
            format!(
                "{} {}",
                style.paint(CYAN, &clean(&name)),
                style.paint(DIM, &format!("({})", e.kind.name()))
            )
        })
        .collect();
    if entities.len() > ENTITIES_SHOWN {
        shown.push(style.paint(DIM, &format!("+{} more", entities.len() - ENTITIES_SHOWN)));
    }
    shown.join(", ")
}

fn highlighted(snippet: &Snippet, style: &Style) -> String {
    let text = &snippet.text;
    let mut out = String::new();
    let mut at = 0;
    for &(from, to) in &snippet.highlights {
        if from < at
            || to > text.len()
            || !text.is_char_boundary(from)
            || !text.is_char_boundary(to)
        {
            continue;
        }
        out.push_str(&clean(&text[at..from]));
        let word = clean(&text[from..to]);
        if style.color {
            out.push_str(&style.paint(HIGHLIGHT, &word));
        } else {
            out.push('[');
            out.push_str(&word);
            out.push(']');
        }
        at = to;
    }
    out.push_str(&clean(&text[at..]));
    out
}

fn write_facets(out: &mut impl Write, facets: &Facets, style: &Style) -> Result<()> {
    w(out, format_args!("\n{}\n", style.paint(BOLD, "Facets")))?;
    for (name, list) in [
        ("people", &facets.person),
        ("organisations", &facets.org),
        ("places", &facets.place),
        ("dates", &facets.date),
    ] {
        if list.is_empty() {
            continue;
        }
        let items: Vec<String> = list
            .iter()
            .map(|(v, n)| format!("{} ({n})", clean(v)))
            .collect();
        w(
            out,
            format_args!("  {:<14} {}\n", style.paint(DIM, name), items.join(", ")),
        )?;
    }
    Ok(())
}

/// Writes one stored article with its metadata.
pub fn write_article(out: &mut impl Write, article: &Article, color: bool) -> Result<()> {
    let style = Style { color };
    w(
        out,
        format_args!("{}\n", style.paint(BOLD, &clean(&article.headline))),
    )?;
    let date = match (article.date, article.date_source) {
        (Some(d), Some(s)) => format!("{d} (from {})", s.name()),
        (Some(d), None) => d.to_string(),
        _ => "undated".to_string(),
    };
    let mut rows = vec![("id", clean(&article.id)), ("date", date)];
    if let Some(updated) = article.updated {
        rows.push(("updated", updated.to_string()));
    }
    let authors = (!article.authors.is_empty()).then(|| article.authors.join(", "));
    for (name, value) in [
        ("source", &article.source),
        ("author", &authors),
        ("section", &article.section),
        ("url", &article.url),
    ] {
        if let Some(v) = value {
            rows.push((name, clean(v)));
        }
    }
    if let Some(crawled) = article.crawled {
        rows.push(("crawled", crawled.to_string()));
    }
    if !article.tags.is_empty() {
        rows.push(("tags", clean(&article.tags.join(", "))));
    }
    rows.push(("language", article.lang.code().to_string()));
    rows.push(("format", article.format.name().to_string()));
    for (name, value) in rows {
        w(
            out,
            format_args!("{} {value}\n", style.paint(DIM, &format!("{name:>9}:"))),
        )?;
    }
    if !article.entities.is_empty() {
        for kind in crate::entity::EntityKind::ALL {
            let names: Vec<String> = article
                .entities
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| clean(&e.name))
                .collect();
            if !names.is_empty() {
                w(
                    out,
                    format_args!(
                        "{} {}\n",
                        style.paint(DIM, &format!("{:>9}:", kind.name())),
                        names.join(", ")
                    ),
                )?;
            }
        }
    }
    w(out, format_args!("\n"))?;
    for line in article.body.lines() {
        let line: String = line
            .chars()
            .filter(|c| !is_unsafe(*c) || *c == '\t')
            .collect();
        w(out, format_args!("{line}\n"))?;
    }
    Ok(())
}

/// Writes index statistics.
pub fn write_stats(out: &mut impl Write, stats: &Stats) -> Result<()> {
    let range = stats
        .date_range
        .as_ref()
        .map_or("none".to_string(), |(a, b)| format!("{a} to {b}"));
    let list = |pairs: &[(String, u64)]| {
        pairs
            .iter()
            .map(|(k, n)| format!("{} ({n})", clean(k)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let map = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter()
            .map(|(k, n)| format!("{} ({n})", clean(k)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let size = format!("{:.1} MB", stats.index_bytes as f64 / 1e6);
    let mut rows = vec![
        (
            "articles",
            format!("{} ({} undated)", stats.articles, stats.undated),
        ),
        ("dates", range),
        ("index", format!("{} ({size})", clean(&stats.index_dir))),
        (
            "updated",
            stats.last_update.clone().unwrap_or_else(|| "never".into()),
        ),
    ];
    rows.extend(stats.roots.iter().map(|r| ("root", clean(r))));
    rows.push(("formats", map(&stats.formats)));
    rows.push(("languages", map(&stats.languages)));
    if !stats.sources.is_empty() {
        rows.push(("sources", list(&stats.sources)));
    }
    for (kind, entities) in &stats.top_entities {
        if !entities.is_empty() {
            rows.push((kind.as_str(), list(entities)));
        }
    }
    for (name, value) in rows {
        w(out, format_args!("{name:<10} {value}\n"))?;
    }
    w(out, format_args!("folders\n"))?;
    for (folder, n) in &stats.folders {
        w(out, format_args!("  {n:>8}  {}\n", clean(folder)))?;
    }
    Ok(())
}

/// Writes the summary of an indexing run.
pub fn write_summary(out: &mut impl Write, summary: &IndexSummary) -> Result<()> {
    let mut parts = vec![format!("{} indexed", summary.indexed)];
    for (n, label) in [
        (summary.updated, "updated"),
        (summary.deleted, "deleted"),
        (summary.moved, "moved"),
        (summary.unchanged, "unchanged"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {label}"));
        }
    }
    let skipped: usize = summary.skipped.values().sum();
    if skipped > 0 {
        let reasons: Vec<String> = summary
            .skipped
            .iter()
            .map(|(reason, n)| format!("{n} {reason}"))
            .collect();
        parts.push(format!("{skipped} skipped ({})", reasons.join(", ")));
    }
    w(
        out,
        format_args!(
            "{} in {:.2}s; {} articles in the index\n",
            parts.join(", "),
            summary.seconds,
            summary.articles
        ),
    )
}

/// Narrowest bar area of a chart, whatever the terminal's width.
const MIN_BAR_COLUMNS: usize = 10;
/// Partial blocks of a bar's last column, in eighths.
const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/// A period's label: as long as its period needs.
fn period_label(start: jiff::civil::Date, by: Period) -> String {
    match by {
        Period::Day | Period::Week => start.to_string(),
        Period::Month => format!("{:04}-{:02}", start.year(), start.month()),
        Period::Year => format!("{:04}", start.year()),
    }
}

/// A bar of `value` out of `max` over `columns` columns: block characters
/// to the eighth in colour, `#` to the column when plain.
fn bar(value: u64, max: u64, columns: usize, style: &Style) -> String {
    if max == 0 || value == 0 {
        return String::new();
    }
    let eighths = (value as u128 * columns as u128 * 8).div_ceil(max as u128) as usize;
    if !style.color {
        return "#".repeat(eighths.div_ceil(8));
    }
    let mut text = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        text.push(EIGHTHS[eighths % 8]);
    }
    style.paint(CYAN, &text)
}

/// Writes a timeline as a bar chart `width` columns wide: one line per
/// period, its label, its bar and its count.
pub fn write_timeline(
    out: &mut impl Write,
    timeline: &Timeline,
    width: usize,
    color: bool,
) -> Result<()> {
    let style = Style { color };
    let articles = |n: u64| if n == 1 { "article" } else { "articles" };
    let query = if timeline.query.trim().is_empty() || timeline.query == crate::query::EVERYTHING {
        String::new()
    } else {
        format!(" \"{}\"", clean(&timeline.query))
    };
    w(
        out,
        format_args!(
            "{}\n",
            style.paint(
                DIM,
                &format!(
                    "{} {} match{query}, by {}; {} undated",
                    timeline.total,
                    articles(timeline.total as u64),
                    timeline.by.name(),
                    timeline.undated
                )
            )
        ),
    )?;
    let max = timeline.buckets.iter().map(|b| b.count).max().unwrap_or(0);
    let count_width = max.to_string().len();
    let label_width = timeline
        .buckets
        .first()
        .map_or(0, |b| period_label(b.start, timeline.by).len());
    let columns = width
        .saturating_sub(label_width + count_width + 3)
        .max(MIN_BAR_COLUMNS);
    for bucket in &timeline.buckets {
        let label = period_label(bucket.start, timeline.by);
        let drawn = bar(bucket.count, max, columns, &style);
        let drawn_width = if bucket.count == 0 || max == 0 {
            0
        } else {
            (bucket.count as u128 * columns as u128 * 8)
                .div_ceil(max as u128)
                .div_ceil(8) as usize
        };
        let pad = " ".repeat(columns - drawn_width.min(columns));
        w(
            out,
            format_args!(
                "{label:<label_width$} {drawn}{pad} {:>count_width$}\n",
                bucket.count
            ),
        )?;
    }
    Ok(())
}

/// An entity as `Name (kind)`.
fn named(entity: &Named) -> String {
    format!("{} ({})", clean(&entity.text), entity.kind.name())
}

/// Writes the entities tied to one, strongest first, with their scores.
pub fn write_related(out: &mut impl Write, related: &Related, color: bool) -> Result<()> {
    let style = Style { color };
    let n = related.articles;
    w(
        out,
        format_args!(
            "{} {}\n",
            style.paint(BOLD, &named(&related.entity)),
            style.paint(
                DIM,
                &format!("in {n} {}", if n == 1 { "article" } else { "articles" })
            )
        ),
    )?;
    if related.related.is_empty() {
        return w(out, format_args!("no other entity appears with it\n"));
    }
    w(
        out,
        format_args!("{}\n", style.paint(DIM, "    score  articles  entity")),
    )?;
    for tie in &related.related {
        w(
            out,
            format_args!(
                "{:>9.1}  {:>8}  {}\n",
                tie.score,
                tie.count,
                named(&tie.entity)
            ),
        )?;
    }
    Ok(())
}

/// Writes the pairs of entities most strongly tied in a result set.
pub fn write_pairs(out: &mut impl Write, pairs: &Pairs, color: bool) -> Result<()> {
    let style = Style { color };
    let n = pairs.articles;
    w(
        out,
        format_args!(
            "{}\n",
            style.paint(
                DIM,
                &format!("{n} {} match", if n == 1 { "article" } else { "articles" })
            )
        ),
    )?;
    if pairs.pairs.is_empty() {
        return w(out, format_args!("no two entities appear together twice\n"));
    }
    w(
        out,
        format_args!("{}\n", style.paint(DIM, "    score  articles  pair")),
    )?;
    for pair in &pairs.pairs {
        w(
            out,
            format_args!(
                "{:>9.1}  {:>8}  {} + {}\n",
                pair.score,
                pair.count,
                named(&pair.a),
                named(&pair.b)
            ),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_strips_escapes() {
        assert_eq!(clean("a\u{1b}[31mb\nc\u{7}"), "a[31mb c");
    }

    #[test]
    fn clean_strips_c1_and_bidi_controls() {
        assert_eq!(clean("a\u{9b}31mb\u{85}c\u{9d}0;x\u{9c}"), "a31mbc0;x");
        assert_eq!(
            clean("invoice\u{202E}fdp.exe\u{202C} \u{2066}x\u{2069}\u{200F}\u{200E}\u{61C}"),
            "invoicefdp.exe x"
        );
        // Letters of right-to-left scripts stay.
        assert_eq!(
            clean("\u{5E9}\u{5DC}\u{5D5}\u{5DD} \u{633}\u{644}\u{627}\u{645}"),
            "\u{5E9}\u{5DC}\u{5D5}\u{5DD} \u{633}\u{644}\u{627}\u{645}"
        );
    }

    #[test]
    fn highlights_without_colour_use_brackets() {
        let s = Snippet {
            text: "the DEA and Ebrard".into(),
            highlights: vec![(4, 7), (12, 18)],
        };
        assert_eq!(
            highlighted(&s, &Style { color: false }),
            "the [DEA] and [Ebrard]"
        );
        assert_eq!(
            highlighted(&s, &Style { color: true }),
            format!("the {HIGHLIGHT}DEA{RESET} and {HIGHLIGHT}Ebrard{RESET}")
        );
    }
}
