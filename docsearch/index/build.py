"""Building a generation's derived indexes from the store: the BM25 fields (clauses and segments), the vector
indexes (exact or approximate, chosen by size), the diacritic statistics, and the arrays that make filters numpy
operations. `State` bundles one generation; a search holds one reference to it."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

from docsearch.config import Settings
from docsearch.index.engine import Generation, Scores
from docsearch.index.lexical import FIELDS, LexicalIndex
from docsearch.index.store import Store
from docsearch.index.vectors import VectorIndex
from docsearch.ingest.normalize import fold
from docsearch.search.restoration import statistics

# writes of one process since its vectors were loaded: (removed clauses, added clauses, removed segments, added
# segments); they let a commit update the vector indexes in place instead of rebuilding them
Pending = tuple[list[int], list[int], list[int], list[int]]


def no_pending() -> Pending:
    return [], [], [], []


class _ArrayScores(Scores):
    """Scores of every entry, computed at once (bm25s); a filtered-out entry scores -1."""

    def __init__(self, ids: np.ndarray, scores: np.ndarray, mask: np.ndarray | None) -> None:
        self.ids, self.scores = ids, scores
        if mask is not None:
            scores[~mask] = -1.0

    def top(self, c: int) -> tuple[np.ndarray, np.ndarray]:
        n = min(c, len(self.scores))
        if n <= 0:
            return np.zeros(0, np.int64), np.zeros(0)
        top = np.argpartition(-self.scores, n - 1)[:n]
        top = top[self.scores[top] > 0]
        return self.ids[top], self.scores[top]

    def at(self, ids: np.ndarray) -> np.ndarray:
        return self.scores[np.searchsorted(self.ids, ids)]


@dataclass
class State(Generation):
    """Everything a search reads, built together and swapped in by one assignment: a search that took a
    reference to it never sees half of a newer generation (the race the concurrency test caught). The local
    engine: its filters are boolean masks over `lexical.ids`."""

    generation: int
    lexical: LexicalIndex
    vectors: VectorIndex
    seg_lexical: LexicalIndex
    seg_vectors: VectorIndex
    seg_ids: np.ndarray
    seg_owner: np.ndarray
    restore: dict
    filter_docs: list[dict]
    clause_doc: np.ndarray  # index into filter_docs of each lexical entry (-1: the clause is gone)
    seg_pos: np.ndarray  # position in lexical.ids of each segment-level BM25 entry
    seg_single: np.ndarray  # the clause has that one entry only

    def segment_max(self, seg_scores: np.ndarray) -> np.ndarray:
        """Best segment score of each clause (aligned with lexical.ids)."""
        agg = np.zeros(len(self.lexical.ids))
        single = self.seg_single
        agg[self.seg_pos[single]] = seg_scores[single]
        if (~single).any():
            np.maximum.at(agg, self.seg_pos[~single], seg_scores[~single])
        return agg

    # -- the Generation interface ---------------------------------------------------------------------------------
    def where(self, store, filters: dict | None = None, ids=None) -> np.ndarray | None:
        mask = filter_mask(self, store, **(filters or {}))
        if ids is not None:
            allowed = np.isin(self.lexical.ids, np.fromiter(ids, dtype=np.int64, count=len(ids)))
            mask = allowed if mask is None else mask & allowed
        return mask

    def excludes_all(self, where: np.ndarray | None) -> bool:
        return where is not None and not where.any()

    def lexical_scores(self, field: str, tokens: list[str]) -> np.ndarray:
        if field == "words_seg":
            return self.segment_max(self.seg_lexical.scores("words", tokens))
        return self.lexical.scores(field, tokens).astype(np.float64)

    def bm25(self, field: str, tokens: list[str], where: np.ndarray | None) -> Scores:
        return _ArrayScores(self.lexical.ids, self.lexical_scores(field, tokens), where)

    def has_segments(self) -> bool:
        return len(self.seg_lexical) > 0

    def dense(self, qv: np.ndarray, c: int, where: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        return self.vectors.search(qv, c, self.lexical.ids[where] if where is not None else None)

    def dense_segments(self, qv: np.ndarray, c: int, where: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        if not len(self.seg_vectors):
            return np.zeros(0, np.int64), np.zeros(0)
        allowed = None
        if where is not None:
            allowed = self.seg_ids[np.isin(self.seg_owner, self.lexical.ids[where])]
        s_ids, s_sc = self.seg_vectors.search(qv, c, allowed)
        owners = self.seg_owner[np.searchsorted(self.seg_ids, s_ids)] if len(s_ids) else np.zeros(0, np.int64)
        return owners, s_sc

    def dense_at(self, qv: np.ndarray, ids: np.ndarray) -> np.ndarray:
        if not len(ids):
            return np.zeros(0)
        return self.vectors.vectors_for(ids) @ np.asarray(qv, dtype=np.float32)


def build(store: Store, gen: int, dim: int, settings: Settings, previous: State | None = None,
          pending: Pending | None = None) -> State:
    """Build the derived indexes from the store. BM25 is always rebuilt (bm25s has no update); the vectors of
    `previous` are updated in place when `pending` lists every write since they were loaded."""
    intern = sys.intern
    ids = store.clause_ids()
    lexical = LexicalIndex(FIELDS)
    lexical.ids = np.asarray(ids, dtype=np.int64)
    # one field at a time, tokens interned: a million clauses fit in a few GB
    words_of = [[intern(t) for t in tw.split()] for tw in store.iter_clause_tokens("words")]
    lexical.add_field("words", words_of)
    # segment level: every clause once (short ones are their own segment) plus the segments of long ones
    has_segments: set[int] = set()
    seg_ids, seg_owner, seg_lex_ids, seg_toks = [], [], [], []
    for sid, cid, tw in store.iter_segment_token_rows():
        has_segments.add(cid)
        seg_ids.append(sid)
        seg_owner.append(cid)
        seg_lex_ids.append(cid)
        seg_toks.append([intern(t) for t in (tw or "").split()])
    for cid, w in zip(ids, words_of):
        if cid not in has_segments:
            seg_lex_ids.append(cid)
            seg_toks.append(w)
    del words_of
    order = np.argsort(np.asarray(seg_lex_ids, dtype=np.int64), kind="stable")
    seg_lexical = LexicalIndex(("words",))
    seg_lexical.ids = np.asarray(seg_lex_ids, dtype=np.int64)[order]
    seg_lexical.add_field("words", [seg_toks[k] for k in order])
    del seg_toks
    syl = [[intern(t) for t in ts.split()] for ts in store.iter_clause_tokens("syllables")]
    restore = statistics(syl)  # for diacritic restoration of queries typed without marks
    lexical.add_field("syllables", syl)
    folded_of: dict[str, str] = {}
    folded = [[folded_of.get(a) or folded_of.setdefault(a, intern(fold(a))) for a in s] for s in syl]
    del syl
    lexical.add_field("folded", folded)
    del folded
    vectors = previous.vectors if previous is not None else None
    grown_past_threshold = vectors is not None and vectors.kind == "flat" and len(ids) > settings.ann_threshold
    if previous is not None and pending is not None and previous.vectors.kind != "hnsw" and not grown_past_threshold:
        removed, added, seg_removed, seg_added = pending
        vectors, seg_vectors = previous.vectors, previous.seg_vectors
        vectors.remove(removed)
        seg_vectors.remove(seg_removed)
        if added:
            vectors.add(added, store.vectors_of("clauses", added))
        if seg_added:
            seg_vectors.add(seg_added, store.vectors_of("segments", seg_added))
    else:
        vectors = vector_index(store, ids, "clauses", dim, settings)
        seg_vectors = vector_index(store, seg_ids, "segments", dim, settings)
    return make_state(store, gen, lexical, vectors, seg_lexical, seg_vectors, np.asarray(seg_ids, np.int64),
                      np.asarray(seg_owner, np.int64), restore)


def make_state(store: Store, gen: int, lexical: LexicalIndex, vectors: VectorIndex, seg_lexical: LexicalIndex,
               seg_vectors: VectorIndex, seg_ids: np.ndarray, seg_owner: np.ndarray, restore: dict) -> State:
    """Bundle a generation's indexes with the arrays that make filters and segment aggregation numpy
    operations instead of per-query SQL."""
    ids = lexical.ids
    docs = store.documents()
    doc_index = {d["id"]: i for i, d in enumerate(docs)}
    clause_doc = np.full(len(ids), -1, dtype=np.int32)
    rows = store.clause_documents()
    if rows and len(ids):
        cid = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        didx = np.fromiter((doc_index.get(r[1], -1) for r in rows), dtype=np.int32, count=len(rows))
        pos = np.searchsorted(cid, ids)
        pos[pos >= len(cid)] = 0
        found = cid[pos] == ids
        clause_doc[found] = didx[pos[found]]
    seg_pos = np.searchsorted(ids, seg_lexical.ids) if len(seg_lexical) else np.zeros(0, np.int64)
    counts = np.bincount(seg_pos, minlength=len(ids)) if len(seg_pos) else np.zeros(len(ids), np.int64)
    single = counts[seg_pos] == 1 if len(seg_pos) else np.zeros(0, bool)
    return State(gen, lexical, vectors, seg_lexical, seg_vectors, seg_ids, seg_owner, restore, docs, clause_doc,
                 seg_pos, single)


def vector_index(store: Store, ids: list[int], table: str, dim: int, settings: Settings) -> VectorIndex:
    """Exact search up to settings.ann_threshold vectors, then the configured approximate index (IVF with 8-bit
    scalar quantisation by default, trained on a sample): the choice bench/latency.py measured."""
    kind = settings.ann_kind if len(ids) > settings.ann_threshold else "flat"
    matrix = store.vectors_of(table, None) if ids else np.zeros((0, dim), np.float32)
    train = None
    if kind == "ivf":
        train = matrix[np.random.default_rng(0).choice(len(matrix), min(len(matrix), 100_000), replace=False)]
    index = VectorIndex(dim, kind=kind, train=train, nprobe=settings.ivf_nprobe, expected=len(ids))
    if ids:
        index.add(ids, matrix)
    return index


def filter_mask(state: State, store: Store, doc: list[str] | None = None, doc_type: str | None = None,
                issuer: str | None = None, year_from: int | None = None, year_to: int | None = None,
                topic: str | None = None, address_prefix: str | None = None) -> np.ndarray | None:
    """Boolean mask over state.lexical.ids of the clauses that pass the filters; None when no filter is set. The
    document-level filters are read from the state; the clause-level ones (topic, address) from the store."""
    if not any((doc, doc_type, issuer, year_from, year_to, topic, address_prefix)):
        return None
    ok = np.ones(len(state.filter_docs), dtype=bool)
    wanted = set(doc or [])
    for i, d in enumerate(state.filter_docs):
        if wanted and d["id"] not in wanted:
            ok[i] = False
        elif doc_type and (d["type"] or "").casefold() != doc_type.casefold():
            ok[i] = False
        elif issuer and issuer.casefold() not in (d["issuer"] or "").casefold():
            ok[i] = False
        elif year_from and (d["year"] or 0) < year_from:
            ok[i] = False
        elif year_to and (d["year"] or 9999) > year_to:
            ok[i] = False
    mask = np.zeros(len(state.lexical.ids), dtype=bool)
    known = state.clause_doc >= 0
    mask[known] = ok[state.clause_doc[known]]
    if topic or address_prefix:
        extra = store.clause_ids_where(doc=doc, topic=topic, address_prefix=address_prefix)
        mask &= np.isin(state.lexical.ids, np.fromiter(extra, dtype=np.int64, count=len(extra)))
    return mask
