//! Throughput of article parsing: format parsing plus extraction without
//! entities (headline, front matter, debris, date, language, fingerprint),
//! on the bundled sample corpus.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use news_search::article;
use news_search::format::{self, Format};

fn corpus() -> Vec<(String, Format, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-corpus");
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let (format, _) = Format::of_path(e.path(), &[])?;
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((e.path().to_string_lossy().into_owned(), format, text))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    let bytes: usize = files.iter().map(|f| f.2.len()).sum();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("articles", |b| {
        b.iter(|| {
            for (path, format, text) in &files {
                for raw in format::parse(*format, black_box(text))
                    .unwrap_or_default()
                    .into_iter()
                    .flatten()
                {
                    black_box(article::extract(raw, path, *format, None));
                }
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
