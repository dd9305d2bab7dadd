#!/usr/bin/env python3
"""Benchmarks of `news` at archive scale; prints one table.

For the real news archive (../shared/data/news-archive/articles, copied
first so it can be modified) and for synthetic archives of each size:

  - `news index`: first run, no-op re-run, re-run after 1% of the files
    changed: wall time, articles/s, peak RSS (/usr/bin/time -v) and, for the
    first run, peak heap (anonymous) and mapped-file memory sampled from /proc;
  - index size on disk, and its ratio to the article text;
  - search latency: in process through the library (p50/p95), one process
    per query through the binary (p50/p95), and `--batch` throughput;
  - tantivy-cli given the same articles as ready-made NDJSON (when
    --tantivy-cli points to its binary), side by side.

    cargo build --release --examples
    python3 bench/run.py [--sizes 10000,100000,1000000] [--no-archive]
                         [--tantivy-cli PATH] [--work DIR] [--keep]

Synthetic archives come from `cargo run --release --example synth` and are
deterministic; generated corpora are kept in WORK between runs.
"""

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RELEASE = os.path.join(ROOT, "target", "release")
NEWS = os.path.join(RELEASE, "news")
SYNTH = os.path.join(RELEASE, "examples", "synth")
LATENCY = os.path.join(RELEASE, "examples", "search_latency")
ARCHIVE = os.path.join(ROOT, "..", "shared", "data", "news-archive", "articles")

TANTIVY_META = {
    "index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
    "segments": [],
    "schema": [
        {"name": "id", "type": "text", "options": {"indexing": {"record": "basic", "fieldnorms": True, "tokenizer": "raw"}, "stored": True, "fast": False}},
        {"name": "headline", "type": "text", "options": {"indexing": {"record": "position", "fieldnorms": True, "tokenizer": "en_stem"}, "stored": True, "fast": False}},
        {"name": "body", "type": "text", "options": {"indexing": {"record": "position", "fieldnorms": True, "tokenizer": "en_stem"}, "stored": True, "fast": False}},
        {"name": "date", "type": "date", "options": {"indexed": True, "fieldnorms": True, "fast": True, "stored": True, "precision": "seconds"}},
    ],
    "opstamp": 0,
}


def memory_kb(pid):
    """(anonymous, file-backed) resident kB of a process and its children:
    heap and stacks against mapped index files, which are page cache the
    kernel can drop."""
    anon = file = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    anon = int(line.split()[1])
                elif line.startswith("RssFile:"):
                    file = int(line.split()[1])
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = [int(c) for c in f.read().split()]
    except (OSError, ValueError):
        return anon, file
    for child in children:
        a, b = memory_kb(child)
        anon, file = anon + a, file + b
    return anon, file


def timed(cmd, **kw):
    """Runs cmd under /usr/bin/time -v; returns (seconds, peak RSS MB,
    stdout, peak anonymous MB, peak file-backed MB), the last two sampled
    every 20 ms from /proc."""
    started = time.time()
    proc = subprocess.Popen(["/usr/bin/time", "-v", *cmd], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)
    peaks = [0, 0]
    done = threading.Event()

    def sample():
        while not done.wait(0.02):
            for i, kb in enumerate(memory_kb(proc.pid)):
                peaks[i] = max(peaks[i], kb)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.time() - started
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    if proc.returncode not in (0, 3):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-2000:]}")
    return (seconds, int(rss.group(1)) / 1024 if rss else 0.0, stdout,
            peaks[0] / 1024, peaks[1] / 1024)


def du(path):
    total = 0
    for base, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(base, f))
            except OSError:
                pass
    return total


def article_files(root):
    for base, _, files in os.walk(root):
        for f in files:
            yield os.path.join(base, f)


