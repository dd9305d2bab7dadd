#!/usr/bin/env python3
"""Per-process search and indexing time of `news` beside tantivy-cli, one run.

On the news archive (../shared/data/news-archive/articles by default):

  - indexing: `news index` (entities and dates on) into a fresh index, and
    `tantivy index` given the same articles as ready-made NDJSON (id,
    headline, body with `en_stem`, date), the same number of threads;
    wall and CPU time (user + system), median of --rounds runs each;
  - start-up: one process per query, `news search --json -- QUERY` and
    `tantivy bench -n 1` on a file holding that one query (tantivy-cli's
    bench searches, then fetches the top 10 documents); p50 and p95 of
    wall time over --queries mixed queries drawn from the headlines (one
    to three words, as bench/run.py draws them), and the median CPU time.

With --old DIR (a folder holding another build's `news`), that build is
measured too, in alternation with the new one, so both see the same load.
With --no-entities, the new build is also measured indexing without entity
extraction (`news index --no-entities`): what the entities cost.
The machine may be shared: every figure is a median of repeated runs.

    cargo build --release
    cargo install tantivy-cli   # once; `tantivy` on PATH, or --tantivy-cli PATH
    python3 bench/startup.py [--corpus DIR] [--old DIR] [--no-entities] [--rounds 3]
                             [--queries 200] [--threads 2] [--work DIR] [--json]
"""

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run  # noqa: E402  (queries drawn as bench/run.py draws them)

NEWS = os.path.join(os.path.dirname(HERE), "target", "release", "news")

# tantivy-cli's schema for the same articles. The date is a fast, stored
# column but not indexed: tantivy-cli's bench parses each query against
# every indexed field, and a word is no date.
TANTIVY_META = json.loads(json.dumps(run.TANTIVY_META))
for field in TANTIVY_META["schema"]:
    if field["name"] == "date":
        field["options"]["indexed"] = False


