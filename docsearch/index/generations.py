"""Generations of the derived indexes on disk: the writer's lock, publishing a generation atomically, and loading
the published one.

One writer at a time holds `write.lock` (the `filelock` package, with a timeout, so a second writer waits a
bounded time and then gets a clear error instead of hanging). A generation is written to a temporary folder,
fsynced, renamed to `derived-N`, and published by atomically replacing the `CURRENT` pointer; a reader loads what
`CURRENT` names, and a crash at any moment leaves either the old or the new generation published."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout

from docsearch.errors import IndexBusyError
from docsearch.index.build import State, make_state
from docsearch.index.lexical import LexicalIndex
from docsearch.index.store import Store
from docsearch.index.vectors import VectorIndex

LOCK_NAME = "write.lock"


def _file_lock(folder: Path) -> FileLock:
    # the lock file is never deleted: deleting it while another process opens it would let two writers lock two
    # different files
    return FileLock(folder / LOCK_NAME, thread_local=False, preserve_lock_file=True)


class WriteLock:
    """The index's single-writer lock (held from opening a writable index until it is closed)."""

    def __init__(self, folder: Path, timeout: float) -> None:
        self.folder = folder
        self._lock = _file_lock(folder)
        try:
            self._lock.acquire(timeout=timeout)
        except Timeout:
            raise IndexBusyError(f"{folder}: chỉ mục đang được một tiến trình khác ghi; thử lại sau "
                                 f"(another process is writing to the index; waited {timeout:g} s)") from None

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)


def writer_active(folder: Path) -> bool:
    """Whether some process holds the write lock now (a probe that never waits)."""
    probe = _file_lock(folder)
    try:
        probe.acquire(blocking=False)
    except Timeout:
        return True
    except OSError:
        return False
    probe.release(force=True)
    return False


def _fsync_dir(path: Path) -> None:
    fd = os.open(str(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(folder: Path, state: State, embedder_name: str) -> None:
    """Write the state's derived files as `derived-<generation>` and point CURRENT at it (atomic)."""
    gen = state.generation
    tmp = Path(tempfile.mkdtemp(prefix=f".derived-{gen}-", dir=folder))
    state.lexical.save(tmp)
    state.vectors.save(tmp / "vectors.faiss")
    state.seg_lexical.save(tmp / "segments")
    state.seg_vectors.save(tmp / "segments.faiss")
    np.save(tmp / "seg_ids.npy", state.seg_ids)
    np.save(tmp / "seg_owner.npy", state.seg_owner)
    (tmp / "restore.json").write_text(json.dumps(state.restore, ensure_ascii=False))
    (tmp / "stamp.json").write_text(json.dumps({"generation": gen, "embedder": embedder_name}))
    for f in tmp.rglob("*"):
        if f.is_file():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
    final = folder / f"derived-{gen}"
    if final.exists():
        shutil.rmtree(final)
    os.rename(tmp, final)
    _fsync_dir(folder)
    ptr = folder / "CURRENT.tmp"
    ptr.write_text(final.name)
    with open(ptr, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(ptr, folder / "CURRENT")
    _fsync_dir(folder)
    for old in folder.glob("derived-*"):
        if old.name != final.name:
            shutil.rmtree(old, ignore_errors=True)
    for old in folder.glob(".derived-*"):
        shutil.rmtree(old, ignore_errors=True)


def _current(folder: Path) -> Path | None:
    try:
        return folder / (folder / "CURRENT").read_text().strip()
    except OSError:
        return None


def published_generation(folder: Path, embedder_name: str) -> int | None:
    """The generation CURRENT names, if it was built with this embedder."""
    d = _current(folder)
    try:
        stamp = json.loads((d / "stamp.json").read_text()) if d else None
    except (OSError, ValueError):
        return None
    if not stamp or stamp.get("embedder") != embedder_name:
        return None
    return stamp.get("generation")


def load_published(folder: Path, store: Store, gen: int, embedder_name: str, dim: int) -> State | None:
    """The published generation `gen` as a State, or None when what is published is another generation, another
    embedder's, or unreadable."""
    d = _current(folder)
    if d is None:
        return None
    try:
        stamp = json.loads((d / "stamp.json").read_text())
        if stamp.get("generation") != gen or stamp.get("embedder") != embedder_name:
            return None
        lexical = LexicalIndex.load(d)
        vectors = VectorIndex.load(d / "vectors.faiss", dim)
        seg_lexical = LexicalIndex.load(d / "segments")
        seg_vectors = VectorIndex.load(d / "segments.faiss", dim)
        seg_ids, seg_owner = np.load(d / "seg_ids.npy"), np.load(d / "seg_owner.npy")
        restore = json.loads((d / "restore.json").read_text())
    except (OSError, ValueError, RuntimeError, KeyError):
        return None
    return make_state(store, gen, lexical, vectors, seg_lexical, seg_vectors, seg_ids, seg_owner, restore)
