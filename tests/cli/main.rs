//! End-to-end tests of the `news` binary: one test binary, one module per
//! command or concern, all through the harness.

mod browser;
mod contract;
mod crash;
mod harness;

mod dates;
mod entities;
mod export;
mod indexing;
mod ingestion;
mod model;
mod power;
mod quickstart;
mod robustness;
mod searching;
mod serve;
mod webpages;
