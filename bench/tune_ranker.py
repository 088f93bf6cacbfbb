"""Train the learned ranker (docsearch/search/ranker.py) and measure it against the tuned fusion, both by query-level
k-fold cross-validation on two dev sets at once, in one run from the same candidates: ALQAC 2022 (legal questions)
and the staff-style set (bench/data/staff_queries.jsonl over an index of ../shared/corpus/raw).

Each ALQAC question is searched twice — as typed, and typed without diacritics (then restored as the product
restores it); each staff query as the product searches it. Every candidate gets the product's own features
(`ranker.candidate_features`). Then, per outer fold (of each set):
- fusion: the weights best on the other ALQAC folds (the grid of bench/tune_fusion.py, and the accent-folded field's
  weight for queries without marks) rank the fold's ALQAC questions; the staff queries get the product's defaults;
- learned: the LightGBM settings best by an inner k-fold CV on the other ALQAC folds are trained on those folds
  (both spellings; top 50 candidates per question by summed z-score, no label read to pick them) and rank the
  fold's ALQAC questions and the fold's staff queries. The staff set is never trained on: it checks the model on
  queries unlike its training ones.
The staff set is also searched with every query typed without marks ("stripped"): the check of how the ranker does
on staff-style queries without diacritics, of every kind, not only the ten short topics the set writes that way.

Search adds the share `strength` of the trees' correction to the fusion score (search/ranker.py). It is chosen per
outer fold by a nested CV on both dev sets typed without marks, weighted equally: ALQAC MRR@10 out of an inner
k-fold on the fold's training questions (models trained on the inner folds), and the stripped staff set's nDCG@10
on its training folds (the staff set is never trained on, so the outer model scores it). The full correction
(strength 1) is what the trees learned on legal questions; on staff-style queries without marks it loses to fusion
in every kind but aliases, and a smaller share keeps most of ALQAC's gain.

The out-of-fold figures of fusion, the learned ranker at full strength, the product's policy "auto" (fusion for
queries typed with marks; for those without, the learned ranker at the strength chosen) and "auto" at full
strength (the policy before the strength was chosen) are the ones to report. Training the trees on the staff set
as well (each staff query weighted 4 or 10) did not remove the loss and made the staff set no longer a clean check,
so they are trained on ALQAC alone. A length guard (fusion also for queries without marks shorter than the training
questions) was measured by this script as of commit 089e3aa and not shipped: it cost ALQAC more than it won on the
staff set.
`--write` then runs the same choice once more on all of both sets, as each outer fold ran it on its training part
(the settings by a k-fold CV over every ALQAC question, the trees trained on every question, then the strength for
those settings by the same nested objective over every question and the whole stripped staff set) and writes
docsearch/search/ranker.txt (a JSON header line says how it was made, the objective of each strength and the
cross-validated figures of the procedure). The out-of-fold figures measure that procedure; the outer folds' own
choices are printed beside them but never combined into the shipped model, since a strength is a share of a
correction whose size depends on the settings it was chosen with.

Usage: python bench/ingest.py (once, for the staff index); python bench/tune_ranker.py [--folds 5] [--write]"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

import numpy as np
from common import ROOT, SHARED
from tune_fusion import FOLDED, GRID, questions

from docsearch.config import get_settings
from docsearch.evaluate.crossval import kfold
from docsearch.evaluate.metrics import address_hit
from docsearch.evaluate.search import load_queries, score_query
from docsearch.ingest.normalize import fold
from docsearch.search.hybrid import features, fuse, weights_for
from docsearch.search.query import understand
from docsearch.search.ranker import ALL_METHODS, FEATURES, MODEL_PATH, candidate_features
from docsearch.text.analysis import analyze
from docsearch.text.vocabulary import MARKS_RE

ALQAC = SHARED / "eval" / "legal-retrieval" / "alqac2022"
STRENGTHS = (0.0, 0.25, 0.5, 0.75, 1.0)  # shares of the trees' correction the nested CV chooses among
TRAIN_TOP = 50  # candidates per query the model is trained on (by summed z-score; no label is read to pick them)
STAFF = ROOT / "bench" / "data" / "staff_queries.jsonl"
STAFF_INDEX = "/tmp/docsearch-bench/raw-index"  # made by `python bench/ingest.py`
# small trees (few features, about 1,100 training queries), boosted from the fusion score × base_scale
CONFIGS = [{"num_leaves": nl, "learning_rate": lr, "n_estimators": ne, "min_child_samples": mc, "base_scale": b}
           for nl, lr, ne, mc in ((7, 0.05, 200, 20), (7, 0.03, 400, 40)) for b in (1.0, 3.0)]



class Searched:
    """One query's candidates: their ranker features, z-scores per method, the key each is judged by (document id
    for ALQAC, "doc address" for the staff set) and its gain (0 = not relevant)."""

    def __init__(self, X: np.ndarray, feats: dict[str, np.ndarray], keys: list, gains: np.ndarray) -> None:
        self.X, self.feats, self.keys, self.gains = X, feats, keys, gains


def _candidates(ix, text: str, vector, typed_without_marks: bool):
    cand, f = features(ix, text, get_settings().candidates, ALL_METHODS, None, vector)
    X = candidate_features(cand, f, analyze(text), ix.store.clause_tokens(cand.tolist()), typed_without_marks)
    return cand, f, X, ix.store.clause_rows(cand.tolist())


def collect_alqac(ix, texts: list[str], rel: list[set[str]], typed_without_marks: bool) -> list[Searched]:
    out = []
    for text, v, r in zip(texts, ix.cache.embed(ix.embedder, texts, "query"), rel):
        cand, f, X, rows = _candidates(ix, text, v, typed_without_marks)
        docs = [rows[int(c)]["doc_id"] for c in cand]
        out.append(Searched(X, f, docs, np.array([d in r for d in docs], dtype=float)))
    return out


def collect_staff(index_dir: str | Path, queries_path: str | Path,
                  without_marks: bool = False) -> tuple[list[Searched], list[dict]]:
    """The staff-style queries searched as the product searches them (restored, abbreviations expanded); each
    candidate's gain is the grade of the judged clause it lies at or below. `without_marks`: every query typed
    without diacritics first."""
    from docsearch.index import Index

    ix = Index(index_dir)
    st = ix.snapshot()
    rows_q = load_queries(queries_path)
    out = []
    for r in rows_q:
        typed = fold(r["query"]) if without_marks else r["query"]
        q = understand(typed, ix.aliases(), st.restore)
        cand, f, X, rows = _candidates(ix, q.text, None, not MARKS_RE.search(typed))
        keys = [(rows[int(c)]["doc_id"], rows[int(c)]["address"]) for c in cand]
        gains = np.array([max([g for (jd, ja), g in r["judged"].items() if jd == d and address_hit(a, ja)] or [0])
                          for d, a in keys], dtype=float)
        out.append(Searched(X, f, keys, gains))
    ix.close()
    return out, rows_q


def _alqac_metrics(scores: np.ndarray, s: Searched, rel: set[str]) -> tuple[float, float]:
    """MRR@10 and binary nDCG@10 by document (each relevant document counted once)."""
    rr, dcg, seen = 0.0, 0.0, set()
    for r, i in enumerate(np.argsort(-scores, kind="stable")[:10], start=1):
        d = s.keys[i]
        if d in rel and d not in seen:
            seen.add(d)
            rr = rr or 1.0 / r
            dcg += 1.0 / np.log2(r + 1)
    ideal = sum(1.0 / np.log2(r + 1) for r in range(1, min(len(rel), 10) + 1))
    return rr, (dcg / ideal if ideal else 0.0)


def _staff_metrics(scores: np.ndarray, s: Searched, judged: dict) -> tuple[float, float]:
    """MRR@10 and graded nDCG@10 as `docsearch eval search` scores them."""
    r = score_query([s.keys[i] for i in np.argsort(-scores, kind="stable")[:10]], judged)
    return r["MRR@10"], r["nDCG@10"]


def _fused(s: Searched, w: dict) -> np.ndarray:
    return sum((w[m] * s.feats[m] for m in w if w[m] and m in s.feats), np.zeros(len(s.keys)))


class Model:
    """LightGBM trees boosted from the product's fusion score (its default weights × base_scale): the trees learn
    corrections to the fusion, so a query unlike the training questions stays close to what fusion gives."""

    def __init__(self, booster, base_scale: float) -> None:
        self.booster, self.base_scale = booster, base_scale

    def predict(self, s: Searched, strength: float = 1.0) -> np.ndarray:
        """The fusion score × base_scale plus `strength` × the trees' correction (as search/ranker.py scores)."""
        return base_score(s, self.base_scale) + strength * self.booster.predict(s.X)


