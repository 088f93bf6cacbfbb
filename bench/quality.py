"""Quality on the development sets, docsearch beside what a user could try instead, in one run:

- retrieval (ALQAC 2022): docsearch bm25 / dense / hybrid, hybrid with every query stripped of its diacritics,
  plain rank-bm25 over whitespace syllables, and a naive bm25s + faiss script (bm25s' default tokenizer, the same
  embedder, reciprocal-rank fusion) with no Vietnamese analysis;
- tagging: lexicon only, embedding only, the tagger, and the tagger's 5-fold cross-validated figures;
- linking (NQ 03 → NQ 57): the plain hybrid search beside the linker that uses the structure.

Usage: python bench/quality.py"""

from __future__ import annotations

import json
import time

import numpy as np
from common import SHARED, write_section

from docsearch.evaluate import linking as linking_eval
from docsearch.evaluate import retrieval as retrieval_eval
from docsearch.evaluate import tagging as tagging_eval
from docsearch.evaluate.metrics import mrr_at, ndcg_at, recall_at

ALQAC = SHARED / "eval" / "legal-retrieval" / "alqac2022"


def _scores(ranked: list[list[str]], rel: list[set[str]]) -> dict:
    n = len(rel)
    return {
        "MRR@10": sum(mrr_at(r, g) for r, g in zip(ranked, rel)) / n,
        "Recall@1": sum(recall_at(r, g, 1) for r, g in zip(ranked, rel)) / n,
        "Recall@5": sum(recall_at(r, g, 5) for r, g in zip(ranked, rel)) / n,
        "Recall@10": sum(recall_at(r, g, 10) for r, g in zip(ranked, rel)) / n,
        "nDCG@10": sum(ndcg_at(r, g) for r, g in zip(ranked, rel)) / n,
    }


def alternatives() -> dict[str, dict]:
    """rank-bm25 over syllables, and naive bm25s + faiss; vectors from the same embedder (cached)."""
    import bm25s
    import faiss
    from rank_bm25 import BM25Okapi

    passages = retrieval_eval._read_jsonl(ALQAC / "corpus.jsonl")
    qs = retrieval_eval._read_jsonl(ALQAC / "queries.jsonl")
    ids = [p["id"] for p in passages]
    rel = [set(q["relevant"]) for q in qs]
    out = {}
    t = time.perf_counter()
    bm = BM25Okapi([p["text"].lower().split() for p in passages])
    ranked = []
    for q in qs:
        s = bm.get_scores(q["question"].lower().split())
        ranked.append([ids[i] for i in np.argsort(-s)[:10]])
    out["rank-bm25, whitespace syllables"] = {**_scores(ranked, rel), "seconds": time.perf_counter() - t}
    # naive bm25s + faiss with reciprocal-rank fusion
    ix = retrieval_eval.build_index(ALQAC / "corpus.jsonl")
    t = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([p["text"] for p in passages], show_progress=False), show_progress=False)
    pvec = ix.cache.embed(ix.embedder, [p["text"] for p in passages], "passage")
    qvec = ix.cache.embed(ix.embedder, [q["question"] for q in qs], "query")
    flat = faiss.IndexFlatIP(pvec.shape[1])
    flat.add(pvec)
    _, dense_top = flat.search(qvec, 100)
    docs, _ = retriever.retrieve(bm25s.tokenize([q["question"] for q in qs], show_progress=False), k=100, show_progress=False)
    ranked = []
    for b, d in zip(docs, dense_top):
        score: dict[int, float] = {}
        for rank, i in enumerate(b):
            score[int(i)] = score.get(int(i), 0) + 1 / (60 + rank + 1)
        for rank, i in enumerate(d):
            score[int(i)] = score.get(int(i), 0) + 1 / (60 + rank + 1)
        ranked.append([ids[i] for i, _ in sorted(score.items(), key=lambda kv: -kv[1])[:10]])
    out["naive bm25s + faiss (RRF)"] = {**_scores(ranked, rel), "seconds": time.perf_counter() - t}
    ix.close()
    return out


