"""The interfaces a search backend implements. The in-process backends are `VectorIndex` (FAISS),
`LexicalIndex` (bm25s) and `Store` (SQLite); docs/SCALE.md describes moving past one machine, where a server-based
engine (OpenSearch with k-NN, Qdrant, Milvus) implements these same two protocols and the store moves to a server
database, while parsing, tagging, fusion and linking stay as they are."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np


class VectorBackend(Protocol):
    kind: str

    def __len__(self) -> int: ...

    def add(self, ids: list[int] | np.ndarray, vectors: np.ndarray) -> None: ...

    def remove(self, ids: list[int]) -> None: ...

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (ids, cosine scores), restricted to `allowed` ids when given (filters apply before ranking)."""
        ...

    def vectors_for(self, ids: list[int] | np.ndarray) -> np.ndarray:
        """Stored vectors of candidates found by other methods, for exact rescoring."""
        ...

    def save(self, path: Path) -> None: ...


class LexicalBackend(Protocol):
    ids: np.ndarray  # clause id of each entry, ascending

    def __len__(self) -> int: ...

    def scores(self, field: str, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every entry for one analysed field ("words", "syllables", "folded")."""
        ...

    def save(self, path: Path) -> None: ...
