//! `news serve`: the JSON API on a temp index, its limits, and a barrage of
//! random and malformed requests.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::contract::Results;
use crate::harness::{Env, Rng, Server, repo};

impl Server {
    /// Sends raw request bytes; returns the status and body.
    pub fn raw(&self, request: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        stream.write_all(request).unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    /// GET a path (already encoded).
    pub fn get(&self, path: &str) -> (u16, String) {
        self.raw(
            format!(
                "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.addr
            )
            .as_bytes(),
        )
    }

    /// GET a path and parse the JSON body.
    pub fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let (status, body) = self.get(path);
        let value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {body:?}"));
        (status, value)
    }
}

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

fn sample_server() -> (Env, Server) {
    let env = Env::new();
    env.index_path(&repo().join("sample-corpus")).code(0);
    let server = Server::start(&env, &[]);
    (env, server)
}

#[test]
fn search_articles_similar_stats_health() {
    let (_env, server) = sample_server();
    let (status, body) = server.get("/api/search?q=Ebrard%20DEA&limit=3&facets=1");
    assert_eq!(status, 200, "{body}");
    let r: Results = serde_json::from_str(&body).unwrap();
    assert!(r.hits[0].path.ends_with("mexico-us-security-dialogue.md"));
    assert!(r.facets.is_some());
    let id = encode(&r.hits[0].id);
    let (status, article) = server.json(&format!("/api/articles/{id}"));
    assert_eq!(status, 200);
    assert_eq!(article["date"], "2021-10-08");
    assert!(article["body"].as_str().unwrap().contains("Ebrard"));
    let (status, similar) = server.json(&format!("/api/articles/{id}/similar?limit=3"));
    assert_eq!(status, 200);
    assert_eq!(similar["hits"].as_array().unwrap().len(), 3);
    let (status, stats) = server.json("/api/stats");
    assert_eq!((status, stats["articles"].as_u64()), (200, Some(46)));
    let (status, health) = server.json("/health");
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));
    let (status, page) = server.get("/");
    assert_eq!(status, 200);
    assert!(
        page.contains("<html") || page.contains("<!doctype"),
        "{page}"
    );
    // Filters and sorting use the same request as the command line.
    let (_, r) = server.json("/api/search?q=*&entity=Marcelo%20Ebrard&sort=newest&since=2020");
    let dates: Vec<&str> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert!(
        !dates.is_empty() && dates.windows(2).all(|w| w[0] >= w[1]),
        "{dates:?}"
    );
}

