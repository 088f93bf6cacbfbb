"""Probes of other evidence for the tagger, cross-validated in the folds bench/tune_tagging.py uses, none shipped.

Each probe adds one reading of a clause to the shipped scores, with its weight chosen inside every fold together
with the tagger's own parameters (tune_tagging.default_grid), so a weight of 0 (the shipped tagger) is always one
of the choices:

- `sentences`: the first topic is chosen on a cosine that mixes the clause's with its best sentence's (each
  sentence of the clause embedded alone): a long clause whose subject is in one sentence;
- `description_parts`: each topic's similarity is the best over its name and the parts of its description (split
  at ";" and "."), embedded one by one, instead of the whole prototype;
- `query_prototypes`: each topic's prototype embedded as a query ("query: …", as e5 models embed what is searched
  for) instead of as a passage;
- `scope_notes`: the prototype is the topic's name and the contract's scope note (shared/taxonomy.json);
- `corpus_classifier`: a logistic regression per topic over the clause vectors of every document in the corpus
  (corpus/raw), trained on the lexicon's own strong evidence as labels (a topic with raw evidence >= 3 and at least
  half the clause's best), no dev label seen; its probability is mixed into the scores;
- `term_weights`: the lexicon's weights learned term by term on each fold's training labels (Tagger.terms): a term's
  multiplier is how often the clause it is found in has its topic, shrunk towards its topic's (or all terms') rate
  and divided by it; how much to shrink, or no multipliers at all, is chosen in the fold with the tagger's
  parameters, on the training labels each read with multipliers learned without it (leave one out), and the
  documents' backgrounds are recomputed with the multipliers. Its grid holds breadcrumb weight 0 only (what every
  fold chooses), and the shipped row beside it is the same grid without multipliers;
- `stacked`: a small LightGBM model over features of each (clause, topic) pair that name no topic (the lexicon
  evidence, its share of the clause's best, the same after the background, the background, the cosine's z-score
  and gap to the best, the lexicon's and the cosine's rank, how many topics have evidence, the clause's length),
  trained on each fold's training labels; the first topic is the shipped tagger's, further topics those whose
  probability reaches a threshold chosen on the training labels' own out-of-fold probabilities (up to three).

For each: the first folds (seed 0), the mean over the 8 shuffles, and each labelled document held out, beside the
shipped tagger's figures from the same run. bench/RESULTS.md quotes them.

Usage: python bench/tagging_probes.py [--labels L] [--docs D] [--only NAME ...]"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tune_tagging import (  # noqa: E402
    REPEATS,
    SHARED,
    LabelData,
    _shuffled_folds,
    _summary,
    _Tagging,
    _total,
    _training,
    default_grid,
    prepare,
)

from docsearch.evaluate.tagging import label_backgrounds, label_positions, score  # noqa: E402
from docsearch.tagging.tagger import combine, further_scores, keep  # noqa: E402

PROBES = ("sentences", "description_parts", "query_prototypes", "scope_notes", "corpus_classifier", "term_weights", "stacked")


class _Probe(_Tagging):
    """_Tagging whose grid points are (TaggerParams, w, beta): `w` mixes `read`'s 4th array (a cosine) into the
    first topic's cosine, `beta` mixes its 5th (a probability per topic) into both scores."""

    def decide(self, p, idx, read, bias=None):
        p, w, beta = p
        own, ctx, cos, first_cos, prob = read
        raw = own[idx] + p.context_weight * ctx[idx]
        c1 = cos[idx] if w == 0 else (1 - w) * cos[idx] + w * first_cos[idx]
        s, f = combine(p, raw, c1), further_scores(p, raw, cos[idx], self.bg[idx])
        if beta:
            s, f = (1 - beta) * s + beta * prob[idx], (1 - beta) * f + beta * prob[idx]
        return keep(p, s, f)


def _sentences(text: str) -> list[str]:
    parts = (p.strip(" -+–") for p in re.split(r"(?<=[.;:!?])\s+|\n+", text))
    return [p for p in parts if len(p.split()) >= 4]


