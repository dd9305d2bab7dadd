#!/usr/bin/env python3
"""Load test of `news serve` on loopback; prints requests/s, p50, p99, RSS.

Starts `news serve` on 127.0.0.1 (a free port) over an existing index, then
sends a bounded number of requests from concurrent clients, each on its own
kept-alive connection, and stops by itself:

    cargo build --release
    python3 bench/load.py --index DIR [--clients 16] [--requests 100000]
                          [--max-seconds 300] [--mix search|health]
                          [--heavy N] [--distinct] [--news PATH] [--json]

The search mix draws, in equal shares, plain, faceted, sorted (newest),
date-filtered and fuzzy searches of one to three words taken from the
index's own headlines (through the server's API, so any index works).
`--heavy N` adds N clients that ask for the deepest page the API allows
(`q=*&offset=10000&limit=100`) back to back; their figures are printed
apart, and the mix's figures show what they cost the other clients.
With `--distinct` the deep pages differ too (offsets 9,000 to 10,000,
90 to 100 hits), so none is answered from what the server kept.
`--mix health` asks only for `/health` (the server's floor).

Each client is a process of its own (`--client processes`, the default):
in one Python process, client threads take turns at the interpreter's
lock, and a reply can wait for its thread's turn, which counts as the
server's latency (`--client threads` keeps them in one process, to
compare).
The clients draw from 5,000 such searches, so a search comes back about
every 5,000 requests, as on a busy search page; `--distinct` makes every
request of the run a different search instead, so that no answer kept by
the server is ever asked for again (its cost without the cache).

Resident memory of the server is sampled once a second: the figures show
it after the warm-up, at the end, and its peak (VmHWM). Every request
goes to 127.0.0.1 only; the run ends after `--requests` or
`--max-seconds`, whichever comes first.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NEWS = os.path.join(ROOT, "target", "release", "news")
DEEP_PAGE = "/api/search?q=*&offset=10000&limit=100"


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] if values else 0.0


def rss_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def start_server(news, index):
    proc = subprocess.Popen(
        [news, "--index", index, "serve", "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    found = re.search(r"http://(127\.0\.0\.1):(\d+)", line)
    if not found:
        proc.kill()
        sys.exit(f"news serve did not start: {line}{proc.stderr.read()[-2000:]}")
    return proc, int(found.group(2))


def get(conn, path):
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    return response.status, body


def build_mix(port, count, seed, unique=False):
    """Search paths drawn from the index's own headlines and date range;
    with `unique`, no path twice (a page size of 10-20 varies where words
    alone would repeat)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, body = get(conn, "/api/stats")
    stats = json.loads(body) if status == 200 else {}
    years = [2000, 2024]
    if stats.get("date_range"):
        years = [int(stats["date_range"][0][:4]), int(stats["date_range"][1][:4])]
    words = set()
    for offset in range(0, 2000, 100):
        status, body = get(conn, f"/api/search?q=*&limit=100&offset={offset}&collapse=0")
        if status != 200:
            break
        for hit in json.loads(body)["hits"]:
            words.update(w.lower() for w in re.findall(r"[A-Za-z]{4,}", hit["headline"]))
    conn.close()
    words = sorted(words)
    if not words:
        sys.exit("the index gave no headlines to draw queries from")
    rng = random.Random(seed)
    kinds = ["plain", "facets", "sorted", "dated", "fuzzy"]
    mix = []
    seen = set()
    for i in range(count):
        for attempt in range(100):
            q = " ".join(rng.sample(words, rng.choice([1, 1, 2, 2, 3])))
            params = {"q": q}
            kind = kinds[i % len(kinds)]
            if kind == "facets":
                params["facets"] = "1"
            elif kind == "sorted":
                params["sort"] = "newest"
            elif kind == "dated":
                start = rng.randint(years[0], years[1])
                params["since"] = str(start)
                params["until"] = str(min(years[1], start + rng.choice([0, 1, 4])))
            elif kind == "fuzzy":
                params["fuzzy"] = "1"
            if unique and attempt > 2:
                params["limit"] = str(rng.randint(10, 20))
            path = "/api/search?" + urllib.parse.urlencode(params)
            if not unique or path not in seen:
                break
        seen.add(path)
        mix.append((kind, path))
    return mix


