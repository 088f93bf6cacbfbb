"""The learned ranker: a small LightGBM lambdarank model over features the index already computes for each
candidate (per-method z-scores and ranks, query-word and heading coverage, adjacent-syllable pair coverage with and
without diacritics, clause length, the query's length, whether it was typed without marks).

Trained by `bench/tune_ranker.py` on ALQAC 2022 (as typed and typed without diacritics) and used by
`search.hybrid.rank` as `DOCSEARCH_RANKER` says (default 'auto': for queries typed without marks only, where
cross-validation showed it ahead; see config.py). The trees are boosted from the fusion's own score (default
weights × `base_scale`), so they learn corrections to it rather than a ranking of their own; search applies the
share `strength` of that correction. The strength is chosen by nested cross-validation on ALQAC and the staff-style
set, both typed without diacritics: the full correction, learned on legal questions, loses on staff-style queries
typed without marks (topics, paraphrases, pasted tasks), and a smaller share keeps most of its gain on ALQAC. `DOCSEARCH_RANKER=fusion`
keeps the weighted z-score fusion alone, which is also the fallback when the model file or LightGBM is missing
(bench/RESULTS.md, section Quality, has both). The feature function below is the only one: the trainer calls it too,
so training and serving cannot compute features differently."""

from __future__ import annotations

import json
import logging
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from docsearch.ingest.normalize import fold
from docsearch.text.analysis import syllables

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).with_name("ranker.txt")
METHODS = ("words", "syllables", "folded", "words_seg", "dense", "dense_seg")
ALL_METHODS = {m: 1.0 for m in METHODS}  # the ranker reads every method's score
FEATURES = (
    [f"z_{m}" for m in METHODS]
    + ["query_word_coverage", "heading_coverage", "log_length"]
    + [f"rr_{m}" for m in METHODS]
    + ["typed_without_marks", "pair_coverage", "pair_coverage_folded", "query_length"]
)
MISSING_Z = -4.0  # the floor `hybrid.features` puts under a z-score


def pairs(seq: list[str]) -> set[tuple[str, str]]:
    return set(zip(seq, seq[1:]))


@lru_cache(maxsize=65536)
def _heading_syllables(heading: str) -> frozenset[str]:
    """A heading's syllables in match form (cached: the same clauses come back query after query)."""
    return frozenset(syllables(heading))


@lru_cache(maxsize=65536)
def padded_folded(tokens: str) -> str:
    """Space-separated tokens, folded and padded for `pair_share` (cached: the same clauses come back)."""
    return f" {fold(tokens)} "  # fold works character by character, so the tokens stay where they were


def pair_share(want: set[tuple[str, str]], padded: str) -> int:
    """How many of the pairs stand next to each other in the space-separated tokens (`padded` = " t1 t2 … ")."""
    return sum(f" {a} {b} " in padded for a, b in want)


def candidate_features(cand: np.ndarray, feats: dict[str, np.ndarray], query: dict[str, list[str]],
                       clauses: dict[int, tuple[str, str, str]], typed_without_marks: bool) -> np.ndarray:
    """One row of FEATURES per candidate.

    cand, feats: what `hybrid.features` returned (z-scores per method); query: `analyze(text)` of the query as
    searched; clauses: clause id → (heading, words tokens, syllable tokens) as the store keeps them."""
    n = len(cand)
    X = np.zeros((n, len(FEATURES)), dtype=np.float64)
    for j, m in enumerate(METHODS):
        z = feats.get(m)
        X[:, j] = z if z is not None else MISSING_Z
        X[:, 9 + j] = 1.0 / (1.0 + np.argsort(np.argsort(-X[:, j], kind="stable"), kind="stable"))
    q_words = set(query["words"])
    q_syl = set(query["syllables"])
    q_pairs = pairs(query["syllables"])
    pairs_folded = pairs(query["folded"])
    nw, ns, npair, npf = max(1, len(q_words)), max(1, len(q_syl)), max(1, len(q_pairs)), max(1, len(pairs_folded))
    for i, cid in enumerate(cand.tolist()):
        heading, words_tok, syl_tok = clauses.get(int(cid), ("", "", ""))
        w = words_tok.split()
        X[i, 6] = len(q_words.intersection(w)) / nw
        X[i, 7] = len(q_syl & _heading_syllables(heading)) / ns
        X[i, 8] = math.log1p(len(w))
        X[i, 16] = pair_share(q_pairs, f" {syl_tok} ") / npair
        X[i, 17] = pair_share(pairs_folded, padded_folded(syl_tok)) / npf
    X[:, 15] = 1.0 if typed_without_marks else 0.0
    X[:, 18] = math.log1p(len(query["syllables"]))  # a short topic and a long question trust shared words unlike
    return X


class LearnedRanker:
    """A LightGBM model file and what it was trained with (the JSON header line the trainer writes)."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        import lightgbm as lgb

        text = path.read_text(encoding="utf-8")
        self.info: dict = {}
        if text.startswith("#"):
            head, text = text.split("\n", 1)
            self.info = json.loads(head[1:])
        if self.info.get("features", list(FEATURES)) != list(FEATURES):
            raise ValueError(f"{path}: the model was trained on other features than this code computes; "
                             "train it again with `python bench/tune_ranker.py --write`")
        self.booster = lgb.Booster(model_str=text)
        self.path = path
        # the trees were boosted from the fusion score times this (0: from nothing)
        self.base_scale = float(self.info.get("base_scale", 0.0))
        # the share of the trees' correction search applies (chosen with the model; 1.0 for a header without one)
        self.strength = float(self.info.get("strength", 1.0))

    def score(self, X: np.ndarray, fused: np.ndarray, strength: float | None = None) -> np.ndarray:
        """X: `candidate_features` rows; fused: the same candidates' fusion score with the default weights;
        strength: the share of the trees' correction to add (default: the model's own, `self.strength`; 0 orders
        as fusion does)."""
        if not len(X):
            return np.zeros(0)
        share = self.strength if strength is None else strength
        return self.base_scale * fused + share * np.asarray(self.booster.predict(X, num_threads=1), dtype=np.float64)


@lru_cache(maxsize=4)
def load_ranker(path: str = str(MODEL_PATH)) -> LearnedRanker | None:
    """The shipped model, or None (with a warning) when it or LightGBM is missing: search then fuses."""
    try:
        return LearnedRanker(Path(path))
    except (ImportError, OSError, ValueError) as exc:
        log.warning("learned ranker unavailable, using fusion: %s", exc)
        return None
