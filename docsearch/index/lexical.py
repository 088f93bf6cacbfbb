"""BM25 (bm25s sparse matrices) over three fields: words, syllables, accent-folded syllables."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from docsearch.index.terms import EMPTY, K1, MAX_DF, PRUNE_FROM, B

FIELDS = ("words", "syllables", "folded")


def _bm25s():
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import
    return bm25s


class LexicalIndex:
    def __init__(self, fields: tuple[str, ...] = FIELDS) -> None:
        self.ids = np.zeros(0, dtype=np.int64)
        self.retrievers: dict = {}
        self.fields = fields

    def add_field(self, field: str, docs: list[list[str]]) -> None:
        """Index one field (one call per field keeps the peak memory of a large rebuild to one field's tokens)."""
        bm25s = _bm25s()
        r = bm25s.BM25(k1=K1, b=B)  # the parameters the Milvus engine's sparse vectors use too (terms.py)
        if len(self.ids):
            r.index([d if d else [EMPTY] for d in docs], show_progress=False)
        self.retrievers[field] = r

    def __len__(self) -> int:
        return len(self.ids)

    PRUNE_FROM = PRUNE_FROM  # entries; below this every query token is scored

    def scores(self, field: str, query_tokens: list[str], max_df: float = MAX_DF) -> np.ndarray:
        """BM25 of every entry. In a large index, query tokens found in more than `max_df` of the entries carry
        little weight but cost the most (their postings are the longest): they are dropped when the query has
        other tokens. (On ALQAC, 1,377 passages, pruning at 0.5 would cost 0.001 MRR@10; it is off there.)"""
        if not len(self.ids) or not query_tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        r = self.retrievers[field]
        vocab = r.vocab_dict
        toks = [t for t in query_tokens if t in vocab]
        if not toks:
            return np.zeros(len(self.ids), dtype=np.float32)
        if len(self.ids) < self.PRUNE_FROM:
            return np.asarray(r.get_scores(toks), dtype=np.float32)
        indptr = r.scores["indptr"]
        limit = max_df * len(self.ids)
        rare = [t for t in toks if indptr[vocab[t] + 1] - indptr[vocab[t]] <= limit]
        return np.asarray(r.get_scores(rare or toks), dtype=np.float32)

    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        np.save(path / "lexical_ids.npy", self.ids)
        for f, r in self.retrievers.items():
            if len(self.ids):
                r.save(str(path / f"bm25_{f}"))
        (path / "lexical.json").write_text(json.dumps({"fields": list(self.fields), "n": int(len(self.ids))}))

    @classmethod
    def load(cls, path: Path) -> LexicalIndex:
        bm25s = _bm25s()
        meta = json.loads((path / "lexical.json").read_text())
        self = cls(tuple(meta["fields"]))
        self.ids = np.load(path / "lexical_ids.npy")
        for f in self.fields:
            if len(self.ids):
                # memory-mapped: a field no query uses costs no memory
                self.retrievers[f] = bm25s.BM25.load(str(path / f"bm25_{f}"), mmap=True)
            else:
                self.retrievers[f] = bm25s.BM25()
        return self
