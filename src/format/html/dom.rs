//! A flat copy of a parsed page for text extraction: the elements and text
//! that can hold article text, in document order, each with its parent and
//! the end of its subtree. Every later walk is a loop over this slice, so no
//! page, however deeply nested, can overflow the stack.
//!
//! Subtrees that never hold readable text (scripts, styles, forms' controls,
//! embedded media, the `<head>`) and hidden ones are left out here, once.

use ego_tree::iter::Edge;
use scraper::node::Element;
use scraper::{Html, Node as HtmlNode};

/// What a node of the flat page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// A run of text.
    Text,
    Body,
    P,
    Div,
    Section,
    Article,
    Main,
    Header,
    Footer,
    Nav,
    Aside,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Blockquote,
    Pre,
    Table,
    /// `thead`, `tbody`, `tfoot`.
    TableSection,
    Tr,
    Td,
    Th,
    Caption,
    Figure,
    Figcaption,
    Form,
    Address,
    Details,
    Summary,
    Hr,
    Br,
    A,
    Time,
    /// An image: no text, but what text sits next to it may be its caption.
    Img,
    /// Any other element that starts a new line (`center`, `fieldset`...).
    OtherBlock,
    /// Any other element that flows within a line (`span`, `b`, `em`...).
    Inline,
    /// Never readable text: left out with everything inside it.
    Skipped,
}

impl Tag {
    /// The tag of an element name (lower case, as the parser gives it).
    pub fn of(name: &str) -> Tag {
        match name {
            "p" => Tag::P,
            "div" => Tag::Div,
            "a" => Tag::A,
            "section" => Tag::Section,
            "article" => Tag::Article,
            "main" => Tag::Main,
            "header" => Tag::Header,
            "footer" => Tag::Footer,
            "nav" => Tag::Nav,
            "aside" => Tag::Aside,
            "h1" => Tag::H1,
            "h2" => Tag::H2,
            "h3" => Tag::H3,
            "h4" => Tag::H4,
            "h5" => Tag::H5,
            "h6" => Tag::H6,
            "ul" | "menu" => Tag::Ul,
            "ol" => Tag::Ol,
            "li" => Tag::Li,
            "dl" => Tag::Dl,
            "dt" => Tag::Dt,
            "dd" => Tag::Dd,
            "blockquote" => Tag::Blockquote,
            "pre" | "listing" | "plaintext" => Tag::Pre,
            "table" => Tag::Table,
            "thead" | "tbody" | "tfoot" => Tag::TableSection,
            "tr" => Tag::Tr,
            "td" => Tag::Td,
            "th" => Tag::Th,
            "caption" => Tag::Caption,
            "figure" => Tag::Figure,
            "figcaption" => Tag::Figcaption,
            "form" => Tag::Form,
            "address" => Tag::Address,
            "details" => Tag::Details,
            "summary" => Tag::Summary,
            "hr" => Tag::Hr,
            "br" => Tag::Br,
            "time" => Tag::Time,
            "img" => Tag::Img,
            "body" => Tag::Body,
            "center" | "fieldset" | "legend" | "hgroup" | "html" | "search" => Tag::OtherBlock,
            "script" | "style" | "noscript" | "template" | "svg" | "math" | "head" | "iframe"
            | "object" | "embed" | "canvas" | "select" | "option" | "optgroup" | "datalist"
            | "button" | "input" | "textarea" | "audio" | "video" | "map" | "frameset"
            | "frame" | "noframes" | "noembed" | "dialog" | "title" | "source" | "track"
            | "meta" | "link" | "base" | "param" | "progress" | "meter" | "xmp" => Tag::Skipped,
            _ => Tag::Inline,
        }
    }

    /// Whether the element starts and ends a line of text.
    pub fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::Text | Tag::Inline | Tag::A | Tag::Time | Tag::Skipped
        )
    }

    /// The level of a heading, 1 to 6; 0 for anything else.
    pub fn heading_level(self) -> u8 {
        match self {
            Tag::H1 => 1,
            Tag::H2 => 2,
            Tag::H3 => 3,
            Tag::H4 => 4,
            Tag::H5 => 5,
            Tag::H6 => 6,
            _ => 0,
        }
    }
}

/// Parent of the root nodes.
pub const NONE: u32 = u32::MAX;

