//! A small harness that drives the real `news` binary: a temp folder per
//! test with a corpus and an index, a clean environment, and failures that
//! show the command, its exit code, stdout and stderr.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;

use serde::de::DeserializeOwned;

/// The built binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_news");

/// The repository root (for `sample-corpus/` and `../shared/`).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Shared data outside the repository, when present.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = repo().join("..").join("shared").join(rel);
    path.exists().then_some(path)
}

/// One test's sandbox.
pub struct Env {
    tmp: tempfile::TempDir,
    /// Where test articles are written.
    pub corpus: PathBuf,
    /// The index folder passed with `--index`.
    pub index: PathBuf,
    home: PathBuf,
    /// The user and group every command runs as, when not the test's own.
    user: Option<(u32, u32)>,
    /// The binary this env runs.
    bin: PathBuf,
}

/// A finished command.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub cmdline: String,
}

impl Run {
    /// Asserts the exit code, showing everything when it differs.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Run {
        assert_eq!(
            self.code, expected,
            "\ncommand: {}\nexit code {} (expected {expected})\n--- stdout\n{}\n--- stderr\n{}",
            self.cmdline, self.code, self.stdout, self.stderr
        );
        self
    }

    /// Parses stdout as one JSON value.
    #[track_caller]
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "\ncommand: {}\nstdout is not the expected JSON ({e}):\n{}\n--- stderr\n{}",
                self.cmdline, self.stdout, self.stderr
            )
        })
    }

    /// Parses stdout as JSON lines.
    #[track_caller]
    pub fn json_lines<T: DeserializeOwned>(&self) -> Vec<T> {
        self.stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| {
                    panic!("\ncommand: {}\nbad JSON line ({e}): {l}", self.cmdline)
                })
            })
            .collect()
    }
}

impl Env {
    pub fn new() -> Env {
        let tmp = tempfile::tempdir().expect("temp dir");
        let corpus = tmp.path().join("corpus");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&corpus).expect("corpus dir");
        std::fs::create_dir_all(&home).expect("home dir");
        Env {
            index: tmp.path().join("index"),
            corpus,
            home,
            user: None,
            bin: PathBuf::from(BIN),
            tmp,
        }
    }

    /// A sandbox whose commands run as an unprivileged user: `nobody` when
    /// the tests run as root (as CI does), where file permissions would
    /// not stop a read; the test's own user otherwise. Files written with
    /// [`Env::write`] stay owned by the test and readable by everyone.
    #[cfg(unix)]
    pub fn unprivileged() -> Env {
        let mut env = Env::new();
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            let (uid, gid) = (65534, 65534); // nobody, nogroup
            for dir in [env.tmp.path(), &env.home] {
                std::os::unix::fs::chown(dir, Some(uid), Some(gid)).expect("chown sandbox");
            }
            env.user = Some((uid, gid));
            // The build's folder may be closed to that user (a clone in a
            // private temporary folder): it runs a link to the binary kept
            // in its own sandbox.
            let bin = env.tmp.path().join("news");
            if std::fs::hard_link(BIN, &bin).is_err() {
                std::fs::copy(BIN, &bin).expect("copy the binary into the sandbox");
            }
            env.bin = bin;
        }
        env
    }

    /// An env over existing folders (another thread's view of a sandbox,
    /// which the first env keeps and removes).
    pub fn with_paths(corpus: PathBuf, index: PathBuf) -> Env {
        let tmp = tempfile::tempdir().expect("temp dir");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home).expect("home dir");
        Env {
            tmp,
            corpus,
            index,
            home,
            user: None,
            bin: PathBuf::from(BIN),
        }
    }

    /// Writes an article under the corpus folder, creating parent folders.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.corpus.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("parent dir");
        }
        std::fs::write(&path, content).expect("write article");
        path
    }

    /// A command for the binary with a clean environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("XDG_DATA_HOME", self.home.join("data"))
            .args(args);
        #[cfg(unix)]
        if let Some((uid, gid)) = self.user {
            use std::os::unix::process::CommandExt;
            // SAFETY: only async-signal-safe calls between fork and exec.
            unsafe {
                cmd.pre_exec(move || {
                    if libc::setgroups(0, std::ptr::null()) != 0
                        || libc::setgid(gid) != 0
                        || libc::setuid(uid) != 0
                    {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        cmd
    }

    /// Runs the binary with `args` (no `--index` added).
    pub fn run_raw(&self, args: &[&str]) -> Run {
        let cmdline = format!("news {}", args.join(" "));
        let out = self.command(args).output().expect("run news");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            cmdline,
        }
    }

    /// Runs the binary on this sandbox's index.
    pub fn run(&self, args: &[&str]) -> Run {
        let index = self.index.to_string_lossy().into_owned();
        let mut all = vec!["--index", index.as_str()];
        all.extend_from_slice(args);
        self.run_raw(&all)
    }

    /// Indexes the sandbox corpus, expecting success.
    pub fn index_corpus(&self) -> Run {
        let corpus = self.corpus.to_string_lossy().into_owned();
        let run = self.run(&["index", &corpus]);
        run.code(0);
        run
    }

    /// Indexes a given path.
    pub fn index_path(&self, path: &Path) -> Run {
        let p = path.to_string_lossy().into_owned();
        self.run(&["index", &p])
    }

    /// Runs `search --json` with extra args and parses the contract.
    pub fn search<T: DeserializeOwned>(&self, query: &str, extra: &[&str]) -> T {
        let mut args = vec!["search", "--json"];
        args.extend_from_slice(extra);
        args.push("--");
        args.push(query);
        let run = self.run(&args);
        assert!(
            run.code == 0 || run.code == 1,
            "\ncommand: {}\nexit {}\n{}",
            run.cmdline,
            run.code,
            run.stderr
        );
        run.json()
    }
}

impl Env {
    /// Runs the binary with `args` (no `--index` added), feeding `input` on stdin.
    pub fn run_raw_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        let cmdline = format!("news {} < input", args.join(" "));
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run news");
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(input).expect("write stdin");
        }
        let out = child.wait_with_output().expect("wait for news");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            cmdline,
        }
    }

    /// Runs the binary on this sandbox's index, feeding `input` on stdin.
    pub fn run_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        let index = self.index.to_string_lossy().into_owned();
        let mut all = vec!["--index", index.as_str()];
        all.extend_from_slice(args);
        self.run_raw_stdin(&all, input)
    }
}

