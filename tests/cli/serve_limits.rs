//! `news serve` under hostile clients: slow, idle and non-reading
//! connections, bursts of searches, foreign `Host` names, bad `--cors`
//! values, and the security headers. Everything stays on loopback and every
//! wait is bounded.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use news_search::serve::{HEADER_TIMEOUT, RUNNING_PER_CORE, WAITING_PER_CORE, WRITE_STALL_TIMEOUT};

use crate::harness::{Env, Server, repo};

/// One answer, head and body apart.
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn parse(bytes: &[u8]) -> Answer {
        let text = String::from_utf8_lossy(bytes);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        Answer {
            status: head
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0),
            head: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    }

    /// The value of a header (names in lower case).
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            (key.trim() == name).then(|| value.trim())
        })
    }
}

/// Sends a request with `Connection: close` and reads the whole answer.
fn send(addr: &str, request: &str) -> Answer {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    Answer::parse(&bytes)
}

fn get_as(addr: &str, host: &str, path: &str) -> Answer {
    send(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
}

fn sample() -> Env {
    let env = Env::new();
    env.index_path(&repo().join("sample-corpus")).code(0);
    env
}

/// Reads until the server closes the connection or `deadline` passes;
/// returns when it closed, if it did.
fn closed_by(stream: &mut TcpStream, deadline: Instant) -> Option<Instant> {
    let mut buf = [0u8; 8192];
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        stream
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        match stream.read(&mut buf) {
            Ok(0) => return Some(Instant::now()),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return None;
            }
            Err(_) => return Some(Instant::now()),
        }
    }
}

/// The limits as the README states them.
#[test]
fn stated_timeouts() {
    assert_eq!(HEADER_TIMEOUT, Duration::from_secs(5));
    assert_eq!(WRITE_STALL_TIMEOUT, Duration::from_secs(10));
}

/// Starts a server whose open-file limit is `soft` and `hard`.
fn start_with_files(env: &Env, soft: u64, hard: u64) -> Server {
    Server::start_with(env, &[], |command| {
        use std::os::unix::process::CommandExt;
        // SAFETY: setrlimit is async-signal-safe and touches no memory
        // shared with the parent.
        unsafe {
            command.pre_exec(move || rlimit::setrlimit(rlimit::Resource::NOFILE, soft, hard));
        }
    })
}

