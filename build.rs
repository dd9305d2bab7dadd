//! Compile-time work: the built-in gazetteer is parsed and merged here,
//! once, into tables the binary reads in place (see `build/gazetteer.rs`).

#[path = "build/gazetteer.rs"]
mod gazetteer;

fn main() {
    gazetteer::generate();
}
