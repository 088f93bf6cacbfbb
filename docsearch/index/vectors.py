"""Dense vectors in FAISS. Vectors are L2-normalised, so inner product is cosine.

- `flat` (default): IndexIDMap2 over exact inner product.
- `ivf`: inverted lists with 8-bit scalar quantisation (IndexIVFScalarQuantizer), for large indexes; the index
  switches to it past `ann_threshold` vectors (see bench/RESULTS.md for the measurements behind the choice).
- `hnsw`: IndexIDMap2 over HNSW, kept for comparison in the benchmarks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


class VectorIndex:
    def __init__(self, dim: int, kind: str = "flat", train: np.ndarray | None = None, nprobe: int | None = None,
                 expected: int | None = None) -> None:
        import faiss

        self.dim = dim
        self.kind = kind
        if kind == "hnsw":
            base = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
            base.hnsw.efConstruction = 80
            base.hnsw.efSearch = 128
            self.index = faiss.IndexIDMap2(base)
        elif kind == "ivf":
            if train is None or len(train) == 0:
                raise ValueError("an IVF index needs training vectors")
            n = expected or len(train) * 10
            nlist = int(max(16, min(8192, round(4 * np.sqrt(n)))))  # 4·sqrt(n) lists: 1,264 at 100k, 4,000 at 1M
            nlist = min(nlist, max(16, len(train) // 30))
            quantizer = faiss.IndexFlatIP(dim)
            ivf = faiss.IndexIVFScalarQuantizer(quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit,
                                                faiss.METRIC_INNER_PRODUCT)
            ivf.train(np.ascontiguousarray(train, dtype=np.float32))
            # e5 vectors are anisotropic (all cosines within a narrow band), so probing must be generous: measured
            # recall@10 ≥ 0.95 needs about nlist/16 lists (bench/RESULTS.md)
            ivf.nprobe = min(nlist, nprobe or max(64, nlist // 16))
            ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
            self.index = ivf
        else:
            self.index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def add(self, ids: list[int] | np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids: list[int]) -> None:
        import faiss

        if ids and self.kind != "hnsw":
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
            if self.kind == "hnsw":
                params = faiss.SearchParametersHNSW(sel=sel, efSearch=256)
            elif self.kind == "ivf":
                # a narrow filter leaves few vectors in the probed lists: probe more of them
                params = faiss.SearchParametersIVF(sel=sel, nprobe=min(self.index.nlist, self.index.nprobe * 4))
            else:
                params = faiss.SearchParameters(sel=sel)
        scores, ids = self.index.search(q, k, params=params) if params is not None else self.index.search(q, k)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def vectors_for(self, ids: list[int] | np.ndarray) -> np.ndarray:
        """The stored vectors of these ids (exact rescoring of candidates found by other methods)."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) == 0:
            return np.zeros((0, self.dim), np.float32)
        if self.kind == "ivf":
            return np.vstack([self.index.reconstruct(int(i)) for i in ids])
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
        if isinstance(self.index, faiss.IndexIVF):
            self.kind = "ivf"
            self.index.set_direct_map_type(faiss.DirectMap.Hashtable)
        else:
            inner = faiss.downcast_index(self.index.index) if hasattr(self.index, "index") else self.index
            self.kind = "hnsw" if "HNSW" in type(inner).__name__ else "flat"
        return self