def _embed(d: LabelData, texts: list[str]) -> np.ndarray:
    return np.asarray(d.cache.embed(d.emb, texts, "passage"))


def _best_sentence_cos(d: LabelData) -> np.ndarray:
    out = []
    for (text, _, _), cos in zip(d.inputs, d.cos):
        sents = _sentences(text)
        out.append((_embed(d, sents) @ d.protos.T).max(axis=0) if sents else cos)
    return np.array(out)


def _description_parts_cos(d: LabelData) -> np.ndarray:
    parts, owner = [], []
    for ti, t in enumerate(d.base.taxonomy.topics):
        for part in [t.name] + [x.strip() for x in re.split(r"[;.]", t.description) if len(x.split()) >= 3]:
            parts.append(part)
            owner.append(ti)
    sims, owner_a = d.vecs @ _embed(d, parts).T, np.array(owner)
    return np.stack([sims[:, owner_a == t].max(axis=1) for t in range(len(d.ids))], axis=1)


def _scope_cos(d: LabelData, contract: Path) -> np.ndarray | None:
    if not contract.exists():
        return None
    scope = {t["id"]: t.get("scope", "") for t in json.loads(contract.read_text(encoding="utf-8"))}
    texts = [f"{t.name}. {scope.get(t.id, t.description)}" for t in d.base.taxonomy.topics]
    return d.vecs @ _embed(d, texts).T


