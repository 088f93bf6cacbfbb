"""Typed dependencies: the settings and the shared read-only index."""

from __future__ import annotations

import hmac
import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException

from docsearch.config import Settings, get_settings
from docsearch.errors import IndexBusyError
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
    """A writable index for one request: one writer at a time in this process, and the index's own write lock
    against other processes (both waited for at most DOCSEARCH_API_LOCK_TIMEOUT seconds, then 503)."""

    def __enter__(self) -> Index:
        timeout = get_settings().api_lock_timeout
        if not _write_lock.acquire(timeout=timeout):
            raise HTTPException(503, "chỉ mục đang bận với một thao tác ghi khác; vui lòng thử lại sau")
        try:
            self.index = Index(get_settings().index, writable=True, lock_timeout=timeout)
        except IndexBusyError:
            _write_lock.release()
            raise HTTPException(503, "một tiến trình khác đang ghi vào chỉ mục; vui lòng thử lại sau") from None
        except BaseException:
            _write_lock.release()
            raise
        self.index.ensure_loaded()  # the published state: a commit then updates it in place
        return self.index

    def __exit__(self, *exc) -> None:
        try:
            self.index.close()
        finally:
            _write_lock.release()


def get_writer() -> Iterator[Index]:
    """Yield dependency: the writable index for a route whose whole body writes."""
    with writer() as w:
        yield w


SettingsDep = Annotated[Settings, Depends(get_settings)]
IndexDep = Annotated[Index, Depends(get_index)]
WriterDep = Annotated[Index, Depends(get_writer)]
WriteAccess = Annotated[None, Depends(require_api_key)]
