"""Warm library search latency of one code tree on one index: the median ms/query of 3 passes over 150 ALQAC
questions. Run it from two code trees on copies of one index, alternating, to compare two versions side by side on
a noisy machine (an index made by a newer schema can be opened by an older tree for reading after setting its
meta schema_version back, and without its published derived files both trees build them in memory alike):

    git worktree add /tmp/old <commit>
    for round in 1 2 3; do
      (cd /tmp/old && PYTHONPATH=/tmp/old python /path/to/bench/side_by_side.py OLD_COPY)
      PYTHONPATH=. python bench/side_by_side.py NEW_COPY
    done
"""
import json
import statistics
import sys
import time
from pathlib import Path

from docsearch.index import Index

QUERIES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "legal-retrieval" / "alqac2022" / "queries.jsonl"


def main() -> None:
    qs = [json.loads(line)["question"] for line in QUERIES.read_text(encoding="utf-8").splitlines()][:150]
    ix = Index(sys.argv[1])
    for q in qs:
        ix.search(q, k=10)
    passes = []
    for _ in range(3):
        t = time.perf_counter()
        for q in qs:
            ix.search(q, k=10)
        passes.append((time.perf_counter() - t) * 1000 / len(qs))
    print(f"{statistics.median(passes):.2f}")


if __name__ == "__main__":
    main()
