"""Tune the tagger's few parameters on the dev labels, with 5-fold cross-validation of the choice.

Usage: python bench/tune_tagging.py [--labels L]"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from docsearch.evaluate.retrieval import _read_jsonl  # noqa: E402
from docsearch.evaluate.tagging import label_inputs, per_topic, score  # noqa: E402
from docsearch.index.cache import EmbeddingCache  # noqa: E402
from docsearch.index.embedders import get_embedder  # noqa: E402
from docsearch.tagging import Tagger, TaggerParams, load_taxonomy  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def cross_validated(labels_path, docs) -> dict:
    return _run(labels_path, docs, report=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--labels", default=str(SHARED / "eval" / "topics" / "labels.jsonl"))
    ap.add_argument("--docs", default=str(SHARED / "corpus" / "raw"))
    args = ap.parse_args()
    _run(args.labels, args.docs, report=True)


def _run(labels_path, docs, report: bool) -> dict:
    labels = _read_jsonl(labels_path)
    inputs = label_inputs(labels, Path(docs))
    if report:
        print(f"{sum(bool(c) for _, c, _ in inputs)} of {len(inputs)} labels found their clause's context")
    emb = get_embedder()
    cache = EmbeddingCache(Path(tempfile.gettempdir()) / "docsearch-eval" / "tagging-cache.sqlite")
    vecs = cache.embed(emb, [p for _, _, p in inputs], "passage")
    gold = [lab["topics"] for lab in labels]
    base = Tagger(load_taxonomy(), embedder=emb, cache=cache)
    protos = base.prototypes
    own = [base.lexicon(t)[0] for t, _, _ in inputs]
    ctx = [base.lexicon(c)[0] if c else np.zeros(len(protos)) for _, c, _ in inputs]
    cos = [protos @ v for v in vecs]

    def predict(p: TaggerParams, idx: list[int]) -> list[list[str]]:
        t = Tagger(base.taxonomy, params=p)
        out = []
        for i in idx:
            raw = own[i] + p.context_weight * ctx[i]
            lex = 1 - np.exp(-raw / p.lex_scale)
            z = (cos[i] - cos[i].mean()) / (cos[i].std() or 1)
            e = 1 / (1 + np.exp(-p.emb_slope * (z - p.emb_shift)))
            s = p.alpha * lex + (1 - p.alpha) * e
            out.append([base.taxonomy.topics[j].id for j in t.select(s)])
        return out

    grid = [TaggerParams(alpha=a, context_weight=cw, lex_scale=ls, emb_shift=es, threshold=th, ratio=r)
            for a, cw, ls, es, th, r in itertools.product([0.5, 0.6, 0.7, 0.8, 1.0], [0.0, 0.1, 0.2], [3.0, 4.0, 6.0],
                                                          [0.5, 1.0, 1.5], [0.3, 0.35, 0.4, 0.45], [0.5, 0.6, 0.7])]

    def objective(res: dict) -> float:
        return res["micro_f1"] + res["macro_f1"] + res["p_at_1"]

    all_idx = list(range(len(labels)))
    if report:
        scored = sorted(((objective(score(predict(p, all_idx), gold)), p) for p in grid), key=lambda x: -x[0])
        best = scored[0][1]
        print("defaults      ", score(predict(TaggerParams(), all_idx), gold))
        print("best in-sample", score(predict(best, all_idx), gold), best)
        for name, p in (("lexicon only ", TaggerParams(**{**best.__dict__, "alpha": 1.0})),
                        ("embedding only", TaggerParams(**{**best.__dict__, "alpha": 0.0}))):
            print(name, score(predict(p, all_idx), gold))
    # 5-fold CV: choose parameters on 4 folds, score on the 5th
    random.seed(0)
    order = all_idx[:]
    random.shuffle(order)
    folds = [order[i::5] for i in range(5)]
    preds: dict[int, list[str]] = {}
    for k in range(5):
        train = [i for j, f in enumerate(folds) if j != k for i in f]
        choice = max(grid, key=lambda p: objective(score(predict(p, train), [gold[i] for i in train])))
        for i, pr in zip(folds[k], predict(choice, folds[k])):
            preds[i] = pr
    cv = score([preds[i] for i in all_idx], gold)
    cv["per_topic"] = per_topic([preds[i] for i in all_idx], gold)
    if report:
        print("5-fold CV     ", {k: v for k, v in cv.items() if k != "per_topic"})
        for t, r in sorted(cv["per_topic"].items(), key=lambda kv: kv[1]["f1"]):
            print(f"  {t:<28} P {r['precision']:.2f}  R {r['recall']:.2f}  F1 {r['f1']:.2f}  n {r['support']}")
    return cv


if __name__ == "__main__":
    main()
