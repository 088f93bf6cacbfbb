"""Hybrid ranking: BM25 over three fields and dense cosine, each z-normalised over its candidates and fused with
weights tuned on the dev set; filters applied before ranking; documents the query names boosted."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from docsearch.index.analysis import analyze
from docsearch.search.query import understand
from docsearch.search.snippets import snippet

MODES = ("hybrid", "bm25", "dense")


@dataclass
class Hit:
    clause_id: int
    doc_id: str
    address: str
    breadcrumb: str
    heading: str
    text: str
    snippet: str
    score: float
    doc_number: str | None = None
    doc_type: str | None = None
    doc_title: str | None = None
    page: int = 1
    fields: dict = field(default_factory=dict)
    tags: list = field(default_factory=list)
    components: dict = field(default_factory=dict)


def _z(scores: np.ndarray) -> np.ndarray:
    if len(scores) < 2:
        return np.ones_like(scores)
    sd = scores.std()
    return (scores - scores.mean()) / (sd if sd > 1e-9 else 1.0)


def rank(index, query: str, k: int = 10, mode: str = "hybrid", filters: dict | None = None,
         weights: dict | None = None, candidates: int | None = None, query_vector: np.ndarray | None = None,
         boost_docs: bool = True) -> tuple[list[tuple[int, float, dict]], object]:
    """Return [(clause id, fused score, components)] best first, and the understood query."""
    from docsearch.config import get_settings

    s = get_settings()
    w = weights or {"words": s.w_words, "syllables": s.w_syllables, "folded": s.w_folded, "dense": s.w_dense}
    C = candidates or s.candidates
    index.ensure_loaded()
    lex, vec = index.lexical, index.vectors
    docs = index.store.documents() if boost_docs else []
    q = understand(query, docs, index.restore)
    allowed = index.store.filter_ids(**(filters or {}))
    mask = None
    if allowed is not None:
        mask = np.isin(lex.ids, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
        if not mask.any():
            return [], q
    per_method: dict[str, dict[int, float]] = {}
    if mode in ("hybrid", "bm25"):
        toks = analyze(q.text)
        for f in ("words", "syllables", "folded"):
            if mode == "bm25" and f != "words" and w.get(f, 0) == 0:
                continue
            if w.get(f, 0) <= 0:
                continue
            sc = lex.scores(f, toks[f])
            if mask is not None:
                sc = np.where(mask, sc, -1.0)
            n = min(C, len(sc))
            if n == 0:
                continue
            top = np.argpartition(-sc, n - 1)[:n]
            top = top[sc[top] > 0]
            per_method[f] = {int(lex.ids[i]): float(sc[i]) for i in top}
    if mode in ("hybrid", "dense") and w.get("dense", 0) > 0:
        qv = query_vector if query_vector is not None else index.cache.embed(index.embedder, [q.text], "query")[0]
        allowed_arr = np.fromiter(allowed, dtype=np.int64, count=len(allowed)) if allowed is not None else None
        ids, sc = vec.search(qv, C, allowed_arr)
        per_method["dense"] = {int(i): float(x) for i, x in zip(ids, sc)}
    if mode == "bm25":
        per_method = {f: v for f, v in per_method.items() if f != "dense"}
        if "words" in per_method:
            w = {"words": 1.0}
    if mode == "dense":
        w = {"dense": 1.0}
    cand = sorted(set().union(*[set(v) for v in per_method.values()])) if per_method else []
    if not cand:
        return [], q
    fused = np.zeros(len(cand))
    comps: dict[int, dict] = {c: {} for c in cand}
    for m, scores in per_method.items():
        if w.get(m, 0) == 0 or not scores:
            continue
        vals = np.array(list(scores.values()))
        floor = vals.min() if m == "dense" else 0.0
        arr = np.array([scores.get(c, floor) for c in cand])
        mu, sd = vals.mean(), vals.std() if len(vals) > 1 else 1.0
        z = (arr - mu) / (sd if sd > 1e-9 else 1.0)
        fused += w[m] * z
        for c, x in zip(cand, arr):
            comps[c][m] = round(float(x), 4)
    if q.doc_ids and boost_docs and (not filters or not filters.get("doc")):
        doc_of = {c: r["doc_id"] for c, r in index.store.clause_rows(cand).items()}
        for i, c in enumerate(cand):
            if doc_of.get(c) in q.doc_ids:
                fused[i] += 1.0
    order = np.argsort(-fused)[:k]
    return [(cand[i], float(fused[i]), comps[cand[i]]) for i in order], q


def search(index, query: str, k: int = 10, mode: str = "hybrid", doc: list[str] | str | None = None,
           doc_type: str | None = None, issuer: str | None = None, year_from: int | None = None,
           year_to: int | None = None, topic: str | None = None, address_prefix: str | None = None) -> list[Hit]:
    if isinstance(doc, str):
        doc = [doc]
    filters = {"doc": doc, "doc_type": doc_type, "issuer": issuer, "year_from": year_from, "year_to": year_to,
               "topic": topic, "address_prefix": address_prefix}
    filters = {k2: v for k2, v in filters.items() if v}
    ranked, q = rank(index, query, k=k, mode=mode, filters=filters)
    rows = index.store.clause_rows([c for c, _, _ in ranked])
    tags = index.store.tags_for([c for c, _, _ in ranked])
    hits = []
    for cid, score, comps in ranked:
        r = rows.get(cid)
        if r is None:  # removed since the derived index was built
            continue
        hits.append(Hit(
            clause_id=cid, doc_id=r["doc_id"], address=r["address"], breadcrumb=r["breadcrumb"], heading=r["heading"],
            text=r["text"], snippet=snippet(r["text"], q.text), score=round(score, 4), doc_number=r["doc_number"],
            doc_type=r["doc_type"], doc_title=r["doc_title"], page=r["page"] or 1, fields=r["fields"],
            tags=[{"topic": t.topic, "score": t.score} for t in tags.get(cid, [])], components=comps,
        ))
    return hits
