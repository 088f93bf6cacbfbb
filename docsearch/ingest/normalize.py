"""Vietnamese text normalisation.

Two levels:
- `clean_text` makes extracted text fit for display and for the structure reader: NFC, one glyph per meaning
  (bullets, dashes, spaces), no soft hyphens or zero-width characters, legacy font encodings converted.
- `match_form` / `fold` give keys for matching only: one tone-mark placement (hoà → hòa, thuỷ → thủy,
  quí → quý), lower case, and accent folding (đ → d) for queries typed without diacritics.
"""

from __future__ import annotations

import re
import unicodedata

from docsearch.ingest.legacy import detect_and_convert

_SPACE_CHARS = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_CHAR_MAP = str.maketrans(
    {
        **{c: " " for c in _SPACE_CHARS},
        **{c: None for c in _INVISIBLE},
        "\u00d0": "Đ",  # Icelandic Eth typed for Đ (seen in real documents: "Ðổi mới")
        "\u00f0": "đ",
        "\u0110": "Đ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2212": "-",
        "\u201c": "“",
        "\u2018": "‘",
        "\r": None,
    }
)
# glyphs used as list markers at the start of a line -> "- " (the dash bullet the structure reader reads)
_BULLET_RE = re.compile(r"^[ \t]*(?:[•●▪■◦○◆◇►▸➢➤✓✔\u2022\uf0b7\uf0a7\uf0d8\uf076\u2013\u2014~*])[ \t]*(?=\S)", re.M)
_PLUS_RE = re.compile(r"^[ \t]*\+(?=\S)", re.M)
_DASH_NOSPACE_RE = re.compile(r"^([ \t]*)-(?=[^\s\d-])", re.M)
_MULTISPACE_RE = re.compile(r"[ ]{2,}")


def clean_text(text: str) -> str:
    """Normalise extracted text for display and structure reading (keeps the document's own spelling)."""
    text, _ = detect_and_convert(text)
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_CHAR_MAP)
    text = _BULLET_RE.sub("- ", text)
    text = _PLUS_RE.sub("+ ", text)
    text = _DASH_NOSPACE_RE.sub(r"\1- ", text)
    lines = [_MULTISPACE_RE.sub(" ", ln).strip() for ln in text.split("\n")]
    return "\n".join(lines)


# -- matching forms ---------------------------------------------------------------------------------------

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SYLLABLE_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def _place(bare: str, index: int, tone: str) -> str:
    chars = list(bare)
    chars[index] = unicodedata.normalize("NFC", chars[index] + tone)
    return "".join(chars)


def _retone(syllable: str) -> str:
    """Move the tone of open syllables ending in oa/oe/uy onto the first vowel (hoà → hòa, thuỷ → thủy),
    and spell qui-syllables with y (quí → quý)."""
    d = unicodedata.normalize("NFD", syllable)
    tone = next((c for c in d if c in _TONE_MARKS), None)
    if tone is None:
        return syllable
    bare = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONE_MARKS))
    low = bare.lower()
    if low[:2] == "qu" and low[2:] == "i":
        return _place(bare[:2] + ("Y" if bare[2].isupper() else "y"), 2, tone)
    if low.endswith(("oa", "oe", "uy")) and not low.endswith("quy"):
        return _place(bare, len(bare) - 2, tone)
    return syllable


def tone_normalize(text: str) -> str:
    """One tone-mark placement for matching; the original text stays for display."""
    text = unicodedata.normalize("NFC", text)
    return _SYLLABLE_RE.sub(lambda m: _retone(m.group(0)), text)


def match_form(text: str) -> str:
    """Lower-cased, NFC, one tone style: the key every lexical match uses."""
    return tone_normalize(text.translate(_CHAR_MAP)).lower()


def _fold_slow(text: str) -> str:
    d = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in d if not unicodedata.combining(c))


# every precomposed Latin letter with marks (Vietnamese's among them) → its letter without them
_FOLD_TABLE = {cp: _fold_slow(chr(cp)) for r in ((0xC0, 0x250), (0x1E00, 0x1F00)) for cp in range(*r)
               if _fold_slow(chr(cp)) != chr(cp)}


def fold(text: str) -> str:
    """Strip every diacritic (đ → d): the accent-folded field, for queries typed without marks. A table for the
    precomposed letters does nearly all of it; anything left that is not ASCII goes the Unicode way (NFD, marks
    dropped), which gives the same result as that way alone."""
    t = text.translate(_FOLD_TABLE)
    return t if t.isascii() else _fold_slow(t)
