"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI Windows) → Unicode.

Older provincial documents were typed in fonts such as .VnTime (TCVN3) or VNI-Times, whose text is stored as
Latin-1 code points that only look Vietnamese in that font. The tables below are generated from the encoding
rules rather than typed out by hand, and `to_legacy` exists so tests can encode real text themselves.
"""

from __future__ import annotations

import re
import unicodedata

# base letter -> tone order: none, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng)
_TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
_TCVN3_LOWER = {
    # base: (no tone, huyền, hỏi, ngã, sắc, nặng) as TCVN3 code points
    "a": ("a", "µ", "¶", "·", "¸", "¹"),
    "ă": ("¨", "»", "¼", "½", "¾", "Æ"),
    "â": ("©", "Ç", "È", "É", "Ê", "Ë"),
    "e": ("e", "Ì", "Î", "Ï", "Ð", "Ñ"),
    "ê": ("ª", "Ò", "Ó", "Ô", "Õ", "Ö"),
    "i": ("i", "×", "Ø", "Ü", "Ý", "Þ"),
    "o": ("o", "ß", "á", "â", "ã", "ä"),
    "ô": ("«", "å", "æ", "ç", "è", "é"),
    "ơ": ("¬", "ê", "ë", "ì", "í", "î"),
    "u": ("u", "ï", "ñ", "ò", "ó", "ô"),
    "ư": ("\xad", "õ", "ö", "÷", "ø", "ù"),
    "y": ("y", "ú", "û", "ü", "ý", "þ"),
}
_TCVN3_UPPER_BASE = {"Ă": "¡", "Â": "¢", "Đ": "§", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "đ": "®"}

# VNI Windows: base letters and the diacritic code points typed after them
_VNI_TONE_LOWER = {"\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_TONE_UPPER = {"\u0300": "Ø", "\u0301": "Ù", "\u0309": "Û", "\u0303": "Õ", "\u0323": "Ï"}
_VNI_CIRC_TONE_LOWER = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_CIRC_TONE_UPPER = {"": "Â", "\u0301": "Á", "\u0300": "À", "\u0309": "Å", "\u0303": "Ã", "\u0323": "Ä"}
_VNI_BREVE_TONE_LOWER = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_BREVE_TONE_UPPER = {"": "Ê", "\u0301": "É", "\u0300": "È", "\u0309": "Ú", "\u0303": "Ü", "\u0323": "Ë"}
_VNI_I = {"\u0300": "ì", "\u0301": "í", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
_VNI_I_UPPER = {"\u0300": "Ì", "\u0301": "Í", "\u0309": "Æ", "\u0303": "Ó", "\u0323": "Ò"}

VIET_LETTERS = (
    "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
)


def _split(ch: str) -> tuple[str, str]:
    """Vietnamese letter -> (base letter with its shape mark, tone mark)."""
    d = unicodedata.normalize("NFD", ch)
    tone = ""
    base = ""
    for c in d:
        if c in _TONES[1:]:
            tone = c
        else:
            base += c
    return unicodedata.normalize("NFC", base), tone


def _vni_encode_char(ch: str) -> str:
    if ch in "đĐ":
        return "ñ" if ch == "đ" else "Ñ"
    base, tone = _split(ch)
    upper = base.isupper()
    b = base.lower()
    if b == "i":
        return (_VNI_I_UPPER if upper else _VNI_I).get(tone, ch)
    if b == "y" and tone == "\u0323":
        return "Î" if upper else "î"
    if b == "ơ":
        head = "Ô" if upper else "ô"
        return head + (_VNI_TONE_UPPER if upper else _VNI_TONE_LOWER).get(tone, "")
    if b == "ư":
        head = "Ö" if upper else "ö"
        return head + (_VNI_TONE_UPPER if upper else _VNI_TONE_LOWER).get(tone, "")
    plain = {"â": "a", "ê": "e", "ô": "o", "ă": "a"}.get(b, b)
    head = plain.upper() if upper else plain
    if b in "âêô":
        return head + (_VNI_CIRC_TONE_UPPER if upper else _VNI_CIRC_TONE_LOWER)[tone]
    if b == "ă":
        return head + (_VNI_BREVE_TONE_UPPER if upper else _VNI_BREVE_TONE_LOWER)[tone]
    if tone:
        return head + (_VNI_TONE_UPPER if upper else _VNI_TONE_LOWER)[tone]
    return ch


def _tcvn3_encode_char(ch: str) -> str:
    if ch in _TCVN3_UPPER_BASE:
        return _TCVN3_UPPER_BASE[ch]
    base, tone = _split(ch)
    row = _TCVN3_LOWER.get(base.lower())
    if row is None:
        return ch
    code = row[_TONES.index(tone)]
    if base.isupper() and not tone and base in "AEIOUY":
        return base
    # TCVN3 has no code points for capital toned vowels: capital fonts (.VnTimeH) reuse the lower-case ones
    return code


def _all_viet_chars() -> list[str]:
    chars = []
    for c in VIET_LETTERS:
        chars.append(c)
        chars.append(c.upper())
    return chars


def _build_decoder(encode) -> dict[str, str]:
    table: dict[str, str] = {}
    taken = {ch for ch in _all_viet_chars() if encode(ch) == ch}
    for ch in _all_viet_chars():
        enc = encode(ch)
        if enc != ch and not enc.isascii() and enc not in table and enc not in taken:
            table[enc] = ch
    return table


_VNI_DECODE = _build_decoder(_vni_encode_char)
_TCVN3_DECODE = {k: v for k, v in _build_decoder(_tcvn3_encode_char).items() if len(k) == 1}
_VNI_RE = re.compile("|".join(sorted(map(re.escape, _VNI_DECODE), key=len, reverse=True)))
_TCVN3_RE = re.compile("|".join(map(re.escape, _TCVN3_DECODE)))


def to_legacy(text: str, encoding: str) -> str:
    """Encode Unicode Vietnamese as a legacy font would store it ('tcvn3' or 'vni'); used by tests."""
    enc = _tcvn3_encode_char if encoding == "tcvn3" else _vni_encode_char
    return "".join(enc(c) for c in unicodedata.normalize("NFC", text))


_CAPS_WORD_RE = re.compile(r"\b(?=\w*[A-ZĐ]\w*[A-ZĐ])\w+\b")


def _recapitalise(match: re.Match[str]) -> str:
    word = match.group(0)
    upper = sum(c.isupper() for c in word)
    return word.upper() if upper >= len(word) - 2 else word


def from_tcvn3(text: str) -> str:
    out = _TCVN3_RE.sub(lambda m: _TCVN3_DECODE[m.group(0)], text)
    # capital toned vowels share the lower-case code points: restore them inside upper-case words
    return _CAPS_WORD_RE.sub(_recapitalise, out)


def from_vni(text: str) -> str:
    return _VNI_RE.sub(lambda m: _VNI_DECODE[m.group(0)], text)


_VIET_SPECIFIC = set("ăâđêôơư" + "".join(c for c in VIET_LETTERS if c not in "aeiouyd"))
_VIET_SPECIFIC |= {c.upper() for c in _VIET_SPECIFIC}

# the most frequent syllables of Vietnamese administrative text: a text that holds none of them is not
# Vietnamese in that encoding
_COMMON = set(
    "của và các được người không những trong đến với này thực hiện phát triển quản lý nhà nước về số năm "
    "ngày tháng có là cho theo để đất đai một tổ chức quy định công tác đảng cơ quan chính phủ nghị quyết "
    "điều khoản hội đồng ủy ban nhân dân tỉnh thành phố việt nam tăng cường xây dựng đầu tư kinh tế xã "
    "đổi mới hoàn thiện pháp luật chế sách nâng cao hiệu quả trách nhiệm".split()
)
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def viet_ratio(text: str) -> float:
    """Share of letters that carry a Vietnamese mark: ~0.25-0.4 for real Vietnamese text."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(c in _VIET_SPECIFIC for c in letters) / len(letters)


def common_word_share(text: str) -> float:
    """Share of words that are among the most common Vietnamese syllables (~0.3 for real text)."""
    words = _WORD_RE.findall(text.lower())
    if not words:
        return 0.0
    return sum(w in _COMMON for w in words) / len(words)


def detect_and_convert(text: str) -> tuple[str, str | None]:
    """Return (unicode text, legacy encoding name or None) when text looks like TCVN3 or VNI."""
    sample = text[:20000]
    best_name: str | None = None
    best = common_word_share(sample)
    if best > 0.15:
        return text, None
    for name, conv in (("tcvn3", from_tcvn3), ("vni", from_vni)):
        score = common_word_share(conv(sample))
        if score > best + 0.05:
            best_name, best = name, score
    if best_name is None:
        return text, None
    conv = from_tcvn3 if best_name == "tcvn3" else from_vni
    return conv(text), best_name
