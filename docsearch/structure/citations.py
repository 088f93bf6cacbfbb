"""Clause citations inside a text: "theo điểm b khoản 2 Mục III Nghị quyết số 06-NQ/TW", "Điều 5 Luật Đất đai",
"nhiệm vụ 3 Phần III" → the cited clause address ("III.2.b", "Điều 5", "III.3") and the document it names.

A task that cites a clause of its target carries that clause out: the linker puts it first (linking/link.py). The
same reader gives every reference of every indexed document the clause it points to (structure/references.py)."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from docsearch.ingest.normalize import fold
from docsearch.text.vocabulary import (
    ARTICLE_WORD,
    DOCUMENT_TYPES,
    ITEM_WORDS,
    POINT_WORDS,
    ROMAN,
    SECTION_WORDS,
    roman_value,
)

_CITE_RE = re.compile(
    rf"(?:\b(?:{POINT_WORDS})\s+(?P<point>[a-zđ])\b[\s,]*)?"
    rf"(?:\b(?:{ITEM_WORDS})\s+(?P<item>\d{{1,3}})\b[\s,]*)?"
    rf"(?:\b{ARTICLE_WORD}\s+(?P<article>\d{{1,4}}[a-zđ]?)\b"
    rf"|\b(?:{SECTION_WORDS})\s+(?P<section>(?=[IVXLC])(?:{ROMAN}))\b)"
)
_TYPES_RE = "|".join(sorted((re.escape(t) for t in DOCUMENT_TYPES), key=len, reverse=True))
# what may stand between a citation and the document it belongs to
_LEAD_RE = re.compile(r"^[\s,]*(?:của|tại|trong|theo)?\s*")
_DOC_RE = re.compile(rf"^(?P<type>{_TYPES_RE})\b(?P<rest>.{{0,160}})", re.S)
_THIS_RE = re.compile(r"^\s*(?:này|nói trên|trên)\b")
_NUMBER_RE = re.compile(r"số\s+(\d{1,5}(?:/\d{4})?[-/][A-ZĐ][\w/-]*)")


@dataclass
class Citation:
    address: str  # in the cited document's address scheme ("III.2.b", "Điều 5.2.a")
    number: str | None  # số ký hiệu named after it ("57-NQ/TW")
    title: str | None  # or the name it gives ("Luật Đất đai"), folded to lower case without marks
    this_document: bool  # "Nghị quyết này": the citing document itself
    start: int
    end: int


_GAP_RE = re.compile(r"^[\s,]*(?:của|tại|trong|theo)?\s*$")


def citation_before(text: str, start: int) -> str | None:
    """The clause address cited right before position `start` (where a document is named): "khoản 2 Điều 5 của
    Luật …" → "Điều 5.2"; None when the mention is not preceded by a citation."""
    window = text[max(0, start - 120):start]
    found = None
    for m in _CITE_RE.finditer(window):
        if _GAP_RE.match(window[m.end():]):
            found = m
    if found is None:
        return None
    (c,) = find_citations(found.group(0)) or (None,)
    return c.address if c is not None else None


def find_citations(text: str) -> list[Citation]:
    out = []
    for m in _CITE_RE.finditer(text):
        point, item, article, section = m.group("point"), m.group("item"), m.group("article"), m.group("section")
        if article:
            base = f"Điều {article}"
        else:
            if roman_value(section) is None:
                continue
            base = section
        parts = [base] + ([item] if item else []) + ([point] if point and item else [])
        tail = text[m.end(): m.end() + 200]
        lead = _LEAD_RE.match(tail)
        rest = tail[lead.end():] if lead else tail
        number = title = None
        this = False
        d = _DOC_RE.match(rest)
        if d:
            after = d.group("rest")
            if _THIS_RE.match(after):
                this = True
            else:
                n = _NUMBER_RE.search(after[:40])
                if n:
                    number = n.group(1).rstrip(".,;")
                else:
                    words = re.split(r"[,;.(]| ngày | năm | của | về ", after, maxsplit=1)[0].strip()
                    title = fold(f"{d.group('type')} {words}".lower()).strip() if words else None
        out.append(Citation(".".join(parts), number, title, this, m.start(), m.end()))
    return out


def _names(c: Citation, doc: dict) -> bool:
    if c.number:
        return (doc.get("number") or "").casefold() == c.number.casefold()
    if c.title:
        own = fold(((doc.get("title") or "")).lower())
        if not own.startswith(fold((doc.get("type") or "").lower())):
            own = fold(f"{doc.get('type') or ''} {own}".lower())
        return bool(own) and (own.startswith(c.title) or c.title.startswith(own))
    return False


def cited_clauses(text: str, docs: list[dict]) -> list[tuple[str, str]]:
    """(document id, address) of every clause of `docs` that `text` cites. A citation that names no document
    counts for the only target when there is one and the citation is to a roman section (Party style: "nhiệm vụ 3
    Phần III"); one that names another document, or the citing document itself, counts for none."""
    out: list[tuple[str, str]] = []
    for c in find_citations(text):
        if c.this_document:
            continue
        named = [d for d in docs if _names(c, d)]
        if not named and c.number is None and c.title is None and len(docs) == 1 and not c.address.startswith("Điều"):
            named = docs
        out.extend((d["id"], c.address) for d in named)
    return list(dict.fromkeys(out))


def nearest_existing(address: str, existing: Container[str]) -> str | None:
    """The cited address, or its nearest ancestor that exists ("III.2.b" → "III.2" when III.2 has no points)."""
    parts = address.split(".")
    while parts:
        a = ".".join(parts)
        if a in existing:
            return a
        parts.pop()
    return None


def vn_date(iso: str | None) -> str:
    """"2024-12-22" → "22/12/2024", as Vietnamese documents write dates; "" when unknown."""
    if not iso or len(iso) < 10:
        return iso or ""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def _unit(part: str, numeric_seen: int) -> str:
    if part.startswith("PL-"):
        return f"Phụ lục {part[3:]}"
    if part.startswith("Điều "):
        return part
    if part.startswith("-"):
        return f"ý thứ {part[1:]}" if part[1:].isdigit() else "ý"
    if roman_value(part) is not None:
        return f"Mục {part}"
    if part[:1].isdigit():
        return ("khoản " if numeric_seen == 0 else "mục ") + part
    return f"điểm {part}"


def citation_phrase(address: str, doc: dict | None = None) -> str:
    """The phrase staff write in a programme to cite a clause: "điểm a khoản 2 Mục III Nghị quyết số 57-NQ/TW ngày
    22/12/2024 của Bộ Chính trị"; for a law "điểm a khoản 2 Điều 5 Luật Đất đai số 31/2024/QH15". `doc` is the
    document's row (type, number, date, issuer, title)."""
    parts = address.split(".")
    units, numeric_seen = [], 0
    for part in parts:
        units.append(_unit(part, numeric_seen))
        numeric_seen += part[:1].isdigit()
    where = " ".join(reversed(units))
    if not doc:
        return where
    dtype, number = doc.get("type") or "Văn bản", doc.get("number")
    if dtype in ("Luật", "Bộ luật") and doc.get("title"):
        name = doc["title"] if doc["title"].lower().startswith(dtype.lower()) else f"{dtype} {doc['title']}"
        return f"{where} {name}" + (f" số {number}" if number else "")
    phrase = f"{where} {dtype}" + (f" số {number}" if number else "")
    if doc.get("date"):
        phrase += f" ngày {vn_date(doc['date'])}"
    if doc.get("issuer"):
        phrase += f" của {doc['issuer']}"
    return phrase
