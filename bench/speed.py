#!/usr/bin/env python3
"""Search-side speed on existing indexes: facets, statistics, search latency.

For each dataset (an index and the corpus it was built from):

  - facets in process (`examples/counting_latency.rs`): the same search
    with and without facets, for a word matching about 30% of the
    articles; our facet collector and tantivy's terms + date-histogram
    aggregations over the same matches, side by side;
  - statistics: in process on a freshly opened engine, and
    `news stats --json` per process (wall time);
  - search latency in process (`examples/search_latency.rs`, p50/p95 over
    1,000 queries drawn from the corpus's headlines, as bench/run.py does);
  - tantivy-cli's `bench` on its own index of the same articles, when given.

Give `--old DIR` (a folder holding another build's `news`, `counting_latency`
and `search_latency`) to measure both builds in alternation, round after
round; the table shows medians.

    cargo build --release --examples
    python3 bench/speed.py --dataset NAME:INDEX_DIR:CORPUS_DIR [--dataset ...]
                           [--old DIR] [--rounds 3]
                           [--tantivy-cli PATH --tantivy-index NAME:DIR]
                           [--json]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run  # noqa: E402  (queries drawn as bench/run.py draws them)

RELEASE = os.path.join(os.path.dirname(HERE), "target", "release")


def binaries(folder):
    examples = os.path.join(folder, "examples")
    if not os.path.isdir(examples):
        examples = folder
    return {
        "news": os.path.join(folder, "news"),
        "counting": os.path.join(examples, "counting_latency"),
        "latency": os.path.join(examples, "search_latency"),
    }


def wall_ms(cmd, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def measure(build, index, queries_file, word):
    row = {}
    out = subprocess.run([build["counting"], index, "--rounds", "5"],
                         capture_output=True, text=True, check=True).stdout
    row.update(json.loads(out))
    row["stats_process_ms"] = wall_ms([build["news"], "--index", index, "stats", "--json"])
    plain = wall_ms([build["news"], "--index", index, "search", "--json", "--", word])
    faceted = wall_ms([build["news"], "--index", index, "search", "--json", "--facets", "--", word])
    row["facets_process_extra_ms"] = faceted - plain
    lat = json.loads(subprocess.run([build["latency"], index, queries_file],
                                    capture_output=True, text=True, check=True).stdout)
    row["search_p50_ms"], row["search_p95_ms"] = lat["p50_ms"], lat["p95_ms"]
    return row


def tantivy_bench(cli, index, queries_file):
    """p50/p95 of tantivy-cli's search time per query (microseconds -> ms)."""
    out = subprocess.run([cli, "bench", "-i", index, "-q", queries_file, "-n", "1"],
                         capture_output=True, text=True, check=True).stdout
    times = []
    section = None
    for line in out.splitlines():
        if line.startswith("SEARCH"):
            section = "search"
        elif line.startswith("FETCH"):
            section = None
        elif section == "search":
            parts = line.split("\t")
            if len(parts) == 3 and parts[2].strip().isdigit():
                times.append(int(parts[2]) / 1000)
    return run.percentile(times, 50), run.percentile(times, 95)


def median_rows(rows):
    keys = [k for k, v in rows[0].items() if isinstance(v, (int, float))]
    merged = dict(rows[0])
    for k in keys:
        merged[k] = statistics.median(r[k] for r in rows)
    return merged


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", action="append", required=True, metavar="NAME:INDEX:CORPUS")
    parser.add_argument("--new", default=RELEASE, help="folder of the build to measure")
    parser.add_argument("--old", help="folder of another build, measured in alternation")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tantivy-cli", default="")
    parser.add_argument("--tantivy-index", action="append", default=[], metavar="NAME:DIR")
    parser.add_argument("--work", default="/tmp/news-speed")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    builds = {"new": binaries(args.new)}
    if args.old:
        builds["old"] = binaries(args.old)
    for name, b in builds.items():
        for path in b.values():
            if not os.path.exists(path):
                sys.exit(f"missing {path} ({name} build): run `cargo build --release --examples`")
    tantivy_indexes = dict(t.split(":", 1) for t in args.tantivy_index)
    os.makedirs(args.work, exist_ok=True)
    results = []
    for spec in args.dataset:
        name, index, corpus = spec.split(":", 2)
        queries_file = os.path.join(args.work, f"{name}-queries.txt")
        if not os.path.exists(queries_file):
            with open(queries_file, "w") as f:
                f.write("\n".join(run.make_queries(corpus, 1000)) + "\n")
        probe = json.loads(subprocess.run([builds["new"]["counting"], index, "--rounds", "1"],
                                          capture_output=True, text=True, check=True).stdout)
        word = probe["word"]
        rows = {b: [] for b in builds}
        for r in range(args.rounds):
            # Alternate the order so neither build always runs second.
            order = list(builds) if r % 2 == 0 else list(reversed(builds))
            for b in order:
                print(f"== {name} round {r + 1} {b}", file=sys.stderr)
                rows[b].append(measure(builds[b], index, queries_file, word))
        for b in builds:
            row = median_rows(rows[b])
            row.update(dataset=name, build=b)
            results.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
        if args.tantivy_cli and name in tantivy_indexes:
            p50, p95 = tantivy_bench(args.tantivy_cli, tantivy_indexes[name], queries_file)
            results.append({"dataset": name, "build": "tantivy-cli", "search_p50_ms": p50,
                            "search_p95_ms": p95})
    if args.json:
        print(json.dumps(results, indent=1))
        return
    print("| dataset | build | articles | facets query (matched) | search | + facets | facet collector "
          "| tantivy aggregations | stats in process | `news stats` process | search p50 / p95 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        if r["build"] == "tantivy-cli":
            print(f"| {r['dataset']} | tantivy-cli | | | | | | | | | "
                  f"{r['search_p50_ms']:.1f} / {r['search_p95_ms']:.1f} ms |")
            continue
        print(f"| {r['dataset']} | {r['build']} | {r['articles']:,} | `{r['word']}` ({r['matched']:,}, "
              f"{r['share']:.0%}) | {r['search_ms']:.1f} ms | +{r['facets_extra_ms']:.1f} ms | "
              f"{r['facet_collector_ms']:.1f} ms | {r['tantivy_aggregations_ms']:.1f} ms | "
              f"{r['stats_ms']:.1f} ms | {r['stats_process_ms']:.0f} ms | "
              f"{r['search_p50_ms']:.1f} / {r['search_p95_ms']:.1f} ms |")


if __name__ == "__main__":
    main()
