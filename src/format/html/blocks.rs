//! Text blocks of a page: the runs of text between line-breaking elements
//! (paragraphs, headings, list items, table cells...), whitespace collapsed,
//! each with the measures the body extraction judges it by: length, text
//! inside links, sentence punctuation, and whether page furniture holds it.

use std::ops::Range;

use super::dom::{Dom, NONE, Tag};

/// What kind of element holds a block's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A paragraph (`<p>`).
    Paragraph,
    /// A heading of level 1 to 6.
    Heading(u8),
    /// A list item or definition.
    Item,
    /// A table cell or caption.
    Cell,
    /// Preformatted text.
    Pre,
    /// Text straight inside another container (`<div>`, `<blockquote>`...).
    Loose,
}

/// One block of text.
#[derive(Debug, Clone)]
pub struct Block {
    /// The innermost line-breaking element holding the text.
    pub owner: u32,
    /// Its place in [`Blocks::text`].
    pub text: Range<usize>,
    /// Characters other than whitespace.
    pub chars: u32,
    /// Of those, characters inside links.
    pub link_chars: u32,
    /// Sentence ends (`.`, `!`, `?` and their full-width forms, before a
    /// space or the end).
    pub sentences: u16,
    /// What holds it.
    pub kind: Kind,
    /// Inside page furniture (set by the caller once it has judged the
    /// page's elements).
    pub furniture: bool,
    /// The innermost list (`ul`, `ol`, `dl`) around it, or [`NONE`].
    pub list: u32,
    /// The innermost table row around it, or [`NONE`].
    pub row: u32,
    /// Starts after a line break (`<br>`) rather than a new element.
    pub after_break: bool,
}

impl Block {
    /// Share of its characters inside links.
    pub fn link_density(&self) -> f32 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f32 / self.chars as f32
        }
    }
}

/// The blocks of a page and their text.
#[derive(Debug, Default)]
pub struct Blocks {
    /// All block text, one after another.
    pub text: String,
    /// The blocks in reading order.
    pub list: Vec<Block>,
}

impl Blocks {
    /// The text of one block.
    pub fn text_of(&self, block: &Block) -> &str {
        &self.text[block.text.clone()]
    }
}

/// An element open during the walk.
struct Open {
    index: u32,
    end: u32,
    tag: Tag,
}

/// The block being filled.
struct Current {
    start: usize,
    chars: u32,
    link_chars: u32,
    sentences: u16,
    /// The last pushed byte was whitespace (or nothing was pushed yet).
    space: bool,
    /// A `<br>` was seen since the last text.
    breaks: u8,
    after_break: bool,
}

/// Splits the page into blocks. `skip[i]` says whether the text of inline
/// element `i` is left out of its block (a share link within a paragraph).
pub fn segment(dom: &Dom, skip: &[bool]) -> Blocks {
    let mut out = Blocks {
        text: String::with_capacity(dom.len() * 16),
        list: Vec::new(),
    };
    let mut open: Vec<Open> = Vec::new();
    // Innermost open block element, list and row.
    let mut owners: Vec<u32> = Vec::new();
    let mut lists: Vec<u32> = Vec::new();
    let mut rows: Vec<u32> = Vec::new();
    let mut links = 0usize;
    // Open inline elements whose text is left out.
    let mut skipping = 0usize;
    let mut cur = Current::new(0);
    let nodes = &dom.nodes;
    for (i, node) in nodes.iter().enumerate() {
        let i = i as u32;
        while let Some(top) = open.last() {
            if top.end > i {
                break;
            }
            let top = open.pop().expect("checked above");
            if top.tag.is_block() {
                flush(&mut cur, &mut out, &owners, &lists, &rows, dom);
                owners.pop();
                match top.tag {
                    Tag::Ul | Tag::Ol | Tag::Dl => {
                        lists.pop();
                    }
                    Tag::Tr => {
                        rows.pop();
                    }
                    _ => {}
                }
            } else {
                if top.tag == Tag::A {
                    links -= 1;
                }
                if skip[top.index as usize] {
                    skipping -= 1;
                }
            }
        }
        match node.tag {
            Tag::Text => {
                if skipping == 0 {
                    cur.push(node.text, links > 0, &mut out.text);
                }
            }
            Tag::Br => {
                cur.breaks = cur.breaks.saturating_add(1);
                if cur.breaks >= 2 {
                    let after = cur.chars > 0;
                    flush(&mut cur, &mut out, &owners, &lists, &rows, dom);
                    cur.after_break = after;
                } else if !cur.space {
                    out.text.push('\n');
                    cur.space = true;
                }
            }
            tag => {
                if tag.is_block() {
                    flush(&mut cur, &mut out, &owners, &lists, &rows, dom);
                    owners.push(i);
                    match tag {
                        Tag::Ul | Tag::Ol | Tag::Dl => lists.push(i),
                        Tag::Tr => rows.push(i),
                        _ => {}
                    }
                } else {
                    if tag == Tag::A {
                        links += 1;
                    }
                    if skip[i as usize] {
                        skipping += 1;
                    }
                }
                open.push(Open {
                    index: i,
                    end: node.end,
                    tag,
                });
            }
        }
    }
    flush(&mut cur, &mut out, &owners, &lists, &rows, dom);
    out
}

