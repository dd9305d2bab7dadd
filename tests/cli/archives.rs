//! Web archives: every captured HTML or text page of a WARC file is an
//! article (`path#record-id`, its URL, when it was crawled), other records
//! are counted, a grown crawl is read on from where the last run stopped,
//! MHTML pages are read, and damaged archives never crash the indexer.

use std::io::Write;

use news_search::archive::{self, warc};
use news_search::compression::Limits;
use proptest::prelude::*;
use serde_json::Value;

use crate::harness::{Env, repo};

/// One WARC record with a correct length.
fn record(kind: &str, id: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: 2024-05-0{}T08:30:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        id.len() % 9 + 1,
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).expect("gzip");
    enc.finish().expect("gzip")
}

fn html_response(headline: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><head><title>{headline}</title></head><body><article><h1>{headline}</h1><p>{body}</p></article></body></html>"
    )
    .into_bytes()
}

/// A small crawl: warcinfo, two pages (one chunked and gzip-encoded), their
/// requests, an image and a redirect.
fn crawl() -> Vec<Vec<u8>> {
    let page = "<html><body><h1>Ferry strike ends</h1><p>Ferry crews in Port Aldren returned to work after the harbour authority agreed to a new rota.</p></body></html>";
    let encoded = gzip(page.as_bytes());
    let mut chunked = Vec::new();
    for chunk in encoded.chunks(50) {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let mut second = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
    second.extend_from_slice(&chunked);
    vec![
        record("warcinfo", "0", "", b"software: test writer\r\n"),
        record("request", "1", "https://news.example/2021/03/05/harbour-vote", b"GET /2021/03/05/harbour-vote HTTP/1.1\r\n\r\n"),
        record(
            "response",
            "2",
            "https://news.example/2021/03/05/harbour-vote",
            &html_response("Harbour wall vote", "The council of Port Aldren voted to rebuild the harbour wall."),
        ),
        record("response", "3", "https://news.example/ferry", &second),
        record("response", "4", "https://news.example/logo.png", b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n"),
        record("response", "5", "https://news.example/old", b"HTTP/1.1 301 Moved Permanently\r\nLocation: /new\r\nContent-Type: text/html\r\n\r\n<p>moved</p>"),
    ]
}

fn index_json(env: &Env) -> Value {
    let run = env.run(&["index", "--json", env.corpus.to_str().expect("utf-8")]);
    run.code(0);
    run.json()
}

fn show(env: &Env, id: &str) -> Value {
    let run = env.run(&["show", "--json", id]);
    run.code(0);
    run.json()
}

fn hit_ids(env: &Env, query: &str) -> Vec<String> {
    let results: Value = env.search(query, &["-n", "50"]);
    let mut ids: Vec<String> = results["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter_map(|h| h["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

#[test]
fn every_layout_gives_the_same_pages_with_ids_urls_and_crawl_times() {
    let records = crawl();
    let layouts = [
        ("plain.warc", records.concat()),
        (
            "members.warc.gz",
            records.iter().map(|r| gzip(r)).collect::<Vec<_>>().concat(),
        ),
        ("whole.warc.gz", gzip(&records.concat())),
    ];
    for (name, bytes) in layouts {
        let env = Env::new();
        // The archive's own dated path dates the crawl, not its pages.
        let path = env.write(&format!("crawls/2023/01/09/{name}"), &bytes);
        let path = std::fs::canonicalize(path).expect("canonical");
        let run = env.run(&["index", "--json", env.corpus.to_str().expect("utf-8")]);
        run.code(0);
        assert_eq!(
            run.stderr, "",
            "records that are not pages are only counted"
        );
        let summary: Value = run.json();
        assert_eq!(summary["indexed"], 2, "{name}: {summary}");
        assert_eq!(summary["skipped"]["other-record"], 2, "{name}: {summary}");
        assert_eq!(summary["skipped"]["not-text"], 1, "{name}: {summary}");
        assert_eq!(summary["skipped"]["http-status"], 1, "{name}: {summary}");
        let p = path.to_str().expect("utf-8");
        let vote = show(&env, &format!("{p}#urn:uuid:2"));
        assert_eq!(vote["id"], format!("{p}#urn:uuid:2"));
        assert_eq!(vote["headline"], "Harbour wall vote");
        assert_eq!(vote["url"], "https://news.example/2021/03/05/harbour-vote");
        assert_eq!(vote["crawled"], "2024-05-02T08:30:00Z");
        // The date comes from the URL, never from the crawl.
        assert_eq!(vote["date"], "2021-03-05");
        assert_eq!(vote["date_source"], "url");
        assert_eq!(vote["format"], "warc");
        let ferry = show(&env, &format!("{p}#urn:uuid:3"));
        assert!(
            ferry["body"]
                .as_str()
                .unwrap_or("")
                .contains("returned to work after the harbour authority"),
            "{name}: {ferry}"
        );
        assert_eq!(ferry["date"], Value::Null, "{name}: {ferry}");
        let results: Value = env.search("ferry", &[]);
        assert_eq!(results["hits"][0]["url"], "https://news.example/ferry");
    }
}

#[test]
fn a_grown_crawl_is_read_on_from_its_checkpoint() {
    let env = Env::new();
    let records = crawl();
    let mut bytes: Vec<u8> = records.iter().map(|r| gzip(r)).collect::<Vec<_>>().concat();
    // A crawler mid-write: the last record is cut short.
    let next = gzip(&record(
        "response",
        "6",
        "https://news.example/lighthouse",
        &html_response(
            "Lighthouse reopens",
            "The old lighthouse of Port Aldren reopened to visitors.",
        ),
    ));
    let mut cut = bytes.clone();
    cut.extend_from_slice(&next[..next.len() / 2]);
    let path = env.write("crawl.warc.gz", &cut);
    let run = env.run(&["index", "--json", env.corpus.to_str().expect("utf-8")]);
    run.code(3);
    let summary: Value = run.json();
    assert_eq!(summary["indexed"], 2, "{summary}");
    assert_eq!(summary["skipped"]["bad-record"], 1, "{summary}");
    // The record is finished and another appended: only they are read.
    bytes.extend_from_slice(&next);
    bytes.extend_from_slice(&gzip(&record(
        "response",
        "7",
        "https://news.example/museum",
        &html_response(
            "Museum hall opens",
            "A new dinosaur hall opened at the Northbridge museum.",
        ),
    )));
    std::fs::write(&path, &bytes).expect("append");
    let summary = index_json(&env);
    assert_eq!(summary["indexed"], 2, "{summary}");
    assert_eq!(summary["unchanged"], 2, "{summary}");
    assert_eq!(summary["updated"], 0, "{summary}");
    assert_eq!(summary["articles"], 4, "{summary}");
    // Records before the checkpoint were not read again: their skips are
    // not counted a second time.
    assert_eq!(summary["skipped"].get("not-text"), None, "{summary}");
    let p = std::fs::canonicalize(&path).expect("canonical");
    let p = p.to_str().expect("utf-8");
    assert_eq!(
        hit_ids(&env, "Aldren"),
        [
            format!("{p}#urn:uuid:2"),
            format!("{p}#urn:uuid:3"),
            format!("{p}#urn:uuid:6")
        ]
    );
    // Nothing new: nothing read.
    let summary = index_json(&env);
    assert_eq!(summary["indexed"], 0, "{summary}");
    assert_eq!(summary["unchanged"], 4, "{summary}");
    // Rewritten rather than grown: read again from the start.
    let mut rewritten = records.concat();
    rewritten.extend_from_slice(b"\r\n");
    std::fs::write(&path, &rewritten).expect("rewrite");
    let summary = index_json(&env);
    assert_eq!(summary["articles"], 2, "{summary}");
    assert_eq!(summary["updated"], 2, "{summary}");
}

#[test]
fn a_crawl_written_by_warcio_is_read() {
    let env = Env::new();
    let fixture = repo().join("tests/fixtures/warc/sample.warc.gz");
    std::fs::copy(&fixture, env.corpus.join("sample.warc.gz")).expect("copy fixture");
    let summary = index_json(&env);
    assert_eq!(summary["indexed"], 3, "{summary}");
    assert_eq!(summary["skipped"]["other-record"], 5, "{summary}");
    assert_eq!(summary["skipped"]["not-text"], 1, "{summary}");
    assert_eq!(summary["skipped"]["http-status"], 1, "{summary}");
    let results: Value = env.search("orchestra", &[]);
    let hit = &results["hits"][0];
    let id = hit["id"].as_str().expect("id");
    assert!(id.contains("sample.warc.gz#urn:uuid:"), "{id}");
    let orchestra = show(&env, id);
    assert_eq!(
        orchestra["headline"],
        "Chamber orchestra moves its winter season online as concert halls stay shut"
    );
    assert!(
        orchestra["url"]
            .as_str()
            .unwrap_or("")
            .ends_with("/culture/2020/12/03/chamber-orchestra-streams-season.html")
    );
    assert_eq!(orchestra["date"], "2020-12-03");
    assert_eq!(orchestra["date_source"], "url");
    assert!(
        orchestra["crawled"]
            .as_str()
            .is_some_and(|c| c.starts_with("20")),
        "{orchestra}"
    );
    assert!(
        !orchestra["body"].as_str().unwrap_or("").contains("Home"),
        "{orchestra}"
    );
    // Chunked, gzip-encoded and in Latin-1; its dateline dates it.
    let results: Value = env.search("Lagarde", &[]);
    let ecb = show(&env, results["hits"][0]["id"].as_str().expect("id"));
    let body = ecb["body"].as_str().unwrap_or("");
    assert!(
        body.contains("FRANKFURT, Sept. 8, 2022 (Pacific Dispatch) — Euro zone"),
        "{ecb}"
    );
    assert!(body.contains("single currency's history"), "{ecb}");
    assert_eq!(ecb["date"], "2022-09-08");
    let results: Value = env.search("glaciers", &[]);
    assert_eq!(results["total"], 1, "{results}");
}

#[test]
fn damaged_crawls_lose_only_their_damaged_records() {
    let env = Env::new();
    let records = crawl();
    // A truncated gzip member in the middle.
    let mut members: Vec<Vec<u8>> = records.iter().map(|r| gzip(r)).collect();
    let cut = members[2].len() / 2;
    members[2].truncate(cut);
    env.write("cut.warc.gz", members.concat());
    // A record whose Content-Length is far too long, followed by good ones.
    let liar =
        String::from_utf8_lossy(&records[2]).replacen("Content-Length: ", "Content-Length: 9", 1);
    env.write(
        "liar.warc",
        [records[0].clone(), liar.into_bytes(), records[3].clone()].concat(),
    );
    env.write("noise.warc", b"\x00\x01 not a crawl at all\r\n".repeat(50));
    let run = env.run(&["index", "--json", env.corpus.to_str().expect("utf-8")]);
    run.code(3);
    let summary: Value = run.json();
    // cut.warc.gz: the ferry page after the cut member; liar.warc: the
    // ferry page after the liar; noise.warc: nothing.
    assert_eq!(summary["indexed"], 2, "{summary}");
    assert_eq!(summary["skipped"]["bad-record"], 3, "{summary}");
    assert!(
        run.stderr.contains("cut.warc.gz (bad gzip member"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("liar.warc"), "{}", run.stderr);
    let corpus = std::fs::canonicalize(&env.corpus).expect("canonical");
    for file in ["cut.warc.gz", "liar.warc"] {
        let id = format!("{}/{file}#urn:uuid:3", corpus.display());
        assert_eq!(show(&env, &id)["headline"], "Ferry strike ends", "{id}");
    }
}

#[test]
fn size_caps_hold_each_page_and_each_gzip_member() {
    let env = Env::new();
    let records = crawl();
    let big = record(
        "response",
        "8",
        "https://news.example/long",
        &html_response(
            "A long story",
            &"The harbour wall story goes on. ".repeat(200),
        ),
    );
    let plain = [records.concat(), big.clone()].concat();
    // The file is larger than the cap; every page but the long one is not.
    assert!(plain.len() > 3000 && big.len() > 3000);
    let path = env.write("crawl.warc", &plain);
    let corpus = env.corpus.to_str().expect("utf-8");
    let run = env.run(&["index", "--json", "--max-file-size", "3000", corpus]);
    run.code(3);
    let summary: Value = run.json();
    assert_eq!(summary["indexed"], 2, "{summary}");
    assert_eq!(summary["skipped"]["too-large"], 1, "{summary}");
    // A gzip member expanding past the decompression cap is a bad record.
    std::fs::remove_file(&path).expect("remove");
    let mut members: Vec<u8> = records.iter().map(|r| gzip(r)).collect::<Vec<_>>().concat();
    members.extend_from_slice(&gzip(&big));
    env.write("crawl.warc.gz", &members);
    let run = env.run(&[
        "index",
        "--json",
        "--rebuild",
        "--max-decompressed-size",
        "2000",
        corpus,
    ]);
    run.code(3);
    assert!(
        run.stderr
            .contains("gzip member more than 2000 bytes once decompressed"),
        "{}",
        run.stderr
    );
    let summary: Value = run.json();
    assert_eq!(summary["indexed"], 2, "{summary}");
}

const MHTML: &str = "From: <Saved by Blink>\r\n\
Snapshot-Content-Location: https://news.example/2022/06/14/lighthouse\r\n\
Subject: Lighthouse reopens\r\n\
Date: Tue, 14 Jun 2022 09:15:00 -0000\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/related;\r\n\
\ttype=\"text/html\";\r\n\
\tboundary=\"----MultipartBoundary--x1----\"\r\n\
\r\n\
------MultipartBoundary--x1----\r\n\
Content-Type: text/html\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
Content-Location: https://news.example/2022/06/14/lighthouse\r\n\
\r\n\
<html><head><meta charset=3D\"utf-8\"><title>Lighthouse reopens</title></head><body>=\r\n\
<nav><a href=3D\"/\">Home</a></nav><article><h1>Lighthouse reopens</h1><p>The old lig=\r\n\
hthouse of Port Aldren reopened to visitors after a restoration that took t=\r\n\
wo years. Caf=C3=A9 owners on the quay welcomed the news.</p></article></body></html>\r\n\
------MultipartBoundary--x1----\r\n\
Content-Type: image/png\r\n\
Content-Transfer-Encoding: base64\r\n\
Content-Location: https://news.example/logo.png\r\n\
\r\n\
iVBORw0KGgo=\r\n\
------MultipartBoundary--x1------\r\n";

#[test]
fn a_saved_mhtml_page_is_one_article() {
    let env = Env::new();
    let path = env.write("saved/lighthouse.mhtml", MHTML);
    env.write("saved/broken.mht", "Content-Type: multipart/related; boundary=x\r\n\r\n--x\r\nContent-Type: image/png\r\n\r\nPNG\r\n--x--\r\n");
    let run = env.run(&["index", "--json", env.corpus.to_str().expect("utf-8")]);
    run.code(3);
    let summary: Value = run.json();
    assert_eq!(summary["indexed"], 1, "{summary}");
    assert_eq!(summary["skipped"]["bad-record"], 1, "{summary}");
    let path = std::fs::canonicalize(path).expect("canonical");
    let page = show(&env, path.to_str().expect("utf-8"));
    assert_eq!(page["headline"], "Lighthouse reopens");
    assert_eq!(page["format"], "mhtml");
    assert_eq!(page["url"], "https://news.example/2022/06/14/lighthouse");
    assert_eq!(page["crawled"], "2022-06-14T09:15:00Z");
    assert_eq!(page["date"], "2022-06-14");
    let body = page["body"].as_str().unwrap_or("");
    assert!(body.contains("The old lighthouse of Port Aldren reopened to visitors after a restoration that took two years. Café owners"), "{page}");
    assert!(!body.contains("Home"), "{page}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Random bytes, and a real crawl cut or corrupted anywhere, are read
    /// as records and bad records, never a panic.
    #[test]
    fn random_and_truncated_warc_bytes_never_panic(
        noise in proptest::collection::vec(any::<u8>(), 0..2000),
        cut in 0usize..4000,
        flip in 0usize..4000,
        gz in any::<bool>(),
    ) {
        let records = crawl();
        let mut bytes = if gz {
            records.iter().map(|r| gzip(r)).collect::<Vec<_>>().concat()
        } else {
            records.concat()
        };
        if !bytes.is_empty() {
            let at = flip % bytes.len();
            bytes[at] ^= 0x5a;
        }
        bytes.truncate(cut.min(bytes.len()));
        for input in [&bytes[..], &noise[..]] {
            let mut items = Vec::new();
            let mut hashed = warc::Hashed::new(input);
            let limits = warc::ReadLimits { block: 1 << 20, gzip: Limits::default() };
            let end = warc::read(&mut hashed, limits, warc::Checkpoint::default(), &mut |i| items.push(i));
            prop_assert!(end.offset as usize <= input.len());
            for item in items {
                if let warc::Item::Record(r) = item {
                    let _ = archive::record_page(&r, Limits::default(), 1 << 20);
                }
            }
            let _ = archive::mhtml_page(input);
        }
    }
}
