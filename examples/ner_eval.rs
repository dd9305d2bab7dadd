//! Scores the entity extractor on a CoNLL-style JSONL file (one article per
//! line: `{"doc_id","text","entities":[{"type","start","end","text"}]}`,
//! offsets in Unicode code points) the CoNLL way: a mention counts only when
//! its span and its kind both match. Prints precision, recall and F1 per kind
//! and micro-averaged as a markdown table, then the throughput of
//! `mentions()` and `entities()`.
//!
//! Usage: `cargo run --release --example ner_eval -- FILE [--errors OUT] [--dump OUT]`
//! (`--errors` writes every prediction and miss, tagged TP, FP or FN, with
//! context, one per line: handy for error analysis; `--dump` writes the
//! mentions and entities of each article as one JSON line, to compare the
//! output of two versions of the extractor exactly).

use std::collections::HashSet;
use std::io::Write;
use std::time::Instant;

use news_search::entity::{EntityKind, Extractor};

#[derive(serde::Deserialize)]
struct GoldEntity {
    #[serde(rename = "type")]
    kind: String,
    start: usize,
    end: usize,
}

#[derive(serde::Deserialize)]
struct GoldDoc {
    doc_id: String,
    text: String,
    entities: Vec<GoldEntity>,
}

/// Byte offset of every code point, plus the text length.
fn char_offsets(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect()
}

fn f1(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let p = if tp + fp == 0 {
        0.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let r = if tp + fn_ == 0 {
        0.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

fn context(text: &str, s: usize, e: usize) -> String {
    let mut a = s.saturating_sub(60);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (e + 60).min(text.len());
    while !text.is_char_boundary(b) {
        b += 1;
    }
    format!("{}[[{}]]{}", &text[a..s], &text[s..e], &text[e..b]).replace('\n', " / ")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: ner_eval FILE [--errors OUT] [--dump OUT]");
        std::process::exit(2);
    };
    let errors_path = args
        .iter()
        .position(|a| a == "--errors")
        .and_then(|i| args.get(i + 1));
    let dump_path = args
        .iter()
        .position(|a| a == "--dump")
        .and_then(|i| args.get(i + 1));
    let data = std::fs::read_to_string(path)?;
    let mut docs = Vec::new();
    for (n, line) in data.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let d: GoldDoc =
            serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        docs.push(d);
    }
    let ex = Extractor::builtin();
    let mut tp = [0usize; 4];
    let mut fp = [0usize; 4];
    let mut fn_ = [0usize; 4];
    let mut err_out: Option<std::io::BufWriter<std::fs::File>> = match errors_path {
        Some(p) => Some(std::io::BufWriter::new(std::fs::File::create(p)?)),
        None => None,
    };
    let mut dump_out: Option<std::io::BufWriter<std::fs::File>> = match dump_path {
        Some(p) => Some(std::io::BufWriter::new(std::fs::File::create(p)?)),
        None => None,
    };
    for d in &docs {
        if let Some(w) = dump_out.as_mut() {
            let line = serde_json::json!({
                "doc_id": d.doc_id,
                "mentions": ex.mentions(&d.text),
                "entities": ex.entities(&d.text),
            });
            writeln!(w, "{line}")?;
        }
        let offs = char_offsets(&d.text);
        let mut gold: HashSet<(usize, usize, EntityKind)> = HashSet::new();
        for e in &d.entities {
            let kind = EntityKind::from_name(&e.kind)
                .ok_or_else(|| format!("{}: unknown type {}", d.doc_id, e.kind))?;
            let (Some(&s), Some(&t)) = (offs.get(e.start), offs.get(e.end)) else {
                return Err(format!("{}: offset out of range", d.doc_id).into());
            };
            gold.insert((s, t, kind));
        }
        let pred: HashSet<(usize, usize, EntityKind)> = ex
            .mentions(&d.text)
            .into_iter()
            .map(|m| (m.start, m.end, m.kind))
            .collect();
        for p in &pred {
            if gold.contains(p) {
                tp[p.2.index()] += 1;
            } else {
                fp[p.2.index()] += 1;
            }
        }
        for g in &gold {
            if !pred.contains(g) {
                fn_[g.2.index()] += 1;
            }
        }
        if let Some(w) = err_out.as_mut() {
            let mut errs: Vec<(usize, String)> = Vec::new();
            for p in pred.intersection(&gold) {
                errs.push((
                    p.0,
                    format!(
                        "TP {} (gold {}) {}",
                        p.2.name(),
                        p.2.name(),
                        context(&d.text, p.0, p.1)
                    ),
                ));
            }
            for p in pred.difference(&gold) {
                let gk = gold
                    .iter()
                    .find(|g| g.0 == p.0 && g.1 == p.1)
                    .map(|g| g.2.name())
                    .unwrap_or("-");
                errs.push((
                    p.0,
                    format!(
                        "FP {} (gold {gk}) {}",
                        p.2.name(),
                        context(&d.text, p.0, p.1)
                    ),
                ));
            }
            for g in gold.difference(&pred) {
                let pk = pred
                    .iter()
                    .find(|p| p.0 == g.0 && p.1 == g.1)
                    .map(|p| p.2.name())
                    .unwrap_or("-");
                if pk != "-" {
                    continue; // already listed as a typing error
                }
                errs.push((
                    g.0,
                    format!("FN {} {}", g.2.name(), context(&d.text, g.0, g.1)),
                ));
            }
            errs.sort();
            for (_, e) in errs {
                writeln!(w, "{}\t{e}", d.doc_id)?;
            }
        }
    }
    println!("| kind | gold | predicted | correct | precision | recall | F1 |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for k in EntityKind::ALL {
        let i = k.index();
        let (p, r, f) = f1(tp[i], fp[i], fn_[i]);
        println!(
            "| {} | {} | {} | {} | {:.3} | {:.3} | {:.3} |",
            k.name(),
            tp[i] + fn_[i],
            tp[i] + fp[i],
            tp[i],
            p,
            r,
            f
        );
    }
    let (t, f_p, f_n) = (
        tp.iter().sum::<usize>(),
        fp.iter().sum::<usize>(),
        fn_.iter().sum::<usize>(),
    );
    let (p, r, f) = f1(t, f_p, f_n);
    println!(
        "| **micro** | {} | {} | {} | **{:.3}** | **{:.3}** | **{:.3}** |",
        t + f_n,
        t + f_p,
        t,
        p,
        r,
        f
    );
    // Throughput of mentions() alone, best of three passes.
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut best = f64::MAX;
    let mut found = 0usize;
    for _ in 0..3 {
        let start = Instant::now();
        found = 0;
        for d in &docs {
            found += ex.mentions(&d.text).len();
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!();
    println!(
        "throughput: {:.1} MB/s ({} docs, {:.2} MB, {} mentions, {:.1} ms per pass)",
        bytes as f64 / 1e6 / best,
        docs.len(),
        bytes as f64 / 1e6,
        found,
        best * 1e3
    );
    let mut best_ent = f64::MAX;
    let mut ents = 0usize;
    for _ in 0..3 {
        let start = Instant::now();
        ents = 0;
        for d in &docs {
            ents += ex.entities(&d.text).len();
        }
        best_ent = best_ent.min(start.elapsed().as_secs_f64());
    }
    println!(
        "entities(): {:.1} MB/s ({} entities, {:.1} ms per pass)",
        bytes as f64 / 1e6 / best_ent,
        ents,
        best_ent * 1e3
    );
    Ok(())
}