def base_score(s: Searched, scale: float) -> np.ndarray:
    has_marks = not bool(s.X[0, FEATURES.index("typed_without_marks")]) if len(s.X) else True
    return scale * fuse(s.feats, weights_for(has_marks, get_settings()), len(s.X))


def _train(items: list[Searched], config: dict) -> Model:
    import lightgbm as lgb

    config = dict(config)
    scale = config.pop("base_scale")
    Xs, ys, groups, init = [], [], [], []
    for s in items:
        top = np.argsort(-s.X[:, :6].sum(axis=1), kind="stable")[:TRAIN_TOP]
        y = s.gains[top]
        if 0 < (y > 0).sum() < len(y):
            Xs.append(s.X[top])
            ys.append(y)
            groups.append(len(top))
            init.append(base_score(s, scale)[top])
    model = lgb.LGBMRanker(objective="lambdarank", verbose=-1, random_state=0, deterministic=True,
                           force_row_wise=True, n_jobs=2, **config)
    model.fit(np.concatenate(Xs), np.concatenate(ys), group=groups, init_score=np.concatenate(init))
    return Model(model.booster_, scale)


class Data:
    """Both dev sets: ALQAC (as typed and without marks, one fold id per question) and the staff-style set."""

    def __init__(self, typed, unmarked, rel, staff, staff_rows, folds: int, seed: int, stripped=None) -> None:
        self.typed, self.unmarked, self.rel = typed, unmarked, rel
        self.staff, self.judged = staff, [r["judged"] for r in staff_rows]
        self.stripped = stripped or []  # the staff set, every query typed without marks
        self.kinds = [r.get("kind", "other") for r in staff_rows]
        self.fold_a = kfold(len(typed), folds, seed)
        self.fold_s = kfold(len(staff), folds, seed + 7)

    def training(self, a_idx) -> list[Searched]:
        """ALQAC only: the staff set is never trained on, so it stays a check of queries unlike the training ones."""
        return [self.typed[i] for i in a_idx] + [self.unmarked[i] for i in a_idx]

    def objective(self, model: Model, a_idx) -> float:
        """ALQAC MRR@10 over both spellings."""
        return float(np.mean([_alqac_metrics(model.predict(x[i]), x[i], self.rel[i])[0]
                              for x in (self.typed, self.unmarked) for i in a_idx]))


