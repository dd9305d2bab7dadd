#!/usr/bin/env python3
"""Peak memory of `news index` on files of many tiny records.

Writes COPIES JSON Lines files of RECORDS records of about 20 bytes each
(955,000 records make a 19 MB file, under the default --max-file-size),
indexes them into a fresh index and prints the articles indexed, the wall
time and the peak resident memory of the indexer (from the kernel's
accounting of the finished child).

    cargo build --release
    python3 bench/records_memory.py [--news target/release/news]
                                    [--records 955000] [--copies 1 --threads 2]
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--news", default="target/release/news")
    ap.add_argument("--records", type=int, default=955_000)
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-entities", action="store_true")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="records-memory-")
    try:
        corpus = os.path.join(work, "corpus")
        os.makedirs(corpus)
        for c in range(a.copies):
            with open(os.path.join(corpus, f"feed{c}.jsonl"), "w") as f:
                for i in range(a.records):
                    f.write('{"title":"t%07d"}\n' % i)
        size = os.path.getsize(os.path.join(corpus, "feed0.jsonl"))
        cmd = [a.news, "index", "--index", os.path.join(work, "idx"), "--json",
               "--threads", str(a.threads), corpus]
        if a.no_entities:
            cmd.insert(2, "--no-entities")
        started = time.time()
        r = subprocess.run(cmd, capture_output=True, text=True)
        took = time.time() - started
        if r.returncode != 0:
            sys.exit(f"news index failed ({r.returncode}): {r.stderr[-500:]}")
        summary = json.loads(r.stdout)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{a.copies} file(s) of {a.records:,} records ({size / 1e6:.1f} MB each), "
              f"{a.threads} threads: {summary['indexed']:,} articles in {took:.1f} s, "
              f"peak RSS {peak_mb:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
