#!/usr/bin/env python3
"""CPU and wall time of one `news` process per command, as scripts run it.

Runs each command --runs times, one process each, and prints the p50 and
p95 of the process's CPU time (user + system, from the kernel's account of
the child) and of its wall time (spawn to exit, as the calling script sees
it). The commands:

  - `news --version`              (the binary's fixed cost)
  - `news search --json QUERY`    (open the index, search, print ten hits)
  - `news stats --json`           (open the index, count the archive)

on every index given with --index (by default the sample corpus, indexed
into a temporary folder; add the news archive's index for a large one).

With --old FILE (another build's `news`), that build is measured too, in
alternation with the new one run by run, so both see the same load; the
machine may be shared, and p50s of alternating runs are the figures that
compare.

    cargo build --release
    python3 bench/oneshot.py [--news target/release/news] [--old OLD/news]
                             [--index DIR ...] [--query "Ebrard DEA"]
                             [--runs 200] [--json]
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NEWS = os.path.join(ROOT, "target", "release", "news")
SAMPLE = os.path.join(ROOT, "sample-corpus")


def timed(cmd):
    """Runs cmd; returns (wall seconds, CPU seconds of the child, return code)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.decode()[-2000:]}")
    return wall, cpu


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def commands(index, query):
    return {
        "version": lambda news: [news, "--version"],
        "search": lambda news: [news, "--index", index, "search", "--json", "--", query],
        "stats": lambda news: [news, "--index", index, "stats", "--json"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", default=NEWS, help="the build to measure")
    parser.add_argument("--old", help="another build's `news`, measured in alternation")
    parser.add_argument("--index", action="append", default=[],
                        help="an index to search (repeatable); default: the sample corpus")
    parser.add_argument("--query", default="Ebrard DEA")
    parser.add_argument("--runs", type=int, default=200, help="processes per command and build")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    builds = {"new": args.news}
    if args.old:
        builds = {"old": args.old, "new": args.news}
    for name, path in builds.items():
        if not os.path.exists(path):
            sys.exit(f"missing {path} ({name} build): run `cargo build --release`")

    work = None
    indexes = args.index
    if not indexes:
        work = tempfile.mkdtemp(prefix="news-oneshot-")
        index = os.path.join(work, "index")
        subprocess.run([args.news, "--index", index, "index", "--quiet", SAMPLE],
                       check=False, stdout=subprocess.DEVNULL)
        indexes = [index]

    rows = []
    try:
        for index in indexes:
            for name, make in commands(index, args.query).items():
                if name == "version" and index != indexes[0]:
                    continue
                samples = {b: ([], []) for b in builds}
                for b, path in builds.items():  # warm the page cache
                    for _ in range(3):
                        timed(make(path))
                for i in range(args.runs):
                    order = list(builds) if i % 2 == 0 else list(reversed(builds))
                    for b in order:
                        wall, cpu = timed(make(builds[b]))
                        samples[b][0].append(wall)
                        samples[b][1].append(cpu)
                for b, (walls, cpus) in samples.items():
                    rows.append({
                        "index": None if name == "version" else index,
                        "command": name,
                        "build": b,
                        "cpu_p50_ms": percentile(cpus, 50) * 1000,
                        "cpu_p95_ms": percentile(cpus, 95) * 1000,
                        "wall_p50_ms": percentile(walls, 50) * 1000,
                        "wall_p95_ms": percentile(walls, 95) * 1000,
                    })
    finally:
        if work:
            shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps({"runs": args.runs, "query": args.query, "rows": rows}, indent=1))
        return
    print(f"{args.runs} processes per command and build; CPU = user + system")
    print()
    print("| index | command | build | CPU p50 / p95 | wall p50 / p95 |")
    print("|---|---|---|---|---|")
    for r in rows:
        index = os.path.basename(os.path.normpath(r["index"])) if r["index"] else "-"
        print(f"| {index} | {r['command']} | {r['build']} | "
              f"{r['cpu_p50_ms']:.2f} / {r['cpu_p95_ms']:.2f} ms | "
              f"{r['wall_p50_ms']:.2f} / {r['wall_p95_ms']:.2f} ms |")


if __name__ == "__main__":
    main()
