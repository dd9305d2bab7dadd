//! Article file formats: which files are articles, and how each format turns
//! decoded text into one or more raw articles (headline, body, metadata).

mod html;
mod json;
mod text;

use std::ops::ControlFlow;
use std::path::Path;

use jiff::civil::Date;

use crate::entity::EntityKind;
use crate::extract::date::DateSource;

/// A file format the indexer reads, named as the index stores it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display, strum::IntoStaticStr, strum::EnumString,
)]
pub enum Format {
    /// Plain text: headline on the first line, or header lines.
    #[strum(to_string = "txt")]
    Text,
    /// Markdown, optionally with YAML (`---`) or TOML (`+++`) front matter.
    #[strum(to_string = "md")]
    Markdown,
    /// An HTML page.
    #[strum(to_string = "html")]
    Html,
    /// One JSON article object, or an array of them.
    #[strum(to_string = "json")]
    Json,
    /// One JSON article object per line.
    #[strum(to_string = "jsonl")]
    JsonLines,
    /// A WARC web archive: one article per captured HTML or text page.
    #[strum(to_string = "warc")]
    Warc,
    /// A page saved as a single MHTML file.
    #[strum(to_string = "mhtml")]
    Mhtml,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 7] = [
        Format::Text,
        Format::Markdown,
        Format::Html,
        Format::Json,
        Format::JsonLines,
        Format::Warc,
        Format::Mhtml,
    ];

    /// The format stored under `name` (the inverse of [`Format::name`]).
    pub fn from_name(name: &str) -> Option<Format> {
        name.parse().ok()
    }

    /// The name stored in the index and shown in statistics.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The format of a file from its extension (a trailing `.gz` is looked
    /// through); `extra` lists further extensions read as plain text.
    /// Returns the format and whether the file is gzip-compressed.
    pub fn of_path(path: &Path, extra: &[String]) -> Option<(Format, bool)> {
        let name = path.file_name()?.to_str()?;
        let lower = name.to_ascii_lowercase();
        let (stem, gzip) = match lower.strip_suffix(".gz") {
            Some(stem) => (stem, true),
            None => (lower.as_str(), false),
        };
        let ext = Path::new(stem).extension()?.to_str()?;
        let format = match ext {
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" | "xhtml" => Format::Html,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::JsonLines,
            "warc" => Format::Warc,
            "mhtml" | "mht" => Format::Mhtml,
            other
                if extra
                    .iter()
                    .any(|e| e.trim_start_matches('.').eq_ignore_ascii_case(other)) =>
            {
                Format::Text
            }
            _ => return None,
        };
        Some((format, gzip))
    }

    /// Whether one file of this format can hold several articles.
    pub fn is_multi(self) -> bool {
        matches!(self, Format::Json | Format::JsonLines | Format::Warc)
    }

    /// Whether files of this format are web archives, read by
    /// [`crate::archive`] from their bytes rather than parsed as text.
    pub fn is_archive(self) -> bool {
        matches!(self, Format::Warc | Format::Mhtml)
    }
}

/// Metadata an article's file states about it, before interpretation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    /// Headline from front matter, header lines or a structured record.
    pub title: Option<String>,
    /// Date as written.
    pub date: Option<String>,
    /// Publisher or outlet.
    pub source: Option<String>,
    /// Authors, each name once, in the order stated.
    pub authors: Vec<String>,
    /// When the article was last changed, as written.
    pub updated: Option<String>,
    /// Section or desk of the publication.
    pub section: Option<String>,
    /// Original URL.
    pub url: Option<String>,
    /// Tags, keywords or categories.
    pub tags: Vec<String>,
    /// Language code, when stated.
    pub lang: Option<String>,
    /// Entities supplied with the article, with their kind when given.
    pub entities: Vec<(String, Option<EntityKind>)>,
    /// Where `date` was read, when the format tells more than "metadata"
    /// (a web page's JSON-LD or meta tags).
    pub date_source: Option<DateSource>,
    /// A date from a weaker source than the file's path (a web page's URL
    /// or a date shown on it): used only when the path has none.
    pub late_date: Option<(Date, DateSource)>,
}

impl Metadata {
    /// Records a `key: value` pair under the canonical name of its key.
    /// Returns false when the key is not one this tool knows.
    pub fn set(&mut self, key: &str, value: &str) -> bool {
        let value = clean_value(value);
        let key = key.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let slot = match key.as_str() {
            "title" | "headline" => &mut self.title,
            "date" | "published" | "published_at" | "pubdate" | "publication_date"
            | "date_published" | "datepublished" | "created" | "created_at" => &mut self.date,
            "source" | "publisher" | "outlet" | "publication" | "site" => &mut self.source,
            "author" | "authors" | "by" | "byline" | "creator" => {
                self.add_author(&value);
                return true;
            }
            "updated" | "updated_at" | "modified" | "modified_at" | "date_modified"
            | "datemodified" | "last_modified" => &mut self.updated,
            "section" | "articlesection" | "desk" => &mut self.section,
            "url" | "link" | "canonical" | "permalink" => &mut self.url,
            "lang" | "language" => &mut self.lang,
            "tags" | "keywords" | "categories" | "category" => {
                self.tags.extend(split_list(&value));
                return true;
            }
            _ => return false,
        };
        if slot.is_none() && !value.is_empty() {
            *slot = Some(value);
        }
        true
    }

