//! MHTML files (a browser's "save page as a single file", RFC 2557): a MIME
//! `multipart/related` message whose `text/html` part is the page, encoded
//! quoted-printable, base64 or not at all; the other parts (images, style
//! sheets) are not read.

use base64::Engine;

/// The page of an MHTML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The HTML part's bytes, transfer encoding undone.
    pub html: Vec<u8>,
    /// The charset its `Content-Type` names.
    pub charset: Option<String>,
    /// The page's address (`Snapshot-Content-Location`, else the part's
    /// `Content-Location`).
    pub url: Option<String>,
    /// When the page was saved (the message's `Date`).
    pub saved: Option<String>,
}

/// Headers of a message or part, names lower case, folded lines joined.
fn headers(text: &[u8]) -> (Vec<(String, String)>, &[u8]) {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut rest = text;
    loop {
        let (line, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return (out, next);
        }
        let line = String::from_utf8_lossy(line);
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = out.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            out.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
        if next.is_empty() {
            return (out, next);
        }
        rest = next;
    }
}

fn get<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A parameter of a header value (`boundary`, `charset`).
fn param<'a>(value: &'a str, name: &str) -> Option<&'a str> {
    value.split(';').skip(1).find_map(|p| {
        let (n, v) = p.split_once('=')?;
        n.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"'))
    })
}

/// Finds the page of an MHTML file; the reason when there is none.
pub fn parse(bytes: &[u8]) -> Result<Page, String> {
    let (top, body) = headers(bytes);
    let content_type = get(&top, "content-type").unwrap_or("");
    let saved = get(&top, "date").map(str::to_string);
    let snapshot = get(&top, "snapshot-content-location").map(str::to_string);
    let Some(boundary) = param(content_type, "boundary").filter(|b| !b.is_empty()) else {
        // A single-part message: the body is the page if it is HTML.
        if content_type.to_ascii_lowercase().starts_with("text/html") {
            return Ok(Page {
                html: transfer_decode(get(&top, "content-transfer-encoding"), body),
                charset: param(content_type, "charset").map(str::to_string),
                url: snapshot.or_else(|| get(&top, "content-location").map(str::to_string)),
                saved,
            });
        }
        return Err("not a multipart MHTML message".into());
    };
    let delimiter = format!("--{boundary}");
    let finder = memchr::memmem::Finder::new(delimiter.as_bytes());
    let starts: Vec<usize> = finder.find_iter(body).collect();
    for (i, &start) in starts.iter().enumerate() {
        let from = start + delimiter.len();
        if body[from..].starts_with(b"--") {
            break;
        }
        let end = starts.get(i + 1).copied().unwrap_or(body.len());
        let part = &body[from..end];
        let part = part
            .strip_prefix(b"\r\n")
            .or_else(|| part.strip_prefix(b"\n"))
            .unwrap_or(part);
        let (part_headers, content) = headers(part);
        let part_type = get(&part_headers, "content-type").unwrap_or("text/plain");
        if !part_type.to_ascii_lowercase().starts_with("text/html") {
            continue;
        }
        let content = content
            .strip_suffix(b"\r\n")
            .or_else(|| content.strip_suffix(b"\n"))
            .unwrap_or(content);
        return Ok(Page {
            html: transfer_decode(get(&part_headers, "content-transfer-encoding"), content),
            charset: param(part_type, "charset").map(str::to_string),
            url: snapshot.or_else(|| get(&part_headers, "content-location").map(str::to_string)),
            saved,
        });
    }
    Err("no text/html part".into())
}

/// Undoes a part's transfer encoding; bytes that do not decode are kept.
fn transfer_decode(encoding: Option<&str>, content: &[u8]) -> Vec<u8> {
    match encoding.map(|e| e.trim().to_ascii_lowercase()).as_deref() {
        Some("quoted-printable") => quoted_printable(content),
        Some("base64") => {
            let compact: Vec<u8> = content
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(&compact)
                .unwrap_or_else(|_| content.to_vec())
        }
        _ => content.to_vec(),
    }
}

/// Decodes quoted-printable: `=XX` escapes and `=` soft line breaks; a
/// malformed escape is kept as written.
fn quoted_printable(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len());
    let mut i = 0;
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    while i < content.len() {
        let b = content[i];
        if b != b'=' {
            out.push(b);
            i += 1;
            continue;
        }
        match (content.get(i + 1), content.get(i + 2)) {
            (Some(b'\r'), Some(b'\n')) => i += 3,
            (Some(b'\n'), _) => i += 2,
            (Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push(hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0));
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAVED: &str = "From: <Saved by Blink>\r\n\
Snapshot-Content-Location: https://news.example/2021/03/05/port-strike\r\n\
Subject: Port strike\r\n\
Date: Fri, 5 Mar 2021 10:00:00 -0000\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/related;\r\n\
\ttype=\"text/html\";\r\n\
\tboundary=\"----MultipartBoundary--abc----\"\r\n\
\r\n\
------MultipartBoundary--abc----\r\n\
Content-Type: text/html\r\n\
Content-ID: <frame-1@mhtml.blink>\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
Content-Location: https://news.example/2021/03/05/port-strike\r\n\
\r\n\
<html><head><meta http-equiv=3D\"Content-Type\" content=3D\"text/html; charset=3DUTF-8\">=\r\n\
<title>Port strike</title></head><body><p>Dockers in Lisbon stopped w=\r\n\
ork. Caf=C3=A9 owners complained.</p></body></html>\r\n\
------MultipartBoundary--abc----\r\n\
Content-Type: image/png\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
iVBORw0KGgo=\r\n\
------MultipartBoundary--abc------\r\n";

    #[test]
    fn finds_the_html_part_and_decodes_it() {
        let page = parse(SAVED.as_bytes()).unwrap();
        let html = String::from_utf8(page.html).unwrap();
        assert!(
            html.contains("content=\"text/html; charset=UTF-8\"><title>"),
            "{html}"
        );
        assert!(html.contains("stopped work. Café owners"), "{html}");
        assert!(html.trim_end().ends_with("</html>"), "{html}");
        assert_eq!(
            page.url.as_deref(),
            Some("https://news.example/2021/03/05/port-strike")
        );
        assert_eq!(
            page.saved.as_deref(),
            Some("Fri, 5 Mar 2021 10:00:00 -0000")
        );
    }

    #[test]
    fn base64_parts_and_missing_pages() {
        let b64 = base64::engine::general_purpose::STANDARD.encode("<p>Olá</p>");
        let msg = format!(
            "Content-Type: multipart/related; boundary=XY\r\n\r\n--XY\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--XY--\r\n"
        );
        let page = parse(msg.as_bytes()).unwrap();
        assert_eq!(page.html, "<p>Olá</p>".as_bytes());
        assert_eq!(page.charset.as_deref(), Some("utf-8"));
        let msg = "Content-Type: multipart/related; boundary=XY\r\n\r\n--XY\r\nContent-Type: image/png\r\n\r\nPNG\r\n--XY--\r\n";
        assert!(parse(msg.as_bytes()).is_err());
        assert!(parse(b"\x00\x01garbage").is_err());
    }

    #[test]
    fn quoted_printable_keeps_malformed_escapes() {
        assert_eq!(quoted_printable(b"a=3Db=\r\nc=ZZ="), b"a=bc=ZZ=");
    }
}
