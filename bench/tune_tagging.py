"""Tune the tagger's few parameters on the dev labels, with 5-fold cross-validation of the choice.

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
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from docsearch.evaluate.retrieval import _read_jsonl  # noqa: E402
from docsearch.evaluate.tagging import label_inputs, per_topic, score  # noqa: E402
from docsearch.index.cache import EmbeddingCache  # noqa: E402
from docsearch.index.embedders import get_embedder  # noqa: E402
from docsearch.tagging import Tagger, TaggerParams, load_taxonomy  # noqa: E402
from docsearch.tagging.tagger import combine, select  # noqa: E402
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


def _run(labels_path, docs, report: bool, alternatives: bool = False) -> dict:
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

    title = _titles(labels, Path(docs), base)
    n_topics = len(protos)

    # the same labels as a provincial programme would write them, abbreviations for the phrases that have one
    # (text/analysis.py::abbreviate): texts, breadcrumbs and the embedded passages
    short = [(abbreviate(t), abbreviate(c), abbreviate(p)) for t, c, p in inputs]
    short_vecs = cache.embed(emb, [p for _, _, p in short], "passage")
    abbreviated = ([base.lexicon(t)[0] for t, _, _ in short],
                   [base.lexicon(c)[0] if c else np.zeros(len(protos)) for _, c, _ in short],
                   [protos @ v for v in short_vecs])

    def predict(p: TaggerParams, idx: list[int], title_weight: float = 0.0,
                bias: np.ndarray | None = None, read=(own, ctx, cos)) -> list[list[str]]:
        """The topics of the labels idx, with the clauses read as `read` gives them (lexicon scores of text and
        breadcrumb, cosines)."""
        own_, ctx_, cos_ = read
        t = Tagger(base.taxonomy, params=p)
        out = []
        for i in idx:
            s = combine(p, own_[i] + p.context_weight * ctx_[i] + title_weight * title[i], cos_[i])
            out.append([base.taxonomy.topics[j].id for j in t.select(s if bias is None else s + bias)])
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

    def out_of_fold(folds: list[list[int]], read=(own, ctx, cos)) -> list[list[str]]:
        """Each fold tagged (read as `read` gives it) with the parameters best on the other folds' labels."""
        preds: dict[int, list[str]] = {}
        for k in range(len(folds)):
            train = _training(folds, k)
            choice = max(grid, key=lambda p: objective(score(predict(p, train), [gold[i] for i in train])))
            for i, pr in zip(folds[k], predict(choice, folds[k], read=read)):
                preds[i] = pr
        return [preds[i] for i in all_idx]

    oof = out_of_fold(folds)
    cv = score(oof, gold)
    cv["per_topic"] = per_topic(oof, gold)
    # the same choice with each labelled document held out in turn: labels of a document the parameters never saw
    files = [lab.get("file") or "" for lab in labels]
    cv["by_document"] = score(out_of_fold([[i for i in all_idx if files[i] == f] for f in sorted(set(files))]), gold)
    cv["abbreviated"] = score(out_of_fold(folds, read=abbreviated), gold) | {
        "labels_changed": sum(a != b for a, b in zip(short, inputs))}
    cv.update(_baselines_without_text(files, gold, folds, objective, score))
    # the same 5-fold CV over other shuffles of the labels: how much of a difference is the folds' luck
    cv.update(_repeated(np.array(own), np.array(ctx), np.array(cos), gold, [t.id for t in base.taxonomy.topics],
                        grid, objective, score, first=oof, files=files, per_topic=alternatives))
    if alternatives:
        # per-topic thresholds: on each fold's training labels, the fold's shared choice plus an offset per topic
        # (coordinate ascent over a few values); the document's title as context: its weight chosen with the rest
        by_topic: dict[int, list[str]] = {}
        by_title: dict[int, list[str]] = {}
        title_choices = []
        for k in range(5):
            train = _training(folds, k)
            g_train = [gold[i] for i in train]
            choice = max(grid, key=lambda p: objective(score(predict(p, train), g_train)))
            bias = np.zeros(n_topics)
            best = objective(score(predict(choice, train), g_train))
            for _ in range(2):
                for j in range(n_topics):
                    for v in (-0.1, -0.05, 0.05, 0.1):
                        b = bias.copy()
                        b[j] = v
                        o = objective(score(predict(choice, train, bias=b), g_train))
                        if o > best + 1e-9:
                            best, bias = o, b
            for i, pr in zip(folds[k], predict(choice, folds[k], bias=bias)):
                by_topic[i] = pr
            p_t, w_t = max(((p, w) for p in grid for w in (0.0, 0.1, 0.2)),
                           key=lambda pw: objective(score(predict(pw[0], train, pw[1]), g_train)))
            title_choices.append(w_t)
            for i, pr in zip(folds[k], predict(p_t, folds[k], w_t)):
                by_title[i] = pr
        cv["per_topic_thresholds"] = score([by_topic[i] for i in all_idx], gold)
        cv["title_context"] = score([by_title[i] for i in all_idx], gold) | {"weights_chosen": title_choices}
        cv.update(_ranking_alternatives(base, vecs, own, ctx, gold, folds, grid, objective, score))
    if report:
        print("5-fold CV     ", {k: v for k, v in cv.items() if k not in (
            "per_topic", "by_document", "abbreviated", "repeated", "repeated_per_topic_thresholds", "prior", "document_prior", "per_topic_thresholds", "title_context", "known_count", "term_prototypes")})
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


def _training(folds: list[list[int]], k: int) -> list[int]:
    """The items of every fold but the k-th."""
    return [i for j, f in enumerate(folds) if j != k for i in f]


