"""Error types. Every error that reaches a user names the file and the reason."""

from __future__ import annotations


class DocsearchError(Exception):
    """Base class of the errors docsearch raises on purpose."""


class IngestError(DocsearchError):
    """A file could not be read into a document."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class IndexMismatchError(DocsearchError):
    """The index was built with another embedder."""


class NotFoundError(DocsearchError):
    """A document, clause or link does not exist."""


class IndexBusyError(DocsearchError):
    """Another process holds the index's write lock longer than the caller is willing to wait."""


class InvalidRequestError(DocsearchError):
    """A request the service cannot carry out as asked (an empty query, an unknown status, no target chosen)."""