/// One element or text run of the flat page.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    /// What it is.
    pub tag: Tag,
    /// Index of its parent element, or [`NONE`].
    pub parent: u32,
    /// One past the index of its last descendant: its subtree is
    /// `index..end`.
    pub end: u32,
    /// The text of a text run; empty for elements.
    pub text: &'a str,
    /// The element, for its attributes; `None` for text.
    pub element: Option<&'a Element>,
}

/// The flat page.
#[derive(Debug, Default)]
pub struct Dom<'a> {
    /// Nodes in document order (parents before children).
    pub nodes: Vec<Node<'a>>,
}

impl<'a> Dom<'a> {
    /// Flattens a parsed page, leaving out what cannot be read.
    pub fn build(html: &'a Html) -> Dom<'a> {
        let mut nodes: Vec<Node<'a>> = Vec::with_capacity(html.tree.values().len() / 2);
        let mut open: Vec<u32> = Vec::new();
        // Depth inside a left-out subtree; 0 when outside.
        let mut skipping = 0usize;
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => match node.value() {
                    HtmlNode::Element(e) => {
                        if skipping > 0 {
                            skipping += 1;
                            continue;
                        }
                        let mut tag = Tag::of(e.name());
                        // An anchor without a target (`<a name>`) is no link.
                        if tag == Tag::A && e.attr("href").is_none() {
                            tag = Tag::Inline;
                        }
                        if tag == Tag::Skipped || is_hidden(e) {
                            skipping = 1;
                            continue;
                        }
                        open.push(nodes.len() as u32);
                        nodes.push(Node {
                            tag,
                            parent: parent_of(&open[..open.len() - 1]),
                            end: 0,
                            text: "",
                            element: Some(e),
                        });
                    }
                    HtmlNode::Text(t) if skipping == 0 => {
                        let index = nodes.len() as u32;
                        nodes.push(Node {
                            tag: Tag::Text,
                            parent: parent_of(&open),
                            end: index + 1,
                            text: t,
                            element: None,
                        });
                    }
                    _ => {}
                },
                Edge::Close(node) => {
                    if !node.value().is_element() {
                        continue;
                    }
                    if skipping > 0 {
                        skipping -= 1;
                    } else if let Some(index) = open.pop() {
                        nodes[index as usize].end = nodes.len() as u32;
                    }
                }
            }
        }
        Dom { nodes }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }
}

fn parent_of(open: &[u32]) -> u32 {
    open.last().copied().unwrap_or(NONE)
}

/// Hidden by the `hidden` attribute, `aria-hidden`, or an inline
/// `display: none` / `visibility: hidden` style.
fn is_hidden(e: &Element) -> bool {
    for (name, value) in &e.attrs {
        match &*name.local {
            "hidden" => return true,
            "aria-hidden" if value.trim().eq_ignore_ascii_case("true") => return true,
            "style" if style_hides(value) => return true,
            _ => {}
        }
    }
    false
}

fn style_hides(style: &str) -> bool {
    style.split(';').any(|decl| {
        let Some((prop, value)) = decl.split_once(':') else {
            return false;
        };
        let (prop, value) = (prop.trim(), value.trim());
        (prop.eq_ignore_ascii_case("display") && value.eq_ignore_ascii_case("none"))
            || (prop.eq_ignore_ascii_case("visibility") && value.eq_ignore_ascii_case("hidden"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(dom: &Dom) -> Vec<Tag> {
        dom.nodes.iter().map(|n| n.tag).collect()
    }

    #[test]
    fn flat_page_in_document_order() {
        let html = Html::parse_document(
            "<body><div><p>One <b>two</b></p><script>x()</script><p hidden>h</p></div><p>three</p></body>",
        );
        let dom = Dom::build(&html);
        assert_eq!(
            tags(&dom),
            [
                Tag::OtherBlock,
                Tag::Body,
                Tag::Div,
                Tag::P,
                Tag::Text,
                Tag::Inline,
                Tag::Text,
                Tag::P,
                Tag::Text
            ]
        );
        let div = 2;
        assert_eq!(dom.nodes[div].end, 7);
        assert_eq!(dom.nodes[6].parent, 5);
        assert_eq!(dom.nodes[5].parent, 3);
        assert_eq!(dom.nodes[6].text, "two");
    }

    #[test]
    fn hidden_styles() {
        assert!(style_hides("color: red; display : NONE"));
        assert!(style_hides("visibility:hidden"));
        assert!(!style_hides("display: block"));
    }
}
