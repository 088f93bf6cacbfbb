"""Dense vectors in FAISS: IndexIDMap2 over exact inner product (vectors are L2-normalised, so this is cosine);
HNSW past a size threshold measured in bench/."""

from __future__ import annotations

from pathlib import Path

import numpy as np


class VectorIndex:
    def __init__(self, dim: int, hnsw: bool = False) -> None:
        import faiss

        self.dim = dim
        self.hnsw = hnsw
        if hnsw:
            base = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
            base.hnsw.efConstruction = 80
            base.hnsw.efSearch = 128
            self.index = faiss.IndexIDMap2(base)
        else:
            self.index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def add(self, ids: list[int] | np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids: list[int]) -> None:
        import faiss

        if ids and not self.hnsw:
            self.index.remove_ids(faiss.IDSelectorBatch(np.asarray(ids, dtype=np.int64)))

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        import faiss

        if len(self) == 0 or k <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        k = min(k, len(self))
        params = None
        if allowed is not None:
            if len(allowed) == 0:
                return np.zeros(0, np.int64), np.zeros(0, np.float32)
            sel = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
            params = faiss.SearchParametersHNSW(sel=sel, efSearch=256) if self.hnsw else faiss.SearchParameters(sel=sel)
        scores, ids = self.index.search(q, k, params=params) if params is not None else self.index.search(q, k)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def vectors_for(self, ids: list[int] | np.ndarray) -> np.ndarray:
        """The stored vectors of these ids (exact rescoring of candidates found by other methods)."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) == 0:
            return np.zeros((0, self.dim), np.float32)
        return self.index.reconstruct_batch(ids)

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, dim: int) -> VectorIndex:
        import faiss

        self = cls.__new__(cls)
        self.dim = dim
        self.index = faiss.read_index(str(path))
        self.hnsw = "HNSW" in type(faiss.downcast_index(self.index.index)).__name__
        return self
