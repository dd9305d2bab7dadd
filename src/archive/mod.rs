//! Web archives: WARC crawls and MHTML saved pages, turned into the pages
//! they hold. In a WARC file every `response` record whose payload is HTML
//! or text is an article; other records (requests, metadata, revisits,
//! warcinfo) and other payloads (images, scripts) are counted as skipped.
//! An MHTML file is one article, its `text/html` part.
//!
//! This module owns what is particular to archives (record types, HTTP
//! heads and codings, charsets named by the server); the page itself is
//! read by the HTML format like any other page.

pub mod http;
pub mod mhtml;
pub mod warc;

use crate::compression::Limits;
use crate::corpus::SkipReason;
use crate::format::{self, Format, RawArticle};

/// A page found in an archive, before extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The page as its format parser read it.
    pub raw: RawArticle,
    /// HTML or plain text.
    pub format: Format,
    /// The address the page was captured from.
    pub url: Option<String>,
    /// When it was captured, as the archive wrote it.
    pub captured: Option<String>,
}

/// Why a record is not an article, with a detail for the report.
pub type NotAPage = (SkipReason, String);

/// Media types read as pages.
fn page_format(media_type: &str) -> Option<Format> {
    match media_type {
        "text/html" | "application/xhtml+xml" => Some(Format::Html),
        "text/plain" => Some(Format::Text),
        _ => None,
    }
}

/// The page of a WARC record, or why it has none. `max_size` caps the
/// decoded payload, as the largest file read caps a file.
pub fn record_page(record: &warc::Record, limits: Limits, max_size: u64) -> Result<Page, NotAPage> {
    let header = &record.header;
    if header.kind != "response" {
        let kind = if header.kind.is_empty() {
            "untyped"
        } else {
            &header.kind
        };
        return Err((SkipReason::OtherRecord, format!("{kind} record")));
    }
    let block_type = header.content_type.as_deref().map(http::media_type);
    if block_type
        .as_deref()
        .is_some_and(|t| t != "application/http")
    {
        // A response record of another protocol (dns, ftp...).
        return Err((
            SkipReason::OtherRecord,
            format!("response record of {}", block_type.unwrap_or_default()),
        ));
    }
    let limits = Limits {
        max_output: limits.max_output.min(max_size),
        ..limits
    };
    let response = match http::parse(&record.block, limits) {
        Ok(response) => response,
        Err(http::HttpError::TooLarge(n)) => {
            return Err((SkipReason::TooLarge, format!("payload more than {n} bytes")));
        }
        Err(e) => return Err((SkipReason::BadRecord, e.to_string())),
    };
    if !(200..300).contains(&response.status) {
        return Err((SkipReason::HttpStatus, format!("HTTP {}", response.status)));
    }
    let media = response.content_type.as_deref().map(http::media_type);
    let format = match media.as_deref() {
        Some(media) => page_format(media),
        None => sniff(&response.body),
    };
    let Some(format) = format else {
        return Err((
            SkipReason::NotText,
            media.unwrap_or_else(|| "no content type".into()),
        ));
    };
    if record.cut || response.body.len() as u64 > max_size {
        return Err((
            SkipReason::TooLarge,
            format!("payload more than {max_size} bytes"),
        ));
    }
    let charset = response.content_type.as_deref().and_then(http::charset);
    let text = decode_text(response.body, charset, format == Format::Html)
        .map_err(|reason| (SkipReason::Binary, reason))?;
    Ok(Page {
        raw: parse_page(format, &text),
        format,
        url: header.target_uri.clone(),
        captured: header.date.clone(),
    })
}

/// The page of an MHTML file, or why it has none.
pub fn mhtml_page(bytes: &[u8]) -> Result<Page, NotAPage> {
    let page = mhtml::parse(bytes).map_err(|reason| (SkipReason::BadRecord, reason))?;
    let text = decode_text(page.html, page.charset.as_deref(), true)
        .map_err(|reason| (SkipReason::Binary, reason))?;
    Ok(Page {
        raw: parse_page(Format::Html, &text),
        format: Format::Html,
        url: page.url,
        captured: page.saved,
    })
}

fn parse_page(format: Format, text: &str) -> RawArticle {
    format::parse(format, text)
        .ok()
        .and_then(|records| records.into_iter().next())
        .and_then(Result::ok)
        .unwrap_or_default()
}

