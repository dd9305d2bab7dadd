//! End-to-end tests of the `news` binary: one test binary, one module per
//! command or concern, all through the harness.

mod contract;
mod harness;

mod dates;
mod indexing;
mod quickstart;
mod searching;
