"""Diacritics put back into a query typed without them, and the corpus statistics that make it possible.

The statistics (how often the corpus writes each accented form of a folded syllable, and each pair of neighbouring
forms) are built with the derived indexes of every generation; the restoration itself runs per query. A general
word list (docsearch/text/lexicon.py) covers what the corpus has not seen. Nothing here comes from an evaluation
set."""

from __future__ import annotations

import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from docsearch.ingest.normalize import fold
from docsearch.text.lexicon import dictionary_forms
from docsearch.text.vocabulary import MARKS_RE as _VIET_MARKS_RE

_SYL_RE = re.compile(r"[^\W_]+|[^\w\s]+|\s+", re.UNICODE)
SAMPLE = 200_000  # clauses whose syllables feed the statistics: a large sample is enough


def statistics(syllable_rows: Iterable[list[str]], sample: int = SAMPLE) -> dict:
    """{"uni": folded syllable → {form: count}, "bi": folded pair → {pair of forms: count}} from the syllables of
    the first `sample` clauses (the four most frequent forms and three most frequent pairs kept)."""
    uni: dict[str, Counter] = defaultdict(Counter)
    bi: dict[str, Counter] = defaultdict(Counter)
    folded_of: dict[str, str] = {}
    for n, s in enumerate(syllable_rows):
        if n >= sample:
            break
        for a in s:
            uni[folded_of.get(a) or folded_of.setdefault(a, sys.intern(fold(a)))][a] += 1
        for a, b in zip(s, s[1:]):
            bi[folded_of[a] + " " + folded_of[b]][a + " " + b] += 1
    return {"uni": {k: dict(c.most_common(4)) for k, c in uni.items()},
            "bi": {k: dict(c.most_common(3)) for k, c in bi.items() if sum(c.values()) >= 2}}


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
