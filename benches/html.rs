//! Throughput of reading HTML pages into articles (parse, nesting bound,
//! metadata, main text) on one core, in MB/s of decoded HTML, on the 990
//! real pages of `../shared/data/html-eval`. Skipped, with a message, when
//! that folder is absent.
//!
//! Criterion measures wall time, which other work on a shared machine
//! stretches; one more pass measures the CPU time of the thread itself and
//! prints that throughput too.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use news_search::corpus;
use news_search::format::{self, Format};

fn pages() -> Option<Vec<String>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/html-eval/pages");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    let pages: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let bytes = std::fs::read(path).ok()?;
            let gzip = path.extension().is_some_and(|e| e == "gz");
            corpus::decode(&path.to_string_lossy(), bytes, gzip.then(Default::default))
                .ok()
                .map(|d| d.text)
        })
        .collect();
    (!pages.is_empty()).then_some(pages)
}

fn bench(c: &mut Criterion) {
    let Some(pages) = pages() else {
        eprintln!("skipped: ../shared/data/html-eval/pages not found");
        return;
    };
    let bytes: usize = pages.iter().map(String::len).sum();
    let mut g = c.benchmark_group("html");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.bench_function(format!("{} pages", pages.len()), |b| {
        b.iter(|| {
            for page in &pages {
                black_box(format::parse(Format::Html, black_box(page)).ok());
            }
        })
    });
    g.finish();
    if let Some(seconds) = thread_cpu_seconds(|| {
        for page in &pages {
            black_box(format::parse(Format::Html, black_box(page)).ok());
        }
    }) {
        eprintln!(
            "html/{} pages: {:.1} MB in {seconds:.2} s of CPU time on one core: {:.1} MB/s",
            pages.len(),
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / seconds
        );
    }
}

/// CPU seconds this thread spends in `work`.
#[cfg(unix)]
fn thread_cpu_seconds(work: impl FnOnce()) -> Option<f64> {
    fn now() -> Option<f64> {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes one timespec into the pointer given.
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
        (rc == 0).then_some(t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9)
    }
    let start = now()?;
    work();
    Some(now()? - start)
}

#[cfg(not(unix))]
fn thread_cpu_seconds(_work: impl FnOnce()) -> Option<f64> {
    None
}

criterion_group!(benches, bench);
criterion_main!(benches);
