//! Plain text and Markdown articles: front matter (YAML `---` or TOML `+++`),
//! header lines (`Title:`, `Date:`...), then the headline on the first
//! non-empty line and the body after it.

use super::{Metadata, RawArticle};

/// Longest first line taken whole as a headline, in characters. Longer first
/// lines are paragraphs of an article without a headline line.
const MAX_HEADLINE_CHARS: usize = 250;

/// Parses a text or Markdown article.
pub fn parse(text: &str) -> RawArticle {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut meta = Metadata::default();
    let rest = front_matter(text, &mut meta)
        .or_else(|| header_lines(text, &mut meta))
        .unwrap_or(text);
    let (headline, body) = match meta.title.clone() {
        Some(title) => (title.clone(), drop_repeated_title(rest, &title)),
        None => split_headline(rest),
    };
    RawArticle {
        part: None,
        headline,
        body: body.trim_start_matches(['\n', '\r']).trim_end().to_string(),
        meta,
    }
}

/// Reads a front-matter block at the very top. Returns the text after it.
fn front_matter<'a>(text: &'a str, meta: &mut Metadata) -> Option<&'a str> {
    let trimmed = text.trim_start_matches(['\n', '\r']);
    let fence = if trimmed.starts_with("---") {
        "---"
    } else if trimmed.starts_with("+++") {
        "+++"
    } else {
        return None;
    };
    let first_line_end = trimmed.find('\n')?;
    if trimmed[..first_line_end].trim() != fence {
        return None;
    }
    let inner_start = first_line_end + 1;
    let mut offset = inner_start;
    for line in trimmed[inner_start..].split_inclusive('\n') {
        if line.trim() == fence {
            let block = &trimmed[inner_start..offset];
            if fence == "+++" {
                toml_block(block, meta);
            } else {
                yaml_block(block, meta);
            }
            return Some(&trimmed[offset + line.len()..]);
        }
        offset += line.len();
    }
    None
}

/// The `key: value` subset of YAML that front matter uses, with `- item` lists.
fn yaml_block(block: &str, meta: &mut Metadata) {
    let mut list_key: Option<String> = None;
    for line in block.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(item) = trimmed.strip_prefix("- ")
            && let Some(key) = &list_key
        {
            meta.set(key, item);
            continue;
        }
        if let Some((key, value)) = trimmed.split_once(':') {
            if value.trim().is_empty() {
                list_key = Some(key.to_string());
            } else {
                list_key = None;
                meta.set(key, value);
            }
        }
    }
}

/// TOML front matter, read with a real TOML parser; a block that does not
/// parse falls back to `key = value` lines.
fn toml_block(block: &str, meta: &mut Metadata) {
    match block.parse::<toml::Table>() {
        Ok(table) => {
            for (key, value) in &table {
                match value {
                    toml::Value::Array(items) => {
                        let joined = items
                            .iter()
                            .map(|v| match v {
                                toml::Value::String(s) => s.clone(),
                                other => other.to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join(",");
                        meta.set(key, &format!("[{joined}]"));
                    }
                    toml::Value::String(s) => {
                        meta.set(key, s);
                    }
                    toml::Value::Table(_) => {}
                    other => {
                        meta.set(key, &other.to_string());
                    }
                }
            }
        }
        Err(_) => {
            for line in block.lines() {
                if let Some((key, value)) = line.split_once('=') {
                    meta.set(key, value);
                }
            }
        }
    }
}

/// Reads `Title:` / `Date:` style lines at the top of a text file. They count
/// only when every line up to the first blank line is a known header.
fn header_lines<'a>(text: &'a str, meta: &mut Metadata) -> Option<&'a str> {
    let trimmed = text.trim_start_matches(['\n', '\r']);
    let mut probe = Metadata::default();
    let mut offset = 0;
    let mut count = 0;
    for line in trimmed.split_inclusive('\n') {
        if line.trim().is_empty() {
            break;
        }
        let (key, value) = line.split_once(':')?;
        if key.trim().is_empty()
            || key.len() > 20
            || key
                .chars()
                .any(|c| !(c.is_alphabetic() || c == ' ' || c == '-' || c == '_'))
            || value.trim().is_empty()
            || !probe.set(key, value)
        {
            return None;
        }
        offset += line.len();
        count += 1;
    }
    if count == 0 || (probe.title.is_none() && probe.date.is_none()) {
        return None;
    }
    *meta = probe;
    Some(&trimmed[offset..])
}

/// Splits the headline (first non-empty line, Markdown heading marks removed)
/// from the body.
fn split_headline(text: &str) -> (String, &str) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            offset += line.len();
            continue;
        }
        let headline = clean_heading(line);
        if headline.chars().count() > MAX_HEADLINE_CHARS {
            // A paragraph, not a headline: keep it in the body and title the
            // article with its opening words.
            return (opening_words(&headline), &text[offset..]);
        }
        return (headline, &text[offset + line.len()..]);
    }
    (String::new(), "")
}