/// Reads a pipe to the end on its own thread.
pub fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// A running `news serve`, killed when dropped.
pub struct Server {
    child: Child,
    /// `host:port` it listens on.
    pub addr: String,
    stderr: Option<JoinHandle<String>>,
    _stdout: JoinHandle<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Starts `news serve` on a free loopback port of the env's index.
    pub fn start(env: &Env, extra: &[&str]) -> Server {
        Server::start_with(env, extra, |_| {})
    }

    /// Starts `news serve` with the command adjusted by `configure` first.
    pub fn start_with(env: &Env, extra: &[&str], configure: impl FnOnce(&mut Command)) -> Server {
        let index = env.index.to_string_lossy().into_owned();
        let mut args = vec![
            "--index",
            index.as_str(),
            "serve",
            "--listen",
            "127.0.0.1:0",
        ];
        args.extend_from_slice(extra);
        let mut command = env.command(&args);
        configure(&mut command);
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start news serve");
        let stderr = child.stderr.take().map(drain);
        let mut stdout = BufReader::new(child.stdout.take().expect("server stdout"));
        let mut line = String::new();
        let _ = stdout.read_line(&mut line);
        // Keep reading stdout so the server never blocks on a full pipe.
        let stdout = drain(stdout);
        let addr = line
            .trim()
            .rsplit("http://")
            .next()
            .unwrap_or_default()
            .to_string();
        let mut server = Server {
            child,
            addr,
            stderr,
            _stdout: stdout,
        };
        if !server.addr.starts_with("127.0.0.1:") {
            let _ = server.child.kill();
            let err = server
                .stderr
                .take()
                .and_then(|h| h.join().ok())
                .unwrap_or_default();
            panic!("news serve did not say where it listens: {line:?}\n--- stderr\n{err}");
        }
        server
    }
}

/// A small deterministic generator (xorshift), so failures reproduce.
pub struct Rng(pub u64);

impl Rng {
    /// The next pseudo-random number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Polls `check` every 50 ms until it returns `Some`, or panics with
/// `what` once `limit` has passed.
#[track_caller]
pub fn eventually<T>(
    limit: std::time::Duration,
    what: &str,
    mut check: impl FnMut() -> Option<T>,
) -> T {
    let start = std::time::Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A running `news index --watch`, killed when dropped.
pub struct Watcher {
    child: Option<Child>,
    stdout: Option<JoinHandle<String>>,
    stderr: Option<JoinHandle<String>>,
}

impl Watcher {
    /// Starts `news index --watch` on the env's corpus and waits until its
    /// first pass is done and it watches.
    pub fn start(env: &Env, extra: &[&str]) -> Watcher {
        let index = env.index.to_string_lossy().into_owned();
        let corpus = env.corpus.to_string_lossy().into_owned();
        let mut args = vec!["--index", index.as_str(), "index", "--watch"];
        args.extend_from_slice(extra);
        args.push(corpus.as_str());
        let mut child = env
            .command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start news index --watch");
        let stdout = child.stdout.take().map(drain);
        let (tx, rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().map(|pipe| {
            std::thread::spawn(move || {
                let mut all = String::new();
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if line.starts_with("watching ") {
                        let _ = tx.send(());
                    }
                    all.push_str(&line);
                    all.push('\n');
                }
                all
            })
        });
        let mut watcher = Watcher {
            child: Some(child),
            stdout,
            stderr,
        };
        if rx.recv_timeout(std::time::Duration::from_secs(60)).is_err() {
            let run = watcher.kill();
            panic!(
                "news index --watch did not start watching\n--- stdout\n{}\n--- stderr\n{}",
                run.stdout, run.stderr
            );
        }
        watcher
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Sends a signal and waits (at most 60 s) for the process to exit.
    pub fn signal(mut self, signal: libc::c_int) -> Run {
        // SAFETY: a plain kill(2) of our own child.
        unsafe { libc::kill(self.pid() as libc::pid_t, signal) };
        let start = std::time::Instant::now();
        let status = loop {
            let child = self.child.as_mut().expect("running watcher");
            if let Some(status) = child.try_wait().expect("wait for the watcher") {
                break status;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(60),
                "news index --watch did not exit after signal {signal}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        self.child = None;
        self.finished(status.code().unwrap_or(-1))
    }

    /// Kills the process at once (SIGKILL).
    pub fn kill(&mut self) -> Run {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        self.finished(-1)
    }

    fn finished(&mut self, code: i32) -> Run {
        let join =
            |h: Option<JoinHandle<String>>| h.and_then(|h| h.join().ok()).unwrap_or_default();
        Run {
            code,
            stdout: join(self.stdout.take()),
            stderr: join(self.stderr.take()),
            cmdline: "news index --watch".into(),
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
