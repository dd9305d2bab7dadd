//! The search page in a real browser: `news serve` on the sample corpus,
//! driven by `tests/browser/e2e.mjs` (playwright-core on Debian's Chromium).
//!
//! Marked ignored, with the reason in the test summary, when the build
//! found no node, /usr/bin/chromium or tests/browser/node_modules/
//! playwright-core (the build script, `src/build/main.rs`); with
//! `NEWS_REQUIRE_BROWSER` set, as `.ci/run` does, it always runs and a
//! missing tool is a failure. The screenshot goes to
//! `target/browser/search-page.png`; with `UPDATE_SCREENSHOT=1` it is also
//! copied to `tests/browser/search-page.png`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Env, Server, drain, repo};

const CHROMIUM: &str = "/usr/bin/chromium";
const BROWSER_TIMEOUT: Duration = Duration::from_secs(120);

/// A child process killed when dropped, so a failing test leaves none behind.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Why the browser test cannot run here, if it cannot.
fn missing_tools(browser_dir: &Path) -> Option<String> {
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !matches!(node, Ok(s) if s.success()) {
        return Some("`node` is not on PATH".into());
    }
    if !Path::new(CHROMIUM).exists() {
        return Some(format!("{CHROMIUM} is missing (apt-get install chromium)"));
    }
    if !browser_dir.join("node_modules/playwright-core").is_dir() {
        return Some(format!(
            "{}/node_modules/playwright-core is missing (run `npm ci` there)",
            browser_dir.display()
        ));
    }
    None
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => repo().join(dir),
        None => repo().join("target"),
    }
}

#[test]
#[cfg_attr(
    not(news_browser),
    ignore = "needs node, /usr/bin/chromium and playwright-core (npm ci in tests/browser)"
)]
fn search_page_works_in_a_browser() {
    let browser_dir = repo().join("tests/browser");
    if let Some(why) = missing_tools(&browser_dir) {
        panic!("the browser test cannot run: {why}");
    }

    let env = Env::new();
    env.index_path(&repo().join("sample-corpus")).code(0);

    let server = Server::start(&env, &[]);
    let url = format!("http://{}", server.addr);

    let shots = target_dir().join("browser");
    std::fs::create_dir_all(&shots).expect("create target/browser");
    let screenshot = shots.join("search-page.png");
    let _ = std::fs::remove_file(&screenshot);

    let started = Instant::now();
    let mut node = KillOnDrop(
        Command::new("node")
            .arg("e2e.mjs")
            .arg(&url)
            .arg(&screenshot)
            .current_dir(&browser_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start node"),
    );
    let out = drain(node.0.stdout.take().expect("node stdout"));
    let err = drain(node.0.stderr.take().expect("node stderr"));
    let status = loop {
        if let Some(status) = node.0.try_wait().expect("wait for node") {
            break Some(status);
        }
        if started.elapsed() > BROWSER_TIMEOUT {
            let _ = node.0.kill();
            let _ = node.0.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let elapsed = started.elapsed();
    let (out, err) = (
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    );
    let report = format!(
        "\ncommand: node tests/browser/e2e.mjs {url} {}\n--- stdout\n{out}\n--- stderr\n{err}",
        screenshot.display()
    );
    match status {
        None => panic!("the browser test did not finish in {BROWSER_TIMEOUT:?}{report}"),
        Some(s) if !s.success() => panic!("the browser test failed ({s}){report}"),
        Some(_) => {}
    }
    eprintln!(
        "browser test passed in {:.1} s; screenshot {}",
        elapsed.as_secs_f64(),
        screenshot.display()
    );

    let png = std::fs::read(&screenshot).expect("the browser test wrote no screenshot");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "the screenshot is not a real PNG ({} bytes)",
        png.len()
    );
    if std::env::var_os("UPDATE_SCREENSHOT").is_some_and(|v| v == "1") {
        let kept = browser_dir.join("search-page.png");
        std::fs::copy(&screenshot, &kept).expect("copy the screenshot");
        eprintln!("updated {}", kept.display());
    }
    drop(server);
}