def _choose_config(data: Data, a_tr: np.ndarray, folds: int, seed: int) -> int:
    """The LightGBM settings best by an inner k-fold CV over the outer fold's training questions."""
    inner = kfold(len(a_tr), folds - 1, seed + 1)
    scores = []
    for config in CONFIGS:
        scores.append(np.mean([data.objective(_train(data.training(a_tr[inner != f]), config), a_tr[inner == f])
                               for f in range(folds - 1)]))
    return int(np.argmax(scores))


def _choose_strength(data: Data, a_tr: np.ndarray, s_tr: np.ndarray, config: dict, model: Model, folds: int,
                     seed: int) -> tuple[int, np.ndarray]:
    """The index in STRENGTHS best for queries typed without marks, on the outer fold's training part of both dev
    sets weighted equally: ALQAC MRR@10 out of an inner k-fold (trees trained on the other inner folds) and the
    stripped staff set's nDCG@10 (scored by the outer fold's model, which never saw the staff set). Ties go to the
    smaller strength, nearer fusion. Also returns each strength's objective."""
    inner = kfold(len(a_tr), folds - 1, seed + 1)
    alqac = np.zeros((len(STRENGTHS), len(a_tr)))
    for f in range(folds - 1):
        m = _train(data.training(a_tr[inner != f]), config)
        for pos in np.flatnonzero(inner == f):
            i = a_tr[pos]
            for k, g in enumerate(STRENGTHS):
                alqac[k, pos] = _alqac_metrics(m.predict(data.unmarked[i], g), data.unmarked[i], data.rel[i])[0]
    objective = alqac.mean(axis=1)
    if data.stripped and len(s_tr):
        staff = np.array([[_staff_metrics(model.predict(data.stripped[i], g), data.stripped[i], data.judged[i])[1]
                           for i in s_tr] for g in STRENGTHS])
        objective = 0.5 * objective + 0.5 * staff.mean(axis=1)
    return int(np.argmax(objective)), objective


