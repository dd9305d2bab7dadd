//! `news`: a fast, local full-text search engine for news archives.
//!
//! ```text
//! index:  folders -> corpus (walk, stat, read, decode) -> format (txt, md,
//!         html, json, jsonl) -> article (debris, date, language, entities,
//!         fingerprint) -> document -> indexer (one writer, batched commits)
//! search: query text + filters (command line, batch line, HTTP)
//!         -> request (SearchParams -> validated SearchRequest, with the
//!            parsed query) -> search (build, top docs, count, facets,
//!            collapse, snippets) -> SearchResults -> output (human | json)
//! ```
//!
//! The command line ([`cli`], [`app`]) and the HTTP server use the same
//! library calls; nothing about searching is written twice.

pub mod allocator;
pub mod analyzer;
pub mod app;
pub mod archive;
pub mod article;
pub mod cli;
pub mod command;
pub mod compression;
pub mod corpus;
pub mod day;
pub mod deadline;
pub mod document;
pub mod entity;
pub mod error;
pub mod export;
pub mod extract;
pub mod facet;
pub mod format;
pub mod indexer;
pub mod interrupt;
pub mod lang;
pub mod output;
pub mod query;
pub mod related;
pub mod request;
pub mod schema;
pub mod search;
pub mod serve;
pub mod short_form;
pub mod similar;
pub mod snippet;
pub mod stats;
pub mod store;
pub mod tally;
#[cfg(test)]
mod testing;
pub mod timeline;

pub use error::{Error, Result};
