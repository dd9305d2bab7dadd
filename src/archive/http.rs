//! HTTP responses as a crawler recorded them: the status line and headers
//! (parsed by `httparse`), then the body with its transfer coding
//! (chunked) and content coding (gzip, deflate, br) undone. Crawlers
//! differ in whether they store the body as sent or already decoded, so a
//! coding that does not decode leaves the body as stored.

use std::io::Read;

use crate::compression::{Capped, Counted, Limits};

/// Most header lines of a response.
const MAX_HEADERS: usize = 256;

/// A response's head and its decoded body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// `Content-Type`, when given.
    pub content_type: Option<String>,
    /// The body, transfer and content codings undone.
    pub body: Vec<u8>,
}

/// Why a response could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// The head is not an HTTP response head.
    #[error("not an HTTP response: {0}")]
    Head(String),
    /// The decoded body grew past the cap.
    #[error("body more than {0} bytes once decoded")]
    TooLarge(u64),
}

/// Parses a recorded response (`block`: status line, headers, body) and
/// decodes its body, holding it to `limits`.
pub fn parse(block: &[u8], limits: Limits) -> Result<Response, HttpError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let head_len = match response.parse(block) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err(HttpError::Head("head cut short".into())),
        Err(e) => return Err(HttpError::Head(e.to_string())),
    };
    let status = response.code.unwrap_or(0);
    let header = |name: &str| {
        response
            .headers
            .iter()
            .rev()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    let content_type = header("content-type");
    let transfer = header("transfer-encoding").unwrap_or_default();
    let coding = header("content-encoding").unwrap_or_default();
    let mut body = block[head_len..].to_vec();
    if transfer.to_ascii_lowercase().contains("chunked")
        && let Some(joined) = dechunk(&body)
    {
        body = joined;
    }
    for coding in coding.rsplit(',').map(|c| c.trim().to_ascii_lowercase()) {
        match decode(&coding, &body, limits) {
            Ok(Some(decoded)) => body = decoded,
            Ok(None) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Response {
        status,
        content_type,
        body,
    })
}

/// Joins the chunks of a chunked body; `None` when it is not chunked after
/// all. A body cut short keeps the chunks it has.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    let mut chunks = 0;
    while let Some(eol) = memchr::memchr(b'\n', rest) {
        let line = std::str::from_utf8(&rest[..eol]).ok()?;
        let size_text = line.trim().split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[eol + 1..];
        if size == 0 {
            return Some(out);
        }
        let take = size.min(rest.len());
        out.extend_from_slice(&rest[..take]);
        chunks += 1;
        rest = &rest[take..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
        if take < size {
            break;
        }
    }
    (chunks > 0).then_some(out)
}

/// Undoes one content coding. `Ok(None)`: nothing to undo, or the body does
/// not decode (stored already decoded).
fn decode(coding: &str, body: &[u8], limits: Limits) -> Result<Option<Vec<u8>>, HttpError> {
    // A body that starts like markup was stored decoded: no compressed
    // stream a server sends starts with `<`.
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<') {
        return Ok(None);
    }
    let input = Counted::new(body);
    let consumed = input.counter();
    match coding {
        "gzip" | "x-gzip" => read_capped(
            Capped::new(
                flate2::bufread::MultiGzDecoder::new(input),
                consumed,
                limits,
            ),
            limits,
        ),
        "deflate" => {
            // Servers send zlib-wrapped or raw deflate under this name.
            let zlib = read_capped(
                Capped::new(flate2::bufread::ZlibDecoder::new(input), consumed, limits),
                limits,
            );
            match zlib {
                Ok(None) => {
                    let input = Counted::new(body);
                    let consumed = input.counter();
                    read_capped(
                        Capped::new(
                            flate2::bufread::DeflateDecoder::new(input),
                            consumed,
                            limits,
                        ),
                        limits,
                    )
                }
                other => other,
            }
        }
        "br" => read_capped(
            Capped::new(
                brotli_decompressor::Decompressor::new(input, 4096),
                consumed,
                limits,
            ),
            limits,
        ),
        _ => Ok(None),
    }
}

