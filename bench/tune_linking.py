"""Tune the linking structure parameters on the dev gold (task → clause), scoring from one score matrix.

Usage: python bench/tune_linking.py [--tasks T --target FILE]"""

from __future__ import annotations

import argparse
import itertools

import numpy as np
from common import SHARED

from docsearch.evaluate.linking import evaluate, load_tasks, target_index
from docsearch.linking.link import LinkParams, apply_structure, score_matrix


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", default=str(SHARED / "eval" / "linking" / "nq03-to-nq57.jsonl"))
    ap.add_argument("--target", default=str(SHARED / "corpus" / "raw" / "nq-57-nqtw-2024.txt"))
    args = ap.parse_args()
    tasks, gold = load_tasks(args.tasks)
    ix, doc = target_index(args.target)
    leaves, M = score_matrix(ix, tasks, doc.id)

    def score(p: LinkParams) -> dict:
        S = apply_structure(tasks, leaves, M, p)
        return evaluate([[leaves[j]["address"] for j in np.argsort(-S[i])[:10]] for i in range(len(tasks))], gold)

    print("no structure", evaluate([[leaves[j]["address"] for j in np.argsort(-M[i])[:10]] for i in range(len(tasks))], gold))
    results = []
    for t, a, m, s in itertools.product([0.5, 1.0, 2.0], [0, 1, 2, 3, 4, 6], [0, 0.25, 0.5, 1.0], [0, 0.3, 0.6]):
        p = LinkParams(temperature=t, align=a, mirror=m, section=s)
        r = score(p)
        results.append((r["MRR@10"] + r["Hit@5"], r, p))
    results.sort(key=lambda x: -x[0])
    for _, r, p in results[:8]:
        print(r, p)
    print("defaults", score(LinkParams()))


if __name__ == "__main__":
    main()