#[test]
fn two_hundred_slow_or_idle_sockets_never_stop_health_and_are_closed() {
    let env = sample();
    // A low open-file limit, as on many desktops: the server raises it
    // where the hard limit allows.
    let (_, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
    let _ = rlimit::increase_nofile_limit(4096);
    let low_limit = hard >= 2048;
    if !low_limit {
        eprintln!("hard open-file limit {hard}: the server keeps the default limit");
    }
    let server = if low_limit {
        start_with_files(&env, 160, hard)
    } else {
        Server::start(&env, &[])
    };
    let addr = server.addr.clone();
    let opened = Instant::now();
    // 70 send a header line every half second, 70 send nothing, 60 go idle
    // after one request on a kept-alive connection.
    let mut slow: Vec<TcpStream> = (0..70)
        .map(|_| {
            let mut s = TcpStream::connect(&addr).unwrap();
            s.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
                .unwrap();
            s
        })
        .collect();
    let mut idle: Vec<TcpStream> = (0..70)
        .map(|_| TcpStream::connect(&addr).unwrap())
        .collect();
    let mut kept: Vec<(TcpStream, Instant)> = (0..60)
        .map(|_| {
            let mut s = TcpStream::connect(&addr).unwrap();
            s.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .unwrap();
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut buf = [0u8; 4096];
            let n = s.read(&mut buf).unwrap_or(0);
            assert!(
                buf[..n].starts_with(b"HTTP/1.1 200"),
                "{:?}",
                String::from_utf8_lossy(&buf[..n])
            );
            (s, Instant::now())
        })
        .collect();
    let trickle: Vec<TcpStream> = slow.iter().map(|s| s.try_clone().unwrap()).collect();
    let trickler = std::thread::spawn(move || {
        let mut trickle = trickle;
        let until = Instant::now() + HEADER_TIMEOUT + Duration::from_secs(4);
        while Instant::now() < until && !trickle.is_empty() {
            trickle.retain_mut(|s| s.write_all(b"X-Slow: 1\r\n").is_ok());
            std::thread::sleep(Duration::from_millis(500));
        }
    });
    let mut latencies = Vec::new();
    for _ in 0..10 {
        let start = Instant::now();
        let answer = get_as(&addr, "localhost", "/health");
        latencies.push(start.elapsed());
        assert_eq!(answer.status, 200, "health with 200 sockets held");
        std::thread::sleep(Duration::from_millis(200));
    }
    let worst = latencies.iter().max().copied().unwrap_or_default();
    eprintln!("/health with 200 slow or idle sockets open: worst of 10 {worst:?}");
    assert!(worst < Duration::from_secs(1), "{latencies:?}");
    let deadline = opened + HEADER_TIMEOUT + Duration::from_secs(4);
    for (kind, streams) in [("slow", &mut slow), ("idle", &mut idle)] {
        for s in streams.iter_mut() {
            assert!(
                closed_by(s, deadline).is_some(),
                "a {kind} connection stayed open past the header timeout"
            );
        }
    }
    for (s, answered) in &mut kept {
        let closed = closed_by(s, deadline).expect("an idle kept-alive connection stayed open");
        let idle_for = closed - *answered;
        assert!(
            idle_for + Duration::from_millis(500) >= HEADER_TIMEOUT,
            "closed after {idle_for:?} of idling"
        );
    }
    let _ = trickler.join();
    assert_eq!(get_as(&addr, "localhost", "/health").status, 200);
}

#[test]
fn under_a_low_open_file_limit_extra_clients_wait_for_a_free_connection() {
    let env = sample();
    // A limit of 160 that cannot be raised leaves room for 32 connections.
    let server = start_with_files(&env, 160, 160);
    let held: Vec<TcpStream> = (0..32)
        .map(|_| TcpStream::connect(&server.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let opened = Instant::now();
    let answer = get_as(&server.addr, "localhost", "/health");
    let waited = opened.elapsed();
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        waited + Duration::from_millis(800) >= HEADER_TIMEOUT,
        "answered after {waited:?} with every connection taken"
    );
    drop(held);
    let opened = Instant::now();
    assert_eq!(get_as(&server.addr, "localhost", "/health").status, 200);
    assert!(opened.elapsed() < Duration::from_secs(1));
}

#[test]
fn search_threads_run_at_a_lower_priority_than_network_threads() {
    let env = sample();
    let server = Server::start(&env, &[]);
    assert_eq!(
        get_as(&server.addr, "localhost", "/api/search?q=Ebrard").status,
        200
    );
    let tasks = format!("/proc/{}/task", server.pid());
    let entries = std::fs::read_dir(&tasks).unwrap_or_else(|e| panic!("{tasks}: {e}"));
    // Field 19 of a thread's stat line is its nice value; the name, field 2,
    // is in parentheses and may hold spaces.
    let nice: Vec<i64> = entries
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path().join("stat")).ok())
        .filter_map(|stat| {
            let after_name = stat.rsplit_once(") ")?.1;
            after_name.split_whitespace().nth(16)?.parse().ok()
        })
        .collect();
    // The server starts at the test's own nice value (10 under `nice`).
    // SAFETY: a plain system call.
    let base = i64::from(unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) });
    let lowered = (base + 10).min(19);
    assert!(base < 19, "the tests run at the lowest priority already");
    assert!(nice.contains(&lowered), "no lowered thread: {nice:?}");
    assert!(nice.contains(&base), "every thread lowered: {nice:?}");
}

