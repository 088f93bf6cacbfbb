"""Query understanding: document aliases, abbreviations, and diacritics restored for queries typed without marks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docsearch.index.analysis import expand_abbreviations
from docsearch.ingest.normalize import fold, match_form
from docsearch.structure.references import find_references
from docsearch.text.vocabulary import DOCUMENT_TYPES
from docsearch.text.vocabulary import MARKS_RE as _VIET_MARKS_RE

_SYL_RE = re.compile(r"[^\W_]+|[^\w\s]+|\s+", re.UNICODE)


@dataclass
class Query:
    raw: str
    text: str  # what is analysed and embedded (abbreviations expanded, diacritics restored)
    restored: str | None = None
    doc_ids: list[str] = field(default_factory=list)  # documents the query names
    rest: str = ""  # the query without the names of those documents ("NQ 57 chuyển đổi số" → "chuyển đổi số")


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


@dataclass(frozen=True)
class RestoreParams:
    """How the general word list weighs against the corpus's own statistics (bench/tune_restoration.py chose them
    by 5-fold cross-validation on folded questions; its report gives the out-of-fold accuracy)."""

    dict_unigram: float = 30.0  # pseudo-count of each dictionary entry that uses a form
    dict_pair: float = 1.0  # pseudo-count of each dictionary compound that joins two forms
    pair_weight: float = 4.0  # weight of log(1 + pair count) against the forms' own frequencies


def _kept_as_typed(token: str) -> bool:
    """Acronyms and symbols typed in capitals ("NQ", "KTGS", "UBND"), and anything with a digit, stay as typed."""
    return any(ch.isdigit() for ch in token) or (len(token) >= 2 and token.isupper())


def restore_diacritics(text: str, restore: dict | None, params: RestoreParams = RestoreParams()) -> str | None:
    """Put back the marks of a query typed without them ("nha o cong nhan" → "nhà ở công nhân"): a Viterbi
    search over the accented forms of each syllable, scored by how often the corpus uses each form and by how
    often neighbouring forms occur together, in the corpus and in a general dictionary (docsearch/text/lexicon.py).
    Acronyms, document numbers and words typed in capitals are left as typed. Returns None when the query already
    has marks or nothing changes."""
    import math

    from docsearch.text.lexicon import dictionary_forms

    if not restore or _VIET_MARKS_RE.search(text):
        return None
    uni, bi = restore.get("uni", {}), restore.get("bi", {})
    d_uni, d_bi = dictionary_forms()
    parts = _SYL_RE.findall(text)
    idx = [i for i, p in enumerate(parts) if p.strip() and p[0].isalnum()]
    if not idx:
        return None
    keys = [fold(parts[i].lower()) for i in idx]
    fixed = [_kept_as_typed(parts[i]) for i in idx]

    def options(key: str, original: str, keep: bool) -> dict[str, float]:
        if keep:
            return {original: 1.0}
        opts: dict[str, float] = {}
        for form, c in uni.get(key, {}).items():
            opts[form] = opts.get(form, 0.0) + c
        if params.dict_unigram > 0:
            for form, c in d_uni.get(key, {}).items():
                opts[form] = opts.get(form, 0.0) + params.dict_unigram * c
        return {f: c for f, c in opts.items() if c > 0} or {original: 1.0}

    def pair_count(j: int, prev: str, form: str) -> float:
        if fixed[j] or fixed[j - 1]:
            return 0.0
        pair_key = f"{keys[j - 1]} {keys[j]}"
        pair = f"{prev} {form}"
        return bi.get(pair_key, {}).get(pair, 0) + params.dict_pair * d_bi.get(pair_key, {}).get(pair, 0)

    cols = [options(k, parts[i].lower(), keep) for k, i, keep in zip(keys, idx, fixed)]
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
            cand = []
            for prev, (score, _) in best[-1].items():
                bonus = math.log1p(pair_count(j, prev, form)) * params.pair_weight
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
    for i, form, keep in zip(idx, chosen, fixed):
        original = parts[i]
        if keep:
            continue
        out[i] = form.capitalize() if original[:1].isupper() else form
    restored = "".join(out)
    return restored if restored != text else None


def understand(raw: str, documents: list[dict] | Aliases, restore: dict | None) -> Query:
    restored = restore_diacritics(raw, restore)
    base = restored or raw
    aliases = documents if isinstance(documents, Aliases) else Aliases(documents)
    doc_ids, rest = aliases.mentions(base)
    return Query(raw=raw, text=expand_abbreviations(base), restored=restored, doc_ids=doc_ids,
                 rest=expand_abbreviations(rest))
