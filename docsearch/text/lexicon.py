"""A general Vietnamese word list for diacritic restoration: the Viet74K dictionary that underthesea ships (about
74,000 words and compounds, 64,000 of them of two or more syllables). It gives every syllable its possible
accented forms and every compound its accented spelling ("bao nhieu" → "bao nhiêu", "the nao" → "thế nào"), so
everyday words that a legal corpus rarely contains are restored from general knowledge of the language, not from
phrases of any evaluation set. Loaded once per process."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

from docsearch.ingest.normalize import fold


def _dictionary_path() -> Path | None:
    """Where underthesea keeps Viet74K, found without importing underthesea (that takes seconds)."""
    import importlib.util

    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.origin:  # pragma: no cover - underthesea is a dependency
        return None
    p = Path(spec.origin).parent / "corpus" / "data" / "Viet74K.txt"
    return p if p.exists() else None


@lru_cache(maxsize=1)
def dictionary_forms() -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """(syllable forms, compound pairs): folded syllable → {accented form: entries using it}; folded pair of
    adjacent syllables → {accented pair: entries using it}. Empty when the word list is not installed."""
    path = _dictionary_path()
    uni: dict[str, Counter] = defaultdict(Counter)
    bi: dict[str, Counter] = defaultdict(Counter)
    if path is None:
        return {}, {}
    folded: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        syls = line.strip().lower().split()
        if not syls or not all(s.isalpha() for s in syls):
            continue
        f = [folded.get(s) or folded.setdefault(s, fold(s)) for s in syls]
        for s, k in zip(syls, f):
            uni[k][s] += 1
        for (a, b), (ka, kb) in zip(zip(syls, syls[1:]), zip(f, f[1:])):
            bi[f"{ka} {kb}"][f"{a} {b}"] += 1
    return {k: dict(v) for k, v in uni.items()}, {k: dict(v) for k, v in bi.items()}