#[test]
fn a_client_that_stops_reading_is_dropped() {
    let env = sample();
    let server = Server::start(&env, &[]);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    // Ask for far more than socket buffers hold, and read none of it.
    let request = "GET /app.js HTTP/1.1\r\nHost: localhost\r\n\r\n".repeat(3000);
    stream.set_nonblocking(true).unwrap();
    let mut sent = 0;
    let started = Instant::now();
    while sent < request.len() && started.elapsed() < Duration::from_secs(3) {
        match stream.write(&request.as_bytes()[sent..]) {
            Ok(n) => sent += n,
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    stream.set_nonblocking(false).unwrap();
    // Still open a little before the limit: answers wait, unread.
    std::thread::sleep(
        (WRITE_STALL_TIMEOUT - Duration::from_secs(2)).saturating_sub(started.elapsed()),
    );
    stream
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    let mut peeked = [0u8; 16];
    assert!(
        matches!(stream.peek(&mut peeked), Ok(n) if n > 0),
        "closed before the write-stall timeout"
    );
    std::thread::sleep(
        (WRITE_STALL_TIMEOUT + Duration::from_secs(2)).saturating_sub(started.elapsed()),
    );
    let closed = closed_by(&mut stream, Instant::now() + Duration::from_secs(5));
    assert!(
        closed.is_some(),
        "a connection whose client stopped reading stayed open"
    );
    assert_eq!(get_as(&server.addr, "localhost", "/health").status, 200);
}

/// A corpus large enough that a page of 100 hits with facets takes a while.
fn larger() -> Env {
    let env = Env::new();
    let words = [
        "harbour", "council", "budget", "river", "strike", "election", "minister", "storm",
        "market", "school", "hospital", "railway", "festival", "court", "police", "energy",
    ];
    let mut lines = String::new();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for i in 0..1500 {
        let mut body = Vec::new();
        for _ in 0..80 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            body.push(words[(state % words.len() as u64) as usize]);
        }
        lines.push_str(
            &serde_json::json!({
                "title": format!("Report {i} on the {}", body[0]),
                "date": format!("2020-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
                "body": body.join(" "),
            })
            .to_string(),
        );
        lines.push('\n');
    }
    env.write("all.jsonl", lines);
    let corpus = env.corpus.to_string_lossy().into_owned();
    env.run(&["index", "--no-entities", &corpus]).code(0);
    env
}

#[test]
fn a_burst_of_searches_is_shed_with_503_while_health_answers() {
    let env = larger();
    let server = Server::start(&env, &[]);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let capacity = (RUNNING_PER_CORE + WAITING_PER_CORE) * cores;
    let burst = (capacity + 60).min(900);
    let _ = rlimit::increase_nofile_limit(4096);
    let mut streams: Vec<TcpStream> = (0..burst)
        .map(|_| TcpStream::connect(&server.addr).unwrap())
        .collect();
    let request = "GET /api/search?q=*&limit=100&facets=1&sort=newest HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    for s in &mut streams {
        s.write_all(request.as_bytes()).unwrap();
    }
    let addr = server.addr.clone();
    let probe = std::thread::spawn(move || {
        let mut latencies = Vec::new();
        for _ in 0..10 {
            let start = Instant::now();
            let status = get_as(&addr, "localhost", "/health").status;
            latencies.push((status, start.elapsed()));
            std::thread::sleep(Duration::from_millis(20));
        }
        latencies
    });
    let mut ok = 0;
    let mut shed = 0;
    for s in &mut streams {
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut bytes = Vec::new();
        let _ = s.read_to_end(&mut bytes);
        let answer = Answer::parse(&bytes);
        match answer.status {
            200 => ok += 1,
            503 => {
                shed += 1;
                assert_eq!(answer.header("retry-after"), Some("1"));
                let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
                assert_eq!(body["error"]["code"], "overloaded", "{body}");
            }
            other => panic!("status {other} in a burst: {}", answer.body),
        }
    }
    let latencies = probe.join().unwrap();
    eprintln!(
        "burst of {burst} searches: {ok} answered, {shed} shed; /health during it: {latencies:?}"
    );
    assert!(shed > 0, "{burst} searches at once, none shed");
    assert!(ok > 0, "every search shed");
    assert!(
        latencies
            .iter()
            .all(|(status, took)| *status == 200 && *took < Duration::from_secs(1)),
        "{latencies:?}"
    );
    // Once the burst is over, searches are answered again.
    let answer = get_as(&server.addr, "localhost", "/api/search?q=harbour");
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[test]
fn only_requests_naming_this_server_are_answered() {
    let env = sample();
    let server = Server::start(&env, &[]);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    // A name rebound to 127.0.0.1, names that merely contain an allowed
    // one, and an address the server does not listen on.
    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".to_string(),
        "localhost.attacker.example".to_string(),
        "news.example".to_string(),
        "192.168.1.1".to_string(),
    ] {
        for path in ["/api/stats", "/health", "/", "/api/search?q=Ebrard"] {
            let answer = get_as(&server.addr, &host, path);
            assert_eq!(answer.status, 421, "Host: {host} {path}: {}", answer.body);
            let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
            assert_eq!(body["error"]["code"], "unknown_host");
        }
    }
    let answer = send(
        &server.addr,
        "GET /health HTTP/1.0\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(answer.status, 400, "no Host at all");
    // The host of an absolute URI wins over the Host header.
    let answer = send(
        &server.addr,
        "GET http://attacker.example/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(answer.status, 421, "{}", answer.body);
    let answer = send(
        &server.addr,
        "GET http://localhost/health HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    drop(server);
    let server = Server::start(&env, &["--allow-host", "news.example"]);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    for host in [
        server.addr.clone(),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("[::1]:{port}"),
        format!("News.Example:{port}"),
    ] {
        let answer = get_as(&server.addr, &host, "/api/stats");
        assert_eq!(answer.status, 200, "Host: {host}: {}", answer.body);
    }
    let answer = get_as(&server.addr, "news.example.attacker.example", "/health");
    assert_eq!(answer.status, 421);
}

/// Runs `serve` expecting it to refuse its arguments; a server that starts
/// instead is killed after a few seconds and fails the test.
fn refused(env: &Env, extra: &[&str]) -> String {
    let index = env.index.to_string_lossy().into_owned();
    let mut args = vec!["--index", &index, "serve", "--listen", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    let mut child = env
        .command(&args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            assert!(!status.success(), "serve {extra:?} succeeded");
            return stderr;
        }
        if started.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve {extra:?} started instead of refusing");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn cors_takes_origins_only_and_star_alone() {
    let env = sample();
    for bad in [
        vec!["--cors", "null"],
        vec!["--cors", "foo bar"],
        vec!["--cors", "https://a.example, https://b.example"],
        vec!["--cors", "https://a.example/app"],
        vec!["--cors", "*", "--cors", "https://a.example"],
        vec!["--allow-host", "http://a.example"],
    ] {
        let stderr = refused(&env, &bad);
        assert!(
            stderr.contains("invalid cors") || stderr.contains("invalid allow-host"),
            "{bad:?}: {stderr}"
        );
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    }
    let server = Server::start(
        &env,
        &[
            "--cors",
            "https://a.example",
            "--cors",
            "HTTP://B.example:8080/",
        ],
    );
    let from = |origin: &str| {
        send(
            &server.addr,
            &format!(
                "GET /health HTTP/1.1\r\nHost: localhost\r\nOrigin: {origin}\r\nConnection: close\r\n\r\n"
            ),
        )
    };
    assert_eq!(
        from("https://a.example").header("access-control-allow-origin"),
        Some("https://a.example")
    );
    assert_eq!(
        from("http://b.example:8080").header("access-control-allow-origin"),
        Some("http://b.example:8080")
    );
    for other in ["https://c.example", "null", "https://a.example.c.example"] {
        assert_eq!(
            from(other).header("access-control-allow-origin"),
            None,
            "{other}"
        );
    }
    drop(server);
    let server = Server::start(&env, &["--cors", "*"]);
    let answer = send(
        &server.addr,
        "GET /health HTTP/1.1\r\nHost: localhost\r\nOrigin: https://any.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
}

#[test]
fn every_answer_forbids_framing_base_and_foreign_forms_and_sends_no_referrer() {
    let env = sample();
    let server = Server::start(&env, &[]);
    for path in [
        "/",
        "/app.js",
        "/api/search?q=Ebrard",
        "/nothing",
        "/health",
    ] {
        let answer = get_as(&server.addr, "localhost", path);
        let csp = answer
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        for directive in [
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "default-src 'self'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert_eq!(
            answer.header("referrer-policy"),
            Some("no-referrer"),
            "{path}"
        );
        assert_eq!(answer.header("x-frame-options"), Some("deny"), "{path}");
    }
}

/// A corpus of 12,000 distinct articles: a page at offset 10,000 exists.
fn deep_corpus() -> Env {
    let env = Env::new();
    let syllables = [
        "ba", "ter", "lo", "mun", "ci", "pra", "vel", "dor", "sa", "ni", "quen", "ri", "tal", "mo",
        "ge", "fra", "lin", "bu", "sto", "pe",
    ];
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut lines = String::new();
    for i in 0..12_000 {
        let mut words = Vec::new();
        for _ in 0..30 {
            let n = 2 + next() % 2;
            let word: String = (0..n)
                .map(|_| syllables[(next() % syllables.len() as u64) as usize])
                .collect();
            words.push(word);
        }
        if i % 3 == 0 {
            words.push("harbour".into());
        }
        lines.push_str(
            &serde_json::json!({
                "title": format!("Story {i}"),
                "date": format!("20{:02}-{:02}-{:02}", 10 + i % 12, i % 12 + 1, i % 28 + 1),
                "body": words.join(" "),
            })
            .to_string(),
        );
        lines.push('\n');
    }
    env.write("all.jsonl", lines);
    let corpus = env.corpus.to_string_lossy().into_owned();
    env.run(&["index", "--no-entities", &corpus]).code(0);
    env
}

#[test]
fn deep_pages_answer_in_time_and_never_hold_up_ordinary_searches() {
    const DEEP: &str = "/api/search?q=*&offset=10000&limit=100";
    let env = deep_corpus();
    let server = Server::start(&env, &[]);
    // Alone, the deepest page the API allows is answered, not timed out.
    let started = Instant::now();
    let answer = get_as(&server.addr, "localhost", DEEP);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(body["total"], 12_000);
    assert_eq!(body["hits"].as_array().map(Vec::len), Some(100));
    let alone = started.elapsed();
    // Eight at once, while ordinary searches go on.
    let deep: Vec<_> = (0..8)
        .map(|_| {
            let addr = server.addr.clone();
            std::thread::spawn(move || get_as(&addr, "localhost", DEEP).status)
        })
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let mut ordinary = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let answer = get_as(&server.addr, "localhost", "/api/search?q=harbour&facets=1");
        assert_eq!(answer.status, 200, "{}", answer.body);
        ordinary.push(started.elapsed());
    }
    let statuses: Vec<u16> = deep.into_iter().map(|d| d.join().unwrap()).collect();
    eprintln!("deep page alone: {alone:?}; eight in flight: {statuses:?}; ordinary: {ordinary:?}");
    // Deep pages are answered, or shed when their own lane is full.
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "{statuses:?}"
    );
    assert!(statuses.contains(&200), "{statuses:?}");
    // No ordinary search waited for them (a deep page alone takes longer).
    let worst = ordinary.iter().max().copied().unwrap_or_default();
    assert!(
        worst < Duration::from_secs(2),
        "an ordinary search took {worst:?} with deep pages in flight: {ordinary:?}"
    );
}