REPEATS = 8  # shuffles of the labels into 5 folds (the first is the one every other figure uses)


def _repeated(own: np.ndarray, ctx: np.ndarray, cos: np.ndarray, gold: list[list[str]], ids: list[str], grid,
              objective, score, first: list[list[str]], files: list[str], per_topic: bool = False) -> dict:
    """5-fold CV of the parameter choice over REPEATS shuffles of the labels (seeds 0, 1, …; seed 0 gives the folds
    of the other figures): mean, lowest and highest of each figure, scoring every label at once (tagger.combine and
    tagger.select); the first shuffle must give the out-of-fold topics of the per-label path above, or this raises.
    per_topic: the same for per-topic threshold offsets (chosen as in --alternatives), with how many shuffles they
    lead, and with each labelled document held out."""
    n = len(gold)

    def predict(p: TaggerParams, idx: list[int], bias: np.ndarray | None = None) -> list[list[str]]:
        sc = combine(p, own[idx] + p.context_weight * ctx[idx], cos[idx])
        return [[ids[j] for j in select(p, row if bias is None else row + bias)] for row in sc]

    def out_of_fold(folds: list[list[int]], offsets: bool) -> list[list[str]]:
        preds: dict[int, list[str]] = {}
        for k in range(len(folds)):
            train = _training(folds, k)
            g_train = [gold[i] for i in train]
            choice = max(grid, key=lambda p: objective(score(predict(p, train), g_train)))
            bias = np.zeros(len(ids))
            if offsets:  # coordinate ascent over a few values per topic, as --alternatives does
                best = objective(score(predict(choice, train), g_train))
                for _ in range(2):
                    for j in range(len(ids)):
                        for v in (-0.1, -0.05, 0.05, 0.1):
                            b = bias.copy()
                            b[j] = v
                            o = objective(score(predict(choice, train, b), g_train))
                            if o > best + 1e-9:
                                best, bias = o, b
            for i, pr in zip(folds[k], predict(choice, folds[k], bias)):
                preds[i] = pr
        return [preds[i] for i in range(n)]

    shuffles = []
    for seed in range(REPEATS):
        order = list(range(n))
        random.seed(seed)
        random.shuffle(order)
        shuffles.append([order[i::5] for i in range(5)])
    runs = [score(out_of_fold(folds, False), gold) for folds in shuffles]
    if [sorted(x) for x in out_of_fold(shuffles[0], False)] != [sorted(x) for x in first]:
        raise AssertionError("the vectorised tagger does not tag as the tagger does")

    def summary(rs: list[dict]) -> dict:
        return {m: {"mean": round(float(np.mean([r[m] for r in rs])), 4), "min": min(r[m] for r in rs),
                    "max": max(r[m] for r in rs)} for m in ("micro_f1", "macro_f1", "p_at_1")} | {"repeats": len(rs)}

    out = {"repeated": summary(runs)}
    if per_topic:
        with_offsets = [score(out_of_fold(folds, True), gold) for folds in shuffles]
        by_doc = [[i for i in range(n) if files[i] == f] for f in sorted(set(files))]
        out["repeated_per_topic_thresholds"] = summary(with_offsets) | {
            "ahead": sum(objective(a) > objective(b) for a, b in zip(with_offsets, runs)),
            "by_document": score(out_of_fold(by_doc, True), gold)}
    return out


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


def _ranking_alternatives(base: Tagger, vecs, own, ctx, gold, folds, grid, objective, score) -> dict:
    """Two more checks, in the same folds with the parameters chosen on each fold's training labels:
    - known_count: each held-out clause gets exactly as many topics as its gold has, the best-scored first: how
      far better thresholds alone could go, since the topics' order is what it keeps;
    - term_prototypes: each topic's embedding similarity is the mean of the clause's three best similarities to the
      topic's own lexicon terms (embedded one by one) instead of to its description."""
    ids = [t.id for t in base.taxonomy.topics]
    term_topic = [(ti, term) for ti, t in enumerate(base.taxonomy.topics) for term in t.terms]
    tv = np.asarray(base.cache.embed(base.embedder, [term for _, term in term_topic], "passage"))
    owner = np.array([ti for ti, _ in term_topic])
    sims = np.asarray(vecs) @ tv.T
    term_cos = [np.array([np.sort(row[owner == t])[::-1][:3].mean() for t in range(len(ids))]) for row in sims]
    desc_cos = [base.prototypes @ v for v in vecs]

    def scores(p: TaggerParams, cos_i, i: int) -> np.ndarray:
        return combine(p, own[i] + p.context_weight * ctx[i], cos_i)

    def predict(p: TaggerParams, cos, idx) -> list[list[str]]:
        t = Tagger(base.taxonomy, params=p)
        return [[ids[j] for j in t.select(scores(p, cos[i], i))] for i in idx]

    known: dict[int, list[str]] = {}
    terms: dict[int, list[str]] = {}
    for k in range(len(folds)):
        train = _training(folds, k)
        g_train = [gold[i] for i in train]
        p_desc = max(grid, key=lambda p: objective(score(predict(p, desc_cos, train), g_train)))
        for i in folds[k]:
            known[i] = [ids[j] for j in np.argsort(-scores(p_desc, desc_cos[i], i))[:len(gold[i])]]
        p_terms = max(grid, key=lambda p: objective(score(predict(p, term_cos, train), g_train)))
        for i, pr in zip(folds[k], predict(p_terms, term_cos, folds[k])):
            terms[i] = pr
    idx = sorted(known)
    return {"known_count": score([known[i] for i in idx], [gold[i] for i in idx]),
            "term_prototypes": score([terms[i] for i in idx], [gold[i] for i in idx])}


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