#[test]
fn client_mistakes_are_4xx_json_errors() {
    let (_env, server) = sample_server();
    for (path, status, code) in [
        ("/api/search?q=%22unclosed", 400, "bad_query"),
        ("/api/search?q=x&limit=101", 400, "bad_parameter"),
        ("/api/search?q=x&limit=0", 400, "bad_parameter"),
        ("/api/search?q=x&offset=10001", 400, "bad_parameter"),
        ("/api/search?q=x&sort=random", 400, "bad_parameter"),
        ("/api/search?q=x&file=/etc/passwd", 400, "bad_parameter"),
        ("/api/articles/nope", 404, "not_found"),
        ("/api/articles/%2Fetc%2Fpasswd", 404, "not_found"),
        ("/nothing/here", 404, "not_found"),
    ] {
        let (got, body) = server.json(path);
        assert_eq!(got, status, "{path}: {body}");
        assert_eq!(body["error"]["code"], code, "{path}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    let long = format!("/api/search?q={}", "a".repeat(3000));
    assert_eq!(server.json(&long).0, 400);
    let (status, _) = server.raw(b"POST /api/search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
    assert_eq!(status, 405);
}

#[test]
fn cors_is_off_unless_asked() {
    let (env, server) = sample_server();
    let request = b"GET /health HTTP/1.1\r\nHost: localhost\r\nOrigin: https://example.test\r\nConnection: close\r\n\r\n";
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream.write_all(request).unwrap();
    let mut head = String::new();
    stream.read_to_string(&mut head).unwrap();
    assert!(
        !head.to_lowercase().contains("access-control-allow-origin"),
        "{head}"
    );
    drop(server);
    let server = Server::start(&env, &["--cors", "https://example.test"]);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream.write_all(request).unwrap();
    let mut head = String::new();
    stream.read_to_string(&mut head).unwrap();
    assert!(
        head.to_lowercase()
            .contains("access-control-allow-origin: https://example.test"),
        "{head}"
    );
}

#[test]
fn new_commits_are_seen_within_a_second() {
    let env = Env::new();
    env.write("a.txt", "Floods\n\nThe river burst its banks.");
    env.index_corpus();
    let server = Server::start(&env, &[]);
    // Asked twice: the second answer is the one kept, and the same.
    for _ in 0..2 {
        assert_eq!(server.json("/api/search?q=volcano").1["total"], 0);
        assert_eq!(server.json("/api/timeline?q=volcano").1["total"], 0);
    }
    env.write("b.txt", "Volcano erupts\n\nAsh covered the island.");
    env.index_corpus();
    let seen_at = std::time::Instant::now();
    loop {
        // A kept answer never outlives the index version it came from.
        if server.json("/api/search?q=volcano").1["total"] == 1
            && server.json("/api/timeline?q=volcano").1["total"] == 1
        {
            break;
        }
        assert!(
            seen_at.elapsed() < Duration::from_millis(1500),
            "the new article was not seen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_thousand_random_and_malformed_requests_never_get_a_server_error() {
    let (_env, server) = sample_server();
    let mut rng = Rng(0xC0FF_EE12_3456_789B);
    let paths = [
        "/api/search",
        "/api/articles/",
        "/api/articles/x/similar",
        "/api/stats",
        "/health",
        "/",
        "/../../etc/passwd",
        "/api/../../../etc/passwd",
        "/api/articles/..%2F..%2Fetc%2Fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/api/search/",
        "//api//search",
        "/app.js",
        "/style.css",
        "/api/articles/%00",
        "/api/articles/%FF%FE/similar",
        "/favicon.ico",
    ];
    let keys = [
        "q", "limit", "offset", "since", "until", "sort", "entity", "person", "org", "place",
        "lang", "facets", "fuzzy", "recent", "collapse", "file", "path", "", "q[]", "%00",
    ];
    let values = [
        "Ebrard",
        "DEA",
        "%22",
        "%28",
        "a:(^",
        "-%20*",
        "*",
        "0",
        "-1",
        "101",
        "99999999999999999999",
        "1e9",
        "NaN",
        "2021",
        "2021-13",
        "0000-00-00",
        "9999-12-31",
        "%FF%FE",
        "%E2%80%9C",
        "true",
        "maybe",
        "newest",
        "random",
        "..%2F..%2Fetc%2Fpasswd",
        "%25%25%25",
        "%",
        "%G1",
        "date:[*%20TO%20*]",
        "Ebrad~2",
        "secur*",
        "%0D%0AX-Injected:%201",
    ];
    let mut server_errors = Vec::new();
    for i in 0..1000 {
        let mut path = rng.pick(&paths).to_string();
        let params = rng.next() % 5;
        for p in 0..params {
            path.push(if p == 0 { '?' } else { '&' });
            path.push_str(rng.pick(&keys));
            if !rng.next().is_multiple_of(4) {
                path.push('=');
                let repeat = if rng.next().is_multiple_of(50) {
                    500
                } else {
                    1
                };
                path.push_str(&rng.pick(&values).repeat(repeat));
            }
        }
        let request = match i % 10 {
            // Raw garbage and protocol abuse.
            0 => format!(
                "{} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                rng.pick(&["PUT", "DELETE", "BREW", "get", "OPTIONS"])
            ),
            1 => format!("GET {path}\r\n\r\n"),
            2 => format!(
                "GET {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999\r\nConnection: close\r\n\r\nxyz"
            ),
            3 => format!(
                "GET /api/search?q={} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "%F0%9F%92%A9".repeat(300)
            ),
            _ => format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
        };
        let (status, body) = server.raw(request.as_bytes());
        if status >= 500 {
            server_errors.push(format!("{status} for {request:?}: {body}"));
        }
    }
    assert!(
        server_errors.is_empty(),
        "{} server errors:\n{}",
        server_errors.len(),
        server_errors.join("\n")
    );
    let (status, health) = server.json("/health");
    assert_eq!(
        (status, health["status"].as_str()),
        (200, Some("ok")),
        "the server still answers"
    );
}
