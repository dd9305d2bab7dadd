//! Files made to hurt the indexer or the terminal: a gzip bomb, a file
//! expanding past the decompressed-size cap, names that are not UTF-8, and
//! text with controls that reorder or restyle a terminal line.

use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::{Env, drain};

/// A finished run with its peak resident memory.
pub(crate) struct Measured {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub peak_rss_bytes: u64,
    pub took: Duration,
}

/// Runs the binary on the env's index, killing it after `limit`, and reads
/// its peak resident memory from the kernel.
// The child is reaped by `wait4`, which std's `wait` cannot replace: only
// it returns the child's resource usage.
#[allow(clippy::zombie_processes)]
pub(crate) fn run_measured(env: &Env, args: &[&str], limit: Duration) -> Measured {
    let index = env.index.to_string_lossy().into_owned();
    let mut all = vec!["--index", index.as_str()];
    all.extend_from_slice(args);
    let mut child = env
        .command(&all)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    let pid = child.id() as libc::pid_t;
    let started = Instant::now();
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped; the pointers are
        // to live locals.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            break;
        }
        assert!(reaped == 0, "wait4 failed");
        if started.elapsed() > limit {
            let _ = child.kill();
            // SAFETY: as above.
            unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            panic!(
                "news {} still running after {limit:?} (peak {} MB)",
                args.join(" "),
                usage.ru_maxrss / 1024
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Measured {
        code,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        // Linux reports kilobytes.
        peak_rss_bytes: usage.ru_maxrss as u64 * 1024,
        took: started.elapsed(),
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

#[test]
fn a_gzip_bomb_stops_early_in_bounded_memory_whatever_the_file_size_cap() {
    let env = Env::new();
    // 10,240 members of 1 MiB each: a 10 MB file expanding to 10 GiB.
    let member = gzip(&vec![b'a'; 1 << 20]);
    let bomb: Vec<u8> = member.repeat(10_240);
    assert!(bomb.len() < 12 << 20, "{}", bomb.len());
    env.write("bomb.txt.gz", &bomb);
    env.write(
        "fine.txt",
        "Harbour reopens\n\nThe harbour reopened on Monday.",
    );
    let corpus = env.corpus.to_string_lossy().into_owned();
    let run = run_measured(
        &env,
        &[
            "index",
            "--json",
            "--max-file-size",
            "100000000000",
            &corpus,
        ],
        Duration::from_secs(60),
    );
    eprintln!(
        "gzip bomb: exit {}, {:?}, peak {} MB",
        run.code,
        run.took,
        run.peak_rss_bytes >> 20
    );
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    let summary: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(summary["skipped"]["compression-bomb"], 1, "{summary}");
    assert_eq!(summary["indexed"], 1, "{summary}");
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("bomb.txt.gz"))
        .unwrap_or_else(|| panic!("no report of the bomb: {}", run.stderr));
    assert!(line.contains("compression-bomb"), "{line}");
    assert!(
        run.peak_rss_bytes < 300 << 20,
        "peak {} MB",
        run.peak_rss_bytes >> 20
    );
}

#[test]
fn the_decompressed_size_cap_is_its_own_flag() {
    let env = Env::new();
    // About 2 MB of ordinary words: compresses a few times, not a bomb.
    let words = [
        "harbour", "council", "budget", "river", "strike", "minister",
    ];
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut text = String::from("Harbour budget\n\n");
    while text.len() < 2_000_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        text.push_str(words[(state % 6) as usize]);
        text.push(if state.is_multiple_of(11) { '\n' } else { ' ' });
    }
    let gz = gzip(text.as_bytes());
    assert!(
        gz.len() * 100 > text.len(),
        "the test file must not look like a bomb"
    );
    env.write("big.txt.gz", &gz);
    let corpus = env.corpus.to_string_lossy().into_owned();
    let run = env.run(&[
        "index",
        "--json",
        "--max-file-size",
        "100000000000",
        "--max-decompressed-size",
        "1000000",
        &corpus,
    ]);
    run.code(3);
    let summary: serde_json::Value = run.json();
    assert_eq!(summary["skipped"]["too-large"], 1, "{summary}");
    assert!(
        run.stderr
            .contains("more than 1000000 bytes once decompressed"),
        "{}",
        run.stderr
    );
    // Under the default cap the same file is indexed.
    let run = env.run(&["index", "--json", &corpus]);
    run.code(0);
    assert_eq!(run.json::<serde_json::Value>()["indexed"], 1);
}

#[test]
fn a_file_name_that_is_not_utf8_is_reported_as_bad_path() {
    let env = Env::new();
    env.write("good.txt", "Harbour\n\nThe harbour reopened.");
    let bad = env
        .corpus
        .join(std::ffi::OsStr::from_bytes(b"caf\xe9 report.txt"));
    std::fs::write(&bad, "Cafe\n\nA cafe opened.").unwrap();
    // Not an article format: counted as unsupported, whatever its name.
    let other = env
        .corpus
        .join(std::ffi::OsStr::from_bytes(b"\xff\xfe.jpg"));
    std::fs::write(&other, "not an article").unwrap();
    let corpus = env.corpus.to_string_lossy().into_owned();
    let run = env.run(&["index", "--json", &corpus]);
    run.code(3);
    let summary: serde_json::Value = run.json();
    assert_eq!(summary["skipped"]["bad-path"], 1, "{summary}");
    assert_eq!(summary["skipped"]["unsupported"], 1, "{summary}");
    assert_eq!(summary["indexed"], 1, "{summary}");
    assert!(
        run.stderr
            .lines()
            .any(|l| l.contains("bad-path") && l.contains("report.txt")),
        "{}",
        run.stderr
    );
}

/// Characters that restyle or reorder a terminal line.
const UNSAFE: [char; 14] = [
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}', '\u{009B}', '\u{0085}',
];

#[test]
fn terminal_output_has_no_bidi_or_c1_controls() {
    let env = Env::new();
    let all: String = UNSAFE.iter().collect();
    env.write(
        &format!("notes{}txt.md", '\u{202E}'),
        format!(
            "Title: Harbour {all} report\nSource: Wire\u{202E}x\u{009D}0;t\u{009C}\nTags: port\u{2066}s\n\n\
             The harbour \u{202E}denepo\u{202C} again \u{009B}2J on Monday. {all} Harbour cranes moved.\n"
        ),
    );
    env.write(
        "wire.jsonl",
        serde_json::json!({"title": format!("Harbour wire {all}"), "body": format!("Harbour body {all} end")})
            .to_string(),
    );
    env.index_corpus();
    let search = env.run(&["search", "--color", "never", "harbour"]);
    search.code(0);
    let hits: serde_json::Value = env.search("harbour", &[]);
    let mut outputs = vec![search.stdout.clone()];
    for hit in hits["hits"].as_array().unwrap() {
        let id = hit["id"].as_str().unwrap();
        let show = env.run(&["show", "--color", "never", id]).stdout;
        assert!(show.contains("arbour"), "{show}");
        outputs.push(show);
        outputs.push(env.run(&["similar", "--color", "never", id]).stdout);
    }
    assert!(search.stdout.contains("arbour"), "{}", search.stdout);
    for output in &outputs {
        let found: Vec<char> = output.chars().filter(|c| UNSAFE.contains(c)).collect();
        assert!(found.is_empty(), "{found:?} in:\n{output}");
    }
    // JSON keeps the text as it is.
    assert!(
        hits.to_string().contains('\u{202E}'),
        "JSON output must not be altered"
    );
}