def run(passages=ALQAC / "corpus.jsonl", queries=ALQAC / "queries.jsonl", staff_index: str | Path | None = None,
        staff_queries=STAFF, folds: int = 5, seed: int = 0, write: bool = False) -> dict:
    ix, rel, texts, restored = questions(passages, queries)
    t0 = time.time()
    typed = collect_alqac(ix, texts, rel, False)
    unmarked = collect_alqac(ix, restored, rel, True)
    ix.close()
    staff_index = Path(staff_index or STAFF_INDEX)
    # the staff check needs an index of ../shared/corpus/raw; without one only ALQAC is measured
    has_staff = (staff_index / "CURRENT").exists()
    staff, staff_rows = collect_staff(staff_index, staff_queries) if has_staff else ([], [])
    stripped = collect_staff(staff_index, staff_queries, without_marks=True)[0] if has_staff else []
    t1 = time.time()
    data = Data(typed, unmarked, rel, staff, staff_rows, folds, seed, stripped)
    n, ns = len(texts), len(staff)
    sets = ("typed", "unmarked", "staff", "stripped")
    size = {"typed": n, "unmarked": n, "staff": ns, "stripped": ns}
    res = {m: {k: np.zeros((size[k], 2)) for k in sets} for m in ("fusion", "learned", "learned_chosen")}
    chosen_configs, chosen_weights, chosen_strengths, objectives = [], [], [], []
    default_w = {True: weights_for(True, get_settings()), False: weights_for(False, get_settings())}
    searched = {"staff": staff, "stripped": stripped}
    marked = {"staff": [bool(len(x.X)) and not x.X[0, FEATURES.index("typed_without_marks")] for x in staff],
              "stripped": [False] * ns}
    for f in range(folds):
        a_tr, a_te = np.flatnonzero(data.fold_a != f), np.flatnonzero(data.fold_a == f)
        s_tr, s_te = np.flatnonzero(data.fold_s != f), np.flatnonzero(data.fold_s == f)
        # fusion, as bench/tune_fusion.py chooses it (on ALQAC)
        g = max(range(len(GRID)), key=lambda j: sum(_alqac_metrics(_fused(typed[i], GRID[j]), typed[i], rel[i])[0]
                                                    for i in a_tr))
        wf = max(FOLDED, key=lambda x: sum(_alqac_metrics(_fused(unmarked[i], {**GRID[g], "folded": x}), unmarked[i],
                                                          rel[i])[0] for i in a_tr))
        chosen_weights.append({**GRID[g], "folded_unaccented": wf})
        for i in a_te:
            res["fusion"]["typed"][i] = _alqac_metrics(_fused(typed[i], GRID[g]), typed[i], rel[i])
            res["fusion"]["unmarked"][i] = _alqac_metrics(_fused(unmarked[i], {**GRID[g], "folded": wf}),
                                                          unmarked[i], rel[i])
        for k in ("staff", "stripped"):  # the staff set under the product's fusion defaults (nothing chosen on it)
            for i in s_te:
                x = searched[k][i]
                res["fusion"][k][i] = _staff_metrics(_fused(x, default_w[marked[k][i]]), x, data.judged[i])
        # learned: the trees' settings by an inner CV, then the share of their correction (strength)
        c = _choose_config(data, a_tr, folds, seed)
        chosen_configs.append(c)
        model = _train(data.training(a_tr), CONFIGS[c])
        best, objective = _choose_strength(data, a_tr, s_tr, CONFIGS[c], model, folds, seed)
        chosen_strengths.append(STRENGTHS[best])
        objectives.append([round(float(o), 4) for o in objective])
        for m, share in (("learned", 1.0), ("learned_chosen", STRENGTHS[best])):
            for i in a_te:
                res[m]["typed"][i] = _alqac_metrics(model.predict(typed[i], share), typed[i], rel[i])
                res[m]["unmarked"][i] = _alqac_metrics(model.predict(unmarked[i], share), unmarked[i], rel[i])
            for k in ("staff", "stripped"):
                for i in s_te:
                    x = searched[k][i]
                    res[m][k][i] = _staff_metrics(model.predict(x, share), x, data.judged[i])
    # the product's default (ranker = "auto"): fusion for queries typed with marks; for those without, the learned
    # ranker at the strength chosen ("auto"), or at full strength ("auto_full": the default before the strength)
    for name, m in (("auto", "learned_chosen"), ("auto_full", "learned")):
        res[name] = {"typed": res["fusion"]["typed"], "unmarked": res[m]["unmarked"],
                     "staff": np.where(np.array(marked["staff"], dtype=bool)[:, None], res["fusion"]["staff"],
                                       res[m]["staff"]) if ns else res[m]["staff"],
                     "stripped": res[m]["stripped"]}
    del res["learned_chosen"]
    out: dict = {"folds": folds, "seed": seed, "alqac_queries": n, "staff_queries": ns}
    for m, d in res.items():
        for k, v in d.items():
            if not len(v):
                continue
            out[f"{m}_{k}"] = {"mrr": round(float(v[:, 0].mean()), 4),
                               ("ndcg" if k in ("typed", "unmarked") else "graded_ndcg"): round(float(v[:, 1].mean()), 4)}
        for k in ("staff", "stripped"):
            if ns:
                out[f"{m}_{k}_kinds"] = {kind: round(float(np.mean([d[k][i, 1] for i in range(ns)
                                                                     if data.kinds[i] == kind])), 4)
                                         for kind in sorted(set(data.kinds))}
    out.update(configs_chosen=chosen_configs, fusion_weights_chosen=chosen_weights,
               strengths_chosen=chosen_strengths, strength_objectives=objectives, strengths=list(STRENGTHS),
               feature_seconds=round(t1 - t0, 1))
    if write:
        # the procedure each outer fold ran, now on everything: k folds over all the questions (an outer fold's
        # inner CV had k - 1 over its training part)
        every_a, every_s = np.arange(n), np.arange(ns)
        c = _choose_config(data, every_a, folds + 1, seed)
        model = _train(data.training(every_a), CONFIGS[c])
        best, objective = _choose_strength(data, every_a, every_s, CONFIGS[c], model, folds + 1, seed)
        out.update(written_config=c, written_strength=STRENGTHS[best],
                   written_objective=[round(float(o), 4) for o in objective])
        info = {"features": list(FEATURES), "config": CONFIGS[c], "base_scale": model.base_scale,
                "strength": STRENGTHS[best],
                "strength_objective": dict(zip(map(str, STRENGTHS), out["written_objective"])), "folds": folds,
                "trained_on": f"ALQAC 2022 ({n} questions, as typed and without diacritics)",
                "trained": date.today().isoformat(),
                "cv": {k: out[k] for k in out if k.startswith(("learned_", "fusion_", "auto_"))}}
        MODEL_PATH.write_text("#" + json.dumps(info, ensure_ascii=False) + "\n" + model.booster.model_to_string(),
                              encoding="utf-8")
        out["written"] = str(MODEL_PATH)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--passages", default=str(ALQAC / "corpus.jsonl"))
    ap.add_argument("--queries", default=str(ALQAC / "queries.jsonl"))
    ap.add_argument("--staff-index", default=STAFF_INDEX, help="an index of ../shared/corpus/raw (bench/ingest.py)")
    ap.add_argument("--staff-queries", default=str(STAFF))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--write", action="store_true", help="train on every query and write the shipped model file")
    args = ap.parse_args()
    for k, v in run(args.passages, args.queries, args.staff_index, args.staff_queries, args.folds, args.seed, args.write).items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    main()
