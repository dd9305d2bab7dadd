#!/usr/bin/env python3
"""Ranking quality of `news` on classic IR test collections.

Each collection of ../shared/data/ir/ (docs.jsonl, queries.tsv, qrels.txt)
is turned into article files (title as headline, text as body: one JSON
article per document), indexed with `news index`, and its queries are run in
one process with `news search --batch --json --limit 100`. The script prints
nDCG@10, MRR@10 and MAP per collection beside the plain-BM25 baseline of
../shared/data/ir/README.md.

    python3 bench/ir_eval.py [--news target/release/news] [--data ../shared/data/ir]
                             [--only cran,med] [-- extra search options...]

Queries are sent as written, except that characters with a meaning in the
query language (quotes, parentheses, brackets, ^ ~ * : and a leading + or -)
are replaced by spaces: the collections' queries are plain prose.
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time

BASELINE = {  # plain BM25 nDCG@10, from ../shared/data/ir/README.md
    "time": 0.641, "cran": 0.311, "cisi": 0.236, "cacm": 0.346,
    "med": 0.663, "npl": 0.374, "lisa": 0.302, "adi": 0.392,
}

SYNTAX = re.compile(r'["“”()\[\]{}^~*:]|(?<!\S)[+-]')


def plain(query):
    return " ".join(SYNTAX.sub(" ", query).split())


def load_qrels(path):
    qrels = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 4:
                continue
            qid, _, doc, gain = parts[:4]
            if int(gain) > 0:
                qrels.setdefault(qid, {})[doc] = int(gain)
    return qrels


def ndcg_at(ranked, rels, k=10):
    dcg = sum(rels.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(rels.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def mrr_at(ranked, rels, k=10):
    for i, d in enumerate(ranked[:k]):
        if d in rels:
            return 1.0 / (i + 1)
    return 0.0


def average_precision(ranked, rels):
    hits, total = 0, 0.0
    for i, d in enumerate(ranked):
        if d in rels:
            hits += 1
            total += hits / (i + 1)
    return total / len(rels) if rels else 0.0


def evaluate(name, data, news, extra, work):
    root = os.path.join(data, name)
    docs_dir = os.path.join(work, name, "docs")
    index = os.path.join(work, name, "index")
    os.makedirs(docs_dir, exist_ok=True)
    count = 0
    with open(os.path.join(root, "docs.jsonl")) as f:
        for line in f:
            doc = json.loads(line)
            article = {"title": doc.get("title", ""), "body": doc.get("text", "")}
            if doc.get("date"):
                article["date"] = doc["date"]
            with open(os.path.join(docs_dir, f"{doc['id']}.json"), "w") as out:
                json.dump(article, out)
            count += 1
    started = time.time()
    subprocess.run([news, "--index", index, "index", "--quiet", docs_dir],
                   check=False, stdout=subprocess.DEVNULL)
    index_seconds = time.time() - started
    qrels = load_qrels(os.path.join(root, "qrels.txt"))
    qids, lines = [], []
    with open(os.path.join(root, "queries.tsv")) as f:
        for line in f:
            if "\t" not in line:
                continue
            qid, text = line.rstrip("\n").split("\t", 1)
            if qid in qrels and plain(text):
                qids.append(qid)
                lines.append(plain(text))
    batch = os.path.join(work, name, "queries.txt")
    with open(batch, "w") as f:
        f.write("\n".join(lines) + "\n")
    started = time.time()
    out = subprocess.run(
        [news, "--index", index, "search", "--batch", batch, "--json", "--limit", "100", *extra],
        check=False, capture_output=True, text=True)
    search_seconds = time.time() - started
    results = [json.loads(l) for l in out.stdout.splitlines() if l.strip()]
    if len(results) != len(qids):
        sys.exit(f"{name}: {len(qids)} queries but {len(results)} result lines\n{out.stderr}")
    ndcg = mrr = ap = 0.0
    errors = 0
    for qid, result in zip(qids, results):
        if "error" in result:
            errors += 1
            continue
        ranked = [os.path.basename(h["path"])[:-len(".json")] for h in result["hits"]]
        rels = qrels[qid]
        ndcg += ndcg_at(ranked, rels)
        mrr += mrr_at(ranked, rels)
        ap += average_precision(ranked, rels)
    n = len(qids)
    return {
        "collection": name, "docs": count, "queries": n, "errors": errors,
        "ndcg10": ndcg / n, "mrr10": mrr / n, "map": ap / n,
        "baseline": BASELINE.get(name), "index_s": index_seconds,
        "qps": n / search_seconds if search_seconds else 0.0,
    }


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--news", default=os.path.join(here, "..", "target", "release", "news"))
    parser.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data", "ir"))
    parser.add_argument("--only", default="")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.data):
        sys.exit(f"no IR collections at {args.data}")
    names = [n for n in ["time", "cran", "cisi", "cacm", "med", "npl", "lisa", "adi"]
             if not args.only or n in args.only.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for name in names:
            rows.append(evaluate(name, args.data, args.news, extra, work))
            r = rows[-1]
            print(f"{name}: nDCG@10 {r['ndcg10']:.3f}", file=sys.stderr)
    if args.json:
        print(json.dumps(rows))
        return
    print("| collection | docs | queries | nDCG@10 | MRR@10 | MAP | BM25 nDCG@10 | change |")
    print("|---|---|---|---|---|---|---|---|")
    changes = []
    for r in rows:
        change = (r["ndcg10"] / r["baseline"] - 1) * 100 if r["baseline"] else 0.0
        changes.append(change)
        err = f" ({r['errors']} errors)" if r["errors"] else ""
        print(f"| {r['collection']} | {r['docs']:,} | {r['queries']}{err} | {r['ndcg10']:.3f} | "
              f"{r['mrr10']:.3f} | {r['map']:.3f} | {r['baseline']:.3f} | {change:+.1f}% |")
    if changes:
        print(f"\nmean change in nDCG@10 over plain BM25: {sum(changes) / len(changes):+.1f}%")


if __name__ == "__main__":
    main()
