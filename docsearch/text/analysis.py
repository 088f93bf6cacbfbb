"""Text analysis for the three lexical fields, applied alike to clauses and queries.

- words: underthesea word segmentation (per paragraph), lower-cased, one tone style ("nhà_ở", "xã_hội");
- syllables: the same text split into syllables;
- folded: syllables without diacritics (đ → d), for queries typed without marks.
One-character tokens are kept (the "6" of "Nghị quyết 6", the "a" of "điểm a")."""

from __future__ import annotations

import re
from functools import lru_cache

from docsearch.ingest.normalize import fold, match_form
from docsearch.text.vocabulary import (
    ABBREVIATIONS,
    LEVELLED_BODIES,
    LEVELS,
    MINISTRY_FIELDS,
    NAMED_BODIES,
    PARTY_BOARD_FIELDS,
    PARTY_COMMITTEES,
)

_TOKEN_RE = re.compile(r"[^\W_]+(?:[-/][^\W_]+)*", re.UNICODE)

_ABBR_RE = re.compile(r"(?<![\w&])(" + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True)) + r")(?![\w&])", re.I)


def expand_abbreviations(text: str) -> str:
    """Append the expansion after each abbreviation ("UBND" → "UBND ủy ban nhân dân")."""
    return _ABBR_RE.sub(lambda m: f"{m.group(0)} {ABBREVIATIONS[m.group(0).lower()]}", text)


@lru_cache(maxsize=1)
def _written_out() -> tuple[re.Pattern, dict[str, str]]:
    short: dict[str, str] = {}
    for abbr, full in ABBREVIATIONS.items():
        short.setdefault(match_form(full), abbr.upper())  # the first abbreviation listed for a phrase
    rx = re.compile(r"(?<!\w)(" + "|".join(re.escape(f) for f in sorted(short, key=len, reverse=True)) + r")(?!\w)",
                    re.I)
    return rx, short


def abbreviate(text: str) -> str:
    """The text as a provincial programme might write it: each phrase that has a common abbreviation
    (text/vocabulary.py) replaced by it ("Sở Khoa học và Công nghệ" → "Sở KH&CN", "chuyển đổi số" → "CĐS"). A
    robustness check of tagging and linking (evaluate/), as queries without diacritics are of search."""
    rx, short = _written_out()
    return rx.sub(lambda m: short[match_form(m.group(0))], text)


@lru_cache(maxsize=1)
def body_names() -> re.Pattern:
    """The names of state and Party bodies (text/vocabulary.py) in match_form text whose abbreviations were written
    out (expand_abbreviations): "bộ khoa học và công nghệ", "sở kh&cn khoa học và công nghệ", "ban tuyên giáo trung
    ương". "bộ" and "sở" are not a body inside a longer word: "cán bộ y tế" are health workers, "cơ sở giáo dục và
    đào tạo" is a school, "tiến bộ khoa học và công nghệ" is progress."""
    abbrs: dict[str, list[str]] = {}
    for abbr, full in ABBREVIATIONS.items():
        abbrs.setdefault(match_form(full), []).append(re.escape(abbr))

    def field(name: str) -> str:
        f = match_form(name)
        short = abbrs.get(f)
        return (f"(?:(?:{'|'.join(short)}) )?" if short else "") + re.escape(f)

    def alternatives(names) -> str:
        return "|".join(sorted((field(x) for x in names), key=len, reverse=True))

    not_within = "".join(f"(?<!{w} )" for w in ("cán", "toàn", "nội", "từng", "đồng", "sơ", "tiến", "cơ", "trụ"))
    ministries = not_within + r"(?<![\w&])(?:bộ|sở) (?:" + alternatives(MINISTRY_FIELDS) + ")"
    named = r"(?<![\w&])(?:" + "|".join(re.escape(match_form(b)) for b in NAMED_BODIES) + ")"
    boards = (r"(?<![\w&])ban (?:" + alternatives(PARTY_BOARD_FIELDS) + ") (?:"
              + "|".join(re.escape(match_form(c)) for c in PARTY_COMMITTEES) + ")")
    levelled = (r"(?<![\w&])(?:" + alternatives(LEVELLED_BODIES) + ") (?:"
                + "|".join(re.escape(match_form(x)) for x in sorted(LEVELS, key=len, reverse=True)) + ")")
    return re.compile(rf"(?:{ministries}|{named}|{boards}|{levelled})(?![\w&])")


_BODY_HEADS = frozenset({"bộ", "sở", "ban"})  # words that only say what kind of body a name is


def without_body_names(low: str) -> str:
    """match_form text with the names of bodies (body_names) blanked, to the same length; a name's head word that
    only says what kind of body it is ("bộ", "sở", "ban") stays, so "trách nhiệm của Bộ Xây dựng" is still the
    responsibility of a ministry."""
    def blank(m: re.Match) -> str:
        head, _, rest = m.group(0).partition(" ")
        return f"{head} {' ' * len(rest)}" if head in _BODY_HEADS else " " * len(m.group(0))

    return body_names().sub(blank, low)


def syllables(text: str) -> list[str]:
    return _TOKEN_RE.findall(match_form(text))


def folded(tokens: list[str]) -> list[str]:
    return [fold(t) for t in tokens]


@lru_cache(maxsize=4096)
def _segment_paragraph(paragraph: str) -> tuple[str, ...]:
    from underthesea import word_tokenize

    out = []
    for w in word_tokenize(paragraph):
        w = match_form(w)
        parts = _TOKEN_RE.findall(w)
        if parts:
            out.append("_".join(parts))
    return tuple(out)


def words(text: str) -> list[str]:
    """underthesea words, called per paragraph as underthesea expects."""
    out: list[str] = []
    for para in text.split("\n"):
        para = para.strip()
        if para:
            out.extend(_segment_paragraph(para[:5000]))
    return out


def analyze(text: str) -> dict[str, list[str]]:
    text = expand_abbreviations(text)
    syl = syllables(text)
    return {"words": words(text), "syllables": syl, "folded": folded(syl)}


SEGMENT_WORDS = 120  # clauses longer than ~1.3x this are also indexed as segments (head line + ~120 words)


def segments(text: str, max_words: int = SEGMENT_WORDS) -> list[str]:
    """Split a long clause into segments that each repeat its first line (the article or item heading).

    Short clauses return []: they are their own single segment."""
    paras = [p.strip() for p in text.split("\n") if p.strip()]
    if len(" ".join(paras).split()) <= int(max_words * 1.3) or len(paras) < 1:
        return []
    head, rest = paras[0], paras[1:]
    if not rest:  # one long paragraph: cut it into windows of words
        words = head.split()
        head, rest = " ".join(words[:20]), [" ".join(words[i:i + max_words]) for i in range(20, len(words), max_words)]
    out: list[str] = []
    cur: list[str] = []
    for para in rest:
        if cur and len(" ".join(cur + [para]).split()) > max_words:
            out.append(head + "\n" + " ".join(cur))
            cur = []
        cur.append(para)
    if cur:
        out.append(head + "\n" + " ".join(cur))
    return out