def main() -> None:
    t = time.perf_counter()
    ours = retrieval_eval.run(ALQAC / "corpus.jsonl", ALQAC / "queries.jsonl", ["bm25", "dense", "hybrid"])
    folded = retrieval_eval.run(ALQAC / "corpus.jsonl", ALQAC / "queries.jsonl", ["hybrid"], fold_queries=True)["hybrid"]
    alt = alternatives()
    rows = ["| system | MRR@10 | Recall@1 | Recall@5 | Recall@10 | nDCG@10 |", "|---|---|---|---|---|---|"]
    for name, r in [(f"docsearch {m}", ours[m]) for m in ("bm25", "dense", "hybrid")] + [
            ("docsearch hybrid, queries without diacritics", folded)] + list(alt.items()):
        rows.append(f"| {name} | {r['MRR@10']:.4f} | {r['Recall@1']:.3f} | {r['Recall@5']:.3f} | {r['Recall@10']:.3f} | {r['nDCG@10']:.4f} |")
    retrieval_md = "\n".join(rows) + f"\n\nn = {ours['hybrid']['n']} queries over 1,377 articles. Loss without diacritics: {ours['hybrid']['MRR@10'] - folded['MRR@10']:.4f} MRR@10 (target ≤ 0.05)."

    labels = SHARED / "eval" / "topics" / "labels.jsonl"
    trows = ["| tagger | micro-F1 | macro-F1 | p_at_1 |", "|---|---|---|---|"]
    for mode in ("lexicon", "embedding", "combined"):
        r = tagging_eval.run(labels, mode=mode)
        trows.append(f"| {mode} | {r['micro_f1']:.4f} | {r['macro_f1']:.4f} | {r['p_at_1']:.4f} |")
    from tune_tagging import cross_validated

    cv = cross_validated(labels, SHARED / "corpus" / "raw")
    trows.append(f"| combined, 5-fold CV of the parameter choice | {cv['micro_f1']:.4f} | {cv['macro_f1']:.4f} | {cv['p_at_1']:.4f} |")
    tagging_md = "\n".join(trows) + "\n\nn = 147 labelled clauses; targets micro-F1 ≥ 0.80, macro-F1 ≥ 0.70, p_at_1 ≥ 0.92."

    link = linking_eval.run(SHARED / "eval" / "linking" / "nq03-to-nq57.jsonl", SHARED / "corpus" / "raw" / "nq-57-nqtw-2024.txt")
    lrows = ["| linker | Hit@1 | Hit@5 | MRR@10 |", "|---|---|---|---|"]
    for name, key in (("plain hybrid search (no structure)", "hybrid"), ("docsearch linker (structure)", "structure")):
        r = link[key]
        lrows.append(f"| {name} | {r['Hit@1']:.4f} | {r['Hit@5']:.4f} | {r['MRR@10']:.4f} |")
    linking_md = "\n".join(lrows) + f"\n\nn = {link['structure']['n']} tasks; targets Hit@5 ≥ 0.95, MRR@10 ≥ 0.85."
    body = (f"### Retrieval — ALQAC 2022 (`docsearch eval retrieval --mode all`)\n\n{retrieval_md}\n\n"
            f"### Topic tagging — shared/eval/topics (`docsearch eval tagging --mode all`)\n\n{tagging_md}\n\n"
            f"### Task → clause linking — NQ 03/NQ-CP → NQ 57-NQ/TW (`docsearch eval linking`)\n\n{linking_md}\n\n"
            f"Whole run: {time.perf_counter() - t:.0f} s (embeddings cached from earlier runs).")
    write_section("Quality", "python bench/quality.py", body)
    print(json.dumps({"hybrid": ours["hybrid"]["MRR@10"]}))


if __name__ == "__main__":
    main()
