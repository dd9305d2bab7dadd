#!/usr/bin/env python3
"""How fast `news index --watch` makes changes searchable, and what a burst costs.

Starts `news index --watch` on an empty temporary folder and `news serve` on
the same index, then:

1. writes one new article at a time and polls the server until it is found,
   then removes it and polls until it is gone (--rounds times): latency from
   the write (or the removal) to the server's answer, p50 / p95 / max;
2. drops --burst files into the folder at once and measures the time until
   the server counts them all, and the watcher's peak resident memory.

    python3 bench/watch.py [--news target/release/news] [--rounds 20] [--burst 10000]

Only loopback traffic; every wait has a deadline.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request

STORY = (
    "{headline}\n\nThe harbour authority said the works on pier {i} would continue "
    "through the winter, with night closures of the bridge and traffic restrictions "
    "on the coast road.\n"
)


def total(addr, query):
    url = f"http://{addr}/api/search?q={query}"
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)["total"]


def wait_for(check, limit, what):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if check():
            return time.monotonic() - start
        time.sleep(0.01)
    raise SystemExit(f"{what}: not within {limit} s")


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--news", default="target/release/news")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--burst", type=int, default=10000)
    args = ap.parse_args()
    news = os.path.abspath(args.news)
    tmp = tempfile.mkdtemp(prefix="news-watch-")
    corpus, index = os.path.join(tmp, "corpus"), os.path.join(tmp, "index")
    os.makedirs(corpus)
    with open(os.path.join(corpus, "first.txt"), "w") as f:
        f.write(STORY.format(headline="Harbour works begin", i=0))
    watcher = subprocess.Popen(
        [news, "--index", index, "index", "--watch", "--quiet", corpus],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    server = None
    try:
        wait_for(lambda: os.path.exists(os.path.join(index, "meta.json")), 60, "the index")
        server = subprocess.Popen(
            [news, "--index", index, "serve", "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        addr = server.stdout.readline().strip().rsplit("http://", 1)[-1]
        wait_for(lambda: total(addr, "harbour") == 1, 30, "the first article")

        seen, gone = [], []
        for n in range(args.rounds):
            word = f"okapi{n}x"
            path = os.path.join(corpus, f"new-{n}.txt")
            with open(path, "w") as f:
                f.write(STORY.format(headline=f"An {word} escaped", i=n))
            start = time.monotonic()
            wait_for(lambda: total(addr, word) == 1, 30, "a new file")
            seen.append(time.monotonic() - start)
            os.remove(path)
            start = time.monotonic()
            wait_for(lambda: total(addr, word) == 0, 30, "a removed file")
            gone.append(time.monotonic() - start)
        for name, values in (("new file searchable", seen), ("removed file gone", gone)):
            print(f"{name}: p50 {pct(values, 50):.2f} s, p95 {pct(values, 95):.2f} s, "
                  f"max {max(values):.2f} s ({len(values)} rounds, via news serve)")

        start = time.monotonic()
        for i in range(args.burst):
            folder = os.path.join(corpus, "burst", f"d{i % 100}")
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, f"s{i}.txt"), "w") as f:
                f.write(STORY.format(headline=f"Burstreport {i}", i=i))
        written = time.monotonic() - start
        took = wait_for(lambda: total(addr, "burstreport") == args.burst, 600, "the burst")
        print(f"burst of {args.burst} files (written in {written:.1f} s): all searchable "
              f"{took:.1f} s after the last write; watcher peak RSS {peak_rss_mb(watcher.pid):.0f} MB")
    finally:
        if server:
            server.terminate()
            server.wait()
        watcher.send_signal(signal.SIGTERM)
        code = watcher.wait(timeout=120)
        print(f"watcher exit code after SIGTERM: {code}")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
