"""Probes of other evidence for the tagger, cross-validated in the folds bench/tune_tagging.py uses, none shipped.

Each probe adds one reading of a clause to the shipped scores, with its weight chosen inside every fold together
with the tagger's own parameters (tune_tagging.default_grid), so a weight of 0 (the shipped tagger) is always one
of the choices:

- `sentences`: the first topic is chosen on a cosine that mixes the clause's with its best sentence's (each
  sentence of the clause embedded alone): a long clause whose subject is in one sentence;
- `description_parts`: each topic's similarity is the best over its name and the parts of its description (split
  at ";" and "."), embedded one by one, instead of the whole prototype;
- `scope_notes`: the prototype is the topic's name and the contract's scope note (shared/taxonomy.json);
- `corpus_classifier`: a logistic regression per topic over the clause vectors of every document in the corpus
  (corpus/raw), trained on the lexicon's own strong evidence as labels (a topic with raw evidence >= 3 and at least
  half the clause's best), no dev label seen; its probability is mixed into the scores.

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
    default_grid,
    prepare,
)

from docsearch.evaluate.tagging import score  # noqa: E402
from docsearch.tagging.tagger import combine, further_scores, keep  # noqa: E402

PROBES = ("sentences", "description_parts", "scope_notes", "corpus_classifier")


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
        elif name == "scope_notes":
            scope = _scope_cos(d, SHARED / "taxonomy.json")
            if scope is None:
                print("scope_notes       skipped: no shared/taxonomy.json")
                continue
            read, g = (own, ctx, scope, scope, none), shipped
        else:
            read = (own, ctx, cos, cos, _corpus_probabilities(d, Path(args.docs)))
            g = [(p, 0.0, b) for p in grid for b in (0, .2, .4)]
        print(f"{name:<18}", json.dumps(_figures(tagging, g, read, folds_list, by_doc)), flush=True)


if __name__ == "__main__":
    main()