def _logistic(X: np.ndarray, y: np.ndarray, C: float = 1.0) -> np.ndarray:
    """Weights (the last the intercept) of an L2 logistic regression with balanced class weights: C times the
    weighted log-loss plus half the squared weights (the intercept not penalised), by L-BFGS."""
    from scipy.optimize import minimize

    Xb = np.hstack([X, np.ones((len(X), 1))])
    sw = np.where(y, len(y) / (2 * y.sum()), len(y) / (2 * (~y).sum()))
    yf = y.astype(float)

    def f(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = Xb @ w
        reg = np.append(w[:-1], 0.0)
        loss = C * float((sw * (np.logaddexp(0.0, z) - yf * z)).sum()) + 0.5 * float(reg @ reg)
        return loss, C * (Xb.T @ (sw * (1.0 / (1.0 + np.exp(-z)) - yf))) + reg

    return minimize(f, np.zeros(Xb.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 2000}).x


def _corpus_probabilities(d: LabelData, docs: Path) -> np.ndarray:
    from docsearch.structure import parse_file
    from docsearch.structure.passages import passage_text, tagged_text

    base = d.base
    vecs, raws = [], []
    for path in sorted(docs.glob("*.txt")):
        doc = parse_file(str(path))
        by_address = {c.address: c for c in doc.clauses}
        vecs.append(_embed(d, [passage_text(doc, c, by_address) for c in doc.clauses]))
        raws.append(np.array([base.lexicon(tagged_text(c))[0] for c in doc.clauses]))
    V, R = np.concatenate(vecs), np.concatenate(raws)
    prob = np.zeros((len(d.vecs), len(d.ids)))
    for t in range(len(d.ids)):
        pos = (R[:, t] >= 3.0) & (R[:, t] >= 0.5 * R.max(axis=1))
        use = pos | (R[:, t] == 0)
        if pos.sum() >= 5:
            w = _logistic(V[use], pos[use])
            prob[:, t] = 1.0 / (1.0 + np.exp(-(d.vecs @ w[:-1] + w[-1])))
    return prob


def _figures(tagging: _Probe, grid, read, folds_list, by_doc) -> dict:
    runs = [score(tagging.out_of_fold(grid, f, read)[0], tagging.gold) for f in folds_list]
    oof, choices = tagging.out_of_fold(grid, by_doc, read)
    return {"first_folds": runs[0], "repeated": _summary(runs), "by_document": score(oof, tagging.gold),
            "weights_by_document": [(w, b) for _, w, b in choices]}


def _oof_figures(probe: _TermWeights | _Stacked, grid, gold, folds_list, by_doc) -> dict:
    """The figures of a probe that fits something in each fold (its out_of_fold gives predictions and choices)."""
    runs, choices = [], []
    for f in folds_list:
        preds, chosen = probe.out_of_fold(f, grid)
        runs.append(score(preds, gold))
        choices.append(chosen)
    preds, chosen = probe.out_of_fold(by_doc, grid)
    return {"first_folds": runs[0], "repeated": _summary(runs), "by_document": score(preds, gold),
            "chosen_first_folds": choices[0], "chosen_by_document": chosen}


class _TermWeights:
    """The lexicon's evidence with a multiplier per (topic, term), learned on training labels."""

    SHRINK = (1.0, 3.0, 10.0)  # pseudo-counts of the prior rate

    def __init__(self, d: LabelData):
        from docsearch.structure.passages import tagged_text

        self.d = d
        T = len(d.ids)
        label_terms = [d.base.terms(text) for text, _, _ in d.inputs]
        docs: dict[int, list[dict]] = {}  # each labelled document's clauses' terms, read as Tagger.backgrounds
        for doc in d.documents:
            if doc is not None and id(doc) not in docs:
                docs[id(doc)] = [d.base.terms(tagged_text(c)) for c in doc.clauses]
        self.positions = label_positions(d.labels, d.documents)
        keys = sorted({k for t in label_terms for k in t} | {k for rows in docs.values() for t in rows for k in t})
        col = {k: i for i, k in enumerate(keys)}

        def matrix(rows: list[dict]) -> np.ndarray:
            m = np.zeros((len(rows), len(keys)))
            for r, terms in enumerate(rows):
                for k, v in terms.items():
                    m[r, col[k]] = v
            return m

        self.topic_of = np.zeros((len(keys), T))
        self.topic_of[np.arange(len(keys)), [k[0] for k in keys]] = 1.0
        self.L = matrix(label_terms)
        self.docs = {k: matrix(rows) for k, rows in docs.items()}
        if not np.allclose(self.L @ self.topic_of, d.own):
            raise AssertionError("Tagger.terms does not sum to Tagger.lexicon")
        if not np.allclose(self.backgrounds(np.ones(len(keys))), d.bg):
            raise AssertionError("the backgrounds read term by term differ from Tagger.backgrounds'")
        gold = np.array([[t in g for t in d.ids] for g in d.gold])
        self.found = self.L > 0
        self.right = self.found & gold[:, [k[0] for k in keys]]

    def multipliers(self, train: list[int], shrink: float, prior: str) -> tuple[np.ndarray, np.ndarray]:
        """(multipliers learned on all of `train`, a row per training label learned without it)."""
        n, k = self.found[train].sum(0).astype(float), self.right[train].sum(0).astype(float)
        if prior == "all":
            rate = np.full(len(n), k.sum() / max(n.sum(), 1.0))
        else:  # the rate of the term's topic, over its terms
            rate = ((k @ self.topic_of + 1.0) / (n @ self.topic_of + 2.0)) @ self.topic_of.T
        rate = np.maximum(rate, 1e-3)

        def m(k, n):
            return np.clip((k + shrink * rate) / (n + shrink) / rate, 0.0, 3.0)

        return m(k, n), m(k[None] - self.right[train], n[None] - self.found[train])

    def backgrounds(self, mult: np.ndarray) -> np.ndarray:
        """Each label's background (evaluate.tagging.label_backgrounds) with the terms weighed by `mult`."""
        rows = {k: (m * mult) @ self.topic_of for k, m in self.docs.items()}
        found = label_backgrounds(self.d.base, self.d.labels, self.d.documents, self.positions, rows)
        return np.array([b if b is not None else np.zeros(len(self.d.ids)) for b in found])

    def out_of_fold(self, folds, grid) -> tuple[list[list[str]], list]:
        d = self.d
        zeros = np.zeros_like(d.own)
        options = [None] + [(prior, a) for prior in ("topic", "all") for a in self.SHRINK]
        preds: dict[int, list[str]] = {}
        chosen = []
        for k in range(len(folds)):
            train, test = _training(folds, k), folds[k]
            best = None
            for option in options:
                own_train = own_test = d.own
                bg = d.bg
                if option is not None:
                    mult, left_out = self.multipliers(train, option[1], option[0])
                    bg = self.backgrounds(mult)
                    own_train = d.own.copy()
                    own_train[train] = (self.L[train] * left_out) @ self.topic_of
                    own_test = (self.L * mult) @ self.topic_of
                tagging = _Tagging(d.ids, d.gold, bg, zeros)
                read = (own_train, zeros, d.cos)
                p = max(grid, key=lambda p: tagging.objective(p, train, read))
                o = tagging.objective(p, train, read)
                if best is None or o > best[0] + 1e-9:
                    best = (o, option, p, tagging, own_test)
            _, option, p, tagging, own_test = best
            chosen.append(option)
            for i, pr in zip(test, tagging.lists(p, test, (own_test, zeros, d.cos))):
                preds[i] = pr
        return [preds[i] for i in range(len(d.gold))], chosen


def _pair_features(d: LabelData) -> np.ndarray:
    """Features of each (clause, topic) pair that name no topic: (labels, topics, features)."""
    own, cos, bg = d.own, d.cos, d.bg
    T = own.shape[1]

    def share(a: np.ndarray) -> np.ndarray:
        top = a.max(axis=1, keepdims=True)
        return np.where(top > 0, a / np.maximum(top, 1e-9), 0.0)

    def rank(a: np.ndarray) -> np.ndarray:
        return np.argsort(np.argsort(-a, axis=1, kind="stable"), axis=1)

    rest = np.maximum(own - 0.5 * bg, 0.0)
    z = (cos - cos.mean(axis=1, keepdims=True)) / cos.std(axis=1, keepdims=True)
    length = np.log([max(1, len(t.split())) for t, _, _ in d.inputs])
    columns = [np.log1p(own), share(own), np.log1p(rest), share(rest), np.log1p(bg), share(bg), z,
               cos - cos.max(axis=1, keepdims=True),
               np.where(own > 0, np.minimum(rank(own + 1e-6 * cos), 5), 6), np.minimum(rank(cos), 10),
               np.where(rest > 0, np.minimum(rank(rest + 1e-6 * cos), 5), 6),
               np.repeat(np.log1p((own > 0).sum(axis=1, keepdims=True)), T, axis=1),
               np.repeat(length[:, None], T, axis=1)]
    return np.stack(columns, axis=-1)


class _Stacked:
    """Further topics by a LightGBM model over _pair_features, the first topic the shipped tagger's."""

    THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)

    def __init__(self, d: LabelData):
        self.d = d
        self.X = _pair_features(d)
        self.G = np.array([[t in g for t in d.ids] for g in d.gold])
        self.tagging = _Tagging(d.ids, d.gold, d.bg, np.zeros_like(d.own))

    def _fit(self, idx: list[int]):
        import lightgbm as lgb

        k = self.X.shape[-1]
        data = lgb.Dataset(self.X[idx].reshape(-1, k), self.G[idx].reshape(-1).astype(float))
        params = {"objective": "binary", "learning_rate": 0.05, "num_leaves": 7, "min_data_in_leaf": 20,
                  "bagging_fraction": 0.8, "bagging_freq": 1, "feature_fraction": 0.8, "seed": 0,
                  "deterministic": True, "num_threads": 2, "verbose": -1}
        return lgb.train(params, data, num_boost_round=150)

    def _probabilities(self, model, idx: list[int]) -> np.ndarray:
        return model.predict(self.X[idx].reshape(-1, self.X.shape[-1])).reshape(len(idx), -1)

    @staticmethod
    def _keep(prob: np.ndarray, first: np.ndarray, threshold: float) -> np.ndarray:
        mask = np.zeros(prob.shape, dtype=bool)
        rows = np.arange(len(prob))
        others = prob.copy()
        others[rows, first] = -np.inf
        order = np.argsort(-others, axis=1, kind="stable")[:, :2]
        np.put_along_axis(mask, order, np.take_along_axis(others, order, axis=1) >= threshold, axis=1)
        mask[rows, first] = True
        return mask

    def out_of_fold(self, folds, grid) -> tuple[list[list[str]], list]:
        d, tagging = self.d, self.tagging
        read = (d.own, d.ctx, d.cos)
        preds: dict[int, list[str]] = {}
        chosen = []
        for k in range(len(folds)):
            train, test = _training(folds, k), folds[k]
            p = max(grid, key=lambda p: tagging.objective(p, train, read))
            inner = [train[j::4] for j in range(4)]
            prob_train = np.zeros((len(d.gold), len(d.ids)))
            for j, part in enumerate(inner):
                rest = [i for m, other in enumerate(inner) if m != j for i in other]
                prob_train[part] = self._probabilities(self._fit(rest), part)
            first_train = tagging.decide(p, train, read)[1]
            threshold = max(self.THRESHOLDS, key=lambda th: _total(tagging.figures(
                self._keep(prob_train[train], first_train, th), first_train, train)))
            chosen.append(threshold)
            first = tagging.decide(p, test, read)[1]
            mask = self._keep(self._probabilities(self._fit(train), test), first, threshold)
            for i, m, f in zip(test, mask, first):
                preds[i] = [d.ids[f]] + [d.ids[j] for j in np.flatnonzero(m) if j != f]
        return [preds[i] for i in range(len(d.gold))], chosen


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--labels", default=str(SHARED / "eval" / "topics" / "labels.jsonl"))
    ap.add_argument("--docs", default=str(SHARED / "corpus" / "raw"))
    ap.add_argument("--only", nargs="*", choices=PROBES, default=list(PROBES))
    args = ap.parse_args()
    d = prepare(args.labels, args.docs)
    tagging = _Probe(d.ids, d.gold, d.bg, np.zeros_like(d.own))
    grid = default_grid()
    n = len(d.labels)
    folds_list = [_shuffled_folds(n, seed) for seed in range(REPEATS)]
    by_doc = [[i for i in range(n) if d.files[i] == f] for f in sorted(set(d.files))]
    own, ctx, cos = d.own, d.ctx, d.cos
    none = np.zeros_like(cos)
    shipped = [(p, 0.0, 0.0) for p in grid]
    print("shipped          ", json.dumps(_figures(tagging, shipped, (own, ctx, cos, cos, none), folds_list, by_doc)))
    for name in args.only:
        if name == "sentences":
            read, g = (own, ctx, cos, _best_sentence_cos(d), none), [(p, w, 0.0) for p in grid for w in (0, .25, .5)]
        elif name == "description_parts":
            parts = _description_parts_cos(d)
            read, g = (own, ctx, parts, parts, none), shipped
        elif name == "query_prototypes":
            queries = d.vecs @ np.asarray(d.cache.embed(d.emb, [t.prototype for t in d.base.taxonomy.topics],
                                                        "query")).T
            read, g = (own, ctx, queries, queries, none), shipped
        elif name == "scope_notes":
            scope = _scope_cos(d, SHARED / "taxonomy.json")
            if scope is None:
                print("scope_notes       skipped: no shared/taxonomy.json")
                continue
            read, g = (own, ctx, scope, scope, none), shipped
        elif name == "corpus_classifier":
            read = (own, ctx, cos, cos, _corpus_probabilities(d, Path(args.docs)))
            g = [(p, 0.0, b) for p in grid for b in (0, .2, .4)]
        elif name == "term_weights":
            plain = [p for p in grid if p.context_weight == 0]
            print("shipped, breadcrumb weight 0", json.dumps(_figures(
                tagging, [(p, 0.0, 0.0) for p in plain], (own, ctx, cos, cos, none), folds_list, by_doc)))
            print(f"{name:<18}", json.dumps(_oof_figures(_TermWeights(d), plain, d.gold, folds_list, by_doc)),
                  flush=True)
            continue
        else:
            print(f"{name:<18}", json.dumps(_oof_figures(_Stacked(d), grid, d.gold, folds_list, by_doc)), flush=True)
            continue
        print(f"{name:<18}", json.dumps(_figures(tagging, g, read, folds_list, by_doc)), flush=True)

if __name__ == "__main__":
    main()
