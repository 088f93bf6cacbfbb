"""Tune the tagger's few parameters on the dev labels, with 5-fold cross-validation of the choice.

The grid covers the weight of the lexicon against the embedding, the breadcrumb's weight, the lexicon's and the
embedding's scales, the thresholds for further topics and the share of the document's background taken off before
they are chosen (TaggerParams.background). Labels are decided many at once (tagger.combine, further_scores, keep)
and the first folds' choices are checked against the product's own Tagger.tag_text, label by label. The 5-fold CV
is repeated over 8 shuffles of the labels into folds (mean, lowest, highest).

The same choice is also made with each labelled document held out in turn (leave-one-document-out), which says
how the tagger does on a document whose labels it never saw; and the held-out labels are also tagged as a provincial
programme would write them, with abbreviations ("Sở KH&CN", "CĐS"; text/analysis.py::abbreviate).

`--alternatives` also cross-validates, inside the same folds: a threshold offset per topic (chosen on each fold's
training labels), the document's title as lexicon context (its weight chosen with the rest), embedding similarity to
each topic's lexicon terms instead of its description, and — as a ceiling, not a tagger — the shipped scores with
each clause given exactly as many topics as its gold has. bench/RESULTS.md reports them beside the shipped tagger.

Usage: python bench/tune_tagging.py [--labels L] [--alternatives]"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from docsearch.evaluate.retrieval import _read_jsonl  # noqa: E402
from docsearch.evaluate.tagging import label_backgrounds, label_documents, label_inputs, per_topic, score  # noqa: E402
from docsearch.index.cache import EmbeddingCache  # noqa: E402
from docsearch.index.embedders import get_embedder  # noqa: E402
from docsearch.tagging import Tagger, TaggerParams, load_taxonomy  # noqa: E402
from docsearch.tagging.tagger import combine, further_scores, keep  # noqa: E402
from docsearch.text.analysis import abbreviate  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def cross_validated(labels_path, docs, alternatives: bool = False) -> dict:
    return _run(labels_path, docs, report=False, alternatives=alternatives)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--labels", default=str(SHARED / "eval" / "topics" / "labels.jsonl"))
    ap.add_argument("--docs", default=str(SHARED / "corpus" / "raw"))
    ap.add_argument("--alternatives", action="store_true",
                    help="also cross-validate per-topic thresholds and the document's title as context")
    args = ap.parse_args()
    _run(args.labels, args.docs, report=True, alternatives=args.alternatives)


def default_grid() -> list[TaggerParams]:
    """The parameter sets every fold chooses among."""
    return [TaggerParams(alpha=a, context_weight=cw, lex_scale=ls, emb_shift=es, threshold=th, ratio=r, background=b)
            for a, cw, ls, es, th, r, b in itertools.product(
                [0.5, 0.6, 0.7, 0.8, 1.0], [0.0, 0.1], [3.0, 4.0, 6.0], [0.5, 1.0, 1.5], [0.3, 0.35, 0.4, 0.45],
                [0.5, 0.6, 0.7], [0.0, 0.25, 0.5, 1.0])]


@dataclass
class LabelData:
    """The dev labels read as the product's tagger reads their clauses (prepare)."""

    labels: list[dict]
    inputs: list[tuple[str, str, str]]  # (text, breadcrumb, embedded passage)
    emb: Any
    cache: EmbeddingCache
    vecs: np.ndarray  # the passages' vectors
    gold: list[list[str]]
    base: Tagger  # the tagger with its default parameters
    protos: np.ndarray  # the topics' prototype vectors
    ids: list[str]
    own: np.ndarray  # raw lexicon evidence of each text, (labels, topics)
    ctx: np.ndarray  # of each breadcrumb
    cos: np.ndarray  # cosine of each passage to each prototype
    backgrounds: list[np.ndarray | None]  # Tagger.backgrounds' row of each label's clause
    bg: np.ndarray  # the same, zeros where a label has none
    files: list[str]
    documents: list  # each label's parsed document (None where not found)