    /// Adds an author's name, unless blank or already listed (case ignored).
    pub fn add_author(&mut self, name: &str) {
        let name = clean_value(name);
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if !name.is_empty() && !self.authors.iter().any(|a| a.eq_ignore_ascii_case(&name)) {
            self.authors.push(name);
        }
    }
}

/// Strips surrounding quotes and whitespace from a metadata value.
fn clean_value(value: &str) -> String {
    let v = value.trim();
    let v = v
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(v);
    v.trim().to_string()
}

/// Splits a list value written `[a, b]` or `a, b` into its items.
fn split_list(value: &str) -> Vec<String> {
    let v = value.trim();
    let v = v
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .unwrap_or(v);
    v.split(',')
        .map(clean_value)
        .filter(|s| !s.is_empty())
        .collect()
}

/// One article as a format parser found it, before extraction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawArticle {
    /// Position of the article in a multi-article file (1-based record or
    /// line number); `None` for a file that is one article.
    pub part: Option<usize>,
    /// Headline, possibly empty when the file had none.
    pub headline: String,
    /// Body text as written.
    pub body: String,
    /// What the file said about the article.
    pub meta: Metadata,
}

/// One record of a file: an article, or the one-line reason it is unusable.
pub type Record = Result<RawArticle, String>;

/// Parses decoded text of the given format into records.
///
/// The outer error is a one-line reason the whole file is unusable (the
/// caller adds the path): a JSON document that does not parse. A bad line of
/// a JSON Lines file only spoils its own record.
pub fn parse(format: Format, text: &str) -> Result<Vec<Record>, String> {
    let mut records = Vec::new();
    each_record(format, text, &mut |record| {
        records.push(record);
        ControlFlow::Continue(())
    })?;
    Ok(records)
}

/// Parses decoded text of the given format, handing each record to `sink`
/// as soon as it is read, so that a file of many records is never held
/// parsed all at once; `sink` may stop the parse by breaking.
///
/// The error is as [`parse`]'s. Only a JSON document can fail as a whole,
/// and it may do so after records were handed over (a truncated array):
/// [`check`] tells beforehand, with the same parser.
pub fn each_record(
    format: Format,
    text: &str,
    sink: &mut dyn FnMut(Record) -> ControlFlow<()>,
) -> Result<(), String> {
    match format {
        Format::Text | Format::Markdown => {
            let _ = sink(Ok(text::parse(text)));
            Ok(())
        }
        Format::Html => {
            let _ = sink(Ok(html::parse(text)));
            Ok(())
        }
        Format::Json => json::each_in_document(text, sink),
        Format::JsonLines => {
            json::each_line(text, sink);
            Ok(())
        }
        Format::Warc | Format::Mhtml => Err("a web archive is read from its bytes".into()),
    }
}

/// Whether [`each_record`] will go through the whole text without failing.
pub fn check(format: Format, text: &str) -> Result<(), String> {
    match format {
        Format::Json => json::each_in_document(text, &mut |_| ControlFlow::Continue(())),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_read_back() {
        for format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        assert_eq!(Format::from_name("pdf"), None);
    }

    #[test]
    fn formats_by_extension() {
        let of = |p: &str| Format::of_path(Path::new(p), &["log".to_string()]);
        assert_eq!(of("a/b.txt"), Some((Format::Text, false)));
        assert_eq!(of("a/b.MD"), Some((Format::Markdown, false)));
        assert_eq!(of("a/b.markdown.gz"), Some((Format::Markdown, true)));
        assert_eq!(of("b.htm"), Some((Format::Html, false)));
        assert_eq!(of("b.ndjson"), Some((Format::JsonLines, false)));
        assert_eq!(of("b.log"), Some((Format::Text, false)));
        assert_eq!(of("b.pdf"), None);
        assert_eq!(of("README"), None);
        assert_eq!(of("b.gz"), None);
        assert_eq!(of("crawl.warc.gz"), Some((Format::Warc, true)));
        assert_eq!(of("crawl.WARC"), Some((Format::Warc, false)));
        assert_eq!(of("page.mht"), Some((Format::Mhtml, false)));
        assert_eq!(of("page.mhtml"), Some((Format::Mhtml, false)));
    }

    #[test]
    fn metadata_keys_and_lists() {
        let mut m = Metadata::default();
        assert!(m.set("Title", " \"A headline\" "));
        assert!(m.set("published_at", "2021-03-05"));
        assert!(m.set("tags", "[security, 'mexico']"));
        assert!(m.set("keywords", "dea"));
        assert!(m.set("author", "Ana López"));
        assert!(m.set("authors", "Jo  Park"));
        assert!(m.set("by", "ana lópez"));
        assert!(m.set("date_modified", "2021-03-06"));
        assert!(m.set("section", "World"));
        assert!(!m.set("weather", "sunny"));
        assert_eq!(m.title.as_deref(), Some("A headline"));
        assert_eq!(m.date.as_deref(), Some("2021-03-05"));
        assert_eq!(m.tags, vec!["security", "mexico", "dea"]);
        assert_eq!(m.authors, vec!["Ana López", "Jo Park"]);
        assert_eq!(m.updated.as_deref(), Some("2021-03-06"));
        assert_eq!(m.section.as_deref(), Some("World"));
    }
}
