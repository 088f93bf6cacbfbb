"""The index facade: open / add / remove / search / commit over the SQLite store, BM25 fields and FAISS.

Concurrency model: one writer (an exclusive lock file held while a batch ingests), many readers. SQLite is the
source of truth and every document is one transaction; the derived BM25/FAISS files are written to a new folder,
fsynced, and published by atomically replacing the CURRENT pointer. A reader that finds the store newer than the
derived files it has loads the newer published files or rebuilds them in memory, so it always sees the last
committed documents and never a half-written one."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import tempfile
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from docsearch.errors import DocsearchError, IndexMismatchError, NotFoundError
from docsearch.index.analysis import analyze, segments, words
from docsearch.index.cache import EmbeddingCache
from docsearch.index.lexical import FIELDS, LexicalIndex
from docsearch.index.store import Store
from docsearch.index.vectors import VectorIndex
from docsearch.ingest.normalize import fold
from docsearch.model import Clause, Document


@dataclass
class State:
    """Everything a search reads, built together and swapped in by one assignment: a search that took a
    reference to it never sees half of a newer generation (the race the concurrency test caught)."""

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


RESTORE_SAMPLE = 200_000  # clauses whose syllables feed the diacritic-restoration statistics


def clause_context(doc: Document, clause: Clause, by_address: dict[str, Clause]) -> str:
    """Ancestor headings (first line, shortened), which give a bullet its subject."""
    parts = []
    parent = clause.parent
    while parent and parent in by_address:
        p = by_address[parent]
        parts.append(p.heading[:160])
        parent = p.parent
    return " / ".join(reversed(parts))


def _clause_body(clause: Clause) -> str:
    if clause.fields:
        return clause.text + " " + " ".join(f"{k}: {v}" for k, v in clause.fields.items())
    return clause.text


def passage_text(doc: Document, clause: Clause, by_address: dict[str, Clause]) -> str:
    """What is embedded: the document's title, the ancestor headings, the clause (and its table fields)."""
    head = (doc.metadata.title or "")[:200]
    return "\n".join(x for x in (head, clause_context(doc, clause, by_address), _clause_body(clause)) if x)


def lexical_text(doc: Document, clause: Clause, by_address: dict[str, Clause]) -> str:
    """What the BM25 fields index: the ancestor headings and the clause (the title would match everywhere)."""
    return "\n".join(x for x in (clause_context(doc, clause, by_address), _clause_body(clause)) if x)


