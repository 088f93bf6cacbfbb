"""The index facade: open / add / remove / commit / snapshot / search, coordinating the parts that each live in
their own module — the SQLite store (store.py, the source of truth), the derived BM25 and vector indexes
(build.py), their generations on disk and the writer's lock (generations.py), the embedding cache (cache.py) and
the embedder (embedders.py).

Where search runs is the engine (DOCSEARCH_BACKEND): `local` derives bm25s + FAISS files from the store (build.py,
generations.py); `milvus` keeps the same rows in a Milvus server, written from the store's outbox (milvus.py).
The ranking reads either through one interface (engine.py).

Concurrency model, local engine: one writer (the lock file held while a batch ingests), many readers. Every
document is one store transaction; the derived files of a generation are published atomically. A reader that finds
the store newer than the derived files it has loads the newer published files or rebuilds them in memory, so it
always sees the last committed documents and never a half-written one. Milvus engine: no lock file; writers on any
machine are serialised by the store's transactions, and a search sees the generation the last sync published."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from docsearch.config import get_settings
from docsearch.errors import DocsearchError, IndexMismatchError, NotFoundError
from docsearch.index import build as builder
from docsearch.index import generations
from docsearch.index.build import Pending, State, no_pending
from docsearch.index.cache import EmbeddingCache
from docsearch.index.embedders import Embedder, get_embedder
from docsearch.index.engine import Generation
from docsearch.index.lexical import LexicalIndex
from docsearch.index.milvus import MilvusEngine, MilvusState
from docsearch.index.store import Store, open_store
from docsearch.index.vectors import VectorIndex
from docsearch.model import Document
from docsearch.search.hybrid import Hits
from docsearch.search.hybrid import search as hybrid_search
from docsearch.search.query import Aliases
from docsearch.structure.passages import lexical_text, passage_text, passages
from docsearch.text.analysis import analyze, segments, words

__all__ = ["ENGINES", "Index", "State", "Store", "backup_index", "migrate_engine"]

ENGINES = ("local", "milvus")


def backup_index(path: str | Path, dest: str | Path) -> dict:
    """Write a consistent copy of the store of the index at `path` (documents, clauses with their vectors, tags,
    links and the staff's decisions) into the folder `dest`, with a manifest. Safe while a server reads and a
    writer writes: the SQLite online backup copies one committed state. No embedder is loaded and no lock taken.
    The BM25/FAISS files are derived and are rebuilt on restore."""
    if get_settings().database_url:
        from docsearch.index.store_pg import refuse_backup

        refuse_backup()
    src = Path(path) / "docsearch.sqlite"
    if not src.exists():
        raise NotFoundError(f"{path}: không có chỉ mục ở đây (no index)")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    store = Store(src)
    try:
        store.backup_to(dest / "docsearch.sqlite")
    finally:
        store.close()
    copy = Store(dest / "docsearch.sqlite")
    try:
        manifest = {"format": "docsearch-backup-1", "generation": copy.generation(),
                    "embedder": copy.get_meta("embedder"), "dim": copy.get_meta("dim"),
                    "documents": len(copy.documents()), "decisions": len(copy.decisions()),
                    "links": len(copy.decisions(include_suggested=True))}
    finally:
        copy.close()
    (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _milvus_engine(store: Store, settings, dim: int):
    from docsearch.index.milvus import MilvusEngine

    if not settings.milvus_uri:
        raise DocsearchError("DOCSEARCH_BACKEND=milvus cần địa chỉ máy chủ Milvus: DOCSEARCH_MILVUS_URI",
                             en="DOCSEARCH_BACKEND=milvus needs the Milvus server: set DOCSEARCH_MILVUS_URI")
    return MilvusEngine(settings.milvus_uri, store, dim, settings.milvus_index, settings.milvus_token,
                        settings.milvus_shards, settings.milvus_replicas)


def migrate_engine(path: str | Path, to: str) -> dict:
    """Move an index's search to another engine (docsearch migrate --to milvus|local): the store stays as it is;
    for Milvus its BM25 statistics are counted, every clause is queued and written to fresh collections; for the
    local engine the derived files are rebuilt from the store at the next open. Nothing is re-embedded."""
    settings = get_settings()
    if to not in ENGINES:
        raise DocsearchError(f"--to {to}: chỉ có {', '.join(ENGINES)}", en=f"--to {to}: one of {', '.join(ENGINES)}")
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    lock = generations.WriteLock(path, settings.lock_timeout)  # no local writer may be at work meanwhile
    store = open_store(path, settings.database_url)
    try:
        dim = int(store.get_meta("dim") or 0)
        was = store.engine
        if was == "milvus" and to != "milvus" and settings.milvus_uri:
            _milvus_engine(store, settings, dim).drop()
        store.track_terms(to)
        written = 0
        if to == "milvus":
            if not dim:
                raise DocsearchError(f"{path}: chỉ mục trống, chưa có gì để chuyển", en=f"{path}: the index is empty")
            _milvus_engine(store, settings, dim).drop()  # fresh collections: no row of an earlier move stays
            written = _milvus_engine(store, settings, dim).sync(store)
        documents, clauses = store.counts()
        return {"from": was, "to": to, "documents": documents, "clauses": clauses, "written": written,
                "generation": store.generation()}
    finally:
        store.close()
        lock.release()


class Index:
    def __init__(self, path: str | Path, embedder: Embedder | None = None, writable: bool = False,
                 reembed: bool = False, lock_timeout: float | None = None) -> None:
        settings = get_settings()
        if settings.backend not in ENGINES:
            raise DocsearchError(f"DOCSEARCH_BACKEND={settings.backend}: chỉ có {', '.join(ENGINES)}",
                                 en=f"DOCSEARCH_BACKEND={settings.backend}: one of {', '.join(ENGINES)}")
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._lock: generations.WriteLock | None = None
        self._writable = writable
        if writable and settings.backend == "local":  # a server engine needs no lock file: the store serialises
            self._lock = generations.WriteLock(self.path, settings.lock_timeout if lock_timeout is None else lock_timeout)
        self.milvus: MilvusEngine | None = None
        self._mem_lock = threading.RLock()
        self._state: Generation | None = None
        self._pending: Pending | None = no_pending()
        self._pending_writes = 0  # documents written since the state was loaded
        self._dirty = False
        self._docs_cache: tuple[int, list[dict], Aliases] | None = None
        try:
            self.store = open_store(self.path, settings.database_url)
            self.cache = EmbeddingCache(settings.cache_path(self.path / "embeddings.sqlite"))
            self.embedder = embedder if embedder is not None else get_embedder()
            self._check_engine(settings)
            self._check_embedder(writable, reembed)
        except BaseException:
            self.close()
            raise

    def _check_engine(self, settings) -> None:
        """The engine configured must be the one the index was built for (an empty index takes the configured
        one); a Milvus engine is connected here."""
        stored = self.store.engine
        if stored != settings.backend:
            if self.store.counts()[0]:
                raise IndexMismatchError(
                    f"{self.path}: chỉ mục này tìm kiếm trên '{stored}', cấu hình là '{settings.backend}'; chuyển "
                    f"bằng lệnh: docsearch migrate --to {settings.backend}",
                    en=f"{self.path}: this index searches on '{stored}', the configuration says "
                       f"'{settings.backend}'; move it with: docsearch migrate --to {settings.backend}")
            self.store.track_terms(settings.backend)
        if settings.backend == "milvus":
            self.milvus = _milvus_engine(self.store, settings, self.embedder.dim)

    def _check_embedder(self, writable: bool, reembed: bool) -> None:
        name, dim = self.store.get_meta("embedder"), self.store.get_meta("dim")
        if name is None:
            self.store.set_meta("embedder", self.embedder.name)
            self.store.set_meta("dim", str(self.embedder.dim))
        elif name != self.embedder.name or int(dim or 0) != self.embedder.dim:
            if not reembed:
                raise IndexMismatchError(
                    f"{self.path}: chỉ mục được lập bằng mô hình nhúng '{name}' (dim {dim}), không phải "
                    f"'{self.embedder.name}' (dim {self.embedder.dim}); hãy dùng mô hình đó, hoặc lập lại bằng --reembed",
                    en=f"{self.path}: the index was built with embedder '{name}' (dim {dim}), not "
                       f"'{self.embedder.name}' (dim {self.embedder.dim}); use that embedder, or rebuild with --reembed")
            if not writable:
                raise IndexMismatchError("--reembed cần chỉ mục ghi được (chạy cùng lệnh ingest)")
            self._reembed()

    @property
    def writable(self) -> bool:
        return self._writable

    # -- the loaded state, read through one reference ---------------------------------------------------
    @property
    def loaded_generation(self) -> int:
        return self._state.generation if self._state is not None else -1

    def snapshot(self) -> Generation:
        """The current loaded state (loading or building it when needed)."""
        self.ensure_loaded()
        assert self._state is not None
        return self._state

    @property
    def lexical(self) -> LexicalIndex:
        return self._local().lexical

    @property
    def vectors(self) -> VectorIndex:
        return self._local().vectors

    def _local(self) -> State:
        """The local engine's state (its BM25 and FAISS indexes); a server engine has none here."""
        st = self.snapshot()
        if not isinstance(st, State):
            raise DocsearchError("chỉ mục này tìm kiếm trên máy chủ, không có tệp BM25/FAISS cục bộ",
                                 en="this index searches on a server engine: it has no local BM25/FAISS files")
        return st

    @property
    def restore(self) -> dict:
        """The diacritic statistics of the current generation."""
        return self.snapshot().restore

    # -- writing ---------------------------------------------------------------------------------------
    def needs_update(self, doc: Document) -> bool:
        return self.store.content_hash(doc.id) != doc.content_hash

    def prepare(self, docs: list[Document], batch: int = 64) -> None:
        """Embed the passages and segments of many documents in large batches ahead of `add` (the embedding cache
        keeps them): a batch embeds several times faster than one short document at a time."""
        texts: list[str] = []
        for doc in docs:
            if self.needs_update(doc):
                texts.extend(passages(doc))
                texts.extend(t for c in doc.clauses for t in segments(c.text))
        for i in range(0, len(texts), batch):
            self.cache.embed(self.embedder, texts[i:i + batch], "passage")

    def add(self, doc: Document, tagger=None, actor: str | None = None) -> bool:
        """Insert or replace a document; False when it is already indexed unchanged. `actor`: who added it (kept
        with the document and in the audit trail)."""
        if not self.needs_update(doc):
            return False
        by_address = {c.address: c for c in doc.clauses}
        texts = [passage_text(doc, c, by_address) for c in doc.clauses]
        tokens = [analyze(lexical_text(doc, c, by_address)) for c in doc.clauses]
        vectors = self.cache.embed(self.embedder, texts, "passage")
        # long clauses are also indexed as segments, each scored on its own and counted by the best one
        seg_texts = [segments(c.text) for c in doc.clauses]
        flat = [t for segs in seg_texts for t in segs]
        flat_vecs = self.cache.embed(self.embedder, flat, "passage") if flat else np.zeros((0, self.embedder.dim))
        seg_rows, k = [], 0
        for segs in seg_texts:
            seg_rows.append([(words(t), flat_vecs[k + j]) for j, t in enumerate(segs)])
            k += len(segs)
        if tagger is not None:
            tagger.tag_document(doc, vectors=vectors)
        removed, added, seg_removed, seg_added = self.store.put_document(doc, tokens, vectors, seg_rows, actor=actor)
        self._note_pending(removed, added, seg_removed, seg_added)
        return True

    def remove(self, doc_id: str, actor: str | None = None) -> bool:
        removed, seg_removed = self.store.remove_document(doc_id, actor=actor)
        self._note_pending(removed, [], seg_removed, [])
        return bool(removed)

    def _note_pending(self, removed: list[int], added: list[int], seg_removed: list[int],
                      seg_added: list[int]) -> None:
        self._dirty = True
        if self._pending is not None and self.loaded_generation >= 0:
            self._pending[0].extend(removed)
            self._pending[1].extend(added)
            self._pending[2].extend(seg_removed)
            self._pending[3].extend(seg_added)
            self._pending_writes += 1

    def retag(self, tagger) -> int:
        """Tag every stored document again (after the taxonomy was edited); no re-embedding. The index then keeps
        the tagger's fingerprint."""
        n = 0
        for d in self.store.documents():
            doc = self.store.document(d["id"])
            if doc is None:
                continue
            tagger.tag_document(doc, vectors=self.store.clause_vectors(doc.id))
            self.store.replace_tags(doc.id, {c.address: c.tags for c in doc.clauses}, doc.tags)
            n += 1
        self.store.set_meta("tagger", tagger.fingerprint)
        return n

    def retag_if_stale(self, tagger) -> int:
        """Before documents are added with `tagger`: when the stored tags were made by another tagger (older code,
        an edited taxonomy, other parameters), tag every document again, so that one index never mixes two
        taggers' tags; the number of documents tagged again (0 when the tags are current)."""
        if self.store.get_meta("tagger") == tagger.fingerprint:
            return 0
        return self.retag(tagger)

    def _reembed(self) -> None:
        """Embed every stored document again with this index's embedder (clauses and segments); tags, links and
        references are kept."""
        self.store.set_meta("embedder", self.embedder.name)
        self.store.set_meta("dim", str(self.embedder.dim))
        for d in self.store.documents():
            doc = self.store.document(d["id"])
            if doc is None:
                continue
            original = doc.content_hash
            doc.content_hash = original + ":reembed"  # differs from the stored hash, so add() rewrites the document
            self.add(doc)
            self.store.set_content_hash(doc.id, original)
        self._dirty = True

    def commit(self) -> None:
        """Publish what was written: the derived indexes of the current store generation (local, atomic), or the
        queued rows written to Milvus and their generation published."""
        if self.milvus is not None:
            self.milvus.sync(self.store)
            self._dirty = False
            self.ensure_loaded()
            return
        gen = self.store.generation()
        if self._dirty and self.loaded_generation >= 0 and self.loaded_generation + self._pending_writes == gen:
            with self._mem_lock:
                self._build(gen, incremental=True)
        else:
            self.ensure_loaded(force_build=self._dirty)
        self._pending_writes = 0
        generations.publish(self.path, self._local(), self.embedder.name)
        self._dirty = False

    # -- reading ---------------------------------------------------------------------------------------
    def ensure_loaded(self, force_build: bool = False) -> None:
        """Make the derived indexes current.

        A writer needs them to match the store exactly. A reader serves the last published generation: it loads a
        newer one when a writer publishes it, and while a writer is working it keeps the one it has. It builds in
        memory only when nothing usable is published and no writer is at work (e.g. after a writer was killed
        between its last transaction and publishing)."""
        if self.milvus is not None:
            self._follow_milvus()
            return
        gen = self.store.generation()
        if gen == self.loaded_generation and not force_build:
            return
        with self._mem_lock:
            gen = self.store.generation()
            if gen == self.loaded_generation and not force_build:
                return
            if force_build:
                self._build(gen)
                return
            published = generations.published_generation(self.path, self.embedder.name)
            if self.writable:
                if published == gen and self._load_published(gen):
                    return
                self._build(gen)
                return
            if published is not None and published > self.loaded_generation and self._load_published(published):
                if published == gen or generations.writer_active(self.path):
                    return
            elif self.loaded_generation >= 0 and generations.writer_active(self.path):
                return
            if self.loaded_generation != gen:
                self._build(gen)

    def _follow_milvus(self) -> None:
        """Serve the generation the last Milvus sync published."""
        gen = int(self.store.get_meta("milvus_generation") or 0)
        if gen == self.loaded_generation:
            return
        with self._mem_lock:
            if gen != self.loaded_generation and self.milvus is not None:
                previous = self._state if isinstance(self._state, MilvusState) else None
                self._state = self.milvus.state(self.store, previous=previous)

    def _load_published(self, gen: int) -> bool:
        state = generations.load_published(self.path, self.store, gen, self.embedder.name, self.embedder.dim)
        if state is None:
            return False
        self._state = state
        self._pending = no_pending()
        return True

    def _build(self, gen: int, incremental: bool = False) -> None:
        previous = self._state if incremental and isinstance(self._state, State) else None
        self._state = builder.build(self.store, gen, self.embedder.dim, get_settings(), previous=previous,
                                    pending=self._pending if incremental else None)
        self._pending = no_pending()

    # -- backup (taking one needs no Index: backup_index) ------------------------------------------------
    def restore_backup(self, src: str | Path) -> dict:
        """Replace this index's whole content with the backup in folder `src` and publish it (writer only)."""
        if not self.writable:
            raise IndexMismatchError("khôi phục cần chỉ mục ghi được")
        src = Path(src)
        db = src / "docsearch.sqlite" if src.is_dir() else src
        if not db.exists():
            raise NotFoundError(f"{src}: không có bản sao lưu (thiếu docsearch.sqlite)")
        probe = Store(db)
        try:
            name, dim = probe.get_meta("embedder"), probe.get_meta("dim")
        finally:
            probe.close()
        if name is not None and (name != self.embedder.name or int(dim or 0) != self.embedder.dim):
            raise IndexMismatchError(f"{src}: bản sao lưu được lập bằng mô hình nhúng '{name}' (dim {dim}), không phải "
                                     f"'{self.embedder.name}'; hãy khôi phục khi cấu hình mô hình đó")
        try:
            self.store.restore_from(db)
        except ValueError as exc:
            raise DocsearchError(str(exc)) from None
        if self.milvus is not None:  # the engine's rows are rewritten from the restored store
            self.milvus.drop()
            self.milvus = _milvus_engine(self.store, get_settings(), self.embedder.dim)
        self.store.track_terms(get_settings().backend)
        self._state = None
        self._pending = no_pending()
        self._pending_writes = 0
        self._dirty = True
        self.commit()
        return {"documents": len(self.store.documents()), "decisions": len(self.store.decisions()),
                "generation": self.store.generation()}

    def documents(self) -> list[dict]:
        """The document list, cached per store generation."""
        return self._documents()[1]

    def aliases(self) -> Aliases:
        """Document numbers and titles for query understanding, prepared once per generation."""
        return self._documents()[2]

    def _documents(self) -> tuple[int, list[dict], Aliases]:
        gen = self.store.generation()
        cached = self._docs_cache
        if cached is None or cached[0] != gen:
            docs = self.store.documents()
            cached = self._docs_cache = (gen, docs, Aliases(docs, self.store.implementers()))
        return cached

    def search(self, query: str, k: int = 10, **kwargs) -> Hits:
        return hybrid_search(self, query, k=k, **kwargs)

    def close(self) -> None:
        if self.milvus is not None:
            self.milvus.client.close()
            self.milvus = None
        for part in ("store", "cache"):
            if hasattr(self, part):
                getattr(self, part).close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
