"""Query understanding: document aliases, abbreviations, and diacritics restored for queries typed without marks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docsearch.index.analysis import expand_abbreviations
from docsearch.ingest.normalize import fold, match_form
from docsearch.structure.references import find_references

_VIET_MARKS_RE = re.compile(r"[à-ỹđÀ-ỸĐ]")
_SYL_RE = re.compile(r"[^\W_]+|[^\w\s]+|\s+", re.UNICODE)


@dataclass
class Query:
    raw: str
    text: str  # what is analysed and embedded (abbreviations expanded, diacritics restored)
    restored: str | None = None
    doc_ids: list[str] = field(default_factory=list)  # documents the query names


def _norm_number(n: str) -> str:
    return re.sub(r"^0+(?=\d)", "", n.upper())


def resolve_aliases(query: str, documents: list[dict]) -> list[str]:
    """'NQ 06', 'Nghị quyết 06', '06-NQ/TW', 'KL 34', 'Luật Đất đai' → ids of indexed documents."""
    refs = find_references(query, relation_context=False)
    out: list[str] = []
    by_number = {_norm_number(d["number"]): d["id"] for d in documents if d.get("number")}
    for r in refs:
        if r.number and _norm_number(r.number) in by_number:
            out.append(by_number[_norm_number(r.number)])
        elif r.title:
            t = match_form(r.title)
            for d in documents:
                if d.get("title") and match_form(d["title"]) == t and (not r.year or d.get("year") == r.year):
                    out.append(d["id"])
    return list(dict.fromkeys(out))


def restore_diacritics(text: str, restore: dict | None) -> str | None:
    """Put back the marks a query typed without them ("nha o cong nhan" → "nhà ở công nhân") using the corpus's
    own syllable and bigram statistics. Returns None when the query already has marks or nothing changes."""
    if not restore or _VIET_MARKS_RE.search(text):
        return None
    uni, bi = restore.get("uni", {}), restore.get("bi", {})
    parts = _SYL_RE.findall(text)
    words = [i for i, p in enumerate(parts) if p.strip() and p[0].isalnum()]
    out = list(parts)
    low = [fold(parts[i].lower()) for i in words]
    # choose bigram forms greedily left to right, falling back to the most common single syllable
    j = 0
    while j < len(words):
        if j + 1 < len(words) and f"{low[j]} {low[j + 1]}" in bi:
            a, b = bi[f"{low[j]} {low[j + 1]}"].split(" ")
            if out[words[j]] == parts[words[j]]:
                out[words[j]] = a
            out[words[j + 1]] = b
            j += 1
            continue
        if low[j] in uni and out[words[j]] == parts[words[j]]:
            out[words[j]] = uni[low[j]]
        j += 1
    restored = "".join(out)
    return restored if restored != text else None


def understand(raw: str, documents: list[dict], restore: dict | None) -> Query:
    restored = restore_diacritics(raw, restore)
    base = restored or raw
    return Query(raw=raw, text=expand_abbreviations(base), restored=restored, doc_ids=resolve_aliases(base, documents))
