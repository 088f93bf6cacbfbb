"""BM25 as sparse vectors, for a search engine that stores them (Milvus): which tokens each BM25 field of a clause
holds, the document frequencies and lengths a corpus adds, and the two halves of the BM25 score.

The local index scores BM25 with bm25s (Lucene's variant: idf = ln(1 + (N − df + 0.5) / (df + 0.5)), term part
tf / (tf + k1·(1 − b + b·dl/avgdl))). Split in two, the same score is an inner product: a clause's sparse vector
holds the term parts (they need only the clause and the average length), the query's holds the idf of each of its
tokens (times how often the query repeats it). The statistics behind idf live in the store (`term_df`,
`term_totals`), updated in the transaction that writes each document, so they are exact however the corpus grows;
only the average length baked into the clause vectors is the one of the moment they were written (see
docs/SCALE.md). Pure functions: no store, no engine."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from docsearch.ingest.normalize import fold

K1, B = 1.2, 0.75  # bm25s's defaults; the local index (lexical.py) and the sparse vectors both use them
FIELDS = ("words", "syllables", "folded", "words_seg")  # words_seg: segments of long clauses, short clauses whole
EMPTY = "\u2205"  # what bm25s indexes for a clause with no token (length 1)
PRUNE_FROM = 20_000  # past this many entries, query tokens in over MAX_DF of them are dropped (both engines)
MAX_DF = 0.5


def clause_fields(tok_words: str, tok_syl: str) -> dict[str, list[str]]:
    """The clause-level BM25 fields of one clause from its stored tokens."""
    syl = (tok_syl or "").split()
    return {"words": (tok_words or "").split(), "syllables": syl, "folded": [fold(s) for s in syl]}


def seg_entries(tok_words: str, segments: list[str]) -> list[list[str]]:
    """The entries a clause adds to the segment field: its segments' words, or its own words when it has none."""
    return [s.split() for s in segments] if segments else [(tok_words or "").split()]


def _indexed(tokens: list[str]) -> list[str]:
    return tokens or [EMPTY]


def corpus_counts(rows: Iterable[tuple[str, str, list[str]]]) -> tuple[dict[str, Counter], dict[str, list[int]]]:
    """(field → token → document frequency, field → [entries, total length]) of clauses given as (tok_words,
    tok_syl, segment tok_words)."""
    df: dict[str, Counter] = {f: Counter() for f in FIELDS}
    totals: dict[str, list[int]] = {f: [0, 0] for f in FIELDS}

    def count(field: str, tokens: list[str]) -> None:
        toks = _indexed(tokens)
        df[field].update(set(toks))
        totals[field][0] += 1
        totals[field][1] += len(toks)

    for tok_words, tok_syl, segments in rows:
        for field, tokens in clause_fields(tok_words, tok_syl).items():
            count(field, tokens)
        for entry in seg_entries(tok_words, segments):
            count("words_seg", entry)
    return df, totals


def idf(n: int, df: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def doc_weights(tokens: list[str], avgdl: float) -> dict[str, float]:
    """The term parts of BM25 for one entry: token → tf / (tf + k1·(1 − b + b·dl/avgdl))."""
    toks = _indexed(tokens)
    norm = K1 * (1.0 - B + B * len(toks) / (avgdl or 1.0))
    return {t: tf / (tf + norm) for t, tf in Counter(toks).items()}


def query_weights(tokens: list[str], stats: dict[str, tuple[int, int]], n: int) -> dict[int, float]:
    """term id → idf × count of each query token the corpus has (`stats`: token → (term id, df)); in a large
    corpus the tokens found in over half of the entries are dropped when the query has others (as the local
    index does)."""
    known = [t for t in tokens if t in stats and stats[t][1] > 0]
    if n >= PRUNE_FROM:
        rare = [t for t in known if stats[t][1] <= MAX_DF * n]
        known = rare or known
    out: dict[int, float] = {}
    for t, c in Counter(known).items():
        term_id, df = stats[t]
        out[term_id] = idf(n, df) * c
    return out
