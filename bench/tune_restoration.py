"""Diacritic restoration: how the general dictionary weighs against the corpus, chosen by 5-fold cross-validation
on ALQAC 2022 questions with their marks stripped (query-level folds; the grid point best on four folds restores
the fifth). Reports the out-of-fold syllable accuracy beside the corpus-only and dictionary-only restorers.

Usage: python bench/tune_restoration.py [--folds 5]"""

from __future__ import annotations

import argparse
import itertools
import re

import numpy as np
from common import SHARED

from docsearch.evaluate import retrieval as retrieval_eval
from docsearch.evaluate.crossval import kfold
from docsearch.ingest.normalize import fold
from docsearch.search.restoration import RestoreParams, restore_diacritics

ALQAC = SHARED / "eval" / "legal-retrieval" / "alqac2022"
GRID = {"dict_unigram": [2.0, 10.0, 30.0, 100.0], "dict_pair": [0.3, 1.0, 5.0], "pair_weight": [2.5, 4.0, 6.0]}
_WORD = re.compile(r"[^\W\d_]+")


def accuracy(questions: list[str], restore: dict, params: RestoreParams) -> np.ndarray:
    """Per question: (syllables restored right, syllables)."""
    out = []
    for q in questions:
        want = _WORD.findall(q.lower())
        got = _WORD.findall((restore_diacritics(fold(q), restore, params) or fold(q)).lower())
        right = sum(a == b for a, b in zip(want, got)) if len(want) == len(got) else 0
        out.append((right, len(want)))
    return np.array(out, dtype=float)


def main() -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    res = run(args.folds)
    print(res)
    return res


def run(folds: int = 5) -> dict:
    ix = retrieval_eval.build_index(ALQAC / "corpus.jsonl")
    ix.ensure_loaded()
    restore = ix.restore
    ix.close()
    qs = [q["question"] for q in retrieval_eval._read_jsonl(ALQAC / "queries.jsonl")]
    combos = [RestoreParams(**dict(zip(GRID, v))) for v in itertools.product(*GRID.values())]
    per = [accuracy(qs, restore, p) for p in combos]
    fold_of = kfold(len(qs), folds)
    right = total = 0.0
    chosen = []
    for f in range(folds):
        train, test = fold_of != f, fold_of == f
        best = int(np.argmax([a[train, 0].sum() / a[train, 1].sum() for a in per]))
        chosen.append(combos[best])
        right += per[best][test, 0].sum()
        total += per[best][test, 1].sum()
    cv = right / total
    corpus_only = accuracy(qs, restore, RestoreParams(dict_unigram=0.0, dict_pair=0.0))
    dict_only = accuracy(qs, {"uni": {}, "bi": {}, "_": 1}, RestoreParams())
    default = accuracy(qs, restore, RestoreParams())
    return {"cv_accuracy": round(float(cv), 4),
            "default_accuracy_in_sample": round(float(default[:, 0].sum() / default[:, 1].sum()), 4),
            "corpus_only": round(float(corpus_only[:, 0].sum() / corpus_only[:, 1].sum()), 4),
            "dictionary_only": round(float(dict_only[:, 0].sum() / dict_only[:, 1].sum()), 4),
            "chosen": [dict(c.__dict__) for c in chosen]}


if __name__ == "__main__":
    main()
