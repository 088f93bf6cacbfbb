"""`docsearch eval retrieval`: index each passage as one unit with the same pipeline, run every query, score."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from docsearch.evaluate.metrics import mrr_at, ndcg_at, recall_at
from docsearch.model import Clause, Document, Metadata


def _read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def passage_document(p: dict) -> Document:
    text = p["text"]
    title = p.get("title") or ""
    clause = Clause(address="1", label="1", level=1, heading=title or text[:120], text=text,
                    breadcrumb=title or "1", page=1, kind="item")
    doc = Document(id=str(p["id"]), source=str(p["id"]), metadata=Metadata(title=None), clauses=[clause])
    from docsearch.structure import PIPELINE_VERSION

    doc.content_hash = hashlib.sha256(f"{PIPELINE_VERSION}\n{title}\n{text}".encode()).hexdigest()
    return doc


def build_index(passages_path: str | Path, workdir: str | Path | None = None):
    from docsearch.index import Index

    passages = _read_jsonl(passages_path)
    key = hashlib.sha1(Path(passages_path).read_bytes()).hexdigest()[:12]
    base = Path(workdir) if workdir else Path(tempfile.gettempdir()) / "docsearch-eval"
    path = base / f"retrieval-{key}"
    ix = Index(path, writable=True)
    docs = [passage_document(p) for p in passages]
    ix.prepare(docs)
    for doc in docs:
        ix.add(doc)
    ix.commit()
    return ix


def run(passages: str | Path, queries: str | Path, modes: list[str], k: int = 10, workdir=None,
        weights: dict | None = None, fold_queries: bool = False) -> dict[str, dict]:
    """fold_queries: strip every diacritic from the queries first (as typed on a keyboard without Telex)."""
    from docsearch.ingest.normalize import fold
    from docsearch.search.hybrid import rank

    ix = build_index(passages, workdir)
    qs = _read_jsonl(queries)
    texts = [q.get("question") or q.get("text") for q in qs]
    if fold_queries:
        from docsearch.search.restoration import restore_diacritics

        ix.ensure_loaded()
        texts = [fold(t) for t in texts]
        # what is embedded is what a user's query becomes: restored to the corpus's accented forms
        texts_for_vectors = [restore_diacritics(t, ix.restore) or t for t in texts]
    else:
        texts_for_vectors = texts
    qvecs = ix.cache.embed(ix.embedder, texts_for_vectors, "query")
    out = {}
    for mode in modes:
        agg = {"MRR@10": 0.0, "Recall@1": 0.0, "Recall@5": 0.0, "Recall@10": 0.0, "nDCG@10": 0.0}
        for q, text, qv in zip(qs, texts, qvecs):
            rel = {str(r) for r in q["relevant"]}
            ranked, _ = rank(ix, text, k=k, mode=mode, weights=weights, query_vector=qv, boost_docs=False)
            rows = ix.store.clause_rows([c for c, _, _ in ranked])
            ids = [rows[c]["doc_id"] for c, _, _ in ranked if c in rows]
            agg["MRR@10"] += mrr_at(ids, rel, 10)
            agg["Recall@1"] += recall_at(ids, rel, 1)
            agg["Recall@5"] += recall_at(ids, rel, 5)
            agg["Recall@10"] += recall_at(ids, rel, 10)
            agg["nDCG@10"] += ndcg_at(ids, rel, 10)
        n = len(qs)
        res = {m: round(v / n, 4) for m, v in agg.items()}
        res["n"] = n
        res["mode"] = mode
        res["queries"] = "folded" if fold_queries else "as written"
        out[mode] = res
    ix.close()
    return out