def make_queries(root, count, seed=7):
    """Queries of one to three words drawn from headlines of the corpus."""
    rng = random.Random(seed)
    files = []
    for i, path in enumerate(article_files(root)):
        if len(files) < 5000:
            files.append(path)
        elif rng.random() < 5000 / (i + 1):
            files[rng.randrange(5000)] = path
    words = []
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            head = f.read(400)
        for line in head.splitlines():
            line = line.strip()
            if line and not line.startswith("---") and ":" not in line[:12]:
                words.append([w for w in re.findall(r"[A-Za-z][a-z]{3,}", line)])
                break
    words = [w for w in words if w]
    queries = []
    while len(queries) < count:
        pick = rng.choice(words)
        n = min(len(pick), rng.choice([1, 2, 2, 3]))
        queries.append(" ".join(rng.sample(pick, n)))
    return queries


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] if values else 0.0


def bench_dataset(name, corpus, work, args, change):
    print(f"== {name}", file=sys.stderr)
    index = os.path.join(work, f"{name}-index")
    shutil.rmtree(index, ignore_errors=True)
    text_bytes = sum(os.path.getsize(p) for p in article_files(corpus))
    row = {"dataset": name, "text_mb": text_bytes / 1e6}
    secs, rss, out, heap, mapped = timed([NEWS, "--index", index, "index", "--quiet", "--json", corpus])
    summary = json.loads(out)
    row.update(articles=summary["articles"], first_s=secs, first_rss=rss,
               first_rate=summary["articles"] / secs, first_heap=heap, first_mapped=mapped)
    secs, rss, out, _, _ = timed([NEWS, "--index", index, "index", "--quiet", "--json", corpus])
    row.update(noop_s=secs, noop_rss=rss)
    change()
    secs, rss, out, _, _ = timed([NEWS, "--index", index, "index", "--quiet", "--json", corpus])
    s = json.loads(out)
    row.update(change_s=secs, change_rss=rss, changed=s["updated"] + s["indexed"])
    row["index_mb"] = du(index) / 1e6
    row["size_ratio"] = du(index) / text_bytes

    queries = make_queries(corpus, 1000)
    qfile = os.path.join(work, f"{name}-queries.txt")
    with open(qfile, "w") as f:
        f.write("\n".join(queries) + "\n")
    lat = json.loads(subprocess.run([LATENCY, index, qfile], capture_output=True, text=True, check=True).stdout)
    row.update(inproc_p50=lat["p50_ms"], inproc_p95=lat["p95_ms"])
    per_process = []
    for q in queries[:40]:
        t = time.time()
        subprocess.run([NEWS, "--index", index, "search", "--json", "--", q], capture_output=True, check=False)
        per_process.append((time.time() - t) * 1000)
    row.update(proc_p50=percentile(per_process, 50), proc_p95=percentile(per_process, 95))
    t = time.time()
    subprocess.run([NEWS, "--index", index, "search", "--batch", qfile, "--json"],
                   capture_output=True, check=False)
    row["batch_qps"] = len(queries) / (time.time() - t)

    if args.tantivy_cli and os.path.exists(args.tantivy_cli):
        ndjson = os.path.join(work, f"{name}.ndjson")
        if not os.path.exists(ndjson):
            write_ndjson(corpus, ndjson)
        tindex = os.path.join(work, f"{name}-tantivy")
        shutil.rmtree(tindex, ignore_errors=True)
        os.makedirs(tindex)
        with open(os.path.join(tindex, "meta.json"), "w") as f:
            json.dump(TANTIVY_META, f)
        secs, rss, _, _, _ = timed([args.tantivy_cli, "index", "-i", tindex, "-t", "2", "-f", ndjson])
        row.update(tcli_s=secs, tcli_rss=rss, tcli_mb=du(tindex) / 1e6)
    # Each row as soon as it is measured, so a long run that is cut short
    # still leaves its figures.
    print(json.dumps(row), file=sys.stderr, flush=True)
    if not args.keep:
        shutil.rmtree(index, ignore_errors=True)
        shutil.rmtree(os.path.join(work, f"{name}-tantivy"), ignore_errors=True)
    return row


