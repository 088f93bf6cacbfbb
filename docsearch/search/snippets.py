"""Snippets: the part of a clause with the most query terms, terms marked."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from docsearch.ingest.normalize import fold, match_form

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_STOP = {"và", "của", "các", "có", "là", "cho", "theo", "về", "trong", "được", "với", "những", "một", "để", "này"}


@lru_cache(maxsize=65536)
def _key(word: str) -> str:
    return fold(match_form(word))


@lru_cache(maxsize=1024)
def _terms(query: str) -> frozenset[str]:
    return frozenset(_key(w) for w in _WORD_RE.findall(query) if match_form(w) not in _STOP)


def snippet_spans(text: str, query: str, width: int = 240) -> tuple[str, list[tuple[int, int]]]:
    """The window of the clause (about `width` characters) with the most query terms, as plain text with "… "
    where it was cut, and the (start, end) character positions of the terms in it: a client marks them itself,
    so no markup made on the server ever reaches a page."""
    terms = _terms(query)
    flat = " ".join(text.split())
    spans = [(m.start(), m.end()) for m in _WORD_RE.finditer(flat) if _key(m.group(0)) in terms]
    start = 0
    if spans and len(flat) > width:
        best, best_n = 0, -1
        for s, _e in spans:
            n = sum(1 for a, _b in spans if s <= a < s + width)
            if n > best_n:
                best, best_n = s, n
        start = max(0, best - 40)
        sp = flat.rfind(" ", 0, start)
        start = sp + 1 if sp > 0 else 0
    end = min(len(flat), start + width)
    if end < len(flat):
        sp = flat.rfind(" ", start, end)
        end = sp if sp > start else end
    prefix = "… " if start > 0 else ""
    shift = len(prefix) - start
    inside = [(s + shift, e + shift) for s, e in spans if s >= start and e <= end]
    return prefix + flat[start:end] + (" …" if end < len(flat) else ""), inside


def snippet(text: str, query: str, width: int = 240, mark: tuple[str, str] = ("<mark>", "</mark>"),
            escape: bool = True) -> str:
    """The snippet with its terms marked (HTML-escaped unless `escape` is False): for the command line and
    clients that want markup."""
    return marked(*snippet_spans(text, query, width), mark=mark, escape=escape)


def marked(plain: str, spans: list[tuple[int, int]], mark: tuple[str, str] = ("<mark>", "</mark>"),
           escape: bool = True) -> str:
    """A plain snippet with the given spans wrapped in `mark` (the text HTML-escaped unless `escape` is False)."""
    out, pos = [], 0
    esc = html.escape if escape else (lambda x: x)
    for s, e in spans:
        out.append(esc(plain[pos:s]))
        out.append(mark[0] + esc(plain[s:e]) + mark[1])
        pos = e
    out.append(esc(plain[pos:]))
    return "".join(out)
