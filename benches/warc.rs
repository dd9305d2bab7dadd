//! WARC reading, our reader beside the `warc` crate (0.4): records per
//! second and MB/s over a generated crawl of many pages, uncompressed and
//! with one gzip member per record (both decompressed by flate2), and
//! whether each reads the damaged crawls the index tests use.
//!
//!     cargo bench --bench warc [-- PAGES]

use std::io::{BufReader, Read, Write};
use std::time::Instant;

use news_search::archive::warc as ours;
use news_search::compression::Limits;

fn record(kind: &str, n: usize, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n:012}>\r\nWARC-Date: 2024-05-01T08:30:00Z\r\nWARC-Target-URI: https://news.example/2024/05/01/story-{n}\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).expect("gzip");
    enc.finish().expect("gzip")
}

/// A request and a response of about 12 KB of HTML for each page.
fn crawl(pages: usize) -> Vec<Vec<u8>> {
    let words = [
        "harbour", "council", "ferry", "strike", "museum", "minister", "rates", "storm",
    ];
    let mut records = Vec::with_capacity(pages * 2);
    for n in 0..pages {
        let mut html = String::from(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><article>",
        );
        for p in 0..40 {
            html.push_str("<p>");
            for w in 0..40 {
                html.push_str(words[(n + p * 7 + w * 3) % words.len()]);
                html.push(' ');
            }
            html.push_str("</p>\n");
        }
        html.push_str("</article></body></html>");
        records.push(record(
            "request",
            2 * n,
            b"GET / HTTP/1.1\r\nHost: news.example\r\n\r\n",
        ));
        records.push(record("response", 2 * n + 1, html.as_bytes()));
    }
    records
}

fn count_ours(bytes: &[u8]) -> (usize, usize) {
    let (mut good, mut bad) = (0, 0);
    let mut input = ours::Hashed::new(bytes);
    let limits = ours::ReadLimits {
        block: 20 << 20,
        gzip: Limits::default(),
    };
    ours::read(
        &mut input,
        limits,
        ours::Checkpoint::default(),
        &mut |item| match item {
            ours::Item::Record(_) => good += 1,
            ours::Item::Bad(_) => bad += 1,
        },
    );
    (good, bad)
}

fn count_crate(bytes: &[u8], gz: bool) -> (usize, usize) {
    let reader: Box<dyn std::io::BufRead> = if gz {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(bytes)))
    } else {
        Box::new(BufReader::new(bytes))
    };
    let (mut good, mut bad) = (0, 0);
    for record in warc::WarcReader::new(reader)
        .iter_records()
        .take(10_000_000)
    {
        match record {
            Ok(_) => good += 1,
            Err(_) => {
                bad += 1;
                if bad > 1000 {
                    break;
                }
            }
        }
    }
    (good, bad)
}

fn time(name: &str, bytes: &[u8], raw_mb: f64, f: impl Fn() -> (usize, usize)) {
    let mut best = f64::MAX;
    let mut counts = (0, 0);
    for _ in 0..5 {
        let start = Instant::now();
        counts = f();
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{name:<34} {:>7} records {:>3} bad  {:>7.1} ms  {:>7.0} MB/s of WARC ({:.1} MB on disk)",
        counts.0,
        counts.1,
        best * 1000.0,
        raw_mb / best,
        bytes.len() as f64 / 1e6
    );
}

fn main() {
    let pages: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5000);
    let records = crawl(pages);
    let plain = records.concat();
    let members: Vec<u8> = records.iter().map(|r| gzip(r)).collect::<Vec<_>>().concat();
    let raw_mb = plain.len() as f64 / 1e6;
    println!(
        "{pages} pages, {} records, {raw_mb:.1} MB uncompressed",
        records.len()
    );
    time("ours, uncompressed", &plain, raw_mb, || count_ours(&plain));
    time("warc 0.4, uncompressed", &plain, raw_mb, || {
        count_crate(&plain, false)
    });
    time("ours, gzip per record", &members, raw_mb, || {
        count_ours(&members)
    });
    time("warc 0.4, gzip per record", &members, raw_mb, || {
        count_crate(&members, true)
    });

    println!("\ndamaged crawls (records read, errors):");
    let small = crawl(2);
    let good = [small[0].clone(), small[1].clone(), small[2].clone()];
    let liar_long =
        String::from_utf8_lossy(&small[1]).replacen("Content-Length: ", "Content-Length: 9", 1);
    let liar_short =
        String::from_utf8_lossy(&small[1]).replacen("Content-Length: 1", "Content-Length: ", 1);
    let mut cut_member: Vec<Vec<u8>> = small.iter().map(|r| gzip(r)).collect();
    let half = cut_member[1].len() / 2;
    cut_member[1].truncate(half);
    let cases: Vec<(&str, Vec<u8>, bool)> = vec![
        ("well formed", good.concat(), false),
        (
            "Content-Length too long",
            [good[0].clone(), liar_long.into_bytes(), good[2].clone()].concat(),
            false,
        ),
        (
            "Content-Length too short",
            [good[0].clone(), liar_short.into_bytes(), good[2].clone()].concat(),
            false,
        ),
        ("a gzip member cut in half", cut_member.concat(), true),
    ];
    for (name, bytes, gz) in cases {
        println!(
            "  {name:<28} ours {:?}  warc 0.4 {:?}",
            count_ours(&bytes),
            count_crate(&bytes, gz)
        );
    }
    let mut fixture = Vec::new();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/warc/sample.warc.gz"
    );
    if std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut fixture))
        .is_ok()
    {
        println!(
            "  {:<28} ours {:?}  warc 0.4 {:?}",
            "warcio fixture",
            count_ours(&fixture),
            count_crate(&fixture, true)
        );
    }
}