def prepare(labels_path, docs, report: bool = False) -> LabelData:
    """The labels read as the product's tagger reads their clauses: inputs, vectors, lexicon scores, cosines to the
    topics' prototypes, backgrounds; bench/tagging_probes.py reads them too."""
    labels = _read_jsonl(labels_path)
    documents = label_documents(labels, Path(docs))
    inputs = label_inputs(labels, None, documents)
    if report:
        print(f"{sum(bool(c) for _, c, _ in inputs)} of {len(inputs)} labels found their clause's context")
    emb = get_embedder()
    cache = EmbeddingCache(Path(tempfile.gettempdir()) / "docsearch-eval" / "tagging-cache.sqlite")
    vecs = np.asarray(cache.embed(emb, [p for _, _, p in inputs], "passage"))
    gold = [lab["topics"] for lab in labels]
    base = Tagger(load_taxonomy(), embedder=emb, cache=cache)
    protos = np.asarray(base.prototypes)
    ids = [t.id for t in base.taxonomy.topics]
    unknown = sorted({t for g in gold for t in g} - set(ids))
    if unknown:
        raise SystemExit(f"labels name topics the taxonomy lacks: {unknown}")
    zeros = np.zeros(len(ids))
    own = np.array([base.lexicon(t)[0] for t, _, _ in inputs])
    ctx = np.array([base.lexicon(c)[0] if c else zeros for _, c, _ in inputs])
    # each label's background (the mean lexicon evidence of its document's other clauses, Tagger.backgrounds; the
    # same for a label written with abbreviations), off which further topics are chosen
    backgrounds = label_backgrounds(base, labels, documents)
    bg = np.array([b if b is not None else zeros for b in backgrounds])
    return LabelData(labels=labels, inputs=inputs, emb=emb, cache=cache, vecs=vecs, gold=gold, base=base,
                     protos=protos, ids=ids, own=own, ctx=ctx, cos=vecs @ protos.T, backgrounds=backgrounds, bg=bg,
                     files=[lab.get("file") or "" for lab in labels], documents=documents)


