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


def snippet(text: str, query: str, width: int = 240, mark: tuple[str, str] = ("<mark>", "</mark>"), escape: bool = True) -> str:
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
    out, pos = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(html.escape(flat[pos:s]) if escape else flat[pos:s])
        out.append(mark[0] + (html.escape(flat[s:e]) if escape else flat[s:e]) + mark[1])
        pos = e
    out.append(html.escape(flat[pos:end]) if escape else flat[pos:end])
    return ("… " if start > 0 else "") + "".join(out) + (" …" if end < len(flat) else "")