def deep_pages(seed):
    """Deep pages that are all different (none answered from the server's
    kept answers): pages of 90 to 100 hits ending near the deepest one."""
    paths = [("deep", f"/api/search?q=*&offset={offset}&limit={limit}")
             for offset in range(9_000, 10_001) for limit in range(90, 101)]
    random.Random(seed).shuffle(paths)
    return Sequence(paths)


FORK = multiprocessing.get_context("fork")


class Sequence:
    """Paths handed out in order, each once, shared by the clients (threads
    or forked processes)."""

    def __init__(self, paths):
        self.paths, self.next = paths, FORK.Value("q", 0)

    def take(self, _rng):
        with self.next.get_lock():
            i = self.next.value
            self.next.value += 1
        return self.paths[i % len(self.paths)]


class Drawn:
    """Paths drawn at random, with repeats."""

    def __init__(self, paths):
        self.paths = paths

    def take(self, rng):
        return rng.choice(self.paths)


class Client:
    """One client on its own kept-alive connection, sending until its
    budget or the deadline (shared, so the caller can end it) runs out."""

    def __init__(self, port, paths, budget, deadline, seed):
        self.port, self.budget = port, budget
        self.deadline = FORK.Value("d", deadline, lock=False)
        self.paths = paths if isinstance(paths, (Sequence, Drawn)) else Drawn(paths)
        self.rng = random.Random(seed)
        self.times, self.kinds, self.statuses, self.errors = [], [], {}, []

    def stop(self):
        self.deadline.value = 0.0

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while time.time() < self.deadline.value and self.budget.take():
            kind, path = self.paths.take(self.rng)
            started = time.perf_counter()
            try:
                status, _ = get(conn, path)
            except (OSError, http.client.HTTPException) as e:
                self.errors.append(f"{type(e).__name__}: {e}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            self.times.append((time.perf_counter() - started) * 1000)
            self.kinds.append(kind)
            self.statuses[status] = self.statuses.get(status, 0) + 1
        conn.close()


class Budget:
    """Requests left to send, shared by the clients."""

    def __init__(self, count):
        self.left = FORK.Value("q", count)

    def take(self):
        with self.left.get_lock():
            if self.left.value <= 0:
                return False
            self.left.value -= 1
            return True


def _run_in_process(client, index, results):
    client.run()
    results.put((index, client.times, client.kinds, client.statuses, client.errors))


class Running:
    """Clients started as threads of this process or as processes of their
    own; `join` waits for them and gathers what processes measured."""

    def __init__(self, clients, how):
        self.clients, self.how = clients, how
        if how == "threads":
            self.workers = [threading.Thread(target=c.run, daemon=True) for c in clients]
        else:
            self.results = FORK.Queue()
            self.workers = [FORK.Process(target=_run_in_process, args=(c, i, self.results),
                                         daemon=True)
                            for i, c in enumerate(clients)]
        for w in self.workers:
            w.start()

    def join(self):
        if self.how != "threads":
            # Read before joining: a process exits only once its results
            # are taken off the queue.
            for _ in self.workers:
                i, times, kinds, statuses, errors = self.results.get()
                c = self.clients[i]
                c.times, c.kinds, c.statuses, c.errors = times, kinds, statuses, errors
        for w in self.workers:
            w.join()


def summary(clients, seconds):
    times = [t for c in clients for t in c.times]
    statuses = {}
    for c in clients:
        for k, v in c.statuses.items():
            statuses[str(k)] = statuses.get(str(k), 0) + v
    return {
        "requests": len(times),
        "requests_per_s": len(times) / seconds if seconds else 0.0,
        "p50_ms": percentile(times, 50),
        "p99_ms": percentile(times, 99),
        "max_ms": max(times, default=0.0),
        "statuses": statuses,
        "errors": sum(len(c.errors) for c in clients),
        "first_error": next((c.errors[0] for c in clients if c.errors), None),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, help="index folder to serve")
    parser.add_argument("--news", default=NEWS, help="news binary (default: release build)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument("--warmup", type=int, default=2_000, help="requests before measuring")
    parser.add_argument("--mix", choices=["search", "health"], default="search")
    parser.add_argument("--heavy", type=int, default=0, help="clients asking for the deepest page")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--distinct", action="store_true",
                        help="every request a different search (no repeats)")
    parser.add_argument("--client", choices=["processes", "threads"], default="processes",
                        help="each client a process of its own, or threads of one process")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not os.path.exists(args.news):
        sys.exit(f"missing {args.news}: run `cargo build --release` first")
    server, port = start_server(args.news, args.index)
    try:
        if args.mix == "health":
            paths = [("health", "/health")]
        elif args.distinct:
            # Warm-up and measured run each get searches of their own.
            everything = build_mix(port, args.warmup + args.requests, args.seed, unique=True)
            paths = Sequence(everything[:args.warmup])
            measured = Sequence(everything[args.warmup:])
        else:
            paths = build_mix(port, 5_000, args.seed)
        # Warm-up: the index pages are loaded and the server's pools grown
        # (a quarter of the time allowed at most, not counted).
        warm_stop = time.time() + args.max_seconds / 4
        warm = [Client(port, paths, Budget(args.warmup // args.clients + 1), warm_stop, i)
                for i in range(args.clients)]
        Running(warm, args.client).join()
        rss_after_warmup = rss_kb(server.pid, "VmRSS")
        samples = []
        stop_sampling = threading.Event()

        def sample():
            while not stop_sampling.wait(1.0):
                samples.append(rss_kb(server.pid, "VmRSS"))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        hard_stop = time.time() + args.max_seconds
        budget = Budget(args.requests)
        if args.distinct and args.mix != "health":
            paths = measured
        clients = [Client(port, paths, budget, hard_stop, 100 + i) for i in range(args.clients)]
        heavy_paths = deep_pages(args.seed) if args.distinct else [("deep", DEEP_PAGE)]
        heavy = [Client(port, heavy_paths, Budget(10 ** 9), hard_stop, 1000 + i)
                 for i in range(args.heavy)]
        started = time.time()
        running_heavy = Running(heavy, args.client)
        Running(clients, args.client).join()
        seconds = time.time() - started
        # The deep-page clients stop with the mix: each finishes its request.
        for c in heavy:
            c.stop()
        running_heavy.join()
        stop_sampling.set()
        sampler.join()
        result = {
            "mix": args.mix,
            "client": args.client,
            "distinct": args.distinct,
            "clients": args.clients,
            "seconds": seconds,
            **summary(clients, seconds),
            "rss_after_warmup_mb": rss_after_warmup / 1024,
            "rss_end_mb": rss_kb(server.pid, "VmRSS") / 1024,
            "rss_peak_mb": rss_kb(server.pid, "VmHWM") / 1024,
            "rss_samples_mb": [round(s / 1024, 1) for s in samples[:: max(1, len(samples) // 10)]],
        }
        by_kind = {}
        for c in clients:
            for kind, t in zip(c.kinds, c.times):
                by_kind.setdefault(kind, []).append(t)
        result["by_kind"] = {k: {"n": len(v), "p50_ms": percentile(v, 50), "p99_ms": percentile(v, 99)}
                             for k, v in sorted(by_kind.items())}
        if heavy:
            result["heavy"] = summary(heavy, seconds)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['requests']:,} requests from {args.clients} clients in {seconds:.1f} s: "
          f"{result['requests_per_s']:,.0f} requests/s, p50 {result['p50_ms']:.1f} ms, "
          f"p99 {result['p99_ms']:.1f} ms, max {result['max_ms']:.0f} ms, "
          f"statuses {result['statuses']}, errors {result['errors']}")
    for kind, k in result["by_kind"].items():
        print(f"  {kind:7} {k['n']:>7,}  p50 {k['p50_ms']:6.1f} ms  p99 {k['p99_ms']:6.1f} ms")
    if heavy:
        h = result["heavy"]
        print(f"  deep pages ({args.heavy} clients): {h['requests']:,} answered, "
              f"p50 {h['p50_ms']:.0f} ms, p99 {h['p99_ms']:.0f} ms, statuses {h['statuses']}")
    print(f"server RSS: {result['rss_after_warmup_mb']:.0f} MB after warm-up, "
          f"{result['rss_end_mb']:.0f} MB at the end, peak {result['rss_peak_mb']:.0f} MB "
          f"(samples {result['rss_samples_mb']})")


if __name__ == "__main__":
    main()