def write_ndjson(corpus, out):
    """The corpus as ready-made JSON: headline = first line, body = the rest."""
    with open(out, "w") as w:
        for path in sorted(article_files(corpus)):
            with open(path, encoding="utf-8", errors="replace") as f:
                head, _, body = f.read().partition("\n")
            w.write(json.dumps({"id": path, "headline": head.strip(), "body": body.strip()}) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--no-archive", action="store_true")
    parser.add_argument("--tantivy-cli", default=shutil.which("tantivy") or "")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "news-bench"))
    parser.add_argument("--keep", action="store_true", help="keep the indexes")
    parser.add_argument("--json", action="store_true", help="print rows as JSON")
    parser.add_argument("--table", metavar="ROWS.json",
                        help="print the table of rows saved by --json, without measuring")
    args = parser.parse_args()
    if args.table:
        with open(args.table) as f:
            print_table(json.load(f))
        return
    for binary in (NEWS, SYNTH, LATENCY):
        if not os.path.exists(binary):
            sys.exit(f"missing {binary}: run `cargo build --release --examples` first")
    os.makedirs(args.work, exist_ok=True)
    rows = []
    if not args.no_archive:
        if os.path.isdir(ARCHIVE):
            copy = os.path.join(args.work, "archive")
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(ARCHIVE, copy)
            files = sorted(article_files(copy))

            def touch_archive():
                for path in files[::100]:
                    with open(path, "a", encoding="utf-8") as f:
                        f.write("\nCorrection appended for the benchmark.\n")

            rows.append(bench_dataset("archive", copy, args.work, args, touch_archive))
        else:
            print(f"skipping the news archive: {ARCHIVE} is absent", file=sys.stderr)
    for size in [int(s) for s in args.sizes.split(",") if s]:
        corpus = os.path.join(args.work, f"synth-{size}")
        if not os.path.isdir(corpus):
            print(f"generating {size} articles", file=sys.stderr)
            subprocess.run([SYNTH, corpus, str(size)], check=True, stdout=subprocess.DEVNULL)

        def touch_synth(corpus=corpus, size=size):
            # A new revision number each time, so every run really changes 1%.
            subprocess.run([SYNTH, corpus, str(size), "--touch", "1", "--round", str(int(time.time()))],
                           check=True, stdout=subprocess.DEVNULL)

        rows.append(bench_dataset(f"synth-{size}", corpus, args.work, args, touch_synth))
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print_table(rows)


def memory(row):
    """The first run's peak heap and mapped files, when measured."""
    if "first_heap" not in row:
        return ""
    return f" ({row['first_heap']:.0f}, {row['first_mapped']:.0f})"


def print_table(rows):
    print("| dataset | articles | text MB | first run | articles/s | peak RSS (first run: heap, mapped files) | no-op re-run | 1% changed | index MB (x text) "
          "| in-process p50 / p95 | per-process p50 / p95 | batch q/s | tantivy-cli (same NDJSON) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        tcli = "-"
        if "tcli_s" in r:
            tcli = f"{r['tcli_s']:.2f} s, {r['tcli_rss']:.0f} MB (news/tantivy-cli {r['first_s'] / r['tcli_s']:.2f}x)"
        print(f"| {r['dataset']} | {r['articles']:,} | {r['text_mb']:.0f} | {r['first_s']:.2f} s | "
              f"{r['first_rate']:,.0f} | {max(r['first_rss'], r['noop_rss'], r['change_rss']):.0f} MB{memory(r)} | "
              f"{r['noop_s']:.2f} s ({r['noop_s'] / r['first_s']:.0%}) | {r['change_s']:.2f} s ({r['changed']:,}) | "
              f"{r['index_mb']:.0f} ({r['size_ratio']:.2f}) | {r['inproc_p50']:.1f} / {r['inproc_p95']:.1f} ms | "
              f"{r['proc_p50']:.0f} / {r['proc_p95']:.0f} ms | {r['batch_qps']:,.0f} | {tcli} |")


if __name__ == "__main__":
    main()