/// A payload without a content type is a page if it starts like one.
fn sniff(body: &[u8]) -> Option<Format> {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let head = &body[start..body.len().min(start + 64)];
    let lower = head.to_ascii_lowercase();
    (lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html")).then_some(Format::Html)
}

/// How far into a page its `<meta charset>` may sit.
const META_CHARSET_BYTES: usize = 4096;

/// Decodes a payload: a byte-order mark first, then the charset the server
/// named, then the one the page names, then detection. A page labelled with
/// a legacy charset that is valid UTF-8 with non-ASCII text is UTF-8 (a
/// common mislabel); one labelled UTF-8 that is not is detected instead.
pub fn decode_text(bytes: Vec<u8>, label: Option<&str>, html: bool) -> Result<String, String> {
    let named = label
        .map(str::to_string)
        .or_else(|| html.then(|| meta_charset(&bytes)).flatten())
        .and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()));
    if encoding_rs::Encoding::for_bom(&bytes).is_none()
        && let Some(encoding) = named
        && encoding != encoding_rs::UTF_8
        && !(encoding.is_single_byte() && std::str::from_utf8(&bytes).is_ok() && !bytes.is_ascii())
        && !bytes[..bytes.len().min(8000)].contains(&0)
    {
        let (text, _, _) = encoding.decode(&bytes);
        return Ok(text.into_owned());
    }
    crate::corpus::decode("page", bytes, None)
        .map(|decoded| decoded.text)
        .map_err(|skip| skip.reason.name().to_string())
}

/// The charset a page names in its first bytes: `<meta charset=...>` or
/// `<meta http-equiv="Content-Type" content="...; charset=...">`.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(META_CHARSET_BYTES)];
    let lower = head.to_ascii_lowercase();
    let at = memchr::memmem::find(&lower, b"charset=")?;
    let rest = &head[at + b"charset=".len()..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
        .unwrap_or(rest.len());
    let name = std::str::from_utf8(&rest[..end]).ok()?;
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response_record(http: &[u8]) -> warc::Record {
        warc::Record {
            header: warc::Header {
                version: "WARC/1.0".into(),
                kind: "response".into(),
                id: "urn:uuid:7".into(),
                target_uri: Some("https://news.example/2021/03/05/strike".into()),
                date: Some("2024-05-01T12:00:00Z".into()),
                content_type: Some("application/http; msgtype=response".into()),
                length: http.len() as u64,
            },
            block: http.to_vec(),
            cut: false,
            offset: 0,
        }
    }

    fn page(http: &[u8]) -> Result<Page, NotAPage> {
        record_page(&response_record(http), Limits::default(), 1 << 20)
    }

    #[test]
    fn html_responses_are_pages_with_their_charset() {
        let p = page(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n<html><head><title>Caf\xe9 strike</title></head><body><p>Dockers in Lisbon stopped work at the caf\xe9.</p></body></html>").unwrap();
        assert_eq!(p.format, Format::Html);
        assert!(
            p.raw.body.contains("stopped work at the café"),
            "{:?}",
            p.raw
        );
        assert_eq!(
            p.url.as_deref(),
            Some("https://news.example/2021/03/05/strike")
        );
        assert_eq!(p.captured.as_deref(), Some("2024-05-01T12:00:00Z"));
        // The charset named by the page itself.
        let p = page(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><head><meta charset=\"iso-8859-1\"></head><body><p>S\xe3o Paulo</p></body></html>").unwrap();
        assert!(p.raw.body.contains("São Paulo"), "{:?}", p.raw);
        // Labelled Latin-1 but written in UTF-8.
        let p = page("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n<p>São Paulo</p>".as_bytes()).unwrap();
        assert!(p.raw.body.contains("São Paulo"), "{:?}", p.raw);
        let p = page(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nPort strike\n\nDockers stopped work.").unwrap();
        assert_eq!(p.format, Format::Text);
        // XHTML, and a page sent without a type, are pages too.
        let p = page(b"HTTP/1.1 200 OK\r\nContent-Type: application/xhtml+xml\r\n\r\n<html><body><p>Dockers stopped work.</p></body></html>").unwrap();
        assert_eq!(p.format, Format::Html);
        let p = page(b"HTTP/1.1 200 OK\r\n\r\n  <!DOCTYPE html><html><body><p>Dockers stopped work.</p></body></html>").unwrap();
        assert_eq!(p.format, Format::Html);
        assert!(p.raw.body.contains("Dockers stopped work."), "{:?}", p.raw);
        let err = page(b"HTTP/1.1 200 OK\r\n\r\nGIF89a")
            .map(|_| ())
            .unwrap_err();
        assert_eq!(err.0, SkipReason::NotText);
    }

    #[test]
    fn other_records_and_payloads_say_why() {
        let reason = |r: Result<Page, NotAPage>| r.map(|_| ()).unwrap_err().0;
        assert_eq!(
            reason(page(
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG"
            )),
            SkipReason::NotText
        );
        assert_eq!(
            reason(page(
                b"HTTP/1.1 301 Moved\r\nContent-Type: text/html\r\n\r\n<p>moved</p>"
            )),
            SkipReason::HttpStatus
        );
        assert_eq!(reason(page(b"garbage")), SkipReason::BadRecord);
        let big = [
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".as_slice(),
            &vec![b'a'; 2 << 20],
        ]
        .concat();
        assert_eq!(reason(page(&big)), SkipReason::TooLarge);
        let mut request = response_record(b"GET / HTTP/1.1\r\n\r\n");
        request.header.kind = "request".into();
        let err = record_page(&request, Limits::default(), 1 << 20)
            .map(|_| ())
            .unwrap_err();
        assert_eq!(err, (SkipReason::OtherRecord, "request record".to_string()));
    }
}