/// The first sentence of a paragraph, or its first words, as a headline.
fn opening_words(paragraph: &str) -> String {
    let mut end = 0;
    for (i, c) in paragraph.char_indices() {
        if i > MAX_HEADLINE_CHARS {
            break;
        }
        if matches!(c, '.' | '!' | '?') && i > 20 {
            return paragraph[..i + c.len_utf8()].to_string();
        }
        if c.is_whitespace() {
            end = i;
        }
    }
    format!("{}…", paragraph[..end].trim_end())
}

fn clean_heading(line: &str) -> String {
    line.trim()
        .trim_start_matches('#')
        .trim_end_matches('#')
        .trim()
        .to_string()
}

/// Drops a Markdown heading that repeats the front-matter title.
fn drop_repeated_title<'a>(body: &'a str, title: &str) -> &'a str {
    let trimmed = body.trim_start_matches(['\n', '\r']);
    let line_end = trimmed.find('\n').unwrap_or(trimmed.len());
    let first = &trimmed[..line_end];
    if first.trim_start().starts_with('#')
        && clean_heading(first).eq_ignore_ascii_case(title.trim())
    {
        &trimmed[line_end..]
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_is_the_headline() {
        let a = parse("\n\nMexico and US meet\n\nOfficials met.\nThey agreed.\n");
        assert_eq!(a.headline, "Mexico and US meet");
        assert_eq!(a.body, "Officials met.\nThey agreed.");
        assert_eq!(a.meta, Metadata::default());
    }

    #[test]
    fn markdown_heading_marks_are_stripped() {
        let a = parse("# Mexico and US meet #\n\nBody.");
        assert_eq!(a.headline, "Mexico and US meet");
        assert_eq!(a.body, "Body.");
    }

    #[test]
    fn yaml_front_matter() {
        let a = parse(
            "---\ntitle: \"Security talks\"\ndate: 2021-10-08\nsource: Meridian Wire\nauthor: Ana López\ntags:\n  - security\n  - mexico\n---\n# Security talks\n\nBody text.\n",
        );
        assert_eq!(a.headline, "Security talks");
        assert_eq!(a.body, "Body text.");
        assert_eq!(a.meta.date.as_deref(), Some("2021-10-08"));
        assert_eq!(a.meta.source.as_deref(), Some("Meridian Wire"));
        assert_eq!(a.meta.authors, vec!["Ana López"]);
        assert_eq!(a.meta.tags, vec!["security", "mexico"]);
    }

    #[test]
    fn toml_front_matter() {
        let a = parse(
            "+++\ntitle = \"Rates rise\"\ndate = 2022-07-14\ntags = [\"economy\", \"rates\"]\n+++\nThe bank raised rates.\n",
        );
        assert_eq!(a.headline, "Rates rise");
        assert_eq!(a.meta.date.as_deref(), Some("2022-07-14"));
        assert_eq!(a.meta.tags, vec!["economy", "rates"]);
        assert_eq!(a.body, "The bank raised rates.");
    }

    #[test]
    fn front_matter_without_title_uses_first_line() {
        let a = parse("---\ndate: 2020-01-02\n---\n\nFloods hit the coast\n\nBody.");
        assert_eq!(a.headline, "Floods hit the coast");
        assert_eq!(a.meta.date.as_deref(), Some("2020-01-02"));
        assert_eq!(a.body, "Body.");
    }

    #[test]
    fn unclosed_front_matter_is_text() {
        let a = parse("---\ntitle: x\nno closing fence\n");
        assert_eq!(a.headline, "---");
    }

    #[test]
    fn header_lines() {
        let a = parse(
            "Title: Council approves budget\nDate: 2019-06-12\nSource: Coastal Times\n\nThe council voted.\n",
        );
        assert_eq!(a.headline, "Council approves budget");
        assert_eq!(a.meta.date.as_deref(), Some("2019-06-12"));
        assert_eq!(a.meta.source.as_deref(), Some("Coastal Times"));
        assert_eq!(a.body, "The council voted.");
    }

    #[test]
    fn a_colon_in_a_headline_is_not_a_header() {
        let a = parse("Breaking: fire in the port\n\nBody.");
        assert_eq!(a.headline, "Breaking: fire in the port");
        let b = parse("Title: x\nThis line is prose, not a header.\n\nBody.");
        assert_eq!(b.headline, "Title: x");
    }

    #[test]
    fn a_long_first_paragraph_stays_in_the_body() {
        let para = format!(
            "All ten victims died of smoke, an inquest heard. {}",
            "More words here. ".repeat(20)
        );
        let a = parse(&para);
        assert_eq!(
            a.headline,
            "All ten victims died of smoke, an inquest heard."
        );
        assert_eq!(a.body, para.trim());
    }

    #[test]
    fn empty_text() {
        let a = parse("\n\n");
        assert_eq!(a.headline, "");
        assert_eq!(a.body, "");
    }
}
