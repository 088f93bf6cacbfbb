"""What the learned ranker costs a search, side by side with fusion in one run: the same queries (the staff-style
set, each as typed and without diacritics) over the same index, the two rankers asked in turn for each query, warm
(every query searched once before timing). Writes the section "Learned ranker: cost per search" of RESULTS.md.

Usage: python bench/ingest.py (once); python bench/ranker_speed.py [--index DIR] [--rounds 5]"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from common import ROOT, settings, write_section

from docsearch.index import Index
from docsearch.ingest.normalize import fold
from docsearch.search.hybrid import rank


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", default="/tmp/docsearch-bench/raw-index")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    rows = [json.loads(line) for line in (ROOT / "bench" / "data" / "staff_queries.jsonl").open(encoding="utf-8")]
    queries = [r["query"] for r in rows] + [fold(r["query"]) for r in rows]
    ix = Index(args.index)
    times: dict[str, list[float]] = {"fusion": [], "learned": []}

    def search(ranker: str, q: str) -> float:
        with settings(DOCSEARCH_RANKER=ranker):
            t0 = time.perf_counter()
            rank(ix, q, k=10)
            return (time.perf_counter() - t0) * 1000

    for q in queries:  # warm: embeddings cached, model loaded
        search("fusion", q)
        search("learned", q)
    for _ in range(args.rounds):
        for q in queries:
            for ranker in ("fusion", "learned"):
                times[ranker].append(search(ranker, q))
    ix.close()
    med = {k: statistics.median(v) for k, v in times.items()}
    p95 = {k: sorted(v)[int(0.95 * len(v))] for k, v in times.items()}
    body = ("| ranker | median ms | p95 ms |\n|---|---|---|\n"
            + "\n".join(f"| {k} | {med[k]:.1f} | {p95[k]:.1f} |" for k in ("fusion", "learned"))
            + f"\n\nIndex: {args.index} (the ten shared documents, 5,371 clauses); {len(queries)} queries (the 60 "
              f"staff-style ones as typed and without diacritics) × {args.rounds} rounds, k=10, library calls "
              f"(`hybrid.rank`), the two rankers in turn for each query. Median ratio learned / fusion: "
              f"**{med['learned'] / med['fusion']:.2f}×**. The learned ranker computes all six methods (fusion's "
              f"defaults skip three), reads the candidates' tokens from the store and runs the trees; by default "
              f"(`auto`) only queries typed without diacritics pay it.")
    write_section("Learned ranker: cost per search", f"python bench/ranker_speed.py --rounds {args.rounds}", body)


if __name__ == "__main__":
    main()
