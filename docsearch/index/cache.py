"""Embedding cache keyed by (embedder name, text hash): unchanged clauses are never embedded twice."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np


class EmbeddingCache:
    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=60)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS emb (model TEXT, h TEXT, v BLOB, PRIMARY KEY (model, h))")
        self._lock = threading.Lock()

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def embed(self, embedder, texts: list[str], kind: str = "passage") -> np.ndarray:
        """Embed texts, taking what the cache has and storing the rest."""
        model = f"{embedder.name}:{kind}"
        keys = [self.key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                q = f"SELECT h, v FROM emb WHERE model=? AND h IN ({','.join('?' * len(chunk))})"
                for h, blob in self._db.execute(q, [model, *chunk]):
                    found[h] = np.frombuffer(blob, dtype=np.float32)
        missing = [(k, t) for k, t in zip(keys, texts) if k not in found]
        if missing:
            uniq = dict(missing)
            fn = embedder.embed_passages if kind == "passage" else embedder.embed_queries
            vecs = fn(list(uniq.values()))
            with self._lock, self._db:
                for (k, _t), v in zip(uniq.items(), vecs):
                    found[k] = np.asarray(v, dtype=np.float32)
                    self._db.execute("INSERT OR REPLACE INTO emb VALUES (?,?,?)", (model, k, found[k].tobytes()))
        if not texts:
            return np.zeros((0, embedder.dim), np.float32)
        return np.vstack([found[k] for k in keys]).astype(np.float32)

    def close(self) -> None:
        self._db.close()
