#!/usr/bin/env python3
"""Timelines and related entities on a large synthetic archive.

Builds (once, kept in INDEX_DIR) a deterministic synthetic index of N
articles straight from documents with `examples/timeline_latency.rs`, then
times `Engine::timeline` and `Engine::related` / `pairs` in process for a
word and an entity each found in about 10% of the articles, and prints the
median and slowest of R runs against the 200 ms target.

    cargo build --release --example timeline_latency
    python3 bench/timeline.py [--articles 1000000] [--index DIR] [--rounds 10]
"""

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(os.path.dirname(HERE), "target", "release", "examples", "timeline_latency")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--index", help="index folder to build or reuse")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    if not os.path.exists(EXAMPLE):
        sys.exit(f"{EXAMPLE} not found: cargo build --release --example timeline_latency")
    index = args.index or os.path.join(tempfile.gettempdir(), f"news-timeline-{args.articles}")
    command = [EXAMPLE, index, "--rounds", str(args.rounds)]
    if not os.path.exists(os.path.join(index, "meta.json")):
        command += ["--build", str(args.articles)]
    sys.exit(subprocess.call(command))


if __name__ == "__main__":
    main()
