"""Query understanding: document aliases, abbreviations, and diacritics restored for queries typed without marks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docsearch.ingest.normalize import match_form
from docsearch.search.restoration import restore_diacritics
from docsearch.structure.references import find_references
from docsearch.text.analysis import expand_abbreviations
from docsearch.text.vocabulary import DOCUMENT_TYPES


@dataclass
class Query:
    raw: str
    text: str  # what is analysed and embedded (abbreviations expanded, diacritics restored)
    restored: str | None = None
    doc_ids: list[str] = field(default_factory=list)  # documents the query names
    rest: str = ""  # the query without the names of those documents ("NQ 57 chuyển đổi số" → "chuyển đổi số")
    pasted_from: tuple[str, str] | None = None  # (doc id, address) of the clause the query was copied from


def _norm_number(n: str) -> str:
    return re.sub(r"^0+(?=\d)", "", n.upper())


_TYPE_WORDS_RE = re.compile(r"\b(?:" + "|".join(t.lower() for t in DOCUMENT_TYPES) + r")\b")


def _asks_for_a_document(query: str, refs) -> bool:
    """A short query that asks for a kind of document ("chương trình hành động thực hiện NQ 57", "kế hoạch triển
    khai Nghị quyết 57") rather than a task sentence that happens to name one."""
    rest = query
    for r in refs:
        rest = rest.replace(r.text, " ")
    words = rest.split()
    return len(words) <= 10 and bool(_TYPE_WORDS_RE.search(rest.lower()))


def _short(number: str | None) -> tuple[str, str] | None:
    """(number, symbol) of a số ký hiệu: "05-NQ/TU" → ("5", "NQ"); "31/2024/QH15" → ("31", "QH")."""
    m = re.match(r"^0*(\d+)(?:/\d{4})?[-/]([A-ZĐ]+)", (number or "").upper())
    return (m.group(1), m.group(2)) if m else None


class Aliases:
    """Document numbers and titles of an index, prepared once per index generation."""

    def __init__(self, documents: list[dict], implementers: dict[str, list[str]] | None = None) -> None:
        # số ký hiệu → the indexed documents that implement it ("chương trình thực hiện NQ 57" asks for those)
        self.implementers = {_norm_number(k): v for k, v in (implementers or {}).items()}
        self.by_number = {_norm_number(d["number"]): d["id"] for d in documents if d.get("number")}
        # "NQ 05" is read as 05-NQ/TW; a province's 05-NQ/TU answers it too when no 05-NQ/TW is indexed
        self.by_short: dict[tuple[str, str], list[str]] = {}
        for d in documents:
            key = _short(d.get("number"))
            if key:
                self.by_short.setdefault(key, []).append(d["id"])
        self.by_title: dict[str, list[tuple[str, int | None]]] = {}
        for d in documents:
            if d.get("title") and len(d["title"]) < 120:
                self.by_title.setdefault(match_form(d["title"]), []).append((d["id"], d.get("year")))

    def implemented_by(self, doc_id: str) -> list[str]:
        """The indexed documents `doc_id` says it implements (a programme → the resolutions it carries out)."""
        return [self.by_number[n] for n, docs in self.implementers.items()
                if doc_id in docs and n in self.by_number and self.by_number[n] != doc_id]

    def resolve(self, query: str) -> list[str]:
        return self.mentions(query)[0]

    def mentions(self, query: str) -> tuple[list[str], str]:
        """(ids of the indexed documents the query names, the query without those names)."""
        out: list[str] = []
        rest = query
        refs = find_references(query)
        for r in refs:
            found: list[str] = []
            if (r.relation == "implements" and r.number and self.implementers.get(_norm_number(r.number))
                    and _asks_for_a_document(query, refs)):
                found = self.implementers[_norm_number(r.number)]  # "chương trình thực hiện NQ 57": what carries it out
            elif r.number and _norm_number(r.number) in self.by_number:
                found = [self.by_number[_norm_number(r.number)]]
            elif r.number and (short := _short(r.number)) in self.by_short:
                found = self.by_short[short]
            elif r.title:
                found = [doc for doc, year in self.by_title.get(match_form(r.title), []) if not r.year or year == r.year]
            if found:
                out += found
                rest = rest.replace(r.text, " ", 1)
        return list(dict.fromkeys(out)), " ".join(rest.split())


def resolve_aliases(query: str, documents: list[dict] | Aliases) -> list[str]:
    """'NQ 06', 'Nghị quyết 06', '06-NQ/TW', 'KL 34', 'Luật Đất đai' → ids of indexed documents."""
    aliases = documents if isinstance(documents, Aliases) else Aliases(documents)
    return aliases.resolve(query)


def understand(raw: str, documents: list[dict] | Aliases, restore: dict | None) -> Query:
    restored = restore_diacritics(raw, restore)
    base = restored or raw
    aliases = documents if isinstance(documents, Aliases) else Aliases(documents)
    doc_ids, rest = aliases.mentions(base)
    return Query(raw=raw, text=expand_abbreviations(base), restored=restored, doc_ids=doc_ids,
                 rest=expand_abbreviations(rest))
