#!/usr/bin/env python3
"""People's short forms joined to full names, on the real news archive.

Indexes ../shared/data/news-archive (once, kept in --index), then prints:
- the articles `news stats` counts for a few full names and their bare
  surnames, with the table of short forms and without it (a table made
  from the same segments that joins nothing: the engine as it was);
- the median time of whole commands (process start included) in four
  states: with the empty table (the engine as it was), with the table the
  indexer wrote, without the table (each reader decides it from the votes
  kept beside the index), and with neither (each reader counts every
  segment's votes: the pass an indexer runs when no segment was counted
  before).

    cargo build --release
    python3 bench/short_forms.py [--index DIR] [--rounds 15]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NEWS = os.path.join(ROOT, "target", "release", "news")
ARCHIVE = os.path.join(ROOT, "..", "shared", "data", "news-archive", "articles")
TABLE = "short-forms.json"
VOTES = "short-forms.votes.json"
NAMES = [("Donald Trump", "Trump"), ("Ronald Reagan", "Reagan"), ("Barack Obama", "Obama"),
         ("James Baker", "Baker"), ("Hillary Clinton", "Clinton")]


def run(index, *args):
    out = subprocess.run([NEWS, "--index", index, *args], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"news {' '.join(args)} failed: {out.stderr.strip()}")
    return out.stdout


def people(index):
    stats = json.loads(run(index, "stats", "--json"))
    listed = dict(stats["top_entities"]["person"])
    return listed


def entity_total(index, name):
    return json.loads(run(index, "search", "", "--entity", name, "--json", "-n", "1"))["total"]


def timed(index, args, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run(index, *args)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", help="index folder to build or reuse")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    if not os.path.exists(NEWS):
        sys.exit(f"{NEWS} not found: cargo build --release")
    if not os.path.isdir(ARCHIVE):
        print(f"skipped: {ARCHIVE} is absent")
        return
    index = args.index or os.path.join(tempfile.gettempdir(), "news-short-forms")
    if not os.path.exists(os.path.join(index, "meta.json")):
        start = time.perf_counter()
        run(index, "index", ARCHIVE)
        print(f"indexed the archive in {time.perf_counter() - start:.1f} s")
    table_path = os.path.join(index, TABLE)
    with open(table_path) as f:
        table = json.load(f)
    print(f"{len(table['forms'])} short forms joined to a full name")
    empty = dict(table, forms=[])
    saved = table_path + ".bench"
    shutil.copy(table_path, saved)
    try:
        joined = people(index)
        totals = {n: entity_total(index, n) for pair in NAMES for n in pair}
        with open(table_path, "w") as f:
            json.dump(empty, f)
        apart = people(index)
        totals_apart = {n: entity_total(index, n) for pair in NAMES for n in pair}
        print("\nnews stats, articles per person (- : not in the top list)")
        print(f"{'name':<18}{'without':>9}{'with':>7}   --entity without/with")
        for pair in NAMES:
            for name in pair:
                print(f"{name:<18}{apart.get(name, '-'):>9}{joined.get(name, '-'):>7}"
                      f"   {totals_apart[name]:>5} / {totals[name]}")
        commands = [
            ("stats", ["stats", "--json"]),
            ("search --facets", ["search", "", "--facets", "--json", "-n", "10"]),
            ("search --entity Trump", ["search", "", "--entity", "Trump", "--json", "-n", "10"]),
            ("related Reagan", ["related", "Reagan", "--json"]),
        ]
        print(f"\nmedian of {args.rounds} runs, ms: empty table / table / votes only / neither")
        for label, command in commands:
            with open(table_path, "w") as f:
                json.dump(empty, f)
            base = timed(index, command, args.rounds)
            shutil.copy(saved, table_path)
            with_table = timed(index, command, args.rounds)
            os.remove(table_path)
            decided = timed(index, command, args.rounds)
            votes_path = os.path.join(index, VOTES)
            shutil.move(votes_path, votes_path + ".bench")
            counted = timed(index, command, args.rounds)
            shutil.move(votes_path + ".bench", votes_path)
            print(f"{label:<24}{base:8.1f}{with_table:8.1f}{decided:8.1f}{counted:8.1f}")
    finally:
        shutil.move(saved, table_path)


if __name__ == "__main__":
    main()
