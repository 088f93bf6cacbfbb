"""Error types. Every error that reaches a user names the file and the reason, in Vietnamese; `en` carries the
English text for logs and for clients that ask for English (Accept-Language: en)."""

from __future__ import annotations


class DocsearchError(Exception):
    """Base class of the errors docsearch raises on purpose."""

    def __init__(self, message: str = "", *, en: str | None = None) -> None:
        super().__init__(message)
        self.en = en

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" and self.en else str(self)


class IngestError(DocsearchError):
    """A file could not be read into a document."""

    def __init__(self, path: str, reason: str, *, en: str | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.en_reason = en
        super().__init__(f"{self.path}: {reason}", en=f"{self.path}: {en}" if en else None)

    def reason_in(self, lang: str = "vi") -> str:
        return self.en_reason if lang == "en" and self.en_reason else self.reason


class IndexMismatchError(DocsearchError):
    """The index was built with another embedder."""


class NotFoundError(DocsearchError):
    """A document, clause or link does not exist."""


class IndexBusyError(DocsearchError):
    """Another process holds the index's write lock longer than the caller is willing to wait."""


class EngineUnavailableError(DocsearchError):
    """The search engine server (Milvus) or the store's server does not answer."""


class InvalidRequestError(DocsearchError):
    """A request the service cannot carry out as asked (an empty query, an unknown status, no target chosen)."""
