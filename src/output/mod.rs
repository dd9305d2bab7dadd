//! Renderers: search results, article views and run summaries as text for
//! people or as JSON for scripts. The JSON wire types are the documented
//! contract; the human renderer colours only when asked to.

pub mod human;
pub mod json;

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Text for people, coloured when `color` is set.
    Human {
        /// Use ANSI colours and bold.
        color: bool,
    },
    /// One JSON document.
    Json,
    /// One JSON object per hit, one per line.
    NdJson,
}
