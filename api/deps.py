"""Typed dependencies: the settings and the shared read-only index."""

from __future__ import annotations

import hmac
import threading
from typing import Annotated

from fastapi import Depends, Header, HTTPException

from docsearch.config import Settings, get_settings
from docsearch.index import Index

_lock = threading.Lock()
_index: Index | None = None


def get_index() -> Index:
    global _index
    with _lock:
        if _index is None:
            _index = Index(get_settings().index)
        return _index


def reset_index() -> None:
    global _index
    with _lock:
        if _index is not None:
            _index.close()
        _index = None


def require_api_key(x_api_key: Annotated[str | None, Header()] = None) -> None:
    key = get_settings().api_key
    if not key:
        raise HTTPException(403, "write endpoints are disabled: set DOCSEARCH_API_KEY on the server to enable them")
    if not x_api_key or not hmac.compare_digest(x_api_key.encode(), key.encode()):
        raise HTTPException(403, "missing or wrong X-API-Key")


_write_lock = threading.Lock()


class writer:
    """A writable index for one request (one writer at a time; readers keep going)."""

    def __enter__(self) -> Index:
        import fcntl

        if not _write_lock.acquire(timeout=60):
            raise HTTPException(503, "the index is busy with another write; try again shortly")
        path = get_settings().index
        path.mkdir(parents=True, exist_ok=True)
        lock = open(path / "write.lock", "a+")
        import time

        deadline = time.monotonic() + 60
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    lock.close()
                    _write_lock.release()
                    raise HTTPException(503, "another process is writing to the index; try again shortly") from None
                time.sleep(0.2)
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
        self.index = Index(path, writable=True)
        self.index.ensure_loaded()  # the published state: a commit then updates it in place
        return self.index

    def __exit__(self, *exc) -> None:
        try:
            self.index.close()
        finally:
            _write_lock.release()


SettingsDep = Annotated[Settings, Depends(get_settings)]
IndexDep = Annotated[Index, Depends(get_index)]
WriteAccess = Annotated[None, Depends(require_api_key)]
