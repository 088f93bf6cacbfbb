"""Fusion weights chosen by query-level k-fold cross-validation on a retrieval dev set (default ALQAC 2022).

Each query's per-method z-scores are computed once by docsearch.search.hybrid.features (as typed, and typed
without diacritics — then restored as the product restores it); every weighting of the grid is scored from them.
For each fold, the weights best on the other folds rank the fold's queries; the out-of-fold MRR@10 is the figure
to report. The weight of the accent-folded field for queries typed without marks is chosen the same way, on top of
the fold's weights. The product's defaults (docsearch/config.py) are the choice most folds made.

Usage: python bench/tune_fusion.py [--passages P --queries Q --folds 5]"""

from __future__ import annotations

import argparse
import itertools
import time
from collections import Counter

import numpy as np
from common import SHARED

from docsearch.config import get_settings
from docsearch.evaluate.crossval import cross_validate, kfold, out_of_fold
from docsearch.evaluate.retrieval import _read_jsonl, build_index
from docsearch.ingest.normalize import fold
from docsearch.search.hybrid import features
from docsearch.search.restoration import restore_diacritics

ALQAC = SHARED / "eval" / "legal-retrieval" / "alqac2022"
METHODS = ("words", "syllables", "folded", "words_seg", "dense", "dense_seg")
G = [0.0, 0.1, 0.2, 0.3]
GRID = [dict(zip(("words", "syllables", "words_seg", "dense", "dense_seg"), v))
        for v in itertools.product(G, [0.0, 0.1], G, G, G) if any(v)]
FOLDED = [0.0, 0.1, 0.2, 0.3, 0.5]


def _features(ix, texts: list[str], vectors) -> list[tuple[np.ndarray, dict]]:
    everything = {m: 1.0 for m in METHODS}
    out = []
    for text, v in zip(texts, vectors):
        cand, f = features(ix, text, get_settings().candidates, everything, None, v)
        rows = ix.store.clause_rows(cand.tolist())
        out.append((np.array([rows[int(c)]["doc_id"] for c in cand]), f))
    return out


def _rr(feats, rel, w: dict) -> np.ndarray:
    out = np.zeros(len(feats))
    for i, ((docs, f), r) in enumerate(zip(feats, rel)):
        s = sum(w[m] * f[m] for m in w if w[m] and m in f)
        if isinstance(s, int):
            continue
        top = np.argsort(-s)[:10]
        for rank, d in enumerate(docs[top], start=1):
            if d in r:
                out[i] = 1.0 / rank
                break
    return out


def questions(passages, queries):
    """The retrieval set's index (loaded), the relevant ids of each question, the questions as typed and the same
    with their marks stripped and then restored as the product restores them."""
    ix = build_index(passages)
    ix.ensure_loaded()
    qs = _read_jsonl(queries)
    rel = [{str(r) for r in q["relevant"]} for q in qs]
    texts = [q.get("question") or q.get("text") for q in qs]
    restored = [restore_diacritics(fold(t), ix.restore) or fold(t) for t in texts]
    return ix, rel, texts, restored


def run(passages=ALQAC / "corpus.jsonl", queries=ALQAC / "queries.jsonl", folds: int = 5, seed: int = 0) -> dict:
    ix, rel, texts, restored = questions(passages, queries)
    t0 = time.time()
    feats = _features(ix, texts, ix.cache.embed(ix.embedder, texts, "query"))
    feats_folded = _features(ix, restored, ix.cache.embed(ix.embedder, restored, "query"))
    ix.close()
    t1 = time.time()
    A = np.array([_rr(feats, rel, w) for w in GRID])  # grid × queries, as typed
    fold_of = kfold(len(texts), folds, seed)
    choice, chosen = cross_validate(A, fold_of)
    cv_written = float(out_of_fold(A, choice).mean())
    # queries without marks: the fold's weights plus a weight for the accent-folded field, chosen on the other folds
    cv_folded = np.zeros(len(texts))
    folded_choices = []
    for f, g in zip(np.unique(fold_of), chosen):
        held = fold_of == f
        B = np.array([_rr([feats_folded[i] for i in np.flatnonzero(~held)], [rel[i] for i in np.flatnonzero(~held)],
                          {**GRID[g], "folded": wf}).mean() for wf in FOLDED])
        wf = FOLDED[int(np.argmax(B))]
        folded_choices.append(wf)
        cv_folded[held] = _rr([feats_folded[i] for i in np.flatnonzero(held)], [rel[i] for i in np.flatnonzero(held)],
                              {**GRID[g], "folded": wf})
    s = get_settings()
    current = {"words": s.w_words, "syllables": s.w_syllables, "words_seg": s.w_words_seg, "dense": s.w_dense,
               "dense_seg": s.w_dense_seg}
    majority = Counter(chosen).most_common(1)[0][0]
    return {
        "folds": folds,
        "cv_mrr": round(cv_written, 4),
        "cv_mrr_no_diacritics": round(float(cv_folded.mean()), 4),
        "defaults_in_sample": round(float(_rr(feats, rel, current).mean()), 4),
        "defaults_no_diacritics_in_sample": round(float(_rr(feats_folded, rel, {**current, "folded": s.w_folded_unaccented}).mean()), 4),
        "plain_words_dense": round(float(_rr(feats, rel, {"words": 0.5, "dense": 0.5}).mean()), 4),
        "chosen": [GRID[g] for g in chosen],
        "chosen_folded": folded_choices,
        "majority": GRID[majority],
        "feature_seconds": round(t1 - t0, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--passages", default=str(ALQAC / "corpus.jsonl"))
    ap.add_argument("--queries", default=str(ALQAC / "queries.jsonl"))
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    res = run(args.passages, args.queries, args.folds)
    for k, v in res.items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    main()
