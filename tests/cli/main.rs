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
mod manual;
mod model;
mod power;
mod quickstart;
mod robustness;
mod searching;
mod serve;
mod serve_limits;
mod suggestions;
mod typing;
mod webpages;
