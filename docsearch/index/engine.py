"""What the ranking reads from a search engine, whichever engine it is: one generation of the index, asked for the
best candidates of each method and for exact scores of a given set of clauses.

Two engines implement it: the local one (bm25s + FAISS built from the store, docsearch/index/build.py `State`) and
Milvus (docsearch/index/milvus.py `MilvusState`). The fusion in docsearch/search/hybrid.py is written once against
this interface; it needs, for each method, the top C candidates with their scores (for the z-normalisation) and
the scores of every clause any method proposed."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np


class Scores(ABC):
    """One query's scores by one lexical method, inside one filter."""

    @abstractmethod
    def top(self, c: int) -> tuple[np.ndarray, np.ndarray]:
        """The (at most) c best clauses with a positive score: (clause ids, scores), in no particular order."""

    @abstractmethod
    def at(self, ids: np.ndarray) -> np.ndarray:
        """The scores of these clauses (0 for a clause the query does not match)."""


class Generation(ABC):
    """One published generation of the index, as the ranking reads it."""

    generation: int
    restore: dict  # diacritic statistics (docsearch/search/restoration.py)

    @abstractmethod
    def where(self, store, filters: dict | None = None, ids=None):
        """The engine's form of a filter (doc, doc_type, issuer, year_from, year_to, topic, address_prefix) and/or a
        set of allowed clause ids; None when nothing is filtered."""

    @abstractmethod
    def excludes_all(self, where) -> bool:
        """Whether the filter is known to let no clause through (the engine may not know: then False)."""

    @abstractmethod
    def bm25(self, field: str, tokens: list[str], where) -> Scores:
        """BM25 of the query's tokens in a field: 'words', 'syllables', 'folded', or 'words_seg' (each clause
        counted by its best segment)."""

    @abstractmethod
    def has_segments(self) -> bool:
        """Whether segment-level entries exist (an empty index has none)."""

    @abstractmethod
    def dense(self, qv: np.ndarray, c: int, where) -> tuple[np.ndarray, np.ndarray]:
        """The c nearest clauses by cosine: (clause ids, scores)."""

    @abstractmethod
    def dense_segments(self, qv: np.ndarray, c: int, where) -> tuple[np.ndarray, np.ndarray]:
        """The c nearest segments of long clauses: (their clauses' ids, scores), a clause possibly repeated."""

    @abstractmethod
    def dense_at(self, qv: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Exact cosines of these clauses."""
