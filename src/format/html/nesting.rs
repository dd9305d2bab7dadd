//! A bound on how deeply a page's elements nest, applied before parsing.
//!
//! The HTML parser walks its stack of open elements for many tags, so a
//! page of 100,000 nested `<div>`s (or unclosed `<font>`s, or `<ul><li>`s)
//! costs it time in the square of the depth: minutes for half a megabyte.
//! No real page nests anywhere near [`MAX_DEPTH`]. One quick scan of the
//! tags measures the nesting; only a page that goes deeper is rewritten,
//! without the start and end tags below that depth (their text is kept).

use std::borrow::Cow;

/// Deepest nesting of elements passed to the parser. Real pages stay far
/// below a few hundred levels; the parser's cost per tag grows with it.
pub const MAX_DEPTH: usize = 512;

/// Elements that never have an end tag.
const VOID: [&str; 16] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "frame",
];

/// Elements whose content is text up to their own end tag.
const RAW: [&str; 10] = [
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// Elements closed by the start of another of the same name among their
/// siblings (a new list item closes the last one).
const SELF_CLOSING_SIBLINGS: [&str; 9] = ["p", "li", "dt", "dd", "option", "tr", "td", "th", "a"];

/// The page with its element nesting bounded by `max`: borrowed when it
/// already is, as nearly every page is.
pub fn limit(html: &str, max: usize) -> Cow<'_, str> {
    if scan(html, max, None) <= max {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    scan(html, max, Some(&mut out));
    Cow::Owned(out)
}

/// Walks the tags of `html`, keeping a stack of open elements. Returns the
/// deepest nesting seen. With `out`, copies the page into it, leaving out
/// start tags that would nest deeper than `max` and their end tags.
fn scan(html: &str, max: usize, mut out: Option<&mut String>) -> usize {
    let bytes = html.as_bytes();
    let mut stack: Vec<&str> = Vec::new();
    // Start tags left out below `max` whose end tags are still to come.
    let mut dropped = 0usize;
    let mut deepest = 0usize;
    // Open `svg` and `math` elements, inside which `<x/>` closes itself.
    let mut foreign = 0usize;
    // Start of the text not yet copied to `out`.
    let mut copied = 0usize;
    let mut at = 0usize;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let lt = at + offset;
        let Some(tag) = read_tag(html, lt) else {
            at = lt + 1;
            continue;
        };
        at = tag.end;
        let mut keep = true;
        match tag.kind {
            Kind::Other => {}
            Kind::Start(name) => {
                if RAW.contains(&name) {
                    // Jump over the raw text; its end tag comes next.
                    at = raw_end(html, at, name);
                } else if !(VOID.contains(&name) || tag.self_closed && foreign > 0) {
                    if SELF_CLOSING_SIBLINGS.contains(&name)
                        && stack
                            .last()
                            .is_some_and(|top| top.eq_ignore_ascii_case(name))
                    {
                        stack.pop();
                    }
                    if stack.len() >= max {
                        dropped += 1;
                        keep = false;
                    } else {
                        if is_foreign(name) {
                            foreign += 1;
                        }
                        stack.push(name);
                        deepest = deepest.max(stack.len());
                    }
                }
            }
            Kind::End(name) => {
                // Close the nearest open element of that name, if any is
                // near the top; otherwise the end tag closes a left-out one.
                let near = stack
                    .iter()
                    .rev()
                    .take(64)
                    .position(|n| n.eq_ignore_ascii_case(name));
                match near {
                    Some(up) => {
                        let keep = stack.len() - up - 1;
                        foreign -= stack[keep..].iter().filter(|n| is_foreign(n)).count();
                        stack.truncate(keep);
                    }
                    None if dropped > 0 => {
                        dropped -= 1;
                        keep = false;
                    }
                    None => {}
                }
            }
        }
        if let Some(out) = out.as_deref_mut()
            && !keep
        {
            out.push_str(&html[copied..lt]);
            copied = tag.end;
        }
        if stack.len() + dropped > deepest {
            deepest = stack.len() + dropped;
        }
    }
    if let Some(out) = out {
        out.push_str(&html[copied..]);
    }
    deepest
}

fn is_foreign(name: &str) -> bool {
    name.eq_ignore_ascii_case("svg") || name.eq_ignore_ascii_case("math")
}