def _run(labels_path, docs, report: bool, alternatives: bool = False) -> dict:
    d = prepare(labels_path, docs, report)
    labels, inputs, emb, cache, vecs, gold, base = d.labels, d.inputs, d.emb, d.cache, d.vecs, d.gold, d.base
    protos, ids, own, ctx, cos, backgrounds, bg = d.protos, d.ids, d.own, d.ctx, d.cos, d.backgrounds, d.bg
    zeros = np.zeros(len(ids))
    title = np.array(_titles(labels, Path(docs), base))

    # the same labels as a provincial programme would write them, abbreviations for the phrases that have one
    # (text/analysis.py::abbreviate): texts, breadcrumbs and the embedded passages
    short = [(abbreviate(t), abbreviate(c), abbreviate(p)) for t, c, p in inputs]
    short_vecs = np.asarray(cache.embed(emb, [p for _, _, p in short], "passage"))
    written = (own, ctx, cos)
    abbreviated = (np.array([base.lexicon(t)[0] for t, _, _ in short]),
                   np.array([base.lexicon(c)[0] if c else zeros for _, c, _ in short]), short_vecs @ protos.T)
    tagging = _Tagging(ids, gold, bg, title)
    grid = default_grid()

    all_idx = np.arange(len(labels))
    if report:
        best = max(grid, key=lambda p: tagging.objective(p, all_idx, written))
        print("defaults      ", score(tagging.lists(TaggerParams(), all_idx, written), gold))
        print("best in-sample", score(tagging.lists(best, all_idx, written), gold), best)
        for name, p in (("lexicon only ", TaggerParams(**{**best.__dict__, "alpha": 1.0})),
                        ("embedding only", TaggerParams(**{**best.__dict__, "alpha": 0.0}))):
            print(name, score(tagging.lists(p, all_idx, written), gold))
    # 5-fold CV: choose parameters on 4 folds, score on the 5th
    folds = _shuffled_folds(len(labels), 0)
    oof, choices = tagging.out_of_fold(grid, folds, written)
    # the tuning must tag as the product does: each held-out label through Tagger.tag_text with its fold's choice
    _check_against_tagger(base, choices, folds, inputs, vecs, backgrounds, oof)
    cv = score(oof, gold)
    cv["per_topic"] = per_topic(oof, gold)
    # the same choice with each labelled document held out in turn: labels of a document the parameters never saw
    files = d.files
    by_doc = [[i for i in all_idx if files[i] == f] for f in sorted(set(files))]
    cv["by_document"] = score(tagging.out_of_fold(grid, by_doc, written)[0], gold)
    cv["abbreviated"] = score(tagging.out_of_fold(grid, folds, written, apply=abbreviated)[0], gold) | {
        "labels_changed": sum(a != b for a, b in zip(short, inputs))}
    cv.update(_baselines_without_text(files, gold, folds, _total, score))
    # the same 5-fold CV over other shuffles of the labels: how much of a difference is the folds' luck
    shuffles = [_shuffled_folds(len(labels), seed) for seed in range(REPEATS)]  # the first are `folds`
    runs = [score(oof, gold)] + [score(tagging.out_of_fold(grid, f, written)[0], gold) for f in shuffles[1:]]
    cv["repeated"] = _summary(runs)
    if alternatives:
        # per-topic thresholds: on each fold's training labels, the fold's shared choice plus an offset per topic
        # (coordinate ascent over a few values), over the same shuffles and with each document held out
        with_offsets = [score(tagging.out_of_fold(grid, f, written, offsets=True)[0], gold) for f in shuffles]
        cv["per_topic_thresholds"] = with_offsets[0]
        cv["repeated_per_topic_thresholds"] = _summary(with_offsets) | {
            "ahead": sum(_total(a) > _total(b) for a, b in zip(with_offsets, runs)),
            "by_document": score(tagging.out_of_fold(grid, by_doc, written, offsets=True)[0], gold)}
        # the document's title as context: its weight chosen with the rest
        title_grid = [(p, w) for p in grid for w in (0.0, 0.1, 0.2)]
        titled, title_choices = tagging.out_of_fold(title_grid, folds, written)
        cv["title_context"] = score(titled, gold) | {"weights_chosen": [w for _, w in title_choices]}
        cv.update(_ranking_alternatives(base, vecs, tagging, own, ctx, grid, folds, score))
    if report:
        print("5-fold CV     ", {k: v for k, v in cv.items() if k not in (
            "per_topic", "by_document", "abbreviated", "repeated", "repeated_per_topic_thresholds", "prior",
            "document_prior", "per_topic_thresholds", "title_context", "known_count", "term_prototypes")})
        print("choices       ", choices)
        print("by document   ", cv["by_document"])
        print("abbreviated   ", cv["abbreviated"])
        print("repeated      ", cv["repeated"])
        print("no text: the training folds' most frequent topics", cv["prior"], "; of the clause's own document",
              cv["document_prior"])
        for k in ("per_topic_thresholds", "repeated_per_topic_thresholds", "title_context", "known_count",
                  "term_prototypes"):
            if k in cv:
                print(f"  with {k}:", cv[k])
        for t, r in sorted(cv["per_topic"].items(), key=lambda kv: kv[1]["f1"]):
            print(f"  {t:<28} P {r['precision']:.2f}  R {r['recall']:.2f}  F1 {r['f1']:.2f}  n {r['support']}")
    return cv


REPEATS = 8  # shuffles of the labels into 5 folds (the first, seed 0, gives the folds of every other figure)


def _shuffled_folds(n: int, seed: int) -> list[list[int]]:
    order = list(range(n))
    random.seed(seed)
    random.shuffle(order)
    return [order[i::5] for i in range(5)]


def _training(folds: list[list[int]], k: int) -> list[int]:
    """The items of every fold but the k-th."""
    return [i for j, f in enumerate(folds) if j != k for i in f]


def _total(r: dict) -> float:
    return r["micro_f1"] + r["macro_f1"] + r["p_at_1"]


def _summary(rs: list[dict]) -> dict:
    return {m: {"mean": round(float(np.mean([r[m] for r in rs])), 4), "min": min(r[m] for r in rs),
                "max": max(r[m] for r in rs)} for m in ("micro_f1", "macro_f1", "p_at_1")} | {"repeats": len(rs)}