fn flush(
    cur: &mut Current,
    out: &mut Blocks,
    owners: &[u32],
    lists: &[u32],
    rows: &[u32],
    dom: &Dom,
) {
    // Drop trailing whitespace.
    while out.text.len() > cur.start && out.text.ends_with([' ', '\n']) {
        out.text.pop();
    }
    if cur.chars > 0 {
        let owner = owners.last().copied().unwrap_or(NONE);
        let tag = if owner == NONE {
            Tag::Body
        } else {
            dom.nodes[owner as usize].tag
        };
        let kind = match tag {
            Tag::P => Kind::Paragraph,
            Tag::Li | Tag::Dt | Tag::Dd => Kind::Item,
            Tag::Td | Tag::Th | Tag::Caption => Kind::Cell,
            Tag::Pre => Kind::Pre,
            t if t.heading_level() > 0 => Kind::Heading(t.heading_level()),
            _ => Kind::Loose,
        };
        out.list.push(Block {
            owner,
            text: cur.start..out.text.len(),
            chars: cur.chars,
            link_chars: cur.link_chars,
            sentences: cur.sentences,
            kind,
            furniture: false,
            list: lists.last().copied().unwrap_or(NONE),
            row: rows.last().copied().unwrap_or(NONE),
            after_break: cur.after_break,
        });
    } else {
        out.text.truncate(cur.start);
    }
    *cur = Current::new(out.text.len());
}

impl Current {
    fn new(start: usize) -> Current {
        Current {
            start,
            chars: 0,
            link_chars: 0,
            sentences: 0,
            space: true,
            breaks: 0,
            after_break: false,
        }
    }

    /// Appends a text run, collapsing whitespace and counting.
    fn push(&mut self, text: &str, in_link: bool, buf: &mut String) {
        let mut last_end = false;
        for c in text.chars() {
            if c.is_whitespace() {
                if last_end {
                    self.sentences = self.sentences.saturating_add(1);
                    last_end = false;
                }
                if !self.space {
                    buf.push(' ');
                    self.space = true;
                }
                continue;
            }
            if last_end {
                last_end = false;
            }
            self.breaks = 0;
            self.space = false;
            self.chars += 1;
            if in_link {
                self.link_chars += 1;
            }
            match c {
                '.' | '!' | '?' => last_end = true,
                '。' | '！' | '？' => self.sentences = self.sentences.saturating_add(1),
                _ => {}
            }
            buf.push(c);
        }
        // A sentence end at the end of a run counts if the block ends there;
        // the next run decides otherwise. Counting it now is close enough.
        if last_end {
            self.sentences = self.sentences.saturating_add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn blocks(html: &str) -> Vec<(String, Kind, u32)> {
        let doc = Html::parse_document(html);
        let dom = Dom::build(&doc);
        let skip = vec![false; dom.len()];
        let b = segment(&dom, &skip);
        b.list
            .iter()
            .map(|bl| (b.text_of(bl).to_string(), bl.kind, bl.link_chars))
            .collect()
    }

    #[test]
    fn blocks_of_a_page() {
        let got = blocks(
            "<div>Lead <b>in</b><p>First  para,\n one.</p><h2>Sub</h2><ul><li><a href=x>Link</a></li></ul>tail</div>",
        );
        assert_eq!(
            got,
            [
                ("Lead in".to_string(), Kind::Loose, 0),
                ("First para, one.".to_string(), Kind::Paragraph, 0),
                ("Sub".to_string(), Kind::Heading(2), 0),
                ("Link".to_string(), Kind::Item, 4),
                ("tail".to_string(), Kind::Loose, 0),
            ]
        );
    }

    #[test]
    fn inline_elements_join_without_spaces_and_breaks_split() {
        let got = blocks("<p>Ver<b>y</b> good<br>line two<br><br>next</p>");
        assert_eq!(got[0].0, "Very good\nline two");
        assert_eq!(got[1].0, "next");
    }
}
