//! Renderers: search results, article views and run summaries as text for
//! people or as JSON for scripts. The JSON wire types are the documented
//! contract; the human renderer colours only when asked to.

pub mod human;
pub mod json;
