//! Finds which optional prerequisites of the test suite are present, so that
//! a test that cannot run here is marked ignored with the reason (it shows
//! in the summary of `cargo test`) instead of passing without checking
//! anything.
//!
//! Each `NEWS_REQUIRE_*` variable turns its tests on whatever is found, so
//! that they fail when their prerequisite is missing: `.ci/run` sets them.
//! The crate's code does not look at these settings; only tests do.
//!
//! It also merges the built-in gazetteer, once, into tables the binary
//! reads in place (see `gazetteer.rs` beside this file), and links the
//! binary at a fixed address where that is known to work.

use std::path::{Path, PathBuf};

mod gazetteer;

fn main() {
    println!("cargo::rerun-if-changed=src/build/main.rs");
    gazetteer::generate();
    link_at_fixed_address();
    println!("cargo::rerun-if-env-changed=PATH");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());

    // The shared notes and data beside the repository.
    let seed = manifest.join("../shared/seed-article.txt");
    prerequisite("news_shared", "NEWS_REQUIRE_SHARED", watch(&seed));

    // The browser test: node, Debian's Chromium and playwright-core.
    let chromium = Path::new("/usr/bin/chromium");
    let playwright = manifest.join("tests/browser/node_modules/playwright-core/package.json");
    // A missing playwright-core is watched through its folder, so that
    // `npm ci` there is noticed; a Chromium installed later is noticed by
    // the next change of PATH or of this script (`touch src/build/main.rs`).
    let playwright_present = watch(&playwright);
    if !playwright_present {
        watch(&manifest.join("tests/browser"));
    }
    let browser = watch(chromium) && playwright_present && on_path("node");
    prerequisite("news_browser", "NEWS_REQUIRE_BROWSER", browser);

    // Checks of generated files by the programs that read them.
    prerequisite("news_groff", "NEWS_REQUIRE_GROFF", on_path("groff"));
    prerequisite("news_zsh", "NEWS_REQUIRE_SHELLS", on_path("zsh"));
    prerequisite("news_fish", "NEWS_REQUIRE_SHELLS", on_path("fish"));
}

/// On x86-64 GNU/Linux the binary is linked as a fixed-address executable
/// rather than a position-independent one: the dynamic loader then has no
/// pointers to relocate at start (about 50,000 in a position-independent
/// build, mostly panic locations and dependencies' string tables, which
/// also copies their megabyte of pages), which takes about 0.7 ms off every
/// `news` process, an eighth of a one-shot search. The price is that the
/// binary's own code is not placed at a random address. `NEWS_LINK_PIE=1`
/// at build time keeps the position-independent executable.
fn link_at_fixed_address() {
    println!("cargo::rerun-if-env-changed=NEWS_LINK_PIE");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let pie = std::env::var_os("NEWS_LINK_PIE").is_some_and(|v| !v.is_empty() && v != "0");
    if !pie
        && var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ARCH") == "x86_64"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
    {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}

/// Declares `cfg(name)` and sets it when the prerequisite is present or
/// required by `require`.
fn prerequisite(name: &str, require: &str, present: bool) {
    println!("cargo::rustc-check-cfg=cfg({name})");
    println!("cargo::rerun-if-env-changed={require}");
    let required = std::env::var_os(require).is_some_and(|v| !v.is_empty() && v != "0");
    if present || required {
        println!("cargo::rustc-cfg={name}");
    }
}

/// Whether `path` exists; when it does, a change to it reruns this script.
/// (A path that does not exist is not watched: Cargo would rerun the
/// script, and rebuild the crate, on every build.)
fn watch(path: &Path) -> bool {
    let exists = path.exists();
    if exists {
        println!("cargo::rerun-if-changed={}", path.display());
    }
    exists
}

/// Whether a program is on `PATH`.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}