enum Kind<'a> {
    Start(&'a str),
    End(&'a str),
    /// A comment, doctype or processing instruction.
    Other,
}

struct Tag<'a> {
    kind: Kind<'a>,
    /// Written `<name ... />`.
    self_closed: bool,
    /// One past the closing `>` (or the end of the page).
    end: usize,
}

/// Reads the tag starting at `lt` (a `<`); `None` when the `<` starts no
/// tag (`a < b`).
fn read_tag(html: &str, lt: usize) -> Option<Tag<'_>> {
    let bytes = html.as_bytes();
    let next = *bytes.get(lt + 1)?;
    if html[lt..].starts_with("<!--") {
        let end = html[lt + 4..]
            .find("-->")
            .map_or(html.len(), |e| lt + 4 + e + 3);
        return Some(Tag {
            kind: Kind::Other,
            self_closed: false,
            end,
        });
    }
    if next == b'!' || next == b'?' {
        let end = memchr::memchr(b'>', &bytes[lt..]).map_or(html.len(), |e| lt + e + 1);
        return Some(Tag {
            kind: Kind::Other,
            self_closed: false,
            end,
        });
    }
    let (closing, name_start) = if next == b'/' {
        (true, lt + 2)
    } else {
        (false, lt + 1)
    };
    if !bytes.get(name_start)?.is_ascii_alphabetic() {
        return None;
    }
    let name_end = name_start
        + bytes[name_start..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            .unwrap_or(bytes.len() - name_start);
    let name = &html[name_start..name_end];
    // Attributes: a `>` inside quotes does not end the tag.
    let mut i = name_end;
    let mut quote = 0u8;
    let mut last = 0u8;
    while i < bytes.len() {
        let b = bytes[i];
        if quote != 0 {
            if b == quote {
                quote = 0;
            }
        } else if b == b'"' || b == b'\'' {
            quote = b;
        } else if b == b'>' {
            break;
        }
        if !b.is_ascii_whitespace() {
            last = b;
        }
        i += 1;
    }
    let end = (i + 1).min(html.len());
    let name = lower(name);
    Some(Tag {
        kind: if closing {
            Kind::End(name)
        } else {
            Kind::Start(name)
        },
        self_closed: last == b'/',
        end,
    })
}

/// The element names looked up, in lower case; any other name is returned
/// as it is written (only compared with itself).
fn lower(name: &str) -> &str {
    if !name.bytes().any(|b| b.is_ascii_uppercase()) {
        return name;
    }
    VOID.iter()
        .chain(RAW.iter())
        .chain(SELF_CLOSING_SIBLINGS.iter())
        .find(|known| known.eq_ignore_ascii_case(name))
        .copied()
        .unwrap_or(name)
}

/// Where the raw text of element `name` opened before `from` ends: at its
/// end tag (not consumed), or the end of the page.
fn raw_end(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let lt = at + offset;
        let after = lt + 2 + name.len();
        if bytes.get(lt + 1) == Some(&b'/')
            && after <= bytes.len()
            && html.is_char_boundary(after)
            && html[lt + 2..after].eq_ignore_ascii_case(name)
        {
            return lt;
        }
        at = lt + 1;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_are_borrowed() {
        let page = "<html><body><div><p>One<p>Two<br><img src=x></div><script>if (a<b) {}</script></body></html>";
        assert!(matches!(limit(page, 4), Cow::Borrowed(_)));
        assert_eq!(scan(page, 100, None), 4);
    }

    #[test]
    fn deep_pages_lose_their_deepest_tags_not_their_text() {
        let page = format!(
            "{}deep text{}<p>after</p>",
            "<div>".repeat(50),
            "</div>".repeat(50)
        );
        let limited = limit(&page, 10);
        assert_eq!(scan(&limited, 100, None), 10);
        assert!(limited.contains("deep text"));
        assert!(limited.ends_with("</div><p>after</p>"));
        assert_eq!(limited.matches("<div>").count(), 10);
        assert_eq!(limited.matches("</div>").count(), 10);
    }

    #[test]
    fn quotes_comments_and_raw_text_hide_tags() {
        let page = r#"<div title="a > b"><!-- <div><div> --><style>div > p {}</style><textarea><div></textarea></div>"#;
        assert_eq!(scan(page, 100, None), 1);
        assert_eq!(scan("<DIV><Div>x</div></DIV>", 100, None), 2);
        assert_eq!(scan("a < b <3 <", 100, None), 0);
        assert_eq!(scan("<div/><div/>", 100, None), 2);
        assert_eq!(scan("<svg><path/><path/></svg>", 100, None), 1);
    }
}