def timed(cmd):
    """Runs cmd; returns (wall seconds, CPU seconds of the child, completed process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc


def check(proc, cmd, codes=(0,)):
    if proc.returncode not in codes:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")


def write_ndjson(corpus, out):
    """The corpus as tantivy-cli documents: headline = first line, body = the
    rest, date from the file name (YYYY-MM-DD-...) as news reads it."""
    with open(out, "w") as w:
        for path in sorted(run.article_files(corpus)):
            with open(path, encoding="utf-8", errors="replace") as f:
                head, _, body = f.read().partition("\n")
            doc = {"id": path, "headline": head.strip(), "body": body.strip()}
            day = re.match(r"(\d{4}-\d{2}-\d{2})-", os.path.basename(path))
            if day:
                doc["date"] = f"{day.group(1)}T00:00:00Z"
            w.write(json.dumps(doc) + "\n")


def index_news(news, corpus, index, threads, extra=()):
    shutil.rmtree(index, ignore_errors=True)
    cmd = [news, "--index", index, "index", "--quiet", "--json", "--threads", str(threads),
           *extra, corpus]
    wall, cpu, proc = timed(cmd)
    check(proc, cmd, (0, 3))
    return wall, cpu, json.loads(proc.stdout)["articles"]


def index_tantivy(cli, ndjson, index, threads):
    shutil.rmtree(index, ignore_errors=True)
    os.makedirs(index)
    with open(os.path.join(index, "meta.json"), "w") as f:
        json.dump(TANTIVY_META, f)
    cmd = [cli, "index", "-i", index, "-t", str(threads), "-f", ndjson]
    wall, cpu, proc = timed(cmd)
    check(proc, cmd)
    return wall, cpu


def summary(walls, cpus):
    return {
        "p50_ms": run.percentile(walls, 50) * 1000,
        "p95_ms": run.percentile(walls, 95) * 1000,
        "cpu_ms": statistics.median(cpus) * 1000,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=run.ARCHIVE)
    parser.add_argument("--news", default=NEWS, help="the build to measure")
    parser.add_argument("--old", help="folder of another build's `news`, measured in alternation")
    parser.add_argument("--no-entities", action="store_true",
                        help="also index with the new build's --no-entities")
    parser.add_argument("--tantivy-cli", default=shutil.which("tantivy") or "")
    parser.add_argument("--rounds", type=int, default=3, help="index runs of each program")
    parser.add_argument("--queries", type=int, default=200, help="per-process searches of each")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "news-startup"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not os.path.isdir(args.corpus):
        print(f"skipping: no corpus at {args.corpus}", file=sys.stderr)
        return
    builds = {"new": args.news}
    if args.old:
        builds["old"] = os.path.join(args.old, "news")
    for name, path in builds.items():
        if not os.path.exists(path):
            sys.exit(f"missing {path} ({name} build): run `cargo build --release`")
    # Options each program's `news index` runs with.
    index_args = {name: () for name in builds}
    if args.no_entities:
        builds["new, --no-entities"] = args.news
        index_args["new, --no-entities"] = ("--no-entities",)
    cli = args.tantivy_cli if args.tantivy_cli and os.path.exists(args.tantivy_cli) else None
    if not cli:
        print("tantivy-cli not found (--tantivy-cli PATH): measuring news alone", file=sys.stderr)
    os.makedirs(args.work, exist_ok=True)

    programs = list(builds) + (["tantivy-cli"] if cli else [])
    ndjson = os.path.join(args.work, "articles.ndjson")
    if cli:
        write_ndjson(args.corpus, ndjson)
    index_dir = {p: os.path.join(args.work, "index-" + re.sub(r"\W+", "-", p)) for p in programs}
    runs = {p: [] for p in programs}
    articles = 0
    for r in range(args.rounds):
        order = programs if r % 2 == 0 else list(reversed(programs))
        for p in order:
            print(f"== index round {r + 1}: {p}", file=sys.stderr)
            if p == "tantivy-cli":
                runs[p].append(index_tantivy(cli, ndjson, index_dir[p], args.threads))
            else:
                wall, cpu, articles = index_news(
                    builds[p], args.corpus, index_dir[p], args.threads, index_args[p]
                )
                runs[p].append((wall, cpu))
    rows = {}
    for p in programs:
        rows[p] = {
            "index_s": statistics.median(w for w, _ in runs[p]),
            "index_cpu_s": statistics.median(c for _, c in runs[p]),
        }

    queries = run.make_queries(args.corpus, args.queries)
    qdir = os.path.join(args.work, "queries")
    os.makedirs(qdir, exist_ok=True)
    walls = {p: [] for p in programs}
    cpus = {p: [] for p in programs}
    print(f"== {len(queries)} searches, one process each", file=sys.stderr)
    for i, q in enumerate(queries):
        order = programs if i % 2 == 0 else list(reversed(programs))
        for p in order:
            if p == "tantivy-cli":
                qfile = os.path.join(qdir, f"{i}.txt")
                with open(qfile, "w") as f:
                    f.write(q + "\n")
                cmd = [cli, "bench", "-i", index_dir[p], "-q", qfile, "-n", "1"]
                codes = (0,)
            else:
                cmd = [builds[p], "--index", index_dir[p], "search", "--json", "--", q]
                codes = (0, 1)
            wall, cpu, proc = timed(cmd)
            check(proc, cmd, codes)
            walls[p].append(wall)
            cpus[p].append(cpu)
    for p in programs:
        rows[p].update(summary(walls[p], cpus[p]))
    result = {"corpus": args.corpus, "articles": articles, "threads": args.threads,
              "rounds": args.rounds, "queries": len(queries), "rows": rows}
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print_table(result)


def print_table(result):
    rows = result["rows"]
    tcli = rows.get("tantivy-cli")
    print(f"{result['articles']:,} articles, {result['threads']} threads, medians of "
          f"{result['rounds']} index runs and of {result['queries']} per-process searches")
    print()
    print("| program | index wall | index CPU | search per process p50 / p95 (wall) | search CPU |")
    print("|---|---|---|---|---|")
    for p, r in rows.items():
        name = "tantivy-cli" if p == "tantivy-cli" else f"news ({p})"
        ratio = ""
        if tcli and p != "tantivy-cli":
            ratio = (f" ({r['index_s'] / tcli['index_s']:.2f}x)", f" ({r['p50_ms'] / tcli['p50_ms']:.2f}x)")
        else:
            ratio = ("", "")
        print(f"| {name} | {r['index_s']:.2f} s{ratio[0]} | {r['index_cpu_s']:.2f} s | "
              f"{r['p50_ms']:.1f}{ratio[1]} / {r['p95_ms']:.1f} ms | {r['cpu_ms']:.1f} ms |")


if __name__ == "__main__":
    main()