class _Tagging:
    """The tagger's decisions for many labels at once (tagger.combine, further_scores and keep on rows), scored as
    evaluate.tagging.score scores them (the same rounding, so the same grid point wins), fast enough to choose among
    thousands of parameter sets inside every fold."""

    def __init__(self, ids: list[str], gold: list[list[str]], bg: np.ndarray, title: np.ndarray):
        self.ids, self.gold, self.bg, self.title = ids, gold, bg, title
        self.G = np.array([[t in g for t in ids] for g in gold], dtype=bool)

    def decide(self, p, idx, read, bias: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(mask of kept topics, first topic) of the labels idx read as `read` gives them (lexicon scores of text
        and breadcrumb, cosines); p is TaggerParams or (TaggerParams, weight of the document's title)."""
        p, title_weight = p if isinstance(p, tuple) else (p, 0.0)
        own, ctx, cos = read
        raw = own[idx] + p.context_weight * ctx[idx] + title_weight * self.title[idx]
        s, f = combine(p, raw, cos[idx]), further_scores(p, raw, cos[idx], self.bg[idx])
        if bias is not None:
            s, f = s + bias, f + bias
        return keep(p, s, f)

    def figures(self, mask: np.ndarray, first: np.ndarray, idx) -> dict:
        g = self.G[idx]
        tp, fp, fn = (mask & g).sum(), (mask & ~g).sum(), (~mask & g).sum()
        a, b, c = (mask & g).sum(0), (mask & ~g).sum(0), (~mask & g).sum(0)
        seen = (a + b + c) > 0
        f1 = np.where(a > 0, 2 * a / np.maximum(2 * a + b + c, 1), 0.0)
        hit = (first >= 0) & g[np.arange(len(first)), np.maximum(first, 0)]
        return {"micro_f1": round(float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0, 4),
                "macro_f1": round(float(f1[seen].mean()) if seen.any() else 0.0, 4),
                "p_at_1": round(float(hit.mean()), 4)}

    def objective(self, p, idx, read, bias: np.ndarray | None = None) -> float:
        return _total(self.figures(*self.decide(p, idx, read, bias), idx))

    def lists(self, p, idx, read, bias: np.ndarray | None = None) -> list[list[str]]:
        """The topics as the product lists them: the first, then the others (their order counts for no figure)."""
        mask, first = self.decide(p, idx, read, bias)
        return [([self.ids[f]] + [self.ids[j] for j in np.flatnonzero(m) if j != f]) if f >= 0 else []
                for m, f in zip(mask, first)]

    def offsets(self, p, train, read) -> np.ndarray:
        """A threshold offset per topic on the training labels: coordinate ascent over a few values, twice."""
        bias = np.zeros(len(self.ids))
        best = self.objective(p, train, read)
        for _ in range(2):
            for j in range(len(self.ids)):
                for v in (-0.1, -0.05, 0.05, 0.1):
                    b = bias.copy()
                    b[j] = v
                    o = self.objective(p, train, read, b)
                    if o > best + 1e-9:
                        best, bias = o, b
        return bias

    def out_of_fold(self, grid, folds, read, apply=None, offsets: bool = False) -> tuple[list[list[str]], list]:
        """Each fold tagged (read as `apply` gives it, else as `read`) with the grid point best on the other folds'
        labels (read as `read`), and the choices."""
        preds: dict[int, list[str]] = {}
        choices = []
        for k in range(len(folds)):
            train = _training(folds, k)
            choice = max(grid, key=lambda p: self.objective(p, train, read))
            bias = self.offsets(choice, train, read) if offsets else None
            choices.append(choice)
            for i, pr in zip(folds[k], self.lists(choice, folds[k], apply or read, bias)):
                preds[i] = pr
        return [preds[i] for i in range(len(self.gold))], choices


def _check_against_tagger(base: Tagger, choices, folds, inputs, vecs, backgrounds, oof) -> None:
    """Raise unless every held-out label gets, from Tagger.tag_text with its fold's choice, the topics the tuning
    gave it (the same first topic, the same set)."""
    for choice, fold in zip(choices, folds):
        tagger = Tagger(base.taxonomy, embedder=base.embedder, cache=base.cache, params=choice)
        for i in fold:
            text, ctx, _ = inputs[i]
            tags = [t.topic for t in tagger.tag_text(text, ctx, vecs[i], backgrounds[i])]
            if tags[:1] != oof[i][:1] or set(tags) != set(oof[i]):
                raise AssertionError(f"label {i}: the tagger gives {tags}, the tuning {oof[i]}")


def _baselines_without_text(files: list[str], gold: list[list[str]], folds, objective, score) -> dict:
    """What a tagger that reads no text gets, in the same folds: every clause given the training folds' k most
    frequent topics (prior), or the k most frequent among the training labels of its own document (document_prior,
    which knows where the clause comes from and nothing else); k in 1–3 chosen on the training folds."""
    from collections import Counter

    out: dict[str, dict] = {}
    for name, own_document in (("prior", False), ("document_prior", True)):
        preds: dict[int, list[str]] = {}
        for k in range(len(folds)):
            train = _training(folds, k)

            def guess(i: int, n: int, train=train, own_document=own_document) -> list[str]:
                rows = [j for j in train if files[j] == files[i]] if own_document else train
                counts = Counter(t for j in (rows or train) for t in gold[j])
                return [t for t, _ in counts.most_common(n)]

            n = max((1, 2, 3), key=lambda n: objective(score([guess(i, n) for i in train], [gold[i] for i in train])))
            for i in folds[k]:
                preds[i] = guess(i, n)
        idx = sorted(preds)
        out[name] = score([preds[i] for i in idx], [gold[i] for i in idx])
    return out


def _ranking_alternatives(base: Tagger, vecs, tagging: _Tagging, own, ctx, grid, folds, score) -> dict:
    """Two more checks, in the same folds with the parameters chosen on each fold's training labels:
    - known_count: each held-out clause gets exactly as many topics as its gold has, in the tagger's order (its
      first topic, then the others by their further score): how far better thresholds alone could go, since the
      topics' order is what it keeps;
    - term_prototypes: each topic's embedding similarity is the mean of the clause's three best similarities to the
      topic's own lexicon terms (embedded one by one) instead of to its description."""
    ids = tagging.ids
    term_topic = [(ti, term) for ti, t in enumerate(base.taxonomy.topics) for term in t.terms]
    tv = np.asarray(base.cache.embed(base.embedder, [term for _, term in term_topic], "passage"))
    owner = np.array([ti for ti, _ in term_topic])
    sims = np.asarray(vecs) @ tv.T
    term_cos = np.array([[np.sort(row[owner == t])[::-1][:3].mean() for t in range(len(ids))] for row in sims])
    desc = (own, ctx, np.asarray(vecs) @ np.asarray(base.prototypes).T)
    terms_read = (own, ctx, term_cos)

    known: dict[int, list[str]] = {}
    for k in range(len(folds)):
        train = _training(folds, k)
        p = max(grid, key=lambda p: tagging.objective(p, train, desc))
        idx = folds[k]
        raw = own[idx] + p.context_weight * ctx[idx]
        s, f = combine(p, raw, desc[2][idx]), further_scores(p, raw, desc[2][idx], tagging.bg[idx])
        for i, srow, frow in zip(idx, s, f):
            first = int(np.argmax(srow))
            order = [first] + [int(j) for j in np.argsort(-frow, kind="stable") if j != first]
            known[i] = [ids[j] for j in order[:len(tagging.gold[i])]]
    terms = tagging.out_of_fold(grid, folds, terms_read)[0]
    idx = sorted(known)
    return {"known_count": score([known[i] for i in idx], [tagging.gold[i] for i in idx]),
            "term_prototypes": score(terms, tagging.gold)}


def _titles(labels: list[dict], docs: Path, tagger: Tagger) -> list[np.ndarray]:
    """The lexicon's raw scores of each label's document title (zeros when the document is not found)."""
    from docsearch.structure import parse_file

    cache: dict[str, np.ndarray] = {}
    out = []
    for lab in labels:
        f = lab.get("file") or ""
        if f not in cache:
            path = docs / f
            title = parse_file(str(path)).metadata.title if f and path.exists() else ""
            cache[f] = tagger.lexicon(title or "")[0]
        out.append(cache[f])
    return out


if __name__ == "__main__":
    main()