def _fsync_dir(path: Path) -> None:
    fd = os.open(str(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_index(path: str | Path, dest: str | Path) -> dict:
    """Write a consistent copy of the store of the index at `path` (documents, clauses with their vectors, tags,
    links and the staff's decisions) into the folder `dest`, with a manifest. Safe while a server reads and a
    writer writes: the SQLite online backup copies one committed state. No embedder is loaded and no lock taken.
    The BM25/FAISS files are derived and are rebuilt on restore."""
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


class Index:
    def __init__(self, path: str | Path, embedder=None, writable: bool = False, reembed: bool = False) -> None:
        from docsearch.index.embedders import get_embedder

        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._lock_fh = None
        if writable:
            self._lock_fh = open(self.path / "write.lock", "a+")
            fcntl.flock(self._lock_fh, fcntl.LOCK_EX)
        self._mem_lock = threading.RLock()
        self._state: State | None = None
        # writes of this process since the vectors were loaded: (removed, added, removed segments, added segments)
        self._pending: tuple[list[int], list[int], list[int], list[int]] | None = ([], [], [], [])
        self._pending_writes = 0  # documents written since the state was loaded
        self._dirty = False
        self.store = Store(self.path / "docsearch.sqlite")
        from docsearch.config import get_settings

        self.cache = EmbeddingCache(get_settings().cache_path(self.path / "embeddings.sqlite"))
        self.embedder = embedder if embedder is not None else get_embedder()
        name, dim = self.store.get_meta("embedder"), self.store.get_meta("dim")
        if name is None:
            self.store.set_meta("embedder", self.embedder.name)
            self.store.set_meta("dim", str(self.embedder.dim))
        elif name != self.embedder.name or int(dim or 0) != self.embedder.dim:
            if not reembed:
                raise IndexMismatchError(
                    f"{self.path}: the index was built with embedder '{name}' (dim {dim}), not "
                    f"'{self.embedder.name}' (dim {self.embedder.dim}); use that embedder, or rebuild with --reembed"
                )
            if not writable:
                raise IndexMismatchError("--reembed needs a writable index (run it from ingest)")
            self._reembed()

    # -- the loaded state, read through one reference ---------------------------------------------------
    @property
    def loaded_generation(self) -> int:
        return self._state.generation if self._state is not None else -1

    @property
    def lexical(self) -> LexicalIndex | None:
        return self._state.lexical if self._state is not None else None

    @property
    def vectors(self) -> VectorIndex | None:
        return self._state.vectors if self._state is not None else None

    @property
    def seg_lexical(self) -> LexicalIndex | None:
        return self._state.seg_lexical if self._state is not None else None

    @property
    def seg_vectors(self) -> VectorIndex | None:
        return self._state.seg_vectors if self._state is not None else None

    @property
    def seg_ids(self) -> np.ndarray:
        return self._state.seg_ids if self._state is not None else np.zeros(0, np.int64)

    @property
    def seg_owner(self) -> np.ndarray:
        return self._state.seg_owner if self._state is not None else np.zeros(0, np.int64)

    @property
    def restore(self) -> dict | None:
        return self._state.restore if self._state is not None else None

    def snapshot(self) -> State:
        """The current loaded state (loading or building it when needed)."""
        self.ensure_loaded()
        assert self._state is not None
        return self._state

    # -- writing ---------------------------------------------------------------------------------------
    def needs_update(self, doc: Document) -> bool:
        return self.store.content_hash(doc.id) != doc.content_hash

    def prepare(self, docs: list[Document], batch: int = 64) -> None:
        """Embed the passages and segments of many documents in large batches ahead of `add` (the embedding cache
        keeps them): a batch embeds several times faster than one short document at a time."""
        texts: list[str] = []
        for doc in docs:
            if not self.needs_update(doc):
                continue
            by_address = {c.address: c for c in doc.clauses}
            texts.extend(passage_text(doc, c, by_address) for c in doc.clauses)
            texts.extend(t for c in doc.clauses for t in segments(c.text))
        for i in range(0, len(texts), batch):
            self.cache.embed(self.embedder, texts[i:i + batch], "passage")

    def add(self, doc: Document, tagger=None) -> bool:
        """Insert or replace a document; False when it is already indexed unchanged."""
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
        removed, added, seg_removed, seg_added = self.store.put_document(doc, tokens, vectors, seg_rows)
        self._note_pending(removed, added, seg_removed, seg_added)
        return True

    def remove(self, doc_id: str) -> bool:
        removed, seg_removed = self.store.remove_document(doc_id)
        self._note_pending(removed, [], seg_removed, [])
        return bool(removed)

    def _note_pending(self, removed, added, seg_removed, seg_added) -> None:
        self._dirty = True
        if self._pending is not None and self.loaded_generation >= 0:
            self._pending[0].extend(removed)
            self._pending[1].extend(added)
            self._pending[2].extend(seg_removed)
            self._pending[3].extend(seg_added)
            self._pending_writes += 1

    def retag(self, tagger) -> int:
        """Tag every stored document again (after the taxonomy was edited); no re-embedding."""
        n = 0
        for d in self.store.documents():
            doc = self.store.document(d["id"])
            if doc is None:
                continue
            tagger.tag_document(doc, vectors=self.store.clause_vectors(doc.id))
            self.store.replace_tags(doc.id, {c.address: c.tags for c in doc.clauses}, doc.tags)
            n += 1
        return n

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
            self.store.db.execute("UPDATE documents SET content_hash=? WHERE id=?", (original, doc.id))
        self._dirty = True

    def commit(self) -> None:
        """Publish derived indexes for the current store generation (atomic)."""
        gen = self.store.generation()
        writes = self._pending_writes
        if self._dirty and self.loaded_generation >= 0 and self.loaded_generation + writes == gen:
            with self._mem_lock:
                self._build(gen, incremental=True)
        else:
            self.ensure_loaded(force_build=self._dirty)
        self._pending_writes = 0
        gen = self.loaded_generation
        tmp = Path(tempfile.mkdtemp(prefix=f".derived-{gen}-", dir=self.path))
        assert self.lexical is not None and self.vectors is not None
        self.lexical.save(tmp)
        self.vectors.save(tmp / "vectors.faiss")
        self.seg_lexical.save(tmp / "segments")
        self.seg_vectors.save(tmp / "segments.faiss")
        np.save(tmp / "seg_ids.npy", self.seg_ids)
        np.save(tmp / "seg_owner.npy", self.seg_owner)
        (tmp / "restore.json").write_text(json.dumps(self.restore, ensure_ascii=False))
        (tmp / "stamp.json").write_text(json.dumps({"generation": gen, "embedder": self.embedder.name}))
        for f in tmp.rglob("*"):
            if f.is_file():
                with open(f, "rb") as fh:
                    os.fsync(fh.fileno())
        final = self.path / f"derived-{gen}"
        if final.exists():
            shutil.rmtree(final)
        os.rename(tmp, final)
        _fsync_dir(self.path)
        ptr = self.path / "CURRENT.tmp"
        ptr.write_text(final.name)
        with open(ptr, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(ptr, self.path / "CURRENT")
        _fsync_dir(self.path)
        for old in self.path.glob("derived-*"):
            if old.name != final.name:
                shutil.rmtree(old, ignore_errors=True)
        for old in self.path.glob(".derived-*"):
            shutil.rmtree(old, ignore_errors=True)
        self._dirty = False

    # -- reading ---------------------------------------------------------------------------------------
    def ensure_loaded(self, force_build: bool = False) -> None:
        """Make the derived indexes current.

        A writer needs them to match the store exactly. A reader serves the last published generation: it loads a
        newer one when a writer publishes it, and while a writer is working it keeps the one it has. It builds in
        memory only when nothing usable is published and no writer is at work (e.g. after a writer was killed
        between its last transaction and publishing)."""
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
            published = self._published_generation()
            if self._lock_fh is not None:  # the writer
                if published == gen and self._load_published(gen):
                    return
                self._build(gen)
                return
            if published is not None and published > self.loaded_generation and self._load_published(published):
                if published == gen or self._writer_active():
                    return
            elif self.loaded_generation >= 0 and self._writer_active():
                return
            if self.loaded_generation != gen:
                self._build(gen)

    def _writer_active(self) -> bool:
        try:
            with open(self.path / "write.lock", "a+") as fh:
                try:
                    fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
                except BlockingIOError:
                    return True
                fcntl.flock(fh, fcntl.LOCK_UN)
                return False
        except OSError:
            return False

    def _published_generation(self) -> int | None:
        try:
            d = self.path / (self.path / "CURRENT").read_text().strip()
            stamp = json.loads((d / "stamp.json").read_text())
        except (OSError, ValueError):
            return None
        return stamp.get("generation") if stamp.get("embedder") == self.embedder.name else None

    def _load_published(self, gen: int) -> bool:
        cur = self.path / "CURRENT"
        if not cur.exists():
            return False
        d = self.path / cur.read_text().strip()
        try:
            stamp = json.loads((d / "stamp.json").read_text())
            if stamp.get("generation") != gen or stamp.get("embedder") != self.embedder.name:
                return False
            lexical = LexicalIndex.load(d)
            vectors = VectorIndex.load(d / "vectors.faiss", self.embedder.dim)
            seg_lexical = LexicalIndex.load(d / "segments")
            seg_vectors = VectorIndex.load(d / "segments.faiss", self.embedder.dim)
            seg_ids, seg_owner = np.load(d / "seg_ids.npy"), np.load(d / "seg_owner.npy")
            restore = json.loads((d / "restore.json").read_text())
        except (OSError, ValueError, RuntimeError, KeyError):
            return False
        self._state = self._make_state(gen, lexical, vectors, seg_lexical, seg_vectors, seg_ids, seg_owner, restore)
        self._pending = ([], [], [], [])
        return True

    def _build(self, gen: int, incremental: bool = False) -> None:
        """Build the derived indexes from the store. BM25 is always rebuilt (bm25s has no update); the vectors are
        updated in place when only the pending writes of this process happened since they were loaded."""
        from docsearch.config import get_settings

        settings = get_settings()
        db = self.store.db
        intern = sys.intern
        ids = [r[0] for r in db.execute("SELECT id FROM clauses ORDER BY id")]
        lexical = LexicalIndex(FIELDS)
        lexical.ids = np.asarray(ids, dtype=np.int64)
        # one field at a time, tokens interned: a million clauses fit in a few GB
        words_of = [[intern(t) for t in (tw or "").split()] for (tw,) in db.execute("SELECT tok_words FROM clauses ORDER BY id")]
        lexical.add_field("words", words_of)
        # segment level: every clause once (short ones are their own segment) plus the segments of long ones
        has_segments: set[int] = set()
        seg_ids, seg_owner, seg_lex_ids, seg_toks = [], [], [], []
        for sid, cid, tw in self.store.iter_segment_token_rows():
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
        uni: dict[str, Counter] = defaultdict(Counter)
        bi: dict[str, Counter] = defaultdict(Counter)
        folded_of: dict[str, str] = {}
        syl = []
        for n, (ts,) in enumerate(db.execute("SELECT tok_syl FROM clauses ORDER BY id")):
            s = [intern(t) for t in (ts or "").split()]
            syl.append(s)
            if n < RESTORE_SAMPLE:  # statistics for diacritic restoration: a large sample is enough
                for a in s:
                    uni[folded_of.get(a) or folded_of.setdefault(a, intern(fold(a)))][a] += 1
                for a, b in zip(s, s[1:]):
                    bi[folded_of[a] + " " + folded_of[b]][a + " " + b] += 1
        lexical.add_field("syllables", syl)
        folded = [[folded_of.get(a) or folded_of.setdefault(a, intern(fold(a))) for a in s] for s in syl]
        del syl
        lexical.add_field("folded", folded)
        del folded
        restore = {
            "uni": {k: dict(c.most_common(4)) for k, c in uni.items()},
            "bi": {k: dict(c.most_common(3)) for k, c in bi.items() if sum(c.values()) >= 2},
        }
        del uni, bi
        grown_past_threshold = self.vectors is not None and self.vectors.kind == "flat" and len(ids) > settings.ann_threshold
        if (incremental and self.vectors is not None and self.vectors.kind != "hnsw" and self._pending is not None
                and not grown_past_threshold):
            removed, added, seg_removed, seg_added = self._pending
            vectors, seg_vectors = self.vectors, self.seg_vectors
            vectors.remove(removed)
            seg_vectors.remove(seg_removed)
            if added:
                vectors.add(added, self.store.vectors_of("clauses", added))
            if seg_added:
                seg_vectors.add(seg_added, self.store.vectors_of("segments", seg_added))
        else:
            vectors = self._vector_index(ids, "clauses", settings)
            seg_vectors = self._vector_index(seg_ids, "segments", settings)
        self._state = self._make_state(gen, lexical, vectors, seg_lexical, seg_vectors, np.asarray(seg_ids, np.int64),
                                       np.asarray(seg_owner, np.int64), restore)
        self._pending = ([], [], [], [])

    def _make_state(self, gen, lexical, vectors, seg_lexical, seg_vectors, seg_ids, seg_owner, restore) -> State:
        """Bundle a generation's indexes with the arrays that make filters and segment aggregation numpy
        operations instead of per-query SQL."""
        ids = lexical.ids
        docs = self.store.documents()
        doc_index = {d["id"]: i for i, d in enumerate(docs)}
        clause_doc = np.full(len(ids), -1, dtype=np.int32)
        rows = self.store.db.execute("SELECT id, doc_id FROM clauses ORDER BY id").fetchall()
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

    def filter_mask(self, state: State | None = None, doc: list[str] | None = None, doc_type: str | None = None,
                    issuer: str | None = None, year_from: int | None = None, year_to: int | None = None,
                    topic: str | None = None, address_prefix: str | None = None) -> np.ndarray | None:
        """Boolean mask over state.lexical.ids of the clauses that pass the filters; None when no filter is set."""
        if not any((doc, doc_type, issuer, year_from, year_to, topic, address_prefix)):
            return None
        st = state or self.snapshot()
        ok = np.ones(len(st.filter_docs), dtype=bool)
        wanted = set(doc or [])
        for i, d in enumerate(st.filter_docs):
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
        mask = np.zeros(len(st.lexical.ids), dtype=bool)
        known = st.clause_doc >= 0
        mask[known] = ok[st.clause_doc[known]]
        if topic or address_prefix:
            extra = self.store.filter_ids(doc=doc, topic=topic, address_prefix=address_prefix) or set()
            mask &= np.isin(st.lexical.ids, np.fromiter(extra, dtype=np.int64, count=len(extra)))
        return mask

    def _vector_index(self, ids: list[int], table: str, settings) -> VectorIndex:
        kind = settings.ann_kind if len(ids) > settings.ann_threshold else "flat"
        matrix = self.store.vectors_of(table, None) if ids else np.zeros((0, self.embedder.dim), np.float32)
        train = None
        if kind == "ivf":
            train = matrix[np.random.default_rng(0).choice(len(matrix), min(len(matrix), 100_000), replace=False)]
        index = VectorIndex(self.embedder.dim, kind=kind, train=train, nprobe=settings.ivf_nprobe, expected=len(ids))
        if ids:
            index.add(ids, matrix)
        return index

    # -- backup (taking one needs no Index: backup_index) ------------------------------------------------
    def restore_backup(self, src: str | Path) -> dict:
        """Replace this index's whole content with the backup in folder `src` and publish it (writer only)."""
        if self._lock_fh is None:
            raise IndexMismatchError("restore needs a writable index")
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
            raise IndexMismatchError(f"{src}: the backup was made with embedder '{name}' (dim {dim}), not "
                                     f"'{self.embedder.name}'; restore it with that embedder configured")
        try:
            self.store.restore_from(db)
        except ValueError as exc:
            raise DocsearchError(str(exc)) from None
        self._state = None
        self._pending = ([], [], [], [])
        self._pending_writes = 0
        self._dirty = True
        self.commit()
        return {"documents": len(self.store.documents()), "decisions": len(self.store.decisions()),
                "generation": self.store.generation()}

    def documents(self) -> list[dict]:
        """The document list, cached per store generation."""
        gen = self.store.generation()
        cached = getattr(self, "_docs_cache", None)
        if cached is None or cached[0] != gen:
            from docsearch.search.query import Aliases

            docs = self.store.documents()
            self._docs_cache = (gen, docs, Aliases(docs, self.store.implementers()))
        return self._docs_cache[1]

    def aliases(self):
        """Document numbers and titles for query understanding, prepared once per generation."""
        self.documents()
        return self._docs_cache[2]

    def search(self, query: str, k: int = 10, **kwargs):
        from docsearch.search.hybrid import search

        return search(self, query, k=k, **kwargs)

    def close(self) -> None:
        self.store.close()
        self.cache.close()
        if self._lock_fh is not None:
            fcntl.flock(self._lock_fh, fcntl.LOCK_UN)
            self._lock_fh.close()
            self._lock_fh = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
