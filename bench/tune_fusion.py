"""Tune the fusion weights on a retrieval dev set (default: ALQAC 2022 in ../shared) with the real pipeline.

Each query's per-method z-scores are computed once by docsearch.search.hybrid.features; every weighting is then
scored from them. Usage: python bench/tune_fusion.py [--passages P --queries Q]"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docsearch.config import get_settings  # noqa: E402
from docsearch.evaluate.metrics import mrr_at  # noqa: E402
from docsearch.evaluate.retrieval import _read_jsonl, build_index  # noqa: E402
from docsearch.search.hybrid import features  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "legal-retrieval" / "alqac2022"
METHODS = ("words", "syllables", "folded", "words_seg", "dense", "dense_seg")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--passages", default=str(SHARED / "corpus.jsonl"))
    ap.add_argument("--queries", default=str(SHARED / "queries.jsonl"))
    args = ap.parse_args()
    ix = build_index(args.passages)
    ix.ensure_loaded()
    qs = _read_jsonl(args.queries)
    texts = [q.get("question") or q.get("text") for q in qs]
    qv = ix.cache.embed(ix.embedder, texts, "query")
    everything = {m: 1.0 for m in METHODS}
    t = time.time()
    feats = []
    for text, v in zip(texts, qv):
        cand, f = features(ix, text, get_settings().candidates, everything, None, v)
        rows = ix.store.clause_rows(cand.tolist())
        feats.append((np.array([rows[int(c)]["doc_id"] for c in cand]), f))
    print(f"features for {len(qs)} queries in {time.time() - t:.1f}s")
    rel = [{str(r) for r in q["relevant"]} for q in qs]

    def evaluate(w: dict) -> float:
        total = 0.0
        for (docs, f), r in zip(feats, rel):
            s = sum(w[m] * f[m] for m in w if w[m] and m in f)
            top = np.argsort(-s)[:10]
            total += mrr_at(list(docs[top]), r, 10)
        return total / len(feats)

    results = []
    g = [0.0, 0.1, 0.2, 0.3]
    for ww, wsy, wws, wd, wds in itertools.product(g, [0.0, 0.1], g, g, g):
        w = {"words": ww, "syllables": wsy, "folded": 0.0, "words_seg": wws, "dense": wd, "dense_seg": wds}
        if sum(w.values()) == 0:
            continue
        results.append((evaluate(w), w))
    results.sort(key=lambda x: -x[0])
    for score, w in results[:8]:
        print(f"MRR@10 {score:.4f}  {w}")
    s = get_settings()
    current = {"words": s.w_words, "syllables": s.w_syllables, "folded": s.w_folded, "words_seg": s.w_words_seg,
               "dense": s.w_dense, "dense_seg": s.w_dense_seg}
    print(f"current defaults MRR@10 {evaluate(current):.4f}  {current}")
    print(f"plain z(words)+z(dense) MRR@10 {evaluate({'words': 0.5, 'dense': 0.5}):.4f}")


if __name__ == "__main__":
    main()
