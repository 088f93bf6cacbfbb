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


class Aliases:
    """Document numbers and titles of an index, prepared once per index generation."""

    def __init__(self, documents: list[dict]) -> None:
        self.by_number = {_norm_number(d["number"]): d["id"] for d in documents if d.get("number")}
        self.by_title: dict[str, list[tuple[str, int | None]]] = {}
        for d in documents:
            if d.get("title") and len(d["title"]) < 120:
                self.by_title.setdefault(match_form(d["title"]), []).append((d["id"], d.get("year")))

    def resolve(self, query: str) -> list[str]:
        out: list[str] = []
        for r in find_references(query, relation_context=False):
            if r.number and _norm_number(r.number) in self.by_number:
                out.append(self.by_number[_norm_number(r.number)])
            elif r.title:
                out += [doc for doc, year in self.by_title.get(match_form(r.title), []) if not r.year or year == r.year]
        return list(dict.fromkeys(out))


def resolve_aliases(query: str, documents: list[dict] | Aliases) -> list[str]:
    """'NQ 06', 'Nghị quyết 06', '06-NQ/TW', 'KL 34', 'Luật Đất đai' → ids of indexed documents."""
    aliases = documents if isinstance(documents, Aliases) else Aliases(documents)
    return aliases.resolve(query)


# everyday question words that a legal corpus rarely contains, with pseudo-counts
_BASE_UNI = {
    "bao": {"bao": 5}, "nhieu": {"nhiêu": 3, "nhiều": 3}, "co": {"có": 8}, "the": {"thể": 3},
    "nao": {"nào": 5}, "gi": {"gì": 5}, "khong": {"không": 5}, "duoc": {"được": 5}, "moi": {"mọi": 2, "mới": 2},
    "la": {"là": 5}, "ai": {"ai": 3}, "dau": {"đâu": 2}, "bi": {"bị": 4}, "hay": {"hay": 3}, "phai": {"phải": 4},
}
_BASE_BI = {k: {v: 100_000} for k, v in {
    "bao nhieu": "bao nhiêu", "co the": "có thể", "nhu the": "như thế", "the nao": "thế nào", "la gi": "là gì",
    "hay khong": "hay không", "co phai": "có phải", "bao lau": "bao lâu", "moi toi": "mọi tội",
    "duoc khong": "được không", "bao gio": "bao giờ", "tai sao": "tại sao", "nhu nao": "như nào",
}.items()}


def restore_diacritics(text: str, restore: dict | None) -> str | None:
    """Put back the marks of a query typed without them ("nha o cong nhan" → "nhà ở công nhân"): a Viterbi
    search over the accented forms the corpus uses for each syllable, scored by their frequency and by how often
    neighbouring forms occur together. Returns None when the query already has marks or nothing changes."""
    import math

    if not restore or _VIET_MARKS_RE.search(text):
        return None
    uni, bi = restore.get("uni", {}), restore.get("bi", {})
    parts = _SYL_RE.findall(text)
    idx = [i for i, p in enumerate(parts) if p.strip() and p[0].isalnum()]
    if not idx:
        return None
    keys = [fold(parts[i].lower()) for i in idx]

    def options(key: str, original: str) -> dict[str, float]:
        opts: dict[str, float] = {}
        for src in (uni.get(key, {}), _BASE_UNI.get(key, {})):
            for form, c in src.items():
                opts[form] = opts.get(form, 0) + c
        if not opts or not isinstance(next(iter(opts.values())), (int, float)):
            return {original: 1.0}
        return opts

    cols = [options(k, parts[i].lower()) for k, i in zip(keys, idx)]
    # Viterbi over the forms
    best: list[dict[str, tuple[float, str | None]]] = []
    for j, col in enumerate(cols):
        total = sum(col.values())
        layer: dict[str, tuple[float, str | None]] = {}
        for form, c in col.items():
            emit = math.log(c / total)
            if j == 0:
                layer[form] = (emit, None)
                continue
            pair_key = f"{keys[j - 1]} {keys[j]}"
            pairs = {**bi.get(pair_key, {}), **_BASE_BI.get(pair_key, {})}
            cand = []
            for prev, (score, _) in best[-1].items():
                bonus = math.log1p(pairs.get(f"{prev} {form}", 0)) * 1.5
                cand.append((score + emit + bonus, prev))
            layer[form] = max(cand)
        best.append(layer)
    form = max(best[-1].items(), key=lambda kv: kv[1][0])[0]
    chosen = [form]
    for j in range(len(best) - 1, 0, -1):
        form = best[j][form][1]
        chosen.append(form)
    chosen.reverse()
    out = list(parts)
    for i, form in zip(idx, chosen):
        original = parts[i]
        out[i] = form.capitalize() if original[:1].isupper() else form
    restored = "".join(out)
    return restored if restored != text else None


def understand(raw: str, documents: list[dict] | Aliases, restore: dict | None) -> Query:
    restored = restore_diacritics(raw, restore)
    base = restored or raw
    return Query(raw=raw, text=expand_abbreviations(base), restored=restored, doc_ids=resolve_aliases(base, documents))
