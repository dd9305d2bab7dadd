//! Symbolic links: followed inside the indexed roots, skipped and reported
//! as `outside-root` when they lead out of them (unless `--follow-outside`),
//! never looping, and their articles removed once the link is gone.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::contract::Results;
use crate::harness::{Env, Run, Server};

/// A folder beside the sandbox's corpus, outside every root.
struct Outside {
    dir: tempfile::TempDir,
}

impl Outside {
    fn new() -> Outside {
        Outside {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn write(&self, rel: &str, content: &str) -> PathBuf {
        let path = self.dir.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, content).unwrap();
        std::fs::canonicalize(path).unwrap()
    }

    fn path(&self) -> PathBuf {
        std::fs::canonicalize(self.dir.path()).unwrap()
    }
}

/// Runs `news index --json [extra] corpus`, killed if it takes over 60 s
/// (a walk that loops never ends).
fn index(env: &Env, extra: &[&str]) -> (Run, serde_json::Value) {
    let corpus = env.corpus.to_str().unwrap().to_string();
    let index = env.index.to_str().unwrap().to_string();
    let mut args = vec!["--index", index.as_str(), "index", "--json"];
    args.extend_from_slice(extra);
    args.push(&corpus);
    let mut child = env
        .command(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = crate::harness::drain(child.stdout.take().unwrap());
    let stderr = crate::harness::drain(child.stderr.take().unwrap());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("news {} did not finish in 60 s", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        cmdline: format!("news {}", args.join(" ")),
    };
    let summary = run.json();
    (run, summary)
}

fn total(env: &Env, query: &str) -> u64 {
    env.search::<Results>(query, &["--no-collapse"]).total
}

fn paths(env: &Env) -> Vec<String> {
    let mut paths: Vec<String> = env
        .search::<Results>("*", &["--no-collapse", "--limit", "100"])
        .hits
        .into_iter()
        .map(|h| h.path)
        .collect();
    paths.sort();
    paths
}

fn link(target: &Path, at: &Path) {
    symlink(target, at).unwrap();
}

#[test]
fn links_out_of_the_root_are_skipped_and_reported() {
    let env = Env::new();
    let outside = Outside::new();
    env.write("story.txt", "Harbour\n\nThe harbour reopened today.");
    let secret = outside.write("secret.txt", "Passwords\n\nroot hunter2 credentials");
    outside.write("more/notes.txt", "Notes\n\nprivate ledgerword notes");
    link(&secret, &env.corpus.join("secret.txt"));
    link(&outside.path().join("more"), &env.corpus.join("more"));

    let (run, summary) = index(&env, &[]);
    run.code(3);
    assert_eq!(summary["skipped"]["outside-root"], 2, "{summary}");
    assert_eq!(summary["indexed"], 1, "{summary}");
    for name in ["secret.txt", "more"] {
        let line = run
            .stderr
            .lines()
            .find(|l| l.contains(&format!("corpus/{name}")))
            .unwrap_or_else(|| panic!("{name} not reported:\n{}", run.stderr));
        assert!(line.contains("outside-root"), "{line}");
    }
    assert_eq!(total(&env, "hunter2"), 0);
    assert_eq!(total(&env, "ledgerword"), 0);
    assert_eq!(total(&env, "harbour"), 1);

    // A served index does not hold the target either.
    let server = Server::start(&env, &[]);
    let id: String = form_urlencoded::byte_serialize(secret.to_str().unwrap().as_bytes()).collect();
    let (status, body) = server.get(&format!("/api/articles/{id}"));
    assert_eq!(status, 404, "{body}");
}

#[test]
fn follow_outside_indexes_the_target_and_a_deleted_link_removes_it() {
    let env = Env::new();
    let outside = Outside::new();
    env.write("story.txt", "Harbour\n\nThe harbour reopened today.");
    let secret = outside.write("secret.txt", "Passwords\n\nroot hunter2 credentials");
    outside.write("more/notes.txt", "Notes\n\nprivate ledgerword notes");
    let secret_link = env.corpus.join("secret.txt");
    link(&secret, &secret_link);
    link(&outside.path().join("more"), &env.corpus.join("more"));

    let (run, summary) = index(&env, &["--follow-outside"]);
    run.code(0);
    assert_eq!(summary["indexed"], 3, "{summary}");
    assert!(
        summary["skipped"].get("outside-root").is_none(),
        "{summary}"
    );
    assert_eq!(total(&env, "hunter2"), 1);
    assert_eq!(total(&env, "ledgerword"), 1);
    assert!(paths(&env).contains(&secret.to_str().unwrap().to_string()));

    // The link is deleted: its target's article leaves the index, though
    // the target itself lies outside the root and still exists.
    std::fs::remove_file(&secret_link).unwrap();
    let (run, summary) = index(&env, &["--follow-outside"]);
    run.code(0);
    assert_eq!(summary["deleted"], 1, "{summary}");
    assert_eq!(total(&env, "hunter2"), 0);
    assert_eq!(total(&env, "ledgerword"), 1);
    assert!(secret.exists());

    // A run without the flag no longer follows the folder link: what came
    // through it leaves the index, and the link is reported.
    let (run, summary) = index(&env, &[]);
    run.code(3);
    assert_eq!(summary["skipped"]["outside-root"], 1, "{summary}");
    assert_eq!(summary["deleted"], 1, "{summary}");
    assert_eq!(total(&env, "ledgerword"), 0);
    assert_eq!(total(&env, "harbour"), 1);

    // A re-scan of the remembered roots (no path given) removes too.
    let again = Env::new();
    let secret2 = outside.write("secret2.txt", "Keys\n\nvaultword keys");
    let link2 = again.corpus.join("keys.txt");
    link(&secret2, &link2);
    index(&again, &["--follow-outside"]).0.code(0);
    assert_eq!(total(&again, "vaultword"), 1);
    std::fs::remove_file(&link2).unwrap();
    let run = again.run(&["index", "--json"]);
    run.code(0);
    assert_eq!(total(&again, "vaultword"), 0);
}

#[test]
fn links_inside_the_root_are_followed_once() {
    let env = Env::new();
    let target = env.write("a/story.txt", "Harbour\n\nThe harbour reopened today.");
    env.write("b/other.txt", "Budget\n\nThe council approved the budget.");
    link(&target, &env.corpus.join("b/alias.txt"));
    link(&env.corpus.join("a"), &env.corpus.join("c"));
    // A relative link counts by where it leads, not how it is written.
    link(
        Path::new("../a/story.txt"),
        &env.corpus.join("b/relative.txt"),
    );

    let (run, summary) = index(&env, &[]);
    run.code(0);
    assert!(
        summary["skipped"].get("outside-root").is_none(),
        "{summary}"
    );
    assert_eq!(summary["indexed"], 2, "{summary}");
    let canonical = std::fs::canonicalize(&target).unwrap();
    assert!(paths(&env).contains(&canonical.to_str().unwrap().to_string()));
}

#[test]
fn link_cycles_through_and_out_of_the_root_end() {
    let env = Env::new();
    let outside = Outside::new();
    env.write("story.txt", "Harbour\n\nThe harbour reopened today.");
    outside.write("far/notes.txt", "Notes\n\nprivate ledgerword notes");
    // corpus/out -> outside, outside/back -> corpus: a cycle through a
    // folder outside the root; corpus/self -> corpus: one inside it.
    link(&outside.path(), &env.corpus.join("out"));
    link(&env.corpus, &outside.path().join("back"));
    link(&env.corpus, &env.corpus.join("self"));

    let (run, summary) = index(&env, &[]);
    run.code(3);
    assert_eq!(summary["skipped"]["outside-root"], 1, "{summary}");
    assert_eq!(summary["indexed"], 1, "{summary}");

    let (run, summary) = index(&env, &["--follow-outside", "--rebuild"]);
    run.code(3);
    assert!(run.stderr.contains("symlink-loop"), "{}", run.stderr);
    assert_eq!(summary["indexed"], 2, "{summary}");
    assert_eq!(total(&env, "harbour"), 1);
    assert_eq!(total(&env, "ledgerword"), 1);
}