fn read_capped<D: Read>(
    mut reader: Capped<D>,
    limits: Limits,
) -> Result<Option<Vec<u8>>, HttpError> {
    let mut out = Vec::new();
    match reader.read_to_end(&mut out) {
        Ok(_) => Ok(Some(out)),
        Err(e) if crate::compression::Exceeded::of(&e).is_some() => {
            Err(HttpError::TooLarge(limits.max_output))
        }
        // A body cut short keeps what decoded; one that never decoded was
        // stored decoded.
        Err(_) if !out.is_empty() => Ok(Some(out)),
        Err(_) => Ok(None),
    }
}

/// The charset named in a `Content-Type` value.
pub fn charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']))
    })
}

/// The media type of a `Content-Type` value, lower case, without parameters.
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn chunked(body: &[u8], size: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for chunk in body.chunks(size) {
            out.extend_from_slice(format!("{:x};ext=1\r\n", chunk.len()).as_bytes());
            out.extend_from_slice(chunk);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"0\r\n\r\n");
        out
    }

    fn response(headers: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
        out.extend_from_slice(body);
        out
    }

    const PAGE: &[u8] = b"<html><body><p>Dockers in Lisbon stopped work.</p></body></html>";

    #[test]
    fn chunked_and_gzipped_bodies_are_decoded() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(PAGE).unwrap();
        let gz = gz.finish().unwrap();
        let block = response(
            "Content-Type: text/html; charset=\"ISO-8859-1\"\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
            &chunked(&gz, 7),
        );
        let r = parse(&block, Limits::default()).unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.body, PAGE);
        assert_eq!(
            charset(r.content_type.as_deref().unwrap()),
            Some("ISO-8859-1")
        );
        assert_eq!(media_type(r.content_type.as_deref().unwrap()), "text/html");
    }

    #[test]
    fn deflate_brotli_and_bodies_stored_decoded() {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(PAGE).unwrap();
        let block = response("Content-Encoding: deflate\r\n", &z.finish().unwrap());
        assert_eq!(parse(&block, Limits::default()).unwrap().body, PAGE);
        let mut raw =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        raw.write_all(PAGE).unwrap();
        let block = response("Content-Encoding: deflate\r\n", &raw.finish().unwrap());
        assert_eq!(parse(&block, Limits::default()).unwrap().body, PAGE);
        // PAGE compressed by the reference brotli encoder (quality 5).
        let br: &[u8] = &[
            0x1b, 0x3f, 0x00, 0x00, 0x44, 0xe7, 0x96, 0xea, 0x43, 0xc2, 0x50, 0x1c, 0xc9, 0x68,
            0x49, 0x2a, 0x81, 0xb1, 0x01, 0x83, 0x20, 0x6c, 0xc0, 0x81, 0x4b, 0x56, 0x80, 0xb0,
            0xf0, 0x7d, 0x6d, 0xa9, 0x8a, 0x4a, 0x42, 0x5c, 0x7a, 0x38, 0x79, 0x26, 0xaf, 0xb8,
            0x26, 0xd5, 0x50, 0xc7, 0xd6, 0x3e, 0xe1, 0xf0, 0x5f, 0x29, 0x0f, 0x3f, 0xca, 0x68,
            0x73, 0x14, 0xc0, 0x41, 0x03,
        ];
        let block = response("Content-Encoding: br\r\n", br);
        let got = parse(&block, Limits::default()).unwrap().body;
        assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(PAGE));
        // Stored already decoded, headers kept as sent.
        let block = response(
            "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
            PAGE,
        );
        assert_eq!(parse(&block, Limits::default()).unwrap().body, PAGE);
    }

    #[test]
    fn heads_that_are_not_http_and_bombs() {
        assert!(matches!(
            parse(b"<html>", Limits::default()),
            Err(HttpError::Head(_))
        ));
        assert!(matches!(
            parse(b"HTTP/1.1 200 OK\r\nX: y", Limits::default()),
            Err(HttpError::Head(_))
        ));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&vec![b'a'; 8 << 20]).unwrap();
        let block = response("Content-Encoding: gzip\r\n", &gz.finish().unwrap());
        assert_eq!(
            parse(
                &block,
                Limits {
                    max_output: 1 << 20,
                    max_ratio: 100
                }
            ),
            Err(HttpError::TooLarge(1 << 20))
        );
    }
}
