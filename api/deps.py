"""Typed dependencies: the settings, the shared reader index, the writer (a yield dependency), and who is asking
with which role (ReadAccess, EditorAccess, AdminAccess)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException

from docsearch import accounts, service
from docsearch.accounts import User
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


def get_user(index: IndexDep, authorization: Annotated[str | None, Header()] = None,
             x_api_key: Annotated[str | None, Header()] = None) -> User | None:
    """Who makes the request: `Authorization: Bearer <session or API token>`, or `X-API-Key`; None: nobody."""
    bearer = authorization[7:].strip() if authorization and authorization[:7].lower() == "bearer " else None
    return service.current_user(index, bearer, x_api_key)


UserDep = Annotated[User | None, Depends(get_user)]


def _role(role: str):
    def check(user: UserDep) -> User | None:
        return accounts.require(user, role, get_settings().public_read)

    return check


ReadAccess = Annotated[User | None, Depends(_role("viewer"))]
EditorAccess = Annotated[User, Depends(_role("editor"))]
AdminAccess = Annotated[User, Depends(_role("admin"))]
