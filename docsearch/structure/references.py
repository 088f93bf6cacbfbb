"""Mentions of other documents → Reference, normalised to a số ký hiệu where one can be formed.

Full mentions ("Nghị quyết số 18-NQ/TW ngày 16/6/2022"), partial ones ("Nghị quyết 18", "NQ 18", "Kết luận 34",
"KL 34-KL/TW") and laws by name ("Luật Đất đai năm 2024"). A mention is `implements` when the document says it
carries the other out ("Chương trình hành động … thực hiện Nghị quyết số 10-NQ/TW"), `based_on` in a "Căn cứ"
line."""

from __future__ import annotations

import re

from docsearch.model import Clause, Reference
from docsearch.structure.citations import citation_before
from docsearch.structure.metadata import DATE_SLASH_RE, DATE_WORDS_RE, NUMBER_RE, _iso
from docsearch.text.vocabulary import DOCUMENT_TYPE_SYMBOLS, REFERENCE_TYPES, SYMBOL_TYPES, SYMBOLS_IN_TEXT

# type word or symbol (lower-case) → (type, symbol), from the one vocabulary
_TYPES = {t.lower(): (t, DOCUMENT_TYPE_SYMBOLS[t]) for t in REFERENCE_TYPES}
_TYPES.update({sym.lower(): (SYMBOL_TYPES[sym], sym) for sym in SYMBOLS_IN_TEXT})
_TYPE_ALT = "|".join((*REFERENCE_TYPES, *SYMBOLS_IN_TEXT))
_SUFFIX = r"[-/][A-ZĐ][A-Za-zĐđ0-9]*(?:[-/][A-ZĐ][A-Za-zĐđ0-9]*)*"
# "Nghị quyết số 18-NQ/TW", "NQ 18", "Kết luận 34", "KL 34-KL/TW", "Nghị quyết số 03/NQ-CP"
_MENTION_RE = re.compile(
    rf"(?<![\w])(?P<type>{_TYPE_ALT})(?:\s+số)?\s*(?::\s*)?(?P<num>\d{{1,5}}(?:/\d{{4}})?)(?P<suffix>{_SUFFIX})?(?![\w/])"
)
_BARE_NUMBER_RE = NUMBER_RE
# "Luật Đất đai năm 2024", "Luật Nhà ở số 27/2023/QH15", "Bộ luật Dân sự"
_LAW_RE = re.compile(
    r"(?<![\w])(?P<type>Bộ luật|Luật)\s+(?P<name>(?:[A-ZĐÀ-Ỹ][^\s,.;:()]*)(?:\s+(?!(?:năm|số|ngày|theo|và|của|về|để|trong|đã|được|có|cho|với|tại|như|này|hiện|sửa|thì|là|do|các|những|hướng|khi|mà|phải|từ|đến|trên|dưới)\b)[a-zđà-ỹ][^\s,.;:()]*){0,5})"
    r"(?:\s+(?:số\s+(?P<num>\d{1,3}/\d{4}/QH\d{1,2})|năm\s+(?P<year>\d{4})))?"
)
_IMPLEMENTS_RE = re.compile(
    r"(?:thực hiện|triển khai thực hiện|triển khai|cụ thể hoá|cụ thể hóa|quán triệt và thực hiện)\s+(?:[^.;]{0,40}?\s)?$",
    re.I,
)
_PARTY_DEFAULT = {"NQ": "NQ/TW", "KL": "KL/TW", "CT": "CT/TW", "QĐi": "QĐi/TW"}  # Quy định 08-QĐi/TW


def _number_for(type_key: str, num: str, suffix: str | None) -> str | None:
    if suffix:
        return num + suffix
    _name, sym = _TYPES[type_key.lower()]
    if "/" in num:
        return None
    default = _PARTY_DEFAULT.get(sym)
    return f"{num}-{default}" if default else None


def _date_after(text: str, end: int) -> str | None:
    window = text[end:end + 40]
    m = re.match(r"^[,\s]*(?:ngày\s+)", window)
    if not m:
        return None
    for rx in (DATE_WORDS_RE, DATE_SLASH_RE):
        mm = rx.match(window, m.start() + len(window[: m.start()]) if False else window.find("ngày"))
        if mm:
            return _iso(*mm.groups())
    return None


def find_references(text: str, own_number: str | None = None, clause: str | None = None,
                    relation_context: bool = True) -> list[Reference]:
    """All document mentions in one piece of text."""
    refs: list[Reference] = []
    spans: list[tuple[int, int]] = []
    for m in _MENTION_RE.finditer(text):
        tkey = m.group("type")
        number = _number_for(tkey, m.group("num"), m.group("suffix"))
        doc_type = _TYPES[tkey.lower()][0]
        if doc_type == "Luật" and not m.group("suffix"):
            continue
        refs.append(Reference(text=m.group(0), number=number, doc_type=doc_type, clause=clause,
                              date=_date_after(text, m.end())))
        spans.append((m.start(), m.end()))
    for m in _LAW_RE.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        name = f"{m.group('type')} {m.group('name')}".strip()
        if m.group("name").split()[0] in ("này", "số"):
            continue
        year = int(m.group("year")) if m.group("year") else None
        refs.append(Reference(text=m.group(0), number=m.group("num"), doc_type=m.group("type"), title=name,
                              year=year, clause=clause))
        spans.append((m.start(), m.end()))
    for m in _BARE_NUMBER_RE.finditer(text):
        if any(a <= m.start(1) < b for a, b in spans):
            continue
        num = m.group(1)
        if not re.search(r"[-/](?:NQ|KL|CT|QĐ|NĐ|TT|KH|QH|HD|TB|BC|CV|ĐA)", num):
            continue
        refs.append(Reference(text=num, number=num, clause=clause, date=_date_after(text, m.end())))
        spans.append((m.start(1), m.end(1)))
    for ref, (start, _end) in zip(refs, spans):  # "khoản 2 Điều 5 của Luật …": the clause it cites
        ref.address = citation_before(text, start)
    if relation_context:
        for ref, (start, _end) in zip(refs, spans):
            before = text[max(0, start - 80):start]
            line_start = text.rfind("\n", 0, start) + 1
            if text[line_start:start].lstrip().startswith("Căn cứ"):
                ref.relation = "based_on"
            elif _IMPLEMENTS_RE.search(before):
                ref.relation = "implements"
    if own_number:
        refs = [r for r in refs if r.number != own_number]
    return refs


def document_references(header: list[str], title: str | None, clauses: list[Clause],
                        own_number: str | None) -> list[Reference]:
    """References of a whole document: its title and header (where `implements` is decided), then each clause."""
    refs: list[Reference] = []
    if title:
        for r in find_references(title, own_number):
            if r.relation == "mentions" and r.number and re.search(r"thực hiện|triển khai", title, re.I):
                r.relation = "implements"
            refs.append(r)
    for line in header:
        if title and line.strip() and line.strip() in title:
            continue
        refs.extend(find_references(line, own_number))
    for c in clauses:
        # the clause that issues the programme ("Điều 1. Ban hành kèm theo … Chương trình hành động … thực hiện
        # Nghị quyết …") and an appendix caption say what the document implements; elsewhere a mention stays one
        says_implements = c.address == "Điều 1" or (c.kind == "appendix")
        for r in find_references(c.text, own_number, clause=c.address):
            if r.relation == "implements" and not says_implements:
                r.relation = "mentions"
            refs.append(r)
    return refs
