//! End-to-end tests of the `news` binary: one test binary, one module per
//! command or concern, all through the harness.

mod browser;
mod contract;
mod counting;
mod crash;
mod deadlines;
mod harness;

mod archives;
mod dates;
mod entities;
mod export;
mod hostile_input;
mod indexing;
mod ingestion;
mod links;
mod manual;
mod many_records;
mod model;
mod page_metadata;
mod power;
mod promises;
mod quickstart;
mod rebuilding;
mod related;
mod robustness;
mod searching;
mod serve;
mod serve_entities;
mod serve_limits;
mod short_forms;
mod suggestions;
mod timeline;
mod typing;
mod watching;
mod webpages;
